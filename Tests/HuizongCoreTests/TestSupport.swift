import CZlib
import Foundation
import Testing

// Shared helpers of the READ / RECONCILE / WRITE / RUN / HIERARCHY tests: temp dirs, hand-built
// rows with IDs whose check digits are computed here (independently of the product), gzip in and
// out through zlib directly (not the product's reader or writer), a small RFC 4180 parser, and the
// `aggregate` binary run as a subprocess. Expected values in the tests come from the SPEC, hand
// counts or the deliberately simple references in this file — never from the product's output.

// MARK: - Paths

enum Paths {
    /// The package root (…/Tests/HuizongCoreTests/TestSupport.swift → three levels up).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { packageRoot + "/fixtures" }
    static var shared: String { URL(fileURLWithPath: packageRoot + "/../shared").standardized.path }

    /// The `aggregate` executable: $AGGREGATE_BIN, else found beside the test bundle (walking up
    /// from it: `swift test` builds every target into the same products directory), else the
    /// package's `.build/debug`.
    static let aggregate: String? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["AGGREGATE_BIN"], fm.isExecutableFile(atPath: env) {
            return env
        }
        var starts = [Bundle.main.bundlePath, Bundle.main.executablePath ?? ""]
        if let arg0 = CommandLine.arguments.first { starts.append(arg0) }
        for start in starts where !start.isEmpty {
            var url = URL(fileURLWithPath: start).standardized
            for _ in 0..<6 {
                url.deleteLastPathComponent()
                let candidate = url.appendingPathComponent("aggregate").path
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                    return candidate
                }
            }
        }
        for p in [packageRoot + "/.build/debug/aggregate", packageRoot + "/.build/release/aggregate"]
        where fm.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }()
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

// MARK: - Temp directories and files

/// A fresh directory under the system temp dir, removed when the value goes away.
final class TempDir {
    let path: String

    init(_ label: String = "t") {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/huizong-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ rel: String) -> String { rel.hasPrefix("/") ? rel : path + "/" + rel }

    @discardableResult
    func write(_ rel: String, _ bytes: [UInt8]) -> String {
        let p = url(rel)
        let dir = (p as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    func write(_ rel: String, _ text: String) -> String { write(rel, Array(text.utf8)) }

    func read(_ rel: String) -> [UInt8] { readBytes(url(rel)) }

    func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: url(rel)) }

    func list(_ rel: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: rel.isEmpty ? path : url(rel))) ?? []).sorted()
    }

    /// Every path under the directory (relative), for "nothing was written" checks.
    func tree() -> [String] {
        var out: [String] = []
        if let e = FileManager.default.enumerator(atPath: path) {
            while let p = e.nextObject() as? String { out.append(p) }
        }
        return out.sorted()
    }
}

func readBytes(_ path: String) -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: path) else { return [] }
    return [UInt8](d)
}

/// Sets a file's modification time (as a ship step preserving mtimes would).
func setMTime(_ path: String, _ seconds: Int) {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    _ = utimensat(AT_FDCWD, path, &times, 0)
}

func mode(_ path: String) -> Int {
    var st = stat()
    guard lstat(path, &st) == 0 else { return -1 }
    return Int(st.st_mode & 0o7777)
}

/// SHA-256 by coreutils (not the product's hasher).
func sha256Hex(_ path: String) -> String {
    let r = try! runProcess("/usr/bin/env", ["sha256sum", path])
    return String(r.stdout.prefix(64))
}

/// China time (UTC+8, no DST) → Unix seconds; computed by hand from the civil date.
func chinaEpoch(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int {
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

// MARK: - Processes

struct ProcessResult {
    var status: Int32
    /// Killed by a signal (status is then the signal number).
    var signaled: Bool
    var stdout: String
    var stderr: String
}

/// Runs a program to completion; output goes through temp files (no pipe deadlocks).
func runProcess(_ exe: String, _ args: [String], cwd: String? = nil, env: [String: String] = [:],
                removeEnv: [String] = []) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var e = ProcessInfo.processInfo.environment
    for k in removeEnv { e.removeValue(forKey: k) }
    e.removeValue(forKey: "HUIZONG_TEST_KILL_AT")
    for (k, v) in env { e[k] = v }
    p.environment = e
    let tmp = FileManager.default.temporaryDirectory.path + "/huizong-proc-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: tmp + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: tmp + ".err", contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: tmp + ".out")
        try? FileManager.default.removeItem(atPath: tmp + ".err")
    }
    let out = FileHandle(forWritingAtPath: tmp + ".out")!
    let err = FileHandle(forWritingAtPath: tmp + ".err")!
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try? out.close()
    try? err.close()
    return ProcessResult(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: readBytes(tmp + ".out"), as: UTF8.self),
                         stderr: String(decoding: readBytes(tmp + ".err"), as: UTF8.self))
}

