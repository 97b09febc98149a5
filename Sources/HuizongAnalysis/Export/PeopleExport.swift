import HuizongCore

/// `aggregate db export`: one row per person current in period P under unit U (the rows the
/// analysis of U counts: its covering submissions, 登记单位 in U's subtree), with full IDs, the
/// province, city and county (codes and names) and every code with its label; contact values
/// (手机号码, 固定电话, 电子邮箱) only when asked. A file for people (SPEC 8.3): CSV with a BOM and
/// CRLF, formula starts neutralised, or a workbook with text IDs. Sorted by county, then ID.
public enum PeopleExport {
    public enum Format: String, Sendable { case csv, xlsx }

    static let coded: [(column: String, title: String, options: [Codebook.Option], multi: Bool)] = [
        ("education", "学历", Codebook.education, false), ("hardship", "困难状况", Codebook.hardship, true),
        ("workplace_intent", "就业地意向", Codebook.workplaceIntent, false), ("intentions", "就业意向", Codebook.intentions, true),
        ("service_needs", "就业服务需求", Codebook.serviceNeeds, true), ("destination", "就业去向", Codebook.destination, false),
    ]

    public static func header(contacts: Bool) -> [String] {
        var h = ["期别", "省级代码", "省级名称", "地市代码", "地市名称", "登记单位", "登记单位名称",
                 "公民身份号码", "姓名", "性别", "民族", "毕业院校", "毕业日期", "所学专业", "入学前户口所在地", "邮编"]
        for c in coded { h += [c.title, c.title + "（含义）"] }
        h += ["更新时间"]
        if contacts { h += ["手机号码", "固定电话", "电子邮箱"] }
        return h
    }

    /// "1 零就业家庭；2 家庭经济困难" for multi-choice codes; the label alone for one code.
    static func label(_ code: String, _ options: [Codebook.Option], multi: Bool) -> String {
        if code.isEmpty { return "" }
        if !multi { return options.first { $0.code == code }?.label ?? "" }
        return code.map { ch in "\(ch) " + (options.first { $0.code == String(ch) }?.label ?? "?") }.joined(separator: "；")
    }

    /// Streams the rows to `body`; returns how many.
    @discardableResult
    public static func stream(_ db: SQLSession, scope: AnalysisScope, period: Period, contacts: Bool,
                              body: ([String]) throws -> Void) throws -> Int {
        let current = try scope.covering(db, period: period.description).map(\.id)
        try scope.prepareScopeTable(db, submissions: current)
        let order = db.dialect == .postgres ? "pv.registering_unit COLLATE \"C\", pv.citizen_id COLLATE \"C\""
                                            : "pv.registering_unit, pv.citizen_id"
        let plain = ["citizen_id", "name", "sex", "ethnic_group", "school", "graduation_date", "major", "hukou", "postcode"]
        let columns = ["registering_unit"] + plain + coded.map(\.column) + ["updated_at", "mobile", "landline", "email"]
        let directory = scope.directory
        var count = 0
        var lastCounty = "", places: [String] = []
        try db.scan("""
            SELECT \(columns.map { "pv." + $0 }.joined(separator: ", "))
            FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(AnalysisScope.list(current)))
            ORDER BY \(order)
            """) { row in
            let county = row.string(0)
            if county != lastCounty {  // rows come by county: its places once per county
                let chain = directory.chain(of: county)
                let province = chain.first { directory.level(of: $0) == "province" } ?? String(county.prefix(2)) + "0000"
                let city = chain.first { directory.level(of: $0) == "city" } ?? String(county.prefix(4)) + "00"
                places = [period.description, province, directory.name(of: province), city, directory.name(of: city),
                          county, directory.name(of: county)]
                lastCounty = county
            }
            var out = places
            for i in 0..<plain.count { out.append(row.string(Int32(1 + i))) }
            for (j, c) in coded.enumerated() {
                let code = row.string(Int32(1 + plain.count + j))
                out += [code, label(code, c.options, multi: c.multi)]
            }
            let base = 1 + plain.count + coded.count
            out.append(row.string(Int32(base)))
            if contacts { out += [row.string(Int32(base + 1)), row.string(Int32(base + 2)), row.string(Int32(base + 3))] }
            try body(out)
            count += 1
        }
        return count
    }

    /// Writes the file (0600, whole or nothing); returns the number of persons.
    public static func write(_ db: SQLSession, scope: AnalysisScope, period: Period, to path: String, format: Format,
                             contacts: Bool) throws -> Int {
        let header = header(contacts: contacts)
        switch format {
        case .csv:
            let w = try PeopleCSVWriter(path: path, header: header)
            let n = try stream(db, scope: scope, period: period, contacts: contacts) { try w.write($0) }
            try w.close()
            return n
        case .xlsx:
            let book = try XLSXWorkbookWriter(path: path)
            book.setProperties(title: "\(scope.unit) \(period) 实名制名单", subject: "aggregate db export")
            try book.readme("期别 period", period.description)
            try book.readme("单位 unit", "\(scope.unit) \(scope.directory.name(of: scope.unit))")
            try book.readme("联系方式 contacts", contacts ? "含 included (--with-contacts)" : "不含 not included")
            let sheet = try book.addSheet("名单", columns: header.map { XLSXWorkbookWriter.Column($0) })
            let n = try stream(db, scope: scope, period: period, contacts: contacts) { try sheet.write($0, allText: true) }
            try book.close()
            return n
        }
    }
}
