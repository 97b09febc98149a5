/// 电子邮箱 — `EMAIL_INVALID` (flag).
///
/// SPEC 5: "电子邮箱 | empty, or a plausible address | flag".
/// 填写说明（六）: "电子邮箱、邮编、手机号码、固定电话请如实填写。"
///
/// Plausible: exactly one `@`; a local part of one or more of `A-Z a-z 0-9 . _ % + -`; a domain of
/// two or more dot-separated labels of `A-Z a-z 0-9 -`, none empty, none starting or ending with
/// `-`, the last at least two letters. Full-width `＠` is not folded. Never copied into a report.
enum EmailRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let emailInvalid = RuleCode.Definition("EMAIL_INVALID", .flag, .field(.email), chinese: "电子邮箱格式错误", english: "e-mail address malformed")

    /// Bytes allowed in the local part: `A-Z a-z 0-9 . _ % + -`.
    @inline(__always)
    static func isLocal(_ b: UInt8) -> Bool {
        isAlnum(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
    }

    @inline(__always)
    static func isAlnum(_ b: UInt8) -> Bool { (b &- 0x30) <= 9 || isLetter(b) }

    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { ((b | 0x20) &- 0x61) <= 25 }

    static func isPlausible(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.isEmpty { return true }
        let n = p.count
        // Local part, up to the `@`.
        var i = 0
        while i < n && p[i] != 0x40 {
            guard isLocal(p[i]) else { return false }
            i += 1
        }
        guard i > 0, i < n else { return false }
        i += 1
        // Domain: labels separated by single dots, one pass.
        var labels = 0
        var labelStart = i
        var allLetters = true
        while true {
            let atEnd = i == n
            let b: UInt8 = atEnd ? 0x2E : p[i]
            if b == 0x2E {
                let len = i - labelStart
                guard len > 0, p[labelStart] != 0x2D, p[i - 1] != 0x2D else { return false }
                labels += 1
                if atEnd { return labels >= 2 && allLetters && len >= 2 }
                labelStart = i + 1
                allLetters = true
            } else if isLetter(b) {
                // stays all letters
            } else if (b &- 0x30) <= 9 || b == 0x2D {
                allLetters = false
            } else {
                return false // a second `@`, or any other byte
            }
            i += 1
        }
    }
}

extension EmailRule {
    /// 电子邮箱 in the record: the cell, checked.
    static func apply(_ row: inout CanonicalRow) {
        row.keepChecking(.email, .emailInvalid, isPlausible)
    }
}

extension RuleCode {
    /// 电子邮箱 neither empty nor a plausible address.
    public static let emailInvalid = RuleCode(EmailRule.emailInvalid)
}
