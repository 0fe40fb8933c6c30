-- London Landscape in depth: the catalogue with periods and apportioned shares, trends per area,
-- area profiles (value against similar areas, borough and London), and the drivers of a borough's
-- figure (ward contributions; rank correlations across wards, Benjamini-Hochberg corrected).
-- Everything here reads landscape.indicator / landscape.indicator_value and comparator.*.

-- ---------------------------------------------------------------------------------------------
-- Small statistics helpers (PostgreSQL 15 has no lgamma or t distribution).

CREATE OR REPLACE FUNCTION safestats_internal.landscape_lgamma(x double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
-- Natural log of the gamma function for x > 0: the Lanczos approximation (g = 7, 9 terms), with the
-- reflection formula below 0.5. Accurate to about 1e-13 over the range used here.
DECLARE
  c double precision[] := ARRAY[0.99999999999980993, 676.5203681218851, -1259.1392167224028,
                                771.32342877765313, -176.61502916214059, 12.507343278686905,
                                -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  a double precision; t double precision; i integer;
BEGIN
  IF x < 0.5 THEN
    RETURN ln(pi() / abs(sin(pi() * x))) - safestats_internal.landscape_lgamma(1 - x);
  END IF;
  x := x - 1;
  a := c[1];
  t := x + 7.5;
  FOR i IN 1..8 LOOP
    a := a + c[i + 1] / (x + i);
  END LOOP;
  RETURN 0.5 * ln(2 * pi()) + (x + 0.5) * ln(t) - t + ln(a);
END $$;
COMMENT ON FUNCTION safestats_internal.landscape_lgamma(double precision) IS
'ln Gamma(x) for x > 0 (Lanczos approximation); used by safestats_internal.landscape_t_pvalue.';

CREATE OR REPLACE FUNCTION safestats_internal.landscape_betainc(a double precision, b double precision,
                                                       x double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
-- Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz), using the
-- symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where the fraction converges slowly.
DECLARE
  bt double precision; f double precision; c double precision; d double precision;
  delta double precision; num double precision; m integer; aa double precision; tiny double precision := 1e-300;
  swap boolean := false; xx double precision := x; pa double precision := a; pb double precision := b;
BEGIN
  IF x <= 0 THEN RETURN 0; END IF;
  IF x >= 1 THEN RETURN 1; END IF;
  IF x > (a + 1) / (a + b + 2) THEN
    swap := true; xx := 1 - x; pa := b; pb := a;
  END IF;
  bt := exp(safestats_internal.landscape_lgamma(pa + pb) - safestats_internal.landscape_lgamma(pa) - safestats_internal.landscape_lgamma(pb)
            + pa * ln(xx) + pb * ln(1 - xx));
  f := 1; c := 1; d := 1 - (pa + pb) * xx / (pa + 1);
  IF abs(d) < tiny THEN d := tiny; END IF;
  d := 1 / d; f := d;
  FOR m IN 1..300 LOOP
    -- even step
    aa := m * (pb - m) * xx / ((pa + 2 * m - 1) * (pa + 2 * m));
    d := 1 + aa * d; IF abs(d) < tiny THEN d := tiny; END IF;
    c := 1 + aa / c; IF abs(c) < tiny THEN c := tiny; END IF;
    d := 1 / d; f := f * d * c;
    -- odd step
    aa := -(pa + m) * (pa + pb + m) * xx / ((pa + 2 * m) * (pa + 2 * m + 1));
    d := 1 + aa * d; IF abs(d) < tiny THEN d := tiny; END IF;
    c := 1 + aa / c; IF abs(c) < tiny THEN c := tiny; END IF;
    d := 1 / d; delta := d * c; f := f * delta;
    EXIT WHEN abs(delta - 1) < 1e-15;
  END LOOP;
  num := bt * f / pa;
  RETURN CASE WHEN swap THEN 1 - num ELSE num END;
END $$;
COMMENT ON FUNCTION safestats_internal.landscape_betainc(double precision, double precision, double precision) IS
'Regularised incomplete beta function I_x(a, b) (continued fraction); used for t-distribution p-values.';

CREATE OR REPLACE FUNCTION safestats_internal.landscape_t_pvalue(t double precision, df double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT
AS $$
  SELECT CASE WHEN df <= 0 THEN NULL
              WHEN t = 'Infinity'::float8 OR t = '-Infinity'::float8 THEN 0
              ELSE safestats_internal.landscape_betainc(df / 2, 0.5, df / (df + t * t)) END
$$;
COMMENT ON FUNCTION safestats_internal.landscape_t_pvalue(double precision, double precision) IS
'Two-sided p-value of a Student t statistic with df degrees of freedom (as scipy.stats.t.sf(|t|, df) * 2).';

CREATE OR REPLACE FUNCTION safestats_internal.landscape_t_crit95(df double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT
AS $$
  -- 97.5% point of Student t: exact table to 30 degrees of freedom, then the Cornish-Fisher
  -- expansion around z = 1.959964 (error below 1e-4 beyond 30).
  SELECT CASE WHEN df < 1 THEN NULL
              WHEN df <= 30 THEN (ARRAY[12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
                                        2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
                                        2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
                                        2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423])[floor(df)::int]
              ELSE 1.959964 + (1.959964 ^ 3 + 1.959964) / (4 * df)
                   + (5 * 1.959964 ^ 5 + 16 * 1.959964 ^ 3 + 3 * 1.959964) / (96 * df * df) END
$$;
COMMENT ON FUNCTION safestats_internal.landscape_t_crit95(double precision) IS
'Two-sided 95% critical value of Student t with df degrees of freedom (table to 30, then Cornish-Fisher).';

-- ---------------------------------------------------------------------------------------------
-- The catalogue in depth.

CREATE OR REPLACE VIEW safestats.indicator_catalogue AS
WITH v AS (
  SELECT indicator_code,
         min(period_start) FILTER (WHERE value_status = 'observed') AS first_observed,
         max(period_start) FILTER (WHERE value_status = 'observed') AS last_observed,
         min(period_start) FILTER (WHERE value_status = 'projected') AS first_projected,
         max(period_start) FILTER (WHERE value_status = 'projected') AS last_projected,
         count(DISTINCT extract(year FROM period_start)) FILTER (WHERE value_status = 'observed') AS observed_years,
         count(DISTINCT period) AS n_periods,
         count(*) FILTER (WHERE method = 'published') AS n_published,
         count(*) FILTER (WHERE method <> 'published') AS n_derived,
         count(*) FILTER (WHERE level = 'ward' AND vintage = 2022) AS n_ward_2022,
         count(*) FILTER (WHERE level = 'ward' AND vintage = 2022 AND method <> 'published') AS n_ward_2022_derived,
         array_agg(DISTINCT level || ' ' || vintage) AS levels,
         array_agg(DISTINCT method) FILTER (WHERE method <> 'published') AS derived_methods
  FROM landscape.indicator_value
  GROUP BY indicator_code
)
SELECT i.indicator_code, i.name, i.theme, i.unit, i.direction, i.additive, i.source, i.licence, i.attribution,
       i.level AS published_level, i.vintage AS published_vintage, v.levels,
       i.value_status,
       least(v.first_observed, v.first_projected) AS first_period_start,
       greatest(v.last_observed, v.last_projected) AS last_period_start,
       v.first_observed, v.last_observed, v.observed_years, v.last_projected,
       CASE WHEN v.last_projected IS NOT NULL
            THEN extract(year FROM v.last_projected)::int - extract(year FROM coalesce(v.last_observed, v.first_projected))::int
       END AS projected_years_ahead,
       v.n_periods, v.n_published, v.n_derived,
       round(v.n_derived::numeric / nullif(v.n_published + v.n_derived, 0), 4)::float8 AS derived_share,
       v.n_ward_2022,
       round(v.n_ward_2022_derived::numeric / nullif(v.n_ward_2022, 0), 4)::float8 AS ward_2022_apportioned_share,
       v.derived_methods, i.description
FROM landscape.indicator i
LEFT JOIN v USING (indicator_code);
COMMENT ON VIEW safestats.indicator_catalogue IS
'The indicator catalogue in depth: theme, unit, direction, additive, source, licence, attribution, the
level published and every level held, observed/projected, first and last period, how many distinct
years are observed, how far projections run beyond the last observed year, how many values are
published and how many derived (moved across boundaries), the share of its 2022-ward values that were
apportioned rather than published, and the methods used.';
COMMENT ON COLUMN safestats.indicator_catalogue.indicator_code IS
'Indicator code (landscape.indicator).';
COMMENT ON COLUMN safestats.indicator_catalogue.name IS
'Indicator name.';
COMMENT ON COLUMN safestats.indicator_catalogue.theme IS
'Theme (Emergency Services, Education & Qualifications, Ethnicity & Origin, Financial & Economic, Health, Housing, Population, Transport, Crime, Public Confidence, Environment, Democracy).';
COMMENT ON COLUMN safestats.indicator_catalogue.unit IS
'Unit of the values (count, percent, rate per 1,000, GBP, index, ...).';
COMMENT ON COLUMN safestats.indicator_catalogue.direction IS
'higher is better, higher is worse or neutral (for residents).';
COMMENT ON COLUMN safestats.indicator_catalogue.additive IS
'true for counts (summed and apportioned across boundaries); false for rates, shares, means and scores (averaged).';
COMMENT ON COLUMN safestats.indicator_catalogue.source IS
'Where the data came from (publisher and dataset).';
COMMENT ON COLUMN safestats.indicator_catalogue.licence IS
'Licence of the data.';
COMMENT ON COLUMN safestats.indicator_catalogue.attribution IS
'Attribution statement to reproduce with the data.';
COMMENT ON COLUMN safestats.indicator_catalogue.published_level IS
'Area level where most of its values are published.';
COMMENT ON COLUMN safestats.indicator_catalogue.published_vintage IS
'Boundary vintage of published_level.';
COMMENT ON COLUMN safestats.indicator_catalogue.levels IS
'Every level and vintage holding values (published or derived).';
COMMENT ON COLUMN safestats.indicator_catalogue.value_status IS
'observed, or projected when the indicator has no observed values.';
COMMENT ON COLUMN safestats.indicator_catalogue.first_period_start IS
'Start of its earliest period (observed or projected).';
COMMENT ON COLUMN safestats.indicator_catalogue.last_period_start IS
'Start of its latest period (observed or projected).';
COMMENT ON COLUMN safestats.indicator_catalogue.first_observed IS
'Start of its earliest observed period.';
COMMENT ON COLUMN safestats.indicator_catalogue.last_observed IS
'Start of its latest observed period.';
COMMENT ON COLUMN safestats.indicator_catalogue.last_projected IS
'Start of its latest projected period; NULL when nothing is projected.';
COMMENT ON COLUMN safestats.indicator_catalogue.n_periods IS
'Distinct periods held.';
COMMENT ON COLUMN safestats.indicator_catalogue.n_published IS
'Values as published.';
COMMENT ON COLUMN safestats.indicator_catalogue.n_derived IS
'Values derived by a boundary move.';
COMMENT ON COLUMN safestats.indicator_catalogue.n_ward_2022 IS
'Values held on 2022 wards (published or derived).';
COMMENT ON COLUMN safestats.indicator_catalogue.description IS
'Definition notes (e.g. the GLA atlas metadata sheet).';
COMMENT ON COLUMN safestats.indicator_catalogue.observed_years IS
'Distinct calendar years with an observed (not projected) value at any level.';
COMMENT ON COLUMN safestats.indicator_catalogue.projected_years_ahead IS
'Years from the last observed year (or the first projected one) to the last projected year; NULL when nothing is projected.';
COMMENT ON COLUMN safestats.indicator_catalogue.derived_share IS
'Share of all stored values made by a boundary move (method other than published).';
COMMENT ON COLUMN safestats.indicator_catalogue.ward_2022_apportioned_share IS
'Share of the values on 2022 wards that were apportioned / averaged from another geography rather than published on 2022 wards (1 = all derived).';
COMMENT ON COLUMN safestats.indicator_catalogue.derived_methods IS
'How the derived values were made (lookup, from-geography and count/mean rule), as stored in indicator_value.method.';

-- ---------------------------------------------------------------------------------------------
-- Trends.

CREATE OR REPLACE FUNCTION safestats.indicator_trend(p_indicator text, p_level text, p_vintage integer,
                                                     p_from_year integer DEFAULT NULL, p_to_year integer DEFAULT NULL,
                                                     p_include_projected boolean DEFAULT false)
RETURNS TABLE (area_code text, area_name text, n_points integer, first_period text, last_period text,
               first_value double precision, last_value double precision, mean_value double precision,
               slope_per_year double precision, slope_lower double precision, slope_upper double precision,
               theil_sen_slope double precision, relative_slope double precision, trend text)
LANGUAGE sql STABLE
AS $$
  -- Time is the period's start in decimal years. slope_per_year: least squares with a 95% interval
  -- from Student t on n - 2 degrees of freedom (needs 3+ points). theil_sen_slope: the median of all
  -- pairwise slopes (robust to one odd year). trend: rising/falling when the interval excludes 0,
  -- read through the indicator's direction as improving/worsening; "no clear trend" otherwise.
  WITH pts AS (
    SELECT v.area_code, v.period, v.value,
           extract(year FROM v.period_start) + (extract(doy FROM v.period_start) - 1) / 365.25 AS t
    FROM landscape.indicator_value v
    WHERE v.indicator_code = p_indicator AND v.level = p_level AND v.vintage = p_vintage
      AND (p_include_projected OR v.value_status = 'observed')
      AND (p_from_year IS NULL OR extract(year FROM v.period_start) >= p_from_year)
      AND (p_to_year IS NULL OR extract(year FROM v.period_start) <= p_to_year)
  ), agg AS (
    SELECT p.area_code, count(*)::int AS n, regr_slope(p.value, p.t) AS b, regr_intercept(p.value, p.t) AS a,
           regr_sxx(p.value, p.t) AS sxx, avg(p.value) AS mean_v,
           (array_agg(p.period ORDER BY p.t))[1] AS first_period,
           (array_agg(p.period ORDER BY p.t DESC))[1] AS last_period,
           (array_agg(p.value ORDER BY p.t))[1] AS first_value,
           (array_agg(p.value ORDER BY p.t DESC))[1] AS last_value
    FROM pts p GROUP BY p.area_code
  ), resid AS (
    SELECT g.area_code, sum((p.value - (g.a + g.b * p.t)) ^ 2) AS sse
    FROM agg g JOIN pts p USING (area_code) GROUP BY g.area_code
  ), ts AS (
    SELECT p1.area_code,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY (p2.value - p1.value) / (p2.t - p1.t)) AS ts_slope
    FROM pts p1 JOIN pts p2 ON p2.area_code = p1.area_code AND p2.t > p1.t
    GROUP BY p1.area_code
  ), fin AS (
    SELECT g.*, ts.ts_slope,
           CASE WHEN g.n > 2 AND g.sxx > 0 THEN sqrt(r.sse / (g.n - 2) / g.sxx) END AS se
    FROM agg g JOIN resid r USING (area_code) LEFT JOIN ts USING (area_code)
  )
  SELECT f.area_code, coalesce(a.name, f.area_code), f.n, f.first_period, f.last_period, f.first_value,
         f.last_value, f.mean_v, f.b,
         f.b - safestats_internal.landscape_t_crit95(f.n - 2) * f.se, f.b + safestats_internal.landscape_t_crit95(f.n - 2) * f.se,
         f.ts_slope, f.b / nullif(abs(f.mean_v), 0),
         CASE WHEN f.se IS NULL THEN 'too few points'
              WHEN abs(f.b) <= safestats_internal.landscape_t_crit95(f.n - 2) * f.se THEN 'no clear trend'
              WHEN i.direction = 'higher is better' THEN CASE WHEN f.b > 0 THEN 'improving' ELSE 'worsening' END
              WHEN i.direction = 'higher is worse' THEN CASE WHEN f.b < 0 THEN 'improving' ELSE 'worsening' END
              ELSE CASE WHEN f.b > 0 THEN 'rising' ELSE 'falling' END END
  FROM fin f
  JOIN landscape.indicator i ON i.indicator_code = p_indicator
  LEFT JOIN ref.area a ON a.level = p_level AND a.vintage = p_vintage AND a.code = f.area_code
  ORDER BY f.area_code
$$;
COMMENT ON FUNCTION safestats.indicator_trend(text, text, integer, integer, integer, boolean) IS
'Trend of one indicator for every area of a level and vintage over a window of years: least-squares
slope per year with a 95% interval (Student t, n - 2 df), the Theil-Sen slope (median of pairwise
slopes; robust), the slope relative to the area''s mean, and improving / worsening (or rising /
falling for neutral indicators) when the interval excludes 0. Projections are left out unless
p_include_projected. Example:
SELECT * FROM safestats.indicator_trend(''hhi_median'', ''lsoa'', 2011, 2005, 2012)';

CREATE OR REPLACE FUNCTION safestats.indicator_fastest_changing(p_indicator text, p_level text, p_vintage integer,
                                                                p_from_year integer DEFAULT NULL,
                                                                p_to_year integer DEFAULT NULL,
                                                                p_limit integer DEFAULT 10)
RETURNS TABLE (rank integer, area_code text, area_name text, n_points integer, first_period text,
               last_period text, slope_per_year double precision, slope_lower double precision,
               slope_upper double precision, theil_sen_slope double precision,
               relative_slope double precision, trend text)
LANGUAGE sql STABLE
AS $$
  SELECT (row_number() OVER (ORDER BY abs(t.relative_slope) DESC NULLS LAST, t.area_code))::int,
         t.area_code, t.area_name, t.n_points, t.first_period, t.last_period, t.slope_per_year,
         t.slope_lower, t.slope_upper, t.theil_sen_slope, t.relative_slope, t.trend
  FROM safestats.indicator_trend(p_indicator, p_level, p_vintage, p_from_year, p_to_year) t
  WHERE t.slope_lower IS NOT NULL AND t.trend <> 'no clear trend'
  ORDER BY abs(t.relative_slope) DESC NULLS LAST, t.area_code
  LIMIT p_limit
$$;
COMMENT ON FUNCTION safestats.indicator_fastest_changing(text, text, integer, integer, integer, integer) IS
'The areas whose indicator changed fastest over a window (largest |slope| relative to the area''s mean,
among those whose 95% slope interval excludes 0), from safestats.indicator_trend. Example:
SELECT * FROM safestats.indicator_fastest_changing(''hhi_median'', ''lsoa'', 2011, 2005, 2012, 5)';

-- ---------------------------------------------------------------------------------------------
-- Area profile.

CREATE OR REPLACE FUNCTION safestats.area_profile(p_area text, p_run integer DEFAULT NULL)
RETURNS TABLE (area_code text, level text, vintage smallint, indicator_code text, indicator_name text,
               theme text, unit text, direction text, period text, value_status text, method text,
               value double precision, lower double precision, upper double precision,
               peers_n integer, peers_mean double precision, peers_min double precision,
               peers_max double precision, borough_code text, borough_value double precision,
               london_value double precision, areas_n integer, london_mean double precision,
               london_sd double precision, london_min double precision, london_max double precision,
               z_score double precision, london_percentile double precision, vs_peers text,
               significant boolean, significance_basis text)
LANGUAGE sql STABLE
AS $$
  -- The area's level and vintage: the run's (p_run, else the latest run holding the area); without a
  -- run, the level and vintage where the area has most values. Per indicator the period is the
  -- area's latest observed one (or, for projection-only indicators, the one nearest today); the
  -- peers (the run's most similar areas), all areas of the level (London distribution), the borough
  -- (the area's parent) and London (region E12000007) are read for that same period.
  WITH run AS (
    SELECT r.run_id, r.level, r.vintage FROM comparator.run r
    WHERE r.run_id = coalesce(p_run, (SELECT max(s.run_id) FROM comparator.similar_area s WHERE s.area_code = p_area))
  ), lv AS (
    SELECT coalesce((SELECT level FROM run), x.level) AS level,
           coalesce((SELECT vintage FROM run), x.vintage) AS vintage
    FROM (SELECT NULL::text AS level, NULL::smallint AS vintage) d
    LEFT JOIN LATERAL (SELECT v.level, v.vintage FROM landscape.indicator_value v WHERE v.area_code = p_area
                       GROUP BY 1, 2 ORDER BY count(*) DESC, v.vintage DESC LIMIT 1) x ON true
  ), mine AS (
    SELECT DISTINCT ON (v.indicator_code) v.*
    FROM landscape.indicator_value v, lv
    WHERE v.area_code = p_area AND v.level = lv.level AND v.vintage = lv.vintage
    ORDER BY v.indicator_code, (v.value_status = 'observed') DESC, (v.period_start <= current_date) DESC,
             abs(v.period_start - current_date), v.period
  ), dist AS (
    SELECT m.indicator_code, count(*)::int AS n, avg(o.value) AS mean, stddev_pop(o.value) AS sd,
           min(o.value) AS mn, max(o.value) AS mx,
           count(*) FILTER (WHERE o.value < m.value)::float8 AS below
    FROM mine m, lv
    JOIN landscape.indicator_value o ON true
    WHERE o.indicator_code = m.indicator_code AND o.level = lv.level AND o.vintage = lv.vintage
      AND o.period = m.period
    GROUP BY m.indicator_code
  ), peers AS (
    SELECT m.indicator_code, count(o.value)::int AS n, avg(o.value) AS mean, min(o.value) AS mn,
           max(o.value) AS mx,
           CASE WHEN count(*) FILTER (WHERE o.lower IS NULL OR o.upper IS NULL) = 0 AND count(o.value) > 0
                THEN sqrt(sum(((o.upper - o.lower) / 3.92) ^ 2)) / count(o.value) END AS se_mean
    FROM mine m
    CROSS JOIN run
    JOIN comparator.similar_area s ON s.run_id = run.run_id AND s.area_code = p_area
    JOIN landscape.indicator_value o ON o.indicator_code = m.indicator_code AND o.level = run.level
                                    AND o.vintage = run.vintage AND o.area_code = s.similar_code
                                    AND o.period = m.period
    GROUP BY m.indicator_code
  ), parent AS (
    SELECT a.parent_code FROM ref.area a, lv
    WHERE a.level = lv.level AND a.vintage = lv.vintage AND a.code = p_area
  )
  SELECT p_area, lv.level, lv.vintage, m.indicator_code, i.name, i.theme, i.unit, i.direction, m.period,
         m.value_status, m.method, m.value, m.lower, m.upper,
         coalesce(pe.n, 0), pe.mean, pe.mn, pe.mx,
         (SELECT parent_code FROM parent),
         (SELECT b.value FROM landscape.indicator_value b
          WHERE b.indicator_code = m.indicator_code AND b.level = 'borough' AND b.area_code = (SELECT parent_code FROM parent)
            AND b.period = m.period ORDER BY b.vintage DESC LIMIT 1),
         (SELECT l.value FROM landscape.indicator_value l
          WHERE l.indicator_code = m.indicator_code AND l.level = 'region' AND l.area_code = 'E12000007'
            AND l.period = m.period ORDER BY l.vintage DESC LIMIT 1),
         d.n, d.mean, d.sd, d.mn, d.mx,
         (m.value - d.mean) / nullif(d.sd, 0),
         CASE WHEN d.n > 1 THEN 100.0 * d.below / (d.n - 1) END,
         CASE WHEN pe.mean IS NULL THEN 'no peers'
              WHEN i.direction = 'neutral' THEN CASE WHEN m.value > pe.mean THEN 'higher than peers'
                                                     WHEN m.value < pe.mean THEN 'lower than peers'
                                                     ELSE 'same as peers' END
              WHEN m.value = pe.mean THEN 'same as peers'
              WHEN (m.value > pe.mean) = (i.direction = 'higher is better') THEN 'better than peers'
              ELSE 'worse than peers' END,
         CASE WHEN pe.mean IS NULL THEN NULL
              WHEN m.lower IS NOT NULL AND m.upper IS NOT NULL AND pe.se_mean IS NOT NULL
                THEN abs(m.value - pe.mean) > 1.96 * sqrt(((m.upper - m.lower) / 3.92) ^ 2 + pe.se_mean ^ 2)
              WHEN m.lower IS NOT NULL AND m.upper IS NOT NULL
                THEN pe.mean NOT BETWEEN m.lower AND m.upper END,
         CASE WHEN pe.mean IS NULL THEN NULL
              WHEN m.lower IS NOT NULL AND m.upper IS NOT NULL AND pe.se_mean IS NOT NULL
                THEN 'gap against the intervals of the area and of its peers'
              WHEN m.lower IS NOT NULL AND m.upper IS NOT NULL THEN 'peers'' mean outside the area''s interval'
              ELSE 'no interval published' END
  FROM mine m
  CROSS JOIN lv
  JOIN landscape.indicator i ON i.indicator_code = m.indicator_code
  LEFT JOIN dist d ON d.indicator_code = m.indicator_code
  LEFT JOIN peers pe ON pe.indicator_code = m.indicator_code
  ORDER BY i.theme, m.indicator_code
$$;
COMMENT ON FUNCTION safestats.area_profile(text, integer) IS
'Profile of one area on every indicator held at its level (the comparator run''s level and vintage;
default run: the latest holding the area): the area''s value (latest observed period), its most similar
areas'' mean, minimum and maximum, its borough''s and London''s published values for the same period, the
distribution over all areas of the level (mean, sd, min, max), z-score, London percentile (share of
areas below it, 0-100), direction-aware better / worse than peers, and whether the gap is significant
(NULL where no interval is published). The plugin''s spine chart draws it. Example:
SELECT * FROM safestats.area_profile(''E05013714'', 1)';

-- ---------------------------------------------------------------------------------------------
-- Drivers of borough performance.

CREATE OR REPLACE FUNCTION safestats_internal.landscape_weight_indicator(p_level text, p_vintage integer)
RETURNS text
LANGUAGE sql STABLE
AS $$
  SELECT c FROM unnest(ARRAY['c21_residents', 'gla_population', 'wp_population', 'pop_persons_all_ages']) WITH ORDINALITY u(c, o)
  WHERE EXISTS (SELECT 1 FROM landscape.indicator_value v WHERE v.indicator_code = u.c AND v.level = p_level
                AND v.vintage = p_vintage)
  ORDER BY o LIMIT 1
$$;
COMMENT ON FUNCTION safestats_internal.landscape_weight_indicator(text, integer) IS
'The population indicator used to weight areas of a level and vintage (first held of c21_residents,
gla_population, wp_population, pop_persons_all_ages); NULL when none is held.';

CREATE OR REPLACE FUNCTION safestats.borough_ward_contributions(p_borough text, p_metric text,
                                                                p_period text DEFAULT NULL,
                                                                p_level text DEFAULT 'ward',
                                                                p_vintage integer DEFAULT 2022,
                                                                p_weight text DEFAULT NULL)
RETURNS TABLE (area_code text, area_name text, period text, value double precision, weight double precision,
               weight_share double precision, rate_per_1000 double precision, borough_value double precision,
               london_value double precision, borough_difference double precision,
               contribution double precision, contribution_share double precision,
               metric_kind text, weight_indicator text)
LANGUAGE sql STABLE
AS $$
  -- Rates, shares and means (non-additive): the borough's figure is the population-weighted mean of
  -- its wards, London's the same over every ward holding the metric; ward i contributes
  -- w_i / W_borough * (r_i - London), and these sum exactly to borough - London.
  -- Counts (additive): the borough's difference is its count minus the count expected at London's
  -- rate (population * London count / London population); ward i contributes its own excess,
  -- count_i - pop_i * London rate, and these sum exactly to the borough's excess.
  -- Weight: p_weight (default safestats_internal.landscape_weight_indicator), its period nearest the metric's.
  WITH wt AS (SELECT coalesce(p_weight, safestats_internal.landscape_weight_indicator(p_level, p_vintage)) AS code),
  ind AS (SELECT * FROM landscape.indicator WHERE indicator_code = p_metric),
  per AS (
    SELECT coalesce(p_period, (SELECT v.period FROM landscape.indicator_value v
                               WHERE v.indicator_code = p_metric AND v.level = p_level AND v.vintage = p_vintage
                                 AND v.value_status = 'observed'
                               ORDER BY v.period_start DESC, v.period DESC LIMIT 1)) AS period
  ), mv AS (
    SELECT v.area_code, v.value, v.period, v.period_start FROM landscape.indicator_value v, per
    WHERE v.indicator_code = p_metric AND v.level = p_level AND v.vintage = p_vintage AND v.period = per.period
  ), wper AS (
    SELECT w.period FROM landscape.indicator_value w, wt
    WHERE w.indicator_code = wt.code AND w.level = p_level AND w.vintage = p_vintage
    GROUP BY w.period, w.period_start
    ORDER BY abs(min(w.period_start) - (SELECT min(period_start) FROM mv)), w.period LIMIT 1
  ), j AS (
    SELECT mv.area_code, mv.value, mv.period,
           coalesce((SELECT w.value FROM landscape.indicator_value w, wt, wper
                     WHERE w.indicator_code = wt.code AND w.level = p_level AND w.vintage = p_vintage
                       AND w.area_code = mv.area_code AND w.period = wper.period),
                    CASE WHEN (SELECT code FROM wt) IS NULL THEN 1.0 END) AS w,
           a.parent_code, a.name
    FROM mv
    JOIN ref.area a ON a.level = p_level AND a.vintage = p_vintage AND a.code = mv.area_code
  ), ok AS (SELECT * FROM j WHERE w IS NOT NULL AND w > 0),
  lon AS (
    SELECT sum(w * value) / sum(w) AS mean_rate, sum(value) / sum(w) AS count_rate FROM ok
  ), bor AS (
    SELECT sum(w) AS w_b, sum(w * value) / sum(w) AS mean_rate, sum(value) AS cnt FROM ok WHERE parent_code = p_borough
  )
  SELECT ok.area_code, ok.name, ok.period, ok.value, ok.w, ok.w / bor.w_b,
         CASE WHEN ind.additive THEN 1000 * ok.value / ok.w END,
         CASE WHEN ind.additive THEN bor.cnt ELSE bor.mean_rate END,
         CASE WHEN ind.additive THEN bor.w_b * lon.count_rate ELSE lon.mean_rate END,
         CASE WHEN ind.additive THEN bor.cnt - bor.w_b * lon.count_rate ELSE bor.mean_rate - lon.mean_rate END,
         CASE WHEN ind.additive THEN ok.value - ok.w * lon.count_rate
              ELSE ok.w / bor.w_b * (ok.value - lon.mean_rate) END,
         (CASE WHEN ind.additive THEN ok.value - ok.w * lon.count_rate
               ELSE ok.w / bor.w_b * (ok.value - lon.mean_rate) END)
           / nullif(CASE WHEN ind.additive THEN bor.cnt - bor.w_b * lon.count_rate
                         ELSE bor.mean_rate - lon.mean_rate END, 0),
         CASE WHEN ind.additive THEN 'count: excess over London''s rate per head'
              ELSE 'rate/share: population-weighted mean' END,
         (SELECT code FROM wt)
  FROM ok CROSS JOIN lon CROSS JOIN bor CROSS JOIN ind
  WHERE ok.parent_code = p_borough
  ORDER BY 11 DESC, ok.area_code
$$;
COMMENT ON FUNCTION safestats.borough_ward_contributions(text, text, text, text, integer, text) IS
'Which wards account for a borough''s difference from London on a metric: for each ward of the borough
its value, population weight, and contribution; contributions sum exactly to borough_difference. For
rates and shares the borough and London figures are population-weighted means of wards; for counts the
difference is the count in excess of London''s rate per head. Example:
SELECT * FROM safestats.borough_ward_contributions(''E09000023'', ''mps_ward_violence_against_the_person'')';

CREATE OR REPLACE FUNCTION safestats.indicator_associations(p_metric text, p_level text DEFAULT 'ward',
                                                            p_vintage integer DEFAULT 2022,
                                                            p_period text DEFAULT NULL,
                                                            p_min_areas integer DEFAULT 20)
RETURNS TABLE (indicator_code text, indicator_name text, theme text, period text, n integer,
               rho double precision, rho_lower double precision, rho_upper double precision,
               p_value double precision, q_value double precision, significant boolean,
               association text)
LANGUAGE sql STABLE
AS $$
  -- Spearman rank correlation across the areas of a level between the metric (its latest observed
  -- period unless p_period) and every other indicator (its latest observed period): Pearson
  -- correlation of average ranks (ties share their mean rank, as scipy.stats.spearmanr). Counts
  -- (additive indicators) are first divided by the area's population (safestats.
  -- landscape_weight_indicator) so that big wards do not look "associated" with everything.
  -- p-value: t = rho sqrt((n-2)/(1-rho^2)) on n-2 df (as scipy); 95% interval: Fisher z with
  -- se = 1.06 / sqrt(n - 3) (Fieller, Hartley and Pearson, for Spearman). q_value: Benjamini-Hochberg
  -- over all indicators tested; significant when q < 0.05. This is association, not cause.
  WITH wt AS (SELECT safestats_internal.landscape_weight_indicator(p_level, p_vintage) AS code),
  pop AS (
    SELECT DISTINCT ON (w.area_code) w.area_code, w.value FROM landscape.indicator_value w, wt
    WHERE w.indicator_code = wt.code AND w.level = p_level AND w.vintage = p_vintage AND w.value > 0
    ORDER BY w.area_code, (w.value_status = 'observed') DESC, w.period_start DESC
  ), latest AS (
    SELECT v.indicator_code,
           CASE WHEN v.indicator_code = p_metric AND p_period IS NOT NULL THEN p_period
                ELSE (array_agg(v.period ORDER BY v.period_start DESC, v.period DESC))[1] END AS period
    FROM landscape.indicator_value v
    WHERE v.level = p_level AND v.vintage = p_vintage AND v.value_status = 'observed'
    GROUP BY v.indicator_code
  ), vals AS (
    SELECT v.indicator_code, v.area_code,
           CASE WHEN i.additive AND i.indicator_code <> (SELECT code FROM wt) THEN 1000 * v.value / pop.value
                ELSE v.value END AS x
    FROM latest l
    JOIN landscape.indicator_value v ON v.indicator_code = l.indicator_code AND v.level = p_level
                                    AND v.vintage = p_vintage AND v.period = l.period
    JOIN landscape.indicator i ON i.indicator_code = v.indicator_code
    LEFT JOIN pop ON pop.area_code = v.area_code
    WHERE NOT i.additive OR pop.value IS NOT NULL OR i.indicator_code = (SELECT code FROM wt)
  ), pairs AS (
    SELECT o.indicator_code, o.area_code, m.x AS y, o.x
    FROM vals m JOIN vals o ON o.area_code = m.area_code AND o.indicator_code <> p_metric
    WHERE m.indicator_code = p_metric
  ), ranked AS (
    SELECT p.indicator_code,
           (rank() OVER (PARTITION BY p.indicator_code ORDER BY p.x)
            + count(*) OVER (PARTITION BY p.indicator_code ORDER BY p.x) - 1) / 2.0 + 0.5 AS rx,
           (rank() OVER (PARTITION BY p.indicator_code ORDER BY p.y)
            + count(*) OVER (PARTITION BY p.indicator_code ORDER BY p.y) - 1) / 2.0 + 0.5 AS ry
    FROM pairs p
  ), r AS (
    SELECT k.indicator_code, count(*)::int AS n, corr(k.rx, k.ry) AS rho
    FROM ranked k GROUP BY k.indicator_code
    HAVING count(*) >= greatest(p_min_areas, 4) AND corr(k.rx, k.ry) IS NOT NULL
  ), p AS (
    SELECT r.*,
           CASE WHEN abs(r.rho) >= 1 THEN 0
                ELSE safestats_internal.landscape_t_pvalue(r.rho * sqrt((r.n - 2) / (1 - r.rho ^ 2)), r.n - 2) END AS pv,
           atanh(least(greatest(r.rho, -0.999999), 0.999999)) AS z, 1.06 / sqrt(r.n - 3) AS se
    FROM r
  ), q AS (
    SELECT p.*, count(*) OVER () AS m,
           row_number() OVER (ORDER BY p.pv, p.indicator_code) AS k
    FROM p
  ), bh AS (
    SELECT q.*, least(1.0, min(q.pv * q.m / q.k) OVER (ORDER BY q.pv DESC, q.indicator_code DESC
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS qv
    FROM q
  )
  SELECT bh.indicator_code, i.name, i.theme, l.period, bh.n, bh.rho, tanh(bh.z - 1.96 * bh.se),
         tanh(bh.z + 1.96 * bh.se), bh.pv, bh.qv, bh.qv < 0.05,
         CASE WHEN bh.qv >= 0.05 THEN 'no clear association'
              WHEN bh.rho > 0 THEN 'higher metric goes with higher ' || i.name
              ELSE 'higher metric goes with lower ' || i.name END
  FROM bh
  JOIN landscape.indicator i ON i.indicator_code = bh.indicator_code
  JOIN latest l ON l.indicator_code = bh.indicator_code
  ORDER BY bh.pv, abs(bh.rho) DESC, bh.indicator_code
$$;
COMMENT ON FUNCTION safestats.indicator_associations(text, text, integer, text, integer) IS
'Which indicators go with a metric across the areas of a level (default 2022 wards): Spearman rank
correlation (ties averaged), its 95% interval (Fisher z, se 1.06/sqrt(n-3)), p-value (t on n-2 df, as
scipy.stats.spearmanr), Benjamini-Hochberg q-value over all indicators tested, and a plain-words
reading. Counts are taken per 1,000 residents first. Association, not cause. Example:
SELECT * FROM safestats.indicator_associations(''mps_ward_violence_against_the_person'') LIMIT 10';

-- ---------------------------------------------------------------------------------------------
-- Onto today's boundaries, set-based.

CREATE OR REPLACE FUNCTION safestats_internal.landscape_move_to_today(p_indicators text[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
-- One pass per source geography (ward 2011 / 2014 / 2018, LSOA 2001 / 2011 / 2021), in that order,
-- each one INSERT ... SELECT over every indicator and period at once, through the best lookup from
-- that geography to 2022 wards (composed lookups are built by loaders/landscape_more.py). Counts are
-- apportioned (sum of weight * value, totals conserved); rates, shares and means are averaged with
-- weight * size (LSOA 2021: Census 2021 residents; otherwise the lookup weight alone). A value is
-- written only where nothing is stored yet for that ward and period, so published 2022-ward values
-- and earlier passes win. Then 2022 wards -> boroughs (parent), again only where no borough value is
-- published for that period. Returns the number of derived values written.
DECLARE
  src record; n integer := 0; k integer; meth text;
BEGIN
  DELETE FROM landscape.indicator_value
  WHERE indicator_code = ANY(p_indicators) AND method <> 'published'
    AND ((level = 'ward' AND vintage = 2022) OR (level = 'borough' AND vintage = 2022 AND method LIKE '%from ward 2022%'));
  FOR src IN SELECT * FROM (VALUES ('ward', 2011, 1), ('ward', 2014, 2), ('ward', 2018, 3), ('lsoa', 2001, 6),
                                   ('lsoa', 2011, 5), ('lsoa', 2021, 4)) s(level, vintage, o) ORDER BY o
  LOOP
    SELECT l.method INTO meth FROM ref.area_lookup l
    WHERE l.from_level = src.level AND l.from_vintage = src.vintage AND l.to_level = 'ward' AND l.to_vintage = 2022
    GROUP BY l.method
    ORDER BY array_position(ARRAY['population-weighted', 'best-fit', 'area-weighted', 'attribute'], l.method) LIMIT 1;
    CONTINUE WHEN meth IS NULL;
    INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period, period_start,
                                           value, value_status, method)
    WITH sizes AS (
      SELECT s.area_code, s.value AS size FROM landscape.indicator_value s
      WHERE src.level = 'lsoa' AND src.vintage = 2021 AND s.indicator_code = 'c21_residents'
        AND s.level = 'lsoa' AND s.vintage = 2021 AND s.period = '2021'
    ), moved AS (
      SELECT v.indicator_code, l.to_code, v.period, min(v.period_start) AS period_start,
             CASE WHEN i.additive THEN sum(l.weight * v.value)
                  ELSE sum(l.weight * coalesce(sz.size, 1) * v.value) / nullif(sum(l.weight * coalesce(sz.size, 1)), 0)
             END AS value,
             CASE WHEN bool_or(v.value_status = 'projected') THEN 'projected' ELSE 'observed' END AS value_status,
             format('%s from %s %s (%s)', meth, src.level, src.vintage,
                    CASE WHEN i.additive THEN 'apportioned count'
                         WHEN src.level = 'lsoa' AND src.vintage = 2021 THEN 'weighted mean by residents'
                         ELSE 'weighted mean by lookup weight' END) AS method
      FROM landscape.indicator_value v
      JOIN landscape.indicator i ON i.indicator_code = v.indicator_code
      JOIN ref.area_lookup l ON l.from_level = src.level AND l.from_vintage = src.vintage AND l.from_code = v.area_code
                            AND l.to_level = 'ward' AND l.to_vintage = 2022 AND l.method = meth
      LEFT JOIN sizes sz ON sz.area_code = v.area_code
      WHERE v.indicator_code = ANY(p_indicators) AND v.level = src.level AND v.vintage = src.vintage
        AND v.method = 'published'
      GROUP BY v.indicator_code, i.additive, l.to_code, v.period
    )
    SELECT m.indicator_code, 'ward', 2022, m.to_code, m.period, m.period_start, m.value, m.value_status, m.method
    FROM moved m
    WHERE m.value IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM landscape.indicator_value pv
                      WHERE pv.indicator_code = m.indicator_code AND pv.level = 'ward' AND pv.vintage = 2022
                        AND pv.area_code = m.to_code AND pv.period = m.period);
    GET DIAGNOSTICS k = ROW_COUNT;
    n := n + k;
  END LOOP;
  -- 2022 wards -> boroughs
  INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period, period_start,
                                         value, value_status, method)
  WITH sizes AS (
    SELECT s.area_code, s.value AS size FROM landscape.indicator_value s
    WHERE s.indicator_code = 'c21_residents' AND s.level = 'ward' AND s.vintage = 2022 AND s.period = '2021'
  ), moved AS (
    SELECT v.indicator_code, a.parent_code AS to_code, v.period, min(v.period_start) AS period_start,
           CASE WHEN i.additive THEN sum(v.value)
                ELSE sum(coalesce(sz.size, 1) * v.value) / nullif(sum(coalesce(sz.size, 1)), 0) END AS value,
           CASE WHEN bool_or(v.value_status = 'projected') THEN 'projected' ELSE 'observed' END AS value_status,
           CASE WHEN i.additive THEN 'attribute from ward 2022 (summed count)'
                ELSE 'attribute from ward 2022 (weighted mean by residents)' END AS method,
           count(*) AS n_wards,
           (SELECT count(*) FROM ref.area w WHERE w.level = 'ward' AND w.vintage = 2022 AND w.parent_code = a.parent_code) AS all_wards
    FROM landscape.indicator_value v
    JOIN landscape.indicator i ON i.indicator_code = v.indicator_code
    JOIN ref.area a ON a.level = 'ward' AND a.vintage = 2022 AND a.code = v.area_code AND a.parent_code IS NOT NULL
    LEFT JOIN sizes sz ON sz.area_code = v.area_code
    WHERE v.indicator_code = ANY(p_indicators) AND v.level = 'ward' AND v.vintage = 2022
    GROUP BY v.indicator_code, i.additive, a.parent_code, v.period
  )
  SELECT m.indicator_code, 'borough', 2022, m.to_code, m.period, m.period_start, m.value, m.value_status, m.method
  FROM moved m
  WHERE m.value IS NOT NULL AND m.n_wards = m.all_wards     -- a borough only when all its wards have a value
    AND NOT EXISTS (SELECT 1 FROM landscape.indicator_value pv
                    WHERE pv.indicator_code = m.indicator_code AND pv.level = 'borough'
                      AND pv.area_code = m.to_code AND pv.period = m.period);
  GET DIAGNOSTICS k = ROW_COUNT;
  RETURN n + k;
END $$;
COMMENT ON FUNCTION safestats_internal.landscape_move_to_today(text[]) IS
'Carries indicators published on 2011/2014/2018 wards or 2001/2011/2021 LSOAs onto 2022 wards, then
2022 wards onto boroughs (where all of a borough''s wards have a value and no borough value is
published), in one set-based statement per source geography. Counts are apportioned, rates and shares
averaged; every derived value''s method says how. Published values are never replaced.
Example: SELECT safestats_internal.landscape_move_to_today(ARRAY[''hhi_median''])';
