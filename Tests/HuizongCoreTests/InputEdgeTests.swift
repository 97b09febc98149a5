import Foundation
import HuizongTestSupport
@testable import HuizongCore
import Testing

// SPEC 8.5, the input edges (issue 9, items 4 and 6): CR-only line ends, contact values never in a
// report, only regular files read (a FIFO never blocks), a file changed while it is read is
// rejected whole, the pipeline check is linear (correctness here; its time in scripts/faults),
// control characters printed escaped.

@Suite struct InputEdgeTests {
    // MARK: CR line ends

    /// The contact values of fixtures/clean.csv (its 电子邮箱, 手机号码 and 固定电话 cells).
    static func contactValues() -> [String] {
        let lines = String(decoding: readBytes(Paths.fixtures + "/clean.csv"), as: UTF8.self).split(separator: "\n")
        return lines.dropFirst().flatMap { l -> [String] in
            let c = parseCSVLine(String(l))
            return [c[10], c[12], c[13]].filter { !$0.isEmpty }
        }
    }

    @Test func aCROnlyFileIsReadLineByLine() throws {
        let lf = readBytes(Paths.fixtures + "/clean.csv")
        let cr = lf.map { $0 == 0x0A ? 0x0D : $0 }
        let want = try require(try countyRun([("clean.csv", lf)]), status: 0)
        let got = try require(try countyRun([("clean.csv", cr)]), status: 0)
        #expect(got.rows.count == 20)
        let sameSummary = got.summaryBytes == want.summaryBytes
        #expect(sameSummary, "the CR file's summary differs from the LF file's")
        #expect(got.report.isEmpty, "\(got.report)")
        #expect(counts(got.input("clean.csv")) == counts(want.input("clean.csv")))
    }

    @Test func crMixedWithCRLFAndBlankLinesKeepsPhysicalLineNumbers() throws {
        let people = threePeople()
        // header CR, row CRLF, blank line (CR), row CR, row at the end without a line end.
        let text = csvLine(canonicalColumns) + "\r" + people[0].line() + "\r\n" + "\r" + people[1].line() + "\r" + people[2].line()
        let out = try require(try countyRun(texts: [("mac.csv", text)]), status: 0)
        #expect(out.rows.count == 3)
        #expect(counts(out.input("mac.csv")) == ["linesRead": 4, "blank": 1, "rejected": 0, "merged": 3, "superseded": 0, "duplicate": 0])
        // A bad row on physical line 4 is reported on line 4.
        var bad = people[1]
        bad.edu = "9"
        let text2 = csvLine(canonicalColumns) + "\r" + people[0].line() + "\r\r" + bad.line() + "\r"
        let out2 = try require(try countyRun(texts: [("mac.csv", text2)]), status: 0)
        #expect(lineRules(out2, "mac.csv") == ["4:EDU_INVALID"])
    }

    @Test func anLFFileWithACRInsideALineIsStillLF() throws {
        let people = threePeople()
        var p = people[0]
        p.school = "北京\r大学"
        let text = summaryText([p, people[1]])
        let out = try require(try countyRun(texts: [("a.csv", text)]), status: 0)
        #expect(counts(out.input("a.csv"))["linesRead"] == 2)
    }

