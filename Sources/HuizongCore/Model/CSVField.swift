/// RFC 4180 output: a field is quoted only where required (it contains a comma, a double quote,
/// CR or LF), and quotes inside are doubled. Hand-written on bytes
/// because every output row goes through it.
public enum CSVField {
    @inlinable
    public static func needsQuotes<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        for b in bytes where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
            return true
        }
        return false
    }

    /// Appends `bytes` as one CSV field (no separator).
    @inlinable
    public static func append<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        if !needsQuotes(bytes) {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    public static func append(_ s: String, to out: inout [UInt8]) {
        append(Array(s.utf8), to: &out)
    }

    /// One CSV line (no line ending) from string fields.
    public static func line(_ fields: [String]) -> String {
        var out: [UInt8] = []
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(f, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
