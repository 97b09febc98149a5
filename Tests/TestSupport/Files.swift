import Foundation

// MARK: - Temp directories and files

/// A fresh directory under the system temp dir, removed when the value goes away.
public final class TempDir {
    public let path: String

    public init(_ label: String = "t") {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/huizong-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func url(_ rel: String) -> String { rel.hasPrefix("/") ? rel : path + "/" + rel }

    @discardableResult
    public func write(_ rel: String, _ bytes: [UInt8]) -> String {
        let p = url(rel)
        let dir = (p as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    public func write(_ rel: String, _ text: String) -> String { write(rel, Array(text.utf8)) }

    public func read(_ rel: String) -> [UInt8] { readBytes(url(rel)) }

    public func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: url(rel)) }

    public func list(_ rel: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: rel.isEmpty ? path : url(rel))) ?? []).sorted()
    }

    /// Every path under the directory (relative), for "nothing was written" checks.
    public func tree() -> [String] {
        var out: [String] = []
        if let e = FileManager.default.enumerator(atPath: path) {
            while let p = e.nextObject() as? String { out.append(p) }
        }
        return out.sorted()
    }
}

public func readBytes(_ path: String) -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: path) else { return [] }
    return [UInt8](d)
}

/// Sets a file's modification time (as a ship step preserving mtimes would).
public func setMTime(_ path: String, _ seconds: Int) {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    _ = utimensat(AT_FDCWD, path, &times, 0)
}

public func mode(_ path: String) -> Int {
    var st = stat()
    guard lstat(path, &st) == 0 else { return -1 }
    return Int(st.st_mode & 0o7777)
}

/// SHA-256 by coreutils (not the product's hasher).
public func sha256Hex(_ path: String) -> String {
    let r = try! runProcess("/usr/bin/env", ["sha256sum", path])
    return String(r.stdout.prefix(64))
}

/// China time (UTC+8, no DST) → Unix seconds; computed by hand from the civil date.
public func chinaEpoch(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int {
    // Days from civil (Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = (mo + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return days * 86400 + h * 3600 + mi * 60 + s - 8 * 3600
}

/// Reads and rewrites a JSON file (a child's manifest) through `edit`, keeping its modification time.
public func editJSON(_ path: String, _ edit: (inout [String: Any]) -> Void) {
    var obj = (try! JSONSerialization.jsonObject(with: Data(readBytes(path)))) as! [String: Any]
    edit(&obj)
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
    let mtime = fileMTime(path)
    _ = FileManager.default.createFile(atPath: path, contents: data)
    setMTime(path, mtime)
}

public func fileMTime(_ path: String) -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return Int(st.st_mtim.tv_sec)
}

/// A fresh directory under the system temp dir, for tests that remove it themselves (`defer { removeTree(dir) }`).
public func makeTempDir() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/huizong-analysis-XXXXXX").utf8CString)
    guard let p = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    return String(cString: p)
}

public func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
