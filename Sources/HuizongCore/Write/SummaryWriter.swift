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
        appendDecimal(rows, to: &line)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: canonicalLine)
        line.append(0x0A)
        try gzip.write(line)
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
