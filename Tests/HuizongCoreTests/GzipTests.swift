import CZlib
import Foundation
import Testing
import HuizongTestSupport

// Gzip input and output (SPEC 3.1, 7): detection by magic bytes, multi-member files, truncated,
// corrupt and empty gzip, the inflate limit (a gzip bomb), and the gzip form of the outputs.
// Input files are compressed here with zlib directly, not with the product's writer.

@Suite struct GzipTests {
    @Test func gzipIsDetectedByMagicBytesWhateverTheName() throws {
        let people = threePeople()
        let gz = gzipMember(Array(summaryText([people[0], people[1]]).utf8))
        let plain = Array(summaryText([people[2]]).utf8)
        let out = try require(try countyRun([("desk1.csv", gz), ("desk2.txt", gz), ("plain.csv.gz", plain)]), status: 0)
        #expect(out.report.filter { $0["规则"] != "DUPLICATE" }.isEmpty, "\(out.report)")
        #expect(out.canonicalLines == expectedLines(people))
        #expect(counts(out.input("desk1.csv"))["merged"] == 2)
        #expect(counts(out.input("desk2.txt"))["duplicate"] == 2)
        #expect(counts(out.input("plain.csv.gz"))["merged"] == 1)
    }

    @Test func multiMemberGzipReadsAsOneStream() throws {
        var people: [Person] = (0..<40).map { Person.number($0) }
        people[3].edu = "8"  // line 5 rejected: line numbers run on across members
        let text = Array(summaryText(people).utf8)
        // Cut inside lines (and inside a multi-byte character) into three members.
        let cut1 = 777, cut2 = text.count / 2 + 1
        let gz = gzipMember(Array(text[0..<cut1])) + gzipMember(Array(text[cut1..<cut2]), level: 1)
            + gzipMember(Array(text[cut2...]), level: 9)
        let check = try gunzipMembers(gz)
        #expect(check.memberOffsets.count == 3 && check.content == text)
        let out = try require(try countyRun([("multi.csv.gz", gz)]), status: 0)
        #expect(lineRules(out, "multi.csv.gz") == ["5:EDU_INVALID"])
        var valid = people
        valid.remove(at: 3)
        #expect(out.canonicalLines == expectedLines(valid))
    }

    /// Where the compressed data is cut: mid-stream, without the 8-byte trailer, without its last byte.
    @Test(arguments: ["middle", "no-trailer", "last-byte"])
    func truncatedGzipIsRejectedWholeNextToAGoodFile(cut: String) throws {
        let good = threePeople()
        let lost: [Person] = (100..<400).map { Person.number($0) }
        let gz = gzipMember(Array(summaryText(lost).utf8))
        let keep = cut == "middle" ? gz.count * 6 / 10 : cut == "no-trailer" ? gz.count - 8 : gz.count - 1
        let truncated = Array(gz[0..<keep])
        // The damage comes late: many whole rows decompress before it.
        if cut == "middle" {
            let partial = partialInflate(truncated)
            #expect(partial.filter { $0 == 0x0A }.count > 50)
        }
        let run = try countyRun([("a-good.csv", Array(summaryText(good).utf8)), ("b-truncated.csv.gz", truncated)])
        let out = try require(run, status: 2)
        #expect(out.input("b-truncated.csv.gz")?["status"] as? String == "rejected")
        #expect(out.input("b-truncated.csv.gz")?["sha256"] as? String == sha256Hex(run.dir.url("in/b-truncated.csv.gz")))
        #expect(lineRules(out, "b-truncated.csv.gz") == [":FILE_GZIP"])
        #expect(out.canonicalLines == expectedLines(good))
        #expect(out.accounting["linesRead"] == 3)
    }

