"""The geocoder's confidence calibration: what production reads.

``safestats.geocode()`` turns a match score into a confidence through ``gazetteer.calibration``, a
step function per calibration key (answer level plus what makes answers of that level go wrong).
``fit_calibration`` fits it (isotonic regression of "the true place is within the stated radius" on
the score) from geocoded calibration-split examples; ``write_calibration_csv`` /
``load_calibration_csv`` ship a fitted calibration with the demo gazetteer and load it back.
"""
from __future__ import annotations

import csv
from pathlib import Path

# gazetteer.calibration's columns, as the CSV has them too.
COLUMNS = ("level", "score_lo", "score_hi", "confidence", "n", "fit_label")


def fit_calibration(conn, results: list[dict], label: str) -> int:
    """Isotonic regression of within-radius on score per answer level; stored in gazetteer.calibration."""
    rows = fit_bins(results)
    with conn.transaction():
        conn.execute("DELETE FROM gazetteer.calibration")
        with conn.cursor().copy(f"COPY gazetteer.calibration ({', '.join(COLUMNS)}) FROM STDIN") as cp:
            for key, lo, hi, conf, n in rows:
                cp.write_row((key, lo, hi, conf, n, label))
    return len(rows)


def fit_bins(results: list[dict]) -> list[tuple[str, float, float, float, int]]:
    """The calibration's bins (key, score_lo, score_hi, confidence, n) fitted on geocoded results
    (dicts with answer, located, has_truth, error, radius, score, key); no database needed."""
    from sklearn.isotonic import IsotonicRegression

    groups: dict[str, list[tuple[float, int]]] = {}
    for r in results:
        if r["answer"] in ("none",) or not r["located"]:
            continue
        ok = int(r["has_truth"] and r["error"] is not None and r["error"] <= r["radius"])
        key = r.get("key") or r["answer"]
        groups.setdefault(key, []).append((float(r["score"] if r["score"] is not None else 1.0), ok))
    # The rate of each answer level over all its keys: what a key with few answers is shrunk towards.
    # (Shrinking towards one half made every rare key — a chain branch chosen by a sector, a junction
    # 3 km from the site — look like a coin toss, and confidence between 0.2 and 0.6 came out too low by
    # 0.2 on texts the fit had not seen.)
    level_pts: dict[str, list[int]] = {}
    for key, pts in groups.items():
        level_pts.setdefault(key.split(" ")[0], []).extend(p[1] for p in pts)
    rows = []
    for key, pts in groups.items():
        pts.sort()
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        # A chain's branch: the name match is nearly always whole, and whether the true branch is within
        # the radius depends on how the branches spread (already in the radius), not on the score: one
        # bin (a curve over the score only fits noise there).
        if len(pts) < 30 or len(set(xs)) < 3 or " chain" in key:
            # Too few answers of this kind to fit a curve: one bin, shrunk towards its level's rate
            # (four pseudo-answers at that rate, and that rate itself shrunk towards one half by two
            # each way: 9 of 10 within is not yet evidence of 0.8).
            lv = level_pts[key.split(" ")[0]]
            parent = (sum(lv) + 2) / (len(lv) + 4)
            conf = (sum(ys) + 4 * parent) / (len(ys) + 4)
            # A chain's bin covers every score: its score is the match times the share of plausible
            # branches within the radius, not a match quality, so a lower one than the fit saw is no
            # reason to fall back to the venues' curve (that made chain answers 0.15 under-confident
            # on a family the fit had not seen).
            rows.append((key, 0.0 if " chain" in key else xs[0], 2.0, conf, len(ys)))
            continue
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(xs, ys)
        fitted = iso.predict(xs)
        # The step function: a bin starts wherever the fitted value changes. The first starts at the
        # lowest score seen, not below: a score lower than any the calibration saw has no evidence
        # behind it, and safestats_internal.geocode_confidence falls back to the level's curve, else to the
        # shrunk raw score.
        bins, start, cur, count = [], xs[0], fitted[0], 0
        for x, f in zip(xs, fitted):
            if f != cur:
                bins.append([start, x, float(cur), count])
                start, cur, count = x, f, 0
            count += 1
        bins.append([start, 2.0, float(cur), count])
        # Small bins say little: shrink each towards the key's overall rate (5 pseudo-answers), but
        # only downwards — a low-score bin of two wrong answers must not be lifted to the key's
        # overall rate (that gave fuzzy matches scoring 0.55 a confidence of 0.88) — then keep the
        # curve non-decreasing.
        overall = sum(ys) / len(ys)
        best = 0.0
        for b in bins:
            b[2] = max(best, min(b[2], (b[2] * b[3] + 5 * overall) / (b[3] + 5)))
            best = b[2]
            rows.append((key, b[0], b[1], b[2], b[3]))
    # Never claim certainty from a finite sample.
    return [(key, lo, hi, min(0.98, max(0.02, conf)), n) for key, lo, hi, conf, n in rows]


def write_calibration_csv(conn, path: Path) -> None:
    """The fitted calibration as CSV (shipped for the demo, loaded by load_calibration_csv)."""
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM gazetteer.calibration "
                        "ORDER BY level, score_lo").fetchall()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)


def load_calibration_csv(conn, path: Path) -> int:
    """Replace gazetteer.calibration with a CSV written by write_calibration_csv."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    with conn.transaction():
        conn.execute("DELETE FROM gazetteer.calibration")
        for r in rows:
            conn.execute(f"INSERT INTO gazetteer.calibration ({', '.join(COLUMNS)}) "
                         "VALUES (%s, %s, %s, %s, %s, %s)",
                         (r["level"], float(r["score_lo"]), float(r["score_hi"]), float(r["confidence"]),
                          int(r["n"]), r["fit_label"]))
    return len(rows)
