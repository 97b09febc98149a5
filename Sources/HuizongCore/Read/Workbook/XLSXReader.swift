#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an Excel workbook (`.xlsx`) as a summary file (SPEC 8.2), giving the pipeline the same
/// events as `SummaryFileReader` gives for a CSV: the first sheet (in workbook order) whose rows
/// hold a header line is read; rows above it are the title and the 附件2 preamble (merged cells
/// keep their value in their first cell, so they read like any other); a line is a sheet row and
/// 行号 the sheet's row number (empty rows count). Cells are matched to the header by column
/// letter; an absent cell is empty. `linesRead` runs to the last row holding a value.
///
/// Container and small parts: `ZipArchive`, `WorkbookParts`, `SharedStrings`; the sheet itself is
/// streamed by `SheetScanner` (hot path, docs/excel.md).
public final class XLSXReader: SummarySource {
    public let path: String
    public let file: InputFile
    public private(set) var tableHeader: SummaryFileReader.Header
    /// The sheet read.
    public let sheetName: String
    public var textEncoding: TextEncoding? { nil }
    public var modificationTime: Int64 { file.modificationTime }
    public private(set) var lineNumber = 0
    public private(set) var linesRead = 0

    private let archive: ZipArchive
    private let parts: WorkbookParts
    /// The rows after the header as events: read here (a small sheet), or on a thread of their
    /// own through `pipeline` (a big one) while this thread validates.
    private var lines: SheetLines?
    private let pipeline: RecordPipeline?

    /// A sheet part bigger than this (uncompressed) is scanned on a thread of its own.
    /// `HUIZONG_SHEET_PIPELINE_BYTES` sets it (0: every sheet; the tests use it).
    static let pipelineThreshold: Int = {
        if let v = getenv("HUIZONG_SHEET_PIPELINE_BYTES"), let n = Int(String(cString: v)), n >= 0 { return n }
        return 4 << 20
    }()

    public init(path: String, options: SummaryFileReader.Options) throws(FileRejection) {
        self.path = path
        file = try InputFile(path: path)
        let archive = try ZipArchive(path: path)
        let parts = try WorkbookParts(archive: archive)
        self.archive = archive
        self.parts = parts
        var strings = SharedStrings()
        if let name = parts.sharedStringsPart, let entry = archive.entry(name) {
            strings = try SharedStrings(source: try archive.open(entry))
        }
        var sheetsFound = 0
        var row = SheetRow()
        for sheet in parts.sheets {
            guard let entry = archive.entry(sheet.part) else { continue }
            sheetsFound += 1
            // A big sheet is inflated on a second thread while this one scans and validates.
            let stream = try archive.open(entry)
            let source: ByteSource = entry.uncompressedSize > 4 << 20 ? PrefetchSource(stream) : stream
            let scanner = SheetScanner(source: source, sharedStrings: strings)
            var preamble = Preamble()
            while try scanner.next(into: &row) {
                guard !row.cells.isEmpty else { continue }
                let cells = Self.headerCells(row, parts: parts)
                if var header = try SummaryFileReader.Header.recognise(cells: cells, line: row.number,
                                                                        preamble: preamble, options: options) {
                    header.extraColumns = header.extraColumns.filter { !$0.isEmpty }  // empty header cells: no column
                    tableHeader = header
                    sheetName = sheet.name
                    lineNumber = row.number
                    let lines = SheetLines(scanner: scanner, parts: parts, columns: header.cellColumns,
                                           named: cells.map { !$0.trimmingSpaces().isEmpty }, headerLine: row.number)
                    if entry.uncompressedSize > Int64(Self.pipelineThreshold) {
                        pipeline = RecordPipeline(lines)
                        self.lines = nil
                    } else {
                        pipeline = nil
                        self.lines = lines
                    }
                    return
                }
                preamble.read(cells: cells.filter { !$0.trimmingSpaces().isEmpty })
            }
        }
        if sheetsFound == 0 {
            throw FileRejection(.fileFormat, "工作簿中没有工作表，请另存为 .xlsx 或 CSV UTF-8 no worksheet in the workbook; save it as .xlsx or CSV UTF-8")
        }
        throw FileRejection(.fileColumns, "各工作表中都找不到表头（须含姓名和公民身份号码） no sheet has a header line with 姓名 and 公民身份号码")
    }

    /// A pre-header row's cells by column (gaps empty): numbers as their shortest decimal, a
    /// date-formatted number as its date (a 填报时间 written as an Excel date).
    static func headerCells(_ row: SheetRow, parts: WorkbookParts) -> [String] {
        let width = (row.cells.map(\.column).max() ?? -1) + 1
        var cells = [String](repeating: "", count: width)
        for c in row.cells {
            var bytes: [UInt8] = []
            switch c.kind {
            case .text, .isoDate:
                bytes.append(contentsOf: row.value(c))
            case .number:
                if c.style < parts.dateStyles.count, parts.dateStyles[c.style],
                   let d = ExcelValue.serialDate(row.value(c), date1904: parts.date1904, dateOnly: false) {
                    bytes = d.suffix(9).elementsEqual(" 00:00:00".utf8) ? Array(d.prefix(10)) : d
                } else {
                    ExcelValue.appendNumber(row.value(c), to: &bytes)
                }
            }
            cells[c.column] = String(decoding: bytes, as: UTF8.self)
        }
        return cells
    }

