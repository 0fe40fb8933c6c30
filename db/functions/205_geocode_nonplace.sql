-- Non-place answers: what A&E staff write when the patient says where they were without naming a
-- place ("in police custody", "at work", "at a party", "in a car", "at a friend's", "pt won't say",
-- "abroad", "various"). ISTV/ECDS free text is full of them; matched word by word against the
-- gazetteer they become venues that happen to share a word ("Custody Suite", "We Work", "Tea Party",
-- "... Car Park"). A curated vocabulary answers them `none` (or `home` for a friend's or relative's
-- house) with the reason, and keeps their words out of the name search.

CREATE OR REPLACE FUNCTION safestats_internal.geocode_story_word(w text)   -- not STRICT: inlined
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: one normalised word. True for the words of a case note's story around the place: what was done and
  -- with what, to whom, the worker's follow-up and safeguarding shorthand ("YP disclosed being robbed at
  -- knifepoint ... referral to youth hub, SW allocated"), the day and hour, "the ends" (a neighbourhood).
  -- Filler (safestats_internal.geocode_nonplace_class) and kept out of the name search
  -- (safestats_internal.geocode_is_nonplace_token): "Knife", "The Set", "Took Took", "Two Lights" are venues.
  SELECT w IN ('slashed', 'knifed', 'chased', 'followed', 'approached', 'rushed', 'bottled', 'chinged', 'kicked',
               'beaten', 'beat', 'fight', 'fighting', 'fought', 'set', 'pulled', 'knife', 'knifepoint', 'knives',
               'weapon', 'weapons', 'machete', 'blade', 'injury', 'injuries', 'wound', 'wounds', 'thigh', 'yp',
               'cyp', 'client', 'boys', 'males', 'gang', 'affiliation', 'suspected', 'referral', 'referred',
               'safeguarding', 'support', 'offered', 'concerns', 'exploitation', 'sw', 'dv', 'yot', 'lac',
               'cse', 'cce', 'mash', 'cin', 'camhs', 'placement', 'aware', 'allocated', 'informed', 'involved',
               'engage', 'reluctant', 'worried', 'retaliation', 'repercussions', 'scared', 'shaken', 'context',
               'explained', 'took', 'occurred', 'disclosed', 'jacket', 'hours', 'late', 'early', 'bat', 'met',
               'made', 'done', 'sent', 'booked', 'ends', 'lights', 'monday', 'tuesday', 'wednesday', 'thursday',
               'friday', 'saturday', 'sunday', 'tues', 'thurs', 'midnight', 'lunchtime', 'ish',
               -- how it was done and who by, as a children's or any other department notes it ("bitten by
               -- sibling", "peer on peer", "pushed off bike", "walking home")
               'bitten', 'scratched', 'pushed', 'shoved', 'slapped', 'headbutted', 'strangled', 'bullied',
               'bullying', 'stamped', 'thrown', 'tripped', 'sibling', 'siblings', 'peer', 'peers', 'walking',
               'unwitnessed', 'witnessed', 'nai', 'unprovoked', 'glassed',
               -- an assault at work, as the worker, the employer's form or occupational health writes it: who
               -- the worker is ("kitchen porter", "cashier", "postwoman", "HCA"), the round, patch or fare
               -- being worked, the shop's back rooms, the form itself, and what was done ("grabbed by the
               -- throat", "spat at", "verbal abuse", "by a shoplifter") -- "The Engineer", "Patch",
               -- "Fare", "Passengers", "The Drop", "Grab N Go" and "Dover Patrol" are venues
               'engineer', 'engineers', 'cashier', 'cashiers', 'supervisor', 'supervisors',
               'manager', 'managers', 'driver', 'drivers', 'rider', 'riders', 'courier', 'couriers', 'postman',
               'postmen', 'postwoman', 'postwomen', 'postie', 'sweeper', 'sweepers', 'collector', 'collectors',
               'operator', 'operators', 'assistant', 'assistants', 'runner', 'runners', 'cleaner', 'cleaners',
               'receptionist', 'receptionists', 'waiter', 'waiters', 'waitress', 'waitresses', 'officer',
               'officers', 'conductor', 'inspector', 'inspectors', 'attendant', 'attendants', 'worker', 'workers',
               'hca', 'hcas', 'patrol', 'patrols', 'patrolling', 'fare', 'fares', 'meter', 'checkout',
               'checkouts', 'stockroom', 'storeroom', 'till', 'tills', 'franchise', 'outlet', 'gateline',
               'barriers', 'revenue', 'passenger', 'passengers', 'parcel', 'parcels', 'riddor', 'overtime',
               'lone', 'rota', 'callout', 'drop', 'drops', 'dropping', 'dropoff', 'covering', 'rounds', 'patch',
               'handover', 'grabbed', 'throat', 'headlock', 'spat', 'struck', 'verbal', 'verbally', 'abuse',
               'abused', 'abusive', 'threatened', 'shoplifter', 'shoplifters', 'thief', 'thieves',
               -- "postcode starting W12 4": "The Starting Gate" is a venue
               'starting', 'begins', 'beginning',
               -- the shift worked ("(nights)", "night-fill")
               'nights', 'nightshift', 'dayshift', 'nightfill', 'cover',
               -- a crowd at a match, a gig or a march, as event medics, stewards and the crew write it: who
               -- was there ("fans", "reveller", "travelling fan", "gig-goer") and what was done ("head
               -- butted", "hit with a flagpole") -- "Crowd", "The Fellow", "Picnic" and "The Flag" are venues
               'fans', 'fan', 'supporters', 'supporter', 'crowd', 'crowds', 'reveller', 'revellers', 'marcher',
               'marchers', 'spotter', 'spotters', 'stewards', 'wristband', 'flagpole',
               'butted', 'etoh', 'drinking', 'picnicking', 'encore', 'fellow', 'travelling', 'goer', 'goers',
               'punters', 'spectator', 'spectators', 'guest', 'guests', 'also')
$$;
COMMENT ON FUNCTION safestats_internal.geocode_story_word(text) IS
'True for a word of a case note''s story around the place (knifepoint, bottled, referral, safeguarding '
'shorthand, weekdays, "the ends"): filler, and kept out of the name search.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_class(w text)   -- not STRICT: inlined
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- w: one normalised word (safestats_internal.geocode_normalise). The class of non-place it belongs to, 'filler'
  -- for words that say nothing about where (pt, states, assaulted, his ...), NULL otherwise.
  SELECT CASE
    WHEN w IN ('custody', 'police', 'cell', 'cells', 'prison', 'hmp', 'jail', 'gaol', 'yoi', 'detention',
               'arrested', 'arrest', 'nick', 'remand', 'detained', 'detainee', 'inmate', 'inmates', 'cellmate',
               'immigration', 'offender', 'offenders', 'secure') THEN 'custody'
    WHEN w IN ('work', 'workplace', 'job', 'shift', 'works', 'working', 'worked', 'duty', 'employment',
               'employer', 'employed', 'delivering', 'bouncer', 'bouncers', 'doorman', 'doormen', 'colleague',
               'colleagues', 'customer', 'customers', 'resident', 'residents') THEN 'work'
    WHEN w IN ('party', 'houseparty', 'gathering', 'bbq', 'barbecue', 'rave', 'sleepover') THEN 'party'
    -- a child's placement (foster or residential care) is the child's home; a word of a name elsewhere
    -- ("Foster Road": safestats_internal.geocode_content)
    -- ("placement" alone is a story word: "LAC, placement aware" is the child's status, not where)
    WHEN w IN ('foster', 'fostered', 'fostering', 'resi', 'residential', 'childrens', 'respite') THEN 'placement'
    -- an occasion, not where it was held
    WHEN w IN ('wedding', 'christening', 'funeral', 'wake', 'festival', 'carnival', 'concert', 'gig', 'event',
               'celebration', 'birthday', 'match', 'football', 'boxing', 'training', 'game',
               -- a lesson or an outing, not where it was ("PE lesson", "in class", "on a school trip")
               'lesson', 'lessons', 'class', 'pe', 'trip', 'outing', 'excursion', 'sparring', 'practice',
               'playtime', 'breaktime',
               -- a crowd's occasion ("at the fireworks", "during the march", "at the protest", "NYE")
               'fireworks', 'firework', 'bonfire', 'nye', 'march', 'marches', 'marching', 'protest', 'protests',
               'demo', 'demonstration', 'parade', 'procession', 'rally') THEN 'event'
    WHEN w IN ('car', 'cars', 'vehicle', 'ambulance', 'taxi', 'cab', 'minicab', 'uber', 'van', 'bus', 'train', 'tram', 'coach',
               'lorry', 'transport', 'transit', 'motorbike', 'scooter', 'moped', 'bike', 'bicycle', 'motorcycle')
      THEN 'vehicle'
    WHEN w IN ('friend', 'friends', 'mate', 'mates', 'relative', 'relatives', 'relations', 'family', 'aunt',
               'aunts', 'auntie', 'aunties', 'uncle', 'uncles', 'girlfriend', 'girlfriends', 'boyfriend',
               'boyfriends', 'partner', 'partners', 'mum', 'mums', 'mother', 'mothers', 'dad', 'dads', 'father',
               'fathers', 'brother', 'brothers', 'sister', 'sisters', 'cousin', 'cousins', 'nan', 'nans', 'gran',
               'grans', 'grandmother', 'grandmothers', 'son', 'sons', 'daughter', 'daughters', 'exs', 'ex',
               'neighbour', 'neighbours', 'someones', 'someone', 'acquaintance', 'acquaintances', 'associate',
               'associates', 'caller', 'callers', 'victim', 'victims', 'suspect', 'suspects', 'parent', 'parents',
               'grandparents', 'grandad', 'grandads', 'grandma', 'grandmas', 'grandpa', 'wife', 'wifes', 'husband',
               'husbands', 'niece', 'nieces', 'nephew', 'nephews', 'stepdad',
               'stepmum', 'flatmate', 'flatmates', 'housemate', 'housemates', 'carer', 'carers',
               'stepfather', 'stepmother', 'stepbrother', 'stepsister', 'guardian', 'guardians', 'childminder',
               'childminders', 'babysitter', 'babysitters', 'keyworker', 'keyworkers',
               -- a visitor's lodging is someone's home too ("at the airbnb")
               'airbnb', 'airbnbs') THEN 'relation'
    WHEN w IN ('wont', 'refused', 'refuses', 'refusing', 'declined', 'declines', 'unwilling', 'disclose',
               'unable', 'cannot', 'cant', 'say', 'tell', 'told', 'give', 'given', 'location',
               'remember', 'recall', 'intoxicated', 'drunk', 'unsure', 'know', 'dont', 'not', 'would', 'no',
               'info', 'information', 'documented', 'will', 'wouldnt', 'didnt', 'does', 'doesnt', 'unknown',
               'unclear', 'sure', 'stated', 'specified', 'recorded', 'confused', 'unconscious', 'known',
               'unk', 'nk', 'nil', 'vague', 'uncooperative', 'evasive', 'forthcoming', 'details', 'hx',
               'history', 'tbc', 'tba', 'anon', 'anonymous', 'amnesic', 'amnesia', 'recollection', 'memory',
               'intox', 'informant',
               -- a patient's own reply ("forgot", "dunno", "idk", "it's all a blur", "rather not say")
               'forgot', 'forget', 'forgotten', 'dunno', 'idk', 'blur', 'rather', 'prefer',
               -- withheld by the patient or for safeguarding
               'withheld', 'withhold', 'withholding', 'undisclosed',
               -- "couldn't describe where", "can't name it"
               'couldnt', 'describe', 'described',
               -- left to the employer or another record ("employer to confirm location")
               'confirm', 'confirmed', 'confirmation') THEN 'unsaid'
    -- no fixed abode (NFA): homeless, no place to point at
    WHEN w IN ('nfa', 'abode', 'fixed', 'homeless', 'rough', 'sleeper', 'sleeping') THEN 'nfa'
    WHEN w IN ('abroad', 'overseas', 'holiday', 'holidays', 'spain', 'france', 'abroard', 'country',
               'countries') THEN 'abroad'
    WHEN w IN ('various', 'multiple', 'several', 'many', 'locations', 'places', 'different') THEN 'various'
    -- a pointer to other records instead of a place ("see CP proforma", "refer to body map", "as per triage")
    WHEN w IN ('notes', 'proforma', 'proformas', 'bodymap', 'datix', 'triage') THEN 'notes'
    -- over the phone or the internet: no place
    WHEN w IN ('online', 'internet', 'snapchat', 'instagram', 'whatsapp', 'tiktok', 'facebook', 'phone') THEN 'online'
    WHEN w IN ('st', 'rd', 'pk', 'pub', 'shop', 'club', 'nightclub', 'bar', 'school', 'college', 'hostel',
               'public', 'place', 'est', 'outdoors', 'indoors', 'alley', 'alleyway', 'restaurant', 'cafe',
               'takeaway', 'supermarket', 'store', 'corner', 'stairwell', 'lift', 'block', 'playground',
               'field', 'garage', 'carpark', 'nightclubs', 'pubs', 'shops', 'town', 'centre',
               'city', 'river', 'canal', 'woods', 'underpass', 'stairs', 'staircase', 'toilet',
               'toilets', 'corridor', 'flats', 'petrol', 'uni', 'university', 'gym', 'road', 'pavement',
               'garden', 'bushes', 'suite', 'premises', 'licensed', 'retail', 'communal', 'establishment',
               'educational', 'space', 'highway', 'area', 'care', 'unit', 'institute',
               'institution', 'wing', 'stops', 'accommodation', 'shelter', 'gutter', 'library', 'libraries',
               'beach', 'nursery', 'mosque', 'church', 'temple', 'synagogue', 'gurdwara', 'pitch', 'pitches',
               'bookies', 'bookmakers', 'skatepark', 'launderette', 'hallway', 'doorstep', 'barber', 'barbers',
               'barbershop', 'salon', 'hairdresser', 'hairdressers', 'warehouse', 'factory', 'site', 'building',
               'market', 'boat', 'office', 'pru', 'depot', 'depots', 'venues', 'campsite', 'ground', 'grounds',
               'turnstile', 'turnstiles', 'forecourt',
               -- where a visitor went, by its kind ("at the stadium", "outside the theatre"; not "airport" or "arena":
               -- London City Airport and Arena are stations)
               'stadium', 'theatre', 'cinema', 'museum', 'gallery', 'casino', 'venue') THEN 'kind'
    WHEN w IN ('pt', 'pts', 'patient', 'patients', 'states', 'said', 'says', 'reports', 'reported',
               'assaulted', 'assault', 'attacked', 'stabbed', 'punched', 'hit', 'was', 'were', 'been', 'being',
               'in', 'at', 'on', 'a', 'an', 'his', 'her', 'their', 'my', 'own', 'of', 'to', 'by', 'from',
               'with', 'inside', 'os', 'nr', 'opp', 'london', 'while', 'during', 'some', 'just', 'he', 'she',
               'they', 'whilst', 'back', 'front', 'outside', 'near', 'the', 'house', 'flat', 'home', 'address',
               'place', 'when', 'went', 'out', 'up', 'him', 'them', 'this', 'that', 'it', 'is', '&', 'or',
               'where', 'wants', 'want', 'anything', 'else', 'other', 'another', 'something', 'any', 'stn',
               'too', 'very', 'so', 'much', 'pl', 'gave', 'giving', 'able', 'unable',
               -- the handover's narrative and its source ("pt found ...", "... per LAS", "(police)")
               'found', 'collapsed', 'brought', 'conveyed', 'picked', 'per', 'las', 'lfb', 'hems', 'crew',
               'lying', 'laying', 'lay', 'sitting', 'standing', 'paramedic',
               'me', 'us', 'i', 'you', 'somebody', 'jumped', 'mugged', 'robbed', 'happened', 'paramedics', 'witness', 'witnesses', 'bystander', 'bystanders',
               -- when, not where ("last night", "earlier today")
               'night', 'last', 'tonight', 'today', 'yesterday', 'earlier', 'evening', 'morning',
               'afternoon', 'weekend', 'then', 'after', 'before', 'later', 'am', 'pm',
               -- vagueness (the words the geocoder strips from a name: "somewhere", "around")
               'somewhere', 'around', 'approx', 'vicinity', 'nearby', 'locality', 'region', 'about',
               'allegedly', 'alleged', 'believed', 'apparently', 'possibly', 'probably',
               -- pronouns and verbs of the story
               'our', 'who', 'which', 'whose', 'all', 'go',
               'going', 'got', 'had', 'has', 'have', 'did', 'do', 'be', 'are', 'as', 'for', 'into', 'onto',
               'over', 'under', 'within', 'between', 'there', 'here', 'force', 'open', 'loc', 'inf',
               -- temporary accommodation; a road traffic collision (what happened, not where)
               'temp', 'temporary', 'rtc',
               -- a reply's courtesies and off-topic answers ("what incident", "wrong number", "leave me alone",
               -- "im fine now"; the courtesies at either end: safestats_internal.geocode_drop_pleasantries)
               'hi', 'hiya', 'hey', 'hello', 'yes', 'yeah', 'yep', 'ok', 'okay', 'thanks', 'thank', 'thx', 'cheers',
               'sorry', 'lol', 'innit', 'what', 'incident', 'wrong', 'alone', 'leave', 'fine', 'im', 'its', 'u', 'now',
               'your', 'down', 'halfway', 'off',
               -- who is telling and of whom ("child says", "teacher reports", "YPs", "FC" the foster carer,
               -- "15yo"), the body part hurt, "see" / "refer to" another record
               -- (not the parts that name places too: "Kings Arms", "Hand in Hand", "London Eye", "Chest Hospital")
               'child', 'childs', 'children', 'kid', 'kids', 'yps', 'teenager', 'teacher', 'teachers',
               'staff', 'fc', 'yo', 'youth', 'group', 'once', 'twice', 'face', 'leg', 'legs', 'nose', 'mouth',
               'jaw', 'stomach', 'ribs', 'finger', 'fingers', 'wrist', 'ankle', 'knee', 'see', 'refer', 'body',
               'map', 'query', 'words', 'specialist', 'nurse', 'play',
               -- the deck of a bus or the floor of a building, the way a train was going ("upstairs on a
               -- bus", "tube westbound"), the state on arrival ("GCS low on arrival")
               'upstairs', 'downstairs', 'westbound', 'eastbound', 'northbound', 'southbound',
               'gcs', 'arrival', 'scene', 'report',
               -- what the patient was doing there, where they live, what the police did ("queue at this A&E",
               -- "waiting to be seen", "lives out of area", "crime ref given", "CCTV requested")
               'queue', 'queuing', 'queueing', 'seen', 'lives', 'live', 'living', 'crime', 'ref', 'requested',
               -- who the patient is ("commuter", "tourist", "new student")
               'commuter', 'commuters', 'tourist', 'tourists', 'visitor', 'visitors', 'student', 'students')
      OR safestats_internal.geocode_story_word(w)
      THEN 'filler'
    ELSE NULL END
$$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_class(text) IS
'Class of a normalised word in the non-place vocabulary: custody, work, party, vehicle, relation (a friend''s '
'or relative''s house), unsaid (patient unable or unwilling to say), abroad, various, online, nfa (no fixed abode), kind (a kind of place, '
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
  IF c IS NOT NULL OR length(w) < 5 OR length(w) > 20 OR translate(w, '0123456789', '') <> w THEN RETURN c; END IF;
  FOREACH v IN ARRAY ARRAY['custody', 'prison', 'detention', 'workplace', 'party', 'vehicle', 'minicab',
                           'friends', 'relatives', 'relative', 'girlfriends', 'boyfriends', 'partners',
                           'brothers', 'sisters', 'cousins', 'refused', 'declined', 'disclose', 'unable',
                           'location', 'locations', 'intoxicated', 'abroad', 'overseas', 'holiday', 'various',
                           'multiple', 'remember', 'patient', 'assaulted', 'hostel', 'nightclub', 'public',
                           'stated', 'states', 'house', 'street', 'homeless', 'train', 'country', 'wedding',
                           'funeral', 'festival', 'concert', 'celebration', 'christening', 'bouncer',
                           'doorman', 'uncooperative', 'between', 'college', 'school', 'university', 'accommodation']
  LOOP
    IF levenshtein_less_equal(w, v, 1) <= 1 THEN
      RETURN safestats_internal.geocode_nonplace_class(safestats_internal.geocode_fold_word(v));
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_word(text) IS
'safestats_internal.geocode_nonplace_class of a word, allowing one edit in vocabulary words of five letters or more.';

-- Home and the people whose home it was, mistyped ("hoem", "AT HER HOMEE", "freinds house", "cousins
-- hose"): each such word is read as the word meant before the home and non-place rules look at the text.
-- Only the slips of a typing hand that leave a word's letters in place: two neighbours swapped, a letter
-- typed twice, and, in words of five letters or more, a letter left out ("hose" for house, never "hoe"
-- for home: Hoe Street is a street). A letter typed wrong is never taken, since it makes other words
-- ("some" for home, "other" for mother). The name search keeps the text as written.
-- The slips are worked out once, here, into a constant map (slip -> word) written into the function's
-- body: a look-up per word of the text instead of an edit test against every word meant (which cost
-- 0.3 ms a text, a fifth of the geocoder's time).
DO $do$
DECLARE
  v_map jsonb;
BEGIN
  WITH target(t) AS (
    SELECT unnest('{home,house,flat,address,place,friend,friends,mate,mates,cousin,cousins,partner,partners,'
                  'relative,relatives,family,brother,brothers,sister,sisters,auntie,uncle,neighbour,neighbours,'
                  'girlfriend,girlfriends,boyfriend,boyfriends,parents,doorstep,hallway,bedroom,kitchen,balcony}'::text[])),
  slip(v, t) AS (
    SELECT left(t, k - 1) || substr(t, k + 1, 1) || substr(t, k, 1) || substr(t, k + 2), t   -- swapped
    FROM target, generate_series(1, length(t) - 1) k WHERE substr(t, k, 1) <> substr(t, k + 1, 1)
    UNION
    SELECT left(t, k) || substr(t, k, 1) || substr(t, k + 1), t                           -- doubled
    FROM target, generate_series(1, length(t)) k
    UNION
    SELECT left(t, k - 1) || substr(t, k + 1), t                                          -- left out
    FROM target, generate_series(1, length(t)) k WHERE length(t) >= 5)
  SELECT jsonb_object_agg(v, t)
         -- and the short forms of record systems and staff ("OWN HSE", "HOME ADDR", "GF's house")
         || '{"hse": "house", "addr": "address", "adr": "address", "gf": "girlfriend", "gfs": "girlfriends",
              "bf": "boyfriend", "bfs": "boyfriends"}'::jsonb INTO v_map
  FROM (SELECT v, min(t) AS t FROM slip
        WHERE length(v) >= 4 AND v NOT IN (SELECT t FROM target) GROUP BY v) x;
  EXECUTE format($f$
CREATE OR REPLACE FUNCTION safestats_internal.geocode_dwelling_words(norm text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $body$
DECLARE
  ws text[] := string_to_array(coalesce(norm, ''), ' ');
  t text;
  changed boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    t := %L::jsonb ->> ws[i];
    IF t IS NOT NULL THEN
      ws[i] := t;
      changed := true;
    END IF;
  END LOOP;
  RETURN CASE WHEN changed THEN array_to_string(ws, ' ') ELSE norm END;
END
$body$
$f$, v_map);
END
$do$;
COMMENT ON FUNCTION safestats_internal.geocode_dwelling_words(text) IS
'The normalised text with mistyped home and relation words read as meant ("hoem" → home, "freinds" → '
'friends, "hose" → house): two neighbouring letters swapped, a letter doubled, or one left out in words of '
'five letters or more; never a wrong letter. Used for the home and non-place rules only.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_prepositions()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT '{at,in,on,by,near,nr,outside,os,inside,into,onto,under,behind,opp,from,to,down,along,through,off,past,
           beside,across,round}'::text[]
$$;
COMMENT ON FUNCTION safestats_internal.geocode_prepositions() IS
'The prepositions (normalised) before which "a"/"an" opens an indefinite noun phrase, a kind of place '
'("at a party", "on a bridge"); used by geocode_nonplace_classes and geocode_weak_evidence.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_classes(norm text, whole boolean)
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. The non-place classes its words belong to (without 'filler').
-- whole: every word must be non-place vocabulary or filler, else NULL (the text may name a place).
-- Otherwise the words outside the vocabulary are passed over, and the classes are a sign of a
-- non-place answer that only a strong match of a place's name outweighs
-- (safestats_internal.geocode_nonplace_signal); among other words a vocabulary word is then no sign
-- when it is part of a name or a kind of place:
--  * the kinds of place themselves ('kind': "st", "pub", which make up most place names);
--  * a word followed by a kind of place, street type or stop ("bus stop", "car pk", "friends rd",
--    "seven sisters stn", "police stn"): a place, not a vehicle, a friend or custody;
--  * "no" before a number (a house number: "outside no. 14 ...");
--  * a relative or friend without a dwelling word (house, flat, home, address, place) in the text:
--    names hold them ("Seven Sisters", "Owen Brothers").
-- The word after "per" is the source of the information ("per police", "per LAS"), not where.
-- An indefinite article after a preposition ("at a ...", "in an ...") is a sign of a kind of place.
DECLARE
  ws text[] := array_remove(string_to_array(norm, ' '), '');
  w text;
  nxt text;
  c text;
  classes text[] := '{}';
BEGIN
  FOR i IN 1 .. coalesce(cardinality(ws), 0) LOOP
    w := ws[i];
    CONTINUE WHEN i > 1 AND ws[i - 1] = 'per';
    -- "step dad", "god mother", "half brother": the relation word after it says it
    CONTINUE WHEN w IN ('step', 'god', 'half') AND coalesce(safestats_internal.geocode_nonplace_class(ws[i + 1]) = 'relation', false);
    c := safestats_internal.geocode_nonplace_word(w);
    -- a word read as vocabulary only through a typo, before a street type, is a street's name ("bounces rd"
    -- is Bounces Road, not a bouncer's work)
    IF c IS NOT NULL AND ws[i + 1] IN ('rd', 'st', 'ave', 'ln', 'pl', 'sq', 'gdns', 'cres', 'ter', 'cl', 'dr', 'ct',
                                       'gr', 'pde', 'way', 'wlk', 'walk', 'row', 'mews', 'hill')
       AND safestats_internal.geocode_nonplace_class(w) IS NULL THEN
      c := NULL;
    END IF;
    IF c IS NULL THEN
      IF whole THEN RETURN NULL; END IF;
      CONTINUE;
    END IF;
    -- "at a ...", "in an ...": an indefinite article after a preposition introduces a kind of place
    -- ("at a wedding shop", "in an underpass", "on a bridge"), not a named one ("at the Bridge").
    IF NOT whole AND w IN ('a', 'an') AND i > 1 AND i < cardinality(ws)
       AND ws[i - 1] = ANY (safestats_internal.geocode_prepositions()) THEN
      IF NOT 'kind' = ANY (classes) THEN classes := classes || 'kind'::text; END IF;
      CONTINUE;
    END IF;
    CONTINUE WHEN c = 'filler';
    IF NOT whole THEN
      nxt := ws[i + 1];
      CONTINUE WHEN c = 'kind'
        OR nxt IN ('stop', 'stops', 'stn', 'pk', 'rank', 'depot', 'garage', 'shelter', 'wash', 'hire', 'yard',
                   'office', 'centre', 'hall', 'ln', 'bay', 'service')
        OR coalesce(safestats_internal.geocode_nonplace_class(nxt) = 'kind', false)
        OR (w = 'no' AND left(nxt, 1) BETWEEN '0' AND '9')
        OR (c = 'relation' AND NOT ws && '{house,flat,home,address,place,pl,residence,property}'::text[])
        OR (c = 'placement'
            AND NOT ws && '{house,flat,home,address,place,pl,residence,property,placement,placements,carer,carers}'::text[]);
    END IF;
    IF NOT c = ANY (classes) THEN classes := classes || c; END IF;
  END LOOP;
  RETURN classes;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_classes(text, boolean) IS
'The non-place classes (custody, work, party, vehicle, relation, unsaid, abroad, various, nfa, kind) of the '
'words of a normalised text; whole = true: NULL unless every word is non-place vocabulary or filler; '
'whole = false: other words are passed over, and so are vocabulary words that are part of a name or a kind '
'of place ("bus stop", "car pk", "friends rd", "no 14", "seven sisters" without a house or flat). The word '
'after "per" (the source) is skipped.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_answer(classes text[])
RETURNS TABLE (answer text, reason text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  -- No row for no class; 'home' for a friend's or relative's house (unless in custody, a vehicle, at
  -- work or abroad), else 'none'; the reason names the classes.
  SELECT CASE WHEN classes && '{relation,placement}'::text[] AND NOT classes && '{custody,vehicle,work,abroad}'::text[]
              THEN 'home' ELSE 'none' END,
         'non-place: ' || (SELECT string_agg(CASE x
              WHEN 'custody' THEN 'in custody or prison' WHEN 'work' THEN 'at work'
              WHEN 'party' THEN 'at a party' WHEN 'event' THEN 'at an occasion (a wedding, a match ...)'
              WHEN 'vehicle' THEN 'in a vehicle'
              WHEN 'relation' THEN 'someone''s home (a friend''s, relative''s, partner''s ...)'
              WHEN 'placement' THEN 'a child''s placement (foster or residential care): home'
              WHEN 'notes' THEN 'a pointer to other notes, not a place'
              WHEN 'unsaid' THEN 'patient unable or unwilling to say' WHEN 'abroad' THEN 'abroad'
              WHEN 'various' THEN 'various places' WHEN 'kind' THEN 'a kind of place, not which one'
              WHEN 'nfa' THEN 'no fixed abode' WHEN 'online' THEN 'online, not a place'
              ELSE x END, ', ' ORDER BY x) FROM unnest(classes) x)
  WHERE cardinality(classes) > 0
$$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_answer(text[]) IS
'The answer (''home'' for a friend''s or relative''s house, else ''none'') and the reason for a set of '
'non-place classes; no row for none.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_content(norm text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  -- The words of a normalised text that are not filler (safestats_internal.geocode_nonplace_word), in
  -- order, when there are two or more of them; NULL otherwise. Compared with a feature's normalised
  -- name: a place named only by generic words ("london bridge hotel", "river cafe", "river rd").
  -- A word of a definite non-place class (custody, work, a vehicle, a relative ...) is never part of
  -- such a name: "custody suite" stays a non-place.
  SELECT CASE WHEN count(*) >= 2 AND bool_and(coalesce(c IN ('kind', 'event', 'placement'), true))
              THEN string_agg(w, ' ' ORDER BY i) END
  FROM (SELECT w, i, safestats_internal.geocode_nonplace_word(w) AS c
        FROM unnest(string_to_array(norm, ' ')) WITH ORDINALITY AS u(w, i) WHERE w <> '') x
  WHERE c IS DISTINCT FROM 'filler'
$$;
COMMENT ON FUNCTION safestats_internal.geocode_content(text) IS
'The non-filler words of a normalised text, in order, when two or more and none of a definite non-place class '
'(custody, work, vehicle ...; else NULL): compared with gazetteer '
'names to tell a place named only by generic words ("river cafe") from a generic phrase ("by the river").';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace(norm text)
RETURNS TABLE (answer text, reason text)
LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
AS $$
-- norm: a normalised text. One row when every word of it is non-place vocabulary or filler and at least
-- one is a non-place word: answer 'home' (a friend's or relative's house) or 'none', and the reason.
-- A text with any other word ("hmp brixton", "tesco car park", "party shop rye ln") is not a non-place,
-- nor is one whose words other than filler are, two or more of them, the whole name of a place in the
-- gazetteer ("in london bridge hotel", "river rd", "city university": names made of generic words);
-- one such word alone stays generic ("by the river", "at uni"). PL/pgSQL, so that the look-up's plan is
-- kept between calls (called for every text).
DECLARE
  c text[] := safestats_internal.geocode_nonplace_classes(norm, true);
BEGIN
  IF c IS NULL THEN RETURN; END IF;
  -- Only filler: who said it, what was done, when, the body part ("bitten by sibling", "punched once to
  -- face", "during a fight", "child says"): no place is named, unless the words are a place's whole name.
  IF cardinality(c) = 0 THEN
    IF norm = '' OR EXISTS (SELECT 1 FROM gazetteer.feature f
                            WHERE f.norm = regexp_replace(geocode_nonplace.norm, '^(at|in|on|the) ', '') AND f.active) THEN
      RETURN;
    END IF;
    RETURN QUERY SELECT 'none'::text, 'no place named: only words of the story or the record (who said it, '
                                      'what was done, when)'::text;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM gazetteer.feature f
             WHERE f.norm = safestats_internal.geocode_content(geocode_nonplace.norm) AND f.active
               AND f.level IN ('venue', 'street', 'area')) THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT a.answer, a.reason FROM safestats_internal.geocode_nonplace_answer(c) a;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace(text) IS
'For a normalised location text made only of non-place words (custody, prison, work, party, vehicle, a '
'friend''s or relative''s house, patient unable or unwilling to say, abroad, various, a kind of place) and '
'filler: one row, answer ''home'' or ''none'' and the reason; no row otherwise, nor when its words other '
'than filler (two or more) are the whole name of a place in the gazetteer (safestats_internal.geocode_content).';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_nonplace_signal(norm text)
RETURNS TABLE (answer text, reason text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
-- A text holding a non-place word among other words ("pt found on a train", "at her boyfriends house
-- per police"): the non-place answer it would get if no place's name is matched strongly
-- (safestats_internal.geocode_weak_evidence decides that after the name search). PL/pgSQL: called for
-- every text, and most hold no such word (no answer to build).
DECLARE
  c text[] := safestats_internal.geocode_nonplace_classes(norm, false);
BEGIN
  IF cardinality(c) > 0 THEN
    RETURN QUERY SELECT a.answer, a.reason FROM safestats_internal.geocode_nonplace_answer(c) a;
  END IF;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_nonplace_signal(text) IS
'For a normalised text holding non-place words (custody, work, party, vehicle, a friend''s, unable to say, '
'abroad, various) among others: the non-place answer (''home'' or ''none'') and reason it gets unless a '
'place''s name is matched strongly; no row when it holds none.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_is_nonplace_token(w text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- Words kept out of the name search: a venue whose only overlap with the text is such a word ("We Work"
  -- for "at work", "Tea Party" for "at a party", "Mum's" for "at mums") is never a candidate. Words that
  -- also name places often ("police" station, "coach" and horses, "holiday" inn, "train") stay searchable.
  SELECT w NOT IN ('police', 'ambulance', 'train', 'bus', 'coach', 'van', 'tram', 'holiday', 'holidays', 'no', 'not', 'know',
                   'will', 'would', 'give', 'given', 'tell', 'sure', 'family', 'son', 'sons', 'ex', 'mother',
                   'father', 'brother', 'sister', 'spain', 'france', 'cell', 'cells', 'job', 'works', 'shift',
                   'transport', 'coach', 'location', 'information', 'info', 'places', 'many', 'different',
                   'partner', 'partners', 'daughter', 'daughters', 'unknown', 'stated', 'recorded', 'fixed', 'rough',
                   'sleeping', 'known', 'country', 'countries', 'nick', 'duty', 'security', 'festival', 'carnival',
                   'football', 'boxing', 'training', 'match', 'game', 'bike', 'customer', 'customers', 'details',
                   'history', 'birthday', 'event', 'wake', 'immigration', 'memory', 'victim', 'victims', 'caller',
                   'callers', 'associate', 'associates', 'suspect', 'suspects', 'anonymous', 'class', 'practice')
     AND (coalesce(safestats_internal.geocode_nonplace_class(w) IN ('custody', 'work', 'party', 'event', 'vehicle', 'relation',
                                                           'unsaid', 'abroad', 'various', 'nfa', 'online'), false)
          OR safestats_internal.geocode_story_word(w)
          OR w IN ('pt', 'pts', 'patient', 'patients', 'states', 'said', 'says', 'reports', 'reported',
                   'assaulted', 'attacked', 'stabbed', 'punched', 'whilst', 'while',
                   -- the handover's narrative and source ("pt found", "per LAS"): "Lost & Found", "Las Tapas"
                   'found', 'collapsed', 'conveyed', 'per', 'las', 'lfb', 'hems', 'rtc',
                   -- the patient's own story ("someone went for me", "got jumped"): "Me Me" (not "we": "We Work")
                   'me', 'us', 'i', 'somebody', 'jumped', 'mugged', 'robbed', 'happened', 'for', 'went',
                   'got', 'was', 'were',
                   -- a reply's courtesies and off-topic answers: "Hi Tide", "Ten Thanks", "Cheers", "Vegan Yes",
                   -- "What The Fish", "The Wrong' Un"
                   'hi', 'hiya', 'hey', 'hello', 'yes', 'yeah', 'yep', 'ok', 'okay', 'thanks', 'thank', 'thx',
                   'cheers', 'sorry', 'lol', 'innit', 'what', 'incident', 'wrong', 'alone', 'leave', 'fine',
                   -- "it was ...", "it all happened down ...": "Wrap It Up", "All Star", "Down Street"
                   'it', 'its', 'all', 'down', 'halfway',
                   -- "out in N20": "Out Fry"
                   'out'))
$$;
COMMENT ON FUNCTION safestats_internal.geocode_is_nonplace_token(text) IS
'True for a normalised word of the non-place vocabulary (work, party, custody, a car, a friend''s ...) or of the '
'patient''s story (pt, states, assaulted) that the name search leaves out, so that a venue sharing only such a '
'word with the text is never found.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_weak_evidence(best jsonb, norm text, signal boolean)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- best: a geocoder candidate (its level, matched name and `why`); norm: the normalised text; signal:
-- the text holds a non-place word (safestats_internal.geocode_nonplace_signal). Why the candidate is
-- no evidence of a place, so not accepted ('kind' or 'part', below); NULL when it is:
--  * 'kind': a venue sharing with the text only non-place vocabulary and kind-of-place words
--    (gazetteer.type_word): "The Saint" (= "st") or "Jen Canteen" for "at my workplace canteen",
--    "Cafe Leon" for "cafe in the park", "No. 17" for "outside no. 14 ...". Such words say what kind
--    of place, never which one. A word of the name counts as in the text when the text holds it or
--    a word at most two edits from it (a typo), outside an indefinite noun phrase: the words after
--    "a"/"an" following a preposition ("at a chicken shop", "on a bridge", "in a care home") say
--    what kind of place it was, so "A.K. Chicken", "The Bridge" or "Care Home" is not it;
--  * 'part': with a non-place word in the text, a venue, street or area found by its name alone (no
--    street words, no postcode district confirming it) when the text holds only part of that name
--    ("found" of "Lost & Found", "night" of "Bombay Night", "country" of "Country Way"). A place
--    named whole ("hmp brixton", "at work in tesco", "in a taxi on rye lane") keeps its answer.
-- Postcodes, sectors, districts and junctions of two named streets are never weak.
DECLARE
  v_text text[] := string_to_array(coalesce(norm, ''), ' ');
  v_named text[] := '{}';   -- the text's words outside indefinite noun phrases
  v_np boolean := false;
  v_openers text[] := '{}';  -- "at a", "in an" ...
  v_name text;
  v_content text;
BEGIN
  IF best IS NULL OR best->>'level' NOT IN ('venue', 'street', 'area', 'borough') THEN RETURN NULL; END IF;
  -- A hospital named by its own words beside a hospital word ("university college hospital (ed)") is
  -- that hospital, though "university" and "college" alone would be kinds of place.
  IF best->>'kind' IN ('hospital', 'ae_site') AND string_to_array(norm, ' ') && '{hosp,ae,utc,ed}'::text[]
     AND EXISTS (SELECT 1 FROM unnest(string_to_array(safestats_internal.geocode_normalise(
                                        coalesce(best->>'matched', '')), ' ')) w
                 WHERE w NOT IN ('hosp', 'the', 'of', '&', 'and', 'st') AND w = ANY (v_text)) THEN
    RETURN NULL;
  END IF;
  -- (the noun phrases only where the text has an article: most texts have none)
  FOR i IN 1 .. CASE WHEN v_text && '{a,an}'::text[] THEN cardinality(v_text) ELSE 0 END LOOP
    IF v_text[i] IN ('a', 'an') AND i > 1 AND v_text[i - 1] = ANY (safestats_internal.geocode_prepositions()) THEN
      v_np := true;
      v_openers := v_openers || (v_text[i - 1] || ' ' || v_text[i]);
    -- (the phrase ends at a preposition, a number, or "called" / "named" before a name: "in a shop called X")
    ELSIF v_np AND (v_text[i] = ANY (safestats_internal.geocode_prepositions()) OR left(v_text[i], 1) BETWEEN '0' AND '9'
                    OR v_text[i] IN ('called', 'named')) THEN
      v_np := false;
    END IF;
    IF NOT v_np THEN v_named := v_named || v_text[i]; END IF;
  END LOOP;
  -- ... unless the name itself holds the phrase ("All In a Pickle" for "outside all in a pickle")
  IF cardinality(v_openers) = 0 THEN
    v_named := v_text;
  ELSE
    v_name := ' ' || safestats_internal.geocode_normalise(coalesce(best->>'matched', '')) || ' ';
    IF EXISTS (SELECT 1 FROM unnest(v_openers) o WHERE strpos(v_name, ' ' || o || ' ') > 0) THEN
      v_named := v_text;
    END IF;
  END IF;
  -- A name found by its words alone, none of them outside an indefinite noun phrase ("on a bridge" →
  -- a street called The Bridge), is the kind of place the text names, at any level.
  IF cardinality(v_named) < cardinality(v_text)
     AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array(safestats_internal.geocode_normalise(
                                     coalesce(best->>'matched', '')), ' ')) w
                     WHERE coalesce(safestats_internal.geocode_nonplace_class(w), '') <> 'filler'
                       AND EXISTS (SELECT 1 FROM unnest(v_named) x
                                   WHERE x = w OR (length(w) >= 4 AND length(x) >= 4
                                                   AND levenshtein_less_equal(x, w, 2) <= 2))) THEN
    RETURN 'kind';
  END IF;
  IF jsonb_typeof(best->'why') = 'object'
     AND (coalesce((best->'why'->>'street_words')::int, 0) > 0
          OR coalesce((best->'why'->>'district')::float8, 0) > 0) THEN
    RETURN NULL;
  END IF;
  IF best->>'level' = 'venue'
     AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array(safestats_internal.geocode_normalise(
                                            coalesce(best->>'matched', '')), ' ')) w
                     WHERE safestats_internal.geocode_nonplace_class(w) IS NULL AND translate(w, '0123456789&', '') <> ''
                       AND NOT EXISTS (SELECT 1 FROM gazetteer.type_word t WHERE t.word = w)
                       AND EXISTS (SELECT 1 FROM unnest(v_named) x
                                   WHERE x = w OR (length(w) >= 4 AND length(x) >= 4
                                                   AND levenshtein_less_equal(x, w, 2) <= 2))) THEN
    -- ... unless named whole by generic words, not all of them the gazetteer's own kinds of place
    -- ("river cafe", "city university"; "Market Tavern" and "Wine Bar" are never candidates)
    v_content := safestats_internal.geocode_content(norm);
    IF v_content IS NULL OR v_content <> safestats_internal.geocode_normalise(coalesce(best->>'matched', ''))
       OR NOT EXISTS (SELECT 1 FROM unnest(string_to_array(v_content, ' ')) w
                      WHERE NOT EXISTS (SELECT 1 FROM gazetteer.type_word t WHERE t.word = w)) THEN
      RETURN 'kind';
    END IF;
  END IF;
  IF signal AND jsonb_typeof(best->'why') = 'object'
     AND coalesce((best->'why'->>'name_in_text')::float8, 1) < 0.8 THEN
    RETURN 'part';
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION safestats_internal.geocode_weak_evidence(jsonb, text, boolean) IS
'Why a geocoder candidate is not evidence of a place (NULL when it is): ''kind'', a venue sharing with the '
'text only non-place and kind-of-place words (gazetteer.type_word: "The Saint", "Jen Canteen" for "canteen", '
'"No. 17"; not a venue named whole by such words when some are not the gazetteer''s kinds of place: "River '
'Cafe"); ''part'' (signal: the text holds a non-place word or "at a ..."), found by its name alone with only '
'part of that name in the text.';

-- A record system's own values where the place should be. A place column that has been through
-- spreadsheets and other systems holds, besides places, what those systems put in a cell: missing-value
-- markers ("NULL", "nan", "(blank)"), Excel's error values ("#NAME?", "#VALUE!"), default column and sheet
-- names ("Column1", "Sheet1"), summary and clerical rows ("Grand Total", "Duplicate - delete", "see previous
-- row", "test patient"), notes on a return ("return outstanding", "data withheld (small numbers)") and
-- another column's value (how the patient arrived, the weapon, alcohol). Matched word by word against the
-- gazetteer they become "Columbia Road", "Record Street", "The Grand", "Value Retailers".
CREATE OR REPLACE FUNCTION safestats_internal.geocode_record_words()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- The words that mark a record system's own value (a text holding none of them is never one).
  SELECT '{"null",nan,nat,blank,blanks,empty,missing,subtotal,subtotals,total,totals,duplicate,duplicates,
           duplicated,dupe,delete,deleted,ditto,withheld,suppressed,redacted,outstanding,overdue,awaited,dummy,
           test,testing,lookup,error,errors,invalid,unmatched,unmapped,ungeocoded,see,weapon,alcohol,byambulance,
           walkin,presented,column,sheet,unnamed}'::text[]
$$;
COMMENT ON FUNCTION safestats_internal.geocode_record_words() IS
'The normalised words that mark a record system''s own value in a place column (null, nan, blank, total, '
'duplicate, ditto, withheld, test, error, see, weapon, ambulance ...): safestats_internal.geocode_record_value '
'reads a text only when it holds one.';

CREATE OR REPLACE FUNCTION safestats_internal.geocode_record_value(raw text, norm text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  -- raw: the text as given; norm: its normalised form. The reason, when the whole text is a record
  -- system's own value rather than a place: every word a record word (geocode_record_words, a default
  -- column or sheet name such as "column1", an Excel error value) or a word that goes with one (the
  -- non-place filler, numbers, "row", "previous", "free text", "small numbers", a weapon ...), and at least
  -- one record word. NULL otherwise: any other word may name a place ("The Walk", "Park Row", "Record St").
  WITH w AS (
    SELECT x AS w FROM unnest(string_to_array(
      replace(replace(replace(replace(' ' || coalesce(norm, '') || ' ', ' walk in ', ' walkin '), ' walked in ', ' walkin '),
              ' out standing ', ' outstanding '), ' by ambulance ', ' byambulance '), ' ')) x
    WHERE x <> ''),
  k AS (
    SELECT w,
           w = ANY (safestats_internal.geocode_record_words())
           OR (rtrim(w, '0123456789') IN ('column', 'col', 'sheet', 'field', 'unnamed', 'row', 'var')
               AND rtrim(w, '0123456789') <> w)
           -- Excel's error values ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!")
           OR (strpos(raw, '#') > 0 AND w IN ('name', 'value', 'ref', 'div', 'num', 'spill', 'calc')
               AND strpos(lower(raw), '#' || w) > 0) AS strong,
           translate(w, '0123456789', '') = ''
           -- (a dwelling's words make it a home: "Home; In flat; NULL")
           OR (coalesce(safestats_internal.geocode_nonplace_class(w) IN ('filler', 'unsaid'), false)
               AND w NOT IN ('home', 'house', 'flat', 'address', 'own', 'residence'))
           OR w IN ('none', 'na', 'n', 'row', 'rows', 'line', 'lines', 'entry', 'entries', 'record', 'records',
                    'data', 'figures', 'numbers', 'number', 'value', 'values', 'details', 'free', 'text', 'notes',
                    'note', 'comments', 'comment', 'narrative', 'attached', 'col', 'tab', 'field', 'grand', 'sub',
                    'small', 'return', 'returns', 'received', 'submitted', 'required', 'pending', 'previous',
                    'above', 'below', 'same', 'only', 'related', 'involved', 'used', 'type', 'mode', 'arrival',
                    'self', 'mechanism', 'injury', 'blunt', 'sharp', 'object', 'bottle', 'glass', 'fist', 'fists',
                    'feet', 'stick', 'hammer', 'brick', 'gun', 'firearm', 'kick', 'punch', 'other', 'match',
                    'matched', 'name', 'site', 'sites', 'check', 'query', 'please', 'pls', 'use', 'yet', 'awaiting',
                    'patient', 'entered', 'supplied', 'provided', 'available', 'unavailable', 'drugs', 'drug',
                    'vehicle', 'car', 'police', 'friend', 'family', 'relative', 'bystander', 'taxi', 'helicopter',
                    'sum', 'count', 'overall', 'all') AS weak
    FROM w)
  SELECT 'a record system''s own value, not a place: ' || string_agg(w, ' ')
  FROM k
  HAVING count(*) > 0 AND bool_and(strong OR weak) AND bool_or(strong)
  UNION ALL
  -- a default column or sheet name as the whole text, before any repair read its digits as letters
  SELECT 'a record system''s own value, not a place: ' || x
  FROM (SELECT lower(btrim(raw, ' "''.,;:|')) AS x) r
  WHERE rtrim(x, '0123456789') IN ('column', 'col', 'sheet', 'field', 'unnamed', 'var') AND rtrim(x, '0123456789') <> x
  LIMIT 1
$$;
COMMENT ON FUNCTION safestats_internal.geocode_record_value(text, text) IS
'The reason (NULL when not) a location text is a record system''s own value rather than a place: a '
'missing-value marker ("NULL", "nan", "(blank)"), an Excel error ("#NAME?"), a default column or sheet name '
'("Column1"), a total, duplicate, "ditto" / "see previous row", test or withheld row, or another column''s '
'value (arrival by ambulance, the weapon, alcohol). Every word must be such a word or go with one.';
