"""The dock driven like an analyst would: search, add a layer, copy the log, and review uncertain
geocodes step by step (candidates on the map, accept by button or by clicking the map) — real QGIS
widgets and a real map canvas against the real test database with the shipped gazetteer slice."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QItemSelectionModel, QPoint, Qt
from qgis.PyQt.QtWidgets import QApplication
from test_plugin_layers import qgis_uri, render  # tests/ is on sys.path (pytest rootdir import)
from test_plugin_processing import gazetteer  # noqa: F401  (module fixture: the shipped gazetteer slice)

from qgis_plugin.core import connection, log, review
from qgis_plugin.gui.dock import SETTINGS_KEY, SafeStatsDock

CONN = "SafeStats test dock"
# A&E texts as typed at reception, with the reporting site; repeats are separate records.
AE_TEXTS = [("peckham high st", "RJZ01")] * 3 + [("kings college hosp", "RJ122"), ("rye ln", "RJZ01"),
            ("denmark hill station", "RJZ01"), ("camberwell green", "RJZ01"), ("HOME", "RJ122"),
            ("O'Brien's bar, rye lane", "RJZ01")]


@pytest.fixture(scope="module")
def qdb(db_url, qgis_app):
    connection.save_connection(CONN, qgis_uri(db_url))
    return connection.Database(CONN)


@pytest.fixture(scope="module")
def ae(gazetteer, db_url):  # noqa: F811
    """A&E records geocoded the geocoder's own way (own columns + gazetteer.geocode_result)."""
    import psycopg

    from safestats.geocoding.batch import geocode_table
    with psycopg.connect(db_url, autocommit=True) as c:
        load_id = c.execute("INSERT INTO safestats.load (source, file_name, status) VALUES "
                            "('test', 'plugin-dock-test', 'loaded') RETURNING load_id").fetchone()[0]
        with c.cursor() as cur:
            cur.executemany(
                "INSERT INTO health.ae_assault (load_id, site_code, organisation_code, period_start, "
                "period_end, location_text) VALUES (%s, %s, 'RJ1', '2024-01-01', '2024-01-31', %s)",
                [(load_id, site, text) for text, site in AE_TEXTS])
        geocode_table(c, "health.ae_assault", "location_text", "site_code", jobs=1, quiet=True)
    return len(AE_TEXTS)


def show_canvas(iface):
    """The pytest-qgis map canvas at 800 × 600 px in EPSG:27700, ready for clicks and zooms."""
    canvas = iface.mapCanvas()
    # A widget in a hidden window gets its resize event only when the window is shown (offscreen
    # here); the canvas's map settings take their pixel size from that event.
    canvas.resize(800, 600)
    canvas.window().show()
    QApplication.processEvents()
    assert canvas.mapSettings().outputSize().width() >= 790
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    return canvas


