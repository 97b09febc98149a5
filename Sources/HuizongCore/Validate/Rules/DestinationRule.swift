/// 就业去向（回访结果） — `DEST_INVALID` (reject).
///
/// SPEC 5: "就业去向 | empty, or one integer `1`–`15` (single choice: `12` is 职业培训) | reject".
/// The 填写说明 have no clause for it (they end at （十）); 附件1 gives the options: "就业去向
/// （日后根据回访结果填写） 1.党政机关 2.事业单位 … 11.就业见习 12.职业培训 13.升学出国
/// 14.自愿暂时不就业 15.其他".
///
/// Empty until the follow-up visit; otherwise one integer 1–15 without leading zeros (`01`, `0`,
/// `16`, `1、2` are invalid).
enum DestinationRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let destInvalid = RuleCode.Definition("DEST_INVALID", .reject, .field(.destination), chinese: "就业去向须为1–15中的一项", english: "destination must be one of 1-15")

    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        switch p.count {
        case 0: return true
        case 1: return p[0] >= 0x31 && p[0] <= 0x39
        case 2: return p[0] == 0x31 && p[1] >= 0x30 && p[1] <= 0x35
        default: return false
        }
    }
}

extension DestinationRule {
    /// 就业去向 in the record: the cell, checked.
    static func apply(_ row: inout CanonicalRow) {
        row.keepChecking(.destination, .destInvalid, isValid)
    }
}

extension RuleCode {
    /// 就业去向 neither empty nor one integer 1–15.
    public static let destInvalid = RuleCode(DestinationRule.destInvalid)
}
