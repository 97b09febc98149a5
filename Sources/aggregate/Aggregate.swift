import ArgumentParser
import Foundation
import HuizongCore

@main
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Merge and check the monthly summary tables (汇总表) of unemployed college graduates.",
        version: "huizong 0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self, DBCommand.self, StatsCommand.self, ReportCommand.self]
    )

    /// SPEC 4: a usage error exits 1. ArgumentParser's own parse errors (unknown option, missing
    /// or malformed argument) would exit 64 (EX_USAGE); everything else keeps its exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
