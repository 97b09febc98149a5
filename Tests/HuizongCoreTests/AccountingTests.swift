import Foundation
import Testing
import HuizongTestSupport

// SPEC 2 and 3.2: every input line is accounted for exactly once. A generated set of thousands of
// rows whose dispositions are known by construction (unique rows, exact duplicates, older
// versions superseded by newer ones, duplicated older versions, invalid rows of known kinds, blank
// lines), spread at random over three files; the expected per-file and total counts and the
// merged set come from how the set was built, never from the product.

@Suite struct AccountingTests {
    enum Disposition { case merged, superseded, duplicate, rejected, blank }

    /// One physical line to place, with what it must become.
    struct Planned {
        var text: String
        /// Content group (ID + version) for rows that may have identical copies; nil for others.
        var group: String?
        /// What the line is when it is the first of its group (or has none).
        var firstIs: Disposition
    }

    static let schools = ["北京大学", "清华大学", "中国人民大学", "北京师范大学", "首都师范大学", "北京交通大学", "北京工商大学", "中央民族大学"]
    static let majors = ["法学", "会计学", "计算机科学与技术", "汉语言文学", "机械设计制造及其自动化", "护理", "英语", "市场营销"]
    static let names = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏", "欧阳晓", "司马云", "徐强", "孙悦"]

    static func pick<T>(_ a: [T], _ rng: inout SplitMix64) -> T { a[Int(rng.next() % UInt64(a.count))] }
    static func time(month: Int, _ rng: inout SplitMix64) -> String {
        let day = 1 + Int(rng.next() % 30)
        return String(format: "2012-%02d-%02d %02d:%02d:%02d", month, day, Int(rng.next() % 24), Int(rng.next() % 60), Int(rng.next() % 60))
    }

    static func randomPerson(_ n: Int, _ rng: inout SplitMix64, month: Int) -> Person {
        var p = Person.number(n, time: time(month: month, &rng))
        p.name = pick(names, &rng)
        p.school = pick(schools, &rng)
        p.major = pick(majors, &rng)
        p.edu = pick(["1", "2", "3", "3", "4", "5"], &rng)
        p.hardship = pick(["4", "4", "4", "1", "2", "12", "123"], &rng)
        p.workplace = pick(["1", "2", "3"], &rng)
        p.intent = pick(["1", "3", "23", "A", "13A", "9", "2"], &rng)
        p.needs = p.intent == "9" ? "" : pick(["2", "23", "5", "12", "A"], &rng)
        p.dest = pick(["", "", "", "1", "4", "12", "15"], &rng)
        p.mobile = "13" + String(format: "%09d", Int(rng.next() % 1_000_000_000))
        return p
    }

