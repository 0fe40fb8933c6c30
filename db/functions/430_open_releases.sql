-- Frozen, dated releases (issue 13, differencing): the public reads published figures only from a
-- release, never from the live data. A resubmission that adds one record changes nothing anyone outside
-- the data roles can see until the admin makes the next release, and a release is refused unless the
-- data moved enough since the last one (open.release_rule) -- so one record cannot be isolated by
-- comparing two releases it alone separates. Every release is protected jointly (ward x month table,
-- its ward totals = the ward layer) by open.protect_table under the rule in force.

CREATE OR REPLACE FUNCTION open.publish_release(p_note text DEFAULT NULL, p_min_days integer DEFAULT NULL,
                                                p_min_changed integer DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_rule open.release_rule%ROWTYPE;
  v_last open.release%ROWTYPE;
  v_records bigint;
  v_changed bigint;
  v_id bigint;
BEGIN
  IF pg_catalog.length(p_note) > 500 THEN
    RAISE EXCEPTION 'open.publish_release: note over 500 characters' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO v_rule FROM open.release_rule;
  SELECT * INTO v_last FROM open.release ORDER BY release_id DESC LIMIT 1;
  SELECT count(*) INTO v_records FROM health.ae_assault_coarse c WHERE c.ward22_code IS NOT NULL;
  IF v_last.release_id IS NOT NULL THEN
    IF v_last.released_at > pg_catalog.now() - pg_catalog.make_interval(days => coalesce(p_min_days, v_rule.min_days)) THEN
      RAISE EXCEPTION 'open.publish_release: the last release (%) is less than % days old',
        v_last.release_id, coalesce(p_min_days, v_rule.min_days)
        USING ERRCODE = '55000', HINT = 'releases are dated and spaced (open.release_rule.min_days)';
    END IF;
    -- how many records differ from the last release: cells' absolute changes, summed
    SELECT coalesce(sum(abs(coalesce(n.n, 0) - coalesce(o.n, 0))), 0) INTO v_changed
    FROM (SELECT c.ward22_code AS w, pg_catalog.to_char(c.month, 'YYYY-MM') AS m, count(*) AS n
          FROM health.ae_assault_coarse c WHERE c.ward22_code IS NOT NULL GROUP BY 1, 2) n
    FULL JOIN health.release_count o ON o.release_id = v_last.release_id AND o.ward_code = n.w AND o.month = n.m
    WHERE o.release_id IS NULL OR o.release_id = v_last.release_id;
    IF v_changed < coalesce(p_min_changed, v_rule.min_changed) THEN
      RAISE EXCEPTION 'open.publish_release: only % records differ from release %; at least % must',
        v_changed, v_last.release_id, coalesce(p_min_changed, v_rule.min_changed)
        USING ERRCODE = '55000',
              HINT = 'a release that differs from the last by a few records would let them be isolated';
    END IF;
  END IF;
  INSERT INTO open.release (note, records) VALUES (p_note, v_records) RETURNING release_id INTO v_id;
  INSERT INTO health.release_count (release_id, ward_code, month, n)
  SELECT v_id, c.ward22_code, pg_catalog.to_char(c.month, 'YYYY-MM'), count(*)
  FROM health.ae_assault_coarse c WHERE c.ward22_code IS NOT NULL GROUP BY 2, 3;
  INSERT INTO open.release_ward_month (release_id, ward_code, month, assaults, suppressed)
  SELECT v_id, p.row_key, p.col_key, p.shown, p.suppressed
  FROM (SELECT array_agg(ward_code) AS r, array_agg(month) AS c, array_agg(n) AS n
        FROM health.release_count WHERE release_id = v_id) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n) p;
  -- the violence tables of the same release (560_violence_releases.sql)
  PERFORM safestats_internal.violence_publish_release(v_id, coalesce(p_min_changed, v_rule.min_changed));
  RETURN v_id;
END $$;
COMMENT ON FUNCTION open.publish_release(text, integer, integer) IS
'Makes a new dated release of the published A&E tables (admin only): refused when the last release is
younger than open.release_rule.min_days or fewer than min_changed records differ from it. Returns its id.';

CREATE OR REPLACE VIEW open.ae_assault_ward_month_release AS
SELECT r.release_id, rel.released_at::date AS released_on, r.ward_code, nm.name AS ward_name,
       nm.parent_code AS borough_code, r.month, r.assaults, r.suppressed,
       CASE WHEN r.ward_code IS NULL AND r.month IS NULL THEN 'London, all months'
            WHEN r.ward_code IS NULL THEN 'London'
            WHEN r.month IS NULL THEN 'all months' ELSE 'ward-month' END AS total_kind
