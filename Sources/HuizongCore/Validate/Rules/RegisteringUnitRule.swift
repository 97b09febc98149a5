/// 登记单位 — `UNIT_FOREIGN` (reject).
///
/// SPEC 3.4: "A row whose 登记单位 is not a county at or under the unit that sent it is rejected
/// (`UNIT_FOREIGN`: no unit may report another's people); at a county, an empty 登记单位 becomes
/// the county's code." SPEC 4: "Without `--unit`, 登记单位 is checked for form only."
///
/// Per `ValidationContext.UnitPolicy`: `.county(c)` — empty (or no column) becomes `c`, anything
/// else must be exactly the 6 digits of `c`; `.under(set)` — 6 digits in the set (empty is
/// foreign); `.formOnly` — empty or 6 digits.
enum RegisteringUnitRule {
    enum Result {
        /// The canonical value is this code.
        case code(Int)
        /// The canonical value is empty (form-only check of an empty cell).
        case empty
        case foreign
    }

    static func check(_ p: UnsafeBufferPointer<UInt8>, policy: ValidationContext.UnitPolicy) -> Result {
        let sixDigits = TextNormalizer.isDigits(p, count: 6)
        let code = sixDigits ? TextNormalizer.decimal(p) : -1
        switch policy {
        case .county(let c):
            if p.isEmpty { return .code(c) }
            return code == c ? .code(c) : .foreign
        case .under(let units):
            return sixDigits && units.contains(code) ? .code(code) : .foreign
        case .formOnly:
            if p.isEmpty { return .empty }
            return sixDigits ? .code(code) : .foreign
        }
    }

    /// Writes a unit code (0...999999) as 6 digits.
    static func writeCode(_ code: Int, to w: inout ByteWriter) {
        w.appendDigits(code, width: 6)
    }
}
