import GRDB
import HuizongCore

/// The auditors' view of a period's discrepancy reports (SPEC 3.3) for a unit's subtree.
///
/// A unit's report carries its children's rows unchanged and every level re-validates, so one
/// problem appears once per level above the one that first found it, and a county that reads its
/// own last output as the base table may report the same problem of a person twice (once from
/// that table, once from the new batch). One definition (docs/audit-totals.md) serves every count
/// and every list: findings are keyed by (公民身份号码 — or, without one, 来源单位 + 来源文件 +
/// 行号 —, 字段, 规则); each key is ONE finding, represented by one report row — at the lowest
/// level that raised it (the deepest 发现单位), the first by (发现单位, 来源单位, 来源文件, 行号)
/// there. The overview, the per-rule and per-unit counts, the drill-down and the findings file
/// all read that one table (`temp.audit_rep`). The other rows of the key at that level are named
/// beside it (`alsoAt`), the levels above that raised it again too (`reRaisedBy`). A row is in
/// the subtree when its 发现单位 or its 来源单位 is.
public struct AuditFindings: Sendable {
    public struct Finding: Sendable, Equatable, Codable {
        public var foundBy: String
        public var sourceUnit: String
        public var sourceFile: String
        public var line: Int?
        public var citizenID: String
        public var name: String
        public var field: String
        public var rule: String
        public var severity: String
        public var message: String
        public var rawValue: String
        /// Higher units whose runs raised the same finding again.
        public var reRaisedBy: [String]
        /// The same finding reported again at its own level, as `来源文件:行号` (e.g. from last
        /// month's output read as the base table and from the new batch).
        public var alsoAt: [String] = []
    }

    public struct RuleCount: Sendable, Equatable, Codable {
        public var rule: String
        public var severity: String
        public var count: Int
        public var description: String
    }

    public struct UnitCount: Sendable, Equatable, Codable {
        public var unit: String
        public var name: String
        public var reject: Int
        public var flag: Int
        public var info: Int
    }

    public struct SubmissionInfo: Sendable, Equatable, Codable {
        public var unit: String
        public var name: String
        public var period: String
        public var summaryFile: String
        public var summarySHA256: String
        public var discrepanciesFile: String
        public var rows: Int
        public var findings: Int
        public var asOf: String?
        public var childrenExpected: [String]
        public var childrenLate: [String]
        public var childrenMissing: [String]
        public var childrenRejected: [String]
    }

    public var unit: String
    public var unitName: String
    public var period: String
    public var submissions: [SubmissionInfo]
    /// Report rows in the subtree, re-raised ones included.
    public var reportRows: Int
    /// Distinct findings (each counted once, at the lowest level).
    public var distinct: Int
    public var bySeverity: [String: Int]
    public var byRule: [RuleCount]
    public var byUnit: [UnitCount]
    /// Counts per (unit, rule), for the matrix.
    public var byUnitRule: [String: [String: Int]]

