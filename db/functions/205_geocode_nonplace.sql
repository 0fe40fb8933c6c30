-- Non-place answers: what A&E staff write when the patient says where they were without naming a
-- place ("in police custody", "at work", "at a party", "in a car", "at a friend's", "pt won't say",
-- "abroad", "various"). ISTV/ECDS free text is full of them; matched word by word against the
-- gazetteer they become venues that happen to share a word ("Custody Suite", "We Work", "Tea Party",
-- "... Car Park"). A curated vocabulary answers them `none` (or `home` for a friend's or relative's
-- house) with the reason, and keeps their words out of the name search.

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_class(w text)   -- not STRICT: inlined
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: one normalised word (safestats_internal.geocode_normalise). The class of non-place it belongs to, 'filler'
  -- for words that say nothing about where (pt, states, assaulted, his ...), NULL otherwise.
  SELECT CASE
    WHEN w IN ('custody', 'police', 'cell', 'cells', 'prison', 'hmp', 'jail', 'gaol', 'yoi', 'detention',
               'arrested', 'arrest') THEN 'custody'
    WHEN w IN ('work', 'workplace', 'job', 'shift', 'works') THEN 'work'
    WHEN w IN ('party', 'houseparty', 'gathering', 'bbq', 'barbecue', 'rave') THEN 'party'
    WHEN w IN ('car', 'cars', 'vehicle', 'taxi', 'cab', 'minicab', 'uber', 'van', 'bus', 'train', 'tram', 'coach',
               'lorry', 'transport', 'motorbike', 'scooter') THEN 'vehicle'
    WHEN w IN ('friend', 'friends', 'mate', 'mates', 'relative', 'relatives', 'relations', 'family', 'aunt',
               'aunts', 'auntie', 'aunties', 'uncle', 'uncles', 'girlfriend', 'girlfriends', 'boyfriend',
               'boyfriends', 'partner', 'partners', 'mum', 'mums', 'mother', 'mothers', 'dad', 'dads', 'father',
               'fathers', 'brother', 'brothers', 'sister', 'sisters', 'cousin', 'cousins', 'nan', 'nans', 'gran',
               'grans', 'grandmother', 'grandmothers', 'son', 'sons', 'daughter', 'daughters', 'exs', 'ex',
               'neighbour', 'neighbours', 'someones', 'someone', 'acquaintance', 'acquaintances') THEN 'relation'
    WHEN w IN ('wont', 'refused', 'refuses', 'refusing', 'declined', 'declines', 'unwilling', 'disclose',
               'disclosed', 'unable', 'cannot', 'cant', 'say', 'tell', 'told', 'give', 'given', 'location',
               'remember', 'recall', 'intoxicated', 'drunk', 'unsure', 'know', 'dont', 'not', 'would', 'no',
               'info', 'information', 'documented', 'will', 'wouldnt', 'didnt', 'does', 'doesnt', 'unknown',
               'unclear', 'sure', 'stated', 'specified', 'recorded', 'confused', 'unconscious', 'known',
               'unk') THEN 'unsaid'
    -- no fixed abode (NFA): homeless, no place to point at
    WHEN w IN ('nfa', 'abode', 'fixed', 'homeless', 'rough', 'sleeper', 'sleeping') THEN 'nfa'
    WHEN w IN ('abroad', 'overseas', 'holiday', 'holidays', 'spain', 'france', 'abroard') THEN 'abroad'
    WHEN w IN ('various', 'multiple', 'several', 'many', 'locations', 'places', 'different') THEN 'various'
    WHEN w IN ('st', 'rd', 'pk', 'pub', 'shop', 'club', 'nightclub', 'bar', 'school', 'college', 'hostel',
               'public', 'place', 'est', 'outdoors', 'indoors', 'alley', 'alleyway', 'restaurant', 'cafe',
               'takeaway', 'supermarket', 'store', 'corner', 'stairwell', 'lift', 'block', 'playground',
               'field', 'garage', 'carpark', 'nightclubs', 'pubs', 'shops', 'town', 'centre',
               'city') THEN 'kind'
    WHEN w IN ('pt', 'pts', 'patient', 'patients', 'states', 'said', 'says', 'reports', 'reported',
               'assaulted', 'assault', 'attacked', 'stabbed', 'punched', 'hit', 'was', 'were', 'been', 'being',
               'in', 'at', 'on', 'a', 'an', 'his', 'her', 'their', 'my', 'own', 'of', 'to', 'by', 'from',
               'with', 'inside', 'os', 'nr', 'opp', 'london', 'while', 'during', 'some', 'just', 'he', 'she',
               'they', 'whilst', 'back', 'front', 'outside', 'near', 'the', 'house', 'flat', 'home', 'address',
               'place', 'when', 'went', 'out', 'up', 'him', 'them', 'this', 'that', 'it', 'is', '&', 'or',
               'where', 'wants', 'want', 'anything', 'else', 'other', 'another', 'something', 'any', 'stn',
               'too', 'very', 'so', 'much', 'pl', 'gave', 'giving', 'able', 'unable')
      THEN 'filler'
    ELSE NULL END
