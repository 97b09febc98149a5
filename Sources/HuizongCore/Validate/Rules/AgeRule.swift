/// 毕业日期 vs 公民身份号码 — `AGE_IMPLAUSIBLE` (flag, 字段 毕业日期).
///
/// SPEC 5: "毕业日期 vs ID | age at graduation outside 15–60 | flag".
///
/// Age in full years from the ID's birth date to the graduation date (a birthday not yet reached
/// in the graduation year does not count). Runs only when the ID's birth date is valid and the
/// graduation date is a real date inside the window.
enum AgeRule {
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
