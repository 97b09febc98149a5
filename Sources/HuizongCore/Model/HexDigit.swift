/// One ASCII hex digit, for the escapes that carry a code point in hex: JSON's `\uXXXX`
/// (ConfigJSONParser) and a workbook string's `_xHHHH_` (XMLByteScanner).
enum HexDigit {
    /// The value of `0-9`, `A-F` or `a-f`, else nil.
    @inline(__always)
    static func value(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }
}
