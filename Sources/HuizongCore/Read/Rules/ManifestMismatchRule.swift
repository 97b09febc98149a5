/// A child's submission is what its manifest says — `FILE_MANIFEST_MISMATCH` (reject, whole file).
///
/// SPEC 3.2: "a data file … whose row count (non-blank lines after the header) or sha256 differs
/// from its manifest's `outputs.summary`, whose discrepancy file is missing or differs from
/// `outputs.discrepancies`, or whose manifest's `period` is not P (`FILE_MANIFEST_MISMATCH`) … is
/// rejected whole." SPEC 8.5: "a child's manifest must name exactly `C-P.csv.gz` and
/// `C-P.discrepancies.csv.gz` in the same inbox folder; any other name, a missing or unreadable
/// report, or anything else wrong with one child's submission rejects that child's data file".
/// 填写说明: none; the notice, 一（五）信息上报: "各地要按月逐级上报《汇总表》。"
///
/// Checked by the run (`MonthlyRun`, `ChildSubmission`, `SubmissionCheck`).
enum ManifestMismatchRule {
    static let fileManifestMismatch = RuleCode.Definition("FILE_MANIFEST_MISMATCH", .reject, .file, chinese: "文件与清单不符，请重新报送整套文件", english: "file does not match its manifest; send the whole set again")
}

extension RuleCode {
    /// A child's data file, report or period that differs from its manifest.
    public static let fileManifestMismatch = RuleCode(ManifestMismatchRule.fileManifestMismatch)
}
