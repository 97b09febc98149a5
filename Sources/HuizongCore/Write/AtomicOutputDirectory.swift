import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CHuizongSystem

/// The output directory of a run for unit U and period P (SPEC 7): the three files are written
/// into a fresh sibling directory, flushed, and swapped with the real one in one step
/// (`renameat2(RENAME_EXCHANGE)`, or a plain rename where none existed), so readers see the whole
/// old set or the whole new set, and a crash or kill leaves the previous outputs untouched.
public final class AtomicOutputDirectory {
    /// The directory readers see.
    public let target: String
    /// Where this run writes (hidden sibling of `target`).
    public let staging: String
    private var committed = false

    /// Creates the staging directory (0700). Stale staging directories left by killed runs of the
    /// same unit and period are removed first (the caller holds the run lock).
    public init(target: String) throws {
        self.target = Self.stripTrailingSlash(target)
        let (parent, name) = Self.split(self.target)
        try FileSystem.makeDirectories(parent)
        for stale in Self.listDirectory(parent) where stale.hasPrefix(".\(name).staging-") || stale.hasPrefix(".\(name).old-") {
            Self.removeTree(parent + "/" + stale)
        }
        staging = parent + "/.\(name).staging-\(getpid())"
        if mkdir(staging, 0o700) != 0 {
            throw OutputError.io("无法创建目录 cannot create \(staging): \(String(cString: strerror(errno)))")
        }
        chmod(staging, 0o700)
    }

    public func path(_ file: String) -> String { staging + "/" + file }

    /// Flushes the staging directory and swaps it in. The previous set, if any, is removed after.
    public func commit() throws {
        let dirfd = open(staging, O_RDONLY | O_DIRECTORY)
        if dirfd >= 0 { fsync(dirfd); Glibc.close(dirfd) }
        var st = stat()
        if lstat(target, &st) == 0 {
            if huizong_rename_exchange(staging, target) != 0 {
                throw OutputError.io("无法替换输出目录 cannot swap \(target): \(String(cString: strerror(errno)))")
            }
            TestHook.reached("swapped")
            // `staging` now holds the previous outputs.
            let (parent, name) = Self.split(target)
            let old = parent + "/.\(name).old-\(getpid())"
            if rename(staging, old) == 0 { Self.removeTree(old) } else { Self.removeTree(staging) }
        } else {
            if rename(staging, target) != 0 {
                throw OutputError.io("无法发布输出目录 cannot rename into \(target): \(String(cString: strerror(errno)))")
            }
            TestHook.reached("swapped")
        }
        let (parent, _) = Self.split(target)
        let pfd = open(parent, O_RDONLY | O_DIRECTORY)
        if pfd >= 0 { fsync(pfd); Glibc.close(pfd) }
        committed = true
    }

    /// Removes the staging directory when the run fails before committing.
    public func abandon() {
        if !committed { Self.removeTree(staging) }
    }

    // MARK: - small filesystem helpers

    static func stripTrailingSlash(_ p: String) -> String {
        var p = p
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// (parent, last component).
    public static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    public static func listDirectory(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in listDirectory(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

/// Test-only stopping points: when HUIZONG_TEST_KILL_AT names a point, the process kills itself
/// there with SIGKILL (crash-safety tests stop a run at each step without relying on timing).
public enum TestHook {
    private static let point: String? = {
        guard let p = getenv("HUIZONG_TEST_KILL_AT") else { return nil }
        return String(cString: p)
    }()

    /// Who hears of each point (the CLI's `--verbose` times a run's phases); the library never prints.
    private static let listener = PhaseListener()

    /// Every point reached from now on is passed to `observer` (nil: nobody).
    public static func observe(_ observer: (@Sendable (String) -> Void)?) { listener.set(observer) }

    public static func reached(_ name: String) {
        listener.get()?(name)
        if let point, point == name { kill(getpid(), SIGKILL) }
    }
}

/// The phase observer of `TestHook`, behind a lock (points are reached on several threads).
final class PhaseListener: @unchecked Sendable {
    private let lock = NSLock()
    private var observer: (@Sendable (String) -> Void)?
    func set(_ o: (@Sendable (String) -> Void)?) { lock.lock(); observer = o; lock.unlock() }
    func get() -> (@Sendable (String) -> Void)? { lock.lock(); defer { lock.unlock() }; return observer }
}
