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
enum PhoneRules {
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
