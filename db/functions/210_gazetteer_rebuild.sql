-- Rebuilding the unified name table gazetteer.feature from the loaded source files.
-- There are no street lines in the open data we have, so a street is built from every point that
-- names it (OSM way centres, bus stops named after it or after a junction on it, food-premises
-- addresses), grouped per name into spatial clusters: each cluster is one street feature whose
-- extent is its points and whose radius covers them. Junctions are found at query time where two
-- streets' extents meet (the bus stops "A / B" lie on both).

-- Not STRICT (NULL gives NULL anyway), so it is inlined into its callers: the geocoder calls it on
-- every text, and a STRICT SQL function whose body is not strict itself is called (and its body
-- planned) each time.
CREATE OR REPLACE FUNCTION safestats_internal.gazetteer_is_street(norm text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Its last word (after the last space or "&", the only separators a normalised name holds) is a
  -- street type, and no word is "stn" or "hosp". (Array tests, not regular expressions: the geocoder
  -- calls this on every text, and each pattern a call runs takes one of PostgreSQL's 32 per-session
  -- compiled-regex slots.)
  SELECT length(norm) BETWEEN 4 AND 60
     AND reverse(split_part(translate(reverse(norm), '&', ' '), ' ', 1)) = ANY ('{st,rd,ave,ln,pl,sq,gdns,cres,
       ter,cl,dr,ct,gr,pde,way,hill,row,walk,mews,grn,rise,vale,bdwy,hwy,wharf,yard,parkway,approach,embankment,
       causeway,market,gate,bridge,circus,common}'::text[])
     AND NOT string_to_array(translate(norm, '&', ' '), ' ') && '{stn,hosp}'::text[]
$$;
COMMENT ON FUNCTION safestats_internal.gazetteer_is_street(text) IS
'True when a normalised name ends like a street name (… st, rd, ave, ln, way, hill, row …).';

CREATE OR REPLACE FUNCTION safestats_internal.gazetteer_type_words()
RETURNS integer
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
-- Words naming a kind of place, by the gazetteer's own evidence: a word that ends at least 20 distinct
-- venue names of two words or more ("... School", "... Cafe", "... Canteen", "... Arms"), and ends at
-- least 60% of the venue names holding it. Brand and place words rarely do ("Tesco Express", "Costa
-- Coffee", "Brixton Village": they begin names), so a venue named only by such words ("The Canteen",
-- "Wine Bar") names no particular place (safestats_internal.geocode_weak_evidence).
DECLARE
  n integer;
BEGIN
  TRUNCATE gazetteer.type_word;
  INSERT INTO gazetteer.type_word (word, names, head_names)
  SELECT u.w, count(DISTINCT v.norm), count(DISTINCT v.norm) FILTER (WHERE u.i = u.n AND u.n > 1)
  FROM (SELECT DISTINCT norm FROM gazetteer.feature WHERE level = 'venue' AND active) v,
       LATERAL (SELECT w, i, cardinality(string_to_array(v.norm, ' ')) AS n
                FROM unnest(string_to_array(v.norm, ' ')) WITH ORDINALITY AS x(w, i)) u
  WHERE u.w ~ '[a-z]'
  GROUP BY u.w
  HAVING count(DISTINCT v.norm) FILTER (WHERE u.i = u.n AND u.n > 1) >= 20
     AND count(DISTINCT v.norm) FILTER (WHERE u.i = u.n AND u.n > 1) >= 0.6 * count(DISTINCT v.norm);
  GET DIAGNOSTICS n = ROW_COUNT;
  ANALYZE gazetteer.type_word;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.gazetteer_type_words() IS
'Rebuilds gazetteer.type_word (words naming a kind of place: they end at least 20 distinct venue names '
'and 60% of the venue names holding them) from gazetteer.feature; returns how many. Called by '
'safestats_internal.gazetteer_rebuild.';

CREATE OR REPLACE FUNCTION safestats_internal.gazetteer_chain_words()
RETURNS integer
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
-- Words naming a chain, by the gazetteer's own evidence: a word that begins fifteen venue names or more
-- and 70% of the gazetteer's names holding it ("hotel", "upper", "railway" are in many names of other
-- kinds), one name of those (the chain's own: "tesco", "dominos pizza", "pret a manger") being at least
-- 40% of them -- "royal", "kings", "new" or a place's name begin many names, none of them most.
DECLARE
  n integer;
BEGIN
  TRUNCATE gazetteer.chain_word;
  INSERT INTO gazetteer.chain_word (word, venues, top_name, top_names)
  SELECT b.w, b.venues, b.top_name, b.top_names
  FROM (SELECT w, sum(k)::int AS venues, (array_agg(norm ORDER BY k DESC, norm))[1] AS top_name, max(k)::int AS top_names
        FROM (SELECT split_part(norm, ' ', 1) AS w, norm, count(*) AS k
              FROM gazetteer.feature WHERE level = 'venue' AND active GROUP BY 1, 2) g
        GROUP BY w) b
  JOIN gazetteer.word x ON x.word = b.w
  WHERE b.venues >= 15 AND b.top_names >= 0.4 * b.venues AND b.venues >= 0.7 * x.freq
    AND length(b.w) >= 3 AND translate(b.w, '0123456789', '') = b.w
    AND NOT safestats_internal.geocode_is_generic_word(b.w);
  GET DIAGNOSTICS n = ROW_COUNT;
  ANALYZE gazetteer.chain_word;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.gazetteer_chain_words() IS
'Rebuilds gazetteer.chain_word (words naming a chain: they begin fifteen venue names or more and 70% of the '
'names holding them, one name being 40% of those) from gazetteer.feature and gazetteer.word; returns how '
'many. Called by safestats_internal.gazetteer_rebuild.';

-- A database whose gazetteer was built before gazetteer.type_word (revision 0018) or gazetteer.chain_word
-- (revision 0022) existed: fill them once.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM gazetteer.type_word) AND EXISTS (SELECT 1 FROM gazetteer.feature) THEN
    PERFORM safestats_internal.gazetteer_type_words();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM gazetteer.chain_word) AND EXISTS (SELECT 1 FROM gazetteer.word) THEN
    PERFORM safestats_internal.gazetteer_chain_words();
  END IF;
