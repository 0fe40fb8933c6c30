"""The loading core every loader uses.

A file load is one transaction: stream the file (UTF-8, UTF-8 with BOM or Windows-1252; any line
ending) through psycopg COPY into a temporary staging table, validate it set-based (messages name
file, line, column, value and reason), write rejects (table + CSV), replace or insert into the final
tables, and record provenance in ``safestats.load``. A file whose header does not fit the source is
refused whole, listing the expected and found columns. A load killed half-way leaves nothing but a
provenance row in status ``running`` and can simply be run again.
"""
from __future__ import annotations

import codecs
import csv
import getpass
import glob
import hashlib
import io
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import psycopg
from psycopg import sql

PROGRESS_EVERY = 100_000


class LoadError(Exception):
    """A file could not be loaded; nothing of it was written. The message says where and why."""


class LoadRefused(LoadError):
    """The file does not fit the source (header, encoding, emptiness, strict rejects)."""


# --------------------------------------------------------------------------- progress
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


# --------------------------------------------------------------------------- reading files
def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the sample decodes, else ``cp1252``."""
    opener = open
    if str(path).endswith(".gz"):
        import gzip
        opener = gzip.open
    with opener(path, "rb") as f:
        head = f.read(sample_size)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # A multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def open_text(path: Path, encoding: str | None = None) -> tuple[io.TextIOBase, str]:
    """A text stream for csv (newline='' so CR, LF and CRLF all end records), and its encoding."""
    enc = encoding or detect_encoding(path)
    if str(path).endswith(".gz"):
        import gzip
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=enc, newline=""), enc
    return open(path, encoding=enc, newline=""), enc


def locate_decode_error(path: Path, encoding: str) -> tuple[int, bytes]:
    """Line number (1-based) and raw bytes of the first line that does not decode (diagnostics only)."""
    opener = open
    if str(path).endswith(".gz"):
        import gzip
        opener = gzip.open
    with opener(path, "rb") as f:
        raw = f.read()
    sep = b"\n" if b"\n" in raw else b"\r"
    for i, line in enumerate(raw.split(sep), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return i, line[:80]
    return 0, b""


def decode_refusal(path: Path, encoding: str) -> "LoadRefused":
    line, raw = locate_decode_error(path, encoding)
    return LoadRefused(f"{path}: line {line}: bytes that are not valid {encoding} ({raw!r}); save the file "
                       f"as UTF-8 (or Windows-1252), or pass --encoding")


def normalise_header(h: str) -> str:
    return re.sub(r"[^a-z0-9£%]+", " ", h.replace("\ufeff", "").strip().lower()).strip()


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """Globs and plain paths to a sorted, de-duplicated list of files; a pattern that matches
    nothing is an error (a typo must not load nothing silently)."""
    out: list[Path] = []
    for p in patterns:
        matches = sorted(glob.glob(os.path.expanduser(p)))
        if not matches:
            raise LoadError(f"{p}: no such file")
        out.extend(Path(m) for m in matches)
    seen, unique = set(), []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


# --------------------------------------------------------------------------- sources
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
    value ``valid_sql`` rejects. :func:`validate` tries the quick tests first and runs the exact
    ones only when some row fails them (or one raises)."""
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

    def line(self) -> str:
        s = (f"{self.file}: {self.status} — {self.rows_read:,} read, {self.rows_loaded:,} loaded, "
             f"{self.rows_rejected:,} rejected")
        if self.rejects_file:
            s += f" (see {self.rejects_file})"
        if self.message and self.status != "loaded":
            s += f"\n    {self.message}"
        return s


