"""The `safestats:` Processing algorithms through processing.run, against the real test database."""
from __future__ import annotations

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer

import qgis_plugin
from qgis_plugin.core import connection
from test_plugin_layers import qgis_uri  # tests/ is on sys.path (pytest rootdir import)

CONN = "SafeStats test processing"


@pytest.fixture(scope="module")
def provider(qgis_processing, db_url):
    connection.save_connection(CONN, qgis_uri(db_url))
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()


def _points_layer(points_wgs84) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:integer", "points", "memory")
    feats = []
    for i, (lon, lat) in enumerate(points_wgs84):
        f = QgsFeature(layer.fields())
        f.setAttributes([i])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_count_points_in_areas_matches_the_databases_assignment(provider, conn):
    import processing
    pts = [(-0.1276 + 0.01 * (i % 7), 51.50 + 0.008 * (i % 5)) for i in range(60)] + [(2.35, 48.85)]
    result = processing.run("safestats:countpointsinareas", {
        "CONNECTION": CONN, "INPUT": _points_layer(pts), "LEVEL": 0, "VINTAGE": 2018,
        "KEEP_EMPTY": False, "OUTPUT": "memory:"})
    out = result["OUTPUT"]
    got = {f["code"]: f["count"] for f in out.getFeatures()}
    # The same points assigned by SQL directly (psycopg, parameterised).
    expected: dict[str, int] = {}
    for lon, lat in pts:
        code = conn.execute("SELECT safestats.area_at(ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 27700), "
                            "'ward', 2018)", (lon, lat)).fetchone()[0]
        if code:
            expected[code] = expected.get(code, 0) + 1
    assert got == expected and sum(got.values()) == 60
    assert result["OUTSIDE"] == 1
    assert out.wkbType() in (6, 1006) or "Polygon" in out.geometry().__class__.__name__ or out.geometryType() == 2
    f = next(out.getFeatures())
    area_ha = conn.execute("SELECT area_ha FROM ref.area WHERE level = 'ward' AND vintage = 2018 AND code = %s",
                           (f["code"],)).fetchone()[0]
    assert f["per_km2"] == pytest.approx(100.0 * f["count"] / float(area_ha), rel=1e-3)


def test_count_points_refuses_a_missing_vintage_with_the_ones_available(provider):
    import processing
    with pytest.raises(QgsProcessingException, match="no borough boundaries for 2005; vintages available: 2022"):
        processing.run("safestats:countpointsinareas", {
            "CONNECTION": CONN, "INPUT": _points_layer([(-0.1, 51.5)]), "LEVEL": 3, "VINTAGE": 2005,
            "OUTPUT": "memory:"})


def test_store_styles_writes_one_default_style_per_relation(provider, conn):
    import processing
    result = processing.run("safestats:storestyles", {"CONNECTION": CONN})
    rows = conn.execute("SELECT f_table_schema || '.' || f_table_name FROM public.layer_styles WHERE useasdefault "
                        "ORDER BY 1").fetchall()
    assert result["STORED"] == len(rows) >= 6
    assert ("safestats.wards",) in rows and ("health.ae_assault",) in rows
    # Storing again replaces the defaults rather than piling up rows.
    processing.run("safestats:storestyles", {"CONNECTION": CONN})
    n = conn.execute("SELECT count(*) FROM public.layer_styles WHERE useasdefault").fetchone()[0]
    assert n == len(rows)


def test_unknown_connection_is_a_clear_processing_error(provider):
    import processing
    with pytest.raises(QgsProcessingException, match="no QGIS PostgreSQL connection called 'Renamed'"):
        processing.run("safestats:storestyles", {"CONNECTION": "Renamed"})
