import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import Logging
import HuizongCore

/// The desk's HTTP server (Hummingbird): the token check, size limits and the loopback guard,
/// then `DeskAPI`. Stops cleanly on SIGINT/SIGTERM (swift-service-lifecycle): each API write is
/// committed before its reply, so nothing acknowledged is lost.
public struct DeskServer: Sendable {
    public let api: DeskAPI
    public let host: String
    public let port: Int
    /// `Authorization: Bearer <token>` required on every API request when set.
    public let token: String?

    /// Largest request body (a 登记表 is well under 4 KiB).
    public static let maxBody = 64 * 1024

    public init(api: DeskAPI, host: String, port: Int, token: String?) {
        self.api = api
        self.host = host
        self.port = port
        self.token = token
    }

    public static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// Runs until SIGINT/SIGTERM. `onRunning` gets the bound port (0 asks the system for one).
    public func run(onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let api = self.api
        let token = self.token.map { Array("Bearer \($0)".utf8) }
        let loopbackOnly = Self.isLoopback(host)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await Self.respond(request, api: api, token: token, loopbackOnly: loopbackOnly)
        }
        var logger = Logger(label: "huizong.desk")
        logger.logLevel = .notice  // no per-request logs: bodies hold contact values
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
    }

    static func respond(_ request: Request, api: DeskAPI, token: [UInt8]?, loopbackOnly: Bool) async throws -> Response {
        var request = request
        let path = request.uri.path
        // A page on another site must not reach a loopback desk through DNS rebinding.
        if loopbackOnly, let authority = request.head.authority, !isLoopbackAuthority(authority) {
            return make(.error(421, "仅限本机访问 this desk answers on the loopback address only"), isPage: false)
        }
        if path.hasPrefix("/api/"), let token {
            let given = Array((request.headers[.authorization] ?? "").utf8)
            guard constantTimeEqual(given, token) else {
                return make(.error(401, "需要令牌 missing or wrong token (Authorization: Bearer …)"), isPage: false)
            }
        }
        let body: [UInt8]
        do {
            let buffer = try await request.collectBody(upTo: maxBody)
            body = Array(buffer.readableBytesView)
        } catch {
            return make(.error(413, "请求过大 request body larger than \(maxBody) bytes"), isPage: false)
        }
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v).removingPercentEncoding ?? String(v) }
        let r = DeskRequest(method: request.method.rawValue, path: path, query: query, body: body)
        // Storage work (fsync) off the cooperative threads; a check is pure CPU.
        let reply: DeskResponse
        if request.method == .post && path == "/api/check" {
            reply = api.handle(r)
        } else {
            reply = await withCheckedContinuation { cont in
                DispatchQueue.global().async { cont.resume(returning: api.handle(r)) }
            }
        }
        return make(reply, isPage: path == "/")
    }

    static func isLoopbackAuthority(_ a: String) -> Bool {
        var host = a
        if host.hasPrefix("[") { host = String(host.dropFirst().prefix { $0 != "]" }) }
        else if let i = host.lastIndex(of: ":") { host = String(host[..<i]) }
        return isLoopback(host)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var d: UInt8 = 0
        for i in 0..<a.count { d |= a[i] ^ b[i] }
        return d == 0
    }

    static func make(_ r: DeskResponse, isPage: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = r.contentType
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if isPage {
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        }
        return Response(status: .init(code: r.status), headers: headers,
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
    }
}
