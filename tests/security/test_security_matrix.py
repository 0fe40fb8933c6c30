"""The access matrix: every table, view and function in SafeStats' schemas x every role x
select / insert / update / delete / execute, tried for real (SET ROLE, then the statement under
EXPLAIN, which runs every permission check without touching data; each try is rolled back) and
compared with the policy declared below.

The policy is db/access_matrix.toml. Objects are enumerated from the catalogue, so tables and functions
added later by any part of the project are covered automatically: an object the file does not name takes
its schema's lists, a schema it does not name takes [default]. A mismatch names role, verb and object: add
an [object."schema.name"] entry to the file (install_functions applies it) or fix the revision.
"""
from __future__ import annotations

import collections

import psycopg

from safestats import access_matrix

ADMIN, LOADER, ANALYST, HEALTH, PUBLIC = ("safestats_admin", "safestats_loader", "safestats_analyst",
                                          "safestats_health", "safestats_public")
COARSE, AUDITOR = "safestats_coarse", "safestats_auditor"
ROLES = (ADMIN, LOADER, ANALYST, HEALTH, PUBLIC, COARSE, AUDITOR)
GROUPS = {ADMIN, LOADER, ANALYST, HEALTH, PUBLIC}
READERS = {ADMIN, LOADER, ANALYST, HEALTH}

# ---- the declared policy: db/access_matrix.toml -------------------------------------------------
MATRIX = access_matrix.load()


def expected(obj, role, action) -> bool:
    schema, name, kind = obj["schema"], obj["name"], obj["kind"]
    if kind == "function":
        # regprocedure text: schema.name(argtypes)
        return role in MATRIX.allowed(schema, obj["signature"].split(".", 1)[1], "execute")
    if action == "select":
        return role in MATRIX.allowed(schema, name, "select")
    # insert / update / delete
    if kind == "view":
        # A simple view is as writable as its table, for those who may write it; views owned by the
        # coarsening role can never write (their owner holds no write privilege); others are read-only.
        possible = obj["insertable"] if action == "insert" else obj["updatable"]
        if not possible or obj["owner"] == COARSE:
            return False
    return role in MATRIX.allowed(schema, name, "write")


