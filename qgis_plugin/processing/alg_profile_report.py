"""``safestats:profilereport``: the neighbourhood profile report (one PDF page per area) headless."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base import SafeStatsAlgorithm, tr


class ProfileReport(SafeStatsAlgorithm):
    alg_id = "profilereport"
    title = "Neighbourhood profile report (PDF atlas)"
    group_name = "Reports"
    help_anchor = "neighbourhood-profile-report"
    help_text = (
        "Writes an A4 landscape PDF with two pages per area of a comparator run (or only the listed area "
        "codes): a map of the area and its most similar areas with legend, scale bar and attribution; "
        "the table of its gaps against its similar areas with 95% intervals; the comparator chart; its "
        "street-level crime per month; then the spine chart of its indicators on London's range by "
        "theme; the date and sources of the data. Charts are drawn as vector graphics with real text.")

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addParameter(QgsProcessingParameterNumber(
            "RUN", tr("Comparator run (empty: the latest)"), QgsProcessingParameterNumber.Integer,
            optional=True, minValue=1))
        self.addParameter(QgsProcessingParameterString(
            "AREAS", tr("Area codes, comma separated (empty: every area of the run)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "DPI", tr("Resolution of raster parts (dots per inch)"), QgsProcessingParameterNumber.Integer,
            150, False, 72, 600))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", tr("Report"), tr("PDF files (*.pdf)")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", tr("Pages written")))

    def execute(self, parameters, context, feedback):
        from ..core import report
        db = self.database(parameters, context)
        given = parameters.get("RUN") not in (None, "")
        run = self.parameterAsInt(parameters, "RUN", context) if given else None
        areas = [a.strip() for a in (self.parameterAsString(parameters, "AREAS", context) or "").split(",")
                 if a.strip()]
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        result = report.write_report(db, out, run or None, areas or None,
                                     self.parameterAsInt(parameters, "DPI", context), feedback)
        feedback.pushInfo(tr("{0} pages written to {1}").format(result.pages, result.path))
        return {"OUTPUT": str(result.path), "PAGES": result.pages}
