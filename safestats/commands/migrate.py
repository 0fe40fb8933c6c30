"""``safestats migrate``: Alembic upgrade (or downgrade), then install db/functions."""
from __future__ import annotations

from safestats import db


def register(sub) -> None:
    p = sub.add_parser("migrate", help="upgrade the schema to head and (re)install SQL functions",
                       description="Runs `alembic upgrade` to the target revision as the owner role, then "
                                   "re-creates every function and view from db/functions.")
    p.add_argument("--revision", default="head", help="target revision (default: head)")
    p.add_argument("--downgrade", metavar="REV", help="downgrade to REV instead (e.g. base)")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.downgrade:
        db.downgrade(revision=args.downgrade)
        print(f"downgraded to {args.downgrade}")
        return 0
    db.upgrade(revision=args.revision)
    print(f"database at revision {db.current_revision()}; functions installed")
    return 0
