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
    SELECT safestats.violence_venue_type(f.kind, sf.extra ->> 'business_type') AS venue_type, f.borough_code
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
), gi AS (
  SELECT keyed.code, f.hotspot
  FROM (SELECT array_agg(k) AS k, array_agg(n::double precision) AS n, array_agg(w) AS w, array_agg(l) AS l
        FROM keyed) a
  CROSS JOIN LATERAL safestats.violence_gi_star_finish(a.k, a.n, a.w, a.l, 0.05) f
  JOIN keyed ON keyed.k = f.key
), published AS (
  SELECT p.* FROM (SELECT array_agg(code) AS r, array_agg('all'::text) AS c, array_agg(n) AS n
                   FROM counts) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n, p_row_totals => false) p
)
SELECT w.code AS ward_code, nm.name AS ward_name, nm.parent_code AS borough_code,
       CASE WHEN p.row_key IS NULL THEN 0 ELSE p.shown END AS assaults,
       coalesce(p.suppressed, false) AS suppressed, gi.hotspot,
       w.geom::geometry(MultiPolygon, 27700) AS geom
FROM wards w
JOIN gi ON gi.code = w.code
LEFT JOIN published p ON p.row_key = w.code AND p.col_key IS NOT NULL
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
       CASE WHEN j.a IS NOT NULL AND (w.ci).low < 1 THEN (w.ci).low / (1 - (w.ci).low) END AS ci_low,
       CASE WHEN j.a IS NOT NULL AND (w.ci).high < 1 THEN (w.ci).high / (1 - (w.ci).high) END AS ci_high,
       j.geom::geometry(MultiPolygon, 27700) AS geom
FROM j CROSS JOIN LATERAL (SELECT safestats.violence_wilson(j.a, j.a + j.p) AS ci) w;
COMMENT ON VIEW open.violence_police_gap_borough IS
'A&E assault attendances against police.uk Violence and sexual offences in the same months, per borough
with A&E records: ratio = A&E / police with a 95 % interval. The A&E figure is the sum of the borough''s
published ward counts (open.ae_assault_ward), withheld (NULL, suppressed) when any of them is. A&E covers
only the trusts that share data: compare boroughs served by the same emergency departments.';
