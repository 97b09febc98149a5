import Foundation
import Testing
import HuizongTestSupport

// The outputs of `aggregate run` (SPEC 3.1–3.3, 4, 7): their exact form, hashes, the report's
// columns and confidentiality, file modes, exit statuses; `aggregate validate`; the fixtures; and
// the contract's worked examples (../shared/examples/check.py).

/// The findings the defects fixture must produce, line by line (fixtures/README.md).
let defectsTable: [String] = [
    "1:FILE_EXTRA_COLUMN", "3:SUPERSEDED", "5:SUPERSEDED", "6:DUPLICATE", "7:NAME_INVALID", "8:SEX_INVALID",
    "9:ETHNIC_INVALID", "10:ID_FORMAT", "11:ID_CHECKSUM", "12:ID_BIRTHDATE", "13:ID_SEX_MISMATCH", "14:ID_UPGRADED_15",
    "15:ID_REGION_UNKNOWN", "16:SCHOOL_INVALID", "17:MAJOR_INVALID", "18:GRADDATE_INVALID", "19:GRADDATE_WINDOW",
    "20:AGE_IMPLAUSIBLE", "21:EDU_INVALID", "22:HUKOU_INVALID", "24:MOBILE_INVALID", "25:LANDLINE_INVALID",
    "26:NO_PHONE", "27:EMAIL_INVALID", "28:POSTCODE_INVALID", "29:HARDSHIP_INVALID", "30:WORKPLACE_INVALID",
    "31:EDU_INVALID", "31:NEWEST_REJECTED", "32:INTENT_INVALID", "33:INTENT_9_COMBINED", "34:NEEDS_INVALID",
    "35:NEEDS_WITH_9", "36:NEEDS_MISSING", "37:GRADDATE_AFTER_UPDATE", "38:MULTI_REPEATED", "39:DEST_INVALID",
    "40:TIME_INVALID", "41:TIME_FUTURE", "42:TIME_TOO_EARLY", "43:UNIT_FOREIGN", "44:LINE_QUOTE", "45:LINE_FIELDS",
    "47:CONFLICT", "48:SUPERSEDED", "49:IDENTITY_MISMATCH", "50:SUPERSEDED", "51:DEST_EMPTIED",
]

@Suite struct MonthlyRunTests {
    // MARK: the fixtures

    @Test func cleanFixtureHasNoFinding() throws {
        let out = try require(try countyRun([("clean.csv", readBytes(Paths.fixtures + "/clean.csv"))]), status: 0)
        #expect(out.report.isEmpty, "\(out.report)")
        #expect(out.rows.count == 20)
        #expect(counts(out.input("clean.csv")) == ["linesRead": 20, "blank": 0, "rejected": 0, "merged": 20, "superseded": 0, "duplicate": 0])
    }

    @Test func defectsFixtureFindsEachDefectOnItsLine() throws {
        let out = try require(try countyRun([("defects.csv", readBytes(Paths.fixtures + "/defects.csv"))]), status: 0)
        #expect(lineRules(out, "defects.csv") == defectsTable.sorted())
        #expect(counts(out.input("defects.csv")) == ["linesRead": 50, "blank": 1, "rejected": 25, "merged": 19, "superseded": 4, "duplicate": 1])
        // Every rule code of SPEC 5.1 that one county intake file can show is there.
        let rules = Set(out.report.map { $0["规则"] ?? "" })
        #expect(rules == Set(defectsTable.map { String($0.split(separator: ":")[1]) }))
        #expect(rules.count == 44)
    }

    // MARK: the form of the outputs

