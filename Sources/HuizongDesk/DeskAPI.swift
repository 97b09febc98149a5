import Foundation
import HuizongCore

/// One HTTP request as the API sees it (the server has already checked the token and the size).
/// Built with the memberwise initializer (by the server's adapter and the tests: the desk is not
/// a library product).
public struct DeskRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String] = [:]
    public var body: [UInt8] = []
}

public struct DeskResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public static func json(_ status: Int, _ value: JSONValue) -> DeskResponse {
        DeskResponse(status: status, contentType: "application/json; charset=utf-8", body: Array(value.compact().utf8))
    }

    public static func error(_ status: Int, _ message: String) -> DeskResponse {
        json(status, .object([("error", .string(message))]))
    }

    /// The body as text (tests).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The JSON API of SPEC 9, independent of the HTTP server: method + path + body in, status +
/// JSON out. Bodies are objects keyed by the Chinese column names of SPEC 3.1.
public final class DeskAPI: Sendable {
    public let desk: Desk
    let page: [UInt8]

    public init(desk: Desk) {
        self.desk = desk
        let unitName = desk.config.unit(desk.unit)?.name ?? ""
        self.page = Array(DeskPage.html(unit: desk.unit, unitName: unitName).utf8)
    }

    public func handle(_ r: DeskRequest) -> DeskResponse {
        do {
            return try route(r)
        } catch {
            // Storage or file-system trouble: nothing was acknowledged.
            return .error(500, "服务台内部错误，本次操作未保存，请重试 internal error; nothing was saved, try again: \(error)")
        }
    }

    func route(_ r: DeskRequest) throws -> DeskResponse {
        let parts = r.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (r.method, parts.count) {
        case ("GET", 0):
            return DeskResponse(status: 200, contentType: "text/html; charset=utf-8", body: page)
        case (_, 0):
            return .error(405, "方法不允许 method not allowed")
        default: break
        }
        guard parts[0] == "api", parts.count >= 2 else { return .error(404, "无此页面 not found") }
        switch (r.method, parts[1], parts.count) {
        case ("POST", "check", 2): return try check(r)
        case ("POST", "registrations", 2): return try register(r)
        case ("GET", "people", 3): return try person(parts[2])
        case ("POST", "people", 4) where parts[3] == "followups": return try followUp(parts[2], r)
        case ("POST", "people", 4) where parts[3] == "services": return try service(parts[2], r)
        case ("GET", "due", 2): return try due(r)
        case ("POST", "batches", 2): return try batch()
        case ("GET", "batches", 2): return try batchList()
        case ("GET", "desk", 2): return try status()
        case (_, "check", 2), (_, "registrations", 2), (_, "people", 3), (_, "people", 4), (_, "due", 2), (_, "batches", 2), (_, "desk", 2):
            return .error(405, "方法不允许 method not allowed")
        default:
            return .error(404, "无此接口 not found")
        }
    }

    // MARK: Bodies

    struct BadRequest: Error { var message: String }

    /// The body as fields: a JSON object of strings keyed by column names (or their aliases).
    func fields(_ body: [UInt8], allowed: (Column) -> Bool) throws(BadRequest) -> DeskFields {
        guard case .object(let pairs)? = JSONValue.parse(Data(body)) else {
            throw BadRequest(message: "请求体须为JSON对象 body must be a JSON object keyed by column names")
        }
        var out: DeskFields = [:]
        for (k, v) in pairs {
            guard let c = FormFields.column(forKey: k), allowed(c) else {
                throw BadRequest(message: "未知或不可填写的字段 unknown or read-only field: \(k)")
            }
            guard case .string(let s) = v else {
                throw BadRequest(message: "字段值须为字符串 value must be a string: \(k)")
            }
            guard s.unicodeScalars.count <= 200 else {
                throw BadRequest(message: "字段值过长（最多200字） value too long (200 characters at most): \(k)")
            }
            out[c] = s
        }
        return out
    }

    static let entered = Set(FormCheck.enteredColumns)

    // MARK: Endpoints

    func check(_ r: DeskRequest) throws -> DeskResponse {
        let f: DeskFields
        do { f = try fields(r.body) { Self.entered.contains($0) || $0 == .updatedAt || $0 == .registeringUnit } } catch {
            return .error(400, error.message)
        }
        let result = desk.check(f)
        return .json(200, .object([("findings", Self.findings(result.findings)), ("record", Self.record(result.record))]))
    }

    func register(_ r: DeskRequest) throws -> DeskResponse {
        let f: DeskFields
        do { f = try fields(r.body) { Self.entered.contains($0) || $0 == .updatedAt || $0 == .registeringUnit } } catch {
            return .error(400, error.message)
        }
        switch try desk.register(f) {
        case .created(let c):
            return .json(201, .object([("record", Self.record(c.record)), ("findings", Self.findings(c.findings))]))
        case .rejected(let c):
            return .json(422, .object([("findings", Self.findings(c.findings))]))
        case .exists:
            let id = desk.check(f).idText
            return .json(409, .object([("error", .string("此身份证号已登记，请改为回访更新 this ID is already registered; record a follow-up instead")),
                                       ("公民身份号码", .string(id))]))
        case .notFound:
            return .error(404, "未找到 not found")
        }
    }

