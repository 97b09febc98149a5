import HuizongCore

/// Who needs a contact this month (SPEC 9, notice 二(二) and 二(七)): people registered at the
/// county, not placed (就业去向 empty) and not only intention 9, with fewer than three `info`
/// contacts in the month; plus every hardship case (困难状况 1–3) not placed (一对一帮扶).
/// Hardship cases first, then the fewest contacts, then by ID.
public enum DueList {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var name: String
        public var hardship: String
        public var isHardshipCase: Bool
        /// `info` contacts in the month so far.
        public var contacts: Int
        public var mobile: String
        public var landline: String
    }

    /// Contacts per month the notice asks for (二(二): 一个月内至少提供三次就业信息).
    public static let monthlyInfoContacts = 3

    public static func compute(current: [(id: String, line: String)], unit: String,
                               infoCounts: [String: Int]) -> [Entry] {
        var out: [Entry] = []
        for (id, line) in current {
            guard let f = FormCheck.fields(ofCanonicalLine: line), f[.registeringUnit] == unit,
                  (f[.destination] ?? "").isEmpty else { continue }
            let hardship = f[.hardship] ?? ""
            let isHardship = hardship.contains { $0 == "1" || $0 == "2" || $0 == "3" }
            let onlyNine = f[.intentions] == "9"
            let n = infoCounts[id] ?? 0
            guard isHardship || (!onlyNine && n < monthlyInfoContacts) else { continue }
            out.append(Entry(id: id, name: f[.name] ?? "", hardship: hardship, isHardshipCase: isHardship,
                             contacts: n, mobile: f[.mobile] ?? "", landline: f[.landline] ?? ""))
        }
        out.sort {
            if $0.isHardshipCase != $1.isHardshipCase { return $0.isHardshipCase }
            if $0.contacts != $1.contacts { return $0.contacts < $1.contacts }
            return $0.id < $1.id
        }
        return out
    }

    /// [start, end) of a month, China time, as Unix seconds.
    public static func bounds(of p: Period) -> (Int64, Int64) {
        let n = p.next
        return (ChinaTime.startOfDay(p.year * 10000 + p.month * 100 + 1),
                ChinaTime.startOfDay(n.year * 10000 + n.month * 100 + 1))
    }
}
