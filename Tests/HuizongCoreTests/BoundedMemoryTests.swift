import CZlib
import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

// Bounded memory (SPEC 7 "Streaming", 8.5): a file's rows and findings wait in spools that spill
// to an unlinked 0600 temporary file; replayed, they give exactly what holding them in memory
// gave. A gzip bomb is rejected before its lines are read. (Peak memory and speed themselves are
// measured by scripts/faults.d/memory.sh, not here.)

@Suite struct BoundedMemoryTests {
    // MARK: spools

    @Test func byteSpoolReadsBackEverythingAcrossSpills() {
        // A 64-byte memory limit: nearly every record straddles a spill or the file/memory seam.
        // 10,000: chunks of several sizes, the oldest spilled while newer ones stay in memory.
        for limit in [64, 100, 10_000, 1 << 20] {
            let spool = ByteSpool(memoryLimit: limit)
            var rng = SplitMix64(seed: UInt64(limit))
            var expected: [(UInt64, UInt64, [UInt8])] = []
            for _ in 0..<3000 {
                let v = rng.next() >> (rng.next() % 64)
                let f = rng.next()
                let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                expected.append((v, f, bytes))
                spool.appendVarint(v)
                spool.appendFixed64(f)
                spool.appendVarint(UInt64(bytes.count))
                bytes.withUnsafeBytes { spool.append($0) }
            }
            if limit < 1 << 20 { #expect(spool.spilledBytes > 0) } else { #expect(spool.spilledBytes == 0) }
            var r = spool.makeReader()
            for (v, f, bytes) in expected {
                let more = r.hasMore()
                let v2 = r.varint()
                let f2 = r.fixed64()
                let n = Int(r.varint())
                let bytes2 = Array(r.bytes(n))
                #expect(more && v2 == v && f2 == f && bytes2 == bytes)
            }
            let atEnd = !r.hasMore()
            #expect(atEnd)
        }
    }

    @Test func aSpoolALittleOverItsLimitSpillsALittle() {
        // 32 MiB (a file's rows) and 4 MiB more: what is written out is the overflow and at most
        // one chunk (1 MiB) besides, not the whole limit, and everything reads back in order.
        let limit = 32 << 20, extra = 4 << 20
        let spool = ByteSpool(memoryLimit: limit)
        var line = [UInt8](repeating: 0, count: 181)
        var total = 0, n: UInt64 = 0
        while total < limit + extra {
            withUnsafeBytes(of: n.littleEndian) { for (i, b) in $0.enumerated() { line[i] = b } }
            spool.appendVarint(UInt64(line.count))
            line.withUnsafeBytes { spool.append($0) }
            total += 2 + line.count
            n += 1
        }
        #expect(spool.count == Int64(total))
        #expect(spool.spilledBytes >= Int64(extra) && spool.spilledBytes <= Int64(extra + (1 << 20) + (1 << 20) / 2),
                "spilled \(spool.spilledBytes)")
        var r = spool.makeReader()
        var k: UInt64 = 0
        while r.hasMore() {
            let len = Int(r.varint())
            let bytes = r.bytes(len)
            #expect(len == 181 && bytes.loadUnaligned(as: UInt64.self) == k.littleEndian)
            k += 1
        }
        #expect(k == n)
    }

