/// 毕业日期 vs 更新时间 — `GRADDATE_AFTER_UPDATE` (flag, 字段 毕业日期).
///
/// SPEC 5: "毕业日期 vs 更新时间 | graduation after the row's 更新时间 (registered before leaving
/// school) | flag".
/// No 填写说明 clause (附件2 has no 更新时间); the notice registers graduates after they have left
/// school, 一: "各地要将离校后未就业的高校毕业生作为当前就业工作的重点，开展实名登记".
///
/// Compares days: the graduation date against the China-time calendar day of 更新时间; the same day
/// is not after. Runs only when the graduation date is valid and inside the window and 更新时间
/// passed its own rules.
enum GraduationAfterUpdateRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let graddateAfterUpdate = RuleCode.Definition("GRADDATE_AFTER_UPDATE", .flag, .field(.graduationDate), chinese: "毕业日期晚于更新时间（离校前登记）", english: "graduation after the row's update time")

    static func isAfter(graduation: Int, updatedAt: Int64) -> Bool {
        // graduation > day(of: updatedAt) ⟺ the graduation day starts after the update time.
        ChinaTime.startOfDay(graduation) > updatedAt
    }
}

extension GraduationAfterUpdateRule {
    /// 毕业日期 vs 更新时间, once both are known and valid (after 更新时间).
    static func apply(_ row: inout CanonicalRow, graduation: Int?, updatedAt: Int64?) {
        if let graduation, let updatedAt, isAfter(graduation: graduation, updatedAt: updatedAt) {
            row.fire(.graddateAfterUpdate, .graduationDate)
        }
    }
}

extension RuleCode {
    /// 毕业日期 after the day of 更新时间: registered before leaving school.
    public static let graddateAfterUpdate = RuleCode(GraduationAfterUpdateRule.graddateAfterUpdate)
}
