/// 性别 — `SEX_INVALID` (reject).
///
/// SPEC 5: "性别 | `男`/`女`; also `1`/`2` (GB/T 2261.1) → `男`/`女` | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
enum SexRule {
    enum Sex {
        case male, female

        /// Canonical value: 男 / 女.
        var canonical: StaticString { self == .male ? "男" : "女" }
    }

    /// The sex written in the normalised cell, or nil when the rule is broken.
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Sex? {
        if p.equals("男") || p.equals("1") { return .male }
        if p.equals("女") || p.equals("2") { return .female }
        return nil
    }
}
