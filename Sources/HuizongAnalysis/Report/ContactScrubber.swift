/// Last line of defence for SPEC 3.3/7 in reports: whatever text reaches a report (说明, 原值)
/// has e-mail addresses and phone-number-like runs replaced, even if a child's report carried
/// one. (Contact columns' 原值 are already blanked at load.) Works on UTF-8 bytes: every
/// character it looks for is ASCII.
enum ContactScrubber {
    static let replacement = "〔已隐去 removed〕"

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always) static func isMailByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x25
            || b == 0x2B || b == 0x2D
    }

    static func scrub(_ text: String) -> String {
        let s = Array(text.utf8)
        // Fast path: no '@' and no run of 10 or more digits (dashes inside allowed).
        var digits = 0, longest = 0
        var at = false
        for b in s {
            if isDigit(b) { digits += 1; longest = max(longest, digits) } else if b != 0x2D && b != 0x2B { digits = 0 }
            if b == 0x40 { at = true }
        }
        if !at && longest < 10 { return text }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        let rep = Array(replacement.utf8)
        var i = 0
        while i < s.count {
            let b = s[i]
            if b == 0x40 {  // '@': drop the local part already copied and the domain that follows
                while let last = out.last, isMailByte(last) { out.removeLast() }
                var j = i + 1
                while j < s.count && isMailByte(s[j]) { j += 1 }
                out += rep
                i = j
                continue
            }
            if isDigit(b) || (b == 0x2B && i + 1 < s.count && isDigit(s[i + 1])) {
                var j = i
                var n = 0
                var plain: [UInt8] = []
                while j < s.count && (isDigit(s[j]) || s[j] == 0x2D || (s[j] == 0x2B && j == i)) {
                    if isDigit(s[j]) { n += 1; plain.append(s[j]) }
                    j += 1
                }
                let hasDash = s[i..<j].contains(0x2D)
                let mobile = n == 11 && plain[0] == 0x31 && plain[1] >= 0x33
                let international = n == 13 && plain.starts(with: [0x38, 0x36, 0x31]) && plain[3] >= 0x33
                let landline = hasDash && plain[0] == 0x30 && (10...12).contains(n)
                if mobile || international || landline { out += rep } else { out += s[i..<j] }
                i = j
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
