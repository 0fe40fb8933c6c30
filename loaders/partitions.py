"""Bulk mode for writing a file into a month-partitioned table.

Inserting rows one by one into an indexed partition updates every index (a GiST one especially)
row by row. When a file's rows fill a partition that is empty, or that holds nothing but the slices
the file replaces, the partition is rebuilt instead: a fresh table of the same layout is filled in
one pass and then attached, and attaching builds the parent's indexes on it by sorting, many times
cheaper than incremental inserts. It all happens inside the load's transaction, so a killed load
leaves the old partition as it was; while the transaction runs, readers of the table wait (dropping
and attaching a partition locks the parent).

Rows reach the fresh tables through a scratch partitioned table of the same layout (no indexes), so
one INSERT … SELECT routes every row of the file, however many partitions it spans.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from psycopg import sql

from . import session

# A partition is rebuilt only for at least this many of the file's rows: below it the DDL costs
# more than the index updates it saves (and keeps locks short for small monthly files).
# SAFESTATS_BULK_MIN_ROWS overrides it (the benchmark measures both ways on the same file).
BULK_MIN_ROWS = int(os.environ.get("SAFESTATS_BULK_MIN_ROWS", 20_000))
# The statistics target of a partition's ANALYZE after a rebuild. PostgreSQL's default (100) samples
# 30,000 rows and keeps up to 100 common values per column: for a year's partition of street crime
# (12 months, 14 crime types, 33 boroughs) 35 keeps every month, type and borough in the common-value
# lists from a 10,500-row sample, at about a third of the time (a load spanning 25 years analysed 25
# partitions, 3 s of its 15 on two connections: issue 20). SAFESTATS_PARTITION_STATISTICS overrides.
PARTITION_STATISTICS_TARGET = int(os.environ.get("SAFESTATS_PARTITION_STATISTICS", 35))
BOUND = re.compile(r"FOR VALUES FROM \('([0-9-]+)'\) TO \('([0-9-]+)'\)")


@dataclass(frozen=True)
class Partition:
    schema: str
    name: str
    lo: dt.date
    hi: dt.date

    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)


def range_partitions(cur, schema: str, table: str) -> list[Partition]:
    """The range partitions of ``schema.table`` (the default partition is never rebuilt)."""
    rows = cur.execute("""
        SELECT n.nspname, c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.inhparent = format('%%I.%%I', %s::text, %s::text)::regclass""", (schema, table)).fetchall()
    out = []
    for s, n, bound in rows:
        m = BOUND.fullmatch(bound or "")
        if m:
            out.append(Partition(s, n, dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))))
    return out


def can_rebuild(cur, schema: str, table: str) -> bool:
    """Rebuilding partitions needs the table owner's rights (a superuser, or a member of the owner)."""
    return cur.execute("""SELECT pg_has_role(current_user, c.relowner, 'MEMBER')
                          FROM pg_class c WHERE c.oid = format('%%I.%%I', %s::text, %s::text)::regclass""",
                       (schema, table)).fetchone()[0]


def candidates(cur, schema: str, table: str, slices: list[tuple[str, dt.date, int]]) -> list[Partition]:
    """Partitions of ``schema.table`` that would take at least BULK_MIN_ROWS of the file's rows
    (``slices``: (key 1, month, rows)), where this login may rebuild them; nothing read but the catalog."""
    if not slices or not can_rebuild(cur, schema, table):
        return []
    return [p for p in range_partitions(cur, schema, table)
            if sum(n for _, m, n in slices if p.lo <= m < p.hi) >= BULK_MIN_ROWS]


def held_rows(cur, parts: list[Partition], slices: list[tuple[str, dt.date, int]],
              key: tuple[str, str]) -> dict[str, int | None]:
    """For each of ``parts`` (by name), in one scan of it: the rows it holds now when every one of them
    belongs to a slice (``key`` columns = a slice) the file replaces, else None (the partition holds
    rows the file does not replace, so it must not be rebuilt)."""
    mine = {(k1, m) for k1, m, _ in slices}
    out: dict[str, int | None] = {}
    for p in parts:
        held = cur.execute(sql.SQL("SELECT {k1}, {k2}, count(*) FROM {p} GROUP BY 1, 2").format(
            p=p.ident(), k1=sql.Identifier(key[0]), k2=sql.Identifier(key[1]))).fetchall()
        out[p.name] = sum(n for _, _, n in held) if all((k1, k2) in mine for k1, k2, _ in held) else None
    return out


