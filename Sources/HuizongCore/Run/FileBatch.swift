/// Everything one input file contributes, gathered while reading it and committed to the merge
/// only once the whole file has been read (SPEC 3.1: a file rejected whole has none of its rows
/// merged, even those read before the problem was found).
public final class FileBatch: @unchecked Sendable {  // handed whole from a reader thread to the merge
    public struct Row {
        public var id: UInt64
        public var time: Int64
        public var line: Int32
        public var start: Int
        public var length: Int
    }

    public let path: String
    public let basename: String
    /// The unit that sent the file (the county itself for intake batches).
    public let from: String
    public var rejection: FileRejection?
    public var sha256: String?
    public var modificationTime: Int64 = 0
    public var encoding: TextEncoding?
    public var preamble: Preamble = Preamble()
    public var findings: [Finding] = []
    public var arena: [UInt8] = []
    public var rows: [Row] = []
    public var rejectedWithID: [(id: UInt64, time: Int64, line: Int32, name: String)] = []
    /// Accepted rows (merged, superseded or duplicate), kept after `releaseContent()`.
    public private(set) var acceptedRows = 0
    public var linesRead = 0
    public var blank = 0
    public var rejectedLines = 0
    /// Non-blank lines after the header (compared with a child's manifest).
    public var dataRows: Int { linesRead - blank }

    public init(path: String, from: String) {
        self.path = path
        self.basename = AtomicOutputDirectory.split(path).1
        self.from = from
    }

    /// Reads and validates the whole file.
    public static func read(path: String, from: String, options: SummaryFileReader.Options,
                            context baseContext: ValidationContext) -> FileBatch {
        let batch = FileBatch(path: path, from: from)
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
                    validator.validate(raw, into: &rec, findings: &batch.findings)
                    if rec.isRejected {
                        batch.rejectedLines += 1
                        if let id = rec.idKey, let t = rec.updatedAt {
                            batch.rejectedWithID.append((id, t, Int32(raw.line), rec.nameText))
                        }
                    } else {
                        guard let id = rec.idKey, let t = rec.updatedAt else {
                            preconditionFailure("accepted row without ID key or time at \(path):\(raw.line)")
                        }
                        batch.rows.append(Row(id: id, time: t, line: Int32(raw.line), start: batch.arena.count,
                                              length: rec.canonicalLine.count))
                        batch.arena.append(contentsOf: rec.canonicalLine)
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

    /// Frees the rows and findings once committed (the counts stay for the manifest).
    public func releaseContent() {
        acceptedRows = rows.count
        findings = []
        arena = []
        rows = []
        rejectedWithID = []
    }

    /// Rejects the whole file: its rows and line findings are dropped; only the file finding stays.
    public func reject(_ why: FileRejection) {
        rejection = why
        findings.removeAll()
        arena.removeAll()
        rows.removeAll()
        rejectedWithID.removeAll()
        linesRead = 0
        blank = 0
        rejectedLines = 0
    }
}
