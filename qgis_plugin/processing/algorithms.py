"""SafeStats Processing algorithms. Each one picks a saved QGIS PostgreSQL connection and lets the
database do the work (``safestats.geocode``, ``safestats.area_at``)."""
from __future__ import annotations

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsFeatureSink,
                       QgsField, QgsFields, QgsGeometry, QgsPointXY, QgsProcessing, QgsProcessingAlgorithm,
                       QgsProcessingException, QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterNumber,
                       QgsProcessingParameterProviderConnection, QgsProcessingParameterString,
                       QgsProcessingOutputNumber, QgsProcessingOutputString, QgsWkbTypes)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..core import geocoding, population, review
from ..core.connection import Database, SafeStatsError, py
from ..core.log import log
from ..core.sql import quote_literal, values_list

def bng() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem("EPSG:27700")


def tr(text: str) -> str:
    return QCoreApplication.translate("SafeStats", text)


class _Base(QgsProcessingAlgorithm):
    """Shared pieces: the connection parameter and turning SafeStats errors into Processing errors."""

    group_name = "Geocoding"

    def createInstance(self):
        return type(self)()

    def group(self) -> str:
        return tr(self.group_name)

    def groupId(self) -> str:
        return self.group_name.lower().replace(" ", "_")

    def displayName(self) -> str:
        return tr(self.title)

    def shortHelpString(self) -> str:
        return tr(self.help)

    def add_connection_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterProviderConnection(
            "CONNECTION", tr("SafeStats database (QGIS PostgreSQL connection)"), "postgres"))

    def database(self, parameters, context) -> Database:
        name = self.parameterAsConnectionName(parameters, "CONNECTION", context)
        try:
            return Database(name)
        except SafeStatsError as e:
            raise QgsProcessingException(str(e)) from None

    def processAlgorithm(self, parameters, context, feedback):
        try:
            return self.execute(parameters, context, feedback)
        except SafeStatsError as e:
            raise QgsProcessingException(str(e)) from None


def _result_fields() -> list[QgsField]:
    return [QgsField("confidence", QVariant.Double), QgsField("radius_m", QVariant.Double),
            QgsField("level", QVariant.String), QgsField("matched", QVariant.String),
            QgsField("ambiguous", QVariant.Bool)]


def _merge_fields(base: QgsFields, extra: list[QgsField], prefix: str = "geocode_") -> tuple[QgsFields, list[str]]:
    """Input fields plus ``extra``; an extra name already taken gets ``prefix``."""
    fields = QgsFields(base)
    names = []
    for f in extra:
        name = f.name() if fields.indexOf(f.name()) < 0 else prefix + f.name()
        fields.append(QgsField(name, f.type()))
        names.append(name)
    return fields, names


class GeocodeTextField(_Base):
    title = "Geocode a text field"
    help = ("Locates the free text of one field (e.g. the A&E 'assault location' text) with the database's "
            "safestats.geocode(), which states how sure it is: confidence (0–1), radius in metres, level "
            "(postcode, venue, junction, street, …), what it matched and whether the text was ambiguous. "
            "An optional site-code field (or a fixed site code) tells the geocoder which A&E site reported "
            "the record, so nearby namesakes win. Rows the geocoder cannot place keep no geometry. "
            "Each distinct text is sent once; values travel as quoted literals, never pasted SQL.")

    def name(self):
        return "geocodetextfield"

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", tr("Table or layer with location text"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            "TEXT_FIELD", tr("Location text field"), parentLayerParameterName="INPUT",
            type=QgsProcessingParameterField.String))
        self.addParameter(QgsProcessingParameterField(
            "SITE_FIELD", tr("A&E site code field (optional)"), parentLayerParameterName="INPUT",
            type=QgsProcessingParameterField.String, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "SITE_CODE", tr("Site code for every row (when there is no site field)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", tr("Geocoded points"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber("LOCATED", tr("Rows located")))
        self.addOutput(QgsProcessingOutputNumber("UNLOCATED", tr("Rows not located")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        geocoding.require_geocoder(db)
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INPUT"))
        text_field = self.parameterAsString(parameters, "TEXT_FIELD", context)
        site_field = self.parameterAsString(parameters, "SITE_FIELD", context) or None
        site_code = self.parameterAsString(parameters, "SITE_CODE", context) or None
        fields, names = _merge_fields(source.fields(), _result_fields())
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Point, bng())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))

        def pair(f):
            text = py(f[text_field])
            site = py(f[site_field]) if site_field else site_code
            return ("" if text is None else str(text), None if site is None else str(site))

        feedback.pushInfo(tr("Reading the input…"))
        features = list(source.getFeatures())
        feedback.pushInfo(tr(f"{len(features)} rows, {len(set(map(pair, features)))} distinct texts; geocoding in the database…"))
        results = geocoding.geocode_many(db, map(pair, features), feedback)
        located = 0
        for f in features:
            if feedback.isCanceled():
                break
            r = results.get(pair(f))
            out = QgsFeature(fields)
            attrs = f.attributes()
            if r is not None:
                attrs += [r.confidence, r.radius_m, r.level, r.matched, r.ambiguous]
                if r.x is not None:
                    out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(r.x, r.y)))
                    located += 1
            else:
                attrs += [None] * 5
            out.setAttributes(attrs)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        log(f"geocoded {len(features)} rows through '{db.name}': {located} located")
        return {"OUTPUT": dest, "LOCATED": located, "UNLOCATED": len(features) - located}


