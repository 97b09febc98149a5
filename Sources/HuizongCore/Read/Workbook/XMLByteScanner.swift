import Foundation

/// A forward-only scanner of XML tags and text over bytes streamed from a `ByteSource`, for the
/// parts of a workbook (SPEC 8.2). Hot path: the sheet of a 1M-row workbook passes through here
/// (Foundation's XMLParser managed ~50 MB/s here, far from the run's target), so it finds `<`
/// and `>` with `memchr` in one growing buffer and hands out views into it — no per-tag
/// allocation, no DOM. It knows only what a workbook needs: start, end and empty tags with their
/// local names (a namespace prefix such as `x:` is skipped), attributes, text; comments,
/// processing instructions and the DOCTYPE are passed over. Views stay valid until the next call.
public final class XMLByteScanner {
    public enum Kind { case start, end, empty }

    public struct Tag {
        public var kind: Kind
        /// The local name (after any `prefix:`).
        public var name: UnsafeBufferPointer<UInt8>
        /// The bytes between the name and `>` (or `/>`).
        public var attributes: UnsafeBufferPointer<UInt8>

        @inline(__always)
        public func named(_ literal: StaticString) -> Bool { XMLByteScanner.equals(name, literal) }

        /// The raw (still escaped) value of the attribute whose local name is `literal`.
        public func attribute(_ literal: StaticString) -> UnsafeBufferPointer<UInt8>? {
            XMLByteScanner.attribute(literal, in: attributes)
        }
    }

    private let source: ByteSource
    /// The part read ahead; grows for a long tag or text run, up to `maxToken`.
    private var window: ByteWindow
    /// The scanner's position in the window.
    private var pos = 0
    /// No single tag or text run may exceed this (a corrupt or hostile part).
    static let maxToken = 64 << 20

    public init(source: ByteSource, bufferSize: Int = 1 << 20) {
        self.source = source
        window = ByteWindow(capacity: bufferSize, maxCapacity: Self.maxToken)
    }

    /// Keeps the bytes from `keep` on, moves them to the front, reads more. False at the end.
    private func refill(keepFrom keep: Int) throws(FileRejection) -> Bool {
        if window.eof { return false }
        window.start = keep
        let n = try window.refill(from: source)
        pos -= keep
        if n > 0 { return true }
        if window.eof { return false }
        throw ZipArchive.corrupt("XML元素过长 XML token too long")
    }

