/// Applies every form rule of SPEC 5 to one record: normalises each field into the canonical
/// line and reports each broken rule as a finding.
///
/// One finding per broken rule (a rejected row still reports its flags). Cross-field rules run
/// only when both fields they compare are valid. Every finding of a row carries the row's
/// normalised 公民身份号码 and 姓名, its 字段, and 原值 = the cell of that field exactly as written
/// (blank for contact columns, see `Finding`). The rules themselves, one per file with their
/// codes and messages, are in `Validate/Rules/`; `applyRules` calls them in order (static calls,
/// no rule objects), each writing its column through `CanonicalRow`; `docs/rules.md` lists them.
///
/// Hot path (about a million rows per run): the record's bytes are normalised cell by cell into
/// one stack scratch buffer and the rules read them as `UnsafeBufferPointer`s; canonical values
/// are appended straight into `out.canonicalLine`, whose capacity is reused line after line. The
/// only allocations of a clean row are `idText` (and `nameText` past 15 bytes); findings allocate
/// their strings only when a rule breaks.
public struct RecordValidator: Sendable {
    public let context: ValidationContext
    /// The as-of day (yyyymmdd, China time): the latest valid birth date.
    let asOfDay: Int
    /// Jan 1 00:00 China time of the cohort year: the earliest valid 更新时间.
    let notBefore: Int64

    public init(context: ValidationContext) {
        self.context = context
        self.asOfDay = ChinaTime.day(of: context.asOf)
        self.notBefore = ChinaTime.startOfYear(context.cohortYear)
    }

    /// A broken rule, before the row's ID and name are known.
    typealias Broken = (rule: RuleCode, field: Column)

    /// Validates `raw` into `out` (reset first) and appends one finding per broken rule.
    public func validate(_ raw: RawRecord, into out: inout ValidatedRecord, findings: inout [Finding]) {
        out.reset()
        var broken: [Broken] = [] // no allocation until a rule breaks
        raw.bytes.withUnsafeBufferPointer { src in
            // Two stack buffers of 1 KiB (the size Swift stack-allocates without a check): the
            // folded cells and the canonical line. A longer row falls back to the heap.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stackBytes) { foldBuf in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stackBytes) { lineBuf in
                    raw.ranges.withUnsafeBufferPointer { ranges in
                        var cells = CellSource(ranges: ranges, src: src, fold: foldBuf.baseAddress!)
                        defer { cells.release() }
                        validateFields(raw, &cells, lineBuf.baseAddress!, &out, &broken)
                    }
                }
            }
        }
        guard !broken.isEmpty else { return }
        // Report in column order; rules of one column in the order they were checked.
        if zip(broken, broken.dropFirst()).contains(where: { $0.field > $1.field }) {
            broken = broken.enumerated()
                .sorted { ($0.element.field, $0.offset) < ($1.element.field, $1.offset) }
                .map(\.element)
        }
        for b in broken {
            if b.rule.severity == .reject { out.isRejected = true }
            findings.append(Finding(rule: b.rule, line: raw.line, field: b.field, citizenID: out.idText,
                                    name: out.nameText, rawValue: raw.string(b.field)))
        }
    }

    static let stackBytes = 1024

    private func validateFields(_ raw: RawRecord, _ cells: inout CellSource, _ stackLine: UnsafeMutablePointer<UInt8>,
                                _ out: inout ValidatedRecord, _ broken: inout [Broken]) {
        let ethnicCell = cells.cell(.ethnicGroup)
        EthnicGroupRule.withCanonical(ethnicCell) { ethnic in
            // Bound on the canonical line: a kept value is at most twice its cell plus quotes
            // (every byte a doubled quote, or a `.` of a name becoming `·`); values written
            // otherwise have fixed sizes: 性别 3, 民族, ID 18, dates 8, 学历 1, three multi-choice
            // fields 10 each, 更新时间 25, 登记单位 6; plus 20 commas and 2 quotes per field.
            let bound = 2 * cells.total + 20 + 2 * 21 + 3 + (ethnic?.count ?? 0) + 18 + 8 + 1 + 30 + 25 + 6
            let heapLine: UnsafeMutablePointer<UInt8>? = bound > Self.stackBytes ? .allocate(capacity: bound) : nil
            defer { heapLine?.deallocate() }
            // bound <= stackBytes when on the stack
            var row = CanonicalRow(cells: cells, line: ByteWriter(heapLine ?? stackLine, capacity: bound))
            applyRules(raw, &row, ethnicCell, ethnic, &out)
            out.canonicalLine.append(contentsOf: row.line.written(from: 0))
            cells = row.cells
            broken = row.broken
        }
    }

    /// The form rules of SPEC 5, in the order the columns are written (output order); a rule
    /// comparing two fields runs after both, and only when both are valid. Each rule's check, its
    /// codes and their messages are in its file in `Validate/Rules/`.
    private func applyRules(_ raw: RawRecord, _ row: inout CanonicalRow, _ ethnicCell: UnsafeBufferPointer<UInt8>,
                            _ ethnic: UnsafeBufferPointer<UInt8>?, _ out: inout ValidatedRecord) {
        NameRule.apply(&row, &out)
        let sex = SexRule.apply(&row)
        EthnicGroupRule.apply(&row, cell: ethnicCell, canonical: ethnic)
        let id = CitizenIDRule.apply(&row, asOfDay: asOfDay, isExcelNumber: raw.citizenIDIsNumber, &out)
        IDSexRule.apply(&row, sex: sex, id: id)
        SchoolMajorRule.applySchool(&row)
        let graduation = GraduationDateRule.apply(&row, window: context.graduationWindow)
        AgeRule.apply(&row, graduation: graduation, id: id)
        EducationRule.apply(&row)
        SchoolMajorRule.applyMajor(&row)
        HukouRule.apply(&row, cohortYear: context.cohortYear)
        EmailRule.apply(&row)
        PostcodeRule.apply(&row)
        PhoneRule.apply(&row)
        HardshipRule.apply(&row)
        WorkplaceIntentRule.apply(&row)
        let intentions = IntentionsRule.apply(&row)
        ServiceNeedsRule.apply(&row, validIntentions: intentions)
        DestinationRule.apply(&row)
        let updatedAt = UpdateTimeRule.apply(&row, hasColumn: raw.has(.updatedAt), context: context,
                                             notBefore: notBefore, &out)
        GraduationAfterUpdateRule.apply(&row, graduation: graduation, updatedAt: updatedAt)
        RegisteringUnitRule.apply(&row, policy: context.unitPolicy)
    }
}
