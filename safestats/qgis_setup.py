"""Register a SafeStats database for QGIS: a pg_service.conf service and a saved QGIS connection that
uses it, so a new user opens QGIS (or the SafeStats plugin) and connects without typing anything.

No password is written anywhere: the embedded cluster authenticates you by your OS user on its private
socket (peer); for a server with passwords, put them in ~/.pgpass or QGIS's authentication database.

Both files are edited in place (:func:`set_ini_values`): only the SafeStats entries are added or
updated; comments, order and every other entry stay as they were, a copy of the file as it was is kept
beside it (``*.safestats-backup``), and each change is reported with how to undo it. ``safestats demo
--no-user-config`` leaves both files alone.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
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


@dataclass
class FileEdit:
    """What :func:`set_ini_values` did to one file."""
    path: Path
    changed: list[str] = field(default_factory=list)
    backup: Path | None = None
    created: bool = False

    # Used where a path is expected (callers written when these functions returned the file's path).
    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def lines(self, undo: str) -> list[str]:
        if not self.changed:
            return [f"  {self.path}: already up to date (nothing changed)"]
        how = "created" if self.created else "updated in place"
        out = [f"  {self.path}: {how}: " + "; ".join(self.changed)]
        if self.backup:
            out.append(f"    the file as it was: {self.backup} (undo: {undo}, or copy that file back)")
        else:
            out.append(f"    undo: {undo}")
        return out


def set_ini_values(path: Path, section: str, values: dict[str, str]) -> FileEdit:
    """Set ``key=value`` pairs in ``[section]`` of an INI-style file, in place.

    Lines of other sections, comments, blank lines and keys not named are kept byte for byte; a named key
    is rewritten where it stands; missing keys go after the section's last entry; a missing section is
    appended at the end. Before the first change the old file is copied to ``<file>.safestats-backup``."""
    edit = FileEdit(Path(path))
    text = edit.path.read_text(encoding="utf-8") if edit.path.exists() else ""
    lines = text.splitlines()
    header = f"[{section}]"
    start = next((i for i, ln in enumerate(lines) if ln.strip() == header), None)
    todo = dict(values)
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append(header)
        lines.extend(f"{k}={v}" for k, v in todo.items())
        edit.changed.append(f"added [{section}] ({', '.join(todo)})")
        todo = {}
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        last_entry = start
        for i in range(start + 1, end):
            raw = lines[i]
            if not raw.strip() or raw.lstrip().startswith(("#", ";")) or "=" not in raw:
                continue
            last_entry = i
            key, old = (x.strip() for x in raw.split("=", 1))
            if key in todo:
                new = todo.pop(key)
                if old != new:
                    lines[i] = f"{key}={new}"
                    edit.changed.append(f"[{section}] {key}: {old!r} -> {new!r}")
        if todo:
            lines[last_entry + 1:last_entry + 1] = [f"{k}={v}" for k, v in todo.items()]
            edit.changed.append(f"[{section}] added {', '.join(todo)}")
    if edit.changed:
        edit.created = not edit.path.exists()
        edit.path.parent.mkdir(parents=True, exist_ok=True)
        if not edit.created:
            edit.backup = edit.path.with_name(edit.path.name + ".safestats-backup")
            shutil.copy2(edit.path, edit.backup)
        edit.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return edit


def write_service(url: str, name: str = SERVICE, path: Path | None = None) -> FileEdit:
    """Add or update section ``[name]`` of the service file in place; everything else stays."""
    return set_ini_values(path or service_file(), name, service_params(url))


def qgis_connection_values(service: str = SERVICE, name: str = CONNECTION) -> dict[str, str]:
    """The QGIS3.ini ``[PostgreSQL]`` keys of a saved connection, spelt as QSettings writes them."""
    key = name.replace("%", "%25").replace(" ", "%20")
    values = {f"connections\\{key}\\{k}": v for k, v in {
        "service": service, "host": "", "port": "", "database": "", "username": "", "password": "",
        "authcfg": "", "sslmode": "SslPrefer", "saveUsername": "false", "savePassword": "false",
        "estimatedMetadata": "false", "geometryColumnsOnly": "false", "publicOnly": "false",
        "allowGeometrylessTables": "true", "projectsInDatabase": "false", "dontResolveType": "false"}.items()}
    values["connections\\selected"] = name
    return values


def write_qgis_connection(service: str = SERVICE, name: str = CONNECTION,
                          profile: Path | None = None) -> FileEdit:
    """Save a PostgreSQL connection ``name`` (using ``service``) in a QGIS profile's QGIS3.ini, in place
    (QGIS reads it as if QSettings had written it; every other line of the file stays)."""
    ini = (profile or qgis_profile()) / "QGIS" / "QGIS3.ini"
    edit = set_ini_values(ini, "PostgreSQL", qgis_connection_values(service, name))
    # The SafeStats plugin opens this connection by default.
    more = set_ini_values(ini, "safestats", {"connection": name})
    edit.changed += more.changed
    edit.backup = edit.backup or more.backup
    edit.created = edit.created or (more.created and not edit.backup)
    return edit


def enable_plugin(profile: Path | None = None, plugin: str = "safestats_qgis") -> Path:
    """Mark the plugin enabled in a profile (``qgis_process`` 3.22 only loads enabled plugins)."""
    from qgis.PyQt.QtCore import QSettings
    ini = (profile or qgis_profile()) / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    s = QSettings(str(ini), QSettings.IniFormat)
    s.setValue(f"PythonPlugins/{plugin}", True)
    s.sync()
    return ini
