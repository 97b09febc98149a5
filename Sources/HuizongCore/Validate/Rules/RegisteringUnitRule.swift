/// 登记单位 — `UNIT_FOREIGN` (reject).
///
/// SPEC 3.4: "A row whose 登记单位 is not a county at or under the unit that sent it is rejected
/// (`UNIT_FOREIGN`: no unit may report another's people); at a county, an empty 登记单位 becomes
/// the county's code." SPEC 4: "Without `--unit`, 登记单位 is checked for form only."
/// No 填写说明 clause (附件2 has no 登记单位 column); the notice, 一（五）信息上报: "各地要按月逐级上报
/// 《汇总表》。"
///
/// Per `ValidationContext.UnitPolicy`: `.county(c)` — empty (or no column) becomes `c`, anything
/// else must be exactly the 6 digits of `c`; `.under(set)` — 6 digits in the set (empty is
/// foreign); `.formOnly` — empty or 6 digits.
enum RegisteringUnitRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let unitForeign = RuleCode.Definition("UNIT_FOREIGN", .reject, .field(.registeringUnit), chinese: "登记单位不属于报送单位", english: "registering unit is not under the sending unit")

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

extension RegisteringUnitRule {
    /// 登记单位 in the record: the unit's 6 digits (the county's for an empty cell at a county),
    /// empty, or the foreign cell.
    static func apply(_ row: inout CanonicalRow, policy: ValidationContext.UnitPolicy) {
        let cell = row.next(.registeringUnit)
        switch check(cell, policy: policy) {
        case .code(let code): writeCode(code, to: &row.line)
        case .empty: break
        case .foreign: row.keepInvalid(cell, .unitForeign, .registeringUnit)
        }
    }
}

extension RuleCode {
    /// 登记单位 not a county at or under the sender (SPEC 3.4).
    public static let unitForeign = RuleCode(RegisteringUnitRule.unitForeign)
}
