-- Text normalisation shared by the gazetteer (names) and the geocoder (free text), so both sides
-- meet in one canonical form: lower case, punctuation gone, and every spelling of a street type,
-- "saint", station or hospital folded to one short token (street/st/str -> st, saint -> st,
-- road -> rd, tube/underground/station/stn -> stn, and the clerks' shorter forms: tce, prd, cresc, sqr,
-- drv, crt, lne ...). Folding both sides the same way is what
-- lets "clapham high st" meet "Clapham High Street" exactly.

-- Not STRICT (NULL gives NULL anyway): a STRICT SQL function whose body is a CASE cannot be
-- inlined, and would then be parsed and planned again for every text normalised.
CREATE OR REPLACE FUNCTION safestats_internal.geocode_fold_word(w text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE w
    WHEN 'street' THEN 'st' WHEN 'str' THEN 'st' WHEN 'saint' THEN 'st' WHEN 'sr' THEN 'st'
    WHEN 'road' THEN 'rd' WHEN 'rod' THEN 'rd'
    WHEN 'avenue' THEN 'ave' WHEN 'av' THEN 'ave' WHEN 'avn' THEN 'ave' WHEN 'aven' THEN 'ave'
    WHEN 'lane' THEN 'ln' WHEN 'lne' THEN 'ln' WHEN 'place' THEN 'pl' WHEN 'square' THEN 'sq' WHEN 'sqr' THEN 'sq' WHEN 'sqre' THEN 'sq'
    WHEN 'gardens' THEN 'gdns' WHEN 'garden' THEN 'gdns' WHEN 'gdn' THEN 'gdns' WHEN 'gds' THEN 'gdns'
    WHEN 'crescent' THEN 'cres' WHEN 'cresc' THEN 'cres' WHEN 'crsc' THEN 'cres'
    WHEN 'terrace' THEN 'ter' WHEN 'terr' THEN 'ter' WHEN 'tce' THEN 'ter'
    WHEN 'close' THEN 'cl' WHEN 'drive' THEN 'dr' WHEN 'drv' THEN 'dr' WHEN 'court' THEN 'ct' WHEN 'crt' THEN 'ct'
    WHEN 'grove' THEN 'gr' WHEN 'park' THEN 'pk' WHEN 'prk' THEN 'pk' WHEN 'parade' THEN 'pde' WHEN 'prd' THEN 'pde'
    WHEN 'mount' THEN 'mt' WHEN 'green' THEN 'grn' WHEN 'estate' THEN 'est'
    WHEN 'broadway' THEN 'bdwy' WHEN 'highway' THEN 'hwy'
    WHEN 'station' THEN 'stn' WHEN 'statn' THEN 'stn' WHEN 'stat' THEN 'stn' WHEN 'tube' THEN 'stn'
    WHEN 'underground' THEN 'stn' WHEN 'overground' THEN 'stn' WHEN 'dlr' THEN 'stn'
    WHEN 'overland' THEN 'stn' WHEN 'ovg' THEN 'stn'
    WHEN 'hospital' THEN 'hosp' WHEN 'hosptial' THEN 'hosp' WHEN 'hsp' THEN 'hosp'
    WHEN 'junction' THEN 'jct' WHEN 'junc' THEN 'jct' WHEN 'jnc' THEN 'jct' WHEN 'jctn' THEN 'jct'
    WHEN 'opposite' THEN 'opp' WHEN 'near' THEN 'nr' WHEN 'outside' THEN 'os'
    WHEN 'and' THEN '&'
    ELSE w END
$$;
COMMENT ON FUNCTION safestats_internal.geocode_fold_word(text) IS
'One lower-case word to its canonical short form (street -> st, road -> rd, station/tube -> stn, ...).';

-- Not STRICT, so it is inlined (see geocode_fold_word).
CREATE OR REPLACE FUNCTION safestats_internal.geocode_normalise_word(w text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN w IN ('the', 'ltd', 'plc', 'limited') THEN '' ELSE safestats_internal.geocode_fold_word(w) END
$$;
COMMENT ON FUNCTION safestats_internal.geocode_normalise_word(text) IS
'One lower-case word of letters as geocode_normalise leaves it: folded (street -> st, ...), or '''' for the '
'words it drops (the, ltd, plc, limited). Cheaper than geocode_normalise where the word is known to be one.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_drop_phrases(norm text, phrases text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. The text without every whole-word occurrence of each phrase, in the order
-- given ("comma comma" and "um er" both go: each word is padded apart before the phrases are cut).
DECLARE
  s text := ' ' || replace(norm, ' ', '  ') || ' ';
  p text;
BEGIN
  FOREACH p IN ARRAY phrases LOOP
    s := replace(s, ' ' || replace(p, ' ', '  ') || ' ', ' ');
  END LOOP;
  RETURN array_to_string(array_remove(string_to_array(s, ' '), ''), ' ');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_drop_phrases(text, text[]) IS
'A normalised text without the whole-word phrases given (dictated punctuation such as "full stop", speech '
'hedges such as "sort of", "um"); used by safestats_internal.geocode_match.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_normalise(t text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- PL/pgSQL so its plan is cached per session: the geocoder calls it once per text from PL/pgSQL,
-- where a SQL function's body would be parsed and planned on every call.
BEGIN
  -- (Apostrophes dropped with translate, and the slash pattern run only where there is a slash: the
  -- geocoder calls this on every text, and each distinct pattern a call runs takes one of the 32
  -- compiled-regex slots PostgreSQL keeps per session.)
  t := translate(lower(left(t, 500)), '''`’‘', '');   -- st thomas' -> st thomas
  IF strpos(t, '/') > 0 THEN
    -- o/s, j/w, n/k and h/a (home address) stay one word
    t := regexp_replace(t, '\m(o)/(s)\M|\m(j)/(w)\M|\m(n)/(k)\M|\m(h)/(a)\M', '\1\2\3\4\5\6\7\8', 'g');
  END IF;
  RETURN (SELECT coalesce(string_agg(x, ' ' ORDER BY i), '')
  FROM (SELECT safestats_internal.geocode_normalise_word(w) AS x, i
        FROM unnest(string_to_array(regexp_replace(t, '[^a-z0-9&]+', ' ', 'g'), ' ')) WITH ORDINALITY AS u(w, i)) v
  WHERE x <> '');
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_normalise(text) IS
'Canonical form of a place name or free-text location for matching: lower case, no punctuation, '
'abbreviations folded (street/st -> st, road -> rd, station/tube -> stn, hospital -> hosp, and -> &), '
'"the"/"ltd"/"plc" dropped. Only the first 500 characters are read.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_is_generic_word(w text)   -- not STRICT: see fold_word
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Street types, cue and filler words: they say what kind of place, not which one.
  SELECT length(w) < 2 OR w = ANY ('{st,rd,ave,ln,pl,sq,gdns,cres,ter,cl,dr,ct,gr,pk,pde,mt,grn,est,bdwy,hwy,
    way,stn,hosp,jct,opp,nr,os,&,of,at,in,on,by,to,a,an,near,outside,behind,front,rear,back,side,corner,
    bus,stop,area,off,from,jw,nk,london,road,street,lane,and,
    his,her,my,their,flat,house,home,address,outsid,opposite,shop,store,pub,bar,club,tube,rail,
    n,s,e,w,ph,co,uk,high,till,tills,door,doors,doorway,queue,counter}'::text[])
$$;
COMMENT ON FUNCTION safestats_internal.geocode_is_generic_word(text) IS
'True for words that do not identify a place on their own (street types, "near", "outside", "bus stop", …).';
