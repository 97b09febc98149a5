import Foundation
import Testing
import HuizongTestSupport

// SPEC 8.5, "one child never stops the others" and "carried findings stay the child's": whatever
// is wrong with one child's submission rejects that child's data file and the parent's run goes
// on with the rest (exit 2); no path from a manifest is opened outside the inbox; report rows
// found by a unit that is neither the child nor under it are dropped with one REPORT_FOREIGN flag.
// Issue 9, item 3 and part of item 6: before the fix the city run exited 1 and wrote nothing.

@Suite struct ChildSubmissionTests {
    static let p09 = "2012-09"
    static let inboxRel = "data/110100/inbox/2012-09/"

    /// Two counties of 110100 run and shipped (110112 sends nothing: CHILD_MISSING as usual).
    func twoCounties(_ pipe: Pipeline) throws -> [String: [Person]] {
        var c105 = people("110105", 0..<3)
        c105[1].needs = ""  // a NEEDS_MISSING flag, so 110105's report has a row
        let c108 = people("110108", 10..<12)
        for (code, ps) in [("110105", c105), ("110108", c108)] {
            pipe.batch(code, Self.p09, "desk.csv", ps)
            let r = try pipe.run(code, Self.p09)
            #expect(r.status == 0, "\(code): \(r.stderr)")
            pipe.ship(code, Self.p09)
        }
        return ["110105": c105, "110108": c108]
    }

    /// The city run: exit 2, 110105's data file rejected whole with `rule`, 110108's rows merged.
    func expectOnlyTheChildRejected(_ pipe: Pipeline, _ byCounty: [String: [Person]], rule: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws -> RunOutputs {
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        let city = try pipe.outputs("110100", Self.p09)
        #expect(lineRules(city, "110105-2012-09.csv.gz") == [":" + rule], sourceLocation: sourceLocation)
        #expect(city.input("110105-2012-09.csv.gz")?["status"] as? String == "rejected", sourceLocation: sourceLocation)
        #expect(Set(city.ids) == Set(byCounty["110108"]!.map(\.id)), sourceLocation: sourceLocation)
        #expect(!city.report.contains { $0["发现单位"] == "110105" }, "a rejected child's report is not carried",
                sourceLocation: sourceLocation)
        return city
    }

    func setReportFile(_ manifest: String, _ name: String) {
        editJSON(manifest) { m in
            var o = m["outputs"] as! [String: Any]
            var d = o["discrepancies"] as! [String: Any]
            d["file"] = name
            o["discrepancies"] = d
            m["outputs"] = o
        }
    }

