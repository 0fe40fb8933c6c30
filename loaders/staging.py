"""Staging a file in the table ``stage`` and validating it there, set-based.

A plain delimited file (the base reader and row mapping, one header line, no quoted line breaks,
no blank lines, every row the header's width, no value with blanks around it or quoted empty)
is parsed by the server itself (:func:`stage_plain`): its bytes go to COPY … (FORMAT csv) as they
are, several times faster than parsing in Python and writing row by row. Anything else the fast
path cannot vouch for raises :class:`NotPlain`, rolls back to a savepoint and the file goes the
row-by-row way (:func:`stage_rows`), which gives each problem its line and reason; both ways
stage the same rows with the same line numbers.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

from .base import Check, LoadContext, LoadRefused

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


class NotPlain(Exception):
    """The file is not plain enough for the server to parse it (see the module docstring)."""


def blank_marks(delimiter: str) -> bytes:
    table = bytearray(b"." * 256)
    for c in BLANKS:
        table[c] = ord("W")
    for c in delimiter.encode() + b'\n\r"':
        table[c] = ord("D")
    for u in UNICODE_BLANKS:
        table[u[0]] = ord("U")
    return bytes(table)


def not_plain(chunk: bytes, marks: bytes) -> bool:
    m = chunk.translate(marks)
    return (b"DW" in m or b"WD" in m or (b'"' in chunk and QUOTED_EMPTY in chunk)
            or (b"U" in m and any(u in chunk for u in UNICODE_BLANKS)))


def newlines(chunk: bytes) -> int:
    """Line breaks in ``chunk`` (numpy: a tenth of the time of bytes.count, and without the GIL)."""
    return int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10))


def server_parsable(ctx: LoadContext, delimiter: str, mapping: list[int | None]) -> bool:
    """Whether the server's CSV parser can read this file for the source (given that the source
    reads it with the default reader and row mapping and one header line)."""
    used = [i for i in mapping if i is not None]
    return (len(delimiter) == 1 and delimiter in ",;|\t"
            and not str(ctx.path).endswith(".gz") and ctx.meta.get("encoding") in PG_ENCODINGS
            and len(used) == len(set(used)))


def file_columns(header: list[str], mapping: list[int | None], cols: list[str]) -> list[str]:
    """Staging columns in file order: mapped ones under their staging name, the others into
    throw-away ``_unused_<position>`` ones."""
    by_pos = {i: c for c, i in zip(cols, mapping) if i is not None}
    return [by_pos.get(i, f"_unused_{i}") for i in range(len(header))]


def stage_plain(cur, delimiter: str, ctx: LoadContext, cols: list[str], file_cols: list[str],
                start: int, end: int, first_line: int, temporary: bool = True) -> int:
    """Create ``stage`` (temporary, or unlogged in the first schema of the search path) and COPY
    bytes ``start``–``end`` of the file into it, parsed by the server, numbering lines from
    ``first_line``; returns rows staged. Raises :class:`NotPlain` when anything needs the
    row-by-row reader (see the comment above PG_ENCODINGS), including a COPY the server refused
    (a wrong field count, bytes not in the encoding, a quoted line break)."""
    marks = blank_marks(delimiter)
    kind, on_commit = ("TEMP", " ON COMMIT DROP") if temporary else ("UNLOGGED", "")
    cur.execute(sql.SQL("CREATE {} SEQUENCE stage_line START {}").format(
        sql.SQL("TEMP" if temporary else ""), sql.Literal(first_line)))
    cur.execute(sql.SQL(
        "CREATE {} TABLE stage (line_no integer NOT NULL DEFAULT nextval('stage_line'), "
        "_problem text, {}){}").format(
        sql.SQL(kind), sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c))
                                          for c in cols + [c for c in file_cols if c not in cols]),
        sql.SQL(on_commit)))
    cur.execute("ALTER SEQUENCE stage_line OWNED BY stage.line_no")
    copy_stmt = sql.SQL("COPY stage ({}) FROM STDIN (FORMAT csv, DELIMITER {}, ENCODING {})").format(
        sql.SQL(", ").join(map(sql.Identifier, file_cols)), sql.Literal(delimiter),
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
                if not_plain(tail + chunk, marks):
                    raise NotPlain()
                n_lines = newlines(chunk)
                lines += n_lines
                ctx.progress.step(n_lines)
                cp.write(chunk)
                last, tail = chunk[-1:], chunk[-3:]
            if not_plain(tail + b"\n", marks):
                raise NotPlain()
    except psycopg.Error as e:
        raise NotPlain() from e
    rows = cur.rowcount
    if last != b"\n":
        lines += 1
    if rows != lines or rows == 0:
        raise NotPlain()   # quoted line breaks or blank lines: line numbers would not be the file's
    return rows


def header_end(path: Path) -> int | None:
    """Byte offset just after the header line, or None when the file is one line."""
    with open(path, "rb") as f:
        return f.tell() if f.readline().endswith(b"\n") else None


def stage_fast(cur, delimiter: str, ctx: LoadContext, header: list[str], mapping: list[int | None],
               cols: list[str]) -> int | None:
    """Stage the file through server-side CSV parsing; None when the file is not plain enough
    (nothing staged then: the savepoint is rolled back)."""
    start = header_end(ctx.path)
    if start is None:
        return None
    try:
        with ctx.conn.transaction():
            # Line numbers: the header is line 1 and every record one line (checked).
            return stage_plain(cur, delimiter, ctx, cols, file_columns(header, mapping, cols), start,
                               ctx.path.stat().st_size, 2)
    except NotPlain:
        return None


def stage_rows(cur, source, ctx: LoadContext, header: list[str], mapping: list[int | None],
               records, cols: list[str]) -> int:
    """Stage the file row by row from Python (any layout the source's reader and ``rows()`` handle)."""
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


def strict_refusal(path: Path, rejects: list[tuple]) -> LoadRefused:
    """The refusal of a file with rejects under ``--strict`` (or a strict source), listing ten."""
    shown = "\n".join(f"    line {r[0]}: {r[1]}={r[2]!r}: {r[3]}" for r in rejects[:10])
    more = f"\n    … and {len(rejects) - 10} more" if len(rejects) > 10 else ""
    return LoadRefused(f"{path}: {len(rejects)} bad value(s); nothing was loaded:\n{shown}{more}")


def delete_rejected(cur, rejects: list[tuple]) -> None:
    """Remove the rejected lines from ``stage``."""
    if rejects:
        cur.execute("DELETE FROM stage s WHERE s.line_no = ANY(%s)", (sorted({r[0] for r in rejects}),))


def all_valid_quickly(cur: psycopg.Cursor, checks: list[Check]) -> bool:
    """True when every staged row passes every check's quick test (see :class:`Check`); False when
    one does not, or a quick test raised (nothing is lost: a savepoint takes the error)."""
    if not any(ch.quick_sql for ch in checks):
        return False
    every = sql.SQL(" AND ").join(
        sql.SQL("coalesce(({}), false)").format(sql.SQL(ch.quick_sql or ch.valid_sql)) for ch in checks)
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
                "WHERE _problem IS NOT NULL OR NOT ({}) ORDER BY "
                "line_no").format(column, value, reason, every)
    return cur.execute(q).fetchall()
