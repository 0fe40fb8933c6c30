"""The LSOA grid is emptied only when LSOA 2021 polygons change (issue 20).

``ref.lsoa_grid`` lists the 32 m cells lying wholly inside one LSOA 2021 (revision 0008). Until this
revision any statement on ``ref.area_part`` emptied it, whatever level it touched: loading the ward
profiles (which subdivide the 2011 wards) or building an area lookup threw the grid away, and the next
police.uk load spent seconds (tens of seconds on a busy stock server) rebuilding it. The triggers now
look at the rows the statement changed (transition tables) and empty the grid only when one of them
is an LSOA 2021 part; a TRUNCATE of ``ref.area_part`` still empties it unconditionally.

Revision ID: 0017_grid_stale_lsoa
Revises: 0010_security_hardening
Create Date: 2026-12-05
"""
from alembic import op

revision = "0017_grid_stale_lsoa"
down_revision = "0010_security_hardening"
branch_labels = None
depends_on = None

# (trigger, event, transition tables)
TRIGGERS = [
    ("area_part_grid_stale_insert", "INSERT", "NEW TABLE AS new_rows"),
    ("area_part_grid_stale_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("area_part_grid_stale_delete", "DELETE", "OLD TABLE AS old_rows"),
]


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS area_part_grid_stale ON ref.area_part")
    # Each branch names only the transition tables its event has (PL/pgSQL plans a statement when it
    # first runs, so the other branch's table is never looked up).
    op.execute("""
    CREATE FUNCTION ref.lsoa_grid_invalidate_lsoa() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, ref AS $$
    BEGIN
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF EXISTS (SELECT 1 FROM new_rows WHERE level = 'lsoa' AND vintage = 2021) THEN
          TRUNCATE ref.lsoa_grid;
          RETURN NULL;
        END IF;
      END IF;
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        IF EXISTS (SELECT 1 FROM old_rows WHERE level = 'lsoa' AND vintage = 2021) THEN
          TRUNCATE ref.lsoa_grid;
        END IF;
      END IF;
      RETURN NULL;
    END $$""")
    op.execute("""COMMENT ON FUNCTION ref.lsoa_grid_invalidate_lsoa() IS 'Trigger: empties ref.lsoa_grid
when a statement on ref.area_part inserted, changed or deleted an LSOA 2021 part (other levels leave the
grid alone), so the grid never disagrees with safestats.area_at.'""")
    for name, event, tables in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON ref.area_part REFERENCING {tables} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ref.lsoa_grid_invalidate_lsoa()")


def downgrade() -> None:
    for name, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON ref.area_part")
    op.execute("DROP FUNCTION IF EXISTS ref.lsoa_grid_invalidate_lsoa()")
    op.execute("CREATE TRIGGER area_part_grid_stale AFTER INSERT OR UPDATE OR DELETE ON ref.area_part "
               "FOR EACH STATEMENT EXECUTE FUNCTION ref.lsoa_grid_invalidate()")
