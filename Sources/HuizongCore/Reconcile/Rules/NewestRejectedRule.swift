/// A rejected row never replaces an accepted one — `NEWEST_REJECTED` (info).
///
/// SPEC 6: "A rejected row never replaces an accepted one: if the newest row for an ID is rejected,
/// the newest valid one stands (`NEWEST_REJECTED`, info)."
/// 填写说明: none; the notice, 一（二）: "《登记表》中的信息要确保完整、真实、准确".
///
/// Decided by `Reconciler`; reported by the run.
enum NewestRejectedRule {
    static let newestRejected = RuleCode.Definition("NEWEST_REJECTED", .info, .record, chinese: "最新记录被拒绝，沿用此前有效记录", english: "newest row rejected; the previous valid row stands")
}

extension RuleCode {
    /// The ID's newest row was rejected; the newest valid one stands.
    public static let newestRejected = RuleCode(NewestRejectedRule.newestRejected)
}
