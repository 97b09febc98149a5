#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A summary file (汇总表) as the pipeline reads it: a header (with the preamble above it), then
/// one event per line after the header — a record, a blank line or a line-level rejection
/// (SPEC 3.1). Two sources give the same events: `SummaryFileReader` (CSV, gzip'd or not) and
/// `XLSXReader` (an Excel workbook, SPEC 8.2; a line is a sheet row). `open` picks by the file's
/// first bytes, never by its name.
public protocol SummarySource: AnyObject {
    var tableHeader: SummaryFileReader.Header { get }
    /// The text encoding of a CSV file; nil for a workbook.
    var textEncoding: TextEncoding? { get }
    var modificationTime: Int64 { get }
    /// The line (sheet row) of the last event.
    var lineNumber: Int { get }
    /// Lines after the header so far (the manifest's `linesRead`).
    var linesRead: Int { get }
    func next(into record: inout RawRecord) throws(FileRejection) -> SummaryFileReader.Event
    /// Reads the rest of the file and returns its SHA-256 (hex); nil if it could not be read.
    func finishHash() -> String?
}

extension SummaryFileReader: SummarySource {
    public var tableHeader: Header { header }
    public var textEncoding: TextEncoding? { encoding }
}

public enum SummarySources {
    /// 说明 of a file in a format the tool cannot read (SPEC 8.2).
    static func unsupported(_ what: String) -> FileRejection {
        FileRejection(.fileFormat, "\(what)，请另存为 .xlsx 或 CSV UTF-8 / save it as .xlsx or CSV UTF-8")
    }

    /// What the first bytes of a file say it is not (OLE2: an old `.xls` or an encrypted
    /// workbook; `%PDF`); nil when it may be a summary file.
    static func foreignFormat(_ head: UnsafeBufferPointer<UInt8>) -> FileRejection? {
        let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        if head.count >= 8, head.prefix(8).elementsEqual(ole2) {
            return unsupported("旧版Excel（.xls）或加密的工作簿 an old Excel .xls or an encrypted workbook")
        }
        if head.count >= 4, head.prefix(4).elementsEqual([0x25, 0x50, 0x44, 0x46]) {
            return unsupported("PDF文件不是汇总表 a PDF is not a summary table")
        }
        return nil
    }

    /// Opens a summary file: a workbook when it starts with the ZIP magic `PK\x03\x04`, a PDF or
    /// an OLE2 file (`.xls`, encrypted workbook) rejected `FILE_FORMAT`, a file named `*.xls`
    /// rejected `FILE_FORMAT` too (SPEC 8.1), anything else read as CSV (gzip'd or not).
    public static func open(path: String, options: SummaryFileReader.Options) throws(FileRejection) -> SummarySource {
        var head = [UInt8](repeating: 0, count: 8)
        var got = 0
        var st = stat()
        // Only a regular file is opened here (a FIFO would block); the CSV reader reports the rest.
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            if fd >= 0 {
                got = head.withUnsafeMutableBytes { max(0, Glibc.pread(fd, $0.baseAddress, 8, 0)) }
                close(fd)
            }
        }
        let prefix = Array(head[0..<got])
        if got >= 4, prefix[0] == 0x50, prefix[1] == 0x4B, prefix[2] == 0x03, prefix[3] == 0x04 {
            return try XLSXReader(path: path, options: options)
        }
        if let foreign = prefix.withUnsafeBufferPointer(foreignFormat) { throw foreign }
        if path.lowercased().hasSuffix(".xls") {
            throw unsupported("旧版Excel文件（.xls） an old Excel .xls file")
        }
        return try SummaryFileReader(path: path, options: options)
    }
}