class CsvSource:
    """A delimited-text source. Subclasses set ``name``, ``columns``, ``checks`` and implement
    :meth:`write` (move validated staging rows into the final tables)."""

    name: str = ""
    description: str = ""
    columns: list[Column] = []
    checks: list[Check] = []
    delimiter: str = ","
    header_rows: int = 1          # rows before data; the header is the first of them
    strict: bool = False          # the source's own policy (e.g. police.uk files are whole records)
    encoding: str | None = None   # the source's known encoding (None: detect); --encoding wins

    # -- reading -------------------------------------------------------------------------
    def open_table(self, ctx: "LoadContext"):
        """Context manager yielding (header, records) where records are (line_no, [str, ...]).
        Default: delimited text (:func:`csv_table`); a source reading Excel overrides this."""
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

    def prepare(self, cur: psycopg.Cursor, ctx: "LoadContext") -> None:
        """Before validation: e.g. derive columns in staging. Default: nothing."""

    def write(self, cur: psycopg.Cursor, ctx: "LoadContext") -> int:
        """Move validated rows from ``stage`` into the final tables; return rows loaded."""
        raise NotImplementedError


@dataclass
class LoadContext:
    conn: psycopg.Connection
    path: Path
    load_id: int
    options: LoadOptions
    progress: Progress
    meta: dict = field(default_factory=dict)    # source-specific facts (e.g. force and month)


# --------------------------------------------------------------------------- provenance
def begin_provenance(conn: psycopg.Connection, source: str, path: Path, sha: str) -> int:
    """A provenance row in its own committed transaction, so a failure or a kill stays visible."""
    with conn.transaction():
        return conn.execute(
            "INSERT INTO safestats.load (source, file_name, sha256, os_user, details) "
            "VALUES (%s, %s, %s, %s, jsonb_build_object('path', %s::text)) RETURNING load_id",
            (source, path.name, sha, getpass.getuser(), str(path.resolve()))).fetchone()[0]


def finish_provenance(conn: psycopg.Connection, load_id: int, status: str, read: int, loaded: int,
                      rejected: int, message: str = "", details: dict | None = None) -> None:
    with conn.transaction():
        conn.execute(
            "UPDATE safestats.load SET status = %s, rows_read = %s, rows_loaded = %s, rows_rejected = %s, "
            "message = nullif(%s, ''), finished_at = clock_timestamp(), "
            "details = details || %s::jsonb WHERE load_id = %s",
            (status, read, loaded, rejected, message, psycopg.types.json.Jsonb(details or {}), load_id))


def already_loaded(conn: psycopg.Connection, source: str, sha: str) -> int | None:
    row = conn.execute("SELECT load_id FROM safestats.load WHERE source = %s AND sha256 = %s "
                       "AND status = 'loaded' ORDER BY load_id DESC LIMIT 1", (source, sha)).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- the load
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
            read, loaded, rejected, rejects = body(ctx)
            rejects_file = None
            if rejects:
                with conn.cursor() as cur:
                    with cur.copy("COPY safestats.load_reject (load_id, line_no, column_name, value, reason) "
                                  "FROM STDIN") as cp:
                        for r in rejects:
                            cp.write_row((load_id, *r))
                rejects_file = write_rejects_file(options.rejects_dir, source_name, path, load_id, rejects)
    except LoadError as e:
        conn.rollback() if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE else None
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
    finish_provenance(conn, load_id, "loaded", read, loaded, rejected, details=ctx.meta)
    return LoadResult(path, source_name, "loaded", load_id, read, loaded, rejected,
                      rejects_file=rejects_file)


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


def load_csv(conn: psycopg.Connection, source: CsvSource, path: Path,
             options: LoadOptions | None = None) -> LoadResult:
    """Load one delimited file of ``source`` (see the module docstring for the guarantees)."""
    options = options or LoadOptions()

    def body(ctx: LoadContext):
        return _load_csv_body(source, ctx)

    return run_load(conn, source.name, Path(path), options, body)


def _records(reader, path: Path, first_line: int, encoding: str) -> Iterator[tuple[int, list[str]]]:
    last = first_line
    try:
        for rec in reader:
            line_no = last + 1
            last = reader.line_num
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue   # blank line
            yield line_no, rec
    except UnicodeDecodeError as e:
        raise decode_refusal(path, encoding) from e
    except csv.Error as e:
        raise LoadRefused(f"{path}: line {last + 1}: unreadable CSV ({e})") from e


