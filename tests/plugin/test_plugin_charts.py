"""Charts against the SQL functions they draw (same areas, values, intervals), their PNG/SVG export,
and click-to-select between a chart and the map — real QGIS, real comparator run."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtGui import QImage
from test_plugin_layers import qgis_uri

from qgis_plugin.core import chart_draw, charts, comparator, connection

pytestmark = pytest.mark.slow   # the Landscape demo data and a comparator build (about 15 s)

METRIC = "pas_good_job"


@pytest.fixture(scope="module")
def qdb(db_url, qgis_app):
    connection.save_connection("SafeStats test charts", qgis_uri(db_url))
    return connection.Database("SafeStats test charts")


@pytest.fixture(scope="module")
def run_id(db_url):
    from safestats import db
    from safestats.comparator import BuildParams, build
    from safestats.landscape import aggregate_to_neighbourhoods, load_demo_data
    with db.connect(db_url) as c:
        load_demo_data(c)
        aggregate_to_neighbourhoods(c, 2016)
        return build(c, BuildParams(level="neighbourhood", vintage=2016), quiet=True)["run_id"]


@pytest.fixture(scope="module")
def area(run_id, db_url):
    """A neighbourhood with a significant gap on the metric among its similar areas, if any has one."""
    import psycopg
    with psycopg.connect(db_url) as c:
        return c.execute("SELECT area_code FROM safestats.comparator_gaps(%s, %s) "
                         "ORDER BY significant DESC, abs(gap) DESC NULLS LAST, area_code LIMIT 1",
                         (METRIC, run_id)).fetchone()[0]


def _close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def test_comparator_chart_draws_comparator_gaps_for_the_area_and_its_similar_areas(qdb, run_id, area, conn):
    chart = charts.comparator_chart(qdb, area, METRIC, run_id)
    similar = [r[0] for r in conn.execute("SELECT similar_code FROM safestats.similar_areas(%s, %s) "
                                          "ORDER BY rank", (area, run_id))]
    assert chart.codes() == [area] + similar                     # chosen first, then nearest first
    gaps = {r[0]: r[1:] for r in conn.execute(
        "SELECT area_code, value, lower, upper, gap, gap_lower, gap_upper, significant, peers_mean "
        "FROM safestats.comparator_gaps(%s, %s)", (METRIC, run_id))}
    for pt in chart.points:
        value, lower, upper, gap, g_lo, g_hi, sig, _pm = gaps[pt.code]
        assert _close(pt.value, value) and pt.significant == bool(sig)
        if lower is not None and upper is not None:
            assert _close(pt.lower, lower) and _close(pt.upper, upper)
        else:       # the gap's interval on the value scale
            assert _close(pt.lower, value - gap + g_lo) and _close(pt.upper, value - gap + g_hi)
        assert pt.lower <= pt.value <= pt.upper
    assert _close(chart.peers_mean, gaps[area][7])
    assert chart.points[0].role == "chosen" and all(p.role == "peer" for p in chart.points[1:])


def test_variation_chart_ranks_areas_by_their_gap_interval_width(qdb, run_id, conn):
    chart = charts.variation_chart(qdb, METRIC, run_id, top=12)
    expected = conn.execute("SELECT area_code, gap, gap_lower, gap_upper FROM "
                            "safestats.comparator_gaps(%s, %s) WHERE gap_upper IS NOT NULL "
                            "ORDER BY gap_upper - gap_lower DESC, area_code LIMIT 12",
                            (METRIC, run_id)).fetchall()
    assert [(p.code, p.value, p.lower, p.upper) for p in chart.points] == [tuple(r) for r in expected]
    widths = [p.upper - p.lower for p in chart.points]
    assert widths == sorted(widths, reverse=True) and len(widths) == 12


def test_profile_rows_from_the_landscape_place_each_indicator_on_londons_range(qdb, run_id, area, conn):
    """The fallback for databases without safestats.area_profile(): landscape.indicator_value directly."""
    level, vintage = conn.execute("SELECT level, vintage FROM comparator.run WHERE run_id = %s",
                                  (run_id,)).fetchone()
    spine, source = charts.profile_rows(qdb, area, run_id, level, vintage, use_area_profile=False)
    assert spine and source == "landscape.indicator_value"
    themes = [r.theme for r in spine]
    assert themes == sorted(themes)                                # grouped by the Landscape's themes
    for row in spine[:8]:
        period = conn.execute(
            "SELECT period FROM landscape.indicator_value WHERE indicator_code = %s AND level = %s "
            "AND vintage = %s AND area_code = %s ORDER BY period_start DESC, period DESC LIMIT 1",
            (row.indicator, level, vintage, area)).fetchone()[0]
        mine, lo, hi, mean = conn.execute(
            "SELECT max(value) FILTER (WHERE area_code = %s), min(value), max(value), avg(value) "
            "FROM landscape.indicator_value WHERE indicator_code = %s AND level = %s AND vintage = %s "
            "AND period = %s", (area, row.indicator, level, vintage, period)).fetchone()
        assert _close(row.area, mine) and _close(row.london_min, lo) and _close(row.london_max, hi)
        assert abs(row.london - mean) < 1e-9 * max(1, abs(mean))
        assert row.london_min <= row.london_q1 <= row.london_q3 <= row.london_max
        peers = conn.execute(
            "SELECT avg(v.value) FROM landscape.indicator_value v JOIN safestats.similar_areas(%s, %s) s "
            "ON s.similar_code = v.area_code WHERE v.indicator_code = %s AND v.level = %s AND v.vintage = %s "
            "AND v.period = %s", (area, run_id, row.indicator, level, vintage, period)).fetchone()[0]
        assert row.peers is None or abs(row.peers - peers) < 1e-9 * max(1, abs(peers))


def test_profile_chart_uses_area_profile(qdb, run_id, area, conn):
    chart = charts.profile_chart(qdb, area, run_id)
    assert chart.source == "safestats.area_profile"
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT indicator_code, value, peers_mean, borough_value, coalesce(london_mean, london_value), "
        "london_min, london_max, theme FROM safestats.area_profile(%s, %s)", (area, run_id))}
    assert {r.indicator for r in chart.spine} == set(rows) and rows
    for r in chart.spine:
        value, peers, borough, london, lo, hi, theme = rows[r.indicator]
        assert (r.area, r.peers, r.borough, r.london, r.london_min, r.london_max, r.theme) == \
            (value, peers, borough, london, lo, hi, theme)
    themes = [r.theme for r in chart.spine]
    assert themes == sorted(themes)                                # grouped by the Landscape's themes


def test_trend_chart_follows_indicator_series(qdb, run_id, area, conn):
    code = conn.execute("SELECT indicator_code FROM landscape.indicator_value WHERE area_code = %s "
                        "GROUP BY 1 ORDER BY count(DISTINCT period) DESC, 1 LIMIT 1", (area,)).fetchone()[0]
    chart = charts.trend_chart(qdb, area, code, run_id)
    level, vintage = conn.execute("SELECT level, vintage FROM comparator.run WHERE run_id = %s",
                                  (run_id,)).fetchone()
    series = conn.execute("SELECT period, value, value_status = 'projected' FROM "
                          "safestats.indicator_series(%s, %s, %s) WHERE vintage = %s "
                          "ORDER BY period_start, period",
                          (code, area, level, vintage)).fetchall()
    mine = next(iter(chart.series.values()))
    assert mine == [tuple(r) for r in series]
    london = chart.series["London (mean)"]
    for period, value, _p in london:
        avg = conn.execute("SELECT avg(value) FROM landscape.indicator_value WHERE indicator_code = %s AND "
                           "level = %s AND vintage = %s AND period = %s",
                           (code, level, vintage, period)).fetchone()[0]
        assert abs(value - avg) < 1e-9 * max(1, abs(avg))


def test_png_and_svg_export(qdb, run_id, area, tmp_path):
    for chart in (charts.comparator_chart(qdb, area, METRIC, run_id),
                  charts.variation_chart(qdb, METRIC, run_id), charts.profile_chart(qdb, area, run_id)):
        png = chart_draw.save(chart, tmp_path / f"{chart.kind}.png")
        img = QImage(str(png))
        size = chart_draw.preferred_size(chart)
        assert img.width() == 2 * size.width() and img.height() == 2 * size.height()
        colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
        assert len(colours) > 10                           # drawn, not blank
        svg = chart_draw.save(chart, tmp_path / f"{chart.kind}.svg")
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        text = svg.read_text()
        assert chart.title.split(":")[0].replace("&", "&amp;") in text
    with pytest.raises(ValueError, match=".png or .svg"):
        chart_draw.save(chart, tmp_path / "chart.pdf")


def test_chart_click_selects_on_the_map_and_map_selection_highlights_the_chart(qdb, run_id, area,
                                                                               qgis_new_project):
    from qgis_plugin.gui.chart_view import ChartView
    view = comparator.comparator_view(qdb, area, METRIC, run_id)
    QgsProject.instance().addMapLayer(view.layer)
    chart = charts.comparator_chart(qdb, area, METRIC, run_id)
    widget = ChartView()
    widget.resize(chart_draw.preferred_size(chart))
    widget.set_chart(chart, view.layer)
    img = QImage(widget.size(), QImage.Format_ARGB32)
    widget.render(img)                                  # paints, which records each row's place
    peer = chart.points[2].code
    clicked = []
    widget.areaClicked.connect(clicked.append)
    row = widget.hits[peer]
    from qgis.PyQt.QtCore import QPoint
    assert widget.code_at(QPoint(int(row.center().x()), int(row.center().y()))) == peer
    widget.click(peer)
    assert clicked == [peer]
    assert [f["code"] for f in view.layer.getSelectedFeatures()] == [peer]
    assert widget.selected == {peer}
    # and back: a selection made on the map highlights the chart's rows
    ids = [f.id() for f in view.layer.getFeatures() if f["code"] in (area, chart.points[1].code)]
    view.layer.selectByIds(ids)
    assert widget.selected == {area, chart.points[1].code}
    view.layer.removeSelection()
    assert widget.selected == set()


@pytest.mark.docs_picture
def test_docs_chart_images(qdb, run_id, area, pictures):
    """The charts as pictures for docs/qgis-plugin.md (each with its title; tmp_path unless
    `make docs-images`)."""
    for chart in (charts.comparator_chart(qdb, area, METRIC, run_id),
                  charts.variation_chart(qdb, METRIC, run_id), charts.profile_chart(qdb, area, run_id)):
        path = chart_draw.save(chart, pictures / f"chart-{chart.kind}.png")
        assert QImage(str(path)).width() > 1000


def test_cli_chart_writes_png_and_svg(run_cli, run_id, area, tmp_path):
    code, out, err = run_cli("chart", "comparator", "--area", area, "--metric", METRIC, "--run", str(run_id),
                             "-o", str(tmp_path / "c.png"))
    assert code == 0, err
    assert "wrote" in out and (tmp_path / "c.png").stat().st_size > 10_000
    assert QImage(str(tmp_path / "c.png")).width() > 1000
    assert run_cli("chart", "profile", "--area", area, "-o", str(tmp_path / "p.svg"))[0] == 0
    code, _out, err = run_cli("chart", "comparator", "--metric", METRIC, "-o", str(tmp_path / "x.png"))
    assert code == 2 and "needs --area" in err
    assert ET.parse(tmp_path / "p.svg").getroot().tag.endswith("svg")


# -- street-level crime per month (police.uk publishes by force: compare only where the data covers) ---

@pytest.fixture(scope="module")
def street_crime(db_url, run_id):
    """Two months of the City of London Police's street-level crime (the shipped samples)."""
    import os

    from safestats import config
    from safestats.cli import main
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url
    try:
        for month in ("2024-10", "2024-11"):
            path = config.SHIPPED_DATA_DIR / "loaders" / f"{month}-city-of-london-street.csv.gz"
            assert main(["load", "police-uk", str(path), "--quiet"]) == 0
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = old
    return ["2024-10", "2024-11"]


