import Foundation
import HuizongCore

/// The 登记表's fields (附件1) in the form's order, each with the 填写说明's hint (附件2 说明
/// (一)–(十一)) and, for code fields, the choices with their labels. The page is built from this
/// table; nothing here is a rule: the rules are the core's (`RecordValidator`).
public struct FormField: Sendable {
    public enum Kind: Sendable, Equatable {
        case text(maxLength: Int)
        /// One option (radio buttons).
        case single([Codebook.Option])
        /// One or more options (check boxes), written as the codes in order (e.g. `123A`).
        case multi([Codebook.Option])
    }

    public let column: Column
    public let kind: Kind
    /// The 填写说明's words for this field (Chinese), shown beside it.
    public let hint: String
    /// A contact value: shown to clerks, never logged.
    public var isContact: Bool { column.isContact }
}

public enum FormFields {
    /// 性别: the two values the ID's 17th digit decides (说明一).
    static let sex = [Codebook.Option(code: "男", label: "男"), Codebook.Option(code: "女", label: "女")]

    /// The 登记表 in its order (附件1). 就业去向 is filled after a follow-up (回访), not at intake,
    /// but it is on the form and may be filled when the graduate is already placed.
    public static let registration: [FormField] = [
        FormField(column: .name, kind: .text(maxLength: 30),
                  hint: "须与本人有效居民身份证一致（说明一）"),
        FormField(column: .sex, kind: .single(sex), hint: "须与身份证一致；身份证号第17位单数为男、双数为女（说明一）"),
        FormField(column: .ethnicGroup, kind: .text(maxLength: 20), hint: "须与身份证一致，如“汉族”（说明一）"),
        FormField(column: .citizenID, kind: .text(maxLength: 18), hint: "18位居民身份证号码，末位可为X（说明一）"),
        FormField(column: .school, kind: .text(maxLength: 60), hint: "学历证书上记载的毕业学校（说明二）"),
        FormField(column: .graduationDate, kind: .text(maxLength: 10),
                  hint: "学历证书的发放日期，YYYYMMDD，如20120701（说明三）"),
        FormField(column: .education, kind: .single(Codebook.education), hint: "填写最高学历，选一项（说明四）"),
        FormField(column: .major, kind: .text(maxLength: 60), hint: "学历证书上记载的专业（说明二）"),
        FormField(column: .hukou, kind: .text(maxLength: 6),
                  hint: "入学前户口所在地的6位行政区划代码，参照GB/T 2260-2007（说明五）"),
        FormField(column: .email, kind: .text(maxLength: 100), hint: "如实填写（说明六）"),
        FormField(column: .postcode, kind: .text(maxLength: 6), hint: "6位数字，如实填写（说明六）"),
        FormField(column: .mobile, kind: .text(maxLength: 20), hint: "11位手机号码，如实填写；手机和固定电话至少填一项，以便回访（说明六）"),
        FormField(column: .landline, kind: .text(maxLength: 20), hint: "区号-号码，如010-12345678（说明六）"),
        FormField(column: .hardship, kind: .multi(Codebook.hardship),
                  hint: "可多选；“不属于困难情况”只能单选（说明七）"),
        FormField(column: .workplaceIntent, kind: .single(Codebook.workplaceIntent), hint: "请选一项（说明八）"),
        FormField(column: .intentions, kind: .multi(Codebook.intentions), hint: "可选多项（说明九）"),
        FormField(column: .serviceNeeds, kind: .multi(Codebook.serviceNeeds),
                  hint: "希望接受的服务，可选多项；“自愿暂时不就业”的不用填写（说明十）"),
        FormField(column: .destination, kind: .single(Codebook.destination),
                  hint: "日后根据回访结果填写，选一项（说明十一）"),
    ]

    /// The JSON key (canonical column name or an accepted alias, SPEC 3.1) → column.
    public static func column(forKey key: String) -> Column? {
        let folded = key.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            .trimmingCharacters(in: .whitespaces)
        for c in Column.allCases where c.canonicalName == folded || c.aliases.contains(folded) { return c }
        return nil
    }
}
