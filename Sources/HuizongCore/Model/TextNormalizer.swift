#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The general normalisation every cell goes through before its rule (SPEC 5):
///
/// > General: trim ASCII and full-width spaces; full-width digits, Latin letters and `，` become
/// > half-width.
///
/// Exactly that and nothing else: ASCII space, tab and U+3000 are trimmed at both ends;
/// `０`–`９`, `Ａ`–`Ｚ`, `ａ`–`ｚ` and `，` (U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A, U+FF0C) become
/// their ASCII forms. Other full-width punctuation (`＠`, `（`, `．` …) is left alone; where a rule
/// accepts one of those, the rule itself says so.
///
/// Hand-written on UTF-8 bytes instead of `String` APIs (trimmingCharacters, applyingTransform):
/// every cell of every row passes through here, and normalisation can only shrink a value
/// (a 3-byte full-width form becomes 1 byte), so it writes into a caller's buffer in one pass.
public enum TextNormalizer {
    /// The range of `p` without leading and trailing ASCII space, tab and U+3000.
    @inlinable @inline(__always)
    public static func trimmedRange(_ p: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        // Fast path: most cells start and end with something else.
        guard let first = p.first, let last = p.last else { return 0..<0 }
        if first != 0x20 && first != 0x09 && first != 0xE3 && last != 0x20 && last != 0x09 && last != 0x80 {
            return 0..<p.count
        }
        var lo = 0
        var hi = p.count
        while lo < hi {
            let b = p[lo]
            if b == 0x20 || b == 0x09 {
                lo += 1
            } else if b == 0xE3, hi - lo >= 3, p[lo + 1] == 0x80, p[lo + 2] == 0x80 {
                lo += 3
            } else {
                break
            }
        }
        while hi > lo {
            let b = p[hi - 1]
            if b == 0x20 || b == 0x09 {
                hi -= 1
            } else if b == 0x80, hi - lo >= 3, p[hi - 2] == 0x80, p[hi - 3] == 0xE3 {
                hi -= 3
            } else {
                break
            }
        }
        return lo..<hi
    }

    /// The half-width byte for the full-width form `EF b1 b2`, or nil when it is not one the
    /// general normalisation folds.
    @usableFromInline
    static func folded(_ b1: UInt8, _ b2: UInt8) -> UInt8? {
        if b1 == 0xBC {
            switch b2 {
            case 0x90...0x99: return b2 - 0x90 + 0x30 // ０-９ U+FF10-FF19
            case 0xA1...0xBA: return b2 - 0xA1 + 0x41 // Ａ-Ｚ U+FF21-FF3A
            case 0x8C: return 0x2C // ， U+FF0C
            default: return nil
            }
        }
        if b1 == 0xBD, (0x81...0x9A).contains(b2) { return b2 - 0x81 + 0x61 } // ａ-ｚ U+FF41-FF5A
        return nil
    }

    /// Whether `p` holds a byte 0xEF, the lead byte of every full-width form the normalisation
    /// folds. Without one, normalising is trimming: no copy needed.
    @inlinable
    public static func mayNeedFolding(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in p where b == 0xEF { return true }
        return false
    }

    /// `mayNeedFolding` for a whole record at once, with libc's vectorised `memchr`: most rows
    /// hold no full-width form at all, and then no cell needs to be looked at for one.
    public static func mayNeedFoldingAnywhere(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress, !p.isEmpty else { return false }
        return memchr(base, 0xEF, p.count) != nil
    }

    /// Whether some byte of the record is one that makes a CSV field need quotes (`,` `"` CR LF),
    /// with libc's vectorised `memchr`: a row without one needs no per-field check.
    public static func mayNeedQuotesAnywhere(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress, !p.isEmpty else { return false }
        return memchr(base, 0x2C, p.count) != nil || memchr(base, 0x22, p.count) != nil
            || memchr(base, 0x0A, p.count) != nil || memchr(base, 0x0D, p.count) != nil
    }

    /// Writes the normalised form of `p` to `dst` (which must hold at least `p.count` bytes) and
    /// returns its length.
    @inlinable
    public static func normalize(_ p: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let r = trimmedRange(p)
        var i = r.lowerBound
        var n = 0
        while i < r.upperBound {
            let b = p[i]
            if b == 0xEF, i + 2 < r.upperBound, let f = folded(p[i + 1], p[i + 2]) {
                dst[n] = f
                i += 3
            } else {
                dst[n] = b
                i += 1
            }
            n += 1
        }
        return n
    }

    /// The normalised form of a string (for tools and tests; the hot path uses the byte form).
    public static func normalize(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out = [UInt8](repeating: 0, count: bytes.count)
        let n = bytes.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { normalize(p, into: $0.baseAddress!) }
        }
        return String(decoding: out[..<n], as: UTF8.self)
    }

    /// Number of Unicode scalars in valid UTF-8 (bytes that are not continuation bytes).
    @inlinable
    public static func scalarCount(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in p where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Whether `p` is exactly `n` ASCII digits.
    static func isDigits(_ p: UnsafeBufferPointer<UInt8>, count n: Int) -> Bool {
        guard p.count == n else { return false }
        for b in p where b &- 0x30 > 9 { return false }
        return true
    }

    /// The value of all-ASCII-digit bytes (caller checked them; at most 18 digits).
    static func decimal(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var v = 0
        for b in p { v = v * 10 + Int(b &- 0x30) }
        return v
    }
}
