import Foundation
import HuizongCore

/// The load on PostgreSQL: the same checks, the same rules (idempotent, corrections replace,
/// nothing forgotten) and the same SQL as on SQLite where the dialects agree, in ONE transaction;
/// the rows go in with `COPY … FROM STDIN` into the period's partition of `person_version`.
extension SubmissionLoader {
    static func loadPostgres(_ database: PostgresDatabase, _ files: SubmissionFiles, unit: String?, period: String?,
                             config: UnitDirectory?, now: Int64) throws -> LoadResult {
        let clock = ContinuousClock()
        let started = clock.now
        // Phases go to whoever observes the run's points (`--verbose` times them), as on SQLite.
        func phase(_ name: String) { TestHook.reached("load: \(name)") }
        let checked = try check(files, unit: unit, period: period)
        phase("sha256 of the files")
        let m = checked.manifest, hashes = checked.hashes
        let p = checked.period  // checked: a valid YYYY-MM, so safe in identifiers and literals
        return try database.write { s -> LoadResult in
            // One load at a time (PostgreSQL's rows would not conflict, but the current-state
            // rebuild and the partition creation must not interleave).
            try s.execute("SELECT pg_advisory_xact_lock(\(PostgresDatabase.lockKey))")
            try recordUnits(s, manifest: m, config: config)
            let nowText = ChinaTime.format(now)
            let old = try s.rows(currentSubmissionSQL, [.text(checked.unit), .text(p)]).first
            if let old, old["summary_sha256"] as String == hashes.0, old["discrepancies_sha256"] as String == hashes.1,
               old["manifest_sha256"] as String == hashes.2 {
                let id: Int64 = old["id"], rows: Int = old["summary_rows"], findings: Int = old["discrepancies_rows"]
                let seconds = Self.seconds(clock.now - started)
                try recordEvent(s, at: nowText, manifest: m, action: .unchanged, submission: id, replaced: nil, hashes: hashes,
                                rows: rows, findings: findings, seconds: seconds, paths: checked.paths)
                return LoadResult(action: .unchanged, unit: checked.unit, period: p, submissionID: id, replacedSubmissionID: nil,
                                  rows: rows, findings: findings, seconds: seconds)
            }
            let oldID: Int64? = old?["id"]
            if let oldID {
                try s.execute("UPDATE submission SET status = 'replaced', replaced_at = ? WHERE id = ?", [.text(nowText), .int(oldID)])
            }
            let newID = try insertSubmission(s, manifest: m, json: checked.json, files: files, hashes: hashes, at: nowText)
            let partition = SQLDialect.partitionName(p)
            try s.execute("""
                SET LOCAL client_min_messages = warning;
                CREATE TABLE IF NOT EXISTS \(partition) PARTITION OF person_version FOR VALUES IN ('\(p)');
                """)
            if let oldID {
                try s.execute("""
                    CREATE TEMP TABLE affected ON COMMIT DROP AS
                        SELECT pv.citizen_id FROM person_version pv
                        JOIN person p ON p.citizen_id = pv.citizen_id AND p.submission_id = pv.submission_id
                        WHERE pv.submission_id = \(oldID) AND pv.period = '\(p)';
                    ALTER TABLE affected ADD PRIMARY KEY (citizen_id);
                    DELETE FROM person WHERE citizen_id IN (SELECT citizen_id FROM affected);
                    DELETE FROM person_version WHERE submission_id = \(oldID) AND period = '\(p)';
                    DELETE FROM discrepancy WHERE submission_id = \(oldID);
                    DELETE FROM submission_county WHERE submission_id = \(oldID);
                    """)
            }
            phase("units, previous submission, partition")
            var rows = 0
            var counties: [String: CountyCounts] = [:]
            do {
                try s.copy(table: partition, columns: personVersionColumns) { stream in
                    let sink = CopyRowSink(stream: stream, width: personVersionColumns.count)
                    (rows, counties) = try loadSummary(into: sink, path: files.summary, submission: newID, period: p)
                }
            } catch let e as LoadError where e.description.contains("SQLSTATE 23505") {
                throw LoadError("汇总表中身份证号重复 \(files.summary): an ID appears twice; the file is not a merged summary")
            }
            phase("COPY person_version")
            if rows != checked.summaryRows {
                throw LoadError("汇总表行数与清单不符 \(files.summary) has \(rows) rows, its manifest says \(checked.summaryRows)")
            }
            var findings = 0
            try s.copy(table: "discrepancy", columns: discrepancyColumns) { stream in
                let sink = CopyRowSink(stream: stream, width: discrepancyColumns.count)
                findings = try loadDiscrepancies(into: sink, path: files.discrepancies, submission: newID)
            }
            phase("COPY discrepancy")
            if findings != checked.reportRows {
                throw LoadError("问题报告行数与清单不符 \(files.discrepancies) has \(findings) rows, its manifest says \(checked.reportRows)")
            }
            if oldID != nil {
                try s.execute(rebuildPersonsSQL)
            }
            try s.execute("""
                INSERT INTO person (citizen_id, period, updated_at, submission_id)
                SELECT citizen_id, period, updated_at, submission_id FROM \(partition)
                WHERE submission_id = \(newID)
                ON CONFLICT (citizen_id) DO UPDATE SET period = excluded.period, updated_at = excluded.updated_at,
                    submission_id = excluded.submission_id
                WHERE (excluded.period, excluded.updated_at, excluded.submission_id)
                    > (person.period, person.updated_at, person.submission_id);
                ANALYZE \(partition);
                """)
            phase("current state, ANALYZE")
            try insertCountyCounts(s, submission: newID, counts: counties)
            if let oldID {
                try s.execute("UPDATE submission SET replaced_by = ? WHERE id = ?", [.int(newID), .int(oldID)])
            }
            let seconds = Self.seconds(clock.now - started)
            try recordEvent(s, at: nowText, manifest: m, action: oldID == nil ? .loaded : .replaced, submission: newID,
                            replaced: oldID, hashes: hashes, rows: rows, findings: findings, seconds: seconds,
                            paths: checked.paths)
            return LoadResult(action: oldID == nil ? .loaded : .replaced, unit: checked.unit, period: p, submissionID: newID,
                              replacedSubmissionID: oldID, rows: rows, findings: findings, seconds: seconds)
        }
    }

