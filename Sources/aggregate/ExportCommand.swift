import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate export`: a unit's discrepancy report as the workbook (and/or CSV) a clerk fixes
/// rows from (SPEC 8.3). The logic is `DiscrepancyExport`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "把单位的问题报告转为供经办人更正记录的工作簿（和/或CSV）。 Turn a unit's discrepancy report into a workbook (and/or CSV) for the clerks who fix the rows.",
        discussion: """
        读取U在P期发件箱中的问题报告（或给出的REPORT），写出--xlsx工作簿：说明页、每个来源单位一页\
        （先拒收后待核）、提示单独一页；--csv写出同样的行。文件0600，从不写入发件箱。 \
        Reads U's U-P.discrepancies.csv.gz from its outbox for P (the config's layout, relative \
        to the current directory), or the REPORT given, and writes --xlsx FILE: a readme sheet, \
        one sheet per source unit (来源单位) with its rejects first, then its flags, and the info \
        rows on a sheet of their own; columns 来源文件, 行号 (the line to go to), 公民身份号码, \
        姓名, 字段, 规则, 级别, 说明, 原值, 发现单位; IDs as text, no formulas. --csv FILE writes \
        the same rows as a CSV for people (UTF-8 with a BOM, CRLF, formula starts prefixed with '). \
        When the manifest is beside the report, the report must match its sha256. Contact values \
        never appear. Files 0600; never written into the outbox (the next run would refuse it).
        """
    )

    @OptionGroup var target: UnitPeriodOptions
    @Option(help: "工作簿写到此处（.xlsx） write the workbook here (.xlsx).") var xlsx: String?
    @Option(help: "把这些行写成供人阅读的CSV write the rows here as a CSV for people.") var csv: String?
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "问题报告（默认：U在P期的发件箱） the discrepancy report (default: U's outbox for P).") var report: String?

    func fail(_ m: String) -> ExitCode { Console.fail(m) }

    func run() throws {
        logging.start("export")
        SecureFiles.restrictUmask()
        let unit = target.unit.description, p = target.period
        guard xlsx != nil || csv != nil else { throw fail("请给出--xlsx或--csv give --xlsx FILE and/or --csv FILE") }
        let pipeline = try target.config.load()
        if let pipeline, let config = target.config.config, pipeline.unit(unit) == nil {
            throw fail("单位\(unit)不在配置中 unit \(unit) is not in \(config)")
        }
        let base = "\(unit)-\(p)"
        let reportPath: String
        if let report {
            reportPath = report
        } else {
            guard let pipeline else { throw fail("请给出--config或问题报告文件 give --config (to find U's outbox) or the report file") }
            reportPath = pipeline.outbox(unit: unit, period: p) + "/\(base).discrepancies.csv.gz"
        }
        guard FileManager.default.fileExists(atPath: reportPath) else {
            throw fail("找不到问题报告 no discrepancy report at \(reportPath); run aggregate run for \(unit) \(p) first, from the directory the layout is relative to")
        }
        let reportDir = SecureFiles.parentDirectory(of: reportPath)
        for out in [xlsx, csv].compactMap({ $0 }) {
            if Self.sameDirectory(SecureFiles.parentDirectory(of: out), reportDir) {
                throw fail("不能写入问题报告所在目录 will not write \(out) beside the report: that folder is the run's outbox and the next run would refuse a stray file; write it elsewhere")
            }
        }
        if let xlsx, let csv, xlsx == csv { throw fail("--xlsx与--csv须为不同文件 --xlsx and --csv must differ") }

        // The manifest beside it: the run's reference time, and a check that the report is the one it lists.
        var asOf: String?
        var unitName = pipeline?.units[unit]?.name ?? ""
        let manifestPath = reportDir + "/\(base).manifest.json"
        if FileManager.default.fileExists(atPath: manifestPath) {
            do {
                let m = try Manifest.read(path: manifestPath).manifest
                let mUnit = m.unit ?? "", mPeriod = m.period ?? ""
                guard mUnit == unit, mPeriod == p.description else {
                    throw LoadError("清单属于\(mUnit) \(mPeriod) the manifest \(manifestPath) is for \(mUnit) \(mPeriod), not \(unit) \(p)")
                }
                if (reportPath as NSString).lastPathComponent == m.outputs?.discrepancies?.file,
                   InputFile.sha256(ofFileAt: reportPath) != m.outputs?.discrepancies?.sha256 {
                    throw LoadError("问题报告与清单的sha256不符 \(reportPath) does not match its manifest's sha256; get the whole set again")
                }
                asOf = m.asOf
                if unitName.isEmpty { unitName = m.unitName ?? "" }
            } catch let e as LoadError {
                throw fail(e.description)
            }
        }
        var names: [String: String] = [:]
        if let pipeline { for (code, u) in pipeline.units { names[code] = u.name } }
        let context = DiscrepancyExport.Context(unit: unit, unitName: unitName, period: p.description, asOf: asOf,
                                                unitNames: names)
        let s = try Console.failing { try DiscrepancyExport.write(report: reportPath, context: context, xlsx: xlsx, csv: csv) }
        print("\(unit) \(p)：\(s.rows) 条问题 findings（拒收 reject \(s.rejects)，待核 flag \(s.flags)，提示 info \(s.infos)），\(s.sourceUnits.count) 个来源单位 source units → "
              + [xlsx, csv].compactMap { $0 }.joined(separator: " "))
    }

    static func sameDirectory(_ a: String, _ b: String) -> Bool {
        guard let ra = realpath(a, nil), let rb = realpath(b, nil) else { return false }
        defer { free(ra); free(rb) }
        return strcmp(ra, rb) == 0
    }
}
