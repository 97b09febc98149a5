/// One ID, one person — `IDENTITY_MISMATCH` (flag, 字段 姓名 or 民族).
///
/// SPEC 6: "Accepted rows of one ID that differ in 姓名 or 民族: `IDENTITY_MISMATCH` (flag) — a
/// possible wrong ID, for the auditors. (性别 cannot differ: it must match the ID.)"
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
///
/// Decided by the run from the `Reconciler`'s rows of the ID (its 说明 names the field).
enum IdentityMismatchRule {
    static let identityMismatch = RuleCode.Definition("IDENTITY_MISMATCH", .flag, .fields([.name, .ethnicGroup]), chinese: "同一身份证号姓名或民族不一致，请核对", english: "name or ethnic group differ for one ID; check the ID")
}

extension RuleCode {
    /// Accepted rows of one ID differ in 姓名 or 民族.
    public static let identityMismatch = RuleCode(IdentityMismatchRule.identityMismatch)
}
