import Foundation

/// A child's submission in its parent's inbox (SPEC 3.2, 8.5): `C-P.csv.gz`, its discrepancy
/// report `C-P.discrepancies.csv.gz` and its manifest `C-P.manifest.json`, side by side.
///
/// One child never stops the others: whatever is wrong with a submission — a manifest naming
/// another file, a missing, unreadable or malformed report, a report that does not match the
/// manifest — rejects that child's data file (`FILE_MANIFEST_MISMATCH` or the matching FILE_
/// code), and the run goes on. No path from a manifest is ever opened: the names are fixed by the
/// child's code and the period, in the inbox folder the data file is in.
///
/// Carried findings stay the child's: report rows whose 发现单位 is neither the child nor a unit
/// under it are not carried; one `REPORT_FOREIGN` flag on the report file says how many.
public enum ChildSubmission {
    /// A manifest is small (a national one lists a few thousand inputs); more is refused.
    public static let manifestLimit = 64 << 20

    public enum ManifestRead {
        case missing
        /// Unreadable, not a regular file, too large, or a key written twice.
        case rejected(FileRejection)
        case bytes(Data)
    }

    /// Reads a child's manifest without following it anywhere: a regular file, never blocking
    /// on a FIFO, at most `manifestLimit` bytes.
    public static func readManifest(_ path: String) -> ManifestRead {
        var st = stat()
        if lstat(path, &st) != 0 && errno == ENOENT { return .missing }
        let bytes: [UInt8]
        do {
            bytes = try InputFile.contents(ofFileAt: path, limit: manifestLimit)
        } catch {
            return .rejected(FileRejection(error.rule, "清单 manifest: " + error.detail))
        }
        // Two values for one key: parsers disagree on which counts, so neither does.
        if let dup = JSONDuplicateKeys.first(in: bytes) {
            return .rejected(FileRejection(.fileManifestMismatch, "清单中键重复 the manifest has a duplicate key \"\(PrintableText.escaped(dup))\""))
        }
        return .bytes(Data(bytes))
    }

    public static func summaryName(child: String, period: String) -> String { "\(child)-\(period).csv.gz" }
    public static func reportName(child: String, period: String) -> String { "\(child)-\(period).discrepancies.csv.gz" }

    /// What a verified report holds.
    public struct ReportCheck: Sendable, Equatable {
        public var sha256: String
        public var rows: Int
        public var foreignRows: Int
    }

    /// Checks the names the manifest gives and the child's report against it (after the manifest
    /// itself was read and its unit and period checked). nil = the submission is whole.
    public static func checkFiles(manifest m: Manifest, dataPath: String, child: String, period: String,
                                  config: PipelineConfig?) -> FileRejection? {
        let (dir, dataName) = AtomicOutputDirectory.split(dataPath)
        let wantSummary = summaryName(child: child, period: period)
        let wantReport = reportName(child: child, period: period)
        let summaryFile = m.outputs?.summary?.file ?? ""
        guard dataName == wantSummary, summaryFile == wantSummary else {
            return FileRejection(.fileManifestMismatch,
                                 "清单所列数据文件须为\(wantSummary)，实为“\(PrintableText.escaped(summaryFile))” the manifest must name the data file \(wantSummary) (it names “\(PrintableText.escaped(summaryFile))”, the file is \(PrintableText.escaped(dataName)))")
        }
        let disc = m.outputs?.discrepancies
        let discFile = disc?.file ?? ""
        guard discFile == wantReport else {
            return FileRejection(.fileManifestMismatch,
                                 "清单所列差错报告须为\(wantReport)，实为“\(PrintableText.escaped(discFile))” the manifest must name the discrepancy report \(wantReport) in the same folder (it names “\(PrintableText.escaped(discFile))”)")
        }
        guard let wantSHA = disc?.sha256?.lowercased(), let wantRows = disc?.rows else {
            return FileRejection(.fileManifestMismatch, "清单缺少差错报告的sha256或rows the manifest lacks outputs.discrepancies.sha256 or rows")
        }
        let path = dir + "/" + wantReport
        if !FileSystem.existsWithoutFollowing(path) {
            return FileRejection(.fileManifestMismatch, "缺少差错报告 missing discrepancy report \(wantReport)")
        }
        let check: ReportCheck
        do {
            check = try verifyReport(path: path, child: child, config: config)
        } catch {
            // A report that is not the one the manifest hashed is a mismatch, whatever else the
            // change broke (as for the data file); the reader's code stands for the report the
            // manifest does describe (or one that cannot be read at all).
            if let sha = InputFile.sha256(ofFileAt: path), sha != wantSHA {
                return FileRejection(.fileManifestMismatch, "差错报告sha256与清单不符 discrepancy report sha256 differs from the manifest")
            }
            return FileRejection(error.rule, "差错报告 discrepancy report \(wantReport): " + error.detail)
        }
        guard check.sha256 == wantSHA else {
            return FileRejection(.fileManifestMismatch, "差错报告sha256与清单不符 discrepancy report sha256 differs from the manifest")
        }
        guard check.rows == wantRows else {
            return FileRejection(.fileManifestMismatch, "差错报告行数\(check.rows)与清单\(wantRows)不符 discrepancy report has \(check.rows) rows, the manifest says \(wantRows)")
        }
        return nil
    }

