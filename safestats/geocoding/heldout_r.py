"""An eighteenth held-out family of labelled assault locations, ``events``: the location field of assault
records of people hurt at or around gatherings and leisure in London -- football and rugby matches and the
walk to and from the ground, concerts and gigs, festivals, street parties, markets, fairs, parades, protests
and marches, sports clubs and leisure centres, gyms, parks and commons, parties and celebrations in halls and
homes, fan zones, New Year's Eve and fireworks crowds, school and college events. The location is typed by A&E
reception or the triage nurse from the patient (often drunk, often with a friend answering), or copied from an
event medical team's first-aid tent handover, a steward's incident log, event control or the ambulance
handover. People at events name where it happened the way the day went: the ground or venue by its proper
name, by what fans call it or by its sponsor's name, the end, gate, block or turnstile, the front of the
stage or the bar; the station they walked from; the chain outlet or pub they drank in before; the street the
crowd was on, the market by its street; the park and which end of it; the postcode on the ticket or the
booking; and many answers name no place at all (in the crowd, at the match, on the supporters' coach, a
friend's house party, refused, cannot remember after drinking).

Written 2026-12-08 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 02:39:23 UTC and finished 03:00:15 UTC (``date -u``). What was read to write it: the brief
(given in the session's prompt; nothing under /work/scratch was opened); the whole of ``heldout_q.py`` (lines
1-1201, as the model for STRUCTURE only: truths drawn through ``truths.py``, the reporting site through
``sites.py``, the classes and the share constraints, the ``typo`` semantics, the dataclass returned,
``generate(conn, n)`` and the docstring's record; none of its phrase lists, templates, brand forms, nicknames,
abbreviations, non-place labels or noise rules were taken over -- its slips, misreadings and name-writing
rules were replaced by this family's own); the whole of ``truths.py`` (1-167) and ``sites.py`` (1-37);
tests/geocoding/test_heldout_worker.py (1-701), tests/geocoding/heldout_checks.py (1-78) and
tests/geocoding/conftest.py (1-74) in full (the model for this family's test file); from ``independent.py``,
``heldout_o.py`` and ``heldout_p.py`` the names only of their module-level assignments (``grep -oE`` of
``^NAME =``, names printed, not their values), and of ``independent.py`` the field names and types of
``IndependentExample`` and the value of ``CHAINS`` printed by Python; the ``FAMILY`` / ``SEED`` lines of
heldout.py, heldout_b.py .. heldout_q.py and independent.py (``grep -n`` for lines starting FAMILY or SEED,
which also matched one docstring line of each of seven of them, and independent.py's ``SEEDS`` line); the
pytest and ruff settings of pyproject.toml (lines 33-52, grep with context); directory listings of
safestats/geocoding/ and tests/geocoding/. From the development gazetteer, read-only (psql and Python with
``default_transaction_read_only``): counts of gazetteer.feature by kind and level and in all (87,917), counts
by source, the columns of gazetteer.feature and gazetteer.source_feature, counts of landmark names by last
word, landmark names matching sports / leisure / stage / park words (about 330), the names of all 95 parks, 80
random landmark names with park / ground / hall words, counts of food premises by business type, 120 random
food premises with club / sports / stage / hall words, the venue-level names (with how many share them)
matching about sixty London ground, stage, park and market words, the position, nearest postcode and street of
thirty of those (grounds, arenas, clubs), 25 random landmark market names, 12 random stations with network and
lines; ``truths.unique_venues`` for each venue kind (counts and a random 120 of matching names); and this
module's own output (``generate(conn, 900)`` on the development gazetteer; a few hundred texts looked at, with
throw-away scripts of this session's own under /tmp, deleted at the end). This family's test file imports
heldout_o's, heldout_p's and heldout_q's module-level lists and independent.py's no-place, unknown, home,
station-word and road-abbreviation lists only to check that none of them was taken over; the same comparison
was first run as a throw-away script printing every coincidence at once (it also printed which of this
module's internal words -- case and share keys, digits, the words of ``_BLAND`` and ``_WARD_NOT`` -- occur
somewhere in theirs; those are no phrases and were left). The coincidences it named were all rewritten: chain
forms of twelve brands (the usual nicknames of McDonald's, Wetherspoon, KFC and Starbucks and forms of Tesco,
Sainsbury's, Costa, Pret, Nando's, Domino's, Boots and Wilko; then a second round for six and a third for
one); the street short forms, nine of ten pairs equal to heldout_p's and four to independent.py's (now the
less usual forms below, "rd" the one left in common); "ground" among the words left off (so only "Football
Club" / "FC" ends are left off now); the station words of every network (eight phrases, and the DLR's set
equal to another family's); templates (three chain-alone, one chain-station, two chain-district, two
chain-ward, one chain-street, two junction, one line, two nearby, one street, three venue), one non-place
phrase, two unknown phrases, two hedges, four what-happened phrases and three who-the-patient-was forms; one
rail station word that read as a line was rewritten after this family's line check failed on the full
gazetteer. The generator's output was also checked against the full development gazetteer by calling this
family's three database tests on it (read-only). Not read: anything under db/, docs/, README.md,
safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py,
batch.py, heldout.py and heldout_b.py .. heldout_p.py beyond their FAMILY / SEED lines and the list names
above, the rest of independent.py, tests/geocoding/test_geocoder*, the other tests/geocoding/test_heldout_*.py
files (but test_heldout_worker.py), tests/conftest.py, /work/scratch, /tmp files this session did not make,
the git history. Every phrase, template, brand form, nickname, abbreviation and noise rule below was written
fresh for this module (street-word short forms such as "rd", bare templates such as "{v}", a brand's bare name
and generic words such as "station" inevitably coincide with other families'). The geocoder was never run on
these texts (no call of safestats.geocode or of any geocode* SQL function, no ``make eval-geocoder``, no
evaluation module); the only things run were this module's ``generate``, its own test file
tests/geocoding/test_heldout_events.py (also with this module deliberately broken for a moment, once for each
of its tests, to see each fail, then restored) and ``ruff check``.

Style. One location field: the place as someone at the event or the event's medics say it -- a venue by what
goes on there (``VENUE_FORMS`` by sort: the end, gate or block of a ground; the front of a stage or the
queue of a venue; the clubhouse or pitch of a sports club; the gym floor or pool of a leisure centre; the
end, lake or bandstand of a park; the function of a hall; the garden of a pub; the floor of a club; the queue
of a takeaway; of the gazetteer's landmarks and food premises by the last words of their names:
``EVENT_SORTS``), a famous ground or stage now and then by what fans call it or its sponsor's name
(``GROUND_AKA``, a nickname), a team ground by the team alone when the rest is the name of no other place
(``TEAM_ENDS`` left off), a chain outlet by the chain's name as drinkers and fans say it (``CHAIN_SAYINGS``; a
form without the brand's letters is a nickname), a hospital where the trouble went on (its social club,
fete, car park, waiting room) and this department itself (``IN_OUR_DEPT``: the fight carried on here), the
station walked from or to with the word people say for it (``STN_SAY``), the queue, barriers or platform,
now and then the Underground line; a street as a crowd, a march, a street party or a market uses it
(``STREET_FORMS``); a corner of two streets; a ticket's or a booking's postcode, its start, a district; a ward
as the neighbourhood of a fair, carnival, fireworks or street party -- now and then with where the place is
after it (``NEARBY_FORMS``: the station within 400 m, the district, the borough or the nearest postcode
unit). Names as written: the gazetteer's capitals in ordinary case, bracketed parts and company suffixes
gone, apostrophes now and then typed as nothing (phones), "and" now and then written "n" or "&", a street's
last word shortened (``ROAD_SHORT``), a "The" in front dropped. Then the record: maybe a hedge
(``UNSURE``), who the patient was at the event (``WHO_PT`` by the sort of event, before or after the place),
who or what it came from (``FROM_WHOM`` before, each with the sorts of event it comes from;
``FROM_WHOM_AFTER``; the patient's or friend's own words then sometimes in quotes; for a no-place answer
only the patient, a friend, the crew, the medics or the police), when in the event (``WHEN``), drink
(``DRINK``), a log or wristband number (``LOGS``), what happened (``WHAT``, ``BY`` by sort; never a place),
the writer's case of the moment (as typed, all lower, capitals, every word capitalised) and a mark at the
end now and then. The no-place texts: the patient's own home (level home: a house party or the match on TV
at home), someone else's home (a friend's house party, a mate's flat after the gig; level home, one in three
non-places), unknown (refused, too drunk, no memory; level none) and non-places (in the crowd, at the match,
between venues, on a coach, the night bus, a fan zone or festival field of no name; level none). No text
names a second place other than the truth's own neighbourhood or a station's line.

Labels. Classes and levels as in the other held-out families: venues with a unique name (grounds, stages,
sports clubs, leisure centres, parks, halls, pubs, bars and takeaways; level venue), chain outlets with a
locality ("chain") and without ("chain, no locality"), hospitals (about a quarter "this department" texts
naming no hospital, whose truth is the reporting site itself), stations, street points, junctions (a bus
stop named after two streets), postcode units, sectors, districts, wards (level area), home, unknown and
non-places. Truths and reporting sites are drawn from the gazetteer through ``truths.py`` and ``sites.py``,
ordered by an md5 salted with this family's FAMILY and SEED, so a given gazetteer and ``n`` always give the
same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (either street of a
junction), of a ground's nickname, of a chain's name or nickname, or of the primary postcode / sector /
district were damaged: (a) one slip in one word of four letters or more (``SLIP_P`` by class; its kind by
``SLIP_SORTS``): a cold or gloved finger on a phone's key above or below the right one (``_GRID``), two
neighbouring letters typed the wrong way round in a hurry, a vowel left out as in a text message, or a word
spelt the way it was shouted across a crowd or said over a steward's radio (``SAID_AS``); never the first
letter, never an abbreviation or a word left off, and never a slip that gives the street word's short form;
(b) a code passed over a steward's radio or typed on a phone's number pad with one character wrong
(``RADIO_CODE``: a letter of a unit's inward code heard as one that sounds like it; a sector's inward digit
or a district's digit typed as the key above or below it on a number pad, ``PAD``) -- unless what was
written is another real code of the truth's own point. Not typos: case, apostrophes, "n" or "&" for "and",
short street words, a "The" dropped, a team ground's end left off, a ground's or chain's other forms or
nickname, a postcode's space left out, quotes, hedges, who the patient was, sources, times, drink, log
numbers, what happened, an end mark. A locality said after a place never slips.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "events"
SEED = 6_830_271

SHARES = {
    "venue": 0.18,
    "chain": 0.11,
    "hospital": 0.10,
    "station": 0.13,
    "street": 0.12,
    "junction": 0.03,
    "postcode": 0.04,
    "sector": 0.03,
    "district": 0.03,
    "area": 0.05,
    "home": 0.03,
    "unknown": 0.06,
    "nonplace": 0.09,
}

# the chance one word of the place's own name (or one character of the primary code) came out damaged, by
# class: typed on a phone in the cold or the dark of a first-aid tent, in a hurry, or as it was shouted or
# radioed
SLIP_P = {
    "venue": 0.07,
    "chain": 0.05,
    "hospital": 0.04,
    "station": 0.06,
    "street": 0.08,
    "junction": 0.07,
    "postcode": 0.08,
    "sector": 0.06,
    "district": 0.06,
    "area": 0.07,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
# how a damaged word came out: a gloved finger on the key above or below, two letters the wrong way round,
# a vowel left out as in a text, or the word spelt as it was heard
SLIP_SORTS = {"glove": 0.3, "swap": 0.25, "vowel": 0.2, "heard": 0.25}

APOS_GONE_P = 0.4  # apostrophes typed as nothing
AND_P = 0.2  # "and" written "n" or "&"
SHORT_P = 0.4  # a street's last word shortened (ROAD_SHORT)
THE_GONE_P = 0.3  # a "The" in front of a name dropped
TEAM_P = 0.4  # a team ground's end ("Football Club" ...) left off, when what is left names nothing else
AKA_P = 0.55  # a ground or stage with other names called by one of them
NEARBY_P = 0.25  # where the venue is (station, district, borough, postcode), after it
UNSURE_P = 0.06  # the name not certain
FROM_P = 0.34  # who or what the location came from, before it
FROM_AFTER_P = 0.1  # ... or after it
QUOTE_P = 0.3  # the patient's (or the friend's) own words in quotes
WHO_P = 0.3  # who the patient was at the event
WHO_FIRST_P = 0.35  # ... written before the place rather than after
WHEN_P = 0.2  # when in the event
DRINK_P = 0.14  # drink noted
LOG_P = 0.08  # a log, incident or wristband number
WHAT_P = 0.24  # what happened (and by whom)
CASE = {"typed": 0.5, "lower": 0.24, "caps": 0.17, "title": 0.09}
END_P = 0.07  # a mark at the end of the field

# --- how people at events write names -----------------------------------------------------------------------

# the street word at the end of a street name, shortened as typed on a phone
ROAD_SHORT = {
    "road": "rd",
    "street": "str",
    "avenue": "aven",
    "gardens": "grdns",
    "grove": "grov",
    "terrace": "terrc",
    "crescent": "cresnt",
    "square": "sqre",
    "drive": "drve",
    "place": "plce",
}
_SHORTS = set(ROAD_SHORT.values())

# the end of a team ground's name that fans leave off ("at Barnet", "the Dulwich Hamlet end")
TEAM_ENDS = [
    re.compile(r"(?i)\s+rugby\s+(?:union\s+)?football\s+club$"),
    re.compile(r"(?i)\s+football\s+club$"),
    re.compile(r"(?i)\s+f\.?c\.?$"),
]
# words of a name that may be left off (never slipped on)
LEFT_WORDS = {"the", "rugby", "union", "football", "club", "fc"}

# venues where people gather, by what goes on there: the gazetteer name ends so
EVENT_SORTS = [
    ("ground", re.compile(r"(?i)\b(stadium|football (?:club|ground)|rugby (?:union )?(?:football )?club|"
                          r"cricket ground|f\.?c\.?|fc clubhouse|athletic club|greyhound stadium)$"
                          r"|^afc\s+[a-z]+$")),
    ("stage", re.compile(r"(?i)\b(theatre|arena|concert hall|music hall|playhouse|ballroom|comedy club|"
                         r"apollo|academy brixton|brixton academy|roundhouse|empire|picture palace)$")),
    ("club", re.compile(r"(?i)\b(tennis club|lawn tennis (?:and|&) squash club|squash club|bowls club|"
                        r"bowling club|cricket club|hockey club|boat club|rowing club|boxing club|"
                        r"sports club|sports (?:and|&) social club|sports association|golf club)$")),
    ("leisure", re.compile(r"(?i)\b(leisure centre|sports centre|lido|swimming pool|ice rink|ice centre|"
                           r"leisure club|sports park|fitness centre|gym)$")),
    ("park", re.compile(r"(?i)\b(park|common|heath|playing fields|recreation ground|fields)$")),
    ("hall", re.compile(r"(?i)\b(town hall|village hall|church hall|community centre|community hall|"
                        r"assembly hall|parish hall|tenants hall|social club|working mens club|"
                        r"british legion|legion club)$")),
]
NOT_EVENT = re.compile(
    r"(?i)\b(station|stn|stop|bus|tram|garage|depot|roundabout|corner|police|court|prison|school|primary|"
    r"college|university|nursery|kids|children|after school|breakfast|lunch|luncheon|caf[eé]|kitchen|"
    r"catering|caterers|canteen|staff|training|foundation|(?<!brixton )academy(?! brixton)|hospital|hosp|"
    r"surgery|clinic|care|business|retail|trading|industrial|caravan|camp|campsite|farm|cemetery|crematorium|"
    r"hotel|shop|store|stores|supermarket|market|mart|office|house|lodge|road|street|lane|avenue|way|"
    r"walkway|grill|restaurant|bar|pizza|chicken|kebab|curry|food|wine|off licence|pharmacy)\b"
    r"|[<>0-9@/+]|\bt/a\b|\bat\b|\b(?:" + "|".join(CHAINS) + r")\b"
)

# grounds and stages with other names, as fans and gig-goers call them (keyed by the gazetteer name's
# letters); every form is a NICKNAME when it lacks the name's own distinguishing words
GROUND_AKA = {
    "chelseafootballclub": ["Stamford Bridge", "the Bridge"],
    "tottenhamhotspurfootballclub": ["Spurs ground", "Tottenham Hotspur Stadium", "the new White Hart Lane"],
    "millwallfootballground": ["The Den", "the New Den", "Millwall's ground"],
    "queensparkrangersfootballstadium": ["Loftus Road", "QPR stadium", "Rangers' ground"],
    "queensparkrangersfootballclub": ["Loftus Road", "QPR ground"],
    "fulhamfootballclub": ["Craven Cottage", "the Cottage"],
    "charltonathleticfootballclub": ["The Valley", "Charlton's ground"],
    "brentfordfootballclub": ["Griffin Park", "the Bees' ground"],
    "barnetfootballclub": ["The Hive", "Hive stadium"],
    "bromleyfootballclub": ["Hayes Lane ground"],
    "afcwimbledon": ["Kingsmeadow", "the Dons' ground"],
    "wimbledonstadium": ["Plough Lane", "Wimbledon dogs track"],
    "twickenhamstadium": ["Twickers", "rugby HQ", "Twickenham rugby ground"],
    "lordscricketground": ["Lord's", "home of cricket"],
    "wembleyarena": ["OVO Arena Wembley", "SSE Arena Wembley"],
    "brixtonacademy": ["O2 Academy Brixton", "Brixton O2", "the Academy"],
    "haringeyfootballclub": ["Coles Park", "Haringey Borough ground"],
    "dulwichhamletfcclubhouse": ["Champion Hill", "Hamlet's ground"],
    "tootingbeclido": ["the Lido at Tooting Bec"],
}

# chains as fans, drinkers and gig-goers call them; forms without the brand's letters are NICKNAMES
CHAIN_SAYINGS = {
    "tesco": ["Tesco", "Tesco's", "the big Tesco", "Tesco superstore"],
    "sainsburys": ["Sainsbury's", "Sainsburys", "Sainsbo's", "Sainsbury's superstore"],
    "costa": ["Costa", "Costa coffee shop"],
    "starbucks": ["Starbucks", "Sbux", "Starbucks shop"],
    "mcdonalds": ["McDonald's", "Maccy's", "Mackey Dee's", "the golden arches", "McDonald's drive thru"],
    "kfc": ["KFC", "Kentucky chicken", "the KFC"],
    "aldi": ["Aldi", "Aldis"],
    "lidl": ["Lidl", "Lidls"],
    "greggs": ["Greggs", "Greggs the baker"],
    "subway": ["Subway", "Subways"],
    "pret": ["Pret", "Pret sandwich shop"],
    "nandos": ["Nando's", "Nandos", "Nando's chicken"],
    "iceland": ["Iceland"],
    "morrisons": ["Morrisons", "Morrison's", "Morrisons Daily"],
    "asda": ["Asda", "ASDA"],
    "waitrose": ["Waitrose"],
    "wetherspoon": ["Wetherspoon", "Spoonies", "Weatherspoons", "Wetherspoons boozer"],
    "dominos": ["Domino's", "Dominoes", "Domino's pizza place"],
    "boots": ["Boots", "Boots chemists"],
    "londis": ["Londis", "the Londis"],
    "budgens": ["Budgens"],
    "wasabi": ["Wasabi"],
    "itsu": ["itsu", "ITSU"],
    "leon": ["Leon", "LEON"],
    "wilko": ["Wilko", "Wilko's"],
}
NICKNAMES = {"Sainsbo's", "Sbux", "Maccy's", "Mackey Dee's", "the golden arches", "Kentucky chicken",
             "Spoonies", "Weatherspoons", "Dominoes"}
# what an outlet of a chain is to people on a day out
CHAIN_KIND = {
    **dict.fromkeys(("costa", "starbucks", "mcdonalds", "kfc", "greggs", "subway", "pret", "nandos",
                     "dominos", "wasabi", "itsu", "leon"), "eat"),
    "wetherspoon": "drink",
}

# --- what the record adds around a place --------------------------------------------------------------------

_CROWD = ("ground", "stage", "park", "street", "station")
_DRINKING = ("pub", "bar", "drink", "ground", "stage", "hall")
# who or what the location came from: (the words before the place, whether it is the patient's or a
# friend's own account, the sorts of event it comes from, or None for any)
FROM_WHOM = [
    ("pt says ", True, None),
    ("pt's account - ", True, None),
    ("per pt: ", True, None),
    ("pt tells triage ", True, None),
    ("mate with pt says ", True, None),
    ("friend answering for pt: ", True, None),
    ("pt (intox) says ", True, None),
    ("girlfriend states ", True, None),
    ("first aid tent h/o: ", False, _CROWD + ("club", "leisure", "hall")),
    ("event medics handover - ", False, _CROWD),
    ("St John Amb handover: ", False, None),
    ("from steward's incident log - ", False, _CROWD),
    ("stewards log: ", False, ("ground", "stage", "street")),
    ("per event control: ", False, _CROWD),
    ("safety officer at ground - ", False, ("ground",)),
    ("per police spotter ", False, ("ground", "street", "station", "pub", "drink")),
    ("Met officer with pt: ", False, None),
    ("per BTP officer ", False, ("station",)),
    ("LAS h/o - ", False, None),
    ("amb crew say ", False, None),
    ("LAS crew report: ", False, None),
    ("door staff told crew ", False, ("bar", "pub", "drink", "stage")),
    ("club welfare officer: ", False, ("club", "leisure")),
    ("lifeguard reports ", False, ("leisure",)),
    ("per teacher with pt ", False, ("hall", "park", "leisure")),
    ("parent reports ", False, ("hall", "park", "leisure", "club")),
]
FROM_WHOM_AFTER = [
    (" (per stewards)", _CROWD),
    (" - from med tent notes", _CROWD + ("club", "leisure", "hall")),
    (" [LAS]", None),
    (" - pt's friend", None),
    (" (police)", None),
    (" - as per event log", _CROWD),
    (" per SJA", None),
]
# the name not certain: {} is the place
UNSURE = ["{} i think", "somewhere by {}", "{} (pt not sure)", "{} ???", "{} - pt vague",
          "around {} pt thinks"]
# who the patient was at the event, by its sort
WHO_PT = {
    "ground": ["home fan", "away fan", "season ticket holder", "spectator", "fan", "supporter"],
    "stage": ["gig-goer", "at a concert", "audience member", "ticket holder"],
    "club": ["player", "club member", "spectator", "youth team coach"],
    "leisure": ["gym user", "swimmer", "five-a-side player", "member"],
    "park": ["festival-goer", "reveller", "at the fair", "dog walker", "picnicking"],
    "hall": ["party guest", "wedding guest", "parent at school disco", "at a christening"],
    "pub": ["drinking with friends", "watching the match", "pre-match drinks", "punter"],
    "bar": ["clubber", "night out", "on a hen do", "on a stag do"],
    "takeaway": ["after a night out", "with mates", "customer"],
    "street": ["marcher", "protester", "walking to the game", "street party guest", "reveller",
               "carnival-goer"],
    "station": ["travelling fan", "commuter caught up", "on the way to an event", "with a group of fans"],
    "hospital": ["visitor", "party guest", "runner in charity run"],
    "eat": ["late night customer", "with mates", "on a night out"],
    "drink": ["pre-match drinks", "watching the match", "stag party"],
    "shop": ["buying drinks before the gig", "shopper"],
}
WHO_AFTER = [" [{r}]", " - pt {r}", ", {r}"]
WHO_BEFORE = ["{r}; ", "{r} -- "]
# when in the event
WHEN = [" - half time", " - after final whistle", " - during the set", " - at midnight", " - kick-off",
        " - as fireworks started", " - at closing time", " - encore", " - end of the night",
        " - during the march", " - before the doors opened", " - at the final whistle"]
DRINK = [" - ETOH", " (drinking since noon)", " - intox", " - had eight pints", " - alcohol ++",
         " (smells of alcohol)", " - drunk"]
# a log, incident or wristband number ({k})
LOGS = [" - log {k}", " (incident #{k})", " - wristband {k}", " - CAD {k}", " [event ref {k}]",
        " - ticket {k}"]
# what happened, and by whom (by the sort of event)
WHAT = [" - punched in face", " - bottled", " - glassed in face", " - kicked on the ground", " - head butted",
        " - hit with thrown can", " - stamped on", " - slapped", " - jumped by a group",
        " - hit with flagpole", " - stabbed?", " - hit with a chair"]
BY = {
    "ground": [" - by rival fans", " - by opposition supporters", " - home fans"],
    "stage": [" - by another gig-goer", " - in the pit", " - by security"],
    "club": [" - by opposition player", " - by a parent", " - fight after the game"],
    "leisure": [" - by another member", " - on the court"],
    "park": [" - by a group of youths", " - by strangers", " - at the fair rides"],
    "hall": [" - by another guest", " - by uninvited guests"],
    "pub": [" - by another drinker", " - by bouncer"],
    "bar": [" - by bouncer", " - by another clubber"],
    "takeaway": [" - by another customer", " - by drunk male"],
    "street": [" - by counter-protesters", " - by a group of fans", " - by stranger in crowd"],
    "station": [" - by rival fans on platform", " - by fellow passenger"],
    "hospital": [" - by other party", " - by visitor"],
    "eat": [" - by another customer", " - queue dispute"],
    "drink": [" - by another drinker", " - by rival fans"],
    "shop": [" - by shop security", " - by another customer"],
}

# --- the texts of each class --------------------------------------------------------------------------------

# venues by what goes on there ({v} the venue, {n} a number)
VENUE_FORMS = {
    "ground": ["{v}", "{v}", "{v} - away end", "outside {v} after the game", "{v} block {n}",
               "entrance {n}, {v}", "{v} concourse at half time", "queue for the turnstiles at {v}",
               "{v} - home end", "{v} car park after match", "fan zone outside {v}", "in the stand at {v}"],
    "stage": ["{v}", "{v}", "{v} - front of stage", "queue outside {v}", "{v} mosh pit", "{v} standing",
              "{v} smoking area", "{v} - cloakroom queue", "at a gig at {v}", "{v} stage door"],
    "club": ["{v}", "{v} clubhouse", "pitch at {v}", "{v} - end of season party", "{v} pavilion",
             "{v} bar after the game", "presentation night at {v}", "{v} - on the courts"],
    "leisure": ["{v}", "{v} gym floor", "{v} sports hall", "5 a side at {v}", "{v} - boxing night",
                "in the pool at {v}", "{v} car park at the end", "{v} mens changing"],
    "park": ["{v}", "{v}", "{v} - bandstand", "fireworks in {v}", "festival in {v}", "{v} by the lake",
             "top end of {v}", "funfair on {v}", "{v} - football pitches", "{v} near the playground",
             "{v} - bottom end by the gates"],
    "hall": ["{v}", "{v} - wedding reception", "christening at {v}", "{v} (18th birthday party)",
             "wake at {v}", "{v} - Eid party", "party at {v}", "{v} - school disco"],
    "pub": ["{v}", "{v}", "{v} before the match", "{v} garden", "outside {v} smoking", "{v} - karaoke",
            "watching the footy in {v}", "{v} - quiz night", "{v} after the gig"],
    "bar": ["{v}", "{v} dancefloor", "{v} - VIP area", "in the queue to get into {v}", "{v} toilets",
            "{v} - club night", "outside {v} at kicking out time"],
    "takeaway": ["{v}", "{v} after the game", "waiting for food in {v}", "outside {v} late",
                 "{v} after a night out"],
}
# a food premises' name that is no bar or takeaway people name (a street, a station, a "X at Y")
_PARK_END = re.compile(r"(?i)\b(park|gardens|common|heath|hill|fields)$")
_FOOD_NOT = re.compile(r"(?i)\b(station|stn|road|street|lane|avenue|at|staff|school|catering|canteen)\b"
                       r"|[0-9]")

# what part of a chain outlet, by what it is to people on a day out ({c} the chain)
CHAIN_ALONE = {
    "eat": ["{c}", "{c}", "{c} after the match", "in the queue at {c}", "{c} loos", "outside {c} at 2am",
            "in {c} after the gig"],
    "drink": ["{c}", "{c}", "{c} pre-match", "{c} - before the gig", "{c} garden",
              "in {c} watching the game"],
    "shop": ["{c}", "{c}", "{c} - buying cans before the game", "stood outside {c}", "{c} entrance",
             "{c} by the tills"],
}
CHAIN_ON_STREET = ["{c} down {w}", "{w} {c}", "outside {c}, {w}", "{c} ({w}) after the game"]
CHAIN_BY_STATION = ["{c} over the road from {s} station", "{c} outside {s} stn",
                    "the {c} next to {s} station", "{s} station {c}"]
CHAIN_IN_WARD = ["{c} over {a} way", "{c} up in {a}", "{a} {c} after the match"]
CHAIN_IN_DISTRICT = ["{c} ({d} postcode)", "{c} ({d}) pre-match", "{c} somewhere in {d}"]

# a hospital where the trouble was ({h}; {n} a number)
HOSPITAL_FORMS = [
    "{h}",
    "{h}",
    "{h} social club",
    "{h} summer fete",
    "{h} car park after a gig",
    "{h} - staff christmas party",
    "{h} fun run",
    "{h} main entrance - carried on from the match",
    "outside {h} after the game",
    "{h} bus stop after a night out",
    "{h} - leaving do in the canteen",
    "sponsored walk from {h}",
]
# in this emergency department itself, the trouble carried on here: no hospital named (truth: the site)
IN_OUR_DEPT = [
    "here - in our waiting room",
    "our ED waiting room, rival fans",
    "in the dept, fight carried on from the ground",
    "this A&E - both groups brought in",
    "here at triage, other party also a pt",
    "our majors corridor",
    "A&E front door here",
    "ED reception here - after the gig",
    "UTC waiting area, this site",
    "in our department - other party",
    "this ED ambulance bay - fans",
]
# the station walked from or to ({s} station, {m} the word for it, {n} platform, {l} line)
STATION_FORMS = [
    "{s} {m}",
    "{s} {m}",
    "{s}",
    "walking from {s} {m} to the ground",
    "outside {s} {m} after the match",
    "{s} {m} barriers",
    "platform {n} {s} {m}",
    "queue into {s} {m} after fireworks",
    "{s} {m} forecourt",
    "escalator at {s} {m}",
    "{s} {m} - on way home from gig",
    "steps of {s} {m}",
    "{s} {m} ticket hall - crowds",
    "{s} - outside, going to the game",
]
LINE_FORMS = ["{s}, {l} line platform", "{s} ({l} line) after the game", "{s} {m} - {l} line"]
# the word people say after a station, by network
STN_SAY = {
    "tube": ["tube", "tube stn.", "underground stop"],
    "overground": ["overground", "ovg"],
    "dlr": ["DLR", "DLR stn."],
    "tram": ["trams", "tram"],
    "lizzy": ["Lizzie line", "Elizabeth line stn"],
    "rail": ["overland", "mainline stn", "BR station"],
    "any": ["station", "stn", "Stn."],
}
# a street at the event ({st}; {n} a house number)
STREET_FORMS = [
    "{st}",
    "{st}",
    "walking down {st} to the ground",
    "{st} - crowd after the match",
    "street party on {st}",
    "{st} market stalls",
    "market on {st}",
    "{st} - the march",
    "queue along {st} for the gig",
    "{st} after the fireworks",
    "outside no {n} on {st}",
    "bus stop on {st} after the game",
    "{st} - fans walking back",
    "{st} by the fair",
    "protest on {st}",
]
JUNCTION_FORMS = ["{a} at the corner with {b}", "{a} x {b} after the match", "{a}/{b} crossing - march",
                  "{a} where it crosses {b}", "{a} by {b} - crowd"]
POSTCODE_FORMS = ["{p}", "{p}", "{p} (on ticket)", "venue pc {p}", "event site {p}",
                  "{p} - from booking email", "ground pc {p}", "postcode on wristband {p}"]
SECTOR_FORMS = ["{p} - rest of pc smudged", "ticket pc starts {p}", "{p}... (pt can't recall rest)",
                "pc {p} something"]
DISTRICT_FORMS = ["{d}", "{d}", "{d} - somewhere near the ground", "{d} (festival)", "out in {d}",
                  "{d} - street party"]
AREA_FORMS = ["{a}", "{a}", "{a} carnival", "{a} fireworks", "fair in {a}", "{a} - street party",
              "{a} (bonfire night)", "out in {a} for NYE"]
# where a venue or street is, after it ({s} station, {d} district, {b} borough, {u} postcode unit)
NEARBY_FORMS = {
    "s": [" (nearest stn {s})", " - round the corner from {s} station", ", by {s} stn"],
    "d": [" ({d} end)", " (pc area {d})", " {d} way"],
    "b": [", borough of {b}", " - {b} area"],
    "u": [" - postcode {u}", " [{u}]"],
}

HOME_TEXTS = [
    "own home - house party",
    "own flat, watching the fight on TV",
    "at home after the match",
    "own house - his birthday party",
    "home, got back from festival",
    "pt's own garden - bbq",
    "own home, NYE party",
    "at home - own party got out of hand",
    "own flat after the gig",
    "home address - family party",
    "own house, fireworks in garden",
]
UNKNOWN_TEXTS = [
    "can't remember - drinking all day",
    "refuses to give location",
    "too drunk to give location",
    "no recollection",
    "pt doesn't know the venue name",
    "declined, says was at a do",
    "won't say, police aware",
    "not stated on handover",
    "unsure - lost friends",
    "pt vague, no location",
    "blacked out, unknown",
    "not given by pt or friends",
    "unknown - pt asleep on arrival",
]
# no place: (the text, its sort of event or None)
NONPLACE_TEXTS = [
    ("in the crowd", None),
    ("at the match", "ground"),
    ("at a gig", "stage"),
    ("moving between venues", None),
    ("on the supporters coach", "ground"),
    ("coach back from the game", "ground"),
    ("night bus home", None),
    ("in an uber on the way home", None),
    ("on the train back from the football", "station"),
    ("in the mosh pit", "stage"),
    ("somewhere in the festival", "park"),
    ("festival campsite", "park"),
    ("fan zone - no location", "ground"),
    ("at the protest", "street"),
    ("at the fireworks", "park"),
    ("on the pitch", "club"),
    ("in the queue", None),
    ("at a wedding", "hall"),
    ("walking home from the match", "ground"),
    ("during the march", "street"),
    ("at carnival - lost friends", "street"),
    ("at a rave", "bar"),
]
# someone else's home (level home), with the sort of event
OTHER_HOMES = [
    ("friend's house party", "hall"),
    ("mate's flat after the gig", "stage"),
    ("cousin's house - birthday", "hall"),
    ("neighbour's garden party", "hall"),
    ("someone's house party, address unknown", None),
    ("girlfriend's flat after the match", "ground"),
    ("a friend's flat - after party", "bar"),
    ("uncle's house, family do", "hall"),
    ("stranger's house party", None),
    ("brother's flat, watching the fight", None),
    ("mate's house - pre-drinks", "bar"),
]

# --- names as written ---------------------------------------------------------------------------------------

_COMPANY = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|cic|\(\d+\))\.?\s*$")


def _plain(name: str) -> str:
    """A gazetteer name as someone types it: bracketed parts gone (when letters are left), company suffixes
    gone, commas as spaces; a name held in capitals in ordinary case and "'S" as "'s"."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name.replace("(", " ").replace(")", " ")
    s = " ".join(s.replace(",", " ").split())
    for _ in range(3):
        s = _COMPANY.sub("", s).strip()
    s = s or " ".join(name.split())
    if s.isupper():
        keep = ("FC", "AFC", "O2", "QPR", "YMCA", "DLR")
        s = " ".join(w if w in keep else w.capitalize() for w in s.split())
    return re.sub(r"(?<=[A-Za-z])['’]S\b", "'s", s)


