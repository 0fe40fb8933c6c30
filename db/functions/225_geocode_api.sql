-- The geocoder's API: safestats.geocode_candidates and safestats.geocode over the matching in
-- safestats_internal.geocode_match (220_geocode.sql). They add the point's coordinates as numbers
-- (x, y in EPSG:27700 metres; lon, lat in WGS84 degrees) and the candidates' rank, so a caller
-- needs no PostGIS call to read where the answer is.

CREATE OR REPLACE FUNCTION safestats.geocode_candidates(location_text text, site_code text DEFAULT NULL,
                                                        n integer DEFAULT 5)
RETURNS TABLE (geom geometry(Point, 27700), confidence real, radius_m real, level text,
               matched text, ambiguous boolean, explain jsonb,
               x double precision, y double precision, lon double precision, lat double precision,
               rank integer)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT m.geom, m.confidence, m.radius_m, m.level, m.matched, m.ambiguous, m.explain,
         ST_X(m.geom), ST_Y(m.geom),
         ST_X(ST_Transform(m.geom, 4326)), ST_Y(ST_Transform(m.geom, 4326)),
         m.i::integer
  FROM safestats_internal.geocode_match(location_text, site_code, n)
       WITH ORDINALITY AS m(geom, confidence, radius_m, level, matched, ambiguous, explain, i)
  ORDER BY m.i
$$;
COMMENT ON FUNCTION safestats.geocode_candidates(text, text, integer) IS
'The top n (default 5, at most 50) candidate locations for a free-text A&E location, best first: the '
'columns of safestats.geocode plus rank (1 = the answer geocode() gives). site_code is the reporting '
'A&E site (a prior: nearer wins among equals).';

CREATE OR REPLACE FUNCTION safestats.geocode(location_text text, site_code text DEFAULT NULL)
RETURNS TABLE (geom geometry(Point, 27700), confidence real, radius_m real, level text,
               matched text, ambiguous boolean, explain jsonb,
               x double precision, y double precision, lon double precision, lat double precision)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT c.geom, c.confidence, c.radius_m, c.level, c.matched, c.ambiguous, c.explain, c.x, c.y, c.lon, c.lat
  FROM safestats.geocode_candidates(location_text, site_code, 1) c
$$;
COMMENT ON FUNCTION safestats.geocode(text, text) IS
'Geocodes one free-text incident location (as typed at A&E reception) to exactly one row: point '
'(EPSG:27700; NULL for home/none without a postcode), confidence (calibrated probability that the '
'true place is within radius_m of the point), radius_m, level (postcode, venue, junction, street, '
'sector, area, district, borough, home, none), matched gazetteer name, ambiguous (far-apart namesakes), '
'explain (what was parsed, the candidates and why the winner won), and the point as x, y (EPSG:27700 '
'metres) and lon, lat (WGS84). site_code: the reporting A&E site code, a prior towards nearer places. '
'Consults gazetteer.alias first.';
