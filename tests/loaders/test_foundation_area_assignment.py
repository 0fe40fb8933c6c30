"""Point-in-area assignment: exactly one area per London point, none outside, boroughs from wards."""
from __future__ import annotations


def test_every_sample_point_gets_exactly_one_area(conn):
    # Sample: an interior point of every 10th LSOA 2021 plus points on shared ward boundaries.
    conn.execute("""CREATE TEMP TABLE pts AS
        SELECT row_number() OVER () AS id, ST_PointOnSurface(geom) AS geom FROM ref.area
        WHERE level = 'lsoa' AND vintage = 2021 AND right(code, 1) IN ('0', '5')
        UNION ALL
        SELECT 100000 + row_number() OVER (), ST_StartPoint(ST_ExteriorRing(ST_GeometryN(geom, 1)))
        FROM ref.area WHERE level = 'ward' AND vintage = 2018""")
    n_pts = conn.execute("SELECT count(*) FROM pts").fetchone()[0]
    rows = conn.execute("""
        SELECT count(*) FILTER (WHERE w IS NULL), count(*) FILTER (WHERE l IS NULL), count(*)
        FROM (SELECT safestats.ward_at(geom, 2018) w, safestats.lsoa_at(geom, 2021) l FROM pts)
            s""").fetchone()
    assert rows[2] == n_pts > 1000
    assert rows[0] == 0, "a London point got no ward"
    # How many wards contain each boundary point: >1 for shared vertices, yet area_at returns one.
    shared = conn.execute("""SELECT count(*) FROM pts p WHERE p.id > 100000 AND
        (SELECT count(DISTINCT code) FROM ref.area a WHERE a.level = 'ward' AND a.vintage = 2018
         AND ST_Intersects(a.geom, p.geom)) > 1""").fetchone()[0]
    assert shared > 100, "the sample should contain points on shared boundaries"


def test_shared_boundary_point_gets_the_same_single_answer(conn):
    code, again = conn.execute("""
        WITH p AS (SELECT ST_StartPoint(ST_ExteriorRing(ST_GeometryN(geom, 1))) g FROM ref.area
                   WHERE level = 'ward' AND vintage = 2018 AND code = 'E05000026')
        SELECT safestats.ward_at(g, 2018), safestats.ward_at(g, 2018) FROM p""").fetchone()
    assert code is not None and code == again


def test_point_outside_london_is_valid_and_gets_none(conn):
    # Reading town centre (BNG) and Paris (WGS84): valid points, no area.
    r = conn.execute("""SELECT safestats.ward_at(ST_SetSRID(ST_MakePoint(471500, 173500), 27700)),
                               safestats.lsoa_at(ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326)),
                               (safestats.locate(ST_SetSRID(ST_MakePoint(471500, 173500),
                                   27700))).*""").fetchone()
    assert r == (None, None, None, None, None)


def test_wgs84_point_is_transformed(conn):
    # Trafalgar Square in WGS84 lies in the St James's ward of Westminster (E09000033).
    borough = conn.execute("SELECT safestats.borough_at(ST_SetSRID(ST_MakePoint(-0.1281, 51.5080), 4326))"
                           ).fetchone()[0]
    assert borough == "E09000033"


def test_thames_point_gets_its_borough_through_the_ward(conn):
    # Mid-river point: outside the clipped borough polygons, inside a ward's extent of the realm.
    row = conn.execute("""
        WITH p AS (SELECT ST_PointOnSurface(ST_Difference(w.geom, ST_Union(b.geom))) g
                   FROM ref.area w JOIN ref.area b ON b.level = 'borough' AND ST_Intersects(b.geom, w.geom)
                   WHERE w.level = 'ward' AND w.vintage = 2018 AND w.code = (
                       SELECT code FROM ref.area WHERE level = 'ward' AND vintage = 2018
                       AND name = 'Rotherhithe' LIMIT 1)
                   GROUP BY w.geom)
        SELECT safestats.borough_at(g, 2018),
               (SELECT count(*) FROM ref.area b WHERE b.level = 'borough' AND ST_Intersects(b.geom, g))
        FROM p""").fetchone()
    assert row is not None
    borough, in_borough_polygons = row
    assert in_borough_polygons == 0, "the test point should be in the river"
    assert borough == "E09000028"   # Southwark


def test_locate_returns_all_three_levels(conn):
    r = conn.execute("SELECT * FROM safestats.locate(ST_SetSRID(ST_MakePoint(531500, 180500), "
                     "27700), 2018, 2021)"
                     ).fetchone()
    assert r[0].startswith("E05") and r[1].startswith("E01") and r[2].startswith("E09")


def test_reapportion_conserves_totals(conn):
    values = conn.execute("""SELECT jsonb_object_agg(code, 100) FROM ref.area
                             WHERE level = 'ward' AND vintage = 2014""").fetchone()[0]
    total = conn.execute("SELECT sum(value) FROM safestats.reapportion('ward', 2014, 'ward', 2018, %s)",
                         (__import__("psycopg").types.json.Jsonb(values),)).fetchone()[0]
    assert abs(total - 100 * 654) < 1e-6
