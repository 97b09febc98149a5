import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// Issue 13, auditors: the totals agree in every place they appear (header, 概况 cards, per-rule
/// and per-unit tables, drill-down, findings list, per-county files), by the one definition of
/// docs/audit-totals.md, recounted here independently from the raw report rows.
@Suite struct AuditTotalsTests {
    /// An independent count: plain Swift over `discrepancy`, its own key and its own notion of
    /// "lowest level" (by code shape; the fixtures' units are ordinary GB/T 2260 codes).
    struct Recount {
        var findings: [String: (depth: Int, unit: String, severity: String, rule: String)] = [:]
        var bySeverity: [String: Int] { findings.values.reduce(into: [:]) { $0[$1.severity, default: 0] += 1 } }
        var byUnit: [String: Int] { findings.values.reduce(into: [:]) { $0[$1.unit, default: 0] += 1 } }
    }

    static func depth(_ u: String) -> Int { u == "000000" ? 0 : u.hasSuffix("0000") ? 1 : u.hasSuffix("00") ? 2 : 3 }

    static func recount(_ db: NationalDatabase, inScope: (String) -> Bool = { _ in true }) throws -> Recount {
        let rows = try db.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM discrepancy ORDER BY submission_id, seq") }
        var r = Recount()
        for row in rows {
            let found: String = row["found_by"], source: String = row["source_unit"]
            guard inScope(found) || inScope(source) else { continue }
            let id: String = row["citizen_id"], line: Int? = row["line"]
            let key = (id.isEmpty ? "L\(source)|\(row["source_file"] as String)|\(line.map(String.init) ?? "")" : "I\(id)")
                + "|\(row["field"] as String)|\(row["rule"] as String)"
            let d = depth(found)
            if let b = r.findings[key], b.depth > d || (b.depth == d && b.unit <= found) { continue }
            r.findings[key] = (d, found, row["severity"], row["rule"])
        }
        return r
    }

    /// A CSV for people (BOM, CRLF, RFC 4180 quotes) as rows of cells.
    static func readPeopleCSV(_ path: String) throws -> [[String]] {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(cell); cell = ""
            } else if c == "\r" { continue
            } else if c == "\n" { row.append(cell); rows.append(row); row = []; cell = ""
            } else { cell.unicodeScalars.append(c) }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func everyPlaceAgreesWithAnIndependentCountOnTheExample() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        let truth = try Self.recount(db)
        #expect(truth.findings.count == 23)   // by hand: 26 rows at their lowest level, 3 of them repeats
        let w = try ReportWriter.write(database: db, unit: "110100", period: Period("2012-09")!, config: nil, to: dir + "/r",
                                       options: .init(perCounty: true))
        #expect(w.totals.findings == truth.findings.count)
        #expect(w.totals.reject == truth.bySeverity["reject"] ?? 0)
        #expect(w.totals.flag == truth.bySeverity["flag"] ?? 0)
        #expect(w.totals.info == truth.bySeverity["info"] ?? 0)
        #expect(w.totals.reportRows == 35)

        // The findings list: each finding exactly once.
        let csv = try Self.readPeopleCSV(w.findingsCSV)
        #expect(csv.first == AuditReportHTML.findingsColumns)
        let body = Array(csv.dropFirst())
        #expect(body.count == truth.findings.count)
        let keys = body.map { r in (r[4].isEmpty ? "L\(r[1])|\(r[2])|\(r[3])" : "I\(r[4])") + "|\(r[6])|\(r[7])" }
        #expect(Set(keys).count == body.count, "a finding listed twice")
        var csvByUnit: [String: Int] = [:]
        for r in body { csvByUnit[r[0], default: 0] += 1 }
        #expect(csvByUnit == truth.byUnit)
        // Rejects, then flags, then info.
        let order = body.map { ["reject": 0, "flag": 1, "info": 2][$0[8]]! }
        #expect(order == order.sorted())