    @Test func everyLineIsAccountedForExactlyOnce() throws {
        var rng = SplitMix64(seed: 2012_0925)
        let nUnique = 2000, nDupOfUnique = 300, nVersioned = 400, nDupOfOld = 50, nRejected = 150, nBlank = 60
        var ids = Array(0..<(nUnique + nVersioned + nRejected))
        ids.shuffle(using: &rng)
        var plan: [Planned] = []
        var expectedWinners: [String: String] = [:]  // ID → canonical 更新时间

        // Unique people; a fifth of them written with the ISO notation of 更新时间.
        var uniques: [Person] = []
        for n in ids[0..<nUnique] {
            var p = Self.randomPerson(n, &rng, month: 8 + Int(rng.next() % 2))
            expectedWinners[p.id] = p.canonicalTimeValue
            if rng.next() % 5 == 0 { p.time = p.canonicalTimeValue }
            uniques.append(p)
            plan.append(Planned(text: p.line(), group: p.id, firstIs: .merged))
        }
        // Exact duplicates of some of them.
        for p in uniques.shuffled(using: &rng).prefix(nDupOfUnique) {
            plan.append(Planned(text: p.line(), group: p.id, firstIs: .merged))
        }
        // People followed up: an August version superseded by a September one.
        var olds: [Person] = []
        for n in ids[nUnique..<(nUnique + nVersioned)] {
            let old = Self.randomPerson(n, &rng, month: 8)
            var new = old
            new.time = Self.time(month: 9, &rng)
            new.dest = Self.pick(["1", "2", "3", "11", "14"], &rng)
            expectedWinners[new.id] = new.canonicalTimeValue
            olds.append(old)
            plan.append(Planned(text: old.line(), group: old.id + "/old", firstIs: .superseded))
            plan.append(Planned(text: new.line(), group: new.id + "/new", firstIs: .merged))
        }
        // Exact duplicates of some older versions: the first copy is superseded, the other duplicate.
        for old in olds.shuffled(using: &rng).prefix(nDupOfOld) {
            plan.append(Planned(text: old.line(), group: old.id + "/old", firstIs: .superseded))
        }
        // Invalid rows of known kinds (fresh IDs: none of them may reach the output).
        var rejectedKinds: [Int: Int] = [:]
        for (k, n) in ids[(nUnique + nVersioned)...].enumerated() {
            var p = Self.randomPerson(n, &rng, month: 9)
            let kind = k % 6
            rejectedKinds[kind, default: 0] += 1
            var text: String
            switch kind {
            case 0: p.edu = "7"; text = p.line()                                  // EDU_INVALID
            case 1: p.sex = p.sex == "男" ? "女" : "男"; text = p.line()           // ID_SEX_MISMATCH
            case 2:                                                                // ID_CHECKSUM
                let last = p.id.last!
                p.id = String(p.id.dropLast()) + (last == "0" ? "1" : "0")
                text = p.line()
            case 3: p.time = "2012-10-05 10:00:00"; text = p.line()               // TIME_FUTURE (as-of 10-04)
            case 4: text = p.line() + ",多余"                                      // LINE_FIELDS
            default: text = p.line().replacingOccurrences(of: "," + p.school + ",", with: ",\"" + p.school + ",")  // LINE_QUOTE
            }
            plan.append(Planned(text: text, group: nil, firstIs: .rejected))
        }
        for i in 0..<nBlank {
            plan.append(Planned(text: ["", ",,,,", " , ,", ",,,,,,,,,,,,,,,,,,,,"][i % 4], group: nil, firstIs: .blank))
        }

        // Spread over three files at random; one of them gzip'd.
        let names = ["desk-b.csv", "desk-a.csv", "desk-c.csv.gz"]  // processing order is by basename
        var perFile: [[Planned]] = [[], [], []]
        for p in plan.shuffled(using: &rng) { perFile[Int(rng.next() % 3)].append(p) }

        // The reference: walk the files in basename order and lines in order.
        var expected: [String: [String: Int]] = [:]
        var seenGroups = Set<String>()
        var rejectedLines: Set<String> = []
        for fi in names.indices.sorted(by: { names[$0] < names[$1] }) {
            var c = ["linesRead": 0, "blank": 0, "rejected": 0, "merged": 0, "superseded": 0, "duplicate": 0]
            for (i, p) in perFile[fi].enumerated() {
                c["linesRead"]! += 1
                var d = p.firstIs
                if let g = p.group, !seenGroups.insert(g).inserted { d = .duplicate }
                switch d {
                case .merged: c["merged"]! += 1
                case .superseded: c["superseded"]! += 1
                case .duplicate: c["duplicate"]! += 1
                case .rejected: c["rejected"]! += 1; rejectedLines.insert("\(names[fi]):\(i + 2)")
                case .blank: c["blank"]! += 1
                }
            }
            expected[names[fi]] = c
        }

        let files = names.indices.map { i -> (String, [UInt8]) in
            let text = ([csvLine(canonicalColumns)] + perFile[i].map(\.text)).joined(separator: "\n") + "\n"
            return (names[i], names[i].hasSuffix(".gz") ? gzipMember(Array(text.utf8)) : Array(text.utf8))
        }
        let out = try require(try countyRun(files), status: 0)

        // Per input and in total, the counts of the construction.
        for name in names {
            #expect(counts(out.input(name)) == expected[name]!, "\(name)")
            #expect(out.input(name)?["status"] as? String == "read")
        }
        let total = expected.values.reduce(into: [String: Int]()) { acc, c in for (k, v) in c { acc[k, default: 0] += v } }
        #expect(total["linesRead"] == plan.count)
        #expect(total["merged"] == nUnique + nVersioned)
        #expect(total["superseded"] == nVersioned)
        #expect(total["duplicate"] == nDupOfUnique + nDupOfOld)
        #expect(total["rejected"] == nRejected)
        #expect(total["blank"] == nBlank)
        let acc = out.accounting
        for k in ["linesRead", "blank", "rejected", "merged", "superseded", "duplicate"] {
            #expect(acc[k] == total[k], "accounting.\(k)")
        }
        #expect(acc["carriedForward"] == 0)
        #expect(acc["linesRead"] == acc["blank"]! + acc["rejected"]! + acc["merged"]! + acc["superseded"]! + acc["duplicate"]!)
        #expect(acc["outputRows"] == acc["merged"]! + acc["carriedForward"]!)
        #expect((out.manifest["outputs"] as? [String: [String: Any]])?["summary"]?["rows"] as? Int == nUnique + nVersioned)

        // The merged output: exactly the expected IDs, each with its winning 更新时间, in ID order.
        #expect(out.ids == expectedWinners.keys.sorted())
        #expect(out.times == expectedWinners)
        #expect(out.rows.map { $0[0] } == (1...(nUnique + nVersioned)).map(String.init))

        // The report: one info row per duplicate and superseded line; reject rows on exactly the
        // rejected lines.
        #expect(out.findings("DUPLICATE").count == nDupOfUnique + nDupOfOld)
        #expect(out.findings("SUPERSEDED").count == nVersioned)
        let rejectRows = Set(out.report.filter { $0["级别"] == "reject" }.map { "\($0["来源文件"]!):\($0["行号"]!)" })
        #expect(rejectRows == rejectedLines)
        for (rule, kind) in [("EDU_INVALID", 0), ("ID_SEX_MISMATCH", 1), ("ID_CHECKSUM", 2), ("TIME_FUTURE", 3),
                             ("LINE_FIELDS", 4), ("LINE_QUOTE", 5)] {
            #expect(out.findings(rule).count == rejectedKinds[kind], "\(rule)")
        }
    }
}
