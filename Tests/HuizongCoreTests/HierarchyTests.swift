import Foundation
import Testing
import HuizongTestSupport

// The hierarchy with `--config pipeline.json` (SPEC 2, 3.2–3.4, 4, 6): county runs shipped to the
// city, checks on children's files, completeness and timeliness, carrying rows across months,
// reports rolling up, config errors, and two months through all four levels checked against a
// deliberately simple merge written here.

/// People of one county: IDs of that county's region, 入学前户口所在地 there too.
func people(_ county: String, _ range: Range<Int>, time: String = "2012-09-01 10:00:00") -> [Person] {
    range.map { Person.number($0, region: county, time: time) }
}

/// The raw report lines (after the header) of a unit's outputs.
func rawReportLines(_ out: RunOutputs) -> [String] { out.reportRawLines }

@Suite struct HierarchyTests {
    static let p08 = "2012-08", p09 = "2012-09"
    static let asOf08 = "2012-09-04T12:00:00+08:00"
    static let onTime08 = chinaEpoch(2012, 9, 3, 12)

    /// Three counties of 110100 with a few people each (and one finding each), shipped on time.
    func threeCounties(_ pipe: Pipeline, period: String = p09) throws -> [String: [Person]] {
        var c105 = people("110105", 0..<3)
        c105[1].needs = ""                               // NEEDS_MISSING flag: re-raised above
        var bad = Person.number(3, region: "110105")
        bad.edu = "9"                                    // EDU_INVALID at the county only
        var c108 = people("110108", 10..<12)
        c108[0].hukou = "110108"
        let c112 = people("110112", 20..<22)
        pipe.batch("110105", period, "desk.csv", c105 + [bad])
        for (code, ps) in [("110105", [Person]()), ("110108", c108), ("110112", c112)] {
            if code != "110105" { pipe.batch(code, period, "desk.csv", ps) }
            let r = try pipe.run(code, period)
            #expect(r.status == 0, "\(code): \(r.stderr)")
            pipe.ship(code, period)
        }
        return ["110105": c105, "110108": c108, "110112": c112]
    }

    // MARK: a city on its counties' shipped outputs

    @Test func countiesThenTheCityOnShippedOutputs() throws {
        let pipe = Pipeline()
        let byCounty = try threeCounties(pipe)
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", Self.p09)
        // The merged set: every county's people, with 登记单位 = their county, sorted by ID.
        let expected = byCounty.flatMap { code, ps in ps.map { ($0.id, $0.canonicalLine(county: code)) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
        #expect(city.canonicalLines == expected)
        #expect(city.manifest["level"] as? String == "city")
        #expect(city.manifest["unitName"] as? String == "北京市市辖区")
        #expect(city.children == ["expected": ["110105", "110108", "110112"], "received": ["110105", "110108", "110112"],
                                  "missing": [], "late": [], "rejected": []])
        for code in ["110105", "110108", "110112"] {
            let entry = city.input("\(code)-2012-09.csv.gz")
            #expect(entry?["from"] as? String == code)
            #expect(entry?["status"] as? String == "read")
            #expect(entry?["sha256"] as? String == sha256Hex(pipe.dir.url("data/110100/inbox/2012-09/\(code)-2012-09.csv.gz")))
        }
        // Children's report rows carried up unchanged (their 发现单位 stays theirs).
        var cityLines = city.reportRawLines
        for code in ["110105", "110108", "110112"] {
            for line in try pipe.outputs(code, Self.p09).reportRawLines {
                guard let i = cityLines.firstIndex(of: line) else {
                    Issue.record("\(code)'s report row is not in the city's report unchanged: \(line)")
                    continue
                }
                cityLines.remove(at: i)
            }
        }
        // What is left is the city's own: re-validation raises the NEEDS_MISSING flag again.
        let own = cityLines.map(parseCSVLine)
        #expect(own.allSatisfy { $0[0] == "110100" })
        #expect(own.map { "\($0[1]):\($0[2]):\($0[7])" } == ["110105:110105-2012-09.csv.gz:NEEDS_MISSING"])
        #expect(city.report.contains { $0["发现单位"] == "110105" && $0["规则"] == "EDU_INVALID" })
        let acc = city.accounting
        #expect(acc["linesRead"] == 7 && acc["merged"] == 7 && acc["outputRows"] == 7 && acc["rejected"] == 0)
    }

