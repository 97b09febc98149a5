/// Only children send — `FILE_FOREIGN_SENDER` (reject, whole file).
///
/// SPEC 3.2: a data file "whose manifest names a unit that is not a child of the running unit
/// (`FILE_FOREIGN_SENDER`), is rejected whole." SPEC 3.4: "A file from a unit that is not a child
/// of the running unit is rejected whole."
/// 填写说明: none; the notice, 一（五）信息上报: "各地要按月逐级上报《汇总表》。"
///
/// Checked by the run (`MonthlyRun`).
enum ForeignSenderRule {
    static let fileForeignSender = RuleCode.Definition("FILE_FOREIGN_SENDER", .reject, .file, chinese: "报送单位不是本单位的下级，已拒收", english: "sender is not a child of this unit; rejected")
}

extension RuleCode {
    /// A submission from a unit that is not a child of the running unit.
    public static let fileForeignSender = RuleCode(ForeignSenderRule.fileForeignSender)
}
