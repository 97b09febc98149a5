#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only log of bytes, read back once in order: held in memory up to `memoryLimit`
/// bytes, then spilled to a temporary file (created 0600 and unlinked at once, so it vanishes with
/// the process and no other user can open it). This is how a file's rows and findings wait for
/// the end of the file (SPEC 3.1: a file rejected whole merges nothing, even the rows read before
/// the problem) without memory growing with the file (SPEC 8.5: memory grows with distinct IDs
/// only, findings spill to a temporary file when they are many).
///
/// Appending copies into a reused buffer; the only system calls are one `write` per
/// `memoryLimit` bytes. Not thread-safe: one thread at a time (a reader thread fills it, the
/// merge thread replays it).
public final class ByteSpool {
    public let memoryLimit: Int
    /// Bytes not yet spilled, at a hand-managed buffer (an Array property of a class is checked
    /// for exclusive access on every append; this is the per-line path of a file's findings).
    /// The spool makes room (spills or grows) before every write, so the writer's own bound is
    /// never the one that stops it.
    private var memory: ByteWriter
    /// The temporary file, once spilled (-1 before).
    private var fd: Int32 = -1
    /// Bytes in the temporary file.
    public private(set) var spilledBytes: Int64 = 0
    /// Every byte appended.
    public var count: Int64 { spilledBytes + Int64(used) }
    /// Bytes in memory.
    fileprivate var used: Int { memory.count }

    public init(memoryLimit: Int) {
        self.memoryLimit = max(memoryLimit, 64)
        memory = Self.buffer(capacity: min(self.memoryLimit, 1 << 12))
    }

    deinit {
        memory.base.deallocate()
        if fd >= 0 { close(fd) }
    }

    private static func buffer(capacity: Int) -> ByteWriter {
        ByteWriter(.allocate(capacity: capacity), capacity: capacity)
    }

    /// Drops everything (memory and file).
    public func removeAll() {
        memory.base.deallocate()
        memory = Self.buffer(capacity: min(memoryLimit, 1 << 12))
        if fd >= 0 { close(fd) }
        fd = -1
        spilledBytes = 0
    }

    /// Room for `n` more bytes: spills when the memory limit would be passed, grows otherwise.
    @inline(__always)
    private func reserve(_ n: Int) {
        if used + n > memory.capacity { makeRoom(n) }
    }

    private func makeRoom(_ n: Int) {
        if used + n > memoryLimit && used > 0 { spill() }
        if used + n > memory.capacity {
            var c = memory.capacity
            while c < used + n { c *= 2 }
            var grown = Self.buffer(capacity: c)
            grown.append(UnsafeBufferPointer(start: memory.base, count: used))
            memory.base.deallocate()
            memory = grown
        }
    }

    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        memory.append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        memory.append(byte)
    }

    @inline(__always)
    public func appendVarint(_ value: UInt64) {
        reserve(10)
        memory.appendVarint(value)
    }

    @inline(__always)
    public func appendFixed64(_ value: UInt64) {
        reserve(8)
        memory.appendFixed64(value)
    }

    /// The bytes not yet spilled.
    fileprivate var memoryTail: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: memory.base, count: used) }

    /// Writes the buffer to the temporary file (created on first use).
    private func spill() {
        if fd < 0 { fd = Self.makeTemporaryFile() }
        var done = 0
        while done < used {
            let n = write(fd, memory.base + done, used - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                fatalError("临时文件写入失败 cannot write the temporary spool file: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        spilledBytes += Int64(used)
        memory.count = 0
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
    /// Records may be read in pieces (`byte`, `varint`, `bytes`); a spill may fall anywhere.
    public func makeReader() -> Reader { Reader(self) }

    public struct Reader {
        private let spool: ByteSpool
        private var filePosition: Int64 = 0
        /// Bytes of the file read ahead, then the in-memory tail.
        private var chunk: [UInt8] = []
        private var chunkPosition = 0
        private var inMemory = false
        private var memoryPosition = 0

        init(_ spool: ByteSpool) {
            self.spool = spool
            if spool.spilledBytes == 0 { inMemory = true }
        }

        /// Refills from the file; switches to the in-memory tail after the file's end.
        private mutating func refill() {
            if chunkPosition == chunk.count { chunk.removeAll(keepingCapacity: true) } else { chunk.removeSubrange(0..<chunkPosition) }
            chunkPosition = 0
            let want = min(Int64(1 << 20), spool.spilledBytes - filePosition)
            guard want > 0 else { return }
            let old = chunk.count
            chunk.append(contentsOf: repeatElement(0, count: Int(want)))
            var got = 0
            chunk.withUnsafeMutableBytes { raw in
                while got < Int(want) {
                    let n = pread(spool.fd, raw.baseAddress! + old + got, Int(want) - got, off_t(filePosition) + off_t(got))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        fatalError("临时文件读取失败 cannot read the temporary spool file: \(String(cString: strerror(errno)))")
                    }
                    got += n
                }
            }
            filePosition += Int64(want)
        }

        /// Whether `n` more bytes can be read; sets up the source that holds them. A record may
        /// straddle the end of the file and the in-memory tail (a spill can fall inside a record):
        /// its missing bytes are then copied from memory onto the chunk.
        private mutating func ensure(_ n: Int) -> Bool {
            if inMemory { return memoryPosition + n <= spool.used }
            while chunk.count - chunkPosition < n && filePosition < spool.spilledBytes { refill() }
            let left = chunk.count - chunkPosition
            if left >= n { return true }
            if left == 0 {
                inMemory = true
                chunk = []
                return memoryPosition + n <= spool.used
            }
            let missing = n - left
            guard memoryPosition + missing <= spool.used else { return false }
            chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: spool.memoryTail[memoryPosition..<(memoryPosition + missing)]))
            memoryPosition += missing
            return true
        }

        /// The next `n` bytes, valid until the next read.
        public mutating func bytes(_ n: Int) -> UnsafeRawBufferPointer {
            precondition(ensure(n), "spool read past its end")
            if inMemory {
                defer { memoryPosition += n }
                return UnsafeRawBufferPointer(rebasing: spool.memoryTail[memoryPosition..<(memoryPosition + n)])
            }
            defer { chunkPosition += n }
            return chunk.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[chunkPosition..<(chunkPosition + n)]) }
        }

        public mutating func byte() -> UInt8 { bytes(1)[0] }

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
        public mutating func hasMore() -> Bool { ensure(1) }
    }
}
