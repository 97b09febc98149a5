import Foundation
import HuizongCore

/// The auditors' report as one self-contained offline HTML page: the submissions behind it
/// (files, sha256, children missing, late or rejected), reject/flag/info counts per rule and
/// per unit (each finding counted once, at the lowest level that found it — SPEC 3.3), and a
/// drill-down listing exactly the findings counted: rejects, then flags, each grouped by the unit
/// that found it; info findings (dedup and updates) as counts per rule unless asked for. IDs are masked in the middle
/// unless `unmasked`; contact values never appear (blanked at load, scrubbed again here).
public enum AuditReportHTML {
    /// The line under every page: what the page counts and what it never shows.
    static let footer = "huizong · 审核报告 auditors' report · 规则代码见 SPEC 5.1 · 联系方式（手机号码、固定电话、电子邮箱）不写入任何报告 contact values never appear in a report."

    public struct Options: Sendable {
        public var unmasked: Bool
        /// Most findings shown in the drill-down (the CSV written beside has them all).
        public var maxFindings: Int
        public var findingsCSVName: String?
        /// List info findings in the drill-down too (by default they are counted per rule only).
        public var includeInfo: Bool

        public init(unmasked: Bool = false, maxFindings: Int = 20_000, findingsCSVName: String? = nil, includeInfo: Bool = false) {
            self.includeInfo = includeInfo
            self.unmasked = unmasked
            self.maxFindings = maxFindings
            self.findingsCSVName = findingsCSVName
        }
    }

    static func severityClass(_ s: String) -> String {
        switch s {
        case "reject": "sev-reject"
        case "flag": "sev-flag"
        default: "sev-info"
        }
    }

    static func severityLabel(_ s: String) -> String {
        switch s {
        case "reject": "reject 拒收"
        case "flag": "flag 待核"
        default: "info 提示"
        }
    }

    /// The cells a finding shows, masked and scrubbed as the options say.
    static func cells(_ f: AuditFindings.Finding, unmasked: Bool) -> (id: String, message: String, raw: String) {
        let id = unmasked ? f.citizenID : IDMask.mask(f.citizenID)
        var message = ContactScrubber.scrub(f.message)
        var raw = ContactScrubber.scrub(f.rawValue)
        if !unmasked {
            message = IDMask.maskEmbedded(message)
            raw = f.field == Column.citizenID.canonicalName ? IDMask.mask(raw) : IDMask.maskEmbedded(raw)
        }
        return (id, message, raw)
    }

