import Foundation
import HuizongCore

/// `aggregate export`: a unit's discrepancy report (SPEC 3.3, `U-P.discrepancies.csv.gz`, a
/// machine file) turned into the files a clerk fixes rows from (SPEC 8.3):
///
/// - `.xlsx`: the readme sheet; one sheet per source unit (来源单位, in code order) with its
///   rejects first, then its flags; the info rows (dedup and update events) on a sheet of their
///   own; columns 来源文件, 行号 (the line to go to), 公民身份号码, 姓名, 字段, 规则, 级别, 说明,
///   原值, 发现单位 — every value a typed cell, IDs as text;
/// - CSV for people: the same rows with 来源单位 first — all rejects, then all flags, then the
///   info rows, each group in report order.
///
/// Within a group, rows keep the report's order. Memory stays flat: the report is read again
/// for each group (gzip is fast) and the workbook is written in constant-memory mode. Contact
/// values never appear: a contact field's 原值 is left empty and 说明/原值 are scrubbed, as in
/// the auditors' report (reports never carry them; this keeps it so whatever a child sent).
public enum DiscrepancyExport {
    public struct Summary: Sendable {
        public var rows = 0
        public var rejects = 0
        public var flags = 0
        public var infos = 0
        /// Source units in code order with their (rejects, flags).
        public var sourceUnits: [(unit: String, rejects: Int, flags: Int)] = []
    }

    /// What the readme says about the report.
    public struct Context: Sendable {
        public var unit: String
        public var unitName: String
        public var period: String
        /// The run's reference time (the manifest's asOf), if known.
        public var asOf: String?
        /// Names by unit code (pipeline.json); a code not in it is named from GB/T 2260.
        public var unitNames: [String: String]

        func name(of code: String) -> String {
            if let n = unitNames[code], !n.isEmpty { return n }
            guard code.utf8.count == 6, let c = Int(code) else { return "" }
            return DivisionTable.name(of: c) ?? ""
        }

        public init(unit: String, unitName: String, period: String, asOf: String?, unitNames: [String: String]) {
            self.unit = unit
            self.unitName = unitName
            self.period = period
            self.asOf = asOf
            self.unitNames = unitNames
        }
    }

    /// The report's columns, in SPEC 3.3 order.
    static let reportColumns = ReportRows.columns
    enum Col { static let foundBy = 0, sourceUnit = 1, sourceFile = 2, line = 3, id = 4, name = 5, field = 6, rule = 7,
                      severity = 8, message = 9, raw = 10 }

    /// The exported columns (the unit sheets leave 来源单位 out: it is the sheet).
    public static let columns = ["来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值", "发现单位"]

    enum Group: CaseIterable { case reject, flag, info }

    static func group(of severity: String) -> Group {
        switch severity {
        case "reject": .reject
        case "info": .info
        default: .flag  // flag (and anything unknown: shown with what needs fixing, never dropped)
        }
    }

    /// Writes the workbook and/or the CSV; returns what was exported.
    @discardableResult
    public static func write(report: String, context: Context, xlsx: String?, csv: String?) throws -> Summary {
        // First pass: check the whole file and count, before anything is written.
        var summary = Summary()
        var perUnit: [String: (Int, Int)] = [:]
        try forEachRow(report) { r in
            summary.rows += 1
            switch group(of: r[Col.severity]) {
            case .reject: summary.rejects += 1; perUnit[r[Col.sourceUnit], default: (0, 0)].0 += 1
            case .flag: summary.flags += 1; perUnit[r[Col.sourceUnit], default: (0, 0)].1 += 1
            case .info: summary.infos += 1
            }
        }
        summary.sourceUnits = perUnit.keys.sorted().map { ($0, perUnit[$0]!.0, perUnit[$0]!.1) }

        let book = try xlsx.map { try XLSXWorkbookWriter(path: $0) }
        let people = try csv.map { try PeopleCSVWriter(path: $0, header: columns) }
        var sheets: [String: XLSXWorkbookWriter.Sheet] = [:]
        var infoSheet: XLSXWorkbookWriter.Sheet?
        if let book {
            try readme(book, context: context, report: report, summary: summary)
            let unitColumns = columns.dropFirst().map { XLSXWorkbookWriter.Column($0, $0 == "行号" ? .number : .text) }
            for s in summary.sourceUnits {
                let name = context.name(of: s.unit)
                sheets[s.unit] = try book.addSheet("\(s.unit) \(name)", columns: unitColumns, wrap: [7, 8])
            }
            if summary.infos > 0 {
                infoSheet = try book.addSheet("提示 info", columns: columns.map { XLSXWorkbookWriter.Column($0, $0 == "行号" ? .number : .text) },
                                              wrap: [8, 9])
            }
        }
        for g in Group.allCases {
            let count = g == .reject ? summary.rejects : g == .flag ? summary.flags : summary.infos
            if count == 0 { continue }
            try forEachRow(report) { r in
                guard group(of: r[Col.severity]) == g else { return }
                let row = exportRow(r)
                try people?.write(row)
                if g == .info {
                    try infoSheet?.write(row)
                } else {
                    try sheets[r[Col.sourceUnit]]?.write(Array(row.dropFirst()))
                }
            }
        }
        try people?.close()
        try book?.close()
        return summary
    }

