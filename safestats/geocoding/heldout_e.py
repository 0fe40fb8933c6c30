"""A fifth held-out family of labelled assault locations, ``epr``: the location as it comes out of a
hospital electronic patient record (EPR) export for the ISTV data-sharing scheme.

Written 2026-12-06 between 17:37 and 17:56 UTC (``date -u``) by a helper session, for a held-out check of
the geocoder on text its developers have never seen. This family has never been used to develop the
geocoder or fit its calibration.

What the writer read, and did not read
--------------------------------------
Read: ``generate`` in ``heldout_d.py`` and the helpers it calls to draw truths and type names
(``_typed``, ``_street_typed``, ``_pc_typed``, ``_station_typed``, ``_mode``, ``_hospital_typed``,
``_simple_area`` / ``_SIMPLE_AREA``) and its ``FAMILY``, ``SEED``, ``SHARES`` and ``TYPO_P`` lines;
``IndependentExample``, ``CHAINS`` and ``_clean_name`` in ``independent.py``;
``tests/geocoding/test_heldout_kiosk.py`` and ``tests/geocoding/conftest.py``; the dev gazetteer
(``gazetteer.feature``, ``gazetteer.source_feature``, ``gazetteer.postcode``, ``ref.area``,
``health.ae_site``), read-only, to see what names look like. By accident, a ``grep`` for top-level names
printed the first line (about 100 characters) of each phrase constant of ``heldout_d.py`` and of the
non-place / unknown / home / room / station-word constants of ``independent.py``; nothing more of them
was read, and no phrase here was taken from them.
Not read: anything under ``db/functions/``, ``docs/geocoding.md``, ``db/schema.sql``,
``safestats/geocoding/blind*``, ``/work/scratch``, ``tests/geocoding/test_geocoder*.py``, the phrase lists
of ``independent.py``, ``heldout.py``, ``heldout_b.py``, ``heldout_c.py`` and ``heldout_d.py``. The
geocoder and its evaluation were never run on these texts, and no geocoding function was called.

Truths are drawn from the gazetteer with the same queries as ``heldout_d.generate`` (venues with a name
unique in the gazetteer, branches of the chains, hospitals and A&E sites, stations near an A&E site, a
random point of a street, bus stops named after two streets, postcode units / sectors / districts, a
random point inside a ward), ordered by an md5 of this family's name, salt and seed; the reporting site is
usually the A&E nearest the truth. Venues also carry the FSA business type (a left join that does not
change which venues are drawn), to pick the drop-down category; the joins that only describe a truth (a
chain's nearest district, station and ward, a street's ward) break ties by key so the family is
reproducible. A street text may name a pub or shop within 120 m of its point ("nr ..."), and a placed
text may carry the postcode unit within 150 m of its truth in the site's postcode field.

Style
-----
Every text is an export row: a drop-down category (one of four vocabularies: a Symphony-like
"Street/Road", an ECDS-like "Street or highway", numbered codes "02 Street/road", an upper-case "STREET")
glued to a free-text field with the site's separator (" - ", ": ", " | ", ";", a CSV comma...), and on
some sites a third postcode field ("| SE15 4QF", "PC: se154qf", or a placeholder "NULL", "N/A", "-"). Each
reporting site has its own export (vocabulary, separator, free-text field length, HTML escaping, CSV
quoting, postcode field, placeholder), fixed by a hash of the site code, so texts from one site look
alike. The free text is a receptionist's or nurse's shorthand (o/s, nr, opp, j/w, cnr, stn, pt), in lower
case, as typed (names capitalised), sentence case or capitals. The category may be repeated by the export
("Street/Road - Street/Road - ..."); the free text may be cut off at the field length, mid-word (never
before 60% of the last name it gives, never inside a postcode, never dropping a name); HTML entities
(&amp; &#39; &quot;), CSV escaping (a quoted field with doubled quotes) and stray quotes come from the
export. Non-places are a category with no place in the free text, or with nothing at all ("Educational
establishment", "Street/Road - N/A"); a friend's or relative's home is class nonplace, level home; the
patient's own home is class home; refused / not known is class unknown.

Noise model (typos)
-------------------
About one text in five has a receptionist's slip on a desktop keyboard in the free text only (never in
the category, a placeholder, a postcode or a number): in one word (sometimes two) of five or more letters,
at any letter including the first and last, one of: a letter dropped, a letter doubled, two neighbours
swapped, a letter replaced by a touching key, or a touching key struck as well. Case is kept. The typo
flag is set only when a word was changed. Typos come after the field is cut off, escaping after typos.

Status since its first run: its failures were read from 2026-12-06 18:02 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import hashlib
import random
import re

from .independent import CHAINS, IndependentExample, _clean_name
from .sites import reporting_site_chooser

FAMILY = "epr"
SEED = 3_947_261

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12,
          "junction": 0.07, "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05,
          "home": 0.06, "unknown": 0.05, "nonplace": 0.10}

# chance that a text gets a slip (only texts with a word of five or more letters in the free text can)
TYPO_P = {"venue": 0.27, "chain": 0.27, "hospital": 0.25, "station": 0.27, "street": 0.27, "junction": 0.27,
          "postcode": 0.2, "sector": 0.2, "district": 0.2, "area": 0.27, "home": 0.2, "unknown": 0.2,
          "nonplace": 0.2}

# --- drop-down categories, four EPR vocabularies --------------------------------------------------------
VOCABS = {
    "symphony": {
        "street": ["Street/Road"], "licensed": ["Licensed premises"], "shop": ["Shop/Retail"],
        "food": ["Restaurant/Takeaway", "Shop/Retail"], "transport": ["Public transport"],
        "station": ["Rail/Tube station", "Public transport"], "home": ["Home"], "other": ["Other"],
        "school": ["Educational establishment"], "sport": ["Sports venue"], "work": ["Place of work"],
        "park": ["Park/open space"], "hospital": ["Hospital"], "unknown": ["Not known"],
        "refused": ["Refused", "Other"], "custody": ["Police custody"], "prison": ["Prison"],
        "vehicle": ["Vehicle", "Other"], "dwelling": ["Other dwelling", "Home"], "abroad": ["Other"],
        "hotel": ["Other"],
    },
    "ecds": {
        "street": ["Street or highway"], "licensed": ["Public house, bar or nightclub"],
        "shop": ["Retail premises"], "food": ["Food outlet", "Retail premises"],
        "transport": ["Transport facility"], "station": ["Transport facility"], "home": ["Private dwelling"],
        "other": ["Other specified location"], "school": ["Educational establishment"],
        "sport": ["Sports facility"], "work": ["Workplace"], "park": ["Public park or open space"],
        "hospital": ["Healthcare facility"], "unknown": ["Unknown"], "refused": ["Declined to answer"],
        "custody": ["Custodial establishment"], "prison": ["Custodial establishment"],
        "vehicle": ["Other specified location"], "dwelling": ["Private dwelling"],
        "abroad": ["Outside the UK"], "hotel": ["Residential institution", "Other specified location"],
    },
    "coded": {
        "street": ["02 Street/road"], "licensed": ["03 Pub/club/bar"], "shop": ["04 Shop"],
        "food": ["05 Cafe/takeaway"], "transport": ["06 Public transport"],
        "station": ["06 Public transport"],
        "home": ["01 Home"], "other": ["97 Other"], "school": ["07 School/college"],
        "sport": ["08 Sports/leisure"], "work": ["09 Workplace"], "park": ["10 Park"],
        "hospital": ["11 Hospital"], "unknown": ["99 Not known"], "refused": ["98 Refused"],
        "custody": ["12 Prison/custody"], "prison": ["12 Prison/custody"], "vehicle": ["97 Other"],
        "dwelling": ["01 Home", "97 Other"], "abroad": ["97 Other"], "hotel": ["97 Other"],
    },
    "caps": {
        "street": ["STREET"], "licensed": ["PUB/CLUB"], "shop": ["SHOP"], "food": ["FOOD OUTLET", "SHOP"],
        "transport": ["TRANSPORT"], "station": ["STATION", "TRANSPORT"], "home": ["HOME"],
        "other": ["OTHER"], "school": ["SCHOOL"], "sport": ["SPORTS"], "work": ["WORK"], "park": ["PARK"],
        "hospital": ["HOSPITAL"], "unknown": ["NOT KNOWN"], "refused": ["REFUSED"], "custody": ["CUSTODY"],
        "prison": ["PRISON"], "vehicle": ["VEHICLE"], "dwelling": ["OTHER HOUSE", "HOME"],
        "abroad": ["ABROAD"], "hotel": ["OTHER"],
    },
}
SEPARATORS = [" - ", " - ", ": ", " | ", "; ", ";", "|", " -- ", ","]
PLACEHOLDERS = ["NULL", "N/A", "-", "n/a", "null", "", "NK"]
FIELD_LENGTHS = [None, None, None, 30, 35, 40, 40, 50, 60]

# --- the free text -------------------------------------------------------------------------------------
# {v} venue, {h} hospital, {s} station, {st} street, {a}/{b} streets, {p} postcode, {l} landmark, {n} number
LICENSED_TEXT = ["{v}", "{v}", "{v} (pub)", "{v} pub", "o/s {v}", "inside {v}", "{v} - beer garden",
                 "{v}, smoking area", "{v} nr the bar", "@ {v}", "{v} toilets", "{v} - front door",
                 "in {v}", "pub - {v}", "{v} public house", "assaulted in {v}", "{v} car park",
                 "{v} by pool table"]
CLUB_TEXT = ["{v}", "{v} nightclub", "queue o/s {v}", "{v} - dance floor", "{v} (club)", "{v} club toilets",
             "bouncers at {v}", "{v} bar", "{v} - VIP area", "o/s {v} club"]
FOOD_TEXT = ["{v}", "{v}", "{v} takeaway", "o/s {v}", "inside {v}", "{v} - counter", "{v} (takeaway)",
             "{v} restaurant", "@ {v}", "{v} cafe", "in {v} queue", "staff at {v}", "{v} seating area"]
SHOP_TEXT = ["{v}", "{v}", "{v} shop", "o/s {v}", "in {v}", "{v} - at till", "{v} (shop)", "{v} store",
             "entrance of {v}", "security at {v}", "{v} nr tills", "opp {v}"]
SCHOOL_TEXT = ["{v}", "{v} - playground", "at {v}", "{v} school gates", "o/s {v}", "{v} (school)",
               "{v} classroom", "corridor at {v}", "{v} PE lesson"]
PARK_TEXT = ["{v}", "{v}", "in {v}", "{v} nr playground", "{v} - footpath", "{v}, nr the gates",
             "{v} basketball courts", "walking thru {v}", "{v} (park)", "{v} - benches", "{v} toilets"]
OTHER_TEXT = ["{v}", "at {v}", "o/s {v}", "{v} - reception", "{v} carpark", "in {v}", "{v} entrance",
              "{v} (premises)", "inside {v}"]

CHAIN_NAMES = {
    "tesco": ["Tesco", "tesco", "TESCO", "Tescos"], "sainsburys": ["Sainsbury's", "sainsburys", "Sainsburys"],
    "costa": ["Costa", "Costa Coffee", "costa"], "starbucks": ["Starbucks", "starbucks"],
    "mcdonalds": ["McDonald's", "McDonalds", "mcdonalds", "Mcdonalds"], "kfc": ["KFC", "kfc", "K.F.C"],
    "aldi": ["Aldi", "ALDI"], "lidl": ["Lidl", "lidl"], "greggs": ["Greggs", "greggs", "Gregg's"],
    "subway": ["Subway", "subway"], "pret": ["Pret", "Pret a Manger", "pret"],
    "nandos": ["Nando's", "Nandos", "nandos"], "iceland": ["Iceland", "iceland"],
    "morrisons": ["Morrisons", "morrisons", "Morrison's"], "asda": ["Asda", "ASDA", "asda"],
    "waitrose": ["Waitrose", "waitrose"], "wetherspoon": ["Wetherspoons", "wetherspoons", "JD Wetherspoon"],
    "dominos": ["Domino's", "Dominos", "dominos pizza"], "boots": ["Boots", "boots", "Boots chemist"],
    "londis": ["Londis", "londis"], "budgens": ["Budgens", "budgens"], "wasabi": ["Wasabi", "wasabi"],
    "itsu": ["Itsu", "itsu"], "leon": ["Leon", "LEON"], "wilko": ["Wilko", "Wilkos", "wilko"]}
CHAIN_KIND = {"tesco": "shop", "sainsburys": "shop", "aldi": "shop", "lidl": "shop", "iceland": "shop",
              "morrisons": "shop", "asda": "shop", "waitrose": "shop", "boots": "shop", "londis": "shop",
              "budgens": "shop", "wilko": "shop", "wetherspoon": "licensed"}
CHAIN_ALONE = ["{c}", "{c}", "o/s {c}", "inside {c}", "{c} - car park", "{c} (shop)", "security at {c}",
               "{c} entrance", "in {c} queue", "staff at {c}", "{c} - tills"]
CHAIN_STREET = ["{c}, {w}", "{c} {w}", "{c} on {w}", "o/s {c} {w}", "{w} - {c}", "{c} ({w})"]
CHAIN_STATION = ["{c} nr {s}", "{c} opp {s}", "o/s {c} by {s}", "{c} - {s}", "{c} at {s}"]
CHAIN_AREA = ["{c} {a}", "{c}, {a}", "{c} in {a}", "o/s {c} {a}", "{a} {c}", "{c} ({a})"]

MODE_WORDS = {"tube": ["tube", "tube station", "stn", "station", "underground", "LU"],
              "rail": ["station", "stn", "rail station", "train station", "overland"],
              "dlr": ["DLR", "dlr station", "station", "DLR stn"],
              "tram": ["tram stop", "tram", "tramstop"],
              "overground": ["overground", "station", "stn", "overground stn"]}
STATION_TEXT = ["{s} {m}", "{s} {m}", "{s}", "{s} {m} - platform", "o/s {s} {m}", "{s} {m} ticket hall",
                "on platform at {s} {m}", "{s} {m} - barriers", "{s} {m} entrance", "stairs at {s} {m}",
                "{s} {m} (on train)", "{s} {m} bus stop", "{s} - ticket office", "escalator {s} {m}",
                "{s} {m} forecourt", "nr {s} {m}"]
TERMINALS = ("victoria", "waterloo", "euston", "paddington", "liverpool street", "charing cross",
             "kings cross", "st pancras", "marylebone", "fenchurch street", "cannon street", "blackfriars")

HOSPITAL_ED_TEXT = ["{h} ED", "{h} A&E", "A&E, {h}", "{h} - ED waiting room", "{h} UTC", "{h} - triage",
                    "o/s {h} A&E", "{h} ED reception", "{h} (ED)", "ED at {h}", "{h} ambulance bay",
                    "{h} - car park", "{h} main entrance", "{h}", "{h} resus"]
HOSPITAL_OTHER_TEXT = ["{h}", "{h} - car park", "{h} main entrance", "{h} ward", "grounds of {h}",
                       "{h} outpatients", "o/s {h}", "{h} (visiting)", "{h} reception"]
HOSPITAL_HERE_TEXT = ["ED waiting area", "Main reception", "ED", "in department", "A&E waiting room",
                      "this hospital", "triage", "resus", "majors", "ED cubicle", "outside ED entrance",
                      "ambulance bay", "this hosp car park", "on ward", "UTC waiting area", "paeds ED",
                      "minors", "this dept", "ED toilets", "waiting room (ED)", "this site"]

STREET_TEXT = ["{st}", "{st}", "{st}", "{st} nr {l}", "o/s {n} {st}", "{st} - bus stop", "outside shops {st}",
               "{st} (pavement)", "walking along {st}", "{st} by cashpoint", "{n} {st}", "opp {n} {st}",
               "{st}, on pavement", "{st} o/s {l}", "{st} at bus stop", "on {st}", "{st} - pt walking home",
               "{st} nr {l}", "{st} cycle lane", "{st}, by the lights"]
JUNCTION_TEXT = ["corner of {a} and {b}", "{a}/{b}", "{a} j/w {b}", "jct {a} & {b}", "{a} x {b}",
                 "junction of {a} & {b}", "{a} at {b} junction", "{a} + {b}", "cnr {a}/{b}",
                 "{a} / {b} crossing", "{a} nr jct with {b}", "bus stop {a}/{b}", "{a} and {b}",
                 "{a} (corner {b})", "crossing at {a} & {b}", "c/r {a} & {b}"]
POSTCODE_TEXT = ["{p}", "{p}", "PC {p}", "o/s {p}", "nr {p}", "postcode {p}", "{p} (incident pc)",
                 "street - {p}", "pt gave pc {p}", "{p} - exact address nk"]
SECTOR_TEXT = ["{s} area", "{s}", "somewhere {s}", "{s}* (partial pc)", "{s} - rest not known",
               "pt only knows {s}", "around {s}", "pc {s}"]
DISTRICT_TEXT = ["{d} area", "{d}", "around {d}", "somewhere in {d}", "{d} - exact loc not known", "pc {d}",
                 "{d} (street nk)", "nr {d}"]
AREA_TEXT = ["{a}", "{a}", "{a} area", "around {a}", "{a} - street not known", "somewhere in {a}", "in {a}",
             "{a} (nr friends)", "{a} - exact place nk", "walking in {a}"]

HOME_TEXT = ["", "", "own", "own home", "pt's home", "home address", "at home", "own flat", "own house",
             "in flat", "pt home", "own address", "home (own)", "his own home", "her own flat", "in bedroom",
             "kitchen at home", "communal hallway own block", "garden of own home", "outside own front door",
             "pt's own property", "usual residence", "at home address", "own", "stairwell of own block"]
# (category, free text) with no place in them; dwelling ones are a friend's or relative's home
DWELLING = [("dwelling", t) for t in [
    "friend's house", "at a friend's", "relative's home", "mum's house", "at partner's flat",
    "ex-partner's address", "grandparents' house", "cousins flat", "boyfriend's house", "sister's flat",
    "uncle's house", "house party", "aunt's house", "friend's flat", "dad's flat", "brother's house",
    "girlfriend's place", "relatives", "friends", "not own home - friend's"]] + [
    ("home", t) for t in ["friend's house", "not own - relative's", "mums house", "partner's home",
                          "friends flat", "nan's house"]]
NON_PLACES = [
    ("street", ""), ("street", "N/A"), ("street", "-"), ("street", "on the street"), ("street", "road"),
    ("licensed", ""), ("licensed", "pub"), ("licensed", "nightclub"), ("licensed", "bar - name not given"),
    ("shop", ""), ("shop", "corner shop"), ("shop", "supermarket - nk which"), ("food", ""),
    ("food", "chicken shop"), ("food", "takeaway"), ("school", ""), ("school", "at school"),
    ("school", "college"), ("school", "school playground"), ("sport", ""), ("sport", "football match"),
    ("sport", "5 a side"), ("sport", "gym"), ("sport", "boxing training"), ("park", ""),
    ("park", "local park"),
    ("park", "in the park"), ("transport", ""), ("transport", "on a bus"), ("transport", "on train"),
    ("transport", "on the tube"), ("transport", "bus"), ("transport", "night bus"), ("transport", "in taxi"),
    ("station", ""), ("station", "tube"), ("work", ""), ("work", "at work"), ("work", "pt's workplace"),
    ("work", "security guard at work"), ("work", "on shift"), ("work", "building site"),
    ("work", "at work - delivery driver"), ("work", "works in care home"), ("work", "office"),
    ("work", "at work (doorman)"), ("work", "shop where pt works"), ("custody", ""), ("custody", "in cells"),
    ("custody", "custody suite"), ("custody", "in police van"), ("custody", "during arrest"),
    ("custody", "police station"), ("prison", ""), ("prison", "HMP"), ("prison", "in prison"),
    ("prison", "prison cell"), ("prison", "on the wing"), ("prison", "exercise yard"), ("prison", "YOI"),
    ("vehicle", ""), ("vehicle", "in a vehicle"), ("vehicle", "in car"), ("vehicle", "in a taxi"),
    ("vehicle", "in an uber"), ("vehicle", "back of a van"), ("vehicle", "minicab"),
    ("vehicle", "in his car"), ("vehicle", "in friend's car"), ("other", "in a vehicle"),
    ("other", "hostel"), ("other", "care home"), ("other", "in a lift"), ("other", "communal stairwell"),
    ("other", "festival"), ("other", "bus stop"), ("other", "on a boat"), ("other", "car park"),
    ("other", "hotel room"), ("other", "block of flats"), ("other", "at a party"), ("other", "in a field"),
    ("other", "on the estate"), ("other", "church"), ("other", "mosque"), ("other", "gym"),
    ("other", "supported housing"), ("other", "airbnb"), ("hotel", "hotel"), ("hotel", "B&B"),
    ("abroad", ""), ("abroad", "abroad"), ("abroad", "on holiday abroad"), ("abroad", "outside UK"),
    ("abroad", "overseas"), ("other", "happened abroad"), ("other", "not in UK"),
    ("other", "on holiday"), ("other", "in a cell"), ("other", "police custody"), ("other", "prison"),
    ("other", "at work"), ("other", "place of work"), ("other", "in a car"), ("other", "school"),
]
UNKNOWN = [("unknown", ""), ("unknown", ""), ("other", "pt unwilling"), ("refused", ""),
           ("refused", "pt refused"), ("unknown", "NULL"), ("other", "N/A"), ("unknown", "-"),
           ("other", "not stated"), ("other", "pt declined to say"), ("unknown", "unable to obtain (intox)"),
           ("other", "pt can't recall"), ("unknown", "not asked"), ("unknown", "pt unconscious"),
           ("other", "unknown"), ("unknown", "?"), ("other", "not given"), ("refused", "would not disclose"),
           ("unknown", "not documented"), ("other", "pt unsure"), ("unknown", "nk"), ("other", "declined"),
           ("refused", "declined to answer"),
           ("other", "pt vague"), ("unknown", "not recorded"), ("other", "unable to say - head injury"),
           ("other", "pt doesn't remember"), ("unknown", "not known"), ("refused", "")]
BARE_UNKNOWN = ["NULL", "-", "N/A", "Not known", "Unknown", "not recorded"]   # no category at all

# --- receptionist's slips on a desktop keyboard ---------------------------------------------------------
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_STAGGER = (0.0, 0.25, 0.75)
_KEY = {ch: (r, i + _STAGGER[r]) for r, row in enumerate(KEY_ROWS) for i, ch in enumerate(row)}


def _touching(c: str) -> list[str]:
    """The keys touching ``c`` on a desktop keyboard (same row either side, the row above and below),
    in ``c``'s case; none for a non-letter."""
    low = c.lower()
    if low not in _KEY:
        return []
    r, x = _KEY[low]
    out = [k for k, (r2, x2) in _KEY.items() if k != low and
           ((r2 == r and abs(x2 - x) == 1) or (abs(r2 - r) == 1 and abs(x2 - x) < 1))]
    return sorted(k.upper() if c.isupper() else k for k in out)


