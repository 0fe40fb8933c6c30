"""The SQL API split: helpers move from ``safestats`` to ``safestats_internal``.

``safestats`` keeps what analysts call (area look-ups, geocoding, comparator, indicators; see
docs/sql-cookbook.md), so ``\\df safestats.*`` lists only the API. Parsing helpers used by loaders,
the geocoder's scoring pieces, the reference-geography builders and the comparator's internals
live in ``safestats_internal``. Their sources stay in db/functions (installed after every upgrade);
this revision creates the schema and drops the old ``safestats.*`` copies. ``safestats.geocode``
and ``safestats.geocode_candidates`` are dropped too: they return x, y, lon, lat (and rank) now,
over the matching that moved to ``safestats_internal.geocode_match``.

USAGE on the schema goes to the roles whose calls reach the helpers: the loader and admin (loads
and rebuilds), and the analyst and health roles (``safestats.geocode`` and the views call the
scoring and parsing helpers under the caller's rights). ``safestats_public`` reads only ``open``
and gets nothing here. EXECUTE comes from the baseline's default privileges.

Revision ID: 0013_internal_schema
Revises: 0009_word_typos
Create Date: 2026-12-05
"""
import migration_helpers as mh
from alembic import op

revision = "0013_internal_schema"
down_revision = "0009_word_typos"
branch_labels = None
depends_on = None

# Every function that moved (by name: all its overloads move).
MOVED = (
    "try_numeric", "try_date", "try_timestamp", "try_local_date", "try_local_timestamp",
    "grid_cell", "refresh_lsoa_grid", "refresh_area_parts", "dissolve_areas",
    "build_area_weighted_lookup", "build_population_lookup", "build_crime_rate_indicators",
    "geocode_fold_word", "geocode_is_generic_word", "geocode_normalise", "gazetteer_is_street",
    "gazetteer_rebuild", "geocode_risk_factor", "geocode_confidence", "geocode_confidence_cap",
    "geocode_street_candidates", "comparator_area_name", "indicator_ward_2011_areas",
    "move_indicators",
)


def upgrade() -> None:
    mh.create_schema(
        "safestats_internal",
        "SafeStats helpers behind the API in schema safestats: parsing, geocoder scoring, "
        "reference-geography builders, comparator internals. Not a stable interface: call the "
        "safestats functions instead.",
        readers=("safestats_admin", "safestats_loader", "safestats_analyst", "safestats_health"))
    # Drop the old copies by name whatever their argument lists were (they are recreated in
    # safestats_internal from db/functions after the upgrade). Plain SQL/PL/pgSQL bodies record no
    # dependencies, so nothing else has to go first.
    op.execute(f"""DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
               WHERE p.pronamespace = 'safestats'::regnamespace
                 AND p.proname = ANY(ARRAY[{", ".join(f"'{n}'" for n in MOVED)}])
      LOOP EXECUTE format('DROP FUNCTION %s', r.f); END LOOP;
    END $$""")
    # geocode() and geocode_candidates() gain x, y, lon, lat (and rank): a new result type.
    op.execute("DROP FUNCTION IF EXISTS safestats.geocode(text, text)")
    op.execute("DROP FUNCTION IF EXISTS safestats.geocode_candidates(text, text, integer)")


def downgrade() -> None:
    # The helpers' sources now name safestats_internal; `safestats migrate` at an older revision
    # cannot recreate them in safestats, so a downgrade below this revision drops them.
    op.execute("DROP SCHEMA safestats_internal CASCADE")
