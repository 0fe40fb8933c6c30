"""Comparator styling and Landscape indicator layers from the plugin, on a real comparator run."""
from __future__ import annotations

import pytest
from qgis.core import QgsFeatureRequest, QgsRenderContext
from test_plugin_layers import (  # tests/ is on sys.path (pytest rootdir import)
    qgis_uri,
    render,
)

from qgis_plugin.core import catalogue, comparator, connection, layers, styles

# slow: the Landscape demo data and a comparator build for the module (about 15 s);
# `make test-quick` leaves it out
pytestmark = pytest.mark.slow

METRIC = "pas_good_job"


@pytest.fixture(scope="module")
def qdb(db_url, qgis_app):
    connection.save_connection("SafeStats test comparator", qgis_uri(db_url))
    return connection.Database("SafeStats test comparator")


@pytest.fixture(scope="module")
def run_id(db_url):
    """The landscape demo data and one comparator run over MPS neighbourhoods (the comparator's own build)."""
    from safestats import db
    from safestats.comparator import BuildParams, build
    from safestats.landscape import aggregate_to_neighbourhoods, load_demo_data
    with db.connect(db_url) as c:
        load_demo_data(c)
        aggregate_to_neighbourhoods(c, 2016)
        return build(c, BuildParams(level="neighbourhood", vintage=2016), quiet=True)["run_id"]


def _colours_by_code(layer):
    """{code: fill colour name} as the layer's renderer draws each feature."""
    ctx = QgsRenderContext()
    r = layer.renderer().clone()
    r.startRender(ctx, layer.fields())
    out = {}
    for f in layer.getFeatures(QgsFeatureRequest()):
        ctx.expressionContext().setFeature(f)
        syms = r.symbolsForFeature(f, ctx)
        out[f["code"]] = [s.color().name() for s in syms]
    r.stopRender(ctx)
    return out


@pytest.mark.docs_picture
def test_comparator_colours_the_chosen_area_its_group_by_gap_and_fades_the_rest(qdb, run_id, conn,
                                                                                 qgis_new_project, pictures):
    code = conn.execute("SELECT area_code FROM comparator.area_group WHERE run_id = %s "
                        "ORDER BY area_code LIMIT 1", (run_id,)).fetchone()[0]
    view = comparator.comparator_view(qdb, code, METRIC, run_id)
    layer = view.layer
    assert layer.isValid()
    level, vintage = conn.execute("SELECT level, vintage FROM comparator.run WHERE run_id = %s",
                                  (run_id,)).fetchone()
    n_areas = conn.execute("SELECT count(*) FROM ref.area WHERE level = %s AND vintage = %s",
                           (level, vintage)).fetchone()[0]
    assert layer.featureCount() == n_areas
    similar = {r[0] for r in conn.execute("SELECT similar_code FROM safestats.similar_areas(%s, %s)",
                                          (code, run_id))}
    gaps = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT area_code, gap, significant FROM safestats.comparator_gaps(%s, %s)", (METRIC, run_id))}
    colours = _colours_by_code(layer)
    assert colours[code] == [comparator.CHOSEN]          # the chosen area only: yellow, bold outline
    faded = "#f0f0f0"
    for area, cols in colours.items():
        if area == code:
            continue
        if area not in similar:
            assert cols == [faded], area
            continue
        gap, significant = gaps[area]
        if gap is None:
            continue
        if not significant:
            assert cols == [styles.MUTED], area
        elif gap > 0:
            assert cols[0] in styles.DIVERGING[3:], (area, gap)   # above the group: reds
        elif gap < 0:
            assert cols[0] in styles.DIVERGING[:2], (area, gap)   # below: blues
    assert sum(1 for a in similar if a != code and a in colours) >= 3
    # the table: the chosen area first, then its similar areas
    assert view.rows[0][view.columns.index("code")] == code
    assert {r[view.columns.index("code")] for r in view.rows[1:]} == similar - {code}
    for name in ("gap", "gap_lower", "gap_upper", "z_score"):
        assert name in view.columns
    stats = render([layer], pictures / "comparator.png", layer.extent().buffered(1500),
                   title="Comparator: one neighbourhood and its most similar ones, coloured by gap")
    assert stats["colours"] >= 4


@pytest.mark.docs_picture
def test_where_confidence_varies_most_maps_interval_width(qdb, run_id, conn, qgis_new_project, pictures):
    layer = comparator.variation_layer(qdb, METRIC, run_id)
    assert layer.isValid() and layer.renderer().type() == "graduatedSymbol"
    widths = {r[0]: r[1] for r in conn.execute(
        "SELECT area_code, gap_upper - gap_lower FROM safestats.comparator_gaps(%s, %s)", (METRIC, run_id))}
    got = {f["code"]: f["uncertainty"] for f in layer.getFeatures()}
    assert got.keys() == widths.keys()
    assert all(got[k] == pytest.approx(widths[k]) for k in got if widths[k] is not None)
    assert len(layer.renderer().ranges()) == 5
    render([layer], pictures / "comparator-variation.png", layer.extent().buffered(1500),
           title="Where confidence varies most: width of each gap's 95% interval")


