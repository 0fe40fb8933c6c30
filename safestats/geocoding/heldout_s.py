"""A nineteenth held-out family of labelled assault locations, ``outreach``: the location field of assault
records of people who sleep rough, live in hostels or temporary accommodation, or use day centres and street
services in London. The location is typed by A&E reception or the triage nurse from the patient (often
intoxicated, often unwilling), or copied from a street outreach worker's shift log or referral, a hostel key
worker's or night worker's note, a day-centre or soup-run volunteer's call, or the station or council staff
who called the ambulance. People on the streets and the workers around them name where it happened by where
they were bedded down or sitting: the doorway or pitch by the shop, pub or takeaway it is outside, a church's
steps or grounds, a park bench or a tent in a park, a bus station or garage, a library's or town hall's steps,
a station's concourse, subway, toilets or arches, a hostel, mission, day centre or food bank by its name, a
street they bed down on (with its doorway, alley, stairwell, car park or bus shelter), a corner of two
streets, a postcode off a referral, a district or a neighbourhood they move about in; and many answers name no
place at all (no fixed abode, on the streets, moving about, refused, too intoxicated to say, "at the hostel"
without which one, a doorway or a bridge of no name, a squat or a friend's floor).

Written 2026-12-08 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 03:35:37 UTC and finished 03:51:41 UTC (``date -u``). What was read to write it: the brief
(given in the session's prompt; nothing under /work/scratch was opened); the whole of ``heldout_r.py`` (lines
1-1229, as the model for STRUCTURE only: truths drawn through ``truths.py``, the reporting site through
``sites.py``, the classes and the share constraints, the ``typo`` semantics, the dataclass returned,
``generate(conn, n)``, the shape of its helpers and the docstring's record; none of its phrase lists,
templates, brand forms, nicknames, abbreviations, non-place labels or noise rules were taken over -- this
family's slips are a key beside the right one on a laptop's row, a sticky key, a double letter typed once and
its own spellings as said; its code slips are a unit's last two letters typed the other way round and a digit
typed as a key beside it on a keyboard's top row); the whole of ``truths.py`` (1-167) and ``sites.py`` (1-37);
tests/geocoding/test_heldout_events.py (1-725), tests/geocoding/heldout_checks.py (1-78) and
tests/geocoding/conftest.py (1-74) in full (the model for this family's test file); from ``independent.py``,
``heldout_o.py``, ``heldout_p.py`` and ``heldout_q.py`` the names only of their module-level assignments
(``grep -oE`` of ``^NAME =``, names printed, not their values), and of ``independent.py`` the field names and
types of ``IndependentExample`` and the value of ``CHAINS`` printed by Python; the ``FAMILY`` / ``SEED`` lines
of heldout.py, heldout_b.py .. heldout_r.py and independent.py (``grep -n`` for lines starting FAMILY or SEED,
which also matched one docstring line of each of seven of them and independent.py's ``SEEDS`` line); the
pytest and ruff settings of pyproject.toml (lines 33-52, grep with context); directory listings of
safestats/geocoding/ and tests/geocoding/. From the development gazetteer, read-only (psql with
``default_transaction_read_only``, and Python on a read-only connection): counts of gazetteer.feature by kind
and level, in all (87,917) and by source; the columns of gazetteer.feature; counts of FSA premises by business
type; 120 random landmark names with church / library / bus station / garage / market / underpass / shopping /
town hall words; 80 random food premises with hostel / day centre / shelter / mission / church / kitchen words
and their business types; all food premises (about 560) passing ``truths.unique_venues``' own filters whose
names have hostel / day centre / mission / food bank / church / community / project / pantry / welcome words;
150 random unique landmark names with church / library / garage / market / cemetery / hall words; the names of
all 95 parks; 15 random pubs; 12 random stations and 14 DLR / Underground / tram stations with network and
lines; three postcode rows; and this module's own output (``generate(conn, 900)`` on the development
gazetteer, in 26-38 s; about 250 texts looked at, with the gazetteer names of one in two of its venue truths,
through throw-away scripts of this session's own under /tmp, deleted at the end). This family's test file
imports heldout_o's, heldout_p's, heldout_q's and heldout_r's module-level lists and independent.py's
no-place, unknown, home, station-word and road-abbreviation lists only to check that none of them was taken
over; the same comparison was first run as a throw-away script printing every coincidence at once (it also
printed which of this module's internal words -- share and case keys, digits, the words of ``_GENERIC`` and
``_WARD_BAD``, keyboard rows -- occur somewhere in theirs; those are no phrases and were left). The
coincidences it named were all rewritten: chain forms of sixteen brands (then one nickname of Wetherspoon's in
a second round); the street short forms of grove, terrace, lane (twice) and close ("rd" the one left in
common); one spelling-as-said pair and one top-row digit pair; the station words of six networks; templates
(four after-place forms, one chain-street twice, two chain-station, one chain-district, one district twice,
one junction, one line, seven venue, one station, four street, one each of the two who-the-patient-is forms),
one hedge, three source phrases, a reference form, three unknown phrases and one who-did-it phrase. A source
phrase with digits was rewritten when this family's own list check failed; "street drinker" was let through
that check's place-word rule; "centre", a word another family also leaves off, is let through the left-off
check as "the" is (the ends left off are this family's own); two nicknames were added when the generator test
found too few on the tests' slice. Not read: anything under db/, docs/, README.md,
safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py,
batch.py, heldout.py and heldout_b.py .. heldout_q.py beyond their FAMILY / SEED lines and the list names
above, the rest of independent.py, tests/geocoding/test_geocoder*, the other tests/geocoding/test_heldout_*.py
files (but test_heldout_events.py), tests/conftest.py, /work/scratch, /tmp files this session did not make,
the git history. Every phrase, template, brand form, nickname, abbreviation and noise rule below was written
fresh for this module (street-word short forms such as "rd", bare templates such as "{v}", a brand's bare name
and generic words such as "station" inevitably coincide with other families'). The geocoder was never run on
these texts (no call of safestats.geocode or of any geocode* SQL function, no ``make eval-geocoder``, no
evaluation module); the only things run were this module's ``generate``, its own test file
tests/geocoding/test_heldout_outreach.py (also with this module deliberately broken for a moment, once for
each of its eight tests, to see each fail, then restored) and ``ruff check``.

Style. One location field: the place as the patient or a worker on the streets says it -- a venue by what it
is to someone sleeping out or using services (``SPOT_FORMS`` by sort: a hostel, mission, day centre or food
bank, its queue, yard or dining room, a name's "Day Centre" / "Drop In" end now and then left off when what is
left names no other place (``SERVICE_ENDS``); a church's steps, porch or churchyard; a bus station's or
garage's benches; a library's, town hall's, market's or shopping centre's doorway or steps; a park's bench,
tent or toilets; a pub's doorway or side alley; a shop's doorway or pitch; a takeaway's or café's bins; of the
gazetteer's landmarks, parks, pubs and food premises by the words of their names: ``SPOT_SORTS``, and the
business type), a chain outlet by the chain's name as people on the street say it (``CHAIN_WORDS``; a form
without the brand's letters is a nickname), a hospital where they were sleeping or sheltering and this
department itself (``HERE_IN_ED``: assaulted in this A&E's own waiting room or entrance), a station with the
word people say for it (``STN_WORD``), its concourse, subway, toilets, arches or platform, now and then an
Underground line; a street as somewhere to bed down (``STREET_FORMS``); a corner of two streets; a referral's
postcode, its start, a district; a ward as the patch someone moves about in -- now and then with where the
place is after it (``AROUND``: the station within 400 m, the district, the borough or the nearest postcode
unit). Names as written: the gazetteer's capitals in ordinary case, bracketed parts and company suffixes gone,
apostrophes now and then typed as nothing, "and" now and then written "+" or "&", a street's last word
shortened (``STREET_CUT``), a "The" in front dropped. Then the record: maybe a hedge (``NOT_SURE``), what the
patient is to the services (``STATUS`` by sort, before or after the place), who or what it came from
(``SAID_BY`` before, each with the sorts it comes from; ``SAID_BY_AFTER``; the patient's own words then
sometimes in quotes; for a no-place answer only the patient, a friend or partner, the crew, the police or the
outreach team), when (``WHEN``), substances (``USING``), a shift-log, bed or referral number (``REFS``), what
happened (``HOW``, ``WHO_DID`` by sort; never a place), the writer's case of the moment (as typed, all lower,
capitals, every word capitalised) and now and then a mark at the end. The no-place texts: the patient's own
home (level home: a room, flat or bedsit of their own, temporary accommodation of their own), someone else's
home (a friend's floor, a squat; level home, one in three non-places), unknown (refused, too intoxicated, no
memory; level none) and non-places (no fixed abode, on the streets, moving about, a hostel or day centre not
named, a doorway, bridge or tent of no name, night buses; level none). No text names a second place other than
the truth's own neighbourhood or a station's line.

Labels. Classes and levels as in the other held-out families: venues with a unique name (hostels and
services, churches, bus stations, civic buildings, parks, pubs, shops and eateries; level venue), chain
outlets with a locality ("chain") and without ("chain, no locality"), hospitals (about a quarter "this
department" texts naming no hospital, whose truth is the reporting site itself), stations, street points,
junctions (a bus stop named after two streets), postcode units, sectors, districts, wards (level area), home,
unknown and non-places. Truths and reporting sites are drawn from the gazetteer through ``truths.py`` and
``sites.py``, ordered by an md5 salted with this family's FAMILY and SEED, so a given gazetteer and ``n``
always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (either street of a
junction), of a chain's name or nickname, or of the primary postcode / sector / district were damaged: (a)
one slip in one word of four letters or more (``SLIP_P`` by class; its kind by ``SLIP_MIX``): a key to the
left or right of the right one on a hostel office's or outreach laptop's keyboard (``_beside``), a sticky key
typing a letter twice, a double letter typed once, or a word spelt the way the patient said it
(``AS_SAID``); never the first letter, never an abbreviation or a word left off, and never a slip that gives
the street word's short form; (b) a code copied off a referral with one thing wrong (a unit's last two letters
typed the other way round; a sector's inward digit or a district's digit typed as the key beside it on a
keyboard's top row, ``TOP_ROW``) -- unless what was written is another real code of the truth's own point.
Not typos: case, apostrophes, "+" or "&" for "and", short street words, a "The" dropped, a service's "Day
Centre" end left off, a chain's other forms or nickname, a postcode's space left out, quotes, hedges, what the
patient is, sources, times, substances, reference numbers, what happened, an end mark. A locality said after a
place never slips.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "outreach"
SEED = 3_618_452

SHARES = {
    "venue": 0.20,
    "chain": 0.11,
    "hospital": 0.10,
    "station": 0.13,
    "street": 0.13,
    "junction": 0.03,
    "postcode": 0.03,
    "sector": 0.02,
    "district": 0.03,
    "area": 0.04,
    "home": 0.02,
    "unknown": 0.07,
    "nonplace": 0.09,
}

# the chance one word of the place's own name (or one character of the primary code) came out damaged, by
# class: typed up at the end of a night shift, on a shared office laptop, from a patient who slurs
SLIP_P = {
    "venue": 0.08,
    "chain": 0.06,
    "hospital": 0.05,
    "station": 0.07,
    "street": 0.09,
    "junction": 0.08,
    "postcode": 0.07,
    "sector": 0.07,
    "district": 0.05,
    "area": 0.08,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
# how a damaged word came out: a key beside the right one, a sticky key, a double letter typed once, or the
# word spelt as the patient said it
SLIP_MIX = {"beside": 0.3, "sticky": 0.2, "single": 0.2, "said": 0.3}

NO_APOS_P = 0.45  # apostrophes typed as nothing
PLUS_P = 0.18  # "and" written "+" or "&"
CUT_P = 0.35  # a street's last word shortened (STREET_CUT)
NO_THE_P = 0.35  # a "The" in front of a name dropped
END_OFF_P = 0.35  # a service's "Day Centre" / "Drop In" end left off, when what is left names nothing else
AROUND_P = 0.22  # where the venue is (station, district, borough, postcode), after it
NOT_SURE_P = 0.07  # the name not certain
SAID_BY_P = 0.36  # who or what the location came from, before it
SAID_AFTER_P = 0.09  # ... or after it
QUOTED_P = 0.25  # the patient's own words in quotes
STATUS_P = 0.32  # what the patient is to the services
STATUS_FIRST_P = 0.4  # ... written before the place rather than after
WHEN_P = 0.18  # when it happened
USING_P = 0.16  # drink or drugs noted
REF_P = 0.09  # a shift-log, bed or referral number
HOW_P = 0.26  # what happened (and by whom)
CASE = {"typed": 0.46, "lower": 0.27, "caps": 0.2, "title": 0.07}
MARK_P = 0.06  # a mark at the end of the field

# --- how people on the streets and their workers write names ---------------------------------------------

# the street word at the end of a street name, cut short as typed in a shift log
STREET_CUT = {
    "road": "rd",
    "street": "strt",
    "avenue": "avnu",
    "gardens": "gardns",
    "grove": "grve",
    "terrace": "trrce",
    "crescent": "crscnt",
    "square": "squ",
    "lane": "lan",
    "close": "clse",
}
_CUTS = set(STREET_CUT.values())

# the end of a service's name its users leave off ("down the Passage", "at Webber Street")
SERVICE_ENDS = [
    re.compile(r"(?i)\s+day\s+cent(?:re|er)$"),
    re.compile(r"(?i)\s+drop[\s-]?in(?:\s+cent(?:re|er))?$"),
]
# words of a name that may be left off (never slipped on)
OFF_WORDS = {"the", "day", "centre", "center", "drop", "in"}

# places where people sleep out, shelter or get help: what the gazetteer's name says they are
SPOT_SORTS = [
    ("service", re.compile(r"(?i)\b(hostel|day cent(?:re|er)|drop[ -]?in|night shelter|soup kitchen|"
                           r"food ?bank|mission|salvation army|ymca|homeless|st mungo'?s|crisis|"
                           r"welcome centre|passage)\b")),
    ("church", re.compile(r"(?i)\b(church|chapel|cathedral|abbey|crypt|mosque|gurdwara|tabernacle|"
                          r"priory)\b")),
    ("transit", re.compile(r"(?i)\bbus (?:station|garage)$")),
    ("civic", re.compile(r"(?i)\b(library|town hall|civic centre|post office|shopping (?:centre|park)|"
                         r"precinct|clock tower|underpass|market|cemetery|leisure centre|baths)$")),
    ("park", re.compile(r"(?i)\b(park|gardens|common|green|fields|recreation ground|churchyard|rye)$")),
]
NOT_A_SPOT = re.compile(
    r"(?i)(?<!bus )\bstation\b|\b(stn|stop|stations|tram|depot|police|court|prison|school|primary|college|"
    r"university|nursery|kids|children|play|hotel|farm|estate|industrial|hospital|surgery|clinic|pharmacy|"
    r"chemist|newsagents?|supermarket|wine|offices|road|street|lane|avenue|way|noodles|meat|cab|cabman'?s|"
    r"cabmen'?s|taxi|match|brewery|scientology|bookshop|events|vicarage|art|arts|asset|pizza|house|"
    r"lunch|luncheon|elderly|pensioners|care|museum|hall estate)\b"
    r"|[<>0-9@/+]|\bt/a\b|\bat\b|\b(?:" + "|".join(CHAINS) + r")\b"
)
_PARK_OK = re.compile(r"(?i)\b(park|gardens|common|hill|cemetery|fields)$")
_FOOD_NOT = re.compile(r"(?i)\b(station|stn|road|street|lane|avenue|at|staff|school|catering|canteen|"
                       r"caterers|contract|services|ltd|limited)\b|[0-9]")

_GENERIC = OFF_WORDS | {
    "church", "hall", "halls", "methodist", "baptist", "united", "reformed", "parish", "catholic",
    "community", "cafe", "café", "mission", "foodbank", "food", "bank", "salvation", "army", "st", "saint",
    "of", "and", "new", "old", "north", "south", "east", "west", "london", "city", "evangelical",
    "christian", "free", "kitchen", "soup", "hostel", "homeless", "project", "trust", "library", "town",
    "market", "bus", "station", "garage", "park", "gardens", "cemetery", "leisure", "post", "office",
    "shopping", "precinct", "clock", "tower", "civic", "seventh", "adventist", "pentecostal", "club",
    "coffee", "shop", "pantry", "welcome", "ymca", "chapel", "cathedral", "centre", "center", "common",
    "green", "fields", "hill", "rye", "baths", "underpass", "recreation", "ground", "churchyard", "abbey",
    "priory", "crypt", "mosque", "gurdwara", "tabernacle", "night", "shelter", "a", "an", "r", "c", "ce",
    "e", "rc", "the", "church's", "orthodox", "greek", "gospel", "fellowship", "life", "bible", "apostolic",
    "all", "saints", "holy", "trinity", "christ", "our", "lady",
}

# chains as people on the streets and their workers call them; forms without the brand's letters are
# NICKNAMES
CHAIN_WORDS = {
    "tesco": ["Tesco", "Tesco Xpress", "Tescos local", "the Tesco metro"],
    "sainsburys": ["Sainsbury's", "Sainsbury's Local shop", "Sainsburys local store", "Sainsy's"],
    "costa": ["Costa", "Costa coffee place", "the Costa one"],
    "starbucks": ["Starbucks", "Starbucks coffee place", "Starbuck's"],
    "mcdonalds": ["McDonald's", "McDonalds", "Micky Dee's", "McDonalds all-night", "the McD's"],
    "kfc": ["KFC", "K.F.C.", "the Colonel's"],
    "aldi": ["Aldi", "Aldi shop front"],
    "lidl": ["Lidl", "the Lidl store"],
    "greggs": ["Greggs", "Gregg's", "Greggs bakers"],
    "subway": ["Subway", "Subway sandwich bar"],
    "pret": ["Pret", "Pret A Manger cafe", "the Pret"],
    "nandos": ["Nando's", "Nandos"],
    "iceland": ["Iceland", "Iceland frozen food shop"],
    "morrisons": ["Morrisons", "Morrisons big shop"],
    "asda": ["Asda", "Asda big store"],
    "waitrose": ["Waitrose", "Waitroses"],
    "wetherspoon": ["Wetherspoon", "the Wetherspoon's", "the Spoons pub", "the Spoon's on the corner"],
    "dominos": ["Domino's", "Dominos pizza shop"],
    "boots": ["Boots", "Boots chemist shop", "Boot's"],
    "londis": ["Londis", "Londis corner shop"],
    "budgens": ["Budgens", "Budgen's"],
    "wasabi": ["Wasabi", "Wasabi sushi bar"],
    "itsu": ["Itsu", "itsu noodle bar"],
    "leon": ["Leon", "Leon cafe"],
    "wilko": ["Wilko", "Wilko's store", "Wilkinson's shop"],
}
NICKNAMES = {"Micky Dee's", "the McD's", "Sainsy's", "the Colonel's", "the Spoons pub",
             "the Spoon's on the corner", "Wilkinson's shop"}
# what an outlet of a chain is to someone sitting out or begging
CHAIN_KIND = {
    **dict.fromkeys(("costa", "starbucks", "mcdonalds", "kfc", "greggs", "subway", "pret", "nandos",
                     "dominos", "wasabi", "itsu", "leon"), "food"),
    "wetherspoon": "booze",
}

# --- what the record adds around a place ------------------------------------------------------------------

_OUT = ("street", "station", "park", "church", "civic", "transit", "shop", "food", "eatery")
_INDOOR = ("service", "hospital")
# who or what the location came from: (the words before the place, whether it is the patient's own account
# (or a friend's or partner's), the sorts it comes from, or None for any)
SAID_BY = [
    ("pt -- ", True, None),
    ("as per pt - ", True, None),
    ("pt told us at reception ", True, None),
    ("pt (slurred) gives ", True, None),
    ("partner, also sleeping out, says ", True, None),
    ("pt's friend from the street says ", True, None),
    ("pt eventually says ", True, None),
    ("pt's own words: ", True, None),
    ("outreach worker with pt: ", False, None),
    ("street outreach shift log -- ", False, _OUT),
    ("from outreach referral form: ", False, None),
    ("SWEP night log: ", False, _OUT),
    ("key worker at hostel reports ", False, ("service", "street", "park", "church")),
    ("hostel night worker rang - ", False, ("service",)),
    ("day centre staff report ", False, ("service", "church", "street")),
    ("soup run volunteer called it in -- ", False, ("street", "park", "church", "civic", "transit", "shop")),
    ("station staff who called amb: ", False, ("station",)),
    ("per network rail staff ", False, ("station",)),
    ("BTP officer at scene: ", False, ("station", "transit")),
    ("council street warden - ", False, ("street", "park", "civic", "shop", "food", "eatery")),
    ("CCTV operator reports ", False, ("street", "civic", "transit", "shop", "station")),
    ("security guard found pt, says ", False, ("shop", "food", "eatery", "civic", "booze", "hospital")),
    ("LAS crew found pt - ", False, None),
    ("ambulance handover: ", False, None),
    ("police with pt state ", False, None),
    ("passer-by who rang for an ambulance: ", False, _OUT),
]
SAID_BY_AFTER = [
    (" (outreach team)", None),
    (" - per key worker", ("service", "street", "park", "church")),
    (" [from SWEP log]", _OUT),
    (" - station staff", ("station",)),
    (" -- per soup run", ("street", "park", "church", "civic", "transit")),
    (" (LAS)", None),
    (" - pts own account", None),
]
# the name not certain: {} is the place
NOT_SURE = ["{} maybe", "possibly {}", "{} - not certain", "{}??", "near {} he thinks", "{} (pt unsure)"]
# what the patient is to the services, by sort
STATUS = {
    "service": ["hostel resident", "day centre client", "staying in emergency bed", "known to the service",
                "waiting for a bed space"],
    "church": ["sleeping out", "rough sleeper", "bedded down there", "night shelter guest"],
    "transit": ["sleeping on buses", "rough sleeper", "sheltering from rain"],
    "civic": ["begging", "rough sleeper", "street drinker"],
    "park": ["sleeping in tent", "rough sleeper", "entrenched rough sleeper", "street drinker"],
    "pub": ["begging", "street drinker", "NFA"],
    "shop": ["begging", "Big Issue seller", "sitting out", "NFA"],
    "eatery": ["begging", "NFA", "sitting out"],
    "street": ["rough sleeper", "NFA", "new to the streets", "bedded down", "sofa surfer"],
    "station": ["sleeping rough in station", "NFA", "rough sleeper", "begging on concourse"],
    "hospital": ["frequent attender, NFA", "rough sleeper", "discharged earlier, NFA"],
    "food": ["begging", "sitting out with cup", "NFA"],
    "booze": ["street drinker", "begging", "NFA"],
}
STATUS_AFTER = [" ({r} per notes)", " -- pt {r}", " / {r}"]
STATUS_BEFORE = ["{r}. ", "{r} / "]
# when it happened
WHEN = [" - overnight", " - woke up being kicked", " - early hours", " - while bedded down",
        " - as the day centre shut", " - while queueing for food", " - after curfew", " - at dawn",
        " - whilst asleep", " - last night"]
USING = [" - etoh +++", " (spice?)", " - smells of cider", " - uses heroin", " - very intox",
         " - on methadone script", " - crack use", " (drinking since morning)"]
# a shift-log, bed or referral number ({k})
REFS = [" - our ref {k}", " (SWEP log {k})", " - bed {k}", " - referral no {k}", " [shift log {k}]",
        " - client id {k}"]
# what happened, and by whom (by sort)
HOW = [" - kicked while asleep", " - sleeping bag set alight", " - robbed and punched", " - hit with bottle",
       " - stamped on head", " - spat at and punched", " - hit with a stick",
       " - dragged out of sleeping bag", " - stabbed in leg", " - tent slashed, punched",
       " - hit with a brick", " - belongings stolen, beaten"]
WHO_DID = {
    "service": [" - by another resident", " - by another client", " - by a man in the queue"],
    "church": [" - by a group of lads", " - by someone he sleeps near"],
    "transit": [" - by a drunk passenger", " - by a bus driver?"],
    "civic": [" - by youths", " - by other street drinkers"],
    "park": [" - by youths on bikes", " - by another rough sleeper", " - by dog walker's dog then owner"],
    "pub": [" - by a drinker leaving", " - by door staff"],
    "shop": [" - by the store's guard", " - by passers-by", " - by a customer"],
    "eatery": [" - by staff throwing him out", " - by late night customers"],
    "street": [" - by passers-by", " - by another rough sleeper", " - by a dealer", " - by drunk lads"],
    "station": [" - by a commuter", " - by another rough sleeper", " - by late night travellers"],
    "hospital": [" - by another patient", " - by a visitor"],
    "food": [" - by a customer", " - by staff"],
    "booze": [" - by a drinker", " - by another street drinker"],
}

# --- the texts of each class ------------------------------------------------------------------------------

# venues by what they are to someone on the streets ({v} the venue, {n} a number)
SPOT_FORMS = {
    "service": ["{v}", "{v}", "outside {v} waiting for it to open", "queue for breakfast at {v}",
                "{v} - in the yard", "{v} front steps", "{v} dining room", "smoking area at {v}",
                "{v} - shower queue", "back gate of {v}", "corridor at {v}", "{v} - front desk"],
    "church": ["{v}", "{v}", "on the steps of {v}", "{v} porch", "grounds of {v}",
               "doorway of {v} - bedded down",
               "{v} - soup run stop", "bench by {v}", "side door of {v}"],
    "transit": ["{v}", "{v} - asleep on a bench", "indoors at {v}", "waiting area at {v}",
                "{v} - by the stands",
                "{v} - in the toilets"],
    "civic": ["{v}", "doorway of {v}", "steps outside {v}", "{v} - round the back", "{v} bins",
              "{v} - loading bay", "bench outside {v}"],
    "park": ["{v}", "{v}", "on a bench in {v}", "tent in {v}", "{v} - public toilets", "{v} by the gates",
             "bushes in {v}", "{v} - sleeping out", "shelter in {v}"],
    "pub": ["{v}", "doorway of {v}", "out front of {v}", "{v} side alley",
            "{v} - thrown out, then hit outside",
            "begging outside {v}", "car park behind {v}"],
    "shop": ["{v}", "doorway of {v}", "pitch outside {v}", "{v} shop doorway", "sat outside {v} with cup",
             "{v} - under the shutters", "by the cashpoint at {v}"],
    "eatery": ["{v}", "on the pavement outside {v}", "{v} doorway", "bins behind {v}",
               "{v} - asking for leftovers",
               "back door of {v}"],
}

# what part of a chain outlet, by what it is to someone sitting out ({c} the chain)
CHAIN_SOLO = {
    "food": ["{c}", "{c}", "doorway of {c}", "outside {c} begging", "{c} - asking for hot drink",
             "bins behind {c}", "sat outside {c}"],
    "booze": ["{c}", "{c}", "outside {c} - street drinking", "{c} doorway", "{c} smoking area"],
    "shop": ["{c}", "{c}", "doorway of {c}", "pitch outside {c}", "{c} - by the trolleys",
             "begging outside {c}", "{c} cash machine"],
}
CHAIN_STREET = ["{c} halfway along {w}", "{w} {c} doorway", "doorway of {c}, {w}", "pitch outside {c} ({w})"]
CHAIN_STATION = ["{c} across from {s} stn", "{c} by {s} stn", "the {c} near {s} station",
                 "{c} in the concourse of {s} station"]
CHAIN_WARD = ["{c} round {a}", "{c} - {a} area", "{a} {c} doorway"]
CHAIN_DISTRICT = ["{c} over in {d}", "{c} ({d}) doorway", "{c} - {d} somewhere"]

# a hospital where they were sleeping or sheltering ({h})
HOSPITAL_FORMS = [
    "{h}",
    "{h}",
    "{h} grounds",
    "bench outside {h}",
    "{h} smoking shelter",
    "{h} car park stairwell",
    "{h} chapel",
    "{h} main entrance - sleeping there",
    "{h} bus stop",
    "{h} - outpatients doorway",
    "{h} - discharged, then attacked outside",
]
# in this emergency department itself: no hospital named (truth: the site)
HERE_IN_ED = [
    "here - in our waiting room overnight",
    "slept in our ED, hit by another pt",
    "this department's waiting area",
    "outside ambulance bay here",
    "toilets in the dept here",
    "our A&E entrance, sleeping rough",
    "here, UTC seating",
    "this ED - other pt hit him",
    "our majors corridor overnight",
    "our minors waiting room",
    "front doors of this A&E",
]
# a station ({s} station, {m} the word for it, {n} platform, {l} line)
STATION_FORMS = [
    "{s} {m}",
    "{s} {m}",
    "{s}",
    "concourse, {s} {m}",
    "ticket hall of {s} {m}, bedded down",
    "arches by {s} {m}",
    "{s} {m} - subway",
    "{s} {m} toilets",
    "{s} {m} - stairs to the platforms",
    "entrance of {s} {m}, sleeping",
    "bench on platform {n} at {s}",
    "{s} {m} - by the gateline",
    "car park at {s} {m}",
    "{s} {m} taxi rank",
    "bridge over {s} {m}",
]
LINE_FORMS = ["{s} {m}, {l} line side", "{l} line platform end, {s}", "{s} - {l} line stairs"]
# the word people say after a station, by network
STN_WORD = {
    "tube": ["tube", "undergd stn", "tube stat."],
    "overground": ["overgrnd stn", "o/ground"],
    "dlr": ["dlr halt", "D.L.R."],
    "tram": ["tram halt", "trams stop"],
    "lizzy": ["crossrail stn.", "Elizabeth line station"],
    "rail": ["rly stn", "train stn."],
    "any": ["station", "stn", "STATION"],
}
# a street somewhere to bed down ({st}; {n} a house number)
STREET_FORMS = [
    "{st}",
    "{st}",
    "shop doorway along {st}",
    "bedded down on {st}",
    "kipping in a doorway, {st}",
    "{st} - bus shelter",
    "{st} by the cashpoint",
    "in the alley off {st}",
    "tent on {st}",
    "outside no. {n}, {st}",
    "{st} - his pitch",
    "car park off {st}",
    "flats stairwell, {st}",
    "{st} - under the railway arches",
    "bins at the back of {st}",
    "phone box on {st}",
]
JUNCTION_FORMS = ["{a} corner of {b}", "{a} j/w {b}", "doorway at {a} / {b}", "{a} near the {b} junction",
                  "where {a} joins {b}"]
POSTCODE_FORMS = ["{p}", "{p}", "pitch pc {p}", "hostel postcode {p}", "{p} (from referral)",
                  "last seen {p}", "{p} - logged by outreach"]
SECTOR_FORMS = ["{p} (rest of pc unknown)", "pc begins {p}", "{p}... referral form torn",
                "{p} something, he thinks"]
DISTRICT_FORMS = ["{d}", "{d}", "{d} - his patch", "sleeping rough in {d}", "{d} - moves about", "around {d}"]
AREA_FORMS = ["{a}", "{a}", "sleeps out round {a}", "{a} - outreach patch", "streets of {a}",
              "{a} - begging"]
# where a venue or street is, after it ({s} station, {d} district, {b} borough, {u} postcode unit)
AROUND = {
    "s": [" - {s} stn end", " (by {s} station)", " close to {s} stn"],
    "d": [" / {d}", " -- {d} pc area"],
    "b": [" over in {b}", " - {b} council patch"],
    "u": [" pc {u}", " <{u}>"],
}

HOME_TEXTS = [
    "own room, temp accommodation",
    "own flat - TA",
    "at home, council flat",
    "own bedsit",
    "home - just been housed",
    "own tenancy, new flat",
    "his own place",
    "home address on file",
    "at home, recently rehoused",
    "own studio flat, supported housing",
    "in her own room at home",
]
UNKNOWN_TEXTS = [
    "refused to say where",
    "won't give location",
    "too intoxicated to say",
    "can't recall where",
    "not known to pt or staff",
    "pt unable to say - spice",
    "declined",
    "location not on referral",
    "outreach don't know where",
    "pt asleep, no info",
    "no idea - memory loss",
    "will not disclose",
    "n/k - not given",
]
# no place: (the text, its sort or None)
NONPLACE_TEXTS = [
    ("no fixed abode - moves around", None),
    ("on the streets", "street"),
    ("rough sleeping, no fixed pitch", "street"),
    ("moving about", None),
    ("at the hostel", "service"),
    ("hostel - didn't say which", "service"),
    ("in a tent somewhere", "park"),
    ("sleeping on night buses", "transit"),
    ("in a doorway", "shop"),
    ("under a bridge", "street"),
    ("at the soup run", "church"),
    ("in the park", "park"),
    ("outside a shop", "shop"),
    ("by the river", None),
    ("day centre, not named", "service"),
    ("in an underpass", "civic"),
    ("a car park stairwell", "street"),
    ("bin store", "street"),
    ("begging, no fixed spot", None),
    ("walking about all night", None),
    ("outside a station", "station"),
    ("on a bench", "park"),
]
# someone else's home (level home), with the sort
OTHER_HOMES = [
    ("friend's flat", None),
    ("mate's floor, sofa surfing", None),
    ("a squat, address unknown", None),
    ("squat he stays at", None),
    ("girlfriend's flat", None),
    ("sister's house, sleeping on sofa", None),
    ("a dealer's flat", "street"),
    ("someone's flat, a party", None),
    ("another resident's room", "service"),
    ("ex-partner's house", None),
    ("cuckooed flat, not his", "street"),
]

# --- names as written -------------------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|cic|c\.i\.c)\.?\s*$")


def _plain(name: str) -> str:
    """A gazetteer name as someone types it: bracketed parts gone (when letters are left), company suffixes
    gone, commas and full stops after "St" as spaces; a name held in capitals in ordinary case, "'S" as
    "'s"."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name.replace("(", " ").replace(")", " ")
    s = " ".join(s.replace(",", " ").split())
    for _ in range(3):
        s = _SUFFIX.sub("", s).strip()
    s = s or " ".join(name.split())
    s = re.sub(r"\b(St)\.\s*", r"\1 ", s).strip()
    if s.isupper():
        keep = ("YMCA", "DLR", "RC", "CE")
        s = " ".join(w if w in keep else w.capitalize() for w in s.split())
    return re.sub(r"(?<=[A-Za-z])['’]S\b", "'s", s)


