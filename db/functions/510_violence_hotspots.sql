-- Violence analysis (issue 18), part 2: hotspots of a chosen source on a regular grid or on areas.
--
-- Sources (p_source), each over the period p_from .. p_to (dates, inclusive, London local time):
--   street-crime   crime.street_crime (police.uk), by month; p_category = crime type, e.g.
--                  'Violence and sexual offences' (NULL = every type); rows with a point only
--   ae-assault     health.ae_assault (A&E, ISTV), by assault time (else arrival time); p_category =
--                  location type, e.g. 'Licensed premises (pub, bar, club)'. Record-level: these
--                  functions run with the caller's rights, so row-level security decides which
--                  trusts' records count.
--   las-assault    incident.las_assault (ambulance call-outs), by call time; p_category = category
--   lfb-incident   incident.lfb_incident (fire brigade), by call date; p_category = incident group
--
-- Counting is done once, set-based: every point is snapped to its cell with one GROUP BY on the
-- cell's number (never a join of points to cell polygons), then Gi* runs on the few thousand cells.
--
-- A&E points carry the geocoder's radius. A record whose radius exceeds p_max_radius_m (default:
-- the cell size) is either spread over the cells its circle covers, each getting the share of the
-- circle's area that falls in it (the shares sum to 1), or excluded (p_large_radius = 'spread' |
-- 'exclude'). The result says how many records were used whole, spread and excluded.

CREATE OR REPLACE FUNCTION safestats.violence_sources()
RETURNS TABLE (source text, relation text, time_column text, category_column text, description text)
LANGUAGE sql IMMUTABLE
AS $$
  VALUES ('street-crime', 'crime.street_crime', 'month', 'crime_type',
          'police.uk street-level crime (monthly; points snapped to anonymous map points)'),
         ('ae-assault', 'health.ae_assault', 'coalesce(assault_at, arrival_at)', 'location_type',
          'A&E assault attendances (ISTV), geocoded from free text, with a radius'),
         ('las-assault', 'incident.las_assault', 'call_at', 'category',
          'London Ambulance Service assault call-outs'),
         ('lfb-incident', 'incident.lfb_incident', 'call_date', 'incident_group',
          'London Fire Brigade incidents')
$$;
COMMENT ON FUNCTION safestats.violence_sources() IS
'The sources the violence functions count (p_source), with the table, the time and the category
column each uses.';

CREATE OR REPLACE FUNCTION safestats_internal.violence_check_source(p_source text, p_from date, p_to date)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
  IF p_source IS NULL OR p_source NOT IN ('street-crime', 'ae-assault', 'las-assault', 'lfb-incident') THEN
    RAISE EXCEPTION 'violence: unknown source %', quote_literal(coalesce(p_source, 'NULL'))
      USING ERRCODE = '22023', HINT = 'one of street-crime, ae-assault, las-assault, lfb-incident';
  END IF;
  IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
    RAISE EXCEPTION 'violence: the period % .. % is empty or open', p_from, p_to USING ERRCODE = '22023',
      HINT = 'give a first and a last day, the last on or after the first';
  END IF;
END $$;
COMMENT ON FUNCTION safestats_internal.violence_check_source(text, date, date) IS
'Raises a clear error for an unknown violence source or an empty period (used by the violence functions).';

-- Points of a source in a period: one row per record with its point and geocoding radius (0 when
-- exact). SQL, so the planner inlines it and prunes the other sources' branches and the partitions
-- outside the period.
CREATE OR REPLACE FUNCTION safestats_internal.violence_points(p_source text, p_from date, p_to date,
                                                     p_category text DEFAULT NULL)
RETURNS TABLE (record_key text, geom geometry, radius_m double precision, at timestamptz,
               located boolean)
