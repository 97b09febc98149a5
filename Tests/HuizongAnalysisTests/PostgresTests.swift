import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// The national database on PostgreSQL, against a real server: `scripts/test` starts a
/// throwaway cluster (scripts/pg-test-cluster) and sets HUIZONG_TEST_PG; by hand without it,
/// these tests are skipped and say why.
let testPostgresURL = ProcessInfo.processInfo.environment["HUIZONG_TEST_PG"]

/// A fresh database on the test server for one test, dropped by `drop()`.
struct ScratchPostgres {
    let admin: PostgresLocation
    let location: PostgresLocation

    init() throws {
        admin = try PostgresLocation(url: testPostgresURL!)
        var l = admin
        l.database = "huizong_t" + String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        location = l
        let s = try PostgresSession(admin)
        try s.execute("CREATE DATABASE \(l.database)")
    }

    func drop() {
        guard let s = try? PostgresSession(admin) else { return }
        try? s.execute("DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
    }
}

@Suite(.serialized, .disabled(if: testPostgresURL == nil,
                              "HUIZONG_TEST_PG is unset: no PostgreSQL server (scripts/test starts one with scripts/pg-test-cluster)"))
struct PostgresTests {
    /// The same submissions, loaded at the same instants, into both engines.
    static func submissions(_ dir: String) throws -> [SubmissionFiles] {
        let a = citizenID("11010519900101101"), b = citizenID("11010519900101202"), c = citizenID("11010819900101303")
        let d = citizenID("11010819900101404"), e = citizenID("11022919900101505"), g = citizenID("12010119900101707")
        let h = citizenID("11010519900101808")
        let aug = try writeSubmission(in: dir, unit: "000000", period: "2012-08", persons: [
            Person(id: a, hardship: "12", updated: "2012-08-01T10:00:00+08:00", unit: "110105"),
            Person(id: b, updated: "2012-08-02T10:00:00+08:00", unit: "110105"),
            Person(id: c, name: "张\\三", updated: "2012-08-03T10:00:00+08:00", unit: "110108"),  // COPY escapes
            Person(id: h, updated: "2012-08-04T10:00:00+08:00", unit: "110105"),
        ], report: [["110105", "110105", "b.csv", "3", h, "王伟", "手机号码", "MOBILE_INVALID", "reject", "x", "1380000"]],
           level: "ministry")
        let sepV1 = try writeSubmission(in: dir, tag: "sep1", unit: "000000", period: "2012-09", persons: [
            Person(id: a, mobile: "13800000001", hardship: "12", needs: "25", updated: "2012-08-01T10:00:00+08:00", unit: "110105"),
            Person(id: g, unit: "120101"),
        ], level: "ministry")
        let sep = try writeSubmission(in: dir, tag: "sep2", unit: "000000", period: "2012-09", persons: [
            Person(id: a, education: "3", major: "法学", mobile: "13800000001", hardship: "12", needs: "25", updated: "2012-08-01T10:00:00+08:00", unit: "110105"),
            Person(id: b, education: "4", major: "会计学", hardship: "4", needs: "2", destination: "4", updated: "2012-09-20T10:00:00+08:00", unit: "110105"),
            Person(id: c, education: "3", major: "法学", hardship: "3", intentions: "9", needs: "", destination: "14", updated: "2012-09-15T10:00:00+08:00", unit: "110108"),
            Person(id: d, education: "2", major: "英语", hardship: "4", needs: "123456789A", updated: "2012-09-10T10:00:00+08:00", unit: "110108"),
            Person(id: e, education: "1", major: "法学", hardship: "2", needs: "1", updated: "2012-09-03T23:00:00+08:00", unit: "110229"),
            Person(id: g, unit: "120101"),
        ], report: [["110229", "110229", "c.csv", "2", e, "王伟", "毕业日期", "AGE_IMPLAUSIBLE", "flag", "y", "20120630"]],
           level: "ministry")
        return [exampleFiles("110105"), exampleFiles("110100"), aug, sepV1, sep, sepV1, sep]  // corrections back and forth
    }