/// Runs `aggregate` with `args` in `cwd`.
func aggregate(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> ProcessResult {
    guard let bin = Paths.aggregate else {
        throw TestFailure("the aggregate executable was not found: build it (swift build) or set AGGREGATE_BIN")
    }
    return try runProcess(bin, args, cwd: cwd, env: env)
}

// MARK: - gzip through zlib (independent of the product's reader and writer)

/// One gzip member of `data` (deflate level `level`, zlib's own gzip header: mtime 0).
func gzipMember(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var s = z_stream()
    precondition(deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&s) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, uLong(data.count))) + 64)
    var produced = 0
    data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            s.avail_in = uInt(src.count)
            s.next_out = dst.baseAddress
            s.avail_out = uInt(dst.count)
            let rc = deflate(&s, Z_FINISH)
            precondition(rc == Z_STREAM_END)
            produced = dst.count - Int(s.avail_out)
        }
    }
    return Array(out[0..<produced])
}

/// A gzip member of `count` bytes repeating `pattern` (1 MiB blocks of it; `count` a whole number
/// of blocks), streamed: never holds the input.
func gzipRepeating(_ pattern: [UInt8], count: Int, level: Int32) -> [UInt8] {
    var s = z_stream()
    precondition(deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&s) }
    var block: [UInt8] = []
    while block.count < 1 << 20 { block += pattern }
    block = Array(block[0..<(1 << 20)])
    precondition(count % block.count == 0)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var out: [UInt8] = []
    var left = count
    block.withUnsafeBufferPointer { src in
        while true {
            let n = min(left, src.count)
            left -= n
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            s.avail_in = uInt(n)
            let flush = left == 0 ? Z_FINISH : Z_NO_FLUSH
            var rc: Int32 = Z_OK
            repeat {
                chunk.withUnsafeMutableBufferPointer { dst in
                    s.next_out = dst.baseAddress
                    s.avail_out = uInt(dst.count)
                    rc = deflate(&s, flush)
                    out.append(contentsOf: dst[0..<(dst.count - Int(s.avail_out))])
                }
            } while s.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END)
            if left == 0 { break }
        }
    }
    return out
}

struct GunzipResult {
    var content: [UInt8]
    /// Byte offset of each member in the compressed data.
    var memberOffsets: [Int]
}

/// Inflates every member of a gzip file; throws on truncation, corruption or trailing garbage.
func gunzipMembers(_ data: [UInt8]) throws -> GunzipResult {
    guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else { throw TestFailure("not gzip") }
    var s = z_stream()
    guard inflateInit2_(&s, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw TestFailure("inflateInit")
    }
    defer { inflateEnd(&s) }
    var out: [UInt8] = []
    var offsets = [0]
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    try data.withUnsafeBufferPointer { src in
        var pos = 0
        while true {
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress! + pos)
            s.avail_in = uInt(src.count - pos)
            var rc: Int32 = Z_OK
            while rc != Z_STREAM_END {
                try chunk.withUnsafeMutableBufferPointer { dst in
                    s.next_out = dst.baseAddress
                    s.avail_out = uInt(dst.count)
                    rc = inflate(&s, Z_NO_FLUSH)
                    if rc != Z_OK && rc != Z_STREAM_END { throw TestFailure("inflate error \(rc)") }
                    out.append(contentsOf: dst[0..<(dst.count - Int(s.avail_out))])
                    if rc == Z_OK && s.avail_in == 0 && s.avail_out != 0 { throw TestFailure("truncated gzip") }
                }
            }
            pos = src.count - Int(s.avail_in)
            if pos == src.count { break }
            offsets.append(pos)
            guard inflateReset(&s) == Z_OK else { throw TestFailure("inflateReset") }
        }
    }
    return GunzipResult(content: out, memberOffsets: offsets)
}

