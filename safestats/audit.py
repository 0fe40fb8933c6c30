"""Who read or exported sensitive data, and who changed approvals (``safestats audit``).

Two sources: SafeStats' own audit table (audit.access_log: reads through the access functions,
exports, role and approval changes) and, when the server preloads pgaudit, its object-audit lines
in the server log (every statement that read health.ae_assault, however it was written)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import config
from .output import Table, fetch_table

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


ACCESS_LOG_SQL = """
  SELECT event_id, to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, login_role, acting_role, action,
         object, rows_seen, detail::text AS detail
  FROM audit.access_log
  WHERE (%(since)s::timestamptz IS NULL OR at >= %(since)s::timestamptz)
    AND (%(user)s::text IS NULL OR login_role = %(user)s)
  ORDER BY event_id DESC LIMIT %(limit)s"""


def access_log(conn, since: str | None = None, user: str | None = None, limit: int = 50) -> Table:
    """The most recent ``limit`` events of SafeStats' own audit log, newest first."""
    return fetch_table(conn, ACCESS_LOG_SQL, {"since": since, "user": user, "limit": limit})


def pgaudit_loaded(conn) -> bool:
    """Whether the server preloads pgaudit (so its log holds every read of record-level data)."""
    return "pgaudit" in conn.execute("SELECT current_setting('shared_preload_libraries')").fetchone()[0]


def default_server_log() -> Path | None:
    """The embedded cluster's log file; None when DATABASE_URL points elsewhere."""
    if config.env_database_url():
        return None
    from .cluster import Cluster
    return Cluster().logfile
