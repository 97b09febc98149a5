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
    static func isValid(_ p: UnsafeBufferPointer<UInt8>, cohortYear: Int) -> Bool {
        guard TextNormalizer.isDigits(p, count: 6) else { return false }
        return DivisionTable.isInUse(TextNormalizer.decimal(p), upTo: cohortYear)
    }
}