    static let currentSubmissionSQL = """
        SELECT id, summary_sha256, discrepancies_sha256, manifest_sha256, summary_rows, discrepancies_rows
        FROM submission WHERE unit = ? AND period = ? AND status = 'current'
        """

    /// The persons whose current version was withdrawn fall back to their latest remaining one
    /// (`affected` holds their IDs).
    static let rebuildPersonsSQL = """
        INSERT INTO person (citizen_id, period, updated_at, submission_id)
        SELECT citizen_id, period, updated_at, submission_id FROM (
            SELECT pv.citizen_id, pv.period, pv.updated_at, pv.submission_id,
                   row_number() OVER (PARTITION BY pv.citizen_id
                       ORDER BY pv.period DESC, pv.updated_at DESC, pv.submission_id DESC) AS rn
            FROM affected a JOIN submission s ON s.status = 'current'
            JOIN person_version pv ON pv.submission_id = s.id AND pv.citizen_id = a.citizen_id
        ) ranked WHERE rn = 1
        """

    // MARK: the statements both engines run alike

    static func recordUnits(_ s: SQLSession, manifest: Manifest, config: UnitDirectory?) throws {
        if let config {
            for u in config.units.values.sorted(by: { $0.code < $1.code }) {
                try s.execute("""
                    INSERT INTO unit (code, name, level, parent, source) VALUES (?, ?, ?, ?, 'config')
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                        parent = excluded.parent, source = 'config'
                    """, [.text(u.code), .text(u.name), .text(u.level), SQLValue(u.parent)])
            }
        }
        try s.execute("""
            INSERT INTO unit (code, name, level, parent, source) VALUES (?, ?, ?, NULL, 'manifest')
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level
                WHERE unit.source = 'manifest'
            """, [.text(manifest.unit ?? ""), .text(manifest.unitName ?? ""), .text(manifest.level ?? "")])
        for child in manifest.children?.expected ?? [] {
            try s.execute("""
                INSERT INTO unit (code, name, level, parent, source) VALUES (?, '', '', ?, 'manifest')
                ON CONFLICT (code) DO UPDATE SET parent = excluded.parent
                    WHERE unit.source = 'manifest' AND unit.parent IS NULL
                """, [.text(child), .text(manifest.unit ?? "")])
        }
    }