LANGUAGE sql STABLE
AS $$
  SELECT NULL::text, s.geom, 0::double precision, s.month::timestamptz, s.geom IS NOT NULL
  FROM crime.street_crime s
  WHERE p_source = 'street-crime'
    AND s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
    AND (p_category IS NULL OR s.crime_type = p_category)
  UNION ALL
  SELECT a.record_id::text, a.geom, coalesce(a.geocode_radius_m, 0)::double precision,
         coalesce(a.assault_at, a.arrival_at), a.geom IS NOT NULL
  FROM health.ae_assault a
  WHERE p_source = 'ae-assault'
    AND (coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::date BETWEEN p_from AND p_to
    AND (p_category IS NULL OR a.location_type = p_category)
  UNION ALL
  SELECT l.incident_ref, l.geom, 0::double precision, l.call_at, l.geom IS NOT NULL
  FROM incident.las_assault l
  WHERE p_source = 'las-assault'
    AND l.call_at >= (p_from::timestamp AT TIME ZONE 'Europe/London')
    AND l.call_at < ((p_to + 1)::timestamp AT TIME ZONE 'Europe/London')
    AND (p_category IS NULL OR l.category = p_category)
  UNION ALL
  SELECT f.incident_number, f.geom, 0::double precision, f.call_date::timestamptz, f.geom IS NOT NULL
  FROM incident.lfb_incident f
  WHERE p_source = 'lfb-incident' AND f.call_date BETWEEN p_from AND p_to
    AND (p_category IS NULL OR f.incident_group = p_category)
$$;
COMMENT ON FUNCTION safestats_internal.violence_points(text, date, date, text) IS
'Records of one violence source (see safestats.violence_sources()) in p_from .. p_to with point,
geocoding radius (0 = exact) and time; located is false for records without a point. Runs with the
caller''s rights: A&E rows are those row-level security lets the caller see.';

-- The one aggregate behind the grid: the cell number of every record counted whole (NULL for the
-- others: no point, or a radius too large, told apart by `big`), with the records in it. Two
-- coordinate reads per record, one GROUP BY, no join. Street crime on a grid of a multiple of 250 m
-- is counted from the loader's 250 m cell counts when every month of the period has them
-- (crime.street_crime_cell); otherwise (and for other cell sizes) it reads the points directly so the
-- scan can run in parallel (RETURN QUERY may); JIT is off because compiling costs more than it saves
-- on a query this simple.
CREATE OR REPLACE FUNCTION safestats_internal.violence_cell_counts(p_source text, p_from date, p_to date,
                                                                   p_category text, p_cell_m double precision,
                                                                   p_max_radius_m double precision)
RETURNS TABLE (k bigint, big boolean, n bigint)
LANGUAGE plpgsql STABLE
SET jit = off
AS $$
DECLARE
  m integer;
BEGIN
  IF p_source = 'street-crime' AND p_cell_m >= 250 AND p_cell_m = 250 * round(p_cell_m / 250)
     AND safestats_internal.street_crime_cells_ready(p_from, p_to) THEN
    -- The counts the police.uk loader keeps per 250 m cell (505_street_crime_cells.sql): a cell of
    -- m x 250 m is the union of the 250 m cells (ix div m, iy div m), so the counts are the same as
    -- from the points, read from far fewer rows.
    m := round(p_cell_m / 250)::integer;
    RETURN QUERY
    SELECT CASE WHEN s.cell < 0 THEN NULL
                ELSE (((s.cell >> 18) / m) << 18) + ((s.cell & 262143) / m) END,
           false, sum(s.records)::bigint
    FROM crime.street_crime_cell s
    WHERE s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
      AND (p_category IS NULL OR s.crime_type = p_category)
    GROUP BY 1;
  ELSIF p_source = 'street-crime' THEN
    RETURN QUERY
    SELECT (floor(ST_X(s.geom) / p_cell_m)::bigint << 18) + floor(ST_Y(s.geom) / p_cell_m)::bigint, false, count(*)
    FROM crime.street_crime s
    WHERE s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
      AND (p_category IS NULL OR s.crime_type = p_category)
    GROUP BY 1;
  ELSE
    RETURN QUERY
    SELECT CASE WHEN p.radius_m <= p_max_radius_m
                THEN (floor(ST_X(p.geom) / p_cell_m)::bigint << 18) + floor(ST_Y(p.geom) / p_cell_m)::bigint END,
           coalesce(p.located AND p.radius_m > p_max_radius_m, false), count(*)
    FROM safestats_internal.violence_points(p_source, p_from, p_to, p_category) p
    GROUP BY 1, 2;
  END IF;
END $$;
COMMENT ON FUNCTION safestats_internal.violence_cell_counts(text, date, date, text, double precision, double precision) IS
'Records of a violence source per grid cell number (ix * 2^18 + iy; NULL = not counted whole, big =
because its geocoding radius exceeds p_max_radius_m): the aggregate behind safestats.violence_grid_counts.';