    /// A report row as exported: 来源单位 first, 发现单位 last, no contact value.
    static func exportRow(_ r: [String]) -> [String] {
        let contact = SubmissionLoader.contactFields.contains(r[Col.field])
        return [r[Col.sourceUnit], r[Col.sourceFile], r[Col.line], r[Col.id], r[Col.name], r[Col.field], r[Col.rule],
                r[Col.severity], ContactScrubber.scrub(r[Col.message]), contact ? "" : ContactScrubber.scrub(r[Col.raw]),
                r[Col.foundBy]]
    }

    static func readme(_ book: XLSXWorkbookWriter, context c: Context, report: String, summary: Summary) throws {
        let unitLabel = UnitDirectory.label(c.unit, name: c.unitName)
        book.setProperties(title: "\(unitLabel) \(c.period) 问题报告整改清单", subject: "huizong discrepancy report")
        try book.readme("文件 file", "问题报告整改清单 the discrepancy report, for fixing rows at the source (aggregate export)")
        try book.readme("单位 unit", unitLabel)
        try book.readme("期别 period", c.period)
        try book.readme("参照时间 as of", c.asOf ?? "未知 unknown (no manifest beside the report)")
        try book.readme("来源 source", (report as NSString).lastPathComponent + " · sha256 " + (InputFile.sha256(ofFileAt: report) ?? ""))
        try book.readme("问题数 findings", "\(summary.rows)：拒收 reject \(summary.rejects)，待核 flag \(summary.flags)，提示 info \(summary.infos)")
        try book.readme("怎样使用 how to use",
                        "每个来源单位一张表，先拒收后待核：按来源文件和行号找到原始行，在源头更正后重新报送；拒收的行未汇入，待核的行已汇入但需更正。"
                        + " One sheet per source unit, rejects first, then flags: open 来源文件 at 行号, fix the row at the source and send it again; a rejected row was not merged, a flagged one was merged but needs fixing.")
        for s in summary.sourceUnits {
            let name = c.name(of: s.unit)
            try book.readme("来源单位 \(s.unit)", "\(name) 拒收 reject \(s.rejects)，待核 flag \(s.flags)")
        }
        if summary.infos > 0 {
            try book.readme("提示 info", "去重与更新记录在\"提示 info\"表 dedup and update events are on the sheet 提示 info (\(summary.infos))")
        }
        try book.readme("联系方式 contacts", "从不写入 never included")
        try book.readme("说明 note", "每个值都是文本或数字单元格，没有公式；公民身份号码为文本 every value is a text or number cell, never a formula; IDs are text")
    }

    /// Streams the report's rows (11 cells each, SPEC 3.3 order whatever the file's column order).
    static func forEachRow(_ path: String, body: ([String]) throws -> Void) throws {
        var row = [String](repeating: "", count: reportColumns.count)
        try ReportRows(path: path).forEach { r in
            for i in row.indices { row[i] = r.string(i) }
            try body(row)
        }
    }
}