def rebuildable(cur, schema: str, table: str, slices: list[tuple[str, dt.date, int]],
                key: tuple[str, str]) -> tuple[list[Partition], int]:
    """Partitions this file may rebuild: its rows there number at least BULK_MIN_ROWS, and every
    row the partition holds now belongs to a slice (``key`` columns = a slice) the file replaces;
    and the rows they hold now (replaced)."""
    parts = candidates(cur, schema, table, slices)
    held = held_rows(cur, parts, slices, key)
    return [p for p in parts if held[p.name] is not None], sum(n for n in held.values() if n is not None)


def rebuild(cur, schema: str, table: str, parts: list[Partition], columns: list[str],
            select: sql.Composable, params) -> int:
    """Replace ``parts`` of ``schema.table`` by fresh tables holding the rows of ``select`` (which
    yields ``columns`` and only rows inside the parts' bounds); returns rows written."""
    if not parts:
        return 0
    parent = sql.Identifier(schema, table)
    owner = cur.execute("SELECT c.relowner::regrole::text FROM pg_class c WHERE c.oid = %s::regclass",
                        (f"{schema}.{table}",)).fetchone()[0]
    scratch = sql.Identifier(schema, f"{table}__bulk")
    # Create as the owner, so the new tables get the owner and default privileges the old ones had.
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    cur.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
                        "PARTITION BY RANGE (month)").format(scratch, parent))
    for p in parts:
        cur.execute(sql.SQL("DROP TABLE {}").format(p.ident()))
        cur.execute(sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
            p.ident(), scratch, sql.Literal(p.lo), sql.Literal(p.hi)))
    cur.execute("RESET ROLE")
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    cur.execute(sql.SQL("INSERT INTO {} ({}) {}").format(scratch, cols, select), params)
    n = cur.rowcount
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    for p in parts:
        cur.execute(sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(scratch, p.ident()))
        # A constraint that implies the bounds spares ATTACH a scan of the new table.
        cur.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} CHECK (month >= {} AND month < {})").format(
            p.ident(), sql.Identifier(f"{p.name}_bounds"), sql.Literal(p.lo), sql.Literal(p.hi)))
        cur.execute(sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES FROM ({}) TO ({})").format(
            parent, p.ident(), sql.Literal(p.lo), sql.Literal(p.hi)))
    cur.execute(sql.SQL("DROP TABLE {}").format(scratch))
    cur.execute("RESET ROLE")
    return n


# --------------------------------------------------------------------------- built elsewhere
# A load spread over several connections (loaders/parallel.py) builds the fresh tables, indexes
# included, in its scratch schemas, each connection committing its own; the load's own transaction
# then only swaps them in (:func:`swap_in`), which is quick: the indexes exist, and ATTACH adopts
# an index that matches the parent's instead of building one.
def owner_of(cur, schema: str, table: str) -> str:
    return cur.execute("SELECT c.relowner::regrole::text FROM pg_class c WHERE c.oid = %s::regclass",
                       (f"{schema}.{table}",)).fetchone()[0]


def index_statements(cur, schema: str, table: str, target: sql.Identifier,
                     part_name: str) -> list[sql.Composable]:
    """Statements giving ``target`` (a fresh table named ``part_name``) the indexes of the partitioned
    ``schema.table`` in one transaction: :func:`index_builds`, each constraint made as soon as its index
    exists."""
    return [stmt for b in index_builds(cur, schema, table, target, part_name)
            for stmt in (b.create, b.constraint) if stmt is not None]


def unlogged_scratch(cur) -> bool:
    """Whether :func:`create_router` makes its fresh tables UNLOGGED: only where ``wal_level =
    minimal`` (the embedded cluster). There a table filled in an earlier transaction WAL-logs every
    row (523 MiB for a 1-million-row police.uk file, against 162 MiB when tables were created and
    filled in one transaction), while ``ALTER TABLE … SET LOGGED`` in the transaction that finishes it
    writes a new copy that skips the WAL and is synced at commit. On ``replica`` the same rewrite would
    WAL-log the whole copy on top of the rows, so there the tables are logged from the start."""
    return cur.execute("SELECT current_setting('wal_level') = 'minimal'").fetchone()[0]


