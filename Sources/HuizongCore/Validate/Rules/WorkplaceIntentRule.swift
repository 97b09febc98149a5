/// 就业地意向 — `WORKPLACE_INVALID` (reject).
///
/// SPEC 5: "就业地意向 | exactly one of `1 2 3` | reject".
/// 填写说明（八）: "就业地意向包括：1.准备到外地就业 2.准备在本地就业 3.不确定。请从以上选项中选择一项，
/// 并将其序号填入表中。"
///
/// A single choice: exactly one character `1`, `2` or `3` after the general normalisation; no
/// multi-choice separators, so `12` and `11` are invalid.
enum WorkplaceIntentRule {
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.count == 1 && p[0] >= 0x31 && p[0] <= 0x33
    }
}
