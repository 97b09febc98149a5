#if canImport(Glibc)
import Glibc
#endif
import HuizongCore

/// The desk's clock (SPEC 9): the system clock, or `--as-of` — the clock then starts at that time
/// and runs on (monotonic time since start). Whole seconds, Unix time; shown in China time.
public struct DeskClock: Sendable {
    let start: Int64?
    let monotonicStart: Int64
    /// A clock that does not run (tests: 更新时间 and batch names then do not depend on timing).
    let frozen: Bool

    public init(asOf: Int64? = nil, frozen: Bool = false) {
        self.start = asOf
        self.frozen = frozen && asOf != nil
        self.monotonicStart = Self.monotonicNanoseconds()
    }

    public func now() -> Int64 {
        if let start {
            return frozen ? start : start + (Self.monotonicNanoseconds() - monotonicStart) / 1_000_000_000
        }
        return Int64(time(nil))
    }

    /// The current period (China time).
    public func period() -> Period { Self.period(of: now()) }

    public static func period(of t: Int64) -> Period {
        let d = ChinaTime.day(of: t)
        return Period(year: d / 10000, month: d / 100 % 100)
    }

    static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
