-- Lenient parsers used by the loaders' set-based validation: NULL instead of an error, so one
-- query can list every bad value of a file with its line number.

CREATE OR REPLACE FUNCTION safestats_internal.try_numeric(t text)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
  IF t IS NULL OR btrim(t) = '' THEN RETURN NULL; END IF;
  RETURN replace(btrim(t), ',', '')::numeric;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.try_numeric(text) IS
'Text to numeric (thousands separators allowed), NULL when it is not a number.';

CREATE OR REPLACE FUNCTION safestats_internal.try_date(t text, fmt text DEFAULT 'YYYY-MM-DD')
RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE d date;
BEGIN
  IF t IS NULL OR btrim(t) = '' THEN RETURN NULL; END IF;
  d := to_date(btrim(t), fmt);
  -- to_date is lenient (2024-13-45 rolls over): insist the text round-trips.
  IF to_char(d, fmt) <> btrim(t) THEN RETURN NULL; END IF;
  RETURN d;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.try_date(text, text) IS
'Text to date in the given to_date format (default YYYY-MM-DD), NULL when it is not a real date.';

CREATE OR REPLACE FUNCTION safestats_internal.try_timestamp(t text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
  IF t IS NULL OR btrim(t) = '' THEN RETURN NULL; END IF;
  RETURN btrim(t)::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.try_timestamp(text) IS
'Text (ISO 8601 or PostgreSQL input format) to timestamptz, NULL when unparseable.';
