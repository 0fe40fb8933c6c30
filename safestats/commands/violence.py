"""``safestats violence hotspots|profile|venues|gap``: violence analysis (safestats.violence does the
work; docs/analysis.md explains the methods)."""
from __future__ import annotations

import sys


def _period(p) -> None:
    p.add_argument("--from", dest="start", help="first day YYYY-MM-DD (default: first day with records)")
    p.add_argument("--to", dest="end", help="last day YYYY-MM-DD (default: last day with records)")


def _boroughs(p) -> None:
    p.add_argument("--borough", action="append", dest="boroughs", metavar="E09...",
                   help="limit to a borough (repeatable; default all of London)")


def register(sub) -> None:
    p = sub.add_parser("violence", help="violence hotspots, time profiles, venues, police data gap",
                       description="Violence analysis in the database: Getis-Ord Gi* hotspots with false "
                                   "discovery rate control, A&E/ambulance time profiles, venue rankings and "
                                   "A&E against police-recorded violence. See docs/analysis.md.")
    vsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    h = vsub.add_parser("hotspots", help="hot and cold spots (grid or areas)",
                        description="Counts per grid cell (or LSOA/ward), Gi* with the cell itself and its "
                                    "neighbours, two-sided p, Benjamini-Hochberg q; hot/cold where q <= FDR.")
    h.add_argument("source", choices=["street-crime", "ae-assault", "las-assault", "lfb-incident"])
    _period(h)
    h.add_argument("--category", help="crime type / location type / category / incident group")
    h.add_argument("--cell", type=float, default=250, help="grid cell size in metres (default 250)")
    h.add_argument("--level", choices=["grid", "lsoa", "ward"], default="grid",
                   help="grid (default), lsoa (2021) or ward (2022)")
    h.add_argument("--band", type=float, default=1.5,
                   help="neighbourhood radius in cell widths, centre to centre (default 1.5 = queen)")
    h.add_argument("--fdr", type=float, default=0.05, help="false discovery rate (default 0.05)")
    h.add_argument("--large-radius", choices=["spread", "exclude"], default="spread",
                   help="A&E records whose geocoding radius exceeds the cell: spread over the cells "
                        "their circle covers (default) or exclude")
    h.add_argument("--top", type=int, default=15, help="rows to print (default 15)")
    _boroughs(h)
    h.set_defaults(func=run_hotspots)

    pr = vsub.add_parser("profile", help="hour x day of week, month, night-time share, two-period change",
                         description="Time profiles of ae-assault / las-assault (hour of week, month, "
                                     "night-time-economy share) or street-crime / lfb-incident (month).")
    pr.add_argument("source", choices=["street-crime", "ae-assault", "las-assault", "lfb-incident"])
    _period(pr)
    pr.add_argument("--category")
    pr.add_argument("--compare", nargs=2, metavar=("FROM", "TO"),
                    help="a second period: rate ratio (this one over --from/--to) with a 95%% interval")
    _boroughs(pr)
    pr.set_defaults(func=run_profile)

    v = vsub.add_parser("venues", help="venues ranked by A&E assaults geocoded to them",
                        description="Distinct A&E assault records whose location was geocoded to a venue "
                                    "(pub, bar, nightclub, takeaway, station, ...), ranked; and by venue "
                                    "type and area. Record-level: row-level security applies.")
    _period(v)
    v.add_argument("--type", dest="venue_type", help="venue type, e.g. 'pub, bar or nightclub'")
    v.add_argument("--by", choices=["venue", "borough", "ward", "london"], default="venue",
                   help="rank venues (default) or count by venue type and area")
    v.add_argument("--top", type=int, default=20)
    _boroughs(v)
    v.set_defaults(func=run_venues)

    g = vsub.add_parser("gap", help="A&E assaults against police-recorded violence",
                        description="Per borough or ward (optionally month): A&E assaults, police-recorded "
                                    "violence, ratio with a 95%% interval; highest ratio first.")
    _period(g)
    g.add_argument("--level", choices=["borough", "ward"], default="borough")
    g.add_argument("--police", choices=["police-uk", "mps-ward"], default="police-uk")
    g.add_argument("--by-month", action="store_true")
    g.add_argument("--top", type=int, default=20)
    g.set_defaults(func=run_gap)


def _resolve_period(conn, args, source: str):
    from safestats import violence
    if args.start and args.end:
        return args.start, args.end
    loaded = violence.data_period(conn, source)
    if not loaded:
        return None
    return args.start or loaded[0], args.end or loaded[1]


def _fail(e) -> int:
    print(f"safestats: {str(e).splitlines()[0]}", file=sys.stderr)
    return 2


