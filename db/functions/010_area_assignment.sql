-- Point-in-area assignment for any area level and vintage.
-- A point on a boundary shared by two areas gets exactly one of them (the lower code, so the
-- answer is stable); a point outside London is valid and gets NULL.

CREATE OR REPLACE FUNCTION safestats.area_at(p geometry, p_level text, p_vintage integer)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT ap.code
  FROM ref.area_part ap
  WHERE ap.level = p_level
    AND ap.vintage = p_vintage
    AND ST_Intersects(ap.geom, CASE WHEN ST_SRID(p) = 27700 THEN p ELSE ST_Transform(p, 27700) END)
  ORDER BY ap.code
  LIMIT 1
$$;
COMMENT ON FUNCTION safestats.area_at(geometry, text, integer) IS
'Code of the area of the given level (borough, ward, lsoa, msoa) and vintage that contains point p
(any SRID; transformed to EPSG:27700). Exactly one area for a point on a shared boundary (the lower
code); NULL outside London. Example: SELECT safestats.area_at(geom, ''ward'', 2018) FROM ...';

CREATE OR REPLACE FUNCTION safestats.ward_at(p geometry, p_vintage integer DEFAULT 2018)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT safestats.area_at(p, 'ward', p_vintage) $$;
COMMENT ON FUNCTION safestats.ward_at(geometry, integer) IS
'Ward code (E05) containing point p for a ward vintage (2014, 2018 or 2022); NULL outside London.';

CREATE OR REPLACE FUNCTION safestats.lsoa_at(p geometry, p_vintage integer DEFAULT 2021)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT safestats.area_at(p, 'lsoa', p_vintage) $$;
COMMENT ON FUNCTION safestats.lsoa_at(geometry, integer) IS
'LSOA code (E01) containing point p for an LSOA vintage (2011 or 2021); NULL outside London.';

CREATE OR REPLACE FUNCTION safestats.borough_at(p geometry, p_ward_vintage integer DEFAULT 2018)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  -- Borough polygons are clipped to the river bank, ward polygons are not: a point on the
  -- Thames belongs to the borough of its ward, so take the borough from the ward.
  SELECT a.parent_code
  FROM ref.area a
  WHERE a.level = 'ward' AND a.vintage = p_ward_vintage
    AND a.code = safestats.area_at(p, 'ward', p_ward_vintage)
$$;
COMMENT ON FUNCTION safestats.borough_at(geometry, integer) IS
'Borough code (E09) of point p, taken from its ward of the given vintage (boroughs are clipped to the
river bank, wards are not); NULL outside London.';

CREATE OR REPLACE FUNCTION safestats.locate(p geometry, p_ward_vintage integer DEFAULT 2018,
                                            p_lsoa_vintage integer DEFAULT 2021)
RETURNS TABLE (ward_code text, lsoa_code text, borough_code text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT w.code, safestats.area_at(p, 'lsoa', p_lsoa_vintage), a.parent_code
  FROM (SELECT safestats.area_at(p, 'ward', p_ward_vintage) AS code) w
  LEFT JOIN ref.area a ON a.level = 'ward' AND a.vintage = p_ward_vintage AND a.code = w.code
$$;
COMMENT ON FUNCTION safestats.locate(geometry, integer, integer) IS
'Ward, LSOA and borough codes of point p in one call (all NULL outside London).
Example: SELECT l.* FROM incidents i, safestats.locate(i.geom) l';

CREATE OR REPLACE FUNCTION safestats_internal.refresh_area_parts(p_level text, p_vintage integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE n integer;
BEGIN
  DELETE FROM ref.area_part WHERE level = p_level AND vintage = p_vintage;
  INSERT INTO ref.area_part (level, vintage, code, geom)
  SELECT a.level, a.vintage, a.code, ST_Subdivide(a.geom, 64)
  FROM ref.area a WHERE a.level = p_level AND a.vintage = p_vintage;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.refresh_area_parts(text, integer) IS
'Rebuilds the subdivided polygons (ref.area_part) behind area_at() for one level and vintage; the
boundary loader calls it after every load. Returns the number of parts.';
