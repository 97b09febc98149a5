import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HuizongCore
import Logging

/// `--log-format`: one line of text per event, or one JSON object per line (for log collectors).
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The logging options every command takes (issue 13): warnings always reach stderr, naming the
/// file; `--quiet` keeps only warnings and errors; `--verbose` adds the phase times (what
/// HUIZONG_TRACE=1 printed before; the variable still turns them on).
struct LoggingOptions: ParsableArguments {
    @Flag(help: "只输出警告和错误（警告总会输出，指明文件） print only warnings and errors (warnings always reach stderr, naming the file).")
    var quiet = false
    @Flag(help: "另外输出各阶段用时等调试信息 also print debugging detail: the time of each phase.")
    var verbose = false
    @Option(name: .customLong("log-format"), help: "日志格式：text（默认）或json（每行一个JSON对象） log lines as text (default) or json (one object per line).")
    var logFormat: LogFormat = .text

    func validate() throws {
        if quiet && verbose {
            throw ValidationError("--quiet与--verbose不能同用 --quiet and --verbose cannot be used together")
        }
    }

    /// `--log-format` as written in `arguments`, for a line logged before they could be parsed.
    static func format(in arguments: ArraySlice<String>) -> LogFormat {
        for (i, a) in zip(arguments.indices, arguments) {
            if a == "--log-format", i + 1 < arguments.endIndex { return LogFormat(rawValue: arguments[i + 1]) ?? .text }
            if a.hasPrefix("--log-format=") { return LogFormat(rawValue: String(a.dropFirst("--log-format=".count))) ?? .text }
        }
        return .text
    }

    var level: Logger.Level {
        if verbose || ProcessInfo.processInfo.environment["HUIZONG_TRACE"] != nil { return .debug }
        return quiet ? .warning : .info
    }

    /// Sets up logging for `command` ("run", "db load" …): every log line goes to stderr with a
    /// China-time timestamp. Call first in `run()`.
    /// `phaseProgress`: on a terminal, show the phase reached once the command has run ~2 s
    /// (commands without a file count of their own: db load, report).
    func start(_ command: String, phaseProgress: Bool = false) {
        Console.start(command: command, level: level, format: logFormat)
        Console.observePhases(log: level <= .debug, progress: phaseProgress ? ProgressLine() : nil)
    }
}

/// The CLI's logger and its terminal output. The libraries never print: they return outcomes and
/// report events; this decides what the operator sees.
enum Console {
    nonisolated(unsafe) static var logger = Logger(label: "aggregate") { label in
        ConsoleLogHandler(label: label, format: .text, level: .info)
    }
    nonisolated(unsafe) private static var bootstrapped = false
    nonisolated(unsafe) static var command = "aggregate"

    static func start(command: String, level: Logger.Level, format: LogFormat) {
        Self.command = "aggregate " + command
        if !bootstrapped {
            LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, format: format, level: level) }
            bootstrapped = true
        }
        logger = Logger(label: Self.command)
        logger.logLevel = level
    }

    static func info(_ message: String) { logger.info("\(PrintableText.escapedKeepingLines(message))") }
    static func debug(_ message: String) { logger.debug("\(PrintableText.escapedKeepingLines(message))") }
    static func warning(_ message: String, file: String? = nil, kind: String? = nil) {
        var meta: Logger.Metadata = [:]
        if let file { meta["file"] = .string(PrintableText.escaped(file)) }
        if let kind { meta["kind"] = .string(kind) }
        logger.warning("\(PrintableText.escapedKeepingLines(message))", metadata: meta)
    }
    static func error(_ message: String) { logger.error("\(PrintableText.escapedKeepingLines(message))") }

    /// Logs a usage or run error and returns the exit status to throw (1 unless told).
    static func fail(_ message: String, status: Int32 = 1) -> ExitCode {
        error(message)
        return ExitCode(status)
    }

    /// The progress line of a command that shows its phases (erased at exit by `finishProgress`).
    nonisolated(unsafe) static var phaseLine: ProgressLine?

    /// `--verbose`: each point a run or a load reaches, with the time since the previous one;
    /// `progress`: the phase on the terminal's progress line.
    static func observePhases(log: Bool, progress: ProgressLine?) {
        guard log || progress != nil else { return }
        phaseLine = progress
        let clock = PhaseClock()
        TestHook.observe { name in
            let (since, total) = clock.lap()
            if log {
                Console.logger.debug("阶段 phase \(name): +\(String(format: "%.3f", since)) s (\(String(format: "%.3f", total)) s)")
            }
            progress?.show("阶段 phase \(name) · \(String(format: "%.1f", total)) 秒 s")
        }
    }

    static func finishProgress() { phaseLine?.finish() }

    /// Whether standard error is a terminal (progress is shown only there).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// Seconds since the previous lap and since the start.
final class PhaseClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds

    func lap() -> (Double, Double) {
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return (Double(now - last) / 1e9, Double(now - start) / 1e9)
    }
}

/// A progress line on the terminal for a command that runs longer than about two seconds:
/// files done and rows per second, rewritten in place, erased at the end. Never shown when
/// stderr is not a terminal (cron, pipes, log files).
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let started = DispatchTime.now().uptimeNanoseconds
    private var shown = false
    private var lastDraw: UInt64 = 0

    init(enabled: Bool = Console.stderrIsTerminal) { self.enabled = enabled }

    /// Text of the line for `files` of `count` done and `rows` read after `seconds`.
    static func text(files: Int, count: Int, rows: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Int(Double(rows) / seconds) : 0
        return "文件 files \(files)/\(count) · \(rows) 行 rows · \(rate) 行/秒 rows/s"
    }

    func update(files: Int, count: Int, rows: Int) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        show(Self.text(files: files, count: count, rows: rows, seconds: seconds), force: files == count)
    }

    /// Draws `text` in place, once the command has run 2 s, at most 5 times a second.
    func show(_ text: String, force: Bool = false) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - started > 2_000_000_000, now - lastDraw > 200_000_000 || force else { return }
        lastDraw = now
        shown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

/// Log lines on stderr: `2012-10-04 18:00:00.123+08:00 警告 warning aggregate run: …` (text) or
/// `{"time":…,"level":…,"command":…,"message":…}` (json), timestamps in China time (UTC+8).
struct ConsoleLogHandler: LogHandler {
    var label: String
    var format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func levelLabel(_ l: Logger.Level) -> String {
        switch l {
        case .trace: "跟踪 trace"
        case .debug: "调试 debug"
        case .info: "信息 info"
        case .notice: "注意 notice"
        case .warning: "警告 warning"
        case .error: "错误 error"
        case .critical: "严重 critical"
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm+08:00` for a Unix time in milliseconds.
    static func chinaTime(millis: Int64) -> String {
        var t = time_t((millis / 1000) + 8 * 3600)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d+08:00", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                      Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(millis % 1000))
    }

    static func line(format: LogFormat, millis: Int64, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata) -> String {
        let time = chinaTime(millis: millis)
        switch format {
        case .text:
            let meta = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(time) \(levelLabel(level)) \(label): \(message)" + (meta.isEmpty ? "" : " [\(meta)]")
        case .json:
            var fields: [(String, String)] = [("time", time), ("level", level.rawValue), ("command", label), ("message", message)]
            for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { fields.append((k, v.description)) }
            let members: [String] = fields.map { (k: String, v: String) -> String in JSONValue.quoted(k) + ":" + JSONValue.quoted(v) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let m = event.metadata { merged.merge(m) { $1 } }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let millis = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
        let text = Self.line(format: format, millis: millis, level: event.level, label: label,
                             message: "\(event.message)", metadata: merged) + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
