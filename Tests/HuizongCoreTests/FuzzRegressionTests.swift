import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

// Inputs that crashed Huizong, found while fuzzing (docs/fuzzing.md): each must now be refused
// or read without a trap.

@Suite struct FuzzRegressionTests {
    static let units = #"[{"code": "110000", "level": "province"}, {"code": "110105", "level": "county", "parent": "110000"}]"#

    @Test func aCohortBeyondFourDigitsIsAConfigurationError() {
        // cohort * 10000 + 1231 overflowed Int: `aggregate run --config` died with SIGILL.
        for cohort in ["1000000000000000", "922337203685477", "-922337203685477", "99999", "0"] {
            let json = #"{"cohort": \#(cohort), "units": \#(Self.units)}"#
            #expect(throws: PipelineConfig.ConfigError.self, "cohort \(cohort)") {
                try PipelineConfig(json: Data(json.utf8))
            }
        }
        let ok = #"{"cohort": 2012, "units": \#(Self.units)}"#
        #expect((try? PipelineConfig(json: Data(ok.utf8)))?.graduationWindow == 20120101...20121231)
    }

    @Test func aGraduationWindowYearBeyondFourDigitsIsAConfigurationError() {
        // y * 10000 + m * 100 + d overflowed Int for a year of 16 digits.
        let json = #"{"graduationWindow": {"from": "1000000000000000-01-01", "to": "2012-12-31"}, "units": \#(Self.units)}"#
        #expect(throws: PipelineConfig.ConfigError.self) { try PipelineConfig(json: Data(json.utf8)) }
    }
}