    @Test(arguments: ["deflate-data", "crc"])
    func corruptGzipIsRejectedWhole(where damage: String) throws {
        let good = threePeople()
        let people: [Person] = (200..<260).map { Person.number($0) }
        var gz = gzipMember(Array(summaryText(people).utf8))
        if damage == "crc" {
            gz[gz.count - 6] ^= 0x5A     // inside CRC-32: the data inflates but does not check
        } else {
            for i in stride(from: gz.count / 3, to: gz.count / 3 + 40, by: 3) { gz[i] ^= 0xA5 }
        }
        #expect(throws: (any Error).self) { try gunzipMembers(gz) }
        let out = try require(try countyRun([("a.csv", Array(summaryText(good).utf8)), ("b.gz", gz)]), status: 2)
        #expect(lineRules(out, "b.gz") == [":FILE_GZIP"])
        #expect(out.canonicalLines == expectedLines(good))
    }

    @Test func emptyGzipIsFileEmpty() throws {
        let good = threePeople()
        let out = try require(try countyRun([("a.csv", Array(summaryText(good).utf8)), ("b.csv.gz", gzipMember([]))]), status: 2)
        #expect(lineRules(out, "b.csv.gz") == [":FILE_EMPTY"])
        #expect(out.input("b.csv.gz")?["status"] as? String == "rejected")
        #expect(out.canonicalLines == expectedLines(good))
    }

    @Test func gzipOfOnlyABOMIsFileEmpty() throws {
        let out = try require(try countyRun([("bom.csv.gz", gzipMember([0xEF, 0xBB, 0xBF]))]), status: 2)
        #expect(lineRules(out, "bom.csv.gz") == [":FILE_EMPTY"])
    }

    @Test func gzipBombIsFileInflateLimit() throws {
        // A header and a valid row, then 17 members of 64 MiB of zeros: 1088 MiB inflated from
        // about 1 MB (far more than 100×). Built from one compressed member, repeated.
        let good = threePeople()
        let head = gzipMember(Array(summaryText([Person.number(900)]).utf8))
        let zeros = gzipRepeating([0], count: 64 << 20, level: 1)
        var bomb = head
        for _ in 0..<17 { bomb += zeros }
        #expect(Int64(17) * Int64(64 << 20) > 100 * Int64(bomb.count) && 17 * (64 << 20) > 1 << 30)
        let run = try countyRun([("a.csv", Array(summaryText(good).utf8)), ("bomb.csv.gz", bomb)])
        #expect(!run.result.signaled, "the run crashed: \(run.result.stderr)")
        let out = try require(run, status: 2)
        #expect(lineRules(out, "bomb.csv.gz") == [":FILE_INFLATE_LIMIT"])
        #expect(out.input("bomb.csv.gz")?["status"] as? String == "rejected")
        #expect(out.canonicalLines == expectedLines(good))
    }

    @Test func everyOutputMemberHasMTimeZero() throws {
        // Enough rows for a summary of several MiB (the writer's members are 1 MiB chunks).
        let people: [Person] = (0..<12_000).map { Person.number($0) }
        let out = try require(try countyRun(texts: [("big.csv", summaryText(people))]), status: 0)
        for name in ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz"] {
            let bytes = readBytes(out.dir + "/" + name)
            let g = try gunzipMembers(bytes)
            for off in g.memberOffsets {
                #expect(Array(bytes[off..<(off + 4)]) == [0x1f, 0x8b, 0x08, bytes[off + 3]])
                #expect(Array(bytes[(off + 4)..<(off + 8)]) == [0, 0, 0, 0], "\(name) member at \(off): mtime not 0")
            }
        }
        #expect(out.summaryBytes.count > 1 << 20)
        #expect(out.rows.count == 12_000)
    }
}

/// Inflates as much of a damaged gzip stream as zlib gives before it stops (rows precede the damage).
func partialInflate(_ data: [UInt8]) -> [UInt8] {
    var s = z_stream()
    guard inflateInit2_(&s, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
    defer { inflateEnd(&s) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    data.withUnsafeBufferPointer { src in
        s.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
        s.avail_in = uInt(src.count)
        while true {
            var rc: Int32 = Z_OK
            var produced = 0
            chunk.withUnsafeMutableBufferPointer { dst in
                s.next_out = dst.baseAddress
                s.avail_out = uInt(dst.count)
                rc = inflate(&s, Z_NO_FLUSH)
                produced = dst.count - Int(s.avail_out)
                out.append(contentsOf: dst[0..<produced])
            }
            if rc != Z_OK || produced == 0 { break }
        }
    }
    return out
}
