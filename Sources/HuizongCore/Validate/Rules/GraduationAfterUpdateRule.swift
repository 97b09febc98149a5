/// 毕业日期 vs 更新时间 — `GRADDATE_AFTER_UPDATE` (flag, 字段 毕业日期).
///
/// SPEC 5: "毕业日期 vs 更新时间 | graduation after the row's 更新时间 (registered before leaving
/// school) | flag".
/// The notice registers graduates "离校未就业" — after they have left school.
///
/// Compares days: the graduation date against the China-time calendar day of 更新时间; the same day
/// is not after. Runs only when the graduation date is valid and inside the window and 更新时间
/// passed its own rules.
enum GraduationAfterUpdateRule {
    static func isAfter(graduation: Int, updatedAt: Int64) -> Bool {
        // graduation > day(of: updatedAt) ⟺ the graduation day starts after the update time.
        ChinaTime.startOfDay(graduation) > updatedAt
    }
}
