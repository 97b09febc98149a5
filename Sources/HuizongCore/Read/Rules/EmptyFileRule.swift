/// A file holds something — `FILE_EMPTY` (reject, whole file).
///
/// SPEC 3.1: "A file is **rejected whole** … when it is … empty once decompressed and without its
/// BOM (`FILE_EMPTY`)".
/// 填写说明: none (the file, not the form).
///
/// Checked by `SummaryFileReader` and `ChildSubmission`.
enum EmptyFileRule {
    static let fileEmpty = RuleCode.Definition("FILE_EMPTY", .reject, .file, chinese: "文件为空，请重新报送", english: "file is empty; send it again")
}

extension RuleCode {
    /// Nothing once decompressed and without its BOM.
    public static let fileEmpty = RuleCode(EmptyFileRule.fileEmpty)
}
