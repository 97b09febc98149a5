/// The result of validating one `RawRecord`: the canonical row and what reconciliation needs.
/// Reused line after line (the buffers keep their capacity).
public struct ValidatedRecord: Sendable {
    /// Columns 姓名 … 登记单位 (every column but 序号) in output order, each in canonical form,
    /// CSV-encoded (quoted only where RFC 4180 requires), joined by commas, no line ending.
    /// This is exactly the "canonical CSV line" of SPEC 6: content equality and the conflict
    /// tie-break are byte comparisons of it.
    public var canonicalLine: [UInt8]
    /// The normalised 18-character ID packed as `first17digits * 11 + checkValue` (X = 10), when
    /// the ID has a valid form (format, birth date and check digit), even if the row is rejected
    /// for another reason. Packing preserves the ID's byte order.
    public var idKey: UInt64?
    /// 公民身份号码 for the report: normalised where possible, else the trimmed raw value.
    public var idText: String
    /// 姓名 for the report: normalised where possible, else the trimmed raw value.
    public var nameText: String
    /// 更新时间 as Unix seconds, when valid (or taken from the template's 填报时间).
    public var updatedAt: Int64?
    /// Some reject rule fired: the row is not merged.
    public var isRejected: Bool

    public init() {
        canonicalLine = []
        canonicalLine.reserveCapacity(512)
        idKey = nil
        idText = ""
        nameText = ""
        updatedAt = nil
        isRejected = false
    }

    public mutating func reset() {
        canonicalLine.removeAll(keepingCapacity: true)
        idKey = nil
        idText = ""
        nameText = ""
        updatedAt = nil
        isRejected = false
    }
}
