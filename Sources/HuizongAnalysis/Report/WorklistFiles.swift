import HuizongCore

/// The worklists' lines as `stats --out` writes them (priority, services, followup: CSV for
/// people and JSON objects), encoded straight from a county's byte arena: the same bytes as
/// `StatsTables.personRow` through `PeopleCSV` and the JSON of `Worklists.Person` (keys sorted,
/// contact keys only when read), without a String per cell.
struct WorklistFiles {
    typealias Cell = Worklists.CountyEntries.Cell
    /// The person's cells of a CSV line after 登记单位 and 单位名称, and its contact cells.
    static let csvCells: [Cell] = [.citizenID, .name, .sex, .education, .school, .major, .hardship, .intentions, .serviceNeeds,
                                   .updatedAt]
    static let contactCells: [Cell] = [.mobile, .landline, .email]
    static let personKey = Array("{\"person\":".utf8), citizenIDKey = Array("{\"citizenID\":".utf8)
    static let daysKey = Array(",\"daysSinceUpdate\":".utf8)

    let contacts: Bool
    /// Each service's first two CSV cells (code, label) and its JSON tail, encoded once.
    private let serviceCSV: [[UInt8]]
    private let serviceJSON: [[UInt8]]

    init(contacts: Bool) {
        self.contacts = contacts
        serviceCSV = Codebook.serviceNeeds.map { o in
            var out: [UInt8] = []
            PeopleCSV.appendField(o.code.utf8, to: &out)
            out.append(0x2C)
            PeopleCSV.appendField(o.label.utf8, to: &out)
            out.append(0x2C)
            return out
        }
        serviceJSON = Codebook.serviceNeeds.map { o in
            var out = Array(",\"service\":".utf8)
            JSONText.string(o.code, into: &out)
            out += Array(",\"serviceLabel\":".utf8)
            JSONText.string(o.label, into: &out)
            out.append(0x7D)
            return out
        }
    }

    /// The persons of list `list` (0 priority, 1 services, 2 follow-up), with their service.
    static func rows(_ e: Worklists.CountyEntries, _ list: Int) -> [(row: Int, service: Int)] {
        switch list {
        case 0: return e.priorityRows.map { ($0, -1) }
        case 1: return e.serviceRows.enumerated().flatMap { s, rows in rows.map { ($0, s) } }
        default: return e.followUpRows.map { ($0, -1) }
        }
    }

    /// Calls `line` with each CSV line (CRLF included) of list `list`, then `json` with each JSON
    /// object, reusing two buffers.
    func encode(_ e: Worklists.CountyEntries, list: Int, json: Bool,
                line: ([UInt8]) throws -> Void, object: ([UInt8]) throws -> Void) throws {
        let rows = Self.rows(e, list)
        guard !rows.isEmpty else { return }
        var head: [UInt8] = []  // 登记单位, 单位名称: the county's, encoded once
        PeopleCSV.appendField(e.county.utf8, to: &head)
        head.append(0x2C)
        PeopleCSV.appendField(e.countyName.utf8, to: &head)
        var jsonHead = Array("\"county\":".utf8)
        JSONText.string(e.county, into: &jsonHead)
        jsonHead += Array(",\"countyName\":".utf8)
        JSONText.string(e.countyName, into: &jsonHead)
        var out: [UInt8] = []
        out.reserveCapacity(512)
        try e.arena.withUnsafeBufferPointer { arena in
            func cell(_ row: Int, _ c: Cell) -> UnsafeBufferPointer<UInt8> {
                let i = row * Worklists.CountyEntries.stride + c.rawValue
                return UnsafeBufferPointer(rebasing: arena[e.bounds[i]..<e.bounds[i + 1]])
            }
            for (row, service) in rows {
                out.removeAll(keepingCapacity: true)
                if service >= 0 { out += serviceCSV[service] }
                out += head
                for c in Self.csvCells {
                    out.append(0x2C)
                    PeopleCSV.appendField(cell(row, c), to: &out)
                }
                out.append(0x2C)
                PeopleCSV.appendField(String(e.days[row]).utf8, to: &out)
                if contacts {
                    for c in Self.contactCells {
                        out.append(0x2C)
                        PeopleCSV.appendField(e.contacts ? cell(row, c) : UnsafeBufferPointer(start: nil, count: 0), to: &out)
                    }
                }
                out += PeopleCSV.lineEnd
                try line(out)
            }
            guard json else { return }
            for (row, service) in rows {
                out.removeAll(keepingCapacity: true)
                if service >= 0 { out += Self.personKey }
                func field(_ key: StaticString, _ c: Cell) {
                    out.append(0x2C)
                    out.append(0x22)
                    out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
                    out += [0x22, 0x3A]
                    JSONText.string(cell(row, c), into: &out)
                }
                out += Self.citizenIDKey
                JSONText.string(cell(row, .citizenID), into: &out)
                out.append(0x2C)
                out += jsonHead
                out += Self.daysKey
                out += Array(String(e.days[row]).utf8)
                field("education", .education)
                if e.contacts { field("email", .email) }
                field("hardship", .hardship)
                field("intentions", .intentions)
                if e.contacts { field("landline", .landline) }
                field("major", .major)
                if e.contacts { field("mobile", .mobile) }
                field("name", .name)
                field("school", .school)
                field("serviceNeeds", .serviceNeeds)
                field("sex", .sex)
                field("updatedAt", .updatedAt)
                out.append(0x7D)
                if service >= 0 { out += serviceJSON[service] }
                try object(out)
            }
        }
    }
}
