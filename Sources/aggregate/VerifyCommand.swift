import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate verify FILE.manifest.json --config F` (SPEC 8.4): one submission checked as the
/// parent's run would check it.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "像上级运行那样检查一个下级的报送（签名，然后数据文件和问题报告的哈希与行数）。 Check one child's submission (signature, then the data file's and report's hashes and rows) as its parent's run would.",
        discussion: """
        FILE为C-P.manifest.json，旁边须有C-P.csv.gz和C-P.discrepancies.csv.gz；C在配置中有publicKey时必须有签名。 \
        FILE is C-P.manifest.json with C-P.csv.gz and C-P.discrepancies.csv.gz beside it (a data file C-P.csv.gz may be named instead). The signature is required when C has a publicKey in the configuration. Prints whether the submission is valid and why.

        退出状态 exit status: 0 有效 valid; 2 无效（上级将整体拒收） invalid (its parent would reject it whole); 1 用法错误 usage error.
        """
    )

    @Option(help: "含单位及其公钥的pipeline.json pipeline.json with the units and their public keys.") var config: String
    @Option(help: "接收单位（默认：配置中发送单位的上级） the receiving unit (default: the sender's parent in the configuration).") var unit: UnitCode?
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "报送的清单C-P.manifest.json the submission's manifest, C-P.manifest.json.") var file: String

    func run() throws {
        logging.start("verify")
        func usage(_ s: String) -> ExitCode { Console.fail(s) }
        let pipeline: PipelineConfig
        do { pipeline = try PipelineConfig.load(path: config) } catch {
            throw usage("配置错误 configuration error: \(error)")
        }
        var manifest = file
        if manifest.hasSuffix(".csv.gz") && !manifest.hasSuffix(".discrepancies.csv.gz") {
            manifest = String(manifest.dropLast(".csv.gz".count)) + ".manifest.json"
        }
        let check: SubmissionCheck
        do {
            check = try SubmissionCheck.check(manifestPath: manifest, config: pipeline, receiver: unit?.description,
                                              asOf: Int64(Date().timeIntervalSince1970))
        } catch {
            throw usage(error.description)
        }
        let name = (check.manifestPath as NSString).lastPathComponent
        var lines: [String] = []
        switch check.signature {
        case nil: lines.append("  签名 signature: \(check.sender)未配置公钥，不检查 no publicKey configured for \(check.sender): not checked")
        case .some(let v): lines.append("  签名 signature: " + v.reason(unit: check.sender))
        }
        if let rej = check.rejection {
            print("\(name): 无效 INVALID — \(check.receiver)将整体拒收 \(check.receiver) would reject it whole")
            print(lines.joined(separator: "\n"))
            print("  \(rej.rule.rawValue): \(rej.detail.isEmpty ? rej.rule.message : rej.detail)")
            throw ExitCode(2)
        }
        print("\(name): 有效 valid — \(check.sender) → \(check.receiver) \(check.period)")
        lines.append("  数据 data: \((check.dataPath as NSString).lastPathComponent) sha256 \(check.sha256 ?? "") \(check.dataRows) rows, 与清单一致 as in the manifest")
        lines.append("  差错报告 report: sha256 与清单一致 as in the manifest")
        print(lines.joined(separator: "\n"))
    }
}
