"""Where the geocoder goes wrong, class by class, and where its confidence is off, key by key.

A developer's companion to the evaluation report (safestats.geocoding.evaluation): it geocodes the
same sets once (the generator's two halves with their withheld venues, and every independent family)
and keeps every answer in a JSON file, so the failures and the calibration can be studied without
running the whole report again.

    python -m safestats.geocoding.diagnose collect [--out build/geocode_results.json]
    python -m safestats.geocoding.diagnose failures --family notes [--cls chain] [--limit 40]
    python -m safestats.geocoding.diagnose calibration [--min-n 5]

``calibration`` refits leave-one-family-out exactly as the evaluation does (inside a transaction
that is rolled back, so gazetteer.calibration is left as it was) and prints, per family and
confidence band, which calibration keys make up the band and how far each is off.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from .calibration import fit_bins
from .evaluation import restore_venues, run_set, store_all, withhold_venues
from .labelled import generate

DEFAULT = Path("build/geocode_results.json")
BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01))


def collect(conn, n: int = 3000, n_indep: int = 900, withhold: float = 0.3,
            families: tuple[str, ...] | None = None) -> dict[str, list[dict]]:
    """Every answer of the generator's calibration half (``gen-cal``) and report half (``gen``), each
    with its share of venues withheld, and of each independent family."""
    from .independent import FAMILIES, generate_family
    families = families or FAMILIES
    store_all(conn, generate(conn, n), [e for f in families for e in generate_family(conn, f, n_indep)])
    out = {}
    for name, fam, split in [("gen-cal", "gen", "calibration"), ("gen", "gen", "report")] + [
            (f, f, f) for f in families]:
        if fam == "gen":
            withhold_venues(conn, withhold, split=split)
        try:
            out[name] = run_set(conn, fam, split)
        finally:
            restore_venues(conn)
    return out


def confidences(conn, results: list[dict], fit_on: list[dict]) -> list[float]:
    """The confidence each answer would state under a calibration fitted on ``fit_on`` (the SQL
    function reads the bins; the transaction is rolled back)."""
    rows = fit_bins(fit_on)
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM gazetteer.calibration")
        with conn.cursor().copy("COPY gazetteer.calibration (level, score_lo, score_hi, confidence, n, "
                                "fit_label) FROM STDIN") as cp:
            for key, lo, hi, conf, k in rows:
                cp.write_row((key, lo, hi, conf, k, "diagnose"))
        got = conn.execute("""
            SELECT least(safestats_internal.geocode_confidence(k, s),
                         CASE WHEN r > 1000 THEN 0.75 ELSE 1 END)
            FROM unnest(%s::text[], %s::real[], %s::real[]) WITH ORDINALITY AS u(k, s, r, i) ORDER BY i""",
                           ([r["key"] or r["answer"] for r in results],
                            [r["score"] if r["score"] is not None else 1.0 for r in results],
                            [r["radius"] or 0 for r in results])).fetchall()
    return [g[0] for g in got]


def leave_one_out(conn, data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Each reported family with the confidence of a fit on the other families (as the evaluation)."""
    src = {"gen": data["gen-cal"]} | {f: rs for f, rs in data.items() if f not in ("gen", "gen-cal")}
    out = {}
    for fam in [f for f in data if f != "gen-cal"]:
        others = [r for f, rs in src.items() if f != fam for r in rs]
        located = [r for r in data[fam] if r["located"]]
        conf = confidences(conn, located, others)
        out[fam] = [r | {"confidence": c} for r, c in zip(located, conf)]
    return out


