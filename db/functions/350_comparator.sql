-- Neighbourhood Comparator: most similar areas, metric gaps with intervals, QGIS layers.

CREATE OR REPLACE FUNCTION safestats_internal.comparator_area_name(p_level text, p_vintage integer, p_code text)
RETURNS text
LANGUAGE sql STABLE
AS $$
  SELECT coalesce(
    (SELECT name FROM ref.area WHERE level = p_level AND vintage = p_vintage AND code = p_code),
    (SELECT name FROM survey.neighbourhood WHERE p_level = 'neighbourhood' AND edition = p_vintage::text
                                            AND neighbourhood_code = p_code),
    (SELECT name FROM ref.area_name WHERE level = p_level AND vintage = p_vintage AND code = p_code),
    p_code)
$$;
COMMENT ON FUNCTION safestats_internal.comparator_area_name(text, integer, text) IS
'Name of an area of a level and vintage (ward, neighbourhood, ...), or its code when unnamed.';

CREATE OR REPLACE FUNCTION safestats.similar_areas(p_area_code text, p_run integer DEFAULT NULL)
RETURNS TABLE (run_id integer, rank smallint, similar_code text, similar_name text, distance double precision,
               same_group boolean)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
DECLARE
  -- the run given, else the latest holding the area; the code in any case, or an area's name. An
  -- area outside the run, or unknown, raises naming the runs holding it or near matches.
  a record;
BEGIN
  SELECT * INTO a FROM safestats_internal.comparator_area(p_area_code, p_run);
  RETURN QUERY
  SELECT s.run_id, s.rank, s.similar_code,
         safestats_internal.comparator_area_name(run.level, run.vintage, s.similar_code), s.distance,
         g1.group_no = g2.group_no
  FROM comparator.run run
  JOIN comparator.similar_area s ON s.run_id = run.run_id AND s.area_code = a.area_code
  LEFT JOIN comparator.area_group g1 ON g1.run_id = s.run_id AND g1.area_code = s.area_code
  LEFT JOIN comparator.area_group g2 ON g2.run_id = s.run_id AND g2.area_code = s.similar_code
  WHERE run.run_id = a.run_id
  ORDER BY s.rank;
END $$;
COMMENT ON FUNCTION safestats.similar_areas(text, integer) IS
'The k most similar areas of one area in a comparator run (default: the latest run holding it), nearest
first, with distance (weighted z-scores) and whether each is in the same most similar group. The area
is a code in any case or an area name; one outside the run, or unknown, raises an error naming the runs
that hold it or the nearest codes. Example: SELECT * FROM safestats.similar_areas(''KG-KB'')';

CREATE OR REPLACE FUNCTION safestats.comparator_gaps(p_metric text, p_run integer,
                                                     p_period text DEFAULT NULL,
                                                     p_assumed_n double precision DEFAULT 120)
RETURNS TABLE (run_id integer, area_code text, area_name text, group_no smallint, period text,
               value double precision, lower double precision, upper double precision,
               peers_n integer, peers_mean double precision, peers_sd double precision,
               gap double precision, gap_lower double precision, gap_upper double precision,
               z_score double precision, significant boolean, shortfall double precision,
               direction text, interval_basis text)
