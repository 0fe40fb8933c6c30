"""Set-based area assignment for the point-bearing sources, inside the load transaction.

A loader fills a temporary table ``located_pts (line_no integer, geom geometry(Point,27700))``
with one row per staged record that has a point; :func:`assign_areas` makes ``located`` from it,
adding LSOA 2021, ward 2022 and borough codes through joins on ``ref.area_part`` (the subdivided
polygons behind ``safestats.area_at``), so the answer is the one ``area_at`` gives, set-based
instead of one function call per row.

Most points never meet a polygon: ``ref.lsoa_grid`` lists the 32 m cells lying wholly inside one
LSOA 2021 (revision 0008, built by ``safestats_internal.refresh_lsoa_grid()``), and a point in such a cell
takes that LSOA by a hash join on its cell key; only points in cells a boundary crosses go through
the polygon join. A cell is listed only when its closed square is in the interior of one LSOA and
touches no other, so both paths give the answer ``area_at`` gives.

The borough is the 2022 ward's borough; a point that falls in no 2022 ward (LSOA 2021 polygons are
clipped to the river bank, so a point on the Thames) takes the borough of its 2018 ward (extent of
the realm), as ``safestats.borough_at`` does. A point with no borough is outside London.
"""
from __future__ import annotations

# Whole statements written here, never from file content; parameters only where values vary.
# located_pts.lsoa21_code holds the grid's answer when the loader filled it through
# fill_located_from_lonlat (NULL: not answered, the polygons decide).
CREATE_LOCATED = """
CREATE TEMP TABLE located_pts (line_no integer NOT NULL, geom geometry(Point, 27700), lsoa21_code text)
ON COMMIT DROP
"""

# Points the grid did not answer (in a cell a boundary crosses, or outside London) meet the
# polygons. Polygon-driven join: for each subdivided polygon, the points inside it through a
# (partial) GiST index on the points. The polygon stays the same across consecutive tests, so
# PostGIS reuses its prepared form; a point-driven lateral lookup re-reads a different polygon on
# every test and measured about ten times slower. min(code) gives a point on a shared boundary
# exactly one area, as area_at does.
EDGE_INDEX = "CREATE INDEX ON located_pts USING gist (geom) WHERE lsoa21_code IS NULL"
LSOA_HITS = """
CREATE TEMP TABLE lsoa_hit ON COMMIT DROP AS
SELECT q.line_no, min(ap.code) AS code FROM ref.area_part ap
JOIN located_pts q ON ST_Intersects(ap.geom, q.geom) AND q.lsoa21_code IS NULL
WHERE ap.level = 'lsoa' AND ap.vintage = 2021 GROUP BY q.line_no
"""
WARD_LOOKUP = """ref.area_lookup w ON w.from_level = 'lsoa' AND w.from_vintage = 2021
     AND w.from_code = coalesce(p.lsoa21_code, h.code) AND w.to_level = 'ward' AND w.to_vintage = 2022
     AND w.method = 'best-fit'"""
# A point with no 2022 ward (no LSOA 2021: LSOA polygons are clipped to the river bank, so a point
# on the Thames, or outside London; or an LSOA the lookup lacks) takes the borough of its 2018 ward,
# as borough_at does; no borough then means outside London. Two branches, so the common case (the
# grid's answer, a known LSOA) costs one hashed test per point.
WARD_OF = """SELECT from_code FROM ref.area_lookup WHERE from_level = 'lsoa' AND from_vintage = 2021
     AND to_level = 'ward' AND to_vintage = 2022 AND method = 'best-fit'"""
