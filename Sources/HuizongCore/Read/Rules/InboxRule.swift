/// An inbox holds tables — `FILE_SKIPPED` (info, whole file).
///
/// SPEC 8.1: "Anything else — another file (`说明.txt`, `scan.pdf`), a subfolder, a FIFO or device —
/// is not opened and gets one info finding `FILE_SKIPPED` (whole-file; 来源单位 the running unit;
/// 说明 names it and why); it is not a rejection, does not make exit 2, and is not listed in the
/// manifest's `inputs` (the finding is its only trace)."
/// 填写说明: none (the inbox, not the form).
///
/// Decided by `InboxListing`; reported by the run.
enum InboxRule {
    static let fileSkipped = RuleCode.Definition("FILE_SKIPPED", .info, .file, chinese: "非汇总表文件，未读取", english: "not a summary file; not read")
}

extension RuleCode {
    /// An inbox entry that is not a table: not opened, not an input.
    public static let fileSkipped = RuleCode(InboxRule.fileSkipped)
}
