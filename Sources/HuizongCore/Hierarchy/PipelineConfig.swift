import Foundation

/// `pipeline.json` (SPEC 3.4): the hierarchy of units and the reporting calendar.
public struct PipelineConfig: Sendable {
    public enum Level: String, Sendable, CaseIterable {
        case ministry, province, city, county
    }

    public struct Unit: Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: Level
        public var parent: String?
        /// `publicKey` (SPEC 8.4): the unit's Ed25519 public key(s), base64; two while a key is
        /// being replaced (either verifies). Empty: the unit's submissions are not signature-checked.
        public var publicKeys: [String] = []
    }

    public struct ConfigError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public var cohort: Int
    /// Inclusive yyyymmdd.
    public var graduationWindow: ClosedRange<Int>
    public var firstPeriod: Period?
    public var lastPeriod: Period?
    /// deadlineDay per sending child's level (a level left out uses 5).
    public var deadlineDays: [Level: Int]
    public var inboxTemplate: String
    public var outboxTemplate: String
    public private(set) var units: [String: Unit]
    private var childrenByParent: [String: [String]]

    public static func load(path: String) throws -> PipelineConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(message: "无法读取配置文件 cannot read configuration \(path)")
        }
        return try PipelineConfig(json: data, source: path)
    }

    public init(json data: Data, source: String = "pipeline.json") throws {
        func fail(_ s: String) -> ConfigError { ConfigError(message: "\(source): \(s)") }
        // SPEC 8.5: a key written twice (any object, any depth) is an error, never "last one
        // wins"; and the check is linear (ConfigJSONParser, not Foundation's parser).
        let parsed: Any
        do {
            parsed = try ConfigJSONParser.parse([UInt8](data))
        } catch {
            if error.isDuplicateKey {
                throw fail("键重复 duplicate key \"\(PrintableText.escaped(error.pathText))\": 同一对象中只能出现一次 a key may appear once per object")
            }
            throw fail("不是有效的JSON not valid JSON: \(PrintableText.escaped(error.description))")
        }
        guard let root = parsed as? [String: Any] else {
            throw fail("不是有效的JSON对象 not a JSON object")
        }
        cohort = (root["cohort"] as? Int) ?? 2012
        // A year of four digits, as in periods (YYYY-MM); a larger number overflowed the window's
        // yyyymmdd arithmetic below and trapped (found while fuzzing pipeline.json).
        guard (1000...9999).contains(cohort) else { throw fail("cohort 须为四位年份 must be a four-digit year: \(cohort)") }
        var window = (cohort * 10000 + 101)...(cohort * 10000 + 1231)
        if let w = root["graduationWindow"] as? [String: Any] {
            guard let from = (w["from"] as? String).flatMap(Self.yyyymmdd),
                  let to = (w["to"] as? String).flatMap(Self.yyyymmdd), from <= to else {
                throw fail("graduationWindow 须为 {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"} must be two dates, from <= to")
            }
            window = from...to
        }
        graduationWindow = window
        deadlineDays = [:]
        let reporting = root["reporting"] as? [String: Any] ?? [:]
        firstPeriod = (reporting["firstPeriod"] as? String).flatMap(Period.init)
        lastPeriod = (reporting["lastPeriod"] as? String).flatMap(Period.init)
        if let d = reporting["deadlineDay"] {
            if let n = d as? Int {
                guard (1...28).contains(n) else { throw fail("deadlineDay 须为1–28 must be 1-28") }
                for l in Level.allCases { deadlineDays[l] = n }
            } else if let byLevel = d as? [String: Any] {
                for (k, v) in byLevel {
                    guard let l = Level(rawValue: k), let n = v as? Int, (1...28).contains(n) else {
                        throw fail("deadlineDay.\(k) 须为级别→1–28 must map a level to 1-28")
                    }
                    deadlineDays[l] = n
                }
            } else {
                throw fail("deadlineDay 须为数字或按级别的对象 must be a number or an object by level")
            }
        }
        let layout = root["layout"] as? [String: Any] ?? [:]
        inboxTemplate = layout["inbox"] as? String ?? "data/{unit}/inbox/{period}"
        outboxTemplate = layout["outbox"] as? String ?? "data/{unit}/outbox/{period}"
        for (key, t) in [("inbox", inboxTemplate), ("outbox", outboxTemplate)] {
            if let problem = Self.templateProblem(t) { throw fail("layout.\(key) \"\(t)\": \(problem)") }
        }
        if inboxTemplate == outboxTemplate { throw fail("layout.inbox 与 layout.outbox 相同 inbox and outbox must differ") }
        // SPEC 8.5: the run swaps its outbox away; an outbox that can be an inbox, or a folder
        // above one, would take a unit's inbox with it.
        if LayoutPath(template: outboxTemplate).canBeOrContain(LayoutPath(template: inboxTemplate)) {
            throw fail("layout.outbox \"\(outboxTemplate)\" 可能就是收件箱或其上级目录 can resolve to an inbox (\"\(inboxTemplate)\") or a folder holding one; the run would swap the inbox away")
        }

        guard let list = root["units"] as? [[String: Any]], !list.isEmpty else {
            throw fail("缺少units列表 missing the units list")
        }
        units = [:]
        childrenByParent = [:]
        for (i, u) in list.enumerated() {
            guard let code = u["code"] as? String else { throw fail("units[\(i)]: 缺少code missing code") }
            guard UnitCode(code) != nil else {
                throw fail("单位 unit \(code): 代码须为6位数字 code must be 6 digits")
            }
            guard units[code] == nil else { throw fail("单位 unit \(code): 代码重复 duplicate code") }
            guard let levelText = u["level"] as? String, let level = Level(rawValue: levelText) else {
                throw fail("单位 unit \(code): level 须为 ministry|province|city|county")
            }
            let parent = u["parent"] as? String
            units[code] = Unit(code: code, name: u["name"] as? String ?? "", level: level, parent: parent,
                               publicKeys: try Self.publicKeys(u["publicKey"], unit: code, fail: fail))
        }
        for u in units.values.sorted(by: { $0.code < $1.code }) {
            if let p = u.parent {
                guard units[p] != nil else { throw fail("单位 unit \(u.code): 上级 parent \(p) 不存在 is not a unit") }
                childrenByParent[p, default: []].append(u.code)
            }
        }
        // Cycles in the parent chains, in linear time: each unit is walked once; a walk stops at
        // a unit already known to reach the root, and meeting its own walk again is a cycle.
        var state: [String: UInt8] = [:]  // 1 = on the current walk, 2 = reaches the root
        for code in units.keys.sorted() where state[code] == nil {
            var walk: [String] = []
            var cur: String? = code
            while let c = cur, state[c] != 2 {
                if state[c] == 1 { throw fail("单位 unit \(c): 上下级关系有环 the parent chain has a cycle") }
                state[c] = 1
                walk.append(c)
                cur = units[c]?.parent
            }
            for c in walk { state[c] = 2 }
        }
        // (Sorting in place while iterating `keys` copied the whole dictionary once per parent:
        // quadratic, 100,000 units took minutes.)
        childrenByParent = childrenByParent.mapValues { $0.sorted() }
    }

    /// `"publicKey": "<base64>"` or a list of one or two (SPEC 8.4); each a 32-byte Ed25519 key.
    static func publicKeys(_ value: Any?, unit code: String, fail: (String) -> ConfigError) throws -> [String] {
        guard let value else { return [] }
        let list: [Any] = (value as? [Any]) ?? [value]
        guard (1...2).contains(list.count) else {
            throw fail("单位 unit \(code): publicKey 须为一个公钥或两个（更换密钥期间） must be one key, or a list of two while a key is being replaced")
        }
        return try list.map { item in
            guard let text = item as? String, UnitKey.decodePublicKey(text) != nil else {
                throw fail("单位 unit \(code): publicKey 须为base64编码的32字节Ed25519公钥（aggregate keys new 输出） must be a base64 32-byte Ed25519 public key (as printed by aggregate keys new)")
            }
            return text.trimmingCharacters(in: .whitespaces)
        }
    }

    static func yyyymmdd(_ s: String) -> Int? {
        let p = s.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]),
              (1000...9999).contains(y), (1...12).contains(m), ChinaTime.isValidDate(y, m, d) else { return nil }
        return y * 10000 + m * 100 + d
    }

    static func templateProblem(_ t: String) -> String? {
        guard t.contains("{unit}") else { return "须含{unit} must contain {unit}" }
        guard t.contains("{period}") else { return "须含{period} must contain {period}" }
        let stripped = t.replacingOccurrences(of: "{unit}", with: "").replacingOccurrences(of: "{period}", with: "")
        if stripped.contains("{") || stripped.contains("}") { return "含未知占位符 has an unknown placeholder" }
        if t.split(separator: "/").contains("..") { return "不得含.. must not contain .." }
        return nil
    }

    public func unit(_ code: String) -> Unit? { units[code] }
    public func unit(_ code: UnitCode) -> Unit? { units[code.description] }

    /// Expected children: the units whose parent is `code`, sorted.
    public func children(of code: String) -> [String] { childrenByParent[code] ?? [] }

    /// Whether `code` is `ancestor` or lies under it.
    public func isAtOrUnder(_ code: String, _ ancestor: String) -> Bool {
        var cur: String? = code
        var steps = 0
        while let c = cur, steps < 64 {
            if c == ancestor { return true }
            cur = units[c]?.parent
            steps += 1
        }
        return false
    }

    /// The county codes at or under `code`.
    public func counties(atOrUnder code: String) -> Set<Int> {
        var out = Set<Int>()
        var stack = [code]
        while let c = stack.popLast() {
            if units[c]?.level == .county, let n = Int(c) { out.insert(n) }
            stack.append(contentsOf: children(of: c))
        }
        return out
    }

    public func deadlineDay(forChildLevel level: Level) -> Int { deadlineDays[level] ?? 5 }

    public func inbox(unit: String, period: Period) -> String { Self.fill(inboxTemplate, unit, period) }
    public func outbox(unit: String, period: Period) -> String { Self.fill(outboxTemplate, unit, period) }
    public func inbox(unit: UnitCode, period: Period) -> String { inbox(unit: unit.description, period: period) }
    public func outbox(unit: UnitCode, period: Period) -> String { outbox(unit: unit.description, period: period) }

    static func fill(_ t: String, _ unit: String, _ period: Period) -> String {
        t.replacingOccurrences(of: "{unit}", with: unit).replacingOccurrences(of: "{period}", with: period.description)
    }
}
