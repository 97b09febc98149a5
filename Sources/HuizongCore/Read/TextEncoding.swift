#if canImport(Glibc)
import Glibc
#endif

/// The text encoding of an input file (SPEC 3.1): UTF-8 (a BOM is allowed and ignored), else
/// GB18030 (what Excel in China writes). Decided per file from its first 64 KiB unless forced.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030 = "gb18030"

    public static let sniffBytes = 64 * 1024

    /// UTF-8 when the sample is valid UTF-8, allowing a sequence cut off at the sample's end.
    public static func detect(_ sample: UnsafeBufferPointer<UInt8>, sampleIsWholeContent: Bool) -> TextEncoding {
        let validPrefix = UTF8Validator.validPrefixLength(sample)
        if validPrefix == sample.count { return .utf8 }
        // An incomplete sequence at the very end of a cut sample is not an error.
        if !sampleIsWholeContent && sample.count - validPrefix < 4 && UTF8Validator.isIncompletePrefix(sample, from: validPrefix) {
            return .utf8
        }
        return .gb18030
    }
}

/// Hand-written UTF-8 validation with an ASCII fast path (every line is checked).
public enum UTF8Validator {
    @inlinable
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        validPrefixLength(bytes) == bytes.count
    }

    /// The length of the longest prefix made of whole, valid UTF-8 sequences.
    public static func validPrefixLength(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = b.count
        var i = 0
        while i < n {
            // ASCII fast path, 8 bytes at a time.
            while i + 8 <= n {
                let w = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var minNext: UInt8 = 0x80, maxNext: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; minNext = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; maxNext = 0x9F
            case 0xF0: need = 3; minNext = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; maxNext = 0x8F
            default: return i
            }
            if i + need >= n { return i }
            let c1 = b[i + 1]
            if c1 < minNext || c1 > maxNext { return i }
            var k = 2
            while k <= need {
                let ck = b[i + k]
                if ck < 0x80 || ck > 0xBF { return i }
                k += 1
            }
            i += need + 1
        }
        return i
    }

    /// Whether the bytes from `from` to the end could start a valid sequence (a cut-off tail).
    static func isIncompletePrefix(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        guard from < b.count else { return false }
        let c = b[from]
        let need: Int
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0...0xEF: need = 2
        case 0xF0...0xF4: need = 3
        default: return false
        }
        let have = b.count - from - 1
        guard have < need else { return false }
        for k in 0..<have where b[from + 1 + k] < 0x80 || b[from + 1 + k] > 0xBF { return false }
        return true
    }
}

/// GB18030 → UTF-8 through glibc's iconv (the rare path: only files that are not UTF-8).
public final class GB18030Decoder {
    private var cd: iconv_t?

    public init() {
        let h = iconv_open("UTF-8", "GB18030")
        cd = (h == iconv_t(bitPattern: -1)) ? nil : h
    }

    deinit {
        if let cd { iconv_close(cd) }
    }

    /// Appends the UTF-8 form of `input` to `out`; false when the bytes are not valid GB18030.
    public func decode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard let cd else { return false }
        if input.isEmpty { return true }
        // Pure ASCII is the same in both encodings.
        if UTF8Validator.validPrefixLength(input) == input.count && !input.contains(where: { $0 >= 0x80 }) {
            out.append(contentsOf: input)
            return true
        }
        _ = iconv(cd, nil, nil, nil, nil)  // reset shift state
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input.baseAddress!)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        let outCap = input.count * 2 + 16
        var scratch = [UInt8](repeating: 0, count: outCap)
        let ok: Bool = scratch.withUnsafeMutableBufferPointer { sb in
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(sb.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = outCap
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            if r == -1 || inLeft != 0 { return false }
            out.append(contentsOf: UnsafeBufferPointer(start: sb.baseAddress!, count: outCap - outLeft))
            return true
        }
        return ok
    }
}
