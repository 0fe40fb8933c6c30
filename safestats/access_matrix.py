"""The least-privilege matrix (db/access_matrix.toml): reading it, asking it, applying it.

``allowed(schema, name, verb)`` answers who may; ``apply(conn)`` makes the live grants of the objects
the file names agree with it (run by :func:`safestats.db.install_functions` after every upgrade, as
the owner role); tests/security/test_security_matrix.py checks every cell against the live database.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from psycopg import sql

from . import config

MATRIX_FILE = config.DB_DIR / "access_matrix.toml"
VERBS = ("usage", "select", "write", "execute")
GROUP_KEYS = ("admin", "loader", "analyst", "health", "public")
WRITE_PRIVILEGES = "INSERT, UPDATE, DELETE, TRUNCATE"


@dataclass(frozen=True)
class Matrix:
    roles: dict[str, str]
    default: dict[str, frozenset[str]]
    schemas: dict[str, dict[str, frozenset[str]]]
    objects: dict[str, dict[str, frozenset[str]]]
    # object -> (roles, columns) that may SELECT those columns only
    columns: dict[str, tuple[frozenset[str], tuple[str, ...]]]
    path: Path

    @property
    def groups(self) -> list[str]:
        return [self.roles[k] for k in GROUP_KEYS]

    def schema_allowed(self, schema: str, verb: str) -> frozenset[str]:
        return self.schemas.get(schema, {}).get(verb, self.default[verb])

    def allowed(self, schema: str, name: str, verb: str) -> frozenset[str]:
        """Role names (safestats_…) that may ``verb`` the object ``schema.name`` (a function's name
        with its argument types, as regprocedure prints it)."""
        obj = self.objects.get(f"{schema}.{name}", {})
        if verb in obj:
            return obj[verb]
        return self.schema_allowed(schema, verb)

    def declared_cells(self) -> int:
        """How many (role, verb) cells the file declares explicitly (defaults, schemas, objects)."""
        n = len(self.roles) * len(VERBS)
        n += sum(len(self.roles) * len(v) for v in self.schemas.values())
        n += sum(len(self.roles) * len(v) for v in self.objects.values())
        return n


def _roles(names, roles: dict[str, str], where: str) -> frozenset[str]:
    out = set()
    for n in names:
        if n not in roles:
            raise ValueError(f"{MATRIX_FILE.name}: {where}: unknown role {n!r} (known: {', '.join(roles)})")
        out.add(roles[n])
    return frozenset(out)


def _verbs(table: dict, roles: dict[str, str], where: str) -> dict[str, frozenset[str]]:
    out = {}
    for verb, names in table.items():
        if verb not in VERBS:
            raise ValueError(f"{MATRIX_FILE.name}: {where}: unknown verb {verb!r} (use {', '.join(VERBS)})")
        out[verb] = _roles(names, roles, f"{where}.{verb}")
    return out


@lru_cache(maxsize=4)
def load(path: Path = MATRIX_FILE) -> Matrix:
    data = tomllib.loads(Path(path).read_text())
    roles = dict(data["roles"])
    default = _verbs(data["default"], roles, "default")
    missing = set(VERBS) - set(default)
    if missing:
        raise ValueError(f"{Path(path).name}: [default] must give every verb; missing {sorted(missing)}")
    schemas = {s: _verbs(t, roles, f"schema.{s}") for s, t in data.get("schema", {}).items()}
    objects, columns = {}, {}
    for o, t in data.get("object", {}).items():
        t = dict(t)
        cs = t.pop("column_select", None)
        if cs:
            columns[o] = (_roles(cs["roles"], roles, f"object.{o}.column_select"), tuple(cs["columns"]))
        objects[o] = _verbs(t, roles, f"object.{o}")
    return Matrix(roles, default, schemas, objects, columns, Path(path))


def apply(conn, matrix: Matrix | None = None) -> list[str]:
    """Grant and revoke so that the objects the matrix names, and function EXECUTE in every
    SafeStats schema, agree with it. Only the five group roles are touched (the coarsening and
    auditor roles' grants are made by the revisions). Objects not (yet) present are skipped.
    Returns the statements run."""
    m = matrix or load()
    groups = m.groups
    done: list[str] = []

    def run(stmt):
        conn.execute(stmt)
        done.append(stmt.as_string(conn))

    def regrant(privs: str, on: sql.Composable, allowed: frozenset[str]):
        give = [g for g in groups if g in allowed]
        take = [g for g in groups if g not in allowed]
        if take:
            run(sql.SQL("REVOKE {} ON {} FROM {}").format(
                sql.SQL(privs), on, sql.SQL(", ").join(map(sql.Identifier, take))))
        if give:
            run(sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(privs), on, sql.SQL(", ").join(map(sql.Identifier, give))))

    for name, verbs in m.objects.items():
        if "(" in name:
            oid = conn.execute("SELECT to_regprocedure(%s)::oid", (name,)).fetchone()[0]
            if oid is None:
                continue
            sig = conn.execute("SELECT %s::oid::regprocedure::text", (oid,)).fetchone()[0]
            if "execute" in verbs:
                on = sql.SQL("FUNCTION {}").format(sql.SQL(sig))
                run(sql.SQL("REVOKE EXECUTE ON {} FROM PUBLIC").format(on))
                regrant("EXECUTE", on, verbs["execute"])
            continue
        row = conn.execute("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)",
                           (name,)).fetchone()
        if row is None:
            continue
        schema, rel = name.split(".", 1)
        on = sql.SQL("TABLE {}").format(sql.Identifier(schema, rel))
        if "select" in verbs:
            regrant("SELECT", on, verbs["select"])
        if "write" in verbs:
            regrant(WRITE_PRIVILEGES, on, verbs["write"])
        if name in m.columns:
            col_roles, cols = m.columns[name]
            run(sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, cols)), on,
                sql.SQL(", ").join(map(sql.Identifier, sorted(col_roles)))))

    # Function EXECUTE by schema: nobody outside the schema's list (named objects above excepted).
    rows = conn.execute("""
      SELECT n.nspname, p.oid::regprocedure::text, array(
               SELECT a.grantee::regrole::text FROM aclexplode(p.proacl) a
               WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> 0)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' AND p.proacl IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""").fetchall()
    for schema, sig, grantees in rows:
        if sig in m.objects and "execute" in m.objects[sig]:
            continue
        allowed = m.schema_allowed(schema, "execute")
        take = [g for g in groups if g in grantees and g not in allowed]
        if take:
            run(sql.SQL("REVOKE EXECUTE ON FUNCTION {} FROM {}").format(
                sql.SQL(sig), sql.SQL(", ").join(map(sql.Identifier, take))))
    return done
