/// Finds a key written twice in one JSON object, at any depth (SPEC 8.5: a `pipeline.json` with a
/// duplicate key is a configuration error — Foundation's parser silently keeps the last one, so
/// a second `"layout"` would quietly win). One pass over the bytes with a set of keys per open
/// object: linear in the size of the text. Text that is not valid JSON is left to the real
/// parser (the scan then reports no duplicate).
public enum JSONDuplicateKeys {
    /// The first duplicate key as a path (`layout`, `units[3].code`), or nil.
    public static func first(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        return scanner.run()
    }

    struct Scanner {
        struct Frame {
            var isObject: Bool
            var path: String
            var currentKey: String?
            var index = 0
        }

        let bytes: [UInt8]
        var i = 0
        var stack: [Frame] = []
        /// The keys seen so far in each open frame (empty for arrays), mutated in place.
        var keySets: [Set<[UInt8]>] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// Path of the value about to start (the key or index of the innermost frame).
        func childPath() -> String {
            guard let top = stack.last else { return "" }
            if top.isObject {
                let k = top.currentKey ?? "?"
                return top.path.isEmpty ? k : top.path + "." + k
            }
            return top.path + "[\(top.index)]"
        }

        /// Reads `"key" :` in the innermost object; returns the duplicate's path if seen before.
        mutating func readKey() -> (ok: Bool, duplicate: String?) {
            skipSpace()
            guard let key = readString() else { return (false, nil) }
            let name = String(decoding: key, as: UTF8.self)
            let p = stack[stack.count - 1].path
            if !keySets[keySets.count - 1].insert(key).inserted { return (true, p.isEmpty ? name : p + "." + name) }
            stack[stack.count - 1].currentKey = name
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x3A else { return (false, nil) }
            i += 1
            return (true, nil)
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        /// Reads a string starting at `"`; returns its raw bytes with escapes decoded enough to
        /// compare keys (`\"`, `\\`, `\/`, `\uXXXX` kept as written but `\u0041` vs `A` differ:
        /// they are then treated as distinct, which only the real parser would merge).
        mutating func readString() -> [UInt8]? {
            guard i < bytes.count, bytes[i] == 0x22 else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 { i += 1; return out }
                if b == 0x5C {
                    guard i + 1 < bytes.count else { return nil }
                    let e = bytes[i + 1]
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        guard i + 5 < bytes.count else { return nil }
                        var v: UInt32 = 0
                        for k in 2...5 {
                            guard let d = hexValue(bytes[i + k]) else { return nil }
                            v = v << 4 | d
                        }
                        if v < 0x80 { out.append(UInt8(v)) } else { out += [0x5C, 0x75] + bytes[(i + 2)...(i + 5)] }
                        i += 4
                    default: return nil
                    }
                    i += 2
                    continue
                }
                out.append(b)
                i += 1
            }
            return nil
        }

        func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: UInt32(b - 0x30)
            case 0x41...0x46: UInt32(b - 0x41 + 10)
            case 0x61...0x66: UInt32(b - 0x61 + 10)
            default: nil
            }
        }

        /// After a value ends: the enclosing array counts it.
        mutating func valueDone() {
            if let top = stack.last, !top.isObject { stack[stack.count - 1].index += 1 }
        }

        mutating func run() -> String? {
            while true {
                skipSpace()
                guard i < bytes.count else { return nil }
                let b = bytes[i]
                switch b {
                case 0x7B:  // {
                    let path = childPath()
                    i += 1
                    stack.append(Frame(isObject: true, path: path, currentKey: nil))
                    keySets.append([])
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == 0x7D { continue }  // `{}`: closed below
                    let (ok, dup) = readKey()
                    if let dup { return dup }
                    if !ok { return nil }
                case 0x5B:  // [
                    let path = childPath()
                    i += 1
                    stack.append(Frame(isObject: false, path: path, currentKey: nil))
                    keySets.append([])
                case 0x7D, 0x5D:  // } ]
                    i += 1
                    guard stack.popLast() != nil else { return nil }
                    keySets.removeLast()
                    valueDone()
                case 0x2C:  // ,
                    i += 1
                    guard let top = stack.last else { return nil }
                    if top.isObject {
                        let (ok, dup) = readKey()
                        if let dup { return dup }
                        if !ok { return nil }
                    }
                case 0x22:
                    guard readString() != nil else { return nil }
                    valueDone()
                default:
                    // A number, true, false or null: up to the next delimiter.
                    let start = i
                    while i < bytes.count, ![0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
                    if i == start { return nil }
                    valueDone()
                }
            }
        }
    }
}
