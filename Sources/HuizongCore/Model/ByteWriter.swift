#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether the bytes equal a static ASCII/UTF-8 string.
    func equals(_ s: StaticString) -> Bool {
        s.withUTF8Buffer { q in
            guard count == q.count else { return false }
            for i in 0..<count where self[i] != q[i] { return false }
            return true
        }
    }

    /// A sub-buffer (positions relative to self).
    func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[r])
    }
}

/// Appends bytes at a raw pointer whose capacity the caller has reserved: the canonical line of a
/// row is built here and copied into `ValidatedRecord.canonicalLine` once. Hand-written in place of
/// `Array.append` calls (each checks uniqueness and capacity) on the per-row hot path. The
/// `ByteSpool` keeps its in-memory bytes in one too (it makes room before each write).
///
/// Every write is bounds-checked with `precondition` (kept in release builds): the caller's bound
/// on the line (RecordValidator) is reasoned, not proved, and a wrong bound must stop the run
/// rather than write past the buffer. The check is one compare per append, not per byte.
struct ByteWriter {
    let base: UnsafeMutablePointer<UInt8>
    /// Bytes the buffer at `base` holds.
    let capacity: Int
    var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    private func reserve(_ n: Int) {
        precondition(n >= 0 && count <= capacity - n, "ByteWriter: canonical line longer than its buffer")
    }

    /// Appends a non-negative integer as exactly `width` ASCII digits, zero-padded (dates, codes).
    mutating func appendDigits(_ value: Int, width: Int) {
        reserve(width)
        var v = value
        for k in stride(from: width - 1, through: 0, by: -1) {
            base[count + k] = 0x30 + UInt8(v % 10)
            v /= 10
        }
        count += width
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).update(from: src, count: p.count)
        count += p.count
    }

    /// Unsigned LEB128: small numbers (line numbers, lengths) take one to three bytes.
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        reserve(10)
        var v = value
        while v >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: v) | 0x80
            count += 1
            v >>= 7
        }
        base[count] = UInt8(v)
        count += 1
    }

    /// Eight bytes, little-endian.
    @inline(__always)
    mutating func appendFixed64(_ value: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count += 8
    }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append($0) }
    }

    /// One CSV field, exactly as `CSVField.append` writes it (RFC 4180: quoted only when it holds a
    /// comma, a double quote, CR or LF; quotes doubled).
    @inline(__always)
    mutating func appendCSV(_ p: UnsafeBufferPointer<UInt8>, mayNeedQuotes: Bool = true) {
        guard mayNeedQuotes && CSVField.needsQuotes(p) else {
            append(p)
            return
        }
        var quotes = 0
        for b in p where b == 0x22 { quotes += 1 }
        reserve(p.count + quotes + 2)
        base[count] = 0x22
        count += 1
        for b in p {
            if b == 0x22 {
                base[count] = b
                count += 1
            }
            base[count] = b
            count += 1
        }
        base[count] = 0x22
        count += 1
    }

    /// What was written from `start` on.
    func written(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: count - start)
    }
}
