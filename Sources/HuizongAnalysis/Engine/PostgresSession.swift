import Foundation
import PostgresNIO

/// PostgreSQL through postgres-nio, used synchronously like the SQLite side: the commands are
/// short-lived and sequential, so each call blocks on its future (`wait()`, never on an event
/// loop thread). Rows stream through `scan` without being kept; bulk data goes in with
/// `COPY … FROM STDIN` (`copy`).
public final class PostgresSession: SQLSession, @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger
    public var dialect: SQLDialect { .postgres }

    /// Connects (plain TCP; `host` is normally loopback or a private network — TLS is a
    /// deployment choice documented in docs/database.md).
    public init(_ location: PostgresLocation) throws {
        self.location = location
        var logger = Logger(label: "huizong.postgres")
        logger.logLevel = .critical  // postgres-nio's own messages; never the password (it logs none)
        self.logger = logger
        let config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database, tls: .disable)
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                        configuration: config, id: 1, logger: logger).wait()
        } catch {
            throw LoadError("无法连接PostgreSQL cannot connect to \(location): \(Self.describe(error))")
        }
    }

    deinit { try? connection.close().wait() }

    /// The server's message and SQLSTATE (postgres-nio's own description hides them).
    public static func describe(_ error: Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                return "\(info[.message] ?? "error") (SQLSTATE \(info[.sqlState] ?? "?"))"
            }
            return "\(e.code)"
        }
        return "\(error)"
    }

    /// The SQLSTATE of a server error, if it is one.
    public static func sqlState(_ error: Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func query(_ sql: String, _ arguments: [SQLValue]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.count)
        for a in arguments {
            switch a {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .double(let d): binds.append(d)
            case .text(let s): binds.append(s)
            }
        }
        return PostgresQuery(unsafeSQL: SQLDialect.numberedPlaceholders(sql), binds: binds)
    }

    func fail(_ error: Error, _ sql: String) -> Error {
        let head = sql.split(separator: "\n").first.map(String.init) ?? sql
        return LoadError("PostgreSQL错误 PostgreSQL error: \(Self.describe(error)) in: \(head.prefix(120))")
    }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        do {
            if arguments.isEmpty {
                // postgres-nio speaks the extended protocol only: one statement at a time.
                for statement in SQLDialect.statements(sql) {
                    _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
                }
            } else {
                _ = try connection.query(Self.query(sql, arguments), logger: logger).wait()
            }
        } catch {
            throw fail(error, sql)
        }
    }

    public func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let result: PostgresQueryResult
        do {
            result = try connection.query(Self.query(sql, arguments), logger: logger).wait()
        } catch {
            throw fail(error, sql)
        }
        var out: [SQLRow] = []
        var names: [String]?
        for row in result.rows {
            var values: [SQLValue] = []
            var n: [String] = []
            for cell in row {
                values.append(Self.value(cell))
                if names == nil { n.append(cell.columnName) }
            }
            if names == nil { names = n }
            out.append(SQLRow(names: names!, values: values))
        }
        return out
    }

    static func value(_ cell: PostgresCell) -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2:
            return (try? cell.decode(Int64.self)).map(SQLValue.int) ?? .null
        case .float8, .float4:
            return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        case .numeric:
            if let s = try? cell.decode(String.self) { return Int64(s).map(SQLValue.int) ?? .text(s) }
            return .null
        default:
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
    }

    public func scan(_ sql: String, _ body: (SQLCursor) throws -> Void) throws {
        let cursor = PostgresCursor()
        try withoutActuallyEscaping(body) { escapable in
            // postgres-nio may release its row callback a moment after the query completes, on
            // its own thread: the box is emptied first, so `body` never outlives this call (which
            // withoutActuallyEscaping checks, and traps on).
            let box = UncheckedBox<((SQLCursor) throws -> Void)?>(escapable)
            defer { box.value = nil }
            do {
                _ = try connection.query(Self.query(sql, []), logger: logger) { row in
                    cursor.row = row.makeRandomAccess()
                    try box.value?(cursor)
                }.wait()
            } catch let e as LoadError {
                throw e
            } catch {
                throw fail(error, sql)
            }
        }
    }

    /// `COPY table (columns) FROM STDIN` (text format), fed by `produce` on this thread through
    /// a `CopyStream` while postgres-nio sends the chunks; at most a few chunks wait in memory.
    public func copy(table: String, columns: [String], _ produce: (CopyStream) throws -> Void) throws {
        let (chunks, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let stream = CopyStream(continuation: continuation)
        let done = DispatchSemaphore(value: 0)
        let connection = self.connection, logger = self.logger
        Task {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    for await chunk in chunks {
                        try await writer.write(chunk)
                        stream.permits.signal()
                    }
                }
            } catch {
                stream.fail(error)
            }
            done.signal()
        }
        var produced: Error?
        do {
            try produce(stream)
            try stream.flush()
        } catch {
            produced = error
        }
        continuation.finish()
        done.wait()
        if let produced, !(produced is CopyStream.Aborted) { throw produced }
        if let f = stream.failure { throw fail(f, "COPY \(table)") }
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// The current row of a `scan`: each cell copied once into a per-column buffer.
final class PostgresCursor: SQLCursor, @unchecked Sendable {
    var row: PostgresRandomAccessRow?
    private var buffers: [UnsafeMutableBufferPointer<UInt8>] = []