    @Test func summaryAndReportHaveTheExactFormOfSPEC3() throws {
        let dir = TempDir("form")
        let run = try countyRun([("clean.csv", readBytes(Paths.fixtures + "/clean.csv")),
                                 ("defects.csv", readBytes(Paths.fixtures + "/defects.csv"))], dir: dir)
        let out = try require(run, status: 0)
        // Summary: header and column order of SPEC 3.1, rows sorted by ID, 序号 1..N, LF, no BOM.
        #expect(out.summaryLines.first == "序号,姓名,性别,民族,公民身份号码,毕业院校,毕业日期,学历,所学专业,入学前户口所在地,电子邮箱,邮编,手机号码,固定电话,困难状况,就业地意向,就业意向,就业服务需求,就业去向,更新时间,登记单位")
        #expect(out.rows.count == 39)
        #expect(out.ids == out.ids.sorted() && Set(out.ids).count == out.ids.count)
        #expect(out.rows.map { $0[0] } == (1...39).map(String.init))
        #expect(out.rows.allSatisfy { $0.count == 21 })
        #expect(!out.summaryBytes.contains(0x0D))
        #expect(Array(out.summaryBytes.prefix(3)) != [0xEF, 0xBB, 0xBF])
        #expect(out.summaryBytes.last == 0x0A)
        // Report: the columns of SPEC 3.3.
        #expect(out.reportHeader == reportColumns)
        #expect(out.report.allSatisfy { ["reject", "flag", "info"].contains($0["级别"] ?? "") })
        #expect(out.report.allSatisfy { $0["发现单位"] == "110105" && $0["来源单位"] == "110105" })
        let reportBytes = try gunzip(out.dir + "/110105-2012-09.discrepancies.csv.gz")
        #expect(!reportBytes.contains(0x0D) && Array(reportBytes.prefix(3)) != [0xEF, 0xBB, 0xBF])
        // gzip with mtime 0.
        for f in ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz"] {
            let bytes = readBytes(out.dir + "/" + f)
            #expect(Array(bytes[4..<8]) == [0, 0, 0, 0])
        }
    }

    @Test func everySHA256InTheManifestIsTheFiles() throws {
        let dir = TempDir("sha")
        let gz = gzipMember(readBytes(Paths.fixtures + "/clean.csv"))
        let run = try countyRun([("clean.csv.gz", gz), ("defects.csv", readBytes(Paths.fixtures + "/defects.csv")),
                                 ("empty.csv", [])], dir: dir)
        let out = try require(run, status: 2)
        for entry in out.inputs {
            let file = entry["file"] as? String ?? "?"
            #expect(entry["sha256"] as? String == sha256Hex(dir.url("in/" + file)), "\(file)")
            #expect(!(file.contains("/")))
        }
        let outputs = out.manifest["outputs"] as? [String: [String: Any]] ?? [:]
        #expect(outputs["summary"]?["file"] as? String == "110105-2012-09.csv.gz")
        #expect(outputs["discrepancies"]?["file"] as? String == "110105-2012-09.discrepancies.csv.gz")
        for (_, o) in outputs {
            let file = o["file"] as? String ?? "?"
            #expect(o["sha256"] as? String == sha256Hex(out.dir + "/" + file), "\(file)")
        }
        #expect(outputs["summary"]?["rows"] as? Int == out.rows.count)
        #expect(outputs["discrepancies"]?["rows"] as? Int == out.report.count)
        // The manifest's fixed keys (SPEC 3.2).
        #expect(out.manifest["format"] as? String == "huizong-manifest/1")
        #expect(out.manifest["unit"] as? String == "110105")
        #expect(out.manifest["unitName"] as? String == "朝阳区")
        #expect(out.manifest["level"] as? String == "county")
        #expect(out.manifest["period"] as? String == "2012-09")
        #expect(out.manifest["asOf"] as? String == "2012-10-04T12:00:00+08:00")
        #expect(out.children == ["expected": [], "received": [], "missing": [], "late": [], "rejected": []])
        #expect(out.input("empty.csv")?["status"] as? String == "rejected")
    }

    @Test func asOfNotations() throws {
        let people = threePeople()
        for (given, want) in [("2012-10-04", "2012-10-04T00:00:00+08:00"), ("2012-10-04 12:30:00", "2012-10-04T12:30:00+08:00"),
                              ("2012-10-04T04:30:00Z", "2012-10-04T12:30:00+08:00"), ("2012-10-04T06:30:00+02:00", "2012-10-04T12:30:00+08:00")] {
            let out = try require(try countyRun(texts: [("a.csv", summaryText(people))], asOf: given), status: 0)
            #expect(out.manifest["asOf"] as? String == want, "--as-of \(given)")
        }
        // 更新时间 after --as-of is TIME_FUTURE: the reference time really is the given one.
        var late = people[0]
        late.time = "2012-10-04 12:30:01"
        let out = try require(try countyRun(texts: [("a.csv", summaryText([late]))], asOf: "2012-10-04T04:30:00Z"), status: 0)
        #expect(where_(out) == ["a.csv:2:TIME_FUTURE"])
    }

    @Test func contactValuesNeverReachTheReport() throws {
        var rows: [Person] = []
        var mobileBad = Person.number(1); mobileBad.mobile = "2998877665"                   // MOBILE_INVALID
        var landBad = Person.number(2); landBad.landline = "12-3456789"                    // LANDLINE_INVALID
        var mailBad = Person.number(3); mailBad.email = "zhang.san#example.org"            // EMAIL_INVALID
        var both = Person.number(4); both.mobile = "1399988877"; both.landline = "010-1234" // both invalid
        var rejected = Person.number(5); rejected.edu = "9"; rejected.mobile = "13599887766"; rejected.email = "li.si@example.com"
        var plus86 = Person.number(6); plus86.mobile = "+8613711122233"
        var dup = Person.number(7); dup.landline = "0755-88776655"; dup.email = "wang@163.example"
        rows = [mobileBad, landBad, mailBad, both, rejected, plus86, dup, dup]
        var newer = mobileBad
        newer.time = "2012-09-15 10:00:00"
        newer.email = "new.mail@qq.example"
        newer.mobile = "29988776650"
        rows.append(newer)
        var text = summaryText(rows)
        text += csvLine(canonicalColumns.map(Person.number(8).value)) + ",13612345678,x@y.example\n"  // LINE_FIELDS
        let out = try require(try countyRun(texts: [("contacts.csv", text)]), status: 0)
        let contacts = ["2998877665", "12-3456789", "zhang.san#example.org", "1399988877", "010-1234", "13599887766",
                        "li.si@example.com", "8613711122233", "13711122233", "0755-88776655", "wang@163.example",
                        "new.mail@qq.example", "29988776650", "13612345678", "x@y.example", "13800138000"]
        let report = String(decoding: try gunzip(out.dir + "/110105-2012-09.discrepancies.csv.gz"), as: UTF8.self)
        for c in contacts {
            #expect(!report.contains(c), "contact value \(c) is in the report")
        }
        // The phone and e-mail rules did fire (so the test could have failed).
        let fired = Set(out.report.map { $0["规则"] ?? "" })
        #expect(fired.isSuperset(of: ["MOBILE_INVALID", "LANDLINE_INVALID", "EMAIL_INVALID", "EDU_INVALID", "DUPLICATE",
                                      "SUPERSEDED", "LINE_FIELDS"]))
        #expect(out.report.filter { ["手机号码", "固定电话", "电子邮箱"].contains($0["字段"] ?? "") }.allSatisfy { $0["原值"] == "" })
        // The manifest carries no contact value either.
        let manifest = String(decoding: readBytes(out.dir + "/110105-2012-09.manifest.json"), as: UTF8.self)
        for c in contacts { #expect(!manifest.contains(c)) }
    }

    // MARK: modes, exit statuses, the output directory

    @Test func filesAre0600AndDirectories0700EvenUnderUmask000() throws {
        let dir = TempDir("modes")
        dir.write("in/a.csv", summaryText(threePeople()))
        guard let bin = Paths.aggregate else { throw TestFailure("no aggregate binary") }
        let cmd = "umask 000; exec '\(bin)' run --unit 110105 --period 2012-09 --out new/deeper/out --as-of 2012-10-04 in/a.csv"
        let r = try runProcess("/bin/sh", ["-c", cmd], cwd: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        for d in ["new", "new/deeper", "new/deeper/out"] {
            #expect(mode(dir.url(d)) == 0o700, "\(d): \(String(mode(dir.url(d)), radix: 8))")
        }
        let files = dir.list("new/deeper/out")
        #expect(files == ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"])
        for f in files {
            #expect(mode(dir.url("new/deeper/out/" + f)) == 0o600, "\(f)")
        }
        for f in dir.list("new/deeper") where f.hasPrefix(".") {
            #expect(mode(dir.url("new/deeper/" + f)) & 0o077 == 0, "\(f) is readable by others")
        }
    }

    @Test func theOutputDirectoryHoldsOnlyTheRunsOutputs() throws {
        // SPEC 8.5 (changed from the first round): a stray file is never swapped away; the run
        // names it and stops, exit 1, leaving everything as it was.
        let strayDir = TempDir("only-stray")
        strayDir.write("out/stray.txt", "left over")
        strayDir.write("out/110105-2012-08.csv.gz", "another period's file")
        let refused = try countyRun([("a.csv", Array(summaryText(threePeople()).utf8))], dir: strayDir)
        #expect(refused.result.status == 1)
        #expect(refused.result.stderr.contains("stray.txt") && refused.result.stderr.contains("110105-2012-08.csv.gz"))
        #expect(strayDir.list("out") == ["110105-2012-08.csv.gz", "stray.txt"])
        #expect(strayDir.read("out/stray.txt") == Array("left over".utf8))

        let dir = TempDir("only")
        let run = try countyRun([("a.csv", Array(summaryText(threePeople()).utf8))], dir: dir)
        _ = try require(run, status: 0)
        #expect(dir.list("out") == ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"])
        // A second run with other inputs replaces the whole set.
        let again = try countyRun([("a.csv", Array(summaryText([threePeople()[0]]).utf8))], dir: dir)
        let o2 = try require(again, status: 0)
        #expect(o2.ids == [threePeople()[0].id])
        #expect(dir.list("out").count == 3)
        #expect(!dir.list().contains { $0.contains("staging") || $0.contains(".old-") })
    }

    @Test(arguments: [
        ["--period", "2012-13"], ["--period", "201209"], ["--unit", "11010"], ["--as-of", "yesterday"],
        ["--encoding", "latin1"], ["in/nonexistent.csv"], ["--no-such-option"], ["--cohort", "abc"],
    ])
    func usageErrorsExit1AndWriteNothing(bad: [String]) throws {
        let dir = TempDir("usage")
        dir.write("in/a.csv", summaryText(threePeople()))
        var args = ["run", "--unit", "110105", "--period", "2012-09", "--out", "out", "--as-of", defaultAsOf, "in/a.csv"]
        if bad[0].hasPrefix("--"), let i = args.firstIndex(of: bad[0]) {
            args[i + 1] = bad[1]
        } else {
            args += bad
        }
        let before = dir.tree()
        let r = try aggregate(args, cwd: dir.path)
        #expect(r.status == 1, "\(bad): exit \(r.status)")
        #expect(dir.tree() == before, "\(bad) wrote something")
        #expect(!r.stderr.isEmpty)
    }

    @Test func runWithoutOutOrConfigIsAUsageError() throws {
        let dir = TempDir("noout")
        dir.write("a.csv", summaryText(threePeople()))
        let before = dir.tree()
        let r = try aggregate(["run", "--unit", "110105", "--period", "2012-09", "a.csv"], cwd: dir.path)
        #expect(r.status == 1)
        #expect(dir.tree() == before)
    }

    // MARK: aggregate validate

    @Test func validatePrintsFileLineFieldCodeAndExits1OnAReject() throws {
        let path = Paths.fixtures + "/defects.csv"
        let r = try aggregate(["validate", "--unit", "110105", "--as-of", defaultAsOf, path], cwd: Paths.packageRoot)
        #expect(r.status == 1)
        for expected in ["\(path):7: 姓名: NAME_INVALID:", "\(path):13: 性别: ID_SEX_MISMATCH:",
                         "\(path):24: 手机号码: MOBILE_INVALID:", "\(path):43: 登记单位: UNIT_FOREIGN:",
                         "\(path):1: 备注: FILE_EXTRA_COLUMN:", "\(path):41: 更新时间: TIME_FUTURE:"] {
            #expect(r.stdout.contains(expected), "missing: \(expected)")
        }
        // LINE_QUOTE is about the line, not a field.
        #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("\(path):44: ") && $0.contains("LINE_QUOTE") })
        // validate does not merge: no dedup/reconcile events.
        #expect(!r.stdout.contains("SUPERSEDED:") && !r.stdout.contains("DUPLICATE:"))
        // Phone and e-mail values stay out of its output too.
        #expect(!r.stdout.contains("1381000100") && !r.stdout.contains("shizhan.at.qq.com") && !r.stdout.contains("12345,"))
    }

    @Test func validateExits0WhenThereAreOnlyFlags() throws {
        let dir = TempDir("val")
        var flagged = Person.number(1)
        flagged.mobile = "123"       // MOBILE_INVALID: flag
        flagged.postcode = "12"      // POSTCODE_INVALID: flag
        dir.write("flags.csv", summaryText([flagged, Person.number(2)]))
        let r = try aggregate(["validate", "--as-of", defaultAsOf, "flags.csv"], cwd: dir.path)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("flags.csv:2: 手机号码: MOBILE_INVALID:"))
        #expect(r.stdout.contains("flags.csv:2: 邮编: POSTCODE_INVALID:"))
        let clean = try aggregate(["validate", "--unit", "110105", "--as-of", defaultAsOf, Paths.fixtures + "/clean.csv"], cwd: dir.path)
        #expect(clean.status == 0)
        #expect(!clean.stdout.contains("clean.csv:"))
        // A file rejected whole makes validate exit 1 too.
        dir.write("empty.csv", "")
        let empty = try aggregate(["validate", "--as-of", defaultAsOf, "flags.csv", "empty.csv"], cwd: dir.path)
        #expect(empty.status == 1)
        #expect(empty.stdout.contains("FILE_EMPTY"))
        // And it writes nothing.
        #expect(dir.list() == ["empty.csv", "flags.csv"])
    }

    // MARK: the contract's worked examples

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Paths.shared + "/examples/check.py"),
                   "../shared/examples/check.py is not present beside the project: conformance not checked"))
    func workedExamplesConform() throws {
        guard let bin = Paths.aggregate else { throw TestFailure("no aggregate binary") }
        let r = try runProcess("/usr/bin/env", ["python3", Paths.shared + "/examples/check.py", bin], cwd: Paths.packageRoot)
        #expect(r.stdout.contains(" 0 failed"), "\(r.stdout)\(r.stderr)")
        #expect(r.status == 0)
    }
}
