"""Who may see what: grants a login role one of the SafeStats group roles and, for A&E records,
approves it for data-sharing organisations (health.approval). Used by ``safestats role``; run it as
a database superuser or a role with CREATEROLE (the embedded cluster's default user is one)."""
from __future__ import annotations

import re

from psycopg import sql

from .output import Table, fetch_table
from .status import SECURITY_STATUS

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
            conn.execute("SELECT audit.record_access('role-grant', %s, NULL, "
                         "jsonb_build_object('user', %s::text))", (role, user))
            done.append(f"granted {role} to {user}")
        for org in orgs:
            added = conn.execute(
                "INSERT INTO health.approval (login_role, organisation_code, note) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING RETURNING 1", (user, org, note)).fetchone()
            if added:   # audited by the trigger on health.approval
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
            for (org,) in rows:   # audited by the trigger on health.approval
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


def logins(conn) -> Table:
    """:func:`listing` with its column names, for printing."""
    return fetch_table(conn, LIST_SQL)


def security_overview(conn) -> list[tuple[str, Table]]:
    """What the security layer has in force, and what the public would see: (title, table) pairs."""
    return [
        ("Row-level security and disclosure control in force", fetch_table(conn, SECURITY_STATUS[1])),
        ("Published A&E assaults by ward and month (open.ae_assault_ward_month)",
         fetch_table(conn, "SELECT count(*) AS published_figures, count(*) FILTER (WHERE suppressed) "
                           "AS withheld FROM open.ae_assault_ward_month")),
    ]
