import Foundation
import GRDB
import HuizongCore

/// The three files of one unit's outputs for one period (SPEC 3.1–3.3).
public struct SubmissionFiles: Sendable, Equatable {
    public var summary: String
    public var discrepancies: String
    public var manifest: String

    public init(summary: String, discrepancies: String, manifest: String) {
        self.summary = summary
        self.discrepancies = discrepancies
        self.manifest = manifest
    }

    /// `U-P.csv.gz`, `U-P.discrepancies.csv.gz` and `U-P.manifest.json` in `directory`.
    public static func inDirectory(_ directory: String, unit: String, period: String) -> SubmissionFiles {
        let base = (directory.hasSuffix("/") ? directory : directory + "/") + "\(unit)-\(period)"
        return SubmissionFiles(summary: base + ".csv.gz", discrepancies: base + ".discrepancies.csv.gz",
                               manifest: base + ".manifest.json")
    }

    /// Sorts explicit paths into summary, report and manifest by their names; what is missing
    /// is found beside the others (the manifest names its outputs; `X.csv.gz` has
    /// `X.manifest.json`).
    public static func fromPaths(_ paths: [String]) throws -> SubmissionFiles {
        var summary: String?, report: String?, manifest: String?
        for p in paths {
            let name = (p as NSString).lastPathComponent
            if name.hasSuffix(".manifest.json") {
                manifest = p
            } else if name.contains(".discrepancies.") {
                report = p
            } else {
                summary = p
            }
        }
        if manifest == nil, let s = summary ?? report {
            let dir = (s as NSString).deletingLastPathComponent
            let name = (s as NSString).lastPathComponent
            let stem = name.components(separatedBy: ".").first ?? name
            manifest = (dir.isEmpty ? "" : dir + "/") + stem + ".manifest.json"
        }
        guard let manifest, FileManager.default.fileExists(atPath: manifest) else {
            throw LoadError("缺少清单文件 manifest missing: every summary file must come with its manifest (SPEC 3.2)")
        }
        if summary == nil || report == nil {
            let (m, _) = try Manifest.read(path: manifest)
            let dir = (manifest as NSString).deletingLastPathComponent
            func beside(_ f: String) -> String { dir.isEmpty ? f : dir + "/" + f }
            summary = summary ?? beside(m.outputs.summary.file)
            report = report ?? beside(m.outputs.discrepancies.file)
        }
        return SubmissionFiles(summary: summary!, discrepancies: report!, manifest: manifest)
    }
}

/// What a load did.
public struct LoadResult: Sendable, Equatable {
    public enum Action: String, Sendable { case loaded, unchanged, replaced }
    public var action: Action
    public var unit: String
    public var period: String
    public var submissionID: Int64
    public var replacedSubmissionID: Int64?
    public var rows: Int
    public var findings: Int
    public var seconds: Double
}

/// Loads one submission (a unit's merged summary, discrepancy report and manifest for a period)
/// into the database, in ONE transaction with prepared statements:
/// - the files must match their manifest (sha256 and row counts), else nothing is loaded;
/// - the same files again (same three sha256) change nothing but the audit trail ('unchanged');
/// - different files for a unit and period already loaded (a corrected resubmission) replace
///   that period's rows; the replaced submission stays in `submission` and `load_event`.
public struct SubmissionLoader {
    public let database: NationalDatabase
    /// Units from pipeline.json, written to the `unit` table (authoritative over manifests).
    public var config: UnitDirectory?

    public init(database: NationalDatabase, config: UnitDirectory? = nil) {
        self.database = database
        self.config = config
    }

    static let contactFields: Set<String> = ["手机号码", "手机", "固定电话", "电子邮箱"]
    static let contactFieldBytes: [[UInt8]] = contactFields.sorted().map { Array($0.utf8) }