@contextmanager
def csv_table(source: "CsvSource", ctx: LoadContext):
    """The default table reader: (header, records) of a delimited text file, streamed."""
    path, options = ctx.path, ctx.options
    stream, enc = open_text(path, options.encoding or source.encoding)
    ctx.meta["encoding"] = enc
    with stream:
        reader = csv.reader(stream, delimiter=source.delimiter)
        try:
            header = next(reader)
            for _ in range(source.header_rows - 1):
                next(reader)
        except StopIteration:
            raise LoadRefused(f"{path}: the file is empty (no header line)")
        except UnicodeDecodeError as e:
            raise decode_refusal(path, enc) from e
        except csv.Error as e:
            raise LoadRefused(f"{path}: line 1: unreadable CSV ({e})") from e
        yield header, _records(reader, path, reader.line_num, enc)


# --------------------------------------------------------------------------- fast staging
# A plain delimited file (the base reader and row mapping, one header line, no quoted line breaks,
# no blank lines, every row the header's width, no value with blanks around it or quoted empty)
# is parsed by the server itself: its bytes go to COPY … (FORMAT csv) as they are, several times
# faster than parsing in Python and writing row by row. Anything else the fast path cannot vouch
# for rolls back to a savepoint and the file goes the row-by-row way, which gives each problem its
# line and reason; both ways stage the same rows with the same line numbers.
PG_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1252": "WIN1252"}
# Bytes the row-by-row way would treat differently: it strips blanks around values and makes an
# empty value NULL, where COPY keeps blanks and makes "" an empty string. Seeing a blank next to a
# delimiter, quote or line break, a doubled quote, or a Unicode blank sends the file the row-by-row
# way (some of these are harmless text, which only costs speed). A byte translation marks blanks W,
# delimiters/quotes/line breaks D and the lead bytes of the Unicode blanks U, so two substring
# searches find a blank beside a delimiter and the rarer cases are looked for only when a one-byte
# search says they may be there (a regular expression over every byte cost more than the COPY
# itself; searching each Unicode blank in every chunk cost more than the rest together).
BLANKS = b" \t\x0b\x0c\x1c\x1d\x1e\x1f\xa0\x85"
QUOTED_EMPTY = b'""'
UNICODE_BLANKS = (b"\xe1\x9a\x80", b"\xe2\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80")


def _blank_marks(delimiter: str) -> bytes:
    table = bytearray(b"." * 256)
    for c in BLANKS:
        table[c] = ord("W")
    for c in delimiter.encode() + b'\n\r"':
        table[c] = ord("D")
    for u in UNICODE_BLANKS:
        table[u[0]] = ord("U")
    return bytes(table)


def _not_plain(chunk: bytes, marks: bytes) -> bool:
    m = chunk.translate(marks)
    return (b"DW" in m or b"WD" in m or (b'"' in chunk and QUOTED_EMPTY in chunk)
            or (b"U" in m and any(u in chunk for u in UNICODE_BLANKS)))


def _newlines(chunk: bytes) -> int:
    """Line breaks in ``chunk`` (numpy: a tenth of the time of bytes.count, and without the GIL)."""
    return int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10))


def _fast_eligible(source: CsvSource, ctx: LoadContext, header: list[str], mapping: list[int | None]) -> bool:
    used = [i for i in mapping if i is not None]
    return (type(source).rows is CsvSource.rows and type(source).open_table is CsvSource.open_table
            and source.header_rows == 1 and len(source.delimiter) == 1 and source.delimiter in ",;|\t"
            and not str(ctx.path).endswith(".gz") and ctx.meta.get("encoding") in PG_ENCODINGS
            and len(used) == len(set(used)))


def file_columns(header: list[str], mapping: list[int | None], cols: list[str]) -> list[str]:
    """Staging columns in file order: mapped ones under their staging name, the others into
    throw-away ``_unused_<position>`` ones."""
    by_pos = {i: c for c, i in zip(cols, mapping) if i is not None}
    return [by_pos.get(i, f"_unused_{i}") for i in range(len(header))]


