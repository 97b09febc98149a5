import HuizongCore

extension Period {
    /// The end of the period: 00:00 China time on the first day of the next month (Unix seconds).
    public var endInstant: Int64 {
        let n = next
        return ChinaTime.startOfDay(n.year * 10000 + n.month * 100 + 1)
    }

    /// Parses `YYYY-MM` or throws a usage message.
    public static func parse(_ text: String) throws -> Period {
        guard let p = Period(text) else {
            throw LoadError("期别须为YYYY-MM period must be YYYY-MM: \(text)")
        }
        return p
    }
}
