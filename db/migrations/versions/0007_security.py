"""Secure hub: approvals per data-sharing organisation, row-level security on A&E records, the
coarsening and auditor roles, the audit log, disclosure-control settings, QGIS catalogue reads.

Model (see docs/security.md):
- ``health.approval`` maps a role (a login role, or a team role it is a member of) to the NHS
  organisation codes whose A&E records it may see. ``health.ae_assault`` has ROW LEVEL SECURITY,
  forced so that even the owner role goes through a policy.
- ``safestats_coarse`` (NOLOGIN, its only member is the owner role) owns the coarsening views in
  db/functions (4xx). It holds SELECT on the coarse columns of ``health.ae_assault`` only (never
  location_text, geom or the geocoder's matched text) and one policy letting it see every row:
  a view owned by it therefore shows all organisations, but nothing finer than ward / LSOA.
- ``safestats_auditor`` (NOLOGIN, no members) is pgaudit's object-audit role: every statement
  that reads ``health.ae_assault`` is written to the server log when pgaudit is preloaded.
- ``audit.access_log`` is the project's own audit, appended to only through the SECURITY DEFINER
  function ``audit.record_access`` (db/functions/400_access.sql).
- ``open`` holds the published, disclosure-controlled aggregates: the only schema
  ``safestats_public`` may read. ``open.disclosure_rule`` is the one setting row.

Revision ID: 0007_security
Revises: 0006_qgis
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0007_security"
down_revision = "0006_qgis"
branch_labels = None
depends_on = None

GROUPS = "safestats_admin, safestats_loader, safestats_analyst, safestats_health, safestats_public"
# Approved organisations of the role running the query: rows granted to it or to any role whose
# privileges it uses (so a team role can be approved once for all its members).
MY_ORGANISATIONS = """
  SELECT a.organisation_code FROM health.approval a
  WHERE a.login_role IN (SELECT r.rolname FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'USAGE'))"""
COARSE_COLUMNS = ("site_code, organisation_code, period_start, period_end, arrival_at, assault_at, "
                  "assault_method, location_type, geocode_level, lsoa21_code, ward22_code, borough_code")


def upgrade() -> None:
    mh.as_superuser_begin()
    op.execute("""
    DO $$
    DECLARE r text;
    BEGIN
      FOREACH r IN ARRAY ARRAY['safestats_coarse', 'safestats_auditor'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
          EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
      END LOOP;
    END $$""")
    op.execute("COMMENT ON ROLE safestats_coarse IS 'Owns the SafeStats coarsening views (ward / LSOA level, "
               "free text withheld); may read only the coarse columns of health.ae_assault. "
               "Never log in as it.'")
    op.execute("COMMENT ON ROLE safestats_auditor IS 'pgaudit object-audit role: reads of the tables it has "
               "SELECT on are written to the server log. Never log in as it.'")
    # The owner must be able to CREATE OR REPLACE the views this role owns.
    op.execute("GRANT safestats_coarse TO safestats_owner")
    # pgaudit: object auditing through the auditor role (a no-op placeholder when pgaudit is absent).
    op.execute("""DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET pgaudit.role = %L', current_database(), 'safestats_auditor');
    END $$""")
    mh.as_owner()

    # --- approvals ------------------------------------------------------------------------
    op.execute("""
    CREATE TABLE health.approval (
      login_role        text NOT NULL,
      organisation_code text NOT NULL,
      granted_by        text NOT NULL DEFAULT session_user,
      granted_at        timestamptz NOT NULL DEFAULT now(),
      note              text,
      PRIMARY KEY (login_role, organisation_code)
    )""")
    op.execute("COMMENT ON TABLE health.approval IS "
               """'Which role may see the A&E records of which data-sharing
organisation (NHS trust code). Managed with `safestats role grant USER safestats_health --organisation CODE`.
Health users see their own rows only.'""")
    op.execute("REVOKE ALL ON health.approval FROM safestats_loader, safestats_analyst")
    op.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON health.approval FROM safestats_loader")
    op.execute("ALTER TABLE health.approval ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY own_approvals ON health.approval FOR SELECT TO safestats_health "
               "USING (login_role IN (SELECT r.rolname FROM pg_roles r "
               "WHERE pg_has_role(current_user, r.oid, 'USAGE')))")

    # --- row-level security on A&E records ------------------------------------------------
    op.execute("ALTER TABLE health.ae_assault ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE health.ae_assault FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY health_approved_organisations ON health.ae_assault FOR SELECT "
               f"TO safestats_health USING (organisation_code IN ({MY_ORGANISATIONS}))")
    op.execute("CREATE POLICY loader_loads ON health.ae_assault FOR ALL TO safestats_loader "
               "USING (true) WITH CHECK (true)")
    # FORCE applies to the owner too; the owner (and admin, its member) maintains the table.
    op.execute("CREATE POLICY owner_maintains ON health.ae_assault FOR ALL TO safestats_owner "
               "USING (true) WITH CHECK (true)")
    # The coarsening views run with the rights of safestats_coarse: all rows, coarse columns only.
    op.execute("CREATE POLICY coarse_views_see_all_rows ON health.ae_assault FOR SELECT "
               "TO safestats_coarse USING (true)")
    op.execute(f"GRANT SELECT ({COARSE_COLUMNS}) ON health.ae_assault TO safestats_coarse")
    op.execute("GRANT USAGE, CREATE ON SCHEMA health TO safestats_coarse")
    op.execute("GRANT SELECT ON health.ae_site TO safestats_coarse")
    op.execute("GRANT SELECT ON health.ae_assault TO safestats_auditor")

    # --- audit ------------------------------------------------------------------------------
    mh.create_schema("audit", "Who read or exported sensitive data, and who changed approvals.",
                     readers=("safestats_admin", "safestats_loader", "safestats_analyst", "safestats_health"))
    op.execute("""
    CREATE TABLE audit.access_log (
      event_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at           timestamptz NOT NULL DEFAULT clock_timestamp(),
      login_role   text NOT NULL DEFAULT session_user,
      acting_role  text NOT NULL,
      action       text NOT NULL,
      object       text NOT NULL,
      rows_seen    bigint,
      detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
      client_addr  inet DEFAULT inet_client_addr(),
      application  text DEFAULT current_setting('application_name', true)
    )""")
    op.execute("CREATE INDEX access_log_at_idx ON audit.access_log (at)")
    op.execute("COMMENT ON TABLE audit.access_log IS "
               """'SafeStats own audit: reads of record-level data through
the access functions, exports, approval changes (who, when, what). Appended to only by audit.record_access();
read with `safestats audit`. Reads made directly with SQL are in the pgaudit server log.'""")
    # Only the admin reads the log; nobody writes it except through audit.record_access (DEFINER).
    op.execute("REVOKE ALL ON audit.access_log FROM safestats_loader, safestats_analyst, safestats_health")

    # --- published aggregates -------------------------------------------------------------------
    mh.create_schema("open",
                     "Published aggregates after disclosure control: the only data safestats_public reads.",
                     readers=GROUPS.split(", "))
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner IN SCHEMA open "
               "GRANT SELECT ON TABLES TO safestats_public")
    op.execute("""
    CREATE TABLE open.disclosure_rule (
      id             boolean PRIMARY KEY DEFAULT true CHECK (id),
      rule           text NOT NULL DEFAULT 'suppress' CHECK (rule IN ('suppress', 'round')),
      threshold      integer NOT NULL DEFAULT 5 CHECK (threshold BETWEEN 2 AND 100),
      rounding_base  integer NOT NULL DEFAULT 5 CHECK (rounding_base BETWEEN 2 AND 100),
      changed_by     text NOT NULL DEFAULT session_user,
      changed_at     timestamptz NOT NULL DEFAULT now()
    )""")
    op.execute("INSERT INTO open.disclosure_rule DEFAULT VALUES")
    op.execute("""COMMENT ON TABLE open.disclosure_rule IS 'The disclosure-control rule every published
aggregate goes through (one row). rule = suppress: counts 1 .. threshold-1 are withheld, plus secondary
suppression so that nothing withheld can be worked out from totals; rule = round: every count and total is
rounded to the nearest rounding_base. Only safestats_admin changes it.'""")
    op.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON open.disclosure_rule FROM safestats_loader")
    op.execute("GRANT SELECT ON open.disclosure_rule TO safestats_public")

    # --- QGIS catalogue reads ---------------------------------------------------------------------
    # QGIS reads geometry_columns / spatial_ref_sys (PostGIS grants them to PUBLIC) and keeps saved
    # styles in public.layer_styles (created by revision 0006_qgis; IF NOT EXISTS keeps this revision
    # correct on its own). Every role reads styles; analysts and health users may save their own.
    mh.as_superuser_begin()
    op.execute("""
    CREATE TABLE IF NOT EXISTS public.layer_styles (
      id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
      f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
      description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml,
      update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar
    )""")
    op.execute("ALTER TABLE public.layer_styles OWNER TO safestats_owner")
    mh.as_owner()
    op.execute(f"GRANT SELECT ON public.layer_styles TO {GROUPS}")
    op.execute("GRANT INSERT, UPDATE, DELETE ON public.layer_styles TO safestats_admin, safestats_analyst, "
               "safestats_health")
    op.execute("GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO safestats_admin, safestats_analyst, "
               "safestats_health")


