"""Processing provider ``safestats``."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .algorithms import ALGORITHMS


class SafeStatsProvider(QgsProcessingProvider):
    """Registers the SafeStats algorithms."""

    def id(self) -> str:
        return "safestats"

    def name(self) -> str:
        return "SafeStats"

    def longName(self) -> str:
        return "SafeStats: London crime and community-safety database"

    def icon(self) -> QIcon:
        return QIcon(str(Path(__file__).resolve().parent.parent / "icon.svg"))

    def loadAlgorithms(self) -> None:
        for alg in ALGORITHMS:
            self.addAlgorithm(alg())