def _slip(rng: random.Random, w: str) -> str:
    """One slip in word ``w``, at any letter: dropped, doubled, swapped with the next, replaced by a
    touching key, or a touching key struck as well (before or after it). Never ``w`` itself."""
    for _ in range(50):
        i = rng.randrange(len(w))
        op = rng.choice(("drop", "double", "swap", "touch", "touch", "extra"))
        if op == "drop":
            t = w[:i] + w[i + 1:]
        elif op == "double":
            t = w[:i] + w[i] + w[i:]
        elif op == "swap":
            if i == len(w) - 1:
                i -= 1
            t = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        else:
            keys = _touching(w[i])
            if not keys:
                continue
            k = rng.choice(keys)
            if op == "touch":
                t = w[:i] + k + w[i + 1:]
            else:
                t = w[:i] + k + w[i:] if rng.random() < 0.5 else w[:i + 1] + k + w[i + 1:]
        if t != w:
            return t
    return w[:-1]


_SLIPPABLE = re.compile(r"(?<![A-Za-z0-9&#])[A-Za-z]{5,}(?![A-Za-z0-9])")


def _slips(rng: random.Random, free: str, p: float) -> tuple[str, bool]:
    """With chance ``p``, a slip in one word of five or more letters of the free text (two words one time
    in seven). Words with a digit (postcodes, bus numbers) are never touched. Returns (text, typo)."""
    words = list(_SLIPPABLE.finditer(free))
    if not words or rng.random() >= p:
        return free, False
    hit = rng.sample(words, 2 if len(words) > 1 and rng.random() < 1 / 7 else 1)
    out = free
    for m in sorted(hit, key=lambda m: -m.start()):
        out = out[:m.start()] + _slip(rng, m.group()) + out[m.end():]
    return out, out != free


