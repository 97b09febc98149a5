/// A value whose keys stand in the object that holds it, not under a key of their own (like
/// serde's `#[serde(flatten)]`): the six line counts stand in each manifest input and in the
/// accounting (SPEC 3.2) but are declared once (`Manifest.LineCounts`). Only the manifest coders
/// below know it.
public protocol FlattenedCodable: Codable {}

/// `Codable` to and from `JSONValue`, for the manifest (SPEC 3.2).
///
/// The encoder keeps keys in the order they are encoded (a synthesized `encode(to:)` encodes
/// properties in declaration order), which Foundation's `JSONEncoder` does not promise; the text
/// is then written by `JSONValue.serialized()`. Only what a manifest holds is supported: strings,
/// integers, booleans, arrays and objects.
///
/// The decoder is lenient the way reading a child's manifest always was (`m["unit"]?.stringValue`):
/// `decodeIfPresent` gives nil for a missing key, a null, or a value of another type, so a
/// manifest with all-optional fields decodes from any JSON object.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = Node()
        try value.encode(to: NodeEncoder(node: node, codingPath: []))
        return node.value
    }

    final class Node {
        enum Content { case unset, value(JSONValue), object([(String, Node)]), array([Node]) }
        var content = Content.unset

        var value: JSONValue {
            switch content {
            case .unset: .null
            case .value(let v): v
            case .object(let pairs): .object(pairs.map { ($0.0, $0.1.value) })
            case .array(let items): .array(items.map(\.value))
            }
        }

        /// Where each key of an object stands (a manifest's `byFinder` has ~3,000 keys: a scan per
        /// key made encoding it quadratic).
        private var keyIndex: [String: Int] = [:]

        func child(key: String) -> Node {
            let n = Node()
            var pairs: [(String, Node)] = []
            if case .object(let p) = content, !p.isEmpty { pairs = p } else { keyIndex = [:] }
            content = .unset  // `pairs` is then the array's only owner: appending does not copy it
            if let i = keyIndex[key] {
                pairs[i].1 = n
            } else {
                keyIndex[key] = pairs.count
                pairs.append((key, n))
            }
            content = .object(pairs)
            return n
        }

        func appended() -> Node {
            let n = Node()
            var items: [Node] = []
            if case .array(let a) = content { items = a }
            content = .unset
            items.append(n)
            content = .array(items)
            return n
        }
    }

    static func unsupported(_ value: Any, _ path: [any CodingKey]) -> EncodingError {
        .invalidValue(value, .init(codingPath: path, debugDescription: "a manifest holds strings, integers and booleans only"))
    }

    struct NodeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.content {} else { node.content = .object([]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.content {} else { node.content = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]
        mutating func encodeNil() throws { node.content = .value(.null) }
        /// The one witness of every `encode` requirement (a generic method satisfies them all):
        /// strings, booleans and integers become values, anything else encodes itself.
        mutating func encode<T: Encodable>(_ value: T) throws {
            switch value {
            case let v as String: node.content = .value(.string(v))
            case let v as Bool: node.content = .value(.bool(v))
            case let v as any BinaryInteger:
                guard let i = Int(exactly: v) else { throw unsupported(value, codingPath) }
                node.content = .value(.int(i))
            case is Double, is Float: throw unsupported(value, codingPath)
            default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
            }
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.child(key: key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if value is any FlattenedCodable { return try value.encode(to: NodeEncoder(node: node, codingPath: codingPath)) }
            var single = Single(node: node.child(key: key.stringValue), codingPath: codingPath + [key])
            try single.encode(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.child(key: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.child(key: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.child(key: "super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(node: node.child(key: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]
        var count: Int { if case .array(let a) = node.content { a.count } else { 0 } }

        mutating func encodeNil() throws { node.appended().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            var single = Single(node: node.appended(), codingPath: codingPath)
            try single.encode(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.appended(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.appended(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appended(), codingPath: codingPath) }
    }
}

public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: []))
    }

    static func mismatch(_ type: Any.Type, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "not a \(type)"))
    }

    struct ValueDecoder: Decoder, SingleValueDecodingContainer {
        let value: JSONValue
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let pairs) = value else { throw mismatch([String: Any].self, codingPath) }
            return KeyedDecodingContainer(Keyed<Key>(pairs: pairs, codingPath: codingPath))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let items) = value else { throw mismatch([Any].self, codingPath) }
            return Unkeyed(items: items, codingPath: codingPath)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { if case .null = value { true } else { false } }

        /// The one witness of every `decode` requirement (a generic method satisfies them all):
        /// strings, booleans and integers (in range) from values, anything else decodes itself.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            switch (value, type) {
            case (.string(let s), is String.Type): return s as! T
            case (.bool(let b), is Bool.Type): return b as! T
            case (.int(let i), let integer as any FixedWidthInteger.Type):
                guard let v = Self.exactly(integer, i) else { throw mismatch(type, codingPath) }
                return v as! T
            case (_, is String.Type), (_, is Bool.Type), (_, is any FixedWidthInteger.Type), (_, is Double.Type), (_, is Float.Type):
                throw mismatch(type, codingPath)
            default:
                return try T(from: self)
            }
        }

        private static func exactly<I: FixedWidthInteger>(_: I.Type, _ i: Int) -> I? { I(exactly: i) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let pairs: [(String, JSONValue)]
        var codingPath: [any CodingKey]
        /// Where each key first stands, for a large object: a manifest's `findings.byFinder` names
        /// every unit that found something (about 3,000 at the ministry), and a scan per key made
        /// decoding it quadratic. Small objects are scanned.
        private let index: [String: Int]?

        init(pairs: [(String, JSONValue)], codingPath: [any CodingKey]) {
            self.pairs = pairs
            self.codingPath = codingPath
            index = pairs.count > 16
                ? Dictionary(pairs.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { first, _ in first })
                : nil
        }

        private func position(_ key: Key) -> Int? {
            if let index { return index[key.stringValue] }
            return pairs.firstIndex { $0.0 == key.stringValue }
        }

        var allKeys: [Key] { pairs.compactMap { Key(stringValue: $0.0) } }
        func contains(_ key: Key) -> Bool { position(key) != nil }

        func value(_ key: Key) throws -> ValueDecoder {
            guard let v = position(key).map({ pairs[$0].1 }) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
            }
            return ValueDecoder(value: v, codingPath: codingPath + [key])
        }

        func decodeNil(forKey key: Key) throws -> Bool { try value(key).decodeNil() }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            if type is any FlattenedCodable.Type { return try T(from: ValueDecoder(value: .object(pairs), codingPath: codingPath)) }
            return try value(key).decode(type)
        }

        // Lenient: missing, null or of another type reads as nil.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try? decode(type, forKey: key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try? decode(type, forKey: key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try? decode(type, forKey: key) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try? decode(type, forKey: key) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try value(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try value(key).unkeyedContainer() }
        func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(pairs), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [JSONValue]
        var codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [JSONValue], codingPath: [any CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        mutating func next() throws -> ValueDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "at end"))
            }
            defer { currentIndex += 1 }
            return ValueDecoder(value: items[currentIndex], codingPath: codingPath)
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .null = items[currentIndex] else { return false }
            currentIndex += 1
            return true
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }
}