def _station_name(name: str) -> str:
    """A station's name as said: no bracketed part, network tag or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)$", "", s)
    if not re.search(r"(?i)\b(?:power|bus|coach) station$", s):
        s = re.sub(r"(?i)\s+(?:lu|nr|el|ell|lo|dlr|rail station|railway station|station|stn)$", "", s.strip())
    return _plain(" ".join(s.split()))


def _network(source: str, network: str | None, lines: str | None, name: str) -> str:
    """Which of STN_WORD people say after a station."""
    known = {"London Underground": "tube", "London Overground": "overground", "DLR": "dlr",
             "Tramlink": "tram", "TfL Rail": "lizzy", "Elizabeth line": "lizzy"}
    for v in (network, (lines or "").strip()):
        if v in known:
            return known[v]
    low = name.lower().strip()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if re.search(r"\btram", low):
        return "tram"
    if low.endswith(" lu"):
        return "tube"
    return "rail" if source == "naptan_rail" or low.endswith(" nr") else "any"


def _line_of(lines: str | None, network: str | None, rng: random.Random) -> str | None:
    """One of an Underground station's own lines, or None."""
    if network != "London Underground":
        return None
    got = [x.strip() for x in (lines or "").split(",")]
    got = [x for x in got if x and x.lower() != "n/a" and re.fullmatch(r"[A-Za-z& ]+", x)]
    return rng.choice(got) if got else None


