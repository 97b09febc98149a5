/// The latest row of an ID stands — `SUPERSEDED` (info).
///
/// SPEC 6: "Among the groups of an ID, the latest 更新时间 wins; the others are `superseded`
/// (info)."
/// 填写说明: none; the notice, 一（四）信息更新: "实现数据的及时更新和动态调整。"
///
/// Decided by `Reconciler`; reported by the run.
enum SupersededRule {
    static let superseded = RuleCode.Definition("SUPERSEDED", .info, .record, chinese: "已被更新的记录取代", english: "superseded by a newer row")
}

extension RuleCode {
    /// An older (or conflict-losing) row of the ID.
    public static let superseded = RuleCode(SupersededRule.superseded)
}
