import ArgumentParser
import HuizongCore

// PLACEHOLDER: not implemented yet.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(not yet implemented)")
    func run() throws { throw ExitCode(1) }
}
