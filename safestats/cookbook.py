"""docs/sql-cookbook.md, checked: every ```sql block of the cookbook is run, and its answer on the demo
data is written under it, so the answers in the document are what the SQL returns.

    python -m safestats.cookbook            # run every example; exit 1 if one fails or returns nothing
    python -m safestats.cookbook --write    # ... and rewrite the answers in docs/sql-cookbook.md

against DATABASE_URL, else the embedded cluster (after `make demo`). tests/docs/test_cookbook.py
runs every example on a demo-shaped test database, so the cookbook cannot rot.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import config
from .output import Table, fetch_table
from .render import print_table

COOKBOOK = config.REPO_ROOT / "docs" / "sql-cookbook.md"
ANSWER_HEAD = "Answer on the demo data"
SHOWN_ROWS = 8
_BLOCK = re.compile(r"```sql\n(?P<sql>.*?)```\n(?:\n" + ANSWER_HEAD + r"[^\n]*\n\n```text\n.*?```\n)?",
                    re.S)


@dataclass
class Example:
    title: str
    sql: str
    start: int       # span of the sql block and its answer in the document
    end: int


def examples(text: str) -> list[Example]:
    out = []
    for m in _BLOCK.finditer(text):
        heading = re.findall(r"^## (.+)$", text[:m.start()], re.M)
        out.append(Example(heading[-1] if heading else "", m.group("sql").strip(), m.start(), m.end()))
    return out


def run(conn, ex: Example) -> Table:
    """The example's rows, in a transaction that is rolled back (an example never changes data)."""
    with conn.transaction(force_rollback=True):
        return fetch_table(conn, ex.sql)


def answer_text(table: Table) -> str:
    buf = io.StringIO()
    shown = Table(table.columns, table.rows[:SHOWN_ROWS])
    print_table(None, shown, buf, indent="")
    if len(table.rows) > SHOWN_ROWS:
        buf.write(f"… ({len(table.rows):,} rows)\n")
    return buf.getvalue()


def rewrite(text: str, answers: list[tuple[Example, Table]]) -> str:
    out, pos = [], 0
    for ex, table in answers:
        out.append(text[pos:ex.start])
        n = len(table.rows)
        out.append(f"```sql\n{ex.sql}\n```\n\n{ANSWER_HEAD} ({n:,} row{'s' if n != 1 else ''}):\n\n"
                   f"```text\n{answer_text(table)}```\n")
        pos = ex.end
    out.append(text[pos:])
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m safestats.cookbook", description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite the answers in the cookbook")
    ap.add_argument("--file", type=Path, default=COOKBOOK, help="the cookbook (default docs/sql-cookbook.md)")
    args = ap.parse_args(argv)
    from .db import connect
    text = args.file.read_text(encoding="utf-8")
    answers, failed = [], 0
    with connect() as conn:
        for ex in examples(text):
            try:
                table = run(conn, ex)
            except Exception as e:      # report every failing example, not just the first
                print(f"FAILED  {ex.title}: {str(e).strip()}", file=sys.stderr)
                failed += 1
                continue
            status = "ok" if table.rows else "EMPTY"
            failed += not table.rows
            print(f"{status:6}  {ex.title}: {len(table.rows):,} rows")
            answers.append((ex, table))
    if args.write and not failed:
        args.file.write_text(rewrite(text, answers), encoding="utf-8")
        print(f"{args.file}: {len(answers)} answers written")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
