import Foundation
import GRDB
import HuizongCore

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
                """, arguments: [checked.unit, checked.period])
            let nowText = ChinaTime.format(now)
            if let old, old["summary_sha256"] == summarySHA, old["discrepancies_sha256"] == reportSHA,
               old["manifest_sha256"] == manifestSHA {
                let id: Int64 = old["id"]
                let rows: Int = old["summary_rows"], findings: Int = old["discrepancies_rows"]
                let seconds = Self.seconds(clock.now - started)
                try Self.recordEvent(db, at: nowText, manifest: manifest, action: .unchanged, submission: id,
                                     replaced: nil, hashes: (summarySHA, reportSHA, manifestSHA),
                                     rows: rows, findings: findings, seconds: seconds, paths: paths)
                return LoadResult(action: .unchanged, unit: checked.unit, period: checked.period,
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
            let (rows, counties) = try Self.loadSummary(db, path: files.summary, submission: newID, period: checked.period)
            phase("person_version rows")
            if rows != checked.summaryRows {
                throw LoadError("汇总表行数与清单不符 \(files.summary) has \(rows) rows, its manifest says \(checked.summaryRows)")
            }
            let findings = try Self.loadDiscrepancies(db, path: files.discrepancies, submission: newID)
            phase("discrepancy rows")
            if findings != checked.reportRows {
                throw LoadError("问题报告行数与清单不符 \(files.discrepancies) has \(findings) rows, its manifest says \(checked.reportRows)")
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
            return LoadResult(action: oldID == nil ? .loaded : .replaced, unit: checked.unit, period: checked.period,
                              submissionID: newID, replacedSubmissionID: oldID, rows: rows, findings: findings,
                              seconds: seconds)
        }
        phase("commit")
        return result
    }

    /// A submission's files, checked against their manifest before anything is written.
    struct Checked {
        var manifest: Manifest
        /// The manifest's unit and period, and its outputs' rows (`Manifest.read` requires them).
        var unit: String
        var period: String
        var summaryRows: Int
        var reportRows: Int
        var json: String
        /// sha256 of the summary, the report and the manifest.
        var hashes: (String, String, String)
        var paths: String
    }

    /// Reads the manifest and checks the files against it and against `unit`/`period`.
    static func check(_ files: SubmissionFiles, unit: String?, period: String?) throws -> Checked {
        let (manifest, manifestJSON) = try Manifest.read(path: files.manifest)
        let mUnit = manifest.unit ?? "", mPeriod = manifest.period ?? ""
        let summary = manifest.outputs?.summary, report = manifest.outputs?.discrepancies
        if let unit, mUnit != unit {
            throw LoadError("清单单位不符 manifest is for unit \(mUnit), not \(unit): \(files.manifest)")
        }
        if let period, mPeriod != period {
            throw LoadError("清单期别不符 manifest is for period \(mPeriod), not \(period): \(files.manifest)")
        }
        guard Period(mPeriod) != nil else {
            throw LoadError("清单期别无效 bad period \(mPeriod) in \(files.manifest)")
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
        if summarySHA != summary?.sha256 {
            throw LoadError("汇总表与清单的sha256不符 \(files.summary) does not match its manifest's sha256; get the whole set again")
        }
        if reportSHA != report?.sha256 {
            throw LoadError("问题报告与清单的sha256不符 \(files.discrepancies) does not match its manifest's sha256; get the whole set again")
        }
        let paths = [files.summary, files.discrepancies, files.manifest].joined(separator: "\n")
        return Checked(manifest: manifest, unit: mUnit, period: mPeriod, summaryRows: summary?.rows ?? 0,
                       reportRows: report?.rows ?? 0, json: manifestJSON, hashes: (summarySHA, reportSHA, manifestSHA), paths: paths)
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
        var rows = 0
        var counties: [String: CountyCounts] = [:]
        do {
            try reader.forEachRecord(rejected: { rule in
                throw LoadError("汇总表第\(reader.lineNumber)行格式错误 \(path) line \(reader.lineNumber): \(rule.rawValue); the file is not a merged summary")
            }) { record in
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
        } catch let error as FileRejection {
            throw LoadError("汇总表读取失败 cannot read \(path): \(error)")
        }
        return (rows, counties)
    }

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
        var count = 0
        insert.bind(1, submission)
        try ReportRows(path: path).forEach { row in
            insert.bind(2, Int64(row.line))
            for i in 0..<ReportRows.columns.count {
                let c = row.cell(i)
                switch i {
                case 3:  // 行号
                    var n: Int64 = 0
                    var ok = !c.isEmpty && c.count < 12
                    for b in c where ok {
                        if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { n = n * 10 + Int64(b - UInt8(ascii: "0")) } else { ok = false }
                    }
                    if ok { insert.bind(6, n) } else { insert.bindNull(6) }
                case 10:  // 原值: never a contact value
                    let field = row.cell(6)
                    let contact = contactFieldBytes.contains { $0.count == field.count && $0.elementsEqual(field) }
                    insert.bind(13, bytes: c.baseAddress, count: contact ? 0 : c.count)
                default:
                    insert.bind(Int32(i + 3), bytes: c.baseAddress, count: c.count)
                }
            }
            if try insert.step() == .constraint {
                throw LoadError("问题报告第\(row.line)行无法载入 \(path) line \(row.line): constraint failed")
            }
            count += 1
        }
        return count
    }
}