def create_router(cur, scratch_schema: str, schema: str, table: str, parts: list[Partition],
                  rest: str | None = None) -> tuple[sql.Identifier, list[sql.Identifier]]:
    """In the caller's transaction: the scratch partitioned table ``scratch_schema.<table>__bulk``
    (the layout of ``schema.table``, no indexes) with a fresh table per part, named as the part, and,
    when ``rest`` names it, a default partition for rows outside them; returns (router, part tables).
    Rows inserted into it are routed to the fresh tables (role: the loading login, left so).

    Where ``wal_level = minimal`` the fresh tables are UNLOGGED, and :func:`build_tasks` makes
    each one it finishes LOGGED: the other connections fill them in transactions of their own, so
    their rows would all be WAL-logged, where a table made logged by a rewrite in the finishing
    transaction is, on ``minimal``, synced at commit instead (see :func:`unlogged_scratch`)."""
    parent = sql.Identifier(schema, table)
    router = sql.Identifier(scratch_schema, f"{table}__bulk")
    owner = owner_of(cur, schema, table)
    persistence = sql.SQL("UNLOGGED " if unlogged_scratch(cur) else "")
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    cur.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
                        "PARTITION BY RANGE (month)").format(router, parent))
    tables = [sql.Identifier(scratch_schema, p.name) for p in parts]
    for p, t in zip(parts, tables):
        cur.execute(sql.SQL("CREATE {}TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
            persistence, t, router, sql.Literal(p.lo), sql.Literal(p.hi)))
        # The CHECK that lets ATTACH PARTITION skip its scan, added while the table is empty: each
        # row is then checked as it is written, instead of a scan of the table just written (which
        # also paid for setting its hint bits).
        cur.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} CHECK (month >= {} AND month < {})").format(
            t, sql.Identifier(f"{p.name}_bounds"), sql.Literal(p.lo), sql.Literal(p.hi)))
    if rest:
        cur.execute(sql.SQL("CREATE {}TABLE {} PARTITION OF {} DEFAULT").format(
            persistence, sql.Identifier(scratch_schema, rest), router))
        tables.append(sql.Identifier(scratch_schema, rest))
    cur.execute("RESET ROLE")   # the rows come from the loading login's scratch tables
    return router, tables


def drop_router(cur, scratch_schema: str, schema: str, table: str, router: sql.Identifier,
                tables: list[sql.Identifier]) -> None:
    """Detach ``tables`` from ``router`` (:func:`create_router`) and drop it: the tables stay, filled."""
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner_of(cur, schema, table))))
    for t in tables:
        cur.execute(sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(router, t))
    cur.execute(sql.SQL("DROP TABLE {}").format(router))
    cur.execute("RESET ROLE")


@dataclass(frozen=True)
class IndexBuild:
    """One index of a partitioned table, for a fresh table about to become a partition: ``create`` builds
    it (a primary key or unique constraint as a plain unique index, so that two connections can build
    a table's indexes at once: ADD PRIMARY KEY would lock the table against them); ``constraint``,
    where there is one, then makes that index the constraint (quick: the index exists and the columns
    are NOT NULL). ``weight``: how long it takes to build, relative to the others (text keys compare by
    collation, several times slower than numbers, dates or points)."""
    create: sql.Composable
    constraint: sql.Composable | None
    weight: float


