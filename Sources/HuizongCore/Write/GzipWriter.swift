import CZlib
import Dispatch

/// Deterministic gzip output (SPEC 3.1: mtime 0, byte-identical for the same content).
///
/// The content is cut into fixed 1 MiB chunks, each deflated as an independent gzip member
/// (RFC 1952 allows any number of members; every gunzip reads them as one stream). Because the
/// cut points depend only on the byte count, the output is the same whatever the number of
/// threads; chunks are compressed two at a time on the machine's two cores. Level 1 (as `gzip -1`):
/// the outputs are read once by the next level, so speed matters more than the last 20% of size.
/// Buffers are allocated once per writer and reused (hand-managed: this is the output hot path).
public final class GzipWriter {
    public static let chunkSize = 1 << 20
    public static let defaultLevel: Int32 = 1
    static let parallel = 2

    private let out: OutputFile
    private let level: Int32
    /// `parallel` input chunks and as many output buffers.
    private let inputs: [UnsafeMutablePointer<UInt8>]
    private var inputUsed: [Int]
    private let outputs: [UnsafeMutablePointer<UInt8>]
    private let outputCapacity: Int
    private var current = 0
    public private(set) var uncompressedBytes = 0

    public init(out: OutputFile, level: Int32 = GzipWriter.defaultLevel) {
        self.out = out
        self.level = level
        inputs = (0..<Self.parallel).map { _ in .allocate(capacity: Self.chunkSize) }
        inputUsed = Array(repeating: 0, count: Self.parallel)
        outputCapacity = Self.chunkSize + Self.chunkSize / 8 + 1024
        outputs = (0..<Self.parallel).map { [outputCapacity] _ in .allocate(capacity: outputCapacity) }
    }

    deinit {
        for p in inputs { p.deallocate() }
        for p in outputs { p.deallocate() }
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        let done: Bool = try bytes.withContiguousStorageIfAvailable { (p: UnsafeBufferPointer<UInt8>) throws -> Bool in
            try write(p)
            return true
        } ?? false
        if !done {
            let copy = Array(bytes)
            try copy.withUnsafeBufferPointer { try write($0) }
        }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        uncompressedBytes += bytes.count
        var rest = bytes
        while !rest.isEmpty {
            let room = Self.chunkSize - inputUsed[current]
            let n = min(room, rest.count)
            (inputs[current] + inputUsed[current]).update(from: rest.baseAddress!, count: n)
            inputUsed[current] += n
            rest = UnsafeBufferPointer(rebasing: rest[n...])
            if inputUsed[current] == Self.chunkSize {
                current += 1
                if current == Self.parallel { try flushChunks() }
            }
        }
    }

    public func write(_ s: String) throws {
        var s = s
        try s.withUTF8 { try write($0) }
    }

    /// Compresses the filled chunks (in parallel) and writes their members in order.
    private func flushChunks() throws {
        let count = current + (current < Self.parallel && inputUsed[current] > 0 ? 1 : 0)
        guard count > 0 else { return }
        var sizes = [Int](repeating: 0, count: count)
        let level = self.level, cap = outputCapacity
        let used = inputUsed
        let buffers = SendablePointers(inputs: inputs, outputs: outputs)
        sizes.withUnsafeMutableBufferPointer { sz in
            let sink = SendableBuffer(sz)
            let job = { @Sendable (i: Int) in
                sink.base[i] = GzipWriter.member(UnsafeBufferPointer(start: buffers.inputs[i], count: used[i]), level: level,
                                                 into: buffers.outputs[i], capacity: cap)
            }
            if count == 1 { job(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: job) }
        }
        for i in 0..<count { try out.write(UnsafeBufferPointer(start: outputs[i], count: sizes[i])) }
        for i in 0..<Self.parallel { inputUsed[i] = 0 }
        current = 0
    }

    /// Writes the remaining content (at least one member, even when empty).
    public func finish() throws {
        if current == 0 && inputUsed[0] == 0 {
            // Empty content still makes one (empty) member.
            let n = Self.member(UnsafeBufferPointer(start: inputs[0], count: 0), level: level, into: outputs[0], capacity: outputCapacity)
            try out.write(UnsafeBufferPointer(start: outputs[0], count: n))
            return
        }
        try flushChunks()
    }

    /// One complete gzip member for `data` written to `dst`: fixed header (mtime 0, OS 255), raw
    /// deflate, CRC-32, ISIZE. Returns its length.
    static func member(_ data: UnsafeBufferPointer<UInt8>, level: Int32, into dst: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        let header: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]
        for (i, b) in header.enumerated() { dst[i] = b }
        var strm = z_stream()
        deflateInit2_(&strm, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(Int(deflateBound(&strm, uLong(data.count))) + 18 <= capacity, "gzip output buffer too small")
        strm.next_in = UnsafeMutablePointer(mutating: data.baseAddress)
        strm.avail_in = UInt32(data.count)
        strm.next_out = dst + header.count
        strm.avail_out = UInt32(capacity - header.count - 8)
        let rc = deflate(&strm, Z_FINISH)
        precondition(rc == Z_STREAM_END, "deflate did not finish: \(rc)")
        var n = header.count + Int(strm.total_out)
        deflateEnd(&strm)
        let crc = crc32(0, data.baseAddress, uInt(data.count))
        for v in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: data.count)] {
            dst[n] = UInt8(v & 0xff); dst[n + 1] = UInt8(v >> 8 & 0xff)
            dst[n + 2] = UInt8(v >> 16 & 0xff); dst[n + 3] = UInt8(v >> 24 & 0xff)
            n += 4
        }
        return n
    }

    /// One complete gzip member for `data` (tests, small tools).
    public static func member(_ data: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        let cap = data.count + data.count / 8 + 1024
        let dst = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        defer { dst.deallocate() }
        let n = data.withUnsafeBufferPointer { member($0, level: level, into: dst, capacity: cap) }
        return Array(UnsafeBufferPointer(start: dst, count: n))
    }
}

/// The writer's chunk buffers, handed to the compression threads (each touches its own pair).
struct SendablePointers: @unchecked Sendable {
    let inputs: [UnsafeMutablePointer<UInt8>]
    let outputs: [UnsafeMutablePointer<UInt8>]
}

/// Lets concurrentPerform iterations write disjoint slots of one buffer.
struct SendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}
