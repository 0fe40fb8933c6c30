"""``safestats:violencehotspots``: Getis-Ord Gi* hot and cold spots of a violence source on a grid or
on LSOAs / wards, computed by the database (safestats.violence_hotspots / violence_area_hotspots), so
the map shows the same cells as the command line and SQL."""
from __future__ import annotations

import re

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.connection import py
from ..core.sql import quote_literal
from .base import SafeStatsAlgorithm, make_fields, tr

SOURCES = [("street-crime", "police.uk street crime"), ("ae-assault", "A&E assaults (ISTV)"),
           ("las-assault", "Ambulance assault call-outs"), ("lfb-incident", "Fire brigade incidents")]
LEVELS = [("grid", "Regular grid"), ("lsoa", "LSOAs 2021"), ("ward", "Wards 2022")]
RADIUS = [("spread", "Spread over the cells their circle covers"), ("exclude", "Exclude them")]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELDS = (("unit", QVariant.String), ("records", QVariant.Double), ("neighbours", QVariant.Int),
          ("gi_z", QVariant.Double), ("p_value", QVariant.Double), ("q_value", QVariant.Double),
          ("hotspot", QVariant.String))


class ViolenceHotspots(SafeStatsAlgorithm):
    alg_id = "violencehotspots"
    title = "Violence hotspots (Getis-Ord Gi*, false discovery rate)"
    group_name = "Violence"
    help_text = (
        "Counts a source (police.uk street crime, A&E assaults, ambulance assaults, fire incidents) over "
        "a period per grid cell (every cell of London or of the boroughs given, zeros included) or per "
        "LSOA / ward, and computes the Getis-Ord Gi* statistic: the cell and its neighbours (cells whose "
        "centres lie within the band, 1.5 cell widths = the 3 x 3 block; for areas, the areas that "
        "touch) against London. "
        "p-values are two-sided (normal); q-values are Benjamini-Hochberg adjusted, and hotspot is hot or "
        "cold where q is at most the false discovery rate. A&E records whose geocoding radius exceeds the "
        "cell are spread over the cells their circle covers (shares sum to 1) or excluded; the outputs say "
        "how many records were used whole, spread and excluded. A&E counts follow your row-level access. "
        "See docs/analysis.md.")

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterEnum("SOURCE", tr("Source"), [s for _, s in SOURCES],
                                                     False, 0))
        self.addParameter(QgsProcessingParameterString("FROM", tr("First day (YYYY-MM-DD)"), "2024-01-01"))
        self.addParameter(QgsProcessingParameterString("TO", tr("Last day (YYYY-MM-DD)"), "2024-12-31"))
        self.addParameter(QgsProcessingParameterString(
            "CATEGORY", tr("Category (crime type, location type, ...; empty = all)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum("LEVEL", tr("Units"), [s for _, s in LEVELS], False, 0))
        num = QgsProcessingParameterNumber.Double
        self.addParameter(QgsProcessingParameterNumber("CELL", tr("Cell size (m)"), num, 250, False, 10,
                                                       10000))
        self.addParameter(QgsProcessingParameterNumber(
            "BAND", tr("Neighbourhood (cell widths, centre to centre)"), num, 1.5, False, 1, 50))
        self.addParameter(QgsProcessingParameterNumber("FDR", tr("False discovery rate"),
                                                       QgsProcessingParameterNumber.Double, 0.05, False,
                                                       0.0001, 0.5))
        self.addParameter(QgsProcessingParameterEnum("LARGE_RADIUS", tr("A&E records located less precisely "
                                                                        "than a cell"),
                                                     [s for _, s in RADIUS], False, 0))
        self.addParameter(QgsProcessingParameterString(
            "BOROUGHS", tr("Borough codes, comma-separated (empty = all London)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Hotspots"),
                                                            QgsProcessing.TypeVectorPolygon))
        for name, label in (("HOT", tr("Hot spots")), ("COLD", tr("Cold spots")),
                            ("USED", tr("Records used whole")), ("SPREAD", tr("Records spread over cells")),
                            ("EXCLUDED", tr("Records excluded"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        source = SOURCES[self.parameterAsEnum(parameters, "SOURCE", context)][0]
        level = LEVELS[self.parameterAsEnum(parameters, "LEVEL", context)][0]
        start = self.parameterAsString(parameters, "FROM", context).strip()
        end = self.parameterAsString(parameters, "TO", context).strip()
        for label, d in ((tr("First day"), start), (tr("Last day"), end)):
            if not DATE.match(d):
                raise QgsProcessingException(tr("{0} {1!r}: write it as YYYY-MM-DD").format(label, d))
        category = (self.parameterAsString(parameters, "CATEGORY", context) or "").strip() or None
        given = self.parameterAsString(parameters, "BOROUGHS", context) or ""
        boroughs = [b.strip() for b in given.split(",") if b.strip()]
        cell = self.parameterAsDouble(parameters, "CELL", context)
        fdr = self.parameterAsDouble(parameters, "FDR", context)
        args = (f"{quote_literal(source)}, {quote_literal(start)}::date, {quote_literal(end)}::date")
        cat = "NULL::text" if category is None else quote_literal(category)
        bor = ("NULL::text[]" if not boroughs
               else "ARRAY[" + ", ".join(quote_literal(b) for b in boroughs) + "]::text[]")
        if level == "grid":
            radius = RADIUS[self.parameterAsEnum(parameters, "LARGE_RADIUS", context)][0]
            band = self.parameterAsDouble(parameters, "BAND", context)
            sql = (f"SELECT cell_x || '_' || cell_y, records, neighbours, gi_z, p_value, q_value, hotspot, "
                   f"ST_AsText(geom), records_used, records_spread, records_excluded "
                   f"FROM safestats.violence_hotspots({args}, {float(cell)}, {cat}, {quote_literal(radius)}, "
                   f"{float(band)}, {float(fdr)}, {bor})")
        else:
            sql = (f"SELECT area_code, records, neighbours, gi_z, p_value, q_value, hotspot, "
                   f"ST_AsText(geom), NULL, NULL, records_unplaced "
                   f"FROM safestats.violence_area_hotspots({args}, {quote_literal(level)}, {cat}, "
                   f"{float(fdr)}, {bor})")
        feedback.pushInfo(tr("Counting {0} {1} .. {2} in the database and computing Gi* ...")
                          .format(source, start, end))
        rows = db.query(sql)
        fields = make_fields(QgsField(name, t) for name, t in FIELDS)
        sink, dest = self.sink(parameters, context, fields, QgsWkbTypes.MultiPolygon)
        hot = cold = 0
        for unit, records, nb, z, p, q, cls, wkt, *_ in rows:
            f = QgsFeature(fields)
            g = QgsGeometry.fromWkt(wkt)
            g.convertToMultiType()
            f.setGeometry(g)
            f.setAttributes([unit, float(py(records) or 0), int(py(nb) or 0), py(z), py(p), py(q), cls])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
            hot += cls == "hot"
            cold += cls == "cold"
        first = rows[0] if rows else [None] * 11
        used, spread, excluded = (py(first[8]), py(first[9]), py(first[10]))
        feedback.pushInfo(tr("{0} units: {1} hot, {2} cold at false discovery rate {3:g}")
                          .format(len(rows), hot, cold, fdr))
        if level == "grid":
            feedback.pushInfo(tr("Records: {0} used whole, {1} spread, {2} excluded")
                              .format(used, spread, excluded))
        return {"OUTPUT": dest, "HOT": hot, "COLD": cold, "USED": used, "SPREAD": spread,
                "EXCLUDED": excluded}
