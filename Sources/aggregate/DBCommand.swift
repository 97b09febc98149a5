import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate db`: the real-name database (notice 一(五)) — load a unit's monthly outputs,
/// list what was loaded, show one person's follow-up history. See docs/database.md.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Load a unit's monthly outputs into the SQLite real-name database, and inspect it.",
        subcommands: [Load.self, List.self, History.self]
    )

    static func fail(_ command: String, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("aggregate db \(command): \(PrintableText.escapedKeepingLines(message))\n".utf8))
        return ExitCode(1)
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load U's merged summary, discrepancy report and manifest for P.",
            discussion: """
            Without FILE arguments, reads U's outbox for P (the config's layout, relative to the \
            current directory). With FILE arguments, loads those files (summary, report, manifest; \
            what is missing is looked for beside the others). The files must match their manifest. \
            Waits up to --busy-timeout seconds while another process writes the database, then \
            exits 3 (database busy), changing nothing. The same files twice change nothing; different files for the same unit and period \
            (a corrected resubmission) replace that period's data, and the replaced submission \
            stays in the audit trail (aggregate db list). The database is created 0600.
            """
        )

        @Option(help: "The SQLite database file (created if missing).") var db: String
        @Option(help: "pipeline.json: the outbox layout and the hierarchy.") var config: String?
        @Option(help: "The unit whose outputs are loaded.") var unit: String
        @Option(help: "The period, YYYY-MM.") var period: String
        @Option(name: .customLong("busy-timeout"),
                help: "Seconds to wait while another process writes the database (default 60); then exit 3, changing nothing.")
        var busyTimeout: Double = NationalDatabase.defaultBusyTimeout
        @Argument(help: "Explicit summary/report/manifest paths (default: U's outbox for P).") var files: [String] = []

        func run() throws {
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
                print("\(r.unit) \(r.period): \(what) — submission #\(r.submissionID), \(r.rows) rows, \(r.findings) findings, \(String(format: "%.2f", r.seconds)) s")
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
            abstract: "List the loaded submissions and the load audit trail."
        )
        @Option(help: "The SQLite database file.") var db: String

        func run() throws {
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
            abstract: "One person's versions across periods: when 就业去向 changed, from what to what."
        )
        @Option(help: "The SQLite database file.") var db: String
        @Option(help: "公民身份号码 (18 characters).") var id: String

        func run() throws {
            guard FileManager.default.fileExists(atPath: db) else { throw DBCommand.fail("history", "数据库不存在 no database at \(db)") }
            do {
                let database = try NationalDatabase(path: db, readOnly: true)
                let versions = try PersonHistory.read(database, citizenID: id.uppercased())
                if versions.isEmpty {
                    print("\(id): 无记录 not in the database")
                    return
                }
                print(PersonHistory.text(versions), terminator: "")
            } catch let e as ExitCode { throw e } catch {
                throw DBCommand.fail("history", "\(error)")
            }
        }
    }
}
