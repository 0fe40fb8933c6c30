"""``safestats status``: what is in the database and how it got there (sections in safestats.status)."""
from __future__ import annotations

from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("status", help="rows per source, last loads, gaps, unfinished loads",
                       description="Summarises the database: reference geography, the last successful load "
                                   "of each source (read = loaded + skipped + rejected, with the reasons for "
                                   "skipped rows), refused and unfinished loads, monthly coverage and gaps.")
    p.add_argument("--section", action="append", metavar="NAME",
                   help="only this section, by its title or key in any case, e.g. 'last loads' or "
                        "last_successful_load_of_each_source (repeatable; default: all)")
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import status
    from safestats.db import connect
    from safestats.render import emit
    chosen = status.choose_sections(args.section) if args.section else None
    with connect() as conn:
        emit(status.sections(conn, chosen), args.format)
    return 0
