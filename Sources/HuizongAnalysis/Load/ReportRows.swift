import HuizongCore

/// Streams a discrepancy report `U-P.discrepancies.csv.gz` (SPEC 3.3) row by row, as the loader
/// and the exports read it: gunzipped, a UTF-8 BOM skipped, the columns found by name in the
/// header (any order, extra columns allowed), blank lines skipped, every row UTF-8 and as wide as
/// the header. Errors are `LoadError`s naming the file and line.
final class ReportRows {
    /// The report's columns, in SPEC 3.3 order: `Row.cell(i)` is column i of these.
    static let columns = DiscrepancyReportWriter.columns

    /// One row, valid during the call it is passed to.
    struct Row {
        /// The physical line in the report.
        let line: Int
        fileprivate let buffer: UnsafeBufferPointer<UInt8>
        fileprivate let cells: [Range<Int>]
        fileprivate let map: [Int]

        /// Column `i` of `ReportRows.columns`, unquoted.
        func cell(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[cells[map[i]]]) }
        func string(_ i: Int) -> String { String(decoding: cell(i), as: UTF8.self) }
    }

    private let path: String
    private let lines: LineReader

    init(path: String) throws {
        self.path = path
        do {
            lines = LineReader(source: try DecompressedStream(file: try InputFile(path: path)))
            let head = try lines.peek(3)
            if head.count == 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { lines.skip(3) }
        } catch {
            throw LoadError("问题报告无法读取 cannot read the discrepancy report \(path): \(error)")
        }
    }

    /// Calls `body` with every row after the header, in file order.
    func forEach(_ body: (Row) throws -> Void) throws {
        var map: [Int] = []  // report column index -> cell index
        var width = 0
        var bytes: [UInt8] = []
        var cells: [Range<Int>] = []
        while true {
            let event: LineReader.Event
            do { event = try lines.next() } catch { throw LoadError("问题报告读取失败 cannot read \(path): \(error)") }
            guard case .line(let line) = event else {
                if case .end = event { return }
                throw LoadError("问题报告第\(lines.lineNumber)行过长 \(path) line \(lines.lineNumber) is too long")
            }
            if CSVLineSplitter.isBlank(line) { continue }
            bytes.removeAll(keepingCapacity: true)
            cells.removeAll(keepingCapacity: true)
            guard UTF8Validator.isValid(line), CSVLineSplitter.split(line, bytes: &bytes, cells: &cells) else {
                throw LoadError("问题报告第\(lines.lineNumber)行格式错误 \(path) line \(lines.lineNumber) is malformed; get the report again")
            }
            if map.isEmpty {
                let names = cells.map { HeaderName.normalize(String(decoding: bytes[$0], as: UTF8.self)) }
                for c in Self.columns {
                    guard let i = names.firstIndex(of: c) else {
                        throw LoadError("问题报告缺少列\(c) \(path) lacks the column \(c): is it a discrepancy report (U-P.discrepancies.csv.gz)?")
                    }
                    map.append(i)
                }
                width = names.count
                continue
            }
            guard cells.count == width else {
                throw LoadError("问题报告第\(lines.lineNumber)行列数不符 \(path) line \(lines.lineNumber): wrong number of fields")
            }
            let number = lines.lineNumber
            try bytes.withUnsafeBufferPointer { try body(Row(line: number, buffer: $0, cells: cells, map: map)) }
        }
    }
}
