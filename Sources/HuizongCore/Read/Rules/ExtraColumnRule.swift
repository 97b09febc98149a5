/// A file has no other columns — `FILE_EXTRA_COLUMN` (flag).
///
/// SPEC 3.1: "An unknown column is a `flag` (`FILE_EXTRA_COLUMN`, 行号 = the header's line, 字段 =
/// its name) and is dropped."
/// 填写说明: "汇总表用来汇总附件1（信息登记表）的信息" — 附件2's columns and no others.
///
/// Reported by `FileBatch` (字段 the header cell, or "withheld" when it looks like data).
enum ExtraColumnRule {
    static let fileExtraColumn = RuleCode.Definition("FILE_EXTRA_COLUMN", .flag, .file, chinese: "未知列已忽略，请删除该列", english: "unknown column dropped; remove it from the file")
}

extension RuleCode {
    /// An unknown column, dropped.
    public static let fileExtraColumn = RuleCode(ExtraColumnRule.fileExtraColumn)
}
