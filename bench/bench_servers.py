#!/usr/bin/env python3
"""Benchmark: SafeStats on two servers side by side (issues 19 and 20).

Two throwaway local clusters, started by this script (``safestats.cluster.Cluster``):

- **embedded**: the settings the embedded cluster ships with (``wal_level = minimal``, 256 MB
  ``shared_buffers`` and ``maintenance_work_mem``, 32 MB ``work_mem``; autovacuum on);
- **stock**: PostgreSQL's own defaults with ``wal_level = replica`` (as on a replicated production
  server) and **autovacuum off**, so nothing analyses a table behind the steps' backs.

On each, in one run: ``safestats migrate``; the reference build (``safestats reference``) into a
fresh database, ``--reference-runs`` times; the gazetteer folder loaded as ``safestats load gazetteer
FOLDER`` does (one rebuild at the end), then one more full rebuild timed alone; the Landscape inputs
(ward profiles, LSOA population, the MPS ward and LSOA crime files); the full police.uk load of a
``--rows``-row synthetic file spread over 2001-2025 (as ``safestats load police-uk``, in a child
process), and side by side on the same file plain ``ogr2ogr``, the same work the usual way (ogr2ogr,
then SQL: EPSG:27700 geometry, LSOA 2021 / ward 2022 / borough by ``ST_Contains`` on the published
polygons, and the analyst indexes) and raw ``COPY`` into an unlogged text table; then the full load
and plain ``ogr2ogr`` on a file of as many rows in one year (2019: one partition, as a year of the
Metropolitan Police's files is). Then, straight after the loads, the
first and the second run of: a comparator build, the crime-rate build, a geocode batch and an
analyst query (issue 19: the first within twice the second).

Results go to docs/benchmarks.md between <!-- bench:servers --> markers. The clusters are removed
at the end. ``--rows 200000`` for a quicker run; ``--only-police`` (prints only) for just what the
police.uk paths need, with ``--repeat N`` to time the full load and plain ogr2ogr N times each, side
by side.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from _common import machine, markers, write_section  # noqa: E402
from bench_loaders import run_child, warm  # noqa: E402

from safestats import config, db  # noqa: E402
from safestats.cluster import Cluster  # noqa: E402

START, END = markers("servers")
SHIPPED = config.SHIPPED_DATA_DIR
ANALYST_QUERY = """SELECT ward22_code, date_trunc('month', month) AS m, count(*) FROM crime.street_crime
                   WHERE borough_code = 'E09000033' AND month >= '2015-01-01' AND month < '2025-01-01'
                   GROUP BY 1, 2"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn, *a, **kw) -> tuple[float, object]:
    t = time.monotonic()
    out = fn(*a, **kw)
    return time.monotonic() - t, out


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def new_database(cluster: Cluster, name: str) -> str:
    import psycopg
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cluster.ensure_database(name)
    url = cluster.url(name)
    with db.connect(url) as c:
        # A second database in a cluster whose roles exist already (see bench/bench_loaders.py).
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'safestats_owner'").fetchone():
            c.execute("GRANT CREATE ON SCHEMA public TO safestats_owner")
    return url


def reference_runs(cluster: Cluster, runs: int) -> tuple[float, list[float], str]:
    """(migrate seconds of the first database, reference seconds per fresh database, last URL)."""
    from safestats.reference import load_reference
    times, migrate, url = [], 0.0, ""
    for i in range(runs):
        url = new_database(cluster, f"bench_{i}")
        t, _ = timed(db.upgrade, url)
        migrate = migrate or t
        with db.connect(url) as conn:
            t, _ = timed(load_reference, conn, quiet=True)
        times.append(t)
        print(f"  reference run {i + 1}: {t:.1f} s (load average {loadavg()})", flush=True)
    return migrate, times, url


