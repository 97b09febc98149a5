import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// Loading submissions into a real SQLite file: idempotence, corrected resubmissions with the
/// audit trail, history across periods, integrity checks, permissions.
@Suite struct DatabaseLoadTests {
    func count(_ db: NationalDatabase, _ sql: String, _ args: StatementArguments = []) throws -> Int {
        try db.queue.read { try Int.fetchOne($0, sql: sql, arguments: args) ?? -1 }
    }

    @Test func loadsTheWorkedExampleCity() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let r = try SubmissionLoader(database: db).load(exampleFiles("110100"), unit: "110100", period: "2012-09")
        #expect(r.action == .loaded)
        #expect(r.rows == 22)
        #expect(r.findings == 35)
        #expect(try count(db, "SELECT count(*) FROM person") == 22)
        #expect(try count(db, "SELECT count(*) FROM person_version") == 22)
        #expect(try count(db, "SELECT count(*) FROM discrepancy") == 35)
        // Children: 110105 and 110108 on time, 110112 missing (manifest children).
        #expect(try count(db, "SELECT count(*) FROM submission_child WHERE on_time") == 2)
        #expect(try count(db, "SELECT count(*) FROM submission_child WHERE missing AND child = '110112'") == 1)
        // The row as written (序号 = line - 1): row 1 萧博 is on line 2.
        let first = try db.queue.read { try Row.fetchOne($0, sql: "SELECT * FROM person_current ORDER BY citizen_id LIMIT 1") }!
        #expect(first["citizen_id"] as String == "110101199102086617")
        #expect(first["name"] as String == "萧博")
        #expect(first["line"] as Int == 2)
        #expect(first["registering_unit"] as String == "110108")
        // Contact values are stored (the database is the real-name database) ...
        #expect(first["mobile"] as String == "13177847341")
        // ... but a report row never holds one.
        #expect(try count(db, "SELECT count(*) FROM discrepancy WHERE field IN ('手机号码','固定电话','电子邮箱') AND raw_value <> ''") == 0)
    }

    @Test func reloadingTheSameFilesIsIdempotent() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        let first = try loader.load(exampleFiles("110100"))
        let snapshot = try db.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM person_version ORDER BY citizen_id") }
        let second = try loader.load(exampleFiles("110100"))
        #expect(second.action == .unchanged)
        #expect(second.submissionID == first.submissionID)
        #expect(try count(db, "SELECT count(*) FROM submission") == 1)
        #expect(try count(db, "SELECT count(*) FROM person_version") == 22)
        #expect(try count(db, "SELECT count(*) FROM discrepancy") == 35)
        #expect(try db.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM person_version ORDER BY citizen_id") } == snapshot)
        // The audit trail records both attempts.
        let actions = try db.queue.read { try String.fetchAll($0, sql: "SELECT action FROM load_event ORDER BY id") }
        #expect(actions == ["loaded", "unchanged"])
        // Reopening the file (migrations already applied) changes nothing either.
        let reopened = try NationalDatabase(path: dir + "/n.db")
        #expect(try SubmissionLoader(database: reopened).load(exampleFiles("110100")).action == .unchanged)
    }

    @Test func correctedResubmissionReplacesThePeriodAndKeepsTheAuditTrail() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let fixture = try CorrectedResubmission(in: dir)
        let (a, b, c, d) = (fixture.a, fixture.b, fixture.c, fixture.d)
        let original = fixture.original, corrected = fixture.corrected
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        let r1 = try loader.load(original)
        let r2 = try loader.load(corrected)
        #expect(r2.action == .replaced)
        #expect(r2.replacedSubmissionID == r1.submissionID)
        // The period now holds the corrected rows only.
        let ids = try db.queue.read { try String.fetchAll($0, sql: "SELECT citizen_id FROM person_version ORDER BY citizen_id") }
        #expect(ids == [a, b, d])
        #expect(try count(db, "SELECT count(*) FROM discrepancy") == 0)
        // Current state follows: C was only in the withdrawn file, B has its new destination.
        #expect(try count(db, "SELECT count(*) FROM person WHERE citizen_id = ?", [c]) == 0)
        #expect(try db.queue.read { try String.fetchOne($0, sql: "SELECT destination FROM person_current WHERE citizen_id = ?", arguments: [b]) } == "3")
        // The replaced submission stays, marked and linked, and the trail says what happened.
        let old = try db.queue.read { try Row.fetchOne($0, sql: "SELECT * FROM submission WHERE id = ?", arguments: [r1.submissionID]) }!
        #expect(old["status"] as String == "replaced")
        #expect(old["replaced_by"] as Int64 == r2.submissionID)
        #expect(old["summary_sha256"] as String == InputFile.sha256(ofFileAt: original.summary)!)
        let trail = try db.queue.read { try Row.fetchAll($0, sql: "SELECT action, replaced_submission_id FROM load_event ORDER BY id") }
        #expect(trail.map { $0["action"] as String } == ["loaded", "replaced"])
        #expect(trail[1]["replaced_submission_id"] as Int64? == r1.submissionID)
        // Loading the withdrawn file again is a new correction, not a no-op.
        #expect(try loader.load(original).action == .replaced)
        #expect(try count(db, "SELECT count(*) FROM submission WHERE status = 'replaced'") == 2)
    }

    @Test func replacingALaterPeriodFallsBackToTheEarlierVersion() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let x = citizenID("11010519900101011"), y = citizenID("11010519900101012")
        let aug = try writeSubmission(in: dir, unit: "000000", period: "2012-08", persons: [Person(id: x, updated: "2012-08-10T10:00:00+08:00")])
        let sep = try writeSubmission(in: dir, tag: "sep1", unit: "000000", period: "2012-09", persons: [Person(id: x, destination: "4", updated: "2012-09-10T10:00:00+08:00")])
        let sepFixed = try writeSubmission(in: dir, tag: "sep2", unit: "000000", period: "2012-09", persons: [Person(id: y)])
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        _ = try loader.load(aug)
        _ = try loader.load(sep)
        #expect(try db.queue.read { try String.fetchOne($0, sql: "SELECT period FROM person WHERE citizen_id = ?", arguments: [x]) } == "2012-09")
        _ = try loader.load(sepFixed)
        let row = try db.queue.read { try Row.fetchOne($0, sql: "SELECT period, destination FROM person_current WHERE citizen_id = ?", arguments: [x]) }!
        #expect(row["period"] as String == "2012-08")
        #expect(row["destination"] as String == "")
    }

    @Test func historyOfOnePersonAcrossThreePeriods() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let x = citizenID("11010519910203004")
        let other = citizenID("11010819900505006")
        let periods: [(String, String, String)] = [
            ("2012-08", "", "2012-08-05T09:00:00+08:00"),
            ("2012-09", "", "2012-08-05T09:00:00+08:00"),  // not followed up yet: same row
            ("2012-10", "4", "2012-10-02T15:30:00+08:00"),  // follow-up: 非国有企业
        ]
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        for (p, dest, t) in periods {
            let f = try writeSubmission(in: dir, unit: "110000", period: p, persons: [
                Person(id: x, name: "李明", destination: dest, updated: t), Person(id: other, unit: "110108"),
            ])
            #expect(try loader.load(f).action == .loaded)
        }
        let history = try PersonHistory.read(db, citizenID: x)
        #expect(history.map(\.period) == ["2012-08", "2012-09", "2012-10"])
        #expect(history.map(\.destination) == ["", "", "4"])
        #expect(history.map(\.destinationChanged) == [false, false, true])
        #expect(history[2].previousDestination == "")
        // The current state is the latest version.
        let current = try db.queue.read { try Row.fetchOne($0, sql: "SELECT period, destination, updated_at FROM person_current WHERE citizen_id = ?", arguments: [x]) }!
        #expect(current["period"] as String == "2012-10")
        #expect(current["destination"] as String == "4")
        // The SQL view tells the same story: one change, from '' to '4', in 2012-10.
        let changes = try db.queue.read { try Row.fetchAll($0, sql: "SELECT * FROM destination_change WHERE citizen_id = ?", arguments: [x]) }
        #expect(changes.count == 1)
        #expect(changes.first?["previous_destination"] as String? == "")
        #expect(changes.first?["destination"] as String? == "4")
        #expect(changes.first?["period"] as String? == "2012-10")
        #expect(changes.first?["previous_period"] as String? == "2012-09")
        #expect(PersonHistory.text(history).contains("changed from"))
    }

    @Test func filesThatDoNotMatchTheirManifestLoadNothing() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let f = try writeSubmission(in: dir, unit: "110000", period: "2012-09", persons: [Person(id: citizenID("11010519900101021"))])
        // Tamper with the summary after the manifest was written.
        let tampered = try String(contentsOfFile: f.summary, encoding: .utf8).replacingOccurrences(of: "北京大学", with: "清华大学")
        try tampered.write(toFile: f.summary, atomically: true, encoding: .utf8)
        let db = try NationalDatabase(path: dir + "/n.db")
        #expect(throws: LoadError.self) { try SubmissionLoader(database: db).load(f) }
        #expect(try count(db, "SELECT count(*) FROM submission") == 0)
        #expect(try count(db, "SELECT count(*) FROM person_version") == 0)
        // Wrong unit or period on the command line: refused too.
        let good = try writeSubmission(in: dir, tag: "good", unit: "110000", period: "2012-09", persons: [Person(id: citizenID("11010519900101021"))])
        #expect(throws: LoadError.self) { try SubmissionLoader(database: db).load(good, unit: "120000") }
        #expect(throws: LoadError.self) { try SubmissionLoader(database: db).load(good, period: "2012-10") }
        // A summary whose row count differs from the manifest: the transaction rolls back.
        let short = try writeSubmission(in: dir, tag: "short", unit: "110000", period: "2012-09", persons: [Person(id: citizenID("11010519900101021"))])
        var m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: short.manifest))) as! [String: Any]
        var outputs = m["outputs"] as! [String: Any]
        var s = outputs["summary"] as! [String: Any]
        s["rows"] = 2
        outputs["summary"] = s
        m["outputs"] = outputs
        try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: short.manifest))
        #expect(throws: LoadError.self) { try SubmissionLoader(database: db).load(short) }
        #expect(try count(db, "SELECT count(*) FROM submission") == 0)
        #expect(try count(db, "SELECT count(*) FROM person") == 0)
    }

    @Test func explicitPathsFindTheirSiblings() throws {
        let fromSummary = try SubmissionFiles.fromPaths([fixturesDir + "/110100-2012-09.csv.gz"])
        #expect(fromSummary == exampleFiles("110100"))
        let fromManifest = try SubmissionFiles.fromPaths([fixturesDir + "/110100-2012-09.manifest.json"])
        #expect(fromManifest == exampleFiles("110100"))
    }

    @Test func databaseFileIsOwnerOnly() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let path = dir + "/sub/dir/n.db"
        let db = try NationalDatabase(path: path)
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        #expect(SecureFiles.mode(of: path) == 0o600)
        #expect(SecureFiles.mode(of: dir + "/sub") == 0o700)
        #expect(SecureFiles.mode(of: dir + "/sub/dir") == 0o700)
        for extra in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + extra) {
            #expect(SecureFiles.mode(of: path + extra) == 0o600)
        }
    }
}
