import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

/// Issue 10: a unit code and a period are read by one parser each, on the command line, in the
/// configuration and in the run alike — six ASCII digits; `YYYY-MM` with a month 01–12.
@Suite struct ModelValueTests {
    @Test func aUnitCodeIsSixASCIIDigits() {
        #expect(UnitCode("110105")?.number == 110105)
        #expect(UnitCode("000000")?.description == "000000")
        #expect(UnitCode("000000") == UnitCode.ministry)
        // `Int` alone took a sign: `validate --unit +11010` ran as county 11010.
        for bad in ["+11010", "-11010", "11010", "1101050", "11010a", " 11010", "１１０１０５", "", "11 105"] {
            #expect(UnitCode(bad) == nil, "\(bad)")
        }
    }

    @Test func aPeriodIsFourDigitsDashTwoDigits() {
        #expect(Period("2012-09") == Period(year: 2012, month: 9))
        #expect(Period("2013-12")?.next == Period(year: 2014, month: 1))
        for bad in ["+012-08", "-012-08", "2012-9", "2012-13", "2012-00", "2012/09", "201209", "2012-09 ", "２０１２-09"] {
            #expect(Period(bad) == nil, "\(bad)")
        }
    }

    @Test func aDuplicateKeyIsNamedWhereItStandsNotInsideItsValue() {
        // The second "a" is the duplicate, whatever its value holds.
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a": 1, "a": {"x": 1, "x": 2}}"#.utf8)) == "a")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a": 1, "a": [1,}"#.utf8)) == "a")
        // Not JSON, no duplicate: left to the caller's parser.
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a": 1, "b": }"#.utf8)) == nil)
    }

    @Test func escapesAreTheTablesOfHTMLAndJSON() {
        #expect(HTMLText.escaped(#"<a href="x">&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(JSONValue.quoted("a\"\\\n\u{1}\u{2028}<") == #""a\"\\\n\u0001"# + "\u{2028}<\"")
        var s = ""
        JSONValue.quote("<&>\u{2028}", into: &s, scriptSafe: true)
        #expect(s == #""\u003c\u0026\u003e\u2028""#)
    }

    /// SPEC 4: a value the command line refuses is a usage error (exit 1) in Chinese first, logged
    /// under the command's name as before the values were typed.
    @Test(arguments: [
        (["run", "--unit", "11010", "--period", "2012-09", "--out", "o", "f.csv"], "aggregate run: --unit 须为6位数字 must be 6 digits: 11010"),
        (["validate", "--unit", "+11010", "f.csv"], "aggregate validate: --unit 须为6位数字 must be 6 digits: +11010"),
        (["run", "--unit", "110105", "--period", "2012-9", "--out", "o", "f.csv"], "aggregate run: --period须为YYYY-MM --period must be YYYY-MM: 2012-9"),
        (["stats", "--db", "x.db", "--period", "+012-08"], "aggregate stats: --period须为YYYY-MM --period must be YYYY-MM: +012-08"),
        (["db", "load", "--unit", "110105", "--period", "2012-13"], "aggregate db load: --period须为YYYY-MM --period must be YYYY-MM: 2012-13"),
        (["validate", "--as-of", "2012-10-04T25:00:00", "f.csv"], "aggregate validate: --as-of格式错误 --as-of is not a valid time: 2012-10-04T25:00:00"),
        (["run", "--unit", "110105", "--period", "2012-09", "--encoding", "latin1", "--out", "o", "f.csv"],
         "aggregate run: --encoding须为utf-8或gb18030 --encoding must be utf-8 or gb18030"),
    ])
    func aRefusedValueIsAUsageErrorInChineseFirst(args: [String], message: String) throws {
        let dir = TempDir("refused")
        let before = dir.tree()
        let r = try aggregate(args, cwd: dir.path)
        #expect(r.status == 1, "\(args): exit \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        #expect(!r.stderr.contains("The value"), "\(r.stderr)")
        #expect(dir.tree() == before)
    }

    @Test func aRefusedValueIsLoggedInTheAskedFormat() throws {
        let dir = TempDir("refused")
        let r = try aggregate(["validate", "--log-format", "json", "--unit", "abc", "f.csv"], cwd: dir.path)
        #expect(r.status == 1)
        let line = try #require(r.stderr.split(separator: "\n").first)
        let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(obj?["command"] as? String == "aggregate validate")
        #expect(obj?["message"] as? String == "--unit 须为6位数字 must be 6 digits: abc")
    }
}
