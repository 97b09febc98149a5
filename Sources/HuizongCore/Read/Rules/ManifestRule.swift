/// A child's data file comes with its manifest — `FILE_NO_MANIFEST` (reject, whole file).
///
/// SPEC 3.2: "Above county level every child data file `C-P.csv.gz` must arrive with
/// `C-P.manifest.json` and `C-P.discrepancies.csv.gz` beside it; a data file without its manifest
/// … is rejected whole."
/// 填写说明: none; the notice, 一（五）信息上报: "各地要按月逐级上报《汇总表》。"
///
/// Checked by the run (`MonthlyRun`).
enum ManifestRule {
    static let fileNoManifest = RuleCode.Definition("FILE_NO_MANIFEST", .reject, .file, chinese: "缺少同名清单文件manifest，请连同清单一起报送", english: "data file without its manifest; send both together")
}

extension RuleCode {
    /// A child's data file without its manifest.
    public static let fileNoManifest = RuleCode(ManifestRule.fileNoManifest)
}
