import Dispatch

/// Deterministic gzip output (SPEC 3.1: mtime 0, byte-identical for the same content).
///
/// The content is cut into fixed 1 MiB chunks, each deflated as an independent gzip member
/// (RFC 1952 allows any number of members; every gunzip reads them as one stream). Because the
/// cut points depend only on the byte count, the output is the same whatever the number of
/// threads; chunks are compressed on background threads while the next one fills, by the product's
/// codec (`Gzip`: ISA-L level 1): the outputs are read once by the next level, so speed matters
/// more than the last 20% of size.
/// Buffers are allocated once per writer and reused (hand-managed: this is the output hot path).
public final class GzipWriter {
    public static let chunkSize = 1 << 20
    /// Chunks in flight: filled ones being compressed in the background while the next fills.
    static let ring = 4

    private let out: OutputFile
    private let inputs: [UnsafeMutablePointer<UInt8>]
    private let outputs: [UnsafeMutablePointer<UInt8>]
    private var sizes: UnsafeMutablePointer<Int>
    private let done: [DispatchSemaphore]
    private let outputCapacity: Int
    /// The chunk being filled, and how full it is.
    private var current = 0
    private var used = 0
    /// Chunks handed to the background, oldest first.
    private var inFlight: [Int] = []
    public private(set) var uncompressedBytes = 0

    public init(out: OutputFile) {
        self.out = out
        outputCapacity = Gzip.memberBound(Self.chunkSize)
        inputs = (0..<Self.ring).map { _ in .allocate(capacity: Self.chunkSize) }
        outputs = (0..<Self.ring).map { [outputCapacity] _ in .allocate(capacity: outputCapacity) }
        sizes = .allocate(capacity: Self.ring)
        sizes.initialize(repeating: 0, count: Self.ring)
        done = (0..<Self.ring).map { _ in DispatchSemaphore(value: 0) }
    }

    deinit {
        // Never leave a background job writing into freed buffers.
        for i in inFlight { done[i].wait() }
        for p in inputs { p.deallocate() }
        for p in outputs { p.deallocate() }
        sizes.deallocate()
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        let handled: Bool = try bytes.withContiguousStorageIfAvailable { (p: UnsafeBufferPointer<UInt8>) throws -> Bool in
            try write(p)
            return true
        } ?? false
        if !handled {
            let copy = Array(bytes)
            try copy.withUnsafeBufferPointer { try write($0) }
        }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        uncompressedBytes += bytes.count
        var rest = bytes
        while !rest.isEmpty {
            let n = min(Self.chunkSize - used, rest.count)
            (inputs[current] + used).update(from: rest.baseAddress!, count: n)
            used += n
            rest = UnsafeBufferPointer(rebasing: rest[n...])
            if used == Self.chunkSize { try submit() }
        }
    }

    public func write(_ s: String) throws {
        var s = s
        try s.withUTF8 { try write($0) }
    }

    /// Hands the current chunk to a background thread and moves on to a free one, writing out
    /// (in order) the oldest member when every chunk is in flight.
    private func submit() throws {
        let i = current, count = used, cap = outputCapacity
        let job = GzipJob(input: inputs[i], output: outputs[i], size: sizes + i, done: done[i])
        DispatchQueue.global().async {
            job.size.pointee = Gzip.member(UnsafeBufferPointer(start: job.input, count: count),
                                           into: job.output, capacity: cap)
            job.done.signal()
        }
        inFlight.append(i)
        used = 0
        if inFlight.count == Self.ring { try writeOldest() }
        current = (0..<Self.ring).first { !inFlight.contains($0) }!
    }

    private func writeOldest() throws {
        let i = inFlight.removeFirst()
        done[i].wait()
        try out.write(UnsafeBufferPointer(start: outputs[i], count: sizes[i]))
    }

    /// Writes the remaining content (at least one member, even when empty).
    public func finish() throws {
        if used > 0 || (uncompressedBytes == 0 && inFlight.isEmpty) { try submit() }
        while !inFlight.isEmpty { try writeOldest() }
    }
}

/// One chunk's buffers, handed to a compression thread; the writer touches them again only after
/// `done` is signalled.
struct GzipJob: @unchecked Sendable {
    let input: UnsafeMutablePointer<UInt8>
    let output: UnsafeMutablePointer<UInt8>
    let size: UnsafeMutablePointer<Int>
    let done: DispatchSemaphore
}