def load_inputs(conn, work: Path, gazetteer_dir: Path) -> dict:
    from loaders import gazetteer, registry, ward_profiles
    from loaders.core import LoadOptions, load_csv
    quiet = LoadOptions(quiet=True, rejects_dir=work / "rejects")
    out = {}
    out["gazetteer load (one rebuild)"], _ = timed(gazetteer.load_folder, conn, gazetteer_dir)
    out["gazetteer rebuild alone"], _ = timed(
        lambda: conn.execute("SELECT safestats_internal.gazetteer_rebuild()"))
    load_csv(conn, ward_profiles.SOURCE, SHIPPED / "landscape" / "ward-profiles-excel-version.csv.gz", quiet)
    pop = config.SHARED_DATA_DIR / "datastore" / "london-mid2020-pop.csv"
    if pop.exists():
        registry.get("lsoa-population").load(conn, pop, quiet)
    for source, pattern in (("mps-ward", "mps_ward_level_crime_*.csv.gz"),
                            ("mps-lsoa", "london-2011-2021-major-*.csv.gz")):
        for f in sorted((SHIPPED / "loaders").glob(pattern)):
            registry.get(source).load(conn, f, quiet)
    return out


def ogr_command(conn, src: Path) -> list[str]:
    info = conn.info
    pg = f"PG:dbname={info.dbname} host={info.host} port={info.port} user={info.user}"
    return ["ogr2ogr", "-f", "PostgreSQL", pg, str(src), "-nln", "bench.ogr_import", "-a_srs", "EPSG:4326",
            "-oo", "X_POSSIBLE_NAMES=Longitude", "-oo", "Y_POSSIBLE_NAMES=Latitude",
            "-oo", "KEEP_GEOM_COLUMNS=NO",
            "-lco", "GEOMETRY_NAME=geom", "--config", "PG_USE_COPY", "YES", "-gt", "65536"]


def police_paths(conn, url: str, src: Path, work: Path, repeat: int = 1) -> dict:
    """The full load and the three other paths on the same file: seconds and rows each. ``repeat``
    > 1: the full load and plain ogr2ogr run that many times each, alternately (the machine is
    shared: each pair side by side); the best of each is reported, every run printed."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
    ogr = ogr_command(conn, src)
    out = full_and_ogr(conn, url, src, work, repeat)
    pipeline_and_copy(conn, src, ogr, out)
    return out


def full_and_ogr(conn, url: str, src: Path, work: Path, repeat: int) -> dict:
    """The full load and plain ogr2ogr on ``src``, ``repeat`` times each, alternately: the best of each
    (seconds, rows), the WAL of the first full load and the table's size after it."""
    out: dict = {}
    env = {**os.environ, "DATABASE_URL": url}
    conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
    ogr = ogr_command(conn, src)
    fulls, ogrs = [], []
    for i in range(repeat):
        conn.execute("CHECKPOINT")
        lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        t, _, err = run_child([sys.executable, "-m", "safestats.cli", "load", "police-uk", str(src),
                               "--quiet", "--force", "--rejects-dir", str(work / "rejects")], env)
        fulls.append(t)
        rows = conn.execute("SELECT count(*) FROM crime.street_crime").fetchone()[0]
        if not out.get("full") or t <= out["full"][0]:
            out["full"] = (t, rows)
        if i == 0:
            out["wal_mib"] = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s) / 2^20",
                                          (lsn,)).fetchone()[0]
            out["table_mib"] = conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) / 2^20 FROM pg_inherits i "
                "JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'crime.street_crime'::regclass").fetchone()[0]
        print(f"  full load {t:.1f} s ({rows:,} rows)", flush=True)
        if not rows:
            print(err, flush=True)
        conn.execute("DROP TABLE IF EXISTS bench.ogr_import")
        conn.execute("CHECKPOINT")
        t, _, _ = run_child(ogr, {**os.environ})
        ogrs.append(t)
        rows = conn.execute("SELECT count(*) FROM bench.ogr_import").fetchone()[0]
        if not out.get("ogr2ogr") or t <= out["ogr2ogr"][0]:
            out["ogr2ogr"] = (t, rows)
        print(f"  ogr2ogr {t:.1f} s", flush=True)
    if repeat > 1:
        print("  full load runs: " + " / ".join(f"{t:.1f}" for t in fulls) + " s; ogr2ogr runs: "
              + " / ".join(f"{t:.1f}" for t in ogrs) + " s; ratio per pair: "
              + " / ".join(f"{o / f:.2f}" for f, o in zip(fulls, ogrs)), flush=True)
    conn.execute("DROP TABLE IF EXISTS bench.ogr_import")
    return out


