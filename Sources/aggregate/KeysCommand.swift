import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate keys`: a unit's signing key pair (SPEC 8.4).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "管理单位的Ed25519签名密钥（签名报送）。 Manage a unit's Ed25519 signing keys (signed submissions).",
        subcommands: [New.self]
    )

    /// `aggregate keys new --unit U --out DIR`.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "生成密钥对：DIR/U.key（私钥，0600，留在本单位）和DIR/U.pub（公钥，交上级写入pipeline.json）。 Create a key pair: DIR/U.key (private, 0600, stays with the unit) and DIR/U.pub (public, for the parent's pipeline.json).",
            discussion: """
            只输出一行公钥，上级将其写入该单位在pipeline.json中的"publicKey"；已有密钥不会被替换，除非--force。 \
            Prints the public key alone on one line: the parent puts it on the unit's entry in pipeline.json as "publicKey". An existing key file is never replaced unless --force.

            退出状态 exit status: 0 已写出 written; 1 用法错误或无法写出 usage error or the files could not be written.
            """
        )

        @Option(help: "单位的6位代码 the unit's 6-digit code.") var unit: UnitCode
        @Option(help: "U.key和U.pub所在目录（不存在则以0700创建） directory for U.key and U.pub (created 0700 when missing).") var out: String
        @Flag(help: "替换已有密钥对（旧私钥将丢失） replace an existing key pair (the old private key is lost).") var force = false
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("keys new")
            let key = UnitKey.generate()
            do {
                try key.write(unit: unit.description, to: out, replace: force)
            } catch {
                throw Console.fail(error.description)
            }
            print(key.publicKeyBase64)
        }
    }
}
