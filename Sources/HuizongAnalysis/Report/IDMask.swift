/// Masks a citizen ID in the middle for reports (e.g. `110105********5196`): the region (first
/// 6) and the last 4 stay, the birth date and sequence do not. Other lengths (a rejected,
/// malformed ID) keep at most a third at the front and 4 at the end, and always hide something.
public enum IDMask {
    public static func mask(_ id: String) -> String {
        let chars = Array(id)
        let n = chars.count
        if n == 0 { return "" }
        if n <= 4 { return String(repeating: "*", count: n) }
        let head = n >= 18 ? 6 : min(6, n / 3)
        let tail = min(4, max(1, (n - head) / 3))
        let hidden = n - head - tail
        return String(chars[0..<head]) + String(repeating: "*", count: hidden) + String(chars[(n - tail)...])
    }

    /// Masks every run of 15 or more ID-like characters (digits, X) inside free text (说明, 原值).
    public static func maskEmbedded(_ text: String) -> String {
        let s = Array(text.utf8)
        @inline(__always) func isIDByte(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || b == 0x58 || b == 0x78 }
        var run = 0, longest = 0
        for b in s { if isIDByte(b) { run += 1; longest = max(longest, run) } else { run = 0 } }
        if longest < 15 { return text }
        var out = ""
        var i = 0
        var plainStart = 0
        while i < s.count {
            guard isIDByte(s[i]) else { i += 1; continue }
            var j = i
            while j < s.count && isIDByte(s[j]) { j += 1 }
            if j - i >= 15 {
                out += String(decoding: s[plainStart..<i], as: UTF8.self)
                out += mask(String(decoding: s[i..<j], as: UTF8.self))
                plainStart = j
            }
            i = j
        }
        return out + String(decoding: s[plainStart...], as: UTF8.self)
    }
}
