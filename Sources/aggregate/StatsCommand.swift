import ArgumentParser
import HuizongCore

// PLACEHOLDER: not implemented yet.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "(not yet implemented)")
    func run() throws { throw ExitCode(1) }
}