    static func insertSubmission(_ s: SQLSession, manifest m: Manifest, json: String, files: SubmissionFiles,
                                 hashes: (String, String, String), at: String) throws -> Int64 {
        let a = m.accounting
        let args: [SQLValue] = [
            .text(m.unit ?? ""), .text(m.period ?? ""), .text(m.unitName ?? ""), .text(m.level ?? ""), SQLValue(m.asOf), SQLValue(m.tool),
            SQLValue(m.rules), .text(m.outputs?.summary?.file ?? ""), .text(hashes.0), SQLValue(m.outputs?.summary?.rows),
            .text(m.outputs?.discrepancies?.file ?? ""), .text(hashes.1), SQLValue(m.outputs?.discrepancies?.rows),
            .text((files.manifest as NSString).lastPathComponent), .text(hashes.2), .text(json),
            SQLValue(a?.lines.linesRead), SQLValue(a?.lines.blank), SQLValue(a?.lines.rejected), SQLValue(a?.lines.merged), SQLValue(a?.lines.superseded),
            SQLValue(a?.lines.duplicate), SQLValue(a?.carriedForward), SQLValue(a?.outputRows), .text(at),
        ]
        guard let id: Int64 = try s.value("""
            INSERT INTO submission (unit, period, unit_name, level, as_of, tool, rules,
                summary_file, summary_sha256, summary_rows, discrepancies_file, discrepancies_sha256,
                discrepancies_rows, manifest_file, manifest_sha256, manifest_json,
                lines_read, blank, rejected, merged, superseded, duplicate, carried_forward, output_rows,
                status, loaded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', ?)
            RETURNING id
            """, args) else { throw LoadError("无法记录报送 could not record the submission") }
        for input in m.inputs ?? [] {
            try s.execute("""
                INSERT INTO submission_input (submission_id, file, from_unit, sha256, status,
                    lines_read, blank, rejected, merged, superseded, duplicate)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (submission_id, file) DO UPDATE SET from_unit = excluded.from_unit, sha256 = excluded.sha256,
                    status = excluded.status, lines_read = excluded.lines_read, blank = excluded.blank,
                    rejected = excluded.rejected, merged = excluded.merged, superseded = excluded.superseded,
                    duplicate = excluded.duplicate
                """, [.int(id), .text(input.file ?? ""), .text(input.from ?? ""), .text(input.sha256 ?? ""), .text(input.status ?? ""),
                      SQLValue(input.lines.linesRead), SQLValue(input.lines.blank), SQLValue(input.lines.rejected), SQLValue(input.lines.merged),
                      SQLValue(input.lines.superseded), SQLValue(input.lines.duplicate)])
        }
        let c = m.children
        let expected = Set(c?.expected ?? []), received = Set(c?.received ?? []), missing = Set(c?.missing ?? [])
        let late = Set(c?.late ?? []), rejected = Set(c?.rejected ?? [])
        for child in expected.union(received).union(missing).union(late).union(rejected).sorted() {
            try s.execute("""
                INSERT INTO submission_child (submission_id, child, expected, received, missing, late, rejected)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.int(id), .text(child), SQLValue(expected.contains(child)), SQLValue(received.contains(child)),
                      SQLValue(missing.contains(child)), SQLValue(late.contains(child)), SQLValue(rejected.contains(child))])
        }
        return id
    }

    static func recordEvent(_ s: SQLSession, at: String, manifest: Manifest, action: LoadResult.Action,
                            submission: Int64, replaced: Int64?, hashes: (String, String, String),
                            rows: Int, findings: Int, seconds: Double, paths: String) throws {
        try s.execute("""
            INSERT INTO load_event (at, unit, period, action, submission_id, replaced_submission_id,
                summary_sha256, discrepancies_sha256, manifest_sha256, rows, findings, seconds, paths, tool)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(at), .text(manifest.unit ?? ""), .text(manifest.period ?? ""), .text(action.rawValue), .int(submission),
                  SQLValue(replaced), .text(hashes.0), .text(hashes.1), .text(hashes.2), SQLValue(rows), SQLValue(findings),
                  .double(seconds), .text(paths), .text(Huizong.toolVersion)])
    }

    /// The per-county counts, 500 rows per statement.
    static func insertCountyCounts(_ s: SQLSession, submission: Int64, counts: [String: CountyCounts]) throws {
        let sorted = counts.sorted { $0.key < $1.key }
        var i = 0
        while i < sorted.count {
            let batch = sorted[i..<min(i + 500, sorted.count)]
            var args: [SQLValue] = []
            for (unit, c) in batch {
                args += [.int(submission), .text(unit), SQLValue(c.persons), SQLValue(c.employed), SQLValue(c.noDestination),
                         SQLValue(c.hardshipNoDestination)]
            }
            try s.execute("INSERT INTO submission_county VALUES " + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: batch.count).joined(separator: ", "), args)
            i += 500
        }
    }
}
