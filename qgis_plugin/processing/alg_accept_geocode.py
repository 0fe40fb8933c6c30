"""``safestats:acceptgeocode``: make one candidate the answer for a text at a site (an alias)."""
from __future__ import annotations

from qgis.core import QgsProcessingOutputString

from ..core import review
from .base import TextAtSiteAlgorithm, tr


class AcceptGeocode(TextAtSiteAlgorithm):
    alg_id = "acceptgeocode"
    title = "Accept a geocoding candidate"
    help_text = (
        "Records the analyst's decision for one location text: candidate number RANK from 'Show "
        "geocoding candidates' is written to the geocoder's alias table (text as entered + site code), "
        "so the same text at the same site geocodes exactly to it next time.")

    def initAlgorithm(self, config=None):
        self.add_text_parameters("RANK", tr("Candidate to accept (1 = best)"), 1)
        self.addOutput(QgsProcessingOutputString("MATCHED", tr("Accepted candidate")))

    def execute(self, parameters, context, feedback):
        db = self.database(parameters, context)
        text, site, rank = self.text_site_number(parameters, context, "RANK")
        matched = review.accept_candidate(db, text, site, rank)
        feedback.pushInfo(tr("'{0}' at site {1} now means: {2}").format(text, site or tr("(any)"), matched))
        return {"MATCHED": matched}
