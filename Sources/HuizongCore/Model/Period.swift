/// A reporting period `YYYY-MM` (SPEC 1: monthly rhythm).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`: four ASCII digits, `-`, two ASCII digits, month 01–12 (no sign: `Int`
    /// alone took `+012-08` for the year 12).
    public init?(_ text: String) {
        let b = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count == 7, b[4] == 0x2D, let y = digits(0..<4), let m = digits(5..<7), (1...12).contains(m) else { return nil }
        year = y
        month = m
    }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(m)"
    }

    public var previous: Period { month == 1 ? Period(year: year - 1, month: 12) : Period(year: year, month: month - 1) }
    public var next: Period { month == 12 ? Period(year: year + 1, month: 1) : Period(year: year, month: month + 1) }

    public static func < (a: Period, b: Period) -> Bool { (a.year, a.month) < (b.year, b.month) }

    /// End of day `day` of the month after this period, China time, as Unix seconds: a child's
    /// file modified after it is late (SPEC 4, CHILD_LATE).
    public func deadline(day: Int) -> Int64 {
        let n = next
        return ChinaTime.startOfDay(n.year * 10000 + n.month * 100 + day) + 86_400
    }
}
