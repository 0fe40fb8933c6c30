"""``safestats audit``: who read or exported sensitive data, and who changed approvals.

Two sources: SafeStats' own audit table (audit.access_log: reads through the access functions,
exports, role and approval changes) and, when the server preloads pgaudit, its object-audit lines
in the server log (every statement that read health.ae_assault, however it was written)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# log_line_prefix '%m [%p] %q%u@%d ' (safestats.cluster.audit_settings) then pgaudit's CSV-ish fields:
# AUDIT: OBJECT,statement id,substatement id,class,command,object type,object name,statement,parameter
PGAUDIT_LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+) \[(?P<pid>\d+)\] (?P<user>[^@\s]*)@(?P<db>\S*) "
    r"LOG:\s+AUDIT: (?P<kind>OBJECT|SESSION),\d+,\d+,(?P<cls>[A-Z]+),(?P<command>[^,]*),(?P<objtype>[^,]*),"
    r"(?P<object>[^,]*),(?P<statement>.*)$")


@dataclass
class ServerAuditEvent:
    at: str
    user: str
    database: str
    command: str
    object: str
    statement: str


def read_pgaudit(path: Path, database: str | None = None, user: str | None = None) -> list[ServerAuditEvent]:
    """pgaudit events in a server log file (optionally for one database / user)."""
    events = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = PGAUDIT_LINE.match(line.rstrip("\n"))
            if not m:
                continue
            if database and m["db"] != database or user and m["user"] != user:
                continue
            stmt = m["statement"]
            if stmt.endswith(",<not logged>"):
                stmt = stmt[: -len(",<not logged>")]
            events.append(ServerAuditEvent(m["at"], m["user"], m["db"], m["command"], m["object"],
                                           stmt.strip('"')))
    return events


def register(sub) -> None:
    p = sub.add_parser("audit", help="who read or exported sensitive data; approval changes",
                       description="Shows SafeStats' own audit log (audit.access_log) and, when the server "
                                   "runs pgaudit, the reads of record-level A&E data from the server log. "
                                   "Needs safestats_admin (or superuser).")
    p.add_argument("--since", help="only events at or after this date/time (e.g. 2024-05-01)")
    p.add_argument("--user", help="only this login")
    p.add_argument("--limit", type=int, default=50, help="most recent N events of each kind (default 50)")
    p.add_argument("--server-log", type=Path,
                   help="PostgreSQL log file to read pgaudit lines from (default: the embedded cluster's log)")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats.cluster import Cluster
    from safestats.commands.status import print_table
    from safestats.db import connect

    with connect() as conn, conn.cursor() as cur:
        cur.execute("""
          SELECT event_id, to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, login_role, acting_role, action,
                 object, rows_seen, detail::text AS detail
          FROM audit.access_log
          WHERE (%(since)s::timestamptz IS NULL OR at >= %(since)s::timestamptz)
            AND (%(user)s::text IS NULL OR login_role = %(user)s)
          ORDER BY event_id DESC LIMIT %(limit)s""", {"since": args.since, "user": args.user, "limit": args.limit})
        print_table("SafeStats audit log (audit.access_log)", cur)
        dbname = conn.info.dbname
        preload = conn.execute("SELECT current_setting('shared_preload_libraries')").fetchone()[0]
    log = args.server_log or (None if os.environ.get("DATABASE_URL") else Cluster().logfile)
    print("\nReads of record-level data in the server log (pgaudit)")
    if "pgaudit" not in preload:
        print("  pgaudit is not loaded on this server: only the SafeStats audit log above is kept.\n"
              "  Install postgresql-<major>-pgaudit and add it to shared_preload_libraries to audit every read.")
        return 0
    if log is None or not Path(log).exists():
        print("  the server log is not readable from here: pass --server-log PATH (e.g. on the database host)")
        return 0
    events = read_pgaudit(Path(log), database=dbname, user=args.user)[-args.limit:]
    if not events:
        print("  (none)")
    for e in reversed(events):
        print(f"  {e.at}  {e.user:<16} {e.command:<8} {e.object:<22} {e.statement[:90]}")
    return 0
