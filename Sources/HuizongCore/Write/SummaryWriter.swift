/// The merged summary `U-P.csv.gz` (SPEC 3.1): canonical columns in order, rows sorted by
/// 公民身份号码 (the caller hands them in that order), 序号 1..N, UTF-8 without BOM, LF, gzip
/// with mtime 0 — the same inputs give byte-identical output.
public final class SummaryWriter {
    private let file: OutputFile
    private let gzip: GzipWriter
    public private(set) var rows = 0
    private var line: [UInt8] = []

    public init(path: String) throws {
        file = try OutputFile(path: path)
        gzip = GzipWriter(out: file)
        try gzip.write(Column.headerLine + "\n")
        line.reserveCapacity(512)
    }

    /// Appends a row from its canonical line (every column but 序号).
    public func append<C: Collection>(canonicalLine: C) throws where C.Element == UInt8 {
        rows += 1
        line.removeAll(keepingCapacity: true)
        Self.formatRow(number: rows, canonicalLine: canonicalLine, into: &line)
        try gzip.write(line)
    }

    /// Rows formatted elsewhere with `formatRow` (the finish formats them on both cores), numbered
    /// from `rows + 1` on.
    public func appendFormatted(_ bytes: [UInt8], rows added: Int) throws {
        try gzip.write(bytes)
        rows += added
    }

    /// Appends one output row: 序号, the canonical line, LF.
    @inline(__always)
    public static func formatRow<C: Collection>(number: Int, canonicalLine: C, into out: inout [UInt8]) where C.Element == UInt8 {
        appendDecimal(number, to: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: canonicalLine)
        out.append(0x0A)
    }

    public func close() throws -> String {
        try gzip.finish()
        return try file.close()
    }
}

/// Appends the decimal digits of a non-negative integer, without allocating.
@inline(__always)
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    var n = value
    var divisor = 1
    while n / divisor >= 10 { divisor *= 10 }
    while divisor > 0 {
        out.append(UInt8(48 + n / divisor))
        n %= divisor
        divisor /= 10
    }
}
