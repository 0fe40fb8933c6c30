"""The database as QGIS sees it (real QGIS via pytest-qgis): area views open as valid layers."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest


@pytest.fixture
def uri_for(db_url):
    from qgis.core import QgsDataSourceUri

    def make(schema, table, key, sql=""):
        u = urlparse(db_url)
        q = parse_qs(u.query)
        uri = QgsDataSourceUri()
        uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "postgres", "")
        uri.setDataSource(schema, table, "geom", sql, key)
        return uri.uri(False)
    return make


def test_ward_view_opens_as_a_valid_polygon_layer(qgis_app, uri_for):
    from qgis.core import QgsVectorLayer, QgsWkbTypes
    layer = QgsVectorLayer(uri_for("safestats", "wards", "code", "vintage = 2018"), "Wards 2018", "postgres")
    assert layer.isValid(), layer.error().summary()
    assert layer.featureCount() == 657
    assert layer.crs().authid() == "EPSG:27700"
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PolygonGeometry
