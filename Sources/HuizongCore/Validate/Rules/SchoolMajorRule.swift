/// 毕业院校 and 所学专业 — `SCHOOL_INVALID`, `MAJOR_INVALID` (reject).
///
/// SPEC 5: "毕业院校, 所学专业 | non-empty, ≤ 60 chars | reject".
/// 填写说明（二）: "毕业学校和所学专业指高校毕业生学历证书上记载的毕业学校和专业，以国家认可的学历证书的内容为准。"
///
/// Characters are Unicode scalars, counted after the general normalisation (trimmed).
enum SchoolMajorRule {
    static let maxScalars = 60

    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        !p.isEmpty && (p.count <= maxScalars || TextNormalizer.scalarCount(p) <= maxScalars)
    }
}
