import Foundation

/// `aggregate verify` (SPEC 8.4): one child's submission checked exactly as the parent's run
/// checks it — the same `InputReader.load` (signature first, then the manifest, then the data
/// file's sha256 and rows) — without merging anything or writing anything.
public struct SubmissionCheck: Sendable {
    public var manifestPath: String
    public var dataPath: String
    /// The unit that sent it (from the file name `C-P.manifest.json`) and the unit receiving it.
    public var sender: String
    public var receiver: String
    public var period: Period
    /// The signature against the sender's configured keys; nil when none is configured.
    public var signature: SubmissionSignature.Verdict?
    /// Why the parent would reject the data file whole; nil: valid.
    public var rejection: FileRejection?
    /// Non-blank lines after the header and sha256 of the data file, as read.
    public var dataRows: Int
    public var sha256: String?

    public var isValid: Bool { rejection == nil }

    /// Checks `manifestPath` (`C-P.manifest.json`, with `C-P.csv.gz` and its report beside it)
    /// for `receiver` (default: C's parent in `config`). Throws `.usage` when the name or the
    /// units do not say what to check.
    public static func check(manifestPath: String, config: PipelineConfig, receiver: String? = nil,
                             asOf: Int64) throws(RunFailure) -> SubmissionCheck {
        let (dir, name) = AtomicOutputDirectory.split(manifestPath)
        let suffix = ".manifest.json"
        let stem = name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : ""
        let sender = String(stem.prefix(6))
        guard stem.count == 14, sender.allSatisfy({ $0.isASCII && $0.isNumber }), stem.dropFirst(6).first == "-",
              let period = Period(String(stem.dropFirst(7))) else {
            throw .usage("清单文件名须为 C-P.manifest.json（C为6位单位代码，P为YYYY-MM） the manifest's name must be C-P.manifest.json (C a 6-digit unit, P YYYY-MM): \(name)")
        }
        guard FileSystem.exists(manifestPath) else {
            throw .usage("找不到清单 no such manifest: \(manifestPath)")
        }
        guard let to = receiver ?? config.unit(sender)?.parent else {
            throw .usage("配置中找不到\(sender)的上级，请用--unit指定接收单位 \(sender) has no parent in the configuration; name the receiving unit with --unit")
        }
        guard let unit = config.unit(to), let code = UnitCode(to) else {
            throw .usage("单位\(to)不在配置中 unit \(to) is not in the configuration")
        }
        let request = MonthlyRun.RequestContext(
            unit: code, unitName: unit.name, level: unit.level, period: period, asOf: asOf, config: config,
            cohort: config.cohort, window: config.graduationWindow, outputDirectory: "", files: nil, forcedEncoding: nil)
        let dataPath = (dir.isEmpty ? "." : dir) + "/" + stem + ".csv.gz"
        let spec = InputSpec(path: dataPath, from: sender, manifestPath: manifestPath)
        let batch = InputReader.load(spec, request: request, expected: config.children(of: to)).batch

        var signature: SubmissionSignature.Verdict?
        if let keys = config.unit(sender)?.publicKeys, !keys.isEmpty,
           let bytes = FileManager.default.contents(atPath: manifestPath) {
            signature = SubmissionSignature.verify(manifest: [UInt8](bytes), publicKeys: keys)
        }
        return SubmissionCheck(manifestPath: manifestPath, dataPath: dataPath, sender: sender, receiver: to, period: period,
                               signature: signature, rejection: batch.rejection, dataRows: batch.dataRows,
                               sha256: batch.sha256)
    }
}
