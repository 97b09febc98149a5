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

/// The canonical 更新时间 of the merged summaries, `YYYY-MM-DDTHH:MM:SS+08:00`, read fast (the
/// worklists read one per person); anything else goes through the core's general parser.
enum CanonicalTime {
    static func instant(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 25, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b[19] == 0x2B, b[20] == 0x30, b[21] == 0x38, b[22] == 0x3A, b[23] == 0x30, b[24] == 0x30 else {
            return ChinaTime.parseAsOf(String(decoding: b, as: UTF8.self))
        }
        func n(_ i: Int, _ len: Int) -> Int? {
            var v = 0
            for k in i..<(i + len) {
                let d = b[k]
                guard d >= 0x30 && d <= 0x39 else { return nil }
                v = v * 10 + Int(d - 0x30)
            }
            return v
        }
        guard let y = n(0, 4), let mo = n(5, 2), let d = n(8, 2), let h = n(11, 2), let mi = n(14, 2), let s = n(17, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        let days = Int64(ChinaTime.daysFromCivil(y, mo, d))
        return days * 86400 + Int64(h * 3600 + mi * 60 + s) - ChinaTime.offsetSeconds
    }
}

/// JSON text without Foundation's encoder (the worklists write a million objects).
enum JSONText {
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
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

    /// `{"k": v, …}` with keys in the given order (callers pass them sorted).
    static func object(_ fields: [(String, Any?)], into out: inout [UInt8]) {
        out.append(0x7B)
        var first = true
        for (k, v) in fields {
            guard let v else { continue }
            if !first { out.append(0x2C) }
            first = false
            string(k, into: &out)
            out.append(0x3A)
            switch v {
            case let i as Int: out += Array(String(i).utf8)
            case let s as String: string(s, into: &out)
            case let o as [UInt8]: out += o
            default: string("\(v)", into: &out)
            }
        }
        out.append(0x7D)
    }
}
