import Foundation
import Testing
@testable import HuizongCore

/// SPEC 3.2: the one `Manifest` type writes its keys in the order the SPEC shows, with the
/// formatting the tool has always written (two-space indent, arrays of scalars on one line), and
/// reads any JSON object leniently (a missing or mistyped key is nil), as the parent's checks need.
@Suite struct ManifestTests {
    static func sample(carriedFrom: String? = nil) -> Manifest {
        var input = Manifest.Input(file: "a.csv", from: "110105", sha256: "ab", status: "read",
                                   lines: .init(linesRead: 3, blank: 1, rejected: 0, merged: 2, superseded: 0, duplicate: 0))
        input.encoding = "gb18030"
        input.preamble = OrderedStrings([("填报单位", "朝阳"), ("填报日期", "")])
        var rejected = Manifest.Input(file: "b.csv", from: "110105", sha256: "cd", status: "rejected",
                                      lines: .init(linesRead: 0, blank: 0, rejected: 0, merged: 0, superseded: 0, duplicate: 0))
        rejected.rule = "FILE_EMPTY"
        rejected.baseTable = true
        return Manifest(unit: "110105", unitName: "朝阳区", level: "county", period: "2012-09",
                        asOf: "2012-10-04T12:00:00+08:00", tool: "huizong 0.1.0", rules: "2012.1", inputs: [input, rejected],
                        accounting: .init(lines: .init(linesRead: 3, blank: 1, rejected: 0, merged: 2, superseded: 0, duplicate: 0),
                                          carriedForward: 0, outputRows: 2),
                        children: .init(expected: [], received: [], missing: [], late: [], rejected: []),
                        outputs: .init(summary: .init(file: "110105-2012-09.csv.gz", sha256: "ef", rows: 2),
                                       discrepancies: .init(file: "110105-2012-09.discrepancies.csv.gz", sha256: "01", rows: 1)),
                        findings: .init(byRule: OrderedCounts([("DUPLICATE", 1)]),
                                        byFinder: ["110108": OrderedCounts([("B", 2)]), "110105": OrderedCounts([("A", 1)])]),
                        carriedFrom: carriedFrom)
    }

    // Written by hand from SPEC 3.2's key order and the manifests the tool wrote before this type.
    static let expected = """
        {
          "format": "huizong-manifest/1",
          "unit": "110105",
          "unitName": "朝阳区",
          "level": "county",
          "period": "2012-09",
          "asOf": "2012-10-04T12:00:00+08:00",
          "tool": "huizong 0.1.0",
          "rules": "2012.1",
          "inputs": [
            {
              "file": "a.csv",
              "from": "110105",
              "sha256": "ab",
              "status": "read",
              "linesRead": 3,
              "blank": 1,
              "rejected": 0,
              "merged": 2,
              "superseded": 0,
              "duplicate": 0,
              "encoding": "gb18030",
              "preamble": {
                "填报单位": "朝阳",
                "填报日期": ""
              }
            },
            {
              "file": "b.csv",
              "from": "110105",
              "sha256": "cd",
              "status": "rejected",
              "linesRead": 0,
              "blank": 0,
              "rejected": 0,
              "merged": 0,
              "superseded": 0,
              "duplicate": 0,
              "rule": "FILE_EMPTY",
              "baseTable": true
            }
          ],
          "accounting": {
            "linesRead": 3,
            "blank": 1,
            "rejected": 0,
            "merged": 2,
            "superseded": 0,
            "duplicate": 0,
            "carriedForward": 0,
            "outputRows": 2
          },
          "children": {
            "expected": [],
            "received": [],
            "missing": [],
            "late": [],
            "rejected": []
          },
          "outputs": {
            "summary": {
              "file": "110105-2012-09.csv.gz",
              "sha256": "ef",
              "rows": 2
            },
            "discrepancies": {
              "file": "110105-2012-09.discrepancies.csv.gz",
              "sha256": "01",
              "rows": 1
            }
          },
          "findings": {
            "byRule": {
              "DUPLICATE": 1
            },
            "byFinder": {
              "110105": {
                "A": 1
              },
              "110108": {
                "B": 2
              }
            }
          }
        }

        """

    @Test func writesKeysInSpecOrder() throws {
        #expect(String(decoding: try Self.sample().bytes(), as: UTF8.self) == Self.expected)
    }

    @Test func carriedFromComesLast() throws {
        let text = String(decoding: try Self.sample(carriedFrom: "110100-2012-08.csv.gz").bytes(), as: UTF8.self)
        #expect(text.hasSuffix("  },\n  \"carriedFrom\": \"110100-2012-08.csv.gz\"\n}\n"))
    }

    @Test func readsBackWhatItWrites() throws {
        let m = Self.sample(carriedFrom: "x.csv.gz")
        #expect(Manifest.parse(Data(try m.bytes())) == m)
    }

    /// The ministry's manifest names some 3,000 finders in `findings.byFinder` (a large object is
    /// looked up through an index, not scanned per key): every finder and count comes back.
    @Test func readsBackAManifestNamingThousandsOfFinders() throws {
        var m = Self.sample()
        var byFinder: [String: OrderedCounts] = [:]
        for k in 0..<3000 {
            byFinder[String(format: "%06d", 110_000 + k)] = OrderedCounts([("ID_FORMAT", k % 7), ("NEEDS_MISSING", k + 1)])  // as the run writes them: by name
        }
        m.findings = .init(byRule: OrderedCounts([("DUPLICATE", 1)]), byFinder: byFinder)
        let back = try #require(Manifest.parse(Data(try m.bytes())))
        #expect(back == m)
        #expect(back.findings?.byFinder?.count == 3000)
        #expect(back.findings?.byFinder?["112999"] == OrderedCounts([("ID_FORMAT", 2999 % 7), ("NEEDS_MISSING", 3000)]))
    }

    @Test func readsLeniently() {
        let m = Manifest.parse(Data(#"{"unit": 110105, "period": "2012-09", "outputs": {"summary": {"rows": "3", "sha256": "AB"}}, "extra": [1]}"#.utf8))
        #expect(m != nil)
        #expect(m?.unit == nil, "a number is not a unit code")
        #expect(m?.period == "2012-09")
        #expect(m?.outputs?.summary?.rows == nil && m?.outputs?.summary?.sha256 == "AB")
        #expect(m?.outputs?.discrepancies == nil)
        #expect(Manifest.parse(Data("[1, 2]".utf8)) == nil, "not an object")
        #expect(Manifest.parse(Data("{".utf8)) == nil, "not JSON")
    }
}
