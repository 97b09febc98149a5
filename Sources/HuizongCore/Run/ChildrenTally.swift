/// Stage 3c, receive the children (SPEC 3.2, 4): which expected children sent a data file, which
/// had it rejected whole, which sent it after the deadline, and where each accepted child's
/// report lies (to carry its rows up, stage 6). A county expects no children.
struct ChildrenTally {
    /// A verified child's discrepancy report and the sha256 its manifest gives it.
    struct Report {
        var path: String
        var sha256: String
    }

    let expected: [String]
    private let request: MonthlyRun.RequestContext
    private var received = Set<String>(), rejected = Set<String>(), late = Set<String>()
    /// Child → its verified report (the last accepted data file's, if it sent two).
    private(set) var reports: [String: Report] = [:]
    /// Child → the first data file (`*.csv.gz`) it sent: 来源文件 of CHILD_LATE.
    private var firstDataFile: [String: String] = [:]

    init(_ request: MonthlyRun.RequestContext) {
        self.request = request
        expected = request.expectedChildren
    }

    /// Notes one input as read: counts only a child's data file (it has a manifest beside it and
    /// its name starts with an expected child's code).
    mutating func receive(_ spec: InputSpec, _ input: LoadedInput) {
        let child = spec.from
        guard spec.manifestPath != nil, expected.contains(child) else { return }
        let batch = input.batch
        received.insert(child)
        if batch.rejection != nil {
            rejected.insert(child)
        } else {
            reports[child] = Report(path: AtomicOutputDirectory.split(spec.path).0 + "/"
                                        + ChildSubmission.reportName(child: child, period: request.period.description),
                                    sha256: input.childManifest?.outputs?.discrepancies?.sha256 ?? "")
        }
        if firstDataFile[child] == nil, batch.basename.hasSuffix(".csv.gz") { firstDataFile[child] = batch.basename }
        if let config = request.config, let level = config.unit(child)?.level,
           batch.modificationTime > request.period.deadline(day: config.deadlineDay(forChildLevel: level)) {
            late.insert(child)
        }
    }

    /// Expected children that sent nothing, in configuration order.
    var missing: [String] { expected.filter { !received.contains($0) } }
    /// Late children, by code.
    var lateChildren: [String] { late.sorted() }
    /// Children whose rows are carried forward as STALE: missing, or rejected whole (SPEC 6).
    var unavailable: Set<String> { Set(missing).union(rejected) }
    /// The first data file a child sent (nil if none ends in `.csv.gz`).
    func dataFile(of child: String) -> String? { firstDataFile[child] }

    /// One CHILD_MISSING per missing child, then one CHILD_LATE per late child (SPEC 4).
    func reportMissingAndLate(into report: DiscrepancyReportWriter) throws {
        let r = request
        for c in missing {
            try report.append(Finding(rule: .childMissing, line: nil,
                                      detail: "下级单位\(c)未报送\(r.period) child \(c) sent nothing for \(r.period)"),
                              finder: r.unit.description, sourceUnit: c, sourceFile: "")
        }
        for c in lateChildren {
            try report.append(Finding(rule: .childLate, line: nil,
                                      detail: "下级单位\(c)逾期报送\(r.period) child \(c) reported \(r.period) after the deadline"),
                              finder: r.unit.description, sourceUnit: c, sourceFile: dataFile(of: c) ?? "")
        }
    }

    /// The manifest's `children` (each list in configuration order).
    var manifestEntry: Manifest.Children {
        Manifest.Children(expected: expected, received: expected.filter(received.contains), missing: missing,
                          late: expected.filter(late.contains), rejected: expected.filter(rejected.contains))
    }
}
