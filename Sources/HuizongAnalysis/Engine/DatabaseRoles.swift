/// Who may read what on the PostgreSQL national database (`aggregate db init-roles`):
/// - `huizong_loader`: owns the schema (tables, views, partitions) and loads; sees every row;
/// - `huizong_auditor`: reads everything but the contact columns (手机号码, 固定电话, 电子邮箱, 邮政编码);
/// - `huizong_analyst_<province code>` (e.g. `huizong_analyst_110000`), members of
///   `huizong_analyst`: read the persons of their province's subtree only — row-level security
///   on `person_version` (and so each partition, reached only through it), `person`,
///   `discrepancy`, `submission_county` and `submission` — through the views without contact
///   columns; they cannot write.
/// Roles are created NOLOGIN: grant them to login roles (`GRANT huizong_analyst_110000 TO alice`).
/// Idempotent: run again after new provinces appear.
public enum DatabaseRoles {
    /// The provinces of the analyst roles the current user is (a member of), from the roles'
    /// own names (`huizong_analyst_` is 16 characters): one policy for every province, with no
    /// table of roles to keep in step; a login granted `huizong_analyst_110000` needs no SET ROLE.
    static func inProvince(_ column: String) -> String {
        "substr(\(column), 1, 2) || '0000' IN (SELECT huizong_my_provinces())"
    }

    static let provincesFunction = """
        CREATE OR REPLACE FUNCTION huizong_my_provinces() RETURNS SETOF text LANGUAGE sql STABLE AS $f$
            SELECT substr(r.rolname, 17) FROM pg_roles r
            WHERE r.rolname LIKE 'huizong\\_analyst\\_%' AND pg_has_role(current_user, r.oid, 'MEMBER')
        $f$;

        """

    /// Contact columns: never readable by analysts or auditors.
    public static let contactColumns: Set<String> = ["mobile", "landline", "email", "postcode"]

    public static func sql(provinces: [String]) -> String {
        var s = """
        SET client_min_messages = warning;
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huizong_loader') THEN CREATE ROLE huizong_loader NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huizong_auditor') THEN CREATE ROLE huizong_auditor NOLOGIN; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huizong_analyst') THEN CREATE ROLE huizong_analyst NOLOGIN; END IF;
        END $$;

        """
        for p in provinces where p.count == 6 && p.allSatisfy(\.isNumber) {
            s += """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huizong_analyst_\(p)') THEN
                    CREATE ROLE huizong_analyst_\(p) NOLOGIN IN ROLE huizong_analyst;
                END IF;
            END $$;

            """
        }
        let personal = ["person_version", "person", "discrepancy", "submission_county", "submission"]
        let metadata = ["unit", "code_label", "submission_child", "submission_input", "load_event", "schema_migration"]
        let personColumnsNoContact = (["submission_id", "citizen_id", "period", "line"] + NationalDatabase.personColumns)
            .filter { !contactColumns.contains($0) }
        s += """
        \(provincesFunction)
        GRANT USAGE ON SCHEMA public TO huizong_loader, huizong_auditor, huizong_analyst;
        GRANT CREATE ON SCHEMA public TO huizong_loader;
        -- Views read with the reader's rights (PostgreSQL 15), so the row policies apply through them.
        ALTER VIEW person_period SET (security_invoker = true);
        ALTER VIEW person_period_contact SET (security_invoker = true);
        ALTER VIEW person_current SET (security_invoker = true);
        ALTER VIEW person_history SET (security_invoker = true);
        ALTER VIEW destination_change SET (security_invoker = true);
        GRANT SELECT ON \((personal + metadata).filter { $0 != "person_version" }.joined(separator: ", ")) TO huizong_auditor;
        GRANT SELECT (\(personColumnsNoContact.joined(separator: ", "))) ON person_version TO huizong_auditor, huizong_analyst;
        GRANT SELECT ON person_period, person_history, destination_change TO huizong_auditor, huizong_analyst;
        GRANT SELECT ON person, discrepancy, submission_county, submission, unit, code_label TO huizong_analyst;

        """
        let policies: [(String, String)] = [
            ("person_version", inProvince("registering_unit")),
            ("submission_county", inProvince("registering_unit")),
            ("discrepancy", inProvince("source_unit")),
            ("submission", "unit = '000000' OR \(inProvince("unit"))"),
            ("person", """
                EXISTS (SELECT 1 FROM person_version pv WHERE pv.submission_id = person.submission_id
                        AND pv.citizen_id = person.citizen_id AND \(inProvince("pv.registering_unit")))
                """),
        ]
        for (table, predicate) in policies {
            s += """
            ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
            DROP POLICY IF EXISTS huizong_analyst_province ON \(table);
            CREATE POLICY huizong_analyst_province ON \(table) FOR SELECT TO huizong_analyst USING (\(predicate));
            DROP POLICY IF EXISTS huizong_all_rows ON \(table);
            CREATE POLICY huizong_all_rows ON \(table) FOR SELECT TO huizong_auditor USING (true);

            """
        }
        // The loader owns everything (so it creates the partitions and bypasses the policies).
        s += """
        DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') LOOP
                EXECUTE format('ALTER %s %I OWNER TO huizong_loader',
                               CASE WHEN r.relkind = 'v' THEN 'VIEW' ELSE 'TABLE' END, r.relname);
            END LOOP;
        END $$;

        """
        return s
    }

    /// Provinces: the config's, else the unit table's `xx0000` codes (not 000000).
    public static func provinces(_ s: SQLSession, config: UnitDirectory?) throws -> [String] {
        var codes = Set<String>()
        if let config { codes.formUnion(config.units.keys.filter { $0.hasSuffix("0000") && $0 != "000000" }) }
        let known: [String] = try s.column("SELECT code FROM unit WHERE code LIKE '__0000' AND code <> '000000'")
        codes.formUnion(known)
        let fromRows: [String] = try s.column("SELECT DISTINCT substr(registering_unit, 1, 2) || '0000' FROM submission_county")
        codes.formUnion(fromRows.filter { $0 != "000000" })
        return codes.sorted()
    }
}
