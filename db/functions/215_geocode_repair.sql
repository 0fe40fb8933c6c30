-- Repairs of text that reached the geocoder through a form, a scanner or a line break, before it is
-- read for places: the printed labels of a paper or screen form captured with the answer ("Place of
-- assault:", "Where did it happen?", "TIME:"), stray marks read as letters ("WALK|NG"), digits read for
-- the letters they look like ("F0OD", "LOND1S", "SU8WAY"), and words broken across a line or by a
-- stray space ("Broa- dway", "LAMB-ETH", "Hen don"). Each repair runs only where a cheap test finds
-- what it repairs, and none touches a postcode, a house number or an ordinal.

CREATE OR REPLACE FUNCTION safestats_internal.geocode_digit_shape(w text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: one lower-case token of letters and digits. Its shape: each letter 'a', each digit '9'.
  SELECT translate(w, 'abcdefghijklmnopqrstuvwxyz0123456789', 'aaaaaaaaaaaaaaaaaaaaaaaaaa9999999999')
$$;
COMMENT ON FUNCTION safestats_internal.geocode_digit_shape(text) IS
'A lower-case token''s shape, each letter written a and each digit 9 ("se15" -> aa99): how the geocoder '
'tells a postcode, a house number or an ordinal from a word with a digit misread in it.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_postcode_like(w text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: a lower-case token. True when it is, or could be, a postcode (a unit, outward code, sector written
  -- without its space, an inward code: "1jg" of "en 5 1jg", or part of one),
  -- a house number ("12", "5a") or an ordinal ("1st", "22nd"). A single-letter postcode area is one of
  -- B, E, G, L, M, N, S, W: "o1d" is no postcode.
  -- (digits then at most two letters: a house number "12", "5a", an ordinal "1st", an inward code "1bg", or
  -- an outward code's digits run into the inward code, "se 151bg")
  SELECT s ~ '^9+a{0,2}$'
      OR (s ~ '^(aa|a)9[9a]?9?(9aa)?$' AND (s LIKE 'aa%' OR left(w, 1) IN ('b', 'e', 'g', 'l', 'm', 'n', 's', 'w')))
  FROM (SELECT safestats_internal.geocode_digit_shape(w) AS s) x
$$;
COMMENT ON FUNCTION safestats_internal.geocode_postcode_like(text) IS
'True when a token is or could be a postcode (unit, outward code, sector written without its space, inward '
'code), a house number or an ordinal: never read as a word with misread digits.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_misread_digits(raw text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- raw: a free text. A bar read inside a word, as the i it stands for, where that makes a known word; and
-- words in which a scanner read a letter as the digit it looks like ("F0OD", "CO5TA",
-- "SU8WAY", "LOND1S", "in5ide", "L1FT") with the letters back: 0 -> o, 5 -> s, 8 -> b, and 1 -> i or l,
-- whichever makes a word the gazetteer or the geocoder's vocabulary knows (else i). Only tokens holding
-- a letter and no digit other than 0, 1, 5, 8, and never a postcode, house number or ordinal
-- (safestats_internal.geocode_postcode_like). A repaired token is written in lower case.
DECLARE
  ws text[] := string_to_array(raw, ' ');
  core text;
  fixed text;
  alt text;
  changed boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    -- a stray mark read as a bar inside a word ("WALK|NG", "|N"): the i it stands for, where that makes a
    -- known word ("Rd|SE15", a field separator, stays)
    core := lower(btrim(ws[i], '()[]{}''",.;:!?*~^`-_/\'));
    IF strpos(core, '|') > 0 AND length(core) >= 2
       AND safestats_internal.geocode_known_piece(translate(core, '|', 'i')) THEN
      ws[i] := replace(lower(ws[i]), core, translate(core, '|', 'i'));
      changed := true;
    END IF;
    core := lower(btrim(ws[i], '()[]{}''",.;:!?*~^`|-_/\'));
    IF core <> '' AND translate(core, '0158', '') <> core
       AND translate(core, 'abcdefghijklmnopqrstuvwxyz', '') <> core
       AND translate(core, 'abcdefghijklmnopqrstuvwxyz0158', '') = ''
       AND NOT safestats_internal.geocode_postcode_like(core)
       -- (nor a postcode typed with a letter for a digit: "nwi1" is NW11, not a word)
       AND NOT (translate(left(translate(core, 'oil', '011'), 1), 'abcdefghijklmnopqrstuvwxyz', '') = ''
                AND safestats_internal.geocode_postcode_like(translate(core, 'oil', '011'))) THEN
      fixed := translate(core, '058', 'osb');
      IF strpos(fixed, '1') > 0 THEN
        alt := translate(fixed, '1', 'l');
        fixed := translate(fixed, '1', 'i');
        IF NOT safestats_internal.geocode_known_piece(fixed) AND safestats_internal.geocode_known_piece(alt) THEN
          fixed := alt;
        END IF;
      END IF;
      ws[i] := replace(lower(ws[i]), core, fixed);
      changed := true;
    END IF;
  END LOOP;
  RETURN CASE WHEN changed THEN array_to_string(ws, ' ') ELSE raw END;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_misread_digits(text) IS
'A free text with digits a scanner read for letters put back in words ("F0OD" -> food, "LOND1S" -> londis, '
'"SU8WAY" -> subway), never in a postcode, house number or ordinal.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_repair_scan(raw text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- raw: a free text as it reached the geocoder. The text with what a form or a scanner added taken out
-- (see the file's head). Patterns run only where a cheap test finds their character: each distinct
-- pattern a call runs takes one of the 32 compiled-regex slots PostgreSQL keeps per session.
BEGIN
  -- The form's printed labels read with the answer: a label ends with ':' or '?'.
  IF strpos(raw, ':') > 0 OR strpos(raw, '?') > 0 THEN
    raw := regexp_replace(raw, '\m(place of (assault|incident)|location of (assault|incident)|address of incident|'
             'where did (the assault|it|this|the incident|incident) (happen|take place)|where|time of (assault|incident)|'
             'date of (assault|incident)|weapon used|police informed|assailant known|location|place|time|date)\s*[:?]',
             ' ', 'gi');
  END IF;
  -- A word broken at the end of a written line: "Broa- dway", "FOO- TBALL" (a dash on the first half,
  -- then a space). A phrase set off by dashes ("Brixton - Acre Lane") has a space before its dash.
  IF strpos(raw, '- ') > 0 THEN
    raw := regexp_replace(raw, '([[:alpha:]])-\s+([[:alpha:]])', '\1\2', 'g');
  END IF;
  -- Digits and stray bars read for letters inside words.
  IF translate(raw, '0158|', '') <> raw THEN
    raw := safestats_internal.geocode_misread_digits(raw);
  END IF;
  RETURN raw;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_repair_scan(text) IS
'A free text without what a form or scanner added: printed labels read with the answer ("Place of assault:", '
'"TIME:"), stray bars inside words, words broken at a line''s end ("Broa- dway"), digits read for letters '
'("F0OD"). Used by safestats_internal.geocode_match before the text is normalised.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_join_broken(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. Two neighbouring words joined into one where a stray space or a hyphen broke
-- a word ("coldhar bour", "lamb eth", "sta tion", "somewh ere"): when at least one half is no word of its
-- own (safestats_internal.geocode_known_piece), the two together are (or are a street type or station
-- word), neither half is a street type ("mead way"), and no gazetteer name holds both halves ("kung fu").
-- A text whose words are all known costs one look-up per word.
DECLARE
  ws text[] := string_to_array(norm, ' ');
  n integer := coalesce(cardinality(ws), 0);
  unknown text[];
  out text[] := '{}';
  i integer := 1;
  j text;
BEGIN
  IF n < 2 THEN
    RETURN norm;
  END IF;
  -- (safestats_internal.geocode_known_piece's tests in one statement: a call per word cost as much as the
  -- rest of the function)
  unknown := ARRAY(SELECT w FROM unnest(ws) w
                   WHERE translate(w, 'abcdefghijklmnopqrstuvwxyz', '') = ''
                     AND NOT safestats_internal.geocode_is_generic_word(w)
                     AND NOT w = ANY ('{in,on,at,by,my,of,to,the,out,and,near,here,from}'::text[])
                     AND NOT (length(w) >= 3 AND safestats_internal.geocode_nonplace_class(w) IS NOT NULL)
                     AND NOT EXISTS (SELECT 1 FROM gazetteer.word x
                                     WHERE x.word = w AND (length(w) >= 4 OR x.freq >= 3)));
  IF cardinality(unknown) = 0 THEN
    RETURN norm;
  END IF;
  WHILE i <= n LOOP
    IF i < n AND (ws[i] = ANY (unknown) OR ws[i + 1] = ANY (unknown))
       AND translate(ws[i] || ws[i + 1], 'abcdefghijklmnopqrstuvwxyz', '') = ''
       AND length(ws[i] || ws[i + 1]) >= 5
       AND NOT safestats_internal.geocode_is_generic_word(ws[i])
       AND NOT safestats_internal.geocode_is_generic_word(ws[i + 1]) THEN
      j := ws[i] || ws[i + 1];
      -- (the street types and station words are not in the gazetteer's word list)
      IF (safestats_internal.geocode_known_piece(j)
          OR safestats_internal.geocode_is_generic_word(safestats_internal.geocode_normalise_word(j)))
         AND NOT EXISTS (SELECT 1 FROM gazetteer.feature_word a
                         JOIN gazetteer.feature_word b ON b.feature_id = a.feature_id AND b.word = ws[i + 1]
                         WHERE a.word = ws[i] AND a.in_name AND b.in_name) THEN
        out := out || safestats_internal.geocode_normalise_word(j);
        i := i + 2;
        CONTINUE;
      END IF;
    END IF;
    out := out || ws[i];
    i := i + 1;
  END LOOP;
  RETURN array_to_string(out, ' ');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_join_broken(text) IS
'The normalised text with a word broken by a stray space or hyphen made whole ("hen don" -> hendon, '
'"lamb eth" -> lambeth): two neighbouring words joined where together they are a known word and at least '
'one half is not.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_postcode_as_read(tok text, form text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- tok: a lower-case token; form: a postcode part's shape ('a' a letter, '9' a digit: 'aa99', '9aa').
-- The token with each character a scanner may have misread put into the class its place in the form
-- needs (letters 0 o, 1 i / l, 5 s, 8 b, and the reverse), or NULL when a character fits neither.
DECLARE
  out text := '';
  c text;
BEGIN
  IF length(tok) <> length(form) THEN
    RETURN NULL;
  END IF;
  FOR k IN 1 .. length(tok) LOOP
    c := substr(tok, k, 1);
    IF substr(form, k, 1) = 'a' THEN
      IF strpos('abcdefghijklmnopqrstuvwxyz', c) = 0 THEN
        c := translate(c, '0158', 'oisb');
      END IF;
      IF strpos('abcdefghijklmnopqrstuvwxyz', c) = 0 THEN
        RETURN NULL;
      END IF;
    ELSE
      IF strpos('0123456789', c) = 0 THEN
        c := translate(c, 'oilsb', '01158');
      END IF;
      IF strpos('0123456789', c) = 0 THEN
        RETURN NULL;
      END IF;
    END IF;
    out := out || c;
  END LOOP;
  RETURN out;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_postcode_as_read(text, text) IS
'A token read as a postcode part of the given shape (a letter, 9 a digit), each character a scanner may have '
'misread (0/O, 1/I/L, 5/S, 8/B) put into the class its place needs; NULL when one fits neither.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_misread_postcode(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text holding a digit. A postcode, or a postcode district, with a letter read for a
-- digit or a digit for a letter ("n17 oje" N17 0JE, "u86 7ra" UB6 7RA, "5e16" SE16, "nw1i 9bp" NW11 9BP), or
-- a sector's outward code so misread ("nwi 6" NW1 6)
-- written as it should read, where the gazetteer knows the repaired one and not the one as read. A token
-- read alone (a district) must hold a digit already.
DECLARE
  ws text[] := string_to_array(norm, ' ');
  n integer := coalesce(cardinality(ws), 0);
  got text;
BEGIN
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN length(ws[i]) NOT BETWEEN 2 AND 4 OR translate(ws[i], '0123456789abcdefghijklmnopqrstuvwxyz', '') <> '';
    -- a unit: this token the outward code, the next the inward
    -- (never a word: "en4 but not sure" is no EN4 8UT)
    IF i < n AND length(ws[i + 1]) = 3
       AND ws[i + 1] <> ALL ('{but,and,the,for,not,off,out,bus,box,its,who,had,has,was,saw,via,one,two,six,got,all}'::text[])
       AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = ws[i + 1])
       AND NOT EXISTS (SELECT 1 FROM gazetteer.postcode p WHERE p.postcode = upper(ws[i] || ws[i + 1])) THEN
      SELECT o || ' ' || safestats_internal.geocode_postcode_as_read(ws[i + 1], '9aa') INTO got
      FROM unnest('{a9,a99,aa9,aa99,a9a,aa9a}'::text[]) fm,
           LATERAL (SELECT safestats_internal.geocode_postcode_as_read(ws[i], fm) AS o) x
      WHERE o IS NOT NULL AND safestats_internal.geocode_postcode_as_read(ws[i + 1], '9aa') IS NOT NULL
        AND EXISTS (SELECT 1 FROM gazetteer.postcode p
                    WHERE p.postcode = upper(o || safestats_internal.geocode_postcode_as_read(ws[i + 1], '9aa')))
      LIMIT 1;
      IF got IS NOT NULL THEN
        ws[i] := split_part(got, ' ', 1);
        ws[i + 1] := split_part(got, ' ', 2);
        RETURN array_to_string(ws, ' ');
      END IF;
    END IF;
    -- a sector: this token the outward code, the next its digit ("nwi 6", "swiw 9")
    IF i < n AND length(ws[i + 1]) = 1 AND ws[i + 1] BETWEEN '0' AND '9'
       AND NOT EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'sector' AND f.norm = ws[i] || ' ' || ws[i + 1]) THEN
      SELECT o INTO got
      FROM unnest('{a9,a99,aa9,aa99,a9a,aa9a}'::text[]) fm,
           LATERAL (SELECT safestats_internal.geocode_postcode_as_read(ws[i], fm) AS o) x
      WHERE o IS NOT NULL AND o <> ws[i]
        AND EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'sector' AND f.norm = o || ' ' || ws[i + 1])
      LIMIT 1;
      IF got IS NOT NULL THEN
        ws[i] := got;
        RETURN array_to_string(ws, ' ');
      END IF;
    END IF;
    -- a district alone
    IF translate(ws[i], '0123456789', '') <> ws[i]
       AND NOT EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'district' AND f.norm = ws[i]) THEN
      SELECT o INTO got
      FROM unnest('{a9,a99,aa9,aa99,a9a,aa9a}'::text[]) fm,
           LATERAL (SELECT safestats_internal.geocode_postcode_as_read(ws[i], fm) AS o) x
      WHERE o IS NOT NULL AND o <> ws[i]
        AND EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'district' AND f.norm = o)
      LIMIT 1;
      IF got IS NOT NULL THEN
        ws[i] := got;
        RETURN array_to_string(ws, ' ');
      END IF;
    END IF;
  END LOOP;
  RETURN norm;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_misread_postcode(text) IS
'A normalised text with a postcode or district a scanner misread (0/O, 1/I/L, 5/S, 8/B) written as it should '
'read, where the gazetteer knows the repaired one and not the one as read ("n17 oje" -> n17 0je, "5e16" -> se16).';

-- How the place was told, when it was told through an interpreter or by a patient with little English:
-- receptions note it beside the place ("via interpreter:", "(Polish interp)", "per Romanian interpreter -",
-- "son translating:", "language line -", "pt limited English -", "pt speaks Tigrinya, says ...", "pt said
-- in Turkish -"). The note is not part of the place, and its words ("line", "English", a language's name)
-- are in venue names ("The Fine Line", "The Full English", "Romanian Shop").
CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_interpreting(raw text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- raw: a free text as recorded. The text without its notes of interpreting: a part set off by brackets that
-- holds one goes; so does a part set off by a colon, comma, semicolon or spaced dash, from its start to the
-- note and the verb after it ("interpreter says ..."), or whole where nothing follows the note. A text that
-- is one part keeps the words before a note at its end ("Tesco Peckham per interpreter"), less the note's
-- own (per, via, phone ...). One pattern finds a note; a second finds brackets.
DECLARE
  v_note constant text := '^(.*)(\minterp[a-z]*|\mtranslat[a-z]*|\mlang(uage)? line|'
    '\m(limited|little|poor|broken|basic|no|some) english|'
    '\m(speaks?|speaking|spoke|said in|says in|speaks in) (polish|romanian|bulgarian|lithuanian|latvian|'
    'russian|ukrainian|albanian|serbian|croatian|bosnian|czech|slovak|hungarian|greek|turkish|kurdish|arabic|'
    'farsi|persian|dari|pashto|urdu|punjabi|hindi|gujarati|bengali|bangla|sylheti|tamil|sinhala|nepali|'
    'mandarin|cantonese|chinese|vietnamese|thai|tagalog|japanese|korean|somali|tigrinya|amharic|oromo|'
    'swahili|yoruba|igbo|twi|akan|lingala|portuguese|spanish|italian|french|german|dutch|romani|hebrew))\M'
    '(\s+(says?|said|states|stated|reports|tells|told|explains|that))?';
  v_parts text[];
  v_out text[] := '{}';
  v_m text[];
  v_words text[];
  v_g text;
  p text;
BEGIN
  -- a note in brackets: "(via interpreter)", "[Urdu interp]", "(as per interpreter, Romanian)"
  IF strpos(raw, '(') > 0 OR strpos(raw, '[') > 0 THEN
    FOR v_g IN SELECT g[1] FROM regexp_matches(raw, '([(\[][^()\[\]]*[)\]])', 'g') g LOOP
      IF lower(v_g) ~ v_note THEN raw := replace(raw, v_g, ' '); END IF;
    END LOOP;
  END IF;
  v_parts := string_to_array(translate(replace(replace(raw, ' - ', '|'), ' – ', '|'), ':;,', '|||'), '|');
  FOREACH p IN ARRAY v_parts LOOP
    v_m := regexp_match(lower(p), v_note);
    IF v_m IS NULL THEN
      v_out := v_out || p;
    ELSIF btrim(substr(p, length(v_m[1]) + length(v_m[2]) + length(coalesce(v_m[7], '')) + 1)) <> '' THEN
      v_out := v_out || substr(p, length(v_m[1]) + length(v_m[2]) + length(coalesce(v_m[7], '')) + 1);
    ELSIF cardinality(v_parts) = 1 THEN
      -- the note ends the text: the words before it, less the note's own at their end
      v_words := string_to_array(left(p, length(v_m[1])), ' ');
      WHILE cardinality(v_words) > 0
            AND lower(v_words[cardinality(v_words)]) IN ('', 'per', 'via', 'by', 'through', 'thru', 'with', 'acc',
                                                         'acc.', 'according', 'to', 'as', 'phone', 'telephone',
                                                         'tel', 'pt', 'patient', 'a', 'an', 'the') LOOP
        v_words := v_words[1:cardinality(v_words) - 1];
      END LOOP;
      v_out := v_out || array_to_string(v_words, ' ');
    END IF;
  END LOOP;
  RETURN array_to_string(v_out, ', ');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_interpreting(text) IS
'A free text without its notes of how the place was told through an interpreter or by a patient with little '
'English ("via interpreter:", "(Polish interp)", "son translating -", "pt limited English -", "pt said in '
'Turkish -"): a bracketed note goes, and a part set off by a colon, comma or dash loses the note and what '
'comes before it. Used by safestats_internal.geocode_match before the text is normalised.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_record_fields(raw text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- raw: a free text as an older record system exports its location field. The location without the
-- fields typed or exported around it: a date in front ("28.02.18 ...", "2016-01-19", "270515 ..."), a
-- house number's ".0" from a spreadsheet ("219.0 high st"), the field's own
-- label ("LOC:", "LOCN-", "LOCN ", "INC LOC -", "INC.LOC", "LOC.INC/", "[LOC]", "PLACE OF INC:", "SITE OF
-- INC-", "SCENE=", "ASSLT LOC:"), a time of day at the end ("2300HRS", "RD2300HRS", "@0130", "/ APPROX
-- 1930", "AT 1620", "17:15", "SITE22.30") or anywhere with am / pm ("about 9.30pm", "at 4ish") and the
-- padding of a fixed-width field ("******", "#"). A label's words ("inc", "scene", "loc") are in venue
-- names ("Wok Inc.", "Jerk Scene"), which is how such texts went wrong. Each step runs only where a cheap
-- test finds what it removes.
DECLARE
  lo text := lower(ltrim(raw, ' [('));
  first text;
BEGIN
  -- a date in front (day, month, year; or six digits run together)
  IF left(lo, 1) BETWEEN '0' AND '9' THEN
    raw := regexp_replace(raw, '^\s*([0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{6})(?![0-9a-zA-Z])[\s,;:-]*', '');
    lo := lower(ltrim(raw, ' [('));
  END IF;
  -- a house number a spreadsheet turned into a decimal ("219.0 HIGH ST.", "12.0")
  IF strpos(raw, '.0') > 0 THEN
    raw := regexp_replace(raw, '\m([0-9]+)\.0(?![0-9])', '\1', 'g');
  END IF;
  -- the field's label: words that never name a place ("locn", "inc loc") may stand without a separator;
  -- "scene", "where", "location", "place", "site" only before one (":", "=", "-", "/")
  first := split_part(translate(lo, ':=-/.]', '      '), ' ', 1);
  IF first IN ('loc', 'locn', 'location', 'place', 'site', 'scene', 'where', 'inc', 'incident', 'asslt', 'assault') THEN
    raw := regexp_replace(raw,
             '^\s*(\[\s*loc\s*\]|(((asslt|assault|inc|incident)[. ]*loc(n|ation)?|loc(n|ation)?[. ]*(of )?(inc|incident|'
             'asslt|assault)|(place|site|scene|location|loc) of (inc|incident|asslt|assault)|locn|loc)\M\.?)|'
             '(scene|where|location|place|site)\s*(?=[:=/-]))\s*[:=/-]*\s*', '', 'i');
  END IF;
  -- the fixed-width field's padding
  raw := rtrim(raw, ' *#');
  -- a time of day anywhere, said with am / pm or "ish" ("about 9.30pm", "at 4ish", "2am")
  IF (strpos(lower(raw), 'am') > 0 OR strpos(lower(raw), 'pm') > 0 OR strpos(lower(raw), 'ish') > 0)
     AND translate(raw, '0123456789', '') <> raw THEN
    raw := regexp_replace(raw, '\m((at|around|about|approx|by) )?[0-9]{1,2}([.:][0-9]{2})? ?(am|pm|ish)\M', ' ', 'gi');
  END IF;
  -- a time of day at the end: "hh:mm" or "hh.mm"; "hhmm" with "hrs" / "h" after it, or "@", "/", "at",
  -- "approx" before it (a bare four-digit number may be a house number)
  IF right(raw, 1) BETWEEN '0' AND '9'
     OR (lower(right(raw, 1)) IN ('s', 'h', 'r') AND translate(raw, '0123456789', '') <> raw) THEN
    raw := regexp_replace(raw,
             '([\s/@,-]|\m(at|approx|apx)\M)*([0-2]?[0-9][:.][0-5][0-9](\s*hrs?|h)?|[0-2][0-9][0-5][0-9]\s*(hrs?|h)|'
             '([/@]|\m(at|approx|apx)\M)\s*@?\s*[0-2][0-9][0-5][0-9])\s*$', '', 'i');
  END IF;
  RETURN raw;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_record_fields(text) IS
'A location field as an older record system exports it, without the fields around it: a date in front '
'("28.02.18", "2016-01-19", "270515"), a house number''s spreadsheet ".0" ("219.0 high st"), the field''s label ("LOC:", "LOCN-", "INC.LOC", "[LOC]", "PLACE OF INC:", "SCENE="), '
'a time of day at the end ("2300HRS", "@0130", "/ APPROX 1930", "17:15") or with am / pm anywhere ("about '
'9.30pm") and a fixed-width field''s padding '
'("*****", "#"). Used by safestats_internal.geocode_match before anything else reads the text.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_log_fields(raw text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- raw: a line of an incident log (door supervisors, street pastors, a CCTV room, BTP or TfL staff). The
-- location without what opens such a line, in any order and any number: a time stamp ("02:14 -", "[02:14]",
-- "0214HRS", "@0214", "02.14"; four digits alone only before a dash or colon, as a house number is not
-- written), a log reference ("REF 2211/034", "LOG 0417", "OCC 117", "INC 681 /", "ENTRY 14 -"), a call sign
-- ("ALPHA 2:", "charlie 6 -"), who wrote it ("warden 6:", "DS 4 -", "CCTV OP 8:", "door team:", "SP NOTES:",
-- "street pastors -", "levy patrol", "taxi marshal:", "BTP -") and a camera ("CAM 114 -", "PTZ 7 VIEW").
-- None of these says a place, and their words are in venue names ("Charlie & Charlie", "Wok Inc.", "The
-- Log Cabin", "Notes"). What the line ends with (what happened next) is dropped from the normalised text
-- by safestats_internal.geocode_match. A word of a role standing alone ("security", "marshal", "warden")
-- goes only before a colon or dash: "Marshal Street" is a street.
DECLARE
  before text;
BEGIN
  FOR k IN 1 .. 6 LOOP
    before := raw;
    raw := regexp_replace(raw,
      '^[\s\[\](),;:/@-]*(' ||
      -- a time stamp
      '@\s*[0-2][0-9][0-5][0-9]\M(\s*hrs?\M)?|[0-2]?[0-9][:.][0-5][0-9](\s*hrs?\M)?|[0-2][0-9][0-5][0-9]\s*(hrs?|h)\M|[0-2][0-9][0-5][0-9](?=\s*[\]:-])|'
      -- a log reference, a call sign, a numbered writer or camera
      '(ref|log|occ|inc|incident|entry|cad|job)\.?\s*(no\.?\s*)?[0-9]+(/[0-9]+)?\M|'
      '(alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet|kilo|lima|mike|oscar|papa|romeo|sierra|'
      'tango|victor|whiskey|whisky|yankee|zulu|warden|ds|sp|op|cctv\s*op|cctv\s*operator|operator|steward|'
      'unit|patrol|marshal)\s*[0-9]{1,3}(?=\s*[:/-])|'
      '(cam|camera|ptz)\s*[0-9]{1,4}\M(\s*(views?|viewing|covering|looking at)\M)?|'
      -- who wrote it
      '(levy patrol|street pastors?( notes)?|sp notes|night wardens?|taxi marshals?|door (team|log|staff|'
      'supervisors?)|stn supervisor|station supervisor|security log|cctv (room|control|op|operator)|control room)\M|'
      '(btp|tfl|marshal|wardens?|security|cctv|sp|ds)(?=\s*[:-])'
      ')[\s\]),;:/-]*', '', 'i');
    EXIT WHEN raw = before;
  END LOOP;
  RETURN raw;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_log_fields(text) IS
'A line of an incident log without what opens it: a time stamp ("[02:14]", "0214HRS -", "@0214"), a log '
'reference ("REF 2211/034", "OCC 117:", "INC 681 /"), a call sign ("ALPHA 2:"), who wrote it ("warden 6:", '
'"door team:", "SP NOTES:", "levy patrol") and a camera ("CAM 114 -"), in any order. Used by '
'safestats_internal.geocode_match where a cheap test finds a line may open so.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_residence(norm text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. Without where the patient lives when the text tells it beside where it
-- happened: "yp lives in X but the assault was at Y", "stays in X it happened at Y", "(lives X) was robbed
-- at Y", "not in X where yp lives it was at Y". What follows the first word that turns to the assault
-- ("but", "it was", "happened", "assault", "incident", "was", "got") stays. A text that says only where
-- the patient lives ("where she lives", "lives on rye lane") is left as it is: that is home.
DECLARE
  s text := ' ' || norm || ' ';
BEGIN
  s := regexp_replace(s, ' not (in|on|at|near|by|round) .*? where [a-z]+ (lives|stays|livrs|lived) (it was |it happened |it )?', ' ');
  s := regexp_replace(s, ' (lives|stays|livrs|lived|living|staying) .*? (but|it was|it happened|happened|assault was|assault|'
                         'incident|however|whereas|was|got) ', ' ');
  RETURN btrim(regexp_replace(s, ' +', ' ', 'g'));
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_residence(text) IS
'A normalised text without where the patient lives when it is told beside where the assault happened ("yp '
'lives in X but the assault was at Y", "not in X where yp lives it was at Y"); a text naming only the '
'patient''s home is left as it is.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_pleasantries(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. A message's courtesies around the place taken off, as a patient replying to a
-- follow-up text or a web form writes them: in front, a greeting, thanks or an apology ("hi", "yes",
-- "ok", "morning", "thanks for asking", "sorry for late reply", "sorry been busy", "thank you for getting
-- in touch"); behind, a sign-off or a hedge ("cheers", "thanks", "many thanks", "ta", "thx", "lol",
-- "innit", "tbh", "pretty sure", "if that helps", "or near there anyway", "x", "xx"). Only at either end,
-- and a word in front only when the next word is not a street type ("morning ln", "hi st" stay); a single "x" behind only after another sign-off ("kings x" is King's Cross). What is left
-- may be empty: a reply that gives no place ("ok thanks", "cheers x").
DECLARE
  s text := ' ' || norm || ' ';
  prev text;
  p text;
  nxt text;
  ws text[];
BEGIN
  LOOP
    prev := s;
    -- ("thankss", "thansk", "thnks": thanks typed in a hurry, at either end)
    ws := string_to_array(btrim(s), ' ');
    IF length(ws[1]) BETWEEN 4 AND 7 AND ws[1] NOT IN ('thanks', 'thank') AND left(ws[1], 2) = 'th'
       AND (levenshtein_less_equal(ws[1], 'thanks', 1) <= 1 OR ws[1] IN ('thansk', 'thnaks', 'thnx', 'thks')) THEN
      s := ' thanks ' || substr(s, length(ws[1]) + 3);
    END IF;
    IF cardinality(ws) > 1 AND length(ws[cardinality(ws)]) BETWEEN 4 AND 7
       AND ws[cardinality(ws)] NOT IN ('thanks', 'thank') AND left(ws[cardinality(ws)], 2) = 'th'
       AND (levenshtein_less_equal(ws[cardinality(ws)], 'thanks', 1) <= 1
            OR ws[cardinality(ws)] IN ('thansk', 'thnaks', 'thnx', 'thks')) THEN
      s := left(s, -(length(ws[cardinality(ws)]) + 1)) || 'thanks ';
    END IF;
    FOREACH p IN ARRAY '{thank you for getting in touch,thanks for getting in touch,thank you for asking,
        thanks for asking,thanks for checking,thank you for checking,thanks for message,thanks for your message,
        thank you for your message,thank you for message,sorry for late reply,sorry for delay,sorry been busy,
        been busy,only just seen this,just seen this,in answer to your question,to answer your question,
        good morning,good afternoon,good evening,hi there,hello there,thank you,thank u,many thanks,hi,hiya,hey,
        heya,hello,hullo,yes,yeah,yea,yep,yup,ok,okay,oki,sorry,soz,thanks,thankyou,thx,thanx,ta,cheers,lol,
        morning,afternoon,evening,dear,oh,ah}'::text[] LOOP
      p := btrim(p, E' \n');
      IF left(s, length(p) + 2) = ' ' || p || ' ' THEN
        nxt := split_part(substr(s, length(p) + 3), ' ', 1);
        IF nxt <> '' AND NOT nxt = ANY ('{st,rd,ave,ln,pl,sq,gdns,cres,ter,cl,dr,ct,gr,pk,pde,mt,grn,est,bdwy,hwy,
                                          way,stn,hosp,hill,row,walk,yard,vale,rise,mews,wharf,end,gate,x}'::text[]) THEN
          s := substr(s, length(p) + 2);
          EXIT;   -- (from the top of the list again: a phrase before its own first word)
        END IF;
      END IF;
    END LOOP;
    FOREACH p IN ARRAY '{many thanks,thank you,thank u,thanks a lot,thanks again,pretty sure,if that helps,
        or near there anyway,or near there,or round there,or around there,roughly,anyway,innit,tbh,lol,haha,
        xx,xxx,xxxx,thx,thanx,thanks,cheers,ta,please,pls,sorry,ok,bye,mate}'::text[] LOOP
      p := btrim(p, E' \n');
      IF right(s, length(p) + 2) = ' ' || p || ' ' THEN
        s := left(s, -(length(p) + 1));
      END IF;
    END LOOP;
    IF right(s, 3) = ' x ' THEN
      ws := string_to_array(btrim(s), ' ');
      IF ws[cardinality(ws) - 1] = ANY ('{thanks,thx,cheers,ta,lol,sorry,love,xx,innit,please,you,u}'::text[]) THEN
        s := left(s, -2);
      END IF;
    END IF;
    EXIT WHEN s = prev;
  END LOOP;
  RETURN btrim(s);
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_pleasantries(text) IS
'A normalised text without the greeting, thanks or apology in front and the sign-off or hedge behind that a '
'patient''s own reply to a follow-up message puts around the place ("hi sorry for late reply ... cheers x"); '
'empty when nothing else is left. A word in front stays when a street type follows ("morning ln").';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_app_chrome(raw text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- raw: a text as written. What a phone's maps app or an online address finder puts on the clipboard around
-- a place, taken off: a share link ("maps.app.goo.gl/…", "… on Google Maps", "Shared a location:"), the
-- card's other fields after a "·", "›" or "|" (a category such as "Pub" or "Sandwich shop", a rating "4.3
-- (210)", opening hours "Open until 11 pm", "Closed now", "Neighbourhood in Croydon"), its buttons in front
-- or behind ("Directions to", "Route to", "Navigate", "Saved:", "Labelled:", "Website", "Share", "Call",
-- "(Nearby)"), and an address line's "Greater London", "England", "UK". A card's first field is always
-- kept (a venue may be called "The Sandwich Shop"). What is left may be empty or one of the app's own
-- screens ("Dropped pin", "Recently viewed", "Choose destination"): the caller then answers no place.
DECLARE
  t text := raw;
  segs text[];
  kept text[] := '{}';
  s text;
  i integer := 0;
  prev text;
  card boolean := strpos(raw, '·') > 0 OR strpos(raw, '•') > 0;   -- a place card's fields
BEGIN
  IF strpos(t, '://') > 0 OR strpos(lower(t), 'goo.gl') > 0 OR strpos(lower(t), 'maps.') > 0 THEN
    t := regexp_replace(t, '(https?://)?(www\.)?[a-z0-9.-]*(goo\.gl|google\.[a-z.]+|apple\.com|bing\.com|maps\.[a-z.]+)(/\S*)?',
                        ' | ', 'gi');
  END IF;
  t := regexp_replace(t, '^\s*check out\s+|\s+on ((google|apple|bing) )?maps\M|\mshared? (a |my |the )?(location|place|pin)\s*:?|\msend to (your )?phone\M|'
                         '\mopen in (the )?app\M|\((nearby|closed|open)\)', ' | ', 'gi');
  -- a station card's network in brackets: a network word the station rule reads
  t := regexp_replace(t, '\((national rail|rail|overground|london overground|underground|tube|dlr|elizabeth line)\)', ' \1 ', 'gi');
  t := regexp_replace(t, '\mnational rail\M', 'rail', 'gi');
  segs := regexp_split_to_array(t, '\s*[·•›|»–—]\s*|\s+-\s+');
  FOREACH s IN ARRAY segs LOOP
    s := btrim(s, E' \t,;:.…');
    CONTINUE WHEN s = '';
    i := i + 1;
    IF i > 1 THEN   -- (a field's buttons behind it: "Open 24 hours Open")
      s := regexp_replace(s, '(\s+(directions|website|share|save|saved|open|closed|call|start|nearby))+$', '', 'i');
    END IF;
    -- (a button, a rating or opening hours, wherever they are; a category only after the card's first field)
    CONTINUE WHEN lower(s) ~ '^((directions|website|share|save|saved|open|closed|call|start|nearby|overview|menu|reviews|photos|about|updates|order|book|labelled|navigate|route|search|more|details|now)\s*)+$';
    CONTINUE WHEN lower(s) ~ '^((rated )?[0-5]([.,][0-9])?( ?(★|stars?))?( ?\([0-9.,k]+\))?|\(?[0-9.,k]+ reviews?\)?|£+)$';
    CONTINUE WHEN lower(s) ~ '^((temporarily |permanently )?closed( now| today)?|open( now| 24 hours| until .*)?|closes( soon| at)? ?.*|opens (at |soon)?.*|closing soon|open · .*)$';
    CONTINUE WHEN lower(s) ~ '^((neighbou?rhood|area|district|suburb|town|village) in .+|postcode (district|area|sector)|'
                             'step-? ?free access|wheelchair accessible|accessible entrance|no step-? ?free access)$';
    -- a category that names a kind of place whole ("Train station · Blackheath Rail Station"), first or not
    CONTINUE WHEN cardinality(segs) > 1 AND lower(s) ~ ('^(train station|railway station|rail station|underground station|'
      'tube station|overground station|bus stop|bus station|hospital|pub|bar|restaurant|cafe|café|park|'
      'supermarket|shop|store|hotel|nightclub|church|school|college|market|shopping centre|car park|'
      'emergency services|emergency room|hospital department|medical centre|neighbourhood|transit station|'
      'transit stop|station)$');
    CONTINUE WHEN lower(s) ~ '^(your places|saved places|recently viewed|your timeline|explore|for you)$';
    -- a shop's or restaurant's kind after the name ("Asian restaurant", "Frozen food store")
    CONTINUE WHEN card AND i > 1 AND cardinality(kept) > 0 AND lower(s) ~ ('^([a-z]+ ){0,2}(restaurant|shop|store|supermarket|bakery|chemist|pharmacy|'
      'pub|bar|cafe|café|coffee shop|takeaway|delivery|fast food|convenience store|food store|grocery store|'
      'grocer|newsagent|off licence|gym|barber shop|hairdresser|salon|nightclub|night club|'
      'cocktail bar|wine bar|sports bar|petrol station|gas station|tourist attraction|department store)s?$');
    kept := kept || s;
  END LOOP;
  t := array_to_string(kept, ', ');
  -- the buttons in front and behind the place, and an address line's country and region
  LOOP
    prev := t;
    t := regexp_replace(t, '^\s*(directions( to)?|route( to)?|navigate( to)?|search( for)?|saved?:?|labell?ed:?|'
                           'overview|nearby|share|start|go to|take me to|get directions to|your places)\s+(?=\S)', '', 'i');
    t := regexp_replace(t, '\s+(directions|website|share|save|saved|open|closed|call|start|nearby|route)\s*$', '', 'i');
    t := regexp_replace(t, ',?\s*\m(greater london|england|united kingdom|great britain|uk|gb)\s*$', '', 'i');
    t := btrim(t, E' \t,;:.…');
    EXIT WHEN t = prev;
  END LOOP;
  RETURN t;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_app_chrome(text) IS
'A text without what a maps app or an address finder put around the place when it was copied: share links, '
'"on Google Maps", the card''s category, rating and opening hours, its buttons ("Directions to", "Saved:", '
'"Website", "(Nearby)") and an address line''s "Greater London", "England", "UK"; a card''s first field is '
'always kept. May be empty (nothing but the app''s buttons).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_app_screen(norm text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. True when it is one of a maps or ride app's own screens, messages or buttons,
-- which say nothing of where (a location never fixed, a screen of the app, a prompt), pasted once or twice,
-- with the app's buttons before or after it.
DECLARE
  w text[] := string_to_array(norm, ' ');
  k integer := cardinality(w) / 2;
  n text := norm;
BEGIN
  IF k > 0 AND cardinality(w) % 2 = 0 AND w[1:k] = w[k + 1:2 * k] THEN   -- (pasted twice)
    n := array_to_string(w[1:k], ' ');
  END IF;
  n := regexp_replace(n, '^((save|saved|share|overview|nearby|start|website|labelled) )+(?=\S)', '');
  n := regexp_replace(n, '( (save|saved|share|start|directions|website|open|closed|call|nearby))+$', '');
  RETURN n = '' OR n ~ ('^(search|search here|search for (an? )?(address|place|pl|postcode)|search maps|choose (a )?destination|'
    'choose (a )?starting point|add (a )?stop|add (a )?(missing )?(place|pl)|add home|add work|set location|'
    'enter (your |a )?(postcode|address|destination)|download offline maps?|offline maps?|accept all cookies|'
    'reject all|manage cookies|send feedback|turn on (notifications|location|location services)|'
    'updated terms of service|terms of service|privacy policy|your trip receipt|trip receipt|your ride has arrived|'
    'your driver is arriving|traffic is (heavier|lighter) than usual|tap to load (the )?map|loading map|'
    'waiting for (your )?location|waiting for gps|searching for (gps|gps signal|signal)|no gps signal|'
    'gps signal lost|this link has expired|link expired|location not available|location unavailable|'
    'location services off|unnamed road|unnamed rd|dropped pin|your location|current location|my location|'
    'recently viewed|your places|your timeline|timeline|saved places|saved|labelled|explore|for you|updates|'
    'contribute|you|nearby|directions|navigate|route|share|website|open|closed|start|call|save|open in (the )?app|'
    'open (the )?app|get the app|sign in|log in|settings)$');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_app_screen(text) IS
'True for a normalised text that is one of a maps or ride app''s own screens, messages or buttons ("dropped '
'pin", "current location", "recently viewed", "choose destination", "your ride has arrived"): no place.';

-- A place column filled from several systems' fields carries their labels: "Postcode district SM1",
-- "CR4 (district)", "HA1 only", "Ward: Dollis Hill", "Kilburn ward", "LB of Southwark", "Bexley Council",
-- "Haringey (LB)", and outward codes padded to a fixed width ("TW01", "RM01"). The labels are no part of a
-- name ("District", "Bexley Lane", "The Brent Hub"); a ward or borough named beside a finer place (a
-- street, a postcode, a venue) only repeats where that place is.
CREATE OR REPLACE FUNCTION safestats_internal.geocode_is_code_word(w text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: a normalised word. True when it has the shape of a postcode's outward code (one or two letters,
  -- a digit, then a digit or letter): "se1", "ec1a", "rm01". Tested without a regular expression.
  SELECT length(w) BETWEEN 2 AND 4 AND left(w, 1) BETWEEN 'a' AND 'z'
         AND (substr(w, 2, 1) BETWEEN '0' AND '9' OR (substr(w, 2, 1) BETWEEN 'a' AND 'z' AND substr(w, 3, 1) BETWEEN '0' AND '9'))
         AND translate(w, '0123456789abcdefghijklmnopqrstuvwxyz', '') = ''
$$;
COMMENT ON FUNCTION safestats_internal.geocode_is_code_word(text) IS
'True for a normalised word shaped like a postcode''s outward code ("se1", "ec1a", "rm01").';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_has_place_word(norm text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- True when a normalised text holds a word with a letter that is not non-place filler ("in",
  -- "outside", "pt states"): a word that may name a place.
  SELECT EXISTS (SELECT 1 FROM unnest(string_to_array(coalesce(norm, ''), ' ')) x
                 WHERE translate(x, '0123456789', '') <> '' AND coalesce(safestats_internal.geocode_nonplace_class(x), '') <> 'filler')
$$;
COMMENT ON FUNCTION safestats_internal.geocode_has_place_word(text) IS
'True when a normalised text holds a word with a letter other than non-place filler (a word that may name a place).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_word_runs(s text, n integer)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  -- s: a normalised text. Its runs of one to n consecutive words, to look names up by in the name index
  -- (gazetteer.feature.norm) instead of testing every name against the text.
  SELECT coalesce(array_agg(array_to_string(w[a:a + k - 1], ' ')), '{}')
  FROM (SELECT array_remove(string_to_array(s, ' '), '') AS w) x,
       generate_series(1, coalesce(cardinality(x.w), 0)) a, generate_series(1, n) k
  WHERE a + k - 1 <= cardinality(x.w)
$$;
COMMENT ON FUNCTION safestats_internal.geocode_word_runs(text, integer) IS
'The runs of one to n consecutive words of a normalised text: the names it could hold whole, to look up in '
'the name index.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_admin_labels(norm text, OUT text_out text,
                                                                       OUT borough text, OUT ward text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- norm: a normalised text. text_out: the text without the labels of other systems' fields:
--  * "postcode district" / "district" / "sector" / "postcode" before an outward code, "district", "sector",
--    "only" after one; an outward code padded with a zero ("tw01") read as the district it pads ("tw1")
--    where the gazetteer knows that district and neither the padded code nor its first part with the zero
--    ("ha0" of "ha02", a sector run together) is one;
--  * a borough's label ("lb of", "london borough of", "royal borough of", "lb", "rb" before its name,
--    "lbc", "council", "borough", "borough council", "lb" after it);
--  * a ward's label ("ward" before or after a ward's name);
--  * a category column's "... premises" (NHS, healthcare, retail, licensed ...) beside other place words;
--  * "branch not known" / "branch unk" after a chain.
-- A labelled borough or ward beside other words naming a place (a street, a venue, a postcode) is taken out
-- of the text and returned in borough / ward; alone it stays, the ward with "area" for its label ("kilburn
-- ward" -> "kilburn area": an area is meant).
DECLARE
  ws text[] := string_to_array(coalesce(norm, ''), ' ');
  out_ws text[] := '{}';
  w text;
  s text;
  b record;
  rest text;
BEGIN
  text_out := norm;
  -- outward codes: their labels and padding
  IF EXISTS (SELECT 1 FROM unnest(ws) x WHERE safestats_internal.geocode_is_code_word(x)) THEN
    FOR i IN 1 .. cardinality(ws) LOOP
      w := ws[i];
      CONTINUE WHEN w IN ('postcode', 'pc', 'district', 'sector') AND i < cardinality(ws)
                    AND (safestats_internal.geocode_is_code_word(ws[i + 1]) OR ws[i + 1] IN ('district', 'sector'));
      CONTINUE WHEN w IN ('district', 'sector', 'only', 'postcode') AND i > 1
                    AND (safestats_internal.geocode_is_code_word(ws[i - 1])
                         OR (i > 2 AND ws[i - 1] BETWEEN '0' AND '9' AND length(ws[i - 1]) = 1
                             AND safestats_internal.geocode_is_code_word(ws[i - 2])));
      IF safestats_internal.geocode_is_code_word(w) AND length(w) >= 3
         AND substr(w, length(w) - 1, 1) = '0' AND right(w, 1) BETWEEN '1' AND '9'
         AND NOT EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'district' AND f.norm IN (w, left(w, -1)))
         AND EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.level = 'district' AND f.norm = left(w, -2) || right(w, 1)) THEN
        w := left(w, -2) || right(w, 1);
      END IF;
      out_ws := out_ws || w;
    END LOOP;
    ws := out_ws;
  END IF;
  s := ' ' || array_to_string(ws, ' ') || ' ';
  -- a chain's branch not known ("Leon (branch not known)", "LIDL - BRANCH UNK"): the chain is still named
  IF ws && '{branch}'::text[] THEN
    FOREACH w IN ARRAY '{branch not known,branch unknown,branch unk,branch nk,branch not stated}'::text[] LOOP
      s := replace(s, ' ' || w || ' ', ' ');
    END LOOP;
  END IF;
  -- a category column's value beside the place ("NHS premises / Kingston Hospital", "Waitrose, Retail premises")
  IF ws && '{premises}'::text[] THEN
    rest := s;
    FOREACH w IN ARRAY '{nhs,healthcare,retail,licensed,commercial,business,hosp,food}'::text[] LOOP
      rest := replace(rest, ' ' || w || ' premises ', ' ');
    END LOOP;
    IF rest <> s AND safestats_internal.geocode_has_place_word(rest) THEN
      s := rest;
    END IF;
  END IF;
  -- a borough and its label
  -- (not the council's own buildings and homes: "bexley council offices", "a council estate")
  IF ws && '{lb,lbc,council,borough,rb,rbc}'::text[]
     AND NOT s LIKE ANY ('{% council offices %,% council office %,% council building %,% council depot %,'
                         '% council estate %,% council flats %,% council housing %,% council house %}'::text[]) THEN
    -- (a borough's name is a run of one to four of the words: looked up in the name index, not a scan
    -- of every feature for the level's few rows)
    SELECT f.norm INTO b FROM gazetteer.feature f
    WHERE f.norm = ANY (safestats_internal.geocode_word_runs(s, 4))
      AND f.level = 'borough' AND f.active AND strpos(s, ' ' || f.norm || ' ') > 0
    ORDER BY length(f.norm) DESC, f.feature_id LIMIT 1;
    IF b.norm IS NOT NULL THEN
      rest := s;
      FOREACH w IN ARRAY '{london borough of,royal borough of,borough of,lb of,lb,rb}'::text[] LOOP
        rest := replace(rest, ' ' || w || ' ' || b.norm || ' ', ' ' || b.norm || ' ');
      END LOOP;
      FOREACH w IN ARRAY '{borough council,london borough,council,lbc,rbc,borough,lb}'::text[] LOOP
        rest := replace(rest, ' ' || b.norm || ' ' || w || ' ', ' ' || b.norm || ' ');
      END LOOP;
      IF rest <> s THEN
        borough := b.norm;
        s := rest;
        -- beside other words naming a place, the borough only repeats where it is
        rest := replace(s, ' ' || b.norm || ' ', ' ');
        IF safestats_internal.geocode_has_place_word(rest) THEN
          s := rest;
        END IF;
      END IF;
    END IF;
  END IF;
  -- a ward and its label
  -- (not a hospital's ward: "riverside ward 3", "st anns ward" where St Ann's is a hospital)
  IF strpos(s, ' ward ') > 0 AND NOT ws && '{hosp,ae,ed,utc,bed,bay}'::text[] THEN
    SELECT f.norm INTO b FROM gazetteer.feature f
    WHERE f.norm = ANY (safestats_internal.geocode_word_runs(s, 5))
      AND f.level = 'area' AND f.active
      AND (strpos(s, ' ward ' || f.norm || ' ') > 0
           OR (strpos(s, ' ' || f.norm || ' ward ') > 0
               AND left(split_part(s, ' ' || f.norm || ' ward ', 2), 1) NOT BETWEEN '0' AND '9'))
      AND NOT EXISTS (SELECT 1 FROM gazetteer.feature h
                      WHERE h.kind IN ('hospital', 'ae_site') AND h.active AND h.norm IN (f.norm, f.norm || ' hosp'))
    ORDER BY length(f.norm) DESC, f.feature_id LIMIT 1;
    IF b.norm IS NOT NULL THEN
      ward := b.norm;
      rest := replace(replace(s, ' ward ' || b.norm || ' ', ' '), ' ' || b.norm || ' ward ', ' ');
      IF safestats_internal.geocode_has_place_word(rest) THEN
        s := rest;
      ELSE
        s := ' ' || b.norm || ' area ';
      END IF;
    END IF;
  END IF;
  text_out := array_to_string(array_remove(string_to_array(btrim(s), ' '), ''), ' ');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_admin_labels(text) IS
'A normalised text without the labels of other systems'' fields: "postcode district" and "(district)" / '
'"only" around an outward code, a zero padding one ("tw01" -> "tw1"), a borough''s ("lb of X", "X council", "X '
'lbc") and a ward''s ("ward: X", "X ward") labels, a category''s "NHS / retail / licensed premises" and a '
'chain''s "branch not known" beside a place. A labelled borough or ward beside other place words is taken '
'out (returned in borough / ward); a ward alone becomes "X area".';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_repair_export(raw text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- raw: a location as it comes out of a spreadsheet or CSV export. The text as it was typed, where the export
-- damaged it: UTF-8 read as Windows-1252 and saved again ("Kingâ€™s Cross", "CafÃ© Rouge"), an apostrophe
-- exported as "?" ("King?s Cross"), Excel's line break kept as "_x000D_", HTML's "&amp;". Each step runs
-- only where a cheap test finds what it mends.
DECLARE
  v text := raw;
BEGIN
  IF strpos(v, 'Ã') > 0 OR strpos(v, 'â€') > 0 OR strpos(v, 'Â') > 0 THEN
    BEGIN
      v := convert_from(convert_to(v, 'WIN1252'), 'UTF8');
    EXCEPTION WHEN OTHERS THEN
      -- (not the whole text damaged: the usual pieces one by one)
      v := replace(replace(replace(replace(replace(v, 'â€™', ''''), 'â€˜', ''''), 'â€“', '-'), 'â€”', '-'), 'Ã©', 'é');
    END;
  END IF;
  IF strpos(v, '?s') > 0 THEN
    v := regexp_replace(v, '([A-Za-z])\?([sS])\M', '\1''\2', 'g');
  END IF;
  IF strpos(v, '_x00') > 0 THEN
    v := regexp_replace(v, '_x00[0-9A-Fa-f]{2}_', ' ', 'g');
  END IF;
  IF strpos(v, '&amp;') > 0 OR strpos(v, '&#39;') > 0 THEN
    v := replace(replace(v, '&amp;', '&'), '&#39;', '''');
  END IF;
  RETURN v;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_repair_export(text) IS
'A location text as typed, where a spreadsheet or CSV export damaged it: UTF-8 read as Windows-1252 '
'("Kingâ€™s Cross", "CafÃ© Rouge"), an apostrophe exported as "?" ("King?s"), Excel''s "_x000D_", "&amp;".';