END $$;

CREATE OR REPLACE FUNCTION safestats_internal.gazetteer_rebuild()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
  result jsonb;
BEGIN
  TRUNCATE gazetteer.feature;
  -- Every source name normalised once, with its postcode district (from its own postcode, else the
  -- nearest one) and borough, so the inserts below need no second pass over the indexed table.
  DROP TABLE IF EXISTS pg_temp.gaz_src;
  CREATE TEMP TABLE gaz_src ON COMMIT DROP AS
  SELECT s.*, safestats_internal.geocode_normalise(s.name) AS norm,
         nullif(safestats_internal.geocode_normalise(s.street), '') AS street_norm,
         coalesce(substring(upper(replace(s.postcode, ' ', '')) FROM '^([A-Z]{1,2}[0-9][0-9A-Z]?)[0-9][A-Z]{2}$'),
                  n.district) AS district,
         n.borough_code
  FROM gazetteer.source_feature s
  LEFT JOIN LATERAL (SELECT q.district, q.borough_code FROM gazetteer.postcode q
                     ORDER BY q.geom <-> s.geom LIMIT 1) n ON s.kind <> 'street_point';

  -- Named places: venues, pubs, stations, hospitals, A&E sites, parks. Stations come from several
  -- lists: a station already present within 400 m under the same name is not added again.
  INSERT INTO gazetteer.feature (kind, level, name, norm, street_norm, geom, extent, radius_m, district,
                                 borough_code, source, source_key, licence)
  SELECT s.kind, 'venue', s.name, s.norm, s.street_norm, s.geom, s.area_geom,
         coalesce(s.radius_m, CASE s.kind WHEN 'station' THEN 150 WHEN 'hospital' THEN 150
                                          WHEN 'ae_site' THEN 150 ELSE 60 END)::real,
         s.district, s.borough_code, s.source, s.source_key, s.licence
  FROM gaz_src s
  WHERE (s.kind IN ('venue', 'pub', 'hospital', 'ae_site', 'park')
         OR (s.kind = 'station' AND s.source = 'tfl_stations_2018'))
    AND s.norm <> '';
  INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, district, borough_code, source,
                                 source_key, licence)
  SELECT DISTINCT ON (s.norm, ST_SnapToGrid(s.geom, 800))
         'station', 'venue', s.name, s.norm, s.geom, 150, s.district, s.borough_code, s.source, s.source_key, s.licence
  FROM gaz_src s
  WHERE s.kind = 'station' AND s.source <> 'tfl_stations_2018' AND s.norm <> ''
    AND NOT EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.kind = 'station'
                    AND f.norm = s.norm AND ST_DWithin(f.geom, s.geom, 400))
  ORDER BY s.norm, ST_SnapToGrid(s.geom, 800), s.source DESC;

  -- Bus stops that are neither a street nor a junction are landmarks ("THE OLD VIC").
  INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, district, borough_code, source,
                                 source_key, licence)
  SELECT DISTINCT ON (s.norm, ST_SnapToGrid(s.geom, 300)) 'landmark', 'venue', initcap(s.name), s.norm, s.geom, 100,
         s.district, s.borough_code, s.source, s.source_key, s.licence
  FROM gaz_src s
  WHERE s.kind = 'bus_stop' AND s.name !~ '/' AND s.norm <> '' AND NOT safestats_internal.gazetteer_is_street(s.norm)
  ORDER BY s.norm, ST_SnapToGrid(s.geom, 300), s.source_key;

  -- Street points from every source that names a street.
  DROP TABLE IF EXISTS pg_temp.street_point;
  CREATE TEMP TABLE street_point ON COMMIT DROP AS
  SELECT norm, name, geom, licence, district, borough_code
  FROM (
    SELECT s.street_norm AS norm, s.street AS name, s.geom, s.licence, s.district, s.borough_code FROM gaz_src s
    WHERE s.kind IN ('street_point', 'venue') AND s.street_norm IS NOT NULL
    UNION ALL
    SELECT safestats_internal.geocode_normalise(btrim(part)), btrim(part), s.geom, s.licence, s.district, s.borough_code
    FROM gaz_src s, unnest(string_to_array(s.name, '/')) AS part
    WHERE s.kind = 'bus_stop'
  ) p
  WHERE safestats_internal.gazetteer_is_street(norm);

  INSERT INTO gazetteer.feature (kind, level, name, norm, geom, extent, radius_m, district, borough_code,
                                 source, licence)
  SELECT 'street', 'street', name, norm, centre, pts,
         greatest(80, (SELECT max(ST_Distance(centre, (d).geom)) FROM ST_Dump(pts) d) + 30)::real,
         district, borough_code, 'streets', lic
  FROM (
    SELECT norm, initcap(mode() WITHIN GROUP (ORDER BY name)) AS name, ST_Collect(geom) AS pts,
           ST_ClosestPoint(ST_Collect(geom), ST_Centroid(ST_Collect(geom))) AS centre,
           mode() WITHIN GROUP (ORDER BY district) AS district,
           mode() WITHIN GROUP (ORDER BY borough_code) AS borough_code,
           string_agg(DISTINCT licence, '; ') AS lic
    FROM (SELECT *, ST_ClusterDBSCAN(geom, 500, 1) OVER (PARTITION BY norm) AS cid FROM street_point) c
    GROUP BY norm, cid
  ) st;

  -- Postcode sectors and districts: centre of their postcodes, radius = where 60% of them lie.
  -- A coarse answer's radius is a lower quantile of where the place may be, on purpose: its
  -- calibrated confidence then comes out near 0.6-0.7 (well clear of 0.8 even when fitted on few
  -- answers), so "confidence >= 0.8" keeps meaning a precise answer (a district answer 1.3 km off
  -- is not one), and the analyst still sees the spread.
  INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, district, borough_code, source, licence)
  SELECT lvl, lvl, code, lower(code), centre,
         greatest(100, (SELECT percentile_cont(0.6) WITHIN GROUP (ORDER BY ST_Distance(centre, (d).geom))
                        FROM ST_Dump(pts) d))::real,
         district, borough, 'codepoint', 'OS Code-Point Open, OGL v3'
  FROM (
    SELECT 'sector' AS lvl, sector AS code, min(district) AS district, mode() WITHIN GROUP (ORDER BY borough_code) AS borough,
           ST_Collect(geom) AS pts, ST_Centroid(ST_Collect(geom)) AS centre
    FROM gazetteer.postcode GROUP BY sector
    UNION ALL
    SELECT 'district', district, district, mode() WITHIN GROUP (ORDER BY borough_code),
           ST_Collect(geom), ST_Centroid(ST_Collect(geom))
    FROM gazetteer.postcode GROUP BY district
  ) pc;

  -- Areas (ward names, newest vintage first) and boroughs from the reference geography. The point
  -- is the mean of an even sample of the polygon (nearest on average to wherever in it the place
  -- is) when that lies inside, else a point on the surface; the radius is where 60% of the sample
  -- lies (see the postcode districts above for why a lower quantile).
  INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, borough_code, source, source_key, licence)
  SELECT a.kind, a.kind, a.name, safestats_internal.geocode_normalise(a.name), c.centre,
         greatest(100, (SELECT percentile_cont(0.6) WITHIN GROUP (ORDER BY ST_Distance(c.centre, (d).geom))
                        FROM ST_Dump(s.pts) d))::real,
         a.borough_code, a.source, a.code, a.licence
  FROM (
    (SELECT DISTINCT ON (safestats_internal.geocode_normalise(name), parent_code) 'area' AS kind, name, geom,
            parent_code AS borough_code, 'ward names' AS source, code, 'ONS / GLA boundaries, OGL v3' AS licence
     FROM ref.area WHERE level = 'ward'
     ORDER BY safestats_internal.geocode_normalise(name), parent_code, vintage DESC)
    UNION ALL
    (SELECT DISTINCT ON (code) 'borough', name, geom, code, 'boroughs', code, 'ONS boundaries, OGL v3'
     FROM ref.area WHERE level = 'borough' ORDER BY code, vintage DESC)
  ) a
  -- OFFSET 0 keeps each sample a row of its own: inlined, the planner re-ran ST_GeneratePoints for
  -- every sampled point the radius reads (400 times per area; 146 s of a 157 s rebuild).
  CROSS JOIN LATERAL (SELECT ST_GeneratePoints(a.geom, 400, 1) AS pts OFFSET 0) s
  CROSS JOIN LATERAL (SELECT CASE WHEN ST_Contains(a.geom, ST_Centroid(s.pts)) THEN ST_Centroid(s.pts)
                                  ELSE ST_PointOnSurface(a.geom) END AS centre OFFSET 0) c;

  -- The A&E sites are the prior of the geocoder: fill health.ae_site when nothing else has.
  IF NOT EXISTS (SELECT 1 FROM health.ae_site) THEN
    INSERT INTO health.ae_site (site_code, site_name, organisation_code, organisation_name, icb_code,
                                site_type, geom, load_id)
    SELECT source_key, name, coalesce(extra->>'organisation_code', source_key), extra->>'organisation',
           extra->>'icb_code',
           CASE WHEN name ~* '\m(utc|ucc|urgent)\M' THEN 'utc' WHEN name ~* 'walk' THEN 'walk-in'
                WHEN name ~* 'eye|moorfields' THEN 'eye' ELSE 'other' END,
           geom, load_id
    FROM gazetteer.source_feature WHERE kind = 'ae_site';
    ANALYZE health.ae_site;
  END IF;

  -- Each postcode sector and district as seen from each A&E site: the part of its postcodes to which that
  -- site is the nearest (its catchment there), with that part's centre and spread. A sector or district
  -- recorded by a site is answered with that part (most assaults are treated at the nearest A&E).
  TRUNCATE gazetteer.code_catchment;
  -- (the catchments as the Voronoi cells of the sites: one spatial join instead of a nearest-site search
  -- per postcode, 0.5 s against 4.4 s; sites sharing a point share its cell, and a postcode on the
  -- boundary of two cells counts for both)
  INSERT INTO gazetteer.code_catchment (level, code, site_code, geom, radius_m, postcodes, share)
  WITH site AS (SELECT site_code, geom FROM health.ae_site WHERE geom IS NOT NULL),
  cell AS (SELECT s.site_code, v.geom
           FROM (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(geom), 0,
                                                     ST_Expand(ST_Extent(geom)::geometry, 100000)))).geom
                 FROM site HAVING count(*) > 0) v
           JOIN site s ON ST_Intersects(v.geom, s.geom)),
  pc AS MATERIALIZED (SELECT p.sector, p.district, p.geom, c.site_code
                      FROM gazetteer.postcode p JOIN cell c ON ST_Intersects(c.geom, p.geom)),
  total AS (SELECT 'sector' AS level, sector AS code, count(*) AS n FROM gazetteer.postcode GROUP BY sector
            UNION ALL SELECT 'district', district, count(*) FROM gazetteer.postcode GROUP BY district)
  SELECT c.level, c.code, c.site_code, c.centre,
         greatest(100, (SELECT percentile_cont(0.6) WITHIN GROUP (ORDER BY ST_Distance(c.centre, (d).geom))
                        FROM ST_Dump(c.pts) d))::real,
         c.n, least(1, c.n::real / t.n)::real
  FROM (SELECT l.level, CASE l.level WHEN 'sector' THEN pc.sector ELSE pc.district END AS code, pc.site_code,
               ST_Collect(pc.geom) AS pts, ST_Centroid(ST_Collect(pc.geom)) AS centre, count(*) AS n
        FROM pc CROSS JOIN (VALUES ('sector'), ('district')) l(level)
        GROUP BY 1, 2, 3) c
  JOIN total t ON (t.level, t.code) = (c.level, c.code);
  ANALYZE gazetteer.code_catchment;

  -- Words of every name (generic street-type and filler words left out) for candidate search.
  TRUNCATE gazetteer.feature_word, gazetteer.word;
  INSERT INTO gazetteer.feature_word (word, feature_id, in_name, name_len)
  SELECT w, feature_id, bool_or(in_name), min(len)
  FROM (SELECT w, f.feature_id, true AS in_name, least(length(f.norm), 999) AS len
        FROM gazetteer.feature f, unnest(string_to_array(f.norm, ' ')) AS w
        WHERE f.level NOT IN ('sector', 'district')
        UNION ALL
        SELECT w, f.feature_id, false, least(length(f.norm), 999)
        FROM gazetteer.feature f, unnest(string_to_array(f.street_norm, ' ')) AS w
        WHERE f.street_norm IS NOT NULL) x
  WHERE NOT safestats_internal.geocode_is_generic_word(w)
  GROUP BY w, feature_id;
  INSERT INTO gazetteer.word (word, freq)
  SELECT word, count(*) FILTER (WHERE in_name) FROM gazetteer.feature_word GROUP BY word;
  PERFORM safestats_internal.gazetteer_type_words();
  PERFORM safestats_internal.gazetteer_chain_words();
  ANALYZE gazetteer.feature;
  ANALYZE gazetteer.feature_word;
  ANALYZE gazetteer.word;
  SELECT jsonb_object_agg(kind, n) INTO result FROM (SELECT kind, count(*) AS n FROM gazetteer.feature GROUP BY kind) k;
  RETURN coalesce(result, '{}'::jsonb);