def pipeline_and_copy(conn, src: Path, ogr: list[str], out: dict) -> None:
    """The same work the usual way (ogr2ogr, then SQL) and raw COPY, on ``src``, into ``out``."""
    conn.execute("DROP TABLE IF EXISTS bench.ogr_import")
    conn.execute("DROP TABLE IF EXISTS bench.pipeline")
    conn.execute("CHECKPOINT")
    t0 = time.monotonic()
    run_child(ogr, {**os.environ})
    for stmt in (
        "ANALYZE bench.ogr_import",
        """CREATE TABLE bench.pipeline AS SELECT o.*,
           ST_Transform(o.geom, 27700)::geometry(Point, 27700) AS geom27700,
           NULL::text AS lsoa21, NULL::text AS ward22, NULL::text AS borough FROM bench.ogr_import o""",
        "CREATE INDEX ON bench.pipeline USING gist (geom27700)",
        "ANALYZE bench.pipeline",
        """UPDATE bench.pipeline p SET lsoa21 = a.code FROM ref.area a
           WHERE a.level = 'lsoa' AND a.vintage = 2021 AND ST_Contains(a.geom, p.geom27700)""",
        """UPDATE bench.pipeline p SET ward22 = a.code FROM ref.area a
           WHERE a.level = 'ward' AND a.vintage = 2022 AND ST_Contains(a.geom, p.geom27700)""",
        """UPDATE bench.pipeline p SET borough = a.code FROM ref.area a
           WHERE a.level = 'borough' AND a.vintage = 2022 AND ST_Contains(a.geom, p.geom27700)""",
        "CREATE INDEX ON bench.pipeline (borough, month, ward22)",
        # (ogr2ogr lower-cases the CSV's column names and keeps their blanks)
        'CREATE INDEX ON bench.pipeline (month, "crime type")',
    ):
        conn.execute(stmt)
    out["pipeline"] = (time.monotonic() - t0,
                       conn.execute("SELECT count(*) FROM bench.pipeline").fetchone()[0])
    conn.execute("DROP TABLE bench.pipeline, bench.ogr_import")
    conn.execute("DROP TABLE IF EXISTS bench.copy_text")
    conn.execute("CREATE UNLOGGED TABLE bench.copy_text (" + ", ".join(f"c{i} text" for i in range(12)) + ")")
    conn.execute("CHECKPOINT")
    t0 = time.monotonic()
    with conn.cursor() as cur, open(src, "rb") as f, \
            cur.copy("COPY bench.copy_text FROM STDIN (FORMAT csv, HEADER true)") as cp:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            cp.write(chunk)
    out["copy"] = (time.monotonic() - t0, conn.execute("SELECT count(*) FROM bench.copy_text").fetchone()[0])
    conn.execute("DROP TABLE bench.copy_text")


def year_file(work: Path, rows: int) -> Path:
    return work / f"synthetic-{rows}-2019-metropolitan-street.csv"


def first_and_second(conn, url: str) -> dict:
    """Issue 19: each step's first run straight after the loads, and its second run."""
    from safestats.geocoding.batch import geocode_table
    conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
    conn.execute("DROP TABLE IF EXISTS bench.addresses")
    conn.execute("""CREATE TABLE bench.addresses AS
                    SELECT row_number() OVER () AS id, t FROM (
                      (SELECT name AS t FROM gazetteer.feature WHERE kind IN ('pub', 'station', 'street')
                       ORDER BY feature_id LIMIT 400)
                      UNION ALL (SELECT postcode FROM gazetteer.postcode ORDER BY postcode LIMIT 100)) x""")
    steps = {
        # As the issue measured it: the command, each run a process of its own (so both runs pay
        # for starting Python and importing scikit-learn; only the database's part can differ).
        "comparator build (`safestats comparator build`)": lambda i: run_child(
            [str(REPO / ".venv" / "bin" / "safestats"), "comparator", "build", "--label", f"bench-{i}",
             "--quiet"], env={**os.environ, "DATABASE_URL": url}),
        "crime-rate build":
            lambda i: conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone(),
        "geocode batch (500 texts, 1 connection)": lambda i: geocode_table(
            conn, "bench.addresses", "t", key_col="id", redo=True, jobs=1, quiet=True),
        "analyst query (monthly counts by ward, one borough, 10 years)":
            lambda i: conn.execute(ANALYST_QUERY).fetchall(),
    }
    out = {}
    for name, fn in steps.items():
        first, _ = timed(fn, 1)
        second, _ = timed(fn, 2)
        out[name] = (first, second)
        print(f"  {name}: first {first:.2f} s, second {second:.2f} s", flush=True)
    return out