def _letters(name: str) -> str:
    """A name as lower-case letters and digits ("the" in front left off)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?i)^the\s+", "", name).lower())


def _spot_sort(name: str) -> str | None:
    """What a place is to someone on the streets, by the words of its name (SPOT_SORTS), or None (also when
    no word of it tells it from others of its sort)."""
    words = re.findall(r"[a-zé0-9']+", name.lower())
    if NOT_A_SPOT.search(name) or not any(w.replace("'", "") not in _GENERIC for w in words):
        return None
    return next((sort for sort, pat in SPOT_SORTS if pat.search(name.strip())), None)


def _trade_sort(business: str | None) -> str | None:
    """A food premises by its business type: a shop or an eatery (a takeaway, café or restaurant), a pub,
    else None."""
    b = (business or "").lower()
    if "retail" in b:
        return "shop"
    if "takeaway" in b or "restaurant" in b:
        return "eatery"
    if "pub" in b:
        return "pub"
    return None


_WARD_BAD = ["and", "with", "ward", "north", "south", "east", "west", "central", "road", "street", "lane",
             "station", "hospital", "park", "common", "green", "town", "village", "estate", "gardens",
             "square", "market", "docks", "place", "end", "hill", "fields", "heath", "grove", "st", "vale",
             "riverside", "upper", "lower", "junction", "wood", "bridge", "church", "abbey"]
_WARD_BAD_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_BAD) + r")\b", re.I)
_WARD_BAD_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_BAD) + r")\M"
_STREET_END = (r"(road|street|lane|avenue|grove|gardens|crescent|terrace|square|close|drive|walk|row|way|"
               r"place)$")


def _street_ok(name: str) -> bool:
    """A street name someone would bed down on (not a campus entry or a long compound)."""
    return " - " not in name and len(name.split()) <= 4 and not re.search(
        r"(?i)\b(school|campus|college|hospital|estate|university|depot|station|market|church)\b", name
    )


def _ward_ok(name: str | None) -> bool:
    """A ward name people use for a patch (and no other kind of place)."""
    return bool(name) and not _WARD_BAD_RE.search(name) and len(name.split()) <= 3


# --- how letters come out damaged -------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _beside_keys(c: str) -> list[str]:
    """The keys to the left and right of a letter's key on a laptop keyboard."""
    low = c.lower()
    for row in _ROWS:
        if low in row:
            i = row.index(low)
            out = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            return [k.upper() if c.isupper() else k for k in out]
    return []


