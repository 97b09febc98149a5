/// Whole-tree completeness of a unit's subtree for a period (issue 13; the way DHIS2 shows
/// reporting rates): every unit below U that the database knows (pipeline.json's units when
/// loaded with --config, else the manifests' expected children), on time, late or missing, from
/// the view `unit_completeness` of the covering submissions. Not only U's direct children: a
/// county missing under a city that reported is named.
public struct TreeCompleteness: Sendable, Codable, Equatable {
    public struct Level: Sendable, Codable, Equatable {
        public var level: String
        public var expected: Int
        public var onTime: Int
        public var late: Int
        public var missing: Int
        /// onTime / expected.
        public var reportingRate: Double?
    }

    public var unit: String
    public var period: String
    public var expected: Int
    public var onTime: Int
    public var late: [String]
    public var missing: [String]
    /// Per level below U (province, city, county, …), in depth order.
    public var levels: [Level]

    public static func compute(_ db: SQLSession, scope: AnalysisScope, period: String) throws -> TreeCompleteness? {
        let ids = try scope.covering(db, period: period).map(\.id)
        guard !ids.isEmpty else { return nil }
        let rows = try db.rows("""
            SELECT unit, status, level FROM unit_completeness WHERE submission_id IN (\(AnalysisScope.list(ids))) ORDER BY unit
            """)
        let dir = scope.directory
        var seen = Set<String>()
        var units: [(code: String, status: String, level: String)] = []
        for r in rows {
            let code: String = r["unit"]
            guard code != scope.unit, dir.isInSubtree(code, of: scope.unit), seen.insert(code).inserted else { continue }
            let level: String = r["level"]
            units.append((code, r["status"], level.isEmpty ? dir.level(of: code) : level))
        }
        guard !units.isEmpty else { return nil }
        var levels: [Level] = []
        for (level, group) in Dictionary(grouping: units, by: \.level).sorted(by: {
            (dir.depth(of: $0.value[0].code), $0.key) < (dir.depth(of: $1.value[0].code), $1.key)
        }) {
            let on = group.filter { $0.status == "on_time" }.count
            levels.append(Level(level: level, expected: group.count, onTime: on,
                                late: group.filter { $0.status == "late" }.count,
                                missing: group.filter { $0.status == "missing" }.count,
                                reportingRate: MonthlyStats.rate(on, group.count)))
        }
        return TreeCompleteness(unit: scope.unit, period: period, expected: units.count,
                                onTime: units.filter { $0.status == "on_time" }.count,
                                late: units.filter { $0.status == "late" }.map(\.code),
                                missing: units.filter { $0.status == "missing" }.map(\.code), levels: levels)
    }

    /// One line for people: "应报 12 按时 10 迟报 1 (110229) 未报 1 (110112)".
    public var summary: String {
        var s = "全树报送 whole tree: 应报 expected \(expected) 按时 on time \(onTime) 迟报 late \(late.count) 未报 missing \(missing.count)"
        if !late.isEmpty { s += " late: " + late.prefix(20).joined(separator: ",") + (late.count > 20 ? " …" : "") }
        if !missing.isEmpty { s += " missing: " + missing.prefix(20).joined(separator: ",") + (missing.count > 20 ? " …" : "") }
        return s
    }
}
