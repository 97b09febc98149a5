/// 手机号码, 固定电话 — `MOBILE_INVALID`, `LANDLINE_INVALID`, `NO_PHONE` (flags).
///
/// SPEC 5:
/// - "手机号码 | empty, or `1[3-9]\d{9}` (a leading `+86` or `86` is always stripped first) | flag"
/// - "固定电话 | empty, or `0\d{2,3}-?\d{7,8}` with an optional `-` extension | flag"
/// - "手机号码 and 固定电话 | both empty: no way to follow up | flag"
///
/// 填写说明（六）: "电子邮箱、邮编、手机号码、固定电话请如实填写。"
///
/// The mobile's canonical value is the stripped one. The extension is `-` and 1–6 digits. NO_PHONE
/// (字段 手机号码) fires only when both are empty after normalisation (and stripping): a non-empty
/// but malformed number is not empty. Contact values never reach a report (SPEC 3.3).
enum PhoneRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let mobileInvalid = RuleCode.Definition("MOBILE_INVALID", .flag, .field(.mobile), chinese: "手机号码格式错误", english: "mobile number malformed")
    static let landlineInvalid = RuleCode.Definition("LANDLINE_INVALID", .flag, .field(.landline), chinese: "固定电话格式错误", english: "landline number malformed")
    static let noPhone = RuleCode.Definition("NO_PHONE", .flag, .field(.mobile), chinese: "手机号码和固定电话均为空，无法回访", english: "no phone number; no way to follow up")

    /// The mobile number without a leading `+86` or `86`.
    static func strippedMobile(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if p.count >= 3, p[0] == 0x2B, p[1] == 0x38, p[2] == 0x36 { return p.slice(3..<p.count) }
        if p.count >= 2, p[0] == 0x38, p[1] == 0x36 { return p.slice(2..<p.count) }
        return p
    }

    /// `p` is the stripped mobile number: empty, or `1[3-9]\d{9}`.
    static func isValidMobile(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.isEmpty { return true }
        guard TextNormalizer.isDigits(p, count: 11), p[0] == 0x31 else { return false }
        return p[1] >= 0x33
    }

    /// Empty, or `0\d{2,3}-?\d{7,8}(-\d{1,6})?`.
    static func isValidLandline(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.isEmpty { return true }
        let n = p.count
        guard p[0] == 0x30 else { return false }
        var i = 1
        /// Length of the digit run at i (advances i).
        func run() -> Int {
            let s = i
            while i < n, p[i] &- 0x30 <= 9 { i += 1 }
            return i - s
        }
        let a = run()
        if a >= 2 && a <= 3 {
            // Area code, `-`, 7–8 digit number.
            guard i < n, p[i] == 0x2D else { return false }
            i += 1
            let b = run()
            guard b >= 7 && b <= 8 else { return false }
        } else {
            // Area code and number written together: 2–3 + 7–8 digits.
            guard a >= 9 && a <= 11 else { return false }
        }
        if i == n { return true }
        guard p[i] == 0x2D else { return false }
        i += 1
        let e = run()
        return e >= 1 && e <= 6 && i == n
    }
}

extension PhoneRule {
    /// 手机号码 (stripped of `+86`/`86`) and 固定电话 in the record: the cells, checked; then
    /// both empty.
    static func apply(_ row: inout CanonicalRow) {
        let mobile = strippedMobile(row.next(.mobile))
        if !isValidMobile(mobile) { row.fire(.mobileInvalid, .mobile) }
        row.keep(mobile)
        let landline = row.next(.landline)
        if !isValidLandline(landline) { row.fire(.landlineInvalid, .landline) }
        row.keep(landline)
        if mobile.isEmpty && landline.isEmpty { row.fire(.noPhone, .mobile) }
    }
}

extension RuleCode {
    /// 手机号码 neither empty nor `1[3-9]\d{9}` after stripping `+86`/`86`.
    public static let mobileInvalid = RuleCode(PhoneRule.mobileInvalid)
    /// 固定电话 neither empty nor `0\d{2,3}-?\d{7,8}` with an optional extension.
    public static let landlineInvalid = RuleCode(PhoneRule.landlineInvalid)
    /// 手机号码 and 固定电话 both empty.
    public static let noPhone = RuleCode(PhoneRule.noPhone)
}
