import Testing
import HuizongTestSupport
@testable import HuizongCore

/// Finding a field in a canonical line (20 CSV fields, RFC 4180 quoting) in place, forward and
/// from the end: every answer is checked against the field boundaries of a plain splitter written
/// here (quotes toggle, a comma outside quotes ends a field).
@Suite struct CanonicalLineTests {
    /// The byte ranges of the fields, by the simplest reading of RFC 4180.
    static func referenceRanges(_ line: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = [], start = 0, quoted = false
        for (i, b) in line.enumerated() {
            if b == 0x22 { quoted.toggle() } else if b == 0x2C && !quoted { ranges.append(start..<i); start = i + 1 }
        }
        ranges.append(start..<line.count)
        return ranges
    }

    static func line(_ fields: [String]) -> [UInt8] { Array(fields.joined(separator: ",").utf8) }

    static let plain = ["张伟", "男", "汉族", "110105199001011234", "北京大学", "20120701", "3", "法学", "110105",
                        "a@b.cn", "100000", "13800000000", "", "4", "2", "123", "12", "", "2012-09-05 10:00:00", "110105"]

    @Test func theTimeFieldFromTheEndIsTheForwardScansAnswer() {
        var cases: [[String]] = [Self.plain]
        var quotedName = Self.plain; quotedName[0] = "\"张,伟\""          // a comma inside an early quoted field
        cases.append(quotedName)
        var quotedMajor = Self.plain; quotedMajor[7] = "\"法学, \"\"双学位\"\"\""
        cases.append(quotedMajor)
        var quotedLast = Self.plain; quotedLast[19] = "\"11,0105\""     // a quote after the time: forward scan
        cases.append(quotedLast)
        var emptyTail = Self.plain; emptyTail[18] = ""; emptyTail[19] = ""   // the reconciler's stripped line
        cases.append(emptyTail)
        for fields in cases {
            let bytes = Self.line(fields)
            let expected = Self.referenceRanges(bytes)[Column.updatedAt.rawValue - 1]
            bytes.withUnsafeBufferPointer { p in
                #expect(CanonicalLine.fieldRangeFromEnd(.updatedAt, in: p) == expected, "\(fields)")
                #expect(CanonicalLine.fieldRange(.updatedAt, in: p) == expected, "\(fields)")
                #expect(CanonicalLine.fieldRangeFromEnd(.registeringUnit, in: p)
                        == Self.referenceRanges(bytes)[Column.registeringUnit.rawValue - 1])
            }
        }
        // Hand count on the plain line: 更新时间 is the 19 bytes before the last 7.
        let bytes = Self.line(Self.plain)
        bytes.withUnsafeBufferPointer { p in
            #expect(CanonicalLine.fieldRangeFromEnd(.updatedAt, in: p) == (bytes.count - 26)..<(bytes.count - 7))
        }
    }

    @Test func randomLinesAgreeWithThePlainSplitter() {
        var rng = SplitMix64(seed: 20121004)
        let alphabet: [UInt8] = Array("ab,\"中1 ".utf8)
        for _ in 0..<2000 {
            var fields: [String] = []
            for _ in 0..<20 {
                let n = Int(rng.next() % 6)
                var f = String(decoding: (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                    .filter { $0 < 0x80 }, as: UTF8.self)
                if f.contains(",") || f.contains("\"") { f = "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                fields.append(f)
            }
            let bytes = Self.line(fields)
            let ranges = Self.referenceRanges(bytes)
            bytes.withUnsafeBufferPointer { p in
                for column in [Column.name, .citizenID, .updatedAt, .registeringUnit] {
                    #expect(CanonicalLine.fieldRange(column, in: p) == ranges[column.rawValue - 1])
                }
                #expect(CanonicalLine.fieldRangeFromEnd(.updatedAt, in: p) == ranges[Column.updatedAt.rawValue - 1], "\(fields)")
            }
        }
    }
}