BOROUGH_FALLBACK = f"""
CREATE TEMP TABLE borough_fallback ON COMMIT DROP AS
SELECT p.line_no, safestats.borough_at(p.geom, 2018) AS code FROM located_pts p
WHERE p.geom IS NOT NULL AND p.lsoa21_code IS NULL
  AND NOT EXISTS (SELECT 1 FROM lsoa_hit h WHERE h.line_no = p.line_no AND h.code IN ({WARD_OF}))
UNION ALL
SELECT p.line_no, safestats.borough_at(p.geom, 2018) FROM located_pts p
WHERE p.lsoa21_code NOT IN ({WARD_OF})
"""
# While the 2022 wards are the ones dissolved from LSOA 2021 through the ONS best-fit lookup (no
# published 2022 ward file loaded), a point's 2022 ward is, by construction, its LSOA's ward: a key
# lookup instead of a second spatial join. ``located`` is then a view, so the loader's final
# INSERT … SELECT does these lookups in the same pass that writes the rows.
LSOA_AREAS = """
CREATE TEMP TABLE lsoa_area ON COMMIT DROP AS
SELECT w.from_code AS lsoa21_code, w.to_code AS ward22_code, wa.parent_code AS borough_code
FROM ref.area_lookup w
LEFT JOIN ref.area wa ON wa.level = 'ward' AND wa.vintage = 2022 AND wa.code = w.to_code
WHERE w.from_level = 'lsoa' AND w.from_vintage = 2021 AND w.to_level = 'ward' AND w.to_vintage = 2022
  AND w.method = 'best-fit'
"""
LOCATED_JOINS = """
FROM located_pts p
LEFT JOIN lsoa_hit h ON h.line_no = p.line_no
LEFT JOIN lsoa_area a ON a.lsoa21_code = coalesce(p.lsoa21_code, h.code)
LEFT JOIN borough_fallback f ON f.line_no = p.line_no"""
LOCATED_VIEW = f"""
CREATE TEMP VIEW located AS
SELECT p.line_no, p.geom, coalesce(p.lsoa21_code, h.code) AS lsoa21_code, a.ward22_code,
       coalesce(a.borough_code, f.code) AS borough_code{LOCATED_JOINS}
"""
# A load on two connections (loaders/parallel.py): each connection's ``located_pts`` holds the point
# of every staged line with coordinates and, where the grid answers, its LSOA, ward and borough (the
# grid's LSOA joined to ``lsoa_area`` in the same statement); narrow and temporary (local buffers,
# never written out). Only the points the grid leaves open (cells a boundary crosses, the river,
# outside London: about a quarter of London's points) go on, as ``edge``, to the polygons and,
# failing a 2022 ward, to the 2018 borough (as ``borough_at`` does). ``located_wide`` then gives a
# line's staged values and its areas: the connection writes its finished rows straight from it.
EDGE_PTS = """
CREATE TEMP TABLE edge ON COMMIT DROP AS SELECT line_no, geom FROM located_pts
WHERE geom IS NOT NULL AND grid_borough IS NULL
"""
EDGE_HITS = """
CREATE TEMP TABLE lsoa_hit ON COMMIT DROP AS
SELECT e.line_no, min(ap.code) AS code FROM ref.area_part ap
JOIN edge e ON ST_Intersects(ap.geom, e.geom)
WHERE ap.level = 'lsoa' AND ap.vintage = 2021 GROUP BY e.line_no
"""
# A point with no 2022 ward takes the borough of its 2018 ward: safestats.borough_at written out as a
# sub-select (a call of the function costs about ten times as much; such points are few, but a
# file with many points outside London has thousands).
EDGE_AREAS = """
CREATE TEMP TABLE edge_area ON COMMIT DROP AS
SELECT e.line_no, h.code AS lsoa21, a.ward22_code AS ward22,
       CASE WHEN a.borough_code IS NOT NULL THEN a.borough_code
            ELSE (SELECT w.parent_code FROM ref.area w
                  WHERE w.level = 'ward' AND w.vintage = 2018
                    AND w.code = (SELECT ap.code FROM ref.area_part ap
                                  WHERE ap.level = 'ward' AND ap.vintage = 2018
                                    AND ST_Intersects(ap.geom, e.geom)
                                  ORDER BY ap.code LIMIT 1)) END AS borough
FROM edge e
LEFT JOIN lsoa_hit h ON h.line_no = e.line_no
LEFT JOIN lsoa_area a ON a.lsoa21_code = h.code
"""
LOCATED_WIDE_VIEW = """
CREATE TEMP VIEW located_wide AS
SELECT s.*, {extra}p.geom, CASE WHEN e.line_no IS NULL THEN p.grid_lsoa21 ELSE e.lsoa21 END AS lsoa21,
       coalesce(p.grid_ward22, e.ward22) AS ward22, coalesce(p.grid_borough, e.borough) AS borough
FROM stage s LEFT JOIN located_pts p ON p.line_no = s.line_no LEFT JOIN edge_area e ON e.line_no = s.line_no
"""

# Published 2022 wards (not derived from LSOAs): a spatial join of every point, into a table.
WARD_SPATIAL = """
CREATE TEMP TABLE located ON COMMIT DROP AS
SELECT p.line_no, p.geom, coalesce(p.lsoa21_code, h.code) AS lsoa21_code, w.code AS ward22_code,
       wa.parent_code AS borough_code
FROM located_pts p
LEFT JOIN lsoa_hit h ON h.line_no = p.line_no
LEFT JOIN (SELECT q.line_no, min(ap.code) AS code FROM ref.area_part ap
           JOIN located_pts q ON ST_Intersects(ap.geom, q.geom)
           WHERE ap.level = 'ward' AND ap.vintage = 2022 GROUP BY q.line_no) w ON w.line_no = p.line_no
LEFT JOIN ref.area wa ON wa.level = 'ward' AND wa.vintage = 2022 AND wa.code = w.code
"""
WARD_SPATIAL_FALLBACK = """
UPDATE located p SET borough_code = safestats.borough_at(p.geom, 2018)
WHERE p.borough_code IS NULL AND p.geom IS NOT NULL
"""

