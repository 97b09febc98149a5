import Foundation
import HuizongCore
import HuizongTestSupport
import Testing
@testable import HuizongAnalysis

/// `stats --out` writes the worklists from the scan's bytes (WorklistFiles); the files must be
/// exactly what the String path gives: `StatsTables.personRow` through `PeopleCSV.document`, and
/// Foundation's JSONEncoder (keys sorted, slashes unescaped) for the JSON arrays.
@Suite struct WorklistFilesTests {
    @Test func bytePathWritesWhatTheStringPathWould() throws {
        let dir = try makeTempDir()
        defer { removeTree(dir) }
        let db = try MonthlyStatsTests.database(dir)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func jsonArray<T: Encodable>(_ items: [T]) throws -> String {
            "[\n" + (try items.map { String(decoding: try encoder.encode($0), as: UTF8.self) }).joined(separator: ",\n") + "\n]\n"
        }
        for contacts in [false, true] {
            let out = dir + "/out-\(contacts)"
            let w = try db.analyse { conn -> Worklists in
                let p = Period("2012-09")!
                try writeStatsTables(conn, unit: "110000", period: p, contacts: contacts, json: true, to: out)
                let scope = AnalysisScope(unit: "110000", directory: try AnalysisScope.directory(conn, config: nil))
                let asOf = ChinaTime.parseAsOf(try MonthlyStats.compute(conn, scope: scope, period: p).asOf)!
                return try Worklists.compute(conn, scope: scope, period: p, asOf: asOf, includeContacts: contacts)
            }
            #expect(!w.priority.isEmpty && !w.services.isEmpty && !w.followUp.isEmpty)
            let header = StatsTables.personHeader(contacts)
            func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))) }
            let rows: (priority: (Worklists.Person) -> [String], service: (Worklists.ServiceEntry) -> [String]) = (
                { StatsTables.personRow($0, contacts) }, { [$0.service, $0.serviceLabel] + StatsTables.personRow($0.person, contacts) })
            #expect(try read("priority.csv") == PeopleCSV.document(header: header, rows: w.priority.map(rows.priority)))
            #expect(try read("followup.csv") == PeopleCSV.document(header: header, rows: w.followUp.map(rows.priority)))
            #expect(try read("services.csv") == PeopleCSV.document(header: ["服务代码", "服务"] + header, rows: w.services.map(rows.service)))
            #expect(try read("priority.json") == Array(try jsonArray(w.priority).utf8))
            #expect(try read("followup.json") == Array(try jsonArray(w.followUp).utf8))
            #expect(try read("services.json") == Array(try jsonArray(w.services).utf8))
            if contacts { #expect(try String(decoding: read("priority.json"), as: UTF8.self).contains("13800000001")) }
            // Each county's own files: its share of the same rows.
            for county in Set(w.priority.map(\.county)) {
                #expect(try read("counties/\(county)/priority.csv")
                        == PeopleCSV.document(header: header, rows: w.priority.filter { $0.county == county }.map(rows.priority)))
            }
        }
    }
}
