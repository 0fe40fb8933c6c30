"""Violence analysis (issue 18): frozen, dated releases of its published tables, and the street-crime
cell counts its hotspots read.

**Releases.** The public reads published A&E figures only from frozen releases (revision 0010:
``open.publish_release``). This revision adds the violence tables to every release:

- ``open.release_violence_cell``: the published (disclosure-controlled) figures of the two-way
  violence tables of each release -- A&E assaults by day of week x hour (``hour_week``) and by borough
  x venue type (``venue_type``) -- with the release whose counts they are (``counted_in``: an earlier
  release when the table moved by fewer than ``open.release_rule.min_changed`` records since, so that
  two releases never differ by a few records in it either);
- ``health.release_violence_count``: the true counts behind them (not published; what the next
  release is compared with);
- ``open.release_violence_ward``: the Gi* class of every 2022 ward in the release;
- ``open.release_violence_borough``: the police-gap figures per borough in the release.

**Street-crime cell counts.** ``crime.street_crime_cell`` holds the records of crime.street_crime per
(month, crime type, 250 m cell of the British National Grid), kept by the police.uk loader in the
transaction of each file; ``crime.street_crime_cell_month`` lists the months whose counts are
complete. Any other write to crime.street_crime marks every month stale (a statement trigger), so the
hotspot functions then count the points again until ``safestats_internal.street_crime_cells_refresh()``
runs: a stale count is never read.

Revision ID: 0016_violence_releases
Revises: 0017_grid_stale_lsoa
Create Date: 2026-12-05
"""
from alembic import op

revision = "0016_violence_releases"
down_revision = "0017_grid_stale_lsoa"
branch_labels = None
depends_on = None

# (ix << 18) + iy of the 250 m cell [ix*250, (ix+1)*250) x [iy*250, (iy+1)*250); -1 = no point
CELL_250 = "CASE WHEN geom IS NULL THEN -1 ELSE (floor(ST_X(geom) / 250)::bigint << 18) " \
           "+ floor(ST_Y(geom) / 250)::bigint END"


