"""A big file loaded on two connections: both of the machine's cores, one atomic swap at the end.

PostgreSQL runs one statement of one session on one core (an INSERT, or a scan of temporary
tables, never in parallel), so a file loaded in one transaction leaves a second core idle. A file
of at least ``PARALLEL_MIN_BYTES`` whose source declares a :class:`loaders.base.ParallelPlan`
(police.uk street-level crime does) goes this way instead. The plan gives ``table`` (schema,
table: the partitioned table the source writes), ``columns`` (those its rows fill), ``extra_sql``
(typed columns added to ``located_wide``), ``rows_sql`` (its finished rows over ``located_wide``,
with a ``%(load_id)s`` placeholder), ``counts_sql`` (its per-slice counts over ``stage``) and
``write`` (steps 2 and 3):

0. **Router** (committed): in the first half's scratch schema ``safestats_load_<load_id>_a``, a
   fresh, empty table for every range partition of the table (and one for the rest), partitions of
   one scratch partitioned table (loaders/partitions.py, :func:`partitions.create_router`).
1. **Halves** (two connections at once, each in its own transaction, committed): each stages one
   half of the file's lines (split at a line break; line numbers continue across the split) into
   a temporary table (in local buffers sized to hold it), validates it, assigns areas
   (loaders/areas.py: temporary tables, never written out) and writes the half's finished rows
   straight into the router, which routes them to the fresh tables: every row is written once,
   by the connection that staged it. Its counts per slice go to its scratch schema ``…_<a|b>``.
2. **Partitions** (two connections at once, committed): the router is dropped (the tables stay);
   the steps of finishing the partitions the file may rebuild (each index, the statistics and,
   per table, whatever the source derives from it: police.uk's cell counts) are taken one at a time
   by whichever connection is free (:class:`Tasks`), so both work on one table when the file fills
   only one.
3. **Swap** (the load's own transaction, the only one that touches the tables analysts read): drop
   the old partitions, move the new ones in and attach them (their indexes match the parent's, so
   nothing is rebuilt), write the rows of the fresh tables not rebuilt (partitions holding other
   slices, or too few rows) the row-by-row way, and drop the scratch schemas.

Nothing outside the scratch schemas changes before step 3 commits, so a load killed at any point
leaves the tables as they were and can be rerun. A killed load can leave its scratch schemas: each
load holds an advisory lock on its load id while it runs, and the next load on two connections
drops the scratch schemas whose lock no session holds (:func:`drop_orphans`).

It needs the rights the partition rebuild needs (a member of the table owner), the right to create
a schema in the database, and a file the server can parse (loaders/staging.py). Anything else,
or any half the server cannot vouch for, and the file goes the one-connection way.

The loading core (loaders/core.py) calls :func:`eligible` and :func:`load`; this module never
calls back into it (it uses the lower modules: base, staging, areas, partitions).
"""
from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from . import areas, partitions, session, staging
from .base import LoadContext, LoadError, ParallelPlan

# Below this size the second connection's set-up costs more than it saves.
# SAFESTATS_PARALLEL_MIN_BYTES overrides it (tests load small files this way; 0 turns it on for all).
PARALLEL_MIN_BYTES = int(os.environ.get("SAFESTATS_PARALLEL_MIN_BYTES", 48 << 20))
# The advisory lock (class, load_id) the loading session holds for the whole load: the provenance lock
# of loaders/provenance.py (LOAD_LOCK). drop_orphans tests it to leave running loads' scratch alone.
LOCK_CLASS = 0x5AFE
SCRATCH = re.compile(r"^safestats_load_([0-9]+)_[ab]$")
HALVES = ("a", "b")


@dataclass
class Half:
    schema: str
    start: int            # byte offsets of the half's lines in the file
    end: int
    first_line: int
    rows: int = 0
    written: int = 0      # rows written into the router
    rejects: list = field(default_factory=list)
    outside: int = 0


def scratch_schema(load_id: int, half: str) -> str:
    return f"safestats_load_{load_id}_{half}"