CREATE OR REPLACE FUNCTION safestats.violence_grid_counts(p_source text, p_from date, p_to date,
                                                          p_cell_m double precision DEFAULT 250,
                                                          p_category text DEFAULT NULL,
                                                          p_large_radius text DEFAULT 'spread',
                                                          p_max_radius_m double precision DEFAULT NULL,
                                                          p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (ix integer, iy integer, records double precision,
               records_used bigint, records_spread bigint, records_excluded bigint)
LANGUAGE plpgsql STABLE
AS $$
-- Every cell of the study area (the boroughs given, else all of London: cells whose square touches
-- a borough) with its count, zeros included. records_* are the same on every row: records counted
-- whole in their cell, spread over several cells, and excluded (no point; radius too large under
-- 'exclude'; or outside the study area).
DECLARE
  c double precision := p_cell_m;
  r_max double precision := coalesce(p_max_radius_m, p_cell_m);
  x0 integer; y0 integer; x1 integer; y1 integer;
  v_used bigint := 0; v_spread bigint := 0; v_excl bigint := 0; v_read bigint := 0;
  v_keys bigint[]; v_vals double precision[]; v_study bigint[];
BEGIN
  PERFORM safestats_internal.violence_check_source(p_source, p_from, p_to);
  IF c IS NULL OR c < 10 OR c > 10000 THEN
    RAISE EXCEPTION 'violence: cell size % m: give 10 .. 10000 m', c USING ERRCODE = '22023';
  END IF;
  IF p_large_radius IS NULL OR p_large_radius NOT IN ('spread', 'exclude') THEN
    RAISE EXCEPTION 'violence: p_large_radius %: give spread or exclude', quote_literal(coalesce(p_large_radius, 'NULL'))
      USING ERRCODE = '22023';
  END IF;
  IF p_boroughs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ref.area b WHERE b.level = 'borough'
                                                AND b.code = ANY (p_boroughs)) THEN
    RAISE EXCEPTION 'violence: none of the boroughs % is loaded', p_boroughs USING ERRCODE = '22023',
      HINT = 'give borough codes (E09...) from ref.area';
  END IF;
  -- The study area's cell range
  SELECT floor(ST_XMin(e) / c)::int, floor(ST_YMin(e) / c)::int, floor(ST_XMax(e) / c)::int,
         floor(ST_YMax(e) / c)::int
    INTO x0, y0, x1, y1
  FROM (SELECT ST_Extent(p.geom)::box2d AS e FROM ref.area_part p
        WHERE p.level = 'borough' AND (p_boroughs IS NULL OR p.code = ANY (p_boroughs))) b;
  IF x0 IS NULL THEN
    RAISE EXCEPTION 'violence: no borough boundaries loaded' USING ERRCODE = '55000',
      HINT = 'load the reference geography first (safestats reference load)';
  END IF;

  -- The study area: cells whose square touches one of its boroughs. A cell's number is
  -- ix * 2^18 + iy (iy < 2^18 for any cell of 10 m or more in Great Britain).
  -- (each borough part against the cells of its own box: the same polygon in a row, which PostGIS
  -- prepares once)
  SELECT array_agg(DISTINCT (gx::bigint << 18) + gy) INTO v_study
  FROM ref.area_part p
  CROSS JOIN LATERAL generate_series(floor(ST_XMin(p.geom) / c)::int, floor(ST_XMax(p.geom) / c)::int) gx
  CROSS JOIN LATERAL generate_series(floor(ST_YMin(p.geom) / c)::int, floor(ST_YMax(p.geom) / c)::int) gy
  WHERE p.level = 'borough' AND (p_boroughs IS NULL OR p.code = ANY (p_boroughs))
    AND ST_Intersects(p.geom, ST_MakeEnvelope(gx * c, gy * c, (gx + 1) * c, (gy + 1) * c, 27700));

  -- One pass over the records, one GROUP BY on the cell number of every record counted whole (NULL
  -- for the others: no point, or a radius too large, told apart by `big`). Two coordinate reads
  -- per record and no join: cells outside the study area are dropped after aggregation.
  SELECT array_agg(w.k) FILTER (WHERE w.k IS NOT NULL), array_agg(w.n::double precision) FILTER (WHERE w.k IS NOT NULL),
         coalesce(sum(w.n) FILTER (WHERE w.k IS NULL AND w.big), 0),
         coalesce(sum(w.n) FILTER (WHERE w.k IS NULL AND NOT w.big), 0)
    INTO v_keys, v_vals, v_spread, v_excl
  FROM safestats_internal.violence_cell_counts(p_source, p_from, p_to, p_category, c, r_max) w;
  IF p_large_radius = 'exclude' THEN
    v_excl := v_excl + v_spread;
    v_spread := 0;
  END IF;
  -- whole records in a cell outside the study area (a bounding-box corner) are excluded too
  SELECT coalesce(sum(u.n) FILTER (WHERE u.k = ANY (v_study)), 0)::bigint,
         coalesce(sum(u.n) FILTER (WHERE NOT u.k = ANY (v_study)), 0)::bigint
    INTO v_used, v_read
  FROM unnest(v_keys, v_vals) u(k, n);
  v_excl := v_excl + v_read;

  RETURN QUERY
  WITH study AS (
    SELECT s.k FROM unnest(v_study) s(k)
  ), whole AS (
    SELECT u.k, u.n FROM unnest(v_keys, v_vals) u(k, n)
  ), big AS (
    -- large-radius records, each spread over the cells its circle covers by area share
    SELECT ST_Buffer(p.geom, p.radius_m, 8) AS circle
    FROM safestats_internal.violence_points(p_source, p_from, p_to, p_category) p
    WHERE p_large_radius = 'spread' AND p_source <> 'street-crime' AND p.located AND p.radius_m > r_max
  ), shares AS (
    SELECT (gx::bigint << 18) + gy AS k,
           ST_Area(ST_Intersection(b.circle, ST_MakeEnvelope(gx * c, gy * c, (gx + 1) * c, (gy + 1) * c, 27700)))
             / ST_Area(b.circle) AS n
    FROM big b
    CROSS JOIN LATERAL generate_series(floor(ST_XMin(b.circle) / c)::int, floor(ST_XMax(b.circle) / c)::int) gx
    CROSS JOIN LATERAL generate_series(floor(ST_YMin(b.circle) / c)::int, floor(ST_YMax(b.circle) / c)::int) gy
  ), allc AS (
    SELECT x.k, sum(x.n) AS n FROM (SELECT w.k, w.n FROM whole w UNION ALL SELECT sh.k, sh.n FROM shares sh) x
    GROUP BY x.k
  )
  SELECT (s.k >> 18)::int, (s.k & 262143)::int, coalesce(a.n, 0)::double precision,
         NULL::bigint, NULL::bigint, NULL::bigint
  FROM study s LEFT JOIN allc a ON a.k = s.k
  ORDER BY s.k;
  -- The summary rides on one extra row with NULL cell: callers read it apart from the cells.
  RETURN QUERY SELECT NULL::int, NULL::int, NULL::double precision, v_used, v_spread, v_excl;
