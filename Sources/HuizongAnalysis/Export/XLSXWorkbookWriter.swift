import CXlsxWriter
import HuizongCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `.xlsx` file for people (SPEC 8.3), written with libxlsxwriter in its constant-memory
/// mode: each sheet's rows go to a temporary file as they are written (one row in memory per
/// sheet), and the workbook is zipped from those files by `close()`. So a findings list of any
/// length is written in a few megabytes.
///
/// What an official gets:
/// - a readme sheet first (`说明`: what the file is, for which unit and period, as of when);
/// - one sheet per table, Chinese column names in a bold header row that stays frozen on top;
/// - IDs, codes and dates as text cells (column format `@`, so an edited cell stays text too),
///   counts as numbers; every value a typed cell (`worksheet_write_string` /
///   `worksheet_write_number`), never a formula — a value `=HYPERLINK(…)` is shown as written;
/// - column widths fitted to the longest value (Chinese characters count double, capped);
/// - more rows than a sheet holds (1,048,576 with the header) continue on `name (2)`, `(3)` …;
/// - the file is 0600, written under a temporary name beside the target and renamed into place,
///   so a reader never sees half a workbook.
///
/// Rows must be written in order within a sheet (constant-memory mode); sheets may be filled
/// in any interleaving.
public final class XLSXWorkbookWriter {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public enum Kind: Sendable {
        /// A text cell (IDs, codes, dates, names, messages).
        case text
        /// A number cell when the value is a plain decimal; an empty value stays empty; anything
        /// else is written as text.
        case number
    }

    public struct Column: Sendable {
        public var name: String
        public var kind: Kind
        public init(_ name: String, _ kind: Kind = .text) {
            self.name = name
            self.kind = kind
        }
    }

    /// Excel's limits.
    public static let maxRows = 1_048_576
    public static let maxCellCharacters = 32_767
    public static let maxSheetNameLength = 31
    static let truncatedMark = "…〔截断 truncated〕"

    /// One logical table; continues on further worksheets when it outgrows one.
    public final class Sheet {
        public let name: String
        public let columns: [Column]
        unowned let book: XLSXWorkbookWriter
        var worksheets: [UnsafeMutablePointer<lxw_worksheet>] = []
        var current: UnsafeMutablePointer<lxw_worksheet>
        /// The next row of the current worksheet (0 is the header).
        var row: UInt32 = 1
        /// Display widths (characters, CJK counted double) per column.
        var widths: [Int]
        var wrap: Set<Int>
        public private(set) var rowsWritten = 0

        init(book: XLSXWorkbookWriter, name: String, columns: [Column], worksheet: UnsafeMutablePointer<lxw_worksheet>,
             wrap: Set<Int>) {
            self.book = book
            self.name = name
            self.columns = columns
            self.current = worksheet
            self.wrap = wrap
            worksheets = [worksheet]
            widths = columns.map { XLSXWorkbookWriter.displayWidth($0.name) }
        }

        /// Writes one row; `values[i]` goes under `columns[i]` (missing values are empty);
        /// `allText`: as text even in number columns (a row of codes in a mixed table).
        public func write(_ values: [String], allText: Bool = false) throws {
            if Int(row) >= book.rowsPerSheet { try book.continueSheet(self) }
            for (i, column) in columns.enumerated() where i < values.count {
                let v = values[i]
                if v.isEmpty { continue }
                let col = lxw_col_t(i)
                var err = LXW_NO_ERROR
                if column.kind == .number, !allText, let n = XLSXWorkbookWriter.plainNumber(v) {
                    err = worksheet_write_number(current, row, col, n, nil)
                } else {
                    let text = XLSXWorkbookWriter.cellText(v)
                    err = worksheet_write_string(current, row, col, text, book.textFormat)
                }
                guard err == LXW_NO_ERROR else {
                    throw Failure(description: "无法写入工作表 cannot write sheet \(name), row \(row + 1), column \(column.name): \(String(cString: lxw_strerror(err)))")
                }
                let w = XLSXWorkbookWriter.displayWidth(v)
                if w > widths[i] { widths[i] = w }
            }
            row += 1
            rowsWritten += 1
        }
    }

