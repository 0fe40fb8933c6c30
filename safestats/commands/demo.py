"""``safestats demo``: the main job end to end on the current database (embedded by default).
The steps are in :mod:`safestats.demo`."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("demo", help="set up the database and run the main job end to end",
                       description="Starts the embedded cluster (unless DATABASE_URL is set), migrates to "
                                   "head, loads London's geography and the shipped sample data, and prints "
                                   "what an analyst would look at. Safe to run again: it changes nothing "
                                   "the second time.")
    p.add_argument("--quiet", action="store_true", help="less progress output")
    p.add_argument("--no-user-config", action="store_true",
                   help="leave ~/.pg_service.conf and the QGIS profile untouched (no service entry or saved "
                        "QGIS connection; the project then connects with the database URL)")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import demo
    demo.run(quiet=args.quiet, user_config=not args.no_user_config)
    return 0
