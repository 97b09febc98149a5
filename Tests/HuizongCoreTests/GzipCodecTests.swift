import CZlib
import Foundation
import HuizongCore
import Testing
import HuizongTestSupport

// The product's gzip codec (ISA-L, `Gzip`; issue 11): what it writes is gzip that zlib — an
// independent implementation — reads back to the same bytes, with the fixed header SPEC 3.1 asks
// for (mtime 0), the same bytes every time; what it reads is checked in GzipTests (multi-member,
// truncated, corrupt, bombs) through whole runs.

@Suite struct GzipCodecTests {
    /// Bytes that compress somewhat, like a summary: repeated text with varying digits.
    static func sample(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let words = Array("王伟,110105199001011234,北京大学,20120630,法学,13800138000,2012-09-01T10:00:00+08:00\n".utf8)
        return (0..<count).map { i in i % 7 == 0 ? UInt8(48 + rng.next() % 10) : words[i % words.count] }
    }

    @Test(arguments: [0, 1, 100, 65_535, 65_536, 1 << 20])
    func aMemberInflatesWithZlibToTheSameBytes(size: Int) throws {
        let data = Self.sample(size, seed: UInt64(size))
        let gz = Gzip.member(data)
        let back = try gunzipMembers(gz)  // zlib, TestSupport
        #expect(back.content == data)
        #expect(back.memberOffsets == [0])
        // SPEC 3.1: gzip with mtime 0; no name, no flags; OS 255.
        #expect(Array(gz.prefix(10)) == [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])
        // The trailer holds CRC-32 and ISIZE of the content, as zlib computes them.
        let crc = data.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let tail = Array(gz.suffix(8))
        #expect(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24 == crc)
        #expect(UInt32(tail[4]) | UInt32(tail[5]) << 8 | UInt32(tail[6]) << 16 | UInt32(tail[7]) << 24 == UInt32(size))
    }

    /// Other content compressed in between leaves the heap dirty: the codec's work buffers must
    /// not carry it into the next member (they once did: 1 and 2 threads gave different bytes).
    @Test func theSameContentGivesTheSameBytes() {
        let data = Self.sample(300_000, seed: 7)
        let a = Gzip.member(data)
        for seed in 100..<108 { _ = Gzip.member(Self.sample(1 << 20, seed: UInt64(seed))) }
        let b = Gzip.member(data)
        #expect(a == b)
        #expect(a.count < data.count / 2, "level 1 must compress this text: \(a.count) of \(data.count)")
    }

    @Test func theInflaterReadsZlibsMembersAndStopsAtEachEnd() throws {
        let one = Self.sample(200_000, seed: 1), two = Self.sample(3_000, seed: 2)
        let gz = gzipMember(one, level: 9) + gzipMember(two, level: 1)
        let inflater = Gzip.Inflater()
        var out: [UInt8] = []
        var members = 0
        var at = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        try gz.withUnsafeBytes { input in
            while at < input.count {
                let step = try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[at...]), into: buffer)
                at += step.consumed
                out += buffer.prefix(step.produced)
                if step.memberEnded {
                    members += 1
                    inflater.reset()
                }
                if step.consumed == 0 && step.produced == 0 && !step.memberEnded { break }
            }
        }
        #expect(members == 2)
        #expect(at == gz.count, "the inflater must stop exactly at the end of each member")
        #expect(out == one + two)
    }

    @Test func aWrongLengthInTheTrailerIsCorrupt() throws {
        var gz = gzipMember(Self.sample(10_000, seed: 3))
        gz[gz.count - 2] ^= 0x01  // inside ISIZE: the data and CRC-32 are right, the length is not
        let inflater = Gzip.Inflater()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        #expect(throws: Gzip.Inflater.Corrupt.self) {
            try gz.withUnsafeBytes { input in
                var at = 0
                while at < input.count {
                    let step = try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[at...]), into: buffer)
                    at += step.consumed
                    if step.memberEnded || (step.consumed == 0 && step.produced == 0) { break }
                }
            }
        }
    }
}
