/// The shared strings of a workbook (`xl/sharedStrings.xml`, SPEC 8.2), held as one byte arena
/// and an offset table: memory grows with the distinct strings, not with the sheet. Each `<si>`
/// is the text of its `<t>` runs (rich text included), phonetic guides (`<rPh>`) left out,
/// entities and `_xHHHH_` escapes decoded. Read with the byte scanner: Excel writes one string
/// per distinct cell text, so a large sheet of names has a large table.
public struct SharedStrings: Sendable {
    public private(set) var arena: [UInt8] = []
    /// Start of string i is `offsets[i]`, its end `offsets[i + 1]`.
    public private(set) var offsets: [Int] = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    public init(source: ByteSource) throws(FileRejection) {
        let scanner = XMLByteScanner(source: source)
        var inItem = false
        var phonetic = 0
        while let tag = try scanner.nextTag() {
            if tag.named("si") {
                switch tag.kind {
                case .start: inItem = true
                case .end: inItem = false; offsets.append(arena.count)
                case .empty: offsets.append(arena.count)
                }
            } else if tag.named("rPh") {
                if tag.kind == .start { phonetic += 1 } else if tag.kind == .end { phonetic -= 1 }
            } else if inItem, phonetic == 0, tag.named("t"), tag.kind == .start {
                XMLByteScanner.appendDecoded(try scanner.text(), xstring: true, to: &arena)
            }
        }
    }

    /// For tests: strings given directly.
    public init(_ strings: [String]) {
        for s in strings {
            arena.append(contentsOf: Array(s.utf8))
            offsets.append(arena.count)
        }
    }

    @inline(__always)
    public func range(_ index: Int) -> Range<Int>? {
        guard index >= 0, index + 1 < offsets.count else { return nil }
        return offsets[index]..<offsets[index + 1]
    }

    public func string(_ index: Int) -> String? {
        range(index).map { String(decoding: arena[$0], as: UTF8.self) }
    }
}
