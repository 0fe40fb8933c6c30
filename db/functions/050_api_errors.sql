-- Errors that help: the API functions (similar_areas, comparator_gaps, indicator_values, ...) call
-- these first, so that a name they do not know raises an error naming the nearest known ones, and
-- an area outside the chosen comparator run says which runs hold it, instead of returning no rows.
-- SQLSTATE 22023 (invalid_parameter_value) throughout; the CLI shows message and hint, exit code 2.
-- Plain PL/pgSQL: the tables they read are created by the migrations, before any function file.

CREATE OR REPLACE FUNCTION safestats_internal.near_names(p_word text, p_names text[], p_limit integer DEFAULT 3)
RETURNS text
LANGUAGE sql STABLE
AS $$
  -- 'a, b or c' of the names most like p_word (trigram similarity, case-insensitive), or NULL.
  SELECT CASE WHEN count(*) = 0 THEN NULL
              WHEN count(*) = 1 THEN min(n)
              ELSE array_to_string((array_agg(n ORDER BY s DESC, n))[1:count(*) - 1], ', ')
                   || ' or ' || (array_agg(n ORDER BY s DESC, n))[count(*)] END
  FROM (SELECT n, s FROM (SELECT DISTINCT n, greatest(similarity(lower(n), lower(p_word)),
                                                      word_similarity(lower(p_word), lower(n))) AS s
                          FROM unnest(p_names) n) x
        WHERE s >= 0.3 ORDER BY s DESC, n LIMIT p_limit) t
$$;
COMMENT ON FUNCTION safestats_internal.near_names(text, text[], integer) IS
'The (up to p_limit) names most like a word, as ''a, b or c'' (NULL when none is close): the "did you '
'mean" of the API''s errors.';

CREATE OR REPLACE FUNCTION safestats_internal.runs_text(p_where_area text DEFAULT NULL)
RETURNS text
LANGUAGE sql STABLE
AS $$
  -- '1 (neighbourhood 2016, demo); 2 (ward 2011, demo-ward)' of every run, or of the runs holding an area.
  SELECT string_agg(format('%s (%s %s%s)', r.run_id, r.level, r.vintage, coalesce(', ' || r.label, '')),
                    '; ' ORDER BY r.run_id)
  FROM comparator.run r
  WHERE p_where_area IS NULL OR EXISTS (
    SELECT 1 FROM comparator.area_group g WHERE g.run_id = r.run_id AND upper(g.area_code) = upper(p_where_area))
$$;
COMMENT ON FUNCTION safestats_internal.runs_text(text) IS
'Comparator runs as text for error messages: every run, or those holding one area code.';

CREATE OR REPLACE FUNCTION safestats_internal.check_run(p_run integer)
RETURNS comparator.run
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  r comparator.run;
BEGIN
  IF p_run IS NULL THEN
    RAISE EXCEPTION 'no comparator run given' USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce('Runs: ' || safestats_internal.runs_text() || '.',
                      'No runs yet: build one with `safestats comparator build`.');
  END IF;
  SELECT * INTO r FROM comparator.run WHERE run_id = p_run;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no comparator run %', p_run USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce('Runs: ' || safestats_internal.runs_text() || '.',
                      'No runs yet: build one with `safestats comparator build`.');
  END IF;
  RETURN r;
END $$;
COMMENT ON FUNCTION safestats_internal.check_run(integer) IS
'The comparator run p_run, or an error listing the runs there are.';

CREATE OR REPLACE FUNCTION safestats_internal.check_indicator(p_indicator text, p_level text DEFAULT NULL,
                                                              p_vintage integer DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_code text;
  v_held text;
BEGIN
  SELECT indicator_code INTO v_code FROM landscape.indicator WHERE indicator_code = p_indicator;
  IF v_code IS NULL THEN
    RAISE EXCEPTION 'unknown indicator %', quote_literal(coalesce(p_indicator, 'NULL'))
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce('Did you mean ' || safestats_internal.near_names(p_indicator,
                        ARRAY(SELECT indicator_code FROM landscape.indicator)
                        || ARRAY(SELECT name FROM landscape.indicator)) || '? ', '')
             || 'The catalogue: SELECT indicator_code, name FROM safestats.indicators '
             || '(or `safestats landscape list`).';
  END IF;
  IF p_level IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM landscape.indicator_value v WHERE v.indicator_code = v_code AND v.level = p_level
        AND (p_vintage IS NULL OR v.vintage = p_vintage)) THEN
    SELECT string_agg(DISTINCT v.level || ' ' || v.vintage, ', ') INTO v_held
    FROM landscape.indicator_value v WHERE v.indicator_code = v_code;
    RAISE EXCEPTION 'indicator % has no values at % %', v_code, p_level, coalesce(p_vintage::text, '(any vintage)')
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce('It is held at: ' || v_held || '. Move it with safestats.move_indicator(...) '
                      || '(`safestats landscape move`).', 'It has no values loaded yet.');
  END IF;
  RETURN v_code;
END $$;
COMMENT ON FUNCTION safestats_internal.check_indicator(text, text, integer) IS
'The indicator code, or an error naming the nearest known codes; with a level (and vintage), an error '
'naming the levels and vintages that hold it when that one does not.';