    public let path: String
    private let tmp: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    fileprivate var headerFormat: UnsafeMutablePointer<lxw_format>?
    fileprivate var textFormat: UnsafeMutablePointer<lxw_format>?
    fileprivate var wrapFormat: UnsafeMutablePointer<lxw_format>?
    private var sheets: [Sheet] = []
    private var takenNames: Set<String> = []
    private var worksheetCount = 0
    /// Rows per worksheet including the header (Excel's limit; smaller in tests).
    let rowsPerSheet: Int
    /// The readme sheet: created first, filled whenever (before `close()`).
    public private(set) var readme: Sheet!

    /// Opens a workbook at `path` (written by `close()`), its first sheet the readme `说明`.
    public init(path: String, readmeName: String = "说明", rowsPerSheet: Int = XLSXWorkbookWriter.maxRows) throws {
        precondition(rowsPerSheet >= 2 && rowsPerSheet <= Self.maxRows)
        try SecureFiles.makeDirectory(SecureFiles.parentDirectory(of: path))
        self.path = path
        self.rowsPerSheet = rowsPerSheet
        tmp = path + ".tmp-\(getpid())"
        // The temporary file exists 0600 before libxlsxwriter opens it for writing (which keeps
        // the mode), whatever the umask.
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure(description: "无法写入 cannot write \(tmp): \(String(cString: strerror(errno)))")
        }
        _ = fchmod(fd, 0o600)
        Glibc.close(fd)
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 1)
        guard let wb = workbook_new_opt(tmp, &options) else {
            unlink(tmp)
            throw Failure(description: "无法创建工作簿 cannot create workbook \(path)")
        }
        workbook = wb
        headerFormat = workbook_add_format(wb)
        format_set_bold(headerFormat)
        format_set_bg_color(headerFormat, 0xDDEBF7)
        format_set_bottom(headerFormat, UInt8(LXW_BORDER_THIN.rawValue))
        format_set_num_format(headerFormat, "@")
        textFormat = workbook_add_format(wb)
        format_set_num_format(textFormat, "@")
        wrapFormat = workbook_add_format(wb)
        format_set_num_format(wrapFormat, "@")
        format_set_text_wrap(wrapFormat)
        format_set_align(wrapFormat, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        readme = try addSheet(readmeName, columns: [Column("项目"), Column("内容")], wrap: [1])
    }

    deinit {
        if workbook != nil {
            // Not closed: nothing is published. workbook_free releases the sheets' temporary files.
            lxw_workbook_free(workbook)
            unlink(tmp)
        }
    }

    /// Sets the document properties shown by Excel's 文件 → 信息.
    public func setProperties(title: String, subject: String) {
        title.withCString { t in
            subject.withCString { s in
                "huizong".withCString { a in
                    var p = lxw_doc_properties()
                    p.title = UnsafeMutablePointer(mutating: t)
                    p.subject = UnsafeMutablePointer(mutating: s)
                    p.author = UnsafeMutablePointer(mutating: a)
                    _ = workbook_set_properties(workbook, &p)
                }
            }
        }
    }

    /// A workbook about a unit's subtree for a period (`stats --format xlsx`, the findings list of
    /// `report`): its properties and the readme's first lines — what the file is, the unit and the
    /// units under it, the period, the reference time.
    public static func aboutSubtree(path: String, unit: String, unitName: String, period: String, title: String,
                                    subject: String, file: String, asOf: String) throws -> XLSXWorkbookWriter {
        let book = try XLSXWorkbookWriter(path: path)
        let unitLabel = UnitDirectory.label(unit, name: unitName)
        book.setProperties(title: "\(unitLabel) \(period) \(title)", subject: subject)
        try book.readme("文件 file", file)
        try book.readme("单位 unit", "\(unitLabel)及其下级 and the units under it")
        try book.readme("期别 period", period)
        try book.readme("参照时间 as of", asOf)
        return book
    }

    /// A readme line: 项目, 内容.
    public func readme(_ item: String, _ text: String) throws {
        try readme.write([item, text])
    }

    /// Adds a sheet (after those already added) with its header row frozen. The name is made
    /// valid for Excel (at most 31 characters, none of `[]:*?/\`, unique ignoring case).
    public func addSheet(_ name: String, columns: [Column], wrap: Set<Int> = []) throws -> Sheet {
        let valid = Self.sheetName(name, taken: takenNames)
        let ws = try newWorksheet(valid, columns: columns, wrap: wrap)
        let sheet = Sheet(book: self, name: valid, columns: columns, worksheet: ws, wrap: wrap)
        sheets.append(sheet)
        return sheet
    }

    private func newWorksheet(_ name: String, columns: [Column], wrap: Set<Int>) throws -> UnsafeMutablePointer<lxw_worksheet> {
        guard let wb = workbook else { throw Failure(description: "工作簿已关闭 workbook already closed: \(path)") }
        try Self.ensureDescriptors(for: worksheetCount + 1)
        guard let ws = workbook_add_worksheet(wb, name) else {
            throw Failure(description: "无法添加工作表 cannot add sheet \(name) to \(path)")
        }
        takenNames.insert(name.lowercased())
        worksheetCount += 1
        worksheet_freeze_panes(ws, 1, 0)
        for (i, c) in columns.enumerated() {
            let err = worksheet_write_string(ws, 0, lxw_col_t(i), Self.cellText(c.name), headerFormat)
            guard err == LXW_NO_ERROR else {
                throw Failure(description: "无法写入表头 cannot write the header of \(name): \(String(cString: lxw_strerror(err)))")
            }
        }
        return ws
    }

    /// The table `sheet` is full: its rows go on in a new worksheet `name (k)`, same header.
    fileprivate func continueSheet(_ sheet: Sheet) throws {
        let k = sheet.worksheets.count + 1
        let ws = try newWorksheet(Self.sheetName(sheet.name, suffix: " (\(k))", taken: takenNames), columns: sheet.columns,
                                  wrap: sheet.wrap)
        sheet.worksheets.append(ws)
        sheet.current = ws
        sheet.row = 1
    }

    /// Fits the columns, writes the workbook, renames it into place (0600).
    public func close() throws {
        guard let wb = workbook else { return }
        for s in sheets {
            for ws in s.worksheets {
                for (i, c) in s.columns.enumerated() {
                    let format = s.wrap.contains(i) ? wrapFormat : (c.kind == .text ? textFormat : nil)
                    let width = Double(min(max(s.widths[i], 4), s.wrap.contains(i) ? 80 : 60)) + 2
                    worksheet_set_column(ws, lxw_col_t(i), lxw_col_t(i), width, format)
                }
            }
        }
        workbook = nil
        let err = workbook_close(wb)  // frees the workbook whatever the outcome
        guard err == LXW_NO_ERROR else {
            unlink(tmp)
            throw Failure(description: "无法写入工作簿 cannot write workbook \(path): \(String(cString: lxw_strerror(err)))")
        }
        _ = chmod(tmp, 0o600)
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(description: "无法写入 cannot write \(path): \(why)")
        }
    }

    // MARK: - Values

    /// A number cell's value: `-?digits(.digits)?` only (no exponent, no thousands separator,
    /// no leading zero but `0` itself, so a code like `01` stays text), finite.
    static func plainNumber(_ s: String) -> Double? {
        let u = Array(s.utf8)
        var i = 0
        if i < u.count && u[i] == UInt8(ascii: "-") { i += 1 }
        let start = i
        while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        let intDigits = i - start
        guard intDigits > 0, intDigits <= 15 else { return nil }
        if intDigits > 1 && u[start] == 0x30 { return nil }
        if i < u.count {
            guard u[i] == UInt8(ascii: "."), i + 1 < u.count else { return nil }
            i += 1
            while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
            guard i == u.count else { return nil }
        }
        return Double(s)
    }

    /// The text a string cell receives: at most 32,767 characters (Excel's limit; longer values
    /// are cut and marked), no NUL (a C string ends there), and a literal `_xHHHH_` kept literal
    /// (`_x005F_xHHHH_`): Excel reads `_xHHHH_` in a cell as an escaped character, the form
    /// libxlsxwriter writes control characters in (`\u{1B}` → `_x001B_`).
    static func cellText(_ s: String) -> String {
        var v = s
        if v.utf8.contains(0) { v = v.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        if mayHoldLiteralEscape(v) { v = escapeLiteralEscapes(v) }
        let scalars = v.unicodeScalars
        // A UTF-8 count within the limit bounds the scalars' count (O(1) for a native string).
        if v.utf8.count > maxCellCharacters && scalars.count > maxCellCharacters {
            let keep = maxCellCharacters - truncatedMark.unicodeScalars.count
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars.prefix(keep))
            v = String(cut) + truncatedMark
        }
        return v
    }

    /// Whether `_x` occurs, on the UTF-8 bytes: `String.contains` on a String argument goes through
    /// Foundation's string search, which was 5% of writing the 1M month's findings workbook.
    static func mayHoldLiteralEscape(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for b in s.utf8 {
            if previous == UInt8(ascii: "_") && b == UInt8(ascii: "x") { return true }
            previous = b
        }
        return false
    }

    static func escapeLiteralEscapes(_ s: String) -> String {
        let u = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count + 7)
        func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "_"), i + 6 < u.count, u[i + 1] == UInt8(ascii: "x"), isHex(u[i + 2]), isHex(u[i + 3]),
               isHex(u[i + 4]), isHex(u[i + 5]), u[i + 6] == UInt8(ascii: "_") {
                out += Array("_x005F".utf8)
            }
            out.append(u[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Width in Excel's character units: East Asian wide characters count 2.
    static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            w += (u.value >= 0x1100 && (u.value <= 0x115F || (u.value >= 0x2E80 && u.value <= 0xA4CF)
                || (u.value >= 0xAC00 && u.value <= 0xD7A3) || (u.value >= 0xF900 && u.value <= 0xFAFF)
                || (u.value >= 0xFE30 && u.value <= 0xFE4F) || (u.value >= 0xFF00 && u.value <= 0xFF60)
                || (u.value >= 0xFFE0 && u.value <= 0xFFE6) || u.value >= 0x20000)) ? 2 : 1
            if w > 200 { break }
        }
        return w
    }

    /// A sheet name Excel accepts: `[]:*?/\` become `_`, no leading or trailing `'`, at most 31
    /// characters (with `suffix` kept whole), not empty, and unique ignoring case (` (2)`, ` (3)`
    /// … appended when taken).
    public static func sheetName(_ proposed: String, suffix: String = "", taken: Set<String>) -> String {
        var base = String(proposed.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        base = base.unicodeScalars.filter { $0.value >= 0x20 }.map(String.init).joined()
        while base.hasPrefix("'") { base.removeFirst() }
        if base.isEmpty { base = "Sheet" }
        func fit(_ b: String, _ s: String) -> String {
            let room = maxSheetNameLength - s.unicodeScalars.count
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: b.unicodeScalars.prefix(max(room, 0)))
            var head = String(scalars)
            while head.hasSuffix("'") || head.hasSuffix(" ") { head.removeLast() }
            return head + s
        }
        var name = fit(base, suffix)
        var k = 2
        while taken.contains(name.lowercased()) || name.lowercased() == "history" {
            name = fit(base, suffix + " (\(k))")
            k += 1
        }
        return name
    }

    /// Each sheet holds a temporary file open until `close()` (constant-memory mode): raise the
    /// soft limit on open files toward the hard one when a workbook has many sheets.
    static func ensureDescriptors(for sheets: Int) throws {
        let needed = rlim_t(sheets + 64)
        var lim = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &lim) == 0 else { return }
        if lim.rlim_cur >= needed { return }
        if lim.rlim_max == rlim_t.max || lim.rlim_max >= needed {
            lim.rlim_cur = lim.rlim_max == rlim_t.max ? max(needed, 1 << 16) : lim.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lim) == 0 { return }
        }
        throw Failure(description: "工作表过多 too many sheets (\(sheets)) for the open-file limit (\(lim.rlim_max)): 请按下级单位分别导出 export a lower unit, or use CSV")
    }
}
