import Foundation
import Testing
import HuizongTestSupport

// SPEC 6, case by case, through `aggregate run` on small hand-written files. Expected winners and
// report rows are worked out here by hand (the conflict winner from canonical lines built in the
// test and compared byte-wise).

/// `file:line:rule` of the report rows of `rule` (all rules when nil), sorted.
func where_(_ out: RunOutputs, _ rule: String? = nil) -> [String] {
    out.report.filter { rule == nil || $0["规则"] == rule }
        .map { "\($0["来源文件"] ?? ""):\($0["行号"] ?? ""):\($0["规则"] ?? "")" }.sorted()
}

@Suite struct ReconcilerTests {
    let x = Person(IDs.make("110105", "19900808", 18), name: "刘洋", time: "2012-09-01 10:00:00")
    let y = Person(IDs.make("110105", "19910909", 27), name: "陈静", time: "2012-09-02 10:00:00")

    @Test func duplicatesCountTheFirstInFileLineOrderByBasename() throws {
        // b.csv is named first on the command line; a.csv still comes first (files by basename).
        let b = summaryText([x])                       // b.csv:2 = x
        let a = summaryText([y, x, x])                 // a.csv:2 = y, a.csv:3 = x, a.csv:4 = x
        let out = try require(try countyRun(texts: [("b.csv", b), ("a.csv", a)]), status: 0)
        #expect(where_(out) == ["a.csv:4:DUPLICATE", "b.csv:2:DUPLICATE"])
        #expect(out.findings("DUPLICATE").allSatisfy { $0["级别"] == "info" && $0["公民身份号码"] == x.id })
        #expect(counts(out.input("a.csv")) == ["linesRead": 3, "blank": 0, "rejected": 0, "merged": 2, "superseded": 0, "duplicate": 1])
        #expect(counts(out.input("b.csv")) == ["linesRead": 1, "blank": 0, "rejected": 0, "merged": 0, "superseded": 0, "duplicate": 1])
        #expect(out.canonicalLines == expectedLines([x, y]))
        // The manifest lists inputs in processing order.
        #expect(out.inputs.map { $0["file"] as? String ?? "" } == ["a.csv", "b.csv"])
    }

    @Test func reportRowsNameTheRightFileAfterAFileRejectedWhole() throws {
        // a.csv is rejected whole; the DUPLICATE in c.csv must still point at b.csv, and the
        // SUPERSEDED row at the winner in c.csv.
        var newer = y
        newer.time = "2012-09-20 10:00:00"
        let out = try require(try countyRun(texts: [("a.csv", ""), ("b.csv", summaryText([x, y])),
                                                    ("c.csv", summaryText([x, newer]))]), status: 2)
        #expect(where_(out) == ["a.csv::FILE_EMPTY", "b.csv:3:SUPERSEDED", "c.csv:2:DUPLICATE"])
        let dup = out.findings("DUPLICATE").first?["说明"] ?? ""
        #expect(dup.contains("b.csv") && dup.contains("2"), "说明: \(dup)")
        let sup = out.findings("SUPERSEDED").first?["说明"] ?? ""
        #expect(sup.contains("c.csv") && sup.contains("3"), "说明: \(sup)")
    }

    @Test func latestUpdateTimeWinsAndTheOthersAreSuperseded() throws {
        var newest = x
        newest.time = "2012-09-20 08:00:00"
        newest.dest = "4"
        var middle = x
        middle.time = "2012-09-10 08:00:00"
        middle.needs = "25"
        var oldest = x
        oldest.time = "2012-08-15 08:00:00"
        // The newest is in the first file, the oldest in the last.
        let out = try require(try countyRun(texts: [("1.csv", summaryText([newest])), ("2.csv", summaryText([y, middle])),
                                                    ("3.csv", summaryText([oldest]))]), status: 0)
        #expect(where_(out) == ["2.csv:3:SUPERSEDED", "3.csv:2:SUPERSEDED"])
        #expect(out.findings("SUPERSEDED").allSatisfy { $0["级别"] == "info" && $0["公民身份号码"] == x.id })
        #expect(out.canonicalLines == expectedLines([newest, y]))
        #expect(out.accounting["superseded"] == 2 && out.accounting["merged"] == 2)
        #expect(counts(out.input("2.csv"))["superseded"] == 1 && counts(out.input("2.csv"))["merged"] == 1)
    }

