-- London Landscape: crime counts from the loaders' tables become rates per 1,000 residents.
-- The tables (crime.mps_lsoa_year, crime.mps_ward_month) are created by the crime loaders; this
-- function is installed whether or not they exist yet and skips, with a notice, what is absent.

CREATE OR REPLACE FUNCTION safestats_internal.build_crime_rate_indicators(
    p_population text DEFAULT 'pop_persons_all_ages')
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- Rates per 1,000 residents with a 95% interval from the Poisson count (normal approximation,
-- 1.96 * sqrt(count); for a count of 0 the upper bound is 3.69, the exact Poisson 95% limit).
-- sample_size holds the count behind the rate.
--  * crime.mps_lsoa_year -> level lsoa 2011 per year and major category, and level ward 2014
--    (LSOAs summed through the population-weighted best fit of each LSOA).
--  * crime.mps_ward_month -> level ward 2022, per complete calendar year and for the latest 12 months
--    (without the "Aviation Security (SO18)" pseudo-borough: Heathrow airport crime).
-- Population: the latest LSOA mid-year estimate (p_population), the same for every year (stated in
-- the method column).
DECLARE
  n_written integer := 0; k integer; pop_period text;
BEGIN
  pop_period := (SELECT max(period) FROM landscape.indicator_value
                 WHERE indicator_code = p_population AND level = 'lsoa' AND vintage = 2011);
  IF pop_period IS NULL THEN
    RAISE NOTICE 'crime rates skipped: no LSOA population (%); run safestats load lsoa-population', p_population;
    RETURN 0;
  END IF;
  CREATE TEMP TABLE IF NOT EXISTS _crime_counts (level text, vintage smallint, area_code text, category text,
                                                 period text, period_start date, offences double precision,
                                                 pop double precision, source text) ON COMMIT DROP;
  TRUNCATE _crime_counts;

  IF to_regclass('crime.mps_lsoa_year') IS NULL THEN
    RAISE NOTICE 'crime.mps_lsoa_year is absent (load the MPS LSOA annual crime files first): skipped';
  ELSE
    -- Fresh statistics first: right after a load autovacuum may not have analysed the table yet, and
    -- with "0 rows" the planner runs the NOT EXISTS below as a nested loop over every row for every
    -- row (a test run hung on it for over ten minutes at 106,238 rows). ANALYZE samples: well under a
    -- second.
    ANALYZE crime.mps_lsoa_year;
    -- LSOA 2011 level
    EXECUTE $q$
      INSERT INTO _crime_counts
      SELECT 'lsoa', 2011, c.lsoa11_code, cat, c.year::text, make_date(c.year, 1, 1), sum(c.count), p.value,
             'crime.mps_lsoa_year'
      FROM (
        -- A major category's total row (minor_category '') where loaded; otherwise its minor rows
        -- (minor-category files are subsets of their major total: never add both).
        SELECT * FROM crime.mps_lsoa_year y
        WHERE y.minor_category = ''
           OR NOT EXISTS (SELECT 1 FROM crime.mps_lsoa_year t
                          WHERE t.lsoa11_code = y.lsoa11_code AND t.year = y.year
                            AND t.major_category = y.major_category AND t.minor_category = '')) c
      CROSS JOIN LATERAL (VALUES (c.major_category), ('Total')) x(cat)
      JOIN landscape.indicator_value p ON p.indicator_code = $1 AND p.level = 'lsoa' AND p.vintage = 2011
                                      AND p.period = $2 AND p.area_code = c.lsoa11_code
      GROUP BY c.lsoa11_code, cat, c.year, p.value $q$ USING p_population, pop_period;
    -- ward 2014 level: LSOA counts and residents summed over each ward's best-fit LSOAs
    IF NOT EXISTS (SELECT 1 FROM ref.area_lookup WHERE from_level = 'lsoa' AND from_vintage = 2011
                   AND to_level = 'ward' AND to_vintage = 2014 AND method = 'population-weighted') THEN
      PERFORM safestats_internal.build_population_lookup('lsoa', 2011, 'ward', 2014, p_population, pop_period);
    END IF;
    -- residents per ward from all its LSOAs (not only those with offences of a category)
    INSERT INTO _crime_counts
    SELECT 'ward', 2014, l.to_code, c.category, c.period, c.period_start, sum(l.weight * c.offences), wp.pop,
           'crime.mps_lsoa_year'
    FROM _crime_counts c
    JOIN ref.area_lookup l ON l.from_level = 'lsoa' AND l.from_vintage = 2011 AND l.from_code = c.area_code
                          AND l.to_level = 'ward' AND l.to_vintage = 2014 AND l.method = 'population-weighted'
    JOIN (SELECT l2.to_code, sum(l2.weight * p.value) AS pop
          FROM landscape.indicator_value p
          JOIN ref.area_lookup l2 ON l2.from_level = 'lsoa' AND l2.from_vintage = 2011 AND l2.from_code = p.area_code
                                 AND l2.to_level = 'ward' AND l2.to_vintage = 2014 AND l2.method = 'population-weighted'
          WHERE p.indicator_code = p_population AND p.level = 'lsoa' AND p.vintage = 2011 AND p.period = pop_period
          GROUP BY 1) wp ON wp.to_code = l.to_code
    WHERE c.level = 'lsoa'
    GROUP BY l.to_code, c.category, c.period, c.period_start, wp.pop;
  END IF;

  IF to_regclass('crime.mps_ward_month') IS NULL THEN
    RAISE NOTICE 'crime.mps_ward_month is absent (load the MPS ward monthly crime file first): skipped';
  ELSE
    ANALYZE crime.mps_ward_month;      -- as above: plans from real row counts
    IF NOT EXISTS (SELECT 1 FROM ref.area_lookup WHERE from_level = 'lsoa' AND from_vintage = 2011
                   AND to_level = 'ward' AND to_vintage = 2022 AND method = 'population-weighted') THEN
      PERFORM safestats_internal.build_population_lookup('lsoa', 2011, 'ward', 2022, p_population, pop_period);
    END IF;
    EXECUTE $q$
      WITH wpop AS (
        SELECT l.to_code AS ward_code, sum(l.weight * p.value) AS pop
        FROM landscape.indicator_value p
        JOIN ref.area_lookup l ON l.from_level = 'lsoa' AND l.from_vintage = 2011 AND l.from_code = p.area_code
                              AND l.to_level = 'ward' AND l.to_vintage = 2022 AND l.method = 'population-weighted'
        WHERE p.indicator_code = $1 AND p.level = 'lsoa' AND p.vintage = 2011 AND p.period = $2
        GROUP BY 1
      ), last AS (SELECT max(month) AS m FROM crime.mps_ward_month),
      windows AS (
        -- complete calendar years, and the latest 12 months
        SELECT extract(year FROM month)::int::text AS period, make_date(extract(year FROM month)::int, 1, 1) AS ps,
               month
        FROM crime.mps_ward_month
        WHERE extract(year FROM month) IN (SELECT extract(year FROM month) FROM crime.mps_ward_month
                                           GROUP BY 1 HAVING count(DISTINCT month) = 12)
        UNION ALL
        SELECT '12 months to ' || to_char(last.m, 'YYYY-MM'), (last.m - interval '11 months')::date, month
        FROM crime.mps_ward_month, last
        WHERE month > last.m - interval '12 months'
      ), wm AS (SELECT DISTINCT period, ps, month FROM windows)
      INSERT INTO _crime_counts
      SELECT 'ward', 2022, c.ward_code, cat, wm.period, wm.ps, sum(c.count), wpop.pop, 'crime.mps_ward_month'
      FROM crime.mps_ward_month c
      -- Heathrow's "Aviation Security (SO18)" pseudo-borough shares a Hillingdon ward code: airport
      -- crime is kept out of the residents' ward rate (as the MPS keeps it apart).
      JOIN wm ON wm.month = c.month AND c.borough_name <> 'Aviation Security (SO18)' 
      CROSS JOIN LATERAL (VALUES (c.major_category), ('Total')) x(cat)
      JOIN wpop ON wpop.ward_code = c.ward_code
      GROUP BY c.ward_code, cat, wm.period, wm.ps, wpop.pop $q$ USING p_population, pop_period;
  END IF;

  -- The ward file and the LSOA files spell categories differently (e.g. upper case): one indicator
  -- per slug.
  UPDATE _crime_counts SET category = initcap(lower(category)) WHERE category <> 'Total';
  INSERT INTO landscape.indicator (indicator_code, name, theme, unit, additive, direction, source, licence,
                                   attribution, level, vintage, periods, description)
  SELECT code, min(category) || ' offences per 1,000 residents', 'Crime', 'rate per 1,000 residents', false,
         'higher is worse', 'MPS recorded crime (London Datastore) and ONS mid-year population',
         'Open Government Licence v3.0',
         'Metropolitan Police Service via London Datastore; Office for National Statistics. OGL v3',
         min(level), NULL, array_agg(DISTINCT period ORDER BY period),
         'Recorded offences (' || string_agg(DISTINCT source, ', ') || ') per 1,000 residents'
  FROM (SELECT *, 'crime_rate_' || trim(BOTH '_' FROM regexp_replace(lower(category), '[^a-z0-9]+', '_', 'g')) AS code
        FROM _crime_counts) cc
  GROUP BY code
  ON CONFLICT (indicator_code) DO UPDATE SET periods = EXCLUDED.periods, description = EXCLUDED.description;

  DELETE FROM landscape.indicator_value v
  USING (SELECT DISTINCT 'crime_rate_' || trim(BOTH '_' FROM regexp_replace(lower(category), '[^a-z0-9]+', '_', 'g')) AS code,
                level, vintage FROM _crime_counts) d
  WHERE v.indicator_code = d.code AND v.level = d.level AND v.vintage = d.vintage;
  INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period, period_start, value,
                                         lower, upper, sample_size, method)
  SELECT 'crime_rate_' || trim(BOTH '_' FROM regexp_replace(lower(category), '[^a-z0-9]+', '_', 'g')),
         level, vintage, area_code, period, period_start,
         1000.0 * offences / pop,
         greatest(0, 1000.0 * (offences - 1.96 * sqrt(offences)) / pop),
         1000.0 * (CASE WHEN offences = 0 THEN 3.69 ELSE offences + 1.96 * sqrt(offences) END) / pop,
         offences,
         format('rate per 1,000 from %s; residents: %s %s', source, p_population, pop_period)
  FROM _crime_counts WHERE pop > 0;
  GET DIAGNOSTICS k = ROW_COUNT;
  n_written := n_written + k;
  -- The comparator and the analysts read these values next: statistics now, not when autovacuum comes.
  PERFORM safestats_internal.analyze_written();
  RETURN n_written;
END $$;
COMMENT ON FUNCTION safestats_internal.build_crime_rate_indicators(text) IS
'Turns the crime loaders'' counts into indicators crime_rate_<major category> and crime_rate_total
(offences per 1,000 residents, 95% Poisson interval, count in sample_size) at LSOA 2011 and ward 2014
(from crime.mps_lsoa_year) and ward 2022 (from crime.mps_ward_month: complete years and the latest
12 months). Skips, with a notice, a table that is absent. Returns the number of values written.
Statistics: it ANALYZEs its inputs (crime.mps_lsoa_year, crime.mps_ward_month) before planning on
them, since a load may just have filled them, and the tables it wrote before it returns.';
