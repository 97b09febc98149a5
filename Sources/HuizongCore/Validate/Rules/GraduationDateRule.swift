/// 毕业日期 — `GRADDATE_INVALID`, `GRADDATE_WINDOW` (reject).
///
/// SPEC 5: "毕业日期 | `YYYYMMDD` (also `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日` →
/// YYYYMMDD), a real date inside `graduationWindow` | reject".
/// 填写说明（三）: "毕业日期指高校毕业生学历证书的发放日期，包括年、月、日，表示方式为YYYYMMDD。"
///
/// `YYYY-MM-DD` takes exactly two-digit month and day; the `/`, `.` and 年月日 forms take one or
/// two. Anything else, or a date that does not exist (20120230, 2011/2/29), is
/// `GRADDATE_INVALID`; a real date outside the window is `GRADDATE_WINDOW`. Canonical: YYYYMMDD.
enum GraduationDateRule {
    enum Result {
        case invalid
        case outsideWindow(Int)
        case valid(Int)
    }

    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let graddateInvalid = RuleCode.Definition("GRADDATE_INVALID", .reject, .field(.graduationDate), chinese: "毕业日期须为YYYYMMDD", english: "graduation date must be YYYYMMDD")
    static let graddateWindow = RuleCode.Definition("GRADDATE_WINDOW", .reject, .field(.graduationDate), chinese: "毕业日期不在毕业年度内", english: "graduation date outside the window")

    static func check(_ p: UnsafeBufferPointer<UInt8>, window: ClosedRange<Int>) -> Result {
        guard let date = ChinaTime.parseDateBytes(p) else { return .invalid }
        return window.contains(date) ? .valid(date) : .outsideWindow(date)
    }

    /// Writes yyyymmdd as 8 ASCII digits.
    static func writeDate(_ date: Int, to w: inout ByteWriter) {
        w.appendDigits(date, width: 8)
    }
}

extension GraduationDateRule {
    /// 毕业日期 in the record: YYYYMMDD for a real date (in the window or not), else the cell.
    /// Returns the date when valid and inside the window (for the cross-field rules).
    static func apply(_ row: inout CanonicalRow, window: ClosedRange<Int>) -> Int? {
        let cell = row.next(.graduationDate)
        switch check(cell, window: window) {
        case .invalid:
            row.keepInvalid(cell, .graddateInvalid, .graduationDate)
            return nil
        case .outsideWindow(let date):
            row.fire(.graddateWindow, .graduationDate)
            writeDate(date, to: &row.line)
            return nil
        case .valid(let date):
            writeDate(date, to: &row.line)
            return date
        }
    }
}

extension RuleCode {
    /// 毕业日期 in none of the accepted forms, or not a real date.
    public static let graddateInvalid = RuleCode(GraduationDateRule.graddateInvalid)
    /// 毕业日期 a real date outside the graduation window.
    public static let graddateWindow = RuleCode(GraduationDateRule.graddateWindow)
}