@pytest.fixture
def fresh_ae(ae, db_url):
    """The fixture records re-geocoded from scratch: earlier tests accepted candidates (and then forgot
    the aliases), which left their records refreshed to the accepted place."""
    import psycopg

    from safestats.geocoding.batch import geocode_table
    with psycopg.connect(db_url, autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM gazetteer.alias").fetchone()[0] == 0
        geocode_table(c, "health.ae_assault", "location_text", "site_code", redo=True, jobs=1, quiet=True)
    return ae


@pytest.fixture
def dock(qgis_iface, qdb, qgis_new_project):
    from qgis.core import QgsSettings
    QgsSettings().setValue(SETTINGS_KEY, CONN)      # the connection used last time: connects at once
    d = SafeStatsDock(qgis_iface)
    assert d.wait(), "the dock's tasks did not finish"
    assert d.db is not None, d.status.text()
    show_canvas(qgis_iface)
    yield d
    d.close_down()
    d.deleteLater()
    # Hide the window again: a shown canvas renders every layer later test modules add.
    qgis_iface.mapCanvas().window().hide()


def _expected_items(conn, threshold):
    return {(t, s): n for t, s, n in conn.execute(
        "SELECT location_text, site_code, count(*) FROM health.ae_assault WHERE btrim(location_text) <> '' "
        "AND (geocode_ambiguous OR coalesce(geocode_confidence, 0) < %s) GROUP BY 1, 2", (threshold,))}


def _alternative(conn, items):
    """(index, rank, matched, feature_id) of a listed text with a candidate other than the first choice."""
    for i, item in enumerate(items):
        rows = conn.execute("SELECT matched, (explain->>'feature_id')::bigint FROM "
                            "safestats.geocode_candidates(%s, %s, 5)", (item.text, item.site_code)).fetchall()
        for rank, (matched, fid) in enumerate(rows, start=1):
            if rank > 1 and fid is not None and matched != rows[0][0]:
                return i, rank, matched, fid
    pytest.fail("no listed text has an alternative candidate")


# -- Layers tab and log -----------------------------------------------------------------------------

def test_search_filters_the_catalogue_tree(dock):
    def titles():
        out = []
        for i in range(dock.tree.topLevelItemCount()):
            g = dock.tree.topLevelItem(i)
            out += [g.child(j).text(0) for j in range(g.childCount())]
        return out
    everything = titles()
    assert len(everything) == len(dock.entries) > 5
    dock.search.setText("boroughs")
    shown = titles()
    assert shown and len(shown) < len(everything)
    assert shown == [e.title for e in dock.entries if e.matches("boroughs")]
    dock.search.setText("no such layer at all")
    assert dock.tree.topLevelItemCount() == 0
    dock.search.clear()
    assert titles() == everything


def test_add_to_map_adds_the_selected_layer_styled(dock, qgis_iface):
    dock.search.setText("A&E assault")
    group = dock.tree.topLevelItem(0)
    item = group.child(0)
    dock.tree.setCurrentItem(item)
    before = set(QgsProject.instance().mapLayers())
    dock.add_selected()
    added = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
    assert len(added) == 1
    layer = added[0]
    assert layer.isValid() and layer.name() == item.text(0)
    assert layer.renderer().type() == "graduatedSymbol"          # styled by confidence at once
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    assert node.parent().name() == group.text(0) and node.parent().parent().name() == "SafeStats"


def test_log_panel_copies_what_was_logged(dock):
    log.log("review test line with 'quotes' and ünïcode")
    dock.log_panel.copy()
    copied = QApplication.clipboard().text()
    assert copied == dock.log_panel.text.toPlainText()
    assert copied.splitlines()[-1].endswith("review test line with 'quotes' and ünïcode")
    assert "connected to 'SafeStats test dock'" in copied


# -- review: pure logic -----------------------------------------------------------------------------

def test_session_lists_steps_accepts_and_refreshes_the_records(qdb, fresh_ae, conn):
    source = review.AeRecordsSource(qdb)
    session = review.ReviewSession(qdb, source, threshold=0.9)
    n = session.load()
    expected = _expected_items(conn, 0.9)
    assert {(i.text, i.site_code): i.records for i in session.items} == expected and n == len(expected) >= 2
    assert session.index == 0 and session.position() == f"1 of {n}"
    assert session.previous() is session.items[0]                     # stays at the first
    session.next()
    assert session.position() == f"2 of {n}"
    session.skip()
    assert session.items[1].status == "skipped" and session.index == min(2, n - 1)

    i, rank, matched, feature_id = _alternative(conn, session.items)
    session.index = i
    item = session.current
    cands = session.candidates()
    assert [c.matched for c in cands] == [r[0] for r in conn.execute(
        "SELECT matched FROM safestats.geocode_candidates(%s, %s, 5)", (item.text, item.site_code))]
    assert session.accept(rank) == matched
    assert item.status == "accepted" and item.decision == matched
    assert session.index == min(i + 1, n - 1)
    assert conn.execute("SELECT location_text, site_code, feature_id FROM gazetteer.alias "
                        "WHERE location_text = %s",
                        (item.text,)).fetchall() == [(item.text, item.site_code, feature_id)]
    # every stored record of that text at that site now holds the geocoder's new answer …
    now = conn.execute("SELECT matched, confidence, level, ST_AsText(geom) FROM safestats.geocode(%s, %s)",
                       (item.text, item.site_code)).fetchone()
    assert now[0] == matched
    rows = conn.execute("SELECT geocode_matched, geocode_confidence, geocode_level, ST_AsText(geom), "
                        "ward22_code FROM health.ae_assault WHERE location_text = %s AND site_code = %s",
                        (item.text, item.site_code)).fetchall()
    assert len(rows) == item.records and all(r[:4] == now for r in rows)
    ward = conn.execute("SELECT safestats.ward_at(ST_GeomFromText(%s, 27700), 2022)", (now[3],)).fetchone()[0]
    assert all(r[4] == ward for r in rows)
    # … so listing again no longer offers it when the alias made it sure enough
    if now[1] is not None and now[1] >= 0.9 and rows[0][0] is not None:
        assert (item.text, item.site_code) not in {(x.text, x.site_code) for x in source.items(0.9)}
    assert review.forget(qdb, item.text, item.site_code)


def test_stored_results_source_refreshes_geocode_result_rows(qdb, fresh_ae, conn):
    names = [s.label for s in review.database_sources(qdb)]
    assert names == ["A&E assault records (health.ae_assault)",
                     "Stored geocoding results of health.ae_assault"]
    source = review.database_sources(qdb)[1]
    session = review.ReviewSession(qdb, source, threshold=0.9)
    session.load()
    i, rank, matched, _fid = _alternative(conn, session.items)
    session.index = i
    item = session.current
    session.accept(rank)
    stored = conn.execute("SELECT DISTINCT matched FROM gazetteer.geocode_result WHERE table_name = "
                          "'health.ae_assault' AND location_text = %s AND site_code = %s",
                          (item.text, item.site_code)).fetchall()
    assert stored == [(matched,)]
    assert review.forget(qdb, item.text, item.site_code)


def test_threshold_outside_0_1_is_refused(qdb, ae):
    with pytest.raises(review.SafeStatsError, match="between 0 and 1"):
        review.ReviewSession(qdb, review.AeRecordsSource(qdb), threshold=50)


# -- review: the panel ------------------------------------------------------------------------------

def _select_source(panel, label):
    idx = panel.source_box.findText(label)
    assert idx >= 0, [panel.source_box.itemText(i) for i in range(panel.source_box.count())]
    panel.source_box.setCurrentIndex(idx)


def _candidates_on_map(panel):
    layer = panel.candidates_layer
    assert layer is not None and QgsProject.instance().mapLayer(layer.id()) is layer
    return layer


def test_review_panel_steps_shows_candidates_and_accepts_by_button(dock, fresh_ae, conn, qgis_iface):
    panel = dock.review_panel
    _select_source(panel, "A&E assault records (health.ae_assault)")
    panel.threshold.setValue(0.9)
    panel.load()
    assert panel.runner.wait()
    session = panel.session
    n = len(session.items)
    assert n == len(_expected_items(conn, 0.9))
    assert panel.position.text().startswith(f"1 of {n}: '{session.items[0].text}'")
    # Next / Previous move through the list; the candidates table follows
    panel.next()
    assert panel.position.text().startswith(f"2 of {n}")
    assert panel.table.rowCount() == len(session.candidates())
    panel.previous()
    assert panel.position.text().startswith(f"1 of {n}")

    i, rank, matched, feature_id = _alternative(conn, session.items)
    while session.index < i:
        panel.next()                      # step by step, as the analyst would
    item = session.current
    layer = _candidates_on_map(panel)
    located = [c for c in session.candidates() if c.x is not None]
    assert layer.featureCount() == len(located)
    assert sorted(f["rank"] for f in layer.getFeatures()) == [r for r, c in enumerate(session.candidates(), 1)
                                                              if c.x is not None]
    assert layer.renderer().type() == "categorizedSymbol" and layer.labelsEnabled()
    canvas_extent = qgis_iface.mapCanvas().extent()
    for f in layer.getFeatures():
        assert canvas_extent.contains(f.geometry().asPoint())   # zoomed to the candidates

    panel.table.selectionModel().select(panel.table.model().index(rank - 1, 0),
                                        QItemSelectionModel.Select | QItemSelectionModel.Rows)
    panel.accept_selected()
    assert item.status == "accepted" and matched in panel.status.text()
    assert conn.execute("SELECT feature_id FROM gazetteer.alias WHERE location_text = %s AND site_code = %s",
                        (item.text, item.site_code)).fetchone() == (feature_id,)
    assert {r[0] for r in conn.execute("SELECT geocode_matched FROM health.ae_assault "
                                       "WHERE location_text = %s AND site_code = %s",
                                       (item.text, item.site_code))} == {matched}
    # the old candidates layer is gone; the next item's (if any) is on the map
    on_map = QgsProject.instance().mapLayers().values()
    assert sum(1 for lyr in on_map if lyr.name().startswith("Review:")) <= 1
    assert review.forget(dock.db, item.text, item.site_code)


@pytest.mark.docs_picture
def test_render_review_view(dock, fresh_ae, qgis_iface, pictures):
    """The review view as the analyst sees it, for the docs: the most compact set of candidates over wards."""
    panel = dock.review_panel
    _select_source(panel, "A&E assault records (health.ae_assault)")
    panel.threshold.setValue(0.9)
    panel.load()
    assert panel.runner.wait()
    spans = []
    for i in range(len(panel.session.items)):
        panel.session.index = i
        located = [c for c in panel.session.candidates() if c.x is not None]
        if len(located) >= 3:
            # prefer candidates at distinct places (readable labels), then the most compact set
            apart = all(abs(a.x - b.x) + abs(a.y - b.y) > 150
                        for j, a in enumerate(located) for b in located[j + 1:])
            spans.append((not apart, max(c.x for c in located) - min(c.x for c in located), i))
    assert spans
    panel.go_to(min(spans)[-1])            # through the panel, so it draws and zooms as for the analyst
    layer = _candidates_on_map(panel)
    wards = QgsVectorLayer(dock.db.layer_uri("safestats", "wards", "geom", '"code"', "vintage = 2022"),
                           "wards", "postgres")
    assert wards.isValid()
    from qgis_plugin.core import styles
    wards.setRenderer(styles.boundary_renderer("ward"))
    wards.setLabeling(styles.borough_labels())
    wards.setLabelsEnabled(True)
    stats = render([layer, wards], pictures / "review-candidates.png", qgis_iface.mapCanvas().extent(),
                   title=f"Review: the candidates of “{panel.session.current.text}”, numbered, with radius")
    assert stats["colours"] >= 3 and stats["non_white"] > 0.01


def _click(canvas, tool, point: QgsPointXY):
    pixel = canvas.getCoordinateTransform().transform(point)
    pos = QPoint(int(round(pixel.x())), int(round(pixel.y())))
    # A click is a press and a release; map tools act on one or the other.
    tool.canvasPressEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonPress, pos, Qt.LeftButton,
                                           Qt.LeftButton, Qt.NoModifier))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, pos, Qt.LeftButton,
                                             Qt.NoButton, Qt.NoModifier))


