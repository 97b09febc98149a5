/// One input to read, in processing order.
struct InputSpec: Sendable {
    var path: String
    /// The unit that sent it: the county itself for intake batches; above county the 6-digit code
    /// its name starts with ("" when it starts with none).
    var from: String
    /// A child's data file: must match this manifest (SPEC 3.2).
    var manifestPath: String?
    /// A county's own output for P−1, read first (SPEC 6).
    var isBaseTable = false

    init(path: String, from: String, manifestPath: String? = nil, isBaseTable: Bool = false) {
        self.path = path
        self.from = from
        self.manifestPath = manifestPath
        self.isBaseTable = isBaseTable
    }

    var basename: String { AtomicOutputDirectory.split(path).1 }
}

/// Stage 1, plan the inputs: which files the run reads and in which order — a county's base
/// table first, then files by basename (SPEC 6) — and which inbox entries it passes over
/// (SPEC 8.1). Reads directory listings only; opens no file.
struct InputPlan {
    /// The inputs in processing order.
    var inputs: [InputSpec]
    /// Inbox entries not read: one FILE_SKIPPED info each.
    var skipped: [InboxListing.Skipped]
    /// The inbox folder, when it does not exist (a warning: only last month's table is read).
    var missingInbox: String?

    init(_ r: MonthlyRun.RequestContext) throws(RunFailure) {
        var paths: [String]
        skipped = []
        if let files = r.files {
            for f in files where !FileSystem.exists(f) { throw .usage("找不到输入文件 no such input file: \(f)") }
            paths = files
        } else {
            // SPEC 8.1: which inbox entries are tables, which are passed over, which are FILE_SKIPPED.
            let inbox = r.config!.inbox(unit: r.unit, period: r.period)
            if !FileSystem.isDirectory(inbox) { missingInbox = inbox }
            let listing = InboxListing(directory: inbox)
            paths = listing.files
            skipped = listing.skipped
        }
        inputs = r.level == .county ? paths.map { InputSpec(path: $0, from: r.unit.description) } : paths.compactMap(Self.childInput)
        inputs.sort { ($0.basename, $0.path) < ($1.basename, $1.path) }
        if r.level == .county, let previous = r.previousOutput, FileSystem.exists(previous) {
            inputs.insert(InputSpec(path: previous, from: r.unit.description, isBaseTable: true), at: 0)
        }
    }

    /// Above county: a child's data file, named `C-P.csv.gz`, with its manifest beside it. A
    /// child's manifest or report is part of its submission, not an input of its own.
    static func childInput(_ path: String) -> InputSpec? {
        let (dir, name) = AtomicOutputDirectory.split(path)
        if name.hasSuffix(".manifest.json") || name.hasSuffix(".discrepancies.csv.gz") { return nil }
        var stem = name
        for suffix in [".csv.gz", ".csv", ".gz"] where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        let sender = String(stem.prefix(6))
        let from = sender.count == 6 && sender.allSatisfy({ $0.isASCII && $0.isNumber }) ? sender : ""
        return InputSpec(path: path, from: from, manifestPath: dir + "/" + stem + ".manifest.json")
    }

    /// One FILE_SKIPPED info per inbox entry passed over, found by the running unit.
    func reportSkipped(into report: DiscrepancyReportWriter, unit: String) throws {
        for s in skipped {
            try report.append(Finding(rule: .fileSkipped, line: nil, detail: s.reason),
                              finder: unit, sourceUnit: unit, sourceFile: s.name)
        }
    }
}
