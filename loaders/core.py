"""The loading core: the :class:`Source` protocol every source follows, and the load of a
delimited file (:func:`load_csv`) that a :class:`CsvSource` gets by default.

A file load is one transaction (loaders/provenance.py): stream the file (UTF-8, UTF-8 with BOM or
Windows-1252; any line ending; loaders/files.py) through psycopg COPY into a temporary staging
table (loaders/staging.py), validate it set-based (messages name file, line, column, value and
reason), write rejects (table + CSV), replace or insert into the final tables, and record
provenance in ``safestats.load``. A file whose header does not fit the source is refused whole,
listing the expected and found columns. A load killed half-way leaves nothing but a provenance row
in status ``running`` and can simply be run again. A big file of a source that declares a
:class:`ParallelPlan` loads on two connections (loaders/parallel.py).

The layers, each importing only those below it: ``base`` (errors, options, columns, checks,
plans) ← ``files`` (reading) ← ``provenance`` (the transaction) and ``staging`` (stage, validate)
← ``areas``/``partitions`` ← ``parallel`` ← ``core`` (this module) ← the sources ← ``registry``.
The names most callers need are importable from here.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import psycopg

from . import parallel, staging
from .base import (
    PROGRESS_EVERY,
    Check,
    Column,
    LoadContext,
    LoadError,
    LoadOptions,
    LoadRefused,
    LoadResult,
    ParallelPlan,
    Progress,
    normalise_header,
)
from .files import csv_table, decode_refusal, detect_encoding, expand_paths, open_text, sha256_of
from .provenance import already_loaded, begin_provenance, finish_provenance, run_load, write_rejects_file
from .staging import strict_refusal, validate

__all__ = [
    "PROGRESS_EVERY", "Check", "Column", "CsvSource", "LoadContext", "LoadError", "LoadOptions",
    "LoadRefused", "LoadResult", "ParallelPlan", "Progress", "Source", "already_loaded",
    "begin_provenance", "csv_table", "decode_refusal", "detect_encoding", "expand_paths",
    "finish_provenance", "load_csv", "load_each", "normalise_header", "open_text", "run_load",
    "server_can_parse", "sha256_of", "strict_refusal", "validate", "write_rejects_file",
]


class Source:
    """What a source is, declared: its ``name`` (the CLI's and provenance's), a one-line
    ``description``, the ``target`` tables it writes, its ``columns`` and ``checks``, its
    command-line options (:meth:`add_arguments`) and, for big files that may load on two
    connections, a :class:`ParallelPlan` (None: never). Every source loads a file with
    :meth:`load`; a :class:`CsvSource` does it through :func:`load_csv`, other sources (vector
    files, a dispatcher that picks a layout) override it."""

    name: str = ""
    description: str = ""         # one line; default: the first line of the long description
    doc: str | None = None        # the long description; default: the docstring of the source's module
    target: str = ""              # the tables the source writes (for readers of the code and docs)
    columns: list[Column] = []
    checks: list[Check] = []
    parallel_plan: ParallelPlan | None = None

    def add_arguments(self, parser) -> None:
        """Add the source's own command-line options to ``parser`` (default: none)."""

    def load(self, conn: psycopg.Connection, path: Path, options: LoadOptions | None = None) -> LoadResult:
        """Load one file (one transaction; see the module docstring)."""
        raise NotImplementedError

    def batch_options(self, options: LoadOptions, n_files: int) -> LoadOptions:
        """The options each file of a command of ``n_files`` files loads with (:func:`load_each`);
        e.g. a source whose files feed one derived table defers its rebuild to :meth:`after_batch`.
        Default: the command's own options."""
        return options

    def after_batch(self, conn: psycopg.Connection, results: list[LoadResult], options: LoadOptions) -> None:
        """Once after all files of a command (:func:`load_each`; ``results``: the files loaded, any
        status; ``options``: those :meth:`batch_options` gave the files). Default: nothing."""

    def long_description(self) -> str:
        if self.doc is not None:
            return self.doc
        return sys.modules[type(self).__module__].__doc__ or ""

    def summary(self) -> str:
        return self.description or self.long_description().strip().splitlines()[0]