func gunzip(_ path: String) throws -> [UInt8] { try gunzipMembers(readBytes(path)).content }

// MARK: - Encodings

/// GB18030 bytes of `text` by Python's codec (independent of the product's iconv decoder).
func gb18030(_ text: String) throws -> [UInt8] {
    let dir = TempDir("gb")
    dir.write("in.txt", text)
    let r = try runProcess("/usr/bin/env", ["python3", "-c",
        "import sys; open(sys.argv[2],'wb').write(open(sys.argv[1],encoding='utf-8').read().encode('gb18030'))",
        dir.url("in.txt"), dir.url("out.bin")])
    guard r.status == 0 else { throw TestFailure("python3 gb18030 encode failed: \(r.stderr)") }
    return dir.read("out.bin")
}

// MARK: - IDs (ISO 7064 MOD 11-2, written here independently of the product)

enum IDs {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    static func checkChar(_ first17: String) -> Character {
        let digits = first17.map { Int(String($0))! }
        let sum = zip(digits, weights).map(*).reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    /// region (6) + birth yyyymmdd (8) + sequence (3) + check digit.
    static func make(_ region: String, _ birth: String, _ seq: Int) -> String {
        let s = String(seq + 1000).suffix(3)
        let first17 = region + birth + s
        precondition(first17.count == 17)
        return first17 + String(checkChar(first17))
    }

    /// The 18-digit form of a 15-digit legacy number: insert "19", add the check digit.
    static func upgrade(_ id15: String) -> String {
        let first17 = String(id15.prefix(6)) + "19" + String(id15.dropFirst(6))
        return first17 + String(checkChar(first17))
    }

    /// 男 when the 17th character is odd.
    static func sex(_ id: String) -> String {
        let d = Int(String(Array(id)[16]))!
        return d % 2 == 1 ? "男" : "女"
    }
}

// MARK: - Rows

/// The canonical header (SPEC 3.1), in output order.
let canonicalColumns = ["序号", "姓名", "性别", "民族", "公民身份号码", "毕业院校", "毕业日期", "学历", "所学专业",
                        "入学前户口所在地", "电子邮箱", "邮编", "手机号码", "固定电话", "困难状况", "就业地意向",
                        "就业意向", "就业服务需求", "就业去向", "更新时间", "登记单位"]
/// The discrepancy report's columns (SPEC 3.3).
let reportColumns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"]

/// One person's row, valid by construction unless a test changes a field. Values are written
/// already in canonical form (but for 更新时间's notation and an empty 登记单位), so the expected
/// output line can be built by hand.
struct Person {
    var serial = ""
    var name = "张伟"
    var sex: String
    var ethnic = "汉族"
    var id: String
    var school = "北京大学"
    var grad = "20120630"
    var edu = "3"
    var major = "法学"
    var hukou = "110105"
    var email = ""
    var postcode = ""
    var mobile = "13800138000"
    var landline = ""
    var hardship = "4"
    var workplace = "2"
    var intent = "3"
    var needs = "2"
    var dest = ""
    var time = "2012-09-01 10:00:00"
    var unit = ""

    init(_ id: String, name: String = "张伟", time: String = "2012-09-01 10:00:00") {
        self.id = id
        self.sex = id.count == 18 ? IDs.sex(id) : (Int(String(Array(id)[14]))! % 2 == 1 ? "男" : "女")
        self.name = name
        self.time = time
    }

    /// A fresh person of county `region`, the n-th of a test (distinct n → distinct IDs).
    static func number(_ n: Int, region: String = "110105", time: String = "2012-09-01 10:00:00") -> Person {
        let birth = String(format: "19%02d%02d%02d", 88 + n % 4, 1 + (n / 4) % 12, 1 + (n / 48) % 28)
        let id = IDs.make(region, birth, (n / 1344) % 1000)
        let names = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "徐强", "孙悦"]
        var p = Person(id, name: names[n % names.count], time: time)
        p.hukou = region
        return p
    }

