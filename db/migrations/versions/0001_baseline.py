"""Baseline: extensions, roles with default privileges, reference geography, load provenance.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

ALL_READERS = "safestats_admin, safestats_loader, safestats_analyst, safestats_health"


def upgrade() -> None:
    # Superuser part: extensions and cluster-wide roles (roles may already exist from another
    # SafeStats database in the same cluster, so create them only when missing).
    mh.as_superuser_begin()
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    op.execute("""
    DO $$
    DECLARE r text;
    BEGIN
      FOREACH r IN ARRAY ARRAY['safestats_owner', 'safestats_admin', 'safestats_loader',
                               'safestats_analyst', 'safestats_health', 'safestats_public'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
          EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
      END LOOP;
    END $$""")
    op.execute("GRANT safestats_owner TO safestats_admin")
    op.execute("GRANT safestats_owner TO current_user")
    op.execute("""DO $$ BEGIN
      EXECUTE format('GRANT CREATE, TEMPORARY ON DATABASE %I TO safestats_owner', current_database());
      EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO safestats_admin, safestats_loader, '
                     'safestats_analyst, safestats_health, safestats_public', current_database());
    END $$""")
    # Alembic's own table must stay writable once we act as the owner.
    op.execute("ALTER TABLE public.alembic_version OWNER TO safestats_owner")

    # Default privileges: whatever the owner creates later is granted as it is created.
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC")
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner GRANT SELECT ON TABLES TO {ALL_READERS}")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner "
               "GRANT INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO safestats_admin, safestats_loader")
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner "
               "GRANT USAGE, SELECT ON SEQUENCES TO safestats_admin, safestats_loader")
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner "
               f"GRANT EXECUTE ON FUNCTIONS TO {ALL_READERS}, safestats_public")

    mh.as_owner()
    mh.create_schema("safestats", "SafeStats public API: functions, views, load provenance.",
                     readers=ALL_READERS.split(", ") + ["safestats_public"])
    mh.create_schema("ref", "Reference geography: boroughs, wards, LSOAs, MSOAs by vintage, and lookups.",
                     readers=ALL_READERS.split(", ") + ["safestats_public"])

    op.execute("""
    CREATE TABLE safestats.load (
      load_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source        text NOT NULL,
      file_name     text NOT NULL,
      sha256        text,
      rows_read     integer NOT NULL DEFAULT 0,
      rows_loaded   integer NOT NULL DEFAULT 0,
      rows_rejected integer NOT NULL DEFAULT 0,
      loaded_by     text NOT NULL DEFAULT session_user,
      os_user       text,
      started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
      finished_at   timestamptz,
      duration      interval GENERATED ALWAYS AS (finished_at - started_at) STORED,
      status        text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'loaded', 'failed', 'refused')),
      message       text,
      details       jsonb NOT NULL DEFAULT '{}'::jsonb
    )""")
    op.execute("CREATE INDEX load_source_sha_idx ON safestats.load (source, sha256)")
    op.execute("COMMENT ON TABLE safestats.load IS 'Load provenance: one row per file load attempt "
               "(source, file, sha256, rows read/loaded/rejected, who, when, how long, outcome).'")
    op.execute("""
    CREATE TABLE safestats.load_reject (
      load_id     bigint NOT NULL REFERENCES safestats.load ON DELETE CASCADE,
      line_no     integer NOT NULL,
      column_name text,
      value       text,
      reason      text NOT NULL
    )""")
    op.execute("CREATE INDEX load_reject_load_idx ON safestats.load_reject (load_id, line_no)")
    op.execute("COMMENT ON TABLE safestats.load_reject IS 'Rows a load rejected, with the file line, "
               "column, value and reason (also written to a rejects CSV beside the run).'")

    op.execute("""
    CREATE TABLE ref.area (
      level        text NOT NULL CHECK (level IN ('borough', 'ward', 'lsoa', 'msoa', 'neighbourhood')),
      vintage      smallint NOT NULL,
      code         text NOT NULL,
      name         text NOT NULL,
      parent_code  text,
      approximate  boolean NOT NULL DEFAULT false,
      derivation   text,
      load_id      bigint REFERENCES safestats.load,
      geom         geometry(MultiPolygon, 27700) NOT NULL,
      area_ha      double precision GENERATED ALWAYS AS (ST_Area(geom) / 10000.0) STORED,
      PRIMARY KEY (level, vintage, code)
    )""")
    op.execute("CREATE INDEX area_geom_idx ON ref.area USING gist (geom)")
    op.execute("""COMMENT ON TABLE ref.area IS 'Boundaries of every area level and vintage (EPSG:27700).
