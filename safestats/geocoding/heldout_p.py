"""A sixteenth held-out family of labelled assault locations, ``visitor``: the location field of assault
records from a CENTRAL London emergency department whose assault patients are mostly visitors and commuters
-- day-trippers, people in town for a night out, a match, a show or a gig, tourists, students new to the
city, commuters and night-shift workers passing through. The patient, a friend or partner, hotel or venue
staff (night manager, door staff, security, a steward), a transport worker (station staff, a bus or coach
driver), a police officer (BTP, the Met) or the ambulance crew says where it happened and the receptionist
or triage nurse types it. Outsiders know places by what they are (the theatre, the stadium, the hotel, the
pub, the takeaway), by how they came (got off at a station, a platform, the line they were on, changing
trains, the taxi rank), by the postcode of a booking, a phone or a taxi app (often only its first half), by
a neighbourhood named like the station they came through, and by names only half remembered ("maybe", "or
thereabouts"); some answers are the patient's own home out of London, where they were staying (an Airbnb, a
friend's flat, halls), or no place at all (on the tube between stations, in a cab, a club whose name they
never knew, notes to see).

Written 2026-12-07 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 21:57:43 UTC and finished 22:30:29 UTC (``date -u``). What was read to write it: the whole of
``heldout_o.py`` (lines 1-1108, as the model for STRUCTURE only: truths drawn through ``truths.py``, the
reporting site through ``sites.py``, the class shares, the ``typo`` semantics, the dataclass returned,
``generate(conn, n)`` and the docstring's record; none of its phrase lists, templates, brand forms, nicknames,
abbreviations, non-place labels or noise rules were taken over); the whole of ``truths.py`` and ``sites.py``;
tests/geocoding/test_heldout_paeds.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py in
full (the model for this family's test file); from ``independent.py`` only a ``grep -n`` for ``class
IndependentExample``, ``^CHAINS`` and ``def _clean_name`` and the lines it pointed to, printed by range: lines
36-40 (``CHAINS``, then a blank line and one comment line), 70-90 (the ``IndependentExample`` dataclass, then
the head and first lines of the function after it) and 145-160 (``_clean_name``, then the signature, docstring
and first lines of the function after it) -- nothing beyond the three definitions was used; the ``FAMILY`` /
``SEED`` lines of heldout.py and heldout_b.py .. heldout_o.py (a ``grep -n`` for lines starting FAMILY or
SEED, which also matched one docstring line of five of them about how their sets are reproducible); the
pytest-marker and ruff lines of pyproject.toml (grep with a few lines of context); directory listings of the
repository root, safestats/geocoding/, tests/, tests/geocoding/ and data/. From the development gazetteer,
read-only (psql and this module's own queries): counts of gazetteer.feature by kind and level and in all,
counts of gazetteer.postcode, gazetteer.source_feature and health.ae_site, counts of landmark names by their
last word and the sources of landmarks, about 120 random landmark names with visitor-place endings, counts of
food premises by business type, 40 random stations with their source, network and lines, the stations within
600 m of one point (to understand a failing test), and random pub, ward and hospital names (the development
gazetteer held 87,917 features throughout this session: its load had not reached its full size, and was not
touched); and this module's own output (``generate(conn, 900)`` on the development gazetteer, a few hundred
texts looked at beside their truths' names, with a throw-away script of this session's own under /tmp). This
family's test file imports heldout_o's lists and independent.py's home / unknown / non-place lists and seeds
only to check that none of them was taken over; when those checks first failed, their messages named two
no-place phrases of this module that happened to coincide with phrases of independent.py's lists, two one-line
templates and one locality form coinciding with heldout_o's, and one station-word list equal to heldout_o's;
all were rewritten. Not read: anything under db/functions/, db/schema.sql, docs/,
safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py,
batch.py, heldout.py and heldout_b.py .. heldout_n.py beyond their FAMILY / SEED lines, the rest of
independent.py, tests/geocoding/test_geocoder*, the other tests/geocoding/test_heldout_*.py files,
tests/conftest.py, /work/scratch, /tmp files this session did not make, the git history. Every phrase,
template, brand form, nickname, abbreviation and noise rule below was written fresh for this module
(street-word short forms such as "rd" or "st", bare templates such as "{v}", and generic words such as "the"
inevitably coincide with other families'). The geocoder was never run on these texts (no call of
safestats.geocode or of any geocode* SQL function, no ``make eval-geocoder``, no evaluation module); the only
things run were this module's ``generate``, its own test file tests/geocoding/test_heldout_visitor.py (also
with this module deliberately broken for a moment, once for each of its nine tests, to see each fail, then
restored) and ``ruff check``.

Style. One location field: the place as a visitor says it (a sight or venue by what it is -- a theatre or
cinema, a concert hall, a stadium, a museum, palace or gallery, a market or shopping centre, a hotel, a park
or square -- a pub, a bar, a restaurant, a takeaway or a shop; a chain by its name, a longer form or a
nickname; a hospital; a station with the word a visitor adds, ``STATION_WORDS``, or none, now and then a
platform or the Underground line of the station itself, ``LINE_FORMS``; a street, often with what was on it;
two streets of a junction; a postcode off a booking or a phone, its first half, a district; a neighbourhood),
inside a template of how visitors put it (``VENUE_FORMS`` by sort of place, ``STATION_FORMS``,
``STREET_FORMS`` ...), now and then with where it is after it (``NEAR_FORMS``: the station within 400 m, the
district, the borough or the nearest postcode unit; a street's own ward; a chain's street, station within 400
m, ward or district). Names as receptionists type them: capitals of the gazetteer in ordinary case, bracketed
parts and company suffixes gone, apostrophes now and then not typed, "and" / "&" swapped, a street's last word
in the receptionist's short form (``STREET_SHORT``, lower, capitalised or capitals), a theatre's, hotel's or
shopping centre's generic last word left off ("the X", "X centre"; only when what is left is not itself the
name of a station, ward or street), "Hospital" as "Hosp". Most neighbourhoods are wards named like a station.
Then the record: maybe a hedge (``HEDGES``), who passed it on before the place (``RELAYED_BY``; the patient's
own words then often in quotes; for a no-place answer only the patient, a friend or partner, the crew or the
police; none for this department) or after it (``RELAYED_AFTER``), why the patient was in town
(``VISIT_NOTES``), what happened (``EVENTS``; never a place), the receptionist's case of the moment (as typed,
all lower, capitals, every word capitalised) and a mark at the end now and then. A station's line name
("Northern line") or a text naming the patient's home county or town out of London ("at home in Kent") are
part of the channel: the label stays the station, or home. The no-place texts: the patient's own home (level
home, many of them out of London), a dwelling where the patient was staying or visiting (level home, one in
five non-places), unknown (the patient does not know the area, was too drunk, the crew did not say; level
none) and non-places (a tube, a train, a bus, a cab, a club or pub whose name is not known, a hotel room with
no hotel named, a festival, notes to see, mechanisms; level none). No text names a second place other than the
truth's own locality, a station's line or a home out of London.

Labels. Classes and levels as in the other held-out families: venues with a unique name (sights and places
visitors go to, parks, pubs, bars and food premises; level venue), chain branches with a locality ("chain")
and without ("chain, no locality"), hospitals (about a fifth "this department" texts naming no hospital, whose
truth is the reporting site itself), stations, street points, junctions (a bus stop named after two streets),
postcode units, sectors, districts, wards (level area), home, unknown and non-places. Truths and reporting
sites are drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by an md5 salted with this
family's FAMILY and SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (either street of a
junction), of a chain's name or nickname, or of the primary postcode / sector / district were damaged: (a) a
fumble of the receptionist's fingers in one word of four letters or more (``FUMBLE_P`` by class): a key
touching the right one on a staggered keyboard pressed with it (a letter put in), a key pressed too lightly (a
letter missing), or two letters typed by different hands coming out in the wrong order; never the first
letter, never a generic word of ``LEFT_OFF`` or a short form, and never a fumble that happens to give the
street word's own short form; (b) a name typed the way a stranger to London says it (``STRANGER_P`` by class,
one rewrite of ``AS_SAID``, two letters at most, the first kept); (c) a code read off the patient's phone or
booking with one character taken for one that looks like it (``LOOKALIKE``: a character of a unit's inward
code, a sector's inward digit, a digit of a district) -- unless what was typed is another real code of the
truth's own point. Not typos: case, apostrophes, "&" for "and", the receptionist's short forms, a generic last
word left off, "Hosp", a chain's longer form or nickname, a postcode's space left out or typed one place late,
its case, quotes, hedges, who passed it on, why the patient was in town, what happened, an end mark. A
locality said after a place never fumbles.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "visitor"
SEED = 7_513_294

SHARES = {
    "venue": 0.14,
    "chain": 0.10,
    "hospital": 0.08,
    "station": 0.14,
    "street": 0.10,
    "junction": 0.04,
    "postcode": 0.05,
    "sector": 0.08,
    "district": 0.04,
    "area": 0.05,
    "home": 0.06,
    "unknown": 0.06,
    "nonplace": 0.06,
}

# the chance the receptionist's fingers fumbled one word of the place's own name (or a character of the
# primary code was read off the patient's phone as one that looks like it), by class
FUMBLE_P = {
    "venue": 0.07,
    "chain": 0.05,
    "hospital": 0.05,
    "station": 0.06,
    "street": 0.08,
    "junction": 0.07,
    "postcode": 0.10,
    "sector": 0.08,
    "district": 0.06,
    "area": 0.06,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
# the chance a name the visitor said was typed the way a stranger says it (when no fumble), by class
STRANGER_P = {
    "venue": 0.05, "hospital": 0.03, "station": 0.07, "street": 0.06, "junction": 0.05, "area": 0.08,
}

NO_APOS_P = 0.4  # apostrophes of a name not typed
AMPERSAND_P = 0.2  # "and" typed "&" (or "&" typed "and")
SHORT_P = 0.4  # the street word at the end of a street's name shortened
DROP_END_P = 0.3  # a sight's generic last word ("Theatre", "Stadium" ...) left off
HOSP_SHORT_P = 0.2  # "Hospital" typed "Hosp" / "hosp"
NEAR_P = 0.3  # where the place is (district, borough, nearest unit or station), added after it
HEDGE_P = 0.08  # the visitor not sure of the name
RELAY_P = 0.34  # who passed it on, before the place
RELAY_AFTER_P = 0.1  # ... or after it
QUOTE_P = 0.3  # the patient's own words in quotes
VISIT_P = 0.14  # why the patient was in town
EVENT_P = 0.18  # what happened, after the place
CASE = {"typed": 0.58, "lower": 0.22, "caps": 0.12, "title": 0.08}
END_P = 0.07  # a mark at the end of the field

# --- how the receptionist writes names ----------------------------------------------------------------------

# the street word at the end of a street name, as the receptionist shortens it
STREET_SHORT = {
    "road": "rd",
    "street": "st",
    "avenue": "av",
    "lane": "la",
    "gardens": "gdn",
    "crescent": "cresc",
    "terrace": "terr",
    "grove": "grv",
    "close": "clo",
    "square": "sqr",
    "drive": "drv",
    "walk": "wlk",
    "court": "crt",
    "parade": "pde",
    "place": "pl",
}
_SHORTS = set(STREET_SHORT.values())

# the generic last words of a sight that visitors leave off ("the Lyceum"); a fumble never falls on them
LEFT_OFF = {"the", "theatre", "hotel", "shopping", "centre"}
ENDINGS = [
    re.compile(r"(?i)\s+shopping centre$"),
    re.compile(r"(?i)\s+theatre$"),
    re.compile(r"(?i)\s+hotel$"),
]

# a sight or venue a visitor goes to, by what it is: its name ends so (otherwise it is no such place)
SIGHT_SORTS = [
    ("show", re.compile(r"(?i)\b(theatre|theater|playhouse|opera house|cinema|picturehouse|hippodrome)$")),
    ("gig", re.compile(r"(?i)\b(albert hall|festival hall|concert hall|apollo|forum|ballroom|arena)$")),
    ("match", re.compile(r"(?i)\b(stadium|football club|cricket ground|rugby club)$")),
    ("sight", re.compile(r"(?i)\b(museum|gallery|palace|abbey|cathedral|monument|castle|zoo|pier)$")),
    ("mall", re.compile(r"(?i)\b(shopping centre|market|arcade|mall)$")),
    ("stay", re.compile(r"(?i)\b(hotel|hostel)$")),
    ("park", re.compile(r"(?i)\b(park|gardens|common|heath|fields|square)$")),
]
NOT_A_SIGHT = re.compile(
    r"(?i)\b(station|stn|stns|stop|bus|tram|police|prison|court|cemetery|crematorium|hosp|hospital|health|"
    r"surgery|clinic|medical|church|mosque|temple|synagogue|chapel|trading|industrial|business|retail|depot|"
    r"garage|office|telephone|town|civic|community|youth|leisure|sports|school|college|academy|university|"
    r"nursery|golf|veterinary|reserve|roundabout|corner|car park|social|assembly|library|estate|works|"
    r"cottages|farm|ikea|lodge|house|road|street|lane|avenue|way)\b|[<>&]"
)

# chains as visitors, their friends and the receptionist call them; forms without the brand's letters are
# nicknames
CHAIN_FORMS = {
    "tesco": ["Tesco", "Tescos", "Tesco Extra", "tesco shop"],
    "sainsburys": ["Sainsbury's", "Sainsburys", "Sainsburys store"],
    "costa": ["Costa", "Costa Coffee", "Costa cafe"],
    "starbucks": ["Starbucks", "Starbucks cafe", "starbucks coffee"],
    "mcdonalds": ["McDonald's", "Mcdonalds", "Maccas", "Mickey D's", "McDonalds restaurant"],
    "kfc": ["KFC", "K.F.C", "Kentucky Fried Chicken"],
    "aldi": ["Aldi", "Aldi supermarket"],
    "lidl": ["Lidl", "Lidl supermarket"],
    "greggs": ["Greggs", "Gregg's", "Greggs the bakers"],
    "subway": ["Subway", "Subway sandwich shop"],
    "pret": ["Pret", "Pret cafe", "Pret's"],
    "nandos": ["Nandos", "Nando's restaurant"],
    "iceland": ["Iceland", "Iceland supermarket"],
    "morrisons": ["Morrisons", "Morrisons store"],
    "asda": ["Asda", "Asda superstore"],
    "waitrose": ["Waitrose", "Waitrose supermarket"],
    "wetherspoon": ["Wetherspoons", "JD Wetherspoons", "Wetherspoon pub"],
    "dominos": ["Dominos", "Dominos takeaway"],
    "boots": ["Boots", "Boots chemist", "Boots the Chemist"],
    "londis": ["Londis", "Londis shop"],
    "budgens": ["Budgens", "Budgens store"],
    "wasabi": ["Wasabi", "Wasabi sushi"],
    "itsu": ["Itsu", "itsu sushi bar"],
    "leon": ["Leon", "Leon restaurant"],
    "wilko": ["Wilko", "Wilkos", "Wilko store"],
}
NICKNAMES = {"Maccas", "Mickey D's", "Kentucky Fried Chicken"}

# --- what the receptionist adds around a place --------------------------------------------------------------

# who passed the location on: (the words before the place, whether it is the patient's own account)
RELAYED_BY = [
    ("pt says: ", True),
    ("according to pt: ", True),
    ("pt told reception ", True),
    ("pt reports - ", True),
    ("pt's account: ", True),
    ("pt (not local) says ", True),
    ("pt thinks: ", True),
    ("pt describes ", True),
    ("friend with pt says ", False),
    ("per mate: ", False),
    ("partner reports ", False),
    ("girlfriend says ", False),
    ("per work colleague ", False),
    ("per hotel night manager ", False),
    ("hotel reception phoned - ", False),
    ("per door staff: ", False),
    ("venue security report ", False),
    ("bouncer told crew ", False),
    ("station staff say ", False),
    ("per TfL staff member ", False),
    ("BTP officer states ", False),
    ("per Met officer: ", False),
    ("police on scene report ", False),
    ("LAS handover - ", False),
    ("per ambulance crew ", False),
    ("crew state: ", False),
    ("per bus driver ", False),
    ("street pastor says ", False),
    ("per steward ", False),
    ("coach driver reports ", False),
]
RELAYED_AFTER = [
    " (per friend)",
    " - per LAS",
    " - info from BTP",
    " (hotel staff)",
    " - door staff account",
    " [pt's account]",
    " - per police",
    " (from crew)",
    " - per steward",
]
# the visitor not sure of the name: {} is the place
HEDGES = [
    "{} ??",
    "{} (?)",
    "believes {}",
    "{} or thereabouts",
    "{} - pt not certain",
    "{} (pt thinks)",
    "{} - name not certain",
    "maybe {}",
]
# why the patient was in town (no place named)
VISIT_NOTES = [
    " - pt not local",
    " (visiting for the weekend)",
    " - day trip",
    " - in town for a concert",
    " - here for the football",
    " - tourist",
    " - commuter",
    " (night shift worker)",
    " - on a stag do",
    " - on a hen do",
    " - new student",
    " - works nearby, lives out of area",
]
# what happened, after the place (no place named)
EVENTS = [
    " - glassed",
    " - headbutted",
    " - punched by stranger",
    " - after a night out",
    " - after the match",
    " - after the show",
    " - phone snatched",
    " - group of lads",
    " - unprovoked",
    " - BTP aware",
    " - crime ref given",
    " - police called",
    " - approx 0200",
    " - approx 2330",
    " - pt intox",
    " - friends had gone home",
    " - robbed of wallet",
    " - kicked while on floor",
    " - row over a taxi",
    " - argument in queue",
    " - pushed over",
    " - CCTV requested",
]

# --- the texts of each class --------------------------------------------------------------------------------

VENUE_FORMS = {
    "pub": [
        "{v}",
        "out the front of {v}",
        "inside {v}",
        "smoking area outside {v}",
        "gents toilets at {v}",
        "{v} - at the bar",
        "leaving {v} at closing",
        "drinks at {v}",
        "{v} pub garden",
    ],
    "bar": [
        "{v}",
        "{v} bar",
        "inside {v}",
        "queue to get into {v}",
        "dance floor at {v}",
        "{v} - door staff outside",
        "{v} (bar)",
    ],
    "eat": ["{v}", "{v} restaurant", "eating at {v}", "out the front of {v} restaurant", "{v} - paying"],
    "takeaway": ["{v}", "queue inside {v}", "{v} takeaway", "late food at {v}", "outside of {v} (food)"],
    "shop": ["{v}", "inside {v} shop", "shop doorway, {v}", "{v} (shop)"],
    "show": [
        "{v}",
        "stage door at {v}",
        "coming out of {v} after the show",
        "foyer of {v}",
        "queue outside of {v}",
        "interval at {v}",
    ],
    "gig": ["{v}", "after a gig at {v}", "leaving {v} after concert", "standing area, {v}", "bar at {v}"],
    "match": [
        "{v}",
        "outside of {v} after the game",
        "turnstiles at {v}",
        "away end at {v}",
        "concourse, {v}",
        "walking away from {v} after match",
    ],
    "sight": [
        "{v}",
        "near {v}",
        "on the steps outside {v}",
        "queue for {v}",
        "taking photos outside of {v}",
        "by the entrance to {v}",
    ],
    "mall": ["{v}", "inside {v}", "{v} - by the entrance", "walking through {v}"],
    "stay": [
        "{v}",
        "staying at {v} - in the lobby",
        "bar of {v}",
        "{v} reception",
        "corridor at {v} (where staying)",
        "front steps of {v}",
    ],
    "park": [
        "{v}",
        "walking through {v}",
        "bench in {v}",
        "{v} at night",
        "near the gates of {v}",
        "sitting on the grass in {v}",
    ],
}
CHAIN_STREET_FORMS = [
    "{c} halfway up {w}", "{c} ({w})", "{c} along {w}", "{c} - {w} branch", "outside {c} on {w}",
]
CHAIN_STATION_FORMS = [
    "{c} opposite {s} station",
    "{c} next to {s} stn",
    "{c} ({s} station)",
    "{c} across from {s} station",
    "{c} inside {s} station",
]
CHAIN_WARD_FORMS = ["{c} in {a} area", "{c} - {a}", "{c}, over in {a}"]
CHAIN_DISTRICT_FORMS = ["{c} {d}", "{c} ({d})", "{c} - postcode {d}"]
CHAIN_ALONE_FORMS = [
    "{c}",
    "{c}",
    "at a {c}",
    "a {c} - pt doesn't know which",
    "out the front of a {c}",
    "{c} toilets",
    "queue at {c}",
    "by {c}",
    "near a {c}",
]
HOSPITAL_FORMS = [
    "{h}",
    "at {h}",
    "front of {h}",
    "{h} taxi rank",
    "visiting at {h} - in the corridor",
    "{h} main entrance",
    "smoking shelter at {h}",
]
# in this emergency department itself: no hospital named (the truth is the reporting site)
THIS_DEPT = [
    "ED reception, here",
    "our majors area",
    "ambulance bay outside ED",
    "by the triage desk here",
    "this ED - by another patient",
    "queue at this A&E reception",
    "in the department toilets",
    "ED corridor",
    "our UTC waiting area",
    "at the ED front door",
    "here, while waiting to be seen",
    "A&E waiting room - another patient",
]
STATION_FORMS = [
    "{s} {m}",
    "{s} {m}",
    "{s}",
    "inside {s} {m}",
    "platform {n} at {s}",
    "{s} {m}, platform {n}",
    "escalators at {s} {m}",
    "ticket hall, {s} {m}",
    "exit of {s} {m}",
    "got off at {s} {m}",
    "changing trains at {s}",
    "waiting for last train at {s}",
    "taxi rank at {s} {m}",
    "toilets at {s} {m}",
]
LINE_FORMS = ["{l} line platform at {s}", "{s} - {l} line", "on the {l} line platform, {s} {m}"]
# station words by network, as visitors say them
STATION_WORDS = {
    "tube": ["tube", "Underground stn", "tube stop"],
    "overground": ["Overground", "overground stn"],
    "dlr": ["DLR", "DLR stop"],
    "tram": ["tram stop", "tram"],
    "lizzy": ["Elizabeth line", "Crossrail"],
    "rail": ["mainline station", "train station", "railway station"],
    "any": ["stn", "station", "station entrance"],
}
STREET_FORMS = [
    "{st}",
    "{st}",
    "along {st}",
    "somewhere along {st}",
    "{st} - outside a shop",
    "{st}, walking to hotel",
    "a side street off {st}",
    "at the bus stop, {st}",
    "outside number {n} {st}",
    "crossing {st}",
    "halfway down {st}",
    "got out of taxi on {st}",
    "cash machine on {st}",
    "doorway on {st}",
    "{st} near the hotel",
    "{st} - pavement",
]
JUNCTION_FORMS = [
    "{a}/{b}",
    "{a} x {b}",
    "{a} junction with {b}",
    "where {a} crosses {b}",
    "corner {a} & {b}",
    "{a} at {b}",
    "crossroads of {a} and {b}",
    "on {a} near the turning for {b}",
]
POSTCODE_FORMS = [
    "{p}",
    "{p}",
    "postcode given {p}",
    "{p} (from hotel booking)",
    "{p} - postcode on pt's phone",
    "taxi drop-off {p}",
    "hotel pc {p}",
    "{p} per booking confirmation",
    "Airbnb postcode {p}",
]
SECTOR_FORMS = [
    "{p} something",
    "{p}?? rest unknown",
    "postcode begins {p}",
    "{p}... pt can't recall rest",
    "hotel postcode {p} - last letters unknown",
]
DISTRICT_FORMS = [
    "{d}",
    "{d} postcode area",
    "in {d} somewhere",
    "{d} - pt only knows postcode start",
    "round {d} way",
]
AREA_FORMS = [
    "{a}",
    "{a}",
    "over in {a}",
    "{a} (pt not sure where exactly)",
    "night out in {a}",
    "{a} - street unknown",
    "walking round {a}",
    "somewhere around {a}",
]
# where a place is, after a venue or street ({d} district, {b} borough, {u} postcode unit, {s} station)
NEAR_FORMS = {
    "d": [", postcode {d}", " - {d}", " ({d} postcode)"],
    "b": [" - {b}", ", {b} borough"],
    "u": [" - {u}", " ({u} per maps)"],
    "s": [" nr {s} stn", " (nearest station {s})", " - near {s} station"],
}

HOME_TEXTS = [
    "pt's own home",
    "at home before travelling in",
    "home address - out of area",
    "own house, partner",
    "at home in Kent",
    "own flat in Brighton",
    "family home, Essex",
    "at home in Surrey - travelled in after",
    "pt's house outside the city",
    "home, assaulted by housemate",
    "own home - DA",
    "his own home, out of area",
    "her own flat (lives out of town)",
    "at home, drove in to this ED",
]
UNKNOWN_TEXTS = [
    "pt not sure - not from the area",
    "not familiar with the area",
    "too drunk to give a location",
    "couldn't name the street",
    "no idea, was following friends",
    "phone dead, can't look up where",
    "friends left, no one to ask",
    "not known - GCS low on arrival",
    "location not given by crew",
    "pt declined to say",
    "can't describe where",
    "no recollection after night out",
    "pt lost at the time",
    "unsure, new to the city",
    "not stated",
    "pt can't say, language barrier",
]
NONPLACE_TEXTS = [
    "on the tube (between stations)",
    "on a train home",
    "on the night bus",
    "upstairs on a bus",
    "in a black cab",
    "in a minicab",
    "in a rickshaw",
    "on a coach",
    "at a gig (venue not known)",
    "at the football (ground not given)",
    "in a hotel room (hotel not named)",
    "in a nightclub, name not known",
    "in a pub, doesn't know which",
    "on a boat party",
    "at work (night shift), workplace not given",
    "out on the town",
    "in a queue for a club",
    "see LAS sheet",
    "refer to police report",
    "see clerking",
    "bottle to head",
    "assault by unknown male",
    "details with BTP",
    "on the street, no name",
    "at a festival",
    "in a taxi queue",
]
# a dwelling other than the patient's own where they were staying or visiting (level home)
STAYING_WITH = [
    "Airbnb where staying",
    "friend's flat where staying",
    "sister's house (staying over)",
    "student halls room",
    "host family's house",
    "sofa at a mate's flat",
    "aunt's flat",
    "cousin's place",
    "girlfriend's flat, visiting for the weekend",
    "shared house where staying",
    "relative's house while visiting",
]

# --- names as the receptionist writes them ------------------------------------------------------------------

_COMPANY = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|t/a)\b\.?\s*$|\s*@.*$")


def _plain(name: str) -> str:
    """A gazetteer name as typed by a person: no bracketed part (when letters are left), company suffix or
    "@" tail; commas as spaces; a name held in capitals in ordinary case; "'S" as "'s"."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = _clean_name(s.replace(",", " "))
    for _ in range(3):
        s = _COMPANY.sub("", s).strip()
    s = s or _clean_name(name)
    if s.isupper():
        s = " ".join(w if w in ("DLR", "NHS", "UCL", "YMCA") else w.capitalize() for w in s.split())
    return re.sub(r"(?<=[A-Za-z])['’]S\b", "'s", s)


