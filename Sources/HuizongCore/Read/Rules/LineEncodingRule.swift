/// A line is text in the file's encoding — `LINE_ENCODING` (reject, the line).
///
/// SPEC 3.1: "Input that is not valid UTF-8 is read as GB18030 (what Excel in China writes); … The
/// encoding is decided per file from its first 64 KiB; a later line that is not valid in it is
/// rejected (`LINE_ENCODING`)."
/// 填写说明: none (the file, not the form).
///
/// Checked by `SummaryFileReader` (`TextEncoding`).
enum LineEncodingRule {
    static let lineEncoding = RuleCode.Definition("LINE_ENCODING", .reject, .line, chinese: "该行编码无效，请用UTF-8或GB18030重新保存", english: "invalid text encoding on this line; save as UTF-8 or GB18030")
}

extension RuleCode {
    /// A line not valid in the file's encoding.
    public static let lineEncoding = RuleCode(LineEncodingRule.lineEncoding)
}
