#!/usr/bin/env python3
"""Benchmark: violence hotspots (Getis-Ord Gi*, safestats.violence_hotspots) on one year of London-wide
police.uk-shaped street crime, 15 million rows by default, on a 250 m grid; target under 5 s (issue 18).

The hotspot query reads the 250 m cell counts the police.uk loader keeps (crime.street_crime_cell,
db/functions/505_street_crime_cells.sql); the rows written here bypass the loader, so the script
recounts them once with safestats_internal.street_crime_cells_refresh() (timed: it is what the loader
does per file). Measured in the same run for comparison: the same query counting the points (the
cell counts marked stale inside a rolled-back transaction, as after a write outside the loader), and
a naive per-cell query (one indexed count per grid cell, the way a desktop GIS "count points in
polygon" over a fishnet works), timed on a random sample of cells and scaled to all of them. The load
average is recorded before and after (the machine may be shared).

The data is written straight into crime.street_crime of a throwaway database cloned from the embedded
one (``safestats demo`` first; it needs the reference geography): points are drawn from ~120,000
"anonymous map points" spread over London's boroughs (police.uk snaps every crime to one), with a
skewed choice so some points carry many crimes, over 12 months and 14 crime types. The clone's
street-crime indexes are dropped before the load and the spatial index is rebuilt on the year's
partition afterwards (the hotspot query reads a whole year, so it uses none of them; the naive
baseline needs the spatial one). The clone is dropped at the end unless ``--keep``.

    SAFESTATS_PORT=54336 .venv/bin/python bench/bench_violence.py [--rows 15000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from _common import machine, markers, write_section  # noqa: E402

from safestats import db  # noqa: E402

START, END = markers("violence")
BENCH_DB = "safestats_bench_violence"
TYPES = [("Violence and sexual offences", 30), ("Anti-social behaviour", 18), ("Theft from the person", 6),
         ("Other theft", 10), ("Vehicle crime", 8), ("Burglary", 5), ("Shoplifting", 5),
         ("Criminal damage and arson", 5), ("Public order", 4), ("Drugs", 3), ("Robbery", 3),
         ("Bicycle theft", 1), ("Possession of weapons", 1), ("Other crime", 1)]


def bench_url(base_url: str) -> str:
    return base_url.replace("/safestats?", f"/{BENCH_DB}?", 1)


def ensure_clone(base_url: str) -> str:
    admin = base_url.replace("/safestats?", "/postgres?", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)).fetchone():
            c.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE safestats')
    return bench_url(base_url)


def drop_clone(base_url: str) -> None:
    admin = base_url.replace("/safestats?", "/postgres?", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def generate(conn, rows: int) -> float:
    """15 M rows (by default) of 2024 street crime; returns seconds taken."""
    t0 = time.perf_counter()
    have = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month >= '2024-01-01' "
                        "AND month < '2025-01-01' AND force = 'bench'").fetchone()[0]
    if have >= rows:
        return 0.0
    for idx in ("street_crime_geom_idx", "street_crime_borough_month_idx", "street_crime_type_month_idx"):
        conn.execute(f"DROP INDEX IF EXISTS crime.{idx}")
    load_id = conn.execute("INSERT INTO safestats.load (source, file_name, sha256, status) VALUES "
                           "('police-uk', 'bench_violence', md5(random()::text), 'loaded') "
                           "RETURNING load_id").fetchone()[0]
    conn.execute("""
        CREATE TEMP TABLE map_point AS
        SELECT row_number() OVER (ORDER BY random()) AS id, p.geom
        FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, greatest(1, (ST_Area(geom) / 13000)::int),
                                                18))).geom
              FROM ref.area WHERE level = 'borough' AND vintage = 2022) p""")
    n_points = conn.execute("SELECT count(*) FROM map_point").fetchone()[0]
    conn.execute("CREATE UNIQUE INDEX ON map_point (id)")
    types = [t for t, w in TYPES for _ in range(w)]
    per_month = rows // 12
    for m in range(12):
        month = dt.date(2024, m + 1, 1)
        n = per_month if m < 11 else rows - per_month * 11
        if conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = %s AND force = 'bench'",
                        (month,)).fetchone()[0] == n:
            continue   # written by an earlier, interrupted run
        conn.execute("DELETE FROM crime.street_crime WHERE month = %s AND force = 'bench'", (month,))
        # the map point is drawn once per row (in the fenced subquery), never inside the join
        conn.execute("""
            INSERT INTO crime.street_crime (month, force, crime_type, geom, location_status, load_id,
                                            source_line)
            SELECT %(month)s, 'bench', (%(types)s::text[])[1 + (d.g %% %(nt)s)], mp.geom, 'ok', %(load)s, d.g
            FROM (SELECT g, 1 + floor(%(np)s * power(random(), 2.5))::bigint AS pid
                  FROM generate_series(1, %(n)s) g OFFSET 0) d
            JOIN map_point mp ON mp.id = d.pid""",
                     {"month": month, "types": types, "nt": len(types), "load": load_id, "n": n,
                      "np": n_points})
        print(f"  {month:%Y-%m}: {n:,} rows", flush=True)
    conn.execute("CREATE INDEX ON crime.street_crime_2024 USING gist (geom)")
    conn.execute("VACUUM ANALYZE crime.street_crime_2024")
    return time.perf_counter() - t0


def time_hotspots(conn, repeat: int, category=None):
    ts, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = conn.execute("SELECT count(*), count(*) FILTER (WHERE hotspot = 'hot'), "
                           "count(*) FILTER (WHERE hotspot = 'cold'), sum(records), max(records_used), "
                           "max(records_excluded) FROM safestats.violence_hotspots('street-crime', "
                           "'2024-01-01', '2024-12-31', 250, %s)", (category,)).fetchone()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), ts, out


def refresh_cells(conn) -> tuple[float, int]:
    """The loader's 250 m cell counts for every month (the generated rows bypassed the loader)."""
    t = time.perf_counter()
    n = conn.execute("SELECT safestats_internal.street_crime_cells_refresh()").fetchone()[0]
    conn.execute("VACUUM ANALYZE crime.street_crime_cell")
    return time.perf_counter() - t, n


