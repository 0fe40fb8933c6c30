"""Security hardening (issue 13): the public role writes nothing and executes only the published
schema's read functions; the audit log is written only by the functions doing the audited thing; health
sources' rejected values stay with health roles; the loader reads no A&E free text.

Grants on individual objects that differ from their schema's defaults are declared in
db/access_matrix.toml and applied by ``safestats.db.install_functions`` after every upgrade; this
revision changes the owner's default privileges (which grant new objects as they are created) and
the tables it adds.

Revision ID: 0010_security_hardening
Revises: 0015_planner_statistics
Create Date: 2026-12-05
"""
from alembic import op

revision = "0010_security_hardening"
down_revision = "0015_planner_statistics"
branch_labels = None
depends_on = None

# Approved organisations of the role running the query (as revision 0007's policy on health.ae_assault).
MY_ORGANISATIONS = """
  SELECT a.organisation_code FROM health.approval a
  WHERE a.login_role IN (SELECT r.rolname FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'USAGE'))"""


def upgrade() -> None:
    # --- public executes only the published schema's functions ----------------------------------
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner REVOKE EXECUTE ON FUNCTIONS "
               "FROM safestats_public")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner IN SCHEMA open GRANT EXECUTE ON FUNCTIONS "
               "TO safestats_public")
    op.execute("""DO $$ DECLARE f record; BEGIN
      FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' AND n.nspname <> 'open'
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM safestats_public', f.sig);
      END LOOP; END $$""")


    # --- health sources' rejected values stay with health roles ------------------------------------
    op.execute("""
    CREATE TABLE health.load_reject (
      load_id           bigint NOT NULL REFERENCES safestats.load ON DELETE CASCADE,
      line_no           integer NOT NULL,
      column_name       text,
      value             text,
      reason            text NOT NULL,
      organisation_code text
    )""")
    op.execute("CREATE INDEX load_reject_load_idx ON health.load_reject (load_id, line_no)")
    op.execute("""COMMENT ON TABLE health.load_reject IS 'Rejected rows of health sources (A&E extracts)
with their raw values, which may be free text: readable by health users approved for the organisation
(row-level security) and admins only. safestats.load_reject keeps line, column and reason of the same
rejects, without the value. organisation_code is the organisation whose records the load wrote
(NULL: admins only).'""")
    op.execute("ALTER TABLE health.load_reject ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE health.load_reject FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY health_approved_organisations ON health.load_reject FOR SELECT "
               f"TO safestats_health USING (organisation_code IN ({MY_ORGANISATIONS}))")
    op.execute("CREATE POLICY loader_appends ON health.load_reject FOR INSERT TO safestats_loader "
               "WITH CHECK (true)")
    op.execute("CREATE POLICY owner_maintains ON health.load_reject FOR ALL TO safestats_owner "
               "USING (true) WITH CHECK (true)")
    # Rejects of A&E loads made before this revision: values move to the health table.
    op.execute("""
    INSERT INTO health.load_reject (load_id, line_no, column_name, value, reason, organisation_code)
    SELECT r.load_id, r.line_no, r.column_name, r.value, r.reason,
           (SELECT CASE WHEN count(DISTINCT a.organisation_code) = 1 THEN min(a.organisation_code) END
            FROM health.ae_assault a WHERE a.load_id = r.load_id)
    FROM safestats.load_reject r JOIN safestats.load l ON l.load_id = r.load_id
    WHERE l.source = 'istv' AND r.value IS NOT NULL""")
    op.execute("""UPDATE safestats.load_reject r SET value = NULL FROM safestats.load l
                  WHERE l.load_id = r.load_id AND l.source = 'istv' AND r.value IS NOT NULL""")
    op.execute("""COMMENT ON TABLE safestats.load_reject IS 'Rows a load rejected, with the file line, column,
value and reason (also written to a rejects CSV, mode 0600). For health sources (A&E) the value is withheld
here (NULL) and kept in health.load_reject, readable by approved health users only.'""")

    # --- loads whose process was killed: 'interrupted' (db/functions/130_load_interrupted.sql) ------
    op.execute("ALTER TABLE safestats.load DROP CONSTRAINT load_status_check")
    op.execute("ALTER TABLE safestats.load ADD CONSTRAINT load_status_check "
               "CHECK (status IN ('running', 'loaded', 'failed', 'refused', 'interrupted'))")

    # --- frozen, dated releases: what the public reads (db/functions/430_open_releases.sql) ----------
    op.execute("""
    CREATE TABLE open.release_rule (
      id           boolean PRIMARY KEY DEFAULT true CHECK (id),
      min_days     integer NOT NULL DEFAULT 28 CHECK (min_days >= 0),
      min_changed  integer NOT NULL DEFAULT 20 CHECK (min_changed >= 0),
      changed_by   text NOT NULL DEFAULT session_user,
      changed_at   timestamptz NOT NULL DEFAULT now()
    )""")
    op.execute("INSERT INTO open.release_rule DEFAULT VALUES")
    op.execute("""COMMENT ON TABLE open.release_rule IS 'When a new release of the published A&E tables may be
made (one row; admin only): at least min_days after the last, and only when at least min_changed records
differ from it, so that no record can be isolated by comparing two releases.'""")
    op.execute("""
    CREATE TABLE open.release (
      release_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      released_at  timestamptz NOT NULL DEFAULT now(),
      released_by  text NOT NULL DEFAULT session_user,
      note         text,
      records      bigint NOT NULL
    )""")
    op.execute("COMMENT ON TABLE open.release IS 'Dated releases of the published A&E tables "
               "(open.publish_release): when, by whom, how many records they count.'")
    op.execute("""
    CREATE TABLE open.release_ward_month (
      release_id   bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      ward_code    text,
      month        text,
      assaults     bigint,
      suppressed   boolean NOT NULL
    )""")
    op.execute("CREATE INDEX release_ward_month_release_idx ON open.release_ward_month (release_id)")
    op.execute("""COMMENT ON TABLE open.release_ward_month IS 'The published figures of each release (ward x
month, ward totals, London totals, grand total) after disclosure control: frozen when the release was made.
Read through open.ae_assault_ward_month_release.'""")
    op.execute("""
    CREATE TABLE health.release_count (
      release_id   bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      ward_code    text NOT NULL,
      month        text NOT NULL,
      n            bigint NOT NULL,
      PRIMARY KEY (release_id, ward_code, month)
    )""")
    op.execute("""COMMENT ON TABLE health.release_count IS 'The true A&E counts by ward and month behind each
release (before disclosure control): what the next release is compared with. Not published.'""")

    # --- review decisions' texts: health users and admins only -------------------------------------
    # Table and column grants of gazetteer.alias come from db/access_matrix.toml (install_functions);
    # the geocoder reads decisions through safestats_internal.geocode_alias_lookup (DEFINER).


