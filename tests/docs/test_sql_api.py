"""The SQL API: schema ``safestats`` holds exactly the declared API functions; helpers live in
``safestats_internal``; the roles that call the API can reach the helpers behind it."""
from __future__ import annotations

from psycopg import Rollback

# What analysts call (docs/sql-cookbook.md). A new function in schema safestats must be added here
# (and documented), or go to safestats_internal when it is a helper.
API_FUNCTIONS = {
    "area_at", "borough_at", "ward_at", "lsoa_at", "locate",
    "reapportion", "rate_per_1000",
    "geocode", "geocode_candidates", "geocode_alias_set", "geocode_alias_remove", "gazetteer_version",
    "similar_areas", "comparator_gaps", "comparator_group_spread",
    "indicator_values", "indicator_series", "move_indicator",
    # London Landscape in depth (docs/landscape.md)
    "area_profile", "indicator_trend", "indicator_fastest_changing", "borough_ward_contributions",
    "indicator_associations",
}

# Helpers that must not be in schema safestats (the list; any others may join them).
INTERNAL_FUNCTIONS = {
    "try_numeric", "try_date", "try_timestamp", "try_local_date", "try_local_timestamp",
    "grid_cell", "refresh_lsoa_grid", "refresh_area_parts", "dissolve_areas",
    "build_area_weighted_lookup", "geocode_fold_word", "geocode_is_generic_word",
    "geocode_normalise", "gazetteer_is_street", "gazetteer_rebuild", "geocode_risk_factor",
    "geocode_confidence", "geocode_confidence_cap", "geocode_street_candidates",
    "comparator_area_name", "geocode_match",
}


def _functions(conn, schema: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s AND p.prokind IN ('f', 'p')", (schema,)).fetchall()}


def test_schema_safestats_lists_only_the_api(conn):
    found = _functions(conn, "safestats")
    extra, missing = sorted(found - API_FUNCTIONS), sorted(API_FUNCTIONS - found)
    assert not extra, (f"functions in schema safestats that are not declared API: {extra}. Move helpers "
                       f"to safestats_internal, or add an API function to API_FUNCTIONS in {__file__}")
    assert not missing, f"declared API functions missing from schema safestats: {missing}"


def test_helpers_live_in_the_internal_schema(conn):
    found = _functions(conn, "safestats_internal")
    missing = sorted(INTERNAL_FUNCTIONS - found)
    assert not missing, f"helpers not in safestats_internal: {missing}"


def test_roles_reach_the_helpers_behind_the_api(conn):
    rows = dict(conn.execute(
        "SELECT r, has_schema_privilege(r, 'safestats_internal', 'USAGE') FROM unnest(ARRAY["
        "'safestats_admin', 'safestats_loader', 'safestats_analyst', 'safestats_health', "
        "'safestats_public']) AS r").fetchall())
    assert rows == {"safestats_admin": True, "safestats_loader": True, "safestats_analyst": True,
                    "safestats_health": True, "safestats_public": False}


def test_analyst_can_geocode_through_the_internal_helpers(conn):
    with conn.transaction():
        conn.execute("SET LOCAL ROLE safestats_analyst")
        # geocode() normalises and scores through safestats_internal; an empty gazetteer is fine.
        rows = conn.execute("SELECT count(*) FROM safestats.geocode('10 Downing Street')").fetchone()
        assert rows[0] in (0, 1)
        assert conn.execute("SELECT safestats_internal.try_numeric('12.5')").fetchone()[0] == 12.5
        conn.execute("RESET ROLE")


def test_geocode_returns_coordinates_and_candidates_their_rank(conn):
    with conn.transaction():
        conn.execute("INSERT INTO gazetteer.postcode (postcode, display, sector, district, geom) VALUES "
                     "('SE154QT', 'SE15 4QT', 'SE15 4', 'SE15', "
                     "ST_SetSRID(ST_MakePoint(534500, 176500), 27700))")
        row = conn.execute("SELECT level, x, y, lon, lat FROM safestats.geocode('outside SE15 4QT')"
                           ).fetchone()
        assert row[0] == "postcode" and (row[1], row[2]) == (534500, 176500)
        # Peckham: about 0.066 W, 51.47 N
        assert -0.08 < row[3] < -0.05 and 51.46 < row[4] < 51.48, row
        ranks = [r[0] for r in conn.execute(
            "SELECT rank FROM safestats.geocode_candidates('outside SE15 4QT', NULL, 3)").fetchall()]
        assert ranks == list(range(1, len(ranks) + 1)) and ranks
        raise Rollback()        # leave the block without keeping the postcode
