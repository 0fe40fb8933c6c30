"""The comparator and indicator views as QGIS sees them (real QGIS via pytest-qgis): valid polygon
layers keyed by feature_key, and a date field the temporal controller can use."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from safestats import db
from safestats.comparator import BuildParams, build
from safestats.landscape import aggregate_to_neighbourhoods, load_demo_data


@pytest.fixture(scope="module")
def run_id(db_url):
    with db.connect(db_url) as conn:
        load_demo_data(conn)
        aggregate_to_neighbourhoods(conn, 2016)
        return build(conn, BuildParams(level="neighbourhood", vintage=2016), quiet=True)["run_id"]


@pytest.fixture
def layer_for(db_url):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    def make(view, sql):
        u = urlparse(db_url)
        q = parse_qs(u.query)
        uri = QgsDataSourceUri()
        uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "postgres", "")
        uri.setDataSource("safestats", view, "geom", sql, "feature_key")
        return QgsVectorLayer(uri.uri(False), view, "postgres")
    return make


def test_group_and_gap_layers_open_with_their_columns(qgis_app, run_id, layer_for):
    from qgis.core import QgsWkbTypes
    groups = layer_for("comparator_area_map", f"run_id = {int(run_id)}")
    assert groups.isValid(), groups.error().summary()
    assert groups.featureCount() == 106 and groups.crs().authid() == "EPSG:27700"
    assert QgsWkbTypes.geometryType(groups.wkbType()) == QgsWkbTypes.PolygonGeometry
    assert {"group_no", "silhouette", "area_name"} <= set(groups.fields().names())
    assert len({f["group_no"] for f in groups.getFeatures()}) == 12
    gaps = layer_for("comparator_gap_map", f"run_id = {int(run_id)} AND metric = 'pas_good_job'")
    assert gaps.isValid(), gaps.error().summary()
    feats = list(gaps.getFeatures())
    assert len(feats) == 106
    assert all(f["gap_lower"] < f["gap"] < f["gap_upper"] for f in feats)


def test_indicator_map_has_a_date_for_the_temporal_controller(qgis_app, run_id, layer_for):
    from qgis.core import QgsVectorLayerTemporalProperties
    from qgis.PyQt.QtCore import QVariant
    layer = layer_for("indicator_map", "indicator_code = 'pas_good_job'")
    assert layer.isValid(), layer.error().summary()
    idx = layer.fields().indexOf("period_start")
    assert idx >= 0 and layer.fields().at(idx).type() == QVariant.Date
    props = layer.temporalProperties()
    props.setIsActive(True)
    props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    props.setStartField("period_start")
    assert props.isActive() and props.startField() == "period_start"
    assert layer.featureCount() == 106