    /// Everything the analyses say about `unit` in `period`, as text to compare.
    static func outputs(_ db: AnalysisDatabase, unit: String, period: String) throws -> [String] {
        try db.analyse { s in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(s, config: nil))
            let stats = try MonthlyStats.compute(s, scope: scope, period: Period(period)!)
            let asOf = ChinaTime.parseAsOf(stats.asOf)!
            let counts = try Worklists.counts(s, scope: scope, period: Period(period)!, asOf: asOf)
            let lists = try Worklists.compute(s, scope: scope, period: Period(period)!, asOf: asOf, includeContacts: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return [try StatsTables.json(stats: stats, counties: counts, staleDays: 30),
                    String(decoding: try encoder.encode(lists), as: UTF8.self)]
        }
    }

    /// What `report` reads about `unit` in `period`: the audit findings (counts, per rule, per
    /// unit, the matrix), the drill-down in its order, the near-duplicate groups and the
    /// whole-tree completeness, as JSON to compare.
    static func reportData(_ db: AnalysisDatabase, unit: String, period: String) throws -> ReportData {
        try db.analyse { s in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(s, config: nil))
            let audit = try AuditFindings.compute(s, scope: scope, period: Period(period)!)
            var drill: [AuditFindings.Finding] = []
            try AuditFindings.drillDown(s) { drill.append($0) }
            let flagsAndRejects = try AuditFindings.drillDownCount(s, includeInfo: false)
            let near = try NearDuplicates.compute(s, scope: scope, period: Period(period)!)
            let tree = try TreeCompleteness.compute(s, scope: scope, period: period)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
            return ReportData(audit: audit, drill: drill, flagsAndRejects: flagsAndRejects, near: near,
                              text: [try json(audit), try json(drill), try json(near), try json(tree)])
        }
    }

    struct ReportData {
        var audit: AuditFindings
        var drill: [AuditFindings.Finding]
        var flagsAndRejects: Int
        var near: NearDuplicates
        var text: [String]
    }

