import ArgumentParser
import HuizongCore

// PLACEHOLDER: not implemented yet.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "(not yet implemented)")
    func run() throws { throw ExitCode(1) }
}
