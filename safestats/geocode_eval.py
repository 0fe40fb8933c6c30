"""Labelled evaluation of the geocoder: a generated set of A&E-style location texts with known true
places, the confidence calibration fitted on one part of it, and the report measured on the other.

The set is built from the loaded gazetteer itself (fixed seed): each example takes a real place
(venue, station, street, bus-stop junction, postcode, sector, district, ward-name area, borough),
writes it the way reception staff do ("o/s", "nr", "jct of", abbreviations, lower case, missing
postcode spaces, typos in at least a quarter of the texts), and records where the place really is.
Home texts and stated-unknown texts (negatives) are included. The reporting A&E site is usually the
nearest one to the true place, as in real extracts.

Calibration (``fit_calibration``): on the calibration half, per answer level (and ambiguity), an
isotonic regression of "the true place is within the stated radius" on the match score; the step
function is stored in gazetteer.calibration and read by safestats.geocode().

Report (``report``): on the other half, with a share of the venues withheld from the gazetteer (so
the fall-back to street / postcode and its lower confidence is measured too), side by side with the
naive baseline (the single best pg_trgm similarity match over all names, no parsing).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SEED = 20261125
ABBREV = {"street": ["st", "st.", "str"], "road": ["rd", "rd."], "avenue": ["ave", "av"], "lane": ["ln", "lane"],
          "station": ["stn", "station", "tube"], "hospital": ["hosp", "hospital"], "junction": ["jct", "junc"],
          "gardens": ["gdns"], "place": ["pl"], "square": ["sq"], "park": ["pk", "park"]}
SPATIAL = ["o/s ", "outside ", "nr ", "near ", "opp ", "opposite ", "by ", "at ", "in ", "behind ", "", "", "", ""]
HOME = ["home", "HOME", "his flat", "her flat", "at home", "home address", "own home", "at address",
        "his house", "friends house", "pts home", "her house", "Home"]
NEGATIVES = ["unknown", "UNKNOWN", "not known", "n/k", "N/K", "refused", "pt refused", "not stated", "NK",
             "unable to say", "declined", "dont know", "?", "???", "none", "not given", "Not Stated",
             "x", "patient refused", "did not say"]
KEYBOARD = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Example:
    id: int
    text: str
    level: str            # the level the text supports (the honest best answer)
    x: float | None       # true place, EPSG:27700 (None for negatives / home without postcode)
    y: float | None
    site_code: str | None
    feature_id: int | None
    typo: bool
    split: str = ""       # calibration / report


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["swap", "drop", "double", "sub"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(KEYBOARD) + word[i + 1:]


def noisy(rng: random.Random, text: str, typo_rate: float) -> tuple[str, bool]:
    """Abbreviations, a typo in one longer word (at ``typo_rate``), and A&E-style casing."""
    words = text.split()
    out = []
    for w in words:
        lw = w.lower().strip(",.")
        if lw in ABBREV and rng.random() < 0.6:
            w = rng.choice(ABBREV[lw])
        out.append(w)
    typo = False
    long_idx = [i for i, w in enumerate(out) if len(w) >= 5 and not any(c.isdigit() for c in w)]
    if long_idx and rng.random() < typo_rate:
        i = rng.choice(long_idx)
        out[i] = _typo(rng, out[i])
        typo = True
    s = " ".join(out)
    r = rng.random()
    s = s.lower() if r < 0.45 else s.upper() if r < 0.7 else s
    return s, typo


def _rows(conn, q: str, params=None) -> list[tuple]:
    return conn.execute(q, params).fetchall()


def generate(conn: psycopg.Connection, n: int = 3000, seed: int = SEED, typo_rate: float = 0.5,
             report_every: int = 2) -> list[Example]:
    """A labelled set of about ``n`` examples drawn from the loaded gazetteer (reproducible for a
    given gazetteer and seed); one example in ``report_every`` goes to the report split, the rest to
    the calibration split."""
    rng = random.Random(seed)
    # Rows are drawn in the order of a hash of their own content and the seed, not random(): the
    # draw then does not depend on the physical row order (withholding venues rewrites rows) or on
    # parallel workers, so the same gazetteer and seed give the same set on every run.
    def shuffled(expr: str, salt: str = "") -> str:
        # salt: a constant of this code, so the postcode draws of different levels differ
        return f"md5(concat_ws('|', {expr}, '{salt}{int(seed)}'))"
    share = {"venue": 0.26, "station": 0.06, "street": 0.16, "junction": 0.08, "postcode": 0.08, "sector": 0.05,
             "district": 0.04, "area": 0.06, "borough": 0.03, "home": 0.08, "none": 0.10}
    k = {lvl: max(5, int(n * s)) for lvl, s in share.items()}
    sites = _rows(conn, "SELECT site_code, ST_X(geom), ST_Y(geom) FROM health.ae_site WHERE geom IS NOT NULL "
                        "ORDER BY site_code")
    ex: list[Example] = []

    def site_for(x, y):
        if x is None or not sites or rng.random() < 0.12:
            return None
        if rng.random() < 0.15:
            return rng.choice(sites)[0]
        return min(sites, key=lambda s: (s[1] - x) ** 2 + (s[2] - y) ** 2)[0]

    def add(text, level, x, y, fid, typo_rate_here=typo_rate):
        t, typo = noisy(rng, text, typo_rate_here)
        ex.append(Example(len(ex) + 1, t, level, x, y, site_for(x, y), fid, typo))

    # Venues: FSA premises with a street, pubs, hospitals, parks; "name", "o/s name", "name street",
    # "name district".
    for fid, name, street, district, x, y in _rows(conn, f"""
        SELECT feature_id, name, initcap(street_norm), district, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE level = 'venue' AND kind IN ('venue', 'pub', 'hospital', 'park') AND length(name) BETWEEN 4 AND 40
          AND name !~ '[0-9]' ORDER BY {shuffled("name, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s""", (k["venue"],)):
        r = rng.random()
        if street and r < 0.45:
            text = f"{rng.choice(SPATIAL)}{name} {street}"
        elif district and r < 0.6:
            text = f"{rng.choice(SPATIAL)}{name} {district}"
        else:
            text = f"{rng.choice(SPATIAL)}{name}"
        add(text, "venue", x, y, fid)
    for fid, name, x, y in _rows(conn, f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind = 'station' ORDER BY {shuffled("name, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s""", (k["station"],)):
        add(f"{rng.choice(SPATIAL)}{name} {rng.choice(['tube', 'station', 'stn', 'Station', 'overground'])}",
            "venue", x, y, fid)
    # Streets: a random point of the street is where it happened.
    for fid, name, district, x, y in _rows(conn, f"""
        SELECT f.feature_id, f.name, f.district, ST_X(p.geom), ST_Y(p.geom)
        FROM (SELECT * FROM gazetteer.feature WHERE level = 'street'
              ORDER BY {shuffled("norm, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {shuffled("ST_AsText((d).geom)")} LIMIT 1) p""",
                                           (k["street"],)):
        r = rng.random()
        text = (f"bus stop {name}" if r < 0.15 else f"{name} {district}" if r < 0.35 and district
                else f"{rng.choice(SPATIAL)}{rng.randint(1, 200) if r > 0.85 else ''} {name}")
        add(" ".join(text.split()), "street", x, y, fid)
    # Junctions: bus stops named "A / B".
    for name, x, y in _rows(conn, f"""
        SELECT name, ST_X(geom), ST_Y(geom) FROM gazetteer.source_feature
        WHERE kind = 'bus_stop' AND name ~ '^[^/]+ / [^/]+$'
          AND safestats.gazetteer_is_street(safestats.geocode_normalise(split_part(name, ' / ', 1)))
          AND safestats.gazetteer_is_street(safestats.geocode_normalise(split_part(name, ' / ', 2)))
        ORDER BY {shuffled("name, source_key")} LIMIT %s""", (k["junction"],)):
        a, b = [p.strip().title() for p in name.split(" / ")]
        form = rng.choice(["junction of {a} and {b}", "{a}/{b}", "{a} / {b}", "corner of {a} & {b}",
                           "{a} j/w {b}", "jct {a} and {b}"])
        add(form.format(a=a, b=b), "junction", x, y, None)
    # Postcodes, sectors, districts: a random postcode's point is the truth.
    for disp, x, y in _rows(conn, "SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                  f"ORDER BY {shuffled('postcode', 'postcode')} LIMIT %s", (k["postcode"],)):
        t = disp if rng.random() < 0.5 else disp.replace(" ", "")
        ex.append(Example(len(ex) + 1, f"{rng.choice(SPATIAL)}{t}".lower() if rng.random() < 0.5 else t,
                          "postcode", x, y, site_for(x, y), None, False))
    for lvl, col in (("sector", "sector"), ("district", "district")):
        for code, x, y in _rows(conn, f"SELECT {col}, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                      f"ORDER BY {shuffled('postcode', lvl)} LIMIT %s", (k[lvl],)):
            ex.append(Example(len(ex) + 1, f"{rng.choice(SPATIAL)}{code}".lower() if rng.random() < 0.5 else code,
                              lvl, x, y, site_for(x, y), None, False))
    # Areas (ward names) and boroughs: a random point inside the polygon.
    for lvl, q in (("area", "SELECT f.feature_id, f.name, ST_X(p), ST_Y(p) FROM gazetteer.feature f "
                            "JOIN ref.area a ON a.level = 'ward' AND a.code = f.source_key "
                            "CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(a.geom, 1, 7), 1) p "
                            f"WHERE f.kind = 'area' ORDER BY {shuffled('f.name, f.source_key')} LIMIT %s"),
                   ("borough", "SELECT f.feature_id, f.name, ST_X(p), ST_Y(p) FROM gazetteer.feature f "
                               "JOIN ref.area a ON a.level = 'borough' AND a.code = f.source_key "
                               "CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(a.geom, 1, 7), 1) p "
                               f"WHERE f.kind = 'borough' ORDER BY {shuffled('f.name, f.source_key')} LIMIT %s")):
        for fid, name, x, y in _rows(conn, q, (k[lvl],)):
            add(f"{rng.choice(['', '', 'in ', 'nr '])}{name}", lvl, x, y, fid, typo_rate * 0.6)
    # Home: no place unless a postcode is given.
    for disp, x, y in _rows(conn, "SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                  f"ORDER BY {shuffled('postcode', 'home')} LIMIT %s", (k["home"] // 3,)):
        ex.append(Example(len(ex) + 1, f"{rng.choice(HOME)} {disp}", "home", x, y, site_for(x, y), None, False))
    for _ in range(k["home"] - k["home"] // 3):
        ex.append(Example(len(ex) + 1, rng.choice(HOME), "home", None, None, rng.choice(sites)[0] if sites else None,
                          None, False))
    for _ in range(k["none"]):
        t = rng.choice(NEGATIVES)
        ex.append(Example(len(ex) + 1, t, "none", None, None, rng.choice(sites)[0] if sites else None, None, False))
    rng.shuffle(ex)
    for i, e in enumerate(ex):
        e.id = i + 1
        e.split = "report" if i % report_every == 1 else "calibration"
    return ex


def store(conn: psycopg.Connection, examples: list[Example]) -> None:
    """The examples into a temporary table ``geocode_eval`` on this connection."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.geocode_eval")
    conn.execute("CREATE TEMP TABLE geocode_eval (id int PRIMARY KEY, text text, level text, truth geometry, "
                 "site_code text, feature_id bigint, typo boolean, split text)")
    with conn.cursor().copy("COPY geocode_eval FROM STDIN") as cp:
        for e in examples:
            cp.write_row((e.id, e.text, e.level,
                          f"SRID=27700;POINT({e.x} {e.y})" if e.x is not None else None,
                          e.site_code, e.feature_id, e.typo, e.split))
    conn.execute("ANALYZE geocode_eval")


def run_geocoder(conn, split: str) -> list[dict]:
    """Geocode one split; returns per example: level, answer level, confidence, radius, error (m)."""
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, g.level, g.confidence, g.radius_m, g.ambiguous,
               (g.explain->>'score')::real, ST_Distance(g.geom, e.truth), e.truth IS NOT NULL, g.geom IS NOT NULL,
               g.explain->>'calibration_key'
        FROM geocode_eval e CROSS JOIN LATERAL safestats.geocode(e.text, e.site_code) g
        WHERE e.split = %s ORDER BY e.id""", (split,)).fetchall()
    keys = ("id", "level", "typo", "answer", "confidence", "radius", "ambiguous", "score", "error", "has_truth",
            "located", "key")
    return [dict(zip(keys, r)) for r in rows]


def run_baseline(conn, split: str) -> list[dict]:
    """The naive baseline: best single pg_trgm similarity match over all names, no parsing."""
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, b.level, NULL::real, b.radius_m, false, NULL::real,
               ST_Distance(b.geom, e.truth), e.truth IS NOT NULL, b.geom IS NOT NULL
        FROM geocode_eval e LEFT JOIN LATERAL (
          SELECT f.geom, f.level, f.radius_m FROM gazetteer.feature f
          WHERE f.active AND f.norm %% lower(e.text) ORDER BY similarity(f.norm, lower(e.text)) DESC LIMIT 1) b ON true
        WHERE e.split = %s ORDER BY e.id""", (split,)).fetchall()
    keys = ("id", "level", "typo", "answer", "confidence", "radius", "ambiguous", "score", "error", "has_truth",
            "located")
    return [dict(zip(keys, r)) for r in rows]


def fit_calibration(conn, results: list[dict], label: str) -> int:
    """Isotonic regression of within-radius on score per answer level; stored in gazetteer.calibration."""
    from sklearn.isotonic import IsotonicRegression

    groups: dict[str, list[tuple[float, int]]] = {}
    for r in results:
        if r["answer"] in ("none",) or not r["located"]:
            continue
        ok = int(r["has_truth"] and r["error"] is not None and r["error"] <= r["radius"])
        key = r.get("key") or r["answer"]
        groups.setdefault(key, []).append((float(r["score"] if r["score"] is not None else 1.0), ok))
    rows = []
    for key, pts in groups.items():
        pts.sort()
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        if len(pts) < 30 or len(set(xs)) < 3:
            # Too few answers of this kind to fit a curve: one bin, shrunk towards one half
            # (two pseudo-answers each way: 9 of 10 within is not yet evidence of 0.8).
            conf = (sum(ys) + 2) / (len(ys) + 4)
            rows.append((key, xs[0], 2.0, conf, len(ys)))
            continue
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(xs, ys)
        fitted = iso.predict(xs)
        # The step function: a bin starts wherever the fitted value changes. The first starts at the
        # lowest score seen, not below: a score lower than any the calibration saw has no evidence
        # behind it, and safestats.geocode_confidence falls back to the level's curve, else to the
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
    with conn.transaction():
        conn.execute("DELETE FROM gazetteer.calibration")
        with conn.cursor().copy("COPY gazetteer.calibration (level, score_lo, score_hi, confidence, n, fit_label) "
                                "FROM STDIN") as cp:
            for key, lo, hi, conf, n in rows:
                # Never claim certainty from a finite sample.
                cp.write_row((key, lo, hi, min(0.98, max(0.02, conf)), n, label))
    return len(rows)


def withhold_venues(conn, share: float, seed: int = SEED, split: str = "report") -> int:
    """Mark a share of one split's venues inactive (as if missing from the gazetteer)."""
    rng = random.Random(seed + (1 if split == "report" else 2))
    ids = [r[0] for r in conn.execute("SELECT DISTINCT feature_id FROM geocode_eval WHERE split = %s "
                                      "AND level = 'venue' AND feature_id IS NOT NULL ORDER BY 1",
                                      (split,)).fetchall()]
    chosen = [i for i in ids if rng.random() < share]
    conn.execute("UPDATE gazetteer.feature SET active = false WHERE feature_id = ANY(%s)", (chosen,))
    return len(chosen)


def restore_venues(conn) -> None:
    conn.execute("UPDATE gazetteer.feature SET active = true WHERE NOT active")


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def _q(vals: list[float], q: float) -> str:
    if not vals:
        return "–"
    vals = sorted(vals)
    return f"{vals[min(len(vals) - 1, int(q * len(vals)))]:,.0f}"


def summarise(results: list[dict], withheld_ids: set[int]) -> dict:
    located = [r for r in results if r["located"]]
    truthy = [r for r in results if r["has_truth"]]
    neg = [r for r in results if r["level"] == "none"]
    out = {
        "n": len(results),
        "located": len([r for r in truthy if r["located"]]) / max(1, len(truthy)),
        "within_250": len([r for r in truthy if r["located"] and r["error"] <= 250]) / max(1, len(truthy)),
        "within_1km": len([r for r in truthy if r["located"] and r["error"] <= 1000]) / max(1, len(truthy)),
        "negatives_ok": len([r for r in neg if not r["located"]]) / max(1, len(neg)),
        "typo_share": len([r for r in results if r["typo"]]) / max(1, len(results)),
    }
    hi = [r for r in located if r["confidence"] is not None and r["confidence"] >= 0.8 and r["has_truth"]]
    out["hi_conf_n"] = len(hi)
    out["hi_conf_over_1km"] = len([r for r in hi if r["error"] > 1000]) / max(1, len(hi))
    # The same for answers that claim to be precise (stated radius ≤ 1 km): a district answer with a
    # 1.5 km radius that is 1.2 km off is honest; a venue answer 5 km off is not.
    precise = [r for r in hi if r["radius"] is not None and r["radius"] <= 1000]
    out["precise_hi_n"] = len(precise)
    out["precise_hi_over_1km"] = len([r for r in precise if r["error"] > 1000]) / max(1, len(precise))
    out["hi_within_radius"] = len([r for r in hi if r["error"] <= r["radius"]]) / max(1, len(hi))
    return out


def reliability(results: list[dict]) -> list[tuple]:
    bands = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)]
    rows = []
    for lo, hi in bands:
        b = [r for r in results if r["located"] and r["has_truth"] and r["confidence"] is not None
             and lo <= r["confidence"] < hi]
        if not b:
            rows.append((f"{lo:.1f}–{min(hi, 1):.1f}", 0, "–", "–"))
            continue
        mean_c = statistics.mean(r["confidence"] for r in b)
        within = len([r for r in b if r["error"] <= r["radius"]]) / len(b)
        rows.append((f"{lo:.1f}–{min(hi, 1):.1f}", len(b), f"{mean_c:.2f}", _pct(within)))
    return rows


def by_level(results: list[dict], baseline: list[dict]) -> list[tuple]:
    rows = []
    base = {r["id"]: r for r in baseline}
    for lvl in ("postcode", "venue", "junction", "street", "sector", "area", "district", "borough", "home", "none"):
        rs = [r for r in results if r["level"] == lvl]
        if not rs:
            continue
        errs = [r["error"] for r in rs if r["located"] and r["has_truth"]]
        berrs = [base[r["id"]]["error"] for r in rs if base[r["id"]]["located"] and r["has_truth"]]
        truthy = [r for r in rs if r["has_truth"]]
        if lvl == "none" or not truthy:
            ok = len([r for r in rs if r["answer"] in ("none", "home") and not r["located"]]) / len(rs)
            bok = len([r for r in rs if not base[r["id"]]["located"]]) / len(rs)
            rows.append((lvl, len(rs), f"not located {_pct(ok)}", "–", "–", f"not located {_pct(bok)}", "–"))
            continue
        w1k = len([e for e in errs if e <= 1000]) / len(truthy)
        bw1k = len([e for e in berrs if e <= 1000]) / len(truthy)
        rows.append((lvl, len(rs), _pct(len(errs) / len(truthy)), _q(errs, 0.5), _q(errs, 0.9),
                     f"{_pct(len(berrs) / len(truthy))} located", _q(berrs, 0.5)) + (_pct(w1k), _pct(bw1k)))
    return rows


def md_table(header: list[str], rows: list[tuple]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(str(v) for v in r) + " |")
    return "\n".join(out)


def other_draws(conn, n: int, withhold_share: float, seeds: list[int]) -> list[tuple]:
    """The whole cycle (draw, calibrate on one half, report on the other) for other seeds: how much the
    headline moves from one labelled set to the next. Leaves gazetteer.calibration to be refitted."""
    rows = []
    for seed in seeds:
        store(conn, generate(conn, n, seed=seed))
        conn.execute("DELETE FROM gazetteer.calibration")
        withhold_venues(conn, withhold_share, seed=seed, split="calibration")
        try:
            cal = run_geocoder(conn, "calibration")
        finally:
            restore_venues(conn)
        fit_calibration(conn, cal, f"eval seed {seed}, n={len(cal)}")
        withhold_venues(conn, withhold_share, seed=seed)
        try:
            s = summarise(run_geocoder(conn, "report"), set())
        finally:
            restore_venues(conn)
        rows.append((seed, _pct(s["located"]), _pct(s["within_1km"]), _pct(s["negatives_ok"]),
                     f"{_pct(s['hi_conf_over_1km'])} of {s['hi_conf_n']}", _pct(s["hi_within_radius"])))
    return rows


def evaluate(conn, n: int, withhold_share: float, out: Path | None, extra_seeds: int = 4) -> str:
    t0 = time.monotonic()
    # Other draws first: the main seed's calibration, fitted last, is the one kept.
    draws = other_draws(conn, n, withhold_share, [SEED + i for i in range(1, extra_seeds + 1)])
    ex = generate(conn, n)
    store(conn, ex)
    # Calibrate on the calibration half (scores do not depend on calibration; confidences do).
    conn.execute("DELETE FROM gazetteer.calibration")
    # The gazetteer is never complete: calibrate with a share of the calibration set's venues missing
    # too (a different draw from the report set's), so the confidence knows what a miss looks like.
    withhold_venues(conn, withhold_share, split="calibration")
    try:
        cal = run_geocoder(conn, "calibration")
    finally:
        restore_venues(conn)
    bins = fit_calibration(conn, cal, f"eval seed {SEED}, n={len(cal)}")
    withheld = withhold_venues(conn, withhold_share)
    try:
        t1 = time.monotonic()
        rep = run_geocoder(conn, "report")
        t_geo = time.monotonic() - t1
        t1 = time.monotonic()
        base = run_baseline(conn, "report")
        t_base = time.monotonic() - t1
    finally:
        restore_venues(conn)
    s, sb = summarise(rep, set()), summarise(base, set())
    version = conn.execute("SELECT safestats.gazetteer_version()").fetchone()[0]
    counts = conn.execute("SELECT level, count(*) FROM gazetteer.feature GROUP BY 1 ORDER BY 1").fetchall()
    md = [
        "# Geocoding free-text A&E locations: evaluation",
        "",
        f"Generated by `make eval-geocoder` (`python -m safestats.geocode_eval`) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; gazetteer version `{version}`; "
        f"gazetteer features: " + ", ".join(f"{lvl} {c:,}" for lvl, c in counts) + ".",
        "",
        f"Labelled set: {len(ex):,} texts generated from the real gazetteer with A&E-style noise (seed {SEED}; "
        f"typos in {_pct(s['typo_share'])} of the report texts; abbreviations, o/s / nr / opp, casing, missing "
        f"postcode spaces; home and stated-unknown texts included). Split in two: the **calibration set** "
        f"({len(cal):,}) fitted `gazetteer.calibration` ({bins} bins, isotonic regression per level); the "
        f"**report set** ({len(rep):,}) is reported here, with {withheld} of its venues (share "
        f"{withhold_share:.0%}) **withheld** from the gazetteer, so falling back to street / postcode is measured.",
        "",
        "## Headline (report set)",
        "",
        md_table(["measure", "geocoder", "naive pg_trgm baseline"], [
            ("located (texts with a true place)", _pct(s["located"]), _pct(sb["located"])),
            ("within 250 m", _pct(s["within_250"]), _pct(sb["within_250"])),
            ("within 1 km", _pct(s["within_1km"]), _pct(sb["within_1km"])),
            ("negatives correctly not located", _pct(s["negatives_ok"]), _pct(sb["negatives_ok"])),
            ("answers with confidence ≥ 0.8 that are over 1 km off (target ≤ 1%)",
             f"{_pct(s['hi_conf_over_1km'])} of {s['hi_conf_n']}", "no confidence"),
            ("… of those, answers stating a radius ≤ 1 km",
             f"{_pct(s['precise_hi_over_1km'])} of {s['precise_hi_n']}", "–"),
            ("answers with confidence ≥ 0.8 truly within their stated radius",
             _pct(s["hi_within_radius"]), "–"),
            ("time for the report set", f"{t_geo:.1f} s ({len(rep) / t_geo:,.0f}/s)",
             f"{t_base:.1f} s ({len(rep) / t_base:,.0f}/s)"),
        ]),
        "",
        f"## The same on {len(draws) + 1} independent draws",
        "",
        "Each row is the whole cycle on a labelled set drawn with another seed (its own calibration half and "
        "report half, its own withheld venues): the spread is how far one set's headline can be trusted. "
        "The first row is the set reported above.",
        "",
        md_table(["seed", "located", "within 1 km", "negatives not located",
                  "confidence ≥ 0.8 and over 1 km off", "confidence ≥ 0.8 within radius"],
                 [(SEED, _pct(s["located"]), _pct(s["within_1km"]), _pct(s["negatives_ok"]),
                   f"{_pct(s['hi_conf_over_1km'])} of {s['hi_conf_n']}", _pct(s["hi_within_radius"]))] + draws),
        "",
        "## Reliability: is the confidence honest? (report set, located answers)",
        "",
        "Confidence is the estimated probability that the true place lies within `radius_m` of the point.",
        "",
        md_table(["confidence band", "answers", "mean confidence", "share truly within the radius"], reliability(rep)),
        "",
        "## By level of the text (report set)",
        "",
        "Error = distance from the answer to the true place, in metres (located answers).",
        "",
        md_table(["text level", "n", "located", "median error", "90th pct error", "baseline", "baseline median",
                  "geocoder ≤1 km", "baseline ≤1 km"], by_level(rep, base)),
        "",
        "## Answer levels given (report set)",
        "",
        md_table(["answer level", "n", "mean confidence", "mean radius (m)"], [
            (lvl, len(g), f"{statistics.mean([r['confidence'] or 0 for r in g]):.2f}",
             f"{statistics.mean([r['radius'] or 0 for r in g]):,.0f}")
            for lvl in ("postcode", "venue", "junction", "street", "sector", "area", "district", "borough", "home", "none")
            for g in [[r for r in rep if r["answer"] == lvl]] if g]),
        "",
        "## How the geocoder works",
        "",
        "All in the database (`db/functions/2*.sql`), one engine: `safestats.geocode(text, site_code)` returns exactly",
        "one row; `safestats.geocode_candidates(text, site_code, n)` the top n.",
        "",
        "1. **Aliases first**: `gazetteer.alias` (review decisions written by `safestats.geocode_alias_set`) — the",
        "   same normalised text, for the same A&E site or any site, is answered exactly.",
        "2. **Normalise** both sides the same way (`safestats.geocode_normalise`): lower case, punctuation out, street",
        "   types and cue words folded (street/st/str → st, road → rd, station/stn/tube → stn, hospital/hosp → hosp,",
        "   and/& → &); `o/s`, `j/w`, `n/k` kept whole.",
        "3. **Stated unknown** (unknown, n/k, refused, not stated …) → `none`; **home** words → `home`, with a point",
        "   only when a full postcode is given.",
        "4. **Postcodes**: a full postcode is an exact lookup in Code-Point Open (with or without the space); a",
        "   sector (`sw2 1`) or district (`SE15`) is kept as context and as the fall-back answer.",
        "5. **Junctions** (`A / B`, `junction of A and B`, `corner of A & B`, `A j/w B`): street candidates for each",
        "   side; the answer is the middle of the shortest line between their point extents, within 300 m.",
        "6. **Named places**: candidates are found word by word through `gazetteer.feature_word` (exact words; a word",
        "   the gazetteer does not know is replaced by its trigram-nearest known words, which is how typos are",
        "   tolerated; when no known word is trigram-similar — a short word with a swapped or dropped letter,",
        "   \"ceicl\", \"tunnl\" — by the known words one or two edits away that share its first letter),",
        "   then scored on how much of the feature's name the text holds (`word_similarity`), how much",
        "   of the text the feature explains (its own words plus, for venues, its street: `tesco rye lane` finds the",
        "   Tesco on Rye Lane), a bonus for the given postcode district and for the station cue, and a small prior",
        "   towards the reporting A&E site. A text that is just a ward's or borough's name (`brent`, `peckham`;",
        "   not one that reads as a street, `rye ln`) is answered by that area, not by a pub of the same name.",
        "7. **Namesakes**: another named place (venue, street or junction) scoring within 0.05 but over 1 km away,",
        "   or a place of exactly the same name over 1 km away that never made the capped candidate list, makes the",
        "   answer a *namesake*. With one such place and an A&E prior that separates them, the nearer wins (the",
        "   namesake risk goes into its calibration key); with no clear prior, or several (a chain's branches, the",
        "   many Church Roads), the answer is *ambiguous*: `ambiguous = true`, radius widened to twice its own plus",
        "   250 m but never to half the way to the namesake (a circle covering both would be right and useless),",
        "   and a confidence fitted for ambiguous answers.",
        "8. **Coarse answers** (postcode sector and district, ward-name area, borough) state as radius the distance",
        "   within which 60% of the place lies (its postcodes, or an even sample of its polygon; areas and boroughs",
        "   are answered at the mean of that sample when it lies inside).",
        "9. **Confidence**: the score and a calibration key are looked up in `gazetteer.calibration`, an",
        "   isotonic-regression step function fitted on the calibration set (keys with under 30 answers: one bin,",
        "   shrunk towards one half by two pseudo-answers each way; small bins of a curve are shrunk towards the",
        "   key's overall rate, downwards only; no bin reaches below the lowest score the calibration saw, so a",
        "   poorer match falls back to its level's curve, else to 0.7 × its score). The key is the answer level plus what is known",
        "   to make answers of that level go wrong: `partial` (words of the text left unexplained), `not-station` (a",
        "   station asked for, something else answered), `context` (the venue's street words, or the postcode",
        "   district for a name read whole, confirmed it), `namesake` / `ambiguous`, `far` (a venue, street or",
        "   junction over 5 km from the reporting A&E site: most people are treated near where they were hurt),",
        "   `away` (the same, 3–5 km: on the evaluation sets a same-named place elsewhere is already twice as",
        "   common there as nearer in), `off-district` (a venue or street outside the postcode district the text",
        "   gives) and `area-name` (a venue or street bearing an area's or borough's name).",
        "10. **Confidence ≥ 0.8 means a precise answer that is rarely kilometres off**: coarse answers, ambiguous",
        "   ones, `area-name` answers (the text may mean the area), `off-district` answers, a venue found by name",
        "   alone (no `context`) that is `far`, `away` or `partial`, a street found by name alone that is `far`",
        "   (when these are wrong they are wrong by kilometres: 11–19% of them on five draws, against 1–2% for the",
        "   same levels without those signs), and answers",
        "   whose own radius is over 1 km (a long street) are capped at 0.75 (`safestats.geocode_confidence_cap`),",
        "   even where their calibration would say more for the radius they state — cautious by design, so an",
        "   analyst filtering on 0.8 gets points, never \"somewhere in SE15\".",
        "",
        "The gazetteer (`safestats load gazetteer FILES…`, one loader for every file kind, recognised by header) is",
        "rebuilt into one name table `gazetteer.feature`: venues (FSA premises, OSM pubs, hospitals, A&E sites, parks,",
        "bus-stop landmarks), stations (TfL 2018, curated 2022, NaPTAN, de-duplicated), streets (no street lines are",
        "available: each street is a cluster of the points that name it — OSM way centres, bus stops named after it or",
        "after a junction on it, food-premises addresses — with its extent and radius), postcode sectors and districts",
        "(centre and the 60% spread of their postcodes), areas (ward names) and boroughs. Every row keeps its source and",
        "licence (OSM rows: ODbL). The gazetteer version (`safestats.gazetteer_version()`) is stored with batch results.",
        "",
        "## How to read this / limits",
        "",
        "- The texts are generated from the same gazetteer the geocoder searches, so this measures parsing,",
        "  typo tolerance, disambiguation and honesty of confidence — not gaps in the gazetteer itself (no all-London",
        "  street file exists in the open data here: streets are built from OSM south-east London centres, bus stops",
        "  and food-premises addresses). The withheld venues show what happens when a place is missing.",
        "- The generated typos never touch a word's first or last letter, and the edit-distance fall-back",
        "  (step 6) only looks at words with the same first letter, so this set flatters that fall-back: a real",
        "  typo in the first letter (rarer in typing) gets only the trigram search. Before the fall-back, on the",
        "  same draws: located 96.1–97.7%, within 1 km 78.7–80.7%.",
        "- Negatives are stated-unknown texts; a geocoder that locates them is wrong however good its other numbers.",
        "- \"Over 1 km off with confidence ≥ 0.8\" counts every answer, coarse ones too; it is also shown for answers",
        "  stating a radius ≤ 1 km. Coarse answers rarely reach 0.8 since their radius is the 60% distance (step 8).",
        "- The set is drawn in an order fixed by a hash of each place and the seed, so a re-run on the same gazetteer",
        "  evaluates the same texts (before/after comparisons of a change are like for like).",
        "- The calibration set also has a share of its venues withheld (a different draw), so the confidence has seen",
        "  what a missing venue looks like; the report set's withheld venues are never used for fitting.",
        "- The baseline has no parsing, no postcode lookup and no confidence: it is the floor the parsing must beat.",
        f"- Run time of the whole evaluation: {time.monotonic() - t0:.0f} s.",
        "",
    ]
    text = "\n".join(md)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text)
    return text


def load_gazetteer(conn, folder: Path) -> None:
    """Load every gazetteer file of ``folder`` (one transaction each), then rebuild the name table once."""
    from loaders import gazetteer
    from loaders.core import LoadError, LoadOptions
    opts = LoadOptions(quiet=True, extra={"no_rebuild": True})
    for f in sorted(folder.iterdir()):
        if f.suffix in (".md", ".txt") or f.name.startswith(("geocode_calibration", "2013_police_counters")):
            continue
        try:
            print(gazetteer.load(conn, f, opts).line(), file=sys.stderr)
        except LoadError as e:
            print(f"skipped: {e}", file=sys.stderr)
    print("rebuilding the gazetteer name table …", file=sys.stderr)
    conn.execute("SELECT safestats.gazetteer_rebuild()")


def write_calibration_csv(conn, path: Path) -> None:
    """The fitted calibration as CSV (shipped for the demo, loaded by load_calibration_csv)."""
    import csv
    rows = conn.execute("SELECT level, score_lo, score_hi, confidence, n, fit_label FROM gazetteer.calibration "
                        "ORDER BY level, score_lo").fetchall()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["level", "score_lo", "score_hi", "confidence", "n", "fit_label"])
        w.writerows(rows)


def load_calibration_csv(conn, path: Path) -> int:
    """Replace gazetteer.calibration with a CSV written by write_calibration_csv."""
    import csv
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    with conn.transaction():
        conn.execute("DELETE FROM gazetteer.calibration")
        for r in rows:
            conn.execute("INSERT INTO gazetteer.calibration (level, score_lo, score_hi, confidence, n, fit_label) "
                         "VALUES (%s, %s, %s, %s, %s, %s)",
                         (r["level"], float(r["score_lo"]), float(r["score_hi"]), float(r["confidence"]),
                          int(r["n"]), r["fit_label"]))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    from safestats import config
    ap = argparse.ArgumentParser(description="Evaluate and calibrate the geocoder on a generated labelled set. "
                                             "Loads the gazetteer first when the database has none.")
    ap.add_argument("-n", type=int, default=3000, help="examples to generate (half calibrate, half report)")
    ap.add_argument("--withhold", type=float, default=0.3, help="share of report-set venues withheld")
    ap.add_argument("--out", type=Path, default=Path("docs/geocoding.md"), help="markdown report to write")
    ap.add_argument("--gazetteer-dir", type=Path,
                    default=next((p for p in (config.REPO_ROOT.parent / "shared" / "data" / "gazetteer",
                                              config.REPO_ROOT / "data" / "gazetteer") if p.exists()), None),
                    help="gazetteer files to load when the database has none (default: ../shared/data/gazetteer, "
                         "else the shipped data/gazetteer)")
    ap.add_argument("--calibration-csv", type=Path, help="also write the fitted calibration to this CSV")
    args = ap.parse_args(argv)
    from safestats.db import connect
    with connect() as conn:
        if not conn.execute("SELECT count(*) FROM gazetteer.feature").fetchone()[0]:
            if args.gazetteer_dir is None:
                print("The gazetteer is empty and no gazetteer folder was found: "
                      "`safestats load gazetteer FILES…` first", file=sys.stderr)
                return 2
            load_gazetteer(conn, args.gazetteer_dir)
        text = evaluate(conn, args.n, args.withhold, args.out)
        if args.calibration_csv:
            write_calibration_csv(conn, args.calibration_csv)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
