/// A file is a CSV or an `.xlsx` workbook — `FILE_FORMAT` (reject, whole file).
///
/// SPEC 8.2: "A file starting with the OLE2 magic (`D0 CF 11 E0 A1 B1 1A E1`: an old `.xls` or an
/// encrypted workbook) or with `%PDF`, or whose first 64 KiB (after gunzip) hold a NUL byte, is
/// rejected whole with `FILE_FORMAT` (说明: 请另存为 .xlsx 或 CSV UTF-8 / save it as .xlsx or CSV
/// UTF-8). A corrupt workbook, or one without a worksheet, is `FILE_FORMAT` too".
/// SPEC 8.1: an inbox file named `*.xls` "is then rejected whole with `FILE_FORMAT`".
/// 填写说明: none (the file, not the form).
///
/// Checked by `SummarySource` and the workbook reader (`ZipArchive`, `WorkbookParts`, `XLSXReader`).
enum FileFormatRule {
    static let fileFormat = RuleCode.Definition("FILE_FORMAT", .reject, .file, chinese: "文件格式不支持，请另存为 .xlsx 或 CSV UTF-8", english: "unsupported file format; save it as .xlsx or CSV UTF-8")
}

extension RuleCode {
    /// An old `.xls`, an encrypted workbook, a PDF, a binary file, or a corrupt workbook.
    public static let fileFormat = RuleCode(FileFormatRule.fileFormat)
}
