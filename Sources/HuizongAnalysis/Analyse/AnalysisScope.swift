import GRDB
import HuizongCore

/// Which rows an analysis of unit U for period P reads.
///
/// Rows: those of the submissions that cover U for P — U's own submission if loaded, else the
/// nearest loaded ancestor's, else the loaded descendants' (the highest ones, so a county loaded
/// beside its city is not counted twice) — whose 登记单位 is U or lies under U.
/// Each row is attributed to the child of U its 登记单位 lies under (`child`), for the per-child
/// breakdown; at a county the child is the county itself.
public struct AnalysisScope: Sendable {
    public struct Submission: Sendable, Equatable, Codable {
        public var id: Int64
        public var unit: String
        public var period: String
        public var asOf: String?
        public var summaryFile: String
        public var summarySHA256: String
    }

    public let unit: String
    public let directory: UnitDirectory

    /// The units known to the database, overlaid with a pipeline.json when given.
    public static func directory(_ db: Database, config: PipelineConfig?) throws -> UnitDirectory {
        try directory(SQLiteSession(db), config: config)
    }

    public static func directory(_ db: SQLSession, config: PipelineConfig?) throws -> UnitDirectory {
        var dir = UnitDirectory()
        for r in try db.rows("SELECT code, name, level, parent FROM unit ORDER BY code") {
            dir.add(.init(code: r["code"], name: r["name"], level: r["level"], parent: r["parent"]))
        }
        if let config {
            for u in UnitDirectory(config: config).units.values { dir.add(u) }
        }
        return dir
    }

    public init(unit: String, directory: UnitDirectory) {
        self.unit = unit
        self.directory = directory
    }

    /// The submissions covering `unit` for `period` (see the type's comment).
    public func covering(_ db: Database, period: String) throws -> [Submission] {
        try covering(SQLiteSession(db), period: period)
    }

    public func covering(_ db: SQLSession, period: String) throws -> [Submission] {
        let subs = try db.rows("""
            SELECT id, unit, period, as_of, summary_file, summary_sha256 FROM submission
            WHERE period = ? AND status = 'current' ORDER BY id
            """, [.text(period)]).map {
            Submission(id: $0["id"], unit: $0["unit"], period: $0["period"], asOf: $0["as_of"],
                       summaryFile: $0["summary_file"], summarySHA256: $0["summary_sha256"])
        }
        let above = subs.filter { directory.isInSubtree(unit, of: $0.unit) }
        if let nearest = above.max(by: { (directory.depth(of: $0.unit), $0.id) < (directory.depth(of: $1.unit), $1.id) }) {
            return [nearest]
        }
        let below = subs.filter { directory.isInSubtree($0.unit, of: unit) }
        return below.filter { d in
            !below.contains { o in o.unit != d.unit && directory.isInSubtree(d.unit, of: o.unit) }
        }
    }

    /// Periods with at least one covering submission, ascending.
    public func loadedPeriods(_ db: SQLSession) throws -> [String] {
        let periods: [String] = try db.column("SELECT DISTINCT period FROM submission WHERE status = 'current' ORDER BY period")
        return try periods.filter { try !covering(db, period: $0).isEmpty }
    }

    /// (Re)creates `temp.scope_unit(reg_unit, child)` for every 登记单位 in the given submissions
    /// that lies in U's subtree.
    public func prepareScopeTable(_ db: SQLSession, submissions: [Int64]) throws {
        try db.execute(db.dialect.createTemp("scope_unit", columns: "reg_unit TEXT PRIMARY KEY, child TEXT NOT NULL"))
        guard !submissions.isEmpty else { return }
        let codes: [String] = try db.column("""
            SELECT DISTINCT registering_unit FROM submission_county WHERE submission_id IN (\(Self.list(submissions)))
            """)
        var rows: [SQLValue] = []
        for code in codes where directory.isInSubtree(code, of: unit) {
            rows += [.text(code), .text(directory.child(of: unit, toward: code) ?? code)]
        }
        try db.insert(into: "scope_unit", columns: ["reg_unit", "child"], values: rows)
    }

    /// An SQL list of ids (integers only, so inlining is safe).
    static func list(_ ids: [Int64]) -> String {
        ids.isEmpty ? "NULL" : ids.map(String.init).joined(separator: ",")
    }
}
