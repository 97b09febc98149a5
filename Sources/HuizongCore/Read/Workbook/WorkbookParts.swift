/// The small parts of a workbook that say how to read its sheets (SPEC 8.2): the sheets in
/// workbook order (`xl/workbook.xml` and its relationships), the date system (`date1904`), and
/// which cell styles are date formats (`xl/styles.xml`: only 毕业日期 and 更新时间 held as
/// date-formatted numbers are converted). Read with the same byte scanner as the sheet.
public struct WorkbookParts {
    public struct Sheet: Sendable {
        public var name: String
        /// The part name inside the archive (`xl/worksheets/sheet1.xml`).
        public var part: String
    }

    public var sheets: [Sheet] = []
    public var date1904 = false
    /// For each cell style index (`s` of a cell), whether its number format shows a date or time.
    public var dateStyles: [Bool] = []
    public var sharedStringsPart: String?

    public init(archive: ZipArchive) throws(FileRejection) {
        // The workbook part: from the package relationships, else the usual name.
        var workbookPart = "xl/workbook.xml"
        if let rels = try archive.readWhole("_rels/.rels") {
            for r in try Self.relationships(rels, base: "") where r.type.hasSuffix("/officeDocument") {
                workbookPart = r.target
                break
            }
        }
        guard let workbook = try archive.readWhole(workbookPart) else {
            throw FileRejection(.fileFormat, "不是Excel工作簿（缺少workbook.xml），请另存为 .xlsx 或 CSV UTF-8 not an Excel workbook (no workbook part); save it as .xlsx or CSV UTF-8")
        }
        let dir = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relsName = (dir.isEmpty ? "" : dir + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        var targets: [String: (type: String, target: String)] = [:]
        var stylesPart: String?
        if let rels = try archive.readWhole(relsName) {
            for r in try Self.relationships(rels, base: dir) {
                targets[r.id] = (r.type, r.target)
                if r.type.hasSuffix("/styles") { stylesPart = r.target }
                if r.type.hasSuffix("/sharedStrings") { sharedStringsPart = r.target }
            }
        }
        try Self.scan(workbook) { (tag) throws(FileRejection) in
            if tag.named("workbookPr"), let v = tag.attribute("date1904") {
                date1904 = XMLByteScanner.equals(v, "1") || XMLByteScanner.equals(v, "true")
            } else if tag.named("sheet") {
                let name = Self.string(tag.attribute("name"))
                let rid = Self.string(tag.attribute("id"))
                if let t = targets[rid], t.type.hasSuffix("/worksheet") {
                    sheets.append(Sheet(name: name, part: t.target))
                } else if targets.isEmpty, let sid = tag.attribute("sheetId") {
                    sheets.append(Sheet(name: name, part: (dir.isEmpty ? "" : dir + "/") + "worksheets/sheet\(Self.string(sid)).xml"))
                }
            }
        }
        if stylesPart == nil, archive.entry((dir.isEmpty ? "" : dir + "/") + "styles.xml") != nil {
            stylesPart = (dir.isEmpty ? "" : dir + "/") + "styles.xml"
        }
        if sharedStringsPart == nil, archive.entry((dir.isEmpty ? "" : dir + "/") + "sharedStrings.xml") != nil {
            sharedStringsPart = (dir.isEmpty ? "" : dir + "/") + "sharedStrings.xml"
        }
        if let stylesPart, let styles = try archive.readWhole(stylesPart) {
            dateStyles = try Self.dateStyles(styles)
        }
    }

    /// Style index → is a date format, from `<numFmts>` and `<cellXfs>`.
    static func dateStyles(_ styles: [UInt8]) throws(FileRejection) -> [Bool] {
        var custom: [Int: Bool] = [:]
        var result: [Bool] = []
        var inCellXfs = false
        try scan(styles) { (tag) throws(FileRejection) in
            if tag.named("numFmt"), tag.kind != .end {
                let id = Int(string(tag.attribute("numFmtId"))) ?? -1
                custom[id] = NumberFormat.isDate(unescape(tag.attribute("formatCode")))
            } else if tag.named("cellXfs") {
                inCellXfs = tag.kind == .start
            } else if inCellXfs, tag.named("xf"), tag.kind != .end {
                let id = Int(string(tag.attribute("numFmtId"))) ?? 0
                result.append(custom[id] ?? NumberFormat.isBuiltInDate(id))
            }
        }
        return result
    }

    struct Relationship { var id: String; var type: String; var target: String }

    /// `<Relationship Id Type Target>` with targets resolved against `base` (a folder).
    static func relationships(_ bytes: [UInt8], base: String) throws(FileRejection) -> [Relationship] {
        var out: [Relationship] = []
        try scan(bytes) { (tag) throws(FileRejection) in
            guard tag.named("Relationship"), tag.kind != .end else { return }
            if let mode = tag.attribute("TargetMode"), XMLByteScanner.equals(mode, "External") { return }
            out.append(Relationship(id: string(tag.attribute("Id")), type: string(tag.attribute("Type")),
                                    target: resolve(unescape(tag.attribute("Target")), base: base)))
        }
        return out
    }

    /// A part name from a relationship target: absolute (`/xl/…`) or relative to `base`, `..` resolved.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for p in target.split(separator: "/") {
            if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }

    static func scan(_ bytes: [UInt8], _ body: (XMLByteScanner.Tag) throws(FileRejection) -> Void) throws(FileRejection) {
        let scanner = XMLByteScanner(source: MemorySource(bytes), bufferSize: max(bytes.count, 1 << 12))
        while let tag = try scanner.nextTag() { try body(tag) }
    }

    static func string(_ p: UnsafeBufferPointer<UInt8>?) -> String {
        guard let p else { return "" }
        return String(decoding: p, as: UTF8.self)
    }

    static func unescape(_ p: UnsafeBufferPointer<UInt8>?) -> String {
        guard let p else { return "" }
        var out: [UInt8] = []
        XMLByteScanner.appendDecoded(p, xstring: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Bytes already in memory as a `ByteSource`.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
        }
        return n
    }
}

/// Excel number formats: which ones show a date or time.
public enum NumberFormat {
    /// Built-in formats that are dates or times (ECMA-376 18.8.30, and the CJK built-ins 27–36,
    /// 50–58 that Excel in China uses, e.g. `yyyy"年"m"月"d"日"`).
    public static func isBuiltInDate(_ id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// A custom format code shows a date or time when, outside quoted text, `[…]` sections
    /// (colours, locales, elapsed-time brackets aside) and `\`-escaped characters, it has one of
    /// the letters y m d h s (`General` has none; or the Chinese AM/PM 上午/下午 markers of a time).
    public static func isDate(_ code: String) -> Bool {
        // Only the first section (positive numbers) decides.
        var inQuote = false, inBracket = false, escaped = false
        var bracket = ""
        for ch in code {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" {
                    inBracket = false
                    // [h] [mm] [ss]: elapsed time is a time.
                    let b = bracket.lowercased()
                    if !b.isEmpty, b.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { return true }
                } else {
                    bracket.append(ch)
                }
                continue
            }
            switch ch {
            case "\\": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true; bracket = ""
            case ";": return false
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return true
            case "上", "下": return true
            default: break
            }
        }
        return false
    }
}
