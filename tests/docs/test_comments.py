"""Every public table, view, column and function has a COMMENT (what \\d+ and \\df+ show analysts).

A failure names each object without one: add it to db/functions/900_comments.sql (columns, by name
or by table and column) or COMMENT ON it where it is created."""
from __future__ import annotations

# Schemas owned by the owner role are public, except the helpers' schema and loaders' scratch.
PUBLIC_SCHEMAS = """
    SELECT n.oid FROM pg_namespace n
    WHERE n.nspowner = 'safestats_owner'::regrole
      AND n.nspname <> 'safestats_internal' AND n.nspname !~ '^safestats_load_'"""


def test_every_public_table_and_view_has_a_comment(conn):
    missing = [r[0] for r in conn.execute(f"""
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace IN ({PUBLIC_SCHEMAS}) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND NOT c.relispartition AND obj_description(c.oid, 'pg_class') IS NULL
        ORDER BY 1""").fetchall()]
    assert not missing, "tables/views without COMMENT ON:\n  " + "\n  ".join(missing)


def test_every_public_column_has_a_comment(conn):
    missing = [r[0] for r in conn.execute(f"""
        SELECT c.oid::regclass::text || '.' || quote_ident(a.attname) FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace IN ({PUBLIC_SCHEMAS}) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
          AND col_description(c.oid, a.attnum) IS NULL
        ORDER BY 1""").fetchall()]
    assert not missing, (f"{len(missing)} columns without a comment (add them to "
                         "db/functions/900_comments.sql):\n  " + "\n  ".join(missing))


def test_every_function_has_a_comment(conn):
    missing = [r[0] for r in conn.execute(f"""
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE (p.pronamespace IN ({PUBLIC_SCHEMAS}) OR p.pronamespace = 'safestats_internal'::regnamespace)
          AND p.prokind IN ('f', 'p') AND obj_description(p.oid, 'pg_proc') IS NULL
        ORDER BY 1""").fetchall()]
    assert not missing, "functions without COMMENT ON:\n  " + "\n  ".join(missing)


def test_every_public_schema_has_a_comment(conn):
    missing = [r[0] for r in conn.execute(f"""
        SELECT n.nspname FROM pg_namespace n WHERE n.oid IN ({PUBLIC_SCHEMAS})
          AND obj_description(n.oid, 'pg_namespace') IS NULL""").fetchall()]
    assert not missing, f"schemas without COMMENT ON: {missing}"
