import GRDB
import GRDBSQLite

/// A SELECT read row by row with the SQLite C API, cells as byte views: the analyses scan up
/// to millions of rows and count bytes, where building a GRDB `Row` and a String per cell would
/// cost more than SQLite itself. Runs on the caller's GRDB connection.
final class RawQuery {
    private var statement: OpaquePointer?
    private let connection: OpaquePointer

    init(_ db: Database, sql: String, text arguments: [String] = []) throws {
        guard let c = db.sqliteConnection else { throw LoadError("数据库已关闭 database closed") }
        connection = c
        guard sqlite3_prepare_v2(c, sql, -1, &statement, nil) == SQLITE_OK, statement != nil else {
            throw LoadError("SQL错误 SQL error: \(String(cString: sqlite3_errmsg(c)))")
        }
        for (i, a) in arguments.enumerated() {
            sqlite3_bind_text(statement, Int32(i + 1), a, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    deinit { sqlite3_finalize(statement) }

    /// Advances to the next row; false at the end.
    func next() throws -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw LoadError("SQLite错误 SQLite error \(rc): \(String(cString: sqlite3_errmsg(connection)))")
    }

    /// The cell's UTF-8 bytes, valid until the next `next()`.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(statement, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, column)))
    }

    func string(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
}

/// Byte tests on the canonical option codes (single ASCII characters, `1`–`9`, `A`).
enum OptionBytes {
    @inline(__always)
    static func contains(_ cell: UnsafeBufferPointer<UInt8>, _ code: UInt8) -> Bool {
        for b in cell where b == code { return true }
        return false
    }

    /// The index of a single-choice code among `codes` (e.g. 就业去向 "1"…"15"); nil if none.
    static func index(_ cell: UnsafeBufferPointer<UInt8>, in codes: [[UInt8]]) -> Int? {
        for (i, c) in codes.enumerated() where c.count == cell.count && c.elementsEqual(cell) { return i }
        return nil
    }
}
