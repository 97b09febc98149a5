import ArgumentParser
import Foundation
import HuizongAnalysis
import HuizongCore

/// `aggregate db`: the real-name database (notice 一(五)) — load a unit's monthly outputs,
/// list what was loaded, show one person's follow-up history. See docs/database.md.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "把单位的月度输出载入实名制数据库（SQLite或PostgreSQL），并查看。 Load a unit's monthly outputs into the real-name database (SQLite or PostgreSQL), and inspect it.",
        subcommands: [Load.self, List.self, History.self, Export.self, InitRoles.self]
    )

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

        @Option(help: "SQLite数据库文件（不存在则创建），或 postgres://user@host[:port]/dbname（默认：HUIZONG_DB） the SQLite database file (created if missing), or a PostgreSQL URL (default: HUIZONG_DB).") var db: String?
        @OptionGroup var target: UnitPeriodOptions
        @OptionGroup var logging: LoggingOptions
        @Option(name: .customLong("busy-timeout"),
                help: "另一进程写数据库时最多等待的秒数（默认60），然后以3退出、不做改动 seconds to wait while another process writes the database (default 60); then exit 3, changing nothing.")
        var busyTimeout: Double = NationalDatabase.defaultBusyTimeout
        @Argument(help: "汇总表、问题报告、清单的路径（默认：U在P期的发件箱） explicit summary/report/manifest paths (default: U's outbox for P).") var files: [String] = []

        func run() throws {
            logging.start("db load", phaseProgress: true)
            defer { Console.finishProgress() }
            SecureFiles.restrictUmask()
            let unit = target.unit.description, p = target.period
            let location = try DatabaseOption.location(db, mustExist: false)
            let pipeline = try target.config.load()
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
                let database = try AnalysisDatabase.open(location, busyTimeout: busyTimeout)
                let r = try database.load(set, unit: unit, period: p.description, config: pipeline.map(UnitDirectory.init(config:)))
                let what: String
                switch r.action {
                case .loaded: what = "已载入 loaded"
                case .unchanged: what = "未变化（同一文件已载入） unchanged: the same files are already loaded"
                case .replaced: what = "已替换 replaced submission #\(r.replacedSubmissionID ?? 0) (kept in the audit trail)"
                }
                print("\(r.unit) \(r.period)：\(what) — 报送 submission #\(r.submissionID)，\(r.rows) 行 rows，\(r.findings) 条问题 findings，\(String(format: "%.2f", r.seconds)) 秒 s")
            } catch let e as LoadError {
                throw Console.fail(e.description)
            } catch let e as SecureFiles.Failure {
                throw Console.fail(e.description)
            } catch let e as ExitCode {
                throw e
            } catch where NationalDatabase.isBusy(error) {
                // SPEC 8.5: another writer held the database past --busy-timeout; the transaction
                // was never begun or was rolled back, so nothing changed.
                _ = Console.fail("数据库忙：另一个进程写入超过\(busyTimeout)秒，未做任何改动，请稍后重试 database busy: another process has been writing for more than \(busyTimeout) s; nothing was changed; try again later (--busy-timeout)")
                throw ExitCode(3)
            } catch {
                throw Console.fail("\(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "列出已载入的报送和载入审计记录。 List the loaded submissions and the load audit trail."
        )
        @OptionGroup var database: DatabaseOption
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db list")
            let db = try database.openForReading()
            let listing = try Console.failing { try DatabaseListing.read(db) }
            print(listing.text, terminator: "")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "一个人各期的记录：就业去向何时由什么变为什么。 One person's versions across periods: when 就业去向 changed, from what to what."
        )
        @OptionGroup var database: DatabaseOption
        @Option(help: "公民身份号码（18位） citizen ID (18 characters).") var id: String
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db history")
            let db = try database.openForReading()
            let versions = try Console.failing { try PersonHistory.read(db, citizenID: id.uppercased()) }
            if versions.isEmpty {
                print("\(id)：无记录 not in the database")
                return
            }
            print(PersonHistory.text(versions), terminator: "")
        }
    }

    struct InitRoles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init-roles",
            abstract: "PostgreSQL：建立载入、审计和各省分析员角色（行级安全）。 PostgreSQL: create the loader, auditor and per-province analyst roles with row-level security.",
            discussion: """
            建立（或更新）huizong_loader（拥有模式，载入）、huizong_auditor（读全部行，不含联系方式列）\
            和每个省的 huizong_analyst_<省代码>，以行级安全限于本省。以超级用户或模式所有者运行。见 docs/database.md。

            Creates (or brings up to date) huizong_loader (owns the schema, loads), huizong_auditor \
            (reads all rows, no contact columns) and huizong_analyst_<province code> for every province \
            of --config or of the loaded data, each restricted by row-level security to its province's \
            subtree. Run as a superuser or the schema's owner. See docs/database.md.
            """
        )
        @Option(help: "PostgreSQL地址 postgres://user@host[:port]/dbname（默认：HUIZONG_DB） the PostgreSQL URL (default: HUIZONG_DB).") var db: String?
        @Option(help: "pipeline.json：其中各省获得分析员角色 its provinces get analyst roles.") var config: String?
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db init-roles")
            let location = try DatabaseOption.location(db, mustExist: false)
            guard case .postgres(let pg) = location else {
                throw Console.fail("角色仅用于PostgreSQL roles exist on PostgreSQL only; a SQLite file is protected by its mode (0600)")
            }
            let provinces = try Console.failing {
                let directory = try config.map { UnitDirectory(config: try PipelineConfig.load(path: $0)) }
                let database = try PostgresDatabase(pg)
                let provinces = try DatabaseRoles.provinces(database.session, config: directory)
                try database.write { try $0.execute(DatabaseRoles.sql(provinces: provinces)) }
                return provinces
            }
            print("角色已就绪 roles ready: huizong_loader, huizong_auditor, " +
                  provinces.map { "huizong_analyst_\($0)" }.joined(separator: ", "))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "导出U辖区P期的在册人员，每人一行，代码附中文含义（CSV或XLSX）。 One row per person current in P under U, with labelled codes, as CSV or XLSX.",
            discussion: """
            U的分析在P期计入的人员（完整身份证号、省市县代码与名称、每个代码附中文含义）；仅在 --with-contacts 时含联系方式。\
            给人看的文件（SPEC 8.3）：带BOM与CRLF的CSV，公式开头加 '，或身份证号为文本的工作簿。以0600写入，要么完整要么没有。

            The persons the analysis of U counts for P (full IDs, province/city/county codes and names, \
            every code beside its Chinese label); contact values only with --with-contacts. A file for \
            people (SPEC 8.3): CSV with a BOM and CRLF, formula starts prefixed with ', or a workbook \
            with IDs as text. Written 0600, whole or not at all.
            """
        )
        @OptionGroup var subtree: DatabaseScopeOptions
        @Option(help: "要写的文件 the file to write.") var out: String
        @Option(help: "csv 或 xlsx.") var format: String = "csv"
        @Flag(name: .customLong("with-contacts"), help: "包含手机号码、固定电话、电子邮箱 include the contact columns.") var withContacts = false
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.start("db export")
            SecureFiles.restrictUmask()
            guard let f = PeopleExport.Format(rawValue: format) else {
                throw Console.fail("--format须为csv或xlsx --format must be csv or xlsx")
            }
            let unit = subtree.unit.description, period = subtree.period
            let location = try subtree.database.location()
            let pipeline = try subtree.pipeline()
            let n = try Console.failing {
                try AnalysisDatabase.open(location, readOnly: true).analyse { s -> Int in
                    let scope = AnalysisScope(unit: unit, directory: try AnalysisScope.directory(s, config: pipeline))
                    if try scope.covering(s, period: period.description).isEmpty {
                        throw LoadError("\(unit) \(period) 无已载入的数据 nothing loaded covers \(unit) for \(period)")
                    }
                    return try PeopleExport.write(s, scope: scope, period: period, to: out, format: f, contacts: withContacts)
                }
            }
            print("\(unit) \(period): \(n) 人 persons → \(out)")
        }
    }
}
