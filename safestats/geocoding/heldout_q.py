"""A seventeenth held-out family of labelled assault locations, ``worker``: the location field of assault
records of people assaulted WHILE AT WORK in London -- shop and supermarket staff, security guards, door staff
and stewards, bus drivers, station and train staff, delivery riders, couriers and postal workers, taxi and
private-hire drivers, NHS staff (including this emergency department's own), carers, council officers (parking
enforcement, housing, wardens, libraries and leisure centres), hospitality staff and engineers on call-outs.
The location is recorded at A&E reception from the patient's own words, passed on by a colleague, a line or
duty manager, occupational health, the police or the crew, or copied from the employer's incident form (Datix
for NHS staff, RIDDOR and in-house forms elsewhere) with the store number, job or form reference, the shift
and the job itself. Workers name where it happened the way their work does: the workplace by its employer and
branch (the street, the station or the neighbourhood the branch is known by), the ward or department of the
hospital they work in (often without the word "Hospital"), the station they staff with the network tag staff
write, the customer's street and house number off a delivery or job, the job sheet's postcode or only its
start, a round or a beat; and many answers name no place (a moving bus, taxi or van, "on shift", a customer's
house, refused, see the incident form).

Written 2026-12-08 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 00:30:54 UTC and finished 00:58:01 UTC (``date -u``). What was read to write it: the brief
(/work/scratch/helper_prompt.md, the only file read under /work/scratch); the whole of ``heldout_p.py`` (lines
1-1279, as the model for STRUCTURE only: truths drawn through ``truths.py``, the reporting site through
``sites.py``, the class shares, the ``typo`` semantics, the dataclass returned, ``generate(conn, n)`` and the
docstring's record; none of its phrase lists, templates, brand forms, nicknames, abbreviations, non-place
labels or noise rules were taken over); the whole of ``truths.py`` (1-167) and ``sites.py`` (1-37);
tests/geocoding/test_heldout_visitor.py (1-632), tests/geocoding/heldout_checks.py (1-78) and
tests/geocoding/conftest.py (1-74) in full (the model for this family's test file); from ``independent.py``
the names only of its module-level assignments (``grep -oE`` of ``^NAME =``, names printed, not their values)
and a ``grep -n`` for ``class IndependentExample``, ``^CHAINS`` and ``def _clean_name`` (printing those three
lines, the first of the CHAINS tuple among them), then the field names and types of ``IndependentExample``
(``dataclasses.fields``) and the value of ``CHAINS`` printed by Python -- ``_clean_name`` is not used here;
from ``heldout_o.py`` the names only of its module-level assignments (the same ``grep -oE``); the ``FAMILY`` /
``SEED`` lines of heldout.py, heldout_b.py .. heldout_p.py and independent.py (a ``grep -n`` for lines
starting FAMILY or SEED, which also matched one docstring line of each of six of them, and independent.py's
``SEEDS`` line); the pytest and ruff settings of pyproject.toml (lines 33-52, grep with context); directory
listings of safestats/geocoding/ and tests/geocoding/. From the development gazetteer, read-only (psql with
``default_transaction_read_only``; this module's own queries): counts of gazetteer.feature by kind and level
and in all (87,917 features throughout), counts of gazetteer.postcode and health.ae_site, the columns of
gazetteer.feature, 70 random landmark names, the borough names, the postcode districts starting N, 30 random
hospital names, counts of landmark names by their last word, counts of food premises by business type, 40
random landmark names ending in centre, estate, library or market, 25 random stations with their source,
network and lines, and 30 random ward names; and this module's own output (``generate(conn, 900)`` on the
development gazetteer, about 30 s; a few hundred texts looked at beside their truths' names, with throw-away
scripts of this session's own under /tmp). This family's test file imports heldout_o's and heldout_p's
module-level lists and independent.py's no-place, unknown, home, station-word and road-abbreviation lists only
to check that none of them was taken over; when those checks first failed, their messages named coincidences
that were all rewritten: chain forms (three nicknames of one brand in turn, and forms of Greggs, Pret,
Wetherspoon, Domino's and Boots), six templates (four chain ones: two with a street, one with a station, one
with a ward; one estate form; one district form after a place), one no-place phrase, one unknown phrase, two
station words and one workplace-sort pattern equal to heldout_p's; the street abbreviations, which shared ten
pairs with heldout_o's (the failure message printed most of heldout_o's abbreviation dictionary), were
rewritten to the less usual forms below; and the message of the generic-word check printed part of heldout_o's
droppable-word set, after which this family's unsaid words were cut to "the" and "Hospital". Not read:
anything under db/, docs/, README.md, safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt,
diagnose.py, calibration.py, labelled.py, batch.py, heldout.py and heldout_b.py .. heldout_o.py beyond their
FAMILY / SEED lines and heldout_o's list names, the rest of independent.py, tests/geocoding/test_geocoder*,
the other tests/geocoding/test_heldout_*.py files, tests/conftest.py, the rest of /work/scratch, /tmp files
this session did not make, the git history. Every phrase, template, brand form, nickname, abbreviation and
noise rule below was written fresh for this module (street-word short forms such as "rd" or "st", bare
templates such as "{v}", a brand's bare name and generic words such as "station" inevitably coincide with
other families'). The geocoder was never run on these texts (no call of safestats.geocode or of any geocode*
SQL function, no ``make eval-geocoder``, no evaluation module); the only things run were this module's
``generate``, its own test file tests/geocoding/test_heldout_worker.py (also with this module deliberately
broken for a moment, once for each of its eight tests, to see each fail, then restored) and ``ruff check``.

Style. One location field: the place as a worker or the employer says it -- a workplace by the work done there
(``VENUE_FORMS`` by sort: behind the bar or on the door of a pub or bar, the kitchen or floor of a restaurant,
the counter of a takeaway, the till or stockroom of a shop; of the gazetteer's landmarks, theatres and venues,
grounds, museums and libraries, leisure and health centres, shopping centres and markets, hotels, housing
estates and parks: ``WORK_SORTS``), a chain branch by the chain's name as staff and forms write it
(``CHAIN_NAMES``; a company or old name is a nickname), a hospital with a ward, unit or part of it, this
department itself in its own staff's words (``THIS_DEPT``), a station with the network tag staff write
(``STATION_WORDS``) and the part of the station they work in, now and then the Underground line; a street as a
delivery, job, round, fare or parking patrol puts it (``STREET_FORMS``, each with the jobs that say it); a bus
stop by its two streets; a job sheet's postcode, its start, a district round; a ward as a patch or beat -- now
and then with where the place is after it (``AROUND_FORMS``: the station within 400 m, the district, the
council or the nearest postcode unit; a street's own ward; a chain's street, station within 400 m, ward or
district). Names as written: capitals of the gazetteer in ordinary case, bracketed parts and company suffixes
gone, apostrophes now and then left out, "and" / "&" swapped, a street's last word abbreviated
(``STREET_ABBR``, capitalised, with a full stop or in capitals), a hospital's "Hospital" left off in a text
naming a ward or unit (only when what is left is the name of no gazetteer feature but a hospital, and is more
than one word and no bare "General", "Memorial" ...). A chain's name is chosen after the template so a word
for an outlet ("branch", "store" ...) is said once at most. Then the record: maybe a hedge (``HEDGES``), a
store or branch number (``STORE_REFS``), the patient's job (``ROLES`` by the kind of work, before or after the
place; for a street or no-place text one of the jobs that say it) and sometimes the employer (``EMPLOYERS``,
no premises of theirs), who or what it came from (``SOURCES`` before, each with the kinds of work whose
records it comes in; ``SOURCES_AFTER``; the patient's own words then sometimes in quotes; for a no-place
answer only the patient, a colleague, occupational health, the police or the crew; none for this department's
own staff), the shift (``SHIFT_NOTES``), a form or job reference (``REFS``), what happened and by whom
(``HOW``, ``BY_WHOM``; never a place), the writer's case of the moment (as typed, all lower, capitals -- more
often than elsewhere, forms --, every word capitalised) and a mark at the end now and then. Roles, employers
and references are part of the channel: a text may say "courier for DPD" or carry a seven-digit reference, and
the label stays the place. The no-place texts: the patient's own home (level home: off duty, living on site,
working from home), a customer's, client's or patient's dwelling where the patient was working (level home,
one in three non-places), unknown (refused, an agency worker who does not know the site, not on the form;
level none) and non-places (in a moving bus, taxi or van, on shift, at work, see the incident form or Datix,
the depot or staff room of no named workplace; level none). No text names a second place other than the
truth's own locality or a station's line.

Labels. Classes and levels as in the other held-out families: workplaces with a unique name (landmarks people
work at, pubs, parks and food premises; level venue), chain branches with a locality ("chain") and without
("chain, no locality"), hospitals (about a quarter "this department" texts of its own staff naming no
hospital, whose truth is the reporting site itself), stations, street points, junctions (a bus stop named
after two streets), postcode units, sectors, districts, wards (level area), home, unknown and non-places.
Truths and reporting sites are drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by an
md5 salted with this family's FAMILY and SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (either street of a
junction), of a chain's name or nickname, or of the primary postcode / sector / district were damaged: (a) one
slip in one word of four letters or more (``SLIP_P`` by class; its kind by ``SLIP_KINDS``): a thumb on the key
beside the right one in its keyboard row (a letter replaced), a key that stuck or did not repeat (a single
letter doubled, a double letter typed once), or a letter group of a handwritten incident form copied as the
group it looks like (``HANDWRITING``); never the first letter, never an unsaid word or an abbreviation, and
never a slip that happens to give the street word's abbreviation; (b) a code copied off a handwritten form
with one character taken for one that looks like it in handwriting (``HAND_CODE``: a character of a unit's
inward code, a sector's inward digit, a digit of a district) -- unless what was written is another real code
of the truth's own point. Not typos: case, apostrophes, "&" for "and", abbreviations, "Hospital" left off, a
chain's other forms or nickname, a postcode's space left out, quotes, hedges, roles, employers, sources,
shifts, references, store numbers, what happened, an end mark. A locality said after a place never slips.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "worker"
SEED = 4_093_517

SHARES = {
    "venue": 0.12,
    "chain": 0.15,
    "hospital": 0.12,
    "station": 0.11,
    "street": 0.11,
    "junction": 0.03,
    "postcode": 0.06,
    "sector": 0.04,
    "district": 0.03,
    "area": 0.03,
    "home": 0.04,
    "unknown": 0.06,
    "nonplace": 0.10,
}

# the chance one word of the place's own name (or one character of the primary code) came out damaged, by
# class: a finger or thumb slip of whoever typed it, or a letter misread off a handwritten incident form
SLIP_P = {
    "venue": 0.06,
    "chain": 0.04,
    "hospital": 0.05,
    "station": 0.05,
    "street": 0.09,
    "junction": 0.08,
    "postcode": 0.09,
    "sector": 0.07,
    "district": 0.05,
    "area": 0.06,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
# how a damaged word came out: a thumb on the key beside the right one in its row, a key that stuck or did
# not repeat, or a letter copied from a handwritten form as the letters it looks like
SLIP_KINDS = {"thumb": 0.4, "sticky": 0.3, "hand": 0.3}

NO_APOS_P = 0.35  # apostrophes of a name left out
AMP_P = 0.15  # "and" written "&" (or "&" written "and")
ABBREV_P = 0.45  # the street word at the end of a street's name abbreviated (STREET_ABBR)
UNSAID_P = 0.35  # "Hospital" left off by the people who work there (ENDINGS)
AROUND_P = 0.28  # where the workplace is (station, district, council, site postcode), after it
HEDGE_P = 0.05  # the name not certain
SOURCE_P = 0.36  # who or what the location came from, before it
SOURCE_AFTER_P = 0.1  # ... or after it
QUOTE_P = 0.25  # the patient's own words in quotes
ROLE_P = 0.32  # the patient's job
ROLE_FIRST_P = 0.3  # ... written before the place rather than after
EMPLOYER_P = 0.4  # the employer after the job (where the job has employers in EMPLOYERS)
SHIFT_P = 0.14  # a note of the shift
REF_P = 0.1  # a reference number of a form or job
STORE_P = 0.25  # a chain's store / branch number
EVENT_P = 0.22  # what happened (and who did it)
CASE = {"typed": 0.52, "lower": 0.18, "caps": 0.22, "title": 0.08}
END_P = 0.06  # a mark at the end of the field

# --- how the people at work write names ---------------------------------------------------------------------

# the street word at the end of a street name, as written on incident forms and job sheets
STREET_ABBR = {
    "road": "rd",
    "street": "st",
    "avenue": "avn",
    "lane": "lne",
    "gardens": "gds",
    "crescent": "crs",
    "terrace": "tce",
    "grove": "gv",
    "close": "cls",
    "mews": "mws",
    "hill": "hl",
}
_ABBRS = set(STREET_ABBR.values())

# the generic words of a workplace's name that the people who work there leave off (never slipped on)
UNSAID = {"the", "hospital"}
ENDINGS = [re.compile(r"(?i)\s+hospital$")]

# workplaces among the gazetteer's landmarks, by what work is done there: the name ends so
WORK_SORTS = [
    ("stage", re.compile(r"(?i)\b(theatre|cinema|odeon|picturehouse|concert hall|albert hall|opera house|"
                         r"arts centre|arena|apollo|empire)$")),
    ("ground", re.compile(r"(?i)\b(stadium|football ground|cricket ground|sports ground|racecourse)$")),
    ("collection", re.compile(r"(?i)\b(museum|gallery|palace|library|archives)$")),
    ("leisure", re.compile(r"(?i)\b(leisure centre|sports centre|swimming pool|baths|lido|community centre|"
                           r"health centre|medical centre|civic centre|town hall)$")),
    ("mall", re.compile(r"(?i)\b(shopping centre|shopping city|market|retail park)$")),
    ("hotel", re.compile(r"(?i)\b(hotel|hostel|aparthotel)$")),
    ("housing", re.compile(r"(?i)\b(estate)$")),
    ("park", re.compile(r"(?i)\b(park|gardens|common|cemetery|recreation ground)$")),
]
NOT_WORK = re.compile(
    r"(?i)\b(station|stn|stop|bus|tram|roundabout|corner|police|prison|court|crematorium|hosp|hospital|"
    r"church|mosque|temple|synagogue|chapel|trading|industrial|business|depot|garage|school|college|academy|"
    r"university|nursery|caravan|farm|golf|memorial|road|street|lane|avenue|way|house|office|works|"
    r"cottages|reserve|lodge)\b|[<>&0-9]|\b(?:" + "|".join(CHAINS) + r")\b"
)

# chains as their staff, managers and incident forms call them; forms without the brand's letters are
# NICKNAMES
CHAIN_NAMES = {
    "tesco": ["Tesco", "Tesco store", "Tesco Stores Ltd", "TESCO"],
    "sainsburys": ["Sainsbury's", "Sainsburys", "J Sainsbury", "Sainsbury's supermarket"],
    "costa": ["Costa", "Costa Coffee store", "Costa branch"],
    "starbucks": ["Starbucks", "Starbucks store", "Starbucks branch"],
    "mcdonalds": ["McDonald's", "McDonalds", "McDonald's Restaurants", "McDonalds store"],
    "kfc": ["KFC", "KFC branch", "KFC store"],
    "aldi": ["Aldi", "Aldi store", "Aldi Stores Ltd"],
    "lidl": ["Lidl", "Lidl store", "Lidl GB"],
    "greggs": ["Greggs", "Greggs shop", "Greggs outlet"],
    "subway": ["Subway", "Subway store", "Subway franchise"],
    "pret": ["Pret", "Pret shop", "Pret store"],
    "nandos": ["Nando's", "Nandos", "Nando's branch"],
    "iceland": ["Iceland", "Iceland Foods", "Iceland store"],
    "morrisons": ["Morrisons", "Wm Morrison", "Morrisons supermarket"],
    "asda": ["Asda", "ASDA store", "Asda Stores"],
    "waitrose": ["Waitrose", "Waitrose & Partners", "Waitrose branch"],
    "wetherspoon": ["Wetherspoon", "JDW", "J D Wetherspoon", "Wetherspoon outlet"],
    "dominos": ["Domino's", "Domino's franchise", "Domino's store"],
    "boots": ["Boots", "Boots store", "Boots UK"],
    "londis": ["Londis", "Londis store"],
    "budgens": ["Budgens", "Budgens shop"],
    "wasabi": ["Wasabi", "Wasabi branch"],
    "itsu": ["itsu", "Itsu shop"],
    "leon": ["LEON", "Leon branch"],
    "wilko": ["Wilko", "Wilkinson", "Wilko shop"],
}
NICKNAMES = {"J Sainsbury", "Wm Morrison", "JDW", "Wilkinson"}
# what kind of work a chain's staff do there
CHAIN_SETTING = {
    **dict.fromkeys(("costa", "starbucks", "mcdonalds", "kfc", "greggs", "subway", "pret", "nandos",
                     "dominos", "wasabi", "itsu", "leon"), "food"),
    "wetherspoon": "bar",
}

# --- what the record adds around a place --------------------------------------------------------------------

# who or what the location came from: (the words before the place, whether it is the patient's own
# account, the groups of ROLES whose records it comes in, or None for any)
_SELLING = ("shop", "food", "bar")
_ON_THE_MOVE = ("street", "bus", "transport")
SOURCES = [
    ("states: ", True, None),
    ("pt reports assault at work - ", True, None),
    ("self-referral, at work: ", True, None),
    ("in pt's words ", True, None),
    ("pt explains ", True, None),
    ("pt: ", True, None),
    ("assaulted on shift, pt gives ", True, None),
    ("line manager: ", False, None),
    ("per store manager ", False, _SELLING),
    ("per shift supervisor - ", False, None),
    ("OH referral: ", False, None),
    ("from employer's incident form: ", False, None),
    ("copied from IR form - ", False, None),
    ("Datix entry: ", False, ("nhs", "ed")),
    ("per control room ", False, ("transport", "bus", "security")),
    ("depot manager phoned - ", False, _ON_THE_MOVE),
    ("colleague with pt: ", False, None),
    ("security team report ", False, ("shop", "bar", "security", "nhs", "hotel")),
    ("per police at scene: ", False, None),
    ("BTP: ", False, ("transport",)),
    ("handover from LAS - ", False, None),
    ("crew handover: ", False, None),
    ("per union rep ", False, None),
    ("HR email - ", False, None),
    ("per duty manager ", False, ("transport", "bar", "hotel", "security", "council") + _SELLING),
    ("employer's RIDDOR form: ", False, None),
]
SOURCES_AFTER = [
    (" (per incident form)", None),
    (" - employer's report", None),
    (" [OH]", None),
    (" - manager's account", None),
    (" (colleague)", None),
    (" - per Datix", ("nhs", "ed")),
    (" - crew handover", None),
    (" (as on RIDDOR)", None),
]
# the name not certain: {} is the place
HEDGES = ["{} - tbc", "{}?", "prob {}", "{} - pt unsure of exact name", "{} (to be confirmed by employer)",
          "{} or near there"]
# the patient's job, by the kind of work done where it happened
ROLES = {
    "bar": ["bar staff", "door supervisor", "pub manager", "glass collector", "barman", "doorman"],
    "food": ["waiter", "waitress", "chef", "kitchen porter", "counter staff", "shift runner", "crew member",
             "barista"],
    "shop": ["shop assistant", "checkout operator", "store manager", "night-fill colleague",
             "store detective", "cashier", "retail team leader"],
    "security": ["security officer", "SIA guard", "steward", "usher", "CCTV operator", "cleaner",
                 "attendant"],
    "council": ["housing officer", "neighbourhood warden", "park ranger", "library assistant", "lifeguard",
                "caretaker", "council receptionist"],
    "hotel": ["night porter", "hotel receptionist", "housekeeper", "concierge"],
    "nhs": ["staff nurse", "HCA", "porter", "ward clerk", "domestic", "junior doctor", "radiographer",
            "midwife", "physio", "trust security"],
    "ed": ["ED nurse", "ED receptionist", "ED HCA", "ED registrar", "triage nurse", "ED porter"],
    "transport": ["CSA", "station assistant", "gateline staff", "revenue inspector", "train guard",
                  "train driver", "station supervisor"],
    "street": ["delivery rider", "courier", "postman", "postwoman", "civil enforcement officer",
               "traffic warden", "home carer", "gas engineer", "meter reader", "refuse collector",
               "street cleaner", "taxi driver", "private hire driver", "district nurse",
               "plumber on call-out"],
    "bus": ["bus driver", "bus controller", "traffic warden", "road sweeper"],
}
ROLE_FORMS = [" ({r})", " - {r}", " - works as {r}", ", on duty as {r}"]
ROLE_FIRST = ["{r}: ", "{r} - ", "({r}) "]
# who employs the patient (no premises of theirs named), by job
EMPLOYERS = {
    "delivery rider": ["Deliveroo", "Uber Eats", "Just Eat"],
    "courier": ["DPD", "Evri", "Amazon", "Parcelforce"],
    "postman": ["Royal Mail"],
    "postwoman": ["Royal Mail"],
    "private hire driver": ["Addison Lee", "Bolt", "Uber"],
    "gas engineer": ["British Gas"],
    "refuse collector": ["Veolia", "the council"],
    "street cleaner": ["Veolia", "the council"],
    "civil enforcement officer": ["the council"],
    "bus driver": ["Arriva", "Go-Ahead", "Stagecoach", "Metroline", "First Bus"],
    "CSA": ["TfL", "LUL"],
    "station assistant": ["TfL", "Southern", "Southeastern"],
    "train guard": ["Southern", "Thameslink", "Southeastern", "SWR"],
    "train driver": ["Southern", "Thameslink", "Southeastern", "SWR"],
    "security officer": ["Securitas", "Mitie", "OCS", "Corps Security"],
    "steward": ["Securitas", "Corps Security"],
    "home carer": ["the council", "an agency"],
}
EMPLOYER_FORMS = [" for {e}", ", employed by {e}", " with {e}"]
SHIFT_NOTES = [" - late shift", " (nights)", " - lone worker", " - 0600 start", " - on overtime",
               " - end of shift", " (early turn)", " - cover shift", " - on break"]
# a reference of a form or job ({k} a number)
REFS = [" - ref {k}", " (job no. {k})", " incident no {k}", " - Datix {k}", " WO{k}", " [form {k}]"]
STORE_REFS = [" (store {k})", " - store no. {k}", " branch #{k}", " site code {k}"]
# what happened: how, and (by the kind of work) by whom
HOW = [" - punched", " - verbal abuse then pushed", " - spat at", " - kicked", " - hit with object",
       " - threatened with a knife", " - struck to face", " - put in a headlock", " - bitten",
       " - grabbed by throat", " - shoved to ground"]
BY_WHOM = {
    "shop": [" - by shoplifter", " - stopping a thief", " - customer refused ID"],
    "bar": [" - refused entry then assaulted", " - by drunk customer", " - breaking up a fight"],
    "food": [" - by customer over order", " - customer threw hot drink"],
    "security": [" - detaining suspect", " - ejecting a male"],
    "council": [" - by resident", " - by service user"],
    "hotel": [" - by guest", " - by non-resident"],
    "nhs": [" - by patient", " - by relative of patient", " - by confused patient"],
    "ed": [" - by patient", " - by drunk patient", " - by patient's visitor"],
    "transport": [" - by fare evader", " - by passenger", " - at ticket check"],
    "street": [" - by customer", " - by member of public", " - bike taken", " - over a parking ticket"],
    "bus": [" - by passenger", " - by fare dodger", " - by driver of car"],
}

# --- the texts of each class --------------------------------------------------------------------------------

# workplaces by the work done there ({v} the workplace, {n} a number)
VENUE_FORMS = {
    "bar": ["{v}", "behind the bar at {v}", "on the door at {v}", "{v} - cellar",
            "{v} beer garden, collecting", "front door of {v}", "{v}, main bar"],
    "kitchen": ["{v}", "kitchen of {v}", "{v} - front of house", "{v} dining area", "serving tables at {v}",
                "back door of {v} (bins)"],
    "counter": ["{v}", "behind the counter, {v}", "{v} - front counter", "{v} (collection point)",
                "{v} takeaway counter"],
    "shop": ["{v}", "shop floor, {v}", "{v} - at the till", "{v} stockroom", "{v} shop front",
             "serving at {v}"],
    "stage": ["{v}", "front of house, {v}", "{v} box office", "{v} auditorium (stewarding)", "{v} foyer bar"],
    "ground": ["{v}", "{v} - stewarding", "turnstile {n}, {v}", "{v} concourse (working)", "{v} gate {n}"],
    "collection": ["{v}", "{v} - gallery floor", "{v} front desk", "{v} security desk", "entrance hall, {v}"],
    "leisure": ["{v}", "{v} reception desk", "{v} - poolside", "{v} front desk", "{v} changing rooms"],
    "mall": ["{v}", "{v} - on patrol", "{v} security office", "{v} service yard", "{v} loading bay"],
    "hotel": ["{v}", "{v} front desk", "{v} - night porter desk", "{v} lobby", "room corridor, {v}"],
    "housing": ["{v}", "on {v} (housing visit)", "{v} - estate office", "{v} walkways",
                "{v} - communal stairwell", "{v} bin store"],
    "park": ["{v}", "{v} - park keeper's hut", "on patrol in {v}", "{v} car park", "{v} cafe kiosk"],
}
# the ROLES group of each sort of workplace
SORT_ROLES = {
    "bar": "bar", "kitchen": "food", "counter": "food", "shop": "shop", "stage": "security",
    "ground": "security", "collection": "security", "leisure": "council", "mall": "security",
    "hotel": "hotel", "housing": "council", "park": "council",
}
CHAIN_STREET_FORMS = ["{c} on {w} (branch)", "{c} / {w}", "{c} ({w} site)", "the {w} {c}",
                      "{w} branch of {c}"]
CHAIN_STATION_FORMS = ["{c} beside {s} station", "the {s} {c}", "{c} - {s} stn branch", "{c} at {s} stn",
                       "{c} near {s} station"]
CHAIN_WARD_FORMS = ["{a} {c}", "{c} at {a}", "{c}, {a}"]
CHAIN_DISTRICT_FORMS = ["{c} [{d}]", "{c}, {d} area", "{c} - pc {d}"]
# words for an outlet in a chain's name or a template (a text says one of them once at most)
_OUTLET = re.compile(r"(?i)\b(branch|store|shop|outlet|franchise|site|supermarket|pharmacy|bakery)\b")
CHAIN_ALONE_FORMS = {
    "shop": ["{c}", "{c}", "shop floor at {c}", "{c} - checkouts", "{c} stockroom", "{c} self-checkouts",
             "working at {c}", "{c} - staff entrance", "{c} (work)"],
    "food": ["{c}", "{c}", "behind the counter at {c}", "{c} kitchen", "{c} - drive-thru window",
             "working at {c}", "{c} (work)", "{c} dining area"],
    "bar": ["{c}", "{c}", "behind the bar at {c}", "working at {c}", "{c} (work)", "{c} - on the door"],
}
# a hospital the patient works in ({h}; {n} a ward number); a form naming a part of the hospital allows
# "Hospital" to be left off (STAFF_PLACES)
HOSPITAL_FORMS = [
    "{h}",
    "{h}",
    "{h} - ward {n}",
    "ward {n}, {h}",
    "{h} AMU",
    "{h} outpatients",
    "{h} main entrance (security)",
    "{h} staff car park",
    "{h} - theatres",
    "{h} maternity unit",
    "on the ward at {h}",
    "{h} x-ray",
]
STAFF_PLACES = re.compile(r"ward|AMU|outpatients|theatres|maternity|x-ray")
# what is left of a hospital's name without "Hospital" that no one says alone
_NOT_ALONE = re.compile(r"(?i)\b(day|community|memorial|general|district|cottage|independent|private|eye|"
                        r"dental|children's|childrens|women's|national|royal|the|for|of|and|&)$|^\S+$")
# in this emergency department itself, while working in it: no hospital named (the truth is the site)
THIS_DEPT = [
    "our resus, by a patient",
    "majors cubicle here",
    "this ED - triage room",
    "in the department (staff member)",
    "ED minors, here",
    "our A&E waiting area - on duty",
    "ambulance handover bay, this dept",
    "here in ED - while working",
    "ED staff base",
    "A&E reception desk (works here)",
    "UTC here - on shift",
    "paeds ED, this site",
]
# a station the patient works at ({s} station, {m} station word, {n} platform, {l} line)
STATION_FORMS = [
    "{s} {m}",
    "{s} {m}",
    "{s}",
    "{s} {m} - gateline",
    "ticket office at {s} {m}",
    "gateline, {s}",
    "{s} {m} platform {n}",
    "on duty at {s} {m}",
    "{s} {m} booking hall",
    "{s} - barriers",
    "{s} {m} concourse",
    "revenue check, {s} {m}",
    "{s} {m} - station control room",
    "{s} {m} stairs",
]
LINE_FORMS = ["{s} ({l} line)", "{l} line - {s} {m}", "train at {s} {m}, {l} line"]
# station words by network, as station and train staff write them
STATION_WORDS = {
    "tube": ["LU", "LU stn", "Underground station"],
    "overground": ["LO", "LO stn", "(Overground)"],
    "dlr": ["(DLR)", "dlr stn"],
    "tram": ["tramstop", "tram station"],
    "lizzy": ["EL station", "Liz line"],
    "rail": ["NR", "rail stn", "station (NR)"],
    "any": ["Stn", "station", "stn."],
}
# a street the patient worked on ({st}; {n} a house number), with the jobs that work so (None: any of
# ROLES["street"])
_DROPPING = ("delivery rider", "courier", "postman", "postwoman")
_FARES = ("taxi driver", "private hire driver")
_CALL_OUTS = ("gas engineer", "plumber on call-out", "home carer", "district nurse")
STREET_FORMS = [
    ("{st}", None),
    ("{st}", None),
    ("delivering to no. {n} {st}", _DROPPING),
    ("{n} {st} (customer's address)", _DROPPING + _CALL_OUTS),
    ("on {st} - issuing a PCN", ("civil enforcement officer", "traffic warden")),
    ("{st} - parcel drop", ("courier", "postman", "postwoman")),
    ("doorstep, {n} {st}", _DROPPING + ("meter reader", "gas engineer")),
    ("meter read at {n} {st}", ("meter reader",)),
    ("{st} on my round", ("postman", "postwoman", "refuse collector", "meter reader", "home carer")),
    ("job at {n} {st}", _CALL_OUTS),
    ("outside {n} {st} (drop-off)", _DROPPING + _FARES),
    ("{st} - pulled over to drop a fare", _FARES),
    ("picking up a fare on {st}", _FARES),
    ("collecting bins on {st}", ("refuse collector",)),
]
JUNCTION_FORMS = ["{a} jct {b}", "{a} meets {b}", "stop on {a} by {b}", "{a}-{b} bus stop",
                  "lights at {a} and {b}", "{a} (at {b})"]
POSTCODE_FORMS = ["{p}", "{p}", "job pc {p}", "drop {p}", "{p} (from job sheet)", "delivery to {p}",
                  "callout address {p}", "{p} - customer postcode", "PC on form: {p}"]
SECTOR_FORMS = ["{p} (rest illegible)", "pc {p}?", "{p} - rest of pc not on form", "postcode starting {p}",
                "{p}** (incomplete)"]
DISTRICT_FORMS = ["{d}", "{d} patch", "covering {d}", "{d} - multi-drop", "{d} round", "delivering in {d}"]
AREA_FORMS = ["{a}", "{a}", "on my beat in {a}", "{a} - on rounds", "{a} patch", "working around {a}",
              "{a} (exact street not given)"]
# where a workplace or street is, after it ({s} station, {d} district, {b} council, {u} postcode unit)
AROUND_FORMS = {
    "s": [" (by {s} stn)", ", opp {s} station", " - next to {s} station"],
    "d": [" [{d}]", ", {d} area", ", pc area {d}"],
    "b": [" - {b} council area", " ({b} council)"],
    "u": [" - site pc {u}", " (pc {u})"],
}

HOME_TEXTS = [
    "own home - not work related",
    "at home, off duty",
    "own flat (lives on site)",
    "tied flat above the pub",
    "own house - works from home",
    "home, after night shift",
    "own home - DA, not work",
    "pt's own flat",
    "staff accommodation flat (own home)",
    "caretaker's flat on site - own home",
    "home - neighbour dispute, off shift",
    "at home, on call",
]
UNKNOWN_TEXTS = [
    "refused to say",
    "declined - employer matter",
    "pt unable to say which site",
    "agency worker - doesn't know site name",
    "unknown (multi-drop route)",
    "not recorded on form",
    "can't remember which job",
    "pt confused, location unclear",
    "employer to confirm location",
    "location n/k",
    "not given - police involved",
    "location withheld by pt",
    "unclear from handover",
    "not documented by crew",
]
# no place: (the text, its ROLES group or None, the jobs that say it or None for any of the group)
NONPLACE_TEXTS = [
    ("at place of work", None, None),
    ("at work - no further details", None, None),
    ("on shift", None, None),
    ("whilst on duty", None, None),
    ("in the cab of the bus", "bus", ("bus driver",)),
    ("driving the bus (moving)", "bus", ("bus driver",)),
    ("in my taxi, passenger in the back", "street", ("taxi driver",)),
    ("private hire car - fare assaulted driver", "street", ("private hire driver",)),
    ("on the bike, making a delivery", "street", ("delivery rider",)),
    ("in the delivery van", "street", ("courier", "postman", "postwoman")),
    ("on a moving train (guard)", "transport", ("train guard",)),
    ("in the back of an ambulance", None, None),
    ("see incident form", None, None),
    ("see Datix", None, None),
    ("details on employer's form", None, None),
    ("refer to OH notes", None, None),
    ("workplace - not named", None, None),
    ("on patrol", "security", ("security officer", "steward")),
    ("at the depot", None, None),
    ("in the staff room", None, None),
    ("on the shop floor (store not given)", "shop", None),
    ("lone working, site not given", None, None),
]
# a customer's, client's or patient's dwelling where the patient was working (level home), with the jobs
# that work there
CUSTOMER_HOMES = [
    ("customer's house", _DROPPING + _CALL_OUTS + ("meter reader",)),
    ("client's flat - care visit", ("home carer",)),
    ("service user's home", ("home carer", "housing officer")),
    ("tenant's flat (housing visit)", ("housing officer",)),
    ("customer's doorstep - parcel", ("courier", "postman", "postwoman")),
    ("patient's home (district nursing)", ("district nurse",)),
    ("at a customer's home - repair job", ("gas engineer", "plumber on call-out")),
    ("resident's house, meter reading", ("meter reader",)),
    ("domestic job - customer's house", ("gas engineer", "plumber on call-out")),
    ("in a client's home", ("home carer",)),
    ("customer's flat, fitting appliance", ("gas engineer",)),
]

# --- names as written ---------------------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|t/a)\b\.?\s*$|\s*@.*$")


def _tidy(name: str) -> str:
    """A gazetteer name as a person writes it: no bracketed part (when letters are left), company suffix or
    "@" tail; commas as spaces; a name held in capitals in ordinary case, "'S" as "'s"."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = re.sub(r"[()]", " ", name)
    s = " ".join(s.replace(",", " ").split())
    for _ in range(3):
        s = _SUFFIX.sub("", s).strip()
    s = s or " ".join(name.split())
    if s.isupper():
        s = " ".join(w if w in ("DLR", "NHS", "YMCA", "UCL") else w.capitalize() for w in s.split())
    return re.sub(r"(?<=[A-Za-z])['’]S\b", "'s", s)


