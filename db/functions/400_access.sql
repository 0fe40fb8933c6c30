-- Access to record-level A&E data and the project's own audit log.
-- Row-level security on health.ae_assault decides WHICH rows a role sees (revision 0006); the
-- objects here decide HOW they are seen (full detail for approved users, coarse for others) and
-- record who looked.

CREATE OR REPLACE FUNCTION audit.record_access(p_action text, p_object text, p_rows bigint DEFAULT NULL,
                                               p_detail jsonb DEFAULT '{}'::jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
-- DEFINER on purpose: users append to the audit log only through here and can neither read nor
-- change it; who they are is taken from the session, never from an argument.
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v_id bigint;
BEGIN
  IF p_action IS NULL OR p_action NOT IN ('read', 'export', 'approval-grant', 'approval-revoke',
                                          'role-grant', 'role-revoke') THEN
    RAISE EXCEPTION 'audit.record_access: unknown action %', quote_literal(coalesce(p_action, 'NULL'))
      USING ERRCODE = '22023', HINT = 'one of read, export, approval-grant, approval-revoke, role-grant, role-revoke';
  END IF;
  IF p_object IS NULL OR length(p_object) > 200 THEN
    RAISE EXCEPTION 'audit.record_access: object must be given (at most 200 characters)' USING ERRCODE = '22023';
  END IF;
  INSERT INTO audit.access_log (login_role, acting_role, action, object, rows_seen, detail)
  VALUES (session_user,
          -- the SET ROLE in force (a DEFINER function changes current_user, not this setting)
          CASE WHEN current_setting('role') = 'none' THEN session_user ELSE current_setting('role') END,
          p_action, p_object, p_rows, coalesce(p_detail, '{}'::jsonb))
  RETURNING event_id INTO v_id;
  RETURN v_id;
END $$;
COMMENT ON FUNCTION audit.record_access(text, text, bigint, jsonb) IS
'Appends one event (read, export, approval-grant/-revoke, role-grant/-revoke) to audit.access_log for
the current session user. The only way to write the audit log.';

CREATE OR REPLACE FUNCTION health.ae_assault_read(p_from date, p_to date, p_site_code text DEFAULT NULL)
RETURNS SETOF health.ae_assault
LANGUAGE plpgsql VOLATILE
SECURITY INVOKER
AS $$
-- Invoker rights: row-level security shows the caller only their approved organisations' rows.
-- The read is written to the audit log with the number of rows seen.
DECLARE n bigint;
BEGIN
  RETURN QUERY
    SELECT a.* FROM health.ae_assault a
    WHERE a.period_end >= p_from AND a.period_start <= p_to
      AND (p_site_code IS NULL OR a.site_code = p_site_code);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM audit.record_access('read', 'health.ae_assault', n,
                              jsonb_build_object('from', p_from, 'to', p_to, 'site_code', p_site_code));
END $$;
COMMENT ON FUNCTION health.ae_assault_read(date, date, text) IS
'Audited read of A&E assault records for reporting periods overlapping p_from .. p_to (optionally one
A&E site). Returns only the organisations the caller is approved for. Example:
SELECT * FROM health.ae_assault_read(''2024-01-01'', ''2024-03-31'')';

-- Full detail for approved health users, as a layer QGIS can open. security_invoker: the caller's
-- own row-level security applies, so it shows exactly what the table would show them.
CREATE OR REPLACE VIEW health.ae_assault_records WITH (security_invoker = true) AS
SELECT a.record_id, a.site_code, a.organisation_code, a.period_start, a.period_end, a.arrival_at,
       a.assault_at, a.assault_method, a.assault_method_other, a.location_type, a.location_text,
       a.geocode_confidence, a.geocode_radius_m, a.geocode_level, a.geocode_matched,
       a.lsoa21_code, a.ward22_code, a.borough_code, a.geom::geometry(Point, 27700) AS geom
FROM health.ae_assault a;
COMMENT ON VIEW health.ae_assault_records IS
'A&E assault records with exact point and free text, for approved users (safestats_health) only; shows
the rows of the organisations the user is approved for (row-level security applies to the caller).';

-- Coarse records for everyone allowed record-level police-style analysis. This view runs with the
-- rights of its owner, safestats_coarse (set below), which row-level security lets see every row
-- (policy coarse_views_see_all_rows) but which holds SELECT on the coarse columns only: it could not
-- show location_text, geom or the geocoder's matched text even if this definition asked for them.
CREATE OR REPLACE VIEW health.ae_assault_coarse AS
SELECT a.site_code, a.organisation_code, a.period_start, a.period_end,
       -- London local time, whatever the session's time zone
       date_trunc('month', coalesce(a.assault_at AT TIME ZONE 'Europe/London',
                                    a.arrival_at AT TIME ZONE 'Europe/London', a.period_start))::date AS month,
       extract(isodow FROM coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::integer AS weekday,
       extract(hour FROM coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::integer AS hour,
       a.assault_method, a.location_type,
       a.geocode_level, a.lsoa21_code, a.ward22_code, a.borough_code
FROM health.ae_assault a;
ALTER VIEW health.ae_assault_coarse OWNER TO safestats_coarse;
COMMENT ON VIEW health.ae_assault_coarse IS
'A&E assault records of every organisation at LSOA / ward / borough level: no point, no free text, time
as month, weekday and hour. Runs with the rights of safestats_coarse (see docs/security.md).';
