#!/usr/bin/env python3
"""Benchmark: the police.uk loader against the database's plain ingest paths, on the same file.

Measured side by side in one run, on one synthetic police.uk file of min(SIZE, 1,000,000) rows
(points follow the real per-LSOA crime counts, months 2001–2025):

1. the full SafeStats load (``safestats load police-uk``: validation, rejects, geometry, LSOA 2021 /
   ward 2022 / borough assignment, slice replacement) in a subprocess: rows/s and peak memory; and
   the same with partition rebuild turned off (every partition written row by row);
2. a plain ``ogr2ogr -f PostgreSQL`` import (GDAL CSV driver, X/Y columns, COPY mode; no validation,
   no area assignment);
3. a plain ``COPY`` into an unlogged table of text columns (the server's own ingest limit);
4. area assignment alone, on a sample of that file's points: SafeStats' (grid + polygon join +
   lookups) vs a naive ``ST_Contains`` join with the published polygons (three levels each);

then, when SIZE is larger, the full load of a SIZE-row file (rows/s, peak loader memory: it must not
grow with the file), and two analyst queries on the resulting table: monthly counts by ward for one
borough over 10 years, and London-wide counts by crime type by month (from the records, and from the
count table the loader keeps).

Results go to docs/benchmarks.md between <!-- bench:loaders --> markers. The default SIZE is small so
it runs in minutes; ``make bench SIZE=15000000`` (make passes SIZE to the script's environment) or
``make bench-loaders BENCH_ARGS="--size 1000000"`` for the issue's sizes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from _common import markers, write_section  # noqa: E402

from safestats import db  # noqa: E402
from safestats.cluster import Cluster  # noqa: E402

BENCH_DB = "safestats_bench"
START, END = markers("loaders")


def run_child(argv: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (MiB) of the child, and its stderr tail.

    The peak is the child's own VmHWM, polled from /proc while it runs (rusage from wait4 would
    report at least this script's size: Linux keeps the parent's high-water mark across fork+exec).
    """
    t = time.monotonic()
    with tempfile.TemporaryFile() as err_file:
        p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err_file, cwd=REPO)
        peak_kb = 0
        status = Path(f"/proc/{p.pid}/status")
        while p.poll() is None:
            try:
                m = re.search(r"VmHWM:\s+(\d+)", status.read_text())
                if m:
                    peak_kb = max(peak_kb, int(m.group(1)))
            except OSError:
                pass
            time.sleep(0.02)
        secs = time.monotonic() - t
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    if p.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{err[-2000:]}")
    return secs, peak_kb // 1024, err[-500:]


def ensure_db(url: str | None) -> str:
    if url:
        return url
    c = Cluster()
    c.init()
    c.start()
    c.ensure_database(BENCH_DB)
    return c.url(BENCH_DB)


def best_of(conn, q: str, params=(), n: int = 3) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(n):
        t = time.monotonic()
        rows = len(conn.execute(q, params).fetchall())
        times.append(time.monotonic() - t)
    return min(times), rows


def synth_file(conn, work: Path, rows: int) -> Path:
    """The synthetic police.uk file of ``rows`` rows (written once, kept for reruns)."""
    src = work / f"synthetic-{rows}-metropolitan-street.csv"
    if not src.exists():
        from safestats import synth_police
        print(f"writing {rows:,} synthetic rows …", flush=True)
        t = time.monotonic()
        synth_police.write(conn, work, rows, single_file=True)
        print(f"  {time.monotonic() - t:.0f} s", flush=True)
    return src


