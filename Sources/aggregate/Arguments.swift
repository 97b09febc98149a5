import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

// The values of the command line, each read by its type (once, for every command), and the
// option lists several commands share.

// MARK: - Typed values

/// SPEC 4: errors in Chinese and English that say what to do. ArgumentParser answers a value its
/// type refuses in English only ("The value 'x' is invalid for '--period <period>'"), so a type
/// that refuses notes here why, and `Aggregate.main` prints that instead.
enum RefusedArgument {
    nonisolated(unsafe) static var message: String?
}

/// A value of the command line read by its own parser, with the message that says why a text
/// is refused (Chinese first).
public protocol CommandLineValue: ExpressibleByArgument {
    static func parse(_ text: String) -> Self?
    static func refusal(_ text: String) -> String
}

extension CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parse(argument) else {
            RefusedArgument.message = Self.refusal(argument)
            return nil
        }
        self = value
    }
}

extension Period: ExpressibleByArgument, CommandLineValue {
    public static func parse(_ text: String) -> Period? { Period(text) }
    public static func refusal(_ text: String) -> String { "--period须为YYYY-MM --period must be YYYY-MM: \(text)" }
}

extension UnitCode: ExpressibleByArgument, CommandLineValue {
    public static func parse(_ text: String) -> UnitCode? { UnitCode(text) }
    public static func refusal(_ text: String) -> String { "--unit 须为6位数字 must be 6 digits: \(text)" }
}

/// `--as-of`: ISO 8601 with an offset, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (China time, start
/// of that day) — SPEC 4.
struct ReferenceTime: CommandLineValue {
    /// Unix seconds.
    var seconds: Int64

    static var now: ReferenceTime { ReferenceTime(seconds: Int64(Date().timeIntervalSince1970)) }

    static func parse(_ text: String) -> ReferenceTime? { ChinaTime.parseAsOf(text).map(ReferenceTime.init(seconds:)) }
    static func refusal(_ text: String) -> String { "--as-of格式错误 --as-of is not a valid time: \(text)" }
}

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) {
        guard let e = TextEncoding(rawValue: argument.lowercased()) else {
            RefusedArgument.message = "--encoding须为utf-8或gb18030 --encoding must be utf-8 or gb18030"
            return nil
        }
        self = e
    }
}

// MARK: - Shared option lists

/// `--config`: the pipeline.json, loaded once per command.
struct ConfigOption: ParsableArguments {
    @Option(help: "pipeline.json：单位、层级、日程与收发件箱布局 the units, hierarchy, calendar and inbox/outbox layout.")
    var config: String?

    /// The configuration, or nil without `--config`; one that cannot be read is a usage error (exit 1).
    func load() throws -> PipelineConfig? { try Self.load(config) }

    static func load(_ path: String?) throws -> PipelineConfig? {
        guard let path else { return nil }
        do { return try PipelineConfig.load(path: path) } catch {
            throw Console.fail("配置错误 configuration error: \(error)")
        }
    }
}

/// `--db`: the national database the analysis commands read (docs/database.md).
struct DatabaseOption: ParsableArguments {
    @Option(help: "SQLite数据库文件，或 postgres://user@host[:port]/dbname（默认：HUIZONG_DB） the SQLite database file, or a PostgreSQL URL (default: HUIZONG_DB).")
    var db: String?

    /// `--db` (else HUIZONG_DB): a SQLite file, which must exist when `mustExist`, or a PostgreSQL URL.
    func location(mustExist: Bool = true) throws -> DatabaseLocation {
        try Self.location(db, mustExist: mustExist)
    }

    /// The database, opened to read.
    func openForReading() throws -> AnalysisDatabase {
        let location = try location()
        return try Console.failing { try AnalysisDatabase.open(location, readOnly: true) }
    }