def _station_bare(name: str) -> str:
    """A station's name without bracketed part, network or line tag, or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)$", "", s)
    if not re.search(r"(?i)\bpower station$", s):
        s = re.sub(r"(?i)\s+(?:lu|nr|el|ell|lo|dlr|rail station|railway station|station|stn)$", "", s.strip())
    return _plain(" ".join(s.split()))


def _network(source: str, network: str | None, name: str) -> str:
    """Which of STATION_WORDS a visitor may add to a station."""
    known = {
        "London Underground": "tube",
        "London Overground": "overground",
        "DLR": "dlr",
        "Tramlink": "tram",
        "TfL Rail": "lizzy",
    }
    if network in known:
        return known[network]
    low = name.lower().strip()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if re.search(r"\btram", low):
        return "tram"
    if low.endswith(" lu"):
        return "tube"
    return "rail" if source == "naptan_rail" or low.endswith(" nr") else "any"


def _line(lines: str | None, rng: random.Random) -> str | None:
    """One Underground line of a station's ``lines`` (as a visitor names it), or None."""
    names = [x.strip() for x in re.split(r",", lines or "") if x.strip() and x.strip().lower() != "n/a"]
    names = [x for x in names if re.fullmatch(r"[A-Za-z& ]+", x)]
    return rng.choice(names) if names else None


