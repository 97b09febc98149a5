import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// The monthly analysis and the worklists against numbers counted by hand on a small fixture
/// (the comments say who counts where), and against plain SQL written here on the worked
/// example.
@Suite struct MonthlyStatsTests {
    static let a = citizenID("11010519900101101"), b = citizenID("11010519900101202"), c = citizenID("11010819900101303")
    static let d = citizenID("11010819900101404"), e = citizenID("11022919900101505"), f = citizenID("11022919900101606")
    static let g = citizenID("12010119900101707"), h = citizenID("11010519900101808")

    /// 2012-09 (asOf 2012-10-04 12:00):
    /// A 110105 本科 法学   困难12 需求25  去向—   updated 08-01  → priority, follow-up, services 2 5
    /// B 110105 专科 会计学 困难4  需求2   去向4   → employed
    /// C 110108 本科 法学   困难3  需求—   去向14  → not employed, has a destination
    /// D 110108 硕士 英语   困难4  需求全  去向—   updated 09-10 → services 1–A
    /// E 110229 博士 法学   困难2  需求1   去向—   updated 09-03 23:00 → priority, follow-up (30.5 days), service 1
    /// F 110229 本科 会计学 困难4  需求2   去向13  → employed
    /// G 120101 (天津, outside 110000)
    /// 2012-08: A, B, C, H all without destination; H is gone in 2012-09.
    static func database(_ dir: String) throws -> NationalDatabase {
        let sep: [Person] = [
            Person(id: a, education: "3", major: "法学", mobile: "13800000001", hardship: "12", needs: "25", updated: "2012-08-01T10:00:00+08:00", unit: "110105"),
            Person(id: b, education: "4", major: "会计学", hardship: "4", needs: "2", destination: "4", updated: "2012-09-20T10:00:00+08:00", unit: "110105"),
            Person(id: c, education: "3", major: "法学", hardship: "3", intentions: "9", needs: "", destination: "14", updated: "2012-09-15T10:00:00+08:00", unit: "110108"),
            Person(id: d, education: "2", major: "英语", hardship: "4", needs: "123456789A", updated: "2012-09-10T10:00:00+08:00", unit: "110108"),
            Person(id: e, education: "1", major: "法学", hardship: "2", needs: "1", updated: "2012-09-03T23:00:00+08:00", unit: "110229"),
            Person(id: f, education: "3", major: "会计学", hardship: "4", needs: "2", destination: "13", updated: "2012-09-25T10:00:00+08:00", unit: "110229"),
            Person(id: g, unit: "120101"),
        ]
        let aug: [Person] = [
            Person(id: a, hardship: "12", updated: "2012-08-01T10:00:00+08:00", unit: "110105"),
            Person(id: b, updated: "2012-08-02T10:00:00+08:00", unit: "110105"),
            Person(id: c, updated: "2012-08-03T10:00:00+08:00", unit: "110108"),
            Person(id: h, updated: "2012-08-04T10:00:00+08:00", unit: "110105"),
        ]
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        _ = try loader.load(try writeSubmission(in: dir, unit: "000000", period: "2012-08", persons: aug, level: "ministry"))
        _ = try loader.load(try writeSubmission(in: dir, unit: "000000", period: "2012-09", persons: sep, level: "ministry"))
        return db
    }

