"""``safestats db up|down|status|url``: the embedded private PostgreSQL cluster; ``safestats db check``: the
server SafeStats uses (DATABASE_URL or the embedded one), read the way a DBA would before a big load."""
from __future__ import annotations

from safestats import config
from safestats.cluster import Cluster
from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("db", help="start, stop or inspect the embedded PostGIS cluster",
                       description="Manage the embedded private cluster (a Unix socket in its own "
                                   "directory and its own port; no TCP). Ignored parts: none; with "
                                   "DATABASE_URL set, SafeStats uses that server instead. `db check` reads "
                                   "whichever server SafeStats uses.")
    dsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, hlp in (("up", "initialise if needed, start, and create the safestats database"),
                      ("down", "stop the embedded server"),
                      ("status", "say whether it runs, where, and which database SafeStats uses"),
                      ("url", "print the connection URL of the embedded database: your personal, "
                              "non-superuser login (--owner: the superuser, for migrations)")):
        sp = dsub.add_parser(name, help=hlp, description=hlp)
        if name == "url":
            sp.add_argument("--owner", action="store_true",
                            help="the superuser's URL (migrations and loads) instead of your personal login")
        sp.set_defaults(func=run)
    hlp = ("check the server SafeStats uses (DATABASE_URL, else the embedded one) for loads: versions, "
           "the settings that matter, what SafeStats sets by itself and what this login may do; exit 1 "
           "on a problem")
    sp = dsub.add_parser("check", help=hlp, description=hlp + ". Reads only; changes nothing. "
                         "See docs/dba.md, 'Server settings'.")
    add_format_option(sp)
    sp.set_defaults(func=run_check)


def run_check(args) -> int:
    from safestats import server_check
    from safestats.db import connect
    from safestats.render import emit
    with connect() as conn:
        table = server_check.checks(conn)
        emit(table, args.format, title=f"server check: {conn.info.dbname} on {conn.info.host or 'localhost'}"
                                       f":{conn.info.port} as {conn.info.user}")
    if args.format == "table":
        # (the table shortens long cells: what to do is printed whole)
        for check, value, verdict, meaning in table.rows:
            if verdict != server_check.OK:
                print(f"\n{verdict}: {check} = {value}\n  {meaning}")
    return 1 if server_check.has_problem(table) else 0


def run(args) -> int:
    c = Cluster()
    if args.action == "up":
        created = c.init()
        started = c.start()
        made_db = c.ensure_database(config.DEFAULT_DBNAME)
        print(f"embedded PostGIS {'created and ' if created else ''}"
              f"{'started' if started else 'already running'}: {c.home} (port {c.port})"
              f"{'; database safestats created' if made_db else ''}")
        made_login = c.ensure_personal_login()
        if made_login:
            print(f"  {made_login}")
        print(f"  your URL (not a superuser): {c.user_url()}")
        print("  the superuser's, for migrations: safestats db url --owner")
    elif args.action == "down":
        print("stopped" if c.stop() else "not running")
    elif args.action == "status":
        state = "running" if c.is_running() else ("stopped" if c.initialised else "not created")
        print(f"embedded cluster: {state} at {c.home} (port {c.port})")
        if config.env_database_url():
            print("DATABASE_URL is set: SafeStats uses that server, not the embedded one.")
        return 0 if state == "running" or config.env_database_url() else 1
    elif args.action == "url":
        print(c.url() if args.owner else c.user_url())
    return 0
