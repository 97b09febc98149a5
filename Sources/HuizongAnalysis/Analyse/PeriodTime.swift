import HuizongCore

extension Period {
    /// The end of the period: 00:00 China time on the first day of the next month (Unix seconds).
    public var endInstant: Int64 {
        let n = next
        return ChinaTime.startOfDay(n.year * 10000 + n.month * 100 + 1)
    }

    /// Parses `YYYY-MM` or throws a usage message.
    public static func parse(_ text: String) throws -> Period {
        guard let p = Period(text) else {
            throw LoadError("期别须为YYYY-MM period must be YYYY-MM: \(text)")
        }
        return p
    }
}

/// JSON text without Foundation's encoder (the worklists write a million objects).
enum JSONText {
    static func string(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { string($0, into: &out) }
    }

    /// A JSON string of UTF-8 bytes: `"` `\` and control characters escaped, the rest as is.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