def settings_of(conn) -> str:
    rows = conn.execute("SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
                        "('wal_level', 'shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', "
                        "'autovacuum') ORDER BY name").fetchall()
    return ", ".join(f"{n} {v}" for n, v in rows)


def run_server(kind: str, args, src: Path | None) -> dict:
    """One cluster's steps (``--only-police``: a single reference build and the police.uk paths)."""
    home = Path(tempfile.mkdtemp(prefix=f"safestats-bench-{kind}-", dir="/tmp"))
    home.chmod(0o755)
    cluster = Cluster(home=home, port=free_port(), tuned=(kind == "embedded"),
                      autovacuum=(kind == "embedded"))
    res: dict = {"kind": kind}
    try:
        cluster.start()
        cluster.wait_ready()
        print(f"== {kind} cluster", flush=True)
        runs = 1 if args.only_police else args.reference_runs
        res["migrate"], res["reference"], url = reference_runs(cluster, runs)
        work = args.work
        with db.connect(url) as conn:
            res["settings"] = settings_of(conn)
            res["machine"] = machine(conn)
            if not args.only_police:
                res.update(load_inputs(conn, work, args.gazetteer_dir))
                print(f"  gazetteer: {res['gazetteer load (one rebuild)']:.1f} s load, "
                      f"{res['gazetteer rebuild alone']:.1f} s rebuild", flush=True)
            if src is not None:
                if not src.exists():
                    from safestats import synth_police
                    print(f"  writing {args.rows:,} synthetic police.uk rows …", flush=True)
                    synth_police.write(conn, src.parent, args.rows, single_file=True)
                warm(src)
                res["paths"] = police_paths(conn, url, src, work, args.repeat)
                print("  " + ", ".join(f"{k} {v[0]:.1f} s" for k, v in res["paths"].items()
                                       if isinstance(v, tuple)), flush=True)
                # The same number of rows as one year of crimes (police.uk's Metropolitan files run to
                # about 90,000 a month): one partition, where the file above spreads over 25 years.
                year = year_file(work, args.rows)
                if not year.exists():
                    from safestats import synth_police
                    print(f"  writing {args.rows:,} synthetic police.uk rows of 2019 …", flush=True)
                    written = synth_police.write(conn, work / "year", args.rows, first_month="2019-01",
                                                 last_month="2019-12", single_file=True)
                    written[0].rename(year)
                warm(year)
                res["year"] = full_and_ogr(conn, url, year, work, args.repeat)
                print(f"  one-year file: full load {res['year']['full'][0]:.1f} s, "
                      f"ogr2ogr {res['year']['ogr2ogr'][0]:.1f} s", flush=True)
            if not args.only_police:
                res["first_second"] = first_and_second(conn, url)
    finally:
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)
    return res


