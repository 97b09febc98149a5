/// 就业服务需求 — `NEEDS_INVALID` (reject); vs 就业意向: `NEEDS_WITH_9`, `NEEDS_MISSING` (flags,
/// 字段 就业服务需求).
///
/// SPEC 5: "就业服务需求 | empty, or one or more of `1`–`9`, `A` | reject", "就业服务需求 |
/// non-empty while 就业意向 is only `9` | flag" and "就业服务需求 | empty while 就业意向 is not only `9`
/// (说明(十): only they may leave it empty) | flag".
/// 填写说明（十）: "…如果希望接受所有服务，则填写“123456789A”。“就业意向”为“自愿暂时不就业”的不用填写。"
///
/// Parsed as a multi-choice field (`MultiChoice`). The two cross-field flags run only when both
/// 就业意向 and 就业服务需求 are valid.
enum ServiceNeedsRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let needsInvalid = RuleCode.Definition("NEEDS_INVALID", .reject, .field(.serviceNeeds), chinese: "就业服务需求须为1–9、A", english: "service needs must be 1-9, A")
    static let needsWith9 = RuleCode.Definition("NEEDS_WITH_9", .flag, .field(.serviceNeeds), chinese: "自愿暂时不就业者不用填写就业服务需求", english: "service needs given with intention 9 only")
    static let needsMissing = RuleCode.Definition("NEEDS_MISSING", .flag, .field(.serviceNeeds), chinese: "就业服务需求为空（仅自愿暂时不就业者可不填）", english: "service needs empty; only intention 9 may leave it empty")

    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> MultiChoice {
        MultiChoice(p, allowed: MultiChoice.oneToNineAndA)
    }

    static func isValid(_ c: MultiChoice) -> Bool { !c.invalid }

    enum CrossCheck {
        case consistent, needsWith9, needsMissing
    }

    /// Both fields valid.
    static func crossCheck(needs: MultiChoice, intentions: MultiChoice) -> CrossCheck {
        if IntentionsRule.isOnlyNine(intentions) {
            return needs.isEmpty ? .consistent : .needsWith9
        }
        return needs.isEmpty ? .needsMissing : .consistent
    }
}

extension ServiceNeedsRule {
    /// 就业服务需求 in the record: the options ascending, A last, or the invalid cell; checked
    /// against 就业意向 when both are valid.
    static func apply(_ row: inout CanonicalRow, validIntentions: MultiChoice?) {
        let cell = row.next(.serviceNeeds)
        let needs = parse(cell)
        guard isValid(needs) else {
            row.keepInvalid(cell, .needsInvalid, .serviceNeeds)
            return
        }
        MultiChoiceRule.write(needs, .serviceNeeds, &row)
        guard let intentions = validIntentions else { return }
        switch crossCheck(needs: needs, intentions: intentions) {
        case .consistent: break
        case .needsWith9: row.fire(.needsWith9, .serviceNeeds)
        case .needsMissing: row.fire(.needsMissing, .serviceNeeds)
        }
    }
}

extension RuleCode {
    /// 就业服务需求 holds an option other than 1–9, A.
    public static let needsInvalid = RuleCode(ServiceNeedsRule.needsInvalid)
    /// 就业服务需求 given while 就业意向 is only 9.
    public static let needsWith9 = RuleCode(ServiceNeedsRule.needsWith9)
    /// 就业服务需求 empty while 就业意向 is not only 9.
    public static let needsMissing = RuleCode(ServiceNeedsRule.needsMissing)
}
