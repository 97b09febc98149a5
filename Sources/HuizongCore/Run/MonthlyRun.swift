import CHuizongSystem
import Foundation

/// One run of `aggregate run` for unit U and period P (SPEC 2): read every input, validate every
/// line, dedup and reconcile, write the merged summary, the discrepancy report and the manifest
/// atomically, and account for every line.
public final class MonthlyRun {
    public let request: RequestContext

    /// The resolved facts of a run.
    public struct RequestContext: Sendable {
        public var unit: String
        public var unitName: String
        public var level: PipelineConfig.Level
        public var period: Period
        public var asOf: Int64
        public var config: PipelineConfig?
        public var cohort: Int
        public var window: ClosedRange<Int>
        public var outputDirectory: String
        public var files: [String]?
        public var forcedEncoding: TextEncoding?
        public var signingKey: UnitKey?
        public var observer: RunObserver?
    }

    /// One input to read, in processing order.
    struct InputSpec: Sendable {
        var path: String
        var from: String
        /// A child's data file: must match its manifest.
        var manifestPath: String?
        var isBaseTable = false
    }

    public init(_ r: RunRequest) throws(RunFailure) {
        var level = PipelineConfig.Level.county
        var name = DivisionTable.name(of: r.unit.number) ?? ""
        var cohort = r.cohort
        var window = (cohort * 10000 + 101)...(cohort * 10000 + 1231)
        if let config = r.config {
            guard let u = config.unit(r.unit) else {
                throw .usage("单位\(r.unit)不在配置中 unit \(r.unit) is not in the configuration")
            }
            level = u.level
            name = u.name
            cohort = config.cohort
            window = config.graduationWindow
            if let first = config.firstPeriod, r.period < first {
                throw .usage("期别\(r.period)早于报送起始期\(first) period \(r.period) is before reporting.firstPeriod \(first)")
            }
            if let last = config.lastPeriod, last < r.period {
                throw .usage("期别\(r.period)晚于报送截止期\(last) period \(r.period) is after reporting.lastPeriod \(last)")
            }
        } else if !DivisionTable.isCountyUnit(r.unit.number) {
            throw .usage("无--config时--unit须为GB/T 2260县级区划代码：\(r.unit)不是 without --config, --unit must be a GB/T 2260 county code (current or historic): \(r.unit) is not; use --config for other units")
        }
        let out: String
        if let o = r.outputDirectory {
            out = o
        } else if let config = r.config {
            out = config.outbox(unit: r.unit, period: r.period)
        } else {
            throw .usage("需要--out或--config needs --out DIR or --config")
        }
        if r.files == nil && r.config == nil {
            throw .usage("需要输入文件或--config needs FILE arguments or --config")
        }
        request = RequestContext(unit: r.unit.description, unitName: name, level: level, period: r.period, asOf: r.asOf,
                                 config: r.config, cohort: cohort, window: window, outputDirectory: out,
                                 files: r.files, forcedEncoding: r.forcedEncoding, signingKey: r.signingKey,
                                 observer: r.observer)
    }

    var outputStem: String { "\(request.unit)-\(request.period)" }

    /// Inbox entries not read (SPEC 8.1), set by `inputs()`: one FILE_SKIPPED info each.
    private var inboxSkipped: [InboxListing.Skipped] = []
    /// The inbox folder, when `inputs()` found none (a warning: only last month's table is read).
    private var missingInbox: String?

    // MARK: - Inputs

