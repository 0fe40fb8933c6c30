"""The `safestats:violencehotspots` Processing algorithm gives the database's cells and classes."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from qgis.core import QgsDataSourceUri, QgsProcessingException

import qgis_plugin
from qgis_plugin.core import connection
from safestats import config

CONN = "SafeStats test violence"
MONTH_FILE = config.SHIPPED_DATA_DIR / "loaders" / "2024-11-city-of-london-street.csv.gz"


def qgis_uri(db_url: str) -> str:
    u = urlparse(db_url)
    q = parse_qs(u.query)
    uri = QgsDataSourceUri()
    uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "postgres", "")
    return uri.uri(False)


@pytest.fixture(scope="module")
def provider(qgis_processing, db_url):
    import os

    from safestats.cli import main
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url
    try:
        assert main(["load", "police-uk", str(MONTH_FILE), "--quiet"]) == 0
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = old
    connection.save_connection(CONN, qgis_uri(db_url))
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()


def test_grid_hotspots_equal_the_database(provider, conn):
    import processing
    result = processing.run("safestats:violencehotspots", {
        "CONNECTION": CONN, "SOURCE": 0, "FROM": "2024-11-01", "TO": "2024-11-30", "LEVEL": 0, "CELL": 200,
        "BAND": 1.5, "FDR": 0.05, "LARGE_RADIUS": 0, "BOROUGHS": "E09000001", "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    got = {f["unit"]: (f["records"], f["hotspot"], round(f["gi_z"] or 0, 9)) for f in layer.getFeatures()}
    want = {f"{x}_{y}": (n, h, round(z or 0, 9)) for x, y, n, h, z in conn.execute(
        "SELECT cell_x, cell_y, records, hotspot, gi_z FROM safestats.violence_hotspots('street-crime', "
        "'2024-11-01', '2024-11-30', 200, NULL, 'spread', 1.5, 0.05, ARRAY['E09000001'])")}
    assert got == want and len(got) > 20
    assert result["USED"] == sum(n for n, _, _ in got.values()) > 500
    assert result["HOT"] == sum(1 for _, h, _ in got.values() if h == "hot")
    f = next(layer.getFeatures())
    assert f.geometry().area() == pytest.approx(200 * 200)


def test_ward_hotspots_and_a_bad_date(provider):
    import processing
    result = processing.run("safestats:violencehotspots", {
        "CONNECTION": CONN, "SOURCE": 0, "FROM": "2024-11-01", "TO": "2024-11-30", "LEVEL": 2,
        "BOROUGHS": "E09000001, E09000030", "OUTPUT": "memory:"})
    assert result["OUTPUT"].featureCount() > 20
    with pytest.raises(QgsProcessingException, match="YYYY-MM-DD"):
        processing.run("safestats:violencehotspots", {"CONNECTION": CONN, "FROM": "1/11/2024",
                                                      "TO": "2024-11-30", "OUTPUT": "memory:"})
