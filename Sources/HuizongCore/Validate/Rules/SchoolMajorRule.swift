/// 毕业院校 and 所学专业 — `SCHOOL_INVALID`, `MAJOR_INVALID` (reject).
///
/// SPEC 5: "毕业院校, 所学专业 | non-empty, ≤ 60 chars | reject".
/// 填写说明（二）: "毕业学校和所学专业指高校毕业生学历证书上记载的毕业学校和专业，以国家认可的学历证书的内容为准。"
///
/// Characters are Unicode scalars, counted after the general normalisation (trimmed).
enum SchoolMajorRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let schoolInvalid = RuleCode.Definition("SCHOOL_INVALID", .reject, .field(.school), chinese: "毕业院校须为1–60字", english: "毕业院校 must be 1-60 characters")
    static let majorInvalid = RuleCode.Definition("MAJOR_INVALID", .reject, .field(.major), chinese: "所学专业须为1–60字", english: "所学专业 must be 1-60 characters")

    static let maxScalars = 60

    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        !p.isEmpty && (p.count <= maxScalars || TextNormalizer.scalarCount(p) <= maxScalars)
    }
}

extension SchoolMajorRule {
    /// 毕业院校 in the record: the cell, checked.
    static func applySchool(_ row: inout CanonicalRow) {
        row.keepChecking(.school, .schoolInvalid, isValid)
    }

    /// 所学专业 in the record: the cell, checked.
    static func applyMajor(_ row: inout CanonicalRow) {
        row.keepChecking(.major, .majorInvalid, isValid)
    }
}

extension RuleCode {
    /// 毕业院校 empty or longer than 60 characters.
    public static let schoolInvalid = RuleCode(SchoolMajorRule.schoolInvalid)
    /// 所学专业 empty or longer than 60 characters.
    public static let majorInvalid = RuleCode(SchoolMajorRule.majorInvalid)
}