parent_code is the borough (E09) of a ward or LSOA. approximate = true marks polygons derived rather
than published (2022 wards dissolved from LSOA 2021 through the ONS best-fit lookup).'""")
    op.execute("""
    CREATE TABLE ref.area_part (
      level   text NOT NULL,
      vintage smallint NOT NULL,
      code    text NOT NULL,
      geom    geometry(Polygon, 27700) NOT NULL,
      FOREIGN KEY (level, vintage, code) REFERENCES ref.area ON DELETE CASCADE
    )""")
    op.execute("CREATE INDEX area_part_geom_idx ON ref.area_part USING gist (geom)")
    op.execute("CREATE INDEX area_part_key_idx ON ref.area_part (level, vintage, code)")
    op.execute("COMMENT ON TABLE ref.area_part IS 'ref.area subdivided into small polygons "
               "(ST_Subdivide): the index behind fast point-in-area assignment.'")
    op.execute("""
    CREATE TABLE ref.area_name (
      level       text NOT NULL,
      vintage     smallint NOT NULL,
      code        text NOT NULL,
      name        text NOT NULL,
      parent_code text,
      load_id     bigint REFERENCES safestats.load,
      PRIMARY KEY (level, vintage, code)
    )""")
    op.execute("COMMENT ON TABLE ref.area_name IS 'Names and parent boroughs of areas as given by "
               "lookup files, known even where no polygon has been published (e.g. 2022 wards).'")
    op.execute("""
    CREATE TABLE ref.area_lookup (
      from_level   text NOT NULL,
      from_vintage smallint NOT NULL,
      from_code    text NOT NULL,
      to_level     text NOT NULL,
      to_vintage   smallint NOT NULL,
      to_code      text NOT NULL,
      weight       double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1),
      method       text NOT NULL CHECK (method IN ('best-fit', 'attribute', 'area-weighted',
                                                   'population-weighted')),
      load_id      bigint REFERENCES safestats.load,
      PRIMARY KEY (from_level, from_vintage, from_code, to_level, to_vintage, to_code)
    )""")
    op.execute("CREATE INDEX area_lookup_to_idx ON ref.area_lookup (to_level, to_vintage, to_code)")
    op.execute("""COMMENT ON TABLE ref.area_lookup IS 'Lookups between areas and vintages. weight is the
share of the from-area that lies in the to-area (1 for best-fit and nesting); method says how it was """
               "made.'")


def downgrade() -> None:
    op.execute("DROP SCHEMA ref CASCADE")
    op.execute("DROP SCHEMA safestats CASCADE")
    mh.as_superuser_begin()
    op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC")
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner REVOKE ALL ON TABLES FROM {ALL_READERS}")
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner "
               f"REVOKE ALL ON SEQUENCES FROM {ALL_READERS}")
    op.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE safestats_owner "
               f"REVOKE ALL ON FUNCTIONS FROM {ALL_READERS}, safestats_public")
    op.execute("""DO $$ BEGIN
      EXECUTE format('REVOKE ALL ON DATABASE %I FROM safestats_owner, safestats_admin, safestats_loader, '
                     'safestats_analyst, safestats_health, safestats_public', current_database());
    END $$""")
    op.execute("ALTER TABLE public.alembic_version OWNER TO current_user")
    op.execute("DROP EXTENSION IF EXISTS fuzzystrmatch")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
    op.execute("DROP EXTENSION IF EXISTS postgis")
    # Roles are cluster-wide and may serve other SafeStats databases: they are left in place.
