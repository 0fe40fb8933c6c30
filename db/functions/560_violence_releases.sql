-- Violence analysis (issue 18), part 7: the published forms in frozen, dated releases -- what the
-- public role reads (and `safestats export` writes for partners). The live views of
-- 550_violence_open.sql count as they are queried, so a reload that adds one record would change a
-- figure anyone reading them sees (differencing, docs/security.md): they are for the data roles.
-- open.publish_release (430_open_releases.sql) calls safestats_internal.violence_publish_release for
-- every release it makes, which freezes the violence tables beside the ward tables (revision
-- 0016_violence_releases):
--
-- * every table counts the records the release's ward tables count (those with a 2022 ward), so the
--   tables of one release are about the same records (the hour-week grand total is the ward-month
--   grand total) and the linear-programming attack can be run over all of them at once (tested);
-- * hour-week and venue-type are protected by open.protect_table like the ward tables; a table whose
--   true counts moved by fewer than min_changed records since the last release keeps that release's
--   figures (counted_in says which release counted them), so no two releases differ in it by a few
--   records either;
-- * the ward hotspot layer and the borough police gap add no A&E figure: their counts are the
--   release's published ward totals (a borough's is withheld when any of its wards is), and Gi* is
--   computed from the release's counts;
-- * the month series is the London rows of the release's ward-month table.

