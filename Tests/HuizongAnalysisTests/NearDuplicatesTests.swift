import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// Near-duplicate candidates (issue 13 item 6, docs/near-duplicates.md) on generated data: a
/// background of graduates whose (name, birth date, school, major) are distinct by construction,
/// with planted twins that must be found and planted look-alikes that must not. Expected groups
/// come from the planting itself and from a deliberately simple reference matcher written here.
@Suite struct NearDuplicatesTests {
    static let counties = ["110105", "110108", "130102", "130104"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平")
    static let schools = ["北京大学", "清华大学", "河北大学", "燕山大学", "中国人民大学"]
    static let majors = ["法学", "会计学", "英语", "机械工程", "临床医学"]

    /// An 18-digit ID (check digit computed) of a region, birth date `yyyymmdd` and sequence.
    static func id(_ region: String, _ birth: String, _ seq: Int) -> String {
        citizenID(region + birth + String(format: "%03d", seq))
    }

    struct Planted {
        var persons: [(county: String, person: Person)] = []
        /// The ID sets that must come out as groups.
        var twins: [Set<String>] = []
        /// How many look-alike rows were planted.
        var lookAlikes = 0
    }

    /// Background + planted rows. `seed` makes the background.
    static func generate(background: Int, seed: UInt64) -> Planted {
        var rng = SplitMix(seed)
        var out = Planted()
        var keys = Set<String>(), ids = Set<String>()
        while out.persons.count < background {
            let name = String(surnames[rng.next(surnames.count)]) + String(given[rng.next(given.count)])
                + (rng.next(2) == 0 ? "" : String(given[rng.next(given.count)]))
            let birth = "19\(88 + rng.next(4))" + String(format: "%02d%02d", 1 + rng.next(12), 1 + rng.next(28))
            let school = schools[rng.next(schools.count)], major = majors[rng.next(majors.count)]
            let county = counties[rng.next(counties.count)]
            let pid = id(county, birth, rng.next(1000))
            // Distinct by construction: no background pair may share the key or the ID.
            guard keys.insert("\(name)|\(birth)|\(school)|\(major)").inserted, ids.insert(pid).inserted else { continue }
            out.persons.append((county, Person(id: pid, name: name, school: school, major: major, unit: county)))
        }
        func plant(_ rows: [(String, String, String, String, String)], twin: Bool) {
            // (county, id, name, school, major)
            for r in rows { out.persons.append((r.0, Person(id: r.1, name: r.2, school: r.3, major: r.4, unit: r.0))) }
            if twin { out.twins.append(Set(rows.map(\.1))) } else { out.lookAlikes += rows.count }
        }
        // Twins.
        // 1. A mistyped ID (sequence 123 keyed as 132, the check digit still right), two desks of one county.
        plant([("110105", id("110105", "19900315", 123), "司马懿", "北京大学", "法学"),
               ("110105", id("110105", "19900315", 132), "司马懿", "北京大学", "法学")], twin: true)
        // 2. An old 15-digit number (region 130103 before a merger, upgraded: 19 inserted, check
        //    digit computed) beside the new 18-digit one.
        plant([("130102", id("130102", "19910720", 456), "诸葛亮", "河北大学", "会计学"),
               ("130104", citizenID("130103" + "19" + "910720" + "457"), "诸葛亮", "河北大学", "会计学")], twin: true)
        // 3. Two provinces.
        plant([("110108", id("110108", "19891102", 211), "欧阳娜娜", "燕山大学", "英语"),
               ("130104", id("130104", "19891102", 388), "欧阳娜娜", "燕山大学", "英语")], twin: true)
        // 4. Spaces and full-width forms: 王 伟 / 王伟, （华东） / (华东).
        plant([("110105", id("110105", "19900101", 501), "上官 婉儿", "中国石油大学（华东）", "计算机科学与技术"),
               ("130102", id("130102", "19900101", 602), "上官婉儿", "中国石油大学(华东)", "计算机科学与技术")], twin: true)
        // 5. Middle dots of a minority name, and three IDs for one person.
        plant([("110108", id("110108", "19920209", 11), "阿依古丽·买买提", "中国人民大学", "临床医学"),
               ("110108", id("110108", "19920209", 12), "阿依古丽•买买提", "中国人民大学", "临床医学"),
               ("130102", id("130102", "19920209", 13), "阿依古丽・买买提", "中国人民大学", "临床医学")], twin: true)
        // Look-alikes.
        // a. same name, birth date and major, another school
        plant([("110105", id("110105", "19900606", 71), "东方朔", "北京大学", "法学"),
               ("110108", id("110108", "19900606", 72), "东方朔", "清华大学", "法学")], twin: false)
        // b. same name, school and major, another birth date
        plant([("130102", id("130102", "19900606", 73), "皇甫嵩", "河北大学", "英语"),
               ("130104", id("130104", "19900607", 74), "皇甫嵩", "河北大学", "英语")], twin: false)
        // c. same name, birth date and school, another major
        plant([("110105", id("110105", "19910101", 75), "慕容复", "燕山大学", "法学"),
               ("110105", id("110105", "19910101", 76), "慕容复", "燕山大学", "会计学")], twin: false)
        // d. the same person with the same ID in two counties' files: a normal dedup, no candidate
        let same = id("110105", "19900808", 77)
        plant([("110105", same, "令狐冲", "北京大学", "法学"), ("110108", same, "令狐冲", "北京大学", "法学")], twin: false)
        return out
    }

    /// The reference: every pair of rows compared with plain String operations, pairs joined
    /// into groups by a union-find; a group needs two different IDs.
    static func referenceGroups(_ rows: [Person]) -> [Set<String>] {
        func clean(_ s: String) -> String {
            var t = s.filter { !$0.isWhitespace }
            for (a, b) in [("（", "("), ("）", ")"), ("•", "·"), ("・", "·")] { t = t.replacingOccurrences(of: a, with: b) }
            return t
        }
        func birth(_ id: String) -> String { String(Array(id)[6..<14]) }
        let values = rows.map { [clean($0.name), birth($0.id), clean($0.school), clean($0.major)] }
        var parent = Array(rows.indices)
        func find(_ i: Int) -> Int { parent[i] == i ? i : find(parent[i]) }
        for i in rows.indices {
            for j in rows.indices where j > i && rows[i].id != rows[j].id && values[i] == values[j] {
                parent[find(j)] = find(i)
            }
        }
        var groups: [Int: Set<String>] = [:]
        for i in rows.indices { groups[find(i), default: []].insert(rows[i].id) }
        return groups.values.filter { $0.count >= 2 }
    }

    /// Four county submissions loaded side by side (no province above them), so the same ID
    /// can sit in two of them.
    static func database(_ dir: String, _ planted: Planted) throws -> NationalDatabase {
        let db = try NationalDatabase(path: dir + "/n.db")
        let loader = SubmissionLoader(database: db)
        for county in counties {
            let persons = planted.persons.filter { $0.county == county }.map(\.person)
            _ = try loader.load(try writeSubmission(in: dir, unit: county, period: "2012-09", persons: persons, level: "county"))
        }
        return db
    }

    static func compute(_ db: NationalDatabase, unit: String) throws -> NearDuplicates {
        try db.analyse { conn in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(conn, config: nil))
            return try NearDuplicates.compute(conn, scope: scope, period: Period("2012-09")!)
        }
    }