def downgrade() -> None:
    # objects db/functions made for this revision's model
    op.execute("DROP VIEW IF EXISTS gazetteer.alias_decision")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.geocode_alias_lookup(text, text)")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.geocode_alias_check(text)")
    op.execute("DROP TRIGGER IF EXISTS approval_audit ON health.approval")
    op.execute("DROP FUNCTION IF EXISTS audit.approval_changed()")
    op.execute("DROP FUNCTION IF EXISTS audit.record_export(text, text, text)")
    op.execute("UPDATE safestats.load SET status = 'failed' WHERE status = 'interrupted'")
    op.execute("ALTER TABLE safestats.load DROP CONSTRAINT load_status_check")
    op.execute("ALTER TABLE safestats.load ADD CONSTRAINT load_status_check "
               "CHECK (status IN ('running', 'loaded', 'failed', 'refused'))")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.mark_interrupted_loads()")
    op.execute("""UPDATE safestats.load_reject r SET value = h.value FROM health.load_reject h
                  WHERE h.load_id = r.load_id AND h.line_no = r.line_no
                    AND h.column_name IS NOT DISTINCT FROM r.column_name AND h.reason = r.reason""")
    op.execute("DROP TABLE health.load_reject")
    op.execute("DROP VIEW IF EXISTS open.ae_assault_ward_release")
    op.execute("DROP VIEW IF EXISTS open.ae_assault_ward_month_release")
    op.execute("DROP FUNCTION IF EXISTS open.publish_release(text, integer, integer)")
    op.execute("DROP TABLE health.release_count")
    op.execute("DROP TABLE open.release_ward_month")
    op.execute("DROP TABLE open.release")
    op.execute("DROP TABLE open.release_rule")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner IN SCHEMA open REVOKE EXECUTE ON FUNCTIONS "
               "FROM safestats_public")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner GRANT EXECUTE ON FUNCTIONS "
               "TO safestats_public")