    @inline(__always)
    private func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < window.end, let p = memchr(window.base + from, Int32(byte), window.end - from) else { return nil }
        return p.assumingMemoryBound(to: UInt8.self) - window.base
    }

    /// The next tag, skipping text; nil at the end of the part.
    public func nextTag() throws(FileRejection) -> Tag? {
        while true {
            guard var lt = find(0x3C, from: pos) else {
                pos = window.end
                if try !refill(keepFrom: window.end) { return nil }
                continue
            }
            // The whole tag up to `>` in the buffer (tags are short: a loop beats a memchr call).
            var gt: Int? = nil
            var k = lt + 1
            while k < window.end {
                if window.base[k] == 0x3E { gt = k; break }
                k += 1
            }
            while gt == nil {
                pos = lt
                guard try refill(keepFrom: lt) else { throw ZipArchive.corrupt("XML不完整 unterminated XML tag") }
                lt = 0
                gt = find(0x3E, from: lt + 1)
            }
            let close = gt!
            let first = lt + 1 < close ? window.base[lt + 1] : 0
            if first == 0x21 || first == 0x3F { // <! or <?
                if first == 0x21, close - lt >= 3, window.base[lt + 2] == 0x2D { // <!-- … -->: may hold `>`
                    pos = lt
                    try skipPast("-->")
                } else if first == 0x21, close - lt >= 8, window.base[lt + 2] == 0x5B { // <![CDATA[ … ]]>
                    pos = lt
                    try skipPast("]]>")
                } else {
                    pos = close + 1
                }
                continue
            }
            var kind = Kind.start
            var nameStart = lt + 1
            var last = close // exclusive end of name+attributes
            if first == 0x2F { kind = .end; nameStart += 1 }
            if last > nameStart && window.base[last - 1] == 0x2F { kind = .empty; last -= 1 }
            var nameEnd = nameStart
            var local = nameStart
            while nameEnd < last {
                let b = window.base[nameEnd]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { break }
                if b == 0x3A { local = nameEnd + 1 }
                nameEnd += 1
            }
            pos = close + 1
            return Tag(kind: kind, name: UnsafeBufferPointer(start: window.base + local, count: nameEnd - local),
                       attributes: UnsafeBufferPointer(start: window.base + nameEnd, count: last - nameEnd))
        }
    }

    /// After a value's text: skips the end tag that follows (`</v>`, `</t>`) when it is in the
    /// buffer, saving a `nextTag` call per cell; otherwise leaves it for `nextTag`.
    @inline(__always)
    public func skipEndTag() {
        guard pos + 1 < window.end, window.base[pos] == 0x3C, window.base[pos + 1] == 0x2F else { return }
        var k = pos + 2
        while k < window.end {
            if window.base[k] == 0x3E { pos = k + 1; return }
            k += 1
        }
    }

    // MARK: A caller's own matcher (SheetScanner's whole-cell fast path)

    /// Makes at least `count` unread bytes available when the part still has them (fewer only
    /// near its end); false when nothing is left. `count` must be well below the buffer size.
    @inline(__always)
    func ensure(_ count: Int) throws(FileRejection) -> Bool {
        while window.end - pos < count && !window.eof {
            if try !refill(keepFrom: pos) { break }
        }
        return window.end > pos
    }

    /// The unread bytes in the buffer, valid until the next call that reads.
    @inline(__always)
    var unread: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: window.base + pos, count: window.end - pos) }

    /// Consumes `count` of the unread bytes.
    @inline(__always)
    func consume(_ count: Int) { pos += count }

    /// Moves past the next occurrence of `terminator` (3 bytes).
    private func skipPast(_ terminator: StaticString) throws(FileRejection) {
        let t = terminator.utf8Start
        while true {
            var i = pos
            while let j = find(t[0], from: i) {
                if j + 2 < window.end {
                    if window.base[j + 1] == t[1] && window.base[j + 2] == t[2] { pos = j + 3; return }
                    i = j + 1
                } else {
                    break
                }
            }
            let keep = max(pos, window.end - 2)
            pos = keep
            guard try refill(keepFrom: keep) else { throw ZipArchive.corrupt("XML不完整 unterminated XML comment") }
        }
    }

    /// The raw text from here up to the next `<` (not consumed), still escaped.
    public func text() throws(FileRejection) -> UnsafeBufferPointer<UInt8> {
        // A cell's value is short: look a few bytes ahead before calling memchr.
        var k = pos
        let near = min(window.end, pos + 32)
        while k < near {
            if window.base[k] == 0x3C {
                let t = UnsafeBufferPointer(start: window.base + pos, count: k - pos)
                pos = k
                return t
            }
            k += 1
        }
        while true {
            if let lt = find(0x3C, from: pos) {
                let t = UnsafeBufferPointer(start: window.base + pos, count: lt - pos)
                pos = lt
                return t
            }
            let start = pos
            guard try refill(keepFrom: start) else {
                let t = UnsafeBufferPointer(start: window.base + pos, count: window.end - pos)
                pos = window.end
                return t
            }
        }
    }

    /// Skips to the end tag of the element just opened (`<name>` … `</name>`), nested ones included.
    public func skipElement() throws(FileRejection) {
        var depth = 1
        while let t = try nextTag() {
            switch t.kind {
            case .start: depth += 1
            case .end: depth -= 1; if depth == 0 { return }
            case .empty: break
            }
        }
    }

    // MARK: Helpers on bytes

    @inline(__always)
    public static func equals(_ p: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard p.count == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for i in 0..<p.count where p[i] != l[i] { return false }
        return true
    }

    /// The raw value of the attribute whose local name is `literal` (any prefix), or nil.
    public static func attribute(_ literal: StaticString, in a: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let n = a.count
        var i = 0
        while i < n {
            while i < n, a[i] == 0x20 || a[i] == 0x09 || a[i] == 0x0A || a[i] == 0x0D { i += 1 }
            let nameStart = i
            var local = i
            while i < n, a[i] != 0x3D, a[i] != 0x20, a[i] != 0x09, a[i] != 0x0A, a[i] != 0x0D {
                if a[i] == 0x3A { local = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < n, a[i] != 0x3D { i += 1 }
            i += 1
            while i < n, a[i] == 0x20 || a[i] == 0x09 || a[i] == 0x0A || a[i] == 0x0D { i += 1 }
            guard i < n else { return nil }
            let quote = a[i]
            guard quote == 0x22 || quote == 0x27 else { return nil }
            i += 1
            let valueStart = i
            while i < n, a[i] != quote { i += 1 }
            let value = UnsafeBufferPointer(rebasing: a[valueStart..<min(i, n)])
            i += 1
            if nameEnd > nameStart, equals(UnsafeBufferPointer(rebasing: a[local..<nameEnd]), literal) { return value }
        }
        return nil
    }

    /// Appends XML text with its entities decoded (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`,
    /// `&#N;` `&#xH;`) and, when `xstring`, OOXML's `_xHHHH_` escapes (ST_Xstring: `_x000D_` is a
    /// carriage return) decoded too. Fast path: a run without `&` or `_` is copied as is.
    public static func appendDecoded(_ t: UnsafeBufferPointer<UInt8>, xstring: Bool, to out: inout [UInt8]) {
        let n = t.count
        guard n > 0 else { return }
        let hasAmp = memchr(t.baseAddress!, 0x26, n) != nil
        let hasX = xstring && memchr(t.baseAddress!, 0x5F, n) != nil
        if !hasAmp && !hasX {
            out.append(contentsOf: t)
            return
        }
        var decoded: [UInt8]
        if hasAmp {
            decoded = []
            decoded.reserveCapacity(n)
            var i = 0
            while i < n {
                let b = t[i]
                guard b == 0x26, let semi = (i + 1..<min(n, i + 12)).first(where: { t[$0] == 0x3B }) else {
                    decoded.append(b)
                    i += 1
                    continue
                }
                let name = UnsafeBufferPointer(rebasing: t[(i + 1)..<semi])
                var scalar: UInt32?
                if equals(name, "lt") { scalar = 0x3C } else if equals(name, "gt") { scalar = 0x3E }
                else if equals(name, "amp") { scalar = 0x26 } else if equals(name, "quot") { scalar = 0x22 }
                else if equals(name, "apos") { scalar = 0x27 }
                else if name.count >= 2, name[0] == 0x23 {
                    let hex = name[1] == 0x78 || name[1] == 0x58
                    let digits = String(decoding: name[(hex ? 2 : 1)...], as: UTF8.self)
                    scalar = UInt32(digits, radix: hex ? 16 : 10)
                }
                if let s = scalar, let u = Unicode.Scalar(s) {
                    appendScalar(u, to: &decoded)
                    i = semi + 1
                } else {
                    decoded.append(b)
                    i += 1
                }
            }
        } else {
            decoded = Array(t)
        }
        if hasX {
            decodeXString(decoded, to: &out)
        } else {
            out.append(contentsOf: decoded)
        }
    }

    private static func decodeXString(_ d: [UInt8], to out: inout [UInt8]) {
        var i = 0
        let n = d.count
        while i < n {
            if d[i] == 0x5F, i + 6 < n, d[i + 1] == 0x78, d[i + 6] == 0x5F,
               let a = HexDigit.value(d[i + 2]), let b = HexDigit.value(d[i + 3]), let c = HexDigit.value(d[i + 4]),
               let e = HexDigit.value(d[i + 5]),
               let u = Unicode.Scalar(a << 12 | b << 8 | c << 4 | e) {
                appendScalar(u, to: &out)
                i += 7
            } else {
                out.append(d[i])
                i += 1
            }
        }
    }

    static func appendScalar(_ u: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(u) { out.append($0) }
    }
}
