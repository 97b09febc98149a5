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

    /// Masks every run of 15–18 ID-like characters inside free text (说明, 原值) too.
    public static func maskEmbedded(_ text: String) -> String {
        var run = 0, longest = 0
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "X") || b == UInt8(ascii: "x") { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        if longest < 15 { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        func isIDChar(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c == "X" || c == "x") }
        while i < chars.count {
            if isIDChar(chars[i]) {
                var j = i
                while j < chars.count && isIDChar(chars[j]) { j += 1 }
                let run = String(chars[i..<j])
                out += (j - i >= 15) ? mask(run) : run
                i = j
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}
