#if canImport(Glibc)
import Glibc
#endif
import CHuizongSystem

/// Two runs for the same unit and period never interleave (SPEC 7): an advisory `flock` on a lock
/// file beside the output directory. The kernel drops the lock when the process dies, so a
/// killed run never leaves a stale lock (the file may stay; it means nothing without the lock).
/// The holder writes who it is (`U P`) into the file, so a refused run can say which run holds
/// the directory — not always its own unit, when two units were pointed at one `--out`.
public final class RunLock {
    private var fd: Int32 = -1
    public let path: String

    public enum Failure: Error {
        /// Held by another run; its `U P` as it wrote it (nil if it had not yet).
        case held(String?)
        case io(String)
    }

    /// Takes the lock for `outputDirectory`, or throws `.held` when another run has it.
    public init(outputDirectory: String, holder: String = "") throws(Failure) {
        let dir = AtomicOutputDirectory.stripTrailingSlash(outputDirectory)
        let (parent, name) = AtomicOutputDirectory.split(dir)
        do { try FileSystem.makeDirectories(parent) } catch { throw .io(error.description) }
        path = parent + "/.\(name).lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        if fd < 0 { throw .io("无法创建锁文件 cannot create lock \(PrintableText.escaped(path)): \(String(cString: strerror(errno)))") }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            Glibc.close(fd)
            fd = -1
            throw .io("锁文件不是普通文件 the lock \(PrintableText.escaped(path)) is not a regular file")
        }
        if huizong_flock_exclusive_nb(fd) != 0 {
            let e = errno
            let who = Self.readHolder(fd)
            Glibc.close(fd)
            fd = -1
            if e == EWOULDBLOCK { throw .held(who) }
            throw .io("flock: \(String(cString: strerror(e)))")
        }
        if !holder.isEmpty {
            let text = Array((holder + "\n").utf8)
            _ = ftruncate(fd, 0)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    static func readHolder(_ fd: Int32) -> String? {
        var buf = [UInt8](repeating: 0, count: 64)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buf[0..<n], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? nil : PrintableText.escaped(text)
    }

    /// The message of a refused run (exit 3): the holder as it wrote itself.
    public static func heldMessage(holder: String?, outputDirectory: String) -> String {
        let dir = PrintableText.escaped(outputDirectory)
        guard let holder else {
            return "另一个运行正在使用输出目录\(dir) another run holds the output directory \(dir)"
        }
        return "另一个运行（\(holder)）正在使用输出目录\(dir) another run (\(holder)) holds the output directory \(dir)"
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }
}