def stage_plain(cur, source: CsvSource, ctx: LoadContext, cols: list[str], file_cols: list[str],
                start: int, end: int, first_line: int, temporary: bool = True) -> int:
    """Create ``stage`` (temporary, or unlogged in the first schema of the search path) and COPY
    bytes ``start``–``end`` of the file into it, parsed by the server, numbering lines from
    ``first_line``; returns rows staged. Raises :class:`_NotPlain` when anything needs the
    row-by-row reader (see the comment above PG_ENCODINGS), including a COPY the server refused
    (a wrong field count, bytes not in the encoding, a quoted line break)."""
    marks = _blank_marks(source.delimiter)
    kind, on_commit = ("TEMP", " ON COMMIT DROP") if temporary else ("UNLOGGED", "")
    cur.execute(sql.SQL("CREATE {} SEQUENCE stage_line START {}").format(
        sql.SQL("TEMP" if temporary else ""), sql.Literal(first_line)))
    cur.execute(sql.SQL(
        "CREATE {} TABLE stage (line_no integer NOT NULL DEFAULT nextval('stage_line'), _problem text, {}){}").format(
        sql.SQL(kind), sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c))
                                          for c in cols + [c for c in file_cols if c not in cols]),
        sql.SQL(on_commit)))
    cur.execute("ALTER SEQUENCE stage_line OWNED BY stage.line_no")
    copy_stmt = sql.SQL("COPY stage ({}) FROM STDIN (FORMAT csv, DELIMITER {}, ENCODING {})").format(
        sql.SQL(", ").join(map(sql.Identifier, file_cols)), sql.Literal(source.delimiter),
        sql.Literal(PG_ENCODINGS[ctx.meta["encoding"]]))
    lines, last, tail = 0, b"\n", b"\n"
    left = end - start
    try:
        with open(ctx.path, "rb") as f, cur.copy(copy_stmt) as cp:
            f.seek(start)
            while left > 0:
                chunk = f.read(min(1 << 20, left))
                if not chunk:
                    break
                left -= len(chunk)
                if _not_plain(tail + chunk, marks):
                    raise _NotPlain()
                n_lines = _newlines(chunk)
                lines += n_lines
                ctx.progress.step(n_lines)
                cp.write(chunk)
                last, tail = chunk[-1:], chunk[-3:]
            if _not_plain(tail + b"\n", marks):
                raise _NotPlain()
    except psycopg.Error as e:
        raise _NotPlain() from e
    rows = cur.rowcount
    if last != b"\n":
        lines += 1
    if rows != lines or rows == 0:
        raise _NotPlain()   # quoted line breaks or blank lines: line numbers would not be the file's
    return rows


def header_end(path: Path) -> int | None:
    """Byte offset just after the header line, or None when the file is one line."""
    with open(path, "rb") as f:
        return f.tell() if f.readline().endswith(b"\n") else None


def _fast_stage(cur, source: CsvSource, ctx: LoadContext, header: list[str], mapping: list[int | None],
                cols: list[str]) -> int | None:
    """Stage the file through server-side CSV parsing; None when the file is not plain enough
    (nothing staged then: the savepoint is rolled back)."""
    start = header_end(ctx.path)
    if start is None:
        return None
    try:
        with ctx.conn.transaction():
            # Line numbers: the header is line 1 and every record one line (checked).
            return stage_plain(cur, source, ctx, cols, file_columns(header, mapping, cols), start,
                               ctx.path.stat().st_size, 2)
    except _NotPlain:
        return None


def strict_refusal(path: Path, rejects: list[tuple]) -> LoadRefused:
    """The refusal of a file with rejects under ``--strict`` (or a strict source), listing ten."""
    shown = "\n".join(f"    line {r[0]}: {r[1]}={r[2]!r}: {r[3]}" for r in rejects[:10])
    more = f"\n    … and {len(rejects) - 10} more" if len(rejects) > 10 else ""
    return LoadRefused(f"{path}: {len(rejects)} bad value(s); nothing was loaded:\n{shown}{more}")


class _NotPlain(Exception):
    """The file is not plain enough for the fast staging path."""


