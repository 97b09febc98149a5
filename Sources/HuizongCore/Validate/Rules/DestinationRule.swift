/// 就业去向（回访结果） — `DEST_INVALID` (reject).
///
/// SPEC 5: "就业去向 | empty, or one integer `1`–`15` (single choice: `12` is 职业培训) | reject".
/// 填写说明（十一）: "就业去向（回访结果）包括：1.党政机关 … 12.职业培训 13.升学出国 14.自愿暂时不就业
/// 15.其他。请从以上选项中选择一项，并将其序号填入表中"
///
/// Empty until the follow-up visit; otherwise one integer 1–15 without leading zeros (`01`, `0`,
/// `16`, `1、2` are invalid).
enum DestinationRule {
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        switch p.count {
        case 0: return true
        case 1: return p[0] >= 0x31 && p[0] <= 0x39
        case 2: return p[0] == 0x31 && p[1] >= 0x30 && p[1] <= 0x35
        default: return false
        }
    }
}
