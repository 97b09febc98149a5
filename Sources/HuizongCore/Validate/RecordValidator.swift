/// Applies every form rule of SPEC 5 to one record: normalises each field into the canonical
/// line and reports each broken rule as a finding.
///
/// One finding per broken rule (a rejected row still reports its flags). Cross-field rules run
/// only when both fields they compare are valid. Every finding of a row carries the row's
/// normalised 公民身份号码 and 姓名, its 字段, and 原值 = the cell of that field exactly as written
/// (blank for contact columns, see `Finding`). The rules themselves, one per file, are in
/// `Validate/Rules/`; `docs/rules.md` lists them.
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

    /// The cells of one record, normalised (TextNormalizer) on demand. A cell without a full-width
    /// form is only trimmed: a view of the record's own bytes, no copy. Folded cells go to a stack
    /// buffer (or, for a long row, one heap buffer).
    struct CellSource {
        let ranges: UnsafeBufferPointer<Range<Int>?>
        let src: UnsafeBufferPointer<UInt8>
        let fold: UnsafeMutablePointer<UInt8>
        var foldUsed = 0
        var heap: UnsafeMutablePointer<UInt8>?
        var heapUsed = 0
        /// Total bytes of all cells: a bound on every normalised cell and on their sum.
        let total: Int
        /// Some cell may hold a full-width form (else every cell is only trimmed).
        let anyFolding: Bool
        /// Some normalised cell may need CSV quotes (a `,` `"` CR or LF in the record, or a `，`
        /// folded to `,`); else no kept value is checked for them.
        let anyQuoting: Bool

        init(ranges: UnsafeBufferPointer<Range<Int>?>, src: UnsafeBufferPointer<UInt8>,
             fold: UnsafeMutablePointer<UInt8>) {
            self.ranges = ranges
            self.src = src
            self.fold = fold
            var total = 0
            for r in ranges { if let r { total += r.count } }
            self.total = total
            self.anyFolding = TextNormalizer.mayNeedFoldingAnywhere(src)
            self.anyQuoting = anyFolding || TextNormalizer.mayNeedQuotesAnywhere(src)
        }

        /// The normalised cell of `column`; empty when the file lacks the column.
        mutating func cell(_ column: Column) -> UnsafeBufferPointer<UInt8> {
            guard let r = ranges[column.rawValue] else { return UnsafeBufferPointer(start: fold, count: 0) }
            let cell = src.slice(r)
            let trimmed = cell.slice(TextNormalizer.trimmedRange(cell))
            guard anyFolding, TextNormalizer.mayNeedFolding(trimmed) else { return trimmed }
            let dst: UnsafeMutablePointer<UInt8>
            if foldUsed + trimmed.count <= RecordValidator.stackBytes {
                dst = fold + foldUsed
                foldUsed += trimmed.count
            } else {
                if heap == nil { heap = .allocate(capacity: total) }
                dst = heap! + heapUsed
                heapUsed += trimmed.count
            }
            return UnsafeBufferPointer(start: dst, count: TextNormalizer.normalize(trimmed, into: dst))
        }

        func release() { heap?.deallocate() }
    }

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
            var w = ByteWriter(heapLine ?? stackLine, capacity: bound)  // bound <= stackBytes when on the stack
            writeFields(raw, &cells, ethnicCell, ethnic, &w, &out, &broken)
            out.canonicalLine.append(contentsOf: w.written(from: 0))
        }
    }

    private func writeFields(_ raw: RawRecord, _ cells: inout CellSource, _ ethnicCell: UnsafeBufferPointer<UInt8>,
                             _ ethnic: UnsafeBufferPointer<UInt8>?, _ w: inout ByteWriter,
                             _ out: inout ValidatedRecord, _ broken: inout [Broken]) {
        func fire(_ rule: RuleCode, _ field: Column) { broken.append((rule, field)) }
        /// The normalised value as the canonical one (flagged or invalid values are kept).
        let mayNeedQuotes = cells.anyQuoting
        func keep(_ p: UnsafeBufferPointer<UInt8>) { w.appendCSV(p, mayNeedQuotes: mayNeedQuotes) }

        // 姓名
        let name = cells.cell(.name)
        let nameCheck = NameRule.check(name)
        if nameCheck.valid { // never needs quotes
            let start = w.count
            if nameCheck.hasInnerDot { NameRule.writeCanonical(name, to: &w) } else { w.append(name) }
            out.nameText = String(decoding: w.written(from: start), as: UTF8.self)
        } else {
            fire(.nameInvalid, .name)
            var converted = [UInt8](repeating: 0, count: 2 * name.count + 1)
            let n = converted.withUnsafeMutableBufferPointer { buf in
                var tmp = ByteWriter(buf.baseAddress!, capacity: buf.count)
                NameRule.writeCanonical(name, to: &tmp)
                return tmp.count
            }
            converted.withUnsafeBufferPointer { w.appendCSV($0.slice(0..<n)) }
            if let r = raw.ranges[Column.name.rawValue] {
                let cell = cells.src.slice(r)
                out.nameText = String(decoding: cell.slice(TextNormalizer.trimmedRange(cell)), as: UTF8.self)
            }
        }

        // 性别
        w.append(0x2C)
        let sexCell = cells.cell(.sex)
        let sex = SexRule.parse(sexCell)
        if let sex {
            w.append(sex.canonical)
        } else {
            fire(.sexInvalid, .sex)
            keep(sexCell)
        }

        // 民族
        w.append(0x2C)
        if let ethnic {
            w.appendCSV(ethnic)
        } else {
            fire(.ethnicInvalid, .ethnicGroup)
            keep(ethnicCell)
        }

        // 公民身份号码
        w.append(0x2C)
        let idCell = cells.cell(.citizenID)
        // SPEC 8.2: an ID Excel turned into a number (a numeric cell, or `1.10105E+17` in a CSV)
        // is ID_EXCEL_NUMBER instead of ID_FORMAT; its digits are lost, nothing else is checked.
        let excelNumber = raw.citizenIDIsNumber || CitizenIDRule.looksLikeExcelNumber(idCell)
        let id = excelNumber ? CitizenIDRule.Result() : CitizenIDRule.check(idCell, asOfDay: asOfDay)
        if excelNumber {
            fire(.idExcelNumber, .citizenID)
            keep(idCell)
            out.idText = String(decoding: idCell, as: UTF8.self)
        } else if id.formValid {
            let start = w.count
            CitizenIDRule.writeCanonical(idCell, id, to: &w)
            out.idText = String(decoding: w.written(from: start), as: UTF8.self)
            out.idKey = id.key
            if id.upgraded15 { fire(.idUpgraded15, .citizenID) }
            if !id.birthValid { fire(.idBirthdate, .citizenID) }
            if !id.checksumValid { fire(.idChecksum, .citizenID) }
            if !CitizenIDRule.regionKnown(id) { fire(.idRegionUnknown, .citizenID) }
        } else {
            fire(.idFormat, .citizenID)
            var upper = Array(idCell)
            for i in upper.indices where upper[i] == 0x78 { upper[i] = 0x58 } // x → X
            upper.withUnsafeBufferPointer { w.appendCSV($0) }
            out.idText = String(decoding: upper, as: UTF8.self)
        }
        // 性别 vs ID
        if let sex, id.formValid, !IDSexRule.matches(sex: sex, idIsMale: id.male) {
            fire(.idSexMismatch, .sex)
        }

        // 毕业院校
        w.append(0x2C)
        let school = cells.cell(.school)
        if !SchoolMajorRule.isValid(school) { fire(.schoolInvalid, .school) }
        keep(school)

        // 毕业日期
        w.append(0x2C)
        let gradCell = cells.cell(.graduationDate)
        var graduation: Int? // valid and inside the window
        switch GraduationDateRule.check(gradCell, window: context.graduationWindow) {
        case .invalid:
            fire(.graddateInvalid, .graduationDate)
            keep(gradCell)
        case .outsideWindow(let date):
            fire(.graddateWindow, .graduationDate)
            GraduationDateRule.writeDate(date, to: &w)
        case .valid(let date):
            graduation = date
            GraduationDateRule.writeDate(date, to: &w)
        }
        // 毕业日期 vs ID
        if let graduation, id.formValid, id.birthValid,
           !AgeRule.isPlausible(birth: id.birthDate, graduation: graduation) {
            fire(.ageImplausible, .graduationDate)
        }

        // 学历
        w.append(0x2C)
        let eduCell = cells.cell(.education)
        if let code = EducationRule.code(eduCell) {
            w.append(0x30 + code)
        } else {
            fire(.eduInvalid, .education)
            keep(eduCell)
        }

        // 所学专业
        w.append(0x2C)
        let major = cells.cell(.major)
        if !SchoolMajorRule.isValid(major) { fire(.majorInvalid, .major) }
        keep(major)

        // 入学前户口所在地
        w.append(0x2C)
        let hukou = cells.cell(.hukou)
        if !HukouRule.isValid(hukou, cohortYear: context.cohortYear) { fire(.hukouInvalid, .hukou) }
        keep(hukou)

        // 电子邮箱
        w.append(0x2C)
        let email = cells.cell(.email)
        if !EmailRule.isPlausible(email) { fire(.emailInvalid, .email) }
        keep(email)

        // 邮编
        w.append(0x2C)
        let postcode = cells.cell(.postcode)
        if !PostcodeRule.isValid(postcode) { fire(.postcodeInvalid, .postcode) }
        keep(postcode)

        // 手机号码
        w.append(0x2C)
        let mobile = PhoneRules.strippedMobile(cells.cell(.mobile))
        if !PhoneRules.isValidMobile(mobile) { fire(.mobileInvalid, .mobile) }
        keep(mobile)

        // 固定电话
        w.append(0x2C)
        let landline = cells.cell(.landline)
        if !PhoneRules.isValidLandline(landline) { fire(.landlineInvalid, .landline) }
        keep(landline)
        // 手机号码 and 固定电话
        if mobile.isEmpty && landline.isEmpty { fire(.noPhone, .mobile) }

        // 困难状况
        w.append(0x2C)
        let hardshipCell = cells.cell(.hardship)
        let hardship = HardshipRule.parse(hardshipCell)
        if HardshipRule.isValid(hardship) {
            hardship.writeCanonical(to: &w)
            if hardship.repeated { fire(.multiRepeated, .hardship) }
        } else {
            fire(.hardshipInvalid, .hardship)
            keep(hardshipCell)
        }

        // 就业地意向
        w.append(0x2C)
        let workplace = cells.cell(.workplaceIntent)
        if !WorkplaceIntentRule.isValid(workplace) { fire(.workplaceInvalid, .workplaceIntent) }
        keep(workplace)

        // 就业意向
        w.append(0x2C)
        let intentionsCell = cells.cell(.intentions)
        let intentions = IntentionsRule.parse(intentionsCell)
        let intentionsValid = IntentionsRule.isValid(intentions)
        if intentionsValid {
            intentions.writeCanonical(to: &w)
            if intentions.repeated { fire(.multiRepeated, .intentions) }
            if IntentionsRule.isNineCombined(intentions) { fire(.intent9Combined, .intentions) }
        } else {
            fire(.intentInvalid, .intentions)
            keep(intentionsCell)
        }

        // 就业服务需求
        w.append(0x2C)
        let needsCell = cells.cell(.serviceNeeds)
        let needs = ServiceNeedsRule.parse(needsCell)
        if ServiceNeedsRule.isValid(needs) {
            needs.writeCanonical(to: &w)
            if needs.repeated { fire(.multiRepeated, .serviceNeeds) }
            // 就业服务需求 vs 就业意向
            if intentionsValid {
                switch ServiceNeedsRule.crossCheck(needs: needs, intentions: intentions) {
                case .consistent: break
                case .needsWith9: fire(.needsWith9, .serviceNeeds)
                case .needsMissing: fire(.needsMissing, .serviceNeeds)
                }
            }
        } else {
            fire(.needsInvalid, .serviceNeeds)
            keep(needsCell)
        }

        // 就业去向
        w.append(0x2C)
        let destination = cells.cell(.destination)
        if !DestinationRule.isValid(destination) { fire(.destInvalid, .destination) }
        keep(destination)

        // 更新时间
        w.append(0x2C)
        let timeCell = cells.cell(.updatedAt)
        let time = raw.has(.updatedAt) ? UpdateTimeRule.parse(timeCell) : context.defaultUpdateTime
        /// The canonical 更新时间. Written in China time without an offset (the usual case), it is
        /// the cell itself with `T` and `+08:00`: no calendar arithmetic.
        func writeTime(_ t: Int64) {
            if raw.has(.updatedAt) && timeCell.count == 19 && timeCell[4] == 0x2D { // YYYY-MM-DD…, not YYYY/MM/DD…
                UpdateTimeRule.writeChinaTime(timeCell, to: &w)
            } else {
                ChinaTime.append(t, to: &w)
            }
        }
        switch UpdateTimeRule.check(time, notBefore: notBefore, asOf: context.asOf) {
        case .invalid:
            fire(.timeInvalid, .updatedAt)
            keep(timeCell)
        case .tooEarly(let t):
            fire(.timeTooEarly, .updatedAt)
            writeTime(t)
        case .future(let t):
            fire(.timeFuture, .updatedAt)
            writeTime(t)
        case .valid(let t):
            out.updatedAt = t
            writeTime(t)
            // 毕业日期 vs 更新时间
            if let graduation, GraduationAfterUpdateRule.isAfter(graduation: graduation, updatedAt: t) {
                fire(.graddateAfterUpdate, .graduationDate)
            }
        }

        // 登记单位
        w.append(0x2C)
        let unitCell = cells.cell(.registeringUnit)
        switch RegisteringUnitRule.check(unitCell, policy: context.unitPolicy) {
        case .code(let code):
            RegisteringUnitRule.writeCode(code, to: &w)
        case .empty:
            break
        case .foreign:
            fire(.unitForeign, .registeringUnit)
            keep(unitCell)
        }
    }
}
