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
    """The indicator catalogue (optionally one theme, named in any case) with unit, direction,
    level/vintage and periods. An unknown theme raises naming the nearest ones."""
    if theme is not None:
        from .names import resolve
        themes = [r[0] for r in conn.execute("SELECT DISTINCT theme FROM landscape.indicator").fetchall()]
        theme = resolve(theme, themes, "theme")
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
    more_step(conn, quiet)
    k, n = aggregate_to_neighbourhoods(conn, 2016)
    print(f"  {k} ward indicators aggregated to 106 MPS neighbourhoods ({n:,} values)")
    run = conn.execute("SELECT max(run_id) FROM comparator.run WHERE label = 'demo'").fetchone()[0]
    if run is None:
        s = build(conn, BuildParams(level="neighbourhood", vintage=2016, label="demo"), quiet=True)
        run = s["run_id"]
        print(f"  comparator run {run}: {s['areas']} neighbourhoods, {s['indicators']} indicators, "
              f"k = 15, silhouette {s['silhouette']:.3f}, built in {s['seconds']:.2f} s")
    # A ward run too (2011 wards, the GLA ward profiles), so that ward codes such as E05000026 have
    # similar areas in the demo as well as neighbourhoods such as KG-KB.
    if conn.execute("SELECT max(run_id) FROM comparator.run WHERE label = 'demo-ward'").fetchone()[0] is None:
        w = build(conn, BuildParams(level="ward", vintage=2011, label="demo-ward"), quiet=True)
        print(f"  comparator run {w['run_id']}: {w['areas']} wards (2011), {w['indicators']} indicators, "
              f"k = 15, silhouette {w['silhouette']:.3f}, built in {w['seconds']:.2f} s")
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


# ---------------------------------------------------------------------------------------------
# London Landscape in depth: shipped data, catalogue, profiles, trends, drivers (issue 17).

MORE_SHIPPED = "landscape_more.csv.gz"


def load_more(conn, quiet: bool = True, force: bool = False):
    """Load the compact shipped form of the landscape_more files (and carry it onto 2022 wards)."""
    from loaders import registry
    from loaders.core import LoadOptions
    return registry.get("landscape-more").load(conn, SHIPPED / MORE_SHIPPED,
                                               LoadOptions(quiet=quiet, force=force))


def catalogue(conn, theme: str | None = None) -> Table:
    """The catalogue in depth: theme, level, first/last period, observed years, projection horizon,
    share of 2022-ward values apportioned."""
    return fetch_table(conn, """
        SELECT indicator_code, theme, unit, direction,
               published_level || ' ' || coalesce(published_vintage::text, '') AS published_at,
               value_status, first_period_start AS first_period,
               last_period_start AS last_period, observed_years, projected_years_ahead,
               n_published, n_derived, ward_2022_apportioned_share
        FROM safestats.indicator_catalogue WHERE %(t)s::text IS NULL OR theme = %(t)s
        ORDER BY theme, indicator_code""", {"t": theme})


def profile(conn, area: str, run: int | None = None, theme: str | None = None) -> Table:
    """safestats.area_profile for one area (optionally one theme)."""
    return fetch_table(conn, """
        SELECT theme, indicator_code, period, round(value::numeric, 2) AS value,
               round(peers_mean::numeric, 2) AS peers_mean, round(borough_value::numeric, 2) AS borough,
               round(london_mean::numeric, 2) AS london_mean, round(z_score::numeric, 2) AS z,
               round(london_percentile::numeric, 1) AS pctile, vs_peers, significant
        FROM safestats.area_profile(%(a)s, %(r)s) WHERE %(t)s::text IS NULL OR theme = %(t)s""",
                       {"a": area, "r": run, "t": theme})


