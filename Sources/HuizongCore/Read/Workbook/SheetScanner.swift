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
///
/// Two ways through a cell, giving the same result (SheetScannerTests compares them):
/// - the whole-cell matcher (`fastCell`): the forms Excel and most writers emit —
///   `<c …/>`, `<c …><v>…</v></c>`, `<c … t="inlineStr"><is><t>…</t></is></c>` — matched in one
///   pass over the buffer, where the tag scanner takes five calls (`<c>`, `<v>`, text, `</v>`,
///   `</c>`); measured at about a third of the sheet's scanning cost (docs/excel.md);
/// - the tag-by-tag path for everything else (formulas, rich text, phonetic guides, prefixes,
///   a cell straddling the end of the buffer): the matcher declines without consuming anything.
public final class SheetScanner {
    private let scanner: XMLByteScanner
    private let strings: SharedStrings
    private var lastRow = 0
    private var done = false
    /// The whole-cell matcher is tried first (tests turn it off to compare the two paths).
    var fastCells = true

    public init(source: ByteSource, sharedStrings: SharedStrings) {
        scanner = XMLByteScanner(source: source)
        strings = sharedStrings
    }

    /// What `<c>`'s attributes say: `r`, `s`, and the first two bytes of `t`
    /// (s(tring) n(umber) b(oolean) e(rror) i(nlineStr) d(ate) st(r), 0 = none).
    struct CellAttributes {
        var ref: UnsafeBufferPointer<UInt8>?
        var style = 0
        var kind: UInt8 = 0
        var kind2: UInt8 = 0
    }

