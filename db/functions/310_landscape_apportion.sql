-- London Landscape: moving indicator values across boundary changes (ward 2011/2014/2018/2022,
-- LSOA -> ward, ward -> neighbourhood) through ref.area_lookup, recording the method on every value.

CREATE OR REPLACE FUNCTION safestats_internal.build_population_lookup(
    p_from_level text, p_from_vintage integer, p_to_level text, p_to_vintage integer,
    p_population text DEFAULT 'pop_persons_all_ages', p_period text DEFAULT NULL,
    p_lsoa_vintage integer DEFAULT 2011)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- Each LSOA (small: ~1,500 residents) is placed in one from-area and one to-area by a point inside
-- it; weight(from -> to) = the from-area's residents living in LSOAs placed in the to-area, over all
-- its residents placed. The weights of each from-area sum to 1, so moving counts conserves totals.
DECLARE n integer; per text;
BEGIN
  per := coalesce(p_period, (SELECT max(period) FROM landscape.indicator_value
                             WHERE indicator_code = p_population AND level = 'lsoa' AND vintage = p_lsoa_vintage));
  IF per IS NULL THEN
    RAISE NOTICE 'no % values for LSOA %: load mid-year population first (safestats load lsoa-population)',
                 p_population, p_lsoa_vintage;
    RETURN 0;
  END IF;
  DELETE FROM ref.area_lookup
  WHERE from_level = p_from_level AND from_vintage = p_from_vintage AND to_level = p_to_level
    AND to_vintage = p_to_vintage AND method = 'population-weighted';
  WITH placed AS (
    SELECT CASE WHEN p_from_level = 'lsoa' AND p_from_vintage = p_lsoa_vintage THEN l.code
                ELSE safestats.area_at(ST_PointOnSurface(l.geom), p_from_level, p_from_vintage) END AS from_code,
           CASE WHEN p_to_level = 'lsoa' AND p_to_vintage = p_lsoa_vintage THEN l.code
                ELSE safestats.area_at(ST_PointOnSurface(l.geom), p_to_level, p_to_vintage) END AS to_code,
           v.value AS pop
    FROM ref.area l
    JOIN landscape.indicator_value v ON v.indicator_code = p_population AND v.level = 'lsoa'
                                    AND v.vintage = p_lsoa_vintage AND v.area_code = l.code AND v.period = per
    WHERE l.level = 'lsoa' AND l.vintage = p_lsoa_vintage
  ), pairs AS (
    SELECT from_code, to_code, sum(pop) AS pop FROM placed
    WHERE from_code IS NOT NULL AND to_code IS NOT NULL GROUP BY 1, 2
  )
  INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code, weight, method)
  SELECT p_from_level, p_from_vintage, from_code, p_to_level, p_to_vintage, to_code,
         CASE WHEN sum(pop) OVER w > 0 THEN least(1.0, pop / sum(pop) OVER w)
              ELSE 1.0 / count(*) OVER w END,
         'population-weighted'
  FROM pairs
  WINDOW w AS (PARTITION BY from_code)
  ON CONFLICT (from_level, from_vintage, from_code, to_level, to_vintage, to_code) DO UPDATE
    SET weight = EXCLUDED.weight, method = EXCLUDED.method;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM safestats_internal.analyze_written();   -- the lookup is read at once by the caller (issue 19)
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.build_population_lookup(text, integer, text, integer, text, text, integer) IS
'Population-weighted lookup between two area sets (method population-weighted in ref.area_lookup),
built from LSOA mid-year population: e.g. ward 2014 -> ward 2018, or lsoa 2011 -> ward 2022 (best
fit of each LSOA). Needs the lsoa-population load. Returns the number of lookup rows.';

CREATE OR REPLACE FUNCTION safestats_internal.move_indicators(
    p_indicators text[], p_from_level text, p_from_vintage integer, p_to_level text, p_to_vintage integer,
    p_lookup_method text DEFAULT NULL, p_period text DEFAULT NULL, p_size_indicator text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- Counts (additive indicators) are apportioned: to = sum(weight * from); each from-area's weights
-- sum to 1, so the total is conserved. Rates, shares and means are averaged, weighted by the part of
-- each from-area in the to-area times the from-area's size (p_size_indicator, e.g. its population;
-- else its surface for area-weighted lookups; else 1). Intervals are not carried (they are not
-- additive); the method column says how each value was made. One statement for all indicators.
DECLARE
  meth text; n integer := 0; unknown text;
