import ArgumentParser
import HuizongCore

// PLACEHOLDER: not implemented yet.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "(not yet implemented)")
    func run() throws { throw ExitCode(1) }
}
