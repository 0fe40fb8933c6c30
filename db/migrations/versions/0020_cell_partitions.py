"""The 250 m cell counts are partitioned like the crimes they count (issue 20).

``crime.street_crime_cell`` (revision 0016) was one table: a police.uk file that rebuilt a year of
``crime.street_crime`` on two connections then deleted and re-inserted that year's cell counts in its
final transaction, on one connection (5 s of an 18 s load of a 1,000,000-row file on a stock server,
15 s when the counts were already there). Partitioned by month with the same bounds as
``crime.street_crime``, a rebuilt year's counts are built on the same two connections from the rows
just written, and swapped in with the year's crimes (loaders/police_uk.py).

The partitions mirror those of ``crime.street_crime`` as they are in the database (yearly ones and a
default, revision 0003): the loader swaps a year's crimes and its counts by the same bounds.

Revision ID: 0020_cell_partitions
Revises: 0018_type_words
Create Date: 2026-12-05
"""
from alembic import op

revision = "0020_cell_partitions"
down_revision = "0018_type_words"
branch_labels = None
depends_on = None

COMMENT = """Records of crime.street_crime per month, crime
type and 250 m cell of the British National Grid (cell = ix * 2^18 + iy for the square [ix*250,
(ix+1)*250) x [iy*250, (iy+1)*250); -1 = records without a point), kept by the police.uk loader in the
transaction of each file. Read only for the months listed in crime.street_crime_cell_month. The
hotspot functions count from it instead of reading every point. Partitioned by month with the bounds
of crime.street_crime, so a load that rebuilds a year of crimes swaps in that year''s counts too."""


def _create_cell_table(partitioning: str) -> None:
    """crime.street_crime_cell as revision 0016 made it, plus ``partitioning``."""
    op.execute("""
    CREATE TABLE crime.street_crime_cell (
      month       date NOT NULL,
      crime_type  text NOT NULL,
      cell        bigint NOT NULL,
      records     bigint NOT NULL,
      PRIMARY KEY (month, crime_type, cell)
    )""" + partitioning)


def _partitions_like(source: str, target: str) -> None:
    """One partition of ``crime.<target>`` per partition of ``crime.<source>``, with its bounds."""
    op.execute(f"""
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'crime.{source}'::regclass ORDER BY c.relname
      LOOP
        EXECUTE format('CREATE TABLE crime.%I PARTITION OF crime.{target} %s',
                       '{target}' || substr(r.relname, length('{source}') + 1), r.bound);
      END LOOP;
    END $$""")


def upgrade() -> None:
    op.execute("ALTER TABLE crime.street_crime_cell RENAME TO street_crime_cell_0016")
    op.execute("ALTER TABLE crime.street_crime_cell_0016 RENAME CONSTRAINT street_crime_cell_pkey "
               "TO street_crime_cell_0016_pkey")
    _create_cell_table(" PARTITION BY RANGE (month)")
    _partitions_like("street_crime", "street_crime_cell")
    op.execute("INSERT INTO crime.street_crime_cell SELECT month, crime_type, cell, records "
               "FROM crime.street_crime_cell_0016")
    op.execute("DROP TABLE crime.street_crime_cell_0016")
    op.execute(f"COMMENT ON TABLE crime.street_crime_cell IS '{COMMENT}'")


def downgrade() -> None:
    op.execute("ALTER TABLE crime.street_crime_cell RENAME TO street_crime_cell_0020")
    _create_cell_table("")
    op.execute("INSERT INTO crime.street_crime_cell SELECT month, crime_type, cell, records "
               "FROM crime.street_crime_cell_0020")
    op.execute("DROP TABLE crime.street_crime_cell_0020")
