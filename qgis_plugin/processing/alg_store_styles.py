"""``safestats:storestyles``: save the SafeStats style of every catalogue layer in ``layer_styles``."""
from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingOutputNumber

from .base import SafeStatsAlgorithm, tr


class StoreStyles(SafeStatsAlgorithm):
    alg_id = "storestyles"
    title = "Store SafeStats styles in the database"
    group_name = "Database"
    help_text = (
        "Saves the SafeStats style of every layer in the database's catalogue as the default style in "
        "the layer_styles table, so the same tables opened from the QGIS Browser (or by colleagues) "
        "come styled. Needs write access to layer_styles (SafeStats admin role).")

    def initAlgorithm(self, config=None):
        self.add_connection_parameter()
        self.addOutput(QgsProcessingOutputNumber("STORED", tr("Styles stored")))

    def execute(self, parameters, context, feedback):
        from ..core import catalogue, layers
        db = self.database(parameters, context)
        if not db.relation_exists("public.layer_styles"):
            raise QgsProcessingException(
                tr("The database has no layer_styles table; run `safestats migrate`."))
        stored, seen = 0, set()
        for entry in catalogue.load_catalogue(db):
            rel = (entry.schema, entry.table)
            if rel in seen:   # one default style per table/view (the first vintage / indicator)
                continue
            seen.add(rel)
            layer = layers.make_layer(db, entry)
            err = layers.store_style(db, layer, entry)
            if err:
                feedback.reportError(f"{entry.schema}.{entry.table}: {err}")
            else:
                stored += 1
                feedback.pushInfo(tr("stored the style of {0} ({1})").format(f"{entry.schema}.{entry.table}",
                                                                             entry.title))
        return {"STORED": stored}
