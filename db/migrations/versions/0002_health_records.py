"""A&E assault records (ISTV minimum dataset, ISB 1594) and the A&E sites they come from.

Defined early because the loaders (which fill it), the geocoder (which locates its free text) and
the security layer (row-level security per data-sharing organisation) all meet at this table.

Revision ID: 0002_health_records
Revises: 0001_baseline
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0002_health_records"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mh.create_schema("health", "Record-level health data: A&E assault attendances (ISTV). Sensitive.",
                     readers=("safestats_admin", "safestats_loader", "safestats_analyst", "safestats_health"))
    op.execute("""
    CREATE TABLE health.ae_site (
      site_code          text PRIMARY KEY,
      site_name          text NOT NULL,
      organisation_code  text NOT NULL,
      organisation_name  text,
      icb_code           text,
      site_type          text NOT NULL DEFAULT 'other'
                         CHECK (site_type IN ('type1-ed', 'utc', 'walk-in', 'eye', 'other')),
      geom               geometry(Point, 27700),
      load_id            bigint REFERENCES safestats.load
    )""")
    op.execute("""COMMENT ON TABLE health.ae_site IS 'London urgent and emergency care sites (NHS ODS site
codes) that send ISTV extracts; site_type marks Type 1 emergency departments. organisation_code is the
data-sharing organisation (NHS trust) that row-level security is granted by.'""")
    op.execute("""
    CREATE TABLE health.ae_assault (
      record_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      load_id              bigint NOT NULL REFERENCES safestats.load,
      source_line          integer,
      site_code            text NOT NULL,
      organisation_code    text NOT NULL,
      period_start         date NOT NULL,
      period_end           date NOT NULL CHECK (period_end >= period_start),
      arrival_at           timestamptz,
      assault_at           timestamptz,
      assault_method       text,
      assault_method_other text,
      location_type        text,
      location_text        text,
      geom                 geometry(Point, 27700),
      geocode_confidence   real,
      geocode_radius_m     real,
      geocode_level        text,
      geocode_matched      text,
      geocode_ambiguous    boolean,
      geocode_version      text,
      lsoa21_code          text,
      ward22_code          text,
      borough_code         text
    )""")
    op.execute("CREATE INDEX ae_assault_site_period_idx ON health.ae_assault (site_code, period_start)")
    op.execute("CREATE INDEX ae_assault_org_idx ON health.ae_assault (organisation_code)")
    op.execute("CREATE INDEX ae_assault_geom_idx ON health.ae_assault USING gist (geom)")
    op.execute("COMMENT ON TABLE health.ae_assault IS "
               """'A&E assault attendances, ISTV minimum dataset (ISB 1594):
one row per attendance. A hospital extract is keyed by site + reporting period: a resubmitted period
replaces the old one. location_text is the free text typed at reception; geom and geocode_* are what
safestats.geocode() made of it; lsoa21_code / ward22_code / borough_code are assigned from geom.
Record-level: readable only by approved roles (safestats_health).'""")
    # Record-level A&E data is not for analysts in general (the default privileges would grant it).
    op.execute("REVOKE SELECT ON health.ae_assault FROM safestats_analyst")


def downgrade() -> None:
    op.execute("DROP TABLE health.ae_assault")
    op.execute("DROP TABLE health.ae_site")
    op.execute("DROP SCHEMA health")
