import CHuizongSystem

/// One run of `aggregate run` for unit U and period P (SPEC 2): read every input, validate every
/// line, dedup and reconcile, write the merged summary, the discrepancy report and the manifest
/// atomically, and account for every line.
///
/// `run()` is the sequence of stages of docs/architecture.md ("One run"), each a small type with
/// explicit inputs and outputs: `InputPlan`, `InputReader`, `ChildrenTally`, `BatchMerge`,
/// `CarryForward`, `DecisionWriter`, `ChildReportRollUp`, `RunAccounting`, `Publication`. A run
/// keeps no state between calls: every stage's values live in one call of `run()`.
public struct MonthlyRun: Sendable {
    public let request: RequestContext

    public init(_ r: RunRequest) throws(RunFailure) {
        request = try RequestContext(r)
    }

    public func run() throws(RunFailure) -> RunOutcome {
        // One malloc heap for the reader and finish threads: per-thread heaps each kept what
        // they had freed, ~47 MB of the 1M-row month's peak RSS (docs/performance.md).
        huizong_single_malloc_arena()
        // 1. The inputs in order; the output directory must be the run's alone; the lock.
        let plan = try InputPlan(request)
        try request.checkOutputDirectory(inputs: plan.inputs)
        let lock = try takeLock()
        defer { withExtendedLifetime(lock) {} }
        TestHook.reached("locked")
        // 2. A hidden staging directory beside the output directory.
        let staging: AtomicOutputDirectory
        do { staging = try AtomicOutputDirectory(target: request.outputDirectory) } catch { throw .io("\(error)") }
        do {
            return try merge(plan, into: staging)
        } catch {
            staging.abandon()
            throw .io("\(error)")
        }
    }

    /// Stages 3–7, writing into `staging`.
    private func merge(_ plan: InputPlan, into staging: AtomicOutputDirectory) throws -> RunOutcome {
        let r = request
        let report = try DiscrepancyReportWriter(path: staging.path(r.reportName))
        try plan.reportSkipped(into: report, unit: r.unit.description)
        // 3. Each input read and validated ahead on the worker threads, then received and merged in order.
        var children = ChildrenTally(r)
        var merge = BatchMerge(unit: r.unit.description, report: report)
        let reader = InputReader.readAhead(plan.inputs, request: r)
        var linesSoFar = 0
        for (index, spec) in plan.inputs.enumerated() {
            let input = reader.take(index)
            children.receive(spec, input)
            try merge.commit(input.batch, of: spec)
            TestHook.reached("read-\(index + 1)")
            linesSoFar += input.batch.linesRead
            r.observer?(.fileDone(index: index + 1, count: plan.inputs.count, file: input.batch.basename, linesSoFar: linesSoFar))
        }
        // 4. Children missing or late; rows carried forward above county.
        try children.reportMissingAndLate(into: report)
        let carried = try CarryForward(request: r).carry(into: merge.reconciler, report: report, index: plan.inputs.count,
                                                         unavailable: children.unavailable)
        // 5. Every ID decided; the summary written in ID order, with its findings.
        let summary = try SummaryWriter(path: staging.path(r.summaryName))
        let counts = try DecisionWriter.write(merge.reconciler, origins: merge.inputs.map(\.origin), carriedFile: carried.file,
                                              unit: r.unit.description, summary: summary, report: report)
        TestHook.reached("summary-written")
        // 6. The children's report rows carried up.
        let byFinder = try ChildReportRollUp.carry(children.reports, request: r, into: report)
        // 7. The accounting checked; the outputs closed; the manifest written last; the swap.
        let accounting = try RunAccounting(inputs: merge.inputs, counts: counts, carried: carried.rows, outputRows: summary.rows)
        let summaryOutput = Manifest.Output(file: r.summaryName, sha256: try summary.close(), rows: summary.rows)
        let findings = Manifest.Findings(report: report, byFinder: byFinder)
        let reportOutput = Manifest.Output(file: r.reportName, sha256: try report.close(), rows: report.rows)
        TestHook.reached("report-written")
        let manifest = Manifest(run: r, inputs: accounting.inputs, accounting: accounting.totals, children: children.manifestEntry,
                                outputs: Manifest.Outputs(summary: summaryOutput, discrepancies: reportOutput),
                                findings: findings, carriedFrom: carried.rows > 0 ? carried.file : nil)
        try Publication(request: r, staging: staging).publish(manifest, inputs: plan.inputs)

        let rejectedFiles = merge.inputs.filter { $0.rejection != nil }.map(\.basename)
        let missing = children.missing
        return RunOutcome(exitStatus: rejectedFiles.isEmpty && missing.isEmpty ? 0 : 2, outputDirectory: r.outputDirectory,
                          manifest: manifest, summaryRows: summary.rows, reportRows: report.rows,
                          rejectedFiles: rejectedFiles, missingChildren: missing,
                          warnings: RunWarnings.collect(request: r, plan: plan, inputs: merge.inputs, children: children))
    }

    /// Two runs for U and P never interleave (SPEC 7): exit 3 naming the holder.
    private func takeLock() throws(RunFailure) -> RunLock {
        do {
            return try RunLock(outputDirectory: request.outputDirectory, holder: "\(request.unit) \(request.period)")
        } catch .held(let holder) {
            throw .locked(RunLock.heldMessage(holder: holder, outputDirectory: request.outputDirectory))
        } catch {
            throw .io("\(error)")
        }
    }
}

extension Manifest {
    /// The manifest of a run of `r` (SPEC 3.2).
    init(run r: MonthlyRun.RequestContext, inputs: [Input], accounting: Accounting, children: Children, outputs: Outputs,
         findings: Findings, carriedFrom: String?) {
        self.init(unit: r.unit.description, unitName: r.unitName, level: r.level.rawValue, period: r.period.description,
                  asOf: ChinaTime.format(r.asOf), tool: Huizong.toolVersion, rules: Huizong.rulesVersion, inputs: inputs,
                  accounting: accounting, children: children, outputs: outputs, findings: findings, carriedFrom: carriedFrom)
    }
}

extension Manifest.Findings {
    /// The report's own rows by rule, and the children's carried rows by finder and rule.
    init(report: DiscrepancyReportWriter, byFinder: [String: [String: Int]]) {
        self.init(byRule: OrderedCounts(report.ownCounts.sorted { $0.key < $1.key }.map { ($0.key.rawValue, $0.value) }),
                  byFinder: byFinder.mapValues { OrderedCounts($0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) })
    }
}
