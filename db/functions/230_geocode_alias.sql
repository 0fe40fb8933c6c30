-- Review decisions: the QGIS review tool (a health reviewer approved for the site) says "this text, from this A&E
-- site, means this gazetteer feature" and the next identical text is exact.

-- Who may record a decision: the admin role for any alias; a health user for an alias of one A&E site
-- whose organisation they are approved for (health.approval). Aliases for "any site" change how every
-- organisation's texts are geocoded, so they are the admin's. Refusals raise SQLSTATE 42501
-- (insufficient_privilege); over-long arguments 22023. Both functions are SECURITY DEFINER (reviewers
-- have no write access to the gazetteer), so they fix search_path and name every object in full.
CREATE OR REPLACE FUNCTION safestats_internal.geocode_alias_check(p_site_code text)
RETURNS void
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_org text;
BEGIN
  IF pg_catalog.pg_has_role(session_user, 'safestats_admin', 'USAGE') THEN
    RETURN;
  END IF;
  IF NOT pg_catalog.pg_has_role(session_user, 'safestats_health', 'USAGE') THEN
    RAISE EXCEPTION 'geocode aliases are recorded by health reviewers and admins only'
      USING ERRCODE = '42501', HINT = 'ask an admin: safestats role grant USER health --organisation CODE';
  END IF;
  IF p_site_code IS NULL OR p_site_code = '' THEN
    RAISE EXCEPTION 'an alias for every A&E site is for admins only: give the site code the text came from'
      USING ERRCODE = '42501';
  END IF;
  SELECT s.organisation_code INTO v_org FROM health.ae_site s WHERE s.site_code = p_site_code;
  IF v_org IS NULL OR NOT EXISTS (
       SELECT 1 FROM health.approval a JOIN pg_catalog.pg_roles r ON r.rolname = a.login_role
       WHERE a.organisation_code = v_org AND pg_catalog.pg_has_role(session_user, r.oid, 'USAGE')) THEN
    RAISE EXCEPTION 'you are not approved for the organisation of A&E site %',
      pg_catalog.quote_literal(pg_catalog.left(p_site_code, 12))
      USING ERRCODE = '42501', HINT = 'aliases are recorded per site by users approved for its organisation';
  END IF;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_alias_check(text) IS
'Raises 42501 unless the session user may record a geocoder alias for A&E site p_site_code: admins for any '
'site (and for all sites at once), health users for sites of organisations they are approved for.';

-- The geocoder's look-up of a decision. DEFINER because the alias texts (location_text, text_norm) are
-- A&E free text that analysts may not read (revision 0010); it answers one exact normalised text only.
CREATE OR REPLACE FUNCTION safestats_internal.geocode_alias_lookup(p_norm text, p_site_code text)
RETURNS TABLE (alias_id bigint, geom public.geometry, radius_m real, level text, matched text, feature_id bigint)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- PL/pgSQL, not SQL, so its plan is kept for the session: the geocoder calls it once per text, and a
-- SQL function called from a query (a DEFINER one is never inlined) is parsed and planned on every
-- call, a tenth of a millisecond each time.
BEGIN
  RETURN QUERY
  SELECT a.alias_id, a.geom, a.radius_m, a.level, a.matched, a.feature_id
  FROM gazetteer.alias a
  WHERE a.text_norm = p_norm AND a.site_code IN (coalesce(p_site_code, ''), '')
  ORDER BY a.site_code DESC LIMIT 1;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_alias_lookup(text, text) IS
'The review decision for one normalised location text (this site''s, else any site''s), for safestats.geocode();
returns the place, never the text.';

