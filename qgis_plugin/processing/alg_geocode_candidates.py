"""``safestats:geocodecandidates``: the geocoder's best candidates for one text, as points."""
from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core import geocoding
from .base import TextAtSiteAlgorithm, make_fields, result_fields, tr


class GeocodeCandidates(TextAtSiteAlgorithm):
    alg_id = "geocodecandidates"
    title = "Show geocoding candidates for a text"
    help_text = (
        "Lists the geocoder's best candidates for one location text (safestats.geocode_candidates), as "
        "points with rank, confidence, radius, level and what each matched — to see on the map where "
        "an ambiguous text could be before accepting one with 'Accept a geocoding candidate'.")

    def initAlgorithm(self, config=None):
        self.add_text_parameters("N", tr("How many candidates"), 5)
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Candidates"),
                                                            QgsProcessing.TypeVectorPoint))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        text, site, n = self.text_site_number(parameters, context, "N")
        fields = make_fields([QgsField("rank", QVariant.Int), *result_fields()])
        sink, dest = self.sink(parameters, context, fields, QgsWkbTypes.Point)
        for i, c in enumerate(geocoding.candidates(db, text, site, n), start=1):
            out = QgsFeature(fields)
            if c.x is not None:
                out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(c.x, c.y)))
            out.setAttributes([i, c.confidence, c.radius_m, c.level, c.matched, c.ambiguous])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {"OUTPUT": dest}
