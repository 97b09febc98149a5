import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate keys`: a unit's signing key pair (SPEC 8.4).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage a unit's Ed25519 signing keys (signed submissions).",
        subcommands: [New.self]
    )

    /// `aggregate keys new --unit U --out DIR`.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a key pair: DIR/U.key (private, 0600, stays with the unit) and DIR/U.pub (public, for the parent's pipeline.json).",
            discussion: """
            Prints the public key alone on one line: the parent puts it on the unit's entry in pipeline.json as "publicKey". An existing key file is never replaced unless --force.

            Exit status: 0 written; 1 usage error or the files could not be written.
            """
        )

        @Option(help: "The unit's 6-digit code.") var unit: String
        @Option(help: "Directory for U.key and U.pub (created 0700 when missing).") var out: String
        @Flag(help: "Replace an existing key pair (the old private key is lost).") var force = false

        func run() throws {
            guard unit.count == 6, unit.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                FileHandle.standardError.write(Data("aggregate keys new: --unit 须为6位数字 must be 6 digits\n".utf8))
                throw ExitCode(1)
            }
            let key = UnitKey.generate()
            do {
                try key.write(unit: unit, to: out, replace: force)
            } catch {
                FileHandle.standardError.write(Data("aggregate keys new: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
            print(key.publicKeyBase64)
        }
    }
}
