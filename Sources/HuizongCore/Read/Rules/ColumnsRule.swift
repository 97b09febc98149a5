/// A file has the 汇总表's columns — `FILE_COLUMNS` (reject, whole file).
///
/// SPEC 3.1: "A file is **rejected whole** … when it is … without a header line or missing a
/// required column (`FILE_COLUMNS`)".
/// 填写说明: "汇总表用来汇总附件1（信息登记表）的信息，每行填写一条实名登记信息。" — the columns are
/// 附件2's (序号 … 就业去向), plus SPEC 3.1's 更新时间 and 登记单位.
///
/// Checked by `SummaryFileReader` and `XLSXReader`.
enum ColumnsRule {
    static let fileColumns = RuleCode.Definition("FILE_COLUMNS", .reject, .file, chinese: "缺少表头或必填列，请按汇总表格式补齐", english: "header or required column missing; use the 汇总表 columns")
}

extension RuleCode {
    /// No header line, or a required column missing or twice.
    public static let fileColumns = RuleCode(ColumnsRule.fileColumns)
}
