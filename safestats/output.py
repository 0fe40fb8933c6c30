"""Query results as small tables, and printing them the way the command line and the demo show them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """Column names and rows of one query result."""
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)


def fetch_table(conn, query, params=None) -> Table:
    """Run ``query`` (a string or a ``psycopg.sql`` composable) and keep its columns and rows."""
    with conn.cursor() as cur:
        cur.execute(query, params)
        return Table([d.name for d in cur.description], cur.fetchall())


def print_table(title: str, table) -> None:
    """Print a title and aligned columns. ``table`` is a :class:`Table` or an executed cursor."""
    if not isinstance(table, Table):
        table = Table([d.name for d in table.description], table.fetchall())
    rows, cols = table.rows, table.columns
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    print("  " + "  ".join(str(c).ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  " + "  ".join(str(v if v is not None else "").ljust(w) for v, w in zip(r, widths)))