def _level(conn, run_id):
    return conn.execute("SELECT level, vintage FROM comparator.run WHERE run_id = %s", (run_id,)).fetchone()


def _crime_area(conn, run_id, level, vintage, borough: str | None = None):
    """The run's area holding most street-level crimes (optionally within ``borough``)."""
    return conn.execute(
        "SELECT a.code, a.name, a.parent_code FROM comparator.area_group g JOIN ref.area a ON a.level = %s "
        "AND a.vintage = %s AND a.code = g.area_code WHERE g.run_id = %s AND (%s::text IS NULL OR "
        "a.parent_code = %s) ORDER BY (SELECT count(*) FROM crime.street_crime c "
        "WHERE ST_Covers(a.geom, c.geom)) DESC, a.code LIMIT 1",
        (level, vintage, run_id, borough, borough)).fetchone()


def test_crime_chart_compares_only_where_a_police_forces_data_is_loaded(qdb, run_id, street_crime, conn,
                                                                        tmp_path):
    """The demo's case first: only the City of London Police is loaded, which polices no neighbourhood;
    its crimes located just over the City's edge do not make Tower Hamlets' areas "covered". Then a
    month of the Metropolitan Police: counts and means against SQL made independently."""
    level, vintage = _level(conn, run_id)
    code, name, parent = _crime_area(conn, run_id, level, vintage)
    assert parent != charts.CITY_OF_LONDON and conn.execute(       # some City crimes fall in this area
        "SELECT count(*) FROM crime.street_crime c JOIN ref.area a ON ST_Covers(a.geom, c.geom) "
        "WHERE a.level = %s AND a.vintage = %s AND a.code = %s", (level, vintage, code)).fetchone()[0] > 0
    chart = charts.crime_trend_chart(qdb, code, run_id)
    assert name not in chart.series                    # no line of zeros (nor the City's strays) drawn
    assert "No street-level crime is loaded for" in chart.note and "City of London" in chart.note
    assert QImage(str(chart_draw.save(chart, tmp_path / "none.png"))).width() > 1000

    # a month of the Met: 400 crimes over Lambeth and Southwark (synthetic points, real boroughs)
    load_id = conn.execute("INSERT INTO safestats.load (source, file_name, status) VALUES ('test', "
                           "'met-2024-10', 'loaded') RETURNING load_id").fetchone()[0]
    conn.execute("""
        INSERT INTO crime.street_crime (month, force, crime_type, geom, borough_code, location_status,
                                        load_id, source_line)
        SELECT date '2024-10-01', 'Metropolitan Police Service', 'Burglary', g, safestats.borough_at(g),
               'ok', %s, i
        FROM generate_series(1, 400) i,
             LATERAL (SELECT ST_SetSRID(ST_MakePoint(529500 + mod(i * 37, 5000), 173000 + mod(i * 53, 6000)),
                                        27700) AS g) p""", (load_id,))
    conn.execute("INSERT INTO crime.street_crime_month_type (force, month, crime_type, records) "
                 "VALUES ('Metropolitan Police Service', '2024-10-01', 'Burglary', 400)")
    conn.commit()
    lambeth = conn.execute("SELECT code FROM ref.area WHERE level = 'borough' AND name = 'Lambeth'"
                           ).fetchone()[0]
    code, name, parent = _crime_area(conn, run_id, level, vintage, lambeth)
    chart = charts.crime_trend_chart(qdb, code, run_id)
    assert not chart.note
    counted = dict(conn.execute(
        "SELECT to_char(c.month, 'YYYY-MM'), count(*) FROM crime.street_crime c JOIN ref.area a "
        "ON ST_Covers(a.geom, c.geom) WHERE a.level = %s AND a.vintage = %s AND a.code = %s GROUP BY 1",
        (level, vintage, code)).fetchall())
    mine = chart.series[name]
    assert [m for m, _v, _p in mine] == street_crime
    # October: the Met's month, counted; November: no Met data, so no value (not 0)
    assert [v for _m, v, _p in mine] == [float(counted["2024-10"]), None] and counted["2024-10"] > 0
    # London in October: crimes located in the Met's boroughs over the areas of the level in them
    crimes = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2024-10-01' "
                          "AND borough_code <> %s", (charts.CITY_OF_LONDON,)).fetchone()[0]
    areas = conn.execute("SELECT count(*) FROM ref.area WHERE level = %s AND vintage = %s "
                         "AND parent_code <> %s", (level, vintage, charts.CITY_OF_LONDON)).fetchone()[0]
    london = {m: v for m, v, _p in chart.series[f"London (mean per {level})"]}
    assert london["2024-10"] == pytest.approx(crimes / areas) and london["2024-11"] is None
    # similar areas in October: the mean of their counts (all in Met boroughs)
    peers = [r[0] for r in conn.execute("SELECT similar_code FROM safestats.similar_areas(%s, %s)",
                                        (code, run_id))]
    n = conn.execute("SELECT count(*) FROM crime.street_crime c JOIN ref.area a ON ST_Covers(a.geom, c.geom) "
                     "WHERE a.level = %s AND a.vintage = %s AND a.code = ANY(%s) AND c.month = '2024-10-01'",
                     (level, vintage, peers)).fetchone()[0]
    similar = {m: v for m, v, _p in chart.series["Similar areas (mean)"]}
    assert similar["2024-10"] == pytest.approx(n / len(peers)) and similar["2024-11"] is None
    png = chart_draw.save(chart, tmp_path / "crime.png")
    assert QImage(str(png)).width() > 1000