# a word spelt the way the patient said it: (letters, as written); never at the start of a word
AS_SAID = [("ey", "ee"), ("oo", "u"), ("ck", "c"), ("our", "ur"), ("ie", "y"), ("mb", "m"), ("tch", "ch"),
           ("gh", "g"), ("ere", "ear"), ("ay", "ai")]


def _beside(rng: random.Random, word: str) -> str:
    """One letter (never the first) typed as the key beside it."""
    spots = [i for i in range(1, len(word)) if _beside_keys(word[i])]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + rng.choice(_beside_keys(word[i])) + word[i + 1 :]


def _sticky(rng: random.Random, word: str) -> str:
    """One letter (never the first) typed twice."""
    spots = [i for i in range(1, len(word)) if word[i].isalpha()]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + word[i] + word[i + 1 :]


def _single(rng: random.Random, word: str) -> str:
    """A double letter (not at the start) typed once."""
    spots = [i for i in range(1, len(word) - 1) if word[i].lower() == word[i + 1].lower()]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def _as_said(rng: random.Random, word: str) -> str:
    """One letter group (never at the start) spelt the way it was said (AS_SAID)."""
    options = [(m.start(), was, now) for was, now in AS_SAID for m in re.finditer(was, word.lower())
               if m.start() >= 1]
    if not options:
        return word
    i, was, now = rng.choice(options)
    if word.isupper():
        now = now.upper()
    return word[:i] + now + word[i + len(was) :]