CREATE OR REPLACE FUNCTION safestats.geocode_alias_set(location_text text, site_code text, feature_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_site text := pg_catalog.btrim(coalesce(geocode_alias_set.site_code, ''));
  v_norm text;
  f record;
  v_id bigint;
BEGIN
  IF pg_catalog.length($1) > 1000 OR pg_catalog.length(v_site) > 12 THEN
    RAISE EXCEPTION 'geocode_alias_set: location text over 1000 characters or site code over 12'
      USING ERRCODE = '22023';
  END IF;
  PERFORM safestats_internal.geocode_alias_check(v_site);
  v_norm := safestats_internal.geocode_normalise(coalesce(geocode_alias_set.location_text, ''));
  IF v_norm = '' THEN
    RAISE EXCEPTION 'geocode_alias_set: the location text has no letters or digits' USING ERRCODE = '22023';
  END IF;
  SELECT g.geom, g.radius_m, g.level, g.name, g.feature_id INTO f
  FROM gazetteer.feature g WHERE g.feature_id = geocode_alias_set.feature_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'geocode_alias_set: no gazetteer feature %', geocode_alias_set.feature_id
      USING HINT = 'Pick the feature from safestats.geocode_candidates(text, site, n) (explain->feature_id) '
                   'or from gazetteer.feature.';
  END IF;
  -- The feature is copied (point, radius, level, name): a later gazetteer rebuild renumbers features.
  INSERT INTO gazetteer.alias AS a (text_norm, site_code, location_text, geom, radius_m, level, matched, feature_id,
                                    created_by)
  VALUES (v_norm, v_site, geocode_alias_set.location_text, f.geom, f.radius_m, f.level, f.name, f.feature_id, session_user)
  ON CONFLICT ON CONSTRAINT alias_text_norm_site_code_key DO UPDATE SET location_text = EXCLUDED.location_text, geom = EXCLUDED.geom,
    radius_m = EXCLUDED.radius_m, level = EXCLUDED.level, matched = EXCLUDED.matched,
    feature_id = EXCLUDED.feature_id, created_by = EXCLUDED.created_by, created_at = pg_catalog.now()
  RETURNING a.alias_id INTO v_id;
  RETURN v_id;
END $$;
COMMENT ON FUNCTION safestats.geocode_alias_set(text, text, bigint) IS
'Records a review decision: location_text as entered (normalised; site_code NULL = any site) means the '
'gazetteer feature feature_id. safestats.geocode() then answers that text with that place. Returns the '
'alias id; setting the same text and site again replaces the decision. Health users approved for the '
'site''s organisation, and admins, only (any-site aliases: admins only).';

CREATE OR REPLACE FUNCTION safestats.geocode_alias_remove(location_text text, site_code text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_site text := pg_catalog.btrim(coalesce(geocode_alias_remove.site_code, ''));
  n bigint;
BEGIN
  IF pg_catalog.length($1) > 1000 OR pg_catalog.length(v_site) > 12 THEN
    RAISE EXCEPTION 'geocode_alias_remove: location text over 1000 characters or site code over 12'
      USING ERRCODE = '22023';
  END IF;
  PERFORM safestats_internal.geocode_alias_check(v_site);
  DELETE FROM gazetteer.alias a
  WHERE a.text_norm = safestats_internal.geocode_normalise(coalesce(geocode_alias_remove.location_text, '')) AND a.site_code = v_site;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END $$;
COMMENT ON FUNCTION safestats.geocode_alias_remove(text, text) IS
'Removes a review decision made with safestats.geocode_alias_set (same text and site code); same rights.';

-- Stored batch results for QGIS: the declared typmod of a function is not kept, so cast here.
CREATE OR REPLACE VIEW safestats.geocode_results WITH (security_invoker = true) AS
SELECT table_name, row_key, location_text, site_code, geom::geometry(Point, 27700) AS geom, confidence,
       radius_m, level, matched, ambiguous, gazetteer_version, geocoded_at
FROM gazetteer.geocode_result;
COMMENT ON VIEW safestats.geocode_results IS
'Stored batch geocoding results (safestats geocode --table …) with a typed point geometry for QGIS.';

-- What every role may see of the review decisions: the place and site, never the text.
CREATE OR REPLACE VIEW gazetteer.alias_decision WITH (security_invoker = true) AS
SELECT alias_id, site_code, geom, radius_m, level, matched, feature_id, created_by, created_at
FROM gazetteer.alias;
COMMENT ON VIEW gazetteer.alias_decision IS
'Review decisions without their location text (which is A&E free text, readable by health users and admins '
'only in gazetteer.alias): which feature, for which A&E site, by whom and when.';
COMMENT ON COLUMN gazetteer.alias_decision.alias_id IS 'Identifier of the review decision.';
COMMENT ON COLUMN gazetteer.alias_decision.site_code IS 'A&E site the decision is for ('''' = every site).';
COMMENT ON COLUMN gazetteer.alias_decision.geom IS 'The decided place (a copy of the feature''s point, EPSG:27700).';
COMMENT ON COLUMN gazetteer.alias_decision.radius_m IS 'Radius (m) within which the place lies.';
COMMENT ON COLUMN gazetteer.alias_decision.level IS 'Answer level of the decided feature (venue, street, …).';
COMMENT ON COLUMN gazetteer.alias_decision.matched IS 'Name of the decided feature.';
COMMENT ON COLUMN gazetteer.alias_decision.feature_id IS 'The gazetteer feature chosen (may be renumbered by a rebuild).';
COMMENT ON COLUMN gazetteer.alias_decision.created_by IS 'Login that recorded the decision.';
COMMENT ON COLUMN gazetteer.alias_decision.created_at IS 'When the decision was recorded.';