END $$;
COMMENT ON FUNCTION safestats.violence_grid_counts(text, date, date, double precision, text, text, double precision, text[]) IS
'Counts of a violence source (safestats.violence_sources()) in p_from .. p_to on a p_cell_m grid
(British National Grid, cells [ix*c, (ix+1)*c) x [iy*c, (iy+1)*c)) over the study area (p_boroughs, else
London): every cell, zeros included. A&E records whose geocoding radius exceeds p_max_radius_m (default
the cell size) are spread over the cells their circle covers by area share (shares sum to 1), or
excluded (p_large_radius). The last row has NULL ix/iy and gives records_used / records_spread /
records_excluded for the whole run.';

CREATE OR REPLACE FUNCTION safestats.violence_hotspots(p_source text, p_from date, p_to date,
                                                       p_cell_m double precision DEFAULT 250,
                                                       p_category text DEFAULT NULL,
                                                       p_large_radius text DEFAULT 'spread',
                                                       p_band_cells double precision DEFAULT 1.5,
                                                       p_fdr double precision DEFAULT 0.05,
                                                       p_boroughs text[] DEFAULT NULL,
                                                       p_max_radius_m double precision DEFAULT NULL)
RETURNS TABLE (cell_x integer, cell_y integer, geom geometry(Polygon, 27700), records double precision,
               neighbours integer, local_sum double precision, gi_z double precision,
               p_value double precision, q_value double precision, hotspot text,
               records_used bigint, records_spread bigint, records_excluded bigint)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_ix integer[]; v_iy integer[]; v_n double precision[];
  s_used bigint; s_spread bigint; s_excl bigint;
