/// Stage 6, roll up the children's reports (SPEC 3.3, 8.5): each verified child's report rows are
/// copied unchanged into U's report, in child order, but for rows found by a unit outside the
/// child's subtree (dropped, one REPORT_FOREIGN). Returns the carried rows counted by the unit
/// that found them, then by rule (the manifest's `findings.byFinder`).
///
/// The reports are read again (inflated, hashed, split) on the worker threads, children ahead of
/// the run's thread, which writes each child's kept rows in child order: the same bytes whatever
/// the thread count (issue 11, a parallel finish).
enum ChildReportRollUp {
    static func carry(_ reports: [String: ChildrenTally.Report], request r: MonthlyRun.RequestContext,
                      into report: DiscrepancyReportWriter) throws -> [String: [String: Int]] {
        let children = reports.keys.sorted()
        let config = r.config
        let sources = children.map { reports[$0]! }
        let readers = OrderedParallelMap<Result<ChildSubmission.CarriedRows, OutputError>>(
            count: children.count, workers: MonthlyRun.workerThreads, lookahead: 2) { i in
            Result { () throws(OutputError) in
                try ChildSubmission.readCarried(reportPath: sources[i].path, expectedSHA: sources[i].sha256,
                                                child: children[i], config: config)
            }
        }
        var counts: [String: [String: Int]] = [:]
        for i in children.indices {
            let carried = try readers.take(i).get()
            try ChildSubmission.write(carried, runningUnit: r.unit.description, into: report)
            for (finder, byRule) in carried.counts {
                counts[finder, default: [:]].merge(byRule, uniquingKeysWith: +)
            }
        }
        return counts
    }
}
