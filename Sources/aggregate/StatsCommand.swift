import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate stats`: the notice's monthly analysis (一(六)) of a unit's subtree, and the
/// county offices' worklists (priority hardship cases, service worklists, follow-up).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Monthly analysis and worklists for a unit's subtree, from the database.",
        discussion: """
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

    @Option(help: "The SQLite database file.") var db: String
    @Option(help: "The period, YYYY-MM.") var period: String
    @Option(help: "The unit whose subtree is analysed (default 000000: everything loaded).") var unit: String = "000000"
    @Option(help: "pipeline.json: places units that GB/T 2260 codes cannot (e.g. 兵团).") var config: String?
    @Option(help: "csv, json or xlsx (xlsx needs --out).") var format: String = "json"
    @Option(help: "Output directory (created 0700).") var out: String?
    @Option(name: .customLong("stale-days"), help: "Follow-up worklist: no update for more than this many days.") var staleDays: Int = 30
    @Option(name: .customLong("as-of"), help: "Reference time of the follow-up worklist (default: the manifests' asOf).") var asOf: String?
    @Option(name: .customLong("top-majors"), help: "How many majors the 专业结构 table lists.") var topMajors: Int = 20
    @Flag(name: .customLong("with-contacts"), help: "Put 手机号码/固定电话/电子邮箱 in the worklists (never in reports).") var withContacts = false
    @Flag(name: .customLong("per-county"), help: "Also write each county's worklists under DIR/counties/<code>/.") var perCounty = false

    func fail(_ m: String) -> ExitCode {
        FileHandle.standardError.write(Data("aggregate stats: \(m)\n".utf8))
        return ExitCode(1)
    }

    func run() throws {
        SecureFiles.restrictUmask()
        guard ["csv", "json", "xlsx"].contains(format) else { throw fail("--format须为csv、json或xlsx --format must be csv, json or xlsx") }
        guard format != "xlsx" || out != nil else { throw fail("--format xlsx须与--out同用 --format xlsx writes a file: give --out DIR") }
        guard staleDays >= 0 else { throw fail("--stale-days须为非负数 --stale-days must be >= 0") }
        let args = try AnalysisArguments.resolve(period: period, asOf: asOf, db: db, config: config, fail: fail)
        let p = args.period, reference = args.asOf, pipeline = args.config
        do {
            let database = try NationalDatabase(path: db, readOnly: true)
            try database.analyse { dbc in
                let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(dbc, config: pipeline))
                let stats = try MonthlyStats.compute(dbc, scope: scope, period: p, asOf: reference, topMajors: topMajors)
                let asOfInstant = ChinaTime.parseAsOf(stats.asOf)!
                let counties = try Worklists.counts(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays)
                let nearDuplicates = try NearDuplicates.compute(dbc, scope: scope, period: p)  // docs/near-duplicates.md
                if stats.submissions.isEmpty {
                    FileHandle.standardError.write(Data("aggregate stats: 注意 \(unit) \(p) 无已载入的数据 nothing loaded covers \(unit) for \(p)\n".utf8))
                }
                if let out, format == "xlsx" {
                    let path = out + "/\(unit)-\(p).stats.xlsx"
                    try SecureFiles.makeDirectory(out)
                    try StatsTables.writeWorkbook(stats: stats, counties: counties, staleDays: staleDays, contacts: withContacts,
                                                  to: path, extraTables: [nearDuplicates.table]) { body in
                        try Worklists.stream(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays,
                                             includeContacts: withContacts, body: body)
                    }
                    print("\(unit) \(p): \(stats.total) registered, employment rate \(StatsTables.fraction(stats.employmentRate)) → \(path)")
                } else if let out {
                    try StatsTables.write(stats: stats, counties: counties, staleDays: staleDays, contacts: withContacts, to: out,
                                          json: format == "json", perCounty: perCounty) { body in
                        try Worklists.stream(dbc, scope: scope, period: p, asOf: asOfInstant, staleDays: staleDays,
                                             includeContacts: withContacts, body: body)
                    }
                    try nearDuplicates.write(to: out, json: format == "json")
                    let priority = counties.reduce(0) { $0 + $1.priority }, followUp = counties.reduce(0) { $0 + $1.followUp }
                    print("\(unit) \(p): \(stats.total) registered, employment rate \(StatsTables.fraction(stats.employmentRate)); priority \(priority), follow-up \(followUp) → \(out)")
                } else if format == "json" {
                    print(try StatsTables.json(stats: stats, counties: counties, staleDays: staleDays), terminator: "")
                } else {
                    let tables = StatsTables.statsTables(stats) + [StatsTables.countsTable(counties, staleDays: staleDays)]
                    print(tables.map { "# \($0.name)\n" + $0.csv }.joined(separator: "\n"), terminator: "")
                    FileHandle.standardError.write(Data("aggregate stats: 名单请用--out输出 the worklists themselves are written with --out DIR\n".utf8))
                }
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
