#if canImport(Glibc)
import Glibc
#endif

/// The output directory is the run's alone (SPEC 7, 8.5). Before anything is written — and again
/// just before the swap — a run refuses when its output directory
/// - exists but is not a directory (a file, a symbolic link, a FIFO: the swap would replace it),
/// - holds anything other than this unit and period's three outputs (a stray file is never
///   swapped away: it is named, and the run stops),
/// - is, or contains, U's inbox or the folder of any input file, compared as resolved real paths
///   (an output directory beside or below the inputs' folder is fine).
public enum OutputDirectoryGuard {
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// The three names a run for `unit` and `period` writes.
    public static func outputNames(unit: String, period: String) -> Set<String> {
        ["\(unit)-\(period).csv.gz", "\(unit)-\(period).discrepancies.csv.gz", "\(unit)-\(period).manifest.json"]
    }

    /// Checks `outputDirectory` for a run of `unit` and `period` whose inputs are `inputFiles` and
    /// whose inbox (with `--config`) is `inbox`. Throws the reason to refuse; writes nothing.
    public static func check(outputDirectory: String, unit: String, period: String,
                             inbox: String?, inputFiles: [String]) throws(Refusal) {
        let out = AtomicOutputDirectory.stripTrailingSlash(outputDirectory)
        let shown = PrintableText.escaped(out)
        var st = stat()
        if lstat(out, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw Refusal(message: "输出目录\(shown)是符号链接，请直接给出真实目录 the output directory \(shown) is a symbolic link (the swap would replace the link); give the real directory")
            }
            if kind != S_IFDIR {
                throw Refusal(message: "输出路径\(shown)已存在且不是目录，未做任何改动 the output path \(shown) exists and is not a directory; nothing was changed")
            }
            let allowed = outputNames(unit: unit, period: period)
            var stray: [String] = []
            for name in AtomicOutputDirectory.listDirectory(out) {
                var est = stat()
                let isFile = lstat(out + "/" + name, &est) == 0 && (est.st_mode & S_IFMT) == S_IFREG
                if !allowed.contains(name) || !isFile { stray.append(name) }
            }
            if !stray.isEmpty {
                let list = stray.prefix(20).map(PrintableText.escaped).joined(separator: ", ")
                    + (stray.count > 20 ? " …(+\(stray.count - 20))" : "")
                throw Refusal(message: "输出目录\(shown)中有不属于\(unit) \(period)本次输出的文件，未做任何改动；请移走后重试 the output directory \(shown) holds files that are not \(unit) \(period)'s outputs, so nothing was written or removed; move them away and run again: \(list)")
            }
        }
        // Is, or contains, the inbox or an input's folder (real paths).
        guard let outReal = resolvedPath(out) else { return }
        var protected: [(String, String)] = []
        if let inbox, let real = realPath(inbox) { protected.append((real, "收件箱 the inbox \(PrintableText.escaped(inbox))")) }
        for f in inputFiles {
            let folder = AtomicOutputDirectory.split(f).0
            if let real = realPath(folder) {
                protected.append((real, "输入文件所在目录 the folder of input \(PrintableText.escaped(f))"))
            }
        }
        for (real, what) in protected where real == outReal || isUnder(real, outReal) {
            throw Refusal(message: "输出目录\(shown)是或包含\(what)：交换会移走输入，未做任何改动 the output directory \(shown) is or contains \(what); the swap would take the inputs away, so nothing was written. Give another --out (beside or below the inputs is fine)")
        }
    }

    /// Whether `path` lies strictly under `dir` (both absolute, normalised).
    static func isUnder(_ path: String, _ dir: String) -> Bool {
        if dir == "/" { return path != "/" }
        return path.hasPrefix(dir + "/")
    }

    /// realpath(3) of an existing path.
    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// The real path of `p`, or — when it does not exist yet — the real path of its nearest
    /// existing ancestor with the remaining components appended (normalised).
    static func resolvedPath(_ p: String) -> String? {
        if let r = realPath(p) { return r }
        var rest: [String] = []
        var cur = p
        while true {
            let (parent, name) = AtomicOutputDirectory.split(cur)
            rest.insert(name, at: 0)
            if let r = realPath(parent) {
                var comps = r.split(separator: "/").map(String.init)
                for c in rest {
                    if c == "." || c.isEmpty { continue }
                    if c == ".." { if !comps.isEmpty { comps.removeLast() }; continue }
                    comps.append(c)
                }
                return "/" + comps.joined(separator: "/")
            }
            if parent == cur || parent == "." || parent == "/" { return nil }
            cur = parent
        }
    }
}