_BLAND = LEFT_OFF | {
    "park", "gardens", "common", "heath", "fields", "square", "museum", "gallery", "palace", "abbey",
    "cathedral", "market", "arcade", "mall", "hall", "st", "saint", "new", "old", "north", "south", "east",
    "west", "upper", "lower", "great", "royal", "central", "city", "london", "national", "grand", "arena",
}


def _canon(name: str) -> str:
    """A name as letters and digits only, lower case ("the" in front left off)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?i)^the\s+", "", name).lower())


def _without_ending(name: str) -> str:
    """A name without the generic last word a visitor may leave off (ENDINGS)."""
    for pat in ENDINGS:
        if pat.search(name):
            return pat.sub("", name)
    return name


def _sight_sort(name: str) -> str | None:
    """What sort of place a visitor goes to a landmark is (SIGHT_SORTS), or None (also when no word of its
    name tells it from others of its sort)."""
    words = re.findall(r"[a-z0-9']+", name.lower())
    if NOT_A_SIGHT.search(name) or not any(w.replace("'", "") not in _BLAND for w in words):
        return None
    return next((sort for sort, pat in SIGHT_SORTS if pat.search(name.strip())), None)


def _food_sort(business: str | None) -> str:
    """How a visitor's texts speak of a food premises, by its business type."""
    b = (business or "").lower()
    if "pub" in b or "bar" in b or "nightclub" in b:
        return "bar"
    if "takeaway" in b:
        return "takeaway"
    if "restaurant" in b or "catering" in b or "caterer" in b:
        return "eat"
    return "shop"


