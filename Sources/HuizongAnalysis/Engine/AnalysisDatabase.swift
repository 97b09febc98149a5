import Foundation
import GRDB
import HuizongCore

/// The national database on PostgreSQL: the same schema (migrations of `DatabaseSchema`), the
/// same loads and the same analyses as the SQLite file, for many readers at once and for
/// provinces kept to their own rows (`DatabaseRoles`). See docs/database.md, "PostgreSQL".
public final class PostgresDatabase: @unchecked Sendable {
    public let session: PostgresSession

    /// Connects; unless `readOnly`, brings the schema up to date (under an advisory lock, so two
    /// first loads at once do not both create it).
    public init(_ location: PostgresLocation, readOnly: Bool = false) throws {
        session = try PostgresSession(location)
        if !readOnly { try Self.migrate(session) }
    }

    static let lockKey = 48_151_623  // pg_advisory_lock key of schema changes and loads

    public static func migrate(_ s: PostgresSession) throws {
        try s.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer { try? s.execute("SELECT pg_advisory_unlock(\(lockKey))") }
        try s.execute("""
            SET client_min_messages = warning;
            CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
            """)
        let applied = Set(try s.column("SELECT name FROM schema_migration") as [String])
        for m in DatabaseSchema.migrations where !applied.contains(m.name) {
            try s.execute("BEGIN")
            do {
                try s.execute(SQLDialect.postgres.ddl(m.sql))
                try s.execute("INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                              [.text(m.name), .text(ChinaTime.format(Int64(Date().timeIntervalSince1970)))])
                try s.execute("COMMIT")
            } catch {
                try? s.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` in one transaction, committed if it returns, rolled back if it throws.
    public func write<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try session.execute("BEGIN")
        do {
            let r = try body(session)
            try session.execute("COMMIT")
            return r
        } catch {
            try? session.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs an analysis on one snapshot (REPEATABLE READ), rolled back at the end: the analyses
    /// keep working tables in the session's temporary schema.
    public func analyse<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        defer { try? session.execute("ROLLBACK") }
        return try body(session)
    }
}

/// A national database on either engine, as `--db` names it.
public enum AnalysisDatabase {
    case sqlite(NationalDatabase)
    case postgres(PostgresDatabase)

    public static func open(_ location: DatabaseLocation, readOnly: Bool = false,
                            busyTimeout: Double = NationalDatabase.defaultBusyTimeout) throws -> AnalysisDatabase {
        switch location {
        case .sqlite(let path): return .sqlite(try NationalDatabase(path: path, readOnly: readOnly, busyTimeout: busyTimeout))
        case .postgres(let p): return .postgres(try PostgresDatabase(p, readOnly: readOnly))
        }
    }

    /// An analysis on one consistent snapshot, rolled back at the end.
    public func analyse<T>(_ body: (SQLSession) throws -> T) throws -> T {
        switch self {
        case .sqlite(let d): return try d.analyse { try body(SQLiteSession($0)) }
        case .postgres(let d): return try d.analyse { try body($0) }
        }
    }

    /// Loads one submission (see `SubmissionLoader`).
    public func load(_ files: SubmissionFiles, unit: String? = nil, period: String? = nil, config: UnitDirectory? = nil,
                     now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> LoadResult {
        switch self {
        case .sqlite(let d): return try SubmissionLoader(database: d, config: config).load(files, unit: unit, period: period, now: now)
        case .postgres(let d): return try SubmissionLoader.loadPostgres(d, files, unit: unit, period: period, config: config, now: now)
        }
    }
}