class CsvSource(Source):
    """A delimited-text source. Subclasses set ``name``, ``columns``, ``checks`` and implement
    :meth:`write` (move validated staging rows into the final tables)."""

    delimiter: str = ","
    header_rows: int = 1          # rows before data; the header is the first of them
    strict: bool = False          # the source's own policy (e.g. police.uk files are whole records)
    encoding: str | None = None   # the source's known encoding (None: detect); --encoding wins

    def load(self, conn: psycopg.Connection, path: Path, options: LoadOptions | None = None) -> LoadResult:
        return load_csv(conn, self, path, options)

    # -- reading -------------------------------------------------------------------------
    def open_table(self, ctx: LoadContext):
        """Context manager yielding (header, records) where records are (line_no, [str, ...]).
        Default: delimited text (:func:`loaders.files.csv_table`); a source reading Excel overrides this."""
        return csv_table(self, ctx)

    # -- hooks ---------------------------------------------------------------------------
    def staging_columns(self) -> list[str]:
        return [c.name for c in self.columns]

    def map_header(self, path: Path, header: list[str]) -> list[int | None]:
        """Index in the file row of each staging column; refuses the file when required ones lack."""
        idx: list[int | None] = []
        missing = []
        for col in self.columns:
            pos = next((i for i, h in enumerate(header) if col.matches(h)), None)
            if pos is None and col.required:
                missing.append(col.header)
            idx.append(pos)
        if missing:
            raise LoadRefused(
                f"{path}: line 1: the header does not fit source '{self.name}'.\n"
                f"    missing:  {', '.join(missing)}\n"
                f"    expected: {', '.join(c.header for c in self.columns)}\n"
                f"    found:    {', '.join(h.strip() for h in header)}")
        return idx

    def rows(self, path: Path, header: list[str], mapping: list[int | None],
             records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, str | None, list]]:
        """Yield (line_no, problem, values) per staging row. Wide layouts override this to melt."""
        width = len(header)
        for line_no, rec in records:
            if len(rec) != width:
                yield line_no, f"expected {width} fields, found {len(rec)}", [None] * len(mapping)
                continue
            yield line_no, None, [(rec[i].strip() or None) if i is not None else None for i in mapping]

    def prepare(self, cur: psycopg.Cursor, ctx: LoadContext) -> None:
        """Before validation: e.g. derive columns in staging. Default: nothing."""

    def write(self, cur: psycopg.Cursor, ctx: LoadContext) -> int:
        """Move validated rows from ``stage`` into the final tables; return rows loaded."""
        raise NotImplementedError


def load_csv(conn: psycopg.Connection, source: CsvSource, path: Path,
             options: LoadOptions | None = None) -> LoadResult:
    """Load one delimited file of ``source`` (see the module docstring for the guarantees)."""
    options = options or LoadOptions()
    return run_load(conn, source.name, Path(path), options, lambda ctx: _csv_body(source, ctx))


def load_each(conn: psycopg.Connection, source: Source, paths: Iterable[Path],
              options: LoadOptions) -> Iterator[tuple[Path, LoadResult | LoadError]]:
    """Load each file with ``source`` (each its own transaction) and yield (path, result) as it
    ends, or (path, error) for a file not loaded: a failed file does not stop the others. Once the
    last file is done, the source's :meth:`Source.after_batch` runs (e.g. one gazetteer rebuild for
    the whole command)."""
    paths = list(paths)
    file_options = source.batch_options(options, len(paths))
    results = []
    for path in paths:
        try:
            result = source.load(conn, path, file_options)
        except LoadError as e:
            yield path, e
            continue
        results.append(result)
        yield path, result
    source.after_batch(conn, results, file_options)


def server_can_parse(source: CsvSource, ctx: LoadContext, mapping: list[int | None]) -> bool:
    """Whether the file can be staged by the server's CSV parser (loaders/staging.py): the source
    reads it with the default reader and row mapping, one header line, and the file suits."""
    cls = type(source)
    return (cls.rows is CsvSource.rows and cls.open_table is CsvSource.open_table
            and source.header_rows == 1 and staging.server_parsable(ctx, source.delimiter, mapping))


def _csv_body(source: CsvSource, ctx: LoadContext):
    path, options, conn = ctx.path, ctx.options, ctx.conn
    with source.open_table(ctx) as (header, records):
        mapping = source.map_header(path, header)
        cols = source.staging_columns()
        plain = server_can_parse(source, ctx, mapping)
        if plain and source.parallel_plan is not None and parallel.eligible(source.parallel_plan, ctx):
            done = parallel.load(source, ctx, header, mapping, cols)
            if done is not None:
                return done
        with conn.cursor() as cur:
            n = staging.stage_fast(cur, source.delimiter, ctx, header, mapping, cols) if plain else None
            ctx.meta["staging"] = "server"
            if n is None:
                ctx.meta["staging"] = "rows"
                n = staging.stage_rows(cur, source, ctx, header, mapping, records, cols)
            if n == 0:
                raise LoadRefused(f"{path}: no data rows after the header")
            cur.execute("ANALYZE stage")
            source.prepare(cur, ctx)
            rejects = validate(cur, source.checks)
            if rejects and (options.strict or source.strict):
                raise strict_refusal(path, rejects)
            staging.delete_rejected(cur, rejects)
            ctx.progress.note("validated; writing")
            loaded = source.write(cur, ctx)
    return n, loaded, len(rejects), rejects
