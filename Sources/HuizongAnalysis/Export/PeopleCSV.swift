import HuizongCore

/// CSV for people (SPEC 8.3): the CSV files an official opens in a spreadsheet — worklists,
/// audit finding lists, stats tables, exports — as opposed to the machine files of SPEC 3.1–3.3
/// (merged summary, discrepancy report, manifest), which stay exactly as they are.
///
/// - UTF-8 with a byte order mark, so that Excel in China opens it as UTF-8 (not as GBK mojibake);
/// - CRLF line ends;
/// - formula injection: a value that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
///   gets a leading `'`, so that a spreadsheet shows it as text and never evaluates it
///   (`=HYPERLINK(…)` → `'=HYPERLINK(…)`); a plain number (`-3`, `-0.5`) is left as it is;
/// - quoting as RFC 4180 (`CSVField`), after the prefix.
public enum PeopleCSV {
    /// EF BB BF.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// The bytes that make a spreadsheet read a cell as a formula (or strip/act on it).
    static func isFormulaStart(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
            || b == 0x09 || b == 0x0D
    }

    /// `-` followed by digits, optionally `.` and digits: a negative number as this tool writes
    /// one (`-3`, `-0.5`, `-0.0500`). A spreadsheet reads it as that number, nothing runs.
    /// (Only the minus sign: `+3` is not how any number is written here, and a cell typed `+…`
    /// by a person keeps its `+` only when prefixed.)
    public static func isPlainNumber<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        guard i != bytes.endIndex, bytes[i] == UInt8(ascii: "-") else { return false }
        i = bytes.index(after: i)
        var intDigits = 0
        while i != bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 { intDigits += 1; i = bytes.index(after: i) }
        guard intDigits > 0 else { return false }
        if i == bytes.endIndex { return true }
        guard bytes[i] == UInt8(ascii: ".") else { return false }
        i = bytes.index(after: i)
        var fracDigits = 0
        while i != bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 { fracDigits += 1; i = bytes.index(after: i) }
        return fracDigits > 0 && i == bytes.endIndex
    }

    /// Whether the value must be written with a leading `'`.
    public static func needsPrefix<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        guard let first = bytes.first, isFormulaStart(first) else { return false }
        return !isPlainNumber(bytes)
    }

    /// The value as a spreadsheet must receive it (before CSV quoting).
    public static func neutralise(_ value: String) -> String {
        needsPrefix(value.utf8) ? "'" + value : value
    }

    /// Appends one field: neutralised, then quoted as RFC 4180 requires.
    public static func appendField<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        guard needsPrefix(bytes) else {
            CSVField.append(bytes, to: &out)
            return
        }
        var prefixed: [UInt8] = [UInt8(ascii: "'")]
        prefixed.append(contentsOf: bytes)
        CSVField.append(prefixed, to: &out)
    }

    /// Appends one record and its CRLF.
    public static func appendLine(_ fields: [String], to out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendField(f.utf8, to: &out)
        }
        out.append(contentsOf: lineEnd)
    }

    /// A whole small file: BOM, header, rows.
    public static func document(header: [String], rows: [[String]]) -> [UInt8] {
        var out = byteOrderMark
        appendLine(header, to: &out)
        for r in rows { appendLine(r, to: &out) }
        return out
    }
}

/// Writes one CSV for people in pieces (large worklists, finding lists): BOM and header first,
/// then rows; the file is 0600, built under a temporary name and renamed into place by
/// `close()` (dropped without `close()`, it leaves nothing).
public final class PeopleCSVWriter {
    private let file: SecureFiles.Writer
    private var line: [UInt8] = []
    public private(set) var rows = 0
    public var path: String { file.path }

    public init(path: String, header: [String]) throws {
        file = try SecureFiles.Writer(path: path)
        line = PeopleCSV.byteOrderMark
        PeopleCSV.appendLine(header, to: &line)
        try file.write(bytes: line)
    }

    public func write(_ fields: [String]) throws {
        line.removeAll(keepingCapacity: true)
        PeopleCSV.appendLine(fields, to: &line)
        try file.write(bytes: line)
        rows += 1
    }

    /// One record already encoded by `PeopleCSV` (its CRLF included).
    func write(line: [UInt8]) throws {
        try file.write(bytes: line)
        rows += 1
    }

    public func close() throws {
        try file.close()
    }
}
