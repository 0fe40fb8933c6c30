"""Evaluation report of the geocoder on the labelled set (safestats.geocoding.labelled).

The labelled set is split in two. On the calibration half the confidence calibration is fitted
(safestats.geocoding.calibration). On the report half, with a share of the venues withheld from the
gazetteer (so the fall-back to street / postcode and its lower confidence is measured too), the
geocoder is measured side by side with the naive baseline (the single best pg_trgm similarity match
over all names, no parsing), and the report is written as markdown (docs/geocoding.md).

    python -m safestats.geocoding.evaluation [--out build/geocoding.md] [--write-docs]

Besides the generator's report half, every headline figure is reported on the independent families
(safestats.geocoding.independent), each on a calibration fitted leave-one-family-out.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from .calibration import fit_calibration, write_calibration_csv
from .labelled import SEED, generate, store

# The text levels and answer levels, in the order the report lists them.
LEVELS = ("postcode", "venue", "junction", "street", "sector", "area", "district", "borough", "home", "none")
# One geocoded (or baseline) answer of the labelled set.
RESULT_KEYS = ("id", "level", "typo", "answer", "confidence", "radius", "ambiguous", "score", "error",
               "has_truth", "located")


def run_geocoder(conn, split: str) -> list[dict]:
    """Geocode one split; returns per example: level, answer level, confidence, radius, error (m)."""
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, g.level, g.confidence, g.radius_m, g.ambiguous,
               (g.explain->>'score')::real, ST_Distance(g.geom, e.truth), e.truth IS NOT NULL,
               g.geom IS NOT NULL,
               g.explain->>'calibration_key'
        FROM geocode_eval e CROSS JOIN LATERAL safestats.geocode(e.text, e.site_code) g
        WHERE e.split = %s ORDER BY e.id""", (split,)).fetchall()
    return [dict(zip(RESULT_KEYS + ("key",), r)) for r in rows]


def run_baseline(conn, split: str) -> list[dict]:
    """The naive baseline: best single pg_trgm similarity match over all names, no parsing."""
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, b.level, NULL::real, b.radius_m, false, NULL::real,
               ST_Distance(b.geom, e.truth), e.truth IS NOT NULL, b.geom IS NOT NULL
        FROM geocode_eval e LEFT JOIN LATERAL (
          SELECT f.geom, f.level, f.radius_m FROM gazetteer.feature f
          WHERE f.active AND f.norm %% lower(e.text)
          ORDER BY similarity(f.norm, lower(e.text)) DESC LIMIT 1) b ON true
        WHERE e.split = %s ORDER BY e.id""", (split,)).fetchall()
    return [dict(zip(RESULT_KEYS, r)) for r in rows]


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


NO_LOCALITY = "chain, no locality"


def _share(rs: list[dict], pred) -> float:
    return len([r for r in rs if pred(r)]) / max(1, len(rs))


def chain_no_locality(results: list[dict]) -> str:
    """For chain texts without a locality: within 1 km, within the stated radius against the mean stated
    confidence, and the median stated radius."""
    rs = [r for r in results if r.get("cls") == NO_LOCALITY and r["has_truth"]]
    loc = [r for r in rs if r["located"]]
    if not rs or not loc:
        return "–"
    within_r = _share(loc, lambda r: r["error"] <= r["radius"])
    conf = statistics.mean(r["confidence"] for r in loc)
    return (f"n {len(rs)}: within 1 km {_pct(_share(rs, lambda r: r['located'] and r['error'] <= 1000))}; "
            f"within stated radius {_pct(within_r)} at mean confidence {conf:.2f}; "
            f"median radius {statistics.median(r['radius'] for r in loc):,.0f} m")


def summarise(results: list[dict], withheld_ids: set[int]) -> dict:
    located = [r for r in results if r["located"]]
    truthy = [r for r in results if r["has_truth"]]
    neg = [r for r in results if r["level"] == "none"]
    out = {
        "n": len(results),
        "located": len([r for r in truthy if r["located"]]) / max(1, len(truthy)),
        "within_250": len([r for r in truthy if r["located"] and r["error"] <= 250]) / max(1, len(truthy)),
        "within_1km": len([r for r in truthy if r["located"] and r["error"] <= 1000]) / max(1, len(truthy)),
        # Locatable: the text identifies its place. A chain named without any locality ("inside tesco",
        # "STARBUCKS LONDON") does not: which of the branches near the reporting A&E site is not in the
        # text, so only the confidence and radius stated for it can be judged (see chain_no_locality).
        "within_1km_locatable": _share([r for r in truthy if r.get("cls") != NO_LOCALITY],
                                       lambda r: r["located"] and r["error"] <= 1000),
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
    for lvl in LEVELS:
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


FAMILY_TITLES = {"gen": "generator (report half)", "desk": "independent: desk", "notes": "independent: notes",
                 "triage": "developed on: triage", "cad": "developed on: cad",
                 "crew": "developed on: crew", "kiosk": "developed on: kiosk",
                 "epr": "developed on: epr", "dictation": "developed on: dictation",
                 "ocr": "developed on: ocr", "interp": "developed on: interp",
                 "legacy": "developed on: legacy", "navigator": "developed on: navigator",
                 "nightlog": "developed on: nightlog", "textback": "developed on: textback",
                 "mapcopy": "developed on: mapcopy", "merged": "developed on: merged",
                 "paeds": "developed on: paeds", "visitor": "developed on: visitor",
                 "worker": "developed on: worker", "events": "developed on: events",
                 "outreach": "held out: outreach"}


def store_all(conn, gen: list, indep: list) -> None:
    """The generator's set and the independent families into one temporary table ``geocode_eval``
    (family, class, split). Generator texts take their level as class (``station`` for stations)."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.geocode_eval")
    conn.execute("CREATE TEMP TABLE geocode_eval (id int PRIMARY KEY, family text, cls text, text text, "
                 "level text, truth geometry, site_code text, feature_id bigint, typo boolean, split text)")
    with conn.cursor().copy("COPY geocode_eval FROM STDIN") as cp:
        i = 0
        for e in gen:
            i += 1
            cp.write_row((i, "gen", e.level, e.text, e.level,
                          f"SRID=27700;POINT({e.x} {e.y})" if e.x is not None else None,
                          e.site_code, e.feature_id, e.typo, e.split))
        for e in indep:
            i += 1
            cp.write_row((i, e.family, e.cls, e.text, e.level,
                          f"SRID=27700;POINT({e.x} {e.y})" if e.x is not None else None,
                          e.site_code, e.feature_id, e.typo, e.family))
    conn.execute("UPDATE geocode_eval e SET cls = 'station' FROM gazetteer.feature f "
                 "WHERE e.family = 'gen' AND f.feature_id = e.feature_id AND f.kind = 'station'")
    conn.execute("UPDATE geocode_eval e SET cls = 'hospital' FROM gazetteer.feature f "
                 "WHERE e.family = 'gen' AND f.feature_id = e.feature_id "
                 "AND f.kind IN ('hospital', 'ae_site')")
    conn.execute("ANALYZE geocode_eval")