_AREA_NOT = ["and", "with", "without", "within", "ward", "north", "south", "east", "west", "central",
             "upper", "lower", "road", "street", "lane", "station", "hospital", "park", "common", "green",
             "town", "village", "estate", "fields", "gardens", "square", "vale", "heath", "junction",
             "market", "docks", "grove", "place", "end", "hill"]
_AREA_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_AREA_NOT) + r")\b", re.I)
_AREA_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_AREA_NOT) + r")\M"
_STREET_END = (
    r"(road|street|lane|avenue|grove|gardens|crescent|terrace|place|square|close|drive|walk|way|row|hill|"
    r"yard|mews|court|parade)$"
)


def _street_ok(name: str) -> bool:
    """A street name a visitor would say (not a campus entry or a long compound)."""
    return " - " not in name and len(name.split()) <= 4 and not re.search(
        r"(?i)\b(school|campus|academy|college|hospital|estate|university|depot)\b", name
    )


def _area_ok(name: str | None) -> bool:
    """A ward name visitors use for a neighbourhood (and no other kind of place)."""
    return bool(name) and not _AREA_NOT_RE.search(name) and len(name.split()) <= 3


# --- the receptionist's fumbles -----------------------------------------------------------------------------

# a staggered QWERTY keyboard: a key's neighbours are the keys beside it, the two above it (same index and
# the next) and the two below it (the index before and the same)
_KEYROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_LEFT_HAND = set("qwertasdfgzxcvb")


