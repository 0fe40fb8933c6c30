-- Violence analysis (issue 18), part 5: what police data misses. A&E assault attendances against
-- police-recorded violence for the same areas and months, as counts and a ratio with a 95 %
-- interval. The ratio is A&E per police-recorded offence; its interval is the Wilson interval of
-- the A&E share a / (a + p), mapped to a / p (conditional on the total, as for two Poisson counts).
--
-- Police side: police.uk street crime of type 'Violence and sexual offences' (p_police 'police-uk'),
-- or the MPS ward file's major categories VIOLENCE AGAINST THE PERSON and SEXUAL OFFENCES
-- ('mps-ward'; the same scope as police.uk's category). The A&E side counts only the trusts that
-- share ISTV data and the caller may see: an area far from a sharing emergency department has few
-- A&E records whatever its violence, so compare areas within one hospital's catchment.

CREATE OR REPLACE FUNCTION safestats.violence_police_gap(p_from date, p_to date, p_level text DEFAULT 'borough',
                                                         p_police text DEFAULT 'police-uk',
                                                         p_by_month boolean DEFAULT false)
RETURNS TABLE (area_code text, area_name text, month date, ae_assaults bigint, police_violence bigint,
               ratio double precision, ci_low double precision, ci_high double precision)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  PERFORM safestats.violence_check_source('ae-assault', p_from, p_to);
  IF p_level IS NULL OR p_level NOT IN ('borough', 'ward') THEN
    RAISE EXCEPTION 'violence: police gap level %: give borough or ward (2022)', quote_literal(coalesce(p_level, 'NULL'))
      USING ERRCODE = '22023';
  END IF;
  IF p_police IS NULL OR p_police NOT IN ('police-uk', 'mps-ward') THEN
    RAISE EXCEPTION 'violence: police source %: give police-uk or mps-ward', quote_literal(coalesce(p_police, 'NULL'))
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH ae AS (
    SELECT CASE p_level WHEN 'ward' THEN a.ward22_code ELSE a.borough_code END AS code,
           CASE WHEN p_by_month THEN date_trunc('month', coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::date END AS m,
           count(*) AS n
    FROM health.ae_assault a
    WHERE (coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::date BETWEEN p_from AND p_to
      AND CASE p_level WHEN 'ward' THEN a.ward22_code ELSE a.borough_code END IS NOT NULL
    GROUP BY 1, 2
  ), pol AS (
    SELECT CASE p_level WHEN 'ward' THEN s.ward22_code ELSE s.borough_code END AS code,
           CASE WHEN p_by_month THEN s.month END AS m, count(*) AS n
    FROM crime.street_crime s
    WHERE p_police = 'police-uk' AND s.crime_type = 'Violence and sexual offences'
      AND s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
      AND CASE p_level WHEN 'ward' THEN s.ward22_code ELSE s.borough_code END IS NOT NULL
    GROUP BY 1, 2
    UNION ALL
    SELECT CASE p_level WHEN 'ward' THEN w.ward_code ELSE r.parent_code END,
           CASE WHEN p_by_month THEN w.month END, sum(w.count)::bigint
    FROM crime.mps_ward_month w
    JOIN ref.area r ON r.level = 'ward' AND r.vintage = 2022 AND r.code = w.ward_code
    WHERE p_police = 'mps-ward' AND upper(w.major_category) IN ('VIOLENCE AGAINST THE PERSON', 'SEXUAL OFFENCES')
      AND w.borough_name <> 'Aviation Security (SO18)'
      AND w.month >= date_trunc('month', p_from)::date AND w.month <= p_to
    GROUP BY 1, 2
  ), j AS (
    SELECT coalesce(ae.code, pol.code) AS code, coalesce(ae.m, pol.m) AS m,
           coalesce(ae.n, 0) AS a, coalesce(pol.n, 0) AS p
    FROM ae FULL JOIN pol ON pol.code = ae.code AND pol.m IS NOT DISTINCT FROM ae.m
  )
  SELECT j.code, r.name, j.m, j.a, j.p,
         CASE WHEN j.p > 0 THEN j.a::double precision / j.p END,
         CASE WHEN (w.ci).low < 1 THEN (w.ci).low / (1 - (w.ci).low) END,
         CASE WHEN (w.ci).high < 1 THEN (w.ci).high / (1 - (w.ci).high) END
  FROM j
  CROSS JOIN LATERAL (SELECT safestats.violence_wilson(j.a, j.a + j.p) AS ci) w
  LEFT JOIN ref.area r ON r.level = p_level AND r.vintage = 2022 AND r.code = j.code
  ORDER BY CASE WHEN j.p > 0 THEN j.a::double precision / j.p END DESC NULLS LAST, j.code, j.m;
END $$;
COMMENT ON FUNCTION safestats.violence_police_gap(date, date, text, text, boolean) IS
'A&E assault attendances against police-recorded violence per borough or 2022 ward (optionally per
month) in p_from .. p_to: both counts, ratio = A&E / police with a 95 % interval (Wilson on the A&E
share), highest ratio first. p_police: police-uk (street crime, Violence and sexual offences) or
mps-ward (MPS ward file, violence against the person + sexual offences). The A&E side has only the
sharing trusts'' records the caller may see (row-level security).';