@pytest.mark.docs_picture
def test_catalogue_lists_indicators_by_theme_and_comparator_runs(qdb, run_id, conn, qgis_new_project,
                                                                 pictures):
    entries = catalogue.load_catalogue(qdb)
    themes = {r[0] for r in conn.execute("SELECT DISTINCT theme FROM landscape.indicator i WHERE EXISTS "
                                         "(SELECT 1 FROM landscape.indicator_value v "
                                         "WHERE v.indicator_code = i.indicator_code)")}
    assert ({e.group for e in entries if e.group.startswith("Landscape")}
            == {f"Landscape indicators: {t}" for t in themes})
    ind = next(e for e in entries if e.table == "indicator_map" and f"'{METRIC}'" in e.where
               and "neighbourhood" in e.where)
    layer = layers.make_layer(qdb, ind)
    assert layer.isValid() and layer.renderer().type() == "graduatedSymbol"
    assert layer.temporalProperties().isActive() and layer.temporalProperties().startField() == "period_start"
    groups = next(e for e in entries if e.table == "comparator_area_map" and e.where.endswith(str(run_id)))
    glayer = layers.make_layer(qdb, groups)
    assert glayer.renderer().type() == "categorizedSymbol"
    n_groups = conn.execute("SELECT n_groups FROM comparator.run WHERE run_id = %s", (run_id,)).fetchone()[0]
    assert len(glayer.renderer().categories()) == n_groups
    gap = next(e for e in entries if e.table == "comparator_gap_map" and f"'{METRIC}'" in e.where)
    assert layers.make_layer(qdb, gap).renderer().type() == "RuleRenderer"
    layer.temporalProperties().setIsActive(False)
    stats = render([layer], pictures / "indicator.png", layer.extent().buffered(1500),
                   title="A Landscape indicator (quantile classes)")
    assert stats["non_white"] > 0.05


# -- the dock's Comparator tab, driven like an analyst would ------------------------------------------

@pytest.fixture
def dock(qdb, run_id, qgis_iface, qgis_new_project):
    from qgis.core import QgsSettings
    from test_plugin_dock import show_canvas

    from qgis_plugin.gui.dock import SETTINGS_KEY, SafeStatsDock
    QgsSettings().setValue(SETTINGS_KEY, qdb.name)
    d = SafeStatsDock(qgis_iface)
    assert d.wait(), "the dock's tasks did not finish"      # the dock connects in the background
    assert d.db is not None, d.status.text()
    d.run_box.setCurrentIndex(d.run_box.findData(run_id))
    assert d.wait()
    d.metric_box.setCurrentIndex(d.metric_box.findData(METRIC))
    assert d.run_box.currentData() == run_id and d.metric_box.currentData() == METRIC
    show_canvas(qgis_iface)
    yield d
    d.close_down()
    d.deleteLater()
    qgis_iface.mapCanvas().window().hide()       # a shown canvas renders every layer later tests add


def _layers_named(prefix):
    from qgis.core import QgsProject
    return [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name().startswith(prefix)]


def test_dock_comparator_area_chosen_by_map_click(dock, run_id, conn, qgis_iface):
    from qgis.core import QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt
    level, vintage = conn.execute("SELECT level, vintage FROM comparator.run WHERE run_id = %s",
                                  (run_id,)).fetchone()
    code, x, y = conn.execute(
        "SELECT a.code, ST_X(ST_PointOnSurface(a.geom)), ST_Y(ST_PointOnSurface(a.geom)) FROM ref.area a "
        "JOIN comparator.area_group g ON g.area_code = a.code AND g.run_id = %s "
        "WHERE a.level = %s AND a.vintage = %s "
        "ORDER BY a.code DESC LIMIT 1", (run_id, level, vintage)).fetchone()
    areas = QgsVectorLayer(dock.db.query_layer_uri(
        f"SELECT code, name, geom::geometry(MultiPolygon, 27700) AS geom FROM ref.area "
        f"WHERE level = '{level}' "
        f"AND vintage = {int(vintage)}", "geom", "code"), "areas", "postgres")
    assert areas.isValid()
    QgsProject.instance().addMapLayer(areas)
    qgis_iface.setActiveLayer(areas)
    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(x - 3000, y - 3000, x + 3000, y + 3000))
    dock.pick_area()
    tool = canvas.mapTool()
    assert tool is dock.map_tool
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    pos = QPoint(int(round(pixel.x())), int(round(pixel.y())))
    tool.canvasPressEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonPress, pos, Qt.LeftButton, Qt.LeftButton,
                                           Qt.NoModifier))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, pos, Qt.LeftButton,
                                             Qt.NoButton, Qt.NoModifier))
    assert dock.wait()
    assert dock.area_edit.text() == code
    assert canvas.mapTool() is None                     # the pick tool lets go after one click
    similar = {r[0] for r in conn.execute("SELECT similar_code FROM safestats.similar_areas(%s, %s)",
                                          (code, run_id))}
    table_codes = [dock.group_table.item(r, 0).text() for r in range(dock.group_table.rowCount())]
    assert table_codes[0] == code and set(table_codes[1:]) == similar - {code}
    assert dock.comparator_status.text().startswith(f"{code}: {len(similar - {code})} similar areas")
    shown = _layers_named("")
    assert any(lyr.fields().indexOf("gap") >= 0 for lyr in shown if lyr is not areas)


def test_dock_where_confidence_varies_most_button(dock, run_id, conn):
    from qgis.PyQt.QtWidgets import QPushButton
    button = next(b for b in dock.findChildren(QPushButton) if b.text() == "Where confidence varies most")
    before = {lyr.id() for lyr in _layers_named("")}
    button.click()
    assert dock.wait()
    added = [lyr for lyr in _layers_named("") if lyr.id() not in before]
    assert len(added) == 1
    layer = added[0]
    assert layer.isValid() and layer.renderer().type() == "graduatedSymbol"
    widths = {r[0]: r[1] for r in conn.execute(
        "SELECT area_code, gap_upper - gap_lower FROM safestats.comparator_gaps(%s, %s)", (METRIC, run_id))}
    got = {f["code"]: f["uncertainty"] for f in layer.getFeatures()}
    assert got.keys() == widths.keys()
    from qgis.core import QgsProject
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    assert node.parent().name() == "Comparator"
