/// 毕业日期 vs 公民身份号码 — `AGE_IMPLAUSIBLE` (flag, 字段 毕业日期).
///
/// SPEC 5: "毕业日期 vs ID | age at graduation outside 15–60 | flag".
/// No 填写说明 clause bounds the age; it compares two that do: 填写说明（一）"…公民身份号码需与个人有效
/// 居民身份证记录一致。" (the birth date) and 填写说明（三）"毕业日期指高校毕业生学历证书的发放日期…"
///
/// Age in full years from the ID's birth date to the graduation date (a birthday not yet reached
/// in the graduation year does not count). Runs only when the ID's birth date is valid and the
/// graduation date is a real date inside the window.
enum AgeRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let ageImplausible = RuleCode.Definition("AGE_IMPLAUSIBLE", .flag, .field(.graduationDate), chinese: "毕业时年龄不在15–60岁", english: "age at graduation outside 15-60")

    static let minAge = 15
    static let maxAge = 60

    /// Full years from `birth` to `date` (both yyyymmdd).
    static func age(birth: Int, at date: Int) -> Int {
        let years = date / 10000 - birth / 10000
        return date % 10000 < birth % 10000 ? years - 1 : years
    }

    static func isPlausible(birth: Int, graduation: Int) -> Bool {
        let a = age(birth: birth, at: graduation)
        return a >= minAge && a <= maxAge
    }
}

extension AgeRule {
    /// 毕业日期 vs the ID's birth date, once both are known and valid (after 毕业日期).
    static func apply(_ row: inout CanonicalRow, graduation: Int?, id: CitizenIDRule.Result) {
        if let graduation, id.formValid, id.birthValid, !isPlausible(birth: id.birthDate, graduation: graduation) {
            row.fire(.ageImplausible, .graduationDate)
        }
    }
}

extension RuleCode {
    /// Age at graduation below 15 or above 60.
    public static let ageImplausible = RuleCode(AgeRule.ageImplausible)
}