END $$;
COMMENT ON FUNCTION safestats_internal.gazetteer_rebuild() IS
'Rebuilds the unified gazetteer name table gazetteer.feature from the loaded gazetteer files (venues, '
'stations, hospitals, parks, landmarks, streets clustered from their points, postcode sectors and '
'districts, ward-name areas, boroughs); fills health.ae_site from the UEC sites when it is empty, then '
'gazetteer.code_catchment (each sector and district as seen from each A&E site). '
'Returns the number of features per kind. Statistics: it reads gazetteer.source_feature and '
'gazetteer.postcode, which the gazetteer loader analyses before it commits (safestats_internal.analyze_written), '
'and ANALYZEs the tables it writes before it returns, so the geocoder''s first query plans on them.';

CREATE OR REPLACE FUNCTION safestats.gazetteer_version()
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
-- PL/pgSQL, not SQL: called once per geocoded text, and a SQL function's body is parsed and
-- planned again on every call from PL/pgSQL, which cost more than the lookup itself.
BEGIN
  RETURN 'g' || coalesce((SELECT max(load_id) FROM safestats.load WHERE source = 'gazetteer' AND status = 'loaded'), 0)
         || '-c' || coalesce((SELECT to_char(max(fitted_at), 'YYYYMMDDHH24MISS') FROM gazetteer.calibration), '0');
END $$;
COMMENT ON FUNCTION safestats.gazetteer_version() IS
'Version of the gazetteer and calibration in use (last gazetteer load id + calibration fit time); '
'stored with every batch geocoding result.';