FROM open.release_ward_month r
JOIN open.release rel ON rel.release_id = r.release_id
LEFT JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = r.ward_code
WHERE r.release_id = (SELECT max(x.release_id) FROM open.release x);
COMMENT ON VIEW open.ae_assault_ward_month_release IS
'The latest release of A&E assault attendances by 2022 ward and month (with ward, London and grand
totals), frozen when the admin made it (open.publish_release): what the public reads. assaults is NULL
where withheld.';

CREATE OR REPLACE VIEW open.ae_assault_ward_release AS
SELECT t.release_id, t.released_on, t.ward_code, coalesce(t.ward_name, 'London') AS ward_name, t.borough_code,
       t.assaults, t.suppressed, ar.geom::geometry(MultiPolygon, 27700) AS geom
FROM open.ae_assault_ward_month_release t
LEFT JOIN ref.area ar ON ar.level = 'ward' AND ar.vintage = 2022 AND ar.code = t.ward_code
WHERE t.month IS NULL;
COMMENT ON VIEW open.ae_assault_ward_release IS
'The latest release per 2022 ward (its ward totals, and London), as a map layer: the same figures as
open.ae_assault_ward_month_release.';

COMMENT ON COLUMN open.release_rule.id IS 'Always true: the table has one row.';
COMMENT ON COLUMN open.release_rule.min_days IS 'Days that must pass after a release before the next one.';
COMMENT ON COLUMN open.release_rule.min_changed IS 'Records that must differ from the last release (summed absolute change over ward x month cells) before the next one.';
COMMENT ON COLUMN open.release_rule.changed_by IS 'Login that last changed the rule.';
COMMENT ON COLUMN open.release_rule.changed_at IS 'When the rule was last changed.';
COMMENT ON COLUMN open.release.release_id IS 'Release number (increasing).';
COMMENT ON COLUMN open.release.released_at IS 'When the release was made.';
COMMENT ON COLUMN open.release.released_by IS 'Login that made the release (an admin).';
COMMENT ON COLUMN open.release.note IS 'What the release is (e.g. ''2025 Q1'').';
COMMENT ON COLUMN open.release.records IS 'A&E records with a 2022 ward that the release counts.';
COMMENT ON COLUMN open.release_ward_month.release_id IS 'The release (open.release).';
COMMENT ON COLUMN open.release_ward_month.ward_code IS '2022 ward code; NULL for London totals.';
COMMENT ON COLUMN open.release_ward_month.month IS 'Month (YYYY-MM); NULL for totals over all months.';
COMMENT ON COLUMN open.release_ward_month.assaults IS 'Attendances for assault after disclosure control (NULL where suppressed).';
COMMENT ON COLUMN open.release_ward_month.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN health.release_count.release_id IS 'The release (open.release) these true counts are behind.';
COMMENT ON COLUMN health.release_count.ward_code IS '2022 ward code.';
COMMENT ON COLUMN health.release_count.month IS 'Month (YYYY-MM).';
COMMENT ON COLUMN health.release_count.n IS 'True number of A&E assault records (before disclosure control).';
COMMENT ON COLUMN open.ae_assault_ward_month_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.ae_assault_ward_month_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.ward_code IS '2022 ward code; NULL for London totals.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.ward_name IS '2022 ward name.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.borough_code IS 'Borough (E09) of the ward.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.month IS 'Month (YYYY-MM); NULL for totals over all months.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.assaults IS 'Attendances for assault after disclosure control (NULL where suppressed).';
COMMENT ON COLUMN open.ae_assault_ward_month_release.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.ae_assault_ward_month_release.total_kind IS 'ward-month, all months (a ward total), London (a month total) or London, all months (the grand total).';
COMMENT ON COLUMN open.ae_assault_ward_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.ae_assault_ward_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.ae_assault_ward_release.ward_code IS '2022 ward code; NULL for the London total.';
COMMENT ON COLUMN open.ae_assault_ward_release.ward_name IS '2022 ward name (London for the total).';
COMMENT ON COLUMN open.ae_assault_ward_release.borough_code IS 'Borough (E09) of the ward.';
COMMENT ON COLUMN open.ae_assault_ward_release.assaults IS 'Attendances for assault over all months of the release, after disclosure control (NULL where suppressed).';
COMMENT ON COLUMN open.ae_assault_ward_release.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.ae_assault_ward_release.geom IS 'The ward polygon (EPSG:27700; approximate where derived from LSOAs).';
