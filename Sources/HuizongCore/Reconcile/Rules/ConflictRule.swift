/// One winner even at the same time — `CONFLICT` (flag).
///
/// SPEC 6: "Two or more groups share the latest 更新时间: a `conflict` (flag); the row whose
/// canonical CSV line (every column but 序号, in output order, quoted only where RFC 4180
/// requires) is greatest byte-wise wins, the others count as superseded. So the winner never
/// depends on file order."
/// 填写说明: none; the notice, 一（四）信息更新: "实现数据的及时更新和动态调整。"
///
/// Decided by `Reconciler`; reported by the run (its 说明 says how the winner was chosen).
enum ConflictRule {
    static let conflict = RuleCode.Definition("CONFLICT", .flag, .record, chinese: "同一时间有不同内容，按规则取一", english: "rows with the same update time differ; one kept by rule")
}

extension RuleCode {
    /// Rows of the ID with different content share the latest 更新时间.
    public static let conflict = RuleCode(ConflictRule.conflict)
}