    @Test func aReportUnderAnotherNameRejectsOnlyThatChild() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        let inbox = pipe.dir.url(Self.inboxRel)
        try FileManager.default.moveItem(atPath: inbox + "110105-2012-09.discrepancies.csv.gz", toPath: inbox + "extra.csv.gz")
        setReportFile(inbox + "110105-2012-09.manifest.json", "extra.csv.gz")
        _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: "FILE_MANIFEST_MISMATCH")
    }

    @Test func aManifestPathOutsideTheInboxIsNeverOpened() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        let inbox = pipe.dir.url(Self.inboxRel)
        // The named file exists outside the inbox and is the right one: still not opened.
        try FileManager.default.removeItem(atPath: inbox + "110105-2012-09.discrepancies.csv.gz")
        setReportFile(inbox + "110105-2012-09.manifest.json", "../../../110105/outbox/2012-09/110105-2012-09.discrepancies.csv.gz")
        _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: "FILE_MANIFEST_MISMATCH")
    }

    @Test func aMissingReportRejectsOnlyThatChild() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        try FileManager.default.removeItem(atPath: pipe.dir.url(Self.inboxRel + "110105-2012-09.discrepancies.csv.gz"))
        _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: "FILE_MANIFEST_MISMATCH")
    }

    @Test func aFIFOInPlaceOfTheReportOrManifestNeverBlocks() throws {
        for which in ["discrepancies.csv.gz", "manifest.json"] {
            let pipe = Pipeline()
            let byCounty = try twoCounties(pipe)
            let path = pipe.dir.url(Self.inboxRel + "110105-2012-09." + which)
            try FileManager.default.removeItem(atPath: path)
            #expect(mkfifo(path, 0o600) == 0)
            let rule = which == "manifest.json" ? "FILE_UNREADABLE" : "FILE_UNREADABLE"
            _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: rule)
        }
    }

    @Test func aCorruptReportRejectsOnlyThatChild() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        let inbox = pipe.dir.url(Self.inboxRel)
        // A report that is not gzip, with the manifest's sha256 and rows made to match it.
        let path = inbox + "110105-2012-09.discrepancies.csv.gz"
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a report\n".utf8))
        let sha = sha256Hex(path)
        editJSON(inbox + "110105-2012-09.manifest.json") { m in
            var o = m["outputs"] as! [String: Any]
            var d = o["discrepancies"] as! [String: Any]
            d["sha256"] = sha
            d["rows"] = 0
            o["discrepancies"] = d
            m["outputs"] = o
        }
        _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: "FILE_MANIFEST_MISMATCH")
    }

    @Test func aDuplicateKeyInAManifestRejectsOnlyThatChild() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        let path = pipe.dir.url(Self.inboxRel + "110105-2012-09.manifest.json")
        var text = String(decoding: readBytes(path), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"period\":", with: "\"period\": \"2012-08\",\n  \"period\":")
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        _ = try expectOnlyTheChildRejected(pipe, byCounty, rule: "FILE_MANIFEST_MISMATCH")
    }

    /// A child re-writes its own report (as a hostile or careless child could, keeping its
    /// manifest consistent): rows "found" by the ministry and by a sibling are not carried.
    @Test func rowsFoundByAnotherUnitAreNotCarriedAndOneFlagSaysHowMany() throws {
        let pipe = Pipeline()
        let byCounty = try twoCounties(pipe)
        let inbox = pipe.dir.url(Self.inboxRel)
        let path = inbox + "110105-2012-09.discrepancies.csv.gz"
        let original = String(decoding: try gunzip(path), as: UTF8.self)
        var lines = original.split(separator: "\n").map(String.init)
        let ownRows = lines.count - 1
        #expect(ownRows >= 1)
        lines.append("000000,110105,desk.csv,2,,,,NO_PHONE,flag,the ministry's own,")
        lines.append("110108,110108,desk.csv,3,,,,NO_PHONE,flag,a sibling's,")
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(gzipMember(text)))
        let sha = sha256Hex(path)
        editJSON(inbox + "110105-2012-09.manifest.json") { m in
            var o = m["outputs"] as! [String: Any]
            var d = o["discrepancies"] as! [String: Any]
            d["sha256"] = sha
            d["rows"] = ownRows + 2
            o["discrepancies"] = d
            m["outputs"] = o
        }
        let r = try pipe.run("110100", Self.p09)
        #expect(r.status == 2, "only 110112 is missing: \(r.stderr)")
        let city = try pipe.outputs("110100", Self.p09)
        #expect(Set(city.ids) == Set((byCounty["110105"]! + byCounty["110108"]!).map(\.id)))
        // Carried: 110105's own rows, unchanged; not the two foreign ones.
        let carried = city.reportRawLines.filter { $0.hasPrefix("110105,") }
        #expect(carried == Array(lines[1...ownRows]))
        #expect(!city.reportRawLines.contains { $0.hasPrefix("000000,") })
        #expect(!city.report.contains { $0["说明"] == "a sibling's" })
        // One file-level flag on the child's report.
        let foreign = city.findings("REPORT_FOREIGN")
        #expect(foreign.count == 1)
        if let f = foreign.first {
            #expect(f["发现单位"] == "110100")
            #expect(f["来源单位"] == "110105")
            #expect(f["来源文件"] == "110105-2012-09.discrepancies.csv.gz")
            #expect(f["行号"] == "" && f["字段"] == "" && f["公民身份号码"] == "")
            #expect(f["级别"] == "flag")
            #expect(f["说明"]?.contains("2") == true, "\(f["说明"] ?? "")")
        }
        let byRule = ((city.manifest["findings"] as? [String: Any])?["byRule"] as? [String: Any]) ?? [:]
        #expect(byRule["REPORT_FOREIGN"] as? Int == 1)
    }
}
