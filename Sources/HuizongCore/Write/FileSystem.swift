#if canImport(Glibc)
import Glibc
#endif

/// The few questions the run asks of a path, and `mkdir -p` with owner-only folders (SPEC 7:
/// directories 0700). One place for them, instead of a `stat()` by hand at each use.
public enum FileSystem {
    /// Whether `path` names something (symlinks followed).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether `path` names something itself (a dangling symlink counts).
    public static func existsWithoutFollowing(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Whether `path` is a directory (symlinks followed).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Modification time in Unix seconds; nil when `path` cannot be stat'ed.
    public static func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec)
    }

    /// Creates `path` and its missing parents with mode 0700, whatever the umask; existing
    /// directories are kept as they are. Throws when `path` exists and is not a directory.
    public static func makeDirectories(_ path: String) throws(OutputError) {
        if path.isEmpty || path == "/" || path == "." { return }
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .io("不是目录 not a directory: \(path)") }
            return
        }
        let (parent, _) = AtomicOutputDirectory.split(path)
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw .io("无法创建目录 cannot create directory \(path): \(String(cString: strerror(errno)))")
        }
        _ = chmod(path, 0o700)
    }
}
