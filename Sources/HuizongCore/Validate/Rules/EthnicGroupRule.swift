/// 民族 — `ETHNIC_INVALID` (reject).
///
/// SPEC 5: "民族 | one of GB/T 3304's 56 groups, `其他`, `外国血统中国籍人士`; name with or without
/// 族, or the 2-digit code → full name; the old names 崩龙族 → 德昂族, 毛难族 → 毛南族 | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
///
/// The table itself (names, codes, old names) lives in `EthnicGroups`; this rule hands it the
/// normalised cell (full-width digits already folded, so `０１` is `01`).
enum EthnicGroupRule {
    /// The full canonical name, or nil when the rule is broken.
    static func canonical(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        // Names are at most a few Han characters: a small String, stored inline (no allocation).
        EthnicGroups.canonicalName(for: String(decoding: p, as: UTF8.self))
    }
}
