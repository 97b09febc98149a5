#if canImport(Glibc)
import Glibc
#endif
import CHuizongSystem

/// Two runs for the same unit and period never interleave (SPEC 7): an advisory `flock` on a lock
/// file beside the output directory. The kernel drops the lock when the process dies, so a
/// killed run never leaves a stale lock (the file may stay; it means nothing without the lock).
public final class RunLock {
    private var fd: Int32 = -1
    public let path: String

    public enum Failure: Error { case held, io(String) }

    /// Takes the lock for `outputDirectory`, or throws `.held` when another run has it.
    public init(outputDirectory: String) throws(Failure) {
        let dir = AtomicOutputDirectory.stripTrailingSlash(outputDirectory)
        let (parent, name) = AtomicOutputDirectory.split(dir)
        do { try AtomicOutputDirectory.makeDirectories(parent) } catch { throw .io("\(error)") }
        path = parent + "/.\(name).lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw .io("无法创建锁文件 cannot create lock \(path): \(String(cString: strerror(errno)))") }
        if huizong_flock_exclusive_nb(fd) != 0 {
            let e = errno
            Glibc.close(fd)
            fd = -1
            if e == EWOULDBLOCK { throw .held }
            throw .io("flock: \(String(cString: strerror(e)))")
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }
}
