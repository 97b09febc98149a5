/// Stage 5, decide and write: every ID's winner is decided and the summary written in ID order,
/// with the SUPERSEDED / CONFLICT / IDENTITY_MISMATCH / MULTIPLE_REGISTRATION / DEST_EMPTIED /
/// NEWEST_REJECTED findings. Chunks of consecutive IDs are decided and formatted on every worker
/// thread (`FinishChunk`) and written in order; a chunk's bytes depend only on its IDs, so the
/// outputs are the same whatever the number of threads.
enum DecisionWriter {
    /// Per input file (by index): rows that won (merged) and rows that lost (superseded).
    struct FileCounts {
        var merged: [Int]
        var superseded: [Int]
    }

    /// Decides every ID of `reconciler` (call once, when every row is in) and writes the summary
    /// and the findings into `report`. `origins` are the inputs' (basename, sender) by index;
    /// `carriedFile` names the rows carried forward (file index `origins.count`).
    static func write(_ reconciler: Reconciler, origins: [FinishInputs.Origin], carriedFile: String, unit: String,
                      summary: SummaryWriter, report: DiscrepancyReportWriter) throws -> FileCounts {
        let fileCount = origins.count
        var counts = FileCounts(merged: Array(repeating: 0, count: fileCount), superseded: Array(repeating: 0, count: fileCount))
        let order = reconciler.decisionOrder()
        let chunkCount = (order.count + FinishChunk.ids - 1) / FinishChunk.ids
        let shared = FinishInputs(reconciler: reconciler, order: order, origins: origins, carriedFile: carriedFile, unit: unit)
        let finisher = OrderedParallelMap<FinishChunk>(count: chunkCount, workers: MonthlyRun.workerThreads, lookahead: 2) { k in
            FinishChunk(k, shared)
        }
        for k in 0..<chunkCount {
            let chunk = finisher.take(k)
            try summary.appendFormatted(chunk.summary, rows: chunk.rows)
            try report.appendFormatted(chunk.report, countByRule: chunk.countByRule)
            for i in 0..<fileCount {
                counts.merged[i] += chunk.mergedByFile[i]
                counts.superseded[i] += chunk.supersededByFile[i]
            }
        }
        return counts
    }
}

/// What the finish's worker threads read (never write): the reconciler, the IDs in order, the
/// files' names and senders.
struct FinishInputs: @unchecked Sendable {
    /// An input's basename (来源文件) and sender (来源单位).
    struct Origin {
        var file: String
        var from: String
    }

    let reconciler: Reconciler
    let order: [Reconciler.PendingID]
    let origins: [Origin]
    let carriedFile: String
    let unit: String
}

/// One chunk of consecutive IDs decided: its summary rows and report rows as bytes, and counts.
struct FinishChunk: Sendable {
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
        let fileCount = x.origins.count
        var mergedByFile = [Int](repeating: 0, count: fileCount)
        var supersededByFile = [Int](repeating: 0, count: fileCount)
        let reconciler = x.reconciler, origins = x.origins, unit = x.unit
        var formatter = ReportRowFormatter()
        var scratch = Reconciler.Scratch()
        var fullLine: [UInt8] = []
        fullLine.reserveCapacity(512)
        let range = k * Self.ids..<min(x.order.count, (k + 1) * Self.ids)
        summary.reserveCapacity(range.count * 200)
        for i in range {
            let o = reconciler.outcome(x.order[i], &scratch)
            reconciler.writeWinningLine(of: o, into: &fullLine)
            SummaryWriter.formatRow(number: i + 1, canonicalLine: fullLine, into: &summary)
            let wf = Int(o.winnerPosition.file)
            if wf < fileCount { mergedByFile[wf] += 1 }
            // Most IDs have one version and no finding: build report strings only when needed.
            guard !o.superseded.isEmpty || o.newestRejected != nil else { continue }
            let winnerName = wf < fileCount ? origins[wf].file : x.carriedFile
            let idText = CitizenIDKey.text(o.id)
            let winnerPersonName = reconciler.winnerField(.name, of: o)
            for s in o.superseded {
                supersededByFile[Int(s.at.file)] += 1
                let b = origins[Int(s.at.file)]
                formatter.append(Finding(rule: .superseded, line: Int(s.at.line), citizenID: idText,
                                         name: reconciler.field(.name, of: s),
                                         detail: "已被\(winnerName)第\(o.winnerPosition.line)行取代 superseded by \(winnerName) line \(o.winnerPosition.line)"),
                                 finder: unit, sourceUnit: b.from, sourceFile: b.file, to: &report)
            }
            guard wf < fileCount else { continue }
            let wb = origins[wf]
            let wline = Int(o.winnerPosition.line)
            func flag(_ rule: RuleCode, _ field: Column?, _ detail: String) {
                let raw = field.map { reconciler.winnerField($0, of: o) } ?? ""
                formatter.append(Finding(rule: rule, line: wline, field: field, citizenID: idText, name: winnerPersonName,
                                         rawValue: raw, detail: detail),
                                 finder: unit, sourceUnit: wb.from, sourceFile: wb.file, to: &report)
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
                let b = origins[Int(nr.at.file)]
                formatter.append(Finding(rule: .newestRejected, line: Int(nr.at.line), citizenID: idText, name: nr.name,
                                         detail: "最新记录被拒绝，沿用\(wb.file)第\(wline)行 newest row rejected; \(wb.file) line \(wline) stands"),
                                 finder: unit, sourceUnit: b.from, sourceFile: b.file, to: &report)
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