# Below this many points a file is assigned by the polygon join alone rather than building an
# empty grid first (the build takes seconds; a small file takes less).
GRID_BUILD_MIN = 50_000


def create_located(cur) -> None:
    """The temporary ``located_pts (line_no, geom, …)`` table a loader fills before :func:`assign_areas`
    (a loader inserts line_no and geom; the code columns are the assignment's)."""
    cur.execute(CREATE_LOCATED)


def grid_ready(cur, points) -> bool:
    """True when ``ref.lsoa_grid`` can answer: it is built, or ``points()`` (the number of points
    to assign, asked only when the grid is empty) makes building it worth the seconds it takes."""
    if cur.execute("SELECT EXISTS (SELECT 1 FROM ref.lsoa_grid)").fetchone()[0]:
        return True
    if points() < GRID_BUILD_MIN:
        return False
    return cur.execute("SELECT safestats_internal.refresh_lsoa_grid()").fetchone()[0] > 0


def wards_derived(cur) -> bool:
    return cur.execute("SELECT coalesce(bool_and(approximate), false) FROM ref.area "
                       "WHERE level = 'ward' AND vintage = 2022").fetchone()[0]


def assign_areas(cur) -> int:
    """Make ``located`` (line_no, geom, lsoa21_code, ward22_code, borough_code) from ``located_pts``
    (a temporary view or table: join it on line_no); returns the number of points outside London.
    (A load on two connections assigns its wide ``located_pts`` with :func:`fill_located_wide`.)"""
    from psycopg import sql
    # Compiling these plans costs more than it saves at a file's size.
    cur.execute("SET LOCAL jit = off")
    cur.execute(sql.SQL("ANALYZE located_pts ({})").format(sql.SQL(", ").join(
        map(sql.Identifier, ("line_no", "geom", "lsoa21_code")))))
    cur.execute(EDGE_INDEX)
    cur.execute(LSOA_HITS)
    cur.execute("ANALYZE lsoa_hit")
    if wards_derived(cur):
        cur.execute(BOROUGH_FALLBACK)
        # Without statistics the planner hashes the big side of every join in the view.
        cur.execute("ANALYZE borough_fallback")
        # Each LSOA's ward and borough in one small table (with statistics): one hash probe per point.
        cur.execute(LSOA_AREAS)
        cur.execute("ANALYZE lsoa_area")
        cur.execute(LOCATED_VIEW)
        return cur.execute("SELECT count(*) FROM borough_fallback WHERE code IS NULL").fetchone()[0]
    cur.execute("CREATE INDEX ON located_pts USING gist (geom)")
    cur.execute(WARD_SPATIAL)
    cur.execute(WARD_SPATIAL_FALLBACK)
    cur.execute("ANALYZE located")
    return cur.execute("SELECT count(*) FROM located WHERE geom IS NOT NULL AND borough_code IS NULL"
                       ).fetchone()[0]


# Checks shared by sources with WGS84 columns named longitude / latitude in staging. Regular
# expressions rather than try_numeric(): a PL/pgSQL exception block per value is the slow part of
# validating millions of rows.
NUMBER_RE = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$"


# Quick forms (core.Check.quick_sql): only digits, '-' and '.', and the server reads it as a number;
# a value such as "1-2" or "." makes the cast raise, and the exact tests then name it.
QUICK_NUMBER = "{c} IS NULL OR ({c} !~ '[^-0-9.]' AND {c}::float8 IS NOT NULL)"


def lonlat_checks(Check, lon: str = "longitude", lat: str = "latitude") -> list:
    """Number, pairing and UK-extent checks for WGS84 longitude/latitude staging columns."""
    return [
        Check(lon, f"{lon} IS NULL OR {lon} ~ '{NUMBER_RE}'", "longitude is not a number",
              QUICK_NUMBER.format(c=lon)),
        Check(lat, f"{lat} IS NULL OR {lat} ~ '{NUMBER_RE}'", "latitude is not a number",
              QUICK_NUMBER.format(c=lat)),
        Check(lon, f"({lon} IS NULL) = ({lat} IS NULL)", "longitude and latitude must both be given or both "
                                                         "be blank"),
        Check(lon, f"{lon} IS NULL OR {lon} !~ '{NUMBER_RE}' OR {lon}::float8 BETWEEN -8.7 AND 1.9",
              "coordinates outside the UK (longitude not between -8.7 and 1.9)",
              f"{lon} IS NULL OR {lon}::float8 BETWEEN -8.7 AND 1.9"),
        Check(lat, f"{lat} IS NULL OR {lat} !~ '{NUMBER_RE}' OR {lat}::float8 BETWEEN 49.8 AND 60.9",
              "coordinates outside the UK (latitude not between 49.8 and 60.9)",
              f"{lat} IS NULL OR {lat}::float8 BETWEEN 49.8 AND 60.9"),
    ]


