import Foundation
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// Files for people (SPEC 8.3): the CSV neutraliser, CSV for people, the workbook writer's
/// rules, and the regression of issue 9 item 5 (formula starts reached audit-findings.csv and
/// the worklists unescaped).
@Suite struct PeopleFilesTests {
    // MARK: - The neutraliser, from SPEC 8.3 by hand

    @Test func formulaStartsGetAQuoteAndPlainNumbersDoNot() {
        let table: [(String, String)] = [
            // = + - @ tab CR at the start: prefixed with '
            ("=HYPERLINK(\"http://x\",\"c\")", "'=HYPERLINK(\"http://x\",\"c\")"),
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("+86 138", "'+86 138"),
            ("-1+2", "'-1+2"),
            ("-x", "'-x"),
            ("-", "'-"),
            ("--3", "'--3"),
            ("-3.", "'-3."),
            ("-.5", "'-.5"),
            ("-1e5", "'-1e5"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("\t", "'\t"),
            // a plain number is left as it is
            ("-3", "-3"),
            ("-0.5", "-0.5"),
            ("-0.0500", "-0.0500"),
            ("-120", "-120"),
            // nothing to do
            ("", ""),
            ("3", "3"),
            ("0.2273", "0.2273"),
            ("110105199003150025", "110105199003150025"),
            ("北京大学", "北京大学"),
            ("a=b", "a=b"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("＝1", "＝1"),  // full-width ＝ is no formula
        ]
        for (input, expected) in table {
            #expect(PeopleCSV.neutralise(input) == expected, "\(input.debugDescription)")
        }
    }

    @Test func peopleCSVHasBOMCRLFAndQuotesAfterThePrefix() {
        let bytes = PeopleCSV.document(header: ["姓名", "值"],
                                       rows: [["=HYPERLINK(\"http://x\",\"c\")", "-3"], ["a,b", "@x"], ["", "\tz"]])
        var expected: [UInt8] = [0xEF, 0xBB, 0xBF]
        expected += Array("姓名,值\r\n".utf8)
        expected += Array("\"'=HYPERLINK(\"\"http://x\"\",\"\"c\"\")\",-3\r\n".utf8)
        expected += Array("\"a,b\",'@x\r\n".utf8)
        expected += Array(",'\tz\r\n".utf8)
        #expect(bytes == expected)
    }

    @Test func peopleCSVWriterIsOwnerOnlyAndWholeOrNothing() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let path = dir + "/sub/list.csv"
        let w = try PeopleCSVWriter(path: path, header: ["公民身份号码"])
        try w.write(["110105199003150025"])
        #expect(!FileManager.default.fileExists(atPath: path))  // not before close()
        try w.close()
        #expect(SecureFiles.mode(of: path) == 0o600)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == [0xEF, 0xBB, 0xBF] + Array("公民身份号码\r\n110105199003150025\r\n".utf8))
        do {
            let dropped = try PeopleCSVWriter(path: dir + "/dropped.csv", header: ["x"])
            try dropped.write(["1"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["sub"])
    }

    // MARK: - Workbook rules

    @Test func sheetNamesFollowExcelsLimits() {
        #expect(XLSXWorkbookWriter.sheetName("a/b:c[d]*?\\e", taken: []) == "a_b_c_d____e")
        let long = String(repeating: "单", count: 40)
        #expect(XLSXWorkbookWriter.sheetName(long, taken: []).count == 31)
        #expect(XLSXWorkbookWriter.sheetName("概况", taken: ["概况"]) == "概况 (2)")
        #expect(XLSXWorkbookWriter.sheetName("ABC", taken: ["abc", "abc (2)"]) == "ABC (3)")
        #expect(XLSXWorkbookWriter.sheetName("History", taken: []) == "History (2)")
        #expect(XLSXWorkbookWriter.sheetName("'x'", taken: []) == "x")
        #expect(XLSXWorkbookWriter.sheetName("", taken: []) == "Sheet")
        let cont = XLSXWorkbookWriter.sheetName(long, suffix: " (2)", taken: [])
        #expect(cont.count == 31 && cont.hasSuffix(" (2)"))
    }

    @Test func onlyPlainDecimalsBecomeNumbers() {
        #expect(XLSXWorkbookWriter.plainNumber("3") == 3)
        #expect(XLSXWorkbookWriter.plainNumber("0") == 0)
        #expect(XLSXWorkbookWriter.plainNumber("-0.5") == -0.5)
        #expect(XLSXWorkbookWriter.plainNumber("0.2273") == 0.2273)
        #expect(XLSXWorkbookWriter.plainNumber("01") == nil)       // a code keeps its zero
        #expect(XLSXWorkbookWriter.plainNumber("1e5") == nil)
        #expect(XLSXWorkbookWriter.plainNumber("110105199003150025") == nil)  // an ID never
        #expect(XLSXWorkbookWriter.plainNumber("1,000") == nil)
        #expect(XLSXWorkbookWriter.plainNumber("") == nil)
        #expect(XLSXWorkbookWriter.plainNumber("3.") == nil)
    }

    @Test func longCellsAreCutAtExcelsLimit() {
        let long = String(repeating: "长", count: 40_000)
        let cut = XLSXWorkbookWriter.cellText(long)
        #expect(cut.unicodeScalars.count == XLSXWorkbookWriter.maxCellCharacters)
        #expect(cut.hasSuffix("〔截断 truncated〕"))
        #expect(XLSXWorkbookWriter.cellText("a\u{0}b") == "a\u{FFFD}b")
        // Excel reads _xHHHH_ as an escaped character: a literal one is escaped itself.
        #expect(XLSXWorkbookWriter.cellText("_x0041_") == "_x005F_x0041_")
        #expect(XLSXWorkbookWriter.cellText("a_x12_b_xZZZZ_") == "a_x12_b_xZZZZ_")
        #expect(XLSXWorkbookWriter.cellText("中_x4E2D_文") == "中_x005F_x4E2D_文")
        #expect(XLSXWorkbookWriter.cellText("_X0041_ x_0041_") == "_X0041_ x_0041_")
        // At the limit nothing is cut, counted in characters (Excel's 32,767), not bytes.
        let limit = XLSXWorkbookWriter.maxCellCharacters
        #expect(XLSXWorkbookWriter.cellText(String(repeating: "a", count: limit)) == String(repeating: "a", count: limit))
        #expect(XLSXWorkbookWriter.cellText(String(repeating: "长", count: limit)) == String(repeating: "长", count: limit))
        #expect(XLSXWorkbookWriter.cellText(String(repeating: "长", count: limit + 1)).hasSuffix("〔截断 truncated〕"))
    }

    @Test func workbookIsOwnerOnlyAtomicAndContinuesFullSheets() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let path = dir + "/t.xlsx"
        let book = try XLSXWorkbookWriter(path: path, rowsPerSheet: 3)  // header + 2 rows per worksheet
        try book.readme("文件", "测试")
        let sheet = try book.addSheet("明细", columns: [.init("公民身份号码"), .init("行号", .number)])
        for i in 0..<5 { try sheet.write(["11010519900315002\(i)", String(i + 2)]) }
        #expect(!FileManager.default.fileExists(atPath: path))
        try book.close()
        #expect(SecureFiles.mode(of: path) == 0o600)
        let head = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4))
        #expect(head == [0x50, 0x4B, 0x03, 0x04])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["t.xlsx"])
        // 5 rows, 2 per worksheet: 明细, 明细 (2), 明细 (3) — the sheet names are in workbook.xml.
        let names = try sheetNames(path)
        #expect(names == ["说明", "明细", "明细 (2)", "明细 (3)"])
    }