    func value(_ column: String) -> String {
        switch column {
        case "序号": serial
        case "姓名": name
        case "性别": sex
        case "民族": ethnic
        case "公民身份号码", "公民身份证号码", "身份证号码": id
        case "毕业院校", "毕业学校": school
        case "毕业日期": grad
        case "学历": edu
        case "所学专业": major
        case "入学前户口所在地": hukou
        case "电子邮箱": email
        case "邮编": postcode
        case "手机号码", "手机": mobile
        case "固定电话": landline
        case "困难状况": hardship
        case "就业地意向": workplace
        case "就业意向": intent
        case "就业服务需求": needs
        case "就业去向", "就业去向（回访结果）", "就业去向(回访结果)": dest
        case "更新时间": time
        case "登记单位": unit
        default: ""
        }
    }

    func line(_ columns: [String] = canonicalColumns) -> String {
        csvLine(columns.map(value))
    }

    /// The expected output line without 序号 (SPEC 6's canonical line), for a row whose values
    /// are already canonical but for 更新时间 (`YYYY-MM-DD HH:MM:SS` → `…T…+08:00`) and an empty
    /// 登记单位 (→ the county).
    func canonicalLine(county: String = "110105") -> String {
        var p = self
        p.time = canonicalTime(time)
        if p.unit.isEmpty { p.unit = county }
        return csvLine(canonicalColumns.dropFirst().map(p.value))
    }

    var canonicalTimeValue: String { canonicalTime(time) }
}

/// `YYYY-MM-DD HH:MM:SS` (China time) → `YYYY-MM-DDTHH:MM:SS+08:00`; other notations unchanged.
func canonicalTime(_ t: String) -> String {
    if t.count == 19, Array(t)[10] == " " { return t.replacingOccurrences(of: " ", with: "T") + "+08:00" }
    return t
}

/// RFC 4180: quote only where needed.
func csvField(_ s: String) -> String {
    if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

func csvLine(_ cells: [String]) -> String { cells.map(csvField).joined(separator: ",") }

/// A summary file: canonical header and `people` as lines, LF endings.
func summaryText(_ people: [Person], columns: [String] = canonicalColumns) -> String {
    ([csvLine(columns)] + people.map { $0.line(columns) }).joined(separator: "\n") + "\n"
}

/// Parses one CSV line (no line breaks in fields). Written here, not the product's splitter.
func parseCSVLine(_ line: String) -> [String] {
    var cells: [String] = []
    var cur = ""
    var inQuotes = false
    var chars = Array(line)
    if chars.last == "\r" { chars.removeLast() }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if inQuotes {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 } else { inQuotes = false }
            } else {
                cur.append(c)
            }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            cells.append(cur)
            cur = ""
        } else {
            cur.append(c)
        }
        i += 1
    }
    cells.append(cur)
    return cells
}

// MARK: - Outputs of a run

/// What a run wrote into its output directory, decoded by the helpers above.
struct RunOutputs {
    var dir: String
    var stem: String
    var summaryBytes: [UInt8]
    var summaryLines: [String]
    var reportHeader: [String]
    var report: [[String: String]]
    var reportRawLines: [String]
    var manifest: [String: Any]
    /// The temp dir the files are in, kept alive as long as these outputs are.
    var keepAlive: TempDir?

    init(dir: String, stem: String, keepAlive: TempDir? = nil) throws {
        self.keepAlive = keepAlive
        self.dir = dir
        self.stem = stem
        summaryBytes = try gunzip(dir + "/\(stem).csv.gz")
        let text = String(decoding: summaryBytes, as: UTF8.self)
        summaryLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if summaryLines.last == "" { summaryLines.removeLast() }
        let rep = String(decoding: try gunzip(dir + "/\(stem).discrepancies.csv.gz"), as: UTF8.self)
        var lines = rep.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        reportHeader = lines.first.map(parseCSVLine) ?? []
        reportRawLines = Array(lines.dropFirst())
        let header = reportHeader
        report = reportRawLines.map { l in
            var d: [String: String] = [:]
            for (k, v) in zip(header, parseCSVLine(l)) { d[k] = v }
            return d
        }
        let m = try JSONSerialization.jsonObject(with: Data(readBytes(dir + "/\(stem).manifest.json")))
        guard let obj = m as? [String: Any] else { throw TestFailure("manifest is not an object") }
        manifest = obj
    }

