import Testing
@testable import HuizongCore
import HuizongTestSupport

/// Shared fixture of the form-rule tests: the worked examples' context and a valid base row.
enum RulesFixture {
    /// 2012-10-04T12:00:00+08:00 (computed outside the code under test).
    static let asOf: Int64 = 1_349_323_200
    static let window = 20120101...20121231

    static func context(_ policy: ValidationContext.UnitPolicy = .county(110105),
                        defaultUpdateTime: Int64? = nil) -> ValidationContext {
        ValidationContext(cohortYear: 2012, graduationWindow: window, asOf: asOf, unitPolicy: policy,
                          defaultUpdateTime: defaultUpdateTime)
    }

    /// A valid row (example 1-county batch-01 line 2), without 序号 and 登记单位.
    static let base: [Column: String] = [
        .name: "王伟", .sex: "男", .ethnicGroup: "汉族", .citizenID: "110105198806225196",
        .school: "湖北大学", .graduationDate: "20120630", .education: "3", .major: "环境工程",
        .hukou: "110105", .email: "", .postcode: "108157", .mobile: "18828280856",
        .landline: "010-38452984", .hardship: "3", .workplaceIntent: "2", .intentions: "A",
        .serviceNeeds: "23", .destination: "", .updatedAt: "2012-08-07 14:52:17",
    ]
    static let baseCanonical =
        "王伟,男,汉族,110105198806225196,湖北大学,20120630,3,环境工程,110105,,108157,18828280856,010-38452984,3,2,A,23,,2012-08-07T14:52:17+08:00,110105"

    struct Outcome {
        var record: ValidatedRecord
        var findings: [Finding]

        var codes: [String] { findings.map(\.rule.rawValue) }
        var line: String { String(decoding: record.canonicalLine, as: UTF8.self) }
        /// Canonical value of one column.
        func value(_ c: Column) -> String {
            parseCSVLine(line)[c.rawValue - 1]
        }
        func finding(_ code: RuleCode) -> Finding? { findings.first { $0.rule == code } }
    }

    /// Validates the base row with `changes` applied (nil removes the column).
    static func check(_ changes: [Column: String?] = [:], line: Int = 7,
                      context: ValidationContext = RulesFixture.context()) -> Outcome {
        var values = base
        for (c, v) in changes { values[c] = v }
        var raw = RawRecord(line: line, values: values)
        raw.line = line
        var out = ValidatedRecord()
        var findings: [Finding] = []
        RecordValidator(context: context).validate(raw, into: &out, findings: &findings)
        return Outcome(record: out, findings: findings)
    }

    /// Rule codes for one changed value.
    static func codes(_ column: Column, _ value: String?, context: ValidationContext = RulesFixture.context()) -> [String] {
        check([column: value], context: context).codes
    }

    /// The real GB/T 2260 table is loaded (not the two-code placeholder).
    static var realDivisions: Bool { DivisionTable.contains(110227) }
}
