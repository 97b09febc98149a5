/// 学历 — `EDU_INVALID` (reject).
///
/// SPEC 5: "学历 | one of `1`–`5`; the names 博士(研究生), 硕士(研究生), (大学)本科, (大学)专科,
/// 其他 → code | reject".
/// 填写说明（四）: "学历请填写最高学历，具体包括：1.博士研究生 2.硕士研究生 3.大学本科 4.大学专科
/// 5.其他。请从以上选项中选择一项，并将其序号填入表中。"
///
/// Accepted names: 博士研究生/博士 → 1, 硕士研究生/硕士 → 2, 大学本科/本科 → 3, 大学专科/专科 → 4,
/// 其他 → 5, and the literal forms with parentheses 博士(研究生), 硕士(研究生), (大学)本科,
/// (大学)专科 — full-width parentheses `（）` are folded to ASCII for this comparison only.
/// Canonical: the digit.
enum EducationRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let eduInvalid = RuleCode.Definition("EDU_INVALID", .reject, .field(.education), chinese: "学历须为1–5", english: "education must be 1-5")

    static let names: [(StaticString, UInt8)] = [
        ("博士研究生", 1), ("博士", 1), ("博士(研究生)", 1),
        ("硕士研究生", 2), ("硕士", 2), ("硕士(研究生)", 2),
        ("大学本科", 3), ("本科", 3), ("(大学)本科", 3),
        ("大学专科", 4), ("专科", 4), ("(大学)专科", 4),
        ("其他", 5),
    ]

    /// The code 1–5, or nil when the rule is broken.
    static func code(_ p: UnsafeBufferPointer<UInt8>) -> UInt8? {
        if p.count == 1 {
            let v = p[0] &- 0x30
            return v >= 1 && v <= 5 ? v : nil
        }
        guard p.count >= 6, p.count <= 30 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 30) { buf in
            // Fold （ ） (EF BC 88 / EF BC 89) to ( ).
            var n = 0
            var i = 0
            while i < p.count {
                if p[i] == 0xEF, i + 2 < p.count, p[i + 1] == 0xBC, p[i + 2] == 0x88 || p[i + 2] == 0x89 {
                    buf[n] = p[i + 2] == 0x88 ? 0x28 : 0x29
                    i += 3
                } else {
                    buf[n] = p[i]
                    i += 1
                }
                n += 1
            }
            let folded = UnsafeBufferPointer(rebasing: buf[0..<n])
            for (name, code) in names where folded.equals(name) { return code }
            return nil
        }
    }
}

extension EducationRule {
    /// 学历 in the record: the digit 1–5, or the invalid cell.
    static func apply(_ row: inout CanonicalRow) {
        let cell = row.next(.education)
        if let code = code(cell) {
            row.line.append(0x30 + code)
        } else {
            row.keepInvalid(cell, .eduInvalid, .education)
        }
    }
}

extension RuleCode {
    /// 学历 neither 1–5 nor one of their names.
    public static let eduInvalid = RuleCode(EducationRule.eduInvalid)
}
