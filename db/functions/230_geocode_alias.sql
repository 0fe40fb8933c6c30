-- Review decisions: the QGIS review tool (or an analyst in SQL) says "this text, from this A&E
-- site, means this gazetteer feature" and the next identical text is exact.

CREATE OR REPLACE FUNCTION safestats.geocode_alias_set(location_text text, site_code text, feature_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_norm text := safestats_internal.geocode_normalise(left(coalesce(location_text, ''), 1000));
  f record;
  v_id bigint;
BEGIN
  IF v_norm = '' THEN
    RAISE EXCEPTION 'geocode_alias_set: the location text has no letters or digits';
  END IF;
  SELECT g.* INTO f FROM gazetteer.feature g WHERE g.feature_id = geocode_alias_set.feature_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'geocode_alias_set: no gazetteer feature %', geocode_alias_set.feature_id
      USING HINT = 'Pick the feature from safestats.geocode_candidates(text, site, n) (explain->feature_id) '
                   'or from gazetteer.feature.';
  END IF;
  -- The feature is copied (point, radius, level, name): a later gazetteer rebuild renumbers features.
  INSERT INTO gazetteer.alias AS a (text_norm, site_code, location_text, geom, radius_m, level, matched, feature_id,
                                    created_by)
  VALUES (v_norm, coalesce(btrim(geocode_alias_set.site_code), ''), location_text, f.geom, f.radius_m, f.level,
          f.name, f.feature_id, session_user)
  ON CONFLICT ON CONSTRAINT alias_text_norm_site_code_key DO UPDATE SET location_text = EXCLUDED.location_text, geom = EXCLUDED.geom,
    radius_m = EXCLUDED.radius_m, level = EXCLUDED.level, matched = EXCLUDED.matched,
    feature_id = EXCLUDED.feature_id, created_by = EXCLUDED.created_by, created_at = now()
  RETURNING a.alias_id INTO v_id;
  RETURN v_id;
END $$;
COMMENT ON FUNCTION safestats.geocode_alias_set(text, text, bigint) IS
'Records a review decision: location_text as entered (normalised; site_code NULL = any site) means the '
'gazetteer feature feature_id. safestats.geocode() then answers that text with that place. Returns the '
'alias id; setting the same text and site again replaces the decision.';

CREATE OR REPLACE FUNCTION safestats.geocode_alias_remove(location_text text, site_code text)
RETURNS boolean
LANGUAGE sql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH d AS (DELETE FROM gazetteer.alias a
             WHERE a.text_norm = safestats_internal.geocode_normalise(left(coalesce(location_text, ''), 1000))
               AND a.site_code = coalesce(btrim(geocode_alias_remove.site_code), '') RETURNING 1)
  SELECT count(*) > 0 FROM d
$$;
COMMENT ON FUNCTION safestats.geocode_alias_remove(text, text) IS
'Removes a review decision made with safestats.geocode_alias_set (same text and site code).';

-- Stored batch results for QGIS: the declared typmod of a function is not kept, so cast here.
CREATE OR REPLACE VIEW safestats.geocode_results WITH (security_invoker = true) AS
SELECT table_name, row_key, location_text, site_code, geom::geometry(Point, 27700) AS geom, confidence,
       radius_m, level, matched, ambiguous, gazetteer_version, geocoded_at
FROM gazetteer.geocode_result;
COMMENT ON VIEW safestats.geocode_results IS
'Stored batch geocoding results (safestats geocode --table …) with a typed point geometry for QGIS.';
