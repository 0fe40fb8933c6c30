"""Set-based area assignment for the point-bearing sources, inside the load transaction.

A loader fills a temporary table ``located (line_no integer, geom geometry(Point,27700))`` with
one row per staged record that has a point; :func:`assign_areas` adds LSOA 2021, ward 2022 and
borough codes to it with index-backed lateral joins on ``ref.area_part`` (the subdivided polygons
behind ``safestats.area_at``), so the answer is the one ``area_at`` gives, in one statement per
level instead of one function call per row.

The borough is the 2022 ward's borough; a point that falls in no 2022 ward (LSOA 2021 polygons are
clipped to the river bank, so a point on the Thames) takes the borough of its 2018 ward (extent of
the realm), as ``safestats.borough_at`` does. A point with no borough is outside London.
"""
from __future__ import annotations

# Whole statements written here, never from file content; parameters only where values vary.
CREATE_LOCATED = """
CREATE TEMP TABLE located (line_no integer PRIMARY KEY, geom geometry(Point, 27700),
                           lsoa21_code text, ward22_code text, borough_code text) ON COMMIT DROP
"""

ASSIGN = """
UPDATE located p SET lsoa21_code = l.code, ward22_code = w.code, borough_code = wa.parent_code
FROM located q
LEFT JOIN LATERAL (SELECT ap.code FROM ref.area_part ap
                   WHERE ap.level = 'lsoa' AND ap.vintage = 2021 AND ST_Intersects(ap.geom, q.geom)
                   ORDER BY ap.code LIMIT 1) l ON true
LEFT JOIN LATERAL (SELECT ap.code FROM ref.area_part ap
                   WHERE ap.level = 'ward' AND ap.vintage = 2022 AND ST_Intersects(ap.geom, q.geom)
                   ORDER BY ap.code LIMIT 1) w ON true
LEFT JOIN ref.area wa ON wa.level = 'ward' AND wa.vintage = 2022 AND wa.code = w.code
WHERE p.line_no = q.line_no AND q.geom IS NOT NULL
"""

BOROUGH_FALLBACK = """
UPDATE located p SET borough_code = safestats.borough_at(p.geom, 2018)
WHERE p.borough_code IS NULL AND p.geom IS NOT NULL
"""


def create_located(cur) -> None:
    """The temporary ``located`` table a loader fills with (line_no, geom)."""
    cur.execute(CREATE_LOCATED)


def assign_areas(cur) -> int:
    """Fill lsoa21_code / ward22_code / borough_code of ``located``; returns points outside London."""
    cur.execute("ANALYZE located")
    cur.execute(ASSIGN)
    cur.execute(BOROUGH_FALLBACK)
    return cur.execute("SELECT count(*) FROM located WHERE geom IS NOT NULL AND borough_code IS NULL"
                       ).fetchone()[0]


# Checks shared by sources with WGS84 columns named longitude / latitude in staging.
def lonlat_checks(Check, lon: str = "longitude", lat: str = "latitude") -> list:
    """Number, pairing and UK-extent checks for WGS84 longitude/latitude staging columns."""
    return [
        Check(lon, f"{lon} IS NULL OR safestats.try_numeric({lon}) IS NOT NULL", "longitude is not a number"),
        Check(lat, f"{lat} IS NULL OR safestats.try_numeric({lat}) IS NOT NULL", "latitude is not a number"),
        Check(lon, f"({lon} IS NULL) = ({lat} IS NULL)", "longitude and latitude must both be given or both be blank"),
        Check(lon, f"{lon} IS NULL OR safestats.try_numeric({lon}) IS NULL "
                   f"OR safestats.try_numeric({lon}) BETWEEN -8.7 AND 1.9",
              "coordinates outside the UK (longitude not between -8.7 and 1.9)"),
        Check(lat, f"{lat} IS NULL OR safestats.try_numeric({lat}) IS NULL "
                   f"OR safestats.try_numeric({lat}) BETWEEN 49.8 AND 60.9",
              "coordinates outside the UK (latitude not between 49.8 and 60.9)"),
    ]


def fill_located_from_lonlat(cur, lon: str = "longitude", lat: str = "latitude") -> None:
    """Create ``located`` and fill it from validated WGS84 staging columns (EPSG:4326 → 27700)."""
    from psycopg import sql
    create_located(cur)
    cur.execute(sql.SQL(
        "INSERT INTO located (line_no, geom) SELECT line_no, "
        "ST_Transform(ST_SetSRID(ST_MakePoint({lon}::float8, {lat}::float8), 4326), 27700) "
        "FROM stage WHERE {lon} IS NOT NULL AND {lat} IS NOT NULL").format(
        lon=sql.Identifier(lon), lat=sql.Identifier(lat)))


LOCATION_STATUS = ("CASE WHEN p.geom IS NULL THEN 'no-coordinates' "
                   "WHEN p.borough_code IS NULL THEN 'outside-london' ELSE 'ok' END")