    /// Whether a report row found by `finder` may be carried up from `child`.
    static func isOwn(finder: String, child: String, config: PipelineConfig?) -> Bool {
        if finder == child { return true }
        guard let config, finder.count == 6 else { return false }
        return config.isAtOrUnder(finder, child)
    }

    /// Reads a child's report through: header, every row well formed, rows counted, foreign rows
    /// counted, sha256 of the file as stored.
    public static func verifyReport(path: String, child: String, config: PipelineConfig?) throws(FileRejection) -> ReportCheck {
        var rows = 0, foreign = 0
        let sha = try forEachRow(path: path, child: child, config: config) { (_, own, _, _) throws(FileRejection) in
            rows += 1
            if !own { foreign += 1 }
        }
        return ReportCheck(sha256: sha, rows: rows, foreignRows: foreign)
    }

    /// Calls `body` with each non-blank row of a discrepancy report: the raw line, whether its
    /// 发现单位 is the child or under it (`isOwn`), and the 发现单位 and 规则 as text; returns the
    /// file's sha256. Throws when the file is not a well-formed report. Per row only the split
    /// is paid: the 发现单位 (and whether it is the child's) is worked out again only when it
    /// changes from the row before (a report's rows come in long runs of one finder), and a rule
    /// name is made once per distinct rule.
    static func forEachRow(path: String, child: String, config: PipelineConfig?,
                           _ body: (UnsafeBufferPointer<UInt8>, Bool, String, String) throws(FileRejection) -> Void) throws(FileRejection) -> String {
        let file = try InputFile(path: path)
        let lines = LineReader(source: try DecompressedStream(file: file))
        var first = true
        var bytes: [UInt8] = []
        var cells: [Range<Int>] = []
        let columns = DiscrepancyReportWriter.columns.count
        var finderBytes: [UInt8] = [], finder = "", own = false
        var rules: [(bytes: [UInt8], name: String)] = []
        while true {
            switch try lines.next() {
            case .end:
                if first { throw FileRejection(.fileEmpty, "空文件 empty") }
                guard let sha = file.finishHash() else { throw FileRejection(.fileUnreadable, "读取失败 read error") }
                return sha
            case .tooLong:
                throw FileRejection(.fileManifestMismatch, "第\(lines.lineNumber)行过长 line \(lines.lineNumber) is too long")
            case .line(let l):
                if first {
                    first = false
                    guard l.elementsEqual(DiscrepancyReportWriter.headerLine.utf8) else {
                        throw FileRejection(.fileManifestMismatch, "表头不是差错报告的列 the header is not the discrepancy report's (SPEC 3.3)")
                    }
                    continue
                }
                if CSVLineSplitter.isBlank(l) { continue }
                bytes.removeAll(keepingCapacity: true)
                cells.removeAll(keepingCapacity: true)
                guard CSVLineSplitter.split(l, bytes: &bytes, cells: &cells), cells.count == columns else {
                    throw FileRejection(.fileManifestMismatch, "第\(lines.lineNumber)行格式不符 line \(lines.lineNumber) is not a report row of \(columns) columns")
                }
                let f = bytes[cells[0]], r = bytes[cells[7]]
                if !f.elementsEqual(finderBytes) {
                    finderBytes = Array(f)
                    finder = String(decoding: f, as: UTF8.self)
                    own = isOwn(finder: finder, child: child, config: config)
                }
                let rule: String
                if let known = rules.first(where: { $0.bytes.elementsEqual(r) }) {
                    rule = known.name
                } else {
                    rule = String(decoding: r, as: UTF8.self)
                    rules.append((Array(r), rule))
                }
                try body(l, own, finder, rule)
            }
        }
    }

