/// The findings of one file, in the order they were found, kept until the file is committed or
/// rejected whole (SPEC 3.1) — in memory while few, spilled to a temporary 0600 file when many
/// (SPEC 8.5: 5,000,000 malformed lines give 5,000,000 findings, and memory must not follow them).
///
/// A finding is stored as a few bytes: rule, severity, field and line as small integers, the
/// strings (most empty) with their lengths. Replay rebuilds each `Finding` in order.
public final class FindingSpool {
    private let spool: ByteSpool
    public private(set) var count = 0
    /// Bytes written to the temporary file (tests: the spill happened).
    var spilledBytes: Int64 { spool.spilledBytes }
    /// Lines never went down (nil counts as 0): replay order is then also the by-line order.
    public private(set) var isInLineOrder = true
    private var lastLine = 0

    /// 8 MiB of encoded findings (≈ 1,000,000 bare line findings) before spilling.
    public init(memoryLimit: Int = 8 << 20) {
        spool = ByteSpool(memoryLimit: memoryLimit)
    }

    public func removeAll() {
        spool.removeAll()
        count = 0
        isInLineOrder = true
        lastLine = 0
    }

    /// A payload-free enum of under 256 cases is stored as its case index in one byte: reading
    /// that byte is the cheapest way to number a rule (no hashing of its raw string). Checked
    /// once against `allCases`; if the layout ever differs, a lookup table is used instead.
    @inline(__always)
    static func tag<E>(_ value: E) -> UInt8 { withUnsafeBytes(of: value) { $0[0] } }
    static let tagsAreIndices: Bool =
        MemoryLayout<RuleCode>.size == 1 && MemoryLayout<Severity>.size == 1
        && RuleCode.allCases.enumerated().allSatisfy { tag($0.element) == $0.offset }
        && Severity.allCases.enumerated().allSatisfy { tag($0.element) == $0.offset }
    static let ruleIndex: [RuleCode: UInt8] = Dictionary(uniqueKeysWithValues: RuleCode.allCases.enumerated().map { ($1, UInt8($0)) })

    @inline(__always)
    static func index(_ rule: RuleCode) -> UInt8 { tagsAreIndices ? tag(rule) : ruleIndex[rule]! }
    @inline(__always)
    static func index(_ severity: Severity) -> UInt8 {
        tagsAreIndices ? tag(severity) : UInt8(Severity.allCases.firstIndex(of: severity)!)
    }

    public func append(_ f: Finding) {
        count += 1
        let line = f.line ?? 0
        if line < lastLine { isInLineOrder = false }
        lastLine = line
        spool.append(Self.index(f.rule))
        spool.append(Self.index(f.severity))
        spool.append(f.field.map { UInt8($0.rawValue + 1) } ?? 0)
        spool.appendVarint(f.line.map { UInt64($0) + 1 } ?? 0)
        appendString(f.fieldName)
        appendString(f.citizenID)
        appendString(f.name)
        appendString(f.rawValue)
        appendString(f.detail)
    }

    /// Length + 1 then the UTF-8 bytes; 0 for nil.
    @inline(__always)
    private func appendString(_ s: String?) {
        guard var s else { spool.append(0); return }
        if s.isEmpty { spool.append(1); return }
        s.withUTF8 { p in
            spool.appendVarint(UInt64(p.count) + 1)
            spool.append(UnsafeRawBufferPointer(p))
        }
    }

    /// Reads the findings back in the order they were appended.
    public func makeReader() -> Reader { Reader(spool.makeReader(), count: count) }

    public struct Reader {
        private var bytes: ByteSpool.Reader
        private var left: Int

        init(_ bytes: ByteSpool.Reader, count: Int) {
            self.bytes = bytes
            self.left = count
        }

        public mutating func next() -> Finding? {
            guard left > 0 else { return nil }
            left -= 1
            let rule = RuleCode.allCases[Int(bytes.byte())]
            let severity = Severity.allCases[Int(bytes.byte())]
            let field = bytes.byte()
            let line = bytes.varint()
            let fieldName = string()
            let citizenID = string() ?? ""
            let name = string() ?? ""
            let rawValue = string() ?? ""
            let detail = string()
            return Finding(rule: rule, line: line == 0 ? nil : Int(line - 1),
                           field: field == 0 ? nil : Column(rawValue: Int(field) - 1),
                           fieldName: fieldName, citizenID: citizenID, name: name, rawValue: rawValue,
                           detail: detail, severity: severity)
        }

        private mutating func string() -> String? {
            let n = bytes.varint()
            if n == 0 { return nil }
            if n == 1 { return "" }
            return String(decoding: bytes.bytes(Int(n - 1)), as: UTF8.self)
        }
    }

    /// Every finding, ordered by line (stable: findings of one line keep their order). Spooled
    /// findings are already in line order (a file is read top to bottom); otherwise they are
    /// loaded and sorted.
    public func forEachInLineOrder(_ body: (Finding) throws -> Void) rethrows {
        if isInLineOrder {
            var reader = makeReader()
            while let f = reader.next() { try body(f) }
            return
        }
        try Self.inLineOrder(all()).forEach(body)
    }

    /// Every finding, in the order appended (loaded into memory: only for files whose findings
    /// are out of line order, which a file read top to bottom never is).
    public func all() -> [Finding] {
        var reader = makeReader()
        var all: [Finding] = []
        while let f = reader.next() { all.append(f) }
        return all
    }

    /// `findings` stably sorted by line (a whole-file finding, without a line, first).
    public static func inLineOrder(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}

extension RuleCode {
    /// The rule's position in `allCases`, found without hashing its name (counting by rule).
    public var caseIndex: Int { Int(FindingSpool.index(self)) }
}

extension Severity {
    /// The severity's position in `allCases`.
    public var caseIndex: Int { Int(FindingSpool.index(self)) }
}
