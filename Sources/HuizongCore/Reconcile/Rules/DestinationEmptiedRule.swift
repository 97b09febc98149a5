/// A follow-up result is not lost — `DEST_EMPTIED` (flag, 字段 就业去向).
///
/// SPEC 6: "The winner has an empty 就业去向 while an older accepted row had one: `DEST_EMPTIED`
/// (flag)."
/// 填写说明: none; 附件1: "就业去向（日后根据回访结果填写）", and the notice, 一（四）信息更新: "对实现
/// 就业的，在《登记表》和《汇总表》中做好相应记录".
///
/// Decided by the run from the `Reconciler`'s rows of the ID.
enum DestinationEmptiedRule {
    static let destEmptied = RuleCode.Definition("DEST_EMPTIED", .flag, .field(.destination), chinese: "就业去向被清空", english: "destination emptied by the newest row")
}

extension RuleCode {
    /// The winner's 就业去向 is empty, an older accepted row's was not.
    public static let destEmptied = RuleCode(DestinationEmptiedRule.destEmptied)
}
