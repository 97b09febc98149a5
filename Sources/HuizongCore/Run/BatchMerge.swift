/// Stage 3b, reconcile: commits each input's batch, in processing order, to the `Reconciler`
/// (rows) and to the report (findings). A DUPLICATE is known at once and joins the file's
/// findings after those of its own line. Keeps what each committed file contributed (its
/// `FileSummary`) for the accounting; one merge per run, so a second run starts from nothing.
struct BatchMerge {
    let reconciler = Reconciler()
    private let unit: String
    private let report: DiscrepancyReportWriter
    /// The committed inputs, by file index (rejected files included).
    private(set) var inputs: [FileSummary] = []

    init(unit: String, report: DiscrepancyReportWriter) {
        self.unit = unit
        self.report = report
    }

    /// Adds a file's rows to the merge and its findings to the report, in line order; then frees
    /// its rows (they now live in the reconciler) and keeps its counts.
    mutating func commit(_ batch: FileBatch, of spec: InputSpec) throws {
        try merge(batch, index: inputs.count)
        batch.releaseContent()
        inputs.append(FileSummary(batch, isBaseTable: spec.isBaseTable))
    }

    private func merge(_ batch: FileBatch, index: Int) throws {
        let unit = unit, report = report, reconciler = reconciler
        func append(_ f: Finding) throws {
            try report.append(f, finder: unit, sourceUnit: batch.from, sourceFile: batch.basename)
        }
        if let rej = batch.rejection {
            try append(Finding(rule: rej.rule, line: nil, detail: rej.detail.isEmpty ? nil : rej.detail))
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
                try append(f)
                nextFinding = pending.next()
            }
        }
        var duplicates: [Finding] = []  // only if the file's findings are not in line order (never, as read)
        try batch.forEachRecord { record in
            switch record {
            case .row(let id, let time, let lineNumber, let line):
                let admission = reconciler.add(id: id, time: time, line: line, at: RowPosition(file: index, line: lineNumber))
                if case .duplicate(let first) = admission {
                    let firstFile = first.file == Int32(index) ? batch.basename : inputs[Int(first.file)].basename
                    let dup = Finding(rule: .duplicate, line: lineNumber, citizenID: CitizenIDKey.text(id),
                                      name: CanonicalLine.string(.name, in: line),
                                      detail: "与\(firstFile)第\(first.line)行内容相同 same content as \(firstFile) line \(first.line)")
                    if inOrder {
                        try flush(through: lineNumber)
                        try append(dup)
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
            try FindingSpool.inLineOrder(batch.findings.all() + duplicates).forEach(append)
        }
    }
}
