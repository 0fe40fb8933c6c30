"""Printing query results for people (``table``) or for scripts (``csv``, ``json``).

Every command that prints data takes ``--format table|csv|json`` (:func:`add_format_option`) and
prints through :func:`emit`:

- ``table``: a title and aligned columns. A value never breaks the layout: line breaks become
  `` / `` and a value longer than the column limit is shortened at a word boundary with ``…``
  (never cut mid-word). Nothing is shortened in csv or json.
- ``csv``: a header row and the rows (RFC 4180 quoting). Commands that print several tables
  (``status``) print each as its own CSV block after a ``# title`` line, blocks separated by a
  blank line; pick one with ``--section``.
- ``json``: a list of objects (one per row) for one table; for several tables, an object mapping
  each table's key (its title in snake case) to such a list. Numbers stay numbers, dates and times
  are ISO 8601 strings, NULL is null.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import re
import sys
from collections.abc import Iterable

from .output import Table

FORMATS = ("table", "csv", "json")
MAX_WIDTH = 60          # longest value shown in a table cell before it is shortened at a word


def add_format_option(parser) -> None:
    parser.add_argument("--format", type=str.lower, choices=FORMATS, default="table",
                        help="table (default, for people), csv or json (for scripts; nothing shortened)")


def section_key(title: str) -> str:
    """'Last load of each source' -> 'last_load_of_each_source' (the JSON key of a section)."""
    words = re.findall(r"[a-z0-9]+", title.lower().split(" (")[0].split(":")[0])
    return "_".join(words) or "table"


def one_line(text: str) -> str:
    """Line breaks (of a multi-line message) as ' / ', runs of spaces as one."""
    parts = [p.strip() for p in str(text).splitlines()]
    return re.sub(r"[ \t]+", " ", " / ".join(p for p in parts if p))


def shorten(text: str, width: int = MAX_WIDTH) -> str:
    """``text`` if it fits, else its words up to ``width`` characters and `` …``: never cut mid-word
    (a first word longer than ``width``, such as a long code, is kept whole)."""
    if len(text) <= width:
        return text
    head = text[:width + 1]
    i = max(head.rfind(" "), head.rfind(","))
    if i >= width // 3:
        return text[:i].rstrip(" ,;/") + " …"
    word = re.match(r"\S*", text).group(0)
    return word + (" …" if text[len(word):].strip() else "")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e15 else str(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    return one_line(v) if isinstance(v, str) else str(v)


def json_value(v):
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2 ** 53 else float(v)
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, (bytes, memoryview)):
        return bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    if isinstance(v, (str, int, float, bool, dict)) or v is None:
        return v
    return str(v)


def rows_as_dicts(table: Table) -> list[dict]:
    return [{c: json_value(v) for c, v in zip(table.columns, r)} for r in table.rows]


def print_table(title: str | None, table: Table, out=None, indent: str = "  ") -> None:
    out = out or sys.stdout
    if title:
        print(f"\n{title}", file=out)
    if not table.rows:
        print(f"{indent}(none)", file=out)
        return
    cells = [[shorten(_cell(v)) for v in r] for r in table.rows]
    widths = [max(len(str(c)), *(len(r[i]) for r in cells)) for i, c in enumerate(table.columns)]
    print(indent + "  ".join(str(c).ljust(w) for c, w in zip(table.columns, widths)).rstrip(), file=out)
    for r in cells:
        print(indent + "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip(), file=out)


def write_csv(table: Table, out=None) -> None:
    w = csv.writer(out or sys.stdout, lineterminator="\n")
    w.writerow(table.columns)
    for r in table.rows:
        w.writerow(["" if v is None else (json.dumps(json_value(v)) if isinstance(v, (dict, list)) else
                                          json_value(v)) for v in r])


def emit(tables: Iterable[tuple[str, Table]] | Table, fmt: str = "table", title: str | None = None,
         out=None) -> None:
    """Print one :class:`Table` (with ``title``) or several (title, Table) pairs in ``fmt``."""
    out = out or sys.stdout
    single = isinstance(tables, Table)
    pairs = [(title or "", tables)] if single else list(tables)
    if fmt == "json":
        doc = (rows_as_dicts(pairs[0][1]) if single
               else {section_key(t): rows_as_dicts(tb) for t, tb in pairs})
        json.dump(doc, out, indent=1 if not single else None, ensure_ascii=False)
        out.write("\n")
    elif fmt == "csv":
        for i, (t, tb) in enumerate(pairs):
            if not single:
                if i:
                    out.write("\n")
                out.write(f"# {one_line(t)}\n")
            write_csv(tb, out)
    else:
        for t, tb in pairs:
            print_table(t or None, tb, out)
