/// A line has the header's fields — `LINE_FIELDS` (reject, the line).
///
/// SPEC 3.1: "A line whose field count differs from the header's is rejected (`LINE_FIELDS`)."
/// SPEC 8.2: "a non-empty cell in a column without a header name is `LINE_FIELDS`".
/// 填写说明: "每行填写一条实名登记信息。"
///
/// Checked by `SummaryFileReader` (CSV) and `XLSXReader` (workbooks).
enum LineFieldsRule {
    static let lineFields = RuleCode.Definition("LINE_FIELDS", .reject, .line, chinese: "列数与表头不符，请检查多余或缺少的逗号", english: "field count differs from the header; check the commas")
}

extension RuleCode {
    /// A field count other than the header's (in a workbook, a value under no header).
    public static let lineFields = RuleCode(LineFieldsRule.lineFields)
}
