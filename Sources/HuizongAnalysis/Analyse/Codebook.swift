/// The option lists of the notice's 附件1 (学历, 困难状况, 就业地意向, 就业意向, 就业服务需求,
/// 就业去向), with the labels the analysis and the reports print.
public enum Codebook {
    public struct Option: Sendable, Hashable, Codable {
        /// The code as written in the summary table (`1`…`9`, `A`, `10`…`15`).
        public var code: String
        public var label: String
    }

    /// 学历 (填写说明(四)): a single choice.
    public static let education: [Option] = [
        .init(code: "1", label: "博士研究生"), .init(code: "2", label: "硕士研究生"),
        .init(code: "3", label: "大学本科"), .init(code: "4", label: "大学专科"),
        .init(code: "5", label: "其他"),
    ]

    /// 困难状况 (填写说明(七)): one or more; `4` only alone.
    public static let hardship: [Option] = [
        .init(code: "1", label: "零就业家庭"), .init(code: "2", label: "家庭经济困难"),
        .init(code: "3", label: "残疾"), .init(code: "4", label: "不属于困难情况"),
    ]

    /// The hardship codes that make a graduate a priority case (二(七)).
    public static let hardshipPriorityCodes = ["1", "2", "3"]

    /// 就业地意向 (填写说明(八)): exactly one.
    public static let workplaceIntent: [Option] = [
        .init(code: "1", label: "准备到外地就业"), .init(code: "2", label: "准备在本地就业"),
        .init(code: "3", label: "不确定"),
    ]

    /// 就业意向 (填写说明(九)): one or more.
    public static let intentions: [Option] = [
        .init(code: "1", label: "准备考公务员"), .init(code: "2", label: "准备考事业单位"),
        .init(code: "3", label: "准备到企业就业"), .init(code: "4", label: "准备创业"),
        .init(code: "5", label: "准备参加基层项目"), .init(code: "6", label: "准备应征入伍"),
        .init(code: "7", label: "准备升学"), .init(code: "8", label: "准备出国"),
        .init(code: "9", label: "自愿暂时不就业"), .init(code: "A", label: "其他"),
    ]

    /// 就业服务需求 (填写说明(十)): one or more, or empty.
    public static let serviceNeeds: [Option] = [
        .init(code: "1", label: "政策咨询"), .init(code: "2", label: "职业介绍"),
        .init(code: "3", label: "职业指导"), .init(code: "4", label: "就业见习"),
        .init(code: "5", label: "职业培训"), .init(code: "6", label: "职业技能鉴定"),
        .init(code: "7", label: "创业培训"), .init(code: "8", label: "创业指导"),
        .init(code: "9", label: "公益性岗位"), .init(code: "A", label: "其他"),
    ]

    /// 就业去向（回访结果） (填写说明(十一)): one of 1–15, empty until followed up.
    public static let destination: [Option] = [
        .init(code: "1", label: "党政机关"), .init(code: "2", label: "事业单位"),
        .init(code: "3", label: "国有企业"), .init(code: "4", label: "非国有企业"),
        .init(code: "5", label: "自主创业"), .init(code: "6", label: "社区岗位"),
        .init(code: "7", label: "基层项目"), .init(code: "8", label: "科研助理"),
        .init(code: "9", label: "灵活就业"), .init(code: "10", label: "部队"),
        .init(code: "11", label: "就业见习"), .init(code: "12", label: "职业培训"),
        .init(code: "13", label: "升学出国"), .init(code: "14", label: "自愿暂时不就业"),
        .init(code: "15", label: "其他"),
    ]

    /// The label of an empty 就业去向: not followed up, or followed up without a destination.
    public static let noDestinationLabel = "未落实（尚未填写去向）"

    /// Destinations that count as employed in the employment rate (1–13 / all).
    public static let employedDestinationCodes: [String] = (1...13).map(String.init)

    public static func label(_ options: [Option], _ code: String) -> String {
        options.first { $0.code == code }?.label ?? code
    }
}