CREATE OR REPLACE FUNCTION safestats_internal.check_area(p_area_code text, p_what text DEFAULT 'area')
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ref.area WHERE code = p_area_code)
     OR EXISTS (SELECT 1 FROM survey.neighbourhood WHERE neighbourhood_code = p_area_code)
     OR EXISTS (SELECT 1 FROM landscape.indicator_value WHERE area_code = p_area_code) THEN
    RETURN;
  END IF;
  RAISE EXCEPTION 'unknown % code %', p_what, quote_literal(coalesce(p_area_code, 'NULL'))
    USING ERRCODE = 'invalid_parameter_value',
    HINT = coalesce('Did you mean ' || safestats_internal.near_names(p_area_code,
                      ARRAY(SELECT DISTINCT code FROM ref.area WHERE upper(code) LIKE upper(left(p_area_code, 3)) || '%')
                      || ARRAY(SELECT neighbourhood_code FROM survey.neighbourhood)) || '? ', '')
           || 'Codes are like E05000026 (ward), E01000001 (LSOA), E09000028 (borough), KG-KB (neighbourhood); '
           || 'look names up in ref.area.';
END $$;
COMMENT ON FUNCTION safestats_internal.check_area(text, text) IS
'Nothing when the area code is known (reference geography, survey neighbourhoods, indicator values); '
'else an error naming near codes.';

CREATE OR REPLACE FUNCTION safestats_internal.comparator_area(p_area_code text, p_run integer DEFAULT NULL)
RETURNS TABLE (run_id integer, area_code text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_run comparator.run;
  v_code text;
  v_in text;
  v_known text;
BEGIN
  IF p_run IS NOT NULL THEN
    v_run := safestats_internal.check_run(p_run);
  END IF;
  -- The code as stored (exact, then any case, then an area's name), in the run or in any run.
  SELECT g.area_code INTO v_code FROM comparator.area_group g
  WHERE g.area_code = p_area_code AND (p_run IS NULL OR g.run_id = p_run) LIMIT 1;
  IF v_code IS NULL THEN
    SELECT g.area_code INTO v_code FROM comparator.area_group g
    WHERE upper(g.area_code) = upper(btrim(p_area_code)) AND (p_run IS NULL OR g.run_id = p_run) LIMIT 1;
  END IF;
  IF v_code IS NULL THEN
    SELECT g.area_code INTO v_code FROM comparator.area_group g JOIN comparator.run r ON r.run_id = g.run_id
    WHERE (p_run IS NULL OR g.run_id = p_run)
      AND lower(safestats_internal.comparator_area_name(r.level, r.vintage, g.area_code)) = lower(btrim(p_area_code))
    ORDER BY g.run_id DESC LIMIT 1;
  END IF;
  IF v_code IS NOT NULL THEN
    RETURN QUERY SELECT coalesce(p_run, (SELECT max(g.run_id) FROM comparator.area_group g
                                         WHERE g.area_code = v_code))::integer, v_code;
    RETURN;
  END IF;
  v_in := safestats_internal.runs_text(btrim(p_area_code));
  IF v_in IS NOT NULL THEN      -- in other runs, not in the one asked for
    RAISE EXCEPTION 'area % is not in comparator run % (% %)', p_area_code, p_run, v_run.level, v_run.vintage
      USING ERRCODE = 'invalid_parameter_value',
      HINT = 'Runs holding it: ' || v_in || '. Ask one of them, or leave the run out for the latest.';
  END IF;
  SELECT format('%s, %s %s', a.name, a.level, a.vintage) INTO v_known FROM (
    SELECT name, level, vintage::text AS vintage, 1 AS o FROM ref.area WHERE upper(code) = upper(btrim(p_area_code))
    UNION ALL
    SELECT name, 'neighbourhood', edition, 2 FROM survey.neighbourhood
    WHERE upper(neighbourhood_code) = upper(btrim(p_area_code))) a
  ORDER BY a.o, a.vintage DESC LIMIT 1;
  IF v_known IS NOT NULL THEN   -- a real area no run holds
    RAISE EXCEPTION 'area % (%) is in no comparator run%', p_area_code, v_known,
      CASE WHEN p_run IS NOT NULL THEN format(' (run %s is %s %s)', p_run, v_run.level, v_run.vintage) ELSE '' END
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce('Runs: ' || safestats_internal.runs_text() || '. ', 'No runs yet. ')
             || 'Build one at its level: `safestats comparator build --level ward` (2011 wards, the GLA '
             || 'ward profiles) or `--level neighbourhood`.';
  END IF;
  RAISE EXCEPTION 'unknown area %', quote_literal(coalesce(p_area_code, 'NULL'))
    USING ERRCODE = 'invalid_parameter_value',
    HINT = coalesce('Did you mean ' || safestats_internal.near_names(p_area_code, ARRAY(
             SELECT DISTINCT x FROM comparator.area_group g JOIN comparator.run r ON r.run_id = g.run_id,
                    LATERAL (VALUES (g.area_code),
                                    (safestats_internal.comparator_area_name(r.level, r.vintage, g.area_code))) v(x)
             WHERE p_run IS NULL OR g.run_id = p_run)) || '? ', '')
           || coalesce('Runs: ' || safestats_internal.runs_text() || '.', 'No comparator runs yet.');
END $$;
COMMENT ON FUNCTION safestats_internal.comparator_area(text, integer) IS
'Resolves an area (code in any case, or name) to (run, code) for the comparator: the run given, else '
'the latest run holding it. Raises naming the runs that hold it, or near codes and names, otherwise.';

CREATE OR REPLACE FUNCTION safestats_internal.comparator_check_metric(p_metric text, p_run integer)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_run comparator.run := safestats_internal.check_run(p_run);
BEGIN
  PERFORM safestats_internal.check_indicator(p_metric, v_run.level, v_run.vintage);
END $$;
COMMENT ON FUNCTION safestats_internal.comparator_check_metric(text, integer) IS
'Nothing when the run exists and the metric has values at its level and vintage; else an error that '
'names the runs, the nearest metrics, or the levels holding the metric.';