BEGIN
  SELECT array_agg(g.ix) FILTER (WHERE g.ix IS NOT NULL), array_agg(g.iy) FILTER (WHERE g.ix IS NOT NULL),
         array_agg(g.records) FILTER (WHERE g.ix IS NOT NULL),
         max(g.records_used), max(g.records_spread), max(g.records_excluded)
    INTO v_ix, v_iy, v_n, s_used, s_spread, s_excl
  FROM safestats.violence_grid_counts(p_source, p_from, p_to, p_cell_m, p_category, p_large_radius,
                                      p_max_radius_m, p_boroughs) g;
  RETURN QUERY
  SELECT g.ix, g.iy,
         ST_MakeEnvelope(g.ix * p_cell_m, g.iy * p_cell_m, (g.ix + 1) * p_cell_m, (g.iy + 1) * p_cell_m,
                         27700)::geometry(Polygon, 27700),
         g.value, g.neighbours, g.local_sum, g.gi_z, g.p_value, g.q_value, g.hotspot,
         s_used, s_spread, s_excl
  FROM safestats.violence_gi_star_grid(v_ix, v_iy, v_n, p_band_cells, p_fdr) g
  ORDER BY g.gi_z DESC NULLS LAST, g.ix, g.iy;
END $$;
COMMENT ON FUNCTION safestats.violence_hotspots(text, date, date, double precision, text, text, double precision, double precision, text[], double precision) IS
'Hot and cold spots of a violence source on a regular grid: counts per p_cell_m cell over the study area
(p_boroughs, else London; zeros included), Getis-Ord Gi* with binary weights on the cells within
p_band_cells cell widths, itself included (1.5 = queen contiguity), two-sided normal p-value,
Benjamini-Hochberg q-value, and hotspot = hot / cold where q <= p_fdr. records_used / _spread /
_excluded (the same on every row) say how the records were counted (see violence_grid_counts).
Hottest first. Example: SELECT * FROM safestats.violence_hotspots(''street-crime'', ''2024-01-01'',
''2024-12-31'', 250, ''Violence and sexual offences'') WHERE hotspot = ''hot''';

-- The same statistic on areas (LSOA 2021 or ward 2022): neighbours are the areas whose polygons
-- touch or overlap (queen contiguity), the area itself included.
CREATE OR REPLACE FUNCTION safestats_internal.violence_area_neighbours(p_level text, p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (code text, neighbour_code text)
LANGUAGE sql STABLE
AS $$
  WITH a AS (
    SELECT r.code, r.geom FROM ref.area r
    WHERE r.level = p_level AND r.vintage = CASE p_level WHEN 'lsoa' THEN 2021 ELSE 2022 END
      AND (p_boroughs IS NULL OR r.parent_code = ANY (p_boroughs))
  )
  SELECT a.code, b.code FROM a JOIN a b ON a.code = b.code
  UNION
  SELECT a.code, b.code FROM a JOIN a b ON a.code <> b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
$$;
COMMENT ON FUNCTION safestats_internal.violence_area_neighbours(text, text[]) IS
'Queen contiguity of LSOAs 2021 (p_level lsoa) or wards 2022 (ward): each area with every area whose
polygon touches or overlaps it, itself included (the Gi* neighbourhood of the area hotspot functions).';

CREATE OR REPLACE FUNCTION safestats.violence_area_hotspots(p_source text, p_from date, p_to date,
                                                            p_level text DEFAULT 'ward',
                                                            p_category text DEFAULT NULL,
                                                            p_fdr double precision DEFAULT 0.05,
                                                            p_boroughs text[] DEFAULT NULL)
RETURNS TABLE (area_code text, area_name text, geom geometry(MultiPolygon, 27700), records bigint,
               neighbours integer, local_sum double precision, gi_z double precision,
               p_value double precision, q_value double precision, hotspot text, records_unplaced bigint)
LANGUAGE plpgsql STABLE
AS $$
-- Records are counted in the area they were assigned on load (lsoa21_code / ward22_code); records
-- without one (no point, outside London) are counted in records_unplaced. A&E records are counted in
-- the area of their point whatever their radius: use the grid function to spread or exclude them.
BEGIN
  PERFORM safestats_internal.violence_check_source(p_source, p_from, p_to);
  IF p_level IS NULL OR p_level NOT IN ('lsoa', 'ward') THEN
    RAISE EXCEPTION 'violence: area level %: give lsoa (2021) or ward (2022)', quote_literal(coalesce(p_level, 'NULL'))
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH cnt AS MATERIALIZED (
  SELECT x.code, count(*) AS n FROM (
    SELECT CASE p_level WHEN 'lsoa' THEN s.lsoa21_code ELSE s.ward22_code END AS code
    FROM crime.street_crime s
    WHERE p_source = 'street-crime' AND s.month >= date_trunc('month', p_from)::date AND s.month <= p_to
      AND (p_category IS NULL OR s.crime_type = p_category)
    UNION ALL
    SELECT CASE p_level WHEN 'lsoa' THEN a.lsoa21_code ELSE a.ward22_code END
    FROM health.ae_assault a
    WHERE p_source = 'ae-assault'
      AND (coalesce(a.assault_at, a.arrival_at) AT TIME ZONE 'Europe/London')::date BETWEEN p_from AND p_to
      AND (p_category IS NULL OR a.location_type = p_category)
    UNION ALL
    SELECT CASE p_level WHEN 'lsoa' THEN l.lsoa21_code ELSE l.ward22_code END
    FROM incident.las_assault l
    WHERE p_source = 'las-assault' AND l.call_at >= (p_from::timestamp AT TIME ZONE 'Europe/London')
      AND l.call_at < ((p_to + 1)::timestamp AT TIME ZONE 'Europe/London')
      AND (p_category IS NULL OR l.category = p_category)
    UNION ALL
    SELECT CASE p_level WHEN 'lsoa' THEN f.lsoa21_code ELSE f.ward22_code END
    FROM incident.lfb_incident f
    WHERE p_source = 'lfb-incident' AND f.call_date BETWEEN p_from AND p_to
      AND (p_category IS NULL OR f.incident_group = p_category)) x
  GROUP BY 1),
  nb AS MATERIALIZED (SELECT * FROM safestats_internal.violence_area_neighbours(p_level, p_boroughs)),
  areas AS (SELECT DISTINCT nb.code FROM nb),
  v AS (SELECT areas.code, coalesce(c.n, 0)::double precision AS n FROM areas LEFT JOIN cnt c USING (code)),
  s AS (SELECT nb.code, count(*)::int AS w, sum(v.n) AS l FROM nb JOIN v ON v.code = nb.neighbour_code GROUP BY nb.code),
  keyed AS (SELECT row_number() OVER (ORDER BY v.code) AS k, v.code, v.n, s.w, s.l FROM v JOIN s USING (code)),
  arr AS (SELECT array_agg(k) AS k, array_agg(n) AS n, array_agg(w) AS w, array_agg(l) AS l FROM keyed)
  SELECT keyed.code, r.name, r.geom::geometry(MultiPolygon, 27700), f.value::bigint, f.neighbours, f.local_sum,
         f.gi_z, f.p_value, f.q_value, f.hotspot,
         (SELECT coalesce(sum(c.n), 0)::bigint FROM cnt c
          WHERE c.code IS NULL OR c.code NOT IN (SELECT areas.code FROM areas))
  FROM arr CROSS JOIN LATERAL safestats.violence_gi_star_finish(arr.k, arr.n, arr.w, arr.l, p_fdr) f
  JOIN keyed ON keyed.k = f.key
  JOIN ref.area r ON r.level = p_level AND r.vintage = CASE p_level WHEN 'lsoa' THEN 2021 ELSE 2022 END
                 AND r.code = keyed.code
  ORDER BY f.gi_z DESC NULLS LAST, keyed.code;
END $$;
COMMENT ON FUNCTION safestats.violence_area_hotspots(text, date, date, text, text, double precision, text[]) IS
'Hot and cold spots of a violence source on LSOAs 2021 (p_level lsoa) or wards 2022 (ward): counts per
area (zeros included), Getis-Ord Gi* with queen contiguity, the area itself included
(safestats_internal.violence_area_neighbours), two-sided p, Benjamini-Hochberg q, hot / cold where q <= p_fdr.
records_unplaced counts records without an area in the study area. Hottest first.';
