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

    public static func compute(_ db: Database, scope: AnalysisScope, period: Period, asOf: Int64,
                               staleDays: Int = 30, includeContacts: Bool = false) throws -> Worklists {
        let current = try scope.covering(db, period: period.description).map(\.id)
        try scope.prepareScopeTable(db, submissions: current)
        let ids = AnalysisScope.list(current)
        let directory = scope.directory
        let cutoff = ChinaTime.format(asOf - Int64(staleDays) * 86400)
        var priority: [Person] = [], followUp: [Person] = []
        var byService: [[ServiceEntry]] = Array(repeating: [], count: Codebook.serviceNeeds.count)
        var counts: [String: CountyCounts] = [:]
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT pv.registering_unit, pv.citizen_id, pv.name, pv.sex, pv.education, pv.school, pv.major,
                   pv.hardship, pv.intentions, pv.service_needs, pv.updated_at, pv.mobile, pv.landline, pv.email
            FROM person_version pv JOIN temp.scope_unit sc ON sc.reg_unit = pv.registering_unit
            WHERE pv.submission_id IN (\(ids)) AND pv.destination = ''
            ORDER BY pv.registering_unit, pv.citizen_id
            """)
        while let r = try cursor.next() {
            let county: String = r[0]
            let updated: String = r[10]
            let updatedAt = ChinaTime.parseAsOf(updated) ?? asOf
            let days = Int((asOf - updatedAt) / 86400)
            let person = Person(
                county: county, countyName: directory.name(of: county), citizenID: r[1], name: r[2], sex: r[3],
                education: r[4], school: r[5], major: r[6], hardship: r[7], intentions: r[8], serviceNeeds: r[9],
                updatedAt: updated, daysSinceUpdate: days,
                mobile: includeContacts ? r[11] : nil, landline: includeContacts ? r[12] : nil,
                email: includeContacts ? r[13] : nil)
            var c = counts[county] ?? CountyCounts(county: county, countyName: person.countyName, priority: 0, followUp: 0,
                                                   services: Array(repeating: 0, count: Codebook.serviceNeeds.count))
            if Codebook.hardshipPriorityCodes.contains(where: { person.hardship.contains($0) }) {
                priority.append(person)
                c.priority += 1
            }
            if updated < cutoff {
                followUp.append(person)
                c.followUp += 1
            }
            for (i, o) in Codebook.serviceNeeds.enumerated() where person.serviceNeeds.contains(o.code) {
                byService[i].append(ServiceEntry(service: o.code, serviceLabel: o.label, person: person))
                c.services[i] += 1
            }
            counts[county] = c
        }
        return Worklists(unit: scope.unit, period: period.description, asOf: ChinaTime.format(asOf), staleDays: staleDays,
                         priority: priority, services: byService.flatMap { $0 }, followUp: followUp,
                         counties: counts.values.sorted { $0.county < $1.county })
    }
}
