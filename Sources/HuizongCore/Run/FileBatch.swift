/// Everything one input file contributes, gathered while reading it and committed to the merge
/// only once the whole file has been read (SPEC 3.1: a file rejected whole has none of its rows
/// merged, even those read before the problem was found).
///
/// Rows and findings wait in spools (`ByteSpool`, `FindingSpool`): in memory up to a few MiB,
/// then in an unlinked 0600 temporary file, so a file's size never sets the memory of a run
/// (SPEC 8.5). Replayed once, in line order, by `forEachRecord` and `findings`.
///
/// A value: the spools are references, but a batch is handed whole from the reader thread that
/// filled it to the merge and never shared, hence `@unchecked Sendable`.
public struct FileBatch: @unchecked Sendable {
    /// A record waiting for the merge: an accepted row (its canonical line), or a rejected row
    /// that has a valid ID and 更新时间 (for NEWEST_REJECTED).
    public enum Record {
        case row(id: UInt64, time: Int64, line: Int, canonical: UnsafeBufferPointer<UInt8>)
        case rejected(id: UInt64, time: Int64, line: Int, name: String)
    }

    /// Memory a batch holds before spilling: rows, findings. Two files are read ahead of the
    /// merge (OrderedParallelMap's lookahead), so at most three batches are alive: ≤ 3 × 40 MiB.
    public static let rowMemoryLimit = 32 << 20
    public static let findingMemoryLimit = 8 << 20

    public let path: String
    public let basename: String
    /// The unit that sent the file (the county itself for intake batches).
    public let from: String
    public private(set) var rejection: FileRejection?
    public private(set) var sha256: String?
    public private(set) var modificationTime: Int64 = 0
    public private(set) var encoding: TextEncoding?
    public private(set) var preamble: Preamble = Preamble()
    /// The file's findings in the order found (line order).
    public let findings: FindingSpool
    public var findingCount: Int { findings.count }
    /// Accepted rows and rejected rows with an ID, in line order.
    private let records: ByteSpool
    /// Bytes of records written to the temporary file (tests: the spill happened).
    var spilledRecordBytes: Int64 { records.spilledBytes }
    /// Accepted rows (merged, superseded or duplicate), kept after `releaseContent()`.
    public private(set) var acceptedRows = 0
    public private(set) var linesRead = 0
    public private(set) var blank = 0
    public private(set) var rejectedLines = 0
    /// Non-blank lines after the header (compared with a child's manifest).
    public var dataRows: Int { linesRead - blank }

    public init(path: String, from: String, rowMemoryLimit: Int = FileBatch.rowMemoryLimit,
                findingMemoryLimit: Int = FileBatch.findingMemoryLimit) {
        findings = FindingSpool(memoryLimit: findingMemoryLimit)
        records = ByteSpool(memoryLimit: rowMemoryLimit)
        self.path = path
        self.basename = AtomicOutputDirectory.split(path).1
        self.from = from
    }

    /// Keeps an accepted row for the merge.
    @inline(__always)
    public mutating func appendRow(id: UInt64, time: Int64, line: Int, canonical: UnsafeBufferPointer<UInt8>) {
        acceptedRows += 1
        guard keepsRecords else { return }
        records.append(0)
        records.appendFixed64(id)
        records.appendFixed64(UInt64(bitPattern: time))
        records.appendVarint(UInt64(line))
        records.appendVarint(UInt64(canonical.count))
        records.append(UnsafeRawBufferPointer(canonical))
    }

    /// Keeps a rejected row that has a valid ID and 更新时间.
    public mutating func appendRejected(id: UInt64, time: Int64, line: Int, name: String) {
        guard keepsRecords else { return }
        records.append(1)
        records.appendFixed64(id)
        records.appendFixed64(UInt64(bitPattern: time))
        records.appendVarint(UInt64(line))
        var name = name
        name.withUTF8 { p in
            records.appendVarint(UInt64(p.count))
            records.append(UnsafeRawBufferPointer(p))
        }
    }

    /// `validate` counts rows but never merges them: it need not keep them.
    public private(set) var keepsRecords = true

