import Foundation
import XCTest
import HuizongCore
import HuizongTestSupport
@testable import HuizongDesk

/// A scratch county: a pipeline.json in a temporary directory, the desk's database and inbox in it.
final class DeskFixture {
    let root: String
    let configPath: String
    let config: PipelineConfig
    static let unit = "110105"
    /// 2012-10-15 10:00:00 China time: inside the demo's reporting window.
    static let asOf = ChinaTime.parseAsOf("2012-10-15T10:00:00+08:00")!

    init() throws {
        root = NSTemporaryDirectory() + "huizong-desk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        configPath = root + "/pipeline.json"
        let json = """
        {"cohort": 2012, "graduationWindow": {"from": "2012-01-01", "to": "2012-12-31"},
         "reporting": {"firstPeriod": "2012-08", "lastPeriod": "2013-06", "deadlineDay": 5},
         "layout": {"inbox": "\(root)/data/{unit}/inbox/{period}", "outbox": "\(root)/data/{unit}/outbox/{period}"},
         "units": [
          {"code": "000000", "name": "人力资源社会保障部", "level": "ministry"},
          {"code": "110000", "name": "北京市", "level": "province", "parent": "000000"},
          {"code": "110100", "name": "北京市市辖区", "level": "city", "parent": "110000"},
          {"code": "110105", "name": "朝阳区", "level": "county", "parent": "110100"}]}
        """
        try json.write(toFile: configPath, atomically: true, encoding: .utf8)
        config = try PipelineConfig.load(path: configPath)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var dbPath: String { root + "/desk/\(Self.unit).sqlite" }

    func desk(asOf: Int64 = DeskFixture.asOf) throws -> Desk {
        try Desk(config: config, unit: Self.unit, databasePath: dbPath, clock: DeskClock(asOf: asOf, frozen: true))
    }

    func api(asOf: Int64 = DeskFixture.asOf) throws -> DeskAPI { DeskAPI(desk: try desk(asOf: asOf)) }

    func inbox(_ period: String) -> String { root + "/data/\(Self.unit)/inbox/\(period)" }

    func files(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }
}

/// A complete, valid 登记表 as JSON object pairs.
func form(id: String, name: String = "张三", sex: String = "男", hardship: String = "4",
          intentions: String = "3", needs: String = "2", extra: [String: String] = [:]) -> [String: String] {
    var f = ["姓名": name, "性别": sex, "民族": "汉族", "公民身份号码": id, "毕业院校": "北京大学",
             "毕业日期": "20120701", "学历": "3", "所学专业": "计算机科学与技术", "入学前户口所在地": "110105",
             "电子邮箱": "zhang@example.com", "邮编": "100020", "手机号码": "13800138000", "固定电话": "",
             "困难状况": hardship, "就业地意向": "2", "就业意向": intentions, "就业服务需求": needs, "就业去向": ""]
    for (k, v) in extra { f[k] = v }
    return f
}

func body(_ f: [String: String]) -> [UInt8] {
    Array(try! JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]))
}

func json(_ r: DeskResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
}

extension DeskAPI {
    func post(_ path: String, _ f: [String: String]) -> DeskResponse {
        handle(DeskRequest(method: "POST", path: path, body: body(f)))
    }
    func get(_ path: String, query: [String: String] = [:]) -> DeskResponse {
        handle(DeskRequest(method: "GET", path: path, query: query))
    }
}
