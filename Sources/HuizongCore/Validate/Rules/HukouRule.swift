/// 入学前户口所在地 — `HUKOU_INVALID` (reject).
///
/// SPEC 5: "入学前户口所在地 | 6-digit GB/T 2260 code in the division table: province, prefecture
/// or county level, current or historic, in use in some year up to the cohort year | reject".
/// 填写说明（五）: "入学前户口所在地指高校毕业生入学前户口所在地址，请填写对应的行政区划代码。具体代码
/// 分类参照GB/T 2260-2007《中华人民共和国行政区划代码》。"
///
/// Exactly 6 ASCII digits after the general normalisation, and `DivisionTable.isInUse(code,
/// upTo: cohortYear)`. Canonical: the 6 digits.
enum HukouRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let hukouInvalid = RuleCode.Definition("HUKOU_INVALID", .reject, .field(.hukou), chinese: "入学前户口所在地须为6位行政区划代码", english: "household must be a 6-digit GB/T 2260 code")

    static func isValid(_ p: UnsafeBufferPointer<UInt8>, cohortYear: Int) -> Bool {
        guard TextNormalizer.isDigits(p, count: 6) else { return false }
        return DivisionTable.isInUse(TextNormalizer.decimal(p), upTo: cohortYear)
    }
}

extension HukouRule {
    /// 入学前户口所在地 in the record: the cell, checked.
    static func apply(_ row: inout CanonicalRow, cohortYear: Int) {
        row.keepChecking(.hukou, .hukouInvalid) { isValid($0, cohortYear: cohortYear) }
    }
}

extension RuleCode {
    /// 入学前户口所在地 not a 6-digit division code in use up to the cohort year.
    public static let hukouInvalid = RuleCode(HukouRule.hukouInvalid)
}