CREATE OR REPLACE FUNCTION safestats_internal.violence_publish_release(p_release_id bigint, p_min_changed integer)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
-- (no pinned search_path: the Gi* and neighbour functions it calls use PostGIS by its plain names;
-- invoker rights, admin only, like open.publish_release)
DECLARE
  v_prev bigint;
  v_table text;
  v_changed bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM open.release r WHERE r.release_id = p_release_id)
     OR EXISTS (SELECT 1 FROM open.release_violence_ward w WHERE w.release_id = p_release_id) THEN
    RAISE EXCEPTION 'violence release: % is not a new release', p_release_id USING ERRCODE = '22023';
  END IF;
  SELECT max(r.release_id) INTO v_prev FROM open.release r WHERE r.release_id < p_release_id;

  -- the true counts now, over the records the release counts (those with a 2022 ward)
  DROP TABLE IF EXISTS pg_temp.violence_release_now;
  CREATE TEMP TABLE violence_release_now ON COMMIT DROP AS
  SELECT 'hour_week'::text AS table_name,
         c.weekday::text || '-' || pg_catalog.btrim(pg_catalog.to_char(date '2024-01-01' + (c.weekday - 1), 'Dy')) AS row_key,
         pg_catalog.lpad(c.hour::text, 2, '0') AS col_key, count(*) AS n
  FROM health.ae_assault_coarse c
  WHERE c.ward22_code IS NOT NULL AND c.weekday IS NOT NULL AND c.hour IS NOT NULL
  GROUP BY 2, 3
  UNION ALL
  SELECT 'venue_type', l.borough_code, l.venue_type, count(DISTINCT l.record_id)
  FROM safestats.violence_ae_venue_link l
  WHERE l.ward22_code IS NOT NULL AND l.borough_code IS NOT NULL
  GROUP BY 2, 3;

  FOREACH v_table IN ARRAY ARRAY['hour_week', 'venue_type'] LOOP
    SELECT coalesce(sum(abs(coalesce(n.n, 0) - coalesce(o.n, 0))), 0) INTO v_changed
    FROM (SELECT * FROM pg_temp.violence_release_now x WHERE x.table_name = v_table) n
    FULL JOIN (SELECT * FROM health.release_violence_count y
               WHERE y.release_id = v_prev AND y.table_name = v_table) o
      ON o.row_key = n.row_key AND o.col_key = n.col_key;
    IF v_prev IS NOT NULL AND v_changed < p_min_changed THEN
      -- moved by too few records to release again: the last release's figures stand
      INSERT INTO health.release_violence_count (release_id, table_name, row_key, col_key, n)
      SELECT p_release_id, y.table_name, y.row_key, y.col_key, y.n FROM health.release_violence_count y
      WHERE y.release_id = v_prev AND y.table_name = v_table;
      INSERT INTO open.release_violence_cell (release_id, table_name, row_key, col_key, assaults, suppressed, counted_in)
      SELECT p_release_id, y.table_name, y.row_key, y.col_key, y.assaults, y.suppressed, y.counted_in
      FROM open.release_violence_cell y WHERE y.release_id = v_prev AND y.table_name = v_table;
    ELSIF EXISTS (SELECT 1 FROM pg_temp.violence_release_now x WHERE x.table_name = v_table) THEN
      INSERT INTO health.release_violence_count (release_id, table_name, row_key, col_key, n)
      SELECT p_release_id, x.table_name, x.row_key, x.col_key, x.n FROM pg_temp.violence_release_now x
      WHERE x.table_name = v_table;
      -- The hour-of-week grand total is the ward x month grand total (the same records): when the
      -- ward tables withhold it, so does this table (and protects it; 410_disclosure.sql).
      IF v_table = 'hour_week' AND EXISTS (
           SELECT 1 FROM open.release_ward_month r
           WHERE r.release_id = p_release_id AND r.ward_code IS NULL AND r.month IS NULL AND r.suppressed) THEN
        PERFORM pg_catalog.set_config('safestats.withhold_grand_total', 'on', true);
      END IF;
      INSERT INTO open.release_violence_cell (release_id, table_name, row_key, col_key, assaults, suppressed, counted_in)
      SELECT p_release_id, v_table, p.row_key, p.col_key, p.shown, p.suppressed, p_release_id
      FROM (SELECT array_agg(x.row_key) AS r, array_agg(x.col_key) AS c, array_agg(x.n) AS n
            FROM pg_temp.violence_release_now x WHERE x.table_name = v_table) a
      CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n) p;
      PERFORM pg_catalog.set_config('safestats.withhold_grand_total', '', true);
    END IF;
  END LOOP;
  DROP TABLE pg_temp.violence_release_now;

  -- Gi* class of every 2022 ward from the release's counts (as safestats.violence_area_hotspots)
  INSERT INTO open.release_violence_ward (release_id, ward_code, hotspot)
  WITH cnt AS (
    SELECT rc.ward_code AS code, sum(rc.n) AS n FROM health.release_count rc
    WHERE rc.release_id = p_release_id GROUP BY 1
  ), nb AS MATERIALIZED (
    SELECT * FROM safestats_internal.violence_area_neighbours('ward')
  ), areas AS (
    SELECT DISTINCT nb.code FROM nb
  ), v AS (
    SELECT areas.code, coalesce(cnt.n, 0)::double precision AS n FROM areas LEFT JOIN cnt USING (code)
  ), s AS (
    SELECT nb.code, count(*)::integer AS w, sum(v.n) AS l FROM nb JOIN v ON v.code = nb.neighbour_code GROUP BY 1
  ), keyed AS (
    SELECT row_number() OVER (ORDER BY v.code) AS k, v.code, v.n, s.w, s.l FROM v JOIN s USING (code)
  ), arr AS (
    SELECT array_agg(keyed.k ORDER BY keyed.k) AS k, array_agg(keyed.n ORDER BY keyed.k) AS n,
           array_agg(keyed.w ORDER BY keyed.k) AS w, array_agg(keyed.l ORDER BY keyed.k) AS l FROM keyed
  )
  SELECT p_release_id, keyed.code, f.hotspot
  FROM arr CROSS JOIN LATERAL safestats.violence_gi_star_finish(arr.k, arr.n, arr.w, arr.l, 0.05) f
  JOIN keyed ON keyed.k = f.key;

  -- police gap per borough: the release's published ward counts against police.uk violence
  INSERT INTO open.release_violence_borough (release_id, borough_code, ae_assaults, suppressed, police_violence,
                                             ratio, ci_low, ci_high)
  WITH wards AS (
    SELECT nm.parent_code AS code, r.assaults, r.suppressed
    FROM open.release_ward_month r
    JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = r.ward_code
    WHERE r.release_id = p_release_id AND r.ward_code IS NOT NULL AND r.month IS NULL
  ), ae AS (
    SELECT w.code, sum(w.assaults) AS n, bool_or(w.suppressed) AS withheld FROM wards w
    WHERE w.code IS NOT NULL GROUP BY 1
  ), months AS (
    SELECT DISTINCT (rc.month || '-01')::date AS month FROM health.release_count rc WHERE rc.release_id = p_release_id
  ), pol AS (
    SELECT s.borough_code AS code, count(*) AS n FROM crime.street_crime s
    WHERE s.crime_type = 'Violence and sexual offences' AND s.month IN (SELECT months.month FROM months)
      AND s.borough_code IS NOT NULL
    GROUP BY 1
  ), j AS (
    SELECT ae.code, CASE WHEN NOT ae.withheld THEN ae.n END AS a, ae.withheld, coalesce(pol.n, 0) AS p
    FROM ae JOIN ref.area b ON b.level = 'borough' AND b.vintage = 2022 AND b.code = ae.code
    LEFT JOIN pol ON pol.code = ae.code
  )
  SELECT p_release_id, j.code, j.a::bigint, j.withheld, j.p,
         CASE WHEN j.a IS NOT NULL AND j.p > 0 THEN j.a::double precision / j.p END,
         CASE WHEN j.a IS NOT NULL AND w.low < 1 THEN w.low / (1 - w.low) END,
         CASE WHEN j.a IS NOT NULL AND w.high < 1 THEN w.high / (1 - w.high) END
  FROM j CROSS JOIN LATERAL safestats.violence_wilson(j.a::double precision, (j.a + j.p)::double precision) w;