def trend(conn, indicator: str, level: str, vintage: int, from_year: int | None = None,
          to_year: int | None = None, fastest: int = 10) -> Table:
    """The areas whose indicator changed fastest over the window (safestats.indicator_fastest_changing)."""
    return fetch_table(conn, """
        SELECT rank, area_code, area_name, n_points, first_period, last_period,
               round(slope_per_year::numeric, 3) AS slope_per_year, round(slope_lower::numeric, 3) AS lower,
               round(slope_upper::numeric, 3) AS upper, round(theil_sen_slope::numeric, 3) AS theil_sen, trend
        FROM safestats.indicator_fastest_changing(%s, %s, %s, %s, %s, %s)""",
                       (indicator, level, vintage, from_year, to_year, fastest))


def contributions(conn, borough: str, metric: str, period: str | None = None, level: str = "ward",
                  vintage: int = 2022) -> Table:
    return fetch_table(conn, """
        SELECT area_code, area_name, period, round(value::numeric, 2) AS value,
               round(weight::numeric) AS population, round(rate_per_1000::numeric, 2) AS per_1000,
               round(borough_difference::numeric, 2) AS borough_diff,
               round(contribution::numeric, 2) AS contribution, round(contribution_share::numeric, 3) AS share
        FROM safestats.borough_ward_contributions(%s, %s, %s, %s, %s)""",
                       (borough, metric, period, level, vintage))


def associations(conn, metric: str, level: str = "ward", vintage: int = 2022, limit: int = 15,
                 other_themes: bool = False) -> Table:
    """Indicators associated with ``metric`` across areas (optionally only those of other themes)."""
    return fetch_table(conn, """
        SELECT indicator_code, theme, period, n, round(rho::numeric, 3) AS rho,
               round(rho_lower::numeric, 3) AS lower, round(rho_upper::numeric, 3) AS upper,
               q_value, significant
        FROM safestats.indicator_associations(%(m)s, %(l)s, %(v)s)
        WHERE NOT %(o)s OR theme IS DISTINCT FROM (SELECT theme FROM landscape.indicator
                                                   WHERE indicator_code = %(m)s)
        LIMIT %(n)s""", {"m": metric, "l": level, "v": vintage, "n": limit, "o": other_themes})


def register_depth_actions(lsub) -> None:
    """`safestats landscape profile|trend|drivers|catalogue` (added to the landscape command)."""
    sp = lsub.add_parser("catalogue", help="the indicator catalogue in depth (periods, projections, "
                                           "apportioned shares)")
    sp.add_argument("--theme")
    sp.set_defaults(func=_run_catalogue)
    sp = lsub.add_parser("profile", help="an area against its similar areas, borough and London on every "
                                         "indicator (safestats.area_profile)")
    sp.add_argument("area", help="area code, e.g. a 2022 ward E05013714")
    sp.add_argument("--run", type=int, help="comparator run for the similar areas (default: latest holding "
                                            "the area)")
    sp.add_argument("--theme")
    sp.set_defaults(func=_run_profile)
    sp = lsub.add_parser("trend", help="trend per area over a window; the areas changing fastest")
    sp.add_argument("indicator")
    sp.add_argument("--level", default="ward")
    sp.add_argument("--vintage", type=int, default=2022)
    sp.add_argument("--from-year", type=int)
    sp.add_argument("--to-year", type=int)
    sp.add_argument("--top", type=int, default=10)
    sp.set_defaults(func=_run_trend)
    sp = lsub.add_parser("drivers", help="which wards make a borough differ from London on a metric, and "
                                         "which indicators go with the metric across wards")
    sp.add_argument("borough", help="borough code, e.g. E09000023 (Lewisham)")
    sp.add_argument("metric", help="indicator code, e.g. mps_ward_violence_against_the_person")
    sp.add_argument("--period")
    sp.add_argument("--top", type=int, default=15)
    sp.add_argument("--all-themes", action="store_true",
                    help="list associated indicators of the metric's own theme too (default: other themes)")
    sp.set_defaults(func=_run_drivers)


def _run_catalogue(args) -> int:
    from .db import connect
    from .output import print_table
    with connect() as conn:
        t = catalogue(conn, args.theme)
    print_table(f"Indicator catalogue ({len(t.rows)} indicators)", t)
    return 0 if t.rows else 1


