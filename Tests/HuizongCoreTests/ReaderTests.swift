import Foundation
import Testing
import HuizongTestSupport

// The reader, through `aggregate run` on small hand-written files (SPEC 3.1): encodings, CSV
// rules, header finding and matching, the 附件2 template, line-level and whole-file rejections,
// physical line numbers. Gzip cases are in GzipTests.

/// Three valid people of county 110105 (IDs with hand-computed check digits).
func threePeople() -> [Person] {
    var a = Person(IDs.make("110105", "19900101", 11), name: "王芳", time: "2012-09-01 10:00:00")
    a.dest = "4"
    let b = Person(IDs.make("110105", "19910202", 22), name: "李娜", time: "2012-09-02 11:00:00")
    var c = Person(IDs.make("110108", "19890303", 33), name: "张伟", time: "2012-09-03 12:00:00")
    c.hukou = "110108"
    return [a, b, c]
}

/// `line:rule` for every report row about `file` (found by `finder`, when given), sorted.
func lineRules(_ out: RunOutputs, _ file: String, finder: String? = nil) -> [String] {
    out.report.filter { $0["来源文件"] == file && (finder == nil || $0["发现单位"] == finder) }.map { "\($0["行号"] ?? ""):\($0["规则"] ?? "")" }.sorted()
}

/// The expected summary lines (without 序号) of valid people, sorted by ID.
func expectedLines(_ people: [Person], county: String = "110105") -> [String] {
    people.sorted { $0.id < $1.id }.map { $0.canonicalLine(county: county) }
}

@Suite struct ReaderTests {
    // MARK: encodings

    @Test func bomIsIgnored() throws {
        let people = threePeople()
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(summaryText(people).utf8)
        let out = try require(try countyRun([("bom.csv", bytes)]), status: 0)
        #expect(out.canonicalLines == expectedLines(people))
        #expect(out.report.isEmpty)
        #expect(out.input("bom.csv")?["encoding"] as? String == "utf-8")
        #expect(counts(out.input("bom.csv"))["merged"] == 3)
    }

    @Test func gb18030FixtureWithFourByteSequence() throws {
        let fixture = readBytes(Paths.fixtures + "/gb18030.csv")
        // 𠀀 (U+20000) is the 4-byte GB18030 sequence 95 32 82 36 in the fixture.
        let fourByte: [UInt8] = [0x95, 0x32, 0x82, 0x36]
        #expect(fixture.count > 4 && (0...(fixture.count - 4)).contains { Array(fixture[$0..<($0 + 4)]) == fourByte })
        let out = try require(try countyRun([("gb18030.csv", fixture)]), status: 0)
        #expect(out.input("gb18030.csv")?["encoding"] as? String == "gb18030")
        #expect(out.report.isEmpty)
        let names = Set(out.rows.map { $0[1] })
        #expect(names == ["王𠀀", "刘彧", "谢䶮"])
        #expect(out.times[IDs.make("110105", "19900714", 3)] == "2012-09-04T10:00:00+08:00")
    }

    @Test func gb18030MadeByPythonReadsLikeItsUTF8Twin() throws {
        var people = threePeople()
        people[0].name = "𠀀𠀁"   // CJK Extension B: 4-byte sequences in GB18030
        people[1].school = "中国人民大学（苏州校区）"
        let text = summaryText(people).replacingOccurrences(of: "\n", with: "\r\n")
        let bytes = try gb18030(text)
        #expect(!bytes.elementsEqual(Array(text.utf8)))
        let out = try require(try countyRun([("excel.csv", bytes)]), status: 0)
        #expect(out.input("excel.csv")?["encoding"] as? String == "gb18030")
        #expect(out.canonicalLines == expectedLines(people))
    }

