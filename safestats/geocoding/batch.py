"""Geocoding a whole table with safestats.geocode() (``safestats geocode --table``, loaders, tests),
and one text at a time for the command line and the demo.

Batch mode is set-based: rows are taken in key order in chunks, each distinct (text, site) of a chunk is
geocoded once in one statement, and the results are stored in gazetteer.geocode_result keyed by
(table, primary key) with the gazetteer version. When the table itself has the geocode columns
(geom, geocode_confidence, geocode_radius_m, geocode_level, geocode_matched, geocode_ambiguous,
geocode_version — as health.ae_assault has), they are filled too.
"""
from __future__ import annotations

import sys
import threading
import time

import psycopg
from psycopg import sql

TABLE_COLUMNS = {"geom": "geom", "geocode_confidence": "confidence", "geocode_radius_m": "radius_m",
                 "geocode_level": "level", "geocode_matched": "matched", "geocode_ambiguous": "ambiguous",
                 "geocode_version": "gazetteer_version"}


class TableError(ValueError):
    """The table or one of its columns cannot be geocoded as asked; the message says why."""


def candidates(conn, text: str, site: str | None = None, n: int = 1) -> list[tuple]:
    """The top ``n`` answers for one text: (level, confidence, radius_m, matched, ambiguous, WKT, explain)."""
    return conn.execute(
        "SELECT level, confidence, radius_m, matched, ambiguous, ST_AsText(geom), explain "
        "FROM safestats.geocode_candidates(%s, %s, %s)", (text, site, n)).fetchall()


def candidate_table(conn, text: str, site: str | None = None, n: int = 1):
    """The top ``n`` answers for one text as a table for ``safestats geocode --format csv|json``."""
    from safestats.output import fetch_table
    return fetch_table(conn, """
        SELECT rank, level, round(confidence::numeric, 3) AS confidence, round(radius_m::numeric) AS radius_m,
               matched, ambiguous, round(x::numeric, 1) AS x, round(y::numeric, 1) AS y,
               round(lon::numeric, 6) AS lon, round(lat::numeric, 6) AS lat, explain
        FROM safestats.geocode_candidates(%s, %s, %s)""", (text, site, n))


def geocode_one(conn, text: str, site: str | None = None) -> tuple:
    """The answer for one text: (level, confidence, radius_m, matched)."""
    return conn.execute("SELECT level, confidence, radius_m, matched FROM safestats.geocode(%s, %s)",
                        (text, site)).fetchone()


def gazetteer_loaded(conn) -> bool:
    return bool(conn.execute("SELECT count(*) FROM gazetteer.feature").fetchone()[0])


def calibration_loaded(conn) -> bool:
    return bool(conn.execute("SELECT count(*) FROM gazetteer.calibration").fetchone()[0])


def _resolve(conn, table: str, text_col: str, site_col: str | None, key_col: str | None):
    try:
        oid = conn.execute("SELECT to_regclass(%s)::oid", (table,)).fetchone()[0]
    except psycopg.Error:   # not a name at all (e.g. 'a; DROP …'): refused, never run
        oid = None
    if oid is None:
        raise TableError(f"no table {table[:100]!r} (give it schema-qualified, e.g. health.ae_assault)")
    schema, name = conn.execute("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                                "ON n.oid = c.relnamespace WHERE c.oid = %s", (oid,)).fetchone()
    cols = {r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s AND attnum > 0 "
                                       "AND NOT attisdropped", (oid,)).fetchall()}
    if key_col is None:
        pk = conn.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                          "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s AND i.indisprimary",
                          (oid,)).fetchall()
        if len(pk) != 1:
            raise TableError(f"{table} has no single-column primary key; give --key-column")
        key_col = pk[0][0]
    for c in (text_col, site_col, key_col):
        if c is not None and c not in cols:
            raise TableError(f"{table} has no column {c!r}; columns are {', '.join(sorted(cols))}")
    own = {c: v for c, v in TABLE_COLUMNS.items() if c in cols}
    return f"{schema}.{name}", schema, name, key_col, own


