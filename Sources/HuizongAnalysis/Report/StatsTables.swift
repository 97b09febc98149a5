import Foundation
import HuizongCore

/// Renders the monthly analysis and the worklists as CSV tables (UTF-8, LF, RFC 4180, headers
/// in Chinese) or as one JSON document, and writes them (files 0600, directories 0700).
public enum StatsTables {
    /// A named table: a CSV file for people (`name.csv`) or a sheet (`title`) of a workbook.
    public struct Table: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[String]]
        /// The sheet's name in a workbook (Chinese).
        public var title: String = ""
        /// Columns holding counts, ranks and fractions: number cells in a workbook. Everything
        /// else (codes, periods, names) is text.
        public var numeric: Set<Int> = []
        /// Rows written as text throughout (e.g. the summary's unit code).
        public var textRows: Set<Int> = []

        public init(name: String, title: String = "", header: [String], rows: [[String]], numeric: Set<Int> = [],
                    textRows: Set<Int> = []) {
            self.name = name
            self.title = title.isEmpty ? name : title
            self.header = header
            self.rows = rows
            self.numeric = numeric
            self.textRows = textRows
        }

        /// Plain CSV (UTF-8, LF), as printed on standard output.
        public var csv: String {
            var out = CSVField.line(header) + "\n"
            for r in rows { out += CSVField.line(r) + "\n" }
            return out
        }

        /// The file for people (SPEC 8.3): BOM, CRLF, formula starts neutralised.
        public var peopleCSV: [UInt8] { PeopleCSV.document(header: header, rows: rows) }

        /// Written as one sheet of `book`.
        func write(to book: XLSXWorkbookWriter) throws {
            let columns = header.enumerated().map { XLSXWorkbookWriter.Column($0.element, numeric.contains($0.offset) ? .number : .text) }
            let sheet = try book.addSheet(title, columns: columns)
            for (i, r) in rows.enumerated() {
                try sheet.write(r, allText: textRows.contains(i))
            }
        }
    }

    static func num(_ v: Int?) -> String { v.map(String.init) ?? "" }

    /// A fraction with 4 decimals ("0.2273"); empty when undefined.
    public static func fraction(_ v: Double?) -> String {
        guard let v else { return "" }
        return String(format: "%.4f", v)
    }

    static func shares(_ name: String, _ codeHeader: String, _ items: [MonthlyStats.Share]) -> Table {
        Table(name: name, title: codeHeader, header: [codeHeader, "名称", "人数", "占比"],
              rows: items.map { [$0.code, $0.label, String($0.count), fraction($0.share)] }, numeric: [2, 3])
    }

    public static func statsTables(_ s: MonthlyStats) -> [Table] {
        var summary: [[String]] = [
            ["单位 unit", s.unit], ["单位名称 unit name", s.unitName], ["期别 period", s.period],
            ["参照时间 as of", s.asOf],
            ["报送 submissions", s.submissions.map { "\($0.unit):\($0.summaryFile)" }.joined(separator: " ")],
            ["登记人数 registered", String(s.total)], ["已就业 employed (去向1–13)", String(s.employed)],
            ["就业率 employment rate", fraction(s.employmentRate)],
            ["未落实去向 no destination yet", String(s.noDestination)],
            ["困难且未落实 hardship, no destination", String(s.hardshipNoDestination)],
            ["专业数 distinct majors", String(s.distinctMajors)],
        ]
        if let c = s.change {
            summary.append(["上期 previous period", c.previousPeriod])
        }
        var tables = [
            // Rows 0–4 are the unit, its name, the period, the reference time and the files: text.
            Table(name: "summary", title: "概况", header: ["项目", "值"], rows: summary, numeric: [1],
                  textRows: Set([0, 1, 2, 3, 4] + (s.change == nil ? [] : [summary.count - 1]))),
            shares("education", "学历", s.education),
            Table(name: "majors", title: "专业结构", header: ["排名", "所学专业", "人数", "占比"],
                  rows: s.majors.enumerated().map { [String($0.offset + 1), $0.element.label, String($0.element.count), fraction($0.element.share)] },
                  numeric: [0, 2, 3]),
            shares("destination", "就业去向", s.destination),
            shares("service_needs", "就业服务需求", s.serviceNeeds),
            shares("hardship", "困难状况", s.hardship),
            shares("intentions", "就业意向", s.intentions),
            shares("workplace_intent", "就业地意向", s.workplaceIntent),
            Table(name: "children", title: "下级单位", header: ["下级单位", "名称", "登记人数", "已就业", "就业率", "未落实去向", "困难且未落实",
                                              "上期登记人数", "上期已就业", "上期就业率", "人数变化", "就业率变化"],
                  rows: s.children.map {
                      [$0.unit, $0.name, String($0.total), String($0.employed), fraction($0.employmentRate),
                       String($0.noDestination), String($0.hardshipNoDestination), num($0.previousTotal),
                       num($0.previousEmployed), fraction($0.previousEmploymentRate), num($0.deltaTotal),
                       fraction($0.deltaEmploymentRate)]
                  }, numeric: Set(2...11)),
            Table(name: "trend", title: "趋势", header: ["期别", "登记人数", "已就业", "就业率", "未落实去向", "困难且未落实"],
                  rows: s.trend.map { [$0.period, String($0.total), String($0.employed), fraction($0.employmentRate),
                                       String($0.noDestination), String($0.hardshipNoDestination)] },
                  numeric: [1, 2, 3, 4, 5]),
        ]
        if let c = s.change {
            tables.append(Table(name: "change", title: "上期比较", header: ["指标", "上期 \(c.previousPeriod)", "本期 \(s.period)", "变化"], rows: [
                ["登记人数 registered", String(c.previousTotal), String(s.total), String(c.deltaTotal)],
                ["已就业 employed", String(c.previousEmployed), String(s.employed), String(c.deltaEmployed)],
                ["就业率 employment rate", fraction(c.previousEmploymentRate), fraction(s.employmentRate), fraction(c.deltaEmploymentRate)],
                ["新增 newly listed", "", String(c.newlyListed), ""],
                ["不再列入 no longer listed", String(c.noLongerListed), "", ""],
                ["去向变化 destination changed", "", String(c.destinationChanged), ""],
                ["新就业 newly employed", "", String(c.newlyEmployed), ""],
            ], numeric: [1, 2, 3]))
            tables.append(Table(name: "transitions", title: "去向变化", header: ["上期去向", "上期去向名称", "本期去向", "本期去向名称", "人数"],
                                rows: s.transitions.map { [$0.from, $0.fromLabel, $0.to, $0.toLabel, String($0.count)] }, numeric: [4]))
        }
        return tables
    }

    static func personHeader(_ contacts: Bool) -> [String] {
        var h = ["登记单位", "单位名称", "公民身份号码", "姓名", "性别", "学历", "毕业院校", "所学专业", "困难状况", "就业意向",
                 "就业服务需求", "更新时间", "距更新天数"]
        if contacts { h += ["手机号码", "固定电话", "电子邮箱"] }
        return h
    }

    static func personRow(_ p: Worklists.Person, _ contacts: Bool) -> [String] {
        var r = [p.county, p.countyName, p.citizenID, p.name, p.sex, p.education, p.school, p.major, p.hardship,
                 p.intentions, p.serviceNeeds, p.updatedAt, String(p.daysSinceUpdate)]
        if contacts { r += [p.mobile ?? "", p.landline ?? "", p.email ?? ""] }
        return r
    }

    public static func countsTable(_ counties: [Worklists.CountyCounts], staleDays: Int) -> Table {
        Table(name: "worklist_counts", title: "名单人数",
              header: ["登记单位", "单位名称", "困难未落实", "待回访(超过\(staleDays)天)"] + Codebook.serviceNeeds.map { "需求\($0.code) \($0.label)" },
              rows: counties.map { [$0.county, $0.countyName, String($0.priority), String($0.followUp)] + $0.services.map(String.init) },
              numeric: Set(2..<(4 + Codebook.serviceNeeds.count)))
    }

    /// The three lists of one county (or of several, concatenated) as tables. 距更新天数 is the
    /// only number; IDs, codes and times are text.
    public static func worklistTables(_ e: Worklists.CountyEntries, contacts: Bool) -> [Table] {
        let days = personHeader(contacts).firstIndex(of: "距更新天数")!
        return [
            Table(name: "priority", title: "困难帮扶", header: personHeader(contacts), rows: e.priority.map { personRow($0, contacts) },
                  numeric: [days]),
            Table(name: "services", title: "服务需求", header: ["服务代码", "服务"] + personHeader(contacts),
                  rows: e.services.map { [$0.service, $0.serviceLabel] + personRow($0.person, contacts) }, numeric: [days + 2]),
            Table(name: "followup", title: "待回访", header: personHeader(contacts), rows: e.followUp.map { personRow($0, contacts) },
                  numeric: [days]),
        ]
    }

    /// The JSON document of the analysis: `{"stats": …, "worklists": {asOf, staleDays, counties}}`,
    /// keys sorted. The lists themselves are separate files.
    /// With `completeness`, a third key `completeness` (whole-tree reporting, `TreeCompleteness`).
    public static func json(stats: MonthlyStats, counties: [Worklists.CountyCounts], staleDays: Int,
                            completeness: TreeCompleteness? = nil) throws -> String {
        struct Counts: Encodable {
            var asOf: String
            var staleDays: Int
            var counties: [Worklists.CountyCounts]
        }
        struct Document: Encodable {
            var stats: MonthlyStats
            var worklists: Counts
            var completeness: TreeCompleteness?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let doc = Document(stats: stats, worklists: Counts(asOf: stats.asOf, staleDays: staleDays, counties: counties),
                           completeness: completeness)
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    /// Writes the analysis (`--format csv`: one CSV per table; `json`: stats.json) and the
    /// worklists, streamed county by county: `priority`, `services`, `followup` as CSV (and as
    /// JSON arrays with `json`), and with `perCounty` each county's three CSVs under
    /// `DIR/counties/<code>/`. Every CSV is a CSV for people (SPEC 8.3: BOM, CRLF, formula
    /// starts neutralised). Returns the paths written.
    @discardableResult
    public static func write(stats: MonthlyStats, counties: [Worklists.CountyCounts], staleDays: Int, contacts: Bool,
                             to dir: String, json: Bool, perCounty: Bool, completeness: TreeCompleteness? = nil,
                             stream: ((Worklists.CountyEntries) throws -> Void) throws -> Void) throws -> [String] {
        try SecureFiles.makeDirectory(dir)
        var written: [String] = []
        if json {
            let path = dir + "/stats.json"
            try SecureFiles.write(try Self.json(stats: stats, counties: counties, staleDays: staleDays,
                                                completeness: completeness), to: path)
            written.append(path)
        } else {
            for t in statsTables(stats) + [countsTable(counties, staleDays: staleDays)] {
                let path = dir + "/" + t.name + ".csv"
                try SecureFiles.write(t.peopleCSV, to: path)
                written.append(path)
            }
        }
        let names = ["priority", "services", "followup"]
        let empty = worklistTables(Worklists.CountyEntries(county: ""), contacts: contacts)
        let csvWriters = try empty.map { try PeopleCSVWriter(path: dir + "/" + $0.name + ".csv", header: $0.header) }
        var jsonWriters: [SecureFiles.Writer] = []
        var jsonFirst = [true, true, true]
        if json {
            for n in names {
                let w = try SecureFiles.Writer(path: dir + "/" + n + ".json")
                try w.write("[\n")
                jsonWriters.append(w)
            }
        }
        // Lines encoded from the scan's bytes (WorklistFiles), one buffer reused.
        let files = WorklistFiles(contacts: contacts)
        var sep: [UInt8] = []
        try stream { e in
            for i in names.indices {
                var county: PeopleCSVWriter?
                try files.encode(e, list: i, json: json, line: { line in
                    if perCounty && county == nil {
                        county = try PeopleCSVWriter(path: dir + "/counties/" + e.county + "/" + names[i] + ".csv",
                                                     header: empty[i].header)
                    }
                    try csvWriters[i].write(line: line)
                    try county?.write(line: line)
                }, object: { object in
                    sep.removeAll(keepingCapacity: true)
                    if !jsonFirst[i] { sep += [0x2C, 0x0A] }
                    sep += object
                    try jsonWriters[i].write(bytes: sep)
                    jsonFirst[i] = false
                })
                if let county {
                    try county.close()
                    written.append(county.path)
                }
            }
        }
        for (i, w) in csvWriters.enumerated() {
            try w.close()
            written.append(dir + "/" + names[i] + ".csv")
        }
        for (i, w) in jsonWriters.enumerated() {
            try w.write("\n]\n")
            try w.close()
            written.append(dir + "/" + names[i] + ".json")
        }
        return written
    }

    /// `stats --format xlsx`: one workbook (SPEC 8.3) — the readme sheet, every table of the
    /// analysis, the list sizes, then each county's three lists as sheets of their own
    /// (`110105 困难帮扶 朝阳区` …; an empty list gets no sheet), streamed county by county.
    public static func writeWorkbook(stats: MonthlyStats, counties: [Worklists.CountyCounts], staleDays: Int, contacts: Bool,
                                     to path: String, extraTables: [Table] = [],
                                     stream: ((Worklists.CountyEntries) throws -> Void) throws -> Void) throws {
        let book = try XLSXWorkbookWriter.aboutSubtree(
            path: path, unit: stats.unit, unitName: stats.unitName, period: stats.period, title: "月度统计与工作名单",
            subject: "huizong stats", file: "月度统计分析与工作名单 monthly analysis and worklists (aggregate stats)",
            asOf: "\(stats.asOf)（名单按此时间计算 the worklists are as of this time）")
        try book.readme("报送 submissions", stats.submissions.map { "\($0.unit):\($0.summaryFile)" }.joined(separator: " "))
        try book.readme("待回访 follow-up", "未落实去向且超过\(staleDays)天未更新 no destination, not updated for more than \(staleDays) days")
        try book.readme("公民身份号码 IDs", "完整号码，文本格式 full IDs, as text cells")
        try book.readme("联系方式 contacts", contacts ? "包含（仅供回访使用，勿外传） included: for follow-up calls only, do not pass on"
                                                  : "不包含 not included")
        var sheetNotes: [(String, String)] = []
        for t in statsTables(stats) + [countsTable(counties, staleDays: staleDays)] + extraTables {
            try t.write(to: book)
            sheetNotes.append((t.title, t.name))
        }
        let names = Dictionary(counties.map { ($0.county, $0.countyName) }, uniquingKeysWith: { a, _ in a })
        var countySheets = 0
        try stream { e in
            for table in worklistTables(e, contacts: contacts) where !table.rows.isEmpty {
                let columns = table.header.enumerated().map {
                    XLSXWorkbookWriter.Column($0.element, table.numeric.contains($0.offset) ? .number : .text)
                }
                let sheet = try book.addSheet("\(e.county) \(table.title) \(names[e.county] ?? "")", columns: columns)
                for r in table.rows { try sheet.write(r) }
                countySheets += 1
            }
        }
        try book.readme("工作表 sheets", sheetNotes.map { "\($0.0)（\($0.1)）" }.joined(separator: "、")
                        + "；之后每个区县的名单各一表 then each county's lists: 困难帮扶 priority, 服务需求 services, 待回访 follow-up（\(countySheets)）")
        try book.readme("说明 note", "每个值都是文本或数字单元格，没有公式 every value is a text or number cell, never a formula")
        try book.close()
    }
}
