"""``safestats reference``: load London's boundaries, lookups and derived 2022 wards."""
from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("reference", help="load London's reference geography (boundaries and lookups)",
                       description="Loads boroughs, wards 2014/2018, LSOA 2011/2021, MSOA 2021, the ONS "
                                   "LSOA21→ward best-fit lookup (deriving approximate 2022 wards) and "
                                   "area-weighted lookups between vintages. Idempotent.")
    p.add_argument("--data-dir", type=Path, help="directory with the boundary files "
                   "(default: the shipped data/boundaries)")
    p.add_argument("--force", action="store_true", help="reload files already loaded")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats.db import connect
    from safestats.reference import load_reference
    with connect() as conn:
        for r in load_reference(conn, args.data_dir, args.quiet, args.force):
            print(r.line())
    return 0
