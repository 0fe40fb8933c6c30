"""Synthetic police.uk street-level crime files whose points follow London's real spatial distribution.

Weights: the MPS per-LSOA annual counts (one file per major category, 2011–2021) give how much of
each kind of crime each LSOA 2011 has; rows are drawn month by month from that LSOA × category
table, and each row gets a random point inside its LSOA polygon (``ST_GeneratePoints`` on the LSOA
2011 boundaries in the database, fixed seed). The files carry the quirks of the real ones: rows
without coordinates, Crime IDs repeated at different points, identical anti-social behaviour rows,
and a few points far outside London. Memory stays flat: one month is built at a time.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import random
from pathlib import Path

import numpy as np

from safestats import config

DEFAULT_COUNTS = config.SHARED_DATA_DIR / "datastore" / "mps_lsoa_annual_crime_2011_2021"
HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code",
          "LSOA name", "Crime type", "Last outcome category", "Context"]
FORCE = "Metropolitan Police Service"
# MPS major category (file slug) → police.uk crime types it appears as (with shares).
TYPES = {
    "arson": [("Criminal damage and arson", 1.0)],
    "burglary": [("Burglary", 1.0)],
    "drugs": [("Drugs", 1.0)],
    "misc": [("Other crime", 1.0)],
    "public-order": [("Public order", 1.0)],
    "robbery": [("Robbery", 1.0)],
    "sexual": [("Violence and sexual offences", 1.0)],
    "theft-all": [("Other theft", 0.45), ("Theft from the person", 0.2), ("Shoplifting", 0.25),
                  ("Bicycle theft", 0.1)],
    "vehicle-offences": [("Vehicle crime", 1.0)],
    "violence": [("Violence and sexual offences", 1.0)],
    "weapons": [("Possession of weapons", 1.0)],
}
ASB_SHARE = 0.3
NO_COORDS, REPEAT_ID, SAME_ASB, FAR_AWAY = 0.08, 0.005, 0.005, 0.001
FAR_POINTS = [(-3.9436, 51.6214, "E01000000", "Swansea 025F"), (-2.4282, 53.5769, "E01004922", "Bolton 015E"),
              (-3.3700, 52.2400, "W01000488", "Powys 006C")]
STREETS = ["High Street", "Station Road", "Church Road", "Park Road", "London Road", "Victoria Road",
           "Green Lane", "Manor Road", "Kings Road", "Queens Road", "Mill Lane", "Shopping Area",
           "Supermarket", "Petrol Station", "Parking Area", "Nightclub", "Sports/Recreation Area", "Hospital"]
OUTCOMES = ["Investigation complete; no suspect identified", "Under investigation",
            "Unable to prosecute suspect",
            "Status update unavailable", "Awaiting court outcome", "Offender given a caution",
            "Local resolution", "Court result unavailable"]


def read_weights(counts_dir: Path) -> tuple[list[str], list[str], np.ndarray]:
    """(LSOA codes, crime types, matrix of weights LSOA × type) from the major-category files."""
    lsoas: dict[str, int] = {}
    types = sorted({t for v in TYPES.values() for t, _ in v})
    rows: list[np.ndarray] = []
    for slug, split in TYPES.items():
        path = Path(counts_dir) / f"london-2011-2021-major-{slug}.csv"
        if not path.exists():
            raise FileNotFoundError(f"{path}: the MPS LSOA count file for '{slug}' is missing (--counts-dir)")
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                i = lsoas.setdefault(r["LSOA11CD"], len(lsoas))
                while len(rows) <= i:
                    rows.append(np.zeros(len(types)))
                total = sum(float(r[str(y)]) for y in range(2011, 2022) if r.get(str(y)))
                for t, share in split:
                    rows[i][types.index(t)] += total * share
    return list(lsoas), types, np.vstack(rows)


def months_between(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _points(conn, codes: list[str], counts: list[int], seed: int) -> dict[str, list[tuple[float, float]]]:
    rows = conn.execute("""
        SELECT u.code, ST_X(g.geom), ST_Y(g.geom)
        FROM unnest(%s::text[], %s::int[]) AS u(code, n)
        JOIN ref.area a ON a.level = 'lsoa' AND a.vintage = 2011 AND a.code = u.code
        CROSS JOIN LATERAL ST_Dump(ST_Transform(ST_GeneratePoints(a.geom, u.n, %s), 4326)) AS g
        """, (codes, counts, seed)).fetchall()
    out: dict[str, list] = {}
    for code, x, y in rows:
        out.setdefault(code, []).append((x, y))
    return out


def write(conn, out: Path, rows: int, first_month: str = "2001-01", last_month: str = "2025-12",
          counts_dir: Path | None = None, seed: int = 2001, single_file: bool = False) -> list[Path]:
    """Write about ``rows`` rows over the months, one file per month (or one file); returns the files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    codes, types, weights = read_weights(Path(counts_dir) if counts_dir else DEFAULT_COUNTS)
    names = dict(conn.execute("SELECT code, name FROM ref.area WHERE level = 'lsoa' AND vintage = 2011")
                 .fetchall())
    keep = [i for i, c in enumerate(codes) if c in names]
    if not keep:
        raise RuntimeError("no LSOA 2011 polygons in the database: run `safestats reference` first")
    codes = [codes[i] for i in keep]
    p = weights[keep].ravel()
    p = p / p.sum()
    months = months_between(first_month, last_month)
    rng_np = np.random.default_rng(seed)
    rng = random.Random(seed)
    per_month = rng_np.multinomial(rows, np.full(len(months), 1 / len(months)))
    files: list[Path] = []
    with contextlib.ExitStack() as stack:
        single = None
        if single_file:
            path = out / f"synthetic-{rows}-metropolitan-street.csv"
            single = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
            csv.writer(single).writerow(HEADER)
            files.append(path)
        for k, (month, n) in enumerate(zip(months, per_month)):
            n_asb = int(rng_np.binomial(n, ASB_SHARE))
            cells = rng_np.multinomial(n - n_asb, p).reshape(len(codes), len(types))
            asb = rng_np.multinomial(n_asb, weights[keep].sum(axis=1) / weights[keep].sum())
            per_lsoa = cells.sum(axis=1) + asb
            todo = np.nonzero(per_lsoa)[0]
            pts = _points(conn, [codes[i] for i in todo], [int(per_lsoa[i]) for i in todo], seed + k + 1)
            recs = []
            for i in todo:
                code = codes[i]
                labels = [t for j, t in enumerate(types) for _ in range(int(cells[i, j]))] + \
                         ["Anti-social behaviour"] * int(asb[i])
                for t, (x, y) in zip(labels, pts.get(code, [])):
                    recs.append([t, x, y, code])
            rng.shuffle(recs)
            if single is not None:
                _write_month(csv.writer(single), recs, month, names, seed, rng)
                continue
            path = out / f"{month}-metropolitan-street.csv"
            files.append(path)
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(HEADER)
                _write_month(w, recs, month, names, seed, rng)
    return files


