"""``safestats landscape ...``: indicator catalogue, values, boundary changes, crime rates."""
from __future__ import annotations

from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("landscape",
                       help="London Landscape indicators: list, move across boundaries, crime rates",
                       description="Work with the London Landscape indicator store (load files with "
                                   "`safestats load ward-profiles|ward-atlas-2013|ptal-wards|lsoa-population|"
                                   "indicators|mopac-survey|neighbourhood-wards FILE`).")
    lsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sp = lsub.add_parser("list", help="the indicator catalogue (optionally one theme)",
                         description="Lists indicators with theme, unit, direction, level/vintage and "
                                     "periods.")
    sp.add_argument("--theme", help="only this theme, in any case (e.g. crime, 'public confidence')")
    add_format_option(sp)
    sp.set_defaults(func=run_list)
    sp = lsub.add_parser("neighbourhoods", help="aggregate ward indicators to MPS neighbourhoods",
                         description="Moves every published ward indicator (2011 wards: the GLA ward "
                                     "profiles) to the neighbourhoods of a survey edition through the "
                                     "committed neighbourhood -> ward mapping: counts summed, rates and "
                                     "shares weighted by ward population. Needs the neighbourhood-wards "
                                     "load.")
    sp.add_argument("--edition", type=int, default=2016, help="survey edition (default 2016)")
    sp.add_argument("--ward-vintage", type=int, default=2011,
                    help="ward vintage of the indicators moved (default 2011, the GLA ward profiles)")
    sp.set_defaults(func=run_neighbourhoods)
    sp = lsub.add_parser("move", help="move an indicator to another area set / boundary vintage",
                         description="Counts are apportioned (totals conserved); rates and shares become "
                                     "weighted means. The method is recorded on every derived value.")
    sp.add_argument("indicator", help="indicator code (see `landscape list`)")
    sp.add_argument("from_level", help="level it is held at: ward, lsoa, msoa, borough, neighbourhood")
    sp.add_argument("from_vintage", type=int, help="boundary vintage it is held at, e.g. 2014")
    sp.add_argument("to_level", help="level to move it to")
    sp.add_argument("to_vintage", type=int, help="boundary vintage to move it to, e.g. 2022")
    sp.add_argument("--lookup", choices=["population-weighted", "area-weighted", "best-fit", "attribute"],
                    help="lookup to use (default: population-weighted if built, else area-weighted, ...)")
    sp.add_argument("--size-indicator", help="weights for means (e.g. wp_population)")
    sp.add_argument("--population-lookup", action="store_true",
                    help="first build a population-weighted lookup from LSOA population")
    sp.set_defaults(func=run_move)
    sp = lsub.add_parser("crime-rates",
                         help="crime counts from the crime loaders -> rates per 1,000 residents",
                         description="Runs safestats_internal.build_crime_rate_indicators(): needs "
                                     "lsoa-population and crime.mps_lsoa_year and/or crime.mps_ward_month "
                                     "(each skipped if absent).")
    sp.set_defaults(func=run_crime_rates)
    # London Landscape in depth (issue 17): profile, trend, drivers, catalogue.
    from safestats.landscape import register_depth_actions
    register_depth_actions(lsub)


def run_list(args) -> int:
    from safestats import landscape
    from safestats.db import connect
    from safestats.render import emit
    with connect() as conn:
        emit(landscape.indicators(conn, args.theme), args.format, "Indicators")
    return 0


def run_neighbourhoods(args) -> int:
    from safestats.db import connect
    from safestats.landscape import aggregate_to_neighbourhoods
    with connect() as conn:
        k, n = aggregate_to_neighbourhoods(conn, args.edition, args.ward_vintage)
    print(f"{k} indicators moved from ward {args.ward_vintage} to neighbourhoods {args.edition}: {n:,} "
          f"values")
    return 0 if k else 1


def run_move(args) -> int:
    from safestats import landscape
    from safestats.db import connect
    with connect() as conn:
        if args.population_lookup:
            m = landscape.build_population_lookup(conn, args.from_level, args.from_vintage, args.to_level,
                                                  args.to_vintage)
            print(f"population-weighted lookup: {m} rows")
        n = landscape.move_indicator(conn, args.indicator, args.from_level, args.from_vintage, args.to_level,
                                     args.to_vintage, args.lookup, args.size_indicator)
    print(f"{n:,} derived values of {args.indicator} at {args.to_level} {args.to_vintage}")
    return 0


def run_crime_rates(args) -> int:
    from safestats import landscape
    from safestats.db import connect
    with connect() as conn:
        n = landscape.build_crime_rates(conn, lambda note: print(f"note: {note}"))
    print(f"{n:,} crime-rate values written")
    return 0
