/// 性别 — `SEX_INVALID` (reject).
///
/// SPEC 5: "性别 | `男`/`女`; also `1`/`2` (GB/T 2261.1) → `男`/`女` | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
enum SexRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let sexInvalid = RuleCode.Definition("SEX_INVALID", .reject, .field(.sex), chinese: "性别须为男/女或1/2", english: "sex must be 男/女 or 1/2")

    enum Sex {
        case male, female

        /// Canonical value: 男 / 女.
        var canonical: StaticString { self == .male ? "男" : "女" }
    }

    /// The sex written in the normalised cell, or nil when the rule is broken.
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Sex? {
        if p.equals("男") || p.equals("1") { return .male }
        if p.equals("女") || p.equals("2") { return .female }
        return nil
    }
}

extension SexRule {
    /// 性别 in the record: 男 or 女, or the invalid cell. Returns the valid sex.
    static func apply(_ row: inout CanonicalRow) -> Sex? {
        let cell = row.next(.sex)
        guard let sex = parse(cell) else {
            row.keepInvalid(cell, .sexInvalid, .sex)
            return nil
        }
        row.line.append(sex.canonical)
        return sex
    }
}

extension RuleCode {
    /// 性别 is none of 男, 女, 1, 2.
    public static let sexInvalid = RuleCode(SexRule.sexInvalid)
}
