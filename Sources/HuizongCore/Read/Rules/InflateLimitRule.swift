/// A file inflates within bounds — `FILE_INFLATE_LIMIT` (reject, whole file).
///
/// SPEC 3.1: "A file is **rejected whole** … when it is … inflating past 1 GiB at more than 100× its
/// compressed size." SPEC 8.2: a workbook "whose uncompressed parts pass the limit of 3.1 is
/// `FILE_INFLATE_LIMIT`".
/// 填写说明: none (the transport, not the form).
///
/// Checked by `DecompressedStream` (gzip) and `ZipArchive` (a workbook's parts).
enum InflateLimitRule {
    static let fileInflateLimit = RuleCode.Definition("FILE_INFLATE_LIMIT", .reject, .file, chinese: "解压后过大（疑似压缩炸弹），已拒收", english: "inflates past the limit (gzip bomb); rejected")
}

extension RuleCode {
    /// Inflates past 1 GiB at more than 100× its compressed size (a gzip bomb).
    public static let fileInflateLimit = RuleCode(InflateLimitRule.fileInflateLimit)
}
