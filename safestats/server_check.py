"""``safestats db check``: the server SafeStats uses, read the way a DBA would before the first big load.

Each row is one thing the loads, the reference build and the gazetteer rebuild depend on (docs/dba.md,
"Server settings"): what the server or this login has, a verdict, and what it means or what to do.
Verdicts: ``ok``; ``advice`` (works, but slower or bigger than it need be); ``problem`` (something
SafeStats needs is missing: the command then exits 1). Nothing is changed: the check only reads
settings and privileges.
"""
from __future__ import annotations

import psycopg

from loaders import session
from safestats import config
from safestats.output import Table

OK, ADVICE, PROBLEM = "ok", "advice", "problem"
# WAL written by a 1-million-row police.uk load on a stock replica server (docs/benchmarks.md).
WAL_PER_MILLION_MIB = 520
COLUMNS = ["check", "value", "verdict", "meaning"]


def _setting(conn, name: str) -> tuple[str, str | None]:
    """(setting as the server reports it, with its unit where it has one; bytes for a size or None)."""
    row = conn.execute("SELECT setting, unit, current_setting(name) FROM pg_settings WHERE name = %s",
                       (name,)).fetchone()
    if row is None:
        return "?", None
    setting, unit, shown = row
    if unit in ("8kB", "kB", "MB"):
        factor = {"8kB": 8192, "kB": 1024, "MB": 1 << 20}[unit]
        return shown, str(int(setting) * factor)
    return shown, None


def _mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


def checks(conn: psycopg.Connection) -> Table:
    """One row per check (see the module docstring)."""
    rows: list[tuple[str, str, str, str]] = []

    def add(check: str, value, verdict: str, meaning: str) -> None:
        rows.append((check, str(value), verdict, meaning))

    version = conn.execute("SELECT current_setting('server_version_num')::int, "
                           "current_setting('server_version')").fetchone()
    add("PostgreSQL", version[1], OK if version[0] >= 150000 else PROBLEM,
        "15 or newer is needed" if version[0] < 150000 else "15 or newer: supported")
    postgis = conn.execute("SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis'), "
                           "(SELECT default_version FROM pg_available_extensions WHERE name = 'postgis')"
                           ).fetchone()
    if postgis[0]:
        major_minor = tuple(int(x) for x in postgis[0].split(".")[:2])
        add("PostGIS", postgis[0], OK if major_minor >= (3, 3) else PROBLEM,
            "installed in this database" if major_minor >= (3, 3) else "3.3 or newer is needed")
    elif postgis[1]:
        add("PostGIS", f"{postgis[1]} (available, not installed)", OK,
            "`safestats migrate` creates the extension (it needs a login that may)")
    else:
        add("PostGIS", "not available", PROBLEM,
            "install PostGIS 3.3+ for this server (Debian: postgresql-<major>-postgis-3)")

    wal_level, _ = _setting(conn, "wal_level")
    add("wal_level", wal_level, OK,
        "minimal: a rebuilt partition skips the WAL" if wal_level == "minimal" else
        f"every row a load writes also goes to the WAL (about {WAL_PER_MILLION_MIB} MiB per million "
        "police.uk rows); nothing to change where replication needs it")
    shown, size = _setting(conn, "max_wal_size")
    small = size is not None and int(size) < 4 << 30
    add("max_wal_size", shown, ADVICE if small else OK,
        f"a checkpoint may come in the middle of a big load and make it log whole pages again: "
        f"4 GB or more where the disk allows (a million police.uk rows write about "
        f"{WAL_PER_MILLION_MIB} MiB)" if small else "room for a big load's WAL between checkpoints")
    shown, size = _setting(conn, "shared_buffers")
    small = size is not None and int(size) < 512 << 20
    add("shared_buffers", shown, ADVICE if small else OK,
        "25% of RAM as usual: the reference polygons, the LSOA grid (about 80 MB) and the current "
        "year's partitions then stay cached" if small else "big enough for the reference geography")
    autovacuum, _ = _setting(conn, "autovacuum")
    add("autovacuum", autovacuum, OK if autovacuum == "on" else PROBLEM,
        "SafeStats analyses what it writes; autovacuum cleans the dead rows a reloaded slice leaves"
        if autovacuum == "on" else
        "turn it on: a reloaded slice leaves dead rows that only vacuum removes (SafeStats analyses, "
        "it does not vacuum)")
    for name, want in session.BULK_MEMORY:
        shown, _ = _setting(conn, name)
        add(name, shown, OK, f"raised to {want} by SafeStats for its own bulk transactions (SET LOCAL)")

    compression, _ = _setting(conn, "wal_compression")
    method = config.wal_compression()
    may = conn.execute("SELECT has_parameter_privilege('wal_compression', 'SET'), "
                       "%s = ANY (enumvals) FROM pg_settings WHERE name = 'wal_compression'",
                       (method,)).fetchone()
    login = conn.execute("SELECT current_user").fetchone()[0]
    if compression != "off":
        add("wal_compression", compression, OK, "the server compresses full-page images already")
    elif method in ("off", "", "none"):
        add("wal_compression", compression, OK, "SAFESTATS_WAL_COMPRESSION=off: left to the server")
    elif may and may[0] and may[1]:
        add("wal_compression", compression, OK,
            f"SafeStats sets {method} for its bulk transactions (index pages in the WAL "
            "about 12% smaller for a police.uk load)")
    elif may and not may[1]:
        add("wal_compression", compression, ADVICE,
            f"this server was built without {method}: set SAFESTATS_WAL_COMPRESSION to a "
            "method it has (pglz is slow), or leave it")
    else:
        add("wal_compression", compression, ADVICE,
            f"{login} may not set it, so a load's index pages go to the WAL uncompressed: "
            f"GRANT SET ON PARAMETER wal_compression TO {login} (as a superuser)")

    create = conn.execute("SELECT has_database_privilege(current_database(), 'CREATE')").fetchone()[0]
    # (by name, not to_regclass: that raises for a login without USAGE on the schema)
    owner = conn.execute("SELECT pg_has_role(current_user, c.relowner, 'MEMBER'), c.relowner::regrole::text "
                         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = 'crime' AND c.relname = 'street_crime'").fetchone()
    if owner is None:
        add("two-connection loads", "schema not migrated", ADVICE,
            "run `safestats migrate`, then check again")
    elif create and owner[0]:
        add("two-connection loads", "yes", OK,
            "a police.uk file of 48 MB or more loads on two connections and rebuilds whole yearly partitions")
    else:
        missing = ([f"GRANT CREATE ON DATABASE {conn.info.dbname} TO {login}"] if not create else []) + \
                  ([f"GRANT {owner[1]} TO {login}"] if not owner[0] else [])
        add("two-connection loads", "no", ADVICE,
            "big police.uk files load on one connection, row by row into existing partitions (slower): "
            + "; ".join(missing))
    free = conn.execute("SELECT current_setting('max_connections')::int "
                        "- current_setting('superuser_reserved_connections')::int "
                        "- (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
                        ).fetchone()[0]
    add("free connections", free, OK if free >= 3 else ADVICE,
        "a big load opens up to three at once" if free >= 3 else
        "a big load opens up to three at once: with fewer free it waits or fails; raise max_connections "
        "or load when fewer sessions are open")
    return Table(COLUMNS, rows)


def has_problem(table: Table) -> bool:
    return any(r[2] == PROBLEM for r in table.rows)
