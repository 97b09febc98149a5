import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

/// The worked examples (`/work/shared/examples`, SPEC's ground truth): every field-rule finding of
/// their reports is produced exactly (行号, 公民身份号码, 姓名, 字段, 规则, 级别, 原值) by validating the
/// input line, and every merged row equals the canonical line of an accepted input row.
@Suite(.enabled(if: RulesExamples.root != nil, "the worked examples are not on this machine"))
struct RulesExamplesTests {
    @Test func county1() throws {
        try RulesExamples.check(run: "1-county", finder: "110105", policy: .county(110105),
                                inputs: ["inbox/batch-01.csv", "inbox/batch-02.csv"],
                                report: "out/110105-2012-09.discrepancies.csv.txt",
                                merged: "out/110105-2012-09.csv.txt")
    }

    @Test func city2County110105() throws {
        try RulesExamples.check(run: "2-city/data/110105", finder: "110105", policy: .county(110105),
                                inputs: ["inbox/2012-09/batch-01.csv"],
                                report: "outbox/2012-09/110105-2012-09.discrepancies.csv.txt",
                                merged: "outbox/2012-09/110105-2012-09.csv.txt")
    }

    @Test func city2County110108() throws {
        try RulesExamples.check(run: "2-city/data/110108", finder: "110108", policy: .county(110108),
                                inputs: ["inbox/2012-09/batch-01.csv"],
                                report: "outbox/2012-09/110108-2012-09.discrepancies.csv.txt",
                                merged: "outbox/2012-09/110108-2012-09.csv.txt")
    }

    /// The city re-validates its counties' outputs (the `.csv.txt` copies of the `.csv.gz` files it
    /// received), each against the counties under its sender.
    @Test func city2City110100() throws {
        try RulesExamples.check(run: "2-city/data", finder: "110100",
                                policies: ["110105": .under([110105]), "110108": .under([110108])],
                                inputs: ["110105/outbox/2012-09/110105-2012-09.csv.txt",
                                         "110108/outbox/2012-09/110108-2012-09.csv.txt"],
                                report: "110100/outbox/2012-09/110100-2012-09.discrepancies.csv.txt",
                                merged: "110100/outbox/2012-09/110100-2012-09.csv.txt",
                                idempotent: true)
    }
}

enum RulesExamples {
    /// Where the examples are: `$HUIZONG_EXAMPLES`, or `shared/examples` beside the repository.
    static let root: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["HUIZONG_EXAMPLES"] { candidates.append(env) }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/examples").path)
        candidates.append("/work/shared/examples")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/1-county/inbox/batch-01.csv") }
    }()

    /// Report rules produced by reading, reconciling and the hierarchy, not by the form rules.
    static let notFormRules: Set<String> = ["DUPLICATE", "SUPERSEDED", "NEWEST_REJECTED", "CONFLICT",
                                            "IDENTITY_MISMATCH", "MULTIPLE_REGISTRATION", "DEST_EMPTIED",
                                            "VANISHED", "STALE"]
    /// Rules whose result depends on the real division table.
    static let divisionRules: Set<String> = ["HUKOU_INVALID", "ID_REGION_UNKNOWN"]

    static func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    }

    static func column(forHeader name: String) -> Column? {
        let folded = TextNormalizer.normalize(name).replacingOccurrences(of: "（", with: "(")
            .replacingOccurrences(of: "）", with: ")")
        return Column.allCases.first { $0.canonicalName == folded || $0.aliases.contains(folded) }
    }

    static func check(run: String, finder: String, policy: ValidationContext.UnitPolicy? = nil,
                      policies: [String: ValidationContext.UnitPolicy] = [:], inputs: [String], report: String,
                      merged: String, idempotent: Bool = false) throws {
        let base = try #require(root) + "/" + run + "/"
        let real = RulesFixture.realDivisions
        var accepted: Set<String> = []
        var got: [[String]] = []
        var want: [[String]] = []
        let reportRows = try lines(base + report).dropFirst().map(parseCSVLine)
        for input in inputs {
            let fileName = (input as NSString).lastPathComponent
            // The city received `.csv.gz`; its report names that file.
            let reportedName = fileName.hasSuffix(".csv.txt") ? String(fileName.dropLast(4)) + ".gz" : fileName
            let sender = String(fileName.prefix(6))
            let ctx = RulesFixture.context(policy ?? policies[sender]!)
            let validator = RecordValidator(context: ctx)
            let all = try lines(base + input)
            let headerIndex = try #require(all.firstIndex { $0.contains("姓名") && $0.contains("公民身份号码") })
            let header = parseCSVLine(all[headerIndex]).map(column(forHeader:))
            var out = ValidatedRecord()
            for i in (headerIndex + 1)..<all.count {
                let cells = parseCSVLine(all[i])
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                try #require(cells.count == header.count, "\(input):\(i + 1)")
                var values: [Column: String] = [:]
                for (c, v) in zip(header, cells) { if let c { values[c] = v } }
                let raw = RawRecord(line: i + 1, values: values)
                var findings: [Finding] = []
                validator.validate(raw, into: &out, findings: &findings)
                for f in findings where real || !divisionRules.contains(f.rule.rawValue) {
                    got.append([reportedName, String(i + 1), f.citizenID, f.name, f.fieldLabel, f.rule.rawValue,
                                f.severity.rawValue, f.rawValue])
                }
                #expect(out.isRejected == findings.contains { $0.severity == .reject })
                let line = String(decoding: out.canonicalLine, as: UTF8.self)
                if !out.isRejected || (!real && findings.allSatisfy { $0.severity != .reject || divisionRules.contains($0.rule.rawValue) }) {
                    accepted.insert(line)
                }
                if idempotent {
                    // An output row re-validated is its own canonical line.
                    #expect(line == all[i].split(separator: ",", maxSplits: 1).last.map(String.init), "\(input):\(i + 1)")
                }
            }
            // 发现单位,来源单位,来源文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值
            for r in reportRows where r[0] == finder && r[2] == reportedName && !r[3].isEmpty
                && !notFormRules.contains(r[7]) && (real || !divisionRules.contains(r[7])) {
                want.append([r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[10]])
            }
        }
        #expect(!want.isEmpty)
        #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == want.sorted { $0.lexicographicallyPrecedes($1) })
        for w in want where !got.contains(w) { Issue.record("missing: \(w)") }
        for g in got where !want.contains(g) { Issue.record("unexpected: \(g)") }
        // Every merged row is the canonical line of an accepted input row.
        let mergedRows = try lines(base + merged).dropFirst()
        #expect(!mergedRows.isEmpty)
        for row in mergedRows {
            let withoutSerial = String(row.split(separator: ",", maxSplits: 1).last!)
            #expect(accepted.contains(withoutSerial), "\(withoutSerial)")
        }
    }
}
