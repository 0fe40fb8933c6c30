"""The `safestats:` Processing algorithms through processing.run, against the real test database."""
from __future__ import annotations

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer
from test_plugin_layers import qgis_uri  # tests/ is on sys.path (pytest rootdir import)

import qgis_plugin
from qgis_plugin.core import connection

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
        code = conn.execute("SELECT safestats.area_at(ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), "
                            "27700), 'ward', 2018)", (lon, lat)).fetchone()[0]
        if code:
            expected[code] = expected.get(code, 0) + 1
    assert got == expected and sum(got.values()) == 60
    assert result["OUTSIDE"] == 1
    assert (out.wkbType() in (6, 1006) or "Polygon" in out.geometry().__class__.__name__
            or out.geometryType() == 2)
    f = next(out.getFeatures())
    area_ha = conn.execute("SELECT area_ha FROM ref.area WHERE level = 'ward' AND vintage = 2018 "
                           "AND code = %s", (f["code"],)).fetchone()[0]
    assert f["per_km2"] == pytest.approx(100.0 * f["count"] / float(area_ha), rel=1e-3)


def test_count_points_refuses_a_missing_vintage_with_the_ones_available(provider):
    import processing
    with pytest.raises(QgsProcessingException,
                       match="no borough boundaries for 2005; vintages available: 2022"):
        processing.run("safestats:countpointsinareas", {
            "CONNECTION": CONN, "INPUT": _points_layer([(-0.1, 51.5)]), "LEVEL": 3, "VINTAGE": 2005,
            "OUTPUT": "memory:"})


def test_store_styles_writes_one_default_style_per_relation(provider, conn):
    import processing
    result = processing.run("safestats:storestyles", {"CONNECTION": CONN})
    rows = conn.execute("SELECT f_table_schema || '.' || f_table_name FROM public.layer_styles "
                        "WHERE useasdefault ORDER BY 1").fetchall()
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


# -- geocoding ---------------------------------------------------------------------------------

GAZETTEER_FILES = ("london_uec_sites_istv.csv.gz", "tfl_stations_20180921.csv.gz",
                   "nhs_choices_hospitals_london.csv.gz", "osm_street_centres_se_london_2025.csv.gz")


@pytest.fixture(scope="module")
def gazetteer(db_url, tmp_path_factory):
    """A slice of the shipped gazetteer (sites, stations, hospitals, south-east London streets) and the
    shipped confidence calibration, loaded with the geocoder's own loader."""
    from loaders import gazetteer as gaz
    from loaders.core import LoadOptions
    from safestats import config, db
    from safestats.geocoding.calibration import load_calibration_csv
    folder = config.REPO_ROOT / "data" / "gazetteer"
    opts = LoadOptions(quiet=True, rejects_dir=tmp_path_factory.mktemp("rejects"), extra={"no_rebuild": True})
    with db.connect(db_url) as c:
        for name in GAZETTEER_FILES:
            assert gaz.load(c, folder / name, opts).status == "loaded"
        c.execute("SELECT safestats_internal.gazetteer_rebuild()")
        load_calibration_csv(c, folder / "geocode_calibration.csv")
    return db_url


def _table(rows) -> QgsVectorLayer:
    """A table without geometry, like an A&E extract opened in QGIS."""
    layer = QgsVectorLayer("None?field=location_text:string&field=site:string&field=level:string", "ae",
                           "memory")
    feats = []
    for text, site in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes([text, site, "input value kept"])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


TEXTS = [("kings college hosp", "RJ122"), ("peckham high st", "RJZ01"), ("peckham high st", "RJZ01"),
         ("home", "RJ122"), ("", None), ("x'); DROP TABLE health.ae_assault; --", "RJ122"),
         ("O'Brien's \\ bar\nnear rye lane", None), ("denmark hill station", "RJZ01")]


def test_geocode_text_field_gives_the_databases_answer_for_every_row(provider, gazetteer, conn):
    import processing
    result = processing.run("safestats:geocodetextfield", {
        "CONNECTION": CONN, "INPUT": _table(TEXTS), "TEXT_FIELD": "location_text", "SITE_FIELD": "site",
        "OUTPUT": "memory:"})
    out = result["OUTPUT"]
    feats = list(out.getFeatures())
    assert len(feats) == len(TEXTS)
    names = out.fields().names()
    # the input's own "level" field is kept; the geocoder's level gets a prefix
    assert names[:3] == ["location_text", "site", "level"]
    assert names[3:] == ["confidence", "radius_m", "geocode_level", "matched", "ambiguous"]
    located = 0
    for f, (text, site) in zip(feats, TEXTS):
        assert f["level"] == "input value kept"
        level, confidence, radius, matched, ambiguous, x, y = conn.execute(
            "SELECT level, confidence, radius_m, matched, ambiguous, ST_X(geom), ST_Y(geom) "
            "FROM safestats.geocode(%s, %s)", (text, site)).fetchone()
        assert f["geocode_level"] == level, text
        assert f["confidence"] == pytest.approx(confidence, abs=1e-6)
        assert (f["matched"] or None) == matched
        if x is None:
            assert f.geometry().isNull()
        else:
            located += 1
            p = f.geometry().asPoint()
            assert (p.x(), p.y()) == pytest.approx((x, y), abs=0.01)
    assert result["LOCATED"] == located >= 3
    assert result["UNLOCATED"] == len(TEXTS) - located
    assert conn.execute("SELECT to_regclass('health.ae_assault') IS NOT NULL").fetchone()[0]