def _beside(c: str) -> list[str]:
    """The keys touching a letter's key on a staggered QWERTY keyboard."""
    low = c.lower()
    for r, row in enumerate(_KEYROWS):
        if low in row:
            i = row.index(low)
            out = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                out += [_KEYROWS[r - 1][j] for j in (i, i + 1) if j < len(_KEYROWS[r - 1])]
            if r < 2:
                out += [_KEYROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(_KEYROWS[r + 1])]
            return [x.upper() if c.isupper() else x for x in out]
    return []


def _fumble(rng: random.Random, word: str) -> str:
    """One fumble of the receptionist's fingers in a word of four letters or more (letters only): a key
    beside the right one pressed with it (a letter put in just before or after the right one), a key
    pressed too lightly (a letter missing), or two letters typed by different hands coming out in the
    wrong order; never the first letter."""
    if len(word) < 4 or not word.isalpha():
        return word
    ops = [("fat", i) for i in range(1, len(word))]
    ops += [("light", i) for i in range(1, len(word))]
    ops += [("roll", i) for i in range(1, len(word) - 1)]
    rng.shuffle(ops)
    for op, i in ops:
        if op == "fat":
            keys = _beside(word[i])
            if not keys:
                continue
            extra = rng.choice(keys)
            extra = extra.upper() if word.isupper() else extra.lower()
            new = word[:i] + extra + word[i:] if rng.random() < 0.5 else word[: i + 1] + extra + word[i + 1 :]
        elif op == "light":
            new = word[:i] + word[i + 1 :]
        else:
            a, b = word[i].lower(), word[i + 1].lower()
            if (a in _LEFT_HAND) == (b in _LEFT_HAND):
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


