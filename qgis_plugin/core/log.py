"""One log for the plugin: QGIS's message log (tab "SafeStats") plus a copyable in-memory record
that the dock's log panel shows."""
from __future__ import annotations

import time

from qgis.core import Qgis, QgsMessageLog

TAG = "SafeStats"
_LINES: list[str] = []
_LISTENERS: list = []
MAX_LINES = 2000


def log(message: str, level: str = "info") -> None:
    """Record ``message``; level is "info", "warning" or "critical"."""
    qlevel = {"info": Qgis.Info, "warning": Qgis.Warning, "critical": Qgis.Critical}[level]
    line = f"{time.strftime('%H:%M:%S')} {level.upper():8s} {message}"
    _LINES.append(line)
    del _LINES[:-MAX_LINES]
    QgsMessageLog.logMessage(message, TAG, qlevel)
    for listener in list(_LISTENERS):
        listener(line)


def lines() -> list[str]:
    """Everything logged this session, oldest first (what the log panel shows and copies)."""
    return list(_LINES)


def add_listener(fn) -> None:
    _LISTENERS.append(fn)


def remove_listener(fn) -> None:
    if fn in _LISTENERS:
        _LISTENERS.remove(fn)
