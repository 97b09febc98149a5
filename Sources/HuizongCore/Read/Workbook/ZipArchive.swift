#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CIsal
import Foundation

/// The ZIP container of an Office Open XML workbook (SPEC 8.2), read with `pread` from its
/// central directory (ZIP64 included), each part inflated as a stream by ISA-L (raw deflate,
/// `CIsal`), never whole in memory. Why not ZIPFoundation: see
/// docs/excel.md (pull-based streaming into the sheet scanner, one inflate limit over all parts,
/// no new dependency). Anything that is not a well-formed archive is `FILE_FORMAT`; the parts
/// inflating past the limit of SPEC 3.1 together is `FILE_INFLATE_LIMIT`.
public final class ZipArchive {
    public struct Entry: Sendable {
        public var name: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int64
        /// As the central directory declares it (not trusted: the inflate limit counts real bytes).
        public var uncompressedSize: Int64
        var localHeaderOffset: Int64
    }

    public let path: String
    public let size: Int64
    /// Entries in central-directory order.
    public private(set) var entries: [Entry] = []
    private var byName: [String: Int] = [:]
    private var fd: Int32
    /// Bytes inflated from every part so far (the inflate limit is over the whole workbook).
    var totalInflated: Int64 = 0
    private let inflatedLock = NSLock()

    static func corrupt(_ why: String) -> FileRejection {
        FileRejection(.fileFormat, "工作簿已损坏（\(why)），请另存为 .xlsx 或 CSV UTF-8 corrupt workbook (\(why)); save it as .xlsx or CSV UTF-8")
    }

