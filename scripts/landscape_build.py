"""Builds the compact shipped form of the London Landscape in-depth data from the shared files:
data/landscape/landscape_more.csv.gz (long: indicator, level, vintage, area, period, value,
observed/projected, source file) and data/landscape/landscape_more_catalogue.csv (one row per
indicator). Every file of landscape_more/ is read by its layout in loaders/landscape_more.py, except
those left out for their licence (EXCLUDED), plus the MPS 2022-ward crime file of datastore/.

    .venv/bin/python scripts/landscape_build.py [--shared /work/shared/data]

The output is deterministic (sorted rows, gzip mtime 0), so rebuilding from the same files gives the
same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import landscape_more as lm  # noqa: E402
from safestats import config  # noqa: E402

DATASTORE_FILES = ["mps_ward_level_crime_most_recent_24_months.csv"]


def build(shared: Path, out_dir: Path) -> tuple[int, int]:
    rows: list[tuple] = []
    cat: dict[str, list] = {}
    meta_only: list[list] = []
    files = sorted(p for p in (shared / "landscape_more").iterdir() if p.name in lm.LAYOUTS)
    files += [shared / "datastore" / n for n in DATASTORE_FILES]
    for path in files:
        out = lm.read_file(path)
        rows.extend(out.rows)
        for c in lm.catalogue_rows(out):
            if c[2] == "":  # metadata-only entry (atlas definitions)
                meta_only.append(c)
            elif c[0] in cat:
                if lm.LAYOUTS[path.name].source not in cat[c[0]][6]:
                    cat[c[0]][6] += "; " + lm.LAYOUTS[path.name].source
            else:
                cat[c[0]] = c
        print(
            f"{path.name}: {len(out.rows):,} values, {len(out.inds)} indicators, "
            f"{out.skipped:,} cells skipped"
        )
    for m in meta_only:
        if m[0] in cat and not cat[m[0]][9]:
            cat[m[0]][9] = m[9]
    # Same indicator, area and period from two files (overlapping MPS months): the later file wins.
    dedup: dict[tuple, tuple] = {}
    for r in rows:
        dedup[r[:5]] = r
    rows = sorted(dedup.values(), key=lambda r: (r[0], r[1], r[2], r[3], r[5], r[4]))
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(lm.COMPACT_HEADER)
    w.writerows(rows)
    with (
        open(out_dir / lm.COMPACT_NAME, "wb") as f,
        gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g,
    ):
        g.write(buf.getvalue().encode("utf-8"))
    with open(out_dir / lm.CATALOGUE_NAME, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(lm.CATALOGUE_HEADER)
        w.writerows(sorted(cat.values()))
    return len(rows), len(cat)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=config.SHARED_DATA_DIR)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "landscape")
    a = ap.parse_args(argv)
    n, k = build(a.shared, a.out)
    print(f"{n:,} values of {k} indicators -> {a.out / lm.COMPACT_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