def test_candidates_and_accept_make_the_chosen_place_the_answer(provider, gazetteer, conn):
    import processing

    from qgis_plugin.core import review
    text, site = "peckham high st", "RJZ01"
    sql = conn.execute("SELECT matched, explain->>'feature_id' FROM safestats.geocode_candidates(%s, %s, 5)",
                       (text, site)).fetchall()
    out = processing.run("safestats:geocodecandidates", {"CONNECTION": CONN, "TEXT": text, "SITE_CODE": site,
                                                          "N": 5, "OUTPUT": "memory:"})["OUTPUT"]
    cands = list(out.getFeatures())
    assert [f["rank"] for f in cands] == list(range(1, len(sql) + 1))
    assert [f["matched"] for f in cands] == [m for m, _ in sql]
    # Accept a candidate that is not the geocoder's first choice.
    rank = next(i for i, (m, fid) in enumerate(sql, start=1) if i > 1 and fid is not None and m != sql[0][0])
    res = processing.run("safestats:acceptgeocode", {"CONNECTION": CONN, "TEXT": text, "SITE_CODE": site,
                                                      "RANK": rank})
    assert res["MATCHED"] == sql[rank - 1][0]
    after = conn.execute("SELECT matched FROM safestats.geocode(%s, %s)", (text, site)).fetchone()[0]
    assert after == sql[rank - 1][0]
    stored = conn.execute("SELECT location_text, site_code FROM gazetteer.alias").fetchall()
    assert stored == [(text, site)]
    assert review.forget(connection.Database(CONN), text, site)
    assert conn.execute("SELECT matched FROM safestats.geocode(%s, %s)",
                        (text, site)).fetchone()[0] == sql[0][0]


def test_accepting_a_non_feature_is_refused_clearly(provider, gazetteer):
    import processing
    with pytest.raises(QgsProcessingException, match="not a gazetteer feature|fewer than"):
        processing.run("safestats:acceptgeocode", {"CONNECTION": CONN, "TEXT": "home", "SITE_CODE": "RJ122",
                                                    "RANK": 1})


# -- rates per 1,000 residents ----------------------------------------------------------------------

def test_count_points_without_population_leaves_the_rate_empty_and_says_what_to_load(provider, conn):
    import processing
    assert conn.execute("SELECT count(*) FROM landscape.indicator_value WHERE indicator_code = "
                        "'pop_persons_all_ages'").fetchone()[0] == 0
    result = processing.run("safestats:countpointsinareas", {
        "CONNECTION": CONN, "INPUT": _points_layer([(-0.1276, 51.5072), (-0.0235, 51.5054)]), "LEVEL": 3,
        "VINTAGE": 2022, "KEEP_EMPTY": False, "OUTPUT": "memory:"})
    assert "No resident population is loaded for borough 2022" in result["POPULATION"]
    assert "safestats load lsoa-population" in result["POPULATION"]
    feats = list(result["OUTPUT"].getFeatures())
    assert sum(f["count"] for f in feats) == 2
    assert ([(connection.py(f["population"]), connection.py(f["per_1000"])) for f in feats]
            == [(None, None)] * len(feats))


@pytest.fixture(scope="module")
def lsoa_population(db_url, shared_data, tmp_path_factory):
    """The ONS mid-2020 LSOA population, loaded with its own loader (last tests of this module)."""
    from loaders import lsoa_population as loader
    from loaders.core import LoadOptions
    from safestats import db
    with db.connect(db_url) as c:
        loader.load(c, shared_data / "datastore" / "london-mid2020-pop.csv",
                    LoadOptions(quiet=True, rejects_dir=tmp_path_factory.mktemp("rejects")))
    return "2020"


