/// The stable rule codes of SPEC 5.1 (规则). Auditors, reports and other tools rely on these
/// names: add codes, never rename one.
public enum RuleCode: String, CaseIterable, Sendable, Comparable {
    // Files (a `reject` here rejects the whole file).
    case fileUnreadable = "FILE_UNREADABLE"
    case fileGzip = "FILE_GZIP"
    case fileEmpty = "FILE_EMPTY"
    case fileColumns = "FILE_COLUMNS"
    case fileInflateLimit = "FILE_INFLATE_LIMIT"
    case fileNoManifest = "FILE_NO_MANIFEST"
    case fileManifestMismatch = "FILE_MANIFEST_MISMATCH"
    case fileForeignSender = "FILE_FOREIGN_SENDER"
    case fileExtraColumn = "FILE_EXTRA_COLUMN"
    case childMissing = "CHILD_MISSING"
    case childLate = "CHILD_LATE"
    // Lines.
    case lineQuote = "LINE_QUOTE"
    case lineFields = "LINE_FIELDS"
    case lineTooLong = "LINE_TOO_LONG"
    case lineEncoding = "LINE_ENCODING"
    // Fields.
    case nameInvalid = "NAME_INVALID"
    case sexInvalid = "SEX_INVALID"
    case ethnicInvalid = "ETHNIC_INVALID"
    case idFormat = "ID_FORMAT"
    case idChecksum = "ID_CHECKSUM"
    case idBirthdate = "ID_BIRTHDATE"
    case idSexMismatch = "ID_SEX_MISMATCH"
    case idUpgraded15 = "ID_UPGRADED_15"
    case idRegionUnknown = "ID_REGION_UNKNOWN"
    case schoolInvalid = "SCHOOL_INVALID"
    case majorInvalid = "MAJOR_INVALID"
    case graddateInvalid = "GRADDATE_INVALID"
    case graddateWindow = "GRADDATE_WINDOW"
    case ageImplausible = "AGE_IMPLAUSIBLE"
    case eduInvalid = "EDU_INVALID"
    case hukouInvalid = "HUKOU_INVALID"
    case mobileInvalid = "MOBILE_INVALID"
    case landlineInvalid = "LANDLINE_INVALID"
    case noPhone = "NO_PHONE"
    case emailInvalid = "EMAIL_INVALID"
    case postcodeInvalid = "POSTCODE_INVALID"
    case hardshipInvalid = "HARDSHIP_INVALID"
    case workplaceInvalid = "WORKPLACE_INVALID"
    case intentInvalid = "INTENT_INVALID"
    case intent9Combined = "INTENT_9_COMBINED"
    case needsInvalid = "NEEDS_INVALID"
    case needsWith9 = "NEEDS_WITH_9"
    case needsMissing = "NEEDS_MISSING"
    case graddateAfterUpdate = "GRADDATE_AFTER_UPDATE"
    case multiRepeated = "MULTI_REPEATED"
    case destInvalid = "DEST_INVALID"
    case timeInvalid = "TIME_INVALID"
    case timeFuture = "TIME_FUTURE"
    case timeTooEarly = "TIME_TOO_EARLY"
    case unitForeign = "UNIT_FOREIGN"
    // Records (SPEC 6).
    case duplicate = "DUPLICATE"
    case superseded = "SUPERSEDED"
    case newestRejected = "NEWEST_REJECTED"
    case conflict = "CONFLICT"
    case identityMismatch = "IDENTITY_MISMATCH"
    case multipleRegistration = "MULTIPLE_REGISTRATION"
    case destEmptied = "DEST_EMPTIED"
    case vanished = "VANISHED"
    case stale = "STALE"
    // Second round (SPEC 8.6).
    case fileSkipped = "FILE_SKIPPED"
    case fileFormat = "FILE_FORMAT"
    case fileSignature = "FILE_SIGNATURE"
    case idExcelNumber = "ID_EXCEL_NUMBER"
    case reportForeign = "REPORT_FOREIGN"

