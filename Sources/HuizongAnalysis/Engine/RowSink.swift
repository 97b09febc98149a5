/// Where the loader's rows go, one prepared row at a time, bound by 1-based column index
/// straight from the reader's byte buffers: a prepared INSERT on SQLite (`BulkInsert`), a
/// `COPY` stream on PostgreSQL (`CopyRowSink`). One reading loop feeds both.
protocol RowSink {
    func bind(_ index: Int32, _ value: Int64)
    func bindNull(_ index: Int32)
    /// Bytes valid until `step()` returns.
    func bind(_ index: Int32, bytes: UnsafePointer<UInt8>?, count: Int)
    func bind(_ index: Int32, _ text: String)
    /// Writes the bound row; `.constraint` when the engine refused it as a duplicate key.
    func step() throws -> BulkInsert.Outcome
}

extension BulkInsert: RowSink {}

/// A row sink writing COPY text rows of `width` columns; slots not bound since the last row are
/// NULL. Duplicate keys surface when the server checks them (SQLSTATE 23505), not per row.
final class CopyRowSink: RowSink {
    private enum Slot {
        case null
        case int(Int64)
        case bytes(UnsafePointer<UInt8>?, Int)
        case text(String)
    }

    private let stream: CopyStream
    private var slots: [Slot]

    init(stream: CopyStream, width: Int) {
        self.stream = stream
        slots = Array(repeating: .null, count: width + 1)
    }

    func bind(_ index: Int32, _ value: Int64) { slots[Int(index)] = .int(value) }
    func bindNull(_ index: Int32) { slots[Int(index)] = .null }
    func bind(_ index: Int32, bytes: UnsafePointer<UInt8>?, count: Int) { slots[Int(index)] = .bytes(bytes, count) }
    func bind(_ index: Int32, _ text: String) { slots[Int(index)] = .text(text) }

    func step() throws -> BulkInsert.Outcome {
        for i in 1..<slots.count {
            if i > 1 { stream.separator() }
            switch slots[i] {
            case .null: stream.null()
            case .int(let v): stream.int(v)
            case .bytes(let p, let n): stream.text(UnsafeBufferPointer(start: n == 0 ? nil : p, count: n))
            case .text(let s): stream.text(s)
            }
        }
        // Bytes bound for this row are invalid after it; values bound once (submission, period) stay.
        for i in 1..<slots.count { if case .bytes = slots[i] { slots[i] = .bytes(nil, 0) } }
        try stream.endRow()
        return .done
    }
}
