-- Building areas and lookups from other areas: dissolving through a lookup, area-weighted overlaps.

CREATE OR REPLACE FUNCTION safestats_internal.dissolve_areas(p_from_level text, p_from_vintage integer,
                                                    p_to_level text, p_to_vintage integer,
                                                    p_derivation text)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- Builds to-level polygons by dissolving from-level polygons through ref.area_lookup (weight 1
-- rows: best-fit or nesting). Published polygons (approximate = false) are never overwritten, so a
-- real boundary file loaded later simply replaces the derived ones it covers.
DECLARE n integer;
BEGIN
  DELETE FROM ref.area a
  WHERE a.level = p_to_level AND a.vintage = p_to_vintage AND a.approximate;
  INSERT INTO ref.area (level, vintage, code, name, parent_code, approximate, derivation, geom)
  SELECT p_to_level, p_to_vintage, l.to_code,
         coalesce(max(n.name), l.to_code), max(n.parent_code), true, p_derivation,
         ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(f.geom)), 3))
  FROM ref.area_lookup l
  JOIN ref.area f ON f.level = l.from_level AND f.vintage = l.from_vintage AND f.code = l.from_code
  LEFT JOIN ref.area_name n ON n.level = p_to_level AND n.vintage = p_to_vintage AND n.code = l.to_code
  WHERE l.from_level = p_from_level AND l.from_vintage = p_from_vintage
    AND l.to_level = p_to_level AND l.to_vintage = p_to_vintage AND l.weight = 1
    AND NOT EXISTS (SELECT 1 FROM ref.area r WHERE r.level = p_to_level AND r.vintage = p_to_vintage
                    AND r.code = l.to_code)
  GROUP BY l.to_code;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM safestats_internal.refresh_area_parts(p_to_level, p_to_vintage);
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.dissolve_areas(text, integer, text, integer, text) IS
'Derives approximate polygons of one level/vintage by dissolving another through ref.area_lookup
(e.g. 2022 wards from LSOA 2021 by the ONS best-fit lookup). Published polygons are kept. Returns the
number of areas derived.';

CREATE OR REPLACE FUNCTION safestats_internal.build_area_weighted_lookup(p_from_level text, p_from_vintage integer,
                                                                p_to_level text, p_to_vintage integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- weight = share of the from-area''s surface that falls inside each to-area (overlaps under 0.1% are
-- slivers from generalisation and are dropped; the remaining weights are renormalised to sum to 1).
DECLARE n integer;
BEGIN
  DELETE FROM ref.area_lookup
  WHERE from_level = p_from_level AND from_vintage = p_from_vintage
    AND to_level = p_to_level AND to_vintage = p_to_vintage AND method = 'area-weighted';
  INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code,
                               weight, method)
  SELECT p_from_level, p_from_vintage, o.from_code, p_to_level, p_to_vintage, o.to_code,
         least(1.0, o.share / sum(o.share) OVER (PARTITION BY o.from_code)), 'area-weighted'
  FROM (
    -- Overlaid part by part (ref.area_part: the same polygons subdivided to 64 vertices, which tile
    -- them exactly): many small overlays cost less than one of two whole polygons, and a part wholly
    -- inside another skips the overlay. Same weights as whole polygons (to 1e-14).
    SELECT f.code AS from_code, t.code AS to_code,
           sum(CASE WHEN ST_Covers(t.geom, f.geom) THEN ST_Area(f.geom)
                    ELSE ST_Area(ST_Intersection(f.geom, t.geom)) END) / nullif(max(fa.area), 0) AS share
    FROM ref.area_part f
    JOIN ref.area_part t ON t.level = p_to_level AND t.vintage = p_to_vintage AND f.geom && t.geom
    JOIN (SELECT code, ST_Area(geom) AS area FROM ref.area
          WHERE level = p_from_level AND vintage = p_from_vintage) fa ON fa.code = f.code
    WHERE f.level = p_from_level AND f.vintage = p_from_vintage
    GROUP BY f.code, t.code
  ) o
  WHERE o.share >= 0.001;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.build_area_weighted_lookup(text, integer, text, integer) IS
'Fills ref.area_lookup with area-weighted overlaps between two area sets (method area-weighted),
e.g. ward 2014 -> ward 2018. Returns the number of lookup rows.';
