/// A line is at most 1 MiB — `LINE_TOO_LONG` (reject, the line).
///
/// SPEC 3.1: "A line longer than 1 MiB is rejected (`LINE_TOO_LONG`) without being held in memory."
/// 填写说明: none (a bound of the reader, not the form).
///
/// Checked by `SummaryFileReader` (`LineReader`).
enum LineTooLongRule {
    static let lineTooLong = RuleCode.Definition("LINE_TOO_LONG", .reject, .line, chinese: "行过长（超过1 MiB），已拒收", english: "line longer than 1 MiB; rejected")
}

extension RuleCode {
    /// A line longer than 1 MiB.
    public static let lineTooLong = RuleCode(LineTooLongRule.lineTooLong)
}
