/// Last line of defence for SPEC 3.3/7 in reports: whatever text reaches a report (说明, 原值)
/// has e-mail addresses and phone-number-like runs replaced, even if a child's report carried
/// one. (Contact columns' 原值 are already blanked at load.)
enum ContactScrubber {
    static let replacement = "〔已隐去 removed〕"

    static func scrub(_ text: String) -> String {
        if text.isEmpty { return text }
        // Fast path: nothing that could be a phone number or an address.
        var digitsInRun = 0, longest = 0
        var at = false
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 { digitsInRun += 1; longest = max(longest, digitsInRun) }
            else if b != UInt8(ascii: "-") && b != UInt8(ascii: "+") { digitsInRun = 0 }
            if b == UInt8(ascii: "@") { at = true }
        }
        if !at && longest < 10 { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func isMailChar(_ c: Character) -> Bool {
            c.isASCII && (c.isLetter || c.isNumber || "._%+-".contains(c))
        }
        while i < chars.count {
            let c = chars[i]
            if c == "@" {
                // Drop the local part already emitted and the domain that follows.
                var cut = 0
                while cut < out.count, let last = out.last, isMailChar(last) { out.removeLast(); cut += 1 }
                var j = i + 1
                while j < chars.count && isMailChar(chars[j]) { j += 1 }
                out += replacement
                i = j
                continue
            }
            if isDigit(c) || ((c == "+") && i + 1 < chars.count && isDigit(chars[i + 1])) {
                // A run of digits, '-', '+', spaces inside a phone number.
                var j = i
                var digits = 0
                while j < chars.count && (isDigit(chars[j]) || chars[j] == "-" || (chars[j] == "+" && j == i)) {
                    if isDigit(chars[j]) { digits += 1 }
                    j += 1
                }
                let run = String(chars[i..<j])
                let plain = run.filter(isDigit)
                let mobile = plain.count == 11 && plain.hasPrefix("1") && "3456789".contains(Array(plain)[1])
                let intl = (plain.count == 13 && plain.hasPrefix("861"))
                let landline = run.contains("-") && plain.hasPrefix("0") && (10...12).contains(digits)
                out += (mobile || intl || landline) ? replacement : run
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
