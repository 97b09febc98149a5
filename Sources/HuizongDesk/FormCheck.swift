import HuizongCore

/// One 登记表 as the desk sees it: the values keyed by column (序号 never; 更新时间 and 登记单位
/// filled by the desk).
public typealias DeskFields = [Column: String]

/// The result of checking a form: the core's findings and the canonical record.
public struct CheckResult: Sendable {
    /// One finding per broken rule, in column order — the same findings (codes, severities,
    /// messages) `aggregate validate` prints for the same row.
    public var findings: [Finding]
    /// The canonical values (SPEC 5) of 姓名 … 登记单位; flagged or invalid values as kept.
    public var record: DeskFields
    /// 姓名 … 登记单位 as one canonical CSV line (the batch file's row without 序号).
    public var canonicalLine: String
    /// Some reject rule fired.
    public var isRejected: Bool
    /// The normalised 公民身份号码 (when its form is valid), else the trimmed value.
    public var idText: String
    /// 更新时间 as Unix seconds.
    public var updatedAt: Int64
}

/// The desk's form check: the core's `RecordValidator` on one row, with 更新时间 and 登记单位
/// filled as a registration fills them. One code path with `aggregate validate` and the run.
public struct FormCheck: Sendable {
    public let cohortYear: Int
    public let graduationWindow: ClosedRange<Int>
    public let unit: String

    public init(cohortYear: Int, graduationWindow: ClosedRange<Int>, unit: String) {
        self.cohortYear = cohortYear
        self.graduationWindow = graduationWindow
        self.unit = unit
    }

    /// The columns a clerk fills in (every column but 序号, 更新时间 and 登记单位).
    public static let enteredColumns: [Column] = Column.allCases.filter {
        $0 != .serial && $0 != .updatedAt && $0 != .registeringUnit
    }

    /// Checks `fields` as a row written at `time` (China time, the desk's clock) by this county.
    /// `asOf` is the reference time of the rules (never before `time`).
    public func check(_ fields: DeskFields, time: Int64, asOf: Int64? = nil) -> CheckResult {
        var values: [Column: String] = [:]
        for c in Self.enteredColumns { values[c] = fields[c] ?? "" }
        values[.updatedAt] = ChinaTime.format(time)
        values[.registeringUnit] = unit
        let raw = RawRecord(line: 1, values: values)
        let context = ValidationContext(cohortYear: cohortYear, graduationWindow: graduationWindow,
                                        asOf: max(asOf ?? time, time), unitPolicy: .county(Int(unit) ?? -1))
        let validator = RecordValidator(context: context)
        var out = ValidatedRecord()
        var findings: [Finding] = []
        validator.validate(raw, into: &out, findings: &findings)
        let line = String(decoding: out.canonicalLine, as: UTF8.self)
        return CheckResult(findings: findings, record: Self.fields(ofCanonicalLine: line) ?? values,
                           canonicalLine: line, isRejected: out.isRejected, idText: out.idText,
                           updatedAt: time)
    }

    /// The columns 姓名 … 登记单位 of a canonical line (as stored and as written in batches).
    public static func fields(ofCanonicalLine line: String) -> DeskFields? {
        guard let cells = CSVLineSplitter.cells(of: line), cells.count == Column.count - 1 else { return nil }
        var r: DeskFields = [:]
        for (c, v) in zip(Column.allCases.dropFirst(), cells) { r[c] = v }
        return r
    }
}