def test_review_panel_accepts_a_candidate_picked_on_the_map(dock, fresh_ae, conn, qgis_iface):
    panel = dock.review_panel
    _select_source(panel, "A&E assault records (health.ae_assault)")
    panel.threshold.setValue(0.9)
    panel.load()
    assert panel.runner.wait()
    i, rank, matched, feature_id = _alternative(conn, panel.session.items)
    while panel.session.index < i:
        panel.next()
    item = panel.session.current
    target = next(f for f in panel.candidates_layer.getFeatures() if f["rank"] == rank)
    panel.pick_on_map()
    canvas = qgis_iface.mapCanvas()
    assert canvas.mapTool() is panel.map_tool
    _click(canvas, panel.map_tool, target.geometry().asPoint())
    assert item.status == "accepted" and item.decision == matched, panel.status.text()
    assert conn.execute("SELECT feature_id FROM gazetteer.alias WHERE location_text = %s AND site_code = %s",
                        (item.text, item.site_code)).fetchone() == (feature_id,)
    assert panel.map_tool is None and canvas.mapTool() is None
    assert review.forget(dock.db, item.text, item.site_code)


def test_review_panel_on_a_geocoded_layer_updates_the_layer(dock, ae, conn):
    import processing

    from qgis_plugin.core.geocoding import geocode_many
    table = QgsVectorLayer("None?field=location_text:string&field=site:string", "extract", "memory")
    feats = []
    for text, site in AE_TEXTS:
        f = QgsFeature(table.fields())
        f.setAttributes([text, site])
        feats.append(f)
    table.dataProvider().addFeatures(feats)
    import qgis_plugin
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    try:
        out = processing.run("safestats:geocodetextfield", {
            "CONNECTION": CONN, "INPUT": table, "TEXT_FIELD": "location_text", "SITE_FIELD": "site",
            "OUTPUT": "memory:"})["OUTPUT"]
    finally:
        plugin.unload()
    out.setName("geocoded extract")
    QgsProject.instance().addMapLayer(out)
    panel = dock.review_panel
    _select_source(panel, "A geocoded layer of this project…")
    panel.layer_box.setLayer(out)
    assert panel.text_field.currentField() == "location_text" and panel.site_field.currentField() == "site"
    panel.threshold.setValue(0.9)
    panel.load()
    assert panel.runner.wait()
    listed = {(it.text, it.site_code) for it in panel.session.items}
    assert listed == {(f["location_text"], f["site"]) for f in out.getFeatures()
                      if f["ambiguous"] or (f["confidence"] or 0) < 0.9}
    i, rank, matched, _fid = _alternative(conn, panel.session.items)
    while panel.session.index < i:
        panel.next()
    item = panel.session.current
    panel.accept(rank)
    now = geocode_many(dock.db, [(item.text, item.site_code)])[(item.text, item.site_code)]
    hit = [f for f in out.getFeatures() if (f["location_text"], f["site"]) == (item.text, item.site_code)]
    assert hit and all(f["matched"] == matched == now.matched for f in hit)
    assert all(f.geometry().asPoint() == QgsPointXY(now.x, now.y) for f in hit)
    assert review.forget(dock.db, item.text, item.site_code)


