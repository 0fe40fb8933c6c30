"""Disclosure control: time of open.protect_table (primary + secondary suppression) on ward x month
tables of London's size, beside the named baseline **primary-only suppression** (open.disclose on
every figure, no secondary suppression), and what the linear-programming attack recovers from each.

Tables are random counts shaped like A&E assaults by ward and month (most cells 0-4). Needs a
migrated database (DATABASE_URL, or the embedded one). Writes its section of docs/benchmarks.md
between <!-- bench:security --> markers.

    .venv/bin/python bench/bench_security.py [--rows 90 680] [--months 3 12] [--lp-rows 60]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, markers, write_section  # noqa: E402

from safestats import db  # noqa: E402
from safestats.disclosure import lp_attack  # noqa: E402

START, END = markers("security")


def table(rng: random.Random, rows: int, months: int, mean: float = 1.8) -> dict:
    return {(f"E05{r:06d}", f"2024-{m + 1:02d}"): int(rng.expovariate(1 / mean))
            for r in range(rows) for m in range(months)}


def protect(conn, t: dict):
    keys = list(t)
    t0 = time.perf_counter()
    out = conn.execute("SELECT row_key, col_key, shown, suppressed "
                       "FROM open.protect_table(%s, %s, %s::bigint[])",
                       ([k[0] for k in keys], [k[1] for k in keys], [t[k] for k in keys])).fetchall()
    return out, time.perf_counter() - t0


def primary_only(conn, t: dict):
    """The baseline: each figure (cells and totals) through open.disclose on its own."""
    rows = sorted({r for r, _ in t})
    cols = sorted({c for _, c in t})
    figures = dict(t)
    for r in rows:
        figures[(r, None)] = sum(t[(r, c)] for c in cols)
    for c in cols:
        figures[(None, c)] = sum(t[(r, c)] for r in rows)
    figures[(None, None)] = sum(t.values())
    keys = list(figures)
    t0 = time.perf_counter()
    shown = conn.execute("SELECT open.disclose(n) "
                         "FROM unnest(%s::bigint[]) WITH ORDINALITY u(n, o) ORDER BY o",
                         ([figures[k] for k in keys],)).fetchall()
    elapsed = time.perf_counter() - t0
    return [(k[0], k[1], s[0], s[0] is None and figures[k] != 0) for k, s in zip(keys, shown)], elapsed


def exposure(published, t: dict, threshold: int = 5):
    """(withheld figures, figures the LP attack pins narrower than the threshold, exactly pinned)."""
    rows = sorted({r for r, _ in t})
    cols = sorted({c for _, c in t})
    cells = {(r, c): s for r, c, s, _ in published if r is not None and c is not None}
    rt = {r: s for r, c, s, _ in published if r is not None and c is None}
    ct = {c: s for r, c, s, _ in published if r is None and c is not None}
    grand = next((s for r, c, s, _ in published if r is None and c is None), None)
    bounds = lp_attack(cells, rt, ct, grand, rows, cols)
    narrow = sum(1 for lo, hi in bounds.values() if hi - lo < threshold - 1e-6)
    exact = sum(1 for lo, hi in bounds.values() if hi - lo < 1e-6)
    return len(bounds), narrow, exact


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[90, 300, 680], help="wards per table")
    ap.add_argument("--months", type=int, nargs="+", default=[3, 12], help="months per table")
    ap.add_argument("--lp-rows", type=int, default=60, help="wards in the table the LP attack is run on")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()

    rng = random.Random(2024)
    lines = []
    with db.connect() as conn:
        about = machine(conn)
        conn.execute("SELECT * FROM open.protect_table(ARRAY['a'], ARRAY['b'], ARRAY[1]::bigint[])")  # warm
        lines.append("| wards × months | figures | protect_table (s) | withheld | "
                     "primary-only baseline (s) | withheld by baseline |")
        lines.append("|---|---|---|---|---|---|")
        for rows in args.rows:
            for months in args.months:
                t = table(rng, rows, months)
                out, secs = protect(conn, t)
                base, base_secs = primary_only(conn, t)
                line = (f"| {rows} × {months} | {len(out)} | {secs:.2f} | {sum(s for *_, s in out)} | "
                        f"{base_secs:.3f} | {sum(s for *_, s in base)} |")
                print(line, flush=True)
                lines.append(line)
        t = table(rng, args.lp_rows, 3)
        out, _ = protect(conn, t)
        base, _ = primary_only(conn, t)
        ours = exposure(out, t)
        theirs = exposure(base, t)
    lp = (f"LP attack on a {args.lp_rows} × 3 table (threshold 5): **protect_table** — {ours[0]} withheld "
          f"figures, {ours[1]} bounded narrower than 5, {ours[2]} recovered exactly; "
          f"**primary-only baseline** — {theirs[0]} withheld, {theirs[1]} bounded narrower than 5, "
          f"{theirs[2]} recovered exactly.")
    print(lp)
    section = "\n".join([
        START, "## Disclosure control (bench/bench_security.py)", "",
        f"{dt.date.today().isoformat()} — {about}", "",
        "Random ward × month tables shaped like A&E assault counts (mean 1.8 per cell), suppress 1–4, "
        "published with ward totals, monthly totals and the grand total. Baseline: primary suppression "
        "only (`open.disclose` per figure), which is fast and unsafe:", "",
        *lines, "", lp, "", END])
    if not args.no_write:
        print(f"updated {write_section('security', section)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
