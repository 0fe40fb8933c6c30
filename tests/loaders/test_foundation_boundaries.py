"""Boundary loads from the real files in ../shared/data, 2022 wards, reloads, bad files."""
from __future__ import annotations

import pytest

from loaders import boundaries, ward_lookup
from loaders.core import LoadOptions, LoadRefused, load_csv
from safestats import db

# slow: the module loads every boundary set of London into an empty database (about 20 s);
# `make test-quick` leaves it out
pytestmark = pytest.mark.slow

FILES = [  # (file, layer, level, vintage, features in the file)
    ("london-2021-lad22-gen20.shp", None, "borough", 2022, 33),
    ("london_wards_2014.gpkg", "london_ward", "ward", 2014, 654),
    ("london_wards_2018.gpkg", "london_ward", "ward", 2018, 657),
    ("london-2011-lsoa-gen20.shp", None, "lsoa", 2011, 4835),
    ("london-2021-lsoa-gen20.shp", None, "lsoa", 2021, 4994),
    ("london-2021-msoa-gen20.shp", None, "msoa", 2021, 1002),
]

WARDS_2018 = {"level": "ward", "vintage": 2018, "layer": "london_ward"}


@pytest.fixture(scope="module")
def fresh(empty_db_url_module):
    return empty_db_url_module


@pytest.fixture(scope="module")
def empty_db_url_module(pg_cluster):
    import uuid

    import psycopg
    name = f"t_{uuid.uuid4().hex[:10]}"
    pg_cluster.ensure_database(name)
    url = pg_cluster.url(name)
    db.upgrade(url)
    yield url
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as c:
        c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def loaded(fresh, shared_data):
    """The real boundary files loaded into a migrated, empty database."""
    with db.connect(fresh) as conn:
        results = []
        for f, layer, level, vintage, _ in FILES:
            results.append(boundaries.load(conn, shared_data / "boundaries" / f,
                                           LoadOptions(quiet=True, extra={"level": level, "vintage": vintage,
                                                                          "layer": layer})))
        results.append(load_csv(conn, ward_lookup.SOURCE,
                                shared_data / "boundaries" / "lsoa21_to_ward25_lad25_bestfit_london.csv",
                                LoadOptions(quiet=True, extra={"vintage": 2022})))
    return fresh, results


@pytest.mark.parametrize("f,layer,level,vintage,expected", FILES)
def test_counts_match_the_files(loaded, f, layer, level, vintage, expected):
    url, _ = loaded
    with db.connect(url) as conn:
        n = conn.execute("SELECT count(*) FROM ref.area WHERE level = %s AND vintage = %s "
                         "AND NOT approximate",
                         (level, vintage)).fetchone()[0]
    assert n == expected


def test_every_polygon_is_valid_and_in_bng(loaded):
    url, _ = loaded
    with db.connect(url) as conn:
        bad = conn.execute("SELECT level, vintage, code FROM ref.area WHERE NOT ST_IsValid(geom) "
                           "OR ST_SRID(geom) <> 27700").fetchall()
        # The two invalid 2014 wards (Colville, Pembridge) were repaired, not dropped.
        two = conn.execute("SELECT count(*) FROM ref.area WHERE level = 'ward' AND vintage = 2014 "
                           "AND code IN ('E05009392', 'E05009400')").fetchone()[0]
    assert bad == []
    assert two == 2


def test_invalid_wards_reported_as_repaired(loaded):
    url, results = loaded
    with db.connect(url) as conn:
        repaired = conn.execute("SELECT (details->>'repaired')::int FROM safestats.load "
                                "WHERE load_id = %s", (results[1].load_id,)).fetchone()[0]
    assert repaired == 2


def test_wards_carry_their_borough(loaded):
    url, _ = loaded
    with db.connect(url) as conn:
        orphans = conn.execute("""SELECT count(*) FROM ref.area w WHERE w.level = 'ward' AND NOT EXISTS
                                  (SELECT 1 FROM ref.area b WHERE b.level = 'borough' AND b.code =
                                      w.parent_code)
                               """).fetchone()[0]
    assert orphans == 0


def test_2022_wards_derived_and_approximate(loaded):
    url, _ = loaded
    with db.connect(url) as conn:
        n, approx = conn.execute("SELECT count(*), count(*) FILTER (WHERE approximate) FROM ref.area "
                                 "WHERE level = 'ward' AND vintage = 2022").fetchone()
        codes_in_lookup = conn.execute("SELECT count(DISTINCT to_code) FROM ref.area_lookup WHERE "
                                       "to_level = 'ward' AND to_vintage = 2022").fetchone()[0]
    assert n == codes_in_lookup == 684
    assert approx == n


def test_msoa_2011_dissolved_from_lsoa_nesting(loaded):
    url, _ = loaded
    with db.connect(url) as conn:
        n, approx = conn.execute("SELECT count(*), count(*) FILTER (WHERE approximate) FROM ref.area "
                                 "WHERE level = 'msoa' AND vintage = 2011").fetchone()
        published_2021 = conn.execute("SELECT count(*) FROM ref.area WHERE level = 'msoa' AND vintage = 2021 "
                                      "AND NOT approximate").fetchone()[0]
    assert n == approx == 983          # distinct MSOA11CD values in the LSOA 2011 file
    assert published_2021 == 1002      # the MSOA 2021 file replaced every dissolved 2021 MSOA


