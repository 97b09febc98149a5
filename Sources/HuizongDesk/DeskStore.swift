import Foundation
import GRDB
import HuizongCore
#if canImport(Glibc)
import Glibc
#endif

/// The desk's own SQLite file (SPEC 9): registrations and follow-ups as versions, services, the
/// people already in the county's latest merged summary, and the batches written. Every write is
/// one transaction, committed (synchronous=FULL) before the API replies.
public final class DeskStore: Sendable {
    public enum StoreError: Error, CustomStringConvertible {
        case open(String, String)
        public var description: String {
            switch self {
            case .open(let path, let why): "无法打开数据库 cannot open the desk database \(path): \(why)"
            }
        }
    }

    /// One version of a person: a canonical line (姓名 … 登记单位) and its 更新时间.
    public struct Version: Sendable {
        public enum Origin: String, Sendable { case summary, registration, followup }
        public var line: String
        public var updatedAt: Int64
        public var origin: Origin
        /// The batch file it was written in (nil: not yet, or from the merged summary).
        public var batchFile: String?
    }

    public struct Service: Sendable {
        public var kind: String
        public var at: Int64
        public var note: String
        public var enteredAt: Int64
    }

    public struct Person: Sendable {
        public var id: String
        /// Oldest first: the merged summary's row (if any), then the desk's versions.
        public var history: [Version]
        public var services: [Service]
        public var current: Version { history.last! }
    }

    /// A batch decided but not yet marked written (crash recovery reconciles these).
    public struct BatchIntent: Sendable {
        public var id: Int64
        public var name: String
        public var period: String
        public var directory: String
        public var lines: [String]
    }

    let queue: DatabaseQueue
    public let path: String

