/// 邮编 — `POSTCODE_INVALID` (flag).
///
/// SPEC 5: "邮编 | empty, or 6 digits | flag".
/// 填写说明（六）: "电子邮箱、邮编、手机号码、固定电话请如实填写。"
///
/// 6 ASCII digits after the general normalisation. A postcode is not a contact value: its 原值 is
/// reported.
enum PostcodeRule {
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.isEmpty || TextNormalizer.isDigits(p, count: 6)
    }
}
