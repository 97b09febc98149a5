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

    static func check(_ p: UnsafeBufferPointer<UInt8>, window: ClosedRange<Int>) -> Result {
        guard let date = ChinaTime.parseDateBytes(p) else { return .invalid }
        return window.contains(date) ? .valid(date) : .outsideWindow(date)
    }

    /// Writes yyyymmdd as 8 ASCII digits.
    static func writeDate(_ date: Int, to w: inout ByteWriter) {
        w.appendDigits(date, width: 8)
    }
}