    /// The inputs in processing order: a county's base table first, then files by basename.
    func inputs() throws(RunFailure) -> (specs: [InputSpec], orphanManifests: [String]) {
        let r = request
        var paths: [String]
        if let files = r.files {
            for f in files {
                var st = stat()
                if stat(f, &st) != 0 { throw .usage("找不到输入文件 no such input file: \(f)") }
            }
            paths = files
        } else {
            // SPEC 8.1: which inbox entries are tables, which are passed over, which are FILE_SKIPPED.
            let inboxPath = r.config!.inbox(unit: r.unit, period: r.period)
            var ist = stat()
            if stat(inboxPath, &ist) != 0 || (ist.st_mode & S_IFMT) != S_IFDIR { missingInbox = inboxPath }
            let listing = InboxListing(directory: inboxPath)
            paths = listing.files
            inboxSkipped = listing.skipped
        }
        let base = { (p: String) in AtomicOutputDirectory.split(p).1 }
        var specs: [InputSpec] = []
        var orphans: [String] = []
        if r.level == .county {
            specs = paths.map { InputSpec(path: $0, from: r.unit) }
        } else {
            let names = Set(paths.map(base))
            for p in paths {
                let b = base(p)
                if b.hasSuffix(".manifest.json") {
                    let stem = String(b.dropLast(".manifest.json".count))
                    if !names.contains(stem + ".csv.gz") && !names.contains(stem + ".csv") { orphans.append(p) }
                    continue
                }
                if b.hasSuffix(".discrepancies.csv.gz") { continue }
                var stem = b
                for suffix in [".csv.gz", ".csv", ".gz"] where stem.hasSuffix(suffix) {
                    stem = String(stem.dropLast(suffix.count))
                    break
                }
                let dir = AtomicOutputDirectory.split(p).0
                let sender = String(stem.prefix(6))
                specs.append(InputSpec(path: p, from: sender.allSatisfy({ $0.isASCII && $0.isNumber }) && sender.count == 6 ? sender : "",
                                       manifestPath: dir + "/" + stem + ".manifest.json"))
            }
        }
        specs.sort { base($0.path) < base($1.path) || (base($0.path) == base($1.path) && $0.path < $1.path) }
        if r.level == .county, let config = r.config {
            let prev = config.outbox(unit: r.unit, period: r.period.previous) + "/\(r.unit)-\(r.period.previous).csv.gz"
            var st = stat()
            if stat(prev, &st) == 0 {
                specs.insert(InputSpec(path: prev, from: r.unit, isBaseTable: true), at: 0)
            }
        }
        return (specs, orphans)
    }

    // MARK: - Run

