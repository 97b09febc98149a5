/// What the form rules need to know about the run (SPEC 5): the cohort, the graduation window,
/// the run's reference time, and who may be named as 登记单位.
public struct ValidationContext: Sendable {
    /// How 登记单位 is checked (SPEC 3.4).
    public enum UnitPolicy: Sendable {
        /// At a county: empty becomes `county`; anything else must be `county` itself.
        case county(Int)
        /// Above county: must be one of these county codes (the counties at or under the sender).
        case under(Set<Int>)
        /// `validate` without `--unit`: empty or 6 digits.
        case formOnly
    }

    public var cohortYear: Int
    /// Inclusive, as yyyymmdd integers (e.g. 20120101...20121231).
    public var graduationWindow: ClosedRange<Int>
    /// The run's reference time (`--as-of`), Unix seconds.
    public var asOf: Int64
    public var unitPolicy: UnitPolicy
    /// A file made from the 2012 template has no 更新时间 column: its rows take the preamble's
    /// 填报时间 (00:00 China time), as Unix seconds. nil when the file has the column.
    public var defaultUpdateTime: Int64?

    public init(cohortYear: Int, graduationWindow: ClosedRange<Int>, asOf: Int64,
                unitPolicy: UnitPolicy, defaultUpdateTime: Int64? = nil) {
        self.cohortYear = cohortYear
        self.graduationWindow = graduationWindow
        self.asOf = asOf
        self.unitPolicy = unitPolicy
        self.defaultUpdateTime = defaultUpdateTime
    }

    /// The whole cohort year as the window (SPEC 4: a run without `--config`).
    public static func cohort(_ year: Int, asOf: Int64, unitPolicy: UnitPolicy) -> ValidationContext {
        ValidationContext(cohortYear: year, graduationWindow: (year * 10000 + 101)...(year * 10000 + 1231),
                          asOf: asOf, unitPolicy: unitPolicy)
    }
}
