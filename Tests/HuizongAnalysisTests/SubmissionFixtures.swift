import Foundation
import GRDB
import HuizongCore
import HuizongTestSupport
@testable import HuizongAnalysis

// The analysis tests' own fixtures: submissions as a unit's run would have written them (merged
// rows, report, manifest). The shared helpers (IDs, temp dirs) are in HuizongTestSupport; this
// `Person` is a merged row, not HuizongTestSupport's intake row, and shadows it here.

/// The worked examples' outputs copied beside this file (small, self-contained).
let fixturesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func exampleFiles(_ unit: String) -> SubmissionFiles {
    SubmissionFiles.inDirectory(fixturesDir, unit: unit, period: "2012-09")
}

/// One row of a synthetic merged summary.
struct Person {
    var id: String
    var name = "王伟"
    var sex = "男"
    var education = "3"
    var school = "北京大学"
    var major = "法学"
    var email = ""
    var mobile = ""
    var landline = ""
    var hardship = "4"
    var workplace = "2"
    var intentions = "3"
    var needs = "2"
    var destination = ""
    var updated = "2012-09-01T10:00:00+08:00"
    var unit = "110105"

    var cells: [String] {
        [name, sex, "汉族", id, school, "20120630", education, major, unit, email, "100000", mobile, landline, hardship,
         workplace, intentions, needs, destination, updated, unit]
    }
}

/// A city's 2012-09 submission and its correction (the same tests on SQLite and PostgreSQL):
/// `original` holds a, b, c with one flag on c; `corrected` holds a, b (就业去向 3, updated
/// 2012-09-20) and d, and no report rows.
struct CorrectedResubmission {
    var a: String, b: String, c: String, d: String
    var original: SubmissionFiles, corrected: SubmissionFiles

    init(in dir: String) throws {
        a = citizenID("11010519900101001"); b = citizenID("11010519900101002")
        c = citizenID("11010519900101003"); d = citizenID("11010519900101004")
        original = try writeSubmission(in: dir, tag: "v1", unit: "110000", period: "2012-09", persons: [
            Person(id: a), Person(id: b), Person(id: c),
        ], report: [["110105", "110105", "batch.csv", "3", c, "王伟", "毕业日期", "AGE_IMPLAUSIBLE", "flag", "x", "20120630"]])
        corrected = try writeSubmission(in: dir, tag: "v2", unit: "110000", period: "2012-09", persons: [
            Person(id: a), Person(id: b, destination: "3", updated: "2012-09-20T09:00:00+08:00"), Person(id: d),
        ])
    }
}

/// One report row: 发现单位, 来源单位, 来源文件, 行号, 公民身份号码, 姓名, 字段, 规则, 级别, 说明, 原值.
typealias ReportRow = [String]

/// Writes a synthetic submission (summary sorted by ID, report, manifest with real sha256s)
/// into `dir/<tag>/` and returns its files.
func writeSubmission(in dir: String, tag: String = "", unit: String, period: String, persons: [Person],
                     report: [ReportRow] = [], level: String = "city", asOf: String? = nil,
                     children: [String: [String]] = [:]) throws -> SubmissionFiles {
    let sub = dir + "/" + (tag.isEmpty ? "\(unit)-\(period)" : tag)
    try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
    let files = SubmissionFiles.inDirectory(sub, unit: unit, period: period)
    var summary = Column.headerLine + "\n"
    for (i, p) in persons.sorted(by: { $0.id < $1.id }).enumerated() {
        summary += CSVField.line([String(i + 1)] + p.cells) + "\n"
    }
    try summary.write(toFile: files.summary, atomically: true, encoding: .utf8)
    var rep = "发现单位,来源单位,来源文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值\n"
    for r in report { rep += CSVField.line(r) + "\n" }
    try rep.write(toFile: files.discrepancies, atomically: true, encoding: .utf8)
    let manifest: [String: Any] = [
        "format": "huizong-manifest/1", "unit": unit, "unitName": "", "level": level, "period": period,
        "asOf": asOf ?? "\(Period(period)!.next)-04T12:00:00+08:00", "tool": "test", "rules": "2012.1",
        "inputs": [], "accounting": ["outputRows": persons.count],
        "children": ["expected": children["expected"] ?? [], "received": children["received"] ?? [],
                     "missing": children["missing"] ?? [], "late": children["late"] ?? [], "rejected": children["rejected"] ?? []],
        "outputs": [
            "summary": ["file": (files.summary as NSString).lastPathComponent, "sha256": InputFile.sha256(ofFileAt: files.summary)!, "rows": persons.count],
            "discrepancies": ["file": (files.discrepancies as NSString).lastPathComponent, "sha256": InputFile.sha256(ofFileAt: files.discrepancies)!, "rows": report.count],
        ],
    ]
    let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: files.manifest))
    return files
}

/// `stats --out` as the command writes it for `unit`'s subtree: the monthly analysis, the per-county
/// counts and the streamed worklists through `StatsTables.write` (per county too).
func writeStatsTables(_ conn: Database, unit: String, period p: Period, contacts: Bool, json: Bool,
                      to out: String) throws {
    let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(conn, config: nil))
    let s = try MonthlyStats.compute(conn, scope: scope, period: p)
    let asOf = ChinaTime.parseAsOf(s.asOf)!
    let counties = try Worklists.counts(conn, scope: scope, period: p, asOf: asOf)
    try StatsTables.write(stats: s, counties: counties, staleDays: 30, contacts: contacts, to: out, json: json,
                          perCounty: true) { body in
        try Worklists.stream(conn, scope: scope, period: p, asOf: asOf, includeContacts: contacts, body: body)
    }
}