def upgrade() -> None:
    # --- releases of the violence tables -------------------------------------------------------------
    op.execute("""
    CREATE TABLE open.release_violence_cell (
      release_id   bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      table_name   text NOT NULL CHECK (table_name IN ('hour_week', 'venue_type')),
      row_key      text,
      col_key      text,
      assaults     bigint,
      suppressed   boolean NOT NULL,
      counted_in   bigint NOT NULL REFERENCES open.release
    )""")
    op.execute("CREATE INDEX release_violence_cell_release_idx "
               "ON open.release_violence_cell (release_id, table_name)")
    op.execute("""COMMENT ON TABLE open.release_violence_cell IS 'The published figures of the violence
tables of each release (hour_week: A&E assaults by day of week x hour; venue_type: by borough x venue
type), cells and totals after disclosure control, frozen when the release was made. Read through
open.violence_ae_hour_week_release and open.violence_ae_venue_type_release.'""")
    op.execute("""
    CREATE TABLE health.release_violence_count (
      release_id   bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      table_name   text NOT NULL CHECK (table_name IN ('hour_week', 'venue_type')),
      row_key      text NOT NULL,
      col_key      text NOT NULL,
      n            bigint NOT NULL,
      PRIMARY KEY (release_id, table_name, row_key, col_key)
    )""")
    op.execute("""COMMENT ON TABLE health.release_violence_count IS 'The true A&E counts behind the violence
tables of each release (before disclosure control): what the next release is compared with. Not
published.'""")
    op.execute("""
    CREATE TABLE open.release_violence_ward (
      release_id   bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      ward_code    text NOT NULL,
      hotspot      text NOT NULL CHECK (hotspot IN ('hot', 'cold', 'not significant')),
      PRIMARY KEY (release_id, ward_code)
    )""")
    op.execute("""COMMENT ON TABLE open.release_violence_ward IS 'Getis-Ord Gi* class of every 2022 ward in
each release (queen contiguity, 5 % false discovery rate), computed from the release''s counts. Read through
open.violence_ae_ward_hotspot_release.'""")
    op.execute("""
    CREATE TABLE open.release_violence_borough (
      release_id       bigint NOT NULL REFERENCES open.release ON DELETE CASCADE,
      borough_code     text NOT NULL,
      ae_assaults      bigint,
      suppressed       boolean NOT NULL,
      police_violence  bigint NOT NULL,
      ratio            double precision,
      ci_low           double precision,
      ci_high          double precision,
      PRIMARY KEY (release_id, borough_code)
    )""")
    op.execute("""COMMENT ON TABLE open.release_violence_borough IS 'The police-gap figures of each release
per borough: the sum of the borough''s published ward counts (withheld when any is), police.uk violence in
the release''s months, ratio with a 95 % interval. Read through open.violence_police_gap_borough_release.'""")

    # --- street-crime counts per 250 m cell, month and crime type ----------------------------------
    op.execute("""
    CREATE TABLE crime.street_crime_cell (
      month       date NOT NULL,
      crime_type  text NOT NULL,
      cell        bigint NOT NULL,
      records     bigint NOT NULL,
      PRIMARY KEY (month, crime_type, cell)
    )""")
    op.execute("""COMMENT ON TABLE crime.street_crime_cell IS 'Records of crime.street_crime per month, crime
type and 250 m cell of the British National Grid (cell = ix * 2^18 + iy for the square [ix*250,
(ix+1)*250) x [iy*250, (iy+1)*250); -1 = records without a point), kept by the police.uk loader in the
transaction of each file. Read only for the months listed in crime.street_crime_cell_month. The
hotspot functions count from it instead of reading every point.'""")
    op.execute("""
    CREATE TABLE crime.street_crime_cell_month (
      month         date PRIMARY KEY,
      refreshed_at  timestamptz NOT NULL DEFAULT now()
    )""")
    op.execute("""COMMENT ON TABLE crime.street_crime_cell_month IS 'Months whose counts in
crime.street_crime_cell are complete. A write to crime.street_crime other than the police.uk loader''s
empties it (trigger street_crime_cells_stale): the hotspot functions then count points until
safestats_internal.street_crime_cells_refresh() runs.'""")
    # The loader sets safestats.street_crime_cells = 'loader' for its own transaction and refreshes the
    # months it wrote itself; any other write makes every month stale. search_path pinned.
    op.execute("""
    CREATE FUNCTION crime.street_crime_cells_stale() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, crime AS $$
    BEGIN
      IF coalesce(current_setting('safestats.street_crime_cells', true), '') <> 'loader' THEN
        DELETE FROM crime.street_crime_cell_month;
      END IF;
      RETURN NULL;
    END $$""")
    op.execute("""COMMENT ON FUNCTION crime.street_crime_cells_stale() IS 'Trigger: a write to
crime.street_crime outside the police.uk loader marks every month of crime.street_crime_cell stale.'""")
    op.execute("CREATE TRIGGER street_crime_cells_stale AFTER INSERT OR UPDATE OR DELETE "
               "ON crime.street_crime FOR EACH STATEMENT EXECUTE FUNCTION crime.street_crime_cells_stale()")
    op.execute("CREATE TRIGGER street_crime_cells_stale_truncate AFTER TRUNCATE ON crime.street_crime "
               "FOR EACH STATEMENT EXECUTE FUNCTION crime.street_crime_cells_stale()")
    op.execute(f"""
    INSERT INTO crime.street_crime_cell (month, crime_type, cell, records)
    SELECT month, crime_type, {CELL_250}, count(*) FROM crime.street_crime GROUP BY 1, 2, 3""")
    op.execute("INSERT INTO crime.street_crime_cell_month (month) "
               "SELECT DISTINCT month FROM crime.street_crime")


def downgrade() -> None:
    # objects db/functions made for this revision's tables
    for view in ("violence_ae_hour_week_release", "violence_ae_month_release",
                 "violence_ae_venue_type_release", "violence_ae_ward_hotspot_release",
                 "violence_police_gap_borough_release"):
        op.execute(f"DROP VIEW IF EXISTS open.{view}")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.violence_publish_release(bigint, integer)")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.street_crime_cells_refresh(date[])")
    op.execute("DROP FUNCTION IF EXISTS safestats_internal.street_crime_cells_ready(date, date)")
    op.execute("DROP TRIGGER IF EXISTS street_crime_cells_stale ON crime.street_crime")
    op.execute("DROP TRIGGER IF EXISTS street_crime_cells_stale_truncate ON crime.street_crime")
    op.execute("DROP FUNCTION IF EXISTS crime.street_crime_cells_stale()")
    op.execute("DROP TABLE IF EXISTS crime.street_crime_cell_month")
    op.execute("DROP TABLE IF EXISTS crime.street_crime_cell")
    op.execute("DROP TABLE IF EXISTS open.release_violence_borough")
    op.execute("DROP TABLE IF EXISTS open.release_violence_ward")
    op.execute("DROP TABLE IF EXISTS health.release_violence_count")
    op.execute("DROP TABLE IF EXISTS open.release_violence_cell")
