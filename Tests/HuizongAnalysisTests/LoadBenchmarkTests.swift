import Foundation
import HuizongCore
import Testing
import HuizongTestSupport
@testable import HuizongAnalysis

/// `HUIZONG_BENCH_ROWS=1000000 swift test -c release --filter LoadBenchmark`: generates a merged
/// month of that many rows, loads it into a fresh database and prints the time (docs/database.md
/// has the numbers). Off by default.
@Suite struct LoadBenchmarkTests {
    static let rows = Int(ProcessInfo.processInfo.environment["HUIZONG_BENCH_ROWS"] ?? "") ?? 0

    @Test(.enabled(if: rows > 0)) func loadGeneratedMonth() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let counties = ["110105", "110108", "310104", "330106", "440106", "510107", "420111", "610113"]
        let majors = ["法学", "会计学", "计算机科学与技术", "汉语言文学", "护理", "英语", "市场营销", "土木工程"]
        var persons: [Person] = []
        persons.reserveCapacity(Self.rows)
        for i in 0..<Self.rows {
            let county = counties[i % counties.count]
            let day = i / 1000
            let (y, m, d) = (1985 + day / 336, 1 + day / 28 % 12, 1 + day % 28)
            let first17 = county + String(format: "%04d%02d%02d%03d", y, m, d, i % 1000)
            persons.append(Person(id: citizenID(first17), sex: (i % 1000) % 2 == 1 ? "男" : "女", education: String(1 + i % 5),
                                  major: majors[i % majors.count], mobile: String(format: "138%08d", i),
                                  hardship: i % 7 == 0 ? "12" : "4", needs: ["2", "25", "4", "13"][i % 4],
                                  destination: ["", "", "3", "4", "9", "14"][i % 6],
                                  updated: String(format: "2012-09-%02dT10:00:00+08:00", 1 + i % 28), unit: county))
        }
        let files = try writeSubmission(in: dir, unit: "000000", period: "2012-09", persons: persons, level: "ministry")
        let db = try NationalDatabase(path: dir + "/bench.db")
        let clock = ContinuousClock()
        let start = clock.now
        let r = try SubmissionLoader(database: db).load(files)
        let elapsed = clock.now - start
        print("db load of \(r.rows) rows: \(elapsed) (loader: \(String(format: "%.2f", r.seconds)) s)")
        #expect(r.rows == Self.rows)
        let again = try SubmissionLoader(database: db).load(files)
        #expect(again.action == .unchanged)
    }
}