    static func location(_ db: String?, mustExist: Bool) throws -> DatabaseLocation {
        let location: DatabaseLocation?
        do { location = try DatabaseLocation.resolve(db) } catch { throw Console.fail("\(error)") }
        guard let location else {
            throw Console.fail("请给出--db（SQLite文件或postgres://地址）或HUIZONG_DB give --db (a SQLite file or a postgres:// URL) or set HUIZONG_DB")
        }
        if mustExist, case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw Console.fail("数据库不存在 no database at \(path)")
        }
        return location
    }
}

/// What `stats`, `report` and `db export` read: a unit's subtree for a period of the database.
struct DatabaseScopeOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption
    @Option(help: "期别，YYYY-MM the period, YYYY-MM.") var period: Period
    @Option(help: "其所辖范围的单位（默认000000：全部已载入） the unit whose subtree is read (default 000000: everything loaded).")
    var unit: UnitCode = .ministry
    @Option(help: "pipeline.json：单位名称与层级，也放置GB/T 2260代码无法定位的单位（如兵团） unit names and the hierarchy; places units that GB/T 2260 codes cannot (e.g. 兵团).")
    var config: String?

    /// The configuration, or nil without `--config`.
    func pipeline() throws -> PipelineConfig? { try ConfigOption.load(config) }

    /// The database, opened read-only, and the configuration of `stats` and `report`, once a
    /// loaded submission is known to cover the unit for the period.
    func openLoaded() throws -> (database: AnalysisDatabase, config: PipelineConfig?) {
        let location = try database.location()
        let config = try pipeline()
        let db = try Console.failing { try AnalysisDatabase.open(location, readOnly: true) }
        try requireLoaded(db, config: config)
        return (db, config)
    }

    /// Issue 13: a period nothing loaded covers is an error (exit 1), not tables of zeros; the
    /// message names the periods that are loaded.
    func requireLoaded(_ db: AnalysisDatabase, config: PipelineConfig?) throws {
        let unit = self.unit.description, period = self.period
        let (covering, loaded) = try Console.failing {
            try db.analyse { s -> (Int, [String]) in
                let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(s, config: config))
                return (try scope.covering(s, period: period.description).count, try scope.loadedPeriods(s))
            }
        }
        guard covering == 0 else { return }
        throw Console.fail("\(unit)在\(period)期没有已载入的数据（已载入的期别：\(loaded.isEmpty ? "无" : loaded.joined(separator: " "))），"
                           + "请先运行aggregate db load nothing loaded covers \(unit) for \(period) (loaded periods: "
                           + "\(loaded.isEmpty ? "none" : loaded.joined(separator: " "))); run aggregate db load first")
    }
}

/// What `stats` and `report` share: the subtree and period they read, the follow-up worklist's
/// threshold and reference time, and the per-county files.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var subtree: DatabaseScopeOptions
    @Option(name: .customLong("stale-days"), help: "回访名单：超过此天数未更新 follow-up worklist: no update for more than this many days.")
    var staleDays: Int = 30
    @Option(name: .customLong("as-of"), help: "回访名单的参照时间（默认：清单的asOf） reference time of the follow-up worklist (default: the manifests' asOf).")
    var asOf: ReferenceTime?
    @Flag(name: .customLong("per-county"), help: "另外在DIR/counties/<代码>/下写出每个区县自己的名单（stats）或审核页和问题清单（report） also write each county's own worklists (stats) or audit page and findings (report) under DIR/counties/<code>/.")
    var perCounty = false
}

/// The unit and period a command works on, and the configuration that places them (`run`,
/// `db load`, `export`).
struct UnitPeriodOptions: ParsableArguments {
    @OptionGroup var config: ConfigOption
    @Option(help: "单位的6位代码 the unit's 6-digit code.") var unit: UnitCode
    @Option(help: "期别，YYYY-MM the period, YYYY-MM.") var period: Period
}

extension Console {
    /// Runs `body`; an error that is not already an exit status is logged and exits 1.
    static func failing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ExitCode { throw e } catch { throw fail("\(error)") }
    }
}