    public static func render(_ a: AuditFindings, findings: [AuditFindings.Finding], totalFindings: Int,
                              options: Options, nearDuplicates: NearDuplicates? = nil) -> String {
        let e = HTMLPage.escape
        let unitLabel = UnitDirectory.label(a.unit, name: a.unitName)
        var body = ""

        var cards = HTMLPage.card("拒收 reject", HTMLPage.int(a.bySeverity["reject"] ?? 0), "记录未汇入 rows not merged")
        cards += HTMLPage.card("待核 flag", HTMLPage.int(a.bySeverity["flag"] ?? 0), "已汇入，需在源头更正 fix at the source")
        cards += HTMLPage.card("提示 info", HTMLPage.int(a.bySeverity["info"] ?? 0), "去重与更新 dedup and updates")
        cards += HTMLPage.card("报告行数 report rows", HTMLPage.int(a.reportRows),
                               "含上级复现 incl. re-raised; 去重后 distinct \(a.distinct)")
        body += "<section><h2>概况 Overview</h2><div class=\"cards\">\(cards)</div>"
        body += "<p class=\"note\">每个问题只计一次，计在最先发现它的（最低一级）单位：按公民身份号码（无号码时按来源单位、文件和行号）、字段和规则归并。 Each finding counts once, at the lowest level that found it, keyed by ID (or source unit, file and line), field and rule.</p></section>"

        // Submissions.
        body += "<section><h2>报送情况 Submissions</h2>"
        body += HTMLPage.table(["单位", "期别", "汇总表", "sha256", "行数", "问题数", "下级应报", "迟报", "未报", "拒收"],
                               a.submissions.map { s in
                                   ["\(s.unit) \(s.name)", s.period, s.summaryFile, String(s.summarySHA256.prefix(16)) + "…",
                                    HTMLPage.int(s.rows), HTMLPage.int(s.findings), String(s.childrenExpected.count),
                                    s.childrenLate.joined(separator: " "), s.childrenMissing.joined(separator: " "),
                                    s.childrenRejected.joined(separator: " ")]
                               }, numeric: [4, 5, 6])
        body += "</section>"

        // Per rule.
        let ruleBars = a.byRule.filter { $0.severity != "info" }.map {
            SVGChart.Bar(label: $0.rule, value: $0.count, note: $0.severity,
                         color: $0.severity == "reject" ? "#c0392b" : "#d68910")
        }
        body += "<section><h2>按规则 By rule</h2>"
        body += SVGChart.horizontalBars(title: "拒收与待核问题按规则 reject and flag findings by rule", bars: ruleBars, width: 760)
        body += HTMLPage.table(["规则 rule", "级别 severity", "问题数 count", "说明 description"],
                               a.byRule.map { ["<code>\(e($0.rule))</code>", "<span class=\"\(severityClass($0.severity))\">\(e(severityLabel($0.severity)))</span>",
                                               HTMLPage.int($0.count), e($0.description)] },
                               numeric: [2], raw: [0, 1, 3])
        body += "</section>"

        // Per unit.
        body += "<section><h2>按单位 By unit (发现单位，最低一级)</h2>"
        body += HTMLPage.table(["单位", "名称", "拒收 reject", "待核 flag", "提示 info"],
                               a.byUnit.map { [$0.unit, $0.name, HTMLPage.int($0.reject), HTMLPage.int($0.flag), HTMLPage.int($0.info)] },
                               numeric: [2, 3, 4], scroll: true)
        let rules = a.byRule.filter { $0.severity != "info" }.map(\.rule)
        let matrixRules = Array(Set(rules)).sorted()
        if !matrixRules.isEmpty && a.byUnit.count <= 400 {
            // Rule codes are long and there may be thirty of them: the headers are set vertically
            // so that the matrix fits the page's width instead of scrolling sideways.
            body += "<h3>单位 × 规则（拒收与待核） unit × rule</h3>"
            let header = ["单位"] + matrixRules
            let rows = a.byUnit.compactMap { u -> [String]? in
                let m = a.byUnitRule[u.unit] ?? [:]
                let cells = matrixRules.map { m[$0].map(String.init) ?? "" }
                return cells.allSatisfy(\.isEmpty) ? nil : [u.unit] + cells
            }
            body += HTMLPage.table(header, rows, numeric: Set(1..<header.count), scroll: true, verticalHeaders: Set(1..<header.count),
                                   tableClass: "matrix")
        }
        body += "</section>"

        // Near-duplicate candidates (docs/near-duplicates.md).
        if let nearDuplicates { body += NearDuplicatesHTML.section(nearDuplicates, unmasked: options.unmasked) }

        // Drill-down: exactly the findings counted above, rejects then flags (then info when asked).
        let listedSeverities = options.includeInfo ? ["reject", "flag", "info"] : ["reject", "flag"]
        body += "<section><h2>明细 Findings (\(HTMLPage.int(totalFindings)))</h2>"
        body += "<p class=\"note\">每个问题列一次，与上面的计数相同：同一问题在本级被重复报告（如上月汇总表与本月批次各报一次）时，其余位置列在“另见”中。 Each finding is listed once, as counted above; where its level reported it again (e.g. from last month's table and from the new batch), the other places are under 另见 also at.</p>"
        if !options.unmasked {
            body += "<p class=\"note\">公民身份号码已部分隐去 IDs are masked in the middle (aggregate report --unmasked shows them). 联系方式从不显示 contact values are never shown.</p>"
        }
        if totalFindings > findings.count {
            body += "<p class=\"note\">仅显示前\(findings.count)条 showing the first \(findings.count) of \(totalFindings)"
            if let csv = options.findingsCSVName { body += "；全部见 all in <code>\(e(csv))</code>" }
            body += "。</p>"
        }
        for sev in listedSeverities {
            let ofSeverity = findings.filter { $0.severity == sev }
            guard !ofSeverity.isEmpty else { continue }
            body += "<h3 class=\"\(severityClass(sev))\">\(e(severityLabel(sev)))：\(HTMLPage.int(a.bySeverity[sev] ?? 0))条</h3>"
            var groups: [(String, [AuditFindings.Finding])] = []
            for f in ofSeverity {
                if groups.last?.0 == f.foundBy { groups[groups.count - 1].1.append(f) } else { groups.append((f.foundBy, [f])) }
            }
            for (unit, list) in groups {
                let name = a.byUnit.first { $0.unit == unit }?.name ?? ""
                body += "<details\(groups.count <= 3 ? " open" : "")><summary>发现单位 \(e(unit)) \(e(name)) — \(e(severityLabel(sev))) \(list.count)条</summary>"
                body += HTMLPage.table(["来源 source", "公民身份号码", "姓名", "字段", "规则", "说明", "原值", "另见 also at", "上级复现"],
                                       list.map { f in
                                           let c = cells(f, unmasked: options.unmasked)
                                           let source = "\(e(f.sourceUnit))<br><span class=\"muted\">\(e(f.sourceFile))\(f.line.map { ":\($0)" } ?? "")</span>"
                                           return [source, "<code>\(e(c.id))</code>", e(f.name), e(f.field), "<code>\(e(f.rule))</code>",
                                                   e(c.message), e(c.raw), e(f.alsoAt.joined(separator: " ")),
                                                   e(f.reRaisedBy.joined(separator: " "))]
                                       }, raw: Set(0..<9), wrap: [0, 5, 6, 7], scroll: true, classes: [5: "msg", 6: "raw", 7: "raw"])
                body += "</details>"
            }
        }
        if !options.includeInfo {
            let infos = a.byRule.filter { $0.severity == "info" }
            if !infos.isEmpty {
                body += "<h3 class=\"sev-info\">提示 info：\(HTMLPage.int(a.bySeverity["info"] ?? 0))条（去重与更新，只计数） counted, not listed</h3>"
                body += "<p class=\"note\">逐条见\(options.findingsCSVName.map { "<code>\(e($0))</code>" } ?? "问题清单")；aggregate report --with-info 在此列出 lists them here.</p>"
                body += HTMLPage.table(["规则 rule", "问题数 count", "说明 description"],
                                       infos.map { ["<code>\(e($0.rule))</code>", HTMLPage.int($0.count), e($0.description)] },
                                       numeric: [1], raw: [0, 2])
            }
        }
        body += "</section>"

        return HTMLPage.page(title: "\(unitLabel) \(a.period) 审核报告",
                             heading: "汇总表审核报告 — \(unitLabel)",
                             subtitle: "期别 period \(a.period) · 问题 \(a.distinct) 条（去重后 distinct） · 报告行 \(a.reportRows)",
                             body: body, footer: e(Self.footer))
    }

    /// The columns of the finding list (`U-P.audit-findings.csv` / `.xlsx`).
    public static let findingsColumns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别",
                                         "说明", "原值", "上级复现", "另见"]

    /// One drill-down finding as the list's cells (masked unless `unmasked`; never contact values).
    public static func findingsRow(_ f: AuditFindings.Finding, unmasked: Bool) -> [String] {
        let c = cells(f, unmasked: unmasked)
        return [f.foundBy, f.sourceUnit, f.sourceFile, f.line.map(String.init) ?? "", c.id, f.name, f.field, f.rule,
                f.severity, c.message, c.raw, f.reRaisedBy.joined(separator: " "), f.alsoAt.joined(separator: " ")]
    }
}