END $$;
COMMENT ON FUNCTION safestats_internal.violence_publish_release(bigint, integer) IS
'Freezes the violence tables into a new release (called by open.publish_release, admin only): A&E
assaults by day of week x hour and by borough x venue type (protected by open.protect_table; kept from
the last release when they moved by fewer than p_min_changed records), the Gi* class of every 2022 ward
and the police gap per borough, all over the records the release''s ward tables count.';

CREATE OR REPLACE VIEW open.violence_ae_hour_week_release AS
SELECT c.release_id, rel.released_at::date AS released_on, c.counted_in AS counted_in_release,
       c.row_key AS day_of_week, c.col_key AS hour, c.assaults, c.suppressed,
       CASE WHEN c.row_key IS NULL AND c.col_key IS NULL THEN 'all hours of the week'
            WHEN c.row_key IS NULL THEN 'hour, all days' WHEN c.col_key IS NULL THEN 'day, all hours'
            ELSE 'day-hour' END AS total_kind
FROM open.release_violence_cell c
JOIN open.release rel ON rel.release_id = c.release_id
WHERE c.table_name = 'hour_week' AND c.release_id = (SELECT max(x.release_id) FROM open.release x);
COMMENT ON VIEW open.violence_ae_hour_week_release IS
'The latest release of A&E assault attendances by day of week (1-Mon .. 7-Sun) and hour (London time),
with day, hour and grand totals, after disclosure control (assaults NULL where withheld): what the
public reads. Counts the records of the release''s ward tables (those with a 2022 ward).';

CREATE OR REPLACE VIEW open.violence_ae_month_release AS
SELECT t.release_id, t.released_on, t.month, t.assaults, t.suppressed
FROM open.ae_assault_ward_month_release t
WHERE t.ward_code IS NULL AND t.month IS NOT NULL;
COMMENT ON VIEW open.violence_ae_month_release IS
'The latest release of A&E assault attendances in London by month: the London rows of
open.ae_assault_ward_month_release (the same figures, withheld the same way).';

CREATE OR REPLACE VIEW open.violence_ae_venue_type_release AS
SELECT c.release_id, rel.released_at::date AS released_on, c.counted_in AS counted_in_release,
       c.row_key AS borough_code, b.name AS borough_name, c.col_key AS venue_type, c.assaults, c.suppressed
FROM open.release_violence_cell c
JOIN open.release rel ON rel.release_id = c.release_id
LEFT JOIN ref.area b ON b.level = 'borough' AND b.vintage = 2022 AND b.code = c.row_key
WHERE c.table_name = 'venue_type' AND c.release_id = (SELECT max(x.release_id) FROM open.release x);
COMMENT ON VIEW open.violence_ae_venue_type_release IS
'The latest release of A&E assault attendances geocoded to a venue, by borough and venue type, with
totals, after disclosure control (assaults NULL where withheld). No venue names.';

