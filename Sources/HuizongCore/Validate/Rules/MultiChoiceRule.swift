/// The multi-choice fields (困难状况, 就业意向, 就业服务需求) — `MULTI_REPEATED` (flag, 字段 = the
/// field), and their shared parsing (`MultiChoice`).
///
/// SPEC 5: "General: … Multi-choice fields accept separators `、` `,` `，` and spaces between
/// options, and `a` for `A`." and "any multi-choice | a repeated option (e.g. `112`) →
/// deduplicated | flag".
/// 填写说明（七）: "如果符合有多项选择，则将多项的序号依次全部填入。"
/// 填写说明（九）（十）: "如果有多项，则将多项的序号依次全部填入。"
///
/// After the general normalisation (`，` is already `,`), the separators `、` `,`, ASCII space and
/// U+3000 are dropped wherever they stand, `a` reads as `A`, and every other character must be an
/// allowed option (else the field's own *_INVALID). A repeated option is dropped and flagged
/// (`MULTI_REPEATED`, only reported when the field is otherwise valid). Canonical: the options
/// ascending, `A` last, no separators.
enum MultiChoiceRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let multiRepeated = RuleCode.Definition("MULTI_REPEATED", .flag, .fields([.hardship, .intentions, .serviceNeeds]), chinese: "重复选项已去重", english: "repeated option removed")

    /// A valid multi-choice field in the record: its canonical options; a repeated option flagged.
    static func write(_ choice: MultiChoice, _ column: Column, _ row: inout CanonicalRow) {
        choice.writeCanonical(to: &row.line)
        if choice.repeated { row.fire(.multiRepeated, column) }
    }
}

/// The options of a multi-choice cell, parsed as `MultiChoiceRule` says.
struct MultiChoice {
    /// Bit k set for option k (1–9); bit 10 for `A`.
    var mask: UInt16 = 0
    /// A character that is neither a separator nor an allowed option.
    var invalid = false
    /// Some option appeared twice.
    var repeated = false

    static let optionA: UInt16 = 1 << 10
    /// Options 1–9 and A.
    static let oneToNineAndA: UInt16 = 0b111_1111_1110
    /// Options 1–4.
    static let oneToFour: UInt16 = 0b1_1110

    static func bit(_ option: Int) -> UInt16 { 1 << UInt16(option) }

    var isEmpty: Bool { mask == 0 }

    /// Parses the normalised cell, accepting the options in `allowed`.
    init(_ p: UnsafeBufferPointer<UInt8>, allowed: UInt16) {
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b == 0x2C || b == 0x20 { // , space
                i += 1
                continue
            }
            if b == 0xE3, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0x81 || p[i + 2] == 0x80 { // 、 U+3000
                i += 3
                continue
            }
            var bit: UInt16 = 0
            if b >= 0x31 && b <= 0x39 {
                bit = 1 << UInt16(b - 0x30)
            } else if b == 0x41 || b == 0x61 {
                bit = Self.optionA
            }
            if bit & allowed == 0 {
                invalid = true
                return
            }
            if mask & bit != 0 { repeated = true }
            mask |= bit
            i += 1
        }
    }

    /// Writes the canonical value (ascending, A last): at most 10 bytes.
    func writeCanonical(to w: inout ByteWriter) {
        var m = mask >> 1
        var digit: UInt8 = 0x31
        while m != 0 && digit <= 0x39 {
            if m & 1 != 0 { w.append(digit) }
            m >>= 1
            digit += 1
        }
        if mask & Self.optionA != 0 { w.append(0x41) }
    }
}

extension RuleCode {
    /// An option written twice in 困难状况, 就业意向 or 就业服务需求 (deduplicated).
    public static let multiRepeated = RuleCode(MultiChoiceRule.multiRepeated)
}