# --- names as a receptionist types them -------------------------------------------------------------------
_LTD = re.compile(r"\s+(ltd\.?|limited|plc|llp)$", re.I)


def _name(rng: random.Random, name: str) -> str:
    """A gazetteer name as typed into the free text: brackets and 'Ltd' gone, sometimes without its
    apostrophes, its leading 'The' or its capitals."""
    s = _LTD.sub("", _clean_name(name)).strip()
    if s.isupper() and len(s) > 4:
        s = s.title()
    r = rng.random()
    if r < 0.3:
        s = s.replace("'", "").replace("\u2019", "")
    if rng.random() < 0.25:
        s = re.sub(r"^the\s+", "", s, flags=re.I)
    return s


_ROAD_ABBR = {"road": ["rd", "Rd", "rd."], "street": ["st", "St", "st."], "avenue": ["ave", "Ave", "av"],
              "lane": ["ln", "Ln"], "grove": ["gr", "Gro"]}


def _street(rng: random.Random, name: str, p: float = 0.4) -> str:
    words = _LTD.sub("", _clean_name(name)).split()
    if len(words) > 1 and words[-1].lower() in _ROAD_ABBR and rng.random() < p:
        words[-1] = rng.choice(_ROAD_ABBR[words[-1].lower()])
    return " ".join(words)


