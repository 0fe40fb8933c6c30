"""``safestats:landscapedrivers``: which wards make a borough differ from London on a metric
(safestats.borough_ward_contributions), as a polygon layer, and which indicators go with the metric
across London's wards (safestats.indicator_associations) as a table."""
from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.connection import SafeStatsError, py
from ..core.sql import quote_literal
from .base import SafeStatsAlgorithm, make_fields, tr

WARD_FIELDS = (("code", QVariant.String), ("name", QVariant.String), ("period", QVariant.String),
               ("value", QVariant.Double), ("population", QVariant.Double), ("per_1000", QVariant.Double),
               ("contribution", QVariant.Double), ("share", QVariant.Double))
ASSOC_FIELDS = (("indicator", QVariant.String), ("name", QVariant.String), ("theme", QVariant.String),
                ("period", QVariant.String), ("n", QVariant.Int), ("rho", QVariant.Double),
                ("rho_lower", QVariant.Double), ("rho_upper", QVariant.Double), ("p_value", QVariant.Double),
                ("q_value", QVariant.Double), ("significant", QVariant.Bool))


class LandscapeDrivers(SafeStatsAlgorithm):
    alg_id = "landscapedrivers"
    title = "Drivers of a borough's figure (ward contributions, associated indicators)"
    group_name = "London Landscape"
    help_text = (
        "For a borough (E09 code) and a metric (an indicator held on 2022 wards, e.g. "
        "mps_ward_violence_against_the_person): each ward's contribution to the borough's difference from "
        "London (they sum exactly to it; counts are taken as the excess over London's rate per resident, "
        "rates and shares as population-weighted means), written as the borough's ward polygons; and "
        "the indicators associated with the metric across London's wards (Spearman rank correlation "
        "with 95% interval, Benjamini-Hochberg q-value) as a table. Association, not cause.")

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterString("BOROUGH", tr("Borough code (E09…)"), "E09000023"))
        self.addParameter(QgsProcessingParameterString("METRIC", tr("Metric (indicator code)"),
                                                       "mps_ward_violence_against_the_person"))
        self.addParameter(QgsProcessingParameterString("PERIOD", tr("Period (empty: latest observed)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "TOP", tr("Associated indicators to list"), QgsProcessingParameterNumber.Integer, 20, False, 1,
            1000))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Ward contributions"),
                                                            QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink("ASSOCIATIONS", tr("Associated indicators"),
                                                            QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("DIFFERENCE", tr("Borough minus London")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        borough = self.parameterAsString(parameters, "BOROUGH", context).strip()
        metric = self.parameterAsString(parameters, "METRIC", context).strip()
        period = self.parameterAsString(parameters, "PERIOD", context).strip() or None
        top = self.parameterAsInt(parameters, "TOP", context)
        known = db.scalar("SELECT count(*) FROM landscape.indicator "
                          f"WHERE indicator_code = {quote_literal(metric)}")
        if not known:
            raise SafeStatsError(f"unknown indicator {metric!r}: see safestats landscape catalogue")
        per = "NULL" if period is None else quote_literal(period)
        rows = db.query(
            f"SELECT c.area_code, c.area_name, c.period, c.value, c.weight, c.rate_per_1000, c.contribution, "
            f"c.contribution_share, c.borough_difference, ST_AsText(a.geom) "
            f"FROM safestats.borough_ward_contributions({quote_literal(borough)}, {quote_literal(metric)}, "
            f"{per}) c "
            f"JOIN ref.area a ON a.level = 'ward' AND a.vintage = 2022 AND a.code = c.area_code")
        if not rows:
            raise SafeStatsError(f"no 2022-ward values of {metric} for borough {borough} (load the London "
                                 "Landscape data: safestats load landscape-more "
                                 "data/landscape/landscape_more.csv.gz)")
        fields = make_fields(QgsField(n, t) for n, t in WARD_FIELDS)
        sink, dest = self.sink(parameters, context, fields, QgsWkbTypes.MultiPolygon)
        diff = None
        for code, name, per_, value, w, r1000, contrib, share, d, wkt in rows:
            f = QgsFeature(fields)
            f.setGeometry(QgsGeometry.fromWkt(wkt))
            f.setAttributes([code, name, per_, py(value), py(w), py(r1000), py(contrib), py(share)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
            diff = py(d)
        feedback.pushInfo(tr("{0} differs from London by {1:.3f} on {2}; {3} ward contributions written")
                          .format(borough, diff, metric, len(rows)))
        afields = make_fields(QgsField(n, t) for n, t in ASSOC_FIELDS)
        asink, adest = self.sink(parameters, context, afields, QgsWkbTypes.NoGeometry, "ASSOCIATIONS")
        for r in db.query(f"SELECT indicator_code, indicator_name, theme, period, n, rho, rho_lower, "
                          f"rho_upper, p_value, q_value, significant FROM safestats.indicator_associations("
                          f"{quote_literal(metric)}, 'ward', 2022, {per}) LIMIT {int(top)}"):
            f = QgsFeature(afields)
            f.setAttributes([py(x) for x in r])
            asink.addFeature(f, QgsFeatureSink.FastInsert)
        return {"OUTPUT": dest, "ASSOCIATIONS": adest, "DIFFERENCE": diff}
