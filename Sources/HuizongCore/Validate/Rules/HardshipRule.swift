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
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let hardshipInvalid = RuleCode.Definition("HARDSHIP_INVALID", .reject, .field(.hardship), chinese: "困难状况须为1–4，4只能单选", english: "hardship must be 1-4, 4 only alone")

    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> MultiChoice {
        MultiChoice(p, allowed: MultiChoice.oneToFour)
    }

    static func isValid(_ c: MultiChoice) -> Bool {
        let four = MultiChoice.bit(4)
        return !c.invalid && !c.isEmpty && (c.mask & four == 0 || c.mask == four)
    }
}

extension HardshipRule {
    /// 困难状况 in the record: the options ascending, or the invalid cell.
    static func apply(_ row: inout CanonicalRow) {
        let cell = row.next(.hardship)
        let hardship = parse(cell)
        if isValid(hardship) {
            MultiChoiceRule.write(hardship, .hardship, &row)
        } else {
            row.keepInvalid(cell, .hardshipInvalid, .hardship)
        }
    }
}

extension RuleCode {
    /// 困难状况 empty, an option other than 1–4, or 4 with another option.
    public static let hardshipInvalid = RuleCode(HardshipRule.hardshipInvalid)
}
