import ArgumentParser
import Foundation
import HuizongCore

/// The arguments `stats` and `report` share, checked once: the period, an optional reference
/// time, an existing database and an optional pipeline.json.
struct AnalysisArguments {
    var period: Period
    var asOf: Int64?
    var config: PipelineConfig?

    static func resolve(period: String, asOf: String?, db: String, config: String?,
                        fail: (String) -> ExitCode) throws -> AnalysisArguments {
        guard let p = Period(period) else { throw fail("--period须为YYYY-MM --period must be YYYY-MM: \(period)") }
        var reference: Int64?
        if let asOf {
            guard let t = ChinaTime.parseAsOf(asOf) else { throw fail("--as-of格式错误 --as-of is not a valid time: \(asOf)") }
            reference = t
        }
        guard FileManager.default.fileExists(atPath: db) else { throw fail("数据库不存在 no database at \(db)") }
        var pipeline: PipelineConfig?
        if let config {
            do { pipeline = try PipelineConfig.load(path: config) } catch { throw fail("配置错误 configuration error: \(error)") }
        }
        return AnalysisArguments(period: p, asOf: reference, config: pipeline)
    }
}
