"""Processing provider ``safestats``: loads the algorithms listed in :data:`ALGORITHMS`, one module each."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .alg_accept_geocode import AcceptGeocode
from .alg_count_points_in_areas import CountPointsInAreas
from .alg_geocode_candidates import GeocodeCandidates
from .alg_geocode_text_field import GeocodeTextField
from .alg_store_styles import StoreStyles

# Toolbox order; a new algorithm is a new alg_*.py module added here.
ALGORITHMS = [GeocodeTextField, GeocodeCandidates, AcceptGeocode, CountPointsInAreas, StoreStyles]

# London Landscape in depth (issue 17)
from .alg_landscape_drivers import LandscapeDrivers  # noqa: E402

ALGORITHMS.append(LandscapeDrivers)

# Violence analysis (issue 18)
from .alg_violence_hotspots import ViolenceHotspots  # noqa: E402

ALGORITHMS.append(ViolenceHotspots)


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
