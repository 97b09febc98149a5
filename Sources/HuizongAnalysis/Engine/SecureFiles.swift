import HuizongCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SPEC 7 (Confidential): every file this module writes — the database, reports, worklists — is
/// created readable by its owner only (0600) and every directory it creates is 0700. Files are
/// written whole into a temporary sibling and renamed into place, so a reader never sees half.
public enum SecureFiles {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Makes the process umask 077: whatever else gets created (SQLite's -wal/-shm files,
    /// temporary files) is owner-only too. Called by the commands before they touch the disk.
    public static func restrictUmask() {
        _ = umask(0o077)
    }

    /// Creates `path` and its missing parents with mode 0700 (existing directories are kept).
    public static func makeDirectory(_ path: String) throws {
        do { try FileSystem.makeDirectories(path) } catch { throw Failure(description: error.description) }
    }

    public static func parentDirectory(of path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// Creates an empty file with mode 0600 if none exists (a database about to be opened).
    public static func createEmptyIfMissing(_ path: String) throws {
        try makeDirectory(parentDirectory(of: path))
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            _ = fchmod(fd, 0o600)
            close(fd)
        } else if errno != EEXIST {
            throw Failure(description: "无法创建文件 cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `bytes` to `path` (0600) atomically for readers: temporary sibling, then rename.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try makeDirectory(parentDirectory(of: path))
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure(description: "无法写入 cannot write \(tmp): \(String(cString: strerror(errno)))")
        }
        _ = fchmod(fd, 0o600)
        let ok = bytes.withUnsafeBytes { OutputFile.writeAll(fd, $0) }
        // No fsync: readers see the whole old file or the whole new one (rename); what these
        // files hold can be written again from the database.
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(description: "无法写入 cannot write \(path): \(why)")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// The permission bits of a file (tests, checks).
    public static func mode(of path: String) -> UInt32? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt32(st.st_mode & 0o777)
    }
}

extension SecureFiles {
    /// A file written in pieces (large worklists, finding lists): created 0600 as a temporary
    /// sibling, renamed into place by `close()`; dropped without `close()`, it leaves nothing.
    public final class Writer {
        public let path: String
        private let tmp: String
        private var fd: Int32
        private var buffer: [UInt8] = []

        public init(path: String) throws {
            try SecureFiles.makeDirectory(SecureFiles.parentDirectory(of: path))
            self.path = path
            tmp = path + ".tmp-\(getpid())"
            fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw Failure(description: "无法写入 cannot write \(tmp): \(String(cString: strerror(errno)))")
            }
            _ = fchmod(fd, 0o600)
            buffer.reserveCapacity(1 << 16)
        }

        deinit {
            if fd >= 0 {
                Glibc.close(fd)
                unlink(tmp)
            }
        }

        public func write(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }

        public func write(bytes: [UInt8]) throws {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { try flush() }
        }

        private func flush() throws {
            let ok = buffer.withUnsafeBytes { OutputFile.writeAll(fd, $0) }
            buffer.removeAll(keepingCapacity: true)
            if !ok { throw Failure(description: "无法写入 cannot write \(path): \(String(cString: strerror(errno)))") }
        }

        public func close() throws {
            try flush()
            Glibc.close(fd)
            fd = -1
            guard rename(tmp, path) == 0 else {
                unlink(tmp)
                throw Failure(description: "无法写入 cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
