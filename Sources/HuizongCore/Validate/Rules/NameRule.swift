/// 姓名 — `NAME_INVALID` (reject).
///
/// SPEC 5: "姓名 | 1–30 characters (Unicode scalars); Han characters (any CJK block), `·`, Latin
/// letters and spaces only (`•` `・` `．` `.` between parts → `·`) | reject".
/// 填写说明（一）: "姓名、性别、民族、公民身份号码需与个人有效居民身份证记录一致。"
///
/// After the general normalisation, each of `•` (U+2022), `・` (U+30FB), `．` (U+FF0E) and `.`
/// that is neither the first nor the last character becomes `·` (U+00B7). The result must then be
/// 1–30 Unicode scalars, each a Han character (CJK Unified Ideographs and every extension block,
/// CJK Compatibility Ideographs and their supplement, `〇`), `·`, an ASCII Latin letter or an
/// ASCII space. A dot left at either end is not converted and so breaks the rule.
enum NameRule {
    // The codes it fires: severity, 字段, 说明 in Chinese and English (SPEC 5.1).
    static let nameInvalid = RuleCode.Definition("NAME_INVALID", .reject, .field(.name), chinese: "姓名须为1–30个汉字、字母、空格或·", english: "name must be 1-30 Han characters, Latin letters, spaces or ·")

    static let maxScalars = 30

    /// Han characters: every CJK Unified Ideographs block (base, Ext A–J), CJK Compatibility
    /// Ideographs (and Supplement), and 〇 (U+3007, the ideographic zero used in names).
    static func isHan(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF,   // CJK Unified Ideographs
             0x3400...0x4DBF,   // Ext A
             0x20000...0x2A6DF, // Ext B
             0x2A700...0x2EE5F, // Ext C, D, E, F, I (contiguous)
             0x30000...0x3347F, // Ext G, H, J
             0xF900...0xFAFF,   // CJK Compatibility Ideographs
             0x2F800...0x2FA1F, // CJK Compatibility Ideographs Supplement
             0x3007:            // 〇
            return true
        default:
            return false
        }
    }

    /// Decodes the UTF-8 scalar at `i`: (value, byte length), or nil on a malformed sequence.
    @inline(__always)
    static func scalar(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let len: Int
        var v: UInt32
        switch b0 {
        case 0xC2...0xDF: len = 2; v = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: len = 3; v = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: len = 4; v = UInt32(b0 & 0x07)
        default: return nil
        }
        guard i + len <= p.count else { return nil }
        for k in 1..<len {
            let b = p[i + k]
            guard b & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(b & 0x3F)
        }
        return (v, len)
    }

    /// `v` is one of the dots that become `·` between two parts.
    @inline(__always)
    static func isDot(_ v: UInt32) -> Bool { v == 0x2E || v == 0x2022 || v == 0x30FB || v == 0xFF0E }

    /// Whether a scalar may stand in a name (after the dots are converted).
    @inline(__always)
    static func isAllowed(_ v: UInt32) -> Bool {
        isHan(v) || v == 0xB7 || v == 0x20 || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// Checks the normalised cell: (valid, has a dot between parts to convert).
    static func check(_ p: UnsafeBufferPointer<UInt8>) -> (valid: Bool, hasInnerDot: Bool) {
        var valid = !p.isEmpty
        var innerDot = false
        var scalars = 0
        var i = 0
        while i < p.count {
            guard let (v, len) = scalar(p, at: i) else {
                // Not UTF-8 (cannot happen after the reader's decoding).
                valid = false
                i += 1
                continue
            }
            scalars += 1
            if isDot(v) && i > 0 && i + len < p.count {
                innerDot = true
            } else if !isAllowed(v) {
                valid = false
            }
            i += len
        }
        return (valid && scalars <= maxScalars, innerDot)
    }

    /// Writes the canonical name (dots between parts → `·`, nothing else changed); it is never
    /// longer than `p.count` + the number of `.` in `p`.
    static func writeCanonical(_ p: UnsafeBufferPointer<UInt8>, to w: inout ByteWriter) {
        var i = 0
        while i < p.count {
            guard let (v, len) = scalar(p, at: i) else {
                w.append(p[i])
                i += 1
                continue
            }
            if isDot(v) && i > 0 && i + len < p.count {
                w.append(0xC2)
                w.append(0xB7) // ·
            } else {
                w.append(p.slice(i..<(i + len)))
            }
            i += len
        }
    }
}

extension NameRule {
    /// 姓名 in the record: the canonical name, or the invalid cell with its dots converted; sets
    /// the report's 姓名 (`out.nameText`: the canonical name, else the trimmed cell).
    static func apply(_ row: inout CanonicalRow, _ out: inout ValidatedRecord) {
        let name = row.next(.name)
        let result = check(name)
        if result.valid { // never needs quotes
            let start = row.line.count
            if result.hasInnerDot { writeCanonical(name, to: &row.line) } else { row.line.append(name) }
            out.nameText = String(decoding: row.line.written(from: start), as: UTF8.self)
            return
        }
        row.fire(.nameInvalid, .name)
        var converted = [UInt8](repeating: 0, count: 2 * name.count + 1)
        let n = converted.withUnsafeMutableBufferPointer { buf in
            var tmp = ByteWriter(buf.baseAddress!, capacity: buf.count)
            writeCanonical(name, to: &tmp)
            return tmp.count
        }
        converted.withUnsafeBufferPointer { row.line.appendCSV($0.slice(0..<n)) }
        if let cell = row.cells.trimmedRaw(.name) {
            out.nameText = String(decoding: cell, as: UTF8.self)
        }
    }
}

extension RuleCode {
    /// 姓名 empty, longer than 30 characters, or holding a character other than Han, `·`, Latin
    /// letters and spaces.
    public static let nameInvalid = RuleCode(NameRule.nameInvalid)
}
