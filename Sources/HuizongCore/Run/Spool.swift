#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only log of bytes, read back once in order: held in memory up to `memoryLimit`
/// bytes, the oldest spilled to a temporary file beyond that (created 0600 and unlinked at once,
/// so it vanishes with the process and no other user can open it). This is how a file's rows and
/// findings wait for the end of the file (SPEC 3.1: a file rejected whole merges nothing, even
/// the rows read before the problem) without memory growing with the file (SPEC 8.5: memory grows
/// with distinct IDs only, findings spill to a temporary file when they are many).
///
/// The memory is a list of chunks (up to 1 MiB each; the first ones small, for the many small
/// files), never moved once written: growing copies nothing, and when the limit is reached only
/// the oldest full chunk is written out, so a file a little over the limit spills a little, not
/// the whole limit (a 200k-row file once wrote and read back 32 MiB, with 32 MiB of growth copies
/// before it: about a tenth of a workbook run's CPU). Not thread-safe: one thread at a time (a
/// reader thread fills it, the merge thread replays it).
public final class ByteSpool {
    public let memoryLimit: Int
    /// The largest chunk.
    private let chunkSize: Int
    /// Full chunks not yet spilled, oldest first (base, bytes).
    private var full: [(base: UnsafeMutablePointer<UInt8>, count: Int)] = []
    /// Bytes held by the full chunks' buffers (their capacity: all of it is written).
    private var fullBytes = 0
    /// The chunk being filled (hand-managed: an Array property of a class is checked for
    /// exclusive access on every append; this is the per-line path of a file's rows and findings).
    private var tail: ByteWriter
    /// The temporary file, once spilled (-1 before).
    private var fd: Int32 = -1
    /// Bytes in the temporary file.
    public private(set) var spilledBytes: Int64 = 0
    /// Every byte appended.
    public var count: Int64 { spilledBytes + Int64(fullBytes + tail.count) }
    /// The reader's buffers: a block of the file, and a record that straddles two chunks.
    fileprivate var block: UnsafeMutablePointer<UInt8>?
    fileprivate var scratch: UnsafeMutablePointer<UInt8>?
    fileprivate var scratchSize = 0

    static let firstChunk = 4096

    public init(memoryLimit: Int) {
        self.memoryLimit = max(memoryLimit, 64)
        chunkSize = min(self.memoryLimit, 1 << 20)
        tail = Self.chunk(capacity: min(chunkSize, Self.firstChunk))
    }

    deinit { release() }

    private static func chunk(capacity: Int) -> ByteWriter {
        ByteWriter(.allocate(capacity: capacity), capacity: capacity)
    }

    private func release() {
        for c in full { c.base.deallocate() }
        tail.base.deallocate()
        block?.deallocate()
        scratch?.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Drops everything (memory and file).
    public func removeAll() {
        release()
        full = []
        fullBytes = 0
        tail = Self.chunk(capacity: min(chunkSize, Self.firstChunk))
        block = nil
        scratch = nil
        scratchSize = 0
        fd = -1
        spilledBytes = 0
    }

    /// The tail is full: it joins the full chunks, the oldest are spilled while the next chunk
    /// would pass the limit, and the next one is started (a spilled buffer of its size reused).
    private func nextChunk() {
        let capacity = min(chunkSize, tail.capacity * 2)
        full.append((tail.base, tail.count))
        fullBytes += tail.count
        var reuse: UnsafeMutablePointer<UInt8>?
        while !full.isEmpty && fullBytes + capacity > memoryLimit {
            let oldest = full.removeFirst()
            spill(oldest.base, oldest.count)
            fullBytes -= oldest.count
            if reuse == nil && oldest.count == capacity { reuse = oldest.base } else { oldest.base.deallocate() }
        }
        tail = ByteWriter(reuse ?? .allocate(capacity: capacity), capacity: capacity)
    }

    @inline(__always)
    private var room: Int { tail.capacity - tail.count }

    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count <= room {
            tail.append(bytes.assumingMemoryBound(to: UInt8.self))
        } else {
            appendAcrossChunks(bytes)
        }
    }

    private func appendAcrossChunks(_ bytes: UnsafeRawBufferPointer) {
        var done = 0
        while done < bytes.count {
            if room == 0 { nextChunk() }
            let n = min(room, bytes.count - done)
            tail.append(UnsafeRawBufferPointer(rebasing: bytes[done..<(done + n)]).assumingMemoryBound(to: UInt8.self))
            done += n
        }
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        if room == 0 { nextChunk() }
        tail.append(byte)
    }

