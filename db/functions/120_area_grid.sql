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
  -- The grid is rebuilt right after boundaries load, before autovacuum has seen them: without
  -- statistics the overlap join below ran as a nested loop (319 s instead of 12 s).
  ANALYZE ref.area;
  ANALYZE ref.area_part;
  -- For each LSOA the cells of its bounding box whose square lies properly inside it (the polygon
  -- stays the same across its cells, so PostGIS tests them against one prepared geometry), less
  -- any cell another LSOA's part touches (overlapping boundaries: leave those to the exact test).
  -- A cell in A's interior can only be touched by an LSOA that overlaps A.
  INSERT INTO ref.lsoa_grid (cell, code)
  WITH overlapping AS MATERIALIZED (
    -- LSOAs whose interior another LSOA's part enters (generalised boundaries do overlap a
    -- little): only their cells need the test against the other parts.
    SELECT DISTINCT a.code FROM ref.area_part a
    JOIN ref.area_part b ON a.geom && b.geom AND a.code <> b.code
    WHERE a.level = 'lsoa' AND a.vintage = 2021 AND b.level = 'lsoa' AND b.vintage = 2021
      AND ST_Relate(a.geom, b.geom, 'T********'))
  SELECT (c.ix::bigint << 22) + (c.iy::bigint + 2097152), c.code
  FROM (
    SELECT l.code, ix, iy, ST_MakeEnvelope(ix * 32, iy * 32, (ix + 1) * 32, (iy + 1) * 32, 27700) AS box
    FROM ref.area l,
         generate_series(floor(ST_XMin(l.geom) / 32)::int, floor(ST_XMax(l.geom) / 32)::int) ix,
         generate_series(floor(ST_YMin(l.geom) / 32)::int, floor(ST_YMax(l.geom) / 32)::int) iy
    WHERE l.level = 'lsoa' AND l.vintage = 2021
      AND ST_ContainsProperly(l.geom, ST_MakeEnvelope(ix * 32, iy * 32, (ix + 1) * 32, (iy + 1) * 32, 27700))
  ) c
  WHERE c.code NOT IN (SELECT code FROM overlapping)
     OR NOT EXISTS (SELECT 1 FROM ref.area_part o
                    WHERE o.level = 'lsoa' AND o.vintage = 2021 AND o.code <> c.code
                      AND ST_Intersects(o.geom, c.box));
  GET DIAGNOSTICS n = ROW_COUNT;
  ANALYZE ref.lsoa_grid;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.refresh_lsoa_grid() IS
'Rebuilds ref.lsoa_grid from the LSOA 2021 polygons (a few seconds); loaders call it when the grid is
empty (after any boundary change). Returns the number of cells. Statistics: it ANALYZEs ref.area and
ref.area_part first (a boundary load may just have written them) and the grid it wrote.';
