-- Violence analysis (issue 18), part 6: the published forms partners may see. Each view in schema
-- `open` runs with its owner's rights, counts directly (no function that would run with the
-- reader's rights), and passes every A&E count through open.protect_table (410_disclosure.sql):
-- small counts withheld, with secondary suppression against the published totals. They are what
-- `safestats export` writes. Police and fire data are open already and are shown as they are.

CREATE OR REPLACE VIEW open.violence_ae_hour_week AS
WITH counts AS (
  SELECT c.weekday::text || '-' || trim(to_char(date '2024-01-01' + (c.weekday - 1), 'Dy')) AS day,
         lpad(c.hour::text, 2, '0') AS hour, count(*) AS n
  FROM health.ae_assault_coarse c
  WHERE c.weekday IS NOT NULL AND c.hour IS NOT NULL
  GROUP BY 1, 2
), published AS (
  SELECT p.* FROM (SELECT array_agg(day) AS r, array_agg(hour) AS c, array_agg(n) AS n FROM counts) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n) p
)
SELECT p.row_key AS day_of_week, p.col_key AS hour, p.shown AS assaults, p.suppressed,
       CASE WHEN p.row_key IS NULL AND p.col_key IS NULL THEN 'all hours of the week'
            WHEN p.row_key IS NULL THEN 'hour, all days' WHEN p.col_key IS NULL THEN 'day, all hours'
            ELSE 'day-hour' END AS total_kind
FROM published p;
COMMENT ON VIEW open.violence_ae_hour_week IS
'A&E assault attendances by day of week (1-Mon .. 7-Sun) and hour (London time, assault time else
arrival), all loaded periods, with day totals (hour NULL), hour totals (day_of_week NULL) and the grand
total, after disclosure control: assaults is NULL where withheld. Zeros are not listed.';

-- The month profile is London's monthly totals of open.ae_assault_ward_month, taken from that
-- published table itself: the same figures, withheld the same way, so nothing new can be linked.
CREATE OR REPLACE VIEW open.violence_ae_month AS
SELECT t.month, t.assaults, t.suppressed
FROM open.ae_assault_ward_month t
WHERE t.ward_code IS NULL AND t.month IS NOT NULL;
COMMENT ON VIEW open.violence_ae_month IS
'A&E assault attendances in London by month (assault time, else arrival; records with a 2022 ward):
the London rows of open.ae_assault_ward_month, after the same disclosure control.';

CREATE OR REPLACE VIEW open.violence_ae_venue_type AS
WITH link AS (
  -- the venue of each record geocoded to one (as safestats.violence_ae_venue_link, read as owner)
  SELECT a.record_id, coalesce(a.borough_code, v.borough_code) AS borough_code, v.venue_type
  FROM health.ae_assault a
  CROSS JOIN LATERAL (
    -- the reader runs this view's function calls with their own rights, and the public role executes
    -- only functions of schema open: safestats.violence_venue_type written out (tests hold them equal)
    SELECT CASE
             WHEN f.kind = 'pub' OR sf.extra ->> 'business_type' ILIKE 'Pub/bar/nightclub%' THEN 'pub, bar or nightclub'
             WHEN sf.extra ->> 'business_type' ILIKE 'Takeaway%' THEN 'takeaway'
             WHEN sf.extra ->> 'business_type' ILIKE 'Restaurant%' OR sf.extra ->> 'business_type' ILIKE '%caterer%'
               THEN 'restaurant or cafe'
             WHEN sf.extra ->> 'business_type' ILIKE 'Retailers%' THEN 'shop'
             WHEN sf.extra ->> 'business_type' ILIKE 'Hotel%' THEN 'hotel'
             WHEN sf.extra ->> 'business_type' ILIKE 'School%' THEN 'school or college'
             WHEN f.kind = 'station' THEN 'station'
             WHEN f.kind = 'bus_stop' THEN 'bus stop'
             WHEN f.kind IN ('hospital', 'ae_site') OR sf.extra ->> 'business_type' ILIKE 'Hospital%' THEN 'hospital'
             WHEN f.kind = 'park' THEN 'park'
             ELSE 'other venue' END AS venue_type, f.borough_code
    FROM gazetteer.feature f
    LEFT JOIN gazetteer.source_feature sf ON sf.source = f.source AND sf.source_key = f.source_key
    WHERE f.level = 'venue' AND f.active AND f.geom && ST_Expand(a.geom, 1) AND ST_DWithin(f.geom, a.geom, 1)
    ORDER BY (f.name = a.geocode_matched) DESC, f.feature_id LIMIT 1) v
  WHERE a.geocode_level = 'venue' AND a.geom IS NOT NULL
), counts AS (
  SELECT borough_code, venue_type, count(DISTINCT record_id) AS n FROM link
  WHERE borough_code IS NOT NULL GROUP BY 1, 2
), published AS (
  SELECT p.* FROM (SELECT array_agg(borough_code) AS r, array_agg(venue_type) AS c, array_agg(n) AS n FROM counts) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n) p
)
SELECT p.row_key AS borough_code, b.name AS borough_name, p.col_key AS venue_type, p.shown AS assaults,
       p.suppressed
