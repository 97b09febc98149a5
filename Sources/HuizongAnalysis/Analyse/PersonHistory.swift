import GRDB
import HuizongCore

/// One person's versions across the loaded periods — the follow-up history (回访结果): when
/// 就业去向 changed, from what to what. Contact values are not part of it.
public enum PersonHistory {
    public struct Version: Sendable, Equatable, Codable {
        public var period: String
        public var loadedUnit: String
        public var registeringUnit: String
        public var name: String
        public var destination: String
        public var previousDestination: String?
        public var updatedAt: String
        /// The destination differs from the previous period's.
        public var destinationChanged: Bool
    }

    /// Every loaded version of one ID, by period (primary-key lookups: one per submission).
    public static func read(_ database: NationalDatabase, citizenID: String) throws -> [Version] {
        try database.queue.read { db in try read(SQLiteSession(db), citizenID: citizenID) }
    }

    public static func read(_ database: AnalysisDatabase, citizenID: String) throws -> [Version] {
        try database.analyse { try read($0, citizenID: citizenID) }
    }

    public static func read(_ db: SQLSession, citizenID: String) throws -> [Version] {
        do {
            let rows = try db.rows("""
                SELECT s.period, s.unit AS loaded_unit, pv.registering_unit, pv.name, pv.destination, pv.updated_at
                FROM submission s
                JOIN person_version pv ON pv.submission_id = s.id AND pv.citizen_id = ?
                WHERE s.status = 'current'
                ORDER BY s.period, s.id
                """, [.text(citizenID)])
            var out: [Version] = []
            for r in rows {
                let destination: String = r["destination"]
                let previous = out.last?.destination
                out.append(Version(period: r["period"], loadedUnit: r["loaded_unit"], registeringUnit: r["registering_unit"],
                                   name: r["name"], destination: destination, previousDestination: previous,
                                   updatedAt: r["updated_at"],
                                   destinationChanged: previous != nil && previous != destination))
            }
            return out
        }
    }

    static func label(_ code: String) -> String {
        code.isEmpty ? "（空 none）" : "\(code) \(Codebook.label(Codebook.destination, code))"
    }

    public static func text(_ versions: [Version]) -> String {
        var out = "期别 period  载入自 loaded from  登记单位 unit  更新时间 updated                就业去向 destination\n"
        for v in versions {
            var line = "\(v.period)     \(v.loadedUnit)             \(v.registeringUnit)         \(v.updatedAt)  \(label(v.destination))"
            if v.destinationChanged, let p = v.previousDestination {
                line += "   ← 变化 changed from \(label(p))"
            }
            out += line + "\n"
        }
        return out
    }
}