# a name typed the way a stranger to London says it (one rewrite; never the first letter; two letters at most)
AS_SAID = [
    (re.compile(r"(?i)(?<=[a-z])aux"), "ox"),
    (re.compile(r"(?i)(?<=[a-z]{2})wark$"), "ark"),
    (re.compile(r"(?i)(?<=[a-z]{3})ham$"), "um"),
    (re.compile(r"(?i)(?<=[a-z]{2})ey$"), "ee"),
    (re.compile(r"(?i)(?<=[a-z])c(?=[aou])"), "k"),
    (re.compile(r"(?i)(?<=[aeiou])([lrnt])(?=[aeiouy])"), r"\1\1"),
    (re.compile(r"(?i)(?<=[a-z])ou(?=[ns])"), "ow"),
    (re.compile(r"(?i)(?<=[a-z])ea"), "ee"),
    (re.compile(r"(?i)(?<=[a-z]{2})don$"), "den"),
    (re.compile(r"(?i)(?<=[a-z])ourne$"), "orne"),
    (re.compile(r"(?i)(?<=[a-z])igh"), "i"),
    (re.compile(r"(?i)(?<=[a-z])ie(?=[a-z])"), "ee"),
    (re.compile(r"(?i)(?<=[a-z])ing(?=ton)"), "in"),
    (re.compile(r"(?i)(?<=[a-z])ich$"), "itch"),
]


def _sayable(word: str) -> bool:
    """Whether a rule of AS_SAID changes the word."""
    return len(word) >= 4 and word.isalpha() and any(
        pat.sub(rep, word, count=1).lower() != word.lower() for pat, rep in AS_SAID
    )


def _as_said(rng: random.Random, word: str) -> str:
    """The word as a stranger says it, by one of AS_SAID (the word itself when none applies)."""
    if len(word) < 4 or not word.isalpha():
        return word
    rules = [(pat, rep) for pat, rep in AS_SAID if pat.search(word)]
    rng.shuffle(rules)
    for pat, rep in rules:
        new = pat.sub(rep, word, count=1)
        if new.lower() != word.lower() and new[0] == word[0]:
            if word.isupper():
                new = new.upper()
            return new
    return word


@dataclass
class Written:
    """A name or code in a text: as typed, as meant, and whether letters of it were damaged."""

    shown: str
    meant: str
    hurt: bool = False


def _targets(words: list[str]) -> list[int]:
    """The words a fumble may fall on: four letters or more, not a generic word a visitor leaves off, not
    a short form."""
    return [
        i
        for i, w in enumerate(words)
        if len(w) >= 4 and w.isalpha() and w.lower() not in LEFT_OFF and w.lower() not in _SHORTS
        and w.lower() != "hosp"
    ]


def _written(
    rng: random.Random,
    name: str,
    cls: str,
    street: bool = False,
    sight: bool = False,
    hospital: bool = False,
    slip: bool = True,
) -> Written:
    """A name as the receptionist types it: tidied, apostrophes maybe dropped, "and" / "&" maybe swapped,
    a street's last word maybe shortened (STREET_SHORT), a sight's generic last word maybe left off
    (ENDINGS; "the" then before it), "Hospital" maybe "Hosp"; with ``slip`` (the truth's own name) maybe
    one word fumbled (FUMBLE_P) or typed as a stranger says it (STRANGER_P)."""
    s = _plain(name)
    if rng.random() < NO_APOS_P:
        s = re.sub(r"['’`]", "", s)
    if rng.random() < AMPERSAND_P:
        if re.search(r"\band\b", s, re.I):
            s = re.sub(r"\b[Aa]nd\b", "&", s)
        elif "&" in s:
            s = s.replace("&", " and ")
    s = " ".join(s.replace("&", " & ").split())
    if sight and rng.random() < DROP_END_P:
        for pat in ENDINGS:
            if pat.search(s) and len(pat.sub("", s).split()) >= 1:
                rest = pat.sub("", s)
                if pat.pattern.endswith("shopping centre$") and rng.random() < 0.5:
                    s = rest + " centre"
                else:
                    s = rest if rest.lower().startswith("the ") else "the " + rest
                break
    if hospital and rng.random() < HOSP_SHORT_P:
        s = re.sub(r"(?i)\bhospital\b", rng.choice(["Hosp", "hosp"]), s)
    words = s.split()
    if street and len(words) > 1 and rng.random() < SHORT_P:
        short = STREET_SHORT.get(words[-1].lower())
        if short:
            words[-1] = rng.choice([short, short.capitalize(), short.upper()])
    meant = " ".join(words)
    if slip:
        r = rng.random()
        spots = _targets(words)
        if spots and r < FUMBLE_P[cls]:
            i = rng.choice(spots)
            for _ in range(6):  # a fumble that happens to give the street word's short form is none
                new = _fumble(rng, words[i])
                if new.lower() != STREET_SHORT.get(words[i].lower()):
                    words[i] = new
                    break
        elif spots and r < FUMBLE_P[cls] + STRANGER_P.get(cls, 0.0):
            said = [i for i in spots if _sayable(words[i])]
            if said:
                i = rng.choice(said)
                words[i] = _as_said(rng, words[i])
    shown = " ".join(words)
    return Written(shown, meant, shown != meant)


# a character of a code read off the patient's phone or booking as one that looks like it
LOOKALIKE = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8", "2": "Z",
             "Z": "2", "6": "G", "G": "6"}


def _code_written(rng: random.Random, code: str, cls: str, slip: bool = True) -> Written:
    """A postcode unit / sector / district as the receptionist typed it (mostly capitals; a unit's space
    now and then left out or typed one place late); the primary one maybe wrong: one character of a
    unit's inward code, of a sector's inward digit or of a district's digits read as the character it
    looks like (LOOKALIKE)."""
    s = code.upper() if rng.random() < 0.82 else code.lower()
    parts = s.split()
    if cls == "postcode" and len(parts) == 2:
        r = rng.random()
        if r < 0.14:
            s = parts[0] + parts[1]
        elif r < 0.2:
            s = parts[0] + parts[1][0] + " " + parts[1][1:]
    if not slip or rng.random() >= FUMBLE_P[cls]:
        return Written(s, s)
    flat = [i for i, c in enumerate(s) if c != " "]
    if cls == "postcode":
        spots = [i for i in flat[-3:] if s[i].upper() in LOOKALIKE]
    elif cls == "sector":
        spots = [flat[-1]] if s[flat[-1]] in LOOKALIKE else []
    else:
        spots = [i for i in flat[1:] if s[i].isdigit() and s[i] in LOOKALIKE]
    if not spots:
        return Written(s, s)
    i = rng.choice(spots)
    new = LOOKALIKE[s[i].upper()]
    new = new.lower() if s == s.lower() else new
    return Written(s[:i] + new + s[i + 1 :], s, True)


# --- a text -------------------------------------------------------------------------------------------------


