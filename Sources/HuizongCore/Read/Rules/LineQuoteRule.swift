/// One physical line is one record — `LINE_QUOTE` (reject, the line).
///
/// SPEC 3.1: "**No field contains a line break**: one physical line is one record. A line whose
/// quotes do not close on that line is malformed (`LINE_QUOTE`, reject); reading resumes at the
/// next line." SPEC 8.2: "a cell holding a line break rejects its row (`LINE_QUOTE`: no value may
/// contain a line break, 3.1)."
/// 填写说明: "每行填写一条实名登记信息。"
///
/// Checked by `SummaryFileReader` (CSV) and `XLSXReader` (workbooks).
enum LineQuoteRule {
    static let lineQuote = RuleCode.Definition("LINE_QUOTE", .reject, .line, chinese: "引号未闭合，请检查该行", english: "unterminated quote; fix the quotes on this line")
}

extension RuleCode {
    /// A quote that does not close on its line (in a workbook, a cell with a line break).
    public static let lineQuote = RuleCode(LineQuoteRule.lineQuote)
}
