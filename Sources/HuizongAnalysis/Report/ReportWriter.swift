import HuizongCore

/// Writes the two HTML reports of `aggregate report` for a unit and period into a directory
/// (0700): `U-P.analysis.html`, `U-P.audit.html`, and every finding of the drill-down, masked
/// like the report, as `U-P.audit-findings.csv` (a CSV for people, SPEC 8.3) and
/// `U-P.audit-findings.xlsx` (readme, findings, counts per rule and per unit), and with
/// `perCounty` each county's own audit page and lists under `counties/<code>/`. Every count and
/// list reads the same table of findings (docs/audit-totals.md). Files are 0600, written whole
/// then renamed.
public enum ReportWriter {
    public struct Options: Sendable {
        public var unmasked = false
        public var staleDays = 30
        public var asOf: Int64?
        public var topMajors = 20
        public var maxFindings = 20_000
        /// List info findings (dedup and updates) in the HTML drill-down too, not only as counts.
        public var includeInfo = false
        /// Also write each county's own audit page and findings files under DIR/counties/<code>/.
        public var perCounty = false

        public init(unmasked: Bool = false, staleDays: Int = 30, asOf: Int64? = nil, topMajors: Int = 20, maxFindings: Int = 20_000,
                    includeInfo: Bool = false, perCounty: Bool = false) {
            self.includeInfo = includeInfo
            self.perCounty = perCounty
            self.unmasked = unmasked
            self.staleDays = staleDays
            self.asOf = asOf
            self.topMajors = topMajors
            self.maxFindings = maxFindings
        }
    }

    public struct Written: Sendable {
        public var analysis: String
        public var audit: String
        public var findingsCSV: String
        public var findingsXLSX: String
        public var stats: MonthlyStats
        public var findings: Int
        public var totals: AuditTotals
        /// With `perCounty`: each county's page and lists.
        public var perCounty: [AuditWritten]
    }

    public static func write(database: NationalDatabase, unit: String, period: Period, config: PipelineConfig?,
                             to dir: String, options: Options = Options()) throws -> Written {
        try write(database: .sqlite(database), unit: unit, period: period, config: config, to: dir, options: options)
    }

