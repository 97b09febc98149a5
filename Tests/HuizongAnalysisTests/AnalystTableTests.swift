import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// Issue 13, analysts (SQLite; the same on PostgreSQL in PostgresTests): the codebook and the
/// period view in the database, whole-tree completeness, `db export`.
@Suite struct AnalystTableTests {
    static func load(_ dir: String) throws -> AnalysisDatabase {
        let db = try AnalysisDatabase.open(.sqlite(path: dir + "/n.db"))
        let config = UnitDirectory(config: try PipelineConfig.load(path: fixturesDir + "/pipeline.json"))
        _ = try db.load(exampleFiles("110100"), config: config)
        return db
    }

    @Test func theCodebookHasEveryLabelOfTheNotice() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.load(dir)
        try db.analyse { s in
            // 附件1 填写说明: 5 学历, 4 困难状况, 3 就业地意向, 10 就业意向, 10 就业服务需求, 15 就业去向.
            let n: [SQLRow] = try s.rows("SELECT field, count(*) AS n FROM code_label GROUP BY field ORDER BY field")
            #expect(n.map { "\($0["field"] as String)=\($0["n"] as Int)" } ==
                    ["destination=15", "education=5", "hardship=4", "intentions=10", "service_needs=10", "workplace_intent=3"])
            do { let v: String? = try s.value("SELECT label FROM code_label WHERE field = 'service_needs' AND code = '5'"); #expect(v == "职业培训") }
            do { let v: String? = try s.value("SELECT label FROM code_label WHERE field = 'destination' AND code = '12'"); #expect(v == "职业培训") }
        }
    }

    @Test func thePeriodViewHasOneLabelledRowPerPersonWithItsPlaces() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.load(dir)
        try db.analyse { s in
            do { let v: Int? = try s.value("SELECT count(*) FROM person_period WHERE period = '2012-09'"); #expect(v == 22) }
            let r = try s.rows("SELECT * FROM person_period WHERE citizen_id = '110101199102086617'").first!
            // 萧博 (the example's row 1), registered at 海淀区 110108.
            #expect(r["name"] as String == "萧博")
            #expect(r["province_code"] as String == "110000" && r["province_name"] as String == "北京市")
            #expect(r["city_code"] as String == "110100" && r["city_name"] as String == "北京市市辖区")
            #expect(r["county_code"] as String == "110108" && r["county_name"] as String == "海淀区")
            #expect(r["education_label"] as String == Codebook.label(Codebook.education, r["education"]))
            #expect(!r.names.contains("mobile") && !r.names.contains("email"))
        }
    }

    @Test func wholeTreeCompletenessNamesTheMissingCounty() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.load(dir)
        // 110100's tree: 110105, 110108 reported, 110112 missing (its CHILD_MISSING finding).
        let l = try DatabaseListing.read(db)
        #expect(l.completeness.count == 1)
        #expect(l.completeness[0].units == 3)
        #expect(l.completeness[0].onTime == 2)
        #expect(l.completeness[0].missing == ["110112"])
        #expect(l.text.contains("未报 missing 1 missing: 110112"))
    }

    @Test func exportWritesOneLabelledRowPerPersonWithoutContactsUnlessAsked() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.load(dir)
        for contacts in [false, true] {
            let path = dir + "/export-\(contacts).csv"
            let n = try db.analyse { s in
                try PeopleExport.write(s, scope: AnalysisScope(unit: "110100", directory: try AnalysisScope.directory(s, config: nil)),
                                       period: Period("2012-09")!, to: path, format: .csv, contacts: contacts)
            }
            #expect(n == 22)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 23)
            #expect(lines[0].hasPrefix("期别,省级代码,省级名称,地市代码,地市名称,登记单位,登记单位名称,公民身份号码"))
            // 萧博's mobile 13177847341 only with contacts; full IDs always.
            #expect(text.contains("13177847341") == contacts)
            #expect(text.contains("110101199102086617"))
            #expect(lines[0].hasSuffix(contacts ? "手机号码,固定电话,电子邮箱" : "更新时间"))
            #expect(SecureFiles.mode(of: path) == 0o600)
        }
    }
}
