"""Extended planner statistics on the columns SafeStats always filters together (issue 19).

The reference and Landscape tables are filtered on several columns at once that depend on each other
(``level = 'ward' AND vintage = 2014``; a lookup's from/to level and vintage; an indicator's level
and vintage). The planner multiplies their selectivities as if independent and, with every table
freshly analysed, still expected 42 rows of ``ref.area_lookup`` where 788 came. Dependency and MCV
statistics over the column groups (filled by the ANALYZE each load runs) fix such estimates.

Revision ID: 0015_planner_statistics
Revises: 0013_internal_schema
Create Date: 2026-12-05
"""
from alembic import op

revision = "0015_planner_statistics"
down_revision = "0013_internal_schema"
branch_labels = None
depends_on = None

# (statistics object, table, columns)
STATISTICS = [
    ("ref.area_level_vintage_stats", "ref.area", "level, vintage"),
    ("ref.area_part_level_vintage_stats", "ref.area_part", "level, vintage"),
    ("ref.area_lookup_levels_stats", "ref.area_lookup",
     "from_level, from_vintage, to_level, to_vintage, method"),
    ("landscape.indicator_value_level_stats", "landscape.indicator_value", "indicator_code, level, vintage"),
]


def upgrade() -> None:
    for name, table, columns in STATISTICS:
        op.execute(f"CREATE STATISTICS {name} (dependencies, mcv) ON {columns} FROM {table}")
        op.execute(f"COMMENT ON STATISTICS {name} IS 'Columns filtered together ({columns}): "
                   f"the planner''s estimates for them combined (revision 0015).'")


def downgrade() -> None:
    for name, _, _ in reversed(STATISTICS):
        op.execute(f"DROP STATISTICS IF EXISTS {name}")
