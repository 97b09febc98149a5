import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

// The workbook byte scanner on small hand-written XML (SPEC 8.2); expected values by hand.

/// Bytes handed out a few at a time, so that tags and text straddle the scanner's refills.
final class Drip: ByteSource {
    let bytes: [UInt8]
    let step: Int
    var offset = 0
    init(_ text: String, step: Int = 7) { bytes = Array(text.utf8); self.step = step }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        let n = min(step, buffer.count, bytes.count - offset)
        for i in 0..<n { buffer[i] = bytes[offset + i] }
        offset += n
        return n
    }
}

/// Every row as (number, [column letter index: (kind, text)]).
func scanRows(_ xml: String, strings: [String] = [], step: Int = 7,
              fastCells: Bool = true) throws -> [(Int, [Int: (SheetRow.Kind, String, Int)])] {
    let scanner = SheetScanner(source: Drip(xml, step: step), sharedStrings: SharedStrings(strings))
    scanner.fastCells = fastCells
    var row = SheetRow()
    var out: [(Int, [Int: (SheetRow.Kind, String, Int)])] = []
    while try scanner.next(into: &row) {
        var cells: [Int: (SheetRow.Kind, String, Int)] = [:]
        for c in row.cells { cells[c.column] = (c.kind, row.string(c), c.style) }
        out.append((row.number, cells))
    }
    return out
}

@Suite struct SheetScannerTests {
    let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C4"/><sheetData>"#
    let tail = #"</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>"#

