import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

/// SPEC 4: without --config the unit must be a GB/T 2260 county code; with --config the period must
/// lie inside `reporting`. Both are usage errors (exit 1, nothing written) — they used to run and
/// reject every row as UNIT_FOREIGN, or write an empty month, with exit 0 (issue 13).
@Suite struct RunUsageTests {
    @Test(arguments: [
        "999999",  // no division at all
        "110000",  // 北京市: a province
        "110100",  // 北京市市辖区: a prefecture with counties under it
        "000000",  // the ministry's own code is no county
    ])
    func aUnitThatIsNoCountyNeedsAConfig(unit: String) throws {
        let dir = TempDir("nocounty")
        dir.write("in/a.csv", summaryText(threePeople()))
        let before = dir.tree()
        let r = try aggregate(["run", "--unit", unit, "--period", "2012-09", "--out", "out", "--as-of", defaultAsOf, "in/a.csv"],
                              cwd: dir.path)
        #expect(r.status == 1, "\(unit): exit \(r.status)")
        #expect(dir.tree() == before)
        #expect(r.stderr.contains(unit))
    }

    @Test func countyCodesCurrentAndHistoricAndCountylessCitiesRunWithoutAConfig() {
        // Hand-picked from GB/T 2260: 110105 朝阳区 (current county), 110101 东城区 (current),
        // 110103 崇文区 (historic, merged 2010), 441900 东莞市 (a prefecture city without counties).
        for code in [110105, 110101, 110103, 441900] {
            #expect(DivisionTable.isCountyUnit(code), "\(code)")
        }
        for code in [110000, 110100, 440300, 999999, 100000] {
            #expect(!DivisionTable.isCountyUnit(code), "\(code)")
        }
    }

    @Test(arguments: ["2012-07", "2013-07", "2014-01"])
    func aPeriodOutsideTheReportingWindowIsAUsageError(period: String) throws {
        let pipe = Pipeline()  // reporting 2012-08 … 2013-06
        pipe.batch("110105", period, "intake.csv", threePeople())
        let before = pipe.dir.tree()
        let r = try pipe.run("110105", period)
        #expect(r.status == 1, "\(period): exit \(r.status)")
        #expect(pipe.dir.tree() == before)
        #expect(r.stderr.contains(period))
    }

    @Test(arguments: ["2012-08", "2013-06"])
    func theWindowsEndsAreInside(period: String) throws {
        let pipe = Pipeline()
        pipe.batch("110105", period, "intake.csv", threePeople())
        let r = try pipe.run("110105", period, asOf: "2013-07-04")
        #expect(r.status == 0, "\(period): exit \(r.status) \(r.stderr)")
    }
}