def _station_name(name: str) -> str:
    """A station's name as said: no bracketed part, network tag or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)$", "", s)
    if not re.search(r"(?i)\bpower station$", s):
        s = re.sub(r"(?i)\s+(?:lu|nr|el|ell|lo|dlr|rail station|railway station|station|stn)$", "", s.strip())
    return _plain(" ".join(s.split()))


def _net(source: str, network: str | None, lines: str | None, name: str) -> str:
    """Which of STN_SAY people say after a station."""
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


def _a_line(lines: str | None, network: str | None, rng: random.Random) -> str | None:
    """One of an Underground station's own lines, or None."""
    if network != "London Underground":
        return None
    got = [x.strip() for x in (lines or "").split(",")]
    got = [x for x in got if x and x.lower() != "n/a" and re.fullmatch(r"[A-Za-z& ]+", x)]
    return rng.choice(got) if got else None


def _letters(name: str) -> str:
    """A name as lower-case letters and digits ("the" in front left off)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?i)^the\s+", "", name).lower())


_BLAND = LEFT_WORDS | {
    "park", "common", "heath", "fields", "playing", "recreation", "stadium", "arena", "theatre", "hall",
    "ground", "town", "village", "church", "community", "centre", "leisure", "sports", "social", "and",
    "tennis", "lawn", "squash", "bowls", "bowling", "cricket", "golf", "boat", "rowing", "boxing", "hockey",
    "lido", "swimming", "pool", "gym", "st", "saint", "new", "old", "north", "south", "east", "west", "upper",
    "lower", "great", "royal", "city", "london", "concert", "music", "athletic", "association", "assembly",
    "parish", "tenants", "legion", "british", "empire", "palace", "picture",
}


def _event_sort(name: str) -> str | None:
    """What goes on at a venue, by the end of its name (EVENT_SORTS), or None (also when no word of it tells
    it from others of its sort)."""
    words = re.findall(r"[a-z0-9']+", name.lower())
    if NOT_EVENT.search(name) or not any(w.replace("'", "") not in _BLAND for w in words):
        return None
    return next((sort for sort, pat in EVENT_SORTS if pat.search(name.strip())), None)


def _food_sort(business: str | None) -> str | None:
    """A food premises by its business type: a pub / bar / nightclub or a takeaway, else None."""
    b = (business or "").lower()
    if "pub" in b or "nightclub" in b:
        return "bar"
    if "takeaway" in b:
        return "takeaway"
    return None


_WARD_NOT = ["and", "with", "ward", "north", "south", "east", "west", "central", "road", "street", "lane",
             "station", "hospital", "park", "common", "green", "town", "village", "estate", "gardens",
             "square", "market", "docks", "place", "end", "hill", "fields", "heath", "grove", "st", "vale",
             "riverside", "upper", "lower", "junction", "wood"]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"
_STREET_END = r"(road|street|lane|avenue|grove|gardens|crescent|terrace|square|close|drive|hill|way|rise)$"


def _street_ok(name: str) -> bool:
    """A street name a crowd would be on (not a campus entry or a long compound)."""
    return " - " not in name and len(name.split()) <= 4 and not re.search(
        r"(?i)\b(school|campus|college|hospital|estate|university|depot|station|market)\b", name
    )


def _ward_ok(name: str | None) -> bool:
    """A ward name people use for a neighbourhood (and no other kind of place)."""
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- how letters come out damaged ---------------------------------------------------------------------------

_QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_SHIFT = [0.0, 0.25, 0.75]


def _grid(c: str) -> list[str]:
    """The keys of a phone keyboard in the row above and the row below a letter's key that touch it."""
    low = c.lower()
    for r, row in enumerate(_QWERTY):
        if low in row:
            x = row.index(low) + _SHIFT[r]
            out = [k for rr in (r - 1, r + 1) if 0 <= rr < 3
                   for i, k in enumerate(_QWERTY[rr]) if abs(i + _SHIFT[rr] - x) < 1]
            return [k.upper() if c.isupper() else k for k in out]
    return []


