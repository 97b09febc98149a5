import Foundation

/// `pipeline.json` parsed in one pass over its bytes into native Swift values — `[String: Any]`,
/// `[Any]`, `String`, `Int` (integers that fit), `Double`, `Bool`, `NSNull` — the shapes
/// `JSONSerialization` gives, so the configuration code reads either. Two reasons (SPEC 8.5):
/// a key written twice in one object is an error (named with its path, `units[3].code`), never
/// "last one wins"; and checking a configuration is linear and quick: Foundation's parser on Linux
/// took about 2.5 s and 330 MB for 100,000 units. Nesting deeper than 256 is refused (no stack
/// exhaustion on hostile input).
public enum ConfigJSONParser {
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        /// Where: components from the root (`units`, `[3]`, `code`).
        public var path: [String] = []
        public var pathText: String {
            var out = ""
            for c in path { out += c.hasPrefix("[") || out.isEmpty ? c : "." + c }
            return out
        }
        public var description: String { path.isEmpty ? message : "\(pathText): \(message)" }
        /// A key written twice in one object (`path` ends with the key); every other failure is
        /// text that is not JSON.
        public var isDuplicateKey = false
    }

    public static let maxDepth = 256

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> Any {
        var p = Parser(bytes: bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw p.fail("JSON值之后还有内容 text after the JSON value") }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ what: String) -> Failure {
            Failure(message: "第\(i)字节 at byte \(i): \(what)")
        }

        mutating func skipSpace() {
            while i < bytes.count {
                let b = bytes[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }

        mutating func literal(_ word: String, _ value: Any) throws(Failure) -> Any {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, bytes[i..<(i + w.count)].elementsEqual(w) else { throw fail("无效的值 invalid value") }
            i += w.count
            return value
        }

        mutating func value(depth: Int) throws(Failure) -> Any {
            guard depth < ConfigJSONParser.maxDepth else { throw fail("嵌套过深 nested too deeply") }
            guard i < bytes.count else { throw fail("意外结束 unexpected end") }
            switch bytes[i] {
            case 0x7B: return try object(depth: depth)
            case 0x5B: return try array(depth: depth)
            case 0x22: return try string()
            case 0x74: return try literal("true", true)
            case 0x66: return try literal("false", false)
            case 0x6E: return try literal("null", NSNull())
            default: return try number()
            }
        }

        mutating func object(depth: Int) throws(Failure) -> [String: Any] {
            i += 1
            var out: [String: Any] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return out }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x22 else { throw fail("缺少键 expected a key") }
                let key = try string()
                // Before the value: a duplicate is named even when its value would fail too.
                if out[key] != nil { throw Failure(message: "键重复 duplicate key", path: [key], isDuplicateKey: true) }
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3A else { throw fail("缺少冒号 expected ':'") }
                i += 1
                skipSpace()
                let v: Any
                do { v = try value(depth: depth + 1) } catch {
                    throw Failure(message: error.message, path: [key] + error.path, isDuplicateKey: error.isDuplicateKey)
                }
                out[key] = v
                skipSpace()
                guard i < bytes.count else { throw fail("意外结束 unexpected end") }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; return out }
                throw fail("缺少逗号或} expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> [Any] {
            i += 1
            var out: [Any] = []
            skipSpace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return out }
            while true {
                skipSpace()
                do { out.append(try value(depth: depth + 1)) } catch {
                    throw Failure(message: error.message, path: ["[\(out.count)]"] + error.path, isDuplicateKey: error.isDuplicateKey)
                }
                skipSpace()
                guard i < bytes.count else { throw fail("意外结束 unexpected end") }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; return out }
                throw fail("缺少逗号或] expected ',' or ']'")
            }
        }

        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                guard let d = HexDigit.value(bytes[k]) else { return nil }
                v = v << 4 | d
            }
            return v
        }

        mutating func string() throws(Failure) -> String {
            i += 1
            let start = i
            // Fast path: no escape.
            while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count else { throw fail("字符串未结束 unterminated string") }
            if bytes[i] == 0x22 {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                i += 1
                return s
            }
            var out = Array(bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
                guard b >= 0x20 else { throw fail("字符串中有控制字符 control character in a string") }
                guard b == 0x5C else { out.append(b); i += 1; continue }
                guard i + 1 < bytes.count else { break }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var v = hex4(i) else { throw fail("无效的\\u转义 invalid \\u escape") }
                    i += 4
                    if (0xD800...0xDBFF).contains(v), i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75,
                       let lo = hex4(i + 2), (0xDC00...0xDFFF).contains(lo) {
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                        i += 6
                    }
                    let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw fail("无效的转义 invalid escape")
                }
            }
            throw fail("字符串未结束 unterminated string")
        }

        mutating func number() throws(Failure) -> Any {
            let start = i
            if i < bytes.count, bytes[i] == 0x2D { i += 1 }
            let digitsStart = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > digitsStart else { throw fail("无效的值 invalid value") }
            var integral = true
            if i < bytes.count, bytes[i] == 0x2E {
                integral = false
                i += 1
                let f = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > f else { throw fail("无效的数字 invalid number") }
            }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
                integral = false
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
                let e = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > e else { throw fail("无效的数字 invalid number") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if integral, let n = Int(text) { return n }
            guard let d = Double(text) else { throw fail("无效的数字 invalid number") }
            return d
        }
    }
}

/// Finds a key written twice in one JSON object, at any depth (SPEC 8.5: parsers disagree on
/// which of two values counts — Foundation's keeps the last — so a child's manifest with a
/// duplicate key is refused). The same parser as `pipeline.json`'s, so both read a duplicate
/// alike; text that is not valid JSON is left to the caller's own parser (no duplicate then).
public enum JSONDuplicateKeys {
    /// The first duplicate key as a path (`layout`, `units[3].code`), or nil.
    public static func first(in bytes: [UInt8]) -> String? {
        do {
            _ = try ConfigJSONParser.parse(bytes)
            return nil
        } catch {
            return error.isDuplicateKey ? error.pathText : nil
        }
    }
}
