/// 公民身份号码 — `ID_FORMAT`, `ID_EXCEL_NUMBER`, `ID_BIRTHDATE`, `ID_CHECKSUM` (reject),
/// `ID_UPGRADED_15`, `ID_REGION_UNKNOWN` (flag).
///
/// SPEC 5:
/// - "公民身份号码 | 18 chars `\d{17}[\dX]`, ISO 7064 MOD 11-2 check digit, valid birth date,
///   lowercase x → X | reject"
/// - "公民身份号码 | 15-digit legacy number → upgraded to 18 (insert 19, compute check digit) | flag"
/// - "公民身份号码 | first 6 digits not a GB/T 2260 division code (current or historic) | flag"
///
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
///
/// GB 11643-1999: digits 1–6 the region, 7–14 the birth date (YYYYMMDD), 15–17 the sequence
/// (17th odd for men, even for women), 18 the ISO 7064 MOD 11-2 check character: with weights
/// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check = (12 − Σ mod 11) mod 11, 10 written `X`.
/// A 15-digit number (GB 11643-1989) has a two-digit year and no check digit: `19` is inserted
/// after the region and the check digit computed. A form error (`ID_FORMAT`) stops every other
/// check of the ID; the birth date (a real date, year ≥ 1900, not after the as-of day) and the
/// check digit are checked independently, so both can fire.
enum CitizenIDRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let idFormat = RuleCode.Definition("ID_FORMAT", .reject, .field(.citizenID), chinese: "身份证号须为18位", english: "ID must be 18 characters \\d{17}[\\dX]")
    static let idChecksum = RuleCode.Definition("ID_CHECKSUM", .reject, .field(.citizenID), chinese: "身份证号校验码错误，请核对证件", english: "ID check digit is wrong; check the ID card")
    static let idBirthdate = RuleCode.Definition("ID_BIRTHDATE", .reject, .field(.citizenID), chinese: "身份证号出生日期无效", english: "invalid birth date in the ID")
    static let idUpgraded15 = RuleCode.Definition("ID_UPGRADED_15", .flag, .field(.citizenID), chinese: "15位旧号码已升为18位", english: "legacy 15-digit ID upgraded to 18")
    static let idRegionUnknown = RuleCode.Definition("ID_REGION_UNKNOWN", .flag, .field(.citizenID), chinese: "身份证号前6位不是行政区划代码", english: "ID region is not a GB/T 2260 code")
    static let idExcelNumber = RuleCode.Definition("ID_EXCEL_NUMBER", .reject, .field(.citizenID), chinese: "身份证号列须设为文本格式后重新录入", english: "ID held as a number by Excel; format the ID column as Text and key the IDs again")

    struct Result {
        /// The value is 18 characters `\d{17}[\dX]` (after the 15→18 upgrade).
        var formValid = false
        var upgraded15 = false
        /// The first 17 digits as an integer (leading zeros kept implicitly).
        var first17: UInt64 = 0
        /// The check character's value as written (or computed, when upgraded): 0–9, X = 10.
        var checkValue = 0
        var checksumValid = false
        /// Digits 7–14 as yyyymmdd (whatever they are), and whether that is a valid birth date.
        var birthDate = 0
        var birthValid = false
        /// First 6 digits.
        var region = 0
        /// The 17th digit is odd (male).
        var male = false

        /// The packed key of `ValidatedRecord.idKey`, when form, birth date and check digit hold.
        var key: UInt64? {
            formValid && birthValid && checksumValid ? first17 * 11 + UInt64(checkValue) : nil
        }
    }

    /// Writes the canonical 18 characters of a valid-form ID: the 17 digits (with `19` inserted
    /// into a 15-digit number) and the check character, `X` upper-case.
    static func writeCanonical(_ p: UnsafeBufferPointer<UInt8>, _ r: Result, to w: inout ByteWriter) {
        if r.upgraded15 {
            w.append(p.slice(0..<6))
            w.append(0x31)
            w.append(0x39)
            w.append(p.slice(6..<15))
        } else {
            w.append(p.slice(0..<17))
        }
        w.append(r.checkValue == 10 ? 0x58 : 0x30 + UInt8(r.checkValue))
    }

    /// Checks the normalised cell. `asOfDay` is the as-of date (yyyymmdd, China time).
    static func check(_ p: UnsafeBufferPointer<UInt8>, asOfDay: Int) -> Result {
        var r = Result()
        let upgraded: Bool
        switch p.count {
        case 15: upgraded = true
        case 18: upgraded = false
        default: return r
        }
        // One pass over the 17 digits (a 15-digit number with `19` inserted after the region):
        // form, value and the ISO 7064 MOD 11-2 sum. The weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8
        // 4 2 are 2^(17−k) mod 11, so the weighted sum is Horner's s = 2(s + d), reduced mod 11 once;
        // the check value is (12 − s) mod 11.
        var v: UInt64 = 0
        var s = 0
        @inline(__always) func take(_ b: UInt8) -> Bool {
            let d = b &- 0x30
            guard d <= 9 else { return false }
            v = v &* 10 &+ UInt64(d)
            s = (s + Int(d)) &* 2 // ≤ 9·2^18: reduced once, below
            return true
        }
        if upgraded {
            for k in 0..<6 { guard take(p[k]) else { return r } }
            _ = take(0x31)
            _ = take(0x39)
            for k in 6..<15 { guard take(p[k]) else { return r } }
        } else {
            for k in 0..<17 { guard take(p[k]) else { return r } }
        }
        let computed = (12 - s % 11) % 11
        if upgraded {
            r.upgraded15 = true
            r.checkValue = computed
        } else {
            let c = p[17]
            if c &- 0x30 <= 9 {
                r.checkValue = Int(c &- 0x30)
            } else if c == 0x58 || c == 0x78 { // X x
                r.checkValue = 10
            } else {
                return r
            }
        }
        r.checksumValid = computed == r.checkValue
        r.formValid = true
        r.first17 = v
        r.region = Int(v / 100_000_000_000)
        r.birthDate = Int(v / 1000 % 100_000_000)
        r.male = v & 1 == 1
        let y = r.birthDate / 10000, m = r.birthDate / 100 % 100, d = r.birthDate % 100
        r.birthValid = y >= 1900 && ChinaTime.isValidDate(y, m, d) && r.birthDate <= asOfDay
        return r
    }

    /// The ID's region is a GB/T 2260 code, current or historic (else `ID_REGION_UNKNOWN`).
    static func regionKnown(_ r: Result) -> Bool { DivisionTable.contains(r.region) }

    /// SPEC 8.2: a cell that looks like Excel's scientific notation of a number
    /// (`1.10105E+17`: a digit, optionally `.` and digits, `E`, an optional sign, digits) — an ID
    /// that Excel held as a number and wrote out with 6 significant digits (`ID_EXCEL_NUMBER`).
    static func looksLikeExcelNumber(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        guard n >= 3, n <= 24, p[0] &- 0x30 <= 9 else { return false }
        var i = 1
        if i < n, p[i] == 0x2E {
            i += 1
            let start = i
            while i < n, p[i] &- 0x30 <= 9 { i += 1 }
            guard i > start else { return false }
        }
        guard i < n, p[i] == 0x45 || p[i] == 0x65 else { return false }
        i += 1
        if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
        let start = i
        while i < n, p[i] &- 0x30 <= 9 { i += 1 }
        return i == n && i > start
    }
}