    /// The same on either engine (the same files from the same loads).
    public static func write(database: AnalysisDatabase, unit: String, period: Period, config: PipelineConfig?,
                             to dir: String, options: Options = Options()) throws -> Written {
        try SecureFiles.makeDirectory(dir)
        let base = dir + "/\(unit)-\(period)"
        return try database.analyse { db in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(db, config: config))
            let stats = try MonthlyStats.compute(db, scope: scope, period: period, asOf: options.asOf, topMajors: options.topMajors)
            let counties = try Worklists.counts(db, scope: scope, period: period,
                                                asOf: ChinaTime.parseAsOf(stats.asOf) ?? period.endInstant, staleDays: options.staleDays)
            let completeness = try TreeCompleteness.compute(db, scope: scope, period: period.description)
            try SecureFiles.write(AnalysisReportHTML.render(stats, worklistCounts: counties, staleDays: options.staleDays,
                                                            completeness: completeness),
                                  to: base + ".analysis.html")
            TestHook.reached("report: analysis written")
            // Near-duplicate candidates read once for U; each county's page shows its own share.
            let nearDuplicates = try NearDuplicates.compute(db, scope: scope, period: period)
            let audit = try writeAudit(db, scope: scope, period: period, asOf: stats.asOf, to: dir, options: options,
                                       nearDuplicates: nearDuplicates)
            TestHook.reached("report: audit written")
            var perCounty: [AuditWritten] = []
            if options.perCounty {
                // The counties of the subtree that have a finding (or are configured under U): each
                // office gets its own page and list, computed by the same definition for its scope.
                var codes = Set(try AuditFindings.countiesWithFindings(db))
                if let config { codes.formUnion(config.counties(atOrUnder: unit).map { String(format: "%06d", $0) }) }
                let narrowing = try AuditFindings.keepForNarrowing(db, scope: scope, period: period)
                for code in codes.sorted() where code != unit {
                    TestHook.reached("report: county \(code)")
                    let sub = AnalysisScope(unit: code, directory: scope.directory)
                    perCounty.append(try writeAudit(db, scope: sub, period: period, asOf: stats.asOf,
                                                    to: dir + "/counties/" + code, options: options,
                                                    nearDuplicates: nearDuplicates.scoped(to: code, directory: scope.directory),
                                                    narrowing: narrowing))
                }
            }
            return Written(analysis: base + ".analysis.html", audit: audit.html, findingsCSV: audit.csv,
                           findingsXLSX: audit.xlsx, stats: stats, findings: audit.totals.findings,
                           totals: audit.totals, perCounty: perCounty)
        }
    }

    /// One audit page and its findings files, for one scope.
    public struct AuditWritten: Sendable {
        public var unit: String
        public var html: String
        public var csv: String
        public var xlsx: String
        public var totals: AuditTotals
    }

    /// The audit totals, by the one definition of docs/audit-totals.md (each finding once).
    public struct AuditTotals: Sendable, Equatable {
        public var findings: Int
        public var reject: Int
        public var flag: Int
        public var info: Int
        /// Report rows behind them (re-raised by higher levels, or reported twice at one level).
        public var reportRows: Int
    }

    static func writeAudit(_ db: SQLSession, scope: AnalysisScope, period: Period, asOf: String, to dir: String,
                           options: Options, nearDuplicates: NearDuplicates,
                           narrowing: AuditFindings.Narrowing? = nil) throws -> AuditWritten {
        try SecureFiles.makeDirectory(dir)
        let stem = "\(scope.unit)-\(period)"
        let csvName = stem + ".audit-findings.csv", xlsxName = stem + ".audit-findings.xlsx"
        let audit = try AuditFindings.compute(db, scope: scope, period: period, narrowing: narrowing)
        let total = try AuditFindings.drillDownCount(db)
        let listed = try AuditFindings.drillDownCount(db, includeInfo: options.includeInfo)
        var shown: [AuditFindings.Finding] = []
        let csv = try PeopleCSVWriter(path: dir + "/" + csvName, header: AuditReportHTML.findingsColumns)
        let book = try findingsWorkbook(path: dir + "/" + xlsxName, audit: audit, asOf: asOf, total: total,
                                        unmasked: options.unmasked)
        try AuditFindings.drillDown(db) { f in
            if shown.count < options.maxFindings && (options.includeInfo || f.severity != "info") { shown.append(f) }
            let row = AuditReportHTML.findingsRow(f, unmasked: options.unmasked)
            try csv.write(row)
            try book.findings.write(row)
        }
        try csv.close()
        try book.writer.close()
        let html = AuditReportHTML.render(audit, findings: shown, totalFindings: listed,
                                          options: .init(unmasked: options.unmasked, maxFindings: options.maxFindings,
                                                         findingsCSVName: csvName, includeInfo: options.includeInfo),
                                          nearDuplicates: nearDuplicates)
        let htmlPath = dir + "/" + stem + ".audit.html"
        try SecureFiles.write(html, to: htmlPath)
        return AuditWritten(unit: scope.unit, html: htmlPath, csv: dir + "/" + csvName, xlsx: dir + "/" + xlsxName,
                            totals: audit.totals)
    }

    /// The finding list as a workbook: 说明 (readme), 明细 (the findings, filled by the caller),
    /// 按规则 and 按单位 (the counts of the audit report).
    static func findingsWorkbook(path: String, audit a: AuditFindings, asOf: String, total: Int,
                                 unmasked: Bool) throws -> (writer: XLSXWorkbookWriter, findings: XLSXWorkbookWriter.Sheet) {
        let book = try XLSXWorkbookWriter.aboutSubtree(
            path: path, unit: a.unit, unitName: a.unitName, period: a.period, title: "审核问题清单", subject: "huizong audit findings",
            file: "审核问题清单 audit findings (aggregate report): 拒收 reject = 记录未汇入 row not merged; 待核 flag = 已汇入，需在源头更正 fix at the source; 提示 info = 去重与更新 dedup and updates",
            asOf: asOf)
        try book.readme("报送 submissions", a.submissions.map { "\($0.unit):\($0.discrepanciesFile)" }.joined(separator: " "))
        try book.readme("问题数 findings", "\(total)（拒收 reject \(a.bySeverity["reject"] ?? 0)，待核 flag \(a.bySeverity["flag"] ?? 0)，提示 info \(a.bySeverity["info"] ?? 0)；每个问题只列一次、只计一次，计在最先发现它的单位 each finding listed and counted once, at the lowest level that found it；报告行 report rows \(a.reportRows)）")
        try book.readme("公民身份号码 IDs", unmasked ? "完整号码，文本格式 full IDs, as text cells" : "中间部分已隐去 masked in the middle (aggregate report --unmasked shows them)")
        try book.readme("联系方式 contacts", "从不写入 never included")
        try book.readme("工作表 sheets", "明细 every finding；按规则 per rule；按单位 per unit (发现单位，最低一级)")
        try book.readme("说明 note", "每个值都是文本或数字单元格，没有公式 every value is a text or number cell, never a formula")
        let columns = AuditReportHTML.findingsColumns.map { XLSXWorkbookWriter.Column($0, $0 == "行号" ? .number : .text) }
        let findings = try book.addSheet("明细", columns: columns)
        let rules = try book.addSheet("按规则", columns: [.init("规则"), .init("级别"), .init("问题数", .number), .init("说明")])
        for r in a.byRule { try rules.write([r.rule, r.severity, String(r.count), r.description]) }
        let units = try book.addSheet("按单位", columns: [.init("单位"), .init("名称"), .init("拒收 reject", .number),
                                                         .init("待核 flag", .number), .init("提示 info", .number)])
        for u in a.byUnit { try units.write([u.unit, u.name, String(u.reject), String(u.flag), String(u.info)]) }
        return (book, findings)
    }
}

extension AuditFindings {
    /// The totals every place shows (docs/audit-totals.md).
    public var totals: ReportWriter.AuditTotals {
        ReportWriter.AuditTotals(findings: distinct, reject: bySeverity["reject"] ?? 0, flag: bySeverity["flag"] ?? 0,
                                 info: bySeverity["info"] ?? 0, reportRows: reportRows)
    }
}

extension ReportWriter.AuditTotals {
    /// One line, Chinese first, for a log or a summary.
    public var line: String {
        "审核问题 \(findings) 条（拒收 \(reject)，待核 \(flag)，提示 \(info)；报告行 \(reportRows)） "
            + "audit findings \(findings) (reject \(reject), flag \(flag), info \(info); report rows \(reportRows))"
    }
}
