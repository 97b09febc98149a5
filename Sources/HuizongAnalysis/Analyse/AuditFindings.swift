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
public struct AuditFindings: Sendable, Equatable, Codable {
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

    /// Builds the work tables `audit_f` (findings in scope with their key and depth) and
    /// `audit_rep` (the representative row of each key), and the counts. The same SQL on both
    /// engines (their differences through `SQLDialect`).
    public static func compute(_ db: Database, scope: AnalysisScope, period: Period) throws -> AuditFindings {
        try compute(SQLiteSession(db), scope: scope, period: period)
    }

    public static func compute(_ db: SQLSession, scope: AnalysisScope, period: Period,
                               narrowing: Narrowing? = nil) throws -> AuditFindings {
        let subs = try scope.covering(db, period: period.description)
        let dir = scope.directory
        let sql = db.dialect
        if let narrowing, narrowing.submissionIDs == subs.map(\.id) {
            try narrowRows(db, to: scope, from: narrowing)
        } else {
            try selectRows(db, scope: scope, submissions: subs.map(\.id))
        }
        try db.execute("""
            CREATE INDEX audit_f_k ON audit_f(k, depth);
            \(sql.analyzeTemp("audit_f"))
            """ + sql.createTemp("audit_rep", as: """
                SELECT * FROM (
                    SELECT f.*, row_number() OVER (
                        PARTITION BY f.k
                        ORDER BY f.depth DESC, \(sql.byteOrder("f.found_by")), \(sql.byteOrder("f.source_unit")),
                                 \(sql.byteOrder("f.source_file")), f.line IS NOT NULL, f.line, f.submission_id, f.seq) AS rn
                    FROM audit_f f) AS ranked
                WHERE rn = 1
                """) + """
            CREATE INDEX audit_rep_k ON audit_rep(k);
            \(sql.analyzeTemp("audit_rep"))
            """)
        let reportRows: Int = try db.value("SELECT count(*) FROM audit_f") ?? 0
        var bySeverity: [String: Int] = [:]
        var byRule: [RuleCount] = []
        for r in try db.rows("SELECT rule, severity, count(*) AS n FROM audit_rep GROUP BY rule, severity") {
            let rule: String = r["rule"], sev: String = r["severity"], n: Int = r["n"]
            bySeverity[sev, default: 0] += n
            byRule.append(RuleCount(rule: rule, severity: sev, count: n, description: RuleCode(rawValue: rule)?.message ?? ""))
        }
        byRule.sort { (sevOrder($0.severity), -$0.count, $0.rule) < (sevOrder($1.severity), -$1.count, $1.rule) }
        var units: [String: UnitCount] = [:]
        var matrix: [String: [String: Int]] = [:]
        for r in try db.rows("SELECT found_by, rule, severity, count(*) AS n FROM audit_rep GROUP BY found_by, rule, severity") {
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
            let row = try db.rows("""
                SELECT summary_file, summary_sha256, discrepancies_file, summary_rows, discrepancies_rows, as_of
                FROM submission WHERE id = ?
                """, [.int(s.id)])[0]
            let children = try db.rows("""
                SELECT child, expected, late, missing, rejected FROM submission_child WHERE submission_id = ?
                ORDER BY \(sql.byteOrder("child"))
                """, [.int(s.id)])
            func codes(_ col: String) -> [String] { children.filter { ($0[col] as Int) != 0 }.map { $0["child"] } }
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

    /// `audit_f`: the report rows of the covering submissions whose 发现单位 or 来源单位 is in
    /// U's subtree, each with its key and the depth of its 发现单位; `audit_unit` holds every unit
    /// code the rows name, with its depth and whether it is in scope.
    private static func selectRows(_ db: SQLSession, scope: AnalysisScope, submissions: [Int64]) throws {
        let ids = AnalysisScope.list(submissions)
        let dir = scope.directory
        let sql = db.dialect
        try db.execute(sql.createTemp("audit_unit", columns: "code TEXT PRIMARY KEY, depth INTEGER NOT NULL, in_scope INTEGER NOT NULL"))
        let codes: [String] = try db.column("""
            SELECT found_by FROM discrepancy WHERE submission_id IN (\(ids))
            UNION SELECT source_unit FROM discrepancy WHERE submission_id IN (\(ids))
            """)
        var values: [SQLValue] = []
        for c in codes {
            values += [.text(c), .int(Int64(dir.depth(of: c))), SQLValue(dir.isInSubtree(c, of: scope.unit))]
        }
        try db.insert(into: "audit_unit", columns: ["code", "depth", "in_scope"], values: values)
        try db.execute(sql.createTemp("audit_f", as: """
                SELECT d.*, fu.depth AS depth,
                       CASE WHEN d.citizen_id <> '' THEN 'I' || d.citizen_id
                            ELSE 'L' || d.source_unit || '|' || d.source_file || '|' || COALESCE(CAST(d.line AS TEXT), '') END
                       || '|' || d.field || '|' || d.rule AS k
                FROM discrepancy d
                JOIN audit_unit fu ON fu.code = d.found_by
                JOIN audit_unit su ON su.code = d.source_unit
                WHERE d.submission_id IN (\(ids)) AND (fu.in_scope = 1 OR su.in_scope = 1)
                """))
    }

    /// U's rows (`audit_f` after `compute` for U), kept so that each unit under U is computed from
    /// them (`report --per-county`) rather than from the whole report again: a unit under U has
    /// the same covering submissions and its rows are a subset of U's, so filtering U's rows by
    /// the same test (发现单位 or 来源单位 in the unit's subtree) gives the same rows, and the
    /// same findings. Measured on a 200k-row national month: ~0.3 s a county before (each read
    /// all 82k report rows again), see docs/performance.md.
    public struct Narrowing: Sendable {
        let submissionIDs: [Int64]
        /// Every unit code U's rows name.
        let codes: [String]
    }

    /// Keeps U's rows as `audit_base`, indexed by 发现单位 and by 来源单位. Call after `compute` for U.
    public static func keepForNarrowing(_ db: SQLSession, scope: AnalysisScope, period: Period) throws -> Narrowing {
        try db.execute(db.dialect.createTemp("audit_base", as: "SELECT * FROM audit_f") + """
            CREATE INDEX audit_base_found ON audit_base(found_by);
            CREATE INDEX audit_base_source ON audit_base(source_unit);
            \(db.dialect.analyzeTemp("audit_base"))
            """)
        return Narrowing(submissionIDs: try scope.covering(db, period: period.description).map(\.id),
                         codes: try db.column("SELECT code FROM audit_unit ORDER BY code"))
    }

    /// `audit_f` for a unit under U, from `audit_base`.
    private static func narrowRows(_ db: SQLSession, to scope: AnalysisScope, from n: Narrowing) throws {
        let sql = db.dialect
        try db.execute(sql.createTemp("audit_scope", columns: "code TEXT PRIMARY KEY"))
        try db.insert(into: "audit_scope", columns: ["code"],
                      values: n.codes.filter { scope.directory.isInSubtree($0, of: scope.unit) }.map { .text($0) })
        try db.execute(sql.createTemp("audit_f", as: """
                SELECT * FROM audit_base
                WHERE found_by IN (SELECT code FROM audit_scope) OR source_unit IN (SELECT code FROM audit_scope)
                """))
    }

    /// The codes of the counties in scope that have a finding (after `compute`).
    public static func countiesWithFindings(_ db: SQLSession) throws -> [String] {
        try db.column("SELECT code FROM audit_unit WHERE in_scope = 1 AND depth = 3")
    }

    static func sevOrder(_ s: String) -> Int { s == "reject" ? 0 : s == "flag" ? 1 : 2 }

    /// The order of every list of findings: rejects, then flags, then info; within each, by
    /// (发现单位, 来源单位, 来源文件, 行号, 规则).
    static func listOrder(_ sql: SQLDialect) -> String {
        """
        CASE p.severity WHEN 'reject' THEN 0 WHEN 'flag' THEN 1 ELSE 2 END,
        \(sql.byteOrder("p.found_by")), \(sql.byteOrder("p.source_unit")), \(sql.byteOrder("p.source_file")),
        p.line IS NOT NULL, p.line, \(sql.byteOrder("p.rule")), p.submission_id, p.seq
        """
    }

    /// The drill-down: one row per finding (the rows the counts count), rejects first, then
    /// flags, then info (`includeInfo`); at most `limit` (nil: all). Call after `compute`.
    public static func drillDown(_ db: Database, includeInfo: Bool = true, limit: Int? = nil,
                                 body: (Finding) throws -> Void) throws {
        try drillDown(SQLiteSession(db), includeInfo: includeInfo, limit: limit, body: body)
    }

    public static func drillDown(_ db: SQLSession, includeInfo: Bool = true, limit: Int? = nil,
                                 body: (Finding) throws -> Void) throws {
        let sql = db.dialect
        try db.scan("""
            SELECT p.found_by, p.source_unit, p.source_file, COALESCE(CAST(p.line AS TEXT), ''), p.citizen_id, p.name,
                   p.field, p.rule, p.severity, p.message, p.raw_value,
                   COALESCE((SELECT \(sql.groupConcat("g.found_by", distinct: true)) FROM audit_f g
                             WHERE g.k = p.k AND g.depth < p.depth), ''),
                   COALESCE((SELECT \(sql.groupConcat("g.source_file || ':' || COALESCE(CAST(g.line AS TEXT), '-')", separator: " "))
                             FROM audit_f g
                             WHERE g.k = p.k AND g.depth = p.depth AND NOT (g.submission_id = p.submission_id AND g.seq = p.seq)), '')
            FROM audit_rep p
            \(includeInfo ? "" : "WHERE p.severity IN ('reject', 'flag')")
            ORDER BY \(listOrder(sql))
            \(limit.map { "LIMIT \($0)" } ?? "")
            """) { r in
            let field = r.string(6)
            let line = r.bytes(3)
            try body(Finding(
                foundBy: r.string(0), sourceUnit: r.string(1), sourceFile: r.string(2),
                line: line.isEmpty ? nil : Int(String(decoding: line, as: UTF8.self)),
                citizenID: r.string(4), name: r.string(5), field: field, rule: r.string(7), severity: r.string(8),
                message: r.string(9),
                rawValue: SubmissionLoader.contactFields.contains(field) ? "" : r.string(10),
                reRaisedBy: r.bytes(11).split(separator: 0x2C).map { String(decoding: $0, as: UTF8.self) }.sorted(),
                alsoAt: r.bytes(12).split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }.sorted()))
        }
    }

    /// Number of findings (rows of the drill-down with info). Call after `compute`.
    public static func drillDownCount(_ db: Database, includeInfo: Bool = true) throws -> Int {
        try drillDownCount(SQLiteSession(db), includeInfo: includeInfo)
    }

    public static func drillDownCount(_ db: SQLSession, includeInfo: Bool = true) throws -> Int {
        try db.value("SELECT count(*) FROM audit_rep\(includeInfo ? "" : " WHERE severity IN ('reject', 'flag')")") ?? 0
    }
}