def run_hotspots(args) -> int:
    import psycopg

    from safestats import violence
    from safestats.db import connect
    from safestats.output import Table, print_table
    with connect() as conn:
        period = _resolve_period(conn, args, args.source)
        if not period:
            print(f"no {args.source} records loaded")
            return 0
        try:
            if args.level == "grid":
                r = violence.hotspots(conn, args.source, *period, cell_m=args.cell, category=args.category,
                                      large_radius=args.large_radius, band_cells=args.band, fdr=args.fdr,
                                      boroughs=args.boroughs)
                cols = [0, 1, 2, 5, 6, 7, 8, 12]
            else:
                r = violence.area_hotspots(conn, args.source, *period, level=args.level,
                                           category=args.category, fdr=args.fdr, boroughs=args.boroughs)
                cols = [0, 1, 2, 5, 6, 7, 8]
        except (psycopg.errors.InvalidParameterValue, psycopg.errors.ObjectNotInPrerequisiteState) as e:
            return _fail(e)
    c = r.counts()
    unit = f"{args.cell:g} m cells" if args.level == "grid" else f"{args.level}s"
    print(f"{args.source} {period[0]} .. {period[1]}: {c['cells']} {unit}, {c['hot']} hot and "
          f"{c['cold']} cold at false discovery rate {args.fdr:g}")
    if args.level == "grid":
        print(f"records: {r.used} used whole, {r.spread} spread over cells, {r.excluded} excluded")
    else:
        print(f"records without an area: {r.unplaced}")
    t = Table([r.table.columns[i] for i in cols],
              [tuple(row[i] for i in cols) for row in r.table.rows[:args.top]])
    print_table("Hottest first", violence.rounded(t, 4))
    return 0


def run_profile(args) -> int:
    import psycopg

    from safestats import violence
    from safestats.db import connect
    from safestats.output import print_table
    with connect() as conn:
        period = _resolve_period(conn, args, args.source)
        if not period:
            print(f"no {args.source} records loaded")
            return 0
        try:
            if args.source in ("ae-assault", "las-assault"):
                hw = violence.hour_week(conn, args.source, *period, args.category, args.boroughs)
                print(f"{args.source} by hour of week, {period[0]} .. {period[1]} (London time; "
                      "* = night-time economy, Thu-Sat 20:00-05:59)")
                for line in violence.hour_week_grid(hw):
                    print(line)
                s = violence.nte_share(conn, args.source, *period, args.category, args.boroughs).rows[0]
                if s[0]:
                    print(f"night-time-economy share: {s[1]} of {s[0]} = {s[2]:.1%} (95% CI {s[3]:.1%} .. "
                          f"{s[4]:.1%}; {s[5]:.1%} of the week's hours)")
            print_table("By month", violence.by_month(conn, args.source, *period, args.category,
                                                      args.boroughs))
            if args.compare:
                print_table("Change: second period over first, per day", violence.rounded(violence.compare(
                    conn, args.source, period, tuple(args.compare), args.category, args.boroughs)))
        except (psycopg.errors.InvalidParameterValue, ValueError) as e:
            return _fail(e)
    return 0


def run_venues(args) -> int:
    import psycopg

    from safestats import violence
    from safestats.db import connect
    from safestats.output import print_table
    with connect() as conn:
        period = _resolve_period(conn, args, "ae-assault")
        if not period:
            print("no A&E records loaded (or none you may see)")
            return 0
        try:
            if args.by == "venue":
                t = violence.venues(conn, *period, args.venue_type, args.boroughs, args.top)
                title = f"Venues by A&E assaults geocoded to them, {period[0]} .. {period[1]}"
            else:
                t = violence.venue_types(conn, *period, args.by)
                t.rows = t.rows[:args.top]
                title = f"A&E assaults at venues by type and {args.by}, {period[0]} .. {period[1]}"
        except psycopg.errors.InsufficientPrivilege as e:
            return _fail(e)
    print_table(title, violence.rounded(t, 2))
    return 0


def run_gap(args) -> int:
    import psycopg

    from safestats import violence
    from safestats.db import connect
    from safestats.output import print_table
    with connect() as conn:
        period = _resolve_period(conn, args, "ae-assault")
        if not period:
            print("no A&E records loaded (or none you may see)")
            return 0
        try:
            t = violence.police_gap(conn, *period, args.level, args.police, args.by_month)
        except (psycopg.errors.InvalidParameterValue, psycopg.errors.InsufficientPrivilege) as e:
            return _fail(e)
    t.rows = t.rows[:args.top]
    print_table(f"A&E assaults against police-recorded violence ({args.police}), {period[0]} .. {period[1]}, "
                "highest ratio first", violence.rounded(t, 3))
    return 0
