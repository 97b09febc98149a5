import Foundation

// MARK: - Rows

/// The canonical header (SPEC 3.1), in output order.
public let canonicalColumns = ["序号", "姓名", "性别", "民族", "公民身份号码", "毕业院校", "毕业日期", "学历", "所学专业",
                        "入学前户口所在地", "电子邮箱", "邮编", "手机号码", "固定电话", "困难状况", "就业地意向",
                        "就业意向", "就业服务需求", "就业去向", "更新时间", "登记单位"]
/// The discrepancy report's columns (SPEC 3.3).
public let reportColumns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"]

/// One person's row, valid by construction unless a test changes a field. Values are written
/// already in canonical form (but for 更新时间's notation and an empty 登记单位), so the expected
/// output line can be built by hand.
public struct Person: Sendable {
    public var serial = ""
    public var name = "张伟"
    public var sex: String
    public var ethnic = "汉族"
    public var id: String
    public var school = "北京大学"
    public var grad = "20120630"
    public var edu = "3"
    public var major = "法学"
    public var hukou = "110105"
    public var email = ""
    public var postcode = ""
    public var mobile = "13800138000"
    public var landline = ""
    public var hardship = "4"
    public var workplace = "2"
    public var intent = "3"
    public var needs = "2"
    public var dest = ""
    public var time = "2012-09-01 10:00:00"
    public var unit = ""

    public init(_ id: String, name: String = "张伟", time: String = "2012-09-01 10:00:00") {
        self.id = id
        self.sex = id.count == 18 ? IDs.sex(id) : (Int(String(Array(id)[14]))! % 2 == 1 ? "男" : "女")
        self.name = name
        self.time = time
    }

    /// A fresh person of county `region`, the n-th of a test (distinct n → distinct IDs).
    public static func number(_ n: Int, region: String = "110105", time: String = "2012-09-01 10:00:00") -> Person {
        let birth = String(format: "19%02d%02d%02d", 88 + n % 4, 1 + (n / 4) % 12, 1 + (n / 48) % 28)
        let id = IDs.make(region, birth, (n / 1344) % 1000)
        let names = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "徐强", "孙悦"]
        var p = Person(id, name: names[n % names.count], time: time)
        p.hukou = region
        return p
    }

    public func value(_ column: String) -> String {
        switch column {
        case "序号": serial
        case "姓名": name
        case "性别": sex
        case "民族": ethnic
        case "公民身份号码", "公民身份证号码", "身份证号码": id
        case "毕业院校", "毕业学校": school
        case "毕业日期": grad
        case "学历": edu
        case "所学专业": major
        case "入学前户口所在地": hukou
        case "电子邮箱": email
        case "邮编": postcode
        case "手机号码", "手机": mobile
        case "固定电话": landline
        case "困难状况": hardship
        case "就业地意向": workplace
        case "就业意向": intent
        case "就业服务需求": needs
        case "就业去向", "就业去向（回访结果）", "就业去向(回访结果)": dest
        case "更新时间": time
        case "登记单位": unit
        default: ""
        }
    }

    public func line(_ columns: [String] = canonicalColumns) -> String {
        csvLine(columns.map(value))
    }

    /// The expected output line without 序号 (SPEC 6's canonical line), for a row whose values
    /// are already canonical but for 更新时间 (`YYYY-MM-DD HH:MM:SS` → `…T…+08:00`) and an empty
    /// 登记单位 (→ the county).
    public func canonicalLine(county: String = "110105") -> String {
        var p = self
        p.time = canonicalTime(time)
        if p.unit.isEmpty { p.unit = county }
        return csvLine(canonicalColumns.dropFirst().map(p.value))
    }

    public var canonicalTimeValue: String { canonicalTime(time) }
}

/// `YYYY-MM-DD HH:MM:SS` (China time) → `YYYY-MM-DDTHH:MM:SS+08:00`; other notations unchanged.
public func canonicalTime(_ t: String) -> String {
    if t.count == 19, Array(t)[10] == " " { return t.replacingOccurrences(of: " ", with: "T") + "+08:00" }
    return t
}

/// RFC 4180: quote only where needed.
public func csvField(_ s: String) -> String {
    if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

public func csvLine(_ cells: [String]) -> String { cells.map(csvField).joined(separator: ",") }

/// A summary file: canonical header and `people` as lines, LF endings.
public func summaryText(_ people: [Person], columns: [String] = canonicalColumns) -> String {
    ([csvLine(columns)] + people.map { $0.line(columns) }).joined(separator: "\n") + "\n"
}

/// Parses one CSV line (no line breaks in fields). Written here, not the product's splitter.
public func parseCSVLine(_ line: String) -> [String] {
    var cells: [String] = []
    var cur = ""
    var inQuotes = false
    var chars = Array(line)
    if chars.last == "\r" { chars.removeLast() }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if inQuotes {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 } else { inQuotes = false }
            } else {
                cur.append(c)
            }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            cells.append(cur)
            cur = ""
        } else {
            cur.append(c)
        }
        i += 1
    }
    cells.append(cur)
    return cells
}
