/// The discrepancy report `U-P.discrepancies.csv.gz` (SPEC 3.3), written as findings arrive:
/// one row per finding; a unit's children's report rows are carried over unchanged.
public final class DiscrepancyReportWriter {
    public static let columns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"]
    public static let headerLine = columns.joined(separator: ",")

    private let file: OutputFile
    private let gzip: GzipWriter
    public private(set) var rows = 0
    /// Rows found by this run, by rule (the manifest's per-rule counts).
    public var ownCounts: [RuleCode: Int] {
        var counts: [RuleCode: Int] = [:]
        for (i, n) in countByRule.enumerated() where n > 0 { counts[RuleCode.allCases[i]] = n }
        return counts
    }
    /// Counts indexed by the rule's case index: no hashing of the rule's name per row (5,000,000
    /// malformed lines are 5,000,000 rows, SPEC 8.5).
    private var countByRule = [Int](repeating: 0, count: RuleCode.allCases.count)
    private var formatter = ReportRowFormatter()
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
        formatter.append(f, finder: finder, sourceUnit: sourceUnit, sourceFile: sourceFile, to: &line)
        try gzip.write(line)
        rows += 1
        countByRule[f.rule.caseIndex] += 1
    }

    /// Rows formatted elsewhere (the finish formats them on both cores): `bytes` are whole rows,
    /// `countByRule` their counts by rule (a `ReportRowFormatter`'s).
    public func appendFormatted(_ bytes: [UInt8], countByRule counts: [Int]) throws {
        try gzip.write(bytes)
        for (i, n) in counts.enumerated() where n > 0 {
            countByRule[i] += n
            rows += n
        }
    }

    /// A row of a child's report, carried forward byte for byte (without its line ending).
    public func appendCarried<C: Collection>(_ rawLine: C) throws where C.Element == UInt8 {
        try gzip.write(rawLine)
        try gzip.write(Self.lineFeed)
        rows += 1
    }

    /// "\n", from storage of its own (a one-element collection has none, and the writer would
    /// copy it into an Array on every row).
    private static let lineFeed: [UInt8] = [0x0A]

    /// Finishes the file; returns its SHA-256.
    public func close() throws -> String {
        try gzip.finish()
        return try file.close()
    }
}

/// Formats rows of the discrepancy report (SPEC 3.3) into bytes, counting them by rule. One per
/// thread: the run's finish formats its rows on both cores, then writes them in ID order.
public struct ReportRowFormatter {
    /// Rows formatted, by the rule's case index.
    public private(set) var countByRule = [Int](repeating: 0, count: RuleCode.allCases.count)
    /// The row's first three cells (发现单位, 来源单位, 来源文件), escaped, for the last source seen:
    /// a file's findings share them, so they are escaped once a file, not once a row.
    private var prefixKey: (finder: String, sourceUnit: String, sourceFile: String)?
    private var prefix: [UInt8] = []
    /// 规则,级别,说明 escaped, by rule and severity, for rows with the rule's standard message.
    private var standardTail: [[UInt8]?] = Array(repeating: nil, count: RuleCode.allCases.count * Severity.allCases.count)

    public init() {}

    /// Appends one row (with its LF) to `out`.
    public mutating func append(_ f: Finding, finder: String, sourceUnit: String, sourceFile: String, to out: inout [UInt8]) {
        if let k = prefixKey, k.finder == finder, k.sourceUnit == sourceUnit, k.sourceFile == sourceFile {
        } else {
            prefixKey = (finder, sourceUnit, sourceFile)
            prefix.removeAll(keepingCapacity: true)
            Self.field(finder, to: &prefix)
            Self.field(sourceUnit, to: &prefix)
            Self.field(sourceFile, to: &prefix)
        }
        out.append(contentsOf: prefix)
        if let n = f.line { appendDecimal(n, to: &out) }
        out.append(UInt8(ascii: ","))
        Self.field(f.citizenID, to: &out)
        Self.field(f.name, to: &out)
        Self.field(f.fieldLabel, to: &out)
        let ruleIndex = f.rule.caseIndex
        if f.detail?.isEmpty ?? true {
            let key = ruleIndex * Severity.allCases.count + f.severity.caseIndex
            if standardTail[key] == nil {
                var tail: [UInt8] = []
                Self.field(f.rule.rawValue, to: &tail)
                Self.field(f.severity.rawValue, to: &tail)
                Self.field(f.rule.message, to: &tail)
                standardTail[key] = tail
            }
            out.append(contentsOf: standardTail[key]!)
        } else {
            Self.field(f.rule.rawValue, to: &out)
            Self.field(f.severity.rawValue, to: &out)
            Self.field(f.message, to: &out)
        }
        Self.field(f.rawValue, comma: false, to: &out)
        out.append(0x0A)
        countByRule[ruleIndex] += 1
    }

    /// Appends `v` as one CSV field, then a comma unless it is the last.
    @inline(__always)
    private static func field(_ v: String, comma: Bool = true, to out: inout [UInt8]) {
        if !v.isEmpty {
            var v = v
            v.withUTF8 { CSVField.append($0, to: &out) }
        }
        if comma { out.append(UInt8(ascii: ",")) }
    }
}
