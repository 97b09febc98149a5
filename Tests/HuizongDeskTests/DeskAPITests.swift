import Foundation
import XCTest
import HuizongCore
import HuizongTestSupport
@testable import HuizongDesk

/// The JSON API of SPEC 9, driven through `DeskAPI.handle` (the HTTP server only adds the token,
/// size and host checks, which the e2e tests exercise over a real socket).
final class DeskAPITests: XCTestCase {
    func testCheckFillsTimeAndUnitAndCanonicalises() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        let r = api.post("/api/check", form(id: makeID(seq: 123), sex: "1", extra: ["学历": "大学本科", "民族": "01"]))
        XCTAssertEqual(r.status, 200)
        let j = json(r)
        XCTAssertEqual((j["findings"] as? [Any])?.count, 0, r.text)
        let rec = try XCTUnwrap(j["record"] as? [String: String])
        XCTAssertEqual(rec["性别"], "男")
        XCTAssertEqual(rec["学历"], "3")
        XCTAssertEqual(rec["民族"], "汉族")
        XCTAssertEqual(rec["更新时间"], "2012-10-15T10:00:00+08:00")  // the desk's clock (--as-of)
        XCTAssertEqual(rec["登记单位"], "110105")
        // Nothing stored.
        XCTAssertEqual(api.get("/api/people/\(makeID(seq: 123))").status, 404)
    }

    /// One code path with `aggregate validate`: the findings of /api/check for a row are the
    /// findings `FileBatch.read` (what `validate` prints) gives for the same row in a file.
    func testCheckFindingsAreValidatesFindings() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        var bad = makeID(seq: 124)  // even sequence: 女
        bad.removeLast(); bad += bad.hasSuffix("1") ? "2" : "1"  // break the check digit
        let f = form(id: bad, sex: "男", hardship: "44", intentions: "9", needs: "", extra: ["手机号码": "12345", "邮编": "1000"])
        let j = json(api.post("/api/check", f))
        let fromAPI = (j["findings"] as? [[String: String]] ?? []).map { [$0["字段"]!, $0["规则"]!, $0["级别"]!, $0["说明"]!] }
        XCTAssertTrue(fromAPI.contains { $0[1] == "ID_CHECKSUM" }, "\(fromAPI)")

        // The same row written as an intake file, read as `aggregate validate --unit` reads it.
        var values = f
        values["更新时间"] = "2012-10-15 10:00:00"
        values["登记单位"] = "110105"
        let cols = Column.allCases.dropFirst().map(\.canonicalName)
        let csv = cols.joined(separator: ",") + "\n" + CSVField.line(cols.map { values[$0] ?? "" }) + "\n"
        let path = fx.root + "/row.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let ctx = ValidationContext(cohortYear: 2012, graduationWindow: 20120101...20121231, asOf: DeskFixture.asOf,
                                    unitPolicy: .county(110105))
        let batch = FileBatch.read(path: path, from: "110105", options: .init(), context: ctx)
        var fromFile: [[String]] = []
        batch.findings.forEachInLineOrder { fromFile.append([$0.fieldLabel, $0.rule.rawValue, $0.severity.rawValue, $0.message]) }
        XCTAssertEqual(fromAPI, fromFile)
        XCTAssertGreaterThanOrEqual(fromFile.count, 4)  // ID_CHECKSUM, HARDSHIP (44 → MULTI_REPEATED), MOBILE, POSTCODE
    }

    func testRegistrationCreatedConflictAndRejected() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        let id = makeID(seq: 125)
        let created = api.post("/api/registrations", form(id: id, extra: ["邮编": "12"]))
        XCTAssertEqual(created.status, 201, created.text)
        let cj = json(created)
        XCTAssertEqual((cj["record"] as? [String: String])?["公民身份号码"], id)
        // Flags are returned but do not stop the registration.
        XCTAssertEqual((cj["findings"] as? [[String: String]])?.map { $0["规则"]! }, ["POSTCODE_INVALID"])

        let again = api.post("/api/registrations", form(id: id, name: "李四"))
        XCTAssertEqual(again.status, 409, again.text)
        // Lowercase x / spaces: the same person after normalisation is also a conflict.
        XCTAssertEqual(api.post("/api/registrations", form(id: " \(id) ")).status, 409)

        let badID = "11010519900101999"  // 17 characters
        let rejected = api.post("/api/registrations", form(id: badID))
        XCTAssertEqual(rejected.status, 422)
        XCTAssertEqual((json(rejected)["findings"] as? [[String: String]])?.first?["规则"], "ID_FORMAT")
        XCTAssertEqual(try fx.desk().store.pendingCount(), 1)  // nothing stored for the 422
    }

    func testBadBodiesAre400() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        XCTAssertEqual(api.handle(DeskRequest(method: "POST", path: "/api/check", body: Array("not json".utf8))).status, 400)
        XCTAssertEqual(api.post("/api/check", ["工资": "1"]).status, 400)
        XCTAssertEqual(api.handle(DeskRequest(method: "POST", path: "/api/check", body: Array(#"{"姓名": 3}"#.utf8))).status, 400)
        XCTAssertEqual(api.post("/api/check", ["姓名": String(repeating: "张", count: 201)]).status, 400)
        XCTAssertEqual(api.get("/api/nothing").status, 404)
        XCTAssertEqual(api.get("/api/check").status, 405)
    }

    func testPersonHistoryFollowUpsAndServices() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        let id = makeID(seq: 127)
        XCTAssertEqual(api.get("/api/people/\(id)").status, 404)
        XCTAssertEqual(api.post("/api/registrations", form(id: id)).status, 201)
        // The clock has not moved (same second): each follow-up is one second after the previous.
        let f1 = api.post("/api/people/\(id)/followups", ["就业服务需求": "23"])
        XCTAssertEqual(f1.status, 201, f1.text)
        let f2 = api.post("/api/people/\(id)/followups", ["就业去向": "4"])
        XCTAssertEqual(f2.status, 201, f2.text)
        let t1 = (json(f1)["record"] as? [String: String])?["更新时间"]
        let t2 = (json(f2)["record"] as? [String: String])?["更新时间"]
        XCTAssertEqual(t1, "2012-10-15T10:00:01+08:00")
        XCTAssertEqual(t2, "2012-10-15T10:00:02+08:00")
        XCTAssertEqual((json(f2)["record"] as? [String: String])?["就业服务需求"], "23")  // earlier change kept

        let bad = api.post("/api/people/\(id)/followups", ["就业去向": "16"])
        XCTAssertEqual(bad.status, 422)
        XCTAssertEqual((json(bad)["findings"] as? [[String: String]])?.map { $0["规则"]! }, ["DEST_INVALID"])
        XCTAssertEqual(api.post("/api/people/\(id)/followups", ["更新时间": "2012-10-20 00:00:00"]).status, 400)
        XCTAssertEqual(api.post("/api/people/\(makeID(seq: 999))/followups", ["就业去向": "4"]).status, 404)

        XCTAssertEqual(api.post("/api/people/\(id)/services", ["kind": "info", "at": "2012-10-14 09:00:00", "note": "招聘会信息"]).status, 201)
        XCTAssertEqual(api.post("/api/people/\(id)/services", ["kind": "a"]).status, 201)
        XCTAssertEqual(api.post("/api/people/\(id)/services", ["kind": "Z"]).status, 422)
        XCTAssertEqual(api.post("/api/people/\(id)/services", ["kind": "info", "at": "2012-10-16 09:00:00"]).status, 422)  // future
        XCTAssertEqual(api.post("/api/people/\(makeID(seq: 999))/services", ["kind": "info"]).status, 404)

        let p = api.get("/api/people/\(id)")
        XCTAssertEqual(p.status, 200)
        let pj = json(p)
        let history = try XCTUnwrap(pj["history"] as? [[String: String]])
        XCTAssertEqual(history.map { $0["更新时间"]! },
                       ["2012-10-15T10:00:00+08:00", "2012-10-15T10:00:01+08:00", "2012-10-15T10:00:02+08:00"])
        XCTAssertEqual((pj["record"] as? [String: String])?["就业去向"], "4")
        XCTAssertEqual((pj["services"] as? [[String: String]])?.map { $0["kind"]! }, ["info", "A"])
    }

    func testDueListHardshipFirstAndThreeContacts() throws {
        let fx = try DeskFixture()
        let api = try fx.api()
        let seeker = makeID(seq: 131), hard = makeID(seq: 133), nine = makeID(seq: 135), placed = makeID(seq: 137)
        XCTAssertEqual(api.post("/api/registrations", form(id: seeker)).status, 201)
        XCTAssertEqual(api.post("/api/registrations", form(id: hard, hardship: "12")).status, 201)
        XCTAssertEqual(api.post("/api/registrations", form(id: nine, intentions: "9", needs: "")).status, 201)
        XCTAssertEqual(api.post("/api/registrations", form(id: placed, extra: ["就业去向": "3"])).status, 201)
        func due() -> [(String, Int)] {
            (json(api.get("/api/due", query: ["period": "2012-10"]))["due"] as? [[String: Any]] ?? [])
                .map { ($0["公民身份号码"] as! String, $0["count"] as! Int) }
        }
        XCTAssertEqual(due().map(\.0), [hard, seeker])
        for _ in 0..<3 { XCTAssertEqual(api.post("/api/people/\(seeker)/services", ["kind": "info"]).status, 201) }
        XCTAssertEqual(api.post("/api/people/\(hard)/services", ["kind": "info"]).status, 201)
        // The seeker has had three contacts this month; the hardship case stays (一对一帮扶).
        XCTAssertEqual(due().map(\.0), [hard])
        XCTAssertEqual(due().first?.1, 1)
        // Another month counts afresh.
        let nov = (json(api.get("/api/due", query: ["period": "2012-11"]))["due"] as? [[String: Any]] ?? []).map { $0["公民身份号码"] as! String }
        XCTAssertEqual(nov, [hard, seeker])
        XCTAssertEqual(api.get("/api/due", query: ["period": "2012-13"]).status, 400)
    }
}
