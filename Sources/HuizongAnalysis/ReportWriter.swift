import GRDB
import HuizongCore

/// Writes the two HTML reports of `aggregate report` for a unit and period into a directory
/// (0700): `U-P.analysis.html`, `U-P.audit.html`, and `U-P.audit-findings.csv` (every finding
/// of the drill-down, masked like the report). Files are 0600, written whole then renamed.
public enum ReportWriter {
    public struct Options: Sendable {
        public var unmasked = false
        public var staleDays = 30
        public var asOf: Int64?
        public var topMajors = 20
        public var maxFindings = 20_000

        public init(unmasked: Bool = false, staleDays: Int = 30, asOf: Int64? = nil, topMajors: Int = 20, maxFindings: Int = 20_000) {
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
        public var stats: MonthlyStats
        public var findings: Int
    }

    public static func write(database: NationalDatabase, unit: String, period: Period, config: PipelineConfig?,
                             to dir: String, options: Options = Options()) throws -> Written {
        try SecureFiles.makeDirectory(dir)
        let base = dir + "/\(unit)-\(period)"
        let csvName = "\(unit)-\(period).audit-findings.csv"
        return try database.analyse { db in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(db, config: config))
            let stats = try MonthlyStats.compute(db, scope: scope, period: period, asOf: options.asOf, topMajors: options.topMajors)
            let counties = try Worklists.counts(db, scope: scope, period: period,
                                                asOf: ChinaTime.parseAsOf(stats.asOf) ?? period.endInstant, staleDays: options.staleDays)
            try SecureFiles.write(AnalysisReportHTML.render(stats, worklistCounts: counties, staleDays: options.staleDays),
                                  to: base + ".analysis.html")

            let audit = try AuditFindings.compute(db, scope: scope, period: period)
            let total = try AuditFindings.drillDownCount(db)
            var shown: [AuditFindings.Finding] = []
            let csv = try SecureFiles.Writer(path: dir + "/" + csvName)
            try csv.write(AuditReportHTML.findingsCSVHeader())
            try AuditFindings.drillDown(db) { f in
                if shown.count < options.maxFindings { shown.append(f) }
                try csv.write(AuditReportHTML.findingsCSVLine(f, unmasked: options.unmasked))
            }
            try csv.close()
            let html = AuditReportHTML.render(audit, findings: shown, totalFindings: total,
                                              options: .init(unmasked: options.unmasked, maxFindings: options.maxFindings,
                                                             findingsCSVName: csvName))
            try SecureFiles.write(html, to: base + ".audit.html")
            return Written(analysis: base + ".analysis.html", audit: base + ".audit.html", findingsCSV: dir + "/" + csvName,
                           stats: stats, findings: total)
        }
    }
}