def _station(name: str) -> str:
    """A station as typed: no bracketed line, no ' - DLR' / ' LU' suffix, title case, 'London ' dropped
    before a terminal."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"\s+-\s+dlr$|\s+(lu|ll|el)$|\s+rail station$", "", s.strip(), flags=re.I)
    s = " ".join(s.split())
    if s.isupper():
        s = s.title()
    if s.lower().startswith("london ") and s.lower()[len("london "):].replace("'", "") \
            .replace(" international", "") in TERMINALS:
        s = s[len("london "):].replace(" International", "")
    return s


def _station_mode(source: str, network: str | None, lines: str | None) -> str:
    if source == "naptan_rail":
        return "rail"
    net = f"{network or ''} {lines or ''}".lower()
    for word, mode in (("dlr", "dlr"), ("tram", "tram"), ("overground", "overground"), ("tfl rail", "rail")):
        if word in net:
            return mode
    return "tube"


def _hospital(rng: random.Random, name: str) -> str:
    s = _name(rng, name)
    m = re.fullmatch(r"(?i)university hospital (\w+)", s) or re.fullmatch(r"(?i)(\w+) university hospital", s)
    if m and rng.random() < 0.5:
        s = f"{m.group(1)} Hospital"
    if rng.random() < 0.15:
        s = re.sub(r"(?i)\bhospital\b", rng.choice(["Hosp", "hosp", "Hosp."]), s)
    return s


def _pc(rng: random.Random, display: str) -> str:
    """A postcode as keyed: upper or lower case, with or without its space. Never mistyped."""
    s = display if rng.random() < 0.55 else display.lower()
    return s.replace(" ", "") if rng.random() < 0.3 else s


# the same filter as the other families use for a ward name people use for a place
_PLAIN_AREA = re.compile(r"&|\band\b|[0-9]|hospital|street|road|\bnorth|\bsouth|\beast|\bwest|central|"
                         r"upper|lower|\bward\b", re.I)


def _plain_area(name: str | None) -> bool:
    return bool(name) and not _PLAIN_AREA.search(name) and len(name.split()) <= 3


_CLUBBY = re.compile(r"(?i)\b(club|nightclub|lounge|disco|bar)\b")


def _venue_category(kind: str, business: str | None) -> tuple[str, list[str]]:
    if kind == "pub":
        return "licensed", LICENSED_TEXT
    if kind == "park":
        return "park", PARK_TEXT
    b = (business or "").lower()
    if b.startswith("pub"):
        return "licensed", LICENSED_TEXT
    if b.startswith(("restaurant", "takeaway", "mobile", "other catering")):
        return "food", FOOD_TEXT
    if b.startswith("retailers"):
        return "shop", SHOP_TEXT
    if b.startswith("school"):
        return "school", SCHOOL_TEXT
    if b.startswith("hotel"):
        return "hotel", OTHER_TEXT
    return "other", OTHER_TEXT


# --- the export: a site's format, the free text's marks, cutting and escaping -----------------------------
NAME, POSTCODE, END = "\x01", "\x03", "\x02"


def _mark(s: str) -> str:
    return f"{NAME}{s}{END}"


def _mark_pc(s: str) -> str:
    return f"{POSTCODE}{s}{END}"


def _site_style(site: str | None, rng: random.Random) -> dict:
    """The export format of the reporting site, fixed by a hash of its code (a random one when no site is
    recorded)."""
    if site is None:
        h = rng.getrandbits(64)
    else:
        h = int(hashlib.md5(f"{FAMILY}:{SEED}:{site}".encode()).hexdigest(), 16)

    def pick(seq, salt):
        return seq[(h >> (salt * 5)) % len(seq)]

    vocab = pick(["symphony", "symphony", "ecds", "coded", "caps"], 0)
    sep = pick(SEPARATORS, 1)
    return {"vocab": vocab, "sep": sep, "csv": sep == ",", "length": pick(FIELD_LENGTHS, 2),
            "html": pick([False, False, True], 3),
            "pc_field": pick([None, None, "field", "label", "label"], 4),
            "placeholder": pick(PLACEHOLDERS, 5), "upper": vocab == "caps" and pick([True, False], 6),
            "pc_label": pick(["PC: ", "Postcode: ", "PC ", "pc: "], 7)}


_POSTCODE_LIKE = re.compile(r"^[A-Za-z]{1,2}[0-9]")


def _unmark(s: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The free text without its marks, and the spans of the names / postcodes it marked."""
    out, spans, start, kind = [], [], 0, None
    for ch in s:
        if ch in (NAME, POSTCODE):
            start, kind = len(out), ch
        elif ch == END:
            spans.append((start, len(out), kind))
        else:
            out.append(ch)
    return "".join(out), spans


