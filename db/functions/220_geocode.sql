-- Confidence-rated geocoding of free-text incident locations ("o/s wetherspoons clapham high st",
-- "junction of Coldharbour Lane and Atlantic Rd", "sw2 1", "HOME", "n/k").
--
-- One engine, in the database. The steps, each recorded in `explain`:
--   1. alias table (analysts' review decisions) — exact text (and site) wins outright;
--   2. stated-unknown text -> none; home words -> home (a point only when a postcode is given);
--   3. postcodes: full (exact lookup), sector, district — kept as context and as the fallback;
--   4. junctions ("A / B", "junction of A and B", "corner of A & B"): where the two streets' point
--      extents come closest;
--   5. names: candidate features found word by word (exact words, then trigram-similar words for
--      typos, then words one or two edits away for a short typo no trigram matches), scored by how much of the feature's name the text contains, with bonuses for a
--      matching street or postcode district (chains: "tesco rye lane"), the station cue, and a
--      small prior towards the reporting A&E site;
--   6. the best answer's score is turned into a calibrated confidence (gazetteer.calibration);
--      near-equal far-apart namesakes make the answer ambiguous (wider radius, lower confidence).
-- Untrusted text is only ever a value here: it is never turned into SQL.

-- Loads pg_trgm in this session (nothing else), so geocode_candidates below may set its
-- similarity threshold: an extension's setting exists only once the extension is loaded.
SELECT show_limit();

CREATE OR REPLACE FUNCTION safestats_internal.geocode_risk_factor(p_key text)
RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Used only where the calibration has no bin for a key variant: shrink for each known risk.
  SELECT (CASE WHEN p_key LIKE '% ambiguous%' OR (p_key LIKE '% chain%' AND p_key NOT LIKE '% context%') THEN 0.5
               WHEN p_key LIKE '% namesake%' THEN 0.8 ELSE 1 END
          * CASE WHEN p_key LIKE '% partial%' THEN 0.8 ELSE 1 END
          * CASE WHEN p_key LIKE '% far%' THEN 0.8 WHEN p_key LIKE '% away%' THEN 0.9 ELSE 1 END
          * CASE WHEN p_key LIKE '% not-station%' THEN 0.6 ELSE 1 END
          * CASE WHEN p_key LIKE '% area-name%' THEN 0.8 ELSE 1 END
          * CASE WHEN p_key LIKE '% off-district%' THEN 0.8 ELSE 1 END)::real
$$;
COMMENT ON FUNCTION safestats_internal.geocode_risk_factor(text) IS
'Shrink factor for a calibration key variant that has no fitted bin (ambiguous 0.5, namesake 0.8, partial 0.8, '
'far from the reporting A&E site 0.8 (3–5 km away 0.9), a station asked for and something else answered 0.6, a place bearing an '
'area''s or borough''s name 0.8, outside the postcode district the text gives 0.8).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_confidence_cap(p_key text)
RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Confidence 0.8 and above is kept for precise, unambiguous answers. A coarse answer (a postcode
  -- sector or district, an area, a borough) or an ambiguous one may be calibrated higher for the
  -- radius it states, yet an analyst filtering on "confidence >= 0.8" wants points, not districts or
  -- a pick between namesakes: these are capped at 0.75 (which errs on the cautious side). So is a
  -- venue or street bearing an area's name ("in peckham rye"): the text may mean the area.
  -- Also capped: a place found by its name alone (no street words or district confirming it) that
  -- carries a sign of a same-named place elsewhere: a venue 3 km or more from the reporting A&E or
  -- with words of the text left unexplained, a street over 5 km away. Such answers are usually
  -- right to within their radius, but when wrong they are kilometres off (11–19% of them on the
  -- evaluation sets, against 1–2% for the same levels without those signs). And a venue or street
  -- outside the postcode district the text itself gives, and a postcode over 1 km from a place the text names.
  SELECT CASE WHEN split_part(p_key, ' ', 1) IN ('sector', 'district', 'area', 'borough')
                OR p_key LIKE '% ambiguous%' OR p_key LIKE '% area-name%' OR p_key LIKE '% off-district%'
                -- a postcode the text's own named place contradicts (over 1 km from it)
                OR p_key LIKE '% conflict%'
                -- a chain's branch picked in the reporting site's catchment, however many remain there
                OR (p_key LIKE '% chain%' AND p_key NOT LIKE '% context%')
                OR (p_key NOT LIKE '% context%'
                    AND ((split_part(p_key, ' ', 1) = 'venue'
                          AND (p_key LIKE '% far%' OR p_key LIKE '% partial%'))
                         OR (split_part(p_key, ' ', 1) = 'street' AND p_key LIKE '% far%')))
              THEN 0.75 ELSE 1 END::real
$$;
COMMENT ON FUNCTION safestats_internal.geocode_confidence_cap(text) IS
'Highest confidence an answer with this calibration key may state: 0.75 for coarse (sector, district, area, '
'borough) and ambiguous answers, for a venue or street bearing an area''s name, and for a name found without '
'confirming street words or district that shows a sign of a namesake elsewhere (a venue 3 km or more from the '
'reporting A&E or with words of the text unexplained; a street over 5 km away), or that lies outside the '
'postcode district the text gives, and for a postcode over 1 km from a place the text names: confidence >= 0.8 means a '
'precise answer that is rarely kilometres off.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_confidence(p_key text, p_score real)
RETURNS real
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- p_key: the answer level, optionally followed by ' partial', ' context', ' namesake' (far-apart places
-- of the same name, resolved by the A&E site prior) or ' ambiguous' (not resolved), and ' far' (over
-- 5 km from the reporting A&E site) or ' away' (3–5 km).
DECLARE
  v real;
BEGIN
  SELECT c.confidence INTO v FROM gazetteer.calibration c
  WHERE c.level = p_key AND c.score_lo <= p_score ORDER BY c.score_lo DESC LIMIT 1;
  IF FOUND THEN RETURN least(v, safestats_internal.geocode_confidence_cap(p_key)); END IF;
  -- No bin for the variant: the level's own, halved for a namesake risk.
  SELECT c.confidence INTO v FROM gazetteer.calibration c
  WHERE c.level = split_part(p_key, ' ', 1) AND c.score_lo <= p_score ORDER BY c.score_lo DESC LIMIT 1;
  IF FOUND THEN
    RETURN least(v * safestats_internal.geocode_risk_factor(p_key), safestats_internal.geocode_confidence_cap(p_key));
  END IF;
  -- Not yet calibrated: the raw score, shrunk (an honest "we do not know how good this is").
  RETURN least(p_score * 0.7 * safestats_internal.geocode_risk_factor(p_key), safestats_internal.geocode_confidence_cap(p_key));
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_confidence(text, real) IS
'Calibrated confidence (probability the true place lies within the stated radius) of an answer with a '
'calibration key (level, or level + namesake / ambiguous) and a match score, read from gazetteer.calibration.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_export_category(raw text, OUT category text, OUT rest text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
-- raw: a location as a record system exports it for ISTV: a drop-down category, perhaps with its code,
-- glued to the free text ("Street/Road - brixton rd", "11 Hospital | waiting area | NK",
-- "Other; st mary's; NULL"). category: that category in lower case (the first, when repeated), NULL
-- when the text does not start with one; rest: the free text with HTML entities decoded, CSV quotes,
-- placeholders (NK, N/A, NULL, "-", "street not known") and field separators gone. Without a category
-- the text is returned untouched.
DECLARE
  m text[];
  v text := coalesce(raw, '');
BEGIN
  rest := raw;
  -- (a first word of a category, tested without a regular expression:
  -- the geocoder's calls use more patterns than PostgreSQL keeps compiled, and most texts are no export)
  IF split_part(translate(lower(ltrim(v, ' "0123456789')), '/-|;:,', '      '), ' ', 1) <> ALL
        ('{street,road,retail,food,cafe,restaurant,public,transport,hospital,healthcare,private,other,'
         'dwelling,educational,education,sports,leisure,shop,licensed,prison,place,workplace,park,open,'
         'fast,outdoors,commercial,nhs,'
         -- an older system's category codes ("RES -", "OTH -", "COMM PREM -", "ST/RD -", "N/A -")
         'res,dom,misc,oth,health,hosp,comm,rly,st,rest,pub,n}'::text[]) THEN
    RETURN;
  END IF;

  IF v ~* '&(#x?[0-9a-f]+|amp|quot|apos);' THEN
    v := regexp_replace(v, '&(#39|#x27|apos);', '''', 'gi');
    v := regexp_replace(v, '&(#34|#x22|quot);', '"', 'gi');
    v := regexp_replace(v, '&amp;', '&', 'gi');
  END IF;
  v := btrim(regexp_replace(v, '"{2,}', '"', 'g'), ' "');
  LOOP
    m := regexp_match(v, '^\s*(?:[0-9]{1,2}\s+)?(street/road|street or highway|street|road|retail/shop|other/unspecified|other public place|public place|fast food outlet|outdoors|commercial premises|commercial|healthcare premises|nhs premises|retail premises|food outlet|cafe/takeaway|restaurant/takeaway|public park or open space|public house, bar or nightclub|public house/bar/nightclub|public transport|transport facility|transport|hospital|healthcare facility|private dwelling|other dwelling|dwelling|educational establishment|education|sports/leisure|sports venue|leisure|shop/retail|shop|retail|licensed premises|prison|place of work|workplace|park/open space|open space|other specified location|other|public pl|comm prem|rest/t-away|pub/club|st/rd|res|dom|misc|oth|health|hosp|rly|st|n/a)\s*(?:-+|\||;|:|,|$)\s*(.*)$', 'i');
    EXIT WHEN m IS NULL OR (category IS NOT NULL AND m[2] = v);
    -- (an older system's codes read as the category they stand for; "N/A" is no category)
    category := coalesce(category, CASE lower(m[1])
                  WHEN 'res' THEN 'dwelling' WHEN 'dom' THEN 'dwelling' WHEN 'misc' THEN 'other'
                  WHEN 'oth' THEN 'other' WHEN 'public pl' THEN 'public place' WHEN 'comm prem' THEN 'retail premises'
                  WHEN 'health' THEN 'hospital' WHEN 'hosp' THEN 'hospital' WHEN 'rly' THEN 'transport'
                  WHEN 'st' THEN 'street/road' WHEN 'st/rd' THEN 'street/road'
                  WHEN 'rest/t-away' THEN 'restaurant/takeaway' WHEN 'pub/club' THEN 'licensed premises'
                  WHEN 'retail/shop' THEN 'shop/retail' WHEN 'other/unspecified' THEN 'other'
                  WHEN 'other public place' THEN 'public place' WHEN 'fast food outlet' THEN 'food outlet'
                  WHEN 'commercial premises' THEN 'retail premises' WHEN 'commercial' THEN 'retail premises'
                  WHEN 'healthcare premises' THEN 'healthcare facility' WHEN 'nhs premises' THEN 'healthcare facility'
                  WHEN 'n/a' THEN NULL ELSE lower(m[1]) END);
    v := m[2];
  END LOOP;
  -- placeholders between separators, then the separators themselves
  v := regexp_replace(v, '(^|-+|\||;|:|,)\s*(nk|n/k|n/a|na|null|none|not known|unknown|street not known|exact place (nk|not known|unknown)|not recorded|-+)\s*(?=(-+|\||;|:|,|$))', '\1', 'gi');
  rest := btrim(regexp_replace(v, '\s*(\s-+\s|\s-+$|^-+\s|\||;|--+)\s*', ' , ', 'g'), ' ,-:;|');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_export_category(text) IS
'A location as a record system exports it ("Street/Road - brixton rd", "11 Hospital | waiting area | NK"): the '
'leading drop-down category (NULL when there is none) and the free text without HTML entities, CSV quotes, '
'placeholders (NK, N/A, NULL, "-") and field separators.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_known_piece(w text)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- A half of a run-together word that stands on its own: a short function word, a word of the
-- non-place vocabulary or filler ("nans", "tonight"), or a gazetteer word (four letters or more in
-- any name, as written or normalised: "lane" is the gazetteer's "ln"; three letters in three names or more).
-- PL/pgSQL, so the look-ups' plans are kept for the session: as a SQL function (not inlined, for its
-- sub-queries) its body was parsed and planned on every call, 0.16 ms each, several calls per text.
BEGIN
  RETURN w = ANY ('{in,on,at,by,my,of,to,the,out,and,near,here,from}'::text[])
      OR (length(w) >= 3 AND safestats_internal.geocode_nonplace_class(w) IS NOT NULL)
      -- (a word of letters only normalises to its folded form: no call of geocode_normalise for it)
      OR (length(w) >= 4 AND EXISTS (SELECT 1 FROM gazetteer.word x
                                     WHERE x.word IN (w, CASE
                                       WHEN translate(w, 'abcdefghijklmnopqrstuvwxyz', '') <> ''
                                         THEN safestats_internal.geocode_normalise(w)
                                       ELSE safestats_internal.geocode_normalise_word(w) END)))
      OR (length(w) = 3 AND EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w AND x.freq >= 3));
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_known_piece(text) IS
'True when a piece of a run-together word is a word of its own: a short function word, non-place '
'vocabulary or filler, or a gazetteer word (four letters or more; three letters in three names or more).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_split_joined(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
  -- norm: a normalised text. Words typed without the space between them ("westcroydon", "inthe",
  -- "myflat", "andwelling") split in two where the word itself is unknown to the gazetteer and both
  -- halves are known (safestats_internal.geocode_known_piece), and it is not one edit from a common
  -- gazetteer word (a typo). Of several splits, the one with the longest half. The cheap tests come
  -- first: most words of most texts are known, and only an unknown word is tried at each split point.
DECLARE
  ws text[] := string_to_array(norm, ' ');
  w text;
  v_split text;
  changed boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    w := ws[i];
    -- vocabulary and cue words are words ("somewhere", "outside")
    CONTINUE WHEN length(w) < 5 OR translate(w, 'abcdefghijklmnopqrstuvwxyz', '') <> ''
      OR w = ANY ('{outside,inside,opposite,junction,crossroads,between,nearby,anywhere,everywhere,underneath,towards,without,whereabouts,behind,corner}'::text[])
      -- the rooms and parts of a home ("bedroom" is no "bed room": the home rule reads it whole)
      OR w = ANY ('{bedroom,bathroom,hallway,doorstep,kitchen,balcony,driveway,landing,indoors,upstairs,downstairs}'::text[])
      OR safestats_internal.geocode_nonplace_class(w) IS NOT NULL
      OR safestats_internal.geocode_is_generic_word(w)
      -- "hospital" mistyped ("hopsital" is no "hops ital"): read as hosp further on
      OR (left(w, 1) = 'h' AND length(w) BETWEEN 6 AND 10 AND levenshtein_less_equal(w, 'hospital', 2) <= 2);
    CONTINUE WHEN EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w);
    -- a typo of a known word ("brixtom") is left for the typo search, not split
    CONTINUE WHEN EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word % w AND x.freq >= 3
                            AND levenshtein_less_equal(x.word, w, 1) <= 1);
    SELECT safestats_internal.geocode_normalise(left(w, k) || ' ' || substr(w, k + 1)) INTO v_split
    FROM generate_series(2, length(w) - 2) k
    -- (a street type or other generic word as the second half, "brixtonrd", or before a function word,
    -- "laneand"; "grdon" is no "gr don")
    -- (a half is letters only, so its normalised form is geocode_normalise_word's, worked out inline: a
    -- call of geocode_normalise per half was most of this statement's time)
    WHERE (safestats_internal.geocode_known_piece(left(w, k))
           AND (safestats_internal.geocode_known_piece(substr(w, k + 1))
                OR safestats_internal.geocode_is_generic_word(
                     safestats_internal.geocode_normalise_word(substr(w, k + 1)))))
       OR (safestats_internal.geocode_is_generic_word(safestats_internal.geocode_normalise_word(left(w, k)))
           AND substr(w, k + 1) = ANY ('{in,on,at,by,of,to,and,near,from}'::text[]))
    ORDER BY greatest(k, length(w) - k) DESC, k
    LIMIT 1;
    IF v_split IS NOT NULL THEN
      ws[i] := v_split;
      changed := true;
    END IF;
  END LOOP;
  RETURN CASE WHEN changed THEN array_to_string(ws, ' ') ELSE norm END;
END
$$;
COMMENT ON FUNCTION safestats_internal.geocode_split_joined(text) IS
'The normalised text with run-together words split ("westcroydon" → west croydon, "inthe" → in the, '
'"myflat" → my flat): only words the gazetteer does not know, only into two halves that are words of their '
'own (safestats_internal.geocode_known_piece); never a word one edit from a common gazetteer word (a typo).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_said_house_number(norm text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. A house number said in words after "number" / "no" ("outside number
-- seventeen", "no forty two") written in digits, so it is read as a house number and not as the name of
-- a place called "Seventeen"; said digit by digit ("number one one nine") too. Numbers elsewhere stay words
-- ("seven sisters", "three tuns").
DECLARE
  ws text[] := string_to_array(norm, ' ');
  out text[] := '{}';
  i int := 1;
  v int;
  u int;
  units text[] := '{one,two,three,four,five,six,seven,eight,nine,ten,eleven,twelve,thirteen,fourteen,fifteen,
                    sixteen,seventeen,eighteen,nineteen}';
  tens text[] := '{ten,twenty,thirty,forty,fifty,sixty,seventy,eighty,ninety}';
BEGIN
  WHILE i <= coalesce(cardinality(ws), 0) LOOP
    out := out || ws[i];
    IF ws[i] IN ('number', 'no') AND i < cardinality(ws) THEN
      v := coalesce(array_position(units, ws[i + 1]), 10 * array_position(tens, ws[i + 1]));
      IF v IS NOT NULL THEN
        u := array_position(units, ws[i + 2]);
        IF v >= 20 AND u BETWEEN 1 AND 9 THEN     -- "forty two"
          v := v + u;
          i := i + 1;
        END IF;
        -- said digit by digit: "one one nine" is 119, "three two" 32 (at most three digits)
        IF v < 10 THEN
          WHILE v < 100 AND (array_position(units, ws[i + 2]) BETWEEN 1 AND 9 OR ws[i + 2] IN ('zero', 'oh', 'nought')) LOOP
            v := 10 * v + coalesce(array_position(units, ws[i + 2]), 0);
            i := i + 1;
          END LOOP;
        END IF;
        out := out || v::text;
        i := i + 2;
        CONTINUE;
      END IF;
    END IF;
    i := i + 1;
  END LOOP;
  RETURN array_to_string(out, ' ');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_said_house_number(text) IS
'The normalised text with a house number said in words after "number" / "no" written in digits ("outside '
'number seventeen" -> "outside number 17"); other number words are left as they are.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_turned_name(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. A street, park or green named with its type word first, in another
-- language's order ("rd of lea valley", "ln of king william", "way manor", "pk of burgess", "st of
-- perry"), put back in English order where the gazetteer knows the name so ("lea valley rd"). The type
-- word opens the text or follows a word that opens a place ("at", "on", "&", a house number ...), so a
-- name's own words stay ("old kent rd"); "st" is turned only before "of" ("st johns rd" is Saint
-- John's). Two words after the type word are tried before one. The first such name found is turned.
DECLARE
  types constant text[] := '{rd,st,ln,ave,way,pk,gdns,cres,ter,cl,dr,gr,pl,sq,hill,grn,common}';
  ws text[] := string_to_array(norm, ' ');
  n int := coalesce(cardinality(string_to_array(norm, ' ')), 0);
  j int;
  cand text;
BEGIN
  FOR i IN 1 .. n - 1 LOOP
    CONTINUE WHEN NOT ws[i] = ANY (types);
    CONTINUE WHEN i > 1 AND NOT left(ws[i - 1], 1) BETWEEN '0' AND '9'
      AND NOT ws[i - 1] = ANY ('{of,on,in,at,os,nr,opp,by,&,from,behind,near,to,number,no,side,front,corner,end}'::text[]);
    j := i + 1;
    IF ws[j] = 'of' THEN
      j := j + 1;
    ELSIF ws[i] = 'st' THEN
      CONTINUE;
    END IF;
    CONTINUE WHEN j > n OR left(ws[j], 1) BETWEEN '0' AND '9';
    FOR k IN REVERSE least(j + 1, n) .. j LOOP
      -- (not when a type word follows: "in the road farm cl" names Farm Close)
      CONTINUE WHEN ws[k + 1] = ANY (types);
      cand := array_to_string(ws[j:k], ' ') || ' ' || ws[i];
      IF EXISTS (SELECT 1 FROM gazetteer.feature f WHERE f.norm = cand AND f.active
                   AND f.level IN ('street', 'venue', 'area')) THEN
        RETURN array_to_string(ws[1:i - 1] || string_to_array(cand, ' ') || ws[k + 1:n], ' ');
      END IF;
    END LOOP;
  END LOOP;
  RETURN norm;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_turned_name(text) IS
'A normalised text with a street, park or green named type word first ("rd of lea valley", "way manor", "pk '
'of burgess") put in English order where the gazetteer knows that name ("lea valley rd"); otherwise unchanged.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_spoken_postcode(norm text)
RETURNS TABLE (spoken text, written text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- norm: a normalised text. A postcode, sector or district said rather than typed, as speech recognition
-- writes it ("s e fifteen four q f", "c r oh four x s", "south east fifteen", "i g eleven", "w one t"):
-- letters one by one, numbers as words, "oh" for zero, "double", compass words for the area letters.
-- Each run of such pieces (single letters, one- or two-letter words, numbers, short letter-and-digit
-- tokens) is read at every span, and a span is taken only where the gazetteer knows what it spells: a
-- postcode unit first, then the longest span, then a district before a sector (said digit by digit,
-- "r m one two" is RM12 more often than RM1 2). A district or sector must be said: a number word in it, or
-- its letters one by one ("e n 5"). spoken: the words replaced; written: what they spell
-- in the written form the postcode step reads ("se15 4qf", "se15 6", "se15"). No row when nothing is.
DECLARE
  ws text[] := string_to_array(norm, ' ');
  u text[] := '{}';          -- each word as the piece it says ('' for a word that is none)
  pos0 int[] := '{}';        -- the first and last word each piece came from
  pos int[] := '{}';
  cands text[] := '{}';      -- spans: pieces joined
  spans int[] := '{}';       -- ... and where they start and end, two entries per span
  unit_ok boolean[] := '{}'; -- ... and whether the last three characters start a piece (an inward code
                             -- does: "r m thirteen he" is no RM1 3HE)
  cut int[];
  said boolean[] := '{}';    -- a piece said as a number word (a unit digit may follow a tens word)
  spoke boolean[] := '{}';   -- a piece said as a word (a number, "oh", a compass point)
  spoken_span boolean[] := '{}';  -- a span holding such a piece: only those may be a district or sector
                                  -- ("w/ 2 officers" is no W2)
  w text; m text; i int; j int; tens boolean; dbl int;   -- dbl: where a "double" was said
  as_word boolean; any_word boolean;
  r record;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    w := ws[i];
    IF w = 'double' THEN dbl := i; CONTINUE; END IF;
    m := CASE w WHEN 'zero' THEN '0' WHEN 'oh' THEN '0' WHEN 'nought' THEN '0' WHEN 'o' THEN '0'
      WHEN 'one' THEN '1' WHEN 'two' THEN '2' WHEN 'three' THEN '3' WHEN 'four' THEN '4' WHEN 'five' THEN '5'
      WHEN 'six' THEN '6' WHEN 'seven' THEN '7' WHEN 'eight' THEN '8' WHEN 'nine' THEN '9' WHEN 'ten' THEN '10'
      WHEN 'eleven' THEN '11' WHEN 'twelve' THEN '12' WHEN 'thirteen' THEN '13' WHEN 'fourteen' THEN '14'
      WHEN 'fifteen' THEN '15' WHEN 'sixteen' THEN '16' WHEN 'seventeen' THEN '17' WHEN 'eighteen' THEN '18'
      WHEN 'nineteen' THEN '19' WHEN 'twenty' THEN '20' WHEN 'thirty' THEN '30' WHEN 'forty' THEN '40'
      WHEN 'fifty' THEN '50' WHEN 'sixty' THEN '60' WHEN 'seventy' THEN '70' WHEN 'eighty' THEN '80'
      WHEN 'ninety' THEN '90' WHEN 'north' THEN 'n' WHEN 'south' THEN 's' WHEN 'east' THEN 'e'
      WHEN 'west' THEN 'w' WHEN 'central' THEN 'c' ELSE NULL END;
    tens := coalesce(m IN ('20', '30', '40', '50', '60', '70', '80', '90'), false);
    as_word := m IS NOT NULL;
    IF m IS NOT NULL AND length(m) = 1 AND m BETWEEN '1' AND '9' AND cardinality(u) > 0 AND said[cardinality(u)]
       AND u[cardinality(u)] IN ('20', '30', '40', '50', '60', '70', '80', '90') AND pos[cardinality(u)] = i - 1 THEN
      u[cardinality(u)] := left(u[cardinality(u)], 1) || m;    -- "twenty five"
      pos[cardinality(u)] := i;
      said[cardinality(u)] := false;
      CONTINUE;
    END IF;
    IF m IS NULL THEN
      -- a piece as written: a letter or two, digits, or a short mix of both ("ha5", "1se", "sw15")
      IF length(w) <= 4 AND translate(w, 'abcdefghijklmnopqrstuvwxyz0123456789', '') = ''
         AND (length(w) <= 2 OR translate(w, '0123456789', '') <> w) THEN
        m := w;
      ELSE
        m := '';
      END IF;
    END IF;
    IF dbl = i - 1 AND m <> '' THEN m := m || m; ELSE dbl := NULL; END IF;   -- "double one"
    u := u || m; pos0 := pos0 || coalesce(dbl, i); pos := pos || i; said := said || tens;
    spoke := spoke || (as_word OR dbl IS NOT NULL);
    dbl := NULL;
  END LOOP;
  -- every span of two to eight pieces inside a run (no gap), starting with a letter
  FOR i IN 1 .. cardinality(u) LOOP
    CONTINUE WHEN u[i] = '' OR NOT left(u[i], 1) BETWEEN 'a' AND 'z';
    m := u[i];
    cut := ARRAY[length(m)];
    -- (letters said one by one, "u b 7 0", "e n 5", are as said as a number word is)
    any_word := spoke[i] OR (length(u[i]) = 1 AND i < cardinality(u) AND length(u[i + 1]) = 1
                             AND u[i + 1] BETWEEN 'a' AND 'z' AND pos0[i + 1] = pos[i] + 1);
    FOR j IN i + 1 .. least(cardinality(u), i + 7) LOOP
      EXIT WHEN u[j] = '' OR pos0[j] <> pos[j - 1] + 1;
      m := m || u[j];
      cands := cands || m;
      spans := spans || i || j;
      unit_ok := unit_ok || (length(m) - 3 = ANY (cut));
      any_word := any_word OR spoke[j];
      spoken_span := spoken_span || any_word;
      cut := cut || length(m);
    END LOOP;
  END LOOP;
  IF cardinality(cands) = 0 THEN RETURN; END IF;
  SELECT x.kind, x.written, x.k INTO r FROM (
    SELECT 1 AS rank_kind, lower(p.display) AS written, c.k::int
    FROM unnest(cands) WITH ORDINALITY AS c(s, k) JOIN gazetteer.postcode p ON p.postcode = upper(c.s)
    WHERE unit_ok[c.k::int]
    UNION ALL
    SELECT 2, f.norm, c.k::int FROM unnest(cands) WITH ORDINALITY AS c(s, k)
    JOIN gazetteer.feature f ON f.norm = c.s AND f.level = 'district'
    WHERE spoken_span[c.k::int]
    UNION ALL
    -- a sector: the span's last piece a single digit, the pieces before it the district
    SELECT 3, f.norm, c.k::int FROM unnest(cands) WITH ORDINALITY AS c(s, k)
    JOIN gazetteer.feature f ON f.norm = left(c.s, -1) || ' ' || right(c.s, 1) AND f.level = 'sector'
    WHERE length(u[spans[2 * c.k::int]]) = 1 AND u[spans[2 * c.k::int]] BETWEEN '0' AND '9' AND spoken_span[c.k::int]
  ) x(kind, written, k)
  ORDER BY x.kind = 1 DESC, spans[2 * x.k] - spans[2 * x.k - 1] DESC, x.kind, x.k
  LIMIT 1;
  IF NOT FOUND THEN RETURN; END IF;
  -- the words the span covers, as they stand in the text
  i := pos0[spans[2 * r.k - 1]];
  j := pos[spans[2 * r.k]];
  spoken := array_to_string(ws[i:j], ' ');
  written := r.written;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_spoken_postcode(text) IS
'A postcode, sector or district said rather than typed ("s e fifteen four q f", "c r oh four x s", "south east '
'fifteen"), found in a normalised text: the words that say it and its written form ("se15 4qf"), taken only '
'where the gazetteer knows it (a unit first, then the longest span, a district before a sector); no row otherwise.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_brand_count(w text)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  -- w: a normalised word. How many active venues' names begin with it (through the name-word index).
  SELECT count(*) FROM gazetteer.feature f
  WHERE f.feature_id IN (SELECT fw.feature_id FROM gazetteer.feature_word fw WHERE fw.word = w AND fw.in_name)
    AND f.active AND f.level = 'venue' AND split_part(f.norm, ' ', 1) = w
$$;
COMMENT ON FUNCTION safestats_internal.geocode_brand_count(text) IS
'How many active venues'' names begin with a normalised word: a brand (a chain''s word) begins many.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_brand_form(w text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- w: a word of a text. The brand it names when said in the singular or the plural of the brand's own
-- form ("lidls", "aldis", "starbuck", "mcdonald", "gregg", "sainsbury", "morrison"): the form with an "s"
-- added or taken off (a "z" read as "s") that begins fifteen venue names or more, and four times as many
-- as the word as said, which the gazetteer holds at most twelve times. NULL otherwise ("john" of "st
-- johns" stays: a common word).
DECLARE
  v text;
  n bigint;
BEGIN
  IF length(w) < 3 OR translate(w, '0123456789&', '') <> w
     OR EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w AND x.freq > 12) THEN
    RETURN NULL;
  END IF;
  SELECT x.word INTO v FROM gazetteer.word x
  WHERE x.word IN (w || 's', CASE WHEN right(w, 1) IN ('s', 'z') THEN left(w, -1) END,
                   CASE WHEN right(w, 1) = 'z' THEN left(w, -1) || 's' END)
    AND x.freq >= 15
  ORDER BY x.freq DESC LIMIT 1;
  IF v IS NULL THEN RETURN NULL; END IF;
  n := safestats_internal.geocode_brand_count(v);
  IF n >= 15 AND n >= 4 * safestats_internal.geocode_brand_count(w) THEN RETURN v; END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_brand_form(text) IS
'The brand a word names when said in the other number ("lidls" -> lidl, "starbuck" -> starbucks): the form with '
'an s added or taken off that begins fifteen venue names or more and four times as many as the word, itself '
'rare in the gazetteer; NULL otherwise.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_text_chain(toks text[])
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  -- toks: the words a text is searched by. The first that is a chain's word (gazetteer.chain_word: "tesco",
  -- "dominos", "pret"; not "royal", "kings" or a place's name), read as its brand first when said in the
  -- other number ("sainsbury", "lidls": safestats_internal.geocode_brand_form).
  SELECT c.word
  FROM unnest(toks) WITH ORDINALITY AS t(tok, i)
  JOIN gazetteer.chain_word c
    ON c.word = CASE WHEN EXISTS (SELECT 1 FROM gazetteer.chain_word y WHERE y.word = t.tok) THEN t.tok
                     ELSE safestats_internal.geocode_brand_form(t.tok) END
  WHERE length(t.tok) >= 3
  ORDER BY t.i LIMIT 1
$$;
COMMENT ON FUNCTION safestats_internal.geocode_text_chain(text[]) IS
'The first of a text''s search words that is a chain''s word (gazetteer.chain_word: "tesco", "dominos", '
'"pret"; not "royal" or a place''s name), read as its brand when said in the other number; NULL when none is.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_brand_shorthand(norm text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. The text with a chain's name written in staff shorthand, its vowels left out
-- ("snsbrys", "mrrsns", "bdgns", "ldl", "tsco", "lndis"), read as the chain's word: a word of three
-- letters or more with at most one vowel, that no gazetteer name holds and that is no street type, cue
-- or non-place word, whose consonants in order and first letter are those of a brand word (one that
-- begins fifteen venue names or more; safestats_internal.geocode_brand_count), and which is shorter.
-- The most frequent such brand where several fit. The text as it was otherwise.
DECLARE
  ws text[] := string_to_array(norm, ' ');
  v text;
  p integer;
  fits boolean;
  changed boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    -- (three letters only with no vowel: "nis" is a misread "his", not Nisa)
    CONTINUE WHEN length(ws[i]) < 3 OR translate(ws[i], 'abcdefghijklmnopqrstuvwxyz', '') <> ''
      OR length(ws[i]) - length(translate(ws[i], 'aeiou', '')) > CASE WHEN length(ws[i]) = 3 THEN 0 ELSE 1 END
      OR safestats_internal.geocode_is_generic_word(ws[i])
      OR safestats_internal.geocode_nonplace_class(ws[i]) IS NOT NULL
      OR EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = ws[i]);
    FOR v IN SELECT x.word FROM gazetteer.word x
             WHERE x.freq >= 15 AND left(x.word, 1) = left(ws[i], 1) AND length(x.word) > length(ws[i])
               AND translate(x.word, 'aeiouy', '') = translate(ws[i], 'aeiouy', '')
               AND safestats_internal.geocode_brand_count(x.word) >= 15
             ORDER BY x.freq DESC, x.word LOOP
      -- the word's letters in the brand's, in order ("tnis" is no "tonys": its i is not there)
      p := 0;
      fits := true;
      FOR k IN 1 .. length(ws[i]) LOOP
        p := p + strpos(substr(v, p + 1), substr(ws[i], k, 1));
        IF strpos(substr(v, p), substr(ws[i], k, 1)) <> 1 THEN
          fits := false;
          EXIT;
        END IF;
      END LOOP;
      IF fits THEN
        ws[i] := v;
        changed := true;
        EXIT;
      END IF;
    END LOOP;
  END LOOP;
  RETURN CASE WHEN changed THEN array_to_string(ws, ' ') ELSE norm END;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_brand_shorthand(text) IS
'A normalised text with a chain''s name in staff shorthand, its vowels left out ("snsbrys", "mrrsns", "ldl"), '
'read as the chain''s word: an unknown word with at most one vowel whose first letter and consonants are a '
'brand''s (a word fifteen venue names or more begin with).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_hospital_initials(norm text, site geometry)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- norm: a normalised text; site: the reporting A&E site (may be NULL). The text with a hospital written
-- as its initials ("KCH", "CUH", "RFH") in its normalised name ("kings college hosp"): a word of three to
-- five letters ending in h that no gazetteer name holds and that is no street type, cue or non-place
-- word, equal to the initials of an active hospital's or A&E site's name ending "Hospital" (the hospital
-- nearest the reporting site where two share them). The text as it was otherwise.
DECLARE
  ws text[] := string_to_array(coalesce(norm, ''), ' ');
  v text;
  changed boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    CONTINUE WHEN length(ws[i]) NOT BETWEEN 3 AND 5 OR right(ws[i], 1) <> 'h'
      OR translate(ws[i], 'abcdefghijklmnopqrstuvwxyz', '') <> ''
      OR ws[i] IN ('sth', 'nth', 'bath', 'path', 'dash', 'cash', 'wash', 'fish', 'rush', 'push', 'lunch')
      OR safestats_internal.geocode_is_generic_word(ws[i])
      OR safestats_internal.geocode_nonplace_class(ws[i]) IS NOT NULL
      OR EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = ws[i]);
    SELECT f.norm INTO v FROM gazetteer.feature f
    WHERE f.active AND f.kind IN ('hospital', 'ae_site') AND f.norm LIKE '% hosp'
      AND (SELECT string_agg(left(w, 1), '' ORDER BY k) FROM unnest(string_to_array(f.norm, ' ')) WITH ORDINALITY u(w, k)
           WHERE w NOT IN ('&', 'of')) = ws[i]
    ORDER BY f.geom <-> site NULLS LAST, f.feature_id LIMIT 1;
    IF v IS NOT NULL THEN
      ws[i] := v;
      changed := true;
    END IF;
  END LOOP;
  RETURN CASE WHEN changed THEN array_to_string(ws, ' ') ELSE norm END;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_hospital_initials(text, geometry) IS
'A normalised text with a hospital written as its initials ("KCH", "CUH") in the hospital''s normalised name, '
'where the initials are no gazetteer word and belong to an active hospital or A&E site named "... Hospital" '
'(the nearest to the reporting site where several do).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_min_confidence()
RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Below this calibrated confidence the best candidate is not given as the answer. On the seventeen
  -- development families' 15,300 texts (December 2026) answers stated under 0.1 were within 1 km of the
  -- truth 16 times in 115, and 41 of them located a text that names no place.
  SELECT 0.1::real
$$;
COMMENT ON FUNCTION safestats_internal.geocode_min_confidence() IS
'The lowest calibrated confidence at which safestats.geocode gives its best candidate as the answer (0.1); '
'below it the text is answered ''none'' and explain->''rejected'' holds the candidate.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_match(location_text text, site_code text, n integer)
RETURNS TABLE (geom geometry(Point, 27700), confidence real, radius_m real, level text,
               matched text, ambiguous boolean, explain jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = public, pg_temp
-- The statements below are planned once per session and the plans reused: left to choose, the
-- planner re-plans the larger ones for every call (a third of the time of a call went in planning).
SET plan_cache_mode = force_generic_plan
-- Typo look-ups keep only words at least 0.45 similar: with the threshold of `%` there too, the
-- trigram index returns just those instead of every word a third alike.
SET pg_trgm.similarity_threshold = 0.45
AS $$
DECLARE
  v_raw   text := left(coalesce(location_text, ''), 1000);
  v_site_code text := nullif(btrim(coalesce(site_code, '')), '');
  v_norm  text;
  v_site  geometry;
  v_parsed jsonb := '{}';
  v_core  text;
  v_toks  text[];
  v_home  boolean := false;
  v_station boolean;
  v_area_name boolean;
  v_area_core text;
  v_whole text;         -- the text's words without the postcode district (v_core when it has none)
  v_pc    record;
  v_sector record;
  v_district record;
  v_ctx_district text;
  v_cands jsonb := '[]';
  v_a     text;
  v_b     text;
  v_best  jsonb;
  v_amb   boolean := false;
  v_alt   jsonb;
  v_n_alt integer := 0;
  v_key   text;
  v_hosp  boolean;
  v_cat   text;   -- the category of a record system's export ("Street/Road - ...", "11 Hospital | ...")
  v_digit boolean;  -- the text holds a digit (else no postcode, sector or district pattern is run)
  v_np    record;
  v_sig   record;
  v_dw    text;   -- v_norm with mistyped home and relation words read as meant
  v_pc_as text;   -- a postcode written with a space inside its outward code, as written
  v_pc_join text; -- ... and closed up
  v_spoken text;  -- the words that said a postcode ("s e fifteen four q f")
  v_word  text;   -- a mistyped "hospital"
  v_jct_said text;     -- a station's "X jct" as the text has it (mistyped or not) ...
  v_jct_station text;  -- ... and the station's own name
  v_labels record;  -- safestats_internal.geocode_drop_admin_labels
  v_named jsonb;  -- a place the text names, beside a full postcode
  v_conflict boolean := false;  -- ... lying over 1 km from that postcode
  v_catch record;  -- the sector's or district's part in the reporting site's catchment
  v_code_level text;  -- 'sector' or 'district': the finest postcode code the text gives short of a unit
  v_record text;  -- why the text is a record system's own value (safestats_internal.geocode_record_value)
  v_reply text;   -- v_norm without a reply's courtesies (safestats_internal.geocode_drop_pleasantries)
  v_app   boolean;  -- the text may have been copied from a maps app (safestats_internal.geocode_drop_app_chrome)
  v_chrome text;    -- ... and what is left of it once the app's words are gone
  v_said  text;   -- the one word naming a place, as said (a brand in the other number: "lidls")
  v_n_said bigint;
  v_weak  text;
  v_sector_tok text;
  v_chain jsonb;
  v_chain_mode text;
  v_j1    text;       -- the two streets of "where A crosses B"
  v_j2    text;
  v_loc   geometry;   -- a locality named beside a chain ("costa coffee hither green")
  v_loc_r real;
  v_loc_pt boolean;   -- ... and it is a station or a street (the branch nearest it), not an area
  v_brand text;
  v_ids   bigint[];
  v_plaus bigint[];
  v_sites geometry[];
  v_brand_sim real;
  v_ws    text[];   -- the words of a text, where a rule reads them one by one
  v_text_chain boolean := false;  -- the chain was read from a word of the text, beside an area or station
  r       record;
BEGIN
  n := greatest(1, least(coalesce(n, 1), 50));
  -- A record system's export: its drop-down category read apart from the free text, placeholders gone.
  -- An older system's record: the date, the field's label, a time and the field's padding around the
  -- location taken off (safestats_internal.geocode_record_fields).
  -- What a spreadsheet or CSV export did to the text (safestats_internal.geocode_repair_export; read only
  -- where one of its marks is there).
  IF strpos(v_raw, 'Ã') > 0 OR strpos(v_raw, 'â€') > 0 OR strpos(v_raw, 'Â') > 0 OR strpos(v_raw, '?s') > 0
     OR strpos(v_raw, '_x00') > 0 OR strpos(v_raw, '&amp;') > 0 OR strpos(v_raw, '&#39;') > 0 THEN
    v_raw := safestats_internal.geocode_repair_export(v_raw);
  END IF;
  v_raw := safestats_internal.geocode_record_fields(v_raw);
  -- An incident log's line: its time stamp, log reference, call sign, writer and camera in front ("[02:14]
  -- REF 2211/034 - ALPHA 2:", "CCTV OP 8: CAM 10 O/S ...") taken off (safestats_internal.geocode_log_fields;
  -- only where the line opens with a digit, a bracket or one of the words that can open one).
  IF left(ltrim(v_raw, ' [(@'), 1) BETWEEN '0' AND '9'
     OR rtrim(lower(split_part(ltrim(v_raw, ' [(@'), ' ', 1)), ':-/.,') IN ('ref', 'log', 'occ', 'inc', 'incident',
          'entry', 'cad', 'job', 'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india',
          'juliet', 'kilo', 'lima', 'mike', 'oscar', 'papa', 'romeo', 'sierra', 'tango', 'victor', 'whiskey',
          'whisky', 'yankee', 'zulu', 'warden', 'wardens', 'ds', 'sp', 'op', 'cctv', 'operator', 'steward', 'unit',
          'patrol', 'marshal', 'cam', 'camera', 'ptz', 'levy', 'street', 'night', 'taxi', 'door', 'stn', 'station',
          'security', 'control', 'btp', 'tfl') THEN
    v_raw := safestats_internal.geocode_log_fields(v_raw);
  END IF;
  SELECT c.category, coalesce(c.rest, '') INTO v_cat, v_raw FROM safestats_internal.geocode_export_category(v_raw) c;
  -- What a paper form and its scanner added: printed labels, stray bars, line-broken words, digits read
  -- for letters (safestats_internal.geocode_repair_scan).
  v_raw := safestats_internal.geocode_repair_scan(v_raw);
  -- A note that it was told through an interpreter, or by a patient with little English ("via interpreter:",
  -- "pt limited English -"): not part of the place (safestats_internal.geocode_drop_interpreting).
  IF strpos(lower(v_raw), 'interp') > 0 OR strpos(lower(v_raw), 'translat') > 0 OR strpos(lower(v_raw), 'english') > 0
     OR strpos(lower(v_raw), 'lang') > 0 OR strpos(lower(v_raw), 'speak') > 0 OR strpos(lower(v_raw), 'spoke') > 0
     OR strpos(lower(v_raw), ' said in ') > 0 OR strpos(lower(v_raw), ' says in ') > 0 THEN
    v_raw := safestats_internal.geocode_drop_interpreting(v_raw);
  END IF;
  -- Typed but empty, so fields can be tested before a postcode sector / district is found.
  SELECT f.* INTO v_sector FROM gazetteer.feature f WHERE false;
  SELECT f.* INTO v_district FROM gazetteer.feature f WHERE false;
  -- "A / B" junction slashes become "&" before normalising; o/s, j/w, n/k are kept whole.
  -- "A&E" / "A+E" / "a and e" are one word (not a junction of A and E).
  -- (Each regular expression below runs only when a cheap test finds what it looks for: a call runs
  -- many patterns, PostgreSQL keeps 32 compiled per session, and past that every call recompiles
  -- them. bench/trace_geocoder_regex.py counts what a warm batch compiles: nothing.)
  IF strpos(v_raw, '&') > 0 OR strpos(v_raw, '+') > 0
     OR strpos(translate(lower(v_raw), E' \t\r\n', ''), 'aande') > 0 THEN
    v_raw := regexp_replace(v_raw, '\m[aA]\s*(&|\+|and|AND)\s*[eE]\M', ' ae ', 'g');
  END IF;
  -- Junction separators written other ways: "A x B", "A j/w B", and "junction of A with B".
  -- ("x/j", "xs", "jw" are crews' shorthand; "@" between two streets is "at", read below.)
  -- (Rare forms are tested for with strpos / LIKE before their regular expression runs: a call uses
  -- more patterns than the 32 PostgreSQL keeps compiled per session, and a pattern that is not run
  -- does not push another out. Past that limit every call recompiled them: 4 times slower.)
  IF strpos(lower(v_raw), ' x') > 0 OR strpos(lower(v_raw), '(x') > 0 OR strpos(lower(v_raw), ' jw ') > 0
     OR strpos(lower(v_raw), ' j/w ') > 0 THEN
    -- (not the letter x of a postcode said letter by letter: "s e one three x a")
    IF NOT EXISTS (SELECT 1 FROM safestats_internal.geocode_spoken_postcode(safestats_internal.geocode_normalise(v_raw)) sp
                   WHERE ' ' || sp.spoken || ' ' LIKE '% x %') THEN
      v_raw := regexp_replace(v_raw, '[\s(](x|xs|xj|x/j|jw|j/w)\s', ' & ', 'gi');
    END IF;
  END IF;
  v_raw := replace(v_raw, '@', ' at ');
  -- Network shorthand: "o/g" overground, "u/g" / "ug" underground.
  IF strpos(lower(v_raw), 'o/g') > 0 OR strpos(lower(v_raw), 'u/g') > 0 OR strpos(lower(v_raw), 'ug') > 0 THEN
    v_raw := regexp_replace(v_raw, '\m(o/g|u/g|ug)\M', ' station ', 'gi');
  END IF;
  IF strpos(lower(v_raw), 'with') > 0 AND v_raw ~* '\m(junction|jct|jnc|junc|corner|crossroads)\M' THEN
    v_raw := regexp_replace(v_raw, '\s(with|WITH|With)\s', ' & ', 'g');
  END IF;
  -- "Street" written first is a cue, not part of a name ("STREET WINDMILL DRIVE", "street se15 6").
  IF lower(ltrim(v_raw)) LIKE 'street%' THEN
    v_raw := regexp_replace(v_raw, '^\s*(street|STREET|Street)\s+(?=\S)', '');
  END IF;
  IF strpos(v_raw, '/') > 0 THEN
    v_raw := regexp_replace(v_raw, '([[:alnum:]]{2,})\s*/\s*([[:alnum:]]{2,})', '\1 & \2', 'g');
  END IF;
  -- Two streets joined by a hyphen after the first one's type ("Bullsmoor Lne-Mollison Avn"): a junction.
  -- (word by word, no pattern: a hyphen is in many texts)
  IF strpos(v_raw, '-') > 0 AND strpos(v_raw, '&') = 0 THEN
    v_ws := string_to_array(v_raw, ' ');
    FOR i IN 1 .. coalesce(cardinality(v_ws), 0) LOOP
      IF i > 1 AND strpos(v_ws[i], '-') > 2 AND lower(left(split_part(v_ws[i], '-', 2), 1)) BETWEEN 'a' AND 'z'
         AND length(split_part(v_ws[i], '-', 2)) >= 3
         AND safestats_internal.gazetteer_is_street('xxxx ' || safestats_internal.geocode_fold_word(
               lower(rtrim(split_part(v_ws[i], '-', 1), '.')))) THEN
        v_ws[i] := split_part(v_ws[i], '-', 1) || ' & ' || substr(v_ws[i], strpos(v_ws[i], '-') + 1);
        v_raw := array_to_string(v_ws, ' ');
        EXIT;
      END IF;
    END LOOP;
  END IF;
  -- A place copied from a maps app or an address finder: its share link, the card's other fields and buttons
  -- and the address line's country taken off (safestats_internal.geocode_drop_app_chrome); one of the app's
  -- own screens ("dropped pin", "recently viewed") gives no place.
  v_app := strpos(v_raw, '·') > 0 OR strpos(v_raw, '•') > 0 OR strpos(v_raw, '›') > 0
           OR lower(v_raw) LIKE ANY ('{%goo.gl%,%maps%,%direction%,%route to%,%navigate%,%saved%,%labelled%,%labeled%,
             %website%,%nearby%,%shared%,%share %,%share,%greater london%,%england%,%united kingdom%,"%, uk%",%your places%,
             %dropped pin%,%unnamed road%,%recently viewed%,%step%free%,%national rail%,%postcode district%,
             %check out%}'::text[]);
  IF v_app THEN
    v_chrome := safestats_internal.geocode_drop_app_chrome(v_raw);
    IF v_chrome IS DISTINCT FROM v_raw THEN
      v_parsed := v_parsed || jsonb_build_object('app_chrome_dropped', v_raw);
      v_raw := coalesce(v_chrome, '');
    END IF;
  END IF;
  v_norm := safestats_internal.geocode_normalise(v_raw);
  IF (v_app OR string_to_array(v_norm, ' ') && '{search,choose,add,enter,download,offline,accept,cookies,send,feedback,
        turn,updated,terms,trip,receipt,ride,traffic,tap,load,loading,waiting,searching,gps,link,expired,location,
        unnamed,dropped,timeline,recently,places,app,notifications,destination,driver}'::text[])
     AND safestats_internal.geocode_app_screen(v_norm) THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
      jsonb_build_object('parsed', v_parsed || jsonb_build_object('app_screen', v_norm),
                         'why', 'a maps app''s screen, message or button: no place in it');
    RETURN;
  END IF;
  -- "mainline" (a national rail station) is one network word, not "main line" (Acton Main Line is a station).
  IF strpos(v_norm, 'mainline') > 0 THEN
    v_norm := replace(v_norm, 'mainline', 'rail');
  END IF;
  -- A tube line is the train, not a place ("on the northern line", "central line westbound"): "the tube"
  -- (normalised "stn", as "tube" is), so a station named with it is still the place ("northern line at
  -- camden town", "Wood Green - Piccadilly line") and "The Central" or a "Northern Line Kiosk" never is.
  IF strpos(v_norm, ' line') > 0 THEN
    v_norm := regexp_replace(v_norm, '\m(northern|victoria|central|jubilee|district|circle|piccadilly|bakerloo|metropolitan|elizabeth|lizzie|hammersmith and city|h and c|waterloo and city) line\M', 'stn', 'g');
  END IF;
  -- A bus route is the bus, not a place or a postcode district ("on the 38 bus", "night bus n29", "bus
  -- route 25"): only "bus" is kept.
  IF strpos(v_norm, 'bus') > 0 AND translate(v_norm, '0123456789', '') <> v_norm THEN
    v_norm := regexp_replace(v_norm, '\m((night )?bus (route |no |number )?n?[0-9]{1,3}|(no |number |route )?n?[0-9]{1,3} (night )?bus)\M', 'bus', 'g');
  END IF;
  -- What the patient could not say, as a phrase ("friends left, no one to ask", "couldn't name the street",
  -- "Tudor - street unknown", "can't describe where", "can't recall the rest"): "unsure", a word no name
  -- is searched by ("Unknown Yet" is a venue); "(pt not local)" says who, not where, and "day trip", "day
  -- out", "night out" why the patient was there ("IN UB5 SOMEWHERE - DAY TRIP").
  IF strpos(v_norm, 'local') > 0 OR strpos(v_norm, ' ask') > 0 OR strpos(v_norm, ' name') > 0
     OR strpos(v_norm, ' describe') > 0 OR strpos(v_norm, ' unk') > 0 OR strpos(v_norm, ' nk') > 0
     OR strpos(v_norm, ' known') > 0 OR strpos(v_norm, 'day ') > 0 OR strpos(v_norm, 'night out') > 0
     OR strpos(v_norm, ' rest') > 0 THEN
    v_norm := btrim(regexp_replace(regexp_replace(v_norm, '\m(not local|day trip|day out|night out)\M', ' ', 'g'),
      '\m((no 1|no one|nobody|noone|no body) to ask|(cant|couldnt|cannot|doesnt|dont|didnt|unable to) (recall|remember|know) (the )?rest|rest (of (postcode|it) )?(unknown|not known|nk|unk)|(st|rd) (name )?(unknown|not known|nk|unk)|(couldnt|cant|cannot|unable to|didnt|doesnt|dont|wont|could not|can not) (name|describe)( (the |which |what )?(st|rd|pl|area|pub|bar|club|shop))?)\M',
      'unsure', 'g'));
  END IF;
  -- An assault at work, as the worker's form or occupational health has it: who the worker is and what the
  -- work was, in phrases whose words also name places ("gas engineer", "kitchen porter", "meter reading",
  -- "traffic warden", "union rep", "incident form", "dining area", "staff entrance", "drive-thru window",
  -- "shop floor", "early turn", "on my round", "home carer", "crew member", "front of house", "picking up a
  -- fare", "works as", "employed by Royal Mail" -- a service's name, not where its worker was): gone, so that
  -- "Reading Road", "Dining Room", "The Kitchen" or a home are not read from them.
  IF strpos(v_norm, 'engineer') > 0 OR strpos(v_norm, 'porter') > 0 OR strpos(v_norm, 'meter ') > 0
     OR strpos(v_norm, 'warden') > 0 OR strpos(v_norm, 'officer') > 0 OR strpos(v_norm, 'steward') > 0
     OR strpos(v_norm, ' rep') > 0 OR strpos(v_norm, 'form') > 0 OR strpos(v_norm, 'report') > 0
     OR strpos(v_norm, 'referral') > 0 OR strpos(v_norm, 'email') > 0 OR strpos(v_norm, 'area') > 0
     OR strpos(v_norm, 'entrance') > 0 OR strpos(v_norm, 'drive') > 0 OR strpos(v_norm, 'floor') > 0
     OR strpos(v_norm, ' turn') > 0 OR strpos(v_norm, 'round') > 0 OR strpos(v_norm, 'carer') > 0
     OR strpos(v_norm, 'member') > 0 OR strpos(v_norm, 'of house') > 0 OR strpos(v_norm, 'fare') > 0
     OR strpos(v_norm, 'passenger') > 0 OR strpos(v_norm, ' of shift') > 0 OR strpos(v_norm, 'patrol') > 0
     OR strpos(v_norm, 'manager') > 0 OR strpos(v_norm, 'supervisor') > 0 OR strpos(v_norm, 'worker') > 0
     OR strpos(v_norm, 'break') > 0
     OR strpos(v_norm, 'driver') > 0 OR strpos(v_norm, 'guard') > 0 OR strpos(v_norm, 'operator') > 0
     OR strpos(v_norm, 'ground') > 0 OR strpos(v_norm, 'hire') > 0 OR strpos(v_norm, ' as ') > 0
     OR strpos(v_norm, 'delivery ') > 0 OR strpos(v_norm, 'employ') > 0 OR strpos(v_norm, 'for ') > 0
     OR strpos(v_norm, 'with ') > 0 OR strpos(v_norm, ' time') > 0 OR strpos(v_norm, 'whistle') > 0
     OR strpos(v_norm, 'kick') > 0 OR strpos(v_norm, 'night') > 0 OR strpos(v_norm, 'doors') > 0
     OR strpos(v_norm, 'head butt') > 0 OR strpos(v_norm, 'town') > 0
     OR strpos(v_norm, 'other ') > 0 OR strpos(v_norm, 'both ') > 0 OR strpos(v_norm, 'rival') > 0
     OR strpos(v_norm, 'first aid') > 0 OR strpos(v_norm, 'mosh') > 0 OR strpos(v_norm, ' way ') > 0
     OR strpos(v_norm, 'charity') > 0 OR strpos(v_norm, 'event ') > 0 OR strpos(v_norm, 'incident ') > 0 THEN
    -- (a train or tube driver was hurt at a station: "BERRYLANDS (TRAIN DRIVER)")
    v_norm := btrim(replace(replace(replace(replace(' ' || v_norm || ' ', ' train driver ', ' stn '), ' tube driver ', ' stn '),
                                    ' train guard ', ' stn '), ' tube guard ', ' stn '));
    v_norm := btrim(regexp_replace(v_norm,
      '\m(per )?((gas|heating|repair|maintenance|service|lift|telecoms|broadband|site|field|boiler|plumbing|openreach|bt) engineers?|(kitchen|hospital|night|head|hall) porters?|meter (reading|reader|readers|read)|(traffic|parking|street|neighbourhood|community|estate|dog|car park) wardens?|(civil enforcement|enforcement|parking|security|pcso|community support) officers?|(match|event|security|club|ground|crowd) stewards?|union reps?|(hr|oh|occupational health) (email|report|referral|form)s?|(incident|accident|riddor|employers|employer|ir|datix|managers|supervisors) (form|report|account)s?|form [0-9]+|(on|in|per|see|from) (the )?forms?|(dining|seating|eating) (area|hall)|(staff|service|goods|delivery|rear|back|side) (entrance|door|yard)|drive (thru|through)( window| lane)?|drivethru|(shop|sales|store) floor|(early|late|night|day|middle) turn|(on|doing) (my|the|his|her|a|their) (round|patch|beat|route)|on (rounds?|patrol)|(home|care|support|care home) (carers?|workers?|assistants?)|(shift|store|duty|line|floor|general|deputy|assistant|branch|area) (managers?|supervisors?|leaders?|lead)|(crew|team|staff) members?|members? of (the )?public|front of house|(end|start) of (my |the )?(shift|day)|(pulled over|stopped) to (drop|pick up|collect)( off| up)?( a| the)?( fare| passenger)?|(picking up|pick up|collecting|dropping off|dropping) (a |the )?(fares?|passengers?|customers?)|on (a |my |his |her )?break|(to|onto) (the )?(ground|floor)|private hire( cars?| drivers?| vehicles?| cabs?)?|(works|working|worked|employed|on duty|duty|job) as( a| an)?|delivery (riders?|drivers?|man|men|workers?|jobs?|rounds?)|head butt(ed|s)?|out on (the )?town|half time|full time|final whistle|kick off|kickoff|closing time|end of (the )?night|before the doors opened|(the )?other (party|parties|side|group|lot)|both (parties|groups|sides)|rival (fans|supporters|groups)|first aid (tent|post|point)|mosh pit|on (the |my |his |her |their )?way (home|back)( from)?|on the (ground|floor)|charity (run|walk)|(event|incident) (ref|log|no|number)|(employed by|employer|for|with) (the )?(british gas|royal mail|parcelforce|dpd|evri|hermes|yodel|deliveroo|uber eats|just eat|addison lee|openreach|thames water|uk power networks|ocado))\M',
      ' ', 'g'));
  END IF;
  -- A chain's branch named by its street ("Nando's - Lavender Hill branch", "Tollgate Rd branch"): the
  -- street ("Rosemary Branch", "The Olive Branch" and "Branch Road" are names).
  IF strpos(v_norm, ' branch') > 0 THEN
    v_norm := regexp_replace(v_norm, '\m(st|rd|ave|ln|pl|sq|gdns|cres|ter|cl|dr|ct|gr|pk|pde|mt|grn|bdwy|hwy|hill|way|walk|row|mews|wharf|yard) branch\M', '\1', 'g');
  END IF;
  -- "kings x", "charing x", "new x": Cross, as people write it
  IF strpos(v_norm, ' x') > 0 THEN
    v_norm := regexp_replace(v_norm, '\m(kings|charing|new) x\M', '\1 cross', 'g');
  END IF;
  -- A station called "X Junction" ("clapham junction", "wilesden jct"), named without "station": the
  -- station, not a junction of streets whose cue words are dropped further on (a station's norm within
  -- two edits of the text's "X jct").
  IF strpos(v_norm, ' jct') > 0 AND NOT v_norm ~ '\mjct( (train|rail))? stn\M' THEN
    SELECT f.norm, m[1] INTO v_jct_station, v_jct_said FROM regexp_matches(v_norm, '\m([a-z]+ jct)\M', 'g') m
    JOIN gazetteer.feature f ON f.kind = 'station' AND f.active AND f.norm LIKE '% jct'
                            AND levenshtein_less_equal(f.norm, m[1], 2) <= 2
    ORDER BY levenshtein(f.norm, m[1]) LIMIT 1;
    IF v_jct_said IS NOT NULL THEN
      v_norm := replace(v_norm, v_jct_said, v_jct_station || ' stn');
    END IF;
  END IF;
  -- A reply's courtesies around the place ("hi sorry for late reply, it was ... cheers x"): taken off
  -- (safestats_internal.geocode_drop_pleasantries); a reply with nothing else in it gives no place.
  IF split_part(v_norm, ' ', 1) = ANY ('{thank,thanks,thankyou,sorry,soz,been,only,just,in,to,good,hi,hello,hiya,
       hey,heya,hullo,many,yes,yeah,yea,yep,yup,ok,okay,oki,thx,thanx,ta,cheers,lol,morning,afternoon,evening,dear,
       oh,ah}'::text[])
     OR reverse(split_part(reverse(v_norm), ' ', 1)) = ANY ('{thanks,you,u,lot,again,sure,helps,anyway,there,
       roughly,innit,tbh,lol,haha,xx,xxx,xxxx,thx,thanx,cheers,ta,please,pls,sorry,ok,bye,mate,x}'::text[]) THEN
    v_reply := safestats_internal.geocode_drop_pleasantries(v_norm);
    IF v_reply = '' THEN
      RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
        jsonb_build_object('parsed', v_parsed || jsonb_build_object('courtesies', v_norm),
                           'why', 'a reply with no place in it: only a greeting, thanks or a sign-off');
      RETURN;
    END IF;
    IF v_reply <> v_norm THEN
      v_parsed := v_parsed || jsonb_build_object('courtesies_dropped', v_norm);
      v_norm := v_reply;
    END IF;
  END IF;
  -- A word broken by a stray space or hyphen ("hen don", "lamb eth"): made whole where the gazetteer knows it.
  v_norm := safestats_internal.geocode_join_broken(v_norm);
  -- Words run together ("westcroydon", "inthe"): split where the gazetteer knows both halves.
  v_norm := coalesce(safestats_internal.geocode_split_joined(v_norm), v_norm);
  -- "somewhere round X", "round X", "it happened / was / just round X" are "around X" (not a place called
  -- "Round ...").
  IF strpos(v_norm, 'round ') > 0 THEN
    v_norm := btrim(replace(replace(replace(replace(replace(' ' || v_norm || ' ', ' somewhere round ', ' somewhere around '),
                                            ' happened round ', ' happened around '), ' off round ', ' off around '),
                            ' was round ', ' was around '), ' just round ', ' just around '));
    IF left(v_norm, 6) = 'round ' THEN
      v_norm := 'around ' || substr(v_norm, 7);
    END IF;
  END IF;
  -- A house number said in words ("outside number seventeen"): in digits, like one typed.
  IF ' ' || v_norm || ' ' LIKE ANY ('{% number %,% no %}'::text[]) THEN
    v_norm := safestats_internal.geocode_said_house_number(v_norm);
  END IF;
  -- Punctuation a dictation app typed as words ("full stop", "comma", "question mark"): not part of the place.
  IF string_to_array(v_norm, ' ') && '{comma,semicolon,stop,mark,line,paragraph}'::text[] THEN
    v_norm := safestats_internal.geocode_drop_phrases(v_norm,
                '{full stop,question mark,exclamation mark,new line,new paragraph,comma,semicolon}');
  END IF;
  -- Hesitations and hedges of speech ("um", "er", "sort of", "you know", "I think"): never part of a place,
  -- and between a possessive and "house" they hide a home ("at her sort of house").
  IF string_to_array(v_norm, ' ') && '{um,umm,er,erm,uh,uhm,ah,hmm,sort,kind,know,think,thinks,believe,guess}'::text[] THEN
    v_norm := safestats_internal.geocode_drop_phrases(v_norm,
                '{sort of,kind of,you know,i think,i believe,he thinks,she thinks,i guess,um,umm,er,erm,uh,uhm,ah,hmm}');
  END IF;
  -- A "train station" is a station (not a train), "social media" is online, a best friend a friend; bike
  -- racks, a chicken shop, a phone box and the way home from school say where no more than the story's
  -- words do, a "young person" is the patient, and a referral "to youth hub" is no place.
  IF string_to_array(v_norm, ' ') && '{train,bike,hub,way,after,chicken,phone,young,social,best}'::text[] THEN
    v_norm := safestats_internal.geocode_drop_phrases(replace(replace(replace(' ' || v_norm || ' ', ' train stn ', ' stn '),
                                                                      ' social media ', ' online '),
                                                              ' best friend', ' friend'),
                '{bike racks,bike rack,on way home from school,on way home from college,way home from school,'
                'after school,after college,after training,referral to youth hub,youth hub,chicken shop,phone box,'
                'young person,young people}');
  END IF;
  -- A record's remarks on its own location ("see notes", "NFD", "no further", "gen area", "rest n/k", "exact
  -- loc n/k", "incomplete", "... only"): how much was recorded, not where ("Notes" and "Only Jerkin" are venues).
  IF string_to_array(v_norm, ' ') && '{notes,further,nfd,gen,general,nk,incomplete,only}'::text[] THEN
    v_norm := safestats_internal.geocode_drop_phrases(v_norm,
                '{see notes,no further,not further defined,nfd,gen area,general area,exact loc nk,exact location nk,'
                'rest nk,rest of postcode nk,incomplete}');
    IF v_norm LIKE '% only' THEN
      v_norm := left(v_norm, -5);
    END IF;
  END IF;
  -- What a log line says happened next or to whom ("- LAS called", "BTP attended", "(CCTV saved)", "footage
  -- requested", "first aid given", "door team assisted", "one male detained", "stab wound", "head injury",
  -- "IP to A&E", "roaming", "walk in" at the end): not where ("Food Security", "Head Street" and a
  -- hospital's A&E are places). "IP" is the injured party.
  IF string_to_array(v_norm, ' ') && '{called,attended,informed,scene,saved,requested,given,assisted,detained,wound,
       injury,glassing,glassed,roaming,ejected,walk,zone,security,ae}'::text[] THEN
    v_norm := safestats_internal.geocode_drop_phrases(v_norm,
                '{las called,las on scene,las attended,las informed,btp attended,btp on scene,btp called,btp informed,'
                'police informed,police called,police attended,police on scene,met on scene,met attended,met called,'
                '999 called,cctv saved,footage requested,footage saved,first aid given,door team assisted,'
                'door staff assisted,one male detained,one female detained,male detained,female detained,'
                'stab wound,head injury,facial injury,glassing,glassed,ejected from,ejected,roaming,patrol zone,'
                'on scene,ip to ae,pt to ae,taken to ae,conveyed to ae,store security,security log}');
    IF v_norm LIKE '% walk in' THEN
      v_norm := left(v_norm, -8);
    END IF;
  END IF;
  -- A venue's front door ("front door - Prague Bar", "ejected from front door The Wigmore"): the venue, not
  -- a home's door, when a name follows ("front door" alone, or of a flat, is still home).
  IF v_norm LIKE 'front door _%' AND v_norm NOT LIKE 'front door of %' THEN
    v_norm := substr(v_norm, 12);
  END IF;
  -- A door log's "S/A" (smoking area) and "B/G" (beer garden) after a venue, its "main gates", a taxi rank,
  -- "in road" (in the roadway), a "hi st": where at the place, not which place.
  IF string_to_array(v_norm, ' ') && '{s,b,main,taxi,road,rd,hi}'::text[] THEN
    v_norm := btrim(replace(replace(replace(replace(replace(' ' || v_norm || ' ', ' main gates ', ' '), ' main gate ', ' '),
                                    ' taxi rank ', ' '), ' in rd ', ' '), ' hi st ', ' high st '));
    IF v_norm LIKE '% s a' OR v_norm LIKE '% b g' THEN
      v_norm := left(v_norm, -4);
    END IF;
  END IF;
  -- A chain by the name people give it ("Maccies", "Kentucky", "K F C", "Wilkinsons", "cheeky Nandos").
  IF string_to_array(v_norm, ' ') && '{kentucky,k,maccies,maccys,mackies,makkies,maccas,mcds,macdonalds,
       wilkinsons,wilkinson,cheeky}'::text[] THEN
    v_norm := btrim(replace(replace(replace(' ' || v_norm || ' ', ' k f c ', ' kfc '), ' cheeky nandos ', ' nandos '),
                            ' wilkinsons ', ' wilko '));
    IF strpos(v_norm, 'kentucky fried') = 0 THEN
      v_norm := replace(v_norm, 'kentucky', 'kfc');
    END IF;
    v_norm := coalesce((SELECT string_agg(CASE WHEN w IN ('maccies', 'maccys', 'mackies', 'makkies', 'maccas', 'mcds',
                                                          'macdonalds') THEN 'mcdonalds' ELSE w END, ' ' ORDER BY i)
                        FROM unnest(string_to_array(v_norm, ' ')) WITH ORDINALITY AS u(w, i)), '');
  END IF;
  -- A log's ways of saying no place: a night bus by its route ("on the N155", "upper deck of N109", "N38
  -- night bus": the route, not the postcode sector N15 5), a black cab, a stag or hen do, and "off camera" /
  -- "not on camera" (unknown).
  IF string_to_array(v_norm, ' ') && '{board,deck,black,stag,hen,camera,unconfirmed}'::text[] THEN
    v_norm := btrim(replace(replace(replace(replace(replace(replace(replace(replace(replace(' ' || v_norm || ' ',
                ' not on camera ', ' unknown '), ' off camera ', ' unknown '), ' on board ', ' on bus '),
                ' upper deck ', ' bus '), ' lower deck ', ' bus '), ' top deck ', ' bus '), ' black cab ', ' cab '),
                ' stag do ', ' party '), ' hen do ', ' party '));
    v_norm := replace(v_norm, 'unconfirmed', 'unknown');
  END IF;
  IF strpos(' ' || v_norm, ' n') > 0 AND translate(v_norm, '0123456789', '') <> v_norm
     AND string_to_array(v_norm, ' ') && '{on,of,bus,night}'::text[] THEN
    v_norm := coalesce((SELECT string_agg(CASE
                 WHEN left(w, 1) = 'n' AND length(w) BETWEEN 3 AND 4 AND translate(substr(w, 2), '0123456789', '') = ''
                      AND (prv IN ('on', 'of', 'bus') OR nxt IN ('bus', 'night'))
                      AND NOT EXISTS (SELECT 1 FROM gazetteer.feature d WHERE d.level = 'district' AND d.norm = w)
                   THEN 'bus' ELSE w END, ' ' ORDER BY i)
               FROM (SELECT w, i, lag(w) OVER (ORDER BY i) AS prv, lead(w) OVER (ORDER BY i) AS nxt
                     FROM unnest(string_to_array(v_norm, ' ')) WITH ORDINALITY AS u(w, i)) c), '');
  END IF;
  -- A postcode said rather than typed ("s e fifteen four q f", "south east fifteen"): written as it is
  -- typed, where the gazetteer knows it (only texts with a number or compass word, or two single
  -- letters side by side, are read for one).
  IF string_to_array(v_norm, ' ') && '{zero,oh,nought,one,two,three,four,five,six,seven,eight,nine,ten,eleven,
       twelve,thirteen,fourteen,fifteen,sixteen,seventeen,eighteen,nineteen,twenty,thirty,forty,fifty,
       sixty,seventy,eighty,ninety,double,north,south,east,west}'::text[]
     OR ' ' || v_norm || ' ' LIKE '% _ _ %' THEN
    SELECT sp.spoken, sp.written INTO v_pc_as, v_pc_join FROM safestats_internal.geocode_spoken_postcode(v_norm) sp;
    IF v_pc_join IS NOT NULL THEN
      v_norm := btrim(replace(' ' || v_norm || ' ', ' ' || v_pc_as || ' ', ' ' || v_pc_join || ' '));
      v_spoken := v_pc_as;
      v_pc_as := NULL;
      v_pc_join := NULL;
    END IF;
  END IF;
  -- "metro of X", "tube of X": the station, in another language's word order.
  IF strpos(v_norm, ' of ') > 0 THEN
    v_norm := replace(replace(' ' || v_norm || ' ', ' metro of ', ' stn of '), ' stn of ', ' stn ');
    v_norm := btrim(v_norm);
  END IF;
  -- A street or park named type word first ("road of Lea Valley", "way Manor", "park of Burgess"): in
  -- English order where the gazetteer knows it (safestats_internal.geocode_turned_name).
  IF string_to_array(v_norm, ' ') && '{rd,st,ln,ave,way,pk,gdns,cres,ter,cl,dr,gr,pl,sq,hill,grn,common}'::text[] THEN
    v_norm := safestats_internal.geocode_turned_name(v_norm);
  END IF;
  -- Where the patient lives, told beside where it happened ("YP lives in Abbey Wood but the assault was
  -- over Clock House", "not in Fryent where YP lives - it was at ..."): not the place
  -- (safestats_internal.geocode_drop_residence).
  IF ' ' || v_norm || ' ' LIKE ANY ('{% lives %,% stays %,% livrs %,% lived %,% living %,% staying %}'::text[]) THEN
    v_norm := safestats_internal.geocode_drop_residence(v_norm);
  END IF;
  -- "where A crosses B", "at the top of A where it meets B": the junction of A and B.
  IF ' ' || v_norm || ' ' LIKE ANY ('{% where % crosses %,% where % meets %,% where % joins %}'::text[]) THEN
    SELECT mm[1], mm[3] INTO v_j1, v_j2 FROM regexp_match(v_norm, '\mwhere (.+) (crosses|meets|joins) (.+)$') mm;
    IF v_j1 = 'it' THEN   -- A is what follows the last preposition before "where"
      v_toks := string_to_array(split_part(v_norm, ' where ', 1), ' ');
      v_j1 := array_to_string(v_toks[coalesce((SELECT max(k) FROM unnest(v_toks) WITH ORDINALITY p(x, k)
                                               WHERE x = ANY (safestats_internal.geocode_prepositions()
                                                              || '{of,top,bottom,end}'::text[])), 0) + 1:], ' ');
      v_toks := NULL;
    END IF;
    IF nullif(v_j1, '') IS NOT NULL AND v_j2 IS NOT NULL THEN
      v_norm := v_j1 || ' & ' || v_j2;
    END IF;
  END IF;
  -- "A meets B" is a junction like "A at B" (below).
  v_norm := replace(v_norm, ' meets ', ' at ');
  -- "A at B" where both sides end like street names ("old kent rd at ilderton rd") is a junction.
  IF strpos(v_norm, ' & ') = 0 AND strpos(v_norm, ' at ') > 0
     AND safestats_internal.gazetteer_is_street(split_part(v_norm, ' at ', 1))
     AND safestats_internal.gazetteer_is_street(substr(v_norm, position(' at ' IN v_norm) + 4)) THEN
    v_norm := split_part(v_norm, ' at ', 1) || ' & ' || substr(v_norm, position(' at ' IN v_norm) + 4);
  END IF;
  -- Station network words and misspelt station words ("statoin", "overgrounnd") become the station cue;
  -- "la", "sth", "nth" in a junction are lane / south / north.
  -- (every text: a pattern to test for such words first would cost a compiled-regex slot)
  v_norm := coalesce((SELECT string_agg(CASE
                 WHEN w IN ('lu', 'rail', 'trains', 'rly', 'og', 'mainline') THEN 'stn'
                 WHEN w = 'plat' THEN 'platform'
                 -- an older system's abbreviations of name words ("SYDENHAM HL", "UPMINSTER BRDG", "RYL
                 -- ALBERT", "ACTON CTRL", "BROMLEY CMN", "WATFORD GEN"), each in two gazetteer names at most
                 WHEN w = 'hl' THEN 'hill' WHEN w IN ('brdg', 'bdge', 'brg') THEN 'bridge' WHEN w = 'ryl' THEN 'royal'
                 WHEN w IN ('ctrl', 'cntrl') THEN 'central' WHEN w = 'cmn' THEN 'common' WHEN w = 'mkt' THEN 'market'
                 WHEN w = 'grv' THEN 'gr' WHEN w = 'gen' THEN 'general' WHEN w = 'univ' THEN 'university'
                 WHEN w = 'coll' THEN 'college' WHEN w = 'hos' THEN 'hosp' WHEN w = 'hse' THEN 'house'
                 WHEN w IN ('wk', 'wlk') THEN 'walk' WHEN w = 'lcl' THEN 'local' WHEN w = 'lwr' THEN 'lower'
                 WHEN w = 'upr' THEN 'upper'
                 WHEN length(w) BETWEEN 6 AND 12 AND w <> 'stn'
                      AND (levenshtein_less_equal(w, 'station', 1) <= 1 OR levenshtein_less_equal(w, 'overground', 2) <= 2
                           OR levenshtein_less_equal(w, 'underground', 2) <= 2) THEN 'stn'
                 WHEN w = 'la' AND strpos(v_norm, ' & ') > 0 THEN 'ln'
                 WHEN w = 'sth' AND strpos(v_norm, ' & ') > 0 THEN 'south'
                 WHEN w = 'nth' AND strpos(v_norm, ' & ') > 0 THEN 'north'
                 ELSE w END, ' ' ORDER BY i)
               FROM unnest(string_to_array(v_norm, ' ')) WITH ORDINALITY AS u(w, i)), '');
  -- An export's transport category is a station cue unless the text names a bus, tram or stop.
  IF coalesce(v_cat IN ('public transport', 'transport facility', 'transport'), false) AND v_norm ~ '[a-z]{3}'
     AND NOT string_to_array(v_norm, ' ') && '{bus,buses,coach,tram,stn,stop,stops,taxi,cab,train,van}'::text[] THEN
    v_norm := v_norm || ' stn';
  END IF;
  -- A compass point written as its letter before a name ("S WIMBLEDON", "W SUTTON RAIL STN", "STH
  -- GREENFORD"): the word, where a gazetteer name is that word and the one or two words that follow.
  IF ' ' || v_norm LIKE ANY ('{% n %,% s %,% e %,% w %,% sth %,% nth %}'::text[]) THEN
    v_norm := coalesce((SELECT string_agg(CASE
                 WHEN cw IS NOT NULL AND nxt IS NOT NULL
                      AND EXISTS (SELECT 1 FROM gazetteer.feature f
                                  WHERE f.norm IN (cw || ' ' || nxt, cw || ' ' || nxt || ' ' || nxt2) AND f.active)
                   THEN cw
                 -- ... or after it ("LAMBETH N UNDERGROUND", "Hounslow E lu": Lambeth North, Hounslow East)
                 WHEN cw IS NOT NULL AND prv IS NOT NULL
                      AND EXISTS (SELECT 1 FROM gazetteer.feature f
                                  WHERE f.norm IN (prv || ' ' || cw, prv2 || ' ' || prv || ' ' || cw) AND f.active)
                   THEN cw ELSE w END, ' ' ORDER BY i)
               FROM (SELECT w, i, lead(w) OVER (ORDER BY i) AS nxt, lead(w, 2) OVER (ORDER BY i) AS nxt2,
                            lag(w) OVER (ORDER BY i) AS prv, lag(w, 2) OVER (ORDER BY i) AS prv2,
                            CASE WHEN w IN ('n', 'nth') THEN 'north' WHEN w IN ('s', 'sth') THEN 'south'
                                 WHEN w = 'e' THEN 'east' WHEN w = 'w' THEN 'west' END AS cw
                     FROM unnest(string_to_array(v_norm, ' ')) WITH ORDINALITY AS u(w, i)) c), '');
  END IF;
  -- A chain in staff shorthand, its vowels left out ("SNSBRYS", "LDL"): the chain
  -- (safestats_internal.geocode_brand_shorthand; read only where a word could be one: one statement
  -- here instead of a call that tests word by word, which cost a sixth of the time of a call).
  IF EXISTS (SELECT 1 FROM unnest(string_to_array(v_norm, ' ')) w
             WHERE length(w) >= 3 AND length(w) - length(translate(w, 'aeiou', '')) <= 1
               AND translate(w, 'abcdefghijklmnopqrstuvwxyz', '') = ''
               AND NOT safestats_internal.geocode_is_generic_word(w)
               AND safestats_internal.geocode_nonplace_class(w) IS NULL
               AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w)) THEN
    v_norm := safestats_internal.geocode_brand_shorthand(v_norm);
  END IF;
  IF v_site_code IS NOT NULL THEN
    SELECT s.geom INTO v_site FROM health.ae_site s WHERE s.site_code = v_site_code;
  END IF;
  -- A hospital written as its initials ("KCH", "o/s CUH"): its name (safestats_internal.geocode_hospital_initials;
  -- only texts with an unknown word of three to five letters ending in h are read for one).
  IF strpos(v_norm || ' ', 'h ') > 0
     AND EXISTS (SELECT 1 FROM unnest(string_to_array(v_norm, ' ')) w
                 WHERE length(w) BETWEEN 3 AND 5 AND right(w, 1) = 'h'
                   AND NOT safestats_internal.geocode_is_generic_word(w)
                   AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w)) THEN
    v_norm := safestats_internal.geocode_hospital_initials(v_norm, v_site);
  END IF;
  v_parsed := jsonb_build_object('normalised', v_norm) || (v_parsed - 'normalised');
  IF v_spoken IS NOT NULL THEN
    v_parsed := v_parsed || jsonb_build_object('postcode_spoken', v_spoken);
  END IF;
  IF v_cat IS NOT NULL THEN
    v_parsed := v_parsed || jsonb_build_object('category', v_cat);
  END IF;
  IF v_site_code IS NOT NULL THEN
    v_parsed := v_parsed || jsonb_build_object('site', v_site_code, 'site_known', v_site IS NOT NULL);
  END IF;

  -- 1. aliases: the analysts' decisions
  -- (through a DEFINER look-up: the alias texts are A&E free text, not readable by analysts)
  SELECT l.* INTO r FROM safestats_internal.geocode_alias_lookup(v_norm, v_site_code) l;
  IF FOUND THEN
    RETURN QUERY SELECT r.geom, 0.95::real, r.radius_m, r.level, r.matched, false,
      jsonb_build_object('parsed', v_parsed, 'why', 'alias (review decision) ' || r.alias_id,
                         'version', safestats.gazetteer_version(),
                         'feature_id', r.feature_id, 'calibrated', false);
    RETURN;
  END IF;

  -- An export's category that says what kind of place and nothing more: custody is custody; a category
  -- alone ("Educational establishment", "Sports/leisure") names no place. (Hospital categories are the
  -- reporting site below; dwellings are home.)
  IF coalesce(v_cat = 'prison', false) AND NOT string_to_array(v_norm, ' ') && '{hmp,yoi}'::text[] THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
      jsonb_build_object('parsed', v_parsed || '{"non_place": true}', 'why', 'non-place: custody (the export''s category: prison)');
    RETURN;
  END IF;
  IF v_cat IS NOT NULL AND translate(v_norm, '& ', '') = ''
     AND v_cat NOT IN ('hospital', 'healthcare facility', 'private dwelling', 'other dwelling', 'dwelling') THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
      jsonb_build_object('parsed', v_parsed || '{"non_place": true}',
                         'why', 'non-place: the export gives only its category (' || v_cat || '), no place');
    RETURN;
  END IF;

  -- 2. nothing usable, stated unknown, or home
  IF translate(v_norm, '& ', '') = '' THEN   -- (the normalised text holds only [a-z0-9&] and spaces)
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
      jsonb_build_object('parsed', v_parsed, 'why', 'no letters or digits');
    RETURN;
  END IF;
  -- Short codes only as the whole text ("no 1 bar" is a place); phrases may trail off ("refused to say").
  IF length(v_norm) < 40
     AND (v_norm = ANY ('{nk,n k,unk,none,na,n a,no,nil,unsure,declined,refused,ref,same,same as above,ditto}'::text[])
          OR translate(v_norm, 'x', '') = ''
          OR v_norm || ' ' LIKE ANY ('{unknown %,not known %,refused %,pt refused %,patient refused %,declined to %,'
                                     'not stated %,not given %,unable to say %,not disclosed %,dont know %,'
                                     'do not know %,did not say %,not recorded %,no location %,not sure %,'
                                     'no comment %,not said %,would not say %,wouldnt say %}'::text[])
          -- a patient's own reply that gives no place ("private", "stop", "who is this", "u have wrong number")
          OR v_norm = ANY ('{private,stop,no idea,rather not say,id rather not say,prefer not to say}'::text[])
          OR ' ' || v_norm || ' ' LIKE ANY ('{% wrong number %,% who is this %,% what incident %,% leave me alone %,'
                                            '% rather not say %,% prefer not to say %}'::text[])) THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
      jsonb_build_object('parsed', v_parsed || '{"stated_unknown": true}', 'why', 'location stated as unknown or refused');
    RETURN;
  END IF;
  -- A record system's own value where the place should be ("NULL", "#NAME?", "Column1", "Grand Total",
  -- "Duplicate - delete", "see previous row", "data withheld", "brought in by ambulance"): no place
  -- (safestats_internal.geocode_record_value; read only when a word could mark one).
  IF string_to_array(v_norm, ' ') && safestats_internal.geocode_record_words() OR strpos(v_raw, '#') > 0
     OR ltrim(lower(location_text), ' "''') LIKE ANY ('{column%,col%,sheet%,field%,unnamed%,var%}')
     OR strpos(v_norm, 'walk') > 0 OR strpos(v_norm, 'out standing') > 0 OR strpos(v_norm, 'by ambulance') > 0 THEN
    v_record := safestats_internal.geocode_record_value(location_text, v_norm);
    IF v_record IS NOT NULL THEN
      RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, 'none'::text, NULL::text, false,
        jsonb_build_object('parsed', v_parsed || '{"record_value": true}', 'why', v_record);
      RETURN;
    END IF;
  END IF;
  -- "here", typed at the A&E's own kiosk ("in the waiting room here", "outside here in the smoking
  -- area"), is the reporting site itself, when no other word of the text could name a place (a
  -- gazetteer word of three letters or more in three names or more, outside the rooms of a hospital
  -- and the story's filler) and the text does not say "from" or "not".
  -- An export's hospital category with nothing else naming a place ("11 Hospital | waiting area") is
  -- read the same way.
  -- So is a text that names only the parts of a hospital ("resus", "A&E waiting rm", "this hosp", "paeds
  -- A&E"): with no other place named, the hospital is the one that recorded it.
  IF v_site IS NOT NULL
     AND (' ' || v_norm || ' ' LIKE '% here %' OR coalesce(v_cat IN ('hospital', 'healthcare facility'), false)
          OR string_to_array(v_norm, ' ') && '{ae,hosp,ed,utc,resus,resuscitation,majors,minors,cubicle,cubicles,triage,
               dept,department,paeds,paediatric,emergency,urgent,injuries,ced,peds}'::text[]
          OR ' ' || v_norm || ' ' LIKE ANY ('{% amb bay %,% ambulance bay %,% emergency department %,% this site %,'
                                            '% on site %,% our forecourt %,% resus bay %,'
                                            -- (a patient's reply to the hospital: "in your waiting room")
                                            '% waiting room %,% waiting area %,% on ward %,% your entrance %}'::text[]))
     AND NOT string_to_array(v_norm, ' ') && '{from,not,nr,near}'::text[]
     -- ("as per triage", "see triage notes": the notes, not the place)
     AND NOT ' ' || v_norm || ' ' LIKE ANY ('{% per triage %,% see triage %}'::text[])
     -- (nor with a postcode in it, said or typed: "here n w five three b a")
     AND v_spoken IS NULL
     AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array(v_norm, ' ')) w
                     WHERE translate(w, '0123456789', '') NOT IN (w, '', 'yo', 'yrs'))
     AND NOT EXISTS (
       -- (who told it is not a place: "per keyworker", "dad says")
       SELECT 1 FROM unnest(string_to_array(regexp_replace(regexp_replace(v_norm,
         '\m(per [a-z]+|[a-z]+ (says|said|states|reports|thinks|told))\M', ' ', 'g'),
         '\m(waiting (room|rm|area)|smoking (area|shelter)|front desk|car (park|pk)|carpark|ae|reception|'
         'entrance|toilets?|corridor|triage|cubicles?|resus|majors|minors|hosp|hospital|ed|utc|ambulance bay|'
         'amb bay|outside|inside|right|here|area|room|desk|door|doors|this|dept|department|ward|paeds|grounds|on site|'
         'site|forecourt|bay|accident|emergency|urgent|treatment|care|centre|center|minor|injuries|injury|unit|'
         'drop off|services?|ambulance|premises|nhs|'
         'paediatric|childrens|main|ced|peds|play|day (trip|out))\M', ' ', 'g'), ' ')) w
       WHERE length(w) >= 3
         -- (nor an incident's or a form's number: "OUR RESUS, BY A PATIENT INCIDENT NO 2307288")
         AND NOT (length(w) >= 5 AND translate(w, '0123456789', '') = '')
         -- (nor what brought the patient or what was done: "our UTC waiting area - day trip", "here, at work")
         AND coalesce(safestats_internal.geocode_nonplace_class(w) NOT IN ('filler', 'event', 'work', 'unsaid', 'party'), true)
         -- (a text with no "here" names only the parts of a hospital: any other word may be a mistyped
         -- name, "the gordo hospital")
         AND (NOT (' ' || v_norm || ' ' LIKE '% here %' OR coalesce(v_cat IN ('hospital', 'healthcare facility'), false))
              OR EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = w AND x.freq >= 3)
              -- (a word before "hosp" names a hospital, mistyped or not: "HOSP - O/S CASSRL HOSP")
              OR strpos(' ' || v_norm || ' ', ' ' || w || ' hosp ') > 0)) THEN
    SELECT f.geom, f.name, f.feature_id INTO r FROM gazetteer.feature f
    WHERE f.kind = 'ae_site' AND f.source_key = v_site_code AND f.active LIMIT 1;
    RETURN QUERY SELECT coalesce(r.geom, v_site),
      safestats_internal.geocode_confidence('venue here', 1)::real, 150::real, 'venue'::text,
      coalesce(r.name, (SELECT s.site_name FROM health.ae_site s WHERE s.site_code = v_site_code)), false,
      jsonb_build_object('parsed', v_parsed || '{"here": true}', 'score', 1, 'kind', 'ae_site',
                         'version', safestats.gazetteer_version(), 'feature_id', r.feature_id,
                         'why', '"here": the reporting A&E site itself', 'calibration_key', 'venue here',
                         'calibrated', EXISTS (SELECT 1 FROM gazetteer.calibration));
    RETURN;
  END IF;

  -- Other systems' field labels: "postcode district SM1", "HA1 only", "TW01" (padded), "LB of Southwark",
  -- "Bexley Council", "Ward: Dollis Hill" (safestats_internal.geocode_drop_admin_labels; read only when a
  -- label word is there, or a code padded with a zero could be).
  IF string_to_array(v_norm, ' ') && '{district,sector,postcode,only,lb,lbc,council,borough,rb,rbc,ward,premises,branch}'::text[]
     OR strpos(v_norm, '0') > 0 THEN
    SELECT a.text_out, a.borough, a.ward INTO v_labels FROM safestats_internal.geocode_drop_admin_labels(v_norm) a;
    IF v_labels.text_out IS DISTINCT FROM v_norm THEN
      v_norm := v_labels.text_out;
      v_parsed := v_parsed || jsonb_build_object('labels_dropped', v_norm)
                  || jsonb_strip_nulls(jsonb_build_object('borough_label', v_labels.borough, 'ward_label', v_labels.ward));
    END IF;
  END IF;

  -- (home and relation words read as meant when mistyped: safestats_internal.geocode_dwelling_words)
  v_dw := safestats_internal.geocode_dwelling_words(v_norm);
  -- "HA" is the crews' home address ("at HA", "HA (see ePCR)"), never a postcode area on its own;
  -- next of kin's ("NOK's home") is someone's home like a friend's.
  -- ("my room", "our place": a possessive before a room or "place" is a home too)
  -- ("house number 5 albert rd", a house number said, and "flat 1 124-128 x rd", a flat before a house
  -- number or a range of them, are a street address, not home; "at the garden of
  -- the X" is X's garden)
  v_home := v_dw ~ '(^|\m(his|her|my|our|their|own|at|pts|patients|patient|ip|ips|friends?|partners?|mums?|dads?|family|private|home|nok|noks) )(home|hom|hme|flat|house|address|residence|property|bedroom|hallway|doorstep|kitchen|bathroom|living room|lounge|front door|garden|gdns|balcony|driveway|landing)\M(?! (number|no) [0-9]+ [a-z]| of | [0-9]+[a-z]?( [0-9]+[a-z]?){1,2} [a-z])|\m(my|our|his|her|their) (room|pl|block|stairs|stairwell|building)$|^(home|hom|hme)\M|\mhome address\M|\mas (above|per address)\M|\m(at|in) home\M|^(his|her|own|pts|ip|ips) (flat|house|home|residence)'
            -- a patient's own words for home: "at mine", "in the flat", "the stairs in my block", "next door"
            OR v_dw ~ '\m(at|in|round|back at) mine$|^(in|at|inside|outside) (flat|house)$|^(at |in )?next doors?$'
            -- where the patient lives, not where it happened ("lives in Luton"), and a student's halls
            OR v_dw ~ '\m(lives|living|resides|residing) (in|at)\M|\m(student|students|uni|his|her|my|their|at|in) halls\M|\mhalls of residence\M'
            OR (' ' || v_dw || ' ' LIKE '% ha %'
                AND v_dw ~ '^((at|pts|patients|own|nok|noks|to|from|da|his|her|their) )*ha( see\M.*)?$')
            -- "where she lives", "where they stay": the patient's home said without the word
            -- ("where he live", "where she stay": told with little English)
            OR ' ' || v_dw || ' ' LIKE ANY ('{% where % lives %,% where % live %,% where % stays %,'
                                           '% where % stay %}'::text[])
            -- an export's dwelling category ("Private dwelling; pt's home", "Other dwelling, relatives")
            OR coalesce(v_cat IN ('private dwelling', 'other dwelling', 'dwelling'), false);
  -- Non-places (custody, work, a party, a car, a friend's, won't say, abroad, various): answered
  -- without a place, with the reason (safestats_internal.geocode_nonplace).
  IF NOT v_home THEN
    SELECT * INTO v_np FROM safestats_internal.geocode_nonplace(v_dw);
    IF v_np.answer IS NOT NULL THEN
      RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, v_np.answer, NULL::text, false,
        jsonb_build_object('parsed', v_parsed || '{"non_place": true}', 'why', v_np.reason);
      RETURN;
    END IF;
    -- Non-place words among others ("pt found on a train"): the answer unless a place is named strongly
    -- (checked on the best candidate below, safestats_internal.geocode_weak_evidence).
    SELECT * INTO v_sig FROM safestats_internal.geocode_nonplace_signal(v_dw);
  END IF;

  -- 3. postcodes
  v_digit := translate(v_norm, '0123456789', '') <> v_norm;
  -- A postcode or district a scanner misread ("n17 oje", "5e16"): as it should read, where the gazetteer
  -- knows it (safestats_internal.geocode_misread_postcode).
  IF v_digit THEN
    v_norm := safestats_internal.geocode_misread_postcode(v_norm);
  END IF;
  -- A space inside the outward code ("se 16 2hs", "W 1T 2HF") or inside the inward code ("n169 da", "BR14
  -- DU") closed up, and put where it belongs, when that makes a real postcode.
  -- (one pattern, no test before it: each distinct pattern a call runs costs a compiled-regex slot)
  IF v_digit AND strpos(v_norm, ' ') > 0 THEN
    SELECT mm[1], mm[2] || mm[3] || ' ' || mm[4] || mm[5] INTO v_pc_as, v_pc_join
    FROM regexp_matches(v_norm, '\m(([a-z]{1,2}) ?([0-9][0-9a-z]?) ?([0-9]) ?([a-z]{2}))\M', 'g') mm
    WHERE mm[1] <> mm[2] || mm[3] || ' ' || mm[4] || mm[5] AND mm[1] <> mm[2] || mm[3] || mm[4] || mm[5]
      -- (not a word after a sector: "n99 pt vague", "RM12 4... pt can't recall", "NW10 - street")
      AND NOT (mm[1] LIKE '% __' AND mm[5] = ANY ('{pt,yp,st,rd,nr,os,am,pm,at,on,in,by,to,of,or,no,so,up,me,us,
                                                    he,we,it,is,as,an,my,ok,la,pl,sq,dr,ct,av,ed,ae,hq,nk,po}'::text[]))
      AND EXISTS (SELECT 1 FROM gazetteer.postcode p WHERE p.postcode = upper(mm[2] || mm[3] || mm[4] || mm[5]))
    LIMIT 1;
    IF v_pc_join IS NOT NULL THEN
      v_norm := replace(v_norm, v_pc_as, v_pc_join);
      v_parsed := v_parsed || jsonb_build_object('postcode_spaced', v_pc_as);
    END IF;
  END IF;
  IF NOT v_digit THEN
    -- no digit, so no postcode, sector or district (and their patterns are not run)
    SELECT p.postcode, p.display, p.geom, p.district INTO v_pc FROM gazetteer.postcode p WHERE false;
  ELSE
    SELECT p.postcode, p.display, p.geom, p.district INTO v_pc FROM gazetteer.postcode p
    WHERE p.postcode = (SELECT upper(m[1] || m[2]) FROM regexp_match(v_norm, '\m([a-z]{1,2}[0-9][0-9a-z]?) ?([0-9][a-z]{2})\M') m);
  END IF;
  IF v_pc.postcode IS NOT NULL THEN
    v_parsed := v_parsed || jsonb_build_object('postcode', v_pc.display);
    v_ctx_district := v_pc.district;
  ELSIF v_digit THEN
    SELECT f.* INTO v_sector FROM gazetteer.feature f
    WHERE f.level = 'sector' AND f.norm = (SELECT m[1] || ' ' || m[2] FROM
      regexp_match(v_norm, '\m([a-z]{1,2}[0-9][0-9a-z]?) ([0-9])(?:[a-z]{1,2})?\M') m);
    -- A sector written without its space ("se156", "wc1n3", "ha02"), unless the token is itself a
    -- district ("se14" is SE14, not SE1 4).
    IF v_sector.feature_id IS NULL THEN
      -- (and a whole postcode run together that the gazetteer does not know, "se154nj": its sector)
      SELECT f.*, m.tok INTO r FROM gazetteer.feature f
      JOIN (SELECT m[1] || m[2] || coalesce(m[3], '') AS tok, m[1] || ' ' || m[2] AS sec, m[3] IS NOT NULL AS unit
            FROM regexp_matches(v_norm, '\m([a-z]{1,2}[0-9][0-9a-z]?)([0-9])([a-z]{2})?\M', 'g') m) m ON f.norm = m.sec
      WHERE f.level = 'sector'
        AND (m.unit OR NOT EXISTS (SELECT 1 FROM gazetteer.feature d WHERE d.level = 'district' AND d.norm = m.tok))
      LIMIT 1;
      IF r.feature_id IS NOT NULL THEN
        SELECT f.* INTO v_sector FROM gazetteer.feature f WHERE f.feature_id = r.feature_id;
        v_sector_tok := r.tok;
        v_parsed := v_parsed || jsonb_build_object('sector_run_together', r.tok);
      END IF;
    END IF;
    IF v_sector.feature_id IS NOT NULL THEN
      v_parsed := v_parsed || jsonb_build_object('sector', v_sector.name);
      v_ctx_district := v_sector.district;
    END IF;
    SELECT f.* INTO v_district FROM gazetteer.feature f
    WHERE f.level = 'district' AND f.norm IN (SELECT m[1] FROM regexp_matches(v_norm, '\m([a-z]{1,2}[0-9][0-9a-z]?)\M', 'g') m)
    LIMIT 1;
    IF v_district.feature_id IS NOT NULL THEN
      v_parsed := v_parsed || jsonb_build_object('district', v_district.name);
      v_ctx_district := coalesce(v_ctx_district, v_district.name);
    END IF;
  END IF;
  IF v_home THEN
    RETURN QUERY SELECT v_pc.geom,
      CASE WHEN v_pc.postcode IS NULL THEN 0 ELSE safestats_internal.geocode_confidence('home', 1) END::real,
      CASE WHEN v_pc.postcode IS NULL THEN NULL ELSE 60 END::real, 'home'::text, v_pc.display, false,
      jsonb_build_object('parsed', v_parsed || '{"home": true}',
                         'why', CASE WHEN v_pc.postcode IS NULL THEN 'home address, no postcode given: not located'
                                     ELSE 'home address located by its postcode' END);
    RETURN;
  END IF;

  -- Two streets with "jct", "at" or "by" between them ("Shooters Hill Road Jct Baker Road", "Southend Lne (at
  -- Bromley Road)"): a junction -- the word after a street's type, and a street's type within the next four.
  IF strpos(v_norm, ' & ') = 0
     AND (strpos(v_norm, ' jct ') > 0 OR strpos(v_norm, ' at ') > 0 OR strpos(v_norm, ' by ') > 0) THEN
    v_ws := string_to_array(v_norm, ' ');
    FOR i IN 2 .. coalesce(cardinality(v_ws), 0) - 2 LOOP
      IF v_ws[i] IN ('jct', 'at', 'by') AND safestats_internal.gazetteer_is_street('xxxx ' || v_ws[i - 1])
         AND v_ws[i + 1] NOT IN ('of', 'the', 'no', 'number')
         AND EXISTS (SELECT 1 FROM generate_series(i + 2, least(i + 5, cardinality(v_ws))) j
                     WHERE safestats_internal.gazetteer_is_street('xxxx ' || v_ws[j])) THEN
        v_ws[i] := '&';
        v_norm := array_to_string(v_ws, ' ');
        EXIT;
      END IF;
    END LOOP;
  END IF;
  -- The words left once postcodes and spatial words ("o/s", "nr", "opp", "junction of") are gone.
  v_core := btrim(regexp_replace(CASE WHEN NOT v_digit THEN v_norm ELSE regexp_replace(v_norm,
              '\m[a-z]{1,2}[0-9][0-9a-z]? ?[0-9][a-z]{2}\M|\m[a-z]{1,2}[0-9][0-9a-z]? [0-9]\M', ' ', 'g') END,
              '\m(os|nr|opp|by|behind|near|outside|in front of|front of|infront of|rear of|back of|jct of|jct(?!( train| rail)? stn)|corner of|corner(?! stn)|crossroads|junction of|jw|at|in|on|inside|bus stop|bus stn|stop|area|traffic lights|off|top of|bottom of|end of|side of|just)\M', ' ', 'g'));
  -- Hospital rooms and departments ("waiting room of ...", "... a&e", "... hosp utc"): the hospital is
  -- the place, and the room words are not part of its name.
  -- "hospital" mistyped beyond the usual spellings ("hosiptal", "hopsital", "hospitl", "ospital"): read as hosp.
  IF ' ' || v_norm || ' ' NOT LIKE '% hosp %' THEN
    SELECT w INTO v_word FROM unnest(string_to_array(v_norm, ' ')) w
    WHERE length(w) BETWEEN 6 AND 10 AND w <> 'hospitals'
      AND ((left(w, 1) = 'h' AND levenshtein_less_equal(w, 'hospital', 2) <= 2)
           -- (its "h" not said: "ospital", "ospittal")
           OR (left(w, 2) = 'os' AND levenshtein_less_equal(w, 'ospital', 1) <= 1)) LIMIT 1;
    IF v_word IS NOT NULL THEN
      v_norm := regexp_replace(v_norm, '\m' || v_word || '\M', 'hosp', 'g');
      v_core := regexp_replace(v_core, '\m' || v_word || '\M', 'hosp', 'g');
    END IF;
  END IF;
  -- The parts of a hospital where patients and crews are hurt (resus, majors, a cubicle, the ambulance bay).
  -- (words by array overlap, phrases by LIKE: no compiled-regex slot)
  v_hosp := string_to_array(v_norm, ' ')
              && '{hosp,ae,utc,infirmary,resus,resuscitation,majors,minors,cubicle,maternity}'::text[]
            OR ' ' || v_norm || ' ' LIKE ANY ('{% emergency department %,% emergency dept %,% waiting room %,'
                 '% waiting rm %,% urgent care %,% urgent treatment %,% minor injuries %,% ambulance bay %,'
                 '% amb bay %,% ed entrance %,% ed reception %,% ed waiting %,% ed cubicle %,% ed majors %,'
                 '% ed minors %,% ed resus %,% ed triage %}'::text[])
            OR ' ' || v_norm LIKE '% ed';
  v_station := string_to_array(v_norm, ' ') && '{stn,platform,gateline,barriers}'::text[]
               OR ' ' || v_norm || ' ' LIKE ANY ('{% ticket hall %,% ticket barrier %,% ticket barriers %,'
                                                 '% ticket office %,% gate line %}'::text[]);
  -- A house number after a cue ("o/s no. 33 ...", "opp number 12 ...") is not part of a name ("No 1 Bar" is).
  IF (' ' || v_norm || ' ' LIKE '% no %' OR ' ' || v_norm || ' ' LIKE '% number %')
     AND v_norm ~ '\m(os|opp|nr|by|at|from|behind|outside|to) (no|number) [0-9]+[a-z]? [a-z]' THEN
    v_core := regexp_replace(v_core, '\m(no|number) [0-9]+[a-z]?\M', ' ', 'g');
  END IF;
  IF string_to_array(v_core, ' ') && '{somewhere,around,approx,vicinity,nearby,locality,region}'::text[] THEN
    v_core := regexp_replace(v_core, '\m(somewhere|around|approx|vicinity|nearby|locality|region)\M', ' ', 'g');
  END IF;
  -- "per X": the source of the information ("per LAS", "per crew", "per police"), not where
  IF strpos(' ' || v_core, ' per ') > 0 THEN
    v_core := regexp_replace(v_core, '\mper [a-z0-9]+\M', ' ', 'g');
  END IF;
  IF v_sector_tok IS NOT NULL THEN
    v_core := regexp_replace(v_core, '\m' || v_sector_tok || '\M', ' ', 'g');
  END IF;
  IF v_hosp THEN
    v_core := regexp_replace(v_core, '\m(maternity (unit|ward|wing|dept|department)|maternity|ae|utc|ed|emergency department|emergency dept|dept|department|waiting room|waiting rm|waiting area|reception|main entrance|entrance|car pk|carpark|urgent care centre|urgent treatment centre|urgent care|urgent treatment|centre|minor injuries unit|minor injuries|resus|resuscitation|majors|minors|cubicle|ambulance bay|amb bay|bay|triage|corridor|smoking shelter|drop off point|drop off)\M', ' ', 'g');
  END IF;
  -- The part of a park, an estate or a block where it happened ("by the pond in X park", "the swings in
  -- X rec", "bin sheds on the X estate", "basketball court, X park"): the place is the one the part
  -- belongs to, and the part's own words name nothing ("Pond Road", "The Bird Cage", "The Swing").
  -- (the patterns run only when one of their words is there: a pattern every text runs costs a slot in
  -- the backend's small cache of compiled regular expressions)
  IF string_to_array(v_norm, ' ') && '{pond,lake,swing,swings,slide,slides,cage,bandstand,benches,bench,bins,bin,lift,
       lifts,playground,skatepark,skate,muga,basketball,basket,tennis,netball,net,football,astro}'::text[]
     AND (v_norm ~ '\m(pond|lake|swings?|slides?|cage|bandstand|benches|bench|bins|bin sheds?|bin store|lifts?|playground|skatepark|skate pk|muga) (in|of|at|on|by|near|behind) '
          OR v_norm ~ '\m(basket ?ball|tennis|net ?ball|football|astro) (courts?|ct|pitch|pitches|cage)\M') THEN
    v_core := regexp_replace(v_core, '\m(pond|lake|swings?|slides?|cage|bandstand|benches|bench|bins|bin sheds?|bin store|lifts?|playground|skatepark|skate pk|muga|(basket ?ball|tennis|net ?ball|football|astro) (courts?|ct|pitch|pitches))\M', ' ', 'g');
  END IF;
  IF v_station THEN
    v_core := regexp_replace(v_core, '\m(forecourt|platform|ticket hall|t hall|ticket barriers?|ticket office|ticket machines?|barriers|entrance|concourse|gateline|gate line|escalators?|(exit|platform|gate) [0-9]+)\M', ' ', 'g');
  END IF;
  -- "next to" / "next of" say where, and "next" is also a chain's name
  IF strpos(v_core, 'next ') > 0 THEN
    v_core := replace(replace(' ' || v_core || ' ', ' next to ', ' '), ' next of ', ' ');
  END IF;
  v_core := array_to_string(array_remove(string_to_array(v_core, ' '), ''), ' ');   -- spaces closed up
  -- A brand said in the other number ("in lidls", "the starbuck, sw4", "outside of morrison"): the brand's
  -- own word, when it is the only word naming the place (safestats_internal.geocode_brand_form).
  IF NOT v_station AND NOT v_hosp THEN
    SELECT min(t), count(*) INTO v_said, v_n_said FROM unnest(string_to_array(v_core, ' ')) t
    WHERE NOT safestats_internal.geocode_is_generic_word(t) AND NOT safestats_internal.geocode_is_nonplace_token(t)
      AND translate(t, '0123456789', '') = t;   -- (no pattern: this runs for every text)
    IF v_n_said = 1 THEN
      v_brand := safestats_internal.geocode_brand_form(v_said);
      IF v_brand IS NOT NULL THEN
        v_core := btrim(replace(' ' || v_core || ' ', ' ' || v_said || ' ', ' ' || v_brand || ' '));
        v_parsed := v_parsed || jsonb_build_object('brand_as_said', v_said);
      END IF;
      v_brand := NULL;
    END IF;
  END IF;
  v_whole := CASE WHEN v_district.name IS NULL THEN v_core
                  ELSE array_to_string(array_remove(string_to_array(v_core, ' '), lower(v_district.name)), ' ') END;
  v_toks := ARRAY(SELECT DISTINCT t FROM unnest(string_to_array(v_core, ' ')) t
                  WHERE NOT safestats_internal.geocode_is_generic_word(t)
                    AND NOT (left(t, 1) BETWEEN '0' AND '9' AND t ~ '^[0-9]+[a-z]?$')
                    AND (v_district.name IS NULL OR t <> lower(v_district.name))
                    AND NOT safestats_internal.geocode_is_nonplace_token(t)
                    -- a misspelt cue or filler word ("insidde", "outsidr", "londno"), not a place's name
                    AND NOT (length(t) BETWEEN 5 AND 10
                             AND EXISTS (SELECT 1 FROM unnest('{inside,outside,london,opposite,junction,corner,behind,assaulted,patient,states,nearby,entrance}'::text[]) v
                                         WHERE levenshtein_less_equal(t, v, 1) <= 1)
                             AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = t AND x.freq >= 3)));
  -- The whole text is the name of an area or borough ("brent", "peckham"): without a station cue
  -- that is where the text points, not at a pub or shop of that name somewhere. Not when the name
  -- reads as a street: wards are named after streets too ("Rye Lane", "Old Kent Road").
  -- The patient's story ("pt states") and a trailing "london" are not part of the name; "around ...",
  -- "... area", "somewhere in ..." say an area is meant even when its name reads as a street ("around
  -- White Hart Lane", "Goose Green area").
  v_area_core := coalesce((SELECT string_agg(w, ' ' ORDER BY i)
                           FROM unnest(string_to_array(v_core, ' ')) WITH ORDINALITY AS u(w, i)
                           WHERE w <> 'london' AND NOT safestats_internal.geocode_is_nonplace_token(w)
                             -- (nor the story's time words: "Edgware (bonfire night)")
                             AND NOT (w = ANY ('{night,tonight,evening,morning,afternoon,weekend,today,yesterday,
                                                 earlier,last,lunchtime}'::text[])
                                      OR safestats_internal.geocode_story_word(w))), '');
  v_area_name := NOT v_station AND NOT v_hosp
                 AND (string_to_array(v_norm, ' ') && '{area,around,somewhere,vicinity,locality}'::text[]
                      OR NOT safestats_internal.gazetteer_is_street(v_area_core))
                 AND EXISTS (SELECT 1 FROM gazetteer.feature f
                                           WHERE f.norm = v_area_core AND f.level IN ('area', 'borough') AND f.active);
  v_parsed := v_parsed || jsonb_build_object('core', v_core, 'words', to_jsonb(v_toks),
                                             'station_cue', v_station, 'area_name', v_area_name);

  -- 4. junctions: "a & b" where both sides name streets
  IF strpos(v_core, ' & ') > 0 THEN
    v_a := btrim(split_part(v_core, ' & ', 1));
    v_b := btrim(split_part(v_core, ' & ', 2));
    -- (each side without the story's and the record's words: safestats_internal.geocode_street_side)
    v_a := safestats_internal.geocode_street_side(v_a);
    v_b := safestats_internal.geocode_street_side(v_b);
    -- The best meeting, and a second one over 1 km away if as good: two streets of those names
    -- meeting elsewhere make the junction ambiguous (see the namesakes below).
    FOR r IN
      SELECT sa.name AS a_name, sb.name AS b_name, sa.sim AS a_sim, sb.sim AS b_sim,
             ST_Distance(sa.extent, sb.extent) AS gap,
             ST_Centroid(ST_ShortestLine(sa.extent, sb.extent)) AS pt
      FROM safestats_internal.geocode_street_candidates(v_a) sa, safestats_internal.geocode_street_candidates(v_b) sb
      WHERE sa.feature_id <> sb.feature_id AND ST_DWithin(sa.extent, sb.extent, 300)
      ORDER BY (sa.sim + sb.sim) - ST_Distance(sa.extent, sb.extent) / 1000.0
               + CASE WHEN v_site IS NULL THEN 0 ELSE 0.05 * exp(-ST_Distance(sa.geom, v_site) / 4000.0) END DESC
      LIMIT 4
    LOOP
      IF jsonb_array_length(v_cands) = 0
         OR (jsonb_array_length(v_cands) = 1
             AND least(1, (r.a_sim + r.b_sim) / 2 + 0.05) >= (v_cands->0->>'score')::float8 - 0.05
             AND ST_Distance(r.pt, ST_SetSRID(ST_MakePoint((v_cands->0->>'x')::float8,
                                                           (v_cands->0->>'y')::float8), 27700)) > 1000) THEN
        -- radius: 150 m beyond the gap (the place is usually within a bus stop's distance of the crossing,
        -- not on it: 60 m held for a third fewer of the independent sets' junctions than claimed)
        v_cands := v_cands || jsonb_build_object('x', ST_X(r.pt), 'y', ST_Y(r.pt), 'radius', 150 + r.gap,
          'level', 'junction', 'matched', r.a_name || ' / ' || r.b_name, 'kind', 'junction',
          'score', least(1, (r.a_sim + r.b_sim) / 2 + 0.05), 'prior', 0, 'feature_id', NULL,
          'why', format('streets meet within %s m', round(r.gap::numeric)));
      END IF;
    END LOOP;
  END IF;

  -- 5. named places (not needed when both streets of a junction were found by name). A text that is
  -- just an area's or borough's name needs no word search: those places are the candidates (the
  -- search would score them the same, and same-named venues lower, but costs a scan of every
  -- feature holding a common word such as "lewisham").
  IF v_area_name THEN
    FOR r IN
      SELECT f.feature_id, f.kind, f.level, f.name, f.geom, f.radius_m,
             CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END AS prior
      FROM gazetteer.feature f WHERE f.norm = v_area_core AND f.level IN ('area', 'borough') AND f.active
    LOOP
      v_cands := v_cands || jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m,
        'level', r.level, 'matched', r.name, 'kind', r.kind,
        'score', CASE r.level WHEN 'area' THEN 0.97 ELSE 0.95 END,
        'prior', round(r.prior::numeric, 3), 'feature_id', r.feature_id,
        'why', jsonb_build_object('name_in_text', 1, 'text_explained', 1, 'street_words', 0,
                                  'whole_similarity', 1, 'district', 0, 'cue', 0, 'area_name', true));
    END LOOP;
  ELSIF cardinality(v_toks) = 0 AND translate(v_core, 'abcdefghijklmnopqrstuvwxyz', '') <> v_core AND jsonb_array_length(v_cands) = 0
        AND v_pc.postcode IS NULL THEN
    -- Every word is a street type or cue ("grove park dlr", "cres lane"): no word to search by, but the
    -- words together may be a name, read whole (with or without the station word). With a postcode
    -- district or sector ("high st cr0", "london rd cr0 2"), only that district's, and then a run of two to
    -- four of the words will do ("incident was on london rd, cr0, per the patient").
    FOR r IN
      SELECT f.feature_id, f.kind, f.level, f.name, f.geom, f.radius_m,
             f.norm, f.norm = ANY (ARRAY[v_whole, regexp_replace(v_whole, ' ?stn$', ''), v_whole || ' stn']) AS whole,
             CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END AS prior
      FROM gazetteer.feature f
      WHERE f.norm = ANY (ARRAY[v_whole, regexp_replace(v_whole, ' ?stn$', ''), v_whole || ' stn']
                          || CASE WHEN v_ctx_district IS NULL THEN '{}'::text[] ELSE
                               ARRAY(SELECT array_to_string(a[i:j], ' ')
                                     FROM (SELECT string_to_array(v_whole, ' ') AS a) x,
                                          generate_series(1, cardinality(x.a)) i,
                                          generate_series(i + 1, least(i + 3, cardinality(x.a))) j) END)
        AND f.active AND f.level IN ('venue', 'street') AND (v_ctx_district IS NULL OR f.district = v_ctx_district)
      ORDER BY (v_station AND f.kind = 'station') DESC, length(f.norm) DESC,
               CASE WHEN v_site IS NULL THEN 0 ELSE ST_Distance(f.geom, v_site) END LIMIT greatest(n, 12)
    LOOP
      v_cands := v_cands || jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m,
        'level', r.level, 'matched', r.name, 'kind', r.kind,
        -- (a run of the words, not all of them: a little less sure)
        'score', CASE WHEN v_station AND r.kind <> 'station' THEN 0.8
                      WHEN NOT r.whole THEN 0.85
                      ELSE 0.9 END,
        'prior', round(r.prior::numeric, 3), 'feature_id', r.feature_id,
        'why', jsonb_build_object('name_in_text', 1,
                                  'text_explained', CASE WHEN r.whole THEN 1
                                                    ELSE round(array_length(string_to_array(r.norm, ' '), 1)::numeric
                                                               / greatest(1, array_length(string_to_array(v_whole, ' '), 1)), 2) END,
                                  'street_words', 0, 'whole_similarity', 1, 'district', 0, 'cue', 0,
                                  'read_whole', true));
    END LOOP;
  ELSIF cardinality(v_toks) > 0 AND NOT coalesce((v_cands->0->>'score')::float8 >= 0.9, false) THEN
    FOR r IN
      WITH w0 AS (     -- query words -> gazetteer words (exact, or similar for typos)
        SELECT t.tok, g.word, g.sim, g.freq, g.sim / ln(g.freq + 2.0::float8) AS weight
        FROM unnest(v_toks) AS t(tok)
        CROSS JOIN LATERAL (
          SELECT gw.word, 1.0::real AS sim, gw.freq FROM gazetteer.word gw WHERE gw.word = t.tok
          UNION ALL
          -- a word the gazetteer does not know: probably a typo, so take the nearest known words
          (SELECT gw.word, similarity(gw.word, t.tok), gw.freq FROM gazetteer.word gw
           WHERE length(t.tok) >= 4
             AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = t.tok AND x.freq >= 3)
             AND gw.word % t.tok AND similarity(gw.word, t.tok) >= 0.45
           ORDER BY similarity(gw.word, t.tok) DESC LIMIT 3)
          UNION ALL
          -- two neighbouring letters swapped ("souht", "olndis", "bormley"): the known words that
          -- swap gives, looked up exactly (trigrams miss short swapped words)
          (SELECT gw.word, (1 - 1.0 / length(t.tok))::real, gw.freq FROM gazetteer.word gw
           WHERE length(t.tok) >= 4 AND translate(t.tok, '0123456789', '') = t.tok
             AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = t.tok AND x.freq >= 3)
             -- (an array, so the generic plan looks each one up in the word index rather than
             -- hashing them against a scan of every known word)
             AND gw.word = ANY (ARRAY(SELECT substr(t.tok, 1, i - 1) || substr(t.tok, i + 1, 1) || substr(t.tok, i, 1)
                                             || substr(t.tok, i + 2)
                                      FROM generate_series(1, length(t.tok) - 1) i))
           ORDER BY gw.freq DESC LIMIT 2)
        ) g
      ), w AS (
        SELECT * FROM w0
        UNION ALL
        -- a word nothing above matched: a short typo breaks most of a word's trigrams ("ceicl",
        -- "tunnl"), so words one or two edits away with the same first letter (typing rarely gets
        -- that one wrong); similarity = 1 - edits / length
        SELECT t.tok, g.word, g.sim, g.freq, g.sim / ln(g.freq + 2.0::float8)
        FROM unnest(v_toks) AS t(tok)
        CROSS JOIN LATERAL (
          SELECT gw.word, (1 - levenshtein(gw.word, t.tok)::real
                               / greatest(length(gw.word), length(t.tok)))::real AS sim, gw.freq
          FROM gazetteer.word gw
          WHERE left(gw.word, 1) = left(t.tok, 1)
            AND length(gw.word) BETWEEN length(t.tok) - 1 AND length(t.tok) + 1
            AND levenshtein_less_equal(gw.word, t.tok, 2) <= least(2, length(t.tok) / 3)
          ORDER BY levenshtein(gw.word, t.tok), gw.freq DESC LIMIT 3) g
        WHERE length(t.tok) >= 4 AND NOT EXISTS (SELECT 1 FROM w0 WHERE w0.tok = t.tok)
        UNION ALL
        -- nor that: the first letter mistyped, dropped or doubled ("vurran", "hrange", "reenford"),
        -- through the trigram index on the rest of the word
        SELECT t.tok, g.word, (1 - 1.0 / length(t.tok))::real, g.freq, (1 - 1.0 / length(t.tok)) / ln(g.freq + 2.0::float8)
        FROM unnest(v_toks) AS t(tok)
        CROSS JOIN LATERAL (
          SELECT gw.word, gw.freq FROM gazetteer.word gw
          WHERE gw.word LIKE '_' || substr(t.tok, 2) OR gw.word LIKE '_' || t.tok OR gw.word = substr(t.tok, 2)
          ORDER BY gw.freq DESC LIMIT 2) g
        WHERE length(t.tok) >= 5 AND translate(t.tok, '0123456789', '') = t.tok AND NOT EXISTS (SELECT 1 FROM w0 WHERE w0.tok = t.tok)
      ), c AS (         -- features having those words; the rarest words first
        (SELECT fw.feature_id, count(*) FILTER (WHERE fw.in_name) AS ntok
         FROM w JOIN gazetteer.feature_word fw ON fw.word = w.word
         WHERE w.freq <= 4000
         GROUP BY fw.feature_id
         ORDER BY count(*) DESC, count(*) FILTER (WHERE fw.in_name) DESC, sum(w.weight) DESC, min(fw.name_len), fw.feature_id
         LIMIT 24)
        UNION
        -- with a postcode district or sector in the text, the streets of that district holding those
        -- words ("grange rd sm2": one of a hundred Grange Roads, the only one in SM2), and its venues whose
        -- name begins with one ("the itsu in se1", "londis of sw11"; not "public place cr4" and the
        -- district's Public Houses)
        (SELECT fw.feature_id, count(*) FILTER (WHERE fw.in_name)
         FROM w JOIN gazetteer.feature_word fw ON fw.word = w.word
         JOIN gazetteer.feature df ON df.feature_id = fw.feature_id
         WHERE v_ctx_district IS NOT NULL AND w.freq <= 1000 AND w.sim = 1   -- (rarer words as written: cheap)
           AND df.district = v_ctx_district
           AND (df.level = 'street'
                -- (a brand-like word: not one of a thousand names, "coffee" of "The Coffee Cup")
                OR (df.level = 'venue' AND split_part(df.norm, ' ', 1) = fw.word AND w.freq <= 600))
         GROUP BY fw.feature_id
         ORDER BY count(*) DESC, count(*) FILTER (WHERE fw.in_name) DESC, sum(w.weight) DESC, min(fw.name_len), fw.feature_id
         LIMIT 6)
        UNION
        -- with a hospital or station cue, the hospitals / stations holding those words too ("kings hosp":
        -- King's College Hospital is one of hundreds of places holding "kings")
        (SELECT fw.feature_id, count(*) FILTER (WHERE fw.in_name)
         FROM w JOIN gazetteer.feature_word fw ON fw.word = w.word
         JOIN gazetteer.feature hf ON hf.feature_id = fw.feature_id
         WHERE (v_hosp OR v_station)
           AND hf.kind = ANY (CASE WHEN v_hosp THEN '{hospital,ae_site}'::text[] ELSE '{station}'::text[] END)
         GROUP BY fw.feature_id
         ORDER BY count(*) DESC, sum(w.weight) DESC, min(fw.name_len), fw.feature_id
         LIMIT 6)
        UNION
        -- a name the text gives whole ("windmill dr": one searchable word that hundreds of names hold)
        (SELECT f.feature_id, (SELECT count(*) FROM w JOIN gazetteer.feature_word fw
                                ON fw.word = w.word AND fw.feature_id = f.feature_id AND fw.in_name)
         FROM gazetteer.feature f
         WHERE f.norm IN (v_core, v_area_core) AND f.active AND f.level IN ('venue', 'street')
         ORDER BY f.feature_id LIMIT 12)
        UNION
        -- ... and, in the postcode district the text gives, a name that two to four of its words give
        -- whole ("pt says london rd, cr0": common words the word search leaves out, and one of sixty
        -- London Roads)
        (SELECT f.feature_id, (SELECT count(*) FROM w JOIN gazetteer.feature_word fw
                                ON fw.word = w.word AND fw.feature_id = f.feature_id AND fw.in_name)
         FROM gazetteer.feature f
         WHERE v_ctx_district IS NOT NULL
           -- (an array: each run looked up in the name index, where a sub-select would scan every name)
           AND f.norm = ANY (ARRAY(SELECT array_to_string(x.a[i:j], ' ')
                                   FROM (SELECT string_to_array(v_whole, ' ') AS a) x,
                                        generate_series(1, cardinality(x.a)) i,
                                        generate_series(i + 1, least(i + 3, cardinality(x.a))) j))
           AND f.district = v_ctx_district AND f.active AND f.level IN ('venue', 'street')
         ORDER BY f.feature_id LIMIT 4)
      ), s AS MATERIALIZED (   -- (each similarity and street-word count worked out once per candidate:
                               --  inlined, the score and the sort key would each compute them again)
        SELECT f.feature_id, f.kind, f.level, f.name, f.norm, f.street_norm, f.district, f.geom, f.radius_m,
               c.ntok,
               -- how much of the feature's name the text holds (typos allowed) ...
               word_similarity(f.norm, v_core) AS name_sim,
               similarity(f.norm, v_core) AS whole_sim,
               -- ... and how much of the text the feature explains: its own words, plus (venues)
               -- the words of its street ("tesco rye lane" -> the Tesco on Rye Lane)
               -- (the gazetteer words the text's words were read as, so a misspelt street word counts)
               CASE WHEN f.street_norm IS NULL THEN 0 ELSE
                  (SELECT count(DISTINCT w.tok) FROM w
                   WHERE position(' ' || w.word || ' ' IN ' ' || f.street_norm || ' ') > 0
                     AND position(' ' || w.word || ' ' IN ' ' || f.norm || ' ') = 0) END AS street_toks,

               CASE WHEN v_ctx_district IS NULL THEN 0 WHEN f.district = v_ctx_district THEN 0.15
                    WHEN f.level IN ('venue', 'street') THEN -0.2 ELSE 0 END AS district_bonus,
               CASE WHEN v_hosp AND f.kind IN ('hospital', 'ae_site') THEN 0.15
                    WHEN v_hosp AND f.level IN ('venue', 'street', 'area', 'borough') THEN -0.1
                    WHEN v_station AND f.kind = 'station' THEN 0.15
                    WHEN v_station AND f.level = 'venue' THEN -0.1
                    WHEN v_area_name AND f.level IN ('venue', 'street') THEN -0.1
                    WHEN NOT v_station AND f.kind = 'station' AND v_core = f.norm THEN 0.05 ELSE 0 END AS cue_bonus,
               CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END AS prior
        FROM c JOIN gazetteer.feature f ON f.feature_id = c.feature_id
        WHERE f.active AND f.level IN ('venue', 'street', 'area', 'borough')
      )
      SELECT * FROM (
        SELECT s.*, (s.ntok + s.street_toks)::real / cardinality(v_toks) AS text_cov,
               least(1.0, 0.5 * s.name_sim + 0.35 * least(1.0, (s.ntok + s.street_toks)::real / cardinality(v_toks))
                          + 0.15 * s.whole_sim
                               + s.district_bonus + s.cue_bonus
                               - CASE s.level WHEN 'area' THEN 0.03 WHEN 'borough' THEN 0.05 ELSE 0 END)::real AS score
        FROM s) s2
      -- (ties, such as a chain's branches or namesakes at equal scores, broken by feature id here and in the
      -- branches above, so the answer does not depend on the plan PostgreSQL chose; a feature found by two
      -- branches keeps the row that explains more of the text)
      ORDER BY s2.score + s2.prior DESC, s2.whole_sim DESC, s2.radius_m, s2.feature_id, s2.text_cov DESC
      LIMIT greatest(n, 12)
    LOOP
      v_cands := v_cands || jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m,
        'level', r.level, 'matched', r.name, 'kind', r.kind, 'score', round(r.score::numeric, 3),
        'prior', round(r.prior::numeric, 3), 'feature_id', r.feature_id,
        'why', jsonb_build_object('name_in_text', round(r.name_sim::numeric, 2),
                                  'text_explained', round(r.text_cov::numeric, 2),
                                  'street_words', r.street_toks,
                                  'whole_similarity', round(r.whole_sim::numeric, 2),
                                  'district', r.district_bonus, 'cue', r.cue_bonus));
    END LOOP;
  END IF;

  -- Postcode answers: exact and precise, so they compete at full strength; a named place within
  -- 400 m of a given full postcode keeps its name.
  IF v_pc.postcode IS NOT NULL THEN
    v_cands := v_cands || jsonb_build_object('x', ST_X(v_pc.geom), 'y', ST_Y(v_pc.geom), 'radius', 60,
      'level', 'postcode', 'matched', v_pc.display, 'kind', 'postcode', 'score', 0.9, 'prior', 0,
      'feature_id', NULL, 'why', 'full postcode');
    SELECT coalesce(jsonb_agg(CASE WHEN ST_DWithin(ST_SetSRID(ST_MakePoint((c->>'x')::float8, (c->>'y')::float8), 27700),
                                                   v_pc.geom, 400)
                               THEN c || jsonb_build_object('score', least(1, (c->>'score')::float8 + 0.2))
                               ELSE c || jsonb_build_object('score', (c->>'score')::float8 - 0.3) END), '[]')
      INTO v_cands FROM jsonb_array_elements(v_cands) c;
  ELSIF v_sector.feature_id IS NOT NULL OR v_district.feature_id IS NOT NULL THEN
    -- A sector or district recorded by an A&E site: the part of it in that site's catchment, when the
    -- catchment holds at least a tenth of its postcodes (gazetteer.code_catchment); else the whole code.
    v_code_level := CASE WHEN v_sector.feature_id IS NOT NULL THEN 'sector' ELSE 'district' END;
    SELECT c.geom, c.radius_m, c.share INTO v_catch FROM gazetteer.code_catchment c
    WHERE v_site_code IS NOT NULL AND c.site_code = v_site_code AND c.share >= 0.1 AND c.postcodes >= 3
      AND (c.level, c.code) = (v_code_level, coalesce(v_sector.name, v_district.name));
    v_cands := v_cands || jsonb_build_object(
      'x', ST_X(coalesce(v_catch.geom, v_sector.geom, v_district.geom)),
      'y', ST_Y(coalesce(v_catch.geom, v_sector.geom, v_district.geom)),
      'radius', coalesce(v_catch.radius_m, v_sector.radius_m, v_district.radius_m),
      'level', v_code_level, 'matched', coalesce(v_sector.name, v_district.name), 'kind', v_code_level,
      'score', CASE v_code_level WHEN 'sector' THEN 0.6 ELSE 0.5 END, 'prior', 0,
      'feature_id', coalesce(v_sector.feature_id, v_district.feature_id), 'catchment', v_catch.share IS NOT NULL,
      'why', 'postcode ' || v_code_level || CASE WHEN v_catch.share IS NULL THEN ''
               ELSE format(', the part nearest the reporting A&E site (%s%% of its postcodes)',
                           round(100 * v_catch.share)) END);
  END IF;

  -- 6. rank, check for far-apart namesakes, calibrate
  -- A venue sharing only kind-of-place words with the text ("Jen Canteen" for "canteen", "No. 17", "The
  -- Saint" for "st") is no candidate (safestats_internal.geocode_weak_evidence): the next may be the place.
  LOOP
    SELECT c INTO v_best FROM jsonb_array_elements(v_cands) c
    -- (between equal scores, the one more of the whole text names: scores are capped at 1, so with a
    -- district's bonus "The Plough" and "Plough Lane" both reach it for "plough ln sw4")
    ORDER BY (c->>'score')::float8 + (c->>'prior')::float8 DESC,
             CASE WHEN jsonb_typeof(c->'why') = 'object' THEN (c->'why'->>'whole_similarity')::float8 END DESC NULLS LAST,
             (c->>'radius')::float8 LIMIT 1;
    EXIT WHEN v_best IS NULL OR safestats_internal.geocode_weak_evidence(v_best, v_norm, false) IS NULL;
    v_parsed := v_parsed || jsonb_build_object(
      'not_accepted', coalesce(v_parsed->'not_accepted', '[]') || jsonb_build_array(v_best->'matched'),
      'not_accepted_why', 'shares only words naming a kind of place with the text');
    v_cands := (SELECT coalesce(jsonb_agg(c), '[]') FROM jsonb_array_elements(v_cands) c WHERE c <> v_best);
  END LOOP;
  IF v_best IS NULL OR (v_best->>'score')::float8 < 0.35 THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, coalesce(v_sig.answer, 'none'), NULL::text, false,
      jsonb_build_object('parsed', v_parsed, 'candidates', v_cands,
                         'why', 'no candidate scored 0.35 or more' || coalesce('; ' || v_sig.reason, ''));
    RETURN;
  END IF;
  -- A brand on a street ("nandos baker st", "dominos romford rd", "waitrose on camden high st"): the best
  -- answer (a street, or a venue) leaves a word of the text unexplained, and one word of the text begins
  -- the name of a venue whose street holds the others (a branch's full name, "Nandos Chicken
  -- Restaurants", holds words the text never gives, so the name search ranks it below the street or
  -- a shorter-named branch): that branch is the place, the one in the text's postcode district or else
  -- nearest the reporting A&E site when several match as well.
  IF v_best->>'level' IN ('street', 'venue')
     AND (v_best->>'level' = 'street' OR coalesce((v_best->'why'->>'text_explained')::float8, 1) < 0.99)
     AND coalesce((v_best->'why'->>'street_words')::int, 0) = 0
     AND NOT v_station AND NOT v_hosp AND v_pc.postcode IS NULL AND cardinality(v_toks) BETWEEN 2 AND 6 THEN
    -- (venues holding a word of the text in their name and another in their street: two look-ups of
    -- the word index, intersected)
    SELECT f.feature_id, f.name, f.kind, f.geom, f.radius_m, m.tok, similarity(f.norm, v_core) AS whole_sim,
           CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END AS prior,
           m.n AS street_words
      INTO r
    FROM (SELECT fw.feature_id, t.tok, count(DISTINCT t2.tok) AS n
          FROM unnest(v_toks) AS t(tok)
          JOIN unnest(v_toks) AS t2(tok) ON t2.tok <> t.tok
          JOIN gazetteer.feature_word fs ON fs.word = t2.tok AND NOT fs.in_name
          JOIN gazetteer.feature_word fw ON fw.word = t.tok AND fw.in_name AND fw.feature_id = fs.feature_id
          GROUP BY fw.feature_id, t.tok) m
    JOIN gazetteer.feature f ON f.feature_id = m.feature_id
    WHERE f.active AND f.level = 'venue' AND f.kind NOT IN ('station', 'hospital', 'ae_site')
      AND split_part(f.norm, ' ', 1) = m.tok
      -- the brand and the street words explain the whole text
      AND m.n + 1 >= cardinality(v_toks)
      -- the brand word is not part of the street answer's own name ("kings" in "kings cross rd")
      AND (v_best->>'level' = 'venue'
           OR position(' ' || m.tok || ' ' IN ' ' || safestats_internal.geocode_normalise(v_best->>'matched') || ' ') = 0)
    ORDER BY m.n DESC, coalesce(f.district = v_ctx_district, false) DESC,
             CASE WHEN v_site IS NULL THEN 0 ELSE ST_Distance(f.geom, v_site) END, f.feature_id
    LIMIT 1;
    IF r.feature_id IS NOT NULL THEN
      v_best := jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m, 'level', 'venue',
        'matched', r.name, 'kind', r.kind, 'score', round(least(1, (v_best->>'score')::float8 + 0.1)::numeric, 3),
        'prior', round(r.prior::numeric, 3), 'feature_id', r.feature_id, 'boost', 10,
        'why', jsonb_build_object('name_in_text', 1, 'text_explained', 1, 'street_words', r.street_words,
                                  'whole_similarity', round(r.whole_sim::numeric, 2), 'district', 0, 'cue', 0,
                                  'brand_on_street', r.tok));
      v_cands := jsonb_build_array(v_best) || v_cands;
    END IF;
  END IF;

  -- Chains: the answer is a venue whose name many venues share ("Tesco", "Costa Coffee", "The Royal Oak"),
  -- or the text names it by one word that begins many venue names ("costa", "aldi london"), and no street
  -- word picked the branch. The branch is chosen by the text's postcode sector or district when it gives
  -- one, then by an area or station it names beside the chain, otherwise among the branches in the
  -- reporting A&E site's catchment (the branches for which that site is the nearest): the branch with
  -- the most others of the catchment within 1 km (the likeliest to
  -- be within 1 km of the true one). Radius: the distance within which 60% of those branches lie;
  -- ambiguous when more than one remains.
  -- One word naming the place ("tesco", "pret e1", "tesvo"): the brand is the known word it is or is
  -- nearest to, when at least three venue names begin with it.
  IF cardinality(v_toks) = 1 AND v_pc.postcode IS NULL AND NOT v_station AND NOT v_hosp AND NOT v_area_name
     AND (v_best->>'level' IN ('sector', 'district')
          OR (v_best->>'level' = 'venue' AND v_best->>'kind' NOT IN ('station', 'hospital', 'ae_site')
              AND coalesce((v_best->'why'->>'street_words')::int, 0) = 0)) THEN
    SELECT x.word INTO v_brand FROM gazetteer.word x WHERE x.word = v_toks[1] AND x.freq >= 3;
    IF v_brand IS NULL AND v_best->>'level' = 'venue' THEN   -- a misspelt brand: the nearest known word
    -- The trigram-similar word alone first: when it is more than 0.5 alike it is the answer below
    -- whatever the edit-distance look-up finds (that one counts as 0.5), and that look-up reads
    -- every known word of about the same length (5 ms), so it is only made when it could win.
    SELECT x.word, similarity(x.word, v_toks[1]) INTO v_brand, v_brand_sim FROM gazetteer.word x
    WHERE length(v_toks[1]) BETWEEN 4 AND 40 AND x.freq >= 3 AND x.word % v_toks[1]
    ORDER BY similarity(x.word, v_toks[1]) DESC, x.freq DESC LIMIT 1;
    IF v_brand IS NULL OR v_brand_sim <= 0.5 THEN
    SELECT g.word INTO v_brand FROM (
      (SELECT x.word, similarity(x.word, v_toks[1]) AS sim FROM gazetteer.word x
       WHERE length(v_toks[1]) BETWEEN 4 AND 40 AND x.freq >= 3 AND x.word % v_toks[1]
       ORDER BY similarity(x.word, v_toks[1]) DESC, x.freq DESC LIMIT 1)
      UNION ALL
      (SELECT x.word, 0.5 FROM gazetteer.word x
       WHERE length(v_toks[1]) BETWEEN 4 AND 40 AND x.freq >= 3
         AND length(x.word) BETWEEN length(v_toks[1]) - 1 AND length(v_toks[1]) + 1
         AND levenshtein_less_equal(x.word, v_toks[1], 2) <= least(2, length(v_toks[1]) / 3)
       ORDER BY levenshtein(x.word, v_toks[1]), x.freq DESC LIMIT 1)) g
    ORDER BY g.sim DESC LIMIT 1;
    END IF;
    END IF;
    -- a misspelt word is read as a brand only when the best answer is already that brand's venue; a
    -- text reading as a street ("beidge rd kt17") is not a brand
    IF v_brand IS DISTINCT FROM v_toks[1]
       AND NOT (v_best->>'level' = 'venue'
                AND split_part(safestats_internal.geocode_normalise(v_best->>'matched'), ' ', 1) = v_brand) THEN
      v_brand := NULL;
    END IF;
    IF v_brand IS NOT NULL
       -- (also with its postcode district: "plough ln sw4")
       AND safestats_internal.gazetteer_is_street(v_whole) THEN
      v_brand := NULL;
    END IF;
    -- a venue the text names whole, whose name does not begin with the word, is no branch of the venues
    -- that do ("club albemarle" is not one of the "Albemarle ..." venues)
    IF v_brand IS NOT NULL AND v_best->>'level' = 'venue'
       AND coalesce((v_best->'why'->>'whole_similarity')::float8, 0) >= 0.99
       AND split_part(safestats_internal.geocode_normalise(v_best->>'matched'), ' ', 1) <> v_brand THEN
      v_brand := NULL;
    END IF;
    IF v_brand IS NOT NULL AND safestats_internal.geocode_brand_count(v_brand) < 3 THEN
      v_brand := NULL;
    END IF;
  END IF;
  IF v_brand IS NULL AND v_best->>'level' = 'venue' AND v_best->>'kind' NOT IN ('station', 'hospital', 'ae_site')
     AND coalesce((v_best->'why'->>'street_words')::int, 0) = 0 AND v_pc.postcode IS NULL
     -- (a text reading as a street with its postcode district, "plough ln sw4", is not "The Plough")
     AND NOT (v_district.name IS NOT NULL AND safestats_internal.gazetteer_is_street(v_whole)) THEN
    SELECT f.norm INTO v_brand FROM gazetteer.feature f WHERE f.feature_id = (v_best->>'feature_id')::bigint;
  END IF;
  -- A chain's word among others when the answer is no venue of it ("Ruislip Waitrose", "Tesco store at
  -- Bayswater", "Shadwell Iceland Store - works as shop assistant": an area or a station of that name
  -- matched better): the chain, its branch chosen as below, by the area or station beside it.
  -- (only where that area or station is what picks the branch: else the place named stays the answer)
  IF v_brand IS NULL AND v_pc.postcode IS NULL AND NOT v_hosp AND cardinality(v_toks) >= 2
     AND (v_best->>'level' = 'area' OR v_best->>'kind' = 'station') THEN
    v_brand := safestats_internal.geocode_text_chain(v_toks);
    v_text_chain := v_brand IS NOT NULL;
  END IF;
  IF v_brand IS NOT NULL THEN
    -- (a brand word in the other number: "J Sainsbury" is one of the "Sainsbury's")
    -- (when that brand is a chain's word: "Crystals Bar" stays apart from the "Crystal ..." venues)
    IF strpos(v_brand, ' ') = 0 AND safestats_internal.geocode_brand_form(v_brand) IS NOT NULL THEN
      v_brand := coalesce(safestats_internal.geocode_text_chain(ARRAY[v_brand]), v_brand);
    END IF;
    IF strpos(v_brand, ' ') > 0 THEN   -- a whole name: its exact namesakes, through the name index
      v_ids := ARRAY(SELECT f.feature_id FROM gazetteer.feature f
                     WHERE f.norm = v_brand AND f.active AND f.level = 'venue'
                       AND f.kind NOT IN ('station', 'hospital', 'ae_site'));
    ELSE                    -- a brand word: the venues whose name begins with it
      v_ids := ARRAY(SELECT f.feature_id FROM gazetteer.feature f
                     WHERE f.feature_id IN (SELECT fw.feature_id FROM gazetteer.feature_word fw
                                            WHERE fw.word = v_brand AND fw.in_name)
                       AND f.active AND f.level = 'venue' AND f.kind NOT IN ('station', 'hospital', 'ae_site')
                       AND (f.norm = v_brand OR split_part(f.norm, ' ', 1) = v_brand));
    END IF;
    -- A whole name held by fewer than three venues whose first word is a brand, said in the text ("Greggs
    -- bakery sw11", "Iceland Foods"): the brand's venues are the branches. A brand here is a word that
    -- begins fifteen venue names or more and is itself the whole name of twenty venues or more ("Royal" of
    -- "Royal Surrey", three, "Dolphin" of "Dolphin Tavern", six, and the pub names "Albion" and "Ship",
    -- ten and fifteen, are not).
    -- (So too where the text's postcode district holds none of the whole name's venues but the brand's.)
    IF (cardinality(v_ids) < 3
        OR (v_ctx_district IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids) AND b.district = v_ctx_district)))
       AND strpos(v_brand, ' ') > 0
       AND strpos(' ' || v_core || ' ', ' ' || split_part(v_brand, ' ', 1) || ' ') > 0
       AND (SELECT count(*) FROM (SELECT 1 FROM gazetteer.feature f WHERE f.norm = split_part(v_brand, ' ', 1)
                                    AND f.active AND f.level = 'venue' LIMIT 20) x) = 20
       AND safestats_internal.geocode_brand_count(split_part(v_brand, ' ', 1)) >= 15 THEN
      v_brand := split_part(v_brand, ' ', 1);
      v_ids := ARRAY(SELECT f.feature_id FROM gazetteer.feature f
                     WHERE f.feature_id IN (SELECT fw.feature_id FROM gazetteer.feature_word fw
                                            WHERE fw.word = v_brand AND fw.in_name)
                       AND f.active AND f.level = 'venue' AND f.kind NOT IN ('station', 'hospital', 'ae_site')
                       AND (f.norm = v_brand OR split_part(f.norm, ' ', 1) = v_brand));
    END IF;
    v_n_alt := cardinality(v_ids);
    IF v_n_alt >= 3 THEN
      -- A locality named beside the chain, an area, a station or a street ("hither green - costa coffee",
      -- "costa perivale", "little waitrose holloway road"): what is left of the text without the chain's
      -- words, cues and one-letter stubs, when that is exactly an area's, a station's or a street's name
      -- (of a street's namesakes, the one nearest the reporting site).
      IF v_sector.feature_id IS NULL AND v_ctx_district IS NULL THEN
        -- (or a run of one to four of those words, the longest first: the rest of a work or shift note,
        -- "Shadwell Iceland Store - works as shop assistant - job no. 12")
        v_ws := ARRAY(SELECT w FROM unnest(string_to_array(v_core, ' ')) WITH ORDINALITY u(w, i)
                      WHERE length(w) > 1 AND w <> ALL (string_to_array(v_brand, ' '))
                        AND w <> ALL (safestats_internal.geocode_prepositions())
                        AND ((safestats_internal.geocode_nonplace_class(w) IS NULL
                              AND NOT safestats_internal.geocode_is_generic_word(w))
                             OR w = ANY ('{st,rd,ave,ln,pl,sq,gdns,cres,ter,cl,dr,ct,gr,pk,pde,grn,bdwy,hwy,way,high}'::text[]))
                      ORDER BY i);
        -- (the runs, safestats_internal.geocode_word_runs, and all of the words: each looked up in the name index)
        SELECT f.geom, f.radius_m, f.level <> 'area' INTO v_loc, v_loc_r, v_loc_pt
        FROM gazetteer.feature f
        WHERE f.norm = ANY (safestats_internal.geocode_word_runs(array_to_string(v_ws, ' '), 4)
                            || array_to_string(v_ws, ' '))
          AND f.active AND (f.level IN ('area', 'street') OR f.kind = 'station')
          -- (not a street type alone among other words: "hill" of "nando, hill denmark"; "The Broadway" is one)
          AND NOT (strpos(f.norm, ' ') = 0 AND cardinality(v_ws) > 1 AND safestats_internal.gazetteer_is_street('xxxx ' || f.norm))
          -- "high st" / "high road" alone names one of hundreds of streets (and a ward): no locality
          AND f.norm !~ '^high [a-z]+$'
        ORDER BY f.norm = array_to_string(v_ws, ' ') DESC, cardinality(string_to_array(f.norm, ' ')) DESC,
                 (v_station AND f.kind = 'station') DESC, f.level = 'area' DESC, f.kind = 'station' DESC,
                 f.geom <-> v_site NULLS LAST, f.feature_id LIMIT 1;
      END IF;
      v_chain_mode := CASE WHEN v_sector.feature_id IS NOT NULL
                                AND EXISTS (SELECT 1 FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids)
                                            AND ST_DWithin(b.geom, v_sector.geom, greatest(v_sector.radius_m, 500) * 1.5))
                             THEN 'sector'
                           WHEN v_ctx_district IS NOT NULL
                                AND EXISTS (SELECT 1 FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids)
                                            AND b.district = v_ctx_district)
                             THEN 'district'
                           WHEN v_loc IS NOT NULL
                                AND EXISTS (SELECT 1 FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids)
                                            AND ST_DWithin(b.geom, v_loc, greatest(v_loc_r, 1000) * 1.5))
                             THEN 'locality'
                           WHEN v_site IS NOT NULL AND NOT v_text_chain THEN 'site' END;
      IF v_chain_mode = 'site' THEN   -- the other A&E sites that could be nearer to a branch within 10 km
        v_sites := ARRAY(SELECT s.geom FROM health.ae_site s WHERE s.geom IS NOT NULL AND s.site_code <> v_site_code
                           -- sites on the same hospital campus count as the reporting site
                           AND NOT ST_DWithin(s.geom, v_site, 300) AND ST_DWithin(s.geom, v_site, 20000));
      END IF;
      v_plaus := ARRAY(
        SELECT b.feature_id FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids)
          AND CASE v_chain_mode
                WHEN 'sector' THEN ST_DWithin(b.geom, v_sector.geom, greatest(v_sector.radius_m, 500) * 1.5)
                WHEN 'district' THEN b.district = v_ctx_district
                WHEN 'locality' THEN ST_DWithin(b.geom, v_loc, greatest(v_loc_r, 1000) * 1.5)
                -- the catchment: branches (within 10 km) for which the reporting site is the nearest A&E site
                WHEN 'site' THEN ST_DWithin(b.geom, v_site, 10000)
                                 AND NOT EXISTS (SELECT 1 FROM unnest(v_sites) g
                                                 WHERE ST_Distance(b.geom, g) < ST_Distance(b.geom, v_site))
                ELSE false END);
      IF v_chain_mode = 'site' AND cardinality(v_plaus) = 0 THEN   -- none in the catchment: the nearest
        v_plaus := ARRAY(SELECT b.feature_id FROM gazetteer.feature b WHERE b.feature_id = ANY (v_ids)
                         ORDER BY b.geom <-> v_site LIMIT 1);
        v_chain_mode := 'nearest-to-site';
      END IF;
      IF v_chain_mode IS NOT NULL THEN
        SELECT b.feature_id, b.name, b.kind, b.geom, b.radius_m, cardinality(v_plaus) AS n_plausible,
               (SELECT percentile_disc(0.6) WITHIN GROUP (ORDER BY ST_Distance(o.geom, b.geom))
                FROM gazetteer.feature o WHERE o.feature_id = ANY (v_plaus)) AS r60,
               -- share of the plausible branches within r60 + own radius (the radius stated below)
               (SELECT avg((ST_Distance(o.geom, b.geom) <= (SELECT percentile_disc(0.6) WITHIN GROUP
                              (ORDER BY ST_Distance(o2.geom, b.geom)) FROM gazetteer.feature o2
                              WHERE o2.feature_id = ANY (v_plaus)) + b.radius_m)::int)
                FROM gazetteer.feature o WHERE o.feature_id = ANY (v_plaus)) AS share
          INTO r
        FROM gazetteer.feature b WHERE b.feature_id = ANY (v_plaus)
        -- (beside a station or on a street named in the text: the branch nearest it)
        ORDER BY CASE WHEN v_chain_mode = 'locality' AND v_loc_pt THEN ST_Distance(b.geom, v_loc) END,
                 (SELECT count(*) FROM gazetteer.feature o
                  WHERE o.feature_id = ANY (v_plaus) AND ST_DWithin(o.geom, b.geom, 1000)) DESC,
                 ST_Distance(b.geom, coalesce(v_sector.geom, v_district.geom, v_loc, v_site, b.geom)), b.feature_id
        LIMIT 1;
        v_chain := jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom),
          'radius', CASE WHEN r.n_plausible > 1 THEN least(5000, greatest(r.radius_m, r.r60 + r.radius_m))
                         ELSE r.radius_m END,
          'level', 'venue', 'matched', r.name, 'kind', r.kind,
          -- the match score times the share of the plausible branches within the stated radius (the
          -- chance the true branch is there if any of them is equally likely): what the calibration reads
          'score', round(((CASE WHEN v_best->>'level' = 'venue' THEN (v_best->>'score')::float8 ELSE 0.7 END)
                          * CASE WHEN r.n_plausible > 1 THEN r.share ELSE 1 END)::numeric, 3),
          'prior', v_best->'prior',
          'boost', 10, 'feature_id', r.feature_id,
          'why', CASE WHEN jsonb_typeof(v_best->'why') = 'object' THEN v_best->'why' ELSE '{}' END
                 || jsonb_build_object('chain', v_brand, 'branches', v_n_alt,
                                                       'district', CASE WHEN v_chain_mode IN ('sector', 'district', 'locality')
                                                                        THEN 0.15 ELSE 0 END,
                                                       'chosen_by', v_chain_mode, 'plausible_branches', r.n_plausible));
        v_cands := jsonb_build_array(v_chain) || v_cands;
        v_best := v_chain;
        v_amb := r.n_plausible > 1 OR v_chain_mode = 'nearest-to-site';
        v_parsed := v_parsed || jsonb_build_object('chain', format(
          '%s: %s branches; chosen by the %s (%s plausible)', v_brand, v_n_alt,
          CASE v_chain_mode WHEN 'sector' THEN 'postcode sector in the text'
                            WHEN 'district' THEN 'postcode district in the text'
                            WHEN 'locality' THEN 'area or station named in the text'
                            WHEN 'site' THEN 'reporting A&E site''s catchment'
                            ELSE 'nearest branch to the reporting A&E site' END, r.n_plausible));
      END IF;
    END IF;
    v_n_alt := 0;
  END IF;

  -- A chain's branch named by its street ("Costa (Lea Bridge Road site)", "LEON on London Street", "camden
  -- high st branch of boots"): the answer is that street, and a venue candidate's first word, said in the
  -- text, is a chain's (gazetteer.chain_word), or the text holds one (safestats_internal.geocode_text_chain). A branch of it within 150 m of a street of the
  -- answer's name is the place: on the answer's own street first, then the one nearest the reporting site.
  -- (only when the text holds a word beyond the street's name: most street texts do not)
  IF v_chain IS NULL AND v_best->>'level' = 'street' AND v_best->>'feature_id' IS NOT NULL
     AND EXISTS (SELECT 1 FROM unnest(v_toks) t
                 WHERE t <> ALL (string_to_array(safestats_internal.geocode_normalise(v_best->>'matched'), ' '))) THEN
    SELECT b.feature_id, b.name, b.kind, b.geom, b.radius_m, v.brand INTO r
    FROM (SELECT split_part(safestats_internal.geocode_normalise(c->>'matched'), ' ', 1) AS brand
          FROM jsonb_array_elements(v_cands) c
          WHERE c->>'level' = 'venue' AND c->>'kind' NOT IN ('station', 'hospital', 'ae_site')
            AND strpos(' ' || v_core || ' ', ' ' || split_part(safestats_internal.geocode_normalise(c->>'matched'), ' ', 1) || ' ') > 0
          UNION
          SELECT safestats_internal.geocode_text_chain(ARRAY(
                   SELECT t FROM unnest(v_toks) t
                   WHERE t <> ALL (string_to_array(safestats_internal.geocode_normalise(v_best->>'matched'), ' '))))) v
    JOIN gazetteer.feature t ON t.feature_id = (v_best->>'feature_id')::bigint
    JOIN gazetteer.feature b ON b.active AND b.level = 'venue' AND b.kind NOT IN ('station', 'hospital', 'ae_site')
                             AND ST_DWithin(b.geom, coalesce(t.extent, t.geom), 150)
                             AND split_part(b.norm, ' ', 1) = v.brand
    WHERE v.brand <> ALL (string_to_array(t.norm, ' '))
      AND EXISTS (SELECT 1 FROM gazetteer.chain_word c WHERE c.word = v.brand)
    ORDER BY ST_Distance(b.geom, coalesce(t.extent, t.geom)), b.feature_id
    LIMIT 1;
    IF r.feature_id IS NOT NULL THEN
      v_brand := r.brand;
      v_chain_mode := 'locality';
      v_chain := jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m,
        'level', 'venue', 'matched', r.name, 'kind', r.kind, 'score', v_best->'score', 'prior', v_best->'prior',
        'boost', 10, 'feature_id', r.feature_id,
        'why', CASE WHEN jsonb_typeof(v_best->'why') = 'object' THEN v_best->'why' ELSE '{}' END
               || jsonb_build_object('chain', r.brand, 'district', 0.15, 'chosen_by', 'street',
                                     'street', v_best->>'matched', 'plausible_branches', 1));
      v_cands := jsonb_build_array(v_chain) || v_cands;
      v_best := v_chain;
      v_amb := false;
      v_parsed := v_parsed || jsonb_build_object('chain', format('%s: the branch on %s named in the text',
                                                                 r.brand, v_chain->'why'->>'street'));
    END IF;
  END IF;

  -- Places of exactly the answer's name (the many Victoria Roads, two Cedar Avenues): the candidate
  -- list is capped before any distance is looked at, so the one the text means may not be in it. Among
  -- all of them the answer is the one in the postcode district the text gives, else the one nearest
  -- the reporting A&E site (the prior the scoring applies too), unless the venue's street words
  -- already picked it.
  IF v_chain IS NULL AND v_best->>'level' IN ('venue', 'street') AND v_best->>'feature_id' IS NOT NULL
     AND coalesce((v_best->'why'->>'street_words')::int, 0) = 0 AND (v_site IS NOT NULL OR v_ctx_district IS NOT NULL) THEN
    SELECT f.feature_id, f.name, f.kind, f.geom, f.radius_m, f.district,
           f.feature_id = b.feature_id AS same,
           CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END AS prior
      INTO r
    FROM gazetteer.feature b
    JOIN gazetteer.feature f ON f.norm = b.norm AND f.level = b.level AND f.active
    WHERE b.feature_id = (v_best->>'feature_id')::bigint
    ORDER BY coalesce(f.district = v_ctx_district, false) DESC,
             CASE WHEN v_site IS NULL THEN 0 ELSE ST_Distance(f.geom, v_site) END,
             f.feature_id = b.feature_id DESC
    LIMIT 1;
    IF r.feature_id IS NOT NULL AND NOT r.same THEN
      v_best := v_best || jsonb_build_object('x', ST_X(r.geom), 'y', ST_Y(r.geom), 'radius', r.radius_m,
        'matched', r.name, 'kind', r.kind, 'feature_id', r.feature_id, 'prior', round(r.prior::numeric, 3),
        'boost', 10,
        -- in the district the text gives, where the first pick was outside it: its district bonus
        'score', least(1, (v_best->>'score')::float8
                          + CASE WHEN coalesce(r.district = v_ctx_district, false)
                                      AND coalesce((v_best->'why'->>'district')::float8, 0) < 0 THEN 0.35 ELSE 0 END),
        'why', CASE WHEN jsonb_typeof(v_best->'why') = 'object' THEN v_best->'why' ELSE '{}' END
               || jsonb_build_object('same_name_chosen_by',
                                     CASE WHEN coalesce(r.district = v_ctx_district, false) THEN 'district'
                                          ELSE 'nearest to the reporting A&E site' END)
               || CASE WHEN coalesce(r.district = v_ctx_district, false)
                       THEN jsonb_build_object('district', 0.15) ELSE '{}' END);
      v_cands := jsonb_build_array(v_best) || v_cands;
    END IF;
  END IF;

  IF v_chain IS NULL THEN
  -- Namesakes: other named places (venues or streets; usually of the same name, but "Long Road" for
  -- "long lane" counts too) as good (within 0.05) but over 1 km away. When there is one and the A&E
  -- prior separates the two clearly, the nearer one is the answer, with the namesake risk in its
  -- calibration. Otherwise (no clear prior, or several: a chain's branches, the many High Streets,
  -- where the nearest to the A&E is often not the one) the answer is ambiguous: lower confidence,
  -- wider radius.
  SELECT c INTO v_alt FROM jsonb_array_elements(v_cands) c
  WHERE c->>'level' IN ('venue', 'street', 'junction') AND v_best->>'level' IN ('venue', 'street', 'junction')
    AND (c->>'score')::float8 >= (v_best->>'score')::float8 - 0.05
    -- not a place whose name is only part of the answer's ("Peckham Rye" for "peckham rye park")
    AND coalesce((c->'why'->>'whole_similarity')::float8, 1)
        >= coalesce((v_best->'why'->>'whole_similarity')::float8, 1) - 0.1
    AND sqrt(((c->>'x')::float8 - (v_best->>'x')::float8) ^ 2 + ((c->>'y')::float8 - (v_best->>'y')::float8) ^ 2) > 1000
  ORDER BY (c->>'prior')::float8 DESC, (c->>'score')::float8 DESC LIMIT 1;
  IF v_alt IS NOT NULL THEN
    SELECT count(*) INTO v_n_alt FROM jsonb_array_elements(v_cands) c
    WHERE c->>'level' IN ('venue', 'street', 'junction') AND (c->>'score')::float8 >= (v_best->>'score')::float8 - 0.05
      AND coalesce((c->'why'->>'whole_similarity')::float8, 1)
          >= coalesce((v_best->'why'->>'whole_similarity')::float8, 1) - 0.1
      AND sqrt(((c->>'x')::float8 - (v_best->>'x')::float8) ^ 2 + ((c->>'y')::float8 - (v_best->>'y')::float8) ^ 2) > 1000;
  END IF;
  -- The candidate list is capped, so a common name ("church grove") can have namesakes that never
  -- made it in: count the places of exactly the same name over 1 km away too, unless the text's
  -- street or postcode district already picked this one.
  IF v_best->>'level' IN ('venue', 'street') AND coalesce((v_best->'why'->>'street_words')::int, 0) = 0
     AND coalesce((v_best->'why'->>'district')::float8, 0) <= 0 THEN
    SELECT count(*), (array_agg(jsonb_build_object('x', ST_X(f.geom), 'y', ST_Y(f.geom), 'matched', f.name,
                        'level', f.level, 'score', v_best->'score',
                        'prior', CASE WHEN v_site IS NULL THEN 0 ELSE 0.06 * exp(-ST_Distance(f.geom, v_site) / 5000.0) END)
                      ORDER BY ST_Distance(f.geom, coalesce(v_site, b.geom))))[1]
      INTO r
    FROM gazetteer.feature b
    JOIN gazetteer.feature f ON f.norm = b.norm AND f.level = b.level AND f.active AND f.feature_id <> b.feature_id
                            AND NOT ST_DWithin(f.geom, b.geom, 1000)
    WHERE b.feature_id = (v_best->>'feature_id')::bigint;
    IF r.count > 0 THEN
      v_alt := coalesce(v_alt, r.array_agg);
      v_n_alt := greatest(v_n_alt, r.count);
    END IF;
  END IF;
  v_amb := v_alt IS NOT NULL AND ((v_best->>'prior')::float8 - (v_alt->>'prior')::float8 < 0.02 OR v_n_alt > 1);
  END IF;
  -- A best candidate that is no evidence of a place: a venue sharing only kind-of-place words with the
  -- text (a chain's branch or a same-named place picked above: "Hotel Chocolat" for "z hotel"), or with
  -- a non-place word in the text, part of a name ("Lost & Found" for "pt found on a train"). Not
  -- located; the non-place reason when the text gives one.
  v_weak := CASE WHEN v_pc.postcode IS NULL
                 THEN safestats_internal.geocode_weak_evidence(v_best, v_norm, v_sig.answer IS NOT NULL) END;
  IF v_weak IS NOT NULL THEN
    RETURN QUERY SELECT NULL::geometry, 0::real, NULL::real, coalesce(v_sig.answer, 'none'), NULL::text, false,
      jsonb_build_object('parsed', v_parsed || jsonb_build_object('non_place', v_sig.answer IS NOT NULL),
                         'candidates', v_cands,
                         'why', coalesce(v_sig.reason || '; ', '') || format(
                           'not accepted: %s (%s) shares only %s with the text',
                           v_best->>'matched', v_best->>'level',
                           CASE v_weak WHEN 'kind' THEN 'words naming a kind of place'
                                       ELSE 'part of its name' END));
    RETURN;
  END IF;
  -- A full postcode answered while the text also names a place that lies nowhere near it ("Cassiobury
  -- Park, HA6 2NZ": the park is outside London, the postcode the nearest the export could give): the
  -- postcode stays the answer, but the text contradicts it ('conflict' in the key below).
  IF v_best->>'level' = 'postcode' THEN
    SELECT c INTO v_named FROM jsonb_array_elements(v_cands) c
    WHERE c->>'level' IN ('venue', 'street', 'area') AND jsonb_typeof(c->'why') = 'object'
      AND (c->'why'->>'name_in_text')::float8 >= 0.9 AND (c->'why'->>'whole_similarity')::float8 >= 0.5
    ORDER BY (c->>'score')::float8 DESC LIMIT 1;
    v_conflict := v_named IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM gazetteer.feature f
                      WHERE f.norm = safestats_internal.geocode_normalise(v_named->>'matched') AND f.active
                        AND ST_DWithin(f.geom, v_pc.geom, 1000));
    IF v_conflict THEN
      v_parsed := v_parsed || jsonb_build_object('conflicts_with', v_named->>'matched');
    END IF;
  END IF;
  -- The calibration key: the level, whether some words of the text were left unexplained by the
  -- answer ("partial": e.g. a venue named in a junction text), and the namesake risk.
  v_key := (v_best->>'level')
           -- partial: words of the text left unexplained by the answer, or a station asked for and
           -- something else answered
           || CASE WHEN coalesce((v_best->'why'->>'text_explained')::float8, 1) < 0.99 THEN ' partial' ELSE '' END
           -- a station asked for ("Iver stn") and something else answered ("Iver Lane"): its own key,
           -- since it is wrong far more often than a text with a house number left over
           || CASE WHEN v_station AND v_best->>'kind' <> 'station' THEN ' not-station' ELSE '' END
           -- a venue or street confirmed by its street's words, or (when its name was read whole)
           -- by the postcode district given
           || CASE WHEN coalesce((v_best->'why'->>'street_words')::int, 0) > 0
                     OR (coalesce((v_best->'why'->>'district')::float8, 0) > 0
                         AND coalesce((v_best->'why'->>'text_explained')::float8, 1) >= 0.99) THEN ' context'
                   ELSE '' END
           || CASE WHEN v_chain IS NOT NULL THEN ' chain' ELSE '' END
           || CASE WHEN v_conflict THEN ' conflict' ELSE '' END
           -- a sector or district answered with the part in the reporting site's catchment
           || CASE WHEN coalesce((v_best->>'catchment')::boolean, false) THEN ' catchment' ELSE '' END
           || CASE WHEN v_amb THEN ' ambiguous' WHEN v_alt IS NOT NULL THEN ' namesake' ELSE '' END
           -- far from the reporting A&E: most people are treated near where they were hurt, so a named
           -- place over 5 km from the site is more often a same-named place elsewhere (the calibration
           -- learns by how much)
           -- a venue or street outside the postcode district the text gives ("pizza man n22" answered
           -- by a Pizza Man in E5): the text's own words contradict the answer
           || CASE WHEN v_best->>'level' IN ('venue', 'street')
                     AND coalesce((v_best->'why'->>'district')::float8, 0) < 0 THEN ' off-district' ELSE '' END
           -- ('away': 3–5 km, where a wrong same-named place is already twice as common as nearer in)
           || CASE WHEN v_site IS NOT NULL AND v_best->>'level' IN ('venue', 'street', 'junction')
                     AND NOT ST_DWithin(v_site, ST_SetSRID(ST_MakePoint((v_best->>'x')::float8,
                                                                        (v_best->>'y')::float8), 27700), 5000)
                   THEN ' far'
                   WHEN v_site IS NOT NULL AND v_best->>'level' IN ('venue', 'street', 'junction')
                     AND NOT ST_DWithin(v_site, ST_SetSRID(ST_MakePoint((v_best->>'x')::float8,
                                                                        (v_best->>'y')::float8), 27700), 3000)
                   THEN ' away' ELSE '' END
           -- a venue or street that bears an area's or borough's name ("Kensal Green" the station, the
           -- area or the street): the text may mean any of them
           || CASE WHEN v_best->>'level' IN ('venue', 'street') AND EXISTS (
                     SELECT 1 FROM gazetteer.feature b
                     JOIN gazetteer.feature a ON a.norm = b.norm AND a.level IN ('area', 'borough') AND a.active
                     WHERE b.feature_id = (v_best->>'feature_id')::bigint)
                   THEN ' area-name' ELSE '' END;

  -- A chain's branch has its own key: chosen by the text's sector or district ('context') or by the
  -- site's catchment, and whether other branches remain plausible.
  IF v_chain IS NOT NULL THEN
    -- ' brand': named by a brand word ("tesco", "costa") rather than a whole shared name ("the royal oak"):
    -- on the evaluation sets the two differ in how often the site's catchment holds the true branch
    v_key := 'venue chain' || CASE WHEN strpos(v_brand, ' ') = 0 THEN ' brand' ELSE '' END
             || CASE WHEN v_chain_mode IN ('sector', 'district') THEN ' context'
                     WHEN v_chain_mode = 'locality' THEN ' locality' ELSE '' END
             -- chosen in the site's catchment: one key whether one branch or several remain (the score,
             -- the share of them within the radius, already says which; apart, each key had too few
             -- answers to be fitted)
             || CASE WHEN v_amb AND v_chain_mode IN ('sector', 'district') THEN ' ambiguous' ELSE '' END;
  END IF;

  -- The answer is the best candidate, unless the calibration says it is very likely wrong: below
  -- safestats_internal.geocode_min_confidence() the text is answered 'none' (not located), and explain keeps the
  -- candidate ('rejected') for anyone who wants it (geocode_candidates: rank 1 is then that 'none', the
  -- other candidates follow). An uncalibrated database answers every candidate: the calibration itself
  -- is fitted on those answers, so the cut never changes what it is fitted on.
  RETURN QUERY
  SELECT CASE WHEN aq.rej THEN NULL ELSE aq.g END, CASE WHEN aq.rej THEN 0::real ELSE aq.conf END,
         CASE WHEN aq.rej THEN NULL ELSE aq.rad END, CASE WHEN aq.rej THEN 'none' ELSE aq.lvl END,
         CASE WHEN aq.rej THEN NULL ELSE aq.mat END, aq.amb AND NOT aq.rej,
         CASE WHEN aq.rej THEN jsonb_build_object(
                'parsed', aq.ex->'parsed', 'candidates', aq.ex->'candidates', 'version', aq.ex->'version',
                'calibrated', true,
                'why', format('best candidate %s (%s) stated at confidence %s, below the minimum %s: not located',
                              aq.mat, aq.lvl, round(aq.conf::numeric, 2), safestats_internal.geocode_min_confidence()),
                'rejected', jsonb_build_object('matched', aq.mat, 'level', aq.lvl, 'confidence', aq.conf,
                                               'radius_m', aq.rad, 'x', ST_X(aq.g), 'y', ST_Y(aq.g),
                                               'score', aq.ex->'score', 'calibration_key', aq.ex->'calibration_key'))
              ELSE aq.ex END
  FROM (SELECT ar.*, ar.i = 1 AND ar.conf < safestats_internal.geocode_min_confidence()
                    AND (ar.ex->>'calibrated')::boolean AS rej
        FROM (
      SELECT ST_SetSRID(ST_MakePoint((c->>'x')::float8, (c->>'y')::float8), 27700)::geometry(Point, 27700),
             -- an answer whose own radius is over 1 km (a long street) is not a precise one either: capped
             -- like the coarse levels (safestats_internal.geocode_confidence_cap)
             least(safestats_internal.geocode_confidence(CASE WHEN i = 1 THEN v_key ELSE c->>'level' END, (c->>'score')::real),
                   CASE WHEN (c->>'radius')::float8 > 1000 THEN 0.75 ELSE 1 END)::real,
             -- An ambiguous answer's radius is widened (twice its own, plus 250 m) but never to half
             -- the way to its namesake: a circle covering both would be "right" and useless, and would
             -- claim a high confidence for an answer that is kilometres off half the time.
             CASE WHEN v_amb AND i = 1 AND v_chain IS NULL THEN greatest((c->>'radius')::float8, least(2 * (c->>'radius')::float8 + 250,
                  sqrt(((v_alt->>'x')::float8 - (c->>'x')::float8) ^ 2 + ((v_alt->>'y')::float8 - (c->>'y')::float8) ^ 2) / 2))
                  ELSE (c->>'radius')::float8 END::real,
             c->>'level', c->>'matched', v_amb AND i = 1,
             jsonb_build_object('parsed', v_parsed, 'score', (c->>'score')::real, 'kind', c->>'kind',
                                'version', safestats.gazetteer_version(),
                                'feature_id', (c->>'feature_id')::bigint, 'why', c->'why',
                                'namesake', CASE WHEN i = 1 THEN v_alt->>'matched' END,
                                'calibration_key', CASE WHEN i = 1 THEN v_key ELSE c->>'level' END,
                                'calibrated', EXISTS (SELECT 1 FROM gazetteer.calibration),
                                'candidates', CASE WHEN i = 1 THEN (SELECT jsonb_agg(jsonb_build_object(
                                    'matched', x->>'matched', 'level', x->>'level', 'score', x->'score',
                                    'prior', x->'prior')) FROM (SELECT x FROM jsonb_array_elements(v_cands) x
                                    ORDER BY (x->>'score')::float8 + (x->>'prior')::float8 DESC LIMIT 5) t) END),
             i
      FROM (SELECT c, row_number() OVER (ORDER BY (c->>'score')::float8 + (c->>'prior')::float8
                                                    + coalesce((c->>'boost')::float8, 0) DESC,
                                                  CASE WHEN jsonb_typeof(c->'why') = 'object'
                                                       THEN (c->'why'->>'whole_similarity')::float8 END DESC NULLS LAST,
                                                  (c->>'radius')::float8) AS i
            FROM jsonb_array_elements(v_cands) c) ranked
      WHERE i <= n
        ) ar (g, conf, rad, lvl, mat, amb, ex, i)) aq
  ORDER BY aq.i;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_match(text, text, integer) IS
