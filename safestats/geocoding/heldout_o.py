"""A fifteenth held-out family of labelled assault locations, ``paeds``: the location field of assault
records from a CHILDREN'S emergency department in London. The injured child or young person (about 8 to
17), or the parent, carer, foster carer, teacher, youth worker, social worker or police officer who brought
them, says where it happened, and a paediatric triage nurse or play specialist types it in, often quoting
the young person's or the carer's own words: who said it ("YP says", "per mum" ...), the child's words in
quotes, the clinical "?" of a query, young people's own names for places (the rec, the cage in a park, the
swings, "on the" estate, the stairwell of the flats, the chicken shop, chain nicknames, a neighbourhood
"side" or "ends"), carers giving a postcode or only its first half, safeguarding caution (won't say,
withheld, see the CP notes), and answers that are no place at all (at school, PE, on a bus, mechanisms of
injury, forms to see).

Written 2026-12-07 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 19:36:19 UTC and finished 20:47:01 UTC (``date -u``). What was read to write it: the whole of
``heldout_n.py`` (as the model for STRUCTURE only: how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen through ``sites.py``, the class shares, the ``typo`` semantics, the dataclass
returned, ``generate(conn, n)`` and the docstring's record; none of its phrase lists, brand forms,
abbreviations, non-place labels or noise rules were taken over); the whole of ``truths.py`` and ``sites.py``;
from ``independent.py`` the definitions of ``IndependentExample``, ``CHAINS`` and ``_clean_name``, printed by
line range after a ``grep -n`` for top-level names -- that grep also showed, unasked, the one-line heads of
its ``FAMILIES`` / ``SEEDS`` lines, of its home, unknown and non-place lists (a handful of their first
phrases), of two hospital-room template lists, a station-word list and a road-abbreviation table, and the
names of its noise functions; the printed range after ``CHAINS`` showed one comment line; none of these
were used or taken over); the ``FAMILY`` / ``SEED`` lines (grep only) of heldout.py and heldout_b.py ..
heldout_n.py, to pick an unused name and seed; tests/geocoding/test_heldout_merged.py,
tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py (the model for this family's test file);
the pytest-marker and ruff lines of pyproject.toml (with the few lines around them); from the development
gazetteer, read-only: counts of gazetteer.feature by kind and level, the columns of health.ae_site and
gazetteer.postcode, eight A&E-site rows, the sources of landmark features, counts of landmark names by
their ending words and a few dozen random landmark names, random venue, pub, park, hospital, station,
street, ward, borough and bus-stop names, the station sources and networks, and the postcode areas
present; and this module's own output (``generate(conn, 900)`` on the development gazetteer, a few hundred
texts looked at beside their truths' names). This family's test file imports heldout_n's lists and
independent.py's home / unknown / non-place lists and seeds only to check that none of them was taken over;
when those checks first failed they named eight of this module's own no-place phrases, six one-line
templates and two chain forms that happened to coincide with another family's, and all of them were
rewritten. Not read: anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py,
blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, batch.py, the rest of
independent.py, heldout.py and heldout_b.py .. heldout_m.py beyond their FAMILY / SEED lines,
tests/geocoding/test_geocoder*, the other test_heldout_*.py files, /work/scratch, the git history. Every
phrase, template, brand form, nickname, abbreviation and noise rule below was written fresh for this module
(common street-word short forms such as "rd" inevitably coincide with ones other families may use). The
geocoder was never run on these texts (no call of safestats.geocode or geocode_candidates or of any
geocode* SQL function, no ``make eval-geocoder``, no evaluation module); the only things run were this
module's ``generate``, its own test file tests/geocoding/test_heldout_paeds.py (also with this module
deliberately broken for a moment, to see each kind of test fail, and its database tests' functions called
on the development gazetteer, read-only, with this and a dozen other seeds) and ``ruff check``.

Style. One child's location field: the place as said (a landmark young people go to -- an estate, a
library, a leisure centre or pool, a recreation ground or playing field, an academy or college, a park, a
shopping centre -- or a park, pub or food premises; a chain by its name or a nickname; a hospital; a
station with the word a child or carer adds, ``NETWORK_SAYS``, or none; a street, often with what is on
it; two streets of a junction; a postcode, a postcode's first half, a district; a neighbourhood), inside
a template of how children and carers say it (``VENUE_SAYS`` by kind of place, ``STATION_SAYS``,
``STREET_SAYS`` ...), now and then with where it is after it (``LOC_SAYS``: the district, the borough or
the nearest postcode unit; a street's own ward or district; a chain's street, station, ward or district).
Names as people write them: capitals of the gazetteer in ordinary case, bracketed parts and company
suffixes gone, apostrophes now and then left out, "and" / "&" swapped, a street's last word in the nurse's
short form (``NURSE_ABBR``), a landmark's generic ending shortened or left off (``SHORT_FORMS``: the rec,
the X est, "the X" for an estate). Then the record: maybe the clinical query or a hedge (``QUERIES``), who
said it before the place (``WHO_BEFORE``; the child's own words then often in quotes) or after it
(``WHO_AFTER``), what happened after (``AFTERS``; never a place), the nurse's case of the moment (as typed,
all lower, sentence case, caps) and a full stop now and then. The no-place texts: the child's home or
placement (level home), a dwelling other than the child's own (level home, one in five non-places),
unknown (safeguarding caution, the child or carer does not know or will not say; level none), and
non-places (school or a class without a name, a club, a bus, "the park" unnamed, mechanisms of injury,
notes to see; level none). No text names a second place other than the truth's own locality.

Labels. Classes and levels as in the other held-out families: venues with a unique name (landmarks young
people go to, parks, pubs, food premises; level venue), chain branches with a locality ("chain") and
without ("chain, no locality"), hospitals (about a fifth "in this department" texts naming no hospital,
whose truth is the reporting site itself), stations, street points, junctions (a bus stop named after two
streets), postcode units, sectors, districts, wards (level area), home, unknown and non-places. Truths and
reporting sites are drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by an md5
salted with this family's FAMILY and SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (either street
of a junction), of a chain's name or nickname, or of the primary postcode / sector / district were
damaged: (a) a slip of the nurse's fingers in one word of four letters or more (``SLIP_P`` by class: a
letter hit as a neighbouring QWERTY key, a letter left out, two neighbours swapped, a letter hit twice; the
first letter kept; never a generic landmark word of ``DROPPABLE``); (b) an unfamiliar name spelt as it
sounded (``EAR_P`` by class, one rewrite of ``BY_EAR``, two letters at most, the first kept); (c) a
postcode given aloud and misheard (one letter of a unit's inward code heard as another, ``MISHEARD``) or a
digit of a sector's inward code or a district hit as the key beside it. Not typos: case, apostrophes, "&"
for "and", the nurse's short forms, a landmark's generic ending shortened or left off, a chain's
nickname, a postcode's space left out or its case, quotes, hedges, who said it, what happened, a full
stop. A locality said after a place never slips.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "paeds"
SEED = 6_158_402

SHARES = {
    "venue": 0.16,
    "chain": 0.10,
    "hospital": 0.05,
    "station": 0.10,
    "street": 0.12,
    "junction": 0.05,
    "postcode": 0.04,
    "sector": 0.02,
    "district": 0.03,
    "area": 0.08,
    "home": 0.07,
    "unknown": 0.08,
    "nonplace": 0.10,
}

# the chance the nurse's fingers slipped in one word of the place's own name (or the primary code was
# heard or keyed wrongly), by class
SLIP_P = {
    "venue": 0.08,
    "chain": 0.05,
    "hospital": 0.06,
    "station": 0.07,
    "street": 0.09,
    "junction": 0.07,
    "postcode": 0.12,
    "sector": 0.08,
    "district": 0.06,
    "area": 0.07,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
# the chance an unfamiliar name was written down the way it sounded (when no slip), by class
EAR_P = {"venue": 0.04, "hospital": 0.02, "station": 0.05, "street": 0.05, "junction": 0.04, "area": 0.07}

APOS_P = 0.35  # apostrophes of a name left out
AMP_P = 0.25  # "and" written "&" (or "&" written "and")
ABBR_P = 0.45  # the street word at the end of a street's name shortened
THE_P = 0.6  # "the" put before an estate's name
LOC_P = 0.28  # where the place is, added after a venue, station or street
QUERY_P = 0.07  # the clinical "?" (query) or another hedge on a place
WHO_P = 0.3  # who said it, before the place
WHO_AFTER_P = 0.1  # ... or after it
QUOTE_P = 0.45  # a child's own words in quotes
AFTER_P = 0.2  # what happened, after the place
STOP_P = 0.08  # a full stop at the end
CASE = {"typed": 0.6, "lower": 0.3, "sentence": 0.07, "caps": 0.03}

# --- how the nurse writes names ----------------------------------------------------------------------------

# the street word at the end of a street name, as a paediatric nurse shortens it
NURSE_ABBR = {
    "road": "rd",
    "street": "st",
    "avenue": "ave",
    "lane": "ln",
    "gardens": "gdns",
    "crescent": "cres",
    "terrace": "ter",
    "grove": "gr",
    "close": "cl",
    "place": "pl",
    "square": "sq",
    "drive": "dr",
    "court": "ct",
    "park": "pk",
}

_SHORT_WORDS = set(NURSE_ABBR.values())

# words of a landmark's name that young people and carers leave off or shorten ("the rec", "the X est");
# a slip never falls on one of these
DROPPABLE = {"the", "estate", "recreation", "ground", "leisure", "centre", "playing", "fields", "library"}
SHORT_FORMS = [
    (re.compile(r"(?i)\s+estate$"), [" Estate", " estate", " est", ""]),
    (re.compile(r"(?i)\s+recreation ground$"), [" Recreation Ground", " rec", " Rec", " recreation ground"]),
    (re.compile(r"(?i)\s+leisure centre$"), [" Leisure Centre", " leisure centre", " Leisure", " leisure"]),
    (re.compile(r"(?i)\s+playing fields$"), [" Playing Fields", " playing fields", " fields"]),
    (re.compile(r"(?i)\s+library$"), [" Library", " library"]),
]

# a landmark young people go to, by what it is: its name ends so (otherwise it is no such place)
YOUTH_PLACES = [
    ("estate", re.compile(r"(?i)\bestate$")),
    ("library", re.compile(r"(?i)\blibrary$")),
    ("pool", re.compile(r"(?i)\b(leisure centre|sports centre|swimming pool|pool|baths|lido)$")),
    ("field", re.compile(r"(?i)\b(recreation ground|playing fields?|fields)$")),
    ("school", re.compile(r"(?i)\b(academy|college)$")),
    ("park", re.compile(r"(?i)\b(park|common|gardens|green|heath|woods?)$")),
    ("shops", re.compile(r"(?i)\b(shopping centre|shopping precinct|market|cinema)$")),
]
NOT_YOUTH = re.compile(
    r"(?i)\b(station|stn|stop|bus|tram|police|prison|court|cemetery|crematorium|hosp|hospital|health|surgery|"
    r"clinic|church|mosque|temple|synagogue|chapel|trading|industrial|business|retail|forecourt|depot|"
    r"garage|hotel|office|tower|house|lodge|villa|works|military|roundabout|corner|"
    r"car park|town hall|ikea|innova)\b|[<>&]"
)

# chains as children, carers and nurses call them; the forms without the brand's letters are nicknames
CHAIN_SAYS = {
    "tesco": ["Tesco", "Tesco", "Tesco Express", "Tesco Metro", "big Tesco"],
    "sainsburys": ["Sainsbury's", "Sainsburys", "Sainsbury's Local", "Sainsburys local"],
    "costa": ["Costa", "Costa's"],
    "starbucks": ["Starbucks", "Starbucks", "Starbs"],
    "mcdonalds": ["McDonald's", "McDonalds", "Maccies", "Maccy D's", "McD's", "maccies"],
    "kfc": ["KFC", "KFC", "kfc", "Kentucky"],
    "aldi": ["Aldi", "Aldi's"],
    "lidl": ["Lidl", "Lidl's"],
    "greggs": ["Greggs", "Greggs", "Greggs bakery"],
    "subway": ["Subway", "Subway shop"],
    "pret": ["Pret", "Pret a Manger"],
    "nandos": ["Nando's", "Nandos", "Cheeky Nando's"],
    "iceland": ["Iceland", "Iceland shop"],
    "morrisons": ["Morrisons", "Morrison's"],
    "asda": ["Asda", "ASDA", "big Asda"],
    "waitrose": ["Waitrose", "Waitrose"],
    "wetherspoon": ["Wetherspoon", "Spoons", "Spoons pub"],
    "dominos": ["Domino's", "Dominos pizza"],
    "boots": ["Boots", "Boots pharmacy"],
    "londis": ["Londis", "Londis newsagent"],
    "budgens": ["Budgens"],
    "wasabi": ["Wasabi"],
    "itsu": ["Itsu"],
    "leon": ["Leon", "LEON"],
    "wilko": ["Wilko", "Wilkinsons"],
}
NICKNAMES = {
    "Starbs", "Maccies", "Maccy D's", "McD's", "maccies", "Kentucky", "Spoons", "Spoons pub", "Wilkinsons",
}

# --- what the nurse adds around a place --------------------------------------------------------------------

# who said where it was: (the words before the place, whether it is the child's own account)
WHO_BEFORE = [
    ("YP says ", True),
    ("YP states ", True),
    ("CYP reports ", True),
    ("YP: ", True),
    ("{age}yo says ", True),
    ("child says ", True),
    ("in YP's words ", True),
    ("YP told play specialist ", True),
    ("pt ({age}) says ", True),
    ("per mum ", False),
    ("mum says ", False),
    ("mum reports ", False),
    ("per dad - ", False),
    ("dad thinks ", False),
    ("nan says ", False),
    ("per foster carer: ", False),
    ("FC says ", False),
    ("per SW: ", False),
    ("social worker reports ", False),
    ("teacher says ", False),
    ("per school staff: ", False),
    ("youth worker says ", False),
    ("per YW ", False),
    ("per keyworker ", False),
    ("step-dad says ", False),
    ("per YOT worker ", False),
    ("older brother says ", False),
    ("aunt (carer) says ", False),
    ("accompanying PC says ", False),
]
WHO_AFTER = [
    " (per mum)",
    " - per YP",
    " (YP's words)",
    " - per carer",
    " - as told to play specialist",
    " (dad)",
    " - per SW",
    " (info from school)",
]
# the clinical "?" and other hedges: {} is the place
QUERIES = ["?{}", "? {}", "{} ?", "poss {}", "{} (not sure)", "thinks {}", "{} - unsure", "?? {}"]
# what happened, after the place (no place named)
AFTERS = [
    " - hit by older boys",
    " - punched by another YP",
    " - after school",
    " - on way back from school",
    " - approx 1530",
    " - police aware",
    " - SG referral made",
    " - mum informed",
    " - unwitnessed",
    " - group of YPs",
    " - phone taken",
    " - known to YP",
    " - CCTV? police to check",
    " - SW aware",
    " - peer on peer",
    " - at lunchtime",
    " - mugged for bike",
    " (kicked)",
    ", 3 older boys",
    " - pushed off bike",
    " - MASH referral",
    " - approx 1900",
    ", by a girl from her class",
    " - jumped",
]

# --- the texts of each class --------------------------------------------------------------------------------

VENUE_SAYS = {
    "estate": [
        "on {v}",
        "on {v}",
        "{v}",
        "stairwell on {v}",
        "in the lifts, {v}",
        "bin sheds on {v}",
        "{v} - outside the block",
        "walkway on {v}",
        "by the garages on {v}",
    ],
    "library": ["{v}", "outside {v}", "in {v}", "steps of {v}", "{v} - computers upstairs"],
    "pool": ["{v}", "changing rooms at {v}", "swimming at {v}", "outside {v}", "{v} - by the lockers"],
    "field": ["{v}", "on {v}", "the cage at {v}", "football pitch at {v}", "{v} - by the goals"],
    "school": [
        "{v}",
        "outside {v}",
        "{v} gates",
        "{v} (YP's school)",
        "by the gates of {v}",
        "leaving {v}",
        "in the playground at {v}",
    ],
    "park": [
        "{v}",
        "in {v}",
        "the swings in {v}",
        "the cage in {v}",
        "skate park in {v}",
        "{v} playground",
        "by the pond in {v}",
        "basketball court, {v}",
        "cutting through {v}",
    ],
    "shops": ["{v}", "in {v}", "outside {v}", "{v} - by the escalators"],
    "pub": ["outside {v}", "{v} pub", "beer garden at {v}", "outside {v} (pub)"],
    "food": ["{v}", "outside {v}", "in {v}", "queue in {v}", "just outside {v}", "{v} - front of shop"],
}
CHAIN_STREET_SAYS = ["{c} on {w}", "{c} - {w}", "the {c} on {w}", "{c} by {w}", "{c}, {w}"]
CHAIN_STATION_SAYS = ["{c} by {s} station", "{c} near {s} stn", "the {c} outside {s} station"]
CHAIN_WARD_SAYS = ["{c} in {a}", "{c} up {a}", "the {a} {c}", "{c} down {a}"]
CHAIN_DISTRICT_SAYS = ["{c} round {d}", "{c}, {d}", "{c} in {d}"]
CHAIN_ALONE_SAYS = [
    "{c}",
    "{c}",
    "outside {c}",
    "in {c}",
    "the {c}",
    "behind {c}",
    "{c} - with friends",
    "queue in {c}",
    "at {c} after school",
]
HOSPITAL_SAYS = [
    "{h}",
    "just outside {h}",
    "in the car park at {h}",
    "at {h} (visiting relative)",
    "{h} main doors",
    "on the grounds of {h}",
    "bus stop outside {h}",
]
# in this paediatric department itself: no hospital named (the truth is the reporting site)
IN_DEPT = [
    "here - paeds ED waiting room",
    "in our waiting room",
    "CED waiting area",
    "in dept, by another pt",
    "paeds A&E play area",
    "in this dept",
    "kids' A&E waiting room",
    "paeds majors cubicle",
    "children's ED triage",
    "on arrival here",
    "PED waiting room - another child",
    "in the department (children's ED)",
]
STATION_SAYS = [
    "{s} {m}",
    "{s} {m}",
    "at {s} {m}",
    "just outside {s} {m}",
    "on the platform at {s}",
    "{s} {m} - ticket barriers",
    "by the barriers at {s} {m}",
    "{s} ({m})",
    "{s}",
    "on the stairs at {s} {m}",
    "in the lift at {s} {m}",
    "bus stop outside {s} {m}",
]
# station words by network, as children and carers say them
NETWORK_SAYS = {
    "tube": ["tube", "tube station", "underground"],
    "overground": ["overground", "overground station"],
    "dlr": ["DLR", "DLR station"],
    "tram": ["tram stop", "tram stop"],
    "lizzy": ["Elizabeth line", "station"],
    "rail": ["train station", "station", "rail station"],
    "any": ["station", "stn"],
}
STREET_SAYS = [
    "{st}",
    "{st}",
    "on {st}",
    "walking down {st}",
    "{st} - by the chicken shop",
    "bus stop on {st}",
    "outside no. {n} {st}",
    "alleyway off {st}",
    "{st} by the garages",
    "stairwell of the flats on {st}",
    "cut-through off {st}",
    "{st} near the shops",
    "top of {st}",
    "end of {st}",
    "zebra crossing on {st}",
    "outside the corner shop on {st}",
    "pavement on {st}",
]
JUNCTION_SAYS = [
    "corner of {a} and {b}",
    "{a} / {b}",
    "{a} by {b}",
    "where {a} meets {b}",
    "crossing at {a} & {b}",
    "bus stop {a}/{b}",
    "{a} at the junction with {b}",
    "junction {a}/{b}",
    "traffic lights, {a} and {b}",
]
POSTCODE_SAYS = [
    "{p}",
    "{p}",
    "postcode where it happened: {p}",
    "nr {p}",
    "{p} - street name not known",
    "around {p}",
    "pc {p}",
    "mum looked it up - {p}",
]
SECTOR_SAYS = ["{p}..", "{p}??", "{p} (rest not known)", "{p}-- mum unsure", "postcode starts {p}"]
DISTRICT_SAYS = [
    "{d}",
    "somewhere in {d}",
    "{d} area",
    "round {d}",
    "{d} (YP's words)",
    "in {d} - exact place not known",
]
AREA_SAYS = [
    "{a}",
    "in {a}",
    "down {a}",
    "round {a}",
    "the {a} area",
    "somewhere in {a}",
    "{a} side",
    "up {a}",
    "{a} ends",
    "out in {a}",
    "{a} - nowhere specific",
]
# where a place is, after a venue, station or street ({d} district, {b} borough, {u} postcode unit)
LOC_SAYS = {
    "d": [", {d}", " {d}", " ({d})", " in {d}"],
    "b": [", {b}", " ({b})", " in {b}"],
    "u": [", {u}", " - pc {u}", " ({u})"],
}

HOME_SAYS = [
    "family home",
    "in the family home",
    "at home - sibling",
    "home - mum's partner",
    "own bedroom",
    "in her bedroom",
    "in his bedroom",
    "YP's house",
    "the family flat",
    "at home (DV)",
    "foster placement",
    "at her foster home",
    "children's home (resi placement)",
    "at his residential placement",
    "kitchen at home",
    "home, per mum",
    "at home, with brother",
]
UNKNOWN_SAYS = [
    "YP won't say",
    "YP not disclosing where",
    "YP declined to give location",
    "mum doesn't know where",
    "carer not aware of location",
    "not known to accompanying adult",
    "YP can't remember",
    "unclear from hx",
    "YP says 'dunno'",
    "not asked - YP too distressed",
    "location ?",
    "withheld - safeguarding",
    "not established",
    "tbc with SW",
    "no location given",
    "YP non-verbal, carer unsure",
    "mum to call back with location",
    "could not obtain",
    "YP vague",
    "police BIB - loc not known",
    "YP: \"don't know\"",
]
NONPLACE_SAYS = [
    "in school (school not named)",
    "in the playground at school",
    "school corridor",
    "PE lesson",
    "in class",
    "on a school trip",
    "after-school club",
    "football training",
    "at a football match",
    "boxing club sparring",
    "on a bus (route not known)",
    "out on the street somewhere",
    "outside, YP not specific",
    "at the park",
    "at the shops",
    "at a birthday party",
    "abroad over half term",
    "in the car",
    "in an Uber",
    "youth club",
    "on the way home from school",
    "online - not a physical assault",
    "see CP proforma",
    "see safeguarding notes",
    "refer to body map",
    "NAI query - see notes",
    "play fighting - not assault",
    "accidental - not assault per mum",
    "bitten by sibling",
    "punched once to face",
    "as per triage",
    "see ambulance sheet",
    "during a fight",
]
# a dwelling other than the child's own (level home)
OTHER_DWELLINGS = [
    "at a friend's sleepover",
    "at nan's",
    "at grandma's flat",
    "cousin's house",
    "at a house party (not YP's house)",
    "at a mate's flat",
    "babysitter's house",
    "uncle's house",
    "neighbour's flat",
    "at boyfriend's",
    "at girlfriend's house",
    "childminder's",
]

# --- names as the nurse writes them -------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|t/a)\b\.?\s*$|\s*@.*$")


def _tidy(name: str) -> str:
    """A gazetteer name as a person writes it: no bracketed part (when letters are left), company suffix or
    "@" tail, commas as spaces; a name held in capitals in ordinary case; "'S" as "'s"."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = _clean_name(s.replace(",", " "))
    for _ in range(3):
        s = _SUFFIX.sub("", s).strip()
    s = s or _clean_name(name)
    if s.isupper():
        s = " ".join(w if len(w) <= 3 and w in ("DLR", "UTC", "NHS") else w.capitalize() for w in s.split())
    return re.sub(r"(?<=[A-Za-z])['’]S\b", "'s", s)


