#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// A file on disk read sequentially in large chunks, hashing every byte it hands out (the
/// manifest's `sha256` is of the file as stored, compressed or not).
public final class InputFile {
    public let path: String
    public private(set) var size: Int64 = 0
    public private(set) var modificationTime: Int64 = 0
    private var fd: Int32
    private var hasher = SHA256()
    private var finished = false

    public init(path: String) throws(FileRejection) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw FileRejection(.fileUnreadable, "无法打开 cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            fd = -1
            throw FileRejection(.fileUnreadable, "不是普通文件 not a regular file: \(path)")
        }
        size = Int64(st.st_size)
        modificationTime = Int64(st.st_mtim.tv_sec)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        if finished { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileRejection(.fileUnreadable, "读取失败 read error in \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { finished = true }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return n
        }
    }

    /// Reads whatever is left (so the hash covers the whole file) and returns the hex SHA-256.
    public func finishHash() -> String? {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        do {
            while try read(into: chunk) > 0 {}
        } catch {
            return nil
        }
        return Self.hex(hasher.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of a whole file, hex; nil when unreadable.
    public static func sha256(ofFileAt path: String) -> String? {
        guard let f = try? InputFile(path: path) else { return nil }
        return f.finishHash()
    }
}
