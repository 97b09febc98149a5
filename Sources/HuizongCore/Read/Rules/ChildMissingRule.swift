/// Every child reports each month — `CHILD_MISSING` (flag).
///
/// SPEC 4: "a missing one is `CHILD_MISSING`." SPEC 3.4: "A unit's expected children are the units
/// whose `parent` is it."
/// 填写说明: none; the notice, 一（五）信息上报: "各地要按月逐级上报《汇总表》。"
///
/// Checked by the run (`MonthlyRun`), against `pipeline.json`'s units.
enum ChildMissingRule {
    static let childMissing = RuleCode.Definition("CHILD_MISSING", .flag, .file, chinese: "下级单位未报送本期汇总表", english: "child sent nothing for this period")
}

extension RuleCode {
    /// An expected child sent nothing for the period.
    public static let childMissing = RuleCode(ChildMissingRule.childMissing)
}
