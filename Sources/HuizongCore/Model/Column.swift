/// The columns of the summary table (汇总表, 附件2 of the notice, plus 更新时间 and 登记单位),
/// in output order (SPEC 3.1). `rawValue` is the position in the output line.
public enum Column: Int, CaseIterable, Sendable, Comparable {
    case serial = 0        // 序号
    case name              // 姓名
    case sex               // 性别
    case ethnicGroup       // 民族
    case citizenID         // 公民身份号码
    case school            // 毕业院校
    case graduationDate    // 毕业日期
    case education         // 学历
    case major             // 所学专业
    case hukou             // 入学前户口所在地
    case email             // 电子邮箱
    case postcode          // 邮编
    case mobile            // 手机号码
    case landline          // 固定电话
    case hardship          // 困难状况
    case workplaceIntent   // 就业地意向
    case intentions        // 就业意向
    case serviceNeeds      // 就业服务需求
    case destination       // 就业去向
    case updatedAt         // 更新时间
    case registeringUnit   // 登记单位

    public static let count = 21

    /// The canonical header name, as written in output files and in the report's 字段 column.
    public var canonicalName: String {
        switch self {
        case .serial: "序号"
        case .name: "姓名"
        case .sex: "性别"
        case .ethnicGroup: "民族"
        case .citizenID: "公民身份号码"
        case .school: "毕业院校"
        case .graduationDate: "毕业日期"
        case .education: "学历"
        case .major: "所学专业"
        case .hukou: "入学前户口所在地"
        case .email: "电子邮箱"
        case .postcode: "邮编"
        case .mobile: "手机号码"
        case .landline: "固定电话"
        case .hardship: "困难状况"
        case .workplaceIntent: "就业地意向"
        case .intentions: "就业意向"
        case .serviceNeeds: "就业服务需求"
        case .destination: "就业去向"
        case .updatedAt: "更新时间"
        case .registeringUnit: "登记单位"
        }
    }

    /// Accepted header names besides the canonical one (SPEC 3.1), already folded to half-width.
    public var aliases: [String] {
        switch self {
        case .citizenID: ["公民身份证号码", "身份证号码"]
        case .school: ["毕业学校"]
        case .mobile: ["手机"]
        case .destination: ["就业去向(回访结果)"]
        default: []
        }
    }

    /// Whether a file without this column is rejected whole (`FILE_COLUMNS`). 更新时间 may be
    /// replaced by the 2012 template's 填报时间; 登记单位 is required above county level only.
    public var isRequiredColumn: Bool {
        switch self {
        case .serial, .registeringUnit: false
        default: true
        }
    }

    /// Contact values (phone, e-mail) are never copied into a report (SPEC 3.3, 7).
    public var isContact: Bool {
        switch self {
        case .email, .mobile, .landline: true
        default: false
        }
    }

    public static func < (a: Column, b: Column) -> Bool { a.rawValue < b.rawValue }

    /// The header line of every output summary file.
    public static let headerLine: String = allCases.map(\.canonicalName).joined(separator: ",")
}
