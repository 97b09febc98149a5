import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// The HTML reports and the auditors' statistics: masking, no contact values, SPEC 3.3's
/// "count each finding once, at the lowest level", owner-only files.
@Suite struct ReportTests {
    @Test func maskingKeepsRegionAndLastFour() {
        #expect(IDMask.mask("110105198806225196") == "110105********5196")
        #expect(IDMask.mask("11010519901l04841X") == "110105********841X")
        #expect(IDMask.mask("110107910625399").contains("*"))
        #expect(!IDMask.mask("110107910625399").contains("910625"))
        #expect(IDMask.mask("1234") == "****")
        #expect(IDMask.mask("") == "")
        #expect(IDMask.maskEmbedded("见110105198806225196第2行") == "见110105********5196第2行")
        #expect(IDMask.maskEmbedded("20120701") == "20120701")
    }

    @Test func scrubberRemovesContactLikeText() {
        #expect(!ContactScrubber.scrub("call 13812345678 now").contains("13812345678"))
        #expect(!ContactScrubber.scrub("+8613812345678").contains("13812345678"))
        #expect(!ContactScrubber.scrub("010-57113937").contains("57113937"))
        #expect(!ContactScrubber.scrub("mail panxia@sina.com ok").contains("panxia"))
        #expect(ContactScrubber.scrub("20120701") == "20120701")
        #expect(ContactScrubber.scrub("110105198806225196") == "110105198806225196")
        #expect(ContactScrubber.scrub("2012-09-01") == "2012-09-01")
    }

    /// The example's city and county both loaded: the county's flags are re-raised by the city.
    func exampleDatabase(_ dir: String) throws -> NationalDatabase {
        let db = try NationalDatabase(path: dir + "/n.db")
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        return db
    }

