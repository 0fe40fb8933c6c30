"""``safestats audit``: who read or exported sensitive data, and who changed approvals.

Two sources: SafeStats' own audit table (audit.access_log: reads through the access functions,
exports, role and approval changes) and, when the server preloads pgaudit, its object-audit lines
in the server log (every statement that read health.ae_assault, however it was written).
The reading is done by :mod:`safestats.audit`."""
from __future__ import annotations

from pathlib import Path

from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("audit", help="who read or exported sensitive data; approval changes",
                       description="Shows SafeStats' own audit log (audit.access_log) and, when the server "
                                   "runs pgaudit, the reads of record-level A&E data from the server log. "
                                   "Needs safestats_admin (or superuser).")
    p.add_argument("--since", help="only events at or after this date/time (e.g. 2024-05-01)")
    p.add_argument("--user", help="only this login")
    p.add_argument("--limit", type=int, default=50, help="most recent N events of each kind (default 50)")
    p.add_argument("--server-log", type=Path,
                   help="PostgreSQL log file to read pgaudit lines from "
                        "(default: the embedded cluster's log)")
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import audit
    from safestats.db import connect
    from safestats.output import Table
    from safestats.render import emit

    with connect() as conn:
        own = audit.access_log(conn, args.since, args.user, args.limit)
        dbname = conn.info.dbname
        pgaudit = audit.pgaudit_loaded(conn)
    log = args.server_log or audit.default_server_log()
    if args.format != "table":
        events = (audit.read_pgaudit(Path(log), database=dbname, user=args.user)[-args.limit:]
                  if pgaudit and log is not None and Path(log).exists() else [])
        rows = [(e.at, e.user, e.command, e.object, e.statement) for e in reversed(events)]
        emit([("access_log", own),
              ("pgaudit", Table(["at", "user", "command", "object", "statement"], rows))], args.format)
        return 0
    emit(own, "table", "SafeStats audit log (audit.access_log)")
    print("\nReads of record-level data in the server log (pgaudit)")
    if not pgaudit:
        print("  pgaudit is not loaded on this server: only the SafeStats audit log above is kept.\n"
              "  Install postgresql-<major>-pgaudit and add it to shared_preload_libraries "
              "to audit every read.")
        return 0
    if log is None or not Path(log).exists():
        print("  the server log is not readable from here: "
              "pass --server-log PATH (e.g. on the database host)")
        return 0
    from safestats.render import one_line, shorten
    events = audit.read_pgaudit(Path(log), database=dbname, user=args.user)[-args.limit:]
    if not events:
        print("  (none)")
    for e in reversed(events):
        print(f"  {e.at}  {e.user:<16} {e.command:<8} {e.object:<22} {shorten(one_line(e.statement), 90)}")
    return 0
