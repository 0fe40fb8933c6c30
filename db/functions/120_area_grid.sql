-- The LSOA grid behind fast area assignment on load (table ref.lsoa_grid, revision 0008_load_speed).
-- 32 m is a power of two, so x / 32 is exact in floating point and a point on a cell edge falls in
-- the cell whose closed square holds it; the grid only lists cells whose closed square lies in the
-- interior of one LSOA, so any point of the cell gets that LSOA from area_at as well.

CREATE OR REPLACE FUNCTION safestats_internal.grid_cell(p geometry)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT (floor(ST_X(p) / 32)::bigint << 22) + (floor(ST_Y(p) / 32)::bigint + 2097152)
$$;
COMMENT ON FUNCTION safestats_internal.grid_cell(geometry) IS
'Key of the 32 m British National Grid cell holding point p (EPSG:27700), as stored in ref.lsoa_grid.';

CREATE OR REPLACE FUNCTION safestats_internal.refresh_lsoa_grid()
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE n integer;
BEGIN
  -- One builder at a time; a second one waiting here finds the grid built and returns.
  LOCK TABLE ref.lsoa_grid IN EXCLUSIVE MODE;
  DELETE FROM ref.lsoa_grid;
  -- The grid is rebuilt right after boundaries load: statistics first (the loaders analyse what
  -- they write, but a caller may have filled ref.area by hand).
  ANALYZE ref.area;
  ANALYZE ref.area_part;
  -- Set-based and free of per-cell geometry tests (issue 20). The earlier form tested each cell of
  -- every LSOA's bounding box against the polygon (3.5 million ST_ContainsProperly calls, most of
  -- its time); this one works from the LSOA boundaries' straight segments with arithmetic only:
  --  * centres: along each row of cell centres (y = (iy + 0.5) * 32) the x where it crosses each
  --    segment (a segment counts for the rows in [its lowest y, its highest y), so a vertex on the
  --    line counts once); sorted per LSOA and row, crossings 1-2, 3-4, … bound the stretches inside
  --    the LSOA (even-odd, so holes and multipolygons need nothing special; a row with an odd count,
  --    possible only for an invalid polygon, is left out), and the cells whose centre lies there are
  --    that LSOA's;
  --  * edges: every cell whose closed square (widened by 1 mm against rounding) any segment of any
  --    LSOA touches, by the sign of the segment's line at the four corners;
  --  * a cell is listed when its centre lies in exactly one LSOA and it is no edge cell: its square
  --    is then connected, meets no boundary, so lies in that LSOA's interior and touches no other
  --    (an LSOA overlapping it would hold its centre too, or cross it).
  -- The result is the earlier grid less a few cells the 1 mm margin leaves out (15 of 1,256,673).
  INSERT INTO ref.lsoa_grid (cell, code)
  WITH seg AS MATERIALIZED (
    SELECT l.code, ST_X(ST_StartPoint(s.geom)) AS x1, ST_Y(ST_StartPoint(s.geom)) AS y1,
           ST_X(ST_EndPoint(s.geom)) AS x2, ST_Y(ST_EndPoint(s.geom)) AS y2
    FROM ref.area l CROSS JOIN LATERAL ST_DumpSegments(l.geom) s
    WHERE l.level = 'lsoa' AND l.vintage = 2021),
  crossing AS (
    SELECT code, iy, x1 + ((iy + 0.5::float8) * 32 - y1) * (x2 - x1) / (y2 - y1) AS x
    FROM seg, generate_series(ceil(least(y1, y2) / 32 - 0.5::float8)::int,
                              ceil(greatest(y1, y2) / 32 - 0.5::float8)::int - 1) iy
    WHERE y1 <> y2),
  runs AS (
    SELECT code, iy, x AS xa, lead(x) OVER w AS xb, row_number() OVER w AS k,
           count(*) OVER (PARTITION BY code, iy) AS crossings
    FROM crossing WINDOW w AS (PARTITION BY code, iy ORDER BY x)),
  centres AS (
    SELECT (ix::bigint << 22) + (iy::bigint + 2097152) AS cell, code
    FROM runs, generate_series(ceil(xa / 32 - 0.5::float8)::int, floor(xb / 32 - 0.5::float8)::int) ix
    WHERE k % 2 = 1 AND crossings % 2 = 0),
  edges AS (
    SELECT DISTINCT (ix::bigint << 22) + (iy::bigint + 2097152) AS cell
    FROM seg,
         generate_series(floor(least(x1, x2) / 32)::int - 1, floor(greatest(x1, x2) / 32)::int) ix,
         generate_series(floor(least(y1, y2) / 32)::int - 1, floor(greatest(y1, y2) / 32)::int) iy,
         LATERAL (SELECT ix * 32::float8 - 0.001::float8 AS x0, ix * 32::float8 + 32.001::float8 AS x1_,
                         iy * 32::float8 - 0.001::float8 AS y0, iy * 32::float8 + 32.001::float8 AS y1_) b,
         LATERAL (SELECT (x2 - x1) * (b.y0 - y1) - (y2 - y1) * (b.x0 - x1) AS d1,
                         (x2 - x1) * (b.y0 - y1) - (y2 - y1) * (b.x1_ - x1) AS d2,
                         (x2 - x1) * (b.y1_ - y1) - (y2 - y1) * (b.x0 - x1) AS d3,
                         (x2 - x1) * (b.y1_ - y1) - (y2 - y1) * (b.x1_ - x1) AS d4) d
    WHERE b.x1_ >= least(x1, x2) AND b.x0 <= greatest(x1, x2)
      AND b.y1_ >= least(y1, y2) AND b.y0 <= greatest(y1, y2)
      AND least(d.d1, d.d2, d.d3, d.d4) <= 0 AND greatest(d.d1, d.d2, d.d3, d.d4) >= 0)
  SELECT c.cell, min(c.code) FROM centres c
  WHERE NOT EXISTS (SELECT 1 FROM edges e WHERE e.cell = c.cell)
  GROUP BY c.cell HAVING count(*) = 1
  ORDER BY 1;   -- (the primary key's index then fills in order)
  GET DIAGNOSTICS n = ROW_COUNT;
  ANALYZE ref.lsoa_grid;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.refresh_lsoa_grid() IS
'Rebuilds ref.lsoa_grid from the LSOA 2021 polygons (a few seconds); loaders call it when the grid is
empty (after any boundary change). Returns the number of cells. Statistics: it ANALYZEs ref.area and
ref.area_part first (a boundary load may just have written them) and the grid it wrote.';