class GeocodeCandidates(_Base):
    title = "Show geocoding candidates for a text"
    help = ("Lists the geocoder's best candidates for one location text (safestats.geocode_candidates), as "
            "points with rank, confidence, radius, level and what each matched — to see on the map where "
            "an ambiguous text could be before accepting one with 'Accept a geocoding candidate'.")

    def name(self):
        return "geocodecandidates"

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterString("TEXT", tr("Location text, exactly as entered")))
        self.addParameter(QgsProcessingParameterString("SITE_CODE", tr("A&E site code"), optional=True))
        self.addParameter(QgsProcessingParameterNumber("N", tr("How many candidates"),
                                                       QgsProcessingParameterNumber.Integer, 5, False, 1, 50))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Candidates"),
                                                            QgsProcessing.TypeVectorPoint))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        text = self.parameterAsString(parameters, "TEXT", context)
        site = self.parameterAsString(parameters, "SITE_CODE", context) or None
        n = self.parameterAsInt(parameters, "N", context)
        fields = QgsFields()
        fields.append(QgsField("rank", QVariant.Int))
        for f in _result_fields():
            fields.append(f)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Point, bng())
        for i, c in enumerate(geocoding.candidates(db, text, site, n), start=1):
            out = QgsFeature(fields)
            if c.x is not None:
                out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(c.x, c.y)))
            out.setAttributes([i, c.confidence, c.radius_m, c.level, c.matched, c.ambiguous])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {"OUTPUT": dest}


