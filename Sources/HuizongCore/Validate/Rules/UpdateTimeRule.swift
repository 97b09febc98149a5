/// 更新时间 — `TIME_INVALID`, `TIME_TOO_EARLY`, `TIME_FUTURE` (reject).
///
/// SPEC 5: "更新时间 | `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (China time) or ISO 8601 with
/// an offset or `Z` → `YYYY-MM-DDTHH:MM:SS+08:00`; not before Jan 1 of the cohort year, China time;
/// not after `--as-of` | reject".
/// SPEC 3.1: "A file made from the 2012 template has no 更新时间 column: its rows then take the
/// preamble's 填报时间 (a date → 00:00 China time); with neither, the file is rejected whole."
///
/// SPEC 8.2: `YYYY/M/D H:MM[:SS]` (Excel's display of a date-time, China time) is accepted too.
/// Offsets: `Z`, `±HH:MM`, `±HHMM`, `±HH`. Fractional seconds and every other form are
/// TIME_INVALID (`ChinaTime.parseTimestamp`). Canonical: `ChinaTime.format`. Without the column
/// the context's `defaultUpdateTime` (填报时间) stands in and is checked the same way.
enum UpdateTimeRule {
    enum Result {
        case invalid
        case tooEarly(Int64)
        case future(Int64)
        case valid(Int64)
    }

    /// `notBefore`: Jan 1 00:00 China time of the cohort year; `asOf`: the run's reference time.
    static func check(_ t: Int64?, notBefore: Int64, asOf: Int64) -> Result {
        guard let t else { return .invalid }
        if t < notBefore { return .tooEarly(t) }
        if t > asOf { return .future(t) }
        return .valid(t)
    }

    /// SPEC 8.2 adds, for CSV and XLSX alike, the time as Excel displays it:
    /// `YYYY/M/D H:MM` or `YYYY/M/D H:MM:SS` (China time).
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        ChinaTime.parseTimestamp(p, allowFraction: false) ?? ChinaTime.parseExcelDisplayTime(p)
    }

    /// Writes the canonical form of a valid cell written in China time without an offset
    /// (`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, 19 bytes): the same instant, so the same
    /// digits, with `T` and `+08:00`.
    static func writeChinaTime(_ p: UnsafeBufferPointer<UInt8>, to w: inout ByteWriter) {
        w.append(p.slice(0..<10))
        w.append(0x54) // T
        w.append(p.slice(11..<19))
        w.append("+08:00")
    }
}
