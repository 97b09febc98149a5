/// 邮编 — `POSTCODE_INVALID` (flag).
///
/// SPEC 5: "邮编 | empty, or 6 digits | flag".
/// 填写说明（六）: "电子邮箱、邮编、手机号码、固定电话请如实填写。"
///
/// 6 ASCII digits after the general normalisation. A postcode is not a contact value: its 原值 is
/// reported.
enum PostcodeRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let postcodeInvalid = RuleCode.Definition("POSTCODE_INVALID", .flag, .field(.postcode), chinese: "邮编须为6位数字", english: "postcode must be 6 digits")

    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.isEmpty || TextNormalizer.isDigits(p, count: 6)
    }
}

extension PostcodeRule {
    /// 邮编 in the record: the cell, checked.
    static func apply(_ row: inout CanonicalRow) {
        row.keepChecking(.postcode, .postcodeInvalid, isValid)
    }
}

extension RuleCode {
    /// 邮编 neither empty nor 6 digits.
    public static let postcodeInvalid = RuleCode(PostcodeRule.postcodeInvalid)
}