def index_builds(cur, schema: str, table: str, target: sql.Identifier, part_name: str) -> list[IndexBuild]:
    """The indexes of the partitioned ``schema.table`` as :class:`IndexBuild` s for ``target`` (a fresh
    table named ``part_name``): constraint indexes named as ADD PRIMARY KEY / ADD UNIQUE would name them,
    the others by the server, as ATTACH would name them."""
    out = []
    for defn, contype, conname, text_keys in cur.execute("""
            SELECT pg_get_indexdef(i.indexrelid), k.contype, k.conname,
                   (SELECT count(*) FROM unnest(i.indcollation::oid[]) c WHERE c <> 0)
            FROM pg_index i LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.contype IN ('p', 'u')
            WHERE i.indrelid = format('%%I.%%I', %s::text, %s::text)::regclass ORDER BY i.indexrelid""",
                                                         (schema, table)).fetchall():
        # "CREATE [UNIQUE] INDEX name ON ONLY schema.table USING method (columns)"
        m = re.fullmatch(r"CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ (USING (\w+) .+)", defn)
        if not m:
            raise ValueError(f"cannot rebuild an index defined as: {defn}")
        weight = 1.5 if m.group(3) == "gist" else 0.5 + text_keys
        if contype:
            suffix = "pkey" if contype == "p" else conname.removeprefix(f"{table}_")
            name = sql.Identifier(f"{part_name}_{suffix}"[:63])
            out.append(IndexBuild(
                sql.SQL("CREATE UNIQUE INDEX {} ON {} {}").format(name, target, sql.SQL(m.group(2))),
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}").format(
                    target, name, sql.SQL("PRIMARY KEY" if contype == "p" else "UNIQUE"), name),
                weight))
        else:
            out.append(IndexBuild(sql.SQL("CREATE {}INDEX ON {} {}").format(
                sql.SQL(m.group(1) or ""), target, sql.SQL(m.group(2))), None, weight))
    return out


@dataclass(frozen=True)
class Task:
    """One step of finishing a fresh table on the connections that share the work (loaders/parallel.py,
    ``Tasks``), run in a transaction of its own. ``kind``: ``logged`` (ALTER TABLE … SET LOGGED: before
    anything else of its table), ``index`` (any number at once on one table: each takes a SHARE lock),
    ``analyze`` (after its table's indexes: ANALYZE's lock conflicts with CREATE INDEX's) or ``derived``
    (a summary built from the table, e.g. police.uk's cell counts: it only reads the table).
    ``weight``: the expected work, the rows times how costly the step is per row."""
    part: Partition
    kind: str
    weight: float
    run: object   # run(cur) -> None


def build_tasks(cur, scratch_schema: str, schema: str, table: str, parts: list[Partition], rows_in: dict,
                statistics: list[str] | None = None, derived=None) -> list[Task]:
    """The tasks that give the filled, detached tables of ``parts`` in ``scratch_schema``
    (:func:`create_router`) the parent's indexes and statistics, and, with ``derived(cur, part, table)``,
    whatever is built from each (role: the loading login). In the order they are best taken: the
    partitions with the most rows first (``rows_in``: rows by partition name), and within one the
    costliest steps first. ``statistics``: the columns to ANALYZE (default all); free-text columns
    nobody filters or groups on cost the most to sample and are worth leaving out. The constraints
    (primary key) are added when the tables are swapped in (:func:`swap_in`)."""
    owner = sql.Identifier(owner_of(cur, schema, table))
    analyze_columns = sql.SQL("({})").format(sql.SQL(", ").join(map(sql.Identifier, statistics))) \
        if statistics else sql.SQL("")

    def as_owner(stmt):
        def run(c):
            c.execute(sql.SQL("SET ROLE {}").format(owner))
            c.execute(stmt)
            c.execute("RESET ROLE")
        return run

    def analyze(t):
        def run(c):
            # (a sample of 300 × PARTITION_STATISTICS_TARGET rows, see the constant; now, on this
            # connection: the load's own transaction only swaps the table in, issue 19)
            c.execute("SELECT set_config('default_statistics_target', %s, true)",
                      (str(PARTITION_STATISTICS_TARGET),))
            as_owner(sql.SQL("ANALYZE {} {}").format(t, analyze_columns))(c)
        return run

    out: list[Task] = []
    for p in sorted(parts, key=lambda p: (-rows_in.get(p.name, 0), p.name)):
        n = max(1, rows_in.get(p.name, 0))
        t = sql.Identifier(scratch_schema, p.name)
        steps: list[Task] = []
        if cur.execute("SELECT relpersistence = 'u' FROM pg_class "
                       "WHERE oid = format('%%I.%%I', %s::text, %s::text)::regclass",
                       (scratch_schema, p.name)).fetchone()[0]:
            # (wal_level = minimal, see unlogged_scratch) a copy made before any index exists: it skips
            # the WAL, and the indexes are built once, on the copy
            steps.append(Task(p, "logged", n * 0.5, as_owner(sql.SQL("ALTER TABLE {} SET LOGGED").format(t))))
        for b in index_builds(cur, schema, table, t, p.name):
            steps.append(Task(p, "index", n * b.weight, as_owner(b.create)))
        if derived is not None:
            steps.append(Task(p, "derived", n * 2.0, lambda c, p=p, t=t: derived(c, p, t)))
        steps.append(Task(p, "analyze", n * 0.3, analyze(t)))
        out += sorted(steps, key=lambda s: (s.kind != "logged", -s.weight))
    return out


