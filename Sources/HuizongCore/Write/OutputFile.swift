#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// A file the tool writes: created owner-only (0600, SPEC 7), buffered, hashed as written,
/// flushed to disk (fsync) before it is closed.
public final class OutputFile {
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    public private(set) var bytesWritten = 0

    public init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw OutputError.io("无法创建 cannot create \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flushBuffer() }
    }

    public func write(_ s: String) throws { try write(Array(s.utf8)) }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        guard buffer.withUnsafeBytes({ Self.writeAll(fd, $0) }) else {
            throw OutputError.io("写入失败 write failed \(path): \(String(cString: strerror(errno)))")
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte to `fd`, retrying on EINTR and short writes; false on error (errno set).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// Flushes, fsyncs and closes; returns the file's SHA-256 (hex).
    @discardableResult
    public func close() throws -> String {
        try flushBuffer()
        if fsync(fd) != 0 { throw OutputError.io("fsync失败 fsync failed \(path)") }
        Glibc.close(fd)
        fd = -1
        return InputFile.hex(hasher.finalize())
    }
}

public enum OutputError: Error, CustomStringConvertible {
    case io(String)
    public var description: String {
        switch self { case .io(let s): s }
    }
}