    @Test func spoolFileIsPrivateAndUnlinked() throws {
        // Spill a spool, then look at this process's open files: every spool file is already
        // unlinked ("(deleted)") and readable by its owner only.
        let spool = ByteSpool(memoryLimit: 64)
        for i in 0..<1000 { spool.appendVarint(UInt64(i)) }
        #expect(spool.spilledBytes > 0)
        var found = 0
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd),
                  target.contains("huizong-spool-") else { continue }
            found += 1
            #expect(target.hasSuffix("(deleted)"), "\(target)")
            var st = stat()
            #expect(fstat(Int32(fd)!, &st) == 0 && st.st_mode & 0o777 == 0o600 && st.st_nlink == 0, "\(target)")
        }
        #expect(found >= 1)
        withExtendedLifetime(spool) {}
    }

    @Test func findingSpoolRoundTripsEveryField() {
        let findings: [Finding] = [
            Finding(rule: .fileExtraColumn, line: 1, fieldName: "备注", detail: "未知列“备注”已忽略"),
            Finding(rule: .lineFields, line: 2),
            Finding(rule: .nameInvalid, line: 3, field: .name, citizenID: "11010519491231002X", name: "张3",
                    rawValue: "张3"),
            Finding(rule: .mobileInvalid, line: 3, field: .mobile, citizenID: "x", name: "", rawValue: "123"),
            Finding(rule: .duplicate, line: 4, citizenID: "11010519491231002X", name: "王芳·阿依古丽",
                    detail: "与a.csv第2行内容相同 same content as a.csv line 2"),
            Finding(rule: .fileGzip, line: nil, detail: nil),
            Finding(rule: .conflict, line: 0, detail: "", severity: .info),
            Finding(rule: .unitForeign, line: 1 << 40, field: .registeringUnit, rawValue: String(repeating: "长", count: 5000)),
        ]
        for limit in [64, 1 << 20] {
            let spool = FindingSpool(memoryLimit: limit)
            for _ in 0..<50 { for f in findings { spool.append(f) } }
            #expect(spool.count == 50 * findings.count)
            var r = spool.makeReader()
            var back: [Finding] = []
            while let f = r.next() { back.append(f) }
            #expect(back == Array(repeating: findings, count: 50).flatMap { $0 })
            #expect(back[3].rawValue == "", "a contact value never comes back from the spool")
        }
    }

    @Test func findingsOutOfLineOrderAreReplayedSortedStably() {
        let spool = FindingSpool(memoryLimit: 64)
        let input = [(5, RuleCode.lineFields), (3, .lineQuote), (5, .lineEncoding), (1, .fileExtraColumn), (3, .lineTooLong)]
        for (line, rule) in input { spool.append(Finding(rule: rule, line: line)) }
        #expect(!spool.isInLineOrder)
        var seen: [String] = []
        spool.forEachInLineOrder { seen.append("\($0.line!):\($0.rule.rawValue)") }
        #expect(seen == ["1:FILE_EXTRA_COLUMN", "3:LINE_QUOTE", "3:LINE_TOO_LONG", "5:LINE_FIELDS", "5:LINE_ENCODING"])
    }

    // MARK: a file's batch

    /// A file of every kind of line: valid rows, duplicates, rows with flags, rejected rows with
    /// and without an ID, malformed lines, blank lines.
    static func mixedFile(_ n: Int) -> String {
        var lines = [csvLine(canonicalColumns)]
        for i in 0..<n {
            var p = Person.number(i % 700)
            switch i % 7 {
            case 0: p.postcode = "abc"                   // flag
            case 1: p.edu = "8"                          // rejected, has an ID
            case 2: lines.append("a,b"); continue        // LINE_FIELDS
            case 3: lines.append(",, ,"); continue       // blank
            case 4: p.id = "123"                         // rejected, no ID
            default: break
            }
            lines.append(p.line())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func contents(_ b: FileBatch) -> (findings: [Finding], records: [String]) {
        var findings: [Finding] = []
        b.findings.forEachInLineOrder { findings.append($0) }
        var records: [String] = []
        b.forEachRecord { r in
            switch r {
            case .row(let id, let time, let line, let canonical):
                records.append("row \(id) \(time) \(line) \(String(decoding: canonical, as: UTF8.self))")
            case .rejected(let id, let time, let line, let name):
                records.append("rejected \(id) \(time) \(line) \(name)")
            }
        }
        return (findings, records)
    }

    @Test func aSpilledBatchReplaysWhatAnInMemoryBatchHolds() throws {
        let dir = TempDir("batch")
        let path = dir.write("mixed.csv", Self.mixedFile(3000))
        let context = ValidationContext.cohort(2012, asOf: ChinaTime.parseAsOf(defaultAsOf)!, unitPolicy: .county(110105))
        let big = FileBatch.read(path: path, from: "110105", options: .init(), context: context)
        let small = FileBatch.read(path: path, from: "110105", options: .init(), context: context,
                                   rowMemoryLimit: 64, findingMemoryLimit: 64)
        #expect(big.rejection == nil && small.rejection == nil)
        #expect(big.spilledRecordBytes == 0 && big.findings.spilledBytes == 0)
        #expect(small.spilledRecordBytes > 0 && small.findings.spilledBytes > 0)
        let a = Self.contents(big), b = Self.contents(small)
        #expect(a.findings == b.findings)
        #expect(a.records == b.records)
        // Hand counts of mixedFile(3000): 3000 lines after the header, i % 7 == 3 blank.
        let blank = (0..<3000).filter { $0 % 7 == 3 }.count
        let malformed = (0..<3000).filter { $0 % 7 == 2 }.count
        let rejectedRows = (0..<3000).filter { $0 % 7 == 1 || $0 % 7 == 4 }.count
        #expect(small.linesRead == 3000 && small.blank == blank)
        #expect(small.rejectedLines == malformed + rejectedRows)
        #expect(small.acceptedRows == 3000 - blank - malformed - rejectedRows)
        #expect(b.records.filter { $0.hasPrefix("row ") }.count == small.acceptedRows)
        #expect(b.records.filter { $0.hasPrefix("rejected ") }.count == (0..<3000).filter { $0 % 7 == 1 }.count)
        #expect(b.findings.filter { $0.rule == .lineFields }.count == malformed)
    }

    @Test func validateKeepsNoRows() throws {
        let dir = TempDir("batch")
        let path = dir.write("mixed.csv", Self.mixedFile(700))
        let context = ValidationContext.cohort(2012, asOf: ChinaTime.parseAsOf(defaultAsOf)!, unitPolicy: .county(110105))
        let b = FileBatch.read(path: path, from: "110105", options: .init(), context: context, keepRecords: false)
        #expect(b.acceptedRows > 0)
        #expect(Self.contents(b).records.isEmpty)
    }

    @Test func aDuplicateFollowsTheFindingsOfItsOwnLine() throws {
        // Lines 2 and 3 are the same person with a flagged postcode; line 3 is also a DUPLICATE.
        // Line 4 is malformed, line 5 a duplicate of line 2 again. The report reads top to bottom,
        // and within a line the row's own findings come before DUPLICATE.
        var p = Person.number(1)
        p.postcode = "abc"
        let text = [csvLine(canonicalColumns), p.line(), p.line(), "a,b", p.line()].joined(separator: "\n") + "\n"
        let out = try require(try countyRun(texts: [("a.csv", text)]), status: 0)
        let seen = out.report.map { "\($0["行号"] ?? ""):\($0["规则"] ?? "")" }
        #expect(seen == ["2:POSTCODE_INVALID", "3:POSTCODE_INVALID", "3:DUPLICATE", "4:LINE_FIELDS",
                         "5:POSTCODE_INVALID", "5:DUPLICATE"])
    }

    // MARK: gzip bombs

    @Test func aBombOfShortLinesIsRejectedBeforeItsLinesAreRead() throws {
        // 17 members of 64 MiB of "a,b\n": 1088 MiB of malformed lines from about 1 MB. Before,
        // each of its 285 million lines was read and its finding held until the limit was met at
        // 1 GiB (the process ran out of memory first). Now the stream refuses it within its first
        // few MiB of output.
        let member = gzipRepeating(Array("a,b\n".utf8), count: 64 << 20, level: 9)
        var bomb: [UInt8] = []
        for _ in 0..<17 { bomb += member }
        #expect(Int64(17 * (64 << 20)) > max(Int64(1) << 30, 100 * Int64(bomb.count)))
        let dir = TempDir("bomb")
        let path = dir.write("bomb.csv.gz", bomb)
        let stream = try DecompressedStream(file: InputFile(path: path))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var rejection: FileRejection?
        do {
            while stream.totalOut < 16 << 20 {
                if try stream.read(into: buffer) == 0 { break }
            }
        } catch {
            rejection = error
        }
        #expect(rejection?.rule == .fileInflateLimit)
        #expect(stream.totalOut < 16 << 20)
        // And the run: one finding, the file rejected whole, nothing else.
        let out = try require(try countyRun([("bomb.csv.gz", gzipMember(Array(summaryText([]).utf8)) + bomb)]), status: 2)
        #expect(lineRules(out, "bomb.csv.gz") == [":FILE_INFLATE_LIMIT"])
    }

    @Test func aHighRatioGzipUnderTheLimitIsRead() throws {
        // 8 MiB of blank lines (1 KiB of commas and spaces each) compress far beyond 100×, but
        // inflate to less than 1 GiB: the file is read whole, every line counted.
        var blankLine = Array(repeating: UInt8(ascii: " "), count: 1023)
        for i in stride(from: 0, to: 1023, by: 2) { blankLine[i] = UInt8(ascii: ",") }
        blankLine.append(0x0A)
        let people = threePeople()
        let gz = gzipMember(Array(summaryText(people).utf8)) + gzipRepeating(blankLine, count: 8 << 20, level: 9)
        #expect(Int64(8 << 20) > 100 * Int64(gz.count))
        let out = try require(try countyRun([("blank.csv.gz", gz)]), status: 0)
        let c = counts(out.input("blank.csv.gz"))
        #expect(c["linesRead"] == 3 + 8192 && c["blank"] == 8192 && c["merged"] == 3)
        #expect(out.canonicalLines == expectedLines(people))
    }
}