def run_tasks(conn, tasks) -> None:
    """On ``conn`` (autocommit, a connection of its own): take tasks from ``tasks`` (loaders/parallel.py,
    ``Tasks``, which other connections take from too) until none is left, each in a transaction of its
    own, committed without waiting for the WAL flush (``synchronous_commit = off``): the tables are
    scratch until the load's own transaction swaps them in, and that commit flushes everything before
    it. A failed task stops the others from taking more."""
    session.tune(conn, parallel_maintenance=False, async_commit=True, local=False)
    while (task := tasks.take()) is not None:
        try:
            with conn.transaction(), conn.cursor() as cur:
                task.run(cur)
        except BaseException:
            tasks.finish(task, failed=True)
            raise
        tasks.finish(task)


def build_one(cur, scratch_schema: str, schema: str, table: str, part: Partition, columns: list[str],
              select: sql.Composable, params, statistics: list[str] | None = None) -> int:
    """In the caller's transaction (role: the loading login, left so): one fresh table for ``part``
    of ``schema.table`` in ``scratch_schema``, as :func:`create_router` and :func:`build_tasks`
    make them (the parent's columns, defaults, CHECKs and indexes, a CHECK matching the bounds,
    statistics), filled straight
    from ``select`` (``columns``, only rows inside the bounds); returns rows written. For a table
    whose rows come from one place each (no routing): :func:`swap_in` takes it like the others."""
    parent = sql.Identifier(schema, table)
    t = sql.Identifier(scratch_schema, part.name)
    owner = owner_of(cur, schema, table)
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    cur.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)").format(
        t, parent))
    cur.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} CHECK (month >= {} AND month < {})").format(
        t, sql.Identifier(f"{part.name}_bounds"), sql.Literal(part.lo), sql.Literal(part.hi)))
    cur.execute("RESET ROLE")   # the select reads the loading login's scratch tables
    cur.execute(sql.SQL("INSERT INTO {} ({}) {}").format(t, sql.SQL(", ").join(map(sql.Identifier, columns)),
                                                         select), params)
    n = cur.rowcount
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    for stmt in index_statements(cur, schema, table, t, part.name):
        cur.execute(stmt)
    cur.execute("SELECT set_config('default_statistics_target', %s, true)",
                (str(PARTITION_STATISTICS_TARGET),))
    cur.execute(sql.SQL("ANALYZE {} {}").format(t, sql.SQL("({})").format(
        sql.SQL(", ").join(map(sql.Identifier, statistics))) if statistics else sql.SQL("")))
    cur.execute("RESET ROLE")
    return n


def swap_in(cur, scratch_schema: str, schema: str, table: str, parts: list[Partition]) -> None:
    """In the load's transaction: replace each of ``parts`` by its table built in ``scratch_schema``
    (:func:`run_tasks`, :func:`build_one`), first making the unique indexes :func:`build_tasks` built
    the parent's constraints where the table does not have them yet. A rollback leaves the old
    partitions and the built tables as they were."""
    owner = owner_of(cur, schema, table)
    parent = sql.Identifier(schema, table)
    cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
    for p in parts:
        t = sql.Identifier(scratch_schema, p.name)
        has = cur.execute("SELECT count(*) FROM pg_constraint WHERE contype IN ('p', 'u') "
                          "AND conrelid = format('%%I.%%I', %s::text, %s::text)::regclass",
                          (scratch_schema, p.name)).fetchone()[0]
        if not has:
            for b in index_builds(cur, schema, table, t, p.name):
                if b.constraint is not None:
                    cur.execute(b.constraint)
        cur.execute(sql.SQL("DROP TABLE {}").format(p.ident()))
        cur.execute(sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(t, sql.Identifier(schema)))
        cur.execute(sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES FROM ({}) TO ({})").format(
            parent, p.ident(), sql.Literal(p.lo), sql.Literal(p.hi)))
    cur.execute("RESET ROLE")
