"""Injection and abuse: every function in SafeStats' schemas that takes text is called with a list
of injection payloads in each text argument. Functions are enumerated from pg_proc, so functions
added later by any part of the project are covered automatically.

A payload "got through" if it changed anything (a canary table and a canary role must survive and
stay unchanged) or if the server reports a syntax error (SQL built from the argument). Errors that
are the function refusing bad input (data exceptions, raised exceptions, no such area) are fine.
"""
from __future__ import annotations

import json

import psycopg
import pytest
from psycopg import sql

PAYLOADS = [
    "'; DROP TABLE safestats.injection_canary; --",
    "x'); DELETE FROM safestats.injection_canary; --",
    "' OR '1'='1",
    "\" OR \"\"=\"",
    "1; UPDATE safestats.injection_canary SET note = 'pwned'",
    "$$; DROP TABLE safestats.injection_canary; $$",
    "$q$ || (SELECT 1) || $q$",
    "%I %L %s %%",
    "E05000026') UNION SELECT usename FROM pg_user --",
    "'||(SELECT pg_sleep(3))||'",
    "\\'; DROP ROLE injection_canary_role; --",
    "ward'; GRANT safestats_admin TO PUBLIC; --",
    "safestats.injection_canary",
    "../../../../etc/passwd",
    "Robert'); DROP TABLE students;--",
    "\u2019; DROP TABLE safestats.injection_canary; --",   # typographic quote
    "ぁ' -- 𝕏 ​",                                          # non-ASCII, zero-width space
    "",
    " ",
    "a" * 5000,
]
# A sensible value for every other argument type, so a strict function does not return NULL
# without ever looking at the payload.
TYPE_VALUES = {
    "integer": "2018", "smallint": "1", "bigint": "1", "numeric": "1", "double precision": "1", "real": "1",
    "boolean": "true", "date": "2024-01-01", "timestamp with time zone": "2024-01-01 12:00+00",
    "timestamp without time zone": "2024-01-01 12:00", "geometry": "SRID=27700;POINT(530000 180000)",
    "jsonb": "{}", "json": "{}", "interval": "1 day",
}
TEXT_TYPES = {"text", "character varying", "name", "citext", "jsonb", "json", "text[]"}
OK_ERRORS = (psycopg.errors.DataException, psycopg.errors.RaiseException,
             psycopg.errors.IntegrityConstraintViolation, psycopg.errors.InvalidParameterValue,
             psycopg.errors.NoDataFound, psycopg.errors.UndefinedObject, psycopg.errors.InsufficientPrivilege,
             psycopg.errors.CheckViolation)


def text_functions(conn) -> list[dict]:
    rows = conn.execute("""
      SELECT p.oid, n.nspname, p.proname, p.oid::regprocedure::text, p.proretset,
             array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t), p.pronargdefaults,
             p.prorettype::regtype::text
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' AND p.prokind = 'f'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY 4""").fetchall()
    out = []
    for _oid, schema, name, sig, retset, args, _, rettype in rows:
        if rettype in ("trigger", "event_trigger") or not any(t in TEXT_TYPES for t in args):
            continue
        out.append({"schema": schema, "name": name, "signature": sig, "retset": retset, "args": args})
    return out


def call(conn, fn, payload):
    params, parts = [], []
    for t in fn["args"]:
        if t in ("jsonb", "json"):
            params.append(json.dumps({"payload": payload, payload[:40] or "k": 1}))
        elif t == "text[]":
            params.append([payload, payload])
        elif t in TEXT_TYPES:
            params.append(payload)
        else:
            params.append(TYPE_VALUES.get(t))
        parts.append(sql.SQL("%s::{}").format(sql.SQL(t)))
    f = sql.Identifier(fn["schema"], fn["name"])
    q = (sql.SQL("SELECT count(*) FROM {}({})") if fn["retset"] else sql.SQL("SELECT {}({})::text")).format(
        f, sql.SQL(", ").join(parts))
    # results as text: only what the server did matters, not whether Python can hold the value
    return conn.execute(q, params).fetchall()


@pytest.fixture
def canary(conn):
    conn.execute("CREATE TABLE IF NOT EXISTS safestats.injection_canary (id int PRIMARY KEY, note text)")
    conn.execute("INSERT INTO safestats.injection_canary VALUES (1, 'intact') "
                 "ON CONFLICT (id) DO UPDATE SET note = 'intact'")
    conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'injection_canary_role') "
                 "THEN CREATE ROLE injection_canary_role NOLOGIN; END IF; END $$")
    yield
    conn.execute("DROP TABLE IF EXISTS safestats.injection_canary")


FIGURES = {}
MEMBERSHIPS = "SELECT roleid::regrole::text, member::regrole::text FROM pg_auth_members ORDER BY 1, 2"
ACLS = ("SELECT c.oid::regclass::text, c.relacl::text "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' ORDER BY 1")


def test_every_text_function_with_every_payload(conn, canary):
    conn.execute("SET statement_timeout = '20s'")
    fns = text_functions(conn)
    names = {f["signature"] for f in fns}
    # the security layer's own text-taking functions are among them
    assert {"audit.record_access(text,text,bigint,jsonb)", "health.ae_assault_read(date,date,text)"} <= names
    memberships_before = conn.execute(MEMBERSHIPS).fetchall()
    acls_before = conn.execute(ACLS).fetchall()
    tried, failures, refused = 0, [], 0
    for fn in fns:
        for payload in PAYLOADS:
            tried += 1
            try:
                # as the superuser (the widest rights: if anything could do harm, this could), rolled back
                with conn.transaction(force_rollback=True):
                    call(conn, fn, payload)
            except psycopg.errors.SyntaxError as e:
                failures.append(f"{fn['signature']} <- {payload[:60]!r}: "
                                f"syntax error, SQL built from input: {e}")
            except psycopg.errors.QueryCanceled:
                failures.append(f"{fn['signature']} <- {payload[:60]!r}: timed out (pg_sleep injected?)")
            except OK_ERRORS:
                refused += 1
            except psycopg.Error as e:
                failures.append(f"{fn['signature']} <- {payload[:60]!r}: "
                                f"unexpected {type(e).__name__}: {e}")
            assert conn.execute("SELECT note FROM safestats.injection_canary "
                                "WHERE id = 1").fetchone() == ("intact",)
            assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'injection_canary_role'").fetchone()
    FIGURES.update(functions=len(fns), payloads=len(PAYLOADS), calls=tried, refused=refused)
    print(f"\ninjection: {len(fns)} text-taking functions x {len(PAYLOADS)} payloads = {tried} calls, "
          f"{refused} refused as bad input, {len(failures)} problems")
    assert not failures, "\n".join(failures[:40])
    # no role memberships or table privileges changed along the way
    assert conn.execute(MEMBERSHIPS).fetchall() == memberships_before
    assert conn.execute(ACLS).fetchall() == acls_before


def test_sql_in_python_is_parameterised():
    """No f-string / %-formatted SQL built from values in the security code (identifiers go through
    psycopg.sql.Identifier)."""
    import re

    from safestats import config
    for rel in ("safestats/roles.py", "safestats/export.py", "safestats/audit.py",
                "safestats/commands/role.py", "safestats/commands/export.py", "safestats/commands/audit.py"):
        text = (config.REPO_ROOT / rel).read_text()
        for m in re.finditer(r"execute\(f[\"']", text):
            raise AssertionError(f"{rel}: f-string SQL at offset {m.start()}")
