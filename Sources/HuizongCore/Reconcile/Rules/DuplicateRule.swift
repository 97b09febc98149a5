/// One row per content — `DUPLICATE` (info).
///
/// SPEC 6: "Rows with identical content form one group: the first in (file, line) order counts — a
/// county's base table first, then files by basename — the others are `duplicate` (info). The
/// same instant written in two notations is the same content."
/// 填写说明: none; the notice, 一（三）信息汇总: "确保《汇总表》中的每条信息都要与《登记表》中的信息
/// 一一对应。"
///
/// Decided by `Reconciler` (content = `ValidatedRecord.canonicalLine`); reported by the run.
enum DuplicateRule {
    static let duplicate = RuleCode.Definition("DUPLICATE", .info, .record, chinese: "内容重复", english: "same content as an earlier row")
}

extension RuleCode {
    /// Same canonical content as an earlier row of the ID.
    public static let duplicate = RuleCode(DuplicateRule.duplicate)
}
