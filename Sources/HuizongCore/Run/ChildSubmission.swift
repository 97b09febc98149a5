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
        let sha = try forEachRow(path: path) { (line, finder) throws(FileRejection) in
            rows += 1
            if !isOwn(finder: finder, child: child, config: config) { foreign += 1 }
        }
        return ReportCheck(sha256: sha, rows: rows, foreignRows: foreign)
    }

    /// Calls `body` with each non-blank row of a discrepancy report (the raw line and its
    /// 发现单位); returns the file's sha256. Throws when the file is not a well-formed report.
    static func forEachRow(path: String,
                           _ body: (UnsafeBufferPointer<UInt8>, String) throws(FileRejection) -> Void) throws(FileRejection) -> String {
        let file = try InputFile(path: path)
        let lines = LineReader(source: try DecompressedStream(file: file))
        var first = true
        var bytes: [UInt8] = []
        var cells: [Range<Int>] = []
        let columns = DiscrepancyReportWriter.columns.count
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
                try body(l, String(decoding: bytes[cells[0]], as: UTF8.self))
            }
        }
    }

    /// Carries a verified child's report into `report` (SPEC 3.3: rows unchanged), leaving out
    /// foreign rows and adding one REPORT_FOREIGN flag for them. The file is read again and must
    /// still be the one verified (`expectedSHA`); if it changed in between the run stops (exit 1)
    /// rather than publish rows that were never checked.
    static func carry(reportPath: String, expectedSHA: String, child: String, runningUnit: String,
                      config: PipelineConfig?, into report: DiscrepancyReportWriter,
                      counts: inout [String: [String: Int]]) throws {
        var foreign = 0
        var bytes: [UInt8] = []
        var cells: [Range<Int>] = []
        var writeError: Error?
        var localCounts = counts
        let sha: String
        do {
            sha = try forEachRow(path: reportPath) { (line, finder) throws(FileRejection) in
                guard writeError == nil else { return }
                guard isOwn(finder: finder, child: child, config: config) else { foreign += 1; return }
                do { try report.appendCarried(line) } catch { writeError = error; return }
                bytes.removeAll(keepingCapacity: true)
                cells.removeAll(keepingCapacity: true)
                if CSVLineSplitter.split(line, bytes: &bytes, cells: &cells), cells.count >= 8 {
                    let rule = String(decoding: bytes[cells[7]], as: UTF8.self)
                    localCounts[finder, default: [:]][rule, default: 0] += 1
                }
            }
        } catch {
            throw OutputError.io("下级\(child)的差错报告在读取期间被修改，请重新运行 child \(child)'s discrepancy report changed while the run read it; run again: \(error.detail)")
        }
        if let writeError { throw writeError }
        guard sha == expectedSHA.lowercased() else {
            throw OutputError.io("下级\(child)的差错报告在读取期间被修改，请重新运行 child \(child)'s discrepancy report changed while the run read it; run again")
        }
        counts = localCounts
        if foreign > 0 {
            let name = AtomicOutputDirectory.split(reportPath).1
            try report.append(Finding(rule: .reportForeign, line: nil,
                                      detail: "下级\(child)的差错报告中有\(foreign)行的发现单位不是\(child)或其下级，未转报 \(foreign) rows of \(child)'s report were found by a unit that is neither \(child) nor under it; not carried"),
                              finder: runningUnit, sourceUnit: child, sourceFile: name)
        }
    }
}
