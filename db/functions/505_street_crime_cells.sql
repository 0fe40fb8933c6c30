-- Street crime counted per 250 m cell (issue 18, hotspot speed): crime.street_crime_cell holds the
-- records per (month, crime type, 250 m cell), crime.street_crime_cell_month the months whose counts
-- are complete (revision 0016_violence_releases). The police.uk loader refreshes the months a file
-- wrote inside that file's transaction (loaders/police_uk.py); any other write to crime.street_crime
-- marks every month stale (trigger crime.street_crime_cells_stale), and the hotspot functions count
-- the points themselves for a period with a stale month. A cell is ix * 2^18 + iy for the square
-- [ix*250, (ix+1)*250) x [iy*250, (iy+1)*250) of the British National Grid; -1 holds records without
-- a point. Cells of a multiple of 250 m are unions of these: (ix div m, iy div m).

CREATE OR REPLACE FUNCTION safestats_internal.street_crime_cell_of(p_geom public.geometry)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- (no SET clause: the planner inlines it only without one; every name in it is schema-qualified or in
-- pg_catalog, which is searched first whatever the caller's path)
AS $$
  SELECT CASE WHEN p_geom IS NULL THEN -1
              ELSE (floor(public.ST_X(p_geom) / 250)::bigint << 18) + floor(public.ST_Y(p_geom) / 250)::bigint END
$$;
COMMENT ON FUNCTION safestats_internal.street_crime_cell_of(public.geometry) IS
'The 250 m cell of a point of crime.street_crime (EPSG:27700): ix * 2^18 + iy, -1 for no point. The one
definition the refresh below and the police.uk loader''s two-connection build (loaders/police_uk.py) share.';

CREATE OR REPLACE FUNCTION safestats_internal.street_crime_cells_refresh(p_months date[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
-- Recounts the given months (NULL: every month) from crime.street_crime and marks them complete.
-- Returns the cell rows written.
DECLARE
  n bigint;
BEGIN
  IF p_months IS NULL THEN
    TRUNCATE crime.street_crime_cell_month, crime.street_crime_cell;
  ELSE
    DELETE FROM crime.street_crime_cell_month m WHERE m.month = ANY (p_months);
    DELETE FROM crime.street_crime_cell c WHERE c.month = ANY (p_months);
  END IF;
  INSERT INTO crime.street_crime_cell (month, crime_type, cell, records)
  SELECT s.month, s.crime_type, safestats_internal.street_crime_cell_of(s.geom), count(*)
  FROM crime.street_crime s
  WHERE p_months IS NULL OR s.month = ANY (p_months)
  GROUP BY 1, 2, 3;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO crime.street_crime_cell_month (month)
  SELECT DISTINCT m FROM (SELECT c.month AS m FROM crime.street_crime_cell c WHERE p_months IS NULL
                          UNION ALL SELECT unnest(p_months)) x
  WHERE m IS NOT NULL;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.street_crime_cells_refresh(date[]) IS
'Recounts crime.street_crime per month, crime type and 250 m cell into crime.street_crime_cell for the
months given (NULL: all) and marks them complete (crime.street_crime_cell_month). The police.uk loader
calls it for the months of each file; run it with no argument after writing crime.street_crime by hand.';

CREATE OR REPLACE FUNCTION safestats_internal.street_crime_cells_ready(p_from date, p_to date)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  -- every month of the period has complete cell counts
  SELECT NOT EXISTS (
    SELECT 1 FROM generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month') g
    WHERE NOT EXISTS (SELECT 1 FROM crime.street_crime_cell_month m WHERE m.month = g::date))
$$;
COMMENT ON FUNCTION safestats_internal.street_crime_cells_ready(date, date) IS
'True when every month of p_from .. p_to has complete counts in crime.street_crime_cell (the hotspot
functions then read them instead of the points).';

COMMENT ON COLUMN crime.street_crime_cell.month IS 'Month of the crimes.';
COMMENT ON COLUMN crime.street_crime_cell.crime_type IS 'police.uk crime type.';
COMMENT ON COLUMN crime.street_crime_cell.cell IS '250 m cell: ix * 2^18 + iy for [ix*250, (ix+1)*250) x [iy*250, (iy+1)*250) (EPSG:27700); -1 for records without a point.';
COMMENT ON COLUMN crime.street_crime_cell.records IS 'Records of crime.street_crime in the month, type and cell.';
COMMENT ON COLUMN crime.street_crime_cell_month.month IS 'A month whose cell counts are complete.';
COMMENT ON COLUMN crime.street_crime_cell_month.refreshed_at IS 'When its counts were last recounted.';
