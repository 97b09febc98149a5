import Foundation
import HuizongCore

/// Renders the monthly analysis and the worklists as CSV tables (UTF-8, LF, RFC 4180, headers
/// in Chinese) or as one JSON document, and writes them (files 0600, directories 0700).
public enum StatsTables {
    /// A named CSV table.
    public struct Table: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[String]]

        public var csv: String {
            var out = CSVField.line(header) + "\n"
            for r in rows { out += CSVField.line(r) + "\n" }
            return out
        }
    }

    static func num(_ v: Int?) -> String { v.map(String.init) ?? "" }

    /// A fraction with 4 decimals ("0.2273"); empty when undefined.
    public static func fraction(_ v: Double?) -> String {
        guard let v else { return "" }
        return String(format: "%.4f", v)
    }

    static func shares(_ name: String, _ codeHeader: String, _ items: [MonthlyStats.Share]) -> Table {
        Table(name: name, header: [codeHeader, "名称", "人数", "占比"],
              rows: items.map { [$0.code, $0.label, String($0.count), fraction($0.share)] })
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
            Table(name: "summary", header: ["项目", "值"], rows: summary),
            shares("education", "学历", s.education),
            Table(name: "majors", header: ["排名", "所学专业", "人数", "占比"],
                  rows: s.majors.enumerated().map { [String($0.offset + 1), $0.element.label, String($0.element.count), fraction($0.element.share)] }),
            shares("destination", "就业去向", s.destination),
            shares("service_needs", "就业服务需求", s.serviceNeeds),
            shares("hardship", "困难状况", s.hardship),
            shares("intentions", "就业意向", s.intentions),
            shares("workplace_intent", "就业地意向", s.workplaceIntent),
            Table(name: "children", header: ["下级单位", "名称", "登记人数", "已就业", "就业率", "未落实去向", "困难且未落实",
                                              "上期登记人数", "上期已就业", "上期就业率", "人数变化", "就业率变化"],
                  rows: s.children.map {
                      [$0.unit, $0.name, String($0.total), String($0.employed), fraction($0.employmentRate),
                       String($0.noDestination), String($0.hardshipNoDestination), num($0.previousTotal),
                       num($0.previousEmployed), fraction($0.previousEmploymentRate), num($0.deltaTotal),
                       fraction($0.deltaEmploymentRate)]
                  }),
            Table(name: "trend", header: ["期别", "登记人数", "已就业", "就业率", "未落实去向", "困难且未落实"],
                  rows: s.trend.map { [$0.period, String($0.total), String($0.employed), fraction($0.employmentRate),
                                       String($0.noDestination), String($0.hardshipNoDestination)] }),
        ]
        if let c = s.change {
            tables.append(Table(name: "change", header: ["指标", "上期 \(c.previousPeriod)", "本期 \(s.period)", "变化"], rows: [
                ["登记人数 registered", String(c.previousTotal), String(s.total), String(c.deltaTotal)],
                ["已就业 employed", String(c.previousEmployed), String(s.employed), String(c.deltaEmployed)],
                ["就业率 employment rate", fraction(c.previousEmploymentRate), fraction(s.employmentRate), fraction(c.deltaEmploymentRate)],
                ["新增 newly listed", "", String(c.newlyListed), ""],
                ["不再列入 no longer listed", String(c.noLongerListed), "", ""],
                ["去向变化 destination changed", "", String(c.destinationChanged), ""],
                ["新就业 newly employed", "", String(c.newlyEmployed), ""],
            ]))
            tables.append(Table(name: "transitions", header: ["上期去向", "上期去向名称", "本期去向", "本期去向名称", "人数"],
                                rows: s.transitions.map { [$0.from, $0.fromLabel, $0.to, $0.toLabel, String($0.count)] }))
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
        Table(name: "worklist_counts",
              header: ["登记单位", "单位名称", "困难未落实", "待回访(超过\(staleDays)天)"] + Codebook.serviceNeeds.map { "需求\($0.code) \($0.label)" },
              rows: counties.map { [$0.county, $0.countyName, String($0.priority), String($0.followUp)] + $0.services.map(String.init) })
    }

    /// The three lists of one county (or of several, concatenated) as CSV tables.
    public static func worklistTables(_ e: Worklists.CountyEntries, contacts: Bool) -> [Table] {
        [
            Table(name: "priority", header: personHeader(contacts), rows: e.priority.map { personRow($0, contacts) }),
            Table(name: "services", header: ["服务代码", "服务"] + personHeader(contacts),
                  rows: e.services.map { [$0.service, $0.serviceLabel] + personRow($0.person, contacts) }),
            Table(name: "followup", header: personHeader(contacts), rows: e.followUp.map { personRow($0, contacts) }),
        ]
    }

    /// The JSON document of the analysis: `{"stats": …, "worklists": {asOf, staleDays, counties}}`,
    /// keys sorted. The lists themselves are separate files.
    public static func json(stats: MonthlyStats, counties: [Worklists.CountyCounts], staleDays: Int) throws -> String {
        struct Counts: Encodable {
            var asOf: String
            var staleDays: Int
            var counties: [Worklists.CountyCounts]
        }
        struct Document: Encodable {
            var stats: MonthlyStats
            var worklists: Counts
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let doc = Document(stats: stats, worklists: Counts(asOf: stats.asOf, staleDays: staleDays, counties: counties))
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    /// Writes the analysis (`--format csv`: one CSV per table; `json`: stats.json) and the
    /// worklists, streamed county by county: `priority`, `services`, `followup` as CSV (and as
    /// JSON arrays with `json`), and with `perCounty` each county's three CSVs under
    /// `DIR/counties/<code>/`. Returns the paths written.
    @discardableResult
    public static func write(stats: MonthlyStats, counties: [Worklists.CountyCounts], staleDays: Int, contacts: Bool,
                             to dir: String, json: Bool, perCounty: Bool,
                             stream: ((Worklists.CountyEntries) throws -> Void) throws -> Void) throws -> [String] {
        try SecureFiles.makeDirectory(dir)
        var written: [String] = []
        if json {
            let path = dir + "/stats.json"
            try SecureFiles.write(try Self.json(stats: stats, counties: counties, staleDays: staleDays), to: path)
            written.append(path)
        } else {
            for t in statsTables(stats) + [countsTable(counties, staleDays: staleDays)] {
                let path = dir + "/" + t.name + ".csv"
                try SecureFiles.write(t.csv, to: path)
                written.append(path)
            }
        }
        let names = ["priority", "services", "followup"]
        let empty = worklistTables(Worklists.CountyEntries(county: ""), contacts: contacts)
        var csvWriters: [SecureFiles.Writer] = []
        for t in empty {
            let w = try SecureFiles.Writer(path: dir + "/" + t.name + ".csv")
            try w.write(CSVField.line(t.header) + "\n")
            csvWriters.append(w)
        }
        var jsonWriters: [SecureFiles.Writer] = []
        var jsonFirst = [true, true, true]
        if json {
            for n in names {
                let w = try SecureFiles.Writer(path: dir + "/" + n + ".json")
                try w.write("[\n")
                jsonWriters.append(w)
            }
        }
        var line: [UInt8] = []
        func csvLine(_ fields: [String]) -> [UInt8] {
            line.removeAll(keepingCapacity: true)
            for (i, f) in fields.enumerated() {
                if i > 0 { line.append(UInt8(ascii: ",")) }
                CSVField.append(f.utf8, to: &line)
            }
            line.append(0x0A)
            return line
        }
        try stream { e in
            let rows: [[[String]]] = [
                e.priority.map { personRow($0, contacts) },
                e.services.map { [$0.service, $0.serviceLabel] + personRow($0.person, contacts) },
                e.followUp.map { personRow($0, contacts) },
            ]
            for (i, list) in rows.enumerated() where !list.isEmpty {
                let county: SecureFiles.Writer? = perCounty ? try SecureFiles.Writer(path: dir + "/counties/" + e.county + "/" + names[i] + ".csv") : nil
                if let county { try county.write(bytes: csvLine(empty[i].header)) }
                for r in list {
                    let bytes = csvLine(r)
                    try csvWriters[i].write(bytes: bytes)
                    try county?.write(bytes: bytes)
                }
                if let county {
                    try county.close()
                    written.append(county.path)
                }
            }
            if json {
                var buf: [UInt8] = []
                func emit(_ i: Int, _ objects: [(inout [UInt8]) -> Void]) throws {
                    for write in objects {
                        buf.removeAll(keepingCapacity: true)
                        if !jsonFirst[i] { buf += [0x2C, 0x0A] }
                        write(&buf)
                        try jsonWriters[i].write(bytes: buf)
                        jsonFirst[i] = false
                    }
                }
                try emit(0, e.priority.map { p in { p.json(into: &$0) } })
                try emit(1, e.services.map { s in { out in
                    var person: [UInt8] = []
                    s.person.json(into: &person)
                    JSONText.object([("person", person), ("service", s.service), ("serviceLabel", s.serviceLabel)], into: &out)
                } })
                try emit(2, e.followUp.map { p in { p.json(into: &$0) } })
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
}