def time_points(conn, category=None):
    """The same hotspot query counting the points: the cell counts marked stale, rolled back."""
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM crime.street_crime_cell_month")
        return time_hotspots(conn, 1, category)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def time_naive(conn, sample: int):
    """Per-cell counts over the same study cells, one indexed query each, on a random sample."""
    cells = conn.execute("SELECT ix, iy FROM safestats.violence_grid_counts('street-crime', "
                         "'2024-01-01', '2024-01-01', 250) WHERE ix IS NOT NULL").fetchall()
    pick = random.Random(18).sample(cells, min(sample, len(cells)))
    t = time.perf_counter()
    for x, y in pick:
        conn.execute("SELECT count(*) FROM crime.street_crime WHERE month >= '2024-01-01' "
                     "AND month < '2025-01-01' AND geom && ST_MakeEnvelope(%s, %s, %s, %s, 27700) "
                     "AND ST_X(geom) >= %s AND ST_X(geom) < %s AND ST_Y(geom) >= %s AND ST_Y(geom) < %s",
                     (x * 250, y * 250, (x + 1) * 250, (y + 1) * 250,
                      x * 250, (x + 1) * 250, y * 250, (y + 1) * 250))
    per_cell = (time.perf_counter() - t) / len(pick)
    return per_cell, len(cells), per_cell * len(cells)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=15_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", type=int, default=400, help="cells timed for the naive baseline")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = ap.parse_args()
    base = db.database_url()
    url = ensure_clone(base)
    try:
        with db.connect(url) as conn:
            print(f"generating {args.rows:,} rows of 2024 street crime in {BENCH_DB} ...", flush=True)
            gen = generate(conn, args.rows)
            n = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month >= '2024-01-01' "
                             "AND month < '2025-01-01'").fetchone()[0]
            print(f"  {n:,} rows for 2024 ({gen:.0f} s)")
            cells_s, cells_n = refresh_cells(conn)
            print(f"  cell counts: {cells_n:,} rows in {cells_s:.1f} s")
            load_before = load_average()
            print(f"load average before: {load_before}")
            med, ts, out = time_hotspots(conn, args.repeat)
            print(f"hotspots, all types: median {med:.2f} s of {[round(t, 2) for t in ts]}: {out}")
            med_v, ts_v, out_v = time_hotspots(conn, args.repeat, "Violence and sexual offences")
            print(f"hotspots, violence: median {med_v:.2f} s of {[round(t, 2) for t in ts_v]}: {out_v}")
            pts, _, out_p = time_points(conn)
            print(f"hotspots from the points, all types: {pts:.2f} s: {out_p}")
            assert out_p == out, "the cell counts and the points must give the same hotspots"
            pts_v, _, out_pv = time_points(conn, "Violence and sexual offences")
            print(f"hotspots from the points, violence: {pts_v:.2f} s: {out_pv}")
            assert out_pv == out_v
            per_cell, ncells, naive = time_naive(conn, args.sample)
            print(f"naive per-cell: {per_cell * 1000:.1f} ms per cell x {ncells:,} cells = {naive:.0f} s")
            load_after = load_average()
            print(f"load average after: {load_after}")
            info = machine(conn)
    finally:
        if not args.keep:
            drop_clone(base)
    today = dt.date.today().isoformat()
    section = "\n".join([
        START,
        f"## Violence hotspots: Gi* on one year of London street crime ({today})",
        "",
        f"Machine: {info}. Load average (1, 5, 15 min) {load_before} before the timed queries and "
        f"{load_after} after.",
        f"`bench/bench_violence.py`: {n:,} police.uk-shaped rows for 2024 (12 months, 14 types, points on "
        "~120,000 map points over London), `safestats.violence_hotspots('street-crime', '2024-01-01', "
        f"'2024-12-31', 250)`: {out[0]:,} cells of 250 m (every cell touching London, zeros included), "
        "one aggregate over the loader's 250 m cell counts for the year "
        f"({cells_n:,} rows of month x type x cell), Gi* on the cells, Benjamini-Hochberg. Median of "
        f"{args.repeat}; the other rows are one run each, in the same session.",
        "",
        "| query | time | result |",
        "|---|---|---|",
        f"| hotspots, all crime types | **{med:.2f} s** | {out[1]} hot, {out[2]} cold; "
        f"{out[4]:,} records used |",
        f"| hotspots, Violence and sexual offences | **{med_v:.2f} s** | {out_v[1]} hot, {out_v[2]} cold; "
        f"{out_v[4]:,} records used |",
        f"| the same from the points (cell counts stale), all crime types | {pts:.2f} s | the same result |",
        f"| the same from the points, Violence and sexual offences | {pts_v:.2f} s | the same result |",
        f"| naive: one indexed count per cell (sample of {args.sample}, scaled) | {naive:.0f} s "
        f"({per_cell * 1000:.1f} ms x {ncells:,} cells) | counts only, no statistic |",
        f"| generating the {n:,} rows (not part of the query) | {gen:.0f} s | |",
        f"| recounting the year's cell counts (what the loader does per file, here all 12 months at once) "
        f"| {cells_s:.1f} s | {cells_n:,} rows |",
        "",
        "Target (issue 18): under 5 s. The database was dropped afterwards.",
        END,
    ])
    print(f"wrote {write_section('violence', section)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
