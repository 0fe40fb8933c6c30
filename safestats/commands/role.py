"""``safestats role``: who may see what. Grants a login role one of the SafeStats group roles and,
for A&E records, approves it for data-sharing organisations (health.approval). Run it as a
database superuser or a role with CREATEROLE (the embedded cluster's default user is one)."""
from __future__ import annotations

import re
import sys

from psycopg import sql

from safestats.commands.status import SECURITY_STATUS

GROUPS = {
    "admin": "safestats_admin", "loader": "safestats_loader", "analyst": "safestats_analyst",
    "health": "safestats_health", "public": "safestats_public",
}
ORGANISATION_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_.@-]{0,62}$")


LIST_SQL = """
      SELECT u.rolname AS login,
             string_agg(DISTINCT g.rolname, ', ' ORDER BY g.rolname) AS roles,
             coalesce((SELECT string_agg(a.organisation_code, ', ' ORDER BY a.organisation_code)
                       FROM health.approval a WHERE a.login_role = u.rolname), '') AS organisations
      FROM pg_roles u
      JOIN pg_auth_members m ON m.member = u.oid
      JOIN pg_roles g ON g.oid = m.roleid AND g.rolname LIKE 'safestats\\_%'
      WHERE u.rolcanlogin
      GROUP BY u.rolname ORDER BY u.rolname"""


class RoleError(ValueError):
    pass


def group_role(name: str) -> str:
    """``health`` or ``safestats_health`` -> ``safestats_health``; anything else is refused."""
    full = GROUPS.get(name, name)
    if full not in GROUPS.values():
        raise RoleError(f"unknown role {name!r}: use one of {', '.join(GROUPS)} (or their safestats_ names)")
    return full


def check_user(user: str) -> str:
    if not LOGIN_NAME.match(user):
        raise RoleError(f"user name {user!r} is not allowed: lower-case letters, digits and _ . @ - only, "
                        "starting with a letter")
    if user.startswith("safestats_") or user in ("postgres", "public"):
        raise RoleError(f"{user!r} is a reserved name, not a person's login")
    return user


def check_organisation(code: str) -> str:
    code = code.strip().upper()
    if not ORGANISATION_CODE.match(code):
        raise RoleError(f"organisation code {code!r} does not look like an NHS ODS organisation code "
                        "(3 to 6 letters or digits, e.g. RJZ)")
    return code


def grant(conn, user: str, role: str, organisations=(), note: str | None = None) -> list[str]:
    """Make ``user`` a member of group ``role`` (creating the login if needed) and approve it for
    ``organisations``. One transaction; every change is written to the audit log. Returns what it did."""
    user, role = check_user(user), group_role(role)
    orgs = [check_organisation(o) for o in organisations]
    if orgs and role != "safestats_health":
        raise RoleError("--organisation approves A&E records: it goes with the health role only")
    done = []
    with conn.transaction():
        exists = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(user)))
            done.append(f"created login {user} (no password yet: ALTER ROLE {user} PASSWORD ... or use your "
                        "server's authentication)")
        elif not exists[0]:
            raise RoleError(f"{user!r} exists but cannot log in (it is a group role)")
        member = conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (user, role)).fetchone()[0]
        if not member:
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), sql.Identifier(user)))
            conn.execute("SELECT audit.record_access('role-grant', %s, NULL, jsonb_build_object('user', %s::text))",
                         (role, user))
            done.append(f"granted {role} to {user}")
        for org in orgs:
            added = conn.execute(
                "INSERT INTO health.approval (login_role, organisation_code, note) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING RETURNING 1", (user, org, note)).fetchone()
            if added:
                conn.execute("SELECT audit.record_access('approval-grant', 'health.ae_assault', NULL, "
                             "jsonb_build_object('user', %s::text, 'organisation', %s::text))", (user, org))
                done.append(f"approved {user} for A&E records of organisation {org}")
    return done or ["nothing to do: already granted"]


def revoke(conn, user: str, role: str, organisations=()) -> list[str]:
    """With organisations: withdraw those approvals only. Without: take ``user`` out of ``role``
    (and, for the health role, withdraw all its approvals)."""
    user, role = check_user(user), group_role(role)
    orgs = [check_organisation(o) for o in organisations]
    done = []
    with conn.transaction():
        if orgs or role == "safestats_health":
            rows = conn.execute(
                "DELETE FROM health.approval WHERE login_role = %s AND (%s::text[] IS NULL "
                "OR organisation_code = ANY(%s::text[])) RETURNING organisation_code",
                (user, orgs or None, orgs or None)).fetchall()
            for (org,) in rows:
                conn.execute("SELECT audit.record_access('approval-revoke', 'health.ae_assault', NULL, "
                             "jsonb_build_object('user', %s::text, 'organisation', %s::text))", (user, org))
                done.append(f"withdrew approval of {user} for organisation {org}")
        if not orgs:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
            if exists and conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                    "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = %s AND u.rolname = %s)",
                    (role, user)).fetchone()[0]:
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(role), sql.Identifier(user)))
                conn.execute("SELECT audit.record_access('role-revoke', %s, NULL, "
                             "jsonb_build_object('user', %s::text))", (role, user))
                done.append(f"revoked {role} from {user}")
    return done or ["nothing to do: not granted"]


def listing(conn) -> list[tuple]:
    """(login, group roles, approved organisations) for every login that holds a SafeStats role."""
    return conn.execute(LIST_SQL).fetchall()


def register(sub) -> None:
    p = sub.add_parser("role", help="grant, revoke and list who may see what (roles, A&E approvals)",
                       description="Group roles: admin (manages), loader (loads data), analyst (record-level "
                                   "police/fire/ambulance data and all aggregates), health (A&E records of "
                                   "approved organisations only), public (published aggregates only).")
    rsub = p.add_subparsers(dest="role_command", metavar="ACTION", required=True)
    g = rsub.add_parser("grant", help="give USER a role (creates the login if missing)",
                        description="Example: safestats role grant alice health --organisation RJZ")
    g.add_argument("user")
    g.add_argument("role", help=", ".join(GROUPS))
    g.add_argument("--organisation", action="append", default=[], metavar="CODE",
                   help="approve for A&E records of this NHS organisation (repeatable; health role only)")
    g.add_argument("--note", help="why (e.g. the data-sharing agreement reference)")
    g.set_defaults(func=run_grant)
    r = rsub.add_parser("revoke", help="take a role (or only some organisation approvals) away from USER")
    r.add_argument("user")
    r.add_argument("role", help=", ".join(GROUPS))
    r.add_argument("--organisation", action="append", default=[], metavar="CODE",
                   help="withdraw only this organisation's approval (repeatable)")
    r.set_defaults(func=run_revoke)
    ls = rsub.add_parser("list", help="logins, their SafeStats roles and approved organisations")
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
    from safestats.commands.status import print_table
    from safestats.db import connect
    with connect() as conn, conn.cursor() as cur:
        cur.execute(LIST_SQL)
        print_table("SafeStats logins", cur)
    return 0


# ---- demo step and status section ---------------------------------------------------------------


def demo_step(conn, args) -> None:
    """What the security layer has in force, and what the public would see."""
    with conn.cursor() as cur:
        cur.execute(SECURITY_STATUS[1])
        from safestats.commands.status import print_table
        print_table("Row-level security and disclosure control in force", cur)
        cur.execute("SELECT count(*) AS published_figures, count(*) FILTER (WHERE suppressed) AS withheld "
                    "FROM open.ae_assault_ward_month")
        print_table("Published A&E assaults by ward and month (open.ae_assault_ward_month)", cur)