    @Test func theSameInstantInTwoNotationsIsTheSameContent() throws {
        var p = [x, x, x, x]
        p[0].time = "2012-09-01 10:00:00"
        p[1].time = "2012-09-01T02:00:00Z"
        p[2].time = "2012-09-01T10:00:00+08:00"
        p[3].time = "2012-09-01T04:00:00+02:00"
        let files = p.enumerated().map { ("n\($0.offset).csv", summaryText([$0.element])) }
        let out = try require(try countyRun(texts: files), status: 0)
        #expect(where_(out) == ["n1.csv:2:DUPLICATE", "n2.csv:2:DUPLICATE", "n3.csv:2:DUPLICATE"])
        #expect(out.findings("CONFLICT").isEmpty)
        #expect(out.canonicalLines == [x.canonicalLine()])
        #expect(out.rows.first?[19] == "2012-09-01T10:00:00+08:00")
    }

    /// Two versions of one person with the same 更新时间 that differ in one field.
    struct Variant: Sendable, CustomTestStringConvertible {
        var field: String, v1: String, v2: String
        var testDescription: String { "\(field): \(v1) | \(v2)" }
    }

    static let conflictVariants: [Variant] = [
        Variant(field: "school", v1: "北京大学", v2: "清华大学"),
        Variant(field: "school", v1: "北京大学,医学部", v2: "北京大学"),   // the quoted form starts with `"` (0x22)
        Variant(field: "dest", v1: "", v2: "1"),
        Variant(field: "major", v1: "法学", v2: "法学（双学位）"),
        Variant(field: "needs", v1: "2", v2: "12"),
    ]

    @Test(arguments: conflictVariants)
    func conflictGoesToTheByteWiseGreatestCanonicalLine(variant: Variant) throws {
        let field = variant.field, v1 = variant.v1, v2 = variant.v2
        func version(_ v: String) -> Person {
            var p = x
            switch field {
            case "school": p.school = v
            case "dest": p.dest = v
            case "major": p.major = v
            default: p.needs = v
            }
            return p
        }
        let p1 = version(v1), p2 = version(v2)
        // The reference: the two canonical lines built by hand, compared as bytes.
        let l1 = Array(p1.canonicalLine().utf8), l2 = Array(p2.canonicalLine().utf8)
        #expect(l1 != l2)
        let winner = l1.lexicographicallyPrecedes(l2) ? p2 : p1
        for order in [[("a.csv", p1), ("b.csv", p2)], [("a.csv", p2), ("b.csv", p1)]] {
            let out = try require(try countyRun(texts: order.map { ($0.0, summaryText([y, $0.1])) }), status: 0)
            let winnerFile = order.first { $0.1.canonicalLine() == winner.canonicalLine() }!.0
            let loserFile = winnerFile == "a.csv" ? "b.csv" : "a.csv"
            #expect(out.canonicalLines == expectedLines([winner, y]), "\(field): \(v1) vs \(v2)")
            #expect(where_(out, "CONFLICT") == ["\(winnerFile):3:CONFLICT"])
            #expect(out.findings("CONFLICT").first?["级别"] == "flag")
            #expect(where_(out, "SUPERSEDED") == ["\(loserFile):3:SUPERSEDED"])
            #expect(out.accounting["superseded"] == 1 && out.accounting["merged"] == 2)
        }
    }

    @Test func threeWayConflictAndAnOlderVersion() throws {
        var versions = ["中国人民大学", "北京大学", "清华大学"].map { s -> Person in
            var p = x
            p.time = "2012-09-15 09:00:00"
            p.school = s
            return p
        }
        var old = x
        old.time = "2012-09-01 09:00:00"
        old.school = "首都师范大学"   // would win the byte-wise tie-break, but is older
        versions.append(old)
        let winner = versions.dropLast().max { Array($0.canonicalLine().utf8).lexicographicallyPrecedes(Array($1.canonicalLine().utf8)) }!
        #expect(winner.school == "清华大学")
        let text = summaryText(versions)
        let out = try require(try countyRun(texts: [("v.csv", text)]), status: 0)
        #expect(out.canonicalLines == [winner.canonicalLine()])
        #expect(where_(out) == ["v.csv:2:SUPERSEDED", "v.csv:3:SUPERSEDED", "v.csv:4:CONFLICT", "v.csv:5:SUPERSEDED"])
    }