def _write_month(w, recs: list, month: str, names: dict[str, str], seed: int, rng: random.Random) -> None:
    """One month's rows, with the oddities of the real files (identical ASB rows, a Crime ID
    repeated, points far outside London, rows without coordinates)."""
    prev = None
    for t, x, y, code in recs:
        asb_row = t == "Anti-social behaviour"
        cid = "" if asb_row else hashlib.sha256(f"{seed}-{month}-{rng.random()}".encode()).hexdigest()
        row = [cid, month, FORCE, FORCE, f"{x:.6f}", f"{y:.6f}", f"On or near {rng.choice(STREETS)}",
               code, names[code], t, "" if asb_row else rng.choice(OUTCOMES), ""]
        u = rng.random()
        if prev is not None and u < SAME_ASB and prev[9] == "Anti-social behaviour" and asb_row:
            row = list(prev)                               # an identical ASB row: a separate incident
        elif prev is not None and u < SAME_ASB + REPEAT_ID and not asb_row and prev[0]:
            row[0] = prev[0]                               # the same Crime ID at another point
        elif u < SAME_ASB + REPEAT_ID + FAR_AWAY:
            fx, fy, fc, fn = rng.choice(FAR_POINTS)
            row[4:9] = [f"{fx:.6f}", f"{fy:.6f}", row[6], fc, fn]
        elif u < SAME_ASB + REPEAT_ID + FAR_AWAY + NO_COORDS:
            row[4:9] = ["", "", "No Location", "", ""]
        w.writerow(row)
        prev = row