    /// Replays the kept records in line order (once, before `releaseContent()`).
    public func forEachRecord(_ body: (Record) throws -> Void) rethrows {
        var r = records.makeReader()
        while r.hasMore() {
            let kind = r.byte()
            let id = r.fixed64()
            let time = Int64(bitPattern: r.fixed64())
            let line = Int(r.varint())
            let n = Int(r.varint())
            let bytes = r.bytes(n)
            if kind == 0 {
                try body(.row(id: id, time: time, line: line, canonical: bytes.assumingMemoryBound(to: UInt8.self)))
            } else {
                try body(.rejected(id: id, time: time, line: line, name: String(decoding: bytes, as: UTF8.self)))
            }
        }
    }

    /// Reads and validates the whole file. `keepRecords: false` (validate) counts rows without
    /// keeping them.
    public static func read(path: String, from: String, options: SummaryFileReader.Options,
                            context baseContext: ValidationContext, keepRecords: Bool = true,
                            rowMemoryLimit: Int = FileBatch.rowMemoryLimit,
                            findingMemoryLimit: Int = FileBatch.findingMemoryLimit) -> FileBatch {
        var batch = FileBatch(path: path, from: from, rowMemoryLimit: rowMemoryLimit, findingMemoryLimit: findingMemoryLimit)
        batch.keepsRecords = keepRecords
        var reader: SummarySource?
        do {
            // CSV or workbook, by the file's first bytes (SPEC 8.2).
            let r = try SummarySources.open(path: path, options: options)
            reader = r
            batch.modificationTime = r.modificationTime
            batch.encoding = r.textEncoding
            batch.preamble = r.tableHeader.preamble
            var context = baseContext
            if !r.tableHeader.cellColumns.contains(.updatedAt), let d = r.tableHeader.preamble.fillDate {
                context.defaultUpdateTime = ChinaTime.startOfDay(d.year * 10000 + d.month * 100 + d.day)
            }
            for written in r.tableHeader.extraColumns {
                let name = HeaderName.reportable(written)
                batch.findings.append(Finding(rule: .fileExtraColumn, line: r.tableHeader.line, fieldName: name,
                                              detail: "未知列“\(name)”已忽略，请删除该列 unknown column “\(name)” dropped; remove it"))
            }
            let validator = RecordValidator(context: context)
            var raw = RawRecord()
            var rec = ValidatedRecord()
            var lineFindings: [Finding] = []
            loop: while true {
                switch try r.next(into: &raw) {
                case .end:
                    break loop
                case .blank:
                    batch.blank += 1
                case .rejected(let code):
                    batch.rejectedLines += 1
                    batch.findings.append(Finding(rule: code, line: r.lineNumber))
                case .record:
                    lineFindings.removeAll(keepingCapacity: true)
                    validator.validate(raw, into: &rec, findings: &lineFindings)
                    for f in lineFindings { batch.findings.append(f) }
                    if rec.isRejected {
                        batch.rejectedLines += 1
                        if let id = rec.idKey, let t = rec.updatedAt {
                            batch.appendRejected(id: id, time: t, line: raw.line, name: rec.nameText)
                        }
                    } else {
                        guard let id = rec.idKey, let t = rec.updatedAt else {
                            preconditionFailure("accepted row without ID key or time at \(path):\(raw.line)")
                        }
                        rec.canonicalLine.withUnsafeBufferPointer {
                            batch.appendRow(id: id, time: t, line: raw.line, canonical: $0)
                        }
                    }
                }
            }
            batch.linesRead = r.linesRead
            batch.sha256 = r.finishHash()
        } catch {
            batch.reject(error)
            batch.sha256 = reader?.finishHash() ?? InputFile.sha256(ofFileAt: path)
        }
        return batch
    }

    /// A file rejected whole before it was read (a child's submission that fails its checks):
    /// only its sha256 and modification time, for the manifest and CHILD_LATE.
    public static func rejectedUnread(path: String, from: String, _ why: FileRejection) -> FileBatch {
        var batch = FileBatch(path: path, from: from)
        batch.reject(why)
        batch.sha256 = InputFile.sha256(ofFileAt: path)
        batch.modificationTime = FileSystem.modificationTime(path) ?? 0
        return batch
    }

    /// Frees the rows and findings once committed (the counts stay for the manifest).
    public func releaseContent() {
        findings.removeAll()
        records.removeAll()
    }

    /// Rejects the whole file: its rows and line findings are dropped; only the file finding stays.
    public mutating func reject(_ why: FileRejection) {
        rejection = why
        findings.removeAll()
        records.removeAll()
        acceptedRows = 0
        linesRead = 0
        blank = 0
        rejectedLines = 0
    }
}
