"""The `safestats:landscapedrivers` Processing algorithm through processing.run on the shipped data."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from safestats import db, landscape

pytestmark = pytest.mark.slow
CONN = "SafeStats test landscape drivers"


def _qgis_uri(db_url: str) -> str:
    from qgis.core import QgsDataSourceUri
    u = urlparse(db_url)
    q = parse_qs(u.query)
    uri = QgsDataSourceUri()
    uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "postgres", "")
    return uri.uri(False)


@pytest.fixture(scope="module")
def provider(qgis_processing, db_url):
    import qgis_plugin
    from qgis_plugin.core import connection
    with db.connect(db_url) as conn:
        landscape.load_more(conn)
    connection.save_connection(CONN, _qgis_uri(db_url))
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()


def test_drivers_algorithm_writes_ward_contributions_that_sum_to_the_difference(provider, conn):
    import processing
    from qgis.core import QgsProcessingException
    result = processing.run("safestats:landscapedrivers", {
        "CONNECTION": CONN, "BOROUGH": "E09000023", "METRIC": "mps_ward_violence_against_the_person",
        "TOP": 10, "OUTPUT": "memory:", "ASSOCIATIONS": "memory:"})
    layer = result["OUTPUT"]
    feats = list(layer.getFeatures())
    assert len(feats) == 19 and all(f.geometry().area() > 0 for f in feats)
    total = sum(f["contribution"] for f in feats)
    want = conn.execute("SELECT max(borough_difference) FROM safestats.borough_ward_contributions("
                        "'E09000023', 'mps_ward_violence_against_the_person')").fetchone()[0]
    assert total == pytest.approx(want) and result["DIFFERENCE"] == pytest.approx(want)
    assoc = list(result["ASSOCIATIONS"].getFeatures())
    assert len(assoc) == 10
    top = conn.execute("SELECT indicator_code, rho FROM safestats.indicator_associations("
                       "'mps_ward_violence_against_the_person') LIMIT 1").fetchone()
    assert assoc[0]["indicator"] == top[0] and assoc[0]["rho"] == pytest.approx(top[1])
    with pytest.raises(QgsProcessingException, match="unknown indicator"):
        processing.run("safestats:landscapedrivers", {
            "CONNECTION": CONN, "BOROUGH": "E09000023", "METRIC": "no_such_metric",
            "OUTPUT": "memory:", "ASSOCIATIONS": "memory:"})
