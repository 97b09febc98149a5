/// One data line of a summary file, split into cells and mapped to columns: the input of
/// validation. Cells are UTF-8 bytes (already decoded from GB18030 where needed), CSV-unquoted,
/// untrimmed. The storage is reused line after line: no per-row allocation on the hot path.
public struct RawRecord: Sendable {
    /// Physical line number in the source file, from 1 (SPEC 3.1).
    public var line: Int
    /// All cells' bytes back to back.
    public var bytes: [UInt8]
    /// For each `Column.rawValue`, the cell's range in `bytes`; nil when the file lacks the column.
    public var ranges: [Range<Int>?]
    /// The 公民身份号码 cell of a workbook was a number, not text (SPEC 8.2: `ID_EXCEL_NUMBER`).
    public var citizenIDIsNumber = false

    public init(line: Int = 0) {
        self.line = line
        self.bytes = []
        self.bytes.reserveCapacity(1024)
        self.ranges = Array(repeating: nil, count: Column.count)
    }

    /// Builds a record from strings (tests, small tools). Absent columns are nil.
    public init(line: Int, values: [Column: String]) {
        self.init(line: line)
        for (column, value) in values.sorted(by: { $0.key < $1.key }) {
            let start = bytes.count
            bytes.append(contentsOf: Array(value.utf8))
            ranges[column.rawValue] = start..<bytes.count
        }
    }

    public func has(_ column: Column) -> Bool { ranges[column.rawValue] != nil }

    /// The cell's bytes; empty when the column is absent.
    @inlinable
    public func cell(_ column: Column) -> ArraySlice<UInt8> {
        guard let r = ranges[column.rawValue] else { return [] }
        return bytes[r]
    }

    /// The cell as a String (for messages and 原值; not for the hot path).
    public func string(_ column: Column) -> String {
        String(decoding: cell(column), as: UTF8.self)
    }

    public mutating func reset(line: Int) {
        self.line = line
        citizenIDIsNumber = false
        bytes.removeAll(keepingCapacity: true)
        for i in 0..<ranges.count { ranges[i] = nil }
    }
}