def _slip(rng: random.Random, word: str) -> str:
    """One slip in a word of four letters or more (letters only), the first letter kept; the word itself
    when no slip fits it."""
    if len(word) < 4 or not word.isalpha():
        return word
    kinds = list(SLIP_MIX)
    first = rng.choices(kinds, weights=[SLIP_MIX[k] for k in kinds])[0]
    for kind in [first] + [k for k in kinds if k != first]:
        new = {"beside": _beside, "sticky": _sticky, "single": _single, "said": _as_said}[kind](rng, word)
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


@dataclass
class Said:
    """A name or code in a text: as written, as meant, and whether letters of it were damaged."""

    shown: str
    meant: str
    hurt: bool = False


def _slippable(words: list[str]) -> list[int]:
    """The words a slip may fall on: four letters or more, not a word that may be left off, not a short
    street word."""
    return [i for i, w in enumerate(words)
            if len(w) >= 4 and w.isalpha() and w.lower() not in OFF_WORDS and w.lower() not in _CUTS]


def _write(
    rng: random.Random,
    name: str,
    cls: str,
    street: bool = False,
    service: bool = False,
    slip: bool = True,
) -> Said:
    """A name as written in the record: plain, apostrophes maybe gone, "and" maybe "+" or "&", a "The" in
    front maybe dropped, a street's last word maybe cut (STREET_CUT), a service's "Day Centre" / "Drop In"
    end maybe left off (``service``: SERVICE_ENDS); with ``slip`` (the truth's own name) maybe one word
    damaged (SLIP_P)."""
    s = _plain(name)
    if rng.random() < NO_APOS_P:
        s = re.sub(r"['’`]", "", s)
    if rng.random() < PLUS_P:
        s = re.sub(r"\b[Aa]nd\b", rng.choice(["+", "&"]), s)
    s = " ".join(s.replace("&", " & ").replace("+", " + ").split())
    if service and rng.random() < END_OFF_P:
        for pat in SERVICE_ENDS:
            if pat.search(s) and pat.sub("", s).strip():
                s = pat.sub("", s).strip()
                break
    if rng.random() < NO_THE_P and re.match(r"(?i)the\s+\S+\s+\S", s):
        s = s[4:]
    words = s.split()
    if street and len(words) > 1 and rng.random() < CUT_P:
        cut = STREET_CUT.get(words[-1].lower())
        if cut:
            words[-1] = rng.choice([cut, cut.capitalize(), cut.upper()])
    meant = " ".join(words)
    spots = _slippable(words)
    if slip and spots and rng.random() < SLIP_P[cls]:
        i = rng.choice(spots)
        for _ in range(6):  # a slip that gives the street word's short form is none
            new = _slip(rng, words[i])
            if new.lower() != STREET_CUT.get(words[i].lower()):
                words[i] = new
                break
    shown = " ".join(words)
    return Said(shown, meant, shown != meant)


