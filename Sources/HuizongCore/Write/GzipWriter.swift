import CZlib
import Dispatch

/// Deterministic gzip output (SPEC 3.1: mtime 0, byte-identical for the same content).
///
/// The content is cut into fixed 1 MiB chunks, each deflated as an independent gzip member
/// (RFC 1952 allows any number of members; every gunzip reads them as one stream). Because the
/// cut points depend only on the byte count, the output is the same whatever the number of
/// threads; chunks are compressed two at a time on the machine's two cores. Level 1 (as `gzip -1`):
/// the outputs are read once by the next level, so speed matters more than the last 20% of size.
public final class GzipWriter {
    public static let chunkSize = 1 << 20
    public static let defaultLevel: Int32 = 1

    private let out: OutputFile
    private let level: Int32
    private var pending: [UInt8] = []
    private var fullChunks: [[UInt8]] = []
    public private(set) var uncompressedBytes = 0

    public init(out: OutputFile, level: Int32 = GzipWriter.defaultLevel) {
        self.out = out
        self.level = level
        pending.reserveCapacity(Self.chunkSize)
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        uncompressedBytes += bytes.count
        pending.append(contentsOf: bytes)
        if pending.count >= Self.chunkSize { try cutChunks() }
    }

    public func write(_ s: String) throws { try write(Array(s.utf8)) }

    private func cutChunks() throws {
        while pending.count >= Self.chunkSize {
            fullChunks.append(Array(pending[0..<Self.chunkSize]))
            pending.removeSubrange(0..<Self.chunkSize)
        }
        if fullChunks.count >= 2 { try compressPending() }
    }

    private func compressPending() throws {
        let chunks = fullChunks
        fullChunks.removeAll()
        let level = self.level
        let members = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: chunks.count)
        members.initialize(repeating: [])
        defer { members.deinitialize(); members.deallocate() }
        let sink = SendableBuffer(members)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            sink.base[i] = GzipWriter.member(chunks[i], level: level)
        }
        for m in members { try out.write(m) }
    }

    /// Writes the remaining content (at least one member, even when empty).
    public func finish() throws {
        if !pending.isEmpty || (fullChunks.isEmpty && uncompressedBytes == 0) {
            fullChunks.append(pending)
            pending.removeAll()
        }
        try compressPending()
    }

    /// One complete gzip member for `data`: fixed header (mtime 0, OS 255), raw deflate, CRC-32, ISIZE.
    public static func member(_ data: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        var result: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]
        var strm = z_stream()
        deflateInit2_(&strm, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        let bound = Int(deflateBound(&strm, uLong(data.count))) + 16
        let start = result.count
        result.append(contentsOf: repeatElement(0, count: bound))
        var produced = 0
        data.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                strm.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
                strm.avail_in = UInt32(src.count)
                strm.next_out = dst.baseAddress! + start
                strm.avail_out = UInt32(bound)
                let rc = deflate(&strm, Z_FINISH)
                precondition(rc == Z_STREAM_END, "deflate did not finish: \(rc)")
                produced = bound - Int(strm.avail_out)
            }
        }
        deflateEnd(&strm)
        result.removeSubrange((start + produced)...)
        let crc = data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        for v in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: data.count)] {
            result.append(UInt8(v & 0xff)); result.append(UInt8(v >> 8 & 0xff))
            result.append(UInt8(v >> 16 & 0xff)); result.append(UInt8(v >> 24 & 0xff))
        }
        return result
    }
}

/// Lets concurrentPerform iterations write disjoint slots of one buffer.
struct SendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}