    /// The next line after the header (`SheetLines.next`), here or from the pipeline's thread.
    public func next(into record: inout RawRecord) throws(FileRejection) -> SummaryFileReader.Event {
        if let pipeline {
            let (event, number, read) = try pipeline.next(into: &record)
            lineNumber = number
            linesRead = read
            return event
        }
        let event = try lines!.next(into: &record)
        lineNumber = lines!.lineNumber
        linesRead = lines!.linesRead
        return event
    }

    /// Reads the whole file for its SHA-256 (the workbook as stored).
    public func finishHash() -> String? { file.finishHash() }
}

/// A sheet's rows after the header as the reader's events (SPEC 8.2): a line is a row, 行号 its
/// number; an empty or absent row before the last row holding a value is blank. A value type
/// owned by one thread at a time: the reader's, or the pipeline's producer (`RecordPipeline`).
struct SheetLines {
    private let scanner: SheetScanner
    private let parts: WorkbookParts
    /// Per column (A = 0): the header's column, if any.
    private let columns: [Column?]
    /// Per column (A = 0): the header cell holds a name.
    private let named: [Bool]
    private var row = SheetRow()
    /// `row` holds a row with a value not handed out yet.
    private var pending = false
    private var lastLine: Int
    /// The line (sheet row) of the last event.
    private(set) var lineNumber: Int
    /// Lines after the header so far.
    private(set) var linesRead = 0

    init(scanner: SheetScanner, parts: WorkbookParts, columns: [Column?], named: [Bool], headerLine: Int) {
        self.scanner = scanner
        self.parts = parts
        self.columns = columns
        self.named = named
        lastLine = headerLine
        lineNumber = headerLine
    }

    /// What a cell's value holds: nothing but spaces (ASCII or U+3000), or a line break.
    @inline(__always)
    private static func inspect(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (blank: Bool, lineBreak: Bool) {
        var blank = true
        var i = r.lowerBound
        let end = r.upperBound
        while i < end {
            let b = p[i]
            if b == 0x0A || b == 0x0D { return (false, true) }
            if b == 0x20 || b == 0x09 { i += 1; continue }
            if b == 0xE3, i + 2 < end, p[i + 1] == 0x80, p[i + 2] == 0x80 { i += 3; continue }
            blank = false
            i += 1
        }
        return (blank, false)
    }

    /// The next line after the header: an empty or absent row before the last row holding a value
    /// is `.blank`; rows after the last one with a value are not lines at all.
    mutating func next(into record: inout RawRecord) throws(FileRejection) -> SummaryFileReader.Event {
        if !pending {
            while true {
                guard try scanner.next(into: &row) else { return .end }
                if row.cells.contains(where: { !$0.value.isEmpty }) { break }
            }
            pending = true
        }
        linesRead += 1
        if row.number > lastLine + 1 {
            lastLine += 1
            lineNumber = lastLine
            return .blank
        }
        pending = false
        lastLine = row.number
        lineNumber = row.number
        return emit(into: &record)
    }

    private func emit(into record: inout RawRecord) -> SummaryFileReader.Event {
        row.text.withUnsafeBufferPointer { text -> SummaryFileReader.Event in
            var allBlank = true
            for c in row.cells {
                let look = Self.inspect(text, c.value)
                // A value may not hold a line break (SPEC 3.1, 8.2).
                if look.lineBreak { return .rejected(.lineQuote) }
                if look.blank { continue }
                allBlank = false
                // A value in a column without a header name.
                if c.column >= named.count || !named[c.column] { return .rejected(.lineFields) }
            }
            if allBlank { return .blank }
            record.reset(line: row.number)
            for case let col? in columns { record.ranges[col.rawValue] = 0..<0 }
            for c in row.cells {
                guard c.column < columns.count, let col = columns[c.column] else { continue }
                let value = UnsafeBufferPointer(rebasing: text[c.value])
                let start = record.bytes.count
                switch c.kind {
                case .text:
                    record.bytes.append(contentsOf: value)
                case .isoDate:
                    record.bytes.append(contentsOf: col == .graduationDate ? UnsafeBufferPointer(rebasing: value.prefix(10)) : value)
                case .number:
                    if col == .citizenID { record.citizenIDIsNumber = true }
                    if col == .graduationDate || col == .updatedAt, c.style < parts.dateStyles.count, parts.dateStyles[c.style],
                       let d = ExcelValue.serialDate(value, date1904: parts.date1904, dateOnly: col == .graduationDate) {
                        record.bytes.append(contentsOf: d)
                    } else {
                        ExcelValue.appendNumber(value, to: &record.bytes)
                    }
                }
                record.ranges[col.rawValue] = start..<record.bytes.count
            }
            return .record
        }
    }
}