# ---- enumeration ---------------------------------------------------------------------------------
def our_schemas(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE pg_get_userbyid(nspowner) = 'safestats_owner' ORDER BY 1")]


def relations(conn) -> list[dict]:
    rows = conn.execute("""
      SELECT n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner),
             coalesce(v.is_insertable_into = 'YES', false),
             coalesce(v.is_updatable = 'YES', false) OR coalesce(v.is_trigger_updatable = 'YES', false),
             (SELECT a.attname FROM pg_attribute a
              LEFT JOIN information_schema.columns ic ON ic.table_schema = n.nspname
                                                   AND ic.table_name = c.relname
                                                   AND ic.column_name = a.attname
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attidentity = '' AND a.attgenerated = ''
                AND (c.relkind <> 'v' OR ic.is_updatable = 'YES')
              -- for a view, its last updatable column (the first is often the table's identity key)
              ORDER BY CASE WHEN c.relkind = 'v' THEN -a.attnum ELSE a.attnum END LIMIT 1)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN information_schema.views v ON v.table_schema = n.nspname AND v.table_name = c.relname
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND (pg_get_userbyid(n.nspowner) = 'safestats_owner'
             OR (n.nspname, c.relname) = ('public', 'layer_styles'))
      ORDER BY 1, 2""").fetchall()
    kinds = {"r": "table", "p": "table", "f": "table", "v": "view", "m": "view"}
    return [{"schema": s, "name": n, "kind": kinds[k], "owner": o, "insertable": ins, "updatable": upd,
             "first_column": col}
            for s, n, k, o, ins, upd, col in rows]


def functions(conn) -> list[dict]:
    rows = conn.execute("""
      SELECT p.oid, n.nspname, p.proname, p.prokind, p.proretset, format_type(p.prorettype, NULL),
             coalesce(array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t), '{}'),
             p.provariadic <> 0, p.oid::regprocedure::text
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY n.nspname, p.proname, p.oid""").fetchall()
    return [{"oid": o, "schema": s, "name": n, "prokind": k, "retset": rs, "rettype": rt, "args": list(a),
             "variadic": v, "kind": "function", "signature": sig}
            for o, s, n, k, rs, rt, a, v, sig in rows]


# ---- trying --------------------------------------------------------------------------------------
def probe_sql(obj, action):
    from psycopg import sql
    if obj["kind"] == "function":
        args = obj["args"]
        cols = sql.SQL(", ").join(sql.SQL("NULL::{} AS {}").format(sql.SQL(t), sql.Identifier(f"a{i}"))
                                  for i, t in enumerate(args)) if args else sql.SQL("1 AS a")
        call_args = []
        for i, _ in enumerate(args):
            prefix = "VARIADIC " if obj["variadic"] and i == len(args) - 1 else ""
            call_args.append(sql.SQL(prefix) + sql.Identifier("s", f"a{i}"))
        call = sql.SQL("{}({})").format(sql.Identifier(obj["schema"], obj["name"]),
                                        sql.SQL(", ").join(call_args))
        if obj["retset"]:
            return sql.SQL("EXPLAIN SELECT * FROM (SELECT {} OFFSET 0) s, LATERAL {} f").format(cols, call)
        return sql.SQL("EXPLAIN SELECT {} FROM (SELECT {} OFFSET 0) s").format(call, cols)
    rel = sql.Identifier(obj["schema"], obj["name"])
    if action == "select":
        return sql.SQL("EXPLAIN SELECT * FROM {} LIMIT 0").format(rel)
    if action == "insert":
        return sql.SQL("EXPLAIN INSERT INTO {} DEFAULT VALUES").format(rel)
    if action == "update":
        if not obj["first_column"]:
            return None
        return sql.SQL("EXPLAIN UPDATE {} SET {} = DEFAULT").format(rel, sql.Identifier(obj["first_column"]))
    return sql.SQL("EXPLAIN DELETE FROM {}").format(rel)


def callable_directly(fn) -> bool:
    return (fn["prokind"] in ("f", "a") and fn["rettype"] not in ("trigger", "event_trigger")
            and not any(t.startswith("any") for t in fn["args"]))


def try_it(conn, role, obj, action) -> tuple[bool, str]:
    """(allowed, why) by trying the statement as ``role`` inside a rolled-back savepoint."""
    if obj["kind"] == "function" and not callable_directly(obj):
        # Triggers and procedures cannot be called under EXPLAIN: ask the privilege system instead.
        ok = conn.execute("SELECT has_schema_privilege(%s, %s, 'USAGE') "
                          "AND has_function_privilege(%s, %s, 'EXECUTE')",
                          (role, obj["schema"], role, obj["oid"])).fetchone()[0]
        return ok, "privilege lookup (not directly callable)"
    stmt = probe_sql(obj, action)
    if stmt is None:
        return False, "no updatable column"
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(psycopg.sql.SQL("SET LOCAL ROLE {}").format(psycopg.sql.Identifier(role)))
            conn.execute(stmt)
        return True, "ok"
    except psycopg.errors.InsufficientPrivilege as e:
        msg = str(e).splitlines()[0]
        if obj["kind"] == "function" and not (f"function {obj['name']}" in msg
                                              or f"schema {obj['schema']}" in msg):
            # allowed to execute; the function then meets a table the role may not read
            return True, "executes; " + msg
        return False, msg
    except (psycopg.errors.ObjectNotInPrerequisiteState, psycopg.errors.FeatureNotSupported,
            psycopg.errors.WrongObjectType) as e:
        return False, "not possible: " + str(e).splitlines()[0]


FIGURES = {}


def test_role_object_matrix(conn):
    conn.execute("SET statement_timeout = '20s'")
    rels, funcs = relations(conn), functions(conn)
    assert {(o["schema"], o["name"]) for o in rels} >= {
        ("health", "ae_assault"), ("health", "ae_assault_coarse"), ("open", "ae_assault_ward"),
        ("audit", "access_log"), ("ref", "area"), ("public", "layer_styles")}
    assert any(f["schema"] == "open" and f["name"] == "protect_table" for f in funcs)
    tried, mismatches = 0, []
    allowed = collections.Counter()
    for role in ROLES:
        for obj in rels:
            for action in ("select", "insert", "update", "delete"):
                got, why = try_it(conn, role, obj, action)
                want = expected(obj, role, action)
                tried += 1
                allowed[(role, action)] += got
                if got != want:
                    mismatches.append(f"{role} {action} {obj['schema']}.{obj['name']}: "
                                      f"expected {'allow' if want else 'deny'}, "
                                      f"got {'allow' if got else 'deny'} ({why})")
        for fn in funcs:
            got, why = try_it(conn, role, fn, "execute")
            want = expected(fn, role, "execute")
            tried += 1
            allowed[(role, "execute")] += got
            if got != want:
                mismatches.append(f"{role} execute {fn['signature']}: "
                                  f"expected {'allow' if want else 'deny'}, "
                                  f"got {'allow' if got else 'deny'} ({why})")
    FIGURES.update(cells=tried, relations=len(rels), functions=len(funcs), roles=len(ROLES),
                   schemas=len(our_schemas(conn)), mismatches=len(mismatches))
    print(f"\naccess matrix ({MATRIX.path.name}: {MATRIX.declared_cells()} declared cells): {tried} cells "
          f"({len(rels)} relations x 4 actions + {len(funcs)} functions) x "
          f"{len(ROLES)} roles, {len(mismatches)} mismatches")
    for role in ROLES:
        print("  " + role + ": " + ", ".join(f"{a} {allowed[(role, a)]}" for a in
                                             ("select", "insert", "update", "delete", "execute")))
    assert not mismatches, (f"{len(mismatches)} of {tried} cells differ from the policy:\n"
                            + "\n".join(mismatches[:60]))


def test_public_reads_only_open(conn):
    """The public role's readable relations are exactly the published ones (plus QGIS's catalogue)."""
    readable = {(s, n) for s, n in conn.execute("""
      SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND has_schema_privilege('safestats_public', n.oid, 'USAGE')
        AND has_table_privilege('safestats_public', c.oid, 'SELECT')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')""")}
    assert {s for s, _ in readable} <= {"open", "public"}
    assert {n for s, n in readable if s == "public"} <= {
        "layer_styles", "spatial_ref_sys", "geometry_columns", "geography_columns", "raster_columns",
        "raster_overviews"}


def test_definer_functions_have_a_fixed_search_path(conn):
    """Every SECURITY DEFINER function sets search_path to exactly pg_catalog, pg_temp (so nothing a
    caller creates can stand in for an object it uses) and is one of the stated ones."""
    rows = conn.execute("""
      SELECT p.oid::regprocedure::text, p.proconfig, p.prosrc
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' AND p.prosecdef""").fetchall()
    assert rows, "audit.record_access is SECURITY DEFINER"
    for sig, config, _ in rows:
        assert config and "search_path=pg_catalog, pg_temp" in config, (
            f"{sig} is SECURITY DEFINER without SET search_path = pg_catalog, pg_temp (has {config})")
    # the DEFINER functions are the stated ones: the audit log's writers, the geocoder's review decisions
    # (reviewers record an alias without write access to the gazetteer; 230_geocode_alias.sql)
    stated = {"safestats.geocode_alias_set(text,text,bigint)", "safestats.geocode_alias_remove(text,text)",
              "safestats.geocode_alias_check(text)", "safestats.geocode_alias_lookup(text,text)",
              "health.ae_assault_read(date,date,text)"}
    assert {sig for sig, _, _ in rows if not sig.startswith("audit.")} <= stated, rows


def test_public_executes_only_published_read_functions(conn):
    """safestats_public may execute functions of the published schema only, and none of them writes
    (none is SECURITY DEFINER, and none is declared VOLATILE except the table protector, which computes)."""
    rows = conn.execute("""
      SELECT n.nspname, p.oid::regprocedure::text, p.prosecdef, p.provolatile
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE has_function_privilege('safestats_public', p.oid, 'EXECUTE')
        AND has_schema_privilege('safestats_public', n.oid, 'USAGE')
        AND pg_get_userbyid(n.nspowner) = 'safestats_owner'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""").fetchall()
    assert rows, "public executes the published schema's functions"
    for schema, sig, definer, _ in rows:
        assert schema == "open", f"safestats_public may execute {sig}"
        assert not definer, f"safestats_public may execute SECURITY DEFINER {sig}"


def test_the_probe_sees_a_wrong_grant(conn):
    """The matrix can fail: an extra grant (rolled back) turns a denied cell into an allowed one."""
    log = next(o for o in relations(conn) if (o["schema"], o["name"]) == ("audit", "access_log"))
    assert try_it(conn, ANALYST, log, "select")[0] is False
    with conn.transaction(force_rollback=True):
        conn.execute("GRANT SELECT ON audit.access_log TO safestats_analyst")
        assert try_it(conn, ANALYST, log, "select")[0] is True
        assert expected(log, ANALYST, "select") is False
    fn = next(f for f in functions(conn) if f["name"] == "record_access")
    assert try_it(conn, PUBLIC, fn, "execute")[0] is False


def test_docs_state_the_declared_matrix():
    """docs/security.md quotes the matrix file's size; this keeps the figure true."""
    from safestats import config
    text = (config.REPO_ROOT / "docs" / "security.md").read_text()
    want = (f"{MATRIX.declared_cells()} declared cells ({len(MATRIX.objects)} object entries, "
            f"{len(MATRIX.schemas)} schemas)")
    assert want in text, f"docs/security.md should say: {want}"
