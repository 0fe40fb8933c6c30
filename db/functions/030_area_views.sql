-- Area layers for QGIS and analysts, and area-level aggregation helpers.

CREATE OR REPLACE VIEW safestats.boroughs AS
SELECT vintage, code, name, approximate, area_ha, geom::geometry(MultiPolygon, 27700) AS geom
FROM ref.area WHERE level = 'borough';
COMMENT ON VIEW safestats.boroughs IS 'London boroughs (E09) by vintage, clipped to the river bank.';

CREATE OR REPLACE VIEW safestats.wards AS
SELECT a.vintage, a.code, a.name, a.parent_code AS borough_code, b.name AS borough_name,
       a.approximate, a.derivation, a.area_ha, a.geom::geometry(MultiPolygon, 27700) AS geom
FROM ref.area a
LEFT JOIN LATERAL (SELECT name FROM ref.area b WHERE b.level = 'borough' AND b.code = a.parent_code
                   ORDER BY b.vintage DESC LIMIT 1) b ON true
WHERE a.level = 'ward';
COMMENT ON VIEW safestats.wards IS 'London wards (E05) by vintage (2014, 2018, 2022) with their borough.
approximate = true marks derived polygons (2022 wards dissolved from LSOA 2021).';

CREATE OR REPLACE VIEW safestats.lsoas AS
SELECT vintage, code, name, parent_code AS borough_code, area_ha,
       geom::geometry(MultiPolygon, 27700) AS geom
FROM ref.area WHERE level = 'lsoa';
COMMENT ON VIEW safestats.lsoas IS 'Lower Layer Super Output Areas (E01), 2011 and 2021.';

CREATE OR REPLACE VIEW safestats.msoas AS
SELECT vintage, code, name, parent_code AS borough_code, approximate, area_ha,
       geom::geometry(MultiPolygon, 27700) AS geom
FROM ref.area WHERE level = 'msoa';
COMMENT ON VIEW safestats.msoas IS 'Middle Layer Super Output Areas (E02), 2011 (dissolved from LSOAs) and 2021.';

CREATE OR REPLACE FUNCTION safestats.rate_per_1000(n numeric, population numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN population > 0 THEN round(1000.0 * n / population, 3) END $$;
COMMENT ON FUNCTION safestats.rate_per_1000(numeric, numeric) IS
'Rate per 1,000 residents (3 decimals); NULL when the population is missing or zero.';

CREATE OR REPLACE FUNCTION safestats.reapportion(p_from_level text, p_from_vintage integer,
                                                 p_to_level text, p_to_vintage integer,
                                                 p_values jsonb)
RETURNS TABLE (to_code text, value double precision, method text)
LANGUAGE sql STABLE
AS $$
  -- Counts move between area sets through ref.area_lookup weights, so totals are conserved
  -- (each from-area's weights sum to 1). p_values is {"from_code": value, ...}.
  SELECT l.to_code, sum(l.weight * (v.value)::double precision), string_agg(DISTINCT l.method, '+')
  FROM jsonb_each_text(p_values) v(code, value)
  JOIN ref.area_lookup l ON l.from_level = p_from_level AND l.from_vintage = p_from_vintage
                        AND l.from_code = v.code AND l.to_level = p_to_level AND l.to_vintage = p_to_vintage
  GROUP BY l.to_code
$$;
COMMENT ON FUNCTION safestats.reapportion(text, integer, text, integer, jsonb) IS
'Moves counts from one area set to another through ref.area_lookup weights (totals conserved), with
the lookup method. Example: SELECT * FROM safestats.reapportion(''ward'',2014,''ward'',2018,
''{"E05000026": 120}'')';
