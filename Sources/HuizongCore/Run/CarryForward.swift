/// Stage 4, carry forward (SPEC 6, last point): above county, the rows of U's previous output
/// with no accepted row this period are carried into the merge — VANISHED, or STALE when the
/// child they lie under is missing or rejected whole. Their report rows leave 行号 empty and name
/// the previous output as 来源文件.
struct CarryForward {
    /// How many rows were carried, and from which file (its basename; "" when none was read).
    struct Carried {
        var rows = 0
        var file = ""
    }

    let request: MonthlyRun.RequestContext

    /// Carries the rows into `reconciler` as file `index` (after every input) and reports each.
    func carry(into reconciler: Reconciler, report: DiscrepancyReportWriter, index: Int,
               unavailable: Set<String>) throws -> Carried {
        let r = request
        guard r.level != .county, let config = r.config, let path = r.previousOutput, FileSystem.exists(path) else {
            return Carried()
        }
        let reader = try SummaryFileReader(path: path, options: .init(requireRegisteringUnit: true))
        guard reader.header.cellColumns == Column.allCases.map(Optional.some) else {
            throw OutputError.io("上期输出格式不符 previous output \(path) does not have the canonical columns")
        }
        let fileName = AtomicOutputDirectory.split(path).1
        let children = config.children(of: r.unit.description)
        var carried = Carried(rows: 0, file: fileName)
        var canonical: [UInt8] = []
        try reader.forEachRecord { raw in
            guard let id = CitizenIDKey.parse(raw.cell(.citizenID)), !reconciler.contains(id: id) else { return }
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
                              finder: r.unit.description, sourceUnit: r.unit.description, sourceFile: fileName)
            carried.rows += 1
        }
        return carried
    }
}