def _parts(form: str, names: dict[str, Written], plain: dict[str, str]) -> list[str | Written]:
    """A template as parts: its {x} slots filled from ``names`` (kept as Written) and ``plain``."""
    out: list[str | Written] = []
    for part in re.split(r"(\{[a-z]+\})", form):
        if not part:
            continue
        slot = part[1:-1] if part.startswith("{") else None
        if slot in names:
            out.append(names[slot])
        elif slot is not None:
            out.append(plain.get(slot, ""))
        else:
            out.append(part)
    return out


_TOLD = re.compile(r"(?i)\b(pt|crew|las|btp|police|friend|staff|mate)\b")
_QUIET_EVENTS = [e for e in EVENTS if not re.search(r"match|show|night out|queue|taxi", e)]
# who may pass on an answer that is no place: the patient, a friend or partner, the crew or the police
_CLOSE_BY = [(w, own) for w, own in RELAYED_BY
             if own or re.search(r"(?i)friend|mate|partner|crew|ambulance|LAS\b|police|officer", w)]


def _field(
    rng: random.Random, parts: list[str | Written], place: bool = True, relay: bool = True
) -> tuple[str, bool]:
    """The location field as the receptionist typed it: maybe a hedge (a place only), who passed it on
    (with ``relay``; the patient's words maybe quoted), why the patient was in town, what happened; in the
    receptionist's case of the moment. Returns the text and ``typo`` (letters of a name or code in it
    damaged)."""
    body = "".join(p.shown if isinstance(p, Written) else p for p in parts)
    typo = any(isinstance(p, Written) and p.hurt for p in parts)
    body = " ".join(body.split())
    if place and rng.random() < HEDGE_P:
        body = rng.choice(HEDGES).format(body)
    r = rng.random()
    if not relay or (not place and _TOLD.search(body)):
        r = 1.0  # the text already says who told it (or it is this department: no one passes it on)
    if r < RELAY_P:
        who, own = rng.choice(RELAYED_BY if place else _CLOSE_BY)
        if own and rng.random() < QUOTE_P:
            q = rng.choice(['"', '"', "'"])
            body = q + body + q
        body = who + body
    elif r < RELAY_P + RELAY_AFTER_P:
        body += rng.choice(RELAYED_AFTER)
    if rng.random() < VISIT_P:
        body += rng.choice(VISIT_NOTES)
    if rng.random() < EVENT_P:
        body += rng.choice(EVENTS if place else _QUIET_EVENTS)
    r, case = rng.random(), "typed"
    for c, p in CASE.items():
        if r < p:
            case = c
            break
        r -= p
    if case == "lower":
        body = body.lower()
    elif case == "caps":
        body = body.upper()
    elif case == "title":
        body = " ".join(w[:1].upper() + w[1:] for w in body.split(" "))
    if rng.random() < END_P:
        body += rng.choice([".", ".", " /"])
    return " ".join(body.split()), typo


@dataclass
class Nearby:
    unit: str | None
    district: str | None
    borough: str | None
    station: str | None


def _nearby(conn, x: float, y: float, srid: int) -> Nearby:
    """The postcode unit nearest (x, y), its district, its borough's name and the station within 400 m."""
    row = conn.execute(
        "SELECT p.display, p.district, (SELECT f.name FROM gazetteer.feature f WHERE f.kind = 'borough' "
        "AND f.source_key = p.borough_code ORDER BY f.feature_id LIMIT 1) FROM gazetteer.postcode p "
        f"ORDER BY p.geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), p.postcode LIMIT 1",
        (x, y),
    ).fetchone()
    stn = conn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), 400) "
        f"ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), feature_id LIMIT 1",
        (x, y, x, y),
    ).fetchone()
    unit, district, borough = row if row else (None, None, None)
    return Nearby(unit, district, borough, _station_bare(stn[0]) if stn else None)


def _near(rng: random.Random, a: Nearby, p: float = NEAR_P, station: bool = True) -> str:
    """Where a place is, said after it with chance ``p`` (the nearest station or the district mostly, now
    and then the borough or the nearest unit), or nothing."""
    if rng.random() >= p:
        return ""
    have = {"d": a.district, "b": a.borough, "u": a.unit, "s": a.station if station else None}
    choice = rng.choices(["s", "d", "b", "u"], weights=(0.4, 0.35, 0.12, 0.13))[0]
    if not have[choice]:
        choice = "d"
    if not have[choice]:
        return ""
    return rng.choice(NEAR_FORMS[choice]).replace("{" + choice + "}", have[choice])


def _distinct(name: str, where: str) -> str:
    """``where`` when it shares no word with the place's name (so a name is never said twice), else ""."""
    def words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower().replace("'", "")) if len(w) >= 3}

    return "" if words(name) & words(where) else where


def _minor(kind: str, row: tuple) -> bool:
    """A venue row of a sort this channel sees less of: a landmark that is a park, a food premises that is
    a shop."""
    if kind == "landmark":
        return _sight_sort(_plain(row[1])) == "park"
    return _food_sort(row[5]) == "shop"