    @Test func plantedTwinsFoundLookAlikesNot() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let planted = Self.generate(background: 2_000, seed: 13)
        let db = try Self.database(dir, planted)
        let nd = try Self.compute(db, unit: "000000")
        let found = Set(nd.groups.map { Set($0.members.map(\.row.citizenID)) })
        let reference = Set(Self.referenceGroups(planted.persons.map(\.person)))
        let plantedSet = Set(planted.twins)
        let hits = plantedSet.intersection(found).count, falsePositives = found.subtracting(plantedSet).count
        print("near-duplicates: \(planted.persons.count) rows, found \(hits)/\(plantedSet.count) planted groups, "
              + "\(falsePositives) false positives, \(planted.lookAlikes) look-alike rows planted, reference \(reference.count) groups")
        #expect(plantedSet.count == 5)
        #expect(reference == plantedSet)  // the reference agrees with the planting
        #expect(found == plantedSet)      // every twin found, nothing else
        #expect(nd.candidateIDs == 11)
        let dots = try #require(nd.groups.first { $0.members.count == 3 })
        #expect(dots.name == "阿依古丽·买买提" && dots.birthDate == "1992-02-09")
        let wide = try #require(nd.groups.first { $0.school.hasPrefix("中国石油大学") })
        #expect(wide.name == "上官婉儿" && wide.school == "中国石油大学(华东)")
    }

    @Test func aUnitSeesTheGroupsItsGraduatesAreInWithOthersMasked() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let planted = Self.generate(background: 200, seed: 7)
        let db = try Self.database(dir, planted)
        // 110105 holds members of twins 1 and 4; 4's other member is in 130102.
        let nd = try Self.compute(db, unit: "110105")
        #expect(nd.groups.count == 2)
        let cross = try #require(nd.groups.first { $0.name == "上官婉儿" })
        #expect(cross.members.map(\.inScope) == [true, false])
        let rows = nd.tableRows(maskAll: false)
        #expect(rows.count == 4 && rows.allSatisfy { $0.count == NearDuplicates.columns.count })
        let outside = try #require(rows.first { $0[13] == "否" })
        #expect(outside[6] == IDMask.mask(Self.id("130102", "19900101", 602)) && outside[10] == "130102")
        #expect(rows.filter { $0[13] == "是" }.allSatisfy { $0[6].count == 18 && !$0[6].contains("*") })
        #expect(nd.tableRows(maskAll: true).allSatisfy { $0[6].contains("*") })
        // A province sees its own groups and the cross-province one.
        #expect(try Self.compute(db, unit: "130000").groups.count == 4)
        // The report reads the rows once for the whole tree and scopes the result to each county:
        // the same as reading them for that county.
        let whole = try Self.compute(db, unit: "000000")
        let directory = try db.analyse { try AnalysisScope.directory($0, config: nil) }
        for unit in ["110105", "130102", "130000"] {
            #expect(whole.scoped(to: unit, directory: directory) == (try Self.compute(db, unit: unit)))
        }
    }

    @Test func auditReportShowsCountAndMaskedGroups() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let planted = Self.generate(background: 100, seed: 3)
        let db = try Self.database(dir, planted)
        let w = try ReportWriter.write(database: db, unit: "000000", period: Period("2012-09")!, config: nil, to: dir + "/r")
        let html = try String(contentsOfFile: w.audit, encoding: .utf8)
        let start = try #require(html.range(of: "<section id=\"near-duplicates\">"))
        let section = String(html[start.lowerBound...]).components(separatedBy: "</section>")[0]
        #expect(section.contains("疑似重复登记 Near-duplicate candidates"))
        #expect(section.contains("疑似组数 groups</div><div class=\"v\">5</div>"))
        #expect(section.contains("涉及号码 IDs</div><div class=\"v\">11</div>"))
        for twin in planted.twins {
            for id in twin {
                #expect(!html.contains(id))
                #expect(html.contains(IDMask.mask(id)))
            }
        }
    }

    @Test func birthDatesFromBothIDLengths() {
        func b(_ s: String) -> String? { NearDuplicates.birthDate(ofID: Array(s.utf8)).map { String(decoding: $0, as: UTF8.self) } }
        #expect(b("13010319910720457X") == "19910720")
        #expect(b("130103910720457") == "19910720")        // 15 digits: 19 in front
        #expect(b("１３０１０３９１０７２０４５７") == "19910720")  // full-width digits
        #expect(b("110105199002300011") == nil)             // 30 February
        #expect(b("11010519900230001") == nil)              // 17 characters
        #expect(b("1101051990023000X1") == nil)             // X only last
    }

    @Test func normalisation() {
        #expect(NearDuplicates.Normalise.string(" 王　伟 ") == "王伟")
        #expect(NearDuplicates.Normalise.string("中国石油大学（华东）") == "中国石油大学(华东)")
        #expect(NearDuplicates.Normalise.string("ＩＴ与Ｃ＋＋") == "it与c++")
        #expect(NearDuplicates.Normalise.string("阿依古丽.买买提") == NearDuplicates.Normalise.string("阿依古丽·买买提"))
        #expect(NearDuplicates.Normalise.string("阿依古丽・买买提") == "阿依古丽·买买提")
        #expect(NearDuplicates.Normalise.string("王伟") != NearDuplicates.Normalise.string("王玮"))
    }
}

/// A small fixed-seed generator (SplitMix64), so the generated data is the same every run.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
