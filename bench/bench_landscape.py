#!/usr/bin/env python3
"""Benchmark: the London Landscape in-depth load (the compact shipped file, about 1 million values)
split into writing the published values and carrying them onto 2022 wards and boroughs
(safestats_internal.landscape_move_to_today), plus area_profile, indicator_associations and
borough_ward_contributions on 2022 wards. The machine's load average is recorded with the figures:
on a shared machine the timings are upper bounds.

Uses DATABASE_URL or the embedded database (``safestats db up && safestats migrate && safestats
reference`` first). Writes its section of docs/benchmarks.md.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import machine, markers, write_section  # noqa: E402

from safestats import landscape  # noqa: E402
from safestats.db import connect  # noqa: E402


def timed(conn, sql, params=()):
    t = time.perf_counter()
    n = len(conn.execute(sql, params).fetchall())
    return time.perf_counter() - t, n


def main() -> int:
    with connect() as conn:
        load_before = os.getloadavg()[0]
        t = time.perf_counter()
        r = landscape.load_more(conn, quiet=True, force=True)
        total = time.perf_counter() - t
        d = conn.execute("SELECT details FROM safestats.load WHERE load_id = %s", (r.load_id,)).fetchone()[0]
        run = landscape.ward_run(conn)
        prof = timed(conn, "SELECT * FROM safestats.area_profile('E05013725', %s)", (run,))
        assoc = timed(conn, "SELECT * FROM safestats.indicator_associations("
                            "'mps_ward_violence_against_the_person')")
        contrib = timed(conn, "SELECT * FROM safestats.borough_ward_contributions('E09000023', "
                              "'mps_ward_violence_against_the_person')")
        mach = machine(conn)
    load_after = os.getloadavg()[0]
    start, end = markers("landscape")
    text = f"""{start}
## London Landscape in depth ({dt.date.today().isoformat()}, `bench/bench_landscape.py`)

Machine: {mach}. Load average {load_before:.1f} before, {load_after:.1f} after (other jobs were
running on the machine, so these are upper bounds).

| what | time |
|---|---|
| `safestats load landscape-more …/landscape_more.csv.gz --force` ({r.rows_loaded:,} values) | {total:.1f} s |
| of which writing the published values (COPY, checks, catalogue) | {d.get('write_seconds')} s |
| of which the move onto 2022 wards and boroughs ({d.get('moved'):,} values) | {d.get('move_seconds')} s |
| `safestats.area_profile('E05013725', run)` ({prof[1]} indicators) | {prof[0] * 1000:.0f} ms |
| `safestats.indicator_associations(violence)` ({assoc[1]} indicators, BH) | {assoc[0] * 1000:.0f} ms |
| `safestats.borough_ward_contributions('E09000023', violence)` | {contrib[0] * 1000:.0f} ms |

The earlier attempt moved each indicator onto today's boundaries one at a time: 35 minutes.
{end}"""
    print(text)
    print(f"updated {write_section('landscape', text).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
