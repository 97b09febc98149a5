/// 困难状况 — `HARDSHIP_INVALID` (reject).
///
/// SPEC 5: "困难状况 | one or more of `1 2 3 4`; `4` (不属于困难情况) only alone; canonical:
/// ascending | reject".
/// 填写说明（七）: "困难状况包括：1.零就业家庭 2.家庭经济困难 3.残疾 4.不属于困难情况。请从以上选项中
/// 选择，如果符合有多项选择，则将多项的序号依次全部填入。"
///
/// Parsed as a multi-choice field (`MultiChoice`): `1、3` → `13`; `14` is invalid (4 means "none
/// of these", so it cannot be combined); empty is invalid.
enum HardshipRule {
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> MultiChoice {
        MultiChoice(p, allowed: MultiChoice.oneToFour)
    }

    static func isValid(_ c: MultiChoice) -> Bool {
        let four = MultiChoice.bit(4)
        return !c.invalid && !c.isEmpty && (c.mask & four == 0 || c.mask == four)
    }
}