def test_closing_the_dock_removes_the_candidates_layer(qgis_iface, qdb, ae, qgis_new_project):
    from qgis.core import QgsSettings
    QgsSettings().setValue(SETTINGS_KEY, CONN)
    d = SafeStatsDock(qgis_iface)
    assert d.wait()
    _select_source(d.review_panel, "A&E assault records (health.ae_assault)")
    d.review_panel.threshold.setValue(0.9)
    d.review_panel.load()
    assert d.review_panel.runner.wait()
    layer_id = d.review_panel.candidates_layer.id()
    # load() zoomed and refreshed pytest-qgis's canvas; let that render finish before the layer goes
    # (QGIS's own canvas cancels it when a layer is removed; the test harness's canvas does not, and a
    # CI worker crashed in the render thread here).
    canvas = qgis_iface.mapCanvas()
    canvas.waitWhileRendering()
    d.close_down()
    assert QgsProject.instance().mapLayer(layer_id) is None
    d.deleteLater()


def login_url(db_url: str, user: str) -> str:
    """The test cluster's URL as another login (trust authentication: no password)."""
    assert db_url.startswith("postgresql://postgres@")
    return db_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


def test_review_respects_the_login_role(db_url, qdb, fresh_ae, conn):
    """An analyst login sees no record-level A&E text to review; a health-team login reviews its
    organisations' records and stores decisions, but may not rewrite the records (it is told so)."""
    import uuid

    from security_helpers import make_login
    suffix = uuid.uuid4().hex[:6]
    health, analyst = f"h_review_{suffix}", f"a_review_{suffix}"
    # approved for the records' trust (RJ1) and for King's (RJZ), whose site RJZ01 the aliases name
    make_login(conn, health, "safestats_health", organisations=["RJ1", "RJZ"])
    make_login(conn, analyst, "safestats_analyst")
    item = None
    try:
        connection.save_connection("SafeStats test analyst", qgis_uri(login_url(db_url, analyst)))
        assert review.database_sources(connection.Database("SafeStats test analyst")) == []
        connection.save_connection("SafeStats test health", qgis_uri(login_url(db_url, health)))
        hdb = connection.Database("SafeStats test health")
        sources = review.database_sources(hdb)
        assert sources and sources[0].label == "A&E assault records (health.ae_assault)"
        session = review.ReviewSession(hdb, sources[0], threshold=0.9)
        session.load()
        assert {(i.text, i.site_code): i.records for i in session.items} == _expected_items(conn, 0.9)
        i, rank, matched, feature_id = _alternative(conn, session.items)
        item = session.go_to(i)
        before = conn.execute("SELECT geocode_matched FROM health.ae_assault WHERE location_text = %s "
                              "ORDER BY record_id", (item.text,)).fetchall()
        assert session.accept(rank) == matched
        assert "not refreshed" in session.note and "may not update health.ae_assault" in session.note
        assert conn.execute("SELECT feature_id, created_by FROM gazetteer.alias WHERE location_text = %s",
                            (item.text,)).fetchone() == (feature_id, health)
        assert conn.execute("SELECT geocode_matched FROM health.ae_assault WHERE location_text = %s "
                            "ORDER BY record_id", (item.text,)).fetchall() == before
    finally:
        if item is not None:
            review.forget(qdb, item.text, item.site_code)
        for role in (health, analyst):
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
