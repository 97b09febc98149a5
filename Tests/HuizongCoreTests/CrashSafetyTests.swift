import Foundation
import Testing
import HuizongTestSupport

// SPEC 7, atomic and locked: a run killed (SIGKILL) at each named step leaves the previous outputs
// byte-identical or the whole new set, never a mix and no partial files in the output directory;
// the next run succeeds and cleans up. A second run while one holds the lock exits 3 and writes
// nothing; the lock dies with its holder. The kill points are the product's test-only hook
// (HUIZONG_TEST_KILL_AT): no timing.

@Suite struct CrashSafetyTests {
    static let beforeSwap = ["locked", "read-1", "read-2", "summary-written", "report-written", "manifest-written"]
    static let atOrAfterSwap = ["swapped", "committed"]
    static let names = ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"]

    static let oldPeople = [Person.number(1), Person.number(2), Person.number(3)]
    static let newPeople = [Person.number(4), Person.number(5)]

    static func args(_ files: [String], out: String = "out") -> [String] {
        ["run", "--unit", "110105", "--period", "2012-09", "--out", out, "--as-of", defaultAsOf] + files
    }

    /// The bytes a normal run of the new inputs writes (the run is deterministic).
    static func newSet() throws -> [[UInt8]] {
        let ref = TempDir("ref")
        ref.write("in/batch-1.csv", summaryText(newPeople))
        ref.write("in/batch-2.csv", summaryText([newPeople[0]]))
        let r = try aggregate(args(["in/batch-1.csv", "in/batch-2.csv"]), cwd: ref.path)
        #expect(r.status == 0)
        return names.map { ref.read("out/" + $0) }
    }

    @Test(arguments: beforeSwap + atOrAfterSwap)
    func killedRunLeavesTheOldSetOrTheNewSetNeverAMix(point: String) throws {
        let dir = TempDir("kill")
        // A previous good run.
        dir.write("in/old.csv", summaryText(Self.oldPeople))
        let first = try aggregate(Self.args(["in/old.csv"]), cwd: dir.path)
        #expect(first.status == 0)
        let old = Self.names.map { dir.read("out/" + $0) }
        #expect(old.allSatisfy { !$0.isEmpty })
        // The new run, killed at `point`.
        dir.write("in/batch-1.csv", summaryText(Self.newPeople))
        dir.write("in/batch-2.csv", summaryText([Self.newPeople[0]]))
        let killed = try aggregate(Self.args(["in/batch-1.csv", "in/batch-2.csv"]), cwd: dir.path,
                                   env: ["HUIZONG_TEST_KILL_AT": point])
        #expect(killed.signaled && killed.status == SIGKILL, "\(point): not killed (exit \(killed.status))")
        // The output directory holds exactly one whole set and nothing else.
        #expect(dir.list("out") == Self.names, "\(point): \(dir.list("out"))")
        let now = Self.names.map { dir.read("out/" + $0) }
        let new = try Self.newSet()
        if Self.beforeSwap.contains(point) {
            #expect(now == old, "\(point): the previous outputs changed")
        } else {
            #expect(now == new, "\(point): the new set is not whole")
        }
        // The next normal run succeeds (no stale lock) and leaves no staging directories behind.
        let next = try aggregate(Self.args(["in/batch-1.csv", "in/batch-2.csv"]), cwd: dir.path)
        #expect(next.status == 0, "\(point): \(next.stderr)")
        #expect(Self.names.map { dir.read("out/" + $0) } == new)
        let leftovers = dir.list().filter { $0.hasPrefix(".") && $0 != ".out.lock" }
        #expect(leftovers.isEmpty, "\(point): left behind \(leftovers)")
        #expect(dir.list("out") == Self.names)
    }

    @Test(arguments: ["read-1", "manifest-written", "swapped"])
    func killedFirstRunLeavesNoOutputDirectoryOrAWholeOne(point: String) throws {
        let dir = TempDir("kill0")
        dir.write("in/batch-1.csv", summaryText(Self.newPeople))
        dir.write("in/batch-2.csv", summaryText([Self.newPeople[0]]))
        let killed = try aggregate(Self.args(["in/batch-1.csv", "in/batch-2.csv"]), cwd: dir.path,
                                   env: ["HUIZONG_TEST_KILL_AT": point])
        #expect(killed.signaled && killed.status == SIGKILL)
        if point == "swapped" {
            #expect(dir.list("out") == Self.names)
            #expect(Self.names.map { dir.read("out/" + $0) } == (try Self.newSet()))
        } else {
            #expect(!dir.exists("out"), "\(point): a partial output directory is visible")
        }
        let next = try aggregate(Self.args(["in/batch-1.csv", "in/batch-2.csv"]), cwd: dir.path)
        #expect(next.status == 0)
        #expect(dir.list().filter { $0.hasPrefix(".") && $0 != ".out.lock" }.isEmpty)
    }

    // MARK: the lock

    /// A process holding `flock` on `path` until it is killed; returns once it holds the lock.
    final class LockHolder {
        let process = Process()
        init(_ path: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import fcntl, os, sys, time
                fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                print("locked", flush=True)
                while True:
                    time.sleep(3600)
                """, path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            var got = Data()
            while !String(decoding: got, as: UTF8.self).contains("locked") {
                let d = pipe.fileHandleForReading.availableData
                if d.isEmpty { throw TestFailure("lock holder exited before taking the lock") }
                got += d
            }
        }

        func kill() {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { kill() }
    }

    @Test func aSecondRunExits3AndWritesNothingAndTheLockDiesWithItsHolder() throws {
        let dir = TempDir("lock")
        dir.write("in/old.csv", summaryText(Self.oldPeople))
        #expect(try aggregate(Self.args(["in/old.csv"]), cwd: dir.path).status == 0)
        let old = Self.names.map { dir.read("out/" + $0) }
        let before = dir.tree()
        let holder = try LockHolder(dir.url(".out.lock"))
        dir.write("in/new.csv", summaryText(Self.newPeople))
        let treeWithNew = dir.tree()
        #expect(treeWithNew.count == before.count + 1)
        let blocked = try aggregate(Self.args(["in/new.csv"]), cwd: dir.path)
        #expect(blocked.status == 3, "exit \(blocked.status): \(blocked.stderr)")
        #expect(dir.tree() == treeWithNew, "the blocked run wrote something")
        #expect(Self.names.map { dir.read("out/" + $0) } == old)
        holder.kill()
        let after = try aggregate(Self.args(["in/new.csv"]), cwd: dir.path)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try RunOutputs(dir: dir.url("out"), stem: "110105-2012-09").ids == Self.newPeople.map(\.id).sorted())
    }

    @Test func theLockOfAConfigRunIsBesideItsOutbox() throws {
        let pipe = Pipeline()
        pipe.batch("110105", "2012-09", "a.csv", Self.newPeople)
        try FileManager.default.createDirectory(atPath: pipe.dir.url("data/110105/outbox"), withIntermediateDirectories: true)
        let holder = try LockHolder(pipe.dir.url("data/110105/outbox/.2012-09.lock"))
        let before = pipe.dir.tree()
        let blocked = try pipe.run("110105", "2012-09")
        #expect(blocked.status == 3)
        #expect(pipe.dir.tree() == before)
        // Another period of the same unit is not blocked.
        pipe.batch("110105", "2012-10", "a.csv", Self.newPeople)
        #expect(try pipe.run("110105", "2012-10", asOf: "2012-11-04").status == 0)
        holder.kill()
        #expect(try pipe.run("110105", "2012-09").status == 0)
        #expect(try pipe.outputs("110105", "2012-09").rows.count == 2)
    }
}
