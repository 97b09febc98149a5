import Foundation
import GRDB
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// SPEC 8.5, "database busy" (issue 9, item 6): a load waits for another writer up to its busy
/// timeout, then fails as busy, changing nothing. Before the fix a second writer failed at once
/// ("database is locked"). The CLI's exit 3 is exercised in scripts/faults (concurrent loads).
@Suite struct DatabaseBusyTests {
    /// Holds the database's write lock from another connection until `release` is signalled.
    final class Writer: @unchecked Sendable {
        let holder: NationalDatabase
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)

        init(path: String) throws {
            holder = try NationalDatabase(path: path)
            Thread { [self] in
                try? holder.queue.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
                done.signal()
            }.start()
            locked.wait()
        }

        func releaseNow() {
            release.signal()
            done.wait()
        }
    }

    func submissions(_ path: String) throws -> Int {
        let db = try NationalDatabase(path: path, readOnly: true)
        return try db.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM submission") ?? -1 }
    }

    @Test func aLoadGivesUpAsBusyAfterItsTimeoutAndChangesNothing() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let path = dir + "/n.db"
        let writer = try Writer(path: path)
        var busy = false
        do {
            let db = try NationalDatabase(path: path, busyTimeout: 0.2)
            _ = try SubmissionLoader(database: db).load(exampleFiles("110100"), unit: "110100", period: "2012-09")
            Issue.record("the load went through while another connection held the write lock")
        } catch {
            busy = NationalDatabase.isBusy(error)
        }
        #expect(busy)
        writer.releaseNow()
        #expect(try submissions(path) == 0)
    }

    @Test func aLoadWaitsForAnotherWriterToFinish() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let path = dir + "/n.db"
        let writer = try Writer(path: path)
        // The writer lets go a moment after the load has started waiting.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { writer.release.signal() }
        let db = try NationalDatabase(path: path, busyTimeout: 60)
        let r = try SubmissionLoader(database: db).load(exampleFiles("110100"), unit: "110100", period: "2012-09")
        #expect(r.action == .loaded)
        writer.done.wait()
        #expect(try submissions(path) == 1)
    }
}
