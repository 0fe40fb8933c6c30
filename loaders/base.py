"""The loading engine's vocabulary, below every other loader module: errors, progress, a source's
declared columns and checks, its optional two-connection plan, and a load's options, context and
result. It imports no other module of the package, so every module may import it."""
from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

PROGRESS_EVERY = 100_000


class LoadError(Exception):
    """A file could not be loaded; nothing of it was written. The message says where and why."""


class LoadRefused(LoadError):
    """The file does not fit the source (header, encoding, emptiness, strict rejects)."""


class Progress:
    """Prints rows done and the rate to stderr at most every ``interval`` seconds."""

    def __init__(self, label: str, quiet: bool = False, interval: float = 2.0):
        self.label, self.quiet, self.interval = label, quiet, interval
        self.start = self.last = time.monotonic()
        self.n = 0

    def step(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if not self.quiet and now - self.last >= self.interval:
            self.last = now
            rate = self.n / max(now - self.start, 1e-9)
            print(f"  {self.label}: {self.n:,} rows ({rate:,.0f} rows/s)", file=sys.stderr, flush=True)

    def note(self, msg: str) -> None:
        if not self.quiet:
            print(f"  {self.label}: {msg}", file=sys.stderr, flush=True)


def normalise_header(h: str) -> str:
    return re.sub(r"[^a-z0-9£%]+", " ", h.replace("\ufeff", "").strip().lower()).strip()


@dataclass(frozen=True)
class Column:
    """A column the source expects: staging ``name``, the ``header`` in the published layout,
    accepted ``aliases`` (other spellings seen in the wild)."""
    name: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, found: str) -> bool:
        n = normalise_header(found)
        return n == normalise_header(self.header) or n in {normalise_header(a) for a in self.aliases}


@dataclass(frozen=True)
class Check:
    """A set-based validation: rows where ``valid_sql`` (over staging column names, written by the
    source, never from file content) is not true are rejected with ``reason``.

    ``quick_sql``, when given, is a cheaper test for the common case (a cast instead of a regular
    expression): wherever it is true ``valid_sql`` must be true too, and it may raise an error on a
    value ``valid_sql`` rejects. :func:`loaders.staging.validate` tries the quick tests first and
    runs the exact ones only when some row fails them (or one raises)."""
    column: str
    valid_sql: str
    reason: str
    quick_sql: str | None = None


@dataclass
class LoadOptions:
    force: bool = False           # load even if this exact file (sha256) was loaded before
    strict: bool = False          # any rejected row refuses the whole file
    quiet: bool = False
    rejects_dir: Path = Path("rejects")
    encoding: str | None = None   # override detection
    extra: dict = field(default_factory=dict)   # source-specific (e.g. --vintage)


@dataclass
class LoadResult:
    file: Path
    source: str
    status: str
    load_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    message: str = ""
    rejects_file: Path | None = None
    skipped: dict = field(default_factory=dict)    # rows not loaded on purpose, by reason

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    def line(self) -> str:
        s = (f"{self.file}: {self.status} — {self.rows_read:,} read, {self.rows_loaded:,} loaded, "
             f"{self.rows_skipped:,} skipped, {self.rows_rejected:,} rejected")
        if self.rejects_file:
            s += f" (see {self.rejects_file})"
        for reason, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]):
            s += f"\n    {n:,} skipped: {reason}"
        if self.message and self.status != "loaded":
            s += f"\n    {self.message}"
        return s


@dataclass
class LoadContext:
    conn: psycopg.Connection
    path: Path
    load_id: int
    options: LoadOptions
    progress: Progress
    meta: dict = field(default_factory=dict)    # source-specific facts (e.g. force and month)


@dataclass(frozen=True)
class ParallelPlan:
    """How a source's big files load on two connections (loaders/parallel.py), declared as data.

    ``table``: (schema, table), the month-partitioned table the source writes; ``columns``: the
    columns of it that ``rows_sql`` yields, in order; ``rows_sql``: its finished rows over the view
    ``located_wide`` (with a ``%(load_id)s`` placeholder); ``counts_sql``: its per-slice counts over
    ``stage``, with the typed ``month`` the table is partitioned on (a half whose months all fall in
    one partition writes straight into its fresh table); ``extra_sql``: typed columns added to
    ``located_wide`` (``expression AS name, …`` over ``s``); ``write(cur, ctx, conninfo, scratch,
    filled, rest)``: steps 2 and 3 (index the fresh tables in schema ``scratch`` on two connections and
    swap them in; ``filled``: the partitions they stand for, ``rest``: the table of rows in none),
    returning the rows loaded."""
    table: tuple[str, str]
    columns: tuple[str, ...]
    rows_sql: str
    counts_sql: str
    write: Callable[..., int]
    extra_sql: str = ""
