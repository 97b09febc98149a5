/// A unit's code (SPEC 3.4): exactly six ASCII digits — the GB/T 2260 division code where the
/// unit has one, a code of its own where it has none (新疆生产建设兵团 and its divisions).
/// Leading zeros count: `000000` is the ministry. The one place a code is checked: the command
/// line, the configuration and the run all read it through `init?(_:)`.
public struct UnitCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The six digits as written in files, paths and manifests.
    public let description: String
    /// The code as a number, for the GB/T 2260 table (`DivisionTable`) and the county sets of
    /// `ValidationContext.UnitPolicy`.
    public let number: Int

    /// Six ASCII digits, nothing else: no sign (`+11010`), no spaces, no full-width digits.
    public init?(_ text: String) {
        let utf8 = text.utf8
        guard utf8.count == 6 else { return nil }
        var n = 0
        for b in utf8 {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        description = text
        number = n
    }

    /// 人力资源社会保障部, the root of the national hierarchy (SPEC 3.4).
    public static let ministry = UnitCode("000000")!

    public static func < (a: UnitCode, b: UnitCode) -> Bool { a.number < b.number }
}
