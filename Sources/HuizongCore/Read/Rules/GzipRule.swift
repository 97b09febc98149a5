/// A gzip file inflates whole — `FILE_GZIP` (reject, whole file).
///
/// SPEC 3.1: "Compression: a file starting with the gzip magic bytes is gunzipped, whatever its
/// name. Multi-member gzip files are valid. A truncated or corrupt gzip file is rejected whole."
/// 填写说明: none (the transport, not the form).
///
/// Checked by `DecompressedStream`.
enum GzipRule {
    static let fileGzip = RuleCode.Definition("FILE_GZIP", .reject, .file, chinese: "gzip压缩文件损坏或不完整，请重新报送", english: "corrupt or truncated gzip file; send it again")
}

extension RuleCode {
    /// A corrupt or truncated gzip stream.
    public static let fileGzip = RuleCode(GzipRule.fileGzip)
}