def downgrade() -> None:
    # public.layer_styles belongs to revision 0006_qgis: only the grants made here are taken back.
    op.execute("REVOKE INSERT, UPDATE, DELETE ON public.layer_styles "
               "FROM safestats_analyst, safestats_health")
    op.execute("REVOKE USAGE ON SEQUENCE public.layer_styles_id_seq FROM safestats_analyst, safestats_health")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner IN SCHEMA open "
               "REVOKE SELECT ON TABLES FROM safestats_public")
    op.execute("DROP SCHEMA open CASCADE")
    op.execute("DROP SCHEMA audit CASCADE")
    op.execute("DROP POLICY coarse_views_see_all_rows ON health.ae_assault")
    op.execute("DROP POLICY owner_maintains ON health.ae_assault")
    op.execute("DROP POLICY loader_loads ON health.ae_assault")
    op.execute("DROP POLICY health_approved_organisations ON health.ae_assault")
    op.execute("ALTER TABLE health.ae_assault NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE health.ae_assault DISABLE ROW LEVEL SECURITY")
    # Views owned by safestats_coarse (db/functions 4xx) go before its privileges do.
    op.execute("""DO $$ DECLARE v record; BEGIN
      FOR v IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
               WHERE r.rolname = 'safestats_coarse' AND c.relkind = 'v' LOOP
        EXECUTE format('DROP VIEW %s CASCADE', v.rel);
      END LOOP; END $$""")
    # Objects db/functions/400_access.sql made in schema health (the baseline's downgrade drops the schema).
    op.execute("DROP FUNCTION IF EXISTS health.ae_assault_read(date, date, text)")
    op.execute("DROP VIEW IF EXISTS health.ae_assault_records")
    op.execute("DROP TABLE health.approval")
    op.execute("REVOKE ALL ON health.ae_assault FROM safestats_coarse, safestats_auditor")
    op.execute("REVOKE ALL ON health.ae_site FROM safestats_coarse")
    op.execute("REVOKE ALL ON SCHEMA health FROM safestats_coarse")
    mh.as_superuser_begin()
    op.execute("""DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I RESET pgaudit.role', current_database());
    END $$""")
    # Roles are cluster-wide (other SafeStats databases may use them): left in place, like the baseline's.
    mh.as_owner()
