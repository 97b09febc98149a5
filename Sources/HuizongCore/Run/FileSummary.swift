/// What one input file contributed, kept after its batch was merged and released: the facts its
/// manifest entry, the accounting and the warnings need.
struct FileSummary: Sendable {
    var basename: String
    var from: String
    var sha256: String?
    var rejection: FileRejection?
    var linesRead: Int
    var blank: Int
    var rejectedLines: Int
    /// Rows merged, superseded or duplicate.
    var acceptedRows: Int
    var encoding: TextEncoding?
    var preamble: Preamble
    /// A county's own previous output, read first.
    var isBaseTable: Bool

    init(_ b: FileBatch, isBaseTable: Bool) {
        basename = b.basename
        from = b.from
        sha256 = b.sha256
        rejection = b.rejection
        linesRead = b.linesRead
        blank = b.blank
        rejectedLines = b.rejectedLines
        acceptedRows = b.acceptedRows
        encoding = b.encoding
        preamble = b.preamble
        self.isBaseTable = isBaseTable
    }

    var origin: FinishInputs.Origin { FinishInputs.Origin(file: basename, from: from) }
}
