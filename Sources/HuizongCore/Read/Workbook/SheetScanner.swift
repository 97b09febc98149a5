/// One row of a worksheet as written: its number and its cells' values (SPEC 8.2). Storage is
/// reused row after row.
public struct SheetRow {
    public enum Kind: Equatable, Sendable {
        /// Shared or inline string, formula string result, error (`#N/A`) or boolean (`TRUE`).
        case text
        /// A number as written in `<v>` (still to be written as its shortest decimal).
        case number
        /// An ISO 8601 date cell (`t="d"`), as written.
        case isoDate
    }

    public struct Cell: Sendable {
        /// 0-based column (A = 0).
        public var column: Int
        public var kind: Kind
        /// The cell style (`s`), an index into the workbook's cell formats.
        public var style: Int
        /// The value's bytes in `SheetRow.text`.
        public var value: Range<Int>
    }

    /// 1-based sheet row number.
    public var number = 0
    public var cells: [Cell] = []
    /// The cells' values back to back (UTF-8, decoded).
    public var text: [UInt8] = []

    public init() {
        cells.reserveCapacity(32)
        text.reserveCapacity(1024)
    }

    public func value(_ cell: Cell) -> ArraySlice<UInt8> { text[cell.value] }
    public func string(_ cell: Cell) -> String { String(decoding: text[cell.value], as: UTF8.self) }
}

/// Streams the rows of one worksheet part (`<sheetData>`), shared strings resolved. Hot path: a
/// 1M-row sheet passes through here, so it works on the byte scanner's views and appends values
/// straight into the reused row; no DOM, no per-cell allocation (SPEC 8.2, docs/excel.md).
/// `<row r>` and `<c r>` may be left out (then the next row / column); a namespace prefix is fine.
public final class SheetScanner {
    private let scanner: XMLByteScanner
    private let strings: SharedStrings
    private var lastRow = 0
    private var done = false

    public init(source: ByteSource, sharedStrings: SharedStrings) {
        scanner = XMLByteScanner(source: source)
        strings = sharedStrings
    }

