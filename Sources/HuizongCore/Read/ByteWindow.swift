#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something that hands out bytes in chunks (a decompressed file, a ZIP part); 0 at the end.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int
}

/// The bytes of a stream read ahead and not yet consumed, in one reused buffer: `start..<end`
/// are live. `refill` moves them to the front, doubles the buffer when they fill it (up to
/// `maxCapacity`) and reads once more. The line reader and the sheet's XML scanner both read
/// through one: hand-written because it sits under their per-byte loops (no Array, no copy but
/// the one `memmove` of the bytes kept).
struct ByteWindow: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    let maxCapacity: Int
    /// The first byte not yet consumed: what `refill` keeps starts here.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// The source has said it has no more.
    private(set) var eof = false

    init(capacity: Int, maxCapacity: Int? = nil) {
        self.capacity = capacity
        self.maxCapacity = max(capacity, maxCapacity ?? capacity)
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Moves the live bytes to the front (`start` becomes 0; a position `p` in the buffer
    /// becomes `p - start`), grows a full buffer, reads once. Returns the bytes read: 0 at the
    /// end of the stream (`eof`), or when the buffer is full at `maxCapacity`.
    mutating func refill(from source: some ByteSource) throws(FileRejection) -> Int {
        if eof { return 0 }
        if start > 0 {
            let live = end - start
            if live > 0 { memmove(base, base + start, live) }
            start = 0
            end = live
        }
        if end == capacity {
            guard capacity < maxCapacity else { return 0 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: min(capacity * 2, maxCapacity))
            grown.update(from: base, count: end)
            base.deallocate()
            base = grown
            capacity = min(capacity * 2, maxCapacity)
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: capacity - end))
        if n == 0 { eof = true }
        end += n
        return n
    }
}
