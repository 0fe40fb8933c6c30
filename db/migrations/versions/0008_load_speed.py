"""Load speed (and one count table for the analysts): a grid of cells that lie wholly inside one
LSOA 2021, so most points get their LSOA by an integer-key hash join instead of a point-in-polygon
test.

``ref.lsoa_grid`` (cell, code): cell is ``safestats.grid_cell(point)`` (32 m squares on the
British National Grid, keyed as one bigint); a cell is listed only when it lies in the interior of
one LSOA 2021 and touches no other. The builder ``safestats.refresh_lsoa_grid()`` lives in
db/functions/120_area_grid.sql. Any change to ``ref.area_part`` empties the grid (a trigger), and the
next load or ``safestats reference`` rebuilds it, so a stale grid can never answer.

``crime.street_crime_month_type`` holds the records per (force, month, crime type), kept by the
police.uk loader, so London-wide counts by type and month need not read every record.

Revision ID: 0008_load_speed
Revises: 0007_security
Create Date: 2026-11-25
"""
from alembic import op

revision = "0008_load_speed"
down_revision = "0007_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # London-wide counts by crime type and month read 15 million rows (1.8 s on the benchmark
    # machine); the loader keeps this small count table in the same transaction as each slice.
    op.execute("""
    CREATE TABLE crime.street_crime_month_type (
      force      text NOT NULL,
      month      date NOT NULL,
      crime_type text NOT NULL,
      records    bigint NOT NULL,
      PRIMARY KEY (month, force, crime_type)
    )""")
    op.execute("""COMMENT ON TABLE crime.street_crime_month_type IS 'Records of crime.street_crime per
(force, month, crime type), kept by the police.uk loader in the same transaction as the rows (a
reloaded slice replaces its counts). For London-wide counts by type and month without reading
every record: SELECT month, crime_type, sum(records) FROM crime.street_crime_month_type GROUP BY 1, 2.'""")
    op.execute("""
    INSERT INTO crime.street_crime_month_type (force, month, crime_type, records)
    SELECT force, month, crime_type, count(*) FROM crime.street_crime GROUP BY 1, 2, 3""")
    op.execute("""
    CREATE TABLE ref.lsoa_grid (
      cell bigint PRIMARY KEY,
      code text NOT NULL
    )""")
    op.execute("""COMMENT ON TABLE ref.lsoa_grid IS 'Cells of 32 m (safestats.grid_cell) lying wholly inside
one LSOA 2021 and touching no other: the fast path of area assignment on load. Rebuilt by
safestats.refresh_lsoa_grid(); emptied whenever ref.area_part changes.'""")
    # Runs as whoever changes the boundaries (admin or loader: both hold TRUNCATE on ref tables by
    # the default privileges); search_path pinned so the body cannot be redirected.
    op.execute("""
    CREATE FUNCTION ref.lsoa_grid_invalidate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, ref AS $$
    BEGIN
      TRUNCATE ref.lsoa_grid;
      RETURN NULL;
    END $$""")
    op.execute("""COMMENT ON FUNCTION ref.lsoa_grid_invalidate() IS 'Trigger: empties ref.lsoa_grid when
the subdivided polygons change, so the grid never disagrees with safestats.area_at.'""")
    for event in ("INSERT OR UPDATE OR DELETE", "TRUNCATE"):
        name = "area_part_grid_stale" + ("_truncate" if event == "TRUNCATE" else "")
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON ref.area_part "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ref.lsoa_grid_invalidate()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS area_part_grid_stale ON ref.area_part")
    op.execute("DROP TRIGGER IF EXISTS area_part_grid_stale_truncate ON ref.area_part")
    op.execute("DROP FUNCTION IF EXISTS ref.lsoa_grid_invalidate()")
    op.execute("DROP TABLE IF EXISTS ref.lsoa_grid")
    op.execute("DROP TABLE IF EXISTS crime.street_crime_month_type")