def _bare_station(name: str) -> str:
    """A station's name without bracketed part, network or line tag or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)$", "", s)
    if not re.search(r"(?i)\bpower station$", s):
        s = re.sub(r"(?i)\s+(?:lu|nr|el|ell|lo|dlr|rail station|railway station|station|stn)$", "", s.strip())
    return _tidy(" ".join(s.split()))


def _network(source: str, network: str | None, lines: str | None, name: str) -> str:
    """Which of STATION_WORDS a station's staff write after it."""
    nets = {
        "London Underground": "tube",
        "London Overground": "overground",
        "DLR": "dlr",
        "Tramlink": "tram",
        "TfL Rail": "lizzy",
        "Elizabeth line": "lizzy",
    }
    if network in nets:
        return nets[network]
    if (lines or "").strip() in nets:
        return nets[lines.strip()]
    low = name.lower().strip()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if re.search(r"\btram", low):
        return "tram"
    if low.endswith(" lu"):
        return "tube"
    return "rail" if source == "naptan_rail" or low.endswith(" nr") else "any"


def _one_line(lines: str | None, network: str | None, rng: random.Random) -> str | None:
    """One Underground line of the station (only tube stations' lines are named), or None."""
    if network != "London Underground":
        return None
    names = [x.strip() for x in (lines or "").split(",")]
    names = [x for x in names if x and x.lower() != "n/a" and re.fullmatch(r"[A-Za-z& ]+", x)]
    return rng.choice(names) if names else None