    /// The children's reports are read again on the worker threads and written in child order:
    /// one thread or two, the city's report (and every other output) is the same, byte for byte.
    @Test func theChildrensReportsRollUpTheSameOnOneThreadOrTwo() throws {
        let pipe = Pipeline()
        _ = try threeCounties(pipe)
        var reports: [[String]] = [], summaries: [[String]] = [], manifests: [[String: Any]] = []
        for threads in ["1", "2"] {
            let r = try pipe.run("110100", Self.p09, env: ["HUIZONG_THREADS": threads])
            #expect(r.status == 0, "\(r.stderr)")
            let city = try pipe.outputs("110100", Self.p09)
            reports.append(city.reportRawLines)
            summaries.append(city.canonicalLines)
            manifests.append(city.manifest)
        }
        #expect(reports[0] == reports[1])
        #expect(summaries[0] == summaries[1])
        #expect((manifests[0]["outputs"] as? NSDictionary) == (manifests[1]["outputs"] as? NSDictionary))
        #expect((manifests[0]["findings"] as? NSDictionary) == (manifests[1]["findings"] as? NSDictionary))
        // Every county's rows are carried unchanged, in child order.
        let finders = reports[0].map { parseCSVLine($0)[0] }.filter { $0 != "110100" }
        #expect(finders == finders.sorted(), "children's rows out of child order")
        var carried: [String] = []
        for code in ["110105", "110108", "110112"] { carried += try pipe.outputs(code, Self.p09).reportRawLines }
        #expect(reports[0].filter { parseCSVLine($0)[0] != "110100" } == carried, "the counties' rows, unchanged, in child order")
    }

    // MARK: checks on children's files

    @Test func aFileFromAUnitThatIsNotAChildIsRejectedWhole() throws {
        let pipe = Pipeline()
        let byCounty = try threeCounties(pipe)
        // A county of another province, shipped into 110100's inbox.
        try pipe.county("120101", Self.p09, people("120101", 30..<32), ship: false)
        for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
            let name = "120101-2012-09" + suffix
            try FileManager.default.copyItem(atPath: pipe.dir.url("data/120101/outbox/2012-09/" + name),
                                             toPath: pipe.dir.url("data/110100/inbox/2012-09/" + name))
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2)
        let city = try pipe.outputs("110100", Self.p09)
        #expect(lineRules(city, "120101-2012-09.csv.gz") == [":FILE_FOREIGN_SENDER"])
        #expect(city.input("120101-2012-09.csv.gz")?["status"] as? String == "rejected")
        #expect(Set(city.ids) == Set(byCounty.values.flatMap { $0.map(\.id) }))
        #expect(!city.report.contains { $0["发现单位"] == "120101" })