    /// Builds `temp.audit_f` (findings in scope with their key and depth) and
    /// `temp.audit_primary` (those at the lowest level of their key), and the counts.
    public static func compute(_ db: Database, scope: AnalysisScope, period: Period) throws -> AuditFindings {
        let subs = try scope.covering(db, period: period.description)
        let ids = AnalysisScope.list(subs.map(\.id))
        let dir = scope.directory
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.audit_unit;
            CREATE TEMP TABLE audit_unit (code TEXT PRIMARY KEY, depth INTEGER NOT NULL, in_scope INTEGER NOT NULL) WITHOUT ROWID;
            """)
        let codes = try String.fetchAll(db, sql: """
            SELECT found_by FROM discrepancy WHERE submission_id IN (\(ids))
            UNION SELECT source_unit FROM discrepancy WHERE submission_id IN (\(ids))
            """)
        let insert = try db.cachedStatement(sql: "INSERT INTO temp.audit_unit VALUES (?, ?, ?)")
        for c in codes {
            try insert.execute(arguments: [c, dir.depth(of: c), dir.isInSubtree(c, of: scope.unit)])
        }
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.audit_f;
            CREATE TEMP TABLE audit_f AS
                SELECT d.*, fu.depth AS depth,
                       CASE WHEN d.citizen_id <> '' THEN 'I' || d.citizen_id
                            ELSE 'L' || d.source_unit || '|' || d.source_file || '|' || ifnull(d.line, '') END
                       || '|' || d.field || '|' || d.rule AS k
                FROM discrepancy d
                JOIN temp.audit_unit fu ON fu.code = d.found_by
                JOIN temp.audit_unit su ON su.code = d.source_unit
                WHERE d.submission_id IN (\(ids)) AND (fu.in_scope OR su.in_scope);
            CREATE INDEX temp.audit_f_k ON audit_f(k, depth);
            DROP TABLE IF EXISTS temp.audit_rep;
            CREATE TEMP TABLE audit_rep AS
                SELECT * FROM (
                    SELECT f.*, row_number() OVER (
                        PARTITION BY f.k
                        ORDER BY f.depth DESC, f.found_by, f.source_unit, f.source_file, f.line IS NOT NULL, f.line,
                                 f.submission_id, f.seq) AS rn
                    FROM audit_f f)
                WHERE rn = 1;
            CREATE INDEX temp.audit_rep_k ON audit_rep(k);
            """)
        let reportRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.audit_f") ?? 0
        var bySeverity: [String: Int] = [:]
        var byRule: [RuleCount] = []
        for r in try Row.fetchAll(db, sql: "SELECT rule, severity, count(*) AS n FROM temp.audit_rep GROUP BY rule, severity") {
            let rule: String = r["rule"], sev: String = r["severity"], n: Int = r["n"]
            bySeverity[sev, default: 0] += n
            byRule.append(RuleCount(rule: rule, severity: sev, count: n, description: RuleCode(rawValue: rule)?.message ?? ""))
        }
        byRule.sort { (sevOrder($0.severity), -$0.count, $0.rule) < (sevOrder($1.severity), -$1.count, $1.rule) }
        var units: [String: UnitCount] = [:]
        var matrix: [String: [String: Int]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT found_by, rule, severity, count(*) AS n FROM temp.audit_rep GROUP BY found_by, rule, severity") {
            let u: String = r["found_by"], rule: String = r["rule"], sev: String = r["severity"], n: Int = r["n"]
            var c = units[u] ?? UnitCount(unit: u, name: dir.name(of: u), reject: 0, flag: 0, info: 0)
            switch sev {
            case "reject": c.reject += n
            case "flag": c.flag += n
            default: c.info += n
            }
            units[u] = c
            matrix[u, default: [:]][rule, default: 0] += n
        }
        let infos = try subs.map { s -> SubmissionInfo in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM submission WHERE id = ?", arguments: [s.id])!
            let children = try Row.fetchAll(db, sql: "SELECT * FROM submission_child WHERE submission_id = ? ORDER BY child", arguments: [s.id])
            func codes(_ col: String) -> [String] { children.filter { ($0[col] as Int? ?? 0) != 0 }.map { $0["child"] } }
            return SubmissionInfo(unit: s.unit, name: dir.name(of: s.unit), period: s.period, summaryFile: row["summary_file"],
                                  summarySHA256: row["summary_sha256"], discrepanciesFile: row["discrepancies_file"],
                                  rows: row["summary_rows"], findings: row["discrepancies_rows"], asOf: row["as_of"],
                                  childrenExpected: codes("expected"), childrenLate: codes("late"),
                                  childrenMissing: codes("missing"), childrenRejected: codes("rejected"))
        }
        return AuditFindings(
            unit: scope.unit, unitName: dir.name(of: scope.unit), period: period.description, submissions: infos,
            reportRows: reportRows, distinct: bySeverity.values.reduce(0, +), bySeverity: bySeverity, byRule: byRule,
            byUnit: units.values.sorted { $0.unit < $1.unit }, byUnitRule: matrix)
    }

    static func sevOrder(_ s: String) -> Int { s == "reject" ? 0 : s == "flag" ? 1 : 2 }

    /// The order of every list of findings: rejects, then flags, then info; within each, by
    /// (发现单位, 来源单位, 来源文件, 行号, 规则).
    static let listOrder = """
        CASE p.severity WHEN 'reject' THEN 0 WHEN 'flag' THEN 1 ELSE 2 END,
        p.found_by, p.source_unit, p.source_file, p.line IS NOT NULL, p.line, p.rule, p.submission_id, p.seq
        """

    /// The drill-down: one row per finding (the rows the counts count), rejects first, then
    /// flags, then info (`includeInfo`); at most `limit` (nil: all). Call after `compute`.
    public static func drillDown(_ db: Database, includeInfo: Bool = true, limit: Int? = nil,
                                 body: (Finding) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT p.*,
                   (SELECT group_concat(DISTINCT g.found_by) FROM temp.audit_f g
                    WHERE g.k = p.k AND g.depth < p.depth) AS again,
                   (SELECT group_concat(g.source_file || ':' || ifnull(g.line, '-'), ' ') FROM temp.audit_f g
                    WHERE g.k = p.k AND g.depth = p.depth AND NOT (g.submission_id = p.submission_id AND g.seq = p.seq)) AS also
            FROM temp.audit_rep p
            \(includeInfo ? "" : "WHERE p.severity IN ('reject', 'flag')")
            ORDER BY \(listOrder)
            \(limit.map { "LIMIT \($0)" } ?? "")
            """)
        while let r = try cursor.next() {
            let again: String? = r["again"]
            let also: String? = r["also"]
            let field: String = r["field"]
            try body(Finding(
                foundBy: r["found_by"], sourceUnit: r["source_unit"], sourceFile: r["source_file"], line: r["line"],
                citizenID: r["citizen_id"], name: r["name"], field: field, rule: r["rule"], severity: r["severity"],
                message: r["message"],
                rawValue: SubmissionLoader.contactFields.contains(field) ? "" : r["raw_value"],
                reRaisedBy: (again ?? "").split(separator: ",").map(String.init).sorted(),
                alsoAt: (also ?? "").split(separator: " ").map(String.init).sorted()))
        }
    }

    /// Number of findings (rows of the drill-down with info). Call after `compute`.
    public static func drillDownCount(_ db: Database, includeInfo: Bool = true) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.audit_rep\(includeInfo ? "" : " WHERE severity IN ('reject', 'flag')")") ?? 0
    }
}
