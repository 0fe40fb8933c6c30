"""``safestats status``: what is in the database and how it got there."""
from __future__ import annotations

# Each entry: a title and a query returning rows to print. Loaders add their own sections
# (rows per source and month, gaps) by appending to SECTIONS.
SECTIONS: list[tuple[str, str]] = [
    ("Reference geography",
     "SELECT level, vintage, count(*) AS areas, count(*) FILTER (WHERE approximate) AS approximate "
     "FROM ref.area GROUP BY level, vintage ORDER BY level, vintage"),
    ("Last load of each source",
     "SELECT DISTINCT ON (source) source, file_name, status, rows_loaded, rows_rejected, "
     "to_char(started_at, 'YYYY-MM-DD HH24:MI') AS started FROM safestats.load "
     "ORDER BY source, load_id DESC"),
    ("Loads that did not finish (killed or failed)",
     "SELECT load_id, source, file_name, status, left(coalesce(message, ''), 80) AS message "
     "FROM safestats.load WHERE status IN ('running', 'failed', 'refused') ORDER BY load_id DESC LIMIT 20"),
    ("London Landscape indicators (values by theme and area level)",
     "SELECT i.theme, v.level, v.vintage, count(DISTINCT v.indicator_code) AS indicators, count(*) AS values, "
     "count(*) FILTER (WHERE v.method <> 'published') AS derived FROM landscape.indicator_value v "
     "JOIN landscape.indicator i USING (indicator_code) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
    ("Comparator runs (latest 5)",
     "SELECT run_id, label, level, vintage, n_areas, k, n_groups, cluster_method, "
     "round(silhouette::numeric, 3) AS silhouette FROM comparator.run ORDER BY run_id DESC LIMIT 5"),
]


def register(sub) -> None:
    p = sub.add_parser("status", help="rows per source, last loads, gaps, unfinished loads",
                       description="Summarises the database: reference geography, the last load of each "
                                   "source, monthly coverage and gaps, and loads that did not finish.")
    p.set_defaults(func=run)


def print_table(title: str, cur) -> None:
    rows = cur.fetchall()
    cols = [d.name for d in cur.description]
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    print("  " + "  ".join(str(c).ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  " + "  ".join(str(v if v is not None else "").ljust(w) for v, w in zip(r, widths)))


def run(args) -> int:
    from safestats.db import connect
    with connect() as conn, conn.cursor() as cur:
        for title, query in SECTIONS:
            cur.execute(query)
            print_table(title, cur)
    return 0
