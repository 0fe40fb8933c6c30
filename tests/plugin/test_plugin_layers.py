"""The plugin's layer catalogue, layers and styles against the real test database, rendered to PNG."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from qgis.core import (
    QgsDataSourceUri,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from qgis_plugin.core import catalogue, connection, layers, log, styles
from qgis_plugin.core.connection import Database, SafeStatsError
from qgis_plugin.core.sql import UnquotableValue, quote_ident, quote_literal

LONDON = QgsRectangle(503000, 155000, 562000, 201000)


def qgis_uri(db_url: str) -> str:
    """A libpq URI for QGIS from the fixture URL (socket directory as host, no password)."""
    u = urlparse(db_url)
    q = parse_qs(u.query)
    uri = QgsDataSourceUri()
    uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "postgres", "")
    return uri.uri(False)


@pytest.fixture(scope="module")
def qdb(db_url, qgis_app) -> Database:
    name = "SafeStats test layers"
    connection.save_connection(name, qgis_uri(db_url))
    return Database(name)


@pytest.fixture(scope="module")
def ae_records(db_url):
    """Twelve geocoded A&E records spread over the confidence bands (what the ISTV loader stores)."""
    import psycopg
    with psycopg.connect(db_url, autocommit=True) as c:
        load_id = c.execute("INSERT INTO safestats.load (source, file_name, status) VALUES "
                            "('test', 'plugin-test', 'loaded') RETURNING load_id").fetchone()[0]
        c.execute("""
          INSERT INTO health.ae_assault (load_id, site_code, organisation_code, period_start, period_end,
                                         location_text, geom, geocode_confidence, geocode_radius_m,
                                         geocode_level, geocode_ambiguous)
          SELECT %s, 'RJ122', 'RJ1', date '2024-01-01' + mod(i, 6) * interval '1 month',
                 date '2024-01-31' + mod(i, 6) * interval '1 month', 'test ' || i,
                 ST_SetSRID(ST_MakePoint(530000 + i * 900, 178000 + mod(i, 4) * 1500), 27700),
                 (ARRAY[0.3, 0.6, 0.8, 0.95])[mod(i, 4) + 1], 100 + i * 60, 'street', mod(i, 5) = 0
          FROM generate_series(1, 12) i""", (load_id,))
    return 12


def render(layers_, path: Path, extent=LONDON, size=(900, 700), title: str | None = None) -> dict:
    """Render ``layers_`` to ``path`` and return simple pixel statistics. With a ``title`` the picture
    is exported through a print layout (title, legend, scale bar, attribution), as for the docs."""
    if title is not None:
        from qgis.PyQt.QtGui import QImage

        from qgis_plugin.core.report import map_picture
        map_picture(layers_, path, title, extent)
        return _stats(QImage(str(path)))
    ms = QgsMapSettings()
    ms.setLayers(layers_)
    ms.setDestinationCrs(layers_[0].crs())
    ms.setExtent(extent)
    ms.setOutputSize(QSize(*size))
    ms.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    path.parent.mkdir(parents=True, exist_ok=True)
    assert img.save(str(path), "PNG")
    return _stats(img)


def _stats(img) -> dict:
    colours, non_white = set(), 0
    for x in range(0, img.width(), 5):
        for y in range(0, img.height(), 5):
            c = img.pixel(x, y) & 0xFFFFFF
            colours.add(c)
            non_white += c != 0xFFFFFF
    samples = (img.width() // 5 + 1) * (img.height() // 5 + 1)
    return {"non_white": non_white / samples, "colours": len(colours)}


def test_quoting_round_trips_hostile_text_through_qgis(qdb):
    for text in ["O'Brien's", "back\\slash \\' tail", "new\nline\ttab", "$$ dollar $$", "é 😀 Ω",
                 "x'); DROP TABLE health.ae_assault; --", "", "a" * 10000]:
        assert qdb.scalar("SELECT " + quote_literal(text)) == text
    weird = 'we"ird'
    assert qdb.scalar(f"SELECT 1 AS {quote_ident(weird)}") == 1
    with pytest.raises(UnquotableValue):
        quote_literal("nul\x00byte")


def test_unknown_connection_and_unreachable_database_give_clear_messages(qgis_app, tmp_path):
    with pytest.raises(SafeStatsError, match="no QGIS PostgreSQL connection called 'gone'.*renamed"):
        Database("gone")
    uri = QgsDataSourceUri()
    uri.setConnection(str(tmp_path), "1", "nowhere", "postgres", "")
    connection.save_connection("SafeStats unreachable", uri.uri(False))
    with pytest.raises(SafeStatsError,
                       match="Cannot reach the SafeStats database of connection 'SafeStats unreachable'"):
        Database("SafeStats unreachable").check()
    assert any("Cannot reach" in line for line in log.lines())   # and it is in the copyable log


def test_catalogue_lists_boundaries_by_vintage_and_ae_records(qdb, conn):
    entries = {e.key: e for e in catalogue.load_catalogue(qdb)}
    vintages = {r[0] for r in conn.execute("SELECT DISTINCT vintage FROM ref.area WHERE level = 'ward'")}
    assert ({k for k in entries if k.startswith("safestats.wards:")}
            == {f"safestats.wards:{v}" for v in vintages})
    assert entries["safestats.wards:2018"].title == "Wards (2018 boundaries)"
    assert entries["health.ae_assault"].style == "confidence"
    assert entries["health.ae_assault"].value_field == "geocode_confidence"
    # raw reference tables stay behind their views
    assert not any(e.schema == "ref" for e in entries.values())
    assert [e.key for e in entries.values() if e.matches("wards 2022")] == ["safestats.wards:2022"]


def test_boundary_layers_are_valid_with_the_right_feature_counts(qdb, conn, qgis_new_project):
    entries = {e.key: e for e in catalogue.load_catalogue(qdb)}
    for key, level, vintage in [("safestats.wards:2018", "ward", 2018),
                                ("safestats.boroughs:2022", "borough", 2022)]:
        layer = layers.make_layer(qdb, entries[key])
        expected = conn.execute("SELECT count(*) FROM ref.area WHERE level = %s AND vintage = %s",
                                (level, vintage)).fetchone()[0]
        assert layer.isValid() and layer.featureCount() == expected
        assert layer.renderer().type() == "singleSymbol"
        assert "password" not in layer.source()
    boroughs = layers.make_layer(qdb, entries["safestats.boroughs:2022"])
    assert boroughs.labelsEnabled()


def test_ae_layer_is_styled_by_confidence_and_time_enabled(qdb, ae_records, qgis_new_project):
    entry = next(e for e in catalogue.load_catalogue(qdb) if e.key == "health.ae_assault")
    layer = layers.make_layer(qdb, entry)
    assert layer.featureCount() == ae_records
    r = layer.renderer()
    assert r.type() == "graduatedSymbol" and r.classAttribute() == "geocode_confidence"
    assert ([(x.lowerValue(), x.upperValue()) for x in r.ranges()]
            == [(lo, hi) for lo, hi, *_ in styles.CONFIDENCE_BANDS])
    # the radius halo is sized from the record's radius, in map units
    ranges = r.ranges()        # keep the copies alive while reading their symbols
    halo = ranges[0].symbol().symbolLayer(0)
    assert "geocode_radius_m" in halo.dataDefinedProperties().property(halo.PropertySize).expressionString()
    # each band really gets records (the test data spreads confidence over all four)
    counts = [sum(1 for f in layer.getFeatures()
                  if x.lowerValue() <= f["geocode_confidence"] < x.upperValue() + 1e-9)
              for x in r.ranges()]
    assert all(counts) and sum(counts) == ae_records
    tp = layer.temporalProperties()
    assert entry.time_field == "period_start" and tp.isActive() and tp.startField() == "period_start"
    project = QgsProject.instance()
    layers.add_to_project(layer, entry.group, project)
    rng = project.timeSettings().temporalRange()
    assert rng.begin().date().toString("yyyy-MM-dd") == "2024-01-01"
    assert rng.end().date().toString("yyyy-MM-dd") == "2024-07-01"
    group = project.layerTreeRoot().findGroup("SafeStats").findGroup("Health (A&E)")
    assert group.findLayer(layer.id()) is not None


def test_graduated_style_classes_by_quantile(qdb, conn, qgis_new_project):
    # A choropleth on a real numeric column: ward areas (hectares).
    entry = next(e for e in catalogue.load_catalogue(qdb) if e.key == "safestats.wards:2018")
    layer = layers.make_layer(qdb, entry)
    r = styles.graduated_renderer(layer, "area_ha", classes=5)
    assert r.type() == "graduatedSymbol" and len(r.ranges()) == 5
    values = sorted(f["area_ha"] for f in layer.getFeatures())
    per_class = [sum(1 for v in values if rg.lowerValue() <= v <= rg.upperValue()) for rg in r.ranges()]
    assert max(per_class) - min(per_class) <= 0.1 * len(values)   # quantiles: about equal counts
    assert r.ranges()[0].symbol().color() != r.ranges()[-1].symbol().color()


def test_styles_stored_in_layer_styles_open_from_the_browser_styled(qdb, conn, qgis_new_project):
    entries = [e for e in catalogue.load_catalogue(qdb)
               if e.key in ("safestats.boroughs:2022", "health.ae_assault")]
    for e in entries:
        assert layers.store_style(qdb, layers.make_layer(qdb, e), e) == ""
    rows = conn.execute("SELECT f_table_schema, f_table_name, useasdefault FROM public.layer_styles "
                        "ORDER BY 1, 2").fetchall()
    assert rows == [("health", "ae_assault", True), ("safestats", "boroughs", True)]
    # A plain layer (as the Browser opens it) loads the stored default style.
    ae = next(e for e in entries if e.table == "ae_assault")
    plain = QgsVectorLayer(qdb.layer_uri("health", "ae_assault", "geom", '"record_id"'), "plain", "postgres")
    assert plain.isValid() and plain.renderer().type() == "graduatedSymbol"
    assert plain.renderer().classAttribute() == ae.value_field


@pytest.mark.docs_picture
def test_render_boundaries_and_ae_points(qdb, ae_records, qgis_new_project, pictures):
    entries = {e.key: e for e in catalogue.load_catalogue(qdb)}
    boroughs = layers.make_layer(qdb, entries["safestats.boroughs:2022"])
    wards = layers.make_layer(qdb, entries["safestats.wards:2022"])
    ae = layers.make_layer(qdb, entries["health.ae_assault"])
    ae.temporalProperties().setIsActive(False)   # all records in one still picture
    stats = render([ae, boroughs, wards], pictures / "plugin-boundaries-ae.png",
                   title="Geocoded A&E records by confidence, with their radius (test records)")
    assert stats["non_white"] > 0.05 and stats["colours"] > 5
