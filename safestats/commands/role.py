"""``safestats role``: who may see what. Grants a login role one of the SafeStats group roles and,
for A&E records, approves it for data-sharing organisations (health.approval). Run it as a
database superuser or a role with CREATEROLE (the embedded cluster's default user is one).
The work is done by :mod:`safestats.roles`."""
from __future__ import annotations

import sys

from safestats.render import add_format_option
from safestats.roles import GROUPS, RoleError, grant, logins, revoke


def register(sub) -> None:
    p = sub.add_parser("role", help="grant, revoke and list who may see what (roles, A&E approvals)",
                       description="Group roles: admin (manages), loader (loads data), analyst (record-level "
                                   "police/fire/ambulance data and all aggregates), health (A&E records of "
                                   "approved organisations only), public (published aggregates only).")
    rsub = p.add_subparsers(dest="role_command", metavar="ACTION", required=True)
    g = rsub.add_parser("grant", help="give USER a role (creates the login if missing)",
                        description="Example: safestats role grant alice health --organisation RJZ")
    g.add_argument("user", help="login role (created, without a password, when missing)")
    g.add_argument("role", help=", ".join(GROUPS))
    g.add_argument("--organisation", action="append", default=[], metavar="CODE",
                   help="approve for A&E records of this NHS organisation (repeatable; health role only)")
    g.add_argument("--note", help="why (e.g. the data-sharing agreement reference)")
    g.set_defaults(func=run_grant)
    r = rsub.add_parser("revoke", help="take a role (or only some organisation approvals) away from USER")
    r.add_argument("user", help="login role")
    r.add_argument("role", help=", ".join(GROUPS))
    r.add_argument("--organisation", action="append", default=[], metavar="CODE",
                   help="withdraw only this organisation's approval (repeatable)")
    r.set_defaults(func=run_revoke)
    ls = rsub.add_parser("list", help="logins, their SafeStats roles and approved organisations")
    add_format_option(ls)
    ls.set_defaults(func=run_list)


def _run(fn, *a) -> int:
    from safestats.db import connect
    try:
        with connect() as conn:
            for line in fn(conn, *a):
                print(line)
    except RoleError as e:
        print(f"safestats role: {e}", file=sys.stderr)
        return 2
    return 0


def run_grant(args) -> int:
    return _run(grant, args.user, args.role, args.organisation, args.note)


def run_revoke(args) -> int:
    return _run(revoke, args.user, args.role, args.organisation)


def run_list(args) -> int:
    from safestats.db import connect
    from safestats.render import emit
    with connect() as conn:
        emit(logins(conn), args.format, "SafeStats logins")
    return 0
