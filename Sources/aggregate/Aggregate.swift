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
        abstract: "Merge and check the monthly summary tables (汇总表) of unemployed college graduates.",
        version: "huizong 0.1.0",
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
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((PrintableText.escapedKeepingLines(fullMessage(for: error)) + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