# a digit typed as the key beside it on a keyboard's top row
TOP_ROW = {"1": "2", "2": "3", "3": "2", "4": "5", "5": "4", "6": "7", "7": "6", "8": "9", "9": "8",
           "0": "9"}


def _write_code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Said:
    """A postcode unit / sector / district as written (mostly capitals; a unit's space now and then left
    out); the primary one maybe with one thing wrong: a unit's last two letters typed the other way round
    (when they differ), a sector's inward digit or a district's digit typed as the top-row key beside it
    (TOP_ROW)."""
    s = code.upper() if rng.random() < 0.78 else code.lower()
    parts = s.split()
    if cls == "postcode" and len(parts) == 2 and rng.random() < 0.25:
        s = parts[0] + parts[1]
    if not slip or rng.random() >= SLIP_P[cls]:
        return Said(s, s)
    flat = [i for i, c in enumerate(s) if c != " "]
    if cls == "postcode":
        i, j = flat[-2], flat[-1]
        if s[i] == s[j] or not (s[i].isalpha() and s[j].isalpha()):
            return Said(s, s)
        return Said(s[:i] + s[j] + s[i] + s[j + 1 :], s, True)
    if cls == "sector":
        spots = [flat[-1]] if s[flat[-1]] in TOP_ROW else []
    else:
        spots = [i for i in flat[1:] if s[i].isdigit()]
    if not spots:
        return Said(s, s)
    i = rng.choice(spots)
    return Said(s[:i] + TOP_ROW[s[i]] + s[i + 1 :], s, True)


