"""Provenance and the one transaction per file.

Every load is recorded in ``safestats.load`` (a row committed on its own before the work starts,
so a failure or a kill stays visible), runs in one transaction, and writes its rejects to
``safestats.load_reject`` and to a CSV file. A file identical (sha256) to one already loaded is
not loaded again unless forced.
"""
from __future__ import annotations

import csv
import getpass
from collections.abc import Callable
from pathlib import Path

import psycopg

from . import session
from .base import LoadContext, LoadError, LoadOptions, LoadRefused, LoadResult, Progress
from .files import decode_refusal, sha256_of


def begin_provenance(conn: psycopg.Connection, source: str, path: Path, sha: str) -> int:
    """A provenance row in its own committed transaction, so a failure or a kill stays visible."""
    with conn.transaction():
        return conn.execute(
            "INSERT INTO safestats.load (source, file_name, sha256, os_user, details) "
            "VALUES (%s, %s, %s, %s, jsonb_build_object('path', %s::text)) RETURNING load_id",
            (source, path.name, sha, getpass.getuser(), str(path.resolve()))).fetchone()[0]


def finish_provenance(conn: psycopg.Connection, load_id: int, status: str, read: int, loaded: int,
                      rejected: int, message: str = "", details: dict | None = None,
                      skipped: dict | None = None) -> None:
    with conn.transaction():
        conn.execute(
            "UPDATE safestats.load SET status = %s, rows_read = %s, rows_loaded = %s, "
            "rows_rejected = %s, message = nullif(%s, ''), finished_at = clock_timestamp(), "
            "details = details || %s::jsonb, rows_skipped = %s, skipped = %s::jsonb WHERE load_id = %s",
            (status, read, loaded, rejected, message, psycopg.types.json.Jsonb(details or {}),
             sum((skipped or {}).values()), psycopg.types.json.Jsonb(skipped or {}), load_id))


UNEXPLAINED = "not loaded (the loader recorded no reason)"


def account_for_rows(read: int, loaded: int, rejected: int, skipped: dict | None) -> dict:
    """Skipped rows by reason (zero counts dropped), so that read = loaded + skipped + rejected when
    the source writes a row per row read: rows a loader dropped without saying why are counted under
    UNEXPLAINED rather than vanishing. (A source writing several values per row loads more than it
    reads; nothing is added then.)"""
    out = {str(k): int(v) for k, v in (skipped or {}).items() if v}
    gap = read - loaded - rejected - sum(out.values())
    if gap > 0 and loaded <= read:
        out[UNEXPLAINED] = out.get(UNEXPLAINED, 0) + gap
    return out


def already_loaded(conn: psycopg.Connection, source: str, sha: str) -> int | None:
    row = conn.execute("SELECT load_id FROM safestats.load WHERE source = %s AND sha256 = %s "
                       "AND status = 'loaded' ORDER BY load_id DESC LIMIT 1", (source, sha)).fetchone()
    return row[0] if row else None


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
            return LoadResult(path, source_name, "unchanged", prior,
                              message=f"identical to load {prior}; use --force to reload")
    load_id = begin_provenance(conn, source_name, path, sha)
    ctx = LoadContext(conn, path, load_id, options, progress)
    try:
        with conn.transaction():
            # Bulk settings for this transaction only (loaders/session.py).
            session.tune(conn, async_commit=True)
            read, loaded, rejected, rejects = body(ctx)
            rejects_file = None
            if rejects:
                with conn.cursor() as cur, cur.copy(
                        "COPY safestats.load_reject (load_id, line_no, column_name, value, reason) "
                        "FROM STDIN") as cp:
                    for r in rejects:
                        cp.write_row((load_id, *r))
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
        msg = f"{path}: the database refused the load: {e}".strip()
        finish_provenance(conn, load_id, "failed", 0, 0, 0, msg)
        raise LoadError(msg) from e
    except UnicodeDecodeError as e:
        refusal = decode_refusal(path, ctx.meta.get("encoding") or e.encoding)
        finish_provenance(conn, load_id, "refused", 0, 0, 0, str(refusal))
        raise refusal from e
    skipped = account_for_rows(read, loaded, rejected, ctx.meta.pop("skipped", None))
    finish_provenance(conn, load_id, "loaded", read, loaded, rejected, details=ctx.meta, skipped=skipped)
    return LoadResult(path, source_name, "loaded", load_id, read, loaded, rejected,
                      rejects_file=rejects_file, skipped=skipped)


def write_rejects_file(rejects_dir: Path, source: str, path: Path, load_id: int,
                       rejects: list[tuple]) -> Path:
    rejects_dir = Path(rejects_dir)
    rejects_dir.mkdir(parents=True, exist_ok=True)
    out = rejects_dir / f"{source}-{load_id}-{path.name}.rejects.csv"
    if not out.name.endswith(".csv"):
        out = out.with_suffix(".csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "line", "column", "value", "reason"])
        for line_no, col, value, reason in rejects:
            w.writerow([str(path), line_no, col, value, reason])
    return out