$$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_class(text) IS
'Class of a normalised word in the non-place vocabulary: custody, work, party, vehicle, relation (a friend''s '
'or relative''s house), unsaid (patient unable or unwilling to say), abroad, various, nfa (no fixed abode), kind (a kind of place, '
'not which one), filler (words that say nothing about where), or NULL (a word that may name a place).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_word(w text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- The class of a word, allowing one typo in a vocabulary word of five letters or more ("custofy",
-- "abroadd", "locationns"): the vocabulary is short, so the look-up is a scan of a constant list.
DECLARE
  c text := safestats_internal.geocode_nonplace_class(w);
  v text;
BEGIN
  IF c IS NOT NULL OR length(w) < 5 OR length(w) > 20 OR w ~ '[0-9]' THEN RETURN c; END IF;
  FOREACH v IN ARRAY ARRAY['custody', 'prison', 'detention', 'workplace', 'party', 'vehicle', 'minicab',
                           'friends', 'relatives', 'relative', 'girlfriends', 'boyfriends', 'partners',
                           'brothers', 'sisters', 'cousins', 'refused', 'declined', 'disclose', 'unable',
                           'location', 'locations', 'intoxicated', 'abroad', 'overseas', 'holiday', 'various',
                           'multiple', 'remember', 'patient', 'assaulted', 'hostel', 'nightclub', 'public',
                           'stated', 'states', 'house', 'street', 'homeless']
  LOOP
    IF levenshtein_less_equal(w, v, 1) <= 1 THEN
      RETURN safestats_internal.geocode_nonplace_class(safestats_internal.geocode_fold_word(v));
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_word(text) IS
'safestats_internal.geocode_nonplace_class of a word, allowing one edit in vocabulary words of five letters or more.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace(norm text)
RETURNS TABLE (answer text, reason text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. One row when every word of it is non-place vocabulary or filler and at least
-- one is a non-place word: answer 'home' (a friend's or relative's house) or 'none', and the reason.
-- A text with any other word ("hmp brixton", "tesco car park", "party shop rye ln") is not a non-place.
DECLARE
  w text;
  c text;
  classes text[] := '{}';
BEGIN
  FOREACH w IN ARRAY string_to_array(norm, ' ') LOOP
    CONTINUE WHEN w = '';
    c := safestats_internal.geocode_nonplace_word(w);
    IF c IS NULL THEN RETURN; END IF;
    IF c <> 'filler' AND NOT c = ANY (classes) THEN classes := classes || c; END IF;
  END LOOP;
  IF cardinality(classes) = 0 THEN RETURN; END IF;
  answer := CASE WHEN 'relation' = ANY (classes) AND NOT classes && '{custody,vehicle,work,abroad}'::text[]
                 THEN 'home' ELSE 'none' END;
  reason := 'non-place: ' || (SELECT string_agg(CASE x
              WHEN 'custody' THEN 'in custody or prison' WHEN 'work' THEN 'at work'
              WHEN 'party' THEN 'at a party' WHEN 'vehicle' THEN 'in a vehicle'
              WHEN 'relation' THEN 'a friend''s or relative''s home'
              WHEN 'unsaid' THEN 'patient unable or unwilling to say' WHEN 'abroad' THEN 'abroad'
              WHEN 'various' THEN 'various places' WHEN 'kind' THEN 'a kind of place, not which one'
              WHEN 'nfa' THEN 'no fixed abode'
              ELSE x END, ', ' ORDER BY x) FROM unnest(classes) x);
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace(text) IS
'For a normalised location text made only of non-place words (custody, prison, work, party, vehicle, a '
'friend''s or relative''s house, patient unable or unwilling to say, abroad, various, a kind of place) and '
'filler: one row, answer ''home'' or ''none'' and the reason; no row otherwise.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_is_nonplace_token(w text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Words kept out of the name search: a venue whose only overlap with the text is such a word ("We Work"
  -- for "at work", "Tea Party" for "at a party", "Mum's" for "at mums") is never a candidate. Words that
  -- also name places often ("police" station, "coach" and horses, "holiday" inn, "train") stay searchable.
  SELECT w NOT IN ('police', 'train', 'bus', 'coach', 'van', 'tram', 'holiday', 'holidays', 'no', 'not', 'know',
                   'will', 'would', 'give', 'given', 'tell', 'sure', 'family', 'son', 'sons', 'ex', 'mother',
                   'father', 'brother', 'sister', 'spain', 'france', 'cell', 'cells', 'job', 'works', 'shift',
                   'transport', 'coach', 'location', 'information', 'info', 'places', 'many', 'different',
                   'partner', 'partners', 'daughter', 'daughters', 'unknown', 'stated', 'recorded', 'fixed', 'rough',
                   'sleeping', 'known')
     AND (coalesce(safestats_internal.geocode_nonplace_class(w) IN ('custody', 'work', 'party', 'vehicle', 'relation',
                                                           'unsaid', 'abroad', 'various', 'nfa'), false)
          OR w IN ('pt', 'pts', 'patient', 'patients', 'states', 'said', 'says', 'reports', 'reported',
                   'assaulted', 'attacked', 'stabbed', 'punched', 'whilst', 'while'))
$$;
COMMENT ON FUNCTION safestats_internal.geocode_is_nonplace_token(text) IS
'True for a normalised word of the non-place vocabulary (work, party, custody, a car, a friend''s ...) or of the '
'patient''s story (pt, states, assaulted) that the name search leaves out, so that a venue sharing only such a '
'word with the text is never found.';
