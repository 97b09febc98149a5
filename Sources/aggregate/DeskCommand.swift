import ArgumentParser
import Foundation
import HuizongCore
import HuizongDesk

/// `aggregate desk`: the county intake desk (SPEC 9) — a local web page and JSON API for 登记,
/// 回访 and services, writing intake batches into the county's inbox.
struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "在本机网页和JSON API上提供区县登记台（登记、回访、服务）。 Serve the county intake desk (登记、回访、服务) on a local web page and JSON API.",
        discussion: """
            批次写入区县本期（北京时间）的收件箱，名为desk-YYYYMMDD-HHMMSS.csv；只监听本机，除非--listen给出其他地址（此时须--token-file）；Ctrl-C或SIGTERM停止，已确认的录入都已在磁盘上。
            Batches go to the county's inbox for the current period (China time) as desk-YYYYMMDD-HHMMSS.csv.
            Loopback only unless --listen names another address, which then needs --token-file.
            Stop with Ctrl-C (SIGINT) or SIGTERM: every acknowledged entry is already on disk.
            """
    )

    @Option(help: "描述层级与日程的pipeline.json pipeline.json describing the hierarchy and calendar.") var config: String
    @Option(help: "区县（6位代码） the county (6-digit code).") var unit: UnitCode
    @Option(help: "监听的HOST:PORT（默认127.0.0.1:8080；端口0自动选择） HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one).") var listen: String = "127.0.0.1:8080"
    @Option(help: "登记台的SQLite文件（默认：配置旁的desk/{unit}.sqlite） the desk's SQLite file (default: desk/{unit}.sqlite beside the configuration).") var db: String?
    @Option(name: .customLong("as-of"), help: "登记台时钟从此时开始并继续走（演示、测试、培训） start the desk's clock at this time (demos, tests, training); it runs on.") var asOf: ReferenceTime?
    @Option(name: .customLong("token-file"), help: "存放令牌的文件，每个API请求都须携带 file holding the bearer token every API request must carry.") var tokenFile: String?
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start("desk")
        func usage(_ s: String) -> ExitCode { Console.fail(s) }
        let pipeline: PipelineConfig
        do { pipeline = try PipelineConfig.load(path: config) } catch { throw usage("\(error)") }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw usage("--listen 须为 HOST:PORT must be HOST:PORT: \(listen)")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var token: String?
        if let tf = tokenFile {
            guard let data = FileManager.default.contents(atPath: tf),
                  let t = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  t.count >= 16, t.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw usage("--token-file 无法读取或令牌过短（至少16个字符） cannot read the token file, or the token is shorter than 16 characters: \(tf)")
            }
            token = t
        }
        if !DeskServer.isLoopback(host) && token == nil {
            throw usage("监听非本机地址须提供 --token-file listening on \(host) (not loopback) requires --token-file")
        }
        let dbPath = db ?? {
            let dir = (config as NSString).deletingLastPathComponent
            return (dir.isEmpty ? "" : dir + "/") + "desk/\(unit).sqlite"
        }()
        let desk: Desk
        do { desk = try Desk(config: pipeline, unit: unit.description, databasePath: dbPath, clock: DeskClock(asOf: asOf?.seconds)) } catch {
            throw usage("\(error)")
        }
        let server = DeskServer(api: DeskAPI(desk: desk), host: host, port: port, token: token)
        let unitName = pipeline.unit(unit)?.name ?? ""
        let known = desk.knownFrom.map { "（已知人员来自 people known from \($0)）" } ?? ""
        // The root command is synchronous: the server runs on Swift's concurrency threads while
        // this thread waits for it to stop (signals are handled by the service group).
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let banner = "aggregate desk: \(unit) \(unitName) 登记台已启动 listening on http://\(shownHost):PORT/ 数据库 db \(dbPath)\(known)\n"
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await server.run { bound in
                    FileHandle.standardOutput.write(Data(banner.replacingOccurrences(of: "PORT", with: String(bound)).utf8))
                }
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        done.wait()
        if let e = outcome.get() { throw usage("服务台无法运行 the desk could not run: \(e)") }
        FileHandle.standardOutput.write(Data("aggregate desk: 已停止 stopped\n".utf8))
    }
}


/// The server task's error, handed to the waiting thread.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var error: String?
    func set(_ e: String) { lock.lock(); error = e; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return error }
}
