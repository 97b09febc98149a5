import Foundation

/// Where `--db` points: a path is a SQLite file (as always); `postgres://user@host[:port]/dbname`
/// (or `postgresql://`) is a PostgreSQL server. Without `--db`, `HUIZONG_DB` is read.
///
/// A password never comes from the command line (it would show in `ps` and shell history): a
/// URL with one is refused; it is read from `PGPASSWORD`, else from `~/.pgpass` (or `PGPASSFILE`),
/// libpq's own places, and it never appears in `description`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// `argument`, else `HUIZONG_DB`; nil when neither is given.
    public static func resolve(_ argument: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseLocation? {
        guard let text = argument ?? environment["HUIZONG_DB"], !text.isEmpty else { return nil }
        return try parse(text, environment: environment)
    }

    public static func parse(_ text: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseLocation {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: text, environment: environment))
        }
        return .sqlite(path: text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let p): return p.description
        }
    }
}

public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// From PGPASSWORD or ~/.pgpass; nil for trust/peer authentication.
    public var password: String?

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(host: String, port: Int = 5432, user: String, database: String, password: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
    }

    /// Parses `postgres://user@host[:port]/dbname`; the password from the environment or ~/.pgpass.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let rest = url.hasPrefix("postgresql://") ? String(url.dropFirst("postgresql://".count)) : String(url.dropFirst("postgres://".count))
        guard let slash = rest.firstIndex(of: "/") else {
            throw Invalid(description: "PostgreSQL地址须为postgres://用户@主机[:端口]/库名 the URL must be postgres://user@host[:port]/dbname")
        }
        let authority = String(rest[..<slash])
        var dbname = String(rest[rest.index(after: slash)...])
        if let q = dbname.firstIndex(of: "?") { dbname = String(dbname[..<q]) }
        var userPart = environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        var hostPart = authority
        if let at = authority.lastIndex(of: "@") {
            userPart = String(authority[..<at])
            hostPart = String(authority[authority.index(after: at)...])
        }
        if userPart.contains(":") {
            throw Invalid(description: "密码不得写在命令行中，请用PGPASSWORD或~/.pgpass a password is never taken from the command line: use PGPASSWORD or ~/.pgpass")
        }
        var port = 5432
        if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]") {
            guard let p = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(p) else {
                throw Invalid(description: "端口无效 bad port in the PostgreSQL URL")
            }
            port = p
            hostPart = String(hostPart[..<colon])
        }
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = String(hostPart.dropFirst().dropLast()) }
        guard !hostPart.isEmpty, !dbname.isEmpty, !userPart.isEmpty else {
            throw Invalid(description: "PostgreSQL地址须为postgres://用户@主机[:端口]/库名 the URL must be postgres://user@host[:port]/dbname")
        }
        self.init(host: hostPart.removingPercentEncoding ?? hostPart, port: port,
                  user: userPart.removingPercentEncoding ?? userPart, database: dbname.removingPercentEncoding ?? dbname)
        password = Self.password(host: host, port: port, database: database, user: user, environment: environment)
    }

    /// PGPASSWORD, else the first matching line of the password file (libpq's format:
    /// `host:port:database:user:password`, `*` matches anything, `\:` and `\\` escaped).
    static func password(host: String, port: Int, database: String, user: String, environment: [String: String]) -> String? {
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let file = environment["PGPASSFILE"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) where !line.hasPrefix("#") {
            var fields: [String] = [], cur = "", escaped = false
            for ch in line {
                if escaped { cur.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == ":" && fields.count < 4 {
                    fields.append(cur); cur = ""
                } else { cur.append(ch) }
            }
            fields.append(cur)
            guard fields.count == 5 else { continue }
            let want = [host, String(port), database, user]
            if zip(fields.prefix(4), want).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The URL without any password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
