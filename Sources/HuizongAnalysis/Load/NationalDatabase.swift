import GRDB

/// The real-name database (实名制信息数据库, notice 一(五)): a SQLite file any level may keep; the
/// ministry's is the national one. It holds, per loaded submission (one unit's outputs for one
/// period), every person's row as merged that month, the discrepancy report, the manifest's
/// numbers, and an audit trail of every load. See docs/database.md.
///
/// The file is created 0600 (SPEC 7) and opened in WAL mode, so reports and ad-hoc queries can
/// read while a load is running.
public final class NationalDatabase: Sendable {
    public let path: String
    public let queue: DatabaseQueue

    /// Default wait for another writer (SPEC 8.5, `db load --busy-timeout`).
    public static let defaultBusyTimeout: Double = 60

    /// Opens (creating it 0600 if missing) and migrates the database at `path`. While another
    /// process writes, waits up to `busyTimeout` seconds for it (SQLite's busy handler; writes
    /// take the lock up front, IMMEDIATE), then fails with SQLITE_BUSY (`isBusy`).
    public init(path: String, readOnly: Bool = false, busyTimeout: Double = NationalDatabase.defaultBusyTimeout) throws {
        self.path = path
        if !readOnly {
            try SecureFiles.createEmptyIfMissing(path)
        }
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.label = "huizong"
        config.busyMode = .timeout(max(0, busyTimeout))
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: """
                PRAGMA synchronous = NORMAL;
                PRAGMA cache_size = -131072;
                """)
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        if !readOnly {
            do {
                try Self.migrator.migrate(queue)
            } catch {
                // Two first loads at once (scripts/faults, concurrent loads): both saw an empty
                // file, one created the schema (its migration commits with its record), the
                // other's CREATE then failed. Complete now means nothing is left to do.
                let complete = (try? queue.read { try Self.migrator.hasCompletedMigrations($0) }) ?? false
                if !complete { throw error }
            }
        }
    }

    /// Whether `error` is SQLite's "database is locked" after the busy timeout (another writer).
    public static func isBusy(_ error: Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }

    /// Runs an analysis on one consistent snapshot (a deferred transaction, rolled back at the
    /// end): the analyses keep working tables in the connection's TEMP schema, which a GRDB
    /// `read` (query_only) would refuse.
    public func analyse<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .rollback
            }
            return result!
        }
    }

    /// Schema versions, applied in order and recorded in `grdb_migrations`. Never edit a
    /// migration that shipped: add one.
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-schema") { db in
            try db.execute(sql: schemaV1)
        }
        m.registerMigration("v2-analysts") { db in
            try db.execute(sql: DatabaseSchema.v2Analysts)
        }
        return m
    }

    /// The columns of a person's row, in summary-file order (序号 is not stored: it is the
    /// row's position, `line - 1`).
    public static let personColumns: [String] = [
        "name", "sex", "ethnic_group", "citizen_id", "school", "graduation_date", "education", "major",
        "hukou", "email", "postcode", "mobile", "landline", "hardship", "workplace_intent", "intentions",
        "service_needs", "destination", "updated_at", "registering_unit",
    ]

    static let personColumnSQL = """
        name TEXT NOT NULL, sex TEXT NOT NULL, ethnic_group TEXT NOT NULL, school TEXT NOT NULL,
        graduation_date TEXT NOT NULL, education TEXT NOT NULL, major TEXT NOT NULL, hukou TEXT NOT NULL,
        email TEXT NOT NULL, postcode TEXT NOT NULL, mobile TEXT NOT NULL, landline TEXT NOT NULL,
        hardship TEXT NOT NULL, workplace_intent TEXT NOT NULL, intentions TEXT NOT NULL,
        service_needs TEXT NOT NULL, destination TEXT NOT NULL, updated_at TEXT NOT NULL,
        registering_unit TEXT NOT NULL
        """

    static let schemaV1 = """
        -- Units known to the database: from pipeline.json (source 'config') or from manifests.
        CREATE TABLE unit (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL DEFAULT '',
            parent TEXT,
            source TEXT NOT NULL CHECK (source IN ('config', 'manifest'))
        ) WITHOUT ROWID;

        -- One unit's outputs for one period, as loaded. A corrected resubmission replaces the
        -- current one (status 'replaced', replaced_by the new id); its rows are removed, its
        -- record stays here and in load_event.
        CREATE TABLE submission (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            unit TEXT NOT NULL,
            period TEXT NOT NULL,
            unit_name TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL DEFAULT '',
            as_of TEXT,
            tool TEXT,
            rules TEXT,
            summary_file TEXT NOT NULL,
            summary_sha256 TEXT NOT NULL,
            summary_rows INTEGER NOT NULL,
            discrepancies_file TEXT NOT NULL,
            discrepancies_sha256 TEXT NOT NULL,
            discrepancies_rows INTEGER NOT NULL,
            manifest_file TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            manifest_json TEXT NOT NULL,
            lines_read INTEGER, blank INTEGER, rejected INTEGER, merged INTEGER,
            superseded INTEGER, duplicate INTEGER, carried_forward INTEGER, output_rows INTEGER,
            status TEXT NOT NULL CHECK (status IN ('current', 'replaced')),
            loaded_at TEXT NOT NULL,
            replaced_at TEXT,
            replaced_by INTEGER REFERENCES submission(id)
        );
        CREATE UNIQUE INDEX submission_current ON submission(unit, period) WHERE status = 'current';
        CREATE INDEX submission_period ON submission(period, status);

        -- The manifest's inputs (which files the unit merged, from whom, with what accounting).
        CREATE TABLE submission_input (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            file TEXT NOT NULL,
            from_unit TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            lines_read INTEGER, blank INTEGER, rejected INTEGER, merged INTEGER,
            superseded INTEGER, duplicate INTEGER,
            PRIMARY KEY (submission_id, file)
        ) WITHOUT ROWID;

        -- The manifest's children: expected, received, missing, late, rejected; on time when
        -- received, not late and not rejected.
        CREATE TABLE submission_child (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            child TEXT NOT NULL,
            expected INTEGER NOT NULL, received INTEGER NOT NULL, missing INTEGER NOT NULL,
            late INTEGER NOT NULL, rejected INTEGER NOT NULL,
            on_time INTEGER GENERATED ALWAYS AS (received AND NOT late AND NOT rejected) VIRTUAL,
            PRIMARY KEY (submission_id, child)
        ) WITHOUT ROWID;

        -- Every version of every person, per loaded submission (so per period): the
        -- follow-up history. line = physical line in the summary file (序号 + 1).
        CREATE TABLE person_version (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            citizen_id TEXT NOT NULL,
            period TEXT NOT NULL,
            line INTEGER NOT NULL,
            \(personColumnSQL),
            PRIMARY KEY (submission_id, citizen_id)
        ) WITHOUT ROWID;

        -- Current state: one row per ID, pointing at its latest version loaded (latest period,
        -- then latest 更新时间, then latest load); the view person_current has the columns.
        CREATE TABLE person (
            citizen_id TEXT PRIMARY KEY,
            period TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submission_id INTEGER NOT NULL REFERENCES submission(id)
        ) WITHOUT ROWID;

        -- The discrepancy report of each submission, row by row (seq = line in the report file).
        -- Contact values never reach it (SPEC 3.3): 原值 of a contact field is blanked on load.
        CREATE TABLE discrepancy (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            seq INTEGER NOT NULL,
            found_by TEXT NOT NULL,
            source_unit TEXT NOT NULL,
            source_file TEXT NOT NULL,
            line INTEGER,
            citizen_id TEXT NOT NULL,
            name TEXT NOT NULL,
            field TEXT NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            raw_value TEXT NOT NULL,
            PRIMARY KEY (submission_id, seq)
        ) WITHOUT ROWID;

        -- Per submission and registering county: counts the monthly trend reads without
        -- scanning every period's rows again.
        CREATE TABLE submission_county (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            registering_unit TEXT NOT NULL,
            persons INTEGER NOT NULL,
            employed INTEGER NOT NULL,
            no_destination INTEGER NOT NULL,
            hardship_no_destination INTEGER NOT NULL,
            PRIMARY KEY (submission_id, registering_unit)
        ) WITHOUT ROWID;

        -- The audit trail: every load attempt that changed or confirmed the data.
        CREATE TABLE load_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            unit TEXT NOT NULL,
            period TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('loaded', 'unchanged', 'replaced')),
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            replaced_submission_id INTEGER REFERENCES submission(id),
            summary_sha256 TEXT NOT NULL,
            discrepancies_sha256 TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            rows INTEGER NOT NULL,
            findings INTEGER NOT NULL,
            seconds REAL NOT NULL,
            paths TEXT NOT NULL,
            tool TEXT NOT NULL
        );

        CREATE VIEW person_current AS
            SELECT pv.* FROM person p
            JOIN person_version pv ON pv.submission_id = p.submission_id AND pv.citizen_id = p.citizen_id;

        -- A person's versions across periods with the previous destination: the follow-up
        -- history (回访结果) — when 就业去向 changed, from what to what.
        CREATE VIEW person_history AS
            SELECT pv.citizen_id, pv.period, s.unit AS loaded_unit, pv.registering_unit,
                   pv.destination, pv.updated_at,
                   LAG(pv.destination) OVER w AS previous_destination,
                   LAG(pv.period) OVER w AS previous_period
            FROM person_version pv JOIN submission s ON s.id = pv.submission_id AND s.status = 'current'
            WINDOW w AS (PARTITION BY pv.citizen_id ORDER BY pv.period, s.id);

        CREATE VIEW destination_change AS
            SELECT citizen_id, previous_period, period, previous_destination, destination, updated_at
            FROM person_history
            WHERE previous_period IS NOT NULL AND previous_destination <> destination;
        """
}
