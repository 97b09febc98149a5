/// One person, one registering unit — `MULTIPLE_REGISTRATION` (flag, 字段 登记单位).
///
/// SPEC 6: "Accepted rows of one ID with different 登记单位: `MULTIPLE_REGISTRATION` (flag)."
/// 填写说明: none; the notice, 一（三）信息汇总: "做到每新登记一名2012届离校未就业高校毕业生的信息，就在
/// 《汇总表》中相应地增加一条记录".
///
/// Decided by `Reconciler`; reported by the run.
enum MultipleRegistrationRule {
    static let multipleRegistration = RuleCode.Definition("MULTIPLE_REGISTRATION", .flag, .field(.registeringUnit), chinese: "同一人在多个单位登记", english: "registered by more than one unit")
}

extension RuleCode {
    /// Accepted rows of one ID name different 登记单位.
    public static let multipleRegistration = RuleCode(MultipleRegistrationRule.multipleRegistration)
}
