import Foundation
import Testing
import HuizongTestSupport

// SPEC 7, deterministic: the same inputs and --as-of give byte-identical outputs whatever the
// argument order, paths, time zone or locale.

@Suite struct DeterminismTests {
    /// A varied set of inputs: the fixtures (every kind of finding), a gzip'd file with
    /// conflicts and duplicates across files, and a GB18030 file.
    static func inputs() throws -> [(String, [UInt8])] {
        var x = Person(IDs.make("110105", "19900808", 18), name: "刘洋", time: "2012-09-05 10:00:00")
        x.school = "清华大学"
        var x2 = x
        x2.school = "北京大学,医学部"
        var y = Person(IDs.make("110105", "19910909", 27), name: "陈静", time: "2012-09-06 10:00:00")
        y.dest = "3"
        var y2 = y
        y2.time = "2012-09-07 10:00:00"
        y2.dest = ""
        return [
            ("clean.csv", readBytes(Paths.fixtures + "/clean.csv")),
            ("defects.csv", readBytes(Paths.fixtures + "/defects.csv")),
            ("zz-conflicts.csv.gz", gzipMember(Array(summaryText([x, y2, Person.number(40)]).utf8))),
            ("aa-conflicts.csv", Array(summaryText([x2, y, Person.number(40)]).utf8)),
            ("gb18030.csv", readBytes(Paths.fixtures + "/gb18030.csv")),
            ("template-2012.csv", readBytes(Paths.fixtures + "/template-2012.csv")),
        ]
    }

    static let outputNames = ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"]

    @Test func argumentOrderPathsTimeZoneAndLocaleDoNotChangeABit() throws {
        let files = try Self.inputs()
        // Run 1: in order, relative paths, UTC, C locale.
        let d1 = TempDir("det1")
        for (n, b) in files { d1.write("in/" + n, b) }
        let r1 = try aggregate(["run", "--unit", "110105", "--period", "2012-09", "--out", "out", "--as-of", defaultAsOf]
                               + files.map { "in/" + $0.0 }, cwd: d1.path, env: ["TZ": "UTC", "LANG": "C", "LC_ALL": "C"])
        #expect(r1.status == 0, "\(r1.stderr)")
        // Run 2: reversed, absolute paths in other directories, another time zone and locale,
        // the same instant of --as-of in another notation.
        let d2 = TempDir("det2")
        var paths: [String] = []
        for (i, (n, b)) in files.enumerated() { paths.append(d2.write("sub\(i % 2)/deeper/" + n, b)) }
        let r2 = try aggregate(["run", "--unit", "110105", "--period", "2012-09", "--out", d2.url("elsewhere/result"),
                                "--as-of", "2012-10-04T04:00:00Z"] + paths.reversed(),
                               cwd: d2.path, env: ["TZ": "America/Los_Angeles", "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
        #expect(r2.status == 0, "\(r2.stderr)")
        for name in Self.outputNames {
            let a = d1.read("out/" + name), b = d2.read("elsewhere/result/" + name)
            #expect(!a.isEmpty)
            #expect(a == b, "\(name) differs between the two runs")
        }
    }

    @Test func timeZoneOfTheMachineNeverLeaksIntoTimes() throws {
        // China time is fixed (UTC+8): values follow from the SPEC, whatever TZ says.
        let p = Person(IDs.make("110105", "19900808", 18), name: "刘洋", time: "2012-09-05 10:00:00")
        for tz in ["UTC", "Pacific/Kiritimati", "America/New_York", "Asia/Shanghai"] {
            let dir = TempDir("tz")
            dir.write("in/a.csv", summaryText([p]))
            let r = try aggregate(["run", "--unit", "110105", "--period", "2012-09", "--out", "out", "--as-of", "2012-10-04",
                                   "in/a.csv"], cwd: dir.path, env: ["TZ": tz])
            #expect(r.status == 0)
            let out = try RunOutputs(dir: dir.url("out"), stem: "110105-2012-09")
            #expect(out.rows.first?[19] == "2012-09-05T10:00:00+08:00", "TZ=\(tz)")
            #expect(out.manifest["asOf"] as? String == "2012-10-04T00:00:00+08:00", "TZ=\(tz)")
        }
    }

    @Test func aRerunOverItsOwnOutputsIsIdentical() throws {
        let dir = TempDir("rerun")
        let files = try Self.inputs()
        _ = try require(try countyRun(files, dir: dir), status: 0)
        let first = Self.outputNames.map { dir.read("out/" + $0) }
        _ = try require(try countyRun(files.reversed(), dir: dir), status: 0)
        let second = Self.outputNames.map { dir.read("out/" + $0) }
        #expect(first == second)
    }

    /// Issue 11: the finish decides IDs in chunks on every worker thread. 40,000 people (more
    /// than two chunks of IDs), a later version of every fifth in a second file, a duplicate of
    /// every seventh: one thread and two give the same three files, byte for byte, and the summary
    /// is numbered 1..N in ID order across the chunks.
    @Test func oneThreadAndTwoGiveTheSameOutputs() throws {
        let people = (0..<40_000).map { Person.number($0) }
        var later: [Person] = []
        for (i, p) in people.enumerated() where i % 5 == 0 {
            var q = p
            q.time = "2012-09-03 10:00:00"
            q.dest = "2"
            later.append(q)
        }
        for (i, p) in people.enumerated() where i % 7 == 0 { later.append(p) }
        let files: [(String, [UInt8])] = [("a.csv", Array(summaryText(people).utf8)),
                                          ("b.csv.gz", gzipMember(Array(summaryText(later).utf8)))]
        var outputs: [[[UInt8]]] = []
        for threads in ["1", "2"] {
            let run = try countyRun(files, env: ["HUIZONG_THREADS": threads])
            let out = try require(run, status: 0)
            #expect(out.rows.count == 40_000)
            #expect(out.rows.map { $0[0] } == (1...40_000).map(String.init))
            #expect(out.ids == people.map(\.id).sorted())
            #expect(out.findings("SUPERSEDED").count == 8_000)
            #expect(out.findings("DUPLICATE").count == (0..<40_000).filter { $0 % 7 == 0 }.count)
            outputs.append(Self.outputNames.map { run.dir.read("out/" + $0) })
        }
        for (i, name) in Self.outputNames.enumerated() {
            #expect(outputs[0][i] == outputs[1][i], "\(name) differs between 1 and 2 threads")
        }
    }
}
