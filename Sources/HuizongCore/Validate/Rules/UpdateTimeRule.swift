/// 更新时间 — `TIME_INVALID`, `TIME_TOO_EARLY`, `TIME_FUTURE` (reject).
///
/// SPEC 5: "更新时间 | `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (China time) or ISO 8601 with
/// an offset or `Z` → `YYYY-MM-DDTHH:MM:SS+08:00`; not before Jan 1 of the cohort year, China time;
/// not after `--as-of` | reject".
/// SPEC 3.1: "A file made from the 2012 template has no 更新时间 column: its rows then take the
/// preamble's 填报时间 (a date → 00:00 China time); with neither, the file is rejected whole."
/// No 填写说明 clause (附件2 has no 更新时间 column); the notice, 一（四）信息更新: "对实现就业的，在
/// 《登记表》和《汇总表》中做好相应记录，实现数据的及时更新和动态调整。"
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

    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let timeInvalid = RuleCode.Definition("TIME_INVALID", .reject, .field(.updatedAt), chinese: "更新时间格式错误，须为YYYY-MM-DD HH:MM:SS", english: "update time malformed; use YYYY-MM-DD HH:MM:SS")
    static let timeFuture = RuleCode.Definition("TIME_FUTURE", .reject, .field(.updatedAt), chinese: "更新时间晚于本次汇总时间", english: "update time is after the run's reference time")
    static let timeTooEarly = RuleCode.Definition("TIME_TOO_EARLY", .reject, .field(.updatedAt), chinese: "更新时间早于届别年度", english: "update time before the cohort year")

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

extension UpdateTimeRule {
    /// 更新时间 in the record: `YYYY-MM-DDTHH:MM:SS+08:00` for a readable time (too early or
    /// future included), else the cell. Without the column (`hasColumn` false) the preamble's
    /// 填报时间 stands in. Returns the time, and sets `out.updatedAt`, when all three rules pass.
    static func apply(_ row: inout CanonicalRow, hasColumn: Bool, context: ValidationContext,
                      notBefore: Int64, _ out: inout ValidatedRecord) -> Int64? {
        let cell = row.next(.updatedAt)
        let time = hasColumn ? parse(cell) : context.defaultUpdateTime
        /// The canonical 更新时间. Written in China time without an offset (the usual case), it is
        /// the cell itself with `T` and `+08:00`: no calendar arithmetic.
        func write(_ t: Int64, _ row: inout CanonicalRow) {
            if hasColumn && cell.count == 19 && cell[4] == 0x2D { // YYYY-MM-DD…, not YYYY/MM/DD…
                writeChinaTime(cell, to: &row.line)
            } else {
                ChinaTime.append(t, to: &row.line)
            }
        }
        switch check(time, notBefore: notBefore, asOf: context.asOf) {
        case .invalid:
            row.keepInvalid(cell, .timeInvalid, .updatedAt)
            return nil
        case .tooEarly(let t):
            row.fire(.timeTooEarly, .updatedAt)
            write(t, &row)
            return nil
        case .future(let t):
            row.fire(.timeFuture, .updatedAt)
            write(t, &row)
            return nil
        case .valid(let t):
            out.updatedAt = t
            write(t, &row)
            return t
        }
    }
}

extension RuleCode {
    /// 更新时间 in none of the accepted forms (or, without the column, no 填报时间).
    public static let timeInvalid = RuleCode(UpdateTimeRule.timeInvalid)
    /// 更新时间 after the run's `--as-of`.
    public static let timeFuture = RuleCode(UpdateTimeRule.timeFuture)
    /// 更新时间 before Jan 1 of the cohort year, China time.
    public static let timeTooEarly = RuleCode(UpdateTimeRule.timeTooEarly)
}
