"""``safestats:countpointsinareas``: points → areas of a vintage with count, density, population and
rate per 1,000 residents, all assigned and joined by the database."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core import population
from ..core.connection import Database, py
from ..core.log import log
from ..core.sql import quote_literal, values_list
from .base import SafeStatsAlgorithm, bng, make_fields, tr

LEVELS = [("ward", "Wards"), ("lsoa", "LSOAs"), ("msoa", "MSOAs"), ("borough", "Boroughs")]
BATCH = 2000   # points per statement
OUTPUT_FIELDS = (("code", QVariant.String), ("name", QVariant.String), ("vintage", QVariant.Int),
                 ("count", QVariant.Int), ("per_km2", QVariant.Double), ("population", QVariant.Double),
                 ("per_1000", QVariant.Double))


class CountPointsInAreas(SafeStatsAlgorithm):
    alg_id = "countpointsinareas"
    title = "Count points in areas (rates per 1,000)"
    group_name = "Areas"
    help_text = (
        "Assigns every point to the ward / LSOA / MSOA / borough it falls in (the database's "
        "safestats.area_at, the same rule every SafeStats loader uses, so counts match the database's) "
        "and writes the areas with their count, count per km², resident population and rate per 1,000 "
        "residents (safestats.rate_per_1000). The population is the database's ONS mid-year estimate "
        "(pop_persons_all_ages): held for that area set, or apportioned from LSOAs; leave the year empty "
        "for the latest loaded. Without a population the rate stays empty and the log says what to load. "
        "Points outside London are reported, not dropped silently.")

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", tr("Points"),
                                                              [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterEnum("LEVEL", tr("Areas"), [label for _, label in LEVELS],
                                                     False, 0))
        self.addParameter(QgsProcessingParameterNumber("VINTAGE", tr("Boundary vintage (year)"),
                                                       QgsProcessingParameterNumber.Integer, 2018, False,
                                                       2001, 2100))
        self.addParameter(QgsProcessingParameterBoolean("KEEP_EMPTY", tr("Keep areas with no points"), True))
        self.addParameter(QgsProcessingParameterString(
            "POPULATION_YEAR", tr("Population year for the rate per 1,000 (empty = latest loaded)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Counts by area"),
                                                            QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE", tr("Points outside every area")))
        self.addOutput(QgsProcessingOutputString("POPULATION",
                                                 tr("Where the population for the rate came from")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        source = self.parameterAsSource(parameters, "INPUT", context)
        level = LEVELS[self.parameterAsEnum(parameters, "LEVEL", context)][0]
        vintage = self.parameterAsInt(parameters, "VINTAGE", context)
        keep_empty = self.parameterAsBool(parameters, "KEEP_EMPTY", context)
        require_boundaries(db, level, vintage)
        xform = QgsCoordinateTransform(source.sourceCrs(), bng(), context.transformContext())
        points = []
        for f in source.getFeatures():
            g = f.geometry()
            if g.isNull() or g.isEmpty():
                continue
            g.transform(xform)
            for p in (g.asMultiPoint() if g.isMultipart() else [g.asPoint()]):
                points.append((round(p.x(), 2), round(p.y(), 2)))
        counts, outside = count_in_areas(db, points, level, vintage, feedback)
        year = (self.parameterAsString(parameters, "POPULATION_YEAR", context) or "").strip() or None
        pop = population.find(db, level, vintage, year)
        if pop is None:
            pop_note = population.missing_message(level, vintage, year)
            feedback.pushWarning(pop_note)     # a database-made sentence, not a fixed string
            log(pop_note, "warning")
            pop_sql = "SELECT NULL::text AS code, NULL::float8 AS population"
        else:
            pop_note = f"Population: {pop.how}."
            feedback.pushInfo(pop_note)
            pop_sql = pop.sql
        fields = make_fields(QgsField(name, t) for name, t in OUTPUT_FIELDS)
        sink, dest = self.sink(parameters, context, fields, QgsWkbTypes.MultiPolygon)
        counted = values_list(counts.items()) if counts else "(NULL::text, 0)"
        # One statement joins areas, counts and population; the rate is the database's own rate_per_1000.
        for code, name, area_ha, wkt, residents, rate in db.query(
                f"SELECT a.code, a.name, a.area_ha, ST_AsText(a.geom), round(p.population::numeric, 1), "
                f"safestats.rate_per_1000(coalesce(c.n, 0), p.population::numeric) FROM ref.area a "
                f"LEFT JOIN (VALUES {counted}) AS c(code, n) ON c.code = a.code "
                f"LEFT JOIN ({pop_sql}) AS p ON p.code = a.code "
                f"WHERE a.level = {quote_literal(level)} AND a.vintage = {int(vintage)} ORDER BY a.code"):
            n = counts.get(code, 0)
            if n == 0 and not keep_empty:
                continue
            out = QgsFeature(fields)
            out.setGeometry(QgsGeometry.fromWkt(wkt))
            area_ha, residents, rate = py(area_ha), py(residents), py(rate)
            out.setAttributes([code, name, vintage, n,
                               round(100.0 * n / float(area_ha), 3) if area_ha else None,
                               None if residents is None else float(residents),
                               None if rate is None else float(rate)])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        if outside:
            feedback.pushWarning(tr("{0} point(s) fall outside every {1} of {2} (outside London?)").format(
                outside, level, vintage))
        return {"OUTPUT": dest, "OUTSIDE": outside, "POPULATION": pop_note}


def require_boundaries(db: Database, level: str, vintage: int) -> None:
    """A Processing error naming the vintages held when the database has no ``level`` areas of ``vintage``."""
    have = db.scalar(f"SELECT count(*) FROM ref.area WHERE level = {quote_literal(level)} "
                     f"AND vintage = {int(vintage)}")
    if not int(have or 0):
        vintages = [r[0] for r in db.query(f"SELECT DISTINCT vintage FROM ref.area WHERE level = "
                                            f"{quote_literal(level)} ORDER BY 1")]
        message = tr("The database has no {0} boundaries for {1}; vintages available: {2}.")
        held = ", ".join(map(str, vintages)) or tr("none")
        raise QgsProcessingException(message.format(level, vintage, held))


def count_in_areas(db: Database, points: list[tuple[float, float]], level: str, vintage: int,
                   feedback) -> tuple[dict[str, int], int]:
    """Points (EPSG:27700) per area code by ``safestats.area_at``, and how many fall outside every area."""
    counts: dict[str, int] = {}
    outside = 0
    for start in range(0, len(points), BATCH):
        if feedback.isCanceled():
            break
        rows = db.query(
            f"SELECT safestats.area_at(ST_SetSRID(ST_MakePoint(v.x, v.y), 27700), {quote_literal(level)}, "
            f"{int(vintage)}), count(*) FROM (VALUES {values_list(points[start:start + BATCH])}) AS v(x, y) "
            "GROUP BY 1")
        for code, n in rows:
            if py(code) is None:
                outside += int(n)
            else:
                counts[code] = counts.get(code, 0) + int(n)
        feedback.setProgress(80.0 * min(start + BATCH, len(points)) / max(len(points), 1))
    return counts, outside
