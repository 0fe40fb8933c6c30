"""Session settings and planner statistics for the bulk steps, in one place.

**Tuning per transaction, not per server** (issue 20). A DBA's server keeps PostgreSQL's defaults
(4 MB ``work_mem``, 64 MB ``maintenance_work_mem``) or a replicated production set-up; SafeStats does
not ask for server changes. Each bulk transaction (a file load, the reference build, a gazetteer
rebuild) raises, with ``SET LOCAL`` (``set_config(…, true)``), the few settings a session may set,
and only where the server's own value is lower; at commit or rollback they are gone:

- ``work_mem``: hash joins and sorts of a load's staged rows (the LSOA grid join, slice counts);
- ``maintenance_work_mem``: index builds when a partition is rebuilt and attached, and CREATE INDEX;
- ``max_parallel_maintenance_workers``: index builds on every core the server allows;
- ``synchronous_commit = off`` for the load's data transaction only: the provenance row that marks
  the file loaded is committed afterwards with the server's own setting, and a synchronous commit
  flushes all WAL before it, so by the time a load reports "loaded" its data is on disk. A crash in
  between leaves the load ``running`` in ``safestats status`` (rerun it), never half a file. The
  scratch transactions of a two-connection load (loaders/parallel.py) commit the same way: what they
  write is used only by the load's own transaction, which commits after them.
- ``wal_compression = lz4`` (or ``zstd``) where the server's is off, the login may set it (a superuser,
  or ``GRANT SET ON PARAMETER wal_compression``) and the server was built with it: index builds write
  every page of the new index to the WAL as a full-page image, and compressed those are smaller
  (a 1-million-row police.uk load on a stock ``replica`` server: 513 MiB of WAL instead of 580, less
  for a standby to receive and an archive to keep; its time did not change beyond the run-to-run
  spread, issue 20). ``SAFESTATS_WAL_COMPRESSION`` names another method, or ``off``
  to leave the server's setting alone (a standby must be able to read what the primary writes).

Nothing here relies on ``wal_level = minimal``; the embedded cluster has it, a replicated server
does not, and the steps are built to be fast on both (docs/dba.md, "Server settings").

**Fresh statistics** (issue 19): :func:`analyze_written` runs ``safestats_internal.analyze_written()``
(db/functions/015_statistics.sql), which ANALYZEs every table the transaction wrote, before it commits.
"""
from __future__ import annotations

import psycopg

from safestats import config

# (setting, value the bulk steps want); raised to it only where the server's value is lower.
BULK_MEMORY = (("work_mem", "64MB"), ("maintenance_work_mem", "256MB"))
PARALLEL_MAINTENANCE = 2


def raise_to(conn: psycopg.Connection, name: str, value: str, local: bool = True) -> None:
    """``SET LOCAL name = value`` (``local=False``: ``SET``) unless the server's own value is higher (a
    size setting)."""
    conn.execute("SELECT set_config(%s, %s, %s) WHERE pg_size_bytes(current_setting(%s)) < pg_size_bytes(%s)",
                 (name, value, local, name, value))


def tune(conn: psycopg.Connection, *, async_commit: bool = False, parallel_maintenance: bool = True,
         local: bool = True) -> None:
    """Raise this transaction's memory and parallel index-build settings for bulk work (``SET LOCAL``:
    must be called inside the transaction). ``async_commit``: also ``synchronous_commit = off`` (only
    for a transaction whose loss in a crash leaves something visibly unfinished, see the module
    docstring). ``parallel_maintenance=False`` for work already spread over several connections.
    ``local=False``: for the whole session instead (``SET``), on a scratch connection of a load's own
    that is closed when its work is done (loaders/partitions.py, :func:`run_tasks`)."""
    for name, value in BULK_MEMORY:
        raise_to(conn, name, value, local)
    workers = PARALLEL_MAINTENANCE if parallel_maintenance else 0
    conn.execute("SELECT set_config('max_parallel_maintenance_workers', "
                 "least(%s, current_setting('max_parallel_workers')::int)::text, %s)", (workers, local))
    # No JIT: compiling a bulk statement's plan cost more than it saved (0.3 s of the 2.1 s that
    # projecting half a million police.uk points took, measured with auto_explain; issue 20).
    conn.execute("SELECT set_config('jit', 'off', %s)", (local,))
    compress_wal(conn, local=local)
    if async_commit:
        conn.execute("SELECT set_config('synchronous_commit', 'off', %s)", (local,))


def compress_wal(conn: psycopg.Connection, method: str | None = None, local: bool = True) -> bool:
    """``SET LOCAL wal_compression = method`` (default ``safestats.config.wal_compression()``) where the
    server's is off, this login may set it and the server knows the method; returns whether it was set."""
    method = method or config.wal_compression()
    if method in ("off", "", "none"):
        return False
    return conn.execute("""
        SELECT set_config('wal_compression', %(m)s, %(local)s) IS NOT NULL FROM pg_settings s
        WHERE s.name = 'wal_compression' AND s.setting = 'off' AND %(m)s = ANY (s.enumvals)
          AND has_parameter_privilege('wal_compression', 'SET')""",
        {"m": method, "local": local}).fetchone() is not None


def analyze_written(conn: psycopg.Connection) -> int:
    """ANALYZE the tables this transaction wrote (before it commits); returns how many."""
    return conn.execute("SELECT safestats_internal.analyze_written()").fetchone()[0]
