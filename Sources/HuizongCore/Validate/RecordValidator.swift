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
        var capacity = 1
        for r in raw.ranges { if let r { capacity += r.count } }
        raw.bytes.withUnsafeBufferPointer { src in
            // Normalisation never grows a cell, so the sum of the cells' sizes is enough.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { scratch in
                validateFields(raw, src, scratch.baseAddress!, &out, &broken)
            }
        }
        guard !broken.isEmpty else { return }
        // Report in column order; rules of one column in the order they were checked.
        if broken.count > 1 {
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

    private func validateFields(_ raw: RawRecord, _ src: UnsafeBufferPointer<UInt8>,
                                _ scratch: UnsafeMutablePointer<UInt8>, _ out: inout ValidatedRecord,
                                _ broken: inout [Broken]) {
        var used = 0
        /// The cell of `column`, normalised (TextNormalizer) into the scratch buffer; empty when
        /// the file lacks the column.
        func cell(_ column: Column) -> UnsafeBufferPointer<UInt8> {
            guard let r = raw.ranges[column.rawValue] else { return UnsafeBufferPointer(start: scratch, count: 0) }
            let start = scratch + used
            let n = TextNormalizer.normalize(src.slice(r), into: start)
            used += n
            return UnsafeBufferPointer(start: start, count: n)
        }
        func fire(_ rule: RuleCode, _ field: Column) { broken.append((rule, field)) }
        func comma() { out.canonicalLine.append(0x2C) }
        /// The normalised value as the canonical one (flagged or invalid values are kept).
        func keep(_ p: UnsafeBufferPointer<UInt8>) { CSVField.append(p, to: &out.canonicalLine) }

        // 姓名
        let name = cell(.name)
        let nameStart = out.canonicalLine.count
        let nameValid: Bool
        if CSVField.needsQuotes(name) { // never a valid name
            var tmp: [UInt8] = []
            nameValid = NameRule.appendCanonical(name, to: &tmp)
            CSVField.append(tmp, to: &out.canonicalLine)
        } else {
            nameValid = NameRule.appendCanonical(name, to: &out.canonicalLine)
        }
        if nameValid {
            out.nameText = String(decoding: out.canonicalLine[nameStart...], as: UTF8.self)
        } else {
            fire(.nameInvalid, .name)
            if let r = raw.ranges[Column.name.rawValue] {
                let cellBytes = src.slice(r)
                out.nameText = String(decoding: cellBytes.slice(TextNormalizer.trimmedRange(cellBytes)), as: UTF8.self)
            }
        }

        // 性别
        comma()
        let sexCell = cell(.sex)
        let sex = SexRule.parse(sexCell)
        if let sex {
            sex.canonical.withUTF8Buffer { out.canonicalLine.append(contentsOf: $0) }
        } else {
            fire(.sexInvalid, .sex)
            keep(sexCell)
        }

        // 民族
        comma()
        let ethnicCell = cell(.ethnicGroup)
        if let ethnic = EthnicGroupRule.canonical(ethnicCell) {
            CSVField.append(ethnic.utf8, to: &out.canonicalLine)
        } else {
            fire(.ethnicInvalid, .ethnicGroup)
            keep(ethnicCell)
        }

        // 公民身份号码
        comma()
        let idCell = cell(.citizenID)
        let id = CitizenIDRule.check(idCell, asOfDay: asOfDay)
        if id.formValid {
            let start = out.canonicalLine.count
            id.appendCanonical(to: &out.canonicalLine)
            out.idText = String(decoding: out.canonicalLine[start...], as: UTF8.self)
            out.idKey = id.key
            if id.upgraded15 { fire(.idUpgraded15, .citizenID) }
            if !id.birthValid { fire(.idBirthdate, .citizenID) }
            if !id.checksumValid { fire(.idChecksum, .citizenID) }
            if !CitizenIDRule.regionKnown(id) { fire(.idRegionUnknown, .citizenID) }
        } else {
            fire(.idFormat, .citizenID)
            var upper = Array(idCell)
            for i in upper.indices where upper[i] == 0x78 { upper[i] = 0x58 } // x → X
            CSVField.append(upper, to: &out.canonicalLine)
            out.idText = String(decoding: upper, as: UTF8.self)
        }
        // 性别 vs ID
        if let sex, id.formValid, !IDSexRule.matches(sex: sex, idIsMale: id.male) {
            fire(.idSexMismatch, .sex)
        }

        // 毕业院校
        comma()
        let school = cell(.school)
        if !SchoolMajorRule.isValid(school) { fire(.schoolInvalid, .school) }
        keep(school)

        // 毕业日期
        comma()
        let gradCell = cell(.graduationDate)
        var graduation: Int? // valid and inside the window
        switch GraduationDateRule.check(gradCell, window: context.graduationWindow) {
        case .invalid:
            fire(.graddateInvalid, .graduationDate)
            keep(gradCell)
        case .outsideWindow(let date):
            fire(.graddateWindow, .graduationDate)
            GraduationDateRule.appendDate(date, to: &out.canonicalLine)
        case .valid(let date):
            graduation = date
            GraduationDateRule.appendDate(date, to: &out.canonicalLine)
        }
        // 毕业日期 vs ID
        if let graduation, id.formValid, id.birthValid,
           !AgeRule.isPlausible(birth: id.birthDate, graduation: graduation) {
            fire(.ageImplausible, .graduationDate)
        }

        // 学历
        comma()
        let eduCell = cell(.education)
        if let code = EducationRule.code(eduCell) {
            out.canonicalLine.append(0x30 + code)
        } else {
            fire(.eduInvalid, .education)
            keep(eduCell)
        }

        // 所学专业
        comma()
        let major = cell(.major)
        if !SchoolMajorRule.isValid(major) { fire(.majorInvalid, .major) }
        keep(major)

        // 入学前户口所在地
        comma()
        let hukou = cell(.hukou)
        if !HukouRule.isValid(hukou, cohortYear: context.cohortYear) { fire(.hukouInvalid, .hukou) }
        keep(hukou)

        // 电子邮箱
        comma()
        let email = cell(.email)
        if !EmailRule.isPlausible(email) { fire(.emailInvalid, .email) }
        keep(email)

        // 邮编
        comma()
        let postcode = cell(.postcode)
        if !PostcodeRule.isValid(postcode) { fire(.postcodeInvalid, .postcode) }
        keep(postcode)

        // 手机号码
        comma()
        let mobile = PhoneRules.strippedMobile(cell(.mobile))
        if !PhoneRules.isValidMobile(mobile) { fire(.mobileInvalid, .mobile) }
        keep(mobile)

        // 固定电话
        comma()
        let landline = cell(.landline)
        if !PhoneRules.isValidLandline(landline) { fire(.landlineInvalid, .landline) }
        keep(landline)
        // 手机号码 and 固定电话
        if mobile.isEmpty && landline.isEmpty { fire(.noPhone, .mobile) }

        // 困难状况
        comma()
        let hardshipCell = cell(.hardship)
        let hardship = HardshipRule.parse(hardshipCell)
        if HardshipRule.isValid(hardship) {
            hardship.appendCanonical(to: &out.canonicalLine)
            if hardship.repeated { fire(.multiRepeated, .hardship) }
        } else {
            fire(.hardshipInvalid, .hardship)
            keep(hardshipCell)
        }

        // 就业地意向
        comma()
        let workplace = cell(.workplaceIntent)
        if !WorkplaceIntentRule.isValid(workplace) { fire(.workplaceInvalid, .workplaceIntent) }
        keep(workplace)

        // 就业意向
        comma()
        let intentionsCell = cell(.intentions)
        let intentions = IntentionsRule.parse(intentionsCell)
        let intentionsValid = IntentionsRule.isValid(intentions)
        if intentionsValid {
            intentions.appendCanonical(to: &out.canonicalLine)
            if intentions.repeated { fire(.multiRepeated, .intentions) }
            if IntentionsRule.isNineCombined(intentions) { fire(.intent9Combined, .intentions) }
        } else {
            fire(.intentInvalid, .intentions)
            keep(intentionsCell)
        }

        // 就业服务需求
        comma()
        let needsCell = cell(.serviceNeeds)
        let needs = ServiceNeedsRule.parse(needsCell)
        if ServiceNeedsRule.isValid(needs) {
            needs.appendCanonical(to: &out.canonicalLine)
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
        comma()
        let destination = cell(.destination)
        if !DestinationRule.isValid(destination) { fire(.destInvalid, .destination) }
        keep(destination)

        // 更新时间
        comma()
        let timeCell = cell(.updatedAt)
        let time = raw.has(.updatedAt) ? UpdateTimeRule.parse(timeCell) : context.defaultUpdateTime
        switch UpdateTimeRule.check(time, notBefore: notBefore, asOf: context.asOf) {
        case .invalid:
            fire(.timeInvalid, .updatedAt)
            keep(timeCell)
        case .tooEarly(let t):
            fire(.timeTooEarly, .updatedAt)
            ChinaTime.appendFormatted(t, to: &out.canonicalLine)
        case .future(let t):
            fire(.timeFuture, .updatedAt)
            ChinaTime.appendFormatted(t, to: &out.canonicalLine)
        case .valid(let t):
            out.updatedAt = t
            ChinaTime.appendFormatted(t, to: &out.canonicalLine)
            // 毕业日期 vs 更新时间
            if let graduation, GraduationAfterUpdateRule.isAfter(graduation: graduation, updatedAt: t) {
                fire(.graddateAfterUpdate, .graduationDate)
            }
        }

        // 登记单位
        comma()
        let unitCell = cell(.registeringUnit)
        switch RegisteringUnitRule.check(unitCell, policy: context.unitPolicy) {
        case .code(let code):
            RegisteringUnitRule.appendCode(code, to: &out.canonicalLine)
        case .empty:
            break
        case .foreign:
            fire(.unitForeign, .registeringUnit)
            keep(unitCell)
        }
    }
}