# a word spelt the way it was shouted across a crowd or said over a radio: (letters, as heard); never
# at the start of a word
SAID_AS = [("ph", "f"), ("ck", "k"), ("th", "f"), ("ea", "ee"), ("ai", "ay"), ("wh", "w"), ("er", "a"),
           ("ou", "ow"), ("ey", "y"), ("tt", "dd"), ("se", "ze")]
_VOWELS = "aeiou"


def _glove(rng: random.Random, word: str) -> str:
    """One letter (never the first) replaced by a key above or below it."""
    spots = [i for i in range(1, len(word)) if _grid(word[i])]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + rng.choice(_grid(word[i])) + word[i + 1 :]


def _swap(rng: random.Random, word: str) -> str:
    """Two neighbouring different letters (never the first) the wrong way round."""
    spots = [i for i in range(1, len(word) - 1) if word[i].lower() != word[i + 1].lower()]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _vowel(rng: random.Random, word: str) -> str:
    """One vowel (never the first letter nor the last) left out, as in a text message; five letters or
    more."""
    if len(word) < 5:
        return word
    spots = [i for i in range(1, len(word) - 1) if word[i].lower() in _VOWELS]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def _heard(rng: random.Random, word: str) -> str:
    """One letter group (never at the start) spelt the way it sounds (SAID_AS)."""
    options = [(m.start(), was, now) for was, now in SAID_AS for m in re.finditer(was, word.lower())
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
    kinds = list(SLIP_SORTS)
    first = rng.choices(kinds, weights=[SLIP_SORTS[k] for k in kinds])[0]
    for kind in [first] + [k for k in kinds if k != first]:
        new = {"glove": _glove, "swap": _swap, "vowel": _vowel, "heard": _heard}[kind](rng, word)
        if new.lower() != word.lower() and new[0] == word[0]:
            return new
    return word


@dataclass
class Said:
    """A name or code in a text: as written, as meant, and whether letters of it were damaged."""

    shown: str
    meant: str
    hurt: bool = False


def _may_slip(words: list[str]) -> list[int]:
    """The words a slip may fall on: four letters or more, not a word that may be left off, not a short
    street word."""
    return [i for i, w in enumerate(words)
            if len(w) >= 4 and w.isalpha() and w.lower() not in LEFT_WORDS and w.lower() not in _SHORTS]


def _say(
    rng: random.Random,
    name: str,
    cls: str,
    street: bool = False,
    team: bool = False,
    slip: bool = True,
) -> Said:
    """A name as written in the record: plain, apostrophes maybe gone, "and" maybe "n" or "&", a "The" in
    front maybe dropped, a street's last word maybe short (ROAD_SHORT), a team ground's end maybe left off
    (``team``: TEAM_ENDS); with ``slip`` (the truth's own name) maybe one word damaged (SLIP_P)."""
    s = _plain(name)
    if rng.random() < APOS_GONE_P:
        s = re.sub(r"['’`]", "", s)
    if rng.random() < AND_P:
        s = re.sub(r"\b[Aa]nd\b", rng.choice(["n", "&"]), s)
    s = " ".join(s.replace("&", " & ").split())
    if team and rng.random() < TEAM_P:
        for pat in TEAM_ENDS:
            if pat.search(s) and pat.sub("", s).strip():
                s = pat.sub("", s).strip()
                break
    if rng.random() < THE_GONE_P and re.match(r"(?i)the\s+\S+\s+\S", s):
        s = s[4:]
    words = s.split()
    if street and len(words) > 1 and rng.random() < SHORT_P:
        short = ROAD_SHORT.get(words[-1].lower())
        if short:
            words[-1] = rng.choice([short, short.capitalize(), short.capitalize() + "."])
    meant = " ".join(words)
    spots = _may_slip(words)
    if slip and spots and rng.random() < SLIP_P[cls]:
        i = rng.choice(spots)
        for _ in range(6):  # a slip that gives the street word's short form is none
            new = _slip(rng, words[i])
            if new.lower() != ROAD_SHORT.get(words[i].lower()):
                words[i] = new
                break
    shown = " ".join(words)
    return Said(shown, meant, shown != meant)


# a letter of a postcode's inward code heard over a steward's radio as the one that sounds like it
RADIO_CODE = {"B": "D", "D": "B", "P": "T", "T": "P", "M": "N", "N": "M", "F": "S", "S": "F", "G": "J",
              "J": "G", "A": "H", "U": "W", "X": "Z", "Z": "X", "E": "G"}
# a digit typed on a phone's number pad as the key above or below it
PAD = {"1": "4", "2": "5", "3": "6", "4": "7", "5": "8", "6": "9", "7": "4", "8": "0", "9": "6", "0": "8"}


def _say_code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Said:
    """A postcode unit / sector / district as written (mostly capitals; a unit's space now and then left
    out); the primary one maybe with one character wrong: a letter of a unit's inward code heard as its
    sound-alike (RADIO_CODE), a sector's inward digit or a district's digit typed on the number pad's key
    above or below (PAD)."""
    s = code.upper() if rng.random() < 0.8 else code.lower()
    parts = s.split()
    if cls == "postcode" and len(parts) == 2 and rng.random() < 0.22:
        s = parts[0] + parts[1]
    if not slip or rng.random() >= SLIP_P[cls]:
        return Said(s, s)
    flat = [i for i, c in enumerate(s) if c != " "]
    if cls == "postcode":
        spots = [i for i in flat[-2:] if s[i].upper() in RADIO_CODE]
        table = RADIO_CODE
    elif cls == "sector":
        spots = [flat[-1]] if s[flat[-1]] in PAD else []
        table = PAD
    else:
        spots = [i for i in flat[1:] if s[i].isdigit()]
        table = PAD
    if not spots:
        return Said(s, s)
    i = rng.choice(spots)
    new = table[s[i].upper()]
    new = new.lower() if s == s.lower() else new
    return Said(s[:i] + new + s[i + 1 :], s, True)


# --- a text -------------------------------------------------------------------------------------------------


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


# who may pass on an answer that is no place: the patient or a friend, the crew, the medics or the police
_NO_PLACE_FROM = [(w, own, None) for w, own, _ in FROM_WHOM
                  if own or re.match(r"(?i)LAS|amb crew|event medics|St John|Met officer|per police", w)]
_SAYS_WHO = re.compile(r"(?i)\b(pt|pt's|friends?|crew|police|handover)\b")


def _num(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(low, high))


def _record(
    rng: random.Random,
    parts: list[str | Said],
    sort: str | None,
    place: bool = True,
    source: bool = True,
) -> tuple[str, bool]:
    """The location field as recorded: maybe a hedge (a place only), who the patient was (by ``sort``),
    who or what it came from (with ``source``; the words maybe quoted), when, drink, a log number, what
    happened (by ``sort``); in the writer's case of the moment. Returns the text and ``typo`` (letters of a
    name or code in it damaged)."""
    body = " ".join("".join(p.shown if isinstance(p, Said) else p for p in parts).split())
    typo = any(isinstance(p, Said) and p.hurt for p in parts)
    if place and rng.random() < UNSURE_P:
        body = rng.choice(UNSURE).format(body)
    if sort and rng.random() < WHO_P:
        who = rng.choice(WHO_PT[sort])
        if rng.random() < WHO_FIRST_P:
            body = rng.choice(WHO_BEFORE).replace("{r}", who) + body
        else:
            body += rng.choice(WHO_AFTER).replace("{r}", who)
    r = rng.random()
    if not source or (not place and _SAYS_WHO.search(body)):
        r = 1.0  # it already says where it came from (or it is this department's own note)
    if r < FROM_P:
        pool = [(w, own) for w, own, sorts in (FROM_WHOM if place else _NO_PLACE_FROM)
                if sorts is None or sort in sorts]
        who, own = rng.choice(pool)
        if own and rng.random() < QUOTE_P:
            q = rng.choice(['"', "'"])
            body = q + body + q
        body = who + body
    elif r < FROM_P + FROM_AFTER_P:
        body += rng.choice([w for w, sorts in FROM_WHOM_AFTER if sorts is None or sort in sorts])
    if rng.random() < WHEN_P:
        body += rng.choice(WHEN)
    if rng.random() < DRINK_P:
        body += rng.choice(DRINK)
    if rng.random() < LOG_P:
        body += rng.choice(LOGS).replace("{k}", _num(rng, 100, 999_999))
    if rng.random() < WHAT_P:
        body += rng.choice(WHAT + (BY[sort] if sort else []))
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
        body += rng.choice(["!", " //", "."])
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
    return Nearby(unit, district, borough, _station_name(stn[0]) if stn else None)


def _where(rng: random.Random, a: Nearby, p: float = NEARBY_P, station: bool = True) -> str:
    """Where a place is, said after it with chance ``p`` (the station by it or the district mostly, now and
    then the borough or the postcode), or nothing."""
    if rng.random() >= p:
        return ""
    have = {"s": a.station if station else None, "d": a.district, "b": a.borough, "u": a.unit}
    choice = rng.choices(["s", "d", "b", "u"], weights=(0.35, 0.3, 0.15, 0.2))[0]
    if not have[choice]:
        choice = "d"
    if not have[choice]:
        return ""
    return rng.choice(NEARBY_FORMS[choice]).replace("{" + choice + "}", have[choice])


def _unshared(name: str, where: str) -> str:
    """``where`` when it shares no word with the place's name (so no name is said twice), else ""."""
    def words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower().replace("'", "")) if len(w) >= 3}

    return "" if words(name) & words(where) else where


