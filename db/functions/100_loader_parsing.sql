-- Parsers for the source loaders (ISTV A&E extracts, LFB, LAS): lenient (NULL instead of an error)
-- so set-based validation can list every bad value with its line.

CREATE OR REPLACE FUNCTION safestats_internal.try_local_timestamp(t text, fmt text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- Hospital and brigade extracts give wall-clock times in London: read them in Europe/London whatever
-- the session time zone is. With fmt (a to_timestamp pattern such as DD/MM/YYYY HH24:MI) the text
-- must fit it; ISO 8601 text (what an Excel cell becomes) is accepted either way.
DECLARE s text := btrim(t);
BEGIN
  IF s IS NULL OR s = '' THEN RETURN NULL; END IF;
  IF s ~ '^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$' THEN
    RETURN s::timestamp AT TIME ZONE 'Europe/London';
  END IF;
  IF s ~ '^\d{4}-\d{2}-\d{2}[ T].*([+-]\d{2}(:?\d{2})?|Z)$' THEN
    RETURN s::timestamptz;
  END IF;
  IF fmt IS NULL THEN RETURN NULL; END IF;
  RETURN to_timestamp(s, fmt)::timestamp AT TIME ZONE 'Europe/London';
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.try_local_timestamp(text, text) IS
'London wall-clock text to timestamptz: ISO 8601, or the given to_timestamp pattern (e.g.
''DD/MM/YYYY HH24:MI''); NULL when it does not parse.';

CREATE OR REPLACE FUNCTION safestats_internal.try_local_date(t text, fmt text DEFAULT 'YYYY-MM-DD')
RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT (safestats_internal.try_local_timestamp(t, fmt) AT TIME ZONE 'Europe/London')::date $$;
COMMENT ON FUNCTION safestats_internal.try_local_date(text, text) IS
'Text to date (ISO, or the given pattern, e.g. ''DD/MM/YYYY''); NULL when it does not parse.';
