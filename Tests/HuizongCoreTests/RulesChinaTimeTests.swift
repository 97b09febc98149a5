import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

@Suite struct RulesChinaTimeTests {
    /// An independent reference: Foundation's Gregorian calendar in a fixed UTC+8 zone (fine in
    /// tests; the code under test uses hand-written arithmetic).
    static let reference: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return c
    }()

    static func referenceSeconds(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
        let date = reference.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s))!
        return Int64(date.timeIntervalSince1970)
    }

    @Test func daysFromCivilMatchesReferenceAndRoundTrips() {
        // Every day from 1899-12-25 to 2100-03-05 (includes 1900, 2000, 2100 around February).
        let first = ChinaTime.daysFromCivil(1899, 12, 25)
        #expect(ChinaTime.daysFromCivil(1970, 1, 1) == 0)
        #expect(ChinaTime.daysFromCivil(2000, 3, 1) == 11017)
        #expect(ChinaTime.daysFromCivil(1969, 12, 31) == -1)
        for z in first...ChinaTime.daysFromCivil(2100, 3, 5) {
            let c = ChinaTime.civilFromDays(z)
            #expect(ChinaTime.daysFromCivil(c.year, c.month, c.day) == z)
            if z % 97 == 0 {
                #expect(ChinaTime.startOfDay(c.year * 10000 + c.month * 100 + c.day)
                        == Self.referenceSeconds(c.year, c.month, c.day))
            }
        }
    }

    @Test func leapDays() {
        #expect(ChinaTime.isValidDate(2000, 2, 29))
        #expect(ChinaTime.isValidDate(2012, 2, 29))
        #expect(!ChinaTime.isValidDate(1900, 2, 29))
        #expect(!ChinaTime.isValidDate(2011, 2, 29))
        #expect(!ChinaTime.isValidDate(2100, 2, 29))
        #expect(!ChinaTime.isValidDate(2012, 4, 31))
        #expect(!ChinaTime.isValidDate(2012, 13, 1))
        #expect(!ChinaTime.isValidDate(2012, 0, 1))
        #expect(!ChinaTime.isValidDate(2012, 1, 0))
    }

    @Test func startOfYearIsChinaMidnight() {
        #expect(ChinaTime.startOfYear(2012) == 1_325_347_200) // 2011-12-31T16:00:00Z
        #expect(ChinaTime.startOfYear(2013) == Self.referenceSeconds(2013, 1, 1))
        #expect(ChinaTime.startOfDay(20121004) == Self.referenceSeconds(2012, 10, 4))
    }

    @Test func dayOfAnInstantIsTheChinaCalendarDay() {
        #expect(ChinaTime.day(of: 1_325_347_200) == 20120101)
        #expect(ChinaTime.day(of: 1_325_347_199) == 20111231)
        #expect(ChinaTime.day(of: RulesFixture.asOf) == 20121004)
        #expect(ChinaTime.day(of: -28_800) == 19700101)
        #expect(ChinaTime.day(of: -28_801) == 19691231)
    }

    @Test func formatIsChinaTimeWithOffset() {
        #expect(ChinaTime.format(RulesFixture.asOf) == "2012-10-04T12:00:00+08:00")
        #expect(ChinaTime.format(1_344_322_337) == "2012-08-07T14:52:17+08:00")
        #expect(ChinaTime.format(1_325_347_200) == "2012-01-01T00:00:00+08:00")
        #expect(ChinaTime.format(1_325_347_199) == "2011-12-31T23:59:59+08:00")
        #expect(ChinaTime.format(0) == "1970-01-01T08:00:00+08:00")
    }

    @Test(arguments: [
        ("2012-08-07 14:52:17", Int64(1_344_322_337)),
        ("2012-08-07T14:52:17", 1_344_322_337),
        ("2012-08-07T14:52:17+08:00", 1_344_322_337),
        ("2012-08-07 14:52:17+08:00", 1_344_322_337),
        ("2012-08-07T14:52:17+0800", 1_344_322_337),
        ("2012-08-07T14:52:17+08", 1_344_322_337),
        ("2012-08-07T06:52:17Z", 1_344_322_337),
        ("2012-08-07 06:52:17Z", 1_344_322_337),
        ("2012-08-07T01:52:17-05:00", 1_344_322_337),
        ("2012-08-07T01:52:17-0500", 1_344_322_337),
        ("2012-08-07T12:22:17+05:30", 1_344_322_337),
        ("2012-08-30T15:12:43+08:00", 1_346_310_763),
        ("  2012-08-07 14:52:17\u{3000}", 1_344_322_337),
        ("２０１２-０８-０７ １４:５２:１７", 1_344_322_337),
        ("2012-02-29 00:00:00", 1_330_444_800),
    ])
    func updateTimeForms(_ text: String, _ seconds: Int64) {
        #expect(ChinaTime.parseUpdateTime(Array(text.utf8)) == seconds)
        #expect(ChinaTime.parseUpdateTime(Array(text.utf8)[...]) == seconds)
    }

    @Test(arguments: [
        "", "2012-08-07", "2012-08-07 14:52", "2012-08-07 14:52:17.5", "2012-08-07T14:52:17.000+08:00",
        "2012/08/07 14:52:17", "2012-8-7 14:52:17", "2012-08-07  14:52:17", "2012-08-07 24:00:00",
        "2012-08-07 23:60:00", "2012-08-07 23:59:60", "2011-02-29 12:00:00", "2012-08-07 14:52:17 +08:00",
        "2012-08-07 14:52:17+8", "2012-08-07 14:52:17+08:0", "2012-08-07 14:52:17+08:60",
        "2012-08-07 14:52:17z", "2012-08-07t14:52:17", "20120807 145217", "2012-08-07 14:52:17GMT",
        "2012-08-07 14:52:17+08:00:00", "1344322337",
    ])
    func updateTimeRejects(_ text: String) {
        #expect(ChinaTime.parseUpdateTime(Array(text.utf8)) == nil)
    }

    @Test func asOfForms() {
        #expect(ChinaTime.parseAsOf("2012-10-04T12:00:00+08:00") == RulesFixture.asOf)
        #expect(ChinaTime.parseAsOf("2012-10-04T04:00:00Z") == RulesFixture.asOf)
        #expect(ChinaTime.parseAsOf("2012-10-04 12:00:00") == RulesFixture.asOf)
        #expect(ChinaTime.parseAsOf("2012-10-04T12:00:00") == RulesFixture.asOf)
        #expect(ChinaTime.parseAsOf("2012-10-04T12:00:00.750+08:00") == RulesFixture.asOf)
        #expect(ChinaTime.parseAsOf("2012-10-04") == RulesFixture.asOf - 12 * 3600)
        #expect(ChinaTime.parseAsOf("2012-10-32") == nil)
        #expect(ChinaTime.parseAsOf("2012-10-04T12:00") == nil)
        #expect(ChinaTime.parseAsOf("yesterday") == nil)
        #expect(ChinaTime.parseAsOf("") == nil)
    }

    @Test(arguments: [
        ("20120630", 20120630), ("2012-06-30", 20120630), ("2012/6/30", 20120630), ("2012/06/30", 20120630),
        ("2012.6.3", 20120603), ("2012.06.3", 20120603), ("2012年6月30日", 20120630), ("2012年06月03日", 20120603),
        ("２０１２０６３０", 20120630), (" 20120630 ", 20120630),
        ("20000229", 20000229), ("20120229", 20120229), ("2012/2/29", 20120229),
    ])
    func dateForms(_ text: String, _ date: Int) {
        #expect(ChinaTime.parseDate(Array(text.utf8)) == date)
    }

    @Test(arguments: [
        "", "201207", "2012-6-30", "2012-06-3", "2012/6-30", "2012.6/30", "2012/006/30", "2012/6/", "2012年6月30",
        "19000229", "20110229", "2011/2/29", "20120230", "20121301", "20120600", "00000101",
        "2012063O", "2012-06-30 00:00:00", "12/6/30", "2012 6 30",
    ])
    func dateRejects(_ text: String) {
        #expect(ChinaTime.parseDate(Array(text.utf8)) == nil)
    }
}

extension RulesChinaTimeTests {
    @Test(arguments: [("2012/7/1", 20120701), ("2012.7.1", 20120701), ("2012/1/1", 20120101), ("2012/12/1", 20121201)])
    func eightCharacterDatesWithSeparators(_ text: String, _ date: Int) {
        #expect(ChinaTime.parseDate(Array(text.utf8)) == date)
    }
}
