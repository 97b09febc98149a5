/// One record as the form rules go through it, column by column in output order: its normalised
/// cells, the canonical line being written, and the rules broken so far.
///
/// Every rule's `apply` starts its column (`next`), writes the column's canonical value and
/// `fire`s its codes; the comma between columns and the usual shapes — the normalised cell kept
/// as the canonical value, checked (`keepChecking`) or found invalid (`keepInvalid`) — are written
/// here once. Nothing here allocates: the line and the folded cells live in the validator's
/// stack buffers, and `broken` grows only when a rule breaks.
struct CanonicalRow {
    var cells: CellSource
    var line: ByteWriter
    var broken: [RecordValidator.Broken] = []
    #if DEBUG
    /// The last column started: columns must come in output order, each once.
    private var column = Column.serial
    #endif

    init(cells: CellSource, line: ByteWriter) {
        self.cells = cells
        self.line = line
    }

    /// Starts `column` in the canonical line: a comma before every column but 姓名, the first.
    @inline(__always)
    mutating func begin(_ column: Column) {
        #if DEBUG
        assert(column.rawValue == self.column.rawValue + 1, "columns out of order: \(column) after \(self.column)")
        self.column = column
        #endif
        if column != .name { line.append(0x2C) }
    }

    /// Starts `column` and returns its normalised cell.
    @inline(__always)
    mutating func next(_ column: Column) -> UnsafeBufferPointer<UInt8> {
        begin(column)
        return cells.cell(column)
    }

    /// `code` is broken, in `column` (the finding's 字段).
    @inline(__always)
    mutating func fire(_ code: RuleCode, _ column: Column) {
        broken.append((code, column))
    }

    /// Writes the normalised cell as the canonical value (a flagged or invalid value is kept),
    /// quoted where RFC 4180 requires.
    @inline(__always)
    mutating func keep(_ cell: UnsafeBufferPointer<UInt8>) {
        line.appendCSV(cell, mayNeedQuotes: cells.anyQuoting)
    }

    /// The usual shape of a rule: starts `column`, fires `code` unless `isValid` holds for the
    /// normalised cell, and keeps the cell.
    @inline(__always)
    mutating func keepChecking(_ column: Column, _ code: RuleCode,
                               _ isValid: (UnsafeBufferPointer<UInt8>) -> Bool) {
        let cell = next(column)
        if !isValid(cell) { fire(code, column) }
        keep(cell)
    }

    /// The other usual shape: the cell breaks `code` and is kept as written (normalised).
    @inline(__always)
    mutating func keepInvalid(_ cell: UnsafeBufferPointer<UInt8>, _ code: RuleCode, _ column: Column) {
        fire(code, column)
        keep(cell)
    }
}

/// The cells of one record, normalised (TextNormalizer) on demand. A cell without a full-width
/// form is only trimmed: a view of the record's own bytes, no copy. Folded cells go to a stack
/// buffer (or, for a long row, one heap buffer). Ask for each cell once.
struct CellSource {
    let ranges: UnsafeBufferPointer<Range<Int>?>
    let src: UnsafeBufferPointer<UInt8>
    let fold: UnsafeMutablePointer<UInt8>
    var foldUsed = 0
    var heap: UnsafeMutablePointer<UInt8>?
    var heapUsed = 0
    /// Total bytes of all cells: a bound on every normalised cell and on their sum.
    let total: Int
    /// Some cell may hold a full-width form (else every cell is only trimmed).
    let anyFolding: Bool
    /// Some normalised cell may need CSV quotes (a `,` `"` CR or LF in the record, or a `，`
    /// folded to `,`); else no kept value is checked for them.
    let anyQuoting: Bool

    init(ranges: UnsafeBufferPointer<Range<Int>?>, src: UnsafeBufferPointer<UInt8>,
         fold: UnsafeMutablePointer<UInt8>) {
        self.ranges = ranges
        self.src = src
        self.fold = fold
        var total = 0
        for r in ranges { if let r { total += r.count } }
        self.total = total
        self.anyFolding = TextNormalizer.mayNeedFoldingAnywhere(src)
        self.anyQuoting = anyFolding || TextNormalizer.mayNeedQuotesAnywhere(src)
    }

    /// The normalised cell of `column`; empty when the file lacks the column.
    mutating func cell(_ column: Column) -> UnsafeBufferPointer<UInt8> {
        guard let r = ranges[column.rawValue] else { return UnsafeBufferPointer(start: fold, count: 0) }
        let cell = src.slice(r)
        let trimmed = cell.slice(TextNormalizer.trimmedRange(cell))
        guard anyFolding, TextNormalizer.mayNeedFolding(trimmed) else { return trimmed }
        let dst: UnsafeMutablePointer<UInt8>
        if foldUsed + trimmed.count <= RecordValidator.stackBytes {
            dst = fold + foldUsed
            foldUsed += trimmed.count
        } else {
            if heap == nil { heap = .allocate(capacity: total) }
            dst = heap! + heapUsed
            heapUsed += trimmed.count
        }
        return UnsafeBufferPointer(start: dst, count: TextNormalizer.normalize(trimmed, into: dst))
    }

    /// The cell of `column` only trimmed (not folded); nil when the file lacks the column.
    func trimmedRaw(_ column: Column) -> UnsafeBufferPointer<UInt8>? {
        guard let r = ranges[column.rawValue] else { return nil }
        let cell = src.slice(r)
        return cell.slice(TextNormalizer.trimmedRange(cell))
    }

    func release() { heap?.deallocate() }
}