CREATE OR REPLACE VIEW open.violence_ae_ward_hotspot_release AS
SELECT h.release_id, rel.released_at::date AS released_on, h.ward_code, nm.name AS ward_name,
       nm.parent_code AS borough_code,
       CASE WHEN r.ward_code IS NULL THEN 0 ELSE r.assaults END AS assaults,
       coalesce(r.suppressed, false) AS suppressed, h.hotspot,
       ar.geom::geometry(MultiPolygon, 27700) AS geom
FROM open.release_violence_ward h
JOIN open.release rel ON rel.release_id = h.release_id
LEFT JOIN open.release_ward_month r ON r.release_id = h.release_id AND r.ward_code = h.ward_code AND r.month IS NULL
LEFT JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = h.ward_code
LEFT JOIN ref.area ar ON ar.level = 'ward' AND ar.vintage = 2022 AND ar.code = h.ward_code
WHERE h.release_id = (SELECT max(x.release_id) FROM open.release x);
COMMENT ON VIEW open.violence_ae_ward_hotspot_release IS
'The latest release of A&E assault hot and cold spots by 2022 ward (Getis-Ord Gi*, queen contiguity, 5 %
false discovery rate) with the ward''s count as that release publishes it (NULL where withheld, 0 for
none). A map layer.';

CREATE OR REPLACE VIEW open.violence_police_gap_borough_release AS
SELECT g.release_id, rel.released_at::date AS released_on, g.borough_code, b.name AS borough_name,
       g.ae_assaults, g.suppressed, g.police_violence, g.ratio, g.ci_low, g.ci_high,
       b.geom::geometry(MultiPolygon, 27700) AS geom
FROM open.release_violence_borough g
JOIN open.release rel ON rel.release_id = g.release_id
LEFT JOIN ref.area b ON b.level = 'borough' AND b.vintage = 2022 AND b.code = g.borough_code
WHERE g.release_id = (SELECT max(x.release_id) FROM open.release x);
COMMENT ON VIEW open.violence_police_gap_borough_release IS
'The latest release of A&E assault attendances against police.uk Violence and sexual offences per
borough (the release''s months): the A&E figure is the sum of the borough''s published ward counts,
withheld when any is; ratio A&E / police with a 95 % interval. A map layer.';

