/// Carried findings stay the child's — `REPORT_FOREIGN` (flag, the child's report file).
///
/// SPEC 8.5: "rows of a child's report whose 发现单位 is neither the child nor a unit under it are
/// not carried; one flag `REPORT_FOREIGN` on the child's report file says how many were dropped."
/// 填写说明: none (the report, not the form).
///
/// Checked by `ChildSubmission`.
enum ReportForeignRule {
    static let reportForeign = RuleCode.Definition("REPORT_FOREIGN", .flag, .file, chinese: "下级差错报告中有非其辖区单位发现的记录，已丢弃", english: "child's report holds findings of units outside its subtree; dropped")
}

extension RuleCode {
    /// Rows of a child's report found by units outside the child's subtree, dropped (说明: how many).
    public static let reportForeign = RuleCode(ReportForeignRule.reportForeign)
}
