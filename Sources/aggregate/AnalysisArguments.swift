import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// The arguments `stats` and `report` share, checked once: the period, an optional reference
/// time, an existing database and an optional pipeline.json.
struct AnalysisArguments {
    var period: Period
    var asOf: Int64?
    var config: PipelineConfig?
    var location: DatabaseLocation

    /// `--db` (else HUIZONG_DB): a SQLite file, which must exist, or a PostgreSQL URL.
    static func location(_ db: String?, mustExist: Bool, fail: (String) -> ExitCode) throws -> DatabaseLocation {
        let location: DatabaseLocation?
        do { location = try DatabaseLocation.resolve(db) } catch { throw fail("\(error)") }
        guard let location else {
            throw fail("请给出--db（SQLite文件或postgres://地址）或HUIZONG_DB give --db (a SQLite file or a postgres:// URL) or set HUIZONG_DB")
        }
        if mustExist, case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw fail("数据库不存在 no database at \(path)")
        }
        return location
    }

    static func resolve(period: String, asOf: String?, db: String?, config: String?,
                        fail: (String) -> ExitCode) throws -> AnalysisArguments {
        guard let p = Period(period) else { throw fail("--period须为YYYY-MM --period must be YYYY-MM: \(period)") }
        var reference: Int64?
        if let asOf {
            guard let t = ChinaTime.parseAsOf(asOf) else { throw fail("--as-of格式错误 --as-of is not a valid time: \(asOf)") }
            reference = t
        }
        let location = try location(db, mustExist: true, fail: fail)
        var pipeline: PipelineConfig?
        if let config {
            do { pipeline = try PipelineConfig.load(path: config) } catch { throw fail("配置错误 configuration error: \(error)") }
        }
        return AnalysisArguments(period: p, asOf: reference, config: pipeline, location: location)
    }

    /// Issue 13: `stats` and `report` for a period nothing loaded covers are errors (exit 1), not
    /// tables of zeros; the message names the periods that are loaded.
    func requireLoaded(_ database: AnalysisDatabase, unit: String, fail: (String) -> ExitCode) throws {
        let (covering, loaded) = try database.analyse { db -> (Int, [String]) in
            let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(db, config: config))
            return (try scope.covering(db, period: period.description).count, try scope.loadedPeriods(db))
        }
        guard covering == 0 else { return }
        throw fail("\(unit)在\(period)期没有已载入的数据（已载入的期别：\(loaded.isEmpty ? "无" : loaded.joined(separator: " "))），"
                   + "请先运行aggregate db load nothing loaded covers \(unit) for \(period) (loaded periods: "
                   + "\(loaded.isEmpty ? "none" : loaded.joined(separator: " "))); run aggregate db load first")
    }
}
