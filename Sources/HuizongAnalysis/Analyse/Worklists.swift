import GRDB
import HuizongCore

/// The county offices' action lists for one period, per 登记单位 (always a county):
/// - priority: hardship graduates (困难状况 1, 2 or 3) with no destination yet — one-to-one help
///   (notice 二(七));
/// - services: for each 就业服务需求 option, the graduates who asked for it and have no
///   destination yet — job information three times a month, training, internships,
///   entrepreneurship help (notice 二(二)–(五));
/// - follow-up: graduates with no destination whose row was last updated more than N days
///   before the reference time — 定期回访 (notice 一(四)).
///
/// Worklists carry full IDs and names: the office acts on them. Contact values are left out
/// unless asked for (`includeContacts`), and never reach the HTML reports.
public struct Worklists: Sendable, Codable, Equatable {
    public struct Person: Sendable, Codable, Equatable {
        /// The object as JSON (keys sorted, like the encoder's `.sortedKeys`), written by hand.
        func json(into out: inout [UInt8]) {
            JSONText.object([
                ("citizenID", citizenID), ("county", county), ("countyName", countyName),
                ("daysSinceUpdate", daysSinceUpdate), ("education", education), ("email", email),
                ("hardship", hardship), ("intentions", intentions), ("landline", landline), ("major", major),
                ("mobile", mobile), ("name", name), ("school", school), ("serviceNeeds", serviceNeeds), ("sex", sex),
                ("updatedAt", updatedAt),
            ], into: &out)
        }

        public var county: String
        public var countyName: String
        public var citizenID: String
        public var name: String
        public var sex: String
        public var education: String
        public var school: String
        public var major: String
        public var hardship: String
        public var intentions: String
        public var serviceNeeds: String
        public var updatedAt: String
        /// Whole days between 更新时间 and the reference time.
        public var daysSinceUpdate: Int
        public var mobile: String?
        public var landline: String?
        public var email: String?
    }

    public struct ServiceEntry: Sendable, Codable, Equatable {
        public var service: String
        public var serviceLabel: String
        public var person: Person
    }

    public struct CountyCounts: Sendable, Codable, Equatable {
        public var county: String
        public var countyName: String
        public var priority: Int
        public var followUp: Int
        /// Graduates with no destination who asked for each service, in 就业服务需求 order.
        public var services: [Int]
    }

    public var unit: String
    public var period: String
    public var asOf: String
    public var staleDays: Int
    public var priority: [Person]
    public var services: [ServiceEntry]
    public var followUp: [Person]
    public var counties: [CountyCounts]

    /// One county's entries, in the order the files list them: priority by ID, services by
    /// (service, ID), follow-up by ID.
    public struct CountyEntries: Sendable {
        public var county: String
        public var priority: [Person] = []
        public var services: [ServiceEntry] = []
        public var followUp: [Person] = []
    }

    /// The size of each county's lists (one scan; no rows kept).
    public static func counts(_ db: Database, scope: AnalysisScope, period: Period, asOf: Int64,
                              staleDays: Int = 30) throws -> [CountyCounts] {
        try counts(SQLiteSession(db), scope: scope, period: period, asOf: asOf, staleDays: staleDays)
    }

    public static func counts(_ db: SQLSession, scope: AnalysisScope, period: Period, asOf: Int64,
                              staleDays: Int = 30) throws -> [CountyCounts] {
        let current = try scope.covering(db, period: period.description).map(\.id)
        try scope.prepareScopeTable(db, submissions: current)
        let cutoff = Array(ChinaTime.format(asOf - Int64(staleDays) * 86400).utf8)
        let serviceBytes = Codebook.serviceNeeds.map { Array($0.code.utf8)[0] }
        let priorityBytes = Codebook.hardshipPriorityCodes.map { Array($0.utf8)[0] }
        var byCounty: [String: CountyCounts] = [:]
        try db.scan("""
            SELECT pv.registering_unit, pv.hardship, pv.updated_at, pv.service_needs
            FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(AnalysisScope.list(current))) AND pv.destination = ''
            """) { scan in
            let county = scan.string(0)
            var c = byCounty[county] ?? CountyCounts(county: county, countyName: scope.directory.name(of: county), priority: 0,
                                                     followUp: 0, services: Array(repeating: 0, count: serviceBytes.count))
            if priorityBytes.contains(where: { OptionBytes.contains(scan.bytes(1), $0) }) { c.priority += 1 }
            if scan.bytes(2).lexicographicallyPrecedes(cutoff) { c.followUp += 1 }
            let needs = scan.bytes(3)
            for (i, b) in serviceBytes.enumerated() where OptionBytes.contains(needs, b) { c.services[i] += 1 }
            byCounty[county] = c
        }
        return byCounty.values.sorted { $0.county < $1.county }
    }

