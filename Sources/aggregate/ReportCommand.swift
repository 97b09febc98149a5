import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate report`: the two offline HTML reports people open — the monthly analysis and the
/// auditors' report — from the database.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "写出月度分析和审核报告（独立的HTML）。 Write the monthly analysis and the auditors' report as self-contained HTML.",
        discussion: """
        写出DIR/U-P.analysis.html、DIR/U-P.audit.html和问题清单DIR/U-P.audit-findings.csv/.xlsx；\
        每个问题只列一次、只计一次（docs/audit-totals.md），明细先列拒收、再列待核，提示只计数（--with-info列出）；\
        --per-county另外为每个区县写出其自己的审核页和问题清单（DIR/counties/<代码>/）。未载入的期别是错误。 \
        Writes DIR/U-P.analysis.html (distributions, employment-rate trend across the loaded \
        periods, follow-up results, per child unit, worklist sizes), DIR/U-P.audit.html (reject \
        and flag counts per rule and per unit, each finding counted once at the lowest level that \
        found it, and a drill-down listing exactly the findings counted: rejects, then flags, info \
        as counts unless --with-info), and every finding as DIR/U-P.audit-findings.csv \
        (for people: UTF-8 with a BOM, CRLF, formula starts prefixed with ') and \
        DIR/U-P.audit-findings.xlsx (IDs as text, no formulas). No network, \
        no script: inline CSS and SVG. IDs are masked in the middle unless --unmasked; contact \
        values never appear. Files 0600, directory 0700.
        """
    )

    @Option(help: "SQLite数据库文件，或 postgres://user@host[:port]/dbname（默认：HUIZONG_DB） the SQLite database file, or a PostgreSQL URL (default: HUIZONG_DB).") var db: String?
    @Option(help: "期别，YYYY-MM the period, YYYY-MM.") var period: String
    @Option(help: "报告其所辖范围的单位（默认000000：全部已载入） the unit whose subtree is reported (default 000000: everything loaded).") var unit: String = "000000"
    @Option(help: "输出目录 output directory.") var out: String
    @Option(help: "pipeline.json：单位名称与层级 unit names and the hierarchy.") var config: String?
    @Flag(help: "显示完整的公民身份号码 show citizen IDs in full.") var unmasked = false
    @Option(name: .customLong("stale-days"), help: "回访天数阈值（名单人数） follow-up threshold in days (worklist sizes).") var staleDays: Int = 30
    @Option(name: .customLong("as-of"), help: "参照时间（默认：清单的asOf） reference time (default: the manifests' asOf).") var asOf: String?
    @Option(name: .customLong("max-findings"), help: "HTML明细最多列出的问题数（CSV和XLSX中有全部） most findings in the HTML drill-down (all are in the CSV and XLSX).") var maxFindings: Int = 20_000
    @Flag(name: .customLong("with-info"), help: "在HTML明细中也列出提示（去重与更新），而不只计数 list info findings (dedup and updates) in the HTML drill-down too, not only their counts.") var withInfo = false
    @Flag(name: .customLong("per-county"), help: "另外为每个区县写出其审核页和问题清单（DIR/counties/<代码>/） also write each county's own audit page and findings files under DIR/counties/<code>/.") var perCounty = false
    @OptionGroup var logging: LoggingOptions

    func fail(_ m: String) -> ExitCode { Console.fail(m) }

    func run() throws {
        logging.start("report", phaseProgress: true)
        defer { Console.finishProgress() }
        SecureFiles.restrictUmask()
        let args = try AnalysisArguments.resolve(period: period, asOf: asOf, db: db, config: config, fail: fail)
        let p = args.period, reference = args.asOf, pipeline = args.config
        do {
            let database = try AnalysisDatabase.open(args.location, readOnly: true)
            try args.requireLoaded(database, unit: unit, fail: fail)
            let w = try ReportWriter.write(database: database, unit: unit, period: p, config: pipeline, to: out,
                                           options: .init(unmasked: unmasked, staleDays: staleDays, asOf: reference,
                                                          maxFindings: maxFindings, includeInfo: withInfo, perCounty: perCounty))
            print("\(w.analysis)\n\(w.audit)\n\(w.findingsCSV)\n\(w.findingsXLSX)")
            for c in w.perCounty { print("\(c.html)\n\(c.csv)\n\(c.xlsx)") }
            Console.info(w.totals.line + (w.perCounty.isEmpty ? "" : "；区县 counties \(w.perCounty.count)"))
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
