import GRDB
import HuizongCore

/// The notice's monthly analysis (一(六) 信息分析) of one unit's subtree for one period: 学历状况,
/// 专业结构, 就业去向 and the employment rate, 就业服务需求, 困难状况, the follow-up results
/// (回访结果: how destinations moved since the previous period), per child unit.
///
/// Counting rules: a row is one registered graduate (one ID) in the covering submissions (see
/// `AnalysisScope`) whose 登记单位 is in U's subtree. Multi-choice fields count a person once
/// per option chosen, so their shares add up to more than 100%. The employment rate is
/// 就业去向 1–13 over all rows. "No destination yet" is an empty 就业去向.
public struct MonthlyStats: Sendable, Codable, Equatable {
    public struct Share: Sendable, Codable, Equatable {
        public var code: String
        public var label: String
        public var count: Int
        /// count / total; nil when there are no rows.
        public var share: Double?
    }

    public struct Change: Sendable, Codable, Equatable {
        public var previousPeriod: String
        public var previousTotal: Int
        public var previousEmployed: Int
        public var previousEmploymentRate: Double?
        public var deltaTotal: Int
        public var deltaEmployed: Int
        /// Percentage points as a fraction (0.05 = +5 points).
        public var deltaEmploymentRate: Double?
        /// In P but not in P−1 (newly registered or newly reported).
        public var newlyListed: Int
        /// In P−1 but no longer in P.
        public var noLongerListed: Int
        /// In both periods with a different 就业去向.
        public var destinationChanged: Int
        /// In both periods, not employed (1–13) in P−1 and employed in P.
        public var newlyEmployed: Int
    }

    /// Persons in both periods, by (previous destination, current destination).
    public struct Transition: Sendable, Codable, Equatable {
        public var from: String
        public var fromLabel: String
        public var to: String
        public var toLabel: String
        public var count: Int
    }

    public struct Child: Sendable, Codable, Equatable {
        public var unit: String
        public var name: String
        public var total: Int
        public var employed: Int
        public var employmentRate: Double?
        public var noDestination: Int
        public var hardshipNoDestination: Int
        public var previousTotal: Int?
        public var previousEmployed: Int?
        public var previousEmploymentRate: Double?
        public var deltaTotal: Int?
        public var deltaEmploymentRate: Double?
    }

    public struct TrendPoint: Sendable, Codable, Equatable {
        public var period: String
        public var total: Int
        public var employed: Int
        public var employmentRate: Double?
        public var noDestination: Int
        public var hardshipNoDestination: Int
    }

    public var unit: String
    public var unitName: String
    public var period: String
    /// The reference time of the follow-up worklist (the covering manifests' asOf, or --as-of).
    public var asOf: String
    public var submissions: [AnalysisScope.Submission]
    public var total: Int
    public var employed: Int
    public var employmentRate: Double?
    public var noDestination: Int
    public var hardshipNoDestination: Int
    public var education: [Share]
    public var majors: [Share]
    public var distinctMajors: Int
    public var destination: [Share]
    public var serviceNeeds: [Share]
    public var hardship: [Share]
    public var intentions: [Share]
    public var workplaceIntent: [Share]
    public var change: Change?
    public var transitions: [Transition]
    public var children: [Child]
    /// Every loaded period up to P (for the trend chart).
    public var trend: [TrendPoint]

    public static func rate(_ n: Int, _ d: Int) -> Double? {
        d == 0 ? nil : (Double(n) / Double(d) * 1_000_000).rounded() / 1_000_000
    }


    /// Computes the analysis. `topMajors` bounds the 专业结构 table.
    public static func compute(_ db: Database, scope: AnalysisScope, period: Period, asOf: Int64? = nil,
                               topMajors: Int = 20) throws -> MonthlyStats {
        try compute(SQLiteSession(db), scope: scope, period: period, asOf: asOf, topMajors: topMajors)
    }