def section(results: list[dict], args, started: str, load_start: str) -> str:
    lines = [START, "## Two servers: embedded and stock (bench/bench_servers.py)", "",
             f"Run {started} UTC on {results[0]['machine']}; load average {load_start} at the start "
             f"and {loadavg()} at the end (the machine is shared with other jobs: compare rows side by side, "
             f"not across runs). `--rows {args.rows}`, `--reference-runs {args.reference_runs}`, gazetteer "
             f"folder `{args.gazetteer_dir}`.", ""]
    for r in results:
        lines.append(f"- **{r['kind']}**: {r['settings']}")
    names = [r["kind"] for r in results]
    lines += ["", "| step | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")
    row("`safestats migrate`, fresh database (s)", lambda r: f"{r['migrate']:.1f}")
    row("`safestats reference`, fresh database, each run (s)",
        lambda r: " / ".join(f"{t:.1f}" for t in r["reference"]))
    if not args.only_police:
        row("gazetteer folder loaded, one rebuild at the end (s)",
            lambda r: f"{r['gazetteer load (one rebuild)']:.1f}")
        row("one full gazetteer rebuild, reference loaded (s)",
            lambda r: f"{r['gazetteer rebuild alone']:.1f}")
    if all("paths" in r for r in results):
        for key, label in (("full", "SafeStats full police.uk load"), ("ogr2ogr", "plain ogr2ogr"),
                           ("pipeline", "ogr2ogr + SQL (27700, LSOA/ward/borough by ST_Contains, indexes)"),
                           ("copy", "raw COPY into an unlogged text table")):
            row(f"{label} (s; rows)", lambda r, k=key: f"{r['paths'][k][0]:.1f}; {r['paths'][k][1]:,}")
        row("WAL written by the full load (MiB); crime.street_crime on disk after it (MiB)",
            lambda r: f"{r['paths']['wal_mib']:,.0f}; {r['paths']['table_mib']:,.0f}")
        row("full load vs plain ogr2ogr (rows/s ratio; target ≥ 0.6)",
            lambda r: f"{r['paths']['ogr2ogr'][0] / r['paths']['full'][0]:.2f}×")
        row("full load vs the pipeline (speed-up; target ≥ 4)",
            lambda r: f"{r['paths']['pipeline'][0] / r['paths']['full'][0]:.1f}×")
    if all("year" in r for r in results):
        row("the same number of rows in one year (2019, one partition): full load / plain ogr2ogr (s)",
            lambda r: f"{r['year']['full'][0]:.1f} / {r['year']['ogr2ogr'][0]:.1f}")
        row("one-year file: full load vs plain ogr2ogr (rows/s ratio)",
            lambda r: f"{r['year']['ogr2ogr'][0] / r['year']['full'][0]:.2f}×")
    for step in results[0].get("first_second", ()):
        row(f"{step}: first / second run (s)",
            lambda r, s=step: f"{r['first_second'][s][0]:.2f} / {r['first_second'][s][1]:.2f}")
    lines += ["", "Issue 19 asks the first run straight after the loads to take at most twice the second on "
              "the stock server with autovacuum off; issue 20 asks, on the stock server, the full load "
              "≥ 0.6× plain ogr2ogr and ≥ 4× the pipeline, `safestats reference` under 90 s and a full "
              "gazetteer rebuild under 60 s.", END]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=int(os.environ.get("SERVERS_ROWS", 1_000_000)),
                    help="rows of the synthetic police.uk file (0: no police.uk paths)")
    ap.add_argument("--reference-runs", type=int, default=2,
                    help="fresh-database reference builds per server")
    ap.add_argument("--servers", default="stock,embedded", help="which clusters, in order")
    ap.add_argument("--gazetteer-dir", type=Path,
                    default=next((d for d in (config.SHARED_DATA_DIR / "gazetteer", SHIPPED / "gazetteer")
                                  if d.exists()), SHIPPED / "gazetteer"))
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "safestats-bench-loaders")
    ap.add_argument("--no-doc", action="store_true", help="print only; do not update docs/benchmarks.md")
    ap.add_argument("--only-police", action="store_true",
                    help="only what the police.uk paths need (one reference build, no gazetteer, Landscape "
                         "inputs or first/second runs); implies --no-doc")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the full load and plain ogr2ogr this many times each, alternately (best kept)")
    args = ap.parse_args()
    if args.only_police:
        args.no_doc = True
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    load_start = loadavg()
    args.work.mkdir(parents=True, exist_ok=True)
    src = None
    if args.rows:
        # (written by the first server when absent; bench/bench_loaders.py shares it)
        src = args.work / f"synthetic-{args.rows}-metropolitan-street.csv"
    results = [run_server(kind, args, src) for kind in args.servers.split(",")]
    text = section(results, args, started, load_start)
    print(text)
    if not args.no_doc:
        write_section("servers", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