    /// A verified child's report read again for carrying (SPEC 3.3: rows unchanged): the rows
    /// found by the child or a unit under it, in order, in a spool; their counts by finder and
    /// rule; and how many foreign rows were left out. Read on a worker thread
    /// (`ChildReportRollUp`), written by the run's thread.
    struct CarriedRows: @unchecked Sendable {  // the spool is handed whole from the worker to the run's thread
        let child: String
        let reportName: String
        /// Each row as a varint length and its bytes.
        let rows: ByteSpool
        let counts: [String: [String: Int]]
        let foreign: Int
    }

    /// Reads `reportPath` again; it must still be the file verified (`expectedSHA`): if it
    /// changed in between the run stops (exit 1) rather than publish rows that were never checked.
    static func readCarried(reportPath: String, expectedSHA: String, child: String,
                            config: PipelineConfig?) throws(OutputError) -> CarriedRows {
        var foreign = 0
        var counts: [String: [String: Int]] = [:]
        let rows = ByteSpool(memoryLimit: FileBatch.findingMemoryLimit)
        let sha: String
        do {
            sha = try forEachRow(path: reportPath, child: child, config: config) { (line, own, finder, rule) throws(FileRejection) in
                guard own else { foreign += 1; return }
                rows.appendVarint(UInt64(line.count))
                rows.append(UnsafeRawBufferPointer(line))
                counts[finder, default: [:]][rule, default: 0] += 1
            }
        } catch {
            throw OutputError.io("下级\(child)的差错报告在读取期间被修改，请重新运行 child \(child)'s discrepancy report changed while the run read it; run again: \(error.detail)")
        }
        guard sha == expectedSHA.lowercased() else {
            throw OutputError.io("下级\(child)的差错报告在读取期间被修改，请重新运行 child \(child)'s discrepancy report changed while the run read it; run again")
        }
        return CarriedRows(child: child, reportName: AtomicOutputDirectory.split(reportPath).1, rows: rows,
                           counts: counts, foreign: foreign)
    }

    /// Writes carried rows into `report`, and one REPORT_FOREIGN flag when rows were left out.
    static func write(_ c: CarriedRows, runningUnit: String, into report: DiscrepancyReportWriter) throws {
        var r = c.rows.makeReader()
        while r.hasMore() {
            let n = Int(r.varint())
            try report.appendCarried(r.bytes(n).assumingMemoryBound(to: UInt8.self))
        }
        if c.foreign > 0 {
            let child = c.child, foreign = c.foreign
            try report.append(Finding(rule: .reportForeign, line: nil,
                                      detail: "下级\(child)的差错报告中有\(foreign)行的发现单位不是\(child)或其下级，未转报 \(foreign) rows of \(child)'s report were found by a unit that is neither \(child) nor under it; not carried"),
                              finder: runningUnit, sourceUnit: child, sourceFile: c.reportName)
        }
    }
}
