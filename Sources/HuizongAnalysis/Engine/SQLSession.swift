import GRDB

/// The database-engine seam: what the loader and the analyses need of a connection, on SQLite
/// (GRDB, with the C API for the hot scans) and on PostgreSQL (postgres-nio). The SQL passed in
/// is written once where the dialects agree (`?` placeholders; PostgreSQL's `$n` are made from
/// them); where they differ, `SQLDialect` holds the difference.
public protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs statements (several, separated by `;`, when `arguments` is empty).
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Every row of a query.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Streams the rows of a query to `body`, cells as byte views valid during the call.
    func scan(_ sql: String, _ body: (SQLCursor) throws -> Void) throws
}

extension SQLSession {
    public func execute(_ sql: String) throws { try execute(sql, []) }
    public func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }

    /// The first column of the first row.
    public func value<T: SQLDecodable>(_ sql: String, _ arguments: [SQLValue] = []) throws -> T? {
        guard let r = try rows(sql, arguments).first, !r.values.isEmpty else { return nil }
        return T.decode(r.values[0])
    }

    /// Inserts rows of `columns.count` values (`values` row after row), several rows a statement:
    /// at most 999 parameters each, SQLite's default limit.
    public func insert(into table: String, columns: [String], values: [SQLValue]) throws {
        let width = columns.count, perStatement = 999 / width * width
        var i = 0
        while i < values.count {
            let batch = Array(values[i..<min(i + perStatement, values.count)])
            let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            try execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                        + Array(repeating: row, count: batch.count / width).joined(separator: ", "), batch)
            i += perStatement
        }
    }

    /// The first column of every row.
    public func column<T: SQLDecodable>(_ sql: String, _ arguments: [SQLValue] = []) throws -> [T] {
        try rows(sql, arguments).map { T.decode($0.values[0]) }
    }
}

/// One cell's value, as the engines return it.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public init(_ v: String?) { self = v.map(SQLValue.text) ?? .null }
    public init(_ v: Int?) { self = v.map { .int(Int64($0)) } ?? .null }
    public init(_ v: Int64?) { self = v.map(SQLValue.int) ?? .null }
    public init(_ v: Double) { self = .double(v) }
    public init(_ v: Bool) { self = .int(v ? 1 : 0) }
}

/// A fetched row: cells by index or by column name.
public struct SQLRow: Sendable {
    public var names: [String]
    public var values: [SQLValue]

    public subscript<T: SQLDecodable>(_ index: Int) -> T { T.decode(values[index]) }
    public subscript<T: SQLDecodable>(_ name: String) -> T {
        guard let i = names.firstIndex(of: name) else { return T.decode(.null) }
        return T.decode(values[i])
    }
}

public protocol SQLDecodable {
    static func decode(_ v: SQLValue) -> Self
}

extension String: SQLDecodable {
    public static func decode(_ v: SQLValue) -> String {
        switch v {
        case .null: return ""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .text(let s): return s
        }
    }
}

extension Int64: SQLDecodable {
    public static func decode(_ v: SQLValue) -> Int64 {
        switch v {
        case .null: return 0
        case .int(let i): return i
        case .double(let d): return Int64(d)
        case .text(let s): return Int64(s) ?? 0
        }
    }
}

extension Int: SQLDecodable {
    public static func decode(_ v: SQLValue) -> Int { Int(Int64.decode(v)) }
}

extension Double: SQLDecodable {
    public static func decode(_ v: SQLValue) -> Double {
        switch v {
        case .null: return 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .text(let s): return Double(s) ?? 0
        }
    }
}

extension Bool: SQLDecodable {
    public static func decode(_ v: SQLValue) -> Bool { Int64.decode(v) != 0 }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(_ v: SQLValue) -> Wrapped? {
        if case .null = v { return nil }
        return Wrapped.decode(v)
    }
}

/// A row of a streamed query.
public protocol SQLCursor: AnyObject {
    /// The cell's UTF-8 bytes (empty for NULL), valid until the next row.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>
    func string(_ column: Int32) -> String
    func int(_ column: Int32) -> Int
}

extension RawQuery: SQLCursor {}

/// SQLite through GRDB, on a connection GRDB hands out (inside its `write`/`read`/`inDatabase`).
public final class SQLiteSession: SQLSession {
    public let db: Database
    public var dialect: SQLDialect { .sqlite }

    public init(_ db: Database) { self.db = db }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: return nil
            case .int(let i): return i
            case .double(let d): return d
            case .text(let s): return s
            }
        })
    }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try db.execute(sql: sql, arguments: Self.arguments(arguments))
    }

    public func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let rows = try Row.fetchAll(db, sql: sql, arguments: Self.arguments(arguments))
        guard let first = rows.first else { return [] }
        let names = Array(first.columnNames)
        return rows.map { r in
            SQLRow(names: names, values: r.databaseValues.map { dv -> SQLValue in
                switch dv.storage {
                case .null: return .null
                case .int64(let i): return .int(i)
                case .double(let d): return .double(d)
                case .string(let s): return .text(s)
                case .blob(let b): return .text(String(decoding: b, as: UTF8.self))
                }
            })
        }
    }

    public func scan(_ sql: String, _ body: (SQLCursor) throws -> Void) throws {
        let q = try RawQuery(db, sql: sql)
        while try q.next() { try body(q) }
    }
}
