"""The embedded default database: a private PostgreSQL cluster on a Unix socket of its own.

It listens on no TCP address, only on a socket inside its own directory with its own port
number, so it never clashes with another server on the machine.

Private by default (docs/security.md, "The embedded default"): the socket directory is 0700 and owned
by the server's user; ``pg_hba.conf`` has one line, ``local all all peer map=safestats``, and
``pg_ident.conf`` maps the OS user who runs SafeStats to two logins only: the superuser ``postgres``
(migrations and loads: ``safestats db url --owner``) and a personal, non-superuser login in
``safestats_analyst`` (``safestats db url``, the pg_service entry and the QGIS connection). No other OS
user can connect, and nothing listens on TCP. Throwaway test clusters use ``local_auth="trust"``.
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from . import config


class ClusterError(RuntimeError):
    pass


def postgres_bindir() -> Path:
    """The newest installed PostgreSQL server's bin directory (Debian layout), or pg_config's."""
    root = Path("/usr/lib/postgresql")
    majors = sorted((int(p.name) for p in root.iterdir() if p.name.isdigit()
                     and (p / "bin" / "initdb").exists()), reverse=True) if root.exists() else []
    if majors:
        return root / str(majors[0]) / "bin"
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (bindir / "initdb").exists():
            return bindir
    raise ClusterError("No PostgreSQL server found. Run `make setup` (installs postgresql and "
                       "postgis from Debian) or set DATABASE_URL to an existing server.")


def pgaudit_available() -> bool:
    """True when the pgaudit library for this server's major version is installed
    (Debian ``postgresql-<major>-pgaudit``)."""
    try:
        return (postgres_bindir().parent / "lib" / "pgaudit.so").exists()
    except ClusterError:
        return False


def audit_settings() -> dict[str, str]:
    """Server settings for auditing reads of sensitive tables (docs/security.md).

    pgaudit must be preloaded; which tables it audits is set per database by revision 0006
    (``pgaudit.role`` = safestats_auditor, also set cluster-wide here). The log line prefix names user
    and database, which pgaudit's own lines do not. Without pgaudit, SafeStats' own audit table is all
    there is.
    """
    conf = {"log_line_prefix": "'%m [%p] %q%u@%d '"}
    if pgaudit_available():
        conf["shared_preload_libraries"] = "'pgaudit'"
        # Also set per database by revision 0006; here too because databases copied from a
        # template (CREATE DATABASE ... TEMPLATE) do not inherit per-database settings.
        conf["pgaudit.role"] = "'safestats_auditor'"
    return conf


IDENT_MAP = "safestats"
SUPERUSER = "postgres"


def os_user() -> str:
    """The OS user running SafeStats (who peer authentication sees on the socket)."""
    return getpass.getuser()


def personal_login(user: str | None = None) -> str:
    """The database login of OS user ``user``: its name, lower-cased, letters/digits/_ only (a name
    PostgreSQL reserves, or the superuser's, gets ``_analyst`` appended)."""
    name = re.sub(r"[^a-z0-9_]", "_", (user or os_user()).lower()) or "analyst"
    if name[0].isdigit() or name == SUPERUSER or name.startswith(("pg_", "safestats_")) or name == "public":
        name = f"{name}_analyst"
    return name


class Cluster:
    """A private cluster: ``home/pgdata`` (data), ``home/run`` (socket), ``home/postgres.log``.

    ``local_auth="peer"`` (the default) makes it private as described above; ``"trust"`` lets any
    local connection in as anyone and is for throwaway test clusters only (tests/conftest.py)."""

    def __init__(self, home: Path | None = None, port: int | None = None,
                 settings: dict[str, str] | None = None, tuned: bool = True, autovacuum: bool = True,
                 local_auth: str = "peer"):
        if local_auth not in ("peer", "trust"):
            raise ValueError("local_auth is 'peer' (private) or 'trust' (throwaway test clusters)")
        self.home = Path(home) if home else config.embedded_home()
        self.port = port or config.embedded_port()
        self.datadir = self.home / "pgdata"
        self.socketdir = self.home / "run"
        self.logfile = self.home / "postgres.log"
        self.settings = settings or {}
        self.local_auth = local_auth
        self.login = personal_login()
        # tuned=False: PostgreSQL's stock settings with wal_level = replica, as on a DBA's replicated
        # server (the benchmarks' second cluster, bench/bench_servers.py); autovacuum=False: nothing
        # analyses a table behind the loaders' backs (tests/loaders/test_load_statistics.py).
        self.tuned = tuned
        self.autovacuum = autovacuum

    # -- plumbing -------------------------------------------------------------------------
    def _as_server_user(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        if config.running_as_root():
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, capture_output=True, text=True, **kw)

    def _bin(self, name: str) -> str:
        return str(postgres_bindir() / name)

    def _prepare_dirs(self) -> None:
        for d in (self.home, self.socketdir):
            d.mkdir(parents=True, exist_ok=True)
        if config.running_as_root():
            if self.local_auth == "peer":
                os.chmod(self.home, 0o755)     # so the check below sees the path, not our own lock
            if not config.postgres_can_reach(self.home):
                raise ClusterError(
                    f"The postgres user cannot reach {self.home}. Set SAFESTATS_HOME to a "
                    "directory it can enter (e.g. /var/lib/safestats/mine).")
            shutil.chown(self.home, "postgres", "postgres")
            shutil.chown(self.socketdir, "postgres", "postgres")
            if self.datadir.exists():
                shutil.chown(self.datadir, "postgres", "postgres")
        if self.local_auth == "peer":
            # only the server's user (and root) may enter: the socket is unreachable to anyone else
            os.chmod(self.home, 0o700)
            os.chmod(self.socketdir, 0o700)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def init(self) -> bool:
        """Create the cluster if it does not exist. Returns True when it was created now."""
        if self.initialised:
            return False
        self._prepare_dirs()
        auth = (["--auth=trust"] if self.local_auth == "trust"
                else ["--auth-local=peer", "--auth-host=reject"])
        r = self._as_server_user([self._bin("initdb"), "-D", str(self.datadir), f"--username={SUPERUSER}",
                                  *auth, "--encoding=UTF8", "--locale=C.UTF-8"])
        if r.returncode != 0:
            raise ClusterError(f"initdb failed:\n{r.stdout}\n{r.stderr}")
        conf = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.socketdir}'",
            "port": str(self.port),
            "max_connections": "50",
        }
        tuning = {
            "shared_buffers": "'256MB'",
            "work_mem": "'32MB'",
            "maintenance_work_mem": "'256MB'",
            "max_wal_size": "'2GB'",
            # A private server with no replicas: tables a load creates and fills in one transaction
            # (rebuilt partitions, loaders/partitions.py) then skip the WAL and are synced at commit.
            "wal_level": "minimal",
            "max_wal_senders": "0",
        }
        conf.update(tuning if self.tuned else {"wal_level": "replica"})
        if not self.autovacuum:
            conf["autovacuum"] = "off"
        conf.update(audit_settings())
        conf.update(self.settings)
        with open(self.datadir / "postgresql.auto.conf", "a") as f:
            f.write("# written by safestats.cluster\n")
            for k, v in conf.items():
                f.write(f"{k} = {v}\n")
        self.write_auth()
        return True

    # -- who may connect -------------------------------------------------------------------
    def hba_lines(self) -> list[str]:
        if self.local_auth == "trust":
            return ["local all all trust"]
        # Unix socket only (no host lines: even a changed listen_addresses admits no TCP connection)
        return [f"local all all peer map={IDENT_MAP}"]

    def ident_lines(self) -> list[str]:
        me = os_user()
        lines = [f"{IDENT_MAP} {me} {SUPERUSER}", f"{IDENT_MAP} {me} {self.login}"]
        if config.running_as_root():
            lines.append(f"{IDENT_MAP} postgres {SUPERUSER}")   # the server's own OS user
        return lines

    def write_auth(self) -> bool:
        """Write pg_hba.conf / pg_ident.conf for this mode. True when they changed (reload needed)."""
        files = {
            self.datadir / "pg_hba.conf": "# written by safestats.cluster: " + (
                "throwaway test cluster, any local user\n" if self.local_auth == "trust" else
                "private: the Unix socket only, peer authentication through pg_ident.conf\n")
            + "\n".join(self.hba_lines()) + "\n",
            self.datadir / "pg_ident.conf": "# written by safestats.cluster: OS user -> database logins\n"
            + "\n".join(self.ident_lines()) + "\n",
        }
        changed = False
        for path, text in files.items():
            if path.exists() and path.read_text() == text:
                continue
            path.write_text(text)
            os.chmod(path, 0o600)
            if config.running_as_root():
                shutil.chown(path, "postgres", "postgres")
            changed = True
        return changed

    def is_running(self) -> bool:
        if not self.initialised:
            return False
        r = self._as_server_user([self._bin("pg_ctl"), "-D", str(self.datadir), "status"])
        return r.returncode == 0

    def start(self) -> bool:
        """Start the server (initialising it first if needed). True when it was started now."""
        self.init()
        # An older cluster (trust everywhere) becomes private on its next start.
        auth_changed = self.write_auth()
        if self.is_running():
            self._prepare_dirs()
            if auth_changed:
                self._as_server_user([self._bin("pg_ctl"), "-D", str(self.datadir), "reload"])
            return False
        self._prepare_dirs()
        r = self._as_server_user([self._bin("pg_ctl"), "-D", str(self.datadir), "-l", str(self.logfile),
                                  "-w", "-t", "60", "start"])
        if r.returncode != 0:
            tail = self.logfile.read_text()[-2000:] if self.logfile.exists() else ""
            raise ClusterError(f"The embedded server did not start:\n{r.stdout}{r.stderr}\n{tail}")
        return True

    def stop(self) -> bool:
        if not self.is_running():
            return False
        r = self._as_server_user([self._bin("pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"])
        if r.returncode != 0:
            raise ClusterError(f"pg_ctl stop failed: {r.stderr}")
        return True

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    # -- connecting ----------------------------------------------------------------------
    def url(self, dbname: str = config.DEFAULT_DBNAME) -> str:
        """The superuser's URL: the explicit owner path (migrations, loads, ``db url --owner``)."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socketdir}&port={self.port}"

    def user_url(self, dbname: str = config.DEFAULT_DBNAME) -> str:
        """The personal, non-superuser login's URL (``db url``, the service entry, QGIS)."""
        if self.local_auth == "trust":
            return self.url(dbname)
        return f"postgresql://{self.login}@/{dbname}?host={self.socketdir}&port={self.port}"

    def ensure_personal_login(self, dbname: str = config.DEFAULT_DBNAME) -> str | None:
        """Create the OS user's personal login (LOGIN, not superuser, member of safestats_analyst) once
        the SafeStats roles exist. Returns what it did, or None when nothing was needed."""
        import psycopg
        from psycopg import sql
        if self.local_auth == "trust":
            return None
        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'safestats_analyst'").fetchone():
                return None
            row = conn.execute("SELECT rolsuper, pg_has_role(oid, 'safestats_analyst', 'MEMBER') "
                               "FROM pg_roles WHERE rolname = %s", (self.login,)).fetchone()
            if row and row[1]:
                return None
            if row and row[0]:
                raise ClusterError(f"login {self.login!r} is a superuser: it cannot be the personal login")
            done = []
            if not row:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
                             .format(sql.Identifier(self.login)))
                done.append(f"created login {self.login}")
            conn.execute(sql.SQL("GRANT safestats_analyst TO {}").format(sql.Identifier(self.login)))
            done.append(f"granted it safestats_analyst (more: safestats role grant {self.login} ROLE)")
            return "; ".join(done)

    def ensure_database(self, dbname: str = config.DEFAULT_DBNAME, template: str | None = None) -> bool:
        """Create ``dbname`` if missing. True when it was created now."""
        import psycopg
        from psycopg import sql
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                return False
            stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname))
            if template:
                stmt = stmt + sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(stmt)
        return True

    def wait_ready(self, timeout: float = 30) -> None:
        import psycopg
        deadline = time.time() + timeout
        while True:
            try:
                psycopg.connect(self.url("postgres")).close()
                return
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
