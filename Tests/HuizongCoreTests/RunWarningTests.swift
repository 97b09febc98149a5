import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

/// Issue 13: what a run reports for its operator — warnings naming the file or folder, whether or
/// not the CLI is quiet, and progress events — without printing anything itself.
@Suite struct RunWarningTests {
    static let asOf = Int64(chinaEpoch(2012, 10, 4, 12))

    static func config(_ root: String) throws -> PipelineConfig {
        let json = """
            {"cohort": 2012, "reporting": {"firstPeriod": "2012-08", "lastPeriod": "2013-06"},
             "layout": {"inbox": "\(root)/data/{unit}/inbox/{period}", "outbox": "\(root)/data/{unit}/outbox/{period}"},
             "units": [{"code": "000000", "name": "部", "level": "ministry"},
                       {"code": "110105", "name": "朝阳区", "level": "county", "parent": "000000"}]}
            """
        return try PipelineConfig(json: Data(json.utf8))
    }

    /// "a county with no inbox folder quietly carries last month forward"
    @Test func aMissingInboxFolderIsAWarningNamingIt() throws {
        let t = TempDir("warn")
        let outcome = try MonthlyRun(RunRequest(unit: UnitCode("110105")!, period: Period("2012-09")!, asOf: Self.asOf,
                                                config: try Self.config(t.path))).run()
        #expect(outcome.exitStatus == 0)
        let w = try #require(outcome.warnings.first { $0.kind == .inboxMissing })
        #expect(w.subject == t.path + "/data/110105/inbox/2012-09")
        #expect(w.message.contains(w.subject) && w.message.contains("收件箱不存在"))
        // An inbox that exists, even empty, is no warning.
        try FileManager.default.createDirectory(atPath: t.path + "/data/110105/inbox/2012-10", withIntermediateDirectories: true)
        let next = try MonthlyRun(RunRequest(unit: UnitCode("110105")!, period: Period("2012-10")!, asOf: Self.asOf + 86400 * 30,
                                             config: try Self.config(t.path))).run()
        #expect(!next.warnings.contains { $0.kind == .inboxMissing })
    }

    /// "Under --quiet the lines 'file rejected whole: X' were suppressed": the run returns them as
    /// warnings naming the file, with the rule, for the CLI to log whatever the level.
    @Test func aFileRejectedWholeAndASkippedInboxEntryAreWarningsNamingThem() throws {
        let t = TempDir("warn")
        t.write("data/110105/inbox/2012-09/batch-1.csv", canonicalColumns.joined(separator: ",") + "\n"
                + Person.number(1).line() + "\n" + Person.number(2).line() + "\n")
        t.write("data/110105/inbox/2012-09/batch-2.csv", "")
        t.write("data/110105/inbox/2012-09/说明.txt", "note")
        let box = EventBox()
        let outcome = try MonthlyRun(RunRequest(unit: UnitCode("110105")!, period: Period("2012-09")!, asOf: Self.asOf,
                                                config: try Self.config(t.path), observer: { e in
                                                    box.append(e)
                                                })).run()
        #expect(outcome.exitStatus == 2)
        let rejected = outcome.warnings.filter { $0.kind == .fileRejected }
        #expect(rejected.map(\.subject) == ["batch-2.csv"])
        #expect(rejected.first?.message.contains("FILE_EMPTY") == true)
        #expect(outcome.warnings.filter { $0.kind == .fileSkipped }.map(\.subject) == ["说明.txt"])
        #expect(!outcome.warnings.contains { $0.kind == .inboxMissing })
        // Progress: one event per input, in order, lines counted up to the manifest's figure.
        let done = box.all.compactMap { e -> (Int, Int, Int)? in
            if case .fileDone(let i, let n, _, let lines) = e { return (i, n, lines) } else { return nil }
        }
        #expect(done.map(\.0) == [1, 2])
        #expect(done.allSatisfy { $0.1 == 2 })
        #expect(done.last?.2 == outcome.manifest.accounting?.lines.linesRead)
    }
}

/// The events a run reported, collected across threads.
final class EventBox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [RunEvent] = []
    func append(_ e: RunEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [RunEvent] { lock.lock(); defer { lock.unlock() }; return events }
}
