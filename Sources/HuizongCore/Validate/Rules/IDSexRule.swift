/// 性别 vs 公民身份号码 — `ID_SEX_MISMATCH` (reject, 字段 性别).
///
/// SPEC 5: "性别 vs ID | 17th digit odd = 男, even = 女; mismatch | reject".
/// GB 11643-1999: the sequence code (digits 15–17) is odd for men and even for women.
///
/// Runs only when the ID has a valid form (18 characters, after a 15→18 upgrade) and 性别 is
/// valid; a wrong check digit or birth date does not stop it.
enum IDSexRule {
    static func matches(sex: SexRule.Sex, idIsMale: Bool) -> Bool {
        (sex == .male) == idIsMale
    }
}