def test_real_lewisham_2022_wards_load_over_derived_ones(loaded, shared_data):
    """A published 2022 file replaces the derived polygons it covers (no code changes) and the
    derived ones agree with it closely; the overlap figure goes into docs/foundation.md."""
    url, _ = loaded
    with db.connect(url) as conn:
        conn.execute("""CREATE TEMP TABLE derived AS SELECT code, geom FROM ref.area
                                  WHERE level = 'ward' AND vintage = 2022 AND parent_code = 'E09000023'""")
        boundaries.load(conn, shared_data / "boundaries" / "lewisham_wards_2022_lbl_wd22_proposed.geojson",
                        LoadOptions(quiet=True, extra={"level": "ward", "vintage": 2022}))
        rows = conn.execute("""
            SELECT r.code, r.approximate, ST_Area(ST_Intersection(r.geom, d.geom)) / ST_Area(r.geom) AS
                overlap
            FROM ref.area r JOIN derived d USING (code)
            WHERE r.level = 'ward' AND r.vintage = 2022 AND r.parent_code = 'E09000023'""").fetchall()
        others = conn.execute("SELECT count(*) FILTER (WHERE approximate), count(*) FROM ref.area "
                              "WHERE level = 'ward' AND vintage = 2022 AND "
                              "parent_code <> 'E09000023'").fetchone()
        total = conn.execute("""
            SELECT sum(ST_Area(ST_Intersection(r.geom, d.geom))) / sum(ST_Area(r.geom))
            FROM ref.area r JOIN derived d USING (code)
            WHERE r.level = 'ward' AND r.vintage = 2022 AND r.parent_code = 'E09000023'""").fetchone()[0]
    assert len(rows) == 19
    assert not any(r[1] for r in rows), "the real Lewisham wards are not approximate"
    assert others[0] == others[1] > 600, "wards outside Lewisham stay derived"
    assert total > 0.9, f"derived 2022 wards overlap the real ones by only {total:.1%}"
    assert min(r[2] for r in rows) > 0.7


def test_reloading_the_same_file_changes_nothing(loaded, shared_data):
    url, _ = loaded
    with db.connect(url) as conn:
        before = conn.execute("SELECT count(*), sum(ST_Area(geom)) FROM ref.area").fetchone()
        res = boundaries.load(conn, shared_data / "boundaries" / "london_wards_2018.gpkg",
                              LoadOptions(quiet=True, extra=WARDS_2018))
        forced = boundaries.load(conn, shared_data / "boundaries" / "london_wards_2018.gpkg",
                                 LoadOptions(quiet=True, force=True, extra=WARDS_2018))
        after = conn.execute("SELECT count(*), sum(ST_Area(geom)) FROM ref.area").fetchone()
    assert res.status == "unchanged"
    assert forced.status == "loaded" and forced.rows_loaded == 657
    assert before[0] == after[0] and abs(before[1] - after[1]) < 1


def test_wgs84_geojson_is_reprojected(fresh, shared_data):
    with db.connect(fresh) as conn:
        boundaries.load(conn, shared_data / "boundaries" / "london_wards_2018_wgs84.geojson",
                        LoadOptions(quiet=True, force=True, extra={"level": "ward", "vintage": 2018}))
        srid, xmin = conn.execute("SELECT ST_SRID(geom), ST_XMin(geom) FROM ref.area "
                                  "WHERE level = 'ward' AND vintage = 2018 LIMIT 1").fetchone()
    assert srid == 27700 and 500000 < xmin < 570000   # metres east, not degrees


def test_bad_file_gives_clear_error_and_changes_nothing(fresh, tmp_path):
    bad = tmp_path / "wards.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                   '{"code": "X1", "name": "Nowhere"}, "geometry": {"type": "Point", '
                   '"coordinates": [0, 51]}}]}')
    with db.connect(fresh) as conn:
        before = conn.execute("SELECT count(*) FROM ref.area").fetchone()[0]
        with pytest.raises(LoadRefused, match=r"wards\.geojson.*no field holds ward codes"):
            boundaries.load(conn, bad, LoadOptions(quiet=True, extra={"level": "ward", "vintage": 2030}))
        garbage = tmp_path / "garbage.gpkg"
        garbage.write_bytes(b"this is not a geopackage")
        with pytest.raises(LoadRefused, match="garbage.gpkg"):
            boundaries.load(conn, garbage, LoadOptions(quiet=True, extra={"level": "ward", "vintage": 2030}))
        after = conn.execute("SELECT count(*) FROM ref.area").fetchone()[0]
        status = conn.execute("SELECT status FROM safestats.load ORDER BY load_id DESC LIMIT 2").fetchall()
    assert before == after
    assert [s[0] for s in status] == ["refused", "refused"]