    @Test(arguments: [Variant(field: "姓名", v1: "王芳", v2: "王芳芳"), Variant(field: "民族", v1: "汉族", v2: "回族")])
    func identityMismatchIsFlaggedOnTheWinner(variant: Variant) throws {
        let field = variant.field, older = variant.v1, newer = variant.v2
        var a = x, b = x
        a.time = "2012-08-20 10:00:00"
        b.time = "2012-09-20 10:00:00"
        if field == "姓名" { a.name = older; b.name = newer } else { a.ethnic = older; b.ethnic = newer }
        let out = try require(try countyRun(texts: [("a.csv", summaryText([b])), ("b.csv", summaryText([y, a]))]), status: 0)
        let flags = out.findings("IDENTITY_MISMATCH")
        #expect(flags.count == 1)
        #expect(flags.first?["来源文件"] == "a.csv" && flags.first?["行号"] == "2")
        #expect(flags.first?["字段"] == field && flags.first?["级别"] == "flag")
        #expect(flags.first?["公民身份号码"] == x.id)
        #expect(out.canonicalLines == expectedLines([b, y]))
    }

    @Test func ethnicCodeAndNameAreTheSameIdentity() throws {
        // 民族 "01" is 汉族 in canonical form (SPEC 5): no IDENTITY_MISMATCH.
        var a = x, b = x
        a.ethnic = "01"
        a.time = "2012-08-20 10:00:00"
        b.time = "2012-09-20 10:00:00"
        let out = try require(try countyRun(texts: [("a.csv", summaryText([a, b]))]), status: 0)
        #expect(where_(out) == ["a.csv:2:SUPERSEDED"])
    }

    @Test func destinationEmptiedIsFlagged() throws {
        var a = x, b = x
        a.dest = "4"
        a.time = "2012-08-20 10:00:00"
        b.dest = ""
        b.time = "2012-09-20 10:00:00"
        let out = try require(try countyRun(texts: [("a.csv", summaryText([a, y, b]))]), status: 0)
        #expect(where_(out) == ["a.csv:2:SUPERSEDED", "a.csv:4:DEST_EMPTIED"])
        #expect(out.findings("DEST_EMPTIED").first?["字段"] == "就业去向")
        #expect(out.canonicalLines == expectedLines([b, y]))
        // The other way round (a destination filled in by the follow-up) is normal.
        var c = b
        c.dest = "7"
        c.time = "2012-09-25 10:00:00"
        let out2 = try require(try countyRun(texts: [("a.csv", summaryText([b, c]))]), status: 0)
        #expect(where_(out2) == ["a.csv:2:SUPERSEDED"])
    }

