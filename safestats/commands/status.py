"""``safestats status``: what is in the database and how it got there (sections in safestats.status)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("status", help="rows per source, last loads, gaps, unfinished loads",
                       description="Summarises the database: reference geography, the last load of each "
                                   "source, monthly coverage and gaps, and loads that did not finish.")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import status
    from safestats.db import connect
    with connect() as conn:
        status.print_status(conn)
    return 0
