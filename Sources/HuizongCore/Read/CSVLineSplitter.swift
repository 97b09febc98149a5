/// RFC 4180 on one physical line (SPEC 3.1: no field contains a line break). Hand-written on
/// bytes: it runs over every input line.
///
/// A field that starts with `"` is quoted: `""` inside is a literal quote and the field ends at
/// the next lone `"`; anything after the closing quote up to the next comma is kept literally
/// (as Python's csv module does). A quoted field whose quote does not close on the line makes
/// the line malformed (`LINE_QUOTE`).
public enum CSVLineSplitter {
    /// Appends the unquoted cells of `line` to `bytes` and their ranges to `cells`.
    /// Returns false when a quote does not close on the line.
    @inlinable
    public static func split(_ line: UnsafeBufferPointer<UInt8>, bytes: inout [UInt8], cells: inout [Range<Int>]) -> Bool {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        let n = line.count
        var i = 0
        while true {
            let cellStart = bytes.count
            if i < n && line[i] == quote {
                i += 1
                var closed = false
                while i < n {
                    let b = line[i]
                    if b == quote {
                        if i + 1 < n && line[i + 1] == quote {
                            bytes.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    // Copy a run of ordinary bytes at once.
                    var j = i + 1
                    while j < n && line[j] != quote { j += 1 }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j]))
                    i = j
                }
                if !closed { return false }
                // Text after the closing quote, up to the comma, is kept as written.
                var j = i
                while j < n && line[j] != comma { j += 1 }
                if j > i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j])) }
                i = j
            } else {
                var j = i
                while j < n && line[j] != comma { j += 1 }
                if j > i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j])) }
                i = j
            }
            cells.append(cellStart..<bytes.count)
            if i >= n { return true }
            i += 1  // the comma
        }
    }

    /// A line of only commas and spaces (ASCII space, tab, U+3000) is blank (SPEC 3.1).
    @inlinable
    public static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = line.count
        while i < n {
            let b = line[i]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
                i += 1
            } else if b == 0xE3 && i + 2 < n && line[i + 1] == 0x80 && line[i + 2] == 0x80 {
                i += 3
            } else {
                return false
            }
        }
        return true
    }

    /// Convenience for tests and small files: the cells of a line as Strings, nil if malformed.
    public static func cells(of line: String) -> [String]? {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        let utf8 = Array(line.utf8)
        let ok = utf8.withUnsafeBufferPointer { split($0, bytes: &bytes, cells: &ranges) }
        guard ok else { return nil }
        return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
    }
}
