"""``safestats:geocodetextfield``: locate the free text of one field with ``safestats.geocode``."""
from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core import geocoding
from ..core.connection import py
from ..core.log import log
from .base import SafeStatsAlgorithm, result_fields, tr


def merge_fields(base: QgsFields, extra: list[QgsField],
                 prefix: str = "geocode_") -> tuple[QgsFields, list[str]]:
    """Input fields plus ``extra``; an extra name already taken gets ``prefix``."""
    fields = QgsFields(base)
    names = []
    for f in extra:
        name = f.name() if fields.indexOf(f.name()) < 0 else prefix + f.name()
        fields.append(QgsField(name, f.type()))
        names.append(name)
    return fields, names


class GeocodeTextField(SafeStatsAlgorithm):
    alg_id = "geocodetextfield"
    title = "Geocode a text field"
    help_text = (
        "Locates the free text of one field (e.g. the A&E 'assault location' text) with the database's "
        "safestats.geocode(), which states how sure it is: confidence (0–1), radius in metres, level "
        "(postcode, venue, junction, street, …), what it matched and whether the text was ambiguous. "
        "An optional site-code field (or a fixed site code) tells the geocoder which A&E site reported "
        "the record, so nearby namesakes win. Rows the geocoder cannot place keep no geometry. "
        "Each distinct text is sent once; values travel as quoted literals, never pasted SQL.")

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
        fields, _names = merge_fields(source.fields(), result_fields())
        sink, dest = self.sink(parameters, context, fields, QgsWkbTypes.Point)

        def pair(f):
            text = py(f[text_field])
            site = py(f[site_field]) if site_field else site_code
            return ("" if text is None else str(text), None if site is None else str(site))

        feedback.pushInfo(tr("Reading the input…"))
        features = list(source.getFeatures())
        feedback.pushInfo(tr("{0} rows, {1} distinct texts; geocoding in the database…").format(
            len(features), len(set(map(pair, features)))))
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
