"""Provenance and the one transaction per file.

Every load is recorded in ``safestats.load`` (a row committed on its own before the work starts,
so a failure or a kill stays visible), runs in one transaction, and writes its rejects to
``safestats.load_reject`` and to a CSV file. A file identical (sha256) to one already loaded is
not loaded again unless forced.
"""
from __future__ import annotations

import csv
import getpass
import os
from collections.abc import Callable
from pathlib import Path

import psycopg

from . import session
from .base import LoadContext, LoadError, LoadOptions, LoadRefused, LoadResult, Progress
from .files import decode_refusal, sha256_of

# Sources whose rejected values may be health free text: their values go to health.load_reject (row-level
# security per organisation), not to safestats.load_reject, which every analyst reads (issue 13).
HEALTH_SOURCES = frozenset({"istv"})


# A load holds this session-level advisory lock (key LOAD_LOCK, load_id) while it runs, so that
# safestats.mark_interrupted_loads() can tell a load in progress from one whose process was killed.
LOAD_LOCK = 0x5AFE


def hold_load_lock(conn: psycopg.Connection, load_id: int) -> None:
    conn.execute("SELECT pg_advisory_lock(%s, %s)", (LOAD_LOCK, load_id))


def release_load_lock(conn: psycopg.Connection, load_id: int) -> None:
    try:
        if not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOAD_LOCK, load_id))
    except psycopg.Error:
        pass   # the session is gone, and its lock with it


def mark_interrupted(conn: psycopg.Connection) -> int:
    """Loads left 'running' by a killed process become 'interrupted' (when the function exists)."""
    fn = "safestats.mark_interrupted_loads()"
    have = conn.execute("SELECT to_regprocedure(%s) IS NOT NULL "
                        "AND has_function_privilege(to_regprocedure(%s), "
                        "'EXECUTE')", (fn, fn)).fetchone()[0]
    return conn.execute("SELECT safestats.mark_interrupted_loads()").fetchone()[0] if have else 0


def begin_provenance(conn: psycopg.Connection, source: str, path: Path, sha: str) -> int:
    """A provenance row in its own committed transaction, so a failure or a kill stays visible; the
    load's advisory lock is taken in the same transaction (released by :func:`run_load`)."""
    mark_interrupted(conn)
    with conn.transaction():
        load_id = conn.execute(
            "INSERT INTO safestats.load (source, file_name, sha256, os_user, details) "
            "VALUES (%s, %s, %s, %s, jsonb_build_object('path', %s::text)) RETURNING load_id",
            (source, path.name, sha, getpass.getuser(), str(path.resolve()))).fetchone()[0]
        hold_load_lock(conn, load_id)
    return load_id


def finish_provenance(conn: psycopg.Connection, load_id: int, status: str, read: int, loaded: int,
                      rejected: int, message: str = "", details: dict | None = None) -> None:
    with conn.transaction():
        conn.execute(
            "UPDATE safestats.load SET status = %s, rows_read = %s, rows_loaded = %s, "
            "rows_rejected = %s, message = nullif(%s, ''), finished_at = clock_timestamp(), "
            "details = details || %s::jsonb WHERE load_id = %s",
            (status, read, loaded, rejected, message, psycopg.types.json.Jsonb(details or {}), load_id))


def already_loaded(conn: psycopg.Connection, source: str, sha: str) -> int | None:
    row = conn.execute("SELECT load_id FROM safestats.load WHERE source = %s AND sha256 = %s "
                       "AND status = 'loaded' ORDER BY load_id DESC LIMIT 1", (source, sha)).fetchone()
    return row[0] if row else None


def replaced_since(conn: psycopg.Connection, source: str, load_id: int) -> tuple[int, str] | None:
    """A later load of ``source`` that replaced load ``load_id``'s rows (its ``details.replaced_loads``
    names it), as (load_id, file name); None when its rows are all still there."""
    return conn.execute(
        "SELECT load_id, file_name FROM safestats.load WHERE source = %s AND load_id > %s "
        "AND status = 'loaded' AND details -> 'replaced_loads' @> to_jsonb(%s::bigint) "
        "ORDER BY load_id DESC LIMIT 1",
        (source, load_id, load_id)).fetchone()


def refuse_compressed(path: Path) -> None:
    """A gzip file not named .gz is refused with what to do (instead of failing to decode)."""
    if str(path).endswith(".gz"):
        return
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        raise LoadRefused(f"{path}: this is a gzip-compressed file: decompress it (gunzip), or name it "
                          f"{path.name}.gz (e.g. data.csv.gz) so SafeStats reads it compressed")


def nul_refusal(path: Path) -> LoadRefused | None:
    """The first line holding a NUL byte, as a refusal (None when there is none)."""
    from .files import _open_bytes
    line = 1
    with _open_bytes(path) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            at = chunk.find(b"\x00")
            if at >= 0:
                line += chunk.count(b"\n", 0, at)
                return LoadRefused(f"{path}: line {line}: a NUL byte (\\x00), which no text file holds; "
                                   "the file is damaged or not text "
                                   "(remove the NUL bytes, e.g. tr -d '\\000')")
            line += chunk.count(b"\n")
    return None