'The geocoder''s matching: the top n candidate locations for a free-text A&E location, best first. '
'The API over it is safestats.geocode_candidates / safestats.geocode (db/functions/225_geocode_api.sql).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_street_side(side text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT
AS $$
  -- side: one side of a junction ("per yot worker pickford ln"). Its words without the story's and the
  -- record's ("per YOT worker", "coach driver reports": in no street's name, and the side's similarity to a
  -- name would count them), except a word before a street type ("Friday Hill"); the side as given when
  -- nothing else is left.
  SELECT coalesce((SELECT string_agg(w, ' ' ORDER BY i)
                   FROM unnest(string_to_array(side, ' ')) WITH ORDINALITY AS u(w, i)
                   WHERE NOT safestats_internal.geocode_is_nonplace_token(w)
                      OR safestats_internal.gazetteer_is_street(w || ' ' || coalesce((string_to_array(side, ' '))[i + 1], ''))),
                  side)
$$;
COMMENT ON FUNCTION safestats_internal.geocode_street_side(text) IS
'One side of a junction without the story''s and the record''s words ("per YOT worker", "coach driver reports"), '
'except a word before a street type ("Friday Hill"); the side as given when nothing else is left.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_street_candidates(p_text text)
RETURNS TABLE (feature_id bigint, name text, sim real, geom geometry, extent geometry)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  -- Street features whose words match the text's words (exact or similar), best name match first.
  -- A word in over 400 names ("hill", "church") is searched by only when the text has no rarer one:
  -- "marsh hill" looks at the streets holding "marsh", not at the two thousand places holding "hill"
  -- (a street holding only "hill" could not beat one holding both for the sixteen kept).
  SELECT f.feature_id, f.name, similarity(f.norm, p_text), f.geom, coalesce(f.extent, f.geom)
  FROM gazetteer.feature f
  WHERE f.active AND f.level = 'street' AND f.feature_id IN (
    SELECT fw.feature_id FROM gazetteer.feature_word fw
    WHERE fw.word IN (
      SELECT k.word FROM (
        -- (an array, so the generic plan looks each word up in the word index, not a scan of them all)
        SELECT gw.word, gw.freq,
               -- (the rarest of the words as written: a typo's look-alikes do not count)
               min(gw.freq) FILTER (WHERE gw.word = ANY (string_to_array(p_text, ' '))) OVER () AS rarest
        FROM gazetteer.word gw
        WHERE gw.word = ANY (ARRAY(
          SELECT t.tok FROM unnest(string_to_array(p_text, ' ')) t(tok)
          UNION ALL
          SELECT gw2.word FROM unnest(string_to_array(p_text, ' ')) t(tok), gazetteer.word gw2
          WHERE NOT safestats_internal.geocode_is_generic_word(t.tok) AND length(t.tok) >= 4
            AND NOT EXISTS (SELECT 1 FROM gazetteer.word x WHERE x.word = t.tok AND x.freq >= 3)
            AND gw2.word % t.tok AND similarity(gw2.word, t.tok) >= 0.45))) k
      WHERE k.freq <= greatest(400, coalesce(k.rarest, k.freq))))
  ORDER BY similarity(f.norm, p_text) DESC LIMIT 16
$$;
COMMENT ON FUNCTION safestats_internal.geocode_street_candidates(text) IS
'Street features most similar to a (normalised) street name; used to find junctions.';
