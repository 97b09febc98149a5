import CZlib
import Foundation

// MARK: - gzip through zlib (independent of the product's reader and writer)

/// One gzip member of `data` (deflate level `level`, zlib's own gzip header: mtime 0).
public func gzipMember(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var s = z_stream()
    precondition(deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&s) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, uLong(data.count))) + 64)
    var produced = 0
    data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            s.avail_in = uInt(src.count)
            s.next_out = dst.baseAddress
            s.avail_out = uInt(dst.count)
            let rc = deflate(&s, Z_FINISH)
            precondition(rc == Z_STREAM_END)
            produced = dst.count - Int(s.avail_out)
        }
    }
    return Array(out[0..<produced])
}

/// A gzip member of `count` bytes repeating `pattern` (1 MiB blocks of it; `count` a whole number
/// of blocks), streamed: never holds the input.
public func gzipRepeating(_ pattern: [UInt8], count: Int, level: Int32) -> [UInt8] {
    var s = z_stream()
    precondition(deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&s) }
    var block: [UInt8] = []
    while block.count < 1 << 20 { block += pattern }
    block = Array(block[0..<(1 << 20)])
    precondition(count % block.count == 0)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var out: [UInt8] = []
    var left = count
    block.withUnsafeBufferPointer { src in
        while true {
            let n = min(left, src.count)
            left -= n
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            s.avail_in = uInt(n)
            let flush = left == 0 ? Z_FINISH : Z_NO_FLUSH
            var rc: Int32 = Z_OK
            repeat {
                chunk.withUnsafeMutableBufferPointer { dst in
                    s.next_out = dst.baseAddress
                    s.avail_out = uInt(dst.count)
                    rc = deflate(&s, flush)
                    out.append(contentsOf: dst[0..<(dst.count - Int(s.avail_out))])
                }
            } while s.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END)
            if left == 0 { break }
        }
    }
    return out
}

public struct GunzipResult: Sendable {
    public var content: [UInt8]
    /// Byte offset of each member in the compressed data.
    public var memberOffsets: [Int]
}

/// Inflates every member of a gzip file; throws on truncation, corruption or trailing garbage.
public func gunzipMembers(_ data: [UInt8]) throws -> GunzipResult {
    guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else { throw TestFailure("not gzip") }
    var s = z_stream()
    guard inflateInit2_(&s, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw TestFailure("inflateInit")
    }
    defer { inflateEnd(&s) }
    var out: [UInt8] = []
    var offsets = [0]
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    try data.withUnsafeBufferPointer { src in
        var pos = 0
        while true {
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress! + pos)
            s.avail_in = uInt(src.count - pos)
            var rc: Int32 = Z_OK
            while rc != Z_STREAM_END {
                try chunk.withUnsafeMutableBufferPointer { dst in
                    s.next_out = dst.baseAddress
                    s.avail_out = uInt(dst.count)
                    rc = inflate(&s, Z_NO_FLUSH)
                    if rc != Z_OK && rc != Z_STREAM_END { throw TestFailure("inflate error \(rc)") }
                    out.append(contentsOf: dst[0..<(dst.count - Int(s.avail_out))])
                    if rc == Z_OK && s.avail_in == 0 && s.avail_out != 0 { throw TestFailure("truncated gzip") }
                }
            }
            pos = src.count - Int(s.avail_in)
            if pos == src.count { break }
            offsets.append(pos)
            guard inflateReset(&s) == Z_OK else { throw TestFailure("inflateReset") }
        }
    }
    return GunzipResult(content: out, memberOffsets: offsets)
}

public func gunzip(_ path: String) throws -> [UInt8] { try gunzipMembers(readBytes(path)).content }

// MARK: - Encodings

/// GB18030 bytes of `text` by Python's codec (independent of the product's iconv decoder).
public func gb18030(_ text: String) throws -> [UInt8] {
    let dir = TempDir("gb")
    dir.write("in.txt", text)
    let r = try runProcess("/usr/bin/env", ["python3", "-c",
        "import sys; open(sys.argv[2],'wb').write(open(sys.argv[1],encoding='utf-8').read().encode('gb18030'))",
        dir.url("in.txt"), dir.url("out.bin")])
    guard r.status == 0 else { throw TestFailure("python3 gb18030 encode failed: \(r.stderr)") }
    return dir.read("out.bin")
}
