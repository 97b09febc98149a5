/// Nobody registered is dropped — `VANISHED` (flag).
///
/// SPEC 6: "above county, an ID in that output but in no accepted row of P is carried forward and
/// flagged `VANISHED` (a child dropped a person)". "Carried rows count in `carriedForward`, never
/// silently dropped".
/// 填写说明: none; the notice, 一（五）: "建立全国2012届离校未就业高校毕业生实名制信息数据库".
///
/// Decided by the run, from U's previous output and this month's accepted IDs.
enum VanishedRule {
    static let vanished = RuleCode.Definition("VANISHED", .flag, .record, chinese: "上期有此人本期未报送，已沿用上期记录", english: "person missing this period; last period's row carried forward")
}

extension RuleCode {
    /// An ID of last month's output with no accepted row now: last month's row carried forward.
    public static let vanished = RuleCode(VanishedRule.vanished)
}
