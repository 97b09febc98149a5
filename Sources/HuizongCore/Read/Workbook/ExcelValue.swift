/// How a workbook's numbers become cell text (SPEC 8.2): a number as its shortest exact decimal
/// (no thousands separators, no exponent), and a date-formatted number in 毕业日期 or 更新时间 as
/// the date/time it shows (1900 or 1904 date system, China time, rounded to the nearest second).
public enum ExcelValue {
    /// Appends the shortest decimal that reads back as the same double as `v` (the `<v>` text),
    /// without an exponent. Fast path: a plain decimal of at most 15 significant digits is its own
    /// shortest form once its redundant zeros go (15 digits always round-trip through a double).
    public static func appendNumber<C: Collection>(_ v: C, to out: inout [UInt8]) where C.Element == UInt8 {
        var digits = 0
        var plain = true
        var seenDot = false
        var leading = true
        var first = true
        for b in v {
            defer { first = false }
            if b &- 0x30 <= 9 {
                if b != 0x30 || !leading { leading = false; digits += 1 }
            } else if b == 0x2E && !seenDot {
                seenDot = true
            } else if b == 0x2D && first {
                continue
            } else {
                plain = false
                break
            }
        }
        if plain && digits <= 15 && !v.isEmpty {
            // The usual cell (`3`, `110105`): an integer already in its shortest form.
            if !seenDot, let f = v.first, f != 0x2D, f != 0x30 || v.count == 1 {
                out.append(contentsOf: v)
                return
            }
            appendPlain(Array(v), to: &out)
            return
        }
        guard let d = Double(String(decoding: Array(v), as: UTF8.self)), d.isFinite else {
            out.append(contentsOf: v)  // not a number after all: as written
            return
        }
        appendPlain(expand(d.description), to: &out)
    }

    /// `-`? digits (`.` digits)? with leading zeros of the integer part and trailing zeros of the
    /// fraction removed; `-0` is `0`.
    static func appendPlain(_ s: [UInt8], to out: inout [UInt8]) {
        var neg = false
        var i = 0
        if i < s.count, s[i] == 0x2D { neg = true; i += 1 }
        var intPart = Array(s[i...].prefix { $0 != 0x2E })
        var frac: [UInt8] = i + intPart.count < s.count ? Array(s[(i + intPart.count + 1)...]) : []
        while intPart.count > 1, intPart[0] == 0x30 { intPart.removeFirst() }
        if intPart.isEmpty { intPart = [0x30] }
        while let last = frac.last, last == 0x30 { frac.removeLast() }
        if neg && !(intPart == [0x30] && frac.isEmpty) { out.append(0x2D) }
        out.append(contentsOf: intPart)
        if !frac.isEmpty {
            out.append(0x2E)
            out.append(contentsOf: frac)
        }
    }

    /// Swift's shortest round-trip text (`1.1010519900101123e+17`, `1e-05`) without the exponent.
    static func expand(_ text: String) -> [UInt8] {
        let s = Array(text.utf8)
        guard let e = s.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) else { return s }
        let exponent = Int(String(decoding: s[(e + 1)...], as: UTF8.self)) ?? 0
        var mantissa = Array(s[..<e])
        var neg = false
        if mantissa.first == 0x2D { neg = true; mantissa.removeFirst() }
        let dot = mantissa.firstIndex(of: 0x2E) ?? mantissa.count
        var digits = mantissa.filter { $0 != 0x2E }
        var point = dot + exponent  // position of the decimal point in `digits`
        if point <= 0 {
            digits = [UInt8](repeating: 0x30, count: -point + 1) + digits
            point = 1
        }
        if point >= digits.count {
            digits += [UInt8](repeating: 0x30, count: point - digits.count)
        }
        var out: [UInt8] = neg ? [0x2D] : []
        out += digits[0..<point]
        if point < digits.count {
            out.append(0x2E)
            out += digits[point...]
        }
        return out
    }

    /// The date/time of an Excel serial number, `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD` when
    /// `dateOnly`), as the wall-clock time it shows (China time: Excel stores no zone). The 1900
    /// system counts 1900-01-01 as 1 and keeps Lotus's 1900-02-29 (serial 60, not a real day);
    /// the 1904 system counts 1904-01-01 as 0. nil for a serial that is no date (negative, huge).
    public static func serialDate<C: Collection>(_ v: C, date1904: Bool, dateOnly: Bool) -> [UInt8]? where C.Element == UInt8 {
        guard let serial = Double(String(decoding: v, as: UTF8.self)), serial.isFinite,
              serial >= 0, serial < 2_958_466 else { return nil }  // 9999-12-31
        let seconds = Int64((serial * 86400).rounded())
        let days = Int(seconds / 86400)
        let secondOfDay = Int(seconds % 86400)
        var y: Int, m: Int, d: Int
        if date1904 {
            (y, m, d) = ChinaTime.civilFromDays(ChinaTime.daysFromCivil(1904, 1, 1) + days)
        } else if days == 60 {
            (y, m, d) = (1900, 2, 29)  // Lotus's leap day: written as it shows, then refused by the rules
        } else if days < 60 {
            (y, m, d) = ChinaTime.civilFromDays(ChinaTime.daysFromCivil(1899, 12, 31) + days)
        } else {
            (y, m, d) = ChinaTime.civilFromDays(ChinaTime.daysFromCivil(1899, 12, 30) + days)
        }
        guard y >= 1, y <= 9999 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(19)
        func put(_ value: Int, _ width: Int) {  // width 2 or 4, value < 10^width
            var divisor = width == 4 ? 1000 : 10
            while divisor > 0 {
                out.append(UInt8(0x30 + value / divisor % 10))
                divisor /= 10
            }
        }
        put(y, 4); out.append(0x2D); put(m, 2); out.append(0x2D); put(d, 2)
        if !dateOnly {
            out.append(0x20)
            put(secondOfDay / 3600, 2); out.append(0x3A); put(secondOfDay / 60 % 60, 2); out.append(0x3A); put(secondOfDay % 60, 2)
        }
        return out
    }
}