def _station_name(name: str) -> str:
    """A station's name without bracketed part, network or line tag, or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)$", "", s)
    if not re.search(r"(?i)\bpower station$", s):
        s = re.sub(r"(?i)\s+(?:lu|nr|el|ell|lo|dlr|rail station|railway station|station|stn)$", "", s.strip())
    return _tidy(" ".join(s.split()))


def _network(source: str, network: str | None, name: str) -> str:
    """Which of NETWORK_SAYS a child or carer may add to a station."""
    nets = {
        "London Underground": "tube",
        "London Overground": "overground",
        "DLR": "dlr",
        "Tramlink": "tram",
        "TfL Rail": "lizzy",
    }
    if network in nets:
        return nets[network]
    low = name.lower().strip()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if re.search(r"\btram", low):
        return "tram"
    if low.endswith(" lu"):
        return "tube"
    return "rail" if source == "naptan_rail" or low.endswith(" nr") else "any"


_PLAIN_WORDS = DROPPABLE | {
    "park", "common", "green", "gardens", "heath", "wood", "woods", "academy", "college", "pool", "baths",
    "lido", "sports", "swimming", "shopping", "market", "cinema", "precinct", "field", "st", "saint", "new",
    "old", "north", "south", "east", "west", "upper", "lower", "great", "little", "royal", "central", "city",
}


def _youth_kind(name: str) -> str | None:
    """What kind of place young people go to a landmark is (YOUTH_PLACES), or None (also when no word of
    its name tells it from others of its kind)."""
    words = re.findall(r"[a-z0-9']+", name.lower())
    if NOT_YOUTH.search(name) or not any(w.replace("'", "") not in _PLAIN_WORDS for w in words):
        return None
    return next((kind for kind, pat in YOUTH_PLACES if pat.search(name.strip())), None)


_WARD_NOT = ["and", "with", "ward", "north", "south", "east", "west", "central", "park", "road",
             "street", "lane", "station", "hospital", "common", "green", "village", "town", "fields",
             "gardens", "estate", "upper", "lower", "vale", "heath", "square", "junction", "market",
             "without", "within", "grove", "place"]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"
_STREET_END = (
    r"(road|street|lane|avenue|grove|gardens|crescent|terrace|place|square|close|drive|walk|way|rise)$"
)


def _street_fine(name: str) -> bool:
    """A street name a person would say (not a school's site entry or a long compound)."""
    return " - " not in name and len(name.split()) <= 5 and not re.search(
        r"(?i)\b(school|campus|academy|college|hospital|estate)\b", name
    )


def _ward_fine(name: str | None) -> bool:
    """A ward name children and carers use for a neighbourhood (and no other kind of place)."""
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- a nurse's slips ----------------------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _keys_near(c: str) -> list[str]:
    """The keys beside a letter on a QWERTY keyboard (same row, and the keys above and below)."""
    low = c.lower()
    for r, row in enumerate(_ROWS):
        if low in row:
            i = row.index(low)
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            near += [_ROWS[q][i] for q in (r - 1, r + 1) if 0 <= q < len(_ROWS) and i < len(_ROWS[q])]
            return [x.upper() if c.isupper() else x for x in near]
    return []


def _slip(rng: random.Random, word: str) -> str:
    """One slip of a nurse's fingers in a word of four letters or more (letters only): a letter hit as the
    key beside it, a letter left out, two neighbours swapped, a letter hit twice; the first letter kept."""
    if len(word) < 4 or not word.isalpha():
        return word
    ops = [("near", i) for i in range(1, len(word))]
    ops += [("drop", i) for i in range(1, len(word))]
    ops += [("swap", i) for i in range(1, len(word) - 1)]
    ops += [("twice", i) for i in range(1, len(word))]
    rng.shuffle(ops)
    for op, i in ops:
        if op == "near":
            keys = _keys_near(word[i])
            if not keys:
                continue
            new = word[:i] + rng.choice(keys) + word[i + 1 :]
        elif op == "drop":
            new = word[:i] + word[i + 1 :]
        elif op == "swap":
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            new = word[: i + 1] + word[i:]
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


# an unfamiliar name spelt the way it sounded (one rewrite; never the first letter; two letters at most)
BY_EAR = [
    (re.compile(r"(?i)(?<=[a-z])ck"), "k"),
    (re.compile(r"(?i)(?<=[a-z])ph"), "f"),
    (re.compile(r"(?i)(?<=[a-z])([bdfglmnprstz])\1"), r"\1"),
    (re.compile(r"(?i)(?<=[a-z]{2})ham$"), "am"),
    (re.compile(r"(?i)(?<=[a-z]{2})wich$"), "ich"),
    (re.compile(r"(?i)(?<=[a-z]{2})wick$"), "ick"),
    (re.compile(r"(?i)(?<=[a-z]{2})ey$"), "y"),
    (re.compile(r"(?i)(?<=[a-z])our"), "or"),
    (re.compile(r"(?i)(?<=[a-z])ei"), "ie"),
    (re.compile(r"(?i)(?<=[a-z]{2})stead$"), "sted"),
    (re.compile(r"(?i)(?<=[a-z]{2})cester$"), "ster"),
    (re.compile(r"(?i)(?<=[a-z])ae"), "e"),
    (re.compile(r"(?i)(?<=[a-z])y(?=[bcdfgklmnprstvz])"), "i"),
]


def _hearable(word: str) -> bool:
    """Whether a rule of BY_EAR changes the word."""
    return len(word) >= 4 and word.isalpha() and any(
        pat.sub(rep, word, count=1).lower() != word.lower() for pat, rep in BY_EAR
    )


def _by_ear(rng: random.Random, word: str) -> str:
    """The word spelt as it sounds, by one of BY_EAR (the word itself when none applies)."""
    if len(word) < 4 or not word.isalpha():
        return word
    rules = [(pat, rep) for pat, rep in BY_EAR if pat.search(word)]
    rng.shuffle(rules)
    for pat, rep in rules:
        new = pat.sub(rep, word, count=1)
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


@dataclass
class Said:
    """A name or code in a text: as shown, as meant, and whether letters of it were damaged."""

    shown: str
    meant: str
    hurt: bool = False


def _spots(words: list[str]) -> list[int]:
    """The words a slip may fall on: four letters or more, not a generic landmark word, not a short form."""
    return [
        i
        for i, w in enumerate(words)
        if len(w) >= 4 and w.isalpha() and w.lower() not in DROPPABLE and w.lower() not in _SHORT_WORDS
    ]


def _as_written(
    rng: random.Random,
    name: str,
    cls: str,
    street: bool = False,
    landmark: str | None = None,
    slip: bool = True,
) -> Said:
    """A name as the nurse writes it: tidied, apostrophes maybe left out, "and" / "&" maybe swapped, a
    street's last word maybe shortened (NURSE_ABBR), a landmark's generic ending maybe shortened or left
    off (SHORT_FORMS, "the" before an estate); with ``slip`` (the truth's own name) maybe one word slipped
    (SLIP_P) or spelt by ear (EAR_P)."""
    s = _tidy(name)
    if rng.random() < APOS_P:
        s = re.sub(r"['’`]", "", s)
    if rng.random() < AMP_P:
        if re.search(r"\band\b", s, re.I):
            s = re.sub(r"\b[Aa]nd\b", "&", s)
        elif "&" in s:
            s = s.replace("&", " and ")
    s = " ".join(s.replace("&", " & ").split())
    if landmark:
        for pat, forms in SHORT_FORMS:
            if pat.search(s):
                s = pat.sub(rng.choice(forms), s)
                break
        if landmark == "estate" and not s.lower().startswith("the "):
            dropped = not re.search(r"(?i)\best(ate)?$", s)  # an estate without its word is "the X"
            if dropped or rng.random() < THE_P:
                s = "the " + s
    words = s.split()
    if street and words and rng.random() < ABBR_P:
        short = NURSE_ABBR.get(words[-1].lower())
        if short and len(words) > 1:
            words[-1] = short if rng.random() < 0.5 else short.capitalize()
    meant = " ".join(words)
    if slip:
        r = rng.random()
        spots = _spots(words)
        if spots and r < SLIP_P[cls]:
            i = rng.choice(spots)
            words[i] = _slip(rng, words[i])
        elif spots and r < SLIP_P[cls] + EAR_P.get(cls, 0.0):
            heard = [i for i in spots if _hearable(words[i])]
            if heard:
                i = rng.choice(heard)
                words[i] = _by_ear(rng, words[i])
    shown = " ".join(words)
    return Said(shown, meant, shown != meant)


# a letter of a postcode heard as another over a noisy cubicle
MISHEARD = {"M": "N", "N": "M", "B": "D", "D": "B", "P": "B", "T": "D", "F": "S", "S": "F", "V": "B",
            "G": "J", "J": "G", "X": "S", "E": "D", "U": "Q", "Q": "U", "H": "A", "A": "H"}
_DIGIT_ROW = "1234567890"


def _code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Said:
    """A postcode unit / sector / district as the nurse wrote it (upper or lower case, a unit's space
    sometimes left out); the primary one maybe wrong: a letter of a unit's inward code misheard
    (MISHEARD), or a digit of a sector's inward code or of a district hit as the key beside it."""
    s = code.upper() if rng.random() < 0.8 else code.lower()
    parts = s.split()
    if cls == "postcode" and len(parts) == 2 and rng.random() < 0.2:
        s = parts[0] + parts[1]
    if not slip or rng.random() >= SLIP_P[cls]:
        return Said(s, s)
    if cls == "postcode":
        spots = [i for i in (len(s) - 2, len(s) - 1) if s[i].upper() in MISHEARD]
        if spots:
            i = rng.choice(spots)
            new = MISHEARD[s[i].upper()]
            new = new if s[i].isupper() else new.lower()
            return Said(s[:i] + new + s[i + 1 :], s, True)
        return Said(s, s)
    i = len(s) - 1 if cls == "sector" else max(j for j, c in enumerate(s) if c.isdigit())
    if not s[i].isdigit():
        return Said(s, s)
    k = _DIGIT_ROW.index(s[i])
    new = rng.choice([_DIGIT_ROW[j] for j in (k - 1, k + 1) if 0 <= j < len(_DIGIT_ROW)])
    return Said(s[:i] + new + s[i + 1 :], s, True)


# --- a text ------------------------------------------------------------------------------------------------


def _fill(form: str, names: dict[str, Said], plain: dict[str, str]) -> list[str | Said]:
    """A template as parts: its {x} slots filled from ``names`` (kept as Said) and ``plain``."""
    out: list[str | Said] = []
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


_SPEAKER = re.compile(r"(?i)\b(yp|mum|carer|sw|police|adult|per)\b")
_NO_PLACE_AFTERS = [a for a in AFTERS if not re.search(r"school|lunchtime|way|jumped", a)]


def _record(rng: random.Random, parts: list[str | Said], place: bool = True) -> tuple[str, bool]:
    """The location field as the nurse typed it: maybe a query or hedge (a place only), who said it (the
    child's words maybe quoted), what happened after; in the nurse's case of the moment. Returns the text
    and ``typo`` (letters of a name or code in it damaged)."""
    body = "".join(p.shown if isinstance(p, Said) else p for p in parts)
    typo = any(isinstance(p, Said) and p.hurt for p in parts)
    body = " ".join(body.split())
    if place and rng.random() < QUERY_P:
        body = rng.choice(QUERIES).format(body)
    r = rng.random()
    if not place and _SPEAKER.search(body):
        r = 1.0  # the text already says who told it
    if r < WHO_P:
        who, child = rng.choice(WHO_BEFORE)
        if child and rng.random() < QUOTE_P:
            q = rng.choice(['"', '"', "'"])
            body = q + body + q
        body = who.format(age=rng.randint(8, 17)) + body
    elif r < WHO_P + WHO_AFTER_P:
        body += rng.choice(WHO_AFTER)
    if rng.random() < AFTER_P:
        body += rng.choice(AFTERS if place else _NO_PLACE_AFTERS)
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
    elif case == "sentence":
        body = body[:1].upper() + body[1:].lower()
    if rng.random() < STOP_P:
        body += "."
    return " ".join(body.split()), typo


@dataclass
class Around:
    unit: str | None
    district: str | None
    borough: str | None


def _around(conn, x: float, y: float, srid: int) -> Around:
    """The postcode unit nearest (x, y), its district and its borough's name."""
    row = conn.execute(
        "SELECT p.display, p.district, (SELECT f.name FROM gazetteer.feature f WHERE f.kind = 'borough' "
        "AND f.source_key = p.borough_code ORDER BY f.feature_id LIMIT 1) FROM gazetteer.postcode p "
        f"ORDER BY p.geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), p.postcode LIMIT 1",
        (x, y),
    ).fetchone()
    return Around(*row) if row else Around(None, None, None)


def _where(rng: random.Random, a: Around, p: float = LOC_P) -> str:
    """Where a place is, said after it with chance ``p`` (the district mostly, now and then the borough or
    the nearest unit), or nothing."""
    if rng.random() >= p:
        return ""
    have = {"d": a.district, "b": a.borough, "u": a.unit}
    choice = rng.choices(["d", "b", "u"], weights=(0.6, 0.25, 0.15))[0]
    if not have[choice]:
        choice = "d"
    if not have[choice]:
        return ""
    return rng.choice(LOC_SAYS[choice]).replace("{" + choice + "}", have[choice])


def _apart(name: str, where: str) -> str:
    """``where`` when it shares no word with the place's name (so a name is never said twice), else ""."""
    def words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower().replace("'", "")) if len(w) >= 3}

    return "" if words(name) & words(where) else where