def _key(name: str) -> str:
    """A name as lower-case letters and digits ("the" in front left off)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?i)^the\s+", "", name).lower())


_GENERIC = UNSAID | {
    "park", "gardens", "common", "cemetery", "museum", "gallery", "palace", "library", "market", "estate",
    "hall", "st", "saint", "new", "old", "north", "south", "east", "west", "upper", "lower", "great", "royal",
    "city", "london", "national", "arena", "community", "health", "medical", "civic", "town", "arts",
    "swimming", "pool", "baths", "ground", "recreation", "retail", "hotel", "theatre", "cinema", "stadium",
}


def _work_sort(name: str) -> str | None:
    """What work is done at a landmark (WORK_SORTS), or None (also when no word of its name tells it from
    others of its sort)."""
    words = re.findall(r"[a-z0-9']+", name.lower())
    if NOT_WORK.search(name) or not any(w.replace("'", "") not in _GENERIC for w in words):
        return None
    return next((sort for sort, pat in WORK_SORTS if pat.search(name.strip())), None)


def _food_sort(business: str | None) -> str:
    """The sort of workplace a food premises is, by its business type."""
    b = (business or "").lower()
    if "pub" in b or "bar" in b or "nightclub" in b:
        return "bar"
    if "takeaway" in b:
        return "counter"
    if "restaurant" in b or "catering" in b or "caterer" in b:
        return "kitchen"
    return "shop"


_WARD_NOT = ["and", "with", "ward", "north", "south", "east", "west", "central", "upper", "lower", "road",
             "street", "lane", "station", "hospital", "park", "common", "green", "town", "village", "estate",
             "gardens", "square", "junction", "market", "docks", "place", "end", "hill", "fields", "vale",
             "heath", "grove", "riverside", "st"]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"
_STREET_END = (
    r"(road|street|lane|avenue|grove|gardens|crescent|terrace|square|close|drive|mews|court|hill|way|rise)$"
)


def _street_fine(name: str) -> bool:
    """A street name a worker would write (not a campus entry or a long compound)."""
    return " - " not in name and len(name.split()) <= 4 and not re.search(
        r"(?i)\b(school|campus|college|hospital|estate|university|depot|station)\b", name
    )


def _ward_fine(name: str | None) -> bool:
    """A ward name a worker would use for a patch (and no other kind of place)."""
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- how letters come out damaged ---------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _row_neighbours(c: str) -> list[str]:
    """The keys left and right of a letter's key in its keyboard row."""
    for row in _ROWS:
        if c.lower() in row:
            i = row.index(c.lower())
            out = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            return [x.upper() if c.isupper() else x for x in out]
    return []


