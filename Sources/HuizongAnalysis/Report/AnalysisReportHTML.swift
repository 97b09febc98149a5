import Foundation
import HuizongCore

/// The monthly analysis (一(六) 信息分析) as one self-contained offline HTML page: KPI cards,
/// the employment-rate trend across the loaded periods, the distributions (学历, 就业去向,
/// 就业服务需求, 困难状况, 就业意向, 专业结构), the follow-up results since the previous period,
/// per child unit, and the size of each county's worklists. It names no person: no ID, no
/// name, no contact value.
public enum AnalysisReportHTML {
    /// The line under every page: what the page counts and what it never shows.
    static let footer = "huizong · 离校未就业高校毕业生实名登记 · 统计口径：就业率 = 就业去向1–13 / 登记人数；未落实 = 就业去向为空。本报告不含身份证号、姓名和联系方式。 Employment rate = destinations 1–13 / all. No IDs, names or contact values in this report."

    static let palette = ["#2467b3", "#2f9e44", "#d68910", "#c0392b", "#7048e8", "#0b7285", "#a61e4d"]

    static func bars(_ items: [MonthlyStats.Share], color: String, showCode: Bool = true) -> [SVGChart.Bar] {
        items.map { SVGChart.Bar(label: showCode && !$0.code.isEmpty ? "\($0.code) \($0.label)" : $0.label,
                                 value: $0.count, note: HTMLPage.percent($0.share), color: color) }
    }

    static func shareTable(_ title: String, _ items: [MonthlyStats.Share]) -> String {
        HTMLPage.table([title, "人数", "占比"], items.map { [$0.code.isEmpty ? $0.label : "\($0.code) \($0.label)", HTMLPage.int($0.count), HTMLPage.percent($0.share)] },
                       numeric: [1, 2])
    }