    // MARK: - Issue 9 item 5: formula starts in every CSV for people

    static let injection = "=HYPERLINK(\"http://x\",\"c\")"

    @Test func formulaStartsAreNeutralisedInEveryCSVForPeople() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try NationalDatabase(path: dir + "/n.db")
        let a = citizenID("11010519900101951"), b = citizenID("11010519900101962"), c = citizenID("11022919900101973")
        // Values that pass the form rules and start a formula: 毕业院校 and 所学专业 are free text.
        let persons = [
            Person(id: a, school: Self.injection, major: "@SUM(1+1)", hardship: "1", needs: "2"),
            Person(id: b, school: "+cmd|' /C calc'!A0", major: "-2+3", hardship: "2", needs: "2",
                   updated: "2012-07-01T10:00:00+08:00"),
            Person(id: c, name: "李娜", school: "北京大学", major: "\tTAB", hardship: "4", needs: "1", unit: "110229"),
        ]
        // A rejected row's raw cells reach the report: 姓名 and 原值 as written.
        let report: [ReportRow] = [
            ["110000", "110105", "b.csv", "3", a, Self.injection, "姓名", "NAME_INVALID", "reject", "姓名含非法字符", Self.injection],
            ["110000", "110105", "b.csv", "4", "+110105", "@x", "公民身份号码", "ID_FORMAT", "reject", "-1+1", "+110105"],
            ["110000", "110229", "c.csv", "2", c, "李娜", "所学专业", "MAJOR_INVALID", "reject", "\r=1", "\t=2"],
        ]
        _ = try SubmissionLoader(database: db).load(try writeSubmission(in: dir, unit: "110000", period: "2012-09",
                                                                        persons: persons, report: report, level: "province"))
        let out = dir + "/out"
        let w = try ReportWriter.write(database: db, unit: "110000", period: Period("2012-09")!, config: nil, to: out,
                                       options: .init(unmasked: true))
        let stats = dir + "/stats"
        try db.analyse { conn in
            try writeStatsTables(conn, unit: "110000", period: Period("2012-09")!, contacts: false, json: false, to: stats)
        }
        let exported = dir + "/export.csv"
        try DiscrepancyExport.write(report: dir + "/110000-2012-09/110000-2012-09.discrepancies.csv.gz",
                                    context: .init(unit: "110000", unitName: "", period: "2012-09", asOf: nil, unitNames: [:]),
                                    xlsx: dir + "/export.xlsx", csv: exported)