    public func run() throws(RunFailure) -> RunOutcome {
        // One malloc heap for the reader and finish threads: per-thread heaps each kept what
        // they had freed, ~47 MB of the 1M-row month's peak RSS (docs/performance.md).
        huizong_single_malloc_arena()
        let r = request
        let (specs, _) = try inputs()
        try checkOutputDirectory(specs)
        let lock: RunLock
        do {
            lock = try RunLock(outputDirectory: r.outputDirectory, holder: "\(r.unit) \(r.period)")
        } catch .held(let holder) {
            throw .locked(RunLock.heldMessage(holder: holder, outputDirectory: r.outputDirectory))
        } catch {
            throw .io("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        TestHook.reached("locked")
        let staging: AtomicOutputDirectory
        do { staging = try AtomicOutputDirectory(target: r.outputDirectory) } catch { throw .io("\(error)") }
        do {
            let outcome = try execute(specs: specs, staging: staging)
            return outcome
        } catch {
            staging.abandon()
            throw .io("\(error)")
        }
    }

    /// SPEC 8.5: the output directory is the run's alone (checked before anything is written,
    /// and again just before the swap).
    func checkOutputDirectory(_ specs: [InputSpec]) throws(RunFailure) {
        let r = request
        let inbox = r.files == nil ? r.config?.inbox(unit: r.unit, period: r.period) : nil
        do {
            try OutputDirectoryGuard.check(outputDirectory: r.outputDirectory, unit: r.unit, period: r.period.description,
                                           inbox: inbox, inputFiles: specs.map(\.path))
        } catch {
            throw .usage(error.message)
        }
    }

    static func context(for spec: InputSpec, request r: RequestContext) -> ValidationContext {
        let policy: ValidationContext.UnitPolicy
        if r.level == .county {
            policy = .county(Int(r.unit)!)
        } else if let config = r.config, !spec.from.isEmpty {
            policy = .under(config.counties(atOrUnder: spec.from))
        } else {
            policy = .under([])
        }
        return ValidationContext(cohortYear: r.cohort, graduationWindow: r.window, asOf: r.asOf, unitPolicy: policy)
    }

    /// Threads that read files and decide IDs: 2 (the machine this is tuned for), or the
    /// environment's `HUIZONG_THREADS` (tests compare 1 and 2). The outputs never depend on it.
    public nonisolated(unsafe) static var workerThreads: Int = {
        if let v = getenv("HUIZONG_THREADS"), let n = Int(String(cString: v)), n >= 1 { return n }
        return 2
    }()

    private func execute(specs: [InputSpec], staging: AtomicOutputDirectory) throws -> RunOutcome {
        let r = request
        let summaryName = outputStem + ".csv.gz"
        let reportName = outputStem + ".discrepancies.csv.gz"
        let manifestName = outputStem + ".manifest.json"
        let report = try DiscrepancyReportWriter(path: staging.path(reportName))
        for skipped in inboxSkipped {
            try report.append(Finding(rule: .fileSkipped, line: nil, detail: skipped.reason),
                              finder: r.unit, sourceUnit: r.unit, sourceFile: skipped.name)
        }
        let reconciler = Reconciler()
        let expected = r.config.map { $0.children(of: r.unit) } ?? []
        let isChildOf = { (code: String) in expected.contains(code) }

        var batches: [FileBatch] = []
        var childReports: [String: String] = [:]  // child → its discrepancy file
        var childReportSHA: [String: String] = [:]  // child → the sha256 its manifest gives the report
        var received = Set<String>(), rejectedChildren = Set<String>(), late = Set<String>()
        var linesSoFar = 0

        // Files are read and validated on both cores, ahead of the merge, which takes them in order.
        let req = request
        let loader = OrderedParallelMap<(FileBatch, JSONValue?)>(count: specs.count, workers: Self.workerThreads, lookahead: 2) { i in
            MonthlyRun.load(specs[i], request: req, expected: expected)
        }
        for (index, spec) in specs.enumerated() {
            let (batch, childManifest) = loader.take(index)
            if spec.manifestPath != nil && isChildOf(spec.from) {
                received.insert(spec.from)
                if batch.rejection != nil {
                    rejectedChildren.insert(spec.from)
                } else {
                    childReports[spec.from] = AtomicOutputDirectory.split(spec.path).0 + "/"
                        + ChildSubmission.reportName(child: spec.from, period: r.period.description)
                    childReportSHA[spec.from] = childManifest?["outputs"]?["discrepancies"]?["sha256"]?.stringValue ?? ""
                }
                if let config = r.config, let level = config.unit(spec.from)?.level,
                   batch.modificationTime > r.period.deadline(day: config.deadlineDay(forChildLevel: level)) {
                    late.insert(spec.from)
                }
            }
            try commit(batch, index: index, reconciler: reconciler, report: report)
            batch.releaseContent()  // its rows now live in the reconciler; keep only the counts
            batches.append(batch)
            TestHook.reached("read-\(index + 1)")
            if let observer = r.observer {
                linesSoFar += batch.linesRead
                observer(.fileDone(index: index + 1, count: specs.count, file: batch.basename, linesSoFar: linesSoFar))
            }
        }

        // Children: missing and late (SPEC 4).
        let missing = expected.filter { !received.contains($0) }
        for c in missing {
            try report.append(Finding(rule: .childMissing, line: nil,
                                      detail: "下级单位\(c)未报送\(r.period) child \(c) sent nothing for \(r.period)"),
                              finder: r.unit, sourceUnit: c, sourceFile: "")
        }
        for c in late.sorted() {
            let file = batches.first { $0.from == c && $0.basename.hasSuffix(".csv.gz") }?.basename ?? ""
            try report.append(Finding(rule: .childLate, line: nil,
                                      detail: "下级单位\(c)逾期报送\(r.period) child \(c) reported \(r.period) after the deadline"),
                              finder: r.unit, sourceUnit: c, sourceFile: file)
        }

        // Carried forward above county (SPEC 6, last point).
        var carried = 0
        var carriedFile = ""
        let carriedIndex = specs.count
        if r.level != .county, let config = r.config {
            let prevPath = config.outbox(unit: r.unit, period: r.period.previous) + "/\(r.unit)-\(r.period.previous).csv.gz"
            var st = stat()
            if stat(prevPath, &st) == 0 {
                carriedFile = AtomicOutputDirectory.split(prevPath).1
                carried = try carryForward(from: prevPath, reconciler: reconciler, report: report, index: carriedIndex,
                                           unavailable: Set(missing).union(rejectedChildren), config: config)
            }
        }

        // Decide every ID and write the summary in ID order: IDs are decided and their summary and
        // report rows formatted in chunks of consecutive IDs on every worker thread, and the chunks
        // are written in order. A chunk's bytes depend only on its IDs, so the outputs are the
        // same whatever the number of threads.
        let summary = try SummaryWriter(path: staging.path(summaryName))
        var supersededByFile = [Int](repeating: 0, count: specs.count)
        var mergedByFile = [Int](repeating: 0, count: specs.count)
        let order = reconciler.decisionOrder()
        let chunkSize = FinishChunk.ids
        let chunkCount = (order.count + chunkSize - 1) / chunkSize
        let shared = FinishInputs(reconciler: reconciler, order: order, batches: batches, fileCount: specs.count,
                                  carriedFile: carriedFile, unit: r.unit)
        let finisher = OrderedParallelMap<FinishChunk>(count: chunkCount, workers: Self.workerThreads, lookahead: 2) { k in
            FinishChunk(k, shared)
        }
        for k in 0..<chunkCount {
            let chunk = finisher.take(k)
            try summary.appendFormatted(chunk.summary, rows: chunk.rows)
            try report.appendFormatted(chunk.report, countByRule: chunk.countByRule)
            for i in 0..<specs.count {
                mergedByFile[i] += chunk.mergedByFile[i]
                supersededByFile[i] += chunk.supersededByFile[i]
            }
        }
        TestHook.reached("summary-written")

        // Children's reports carried up unchanged (SPEC 3.3).
        var carriedReportCounts: [String: [String: Int]] = [:]
        for child in childReports.keys.sorted() {
            try ChildSubmission.carry(reportPath: childReports[child]!, expectedSHA: childReportSHA[child] ?? "", child: child,
                                      runningUnit: r.unit, config: r.config, into: report, counts: &carriedReportCounts)
        }

        // Accounting (SPEC 3.2), checked before anything is published.
        var inputsJSON: [JSONValue] = []
        var total = (lines: 0, blank: 0, rejected: 0, merged: 0, superseded: 0, duplicate: 0)
        for (i, b) in batches.enumerated() {
            let duplicate = b.acceptedRows - (mergedByFile[i] + supersededByFile[i])
            var entry: [(String, JSONValue)] = [
                ("file", .string(b.basename)), ("from", .string(b.from)), ("sha256", .string(b.sha256 ?? "")),
                ("status", .string(b.rejection == nil ? "read" : "rejected")),
                ("linesRead", .int(b.linesRead)), ("blank", .int(b.blank)), ("rejected", .int(b.rejectedLines)),
                ("merged", .int(mergedByFile[i])), ("superseded", .int(supersededByFile[i])), ("duplicate", .int(duplicate)),
            ]
            if let rej = b.rejection { entry.append(("rule", .string(rej.rule.rawValue))) }
            if specs[i].isBaseTable { entry.append(("baseTable", .bool(true))) }
            if let e = b.encoding { entry.append(("encoding", .string(e.rawValue))) }
            if !b.preamble.isEmpty {
                entry.append(("preamble", .object(Preamble.labels.map { ($0, .string(b.preamble.values[$0] ?? "")) })))
            }
            inputsJSON.append(.object(entry))
            guard b.rejection == nil else { continue }
            let sum = b.blank + b.rejectedLines + mergedByFile[i] + supersededByFile[i] + duplicate
            guard sum == b.linesRead, duplicate >= 0 else {
                throw OutputError.io("内部错误：\(b.basename)行数不平衡 internal error: accounting does not balance for \(b.basename) (\(b.linesRead) read, \(sum) accounted)")
            }
            total.lines += b.linesRead; total.blank += b.blank; total.rejected += b.rejectedLines
            total.merged += mergedByFile[i]; total.superseded += supersededByFile[i]; total.duplicate += duplicate
        }
        guard summary.rows == total.merged + carried else {
            throw OutputError.io("内部错误：输出行数不平衡 internal error: output rows \(summary.rows) != merged \(total.merged) + carried \(carried)")
        }
        let summarySHA = try summary.close()
        let reportRows = report.rows
        var byRule: [(String, JSONValue)] = report.ownCounts.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int($0.value)) }
        if byRule.isEmpty { byRule = [] }
        let reportSHA = try report.close()
        TestHook.reached("report-written")

        let rejectedFiles = batches.filter { $0.rejection != nil }.map(\.basename)
        var manifest: [(String, JSONValue)] = [
            ("format", .string("huizong-manifest/1")),
            ("unit", .string(r.unit)), ("unitName", .string(r.unitName)), ("level", .string(r.level.rawValue)),
            ("period", .string(r.period.description)), ("asOf", .string(ChinaTime.format(r.asOf))),
            ("tool", .string(Huizong.toolVersion)), ("rules", .string(Huizong.rulesVersion)),
            ("inputs", .array(inputsJSON)),
            ("accounting", .object([
                ("linesRead", .int(total.lines)), ("blank", .int(total.blank)), ("rejected", .int(total.rejected)),
                ("merged", .int(total.merged)), ("superseded", .int(total.superseded)), ("duplicate", .int(total.duplicate)),
                ("carriedForward", .int(carried)), ("outputRows", .int(summary.rows)),
            ])),
            ("children", .object([
                ("expected", .array(expected.map(JSONValue.string))),
                ("received", .array(expected.filter(received.contains).map(JSONValue.string))),
                ("missing", .array(missing.map(JSONValue.string))),
                ("late", .array(expected.filter(late.contains).map(JSONValue.string))),
                ("rejected", .array(expected.filter(rejectedChildren.contains).map(JSONValue.string))),
            ])),
            ("outputs", .object([
                ("summary", .object([("file", .string(summaryName)), ("sha256", .string(summarySHA)), ("rows", .int(summary.rows))])),
                ("discrepancies", .object([("file", .string(reportName)), ("sha256", .string(reportSHA)), ("rows", .int(reportRows))])),
            ])),
            ("findings", .object([
                ("byRule", .object(byRule)),
                ("byFinder", .object(carriedReportCounts.keys.sorted().map { unit in
                    (unit, .object(carriedReportCounts[unit]!.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
                })),
            ])),
        ]
        if carried > 0 { manifest.append(("carriedFrom", .string(carriedFile))) }
        let manifestValue = JSONValue.object(manifest)
        var manifestBytes = Array((manifestValue.serialized() + "\n").utf8)
        if let key = r.signingKey { manifestBytes = SubmissionSignature.sign(manifest: manifestBytes, with: key) }
        let mf = try OutputFile(path: staging.path(manifestName))
        try mf.write(manifestBytes)
        try mf.close()
        TestHook.reached("manifest-written")
        do { try checkOutputDirectory(specs) } catch { throw OutputError.io(error.description) }
        try staging.commit()
        TestHook.reached("committed")
        let status: Int32 = (!rejectedFiles.isEmpty || !missing.isEmpty) ? 2 : 0
        return RunOutcome(exitStatus: status, outputDirectory: r.outputDirectory, manifest: manifestValue,
                          summaryRows: summary.rows, reportRows: reportRows, rejectedFiles: rejectedFiles,
                          missingChildren: missing,
                          warnings: warnings(batches: batches, missing: missing, late: late))
    }

    /// What the operator must hear of, each naming its file, folder or unit.
    private func warnings(batches: [FileBatch], missing: [String], late: Set<String>) -> [RunWarning] {
        let r = request
        var out: [RunWarning] = []
        if let inbox = missingInbox {
            out.append(RunWarning(.inboxMissing, inbox, "收件箱不存在：\(inbox)，本期没有读取任何新文件"
                + (r.level == .county ? "（只沿用上期汇总表）" : "") + " inbox folder missing: \(inbox); no new file was read for \(r.period)"
                + (r.level == .county ? " (only last month's table is carried forward)" : "")))
        }
        for b in batches {
            guard let rej = b.rejection else { continue }
            out.append(RunWarning(.fileRejected, b.basename, "文件被整体拒收 file rejected whole: \(b.basename) — \(rej.rule.rawValue)"
                + (rej.detail.isEmpty ? " \(rej.rule.message)" : " \(rej.detail)")))
        }
        for c in missing {
            out.append(RunWarning(.childMissing, c, "下级未报送 child missing: \(c) sent nothing for \(r.period) (CHILD_MISSING)"))
        }
        for c in late.sorted() {
            let file = batches.first { $0.from == c && $0.basename.hasSuffix(".csv.gz") }?.basename ?? c
            out.append(RunWarning(.childLate, file, "下级逾期报送 child late: \(c) \(file) arrived after the deadline (CHILD_LATE)"))
        }
        for s in inboxSkipped {
            out.append(RunWarning(.fileSkipped, s.name, "文件未读取 file skipped: \(s.reason) (FILE_SKIPPED)"))
        }
        return out
    }

    /// Reads one input completely (checking a child's file against its manifest first and after).
    static func load(_ spec: InputSpec, request r: RequestContext, expected: [String]) -> (FileBatch, JSONValue?) {
        var precheck: FileRejection?
        var childManifest: JSONValue?
        if let manifestPath = spec.manifestPath {
            (precheck, childManifest) = checkChildManifest(spec: spec, manifestPath: manifestPath, request: r,
                                                           isChild: { expected.contains($0) })
        }
        if let precheck {
            let batch = FileBatch(path: spec.path, from: spec.from)
            batch.reject(precheck)
            batch.sha256 = InputFile.sha256(ofFileAt: spec.path)
            var st = stat()
            if stat(spec.path, &st) == 0 { batch.modificationTime = Int64(st.st_mtim.tv_sec) }
            return (batch, childManifest)
        }
        let options = SummaryFileReader.Options(forcedEncoding: r.forcedEncoding, requireRegisteringUnit: r.level != .county)
        let batch = FileBatch.read(path: spec.path, from: spec.from, options: options, context: context(for: spec, request: r))
        if let m = childManifest {
            let summary = m["outputs"]?["summary"]
            // A file changed after its manifest was written is a mismatch even when the change also
            // broke its gzip or columns: the manifest (signed or not) says what was sent (SPEC 8.4).
            if summary?["sha256"]?.stringValue?.lowercased() != batch.sha256 {
                batch.reject(FileRejection(.fileManifestMismatch, "sha256与清单不符 sha256 differs from the manifest's outputs.summary"))
            } else if batch.rejection == nil, summary?["rows"]?.intValue != batch.dataRows {
                batch.reject(FileRejection(.fileManifestMismatch, "行数\(batch.dataRows)与清单\(summary?["rows"]?.intValue.map(String.init) ?? "?")不符 row count differs from the manifest"))
            }
        }
        return (batch, childManifest)
    }

    /// Adds a file's rows to the merge and its findings to the report, in line order.
    private func commit(_ batch: FileBatch, index: Int, reconciler: Reconciler, report: DiscrepancyReportWriter) throws {
        let r = request
        fileNames.append(batch.basename)  // indexed by file index, rejected files included
        if let rej = batch.rejection {
            try report.append(Finding(rule: rej.rule, line: nil, detail: rej.detail.isEmpty ? nil : rej.detail),
                              finder: r.unit, sourceUnit: batch.from, sourceFile: batch.basename)
            return
        }
        // The file's findings are in line order; each DUPLICATE found here joins them after the
        // findings of its own line (as a stable sort by line would place it). Both streams are
        // replayed from the batch's spools: nothing here grows with the file.
        var pending = batch.findings.makeReader()
        var nextFinding = pending.next()
        let inOrder = batch.findings.isInLineOrder
        func flush(through line: Int) throws {
            while let f = nextFinding, (f.line ?? 0) <= line {
                try report.append(f, finder: r.unit, sourceUnit: batch.from, sourceFile: batch.basename)
                nextFinding = pending.next()
            }
        }
        var duplicates: [Finding] = []  // only if the file's findings are not in line order (never, as read)
        try batch.forEachRecord { record in
            switch record {
            case .row(let id, let time, let lineNumber, let line):
                let admission = reconciler.add(id: id, time: time, line: line, at: RowPosition(file: index, line: lineNumber))
                if case .duplicate(let first) = admission {
                    let name = CanonicalLine.string(.name, in: line)
                    let firstFile = first.file == Int32(index) ? batch.basename : nameOfFile(Int(first.file))
                    let dup = Finding(rule: .duplicate, line: lineNumber, citizenID: CitizenIDKey.text(id), name: name,
                                      detail: "与\(firstFile)第\(first.line)行内容相同 same content as \(firstFile) line \(first.line)")
                    if inOrder {
                        try flush(through: lineNumber)
                        try report.append(dup, finder: r.unit, sourceUnit: batch.from, sourceFile: batch.basename)
                    } else {
                        duplicates.append(dup)
                    }
                }
            case .rejected(let id, let time, let lineNumber, let name):
                reconciler.addRejected(id: id, time: time, at: RowPosition(file: index, line: lineNumber), name: name)
            }
        }
        if inOrder {
            try flush(through: Int.max)
        } else {
            // Stable sort by line: the file's findings read top to bottom.
            var all: [Finding] = []
            batch.findings.forEachInLineOrder { all.append($0) }
            all += duplicates
            let ordered = all.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            for (_, f) in ordered {
                try report.append(f, finder: r.unit, sourceUnit: batch.from, sourceFile: batch.basename)
            }
        }
    }

    private var fileNames: [String] = []
    private func nameOfFile(_ i: Int) -> String { i < fileNames.count ? fileNames[i] : "" }

    /// Checks a child's data file against its manifest before reading it (SPEC 3.2).
    static func checkChildManifest(spec: InputSpec, manifestPath: String, request r: RequestContext,
                                   isChild: (String) -> Bool) -> (FileRejection?, JSONValue?) {
        let data: Data
        switch ChildSubmission.readManifest(manifestPath) {
        case .missing:
            return (FileRejection(.fileNoManifest, "缺少清单 missing manifest \(AtomicOutputDirectory.split(manifestPath).1)"), nil)
        case .rejected(let why):
            return (why, nil)
        case .bytes(let d):
            data = d
        }
        if let rejection = SubmissionSignature.rejection(manifest: [UInt8](data), sender: spec.from, config: r.config, isChild: isChild) {
            return (rejection, nil)  // SPEC 8.4: the signature first
        }
        guard let m = JSONValue.parse(data), m["outputs"]?["summary"] != nil else {
            return (FileRejection(.fileManifestMismatch, "清单无法解析 manifest is not a valid huizong manifest"), nil)
        }
        let unit = m["unit"]?.stringValue ?? ""
        guard isChild(unit), unit == spec.from else {
            return (FileRejection(.fileForeignSender, "清单中的单位\(unit)不是\(r.unit)的下级 manifest unit \(unit) is not a child of \(r.unit)"), m)
        }
        guard m["period"]?.stringValue == r.period.description else {
            return (FileRejection(.fileManifestMismatch, "清单期别\(m["period"]?.stringValue ?? "?")不是\(r.period) manifest period is not \(r.period)"), m)
        }
        if let why = ChildSubmission.checkFiles(manifest: m, dataPath: spec.path, child: unit, period: r.period.description,
                                                config: r.config) {
            return (why, m)
        }
        return (nil, m)
    }

    /// Rows of U's previous output with no accepted row this period (SPEC 6): VANISHED, or STALE
    /// when the child they lie under is missing or rejected. Returns how many were carried.
    private func carryForward(from path: String, reconciler: Reconciler, report: DiscrepancyReportWriter, index: Int,
                              unavailable: Set<String>, config: PipelineConfig) throws -> Int {
        let r = request
        let reader = try SummaryFileReader(path: path, options: .init(requireRegisteringUnit: true))
        guard reader.header.cellColumns == Column.allCases.map(Optional.some) else {
            throw OutputError.io("上期输出格式不符 previous output \(path) does not have the canonical columns")
        }
        let fileName = AtomicOutputDirectory.split(path).1
        let children = config.children(of: r.unit)
        var raw = RawRecord()
        var carried = 0
        var canonical: [UInt8] = []
        while true {
            let event = try reader.next(into: &raw)
            if case .end = event { break }
            guard case .record = event else { continue }
            guard let id = CitizenIDKey.parse(raw.cell(.citizenID)) else { continue }
            if reconciler.contains(id: id) { continue }
            canonical.removeAll(keepingCapacity: true)
            for c in Column.allCases.dropFirst() {
                if c.rawValue > 1 { canonical.append(UInt8(ascii: ",")) }
                CSVField.append(raw.cell(c), to: &canonical)
            }
            let time = ChinaTime.parseUpdateTime(raw.cell(.updatedAt)) ?? 0
            _ = canonical.withUnsafeBufferPointer {
                reconciler.add(id: id, time: time, line: $0, at: RowPosition(file: index, line: raw.line))
            }
            let unitCode = raw.string(.registeringUnit)
            let child = children.first { config.isAtOrUnder(unitCode, $0) }
            let stale = child.map(unavailable.contains) ?? false
            try report.append(Finding(rule: stale ? .stale : .vanished, line: nil, citizenID: CitizenIDKey.text(id),
                                      name: raw.string(.name),
                                      detail: stale
                                        ? "下级单位\(child!)本期未报送或被拒收，沿用\(fileName) child \(child!) missing or rejected; row carried from \(fileName)"
                                        : "本期无此人有效记录，沿用\(fileName) no accepted row this period; carried from \(fileName)"),
                              finder: r.unit, sourceUnit: r.unit, sourceFile: fileName)
            carried += 1
        }
        return carried
    }
}

public enum Huizong {
    public static let toolVersion = "huizong 0.1.0"
    public static let rulesVersion = "2012.1"
}

/// What the finish's worker threads read (never write): the reconciler, the IDs in order, the
/// files' names.
struct FinishInputs: @unchecked Sendable {
    let reconciler: Reconciler
    let order: [(id: UInt64, first: Int32)]
    let batches: [FileBatch]
    let fileCount: Int
    let carriedFile: String
    let unit: String
}

/// One chunk of consecutive IDs decided: its summary rows and report rows as bytes, and counts.
struct FinishChunk {
    /// IDs a chunk: ~3 MiB of summary rows; with two chunks waiting, memory stays small.
    static let ids = 1 << 14
    let summary: [UInt8]
    let rows: Int
    let report: [UInt8]
    let countByRule: [Int]
    let mergedByFile: [Int]
    let supersededByFile: [Int]

    init(_ k: Int, _ x: FinishInputs) {
        var summary: [UInt8] = [], report: [UInt8] = []
        var mergedByFile = [Int](repeating: 0, count: x.fileCount)
        var supersededByFile = [Int](repeating: 0, count: x.fileCount)
        let reconciler = x.reconciler, batches = x.batches, unit = x.unit
        var formatter = ReportRowFormatter()
        var scratch = Reconciler.Scratch()
        var fullLine: [UInt8] = []
        fullLine.reserveCapacity(512)
        let range = k * Self.ids..<min(x.order.count, (k + 1) * Self.ids)
        summary.reserveCapacity(range.count * 200)
        for i in range {
            let o = reconciler.outcome(id: x.order[i].id, first: x.order[i].first, &scratch)
            reconciler.writeCanonicalLine(group: o.winner, id: o.id, into: &fullLine)
            SummaryWriter.formatRow(number: i + 1, canonicalLine: fullLine, into: &summary)
            let wf = Int(o.winnerPosition.file)
            if wf < x.fileCount { mergedByFile[wf] += 1 }
            // Most IDs have one version and no finding: build report strings only when needed.
            guard !o.superseded.isEmpty || o.newestRejected != nil else { continue }
            let winnerName = wf < x.fileCount ? batches[wf].basename : x.carriedFile
            let idText = CitizenIDKey.text(o.id)
            let winnerPersonName = CanonicalLine.string(.name, in: reconciler.storedLine(group: o.winner))
            for (s, group) in o.superseded {
                supersededByFile[Int(s.file)] += 1
                let b = batches[Int(s.file)]
                formatter.append(Finding(rule: .superseded, line: Int(s.line), citizenID: idText,
                                         name: CanonicalLine.string(.name, in: reconciler.storedLine(group: group)),
                                         detail: "已被\(winnerName)第\(o.winnerPosition.line)行取代 superseded by \(winnerName) line \(o.winnerPosition.line)"),
                                 finder: unit, sourceUnit: b.from, sourceFile: b.basename, to: &report)
            }
            guard wf < x.fileCount else { continue }
            let wb = batches[wf]
            let wline = Int(o.winnerPosition.line)
            func flag(_ rule: RuleCode, _ field: Column?, _ detail: String) {
                let raw = field.map { CanonicalLine.string($0, in: reconciler.storedLine(group: o.winner)) } ?? ""
                formatter.append(Finding(rule: rule, line: wline, field: field, citizenID: idText, name: winnerPersonName,
                                         rawValue: raw, detail: detail),
                                 finder: unit, sourceUnit: wb.from, sourceFile: wb.basename, to: &report)
            }
            if o.conflict {
                flag(.conflict, nil, "同一更新时间有不同内容，按规范取字节序最大者 rows with the same update time differ; the byte-wise greatest canonical line wins")
            }
            if let field = o.identityMismatchField {
                flag(.identityMismatch, field, "同一身份证号的\(field.canonicalName)不一致，请核对身份证号 \(field.canonicalName) differs between rows of this ID; check the ID")
            }
            if o.multipleRegistration {
                flag(.multipleRegistration, .registeringUnit, "同一人由多个登记单位登记 registered by more than one unit")
            }
            if o.destinationEmptied {
                flag(.destEmptied, .destination, "最新记录的就业去向为空，而较早记录已填写 the newest row has no destination while an older one had one")
            }
            if let nr = o.newestRejected {
                let b = batches[Int(nr.at.file)]
                formatter.append(Finding(rule: .newestRejected, line: Int(nr.at.line), citizenID: idText, name: nr.name,
                                         detail: "最新记录被拒绝，沿用\(wb.basename)第\(wline)行 newest row rejected; \(wb.basename) line \(wline) stands"),
                                 finder: unit, sourceUnit: b.from, sourceFile: b.basename, to: &report)
            }
        }
        self.summary = summary
        self.rows = range.count
        self.report = report
        self.countByRule = formatter.countByRule
        self.mergedByFile = mergedByFile
        self.supersededByFile = supersededByFile
    }
}