        // A grandchild sending straight to the province is not its child either.
        for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
            try FileManager.default.removeItem(atPath: pipe.dir.url("data/110100/inbox/2012-09/120101-2012-09" + suffix))
        }
        #expect(try pipe.run("110100", Self.p09).status == 0)
        pipe.ship("110100", Self.p09)
        for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
            let name = "110105-2012-09" + suffix
            try FileManager.default.copyItem(atPath: pipe.dir.url("data/110105/outbox/2012-09/" + name),
                                             toPath: pipe.dir.url("data/110000/inbox/2012-09/" + name))
        }
        #expect(try pipe.run("110000", Self.p09).status == 2)
        let province = try pipe.outputs("110000", Self.p09)
        #expect(lineRules(province, "110105-2012-09.csv.gz", finder: "110000") == [":FILE_FOREIGN_SENDER"])
        #expect(province.input("110100-2012-09.csv.gz")?["status"] as? String == "read")
        #expect(province.rows.count == 7)
    }

    @Test func aDataFileWithoutItsManifestIsRejectedWhole() throws {
        let pipe = Pipeline()
        let byCounty = try threeCounties(pipe)
        try FileManager.default.removeItem(atPath: pipe.dir.url("data/110100/inbox/2012-09/110108-2012-09.manifest.json"))
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2)
        let city = try pipe.outputs("110100", Self.p09)
        #expect(lineRules(city, "110108-2012-09.csv.gz") == [":FILE_NO_MANIFEST"])
        #expect(Set(city.ids) == Set((byCounty["110105"]! + byCounty["110112"]!).map(\.id)))
        #expect(city.children["rejected"] == ["110108"])
        #expect(city.children["missing"] == [])
        // Its report is left out too.
        #expect(!city.report.contains { $0["发现单位"] == "110108" })
    }

    @Test(arguments: ["sha256", "rows", "period", "no-discrepancies", "discrepancies-changed", "recompressed", "other-unit-in-manifest"])
    func aFileThatDoesNotMatchItsManifestIsRejectedWhole(tamper: String) throws {
        let pipe = Pipeline()
        let byCounty = try threeCounties(pipe)
        let inbox = pipe.dir.url("data/110100/inbox/2012-09/")
        let manifest = inbox + "110108-2012-09.manifest.json"
        var expectedRule = "FILE_MANIFEST_MISMATCH"
        switch tamper {
        case "sha256":
            editJSON(manifest) { m in
                var o = m["outputs"] as! [String: Any]; var s = o["summary"] as! [String: Any]
                s["sha256"] = String(repeating: "0", count: 64); o["summary"] = s; m["outputs"] = o
            }
        case "rows":
            editJSON(manifest) { m in
                var o = m["outputs"] as! [String: Any]; var s = o["summary"] as! [String: Any]
                s["rows"] = (s["rows"] as! Int) + 1; o["summary"] = s; m["outputs"] = o
            }
        case "period":
            editJSON(manifest) { m in m["period"] = "2012-08" }
        case "no-discrepancies":
            try FileManager.default.removeItem(atPath: inbox + "110108-2012-09.discrepancies.csv.gz")
        case "discrepancies-changed":
            let path = inbox + "110108-2012-09.discrepancies.csv.gz"
            let text = try gunzip(path) + Array("110108,110108,desk.csv,9,,,,NO_PHONE,flag,x,\n".utf8)
            _ = FileManager.default.createFile(atPath: path, contents: Data(gzipMember(text)))
        case "recompressed":
            // The same rows, other bytes: the sha256 no longer matches.
            let path = inbox + "110108-2012-09.csv.gz"
            let text = try gunzip(path)
            _ = FileManager.default.createFile(atPath: path, contents: Data(gzipMember(text, level: 1)))
            setMTime(path, Pipeline.onTime)
            #expect(try gunzip(path) == text)
        default:
            // The manifest says another unit sent it.
            editJSON(manifest) { m in m["unit"] = "120101" }
            expectedRule = "FILE_FOREIGN_SENDER"
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2, "\(tamper)")
        let city = try pipe.outputs("110100", Self.p09)
        #expect(lineRules(city, "110108-2012-09.csv.gz") == [":" + expectedRule], "\(tamper)")
        #expect(city.input("110108-2012-09.csv.gz")?["status"] as? String == "rejected")
        #expect(Set(city.ids) == Set((byCounty["110105"]! + byCounty["110112"]!).map(\.id)))
        #expect(!city.report.contains { $0["发现单位"] == "110108" })
    }

    @Test func aRowOfAnotherUnitIsUnitForeign() throws {
        let pipe = Pipeline()
        let byCounty = try threeCounties(pipe)
        // 110105 "reports" a person registered by its sibling 110108 and one by 120101.
        let inbox = pipe.dir.url("data/110100/inbox/2012-09/")
        let data = inbox + "110105-2012-09.csv.gz"
        var lines = String(decoding: try gunzip(data), as: UTF8.self).split(separator: "\n").map(String.init)
        var sibling = Person.number(50, region: "110108", time: "2012-09-02 10:00:00")
        sibling.unit = "110108"
        var other = Person.number(51, region: "120101", time: "2012-09-02 10:00:00")
        other.unit = "120101"
        var own = Person.number(52, region: "110105", time: "2012-09-02 10:00:00")
        own.unit = "110105"
        let n = lines.count
        for (i, p) in [sibling, other, own].enumerated() {
            var q = p
            q.serial = String(n + i)
            q.time = canonicalTime(q.time)
            lines.append(q.line())
        }
        let bytes = gzipMember(Array((lines.joined(separator: "\n") + "\n").utf8))
        _ = FileManager.default.createFile(atPath: data, contents: Data(bytes))
        setMTime(data, Pipeline.onTime)
        editJSON(inbox + "110105-2012-09.manifest.json") { m in
            var o = m["outputs"] as! [String: Any]; var s = o["summary"] as! [String: Any]
            s["sha256"] = sha256Hex(data); s["rows"] = (s["rows"] as! Int) + 3; o["summary"] = s; m["outputs"] = o
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", Self.p09)
        let foreign = city.findings("UNIT_FOREIGN")
        #expect(foreign.map { "\($0["来源文件"]!):\($0["行号"]!):\($0["字段"]!):\($0["级别"]!)" }.sorted()
                == ["110105-2012-09.csv.gz:\(n + 1):登记单位:reject", "110105-2012-09.csv.gz:\(n + 2):登记单位:reject"])
        #expect(Set(city.ids) == Set(byCounty.values.flatMap { $0.map(\.id) } + [own.id]))
        #expect(counts(city.input("110105-2012-09.csv.gz"))["rejected"] == 2)
    }

    // MARK: completeness and timeliness

    @Test func aMissingChildIsFlaggedAndExits2WithOutputsWritten() throws {
        let pipe = Pipeline()
        try pipe.county("110105", Self.p09, people("110105", 0..<2))
        try pipe.county("110108", Self.p09, people("110108", 10..<13))
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2)
        let city = try pipe.outputs("110100", Self.p09)
        #expect(city.rows.count == 5)
        #expect(city.children["missing"] == ["110112"])
        #expect(city.children["received"] == ["110105", "110108"])
        let missing = city.findings("CHILD_MISSING")
        #expect(missing.count == 1)
        #expect(missing.first?["发现单位"] == "110100" && missing.first?["来源单位"] == "110112")
        #expect(missing.first?["来源文件"] == "" && missing.first?["行号"] == "" && missing.first?["级别"] == "flag")
    }

    @Test func aLateChildIsFlaggedFromItsFilesModificationTime() throws {
        let pipe = Pipeline()
        for (code, n) in [("110105", 0), ("110108", 10), ("110112", 20)] {
            try pipe.county(code, Self.p09, people(code, n..<(n + 2)), ship: false)
        }
        // deadlineDay 5: the end of 2012-10-05, China time.
        pipe.ship("110105", Self.p09, mtime: chinaEpoch(2012, 10, 5, 23, 59, 59))    // on time
        pipe.ship("110108", Self.p09, mtime: chinaEpoch(2012, 10, 6, 0, 0, 1))       // late
        pipe.ship("110112", Self.p09, mtime: chinaEpoch(2012, 10, 1, 8))             // on time
        let r = try pipe.run("110100", Self.p09, asOf: "2012-10-08T12:00:00+08:00")
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", Self.p09)
        #expect(city.children["late"] == ["110108"])
        let late = city.findings("CHILD_LATE")
        #expect(late.map { $0["来源单位"] ?? "" } == ["110108"])
        #expect(late.first?["级别"] == "flag" && late.first?["发现单位"] == "110100")
        #expect(city.rows.count == 6)  // a late file is still merged
    }

    @Test func deadlineDayByLevel() throws {
        // Counties by the 2nd, cities by the 3rd; provinces are left out (5).
        let pipe = Pipeline(deadlineDay: "{\"county\": 2, \"city\": 3}")
        for (code, n) in [("110105", 0), ("110108", 10), ("110112", 20)] {
            try pipe.county(code, Self.p09, people(code, n..<(n + 1)), ship: false)
        }
        pipe.ship("110105", Self.p09, mtime: chinaEpoch(2012, 10, 2, 23, 0))   // on time
        pipe.ship("110108", Self.p09, mtime: chinaEpoch(2012, 10, 3, 1, 0))    // late for a county
        pipe.ship("110112", Self.p09, mtime: chinaEpoch(2012, 10, 4, 9, 0))    // late for a county
        #expect(try pipe.run("110100", Self.p09, asOf: "2012-10-08").status == 0)
        #expect(try pipe.outputs("110100", Self.p09).children["late"] == ["110108", "110112"])
        pipe.ship("110100", Self.p09, mtime: chinaEpoch(2012, 10, 3, 23, 0))   // on time for a city
        #expect(try pipe.run("110000", Self.p09, asOf: "2012-10-08").status == 0)
        #expect(try pipe.outputs("110000", Self.p09).children["late"] == [])
        pipe.ship("110000", Self.p09, mtime: chinaEpoch(2012, 10, 5, 22, 0))   // provinces use 5: on time
        _ = try pipe.run("000000", Self.p09, asOf: "2012-10-08")
        #expect(try pipe.outputs("000000", Self.p09).children["late"] == [])
        pipe.ship("110000", Self.p09, mtime: chinaEpoch(2012, 10, 6, 0, 30))   // late
        _ = try pipe.run("000000", Self.p09, asOf: "2012-10-08")
        #expect(try pipe.outputs("000000", Self.p09).children["late"] == ["110000"])

        // The same county file times against a single deadlineDay 5: nobody is late.
        let plain = Pipeline(deadlineDay: "5")
        for (code, n) in [("110105", 0), ("110108", 10), ("110112", 20)] {
            try plain.county(code, Self.p09, people(code, n..<(n + 1)), ship: false)
            plain.ship(code, Self.p09, mtime: chinaEpoch(2012, 10, 4, 9, 0))
        }
        #expect(try plain.run("110100", Self.p09, asOf: "2012-10-08").status == 0)
        #expect(try plain.outputs("110100", Self.p09).children["late"] == [])
    }

    // MARK: across months

    /// August: three counties shipped, the city run. Returns the counties' people.
    func august(_ pipe: Pipeline) throws -> [String: [Person]] {
        var byCounty: [String: [Person]] = [:]
        for (code, n) in [("110105", 0), ("110108", 10), ("110112", 20)] {
            let ps = people(code, n..<(n + 3), time: "2012-08-10 10:00:00")
            byCounty[code] = ps
            try pipe.county(code, Self.p08, ps, asOf: Self.asOf08, ship: false)
            pipe.ship(code, Self.p08, mtime: Self.onTime08)
        }
        let r = try pipe.run("110100", Self.p08, asOf: Self.asOf08)
        #expect(r.status == 0, "\(r.stderr)")
        return byCounty
    }

    @Test func anIDDroppedByAChildIsCarriedForwardAsVanished() throws {
        let pipe = Pipeline()
        let aug = try august(pipe)
        let dropped = aug["110105"]![1]
        // September: 110105's table lacks one person (its run here ignores its base table).
        var kept = aug["110105"]!
        kept.remove(at: 1)
        kept[0].time = "2012-09-10 10:00:00"
        kept[0].dest = "2"
        pipe.batch("110105", Self.p09, "desk.csv", kept)
        let c = try aggregate(["run", "--unit", "110105", "--period", Self.p09, "--out", "data/110105/outbox/2012-09",
                               "--as-of", defaultAsOf, "data/110105/inbox/2012-09/desk.csv"], cwd: pipe.dir.path)
        #expect(c.status == 0)
        pipe.ship("110105", Self.p09)
        for code in ["110108", "110112"] {   // no intake this month: their tables are their base tables
            #expect(try pipe.run(code, Self.p09).status == 0)
            pipe.ship(code, Self.p09)
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", Self.p09)
        let vanished = city.findings("VANISHED")
        #expect(vanished.count == 1)
        #expect(vanished.first?["公民身份号码"] == dropped.id && vanished.first?["级别"] == "flag")
        #expect(vanished.first?["行号"] == "" && vanished.first?["来源文件"] == "110100-2012-08.csv.gz")
        #expect(city.findings("STALE").isEmpty)
        #expect(city.accounting["carriedForward"] == 1)
        #expect(city.accounting["outputRows"] == city.accounting["merged"]! + 1)
        // The carried row is the person's August row, unchanged.
        #expect(city.canonicalLines.contains(dropped.canonicalLine(county: "110105")))
        #expect(city.rows.count == 9)
        #expect(city.times[kept[0].id] == "2012-09-10T10:00:00+08:00")
    }

    @Test(arguments: ["missing", "rejected"])
    func aMissingOrRejectedChildsRowsAreCarriedForwardAsStale(how: String) throws {
        let pipe = Pipeline()
        let aug = try august(pipe)
        for code in ["110105", "110112"] {
            #expect(try pipe.run(code, Self.p09).status == 0)
            pipe.ship(code, Self.p09)
        }
        if how == "rejected" {
            #expect(try pipe.run("110108", Self.p09).status == 0)
            pipe.ship("110108", Self.p09)
            try FileManager.default.removeItem(atPath: pipe.dir.url("data/110100/inbox/2012-09/110108-2012-09.manifest.json"))
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2)
        let city = try pipe.outputs("110100", Self.p09)
        let stale = city.findings("STALE")
        #expect(Set(stale.map { $0["公民身份号码"] ?? "" }) == Set(aug["110108"]!.map(\.id)))
        #expect(stale.allSatisfy { $0["级别"] == "flag" && $0["行号"] == "" && $0["来源文件"] == "110100-2012-08.csv.gz" })
        #expect(city.findings("VANISHED").isEmpty)
        #expect(city.accounting["carriedForward"] == 3)
        #expect(city.accounting["outputRows"] == city.accounting["merged"]! + 3)
        #expect(Set(city.ids) == Set(aug.values.flatMap { $0.map(\.id) }))
        #expect(city.findings(how == "missing" ? "CHILD_MISSING" : "FILE_NO_MANIFEST").count == 1)
    }

    @Test func aCountyReadsItsPreviousOutputAsTheBaseTable() throws {
        let pipe = Pipeline()
        var a = Person.number(1, region: "110105", time: "2012-08-10 10:00:00")
        let b = Person.number(2, region: "110105", time: "2012-08-11 10:00:00")
        #expect(a.id < b.id)
        try pipe.county("110105", Self.p08, [a, b], asOf: Self.asOf08, ship: false)
        // September's batch sorts before the base table's name, repeats b exactly (as its output
        // has it), and follows a up.
        a.time = "2012-09-12 10:00:00"
        a.dest = "4"
        let e = Person.number(3, region: "110105", time: "2012-09-13 10:00:00")
        var bAgain = b
        bAgain.unit = "110105"
        pipe.batch("110105", Self.p09, "000-first.csv", [bAgain, a, e])
        let r = try pipe.run("110105", Self.p09)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try pipe.outputs("110105", Self.p09)
        #expect(out.canonicalLines == expectedLines([a, b, e]))
        let base = out.inputs.first
        #expect(base?["file"] as? String == "110105-2012-08.csv.gz" && base?["from"] as? String == "110105")
        #expect(counts(base) == ["linesRead": 2, "blank": 0, "rejected": 0, "merged": 1, "superseded": 1, "duplicate": 0])
        #expect(counts(out.input("000-first.csv")) == ["linesRead": 3, "blank": 0, "rejected": 0, "merged": 2, "superseded": 0, "duplicate": 1])
        #expect(where_(out) == ["000-first.csv:2:DUPLICATE", "110105-2012-08.csv.gz:2:SUPERSEDED"])
    }

    // MARK: configuration errors

    struct BadConfig: Sendable, CustomTestStringConvertible {
        var label: String
        var units: [Pipeline.Unit]
        var layoutInbox = "data/{unit}/inbox/{period}"
        /// The message must name one of these.
        var mustName: [String]
        var testDescription: String { label }
    }

    static let badConfigs: [BadConfig] = {
        let u = Pipeline.defaultUnits
        func with(_ code: String, _ change: (inout Pipeline.Unit) -> Void) -> [Pipeline.Unit] {
            u.map { var x = $0; if x.code == code { change(&x) }; return x }
        }
        return [
            BadConfig(label: "cycle", units: with("110000") { $0.parent = "110100" }, mustName: ["110000", "110100"]),
            BadConfig(label: "unknown parent", units: with("110108") { $0.parent = "119900" }, mustName: ["110108"]),
            BadConfig(label: "duplicate code", units: u + [Pipeline.Unit(code: "110112", name: "通州", level: "county", parent: "110100")],
                      mustName: ["110112"]),
            BadConfig(label: "bad level", units: with("110112") { $0.level = "district" }, mustName: ["110112"]),
            BadConfig(label: "bad layout placeholder", units: u, layoutInbox: "data/{unit}/inbox/{month}", mustName: ["layout"]),
            BadConfig(label: "layout without unit", units: u, layoutInbox: "data/inbox/{period}", mustName: ["layout"]),
        ]
    }()

    @Test(arguments: badConfigs)
    func configurationErrorsExit1WriteNothingAndNameTheUnit(bad: BadConfig) throws {
        let pipe = Pipeline(units: bad.units)
        if bad.layoutInbox != "data/{unit}/inbox/{period}" {
            let text = String(decoding: pipe.dir.read("pipeline.json"), as: UTF8.self)
                .replacingOccurrences(of: "\"inbox\": \"data/{unit}/inbox/{period}\"", with: "\"inbox\": \"\(bad.layoutInbox)\"")
            pipe.dir.write("pipeline.json", text)
        }
        pipe.batch("110105", Self.p09, "desk.csv", people("110105", 0..<2))
        let before = pipe.dir.tree()
        for unit in ["110105", "110100"] {
            let r = try pipe.run(unit, Self.p09)
            #expect(r.status == 1, "\(bad.label): exit \(r.status)")
            #expect(bad.mustName.contains { r.stderr.contains($0) }, "\(bad.label): the message does not name \(bad.mustName): \(r.stderr)")
        }
        #expect(pipe.dir.tree() == before, "\(bad.label): something was written")
    }

    @Test func aUnitThatIsNotInTheConfigIsAUsageError() throws {
        let pipe = Pipeline()
        let before = pipe.dir.tree()
        let r = try pipe.run("130102", Self.p09)
        #expect(r.status == 1)
        #expect(r.stderr.contains("130102"))
        #expect(pipe.dir.tree() == before)
    }

    // MARK: two months, four levels, against a simple reference

    @Test func twoMonthsThroughFourLevelsMatchASimpleMerge() throws {
        let pipe = Pipeline()
        var rng = SplitMix64(seed: 42)
        let counties = ["110105", "110108", "110112", "120101"]
        // The reference: every accepted county row ever keyed in; per ID the latest wins.
        var accepted: [String: [(time: String, line: String)]] = [:]
        var n = 0
        var registered: [String: [Person]] = [:]
        let months = [(Self.p08, Self.asOf08, Self.onTime08, 8), (Self.p09, defaultAsOf, Pipeline.onTime, 9)]
        for (period, asOf, mtime, month) in months {
            for code in counties {
                var batch: [Person] = []
                // New registrations.
                for _ in 0..<(8 + Int(rng.next() % 5)) {
                    var p = Person.number(n, region: code, time: String(format: "2012-%02d-%02d %02d:00:00", month, 1 + Int(rng.next() % 28), Int(rng.next() % 24)))
                    n += 1
                    p.dest = ["", "", "1", "7"][Int(rng.next() % 4)]
                    batch.append(p)
                    registered[code, default: []].append(p)
                }
                if month == 9 {
                    // Follow-ups of August's people, and one re-sent unchanged.
                    for var p in registered[code]!.prefix(3) {
                        p.time = String(format: "2012-09-%02d 15:30:00", 1 + Int(rng.next() % 28))
                        p.dest = "3"
                        batch.append(p)
                    }
                    var again = registered[code]![4]
                    again.unit = code
                    batch.append(again)
                }
                for p in batch {
                    accepted[p.id, default: []].append((p.canonicalTimeValue, p.canonicalLine(county: code)))
                }
                // Some rejects and a blank line.
                var bad = Person.number(n, region: code)
                n += 1
                bad.hardship = "45"
                var text = summaryText(batch + [bad])
                text += ",,,\n"
                pipe.dir.write(pipe.inbox(code, period) + "/desk-\(month).csv", text)
            }
            // Run every level bottom-up, shipping each outbox to the parent's inbox.
            for level in [counties, ["110100", "120100"], ["110000", "120000"], ["000000"]] {
                for unit in level {
                    let r = try pipe.run(unit, period, asOf: asOf)
                    #expect(r.status == 0, "\(unit) \(period): exit \(r.status) \(r.stderr)")
                    let out = try pipe.outputs(unit, period)
                    let acc = out.accounting
                    #expect(acc["linesRead"] == acc["blank"]! + acc["rejected"]! + acc["merged"]! + acc["superseded"]! + acc["duplicate"]!,
                            "\(unit) \(period)")
                    #expect(acc["outputRows"] == acc["merged"]! + acc["carriedForward"]!, "\(unit) \(period)")
                    #expect(acc["outputRows"] == out.rows.count)
                    for entry in out.inputs {
                        let c = counts(entry)
                        #expect(c["linesRead"] == c["blank"]! + c["rejected"]! + c["merged"]! + c["superseded"]! + c["duplicate"]!)
                    }
                    if unit != "000000" { pipe.ship(unit, period, mtime: mtime) }
                }
            }
            // The ministry's merged set equals the simple merge of everything keyed in so far.
            let expected = accepted.map { id, rows in (id, rows.max { $0.time < $1.time }!.line) }.sorted { $0.0 < $1.0 }.map(\.1)
            let ministry = try pipe.outputs("000000", period)
            #expect(ministry.canonicalLines == expected, "ministry \(period)")
            #expect(ministry.children["received"] == ["110000", "120000"])
            // The national report carries the counties' findings.
            #expect(ministry.report.contains { $0["发现单位"] == "120101" && $0["规则"] == "HARDSHIP_INVALID" })
            #expect(ministry.report.contains { $0["发现单位"] == "110108" && $0["规则"] == "HARDSHIP_INVALID" })
        }
    }
}
