"""``safestats geocode``: geocode free-text locations with safestats.geocode(), one text or a whole table.

The work is done by :mod:`safestats.geocoding.batch` (see there for how a table is geocoded in chunks).
"""
from __future__ import annotations

import sys

from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("geocode", help="geocode free-text locations (one text, or a whole table)",
                       description="Geocodes free-text incident locations with safestats.geocode(). Give "
                                   "--text for one text, or --table/--text-column for a whole table (results "
                                   "stored in gazetteer.geocode_result, and in the table's own geocode "
                                   "columns when it has them).")
    p.add_argument("--text", help="one location text to geocode (prints the answer and its explanation)")
    p.add_argument("--site", help="reporting A&E site code for --text (a prior towards nearer places)")
    p.add_argument("--candidates", type=int, default=1, help="with --text: show the top N candidates")
    p.add_argument("--table", help="schema-qualified table, e.g. health.ae_assault")
    p.add_argument("--text-column", help="column holding the location text")
    p.add_argument("--site-column", help="column holding the reporting A&E site code (optional)")
    p.add_argument("--key-column", help="primary key column (default: the table's single-column primary key)")
    p.add_argument("--all", action="store_true", help="re-geocode rows that already have a result")
    p.add_argument("--chunk", type=int, default=2000, help="rows per statement (default 2000)")
    p.add_argument("--jobs", type=int, default=2, help="parallel connections (default 2)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats.db import connect
    from safestats.geocoding import batch
    if args.text is not None and args.format != "table":
        from safestats.render import emit
        with connect() as conn:
            emit(batch.candidate_table(conn, args.text, args.site, args.candidates), args.format)
        return 0
    if args.text is not None:
        with connect() as conn:
            rows = batch.candidates(conn, args.text, args.site, args.candidates)
        for lvl, conf, rad, matched, amb, wkt, explain in rows:
            print(f"{lvl:9} confidence {conf or 0:.2f}  radius {rad or 0:,.0f} m  {matched or ''}"
                  f"{'  (ambiguous)' if amb else ''}  {wkt or ''}")
            if args.candidates == 1:
                print(f"  explain: {explain}")
        return 0
    if not args.table or not args.text_column:
        print("safestats geocode: give --text TEXT, or --table T --text-column C [--site-column S]",
              file=sys.stderr)
        return 2
    try:
        with connect() as conn:
            n = batch.geocode_table(conn, args.table, args.text_column, args.site_column, args.key_column,
                                    redo=args.all, chunk=args.chunk, jobs=args.jobs, quiet=args.quiet)
    except batch.TableError as e:
        print(f"safestats geocode: {e}", file=sys.stderr)
        return 1
    print(f"{n:,} rows geocoded from {args.table}; results in gazetteer.geocode_result")
    return 0
