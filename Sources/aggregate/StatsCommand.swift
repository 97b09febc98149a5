import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate stats`: the notice's monthly analysis (一(六)) of a unit's subtree, and the
/// county offices' worklists (priority hardship cases, service worklists, follow-up).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "从数据库得出单位所辖范围的月度分析和工作名单。 Monthly analysis and worklists for a unit's subtree, from the database.",
        discussion: """
        按学历、专业、就业去向（就业率）、就业服务需求、困难状况计数与占比，与上期比较，按下级单位；\
        每个区县的重点帮扶名单、服务名单和超过--stale-days天未更新的回访名单。--out DIR写出CSV、\
        stats.json或一个工作簿；不给--out时输出到标准输出。未载入的期别是错误（退出状态1）。 \
        Counts and shares by 学历, top majors, 就业去向 and the employment rate (1–13 / all), \
        就业服务需求, 困难状况, the change since the previous period, per child unit; and per county: \
        hardship graduates with no destination (priority), the graduates with no destination who \
        asked for each service, and those with no destination not updated for more than \
        --stale-days days before the reference time (the covering manifests' asOf, or --as-of). \
        With --out DIR, writes CSV tables (--format csv), stats.json (--format json) or one \
        workbook DIR/U-P.stats.xlsx with every table and each county's lists as sheets \
        (--format xlsx), files 0600; without it, prints to standard output. CSV files are for \
        people: UTF-8 with a BOM, CRLF, cells starting with = + - @ prefixed with '. Worklists carry full IDs but no contact \
        values unless --with-contacts.
        """
    )

    @OptionGroup var analysis: AnalysisOptions
    @Option(help: "输出格式：csv、json或xlsx（xlsx须与--out同用） output format: csv, json or xlsx (xlsx needs --out).") var format: String = "json"
    @Option(help: "输出目录（以0700创建） output directory (created 0700).") var out: String?
    @Option(name: .customLong("top-majors"), help: "专业结构表列出的专业数 how many majors the 专业结构 table lists.") var topMajors: Int = 20
    @Flag(name: .customLong("with-contacts"), help: "在名单中写入手机号码、固定电话、电子邮箱（报告中从不写入） put 手机号码/固定电话/电子邮箱 in the worklists (never in reports).") var withContacts = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start("stats")
        SecureFiles.restrictUmask()
        guard ["csv", "json", "xlsx"].contains(format) else { throw Console.fail("--format须为csv、json或xlsx --format must be csv, json or xlsx") }
        guard format != "xlsx" || out != nil else { throw Console.fail("--format xlsx须与--out同用 --format xlsx writes a file: give --out DIR") }
        let staleDays = analysis.staleDays
        guard staleDays >= 0 else { throw Console.fail("--stale-days须为非负数 --stale-days must be >= 0") }
        let unit = analysis.subtree.unit.description, p = analysis.subtree.period
        let (database, pipeline) = try analysis.subtree.openLoaded()
        try Console.failing {
            try database.analyse { dbc in
                let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(dbc, config: pipeline))
                let stats = try MonthlyStats.compute(dbc, scope: scope, period: p, asOf: analysis.asOf?.seconds, topMajors: topMajors)
                guard let asOfInstant = ChinaTime.parseAsOf(stats.asOf) else {
                    throw Console.fail("参照时间无效 the reference time \(stats.asOf) is not a valid time")
                }
                let counties = try Worklists.counts(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays)
                let completeness = try TreeCompleteness.compute(dbc, scope: scope, period: p.description)
                if let completeness { Console.info(completeness.summary) }
                // The auditors' totals, by the one definition the audit report uses (docs/audit-totals.md).
                Console.info(try AuditFindings.compute(dbc, scope: scope, period: p).totals.line)
                let nearDuplicates = try NearDuplicates.compute(dbc, scope: scope, period: p)  // docs/near-duplicates.md
                if let out, format == "xlsx" {
                    let path = out + "/\(unit)-\(p).stats.xlsx"
                    try SecureFiles.makeDirectory(out)
                    try StatsTables.writeWorkbook(stats: stats, counties: counties, staleDays: staleDays, contacts: withContacts,
                                                  to: path, extraTables: [nearDuplicates.table]) { body in
                        try Worklists.stream(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays,
                                             includeContacts: withContacts, body: body)
                    }
                    print("\(unit) \(p)：登记 \(stats.total) 人 registered，就业率 employment rate \(StatsTables.fraction(stats.employmentRate)) → \(path)")
                } else if let out {
                    try StatsTables.write(stats: stats, counties: counties, staleDays: staleDays, contacts: withContacts, to: out,
                                          json: format == "json", perCounty: analysis.perCounty, completeness: completeness) { body in
                        try Worklists.stream(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays,
                                             includeContacts: withContacts, body: body)
                    }
                    try nearDuplicates.write(to: out, json: format == "json")
                    let priority = counties.reduce(0) { $0 + $1.priority }, followUp = counties.reduce(0) { $0 + $1.followUp }
                    print("\(unit) \(p)：登记 \(stats.total) 人 registered，就业率 employment rate \(StatsTables.fraction(stats.employmentRate))；重点帮扶 priority \(priority)，待回访 follow-up \(followUp) → \(out)")
                } else if format == "json" {
                    print(try StatsTables.json(stats: stats, counties: counties, staleDays: staleDays, completeness: completeness), terminator: "")
                } else {
                    let tables = StatsTables.statsTables(stats) + [StatsTables.countsTable(counties, staleDays: staleDays)]
                    print(tables.map { "# \($0.name)\n" + $0.csv }.joined(separator: "\n"), terminator: "")
                    Console.info("名单请用--out输出 the worklists themselves are written with --out DIR")
                }
            }
        }
    }
}