LANGUAGE sql STABLE
AS $$
  -- An unknown run or metric, or one with no values at the run's level, raises naming what there is.
  SELECT safestats_internal.comparator_check_metric(p_metric, p_run);
  -- Standard error of one value: from its published 95% interval; else, for a survey percentage,
  -- the binomial sqrt(p(1-p)/n) with its sample size or, when none is published, p_assumed_n
  -- respondents (see docs/comparator.md); else, for a rate with its count in sample_size, Poisson.
  -- The peers' mean has SE sqrt(sum se_j^2)/m; the gap's SE adds both in quadrature; the gap is
  -- significant when its 95% interval excludes 0. z_score compares the gap with the peers' spread.
  WITH run AS (SELECT * FROM comparator.run WHERE run_id = p_run),
  ind AS (SELECT * FROM landscape.indicator WHERE indicator_code = p_metric),
  per AS (
    SELECT coalesce(p_period, (SELECT v.period FROM landscape.indicator_value v, run
                               WHERE v.indicator_code = p_metric AND v.level = run.level AND v.vintage = run.vintage
                               ORDER BY v.period_start DESC, v.period DESC LIMIT 1)) AS period
  ),
  vals AS (
    SELECT v.area_code, v.value, v.lower, v.upper,
           CASE WHEN v.lower IS NOT NULL AND v.upper IS NOT NULL THEN (v.upper - v.lower) / 3.92
                WHEN ind.unit = 'percent' THEN
                  100 * sqrt(greatest(v.value / 100 * (1 - v.value / 100), 0) / coalesce(v.sample_size, p_assumed_n))
                WHEN ind.unit LIKE 'rate%' AND v.sample_size > 0 THEN v.value / sqrt(v.sample_size)
           END AS se,
           CASE WHEN v.lower IS NOT NULL AND v.upper IS NOT NULL THEN 'published interval'
                WHEN ind.unit = 'percent' AND v.sample_size IS NOT NULL THEN 'binomial, published sample size'
                WHEN ind.unit = 'percent' THEN format('binomial, assumed n = %s respondents', p_assumed_n)
                WHEN ind.unit LIKE 'rate%' AND v.sample_size > 0 THEN 'Poisson count'
                ELSE 'none: peers'' spread only' END AS basis
    FROM landscape.indicator_value v, run, per, ind
    WHERE v.indicator_code = p_metric AND v.level = run.level AND v.vintage = run.vintage AND v.period = per.period
  ),
  peers AS (
    SELECT s.area_code, count(pv.value)::int AS m, avg(pv.value) AS mean, stddev_samp(pv.value) AS sd,
           sqrt(sum(pv.se ^ 2)) / nullif(count(pv.se), 0) AS se_mean, count(pv.se) = count(pv.value) AS all_se
    FROM comparator.similar_area s
    JOIN vals pv ON pv.area_code = s.similar_code
    WHERE s.run_id = p_run
    GROUP BY s.area_code
  ),
  g AS (
    SELECT a.area_code, a.value, a.lower, a.upper, p.m, p.mean, p.sd, a.value - p.mean AS gap,
           CASE WHEN a.se IS NOT NULL AND p.all_se THEN sqrt(a.se ^ 2 + p.se_mean ^ 2) END AS se_gap, a.basis
    FROM vals a JOIN peers p USING (area_code)
  )
  SELECT p_run, g.area_code, safestats_internal.comparator_area_name(run.level, run.vintage, g.area_code), ag.group_no,
         per.period, g.value, g.lower, g.upper, g.m, g.mean, g.sd, g.gap,
         g.gap - 1.96 * g.se_gap, g.gap + 1.96 * g.se_gap,
         g.gap / nullif(g.sd, 0),
         CASE WHEN g.se_gap IS NOT NULL THEN abs(g.gap) > 1.96 * g.se_gap
              ELSE abs(g.gap / nullif(g.sd, 0)) > 1.96 END,
         CASE ind.direction WHEN 'higher is better' THEN -g.gap WHEN 'higher is worse' THEN g.gap END,
         ind.direction, g.basis
  FROM g CROSS JOIN run CROSS JOIN per CROSS JOIN ind
  LEFT JOIN comparator.area_group ag ON ag.run_id = p_run AND ag.area_code = g.area_code
  ORDER BY g.area_code
$$;
COMMENT ON FUNCTION safestats.comparator_gaps(text, integer, text, double precision) IS
'For every area of a comparator run: the metric''s value (e.g. pas_good_job, crime_rate_total), its
most similar areas'' mean and spread, the gap, a 95% interval for the gap, a z-score against the peers,
whether the gap is significant, and shortfall (how far it is worse than its peers given the metric''s
direction; positive = worse). Survey percentages without a published sample size assume
p_assumed_n respondents (default 120). Example:
SELECT * FROM safestats.comparator_gaps(''pas_good_job'', 1) ORDER BY shortfall DESC LIMIT 5';

CREATE OR REPLACE FUNCTION safestats.comparator_group_spread(p_metric text, p_run integer,
                                                             p_period text DEFAULT NULL)
RETURNS TABLE (group_no smallint, areas integer, mean double precision, sd double precision,
               min double precision, max double precision, range double precision,
               significant_below integer)