    /// The same on either engine.
    public static func compute(_ db: SQLSession, scope: AnalysisScope, period: Period, asOf: Int64? = nil,
                               topMajors: Int = 20) throws -> MonthlyStats {
        let p = period.description
        let current = try scope.covering(db, period: p)
        let previous = try scope.covering(db, period: period.previous.description)
        let allPeriods = try scope.loadedPeriods(db).filter { $0 <= p }
        var trendSubs: [(String, [Int64])] = []
        for q in allPeriods {
            trendSubs.append((q, try scope.covering(db, period: q).map(\.id)))
        }
        let curIDs = current.map(\.id), prevIDs = previous.map(\.id)
        try scope.prepareScopeTable(db, submissions: curIDs + prevIDs + trendSubs.flatMap(\.1))
        let cur = AnalysisScope.list(curIDs), prev = AnalysisScope.list(prevIDs)

        // One scan: every option count per child unit, and the majors.
        let groups: [(column: String, options: [Codebook.Option], multi: Bool)] = [
            ("education", Codebook.education, false), ("destination", Codebook.destination, false),
            ("hardship", Codebook.hardship, true), ("service_needs", Codebook.serviceNeeds, true),
            ("intentions", Codebook.intentions, true), ("workplace_intent", Codebook.workplaceIntent, false),
        ]
        // Slots: 0 total, 1 employed, 2 no destination, 3 hardship & no destination, then the options.
        var offsets: [Int] = []
        var width = 4
        for g in groups {
            offsets.append(width)
            width += g.options.count
        }
        let codeBytes = groups.map { $0.options.map { Array($0.code.utf8) } }
        let employedIndex = Set(Codebook.employedDestinationCodes.compactMap { c in Codebook.destination.firstIndex { $0.code == c } })
        let priorityBytes = Codebook.hardshipPriorityCodes.map { Array($0.utf8)[0] }
        // Children and majors numbered by their bytes (no String per row).
        var childKeys = ByteKeyIndex(), majorKeys = ByteKeyIndex()
        var flat: [Int] = []           // width slots per child, in first-seen order
        var majorN: [Int] = []
        try db.scan("""
            SELECT sc.child, pv.major, \(groups.map { "pv." + $0.column }.joined(separator: ", "))
            FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(cur))
            """) { scan in
            let base = childKeys.index(of: scan.bytes(0)) * width
            if base == flat.count { flat.append(contentsOf: repeatElement(0, count: width)) }
            let m = majorKeys.index(of: scan.bytes(1))
            if m == majorN.count { majorN.append(0) }
            majorN[m] += 1
            flat[base] += 1
            for (gi, g) in groups.enumerated() {
                let cell = scan.bytes(Int32(gi + 2))
                if g.multi {
                    for (oi, code) in codeBytes[gi].enumerated() where OptionBytes.contains(cell, code[0]) {
                        flat[base + offsets[gi] + oi] += 1
                    }
                } else if let oi = OptionBytes.index(cell, in: codeBytes[gi]) {
                    flat[base + offsets[gi] + oi] += 1
                    if gi == 1 && employedIndex.contains(oi) { flat[base + 1] += 1 }
                } else if gi == 1 && cell.isEmpty {
                    flat[base + 2] += 1
                    if priorityBytes.contains(where: { OptionBytes.contains(scan.bytes(4), $0) }) { flat[base + 3] += 1 }
                }
            }
        }
        // Keys that read as one String (invalid UTF-8 decoded) count as one, as when keyed by String.
        var perChild: [String: [Int]] = [:]
        for i in 0..<childKeys.count {
            let v = flat[(i * width)..<((i + 1) * width)]
            perChild[childKeys.key(i)] = zip(perChild[childKeys.key(i)] ?? Array(repeating: 0, count: width), v).map { $0 + $1 }
        }
        var majorCounts: [String: Int] = [:]
        for i in 0..<majorKeys.count { majorCounts[majorKeys.key(i), default: 0] += majorN[i] }
        var sums = [Int](repeating: 0, count: width)
        for v in perChild.values { for i in 0..<width { sums[i] += v[i] } }
        let total = sums[0]
        var tables: [[Share]] = []
        for (gi, g) in groups.enumerated() {
            tables.append(g.options.enumerated().map { oi, o in
                let n = sums[offsets[gi] + oi]
                return Share(code: o.code, label: o.label, count: n, share: rate(n, total))
            })
        }
        var destination = tables[1]
        destination.insert(Share(code: "", label: Codebook.noDestinationLabel, count: sums[2], share: rate(sums[2], total)), at: 0)
        let distinctMajors = majorCounts.count
        let majors = majorCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(topMajors).map {
            Share(code: $0.key, label: $0.key, count: $0.value, share: rate($0.value, total))
        }

        // Per child, with the previous period's numbers (from submission_county).
        let directory = scope.directory
        let prevByChild = try countsByChild(db, submissions: prevIDs)
        var children: [Child] = perChild.keys.sorted().map { code in
            let v = perChild[code]!
            let t = v[0], e = v[1]
            var c = Child(unit: code, name: directory.name(of: code), total: t, employed: e,
                          employmentRate: rate(e, t), noDestination: v[2], hardshipNoDestination: v[3])
            if !prevIDs.isEmpty {
                let pc = prevByChild[code] ?? Counts()
                c.previousTotal = pc.persons
                c.previousEmployed = pc.employed
                c.previousEmploymentRate = rate(pc.employed, pc.persons)
                c.deltaTotal = t - pc.persons
                if let a = c.employmentRate, let b = c.previousEmploymentRate { c.deltaEmploymentRate = ((a - b) * 1_000_000).rounded() / 1_000_000 }
            }
            return c
        }
        // Children that had rows last period but none now still get a line.
        if !prevIDs.isEmpty {
            for (code, pc) in prevByChild where !children.contains(where: { $0.unit == code }) {
                children.append(Child(unit: code, name: directory.name(of: code), total: 0, employed: 0,
                                      employmentRate: nil, noDestination: 0, hardshipNoDestination: 0,
                                      previousTotal: pc.persons, previousEmployed: pc.employed,
                                      previousEmploymentRate: rate(pc.employed, pc.persons),
                                      deltaTotal: -pc.persons, deltaEmploymentRate: nil))
            }
            children.sort { $0.unit < $1.unit }
        }

        // Follow-up results since P−1.
        var change: Change?
        var transitions: [Transition] = []
        if !prevIDs.isEmpty {
            let pt = prevByChild.values.reduce(Counts()) { $0 + $1 }
            let tRows = try db.rows("""
                SELECT p.destination AS f, pv.destination AS t, count(*) AS n
                FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
                JOIN person_version p ON p.citizen_id = pv.citizen_id AND p.submission_id IN (\(prev))
                WHERE pv.submission_id IN (\(cur))
                GROUP BY p.destination, pv.destination
                """)
            transitions = tRows.map { r in
                let f: String = r["f"], t: String = r["t"]
                return Transition(from: f, fromLabel: destinationLabel(f), to: t, toLabel: destinationLabel(t), count: r["n"])
            }.sorted { (destinationOrder($0.from), destinationOrder($0.to)) < (destinationOrder($1.from), destinationOrder($1.to)) }
            let newly: Int = try db.value("""
                SELECT count(*) FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
                WHERE pv.submission_id IN (\(cur)) AND NOT EXISTS (
                    SELECT 1 FROM person_version p WHERE p.citizen_id = pv.citizen_id AND p.submission_id IN (\(prev)))
                """) ?? 0
            let gone: Int = try db.value("""
                SELECT count(*) FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
                WHERE pv.submission_id IN (\(prev)) AND NOT EXISTS (
                    SELECT 1 FROM person_version c WHERE c.citizen_id = pv.citizen_id AND c.submission_id IN (\(cur)))
                """) ?? 0
            let employedSet = Set(Codebook.employedDestinationCodes)
            let rateNow = rate(sums[1], total), ratePrev = rate(pt.employed, pt.persons)
            change = Change(
                previousPeriod: period.previous.description, previousTotal: pt.persons, previousEmployed: pt.employed,
                previousEmploymentRate: ratePrev, deltaTotal: total - pt.persons, deltaEmployed: sums[1] - pt.employed,
                deltaEmploymentRate: (rateNow != nil && ratePrev != nil) ? ((rateNow! - ratePrev!) * 1_000_000).rounded() / 1_000_000 : nil,
                newlyListed: newly, noLongerListed: gone,
                destinationChanged: transitions.filter { $0.from != $0.to }.reduce(0) { $0 + $1.count },
                newlyEmployed: transitions.filter { !employedSet.contains($0.from) && employedSet.contains($0.to) }
                    .reduce(0) { $0 + $1.count })
        }

        var trend: [TrendPoint] = []
        for (q, ids) in trendSubs {
            let c = try countsByChild(db, submissions: ids).values.reduce(Counts()) { $0 + $1 }
            trend.append(TrendPoint(period: q, total: c.persons, employed: c.employed, employmentRate: rate(c.employed, c.persons),
                                    noDestination: c.noDestination, hardshipNoDestination: c.hardshipNoDestination))
        }

        let reference = asOf ?? current.compactMap { $0.asOf.flatMap(ChinaTime.parseAsOf) }.max() ?? period.endInstant
        return MonthlyStats(
            unit: scope.unit, unitName: directory.name(of: scope.unit), period: p, asOf: ChinaTime.format(reference),
            submissions: current, total: total, employed: sums[1], employmentRate: rate(sums[1], total),
            noDestination: sums[2], hardshipNoDestination: sums[3],
            education: tables[0], majors: majors, distinctMajors: distinctMajors, destination: destination,
            serviceNeeds: tables[3], hardship: tables[2], intentions: tables[4], workplaceIntent: tables[5],
            change: change, transitions: transitions, children: children, trend: trend)
    }