def warm(path: Path) -> None:
    """Read the file once, so every path below reads it from the page cache alike (otherwise the
    first one measured pays for the disk)."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def full_load(conn, url: str, src: Path, work: Path, bulk_min_rows: int | None = None,
              parallel_min_bytes: int | None = None) -> tuple[float, int, int, int]:
    """The full SafeStats load of ``src`` into an empty crime.street_crime, in a child process:
    (seconds, peak MiB of the loader, rows loaded, rows with a borough)."""
    conn.execute("TRUNCATE crime.street_crime")
    conn.execute("DELETE FROM safestats.load WHERE source = 'police-uk' AND file_name = %s", (src.name,))
    conn.execute("CHECKPOINT")
    env = {**os.environ, "DATABASE_URL": url}
    if bulk_min_rows is not None:
        env["SAFESTATS_BULK_MIN_ROWS"] = str(bulk_min_rows)
    if parallel_min_bytes is not None:
        env["SAFESTATS_PARALLEL_MIN_BYTES"] = str(parallel_min_bytes)
    secs, rss, _ = run_child([sys.executable, "-m", "safestats.cli", "load", "police-uk", str(src),
                              "--quiet", "--force", "--rejects-dir", str(work / "rejects")], env)
    n, with_borough = conn.execute("SELECT count(*), count(*) FILTER (WHERE borough_code IS NOT NULL) "
                                   "FROM crime.street_crime").fetchone()
    return secs, rss, n, with_borough


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=int(os.environ.get("SIZE", 200_000)),
                    help="rows loaded with full area assignment (default 200000, or $SIZE); the side-by-side "
                         "comparison uses min(size, --compare-size) rows")
    ap.add_argument("--compare-size", type=int, default=1_000_000,
                    help="rows of the side-by-side file (default 1000000)")
    ap.add_argument("--naive-sample", type=int, default=100_000,
                    help="points of that file timed for area assignment both ways (the naive join takes "
                         "minutes per 100,000 points; default 100000)")
    ap.add_argument("--db-url", help="database to use (default: safestats_bench in the embedded cluster)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "safestats-bench-loaders",
                    help="where the benchmark files are written (kept for reruns)")
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = ap.parse_args()
    n_cmp = min(args.size, args.compare_size)

    url = ensure_db(args.db_url)
    print(f"database: {url}")
    with db.connect(url) as c:
        # A second database in a cluster whose roles already exist: env.py switches to the owner role
        # before alembic_version is created, and PostgreSQL 15 gives nobody CREATE on public. Allow it
        # (reported to the Foundation; harmless once the baseline has run).
        if not c.execute("SELECT to_regclass('public.alembic_version')").fetchone()[0] and \
                c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'safestats_owner'").fetchone():
            c.execute("GRANT CREATE ON SCHEMA public TO safestats_owner")
    db.upgrade(url)
    from loaders import areas
    from safestats.reference import load_reference
    with db.connect(url) as conn:
        load_reference(conn, quiet=True)
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM ref.lsoa_grid)").fetchone()[0]:
            t = time.monotonic()
            cells = conn.execute("SELECT safestats_internal.refresh_lsoa_grid()").fetchone()[0]
            print(f"LSOA grid: {cells:,} cells in {time.monotonic() - t:.0f} s")
        args.work.mkdir(parents=True, exist_ok=True)
        src = synth_file(conn, args.work, n_cmp)
        mib = src.stat().st_size / 2**20
        warm(src)
        settings = dict(conn.execute("SELECT name, setting || coalesce(unit, '') FROM "
                                     "pg_settings WHERE name IN "
                                     "('wal_level', 'max_wal_size', 'shared_buffers', 'work_mem', "
                                     "'maintenance_work_mem')").fetchall())

        print("full SafeStats load …", flush=True)
        t_full, rss_full, n_full, with_borough = full_load(conn, url, src, args.work)
        print(f"  {t_full:.1f} s")
        print("full SafeStats load on one connection …", flush=True)
        t_one, rss_one, n_one, _ = full_load(conn, url, src, args.work, parallel_min_bytes=2**62)
        print(f"  {t_one:.1f} s")
        print("full SafeStats load on one connection, partitions written row by row …", flush=True)
        t_rows, rss_rows, n_rows, _ = full_load(conn, url, src, args.work, bulk_min_rows=2**62,
                                                parallel_min_bytes=2**62)
        print(f"  {t_rows:.1f} s")

        print("ogr2ogr …", flush=True)
        conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
        conn.execute("DROP TABLE IF EXISTS bench.ogr_import")
        conn.execute("CHECKPOINT")
        info = conn.info
        pg = f"PG:dbname={info.dbname} host={info.host} port={info.port} user={info.user}"
        t_ogr, rss_ogr, _ = run_child(
            ["ogr2ogr", "-f", "PostgreSQL", pg, str(src), "-nln", "bench.ogr_import", "-a_srs", "EPSG:4326",
             "-oo", "X_POSSIBLE_NAMES=Longitude", "-oo", "Y_POSSIBLE_NAMES=Latitude",
             "-oo", "KEEP_GEOM_COLUMNS=NO",
             "-lco", "GEOMETRY_NAME=geom", "--config", "PG_USE_COPY", "YES", "-gt", "65536"], {**os.environ})
        n_ogr = conn.execute("SELECT count(*) FROM bench.ogr_import").fetchone()[0]
        print(f"  {t_ogr:.1f} s")

        print("plain COPY into an unlogged text table …", flush=True)
        conn.execute("DROP TABLE IF EXISTS bench.copy_text")
        text_columns = ", ".join(f"c{i} text" for i in range(12))
        conn.execute("CREATE UNLOGGED TABLE bench.copy_text (" + text_columns + ")")
        t = time.monotonic()
        with conn.cursor() as cur, open(src, "rb") as f, \
                cur.copy("COPY bench.copy_text FROM STDIN (FORMAT csv, HEADER true)") as cp:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                cp.write(chunk)
        t_copy = time.monotonic() - t
        n_copy = conn.execute("SELECT count(*) FROM bench.copy_text").fetchone()[0]

        print("area assignment: SafeStats vs naive ST_Contains …", flush=True)
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE pts ON COMMIT DROP AS SELECT row_number() OVER ()::int "
                        "AS line_no, geom "
                        "FROM crime.street_crime WHERE geom IS NOT NULL ORDER BY load_id, "
                        "source_line LIMIT %s",
                        (args.naive_sample,))
            n_pts = cur.execute("SELECT count(*) FROM pts").fetchone()[0]
            cur.execute("ANALYZE pts")
            t = time.monotonic()
            areas.create_located(cur)
            cur.execute("INSERT INTO located_pts (line_no, geom, lsoa21_code) SELECT "
                        "p.line_no, p.geom, g.code "
                        "FROM pts p LEFT JOIN ref.lsoa_grid g "
                        "ON g.cell = safestats_internal.grid_cell(p.geom)")
            areas.assign_areas(cur)
            cur.execute("CREATE TEMP TABLE ours ON COMMIT DROP AS SELECT * FROM located")
            t_ours = time.monotonic() - t
            t = time.monotonic()
            cur.execute("SET LOCAL jit = off")
            cur.execute("""
                CREATE TEMP TABLE naive ON COMMIT DROP AS
                SELECT p.line_no, l.code AS lsoa, w.code AS ward, b.code AS borough FROM pts p
                LEFT JOIN ref.area l ON l.level = 'lsoa' AND l.vintage = 2021 AND ST_Contains(l.geom, p.geom)
                LEFT JOIN ref.area w ON w.level = 'ward' AND w.vintage = 2022 AND ST_Contains(w.geom, p.geom)
                LEFT JOIN ref.area b ON b.level = 'borough' AND b.vintage = 2022 AND ST_Contains(b.geom,
                    p.geom)""")
            t_naive = time.monotonic() - t
            agree = cur.execute("SELECT count(*) FILTER (WHERE n.lsoa IS NOT DISTINCT FROM "
                                "o.lsoa21_code), count(*) "
                                "FROM naive n JOIN ours o USING (line_no)").fetchone()
            exact = cur.execute("SELECT count(*) FILTER (WHERE safestats.area_at(o.geom, 'lsoa', 2021) "
                                "IS NOT DISTINCT "
                                "FROM o.lsoa21_code), count(*) FROM ours o").fetchone()
        conn.execute("DROP SCHEMA bench CASCADE")

        big = None
        if args.size > n_cmp:
            big_src = synth_file(conn, args.work, args.size)
            print(f"full SafeStats load of {args.size:,} rows …", flush=True)
            big = full_load(conn, url, big_src, args.work)
            print(f"  {big[0]:.0f} s")
        conn.execute("VACUUM ANALYZE crime.street_crime")
        print("analyst queries …", flush=True)
        n_db = conn.execute("SELECT count(*) FROM crime.street_crime").fetchone()[0]
        borough = conn.execute("SELECT borough_code FROM crime.street_crime WHERE borough_code IS NOT NULL "
                               "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        q1 = ("SELECT ward22_code, month, count(*) FROM crime.street_crime WHERE borough_code = %s "
              "AND month >= '2015-01-01' AND month < '2025-01-01' GROUP BY 1, 2")
        q2 = "SELECT month, crime_type, count(*) FROM crime.street_crime GROUP BY 1, 2"
        t_q1, r_q1 = best_of(conn, q1, (borough,))
        t_q2, r_q2 = best_of(conn, q2)
        q3 = "SELECT month, crime_type, sum(records) FROM crime.street_crime_month_type GROUP BY 1, 2"
        t_q3, r_q3 = best_of(conn, q3)
        versions = conn.execute("SELECT current_setting('server_version'), postgis_lib_version()").fetchone()

    mem_gib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20
    rate = lambda n, s: n / s if s else 0.0  # noqa: E731
    r_full, r_rows = rate(n_full, t_full), rate(n_rows, t_rows)
    r_ogr, r_copy = rate(n_ogr, t_ogr), rate(n_copy, t_copy)
    conf = ", ".join(f"{k} {v}" for k, v in sorted(settings.items()))
    lines = [
        START,
        "## Loaders (police.uk street-level crime)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_loaders.py --size {args.size}` on "
        f"{os.cpu_count()} CPUs, {mem_gib:.1f} GiB RAM, {platform.platform()}; PostgreSQL {versions[0]}, "
        f"PostGIS {versions[1]}; server settings: {conf} (the embedded cluster's, safestats/cluster.py — "
        "ogr2ogr and COPY write to the same server with the same settings). Side-by-side file: "
        f"{n_cmp:,} synthetic police.uk rows ({mib:.0f} MiB, months 2001–2025, points following the MPS "
        "per-LSOA counts). Other jobs may share the machine: compare the rows side by side, not across runs.",
        "",
        "| Path (same file) | Rows | Seconds | Rows/s | Peak memory of the client | Share of plain COPY |",
        "|---|---:|---:|---:|---:|---:|",
        "| SafeStats full load (validation, rejects, geometry, LSOA/ward/borough, slice "
        f"replace) | {n_full:,} | "
        f"{t_full:.1f} | {r_full:,.0f} | {rss_full} MiB | {r_full / r_copy:.0%} |",
        "| … the same on one connection (`SAFESTATS_PARALLEL_MIN_BYTES` above the file's "
        f"size) | {n_one:,} | "
        f"{t_one:.1f} | {n_one / t_one:,.0f} | {rss_one} MiB | {n_one / t_one / r_copy:.0%} |",
        "| … on one connection with every partition written row by row (no partition "
        f"rebuild) | {n_rows:,} | "
        f"{t_rows:.1f} | {r_rows:,.0f} | {rss_rows} MiB | {r_rows / r_copy:.0%} |",
        f"| Plain `ogr2ogr -f PostgreSQL` (CSV driver, X/Y, COPY mode; no checks, no areas) | {n_ogr:,} | "
        f"{t_ogr:.1f} | {r_ogr:,.0f} | {rss_ogr} MiB | {r_ogr / r_copy:.0%} |",
        f"| Plain `COPY` into an unlogged text table | {n_copy:,} | {t_copy:.1f} | "
        f"{r_copy:,.0f} | – | 100% |",
        "",
        f"Full load vs ogr2ogr: **{r_full / r_ogr:.2f}×** the rows/s (target ≥ 1×); "
        f"**{r_full / r_copy:.0%}** of "
        f"plain COPY (stretch 40%); {with_borough:,} rows got a borough. The full load writes into "
        "`crime.street_crime`, range-partitioned on month (one partition a year) with the indexes the "
        "analyst queries need (primary key, "
        "borough/month/ward, month/type, GiST); ogr2ogr writes one unindexed table and builds one GiST index "
        "at the end. A file this size loads on two connections (loaders/parallel.py; the "
        "one-connection way is "
        "the row below it). Where the full load's time goes: docs/loaders.md (Speed).",
        "",
    ]
    if big:
        lines += [
            "| Full load at scale | Rows | Seconds | Rows/s | Peak memory of the loader |",
            "|---|---:|---:|---:|---:|",
            f"| {n_cmp:,}-row file (above) | {n_full:,} | {t_full:.1f} | {r_full:,.0f} | {rss_full} MiB |",
            f"| {args.size:,}-row file into the emptied table | {big[2]:,} | {big[0]:.0f} | "
            f"{rate(big[2], big[0]):,.0f} | "
            f"{big[1]} MiB |",
            "",
            "The loader streams the file (1 MiB at a time to COPY): its peak memory does not "
            "grow with the file.",
            "",
        ]
    lines += [
        "| Area assignment of the same points (LSOA 2021, ward 2022, borough) | Points | "
        "Seconds | Points/s |",
        "|---|---:|---:|---:|",
        f"| SafeStats (LSOA grid, polygon join for boundary cells, ward/borough lookups) | {n_pts:,} "
        f"| {t_ours:.2f} | "
        f"{rate(n_pts, t_ours):,.0f} |",
        f"| Naive `ST_Contains` join with the published polygons | {n_pts:,} | {t_naive:.2f} | "
        f"{rate(n_pts, t_naive):,.0f} |",
        "",
        f"Speed-up: **{t_naive / t_ours:.1f}×** (target ≥ 5×), on the first {n_pts:,} located "
        "points of the file "
        "(the naive join takes minutes per 100,000 points). SafeStats agrees with "
        "`safestats.area_at` on the LSOA of "
        f"{exact[0]:,} of {exact[1]:,} points, and with the naive join on {agree[0]:,} of "
        f"{agree[1]:,} (a point "
        "exactly on a shared boundary gets the lower code in SafeStats).",
        "",
        f"| Analyst query on the {n_db:,}-row table (best of 3) | Rows out | Seconds |",
        "|---|---:|---:|",
        f"| Monthly counts by ward for one borough ({borough}), 2015–2024 | {r_q1:,} | {t_q1:.3f} |",
        f"| London-wide counts by crime type by month, all months | {r_q2:,} | {t_q2:.3f} |",
        "| … the same from `crime.street_crime_month_type` (counts the loader keeps) | "
        f"{r_q3:,} | {t_q3:.3f} |",
        "",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_doc:
        write_section("loaders", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
