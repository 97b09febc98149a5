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
    /// (service, ID), follow-up by ID. The scan copies each listed person's cells once into one
    /// byte arena (a national month lists hundreds of thousands: no String per cell); the files
    /// are written from those bytes (`WorklistFiles`), and `priority`, `services`, `followUp`
    /// build `Person` values on demand (workbooks, tests).
    public struct CountyEntries: Sendable {
        /// A person's cells, in arena order (the scan's columns 1–13).
        enum Cell: Int, CaseIterable {
            case citizenID, name, sex, education, school, major, hardship, intentions, serviceNeeds, updatedAt
            case mobile, landline, email
        }

        public var county: String
        public var countyName = ""
        /// Contact cells were read (`includeContacts`): `Person`'s contact values are then non-nil.
        var contacts = false
        var arena: [UInt8] = []
        /// Per person, `Cell.allCases.count + 1` offsets into `arena`: each cell's start, then the end.
        var bounds: [Int] = []
        var days: [Int] = []
        var priorityRows: [Int] = []
        var followUpRows: [Int] = []
        /// Per 就业服务需求 option, in codebook order, the persons who asked for it (by ID).
        var serviceRows: [[Int]] = Array(repeating: [], count: Codebook.serviceNeeds.count)

        public init(county: String) { self.county = county }

        static let stride = Cell.allCases.count + 1

        /// The bytes of one cell of person `row`.
        func cell(_ row: Int, _ c: Cell) -> ArraySlice<UInt8> {
            let i = row * Self.stride + c.rawValue
            return arena[bounds[i]..<bounds[i + 1]]
        }

        func person(_ row: Int) -> Person {
            func s(_ c: Cell) -> String { String(decoding: cell(row, c), as: UTF8.self) }
            return Person(county: county, countyName: countyName, citizenID: s(.citizenID), name: s(.name), sex: s(.sex),
                          education: s(.education), school: s(.school), major: s(.major), hardship: s(.hardship),
                          intentions: s(.intentions), serviceNeeds: s(.serviceNeeds), updatedAt: s(.updatedAt),
                          daysSinceUpdate: days[row], mobile: contacts ? s(.mobile) : nil,
                          landline: contacts ? s(.landline) : nil, email: contacts ? s(.email) : nil)
        }

        public var priority: [Person] { priorityRows.map(person) }
        public var followUp: [Person] { followUpRows.map(person) }
        public var services: [ServiceEntry] {
            Codebook.serviceNeeds.enumerated().flatMap { i, o in
                serviceRows[i].map { ServiceEntry(service: o.code, serviceLabel: o.label, person: person($0)) }
            }
        }
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
        // Per county, found by its bytes (no String per row): priority, follow-up, then the services.
        var counties = ByteKeyIndex()
        var flat: [Int] = []
        let width = 2 + serviceBytes.count
        try db.scan("""
            SELECT pv.registering_unit, pv.hardship, pv.updated_at, pv.service_needs
            FROM person_version pv JOIN scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(AnalysisScope.list(current))) AND pv.destination = ''
            """) { scan in
            let i = counties.index(of: scan.bytes(0))
            if i * width == flat.count { flat.append(contentsOf: repeatElement(0, count: width)) }
            let base = i * width
            if priorityBytes.contains(where: { OptionBytes.contains(scan.bytes(1), $0) }) { flat[base] += 1 }
            if scan.bytes(2).lexicographicallyPrecedes(cutoff) { flat[base + 1] += 1 }
            let needs = scan.bytes(3)
            for (j, b) in serviceBytes.enumerated() where OptionBytes.contains(needs, b) { flat[base + 2 + j] += 1 }
        }
        var byCounty: [String: CountyCounts] = [:]
        for i in 0..<counties.count {
            let county = counties.key(i), v = flat[(i * width)..<((i + 1) * width)]
            // Two byte keys that read as one String (invalid UTF-8) are one county, as before.
            var c = byCounty[county] ?? CountyCounts(county: county, countyName: scope.directory.name(of: county), priority: 0,
                                                     followUp: 0, services: Array(repeating: 0, count: serviceBytes.count))
            c.priority += v[v.startIndex]
            c.followUp += v[v.startIndex + 1]
            for j in 0..<serviceBytes.count { c.services[j] += v[v.startIndex + 2 + j] }
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
        let cells = CountyEntries.Cell.allCases.count
        var entries: CountyEntries?
        func finish() throws {
            guard let e = entries else { return }
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
                entries!.countyName = directory.name(of: county)
                entries!.contacts = includeContacts
            }
            let priority = priorityBytes.contains(where: { OptionBytes.contains(scan.bytes(7), $0) })
            let followUp = scan.bytes(10).lexicographicallyPrecedes(cutoffBytes)
            let needs = scan.bytes(9)
            var asked: UInt32 = 0  // bit i: asked for service option i
            for (i, b) in serviceBytes.enumerated() where OptionBytes.contains(needs, b) { asked |= 1 << i }
            guard priority || followUp || asked != 0 else { return }
            let row = entries!.days.count
            let updatedAt = ChinaTime.parseUpdateTime(scan.bytes(10)) ?? asOf
            entries!.days.append(Int((asOf - updatedAt) / 86400))
            for c in 0..<cells {
                entries!.bounds.append(entries!.arena.count)
                if c < CountyEntries.Cell.mobile.rawValue || includeContacts {
                    entries!.arena.append(contentsOf: scan.bytes(Int32(c + 1)))
                }
            }
            entries!.bounds.append(entries!.arena.count)
            if priority { entries!.priorityRows.append(row) }
            if followUp { entries!.followUpRows.append(row) }
            for i in serviceBytes.indices where asked & (1 << i) != 0 { entries!.serviceRows[i].append(row) }
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
