-- Violence analysis (issue 18), part 3: when violence happens. Hour of day x day of week, month,
-- the share in night-time-economy hours, and the change between two periods with an interval.
-- Times are London local time (Europe/London, so BST is handled). A&E records use the assault time
-- when given, else the arrival time. police.uk street crime has only a month.
--
-- Night-time economy (NTE) hours, as used here: 20:00 to 05:59 local time on the nights starting
-- Thursday, Friday and Saturday (i.e. Thu 20:00 - Fri 05:59, Fri 20:00 - Sat 05:59, Sat 20:00 -
-- Sun 05:59): 30 of the week's 168 hours (17.9 %). A share well above 17.9 % means violence is
-- concentrated in those hours.

CREATE OR REPLACE FUNCTION safestats.violence_is_nte(p_at timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE WHEN extract(hour FROM l) >= 20 THEN extract(isodow FROM l) IN (4, 5, 6)
              WHEN extract(hour FROM l) < 6 THEN extract(isodow FROM l) IN (5, 6, 7)
              ELSE false END
  FROM (SELECT p_at AT TIME ZONE 'Europe/London' AS l) t
$$;
COMMENT ON FUNCTION safestats.violence_is_nte(timestamptz) IS
'True when the time falls in night-time-economy hours: 20:00-05:59 London time on the nights starting
Thursday, Friday or Saturday (30 of 168 hours a week).';

CREATE OR REPLACE FUNCTION safestats.violence_hour_week(p_source text, p_from date, p_to date,
                                                        p_category text DEFAULT NULL,
                                                        p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (weekday integer, weekday_name text, hour integer, records bigint, nte boolean)
LANGUAGE plpgsql STABLE
AS $$
-- All 168 hours of the week (zeros included), Monday = 1 (ISO).
BEGIN
  PERFORM safestats.violence_check_source(p_source, p_from, p_to);
  IF p_source NOT IN ('ae-assault', 'las-assault') THEN
    RAISE EXCEPTION 'violence: % has no time of day; hour-of-week profiles are for ae-assault and las-assault',
      p_source USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH t AS (
    SELECT p.at AT TIME ZONE 'Europe/London' AS l
    FROM safestats.violence_points(p_source, p_from, p_to, p_category) p
    WHERE p_boroughs IS NULL OR p.record_key IN (
      SELECT a.record_id::text FROM health.ae_assault a WHERE p_source = 'ae-assault' AND a.borough_code = ANY (p_boroughs)
      UNION ALL
      SELECT l.incident_ref FROM incident.las_assault l WHERE p_source = 'las-assault' AND l.borough_code = ANY (p_boroughs))
  ), c AS (
    SELECT extract(isodow FROM l)::int AS d, extract(hour FROM l)::int AS h, count(*) AS n FROM t GROUP BY 1, 2
  )
  -- (2024-01-01 was a Monday)
  SELECT gd.d, trim(to_char(date '2024-01-01' + (gd.d - 1), 'Day')), gh.h, coalesce(c.n, 0),
         safestats.violence_is_nte(((date '2024-01-01' + (gd.d - 1)) + make_interval(hours => gh.h))::timestamp
                                   AT TIME ZONE 'Europe/London')
  FROM generate_series(1, 7) gd(d) CROSS JOIN generate_series(0, 23) gh(h)
  LEFT JOIN c ON c.d = gd.d AND c.h = gh.h
  ORDER BY gd.d, gh.h;
END $$;
COMMENT ON FUNCTION safestats.violence_hour_week(text, date, date, text, text[]) IS
'Records of ae-assault or las-assault in p_from .. p_to by day of week (1 = Monday) and hour (London
time), all 168 hours with zeros; nte marks the night-time-economy hours. Example:
SELECT * FROM safestats.violence_hour_week(''ae-assault'', ''2024-01-01'', ''2024-03-31'')';

CREATE OR REPLACE FUNCTION safestats.violence_by_month(p_source text, p_from date, p_to date,
                                                       p_category text DEFAULT NULL,
                                                       p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (month date, records bigint)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  PERFORM safestats.violence_check_source(p_source, p_from, p_to);
  RETURN QUERY
  WITH c AS (
    SELECT date_trunc('month', p.at AT TIME ZONE 'Europe/London')::date AS m, count(*) AS n
    FROM safestats.violence_points(p_source, p_from, p_to, p_category) p
    WHERE p_boroughs IS NULL OR p.record_key IN (
      SELECT a.record_id::text FROM health.ae_assault a WHERE p_source = 'ae-assault' AND a.borough_code = ANY (p_boroughs)
      UNION ALL
      SELECT l.incident_ref FROM incident.las_assault l WHERE p_source = 'las-assault' AND l.borough_code = ANY (p_boroughs)
      UNION ALL
      SELECT f.incident_number FROM incident.lfb_incident f WHERE p_source = 'lfb-incident' AND f.borough_code = ANY (p_boroughs))
    GROUP BY 1
  ), sc AS (   -- street crime by borough: its own query (records have no key)
    SELECT s.month AS m, count(*) AS n FROM crime.street_crime s
    WHERE s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
      AND (p_category IS NULL OR s.crime_type = p_category) AND s.borough_code = ANY (p_boroughs)
    GROUP BY 1
  )
  SELECT g::date, coalesce(CASE WHEN p_source = 'street-crime' AND p_boroughs IS NOT NULL THEN sc.n ELSE c.n END, 0)
  FROM generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month') g
  LEFT JOIN c ON c.m = g::date LEFT JOIN sc ON sc.m = g::date
  ORDER BY 1;
END $$;
COMMENT ON FUNCTION safestats.violence_by_month(text, date, date, text, text[]) IS
'Records of a violence source by calendar month (London time) from p_from''s month to p_to''s, zeros
included; optionally one category and some boroughs. Street crime counts whole months.';

CREATE OR REPLACE FUNCTION safestats.violence_wilson(p_k double precision, p_n double precision,
                                                     p_z double precision DEFAULT 1.959963984540054,
                                                     OUT low double precision, OUT high double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN p_n > 0 THEN (p + z2 / (2 * p_n) - p_z * sqrt(p * (1 - p) / p_n + z2 / (4 * p_n * p_n))) / (1 + z2 / p_n) END,
         CASE WHEN p_n > 0 THEN (p + z2 / (2 * p_n) + p_z * sqrt(p * (1 - p) / p_n + z2 / (4 * p_n * p_n))) / (1 + z2 / p_n) END
  FROM (SELECT CASE WHEN p_n > 0 THEN p_k / p_n END AS p, p_z * p_z AS z2) a
$$;
COMMENT ON FUNCTION safestats.violence_wilson(double precision, double precision, double precision) IS
'Wilson score interval (95 % by default) for a proportion k / n.';

CREATE OR REPLACE FUNCTION safestats.violence_nte_share(p_source text, p_from date, p_to date,
                                                        p_category text DEFAULT NULL,
                                                        p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (records bigint, nte_records bigint, nte_share double precision, ci_low double precision,
               ci_high double precision, nte_hours_share double precision)
LANGUAGE sql STABLE
AS $$
  SELECT sum(h.records)::bigint, (sum(h.records) FILTER (WHERE h.nte))::bigint,
         (sum(h.records) FILTER (WHERE h.nte))::double precision / nullif(sum(h.records), 0),
         (safestats.violence_wilson(sum(h.records) FILTER (WHERE h.nte), sum(h.records))).low,
         (safestats.violence_wilson(sum(h.records) FILTER (WHERE h.nte), sum(h.records))).high,
         30.0 / 168
  FROM safestats.violence_hour_week(p_source, p_from, p_to, p_category, p_boroughs) h
$$;
COMMENT ON FUNCTION safestats.violence_nte_share(text, date, date, text, text[]) IS
'Share of ae-assault or las-assault records in night-time-economy hours (safestats.violence_is_nte)
with a 95 % Wilson interval; nte_hours_share is the share of the week those hours make up (30/168),
the share expected if violence were spread evenly over the week.';

CREATE OR REPLACE FUNCTION safestats.violence_compare_periods(p_source text, p_from_1 date, p_to_1 date,
                                                              p_from_2 date, p_to_2 date,
                                                              p_category text DEFAULT NULL,
                                                              p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (records_1 bigint, records_2 bigint, days_1 integer, days_2 integer,
               rate_ratio double precision, ci_low double precision, ci_high double precision,
               p_value double precision)
LANGUAGE sql STABLE
AS $$
  -- Poisson rate ratio (period 2 over period 1, per day). The interval and test are conditional on
  -- the total: given n = n1 + n2, n2 is binomial with p = t2 RR / (t1 + t2 RR); the Wilson interval for
  -- p is mapped back to RR. p-value: two-sided normal test of log RR (se sqrt(1/n1 + 1/n2)).
  WITH n AS (
    SELECT (SELECT sum(m.records) FROM safestats.violence_by_month(p_source, p_from_1, p_to_1, p_category, p_boroughs) m
            WHERE p_source = 'street-crime') AS sc1,
           (SELECT sum(m.records) FROM safestats.violence_by_month(p_source, p_from_2, p_to_2, p_category, p_boroughs) m
            WHERE p_source = 'street-crime') AS sc2,
           (SELECT sum(h.records) FROM safestats.violence_hour_week(p_source, p_from_1, p_to_1, p_category, p_boroughs) h
            WHERE p_source IN ('ae-assault', 'las-assault')) AS hw1,
           (SELECT sum(h.records) FROM safestats.violence_hour_week(p_source, p_from_2, p_to_2, p_category, p_boroughs) h
            WHERE p_source IN ('ae-assault', 'las-assault')) AS hw2,
           (SELECT sum(m.records) FROM safestats.violence_by_month(p_source, p_from_1, p_to_1, p_category, p_boroughs) m
            WHERE p_source = 'lfb-incident') AS f1,
           (SELECT sum(m.records) FROM safestats.violence_by_month(p_source, p_from_2, p_to_2, p_category, p_boroughs) m
            WHERE p_source = 'lfb-incident') AS f2
  ), k AS (
    SELECT coalesce(sc1, hw1, f1, 0)::bigint AS n1, coalesce(sc2, hw2, f2, 0)::bigint AS n2,
           -- street crime counts whole months: its exposure is the days of those months
           CASE WHEN p_source = 'street-crime'
                THEN (date_trunc('month', p_to_1) + interval '1 month')::date - date_trunc('month', p_from_1)::date
                ELSE p_to_1 - p_from_1 + 1 END AS t1,
           CASE WHEN p_source = 'street-crime'
                THEN (date_trunc('month', p_to_2) + interval '1 month')::date - date_trunc('month', p_from_2)::date
                ELSE p_to_2 - p_from_2 + 1 END AS t2
    FROM n
  ), w AS (
    SELECT k.*, safestats.violence_wilson(k.n2, k.n1 + k.n2) AS ci FROM k
  )
  SELECT w.n1, w.n2, w.t1, w.t2,
         CASE WHEN w.n1 > 0 THEN (w.n2::double precision / w.t2) / (w.n1::double precision / w.t1) END,
         CASE WHEN (w.ci).low IS NOT NULL AND (w.ci).low < 1
              THEN ((w.ci).low / (1 - (w.ci).low)) * w.t1 / w.t2 END,
         CASE WHEN (w.ci).high IS NOT NULL AND (w.ci).high < 1
              THEN ((w.ci).high / (1 - (w.ci).high)) * w.t1 / w.t2 END,
         CASE WHEN w.n1 > 0 AND w.n2 > 0
              THEN safestats.violence_normal_two_sided_p(ln((w.n2::double precision / w.t2) / (w.n1::double precision / w.t1))
                                                         / sqrt(1.0 / w.n1 + 1.0 / w.n2)) END
  FROM w
$$;
COMMENT ON FUNCTION safestats.violence_compare_periods(text, date, date, date, date, text, text[]) IS
'Change between two periods: records in each, days of exposure, the rate ratio (period 2 per day over
period 1 per day) with a 95 % interval (conditional binomial, Wilson) and a two-sided p-value. A ratio
of 1.3 [1.1, 1.5] means 30 % more per day, with the interval excluding no change. Example:
SELECT * FROM safestats.violence_compare_periods(''ae-assault'', ''2024-01-01'', ''2024-01-31'',
''2024-02-01'', ''2024-02-29'')';
