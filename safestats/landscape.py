"""London Landscape helpers used by the CLI, the demo and the tests."""
from __future__ import annotations

from pathlib import Path

from . import config

SHIPPED = config.SHIPPED_DATA_DIR / "landscape"
SHARED = config.REPO_ROOT.parent / "shared" / "data" / "datastore"
# (source, shipped file, original file in ../shared/data/datastore)
DEMO_FILES = [
    ("ward-profiles", "ward-profiles-excel-version.csv.gz", "ward-profiles-excel-version.csv"),
    ("neighbourhood-wards", "neighbourhood_wards.csv", None),
    ("mopac-survey", "2016-police-perceptions.csv.gz", "2016-police-perceptions.csv"),
]


def aggregate_to_neighbourhoods(conn, edition: int = 2016, ward_vintage: int = 2011,
                                size_indicator: str = "wp_population") -> tuple[int, int]:
    """Moves every indicator held at ward ``ward_vintage`` to the neighbourhoods of a survey edition
    (counts summed; rates and shares as means weighted by ward population). Returns (indicators, values)."""
    codes = [r[0] for r in conn.execute(
        "SELECT DISTINCT indicator_code FROM landscape.indicator_value WHERE level = 'ward' AND vintage = %s "
        "AND method = 'published' ORDER BY 1", (ward_vintage,)).fetchall()]
    n = conn.execute("SELECT safestats.move_indicators(%s, 'ward', %s, 'neighbourhood', %s, 'attribute', NULL, %s)",
                     (codes, ward_vintage, edition, size_indicator)).fetchone()[0]
    return len(codes), n


def resolve(shipped: str, original: str | None) -> Path:
    if (SHIPPED / shipped).exists():
        return SHIPPED / shipped
    if original and (SHARED / original).exists():
        return SHARED / original
    raise FileNotFoundError(f"{SHIPPED / shipped} is missing")


def load_demo_data(conn, quiet: bool = True) -> list:
    """Ward profiles, the neighbourhood mapping and the 2016 survey (shipped copies). Idempotent."""
    from loaders import registry
    from loaders.core import LoadOptions, load_csv
    results = []
    for source, shipped, original in DEMO_FILES:
        mod = registry.get(source)
        path = resolve(shipped, original)
        opts = LoadOptions(quiet=quiet)
        results.append(mod.load(conn, path, opts) if hasattr(mod, "load") else load_csv(conn, mod.SOURCE, path, opts))
    return results


def demo_step(conn, args) -> None:
    """Demo: load ward profiles + survey, build a neighbourhood run, print the five neighbourhoods whose
    confidence ("good job") is furthest below their most similar neighbourhoods, with intervals."""
    from .comparator import BuildParams, build
    for r in load_demo_data(conn, quiet=getattr(args, "quiet", True)):
        print("  " + r.line())
    k, n = aggregate_to_neighbourhoods(conn, 2016)
    print(f"  {k} ward indicators aggregated to 106 MPS neighbourhoods ({n:,} values)")
    run = conn.execute("SELECT max(run_id) FROM comparator.run WHERE label = 'demo'").fetchone()[0]
    if run is None:
        s = build(conn, BuildParams(level="neighbourhood", vintage=2016, label="demo"), quiet=True)
        run = s["run_id"]
        print(f"  comparator run {run}: {s['areas']} neighbourhoods, {s['indicators']} indicators, "
              f"k = 15, silhouette {s['silhouette']:.3f}, built in {s['seconds']:.2f} s")
    rows = conn.execute("""
        SELECT area_name, value, peers_mean, gap, gap_lower, gap_upper, significant
        FROM safestats.comparator_gaps('pas_good_job', %s) ORDER BY shortfall DESC LIMIT 5""", (run,)).fetchall()
    print("  Confidence (% saying the police do a good job) furthest below the 15 most similar neighbourhoods")
    print("  (95% interval of the gap assumes 120 respondents per neighbourhood; see docs/comparator.md):")
    for name, v, m, g, lo, hi, sig in rows:
        print(f"    {name:<45} {v:5.1f}%  peers {m:5.1f}%  gap {g:+5.1f} [{lo:+5.1f}, {hi:+5.1f}]"
              f"{'  significant' if sig else ''}")