    public func load(_ files: SubmissionFiles, unit: String? = nil, period: String? = nil,
                     now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> LoadResult {
        let clock = ContinuousClock()
        let started = clock.now
        // Phases go to whoever observes the run's points (`--verbose` times them); nothing is printed here.
        func phase(_ name: String) { TestHook.reached("load: \(name)") }
        let checked = try Self.check(files, unit: unit, period: period)
        let manifest = checked.manifest, manifestJSON = checked.json, paths = checked.paths
        let summarySHA = checked.hashes.0, reportSHA = checked.hashes.1, manifestSHA = checked.hashes.2
        let config = self.config
        phase("sha256 of the files")

        let result = try database.queue.write { db -> LoadResult in
            try Self.recordUnits(db, manifest: manifest, config: config)
            let old = try Row.fetchOne(db, sql: """
                SELECT id, summary_sha256, discrepancies_sha256, manifest_sha256, summary_rows, discrepancies_rows
                FROM submission WHERE unit = ? AND period = ? AND status = 'current'
                """, arguments: [manifest.unit, manifest.period])
            let nowText = ChinaTime.format(now)
            if let old, old["summary_sha256"] == summarySHA, old["discrepancies_sha256"] == reportSHA,
               old["manifest_sha256"] == manifestSHA {
                let id: Int64 = old["id"]
                let rows: Int = old["summary_rows"], findings: Int = old["discrepancies_rows"]
                let seconds = Self.seconds(clock.now - started)
                try Self.recordEvent(db, at: nowText, manifest: manifest, action: .unchanged, submission: id,
                                     replaced: nil, hashes: (summarySHA, reportSHA, manifestSHA),
                                     rows: rows, findings: findings, seconds: seconds, paths: paths)
                return LoadResult(action: .unchanged, unit: manifest.unit, period: manifest.period,
                                  submissionID: id, replacedSubmissionID: nil, rows: rows, findings: findings,
                                  seconds: seconds)
            }
            let oldID: Int64? = old?["id"]
            if let oldID {
                try db.execute(sql: "UPDATE submission SET status = 'replaced', replaced_at = ? WHERE id = ?",
                               arguments: [nowText, oldID])
            }
            let newID = try Self.insertSubmission(db, manifest: manifest, json: manifestJSON, files: files,
                                                  hashes: (summarySHA, reportSHA, manifestSHA), at: nowText)
            if let oldID {
                // Persons whose current state came from the replaced submission are rebuilt below.
                try db.execute(sql: """
                    DROP TABLE IF EXISTS temp.affected;
                    CREATE TEMP TABLE affected (citizen_id TEXT PRIMARY KEY) WITHOUT ROWID;
                    INSERT INTO temp.affected
                        SELECT pv.citizen_id FROM person_version pv
                        JOIN person p ON p.citizen_id = pv.citizen_id AND p.submission_id = pv.submission_id
                        WHERE pv.submission_id = ?;
                    DELETE FROM person WHERE citizen_id IN (SELECT citizen_id FROM temp.affected);
                    DELETE FROM person_version WHERE submission_id = ?;
                    DELETE FROM discrepancy WHERE submission_id = ?;
                    DELETE FROM submission_county WHERE submission_id = ?;
                    """, arguments: [oldID, oldID, oldID, oldID])
            }
            phase("units, previous submission")
            let (rows, counties) = try Self.loadSummary(db, path: files.summary, submission: newID, period: manifest.period)
            phase("person_version rows")
            if rows != manifest.outputs.summary.rows {
                throw LoadError("汇总表行数与清单不符 \(files.summary) has \(rows) rows, its manifest says \(manifest.outputs.summary.rows)")
            }
            let findings = try Self.loadDiscrepancies(db, path: files.discrepancies, submission: newID)
            phase("discrepancy rows")
            if findings != manifest.outputs.discrepancies.rows {
                throw LoadError("问题报告行数与清单不符 \(files.discrepancies) has \(findings) rows, its manifest says \(manifest.outputs.discrepancies.rows)")
            }
            if oldID != nil {
                try db.execute(sql: """
                    INSERT INTO person (citizen_id, period, updated_at, submission_id)
                    SELECT citizen_id, period, updated_at, submission_id FROM (
                        SELECT pv.citizen_id, pv.period, pv.updated_at, pv.submission_id,
                               row_number() OVER (PARTITION BY pv.citizen_id
                                   ORDER BY pv.period DESC, pv.updated_at DESC, pv.submission_id DESC) AS rn
                        FROM temp.affected a JOIN submission s ON s.status = 'current'
                        JOIN person_version pv ON pv.submission_id = s.id AND pv.citizen_id = a.citizen_id
                    ) WHERE rn = 1;
                    DROP TABLE temp.affected;
                    """)
            }
            try Self.upsertPersons(db, submission: newID)
            phase("person current state")
            try Self.insertCountyCounts(db, submission: newID, counts: counties)
            phase("per-county counts")
            if let oldID {
                try db.execute(sql: "UPDATE submission SET replaced_by = ? WHERE id = ?", arguments: [newID, oldID])
            }
            let seconds = Self.seconds(clock.now - started)
            try Self.recordEvent(db, at: nowText, manifest: manifest, action: oldID == nil ? .loaded : .replaced,
                                 submission: newID, replaced: oldID, hashes: (summarySHA, reportSHA, manifestSHA),
                                 rows: rows, findings: findings, seconds: seconds, paths: paths)
            return LoadResult(action: oldID == nil ? .loaded : .replaced, unit: manifest.unit, period: manifest.period,
                              submissionID: newID, replacedSubmissionID: oldID, rows: rows, findings: findings,
                              seconds: seconds)
        }
        phase("commit")
        return result
    }

    /// A submission's files, checked against their manifest before anything is written.
    struct Checked {
        var manifest: Manifest
        var json: String
        /// sha256 of the summary, the report and the manifest.
        var hashes: (String, String, String)
        var paths: String
    }

    /// Reads the manifest and checks the files against it and against `unit`/`period`.
    static func check(_ files: SubmissionFiles, unit: String?, period: String?) throws -> Checked {
        let (manifest, manifestJSON) = try Manifest.read(path: files.manifest)
        if let unit, manifest.unit != unit {
            throw LoadError("清单单位不符 manifest is for unit \(manifest.unit), not \(unit): \(files.manifest)")
        }
        if let period, manifest.period != period {
            throw LoadError("清单期别不符 manifest is for period \(manifest.period), not \(period): \(files.manifest)")
        }
        guard Period(manifest.period) != nil else {
            throw LoadError("清单期别无效 bad period \(manifest.period) in \(files.manifest)")
        }
        // The files must be the ones the manifest describes.
        guard let summarySHA = InputFile.sha256(ofFileAt: files.summary) else {
            throw LoadError("无法读取 cannot read \(files.summary)")
        }
        guard let reportSHA = InputFile.sha256(ofFileAt: files.discrepancies) else {
            throw LoadError("无法读取 cannot read \(files.discrepancies)")
        }
        guard let manifestSHA = InputFile.sha256(ofFileAt: files.manifest) else {
            throw LoadError("无法读取 cannot read \(files.manifest)")
        }
        if summarySHA != manifest.outputs.summary.sha256 {
            throw LoadError("汇总表与清单的sha256不符 \(files.summary) does not match its manifest's sha256; get the whole set again")
        }
        if reportSHA != manifest.outputs.discrepancies.sha256 {
            throw LoadError("问题报告与清单的sha256不符 \(files.discrepancies) does not match its manifest's sha256; get the whole set again")
        }
        let paths = [files.summary, files.discrepancies, files.manifest].joined(separator: "\n")
        return Checked(manifest: manifest, json: manifestJSON, hashes: (summarySHA, reportSHA, manifestSHA), paths: paths)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }


    static func upsertPersons(_ db: Database, submission: Int64) throws {
        try db.execute(sql: """
            INSERT INTO person (citizen_id, period, updated_at, submission_id)
            SELECT citizen_id, period, updated_at, submission_id FROM person_version
            WHERE submission_id = ? AND true
            ON CONFLICT (citizen_id) DO UPDATE SET period = excluded.period, updated_at = excluded.updated_at,
                submission_id = excluded.submission_id
            WHERE (excluded.period, excluded.updated_at, excluded.submission_id)
                > (person.period, person.updated_at, person.submission_id)
            """, arguments: [submission])
    }

    static func recordUnits(_ db: Database, manifest: Manifest, config: UnitDirectory?) throws {
        try recordUnits(SQLiteSession(db), manifest: manifest, config: config)
    }

    static func insertSubmission(_ db: Database, manifest m: Manifest, json: String, files: SubmissionFiles,
                                 hashes: (String, String, String), at: String) throws -> Int64 {
        try insertSubmission(SQLiteSession(db), manifest: m, json: json, files: files, hashes: hashes, at: at)
    }

    static func recordEvent(_ db: Database, at: String, manifest: Manifest, action: LoadResult.Action,
                            submission: Int64, replaced: Int64?, hashes: (String, String, String),
                            rows: Int, findings: Int, seconds: Double, paths: String) throws {
        try recordEvent(SQLiteSession(db), at: at, manifest: manifest, action: action, submission: submission,
                        replaced: replaced, hashes: hashes, rows: rows, findings: findings, seconds: seconds, paths: paths)
    }

    /// Per 登记单位: persons, employed (就业去向 1–13), no destination, hardship (困难状况 1–3)
    /// with no destination — counted while loading, kept in submission_county for the trend.
    struct CountyCounts {
        var persons = 0, employed = 0, noDestination = 0, hardshipNoDestination = 0

        mutating func add(destination: UnsafeBufferPointer<UInt8>, hardship: UnsafeBufferPointer<UInt8>) {
            persons += 1
            if destination.isEmpty {
                noDestination += 1
                if hardship.contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "3") }) { hardshipNoDestination += 1 }
                return
            }
            var n = 0
            for b in destination {
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"), n < 100 else { return }
                n = n * 10 + Int(b - UInt8(ascii: "0"))
            }
            if (1...13).contains(n) { employed += 1 }
        }
    }

    static func insertCountyCounts(_ db: Database, submission: Int64, counts: [String: CountyCounts]) throws {
        try insertCountyCounts(SQLiteSession(db), submission: submission, counts: counts)
    }

    /// Streams the merged summary into person_version; returns the number of rows and the
    /// per-county counts.
    static func loadSummary(_ db: Database, path: String, submission: Int64, period: String) throws -> (Int, [String: CountyCounts]) {
        let placeholders = Array(repeating: "?", count: personVersionColumns.count).joined(separator: ", ")
        let insert = try BulkInsert(db, sql: """
            INSERT INTO person_version (\(personVersionColumns.joined(separator: ", ")))
            VALUES (\(placeholders))
            """)
        return try loadSummary(into: insert, path: path, submission: submission, period: period)
    }

    /// person_version's loaded columns, in the order the sinks bind them.
    static let personVersionColumns = ["submission_id", "period", "line"] + NationalDatabase.personColumns

    /// The summary's rows into `insert` (columns as `personVersionColumns`); the reading loop
    /// of both engines.
    static func loadSummary<S: RowSink>(into insert: S, path: String, submission: Int64, period: String) throws -> (Int, [String: CountyCounts]) {
        let reader: SummaryFileReader
        do {
            reader = try SummaryFileReader(path: path, options: .init(forcedEncoding: .utf8, requireRegisteringUnit: true))
        } catch {
            throw LoadError("汇总表无法读取 cannot read \(path): \(error)")
        }
        let columns = HuizongCore.Column.allCases.filter { $0 != .serial }
        insert.bind(1, submission)
        insert.bind(2, period)
        var record = RawRecord()
        var rows = 0
        var counties: [String: CountyCounts] = [:]
        while true {
            let event: SummaryFileReader.Event
            do {
                event = try reader.next(into: &record)
            } catch {
                throw LoadError("汇总表读取失败 cannot read \(path): \(error)")
            }
            switch event {
            case .end:
                return (rows, counties)
            case .blank:
                continue
            case .rejected(let rule):
                throw LoadError("汇总表第\(reader.lineNumber)行格式错误 \(path) line \(reader.lineNumber): \(rule.rawValue); the file is not a merged summary")
            case .record:
                insert.bind(3, Int64(record.line))
                let outcome: BulkInsert.Outcome = try record.bytes.withUnsafeBufferPointer { buf in
                    for (i, c) in columns.enumerated() {
                        let r = record.ranges[c.rawValue] ?? 0..<0
                        insert.bind(Int32(i + 4), bytes: buf.baseAddress.map { $0 + r.lowerBound }, count: r.count)
                    }
                    func cell(_ c: HuizongCore.Column) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: buf[record.ranges[c.rawValue] ?? 0..<0])
                    }
                    let unit = String(decoding: cell(.registeringUnit), as: UTF8.self)
                    counties[unit, default: CountyCounts()].add(destination: cell(.destination), hardship: cell(.hardship))
                    return try insert.step()
                }
                if outcome == .constraint {
                    throw LoadError("汇总表中身份证号重复 \(path) line \(record.line): ID \(record.string(.citizenID)) appears twice; the file is not a merged summary")
                }
                rows += 1
            }
        }
    }

    static let reportColumns = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别", "说明", "原值"]

    /// Streams the discrepancy report into `discrepancy`; returns the number of findings.
    static func loadDiscrepancies(_ db: Database, path: String, submission: Int64) throws -> Int {
        let insert = try BulkInsert(db, sql: """
            INSERT INTO discrepancy (\(discrepancyColumns.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return try loadDiscrepancies(into: insert, path: path, submission: submission)
    }

    static let discrepancyColumns = ["submission_id", "seq", "found_by", "source_unit", "source_file", "line", "citizen_id",
                                     "name", "field", "rule", "severity", "message", "raw_value"]

    /// The report's rows into `insert` (columns as `discrepancyColumns`), for both engines.
    static func loadDiscrepancies<S: RowSink>(into insert: S, path: String, submission: Int64) throws -> Int {
        let lines: LineReader
        do {
            let file = try InputFile(path: path)
            lines = LineReader(source: try DecompressedStream(file: file))
            let head = try lines.peek(3)
            if head.count == 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { lines.skip(3) }
        } catch {
            throw LoadError("问题报告无法读取 cannot read \(path): \(error)")
        }
        var map: [Int] = []  // report column index -> cell index
        var width = 0
        var bytes: [UInt8] = []
        var cells: [Range<Int>] = []
        var count = 0
        insert.bind(1, submission)
        while true {
            let event: LineReader.Event
            do { event = try lines.next() } catch { throw LoadError("问题报告读取失败 cannot read \(path): \(error)") }
            guard case .line(let line) = event else {
                if case .end = event { break }
                throw LoadError("问题报告第\(lines.lineNumber)行过长 \(path) line \(lines.lineNumber) too long")
            }
            if CSVLineSplitter.isBlank(line) { continue }
            bytes.removeAll(keepingCapacity: true)
            cells.removeAll(keepingCapacity: true)
            guard UTF8Validator.isValid(line), CSVLineSplitter.split(line, bytes: &bytes, cells: &cells) else {
                throw LoadError("问题报告第\(lines.lineNumber)行格式错误 \(path) line \(lines.lineNumber) malformed")
            }
            if map.isEmpty {
                let names = cells.map { HeaderName.normalize(String(decoding: bytes[$0], as: UTF8.self)) }
                for c in reportColumns {
                    guard let i = names.firstIndex(of: c) else {
                        throw LoadError("问题报告缺少列 \(path) lacks the column \(c)")
                    }
                    map.append(i)
                }
                width = names.count
                continue
            }
            guard cells.count == width else {
                throw LoadError("问题报告第\(lines.lineNumber)行列数不符 \(path) line \(lines.lineNumber): wrong number of fields")
            }
            insert.bind(2, Int64(lines.lineNumber))
            let outcome: BulkInsert.Outcome = try bytes.withUnsafeBufferPointer { buf in
                func cell(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buf[cells[map[i]]]) }
                for i in 0..<map.count {
                    let c = cell(i)
                    switch i {
                    case 3:  // 行号
                        var n: Int64 = 0
                        var ok = !c.isEmpty && c.count < 12
                        for b in c where ok {
                            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { n = n * 10 + Int64(b - UInt8(ascii: "0")) } else { ok = false }
                        }
                        if ok { insert.bind(6, n) } else { insert.bindNull(6) }
                    case 10:  // 原值: never a contact value
                        let field = cell(6)
                        let contact = contactFieldBytes.contains { $0.count == field.count && $0.elementsEqual(field) }
                        insert.bind(13, bytes: c.baseAddress, count: contact ? 0 : c.count)
                    default:
                        insert.bind(Int32(i + 3), bytes: c.baseAddress, count: c.count)
                    }
                }
                return try insert.step()
            }
            if outcome == .constraint {
                throw LoadError("问题报告第\(lines.lineNumber)行无法载入 \(path) line \(lines.lineNumber): constraint failed")
            }
            count += 1
        }
        return count
    }
}