def conninfo_of(conn: psycopg.Connection) -> str:
    """The connection string of ``conn``, password included (other connections must log in alike)."""
    return make_conninfo(conn.info.dsn, password=conn.info.password)


def eligible(plan: ParallelPlan, ctx: LoadContext) -> bool:
    """Whether a file the server can parse (the caller checks that) goes on two connections."""
    if ctx.path.stat().st_size < PARALLEL_MIN_BYTES:
        return False
    schema, table = plan.table
    with ctx.conn.cursor() as cur:
        # (Published 2022 wards, not derived from LSOAs, take the one-connection way: a spatial join.)
        return (partitions.can_rebuild(cur, schema, table) and areas.wards_derived(cur) and cur.execute(
            "SELECT has_database_privilege(current_database(), 'CREATE')").fetchone()[0])


def drop_orphans(conn: psycopg.Connection) -> list[str]:
    """Drop scratch schemas of loads no session is running any more; returns their names."""
    dropped = []
    for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname ~ %s ORDER BY 1",
                                (SCRATCH.pattern,)).fetchall():
        load_id = int(SCRATCH.match(name).group(1))
        if not conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, load_id)).fetchone()[0]:
            continue    # its load is still running
        try:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
            dropped.append(name)
        except psycopg.Error:
            pass        # another login's scratch: its owner (or the next load of that login) drops it
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, load_id))
    return dropped


def split_point(path: Path, header_end: int) -> tuple[int, int]:
    """(byte offset just after the line break nearest the middle of the data, lines before it)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(header_end + (size - header_end) // 2)
        f.readline()
        mid = f.tell()
        f.seek(header_end)
        lines, left = 0, mid - header_end
        while left > 0:
            chunk = f.read(min(1 << 20, left))
            lines += staging.newlines(chunk)
            left -= len(chunk)
    return mid, lines


def run_half(info: str, source, ctx: LoadContext, half: Half, file_cols, cols,
             router: sql.Identifier, fresh: tuple[str, list[partitions.Partition]]) -> Half:
    """Step 1 for one half, on its own connection (committed when it returns): its rows into
    ``router`` (step 0), whose fresh tables are named as the partitions of ``fresh`` (schema,
    partitions)."""
    plan: ParallelPlan = source.parallel_plan
    with psycopg.connect(info, autocommit=True) as h, h.transaction(), h.cursor() as cur:
        cur.execute(sql.SQL("SET LOCAL search_path = {}, public").format(sql.Identifier(half.schema)))
        cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        # (Committed without waiting for the WAL flush: the scratch rows are read only by the load's own
        # transaction, whose commit comes later and flushes everything before it.)
        session.tune(h, parallel_maintenance=False, async_commit=True)
        # The staged lines and their points are read by this connection alone (it writes the finished
        # rows): temporary tables in local buffers big enough to hold them (a new session, so the
        # setting may still change) are never written out, where unlogged ones in a stock server's
        # 128 MB of shared buffers were written to disk as they were filled, and read back.
        session.raise_to(h, "temp_buffers", f"{temp_buffers_mb(half)}MB")
        half.rows = staging.stage_plain(cur, source.delimiter, ctx, cols, file_cols, half.start, half.end,
                                        half.first_line, temporary=True)
        # (No ANALYZE of stage: nothing below is planned on its statistics; one scan each.)
        half.rejects = staging.validate(cur, source.checks)
        staging.delete_rejected(cur, half.rejects)
        half.outside = areas.fill_located_wide(cur, extra=plan.extra_sql)
        # Its counts per slice and type, then its finished rows, written once, into the fresh tables:
        # straight into the one that takes every month of the half when there is one (a file of one
        # year), else through the router (routing each row cost half as much again as writing it).
        cur.execute(sql.SQL("CREATE UNLOGGED TABLE counts AS {}").format(sql.SQL(plan.counts_sql)))
        cur.execute(sql.SQL("INSERT INTO {} ({}) {}").format(
            one_table(cur, router, *fresh), sql.SQL(", ").join(map(sql.Identifier, plan.columns)),
            sql.SQL(plan.rows_sql.replace("%(load_id)s", str(int(ctx.load_id))))))
        half.written = cur.rowcount
    return half


def one_table(cur, router: sql.Identifier, schema: str, parts: list[partitions.Partition]) -> sql.Identifier:
    """The fresh table (in ``schema``, named as its partition) of the one of ``parts`` that every month
    of the half's ``counts`` falls in, else ``router``."""
    lo, hi = cur.execute("SELECT min(month), max(month) FROM counts").fetchone()
    part = next((p for p in parts if lo is not None and p.lo <= lo and hi < p.hi), None)
    return router if part is None else sql.Identifier(schema, part.name)


