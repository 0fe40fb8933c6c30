"""The embedded default database: a private PostgreSQL cluster on a Unix socket of its own.

It listens on no TCP address, only on a socket inside its own directory with its own port
number, so it never clashes with another server on the machine.
"""
from __future__ import annotations

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


class Cluster:
    """A private cluster: ``home/pgdata`` (data), ``home/run`` (socket), ``home/postgres.log``."""

    def __init__(self, home: Path | None = None, port: int | None = None,
                 settings: dict[str, str] | None = None, tuned: bool = True, autovacuum: bool = True):
        self.home = Path(home) if home else config.embedded_home()
        self.port = port or config.embedded_port()
        self.datadir = self.home / "pgdata"
        self.socketdir = self.home / "run"
        self.logfile = self.home / "postgres.log"
        self.settings = settings or {}
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
            if not config.postgres_can_reach(self.home):
                raise ClusterError(
                    f"The postgres user cannot reach {self.home}. Set SAFESTATS_HOME to a "
                    "directory it can enter (e.g. /var/lib/safestats/mine).")
            shutil.chown(self.home, "postgres", "postgres")
            shutil.chown(self.socketdir, "postgres", "postgres")
            if self.datadir.exists():
                shutil.chown(self.datadir, "postgres", "postgres")

    # -- life cycle -----------------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def init(self) -> bool:
        """Create the cluster if it does not exist. Returns True when it was created now."""
        if self.initialised:
            return False
        self._prepare_dirs()
        r = self._as_server_user([self._bin("initdb"), "-D", str(self.datadir), "--username=postgres",
                                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
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
        return True

    def is_running(self) -> bool:
        if not self.initialised:
            return False
        r = self._as_server_user([self._bin("pg_ctl"), "-D", str(self.datadir), "status"])
        return r.returncode == 0

    def start(self) -> bool:
        """Start the server (initialising it first if needed). True when it was started now."""
        self.init()
        if self.is_running():
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
        return f"postgresql://postgres@/{dbname}?host={self.socketdir}&port={self.port}"

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
