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

    # --- review decisions' texts: health users and admins only -------------------------------------
    # Table and column grants of gazetteer.alias come from db/access_matrix.toml (install_functions);
    # the geocoder reads decisions through safestats.geocode_alias_lookup (DEFINER).


def downgrade() -> None:
    op.execute("UPDATE safestats.load SET status = 'failed' WHERE status = 'interrupted'")
    op.execute("ALTER TABLE safestats.load DROP CONSTRAINT load_status_check")
    op.execute("ALTER TABLE safestats.load ADD CONSTRAINT load_status_check "
               "CHECK (status IN ('running', 'loaded', 'failed', 'refused'))")
    op.execute("DROP FUNCTION IF EXISTS safestats.mark_interrupted_loads()")
    op.execute("""UPDATE safestats.load_reject r SET value = h.value FROM health.load_reject h
                  WHERE h.load_id = r.load_id AND h.line_no = r.line_no
                    AND h.column_name IS NOT DISTINCT FROM r.column_name AND h.reason = r.reason""")
    op.execute("DROP TABLE health.load_reject")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner IN SCHEMA open REVOKE EXECUTE ON FUNCTIONS "
               "FROM safestats_public")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner GRANT EXECUTE ON FUNCTIONS "
               "TO safestats_public")