    /// The severity SPEC 5 and 5.1 give the code.
    public var severity: Severity {
        switch self {
        case .fileExtraColumn, .childMissing, .childLate,
             .idUpgraded15, .idRegionUnknown, .ageImplausible,
             .mobileInvalid, .landlineInvalid, .noPhone, .emailInvalid, .postcodeInvalid,
             .intent9Combined, .needsWith9, .needsMissing, .graddateAfterUpdate, .multiRepeated,
             .conflict, .identityMismatch, .multipleRegistration, .destEmptied, .vanished, .stale,
             .reportForeign:
            .flag
        case .duplicate, .superseded, .newestRejected, .fileSkipped:
            .info
        default:
            .reject
        }
    }

    /// Whether the finding is about a whole file (行号 and 字段 left empty).
    public var isFileLevel: Bool {
        rawValue.hasPrefix("FILE_") || rawValue.hasPrefix("CHILD_") || self == .reportForeign
    }

    /// The 说明 of a finding: what is wrong and what the desk should do, in Chinese and English.
    public var message: String {
        switch self {
        case .fileUnreadable: "文件无法读取，请重新报送 file cannot be read; send it again"
        case .fileGzip: "gzip压缩文件损坏或不完整，请重新报送 corrupt or truncated gzip file; send it again"
        case .fileEmpty: "文件为空，请重新报送 file is empty; send it again"
        case .fileColumns: "缺少表头或必填列，请按汇总表格式补齐 header or required column missing; use the 汇总表 columns"
        case .fileInflateLimit: "解压后过大（疑似压缩炸弹），已拒收 inflates past the limit (gzip bomb); rejected"
        case .fileNoManifest: "缺少同名清单文件manifest，请连同清单一起报送 data file without its manifest; send both together"
        case .fileManifestMismatch: "文件与清单不符，请重新报送整套文件 file does not match its manifest; send the whole set again"
        case .fileForeignSender: "报送单位不是本单位的下级，已拒收 sender is not a child of this unit; rejected"
        case .fileExtraColumn: "未知列已忽略，请删除该列 unknown column dropped; remove it from the file"
        case .childMissing: "下级单位未报送本期汇总表 child sent nothing for this period"
        case .childLate: "下级单位逾期报送 child reported after the deadline"
        case .lineQuote: "引号未闭合，请检查该行 unterminated quote; fix the quotes on this line"
        case .lineFields: "列数与表头不符，请检查多余或缺少的逗号 field count differs from the header; check the commas"
        case .lineTooLong: "行过长（超过1 MiB），已拒收 line longer than 1 MiB; rejected"
        case .lineEncoding: "该行编码无效，请用UTF-8或GB18030重新保存 invalid text encoding on this line; save as UTF-8 or GB18030"
        case .nameInvalid: "姓名须为1–30个汉字、字母、空格或· name must be 1-30 Han characters, Latin letters, spaces or ·"
        case .sexInvalid: "性别须为男/女或1/2 sex must be 男/女 or 1/2"
        case .ethnicInvalid: "民族须为GB/T 3304民族名称或代码 ethnic group must be a GB/T 3304 name or code"
        case .idFormat: "身份证号须为18位 ID must be 18 characters \\d{17}[\\dX]"
        case .idChecksum: "身份证号校验码错误，请核对证件 ID check digit is wrong; check the ID card"
        case .idBirthdate: "身份证号出生日期无效 invalid birth date in the ID"
        case .idSexMismatch: "性别与身份证号不符 sex does not match the ID"
        case .idUpgraded15: "15位旧号码已升为18位 legacy 15-digit ID upgraded to 18"
        case .idRegionUnknown: "身份证号前6位不是行政区划代码 ID region is not a GB/T 2260 code"
        case .schoolInvalid: "毕业院校须为1–60字 毕业院校 must be 1-60 characters"
        case .majorInvalid: "所学专业须为1–60字 所学专业 must be 1-60 characters"
        case .graddateInvalid: "毕业日期须为YYYYMMDD graduation date must be YYYYMMDD"
        case .graddateWindow: "毕业日期不在毕业年度内 graduation date outside the window"
        case .ageImplausible: "毕业时年龄不在15–60岁 age at graduation outside 15-60"
        case .eduInvalid: "学历须为1–5 education must be 1-5"
        case .hukouInvalid: "入学前户口所在地须为6位行政区划代码 household must be a 6-digit GB/T 2260 code"
        case .mobileInvalid: "手机号码格式错误 mobile number malformed"
        case .landlineInvalid: "固定电话格式错误 landline number malformed"
        case .noPhone: "手机号码和固定电话均为空，无法回访 no phone number; no way to follow up"
        case .emailInvalid: "电子邮箱格式错误 e-mail address malformed"
        case .postcodeInvalid: "邮编须为6位数字 postcode must be 6 digits"
        case .hardshipInvalid: "困难状况须为1–4，4只能单选 hardship must be 1-4, 4 only alone"
        case .workplaceInvalid: "就业地意向须为1–3中的一项 workplace intent must be one of 1-3"
        case .intentInvalid: "就业意向须为1–9、A intentions must be 1-9, A"
        case .intent9Combined: "自愿暂时不就业与其他选项同选 option 9 with others"
        case .needsInvalid: "就业服务需求须为1–9、A service needs must be 1-9, A"
        case .needsWith9: "自愿暂时不就业者不用填写就业服务需求 service needs given with intention 9 only"
        case .needsMissing: "就业服务需求为空（仅自愿暂时不就业者可不填） service needs empty; only intention 9 may leave it empty"
        case .graddateAfterUpdate: "毕业日期晚于更新时间（离校前登记） graduation after the row's update time"
        case .multiRepeated: "重复选项已去重 repeated option removed"
        case .destInvalid: "就业去向须为1–15中的一项 destination must be one of 1-15"
        case .timeInvalid: "更新时间格式错误，须为YYYY-MM-DD HH:MM:SS update time malformed; use YYYY-MM-DD HH:MM:SS"
        case .timeFuture: "更新时间晚于本次汇总时间 update time is after the run's reference time"
        case .timeTooEarly: "更新时间早于届别年度 update time before the cohort year"
        case .unitForeign: "登记单位不属于报送单位 registering unit is not under the sending unit"
        case .duplicate: "内容重复 same content as an earlier row"
        case .superseded: "已被更新的记录取代 superseded by a newer row"
        case .newestRejected: "最新记录被拒绝，沿用此前有效记录 newest row rejected; the previous valid row stands"
        case .conflict: "同一时间有不同内容，按规则取一 rows with the same update time differ; one kept by rule"
        case .identityMismatch: "同一身份证号姓名或民族不一致，请核对 name or ethnic group differ for one ID; check the ID"
        case .multipleRegistration: "同一人在多个单位登记 registered by more than one unit"
        case .destEmptied: "就业去向被清空 destination emptied by the newest row"
        case .vanished: "上期有此人本期未报送，已沿用上期记录 person missing this period; last period's row carried forward"
        case .stale: "下级单位本期未报送或被拒收，沿用上期记录 child's file missing or rejected; last period's row carried forward"
        case .fileSkipped: "非汇总表文件，未读取 not a summary file; not read"
        case .fileFormat: "文件格式不支持，请另存为 .xlsx 或 CSV UTF-8 unsupported file format; save it as .xlsx or CSV UTF-8"
        case .fileSignature: "清单签名缺失或无效，请用本单位密钥重新签名报送 manifest signature missing or invalid; sign with the unit's key and send again"
        case .idExcelNumber: "身份证号列须设为文本格式后重新录入 ID held as a number by Excel; format the ID column as Text and key the IDs again"
        case .reportForeign: "下级差错报告中有非其辖区单位发现的记录，已丢弃 child's report holds findings of units outside its subtree; dropped"
        }
    }

    public static func < (a: RuleCode, b: RuleCode) -> Bool { a.rawValue < b.rawValue }
}