def band_report(results: list[dict], min_n: int) -> list[str]:
    lines = []
    for lo, hi in BANDS:
        b = [r for r in results if r["has_truth"] and lo <= r["confidence"] < hi]
        if not b:
            continue
        ok = [r["error"] <= r["radius"] for r in b]
        mean_c = statistics.mean(r["confidence"] for r in b)
        lines.append(f"  band {lo:.1f}-{min(hi, 1):.1f}: n={len(b)} conf={mean_c:.3f} "
                     f"observed={sum(ok) / len(b):.3f}")
        keys: dict[str, list[dict]] = {}
        for r in b:
            keys.setdefault(r["key"] or r["answer"], []).append(r)
        for k, rs in sorted(keys.items(), key=lambda kv: -len(kv[1])):
            if len(rs) >= min_n:
                o = sum(r["error"] <= r["radius"] for r in rs) / len(rs)
                c = statistics.mean(r["confidence"] for r in rs)
                lines.append(f"    {k:45s} n={len(rs):4d} conf={c:.3f} observed={o:.3f} diff={o - c:+.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m safestats.geocoding.diagnose",
                                 description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect", help="geocode the sets once and keep every answer")
    c.add_argument("--out", type=Path, default=DEFAULT)
    c.add_argument("-n", type=int, default=3000)
    c.add_argument("--n-indep", type=int, default=900)
    f = sub.add_parser("failures", help="answers over 1 km off (or not located), by class")
    f.add_argument("--in", dest="src", type=Path, default=DEFAULT)
    f.add_argument("--family", default="notes")
    f.add_argument("--cls", help="only this class of text")
    f.add_argument("--limit", type=int, default=40)
    m = sub.add_parser("compare", help="within 1 km by class, and the texts fixed or broken, between runs")
    m.add_argument("before", type=Path)
    m.add_argument("after", type=Path)
    k = sub.add_parser("calibration", help="leave-one-family-out reliability, band by band and key by key")
    k.add_argument("--in", dest="src", type=Path, default=DEFAULT)
    k.add_argument("--min-n", type=int, default=5)
    args = ap.parse_args(argv)
    if args.cmd == "failures":
        data = json.loads(args.src.read_text())
        rs = [r for r in data[args.family] if r["has_truth"] and (args.cls is None or r["cls"] == args.cls)]
        bad = [r for r in rs if not r["located"] or r["error"] > 1000]
        print(f"{args.family} {args.cls or 'all'}: {len(bad)} of {len(rs)} not within 1 km")
        for r in bad[: args.limit]:
            err = "-" if r["error"] is None else f"{r['error']:.0f}"
            print(f"  [{r['cls']}] {r['text']!r} -> {r['answer']} {r['matched']!r} err={err} "
                  f"r={r['radius']} key={r['key']!r} score={r['score']}")
        return 0
    if args.cmd == "compare":
        a, b = json.loads(args.before.read_text()), json.loads(args.after.read_text())
        for fam in [f for f in b if f in a and f != "gen-cal"]:
            ok = {r["id"]: r["located"] and r["error"] is not None and r["error"] <= 1000 for r in a[fam]}
            by_cls: dict[str, list[int]] = {}
            for r in b[fam]:
                if not r["has_truth"]:
                    continue
                now = r["located"] and r["error"] <= 1000
                c = by_cls.setdefault(r["cls"], [0, 0, 0])
                c[0] += ok[r["id"]]
                c[1] += now
                c[2] += 1
                if now != ok[r["id"]]:
                    print(f"  {fam} {'FIXED ' if now else 'BROKEN'} [{r['cls']}] {r['text']!r} -> "
                          f"{r['matched']!r}")
            print(fam + ": " + ", ".join(f"{c} {v[0]}->{v[1]}/{v[2]}" for c, v in sorted(by_cls.items())))
        return 0
    from safestats.db import connect
    with connect() as conn:
        if args.cmd == "collect":
            data = collect(conn, args.n, args.n_indep)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(data))
            print(f"wrote {args.out}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))
            return 0
        data = json.loads(args.src.read_text())
        for fam, rs in leave_one_out(conn, data).items():
            print(fam)
            print("\n".join(band_report(rs, args.min_n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
