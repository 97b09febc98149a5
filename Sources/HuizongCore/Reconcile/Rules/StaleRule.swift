/// A child's silence keeps last month's rows — `STALE` (flag).
///
/// SPEC 6: "when a child's file is missing or rejected whole, the rows of U's previous output whose
/// 登记单位 lies under that child, and whose ID has no accepted row in P, are carried forward and
/// flagged `STALE` (not `VANISHED`)."
/// 填写说明: none; the notice, 一（五）: "建立全国2012届离校未就业高校毕业生实名制信息数据库".
///
/// Decided by the run, from U's previous output and the children's status.
enum StaleRule {
    static let stale = RuleCode.Definition("STALE", .flag, .record, chinese: "下级单位本期未报送或被拒收，沿用上期记录", english: "child's file missing or rejected; last period's row carried forward")
}

extension RuleCode {
    /// A missing or rejected child's rows carried forward from last month.
    public static let stale = RuleCode(StaleRule.stale)
}
