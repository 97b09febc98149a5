import Foundation
import GRDB
import HuizongCore

/// Near-duplicate candidates of one period (issue 13 item 6, docs/near-duplicates.md): groups of
/// *different* 公民身份号码 that share 姓名, the birth date the ID encodes, 毕业院校 and 所学专业 —
/// the same graduate registered twice under two IDs (a mistyped ID that still passed its check
/// digit, an old 15-digit number upgraded beside the new 18-digit one, a registration in two
/// provinces). The run's dedup cannot see them: it groups by ID.
///
/// Read from the rows of the current submissions of the whole tree loaded for the period (those
/// covering the ministry: its own, else the highest loaded units'), so a person registered in two
/// counties or two provinces is found from either side; a group is listed when at least one of
/// its IDs was registered under the unit analysed (`inScope`). The same ID in two submissions is
/// one ID: a normal dedup, never a candidate.
///
/// Database access is two plain SELECTs over `person_version` (no SQL beyond `IN` and column
/// names, so any backend serves); the matching is done here, in Swift:
/// 1. every row's normalised key is hashed (FNV-1a 64) beside its ID — 16 bytes a row, so a
///    national month of millions of rows stays small — and the hashes held by two or more IDs
///    are kept;
/// 2. the rows of those IDs are read again in full and grouped by the exact normalised key
///    (`group`), so a hash collision can never make a candidate.
public struct NearDuplicates: Sendable, Codable, Equatable {
    /// One row of a period as the matching reads it (values as stored).
    public struct Row: Sendable, Codable, Equatable {
        public var citizenID: String
        public var name: String
        public var school: String
        public var major: String
        public var sex: String = ""
        public var education: String = ""
        public var graduationDate: String = ""
        public var updatedAt: String = ""
        public var registeringUnit: String = ""
    }

    public struct Member: Sendable, Codable, Equatable {
        public var row: Row
        public var unitName: String
        /// Registered under the unit analysed (the others are shown for context, IDs masked).
        public var inScope: Bool
    }

    public struct Group: Sendable, Codable, Equatable {
        /// The shared values, normalised (docs/near-duplicates.md).
        public var name: String
        /// `YYYY-MM-DD`, from the IDs.
        public var birthDate: String
        public var school: String
        public var major: String
        /// By ID; at least two distinct IDs.
        public var members: [Member]
    }

    public var unit: String
    public var period: String
    public var groups: [Group]

    /// The IDs in all groups.
    public var candidateIDs: Int { groups.reduce(0) { $0 + $1.members.count } }

    /// The same candidates as a unit under this one sees them (its members in scope, the groups
    /// holding one of them): what `compute` gives for that unit, without reading the rows again.
    public func scoped(to unit: String, directory: UnitDirectory) -> NearDuplicates {
        var out = NearDuplicates(unit: unit, period: period, groups: [])
        for g in groups {
            var g = g
            for i in g.members.indices {
                g.members[i].inScope = directory.isInSubtree(g.members[i].row.registeringUnit, of: unit)
            }
            if g.members.contains(where: \.inScope) { out.groups.append(g) }
        }
        return out
    }

    // MARK: Matching (pure)

    /// The birth date an ID encodes, `YYYYMMDD`: positions 7–14 of an 18-character ID, positions
    /// 7–12 of a 15-digit one with `19` in front (GB 11643). Full-width digits and spaces are
    /// folded first. nil when the ID is neither or the date is not a plausible calendar date.
    public static func birthDate<C: Collection>(ofID id: C) -> [UInt8]? where C.Element == UInt8 {
        var folded: [UInt8] = []
        Normalise.append(id, to: &folded)
        var d: [UInt8] = []
        return appendBirthDate(folded: folded, to: &d) ? d : nil
    }