def run_set(conn, family: str, split: str) -> list[dict]:
    """Geocode one family's split; per text as run_geocoder, plus its class and text."""
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, g.level, g.confidence, g.radius_m, g.ambiguous,
               (g.explain->>'score')::real, ST_Distance(g.geom, e.truth), e.truth IS NOT NULL,
               g.geom IS NOT NULL, g.explain->>'calibration_key', e.cls, e.text, g.matched
        FROM geocode_eval e CROSS JOIN LATERAL safestats.geocode(e.text, e.site_code) g
        WHERE e.family = %s AND e.split = %s ORDER BY e.id""", (family, split)).fetchall()
    return [dict(zip(RESULT_KEYS + ("key", "cls", "text", "matched"), r)) for r in rows]


def run_set_baseline(conn, family: str, split: str) -> list[dict]:
    rows = conn.execute("""
        SELECT e.id, e.level, e.typo, b.level, NULL::real, b.radius_m, false, NULL::real,
               ST_Distance(b.geom, e.truth), e.truth IS NOT NULL, b.geom IS NOT NULL, e.cls
        FROM geocode_eval e LEFT JOIN LATERAL (
          SELECT f.geom, f.level, f.radius_m FROM gazetteer.feature f
          WHERE f.active AND f.norm %% lower(e.text)
          ORDER BY similarity(f.norm, lower(e.text)) DESC LIMIT 1) b ON true
        WHERE e.family = %s AND e.split = %s ORDER BY e.id""", (family, split)).fetchall()
    return [dict(zip(RESULT_KEYS + ("cls",), r)) for r in rows]


def band_gap(results: list[dict], min_n: int = 30) -> float:
    """The largest gap between mean confidence and observed within-radius rate over the reliability
    bands holding at least ``min_n`` answers."""
    gap = 0.0
    for lo, hi in ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)):
        b = [r for r in results if r["located"] and r["has_truth"] and r["confidence"] is not None
             and lo <= r["confidence"] < hi]
        if len(b) >= min_n:
            mean_c = statistics.mean(r["confidence"] for r in b)
            within = len([r for r in b if r["error"] <= r["radius"]]) / len(b)
            gap = max(gap, abs(mean_c - within))
    return gap


def nonplaces_ok(results: list[dict]) -> tuple[int, int]:
    """Texts with no true place (stated unknown, non-places, home without postcode) left unlocated."""
    neg = [r for r in results if not r["has_truth"]]
    return len([r for r in neg if not r["located"]]), len(neg)


def class_within(results: list[dict], cls: str) -> tuple[int, int]:
    rs = [r for r in results if r.get("cls") == cls and r["has_truth"]]
    return len([r for r in rs if r["located"] and r["error"] <= 1000]), len(rs)


def _class_cell(res: list[dict], base: list[dict], cls: str) -> str:
    k, n = class_within(res, cls)
    if not n:
        return "–"
    return f"{_frac(k, n)} [{_pct(class_within(base, cls)[0] / n)}]"


def _frac(a: int, b: int) -> str:
    return f"{_pct(a / b)} ({a}/{b})" if b else "–"


def evaluate(conn, n: int, withhold_share: float, out: Path | None, extra_seeds: int = 4,
             n_indep: int = 900) -> str:
    from . import (
        blind,
        heldout,
        heldout_b,
        heldout_c,
        heldout_d,
        heldout_e,
        heldout_f,
        heldout_g,
        heldout_h,
        heldout_i,
        heldout_j,
        heldout_k,
        heldout_l,
        heldout_m,
        heldout_n,
        heldout_o,
        heldout_p,
        heldout_q,
        heldout_r,
        heldout_s,
    )
    from .independent import FAMILIES, generate_family
    t0 = time.monotonic()
    # Other draws of the generator first (each refits the calibration on its own half).
    draws = other_draws(conn, n, withhold_share, [SEED + i for i in range(1, extra_seeds + 1)])
    ex = generate(conn, n)
    # Families written blind and later read and tuned on: development sets, in the leave-one-out fit.
    developed = (heldout, heldout_b, heldout_c, heldout_d, heldout_e, heldout_f, heldout_g, heldout_h,
                 heldout_i, heldout_j, heldout_k, heldout_l, heldout_m, heldout_n, heldout_o, heldout_p,
                 heldout_q, heldout_r)
    # Families whose failures nobody has read: reported on the production calibration only.
    held_out = (heldout_s,)
    dev_fams = FAMILIES + tuple(h.FAMILY for h in developed)
    indep = [e for f in FAMILIES for e in generate_family(conn, f, n_indep)] + \
        [e for h in developed + held_out for e in h.generate(conn, n_indep)]
    store_all(conn, ex, indep)
    conn.execute("DELETE FROM gazetteer.calibration")
    # What each family contributes to a fit (scores and keys do not depend on the calibration).
    withhold_venues(conn, withhold_share, split="calibration")
    try:
        fit_src = {"gen": run_set(conn, "gen", "calibration")}
    finally:
        restore_venues(conn)
    for f in dev_fams:
        fit_src[f] = run_set(conn, f, f)
    # Leave one family out: each family is reported on a calibration fitted on the others only.
    results, baselines, fits, times = {}, {}, {}, {}
    for fam in ("gen",) + dev_fams:
        others = [r for f, rs in fit_src.items() if f != fam for r in rs]
        fits[fam] = fit_calibration(conn, others, f"leave-out {fam}, n={len(others)}")
        split = "report" if fam == "gen" else fam
        withheld = withhold_venues(conn, withhold_share) if fam == "gen" else 0
        try:
            t1 = time.monotonic()
            results[fam] = run_set(conn, fam, split)
            times[fam] = time.monotonic() - t1
            baselines[fam] = run_set_baseline(conn, fam, split)
        finally:
            restore_venues(conn)
        if fam == "gen":
            gen_withheld = withheld
    # The calibration production keeps: fitted on every family.
    every = [r for rs in fit_src.values() for r in rs]
    bins = fit_calibration(conn, every, f"eval seed {SEED}, all families, n={len(every)}")
    # The held-out families are reported on exactly that calibration: nothing of them was fitted or tuned on.
    for h in held_out:
        t1 = time.monotonic()
        results[h.FAMILY] = run_set(conn, h.FAMILY, h.FAMILY)
        times[h.FAMILY] = time.monotonic() - t1
        baselines[h.FAMILY] = run_set_baseline(conn, h.FAMILY, h.FAMILY)
    fams = ("gen",) + dev_fams + tuple(h.FAMILY for h in held_out)
    blind_res = blind.run(conn)
    summ = {f: summarise(results[f], set()) for f in fams}
    bsumm = {f: summarise(baselines[f], set()) for f in fams}
    version = conn.execute("SELECT safestats.gazetteer_version()").fetchone()[0]
    counts = conn.execute("SELECT level, count(*) FROM gazetteer.feature GROUP BY 1 ORDER BY 1").fetchall()
    head = ["measure"] + [FAMILY_TITLES[f] for f in fams]

    def row(label, fn):
        return (label,) + tuple(fn(f) for f in fams)

    def hi_over(f):
        s = summ[f]
        k = round(s["hi_conf_over_1km"] * s["hi_conf_n"])
        return f"{_pct(s['hi_conf_over_1km'])} ({k}/{s['hi_conf_n']})"

    classes = ["venue", "chain", "chain, no locality", "hospital", "station", "street", "junction",
               "postcode", "sector", "district", "area"]
    md = [
        "# Geocoding free-text A&E locations: evaluation",
        "",
        f"Generated by `make eval-geocoder` (`python -m safestats.geocoding.evaluation`) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; gazetteer version `{version}`; "
        f"gazetteer features: " + ", ".join(f"{lvl} {c:,}" for lvl, c in counts) + ".",
        "",
        "The labelled sets below, reported side by side (and, below the class table, a blind list of "
        "non-places):",
        "",
        f"- **generator** (`safestats.geocoding.labelled`, seed {SEED}): {len(ex):,} texts, half kept for "
        f"calibration, the report half ({len(results['gen']):,}) shown here with {gen_withheld} of its "
        f"venues (share {withhold_share:.0%}) withheld from the gazetteer;",
        "- **independent: desk** and **independent: notes** (`safestats.geocoding.independent`): "
        f"{n_indep} texts each, written apart from the generator (other templates and noise: typos in "
        "first and last letters, run-together postcodes and sectors, trailing punctuation, upper case, "
        "repeated words, hospital rooms, chains without a locality, network words after stations, "
        "non-place answers such as custody, work, a party, a car, a friend's);",
        f"- **developed on: triage** (`safestats.geocoding.heldout`): {n_indep} texts in an "
            "ambulance-handover / "
        "triage style (\"@\", \"pt found\", \"per LAS\", brand names with apostrophes, hospital areas "
        "such as \"ambulance bay\" and \"minors\", typos anywhere in a word), written before "
        "any failure list of the geocoder was read and never used to fit its calibration; its non-place "
        "failures were used to develop the non-place rules from 2026-12-05 evening, so its column is no "
        "longer an unseen-text figure;",
        f"- **developed on: cad** (`safestats.geocoding.heldout_b`): {n_indep} texts as a police CAD summary "
        "copied by reception, behind the receptionist's drop-down category (\"o/s\", \"opp\", \"nr\", "
        "\"r/o\", \"j/w\", \"bus stop o/s\", \"in the queue at\", house numbers, lower case or ALL CAPS, "
        "run-together postcodes, one typo anywhere in a word in three texts in ten), written on "
        "2026-12-05 (18:37–18:50 UTC) by someone who had read neither the geocoder's SQL nor any failure "
        "list, never used to develop the geocoder or fit its calibration, and not changed after its figures "
        "were seen: a second honest check. Its headline figures (never its failures) were known while the "
        "non-place vocabulary was widened on 2026-12-06, from phrasings written for that work "
        "(tests/geocoding: occasions, jobs, custody slang, then police CAD wording such as \"licensed "
        "premises\", \"communal stairwell\", \"callers address\"); its non-place figure went from 94.1% "
        "to 96.7% with the CAD wording, so it is no longer a wholly unseen-text figure."
        " On 2026-12-06 (05:30 UTC) its five remaining non-place failures were read and fixed by general "
        "rules (mistyped home and relation words, \"on the wing\"): from then on cad is a development set "
        "like triage, and crew is the held-out check;",
        f"- **developed on: crew** (`safestats.geocoding.heldout_c`): {n_indep} texts as a London Ambulance "
        "Service crew writes the incident location on the patient report or says it at handover (\"LOC:\", "
        "\"called to\", \"pt found\", \"@\", \"x/j\", \"o/g\", \"ug\", platforms and ticket "
        "barriers, resus and majors, \"HA\" for home address, five case styles, a typo in about one word "
        "of five letters or more in four, postcodes that lose or gain a space), written on 2026-12-06 "
        "(04:20–04:28 UTC) by someone who had read neither the geocoder's SQL nor any failure or blind "
        "list nor the other families' phrase lists. Its first run (2026-12-06 05:35) was the unseen-text "
        "check of that day's geocoder; its failures were then read (2026-12-06, from 14:30 UTC) and fixed "
        "by general rules (postcodes with a space inside the outward code, \"HA\" and next-of-kin homes, a "
        "mistyped \"hospital\" and the rooms of an A&E, \"@\", \"xs\" and \"jw\" junctions, \"o/g\" "
        "and \"ug\" stations, a house number after a cue), so from then on crew is a development set;",
        f"- **developed on: kiosk** (`safestats.geocoding.heldout_d`): {n_indep} texts as patients type "
        "them at an A&E self check-in kiosk or into the 111 online form (phone-keyboard typos in about a "
        "quarter, chains by their everyday names (\"maccies\", \"spoons\"), \"here\" for the hospital "
        "itself, "
        "chains with and without a "
        "locality, some texts with no A&E site), written on 2026-12-06 by a helper who had read neither "
        "the geocoder's SQL nor any failure list. Its first run (2026-12-06 17:25) is recorded below; its "
        "failures were then read (17:30) and fixed by general rules (\"here\" is the reporting site, words "
        "run together, \"A meets B\", parts of a home, more kinds of place, the patient's own story "
        "words), so from then on kiosk is a development set;",
        f"- **developed on: epr** (`safestats.geocoding.heldout_e`): {n_indep} texts as the assault location "
        "comes out of a hospital's electronic patient record for the ISTV data-sharing scheme: a drop-down "
        "category glued to a free-text field (\"Street/Road - ...\", \"Licensed premises: ...\"), fields "
        "repeated or cut off at a field length, HTML entities and CSV quoting, placeholders (N/A, NULL), "
        "a postcode in an appended field, a receptionist's typo in about one text in five, written on "
        "2026-12-06 by a helper who had read neither the geocoder's SQL nor any failure list nor the "
        "other families' phrase lists. Its first run (2026-12-06 18:01) is recorded below; its failures "
        "were then read (18:02) and fixed by general rules (an export's category read apart from its "
        "free text, entities, quotes and placeholders gone; a hospital named by its own words), so from "
        "then on epr is a development set;",
        f"- **developed on: dictation** (`safestats.geocoding.heldout_f`): {n_indep} texts as a clinician "
        "dictates the location and speech recognition writes it (no punctuation, filler words, numbers "
        "and postcodes spoken in words, mis-heard place words, words split or merged, repeated starts), "
        "written on 2026-12-06 by a helper who had read neither the geocoder's SQL nor any failure list "
        "nor the other families' phrase lists. Its first run (2026-12-06 18:22) is recorded below; its "
        "failures were then read (2026-12-06, from 20:25 UTC) and fixed by general rules (a postcode, "
        "sector or district said in words, dictated punctuation and hedges, a house number said in words, "
        "\"where she lives\", \"a shop called ...\", \"off\" and other prepositions closing a kind of "
        "place), so from then on dictation is a development set;",
        f"- **developed on: ocr** (`safestats.geocoding.heldout_g`): {n_indep} texts as a receptionist or "
        "nurse writes the location by hand on a paper assault form, later scanned and read by OCR "
        "(block capitals or joined-up writing, the writer's own abbreviations, OCR's character confusions "
        "such as rn/m, cl/d, 0/O, 5/S, words broken across a line, stray marks, the box's printed label and "
        "tick-box residue read with the text), written on 2026-12-06 (20:01–20:12 UTC) by a helper who "
        "had read neither the geocoder's SQL nor any failure list nor the other families' phrase lists. "
        "Its first run (2026-12-06 20:20) is recorded below; its failures were then read (2026-12-06, from "
        "22:55 UTC) and fixed by general rules (a form's printed labels, stray bars, words broken at a "
        "line's end or by a stray space, digits read for letters in words and letters for digits in "
        "postcodes, a text naming only the parts of a hospital), so from then on ocr is a development set;",
        f"- **developed on: interp** (`safestats.geocoding.heldout_h`): {n_indep} texts as the location is "
        "recorded at reception through a telephone interpreter or from a patient with limited English "
        "(articles dropped, another language's word order such as \"road of Old Kent\" or \"park "
        "Burgess\", prepositions used differently, the interpreter's framing, place names heard and spelt "
        "by sound, brand names singular or plural, house numbers and postcodes said other ways, places "
        "described rather than named), written on 2026-12-06 (22:43–22:56 UTC) by a helper who had read "
        "neither the geocoder's SQL nor any failure list nor the other families' phrase lists. Its first "
        "run (2026-12-06 23:42) is recorded below; its failures were then read (2026-12-07, from 01:19 "
        "UTC) and fixed by general rules (an interpreter's note is not part of the place, letters of a "
        "postcode said one by one, a house number said digit by digit, kinds of place and homes told "
        "with little English, a brand said in the other number, \"metro of X\" and \"the trains X\" "
        "for a station, \"ospital\"), so from then on interp is a development set;",
        f"- **developed on: legacy** (`safestats.geocoding.heldout_i`): {n_indep} texts as records migrated "
        "from an old A&E system hold the location (fixed-width fields cut mid-word, upper case, the old "
        "system's abbreviations and codes such as O/S, J/W, PH, HSE, U/G, N/K, NFA, field separators "
        "lost, times and dates glued on), written on 2026-12-07 (01:18–01:54 UTC) by a helper who had "
        "read neither the geocoder's SQL nor any failure list nor the other families' phrase lists, and "
        "never ran the geocoder. Its first run (2026-12-07 02:31) is recorded below; its failures were then "
        "read (2026-12-07, from 04:07 UTC) and fixed by general rules (an old system's date, field label, "
        "time and padding around the location, its category codes and remarks such as NFD or SEE NOTES, "
        "abbreviations of name words, a compass letter before a name, a chain in staff shorthand without "
        "its vowels, a hospital by its initials, a chain's branch chosen by an area or station named beside "
        "it), so from then on legacy is a development set;",
        f"- **developed on: navigator** (`safestats.geocoding.heldout_j`): {n_indep} texts as a hospital "
        "youth-violence navigator or youth worker records where a young person was assaulted in case notes "
        "and referral forms (third person, \"YP\" / \"client\", street vernacular around real places: the "
        "chicken shop on a street, the cage at a park, \"the ends\"; safeguarding and follow-up tails; "
        "where the young person lives named beside where it happened), written on 2026-12-07 (04:06–04:38 "
        "UTC) by a helper who had read neither the geocoder's SQL nor any failure list nor the other "
        "families' phrase lists, and never ran the geocoder. Its first run (2026-12-07 05:00) is recorded "
        "below; its failures were then read (2026-12-07, from 05:04 UTC) and fixed by general rules (a case "
        "note's story around the place is filler, online is no place, where the patient lives told beside "
        "where it happened is dropped, \"where A crosses B\" is a junction, a time with am or pm anywhere, "
        "\"train station\"), so from then on navigator is a development set;",
        f"- **developed on: nightlog** (`safestats.geocoding.heldout_k`): {n_indep} texts as the incident "
            "logs "
        "of London's night-time economy and transport hold the location (door supervisors' incident books, "
        "street pastors and night wardens, council CCTV control rooms with camera numbers and views, British "
        "Transport Police and TfL staff with platforms, exits and bus stands, taxi marshals; times, log "
        "references and call signs around it), written on 2026-12-07 (04:50–05:04 UTC) by a helper who had "
        "read neither the geocoder's SQL nor any failure list nor the other families' phrase lists, and "
        "never ran the geocoder. Its first run (2026-12-07 05:39) is recorded below; its failures were then "
        "read (2026-12-07, from 07:00 UTC) and fixed by general rules (a log line's time, reference, call "
        "sign and camera taken off, what the log records without a place such as \"LAS called\" or "
        "\"CCTV saved\" dropped, a night bus, the venue at whose front door it happened, a hospital's own "
        "site by its log words, chain nicknames and a chain's brand in a whole name, station gateline and "
        "exit words), so from then on nightlog is a development set;",
        f"- **developed on: textback** (`safestats.geocoding.heldout_l`): {n_indep} texts as patients "
        "themselves reply, on a phone, to the violence-reduction team's follow-up text message asking where "
        "it happened (lower case, greetings and sign-offs, text-speak, nicknames of places, brand forms, "
        "thumb slips and autocorrect, messages sent too soon), written on 2026-12-07 (06:56–07:08 UTC) by "
        "a helper who had read neither the geocoder's SQL nor any failure list nor the other families' "
        "phrase lists, and never ran the geocoder. Its first run (2026-12-07 11:45) is recorded below; its "
        "failures were then read (2026-12-07, from 15:40 UTC) and fixed by general rules (a reply's "
        "greeting, thanks and sign-off taken off either end, a reply with no place in it, a patient's own "
        "words for not knowing and for home, \"it\" and \"round\" no part of a name, a reply to the "
        "hospital naming its rooms), so from then on textback is a development set;",
        f"- **developed on: mapcopy** (`safestats.geocoding.heldout_m`): {n_indep} texts as the place "
        "reaches the record copied from a phone's maps app or an online address finder (formatted address "
        "lines with commas, place cards with a category or opening hours glued on, station and bus-stop "
        "cards, \"Directions to\", share texts, saved-place labels such as Home and Work, \"Dropped pin\"), "
        "written on 2026-12-07 (15:04–15:16 UTC) by a helper who had read neither the geocoder's SQL nor "
        "any failure list nor the other families' phrase lists, and never ran the geocoder. Its first run "
        "(2026-12-07 15:38) is recorded below; its failures were then read (2026-12-07, from 18:16 UTC) and "
        "fixed by general rules (what a maps app or address finder puts around a copied place taken off, "
        "one of the app's own screens or messages is no place, a flat number before a house number is an "
        "address, a text naming only the emergency department is the reporting site), so from then on "
        "mapcopy is a development set;",
        f"- **developed on: merged** (`safestats.geocoding.heldout_n`): {n_indep} texts as the location "
        "field reaches a borough analyst in a merged spreadsheet of several partners' A&E assault returns "
        "(columns run together, export and code-page damage, fixed-width cuts, clerks' own abbreviations, "
        "values that are not places), written on 2026-12-07 (18:15–18:32 UTC) by a helper who had read "
        "neither the geocoder's SQL nor any failure list nor the other families' phrase lists, and never "
        "ran the geocoder. Its first run (2026-12-07 18:34) is recorded below; its failures were then read "
        "(2026-12-07, from 19:40 UTC) and fixed by general rules (a record system's own values such as "
        "missing-value markers, Excel errors, default column names, totals and duplicate rows are no place, "
        "other systems' field labels around postcodes, boroughs and wards dropped, an export's code-page "
        "and spreadsheet damage mended, more export categories, a postcode contradicted by a place the "
        "text names is not stated with high confidence), so from then on merged is a development set;",
        f"- **developed on: paeds** (`safestats.geocoding.heldout_o`): {n_indep} texts as a children's "
        "emergency department records where an assault happened, in the words of the young person or of the "
        "parent, carer, teacher or youth worker who brought them, typed by a paediatric nurse, written on "
        "2026-12-07 (19:36–20:47 UTC) by a helper who had read neither the geocoder's SQL nor any failure "
        "list nor the other families' phrase lists, and never ran the geocoder. Its first run (2026-12-07 "
        "20:57) is recorded below; its failures were then read (2026-12-07, from 22:14 UTC) and fixed by "
        "general rules (a child's placement is home; lessons, outings and sparring are occasions; who told "
        "it, the mechanism and the body part name no place; a text of such words only is no place; parts of "
        "a park or block are the place they belong to), so from then on paeds is a development set;",
        f"- **developed on: visitor** (`safestats.geocoding.heldout_p`): {n_indep} texts as a central London "
        "emergency department records where visitors and commuters (day-trippers, people in town for a night "
        "out, a match or a concert, students new to the city, people passing through) were assaulted, as "
        "they, a friend, venue or hotel staff, transport workers, the police or the crew said it, written on "
        "2026-12-07 (21:57–22:30 UTC) by a helper who had read neither the geocoder's SQL nor any failure "
        "list nor the other families' phrase lists, and never ran the geocoder. Its first run (2026-12-07 "
        "22:34) is recorded below; its failures were then read (2026-12-08, from 01:05 UTC) and fixed by "
        "general rules (what the patient could not say, as a phrase, is unknown; why the patient was there "
        "and who they are name no place; a tube line is the station's network word; a chain's branch named "
        "by its street is the street; a postcode with its space inside the inward code is closed up; the A&E "
        "'here' rule is not held back by the visit's story), so from then on visitor is a development set;",
        f"- **developed on: worker** (`safestats.geocoding.heldout_q`): {n_indep} texts as the location of "
        "an "
        "assault on someone at work (shop, security and door staff, bus, station and train staff, delivery "
        "riders, drivers, NHS and care staff, council officers, hospitality staff, engineers on call-outs) "
        "is recorded at A&E, by occupational health or from an employer's incident form, written on "
        "2026-12-08 (00:30–00:58 UTC) by a helper who had read neither the geocoder's SQL nor any failure "
        "list, and never ran the geocoder. Its first run (2026-12-08 01:21) is recorded below; its failures "
        "were then read (2026-12-08, from 02:45 UTC) and fixed by general rules (the work's roles, rounds, "
        "fares, forms and back rooms name no place; a chain's word beside an area, station or street picks "
        "the branch there; two streets with 'jct', 'at' or 'by' between them, or a hyphen, are a junction; "
        "a whole postcode the gazetteer lacks gives its sector), so from then on worker is a development "
        "set;",
        f"- **developed on: events** (`safestats.geocoding.heldout_r`): {n_indep} texts as the location of "
        "an assault at or around a gathering or leisure in London (matches and the walk to the ground, gigs, "
        "festivals, carnival and street parties, markets, parades and marches, parks, sports clubs and "
        "leisure centres, New Year's Eve crowds), as reception, triage, event medics, stewards' logs or the "
        "crew recorded it, written on 2026-12-08 (02:39–03:00 UTC) by a helper who had read neither the "
        "geocoder's SQL nor any failure list, and never ran the geocoder. Its first run (2026-12-08 03:35) "
        "is recorded below; its failures were then read (2026-12-08, from 03:50 UTC) and fixed by general "
        "rules (a crowd's occasion and its people name no place; an area named with the story's time words "
        "is the area; the department's rooms are not held back by the other party), so from then on events "
        "is a development set;",
        f"- **held out: outreach** (`safestats.geocoding.heldout_s`): {n_indep} texts as the location of an "
        "assault on someone who sleeps rough, lives in a hostel or temporary accommodation, or uses day "
        "centres and street services, as A&E reception and triage, outreach workers, hostel staff, "
        "volunteers and station or council staff recorded it, written on 2026-12-08 (03:35–03:51 UTC) by a "
        "helper who had read neither the geocoder's SQL nor any failure list, and never ran the geocoder; "
        "never used to develop the geocoder or fit its calibration (only its aggregate figures have been "
        "seen). Its first run is the honest unseen-text check of this round's geocoder;",
        "",
        "**Calibration is fitted leave-one-family-out** over the development sets (the generator's "
        "calibration half, desk, notes, triage, cad, crew, kiosk, epr, dictation, ocr, interp, legacy, "
        "navigator, nightlog, textback, mapcopy, merged, paeds, visitor, worker and events): each of their "
        "columns is "
        "reported on a calibration fitted on the other twenty only (the generator column, for instance, on "
        "desk, notes, triage, cad, crew, kiosk, epr, dictation, ocr, interp, legacy, navigator, nightlog, "
        "textback, mapcopy, merged, paeds, visitor, worker and events). The calibration production keeps "
        f"(`gazetteer.calibration`, {bins} bins) is then fitted on all twenty-one, and the held-out family "
        "(outreach) is reported on that calibration.",
        "",
        "## Headline",
        "",
        md_table(head, [
            row("texts", lambda f: f"{len(results[f]):,}"),
            row("located (texts with a true place)", lambda f: _pct(summ[f]["located"])),
            row("within 1 km (of locatable texts: all with a true place but chains without a locality)",
                lambda f: _pct(summ[f]["within_1km_locatable"])),
            row("within 1 km (of every text with a true place)", lambda f: _pct(summ[f]["within_1km"])),
            row("… naive pg_trgm baseline", lambda f: _pct(bsumm[f]["within_1km"])),
            row("within 250 m", lambda f: _pct(summ[f]["within_250"])),
            row("non-places, unknown and home texts not located",
                lambda f: _frac(*nonplaces_ok(results[f]))),
            row("… naive baseline", lambda f: _frac(*nonplaces_ok(baselines[f]))),
            row("confident (≥ 0.8) and over 1 km off, of confident answers", hi_over),
            row("confident answers truly within their radius", lambda f: _pct(summ[f]["hi_within_radius"])),
            row("largest reliability gap (bands with ≥ 30 answers)", lambda f: f"{band_gap(results[f]):.3f}"),
            row("geocoding time",
                lambda f: f"{times[f]:.1f} s ({len(results[f]) / max(times[f], 1e-9):,.0f}/s)"),
        ]),
        "",
        "## Within 1 km by class of text",
        "",
        "Generator classes are its levels (stations and hospitals picked out by the feature's kind; it "
        "writes no chains). Baseline in brackets.",
        "",
        md_table(["class"] + [FAMILY_TITLES[f] for f in fams], [
            (c,) + tuple(_class_cell(results[f], baselines[f], c) for f in fams)
            for c in classes]),
        "",
        "**Chains named without a locality** (\"inside tesco\", \"STARBUCKS LONDON\") are not "
        "locatable: the text does not say which branch, so the geocoder answers the branch in the reporting "
        "A&E site's catchment with the most others within 1 km, a radius covering 60% of the plausible "
        "branches and a confidence that is the calibrated chance the true branch lies within it. What holds "
        "for them is that confidence, not "
        "\"within 1 km\":",
        "",
        md_table(["set", "chains without a locality"],
                 [(FAMILY_TITLES[f], chain_no_locality(results[f])) for f in fams[1:]]),
        "",
        "Non-place class (independent and held-out sets): " + "; ".join(
            f"{FAMILY_TITLES[f]} "
            f"{_frac(*nonplaces_ok([r for r in results[f] if r.get('cls') == 'nonplace']))}"
            for f in fams[1:]) + ".",
        "",
        f"**Blind non-place list** (`safestats.geocoding.blind`, {blind_res['n']} texts written by a helper "
        "who read neither the geocoder nor any family; no A&E site): "
        f"{_frac(blind_res['not_located'], blind_res['n'])} not located, "
        f"{blind_res['confident_located']} located with confidence ≥ 0.8. First run, 2026-12-06, once the "
        "day's vocabulary work was done: 94.0% (188/200) not located, 2 confident; with the vocabulary of "
        "the day before, 85.5% (171/200), 4 confident. Its failures were read at that first run, so "
        "later figures are no longer blind.",
        "",
        "## Reliability: is the confidence honest? (located answers)",
        "",
        "Confidence is the estimated probability that the true place lies within `radius_m` of the point. "
        "Each cell: answers / mean confidence / share truly within the radius.",
        "",
        md_table(["confidence band"] + [FAMILY_TITLES[f] for f in fams], [
            (bands[0][0],) + tuple(f"{b[1]} / {b[2]} / {b[3]}" for b in bands)
            for bands in zip(*(reliability(results[f]) for f in fams))]),
        "",
        f"## The generator on {len(draws)} other draws",
        "",
        "Each row is the generator's whole cycle on a set drawn with another seed (calibration half, report "
        "half, its own withheld venues; the calibration here is fitted in-family, as before the "
        "independent sets existed): how far one draw can be trusted.",
        "",
        md_table(["seed", "located", "within 1 km", "negatives not located",
                  "confidence ≥ 0.8 and over 1 km off", "confidence ≥ 0.8 within radius"], draws),
        "",
        "## By level of the text (generator report half)",
        "",
        "Error = distance from the answer to the true place, in metres (located answers).",
        "",
        md_table(["text level", "n", "located", "median error", "90th pct error", "baseline",
                  "baseline median", "geocoder ≤1 km", "baseline ≤1 km"],
                 by_level(results["gen"], baselines["gen"])),
        "",
        "## How the geocoder works",
        "",
        "All in the database (`db/functions/2*.sql`), one engine: `safestats.geocode(text, site_code)` "
            "returns exactly",
        "one row; `safestats.geocode_candidates(text, site_code, n)` the top n.",
        "",
        "1. **Aliases first**: `gazetteer.alias` (review decisions written by `safestats.geocode_alias_set`) "
            "— the",
        "   same normalised text, for the same A&E site or any site, is answered exactly.",
        "2. **Normalise** both sides the same way (`safestats_internal.geocode_normalise`): lower case, "
            "punctuation out, street",
        "   types and cue words folded (street/st/str → st, road → rd, station/stn/tube → stn, hospital/hosp "
            "→ hosp,",
        "   and/& → &); `o/s`, `j/w`, `n/k` kept whole. Before that, what a paper form and its scanner "
            "add is taken",
        "   out (`safestats_internal.geocode_repair_scan`, db/functions/215_geocode_repair.sql): printed "
            "labels ending `:` or",
        "   `?` (`Place of assault:`, `TIME:`), a bar read inside a word (`WALK|NG`), a word broken at a "
            "line's end",
        "   (`Broa- dway`), digits read for letters (`F0OD`, `LOND1S`; never in a postcode, house number or "
            "ordinal); after",
        "   it, a word broken by a stray space is made whole where the gazetteer knows it and a half does "
            "not stand alone",
        "   (`lamb eth`, `sta tion`: `geocode_join_broken`). A note that the place was told through an "
            "interpreter or by a",
        "   patient with little English (`via interpreter:`, `(Polish interp)`, `pt limited English -`, "
            "`pt said in Turkish -`)",
        "   is dropped too (`geocode_drop_interpreting`), and a street or park named type word first in "
            "another language's",
        "   order (`road of Lea Valley`, `way Manor`) is put back where the gazetteer knows the name "
            "(`geocode_turned_name`).",
        "   An older record system's export is read apart from its fields (`geocode_record_fields`): a date "
            "in front (`28.02.18`,",
        "   `270515`), the field's label (`LOC:`, `LOCN-`, `INC.LOC`, `[LOC]`, `PLACE OF INC:`, `SCENE=`), a "
            "time at the end",
        "   (`2300HRS`, `@0130`, `/ APPROX 1930`, `17:15`) and a fixed-width field's padding (`*****`); its "
            "category codes",
        "   (`RES -`, `OTH -`, `COMM PREM -`, `ST/RD -`, `HEALTH -`, `N/A -`) are read like an export's "
            "drop-down category;",
        "   its remarks on the location (`SEE NOTES`, `NFD`, `(NO FURTHER)`, `GEN AREA`, `REST N/K`, "
            "`... ONLY`) are dropped;",
        "   abbreviations of name words (`HL`, `BRDG`, `RYL`, `CTRL`, `CMN`, `MKT`, `GRV`, `GEN`, `UNIV`, "
            "`HSE`, `RLY`) are",
        "   read whole, and so is a compass letter before a name the gazetteer holds (`S WIMBLEDON`, `STH "
            "GREENFORD`); a",
        "   chain in staff shorthand without its vowels (`SNSBRYS`, `BDGNS`: `geocode_brand_shorthand`) "
            "and a hospital by",
        "   its initials (`KCH`, `CUH`: `geocode_hospital_initials`, the one nearest the reporting site "
            "where two share them)",
        "   are read as the name; `OWN HSE`, `HOME ADDR`, `H/A`, `ADDR AS ABOVE` are home, `SAME` and `REF` "
            "stated unknown.",
        "   A case note's story around the place (`geocode_story_word`: knifepoint, bottled, referral, "
            "safeguarding shorthand",
        "   such as SW, DV, YOT, LAC, weekdays, \"the ends\") is filler and kept out of the name search; "
            "online and social media",
        "   are no place; where the patient lives, told beside where it happened (`YP lives in X but the "
            "assault was at Y`,",
        "   `not in X where YP lives - it was at Y`), is dropped (`geocode_drop_residence`); `where A "
            "crosses / meets B` is the",
        "   junction of A and B; a time of day with am or pm is dropped wherever it stands.",
        "3. **Stated unknown** (unknown, n/k, refused, not stated …) → `none`; **home** words (and a crew's "
            "`HA`, a next of",
        "   kin's house) → `home`, with a point",
        "   only when a full postcode is given. **Non-places** (`safestats_internal.geocode_nonplace`, "
            "db/functions/205_geocode_nonplace.sql):",
        "   a text made only of a curated ISTV/ECDS vocabulary (custody, prison, work, party, a car or taxi, "
            "a friend's or",
        "   relative's house, patient unable or unwilling to say, abroad, various, a kind of place such as "
            "\"in the street\")",
        "   and filler words (pt, states, assaulted, his …), one typo allowed, is answered `none` (or `home` "
            "for a friend's",
        "   house) with the reason in `explain`; those words are also kept out of the name search, so a "
            "venue whose only",
        "   overlap with the text is such a word (\"We Work\", \"Tea Party\") is never a candidate. "
            "Class rules carry this",
        "   to phrasings nobody listed: the handover's narrative and source (\"pt found\", \"per LAS\"), "
            "time and vague words",
        "   are filler; a non-place word among other words (\"pt found on a train\") is a sign only a "
            "place named whole (or",
        "   confirmed by its street or district) outweighs (`geocode_nonplace_signal`, "
            "`geocode_weak_evidence`); and a venue",
        "   sharing only kind-of-place words with the text (\"Jen Canteen\" for \"canteen\", \"The "
            "Saint\" for \"st\") is never",
        "   a candidate: the kind-of-place words come from the gazetteer itself (`gazetteer.type_word`: "
            "words ending at least",
        "   20 venue names and 60% of the names holding them, rebuilt with the gazetteer). A brand said in "
            "the other number",
        "   (`lidls`, `starbuck`, `morrison`), when it is the text's only name word, is read as the brand "
            "(`geocode_brand_form`:",
        "   the form with an s added or taken off that begins fifteen venue names or more, the word as said "
            "being rare).",
        "   A record system's own value where the place should be (`NULL`, `#NAME?`, `Column1`, `Grand "
            "Total`, `Duplicate -",
        "   delete`, `see previous row`, `data withheld`, `brought in by ambulance`: `geocode_record_value`) "
            "is `none`, and",
        "   what an export did to a text is mended first (UTF-8 read as Windows-1252, `?` for an "
            "apostrophe, `_x000D_`,",
        "   `&amp;`: `geocode_repair_export`). A child's placement (foster, residential, a children's "
            "home) is `home`;",
        "   lessons, outings and sparring are occasions; who told it (\"child says\", \"per keyworker\"), "
            "how it was done",
        "   and the body part hurt are filler, and a text made of filler only names no place; a tube line "
            "is the train.",
        "   The part of a park or block where it happened (\"by the pond in X park\", \"the swings in X\") "
            "is the place",
        "   it belongs to. What the patient could not say, as a phrase (\"no one to ask\", \"couldn't name "
            "the street\",",
        "   \"street unknown\", \"can't recall the rest\"), is unknown; why the patient was there and who "
            "they are (\"day",
        "   trip\", \"night out\", \"pt not local\", \"commuter\") name no place; a chain's branch named by "
            "its street",
        "   (\"Lavender Hill branch\") is the street. An assault at work names its place among the work's "
            "words: who the",
        "   worker is (\"gas engineer\", \"cashier\", \"works as\", \"employed by Royal Mail\"), "
            "the round, patch or fare,",
        "   the form (\"riddor form\", \"HR email\") and the shop's back rooms (\"stockroom\", "
            "\"dining area\") are filler or",
        "   dropped as phrases, so \"meter reading\" is not Reading Road nor \"on patrol\" Dover Patrol. "
            "A crowd's occasion",
        "   (fireworks, a march, a protest, NYE) and its people (fans, revellers, stewards) name no place, "
            "nor do \"half time\",",
        "   \"final whistle\", \"the other party\" or \"on the way home\"; an area named with the "
            "story's time words",
        "   (\"Edgware (bonfire night)\") is the area.",
        "4. **Postcodes**: a full postcode is an exact lookup in Code-Point Open (with or without the "
            "space, or with a",
        "   space inside the outward code, `se 16 2hs`, or inside the inward code, `n169 da`, when "
            "closing it up makes a",
        "   real postcode, not a word after a sector: `n99 pt`); a",
        "   sector (`sw2 1`, also run together `se156`, `wc1n3` unless the token is itself a district, and "
            "with noise",
        "   `SE15 6?`, `nr ig11 9`) or district (`SE15`) is kept as context and as the fall-back answer. A "
            "postcode or",
        "   district with a letter read for a digit or a digit for a letter (`N17 OJE`, `5E16`) is read as "
            "it should, where",
        "   the gazetteer knows the repaired one and not the one as read (`geocode_misread_postcode`). A "
            "whole postcode run",
        "   together that the gazetteer does not know (`se154nj`, a digit or letter mistyped) gives its "
            "sector.",
        "5. **Junctions** (`A / B`, `junction of A and B`, `corner of A & B`, `A j/w B`): street candidates "
            "for each",
        "   side; the answer is the middle of the shortest line between their point extents, within 300 m "
            "(radius 150 m",
        "   plus the gap). `A x B`, `jnc of A with B`, `A at B` (when both sides end like street names), ",
        "   `crossroads A and B`, `A @ B`, crews' `A xs B`, `A x/j B`, `A jw B`, and `la` / `sth` / `nth` "
            "in a junction",
        "   are read too. A leading \"street\" ",
        "   (`STREET WINDMILL DRIVE`) is a cue, not part of a name. `A jct B`, `A (at B)`, `A by B` when the "
            "word follows a",
        "   street's type and another street's type follows within four words, and `A Lne-B Avn` (a hyphen "
            "after the first",
        "   one's type) are junctions; each side is searched without the story's words (\"per YOT worker\", "
            "\"coach driver",
        "   reports\"), except a word before a street type (\"Friday Hill\").",
        "6. **Named places**: candidates are found word by word through `gazetteer.feature_word` (exact "
            "words; a word",
        "   the gazetteer does not know is replaced by its trigram-nearest known words, which is how typos "
            "are",
        "   tolerated; when no known word is trigram-similar — a short word with a swapped or dropped "
            "letter,",
        "   \"ceicl\", \"tunnl\" — by the known words one or two edits away that share its first letter;",
        "   two neighbouring letters swapped anywhere (`souht`, `olndis`, `bormley`) by the known words "
            "the swap",
        "   gives; a first letter mistyped, dropped or doubled (`vurran`, `hrange`) through the trigram "
            "index on",
        "   the rest of the word). A name the text gives whole is a candidate however common its one "
            "searchable",
        "   word (`windmill dr`), and a text of street types and cue words alone (`grove park dlr`, "
            "`cres lane`)",
        "   is read whole. With a postcode district or sector in the text, that district's streets holding "
            "the text's",
        "   rarer words, its venues whose name begins with one, and its streets or venues named whole by a "
            "run of two",
        "   to four of the text's words are candidates too (`grange rd sm2`: one of a hundred Grange Roads, "
            "the only one in",
        "   SM2; `high st cr0`; `pt says london rd, cr0`); between equal scores the one naming more of the "
            "whole text wins;",
        "   all are",
        "   then scored on how much of the feature's name the text holds (`word_similarity`), how much",
        "   of the text the feature explains (its own words plus, for venues, its street: `tesco rye lane` "
            "finds the",
        "   Tesco on Rye Lane), a bonus for the given postcode district and for the station cue, and a small "
            "prior",
        "   towards the reporting A&E site. A text that is just a ward's or borough's name (`brent`, "
            "`peckham`;",
        "   not one that reads as a street, `rye ln`, unless the text says `around`, `area` or "
            "`somewhere in`) is answered",
        "   by that area, not by a pub of the same name; the patient's story (`pt states`) and a trailing "
            "`london` are not",
        "   part of the name.",
        "   **Hospitals**: `hosp` (and `hospital` mistyped up to two edits: `hosiptal`, `hopsital`), "
            "`a&e`/`a+e`, `utc`, `ed`,",
        "   waiting room, reception, car park, main entrance, resus, majors, minors, cubicle, ambulance "
            "bay make a hospital",
        "   cue: the room words leave the name, hospitals holding the text's words join the candidates and "
            "score higher.",
        "   A text naming only the parts of a hospital (`resus`, `A&E waiting rm`, `this hosp`, `paeds "
            "A&E`), like one saying",
        "   `here`, is the reporting A&E site itself.",
        "   **Stations**: network words (`tube`, `stn`, `lu`, `dlr`, `overground`, `o/g`, `ug`, `rail`, "
            "`ticket hall`, ticket barriers) "
            "and misspelt",
        "   ones (`statoin`, `overgrounnd`) make the station cue; stations holding the text's words join the "
            "candidates.",
        "   **Chains**: when the answer's name is shared by three venues or more (or the text names a brand "
            "by one word,",
        "   typo allowed), the branch is chosen by the text's postcode sector or district, then by an area "
            "or station named",
        "   beside the chain (`HITHER GREEN - COSTA COFFEE`, branches within 1.5 km of it), otherwise among "
            "the branches in",
        "   the reporting A&E site's catchment (those for which it is the nearest site): the one with the "
            "most others within",
        "   1 km. `explain` says how many branches and how many remain plausible; the radius covers 60% of "
            "the plausible",
        "   ones, the answer is ambiguous when more than one remains, and the calibration reads the share of "
            "them within",
        "   the radius. A brand with its street words (`nandos baker st`, `waitrose on camden high st`) is "
            "that street's",
        "   branch, even when the name search ranked the street or a shorter-named branch first. A chain's "
            "word among others",
        "   (`gazetteer.chain_word`, rebuilt with the gazetteer: a word beginning fifteen venue names or "
            "more and 70% of the",
        "   names holding it, one name being 40% of them) picks the branch beside an area or station the "
            "text names even",
        "   when that place's own name matched better (\"Ruislip Waitrose\", \"Tesco store at "
            "Bayswater\"; the branch nearest",
        "   a station or street named), and the branch within 150 m of a street answer (\"Costa (Lea Bridge "
            "Road site)\").",
        "   **Places of exactly the answer's name** (the many Victoria Roads): the one in the postcode "
            "district the text",
        "   gives, else the one nearest the reporting A&E site (the capped candidate list may not hold it).",
        "7. **Namesakes**: another named place (venue, street or junction) scoring within 0.05 but over 1 km "
            "away,",
        "   or a place of exactly the same name over 1 km away that never made the capped candidate list, "
            "makes the",
        "   answer a *namesake*. With one such place and an A&E prior that separates them, the nearer wins "
            "(the",
        "   namesake risk goes into its calibration key); with no clear prior, or several (a chain's "
            "branches, the",
        "   many Church Roads), the answer is *ambiguous*: `ambiguous = true`, radius widened to twice its "
            "own plus",
        "   250 m but never to half the way to the namesake (a circle covering both would be right and "
            "useless),",
        "   and a confidence fitted for ambiguous answers.",
        "8. **Coarse answers** (postcode sector and district, ward-name area, borough) state as radius the "
            "distance",
        "   within which 60% of the place lies (its postcodes, or an even sample of its polygon; areas and "
            "boroughs",
        "   are answered at the mean of that sample when it lies inside).",
        "9. **Confidence**: the score and a calibration key are looked up in `gazetteer.calibration`, an",
        "   isotonic-regression step function fitted on the calibration set (keys with under 30 answers: one "
            "bin,",
        "   shrunk towards one half by two pseudo-answers each way; small bins of a curve are shrunk towards "
            "the",
        "   key's overall rate, downwards only; no bin reaches below the lowest score the calibration saw, "
            "so a",
        "   poorer match falls back to its level's curve, else to 0.7 × its score). The key is the answer "
            "level plus what is known",
        "   to make answers of that level go wrong: `partial` (words of the text left unexplained), "
            "`not-station` (a",
        "   station asked for, something else answered), `context` (the venue's street words, or the "
            "postcode",
        "   district for a name read whole, confirmed it), `namesake` / `ambiguous`, `far` (a venue, street "
            "or",
        "   junction over 5 km from the reporting A&E site: most people are treated near where they were "
            "hurt),",
        "   `away` (the same, 3–5 km: on the evaluation sets a same-named place elsewhere is already twice "
            "as",
        "   common there as nearer in), `off-district` (a venue or street outside the postcode district the "
            "text",
        "   gives) and `area-name` (a venue or street bearing an area's or borough's name). A chain's branch "
            "has its own",
        "   keys: `venue chain`, `brand` when a brand word named it (`tesco`) rather than a whole shared "
            "name (`the royal oak`),",
        "   `context` when the text's sector or district chose it; one bin each, covering every score (the "
            "score there is",
        "   the match times the share of plausible branches within the radius, not a match quality).",
        "10. **Confidence ≥ 0.8 means a precise answer that is rarely kilometres off**: coarse answers, "
            "ambiguous",
        "   ones, a chain's branch picked in the site's catchment, `area-name` answers (the text may mean "
            "the area),",
        "   `off-district` answers, a venue found by name",
        "   alone (no `context`) that is `far`, `away` or `partial`, a street found by name alone that is "
            "`far`",
        "   (when these are wrong they are wrong by kilometres: 11–19% of them on five draws, against 1–2% "
            "for the",
        "   same levels without those signs), and answers",
        "   whose own radius is over 1 km (a long street) are capped at 0.75 "
            "(`safestats_internal.geocode_confidence_cap`),",
        "   even where their calibration would say more for the radius they state — cautious by design, so "
            "an",
        "   analyst filtering on 0.8 gets points, never \"somewhere in SE15\".",
        "11. **Too unlikely to give**: a best candidate whose calibrated confidence is under 0.1 "
            "(`safestats_internal.geocode_min_confidence`)",
        "   is not the answer: the text is answered `none`, and `explain->'rejected'` keeps the candidate "
            "(name, level,",
        "   point, confidence). On the seventeen development families' 15,300 texts such answers were "
            "within 1 km 16 times",
        "   in 115, and 41 of them had located a text naming no place. An uncalibrated database answers "
            "every candidate,",
        "   so the calibration is always fitted on every answer the matching gives.",
        "",
        "The gazetteer (`safestats load gazetteer FILES…`, one loader for every file kind, recognised by "
            "header) is",
        "rebuilt into one name table `gazetteer.feature`: venues (FSA premises, OSM pubs, hospitals, A&E "
            "sites, parks,",
        "bus-stop landmarks), stations (TfL 2018, curated 2022, NaPTAN, de-duplicated), streets (no street "
            "lines are",
        "available: each street is a cluster of the points that name it — OSM way centres, bus stops named "
            "after it or",
        "after a junction on it, food-premises addresses — with its extent and radius), postcode sectors and "
            "districts",
        "(centre and the 60% spread of their postcodes), areas (ward names) and boroughs. Every row keeps "
            "its source and",
        "licence (OSM rows: ODbL). The gazetteer version (`safestats.gazetteer_version()`) is stored with "
            "batch results.",
        "",
        "## How to read this / limits",
        "",
        "- The texts are generated from the same gazetteer the geocoder searches, so this measures parsing,",
        "  typo tolerance, disambiguation and honesty of confidence — not gaps in the gazetteer itself (no "
            "all-London",
        "  street file exists in the open data here: streets are built from OSM south-east London centres, "
            "bus stops",
        "  and food-premises addresses). The withheld venues show what happens when a place is missing.",
        "- The independent sets (`safestats.geocoding.independent`) were written for issue 14 to measure "
            "what the",
        "  generator cannot: their typos hit first and last letters, postcodes and sectors run together, "
            "chains come",
        "  without a locality, and non-place answers are the ones A&E staff write. They are never used to "
            "choose a",
        "  threshold except through the leave-one-family-out calibration. The held-out family "
            "(`safestats.geocoding.heldout`)",
        "  was written before any failure list was read and is reported only on the production "
            "calibration; from",
        "  2026-12-05 evening its non-place failures were used to develop the non-place rules (issue 14), "
            "so it is no",
        "  longer an unseen-text check. A second held-out family, `cad` (`safestats.geocoding.heldout_b`), "
            "was written on 2026-12-05",
        "  by someone who had read neither the SQL nor a failure list; a third, `crew` "
            "(`safestats.geocoding.heldout_c`), on",
        "  2026-12-06, and a fourth, `kiosk` (`safestats.geocoding.heldout_d`), the same day. All four had "
            "their failures",
        "  read in turn and are development sets now (in the leave-one-out fit), as is the fifth, `epr` "
            "(`safestats.geocoding.heldout_e`);",
        "  the sixth, `dictation` (`safestats.geocoding.heldout_f`), is the held-out check, reported only on "
            "the production calibration.",
        "  `python -m safestats.geocoding.diagnose` lists the failures of the generator and the desk "
            "and notes",
        "  families by class and the reliability key by key (it leaves the held-out families alone).",
        "- **The held-out family's first run** (2026-12-05 13:02 UTC, the first time its figures were seen; "
            "no change was",
        "  made from them until that evening's non-place rules): within 1 km of locatable texts 91.2% "
            "(of all with a true place 88.5%), "
            "non-places, unknown",
        "  and home texts not located **77.8%** (119/153; the target of 97% is not met: the curated "
            "non-place vocabulary",
        "  was written from the issue's and the desk / notes phrasings and does not yet cover an ambulance "
            "crew's), confident",
        "  and over 1 km off 0.3% (1/366), largest reliability gap 0.057; hospitals 87.5%, chains with a "
            "locality 90.3%,",
        "  stations 97.8%, sectors 90.5% within 1 km.",
        "- **The cad family's first run** (2026-12-05 18:48 UTC, the first time its figures were seen; "
            "its templates were",
        "  not changed after it, and its failures were not read): within 1 km of locatable texts 93.3% "
            "(of all with a true",
        "  place 89.4%), non-places, unknown and home texts not located **85.0%** (130/153; non-place "
            "class 78.9%, 71/90),",
        "  confident and over 1 km off 0.3% (1/378), largest reliability gap 0.048; chains with a "
            "locality 88.5%, hospitals",
        "  98.6%, stations 94.4%, streets 92.6%, junctions 92.1%, sectors 95.2% within 1 km.",
        "- **The crew family's first run** (2026-12-06 05:35 UTC, the first time its figures were "
            "seen; nothing was changed from",
        "  them before this was written): located 98.2%, within 1 km of locatable texts **87.2%** "
            "(of all with a true place",
        "  83.5%; target 90%), non-places, unknown and home texts not located **91.2%** (156/171; "
            "target 97%), confident",
        "  and over 1 km off **0.8%** (2/238; target 0.5%), largest reliability gap **0.265** "
            "(answers stated at 0.2–0.4",
        "  were right 55.8% of the time, at 0.6–0.8 77.8%: too low, as the issue found on unseen "
            "text; target 0.07); chains",
        "  with a locality 90.2%, hospitals 86.4%, stations 97.0%, sectors **84.4%** (target 85%), "
            "postcodes 82.2%, streets",
        "  86.1%, junctions 90.3%, areas 66.7% within 1 km. On text it was not tuned on, the "
            "geocoder does not yet meet issue 14.",
        "- **The crew family after its failures were read** (2026-12-06 17:25 UTC, with the general rules "
            "they led to, now",
        "  a development set in the leave-one-out fit): within 1 km of locatable texts 90.2% (was 87.2%), "
            "non-places 98.8%",
        "  (was 91.2%), confident and over 1 km off 1.0% (3/291), largest reliability gap 0.223 (answers "
            "stated at 0.4–0.6",
        "  were right 70.3% of the time).",
        "- **The kiosk family's first run** (2026-12-06 17:25 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them before this was written): located 95.0%, within 1 km of locatable texts **86.6%** "
            "(of all with a true",
        "  place 82.8%; target 90%), non-places, unknown and home texts not located **82.2%** (148/180; "
            "non-place class 75.8%,",
        "  75/99; target 97%), confident and over 1 km off **1.0%** (2/209; target 0.5%), largest "
            "reliability gap **0.181**",
        "  (answers stated at 0.2–0.4 were right 46.0% of the time, at 0.6–0.8 83.6%: too low again; "
            "target 0.07); chains",
        "  with a locality 82.3%, hospitals **79.2%**, stations 92.9%, sectors 88.9%, streets 79.6%, "
            "junctions 95.2%,",
        "  postcodes 100% within 1 km. Patients' own typing (phone-keyboard slips, \"here\", everyday "
            "chain names)",
        "  is further from what the geocoder was developed on than any crew's or receptionist's: on text "
            "it was not tuned on,",
        "  the geocoder still does not meet issue 14.",
        "- **The kiosk family after its failures were read** (2026-12-06 18:01 UTC, with the rules they "
            "led to, now a",
        "  development set): within 1 km of locatable texts 90.2% (was 86.6%), non-places 91.1% (was "
            "82.2%), confident",
        "  and over 1 km off 1.8% (5/280), largest reliability gap 0.232 (31 answers stated at 0.2–0.4, "
            "right 54.8%).",
        "- **The epr family's first run** (2026-12-06 18:01 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them before this was written): located 94.0%, within 1 km of locatable texts **83.7%** "
            "(of all with a true",
        "  place 80.7%; target 90%), non-places, unknown and home texts not located **94.2%** (178/189; "
            "non-place class 90.0%,",
        "  81/90; target 97%), confident and over 1 km off **2.2%** (5/228; target 0.5%), largest "
            "reliability gap **0.110**",
        "  (answers stated at 0.2–0.4 were right 18.8% of the time: too high, unlike the other families; "
            "at 0.6–0.8 80.8%,",
        "  too low); venues 94.4%, chains with a locality 81.1%, hospitals **75.0%**, stations 85.6%, "
            "streets 90.7%,",
        "  junctions 87.3%, postcodes 100%, sectors 80.6%, districts 63.9%, areas 51.1% within 1 km. "
            "Text exported from a",
        "  record system (categories glued to the free text, fields cut off mid-word) is again further "
            "from what the",
        "  geocoder was developed on: on unseen text it does not meet issue 14, and the gap between the "
            "development sets",
        "  and a new family (about 6 points within 1 km, 5 on non-places) is the honest measure of how "
            "far its rules generalise.",
        "- **The epr family after its failures were read** (2026-12-06 18:22 UTC, with the rules they "
            "led to, now a",
        "  development set): within 1 km of locatable texts 91.6% (was 83.7%), non-places 96.8% (was "
            "94.2%), confident and",
        "  over 1 km off 0.6% (2/335), largest reliability gap 0.071; hospitals 100% (was 75.0%).",
        "- **The dictation family's first run** (2026-12-06 18:22 UTC, the first time its figures were "
            "seen; nothing was",
        "  changed from them before this was written): located 94.2%, within 1 km of locatable texts "
            "**74.6%** (of all with",
        "  a true place 72.6%; target 90%), non-places, unknown and home texts not located **88.4%** "
            "(167/189; non-place",
        "  class 87.8%, 79/90; target 97%), confident and over 1 km off **2.1%** (4/188; target 0.5%), "
            "largest reliability",
        "  gap **0.167** (answers stated at 0.2–0.4 were right 47.5% of the time); venues 89.8%, chains "
            "with a locality 67.7%,",
        "  hospitals 93.1%, stations 91.1%, streets 83.3%, junctions 90.5%, areas 73.3%, and postcodes "
            "**15.6%**, sectors",
        "  **30.6%**, districts **27.8%** within 1 km: the geocoder does not read a postcode spoken in words "
            "(\"s e fifteen",
        "  four q f\"). Dictated text is the furthest yet from what it was developed on; on it the "
            "geocoder does not meet",
        "  issue 14.",
        "- **The dictation family after its failures were read** (2026-12-06 20:20 UTC, with the rules "
            "they led to, now a",
        "  development set): within 1 km of locatable texts 88.6% (was 74.6%), non-places 96.3% (was "
            "88.4%), confident and",
        "  over 1 km off 1.1% (3/266); postcodes 100% (was 15.6%), sectors 83.3% (was 30.6%), districts "
            "63.9% (was 27.8%)",
        "  within 1 km. What still fails is mostly the recogniser's mis-hearings (\"rowed\" for road, "
            "\"stay shun\"), left alone.",
        "- **The ocr family's first run** (2026-12-06 20:20 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them before this was written): located 96.9%, within 1 km of locatable texts **84.3%** "
            "(of all with a true",
        "  place 81.7%; target 90%), non-places, unknown and home texts not located **94.2%** (178/189; "
            "non-place class",
        "  92.2%, 83/90; target 97%), confident and over 1 km off **0.4%** (1/257; target 0.5%: met), "
            "largest reliability",
        "  gap **0.057** (target 0.07: met); venues 88.0%, chains with a locality 78.7%, hospitals "
            "**81.9%**, stations 92.2%,",
        "  streets 87.0%, junctions 90.5%, postcodes 93.3%, sectors 91.7%, districts 52.8%, areas 66.7% "
            "within 1 km. On this",
        "  unseen family the confidence holds (both calibration targets met) but the location targets "
            "do not: issue 14",
        "  is not met on text the geocoder was not tuned on.",
        "- **The ocr family after its failures were read** (2026-12-06, from 22:55 UTC, with the rules "
            "they led to, now a",
        "  development set): see its column above (within 1 km of locatable texts 84.3% at its first run; "
            "the rules: a form's",
        "  printed labels, stray bars, words broken at a line's end or by a stray space, digits read for "
            "letters in words and",
        "  letters for digits in postcodes, a text naming only the parts of a hospital is the reporting "
            "site). Left alone: OCR's",
        "  letter-pair confusions (rn/m, cl/d: \"HORNE\" for home, \"ROACL\" for road), which only a "
            "model of that one reader",
        "  would undo.",
        "- **The interp family's first run** (2026-12-06 23:42 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them): located 94.9%, within 1 km of locatable texts **81.0%** (of all with a true place "
            "76.5%; target 90%),",
        "  non-places, unknown and home texts not located **86.2%** (163/189; non-place class 78.9%, "
            "71/90; target 97%),",
        "  confident and over 1 km off **0.0%** (0/229; target 0.5%: met), largest reliability gap "
            "**0.093** (answers stated",
        "  at 0.0–0.2 were right 15.2% of the time at a mean of 0.06; target 0.07); venues 92.6%, chains "
            "with a locality",
        "  **69.6%**, hospitals 86.1%, stations 87.8%, streets **76.9%**, junctions 90.5%, postcodes "
            "91.1%, sectors **69.4%**,",
        "  districts 50.0%, areas 66.7% within 1 km. As with every family before it, a geocoder that "
            "holds on the texts it",
        "  was developed on loses about ten points of location on a new way of writing, while a confident "
            "answer stays right:",
        "  issue 14 is not met on unseen text.",
        "- **The interp family after its failures were read** (2026-12-07, from 01:19 UTC, with the rules "
            "they led to, now a",
        "  development set): within 1 km of locatable texts 86.6% (was 81.0%), non-places, unknown and "
            "home texts not located",
        "  99.5% (was 86.2%; non-place class 98.9%, was 78.9%), confident and over 1 km off 0.0% (0/301), "
            "largest gap 0.042;",
        "  chains with a locality 76.8% (was 69.6%), hospitals 95.8% (86.1%), stations 92.2% (87.8%), "
            "streets 85.2% (76.9%),",
        "  sectors 75.0% (69.4%). Left alone: a chain with no locality is still bounded as everywhere, "
            "and place names spelt",
        "  by their sound (\"Bowndz Green\", \"West Ampsteed\") are left to the typo search.",
        "- **The legacy family's first run** (2026-12-07 02:31 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them): located 97.5%, within 1 km of locatable texts **82.5%** (of all with a true place "
            "79.6%; target 90%),",
        "  non-places, unknown and home texts not located **78.3%** (148/189; non-place class 78.9%, "
            "71/90; target 97%),",
        "  confident and over 1 km off **1.2%** (3/245; target 0.5%), largest reliability gap **0.073** "
            "(target 0.07); venues",
        "  89.8%, chains with a locality **66.2%**, hospitals **80.6%**, stations 87.8%, streets 85.2%, "
            "junctions 87.3%,",
        "  postcodes 100%, sectors **80.6%**, districts 50.0%, areas 77.8% within 1 km. An old system's "
            "codes and cut fields",
        "  are a new way of writing again, and the pattern holds a ninth time: location drops by about "
            "five to ten points",
        "  on unseen text and non-places by about twenty; issue 14 is not met on unseen text.",
        "- **The legacy family after its failures were read** (2026-12-07, from 04:07 UTC, with the rules "
            "they led to, now a",
        "  development set; run of 05:00 UTC): within 1 km of locatable texts 88.3% (was 82.5%), "
            "non-places, unknown and home",
        "  texts not located 100.0% (was 78.3%; non-place class 100.0%, was 78.9%), confident and over 1 km "
            "off 0.9% (3/317,",
        "  was 1.2%), largest gap 0.088 (0.073 before, on the production calibration; now leave-one-out); "
            "hospitals 98.6%",
        "  (80.6%), stations 95.6% (87.8%), sectors 94.4% (80.6%), areas 88.9% (77.8%), junctions 93.7% "
            "(87.3%), chains with",
        "  a locality 67.7% (66.2%). Left alone: an old system's shorthand of place names without vowels "
            "(\"GRNHLL\"), street",
        "  names made only of type words once folded (\"GRV ROAD\", \"AVENUE RD\"), \"GT\" (great or "
            "gate) and \"CH\" (church).",
        "- **The navigator family's first run** (2026-12-07 05:00 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them): located 94.4%, within 1 km of locatable texts **81.1%** (of all with a true place "
            "76.9%; target 90%),",
        "  non-places, unknown and home texts not located **83.9%** (151/180; non-place class 70.4%, 57/81; "
            "target 97%),",
        "  confident and over 1 km off **2.0%** (3/152; target 0.5%), largest reliability gap **0.200** "
            "(target 0.07: answers",
        "  stated at 0.31 were within their radius 50.8% of the time); venues 87.2%, chains with a locality "
            "75.0%, hospitals",
        "  **79.6%**, stations 92.2%, streets 81.0%, junctions 84.1%, postcodes 100%, sectors 85.2%, "
            "districts 50.0%, areas",
        "  63.5% within 1 km; 82 texts a second (long case notes). A youth worker's case note is a new way "
            "of writing again and",
        "  the pattern holds a tenth time: location about seven points under the development families, "
            "non-places about",
        "  fifteen; issue 14 is not met on unseen text.",
        "- **The navigator family after its failures were read** (2026-12-07, from 05:04 UTC, with the rules "
            "they led to, now a",
        "  development set; run of 05:39 UTC): within 1 km of locatable texts 87.6% (was 81.1%), "
            "non-places, unknown and home",
        "  texts not located 95.0% (was 83.9%; non-place class 91.4%, was 70.4%), confident and over 1 km "
            "off 0.5% (1/214, was",
        "  2.0%), largest gap 0.213 (0.200); chains with a locality 83.3% (75.0%), hospitals 98.1% (79.6%), "
            "stations 95.6%",
        "  (92.2%), junctions 90.5% (84.1%), areas 77.8% (63.5%). Left alone: a place named only as where "
            "the young person",
        "  lives is still their home; \"ask\" (the chain ASK) in \"will ask YP\"; a chain named without a "
            "locality.",
        "- **The nightlog family's first run** (2026-12-07 05:39 UTC, the first time its figures were seen; "
            "nothing was changed",
        "  from them): located 97.9%, within 1 km of locatable texts **88.3%** (of all with a true place "
            "85.0%; target 90%),",
        "  non-places, unknown and home texts not located **84.3%** (167/198; non-place class 79.8%, 79/99; "
            "target 97%),",
        "  confident and over 1 km off **0.7%** (2/267; target 0.5%), largest reliability gap **0.138** "
            "(target 0.07); venues",
        "  87.3%, chains with a locality **82.1%**, hospitals 88.9%, stations 91.7%, streets 90.7%, "
            "junctions 97.2%, postcodes",
        "  97.2%, sectors 88.9%, districts 59.3%, areas 80.0% within 1 km. The closest any blind family has "
            "come on its first",
        "  run (the nine before it: 76–84% within 1 km), but still short on location, non-places, confident "
            "misses and the",
        "  reliability gap: issue 14 is not met on unseen text.",
        "- **The nightlog family after its failures were read** (2026-12-07, from 07:00 UTC, with the rules "
            "they led to, now a",
        "  development set; run of 12:10 UTC, on a calibration fitted on the other thirteen): within 1 km "
            "of locatable",
        "  texts 93.9% (was 88.3%), non-places, unknown and home texts not located 100.0% (198/198; was "
            "84.3%),",
        "  confident and over 1 km off 0.3% (1/375; was 0.7%), largest gap 0.099 (0.138); chains with a "
            "locality",
        "  89.3% (82.1%), hospitals 100.0% (88.9%), stations 96.3% (91.7%), streets 98.1% (90.7%), areas "
            "88.9%",
        "  (80.0%); districts 59.3% unchanged (their truths lie 1–2.6 km from the district's centre). Left "
            "alone:",
        "  fused or clipped name words (STHMERTON, Hampst.), a hospital's truth 200–400 m from its site "
            "point, a",
        "  chain named without a locality.",
        "- **The textback family's first run** (2026-12-07 11:45 UTC, aggregates only, on the calibration "
            "then shipped, fitted",
        "  on thirteen families; nothing was changed from them): within 1 km of locatable texts **85.2%** "
            "(541/635; of all with a",
        "  true place 80.8%, 553/684; target 90%), non-places, unknown and home texts not located **81.9%** "
            "(177/216; target",
        "  97%), confident and over 1 km off **1.7%** (4/237; target 0.5%); venues 95.4%, chains with a "
            "locality 74.6%, chains",
        "  without one 24.5%, hospitals 92.1%, stations 90.0%, streets 85.9%, junctions 92.6%, postcodes "
            "94.4%, sectors 85.2%,",
        "  districts 55.6%, areas 70.4% within 1 km. The pattern holds a twelfth time: short of the "
            "development families on",
        "  location and non-places, and confident misses above target; issue 14 is not met on unseen text.",
        "  On the calibration shipped from 12:10 UTC (fitted on fourteen families, nightlog among them; the "
            "table",
        "  above): within 1 km of locatable texts 85.2%, non-places 81.9%, confident and over 1 km off 1.3% "
            "(3/236),",
        "  largest gap 0.146.",
        "- **The textback family after its failures were read** (2026-12-07, from 15:40 UTC, with the "
            "rules they led to, now a",
        "  development set; run of 16:35 UTC, on a calibration fitted on the other fourteen): within 1 km "
            "of locatable",
        "  texts 87.9% (was 85.5%), non-places, unknown and home texts not located 99.5% (215/216; was "
            "81.9%),",
        "  confident and over 1 km off 1.0% (3/288; was 1.3%), largest gap 0.052 (0.133). Most of its "
            "failures were",
        "  a reply's courtesies read as names (\"Ten Thanks\", \"Cheers\", \"Hi Tide\" for thanks, "
            "cheers, hi) and \"it\"",
        "  pulling a dozen \"Wrap It Up\" venues into the candidates. Left alone: districts (64.4%; their "
            "truths lie",
        "  1–2 km from the district's centre), chains by a nickname the gazetteer does not know, a "
            "hospital named",
        "  only as \"where I got seen\". Failure lists of the other families, before and after, on the "
            "same database:",
        "  none lost on balance (triage 56 → 56 failures, cad 54 → 54, crew 69 → 70, kiosk 84 → 83, "
            "dictation 73 → 72,",
        "  interp 99 → 98, navigator 108 → 105, nightlog 57 → 57 ...). The sets of this run were drawn on "
            "a gazetteer",
        "  loaded afresh (its feature ids differ, and the families draw their truths by an md5 of the "
            "id), so every",
        "  family's texts differ from the earlier runs' and its figures move by a point or two either way "
            "for that",
        "  alone: compare families before and after within one run, not across runs.",
        "- **The mapcopy family's first run** (2026-12-07 15:38 UTC, aggregates only, on the "
            "calibration shipped with it,",
        "  fitted on fifteen families; nothing was changed from them): located 97.4%, within 1 km of "
            "locatable texts",
        "  **80.5%** (of all with a true place 76.9%; target 90%), non-places, unknown and home texts not "
            "located",
        "  **48.5%** (96/198; non-place class 34.4%, 31/90; target 97%), confident and over 1 km off "
            "**2.0%** (5/246;",
        "  target 0.5%), largest gap 0.076; venues 88.0%, chains with a locality 82.7%, hospitals 81.0%, "
            "stations 94.4%,",
        "  streets 79.6%, junctions 94.4%, postcodes 97.8%, sectors 70.4%, districts 36.1%, areas 46.3% "
            "within 1 km.",
        "  The pattern holds a thirteenth time, and more starkly: a maps app's words for no place (its "
            "saved-place",
        "  labels, pins and \"current location\") were answered as places half the time. Issue 14 is not "
            "met on unseen",
        "  text. The run of 16:35 UTC (the table above) differs only by the deterministic tie-break "
            "between candidates",
        "  of equal score (not read from mapcopy: found by comparing answers under two plans): within 1 "
            "km 80.7%,",
        "  non-places 48.5%, confident and over 1 km off 2.0% (5/247), largest gap 0.086.",
        "- **The mapcopy family after its failures were read** (2026-12-07, from 18:16 UTC, with "
            "the rules they led to, now a",
        "  development set; run of 18:34 UTC, on a calibration fitted on the other fifteen): "
            "within 1 km of locatable",
        "  texts 89.8% (80.7% in the run of 16:35), non-places, unknown and home texts not "
            "located 98.0% (194/198; was",
        "  48.5%; non-place class 97.8%, was 34.4%), confident and over 1 km off 1.2% (4/324; "
            "was 2.0%), largest gap",
        "  0.057 (0.086); hospitals 96.8% (81.0% on the first run), streets 95.4% (79.6%), areas "
            "75.9% (46.3%). Most",
        "  failures were the app's own words: a card's category, rating, hours and buttons, \"on "
            "Google Maps\" and",
        "  share links read as names (\"Maps\", \"The View\", \"New Directions School\"), the app's "
            "screens and",
        "  messages (\"Dropped pin\", \"Recently viewed\", \"Your ride has arrived\") answered as "
            "venues, an address",
        "  finder's \"Flat 4, 22 X Road\" read as a home. On all 12,600 texts of the fourteen "
            "other families (one",
        "  database, before and after) 4 answers changed, all texts naming only an emergency department now",
        "  answered with the reporting site. Left alone: a district beside its post town "
            "(\"Harrow HA3\" answers the",
        "  borough), districts' truths 1–2 km from their centre, a chain without a locality, a "
            "house number glued to",
        "  a street the gazetteer names otherwise.",
        "- **The merged family's first run** (2026-12-07 18:34 UTC, aggregates only, on the "
            "calibration shipped with",
        "  it, fitted on sixteen families; nothing was changed from them): located 97.3%, within "
            "1 km of locatable",
        "  texts **85.8%** (of all with a true place 82.5%; target 90%), non-places, unknown and "
            "home texts not",
        "  located **76.8%** (152/198; non-place class 50.6%, 41/81; target 97%), confident and "
            "over 1 km off",
        "  **1.9%** (6/321; target 0.5%), largest gap **0.112** (target 0.07); venues 89.8%, "
            "chains with a locality",
        "  79.7%, hospitals 90.5%, stations 97.5%, streets 87.2%, junctions 96.3%, postcodes "
            "98.1%, sectors 81.5%,",
        "  districts 25.0%, areas 77.8% within 1 km. The pattern holds a fourteenth time: a few "
            "points under the",
        "  development families on location, far under on non-places, confident misses above "
            "target. Issue 14 is not",
        "  met on unseen text.",
        "- **The merged family after its failures were read** (2026-12-07, from 19:40 UTC, "
            "with the rules they led to,",
        "  now a development set; run of 20:57 UTC, on a calibration fitted on the other "
            "sixteen): within 1 km of",
        "  locatable texts 89.1% (85.8% on its first run), non-places, unknown and home texts "
            "not located 99.5%",
        "  (197/198; was 76.8%), confident and over 1 km off 0.3% (1/340; was 1.9%), largest "
            "gap 0.052 (0.112);",
        "  districts 41.7% (25.0%), areas 87.0% (77.8%), sectors 96.3% (81.5%). Most failures "
            "were a spreadsheet's and",
        "  other systems' own values read as names (\"NULL\" as Cafe Nell, \"Column1\" as "
            "Columbia Road, \"Duplicate",
        "  record\" as Record Street, \"Grand Total\", \"#NAME?\"), their field labels (\"Postcode "
            "district SM1\" as a venue",
        "  called District, \"DA1 4, Bexley Council\" as Bexley Lane), export damage (\"King?s "
            "Cross\", \"Kingâ€™s\") and",
        "  categories the export parser did not know (\"Retail/shop; Waitrose\" not located). "
            "On the other families'",
        "  texts (one database, snapshots before and after each rule) the rules changed 11 "
            "answers, all read: streets",
        "  and a chain's branch now found, four ambulance texts (non-places) no longer an "
            "ambulance station, a junction",
        "  answered by its full postcode, a district and an area at their own level; one rule "
            "that changed 55 (a chain",
        "  named with its kind of shop, \"Lidl store\") was withdrawn. A sector or district "
            "recorded by a site is now",
        "  answered with the part of it in",
        "  that site's catchment: on the sixteen developed families' district texts 58.8% → "
            "65.2% within 1 km,",
        "  sectors 89.7% → 90.0%.",
        "- **The paeds family's first run** (2026-12-07 20:57 UTC, aggregates only, on the "
            "calibration shipped with",
        "  it, fitted on seventeen families; nothing was changed from them): located 99.3%, "
            "within 1 km of locatable",
        "  texts **90.7%** (of all with a true place 87.9%; target 90%), non-places, unknown "
            "and home texts not",
        "  located **82.2%** (185/225; non-place class 71.1%, 64/90; home texts answered home "
            "73.0%, 46/63; target",
        "  97%), confident and over 1 km off **0.0%** (0/270; target 0.5%), largest gap "
            "**0.122** (target 0.07);",
        "  venues 90.3%, chains with a locality 86.2%, hospitals 93.3%, stations 100.0%, "
            "streets 93.5%, junctions",
        "  95.6%, postcodes 100.0%, sectors 88.9%, districts 55.6%, areas 83.3% within 1 km. "
            "For the first time a",
        "  blind family meets the location and confident-miss targets; non-places and the "
            "reliability gap are still",
        "  far off, so issue 14 is not met on unseen text. While it was being written the "
            "developers saw, by",
        "  accident, a lint report quoting three lines of its module (a list of chain "
            "nicknames) and the names of",
        "  the lists its tests compare; nothing was built from them.",
        "- **The paeds family after its failures were read** (2026-12-07, from 22:14 UTC, "
            "with the rules they led to, now a",
        "  development set; run of 22:34 UTC, on a calibration fitted on the other "
            "seventeen): within 1 km of locatable",
        "  texts 91.2% (90.7% on its first run), non-places, unknown and home texts not "
            "located 99.6% (224/225; was",
        "  82.2%), confident and over 1 km off 0.3% (1/295; was 0.0%), largest gap 0.052 "
            "(0.122); chains with a locality",
        "  92.7% (86.2%), hospitals 97.8% (93.3%), districts 51.9% (55.6%). Most failures "
            "were a children's department's",
        "  own words read as names: a foster or residential placement (\"Foster Road\", "
            "\"Rehoboth Children's Home\"), a",
        "  lesson, an outing or sparring (\"First Class Cafe\", \"Spar\"), who told it (\"child "
            "says\" as Child Lane at 0.95,",
        "  \"step-dad\" as The Step), how it was done and the body part (\"bitten by sibling\" as "
            "Bittern Street), a pointer",
        "  to the notes (\"as per triage\" as the reporting hospital at 0.98), and the part of "
            "a park (\"by the pond in X",
        "  park\" as Pond Road). The rules, each snapshotted on all 15,300 texts of the "
            "seventeen development families:",
        "  the vocabulary 52 answers better and 2 worse, parts of a park 6 and 1, stations "
            "named \"X Junction\" and tube",
        "  lines 5 and 0, bus routes none changed; the minimum confidence (0.1) 23 better and "
            "13 worse (right answers the",
        "  calibration had stated at 0.02–0.08).",
        "- **The visitor family's first run** (2026-12-07 22:34 UTC, aggregates only, on the "
            "calibration shipped with it,",
        "  fitted on eighteen families; nothing was changed from them): located 95.7%, within "
            "1 km of locatable texts",
        "  **89.5%** (of all with a true place 85.8%; target 90%), non-places, unknown and "
            "home texts not located",
        "  **88.9%** (144/162; non-place class 92.6%, 50/54; home texts 54/54 not located; "
            "unknown 40/54; target 97%),",
        "  confident and over 1 km off **0.9%** (2/225; target 0.5%), largest gap **0.123** "
            "(target 0.07: answers stated",
        "  at 0.31 were within their radius 42.9% of the time, and at 0.71, 80.6%); venues "
            "92.9%, chains with a locality",
        "  70.0%, hospitals 93.1%, stations 97.6%, streets 94.4%, junctions 88.9%, postcodes "
            "93.3%, sectors 93.1%,",
        "  districts 72.2%, areas 68.9% within 1 km. The best non-place figure of any blind "
            "family so far (paeds 82.2%,",
        "  merged 76.8%), location half a point under target, confident misses and the gap "
            "over: issue 14 is not met on",
        "  unseen text. The helper's prompt asked it to wait for a gazetteer of over 100,000 "
            "features, a wrong figure (the",
        "  full shared gazetteer is 87,917): it waited, then used it as it was. While it "
            "worked `git status` showed the",
        "  name of its test file; nothing else of it was seen.",
        "- **The visitor family after its failures were read** (2026-12-08, from 01:05 UTC, with the "
            "rules they led to, now",
        "  a development set; run of 01:21 UTC, on a calibration fitted on the other eighteen): within "
            "1 km of locatable",
        "  texts 91.7% (89.5% on its first run), non-places, unknown and home texts not located 100.0% "
            "(162/162; was",
        "  88.9%), confident and over 1 km off 0.4% (1/236; was 0.9%), largest gap 0.135 (0.123; "
            "answers stated at 0.31",
        "  were within their radius 44.2% of the time); chains with a locality 72.0% (70.0%), hospitals "
            "100.0% (93.1%),",
        "  districts 75.0% (72.2%), areas 75.6% (68.9%). Most failures were a visitor's story read as "
            "names: what the",
        "  patient could not say (\"friends left, no one to ask\" as Ask Italian, \"not known - GCS low on "
            "arrival\" as Arrival",
        "  Ltd at 0.71, \"couldn't name the street\" as Bar With No Name), why they were in town and who "
            "they were (\"upstairs",
        "  on a bus\" as Upstairs at 0.98, \"pt not local\" as The Local, \"day trip\"), a tube line named "
            "after its station",
        "  (\"Wood Green - Piccadilly line\" as Wood Green the street), a chain's branch named by its "
            "street (\"london street",
        "  branch\" as Branch Street at 0.96), a postcode with its space in the wrong place (\"n169 da\"), "
            "and the reporting",
        "  department's own rooms held back by the story (\"our UTC waiting area - day trip\"). The "
            "rules, snapshotted on all",
        "  16,200 texts of the eighteen families the geocoder is now developed on: 36 answers better "
            "and 1 worse (a sector",
        "  1,026 m off where a rest home's name had matched \"rest\" by luck), 11 changed and still right.",
        "- **The worker family's first run** (2026-12-08 01:21 UTC, aggregates only, on the calibration "
            "shipped with it,",
        "  fitted on nineteen families; nothing was changed from them): located 92.4%, within 1 km of "
            "locatable texts",
        "  **84.8%** (of all with a true place 79.3%; target 90%), non-places, unknown and home texts "
            "not located **84.4%**",
        "  (152/180; non-place class 75.6%, 68/90; home and unknown 84/90; target 97%), confident and "
            "over 1 km off",
        "  **1.4%** (3/214; target 0.5%), largest gap **0.095** (target 0.07: answers stated at 0.30 "
            "were within their",
        "  radius 39.2% of the time, and at 0.72, 77.1%); venues 92.6%, chains with a locality 81.3%, "
            "hospitals 88.9%,",
        "  stations 93.9%, streets 76.8%, junctions 88.9%, postcodes 94.4%, sectors 83.3%, districts "
            "55.6%, areas 51.9%",
        "  within 1 km. Below visitor's first run on location (89.5%) and non-places (88.9%), better on "
            "the gap (0.123):",
        "  issue 14 is not met on unseen text. While it was written the developers saw its module's and "
            "test file's names,",
        "  line ranges of its test file in a `duplicates` report (no text), and its helper's summary of "
            "the channel in",
        "  general terms; nothing else of it was seen.",
        "- **worker read and fixed** (its failures read from 2026-12-08 02:45 UTC; a development set "
            "since; run of 03:35",
        "  UTC, on a calibration fitted on the other nineteen): within 1 km of locatable texts 90.9% "
            "(first run 84.8%),",
        "  non-places, unknown and home texts not located 98.9% (178/180; 84.4%), confident and over 1 km "
            "off 0.8% (2/254;",
        "  1.4%), largest gap 0.094 (0.095); chains with a locality 88.0% (81.3%), hospitals 97.2% "
            "(88.9%), stations 97.0%",
        "  (93.9%), streets 82.8% (76.8%), junctions 100.0% (88.9%). Most failures were the work's words "
            "read as names: the",
        "  role (\"gas engineer\" as The Engineer at 0.75, \"kitchen porter\" as Porter), the round, "
            "patch or fare (\"on",
        "  patrol\" as Dover Patrol, \"Leyton patch\" as Patch, \"picking up a fare\" as Fare of "
            "London), the meter reading",
        "  (Reading Road at 0.95), the form (\"[form 8911954]\" as 6th Form Kitchen) and what was done "
            "(\"grabbed by throat\"",
        "  as Grab N Go at 0.83); a chain beside the place that named its branch (\"Ruislip Waitrose\", "
            "\"Tesco store at",
        "  Bayswater\": none); two streets with \"Jct\", \"at\" or a hyphen between them answered "
            "with one of them. The",
        "  rules, snapshotted on all 17,100 texts of the nineteen development families: 109 answers "
            "better and 2 worse",
        "  (\"at the depot\" as Depot Street at 0.36; \"140 park road / cheam\" read as a junction), "
            "347 changed and still",
        "  right (most of them a junction now named whole where one of its streets was).",
        "- **The events family's first run** (2026-12-08 03:35 UTC, aggregates only, on the calibration "
            "shipped with it,",
        "  fitted on twenty families; nothing was changed from them): located 90.4%, within 1 km of "
            "locatable texts",
        "  **83.8%** (of all with a true place 80.9%; target 90%), non-places, unknown and home texts "
            "not located **92.0%**",
        "  (149/162; non-place class 84.0%, 68/81; home and unknown 81/81; target 97%), confident and "
            "over 1 km off",
        "  **0.6%** (1/169; target 0.5%), largest gap **0.136** (target 0.07: answers stated at 0.72 "
            "were within their",
        "  radius 85.9% of the time, under-confident); venues 92.0%, chains with a locality 82.5%, "
            "hospitals 80.0%,",
        "  stations 87.2%, streets 83.3%, junctions 92.6%, postcodes 100.0%, sectors 85.2%, districts "
            "51.9%, areas 55.6%",
        "  within 1 km. Close to worker's first run on location (84.8%), better on non-places (84.4%) and "
            "confident misses",
        "  (1.4%), worse on the gap (0.095): issue 14 is not met on unseen text. While it was written the "
            "developers saw its",
        "  module's and test file's names, a few of its test file's list names in a lint report, and its "
            "helper's summary",
        "  of the channel in general terms; nothing else of it was seen.",
        "- **events read and fixed** (its failures read from 2026-12-08 03:50 UTC; a development set "
            "since; run of 03:55",
        "  UTC, on a calibration fitted on the other twenty): within 1 km of locatable texts 88.9% (first "
            "run 83.8%),",
        "  non-places, unknown and home texts not located 99.4% (161/162; 92.0%), confident and over 1 km "
            "off 0.5% (1/202;",
        "  0.6%), largest gap 0.148 (0.136); hospitals 95.6% (80.0%), stations 94.0% (87.2%), streets "
            "86.1% (83.3%),",
        "  junctions 100.0% (92.6%), areas 73.3% (55.6%). Most failures were a crowd's words read as "
            "names (\"during the",
        "  march\" as March Road at 0.87, \"at the protest\" as Protege at 0.88, \"half time\" as the "
            "Half Time Cafe), the",
        "  department's own rooms held back by \"the other party\" or \"party guest\", and an area named "
            "with the story's",
        "  time words (\"Edgware (bonfire night)\": none). The rules, snapshotted on all 18,000 texts of "
            "the twenty",
        "  development families before and after them: 52 answers better and 1 worse (a market beside "
            "\"Parkstone Aven.\"",
        "  read as Parkstone Road Market), 29 changed and still right.",
        "- **The outreach family's first run** (2026-12-08 03:55 UTC, aggregates only, on the calibration "
            "shipped with it,",
        "  fitted on twenty-one families; nothing was changed from them): located 90.5%, within 1 km of "
            "locatable texts",
        "  **84.5%** (of all with a true place 81.4%; target 90%), non-places, unknown and home texts not "
            "located **90.7%**",
        "  (147/162; non-place class 90.1%, 73/81; home and unknown 74/81; target 97%), confident and over "
            "1 km off **0.0%**",
        "  (0/177; target 0.5%: met), largest gap **0.136** (target 0.07: answers stated at 0.73 were "
            "within their radius",
        "  86.1% of the time, under-confident); venues 90.0%, chains with a locality 84.7%, hospitals "
            "81.1%, stations 93.2%,",
        "  streets 74.4%, junctions 88.9%, postcodes 100.0%, sectors 94.4%, districts 63.0%, areas 66.7% "
            "within 1 km. Close",
        "  to events' (83.8%) and worker's (84.8%) first runs on location: issue 14 is not met on unseen "
            "text. While it was",
        "  written the developers saw its module's and test file's names, two lines of its module's "
            "docstring in a lint",
        "  report, and its helper's summary of the channel in general terms; nothing else of it was seen.",
        "- **Locatable** texts are those with a true place that the text identifies: every text with a "
            "true place except a",
        "  chain named without any locality (`inside tesco`, `STARBUCKS LONDON`, `costa`). Those cannot be "
            "placed better",
        "  than the densest cluster of branches in the site's catchment: within 1 km is bounded there "
            "(about four in ten),",
        "  so the headline gives within 1 km both of locatable texts and of every text with a true place, "
            "and the honest",
        "  test for those chains is their stated confidence and radius (the table under the classes).",
        "- The generated typos never touch a word's first or last letter, and the edit-distance fall-back",
        "  (step 6) only looks at words with the same first letter, so this set flatters that fall-back: a "
            "real",
        "  typo in the first letter (rarer in typing) gets only the trigram search. Before the fall-back, on "
            "the",
        "  same draws: located 96.1–97.7%, within 1 km 78.7–80.7%.",
        "- Negatives are stated-unknown texts; a geocoder that locates them is wrong however good its other "
            "numbers.",
        "- \"Over 1 km off with confidence ≥ 0.8\" counts every answer, coarse ones too; it is also shown "
            "for answers",
        "  stating a radius ≤ 1 km. Coarse answers rarely reach 0.8 since their radius is the 60% distance "
            "(step 8).",
        "- The set is drawn in an order fixed by a hash of each place and the seed, so a re-run on the same "
            "gazetteer",
        "  evaluates the same texts (before/after comparisons of a change are like for like).",
        "- The calibration set also has a share of its venues withheld (a different draw), so the confidence "
            "has seen",
        "  what a missing venue looks like; the report set's withheld venues are never used for fitting.",
        "- The baseline has no parsing, no postcode lookup and no confidence: it is the floor the parsing "
            "must beat.",
        f"- Run time of the whole evaluation: {time.monotonic() - t0:.0f} s.",
        "",
    ]
    text = "\n".join(md)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    from safestats import config
    ap = argparse.ArgumentParser(prog="python -m safestats.geocoding.evaluation",
                                 description="Evaluate and calibrate the geocoder on a generated labelled "
                                             "set. Loads the gazetteer first when the database has none.")
    ap.add_argument("-n", type=int, default=3000, help="generator examples (half calibrate, half report)")
    ap.add_argument("--n-indep", type=int, default=900, help="texts in each independent family")
    ap.add_argument("--draws", type=int, default=4, help="other generator draws to run for the spread")
    ap.add_argument("--withhold", type=float, default=0.3, help="share of report-set venues withheld")
    ap.add_argument("--out", type=Path, default=Path("build/geocoding.md"),
                    help="markdown report to write (default build/geocoding.md; docs/ only with "
                         "--write-docs)")
    ap.add_argument("--write-docs", action="store_true",
                    help="also write docs/geocoding.md and data/gazetteer/geocode_calibration.csv "
                         "(committed files)")
    folders = (config.SHARED_DATA_DIR / "gazetteer", config.SHIPPED_DATA_DIR / "gazetteer")
    ap.add_argument("--gazetteer-dir", type=Path, default=next((p for p in folders if p.exists()), None),
                    help=f"gazetteer files to load when the database has none (default: {folders[0]}, "
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
            from loaders.gazetteer import load_folder
            load_folder(conn, args.gazetteer_dir)
        text = evaluate(conn, args.n, args.withhold, args.out, extra_seeds=args.draws, n_indep=args.n_indep)
        if args.write_docs:
            Path("docs/geocoding.md").write_text(text)
            write_calibration_csv(conn, Path("data/gazetteer/geocode_calibration.csv"))
        if args.calibration_csv:
            write_calibration_csv(conn, args.calibration_csv)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
