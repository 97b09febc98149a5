import ArgumentParser
import HuizongCore

// PLACEHOLDER: not implemented yet.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "(not yet implemented)")
    func run() throws { throw ExitCode(1) }
}
