import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

// The workbook container (SPEC 8.2, docs/excel.md) on ZIP files written byte by byte here, with
// a CRC-32 computed bit by bit here: what reads back, and which damage is caught by what.

/// CRC-32 (ZIP), bit by bit: the slow, obvious reference.
func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
    }
    return ~c
}

struct ZipPart {
    var name: String
    var method: UInt16  // 0 stored, 8 deflate
    var stored: [UInt8]  // the bytes as in the archive
    var crc: UInt32
    var size: Int  // uncompressed
}

/// A ZIP archive of `parts` (local headers, data, central directory, end record).
func zipBytes(_ parts: [ZipPart]) -> [UInt8] {
    var out: [UInt8] = [], central: [UInt8] = []
    func u16(_ v: Int, _ to: inout [UInt8]) { to += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: UInt32, _ to: inout [UInt8]) { for k in 0..<4 { to.append(UInt8(v >> (8 * UInt32(k)) & 0xFF)) } }
    for p in parts {
        let offset = UInt32(out.count), name = Array(p.name.utf8)
        u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(Int(p.method), &out); u16(0, &out); u16(0, &out)
        u32(p.crc, &out); u32(UInt32(p.stored.count), &out); u32(UInt32(p.size), &out); u16(name.count, &out); u16(0, &out)
        out += name + p.stored
        u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(Int(p.method), &central)
        u16(0, &central); u16(0, &central); u32(p.crc, &central); u32(UInt32(p.stored.count), &central)
        u32(UInt32(p.size), &central); u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u32(0, &central); u32(offset, &central)
        central += name
    }
    let cdOffset = UInt32(out.count)
    out += central
    u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(parts.count, &out); u16(parts.count, &out)
    u32(UInt32(central.count), &out); u32(cdOffset, &out); u16(0, &out)
    return out
}

@Suite struct ZipArchiveTests {
    static let row = Array(String(repeating: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, count: 40).utf8)
    /// `row` deflated (Python: zlib.compressobj(6, zlib.DEFLATED, -15)), Huffman-coded.
    static let deflated: [UInt8] = hex(
        "b329ca2f5728b2553254b2b34906311c0d95144a6c958a81fc323b031bfd323b1bfd642006aab3b319553caa7854f1a8e251c5a38a87976200")

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = [], chars = Array(s.utf8)
        while chars.count >= 2 { out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!); chars.removeFirst(2) }
        return out
    }

    /// `data` as one deflate *stored* block (BFINAL=1, BTYPE=00): valid deflate whose bytes are the data.
    static func storedBlock(_ data: [UInt8]) -> [UInt8] {
        let n = data.count
        return [0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + data
    }

    func read(_ bytes: [UInt8], part: String = "xl/worksheets/sheet1.xml") throws(FileRejection) -> [UInt8]? {
        let path = NSTemporaryDirectory() + "/zip-\(UUID().uuidString).xlsx"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ZipArchive(path: path).readWhole(part)
    }

    func rejection(_ bytes: [UInt8]) -> FileRejection? {
        do { _ = try read(bytes); return nil } catch { return error }
    }

    @Test func everyFormReadsBack() throws {
        let crc = referenceCRC32(Self.row)
        #expect(crc == 0xEDD7_F27F)  // Python's zlib.crc32 of the same bytes
        let name = "xl/worksheets/sheet1.xml"
        #expect(try read(zipBytes([ZipPart(name: name, method: 0, stored: Self.row, crc: crc, size: Self.row.count)])) == Self.row)
        #expect(try read(zipBytes([ZipPart(name: name, method: 8, stored: Self.storedBlock(Self.row), crc: crc, size: Self.row.count)]))
                == Self.row)
        #expect(try read(zipBytes([ZipPart(name: name, method: 8, stored: Self.deflated, crc: crc, size: Self.row.count)])) == Self.row)
    }

    /// A byte flipped where inflate cannot see it: in a stored part, or in the literal bytes of a
    /// deflate stored block. Only the CRC-32 catches it.
    @Test func damageOnlyTheCRCSees() {
        let crc = referenceCRC32(Self.row)
        var stored = Self.row
        stored[100] ^= 0x01
        var block = Self.storedBlock(Self.row)
        block[200] ^= 0x01
        for (method, bytes) in [(UInt16(0), stored), (8, block)] {
            let r = rejection(zipBytes([ZipPart(name: "xl/worksheets/sheet1.xml", method: method, stored: bytes, crc: crc,
                                                size: Self.row.count)]))
            #expect(r?.rule == .fileFormat)
            #expect(r?.detail.contains("CRC mismatch") == true, "\(String(describing: r?.detail))")
        }
    }

    @Test func damagedOrTruncatedDeflateIsFileFormat() {
        let crc = referenceCRC32(Self.row)
        for k in [3, 10, 20, 30, 40, 50] {
            var d = Self.deflated
            d[k] ^= 0x5A
            let r = rejection(zipBytes([ZipPart(name: "xl/worksheets/sheet1.xml", method: 8, stored: d, crc: crc, size: Self.row.count)]))
            #expect(r?.rule == .fileFormat, "byte \(k)")
        }
        let cut = Array(Self.deflated.prefix(30))
        let r = rejection(zipBytes([ZipPart(name: "xl/worksheets/sheet1.xml", method: 8, stored: cut, crc: crc, size: Self.row.count)]))
        #expect(r?.rule == .fileFormat)
        #expect(r?.detail.contains("truncated") == true || r?.detail.contains("corrupt") == true)
    }
}
