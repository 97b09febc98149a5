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

    @OptionGroup var analysis: AnalysisOptions
    @Option(help: "输出目录 output directory.") var out: String
    @Flag(help: "显示完整的公民身份号码 show citizen IDs in full.") var unmasked = false
    @Option(name: .customLong("max-findings"), help: "HTML明细最多列出的问题数（CSV和XLSX中有全部） most findings in the HTML drill-down (all are in the CSV and XLSX).") var maxFindings: Int = 20_000
    @Flag(name: .customLong("with-info"), help: "在HTML明细中也列出提示（去重与更新），而不只计数 list info findings (dedup and updates) in the HTML drill-down too, not only their counts.") var withInfo = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start("report", phaseProgress: true)
        defer { Console.finishProgress() }
        SecureFiles.restrictUmask()
        let unit = analysis.subtree.unit.description, p = analysis.subtree.period
        let (database, pipeline) = try analysis.subtree.openLoaded()
        try Console.failing {
            let w = try ReportWriter.write(database: database, unit: unit, period: p, config: pipeline, to: out,
                                           options: .init(unmasked: unmasked, staleDays: analysis.staleDays, asOf: analysis.asOf?.seconds,
                                                          maxFindings: maxFindings, includeInfo: withInfo, perCounty: analysis.perCounty))
            print("\(w.analysis)\n\(w.audit)\n\(w.findingsCSV)\n\(w.findingsXLSX)")
            for c in w.perCounty { print("\(c.html)\n\(c.csv)\n\(c.xlsx)") }
            Console.info(w.totals.line + (w.perCounty.isEmpty ? "" : "；区县 counties \(w.perCounty.count)"))
        }
    }
}