    static func destinationLabel(_ code: String) -> String {
        code.isEmpty ? Codebook.noDestinationLabel : Codebook.label(Codebook.destination, code)
    }

    static func destinationOrder(_ code: String) -> Int { Int(code) ?? 0 }

    struct Counts {
        var persons = 0, employed = 0, noDestination = 0, hardshipNoDestination = 0
        static func + (a: Counts, b: Counts) -> Counts {
            Counts(persons: a.persons + b.persons, employed: a.employed + b.employed,
                   noDestination: a.noDestination + b.noDestination,
                   hardshipNoDestination: a.hardshipNoDestination + b.hardshipNoDestination)
        }
    }

    /// Per child of U, from the per-county counts kept at load time.
    static func countsByChild(_ db: SQLSession, submissions: [Int64]) throws -> [String: Counts] {
        guard !submissions.isEmpty else { return [:] }
        var out: [String: Counts] = [:]
        for r in try db.rows("""
            SELECT sc.child, CAST(sum(c.persons) AS BIGINT), CAST(sum(c.employed) AS BIGINT),
                   CAST(sum(c.no_destination) AS BIGINT), CAST(sum(c.hardship_no_destination) AS BIGINT)
            FROM submission_county c JOIN scope_unit sc ON sc.reg_unit = c.registering_unit
            WHERE c.submission_id IN (\(AnalysisScope.list(submissions)))
            GROUP BY sc.child
            """) {
            out[r[0]] = Counts(persons: r[1], employed: r[2], noDestination: r[3], hardshipNoDestination: r[4])
        }
        return out
    }
}

enum AnalysisSQL {
    static func quoted(_ codes: [String]) -> String { codes.map { "'\($0)'" }.joined(separator: ",") }
}
