-- London Landscape: reading indicator values (one area level and period, one area's time series,
-- QGIS layers with a date for the temporal controller).

CREATE OR REPLACE VIEW safestats.indicators AS
SELECT i.indicator_code, i.name, i.theme, i.unit, i.additive, i.direction, i.source, i.licence,
       i.attribution, i.level, i.vintage, i.periods, i.value_status, i.description,
       (SELECT count(*) FROM landscape.indicator_value v WHERE v.indicator_code = i.indicator_code) AS n_values
FROM landscape.indicator i;
COMMENT ON VIEW safestats.indicators IS
'The London Landscape indicator catalogue: code, name, theme, unit, additive (a count), direction
(higher is better / worse), source, licence, level and vintage published, periods, observed or
projected, and how many values are stored (all levels, published and derived).';

CREATE OR REPLACE FUNCTION safestats.indicator_values(p_indicator text, p_level text DEFAULT 'ward',
                                                      p_vintage integer DEFAULT NULL, p_period text DEFAULT NULL)
RETURNS TABLE (area_code text, area_name text, vintage smallint, period text, period_start date,
               value double precision, lower double precision, upper double precision,
               sample_size double precision, value_status text, method text)
LANGUAGE sql STABLE
AS $$
  -- An unknown indicator, or a level it is not held at, raises naming near codes / the levels it has.
  SELECT safestats_internal.check_indicator(p_indicator, p_level, p_vintage);
  WITH pick AS (
    -- Without a vintage: the one holding most values; without a period: the latest.
    SELECT coalesce(p_vintage, (SELECT v.vintage FROM landscape.indicator_value v
                                WHERE v.indicator_code = p_indicator AND v.level = p_level
                                GROUP BY v.vintage ORDER BY count(*) DESC, v.vintage DESC LIMIT 1)) AS vintage
  ), per AS (
    SELECT pick.vintage,
           coalesce(p_period, (SELECT v.period FROM landscape.indicator_value v
                               WHERE v.indicator_code = p_indicator AND v.level = p_level
                                 AND v.vintage = pick.vintage
                               ORDER BY v.period_start DESC, v.period DESC LIMIT 1)) AS period
    FROM pick
  )
  SELECT v.area_code,
         coalesce(a.name, n.name, sn.name, v.area_code),
         v.vintage, v.period, v.period_start, v.value, v.lower, v.upper, v.sample_size, v.value_status, v.method
  FROM per
  JOIN landscape.indicator_value v ON v.indicator_code = p_indicator AND v.level = p_level
                                  AND v.vintage = per.vintage AND v.period = per.period
  LEFT JOIN ref.area a ON a.level = v.level AND a.vintage = v.vintage AND a.code = v.area_code
  LEFT JOIN ref.area_name n ON n.level = v.level AND n.vintage = v.vintage AND n.code = v.area_code
  LEFT JOIN survey.neighbourhood sn ON v.level = 'neighbourhood' AND sn.edition = v.vintage::text
                                   AND sn.neighbourhood_code = v.area_code
  ORDER BY v.area_code
$$;
COMMENT ON FUNCTION safestats.indicator_values(text, text, integer, text) IS
'Values of one indicator for every area of a level (ward, borough, lsoa, neighbourhood, ...) and
boundary vintage in one period, with interval, sample size, observed/projected and how each value was
made (published or derived). Vintage and period default to the fullest vintage and latest period.
Example: SELECT * FROM safestats.indicator_values(''wp_crime_rate'', ''ward'', 2011)';

CREATE OR REPLACE FUNCTION safestats.indicator_series(p_indicator text, p_area_code text,
                                                      p_level text DEFAULT NULL)
RETURNS TABLE (level text, vintage smallint, period text, period_start date, value double precision,
               lower double precision, upper double precision, sample_size double precision,
               value_status text, method text)
LANGUAGE sql STABLE
AS $$
  SELECT safestats_internal.check_indicator(p_indicator);   -- unknown: raises naming near codes
  SELECT safestats_internal.check_area(p_area_code);         -- likewise
  SELECT v.level, v.vintage, v.period, v.period_start, v.value, v.lower, v.upper, v.sample_size,
         v.value_status, v.method
  FROM landscape.indicator_value v
  WHERE v.indicator_code = p_indicator AND v.area_code = p_area_code
    AND (p_level IS NULL OR v.level = p_level)
  ORDER BY v.period_start, v.vintage
$$;
COMMENT ON FUNCTION safestats.indicator_series(text, text, text) IS
'Time series of one indicator for one area (all periods and vintages the area code appears in), with
intervals and derivation. Example: SELECT * FROM safestats.indicator_series(''crime_rate_total'', ''E01000001'')';

CREATE OR REPLACE VIEW safestats.indicator_map AS
SELECT v.indicator_code || '|' || v.level || '|' || v.vintage || '|' || v.area_code || '|' || v.period AS feature_key,
       v.indicator_code, i.name AS indicator_name, i.theme, i.unit, i.direction,
       v.level, v.vintage, v.area_code, a.name AS area_name, v.period, v.period_start,
       v.value, v.lower, v.upper, v.sample_size, v.value_status, v.method,
       a.geom::geometry(MultiPolygon, 27700) AS geom
FROM landscape.indicator_value v
JOIN landscape.indicator i USING (indicator_code)
JOIN ref.area a ON a.level = v.level AND a.vintage = v.vintage AND a.code = v.area_code;
COMMENT ON VIEW safestats.indicator_map IS
'Indicator values with their area polygon for QGIS: one row per indicator, area and period.
feature_key is unique (use it as the layer key); period_start is a date for the QGIS temporal
controller (single field, e.g. one year per step). Filter on indicator_code (and level/vintage).';

CREATE OR REPLACE FUNCTION safestats_internal.indicator_ward_2011_areas()
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- The GLA ward profiles and atlas use the 2011 census wards. 570 of them kept their code (and so
-- their boundary: ONS gives a new code to any changed ward) in May 2014; those get the 2014
-- polygon and a one-to-one lookup, so their values can be mapped and moved. The 54 re-warded
-- wards of Hackney, Kensington and Chelsea and Tower Hamlets have no published polygon here.
DECLARE n integer;
BEGIN
  INSERT INTO ref.area (level, vintage, code, name, parent_code, approximate, derivation, geom)
  SELECT 'ward', 2011, a.code, a.name, a.parent_code, false,
         'same code, so same boundary, as the May 2014 ward', a.geom
  FROM ref.area a
  WHERE a.level = 'ward' AND a.vintage = 2014
    AND EXISTS (SELECT 1 FROM landscape.indicator_value v WHERE v.level = 'ward' AND v.vintage = 2011
                AND v.area_code = a.code)
  ON CONFLICT (level, vintage, code) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    PERFORM safestats_internal.refresh_area_parts('ward', 2011);
  END IF;
  INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code, weight, method)
  SELECT 'ward', 2011, code, 'ward', 2014, code, 1, 'attribute' FROM ref.area WHERE level = 'ward' AND vintage = 2011
  ON CONFLICT DO NOTHING;
  INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code, weight, method)
  SELECT 'ward', 2014, code, 'ward', 2011, code, 1, 'attribute' FROM ref.area WHERE level = 'ward' AND vintage = 2011
  ON CONFLICT DO NOTHING;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.indicator_ward_2011_areas() IS
'Registers 2011 census wards (the GLA ward profiles'' geography) that are unchanged in 2014: copies
their polygon and adds one-to-one lookups with ward 2014. Called by the ward profile and atlas loaders.';