def _run_profile(args) -> int:
    from .db import connect
    from .output import print_table
    with connect() as conn:
        t = profile(conn, args.area, args.run, args.theme)
    print_table(f"Profile of {args.area}", t)
    return 0 if t.rows else 1


def _run_trend(args) -> int:
    from .db import connect
    from .output import print_table
    with connect() as conn:
        t = trend(conn, args.indicator, args.level, args.vintage, args.from_year, args.to_year, args.top)
    print_table(f"{args.indicator}: fastest-changing areas ({args.level} {args.vintage})", t)
    return 0


def _run_drivers(args) -> int:
    from .db import connect
    from .output import print_table
    with connect() as conn:
        c = contributions(conn, args.borough, args.metric, args.period)
        a = associations(conn, args.metric, limit=args.top, other_themes=not args.all_themes)
    if c.rows:
        print(f"Borough {args.borough} differs from London by {c.rows[0][6]} on {args.metric} "
              f"(period {c.rows[0][2]}); the ward contributions below sum to it.")
    print_table("Ward contributions (largest first)", c)
    print_table("Indicators associated with the metric across wards (Spearman, Benjamini-Hochberg; "
                "association, not cause)", a)
    return 0 if c.rows else 1


# A comparator run on 2022 wards for the profile's peers (demographic and deprivation make-up, Census
# 2021 and IoD 2025); the demo builds it once, labelled WARD_RUN_LABEL.
WARD_RUN_LABEL = "landscape 2022 wards"
WARD_RUN_INDICATORS = [
    "iod_imd_score", "iod_health_score", "iod25_entry_to_higher_education_indicator",
    "c21_ethnicity_white_pct", "c21_household_tenure_social_rented_rents_from_council_or_lo_pct",
    "c21_household_tenure_private_rented_private_landlord_or_let_pct",
    "c21_household_overcrowding_1_overcrowded_pct", "c21_disability_disabled_under_the_equality_act_pct"]


def ward_run(conn, quiet: bool = True) -> int:
    """The latest WARD_RUN_LABEL comparator run on 2022 wards (built if there is none)."""
    from .comparator import BuildParams, build
    run = conn.execute("SELECT max(run_id) FROM comparator.run WHERE label = %s AND level = 'ward' "
                       "AND vintage = 2022", (WARD_RUN_LABEL,)).fetchone()[0]
    if run is None:
        run = build(conn, BuildParams(level="ward", vintage=2022, label=WARD_RUN_LABEL,
                                      indicators=list(WARD_RUN_INDICATORS), random_state=1),
                    quiet=quiet)["run_id"]
    return run


def more_step(conn, quiet: bool = True) -> None:
    """Demo: the London Landscape in depth (compact shipped data, carried onto 2022 wards), the catalogue
    in numbers, and Lewisham's violence against London's as a worked example of the drivers."""
    r = load_more(conn, quiet=quiet)
    print("  " + r.line())
    n, themes, ten, ahead = conn.execute("""
        SELECT count(*), count(DISTINCT theme), count(*) FILTER (WHERE observed_years >= 10),
               max(projected_years_ahead) FROM safestats.indicator_catalogue""").fetchone()
    print(f"  catalogue: {n} indicators in {themes} themes; {ten} with ten or more observed years; "
          f"projections up to {ahead} years ahead")
    run = ward_run(conn)
    worse = conn.execute("SELECT count(*) FROM safestats.area_profile('E05013725', %s) "
                         "WHERE vs_peers = 'worse than peers'", (run,)).fetchone()[0]
    print(f"  comparator run {run} on 2022 wards; Ladywell (Lewisham) is worse than its 15 most similar "
          f"wards on {worse} indicators: safestats landscape profile E05013725 --run {run}")
    c = contributions(conn, "E09000023", "mps_ward_violence_against_the_person")
    if c.rows:
        top = ", ".join(f"{row[1]} {float(row[7]):+.0f}" for row in c.rows[:3])
        print(f"  Lewisham: {float(c.rows[0][6]):+.0f} violent offences in {c.rows[0][2]} beyond London's "
              f"rate per resident; largest ward contributions: {top}")
