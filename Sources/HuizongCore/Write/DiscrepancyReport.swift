/// The discrepancy report `U-P.discrepancies.csv.gz` (SPEC 3.3), written as findings arrive:
/// one row per finding; a unit's children's report rows are carried over unchanged.
public final class DiscrepancyReportWriter {
    public static let columns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"]
    public static let headerLine = columns.joined(separator: ",")

    private let file: OutputFile
    private let gzip: GzipWriter
    public private(set) var rows = 0
    /// Rows found by this run, by rule (the manifest's per-rule counts).
    public private(set) var ownCounts: [RuleCode: Int] = [:]
    private var line: [UInt8] = []

    public init(path: String) throws {
        file = try OutputFile(path: path)
        gzip = GzipWriter(out: file)
        try gzip.write(Self.headerLine + "\n")
    }

    /// One finding of this run. `finder` is the running unit, `sourceUnit` the unit that sent
    /// `sourceFile` (a basename; empty for a missing child).
    public func append(_ f: Finding, finder: String, sourceUnit: String, sourceFile: String) throws {
        line.removeAll(keepingCapacity: true)
        func field(_ v: String, comma: Bool = true) {
            var v = v
            v.withUTF8 { CSVField.append($0, to: &line) }
            if comma { line.append(UInt8(ascii: ",")) }
        }
        field(finder)
        field(sourceUnit)
        field(sourceFile)
        if let n = f.line { appendDecimal(n, to: &line) }
        line.append(UInt8(ascii: ","))
        field(f.citizenID)
        field(f.name)
        field(f.fieldLabel)
        field(f.rule.rawValue)
        field(f.severity.rawValue)
        field(f.message)
        field(f.rawValue, comma: false)
        line.append(0x0A)
        try gzip.write(line)
        rows += 1
        ownCounts[f.rule, default: 0] += 1
    }

    /// A row of a child's report, carried forward byte for byte (without its line ending).
    public func appendCarried<C: Collection>(_ rawLine: C) throws where C.Element == UInt8 {
        try gzip.write(rawLine)
        try gzip.write(CollectionOfOne(0x0A))
        rows += 1
    }

    /// Finishes the file; returns its SHA-256.
    public func close() throws -> String {
        try gzip.finish()
        return try file.close()
    }
}
