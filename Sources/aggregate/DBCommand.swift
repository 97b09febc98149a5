import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate db`: the real-name database (notice 一(五)) — load a unit's monthly outputs,
/// list what was loaded, show one person's follow-up history. See docs/database.md.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "把单位的月度输出载入SQLite实名制数据库，并查看。 Load a unit's monthly outputs into the SQLite real-name database, and inspect it.",
        subcommands: [Load.self, List.self, History.self]
    )

    static func fail(_ command: String, _ message: String) -> ExitCode {
        Console.fail(message)
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "载入U在P期的汇总表、问题报告和清单。 Load U's merged summary, discrepancy report and manifest for P.",
            discussion: """
            不给文件时读取U在P期的发件箱（相对当前目录）；文件须与其清单一致；数据库忙时最多等待\
            --busy-timeout秒，然后以3退出且不做改动；同一文件再载入不改变任何东西，同期不同文件（更正后\
            重报）替换该期数据并保留审计记录。 \
            Without FILE arguments, reads U's outbox for P (the config's layout, relative to the \
            current directory). With FILE arguments, loads those files (summary, report, manifest; \
            what is missing is looked for beside the others). The files must match their manifest. \
            Waits up to --busy-timeout seconds while another process writes the database, then \
            exits 3 (database busy), changing nothing. The same files twice change nothing; different files for the same unit and period \
            (a corrected resubmission) replace that period's data, and the replaced submission \
            stays in the audit trail (aggregate db list). The database is created 0600.
            """
        )

        @Option(help: "SQLite数据库文件（不存在则创建） the SQLite database file (created if missing).") var db: String
        @Option(help: "pipeline.json：发件箱布局与层级 the outbox layout and the hierarchy.") var config: String?
        @Option(help: "要载入其输出的单位 the unit whose outputs are loaded.") var unit: String
        @Option(help: "期别，YYYY-MM the period, YYYY-MM.") var period: String
        @OptionGroup var logging: LoggingOptions
        @Option(name: .customLong("busy-timeout"),
                help: "另一进程写数据库时最多等待的秒数（默认60），然后以3退出、不做改动 seconds to wait while another process writes the database (default 60); then exit 3, changing nothing.")
        var busyTimeout: Double = NationalDatabase.defaultBusyTimeout
        @Argument(help: "汇总表、问题报告、清单的路径（默认：U在P期的发件箱） explicit summary/report/manifest paths (default: U's outbox for P).") var files: [String] = []

        func run() throws {
            logging.start("db load", phaseProgress: true)
            defer { Console.finishProgress() }
            SecureFiles.restrictUmask()
            guard let p = Period(period) else { throw DBCommand.fail("load", "--period须为YYYY-MM --period must be YYYY-MM: \(period)") }
            var pipeline: PipelineConfig?
            if let config {
                do { pipeline = try PipelineConfig.load(path: config) } catch {
                    throw DBCommand.fail("load", "配置错误 configuration error: \(error)")
                }
            }
            let set: SubmissionFiles
            do {
                if files.isEmpty {
                    guard let pipeline else {
                        throw LoadError("请给出--config或文件 give --config (to find U's outbox) or the files")
                    }
                    let outbox = pipeline.outbox(unit: unit, period: p)
                    set = SubmissionFiles.inDirectory(outbox, unit: unit, period: p.description)
                    guard FileManager.default.fileExists(atPath: set.manifest) else {
                        throw LoadError("发件箱中没有\(unit)在\(p)的输出 no outputs of \(unit) for \(p) in its outbox \(outbox) (expected \((set.manifest as NSString).lastPathComponent)); run from the directory the layout is relative to, after aggregate run")
                    }
                } else {
                    set = try SubmissionFiles.fromPaths(files)
                }
                let database = try NationalDatabase(path: db, busyTimeout: busyTimeout)
                let loader = SubmissionLoader(database: database, config: pipeline.map(UnitDirectory.init(config:)))
                let r = try loader.load(set, unit: unit, period: p.description)
                let what: String
                switch r.action {
                case .loaded: what = "已载入 loaded"
                case .unchanged: what = "未变化（同一文件已载入） unchanged: the same files are already loaded"
                case .replaced: what = "已替换 replaced submission #\(r.replacedSubmissionID ?? 0) (kept in the audit trail)"
                }
                print("\(r.unit) \(r.period)：\(what) — 报送 submission #\(r.submissionID)，\(r.rows) 行 rows，\(r.findings) 条问题 findings，\(String(format: "%.2f", r.seconds)) 秒 s")
            } catch let e as LoadError {
                throw DBCommand.fail("load", e.description)
            } catch let e as SecureFiles.Failure {
                throw DBCommand.fail("load", e.description)
            } catch let e as ExitCode {
                throw e
            } catch where NationalDatabase.isBusy(error) {
                // SPEC 8.5: another writer held the database past --busy-timeout; the transaction
                // was never begun or was rolled back, so nothing changed.
                _ = DBCommand.fail("load", "数据库忙：另一个进程写入超过\(busyTimeout)秒，未做任何改动，请稍后重试 database busy: another process has been writing for more than \(busyTimeout) s; nothing was changed; try again later (--busy-timeout)")
                throw ExitCode(3)
            } catch {
                throw DBCommand.fail("load", "\(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "列出已载入的报送和载入审计记录。 List the loaded submissions and the load audit trail."
        )
        @Option(help: "SQLite数据库文件 the SQLite database file.") var db: String
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db list")
            guard FileManager.default.fileExists(atPath: db) else { throw DBCommand.fail("list", "数据库不存在 no database at \(db)") }
            do {
                let database = try NationalDatabase(path: db, readOnly: true)
                let listing = try DatabaseListing.read(database)
                print(listing.text, terminator: "")
            } catch let e as ExitCode { throw e } catch {
                throw DBCommand.fail("list", "\(error)")
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "一个人各期的记录：就业去向何时由什么变为什么。 One person's versions across periods: when 就业去向 changed, from what to what."
        )
        @Option(help: "SQLite数据库文件 the SQLite database file.") var db: String
        @Option(help: "公民身份号码（18位） citizen ID (18 characters).") var id: String
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db history")
            guard FileManager.default.fileExists(atPath: db) else { throw DBCommand.fail("history", "数据库不存在 no database at \(db)") }
            do {
                let database = try NationalDatabase(path: db, readOnly: true)
                let versions = try PersonHistory.read(database, citizenID: id.uppercased())
                if versions.isEmpty {
                    print("\(id)：无记录 not in the database")
                    return
                }
                print(PersonHistory.text(versions), terminator: "")
            } catch let e as ExitCode { throw e } catch {
                throw DBCommand.fail("history", "\(error)")
            }
        }
    }
}