class _borrowed:
    """The caller's connection as a context manager that does not close it."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        return False


def geocode_table(conn, table: str, text_col: str, site_col: str | None = None, key_col: str | None = None,
                  redo: bool = False, chunk: int = 2000, jobs: int = 2, quiet: bool = False,
                  url: str | None = None) -> int:
    """Geocode every row of ``table`` (only rows without a result unless ``redo``); returns rows done.

    For loaders: ``geocode_table(conn, "health.ae_assault", "location_text", "site_code")``. With
    ``jobs=1`` everything runs on ``conn``; with more, each job opens its own connection to ``url``
    (default: the database of ``safestats.db.database_url()``). Raises :class:`TableError` when the
    table, a column or the key is not there.
    """
    from loaders.core import Progress
    from safestats.db import connect

    qualified, schema, name, key_col, own = _resolve(conn, table, text_col, site_col, key_col)
    tbl = sql.Identifier(schema, name)
    key = sql.Identifier(key_col)
    site = sql.Identifier(site_col) if site_col else sql.SQL("NULL::text")
    todo = sql.SQL("SELECT t.{key}::text FROM {tbl} t {cond} ORDER BY t.{key}").format(
        key=key, tbl=tbl,
        cond=sql.SQL("") if redo else sql.SQL(
            "WHERE NOT EXISTS (SELECT 1 FROM gazetteer.geocode_result r WHERE r.table_name = {q} "
            "AND r.row_key = t.{key}::text)").format(q=sql.Literal(qualified), key=key))
    keys = [r[0] for r in conn.execute(todo).fetchall()]
    chunks = [keys[i:i + chunk] for i in range(0, len(keys), chunk)]
    # Each distinct (text, site) of a chunk is geocoded once ("home", "unknown" repeat a lot).
    stmt = sql.SQL("""
        WITH rows AS (SELECT t.{key}::text AS row_key, t.{text} AS location_text, t_site AS site_code
                      FROM {tbl} t, LATERAL (SELECT {site}::text AS t_site) s
                      WHERE t.{key}::text = ANY(%(keys)s)),
             answers AS (SELECT d.location_text, d.site_code, g.*
                         FROM (SELECT DISTINCT location_text, site_code FROM rows) d
                         CROSS JOIN LATERAL safestats.geocode(d.location_text, d.site_code) g)
        INSERT INTO gazetteer.geocode_result AS r (table_name, row_key, location_text, site_code, geom,
               confidence, radius_m, level, matched, ambiguous, explain, gazetteer_version)
        SELECT %(table)s, rows.row_key, rows.location_text, rows.site_code, a.geom, a.confidence, a.radius_m,
               a.level, a.matched, a.ambiguous, a.explain, %(version)s
        FROM rows JOIN answers a ON a.location_text IS NOT DISTINCT FROM rows.location_text
                                AND a.site_code IS NOT DISTINCT FROM rows.site_code
        ON CONFLICT (table_name, row_key) DO UPDATE SET location_text = EXCLUDED.location_text,
          site_code = EXCLUDED.site_code, geom = EXCLUDED.geom, confidence = EXCLUDED.confidence,
          radius_m = EXCLUDED.radius_m, level = EXCLUDED.level, matched = EXCLUDED.matched,
          ambiguous = EXCLUDED.ambiguous, explain = EXCLUDED.explain,
          gazetteer_version = EXCLUDED.gazetteer_version, geocoded_at = now()""").format(
        key=key, text=sql.Identifier(text_col), tbl=tbl, site=sql.SQL("t.") + site if site_col else site)
    update = None
    if own:
        update = sql.SQL("UPDATE {tbl} t SET {sets} FROM gazetteer.geocode_result r WHERE r.table_name = "
                         "%(table)s "
                         "AND r.row_key = t.{key}::text AND r.row_key = ANY(%(keys)s)").format(
            tbl=tbl, key=key, sets=sql.SQL(", ").join(
                sql.SQL("{} = r.{}").format(sql.Identifier(c), sql.Identifier(v)) for c, v in own.items()))
    version = conn.execute("SELECT safestats.gazetteer_version()").fetchone()[0]
    progress = Progress(f"geocode {qualified}", quiet)
    lock = threading.Lock()
    queue = list(reversed(chunks))
    errors: list[BaseException] = []

    def worker(own: bool):
        try:
            with (connect(url) if own else _borrowed(conn)) as c:
                while True:
                    with lock:
                        if not queue or errors:
                            return
                        ks = queue.pop()
                    p = {"keys": ks, "table": qualified, "version": version}
                    with c.transaction():
                        c.execute(stmt, p)
                        if update is not None:
                            c.execute(update, p)
                    with lock:
                        progress.step(len(ks))
        except BaseException as e:   # reported after the other workers stop
            errors.append(e)

    t0 = time.monotonic()
    n_jobs = max(1, min(jobs, len(chunks) or 1))
    run_threads([threading.Thread(target=worker, args=(n_jobs > 1,)) for _ in range(n_jobs)], errors)
    if not quiet and keys:
        print(f"  {len(keys):,} rows in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return len(keys)


def run_threads(threads: list[threading.Thread], errors: list[BaseException]) -> None:
    """Start every thread, wait for all of them, then raise the first error a thread put in
    ``errors`` (each worker catches its own, so one failure never leaves the others running)."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