# --- the family ---------------------------------------------------------------------------------------------

# the venues of each sort wanted, as shares of the venue class
SORT_SHARE = {"ground": 0.2, "stage": 0.1, "club": 0.12, "leisure": 0.1, "park": 0.12, "hall": 0.1,
              "pub": 0.14, "bar": 0.07, "takeaway": 0.05}


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``events`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.25, none_placed=0.05, nearest=0.83, second=0.95
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

    # Venues whose name no other venue has, by what goes on there.
    want = {s: round(k["venue"] * p) for s, p in SORT_SHARE.items()}
    want["pub"] += k["venue"] - sum(want.values())
    pool: dict[str, list[tuple]] = {s: [] for s in want}
    known: dict[str, list[tuple]] = {s: [] for s in want}  # grounds and stages with other names first
    spare: list[tuple[str, tuple]] = []
    for kind in ("landmark", "park", "venue", "pub"):
        for row in truths.unique_venues(conn, salted, kind, 100_000, CHAINS, max_name=40):
            name = _plain(row[1])
            if _letters(name) in taken:
                continue
            if kind == "pub":
                sort = None if _FOOD_NOT.search(name) else "pub"
            elif kind == "park":
                sort = "park" if _PARK_END.search(name) and not NOT_EVENT.search(name) else None
            else:
                sort = _event_sort(name)
            if sort is None and kind == "venue" and not _FOOD_NOT.search(name) and len(name.split()) >= 2:
                sort = _food_sort(row[5])
            if sort is None:
                continue
            if _letters(name) in GROUND_AKA and len(known[sort]) < want[sort] // 2:
                known[sort].append(row)
            elif len(pool[sort]) < want[sort]:
                pool[sort].append(row)
            elif len(spare) < k["venue"]:
                spare.append((sort, row))
    rows = [(s, r) for s in want for r in (known[s] + pool[s])[: want[s]]]
    rows += spare[: k["venue"] - len(rows)]  # a small gazetteer: more of the sorts it has
    for sort, (fid, name, _kind, x, y, _business) in rows:
        aka = GROUND_AKA.get(_letters(_plain(name)))
        if aka and rng.random() < AKA_P:
            v = _say(rng, rng.choice(aka), "venue")
        else:
            rest = _plain(name)
            for pat in TEAM_ENDS:
                rest = pat.sub("", rest)
            team = sort == "ground" and _letters(rest) not in taken and len(_letters(rest)) >= 4
            v = _say(rng, name, "venue", team=team)
        parts = _parts(rng.choice(VENUE_FORMS[sort]), {"v": v}, {"n": _num(rng, 1, 40)})
        parts.append(_unshared(name, _where(rng, _nearby(conn, x, y, srid))))
        add("venue", "venue", parts, sort, x, y, fid)

    # Chains: an outlet of a brand with four or more; some texts say which (its street, the station by it,
    # the neighbourhood or the district). The chain's name is picked after the template.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        kind = CHAIN_KIND.get(brand, "shop")
        r = rng.random()
        if r < 0.22 and stn:
            cls, form = "chain", rng.choice(CHAIN_BY_STATION)
            names = {"s": Said(_station_name(stn), _station_name(stn))}
        elif r < 0.45 and street and not re.search(r"[0-9,()/]", street) \
                and re.search(_STREET_END, street, re.I):
            cls, form = "chain", rng.choice(CHAIN_ON_STREET)
            names = {"w": _say(rng, street, "chain", street=True, slip=False)}
        elif r < 0.53 and _ward_ok(ward):
            cls, form = "chain", rng.choice(CHAIN_IN_WARD)
            names = {"a": _say(rng, ward, "chain", slip=False)}
        elif r < 0.59 and district:
            cls, form = "chain", rng.choice(CHAIN_IN_DISTRICT)
            names = {"d": _say_code(rng, district, "district", slip=False)}
        else:
            cls, form, names = "chain, no locality", rng.choice(CHAIN_ALONE[kind]), {}
        forms = CHAIN_SAYINGS.get(brand, [brand.title()])
        if form.startswith("the ") or "{w} {c}" in form or "{a} {c}" in form or "station {c}" in form:
            forms = [f for f in forms if not f.lower().startswith("the ")] or forms
        form_c = rng.choice(forms)
        words = form_c.split()
        shown = list(words)
        if rng.random() < SLIP_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                shown[i] = _slip(rng, shown[i])
        names["c"] = Said(" ".join(shown), form_c, shown != words)
        add(cls, "venue", _parts(form, names, {}), kind, x, y, fid)

    # Hospitals where the trouble was or went on: about a quarter are this department's own notes, naming
    # no hospital (the truth is the reporting site).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 4)):
        add("hospital", "venue", [rng.choice(IN_OUR_DEPT)], "hospital", x, y, fid, site=code, place=False,
            source=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        h = _say(rng, name, "hospital")
        add("hospital", "venue", _parts(rng.choice(HOSPITAL_FORMS), {"h": h}, {}), "hospital", x, y, fid)

    # Stations walked from or to: the word people say for it (or none), now and then the line.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        s = _say(rng, _station_name(name), "station")
        m = rng.choice(STN_SAY[_net(source, net, lines, name)] + STN_SAY["any"])
        line = _a_line(lines, net, rng)
        form = rng.choice(LINE_FORMS) if line and rng.random() < 0.22 else rng.choice(STATION_FORMS)
        parts = _parts(form, {"s": s}, {"m": m, "n": _num(rng, 1, 12), "l": line or ""})
        if rng.random() < 0.25:
            parts.append(_unshared(name, _where(rng, _nearby(conn, x, y, srid), station=False)))
        add("station", "venue", parts, "station", x, y, fid)

    # Streets the crowd was on: a point of the street, now and then with where the street is.
    streets = truths.street_points(conn, salted, _STREET_END, k["street"] + k["street"] // 3 + 5)
    streets = [r for r in streets if _street_ok(r[1])][: k["street"]]
    for fid, name, _district, _namesakes, ward, x, y in streets:
        st = _say(rng, name, "street", street=True)
        parts = _parts(rng.choice(STREET_FORMS), {"st": st}, {"n": _num(rng, 1, 160)})
        r = rng.random()
        if r < 0.1 and _ward_ok(ward):
            where = rng.choice([" in ", ", ", " - "]) + _say(rng, ward, "area", slip=False).shown
            parts.append(_unshared(name, where))
        elif r < 0.3:
            parts.append(_unshared(name, _where(rng, _nearby(conn, x, y, srid), 1.0)))
        add("street", "street", parts, "street", x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_say(rng, piece.strip(), "junction", street=True) for piece in name.split("/"))
        add("junction", "junction", _parts(rng.choice(JUNCTION_FORMS), {"a": a, "b": b}, {}), "street", x, y)

    def same_point(col: str, code: Said, x: float, y: float) -> Said:
        """A wrong code that is another real code of the truth's own point is no slip."""
        hit = code.hurt and conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM gazetteer.postcode WHERE replace(upper({col}), ' ', '') = %s "
            "AND ST_X(geom) = %s AND ST_Y(geom) = %s)",
            (code.shown.upper().replace(" ", ""), x, y),
        ).fetchone()[0]
        return Said(code.meant, code.meant) if hit else code

    # Postcodes, sectors and districts (off a ticket, a booking, a wristband).
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        p = same_point("display", _say_code(rng, display, "postcode"), x, y)
        add("postcode", "postcode", _parts(rng.choice(POSTCODE_FORMS), {"p": p}, {}), None, x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        p = same_point("sector", _say_code(rng, sector, "sector"), x, y)
        add("sector", "sector", _parts(rng.choice(SECTOR_FORMS), {"p": p}, {}), None, x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        d = same_point("district", _say_code(rng, district, "district"), x, y)
        add("district", "district", _parts(rng.choice(DISTRICT_FORMS), {"d": d}, {}), None, x, y)

    # Neighbourhoods of a fair, carnival, fireworks or street party: wards; a random point inside.
    drawn = truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 7907, k["area"] * 4)
    for fid, name, x, y in [w for w in drawn if _ward_ok(w[1])][: k["area"]]:
        a = _say(rng, name, "area")
        add("area", "area", _parts(rng.choice(AREA_FORMS), {"a": a}, {}), "park", x, y, fid)

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