    /// Fills `row` with the next `<row>`; false at the end of the sheet.
    public func next(into row: inout SheetRow) throws(FileRejection) -> Bool {
        guard !done else { return false }
        row.cells.removeAll(keepingCapacity: true)
        row.text.removeAll(keepingCapacity: true)
        var inRow = false
        // The open cell.
        var column = -1
        var kindAttr: UInt8 = 0 // first byte of `t`: s(tring) n(umber) b(oolean) e(rror) i(nlineStr) d(ate), 0 = none
        var kindAttr2: UInt8 = 0 // second byte (`str` vs `s`)
        var style = 0
        var inlineStart = -1
        var phonetic = 0
        while let tag = try scanner.nextTag() {
            let name = tag.name
            switch name.count {
            case 1 where name[0] == 0x63: // c
                if tag.kind == .end {
                    if inlineStart >= 0 {
                        row.cells.append(SheetRow.Cell(column: column, kind: .text, style: style,
                                                       value: inlineStart..<row.text.count))
                        inlineStart = -1
                    }
                    continue
                }
                // One pass over the attributes: r, s, t.
                let a = tag.attributes
                var ref: UnsafeBufferPointer<UInt8>?
                style = 0
                kindAttr = 0
                kindAttr2 = 0
                var i = 0
                let n = a.count
                while i < n {
                    while i < n, a[i] <= 0x20 { i += 1 }
                    guard i < n else { break }
                    let attrName = a[i]
                    let single = i + 1 < n && (a[i + 1] == 0x3D || a[i + 1] <= 0x20)
                    while i < n, a[i] != 0x22, a[i] != 0x27 { i += 1 }
                    guard i < n else { break }
                    let quote = a[i]
                    i += 1
                    let start = i
                    while i < n, a[i] != quote { i += 1 }
                    let value = UnsafeBufferPointer(rebasing: a[start..<i])
                    i += 1
                    guard single else { continue }
                    switch attrName {
                    case 0x72: ref = value // r
                    case 0x73: // s
                        var v = 0
                        for b in value { v = v &* 10 &+ Int(b &- 0x30) }
                        style = v
                    case 0x74: // t
                        kindAttr = value.count > 0 ? value[0] : 0
                        kindAttr2 = value.count > 1 ? value[1] : 0
                    default: break
                    }
                }
                if let ref {
                    var col = 0
                    for b in ref {
                        let u = b | 0x20 // ASCII lower case
                        guard u >= 0x61, u <= 0x7A else { break }
                        col = col &* 26 &+ Int(u - 0x60)
                    }
                    column = col - 1
                    if column < 0 || column > 16_383 { throw ZipArchive.corrupt("单元格引用无效 bad cell reference") }
                } else {
                    column += 1
                }
                if kindAttr == 0x69, tag.kind == .start { inlineStart = row.text.count } // inlineStr
            case 1 where name[0] == 0x76: // v
                guard tag.kind == .start, column >= 0 else { continue }
                let kind = kindAttr, kind2 = kindAttr2, col = column, st = style
                let t = try scanner.text()
                let start = row.text.count
                var cellKind = SheetRow.Kind.text
                switch kind {
                case 0x73 where kind2 != 0x74: // s: shared string index
                    var index = 0
                    for b in t where b &- 0x30 <= 9 { index = index &* 10 &+ Int(b &- 0x30) }
                    guard let r = strings.range(index) else {
                        throw ZipArchive.corrupt("共享字符串索引越界 shared string index out of range")
                    }
                    strings.arena.withUnsafeBufferPointer { row.text.append(contentsOf: UnsafeBufferPointer(rebasing: $0[r])) }
                case 0x62: // b
                    if t.count == 1 && t[0] == 0x31 { row.text.append(contentsOf: [0x54, 0x52, 0x55, 0x45]) } // TRUE
                    else { row.text.append(contentsOf: [0x46, 0x41, 0x4C, 0x53, 0x45]) } // FALSE
                case 0x73, 0x65, 0x69: // str (formula result), e (error), inlineStr with a stray <v>
                    XMLByteScanner.appendDecoded(t, xstring: true, to: &row.text)
                case 0x64: // d
                    cellKind = .isoDate
                    XMLByteScanner.appendDecoded(t, xstring: false, to: &row.text)
                default: // n or none: a number
                    cellKind = .number
                    XMLByteScanner.appendDecoded(t, xstring: false, to: &row.text)
                }
                if inlineStart < 0 {
                    row.cells.append(SheetRow.Cell(column: col, kind: cellKind, style: st, value: start..<row.text.count))
                }
                scanner.skipEndTag()  // </v>
            case 1 where name[0] == 0x74: // t (inline string text)
                guard tag.kind == .start, inlineStart >= 0, phonetic == 0 else { continue }
                XMLByteScanner.appendDecoded(try scanner.text(), xstring: true, to: &row.text)
            case 3 where name[0] == 0x72 && name[1] == 0x6F && name[2] == 0x77: // row
                if tag.kind == .end {
                    if inRow { return true }
                    continue
                }
                var number = lastRow + 1
                if let r = tag.attribute("r") {
                    var v = 0
                    for b in r where b &- 0x30 <= 9 { v = v &* 10 &+ Int(b &- 0x30) }
                    if v > 0 { number = v }
                }
                if number <= lastRow { number = lastRow + 1 } // rows out of order: keep the count strict
                guard number <= 1_048_576 * 16 else { throw ZipArchive.corrupt("行号无效 bad row number") }
                lastRow = number
                row.number = number
                column = -1
                if tag.kind == .empty { return true }
                inRow = true
            case 3 where name[0] == 0x72 && name[1] == 0x50 && name[2] == 0x68: // rPh (phonetic guide)
                if tag.kind == .start { phonetic += 1 } else if tag.kind == .end { phonetic -= 1 }
            case 9 where tag.named("sheetData"):
                if tag.kind != .start {
                    done = true
                    return inRow
                }
            default:
                continue
            }
        }
        done = true
        return inRow
    }
}
