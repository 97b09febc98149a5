/// The audit report's section on near-duplicate candidates (docs/near-duplicates.md): how many
/// groups and IDs, and every group with its IDs masked in the middle (unless `unmasked`) —
/// never contact values, which the matching does not even read.
public enum NearDuplicatesHTML {
    /// At most this many groups in the page; all are in `stats`' worklist.
    public static let maxGroups = 2_000

    public static func section(_ nd: NearDuplicates, unmasked: Bool) -> String {
        let e = HTMLPage.escape
        var body = "<section id=\"near-duplicates\"><h2>疑似重复登记 Near-duplicate candidates</h2>"
        body += "<div class=\"cards\">"
        body += HTMLPage.card("疑似组数 groups", HTMLPage.int(nd.groups.count), "不同号码，同一人？ different IDs, one person?")
        body += HTMLPage.card("涉及号码 IDs", HTMLPage.int(nd.candidateIDs), "请核实后保留一条 verify and keep one")
        body += "</div>"
        body += "<p class=\"note\">同一期内，公民身份号码不同，而姓名、出生日期（取自号码）、毕业院校和所学专业都相同（去空格、全角转半角后比较）。"
            + "可能是号码录错、新旧号码（15位/18位）或在两地登记；也可能确为两人，请核实。清单见 aggregate stats 的 near_duplicates.csv。 "
            + "Different IDs sharing 姓名, the birth date in the ID, 毕业院校 and 所学专业 in one period (spaces removed, full-width folded): "
            + "a mistyped ID, an old and a new number, or a registration in two places — or two people; verify. "
            + "The full list is stats' near_duplicates.csv.</p>"
        if nd.groups.isEmpty {
            return body + "<p>无 none.</p></section>"
        }
        let shown = nd.groups.prefix(maxGroups)
        if nd.groups.count > shown.count {
            body += "<p class=\"note\">仅显示前\(shown.count)组 showing the first \(shown.count) groups。</p>"
        }
        var rows: [[String]] = []
        for (n, g) in shown.enumerated() {
            for m in g.members {
                let id = unmasked ? m.row.citizenID : IDMask.mask(m.row.citizenID)
                rows.append([String(n + 1), e(g.name), g.birthDate, e(g.school), e(g.major), "<code>\(e(id))</code>",
                             e(m.row.registeringUnit), e(m.unitName), e(m.row.updatedAt)])
            }
        }
        body += HTMLPage.table(["组", "姓名", "出生日期", "毕业院校", "所学专业", "公民身份号码", "登记单位", "单位名称", "更新时间"],
                               rows, numeric: [0], raw: Set(0..<9), scroll: true)
        return body + "</section>"
    }
}
