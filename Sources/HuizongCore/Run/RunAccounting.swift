/// Stage 7a, account (SPEC 3.2): each input's lines, and the run's totals, must balance —
/// linesRead = blank + rejected + merged + superseded + duplicate over the files read, and
/// outputRows = merged + carriedForward. A mismatch is a bug: the run fails before anything is
/// published.
struct RunAccounting {
    /// The manifest's `inputs`, in processing order.
    private(set) var inputs: [Manifest.Input] = []
    private(set) var totals: Manifest.Accounting

    init(inputs batches: [FileSummary], counts: DecisionWriter.FileCounts, carried: Int, outputRows: Int) throws {
        var lines = 0, blank = 0, rejected = 0, merged = 0, superseded = 0, duplicate = 0
        for (i, b) in batches.enumerated() {
            let m = counts.merged[i], s = counts.superseded[i]
            let d = b.acceptedRows - (m + s)
            var entry = Manifest.Input(file: b.basename, from: b.from, sha256: b.sha256 ?? "",
                                       status: b.rejection == nil ? "read" : "rejected",
                                       lines: .init(linesRead: b.linesRead, blank: b.blank, rejected: b.rejectedLines,
                                                    merged: m, superseded: s, duplicate: d))
            entry.rule = b.rejection?.rule.rawValue
            entry.baseTable = b.isBaseTable ? true : nil
            entry.encoding = b.encoding?.rawValue
            if !b.preamble.isEmpty {
                entry.preamble = OrderedStrings(Preamble.labels.map { ($0, b.preamble.values[$0] ?? "") })
            }
            inputs.append(entry)
            guard b.rejection == nil else { continue }
            let sum = b.blank + b.rejectedLines + m + s + d
            guard sum == b.linesRead, d >= 0 else {
                throw OutputError.io("内部错误：\(b.basename)行数不平衡 internal error: accounting does not balance for \(b.basename) (\(b.linesRead) read, \(sum) accounted)")
            }
            lines += b.linesRead; blank += b.blank; rejected += b.rejectedLines
            merged += m; superseded += s; duplicate += d
        }
        guard outputRows == merged + carried else {
            throw OutputError.io("内部错误：输出行数不平衡 internal error: output rows \(outputRows) != merged \(merged) + carried \(carried)")
        }
        totals = Manifest.Accounting(lines: .init(linesRead: lines, blank: blank, rejected: rejected, merged: merged,
                                                  superseded: superseded, duplicate: duplicate),
                                     carriedForward: carried, outputRows: outputRows)
    }
}
