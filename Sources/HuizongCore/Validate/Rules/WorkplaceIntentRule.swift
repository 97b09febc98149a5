/// 就业地意向 — `WORKPLACE_INVALID` (reject).
///
/// SPEC 5: "就业地意向 | exactly one of `1 2 3` | reject".
/// 填写说明（八）: "就业地意向包括：1.准备到外地就业 2.准备在本地就业 3.不确定。请从以上选项中选择一项，
/// 并将其序号填入表中。"
///
/// A single choice: exactly one character `1`, `2` or `3` after the general normalisation; no
/// multi-choice separators, so `12` and `11` are invalid.
enum WorkplaceIntentRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let workplaceInvalid = RuleCode.Definition("WORKPLACE_INVALID", .reject, .field(.workplaceIntent), chinese: "就业地意向须为1–3中的一项", english: "workplace intent must be one of 1-3")

    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.count == 1 && p[0] >= 0x31 && p[0] <= 0x33
    }
}

extension WorkplaceIntentRule {
    /// 就业地意向 in the record: the cell, checked.
    static func apply(_ row: inout CanonicalRow) {
        row.keepChecking(.workplaceIntent, .workplaceInvalid, isValid)
    }
}

extension RuleCode {
    /// 就业地意向 not exactly one of 1, 2, 3.
    public static let workplaceInvalid = RuleCode(WorkplaceIntentRule.workplaceInvalid)
}
