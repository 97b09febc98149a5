import Foundation

/// `U-P.manifest.json` (SPEC 3.2): the one manifest type, written by the run, read back by the
/// parent's run, by `aggregate verify` and by the database loader.
///
/// Keys are declared in the order SPEC 3.2 shows them, which is the order they are written in
/// (`bytes()`: `JSONValueEncoder` keeps the order keys are encoded in, `JSONValue` writes the
/// text). Every key is optional because a manifest read is untrusted input: a missing key or a
/// value of the wrong type reads as nil (`JSONValueDecoder` is lenient), and each reader says what
/// it requires. The run always writes every key but `carriedFrom` (only when rows were carried).
/// The `signature` (SPEC 8.4) is not a field: it is spliced onto the written bytes
/// (`SubmissionSignature`), and unknown keys are ignored when reading. The run builds the nested
/// values with their memberwise initializers.
public struct Manifest: Codable, Sendable, Equatable {
    public static let formatName = "huizong-manifest/1"

    public var format: String?
    public var unit: String?
    public var unitName: String?
    public var level: String?
    public var period: String?
    public var asOf: String?
    public var tool: String?
    public var rules: String?
    public var inputs: [Input]?
    public var accounting: Accounting?
    public var children: Children?
    public var outputs: Outputs?
    public var findings: Findings?
    /// U's previous output, when rows were carried forward from it (SPEC 6).
    public var carriedFrom: String?

    /// One input file and what became of its lines.
    public struct Input: Codable, Sendable, Equatable {
        public var file: String?
        public var from: String?
        public var sha256: String?
        /// `read` or `rejected` (whole).
        public var status: String?
        public var lines: LineCounts
        /// The rule that rejected the file whole.
        public var rule: String?
        /// A county's own previous output, read first.
        public var baseTable: Bool?
        public var encoding: String?
        public var preamble: OrderedStrings?
    }

    /// What became of the lines read, in each input and summed over the files read in
    /// `accounting`: linesRead = blank + rejected + merged + superseded + duplicate. Its keys
    /// stand in the object that holds it (`FlattenedCodable`).
    public struct LineCounts: FlattenedCodable, Sendable, Equatable {
        public var linesRead: Int?
        public var blank: Int?
        public var rejected: Int?
        public var merged: Int?
        public var superseded: Int?
        public var duplicate: Int?

        public init(linesRead: Int?, blank: Int?, rejected: Int?, merged: Int?, superseded: Int?, duplicate: Int?) {
            (self.linesRead, self.blank, self.rejected) = (linesRead, blank, rejected)
            (self.merged, self.superseded, self.duplicate) = (merged, superseded, duplicate)
        }
    }

    /// Over the files read: the line counts summed, and outputRows = merged + carriedForward.
    public struct Accounting: Codable, Sendable, Equatable {
        public var lines: LineCounts
        public var carriedForward: Int?
        public var outputRows: Int?
    }

    public struct Children: Codable, Sendable, Equatable {
        public var expected: [String]?
        public var received: [String]?
        public var missing: [String]?
        public var late: [String]?
        public var rejected: [String]?
    }

    /// One output file: its basename, sha256 and rows.
    public struct Output: Codable, Sendable, Equatable {
        public var file: String?
        public var sha256: String?
        public var rows: Int?
    }

    public struct Outputs: Codable, Sendable, Equatable {
        public var summary: Output?
        public var discrepancies: Output?
    }

    /// The report's rows counted: the run's own by rule, and the children's carried rows by the
    /// unit that found them, then by rule.
    public struct Findings: Codable, Sendable, Equatable {
        public var byRule: OrderedCounts?
        public var byFinder: [String: OrderedCounts]?

        public init(byRule: OrderedCounts, byFinder: [String: OrderedCounts]) {
            self.byRule = byRule
            self.byFinder = byFinder
        }

        // byFinder is written in unit order (a dictionary has none of its own).
        enum CodingKeys: String, CodingKey { case byRule, byFinder }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            byRule = try c.decodeIfPresent(OrderedCounts.self, forKey: .byRule)
            byFinder = try c.decodeIfPresent([String: OrderedCounts].self, forKey: .byFinder)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(byRule, forKey: .byRule)
            if let byFinder {
                try c.encode(OrderedPairs(byFinder.sorted { $0.key < $1.key }), forKey: .byFinder)
            }
        }
    }

    public init(unit: String, unitName: String, level: String, period: String, asOf: String, tool: String,
                rules: String, inputs: [Input], accounting: Accounting, children: Children, outputs: Outputs,
                findings: Findings, carriedFrom: String?) {
        format = Self.formatName
        self.unit = unit
        self.unitName = unitName
        self.level = level
        self.period = period
        self.asOf = asOf
        self.tool = tool
        self.rules = rules
        self.inputs = inputs
        self.accounting = accounting
        self.children = children
        self.outputs = outputs
        self.findings = findings
        self.carriedFrom = carriedFrom
    }

    /// The bytes the run writes (before any signature): keys in declaration order, two-space
    /// indent, a final newline.
    public func bytes() throws -> [UInt8] {
        Array((try JSONValueEncoder.encode(self).serialized() + "\n").utf8)
    }

    /// Reads a manifest's bytes (nil: not JSON, or not an object).
    public static func parse(_ data: Data) -> Manifest? {
        guard let value = JSONValue.parse(data) else { return nil }
        return try? JSONValueDecoder.decode(Manifest.self, from: value)
    }
}

/// String keys → values, kept in the order given (a JSON object whose keys are data, such as
/// the preamble's labels or the findings' rule codes).
public struct OrderedPairs<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var pairs: [(key: String, value: Value)]

    public init(_ pairs: [(key: String, value: Value)]) { self.pairs = pairs }

    public subscript(key: String) -> Value? { pairs.first { $0.key == key }?.value }

    public static func == (a: Self, b: Self) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        pairs = try c.allKeys.map { ($0.stringValue, try c.decode(Value.self, forKey: $0)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in pairs { try c.encode(v, forKey: Key(stringValue: k)) }
    }
}

public typealias OrderedCounts = OrderedPairs<Int>
public typealias OrderedStrings = OrderedPairs<String>
