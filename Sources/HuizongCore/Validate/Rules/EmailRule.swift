/// 电子邮箱 — `EMAIL_INVALID` (flag).
///
/// SPEC 5: "电子邮箱 | empty, or a plausible address | flag".
/// 填写说明（六）: "电子邮箱、邮编、手机号码、固定电话请如实填写。"
///
/// Plausible: exactly one `@`; a local part of one or more of `A-Z a-z 0-9 . _ % + -`; a domain of
/// two or more dot-separated labels of `A-Z a-z 0-9 -`, none empty, none starting or ending with
/// `-`, the last at least two letters. Full-width `＠` is not folded. Never copied into a report.
enum EmailRule {
    static func isPlausible(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.isEmpty { return true }
        @inline(__always) func isAlnum(_ b: UInt8) -> Bool {
            (b &- 0x30) <= 9 || ((b | 0x20) &- 0x61) <= 25
        }
        var at = -1
        for i in 0..<p.count where p[i] == 0x40 {
            guard at < 0 else { return false }
            at = i
        }
        guard at > 0 else { return false }
        for i in 0..<at {
            let b = p[i]
            guard isAlnum(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D else { return false }
        }
        var labels = 0
        var start = at + 1
        var lastAllLetters = false
        var lastLength = 0
        var i = start
        while i <= p.count {
            if i == p.count || p[i] == 0x2E {
                let len = i - start
                guard len > 0, p[start] != 0x2D, p[i - 1] != 0x2D else { return false }
                labels += 1
                lastLength = len
                lastAllLetters = true
                for k in start..<i where ((p[k] | 0x20) &- 0x61) > 25 { lastAllLetters = false }
                start = i + 1
            } else if !(isAlnum(p[i]) || p[i] == 0x2D) {
                return false
            }
            i += 1
        }
        return labels >= 2 && lastAllLetters && lastLength >= 2
    }
}
