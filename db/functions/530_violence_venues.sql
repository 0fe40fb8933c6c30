-- Violence analysis (issue 18), part 4: assaults at named venues, the table a licensing review
-- starts from. An A&E record is "at" a venue when the geocoder answered its free-text location with
-- a venue feature of the gazetteer (geocode_level = 'venue'): the record's point is that feature's
-- point and geocode_matched its name. No column is added to health.ae_assault: the link is derived
-- from the stored geocode result each time, so a regeocoded record follows its new answer.

CREATE OR REPLACE FUNCTION safestats.violence_venue_type(p_kind text, p_business_type text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN p_kind = 'pub' OR p_business_type ILIKE 'Pub/bar/nightclub%' THEN 'pub, bar or nightclub'
    WHEN p_business_type ILIKE 'Takeaway%' THEN 'takeaway'
    WHEN p_business_type ILIKE 'Restaurant%' OR p_business_type ILIKE '%caterer%' THEN 'restaurant or cafe'
    WHEN p_business_type ILIKE 'Retailers%' THEN 'shop'
    WHEN p_business_type ILIKE 'Hotel%' THEN 'hotel'
    WHEN p_business_type ILIKE 'School%' THEN 'school or college'
    WHEN p_kind = 'station' THEN 'station'
    WHEN p_kind = 'bus_stop' THEN 'bus stop'
    WHEN p_kind IN ('hospital', 'ae_site') OR p_business_type ILIKE 'Hospital%' THEN 'hospital'
    WHEN p_kind = 'park' THEN 'park'
    ELSE 'other venue' END
$$;
COMMENT ON FUNCTION safestats.violence_venue_type(text, text) IS
'The venue type of a gazetteer feature from its kind and (food-hygiene rated premises) business type:
pub, bar or nightclub; takeaway; restaurant or cafe; shop; hotel; school or college; station; bus stop;
hospital; park; other venue.';

CREATE OR REPLACE VIEW safestats.violence_venue AS
SELECT f.feature_id, f.name AS venue_name, f.kind,
       safestats.violence_venue_type(f.kind, sf.extra ->> 'business_type') AS venue_type,
       f.borough_code, f.geom::geometry(Point, 27700) AS geom
FROM gazetteer.feature f
LEFT JOIN gazetteer.source_feature sf ON sf.source = f.source AND sf.source_key = f.source_key
WHERE f.level = 'venue' AND f.active;
COMMENT ON VIEW safestats.violence_venue IS
'Gazetteer venues (pubs, bars, nightclubs, takeaways, shops, stations, bus stops, hospitals, parks ...)
with their venue type (safestats.violence_venue_type), as the venue rankings use them.';

-- Record-level: security_invoker, so the caller's row-level security on health.ae_assault applies.
CREATE OR REPLACE VIEW safestats.violence_ae_venue_link WITH (security_invoker = true) AS
SELECT a.record_id, v.feature_id, v.venue_name, v.venue_type, a.site_code, a.organisation_code,
       coalesce(a.assault_at, a.arrival_at) AS assault_at, a.lsoa21_code, a.ward22_code,
       coalesce(a.borough_code, v.borough_code) AS borough_code
FROM health.ae_assault a
CROSS JOIN LATERAL (
  SELECT v.* FROM safestats.violence_venue v
  WHERE v.geom && ST_Expand(a.geom, 1) AND ST_DWithin(v.geom, a.geom, 1)
  ORDER BY (v.venue_name = a.geocode_matched) DESC, v.feature_id LIMIT 1) v
WHERE a.geocode_level = 'venue' AND a.geom IS NOT NULL;
COMMENT ON VIEW safestats.violence_ae_venue_link IS
'A&E assault records geocoded to a venue, with the venue (feature_id, name, type). Record-level: runs
with the caller''s rights, so row-level security shows only approved organisations'' records.';

CREATE OR REPLACE FUNCTION safestats.violence_venues(p_from date, p_to date, p_venue_type text DEFAULT NULL,
                                                     p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (rank bigint, feature_id bigint, venue_name text, venue_type text, borough_code text,
               records bigint, per_30_days double precision, first_at timestamptz, last_at timestamptz)
LANGUAGE sql STABLE
AS $$
  SELECT rank() OVER (ORDER BY count(DISTINCT l.record_id) DESC), l.feature_id, min(l.venue_name),
         min(l.venue_type), min(l.borough_code), count(DISTINCT l.record_id),
         count(DISTINCT l.record_id) * 30.0 / (p_to - p_from + 1), min(l.assault_at), max(l.assault_at)
  FROM safestats.violence_ae_venue_link l
  WHERE (l.assault_at AT TIME ZONE 'Europe/London')::date BETWEEN p_from AND p_to
    AND (p_venue_type IS NULL OR l.venue_type = p_venue_type)
    AND (p_boroughs IS NULL OR l.borough_code = ANY (p_boroughs))
  GROUP BY l.feature_id
  ORDER BY 6 DESC, 3, 2
$$;
COMMENT ON FUNCTION safestats.violence_venues(date, date, text, text[]) IS
'Venues ranked by the number of distinct A&E assault records geocoded to them in p_from .. p_to
(records, and per_30_days: the rate per 30 days of the period), optionally one venue type and some
boroughs. Record-level (row-level security applies). Example:
SELECT * FROM safestats.violence_venues(''2024-01-01'', ''2024-03-31'', ''pub, bar or nightclub'')';

CREATE OR REPLACE FUNCTION safestats.violence_venue_types(p_from date, p_to date, p_level text DEFAULT 'borough')
RETURNS TABLE (venue_type text, area_code text, venues bigint, records bigint, per_30_days double precision)
LANGUAGE sql STABLE
AS $$
  SELECT l.venue_type, CASE p_level WHEN 'ward' THEN l.ward22_code WHEN 'lsoa' THEN l.lsoa21_code
                                    WHEN 'london' THEN 'London' ELSE l.borough_code END,
         count(DISTINCT l.feature_id), count(DISTINCT l.record_id),
         count(DISTINCT l.record_id) * 30.0 / (p_to - p_from + 1)
  FROM safestats.violence_ae_venue_link l
  WHERE (l.assault_at AT TIME ZONE 'Europe/London')::date BETWEEN p_from AND p_to
  GROUP BY 1, 2
  ORDER BY 4 DESC, 1, 2
$$;
COMMENT ON FUNCTION safestats.violence_venue_types(date, date, text) IS
'A&E assault records at venues by venue type and area (p_level borough, ward, lsoa or london): distinct
venues, distinct records and the rate per 30 days. Record-level (row-level security applies).';