        var files = [w.findingsCSV, exported]
        let walker = FileManager.default.enumerator(atPath: stats)!
        while let f = walker.nextObject() as? String {
            if f.hasSuffix(".csv") { files.append(stats + "/" + f) }
        }
        #expect(files.contains(stats + "/counties/110105/priority.csv") && files.contains(stats + "/majors.csv"))
        var seen: Set<String> = []
        for f in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: f)))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(f): no BOM")
            let records = try Self.parseCSV(Array(bytes.dropFirst(3)), file: f)
            for cell in records.joined() {
                seen.insert(cell)
                if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                    #expect(PeopleCSV.isPlainNumber(cell.utf8), "\(f): cell \(cell.debugDescription) would run as a formula")
                }
            }
        }
        // Each dangerous value arrived, neutralised (so the test saw the paths that carry raw text).
        for v in [Self.injection, "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\tTAB", "@x", "+110105", "-1+1", "\r=1", "\t=2"] {
            #expect(seen.contains("'" + v), "\(v.debugDescription) not found neutralised")
        }
        #expect(try String(contentsOfFile: stats + "/majors.csv", encoding: .utf8).contains("'@SUM(1+1)"))
        #expect(try String(contentsOfFile: stats + "/counties/110105/priority.csv", encoding: .utf8).contains("'=HYPERLINK"))
        for f in files + [w.findingsXLSX, dir + "/export.xlsx"] { #expect(SecureFiles.mode(of: f) == 0o600, "\(f)") }
        // (The machine files of SPEC 3.1–3.3 are checked unchanged end to end: Tests/e2e/test_people_files.py.)
    }

    /// A deliberately simple RFC 4180 reader that insists on CRLF record ends.
    static func parseCSV(_ bytes: [UInt8], file: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quoted = false
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    quoted = false
                } else {
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22: quoted = true
            case 0x2C: record.append(String(decoding: field, as: UTF8.self)); field = []
            case 0x0D:
                guard i + 1 < bytes.count, bytes[i + 1] == 0x0A else { throw LoadError("\(file): bare CR outside quotes at byte \(i)") }
                record.append(String(decoding: field, as: UTF8.self))
                records.append(record)
                record = []
                field = []
                i += 1
            case 0x0A: throw LoadError("\(file): LF without CR at byte \(i)")
            default: field.append(b)
            }
            i += 1
        }
        guard record.isEmpty && field.isEmpty && !quoted else { throw LoadError("\(file): last record without CRLF") }
        return records
    }

    /// The sheet names listed in xl/workbook.xml (unzip, from the system).
    func sheetNames(_ path: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import sys, zipfile, re
            x = zipfile.ZipFile(sys.argv[1]).read('xl/workbook.xml').decode()
            print('\\n'.join(re.findall(r'<sheet name="([^"]*)"', x)))
            """, path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return out.split(separator: "\n").map(String.init)
    }
}
