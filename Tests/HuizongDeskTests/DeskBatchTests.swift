import Foundation
import XCTest
import HuizongCore
import HuizongTestSupport
@testable import HuizongDesk

/// POST /api/batches (SPEC 9): the file per 3.1 in the inbox of the current period, atomic,
/// never replacing a file, 0600; every acknowledged entry in exactly one batch, even when the
/// desk stops between writing the file and recording it.
final class DeskBatchTests: XCTestCase {
    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testBatchWritesEveryVersionOnceAsASummaryFile() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        XCTAssertEqual(json(api.handle(DeskRequest(method: "POST", path: "/api/batches"))) as NSDictionary,
                       ["file": NSNull(), "rows": 0] as NSDictionary)
        let a = makeID(seq: 141), b = makeID(seq: 143)
        XCTAssertEqual(api.post("/api/registrations", form(id: a)).status, 201)
        XCTAssertEqual(api.post("/api/registrations", form(id: b, name: "王五")).status, 201)
        XCTAssertEqual(api.post("/api/people/\(a)/followups", ["就业去向": "4"]).status, 201)
        let r = api.handle(DeskRequest(method: "POST", path: "/api/batches"))
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(json(r)["file"] as? String, "desk-20121015-100000.csv")
        XCTAssertEqual(json(r)["rows"] as? Int, 3)
        let path = fx.inbox("2012-10") + "/desk-20121015-100000.csv"
        XCTAssertEqual(mode(path), 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(String(lines[0]), "序号,姓名,性别,民族,公民身份号码,毕业院校,毕业日期,学历,所学专业,入学前户口所在地,电子邮箱,邮编,手机号码,固定电话,困难状况,就业地意向,就业意向,就业服务需求,就业去向,更新时间,登记单位")
        XCTAssertEqual(lines.count, 5)  // header, 3 rows, final LF
        XCTAssertTrue(lines[1].hasPrefix("1,张三,男,汉族,\(a),"))
        XCTAssertTrue(lines[3].hasPrefix("3,张三,男,汉族,\(a),"))
        XCTAssertTrue(lines[3].hasSuffix(",4,2012-10-15T10:00:01+08:00,110105"), String(lines[3]))
        XCTAssertFalse(text.hasPrefix("\u{FEFF}"))

        // The file is a clean intake file for the county's run: no rejected line.
        let ctx = ValidationContext(cohortYear: 2012, graduationWindow: 20120101...20121231,
                                    asOf: DeskFixture.asOf + 86400, unitPolicy: .county(110105))
        let batch = FileBatch.read(path: path, from: "110105", options: .init(), context: ctx)
        XCTAssertNil(batch.rejection)
        XCTAssertEqual(batch.rejectedLines, 0)
        XCTAssertEqual(batch.linesRead, 3)

        // Nothing pending: 200 and no file; later entries go to the next batch only.
        XCTAssertEqual(api.handle(DeskRequest(method: "POST", path: "/api/batches")).status, 200)
        XCTAssertEqual(api.post("/api/people/\(b)/followups", ["就业去向": "9"]).status, 201)
        let r2 = api.handle(DeskRequest(method: "POST", path: "/api/batches"))
        XCTAssertEqual(r2.status, 201)
        // Same second on the desk's clock: the name is taken, so -2.
        XCTAssertEqual(json(r2)["file"] as? String, "desk-20121015-100000-2.csv")
        XCTAssertEqual(json(r2)["rows"] as? Int, 1)
        XCTAssertEqual(fx.files(in: fx.inbox("2012-10")), ["desk-20121015-100000-2.csv", "desk-20121015-100000.csv"])
    }