    @Test func forcedEncoding() throws {
        let people = threePeople()
        // A GB18030 file: auto-detected, and forced, it reads; forced to UTF-8 its header is not
        // valid UTF-8, so there is no header line at all.
        let gb = try gb18030(summaryText(people))
        let auto = try require(try countyRun([("gb.csv", gb)]), status: 0)
        #expect(auto.canonicalLines == expectedLines(people))
        let forcedGB = try require(try countyRun([("gb.csv", gb)], extra: ["--encoding", "gb18030"]), status: 0)
        #expect(forcedGB.canonicalLines == expectedLines(people))
        let forcedUTF8 = try require(try countyRun([("gb.csv", gb)], extra: ["--encoding", "utf-8"]), status: 2)
        #expect(forcedUTF8.input("gb.csv")?["status"] as? String == "rejected")
        #expect(lineRules(forcedUTF8, "gb.csv") == [":FILE_COLUMNS"])

        // A UTF-8 file with one bad byte in its first 64 KiB: detection says GB18030 (and the
        // header, read as GB18030, is garbage: rejected whole); forcing UTF-8 rejects only that line.
        var text = Array(summaryText(people).utf8)
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        var bad = Array(lines[2])
        bad.insert(0xFF, at: bad.firstIndex(of: UInt8(ascii: ","))! + 1)  // into 姓名 of line 3
        text = Array(lines[0]) + [0x0A] + Array(lines[1]) + [0x0A] + bad + [0x0A] + Array(lines[3]) + [0x0A]
        let detected = try require(try countyRun([("u.csv", text)]), status: 2)
        #expect(detected.input("u.csv")?["encoding"] as? String != "utf-8")
        #expect(detected.input("u.csv")?["status"] as? String == "rejected")
        let forced = try require(try countyRun([("u.csv", text)], extra: ["--encoding", "utf-8"]), status: 0)
        #expect(lineRules(forced, "u.csv") == ["3:LINE_ENCODING"])
        #expect(forced.canonicalLines == expectedLines([people[0], people[2]]))
    }

