/// 就业意向 — `INTENT_INVALID` (reject), `INTENT_9_COMBINED` (flag).
///
/// SPEC 5: "就业意向 | one or more of `1`–`9`, `A`; canonical ascending with A last | reject" and
/// "就业意向 | `9` (自愿暂时不就业) together with another option | flag".
/// 填写说明（九）: "就业意向包括：1.准备考公务员 … 9.自愿暂时不就业 A.其他。请从以上选项中选择，并将其
/// 序号填入表中。如果有多项，则将多项的序号依次全部填入。"
///
/// Parsed as a multi-choice field (`MultiChoice`); empty is invalid. `9` with another option is
/// kept as written (canonicalised) and flagged.
enum IntentionsRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let intentInvalid = RuleCode.Definition("INTENT_INVALID", .reject, .field(.intentions), chinese: "就业意向须为1–9、A", english: "intentions must be 1-9, A")
    static let intent9Combined = RuleCode.Definition("INTENT_9_COMBINED", .flag, .field(.intentions), chinese: "自愿暂时不就业与其他选项同选", english: "option 9 with others")

    static let nine = MultiChoice.bit(9)

    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> MultiChoice {
        MultiChoice(p, allowed: MultiChoice.oneToNineAndA)
    }

    static func isValid(_ c: MultiChoice) -> Bool { !c.invalid && !c.isEmpty }

    /// Only `9` (自愿暂时不就业).
    static func isOnlyNine(_ c: MultiChoice) -> Bool { c.mask == nine }

    /// `9` together with another option (`INTENT_9_COMBINED`).
    static func isNineCombined(_ c: MultiChoice) -> Bool { c.mask & nine != 0 && c.mask != nine }
}

extension IntentionsRule {
    /// 就业意向 in the record: the options ascending, A last, or the invalid cell. Returns the
    /// options when valid (for 就业服务需求).
    static func apply(_ row: inout CanonicalRow) -> MultiChoice? {
        let cell = row.next(.intentions)
        let intentions = parse(cell)
        guard isValid(intentions) else {
            row.keepInvalid(cell, .intentInvalid, .intentions)
            return nil
        }
        MultiChoiceRule.write(intentions, .intentions, &row)
        if isNineCombined(intentions) { row.fire(.intent9Combined, .intentions) }
        return intentions
    }
}

extension RuleCode {
    /// 就业意向 empty, or an option other than 1–9, A.
    public static let intentInvalid = RuleCode(IntentionsRule.intentInvalid)
    /// 就业意向 9 (自愿暂时不就业) together with another option.
    public static let intent9Combined = RuleCode(IntentionsRule.intent9Combined)
}
