// PLACEHOLDER until the reference-data work lands: the real table is generated from GB/T 2260.
/// GB/T 2260 administrative division codes, current and historic, with their years of use.
public enum DivisionTable {
    public struct Division: Sendable {
        public var code: Int
        public var name: String
        /// First and last year the code was in use (last = nil: still in use).
        public var firstYear: Int
        public var lastYear: Int?
    }

    /// The code is (or was, in any year) a GB/T 2260 code: for the ID's first six digits.
    public static func contains(_ code: Int) -> Bool { lookup(code) != nil }

    /// The code was in use in some year up to `year` (入学前户口所在地, SPEC 5).
    public static func isInUse(_ code: Int, upTo year: Int) -> Bool {
        guard let d = lookup(code) else { return false }
        return d.firstYear <= year
    }

    public static func name(of code: Int) -> String? { lookup(code)?.name }

    public static func lookup(_ code: Int) -> Division? {
        placeholder[code]
    }

    private static let placeholder: [Int: Division] = [
        110000: Division(code: 110000, name: "北京市", firstYear: 1980, lastYear: nil),
        110105: Division(code: 110105, name: "朝阳区", firstYear: 1980, lastYear: nil),
    ]
}
