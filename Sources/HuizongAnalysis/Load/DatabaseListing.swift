import Foundation
import GRDB

/// What a database holds: its submissions (current and replaced) with their files, hashes,
/// counts and children's punctuality, and the load audit trail.
public struct DatabaseListing: Sendable {
    public struct Submission: Sendable, Equatable {
        public var id: Int64
        public var unit: String
        public var period: String
        public var status: String
        public var summaryFile: String
        public var summarySHA256: String
        public var rows: Int
        public var findings: Int
        public var asOf: String?
        public var loadedAt: String
        public var replacedBy: Int64?
        public var childrenExpected: Int
        public var childrenOnTime: Int
        public var childrenLate: [String]
        public var childrenMissing: [String]
        public var childrenRejected: [String]
    }

    public struct Event: Sendable, Equatable {
        public var id: Int64
        public var at: String
        public var unit: String
        public var period: String
        public var action: String
        public var submissionID: Int64
        public var replacedSubmissionID: Int64?
        public var rows: Int
        public var seconds: Double
    }

    /// Whole-tree completeness of a current submission (view `unit_completeness`).
    public struct Completeness: Sendable, Equatable {
        public var submissionID: Int64
        public var units: Int
        public var onTime: Int
        public var late: [String]
        public var missing: [String]
    }

    public var submissions: [Submission]
    public var events: [Event]
    public var completeness: [Completeness] = []

    public static func read(_ database: NationalDatabase) throws -> DatabaseListing {
        try database.queue.read { db in try read(SQLiteSession(db)) }
    }

    public static func read(_ database: AnalysisDatabase) throws -> DatabaseListing {
        try database.analyse { try read($0) }
    }

    public static func read(_ db: SQLSession) throws -> DatabaseListing {
        do {
            let subs = try db.rows("SELECT * FROM submission ORDER BY period, unit, id").map { r -> Submission in
                let id: Int64 = r["id"]
                let children = try db.rows("SELECT * FROM submission_child WHERE submission_id = ? ORDER BY child", [.int(id)])
                func codes(_ col: String) -> [String] { children.filter { ($0[col] as Int? ?? 0) != 0 }.map { $0["child"] } }
                return Submission(id: id, unit: r["unit"], period: r["period"], status: r["status"],
                                  summaryFile: r["summary_file"], summarySHA256: r["summary_sha256"],
                                  rows: r["summary_rows"], findings: r["discrepancies_rows"], asOf: r["as_of"],
                                  loadedAt: r["loaded_at"], replacedBy: r["replaced_by"],
                                  childrenExpected: codes("expected").count, childrenOnTime: codes("on_time").count,
                                  childrenLate: codes("late"), childrenMissing: codes("missing"),
                                  childrenRejected: codes("rejected"))
            }
            let events = try db.rows("SELECT * FROM load_event ORDER BY id").map { r in
                Event(id: r["id"], at: r["at"], unit: r["unit"], period: r["period"], action: r["action"],
                      submissionID: r["submission_id"], replacedSubmissionID: r["replaced_submission_id"],
                      rows: r["rows"], seconds: r["seconds"])
            }
            var completeness: [Completeness] = []
            for s in subs where s.status == "current" {
                let rows = try db.rows("SELECT unit, status FROM unit_completeness WHERE submission_id = ? ORDER BY unit", [.int(s.id)])
                guard !rows.isEmpty else { continue }
                let status = rows.map { ($0["unit"] as String, $0["status"] as String) }
                completeness.append(Completeness(submissionID: s.id, units: status.count,
                                                 onTime: status.filter { $0.1 == "on_time" }.count,
                                                 late: status.filter { $0.1 == "late" }.map(\.0),
                                                 missing: status.filter { $0.1 == "missing" }.map(\.0)))
            }
            return DatabaseListing(submissions: subs, events: events, completeness: completeness)
        }
    }

    public var text: String {
        var out = "# 报送 submissions\n"
        for s in submissions {
            var line = "#\(s.id) \(s.unit) \(s.period) \(s.status) \(s.summaryFile) sha256 \(s.summarySHA256.prefix(12))… rows \(s.rows) findings \(s.findings)"
            if s.childrenExpected > 0 {
                line += " children on time \(s.childrenOnTime)/\(s.childrenExpected)"
                if !s.childrenLate.isEmpty { line += " late \(s.childrenLate.joined(separator: ","))" }
                if !s.childrenMissing.isEmpty { line += " missing \(s.childrenMissing.joined(separator: ","))" }
                if !s.childrenRejected.isEmpty { line += " rejected \(s.childrenRejected.joined(separator: ","))" }
            }
            if let r = s.replacedBy { line += " replaced by #\(r)" }
            out += line + "\n"
        }
        if !completeness.isEmpty {
            out += "# 全树报送情况 whole-tree completeness (every unit below the loaded one)\n"
            func codes(_ c: [String]) -> String {
                c.count <= 20 ? c.joined(separator: ",") : c.prefix(20).joined(separator: ",") + " …(+\(c.count - 20))"
            }
            for c in completeness {
                var line = "#\(c.submissionID) 应报 expected \(c.units) 按时 on time \(c.onTime) 迟报 late \(c.late.count) 未报 missing \(c.missing.count)"
                if !c.late.isEmpty { line += " late: \(codes(c.late))" }
                if !c.missing.isEmpty { line += " missing: \(codes(c.missing))" }
                out += line + "\n"
            }
        }
        out += "# 载入记录 load audit trail\n"
        for e in events {
            var line = "\(e.at) \(e.unit) \(e.period) \(e.action) #\(e.submissionID) rows \(e.rows)"
            if let r = e.replacedSubmissionID { line += " (replaced #\(r))" }
            line += " \(String(format: "%.3f", e.seconds)) s"
            out += line + "\n"
        }
        return out
    }
}
