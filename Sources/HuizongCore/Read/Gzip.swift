import CIsal

/// The product's one gzip codec: ISA-L's igzip (Debian `libisal-dev`), reading and writing.
///
/// On this project's 2-core machine igzip inflates the national month's inputs 4.6x faster than
/// zlib and deflates level 1 4.8x faster with smaller output (issue 11; `docs/performance.md`), and
/// both directions are the hot path of a run. Reading goes through `Gzip.Inflater` (in
/// `DecompressedStream`: multi-member, limits, truncation), writing through `Gzip.member` (in
/// `GzipWriter`: fixed 1 MiB members compressed on background threads).
///
/// The `.xlsx` reader's raw-deflate zip parts go through the same library (`CIsal`, in
/// `Read/Workbook/ZipArchive.swift`). zlib is no longer in the product: the tests keep it, as a
/// codec independent of the product's, to make and check the gzip they use.
public enum Gzip {
    /// gzip header of every member written: no flags, mtime 0, no extra flags, OS 255 (unknown),
    /// so the same content gives the same bytes (SPEC 3.1).
    static let header: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]

    /// What one member of `count` bytes can take at most, header and trailer included (a stored
    /// block costs 5 bytes per 64 KiB; the rest is slack).
    public static func memberBound(_ count: Int) -> Int { count + count / 8 + 1024 }

    /// One complete gzip member of `data` (header, level-1 deflate, CRC-32, ISIZE) written to
    /// `dst`; returns its length. Deterministic for one build of ISA-L.
    static func member(_ data: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        precondition(capacity >= memberBound(data.count) && data.count <= Int(UInt32.max),
                     "gzip output buffer too small")
        for (i, b) in header.enumerated() { dst[i] = b }
        let body = huizong_gzip_deflate_body(data.baseAddress, UInt32(data.count), dst + header.count,
                                             UInt32(capacity - header.count))
        precondition(body >= 0, "ISA-L deflate failed")
        return header.count + body
    }

    /// One complete gzip member of `data` (tests, small tools).
    public static func member(_ data: [UInt8]) -> [UInt8] {
        let cap = memberBound(data.count)
        let dst = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        defer { dst.deallocate() }
        let n = data.withUnsafeBufferPointer { member($0, into: dst, capacity: cap) }
        return Array(UnsafeBufferPointer(start: dst, count: n))
    }

    /// A streaming inflater of gzip members, one at a time: it parses the header, inflates, and
    /// checks the trailer's CRC-32 and ISIZE; `reset()` readies it for the next member.
    public final class Inflater {
        /// One call's outcome.
        public struct Step {
            public var consumed: Int
            public var produced: Int
            /// The member's trailer was read and checked; the next byte starts a member or ends the file.
            public var memberEnded: Bool
        }

        /// The data is not valid gzip (ISA-L's error code).
        public struct Corrupt: Error {
            public let code: Int32
            public var reason: String {
                switch code {
                case -1: "invalid deflate block"
                case -2: "invalid deflate symbol"
                case -3: "invalid distance"
                case -4: "invalid gzip header"
                case -5: "unsupported compression method"
                case -6: "incorrect CRC-32 or length"
                default: "error \(code)"
                }
            }
        }

        private let state: UnsafeMutableRawPointer

        public init() {
            guard let s = huizong_gzip_inflater_new() else { fatalError("out of memory: gzip inflater") }
            state = s
        }

        deinit { huizong_gzip_inflater_free(state) }

        public func reset() { huizong_gzip_inflater_reset(state) }

        /// Inflates what it can of `input` into `output`.
        public func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(Corrupt) -> Step {
            var consumed: UInt32 = 0, produced: UInt32 = 0
            var ended: Int32 = 0
            let rc = huizong_gzip_inflate(state, input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                          UInt32(min(input.count, Int(UInt32.max))),
                                          output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                          UInt32(min(output.count, Int(UInt32.max))),
                                          &consumed, &produced, &ended)
            if rc != 0 { throw Corrupt(code: rc) }
            return Step(consumed: Int(consumed), produced: Int(produced), memberEnded: ended != 0)
        }
    }
}