# letters of a handwritten incident form copied as the letters they look like
HANDWRITING = [("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("u", "v"), ("v", "u"), ("n", "u"),
               ("a", "o"), ("e", "c"), ("h", "b"), ("ii", "u"), ("w", "ur")]


def _thumb(rng: random.Random, word: str) -> str:
    """One letter (never the first) replaced by the key beside it in its row."""
    spots = [i for i in range(1, len(word)) if _row_neighbours(word[i])]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + rng.choice(_row_neighbours(word[i])) + word[i + 1 :]


def _sticky(rng: random.Random, word: str) -> str:
    """A key that stuck (a single letter, never the first, typed twice) or did not repeat (a double letter
    typed once)."""
    low = word.lower()
    doubles = [i for i in range(1, len(word) - 1) if low[i] == low[i + 1]]
    singles = [i for i in range(1, len(word))
               if low[i] != low[i - 1] and (i + 1 == len(word) or low[i + 1] != low[i])]
    if doubles and (not singles or rng.random() < 0.5):
        i = rng.choice(doubles)
        return word[:i] + word[i + 1 :]
    if not singles:
        return word
    i = rng.choice(singles)
    return word[: i + 1] + word[i] + word[i + 1 :]


def _handwritten(rng: random.Random, word: str) -> str:
    """One letter group (never the first letter) copied as the group it looks like in handwriting."""
    options = []
    for was, now in HANDWRITING:
        for m in re.finditer(was, word.lower()):
            if m.start() >= 1:
                options.append((m.start(), was, now))
    if not options:
        return word
    i, was, now = rng.choice(options)
    now = now.upper() if word.isupper() else now
    return word[:i] + now + word[i + len(was) :]


def _damage(rng: random.Random, word: str) -> str:
    """One slip in a word of four letters or more (letters only), the first letter kept; the word itself
    when no slip fits it."""
    if len(word) < 4 or not word.isalpha():
        return word
    kinds = list(SLIP_KINDS)
    first = rng.choices(kinds, weights=[SLIP_KINDS[k] for k in kinds])[0]
    for kind in [first] + [k for k in kinds if k != first]:
        new = {"thumb": _thumb, "sticky": _sticky, "hand": _handwritten}[kind](rng, word)
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


@dataclass
class Written:
    """A name or code in a text: as written, as meant, and whether letters of it were damaged."""

    shown: str
    meant: str
    hurt: bool = False


def _slip_spots(words: list[str]) -> list[int]:
    """The words a slip may fall on: four letters or more, not a generic word left unsaid, not an
    abbreviation."""
    return [i for i, w in enumerate(words)
            if len(w) >= 4 and w.isalpha() and w.lower() not in UNSAID and w.lower() not in _ABBRS]


def _write(
    rng: random.Random,
    name: str,
    cls: str,
    street: bool = False,
    unsaid: bool = False,
    slip: bool = True,
) -> Written:
    """A name as written in the record: tidied, apostrophes maybe left out, "and" / "&" maybe swapped, a
    street's last word maybe abbreviated (STREET_ABBR), a workplace's generic last word maybe left off
    (with ``unsaid``: ENDINGS); with ``slip`` (the truth's own name) maybe one word damaged (SLIP_P)."""
    s = _tidy(name)
    if rng.random() < NO_APOS_P:
        s = re.sub(r"['’`]", "", s)
    if rng.random() < AMP_P:
        if re.search(r"\band\b", s, re.I):
            s = re.sub(r"\b[Aa]nd\b", "&", s)
        elif "&" in s:
            s = s.replace("&", " and ")
    s = " ".join(s.replace("&", " & ").split())
    if unsaid and rng.random() < UNSAID_P:
        for pat in ENDINGS:
            if pat.search(s) and pat.sub("", s).strip():
                s = pat.sub("", s).strip()
                break
    words = s.split()
    if street and len(words) > 1 and rng.random() < ABBREV_P:
        short = STREET_ABBR.get(words[-1].lower())
        if short:
            words[-1] = rng.choice([short.capitalize(), short.capitalize() + ".", short.upper()])
    meant = " ".join(words)
    spots = _slip_spots(words)
    if slip and spots and rng.random() < SLIP_P[cls]:
        i = rng.choice(spots)
        for _ in range(6):  # a slip that happens to give the street word's abbreviation is none
            new = _damage(rng, words[i])
            if new.lower() != STREET_ABBR.get(words[i].lower()):
                words[i] = new
                break
    shown = " ".join(words)
    return Written(shown, meant, shown != meant)


# a character of a code copied from a handwritten form as the one it looks like
HAND_CODE = {"1": "7", "7": "1", "4": "9", "9": "4", "3": "8", "5": "6", "U": "V", "N": "H", "H": "N"}


def _write_code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Written:
    """A postcode unit / sector / district as written (mostly capitals; a unit's space now and then left
    out); the primary one maybe misread off a form: one character of a unit's inward code, of a sector's
    inward digit or of a district's digits taken for the one it looks like (HAND_CODE)."""
    s = code.upper() if rng.random() < 0.86 else code.lower()
    parts = s.split()
    if cls == "postcode" and len(parts) == 2 and rng.random() < 0.18:
        s = parts[0] + parts[1]
    if not slip or rng.random() >= SLIP_P[cls]:
        return Written(s, s)
    flat = [i for i, c in enumerate(s) if c != " "]
    if cls == "postcode":
        spots = [i for i in flat[-3:] if s[i].upper() in HAND_CODE]
    elif cls == "sector":
        spots = [flat[-1]] if s[flat[-1]] in HAND_CODE else []
    else:
        spots = [i for i in flat[1:] if s[i].isdigit() and s[i] in HAND_CODE]
    if not spots:
        return Written(s, s)
    i = rng.choice(spots)
    new = HAND_CODE[s[i].upper()]
    new = new.lower() if s == s.lower() else new
    return Written(s[:i] + new + s[i + 1 :], s, True)


# --- a text -------------------------------------------------------------------------------------------------


def _fill(form: str, names: dict[str, Written], plain: dict[str, str]) -> list[str | Written]:
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


# who may pass on an answer that is no place: the patient, a colleague, occupational health, the crew or
# the police
_NO_PLACE_SOURCES = [(w, own, None) for w, own, _ in SOURCES
                     if own or re.search(r"(?i)colleague|OH\b|LAS|crew|police", w)]
_SAYS_WHO = re.compile(r"(?i)\b(pt|crew|employer|colleague|OH|Datix|form)\b")


def _number(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(low, high))


def _field(
    rng: random.Random,
    parts: list[str | Written],
    group: str | None,
    place: bool = True,
    source: bool = True,
    store: bool = False,
    roles: tuple[str, ...] | None = None,
) -> tuple[str, bool]:
    """The location field as recorded: maybe a hedge (a place only), a store number (``store``, when no word
    for an outlet is said yet), the patient's job (one of ``roles``, else of ``group`` of ROLES) and
    employer, who or what it came from (with ``source``; the patient's words maybe quoted), the shift, a
    reference, what happened (by ``group``); in the writer's case of the moment. Returns the text and
    ``typo`` (letters of a name or code in it damaged)."""
    body = " ".join("".join(p.shown if isinstance(p, Written) else p for p in parts).split())
    typo = any(isinstance(p, Written) and p.hurt for p in parts)
    if place and rng.random() < HEDGE_P:
        body = rng.choice(HEDGES).format(body)
    if store and not _OUTLET.search(body) and rng.random() < STORE_P:
        body += rng.choice(STORE_REFS).replace("{k}", _number(rng, 100, 9999))
    if group and rng.random() < ROLE_P:
        role = rng.choice(roles or ROLES[group])
        if role in EMPLOYERS and rng.random() < EMPLOYER_P:
            role += rng.choice(EMPLOYER_FORMS).replace("{e}", rng.choice(EMPLOYERS[role]))
        if rng.random() < ROLE_FIRST_P:
            body = rng.choice(ROLE_FIRST).replace("{r}", role) + body
        else:
            body += rng.choice(ROLE_FORMS).replace("{r}", role)
    r = rng.random()
    if not source or (not place and _SAYS_WHO.search(body)):
        r = 1.0  # it already says where it came from (or it is this department's own staff)
    if r < SOURCE_P:
        pool = [(w, own) for w, own, groups in (SOURCES if place else _NO_PLACE_SOURCES)
                if groups is None or group in groups]
        who, own = rng.choice(pool)
        if own and rng.random() < QUOTE_P:
            q = rng.choice(['"', "'"])
            body = q + body + q
        body = who + body
    elif r < SOURCE_P + SOURCE_AFTER_P:
        body += rng.choice([w for w, groups in SOURCES_AFTER if groups is None or group in groups])
    if rng.random() < SHIFT_P:
        body += rng.choice(SHIFT_NOTES)
    if rng.random() < REF_P:
        body += rng.choice(REFS).replace("{k}", _number(rng, 1000, 9_999_999))
    if rng.random() < EVENT_P:
        pool = HOW + (BY_WHOM[group] if group else [])
        body += rng.choice(pool)
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
        body += rng.choice([";", " --", ".."])
    return " ".join(body.split()), typo


@dataclass
class Around:
    unit: str | None
    district: str | None
    borough: str | None
    station: str | None


def _around(conn, x: float, y: float, srid: int) -> Around:
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
    return Around(unit, district, borough, _bare_station(stn[0]) if stn else None)


def _where(rng: random.Random, a: Around, p: float = AROUND_P, station: bool = True) -> str:
    """Where a place is, said after it with chance ``p`` (the station beside it or the district mostly, now
    and then the council or the site's postcode), or nothing."""
    if rng.random() >= p:
        return ""
    have = {"s": a.station if station else None, "d": a.district, "b": a.borough, "u": a.unit}
    choice = rng.choices(["s", "d", "b", "u"], weights=(0.3, 0.35, 0.15, 0.2))[0]
    if not have[choice]:
        choice = "d"
    if not have[choice]:
        return ""
    return rng.choice(AROUND_FORMS[choice]).replace("{" + choice + "}", have[choice])


def _apart(name: str, where: str) -> str:
    """``where`` when it shares no word with the place's name (so no name is said twice), else ""."""
    def words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower().replace("'", "")) if len(w) >= 3}

    return "" if words(name) & words(where) else where