    @Test func invalidUTF8AfterTheFirst64KiBIsOneBadLine() throws {
        // 600 valid rows (> 64 KiB) decide UTF-8; then a line with a stray 0xFF byte, then a good one.
        var people: [Person] = (0..<600).map { Person.number($0) }
        people[0].school = "北京大学" + String(repeating: "医", count: 20)
        var bytes = Array(summaryText(people).utf8)
        #expect(bytes.count > 64 * 1024)
        var badPerson = Person.number(600)
        badPerson.name = "王X"
        var bad = Array((badPerson.line() + "\n").utf8)
        bad[bad.firstIndex(of: UInt8(ascii: "X"))!] = 0xFF
        bytes += bad
        let last = Person.number(601)
        bytes += Array((last.line() + "\n").utf8)
        let out = try require(try countyRun([("late.csv", bytes)]), status: 0)
        #expect(out.input("late.csv")?["encoding"] as? String == "utf-8")
        #expect(lineRules(out, "late.csv") == ["602:LINE_ENCODING"])
        #expect(out.ids == (people + [last]).map(\.id).sorted())
        #expect(counts(out.input("late.csv")) == ["linesRead": 602, "blank": 0, "rejected": 1, "merged": 601,
                                                  "superseded": 0, "duplicate": 0])
    }

    @Test func aLineThatIsNotValidGB18030IsOneBadLine() throws {
        let people = threePeople()
        var gb = try gb18030(summaryText(people))
        // Line 3 gets a byte that starts no GB18030 sequence (0xFF).
        var lineStarts = [0]
        for (i, b) in gb.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        gb.insert(0xFF, at: lineStarts[2] + 1)
        let out = try require(try countyRun([("gb.csv", gb)]), status: 0)
        #expect(out.input("gb.csv")?["encoding"] as? String == "gb18030")
        #expect(lineRules(out, "gb.csv") == ["3:LINE_ENCODING"])
        #expect(out.canonicalLines == expectedLines([people[0], people[2]]))
    }

    @Test func aCharacterCutByThe64KiBSampleStillMeansUTF8() throws {
        // The first byte of a 3-byte character sits at offset 65535: the sample ends inside it.
        let people: [Person] = (0..<200).map { Person.number($0) }
        let prefix = Array(summaryText(people).utf8)
        var last = Person.number(200)
        last.name = "王芳"
        let spaces = 65533 - prefix.count
        #expect(spaces > 0)
        var bytes = prefix + Array(repeating: UInt8(ascii: " "), count: spaces) + [0x0A]
        let row = Array((last.line() + "\n").utf8)
        #expect(row[1] == 0xE7 && row[0] == UInt8(ascii: ","))  // 王 = E7 8E 8B, right after 序号's comma
        bytes += row
        #expect(bytes[65535] == 0xE7)
        let out = try require(try countyRun([("cut.csv", bytes)]), status: 0)
        #expect(out.input("cut.csv")?["encoding"] as? String == "utf-8")
        #expect(out.report.isEmpty)
        #expect(counts(out.input("cut.csv")) == ["linesRead": 202, "blank": 1, "rejected": 0, "merged": 201, "superseded": 0, "duplicate": 0])
        #expect(out.rows.contains { $0[1] == "王芳" })
    }

    @Test func preambleValuesAreKeptAsWritten() throws {
        let people = threePeople()
        let columns = Array(canonicalColumns[0..<19])
        let lines = [csvLine(["2012届离校未就业高校毕业生信息汇总表"]),
                     csvLine(["填报省份：北京市", "填报单位：朝阳区人力资源和社会保障局（就业科）", "填报时间：２０１２年９月２８日",
                              "填报人：Ｌｉ Ｈｏｎｇ", "联系电话：０１０－６５０９１２３４"]),
                     csvLine(columns)] + people.map { $0.line(columns) }
        let out = try require(try countyRun(texts: [("t.csv", lines.joined(separator: "\n") + "\n")]), status: 0)
        let preamble = out.input("t.csv")?["preamble"] as? [String: String]
        #expect(preamble == ["填报省份": "北京市", "填报单位": "朝阳区人力资源和社会保障局（就业科）", "填报时间": "２０１２年９月２８日",
                             "填报人": "Ｌｉ Ｈｏｎｇ", "联系电话": "０１０－６５０９１２３４"])
        // Full-width digits still give the date (SPEC 5: full-width digits are digits).
        #expect(Set(out.rows.map { $0[19] }) == ["2012-09-28T00:00:00+08:00"])
    }

    // MARK: CSV rules

    @Test func crlfLineEndings() throws {
        var people = threePeople()
        people[2].unit = "110105"  // the last column is filled: no CR may stick to it
        let text = summaryText(people).replacingOccurrences(of: "\n", with: "\r\n")
        let out = try require(try countyRun(texts: [("crlf.csv", text)]), status: 0)
        #expect(out.report.isEmpty)
        #expect(out.canonicalLines == expectedLines(people))
        #expect(!out.summaryBytes.contains(0x0D))
    }

    @Test func headerAliasesAndReorderedColumns() throws {
        let people = threePeople()
        // Aliases (SPEC 3.1), full-width parentheses, padding spaces, and a shuffled order.
        let written = ["更新时间", "　姓名 ", "身份证号码", "性别", "就业去向（回访结果）", "毕业学校", "民族", "毕业日期",
                       "所学专业", "学历", "入学前户口所在地", "手机", "电子邮箱", "邮编", "固定电话", "就业服务需求",
                       "困难状况", "就业地意向", "就业意向", "序号"]
        let columns = written.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " 　")) }
        let text = ([csvLine(written)] + people.map { $0.line(columns) }).joined(separator: "\n") + "\n"
        let out = try require(try countyRun(texts: [("aliases.csv", text)]), status: 0)
        #expect(out.report.isEmpty, "\(out.report)")
        #expect(out.canonicalLines == expectedLines(people))
    }

    @Test func halfWidthParenthesesAliasToo() throws {
        let people = threePeople()
        let columns = canonicalColumns.map { $0 == "就业去向" ? "就业去向(回访结果)" : $0 == "公民身份号码" ? "公民身份证号码" : $0 }
        let out = try require(try countyRun(texts: [("half.csv", summaryText(people, columns: columns))]), status: 0)
        #expect(out.report.isEmpty)
        #expect(out.canonicalLines == expectedLines(people))
    }

    @Test func quotedCommasAndDoubledQuotes() throws {
        var people = threePeople()
        people[0].school = "北京大学,医学部"        // a comma inside a quoted field
        people[1].major = "\"法\"学"                // doubled quotes
        people[2].school = "清华大学"
        var text = summaryText(people)
        // A quoted field that needs no quotes: unquoted on output.
        text = text.replacingOccurrences(of: ",清华大学,", with: ",\"清华大学\",")
        #expect(text.contains("\"北京大学,医学部\"") && text.contains("\"\"\"法\"\"学\""))
        let out = try require(try countyRun(texts: [("quotes.csv", text)]), status: 0)
        #expect(out.report.isEmpty)
        #expect(out.canonicalLines == expectedLines(people))
        let raw = String(decoding: out.summaryBytes, as: UTF8.self)
        #expect(raw.contains(",\"北京大学,医学部\","))
        #expect(raw.contains(",\"\"\"法\"\"学\","))
        #expect(raw.contains(",清华大学,"))
    }

    @Test func unterminatedQuoteRejectsThatLineOnly() throws {
        let people = threePeople()
        let broken = Person.number(7)
        var lines = [csvLine(canonicalColumns), people[0].line()]
        lines.append(broken.line().replacingOccurrences(of: ",北京大学,", with: ",\"北京大学,"))  // line 3
        lines += [people[1].line(), people[2].line()]
        let out = try require(try countyRun(texts: [("q.csv", lines.joined(separator: "\n") + "\n")]), status: 0)
        #expect(lineRules(out, "q.csv") == ["3:LINE_QUOTE"])
        #expect(out.canonicalLines == expectedLines(people))
        #expect(counts(out.input("q.csv"))["rejected"] == 1)
    }

    @Test func fieldCountMustMatchTheHeader() throws {
        let people = threePeople()
        let lines = [csvLine(canonicalColumns), people[0].line(),
                     Person.number(8).line() + ",额外",                        // line 3: one too many
                     people[1].line(),
                     csvLine(canonicalColumns.dropLast(2).map(Person.number(9).value)),  // line 5: too few
                     people[2].line()]
        let out = try require(try countyRun(texts: [("f.csv", lines.joined(separator: "\n") + "\n")]), status: 0)
        #expect(lineRules(out, "f.csv") == ["3:LINE_FIELDS", "5:LINE_FIELDS"])
        #expect(out.canonicalLines == expectedLines(people))
    }

    @Test func lineLongerThanOneMiBIsRejectedAndReadingContinues() throws {
        let people = threePeople()
        let mib = 1 << 20
        // Line 3 is exactly 1 MiB (a long 毕业院校: SCHOOL_INVALID, not LINE_TOO_LONG); line 4 one
        // byte longer; line 6 is 5 MiB; line 8 (the last, without LF) is too long as well.
        func padded(_ n: Int, to length: Int) -> String {
            var p = Person.number(n)
            p.school = "x"
            let base = p.line().utf8.count
            p.school = String(repeating: "x", count: length - base + 1)
            let l = p.line()
            precondition(l.utf8.count == length)
            return l
        }
        let lines = [csvLine(canonicalColumns), people[0].line(), padded(20, to: mib), padded(21, to: mib + 1),
                     people[1].line(), padded(22, to: 5 * mib), people[2].line(), padded(23, to: mib + 10)]
        let out = try require(try countyRun(texts: [("long.csv", lines.joined(separator: "\n"))]), status: 0)
        #expect(lineRules(out, "long.csv") == ["3:SCHOOL_INVALID", "4:LINE_TOO_LONG", "6:LINE_TOO_LONG", "8:LINE_TOO_LONG"])
        #expect(out.canonicalLines == expectedLines(people))
        #expect(counts(out.input("long.csv")) == ["linesRead": 7, "blank": 0, "rejected": 4, "merged": 3,
                                                  "superseded": 0, "duplicate": 0])
    }

    @Test func blankLinesAreCountedAsBlank() throws {
        let people = threePeople()
        var bad = Person.number(5)
        bad.edu = "9"
        let lines = [csvLine(canonicalColumns), "", people[0].line(), ",,,,,", " , ,　,", people[1].line(),
                     "", bad.line(), people[2].line()]
        let out = try require(try countyRun(texts: [("blank.csv", lines.joined(separator: "\n") + "\n")]), status: 0)
        // Line numbers count blank lines: the bad row is physical line 8.
        #expect(lineRules(out, "blank.csv") == ["8:EDU_INVALID"])
        #expect(counts(out.input("blank.csv")) == ["linesRead": 8, "blank": 4, "rejected": 1, "merged": 3,
                                                   "superseded": 0, "duplicate": 0])
        #expect(out.canonicalLines == expectedLines(people))
    }

    // MARK: whole-file rejections and the header

    @Test(arguments: [("empty", [UInt8]()), ("bom-only", [0xEF, 0xBB, 0xBF])])
    func emptyFileIsRejectedWhole(label: String, bytes: [UInt8]) throws {
        let people = threePeople()
        let run = try countyRun([("a-good.csv", Array(summaryText(people).utf8)), ("b-\(label).csv", bytes)])
        let out = try require(run, status: 2)
        #expect(out.input("b-\(label).csv")?["status"] as? String == "rejected")
        let rows = out.report.filter { $0["来源文件"] == "b-\(label).csv" }
        #expect(rows.count == 1)
        #expect(rows.first?["规则"] == "FILE_EMPTY")
        #expect(rows.first?["行号"] == "" && rows.first?["字段"] == "")
        #expect(rows.first?["级别"] == "reject")
        #expect(out.canonicalLines == expectedLines(people))
    }

    @Test func headerOnlyIsReadWithNoRows() throws {
        let out = try require(try countyRun(texts: [("h.csv", csvLine(canonicalColumns) + "\n")]), status: 0)
        #expect(out.input("h.csv")?["status"] as? String == "read")
        #expect(counts(out.input("h.csv")) == ["linesRead": 0, "blank": 0, "rejected": 0, "merged": 0,
                                               "superseded": 0, "duplicate": 0])
        #expect(out.summaryLines == [canonicalColumns.joined(separator: ",")])
        #expect(out.report.isEmpty)
    }

    @Test func noHeaderLineIsFileColumns() throws {
        let people = threePeople()
        let text = people.map { $0.line() }.joined(separator: "\n") + "\n"
        let run = try countyRun(texts: [("a.csv", summaryText([people[0]])), ("nohead.csv", text)])
        let out = try require(run, status: 2)
        #expect(lineRules(out, "nohead.csv") == [":FILE_COLUMNS"])
        #expect(out.input("nohead.csv")?["status"] as? String == "rejected")
        #expect(out.ids == [people[0].id])
    }

    /// Issue 11: lines before the header are passed over on their bytes unless they hold 姓 or 填.
    /// A header after 50,000 data-like lines (some with 姓 or 填 in a cell) and a preamble is still
    /// found, its preamble read, and its rows numbered from the physical line; a file of such lines
    /// and no header is FILE_COLUMNS.
    @Test func theHeaderIsFoundAfterManyLinesAndItsAbsenceRejectsTheFile() throws {
        let people = threePeople()
        var filler = (0..<50_000).map { i in i % 1000 == 0 ? "姓氏,填写,\(i)" : Person.number(i).line() }
        filler.append("填报单位：北京市朝阳区")
        let header = canonicalColumns.joined(separator: ",")
        let late = (filler + [header] + people.map { $0.line() }).joined(separator: "\n") + "\n"
        let run = try countyRun(texts: [("late.csv", late), ("nohead.csv", filler.joined(separator: "\n") + "\n")])
        let out = try require(run, status: 2)
        #expect(out.canonicalLines == expectedLines(people))
        #expect(lineRules(out, "nohead.csv") == [":FILE_COLUMNS"])
        let preamble = out.input("late.csv")?["preamble"] as? [String: String]
        #expect(preamble?["填报单位"] == "北京市朝阳区")
        #expect(out.input("late.csv")?["linesRead"] as? Int == 3)
    }

    @Test(arguments: ["民族", "电子邮箱", "就业去向", "更新时间"])
    func missingRequiredColumnIsNamed(column: String) throws {
        let people = threePeople()
        let columns = canonicalColumns.filter { $0 != column }
        let run = try countyRun(texts: [("missing.csv", summaryText(people, columns: columns))])
        let out = try require(run, status: 2)
        let rows = out.report.filter { $0["来源文件"] == "missing.csv" }
        #expect(rows.map { $0["规则"] ?? "" } == ["FILE_COLUMNS"])
        #expect(rows.first?["说明"]?.contains(column) == true, "说明 must name \(column): \(rows)")
        #expect(out.summaryLines.count == 1)
    }

    @Test func unknownColumnIsFlaggedAndDropped() throws {
        let people = threePeople()
        let columns = Array(canonicalColumns[0..<5]) + ["备注"] + Array(canonicalColumns[5...])
        let text = ([csvLine(columns)] + people.map { p in
            csvLine(columns.map { $0 == "备注" ? "电话回访" : p.value($0) })
        }).joined(separator: "\n") + "\n"
        let out = try require(try countyRun(texts: [("extra.csv", text)]), status: 0)
        let flags = out.findings("FILE_EXTRA_COLUMN")
        #expect(flags.count == 1)
        #expect(flags.first?["行号"] == "1")
        #expect(flags.first?["字段"] == "备注")
        #expect(flags.first?["级别"] == "flag")
        #expect(out.canonicalLines == expectedLines(people))
        #expect(!String(decoding: out.summaryBytes, as: UTF8.self).contains("电话回访"))
    }

    // MARK: the 附件2 template

    @Test func templateFixtureTakesFillDateAsUpdateTime() throws {
        let out = try require(try countyRun([("template-2012.csv", readBytes(Paths.fixtures + "/template-2012.csv"))]), status: 0)
        #expect(out.report.isEmpty)
        #expect(out.rows.count == 4)
        #expect(Set(out.rows.map { $0[19] }) == ["2012-09-05T00:00:00+08:00"])
        #expect(Set(out.rows.map { $0[20] }) == ["110105"])
        let preamble = out.input("template-2012.csv")?["preamble"] as? [String: String]
        #expect(preamble == ["填报省份": "北京市", "填报单位": "朝阳区人力资源和社会保障局", "填报时间": "2012年9月5日",
                             "填报人": "李红", "联系电话": "010-65091234"])
        // linesRead counts the lines after the header (line 3).
        #expect(counts(out.input("template-2012.csv"))["linesRead"] == 4)
    }

    @Test func templateLineNumbersArePhysical() throws {
        let people = threePeople()
        let columns = Array(canonicalColumns[0..<19])
        var bad = Person.number(6)
        bad.hardship = "0"
        let lines = [
            csvLine(["2012届离校未就业高校毕业生信息汇总表"] + Array(repeating: "", count: 18)),
            "",
            csvLine(["填报省份：", "北京市", "填报单位：", "朝阳区就业服务中心", "填报时间：", "2012 年 9 月 28 日", "填报人：",
                     "王五", "联系电话：", "010-85998000"]),
            csvLine(columns + ["备注"]),            // line 4: the header, with an unknown column
            people[0].line(columns) + ",",
            "",
            bad.line(columns) + ",已回访",          // line 7
            people[1].line(columns) + ",",
            people[2].line(columns) + ",",
        ]
        let out = try require(try countyRun(texts: [("t.csv", lines.joined(separator: "\r\n") + "\r\n")]), status: 0)
        #expect(lineRules(out, "t.csv") == ["4:FILE_EXTRA_COLUMN", "7:HARDSHIP_INVALID"])
        #expect(out.findings("FILE_EXTRA_COLUMN").first?["字段"] == "备注")
        #expect(Set(out.rows.map { $0[19] }) == ["2012-09-28T00:00:00+08:00"])
        #expect(counts(out.input("t.csv")) == ["linesRead": 5, "blank": 1, "rejected": 1, "merged": 3,
                                               "superseded": 0, "duplicate": 0])
        let preamble = out.input("t.csv")?["preamble"] as? [String: String]
        #expect(preamble?["填报时间"] == "2012 年 9 月 28 日")
        #expect(preamble?["填报单位"] == "朝阳区就业服务中心")
        #expect(preamble?.keys.sorted() == ["填报人", "填报单位", "填报时间", "填报省份", "联系电话"].sorted())
    }

    @Test func templateWithoutFillDateIsFileColumns() throws {
        let people = threePeople()
        let columns = Array(canonicalColumns[0..<19])
        let lines = [csvLine(["2012届离校未就业高校毕业生信息汇总表"]),
                     csvLine(["填报省份：北京市", "填报单位：朝阳区", "填报人：王五", "联系电话：010-85998000"]),
                     csvLine(columns)] + people.map { $0.line(columns) }
        let run = try countyRun(texts: [("a.csv", summaryText([people[0]])), ("t.csv", lines.joined(separator: "\n") + "\n")])
        let out = try require(run, status: 2)
        let rows = out.report.filter { $0["来源文件"] == "t.csv" }
        #expect(rows.map { $0["规则"] ?? "" } == ["FILE_COLUMNS"])
        #expect(rows.first?["说明"]?.contains("更新时间") == true)
        #expect(out.ids == [people[0].id])
    }
}
