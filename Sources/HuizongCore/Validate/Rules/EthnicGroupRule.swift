/// 民族 — `ETHNIC_INVALID` (reject).
///
/// SPEC 5: "民族 | one of GB/T 3304's 56 groups, `其他`, `外国血统中国籍人士`; name with or without
/// 族, or the 2-digit code → full name; the old names 崩龙族 → 德昂族, 毛难族 → 毛南族 | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
///
/// The table itself (names, codes, old names) lives in `EthnicGroups`; this rule hands it the
/// normalised cell (full-width digits already folded, so `０１` is `01`).
///
/// Hot path: `EthnicGroups.canonicalName(for:)` takes a `String` (a UTF-8 validation and a
/// Unicode-normalising hash per row), so the spellings it accepts — enumerated once from
/// `EthnicGroups.all` and each confirmed by `canonicalName(for:)` itself — are cached in a small
/// byte-keyed hash table. A cell not in the cache still goes to `canonicalName(for:)`, so the
/// answer is always the table's.
enum EthnicGroupRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let ethnicInvalid = RuleCode.Definition("ETHNIC_INVALID", .reject, .field(.ethnicGroup), chinese: "民族须为GB/T 3304民族名称或代码", english: "ethnic group must be a GB/T 3304 name or code")

    /// The canonical name's UTF-8 bytes, or nil when the rule is broken. Calls `body` with them.
    static func withCanonical<R>(_ p: UnsafeBufferPointer<UInt8>,
                                 _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        if let hit = cache.lookup(p) {
            return cache.pool.withUnsafeBufferPointer { body($0.slice(hit)) }
        }
        guard var name = EthnicGroups.canonicalName(for: String(decoding: p, as: UTF8.self)) else {
            return body(nil)
        }
        return name.withUTF8 { body($0) }
    }

    /// Byte-keyed open-addressing table: accepted spelling → canonical name.
    struct Cache: Sendable {
        static let slotCount = 1024 // power of two, > 4× the number of spellings
        /// Every key's and name's bytes back to back.
        var pool: [UInt8] = []
        /// Per slot: index into `entries` + 1, 0 = empty.
        var slots = [Int32](repeating: 0, count: slotCount)
        var entries: [(key: Range<Int>, name: Range<Int>)] = []

        static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
            var h: UInt32 = 2_166_136_261 // FNV-1a
            for b in p { h = (h ^ UInt32(b)) &* 16_777_619 }
            return Int(h & UInt32(slotCount - 1))
        }

        init() {
            var spellings: [String] = []
            for g in EthnicGroups.all {
                spellings.append(g.code)
                for name in [g.name] + g.formerNames {
                    spellings.append(name)
                    if name.hasSuffix("族") { spellings.append(String(name.dropLast())) }
                }
            }
            for s in spellings {
                guard let name = EthnicGroups.canonicalName(for: s) else { continue }
                let key = Array(s.utf8)
                guard !key.isEmpty, entries.count < Self.slotCount / 4,
                      key.withUnsafeBufferPointer({ lookup($0) }) == nil else { continue }
                let k = pool.count..<(pool.count + key.count)
                pool.append(contentsOf: key)
                let n = pool.count..<(pool.count + name.utf8.count)
                pool.append(contentsOf: name.utf8)
                entries.append((k, n))
                var slot = key.withUnsafeBufferPointer { Self.hash($0) }
                while slots[slot] != 0 { slot = (slot + 1) & (Self.slotCount - 1) }
                slots[slot] = Int32(entries.count)
            }
        }

        /// The range of the canonical name in `pool`, or nil when `p` is not cached.
        func lookup(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
            var slot = Self.hash(p)
            while true {
                let e = Int(slots[slot])
                if e == 0 { return nil }
                let entry = entries[e - 1]
                let matches = pool.withUnsafeBufferPointer { pool in
                    let key = pool.slice(entry.key)
                    guard key.count == p.count else { return false }
                    for i in 0..<key.count where key[i] != p[i] { return false }
                    return true
                }
                if matches { return entry.name }
                slot = (slot + 1) & (Self.slotCount - 1)
            }
        }
    }

    static let cache = Cache()
}

extension EthnicGroupRule {
    /// 民族 in the record: the canonical full name (`withCanonical`, looked up before the line
    /// is sized), or the invalid cell.
    static func apply(_ row: inout CanonicalRow, cell: UnsafeBufferPointer<UInt8>,
                      canonical: UnsafeBufferPointer<UInt8>?) {
        row.begin(.ethnicGroup)
        if let canonical {
            row.line.appendCSV(canonical)
        } else {
            row.keepInvalid(cell, .ethnicInvalid, .ethnicGroup)
        }
    }
}

extension RuleCode {
    /// 民族 is not a GB/T 3304 name (with or without 族), code or old name.
    public static let ethnicInvalid = RuleCode(EthnicGroupRule.ethnicInvalid)
}