    deinit { for b in buffers { b.deallocate() } }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let i = Int(column)
        guard let cell = row?[i], let b = cell.bytes else { return UnsafeBufferPointer(start: nil, count: 0) }
        if cell.dataType != .text && cell.dataType != .varchar && cell.dataType != .bpchar && cell.dataType != .name {
            let s = String.decode(PostgresSession.value(cell))
            return store(i, Array(s.utf8))
        }
        return b.withUnsafeReadableBytes { raw in store(i, raw.bindMemory(to: UInt8.self)) }
    }

    private func store<C: Collection>(_ i: Int, _ bytes: C) -> UnsafeBufferPointer<UInt8> where C.Element == UInt8 {
        while buffers.count <= i { buffers.append(UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64)) }
        if buffers[i].count < bytes.count {
            buffers[i].deallocate()
            buffers[i] = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, buffers[i].count * 2))
        }
        _ = buffers[i].initialize(from: bytes)
        return UnsafeBufferPointer(start: buffers[i].baseAddress, count: bytes.count)
    }

    func string(_ column: Int32) -> String {
        guard let cell = row?[Int(column)] else { return "" }
        return String.decode(PostgresSession.value(cell))
    }

    func int(_ column: Int32) -> Int {
        guard let cell = row?[Int(column)] else { return 0 }
        return Int.decode(PostgresSession.value(cell))
    }
}

/// Rows in COPY's text format (tab-separated, `\N` for NULL, backslash escapes), handed to the
/// sending task in chunks of about 256 KiB.
public final class CopyStream: @unchecked Sendable {
    struct Aborted: Error {}
    let continuation: AsyncStream<ByteBuffer>.Continuation
    let permits = DispatchSemaphore(value: 4)
    private let lock = NSLock()
    private var _failure: Error?
    var buffer = ByteBuffer()

    init(continuation: AsyncStream<ByteBuffer>.Continuation) {
        self.continuation = continuation
        buffer.reserveCapacity(1 << 22)
    }

    var failure: Error? { lock.withLock { _failure } }

    func fail(_ error: Error) {
        lock.withLock { _failure = error }
    }

    /// Sends the buffered rows (waits while 8 chunks are in flight; stops if the server failed).
    func flush() throws {
        guard buffer.readableBytes > 0 else { return }
        while permits.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if failure != nil { throw Aborted() }
        }
        if failure != nil { throw Aborted() }
        continuation.yield(buffer)
        buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 22)
    }

    func endRow() throws {
        buffer.writeInteger(UInt8(ascii: "\n"))
        if buffer.readableBytes >= 1 << 22 { try flush() }
    }

    func separator() { buffer.writeInteger(UInt8(ascii: "\t")) }

    func null() { buffer.writeStaticString("\\N") }

    func int(_ v: Int64) { buffer.writeString(String(v)) }

    /// Text, escaped for COPY (backslash, tab, newline, carriage return).
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            buffer.writeBytes(bytes)
            return
        }
        for b in bytes {
            switch b {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(b)
            }
        }
    }

    func text(_ s: String) {
        var s = s
        s.withUTF8 { text($0) }
    }
}
