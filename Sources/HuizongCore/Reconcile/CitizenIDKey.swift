/// The normalised 18-character 公民身份号码 packed into 64 bits: the first 17 digits as an
/// integer times 11 plus the check value (X = 10). Packing keeps the IDs' byte order, so sorting
/// keys sorts IDs.
public enum CitizenIDKey {
    public static func text(_ key: UInt64) -> String {
        var out = [UInt8](repeating: 0, count: 18)
        let check = Int(key % 11)
        var digits = key / 11
        out[17] = check == 10 ? UInt8(ascii: "X") : UInt8(48 + check)
        for i in stride(from: 16, through: 0, by: -1) {
            out[i] = UInt8(48 + digits % 10)
            digits /= 10
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 18 characters of the ID.
    public static func append(_ key: UInt64, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 18))
        let check = Int(key % 11)
        var digits = key / 11
        out[start + 17] = check == 10 ? UInt8(ascii: "X") : UInt8(48 + check)
        for i in stride(from: 16, through: 0, by: -1) {
            out[start + i] = UInt8(48 + digits % 10)
            digits /= 10
        }
    }

    /// Packs an already normalised 18-character ID (digits and a final digit or X); nil otherwise.
    public static func parse<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        guard bytes.count == 18 else { return nil }
        var v: UInt64 = 0
        var i = 0
        for b in bytes {
            if i < 17 {
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + UInt64(b - 48)
            } else {
                if b >= 48 && b <= 57 { v = v * 11 + UInt64(b - 48) }
                else if b == UInt8(ascii: "X") { v = v * 11 + 10 }
                else { return nil }
            }
            i += 1
        }
        return v
    }
}
