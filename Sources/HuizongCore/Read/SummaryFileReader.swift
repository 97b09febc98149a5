#if canImport(Glibc)
import Glibc
#endif

/// Reads one summary file (汇总表) line by line, streaming (SPEC 3.1): decompresses, decides the
/// encoding, skips the template preamble, finds and maps the header, then hands out each data
/// line as a `RawRecord`, a blank line, or a line-level rejection. A problem that rejects the
/// whole file is thrown as `FileRejection` (the caller then discards everything read from it).
public final class SummaryFileReader {
    public struct Options: Sendable {
        /// `--encoding`: nil = detect from the first 64 KiB.
        public var forcedEncoding: TextEncoding?
        /// Above county level 登记单位 is a required column.
        public var requireRegisteringUnit: Bool

        public init(forcedEncoding: TextEncoding? = nil, requireRegisteringUnit: Bool = false) {
            self.forcedEncoding = forcedEncoding
            self.requireRegisteringUnit = requireRegisteringUnit
        }
    }

    public struct Header: Sendable {
        /// Physical line of the header.
        public var line: Int
        /// Number of cells in the header: every data line must have as many.
        public var cellCount: Int
        /// For each cell, the column it maps to (nil = unknown column, dropped).
        public var cellColumns: [Column?]
        /// Unknown columns as written (trimmed), for FILE_EXTRA_COLUMN.
        public var extraColumns: [String]
        public var preamble: Preamble
    }

    public enum Event {
        /// `record` holds the line's cells by column.
        case record
        case blank
        /// LINE_QUOTE, LINE_FIELDS, LINE_TOO_LONG or LINE_ENCODING, at `lineNumber`.
        case rejected(RuleCode)
        case end
    }

    public let path: String
    public let file: InputFile
    public let encoding: TextEncoding
    public private(set) var header: Header!
    private let stream: DecompressedStream
    private let lines: LineReader
    private let decoder: GB18030Decoder?
    private var decoded: [UInt8] = []
    private var cellRanges: [Range<Int>] = []
    /// Lines after the header (blank ones included): the manifest's `linesRead`.
    public private(set) var linesRead = 0

    public var lineNumber: Int { lines.lineNumber }
    public var isGzip: Bool { stream.isGzip }
    public var modificationTime: Int64 { file.modificationTime }

    public init(path: String, options: Options = Options()) throws(FileRejection) {
        self.path = path
        file = try InputFile(path: path)
        stream = try DecompressedStream(file: file)
        lines = LineReader(source: stream)
        let sample = try lines.peek(TextEncoding.sniffBytes + 3)
        var bom = 0
        if sample.count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF { bom = 3 }
        if sample.count - bom == 0 {
            throw FileRejection(.fileEmpty, "解压后为空 empty once decompressed")
        }
        // SPEC 8.2: an OLE2 or PDF file (gzip'd), or a NUL byte in the first 64 KiB, is no table.
        let head = UnsafeBufferPointer(rebasing: sample[0..<min(sample.count, TextEncoding.sniffBytes)])
        if let foreign = SummarySources.foreignFormat(head) { throw foreign }
        if head.contains(0) {
            // A gzip bomb of zeros is a bomb first (FILE_INFLATE_LIMIT): inflate the rest to see.
            if stream.isGzip {
                let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
                defer { scratch.deallocate() }
                while try stream.read(into: scratch) > 0 {}
            }
            throw SummarySources.unsupported("文件含NUL字节，不是文本表格（可能是二进制或UTF-16文件） the file holds NUL bytes: not a text table (binary or UTF-16)")
        }
        if let forced = options.forcedEncoding {
            encoding = forced
        } else if bom == 3 {
            encoding = .utf8
        } else {
            let window = UnsafeBufferPointer(rebasing: sample[0..<min(sample.count, TextEncoding.sniffBytes)])
            encoding = TextEncoding.detect(window, sampleIsWholeContent: sample.count <= TextEncoding.sniffBytes)
        }
        lines.skip(bom)
        decoder = encoding == .gb18030 ? GB18030Decoder() : nil
        decoded.reserveCapacity(4096)
        try readHeader(options)
    }

    /// Decodes a line into `decoded` (UTF-8); false if it is not valid in the file's encoding.
    private func decode(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        decoded.removeAll(keepingCapacity: true)
        if let decoder {
            return decoder.decode(line, into: &decoded)
        }
        guard UTF8Validator.isValid(line) else { return false }
        decoded.append(contentsOf: line)
        return true
    }

