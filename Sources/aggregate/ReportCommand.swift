import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate report`: the two offline HTML reports people open — the monthly analysis and the
/// auditors' report — from the database.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the monthly analysis and the auditors' report as self-contained HTML.",
        discussion: """
        Writes DIR/U-P.analysis.html (distributions, employment-rate trend across the loaded \
        periods, follow-up results, per child unit, worklist sizes), DIR/U-P.audit.html (reject \
        and flag counts per rule and per unit, each finding counted once at the lowest level that \
        found it, and a drill-down of every finding), and every finding as DIR/U-P.audit-findings.csv \
        (for people: UTF-8 with a BOM, CRLF, formula starts prefixed with ') and \
        DIR/U-P.audit-findings.xlsx (IDs as text, no formulas). No network, \
        no script: inline CSS and SVG. IDs are masked in the middle unless --unmasked; contact \
        values never appear. Files 0600, directory 0700.
        """
    )

    @Option(help: "The SQLite database file, or postgres://user@host[:port]/dbname (default: HUIZONG_DB).") var db: String?
    @Option(help: "The period, YYYY-MM.") var period: String
    @Option(help: "The unit whose subtree is reported (default 000000: everything loaded).") var unit: String = "000000"
    @Option(help: "Output directory.") var out: String
    @Option(help: "pipeline.json: unit names and the hierarchy.") var config: String?
    @Flag(help: "Show citizen IDs in full.") var unmasked = false
    @Option(name: .customLong("stale-days"), help: "Follow-up threshold in days (worklist sizes).") var staleDays: Int = 30
    @Option(name: .customLong("as-of"), help: "Reference time (default: the manifests' asOf).") var asOf: String?
    @Option(name: .customLong("max-findings"), help: "Most findings in the HTML drill-down (all are in the CSV and XLSX).") var maxFindings: Int = 20_000

    func fail(_ m: String) -> ExitCode {
        FileHandle.standardError.write(Data("aggregate report: \(m)\n".utf8))
        return ExitCode(1)
    }

    func run() throws {
        SecureFiles.restrictUmask()
        let args = try AnalysisArguments.resolve(period: period, asOf: asOf, db: db, config: config, fail: fail)
        let p = args.period, reference = args.asOf, pipeline = args.config
        do {
            guard case .sqlite(let path) = args.location else {
                throw fail("report暂仅支持SQLite数据库 report reads a SQLite database for now; on PostgreSQL use stats")
            }
            let database = try NationalDatabase(path: path, readOnly: true)
            let w = try ReportWriter.write(database: database, unit: unit, period: p, config: pipeline, to: out,
                                           options: .init(unmasked: unmasked, staleDays: staleDays, asOf: reference,
                                                          maxFindings: maxFindings))
            if w.stats.submissions.isEmpty {
                FileHandle.standardError.write(Data("aggregate report: 注意 \(unit) \(p) 无已载入的数据 nothing loaded covers \(unit) for \(p)\n".utf8))
            }
            print("\(w.analysis)\n\(w.audit)\n\(w.findingsCSV)\n\(w.findingsXLSX)")
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
