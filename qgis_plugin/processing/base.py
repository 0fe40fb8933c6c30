"""What every SafeStats Processing algorithm shares: the connection parameter, translation, instance
creation, group and help from class attributes, output sinks in British National Grid, and turning
SafeStats errors into Processing errors.

A subclass sets ``alg_id`` (the id after ``safestats:``; never change it, models and scripts use it),
``title``, ``group_name`` and ``help_text``, adds its own parameters in ``initAlgorithm`` (after
:meth:`SafeStatsAlgorithm.add_connection_parameter`) and does its work in ``execute``."""
from __future__ import annotations

from collections.abc import Iterable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..core.connection import Database, SafeStatsError

# The plugin's manual (docs/qgis-plugin.md of the repository named in metadata.txt).
DOCS_URL = "https://github.com/safestats/safestats/blob/main/docs/qgis-plugin.md"


def bng() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem("EPSG:27700")


def tr(text: str) -> str:
    return QCoreApplication.translate("SafeStats", text)


def make_fields(fields: Iterable[QgsField]) -> QgsFields:
    out = QgsFields()
    for f in fields:
        out.append(f)
    return out


def result_fields() -> list[QgsField]:
    """The geocoder's statement about one answer, as output fields."""
    return [QgsField("confidence", QVariant.Double), QgsField("radius_m", QVariant.Double),
            QgsField("level", QVariant.String), QgsField("matched", QVariant.String),
            QgsField("ambiguous", QVariant.Bool)]


class SafeStatsAlgorithm(QgsProcessingAlgorithm):
    """Shared pieces: the connection parameter and turning SafeStats errors into Processing errors."""

    alg_id = ""
    title = ""
    group_name = "Geocoding"
    help_text = ""
    help_anchor = "processing-algorithms-provider-safestats"   # a heading of docs/qgis-plugin.md

    def createInstance(self):
        return type(self)()

    def name(self) -> str:
        return self.alg_id

    def displayName(self) -> str:
        return tr(self.title)

    def group(self) -> str:
        return tr(self.group_name)

    def groupId(self) -> str:
        return self.group_name.lower().replace(" ", "_")

    def shortHelpString(self) -> str:
        return tr(self.help_text)

    def helpUrl(self) -> str:  # noqa: N802
        """The algorithm's section of the plugin's manual (the Processing dialog's Help button)."""
        return f"{DOCS_URL}#{self.help_anchor}"

    def add_connection_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterProviderConnection(
            "CONNECTION", tr("SafeStats database (QGIS PostgreSQL connection)"), "postgres"))

    def database(self, parameters, context) -> Database:
        name = self.parameterAsConnectionName(parameters, "CONNECTION", context)
        try:
            return Database(name)
        except SafeStatsError as e:
            raise QgsProcessingException(str(e)) from None

    def sink(self, parameters, context, fields: QgsFields, wkb_type,
             name: str = "OUTPUT") -> tuple[QgsFeatureSink, str]:
        """The output sink ``name`` in EPSG:27700; a Processing error if it cannot be created."""
        sink, dest = self.parameterAsSink(parameters, name, context, fields, wkb_type, bng())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest

    def processAlgorithm(self, parameters, context, feedback):
        try:
            return self.execute(parameters, context, feedback)
        except SafeStatsError as e:
            raise QgsProcessingException(str(e)) from None

    def execute(self, parameters, context, feedback) -> dict:
        raise NotImplementedError


class TextAtSiteAlgorithm(SafeStatsAlgorithm):
    """An algorithm about one location text as entered, at an optional A&E site, with a number 1–50
    (how many candidates, or which one); ``label`` comes translated (a static ``tr("…")``)."""

    def add_text_parameters(self, number: str, label: str, default: int) -> None:
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterString("TEXT", tr("Location text, exactly as entered")))
        self.addParameter(QgsProcessingParameterString("SITE_CODE", tr("A&E site code"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            number, label, QgsProcessingParameterNumber.Integer, default, False, 1, 50))

    def text_site_number(self, parameters, context, number: str) -> tuple[str, str | None, int]:
        return (self.parameterAsString(parameters, "TEXT", context),
                self.parameterAsString(parameters, "SITE_CODE", context) or None,
                self.parameterAsInt(parameters, number, context))