    private func readHeader(_ options: Options) throws(FileRejection) {
        var preamble = Preamble()
        while true {
            let event = try lines.next()
            guard case .line(let raw) = event else {
                if case .end = event {
                    throw FileRejection(.fileColumns, "找不到表头（须含姓名和公民身份号码） no header line with 姓名 and 公民身份号码")
                }
                continue  // an over-long line before the header: not a header
            }
            guard decode(raw) else { continue }
            guard decoded.withUnsafeBufferPointer(Self.mayBeHeaderOrPreamble) else { continue }
            var cellBytes: [UInt8] = []
            cellRanges.removeAll(keepingCapacity: true)
            let ok = decoded.withUnsafeBufferPointer { CSVLineSplitter.split($0, bytes: &cellBytes, cells: &cellRanges) }
            guard ok else { continue }
            let cells = cellRanges.map { String(decoding: cellBytes[$0], as: UTF8.self) }
            guard let found = try Header.recognise(cells: cells, line: lines.lineNumber, preamble: preamble, options: options) else {
                preamble.read(cells: cells)
                continue
            }
            header = found
            return
        }
    }

    /// Whether a decoded line can be the header (it holds 姓, of 姓名, a required column without
    /// alias) or add to the preamble (it holds 填, of every 填报… label). Every other line before
    /// the header is passed over on its bytes: a file whose header never comes (3 million data
    /// lines, say) is then read at memchr's speed instead of splitting each line into Strings.
    static func mayBeHeaderOrPreamble(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = line.count
        while i + 2 < n {
            guard let hit = memchr(line.baseAddress! + i, 0xE5, n - 2 - i) else { return false }
            let j = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - line.baseAddress!
            let b1 = line[j + 1], b2 = line[j + 2]
            if (b1 == 0xA7 && b2 == 0x93) || (b1 == 0xA1 && b2 == 0xAB) { return true }  // 姓, 填
            i = j + 1
        }
        return false
    }

    /// The next line after the header. For `.record`, `record` is filled (reset first).
    public func next(into record: inout RawRecord) throws(FileRejection) -> Event {
        let event = try lines.next()
        switch event {
        case .end:
            return .end
        case .tooLong:
            linesRead += 1
            return .rejected(.lineTooLong)
        case .line(let raw):
            linesRead += 1
            guard decode(raw) else { return .rejected(.lineEncoding) }
            let blank = decoded.withUnsafeBufferPointer(CSVLineSplitter.isBlank)
            if blank { return .blank }
            record.reset(line: lines.lineNumber)
            cellRanges.removeAll(keepingCapacity: true)
            let ok = decoded.withUnsafeBufferPointer { CSVLineSplitter.split($0, bytes: &record.bytes, cells: &cellRanges) }
            guard ok else { return .rejected(.lineQuote) }
            guard cellRanges.count == header.cellCount else { return .rejected(.lineFields) }
            for (i, c) in header.cellColumns.enumerated() {
                if let c { record.ranges[c.rawValue] = cellRanges[i] }
            }
            return .record
        }
    }

    /// Reads the rest of the file and returns its SHA-256 (hex); nil if it could not be read.
    public func finishHash() -> String? { file.finishHash() }

    /// Calls `body` with each record to the end, blank lines skipped; a rejected line goes to
    /// `rejected` (with its code; `lineNumber` is its line), skipped by default. Reading errors
    /// are thrown as `FileRejection`, `body`'s as they are.
    public func forEachRecord(rejected: (RuleCode) throws -> Void = { _ in },
                              _ body: (RawRecord) throws -> Void) throws {
        var raw = RawRecord()
        while true {
            switch try next(into: &raw) {
            case .end: return
            case .blank: continue
            case .rejected(let code): try rejected(code)
            case .record: try body(raw)
            }
        }
    }
}

extension SummaryFileReader.Header {
    /// The header of a file whose header line has these cells (SPEC 3.1: the first line whose
    /// cells include 姓名 and 公民身份号码, or an alias); nil when the cells are not a header
    /// line. A duplicate or a missing required column rejects the file (`FILE_COLUMNS`).
    public static func recognise(cells: [String], line: Int, preamble: Preamble,
                                 options: SummaryFileReader.Options) throws(FileRejection) -> Self? {
        let names = cells.map(HeaderName.normalize)
        let columns = names.map(HeaderName.column(for:))
        guard columns.contains(.name), columns.contains(.citizenID) else { return nil }
        var seen = Set<Column>()
        var extra: [String] = []
        for (i, c) in columns.enumerated() {
            if let c {
                if !seen.insert(c).inserted {
                    throw FileRejection(.fileColumns, "列重复 duplicate column: \(c.canonicalName) (第\(line)行 line \(line))")
                }
            } else {
                extra.append(names[i])
            }
        }
        var missing = Column.allCases.filter { $0.isRequiredColumn && !seen.contains($0) }
        if options.requireRegisteringUnit && !seen.contains(.registeringUnit) { missing.append(.registeringUnit) }
        if let i = missing.firstIndex(of: .updatedAt), preamble.fillDate != nil { missing.remove(at: i) }
        if !missing.isEmpty {
            let list = missing.map(\.canonicalName).joined(separator: "、")
            throw FileRejection(.fileColumns, "缺少必填列 missing required columns: \(list) (表头在第\(line)行 header on line \(line))")
        }
        return Self(line: line, cellCount: columns.count, cellColumns: columns, extraColumns: extra, preamble: preamble)
    }
}