# --- a text -----------------------------------------------------------------------------------------------


def _parts(form: str, names: dict[str, Said], plain: dict[str, str]) -> list[str | Said]:
    """A template as parts: its {x} slots filled from ``names`` (kept as Said) and ``plain``."""
    out: list[str | Said] = []
    for piece in re.split(r"(\{[a-z]+\})", form):
        if not piece:
            continue
        slot = piece[1:-1] if piece.startswith("{") else None
        if slot in names:
            out.append(names[slot])
        elif slot is not None:
            out.append(plain.get(slot, ""))
        else:
            out.append(piece)
    return out


# who may pass on an answer that is no place: the patient, a friend or partner, the crew, the outreach team
_NO_PLACE_FROM = [(w, own, None) for w, own, _ in SAID_BY
                  if own or re.match(r"(?i)LAS|ambulance|outreach|street outreach|police", w)]
_NAMES_SOURCE = re.compile(r"(?i)\b(pt|pt's|outreach|referral)\b")


def _num(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(low, high))


def _record(
    rng: random.Random,
    parts: list[str | Said],
    sort: str | None,
    place: bool = True,
    source: bool = True,
) -> tuple[str, bool]:
    """The location field as recorded: maybe a hedge (a place only), what the patient is (by ``sort``),
    who or what it came from (with ``source``; the patient's words maybe quoted), when, substances, a
    reference number, what happened (by ``sort``); in the writer's case of the moment. Returns the text and
    ``typo`` (letters of a name or code in it damaged)."""
    body = " ".join("".join(p.shown if isinstance(p, Said) else p for p in parts).split())
    typo = any(isinstance(p, Said) and p.hurt for p in parts)
    if place and rng.random() < NOT_SURE_P:
        body = rng.choice(NOT_SURE).format(body)
    if sort and rng.random() < STATUS_P:
        who = rng.choice(STATUS[sort])
        if rng.random() < STATUS_FIRST_P:
            body = rng.choice(STATUS_BEFORE).replace("{r}", who) + body
        else:
            body += rng.choice(STATUS_AFTER).replace("{r}", who)
    r = rng.random()
    if not source or (not place and _NAMES_SOURCE.search(body)):
        r = 1.0  # it already says where it came from (or it is this department's own note)
    if r < SAID_BY_P:
        pool = [(w, own) for w, own, sorts in (SAID_BY if place else _NO_PLACE_FROM)
                if sorts is None or sort in sorts]
        who, own = rng.choice(pool)
        if own and rng.random() < QUOTED_P:
            q = rng.choice(['"', "'"])
            body = q + body + q
        body = who + body
    elif r < SAID_BY_P + SAID_AFTER_P:
        body += rng.choice([w for w, sorts in SAID_BY_AFTER if sorts is None or sort in sorts])
    if rng.random() < WHEN_P:
        body += rng.choice(WHEN)
    if rng.random() < USING_P:
        body += rng.choice(USING)
    if rng.random() < REF_P:
        body += rng.choice(REFS).replace("{k}", _num(rng, 100, 999_999))
    if rng.random() < HOW_P:
        body += rng.choice(HOW + (WHO_DID[sort] if sort else []))
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
    if rng.random() < MARK_P:
        body += rng.choice([" ...", " !!", ";"])
    return " ".join(body.split()), typo


@dataclass
class Around:
    unit: str | None
    district: str | None
    borough: str | None
    station: str | None


def _around(conn, x: float, y: float, srid: int) -> Around:
    """The postcode unit nearest (x, y), its district, its borough's name and the station within 400 m."""
    point = f"ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)})"
    row = conn.execute(
        "SELECT p.display, p.district, (SELECT f.name FROM gazetteer.feature f WHERE f.kind = 'borough' "
        "AND f.source_key = p.borough_code ORDER BY f.feature_id LIMIT 1) FROM gazetteer.postcode p "
        f"ORDER BY p.geom <-> {point}, p.postcode LIMIT 1",
        (x, y),
    ).fetchone()
    stn = conn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        f"AND ST_DWithin(geom, {point}, 400) ORDER BY geom <-> {point}, feature_id LIMIT 1",
        (x, y, x, y),
    ).fetchone()
    unit, district, borough = row if row else (None, None, None)
    return Around(unit, district, borough, _station_name(stn[0]) if stn else None)


def _locate(rng: random.Random, a: Around, p: float = AROUND_P, station: bool = True) -> str:
    """Where a place is, said after it with chance ``p`` (the station by it or the district mostly, now and
    then the borough or the postcode), or nothing."""
    if rng.random() >= p:
        return ""
    have = {"s": a.station if station else None, "d": a.district, "b": a.borough, "u": a.unit}
    choice = rng.choices(["s", "d", "b", "u"], weights=(0.3, 0.3, 0.2, 0.2))[0]
    if not have[choice]:
        choice = "d"
    if not have[choice]:
        return ""
    return rng.choice(AROUND[choice]).replace("{" + choice + "}", have[choice])


def _not_again(name: str, where: str) -> str:
    """``where`` when it shares no word with the place's name (so no name is said twice), else ""."""
    def words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower().replace("'", "")) if len(w) >= 3}

    return "" if words(name) & words(where) else where


# --- the family -------------------------------------------------------------------------------------------

