/// Dates and times in China Standard Time (UTC+8, no daylight saving since 1991), the only time
/// zone of the summary tables (SPEC 5, 更新时间; SPEC 4, `--as-of`).
///
/// > 更新时间 | `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (China time) or ISO 8601 with an
/// > offset or `Z` → `YYYY-MM-DDTHH:MM:SS+08:00`; not before Jan 1 of the cohort year, China
/// > time; not after `--as-of`
///
/// > `--as-of` takes ISO 8601 with an offset, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (China time,
/// > start of that day)
///
/// Hand-written calendar arithmetic (Howard Hinnant's `days_from_civil` / `civil_from_days`,
/// proleptic Gregorian) and hand-written parsers on bytes, in place of Foundation's
/// DateFormatter/ISO8601DateFormatter and Calendar: every row's 更新时间 and 毕业日期 pass through
/// here, and those APIs allocate, consult the process time zone and locale, and are two orders of
/// magnitude slower. Nothing here depends on the machine's time zone.
public enum ChinaTime {
    /// UTC+8 in seconds.
    public static let offsetSeconds: Int64 = 8 * 3600

    // MARK: Calendar arithmetic

    public static func isLeapYear(_ y: Int) -> Bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// A real Gregorian date with a four-digit year (0001–9999).
    public static func isValidDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
    }

    /// Days since 1970-01-01 of a civil date (Hinnant's days_from_civil).
    @inlinable
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400                                   // [0, 399]
        let mp = m > 2 ? m - 3 : m + 9                            // March = 0
        let doy = (153 * mp + 2) / 5 + d - 1                      // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy           // [0, 146096]
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day count since 1970-01-01 (Hinnant's civil_from_days).
    @inlinable
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Unix seconds of 00:00 China time on `yyyymmdd`.
    public static func startOfDay(_ yyyymmdd: Int) -> Int64 {
        let days = daysFromCivil(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100)
        return Int64(days) * 86400 - offsetSeconds
    }

    /// Unix seconds of Jan 1 00:00 China time of year `y` (the earliest valid 更新时间 of cohort y).
    public static func startOfYear(_ y: Int) -> Int64 {
        Int64(daysFromCivil(y, 1, 1)) * 86400 - offsetSeconds
    }

    /// The China-time calendar day of an instant, as yyyymmdd.
    public static func day(of unixSeconds: Int64) -> Int {
        let local = unixSeconds + offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let c = civilFromDays(Int(days))
        return c.year * 10000 + c.month * 100 + c.day
    }

    // MARK: Formatting

    /// `YYYY-MM-DDTHH:MM:SS+08:00`, the canonical 更新时间.
    public static func format(_ unixSeconds: Int64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { buf in
            write(unixSeconds, to: buf.baseAddress!)
            return String(decoding: UnsafeBufferPointer(buf), as: UTF8.self)
        }
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS+08:00` (25 ASCII bytes) to `out`.
    public static func appendFormatted(_ unixSeconds: Int64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { buf in
            write(unixSeconds, to: buf.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(buf))
        }
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS+08:00`: exactly 25 ASCII bytes at `p`.
    @inline(__always)
    static func write(_ unixSeconds: Int64, to p: UnsafeMutablePointer<UInt8>) {
        let local = unixSeconds + offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = Int(local - days * 86400)
        let c = civilFromDays(Int(days))
        @inline(__always) func two(_ i: Int, _ v: Int) {
            p[i] = UInt8(truncatingIfNeeded: 0x30 + v / 10)
            p[i + 1] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
        }
        let y = max(0, min(9999, c.year))
        two(0, y / 100)
        two(2, y % 100)
        p[4] = 0x2D
        two(5, c.month)
        p[7] = 0x2D
        two(8, c.day)
        p[10] = 0x54 // T
        two(11, secs / 3600)
        p[13] = 0x3A
        two(14, secs / 60 % 60)
        p[16] = 0x3A
        two(17, secs % 60)
        p[19] = 0x2B // +08:00
        p[20] = 0x30
        p[21] = 0x38
        p[22] = 0x3A
        p[23] = 0x30
        p[24] = 0x30
    }

    /// Appends the canonical 更新时间 to a row's canonical line.
    @inline(__always)
    static func append(_ unixSeconds: Int64, to w: inout ByteWriter) {
        write(unixSeconds, to: w.base + w.count)
        w.count += 25
    }

    // MARK: Parsing (public entry points: any byte collection, normalised first)

    /// A 更新时间 cell: `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, China time, or either
    /// followed by `Z`, `±HH:MM`, `±HHMM` or `±HH`. Returns Unix seconds, or nil for anything
    /// else (fractional seconds included). The cell is trimmed and folded first (TextNormalizer).
    public static func parseUpdateTime<C: Collection>(_ bytes: C) -> Int64? where C.Element == UInt8 {
        withNormalized(bytes) { parseTimestamp($0, allowFraction: false) }
    }

    /// A date in one of the 毕业日期 forms: `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D`,
    /// `YYYY年M月D日`. Returns yyyymmdd when it is a real date, else nil. Normalised first.
    public static func parseDate<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        withNormalized(bytes) { parseDateBytes($0) }
    }

    /// `--as-of`: ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff]` with `Z` or an offset (China time without
    /// one), `YYYY-MM-DD HH:MM:SS` (China time), or `YYYY-MM-DD` (00:00 China time). Fractional
    /// seconds are accepted here and dropped. Returns Unix seconds or nil.
    public static func parseAsOf(_ s: String) -> Int64? {
        withNormalized(Array(s.utf8)) { p in
            if p.count == 10, let d = parseISODate(p, 0) { return startOfDay(d) }
            return parseTimestamp(p, allowFraction: true)
        }
    }

    static func withNormalized<C: Collection, R>(_ bytes: C, _ body: (UnsafeBufferPointer<UInt8>) -> R?) -> R?
    where C.Element == UInt8 {
        let n = bytes.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n, 1)) { tmp in
            _ = tmp.initialize(from: bytes)
            let src = UnsafeBufferPointer(rebasing: tmp[0..<n])
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n, 1)) { dst in
                let len = TextNormalizer.normalize(src, into: dst.baseAddress!)
                return body(UnsafeBufferPointer(rebasing: dst[0..<len]))
            }
        }
    }

    // MARK: Parsing (hot path: already-normalised bytes)

    static func digit(_ b: UInt8) -> Int? {
        let v = b &- 0x30
        return v <= 9 ? Int(v) : nil
    }

    /// Two ASCII digits at `i`.
    static func two(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 1 < p.count, let a = digit(p[i]), let b = digit(p[i + 1]) else { return nil }
        return a * 10 + b
    }

    /// Four ASCII digits at `i`.
    static func four(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard let a = two(p, i), let b = two(p, i + 2) else { return nil }
        return a * 100 + b
    }

    /// One or two ASCII digits at `i` (a month, day or hour written `8` or `08`); moves `i` past them.
    @inline(__always)
    static func oneOrTwoDigits(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int? {
        guard i < p.count, let a = digit(p[i]) else { return nil }
        i += 1
        guard i < p.count, let b = digit(p[i]) else { return a }
        i += 1
        return a * 10 + b
    }

    /// `YYYY-MM-DD` at `i` (exactly two-digit month and day) as a real date → yyyymmdd.
    static func parseISODate(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 10 <= p.count, p[i + 4] == 0x2D, p[i + 7] == 0x2D,
              let y = four(p, i), let m = two(p, i + 5), let d = two(p, i + 8),
              isValidDate(y, m, d) else { return nil }
        return y * 10000 + m * 100 + d
    }

    /// The 毕业日期 forms on normalised bytes → yyyymmdd of a real date, or nil.
    static func parseDateBytes(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = p.count
        if n == 8, let y = four(p, 0), let m = two(p, 4), let d = two(p, 6) { // YYYYMMDD
            return isValidDate(y, m, d) ? y * 10000 + m * 100 + d : nil
        }
        if n == 10, p[4] == 0x2D { return parseISODate(p, 0) }
        guard n >= 7, let y = four(p, 0) else { return nil }
        // YYYY/M/D, YYYY.M.D (1-2 digit month and day, the same separator twice) or YYYY年M月D日.
        var i = 4
        /// The separator `sep` (1 or 3 bytes) at i.
        func expect(_ sep: StaticString) -> Bool {
            sep.withUTF8Buffer { s in
                guard i + s.count <= n else { return false }
                for k in 0..<s.count where p[i + k] != s[k] { return false }
                i += s.count
                return true
            }
        }
        let m: Int, d: Int
        switch p[4] {
        case 0x2F, 0x2E: // "/" "."
            let sep = p[4]
            i = 5
            guard let mm = oneOrTwoDigits(p, &i), i < n, p[i] == sep else { return nil }
            i += 1
            guard let dd = oneOrTwoDigits(p, &i), i == n else { return nil }
            m = mm
            d = dd
        case 0xE5: // 年 = E5 B9 B4
            guard expect("年"), let mm = oneOrTwoDigits(p, &i), expect("月"), let dd = oneOrTwoDigits(p, &i), expect("日"), i == n else {
                return nil
            }
            m = mm
            d = dd
        default:
            return nil
        }
        guard isValidDate(y, m, d) else { return nil }
        return y * 10000 + m * 100 + d
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS` (optionally `.fff` when `allowFraction`), then nothing (China
    /// time), `Z`, `±HH`, `±HHMM` or `±HH:MM`. Unix seconds or nil.
    static func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>, allowFraction: Bool) -> Int64? {
        guard p.count >= 19, let date = parseISODate(p, 0), p[10] == 0x20 || p[10] == 0x54,
              let hh = two(p, 11), p[13] == 0x3A, let mi = two(p, 14), p[16] == 0x3A, let ss = two(p, 17),
              hh <= 23, mi <= 59, ss <= 59 else { return nil }
        var i = 19
        if allowFraction, i < p.count, p[i] == 0x2E {
            i += 1
            let start = i
            while i < p.count, digit(p[i]) != nil { i += 1 }
            guard i > start else { return nil }
        }
        var offset: Int64 = offsetSeconds
        let rest = p.count - i
        if rest == 0 {
            // China time.
        } else if rest == 1, p[i] == 0x5A { // Z
            offset = 0
        } else if p[i] == 0x2B || p[i] == 0x2D { // + -
            let sign: Int64 = p[i] == 0x2B ? 1 : -1
            guard let oh = two(p, i + 1), oh <= 23 else { return nil }
            var om = 0
            switch rest {
            case 3: break                                            // ±HH
            case 5: guard let v = two(p, i + 3) else { return nil }; om = v  // ±HHMM
            case 6:                                                  // ±HH:MM
                guard p[i + 3] == 0x3A, let v = two(p, i + 4) else { return nil }
                om = v
            default: return nil
            }
            guard om <= 59 else { return nil }
            offset = sign * Int64(oh * 3600 + om * 60)
        } else {
            return nil
        }
        let days = daysFromCivil(date / 10000, date / 100 % 100, date % 100)
        return Int64(days) * 86400 + Int64(hh * 3600 + mi * 60 + ss) - offset
    }

    /// 更新时间 as Excel displays a date-time (SPEC 8.2): `YYYY/M/D H:MM` or `YYYY/M/D H:MM:SS`,
    /// China time — month, day and hour in one or two digits, minutes and seconds in two, one
    /// space between date and time. Unix seconds of a real date and time, or nil.
    static func parseExcelDisplayTime(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = p.count
        guard n >= 13, n <= 19, let y = four(p, 0), p[4] == 0x2F else { return nil }  // 2012/8/6 9:12 … 2012/10/10 10:10:10
        var i = 5
        guard let m = oneOrTwoDigits(p, &i), i < n, p[i] == 0x2F else { return nil }
        i += 1
        guard let d = oneOrTwoDigits(p, &i), i < n, p[i] == 0x20 else { return nil }
        i += 1
        guard let hh = oneOrTwoDigits(p, &i), i < n, p[i] == 0x3A, let mi = two(p, i + 1) else { return nil }
        i += 3
        var ss = 0
        if i < n {
            guard p[i] == 0x3A, let s = two(p, i + 1), i + 3 == n else { return nil }
            ss = s
        }
        guard isValidDate(y, m, d), hh <= 23, mi <= 59, ss <= 59 else { return nil }
        return Int64(daysFromCivil(y, m, d)) * 86400 + Int64(hh * 3600 + mi * 60 + ss) - offsetSeconds
    }
}