# --- the family ---------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``visitor`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.25, none_placed=0.05, nearest=0.85, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700
    # names a landmark must not share (it would name a station, a neighbourhood or a street as well)
    taken = {
        _canon(_station_bare(r[0]))
        for r in conn.execute("SELECT name FROM gazetteer.feature WHERE kind IN ('station', 'area') "
                              "OR level = 'street'")
    }

    def add(cls, level, parts, x=None, y=None, fid=None, site="near", place=True, relay=True):
        text, typo = _field(rng, parts, place=place, relay=relay)
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name no other venue has: sights and places visitors go to, pubs, bars and food premises.
    quota = {
        "landmark": round(k["venue"] * 0.3),
        "pub": round(k["venue"] * 0.3),
        "park": round(k["venue"] * 0.1),
    }
    rows: list[tuple] = []
    for kind in ("landmark", "park", "pub", "venue"):
        want = quota.get(kind, k["venue"] - len(rows))
        if want <= 0:
            continue
        many = want * (12 if kind in ("landmark", "park") else 3 if kind == "venue" else 1)
        got = truths.unique_venues(conn, salted, kind, many, CHAINS, max_name=34)
        if kind in ("landmark", "park"):
            got = [
                r for r in got
                if (_sight_sort(_plain(r[1])) or kind == "park")
                and not NOT_A_SIGHT.search(_plain(r[1]))
                and _canon(_plain(r[1])) not in taken
            ]
        if kind in ("landmark", "venue"):  # few landmarks that are parks, few food premises that are shops
            cap = round(want * (0.3 if kind == "landmark" else 0.12))
            minor = [r for r in got if _minor(kind, r)]
            main = [r for r in got if not _minor(kind, r)][: want - min(cap, len(minor))]
            picked = {r[0] for r in main + minor[: want - len(main)]}
            got = [r for r in got if r[0] in picked]  # in the salted order
        rows += got[:want]
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        if kind in ("landmark", "park"):
            sort = _sight_sort(_plain(name)) or "park"
        else:
            sort = "pub" if kind == "pub" else _food_sort(business)
        rest = _canon(_without_ending(_plain(name)))
        v = _written(rng, name, "venue", sight=sort in ("show", "mall", "stay") and rest not in taken)
        parts = _parts(rng.choice(VENUE_FORMS[sort]), {"v": v}, {})
        parts.append(_distinct(name, _near(rng, _nearby(conn, x, y, srid))))
        add("venue", "venue", parts, x, y, fid)

    # Chains: a branch of a brand with four or more branches; some texts say where it is (visitors most
    # often by the station it is near).
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        form = rng.choice(CHAIN_FORMS.get(brand, [brand.title()]))
        words = form.split()
        shown = list(words)
        if rng.random() < FUMBLE_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                shown[i] = _fumble(rng, shown[i])
        c = Written(" ".join(shown), form, shown != words)
        r = rng.random()
        if r < 0.24 and stn:
            s = Written(_station_bare(stn), _station_bare(stn))
            add("chain", "venue", _parts(rng.choice(CHAIN_STATION_FORMS), {"c": c, "s": s}, {}), x, y, fid)
        elif r < 0.44 and street and not re.search(r"[0-9,()/]", street):
            w = _written(rng, street, "chain", street=True, slip=False)
            add("chain", "venue", _parts(rng.choice(CHAIN_STREET_FORMS), {"c": c, "w": w}, {}), x, y, fid)
        elif r < 0.52 and _area_ok(ward):
            a = _written(rng, ward, "chain", slip=False)
            add("chain", "venue", _parts(rng.choice(CHAIN_WARD_FORMS), {"c": c, "a": a}, {}), x, y, fid)
        elif r < 0.58 and district:
            d = _code_written(rng, district, "district", slip=False)
            add("chain", "venue", _parts(rng.choice(CHAIN_DISTRICT_FORMS), {"c": c, "d": d}, {}), x, y, fid)
        else:
            add("chain, no locality", "venue", _parts(rng.choice(CHAIN_ALONE_FORMS), {"c": c}, {}), x, y, fid)

    # Hospitals: about a fifth are texts of this department itself, naming no hospital (the reporting site).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 5)):
        add("hospital", "venue", [rng.choice(THIS_DEPT)], x, y, fid, site=code, place=False, relay=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        h = _written(rng, name, "hospital", hospital=True)
        add("hospital", "venue", _parts(rng.choice(HOSPITAL_FORMS), {"h": h}, {}), x, y, fid)

    # Stations near an A&E site: with the word a visitor adds (or none), a platform, now and then the line.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        s = _written(rng, _station_bare(name), "station")
        m = rng.choice(STATION_WORDS[_network(source, net, name)] + STATION_WORDS["any"])
        line = _line(lines, rng)
        form = rng.choice(LINE_FORMS) if line and rng.random() < 0.22 else rng.choice(STATION_FORMS)
        platform = str(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 11]))
        parts = _parts(form, {"s": s}, {"m": m, "n": platform, "l": line or ""})
        if rng.random() < 0.35:
            parts.append(_distinct(name, _near(rng, _nearby(conn, x, y, srid), station=False)))
        add("station", "venue", parts, x, y, fid)

    # Streets: a point of the street, now and then with a house number or where the street is.
    streets = truths.street_points(conn, salted, _STREET_END, k["street"] + k["street"] // 3 + 5)
    streets = [r for r in streets if _street_ok(r[1])][: k["street"]]
    for fid, name, _district, _namesakes, ward, x, y in streets:
        st = _written(rng, name, "street", street=True)
        parts = _parts(rng.choice(STREET_FORMS), {"st": st}, {"n": str(rng.randint(1, 220))})
        r = rng.random()
        if r < 0.1 and _area_ok(ward):
            where = rng.choice([" in ", " - ", " ("]) + _written(rng, ward, "area", slip=False).shown
            where += ")" if where.startswith(" (") else ""
            parts.append(_distinct(name, where))
        elif r < 0.36:
            parts.append(_distinct(name, _near(rng, _nearby(conn, x, y, srid), 1.0)))
        add("street", "street", parts, x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_written(rng, part.strip(), "junction", street=True) for part in name.split("/"))
        add("junction", "junction", _parts(rng.choice(JUNCTION_FORMS), {"a": a, "b": b}, {}), x, y)

    def same_point(col: str, code: Written, x: float, y: float) -> Written:
        """A misread code that is another real code of the truth's own point is no misreading."""
        hit = code.hurt and conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM gazetteer.postcode WHERE replace(upper({col}), ' ', '') = %s "
            "AND ST_X(geom) = %s AND ST_Y(geom) = %s)",
            (code.shown.upper().replace(" ", ""), x, y),
        ).fetchone()[0]
        return Written(code.meant, code.meant) if hit else code

    # Postcodes, sectors and districts (off a booking, a phone, a taxi app): a random unit of each.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        p = same_point("display", _code_written(rng, display, "postcode"), x, y)
        add("postcode", "postcode", _parts(rng.choice(POSTCODE_FORMS), {"p": p}, {}), x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        p = same_point("sector", _code_written(rng, sector, "sector"), x, y)
        add("sector", "sector", _parts(rng.choice(SECTOR_FORMS), {"p": p}, {}), x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        d = same_point("district", _code_written(rng, district, "district"), x, y)
        add("district", "district", _parts(rng.choice(DISTRICT_FORMS), {"d": d}, {}), x, y)

    # Neighbourhoods: wards with a name visitors use for a place (most of them the name of a station they
    # came through); a random point inside the ward.
    drawn = truths.ward_points(conn, salted, _AREA_NOT_PG, SEED % 7907, k["area"] * 6)
    stations = {_canon(_station_bare(r[0])) for r in conn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station'")}
    known = [w for w in drawn if _canon(w[1]) in stations][: round(k["area"] * 0.6)]
    chosen = known + [w for w in drawn if w not in known][: k["area"] - len(known)]
    for fid, name, x, y in [w for w in drawn if w in chosen]:
        a = _written(rng, name, "area")
        add("area", "area", _parts(rng.choice(AREA_FORMS), {"a": a}, {}), x, y, fid)

    # No place: home, unknown, non-places (one in five a dwelling where the patient was staying).
    for _ in range(k["home"]):
        add("home", "home", [rng.choice(HOME_TEXTS)], place=False)
    for _ in range(k["unknown"]):
        add("unknown", "none", [rng.choice(UNKNOWN_TEXTS)], place=False)
    for i in range(k["nonplace"]):
        if i % 5 == 1:
            add("nonplace", "home", [rng.choice(STAYING_WITH)], place=False)
        else:
            add("nonplace", "none", [rng.choice(NONPLACE_TEXTS)], place=False)
    rng.shuffle(out)
    return out