    /// `birthDate` of an ID already folded, appended to `out`; false (and `out` unchanged) when none.
    static func appendBirthDate(folded: [UInt8], to out: inout [UInt8]) -> Bool {
        let start = out.count
        switch folded.count {
        case 18:
            guard folded[0..<17].allSatisfy({ $0 &- 0x30 <= 9 }) else { return false }
            out += folded[6..<14]
        case 15:
            guard folded.allSatisfy({ $0 &- 0x30 <= 9 }) else { return false }
            out += [0x31, 0x39]
            out += folded[6..<12]
        default:
            return false
        }
        func number(_ r: Range<Int>) -> Int { out[(start + r.lowerBound)..<(start + r.upperBound)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let month = number(4..<6), day = number(6..<8)
        guard month >= 1, month <= 12, day >= 1, day <= ChinaTime.daysInMonth(number(0..<4), month) else {
            out.removeSubrange(start...)
            return false
        }
        return true
    }

    /// How names, schools and majors are compared (docs/near-duplicates.md): spaces removed
    /// anywhere (ASCII and U+3000: `王 伟` is `王伟`); full-width ASCII forms U+FF01–FF5E folded
    /// to ASCII (TextNormalizer folds digits, letters and `，`; here `（华东）` is also `(华东)`);
    /// ASCII letters lower-cased; the middle dots of minority names (`·` `•` `・` `･` `‧` `∙` `.`)
    /// all read as `·`.
    public enum Normalise {
        public static func append<C: Collection>(_ value: C, to out: inout [UInt8]) where C.Element == UInt8 {
            if let done: Void = value.withContiguousStorageIfAvailable({ append($0, to: &out) }) { return done }
            Array(value).withUnsafeBufferPointer { append($0, to: &out) }
        }

        /// One pass over the UTF-8 bytes, no allocation beyond `out` (a national month passes
        /// every row's three fields through here).
        public static func append(_ p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
            let n = p.count
            var i = 0
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    i += 1
                    if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
                    if b == 0x2E { out += [0xC2, 0xB7]; continue }                     // . → ·
                    out.append(b &- 0x41 < 26 ? b | 0x20 : b)
                    continue
                }
                if b == 0xC2, i + 1 < n, p[i + 1] == 0xB7 { out += [0xC2, 0xB7]; i += 2; continue }
                if b & 0xF0 == 0xE0, i + 2 < n {
                    let b1 = p[i + 1], b2 = p[i + 2]
                    i += 3
                    if b == 0xE3, b1 == 0x80, b2 == 0x80 { continue }                  // U+3000
                    if (b == 0xE2 && b1 == 0x80 && (b2 == 0xA2 || b2 == 0xA7)) || (b == 0xE3 && b1 == 0x83 && b2 == 0xBB)
                        || (b == 0xEF && b1 == 0xBD && b2 == 0xA5) || (b == 0xE2 && b1 == 0x88 && b2 == 0x99) {
                        out += [0xC2, 0xB7]                                              // • ‧ ・ ･ ∙ → ·
                        continue
                    }
                    if b == 0xEF, b1 == 0xBC || b1 == 0xBD {
                        // U+FF01–FF5E (EF BC 81…BF, EF BD 80…9E) → U+0021–007E
                        let cp = 0xF000 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
                        if cp >= 0xFF01, cp <= 0xFF5E {
                            let a = UInt8(cp - 0xFEE0)
                            if a == 0x2E { out += [0xC2, 0xB7] } else { out.append(a &- 0x41 < 26 ? a | 0x20 : a) }
                            continue
                        }
                    }
                    out.append(b); out.append(b1); out.append(b2)
                    continue
                }
                out.append(b)
                i += 1
            }
        }

        public static func string(_ value: String) -> String {
            var out: [UInt8] = []
            append(value.utf8, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The matching key of a row: normalised 姓名, birth date, 毕业院校, 所学专业, separated by a
    /// byte no UTF-8 text holds (0xFF); nil when the ID encodes no birth date or a field is empty.
    static func key<C: Collection>(id: C, name: C, school: C, major: C) -> [UInt8]? where C.Element == UInt8 {
        var k: [UInt8] = [], folded: [UInt8] = []
        return key(into: &k, folded: &folded, id: id, name: name, school: school, major: major) ? k : nil
    }

    /// The same into `k` (replaced), with `folded` as scratch for the ID: two buffers reused
    /// for every row of a national month instead of four arrays a row.
    static func key<C: Collection>(into k: inout [UInt8], folded: inout [UInt8], id: C, name: C, school: C,
                                   major: C) -> Bool where C.Element == UInt8 {
        k.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true)
        Normalise.append(id, to: &folded)
        Normalise.append(name, to: &k)
        let nameEnd = k.count
        k.append(0xFF)
        guard appendBirthDate(folded: folded, to: &k) else { return false }
        k.append(0xFF)
        let schoolStart = k.count
        Normalise.append(school, to: &k)
        let schoolEnd = k.count
        k.append(0xFF)
        Normalise.append(major, to: &k)
        return nameEnd > 0 && schoolEnd > schoolStart && k.count > schoolEnd + 1
    }

    /// The identity of an ID for "different IDs": the ID as written, spaces and full-width
    /// digits folded, `x` upper-cased.
    static func idKey(_ id: String) -> String {
        var out: [UInt8] = []
        Normalise.append(id.utf8, to: &out)
        return String(decoding: out.map { $0 == 0x78 ? 0x58 : $0 }, as: UTF8.self)
    }

    /// Groups rows by the exact key; a group is kept when it holds two or more distinct IDs.
    /// The same ID twice (two submissions) counts once, its latest row kept. Groups are ordered by
    /// key (name, birth date, school, major in byte order), members by ID.
    public static func group(_ rows: [Row], scope: (Row) -> Bool = { _ in true },
                             unitName: (String) -> String = { _ in "" }) -> [Group] {
        var byKey: [[UInt8]: [String: Row]] = [:]
        for r in rows {
            guard let k = key(id: Array(r.citizenID.utf8), name: Array(r.name.utf8), school: Array(r.school.utf8),
                              major: Array(r.major.utf8)) else { continue }
            let id = idKey(r.citizenID)
            // The same ID twice: one member, the latest row (更新时间, then 登记单位) whatever the order read.
            if let seen = byKey[k]?[id], (seen.updatedAt, seen.registeringUnit) >= (r.updatedAt, r.registeringUnit) { continue }
            byKey[k, default: [:]][id] = r
        }
        var groups: [Group] = []
        for (k, members) in byKey where members.count >= 2 {
            let parts = k.split(separator: 0xFF, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            let b = Array(parts[1].utf8)
            let birth = String(decoding: b[0..<4], as: UTF8.self) + "-" + String(decoding: b[4..<6], as: UTF8.self) + "-"
                + String(decoding: b[6..<8], as: UTF8.self)
            let list = members.sorted { $0.key < $1.key }.map {
                Member(row: $0.value, unitName: unitName($0.value.registeringUnit), inScope: scope($0.value))
            }
            groups.append(Group(name: parts[0], birthDate: birth, school: parts[2], major: parts[3], members: list))
        }
        return groups
            .filter { $0.members.contains(where: \.inScope) }
            .sorted { ($0.name, $0.birthDate, $0.school, $0.major) < ($1.name, $1.birthDate, $1.school, $1.major) }
    }

    // MARK: From the database

    /// The candidates of `period` for the unit of `scope` (see the type's comment).
    public static func compute(_ db: Database, scope: AnalysisScope, period: Period) throws -> NearDuplicates {
        try compute(SQLiteSession(db), scope: scope, period: period)
    }

    /// The same on either engine (SQLite or PostgreSQL, through the engine seam).
    public static func compute(_ db: SQLSession, scope: AnalysisScope, period: Period) throws -> NearDuplicates {
        // The whole tree loaded (what covers the ministry), not only what covers the unit: a
        // county's graduate registered again in another province is found from either side.
        let whole = AnalysisScope(unit: UnitDirectory.ministry, directory: scope.directory)
        let current = try whole.covering(db, period: period.description).map(\.id)
        var result = NearDuplicates(unit: scope.unit, period: period.description, groups: [])
        guard !current.isEmpty else { return result }
        let submissions = AnalysisScope.list(current)

        // Pass 1: (hash of the key, ID) per row; the hashes held by two or more distinct IDs.
        var pairs: [(hash: UInt64, id: UInt64)] = []
        var k: [UInt8] = [], folded: [UInt8] = []
        k.reserveCapacity(128)
        folded.reserveCapacity(32)
        try db.scan("""
            SELECT citizen_id, name, school, major FROM person_version WHERE submission_id IN (\(submissions))
            """) { scan in
            let id = scan.bytes(0)
            guard key(into: &k, folded: &folded, id: id, name: scan.bytes(1), school: scan.bytes(2), major: scan.bytes(3))
            else { return }
            pairs.append((fnv1a(k), CitizenIDKey.parse(id) ?? (fnv1a(id) | 1 << 63)))
        }
        pairs.sort { ($0.hash, $0.id) < ($1.hash, $1.id) }
        var candidates = Set<UInt64>()
        var i = 0
        while i < pairs.count {
            var j = i + 1
            var distinct = false
            while j < pairs.count, pairs[j].hash == pairs[i].hash {
                if pairs[j].id != pairs[i].id { distinct = true }
                j += 1
            }
            if distinct { for p in pairs[i..<j] { candidates.insert(p.id) } }
            i = j
        }
        pairs = []
        guard !candidates.isEmpty else { return result }

        // Pass 2: those IDs' rows in full, grouped by the exact key.
        var rows: [Row] = []
        try db.scan("""
            SELECT citizen_id, name, school, major, sex, education, graduation_date, updated_at, registering_unit
            FROM person_version WHERE submission_id IN (\(submissions))
            """) { full in
            let id = full.bytes(0)
            guard candidates.contains(CitizenIDKey.parse(id) ?? (fnv1a(id) | 1 << 63)) else { return }
            rows.append(Row(citizenID: full.string(0), name: full.string(1), school: full.string(2), major: full.string(3),
                            sex: full.string(4), education: full.string(5), graduationDate: full.string(6),
                            updatedAt: full.string(7), registeringUnit: full.string(8)))
        }
        let directory = scope.directory, unit = scope.unit
        result.groups = group(rows, scope: { directory.isInSubtree($0.registeringUnit, of: unit) },
                              unitName: { directory.name(of: $0) })
        return result
    }

    /// FNV-1a, 64 bits: a fixed hash (the same in every process), enough to narrow the rows.
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    // MARK: For people

    /// The worklist's columns: one row per ID, its group's number and size first.
    public static let columns = ["组号", "组内人数", "姓名", "出生日期", "毕业院校", "所学专业", "公民身份号码", "性别", "学历",
                                 "毕业日期", "登记单位", "单位名称", "更新时间", "本单位登记"]

    /// The rows of the worklist. IDs registered under the unit are shown in full (the office acts
    /// on them), others masked in the middle; `maskAll` masks every ID (reports).
    public func tableRows(maskAll: Bool) -> [[String]] {
        var out: [[String]] = []
        for (n, g) in groups.enumerated() {
            for m in g.members {
                let id = maskAll || !m.inScope ? IDMask.mask(m.row.citizenID) : m.row.citizenID
                out.append([String(n + 1), String(g.members.count), g.name, g.birthDate, g.school, g.major, id, m.row.sex,
                            m.row.education, m.row.graduationDate, m.row.registeringUnit, m.unitName, m.row.updatedAt,
                            m.inScope ? "是" : "否"])
            }
        }
        return out
    }

    /// The worklist as a stats table (`near_duplicates.csv`, sheet 疑似重复登记).
    public var table: StatsTables.Table {
        StatsTables.Table(name: "near_duplicates", title: "疑似重复登记", header: Self.columns, rows: tableRows(maskAll: false),
                          numeric: [0, 1])
    }
}

extension NearDuplicates {
    /// The same groups with the IDs of members outside the unit masked (what `stats` hands out).
    public var forUnit: NearDuplicates {
        var copy = self
        for g in copy.groups.indices {
            for m in copy.groups[g].members.indices where !copy.groups[g].members[m].inScope {
                copy.groups[g].members[m].row.citizenID = IDMask.mask(copy.groups[g].members[m].row.citizenID)
            }
        }
        return copy
    }

    /// `stats --out DIR`: `near_duplicates.csv` (a CSV for people, SPEC 8.3) and, with `json`,
    /// `near_duplicates.json` (keys sorted). Returns the paths written.
    @discardableResult
    public func write(to dir: String, json: Bool) throws -> [String] {
        try SecureFiles.makeDirectory(dir)
        var written = [dir + "/near_duplicates.csv"]
        try SecureFiles.write(table.peopleCSV, to: written[0])
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            written.append(dir + "/near_duplicates.json")
            try SecureFiles.write(String(decoding: try encoder.encode(forUnit), as: UTF8.self) + "\n", to: written[1])
        }
        return written
    }
}
