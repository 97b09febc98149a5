/// Children report by the deadline — `CHILD_LATE` (flag).
///
/// SPEC 4: "A child is late when its data file's modification time is after the end of day
/// `deadlineDay` of the month after P, China time (`CHILD_LATE`, flag)".
/// 填写说明: none; the notice, 一（五）信息上报: "2012年8月1日至2013年6月30日期间，请在每月5日前，将
/// 《汇总表》通过业务专网报送到部里".
///
/// Checked by the run (`MonthlyRun`), against `reporting.deadlineDay`.
enum ChildLateRule {
    static let childLate = RuleCode.Definition("CHILD_LATE", .flag, .file, chinese: "下级单位逾期报送", english: "child reported after the deadline")
}

extension RuleCode {
    /// A child's data file arrived after the deadline.
    public static let childLate = RuleCode(ChildLateRule.childLate)
}