# --- the family ---------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``worker`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.3, none_placed=0.06, nearest=0.84, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700
    # names a workplace must not be left with (it would name another place: a station, a street, a ward ...)
    taken = {
        _key(_bare_station(r[0]))
        for r in conn.execute("SELECT name FROM gazetteer.feature WHERE kind NOT IN ('hospital', 'ae_site')")
    }

    def add(cls, level, parts, group, x=None, y=None, fid=None, site="near", place=True, source=True,
            store=False, roles=None):
        text, typo = _field(rng, parts, group, place=place, source=source, store=store, roles=roles)
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Workplaces whose name no other venue has: landmarks people work at, pubs, parks and food premises.
    quota = {
        "landmark": round(k["venue"] * 0.25),
        "pub": round(k["venue"] * 0.25),
        "park": round(k["venue"] * 0.08),
    }
    rows: list[tuple] = []
    for kind in ("landmark", "park", "pub", "venue"):
        want = quota.get(kind, k["venue"] - len(rows))
        if want <= 0:
            continue
        many = want * (15 if kind == "landmark" else 3 if kind == "park" else 1)
        got = truths.unique_venues(conn, salted, kind, many, CHAINS, max_name=36)
        if kind in ("landmark", "park"):
            got = [r for r in got
                   if (_work_sort(_tidy(r[1])) or (kind == "park" and not NOT_WORK.search(_tidy(r[1]))))
                   and _key(_tidy(r[1])) not in taken]
        rows += got[:want]
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        if kind in ("landmark", "park"):
            sort = _work_sort(_tidy(name)) or "park"
        else:
            sort = "bar" if kind == "pub" else _food_sort(business)
        v = _write(rng, name, "venue")
        parts = _fill(rng.choice(VENUE_FORMS[sort]), {"v": v}, {"n": _number(rng, 1, 24)})
        parts.append(_apart(name, _where(rng, _around(conn, x, y, srid))))
        add("venue", "venue", parts, SORT_ROLES[sort], x, y, fid)

    # Chains: a branch of a brand with four or more branches; some texts say which branch (by its street,
    # the station by it, the neighbourhood or the district). The chain's name is picked after the template.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        setting = CHAIN_SETTING.get(brand, "shop")
        r = rng.random()
        if r < 0.2 and stn:
            cls, template = "chain", rng.choice(CHAIN_STATION_FORMS)
            names = {"s": Written(_bare_station(stn), _bare_station(stn))}
        elif r < 0.44 and street and not re.search(r"[0-9,()/]", street) \
                and re.search(_STREET_END, street, re.I):
            cls, template = "chain", rng.choice(CHAIN_STREET_FORMS)
            names = {"w": _write(rng, street, "chain", street=True, slip=False)}
        elif r < 0.52 and _ward_fine(ward):
            cls, template = "chain", rng.choice(CHAIN_WARD_FORMS)
            names = {"a": _write(rng, ward, "chain", slip=False)}
        elif r < 0.58 and district:
            cls, template = "chain", rng.choice(CHAIN_DISTRICT_FORMS)
            names = {"d": _write_code(rng, district, "district", slip=False)}
        else:
            cls, template, names = "chain, no locality", rng.choice(CHAIN_ALONE_FORMS[setting]), {}
        forms = CHAIN_NAMES.get(brand, [brand.title()])
        if _OUTLET.search(template):  # no "branch of Tesco store", "Costa branch store ..."
            forms = [f for f in forms if not _OUTLET.search(f)] or forms
        form = rng.choice(forms)
        words = form.split()
        shown = list(words)
        if rng.random() < SLIP_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                shown[i] = _damage(rng, shown[i])
        names["c"] = Written(" ".join(shown), form, shown != words)
        add(cls, "venue", _fill(template, names, {}), setting, x, y, fid, store=True)

    # Hospitals the patient works in: about a quarter are texts of this department's own staff, naming no
    # hospital (the truth is the reporting site).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 4)):
        add("hospital", "venue", [rng.choice(THIS_DEPT)], "ed", x, y, fid, site=code, place=False,
            source=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        form = rng.choice(HOSPITAL_FORMS)
        rest = ENDINGS[0].sub("", _tidy(name))
        h = _write(rng, name, "hospital", unsaid=bool(STAFF_PLACES.search(form)) and _key(rest) not in taken
                   and not _NOT_ALONE.search(rest))
        add("hospital", "venue", _fill(form, {"h": h}, {"n": _number(rng, 1, 30)}), "nhs", x, y, fid)

    # Stations the patient works at: with the word station staff write (or none), a platform, now and
    # then the line.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        s = _write(rng, _bare_station(name), "station")
        m = rng.choice(STATION_WORDS[_network(source, net, lines, name)] + STATION_WORDS["any"])
        line = _one_line(lines, net, rng)
        form = rng.choice(LINE_FORMS) if line and rng.random() < 0.2 else rng.choice(STATION_FORMS)
        parts = _fill(form, {"s": s}, {"m": m, "n": _number(rng, 1, 12), "l": line or ""})
        if rng.random() < 0.3:
            parts.append(_apart(name, _where(rng, _around(conn, x, y, srid), station=False)))
        add("station", "venue", parts, "transport", x, y, fid)

    # Streets worked on: a point of the street, now and then with where the street is.
    streets = truths.street_points(conn, salted, _STREET_END, k["street"] + k["street"] // 3 + 5)
    streets = [r for r in streets if _street_fine(r[1])][: k["street"]]
    for fid, name, _district, _namesakes, ward, x, y in streets:
        st = _write(rng, name, "street", street=True)
        form, roles = rng.choice(STREET_FORMS)
        parts = _fill(form, {"st": st}, {"n": _number(rng, 1, 180)})
        r = rng.random()
        if r < 0.1 and _ward_fine(ward):
            where = rng.choice([", ", " in ", " / "]) + _write(rng, ward, "area", slip=False).shown
            parts.append(_apart(name, where))
        elif r < 0.34:
            parts.append(_apart(name, _where(rng, _around(conn, x, y, srid), 1.0)))
        add("street", "street", parts, "street", x, y, fid, roles=roles)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_write(rng, part.strip(), "junction", street=True) for part in name.split("/"))
        add("junction", "junction", _fill(rng.choice(JUNCTION_FORMS), {"a": a, "b": b}, {}), "bus", x, y)

    def same_point(col: str, code: Written, x: float, y: float) -> Written:
        """A misread code that is another real code of the truth's own point is no misreading."""
        hit = code.hurt and conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM gazetteer.postcode WHERE replace(upper({col}), ' ', '') = %s "
            "AND ST_X(geom) = %s AND ST_Y(geom) = %s)",
            (code.shown.upper().replace(" ", ""), x, y),
        ).fetchone()[0]
        return Written(code.meant, code.meant) if hit else code

    # Postcodes, sectors and districts (off a job sheet, a delivery app, an incident form).
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        p = same_point("display", _write_code(rng, display, "postcode"), x, y)
        add("postcode", "postcode", _fill(rng.choice(POSTCODE_FORMS), {"p": p}, {}), "street", x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        p = same_point("sector", _write_code(rng, sector, "sector"), x, y)
        add("sector", "sector", _fill(rng.choice(SECTOR_FORMS), {"p": p}, {}), "street", x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        d = same_point("district", _write_code(rng, district, "district"), x, y)
        add("district", "district", _fill(rng.choice(DISTRICT_FORMS), {"d": d}, {}), "street", x, y)

    # Patches and beats: wards with a name used for a neighbourhood; a random point inside the ward.
    drawn = truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 7919, k["area"] * 4)
    for fid, name, x, y in [w for w in drawn if _ward_fine(w[1])][: k["area"]]:
        a = _write(rng, name, "area")
        add("area", "area", _fill(rng.choice(AREA_FORMS), {"a": a}, {}), "street", x, y, fid)

    # No place: own home, unknown, non-places (one in three a customer's or client's dwelling).
    for _ in range(k["home"]):
        add("home", "home", [rng.choice(HOME_TEXTS)], None, place=False)
    for _ in range(k["unknown"]):
        add("unknown", "none", [rng.choice(UNKNOWN_TEXTS)], None, place=False)
    for i in range(k["nonplace"]):
        if i % 3 == 1:
            text, roles = rng.choice(CUSTOMER_HOMES)
            add("nonplace", "home", [text], "street", place=False, roles=roles)
        else:
            text, group, roles = rng.choice(NONPLACE_TEXTS)
            add("nonplace", "none", [text], group, place=False, roles=roles)
    rng.shuffle(out)
    return out