    @Test func contactValuesNeverReachTheReportFromAHeaderLine() throws {
        // Data pasted on the header line: the unknown "column names" are a phone and an e-mail.
        let header = csvLine(canonicalColumns + ["13912345678", "someone@example.com", "010-62781234", "备注"])
        let row = csvLine(canonicalColumns.map(threePeople()[0].value) + ["", "", "", ""])
        let out = try require(try countyRun(texts: [("a.csv", header + "\n" + row + "\n")]), status: 0)
        let extra = out.findings("FILE_EXTRA_COLUMN")
        #expect(extra.count == 4)
        #expect(extra.contains { $0["字段"] == "备注" })
        let everything = out.reportRawLines.joined(separator: "\n")
        for v in ["13912345678", "someone@example.com", "62781234"] {
            #expect(!everything.contains(v), "\(v) reached the report")
        }
        // The old CR-only leak, for good measure: with LF not found, nothing leaks either.
        let cr = readBytes(Paths.fixtures + "/clean.csv").map { $0 == 0x0A ? 0x0D : $0 }
        let crOut = try require(try countyRun([("clean.csv", cr)]), status: 0)
        let all = crOut.reportRawLines.joined(separator: "\n")
        for v in Self.contactValues() { #expect(!all.contains(v), "\(v) reached the report") }
    }

    // MARK: only regular files, never blocking

    @Test func aFIFOGivenAsInputIsUnreadableAtOnce() throws {
        let dir = TempDir("fifo")
        dir.write("in/a.csv", summaryText(threePeople()))
        #expect(mkfifo(dir.url("in/pipe.csv"), 0o600) == 0)
        let r = try aggregate(["run", "--unit", "110105", "--period", "2012-09", "--out", "out", "--as-of", defaultAsOf,
                               "in/a.csv", "in/pipe.csv"], cwd: dir.path)
        #expect(r.status == 2, "\(r.stderr)")
        let out = try RunOutputs(dir: dir.url("out"), stem: "110105-2012-09")
        #expect(lineRules(out, "pipe.csv") == [":FILE_UNREADABLE"])
        #expect(out.rows.count == 3)
        // A character device too.
        #expect(throws: FileRejection.self) { try InputFile(path: "/dev/zero") }
    }

    // MARK: a file that changes while it is read

    static func bigFile(_ dir: TempDir, rows: Int = 4000) -> String {
        let people = (0..<rows).map { Person.number($0) }
        return dir.write("big.csv", summaryText(people))
    }

    @Test func aFileTruncatedWhileReadIsRejected() throws {
        let dir = TempDir("changed")
        let path = Self.bigFile(dir)
        let reader = try SummaryFileReader(path: path)
        var raw = RawRecord()
        _ = try reader.next(into: &raw)
        #expect(truncate(path, 1000) == 0)
        var caught: FileRejection?
        do {
            while true { if case .end = try reader.next(into: &raw) { break } }
        } catch {
            caught = error
        }
        #expect(caught?.rule == .fileUnreadable)
        #expect(caught?.detail.contains("changed while being read") == true, "\(String(describing: caught))")
    }

    @Test func aFileReplacedOrAppendedWhileReadIsRejected() throws {
        for change in ["replaced", "appended", "touched"] {
            let dir = TempDir("changed2")
            let path = Self.bigFile(dir)
            let file = try InputFile(path: path)
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
            defer { chunk.deallocate() }
            _ = try file.read(into: chunk)
            switch change {
            case "replaced":
                dir.write("new.csv", readBytes(path))
                #expect(rename(dir.url("new.csv"), path) == 0)
            case "appended":
                let h = FileHandle(forWritingAtPath: path)!
                h.seekToEndOfFile()
                h.write(Data("\n".utf8))
                h.closeFile()
            default:
                setMTime(path, 1_349_236_800)
            }
            var threw = false
            do { while try file.read(into: chunk) > 0 {} } catch { threw = error.rule == .fileUnreadable }
            #expect(threw, "\(change)")
        }
    }

    @Test func anUnchangedFileReadsToTheEnd() throws {
        let dir = TempDir("unchanged")
        let path = Self.bigFile(dir, rows: 100)
        let batch = FileBatch.read(path: path, from: "110105", options: .init(),
                                   context: ValidationContext.cohort(2012, asOf: Int64(chinaEpoch(2012, 10, 4)), unitPolicy: .county(110105)))
        #expect(batch.rejection == nil)
        #expect(batch.acceptedRows == 100)
        #expect(batch.sha256 == sha256Hex(path))
    }

    // MARK: the pipeline check (correctness of the linear algorithm)

    static func config(_ units: [(String, String, String?)]) -> Data {
        let list = units.map { u in
            "{\"code\": \"\(u.0)\", \"level\": \"\(u.1)\"" + (u.2.map { ", \"parent\": \"\($0)\"" } ?? "") + "}"
        }
        return Data("{\"units\": [\(list.joined(separator: ","))]}".utf8)
    }

    @Test func cyclesAreFoundAndLargeHierarchiesAreRight() throws {
        #expect(throws: PipelineConfig.ConfigError.self) {
            try PipelineConfig(json: Self.config([("100000", "ministry", "100001"), ("100001", "province", "100000")]))
        }
        #expect(throws: PipelineConfig.ConfigError.self) {
            try PipelineConfig(json: Self.config([("100000", "ministry", "100000")]))
        }
        // A cycle hanging below a sound root.
        #expect(throws: PipelineConfig.ConfigError.self) {
            try PipelineConfig(json: Self.config([("000000", "ministry", nil), ("100000", "province", "000000"),
                                                  ("200000", "city", "300000"), ("300000", "city", "400000"), ("400000", "city", "200000")]))
        }
        // 20,000 units: a ministry, 20 provinces, 400 cities, the rest counties spread over them.
        var units: [(String, String, String?)] = [("000000", "ministry", nil)]
        var expectedChildren: [String: [String]] = [:]
        for p in 1...20 {
            let pc = String(format: "%02d0000", p)
            units.append((pc, "province", "000000"))
            expectedChildren["000000", default: []].append(pc)
        }
        for c in 0..<400 {
            let cc = String(format: "%02d%02d00", 1 + c % 20, 1 + c / 20)
            let parent = String(format: "%02d0000", 1 + c % 20)
            units.append((cc, "city", parent))
            expectedChildren[parent, default: []].append(cc)
        }
        for k in 0..<19_579 {
            let city = units[21 + k % 400].0
            let code = String(city.prefix(4)) + String(format: "%02d", 1 + k / 400)
            units.append((code, "county", city))
            expectedChildren[city, default: []].append(code)
        }
        let cfg = try PipelineConfig(json: Self.config(units.reversed()))
        for (parent, kids) in expectedChildren {
            #expect(cfg.children(of: parent) == kids.sorted(), "\(parent)")
        }
        #expect(cfg.counties(atOrUnder: "000000").count == 19_579)
        #expect(cfg.isAtOrUnder(units.last!.0, "000000"))
    }

    @Test func theConfigParserReadsWhatFoundationReads() throws {
        let text = #"{"a": [1, -2, 3.5, 1e3, true, false, null, "x\"y\\z\u00e9\ud83d\ude00\n"], "b": {"c": {}, "d": []}, "朝阳": "区"}"#
        let mine = try ConfigJSONParser.parse(Array(text.utf8))
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(NSDictionary(dictionary: mine as! [String: Any]).isEqual(theirs))
        // The examples' configurations give the same hierarchy through either parser.
        for path in [Paths.shared + "/examples/2-city/pipeline.json", Paths.packageRoot + "/pipeline.json"] {
            let data = Data(readBytes(path))
            let a = try ConfigJSONParser.parse([UInt8](data)) as! [String: Any]
            let b = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            #expect(NSDictionary(dictionary: a).isEqual(b), "\(path)")
        }
        for bad in ["{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "\"open", "{} x", String(repeating: "[", count: 300) + String(repeating: "]", count: 300)] {
            #expect(throws: ConfigJSONParser.Failure.self, "\(bad)") { try ConfigJSONParser.parse(Array(bad.utf8)) }
        }
        do {
            _ = try ConfigJSONParser.parse(Array(#"{"units": [{"code": "1"}, {"code": "2", "code": "3"}]}"#.utf8))
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.pathText == "units[1].code")
        }
    }

    // MARK: printed values

    @Test func controlCharactersArePrintedEscaped() throws {
        #expect(PrintableText.escaped("a\u{1b}[2Jb") == "a\\x1b[2Jb")
        #expect(PrintableText.escaped("\u{9b}\u{7f}\u{202e}x\t") == "\\x9b\\x7f\\u{202e}x\\x09")
        #expect(PrintableText.escaped("张伟 ok") == "张伟 ok")
        let dir = TempDir("escape")
        var p = threePeople()[0]
        p.name = "张\u{1b}]0;pwned\u{07}伟"
        dir.write("a\u{1b}[31m.csv", summaryText([p]))
        for format in ["text", "csv", "json"] {
            let r = try aggregate(["validate", "--format", format, "--as-of", defaultAsOf, "a\u{1b}[31m.csv"], cwd: dir.path)
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format): raw control character")
            #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B }, "\(format)")
            #expect(r.stdout.contains("\\x1b") || r.stdout.contains("\\u001b"), "\(format): \(r.stdout)")
        }
    }
}
