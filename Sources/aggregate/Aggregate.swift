import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HuizongCore
import CHuizongSystem

@main
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "汇总并检查离校未就业高校毕业生实名登记的月度汇总表。 Merge and check the monthly summary tables (汇总表) of unemployed college graduates.",
        discussion: """
        每个命令都有--help，并接受--quiet、--verbose和--log-format text|json；日志写到标准错误，时间为北京时间。 \
        Every command has --help and takes --quiet, --verbose and --log-format text|json; log lines go \
        to stderr, stamped in China time. 见 see README.md, docs/operators.md.
        """,
        version: Huizong.toolVersion,
        subcommands: [RunCommand.self, ValidateCommand.self, DBCommand.self, StatsCommand.self, ReportCommand.self,
                      KeysCommand.self, VerifyCommand.self, ExportCommand.self, DeskCommand.self]
    )

    /// SPEC 4: a usage error exits 1. ArgumentParser's own parse errors (unknown option, missing
    /// or malformed argument) would exit 64 (EX_USAGE); everything else keeps its exit code.
    static func main() {
        // Large buffers (file batches, arena blocks) come and go once per input file; keep freed
        // memory in the heap for reuse instead of returning it to the kernel, which would zero
        // fresh pages again (15% of a national run's CPU went to clearing pages).
        huizong_tune_malloc(32 << 20, 256 << 20)
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            // ArgumentParser reports a missing required option before an unknown one, so a typo
            // (`--unti` for `--unit`) would read "Missing expected argument '--unit'": name the
            // unknown option first.
            if let unknown = unknownOption(in: arguments) {
                Console.error(unknown)
            } else if let refused = RefusedArgument.message {
                // As the command itself logs its errors: under its name, in its --log-format.
                let (_, path, rest) = subcommand(of: arguments)
                Console.start(command: path.joined(separator: " "), level: .info, format: LoggingOptions.format(in: rest))
                Console.error(refused)
            } else {
                Console.error("用法错误 usage error — " + fullMessage(for: error))
            }
            Foundation.exit(1)
        }
    }

    /// "未知选项 unknown option --unti（是否要用 did you mean --unit?）" when `arguments` hold a
    /// long option the command they name does not know (read from its help).
    static func unknownOption(in arguments: [String]) -> String? {
        let (command, path, rest) = subcommand(of: arguments)
        let help = Aggregate.helpMessage(for: command, columns: 10_000)
        var known: Set<String> = ["--help", "--version", "--experimental-dump-help", "--generate-completion-script"]
        var i = help.startIndex
        while let r = help.range(of: "--", range: i..<help.endIndex) {
            var j = r.upperBound
            while j < help.endIndex, help[j].isLetter || help[j].isNumber || help[j] == "-" { j = help.index(after: j) }
            if j > r.upperBound { known.insert(String(help[r.lowerBound..<j])) }
            i = j
        }
        for arg in rest {
            if arg == "--" { break }
            guard arg.hasPrefix("--") else { continue }
            let name = String(arg.split(separator: "=", maxSplits: 1).first ?? "")
            if known.contains(name) { continue }
            let guess = known.filter { !["--experimental-dump-help", "--generate-completion-script"].contains($0) }
                .map { ($0, editDistance($0, name)) }.filter { $0.1 <= 2 }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
            let where_ = (["aggregate"] + path).joined(separator: " ")
            return "未知选项 unknown option \(name)" + (guess.map { "（是否要用 did you mean \($0)?）" } ?? "")
                + "；见 see \(where_) --help"
        }
        return nil
    }

    /// The (sub)command `arguments` name, its path (`["db", "load"]`) and the arguments after it.
    static func subcommand(of arguments: [String]) -> (ParsableCommand.Type, [String], ArraySlice<String>) {
        var command: ParsableCommand.Type = Aggregate.self
        var path: [String] = []
        var rest = arguments[...]
        while let next = rest.first,
              let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == next }) {
            command = sub
            path.append(next)
            rest = rest.dropFirst()
        }
        return (command, path, rest)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
