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

    @Option(help: "SQLite数据库文件，或 postgres://user@host[:port]/dbname（默认：HUIZONG_DB） the SQLite database file, or a PostgreSQL URL (default: HUIZONG_DB).") var db: String?
    @Option(help: "期别，YYYY-MM the period, YYYY-MM.") var period: String
    @Option(help: "分析其所辖范围的单位（默认000000：全部已载入） the unit whose subtree is analysed (default 000000: everything loaded).") var unit: String = "000000"
    @Option(help: "pipeline.json：放置GB/T 2260代码无法定位的单位（如兵团） places units that GB/T 2260 codes cannot (e.g. 兵团).") var config: String?
    @Option(help: "输出格式：csv、json或xlsx（xlsx须与--out同用） output format: csv, json or xlsx (xlsx needs --out).") var format: String = "json"
    @Option(help: "输出目录（以0700创建） output directory (created 0700).") var out: String?
    @Option(name: .customLong("stale-days"), help: "回访名单：超过此天数未更新 follow-up worklist: no update for more than this many days.") var staleDays: Int = 30
    @Option(name: .customLong("as-of"), help: "回访名单的参照时间（默认：清单的asOf） reference time of the follow-up worklist (default: the manifests' asOf).") var asOf: String?
    @Option(name: .customLong("top-majors"), help: "专业结构表列出的专业数 how many majors the 专业结构 table lists.") var topMajors: Int = 20
    @Flag(name: .customLong("with-contacts"), help: "在名单中写入手机号码、固定电话、电子邮箱（报告中从不写入） put 手机号码/固定电话/电子邮箱 in the worklists (never in reports).") var withContacts = false
    @Flag(name: .customLong("per-county"), help: "另外在DIR/counties/<代码>/下写出每个区县的名单 also write each county's worklists under DIR/counties/<code>/.") var perCounty = false
    @OptionGroup var logging: LoggingOptions

    func fail(_ m: String) -> ExitCode { Console.fail(m) }

    func run() throws {
        logging.start("stats")
        SecureFiles.restrictUmask()
        guard ["csv", "json", "xlsx"].contains(format) else { throw fail("--format须为csv、json或xlsx --format must be csv, json or xlsx") }
        guard format != "xlsx" || out != nil else { throw fail("--format xlsx须与--out同用 --format xlsx writes a file: give --out DIR") }
        guard staleDays >= 0 else { throw fail("--stale-days须为非负数 --stale-days must be >= 0") }
        let args = try AnalysisArguments.resolve(period: period, asOf: asOf, db: db, config: config, fail: fail)
        let p = args.period, reference = args.asOf, pipeline = args.config
        do {
            let database = try AnalysisDatabase.open(args.location, readOnly: true)
            try args.requireLoaded(database, unit: unit, fail: fail)
            try database.analyse { dbc in
                let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(dbc, config: pipeline))
                let stats = try MonthlyStats.compute(dbc, scope: scope, period: p, asOf: reference, topMajors: topMajors)
                let asOfInstant = ChinaTime.parseAsOf(stats.asOf)!
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
                                          json: format == "json", perCounty: perCounty, completeness: completeness) { body in
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
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
