"""Register a SafeStats database for QGIS: a pg_service.conf service and a saved QGIS connection that
uses it, so a new user opens QGIS (or the SafeStats plugin) and connects without typing anything.

No password is written anywhere: the embedded cluster trusts its local socket; for a server with
passwords, put them in ~/.pgpass or QGIS's authentication database.
"""
from __future__ import annotations

import configparser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from . import config

SERVICE = "safestats-demo"
CONNECTION = "SafeStats demo"


def service_file() -> Path:
    """libpq's per-user service file (see :func:`safestats.config.pg_service_file`)."""
    return config.pg_service_file()


def qgis_profile() -> Path:
    """The QGIS profile to register in (see :func:`safestats.config.qgis_profile_dir`)."""
    return config.qgis_profile_dir()


def service_params(url: str) -> dict[str, str]:
    """libpq keywords of a ``postgresql://`` URL (host may be a socket directory in the query)."""
    u = urlparse(url)
    q = {k: v[0] for k, v in parse_qs(u.query).items()}
    params = {"host": q.get("host") or u.hostname or "",
              "port": q.get("port") or (str(u.port) if u.port else ""),
              "dbname": unquote(u.path.lstrip("/")), "user": unquote(u.username or "")}
    return {k: v for k, v in params.items() if v}


def write_service(url: str, name: str = SERVICE, path: Path | None = None) -> Path:
    """Add or update section ``[name]`` of the service file; other sections stay as they were."""
    path = path or service_file()
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.optionxform = str
    if path.exists():
        cfg.read(path)
    cfg[name] = service_params(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        cfg.write(f, space_around_delimiters=False)
    return path


def write_qgis_connection(service: str = SERVICE, name: str = CONNECTION,
                          profile: Path | None = None) -> Path:
    """Save a PostgreSQL connection ``name`` (using ``service``) in a QGIS profile's QGIS3.ini."""
    from qgis.PyQt.QtCore import QSettings
    ini = (profile or qgis_profile()) / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    s = QSettings(str(ini), QSettings.IniFormat)
    base = f"PostgreSQL/connections/{name}/"
    for key, value in {"service": service, "host": "", "port": "", "database": "", "username": "",
                       "password": "", "authcfg": "", "sslmode": "SslPrefer", "saveUsername": "false",
                       "savePassword": "false", "estimatedMetadata": "false", "geometryColumnsOnly": "false",
                       "publicOnly": "false", "allowGeometrylessTables": "true",
                       "projectsInDatabase": "false",
                       "dontResolveType": "false"}.items():
        s.setValue(base + key, value)
    s.setValue("PostgreSQL/connections/selected", name)
    # The SafeStats plugin opens this connection by default.
    s.setValue("safestats/connection", name)
    s.sync()
    return ini


def enable_plugin(profile: Path | None = None, plugin: str = "safestats_qgis") -> Path:
    """Mark the plugin enabled in a profile (``qgis_process`` 3.22 only loads enabled plugins)."""
    from qgis.PyQt.QtCore import QSettings
    ini = (profile or qgis_profile()) / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    s = QSettings(str(ini), QSettings.IniFormat)
    s.setValue(f"PythonPlugins/{plugin}", True)
    s.sync()
    return ini