LANGUAGE sql STABLE
AS $$
  SELECT g.group_no, count(*)::int, avg(g.value), stddev_samp(g.value), min(g.value), max(g.value),
         max(g.value) - min(g.value),
         count(*) FILTER (WHERE g.significant AND g.shortfall > 0)::int
  FROM safestats.comparator_gaps(p_metric, p_run, p_period) g
  GROUP BY g.group_no
  ORDER BY stddev_samp(g.value) DESC NULLS LAST
$$;
COMMENT ON FUNCTION safestats.comparator_group_spread(text, integer, text) IS
'"Where confidence varies most": per most similar group of a run, the spread of a metric (sd, range)
and how many areas sit significantly worse than their peers; widest spread first.';

CREATE OR REPLACE VIEW safestats.comparator_runs AS
SELECT r.run_id, r.created_at, r.label, r.level, r.vintage, r.k, r.transform, r.cluster_method, r.n_groups,
       r.silhouette, r.n_areas, r.build_seconds,
       (SELECT array_agg(ri.indicator_code ORDER BY ri.indicator_code) FROM comparator.run_indicator ri
        WHERE ri.run_id = r.run_id) AS indicators, r.parameters
FROM comparator.run r;
COMMENT ON VIEW safestats.comparator_runs IS
'Comparator runs: level, vintage, k, transform, clustering, silhouette, indicators and parameters.';

CREATE OR REPLACE VIEW safestats.comparator_area_map AS
SELECT g.run_id || '|' || g.area_code AS feature_key, g.run_id, r.level, r.vintage, g.area_code,
       a.name AS area_name, g.group_no, g.silhouette,
       (SELECT s.similar_code FROM comparator.similar_area s
        WHERE s.run_id = g.run_id AND s.area_code = g.area_code AND s.rank = 1) AS nearest_code,
       a.geom::geometry(MultiPolygon, 27700) AS geom
FROM comparator.area_group g
JOIN comparator.run r USING (run_id)
JOIN ref.area a ON a.level = r.level AND a.vintage = r.vintage AND a.code = g.area_code;
COMMENT ON VIEW safestats.comparator_area_map IS
'QGIS layer: each area of each comparator run with its most similar group (group_no, for a
categorised style), silhouette width and nearest area. Filter on run_id.';

CREATE OR REPLACE VIEW safestats.comparator_similar_map AS
SELECT s.run_id || '|' || s.area_code || '|' || s.rank AS feature_key, s.run_id, s.area_code, s.rank,
       s.similar_code, a.name AS similar_name, s.distance,
       a.geom::geometry(MultiPolygon, 27700) AS geom
FROM comparator.similar_area s
JOIN comparator.run r USING (run_id)
JOIN ref.area a ON a.level = r.level AND a.vintage = r.vintage AND a.code = s.similar_code;
COMMENT ON VIEW safestats.comparator_similar_map IS
'QGIS layer: the similar areas of every area (polygon = the similar area). Filter on run_id and
area_code to show one area''s peers; style by rank or distance.';

CREATE OR REPLACE VIEW safestats.comparator_gap_map AS
SELECT r.run_id || '|' || i.indicator_code || '|' || g.area_code AS feature_key,
       r.run_id, i.indicator_code AS metric, i.name AS metric_name, g.area_code, g.area_name, g.group_no,
       g.period, g.value, g.peers_mean, g.gap, g.gap_lower, g.gap_upper, g.z_score, g.significant,
       g.shortfall, g.interval_basis,
       a.geom::geometry(MultiPolygon, 27700) AS geom
FROM comparator.run r
JOIN landscape.indicator i ON i.theme IN ('Public Confidence', 'Crime')
  AND EXISTS (SELECT 1 FROM landscape.indicator_value v WHERE v.indicator_code = i.indicator_code
              AND v.level = r.level AND v.vintage = r.vintage)
CROSS JOIN LATERAL safestats.comparator_gaps(i.indicator_code, r.run_id) g
JOIN ref.area a ON a.level = r.level AND a.vintage = r.vintage AND a.code = g.area_code;
COMMENT ON VIEW safestats.comparator_gap_map IS
'QGIS layer: for every run and every public-confidence or crime metric available at its level, each
area''s gap to its most similar areas (value, peers_mean, gap, gap_lower/upper, z_score, significant,
shortfall > 0 = worse than peers). Filter on run_id and metric; style on shortfall or significant.';
