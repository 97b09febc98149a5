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
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    /// The line end byte: decided at the first line end (LF, or CR for a bare CR).
    private var terminator: UInt8 = 0x0A
    private var terminatorDecided = false
    /// In CR mode, an LF right after a CR belongs to the same line end.
    private var skipLFAfterCR = false
    /// Physical number of the line last returned.
    public private(set) var lineNumber = 0

    public init(source: DecompressedStream) {
        self.source = source
        capacity = Self.maxLineBytes + (1 << 18)
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Fills the buffer with at least `count` bytes (or to EOF) and returns a view of its start,
    /// without consuming anything (encoding detection reads the first 64 KiB this way).
    public func peek(_ count: Int) throws(FileRejection) -> UnsafeBufferPointer<UInt8> {
        while end - start < count && !eof {
            try fill()
        }
        return UnsafeBufferPointer(start: buffer + start, count: min(count, end - start))
    }

    /// Skips `n` bytes at the very start (a BOM).
    public func skip(_ n: Int) {
        start += min(n, end - start)
    }

    private func fill() throws(FileRejection) {
        if start > 0 {
            let live = end - start
            if live > 0 { memmove(buffer, buffer + start, live) }
            start = 0
            end = live
        }
        if end == capacity { return }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { eof = true }
        end += n
    }

    /// Decides the line end from the first one in the content: a CR not followed by LF makes CR
    /// the line end. Looks no further than one maximum line.
    private func decideTerminator() throws(FileRejection) {
        terminatorDecided = true
        var scanned = 0
        while true {
            let n = end - start
            var i = scanned
            while i < n {
                let b = buffer[start + i]
                if b == 0x0A { return }
                if b == 0x0D {
                    if i + 1 < n {
                        if buffer[start + i + 1] != 0x0A { terminator = 0x0D }
                        return
                    }
                    if eof { terminator = 0x0D; return }
                    break  // need the next byte
                }
                i += 1
            }
            scanned = i
            if eof || n > Self.maxLineBytes + 1 { return }
            let before = end - start
            try fill()
            if end - start == before && !eof { return }  // buffer full
        }
    }

    public func next() throws(FileRejection) -> Event {
        if !terminatorDecided { try decideTerminator() }
        if skipLFAfterCR {
            if start == end && !eof { try fill() }
            if start < end && buffer[start] == 0x0A { start += 1 }
            skipLFAfterCR = false
        }
        var scanFrom = start
        while true {
            if scanFrom < end, let hit = memchr(buffer + scanFrom, Int32(terminator), end - scanFrom) {
                let lf = hit.assumingMemoryBound(to: UInt8.self) - buffer
                var lineEnd = lf
                if terminator == 0x0A {
                    if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                } else {
                    skipLFAfterCR = true
                }
                let s = start
                start = lf + 1
                lineNumber += 1
                if lineEnd - s > Self.maxLineBytes { return .tooLong }
                return .line(UnsafeBufferPointer(start: buffer + s, count: lineEnd - s))
            }
            // No terminator in the buffer yet.
            if end - start > Self.maxLineBytes + 1 {
                // Too long: discard up to the next LF without holding it.
                lineNumber += 1
                try skipToNextLine()
                return .tooLong
            }
            if eof {
                if start == end { return .end }
                var lineEnd = end
                if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let s = start
                start = end
                lineNumber += 1
                if lineEnd - s > Self.maxLineBytes { return .tooLong }
                return .line(UnsafeBufferPointer(start: buffer + s, count: lineEnd - s))
            }
            scanFrom = end - start  // after fill(), the unscanned part starts here (relative)
            try fill()
            scanFrom += start
        }
    }

    private func skipToNextLine() throws(FileRejection) {
        while true {
            if start < end, let hit = memchr(buffer + start, Int32(terminator), end - start) {
                start = hit.assumingMemoryBound(to: UInt8.self) - buffer + 1
                if terminator == 0x0D { skipLFAfterCR = true }
                return
            }
            start = end
            if eof { return }
            try fill()
            if start == end && eof { return }
        }
    }
}