    func stats(_ db: NationalDatabase, unit: String, period: String = "2012-09", config: PipelineConfig? = nil) throws -> MonthlyStats {
        try db.analyse { conn in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(conn, config: config))
            return try MonthlyStats.compute(conn, scope: scope, period: Period(period)!)
        }
    }

    func counts(_ shares: [MonthlyStats.Share]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: shares.map { ($0.code, $0.count) })
    }

    @Test func handCountedProvince() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let s = try stats(try Self.database(dir), unit: "110000")
        #expect(s.total == 6)
        #expect(s.employed == 2)                         // B (4), F (13)
        #expect(s.employmentRate == 0.333333)
        #expect(s.noDestination == 3)                    // A, D, E
        #expect(s.hardshipNoDestination == 2)            // A, E
        #expect(counts(s.education) == ["1": 1, "2": 1, "3": 3, "4": 1, "5": 0])
        #expect(s.majors.map(\.label) == ["法学", "会计学", "英语"])
        #expect(s.majors.map(\.count) == [3, 2, 1])
        #expect(s.distinctMajors == 3)
        let dest = counts(s.destination)
        #expect(dest[""] == 3 && dest["4"] == 1 && dest["13"] == 1 && dest["14"] == 1 && dest["1"] == 0)
        #expect(counts(s.serviceNeeds) == ["1": 2, "2": 4, "3": 1, "4": 1, "5": 2, "6": 1, "7": 1, "8": 1, "9": 1, "A": 1])
        #expect(counts(s.hardship) == ["1": 1, "2": 2, "3": 1, "4": 3])
        #expect(s.education.first { $0.code == "3" }?.share == 0.5)
        // Children of 110000 by code: 110100 (A B C D), 110200 (E F).
        #expect(s.children.map(\.unit) == ["110100", "110200"])
        #expect(s.children.map(\.total) == [4, 2])
        #expect(s.children.map(\.employed) == [1, 1])
        #expect(s.children.map(\.previousTotal) == [4, 0])   // A B C H last month; nobody under 110200
        // Since 2012-08 (A B C H, nobody employed).
        let change = try #require(s.change)
        #expect(change.previousTotal == 4 && change.previousEmployed == 0)
        #expect(change.deltaTotal == 2 && change.deltaEmployed == 2)
        #expect(change.newlyListed == 3)        // D E F
        #expect(change.noLongerListed == 1)     // H
        #expect(change.destinationChanged == 2) // B → 4, C → 14
        #expect(change.newlyEmployed == 1)      // B
        #expect(change.deltaEmploymentRate == 0.333333)
        let moves = Dictionary(uniqueKeysWithValues: s.transitions.map { ("\($0.from)>\($0.to)", $0.count) })
        #expect(moves == [">": 1, ">4": 1, ">14": 1])
        #expect(s.trend.map(\.period) == ["2012-08", "2012-09"])
        #expect(s.trend.map(\.total) == [4, 6])
        #expect(s.trend.map(\.employed) == [0, 2])
        #expect(s.asOf == "2012-10-04T12:00:00+08:00")
    }

    @Test func subtreesByCodeAndByConfig() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.database(dir)
        #expect(try stats(db, unit: "000000").total == 7)
        #expect(try stats(db, unit: "110100").total == 4)
        let county = try stats(db, unit: "110108")
        #expect(county.total == 2 && county.children.map(\.unit) == ["110108"])
        #expect(try stats(db, unit: "120000").total == 1)
        #expect(try stats(db, unit: "130000").total == 0)
        // A config can put a county anywhere, e.g. 110229 under a made-up 119900.
        let json = """
            {"cohort": 2012, "units": [
              {"code": "000000", "name": "部", "level": "ministry"},
              {"code": "110000", "name": "北京市", "level": "province", "parent": "000000"},
              {"code": "119900", "name": "试验区", "level": "city", "parent": "110000"},
              {"code": "110229", "name": "延庆县", "level": "county", "parent": "119900"}]}
            """
        let config = try PipelineConfig(json: Data(json.utf8))
        let s = try stats(db, unit: "119900", config: config)
        #expect(s.total == 2 && s.unitName == "试验区")
        let province = try stats(db, unit: "110000", config: config)
        #expect(province.children.map(\.unit) == ["110100", "119900"])
    }

    @Test func worklistsCountedByHand() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.database(dir)
        let asOf = ChinaTime.parseAsOf("2012-10-04T12:00:00+08:00")!
        let w = try db.analyse { conn in
            try Worklists.compute(conn, scope: AnalysisScope(unit: "110000", directory: try AnalysisScope.directory(conn, config: nil)),
                                  period: Period("2012-09")!, asOf: asOf, staleDays: 30)
        }
        #expect(w.priority.map(\.citizenID) == [Self.a, Self.e])
        #expect(w.followUp.map(\.citizenID) == [Self.a, Self.e])
        #expect(w.followUp.map(\.daysSinceUpdate) == [64, 30])
        let byService = Dictionary(grouping: w.services, by: \.service).mapValues { $0.map(\.person.citizenID) }
        #expect(byService["1"] == [Self.d, Self.e])
        #expect(byService["2"] == [Self.a, Self.d])
        #expect(byService["5"] == [Self.a, Self.d])
        #expect(byService["A"] == [Self.d])
        #expect(w.counties.map(\.county) == ["110105", "110108", "110229"])
        #expect(w.counties.map(\.priority) == [1, 0, 1])
        #expect(w.counties.map(\.followUp) == [1, 0, 1])
        #expect(w.counties[1].services == Array(repeating: 1, count: 10))
        #expect(w.priority.allSatisfy { $0.mobile == nil })  // no contacts unless asked
        // With 31 days, E (30.5 days) drops off; contacts only when asked.
        let strict = try db.analyse { conn in
            try Worklists.compute(conn, scope: AnalysisScope(unit: "110000", directory: try AnalysisScope.directory(conn, config: nil)),
                                  period: Period("2012-09")!, asOf: asOf, staleDays: 31, includeContacts: true)
        }
        #expect(strict.followUp.map(\.citizenID) == [Self.a])
        #expect(strict.priority.first?.mobile == "13800000001")
    }

    @Test func exampleCityMatchesPlainSQL() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        _ = try SubmissionLoader(database: db).load(exampleFiles("110100"))
        let s = try stats(db, unit: "110100")
        // Independent formulations, straight on the rows.
        try db.analyse { conn in
            let total = try Int.fetchOne(conn, sql: "SELECT count(*) FROM person_version")!
            let employed = try Int.fetchOne(conn, sql: "SELECT count(*) FROM person_version WHERE destination <> '' AND CAST(destination AS INTEGER) BETWEEN 1 AND 13")!
            #expect(s.total == total && total == 22)
            #expect(s.employed == employed && employed == 4)   // 柴瑞 4, 宫淑兰 7, 钟帅 5, 张荣 4
            for row in try Row.fetchAll(conn, sql: "SELECT education, count(*) AS n FROM person_version GROUP BY education") {
                #expect(counts(s.education)[row["education"]] == row["n"])
            }
            for o in Codebook.serviceNeeds {
                let n = try Int.fetchOne(conn, sql: "SELECT count(*) FROM person_version WHERE service_needs LIKE ?", arguments: ["%\(o.code)%"])!
                #expect(counts(s.serviceNeeds)[o.code] == n)
            }
            for o in Codebook.hardship {
                let n = try Int.fetchOne(conn, sql: "SELECT count(*) FROM person_version WHERE hardship LIKE ?", arguments: ["%\(o.code)%"])!
                #expect(counts(s.hardship)[o.code] == n)
            }
            for row in try Row.fetchAll(conn, sql: "SELECT destination, count(*) AS n FROM person_version GROUP BY destination") {
                #expect(counts(s.destination)[row["destination"]] == row["n"])
            }
            let top = try Row.fetchAll(conn, sql: "SELECT major, count(*) AS n FROM person_version GROUP BY major ORDER BY n DESC, major LIMIT 3")
            #expect(s.majors.prefix(3).map(\.label) == top.map { $0["major"] as String })
            for row in try Row.fetchAll(conn, sql: "SELECT registering_unit, count(*) AS n FROM person_version GROUP BY registering_unit") {
                #expect(s.children.first { $0.unit == row["registering_unit"] }?.total == row["n"])
            }
        }
        #expect(s.hardshipNoDestination == 6)  // counted in the example: 曾博 王玉英 柴玉兰 莫斌 蒋桂香 高桂香
    }

    @Test func nestedSubmissionsAreNotCountedTwice() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        _ = try loader.load(exampleFiles("110105"))
        _ = try loader.load(exampleFiles("110100"))
        #expect(try stats(db, unit: "000000").total == 22)  // the city's file covers its county's
        #expect(try stats(db, unit: "110105").total == 11)
        let cov = try db.analyse { conn in
            try AnalysisScope(unit: "110105", directory: try AnalysisScope.directory(conn, config: nil)).covering(conn, period: "2012-09")
        }
        #expect(cov.map(\.unit) == ["110105"])
    }

    @Test func csvAndJSONOutputsAreOwnerOnly() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try Self.database(dir)
        for json in [false, true] {
            let out = dir + (json ? "/json" : "/csv")
            let written = try db.analyse { conn -> [String] in
                let scope = AnalysisScope(unit: "110000", directory: try AnalysisScope.directory(conn, config: nil))
                let p = Period("2012-09")!
                let s = try MonthlyStats.compute(conn, scope: scope, period: p)
                let asOf = ChinaTime.parseAsOf(s.asOf)!
                let counties = try Worklists.counts(conn, scope: scope, period: p, asOf: asOf)
                #expect(counties.map(\.priority) == [1, 0, 1])
                return try StatsTables.write(stats: s, counties: counties, staleDays: 30, contacts: false, to: out, json: json,
                                             perCounty: true) { body in
                    try Worklists.stream(conn, scope: scope, period: p, asOf: asOf, body: body)
                }
            }
            #expect(SecureFiles.mode(of: out) == 0o700)
            #expect(SecureFiles.mode(of: out + "/counties/110105") == 0o700)
            for p in written { #expect(SecureFiles.mode(of: p) == 0o600) }
            let priority = try String(contentsOfFile: out + "/counties/110229/priority.csv", encoding: .utf8)
            #expect(priority.contains(Self.e) && !priority.contains(Self.a))
            let services = try String(contentsOfFile: out + "/services.csv", encoding: .utf8).split(separator: "\r\n")  // CSV for people: CRLF
            #expect(services.count == 1 + 2 + 10 + 1)   // header, A (2 5), D (1–A), E (1)
            #expect(!(try String(contentsOfFile: out + "/priority.csv", encoding: .utf8)).contains("13800000001"))
            if json {
                let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/stats.json"))) as! [String: Any]
                #expect((doc["stats"] as! [String: Any])["total"] as? Int == 6)
                let list = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/followup.json"))) as! [[String: Any]]
                #expect(list.map { $0["citizenID"] as? String } == [Self.a, Self.e])
            } else {
                let education = try String(contentsOfFile: out + "/education.csv", encoding: .utf8)
                #expect(education.contains("3,大学本科,3,0.5000"))
                #expect(FileManager.default.fileExists(atPath: out + "/worklist_counts.csv"))
            }
        }
    }
}