    /// Streams every county's lists, county by county in code order; one county in memory at a time.
    public static func stream(_ db: Database, scope: AnalysisScope, period: Period, asOf: Int64, staleDays: Int = 30,
                              includeContacts: Bool = false, body: (CountyEntries) throws -> Void) throws {
        try stream(SQLiteSession(db), scope: scope, period: period, asOf: asOf, staleDays: staleDays,
                   includeContacts: includeContacts, body: body)
    }

    /// The same on either engine. Sorted by the engine's byte order of the codes (`COLLATE "C"`
    /// on PostgreSQL, whose default collation would order them by locale).
    public static func stream(_ db: SQLSession, scope: AnalysisScope, period: Period, asOf: Int64, staleDays: Int = 30,
                              includeContacts: Bool = false, body: (CountyEntries) throws -> Void) throws {
        let current = try scope.covering(db, period: period.description).map(\.id)
        try scope.prepareScopeTable(db, submissions: current)
        let directory = scope.directory
        let cutoff = ChinaTime.format(asOf - Int64(staleDays) * 86400)
        let order = db.dialect == .postgres ? "pv.registering_unit COLLATE \"C\", pv.citizen_id COLLATE \"C\""
                                            : "pv.registering_unit, pv.citizen_id"
        let cutoffBytes = Array(cutoff.utf8)
        let serviceBytes = Codebook.serviceNeeds.map { Array($0.code.utf8)[0] }
        let priorityBytes = Codebook.hardshipPriorityCodes.map { Array($0.utf8)[0] }
        var entries: CountyEntries?
        var countyName = ""
        func finish() throws {
            guard var e = entries else { return }
            // Stable: within a service, IDs stay ascending.
            e.services = Codebook.serviceNeeds.flatMap { o in e.services.filter { $0.service == o.code } }
            try body(e)
            entries = nil
        }
        try db.scan("""
            SELECT pv.registering_unit, pv.citizen_id, pv.name, pv.sex, pv.education, pv.school, pv.major,
                   pv.hardship, pv.intentions, pv.service_needs, pv.updated_at, pv.mobile, pv.landline, pv.email
            FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(AnalysisScope.list(current))) AND pv.destination = ''
            ORDER BY \(order)
            """) { scan in
            if entries == nil || !scan.bytes(0).elementsEqual(entries!.county.utf8) {
                try finish()
                let county = scan.string(0)
                entries = CountyEntries(county: county)
                countyName = directory.name(of: county)
            }
            let updated = scan.string(10)
            let updatedAt = ChinaTime.parseUpdateTime(scan.bytes(10)) ?? asOf
            let person = Person(
                county: entries!.county, countyName: countyName, citizenID: scan.string(1), name: scan.string(2),
                sex: scan.string(3), education: scan.string(4), school: scan.string(5), major: scan.string(6),
                hardship: scan.string(7), intentions: scan.string(8), serviceNeeds: scan.string(9),
                updatedAt: updated, daysSinceUpdate: Int((asOf - updatedAt) / 86400),
                mobile: includeContacts ? scan.string(11) : nil, landline: includeContacts ? scan.string(12) : nil,
                email: includeContacts ? scan.string(13) : nil)
            if priorityBytes.contains(where: { OptionBytes.contains(scan.bytes(7), $0) }) {
                entries!.priority.append(person)
            }
            if scan.bytes(10).lexicographicallyPrecedes(cutoffBytes) { entries!.followUp.append(person) }
            let needs = scan.bytes(9)
            for (i, o) in Codebook.serviceNeeds.enumerated() where OptionBytes.contains(needs, serviceBytes[i]) {
                entries!.services.append(ServiceEntry(service: o.code, serviceLabel: o.label, person: person))
            }
        }
        try finish()
    }

    /// Everything in memory (tests, small subtrees); the commands stream instead.
    public static func compute(_ db: Database, scope: AnalysisScope, period: Period, asOf: Int64,
                               staleDays: Int = 30, includeContacts: Bool = false) throws -> Worklists {
        try compute(SQLiteSession(db), scope: scope, period: period, asOf: asOf, staleDays: staleDays,
                    includeContacts: includeContacts)
    }

    public static func compute(_ db: SQLSession, scope: AnalysisScope, period: Period, asOf: Int64,
                               staleDays: Int = 30, includeContacts: Bool = false) throws -> Worklists {
        var w = Worklists(unit: scope.unit, period: period.description, asOf: ChinaTime.format(asOf), staleDays: staleDays,
                          priority: [], services: [], followUp: [],
                          counties: try counts(db, scope: scope, period: period, asOf: asOf, staleDays: staleDays))
        try stream(db, scope: scope, period: period, asOf: asOf, staleDays: staleDays, includeContacts: includeContacts) { e in
            w.priority += e.priority
            w.services += e.services
            w.followUp += e.followUp
        }
        return w
    }
}
