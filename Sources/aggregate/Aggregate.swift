import ArgumentParser
import HuizongCore

@main
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Merge and check the monthly summary tables (汇总表) of unemployed college graduates.",
        version: "huizong 0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self, DBCommand.self, StatsCommand.self, ReportCommand.self]
    )
}
