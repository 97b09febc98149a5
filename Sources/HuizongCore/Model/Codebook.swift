/// The option lists of the notice's 附件1 (学历, 困难状况, 就业地意向, 就业意向, 就业服务需求,
/// 就业去向), with the labels the analysis, the reports and the county's intake desk print. The
/// rules check the codes byte by byte (`Validate/Rules`); these lists say what the codes mean.
public enum Codebook {
    public struct Option: Sendable, Hashable, Codable {
        /// The code as written in the summary table (`1`…`9`, `A`, `10`…`15`).
        public var code: String
        public var label: String

        public init(code: String, label: String) {
            self.code = code
            self.label = label
        }
    }

    /// 学历 (填写说明(四)): a single choice.
    public static let education = numbered(["博士研究生", "硕士研究生", "大学本科", "大学专科", "其他"])

    /// 困难状况 (填写说明(七)): one or more; `4` only alone.
    public static let hardship = numbered(["零就业家庭", "家庭经济困难", "残疾", "不属于困难情况"])

    /// The hardship codes that make a graduate a priority case (二(七)).
    public static let hardshipPriorityCodes = ["1", "2", "3"]

    /// 就业地意向 (填写说明(八)): exactly one.
    public static let workplaceIntent = numbered(["准备到外地就业", "准备在本地就业", "不确定"])

    /// 就业意向 (填写说明(九)): one or more.
    public static let intentions = lettered([
        "准备考公务员", "准备考事业单位", "准备到企业就业", "准备创业", "准备参加基层项目",
        "准备应征入伍", "准备升学", "准备出国", "自愿暂时不就业", "其他",
    ])

    /// 就业服务需求 (填写说明(十)): one or more, or empty.
    public static let serviceNeeds = lettered([
        "政策咨询", "职业介绍", "职业指导", "就业见习", "职业培训",
        "职业技能鉴定", "创业培训", "创业指导", "公益性岗位", "其他",
    ])

    /// 就业去向（回访结果） (填写说明(十一)): one of 1–15, empty until followed up.
    public static let destination = numbered([
        "党政机关", "事业单位", "国有企业", "非国有企业", "自主创业", "社区岗位", "基层项目", "科研助理",
        "灵活就业", "部队", "就业见习", "职业培训", "升学出国", "自愿暂时不就业", "其他",
    ])

    /// The notice's numbering: `1`, `2`, … in order (学历, 困难状况, 就业地意向, 就业去向).
    static func numbered(_ labels: [String]) -> [Option] {
        labels.enumerated().map { Option(code: String($0.offset + 1), label: $0.element) }
    }

    /// 就业意向 and 就业服务需求 are numbered `1`…`9` and then `A` (a one-character code each, so
    /// that several choices are written as one string such as `123A`).
    static func lettered(_ labels: [String]) -> [Option] {
        precondition(labels.count <= 10, "one-character codes run 1…9, A")
        return labels.enumerated().map { Option(code: $0.offset < 9 ? String($0.offset + 1) : "A", label: $0.element) }
    }

    /// The label of an empty 就业去向: not followed up, or followed up without a destination.
    public static let noDestinationLabel = "未落实（尚未填写去向）"

    /// Destinations that count as employed in the employment rate (1–13 / all).
    public static let employedDestinationCodes: [String] = (1...13).map(String.init)

    public static func label(_ options: [Option], _ code: String) -> String {
        options.first { $0.code == code }?.label ?? code
    }
}
