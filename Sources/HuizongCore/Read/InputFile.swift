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

    /// What the file was when opened (SPEC 8.5: a file that changes while it is read is rejected).
    private var opened = stat()
    /// Set once the file was found changed: every later read fails the same way.
    private var changed: FileRejection?

    /// Opens a regular file for reading. A FIFO, socket or device is refused at once
    /// (`FILE_UNREADABLE`, SPEC 8.5): the open never blocks (O_NONBLOCK), and the kind is checked
    /// on the descriptor itself before a byte is read.
    public init(path: String) throws(FileRejection) {
        self.path = path
        let shown = PrintableText.escaped(path)
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            throw FileRejection(.fileUnreadable, "无法打开 cannot open \(shown): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            fd = -1
            throw FileRejection(.fileUnreadable, "不是普通文件（管道、套接字或设备），未读取 not a regular file (a FIFO, socket or device); not read: \(shown)")
        }
        // Regular files ignore O_NONBLOCK; clear it all the same.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        opened = st
        size = Int64(st.st_size)
        modificationTime = Int64(st.st_mtim.tv_sec)
    }

    public static let changedWhileReading = "读取期间文件被修改，请重新报送 changed while being read; send it again"

    /// At the end of the file: its size, modification time and inode (by its path) must be those
    /// it had when opened.
    private func checkUnchanged() throws(FileRejection) {
        var now = stat(), byPath = stat()
        let same = fstat(fd, &now) == 0 && stat(path, &byPath) == 0
            && now.st_size == opened.st_size
            && now.st_mtim.tv_sec == opened.st_mtim.tv_sec && now.st_mtim.tv_nsec == opened.st_mtim.tv_nsec
            && byPath.st_ino == opened.st_ino && byPath.st_dev == opened.st_dev
        if !same {
            let why = FileRejection(.fileUnreadable, "\(Self.changedWhileReading): \(PrintableText.escaped(path))")
            changed = why
            throw why
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        if let changed { throw changed }
        if finished { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileRejection(.fileUnreadable, "读取失败 read error in \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                finished = true
                try checkUnchanged()
            }
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

    /// A small file read whole through the same checks (regular file, never blocks, unchanged
    /// while read), up to `limit` bytes: a child's manifest. Larger is `FILE_UNREADABLE`.
    public static func contents(ofFileAt path: String, limit: Int) throws(FileRejection) -> [UInt8] {
        let f = try InputFile(path: path)
        guard f.size <= Int64(limit) else {
            throw FileRejection(.fileUnreadable, "文件过大（超过\(limit)字节） larger than \(limit) bytes: \(PrintableText.escaped(path))")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(f.size))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try f.read(into: chunk)
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            guard out.count <= limit else {
                throw FileRejection(.fileUnreadable, "文件过大（超过\(limit)字节） larger than \(limit) bytes: \(PrintableText.escaped(path))")
            }
        }
        return out
    }

    /// SHA-256 of a whole file, hex; nil when unreadable.
    public static func sha256(ofFileAt path: String) -> String? {
        guard let f = try? InputFile(path: path) else { return nil }
        return f.finishHash()
    }
}