def _load_csv_body(source: CsvSource, ctx: LoadContext):
    path, options, conn = ctx.path, ctx.options, ctx.conn
    with source.open_table(ctx) as (header, records):
        mapping = source.map_header(path, header)
        cols = source.staging_columns()
        from . import parallel
        if parallel.eligible(source, ctx, header, mapping):
            done = parallel.load(source, ctx, header, mapping, cols)
            if done is not None:
                return done
        with conn.cursor() as cur:
            n = _fast_stage(cur, source, ctx, header, mapping, cols) \
                if _fast_eligible(source, ctx, header, mapping) else None
            ctx.meta["staging"] = "server"
            if n is None:
                ctx.meta["staging"] = "rows"
                n = _slow_stage(cur, source, ctx, header, mapping, records, cols)
            if n == 0:
                raise LoadRefused(f"{path}: no data rows after the header")
            cur.execute("ANALYZE stage")
            source.prepare(cur, ctx)
            rejects = validate(cur, source.checks)
            if rejects and (options.strict or source.strict):
                raise strict_refusal(path, rejects)
            if rejects:
                cur.execute("DELETE FROM stage s WHERE s.line_no = ANY(%s)",
                            (sorted({r[0] for r in rejects}),))
            ctx.progress.note("validated; writing")
            loaded = source.write(cur, ctx)
    read = n
    return read, loaded, len(rejects), rejects


def _slow_stage(cur, source: CsvSource, ctx: LoadContext, header: list[str], mapping: list[int | None],
                records, cols: list[str]) -> int:
    """Stage the file row by row from Python (any layout the source's reader and rows() handle)."""
    cur.execute(sql.SQL("CREATE TEMP TABLE stage (line_no integer NOT NULL, _problem text, {}) "
                        "ON COMMIT DROP").format(
        sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in cols)))
    n = 0
    copy_stmt = sql.SQL("COPY stage (line_no, _problem, {}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, cols)))
    with cur.copy(copy_stmt) as cp:
        for line_no, problem, values in source.rows(ctx.path, header, mapping, records):
            cp.write_row((line_no, problem, *values))
            n += 1
            ctx.progress.step()
    return n


def all_valid_quickly(cur: psycopg.Cursor, checks: list[Check]) -> bool:
    """True when every staged row passes every check's quick test (see :class:`Check`); False when
    one does not, or a quick test raised (nothing is lost: a savepoint takes the error)."""
    if not any(ch.quick_sql for ch in checks):
        return False
    every = sql.SQL(" AND ").join(sql.SQL("coalesce(({}), false)").format(sql.SQL(ch.quick_sql or ch.valid_sql))
                                  for ch in checks)
    try:
        with cur.connection.transaction():
            return not cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM stage WHERE _problem IS NOT NULL "
                                           "OR NOT ({}))").format(every)).fetchone()[0]
    except psycopg.errors.DataError:
        return False


def validate(cur: psycopg.Cursor, checks: list[Check]) -> list[tuple]:
    """All rejects in one scan of stage: (line_no, column, value, reason), the first failing check
    per line (a row's own _problem first). One pass matters: a UNION of one scan per check cost
    several times more on files of millions of rows. A file whose every row passes the quick tests
    (:func:`all_valid_quickly`) has no rejects, and the exact tests are not run."""
    if all_valid_quickly(cur, checks):
        return []
    conds = [sql.SQL("coalesce(({}), false)").format(sql.SQL(ch.valid_sql)) for ch in checks]

    def case(pick) -> sql.Composable:
        whens = [sql.SQL("WHEN _problem IS NOT NULL THEN {}").format(pick(None))]
        whens += [sql.SQL("WHEN NOT {} THEN {}").format(c, pick(ch)) for c, ch in zip(conds, checks)]
        return sql.SQL("CASE {} END").format(sql.SQL(" ").join(whens))

    column = case(lambda ch: sql.Literal(ch.column) if ch else sql.SQL("NULL"))
    value = case(lambda ch: sql.SQL("{}::text").format(sql.Identifier(ch.column)) if ch else sql.SQL("NULL"))
    reason = case(lambda ch: sql.Literal(ch.reason) if ch else sql.SQL("_problem"))
    every = sql.SQL(" AND ").join(conds) if conds else sql.SQL("true")
    q = sql.SQL("SELECT line_no, {}::text, {}::text, {}::text FROM stage "
                "WHERE _problem IS NOT NULL OR NOT ({}) ORDER BY line_no").format(column, value, reason, every)
    return cur.execute(q).fetchall()