    /// One pass over the attributes of `<c>`.
    @inline(__always)
    static func cellAttributes(_ a: UnsafeBufferPointer<UInt8>) -> CellAttributes {
        var out = CellAttributes()
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
            case 0x72: out.ref = value // r
            case 0x73: // s
                var v = 0
                for b in value { v = v &* 10 &+ Int(b &- 0x30) }
                out.style = v
            case 0x74: // t
                out.kind = value.count > 0 ? value[0] : 0
                out.kind2 = value.count > 1 ? value[1] : 0
            default: break
            }
        }
        return out
    }

    /// The 0-based column of a cell: from its reference, else the one after `previous`.
    @inline(__always)
    static func column(_ ref: UnsafeBufferPointer<UInt8>?, after previous: Int) throws(FileRejection) -> Int {
        guard let ref else { return previous + 1 }
        var col = 0
        for b in ref {
            let u = b | 0x20 // ASCII lower case
            guard u >= 0x61, u <= 0x7A else { break }
            col = col &* 26 &+ Int(u - 0x60)
        }
        let column = col - 1
        if column < 0 || column > 16_383 { throw ZipArchive.corrupt("单元格引用无效 bad cell reference") }
        return column
    }

    /// Appends a `<v>` value (still escaped) to the row as its cell's text; its kind.
    @inline(__always)
    private func appendValue(_ t: UnsafeBufferPointer<UInt8>, kind: UInt8, kind2: UInt8,
                             to row: inout SheetRow) throws(FileRejection) -> SheetRow.Kind {
        switch kind {
        case 0x73 where kind2 != 0x74: // s: shared string index
            var index = 0
            for b in t where b &- 0x30 <= 9 { index = index &* 10 &+ Int(b &- 0x30) }
            guard let r = strings.range(index) else {
                throw ZipArchive.corrupt("共享字符串索引越界 shared string index out of range")
            }
            strings.arena.withUnsafeBufferPointer { row.text.append(contentsOf: UnsafeBufferPointer(rebasing: $0[r])) }
            return .text
        case 0x62: // b
            if t.count == 1 && t[0] == 0x31 { row.text.append(contentsOf: [0x54, 0x52, 0x55, 0x45]) } // TRUE
            else { row.text.append(contentsOf: [0x46, 0x41, 0x4C, 0x53, 0x45]) } // FALSE
            return .text
        case 0x73, 0x65, 0x69: // str (formula result), e (error), inlineStr with a stray <v>
            XMLByteScanner.appendDecoded(t, xstring: true, to: &row.text)
            return .text
        case 0x64: // d
            XMLByteScanner.appendDecoded(t, xstring: false, to: &row.text)
            return .isoDate
        default: // n or none: a number
            XMLByteScanner.appendDecoded(t, xstring: false, to: &row.text)
            return .number
        }
    }

    /// `p[i...]` starts with `literal`.
    @inline(__always)
    private static func has(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        let l = literal.utf8Start
        for k in 0..<n where p[i + k] != l[k] { return false }
        return true
    }

    /// The whole-cell matcher (see the type's comment): matches one common cell at the scanner's
    /// position and appends it to `row`; false, nothing consumed, for anything else.
    @inline(__always)
    private func fastCell(_ row: inout SheetRow, _ column: inout Int) throws(FileRejection) -> Bool {
        guard try scanner.ensure(4096) else { return false }
        let p = scanner.unread
        let n = p.count
        var o = 0  // whitespace between cells (an indented sheet) is no text of theirs
        while o < n, p[o] <= 0x20 { o += 1 }
        guard o + 4 < n, p[o] == 0x3C, p[o + 1] == 0x63, p[o + 2] == 0x20 || p[o + 2] == 0x3E || p[o + 2] == 0x2F else {
            return false
        }
        var gt = o + 2
        while gt < n, p[gt] != 0x3E { gt += 1 }
        guard gt < n else { return false }
        let empty = p[gt - 1] == 0x2F
        let a = Self.cellAttributes(UnsafeBufferPointer(rebasing: p[(o + 2)..<(empty ? gt - 1 : gt)]))
        if empty {
            column = try Self.column(a.ref, after: column)
            scanner.consume(gt + 1)
            return true
        }
        var i = gt + 1
        let inline = a.kind == 0x69
        if inline {
            // <is><t>…</t></is></c>, <t> perhaps with attributes (xml:space="preserve").
            guard Self.has(p, i, "<is><t") else { return false }
            i += 6
            guard i < n, p[i] == 0x3E || p[i] == 0x20 else { return false }
            while i < n, p[i] != 0x3E { i += 1 }
            guard i < n, p[i - 1] != 0x2F else { return false }
            i += 1
        } else {
            guard Self.has(p, i, "<v>") else { return false }
            i += 3
        }
        let valueStart = i
        while i < n, p[i] != 0x3C { i += 1 }
        let value = UnsafeBufferPointer(rebasing: p[valueStart..<i])
        if inline {
            guard Self.has(p, i, "</t></is></c>") else { return false }
            i += 13
        } else {
            guard Self.has(p, i, "</v></c>") else { return false }
            i += 8
        }
        let col = try Self.column(a.ref, after: column)
        let start = row.text.count
        let kind: SheetRow.Kind
        if inline {
            XMLByteScanner.appendDecoded(value, xstring: true, to: &row.text)
            kind = .text
        } else {
            kind = try appendValue(value, kind: a.kind, kind2: a.kind2, to: &row)
        }
        row.cells.append(SheetRow.Cell(column: col, kind: kind, style: a.style, value: start..<row.text.count))
        column = col
        scanner.consume(i)
        return true
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
        while true {
            if inRow && fastCells && inlineStart < 0 && phonetic == 0 {
                while try fastCell(&row, &column) {}
            }
            guard let tag = try scanner.nextTag() else { break }
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
                let a = Self.cellAttributes(tag.attributes)
                style = a.style
                kindAttr = a.kind
                kindAttr2 = a.kind2
                column = try Self.column(a.ref, after: column)
                if kindAttr == 0x69, tag.kind == .start { inlineStart = row.text.count } // inlineStr
            case 1 where name[0] == 0x76: // v
                guard tag.kind == .start, column >= 0 else { continue }
                let t = try scanner.text()
                let start = row.text.count
                let cellKind = try appendValue(t, kind: kindAttr, kind2: kindAttr2, to: &row)
                if inlineStart < 0 {
                    row.cells.append(SheetRow.Cell(column: column, kind: cellKind, style: style, value: start..<row.text.count))
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
