"""Where SafeStats finds its files, its embedded cluster and its database."""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DB_DIR = REPO_ROOT / "db"
MIGRATIONS_DIR = DB_DIR / "migrations"
FUNCTIONS_DIR = DB_DIR / "functions"
SHIPPED_DATA_DIR = REPO_ROOT / "data"
# The open data folder laid beside the checkout (``../shared/data``); $SAFESTATS_SHARED_DATA overrides.
SHARED_DATA_DIR = Path(os.environ.get("SAFESTATS_SHARED_DATA")
                       or (REPO_ROOT.parent / "shared" / "data")).resolve()

DEFAULT_PORT = 54329
DEFAULT_DBNAME = "safestats"


def env_database_url() -> str | None:
    """The user's own server, ``$DATABASE_URL``, when set (else SafeStats uses the embedded cluster)."""
    return os.environ.get("DATABASE_URL") or None


def pg_service_file() -> Path:
    """libpq's per-user service file: ``$PGSERVICEFILE``, else ``~/.pg_service.conf``."""
    return Path(os.environ.get("PGSERVICEFILE") or Path.home() / ".pg_service.conf")


def qgis_profile_dir() -> Path:
    """The QGIS profile the demo registers in: ``$SAFESTATS_QGIS_PROFILE``, else QGIS 3's default."""
    if os.environ.get("SAFESTATS_QGIS_PROFILE"):
        return Path(os.environ["SAFESTATS_QGIS_PROFILE"])
    return Path.home() / ".local" / "share" / "QGIS" / "QGIS3" / "profiles" / "default"


def running_as_root() -> bool:
    return os.geteuid() == 0


def postgres_can_reach(path: Path) -> bool:
    """True when the ``postgres`` system user can enter ``path`` (only matters when we run as root)."""
    probe = path
    while not probe.exists():
        probe = probe.parent
    r = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(probe)],
                       capture_output=True)
    return r.returncode == 0


def embedded_home() -> Path:
    """Directory of the private cluster: ``$SAFESTATS_HOME``, else ``.safestats/`` in the checkout.

    As root the server runs as the ``postgres`` user, which cannot enter a checkout under a
    private home directory such as ``/root``; then the cluster lives in
    ``/var/lib/safestats/<checkout hash>`` instead.
    """
    if os.environ.get("SAFESTATS_HOME"):
        return Path(os.environ["SAFESTATS_HOME"]).resolve()
    home = REPO_ROOT / ".safestats"
    if running_as_root() and not postgres_can_reach(REPO_ROOT):
        digest = hashlib.sha1(str(REPO_ROOT).encode()).hexdigest()[:10]
        home = Path("/var/lib/safestats") / digest
    return home


def wal_compression() -> str:
    """The full-page-image compression SafeStats' bulk transactions ask for (``SAFESTATS_WAL_COMPRESSION``,
    default ``lz4``; ``off`` leaves the server's setting alone: loaders/session.py)."""
    return os.environ.get("SAFESTATS_WAL_COMPRESSION", "lz4").strip().lower()


def embedded_port() -> int:
    return int(os.environ.get("SAFESTATS_PORT", DEFAULT_PORT))


def sqlalchemy_url(url: str) -> str:
    """Map a user's ``postgresql://`` URL onto the psycopg 3 driver (never psycopg2)."""
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def libpq_url(url: str) -> str:
    """The plain libpq form of a URL that may carry an SQLAlchemy driver name."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url