    public static func render(_ s: MonthlyStats, worklistCounts counties: [Worklists.CountyCounts], staleDays: Int,
                              completeness: TreeCompleteness? = nil) -> String {
        let e = HTMLPage.escape
        let unitLabel = UnitDirectory.label(s.unit, name: s.unitName)
        var body = ""

        // KPI cards.
        var cards = HTMLPage.card("登记人数 registered", HTMLPage.int(s.total),
                                  s.change.map { "较上期 \(e(HTMLPage.signed($0.deltaTotal)))" } ?? "")
        cards += HTMLPage.card("已就业 employed (去向1–13)", HTMLPage.int(s.employed), "就业率 \(HTMLPage.percent(s.employmentRate))")
        cards += HTMLPage.card("就业率 employment rate", HTMLPage.percent(s.employmentRate),
                               s.change.map { "较上期 \(e(HTMLPage.points($0.deltaEmploymentRate)))" } ?? "无上期数据 no previous period")
        cards += HTMLPage.card("未落实去向 no destination yet", HTMLPage.int(s.noDestination), HTMLPage.percent(MonthlyStats.rate(s.noDestination, s.total)))
        cards += HTMLPage.card("困难且未落实 hardship cases", HTMLPage.int(s.hardshipNoDestination), "重点帮扶 one-to-one help")
        body += "<section><h2>概况 Overview</h2><div class=\"cards\">\(cards)</div>"
        body += "<p class=\"note\">数据来源 sources: " + s.submissions.map {
            "\(e($0.unit)) <code>\(e($0.summaryFile))</code> sha256 <code>\(e(String($0.summarySHA256.prefix(16))))…</code>"
        }.joined(separator: "；") + (s.submissions.isEmpty ? "无 none loaded" : "") + "</p></section>"

        // Whole-tree completeness: every unit below, not only the direct children.
        if let t = completeness {
            body += "<section><h2>报送情况 Reporting completeness (whole tree)</h2>"
            body += HTMLPage.table(["层级 level", "应报 expected", "按时 on time", "迟报 late", "未报 missing", "按时报送率 rate"],
                                   t.levels.map { [$0.level, String($0.expected), String($0.onTime), String($0.late), String($0.missing),
                                                   StatsTables.fraction($0.reportingRate)] }, numeric: [1, 2, 3, 4, 5])
            if !t.missing.isEmpty { body += "<p class=\"note\">未报 missing: " + e(t.missing.joined(separator: ", ")) + "</p>" }
            if !t.late.isEmpty { body += "<p class=\"note\">迟报 late: " + e(t.late.joined(separator: ", ")) + "</p>" }
            body += "</section>"
        }

        // Trend.
        let trendRate = s.trend.map { SVGChart.Point(label: $0.period, value: $0.employmentRate, note: "\($0.employed)/\($0.total)") }
        let trendTotal = s.trend.map { SVGChart.Point(label: $0.period, value: Double($0.total), note: "") }
        body += "<section><h2>月度趋势 Monthly trend</h2><div class=\"grid\"><div><h3>就业率 employment rate</h3>"
        body += SVGChart.line(title: "就业率月度趋势 employment rate by period", points: trendRate, yMax: 1)
        body += "</div><div><h3>登记人数 registered</h3>"
        body += SVGChart.line(title: "登记人数月度趋势 registered by period", points: trendTotal, percent: false, color: "#2f9e44")
        body += "</div></div>"
        body += HTMLPage.table(["期别", "登记人数", "已就业", "就业率", "未落实去向", "困难且未落实"],
                               s.trend.map { [$0.period, HTMLPage.int($0.total), HTMLPage.int($0.employed), HTMLPage.percent($0.employmentRate),
                                              HTMLPage.int($0.noDestination), HTMLPage.int($0.hardshipNoDestination)] },
                               numeric: [1, 2, 3, 4, 5])
        body += "</section>"

        // Distributions.
        body += "<section><h2>学历状况与就业去向 Education and destinations</h2><div class=\"grid\">"
        body += "<div><h3>学历 education</h3>" + SVGChart.horizontalBars(title: "学历分布 education", bars: bars(s.education, color: palette[0])) + "</div>"
        body += "<div><h3>就业去向（回访结果） destination</h3>" + SVGChart.horizontalBars(title: "就业去向分布 destination", bars: bars(s.destination, color: palette[1])) + "</div>"
        body += "</div></section>"
        body += "<section><h2>就业服务需求与困难状况 Service needs and hardship</h2>"
        body += "<p class=\"note\">多选项：一人可计入多项，占比之和可超过100%。 Multiple choice: shares add up to more than 100%.</p><div class=\"grid\">"
        body += "<div><h3>就业服务需求 service needs</h3>" + SVGChart.horizontalBars(title: "就业服务需求 service needs", bars: bars(s.serviceNeeds, color: palette[2])) + "</div>"
        body += "<div><h3>困难状况 hardship</h3>" + SVGChart.horizontalBars(title: "困难状况 hardship", bars: bars(s.hardship, color: palette[3])) + "</div>"
        body += "<div><h3>就业意向 intentions</h3>" + SVGChart.horizontalBars(title: "就业意向 intentions", bars: bars(s.intentions, color: palette[4])) + "</div>"
        body += "<div><h3>就业地意向 workplace</h3>" + SVGChart.horizontalBars(title: "就业地意向 workplace intent", bars: bars(s.workplaceIntent, color: palette[5])) + "</div>"
        body += "</div></section>"
        body += "<section><h2>专业结构 Majors (前\(s.majors.count)名，共\(s.distinctMajors)个专业)</h2>"
        body += SVGChart.horizontalBars(title: "专业结构 top majors", bars: bars(s.majors, color: palette[6], showCode: false), width: 760)
        body += "</section>"

        // Follow-up results.
        body += "<section><h2>回访结果 Follow-up since the previous period</h2>"
        if let c = s.change {
            body += HTMLPage.table(["指标", "上期 \(c.previousPeriod)", "本期 \(s.period)", "变化"], [
                ["登记人数 registered", HTMLPage.int(c.previousTotal), HTMLPage.int(s.total), HTMLPage.signed(c.deltaTotal)],
                ["已就业 employed", HTMLPage.int(c.previousEmployed), HTMLPage.int(s.employed), HTMLPage.signed(c.deltaEmployed)],
                ["就业率 employment rate", HTMLPage.percent(c.previousEmploymentRate), HTMLPage.percent(s.employmentRate), HTMLPage.points(c.deltaEmploymentRate)],
                ["新增登记 newly listed", "", HTMLPage.int(c.newlyListed), ""],
                ["不再列入 no longer listed", HTMLPage.int(c.noLongerListed), "", ""],
                ["去向有变化 destination changed", "", HTMLPage.int(c.destinationChanged), ""],
                ["新实现就业 newly employed", "", HTMLPage.int(c.newlyEmployed), ""],
            ], numeric: [1, 2, 3])
            let moved = s.transitions.filter { $0.from != $0.to }.sorted { $0.count > $1.count }
            body += "<h3>去向变化 destination changes (上期 → 本期)</h3>"
            body += moved.isEmpty ? "<p class=\"muted\">无变化 none</p>" :
                HTMLPage.table(["上期去向 from", "本期去向 to", "人数"],
                               moved.map { ["\($0.from.isEmpty ? "" : $0.from + " ")\($0.fromLabel)", "\($0.to.isEmpty ? "" : $0.to + " ")\($0.toLabel)", HTMLPage.int($0.count)] },
                               numeric: [2], scroll: true)
        } else {
            body += "<p class=\"muted\">未载入上期（\(e(Period(s.period)?.previous.description ?? ""))）数据 the previous period is not loaded.</p>"
        }
        body += "</section>"

        // Per child.
        body += "<section><h2>下级单位 By child unit</h2>"
        let childBars = s.children.map { SVGChart.Bar(label: $0.name.isEmpty ? $0.unit : "\($0.name) \($0.unit)",
                                                      value: Int((($0.employmentRate ?? 0) * 1000).rounded()),
                                                      display: HTMLPage.percent($0.employmentRate)) }
        if s.children.count > 1 && s.children.count <= 60 {
            body += "<h3>各单位就业率 employment rate</h3>" + SVGChart.horizontalBars(title: "各单位就业率 employment rate by child unit", bars: childBars, width: 760)
        }
        body += HTMLPage.table(["单位", "名称", "登记人数", "已就业", "就业率", "未落实", "困难且未落实", "上期人数", "人数变化", "就业率变化"],
                               s.children.map { [$0.unit, $0.name, HTMLPage.int($0.total), HTMLPage.int($0.employed), HTMLPage.percent($0.employmentRate),
                                                 HTMLPage.int($0.noDestination), HTMLPage.int($0.hardshipNoDestination),
                                                 $0.previousTotal.map(HTMLPage.int) ?? "—", $0.deltaTotal.map(HTMLPage.signed) ?? "—",
                                                 HTMLPage.points($0.deltaEmploymentRate)] },
                               numeric: [2, 3, 4, 5, 6, 7, 8, 9], scroll: true)
        body += "</section>"

        // Worklists (sizes only; the lists are written by `aggregate stats`).
        body += "<section><h2>各区县工作清单 County worklists</h2>"
        body += "<p class=\"note\">困难未落实：困难状况含1、2或3且尚无去向（一对一帮扶）；待回访：尚无去向且更新时间早于参照时间\(staleDays)天以上（参照时间 \(e(s.asOf))）；服务需求：尚无去向者按所需服务计数。名单见 <code>aggregate stats --out</code>。</p>"
        let header = ["区县", "名称", "困难未落实", "待回访"] + Codebook.serviceNeeds.map { "\($0.code) \($0.label)" }
        body += HTMLPage.table(header, counties.map { [$0.county, $0.countyName, HTMLPage.int($0.priority), HTMLPage.int($0.followUp)] + $0.services.map(HTMLPage.int) },
                               numeric: Set(2..<header.count), scroll: true)
        body += "</section>"

        return HTMLPage.page(title: "\(unitLabel) \(s.period) 月度分析",
                             heading: "离校未就业高校毕业生月度分析 — \(unitLabel)",
                             subtitle: "期别 period \(s.period) · 参照时间 as of \(s.asOf)",
                             body: body, footer: e(Self.footer))
    }
}