BEGIN
  SELECT string_agg(c, ', ') INTO unknown FROM unnest(p_indicators) c
  WHERE NOT EXISTS (SELECT 1 FROM landscape.indicator i WHERE i.indicator_code = c);
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'unknown indicator(s) %; see SELECT * FROM safestats.indicators', unknown;
  END IF;
  meth := coalesce(p_lookup_method, (
    SELECT method FROM ref.area_lookup
    WHERE from_level = p_from_level AND from_vintage = p_from_vintage AND to_level = p_to_level
      AND to_vintage = p_to_vintage
    GROUP BY method
    ORDER BY array_position(ARRAY['population-weighted', 'area-weighted', 'best-fit', 'attribute'], method)
    LIMIT 1));
  IF meth IS NULL THEN
    RAISE EXCEPTION 'no lookup from % % to % % in ref.area_lookup (safestats reference builds ward ones; '
                    'safestats_internal.build_population_lookup makes population-weighted ones)',
                    p_from_level, p_from_vintage, p_to_level, p_to_vintage;
  END IF;
  DELETE FROM landscape.indicator_value
  WHERE indicator_code = ANY(p_indicators) AND level = p_to_level AND vintage = p_to_vintage
    AND method <> 'published' AND (p_period IS NULL OR period = p_period);
  INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period, period_start,
                                         value, sample_size, value_status, method)
  WITH sizes AS (
    SELECT DISTINCT ON (s.area_code) s.area_code, s.value AS size
    FROM landscape.indicator_value s
    WHERE s.indicator_code = p_size_indicator AND s.level = p_from_level AND s.vintage = p_from_vintage
    ORDER BY s.area_code, s.period_start DESC
  )
  , moved AS (
  SELECT v.indicator_code, l.to_code, v.period, min(v.period_start) AS period_start,
         CASE WHEN i.additive THEN sum(l.weight * v.value)
              ELSE sum(l.weight * sz.size * v.value) / nullif(sum(l.weight * sz.size), 0) END AS value,
         CASE WHEN i.additive THEN sum(l.weight * v.sample_size) END AS sample_size,
         CASE WHEN bool_or(v.value_status = 'projected') THEN 'projected' ELSE 'observed' END AS value_status,
         format('%s from %s %s (%s)', meth, p_from_level, p_from_vintage,
                CASE WHEN i.additive THEN 'apportioned count'
                     ELSE 'weighted mean by ' || coalesce(p_size_indicator,
                          CASE WHEN meth = 'area-weighted' THEN 'area' ELSE 'lookup weight' END) END) AS method
  FROM landscape.indicator_value v
  JOIN landscape.indicator i ON i.indicator_code = v.indicator_code
  JOIN ref.area_lookup l ON l.from_level = p_from_level AND l.from_vintage = p_from_vintage
                        AND l.from_code = v.area_code AND l.to_level = p_to_level
                        AND l.to_vintage = p_to_vintage AND l.method = meth
  LEFT JOIN ref.area fa ON fa.level = p_from_level AND fa.vintage = p_from_vintage AND fa.code = v.area_code
  LEFT JOIN sizes ON sizes.area_code = v.area_code
  CROSS JOIN LATERAL (
    SELECT coalesce(sizes.size,
                    CASE WHEN p_size_indicator IS NULL AND meth = 'area-weighted' THEN fa.area_ha END,
                    1.0) AS size) sz
  WHERE v.indicator_code = ANY(p_indicators) AND v.level = p_from_level AND v.vintage = p_from_vintage
    AND (p_period IS NULL OR v.period = p_period)
  GROUP BY v.indicator_code, i.additive, l.to_code, v.period
  )
  SELECT m.indicator_code, p_to_level, p_to_vintage, m.to_code, m.period, m.period_start, m.value, m.sample_size,
         m.value_status, m.method
  FROM moved m
  -- never overwrite a published value with a derived one
  WHERE m.value IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM landscape.indicator_value pv
                    WHERE pv.indicator_code = m.indicator_code AND pv.level = p_to_level
                      AND pv.vintage = p_to_vintage AND pv.area_code = m.to_code AND pv.period = m.period);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM safestats_internal.analyze_written();   -- moved values are read at once (comparator; issue 19)
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.move_indicators(text[], text, integer, text, integer, text, text, text) IS
'Moves indicators from one area set to another through ref.area_lookup (counts apportioned so totals
are conserved; rates and shares as weighted means), storing derived values whose method says how
(e.g. "area-weighted from ward 2014 (apportioned count)"). Published values are never replaced.
Example: SELECT safestats_internal.move_indicators(ARRAY[''ptai_2015''], ''ward'', 2014, ''ward'', 2018)';

CREATE OR REPLACE FUNCTION safestats.move_indicator(
    p_indicator text, p_from_level text, p_from_vintage integer, p_to_level text, p_to_vintage integer,
    p_lookup_method text DEFAULT NULL, p_period text DEFAULT NULL, p_size_indicator text DEFAULT NULL)
RETURNS integer
LANGUAGE sql VOLATILE
AS $$
  SELECT safestats_internal.move_indicators(ARRAY[p_indicator], p_from_level, p_from_vintage, p_to_level, p_to_vintage,
                                   p_lookup_method, p_period, p_size_indicator)
$$;
COMMENT ON FUNCTION safestats.move_indicator(text, text, integer, text, integer, text, text, text) IS
'One indicator through safestats_internal.move_indicators (see there). Example:
SELECT safestats.move_indicator(''ptai_2015'', ''ward'', 2014, ''ward'', 2018)';
