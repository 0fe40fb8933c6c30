"""db/schema.sql is the schema a fresh migration makes: the checked-in file is compared with a dump of a
newly migrated database (functions installed), made the way `make schema` makes it."""
from __future__ import annotations

from safestats import db, schema_dump


def test_schema_file_matches_a_fresh_migration(empty_db_url):
    url = empty_db_url()
    db.upgrade(url)
    fresh = schema_dump.dump(url)
    assert schema_dump.SCHEMA_FILE.exists(), "db/schema.sql is missing: run `make schema` and commit it"
    checked_in = schema_dump.SCHEMA_FILE.read_text()
    assert checked_in == fresh, (
        "db/schema.sql differs from the schema a fresh migration makes (a revision or db/functions "
        "changed): run `make schema` and commit db/schema.sql.\n" + schema_dump.diff(checked_in, fresh))


def test_dump_drops_only_run_specific_lines():
    raw = ("--\n-- PostgreSQL database dump\n--\n\n\\restrict Zq3xY9\n\n"
           "-- Dumped from database version 17.6\n-- Dumped by pg_dump version 17.6\n\n\n"
           "CREATE TABLE a.b (\n    c integer\n);\n\n\n\\unrestrict Zq3xY9\n\n")
    text = schema_dump.normalise(raw)
    assert text.startswith(schema_dump.HEADER)
    body = text[len(schema_dump.HEADER):]
    assert "restrict" not in body and "Dumped" not in body
    assert "CREATE TABLE a.b (\n    c integer\n);\n" in body
    assert "\n\n\n" not in body
