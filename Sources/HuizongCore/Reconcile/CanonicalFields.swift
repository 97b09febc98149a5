/// Fields of a canonical line (every column but 序号, CSV-encoded) by column — for the rare
/// comparisons reconciliation makes between versions of one person (IDENTITY_MISMATCH,
/// MULTIPLE_REGISTRATION, DEST_EMPTIED). Not on the hot path.
public struct CanonicalFields {
    public let values: [String]

    public init<C: Collection>(_ line: C) where C.Element == UInt8 {
        values = CSVLineSplitter.cells(of: String(decoding: line, as: UTF8.self)) ?? []
    }

    /// The canonical value of a column (序号 is not part of the line).
    public func field(_ c: Column) -> String {
        let i = c.rawValue - 1
        return i >= 0 && i < values.count ? values[i] : ""
    }
}
