import HuizongCore

/// The hierarchy as the analysis sees it: which unit is whose parent, at what level, by what
/// name. Built from `pipeline.json` when given (authoritative), from what the loaded manifests
/// said (a manifest names its unit and level and its expected children), and otherwise from the
/// GB/T 2260 shape of the code: a county `xxyyzz` lies under the city `xxyy00`, a city under the
/// province `xx0000`, a province under the ministry `000000`. Units without GB/T 2260 codes
/// (新疆生产建设兵团 and its divisions) need the config to be placed right.
public struct UnitDirectory: Sendable {
    public struct Unit: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        public var level: String
        public var parent: String?
    }

    public static let ministry = "000000"
    public private(set) var units: [String: Unit] = [:]

    public init() {}

    public init(units: [Unit]) {
        for u in units { self.units[u.code] = u }
    }

    public mutating func add(_ unit: Unit) {
        units[unit.code] = unit
    }

    /// Adds what is not known yet (manifest information never overrides the config's).
    public mutating func addIfMissing(_ unit: Unit) {
        if var known = units[unit.code] {
            if known.name.isEmpty { known.name = unit.name }
            if known.level.isEmpty { known.level = unit.level }
            if known.parent == nil { known.parent = unit.parent }
            units[unit.code] = known
        } else {
            units[unit.code] = unit
        }
    }

    /// How reports and workbooks name a unit: `北京市（110000）`, or the bare code without a name.
    public static func label(_ code: String, name: String) -> String {
        name.isEmpty ? code : "\(name)（\(code)）"
    }

    public func name(of code: String) -> String {
        if let n = units[code]?.name, !n.isEmpty { return n }
        return ""
    }

    /// The level by code shape: 000000 ministry, xx0000 province, xxyy00 city, else county.
    public static func levelByCode(_ code: String) -> String {
        if code == ministry { return "ministry" }
        if code.hasSuffix("0000") { return "province" }
        if code.hasSuffix("00") { return "city" }
        return "county"
    }

    public static func parentByCode(_ code: String) -> String? {
        guard code.count == 6, code != ministry else { return nil }
        if code.hasSuffix("0000") { return ministry }
        if code.hasSuffix("00") { return String(code.prefix(2)) + "0000" }
        return String(code.prefix(4)) + "00"
    }

    public func level(of code: String) -> String {
        if let l = units[code]?.level, !l.isEmpty { return l }
        return Self.levelByCode(code)
    }

    /// 0 ministry, 1 province, 2 city, 3 county: the deeper, the lower the level.
    public func depth(of code: String) -> Int {
        switch level(of: code) {
        case "ministry": 0
        case "province": 1
        case "city": 2
        case "county": 3
        default: 3
        }
    }

    public func parent(of code: String) -> String? {
        units[code]?.parent ?? Self.parentByCode(code)
    }

    /// `code` and its ancestors, nearest first (cycles are cut).
    public func chain(of code: String) -> [String] {
        var out = [code]
        var seen: Set<String> = [code]
        var c = code
        while let p = parent(of: c), seen.insert(p).inserted, out.count < 16 {
            out.append(p)
            c = p
        }
        return out
    }

    /// Whether `code` is `root` or lies under it.
    public func isInSubtree(_ code: String, of root: String) -> Bool {
        if root == Self.ministry { return true }
        return chain(of: code).contains(root)
    }

    /// The child of `root` on the way down to `code` (`code` itself when `root` is its parent);
    /// nil when `code` is `root` or not under it.
    public func child(of root: String, toward code: String) -> String? {
        let c = chain(of: code)
        if let i = c.firstIndex(of: root) {
            return i > 0 ? c[i - 1] : nil
        }
        if root == Self.ministry { return c.last }
        return nil
    }

    /// The units of a pipeline.json (SPEC 3.4), read by the core's `PipelineConfig`.
    public init(config: PipelineConfig) {
        for u in config.units.values {
            units[u.code] = Unit(code: u.code, name: u.name, level: u.level.rawValue, parent: u.parent)
        }
    }
}
