"""The Locator filter (prefix ``ss``) on real names: boroughs, wards, postcodes, places and the
geocoder's answer with its confidence — real QGIS, the shipped gazetteer slice."""
from __future__ import annotations

import pytest
from qgis.core import QgsFeedback, QgsRectangle, QgsSettings
from test_plugin_layers import qgis_uri
from test_plugin_processing import gazetteer  # noqa: F401  (module fixture: the shipped gazetteer slice)

from qgis_plugin.core import connection
from qgis_plugin.gui.dock import SETTINGS_KEY
from qgis_plugin.gui.locator import SafeStatsLocatorFilter, unpack

CONN = "SafeStats test locator"


@pytest.fixture(scope="module")
def locator(gazetteer, db_url, qgis_app):  # noqa: F811
    connection.save_connection(CONN, qgis_uri(db_url))
    QgsSettings().setValue(SETTINGS_KEY, CONN)
    return SafeStatsLocatorFilter()


def test_borough_and_ward_by_name(locator, conn):
    from qgis_plugin.core import places
    assert places.find(connection.Database(CONN), "southwark")      # errors show here, not swallowed
    results = locator.results("southwark", QgsFeedback())
    first = results[0]
    assert first.displayString == "Southwark" and first.group == "Borough"
    code, xmin, ymin, xmax, ymax = conn.execute(
        "SELECT code, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM ref.area "
        "WHERE level = 'borough' AND name = 'Southwark'").fetchone()
    assert unpack(first)[1] == code
    assert unpack(first)[2:6] == pytest.approx([xmin, ymin, xmax, ymax])
    wards = {r.displayString for r in locator.results("peckham") if r.group == "Ward"}
    expected = {n for (n,) in conn.execute(
        "SELECT name FROM ref.area WHERE level = 'ward' AND vintage = (SELECT max(vintage) FROM ref.area "
        "WHERE level = 'ward') AND name ILIKE '%peckham%'")}
    assert wards and wards <= expected


def test_postcode_and_place(locator, conn):
    # the shipped slice has no postcode file: one real Peckham postcode, placed at its published centroid
    conn.execute("INSERT INTO gazetteer.postcode (postcode, display, sector, district, geom) VALUES "
                 "('SE154QT', 'SE15 4QT', 'SE15 4', 'SE15', ST_SetSRID(ST_MakePoint(534340, 176260), 27700)) "
                 "ON CONFLICT DO NOTHING")
    pc, display = "SE154QT", "SE15 4QT"
    found = [r for r in locator.results(display) if r.group == "Postcode"]
    assert [r.displayString for r in locator.results("se15 4") if r.group == "Postcode"] == [display]
    assert found and found[0].displayString == display and unpack(found[0])[1] == pc
    places = [r for r in locator.results("kings college") if r.group == "Place"]
    assert places and all("kings college" in r.displayString.lower().replace("'", "") for r in places)


def test_geocoded_text_comes_with_its_confidence(locator, conn):
    text = "peckham rye park"
    matched, conf = conn.execute("SELECT matched, confidence FROM safestats.geocode(%s, NULL)",
                                 (text,)).fetchone()
    geo = [r for r in locator.results(text) if r.group == "Geocoded text"]
    assert len(geo) == 1
    assert geo[0].displayString == f"Geocode: {matched}"
    assert unpack(geo[0])[6] == pytest.approx(conf) and f"confidence {conf:.2f}" in geo[0].description


def test_nothing_for_nonsense_and_trigger_zooms_the_map(locator, qgis_iface):
    assert [r for r in locator.results("zzqqxx") if r.group != "Geocoded text"] == []
    zoomer = SafeStatsLocatorFilter(qgis_iface)
    result = next(r for r in zoomer.results("southwark") if r.group == "Borough")
    from qgis.core import QgsCoordinateReferenceSystem
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    zoomer.triggerResult(result)
    box = QgsRectangle(*unpack(result)[2:6])
    assert canvas.extent().contains(box.center())