        // The page: header, cards, per-unit table, drill-down.
        let html = try String(contentsOfFile: w.audit, encoding: .utf8)
        #expect(html.contains("问题 \(truth.findings.count) 条"))
        for (sev, label) in [("reject", "拒收 reject"), ("flag", "待核 flag"), ("info", "提示 info")] {
            #expect(html.contains("<div class=\"k\">\(label)</div><div class=\"v\">\(truth.bySeverity[sev] ?? 0)</div>"))
        }
        for (unit, n) in truth.byUnit {
            let reject = truth.findings.values.filter { $0.unit == unit && $0.severity == "reject" }.count
            let flag = truth.findings.values.filter { $0.unit == unit && $0.severity == "flag" }.count
            let info = n - reject - flag
            #expect(html.contains("<td class=\"n\">\(reject)</td><td class=\"n\">\(flag)</td><td class=\"n\">\(info)</td>"),
                    "per-unit row of \(unit)")
        }
        // Drill-down rows (one source cell each): the rejects and flags, info only counted.
        let listed = (truth.bySeverity["reject"] ?? 0) + (truth.bySeverity["flag"] ?? 0)
        #expect(Self.count("<br><span class=\"muted\">", in: html) == listed)
        let rejectHeading = try #require(html.range(of: "<h3 class=\"sev-reject\">"))
        let flagHeading = try #require(html.range(of: "<h3 class=\"sev-flag\">"))
        #expect(rejectHeading.lowerBound < flagHeading.lowerBound)
        #expect(html.contains("<h3 class=\"sev-info\">提示 info：\(truth.bySeverity["info"] ?? 0)条"))

        // Per county: each office's own rows, by the same definition for its scope.
        #expect(w.perCounty.map(\.unit) == ["110105", "110108", "110112"])
        for c in w.perCounty {
            let own = try Self.recount(db, inScope: { $0 == c.unit })
            #expect(c.totals.findings == own.findings.count, "\(c.unit)")
            let rows = Array(try Self.readPeopleCSV(c.csv).dropFirst())
            #expect(rows.count == own.findings.count)
            #expect(rows.allSatisfy { $0[0] == c.unit || $0[1] == c.unit }, "\(c.unit) got another office's rows")
            #expect(FileManager.default.fileExists(atPath: c.html))
            #expect(c.html.hasPrefix(dir + "/r/counties/\(c.unit)/"))
            #expect(SecureFiles.mode(of: c.csv) == 0o600)
        }
    }

    /// `report --per-county` computes each county from its parent's rows (`Narrowing`): the counts
    /// and the drill-down must be those of the county computed alone from the whole report, and a
    /// county whose covering submission differs (its own is loaded too) is computed alone.
    @Test func aCountyNarrowedFromItsParentsRowsEqualsTheCountyComputedAlone() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        let period = Period("2012-09")!
        try db.analyse { conn in
            let s = SQLiteSession(conn)
            let directory = try AnalysisScope.directory(s, config: nil)
            let city = AnalysisScope(unit: "110100", directory: directory)
            _ = try AuditFindings.compute(s, scope: city, period: period)
            let counties = try AuditFindings.countiesWithFindings(s).sorted()
            #expect(counties == ["110105", "110108", "110112"])
            let narrowing = try AuditFindings.keepForNarrowing(s, scope: city, period: period)
            for code in counties + ["110101"] {   // 110101: in the city, no finding
                let scope = AnalysisScope(unit: code, directory: directory)
                func computed(_ n: AuditFindings.Narrowing?) throws -> (AuditFindings, [AuditFindings.Finding]) {
                    let a = try AuditFindings.compute(s, scope: scope, period: period, narrowing: n)
                    var list: [AuditFindings.Finding] = []
                    try AuditFindings.drillDown(s) { list.append($0) }
                    return (a, list)
                }
                let (alone, aloneList) = try computed(nil)
                let (narrowed, narrowedList) = try computed(narrowing)
                #expect(narrowed == alone, "\(code)")
                #expect(narrowedList == aloneList, "\(code)")
                #expect(code == "110101" ? aloneList.isEmpty : !aloneList.isEmpty, "\(code)")
            }
            // Covered by another submission: the narrowing does not apply (and is not used).
            let other = AuditFindings.Narrowing(submissionIDs: [-1], codes: [])
            let scope = AnalysisScope(unit: "110105", directory: directory)
            #expect(try AuditFindings.compute(s, scope: scope, period: period, narrowing: other)
                    == AuditFindings.compute(s, scope: scope, period: period))
        }
    }

    /// Issue 13: "a county's drill-down says 74条（拒收3，待核2） where the by-unit table says flag 1
    /// (the 7 extra rows are flags listed twice, once from last month's output and once from the
    /// new batch)". Here: one flag reported from the base table and from the batch.
    @Test func aFlagReportedFromLastMonthsTableAndTheNewBatchIsOneFinding() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let x = citizenID("11010519900101951"), y = citizenID("11010519900101962"), z = citizenID("11010519900101973")
        let needs = ["就业服务需求", "NEEDS_MISSING", "flag", "就业服务需求为空 service needs empty", ""]
        let files = try writeSubmission(in: dir, unit: "110105", period: "2012-09", persons: [Person(id: x), Person(id: z)], report: [
            ["110105", "110105", "110105-2012-08.csv.gz", "3", x, "王伟"] + needs,
            ["110105", "110105", "batch-2012-09.csv", "2", x, "王伟"] + needs,
            ["110105", "110105", "batch-2012-09.csv", "3", y, "李丹", "性别", "SEX_INVALID", "reject", "性别错误 sex", "9"],
            ["110105", "110105", "batch-2012-09.csv", "4", z, "张莉", "", "SUPERSEDED", "info", "已被取代 superseded", ""],
        ], level: "county")
        _ = try SubmissionLoader(database: db).load(files)
        let w = try ReportWriter.write(database: db, unit: "110105", period: Period("2012-09")!, config: nil, to: dir + "/r")
        let totals: [Int] = [w.totals.findings, w.totals.reject, w.totals.flag, w.totals.info, w.totals.reportRows]
        #expect(totals == [3, 1, 1, 1, 4])
        let rows = Array(try Self.readPeopleCSV(w.findingsCSV).dropFirst())
        #expect(rows.count == 3)
        let flag = try #require(rows.first { $0[7] == "NEEDS_MISSING" })
        #expect(flag[2] == "110105-2012-08.csv.gz" && flag[3] == "3")
        #expect(flag[12] == "batch-2012-09.csv:2")   // 另见: the other place, nothing lost
        let html = try String(contentsOfFile: w.audit, encoding: .utf8)
        #expect(html.contains("— flag 待核 1条"))
        #expect(!html.contains("待核 2条"))
        #expect(Self.count("<br><span class=\"muted\">", in: html) == 2)   // the reject and the flag; info counted only
        let withInfo = try ReportWriter.write(database: db, unit: "110105", period: Period("2012-09")!, config: nil, to: dir + "/i",
                                              options: .init(includeInfo: true))
        #expect(Self.count("<br><span class=\"muted\">", in: try String(contentsOfFile: withInfo.audit, encoding: .utf8)) == 3)
    }

    /// The pages name CJK fonts for Windows (Microsoft YaHei, SimSun) and Linux (Noto Sans CJK SC),
    /// the unit × rule matrix sets its rule headers vertically, and 说明 cells have room.
    @Test func pagesNameCJKFontsAndKeepTablesReadable() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        let w = try ReportWriter.write(database: db, unit: "110100", period: Period("2012-09")!, config: nil, to: dir + "/r")
        for path in [w.audit, w.analysis] {
            let html = try String(contentsOfFile: path, encoding: .utf8)
            let font = try #require(html.components(separatedBy: "\n").first { $0.contains("font: 14px/1.5") })
            for f in ["Microsoft YaHei", "SimSun", "Noto Sans CJK SC"] { #expect(font.contains("\"\(f)\""), "\(f) in \(path)") }
        }
        let audit = try String(contentsOfFile: w.audit, encoding: .utf8)
        #expect(audit.contains("<table class=\"matrix\">"))
        #expect(audit.contains("<th class=\"n v\">NEEDS_MISSING</th>"))
        #expect(audit.contains("writing-mode: vertical-rl"))
        #expect(audit.contains("<td class=\"msg\">"))
        #expect(audit.contains("td.msg { min-width: 22em;"))
    }
}
