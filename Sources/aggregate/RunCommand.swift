import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate run`: the monthly job (SPEC 4).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "汇总一个单位一期的输入，写出汇总表、问题报告和清单。 Merge a unit's inputs for a period into its summary, discrepancy report and manifest.",
        discussion: """
        用--config时读取U在P期的收件箱，写入其发件箱（路径见layout）；
        给出文件时只读取这些文件（区县的录入批次或下级的文件）。
        With --config: reads U's inbox for P and writes U's outbox \
        for P (paths from the layout). With FILE arguments: reads those files (a county's intake \
        batches, or children's files).

        退出状态 Exit status:
          0  完成 done
          1  用法或配置错误，未写出任何文件
             usage or configuration error, nothing written
          2  已写出，但有输入文件被整体拒收或下级未报送
             done, but an input file was rejected whole or a child is missing
          3  另一个运行占用U和P，未写出 another run holds U and P

        警告（整体拒收的文件、未报送或逾期的下级、未读取的文件、
        不存在的收件箱）总会写到标准错误并指明文件，--quiet时也是。
        Warnings (a file rejected whole, a child missing or late, a file skipped, a \
        missing inbox) always reach stderr naming the file, even with --quiet.
        """
    )

    @OptionGroup var target: UnitPeriodOptions
    @Option(help: "输出目录（默认：配置中U在P期的发件箱） output directory (default: the config's outbox for U and P).") var out: String?
    @Option(name: .customLong("as-of"), help: "参照时间：带时区的ISO 8601、'YYYY-MM-DD HH:MM:SS'或'YYYY-MM-DD'（北京时间），默认现在 reference time: ISO 8601 with offset, 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD' (China time); default now.")
    var asOf: ReferenceTime?
    @Option(help: "无--config时的届别（毕业年份） cohort year without --config.") var cohort: Int = 2012
    @Option(help: "强制输入编码：utf-8或gb18030 force the input encoding: utf-8 or gb18030.") var encoding: TextEncoding?
    @Option(help: "本单位私钥，用于签名清单（默认：--config旁的keys/U.key，其次$HUIZONG_KEY_FILE） the unit's private key: sign the manifest (default: keys/U.key beside --config, then $HUIZONG_KEY_FILE).")
    var key: String?
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "输入文件（默认：该单位本期的收件箱） input files (default: the unit's inbox for the period).") var files: [String] = []

    func run() throws {
        let status = execute()
        if status != 0 { throw ExitCode(status) }
    }

    func execute() -> Int32 {
        logging.start("run")
        func usage(_ zh: String, _ en: String) -> Int32 {
            Console.error("\(zh) \(en)")
            return 1
        }
        let unit = target.unit, p = target.period, config = target.config.config
        let pipeline: PipelineConfig?
        do { pipeline = try target.config.load() } catch { return 1 }
        var signingKey: UnitKey?
        if let keyPath = UnitKey.locate(explicit: key, configPath: config, unit: unit.description, environment: ProcessInfo.processInfo.environment) {
            do { signingKey = try UnitKey.load(path: keyPath) } catch {
                return usage("私钥不可用", "private key refused: \(error.description)")
            }
            if let configured = pipeline?.unit(unit)?.publicKeys, !configured.isEmpty,
               !configured.contains(where: { UnitKey.decodePublicKey($0) == signingKey!.publicKey }) {
                Console.warning("\(keyPath)的公钥不是配置中\(unit)的公钥，上级将以FILE_SIGNATURE拒收 the key in \(keyPath) is not the publicKey configured for \(unit); the parent will reject the submission (FILE_SIGNATURE)", file: keyPath, kind: "keyMismatch")
            }
        }
        let progress = ProgressLine()
        let request = RunRequest(unit: unit, period: p, asOf: (asOf ?? .now).seconds, config: pipeline, cohort: cohort,
                                 outputDirectory: out, files: files.isEmpty ? nil : files, forcedEncoding: encoding,
                                 signingKey: signingKey, observer: { event in
                                     if case .fileDone(let i, let n, let file, let lines) = event {
                                         progress.update(files: i, count: n, rows: lines)
                                         Console.debug("已读取 read \(i)/\(n): \(file), \(lines) 行 lines so far")
                                     }
                                 })
        do {
            let run = try MonthlyRun(request)
            let outcome = try run.run()
            progress.finish()
            for w in outcome.warnings { Console.warning(w.message, file: w.subject, kind: w.kind.rawValue) }
            if !logging.quiet {
                print(Self.summary(unit: unit, period: p, outcome: outcome).map(PrintableText.escaped).joined(separator: "\n"))
            }
            return outcome.exitStatus
        } catch {
            progress.finish()
            Console.error(error.description)
            return error.exitStatus
        }
    }

    /// The end-of-run summary (stdout, not with --quiet), Chinese first.
    static func summary(unit: UnitCode, period: Period, outcome: RunOutcome) -> [String] {
        let acc = outcome.manifest.accounting
        let n = { (count: Int?) in count ?? 0 }
        var lines = ["\(unit) \(period)：汇总 \(outcome.summaryRows) 行 rows → \(outcome.outputDirectory)",
                     "  读入行 lines read \(n(acc?.lines.linesRead)) = 空行 blank \(n(acc?.lines.blank)) + 拒收 rejected \(n(acc?.lines.rejected)) + 汇入 merged \(n(acc?.lines.merged)) + 被更新 superseded \(n(acc?.lines.superseded)) + 重复 duplicate \(n(acc?.lines.duplicate))；沿用 carried forward \(n(acc?.carriedForward))",
                     "  问题报告 report：\(outcome.reportRows) 条 findings"]
        if !outcome.rejectedFiles.isEmpty {
            lines.append("  整体拒收 rejected whole：\(outcome.rejectedFiles.joined(separator: " "))（见问题报告 see the report）")
        }
        if !outcome.missingChildren.isEmpty {
            lines.append("  未报送的下级 children missing：\(outcome.missingChildren.joined(separator: " "))")
        }
        lines.append("  退出状态 exit \(outcome.exitStatus)" + (outcome.exitStatus == 2 ? "（已写出，但有文件被整体拒收或下级未报送 outputs written, but a file was rejected whole or a child is missing）" : ""))
        return lines
    }
}
