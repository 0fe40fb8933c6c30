"""A fourth held-out labelled set for the geocoder: ``kiosk``.

Written on 2026-12-06 between 14:12 and 15:50 UTC (system clock) by a helper working apart from the
geocoder. What its author read: in independent.py the definitions of ``IndependentExample``,
``CHAINS`` and ``_clean_name`` (a too-wide grep also put on screen its first three lines, the noise
helpers just after ``IndependentExample`` -- ``_edge_typo``, ``_abbr``, the start of ``_typo_words`` --
and the first lines of ``generate_family``; no phrase list); in heldout_c.py the module docstring,
``SHARES``, the signatures of ``_postcode``, ``_road``, ``_station_name`` and ``_hospital_name``, and
``generate`` (how truths are drawn from the gazetteer and how the reporting A&E site is chosen) -- a grep
for its top-level names also showed the first line of each of its constants, i.e. a few words of the
crew phrase lists, which were not read further nor used; tests/geocoding/conftest.py and
tests/geocoding/test_heldout_crew.py (the test pattern); and the database's gazetteer tables
(gazetteer.feature, gazetteer.source_feature, gazetteer.postcode, ref.area, health.ae_site), to see
what exists. What it did not read: anything in db/functions/, docs/geocoding.md, blind.py,
blind_nonplaces.txt, /work/probe, tests/geocoding/test_geocoder*.py, and none of the phrase lists of
independent.py, heldout.py, heldout_b.py or heldout_c.py. Every phrasing and the noise model below were
written fresh for this family. The geocoder was not run on these texts (no safestats.geocode, no
evaluation); only the texts, their classes and levels were looked at. The module has never been used to
develop the geocoder or to fit its calibration. If it is ever looked at to tune the geocoder, it is no
longer held out: say so in docs/geocoding.md and write a new family.

Style: what patients (and the friends with them) type themselves into an A&E self check-in kiosk or the
NHS 111 online form under "Where did the injury happen?": first person, conversational, typed on a
phone. "it happened outside the tesco on rye lane", "got jumped near brixton station", "in the club
toilets at ...", "on the bus outside ...", "walking home down ...", "at the bus stop by X and Y", chains
by the names Londoners use ("maccies", "mcds", "spoons", "tescos", "nandos"), stations with "station",
"tube", "overground", "train station", "dlr", "tram stop", places in a hospital where people get hurt
while waiting ("in the waiting room here" -- the reporting site is then the hospital itself --, "outside
a&e at ...", "... car park"), postcodes typed in lower case with or without the space, half-remembered
postcodes ("postcode starts se15 4", "somewhere in e8"), neighbourhoods ("round camden town"). Home,
a friend's or relative's home (class ``nonplace``, level ``home`` as in the other families), stated
unknowns ("dont remember", "rather not say") and a long list of non-places as patients say them (work,
a party, a taxi, school, the cells, prison, abroad, a festival, the train, the gym, an unnamed pub or
park, ...), several of which read like venue names.

Noise (its own model, phone typing): texts are written mostly in lower case with apostrophes dropped;
then each text may get a typo (probability per class, about three in ten for places): one word of five
letters or more (letters only, so never a postcode, a house number or a bus route) gets one edit -- a
key next to the right one on a phone QWERTY keyboard (same row, or the touching keys of the row above or
below), a letter dropped, a letter doubled, or two different neighbouring letters swapped, at any
position including the first and last letters; now and then a second word gets one too. Independently
a word may be typed twice, the space between two words may be lost, the phone may capitalise the first
letter (or the patient types it ALL CAPS), and a "!!", "?", "." or the like may trail. Postcodes and
numbers are never mistyped. ``typo`` is true exactly when a letter edit was made.

Truth: the place the text names, drawn from the gazetteer as the other families draw it (a venue whose
name is unique, a random branch of a chain with four or more branches -- its street, nearby station,
ward or postcode district when the text gives one --, a hospital's or station's point, a random point
of a street, the bus stop named after two streets, a random unit of a postcode / sector / district, a
random point in a ward). The reporting A&E site is usually the nearest to the truth, sometimes the
second or third, missing in a few texts; for "here" texts it is the site the patient is at.

Status since its first run: its failures were read from 2026-12-06 17:30 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from .independent import CHAINS, IndependentExample, _clean_name
from .sites import reporting_site_chooser

FAMILY = "kiosk"
SEED = 8_305_147

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.11, "street": 0.12,
          "junction": 0.07, "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05,
          "home": 0.05, "unknown": 0.04, "nonplace": 0.11}

# typo probability per class
TYPO_P = {"venue": 0.3, "chain": 0.3, "hospital": 0.3, "station": 0.3, "street": 0.3, "junction": 0.3,
          "postcode": 0.12, "sector": 0.12, "district": 0.12, "area": 0.3, "home": 0.12, "unknown": 0.12,
          "nonplace": 0.12}

# --- how patients say it ----------------------------------------------------------------------------
OPENERS = ["", "", "", "", "", "it happened ", "happened ", "i was ", "got jumped ", "got attacked ",
           "someone hit me ", "got punched ", "we were ", "he was ", "she was ", "was ", "got hit ",
           "someone went for me ", "got stabbed ", "fight ", "my son was ", "they jumped us "]

NOUN_OPENERS = ["", "", "", "", "at ", "near ", "it was at ", "happened at "]
PREPOSITIONS = {"in", "at", "on", "outside", "near", "by", "inside", "round", "around", "out", "here",
                "here,", "right", "where", "under", "behind", "opposite"}

PUB_FORMS = ["outside {v}", "in {v}", "in the beer garden at {v}", "in the smoking area at {v}",
             "in the toilets at {v}", "at {v} pub", "outside {v} pub", "in the pub {v}", "at the bar in {v}",
             "leaving {v}", "in the car park of {v}", "at {v} watching the football", "by the door of {v}"]
CLUB_FORMS = ["in the club toilets at {v}", "outside {v}", "in {v}", "in the queue for {v}",
              "on the dancefloor at {v}", "at {v} club", "bouncers at {v} threw me out",
              "in the smoking area at {v}",
              "leaving {v} at closing"]
PARK_FORMS = ["in {v}", "walking through {v}", "by the gates of {v}", "at {v}", "in {v} by the benches",
              "on the path in {v}", "by the playground in {v}", "cutting through {v}"]
FOOD_FORMS = ["outside {v}", "in {v}", "queueing in {v}", "at {v}", "outside {v} takeaway",
              "in {v} waiting for food", "by {v}", "in front of {v}"]
SCHOOL_FORMS = ["at {v}", "outside {v}", "in the playground at {v}", "at the gates of {v}",
                "after school outside {v}", "in the corridor at {v}"]
SHOP_FORMS = ["in {v}", "outside {v}", "outside {v} shop", "by {v}", "in {v} at the till",
              "in front of {v}"]
OTHER_FORMS = ["at {v}", "outside {v}", "in {v}", "near {v}", "by {v}", "in front of {v}"]

CLUB_WORDS = re.compile(r"\b(club|lounge|nightclub|disco|venue|bar)\b", re.I)
PUB_WORDS = re.compile(r"\b(arms|inn|tavern|pub|head|hotel|bell|crown|anchor|ale|alehouse|brewery)\b", re.I)
FOOD_WORDS = re.compile(r"\b(chicken|pizza|kebab|grill|cafe|café|restaurant|kitchen|fish|chips|burger|"
                        r"curry|takeaway|dine|diner|bakery|food|sushi|noodle|wok|express|spice|tandoori|"
                        r"jerk|caribbean|bbq|coffee|eatery)\b", re.I)
SCHOOL_WORDS = re.compile(r"\b(school|academy|college|nursery|primary)\b", re.I)
SHOP_WORDS = re.compile(r"\b(shop|store|wines|newsagents?|convenience|mini ?market|supermarket|stores|"
                        r"off licence|pharmacy|butchers?|grocers?|grocery)\b", re.I)

BRAND_SLANG = {"mcdonalds": ["mcdonalds", "mcdonalds", "maccies", "mcds", "maccys", "mcdonald's"],
               "tesco": ["tesco", "tesco", "tescos", "tesco's"],
               "sainsburys": ["sainsburys", "sainsburys", "sainsbury's", "sainsbury"],
               "wetherspoon": ["spoons", "wetherspoons", "the spoons"],
               "nandos": ["nandos", "nando's"], "dominos": ["dominos", "domino's"],
               "costa": ["costa", "costa coffee"], "pret": ["pret", "pret a manger"],
               "wilko": ["wilko", "wilkos"], "boots": ["boots", "boots chemist"],
               "morrisons": ["morrisons", "morrisons", "morrison's"], "greggs": ["greggs", "greggs"]}
CHAIN_ALONE = ["outside the {c}", "in {c}", "in the {c} car park", "queueing in {c}", "outside {c}",
               "in the {c} toilets", "by the {c}", "at the tills in {c}", "at the {c} near my house",
               "security at {c} grabbed me", "in the doorway of {c}", "at {c}", "in the {c} queue"]
CHAIN_STREET = ["outside the {c} on {w}", "in the {c} on {w}", "the {c} on {w}", "at {c} {w}",
                "by the {c} on {w}", "in {c} on {w}", "outside {c} {w}"]
CHAIN_STATION = ["outside the {c} by {s}", "the {c} near {s}", "in {c} opposite {s}",
                 "at the {c} next to {s}"]
CHAIN_AREA = ["outside the {c} in {a}", "the {c} in {a}", "in {c} {a}", "at the {c} in {a}",
              "by the {c} in {a}", "{a} {c}"]

MODE_WORDS = {"tube": ["station", "tube", "tube station", "underground station", "tube station"],
              "overground": ["overground", "overground station", "station", "train station"],
              "rail": ["station", "train station", "rail station", "station"],
              "dlr": ["dlr", "dlr station", "station"], "tram": ["tram stop", "tram stop", "tram station"]}
STATION_FORMS = ["near {s} {m}", "outside {s} {m}", "on the platform at {s} {m}",
                 "at the barriers in {s} {m}",
                 "on the stairs at {s} {m}", "in {s} {m}", "at {s} {m}", "on the escalator at {s} {m}",
                 "waiting for a train at {s} {m}", "by the ticket machines at {s} {m}",
                 "in the lift at {s} {m}",
                 "at the bus stop outside {s} {m}", "on the {s} {m} platform", "coming out of {s} {m}",
                 "by the entrance to {s} {m}", "getting off at {s} {m}"]
TERMINI = ("blackfriars", "cannon street", "charing cross", "euston", "fenchurch street", "kings cross",
           "liverpool street", "marylebone", "paddington", "st pancras", "victoria", "waterloo")

HOSPITAL_ED = ["in the waiting room at {h}", "in a&e at {h}", "outside a&e at {h}", "{h} car park",
               "in the car park at {h}", "outside {h} a&e", "in the a&e toilets at {h}",
               "by the ambulance bay at {h}", "outside the main entrance of {h}",
               "at the bus stop outside {h}",
               "in the smoking area outside {h}", "in the kids a&e at {h}", "at the front desk at {h}",
               "waiting to be seen at {h}", "on the ward at {h}"]
HOSPITAL_OTHER = ["{h} car park", "outside {h}", "in the grounds of {h}", "at {h} visiting my dad",
                  "at the entrance to {h}", "in the corridor at {h}", "at the bus stop outside {h}",
                  "on the ward at {h}", "in reception at {h}"]
HOSPITAL_HERE = ["in the waiting room here", "here in a&e", "outside a&e here", "in the car park here",
                 "by the entrance here", "in the toilets here", "outside here in the smoking area",
                 "in the waiting room here tonight", "here in the waiting area", "at the front desk here",
                 "right here in the waiting room", "here, someone in the waiting room hit me"]

STREET_FORMS = ["walking home down {st}", "on {st}", "outside the shops on {st}", "on the bus outside {st}",
                "at the bus stop on {st}", "outside number {n} {st}", "near the top of {st}",
                "walking down {st}", "crossing {st}", "on {st} by the chicken shop",
                "outside the off licence on {st}", "on {st} outside the bookies", "in my car on {st}",
                "on the pavement on {st}", "cycling along {st}", "at the end of {st}",
                "on the bus going down {st}", "outside {n} {st}"]
JUNCTION_FORMS = ["at the bus stop by {a} and {b}", "corner of {a} and {b}", "on the corner of {a} and {b}",
                  "where {a} meets {b}", "{a} and {b} junction", "at the lights at {a} and {b}", "{a}/{b}",
                  "crossing {a} at {b}", "junction of {a} and {b}", "bus stop on {a} at {b}",
                  "the corner of {a} & {b}", "at the crossing where {a} and {b} meet"]

POSTCODE_FORMS = ["{p}", "{p}", "at {p}", "near {p}", "postcode {p}", "its {p}", "outside {p}",
                  "the postcode is {p}", "happened at {p}", "{p} i think", "{p} outside the flats", "by {p}"]
SECTOR_FORMS = ["around {s}", "somewhere in {s}", "{s} something cant remember the rest",
                "postcode starts {s}", "near {s}", "{s} area", "in {s} not sure of the rest",
                "{s}.. dont know the end of it"]
DISTRICT_FORMS = ["around {d}", "somewhere in {d}", "{d} somewhere", "in {d}", "near {d}", "{d} area",
                  "round {d} way", "somewhere round {d} i think"]
AREA_FORMS = ["in {a}", "round {a}", "in {a} somewhere", "around {a}", "somewhere in {a}",
              "walking through {a}", "near {a}", "round {a} way", "on the high street in {a}",
              "out in {a}"]

HOME_FORMS = ["at home", "home", "my flat", "in my flat", "at my house", "in my house", "in my room",
              "my bedroom", "in the kitchen at home", "at my place", "outside my front door",
              "on my doorstep",
              "in my garden", "in my hallway", "at home with my partner", "in my own home", "my home address",
              "at our house", "indoors", "at home in the living room", "in my bathroom at home",
              "on the stairs at home", "at my own flat"]
FRIEND_OR_RELATIVE = ["at my mates house", "my mates flat", "at my boyfriends place", "my girlfriends flat",
                      "at my nans", "my mums house", "at my dads", "at my cousins house", "my brothers flat",
                      "at my sisters", "my exes place", "at a friends house", "my aunties house",
                      "at my partners flat", "at my friends place", "at my uncles", "my step dads house",
                      "my bfs flat", "at my grans"]
UNKNOWN_FORMS = ["dont remember", "dont know", "not sure", "rather not say", "cant remember", "no idea",
                 "dunno", "idk", "i dont know", "not sure where", "cant remember where it was", "blacked out",
                 "i was drunk cant remember", "no clue", "dont want to say", "prefer not to say",
                 "i dont remember much", "dont know the area", "im not sure tbh", "not saying",
                 "cant say", "no idea where i was"]
NON_PLACES = [
    "at work", "at my work", "on shift at work", "in the kitchen at work", "at the warehouse where i work",
    "on a building site", "at the office", "at a party", "at a house party", "at a birthday party",
    "at a bbq", "at a wedding", "at a funeral", "at a christening", "at my work christmas do",
    "in a taxi", "in an uber", "in a cab", "in the car", "in my car", "on the bus", "on the night bus",
    "on the 36 bus", "on the train", "on the tube", "between stations on the tube", "on a scooter",
    "on my bike", "on the plane", "on a boat", "at school", "at college", "at uni", "at nursery",
    "at the youth club", "in the playground", "in the police station cells", "in custody",
    "in the back of the police van", "in the cells", "in prison", "in the young offenders",
    "on holiday abroad", "abroad", "on holiday in spain", "in magaluf", "in turkey on holiday",
    "on a stag do in prague", "back home in jamaica", "at a festival", "at a rave", "at a gig",
    "at a concert", "at the football", "at the match", "at the gym", "at boxing training",
    "at football practice", "playing rugby", "at the skate park", "at the leisure centre",
    "at the swimming pool", "at the library", "at church", "at the mosque", "at the temple",
    "in the park", "in the pub", "at a club", "in a nightclub", "in the local", "at the social club",
    "at the working mens club", "at the chippy", "at the kebab shop", "at the chicken shop",
    "at the offy", "at the corner shop", "at the shops", "at the bookies", "in the barbers",
    "at the nail shop", "at the takeaway", "at the hostel", "at the shelter", "at the refuge",
    "at the care home", "at the day centre", "at the job centre", "in a hotel", "at an airbnb",
    "in the lift", "in the stairwell", "on the estate", "in the block", "down an alley", "in the street",
    "on the road", "outside a shop", "at the cash machine", "on a night out", "at a protest",
    "in a car park", "in the toilets", "at the train station", "at the bus stop", "at the gym changing rooms",
    "on the pitch", "in the ring", "at a mates party", "at the hospital i work at",
    "in the mental health unit",
    "in the back of a van", "on the motorway", "in the countryside", "at the beach",
]

# --- phone typing -----------------------------------------------------------------------------------
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ROW_SHIFT = (0.0, 0.5, 1.5)
_KEY_AT = {ch: (r, i + _ROW_SHIFT[r]) for r, row in enumerate(KEY_ROWS) for i, ch in enumerate(row)}


def _phone_neighbours(c: str) -> list[str]:
    """Keys touching ``c`` on a phone keyboard: left and right in its row, and the keys of the rows
    above and below that overlap it. Case is kept; anything not a letter has none."""
    low = c.lower()
    if low not in _KEY_AT:
        return []
    r, x = _KEY_AT[low]
    out = [k for k, (r2, x2) in _KEY_AT.items()
           if k != low and ((r2 == r and abs(x2 - x) == 1) or (abs(r2 - r) == 1 and abs(x2 - x) < 1))]
    return [k.upper() for k in out] if c.isupper() else out


def _phone_typo(rng: random.Random, w: str) -> str:
    """One edit of ``w`` at any position: a touching key, a letter dropped or doubled, or two different
    neighbouring letters swapped. Never returns ``w`` itself."""
    while True:
        op = rng.choice(("key", "key", "drop", "double", "swap"))
        i = rng.randrange(len(w))
        if op == "key":
            keys = _phone_neighbours(w[i])
            if keys:
                return w[:i] + rng.choice(keys) + w[i + 1:]
        elif op == "drop" and len(w) > 1:
            return w[:i] + w[i + 1:]
        elif op == "double":
            return w[:i] + w[i] + w[i:]
        elif op == "swap" and i + 1 < len(w) and w[i] != w[i + 1]:
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]


def _phone_noise(rng: random.Random, text: str, typo_p: float) -> tuple[str, bool]:
    """Phone-typing noise; returns the text and whether a letter typo was made."""
    words = text.split()
    typo = False
    if rng.random() < typo_p:
        cand = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        rng.shuffle(cand)
        for i in cand[:2 if rng.random() < 0.15 else 1]:
            words[i] = _phone_typo(rng, words[i])
            typo = True
    alpha = [i for i, w in enumerate(words) if w.isalpha()]
    if alpha and rng.random() < 0.03:                      # a word typed twice
        i = rng.choice(alpha)
        words.insert(i + 1, words[i])
    pairs = [i for i in range(len(words) - 1) if words[i].isalpha() and words[i + 1].isalpha()]
    if pairs and rng.random() < 0.07:                      # a lost space
        i = rng.choice(pairs)
        words[i:i + 2] = [words[i] + words[i + 1]]
    out = " ".join(words)
    r = rng.random()
    if r < 0.18:                                           # the phone capitalised the first letter
        out = out[:1].upper() + out[1:]
    elif r < 0.22:
        out = re.sub(r"\bi\b", "I", out[:1].upper() + out[1:])
    elif r < 0.27:
        out = out.upper()
    if rng.random() < 0.14:
        out += rng.choice(["!!", "!", "?", ".", "...", "??", "!!!"])
    return out, typo


# --- names as typed ---------------------------------------------------------------------------------
_CORP = re.compile(r"\s+(ltd\.?|limited|plc|llp)$", re.I)


def _typed(name: str) -> str:
    """A gazetteer name as a patient types it: lower case, no apostrophes, no brackets, no 'Ltd'."""
    s = _clean_name(name).replace("'", "").replace("\u2019", "")
    s = _CORP.sub("", s)
    return re.sub(r"\s+", " ", s).strip().lower()


_ROAD_SHORT = {"road": "rd", "street": "st", "avenue": "ave"}


def _street_typed(rng: random.Random, name: str, p: float = 0.35) -> str:
    words = _typed(name).split()
    if words and words[-1] in _ROAD_SHORT and len(words) > 1 and rng.random() < p:
        words[-1] = _ROAD_SHORT[words[-1]]
    return " ".join(words)


def _pc_typed(rng: random.Random, display: str) -> str:
    """A postcode unit / sector as typed: mostly lower case, with or without its space. Never mistyped."""
    s = display if rng.random() < 0.12 else display.lower()
    return s.replace(" ", "") if rng.random() < 0.35 else s


def _station_typed(name: str) -> str:
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"\s+-\s+dlr$|\s+(lu|ll|el)$", "", s.strip(), flags=re.I)
    s = _typed(s)
    if s.startswith("london "):
        rest = s[len("london "):]
        if rest.startswith(TERMINI):
            s = rest.replace(" international", "")
    return s


def _mode(source: str, network: str | None, lines: str | None) -> str:
    if source == "naptan_rail":
        return "rail"
    net = f"{network or ''} {lines or ''}".lower()
    if "dlr" in net:
        return "dlr"
    if "tram" in net:
        return "tram"
    if "overground" in net:
        return "overground"
    if "tfl rail" in net:
        return "rail"
    return "tube"


def _hospital_typed(rng: random.Random, name: str) -> str:
    s = _typed(name)
    if rng.random() < 0.5:
        s = re.sub(r"^the ", "", s)
    m = re.fullmatch(r"university hospital (\w+)", s) or re.fullmatch(r"(\w+) university hospital", s)
    if m and rng.random() < 0.5:
        s = f"{m.group(1)} hospital"
    if rng.random() < 0.12:
        s = re.sub(r"\bhospital\b", "hosp", s)
    return s


_SIMPLE_AREA = re.compile(r"&|\band\b|[0-9]|hospital|street|road|\bnorth|\bsouth|\beast|\bwest|central|"
                          r"upper|lower|\bward\b", re.I)


def _simple_area(name: str | None) -> bool:
    return bool(name) and not _SIMPLE_AREA.search(name) and len(name.split()) <= 3


def _venue_forms(kind: str, name: str) -> list[str]:
    if kind == "park":
        return PARK_FORMS
    if CLUB_WORDS.search(name):
        return CLUB_FORMS
    if kind == "pub" or PUB_WORDS.search(name):
        return PUB_FORMS
    if SCHOOL_WORDS.search(name):
        return SCHOOL_FORMS
    if FOOD_WORDS.search(name):
        return FOOD_FORMS
    if SHOP_WORDS.search(name):
        return SHOP_FORMS
    return OTHER_FORMS


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``kiosk`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def order(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}:{salt}:{SEED}:' || {expr})"

    site_near = reporting_site_chooser(conn, rng, none_unplaced=0.2, none_placed=0.06,
                                       nearest=0.86, second=0.96)

    def add(cls, text, level, x=None, y=None, fid=None, site="near"):
        noisy, typo = _phone_noise(rng, text, TYPO_P[cls.split(",")[0]])
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, " ".join(noisy.split()), level, x, y, code, fid, typo))

    def opener(phrase: str) -> str:
        """A lead-in in front of the place: a whole clause before a phrase that starts with a preposition
        or a verb, a bare "at" / "near" or nothing before a noun phrase."""
        first = phrase.split(" ", 1)[0]
        if first in ("security", "bouncers"):
            return phrase
        if first in PREPOSITIONS or first.endswith("ing"):
            return rng.choice(OPENERS) + phrase
        return rng.choice(NOUN_OPENERS) + phrase

    # Venues whose name is unique in the gazetteer: pubs, parks, and food premises (shops, takeaways...).
    quota = {"pub": round(k["venue"] * 0.4), "park": round(k["venue"] * 0.1)}
    quota["venue"] = k["venue"] - quota["pub"] - quota["park"]
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += conn.execute(f"""
            SELECT f.feature_id, f.name, f.kind, ST_X(f.geom), ST_Y(f.geom)
            FROM (SELECT *, count(*) OVER (PARTITION BY norm) AS same FROM gazetteer.feature
                  WHERE level = 'venue') f
            WHERE f.same = 1 AND f.kind = %s AND f.name !~ '[0-9@/]'
              AND f.name !~* '(staff|canteen|c/o|t/a|head office|warehouse)'
              AND split_part(f.norm, ' ', 1) <> ALL(%s)
              AND length(f.name) BETWEEN 4 AND 40
            ORDER BY {order("f.feature_id::text", "venue")} LIMIT %s""",
                             (kind, list(CHAINS), want)).fetchall()
    for fid, name, kind, x, y in rows[:k["venue"]]:
        v = _typed(name)
        add("venue", opener(rng.choice(_venue_forms(kind, name)).format(v=v)), "venue", x, y, fid)

    # Chains: a random branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, name, brand, street, district, ward, stn, stn_src, net, lines, x, y in conn.execute(f"""
        WITH branch AS (
          SELECT f.*, split_part(f.norm, ' ', 1) AS brand,
                 count(*) OVER (PARTITION BY split_part(f.norm, ' ', 1)) AS branches,
                 row_number() OVER (PARTITION BY split_part(f.norm, ' ', 1)
                                    ORDER BY {order("f.feature_id::text", "branch")}) AS nth
          FROM gazetteer.feature f
          WHERE f.level = 'venue' AND f.kind = 'venue' AND split_part(f.norm, ' ', 1) = ANY(%s)
            AND f.name !~* '(staff|canteen|cdc|head office|warehouse|depot|distribution)')
        SELECT b.feature_id, b.name, b.brand, s.street, pc.district, w.name, st.name, st.source,
               st.network, st.lines, ST_X(b.geom), ST_Y(b.geom)
        FROM branch b
        LEFT JOIN gazetteer.source_feature s ON s.source = b.source AND s.source_key = b.source_key
        LEFT JOIN LATERAL (SELECT p.district FROM gazetteer.postcode p
                           ORDER BY p.geom <-> b.geom LIMIT 1) pc ON true
        LEFT JOIN LATERAL (SELECT a2.name FROM ref.area a
                           JOIN gazetteer.feature a2 ON a2.kind = 'area' AND a2.source_key = a.code
                           WHERE a.level = 'ward' AND ST_Intersects(a.geom, b.geom)
                           ORDER BY a.vintage DESC LIMIT 1) w ON true
        LEFT JOIN LATERAL (SELECT t.name, t.source, ts.extra->>'network' AS network,
                                  ts.extra->>'lines' AS lines
                           FROM gazetteer.feature t
                           LEFT JOIN gazetteer.source_feature ts
                             ON ts.source = t.source AND ts.source_key = t.source_key
                           WHERE t.kind = 'station' AND t.level = 'venue' AND ST_DWithin(t.geom, b.geom, 400)
                           ORDER BY t.geom <-> b.geom LIMIT 1) st ON true
        WHERE b.branches >= 4 AND b.nth <= %s
        ORDER BY {order("b.feature_id::text", "chain")} LIMIT %s""",
                                                     (list(CHAINS), per, k["chain"])).fetchall():
        c = rng.choice(BRAND_SLANG.get(brand, [brand]))
        words = _typed(name).split()
        if len(words) > 1 and words[1] in ("express", "metro", "local", "extra", "superstore") \
                and rng.random() < 0.4:
            c = f"{c} {words[1]}"
        r = rng.random()
        if r < 0.25 and street:
            text, cls = rng.choice(CHAIN_STREET).format(c=c, w=_street_typed(rng, street)), "chain"
        elif r < 0.37 and stn:
            s = _station_typed(stn)
            s = f"{s} {rng.choice(MODE_WORDS[_mode(stn_src, net, lines)])}"
            text, cls = rng.choice(CHAIN_STATION).format(c=c, s=s), "chain"
        elif r < 0.5 and _simple_area(ward):
            text, cls = rng.choice(CHAIN_AREA).format(c=c, a=_typed(ward)), "chain"
        elif r < 0.56 and district:
            text, cls = rng.choice(CHAIN_AREA).format(c=c, a=district.lower()), "chain"
        else:
            text, cls = rng.choice(CHAIN_ALONE).format(c=c), "chain, no locality"
        add(cls, opener(text), "venue", x, y, fid)

    # Hospitals: a fifth are "here" (the A&E the patient is in); the rest name the hospital.
    here_k = k["hospital"] // 5
    for fid, code, x, y in conn.execute(f"""
        SELECT f.feature_id, s.site_code, ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f JOIN health.ae_site s ON s.site_code = f.source_key
        WHERE f.kind = 'ae_site' AND ST_Equals(f.geom, s.geom)
        ORDER BY {order("f.feature_id::text", "here")} LIMIT %s""", (here_k,)).fetchall():
        add("hospital", opener(rng.choice(HOSPITAL_HERE)), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom),
               kind = 'ae_site' OR EXISTS (SELECT 1 FROM health.ae_site s
                                           WHERE ST_DWithin(s.geom, f.geom, 400))
        FROM gazetteer.feature f
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital'
        ORDER BY {order("feature_id::text", "hospital")} LIMIT %s""",
                                           (k["hospital"] - here_n,)).fetchall():
        form = rng.choice(HOSPITAL_ED if has_ed else HOSPITAL_OTHER)
        add("hospital", opener(form.format(h=_hospital_typed(rng, name))), "venue", x, y, fid)

    # Stations near an A&E site (London ones), with the word for the kind of station.
    for fid, name, source, net, lines, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.source, s.extra->>'network', s.extra->>'lines',
               ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f
        LEFT JOIN gazetteer.source_feature s ON s.source = f.source AND s.source_key = f.source_key
        WHERE f.kind = 'station' AND f.level = 'venue' AND f.name !~* '(bus stn|rail-air)'
          AND EXISTS (SELECT 1 FROM health.ae_site a WHERE ST_DWithin(a.geom, f.geom, 6000))
        ORDER BY {order("f.feature_id::text", "station")} LIMIT %s""", (k["station"],)).fetchall():
        s = _station_typed(name)
        m = rng.choice(MODE_WORDS[_mode(source, net, lines)])
        add("station", opener(rng.choice(STATION_FORMS).format(s=s, m=m)), "venue", x, y, fid)

    # Streets: a random point of the street; common names often get a district or ward.
    for fid, name, district, namesakes, ward, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.district, f.namesakes, w.name, ST_X(pt.geom), ST_Y(pt.geom)
        FROM (SELECT *, count(*) OVER (PARTITION BY lower(name)) AS namesakes FROM gazetteer.feature
              WHERE level = 'street' AND name !~ '[,0-9()]'
              ORDER BY {order("feature_id::text", "street")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {order("ST_AsText((d).geom)", "street-point")} LIMIT 1) pt
        LEFT JOIN LATERAL (SELECT a2.name FROM ref.area a
                           JOIN gazetteer.feature a2 ON a2.kind = 'area' AND a2.source_key = a.code
                           WHERE a.level = 'ward' AND ST_Intersects(a.geom, pt.geom)
                           ORDER BY a.vintage DESC LIMIT 1) w ON true
        ORDER BY {order("f.feature_id::text", "street-order")}""", (k["street"],)).fetchall():
        text = rng.choice(STREET_FORMS).format(st=_street_typed(rng, name), n=rng.randint(1, 180))
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _simple_area(ward) and (not district or rng.random() < 0.5):
                text += rng.choice([" in {a}", " {a}", ", {a}"]).format(a=_typed(ward))
            elif district:
                text += rng.choice([" {d}", " in {d}", ", {d}"]).format(d=district.lower())
        add("street", opener(text), "street", x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in conn.execute(f"""
        WITH street AS (SELECT DISTINCT lower(name) AS n FROM gazetteer.feature WHERE level = 'street')
        SELECT b.name, ST_X(b.geom), ST_Y(b.geom) FROM gazetteer.source_feature b
        JOIN street one ON one.n = lower(trim(split_part(b.name, '/', 1)))
        JOIN street two ON two.n = lower(trim(split_part(b.name, '/', 2)))
        WHERE b.kind = 'bus_stop' AND b.name ~ '^[^/]+/[^/]+$'
        ORDER BY {order("b.source_key", "junction")} LIMIT %s""", (k["junction"],)).fetchall():
        a, b = (_street_typed(rng, part.strip(), 0.4) for part in name.split("/"))
        if rng.random() < 0.35:
            a, b = b, a
        add("junction", opener(rng.choice(JUNCTION_FORMS).format(a=a, b=b)), "junction", x, y)

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in conn.execute(f"""
        SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "unit")} LIMIT %s""", (k["postcode"],)).fetchall():
        add("postcode", rng.choice(POSTCODE_FORMS).format(p=_pc_typed(rng, display)), "postcode", x, y)
    for sector, x, y in conn.execute(f"""
        SELECT sector, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "sector")} LIMIT %s""", (k["sector"],)).fetchall():
        s = sector.lower() if rng.random() < 0.9 else sector
        s = s.replace(" ", "") if rng.random() < 0.2 else s
        add("sector", rng.choice(SECTOR_FORMS).format(s=s), "sector", x, y)
    for district, x, y in conn.execute(f"""
        SELECT district, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "district")} LIMIT %s""", (k["district"],)).fetchall():
        d = district.lower() if rng.random() < 0.9 else district
        add("district", rng.choice(DISTRICT_FORMS).format(d=d), "district", x, y)

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(pt), ST_Y(pt) FROM gazetteer.feature f
        JOIN LATERAL (SELECT geom FROM ref.area a WHERE a.level = 'ward' AND a.code = f.source_key
                      ORDER BY a.vintage DESC LIMIT 1) w ON true
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(w.geom, 1, {SEED % 9973}), 1) pt
        WHERE f.kind = 'area' AND f.name !~* %s AND array_length(regexp_split_to_array(f.name, ' '), 1) <= 3
        ORDER BY {order("f.source_key", "ward")} LIMIT %s""",
                                       (_SIMPLE_AREA.pattern.replace(r"\b", r"\y"), k["area"])).fetchall():
        add("area", opener(rng.choice(AREA_FORMS).format(a=_typed(name))), "area", x, y, fid)

    # No place: home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_FORMS), "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN_FORMS), "none")
    for i in range(k["nonplace"]):
        if i % 6 == 2:
            add("nonplace", rng.choice(FRIEND_OR_RELATIVE), "home")
        else:
            add("nonplace", rng.choice(NON_PLACES), "none")
    rng.shuffle(out)
    return out
