import Foundation
import Testing

// MARK: - Outputs of a run

/// What a run wrote into its output directory, decoded by the helpers above.
public struct RunOutputs {
    public var dir: String
    public var stem: String
    public var summaryBytes: [UInt8]
    public var summaryLines: [String]
    public var reportHeader: [String]
    public var report: [[String: String]]
    public var reportRawLines: [String]
    public var manifest: [String: Any]
    /// The temp dir the files are in, kept alive as long as these outputs are.
    public var keepAlive: TempDir?

    public init(dir: String, stem: String, keepAlive: TempDir? = nil) throws {
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
    public var rows: [[String]] { summaryLines.dropFirst().map(parseCSVLine) }
    /// Data rows without 序号, as lines.
    public var canonicalLines: [String] { rows.map { csvLine(Array($0.dropFirst())) } }
    public var ids: [String] { rows.map { $0[4] } }
    /// ID → 更新时间.
    public var times: [String: String] { Dictionary(uniqueKeysWithValues: rows.map { ($0[4], $0[19]) }) }

    public func findings(_ rule: String) -> [[String: String]] { report.filter { $0["规则"] == rule } }

    /// (来源文件, 行号, 规则) of every report row.
    public var triples: Set<String> { Set(report.map { "\($0["来源文件"] ?? ""):\($0["行号"] ?? ""):\($0["规则"] ?? "")" }) }

    public var inputs: [[String: Any]] { manifest["inputs"] as? [[String: Any]] ?? [] }
    public func input(_ file: String) -> [String: Any]? { inputs.first { $0["file"] as? String == file } }
    public var accounting: [String: Int] { (manifest["accounting"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int } }
    public var children: [String: [String]] { (manifest["children"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String] } }
}

public func int(_ v: Any?) -> Int? { v as? Int }

/// Counts of one manifest input entry.
public func counts(_ entry: [String: Any]?) -> [String: Int] {
    var out: [String: Int] = [:]
    for k in ["linesRead", "blank", "rejected", "merged", "superseded", "duplicate"] { out[k] = entry?[k] as? Int }
    return out
}

// MARK: - A county run on hand-written files

public let defaultAsOf = "2012-10-04T12:00:00+08:00"

public struct CountyRun {
    public var result: ProcessResult
    public var out: RunOutputs?
    public var dir: TempDir
    public var outDir: String
}

/// Writes `files` (name → bytes) into a fresh dir's `in/`, runs `aggregate run --unit U --period P
/// --out out --as-of …` on them (in the given order) and decodes the outputs.
public func countyRun(_ files: [(String, [UInt8])], unit: String = "110105", period: String = "2012-09",
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

public func countyRun(texts: [(String, String)], unit: String = "110105", period: String = "2012-09",
               asOf: String = defaultAsOf, extra: [String] = []) throws -> CountyRun {
    try countyRun(texts.map { ($0.0, Array($0.1.utf8)) }, unit: unit, period: period, asOf: asOf, extra: extra)
}

/// The outputs of a run that must have written them.
public func require(_ run: CountyRun, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunOutputs {
    #expect(run.result.status == status && !run.result.signaled,
            "exit \(run.result.status), stderr: \(run.result.stderr)", sourceLocation: sourceLocation)
    guard let out = run.out else {
        throw TestFailure("no outputs written; exit \(run.result.status); stderr: \(run.result.stderr)")
    }
    return out
}