    public init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileSystem.makeDirectories(dir) }
        // Created 0600 before SQLite opens it; its -wal and -shm files take the same mode.
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.open(path, String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        close(fd)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try queue.write { db in try Self.createSchema(db) }
        } catch {
            throw StoreError.open(path, "\(error)")
        }
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS batches(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,          -- intended name (desk-YYYYMMDD-HHMMSS.csv); the written one when done
                period TEXT NOT NULL,
                directory TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('intent', 'done')),
                rows INTEGER NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS versions(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                person TEXT NOT NULL,
                origin TEXT NOT NULL CHECK (origin IN ('registration', 'followup')),
                updated_at INTEGER NOT NULL,
                line TEXT NOT NULL,
                batch INTEGER REFERENCES batches(id));
            CREATE INDEX IF NOT EXISTS versions_person ON versions(person, seq);
            CREATE INDEX IF NOT EXISTS versions_batch ON versions(batch);
            CREATE TABLE IF NOT EXISTS known(
                person TEXT PRIMARY KEY,
                updated_at INTEGER NOT NULL,
                line TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS services(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                person TEXT NOT NULL,
                kind TEXT NOT NULL,
                at INTEGER NOT NULL,
                note TEXT NOT NULL,
                entered_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS services_person ON services(person, at);
            """)
    }

    // MARK: People already in the county's merged summary

    /// Replaces the people known from the county's latest merged summary.
    public func replaceKnown(_ rows: [(id: String, updatedAt: Int64, line: String)]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM known")
            let stmt = try db.makeStatement(sql: "INSERT OR REPLACE INTO known(person, updated_at, line) VALUES (?, ?, ?)")
            for r in rows { try stmt.execute(arguments: [r.id, r.updatedAt, r.line]) }
        }
    }

    // MARK: Registrations and follow-ups

    public enum WriteOutcome: Sendable {
        case created(CheckResult)
        case rejected(CheckResult)
        case exists
        case notFound
    }

    static func exists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS(SELECT 1 FROM versions WHERE person = ?) OR EXISTS(SELECT 1 FROM known WHERE person = ?)
            """, arguments: [id, id]) ?? false
    }

    /// Stores a registration checked by `check` (one transaction): 409 (`.exists`) when the ID is
    /// already at the desk or in the merged summary, `.rejected` when a reject rule fired.
    public func register(_ checked: CheckResult) throws -> WriteOutcome {
        if checked.isRejected { return .rejected(checked) }
        return try queue.write { db in
            if try Self.exists(db, checked.idText) { return .exists }
            try db.execute(sql: "INSERT INTO versions(person, origin, updated_at, line) VALUES (?, 'registration', ?, ?)",
                           arguments: [checked.idText, checked.updatedAt, checked.canonicalLine])
            return .created(checked)
        }
    }

    /// A follow-up: `changes` over the person's current record, 更新时间 = `now`, or one second after
    /// the previous version when the clock has not moved past it. `check` validates the merged
    /// record at that time. One transaction: the previous version cannot change meanwhile.
    public func followUp(_ id: String, changes: DeskFields, now: Int64,
                         check: (DeskFields, Int64) -> CheckResult) throws -> WriteOutcome {
        try queue.write { db in
            guard let current = try Self.history(db, id).last,
                  var fields = FormCheck.fields(ofCanonicalLine: current.line) else { return .notFound }
            for (c, v) in changes { fields[c] = v }
            let time = max(now, current.updatedAt + 1)
            let checked = check(fields, time)
            if checked.isRejected { return .rejected(checked) }
            try db.execute(sql: "INSERT INTO versions(person, origin, updated_at, line) VALUES (?, 'followup', ?, ?)",
                           arguments: [id, time, checked.canonicalLine])
            return .created(checked)
        }
    }

    /// Records a service; false when the person is unknown.
    public func addService(_ id: String, kind: String, at: Int64, note: String, enteredAt: Int64) throws -> Bool {
        try queue.write { db in
            guard try Self.exists(db, id) else { return false }
            try db.execute(sql: "INSERT INTO services(person, kind, at, note, entered_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, kind, at, note, enteredAt])
            return true
        }
    }

    static func history(_ db: Database, _ id: String) throws -> [Version] {
        var out: [Version] = []
        if let k = try Row.fetchOne(db, sql: "SELECT updated_at, line FROM known WHERE person = ?", arguments: [id]) {
            out.append(Version(line: k["line"], updatedAt: k["updated_at"], origin: .summary, batchFile: nil))
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.origin, v.updated_at, v.line, b.name AS file, b.state AS state
            FROM versions v LEFT JOIN batches b ON b.id = v.batch WHERE v.person = ? ORDER BY v.seq
            """, arguments: [id])
        for r in rows {
            let state: String? = r["state"]
            out.append(Version(line: r["line"], updatedAt: r["updated_at"],
                               origin: Version.Origin(rawValue: r["origin"]) ?? .registration,
                               batchFile: state == "done" ? r["file"] : nil))
        }
        // The merged summary may already hold a newer version (after a later run): oldest first.
        if out.count > 1, out[0].origin == .summary, out[0].updatedAt > out[1].updatedAt {
            let s = out.removeFirst()
            let i = out.firstIndex { $0.updatedAt > s.updatedAt } ?? out.count
            out.insert(s, at: i)
        }
        return out
    }

    public func person(_ id: String) throws -> Person? {
        try queue.read { db in
            let h = try Self.history(db, id)
            guard !h.isEmpty else { return nil }
            let services = try Row.fetchAll(db, sql: "SELECT kind, at, note, entered_at FROM services WHERE person = ? ORDER BY at, seq",
                                            arguments: [id]).map {
                Service(kind: $0["kind"], at: $0["at"], note: $0["note"], enteredAt: $0["entered_at"])
            }
            return Person(id: id, history: h, services: services)
        }
    }

    /// Every person's current version (the newest of the merged summary's row and the desk's).
    public func currentVersions() throws -> [(id: String, line: String)] {
        try queue.read { db in
            var byID: [String: (Int64, String)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person, updated_at, line FROM known") {
                byID[r["person"]] = (r["updated_at"], r["line"])
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT person, updated_at, line FROM versions WHERE seq IN (SELECT MAX(seq) FROM versions GROUP BY person)
                """) {
                let id: String = r["person"]
                let t: Int64 = r["updated_at"]
                if let k = byID[id], k.0 > t { continue }
                byID[id] = (t, r["line"])
            }
            return byID.keys.sorted().map { ($0, byID[$0]!.1) }
        }
    }

    /// `info` contacts per person with `at` in [from, to).
    public func infoCounts(from: Int64, to: Int64) throws -> [String: Int] {
        try queue.read { db in
            var out: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person, COUNT(*) AS n FROM services WHERE kind = 'info' AND at >= ? AND at < ? GROUP BY person",
                                      arguments: [from, to]) {
                out[r["person"]] = r["n"]
            }
            return out
        }
    }

    // MARK: Batches

    /// Decides a batch (one transaction): every version not yet in a batch is assigned to a new
    /// batch in state `intent`. nil when nothing is pending.
    public func beginBatch(name: String, period: String, directory: String, now: Int64) throws -> BatchIntent? {
        try queue.write { db in
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM versions WHERE batch IS NULL") ?? 0
            guard pending > 0 else { return nil }
            try db.execute(sql: "INSERT INTO batches(name, period, directory, state, rows, created_at) VALUES (?, ?, ?, 'intent', ?, ?)",
                           arguments: [name, period, directory, pending, now])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE versions SET batch = ? WHERE batch IS NULL", arguments: [id])
            return try Self.intent(db, id)
        }
    }

    static func intent(_ db: Database, _ id: Int64) throws -> BatchIntent? {
        guard let b = try Row.fetchOne(db, sql: "SELECT name, period, directory FROM batches WHERE id = ?", arguments: [id]) else { return nil }
        let lines = try String.fetchAll(db, sql: "SELECT line FROM versions WHERE batch = ? ORDER BY seq", arguments: [id])
        return BatchIntent(id: id, name: b["name"], period: b["period"], directory: b["directory"], lines: lines)
    }

    /// Batches decided but not marked written (after a crash).
    public func openIntents() throws -> [BatchIntent] {
        try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM batches WHERE state = 'intent' ORDER BY id").compactMap { try Self.intent(db, $0) }
        }
    }

    /// Marks a batch written, under the name it was written as.
    public func finishBatch(_ id: Int64, file: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE batches SET state = 'done', name = ? WHERE id = ?", arguments: [file, id])
        }
    }

    public struct BatchRecord: Sendable {
        public var id: Int64
        public var name: String
        public var period: String
        public var state: String
        public var rows: Int
    }

    public func batches() throws -> [BatchRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, period, state, rows FROM batches ORDER BY id").map {
                BatchRecord(id: $0["id"], name: $0["name"], period: $0["period"], state: $0["state"], rows: $0["rows"])
            }
        }
    }

    /// Entries not yet in any batch.
    public func pendingCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM versions WHERE batch IS NULL") ?? 0 }
    }
}