    @Test func auditCountsEachFindingOnceAtTheLowestLevel() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try exampleDatabase(dir)
        let (audit, drill) = try db.analyse { conn -> (AuditFindings, [AuditFindings.Finding]) in
            let scope = AnalysisScope(unit: "110100", directory: try AnalysisScope.directory(conn, config: nil))
            let a = try AuditFindings.compute(conn, scope: scope, period: Period("2012-09")!)
            var all: [AuditFindings.Finding] = []
            try AuditFindings.drillDown(conn) { all.append($0) }
            return (a, all)
        }
        // Independent count, in plain Swift over the raw report rows.
        let rows = try db.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM discrepancy") }
        func depth(_ u: String) -> Int { u == "000000" ? 0 : u.hasSuffix("0000") ? 1 : u.hasSuffix("00") ? 2 : 3 }
        var best: [String: (depth: Int, unit: String, rule: String, severity: String)] = [:]
        for r in rows {
            let id: String = r["citizen_id"], unit: String = r["found_by"], rule: String = r["rule"]
            let line: Int? = r["line"]
            let key = (id.isEmpty ? "L\(r["source_unit"] as String)|\(r["source_file"] as String)|\(line.map(String.init) ?? "")" : "I\(id)")
                + "|\(r["field"] as String)|\(rule)"
            let d = depth(unit)
            if let b = best[key], b.depth > d || (b.depth == d && b.unit <= unit) { continue }
            best[key] = (d, unit, rule, r["severity"])
        }
        #expect(audit.reportRows == 35)
        #expect(audit.distinct == best.count)
        for sev in ["reject", "flag", "info"] {
            #expect(audit.bySeverity[sev, default: 0] == best.values.filter { $0.severity == sev }.count)
        }
        // By hand: 柴瑞's AGE_IMPLAUSIBLE — raised at 110105 on lines 4, 8, 10 and again by 110100 — counts
        // once, for 110105.
        #expect(audit.byRule.first { $0.rule == "AGE_IMPLAUSIBLE" }?.count == 1)
        #expect(audit.byRule.first { $0.rule == "NEEDS_MISSING" }?.count == 8)
        #expect(audit.byRule.first { $0.rule == "CHILD_MISSING" }?.count == 1)
        #expect(audit.byUnit.first { $0.unit == "110100" }?.flag == 1)   // only CHILD_MISSING is the city's own
        #expect(audit.byUnit.first { $0.unit == "110105" }.map { [$0.reject, $0.flag, $0.info] } == [2, 6, 3])
        #expect(audit.byUnit.first { $0.unit == "110108" }.map { [$0.reject, $0.flag, $0.info] } == [2, 6, 3])
        // The drill-down lists exactly the findings counted (issue 13: it used to list every line
        // the lowest level reported, 26 rows for 23 findings): one row per finding, the other
        // lines of the same finding at its level under alsoAt, the levels above under reRaisedBy.
        #expect(drill.count == best.count)
        #expect(drill.count == 23)     // 35 rows − 9 re-raised by the city − 柴瑞 AGE_IMPLAUSIBLE again on lines 8, 10 − 宫淑兰 NEEDS_MISSING again on line 13
        #expect(!drill.contains { $0.foundBy == "110100" && $0.rule == "AGE_IMPLAUSIBLE" })
        let age = drill.filter { $0.rule == "AGE_IMPLAUSIBLE" }
        #expect(age.map(\.line) == [4])
        #expect(age.first?.alsoAt.count == 2)
        #expect(age.first.map { $0.alsoAt.allSatisfy { $0.hasSuffix(":8") || $0.hasSuffix(":10") } } == true)
        #expect(age.allSatisfy { $0.reRaisedBy == ["110100"] })
        // Scope: the county alone sees its own findings only.
        let county = try db.analyse { conn in
            try AuditFindings.compute(conn, scope: AnalysisScope(unit: "110108", directory: try AnalysisScope.directory(conn, config: nil)),
                                      period: Period("2012-09")!)
        }
        #expect(county.byUnit.map(\.unit) == ["110108"])
    }

    /// Every contact value of the input (phones, e-mails in the summary rows) and every full ID.
    func inputSecrets(_ db: NationalDatabase) throws -> (contacts: [String], ids: [String]) {
        try db.analyse { conn in
            var contacts: [String] = []
            for r in try Row.fetchAll(conn, sql: "SELECT mobile, landline, email FROM person_version") {
                for c in ["mobile", "landline", "email"] {
                    let v: String = r[c]
                    if !v.isEmpty { contacts.append(v) }
                }
            }
            let ids = try String.fetchAll(conn, sql: "SELECT citizen_id FROM person_version UNION SELECT citizen_id FROM discrepancy WHERE citizen_id <> ''")
            return (contacts, ids)
        }
    }

    @Test func reportsCarryNoContactValuesAndMaskIDs() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try exampleDatabase(dir)
        // A hostile child report: a contact value in a contact field's 原值 and in a 说明.
        let x = citizenID("11010519900101901")
        let hostile = try writeSubmission(in: dir, unit: "110200", period: "2012-09",
                                          persons: [Person(id: x, email: "secret.person@example.com", mobile: "13912345678", unit: "110229")],
                                          report: [["110229", "110229", "b.csv", "2", x, "王伟", "手机号码", "MOBILE_INVALID", "flag", "bad", "13912345678"],
                                                   ["110229", "110229", "b.csv", "2", x, "王伟", "电子邮箱", "EMAIL_INVALID", "flag", "mail secret.person@example.com", "secret.person@example.com"]])
        _ = try SubmissionLoader(database: db).load(hostile)
        let (contacts, ids) = try inputSecrets(db)
        #expect(contacts.contains("13177847341") && contacts.contains("panxia@sina.com") && contacts.contains("13912345678"))
        for unmasked in [false, true] {
            let out = dir + (unmasked ? "/unmasked" : "/masked")
            let w = try ReportWriter.write(database: db, unit: "000000", period: Period("2012-09")!, config: nil, to: out,
                                           options: .init(unmasked: unmasked))
            let analysis = try String(contentsOfFile: w.analysis, encoding: .utf8)
            let audit = try String(contentsOfFile: w.audit, encoding: .utf8)
            let csv = try String(contentsOfFile: w.findingsCSV, encoding: .utf8)
            for text in [analysis, audit, csv] {
                for c in contacts { #expect(!text.contains(c), "contact value \(c) leaked") }
                #expect(!text.contains("secret.person"))
            }
            // The analysis names nobody.
            for id in ids { #expect(!analysis.contains(id)) }
            if unmasked {
                #expect(audit.contains("110105194610309234"))
            } else {
                for id in ids { #expect(!audit.contains(id) && !csv.contains(id), "ID \(id) not masked") }
                #expect(audit.contains("110105********9234"))
            }
            // Self-contained: no script, no external reference.
            for text in [analysis, audit] {
                #expect(!text.contains("<script"))
                #expect(!text.contains("http://") || !text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
                #expect(!text.contains("https://"))
                #expect(text.contains("<svg"))
            }
            #expect(SecureFiles.mode(of: out) == 0o700)
            for p in [w.analysis, w.audit, w.findingsCSV] { #expect(SecureFiles.mode(of: p) == 0o600) }
        }
    }

    @Test func analysisReportShowsTheTrend() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let x = citizenID("11010519900101951"), y = citizenID("11010519900101962")
        for (p, dx) in [("2012-08", ""), ("2012-09", "3"), ("2012-10", "3")] {
            _ = try SubmissionLoader(database: db).load(try writeSubmission(in: dir, unit: "000000", period: p, persons: [
                Person(id: x, destination: dx, updated: "\(p)-01T10:00:00+08:00"), Person(id: y, updated: "2012-08-01T10:00:00+08:00"),
            ]))
        }
        let w = try ReportWriter.write(database: db, unit: "000000", period: Period("2012-10")!, config: nil, to: dir + "/r")
        #expect(w.stats.trend.map(\.employmentRate) == [0, 0.5, 0.5])
        let html = try String(contentsOfFile: w.analysis, encoding: .utf8)
        #expect(html.contains("2012-08") && html.contains("50.0%"))
        #expect(html.contains("<path d=\"M"))
    }
}