    /// The ID in a path, normalised (trimmed, x → X); nil unless `\d{17}[\dX]`.
    static func personID(_ raw: String) -> String? {
        let s = (raw.removingPercentEncoding ?? raw).trimmingCharacters(in: .whitespaces).uppercased()
        let b = Array(s.utf8)
        guard b.count == 18, b[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              (b[17] >= 0x30 && b[17] <= 0x39) || b[17] == 0x58 else { return nil }
        return s
    }

    static let unknownPerson = "未找到此人，请先登记 no such person; register them first"

    func person(_ rawID: String) throws -> DeskResponse {
        guard let id = Self.personID(rawID), let p = try desk.store.person(id) else { return .error(404, Self.unknownPerson) }
        let history: [JSONValue] = p.history.map { Self.record(FormCheck.fields(ofCanonicalLine: $0.line) ?? [:]) }
        let services: [JSONValue] = p.services.map(Self.service)
        return .json(200, .object([("record", history.last!), ("history", .array(history)), ("services", .array(services))]))
    }

    func followUp(_ rawID: String, _ r: DeskRequest) throws -> DeskResponse {
        guard let id = Self.personID(rawID) else { return .error(404, Self.unknownPerson) }
        var f: DeskFields
        do { f = try fields(r.body) { Self.entered.contains($0) } } catch { return .error(400, error.message) }
        if let given = f[.citizenID] {
            guard Self.personID(given) == id else {
                return .error(400, "回访不能更改身份证号 a follow-up cannot change the ID")
            }
            f[.citizenID] = nil
        }
        switch try desk.followUp(id, changes: f) {
        case .created(let c):
            return .json(201, .object([("record", Self.record(c.record)), ("findings", Self.findings(c.findings))]))
        case .rejected(let c):
            return .json(422, .object([("findings", Self.findings(c.findings))]))
        case .notFound, .exists:
            return .error(404, Self.unknownPerson)
        }
    }

    func service(_ rawID: String, _ r: DeskRequest) throws -> DeskResponse {
        guard let id = Self.personID(rawID) else { return .error(404, Self.unknownPerson) }
        guard case .object(let pairs)? = JSONValue.parse(Data(r.body)) else {
            return .error(400, "请求体须为JSON对象 body must be a JSON object {\"kind\", \"at\", \"note\"}")
        }
        var kind: String?, at: String?, note = ""
        for (k, v) in pairs {
            guard case .string(let s) = v else { return .error(400, "字段值须为字符串 value must be a string: \(k)") }
            switch k {
            case "kind": kind = s
            case "at": at = s
            case "note": note = s
            default: return .error(400, "未知字段 unknown field: \(k)")
            }
        }
        guard let kind else { return .error(422, "缺少服务类别kind kind is required (info, 1-9, A)") }
        switch try desk.addService(id, kind: kind, at: at, note: note) {
        case .created(let s): return .json(201, .object([("service", Self.service(s))]))
        case .invalid(let why): return .error(422, why)
        case .notFound: return .error(404, Self.unknownPerson)
        }
    }

    func due(_ r: DeskRequest) throws -> DeskResponse {
        var period = desk.clock.period()
        if let p = r.query["period"] {
            guard let v = Period(p) else { return .error(400, "period须为YYYY-MM period must be YYYY-MM") }
            period = v
        }
        let entries = try desk.due(period: period).map { e -> JSONValue in
            .object([("公民身份号码", .string(e.id)), ("姓名", .string(e.name)), ("困难状况", .string(e.hardship)),
                     ("手机号码", .string(e.mobile)), ("固定电话", .string(e.landline)),
                     ("hardship", .bool(e.isHardshipCase)), ("count", .int(e.contacts))])
        }
        return .json(200, .object([("period", .string(period.description)), ("due", .array(entries))]))
    }

    func batch() throws -> DeskResponse {
        let (file, rows) = try desk.closeBatch()
        return .json(file == nil ? 200 : 201, .object([("file", file.map(JSONValue.string) ?? .null), ("rows", .int(rows))]))
    }

    func batchList() throws -> DeskResponse {
        let list = try desk.store.batches().map { b -> JSONValue in
            .object([("file", .string(b.name)), ("period", .string(b.period)), ("rows", .int(b.rows)), ("state", .string(b.state))])
        }
        return .json(200, .object([("batches", .array(list)), ("pending", .int(try desk.store.pendingCount()))]))
    }

    func status() throws -> DeskResponse {
        let now = desk.clock.now()
        return .json(200, .object([
            ("unit", .string(desk.unit)), ("unitName", .string(desk.config.unit(desk.unit)?.name ?? "")),
            ("now", .string(ChinaTime.format(now))), ("period", .string(DeskClock.period(of: now).description)),
            ("pending", .int(try desk.store.pendingCount())),
        ]))
    }

    // MARK: JSON shapes

    static func record(_ r: DeskFields) -> JSONValue {
        .object(Column.allCases.dropFirst().map { ($0.canonicalName, .string(r[$0] ?? "")) })
    }

    static func findings(_ fs: [Finding]) -> JSONValue {
        .array(fs.map { f in
            .object([("字段", .string(f.fieldLabel)), ("规则", .string(f.rule.rawValue)),
                     ("级别", .string(f.severity.rawValue)), ("说明", .string(f.message))])
        })
    }

    static func service(_ s: DeskStore.Service) -> JSONValue {
        .object([("kind", .string(s.kind)), ("at", .string(ChinaTime.format(s.at))), ("note", .string(s.note))])
    }
}

extension JSONValue {
    /// Compact JSON (no spaces or line breaks), for API replies.
    public func compact() -> String {
        var out = ""
        writeCompact(&out)
        return out
    }

    private func writeCompact(_ out: inout String) {
        switch self {
        case .string(let s): JSONValue.quote(s, into: &out, scriptSafe: true)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.writeCompact(&out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(k, into: &out, scriptSafe: true)
                out += ":"
                v.writeCompact(&out)
            }
            out += "}"
        }
    }
}
