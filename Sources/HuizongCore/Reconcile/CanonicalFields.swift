/// Fields of a canonical line (every column but 序号, CSV-encoded, comma-joined) by column.
/// Reconciliation compares a few fields between versions of one person (IDENTITY_MISMATCH,
/// MULTIPLE_REGISTRATION, DEST_EMPTIED) and reports need the 姓名 of superseded rows: this finds
/// a field's bytes in place, without splitting the line into strings.
public enum CanonicalLine {
    /// The encoded bytes of `column` (as written in the line: quoted if the value needed quotes).
    /// Canonical encoding is deterministic, so equal values have equal encodings.
    @inlinable
    public static func field<C: Collection>(_ column: Column, in line: C) -> C.SubSequence
    where C.Element == UInt8 {
        let target = column.rawValue - 1
        var index = 0
        var start = line.startIndex
        var i = line.startIndex
        var inQuotes = false
        while i != line.endIndex {
            let b = line[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if b == UInt8(ascii: ",") && !inQuotes {
                if index == target { return line[start..<i] }
                index += 1
                start = line.index(after: i)
            }
            i = line.index(after: i)
        }
        return index == target ? line[start..<line.endIndex] : line[line.endIndex..<line.endIndex]
    }

    /// The same on a buffer (the common case): a byte loop without generic index arithmetic.
    @inlinable
    public static func field(_ column: Column, in line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[fieldRange(column, in: line)])
    }

    /// Where the encoded bytes of `column` are in a canonical line (empty range at the end when
    /// the line has fewer fields).
    @inlinable
    public static func fieldRange(_ column: Column, in line: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let target = column.rawValue - 1
        var index = 0, start = 0, i = 0
        var inQuotes = false
        let n = line.count
        while i < n {
            let b = line[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if b == UInt8(ascii: ",") && !inQuotes {
                if index == target { return start..<i }
                index += 1
                start = i + 1
            }
            i += 1
        }
        return index == target ? start..<n : n..<n
    }

    /// `fieldRange` for a column near the end of the line (更新时间: only 登记单位 follows it),
    /// found by scanning back from the end: a few dozen bytes instead of the whole line, on the
    /// per-row path of the reconciler (it was 8% of a workbook run's CPU scanning forward). A
    /// comma met before any quote on the way back cannot be inside a quoted field (that field's
    /// closing quote would come after it), so the answer is the forward scan's; the first quote
    /// met hands over to the forward scan.
    @inlinable
    public static func fieldRangeFromEnd(_ column: Column, in line: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let following = Column.count - 1 - column.rawValue   // fields after `column`
        var commas = 0, end = line.count, i = line.count - 1
        while i >= 0 {
            let b = line[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: ",") {
                if commas == following { return (i + 1)..<end }
                commas += 1
                end = i
            }
            i -= 1
        }
        return fieldRange(column, in: line)
    }

    /// The decoded value of `column` as a String (unquoted).
    public static func string<C: Collection>(_ column: Column, in line: C) -> String where C.Element == UInt8 {
        let f = field(column, in: line)
        let s = String(decoding: f, as: UTF8.self)
        guard s.first == "\"", s.count >= 2 else { return s }
        return String(s.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