FROM published p
LEFT JOIN ref.area b ON b.level = 'borough' AND b.vintage = 2022 AND b.code = p.row_key;
COMMENT ON VIEW open.violence_ae_venue_type IS
'A&E assault attendances geocoded to a venue, by borough and venue type (pub, bar or nightclub;
takeaway; station; ...), all loaded periods, with totals, after disclosure control (assaults NULL where
withheld). Named venues are not published: see safestats.violence_venues for approved users.';

CREATE OR REPLACE VIEW open.violence_ae_ward_hotspot AS
WITH counts AS (
  SELECT c.ward22_code AS code, count(*) AS n FROM health.ae_assault_coarse c
  WHERE c.ward22_code IS NOT NULL GROUP BY 1
), wards AS (
  SELECT r.code, r.geom FROM ref.area r WHERE r.level = 'ward' AND r.vintage = 2022
), nb AS (
  SELECT a.code, b.code AS ncode FROM wards a JOIN wards b ON a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
), v AS (
  SELECT w.code, coalesce(c.n, 0) AS n FROM wards w LEFT JOIN counts c USING (code)
), s AS (
  SELECT nb.code, count(*)::int AS w, sum(v.n)::double precision AS l FROM nb JOIN v ON v.code = nb.ncode GROUP BY 1
), keyed AS (
  SELECT row_number() OVER (ORDER BY v.code) AS k, v.code, v.n, s.w, s.l FROM v JOIN s USING (code)
), g AS (
  -- Gi* as safestats.violence_gi_star_finish, written out (the reader's rights run a view's function
  -- calls, and the public role executes only schema open's functions; a test holds the two equal)
  SELECT count(*)::double precision AS n, avg(n) AS m, sqrt(greatest(avg(n::double precision ^ 2) - avg(n) ^ 2, 0)) AS s
  FROM keyed
), z AS (
  SELECT keyed.code, keyed.k, g.n,
         CASE WHEN g.s > 1e-12 * greatest(abs(g.m), 1) AND g.n > 1 AND keyed.w < g.n
              THEN (keyed.l - g.m * keyed.w) / (g.s * sqrt((g.n * keyed.w - keyed.w::double precision ^ 2) / (g.n - 1)))
         END AS z
  FROM keyed CROSS JOIN g
), p AS (
  -- two-sided normal p: erfc(|z| / sqrt 2), Chebyshev fit (as safestats.violence_normal_two_sided_p)
  SELECT z.*, CASE WHEN z.z IS NULL THEN 1 WHEN abs(z.z) / sqrt(2.0) > 26 THEN 0 ELSE
           t * exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
             + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
             + t * (-0.82215223 + t * 0.17087277))))))))) END AS p
  FROM z CROSS JOIN LATERAL (SELECT abs(z.z) / sqrt(2.0) AS x,
                                    1.0 / (1.0 + 0.5 * abs(z.z) / sqrt(2.0)) AS t) c
), gi AS (
  SELECT q.code, CASE WHEN q.q <= 0.05 AND q.z > 0 THEN 'hot' WHEN q.q <= 0.05 AND q.z < 0 THEN 'cold'
                      ELSE 'not significant' END AS hotspot
  FROM (SELECT r.*, least(1, min(r.n * r.p / r.rk) OVER (ORDER BY r.p DESC, r.k DESC
                                                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS q
        FROM (SELECT p.*, row_number() OVER (ORDER BY p.p, p.k) AS rk FROM p) r) q
), published AS (
  -- the ward counts as open.ae_assault_ward publishes them: the same figures, withheld the same way
  SELECT pw.ward_code, pw.assaults, pw.suppressed FROM open.ae_assault_ward pw WHERE pw.ward_code IS NOT NULL
)
SELECT w.code AS ward_code, nm.name AS ward_name, nm.parent_code AS borough_code,
       CASE WHEN p.ward_code IS NULL THEN 0 ELSE p.assaults END AS assaults,
       coalesce(p.suppressed, false) AS suppressed, gi.hotspot,
       w.geom::geometry(MultiPolygon, 27700) AS geom
FROM wards w
JOIN gi ON gi.code = w.code
LEFT JOIN published p ON p.ward_code = w.code
LEFT JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = w.code;
COMMENT ON VIEW open.violence_ae_ward_hotspot IS
'A&E assault hot and cold spots by 2022 ward over all loaded periods: Getis-Ord Gi* with queen
contiguity (the ward itself included), Benjamini-Hochberg false discovery rate 5 % (hotspot = hot,
cold or not significant), and the ward''s count after disclosure control (NULL where withheld; 0 for a
ward without records). A map layer.';

-- A&E per borough would be a new total over the published ward counts (open.ae_assault_ward) and
-- could give away a withheld ward. So a borough's A&E figure is the sum of its wards' published
-- counts, shown only when none of them is withheld: nothing a reader could not already add up.
CREATE OR REPLACE VIEW open.violence_police_gap_borough AS
WITH months AS (
  SELECT DISTINCT c.month FROM health.ae_assault_coarse c WHERE c.ward22_code IS NOT NULL
), ae AS (
  SELECT w.borough_code AS code, sum(w.assaults) AS n, bool_or(w.suppressed) AS withheld
  FROM open.ae_assault_ward w WHERE w.ward_code IS NOT NULL AND w.borough_code IS NOT NULL
  GROUP BY 1
), pol AS (
  SELECT s.borough_code AS code, count(*) AS n FROM crime.street_crime s
  WHERE s.crime_type = 'Violence and sexual offences' AND s.month IN (SELECT month FROM months)
    AND s.borough_code IS NOT NULL
  GROUP BY 1
), j AS (
  SELECT b.code, b.name, b.geom, CASE WHEN NOT ae.withheld THEN ae.n END AS a, ae.withheld, coalesce(pol.n, 0) AS p
  FROM ref.area b JOIN ae ON ae.code = b.code LEFT JOIN pol ON pol.code = b.code
  WHERE b.level = 'borough' AND b.vintage = 2022
)
SELECT j.code AS borough_code, j.name AS borough_name, j.a::bigint AS ae_assaults, j.withheld AS suppressed,
       j.p AS police_violence,
       CASE WHEN j.a IS NOT NULL AND j.p > 0 THEN j.a::double precision / j.p END AS ratio,
       CASE WHEN j.a IS NOT NULL AND w.low < 1 THEN w.low / (1 - w.low) END AS ci_low,
       CASE WHEN j.a IS NOT NULL AND w.high < 1 THEN w.high / (1 - w.high) END AS ci_high,
       j.geom::geometry(MultiPolygon, 27700) AS geom
-- (the Wilson interval as safestats.violence_wilson, written out: see the venue-type view)
FROM j CROSS JOIN LATERAL (
  SELECT CASE WHEN nn > 0 THEN (pp + z2 / (2 * nn) - 1.959963984540054 * sqrt(pp * (1 - pp) / nn + z2 / (4 * nn * nn))) / (1 + z2 / nn) END AS low,
         CASE WHEN nn > 0 THEN (pp + z2 / (2 * nn) + 1.959963984540054 * sqrt(pp * (1 - pp) / nn + z2 / (4 * nn * nn))) / (1 + z2 / nn) END AS high
  FROM (SELECT (j.a + j.p)::double precision AS nn,
               CASE WHEN j.a + j.p > 0 THEN j.a::double precision / (j.a + j.p) END AS pp,
               1.959963984540054 ^ 2 AS z2) v) w;
COMMENT ON VIEW open.violence_police_gap_borough IS
'A&E assault attendances against police.uk Violence and sexual offences in the same months, per borough
with A&E records: ratio = A&E / police with a 95 % interval. The A&E figure is the sum of the borough''s
published ward counts (open.ae_assault_ward), withheld (NULL, suppressed) when any of them is. A&E covers
only the trusts that share data: compare boroughs served by the same emergency departments.';

COMMENT ON COLUMN open.violence_ae_hour_week.day_of_week IS 'Day of week, 1-Mon .. 7-Sun (London time); NULL on the hour totals.';
COMMENT ON COLUMN open.violence_ae_hour_week.hour IS 'Hour of day 00 .. 23 (London time); NULL on the day totals.';
COMMENT ON COLUMN open.violence_ae_hour_week.assaults IS 'A&E assault attendances after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_hour_week.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_hour_week.total_kind IS 'day-hour (a cell), day, all hours / hour, all days (totals) or all hours of the week (grand total).';
COMMENT ON COLUMN open.violence_ae_month.month IS 'Calendar month YYYY-MM (London time).';
COMMENT ON COLUMN open.violence_ae_month.assaults IS 'A&E assault attendances in London that month after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_month.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_venue_type.borough_code IS 'Borough (E09...) of the attendance; NULL on the venue-type totals.';
COMMENT ON COLUMN open.violence_ae_venue_type.borough_name IS 'Borough name.';
COMMENT ON COLUMN open.violence_ae_venue_type.venue_type IS 'Venue type (pub, bar or nightclub; takeaway; station; ...); NULL on the borough totals.';
COMMENT ON COLUMN open.violence_ae_venue_type.assaults IS 'A&E assault attendances geocoded to a venue of that type, after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_venue_type.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.ward_code IS '2022 ward (E05...).';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.ward_name IS 'Ward name.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.borough_code IS 'Borough of the ward.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.assaults IS 'A&E assault attendances in the ward as published in open.ae_assault_ward (NULL where withheld, 0 for none).';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.suppressed IS 'True where the count is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.hotspot IS 'Getis-Ord Gi* class at 5 % false discovery rate (queen contiguity): hot, cold or not significant.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot.geom IS 'Ward polygon (EPSG:27700; approximate where derived from LSOAs).';
COMMENT ON COLUMN open.violence_police_gap_borough.borough_code IS 'Borough (E09...).';
COMMENT ON COLUMN open.violence_police_gap_borough.borough_name IS 'Borough name.';
COMMENT ON COLUMN open.violence_police_gap_borough.ae_assaults IS 'A&E assault attendances: the sum of the borough''s published ward counts, NULL when any is withheld.';
COMMENT ON COLUMN open.violence_police_gap_borough.suppressed IS 'True where the A&E figure is withheld.';
COMMENT ON COLUMN open.violence_police_gap_borough.police_violence IS 'police.uk Violence and sexual offences in the borough in the months with A&E records.';
COMMENT ON COLUMN open.violence_police_gap_borough.ratio IS 'A&E attendances per police-recorded violent or sexual offence.';
COMMENT ON COLUMN open.violence_police_gap_borough.ci_low IS 'Lower end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.violence_police_gap_borough.ci_high IS 'Upper end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.violence_police_gap_borough.geom IS 'Borough polygon (EPSG:27700).';