# -- the neighbourhood profile report (print layout + atlas) -----------------------------------------

def test_report_atlas_has_two_pages_per_neighbourhood_with_vector_charts(qdb, run_id, street_crime, conn,
                                                                          tmp_path):
    import contextlib
    import re
    import zlib

    from qgis_plugin.core import report
    codes = [r[0] for r in conn.execute("SELECT area_code FROM comparator.area_group WHERE run_id = %s "
                                        "ORDER BY area_code LIMIT 3", (run_id,))]
    result = report.write_report(qdb, tmp_path / "profiles.pdf", run_id, codes, dpi=96)
    assert result.areas == 3
    assert result.pages == 3 * report.PAGES_PER_AREA == report.pdf_pages(result.path)
    data = result.path.read_bytes()
    a4_landscape = rb"/MediaBox \[0 0 84[12][.0-9]* 595[.0-9]*\]"
    assert len(re.findall(a4_landscape, data)) == result.pages
    # charts are drawn on the page: text objects with an embedded font, and no chart pictures
    assert b"/FontFile2" in data
    streams = []
    for s in re.findall(rb"/FlateDecode.*?stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            streams.append(zlib.decompress(s))
    assert sum(s.count(b"BT") for s in streams) > 100
    assert re.findall(rb"/Subtype\s*/Image", data) == []                 # no chart (nor map) pictures
    drawn = report.draw_charts(qdb, codes, run_id, METRIC)
    assert set(drawn["profile"]) == set(codes) == set(drawn["comparator"]) == set(drawn["crime"])
    coverage = report.coverage_layer(qdb, run_id, codes, report._gap_metrics(qdb, run_id))
    similar = {f["code"]: f["similar"].split(",") for f in coverage.getFeatures()}
    for code in codes:
        assert similar[code] == [r[0] for r in conn.execute(
            "SELECT similar_code FROM safestats.similar_areas(%s, %s) ORDER BY rank", (code, run_id))]


def test_report_pages_as_images(qdb, run_id, conn, tmp_path):
    from qgis_plugin.core import report
    code = conn.execute("SELECT area_code FROM comparator.area_group WHERE run_id = %s ORDER BY area_code "
                        "LIMIT 1", (run_id,)).fetchone()[0]
    result = report.write_report(qdb, tmp_path / "page.png", run_id, [code], dpi=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert result.pages == len(pages) == report.PAGES_PER_AREA
    for page in pages:
        img = QImage(str(page))
        assert img.width() > img.height() > 200                          # landscape
        colours = {img.pixel(x, y) for x in range(0, img.width(), 5) for y in range(0, img.height(), 5)}
        assert len(colours) > 10


def test_report_processing_algorithm(qdb, run_id, conn, tmp_path):
    import processing

    import qgis_plugin
    code = conn.execute("SELECT area_code FROM comparator.area_group WHERE run_id = %s ORDER BY area_code "
                        "DESC LIMIT 1", (run_id,)).fetchone()[0]
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    try:
        out = processing.run("safestats:profilereport", {
            "CONNECTION": qdb.name, "RUN": run_id, "AREAS": code, "DPI": 96,
            "OUTPUT": str(tmp_path / "one.pdf")})
    finally:
        plugin.unload()
    from qgis_plugin.core.report import PAGES_PER_AREA, pdf_pages
    assert out["PAGES"] == PAGES_PER_AREA == pdf_pages(out["OUTPUT"])


def test_cli_report(run_cli, run_id, area, tmp_path):
    from qgis_plugin.core.report import PAGES_PER_AREA, pdf_pages
    code, out, err = run_cli("report", "-o", str(tmp_path / "r.pdf"), "--area", area, "--run", str(run_id),
                             "--dpi", "72")
    assert code == 0, err
    assert f"{PAGES_PER_AREA} page(s) for 1 area(s)" in out
    assert pdf_pages(tmp_path / "r.pdf") == PAGES_PER_AREA
    code, _out, err = run_cli("report", "-o", str(tmp_path / "x.pdf"), "--area", "NO-SUCH", "--run",
                              str(run_id))
    assert code == 2 and "No area of comparator run" in err


def test_plugin_zip_in_a_clean_profile_runs_the_report_with_qgis_process(db_url, run_id, area, tmp_path):
    """The zip installed into an empty profile: qgis_process lists safestats:profilereport and runs it."""
    import os
    import subprocess
    import zipfile
    from pathlib import Path

    from test_plugin_load import _qgis_process

    from qgis_plugin.core.report import PAGES_PER_AREA, pdf_pages
    from safestats import qgis_setup
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    subprocess.run([sys.executable, str(root / "scripts" / "build_plugin.py"), str(tmp_path / "p.zip")],
                   check=True, capture_output=True, env=env)
    profile = tmp_path / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(tmp_path / "p.zip").extractall(plugins)
    service_file = qgis_setup.write_service(db_url, "safestats-test", tmp_path / "pg_service.conf")
    qgis_setup.write_qgis_connection("safestats-test", "SafeStats test", profile)
    qgis_setup.enable_plugin(profile)
    listed = _qgis_process(profile, service_file, "list")
    assert "safestats:profilereport" in listed.stdout, listed.stderr
    run = _qgis_process(profile, service_file, "run", "safestats:profilereport", "--",
                        "CONNECTION=SafeStats test", f"RUN={run_id}", f"AREAS={area}", "DPI=72",
                        f"OUTPUT={tmp_path / 'one.pdf'}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert pdf_pages(tmp_path / "one.pdf") == PAGES_PER_AREA