    /// Data rows of the summary as cells (序号 included).
    var rows: [[String]] { summaryLines.dropFirst().map(parseCSVLine) }
    /// Data rows without 序号, as lines.
    var canonicalLines: [String] { rows.map { csvLine(Array($0.dropFirst())) } }
    var ids: [String] { rows.map { $0[4] } }
    /// ID → 更新时间.
    var times: [String: String] { Dictionary(uniqueKeysWithValues: rows.map { ($0[4], $0[19]) }) }

    func findings(_ rule: String) -> [[String: String]] { report.filter { $0["规则"] == rule } }

    /// (来源文件, 行号, 规则) of every report row.
    var triples: Set<String> { Set(report.map { "\($0["来源文件"] ?? ""):\($0["行号"] ?? ""):\($0["规则"] ?? "")" }) }

    var inputs: [[String: Any]] { manifest["inputs"] as? [[String: Any]] ?? [] }
    func input(_ file: String) -> [String: Any]? { inputs.first { $0["file"] as? String == file } }
    var accounting: [String: Int] { (manifest["accounting"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int } }
    var children: [String: [String]] { (manifest["children"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String] } }
}

func int(_ v: Any?) -> Int? { v as? Int }

/// Counts of one manifest input entry.
func counts(_ entry: [String: Any]?) -> [String: Int] {
    var out: [String: Int] = [:]
    for k in ["linesRead", "blank", "rejected", "merged", "superseded", "duplicate"] { out[k] = entry?[k] as? Int }
    return out
}

// MARK: - A county run on hand-written files

let defaultAsOf = "2012-10-04T12:00:00+08:00"

struct CountyRun {
    var result: ProcessResult
    var out: RunOutputs?
    var dir: TempDir
    var outDir: String
}

/// Writes `files` (name → bytes) into a fresh dir's `in/`, runs `aggregate run --unit U --period P
/// --out out --as-of …` on them (in the given order) and decodes the outputs.
func countyRun(_ files: [(String, [UInt8])], unit: String = "110105", period: String = "2012-09",
               asOf: String = defaultAsOf, extra: [String] = [], env: [String: String] = [:],
               dir: TempDir = TempDir("run")) throws -> CountyRun {
    var args = ["run", "--unit", unit, "--period", period, "--out", "out", "--as-of", asOf] + extra
    for (name, bytes) in files {
        dir.write("in/" + name, bytes)
        args.append("in/" + name)
    }
    let r = try aggregate(args, cwd: dir.path, env: env)
    let stem = "\(unit)-\(period)"
    let outDir = dir.url("out")
    let out = FileManager.default.fileExists(atPath: outDir + "/\(stem).manifest.json")
        ? try RunOutputs(dir: outDir, stem: stem, keepAlive: dir) : nil
    return CountyRun(result: r, out: out, dir: dir, outDir: outDir)
}

func countyRun(texts: [(String, String)], unit: String = "110105", period: String = "2012-09",
               asOf: String = defaultAsOf, extra: [String] = []) throws -> CountyRun {
    try countyRun(texts.map { ($0.0, Array($0.1.utf8)) }, unit: unit, period: period, asOf: asOf, extra: extra)
}

/// The outputs of a run that must have written them.
func require(_ run: CountyRun, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunOutputs {
    #expect(run.result.status == status && !run.result.signaled,
            "exit \(run.result.status), stderr: \(run.result.stderr)", sourceLocation: sourceLocation)
    guard let out = run.out else {
        throw TestFailure("no outputs written; exit \(run.result.status); stderr: \(run.result.stderr)")
    }
    return out
}

// MARK: - Seeded randomness (SplitMix64)

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - A pipeline.json hierarchy in a temp dir

/// A small hierarchy run with `--config` in its own directory (layout data/{unit}/{inbox,outbox}/{period}).
final class Pipeline {
    struct Unit: Sendable {
        var code: String
        var name: String
        var level: String
        var parent: String?
    }

