import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight from byte buffers with the SQLite C API: the hot path of
/// loading a million rows, where building GRDB `StatementArguments` (a String and a boxed value
/// per cell) costs more than SQLite itself. Runs inside the caller's GRDB transaction, on its
/// connection.
final class BulkInsert {
    private var statement: OpaquePointer?
    private let connection: OpaquePointer

    init(_ db: Database, sql: String) throws {
        guard let c = db.sqliteConnection else { throw LoadError("数据库已关闭 database closed") }
        connection = c
        let rc = sqlite3_prepare_v3(c, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, statement != nil else {
            throw LoadError("SQL错误 SQL error: \(String(cString: sqlite3_errmsg(c)))")
        }
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(statement, index)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds bytes that stay valid until `step()` returns (SQLITE_STATIC: no copy).
    func bind(_ index: Int32, bytes: UnsafePointer<UInt8>?, count: Int) {
        if count == 0 || bytes == nil {
            sqlite3_bind_text(statement, index, "", 0, Self.transient)
        } else {
            sqlite3_bind_text(statement, index, UnsafeRawPointer(bytes!).assumingMemoryBound(to: CChar.self), Int32(count), nil)
        }
    }

    /// Binds a String (copied by SQLite).
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(statement, index, text, -1, Self.transient)
    }

    enum Outcome { case done, constraint }

    /// Executes the bound row, then resets the statement for the next one.
    func step() throws -> Outcome {
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        if rc == SQLITE_DONE { return .done }
        if rc & 0xFF == SQLITE_CONSTRAINT { return .constraint }
        throw LoadError("SQLite错误 SQLite error \(rc): \(String(cString: sqlite3_errmsg(connection)))")
    }
}
