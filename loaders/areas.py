"""Set-based area assignment for the point-bearing sources, inside the load transaction.

A loader fills a temporary table ``located_pts (line_no integer, geom geometry(Point,27700))``
with one row per staged record that has a point; :func:`assign_areas` makes ``located`` from it,
adding LSOA 2021, ward 2022 and borough codes through joins on ``ref.area_part`` (the subdivided
polygons behind ``safestats.area_at``), so the answer is the one ``area_at`` gives, set-based
instead of one function call per row.

The borough is the 2022 ward's borough; a point that falls in no 2022 ward (LSOA 2021 polygons are
clipped to the river bank, so a point on the Thames) takes the borough of its 2018 ward (extent of
the realm), as ``safestats.borough_at`` does. A point with no borough is outside London.
"""
from __future__ import annotations

# Whole statements written here, never from file content; parameters only where values vary.
CREATE_LOCATED = """
CREATE TEMP TABLE located_pts (line_no integer PRIMARY KEY, geom geometry(Point, 27700)) ON COMMIT DROP
"""

# Polygon-driven joins: for each subdivided polygon, the points inside it through a GiST index on
# the points. The polygon stays the same across consecutive tests, so PostGIS reuses its prepared
# form; a point-driven lateral lookup re-reads a different polygon on every test and measured about
# ten times slower. min(code) gives a point on a shared boundary exactly one area, as area_at does.
LSOA_HITS = """
CREATE TEMP TABLE lsoa_hit ON COMMIT DROP AS
SELECT p.line_no, min(ap.code) AS code FROM ref.area_part ap
JOIN located_pts p ON ST_Intersects(ap.geom, p.geom)
WHERE ap.level = 'lsoa' AND ap.vintage = 2021 GROUP BY p.line_no
"""
ASSIGN = """
CREATE TEMP TABLE located ON COMMIT DROP AS
SELECT q.line_no, q.geom, l.code AS lsoa21_code, w.code AS ward22_code, wa.parent_code AS borough_code
FROM located_pts q
LEFT JOIN lsoa_hit l ON l.line_no = q.line_no
LEFT JOIN ({ward}) w ON w.line_no = q.line_no
LEFT JOIN ref.area wa ON wa.level = 'ward' AND wa.vintage = 2022 AND wa.code = w.code
"""
WARD_SPATIAL = """SELECT p.line_no, min(ap.code) AS code FROM ref.area_part ap
           JOIN located_pts p ON ST_Intersects(ap.geom, p.geom)
           WHERE ap.level = 'ward' AND ap.vintage = 2022 GROUP BY p.line_no"""
# While the 2022 wards are the ones dissolved from LSOA 2021 through the ONS best-fit lookup (no
# published 2022 ward file loaded), a point's 2022 ward is, by construction, its LSOA's ward: a key
# lookup instead of a second spatial join.
WARD_FROM_LSOA = """SELECT h.line_no, lk.to_code AS code FROM lsoa_hit h
           JOIN ref.area_lookup lk ON lk.from_level = 'lsoa' AND lk.from_vintage = 2021 AND lk.from_code = h.code
                AND lk.to_level = 'ward' AND lk.to_vintage = 2022 AND lk.method = 'best-fit'"""

BOROUGH_FALLBACK = """
UPDATE located p SET borough_code = safestats.borough_at(p.geom, 2018)
WHERE p.borough_code IS NULL AND p.geom IS NOT NULL
"""


def create_located(cur) -> None:
    """The temporary ``located_pts (line_no, geom)`` table a loader fills before :func:`assign_areas`."""
    cur.execute(CREATE_LOCATED)


def assign_areas(cur) -> int:
    """Make the temporary table ``located`` (line_no, geom, lsoa21_code, ward22_code, borough_code)
    from ``located_pts``; returns the number of points outside London."""
    cur.execute("CREATE INDEX ON located_pts USING gist (geom)")
    cur.execute("ANALYZE located_pts")
    # Compiling these plans costs more than it saves at a file's size.
    cur.execute("SET LOCAL jit = off")
    derived = cur.execute("SELECT coalesce(bool_and(approximate), false) FROM ref.area "
                          "WHERE level = 'ward' AND vintage = 2022").fetchone()[0]
    cur.execute(LSOA_HITS)
    cur.execute(ASSIGN.format(ward=WARD_FROM_LSOA if derived else WARD_SPATIAL))
    cur.execute("CREATE UNIQUE INDEX ON located (line_no)")
    cur.execute(BOROUGH_FALLBACK)
    cur.execute("ANALYZE located")
    return cur.execute("SELECT count(*) FROM located WHERE geom IS NOT NULL AND borough_code IS NULL"
                       ).fetchone()[0]


# Checks shared by sources with WGS84 columns named longitude / latitude in staging. Regular
# expressions rather than try_numeric(): a PL/pgSQL exception block per value is the slow part of
# validating millions of rows.
NUMBER_RE = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$"


def lonlat_checks(Check, lon: str = "longitude", lat: str = "latitude") -> list:
    """Number, pairing and UK-extent checks for WGS84 longitude/latitude staging columns."""
    return [
        Check(lon, f"{lon} IS NULL OR {lon} ~ '{NUMBER_RE}'", "longitude is not a number"),
        Check(lat, f"{lat} IS NULL OR {lat} ~ '{NUMBER_RE}'", "latitude is not a number"),
        Check(lon, f"({lon} IS NULL) = ({lat} IS NULL)", "longitude and latitude must both be given or both be blank"),
        Check(lon, f"{lon} IS NULL OR {lon} !~ '{NUMBER_RE}' OR {lon}::float8 BETWEEN -8.7 AND 1.9",
              "coordinates outside the UK (longitude not between -8.7 and 1.9)"),
        Check(lat, f"{lat} IS NULL OR {lat} !~ '{NUMBER_RE}' OR {lat}::float8 BETWEEN 49.8 AND 60.9",
              "coordinates outside the UK (latitude not between 49.8 and 60.9)"),
    ]


def fill_located_from_lonlat(cur, lon: str = "longitude", lat: str = "latitude") -> None:
    """Create ``located`` and fill it from validated WGS84 staging columns (EPSG:4326 → 27700)."""
    from psycopg import sql
    create_located(cur)
    cur.execute(sql.SQL(
        "INSERT INTO located_pts (line_no, geom) SELECT line_no, "
        "ST_Transform(ST_SetSRID(ST_MakePoint({lon}::float8, {lat}::float8), 4326), 27700) "
        "FROM stage WHERE {lon} IS NOT NULL AND {lat} IS NOT NULL").format(
        lon=sql.Identifier(lon), lat=sql.Identifier(lat)))


LOCATION_STATUS = ("CASE WHEN p.geom IS NULL THEN 'no-coordinates' "
                   "WHEN p.borough_code IS NULL THEN 'outside-london' ELSE 'ok' END")
