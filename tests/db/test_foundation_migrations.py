"""Alembic history: one head, upgrade/downgrade round trips, and fresh == step-by-step."""
from __future__ import annotations

import psycopg
from alembic.script import ScriptDirectory

from safestats import db

OUR_SCHEMAS = ("safestats", "ref", "health", "crime", "incident", "gazetteer", "landscape",
               "comparator", "survey", "audit", "open", "safestats_internal")


def _script():
    return ScriptDirectory.from_config(db.alembic_config("postgresql://unused/x"))


def test_history_has_exactly_one_head():
    heads = _script().get_heads()
    assert len(heads) == 1, f"the migration history has {len(heads)} heads: {heads}; merge them"


def test_every_revision_is_reachable_in_one_line():
    script = _script()
    revs = list(script.walk_revisions())
    assert revs[-1].down_revision is None
    for r in revs:
        assert not isinstance(r.down_revision, (tuple, list)), f"{r.revision} is a merge point"


def snapshot(url: str) -> dict:
    """Everything that defines the database's shape, as comparable text."""
    with psycopg.connect(url) as c:
        def q(sql: str) -> list[tuple]:
            rows = c.execute(sql, {"s": list(OUR_SCHEMAS)}).fetchall()
            return sorted(tuple(str(x) for x in r) for r in rows)

        return {
            "functions": q("""SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
                                     pg_get_functiondef(p.oid), p.proacl::text, pg_get_userbyid(p.proowner)
                              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                              WHERE n.nspname = ANY(%(s)s) AND p.prokind IN ('f', 'p')"""),
            "views": q("""SELECT schemaname, viewname, definition, viewowner FROM pg_views
                          WHERE schemaname = ANY(%(s)s)"""),
            "columns": q("""SELECT table_schema, table_name, column_name, data_type, udt_name, is_nullable,
                                   coalesce(column_default, ''), ordinal_position
                            FROM information_schema.columns WHERE table_schema = ANY(%(s)s)"""),
            "relations": q("""SELECT n.nspname, c.relname, c.relkind, c.relacl::text,
                                     pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity
                              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = ANY(%(s)s)"""),
            "indexes": q("SELECT schemaname, tablename, indexdef FROM pg_indexes "
                         "WHERE schemaname = ANY(%(s)s)"),
            "policies": q("""SELECT schemaname, tablename, policyname, roles::text, cmd, coalesce(qual, ''),
                                    coalesce(with_check, '') FROM pg_policies
                             WHERE schemaname = ANY(%(s)s)"""),
            "comments": q("""SELECT n.nspname, p.proname, obj_description(p.oid, 'pg_proc')
                             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                             WHERE n.nspname = ANY(%(s)s)"""),
        }


def test_upgrade_downgrade_upgrade_on_empty_database(empty_db_url):
    url = empty_db_url()
    db.upgrade(url)
    first = snapshot(url)
    assert first["relations"], "the upgrade created nothing"
    db.downgrade(url, "base")
    after_down = snapshot(url)
    assert not after_down["relations"] and not after_down["functions"], "downgrade left objects behind"
    with psycopg.connect(url) as c:
        assert c.execute("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'").fetchone()[0] == 0
    db.upgrade(url)
    assert snapshot(url) == first


def test_fresh_and_step_by_step_end_identical(empty_db_url):
    fresh, stepped = empty_db_url(), empty_db_url()
    db.upgrade(fresh)
    revisions = [r.revision for r in reversed(list(_script().walk_revisions()))]
    for rev in revisions:
        db.upgrade(stepped, rev, functions=False)
    db.install_functions_url(stepped)
    a, b = snapshot(fresh), snapshot(stepped)
    for key in a:
        assert a[key] == b[key], f"{key} differ between a fresh and a step-by-step database"


def test_functions_reinstall_is_idempotent(db_url):
    before = snapshot(db_url)
    db.install_functions_url(db_url)
    assert snapshot(db_url) == before


def test_every_analyst_function_is_documented(conn):
    missing = conn.execute("""
        SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'safestats' AND obj_description(p.oid, 'pg_proc') IS NULL""").fetchall()
    assert not missing, f"functions without COMMENT ON: {missing}"
