#if canImport(Glibc)
import Glibc
#endif

/// Splits decompressed content into physical lines (SPEC 3.1: one physical line is one record;
/// LF or CRLF; numbered from 1). A file whose first line end is a bare CR (Excel for Mac's
/// "CSV (Macintosh)") is read with CR as its line end (SPEC 8.5); a CRLF then still counts as one
/// line end. A line longer than 1 MiB is reported as `.tooLong` and skipped
/// without ever being held in memory whole. Hand-written on a reused byte buffer with memchr:
/// this is the innermost loop of every run.
public final class LineReader {
    public enum Event {
        /// A line's bytes without its terminator; valid until the next call.
        case line(UnsafeBufferPointer<UInt8>)
        case tooLong
        case end
    }

    public static let maxLineBytes = 1 << 20

    private let source: DecompressedStream
    /// The content read ahead: one maximum line and a quarter MiB more, never grown.
    private var window: ByteWindow
    /// The line end byte: decided at the first line end (LF, or CR for a bare CR).
    private var terminator: UInt8 = 0x0A
    private var terminatorDecided = false
    /// In CR mode, an LF right after a CR belongs to the same line end.
    private var skipLFAfterCR = false
    /// Physical number of the line last returned.
    public private(set) var lineNumber = 0

    public init(source: DecompressedStream) {
        self.source = source
        window = ByteWindow(capacity: Self.maxLineBytes + (1 << 18))
    }

    /// Fills the buffer with at least `count` bytes (or to EOF) and returns a view of its start,
    /// without consuming anything (encoding detection reads the first 64 KiB this way).
    public func peek(_ count: Int) throws(FileRejection) -> UnsafeBufferPointer<UInt8> {
        while window.end - window.start < count && !window.eof {
            try fill()
        }
        return UnsafeBufferPointer(start: window.base + window.start, count: min(count, window.end - window.start))
    }

    /// Skips `n` bytes at the very start (a BOM).
    public func skip(_ n: Int) {
        window.start += min(n, window.end - window.start)
    }

    private func fill() throws(FileRejection) {
        _ = try window.refill(from: source)
    }

    /// Decides the line end from the first one in the content: a CR not followed by LF makes CR
    /// the line end. Looks no further than one maximum line.
    private func decideTerminator() throws(FileRejection) {
        terminatorDecided = true
        var scanned = 0
        while true {
            let n = window.end - window.start
            var i = scanned
            while i < n {
                let b = window.base[window.start + i]
                if b == 0x0A { return }
                if b == 0x0D {
                    if i + 1 < n {
                        if window.base[window.start + i + 1] != 0x0A { terminator = 0x0D }
                        return
                    }
                    if window.eof { terminator = 0x0D; return }
                    break  // need the next byte
                }
                i += 1
            }
            scanned = i
            if window.eof || n > Self.maxLineBytes + 1 { return }
            let before = window.end - window.start
            try fill()
            if window.end - window.start == before && !window.eof { return }  // buffer full
        }
    }

    public func next() throws(FileRejection) -> Event {
        if !terminatorDecided { try decideTerminator() }
        if skipLFAfterCR {
            if window.start == window.end && !window.eof { try fill() }
            if window.start < window.end && window.base[window.start] == 0x0A { window.start += 1 }
            skipLFAfterCR = false
        }
        var scanFrom = window.start
        while true {
            if scanFrom < window.end, let hit = memchr(window.base + scanFrom, Int32(terminator), window.end - scanFrom) {
                let lf = hit.assumingMemoryBound(to: UInt8.self) - window.base
                var lineEnd = lf
                if terminator == 0x0A {
                    if lineEnd > window.start && window.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                } else {
                    skipLFAfterCR = true
                }
                let s = window.start
                window.start = lf + 1
                lineNumber += 1
                if lineEnd - s > Self.maxLineBytes { return .tooLong }
                return .line(UnsafeBufferPointer(start: window.base + s, count: lineEnd - s))
            }
            // No terminator in the buffer yet.
            if window.end - window.start > Self.maxLineBytes + 1 {
                // Too long: discard up to the next LF without holding it.
                lineNumber += 1
                try skipToNextLine()
                return .tooLong
            }
            if window.eof {
                if window.start == window.end { return .end }
                var lineEnd = window.end
                if window.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let s = window.start
                window.start = window.end
                lineNumber += 1
                if lineEnd - s > Self.maxLineBytes { return .tooLong }
                return .line(UnsafeBufferPointer(start: window.base + s, count: lineEnd - s))
            }
            scanFrom = window.end - window.start  // after fill(), the unscanned part starts here (relative)
            try fill()
            scanFrom += window.start
        }
    }

    private func skipToNextLine() throws(FileRejection) {
        while true {
            if window.start < window.end, let hit = memchr(window.base + window.start, Int32(terminator), window.end - window.start) {
                window.start = hit.assumingMemoryBound(to: UInt8.self) - window.base + 1
                if terminator == 0x0D { skipLFAfterCR = true }
                return
            }
            window.start = window.end
            if window.eof { return }
            try fill()
            if window.start == window.end && window.eof { return }
        }
    }
}