    public init(path: String) throws(FileRejection) {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            throw FileRejection(.fileUnreadable, "无法打开 cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            fd = -1
            throw FileRejection(.fileUnreadable, "不是普通文件 not a regular file: \(path)")
        }
        size = Int64(st.st_size)
        do {
            try readCentralDirectory()
        } catch {
            close(fd)
            fd = -1
            throw error
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Reads exactly `count` bytes at `offset` (fewer only at the end of the file).
    func pread(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileRejection) -> Int {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileRejection(.fileUnreadable, "读取失败 read error in \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func bytes(at offset: Int64, count: Int) throws(FileRejection) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + Int64(count) <= size else { throw Self.corrupt("目录越界 directory out of range") }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer { raw.deallocate() }
        let n = try pread(UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]), at: offset)
        guard n == count else { throw Self.corrupt("文件被截断 truncated") }
        return Array(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
    }

    private func readCentralDirectory() throws(FileRejection) {
        // End of central directory: 22 bytes plus a comment of at most 65,535 bytes, at the end.
        guard size >= 22 else { throw Self.corrupt("太短 too short") }
        let tailCount = Int(min(size, 22 + 65_535 + 20))
        let tailStart = size - Int64(tailCount)
        let tail = try bytes(at: tailStart, count: tailCount)
        var eocd = -1
        var i = tailCount - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4B, tail[i + 2] == 0x05, tail[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw Self.corrupt("找不到中央目录 no end of central directory") }
        var count = Int64(le16(tail, eocd + 10))
        var cdSize = Int64(le32(tail, eocd + 12))
        var cdOffset = Int64(le32(tail, eocd + 16))
        // ZIP64: a locator right before the EOCD points to the ZIP64 end record.
        if eocd >= 20, tail[eocd - 20] == 0x50, tail[eocd - 19] == 0x4B, tail[eocd - 18] == 0x06, tail[eocd - 17] == 0x07 {
            let recordOffset = Int64(le64(tail, eocd - 20 + 8))
            let rec = try bytes(at: recordOffset, count: 56)
            guard rec[0] == 0x50, rec[1] == 0x4B, rec[2] == 0x06, rec[3] == 0x06 else { throw Self.corrupt("ZIP64目录无效 bad ZIP64 record") }
            count = Int64(le64(rec, 32))
            cdSize = Int64(le64(rec, 40))
            cdOffset = Int64(le64(rec, 48))
        }
        guard cdOffset >= 0, cdSize >= 0, cdOffset + cdSize <= size, count <= cdSize / 46 + 1, cdSize < 256 << 20 else {
            throw Self.corrupt("中央目录无效 bad central directory")
        }
        let cd = try bytes(at: cdOffset, count: Int(cdSize))
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= cd.count, le32(cd, p) == 0x0201_4B50 else { throw Self.corrupt("中央目录无效 bad central directory") }
            let flags = le16(cd, p + 8)
            let method = le16(cd, p + 10)
            let crc = le32(cd, p + 16)
            var csize = Int64(le32(cd, p + 20))
            var usize = Int64(le32(cd, p + 24))
            let nameLen = Int(le16(cd, p + 28))
            let extraLen = Int(le16(cd, p + 30))
            let commentLen = Int(le16(cd, p + 32))
            var local = Int64(le32(cd, p + 42))
            guard p + 46 + nameLen + extraLen + commentLen <= cd.count else { throw Self.corrupt("中央目录无效 bad central directory") }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
            // ZIP64 extra field: the 0xFFFFFFFF fields in order (uncompressed, compressed, offset).
            var e = p + 46 + nameLen
            let extraEnd = e + extraLen
            while e + 4 <= extraEnd {
                let tag = le16(cd, e)
                let len = Int(le16(cd, e + 2))
                if tag == 0x0001 {
                    var q = e + 4
                    if usize == 0xFFFF_FFFF, q + 8 <= e + 4 + len { usize = Int64(le64(cd, q)); q += 8 }
                    if csize == 0xFFFF_FFFF, q + 8 <= e + 4 + len { csize = Int64(le64(cd, q)); q += 8 }
                    if local == 0xFFFF_FFFF, q + 8 <= e + 4 + len { local = Int64(le64(cd, q)); q += 8 }
                }
                e += 4 + len
            }
            guard csize >= 0, local >= 0, local + csize <= size else { throw Self.corrupt("条目越界 entry out of range") }
            byName[name] = entries.count
            entries.append(Entry(name: name, method: method, flags: flags, crc32: crc, compressedSize: csize,
                                 uncompressedSize: usize, localHeaderOffset: local))
            p += 46 + nameLen + extraLen + commentLen
        }
    }

    /// The entry of a part name (leading `/` dropped; exact, else ASCII case-insensitive).
    public func entry(_ name: String) -> Entry? {
        let n = name.hasPrefix("/") ? String(name.dropFirst()) : name
        if let i = byName[n] { return entries[i] }
        let lower = n.lowercased()
        return entries.first { $0.name.lowercased() == lower }
    }

    /// A stream of the part's uncompressed bytes.
    public func open(_ entry: Entry) throws(FileRejection) -> ZipEntryStream {
        guard entry.flags & 1 == 0 else {
            throw FileRejection(.fileFormat, "工作簿已加密，请去除密码后另存为 .xlsx 或 CSV UTF-8 encrypted workbook; remove the password and save it as .xlsx or CSV UTF-8")
        }
        guard entry.method == 0 || entry.method == 8 else { throw Self.corrupt("不支持的压缩方法 compression method \(entry.method)") }
        let local = try bytes(at: entry.localHeaderOffset, count: 30)
        guard le32(local, 0) == 0x0403_4B50 else { throw Self.corrupt("条目头无效 bad local header") }
        let dataStart = entry.localHeaderOffset + 30 + Int64(le16(local, 26)) + Int64(le16(local, 28))
        guard dataStart + entry.compressedSize <= size else { throw Self.corrupt("条目越界 entry out of range") }
        return try ZipEntryStream(archive: self, entry: entry, dataStart: dataStart)
    }

    /// A small part read whole (workbook, relationships, styles); nil when absent.
    public func readWhole(_ name: String, limit: Int = 64 << 20) throws(FileRejection) -> [UInt8]? {
        guard let e = entry(name) else { return nil }
        let s = try open(e)
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try s.read(into: chunk)
            if n == 0 { break }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            if out.count > limit { throw Self.corrupt("\(name)过大 \(name) too large") }
        }
        return out
    }

