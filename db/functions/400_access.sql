-- Access to record-level A&E data and the project's own audit log.
-- Row-level security on health.ae_assault decides WHICH rows a role sees (revision 0006); the
-- objects here decide HOW they are seen (full detail for approved users, coarse for others) and
-- record who looked.

CREATE OR REPLACE FUNCTION audit.record_access(p_action text, p_object text, p_rows bigint DEFAULT NULL,
                                               p_detail jsonb DEFAULT '{}'::jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
-- DEFINER on purpose: the audit log is appended to only through here, and who acted is taken from the
-- session, never from an argument. Only the admin role (and the owner's own DEFINER functions below,
-- which do the audited thing) may call it: db/access_matrix.toml. Arguments are length-limited and
-- refusals never repeat them (at most 40 characters), so the log and the server log cannot be flooded.
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v_id bigint;
BEGIN
  IF p_action IS NULL OR p_action NOT IN ('read', 'export', 'approval-grant', 'approval-revoke',
                                          'role-grant', 'role-revoke') THEN
    RAISE EXCEPTION 'audit.record_access: unknown action %',
      pg_catalog.quote_literal(pg_catalog.left(coalesce(p_action, 'NULL'), 40))
      USING ERRCODE = '22023', HINT = 'one of read, export, approval-grant, approval-revoke, role-grant, role-revoke';
  END IF;
  IF p_object IS NULL OR pg_catalog.length(p_object) > 200 THEN
    RAISE EXCEPTION 'audit.record_access: object must be given (at most 200 characters)' USING ERRCODE = '22023';
  END IF;
  IF pg_catalog.length(coalesce(p_detail, '{}'::jsonb)::text) > 2000 THEN
    RAISE EXCEPTION 'audit.record_access: detail over 2000 characters' USING ERRCODE = '22023';
  END IF;
  INSERT INTO audit.access_log (login_role, acting_role, action, object, rows_seen, detail)
  VALUES (session_user,
          -- the SET ROLE in force (a DEFINER function changes current_user, not this setting)
          CASE WHEN pg_catalog.current_setting('role') = 'none' THEN session_user
               ELSE pg_catalog.current_setting('role') END,
          p_action, p_object, p_rows, coalesce(p_detail, '{}'::jsonb))
  RETURNING event_id INTO v_id;
  RETURN v_id;
END $$;
COMMENT ON FUNCTION audit.record_access(text, text, bigint, jsonb) IS
'Appends one event (read, export, approval-grant/-revoke, role-grant/-revoke) to audit.access_log for
the current session user. Callable by the admin role only; everyone else''s events are written by the
functions that do the audited thing (health.ae_assault_read, audit.record_export, the approval trigger).';

CREATE OR REPLACE FUNCTION audit.record_export(p_table text, p_format text, p_file text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- Only exports of published tables (schema open) are recorded here, with the row count this function
-- takes itself (in the exporter's snapshot), never one the caller states.
DECLARE
  v_rel regclass;
  n bigint;
BEGIN
  IF pg_catalog.length(p_table) > 130 OR pg_catalog.length(p_format) > 10 OR pg_catalog.length(p_file) > 200 THEN
    RAISE EXCEPTION 'audit.record_export: table, format or file name too long' USING ERRCODE = '22023';
  END IF;
  SELECT c.oid INTO v_rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  WHERE s.nspname = 'open' AND c.relname = pg_catalog.regexp_replace(p_table, '^open\.', '')
    AND c.relkind IN ('r', 'v', 'm');
  IF v_rel IS NULL THEN
    RAISE EXCEPTION 'audit.record_export: not a published table' USING ERRCODE = '22023';
  END IF;
  IF p_format NOT IN ('csv', 'gpkg') THEN
    RAISE EXCEPTION 'audit.record_export: format must be csv or gpkg' USING ERRCODE = '22023';
  END IF;
  EXECUTE pg_catalog.format('SELECT count(*) FROM %s', v_rel) INTO n;
  RETURN audit.record_access('export', v_rel::text, n,
                             pg_catalog.jsonb_build_object('format', p_format, 'file', p_file));
END $$;
COMMENT ON FUNCTION audit.record_export(text, text, text) IS
'Records an export of a published table (schema open) by the session user, with the row count counted here.
Called by `safestats export`; the only way roles other than admin write export events.';

-- Approvals are audited as they happen: a trigger, so no role can write an approval event by itself.
CREATE OR REPLACE FUNCTION audit.approval_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE r record;
BEGIN
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  PERFORM audit.record_access(CASE WHEN TG_OP = 'DELETE' THEN 'approval-revoke' ELSE 'approval-grant' END,
                              'health.ae_assault', NULL,
                              pg_catalog.jsonb_build_object('user', r.login_role,
                                                            'organisation', r.organisation_code));
  RETURN NULL;
END $$;
COMMENT ON FUNCTION audit.approval_changed() IS
'Trigger on health.approval: writes approval-grant / approval-revoke to the audit log for every approval
added or withdrawn, whoever did it and however.';
DROP TRIGGER IF EXISTS approval_audit ON health.approval;
CREATE TRIGGER approval_audit AFTER INSERT OR DELETE ON health.approval
  FOR EACH ROW EXECUTE FUNCTION audit.approval_changed();

CREATE OR REPLACE FUNCTION health.ae_assault_read(p_from date, p_to date, p_site_code text DEFAULT NULL)
RETURNS SETOF health.ae_assault
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- DEFINER so that the read and its audit event are one act (nobody else may write read events). It
-- applies the caller's approvals itself, exactly as the row-level security policy
-- health_approved_organisations does; admins (members of the owner role) see all.
DECLARE
  n bigint;
  -- the role whose rights apply: the SET ROLE in force, else the session user (as row-level security)
  v_who name := CASE WHEN pg_catalog.current_setting('role') = 'none' THEN session_user
                     ELSE pg_catalog.current_setting('role')::name END;
  v_admin boolean := pg_catalog.pg_has_role(v_who, 'safestats_owner', 'USAGE');
BEGIN
  IF NOT v_admin AND NOT pg_catalog.pg_has_role(v_who, 'safestats_health', 'USAGE') THEN
    RAISE EXCEPTION 'A&E records are for approved health users' USING ERRCODE = '42501';
  END IF;
  IF pg_catalog.length(p_site_code) > 12 THEN
    RAISE EXCEPTION 'health.ae_assault_read: site code over 12 characters' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT a.* FROM health.ae_assault a
    WHERE a.period_end >= p_from AND a.period_start <= p_to
      AND (p_site_code IS NULL OR a.site_code = p_site_code)
      AND (v_admin OR a.organisation_code IN (
             SELECT ap.organisation_code FROM health.approval ap
             JOIN pg_catalog.pg_roles r ON r.rolname = ap.login_role
             WHERE pg_catalog.pg_has_role(v_who, r.oid, 'USAGE')));
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM audit.record_access('read', 'health.ae_assault', n,
                              pg_catalog.jsonb_build_object('from', p_from, 'to', p_to, 'site_code', p_site_code));
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