    /// The files `report` writes (the .xlsx embed their creation time: their rows are the CSV's).
    static func reportFiles(_ db: AnalysisDatabase, unit: String, period: String, to dir: String) throws -> [String: Data] {
        _ = try ReportWriter.write(database: db, unit: unit, period: Period(period)!, config: nil, to: dir,
                                   options: .init(includeInfo: true, perCounty: true))
        var files: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir)!
        while let f = e.nextObject() as? String {
            guard f.hasSuffix(".html") || f.hasSuffix(".csv") else { continue }
            files[f] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
        }
        return files
    }

    static func listing(_ db: AnalysisDatabase) throws -> String {
        let l = try DatabaseListing.read(db)
        // Seconds are measured, not data: everything else must agree.
        return l.submissions.map { "\($0)" }.joined(separator: "\n") + "\n"
            + l.events.map { e in var e = e; e.seconds = 0; return "\(e)" }.joined(separator: "\n")
    }

    @Test func theSameLoadsGiveTheSameAnswersOnBothEngines() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let pg = try ScratchPostgres()
        defer { pg.drop() }
        let lite = try AnalysisDatabase.open(.sqlite(path: dir + "/n.db"))
        let post = try AnalysisDatabase.open(.postgres(pg.location))
        var now: Int64 = 1_349_000_000
        for f in try Self.submissions(dir) {
            let r1 = try lite.load(f, now: now), r2 = try post.load(f, now: now)
            #expect(r1.action == r2.action && r1.submissionID == r2.submissionID && r1.rows == r2.rows && r1.findings == r2.findings)
            now += 60
        }
        #expect(try Self.listing(lite) == Self.listing(post))
        var compared = 0
        for unit in ["000000", "110000", "110100", "110105", "110108", "110229", "120000"] {
            for period in ["2012-08", "2012-09"] {
                let a = try Self.outputs(lite, unit: unit, period: period), b = try Self.outputs(post, unit: unit, period: period)
                #expect(a == b, "\(unit) \(period)")
                compared += 1
            }
        }
        #expect(compared == 14)
        // The report's data (issue 14: `report` on both engines): equal on every unit and period.
        for unit in ["000000", "110000", "110100", "110105", "110108", "110229", "120000"] {
            for period in ["2012-08", "2012-09"] {
                let a = try Self.reportData(lite, unit: unit, period: period), b = try Self.reportData(post, unit: unit, period: period)
                #expect(a.text == b.text, "report data \(unit) \(period)")
                #expect(a.audit == b.audit && a.drill == b.drill && a.flagsAndRejects == b.flagsAndRejects)
            }
        }
        // Counted by hand from the submissions above (not from either engine): the ministry's
        // 2012-08 report holds one reject (MOBILE_INVALID, found by 110105, a contact field: its
        // value is never shown); its current 2012-09 report one flag (AGE_IMPLAUSIBLE, 110229).
        for db in [lite, post] {
            let aug = try Self.reportData(db, unit: "000000", period: "2012-08")
            #expect(aug.audit.totals == ReportWriter.AuditTotals(findings: 1, reject: 1, flag: 0, info: 0, reportRows: 1))
            #expect(aug.drill.map { [$0.foundBy, $0.rule, $0.severity, $0.rawValue, $0.line.map(String.init) ?? "-"] }
                    == [["110105", "MOBILE_INVALID", "reject", "", "3"]])
            let sep = try Self.reportData(db, unit: "000000", period: "2012-09")
            #expect(sep.audit.totals == ReportWriter.AuditTotals(findings: 1, reject: 0, flag: 1, info: 0, reportRows: 1))
            #expect(sep.audit.byUnit.map { "\($0.unit) \($0.reject) \($0.flag) \($0.info)" } == ["110229 0 1 0"])
            #expect(sep.drill.map { [$0.foundBy, $0.citizenID, $0.field, $0.rule, $0.rawValue] }
                    == [["110229", citizenID("11022919900101505"), "毕业日期", "AGE_IMPLAUSIBLE", "20120630"]])
            let none = try Self.reportData(db, unit: "120000", period: "2012-09")
            #expect(none.audit.totals == ReportWriter.AuditTotals(findings: 0, reject: 0, flag: 0, info: 0, reportRows: 0))
            // Near duplicates: same name 王伟, birth date 1990-01-01 (every ID here), 北京大学, 法学.
            // 2012-08: a, b, h (c is 张\三); 2012-09: a, c, e and g (b studies 会计学, d 英语).
            #expect(aug.near.groups.map { $0.members.map(\.row.citizenID) }
                    == [[citizenID("11010519900101101"), citizenID("11010519900101202"), citizenID("11010519900101808")]])
            #expect(sep.near.groups.map { $0.members.map(\.row.citizenID) }
                    == [[citizenID("11010519900101101"), citizenID("11010819900101303"), citizenID("11022919900101505"),
                         citizenID("12010119900101707")]])
        }
        // And `report` itself: the same HTML pages and finding lists, byte for byte (per county too).
        for (unit, period) in [("000000", "2012-09"), ("000000", "2012-08"), ("110000", "2012-09")] {
            let a = try Self.reportFiles(lite, unit: unit, period: period, to: dir + "/report-lite-\(unit)-\(period)")
            let b = try Self.reportFiles(post, unit: unit, period: period, to: dir + "/report-post-\(unit)-\(period)")
            #expect(a.keys.contains("\(unit)-\(period).audit.html") && a.keys.contains("\(unit)-\(period).analysis.html"))
            #expect(a.keys.sorted() == b.keys.sorted(), "report files \(unit) \(period)")
            for (name, bytes) in a { #expect(bytes == b[name], "report \(unit) \(period) \(name)") }
        }
        for id in [citizenID("11010519900101101"), citizenID("11010519900101202"), "110101199102086617"] {
            #expect(try PersonHistory.read(lite, citizenID: id) == PersonHistory.read(post, citizenID: id))
        }
        // The rows themselves, column by column, through the analysts' view.
        let sql = "SELECT * FROM person_period ORDER BY period, citizen_id, submission_id"
        let rowsLite = try lite.analyse { try $0.rows(sql) }.map { $0.values.map { String.decode($0) } }
        let rowsPost = try post.analyse { try $0.rows(sql) }.map { $0.values.map { String.decode($0) } }
        #expect(rowsLite.count > 20)
        #expect(rowsLite == rowsPost)
        // Whole-tree completeness and the export, byte for byte.
        let treeSQL = "SELECT * FROM unit_completeness ORDER BY submission_id, unit"
        let treeLite = try lite.analyse { try $0.rows(treeSQL) }.map { $0.values.map { String.decode($0) } }
        let treePost = try post.analyse { try $0.rows(treeSQL) }.map { $0.values.map { String.decode($0) } }
        #expect(!treeLite.isEmpty)
        #expect(treeLite == treePost)
        for unit in ["000000", "110000"] {
            for format in [PeopleExport.Format.csv] {  // xlsx embeds a timestamp: compared through CSV
                var files: [Data] = []
                for (i, db) in [lite, post].enumerated() {
                    let path = dir + "/export-\(unit)-\(i).\(format.rawValue)"
                    _ = try db.analyse { s in
                        try PeopleExport.write(s, scope: AnalysisScope(unit: unit, directory: try AnalysisScope.directory(s, config: nil)),
                                               period: Period("2012-09")!, to: path, format: format, contacts: true)
                    }
                    files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
                }
                #expect(files[0].count > 1000)
                #expect(files[0] == files[1], "export \(unit)")
            }
        }
    }

    @Test func reloadsAreIdempotentAndCorrectionsReplaceOnPostgres() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let pg = try ScratchPostgres()
        defer { pg.drop() }
        let db = try AnalysisDatabase.open(.postgres(pg.location))
        let fixture = try CorrectedResubmission(in: dir)
        let (a, b, c, d) = (fixture.a, fixture.b, fixture.c, fixture.d)
        let original = fixture.original, corrected = fixture.corrected
        let r1 = try db.load(original)
        #expect(r1.action == .loaded)
        #expect(try db.load(original).action == .unchanged)
        let r2 = try db.load(corrected)
        #expect(r2.action == .replaced && r2.replacedSubmissionID == r1.submissionID)
        try db.analyse { s in
            do { let v: [String] = try s.column("SELECT citizen_id FROM person_version ORDER BY citizen_id"); #expect(v == [a, b, d]) }
            do { let v: Int? = try s.value("SELECT count(*) FROM discrepancy"); #expect(v == 0) }
            do { let v: Int? = try s.value("SELECT count(*) FROM person WHERE citizen_id = ?", [.text(c)]); #expect(v == 0) }
            do { let v: String? = try s.value("SELECT destination FROM person_current WHERE citizen_id = ?", [.text(b)]); #expect(v == "3") }
            do { let v: [String] = try s.column("SELECT action FROM load_event ORDER BY id"); #expect(v == ["loaded", "unchanged", "replaced"]) }
            do { let v: String? = try s.value("SELECT status FROM submission WHERE id = ?", [.int(r1.submissionID)]); #expect(v == "replaced") }
            // The rows live in the period's partition.
            do { let v: Int? = try s.value("SELECT count(*) FROM person_version_2012_09"); #expect(v == 3) }
        }
        // A summary with an ID twice is refused whole, and nothing changes.
        let twice = try writeSubmission(in: dir, tag: "v3", unit: "110000", period: "2012-10", persons: [Person(id: a), Person(id: a)])
        #expect(throws: LoadError.self) { try db.load(twice) }
        try db.analyse { s in
            do { let v: Int? = try s.value("SELECT count(*) FROM submission WHERE period = '2012-10'"); #expect(v == 0) }
        }
    }

    @Test func anAnalystSeesOnlyTheirProvinceAndCannotWrite() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let pg = try ScratchPostgres()
        defer { pg.drop() }
        let db = try PostgresDatabase(pg.location)
        let bj = citizenID("11010519900101001"), tj = citizenID("12010119900101002")
        let f = try writeSubmission(in: dir, unit: "000000", period: "2012-09", persons: [
            Person(id: bj, mobile: "13800000001", unit: "110105"), Person(id: tj, mobile: "13800000002", unit: "120101"),
        ], report: [
            ["110105", "110105", "a.csv", "2", bj, "王伟", "毕业日期", "AGE_IMPLAUSIBLE", "flag", "x", "20120630"],
            ["120101", "120101", "b.csv", "2", tj, "王伟", "毕业日期", "AGE_IMPLAUSIBLE", "flag", "x", "20120630"],
        ], level: "ministry")
        _ = try AnalysisDatabase.postgres(db).load(f)
        let provinces = try DatabaseRoles.provinces(db.session, config: nil)
        #expect(provinces == ["110000", "120000"])
        try db.write { try $0.execute(DatabaseRoles.sql(provinces: provinces)) }
        // A login for Beijing's analyst (roles are cluster-wide: a password for this test only).
        let password = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        try db.session.execute("DROP ROLE IF EXISTS rls_test_bj")
        try db.session.execute("CREATE ROLE rls_test_bj LOGIN PASSWORD '\(password)' IN ROLE huizong_analyst_110000")
        defer { try? db.session.execute("DROP OWNED BY rls_test_bj; DROP ROLE IF EXISTS rls_test_bj") }
        var login = pg.location
        login.user = "rls_test_bj"
        login.password = password
        let analyst = try PostgresSession(login)  // no SET ROLE: membership is enough
        do { let v: [String] = try analyst.column("SELECT citizen_id FROM person_period"); #expect(v == [bj]) }
        do { let v: [String] = try analyst.column("SELECT citizen_id FROM person_version"); #expect(v == [bj]) }
        do { let v: [String] = try analyst.column("SELECT citizen_id FROM person"); #expect(v == [bj]) }
        do { let v: [String] = try analyst.column("SELECT citizen_id FROM discrepancy"); #expect(v == [bj]) }
        do { let v: [String] = try analyst.column("SELECT registering_unit FROM submission_county"); #expect(v == ["110105"]) }
        do { let v: [String] = try analyst.column("SELECT citizen_id FROM person_history"); #expect(v == [bj]) }
        // The partition itself is not readable, nor are contact columns or the contact view.
        #expect(throws: LoadError.self) { _ = try analyst.rows("SELECT citizen_id FROM person_version_2012_09") }
        #expect(throws: LoadError.self) { _ = try analyst.rows("SELECT mobile FROM person_version") }
        #expect(throws: LoadError.self) { _ = try analyst.rows("SELECT * FROM person_period_contact") }
        // No writes.
        #expect(throws: LoadError.self) { try analyst.execute("DELETE FROM person_version") }
        #expect(throws: LoadError.self) { try analyst.execute("UPDATE person SET period = '2099-01'") }
        #expect(throws: LoadError.self) {
            try analyst.execute("INSERT INTO unit (code, name, level, parent, source) VALUES ('990000', '', '', NULL, 'config')")
        }
        // The owner (the loader) still sees both provinces.
        do { let v: [String] = try db.session.column("SELECT citizen_id FROM person_period ORDER BY citizen_id"); #expect(v == [bj, tj]) }
    }
}

/// Where --db points, and where a password may come from (no server needed).
@Suite struct DatabaseLocationTests {
    @Test func passwordsNeverComeFromTheURL() throws {
        #expect(throws: PostgresLocation.Invalid.self) { _ = try DatabaseLocation.parse("postgres://u:secret@h/db") }
        let l = try PostgresLocation(url: "postgres://alice@db.example:6543/national", environment: ["PGPASSWORD": "pw"])
        #expect(l.host == "db.example" && l.port == 6543 && l.user == "alice" && l.database == "national" && l.password == "pw")
        #expect(!l.description.contains("pw"))
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        try "# comment\nother:*:*:*:no\ndb.example:6543:national:alice:fr\\:om-file\n".write(toFile: dir + "/pgpass", atomically: true, encoding: .utf8)
        let f = try PostgresLocation(url: "postgres://alice@db.example:6543/national", environment: ["PGPASSFILE": dir + "/pgpass"])
        #expect(f.password == "fr:om-file")
        #expect(try DatabaseLocation.parse("national.sqlite") == .sqlite(path: "national.sqlite"))
    }
}
