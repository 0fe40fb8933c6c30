"""``safestats demo``: the main job end to end on the current database (embedded by default)."""
from __future__ import annotations

import os
import time

# The main job after the reference geography, in order: (title, "module:function"); each function
# takes (conn, args). The gazetteer comes before the sources so A&E records are geocoded on load.
STEPS: list[tuple[str, str]] = [
    ("Gazetteer and geocoding of sample A&E location texts", "safestats.commands.geocode:demo_step"),
    ("Sample crime and incident sources (police.uk, MPS, A&E, LFB, LAS)", "safestats.demo_loaders:step"),
    ("London Landscape + Neighbourhood Comparator: confidence against similar neighbourhoods",
     "safestats.landscape:demo_step"),
    ("Security: roles, row-level security, published aggregates", "safestats.commands.role:demo_step"),
    ("Registering the database for QGIS (service, connection, ready-made project)",
     "safestats.qgis_setup:register_demo"),
]


def _resolve(target: str):
    import importlib
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)



def register(sub) -> None:
    p = sub.add_parser("demo", help="set up the database and run the main job end to end",
                       description="Starts the embedded cluster (unless DATABASE_URL is set), migrates to "
                                   "head, loads London's geography and the shipped sample data, and prints "
                                   "what an analyst would look at. Safe to run again: it changes nothing "
                                   "the second time.")
    p.add_argument("--quiet", action="store_true", help="less progress output")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import db
    from safestats.cluster import Cluster
    from safestats.commands import status
    from safestats.reference import load_reference

    t0 = time.monotonic()
    if not os.environ.get("DATABASE_URL"):
        c = Cluster()
        c.init()
        c.start()
        c.ensure_database()
        print(f"== embedded PostGIS running at {c.home} (port {c.port})")
    print("== migrating to head and installing SQL functions")
    db.upgrade()
    with db.connect() as conn:
        print("== London reference geography")
        for r in load_reference(conn, quiet=args.quiet):
            print("  " + r.line())
        for title, target in STEPS:
            print(f"== {title}")
            _resolve(target)(conn, args)
        with conn.cursor() as cur:
            for title, query in status.SECTIONS:
                cur.execute(query)
                status.print_table(title, cur)
    print(f"\n== demo finished in {time.monotonic() - t0:.0f} s. Connect with: psql \"{db.database_url()}\"")
    return 0