# the venues of each sort wanted, as shares of the venue class
SORT_SHARE = {"service": 0.22, "church": 0.14, "transit": 0.07, "civic": 0.12, "park": 0.1, "pub": 0.13,
              "shop": 0.12, "eatery": 0.1}


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``outreach`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.3, none_placed=0.06, nearest=0.82, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700
    # names a venue must not be left with (it would name another place: a station, a street, a ward ...)
    taken = {
        _letters(_station_name(r[0]))
        for r in conn.execute("SELECT name FROM gazetteer.feature WHERE level <> 'venue' OR kind = 'station'")
    }

    def add(cls, level, parts, sort, x=None, y=None, fid=None, site="near", place=True, source=True):
        text, typo = _record(rng, parts, sort, place=place, source=source)
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name no other venue has, by what they are to someone on the streets.
    want = {s: round(k["venue"] * p) for s, p in SORT_SHARE.items()}
    want["shop"] += k["venue"] - sum(want.values())
    pool: dict[str, list[tuple]] = {s: [] for s in want}
    spare: list[tuple[str, tuple]] = []
    for kind in ("landmark", "park", "pub", "venue"):
        for row in truths.unique_venues(conn, salted, kind, 100_000, CHAINS, max_name=40):
            name = _plain(row[1])
            if _letters(name) in taken:
                continue
            if kind == "pub":
                sort = None if _FOOD_NOT.search(name) or NOT_A_SPOT.search(name) else "pub"
            elif kind == "park":
                sort = "park" if _PARK_OK.search(name) and not NOT_A_SPOT.search(name) else None
            else:
                sort = _spot_sort(name)
                if sort == "transit" and kind != "landmark":
                    sort = None
            if sort is None and kind == "venue" and not _FOOD_NOT.search(name) and len(name.split()) >= 2 \
                    and not NOT_A_SPOT.search(name):
                sort = _trade_sort(row[5])
            if sort is None:
                continue
            if len(pool[sort]) < want[sort]:
                pool[sort].append(row)
            elif len(spare) < k["venue"]:
                spare.append((sort, row))
    rows = [(s, r) for s in want for r in pool[s]]
    rows += spare[: k["venue"] - len(rows)]  # a small gazetteer: more of the sorts it has
    for sort, (fid, name, _kind, x, y, _business) in rows:
        rest = _plain(name)
        for pat in SERVICE_ENDS:
            rest = pat.sub("", rest)
        service = sort == "service" and _letters(rest) not in taken and len(_letters(rest)) >= 5 \
            and _spot_sort(rest + " Day Centre") == "service"
        v = _write(rng, name, "venue", service=service)
        parts = _parts(rng.choice(SPOT_FORMS[sort]), {"v": v}, {"n": _num(rng, 1, 40)})
        parts.append(_not_again(name, _locate(rng, _around(conn, x, y, srid))))
        add("venue", "venue", parts, sort, x, y, fid)

    # Chains: an outlet of a brand with four or more; some texts say which (its street, the station by it,
    # the neighbourhood or the district). The chain's name is picked after the template.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        kind = CHAIN_KIND.get(brand, "shop")
        r = rng.random()
        if r < 0.2 and stn:
            cls, form = "chain", rng.choice(CHAIN_STATION)
            names = {"s": Said(_station_name(stn), _station_name(stn))}
        elif r < 0.44 and street and not re.search(r"[0-9,()/]", street) \
                and re.search(_STREET_END, street, re.I):
            cls, form = "chain", rng.choice(CHAIN_STREET)
            names = {"w": _write(rng, street, "chain", street=True, slip=False)}
        elif r < 0.52 and _ward_ok(ward):
            cls, form = "chain", rng.choice(CHAIN_WARD)
            names = {"a": _write(rng, ward, "chain", slip=False)}
        elif r < 0.58 and district:
            cls, form = "chain", rng.choice(CHAIN_DISTRICT)
            names = {"d": _write_code(rng, district, "district", slip=False)}
        else:
            cls, form, names = "chain, no locality", rng.choice(CHAIN_SOLO[kind]), {}
        forms = CHAIN_WORDS.get(brand, [brand.title()])
        if form.startswith("the ") or "{a} {c}" in form or "{w} {c}" in form:
            forms = [f for f in forms if not f.lower().startswith("the ")] or forms
        said = rng.choice(forms)
        words = said.split()
        shown = list(words)
        if rng.random() < SLIP_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                shown[i] = _slip(rng, shown[i])
        names["c"] = Said(" ".join(shown), said, shown != words)
        add(cls, "venue", _parts(form, names, {}), kind, x, y, fid)

    # Hospitals where they were sleeping or sheltering: about a quarter are this department's own notes,
    # naming no hospital (the truth is the reporting site).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 4)):
        add("hospital", "venue", [rng.choice(HERE_IN_ED)], "hospital", x, y, fid, site=code, place=False,
            source=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        h = _write(rng, name, "hospital")
        add("hospital", "venue", _parts(rng.choice(HOSPITAL_FORMS), {"h": h}, {}), "hospital", x, y, fid)

    # Stations: the word people say for it (or none), now and then the line.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        s = _write(rng, _station_name(name), "station")
        m = rng.choice(STN_WORD[_network(source, net, lines, name)] + STN_WORD["any"])
        line = _line_of(lines, net, rng)
        form = rng.choice(LINE_FORMS) if line and rng.random() < 0.2 else rng.choice(STATION_FORMS)
        parts = _parts(form, {"s": s}, {"m": m, "n": _num(rng, 1, 12), "l": line or ""})
        if rng.random() < 0.25:
            parts.append(_not_again(name, _locate(rng, _around(conn, x, y, srid), station=False)))
        add("station", "venue", parts, "station", x, y, fid)

    # Streets to bed down on: a point of the street, now and then with where the street is.
    streets = truths.street_points(conn, salted, _STREET_END, k["street"] + k["street"] // 3 + 5)
    streets = [r for r in streets if _street_ok(r[1])][: k["street"]]
    for fid, name, _district, _namesakes, ward, x, y in streets:
        st = _write(rng, name, "street", street=True)
        parts = _parts(rng.choice(STREET_FORMS), {"st": st}, {"n": _num(rng, 1, 200)})
        r = rng.random()
        if r < 0.1 and _ward_ok(ward):
            where = rng.choice([", ", " -- ", " nr "]) + _write(rng, ward, "area", slip=False).shown
            parts.append(_not_again(name, where))
        elif r < 0.3:
            parts.append(_not_again(name, _locate(rng, _around(conn, x, y, srid), 1.0)))
        add("street", "street", parts, "street", x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_write(rng, piece.strip(), "junction", street=True) for piece in name.split("/"))
        add("junction", "junction", _parts(rng.choice(JUNCTION_FORMS), {"a": a, "b": b}, {}), "street", x, y)

    def same_point(col: str, code: Said, x: float, y: float) -> Said:
        """A wrong code that is another real code of the truth's own point is no slip."""
        hit = code.hurt and conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM gazetteer.postcode WHERE replace(upper({col}), ' ', '') = %s "
            "AND ST_X(geom) = %s AND ST_Y(geom) = %s)",
            (code.shown.upper().replace(" ", ""), x, y),
        ).fetchone()[0]
        return Said(code.meant, code.meant) if hit else code

    # Postcodes, sectors and districts (off a referral, a shift log, a hostel's address).
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        p = same_point("display", _write_code(rng, display, "postcode"), x, y)
        add("postcode", "postcode", _parts(rng.choice(POSTCODE_FORMS), {"p": p}, {}), None, x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        p = same_point("sector", _write_code(rng, sector, "sector"), x, y)
        add("sector", "sector", _parts(rng.choice(SECTOR_FORMS), {"p": p}, {}), None, x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        d = same_point("district", _write_code(rng, district, "district"), x, y)
        add("district", "district", _parts(rng.choice(DISTRICT_FORMS), {"d": d}, {}), None, x, y)

    # Patches someone moves about in: wards; a random point inside.
    drawn = truths.ward_points(conn, salted, _WARD_BAD_PG, SEED % 7919, k["area"] * 4)
    for fid, name, x, y in [w for w in drawn if _ward_ok(w[1])][: k["area"]]:
        a = _write(rng, name, "area")
        add("area", "area", _parts(rng.choice(AREA_FORMS), {"a": a}, {}), "street", x, y, fid)

    # No place: own home, unknown, non-places (one in three someone else's home).
    for _ in range(k["home"]):
        add("home", "home", [rng.choice(HOME_TEXTS)], None, place=False)
    for _ in range(k["unknown"]):
        add("unknown", "none", [rng.choice(UNKNOWN_TEXTS)], None, place=False)
    for i in range(k["nonplace"]):
        if i % 3 == 1:
            text, sort = rng.choice(OTHER_HOMES)
            add("nonplace", "home", [text], sort, place=False)
        else:
            text, sort = rng.choice(NONPLACE_TEXTS)
            add("nonplace", "none", [text], sort, place=False)
    rng.shuffle(out)
    return out
