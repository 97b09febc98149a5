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

    public var submissions: [Submission]
    public var events: [Event]

    public static func read(_ database: NationalDatabase) throws -> DatabaseListing {
        try database.queue.read { db in
            let subs = try Row.fetchAll(db, sql: "SELECT * FROM submission ORDER BY period, unit, id").map { r -> Submission in
                let id: Int64 = r["id"]
                let children = try Row.fetchAll(db, sql: "SELECT * FROM submission_child WHERE submission_id = ? ORDER BY child", arguments: [id])
                func codes(_ col: String) -> [String] { children.filter { ($0[col] as Int? ?? 0) != 0 }.map { $0["child"] } }
                return Submission(id: id, unit: r["unit"], period: r["period"], status: r["status"],
                                  summaryFile: r["summary_file"], summarySHA256: r["summary_sha256"],
                                  rows: r["summary_rows"], findings: r["discrepancies_rows"], asOf: r["as_of"],
                                  loadedAt: r["loaded_at"], replacedBy: r["replaced_by"],
                                  childrenExpected: codes("expected").count, childrenOnTime: codes("on_time").count,
                                  childrenLate: codes("late"), childrenMissing: codes("missing"),
                                  childrenRejected: codes("rejected"))
            }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM load_event ORDER BY id").map { r in
                Event(id: r["id"], at: r["at"], unit: r["unit"], period: r["period"], action: r["action"],
                      submissionID: r["submission_id"], replacedSubmissionID: r["replaced_submission_id"],
                      rows: r["rows"], seconds: r["seconds"])
            }
            return DatabaseListing(submissions: subs, events: events)
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