def _cut(s: str, limit: int | None) -> tuple[str, bool]:
    """The free text cut off at the field length ``limit``, mid-word, unless that would drop a name or a
    postcode, cut into a postcode or keep less than 60% of the last name (then it is kept whole). ``s`` is
    marked; returns (text, cut)."""
    plain, spans = _unmark(s)
    if limit is None or len(plain) <= limit:
        return plain, False
    for i, (a, b, kind) in enumerate(spans):
        last = i == len(spans) - 1
        if b <= limit:
            continue
        if not last or kind == POSTCODE or a + -(-(b - a) * 3 // 5) > limit:
            return plain, False
    return plain[:limit].rstrip(), True


def _case(rng: random.Random, s: str) -> str:
    r = rng.random()
    if r < 0.45:
        return s.lower()
    if r < 0.75:
        return s
    if r < 0.88:
        return s[:1].upper() + s[1:]
    return s.upper()


def _csv_field(s: str) -> str:
    return f'"{s.replace(chr(34), chr(34) * 2)}"' if any(c in s for c in ',"\n') else s


def _html(rng: random.Random, s: str) -> str:
    s = s.replace("&", "&amp;").replace("'", "&#39;" if rng.random() < 0.8 else "&#x27;")
    return s.replace('"', "&quot;")


def _export(rng: random.Random, style: dict, cat: str | None, free: str, pc: str | None) -> str:
    """The export row: the category, the free text, and the postcode field when the site has one."""
    sep = style["sep"]
    label = rng.choice(VOCABS[style["vocab"]][cat]) if cat else None
    fields = [label] if label else []
    if label and rng.random() < 0.05:
        fields.append(label)                                   # the export repeats the category
    ph = style["placeholder"]
    if free:
        fields.append(free)
    elif ph and (style["pc_field"] == "field" or label is None or rng.random() < 0.35):
        fields.append(ph)
    if style["pc_field"] == "field":
        fields.append(pc if pc else (ph or "-"))
    elif pc:
        if style["pc_field"] == "label" or rng.random() < 0.5:
            fields.append(style["pc_label"] + pc)
        else:
            fields.append(pc)
    if style["html"]:
        fields = [_html(rng, f) for f in fields]
    if style["csv"]:
        fields = [_csv_field(f) for f in fields]
    row = sep.join(fields)
    if style["upper"]:
        row = row.upper()
    r = rng.random()
    if r < 0.025:
        row = f'"{row}'                                          # stray quotes left by the export
    elif r < 0.04:
        row = f"{row}\""
    elif r < 0.05:
        row = f'"""{row}"""'
    return " ".join(row.split())


def _render(rng: random.Random, style: dict, cat: str | None, free: str, pc: str | None,
            typo_p: float) -> tuple[str, bool]:
    """The whole pipeline for one record: case of the free text, cut at the field length, slips, export."""
    free = _case(rng, free)
    free, _ = _cut(free, style["length"])
    free, typo = _slips(rng, free, typo_p)
    return _export(rng, style, cat, " ".join(free.split()), pc), typo


# --- the family ---------------------------------------------------------------------------------------------

def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``epr`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def order(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}:{salt}:{SEED}:' || {expr})"

    site_near = reporting_site_chooser(conn, rng, none_unplaced=0.2, none_placed=0.06,
                                       nearest=0.86, second=0.96)

    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def unit_near(x, y):
        """The postcode unit nearest the truth, if within 150 m (what the EPR's postcode field holds)."""
        pt = f"ST_SetSRID(ST_MakePoint(%s, %s), {srid})"
        row = conn.execute(f"SELECT display, ST_Distance(geom, {pt}) FROM gazetteer.postcode "
                           f"ORDER BY geom <-> {pt}, postcode LIMIT 1", (x, y, x, y)).fetchone()
        return row[0] if row and row[1] <= 150 else None

    def add(cls, cat, free, level, x=None, y=None, fid=None, site="near", pc=None, pc_p=0.0):
        """One record. ``pc``: a postcode for the postcode field (given to a site without one too);
        ``pc_p``: the chance a site with a postcode field fills it with the unit nearest the truth."""
        code = site_near(x, y) if site == "near" else site
        style = _site_style(code, rng)
        if pc is not None and not style["pc_field"]:
            style = dict(style, pc_field="label")
        if pc is None and x is not None and style["pc_field"] and rng.random() < pc_p:
            unit = unit_near(x, y)
            pc = _pc(rng, unit) if unit else None
        text, typo = _render(rng, style, cat, free, pc, TYPO_P[cls.split(",")[0]])
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    def fill(form: str, plain: dict | None = None, **names) -> str:
        """``form`` with the names (marked, so the field cut keeps them) and plain words filled in."""
        values = {key: (_mark_pc(v) if _POSTCODE_LIKE.match(v) else _mark(v)) for key, v in names.items()}
        return form.format(**values, **(plain or {}), n=rng.randint(1, 240))

    # Venues whose name is unique in the gazetteer: pubs, parks, and food premises (shops, takeaways...).
    quota = {"pub": round(k["venue"] * 0.4), "park": round(k["venue"] * 0.1)}
    quota["venue"] = k["venue"] - quota["pub"] - quota["park"]
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += conn.execute(f"""
            SELECT f.feature_id, f.name, f.kind, ST_X(f.geom), ST_Y(f.geom), s.business
            FROM (SELECT *, count(*) OVER (PARTITION BY norm) AS same FROM gazetteer.feature
                  WHERE level = 'venue') f
            LEFT JOIN LATERAL (SELECT sf.extra->>'business_type' AS business FROM gazetteer.source_feature sf
                               WHERE sf.source = f.source AND sf.source_key = f.source_key LIMIT 1) s ON true
            WHERE f.same = 1 AND f.kind = %s AND f.name !~ '[0-9@/]'
              AND f.name !~* '(staff|canteen|c/o|t/a|head office|warehouse)'
              AND split_part(f.norm, ' ', 1) <> ALL(%s)
              AND length(f.name) BETWEEN 4 AND 40
            ORDER BY {order("f.feature_id::text", "venue")} LIMIT %s""",
                             (kind, list(CHAINS), want)).fetchall()
    for fid, name, kind, x, y, business in rows[:k["venue"]]:
        cat, forms = _venue_category(kind, business)
        if cat == "licensed" and _CLUBBY.search(name) and rng.random() < 0.6:
            forms = CLUB_TEXT
        if rng.random() < 0.08:
            cat = "other"                                   # the drop-down left at "Other"
        add("venue", cat, fill(rng.choice(forms), v=_name(rng, name)), "venue", x, y, fid, pc_p=0.4)

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
                           ORDER BY p.geom <-> b.geom, p.postcode LIMIT 1) pc ON true
        LEFT JOIN LATERAL (SELECT a2.name FROM ref.area a
                           JOIN gazetteer.feature a2 ON a2.kind = 'area' AND a2.source_key = a.code
                           WHERE a.level = 'ward' AND ST_Intersects(a.geom, b.geom)
                           ORDER BY a.vintage DESC, a2.name LIMIT 1) w ON true
        LEFT JOIN LATERAL (SELECT t.name, t.source, ts.extra->>'network' AS network,
                                  ts.extra->>'lines' AS lines
                           FROM gazetteer.feature t
                           LEFT JOIN gazetteer.source_feature ts
                             ON ts.source = t.source AND ts.source_key = t.source_key
                           WHERE t.kind = 'station' AND t.level = 'venue' AND ST_DWithin(t.geom, b.geom, 400)
                           ORDER BY t.geom <-> b.geom, t.feature_id LIMIT 1) st ON true
        WHERE b.branches >= 4 AND b.nth <= %s
        ORDER BY {order("b.feature_id::text", "chain")} LIMIT %s""",
                                                     (list(CHAINS), per, k["chain"])).fetchall():
        c = rng.choice(CHAIN_NAMES.get(brand, [brand.title()]))
        words = _clean_name(name).split()
        if len(words) > 1 and words[1].lower() in ("express", "metro", "local", "extra", "superstore") \
                and rng.random() < 0.45:
            c = f"{c} {words[1].title()}"
        cat = CHAIN_KIND.get(brand, "food")
        r = rng.random()
        pc = None
        if r < 0.24 and street:
            free, cls = fill(rng.choice(CHAIN_STREET), c=c, w=_street(rng, street)), "chain"
        elif r < 0.34 and stn:
            m = rng.choice(MODE_WORDS[_station_mode(stn_src, net, lines)])
            free = fill(rng.choice(CHAIN_STATION), c=c, s=f"{_station(stn)}") + f" {m}"
            cls = "chain"
        elif r < 0.46 and _plain_area(ward):
            free, cls = fill(rng.choice(CHAIN_AREA), c=c, a=_name(rng, ward)), "chain"
        elif r < 0.53 and district:
            d = district if rng.random() < 0.6 else district.lower()
            free, cls = fill(rng.choice(CHAIN_AREA), c=c, a=d), "chain"
        elif r < 0.6:
            unit = unit_near(x, y)
            free = fill(rng.choice(CHAIN_ALONE), c=c)
            if unit:
                pc, cls = _pc(rng, unit), "chain"                # the postcode in its own field
            else:
                cls = "chain, no locality"
        else:
            free, cls = fill(rng.choice(CHAIN_ALONE), c=c), "chain, no locality"
        add(cls, cat, free, "venue", x, y, fid, pc=pc)

    # Hospitals: a fifth are the reporting site itself ("ED waiting area"); the rest name the hospital.
    here_k = k["hospital"] // 5
    for fid, code, x, y in conn.execute(f"""
        SELECT f.feature_id, s.site_code, ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f JOIN health.ae_site s ON s.site_code = f.source_key
        WHERE f.kind = 'ae_site' AND ST_Equals(f.geom, s.geom)
        ORDER BY {order("f.feature_id::text", "here")} LIMIT %s""", (here_k,)).fetchall():
        add("hospital", "hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom),
               kind = 'ae_site' OR EXISTS (SELECT 1 FROM health.ae_site s
                                           WHERE ST_DWithin(s.geom, f.geom, 400))
        FROM gazetteer.feature f
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital'
        ORDER BY {order("feature_id::text", "hospital")} LIMIT %s""",
                                           (k["hospital"] - here_n,)).fetchall():
        form = rng.choice(HOSPITAL_ED_TEXT if has_ed else HOSPITAL_OTHER_TEXT)
        add("hospital", "hospital", fill(form, h=_hospital(rng, name)), "venue", x, y, fid)

    # Stations near an A&E site, with the word for the kind of station.
    for fid, name, source, net, lines, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.source, s.extra->>'network', s.extra->>'lines',
               ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f
        LEFT JOIN gazetteer.source_feature s ON s.source = f.source AND s.source_key = f.source_key
        WHERE f.kind = 'station' AND f.level = 'venue' AND f.name !~* '(bus stn|rail-air)'
          AND EXISTS (SELECT 1 FROM health.ae_site a WHERE ST_DWithin(a.geom, f.geom, 6000))
        ORDER BY {order("f.feature_id::text", "station")} LIMIT %s""", (k["station"],)).fetchall():
        m = rng.choice(MODE_WORDS[_station_mode(source, net, lines)])
        form = rng.choice(STATION_TEXT)
        cat = "station" if rng.random() < 0.7 else "transport"
        add("station", cat, fill(form, {"m": m}, s=_station(name)), "venue", x, y, fid)

    # Streets: a random point of the street; common names often get a district or ward; some name a pub
    # or shop within 120 m of the point.
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
                           ORDER BY a.vintage DESC, a2.name LIMIT 1) w ON true
        ORDER BY {order("f.feature_id::text", "street-order")}""", (k["street"],)).fetchall():
        form = rng.choice(STREET_TEXT)
        landmark = None
        if "{l}" in form:
            landmark = conn.execute(
                "SELECT name FROM gazetteer.feature WHERE kind IN ('pub', 'venue') AND level = 'venue' "
                "AND name !~ '[0-9@/]' AND length(name) <= 30 "
                f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), {srid}), 120) "
                f"ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {srid}), feature_id LIMIT 1",
                (x, y, x, y)).fetchone()
            if landmark is None:
                form = "{st}"
        names = {"st": _street(rng, name)}
        if landmark:
            names["l"] = _name(rng, landmark[0])
        free = fill(form, **names)
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _plain_area(ward) and (not district or rng.random() < 0.5):
                free += rng.choice([" {a}", ", {a}", " ({a})"]).format(a=_mark(_name(rng, ward)))
            elif district:
                free += rng.choice([" {d}", ", {d}", " ({d})"]).format(d=_mark_pc(district))
        add("street", "street", free, "street", x, y, fid, pc_p=0.3)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in conn.execute(f"""
        WITH street AS (SELECT DISTINCT lower(name) AS n FROM gazetteer.feature WHERE level = 'street')
        SELECT b.name, ST_X(b.geom), ST_Y(b.geom) FROM gazetteer.source_feature b
        JOIN street one ON one.n = lower(trim(split_part(b.name, '/', 1)))
        JOIN street two ON two.n = lower(trim(split_part(b.name, '/', 2)))
        WHERE b.kind = 'bus_stop' AND b.name ~ '^[^/]+/[^/]+$'
        ORDER BY {order("b.source_key", "junction")} LIMIT %s""", (k["junction"],)).fetchall():
        a, b = (_street(rng, part.strip(), 0.45) for part in name.split("/"))
        if rng.random() < 0.4:
            a, b = b, a
        add("junction", "street", fill(rng.choice(JUNCTION_TEXT), a=a, b=b), "junction", x, y)

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in conn.execute(f"""
        SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "unit")} LIMIT %s""", (k["postcode"],)).fetchall():
        cat = rng.choice(["street", "street", "other", None, "shop", "park"])
        if rng.random() < 0.4:                         # only the postcode field is filled in
            add("postcode", cat or "other", "", "postcode", x, y, pc=_pc(rng, display))
        else:
            add("postcode", cat, fill(rng.choice(POSTCODE_TEXT), p=_pc(rng, display)), "postcode", x, y)
    for sector, x, y in conn.execute(f"""
        SELECT sector, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "sector")} LIMIT %s""", (k["sector"],)).fetchall():
        s = sector if rng.random() < 0.5 else sector.lower()
        s = s.replace(" ", "") if rng.random() < 0.15 else s
        add("sector", rng.choice(["street", "other", "street"]), fill(rng.choice(SECTOR_TEXT), s=s),
            "sector", x, y)
    for district, x, y in conn.execute(f"""
        SELECT district, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "district")} LIMIT %s""", (k["district"],)).fetchall():
        d = district if rng.random() < 0.6 else district.lower()
        add("district", rng.choice(["street", "other", "street"]), fill(rng.choice(DISTRICT_TEXT), d=d),
            "district", x, y)

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(pt), ST_Y(pt) FROM gazetteer.feature f
        JOIN LATERAL (SELECT geom FROM ref.area a WHERE a.level = 'ward' AND a.code = f.source_key
                      ORDER BY a.vintage DESC LIMIT 1) w ON true
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(w.geom, 1, {SEED % 9973}), 1) pt
        WHERE f.kind = 'area' AND f.name !~* %s AND array_length(regexp_split_to_array(f.name, ' '), 1) <= 3
        ORDER BY {order("f.source_key", "ward")} LIMIT %s""",
                                       (_PLAIN_AREA.pattern.replace(r"\b", r"\y"), k["area"])).fetchall():
        free = fill(rng.choice(AREA_TEXT), a=_name(rng, name))
        add("area", rng.choice(["street", "street", "other"]), free, "area", x, y, fid)

    # No place: own home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", "home", rng.choice(HOME_TEXT), "home")
    for _ in range(k["unknown"]):
        if rng.random() < 0.12:
            add("unknown", None, rng.choice(BARE_UNKNOWN), "none")
        else:
            add("unknown", *rng.choice(UNKNOWN), "none")
    for i in range(k["nonplace"]):
        if i % 6 == 2:
            add("nonplace", *rng.choice(DWELLING), "home")
        else:
            add("nonplace", *rng.choice(NON_PLACES), "none")
    rng.shuffle(out)
    return out
