/// A `layout` template of pipeline.json (`data/{unit}/inbox/{period}`) as path components, after
/// `.`, empty (`//`) and trailing-`/` normalisation (SPEC 8.5). Used to refuse, when the
/// configuration is read, an outbox that can resolve to an inbox or to a folder holding one: the
/// run's swap would take the inbox away.
///
/// `{unit}` always stands for six digits and `{period}` for `YYYY-MM`, so every component is a
/// fixed-length sequence of character classes (a literal character, or "a digit"): two
/// components can name the same folder exactly when they have the same length and every
/// position's classes meet. That makes the test exact, not a guess, and linear in the length.
public struct LayoutPath: Sendable, Equatable {
    enum Atom: Equatable, Sendable {
        case literal(Unicode.Scalar)
        case digit
    }

    public let isAbsolute: Bool
    let components: [[Atom]]

    public init(template: String) {
        isAbsolute = template.hasPrefix("/")
        var comps: [[Atom]] = []
        for part in template.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            comps.append(Self.atoms(String(part)))
        }
        components = comps
    }

    /// Number of components after normalisation.
    public var depth: Int { components.count }

    static func atoms(_ s: String) -> [Atom] {
        var out: [Atom] = []
        var rest = Substring(s)
        while !rest.isEmpty {
            if rest.hasPrefix("{unit}") {
                out += Array(repeating: .digit, count: 6)
                rest = rest.dropFirst(6)
            } else if rest.hasPrefix("{period}") {
                out += [.digit, .digit, .digit, .digit, .literal("-"), .digit, .digit]
                rest = rest.dropFirst(8)
            } else {
                out += rest.unicodeScalars.prefix(1).map(Atom.literal)
                rest = Substring(rest.unicodeScalars.dropFirst())
            }
        }
        return out
    }

    static func meet(_ a: Atom, _ b: Atom) -> Bool {
        switch (a, b) {
        case (.digit, .digit): true
        case (.digit, .literal(let c)), (.literal(let c), .digit): ("0"..."9").contains(c)
        case (.literal(let x), .literal(let y)): x == y
        }
    }

    static func sameFolderPossible(_ a: [Atom], _ b: [Atom]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy(meet)
    }

    /// Whether some filling of `self` names `other`'s folder or a folder above it (both taken
    /// from the same working directory).
    public func canBeOrContain(_ other: LayoutPath) -> Bool {
        guard isAbsolute == other.isAbsolute, depth <= other.depth else { return false }
        for i in 0..<depth where !Self.sameFolderPossible(components[i], other.components[i]) { return false }
        return true
    }
}
