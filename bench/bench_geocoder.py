"""Geocoder speed: batch rate per level (and the naive pg_trgm baseline's rate beside it), and the
median of single safestats.geocode() calls on a warm database.

Input: the evaluation mix (safestats.geocoding.labelled.generate, fixed seed, ≥ 25% typos), distinct strings.
Needs a database with the gazetteer loaded (DATABASE_URL, or the embedded one). Writes its section of
docs/benchmarks.md between <!-- bench:geocoder --> markers.

    .venv/bin/python bench/bench_geocoder.py [-n 4000] [--single 300] [--jobs 2]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, markers, write_section  # noqa: E402

from safestats import db  # noqa: E402
from safestats.geocoding.batch import run_threads  # noqa: E402
from safestats.geocoding.independent import FAMILIES, generate_family  # noqa: E402
from safestats.geocoding.labelled import generate  # noqa: E402

START, END = markers("geocoder")


class Pool:
    """``jobs`` persistent connections (plans stay cached per connection, as in a long batch)."""

    def __init__(self, url: str, jobs: int):
        self.conns = [db.connect(url) for _ in range(jobs)]

    def close(self):
        for c in self.conns:
            c.close()

    def timed(self, texts: list[tuple[str, str | None]], query: str) -> float:
        """Seconds to run ``query`` over all texts, split across the connections (set-based: one
        statement per connection over its share, as `safestats geocode --jobs` does)."""
        jobs = len(self.conns)
        parts = [texts[i::jobs] for i in range(jobs)]
        errors: list[BaseException] = []

        def work(c, part):
            try:
                c.execute(query, ([t for t, _ in part], [s for _, s in part])).fetchall()
            except BaseException as e:  # surfaced below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(c, p)) for c, p in zip(self.conns, parts) if p]
        t0 = time.perf_counter()
        run_threads(threads, errors)
        return time.perf_counter() - t0


GEOCODE = ("SELECT g.level FROM unnest(%s::text[], %s::text[]) AS x(t, s) "
           "CROSS JOIN LATERAL safestats.geocode(x.t, x.s) g")
BASELINE = ("SELECT b.level FROM unnest(%s::text[], %s::text[]) AS x(t, s) LEFT JOIN LATERAL ("
            "SELECT f.level FROM gazetteer.feature f WHERE f.norm %% lower(x.t) "
            "ORDER BY similarity(f.norm, lower(x.t)) DESC LIMIT 1) b ON true")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=4000, help="texts in the mix (before de-duplication)")
    ap.add_argument("--single", type=int, default=300, help="single calls timed for the median")
    ap.add_argument("--jobs", type=int, default=2, help="parallel connections for the batch")
    ap.add_argument("--no-write", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = ap.parse_args(argv)
    url = db.database_url()
    loadavg = Path("/proc/loadavg")
    load_at_start = " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "?"
    with db.connect(url) as conn:
        if not conn.execute("SELECT count(*) FROM gazetteer.feature").fetchone()[0]:
            print("load the gazetteer first (safestats load gazetteer …)", file=sys.stderr)
            return 2
        ex = generate(conn, args.n)
        indep = list({(e.text, e.site_code) for f in FAMILIES for e in generate_family(conn, f)})
        env = machine(conn)
    seen, mix = set(), []
    for e in ex:
        if e.text not in seen:
            seen.add(e.text)
            mix.append(e)
    typo_share = sum(e.typo for e in mix) / len(mix)
    by_level: dict[str, list] = {}
    for e in mix:
        by_level.setdefault(e.level, []).append((e.text, e.site_code))
    everything = [(e.text, e.site_code) for e in mix]

    # Warm up on the whole mix (each connection plans every statement of the geocoder once, pages come
    # into shared buffers), as a long batch is after its first minute; the baseline alike. Then measure.
    pool, pool1 = Pool(url, args.jobs), Pool(url, 1)
    try:
        first = {}
        for name, p in (("jobs", pool), ("one", pool1)):
            first[name] = (p.timed(everything, GEOCODE), p.timed(everything, BASELINE))
        rows = []
        t_all = pool.timed(everything, GEOCODE)
        t_base = pool.timed(everything, BASELINE)
        rows.append(("all (evaluation mix)", len(everything), f"{len(everything) / t_all:,.0f}",
                     f"{len(everything) / t_base:,.0f}"))
        for lvl in ("postcode", "venue", "junction", "street", "sector", "area", "district", "borough",
                    "home", "none"):
            texts = by_level.get(lvl)
            if not texts:
                continue
            t = pool.timed(texts, GEOCODE)
            tb = pool.timed(texts, BASELINE)
            rows.append((lvl, len(texts), f"{len(texts) / t:,.0f}", f"{len(texts) / tb:,.0f}"))
        t_ind = pool.timed(indep, GEOCODE)
        tb_ind = pool.timed(indep, BASELINE)
        rows.append(("independent sets (desk + notes)", len(indep), f"{len(indep) / t_ind:,.0f}",
                     f"{len(indep) / tb_ind:,.0f}"))
        one_job = pool1.timed(everything, GEOCODE)
    finally:
        pool.close()
        pool1.close()

    # Single calls: one statement per text on a warm connection, client round trip included.
    singles = []
    with db.connect(url) as conn:
        sample = everything[: args.single]
        for t, s in sample[:50]:
            conn.execute("SELECT * FROM safestats.geocode(%s, %s)", (t, s)).fetchall()
        for t, s in sample:
            t0 = time.perf_counter()
            conn.execute("SELECT * FROM safestats.geocode(%s, %s)", (t, s)).fetchall()
            singles.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(singles)
    p90 = sorted(singles)[int(0.9 * len(singles))]

    table = ["| level of the text | distinct texts | geocoder records/s | naive baseline records/s |",
             "|---|---|---|---|"] + [f"| {a} | {b:,} | {c} | {d} |" for a, b, c, d in rows]
    section = "\n".join([
        START,
        "## Geocoder (`bench/bench_geocoder.py`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {env}; load average at the start "
        f"{load_at_start}" + (" (other jobs were running: compare the columns side by side)."
                              if load_at_start[:1].isdigit() and float(load_at_start.split()[0]) > 1.5
                              else "."),
        f"Input: the evaluation mix (seed-fixed generator, {len(everything):,} distinct texts, typos in "
        f"{typo_share:.0%}), set-based over {args.jobs} connections "
        f"(as `safestats geocode --jobs {args.jobs}`).",
        "Baseline: the single best pg_trgm similarity match over all gazetteer names, no parsing "
        "(same connections).",
        "",
        *table,
        "",
        f"- Whole mix on one connection: {len(everything) / one_job:,.0f} records/s.",
        f"- The warm-up pass (fresh connections: every statement of the geocoder planned for the first "
        f"time): {len(everything) / first['jobs'][0]:,.0f} records/s on {args.jobs} connections, baseline "
        f"{len(everything) / first['jobs'][1]:,.0f}; the rows above are after it, as in a long batch.",
        f"- Single `safestats.geocode()` call, warm connection, client round trip included: median "
        f"{med:.1f} ms, 90th percentile {p90:.1f} ms ({len(singles)} calls).",
        "- Targets: batch ≥ 1,000 records/s on 2 cores; single-call median ≤ 10 ms.",
        END,
    ])
    print(section)
    if not args.no_write:
        write_section("geocoder", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