    @Test func aRejectedNewerRowNeverReplacesTheAcceptedOne() throws {
        var ok = x
        ok.time = "2012-09-01 10:00:00"
        var bad1 = x
        bad1.time = "2012-09-10 10:00:00"
        bad1.edu = "9"               // EDU_INVALID
        var bad2 = x
        bad2.time = "2012-09-20 10:00:00"
        bad2.workplace = "4"         // WORKPLACE_INVALID, the newest
        var olderBad = y
        olderBad.time = "2012-08-01 10:00:00"
        olderBad.hardship = "5"      // rejected but older than y's accepted row: no NEWEST_REJECTED
        let out = try require(try countyRun(texts: [("a.csv", summaryText([bad2, y])), ("b.csv", summaryText([ok, bad1, olderBad]))]), status: 0)
        #expect(out.canonicalLines == expectedLines([ok, y]))
        #expect(where_(out) == ["a.csv:2:NEWEST_REJECTED", "a.csv:2:WORKPLACE_INVALID", "b.csv:3:EDU_INVALID",
                                "b.csv:4:HARDSHIP_INVALID"])
        let nr = out.findings("NEWEST_REJECTED")
        #expect(nr.first?["级别"] == "info" && nr.first?["公民身份号码"] == x.id)
        #expect(counts(out.input("a.csv")) == ["linesRead": 2, "blank": 0, "rejected": 1, "merged": 1, "superseded": 0, "duplicate": 0])
        #expect(counts(out.input("b.csv")) == ["linesRead": 3, "blank": 0, "rejected": 2, "merged": 1, "superseded": 0, "duplicate": 0])
    }

    @Test func fifteenAndEighteenDigitFormsAreOnePerson() throws {
        let id15 = "110105900707123"   // 1990-07-07, sequence 123 (odd: 男)
        let id18 = IDs.upgrade(id15)
        #expect(id18 == IDs.make("110105", "19900707", 123))
        var legacy = Person(id15, name: "赵磊", time: "2012-09-01 10:00:00")
        var modern = legacy
        modern.id = id18
        #expect(legacy.sex == "男")
        // Same content once upgraded: one merged row, the other a DUPLICATE.
        let out = try require(try countyRun(texts: [("a.csv", summaryText([legacy])), ("b.csv", summaryText([modern]))]), status: 0)
        #expect(out.ids == [id18])
        #expect(where_(out) == ["a.csv:2:ID_UPGRADED_15", "b.csv:2:DUPLICATE"])
        #expect(out.findings("ID_UPGRADED_15").first?["原值"] == id15)
        #expect(out.findings("ID_UPGRADED_15").first?["公民身份号码"] == id18)
        // A later follow-up keyed with the 15-digit number supersedes the 18-digit row.
        legacy.time = "2012-09-15 10:00:00"
        legacy.dest = "2"
        let out2 = try require(try countyRun(texts: [("a.csv", summaryText([modern])), ("b.csv", summaryText([legacy]))]), status: 0)
        var expected = legacy
        expected.id = id18
        #expect(out2.canonicalLines == [expected.canonicalLine()])
        #expect(where_(out2) == ["a.csv:2:SUPERSEDED", "b.csv:2:ID_UPGRADED_15"])
    }

    @Test func lowercaseXIsTheSameID() throws {
        // Find a person whose check character is X.
        var n = 0
        var id = ""
        repeat { id = IDs.make("110105", "19900101", n); n += 1 } while !id.hasSuffix("X")
        var lower = Person(String(id.dropLast()) + "x", name: "孙悦")
        lower.sex = IDs.sex(id)
        var upper = lower
        upper.id = id
        let out = try require(try countyRun(texts: [("a.csv", summaryText([lower, upper]))]), status: 0)
        #expect(out.ids == [id])
        #expect(where_(out) == ["a.csv:3:DUPLICATE"])
    }

    @Test func multipleRegistrationAboveCounty() throws {
        // One person registered by two counties of the same city (each run is valid on its own).
        let pipe = Pipeline()
        var at105 = x
        at105.time = "2012-09-05 10:00:00"
        var at108 = x
        at108.time = "2012-09-12 10:00:00"
        at108.hukou = "110108"
        try pipe.county("110105", "2012-09", [at105, y])
        try pipe.county("110108", "2012-09", [at108])
        try pipe.county("110112", "2012-09", [])
        let r = try pipe.run("110100", "2012-09")
        #expect(r.status == 0, "\(r.stderr)")
        let out = try pipe.outputs("110100", "2012-09")
        let mr = out.findings("MULTIPLE_REGISTRATION").filter { $0["发现单位"] == "110100" }
        #expect(mr.count == 1)
        #expect(mr.first?["来源文件"] == "110108-2012-09.csv.gz" && mr.first?["行号"] == "2")
        #expect(mr.first?["字段"] == "登记单位" && mr.first?["级别"] == "flag")
        #expect(out.canonicalLines == [at108.canonicalLine(county: "110108"), y.canonicalLine()].sorted {
            parseCSVLine($0)[3] < parseCSVLine($1)[3]
        })
        // The county-level SUPERSEDED row is the city's own finding, on the 110105 line.
        #expect(out.report.contains { $0["发现单位"] == "110100" && $0["规则"] == "SUPERSEDED" && $0["来源文件"] == "110105-2012-09.csv.gz" })
    }
}