def temp_buffers_mb(half: Half) -> int:
    """Local buffers for a half's staged lines and their points: about their size as the server stores
    them (the staged lines a third more than the bytes of the file, the points a quarter of that; at
    least the server's default, at most 768 MB)."""
    return max(8, min(768, (half.end - half.start) * 5 // 3 // (1 << 20) + 16))


def both(jobs, meanwhile=None):
    """Run two callables at once (one connection each) and, when given, ``meanwhile`` in this thread
    (on the caller's connection); re-raise the first failure after all have ended. Returns the jobs'
    results, followed by ``meanwhile``'s when given."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(j) for j in jobs]
        extra: list = []
        first = None
        if meanwhile is not None:
            try:
                extra.append(meanwhile())
            except BaseException as e:  # (the jobs are waited for before it is raised)
                first = e
        errors = [f.exception() for f in futures]
    for e in [first, *errors]:
        if e is not None:
            raise e
    return [f.result() for f in futures] + extra


def load(source, ctx: LoadContext, header, mapping, cols):
    """The two-connection load of ``ctx.path`` for ``source`` (its ``parallel_plan``, ``checks``,
    ``delimiter`` and ``strict``; see the module docstring); returns (rows read, rows loaded, rows
    rejected, rejects), or None when the file must go the one-connection way (nothing written)."""
    plan: ParallelPlan = source.parallel_plan
    info = conninfo_of(ctx.conn)
    file_cols = staging.file_columns(header, mapping, cols)
    header_end = staging.header_end(ctx.path)
    if header_end is None:
        return None
    mid, lines_a = split_point(ctx.path, header_end)
    halves = [Half(scratch_schema(ctx.load_id, "a"), header_end, mid, 2),
              Half(scratch_schema(ctx.load_id, "b"), mid, ctx.path.stat().st_size, 2 + lines_a)]
    with psycopg.connect(info, autocommit=True) as keeper:
        # drop_orphans leaves this load's schemas alone while it runs: the load's own session holds
        # the advisory lock (LOCK_CLASS, load_id) for the whole load (loaders/provenance.py,
        # LOAD_LOCK; the same key). Taking it here too, on another session, would wait forever.
        drop_orphans(keeper)
        schema, table = plan.table
        owner = partitions.owner_of(keeper.cursor(), schema, table)
        for h in halves:
            keeper.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(h.schema)))
            keeper.execute(sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(
                sql.Identifier(h.schema), sql.Identifier(owner)))
            keeper.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(h.schema), sql.Literal(
                f"Scratch of load {ctx.load_id} ({ctx.path.name}) on two connections (loaders/parallel.py): "
                "dropped when the load ends, or by the next such load if this one was killed.")))
        # An empty grid is built once, here, before both halves want it.
        areas.grid_ready(keeper.cursor(), lambda: areas.GRID_BUILD_MIN)
        # Step 0: the fresh tables of every partition, and the router the halves write through.
        filled = partitions.range_partitions(keeper.cursor(), schema, table)
        rest = f"{table}__rest"
        ctx.progress.note("staging and checking two halves on two connections")
        try:
            with keeper.transaction(), keeper.cursor() as kc:
                router, tables = partitions.create_router(kc, halves[0].schema, schema, table, filled, rest)
            fresh = (halves[0].schema, filled)
            both([lambda h=h: run_half(info, source, ctx, h, file_cols, cols, router, fresh) for h in halves])
        except staging.NotPlain:   # a half the server cannot vouch for: the one-connection way
            _drop(keeper, halves)
            return None
        except BaseException:
            _drop(keeper, halves)
            raise
        read = sum(h.rows for h in halves)
        rejects = sorted(r for h in halves for r in h.rejects)
        ctx.meta["staging"] = "server, two connections"
        if rejects and (ctx.options.strict or source.strict):
            _drop(keeper, halves)
            raise staging.strict_refusal(ctx.path, rejects)
        ctx.progress.note("validated; building partitions on two connections")
        with keeper.transaction(), keeper.cursor() as kc:
            partitions.drop_router(kc, halves[0].schema, schema, table, router, tables)
        # If anything below fails, the load's transaction may still hold locks on the scratch
        # tables (it rolls back after this returns): drop_orphans drops them later, not this.
        with ctx.conn.cursor() as cur:
            union = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT * FROM {}").format(sql.Identifier(h.schema, "counts")) for h in halves)
            cur.execute(sql.SQL("CREATE TEMP VIEW stage_counts AS {}").format(union))
            ctx.meta["outside_london"] = sum(h.outside for h in halves)
            loaded = plan.write(cur, ctx, info, halves[0].schema, filled, rest)
            written = sum(h.written for h in halves)
            if loaded != written:   # (never seen: a rollback rather than a silent loss)
                raise LoadError(f"{ctx.path}: two-connection load: {written:,} rows written, "
                                f"{loaded:,} moved in")
            cur.execute("DROP VIEW stage_counts")
            for h in halves:
                cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(h.schema)))
    return read, loaded, len(rejects), rejects


def _drop(conn, halves) -> None:
    for h in halves:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(h.schema)))


class Tasks:
    """The steps of finishing the fresh tables (loaders/partitions.py, :func:`partitions.build_tasks`),
    taken one at a time by whichever connection asks next (each runs :func:`partitions.run_tasks` on the
    same ``Tasks``), in the order given, skipping a step whose table is not ready for it: nothing of a
    table before it is made LOGGED, its ANALYZE not beside or before its index builds (their locks
    conflict). Two connections therefore build one table's indexes at once: a file of one year's crimes
    fills one partition, whose steps one connection ran alone, one after another, while the other
    waited (7.5 s of a 1-million-row load on a stock server, issue 20); and a connection that finishes
    early takes the next step, so neither waits for the other at the end."""

    def __init__(self, tasks: list):
        self._pending = list(tasks)
        self._running: list = []
        self._failed = False
        self._cv = threading.Condition()

    def _ready(self, task) -> bool:
        mine = [t for t in self._pending + self._running if t.part == task.part and t is not task]
        if task.kind == "logged":
            return not any(t in self._running for t in mine)
        if any(t.kind == "logged" for t in mine):
            return False
        if task.kind == "analyze":
            return not any(t.kind == "index" for t in mine)
        if task.kind == "index":
            return not any(t.kind == "analyze" for t in self._running if t.part == task.part)
        return True

    def take(self):
        """The next step this connection may run, waiting while the only ones left wait on steps
        running elsewhere; None when none is left, or one has failed."""
        with self._cv:
            while True:
                if self._failed or not self._pending:
                    return None
                for t in self._pending:
                    if self._ready(t):
                        self._pending.remove(t)
                        self._running.append(t)
                        return t
                if not self._running:   # (cannot happen: with nothing running, something is ready)
                    raise RuntimeError("partition build steps wait on each other")
                self._cv.wait()

    def finish(self, task, failed: bool = False) -> None:
        with self._cv:
            self._running.remove(task)
            self._failed = self._failed or failed
            self._cv.notify_all()

    def __len__(self) -> int:
        with self._cv:
            return len(self._pending) + len(self._running)
