"""Postcode sectors and districts seen from each A&E site (issue 14).

A text giving only a postcode sector or district ("SE15 4", "N13 only") was answered with the centre of
all of that code's postcodes; a district is several kilometres across, so the true place was within 1 km
of that centre about half the time. The record's reporting A&E site says more: most assaults are treated
at the A&E nearest to where they happened. ``gazetteer.code_catchment`` holds, for each sector and
district and each A&E site nearest to some of its postcodes, the centre and spread of those postcodes
(the part of the code in that site's catchment). The geocoder answers a sector or district recorded by a
site with that part's centre when the site's catchment holds a real share of the code, and says so in
``explain``. Rebuilt with the gazetteer (``safestats_internal.gazetteer_rebuild``,
db/functions/210_gazetteer_rebuild.sql).

Revision ID: 0021_code_catchment
Revises: 0020_cell_partitions
Create Date: 2026-12-07
"""
from alembic import op

revision = "0021_code_catchment"
down_revision = "0020_cell_partitions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE gazetteer.code_catchment (
      level      text NOT NULL CHECK (level IN ('sector', 'district')),
      code       text NOT NULL,
      site_code  text NOT NULL,
      geom       geometry(Point, 27700) NOT NULL,
      radius_m   real NOT NULL,
      postcodes  integer NOT NULL,
      share      real NOT NULL,
      PRIMARY KEY (level, code, site_code)
    )""")
    op.execute("COMMENT ON TABLE gazetteer.code_catchment IS 'For each postcode sector and district and "
               "each A&E site that is the nearest site to some of its postcodes: the centre of those "
               "postcodes, the distance within which 60% of them lie, how many they are and their share of "
               "the code. Rebuilt with the gazetteer; the geocoder answers a sector or district recorded by "
               "that site with it.'")
    op.execute("COMMENT ON COLUMN gazetteer.code_catchment.code IS 'The sector or district as "
               "gazetteer.feature names it (\"SE15 4\", \"SE15\").'")
    op.execute("COMMENT ON COLUMN gazetteer.code_catchment.site_code IS 'The A&E site (health.ae_site) "
               "nearest to these postcodes.'")
    op.execute("COMMENT ON COLUMN gazetteer.code_catchment.share IS 'Share of the code''s postcodes "
               "nearest to this site (0-1).'")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS gazetteer.code_catchment")