    @Test func sharedInlineNumbersBooleansErrorsFormulas() throws {
        let xml = head + #"""
        <row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
        <row r="3"><c r="A3" s="2"><v>41122.5</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c></row>
        <row r="4"><c r="B4" t="inlineStr"><is><r><t>王</t></r><r><rPr><b/></rPr><t xml:space="preserve">芳 </t></r><rPh><t>ワン</t></rPh></is></c><c r="C4" t="str"><f>A1&amp;"x"</f><v>a&lt;b&amp;c</v></c><c r="D4"><f>1+1</f><v>2</v></c><c r="E4" s="1"/></row>
        <row r="5"><c r="AA5" t="inlineStr"><is><t>a_x000D_b</t></is></c></row>
        """# + tail
        let rows = try scanRows(xml, strings: ["姓名", "公民身份号码"])
        #expect(rows.map(\.0) == [1, 3, 4, 5])
        #expect(rows[0].1[0]!.1 == "姓名" && rows[0].1[2]!.1 == "公民身份号码" && rows[0].1[1] == nil)
        #expect(rows[1].1[0]!.0 == .number && rows[1].1[0]!.1 == "41122.5" && rows[1].1[0]!.2 == 2)
        #expect(rows[1].1[1]!.1 == "TRUE" && rows[1].1[2]!.1 == "#N/A")
        #expect(rows[2].1[1]!.0 == .text && rows[2].1[1]!.1 == "王芳 ")  // rich runs joined, phonetic left out
        #expect(rows[2].1[2]!.1 == "a<b&c")                              // a formula's cached string
        #expect(rows[2].1[3]!.0 == .number && rows[2].1[3]!.1 == "2")   // a formula's cached number
        #expect(rows[2].1[4] == nil)                                     // a styled empty cell holds nothing
        #expect(rows[3].1[26]!.1 == "a\rb")                              // AA = column 26; _x000D_ decoded
    }

    @Test func rowsAndCellsWithoutReferencesAndWithAPrefix() throws {
        let xml = #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>"#
            + #"<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>1.50</x:v></x:c></x:row>"#
            + #"<x:row/><x:row r="7"><x:c r="C7" t="inlineStr"><x:is><x:t>&#20013;&#x6587;</x:t></x:is></x:c><x:c><x:v>-0</x:v></x:c></x:row>"#
            + #"</x:sheetData></x:worksheet>"#
        for step in [1, 3, 64, 1 << 16] {
            let rows = try scanRows(xml, step: step)
            #expect(rows.map(\.0) == [1, 2, 7])
            #expect(rows[0].1[0]!.1 == "a" && rows[0].1[1]!.1 == "1.50")
            #expect(rows[1].1.isEmpty)
            #expect(rows[2].1[2]!.1 == "中文" && rows[2].1[3]!.1 == "-0")
        }
    }

    /// The whole-cell matcher and the tag-by-tag path read the same sheet alike: every cell form
    /// (the matcher's and the ones it declines), indentation, and every chunk size, so that cells
    /// straddle the buffer's end.
    @Test func wholeCellMatcherAgreesWithTagByTag() throws {
        var rng = SystemRandomNumberGenerator()
        let strings = ["姓名", "公民身份号码", "北京大学", "a&b", ""]
        let formCount = 13
        func form(_ k: Int, _ column: Int, _ shared: Int) -> String {
            let ref = Self.letters(column) + "ROW"
            switch k {
            case 0: return "<c r=\"\(ref)\" t=\"s\"><v>\(shared)</v></c>"
            case 1: return "<c r=\"\(ref)\" s=\"3\"><v>41127.5</v></c>"
            case 2: return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>王&amp;芳_x000D_</t></is></c>"
            case 3: return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> 空格 </t></is></c>"
            case 4: return "<c r=\"\(ref)\" t=\"b\"><v>1</v></c>"
            case 5: return "<c r=\"\(ref)\" t=\"e\"><v>#N/A</v></c>"
            case 6: return "<c r=\"\(ref)\" t=\"str\"><f>A1</f><v>x&lt;y</v></c>"
            case 7: return "<c r=\"\(ref)\" s=\"1\"/>"
            case 8: return "<c t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c>"
            case 9: return "<c><v>110105</v></c>"
            case 10: return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>拼</t><rPh><t>ピン</t></rPh></is></c>"
            case 11: return "<c r=\"\(ref)\" t=\"d\"><v>2012-08-06T09:12:00</v></c>"
            default: return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t/></is></c>"
            }
        }
        var xml = head
        for r in 1...300 {
            xml += r % 7 == 0 ? "\n  <row r=\"\(r)\">\n    " : "<row r=\"\(r)\">"
            for col in 0..<Int.random(in: 0...12, using: &rng) {
                let k = Int.random(in: 0..<formCount, using: &rng), shared = Int.random(in: 0..<strings.count, using: &rng)
                xml += form(k, col, shared).replacingOccurrences(of: "ROW", with: String(r))
                if r % 7 == 0 { xml += "\n    " }
            }
            xml += "</row>"
        }
        xml += tail
        func flat(_ rows: [(Int, [Int: (SheetRow.Kind, String, Int)])]) -> [String] {
            rows.map { r in "\(r.0):" + r.1.keys.sorted().map { "\($0)=\(r.1[$0]!.0)/\(r.1[$0]!.1)/\(r.1[$0]!.2)" }.joined(separator: ";") }
        }
        let reference = flat(try scanRows(xml, strings: strings, step: 1 << 20, fastCells: false))
        #expect(reference.count == 300)
        #expect(reference.contains { $0.contains("=text/王&芳\r/0") } && reference.contains { $0.contains("=text/富文本/") })
        for step in [1, 5, 97, 4099, 1 << 20] {
            #expect(flat(try scanRows(xml, strings: strings, step: step, fastCells: true)) == reference, "step \(step)")
        }
    }

    static func letters(_ column: Int) -> String {
        var s = "", j = column + 1
        while j > 0 { let r = (j - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; j = (j - 1) / 26 }
        return s
    }

    @Test func sharedStringsPart() throws {
        let xml = #"<sst xmlns="…" count="4" uniqueCount="4"><si><t>序号</t></si><si><t/></si>"#
            + #"<si><r><t>就业去向</t></r><r><t>（回访结果）</t></r></si><!-- a <si> in a comment --><si><t>x &gt; y</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si><si><t>a_x000A_b_x005F_x</t></si></sst>"#
        let s = try SharedStrings(source: Drip(xml, step: 5))
        #expect(s.count == 5)
        #expect((0..<5).map { s.string($0)! } == ["序号", "", "就业去向（回访结果）", "x > y", "a\nb_x"])
        #expect(s.string(5) == nil)
    }

    @Test func sharedStringIndexOutOfRangeIsFileFormat() {
        let xml = head + #"<row r="1"><c r="A1" t="s"><v>5</v></c></row>"# + tail
        #expect(throws: FileRejection.self) { try scanRows(xml, strings: ["a"]) }
        do { _ = try scanRows(xml, strings: ["a"]) } catch { #expect((error as? FileRejection)?.rule == .fileFormat) }
    }

    @Test func numbersAsShortestDecimals() {
        func text(_ s: String) -> String {
            var out: [UInt8] = []
            ExcelValue.appendNumber(Array(s.utf8), to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(text("110105") == "110105")
        #expect(text("1.50") == "1.5")
        #expect(text("3.0") == "3")
        #expect(text("-0") == "0")
        #expect(text("0.30000000000000004") == "0.30000000000000004")
        #expect(text("1.1010519900101123E+17") == "110105199001011230")
        #expect(text("110105199001011234") == "110105199001011230")  // 18 digits: the double's shortest form
        #expect(text("1E-05") == "0.00001")
        #expect(text("13800138000") == "13800138000")
    }

    @Test func serialDatesInBothSystems() {
        func date(_ s: String, _ d1904: Bool = false, dateOnly: Bool = false) -> String? {
            ExcelValue.serialDate(Array(s.utf8), date1904: d1904, dateOnly: dateOnly).map { String(decoding: $0, as: UTF8.self) }
        }
        // 2012-08-06 is day 41127 in the 1900 system (Excel: =DATE(2012,8,6) → 41127), 39665 in 1904.
        #expect(date("41127") == "2012-08-06 00:00:00")
        #expect(date("39665", true) == "2012-08-06 00:00:00")
        #expect(date("41127.383333333331") == "2012-08-06 09:12:00")  // 9:12 = 0.38333… of a day
        #expect(date("41127.999999999") == "2012-08-07 00:00:00")     // rounded to the nearest second
        #expect(date("41091", dateOnly: true) == "2012-07-01")
        #expect(date("1") == "1900-01-01 00:00:00")
        #expect(date("59") == "1900-02-28 00:00:00")
        #expect(date("61") == "1900-03-01 00:00:00")
        #expect(date("0", true) == "1904-01-01 00:00:00")
        #expect(date("-1") == nil)
    }

    @Test func dateFormatCodes() {
        for code in ["yyyy/m/d", "yyyy/m/d h:mm", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy-mm-dd", "h:mm:ss", "[h]:mm", "上午/下午h\"时\"mm\"分\""] {
            #expect(NumberFormat.isDate(code), "\(code)")
        }
        for code in ["General", "0", "0.00", "#,##0", "@", "0.00E+00", "\"d\"0", "[Red]0.00", "0;[Red]-0"] {
            #expect(!NumberFormat.isDate(code), "\(code)")
        }
        #expect(NumberFormat.isBuiltInDate(14) && NumberFormat.isBuiltInDate(22) && NumberFormat.isBuiltInDate(57))
        #expect(!NumberFormat.isBuiltInDate(0) && !NumberFormat.isBuiltInDate(49))
    }

    @Test func excelDisplayTimesAndScientificIDs() {
        func t(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { UpdateTimeRule.parse($0) } }
        let want = t("2012-08-06 09:12:00")
        #expect(want != nil)
        #expect(t("2012/8/6 9:12") == want)
        #expect(t("2012/08/06 09:12:00") == want)
        #expect(t("2012/8/6 9:12:05") == want! + 5)
        #expect(t("2012/8/6 9:2") == nil)
        #expect(t("2012/2/30 9:12") == nil)
        #expect(t("2012/8/6 24:00") == nil)
        #expect(t("2012/8/6") == nil)
        func sci(_ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { CitizenIDRule.looksLikeExcelNumber($0) } }
        #expect(sci("1.10105E+17") && sci("1.10105e17") && sci("1E+17"))
        #expect(!sci("110105199003150025") && !sci("11010519900315002X") && !sci("1.10105") && !sci("E+17"))
    }
}
