"""Revision 0005_landscape: its schemas and API exist at head, and a downgrade removes them cleanly
(functions and views built on its tables included) so the upgrade can run again."""
from safestats import db


def _objects(url):
    with db.connect(url) as conn:
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace").fetchall()}
        funcs = {r[0] for r in conn.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'safestats'::regnamespace").fetchall()}
        views = {r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'safestats'::regnamespace "
            "AND relkind = 'v'").fetchall()}
        grants = conn.execute("SELECT has_table_privilege('safestats_analyst', "
                              "'landscape.indicator_value', 'SELECT'), "
                              "has_function_privilege('safestats_analyst', "
                              "'safestats.comparator_gaps(text, integer, text, double precision)', 'EXECUTE')"
                              ).fetchone() if "landscape" in schemas else None
    return schemas, funcs, views, grants


def test_downgrade_and_upgrade_again(empty_db_url):
    url = empty_db_url()
    db.upgrade(url)
    schemas, funcs, views, grants = _objects(url)
    assert {"landscape", "survey", "comparator"} <= schemas
    assert {"indicator_values", "similar_areas", "comparator_gaps", "move_indicator",
            "comparator_group_spread"} <= funcs
    assert {"indicator_map", "comparator_area_map", "comparator_gap_map"} <= views
    assert grants == (True, True)
    # Down to whatever 0005_landscape sits on (the lead re-chains revisions at merge).
    from alembic.script import ScriptDirectory
    below = ScriptDirectory.from_config(db.alembic_config(url)).get_revision("0005_landscape").down_revision
    db.downgrade(url, below)
    schemas, funcs, views, _ = _objects(url)
    assert not {"landscape", "survey", "comparator"} & schemas
    assert not {"indicator_values", "similar_areas", "comparator_gaps", "move_indicator"} & funcs
    assert not any(v.startswith(("indicator", "comparator")) for v in views)
    assert "area_at" in funcs          # the Foundation's functions are untouched
    db.upgrade(url)                    # (db.downgrade drops function-file views; upgrade re-creates them)
    schemas, funcs, views, _ = _objects(url)
    assert "landscape" in schemas and {"indicator_map", "comparator_gap_map", "wards"} <= views
