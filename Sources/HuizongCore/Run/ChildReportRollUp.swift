/// Stage 6, roll up the children's reports (SPEC 3.3, 8.5): each verified child's report rows are
/// copied unchanged into U's report, in child order, but for rows found by a unit outside the
/// child's subtree (dropped, one REPORT_FOREIGN). Returns the carried rows counted by the unit
/// that found them, then by rule (the manifest's `findings.byFinder`).
enum ChildReportRollUp {
    static func carry(_ reports: [String: ChildrenTally.Report], request r: MonthlyRun.RequestContext,
                      into report: DiscrepancyReportWriter) throws -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for child in reports.keys.sorted() {
            let source = reports[child]!
            try ChildSubmission.carry(reportPath: source.path, expectedSHA: source.sha256, child: child,
                                      runningUnit: r.unit.description, config: r.config, into: report, counts: &counts)
        }
        return counts
    }
}
