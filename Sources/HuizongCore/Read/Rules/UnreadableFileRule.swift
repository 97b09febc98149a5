/// A file can be read — `FILE_UNREADABLE` (reject, whole file).
///
/// SPEC 3.1: "A file is **rejected whole** (none of its rows merged, even those read before the
/// problem was found) when it is unreadable, …"
/// SPEC 8.5: "a FIFO, socket or device given or found as an input is `FILE_UNREADABLE` at once (the
/// run never blocks on it). A file that changes while it is read (its size, modification time or
/// inode differ at the end from the start) is rejected whole (`FILE_UNREADABLE`, 说明: changed while
/// being read; send it again)."
/// 填写说明: none (the file, not the form).
///
/// Checked by `InputFile`, `ZipArchive` and, for a child's submission, `ChildSubmission`.
enum UnreadableFileRule {
    static let fileUnreadable = RuleCode.Definition("FILE_UNREADABLE", .reject, .file, chinese: "文件无法读取，请重新报送", english: "file cannot be read; send it again")
}

extension RuleCode {
    /// The file cannot be opened or read, is no regular file, or changed while it was read.
    public static let fileUnreadable = RuleCode(UnreadableFileRule.fileUnreadable)
}
