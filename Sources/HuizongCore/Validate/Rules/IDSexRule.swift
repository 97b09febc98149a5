/// 性别 vs 公民身份号码 — `ID_SEX_MISMATCH` (reject, 字段 性别).
///
/// SPEC 5: "性别 vs ID | 17th digit odd = 男, even = 女; mismatch | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
/// GB 11643-1999: the sequence code (digits 15–17) is odd for men and even for women.
///
/// Runs only when the ID has a valid form (18 characters, after a 15→18 upgrade) and 性别 is
/// valid; a wrong check digit or birth date does not stop it.
enum IDSexRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let idSexMismatch = RuleCode.Definition("ID_SEX_MISMATCH", .reject, .field(.sex), chinese: "性别与身份证号不符", english: "sex does not match the ID")

    static func matches(sex: SexRule.Sex, idIsMale: Bool) -> Bool {
        (sex == .male) == idIsMale
    }
}

extension IDSexRule {
    /// 性别 vs 公民身份号码, once both are known (after the ID).
    static func apply(_ row: inout CanonicalRow, sex: SexRule.Sex?, id: CitizenIDRule.Result) {
        if let sex, id.formValid, !matches(sex: sex, idIsMale: id.male) {
            row.fire(.idSexMismatch, .sex)
        }
    }
}

extension RuleCode {
    /// 性别 contradicts the ID's 17th digit.
    public static let idSexMismatch = RuleCode(IDSexRule.idSexMismatch)
}
