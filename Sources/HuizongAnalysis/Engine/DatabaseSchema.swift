import HuizongCore

/// The schema's migrations, one list for both engines, applied in order and never edited once
/// shipped (add one instead). SQLite records them in GRDB's `grdb_migrations`; PostgreSQL in
/// `schema_migration`. Each text is SQLite's; `SQLDialect.ddl` makes PostgreSQL's.
public enum DatabaseSchema {
    public struct Migration: Sendable {
        public var name: String
        public var sql: String
    }

    public static let migrations: [Migration] = [
        Migration(name: "v1-schema", sql: NationalDatabase.schemaV1),
        Migration(name: "v2-analysts", sql: v2Analysts),
    ]

    /// Issue 13 (analysts): the codebook in the database, the one-row-per-person-per-period view
    /// with names and labels, and the indexes the documented queries use.
    static var v2Analysts: String {
        var rows: [String] = []
        for (field, options) in Codebook.fields {
            for o in options { rows.append("('\(field)', '\(o.code)', '\(o.label)')") }
        }
        return """
        -- 代码表 The codebook (附件1): every code's Chinese label, by column.
        CREATE TABLE code_label (
            field TEXT NOT NULL,
            code TEXT NOT NULL,
            label TEXT NOT NULL,
            PRIMARY KEY (field, code)
        ) WITHOUT ROWID;
        INSERT INTO code_label (field, code, label) VALUES \(rows.joined(separator: ", "));

        -- One row per person per period, of current submissions only, with the province, city
        -- and county (codes and names) and the single-choice codes' labels. Contact columns are
        -- not in it (person_period_contact has them, for the roles that need them).
        CREATE VIEW person_period AS
            SELECT pv.period, pv.citizen_id, pv.name, pv.sex, pv.ethnic_group, pv.school, pv.graduation_date,
                   pv.education, edu.label AS education_label, pv.major, pv.hukou, pv.hardship,
                   pv.workplace_intent, wpi.label AS workplace_intent_label, pv.intentions, pv.service_needs,
                   pv.destination, COALESCE(dst.label, '') AS destination_label, pv.updated_at,
                   substr(pv.registering_unit, 1, 2) || '0000' AS province_code, COALESCE(prov.name, '') AS province_name,
                   substr(pv.registering_unit, 1, 4) || '00' AS city_code, COALESCE(city.name, '') AS city_name,
                   pv.registering_unit AS county_code, COALESCE(cty.name, '') AS county_name,
                   s.unit AS loaded_unit, pv.submission_id
            FROM person_version pv
            JOIN submission s ON s.id = pv.submission_id AND s.status = 'current'
            LEFT JOIN code_label edu ON edu.field = 'education' AND edu.code = pv.education
            LEFT JOIN code_label wpi ON wpi.field = 'workplace_intent' AND wpi.code = pv.workplace_intent
            LEFT JOIN code_label dst ON dst.field = 'destination' AND dst.code = pv.destination
            LEFT JOIN unit prov ON prov.code = substr(pv.registering_unit, 1, 2) || '0000'
            LEFT JOIN unit city ON city.code = substr(pv.registering_unit, 1, 4) || '00'
            LEFT JOIN unit cty ON cty.code = pv.registering_unit;

        CREATE VIEW person_period_contact AS
            SELECT pp.*, pv.mobile, pv.landline, pv.email, pv.postcode
            FROM person_period pp
            JOIN person_version pv ON pv.submission_id = pp.submission_id AND pv.citizen_id = pp.citizen_id;

        -- The documented queries (docs/database.md, recipes) read one period's rows: the key of
        -- person_version starts with submission_id, so they need no other index on it (and a
        -- million-row load pays for none). Findings are looked up by ID.
        CREATE INDEX discrepancy_citizen ON discrepancy (citizen_id);
        CREATE INDEX discrepancy_rule ON discrepancy (submission_id, rule, source_unit);

        -- Whole-tree completeness (issue 13): for every current submission, every unit of the
        -- loaded unit's subtree as the unit table knows it (pipeline.json's units when loaded
        -- with --config; else the manifests' expected children), and whether it reported for
        -- the period: 'missing' when its parent raised CHILD_MISSING for it (or its parent is
        -- missing: nothing of its subtree arrived), 'late' for CHILD_LATE, else 'on_time'. The
        -- findings travel upward with the reports, so the ministry's submission knows every
        -- level's missing and late children.
        CREATE VIEW unit_completeness AS
            WITH RECURSIVE tree (submission_id, period, loaded_unit, code, depth, status) AS (
                SELECT s.id, s.period, s.unit, s.unit, 0, CAST('loaded' AS TEXT)
                FROM submission s WHERE s.status = 'current'
                UNION ALL
                SELECT t.submission_id, t.period, t.loaded_unit, u.code, t.depth + 1,
                       CASE WHEN t.status = 'missing' THEN CAST('missing' AS TEXT)
                            WHEN EXISTS (SELECT 1 FROM discrepancy d WHERE d.submission_id = t.submission_id
                                         AND d.rule = 'CHILD_MISSING' AND d.source_unit = u.code) THEN CAST('missing' AS TEXT)
                            WHEN EXISTS (SELECT 1 FROM discrepancy d WHERE d.submission_id = t.submission_id
                                         AND d.rule = 'CHILD_LATE' AND d.source_unit = u.code) THEN CAST('late' AS TEXT)
                            ELSE CAST('on_time' AS TEXT) END
                FROM tree t JOIN unit u ON u.parent = t.code
                WHERE t.depth < 8
            )
            SELECT t.submission_id, t.period, t.loaded_unit, t.code AS unit, COALESCE(u.name, '') AS name,
                   COALESCE(u.level, '') AS level, u.parent, t.depth, t.status
            FROM tree t LEFT JOIN unit u ON u.code = t.code
            WHERE t.depth > 0;
        """
    }
}

extension Codebook {
    /// Every coded column of the summary table with its options, by database column name (the
    /// `code_label` table).
    public static let fields: [(column: String, options: [Option])] = [
        ("education", education), ("hardship", hardship), ("workplace_intent", workplaceIntent),
        ("intentions", intentions), ("service_needs", serviceNeeds), ("destination", destination),
    ]
}