def test_count_points_gives_rate_per_1000_from_the_lsoa_population(provider, lsoa_population, conn):
    import processing
    pts = [(-0.1276 + 0.013 * (i % 9), 51.47 + 0.011 * (i % 7)) for i in range(120)]
    result = processing.run("safestats:countpointsinareas", {
        "CONNECTION": CONN, "INPUT": _points_layer(pts), "LEVEL": 3, "VINTAGE": 2022, "KEEP_EMPTY": True,
        "OUTPUT": "memory:"})
    assert "pop_persons_all_ages 2020" in result["POPULATION"] and "borough 2022" in result["POPULATION"]
    feats = {f["name"]: f for f in result["OUTPUT"].getFeatures()}
    assert len(feats) == 33
    # LSOA names start with their borough's name ("Camden 001A"): an independent way to total a borough.
    by_name = dict(conn.execute(
        "SELECT regexp_replace(a.name, ' [0-9]{3}[A-Z]$', ''), sum(v.value) FROM landscape.indicator_value v "
        "JOIN ref.area a ON a.level = 'lsoa' AND a.vintage = 2011 AND a.code = v.area_code "
        "WHERE v.indicator_code = 'pop_persons_all_ages' GROUP BY 1").fetchall())
    checked = 0
    for name, f in feats.items():
        if name not in by_name:
            continue
        assert f["population"] == pytest.approx(by_name[name], abs=0.1), name
        rate = conn.execute("SELECT safestats.rate_per_1000(%s::numeric, %s::numeric)",
                            (f["count"], by_name[name])).fetchone()[0]
        assert f["per_1000"] == pytest.approx(float(rate), abs=1e-3), name
        checked += 1
    assert checked == 33 and sum(f["count"] for f in feats.values()) + result["OUTSIDE"] == 120
    assert sum(1 for f in feats.values() if f["count"] and f["per_1000"] > 0) >= 3


def test_ward_rates_conserve_london_population_and_a_missing_year_is_explained(provider, lsoa_population,
                                                                               conn):
    import processing
    layer = _points_layer([(-0.0235, 51.5054)] * 5)
    result = processing.run("safestats:countpointsinareas", {
        "CONNECTION": CONN, "INPUT": layer, "LEVEL": 0, "VINTAGE": 2018, "KEEP_EMPTY": True,
        "OUTPUT": "memory:"})
    wards = list(result["OUTPUT"].getFeatures())
    total = conn.execute("SELECT sum(value) FROM landscape.indicator_value WHERE indicator_code = "
                         "'pop_persons_all_ages' AND level = 'lsoa'").fetchone()[0]
    assert sum(f["population"] or 0 for f in wards) == pytest.approx(total, rel=1e-6)
    hit = [f for f in wards if f["count"]]
    assert len(hit) == 1 and hit[0]["per_1000"] == pytest.approx(5000.0 / hit[0]["population"], abs=1e-3)
    missing = processing.run("safestats:countpointsinareas", {
        "CONNECTION": CONN, "INPUT": layer, "LEVEL": 0, "VINTAGE": 2018, "POPULATION_YEAR": "1999",
        "OUTPUT": "memory:"})
    assert "No resident population for 1999 is loaded for ward 2018" in missing["POPULATION"]


def test_population_prefers_values_held_for_the_area_set_then_a_lookup(provider, lsoa_population, conn):
    """The three ways to a population, in order: held for the area set; LSOA values through a lookup;
    best fit (above). Each conserves London's total."""
    import processing
    total = conn.execute("SELECT sum(value) FROM landscape.indicator_value WHERE indicator_code = "
                         "'pop_persons_all_ages' AND level = 'lsoa'").fetchone()[0]

    def run(vintage):
        res = processing.run("safestats:countpointsinareas", {
            "CONNECTION": CONN, "INPUT": _points_layer([(-0.0235, 51.5054)]), "LEVEL": 0, "VINTAGE": vintage,
            "KEEP_EMPTY": True, "OUTPUT": "memory:"})
        return res["POPULATION"], {f["code"]: f["population"] for f in res["OUTPUT"].getFeatures()}

    conn.execute("SELECT safestats_internal.build_population_lookup('lsoa', 2011, 'ward', 2022)")
    note, pops = run(2022)
    assert "apportioned to ward 2022 (population-weighted lookup)" in note
    assert sum(v or 0 for v in pops.values()) == pytest.approx(total, rel=1e-6)

    conn.execute("SELECT safestats.move_indicator('pop_persons_all_ages', 'lsoa', 2011, 'ward', 2022, "
                 "'population-weighted')")
    note, held = run(2022)
    assert note == "Population: pop_persons_all_ages 2020 held for ward 2022."
    stored = dict(conn.execute("SELECT area_code, value FROM landscape.indicator_value "
                               "WHERE indicator_code = 'pop_persons_all_ages' AND level = 'ward' "
                               "AND vintage = 2022").fetchall())
    assert {k: v for k, v in held.items() if k in stored} == pytest.approx(
        {k: round(v, 1) for k, v in stored.items() if k in held}, abs=0.051)