    func testNeverReplacesAnExistingFile() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        try FileManager.default.createDirectory(atPath: fx.inbox("2012-10"), withIntermediateDirectories: true)
        let taken = fx.inbox("2012-10") + "/desk-20121015-100000.csv"
        try "somebody else's file\n".write(toFile: taken, atomically: true, encoding: .utf8)
        XCTAssertEqual(api.post("/api/registrations", form(id: makeID(seq: 151))).status, 201)
        let r = api.handle(DeskRequest(method: "POST", path: "/api/batches"))
        XCTAssertEqual(json(r)["file"] as? String, "desk-20121015-100000-2.csv")
        XCTAssertEqual(try String(contentsOfFile: taken, encoding: .utf8), "somebody else's file\n")
    }

    /// The desk stopped after the file was linked into the inbox but before the batch was marked
    /// written: on start, the file is found (same bytes) and recorded; nothing is written twice.
    func testRecoveryAfterFileWrittenBeforeBookkeeping() throws {
        let fx = try DeskFixture()
        do {
            let desk = try fx.desk()
            XCTAssertEqual(try desk.register(fields(form(id: makeID(seq: 161)))).isCreated, true)
            XCTAssertEqual(try desk.register(fields(form(id: makeID(seq: 163)))).isCreated, true)
            let intent = try XCTUnwrap(try desk.store.beginBatch(name: "desk-20121015-100000.csv", period: "2012-10",
                                                                 directory: fx.inbox("2012-10"), now: DeskFixture.asOf))
            _ = try BatchWriter.write(BatchWriter.content(lines: intent.lines), directory: intent.directory,
                                      preferredName: intent.name, batch: intent.id)
            // (killed here: no finishBatch)
        }
        let desk = try fx.desk(asOf: DeskFixture.asOf + 60)
        XCTAssertEqual(fx.files(in: fx.inbox("2012-10")), ["desk-20121015-100000.csv"])
        XCTAssertEqual(try desk.store.openIntents().count, 0)
        XCTAssertEqual(try desk.store.batches().map(\.state), ["done"])
        XCTAssertEqual(try desk.closeBatch().rows, 0)  // nothing pending: the entries were batched
    }

    /// Stopped after the batch was decided but before the file existed (or with only the
    /// temporary file): on start, the file is written once.
    func testRecoveryAfterIntentBeforeFile() throws {
        let fx = try DeskFixture()
        do {
            let desk = try fx.desk()
            XCTAssertEqual(try desk.register(fields(form(id: makeID(seq: 171)))).isCreated, true)
            let intent = try XCTUnwrap(try desk.store.beginBatch(name: "desk-20121015-100000.csv", period: "2012-10",
                                                                 directory: fx.inbox("2012-10"), now: DeskFixture.asOf))
            try BatchWriter.makeDirectories(intent.directory)
            try "half a fi".write(toFile: intent.directory + "/" + BatchWriter.temporaryName(batch: intent.id),
                                  atomically: false, encoding: .utf8)
        }
        let desk = try fx.desk(asOf: DeskFixture.asOf + 60)
        XCTAssertEqual(fx.files(in: fx.inbox("2012-10")), ["desk-20121015-100000.csv"])
        let text = try String(contentsOfFile: fx.inbox("2012-10") + "/desk-20121015-100000.csv", encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 2)
        XCTAssertEqual(try desk.store.batches().map(\.state), ["done"])
    }

    func testDatabaseIsPrivate() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        XCTAssertEqual(api.post("/api/registrations", form(id: makeID(seq: 181))).status, 201)
        XCTAssertEqual(mode(fx.dbPath), 0o600)
        XCTAssertEqual(mode(fx.root + "/desk"), 0o700)
    }

    /// People in the county's latest merged summary are known from the start: registering them
    /// is a 409, follow-ups and services work and go into the next batch.
    func testPeopleOfTheLatestSummaryAreKnown() throws {
        let fx = try DeskFixture()
        let known = makeID(seq: 191)
        let outbox = fx.root + "/data/110105/outbox/2012-09"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        let row = "1,赵六,男,汉族,\(known),北京大学,20120701,3,法学,110105,,,13800138000,,4,2,3,2,,2012-09-20T08:00:00+08:00,110105"
        try (Column.headerLine + "\n" + row + "\n").write(toFile: outbox + "/110105-2012-09.csv.gz", atomically: true, encoding: .utf8)
        let api = try fx.api()
        XCTAssertEqual(api.post("/api/registrations", form(id: known)).status, 409)
        let p = json(api.get("/api/people/\(known)"))
        XCTAssertEqual((p["record"] as? [String: String])?["姓名"], "赵六")
        let f = api.post("/api/people/\(known)/followups", ["就业去向": "5"])
        XCTAssertEqual(f.status, 201, f.text)
        XCTAssertEqual((json(f)["record"] as? [String: String])?["更新时间"], "2012-10-15T10:00:00+08:00")
        XCTAssertEqual(api.post("/api/people/\(known)/services", ["kind": "info"]).status, 201)
        let b = json(api.handle(DeskRequest(method: "POST", path: "/api/batches")))
        XCTAssertEqual(b["rows"] as? Int, 1)  // the follow-up, not the summary's own row
        XCTAssertEqual((json(api.get("/api/people/\(known)"))["history"] as? [Any])?.count, 2)
    }
}

func fields(_ f: [String: String]) -> DeskFields {
    var out: DeskFields = [:]
    for (k, v) in f { out[FormFields.column(forKey: k)!] = v }
    return out
}

extension DeskStore.WriteOutcome {
    var isCreated: Bool { if case .created = self { true } else { false } }
}