COMMENT ON COLUMN open.release_violence_cell.release_id IS 'The release (open.release).';
COMMENT ON COLUMN open.release_violence_cell.table_name IS 'hour_week (day of week x hour) or venue_type (borough x venue type).';
COMMENT ON COLUMN open.release_violence_cell.row_key IS 'Day of week (1-Mon .. 7-Sun) or borough code; NULL on column totals.';
COMMENT ON COLUMN open.release_violence_cell.col_key IS 'Hour (00 .. 23) or venue type; NULL on row totals.';
COMMENT ON COLUMN open.release_violence_cell.assaults IS 'A&E assault attendances after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.release_violence_cell.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.release_violence_cell.counted_in IS 'The release whose counts these are: an earlier one when the table moved by fewer than open.release_rule.min_changed records since.';
COMMENT ON COLUMN health.release_violence_count.release_id IS 'The release these true counts are behind.';
COMMENT ON COLUMN health.release_violence_count.table_name IS 'hour_week or venue_type.';
COMMENT ON COLUMN health.release_violence_count.row_key IS 'Day of week or borough code.';
COMMENT ON COLUMN health.release_violence_count.col_key IS 'Hour or venue type.';
COMMENT ON COLUMN health.release_violence_count.n IS 'True number of A&E assault records (before disclosure control).';
COMMENT ON COLUMN open.release_violence_ward.release_id IS 'The release.';
COMMENT ON COLUMN open.release_violence_ward.ward_code IS '2022 ward code.';
COMMENT ON COLUMN open.release_violence_ward.hotspot IS 'Getis-Ord Gi* class at 5 % false discovery rate: hot, cold or not significant.';
COMMENT ON COLUMN open.release_violence_borough.release_id IS 'The release.';
COMMENT ON COLUMN open.release_violence_borough.borough_code IS 'Borough (E09...).';
COMMENT ON COLUMN open.release_violence_borough.ae_assaults IS 'Sum of the borough''s published ward counts in the release; NULL when any is withheld.';
COMMENT ON COLUMN open.release_violence_borough.suppressed IS 'True where the A&E figure is withheld.';
COMMENT ON COLUMN open.release_violence_borough.police_violence IS 'police.uk Violence and sexual offences in the borough in the release''s months, when the release was made.';
COMMENT ON COLUMN open.release_violence_borough.ratio IS 'A&E attendances per police-recorded violent or sexual offence.';
COMMENT ON COLUMN open.release_violence_borough.ci_low IS 'Lower end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.release_violence_borough.ci_high IS 'Upper end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.violence_ae_hour_week_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.violence_ae_hour_week_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.violence_ae_hour_week_release.counted_in_release IS 'The release whose counts these are (earlier when the table moved too little since).';
COMMENT ON COLUMN open.violence_ae_hour_week_release.day_of_week IS 'Day of week, 1-Mon .. 7-Sun (London time); NULL on the hour totals.';
COMMENT ON COLUMN open.violence_ae_hour_week_release.hour IS 'Hour of day 00 .. 23 (London time); NULL on the day totals.';
COMMENT ON COLUMN open.violence_ae_hour_week_release.assaults IS 'A&E assault attendances after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_hour_week_release.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_hour_week_release.total_kind IS 'day-hour (a cell), day, all hours / hour, all days (totals) or all hours of the week (grand total).';
COMMENT ON COLUMN open.violence_ae_month_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.violence_ae_month_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.violence_ae_month_release.month IS 'Calendar month YYYY-MM (London time).';
COMMENT ON COLUMN open.violence_ae_month_release.assaults IS 'A&E assault attendances in London that month after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_month_release.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_venue_type_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.violence_ae_venue_type_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.violence_ae_venue_type_release.counted_in_release IS 'The release whose counts these are (earlier when the table moved too little since).';
COMMENT ON COLUMN open.violence_ae_venue_type_release.borough_code IS 'Borough (E09...) of the attendance; NULL on the venue-type totals.';
COMMENT ON COLUMN open.violence_ae_venue_type_release.borough_name IS 'Borough name.';
COMMENT ON COLUMN open.violence_ae_venue_type_release.venue_type IS 'Venue type (pub, bar or nightclub; takeaway; station; ...); NULL on the borough totals.';
COMMENT ON COLUMN open.violence_ae_venue_type_release.assaults IS 'A&E assault attendances geocoded to a venue of that type, after disclosure control (NULL where withheld).';
COMMENT ON COLUMN open.violence_ae_venue_type_release.suppressed IS 'True where the figure is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.ward_code IS '2022 ward (E05...).';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.ward_name IS 'Ward name.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.borough_code IS 'Borough of the ward.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.assaults IS 'A&E assault attendances in the ward as the release publishes them (NULL where withheld, 0 for none).';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.suppressed IS 'True where the count is withheld by disclosure control.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.hotspot IS 'Getis-Ord Gi* class at 5 % false discovery rate (queen contiguity): hot, cold or not significant.';
COMMENT ON COLUMN open.violence_ae_ward_hotspot_release.geom IS 'Ward polygon (EPSG:27700; approximate where derived from LSOAs).';
COMMENT ON COLUMN open.violence_police_gap_borough_release.release_id IS 'The release shown (the latest).';
COMMENT ON COLUMN open.violence_police_gap_borough_release.released_on IS 'Date of the release.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.borough_code IS 'Borough (E09...).';
COMMENT ON COLUMN open.violence_police_gap_borough_release.borough_name IS 'Borough name.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.ae_assaults IS 'A&E assault attendances: the sum of the borough''s published ward counts in the release, NULL when any is withheld.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.suppressed IS 'True where the A&E figure is withheld.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.police_violence IS 'police.uk Violence and sexual offences in the borough in the release''s months.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.ratio IS 'A&E attendances per police-recorded violent or sexual offence.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.ci_low IS 'Lower end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.ci_high IS 'Upper end of the 95 % interval of the ratio.';
COMMENT ON COLUMN open.violence_police_gap_borough_release.geom IS 'Borough polygon (EPSG:27700).';