    static let defaultUnits: [Unit] = [
        Unit(code: "000000", name: "人力资源社会保障部", level: "ministry", parent: nil),
        Unit(code: "110000", name: "北京市", level: "province", parent: "000000"),
        Unit(code: "110100", name: "北京市市辖区", level: "city", parent: "110000"),
        Unit(code: "110105", name: "朝阳区", level: "county", parent: "110100"),
        Unit(code: "110108", name: "海淀区", level: "county", parent: "110100"),
        Unit(code: "110112", name: "通州区", level: "county", parent: "110100"),
        Unit(code: "120000", name: "天津市", level: "province", parent: "000000"),
        Unit(code: "120100", name: "天津市市辖区", level: "city", parent: "120000"),
        Unit(code: "120101", name: "和平区", level: "county", parent: "120100"),
    ]

    /// Shipped on time for period 2012-09 (2012-10-03 12:00 China time).
    static let onTime = chinaEpoch(2012, 10, 3, 12)

    let dir: TempDir
    let units: [Unit]

    init(units: [Unit] = Pipeline.defaultUnits, deadlineDay: String = "5", dir: TempDir = TempDir("pipe")) {
        self.dir = dir
        self.units = units
        let list = units.map { u in
            "    {\"code\": \"\(u.code)\", \"name\": \"\(u.name)\", \"level\": \"\(u.level)\"" +
                (u.parent.map { ", \"parent\": \"\($0)\"" } ?? "") + "}"
        }.joined(separator: ",\n")
        dir.write("pipeline.json", """
        {
          "cohort": 2012,
          "graduationWindow": {"from": "2012-01-01", "to": "2012-12-31"},
          "reporting": {"firstPeriod": "2012-08", "lastPeriod": "2013-06", "deadlineDay": \(deadlineDay)},
          "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "data/{unit}/outbox/{period}"},
          "units": [
        \(list)
          ]
        }
        """)
    }

    func inbox(_ unit: String, _ period: String) -> String { "data/\(unit)/inbox/\(period)" }
    func outbox(_ unit: String, _ period: String) -> String { "data/\(unit)/outbox/\(period)" }

    /// An intake batch in a county's inbox.
    @discardableResult
    func batch(_ unit: String, _ period: String, _ name: String, _ people: [Person]) -> String {
        dir.write(inbox(unit, period) + "/" + name, summaryText(people))
    }

    func run(_ unit: String, _ period: String, asOf: String = defaultAsOf, env: [String: String] = [:],
             extra: [String] = []) throws -> ProcessResult {
        try aggregate(["run", "--config", "pipeline.json", "--unit", unit, "--period", period, "--as-of", asOf] + extra,
                      cwd: dir.path, env: env)
    }

    func outputs(_ unit: String, _ period: String) throws -> RunOutputs {
        try RunOutputs(dir: dir.url(outbox(unit, period)), stem: "\(unit)-\(period)", keepAlive: dir)
    }

    /// Copies a child's three output files into its parent's inbox with modification time `mtime`
    /// (as the monthly transfer does, preserving times).
    func ship(_ child: String, _ period: String, mtime: Int = Pipeline.onTime) {
        guard let parent = units.first(where: { $0.code == child })?.parent else { return }
        let from = dir.url(outbox(child, period))
        let to = dir.url(inbox(parent, period))
        try? FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
        for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
            let name = "\(child)-\(period)\(suffix)"
            try? FileManager.default.removeItem(atPath: to + "/" + name)
            try! FileManager.default.copyItem(atPath: from + "/" + name, toPath: to + "/" + name)
            setMTime(to + "/" + name, mtime)
        }
    }

    /// Runs a county on its inbox and ships its outputs up; the run must succeed.
    func county(_ unit: String, _ period: String, _ people: [Person], asOf: String = defaultAsOf,
                ship shipIt: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        batch(unit, period, "intake.csv", people)
        let r = try run(unit, period, asOf: asOf)
        #expect(r.status == 0, "county \(unit) \(period): exit \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        if shipIt { ship(unit, period) }
    }
}

/// Reads and rewrites a JSON file (a child's manifest) through `edit`.
func editJSON(_ path: String, _ edit: (inout [String: Any]) -> Void) {
    var obj = (try! JSONSerialization.jsonObject(with: Data(readBytes(path)))) as! [String: Any]
    edit(&obj)
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
    let mtime = fileMTime(path)
    _ = FileManager.default.createFile(atPath: path, contents: data)
    setMTime(path, mtime)
}

func fileMTime(_ path: String) -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return Int(st.st_mtim.tv_sec)
}