def run_load(conn: psycopg.Connection, source_name: str, path: Path, options: LoadOptions,
             body: Callable[[LoadContext], tuple[int, int, int, list[tuple]]]) -> LoadResult:
    """Provenance, idempotency and the one transaction around ``body``.

    ``body(ctx)`` does the work inside the transaction and returns
    (rows_read, rows_loaded, rows_rejected, rejects) where rejects are
    (line_no, column, value, reason) tuples.
    """
    path = Path(path)
    if not conn.autocommit:
        raise ValueError("the loading core needs an autocommit connection (one transaction per file)")
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    sha = sha256_of(path)
    progress = Progress(path.name, options.quiet)
    if not options.force:
        prior = already_loaded(conn, source_name, sha)
        if prior:
            # Nothing is written, not even a provenance row: rerunning a job changes nothing.
            later = replaced_since(conn, source_name, prior)
            if later:
                return LoadResult(path, source_name, "unchanged", prior,
                                  message=f"identical to load {prior}, whose rows load {later[0]} "
                                          f"({later[1]}) has since replaced: not loaded again; use --force "
                                          "to load it over them")
            return LoadResult(path, source_name, "unchanged", prior,
                              message=f"identical to load {prior}; use --force to reload")
    load_id = begin_provenance(conn, source_name, path, sha)
    ctx = LoadContext(conn, path, load_id, options, progress)
    try:
        return _run_body(conn, source_name, path, load_id, ctx, body)
    finally:
        release_load_lock(conn, load_id)


def _run_body(conn, source_name, path, load_id, ctx, body) -> LoadResult:
    options = ctx.options
    try:
        refuse_compressed(path)
        with conn.transaction():
            # Bulk settings for this transaction only (loaders/session.py).
            session.tune(conn, async_commit=True)
            read, loaded, rejected, rejects = body(ctx)
            rejects_file = None
            if rejects:
                write_reject_rows(conn, source_name, load_id, rejects)
                rejects_file = write_rejects_file(options.rejects_dir, source_name, path, load_id, rejects)
            # Fresh statistics on every table the load wrote, before it is reported loaded (issue 19).
            ctx.meta["tables_analysed"] = session.analyze_written(conn)
    except LoadError as e:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.rollback()
        status = "refused" if isinstance(e, LoadRefused) else "failed"
        finish_provenance(conn, load_id, status, 0, 0, 0, str(e))
        raise
    except psycopg.Error as e:
        if "0x00" in str(e):
            refusal = nul_refusal(path)
            if refusal:
                finish_provenance(conn, load_id, "refused", 0, 0, 0, str(refusal))
                raise refusal from e
        msg = f"{path}: the database refused the load: {e}".strip()
        finish_provenance(conn, load_id, "failed", 0, 0, 0, msg)
        raise LoadError(msg) from e
    except UnicodeDecodeError as e:
        refusal = nul_refusal(path) or decode_refusal(path, ctx.meta.get("encoding") or e.encoding)
        finish_provenance(conn, load_id, "refused", 0, 0, 0, str(refusal))
        raise refusal from e
    finish_provenance(conn, load_id, "loaded", read, loaded, rejected, details=ctx.meta)
    return LoadResult(path, source_name, "loaded", load_id, read, loaded, rejected,
                      rejects_file=rejects_file)


def clip(value, limit: int = 1000):
    """A rejected value as stored: at most ``limit`` characters (a 1 MB field is not copied whole)."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + f"… ({len(value):,} characters)"
    return value


def write_reject_rows(conn: psycopg.Connection, source_name: str, load_id: int, rejects: list[tuple]) -> None:
    """Rejects into safestats.load_reject; for a health source without their values, which go to
    health.load_reject with the organisation the load wrote records for (NULL when none or several)."""
    health = source_name in HEALTH_SOURCES
    with conn.cursor() as cur:
        with cur.copy("COPY safestats.load_reject (load_id, line_no, column_name, value, reason) "
                      "FROM STDIN") as cp:
            for line_no, col, value, reason in rejects:
                cp.write_row((load_id, line_no, col, None if health else clip(value), reason))
        if not health:
            return
        org = cur.execute("SELECT CASE WHEN count(DISTINCT organisation_code) = 1 "
                          "THEN min(organisation_code) END FROM health.ae_assault WHERE load_id = %s",
                          (load_id,)).fetchone()[0]
        with cur.copy("COPY health.load_reject (load_id, line_no, column_name, value, reason, "
                      "organisation_code) "
                      "FROM STDIN") as cp:
            for line_no, col, value, reason in rejects:
                cp.write_row((load_id, line_no, col, clip(value), reason, org))


def write_rejects_file(rejects_dir: Path, source: str, path: Path, load_id: int,
                       rejects: list[tuple]) -> Path:
    rejects_dir = Path(rejects_dir)
    rejects_dir.mkdir(parents=True, exist_ok=True)
    out = rejects_dir / f"{source}-{load_id}-{path.name}.rejects.csv"
    if not out.name.endswith(".csv"):
        out = out.with_suffix(".csv")
    # 0600: rejected rows may hold free text (A&E location texts); only the person who loaded reads them
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "line", "column", "value", "reason"])
        for line_no, col, value, reason in rejects:
            w.writerow([str(path), line_no, col, clip(value), reason])
    return out
