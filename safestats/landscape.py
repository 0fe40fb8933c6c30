"""London Landscape helpers used by the CLI, the demo and the tests."""
from __future__ import annotations

from collections.abc import Callable

from . import config, data_files
from .output import Table, fetch_table

SHIPPED = config.SHIPPED_DATA_DIR / "landscape"
SHARED = config.SHARED_DATA_DIR / "datastore"
# (source, shipped file, original file in the shared data folder's datastore)
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
    n = conn.execute("SELECT safestats_internal.move_indicators(%s, 'ward', %s, 'neighbourhood', %s, "
                     "'attribute', NULL, %s)", (codes, ward_vintage, edition, size_indicator)).fetchone()[0]
    return len(codes), n


def indicators(conn, theme: str | None = None) -> Table:
    """The indicator catalogue (optionally one theme) with unit, direction, level/vintage and periods."""
    return fetch_table(conn, """
        SELECT indicator_code, theme, unit, direction, level, vintage,
               array_to_string(periods, ', ') AS periods, n_values
        FROM safestats.indicators WHERE %(t)s::text IS NULL OR theme = %(t)s
        ORDER BY theme, indicator_code""", {"t": theme})


def build_population_lookup(conn, from_level: str, from_vintage: int, to_level: str, to_vintage: int) -> int:
    """A population-weighted lookup between two area sets, from LSOA population; returns its rows."""
    return conn.execute("SELECT safestats_internal.build_population_lookup(%s, %s, %s, %s)",
                        (from_level, from_vintage, to_level, to_vintage)).fetchone()[0]


def move_indicator(conn, indicator: str, from_level: str, from_vintage: int, to_level: str, to_vintage: int,
                   lookup: str | None = None, size_indicator: str | None = None) -> int:
    """Move one indicator to another area set / vintage (counts apportioned, rates and shares as
    weighted means; the method recorded on every value). Returns the derived values written."""
    return conn.execute("SELECT safestats.move_indicator(%s, %s, %s, %s, %s, %s, NULL, %s)",
                        (indicator, from_level, from_vintage, to_level, to_vintage, lookup,
                         size_indicator)).fetchone()[0]


def build_crime_rates(conn, on_note: Callable[[str], None] | None = None) -> int:
    """Crime counts from the crime loaders as rates per 1,000 residents; returns the values written.
    ``on_note`` receives the server's notes (which inputs were absent and skipped)."""
    if on_note is not None:
        conn.add_notice_handler(lambda d: on_note(d.message_primary))
    return conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone()[0]


def load_demo_data(conn, quiet: bool = True) -> list:
    """Ward profiles, the neighbourhood mapping and the 2016 survey (shipped copies). Idempotent."""
    from loaders import registry
    from loaders.core import LoadOptions
    results = []
    for source, shipped, original in DEMO_FILES:
        path, _ = data_files.resolve(shipped, original, SHIPPED, SHARED)
        results.append(registry.get(source).load(conn, path, LoadOptions(quiet=quiet)))
    return results


def demo_step(conn, quiet: bool = True) -> None:
    """Demo: load ward profiles + survey, build a neighbourhood run, print the five neighbourhoods whose
    confidence ("good job") is furthest below their most similar neighbourhoods, with intervals."""
    from .comparator import BuildParams, build
    for r in load_demo_data(conn, quiet=quiet):
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
        FROM safestats.comparator_gaps('pas_good_job', %s) ORDER BY shortfall DESC LIMIT 5""",
                        (run,)).fetchall()
    print("  Confidence (% saying the police do a good job) furthest below the 15 most similar "
          "neighbourhoods")
    print("  (95% interval of the gap assumes 120 respondents per neighbourhood; see docs/comparator.md):")
    for name, v, m, g, lo, hi, sig in rows:
        print(f"    {name:<45} {v:5.1f}%  peers {m:5.1f}%  gap {g:+5.1f} [{lo:+5.1f}, {hi:+5.1f}]"
              f"{'  significant' if sig else ''}")