extension CitizenIDRule {
    /// 公民身份号码 in the record: the canonical 18 characters when the form is valid (then also
    /// the birth date, check digit and region are checked), else the cell kept (`x` → `X` for a
    /// form error). Sets the report's ID (`out.idText`) and, when form, birth date and check digit
    /// hold, the reconciliation key (`out.idKey`). `isExcelNumber`: the workbook cell was a number.
    static func apply(_ row: inout CanonicalRow, asOfDay: Int, isExcelNumber: Bool,
                      _ out: inout ValidatedRecord) -> Result {
        let cell = row.next(.citizenID)
        // SPEC 8.2: an ID Excel turned into a number (a numeric cell, or `1.10105E+17` in a CSV)
        // is ID_EXCEL_NUMBER instead of ID_FORMAT; its digits are lost, nothing else is checked.
        if isExcelNumber || looksLikeExcelNumber(cell) {
            row.keepInvalid(cell, .idExcelNumber, .citizenID)
            out.idText = String(decoding: cell, as: UTF8.self)
            return Result()
        }
        let id = check(cell, asOfDay: asOfDay)
        if id.formValid {
            let start = row.line.count
            writeCanonical(cell, id, to: &row.line)
            out.idText = String(decoding: row.line.written(from: start), as: UTF8.self)
            out.idKey = id.key
            if id.upgraded15 { row.fire(.idUpgraded15, .citizenID) }
            if !id.birthValid { row.fire(.idBirthdate, .citizenID) }
            if !id.checksumValid { row.fire(.idChecksum, .citizenID) }
            if !regionKnown(id) { row.fire(.idRegionUnknown, .citizenID) }
        } else {
            row.fire(.idFormat, .citizenID)
            var upper = Array(cell)
            for i in upper.indices where upper[i] == 0x78 { upper[i] = 0x58 } // x → X
            upper.withUnsafeBufferPointer { row.line.appendCSV($0) }
            out.idText = String(decoding: upper, as: UTF8.self)
        }
        return id
    }
}

extension RuleCode {
    /// Neither 18 characters `\d{17}[\dXx]` nor 15 digits.
    public static let idFormat = RuleCode(CitizenIDRule.idFormat)
    /// The ISO 7064 MOD 11-2 check character is wrong.
    public static let idChecksum = RuleCode(CitizenIDRule.idChecksum)
    /// Digits 7–14 are not a real date from 1900 up to the as-of day.
    public static let idBirthdate = RuleCode(CitizenIDRule.idBirthdate)
    /// A 15-digit number, upgraded to 18.
    public static let idUpgraded15 = RuleCode(CitizenIDRule.idUpgraded15)
    /// The first 6 digits are no GB/T 2260 code of any year.
    public static let idRegionUnknown = RuleCode(CitizenIDRule.idRegionUnknown)
    /// SPEC 8.2: an ID Excel held as a number (its digits are lost).
    public static let idExcelNumber = RuleCode(CitizenIDRule.idExcelNumber)
}
