/// A small JSON value with ordered object keys, written deterministically (the manifest is read
/// by people and diffed by machines). Parsing of others' manifests uses Foundation.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var intValue: Int? { if case .int(let i) = self { i } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    public func serialized(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        let closePad = String(repeating: " ", count: indent)
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy({ if case .string = $0 { true } else if case .int = $0 { true } else { false } }) {
                out += "["
                for (i, v) in items.enumerated() {
                    if i > 0 { out += ", " }
                    v.write(to: &out, indent: indent + 2)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, v) in items.enumerated() {
                out += pad
                v.write(to: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += pad
                Self.quote(k, into: &out)
                out += ": "
                v.write(to: &out, indent: indent + 2)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        }
    }

    /// `s` as a JSON string literal (the CLI's JSON log lines use it too).
    public static func quoted(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    /// `scriptSafe` (the desk's API replies, read inside a page) also escapes `<`, `>`, `&`,
    /// U+2028 and U+2029, so a value can never close a script block; manifests leave it off.
    public static func quote(_ s: String, into out: inout String, scriptSafe: Bool = false) {
        out += "\""
        out.appendEscaping(s) { u in
            switch u {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case "<" where scriptSafe: "\\u003c"
            case ">" where scriptSafe: "\\u003e"
            case "&" where scriptSafe: "\\u0026"
            default:
                u.value < 0x20 || (scriptSafe && (u.value == 0x2028 || u.value == 0x2029)) ? unicodeEscape(u) : nil
            }
        }
        out += "\""
    }

    /// `\uXXXX` (four lowercase hex digits) for a scalar below U+10000.
    static func unicodeEscape(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

import Foundation

extension JSONValue {
    /// Parses JSON text (Foundation's parser; object key order is not kept).
    public static func parse(_ data: Data) -> JSONValue? {
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return from(any)
    }

    static func from(_ any: Any) -> JSONValue? {
        switch any {
        case let s as String: return .string(s)
        case let b as Bool where type(of: any) == Bool.self: return .bool(b)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            return .int(n.intValue)
        case let a as [Any]: return .array(a.compactMap(from))
        case let d as [String: Any]:
            return .object(d.keys.sorted().compactMap { k in from(d[k]!).map { (k, $0) } })
        case is NSNull: return .null
        default: return nil
        }
    }
}
