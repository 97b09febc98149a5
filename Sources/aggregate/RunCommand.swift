import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate run`: the monthly job (SPEC 4).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Merge a unit's inputs for a period into its summary, discrepancy report and manifest.",
        discussion: """
        With --config: reads U's inbox for P and writes U's outbox for P (paths from the layout).
        With FILE arguments: reads those files (a county's intake batches, or children's files).
        Exit status: 0 done; 1 usage or configuration error, nothing written; 2 done, but an input
        file was rejected whole or an expected child is missing; 3 another run holds U and P.
        """
    )

    @Option(help: "pipeline.json describing the hierarchy and calendar.") var config: String?
    @Option(help: "The running unit's 6-digit code.") var unit: String
    @Option(help: "The period, YYYY-MM.") var period: String
    @Option(help: "Output directory (default: the config's outbox for U and P).") var out: String?
    @Option(name: .customLong("as-of"), help: "Reference time: ISO 8601 with offset, 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD' (China time). Default: now.")
    var asOf: String?
    @Option(help: "Cohort year without --config.") var cohort: Int = 2012
    @Option(help: "Force the input encoding: utf-8 or gb18030.") var encoding: String?
    @Option(help: "The unit's private key: sign the manifest (default: keys/U.key beside --config, then $HUIZONG_KEY_FILE).")
    var key: String?
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Argument(help: "Input files (default: the unit's inbox for the period).") var files: [String] = []

    func run() throws {
        let status = execute()
        if status != 0 { throw ExitCode(status) }
    }

    func execute() -> Int32 {
        func usage(_ zh: String, _ en: String) -> Int32 {
            FileHandle.standardError.write(Data("aggregate run: \(PrintableText.escaped(zh)) \(PrintableText.escaped(en))\n".utf8))
            return 1
        }
        guard let p = Period(period) else { return usage("--period须为YYYY-MM", "--period must be YYYY-MM: \(period)") }
        let asOfSeconds: Int64
        if let a = asOf {
            guard let v = ChinaTime.parseAsOf(a) else { return usage("--as-of格式错误", "--as-of is not a valid time: \(a)") }
            asOfSeconds = v
        } else {
            asOfSeconds = Int64(Date().timeIntervalSince1970)
        }
        var forced: TextEncoding?
        if let e = encoding {
            guard let t = TextEncoding(rawValue: e.lowercased()) else { return usage("--encoding须为utf-8或gb18030", "--encoding must be utf-8 or gb18030") }
            forced = t
        }
        var pipeline: PipelineConfig?
        if let c = config {
            do { pipeline = try PipelineConfig.load(path: c) } catch {
                return usage("配置错误", "configuration error: \(error)")
            }
        }
        var signingKey: UnitKey?
        if let keyPath = UnitKey.locate(explicit: key, configPath: config, unit: unit, environment: ProcessInfo.processInfo.environment) {
            do { signingKey = try UnitKey.load(path: keyPath) } catch {
                return usage("私钥不可用", "private key refused: \(error.description)")
            }
            if let configured = pipeline?.unit(unit)?.publicKeys, !configured.isEmpty,
               !configured.contains(where: { UnitKey.decodePublicKey($0) == signingKey!.publicKey }) {
                FileHandle.standardError.write(Data("aggregate run: 警告：\(keyPath)的公钥不是配置中\(unit)的公钥，上级将以FILE_SIGNATURE拒收 warning: the key in \(keyPath) is not the publicKey configured for \(unit); the parent will reject the submission (FILE_SIGNATURE)\n".utf8))
            }
        }
        let request = RunRequest(unit: unit, period: p, asOf: asOfSeconds, config: pipeline, cohort: cohort,
                                 outputDirectory: out, files: files.isEmpty ? nil : files, forcedEncoding: forced,
                                 signingKey: signingKey)
        do {
            let run = try MonthlyRun(request)
            let outcome = try run.run()
            if !quiet {
                let acc = outcome.manifest["accounting"]
                let n = { (k: String) in acc?[k]?.intValue ?? 0 }
                var lines = ["\(unit) \(p): \(outcome.summaryRows) rows → \(outcome.outputDirectory)",
                             "  lines read \(n("linesRead")) = blank \(n("blank")) + rejected \(n("rejected")) + merged \(n("merged")) + superseded \(n("superseded")) + duplicate \(n("duplicate")); carried forward \(n("carriedForward"))",
                             "  report: \(outcome.reportRows) findings"]
                for f in outcome.rejectedFiles { lines.append("  文件被整体拒收 file rejected whole: \(f) (see the report)") }
                for c in outcome.missingChildren { lines.append("  下级未报送 child missing: \(c)") }
                print(lines.map(PrintableText.escaped).joined(separator: "\n"))
            }
            return outcome.exitStatus
        } catch {
            FileHandle.standardError.write(Data("aggregate run: \(PrintableText.escapedKeepingLines(error.description))\n".utf8))
            return error.exitStatus
        }
    }
}
