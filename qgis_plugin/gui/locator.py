"""Locator filter (prefix ``ss``): type a ward, neighbourhood, borough, postcode or place and go there;
or take the geocoder's answer for the text, shown with its confidence."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLocatorFilter,
    QgsLocatorResult,
    QgsProject,
    QgsRectangle,
    QgsSettings,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core import places
from ..core.connection import Database, SafeStatsError
from ..core.log import log
from .dock import SETTINGS_KEY


def tr(text: str) -> str:
    return QCoreApplication.translate("SafeStatsLocator", text)


def unpack(result) -> list:
    """[kind, code, xmin, ymin, xmax, ymax, confidence or None] of a result of this filter."""
    kind, code, *nums = str(result.userData).split("\t")
    conf = nums.pop()
    return [kind, code, *[float(v) for v in nums], float(conf) if conf else None]


class SafeStatsLocatorFilter(QgsLocatorFilter):
    """Searches the SafeStats database of the connection the panel uses."""

    def __init__(self, iface=None):
        super().__init__()
        self.iface = iface

    def clone(self):
        return SafeStatsLocatorFilter(self.iface)

    def name(self) -> str:
        return "safestats"

    def displayName(self) -> str:  # noqa: N802
        return tr("SafeStats places (wards, neighbourhoods, postcodes …)")

    def prefix(self) -> str:
        return "ss"

    def flags(self):
        return QgsLocatorFilter.FlagFast

    def results(self, text: str, feedback=None) -> list[QgsLocatorResult]:
        """The results for ``text`` (what ``fetchResults`` emits; also used directly by tests)."""
        name = QgsSettings().value(SETTINGS_KEY, "")
        if not name or len(text.strip()) < 2:
            return []
        try:
            db = Database(name)
            if feedback is not None:
                db = db.with_feedback(feedback)
            found = places.find(db, text)
            coded = places.geocode(db, text)
        except SafeStatsError as e:
            log(f"locator: {e}", "warning")
            return []
        out = []
        for p in found + ([coded] if coded else []):
            r = QgsLocatorResult()    # QgsLocator sets r.filter itself when the result is fetched
            if p.kind == "geocode":
                r.displayString = tr("Geocode: {0}").format(p.name)
                r.group = tr("Geocoded text")
                r.description = tr("{0}, confidence {1:.2f}").format(p.detail, p.confidence or 0)
                r.score = 0.5
            else:
                r.displayString = p.name
                r.group = places.LEVEL_TITLES.get(p.kind, p.kind).capitalize()
                r.description = f"{p.code} ({p.detail})"
                r.score = 1.0
            # one string: a Python list in the result's QVariant crashed QGIS 3.22 when read back
            box = [repr(float(v)) for v in (p.xmin, p.ymin, p.xmax, p.ymax)]
            r.userData = "\t".join([p.kind, p.code, *box, "" if p.confidence is None else repr(p.confidence)])
            out.append(r)
        return out

    def fetchResults(self, text, context, feedback):  # noqa: N802
        for r in self.results(text, feedback):
            if feedback.isCanceled():
                return
            self.resultFetched.emit(r)

    def triggerResult(self, result) -> None:  # noqa: N802
        """Zoom the map to the place (its area's extent, or the point with its radius)."""
        if self.iface is None:
            return
        _kind, _code, xmin, ymin, xmax, ymax, _conf = unpack(result)
        canvas = self.iface.mapCanvas()
        rect = QgsRectangle(xmin, ymin, xmax, ymax)
        tr_ = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                     canvas.mapSettings().destinationCrs(), QgsProject.instance())
        rect = tr_.transformBoundingBox(rect)
        rect.scale(1.2)
        canvas.setExtent(rect)
        canvas.refresh()