    /// Unsigned LEB128: small numbers (line numbers, lengths) take one to three bytes.
    @inline(__always)
    public func appendVarint(_ value: UInt64) {
        if room >= 10 { return tail.appendVarint(value) }
        // Across a chunk boundary: encoded by the same writer into ten bytes of stack, then split.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            var w = ByteWriter(buffer.baseAddress!, capacity: 10)
            w.appendVarint(value)
            appendAcrossChunks(UnsafeRawBufferPointer(start: buffer.baseAddress, count: w.count))
        }
    }

    @inline(__always)
    public func appendFixed64(_ value: UInt64) {
        if room >= 8 { return tail.appendFixed64(value) }
        withUnsafeBytes(of: value.littleEndian) { appendAcrossChunks($0) }
    }

    /// Writes a full chunk to the end of the temporary file (created on first use).
    private func spill(_ base: UnsafeMutablePointer<UInt8>, _ count: Int) {
        if fd < 0 { fd = Self.makeTemporaryFile() }
        var done = 0
        while done < count {
            let n = write(fd, base + done, count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                fatalError("临时文件写入失败 cannot write the temporary spool file: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        spilledBytes += Int64(count)
    }

    /// The bytes in memory: the full chunks, then the tail (index `full.count`); nil past them.
    fileprivate func memorySegment(_ i: Int) -> UnsafeRawBufferPointer? {
        if i < full.count { return UnsafeRawBufferPointer(start: full[i].base, count: full[i].count) }
        if i == full.count { return UnsafeRawBufferPointer(start: tail.base, count: tail.count) }
        return nil
    }

    static let blockSize = 1 << 20

    /// Reads the next block of the file (at most `blockSize` bytes from `offset`) into `block`.
    fileprivate func readBlock(at offset: Int64) -> UnsafeRawBufferPointer {
        if block == nil { block = .allocate(capacity: Self.blockSize) }
        let want = Int(min(Int64(Self.blockSize), spilledBytes - offset))
        var got = 0
        while got < want {
            let n = pread(fd, block! + got, want - got, off_t(offset) + off_t(got))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                fatalError("临时文件读取失败 cannot read the temporary spool file: \(String(cString: strerror(errno)))")
            }
            got += n
        }
        return UnsafeRawBufferPointer(start: block, count: want)
    }

    /// Room for a record of `n` bytes gathered from two chunks.
    fileprivate func scratch(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if scratchSize < n {
            scratch?.deallocate()
            scratchSize = max(n, 4096)
            scratch = .allocate(capacity: scratchSize)
        }
        return scratch!
    }

    /// The directory for spool files: $TMPDIR, else /tmp.
    static var temporaryDirectory: String {
        if let t = getenv("TMPDIR"), t.pointee != 0 { return String(cString: t) }
        return "/tmp"
    }

    /// A new file, 0600, already unlinked: only this process can reach it, and it is gone when
    /// the process ends however it ends.
    static func makeTemporaryFile() -> Int32 {
        var template = Array((temporaryDirectory + "/huizong-spool-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            fatalError("无法创建临时文件 cannot create a temporary spool file in \(temporaryDirectory): \(String(cString: strerror(errno)))")
        }
        _ = fchmod(fd, 0o600)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    /// Reads the log back from the start, in order. The spool must not be appended to meanwhile.
    /// Records may be read in pieces (`byte`, `varint`, `bytes`); a chunk or block boundary may
    /// fall anywhere.
    public func makeReader() -> Reader { Reader(self) }

    public struct Reader {
        private let spool: ByteSpool
        /// The file read so far.
        private var filePosition: Int64 = 0
        /// The next memory chunk (`memorySegment`).
        private var memoryIndex = 0
        /// The block or chunk being read, and the position in it.
        private var segment = UnsafeRawBufferPointer(start: nil, count: 0)
        private var position = 0

        init(_ spool: ByteSpool) { self.spool = spool }

        /// Moves to the next block of the file, then to each memory chunk; false at the end.
        private mutating func advance() -> Bool {
            if filePosition < spool.spilledBytes {
                segment = spool.readBlock(at: filePosition)
                filePosition += Int64(segment.count)
            } else if let next = spool.memorySegment(memoryIndex) {
                segment = next
                memoryIndex += 1
            } else {
                return false
            }
            position = 0
            return true
        }

        /// The next `n` bytes, valid until the next read.
        public mutating func bytes(_ n: Int) -> UnsafeRawBufferPointer {
            if segment.count - position >= n {
                defer { position += n }
                return UnsafeRawBufferPointer(rebasing: segment[position..<(position + n)])
            }
            // The record goes on in the next block or chunk: gathered into the scratch buffer.
            let out = spool.scratch(n)
            var got = 0
            while got < n {
                if position == segment.count { precondition(advance(), "spool read past its end") }
                let k = min(n - got, segment.count - position)
                (out + got).update(from: segment.baseAddress!.assumingMemoryBound(to: UInt8.self) + position, count: k)
                got += k
                position += k
            }
            return UnsafeRawBufferPointer(start: out, count: n)
        }

        @inline(__always)
        public mutating func byte() -> UInt8 {
            if position < segment.count {
                defer { position += 1 }
                return segment[position]
            }
            return bytes(1)[0]
        }

        public mutating func varint() -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = byte()
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }

        public mutating func fixed64() -> UInt64 {
            let b = bytes(8)
            return UInt64(littleEndian: b.loadUnaligned(as: UInt64.self))
        }

        /// Whether another record follows.
        public mutating func hasMore() -> Bool {
            while position == segment.count {
                if !advance() { return false }
            }
            return true
        }
    }
}