def fill_located_from_lonlat(cur, lon: str = "longitude", lat: str = "latitude") -> None:
    """Create ``located_pts`` and fill it from validated WGS84 staging columns (EPSG:4326 → 27700),
    with the LSOA of every point the grid answers (see the module docstring)."""
    from psycopg import sql
    create_located(cur)
    grid_ready(cur, lambda: cur.execute(sql.SQL("SELECT count(*) FROM stage WHERE {} IS NOT NULL").format(
        sql.Identifier(lon))).fetchone()[0])
    # The grid's hash table wants more than the default work_mem to stay in one batch. An empty grid
    # (small file after a boundary change) answers nothing: every point goes to the polygons.
    # OFFSET 0 keeps the point a value computed once (inlined, it was transformed twice per row).
    cur.execute("SET LOCAL work_mem = '256MB'")
    cur.execute(sql.SQL(
        "INSERT INTO located_pts (line_no, geom, lsoa21_code) SELECT q.line_no, q.geom, g.code FROM "
        "(SELECT line_no, ST_Transform(ST_SetSRID(ST_MakePoint({lon}::float8, {lat}::float8), 4326), 27700) "
        "AS geom "
        "FROM stage WHERE {lon} IS NOT NULL AND {lat} IS NOT NULL OFFSET 0) q "
        "LEFT JOIN ref.lsoa_grid g ON g.cell = safestats_internal.grid_cell(q.geom)").format(
        lon=sql.Identifier(lon), lat=sql.Identifier(lat)))


def fill_located_wide(cur, lon: str = "longitude", lat: str = "latitude", extra: str = "") -> int:
    """For a load on two connections (loaders/parallel.py), on the connection of one half: create the
    temporary ``located_pts`` (the point, EPSG:4326 → 27700, of every ``stage`` line with coordinates,
    and the grid's LSOA, ward and borough), assign areas to the points the grid leaves open, and create
    the temporary view ``located_wide``: every ``stage`` column and line with ``geom``, ``lsoa21``,
    ``ward22`` and ``borough`` (see LOCATED_WIDE_VIEW). Returns the number of points outside London.
    The grid must be ready (:func:`grid_ready`) and the 2022 wards derived from LSOAs
    (:func:`wards_derived`). ``extra``: more columns of the view (``expression AS name, …`` over ``s``,
    written by the source, e.g. a typed month)."""
    from psycopg import sql
    cur.execute(LSOA_AREAS)
    cur.execute("ANALYZE lsoa_area")
    cur.execute("SET LOCAL work_mem = '256MB'")
    # OFFSET 0 keeps the point a value computed once (inlined, it was transformed twice per row).
    cur.execute(sql.SQL(
        "CREATE TEMP TABLE located_pts ON COMMIT DROP AS SELECT q.line_no, q.geom, g.code AS grid_lsoa21, "
        "a.ward22_code AS grid_ward22, a.borough_code AS grid_borough FROM "
        "(SELECT line_no, ST_Transform(ST_SetSRID(ST_MakePoint({lon}::float8, {lat}::float8), 4326), 27700) "
        "AS geom FROM stage WHERE {lon} IS NOT NULL AND {lat} IS NOT NULL OFFSET 0) q "
        "LEFT JOIN ref.lsoa_grid g ON g.cell = safestats_internal.grid_cell(q.geom) "
        "LEFT JOIN lsoa_area a ON a.lsoa21_code = g.code").format(
        lon=sql.Identifier(lon), lat=sql.Identifier(lat)))
    # Statistics where a later plan reads them: the rows are joined to stage on line_no.
    cur.execute("ANALYZE located_pts (line_no)")
    cur.execute(EDGE_PTS)
    cur.execute("CREATE INDEX ON edge USING gist (geom)")
    cur.execute("ANALYZE edge")
    cur.execute(EDGE_HITS)
    cur.execute("ANALYZE lsoa_hit")
    cur.execute(EDGE_AREAS)
    cur.execute("ANALYZE edge_area")
    cur.execute(LOCATED_WIDE_VIEW.format(extra=extra + ", " if extra else ""))
    return cur.execute("SELECT count(*) FROM edge_area WHERE borough IS NULL").fetchone()[0]


LOCATION_STATUS = ("CASE WHEN p.geom IS NULL THEN 'no-coordinates' "
                   "WHEN p.borough_code IS NULL THEN 'outside-london' ELSE 'ok' END")