# --- the family ------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``paeds`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.3, none_placed=0.05, nearest=0.84, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def add(cls, level, parts, x=None, y=None, fid=None, site="near", place=True):
        text, typo = _record(rng, parts, place=place)
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name no other venue has: landmarks young people go to, parks, pubs, food premises.
    quota = {
        "landmark": round(k["venue"] * 0.45),
        "park": round(k["venue"] * 0.12),
        "pub": round(k["venue"] * 0.08),
    }
    rows: list[tuple] = []
    for kind in ("landmark", "park", "pub", "venue"):
        want = quota.get(kind, k["venue"] - len(rows))
        if want <= 0:
            continue
        many = want * (10 if kind in ("landmark", "park") else 1)
        got = truths.unique_venues(conn, salted, kind, many, CHAINS, max_name=34)
        if kind in ("landmark", "park"):
            got = [r for r in got if _youth_kind(_tidy(r[1]))]
        rows += got[:want]
    for fid, name, kind, x, y, _business in rows[: k["venue"]]:
        youth = kind in ("landmark", "park")
        sort = (_youth_kind(_tidy(name)) or "park") if youth else "pub" if kind == "pub" else "food"
        v = _as_written(rng, name, "venue", landmark=sort if youth else None)
        form = rng.choice(VENUE_SAYS[sort])
        if sort == "pub" and v.shown.lower().startswith("the ") and form == "{v} pub":
            form = "outside {v}"
        parts = _fill(form, {"v": v}, {})
        parts.append(_apart(name, _where(rng, _around(conn, x, y, srid))))
        add("venue", "venue", parts, x, y, fid)

    # Chains: a branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        form_name = rng.choice(CHAIN_SAYS.get(brand, [brand.title()]))
        words = form_name.split()
        shown = list(words)
        if rng.random() < SLIP_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w.lower() != "the"]
            if spots:
                i = rng.choice(spots)
                shown[i] = _slip(rng, shown[i])
        c = Said(" ".join(shown), form_name, shown != words)
        r = rng.random()
        if r < 0.28 and street and not re.search(r"[0-9,()/]", street):
            w = _as_written(rng, street, "chain", street=True, slip=False)
            parts = _fill(rng.choice(CHAIN_STREET_SAYS), {"c": c, "w": w}, {})
            add("chain", "venue", parts, x, y, fid)
        elif r < 0.42 and stn:
            s = Said(_station_name(stn), _station_name(stn))
            parts = _fill(rng.choice(CHAIN_STATION_SAYS), {"c": c, "s": s}, {})
            add("chain", "venue", parts, x, y, fid)
        elif r < 0.54 and _ward_fine(ward):
            a = _as_written(rng, ward, "chain", slip=False)
            parts = _fill(rng.choice(CHAIN_WARD_SAYS), {"c": c, "a": a}, {})
            add("chain", "venue", parts, x, y, fid)
        elif r < 0.6 and district:
            d = _code(rng, district, "district", slip=False)
            parts = _fill(rng.choice(CHAIN_DISTRICT_SAYS), {"c": c, "d": d}, {})
            add("chain", "venue", parts, x, y, fid)
        else:
            parts = _fill(rng.choice(CHAIN_ALONE_SAYS), {"c": c}, {})
            add("chain, no locality", "venue", parts, x, y, fid)

    # Hospitals: about a fifth are texts of this department itself, naming no hospital (the reporting site).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 5)):
        add("hospital", "venue", [rng.choice(IN_DEPT)], x, y, fid, site=code, place=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        h = _as_written(rng, name, "hospital")
        add("hospital", "venue", _fill(rng.choice(HOSPITAL_SAYS), {"h": h}, {}), x, y, fid)

    # Stations near an A&E site, with the station word a child or carer adds (or none).
    for fid, name, source, net, _lines, x, y in truths.stations(conn, salted, k["station"]):
        s = _as_written(rng, _station_name(name), "station")
        m = rng.choice(NETWORK_SAYS[_network(source, net, name)] + NETWORK_SAYS["any"])
        parts = _fill(rng.choice(STATION_SAYS), {"s": s}, {"m": m})
        if rng.random() < 0.5:
            parts.append(_apart(name, _where(rng, _around(conn, x, y, srid))))
        add("station", "venue", parts, x, y, fid)

    # Streets: a point of the street, now and then with a house number or where the street is.
    streets = truths.street_points(conn, salted, _STREET_END, k["street"] + k["street"] // 3 + 5)
    streets = [r for r in streets if _street_fine(r[1])][: k["street"]]
    for fid, name, district, _namesakes, ward, x, y in streets:
        st = _as_written(rng, name, "street", street=True)
        parts = _fill(rng.choice(STREET_SAYS), {"st": st}, {"n": str(rng.randint(1, 180))})
        r = rng.random()
        if r < 0.12 and _ward_fine(ward):
            where = rng.choice([", ", " in ", " - "]) + _as_written(rng, ward, "area", slip=False).shown
            parts.append(_apart(name, where))
        elif r < 0.22 and district:
            parts.append(rng.choice(LOC_SAYS["d"]).replace("{d}", district))
        elif r < 0.3:
            parts.append(_apart(name, _where(rng, _around(conn, x, y, srid), 1.0)))
        add("street", "street", parts, x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_as_written(rng, part.strip(), "junction", street=True) for part in name.split("/"))
        add("junction", "junction", _fill(rng.choice(JUNCTION_SAYS), {"a": a, "b": b}, {}), x, y)

    def same_point(col: str, code: Said, x: float, y: float) -> Said:
        """A slipped code that is another real code of the truth's own point is no slip: the code meant."""
        hit = code.hurt and conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM gazetteer.postcode WHERE replace(upper({col}), ' ', '') = %s "
            "AND ST_X(geom) = %s AND ST_Y(geom) = %s)",
            (code.shown.upper().replace(" ", ""), x, y),
        ).fetchone()[0]
        return Said(code.meant, code.meant) if hit else code

    # Postcodes, sectors and districts (a carer giving one): a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        p = same_point("display", _code(rng, display, "postcode"), x, y)
        add("postcode", "postcode", _fill(rng.choice(POSTCODE_SAYS), {"p": p}, {}), x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        p = same_point("sector", _code(rng, sector, "sector"), x, y)
        add("sector", "sector", _fill(rng.choice(SECTOR_SAYS), {"p": p}, {}), x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        d = same_point("district", _code(rng, district, "district"), x, y)
        add("district", "district", _fill(rng.choice(DISTRICT_SAYS), {"d": d}, {}), x, y)

    # Neighbourhoods: wards with a name young people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 7919, k["area"]):
        a = _as_written(rng, name, "area")
        add("area", "area", _fill(rng.choice(AREA_SAYS), {"a": a}, {}), x, y, fid)

    # No place: home, unknown, non-places (one in five a dwelling other than the child's own).
    for _ in range(k["home"]):
        add("home", "home", [rng.choice(HOME_SAYS)], place=False)
    for _ in range(k["unknown"]):
        add("unknown", "none", [rng.choice(UNKNOWN_SAYS)], place=False)
    for i in range(k["nonplace"]):
        if i % 5 == 3:
            add("nonplace", "home", [rng.choice(OTHER_DWELLINGS)], place=False)
        else:
            add("nonplace", "none", [rng.choice(NONPLACE_SAYS)], place=False)
    rng.shuffle(out)
    return out