    func countInflated(_ n: Int) throws(FileRejection) {
        // A sheet may be inflated on a prefetch thread (PrefetchSource) while another part is read.
        inflatedLock.lock()
        totalInflated += Int64(n)
        let total = totalInflated
        inflatedLock.unlock()
        if total > DecompressedStream.inflateLimitBytes
            && total > DecompressedStream.inflateLimitRatio * max(size, 1) {
            throw FileRejection(.fileInflateLimit,
                                "工作簿解压超过1 GiB且超过压缩大小的100倍 workbook inflates past 1 GiB at more than 100x its size")
        }
    }

    @inline(__always) func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    @inline(__always) func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
    @inline(__always) func le64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(le32(b, i)) | UInt64(le32(b, i + 4)) << 32 }
}

/// One part of a `ZipArchive`, inflated as it is read (raw deflate or stored), its CRC-32
/// checked at the end. Inflated by ISA-L (`CIsal`), which computes the CRC-32 as it goes:
/// on the 124 MB sheet of a 200k-row workbook, zlib's inflate and a separate CRC-32 pass were
/// about a fifth of the whole run (docs/excel.md). The CRC-32 stays: inflate alone catches a
/// damaged deflate stream, but not a damaged stored part nor a flipped literal that still
/// decodes (ZipArchiveTests).
public final class ZipEntryStream: ByteSource {
    let archive: ZipArchive
    let entry: ZipArchive.Entry
    private var offset: Int64
    private let end: Int64
    private var input: UnsafeMutableRawBufferPointer
    private var inStart = 0
    private var inEnd = 0
    private var inflater: OpaquePointer?
    /// The CRC-32 of a stored part (a deflated one's is the inflater's).
    private var crc: UInt32 = 0
    private var produced: Int64 = 0
    private var finished = false

    init(archive: ZipArchive, entry: ZipArchive.Entry, dataStart: Int64) throws(FileRejection) {
        self.archive = archive
        self.entry = entry
        offset = dataStart
        end = dataStart + entry.compressedSize
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        if entry.method == 8 {
            guard let z = hz_inflater_new() else {
                input.deallocate()
                throw FileRejection(.fileUnreadable, "内存不足 out of memory (inflate)")
            }
            inflater = z
        }
    }

    deinit {
        input.deallocate()
        if let z = inflater { hz_inflater_free(z) }
    }

    private func fill() throws(FileRejection) {
        inStart = 0
        inEnd = 0
        let want = Int(min(Int64(input.count), end - offset))
        guard want > 0 else { return }
        let n = try archive.pread(UnsafeMutableRawBufferPointer(rebasing: input[0..<want]), at: offset)
        guard n == want else { throw ZipArchive.corrupt("文件被截断 truncated") }
        offset += Int64(n)
        inEnd = n
    }

    /// Reads up to `buffer.count` uncompressed bytes; 0 at the end of the part.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        if finished || buffer.count == 0 { return 0 }
        var n = 0
        if let z = inflater {
            while n == 0 {
                if inStart == inEnd { try fill() }
                var consumed = 0, out = 0
                let rc = hz_inflate(z, input.baseAddress!.assumingMemoryBound(to: UInt8.self) + inStart, inEnd - inStart, &consumed,
                                    buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count, &out)
                if rc < 0 { throw ZipArchive.corrupt("\(entry.name)数据损坏 \(entry.name) corrupt") }
                inStart += consumed
                n = out
                if rc == 1 { finished = true; break }
                if consumed == 0 && out == 0 && inStart == inEnd && offset == end {
                    throw ZipArchive.corrupt("\(entry.name)数据不完整 \(entry.name) truncated")
                }
            }
        } else {
            if inStart == inEnd { try fill() }
            n = min(buffer.count, inEnd - inStart)
            buffer.baseAddress!.copyMemory(from: input.baseAddress! + inStart, byteCount: n)
            inStart += n
            if n == 0 { finished = true }
            crc = hz_crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
        }
        if n > 0 {
            produced += Int64(n)
            try archive.countInflated(n)
        }
        if finished {
            let actual = inflater.map { hz_inflater_crc($0) } ?? crc
            guard actual == entry.crc32 else {
                throw ZipArchive.corrupt("\(entry.name)校验和不符 \(entry.name) CRC mismatch")
            }
        }
        return n
    }
}

