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