class AcceptGeocode(_Base):
    title = "Accept a geocoding candidate"
    help = ("Records the analyst's decision for one location text: candidate number RANK from 'Show "
            "geocoding candidates' is written to the geocoder's alias table (text as entered + site code), "
            "so the same text at the same site geocodes exactly to it next time.")

    def name(self):
        return "acceptgeocode"

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterString("TEXT", tr("Location text, exactly as entered")))
        self.addParameter(QgsProcessingParameterString("SITE_CODE", tr("A&E site code"), optional=True))
        self.addParameter(QgsProcessingParameterNumber("RANK", tr("Candidate to accept (1 = best)"),
                                                       QgsProcessingParameterNumber.Integer, 1, False, 1, 50))
        self.addOutput(QgsProcessingOutputString("MATCHED", tr("Accepted candidate")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        text = self.parameterAsString(parameters, "TEXT", context)
        site = self.parameterAsString(parameters, "SITE_CODE", context) or None
        rank = self.parameterAsInt(parameters, "RANK", context)
        matched = review.accept_candidate(db, text, site, rank)
        feedback.pushInfo(tr(f"'{text}' at site {site or '(any)'} now means: {matched}"))
        return {"MATCHED": matched}


LEVELS = [("ward", "Wards"), ("lsoa", "LSOAs"), ("msoa", "MSOAs"), ("borough", "Boroughs")]


class CountPointsInAreas(_Base):
    title = "Count points in areas (rates per 1,000)"
    group_name = "Areas"
    help = ("Assigns every point to the ward / LSOA / MSOA / borough it falls in (the database's "
            "safestats.area_at, the same rule every SafeStats loader uses, so counts match the database's) "
            "and writes the areas with their count, count per km², resident population and rate per 1,000 "
            "residents (safestats.rate_per_1000). The population is the database's ONS mid-year estimate "
            "(pop_persons_all_ages): held for that area set, or apportioned from LSOAs; leave the year empty "
            "for the latest loaded. Without a population the rate stays empty and the log says what to load. "
            "Points outside London are reported, not dropped silently.")

    def name(self):
        return "countpointsinareas"

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", tr("Points"), [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterEnum("LEVEL", tr("Areas"), [label for _, label in LEVELS], False, 0))
        self.addParameter(QgsProcessingParameterNumber("VINTAGE", tr("Boundary vintage (year)"),
                                                       QgsProcessingParameterNumber.Integer, 2018, False, 2001, 2100))
        self.addParameter(QgsProcessingParameterBoolean("KEEP_EMPTY", tr("Keep areas with no points"), True))
        self.addParameter(QgsProcessingParameterString(
            "POPULATION_YEAR", tr("Population year for the rate per 1,000 (empty = latest loaded)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Counts by area"),
                                                            QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE", tr("Points outside every area")))
        self.addOutput(QgsProcessingOutputString("POPULATION", tr("Where the population for the rate came from")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        source = self.parameterAsSource(parameters, "INPUT", context)
        level = LEVELS[self.parameterAsEnum(parameters, "LEVEL", context)][0]
        vintage = self.parameterAsInt(parameters, "VINTAGE", context)
        keep_empty = self.parameterAsBool(parameters, "KEEP_EMPTY", context)
        have = db.scalar(f"SELECT count(*) FROM ref.area WHERE level = {quote_literal(level)} "
                         f"AND vintage = {int(vintage)}")
        if not int(have or 0):
            vintages = [r[0] for r in db.query(f"SELECT DISTINCT vintage FROM ref.area WHERE level = "
                                                f"{quote_literal(level)} ORDER BY 1")]
            raise QgsProcessingException(tr(f"The database has no {level} boundaries for {vintage}; "
                                            f"vintages available: {', '.join(map(str, vintages)) or 'none'}."))
        xform = QgsCoordinateTransform(source.sourceCrs(), bng(), context.transformContext())
        points = []
        for f in source.getFeatures():
            g = f.geometry()
            if g.isNull() or g.isEmpty():
                continue
            g.transform(xform)
            for p in (g.asMultiPoint() if g.isMultipart() else [g.asPoint()]):
                points.append((round(p.x(), 2), round(p.y(), 2)))
        counts: dict[str, int] = {}
        outside = 0
        step = 2000
        for start in range(0, len(points), step):
            if feedback.isCanceled():
                break
            rows = db.query(
                f"SELECT safestats.area_at(ST_SetSRID(ST_MakePoint(v.x, v.y), 27700), {quote_literal(level)}, "
                f"{int(vintage)}), count(*) FROM (VALUES {values_list(points[start:start + step])}) AS v(x, y) "
                "GROUP BY 1")
            for code, n in rows:
                if py(code) is None:
                    outside += int(n)
                else:
                    counts[code] = counts.get(code, 0) + int(n)
            feedback.setProgress(80.0 * min(start + step, len(points)) / max(len(points), 1))
        year = (self.parameterAsString(parameters, "POPULATION_YEAR", context) or "").strip() or None
        pop = population.find(db, level, vintage, year)
        if pop is None:
            pop_note = population.missing_message(level, vintage, year)
            feedback.pushWarning(tr(pop_note))
            log(pop_note, "warning")
            pop_sql = "SELECT NULL::text AS code, NULL::float8 AS population"
        else:
            pop_note = f"Population: {pop.how}."
            feedback.pushInfo(tr(pop_note))
            pop_sql = pop.sql
        fields = QgsFields()
        for name, t in (("code", QVariant.String), ("name", QVariant.String), ("vintage", QVariant.Int),
                        ("count", QVariant.Int), ("per_km2", QVariant.Double), ("population", QVariant.Double),
                        ("per_1000", QVariant.Double)):
            fields.append(QgsField(name, t))
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, bng())
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
            out.setAttributes([code, name, vintage, n, round(100.0 * n / float(area_ha), 3) if area_ha else None,
                               None if residents is None else float(residents),
                               None if rate is None else float(rate)])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        if outside:
            feedback.pushWarning(tr(f"{outside} point(s) fall outside every {level} of {vintage} (outside London?)"))
        return {"OUTPUT": dest, "OUTSIDE": outside, "POPULATION": pop_note}


class StoreStyles(_Base):
    title = "Store SafeStats styles in the database"
    group_name = "Database"
    help = ("Saves the SafeStats style of every layer in the database's catalogue as the default style in "
            "the layer_styles table, so the same tables opened from the QGIS Browser (or by colleagues) "
            "come styled. Needs write access to layer_styles (SafeStats admin role).")

    def name(self):
        return "storestyles"

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addOutput(QgsProcessingOutputNumber("STORED", tr("Styles stored")))

    def execute(self, parameters, context, feedback):
        from ..core import catalogue, layers
        db = self.database(parameters, context)
        if not db.relation_exists("public.layer_styles"):
            raise QgsProcessingException(tr("The database has no layer_styles table; run `safestats migrate`."))
        stored, seen = 0, set()
        for entry in catalogue.load_catalogue(db):
            rel = (entry.schema, entry.table)
            if rel in seen:   # one default style per table/view (the first vintage / indicator)
                continue
            seen.add(rel)
            layer = layers.make_layer(db, entry)
            err = layers.store_style(db, layer, entry)
            if err:
                feedback.reportError(tr(f"{entry.schema}.{entry.table}: {err}"))
            else:
                stored += 1
                feedback.pushInfo(tr(f"stored the style of {entry.schema}.{entry.table} ({entry.title})"))
        return {"STORED": stored}


ALGORITHMS = [GeocodeTextField, GeocodeCandidates, AcceptGeocode, CountPointsInAreas, StoreStyles]
