"""A thirteenth held-out family of labelled assault locations, ``mapcopy``: the place as it reaches the A&E
record or the violence-reduction team's case file by being COPIED from a phone's maps app or an online
address finder -- a patient shows the receptionist the map, a relative pastes a location into a message, a
clerk picks a row of the address look-up. Formatted address lines with commas, place cards with a category,
rating or opening hours glued on, "Directions to ...", share texts, station and bus-stop cards,
address-finder rows with house and flat numbers, county / "England" / "Greater London" / "London Borough of
..." words, postal towns, upper-case postcodes with the space sometimes lost, cards pasted twice or cut
off, leftover UI words.

Written 2026-12-07 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 15:04:51 UTC and finished 15:16:00 UTC (``date -u``). What was read to write it: the whole of
``heldout_l.py`` (as the model for STRUCTURE only: how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen through ``sites.py``, the class shares, the ``typo`` semantics and the
docstring's record; none of its phrase lists, nicknames, brand forms, greetings, abbreviation tables or noise
rules were taken over); the whole of ``truths.py`` and ``sites.py``; from ``independent.py`` the definitions
of ``IndependentExample``, ``CHAINS`` and ``_clean_name`` (found with ``grep -n`` and printed by line range;
the printed ranges also showed, unasked, a comment line after ``CHAINS`` and the first lines of the helper
after ``IndependentExample`` and of ``generate_family`` after ``_clean_name``, about thirty lines in all, none
of them used); the ``FAMILY`` / ``SEED`` lines (grep only) of heldout.py and heldout_b.py .. heldout_l.py, to
pick an unused name and seed; tests/geocoding/test_heldout_textback.py, tests/geocoding/heldout_checks.py and
tests/geocoding/conftest.py (the model for this family's test file); the pytest-marker and ruff lines of
pyproject.toml; from the development gazetteer, read-only: the column list of gazetteer.postcode, counts of
gazetteer.feature by kind and level, a handful of random station, bus-stop, hospital, ward, park, borough and
food-premises names, the postcode areas present and the station sources and networks; and this module's own
output (``generate(conn, 900)`` on the development gazetteer, a few dozen texts looked at). Not read:
anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py, blind*.py,
blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, the rest of independent.py, heldout.py and
heldout_b.py .. heldout_k.py beyond their FAMILY / SEED lines, tests/geocoding/test_geocoder*, the other
test_heldout_*.py files, /work/scratch, /work/note.md, the git history. Every phrase, template, brand form,
category, abbreviation and noise rule below was written fresh for this module. The geocoder was never run on
these texts (no call of safestats.geocode or geocode_candidates or of any geocode* SQL function, no ``make
eval-geocoder``, no evaluation module); the only things run were this module's ``generate``, its own test
file tests/geocoding/test_heldout_mapcopy.py (whose tests read only the FAMILY / SEED lines of the other
held-out modules) and ruff.

Style. What a maps app or address finder puts on the clipboard: names in title case as the app shows them
(upper-case gazetteer names title-cased, brackets and company suffixes gone, apostrophes now and then lost,
"&" / "and" either way), street words in the app's short forms ("Rd", "St", "Ave", "Ln" ...; ``MAP_SHORT``),
an address line behind the name (house number, flat number, ward, postal town, "London Borough of ...",
"Greater London", "England", "UK", the postcode of the nearest unit, upper case, its space sometimes lost),
place cards ("Name · Pub · 4.3 (210) · Open until 11 pm"), "Directions to ...", share texts ("... on Google
Maps", "shared a location: ..."), station cards with the network, bus-stop cards ("Stop K: A Rd / B St"),
chains by the name on their sign (``BRAND_SIGNS``), leftover UI words before or after (``UI_BEFORE``,
``UI_AFTER``), a card pasted twice, a whole text in lower or upper case now and then. The no-place texts as
such tools give them: saved "Home" (level home), saved "Work" and other app screens or off-topic pastes
(level none), saved places of relatives or friends (level home, one in six non-places), "Current location",
"Dropped pin", an empty share link, "Location not available", "Unnamed road" and the like (unknown, level
none). No text names a second place other than the truth's own locality: the postcode unit nearest the truth,
its district, postal town and borough, a chain's street, station or ward, a street's ward.

Labels. Classes and levels as in the other held-out families: venues with a unique name (pubs, parks, food
premises; level venue), chain branches with a locality ("chain") and without ("chain, no locality"),
hospitals (about a fifth "A&E entrance" / "Emergency department" cards naming no hospital, whose truth is the
reporting site itself), stations, street points, junctions (a bus stop named after two streets), postcode
units, sectors, districts, wards (level area), home, unknown and non-places. Truths and reporting sites are
drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by an md5 salted with this family's
SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when a word of the truth's own name, of a chain's sign,
or the primary postcode lost its letters: (a) a slip typed into the search box before copying, in one word of
four letters or more (``SLIP_P`` by class: a neighbouring key, a letter dropped or doubled, two letters
swapped; the first letter kept); (b) a card cut off part-way through the name's last distinctive word when the
name ends the text and has no slip (``CUT_P``; at least four letters and 60% kept, maybe an ellipsis); (c) a
postcode, sector or district typed with the letter O for a zero or I for a one. Not typos: case, the short
forms of ``MAP_SHORT``, apostrophes, "&" / "and", a postcode's space lost, brackets and company suffixes
dropped, an address line cut off at a comma, a card pasted twice, UI words; the locality words around a name
never slip.

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "mapcopy"
SEED = 5_318_947

SHARES = {
    "venue": 0.13,
    "chain": 0.12,
    "hospital": 0.07,
    "station": 0.10,
    "street": 0.12,
    "junction": 0.06,
    "postcode": 0.05,
    "sector": 0.03,
    "district": 0.04,
    "area": 0.06,
    "home": 0.06,
    "unknown": 0.06,
    "nonplace": 0.10,
}

# the chance of a slip typed into the search box, in one word of the truth's name or the primary postcode
SLIP_P = {
    "venue": 0.11,
    "chain": 0.07,
    "hospital": 0.09,
    "station": 0.10,
    "street": 0.11,
    "junction": 0.08,
    "postcode": 0.12,
    "sector": 0.12,
    "district": 0.10,
    "area": 0.10,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
CUT_P = 0.3  # a card cut off inside the name's last distinctive word (when the name ends it and is long)
SHORT_P = 0.55  # a street word in the maps app's short form
APOS_LOST_P = 0.2  # a name's apostrophes lost
AND_SWAP_P = 0.2  # "&" for "and" or the other way round
UI_BEFORE_P = 0.08
UI_AFTER_P = 0.14
TWICE_P = 0.04  # the card pasted twice
NOSPACE_P = 0.3  # a full postcode's space lost
CASE_P = {"as shown": 0.9, "lower": 0.06, "upper": 0.04}

# --- how the apps write names ------------------------------------------------------------------------------

# a street word -> the maps app's short form
MAP_SHORT = {
    "road": "Rd",
    "street": "St",
    "avenue": "Ave",
    "lane": "Ln",
    "gardens": "Gdns",
    "square": "Sq",
    "crescent": "Cres",
    "place": "Pl",
    "terrace": "Terrace",
    "drive": "Dr",
    "court": "Ct",
    "parade": "Pde",
    "grove": "Grove",
    "close": "Cl",
    "saint": "St",
}
MAP_SHORT = {k: v for k, v in MAP_SHORT.items() if v.lower() != k}

# words that do not tell one place from another (a name's distinctive word is its last word not here)
PLAIN_WORDS = {
    "the",
    "and",
    "of",
    "road",
    "street",
    "avenue",
    "lane",
    "gardens",
    "square",
    "crescent",
    "place",
    "terrace",
    "drive",
    "court",
    "parade",
    "grove",
    "close",
    "way",
    "walk",
    "row",
    "mews",
    "hill",
    "rise",
    "green",
    "park",
    "common",
    "station",
    "hospital",
    "university",
    "general",
    "college",
    "centre",
    "center",
    "house",
    "pub",
    "bar",
    "cafe",
    "restaurant",
    "club",
    "kitchen",
    "high",
    "new",
    "old",
    "north",
    "south",
    "east",
    "west",
    "upper",
    "lower",
    "great",
    "little",
    "st",
    "saint",
    "london",
    "market",
    "estate",
    "gate",
    "end",
    "bridge",
    "church",
    "cross",
    "junction",
    "memorial",
    "community",
    "royal",
    "queen",
    "king",
}
_SMALL = {"and", "of", "the", "on", "in", "at", "upon", "de", "la", "le"}

# chains by the name on their sign, as the maps app lists them (each holds the brand's letters whole)
BRAND_SIGNS = {
    "tesco": ["Tesco Express", "Tesco Superstore", "Tesco", "Tesco Extra", "Tesco Metro"],
    "sainsburys": ["Sainsbury's Local", "Sainsbury's", "Sainsbury's Local", "Sainsburys"],
    "costa": ["Costa Coffee", "Costa Coffee", "Costa"],
    "starbucks": ["Starbucks", "Starbucks Coffee"],
    "mcdonalds": ["McDonald's", "McDonald's", "McDonalds"],
    "kfc": ["KFC", "KFC"],
    "aldi": ["ALDI", "Aldi"],
    "lidl": ["Lidl", "LIDL"],
    "greggs": ["Greggs", "Greggs"],
    "subway": ["Subway", "SUBWAY"],
    "pret": ["Pret A Manger", "Pret"],
    "nandos": ["Nando's", "Nando's", "Nandos"],
    "iceland": ["Iceland", "Iceland Supermarket"],
    "morrisons": ["Morrisons Daily", "Morrisons", "Morrisons"],
    "asda": ["Asda Superstore", "ASDA", "Asda"],
    "waitrose": ["Waitrose & Partners", "Waitrose"],
    "wetherspoon": ["JD Wetherspoon", "Wetherspoon"],
    "dominos": ["Domino's Pizza", "Domino's"],
    "boots": ["Boots", "Boots Pharmacy"],
    "londis": ["Londis", "Londis"],
    "budgens": ["Budgens"],
    "wasabi": ["Wasabi", "Wasabi Sushi & Bento"],
    "itsu": ["itsu"],
    "leon": ["LEON", "Leon"],
    "wilko": ["Wilko", "wilko"],
}
BRAND_KINDS = {
    "tesco": "Supermarket",
    "sainsburys": "Supermarket",
    "costa": "Coffee shop",
    "starbucks": "Coffee shop",
    "mcdonalds": "Fast food restaurant",
    "kfc": "Chicken restaurant",
    "aldi": "Supermarket",
    "lidl": "Supermarket",
    "greggs": "Bakery",
    "subway": "Sandwich shop",
    "pret": "Sandwich shop",
    "nandos": "Chicken restaurant",
    "iceland": "Frozen food store",
    "morrisons": "Supermarket",
    "asda": "Supermarket",
    "waitrose": "Supermarket",
    "wetherspoon": "Pub",
    "dominos": "Pizza delivery",
    "boots": "Chemist",
    "londis": "Convenience store",
    "budgens": "Convenience store",
    "wasabi": "Japanese restaurant",
    "itsu": "Asian restaurant",
    "leon": "Fast food restaurant",
    "wilko": "Home goods store",
}

# the postal town of a postcode area (a card names it before the postcode)
POST_TOWN = {
    "SE": "London",
    "SW": "London",
    "E": "London",
    "EC": "London",
    "N": "London",
    "NW": "London",
    "W": "London",
    "WC": "London",
    "BR": "Bromley",
    "CR": "Croydon",
    "DA": "Dartford",
    "EN": "Enfield",
    "HA": "Harrow",
    "IG": "Ilford",
    "KT": "Kingston upon Thames",
    "RM": "Romford",
    "SM": "Sutton",
    "TW": "Twickenham",
    "UB": "Southall",
    "WD": "Watford",
    "CM": "Brentwood",
}

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp|t/a)\.?|\s*@.*)\s*$")


def _bare(name: str) -> str:
    """A gazetteer name as a card shows it: no bracketed part (when letters are left without it), company
    suffix or "@" tail, single spaces."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s, last = _clean_name(s), None
    while s != last:
        s, last = _SUFFIX.sub("", s).strip(), s
    return s or _clean_name(name)


def _cased(s: str) -> str:
    """Title case for a name held all upper or all lower case ("KING'S ROAD" -> "King's Road"); a mixed-case
    name as it is."""
    if not (s.isupper() or s.islower()):
        return s
    out, first = [], True

    def cap(m: re.Match) -> str:
        nonlocal first
        w = m.group(0)
        keep = w if (w in _SMALL and not first) else w[:1].upper() + w[1:]
        first = False
        return keep

    for part in s.lower().split(" "):
        out.append(re.sub(r"[a-z0-9]+(?:'[a-z]+)?", cap, part))
    return " ".join(out)


def _key(words: list[str]) -> int:
    """The index of a name's last distinctive word (-1 when every word is a plain one)."""
    for i in range(len(words) - 1, -1, -1):
        w = re.sub(r"[^a-z0-9]", "", words[i].lower())
        if w and w not in PLAIN_WORDS and w not in {v.lower() for v in MAP_SHORT.values()}:
            return i
    return -1


def _render(rng: random.Random, name: str, street: bool = False) -> list[str]:
    """The words of a name as the app shows it: bare, cased, "St." as "St", apostrophes now and then lost,
    "&" / "and" swapped now and then; a street's words after the first in short form (``SHORT_P``)."""
    s = _cased(_bare(name)).replace("’", "'").replace("`", "'")
    s = re.sub(r"\bSt\.", "St", s)
    if rng.random() < APOS_LOST_P:
        s = s.replace("'", "")
    if rng.random() < AND_SWAP_P:
        s = re.sub(r"\band\b", "&", s) if " and " in s else s.replace("&", "and")
    s = s.replace("&", " & ")
    words = s.split()
    if street:
        short = rng.random() < SHORT_P
        words = [MAP_SHORT.get(w.lower(), w) if i and short else w for i, w in enumerate(words)]
    return words


# --- slips in the search box --------------------------------------------------------------------------------

_KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {
    c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _KEYS
    for i, c in enumerate(row)
}


def _slip(rng: random.Random, word: str) -> str:
    """One slip in a word of four letters or more (letters only): a neighbouring key, a letter dropped or
    doubled, two neighbours swapped; the first letter kept, the case of the word kept."""
    if len(word) < 4 or not word.isalpha():
        return word
    for _ in range(20):
        i = rng.randint(1, len(word) - 1)
        op = rng.choice(["key", "key", "drop", "drop", "double", "swap"])
        if op == "key":
            c = word[i]
            near = NEIGHBOURS.get(c.lower(), "")
            if not near:
                continue
            n = rng.choice(near)
            new = word[:i] + (n.upper() if c.isupper() else n) + word[i + 1 :]
        elif op == "drop":
            new = word[:i] + word[i + 1 :]
        elif op == "double":
            new = word[:i] + word[i] + word[i:]
        else:
            i = min(i, len(word) - 2)
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if new.lower() != word.lower() and len(new) >= 3:
            return new
    return word


@dataclass
class Name:
    """A name or code in a text: the words shown, the words meant, whether a slip changed one, and the
    index of its last distinctive word."""

    words: list[str]
    meant: list[str]
    slipped: bool = False
    key: int = -1
    code: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _name(rng: random.Random, name: str, cls: str, street: bool = False, slip: bool = True) -> Name:
    """A name as copied; with ``slip`` (the truth's own name) maybe one word mistyped (``SLIP_P``)."""
    words = _render(rng, name, street)
    meant = list(words)
    if slip and rng.random() < SLIP_P[cls]:
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if spots:
            i = rng.choice(spots)
            new = _slip(rng, words[i])
            if new != words[i]:
                words = words[:i] + [new] + words[i + 1 :]
    return Name(words, meant, words != meant, _key(meant))


def _pc(rng: random.Random, code: str) -> str:
    """A postcode, sector or district as the tools print it: upper case; a full postcode's space lost now
    and then (a sector keeps it, else it reads as a longer district)."""
    s = code.upper()
    if " " in s and len(s.split()[1]) == 3 and rng.random() < NOSPACE_P:
        s = s.replace(" ", "")
    return s


def _code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Name:
    """A primary postcode / sector / district, maybe typed with the letter O for a zero or I for a one."""
    shown = _pc(rng, code)
    spots = [i for i, c in enumerate(shown) if c in "01" and i > 0]
    if slip and spots and rng.random() < SLIP_P[cls] * 1.5:
        i = rng.choice(spots)
        typed = shown[:i] + {"0": "O", "1": "I"}[shown[i]] + shown[i + 1 :]
        return Name([typed], [shown], True, code=True)
    return Name([shown], [shown], code=True)


# --- the locality around a truth ---------------------------------------------------------------------------


@dataclass
class Where:
    unit: str | None
    district: str | None
    borough: str | None

    @property
    def town(self) -> str | None:
        m = re.match(r"[A-Z]+", self.district or "")
        return POST_TOWN.get(m.group(0)) if m else None


def _where(conn, x: float, y: float, srid: int) -> Where:
    """The postcode unit nearest (x, y), its district and the borough it is in."""
    row = conn.execute(
        "SELECT p.display, p.district, b.name FROM gazetteer.postcode p "
        "LEFT JOIN LATERAL (SELECT f.name FROM gazetteer.feature f WHERE f.kind = 'borough' "
        "AND f.source_key = p.borough_code ORDER BY f.feature_id LIMIT 1) b ON true "
        f"ORDER BY p.geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), p.postcode LIMIT 1",
        (x, y),
    ).fetchone()
    return Where(*row) if row else Where(None, None, None)


# address lines behind a name: {t} postal town, {pc} postcode unit, {d} district, {b} borough, {q} ward
ADDRESS_TAILS = [
    ", {t} {pc}",
    ", {t} {pc}, UK",
    ", {t} {pc}, United Kingdom",
    ", {t}, {pc}",
    ", {pc}",
    ", {t} {d}",
    ", {t} {d}, UK",
    ", {t}, Greater London, {pc}",
    ", {t}, England, {pc}",
    ", London Borough of {b}, {pc}",
    ", {b}, {t} {pc}",
    ", {t}, {pc}, England",
    " - {t} {pc}",
    ", {t}",
    ", Greater London",
    ", {t}, UK",
    ", {d}",
]
WARD_TAILS = [", {q}, {t} {pc}", ", {q}, {t}", ", {q}, {t} {d}, UK", ", {q}, London Borough of {b}"]


def _tail(rng: random.Random, w: Where, ward: str | None = None, forms=None) -> str:
    """An address line for a locality (fields it lacks left out), sometimes cut off at a comma."""
    fields = {"t": w.town, "pc": w.unit and _pc(rng, w.unit), "d": w.district, "b": w.borough, "q": ward}
    pool = list(forms or ADDRESS_TAILS)
    if ward and forms is None and rng.random() < 0.3:
        pool = WARD_TAILS
    fine = [f for f in pool if all(fields.get(k) for k in re.findall(r"\{([a-z]+)\}", f))]
    if not fine:
        return ""
    s = rng.choice(fine)
    for k, v in fields.items():
        if v:
            s = s.replace("{" + k + "}", v)
    if s.count(",") >= 2 and rng.random() < 0.08:  # the line cut off at a comma
        s = s[: s.rfind(",")] + rng.choice(["", ",", "…"])
    return s


# --- what the tools put on the clipboard ----------------------------------------------------------------

RATING = ["{r} ({c})", "{r}★ ({c})", "{r} ★★★★☆", "{r} stars · {c} reviews", "Rated {r}"]
HOURS = [
    "Open until 11 pm",
    "Open until midnight",
    "Closes 11 pm",
    "Closed · Opens 12 pm",
    "Open 24 hours",
    "Open now",
    "Closes soon · 11 pm",
    "Closed now",
    "Opens 10 am",
    "Temporarily closed",
    "Closing soon",
]
PUB_KINDS = ["Pub", "Pub", "Bar", "Gastropub", "Sports bar", "Bar & grill", "Cocktail bar", "Live music bar"]
PARK_KINDS = ["Park", "Park", "City park", "Garden", "Public garden", "Nature reserve", "Recreation ground"]
FOOD_KINDS = {
    "takeaway": [
        "Takeaway",
        "Meal takeaway",
        "Fast food restaurant",
        "Chicken shop",
        "Kebab shop",
        "Fish & chips takeaway",
        "Pizza takeaway",
    ],
    "restaurant": [
        "Restaurant",
        "Cafe",
        "Caribbean restaurant",
        "Turkish restaurant",
        "Indian restaurant",
        "Brasserie",
        "Cafe",
        "Breakfast restaurant",
    ],
    "pub": ["Pub", "Bar", "Wine bar"],
    "retail": ["Shop", "Convenience store", "Off-licence", "Grocery store", "Newsagent", "Butcher shop"],
    "": ["Restaurant", "Takeaway", "Cafe", "Shop", "Caterer", "Event venue"],
}

VENUE_CARDS = [
    "{v}{addr}",
    "{v}{addr}",
    "{v} · {k}{addr}",
    "{v} · {k} · {rate}",
    "{v} - {k} - {hours}",
    "{v} | {k} | {hours}",
    "{v}\u2002{rate} · {k}",
    "{v} · {hours}",
    "Directions to {v}",
    "Directions to {v}{addr}",
    "{v}{addr} on Google Maps",
    "{v} on Google Maps",
    "Shared a location: {v}{addr}",
    "Check out {v} on Maps",
    "{v}, {k}{addr}",
    "{k} · {v}",
    "{v}",
    "Location: {v}{addr}",
    "Route to {v}",
]
CHAIN_STREET_CARDS = [
    "{c}, {n} {w}{addr}",
    "{c} · {w}",
    "{c} - {w}",
    "{c} ({w})",
    "{c}, {w}{addr}",
    "Directions to {c}, {w}",
    "{c} {w}{addr} · {k}",
    "{c}: {n} {w}",
]
CHAIN_STATION_CARDS = [
    "{c} - {s} Station",
    "{c} · {s} Station",
    "{c}, {s} Station{addr}",
    "{c} ({s} Stn)",
    "{c} {s} Station · {k}",
    "Directions to {c} {s} Station",
]
CHAIN_WARD_CARDS = ["{c}, {a}", "{c} · {a}", "{c} {a}{addr}", "{c}, {a}, {t}", "{c} - {a} · {k}"]
CHAIN_DISTRICT_CARDS = ["{c}, {t} {d}", "{c} {d}", "{c} · {k} · {d}", "{c}, {d}, UK", "Directions to {c} {d}"]
CHAIN_ALONE_CARDS = [
    "{c}",
    "{c} · {k}",
    "{c} · {k} · {hours}",
    "{c} - {k}",
    "Directions to {c}",
    "{c} on Google Maps",
    "{c} · {rate} · {k}",
    "Shared a location: {c}",
    "{c} | {hours}",
    "{k} · {c}",
    "Route to {c}",
    "{c} (Nearby)",
]

HERE_CARDS = [
    "Emergency Department · Open 24 hours",
    "Emergency Department",
    "A&E · Hospital department",
    "Accident & Emergency · Open 24 hours",
    "A&E entrance",
    "Accident and Emergency, Main Entrance",
    "Urgent Treatment Centre · Open 24 hours",
    "Emergency room · Open 24 hours",
    "A&E Department - Hospital",
    "Ambulance entrance · Emergency Department",
    "Hospital · Emergency services",
    "Directions to Accident & Emergency",
    "Emergency Department Drop-off",
    "A&E Main Entrance · Open now",
    "Minor Injuries · Emergency Department",
    "Hospital car park · Parking",
]
HOSPITAL_CARDS = [
    "{h}{addr}",
    "{h} · Hospital{addr}",
    "{h} · Hospital · Open 24 hours",
    "Emergency Department, {h}{addr}",
    "{h} A&E",
    "{h} - Accident & Emergency",
    "A&E, {h}",
    "Directions to {h}",
    "{h} on Google Maps",
    "{h}, Main Entrance{addr}",
    "{h} · General hospital · {rate}",
    "Shared a location: {h}",
    "{h} Car Park",
]

STATION_WORDS = {
    "rail": ["Station", "Station (National Rail)", "Rail Station", "Railway Station", "", "Station"],
    "tube": ["Underground Station", "Station", "Tube Station", "", "Station (Underground)"],
    "overground": ["Station", "Overground Station", "Station (London Overground)", ""],
    "dlr": ["DLR Station", "DLR Station", "Station (DLR)", ""],
    "tram": ["Tram Stop", "Tram Stop", "Tramlink Stop", ""],
    "elizabeth": ["Station", "Station (Elizabeth line)", ""],
}
STATION_KINDS = {
    "rail": ["Train station", "Train station", "Transit station"],
    "tube": ["Underground station", "Subway station", "Transit station"],
    "overground": ["Train station", "Overground station"],
    "dlr": ["Light rail station", "DLR station"],
    "tram": ["Tram stop", "Light rail station"],
    "elizabeth": ["Train station", "Transit station"],
}
STATION_CARDS = [
    "{s} {m}",
    "{s} {m}",
    "{s} {m} · {k}",
    "{s} {m}{addr}",
    "Directions to {s} {m}",
    "{s} {m} on Google Maps",
    "{k} · {s} {m}",
    "{s} {m}, {t}",
    "Shared a location: {s} {m}",
    "{s} {m} - Step-free access",
    "{s} {m} · Exit 2",
    "{s} {m} · Entrance",
    "{s} {m} | Live departures",
    "Route to {s} {m}",
]

STREET_CARDS = [
    "{st}{addr}",
    "{st}{addr}",
    "{n} {st}{addr}",
    "{n} {st}{addr}",
    "Flat {f}, {n} {st}{addr}",
    "Apartment {f}, {n} {st}{addr}",
    "{n}{ab} {st}{addr}",
    "Flat {f} {n} {st}",
    "{st} · Road",
    "Directions to {st}",
    "Directions to {n} {st}{addr}",
    "{st}{addr} on Google Maps",
    "Shared a location: {n} {st}{addr}",
    "{st}, {t}",
    "{n} {st}",
    "{st}",
    "Route to {st}",
    "{n}-{n2} {st}{addr}",
]
JUNCTION_CARDS = [
    "Stop {L}: {a} / {b}",
    "{a} / {b} (Stop {L})",
    "Bus stop · {a} / {b}",
    "{a} / {b} · Bus stop",
    "{a} & {b}{addr}",
    "{a} & {b}",
    "Directions to {a} / {b}",
    "{a} / {b} Bus Stop, {t}",
    "Stop {L} {a} / {b} · Live bus times",
    "{a} / {b}",
    "{a} at {b}",
    "Bus stop {a}/{b}",
    "Corner of {a} & {b}{addr}",
]
STOP_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"
POSTCODE_CARDS = [
    "{p}",
    "{p}",
    "{t} {p}",
    "{t} {p}, UK",
    "{p}, United Kingdom",
    "{p} · Select an address",
    "Postcode: {p}",
    "{p} - address not listed",
    "Enter manually: {p}",
    "{t}, {p}",
    "Directions to {p}",
    "{p} on Google Maps",
    "Greater London {p}",
    "{p}, England",
]
SECTOR_CARDS = [
    "{p}",
    "{p}…",
    "{t} {p}…",
    "{p} (partial postcode)",
    "{p}... no addresses found",
    "Search: {p}",
    "{t} {p}",
    "{p} - please enter a full postcode",
]
DISTRICT_CARDS = [
    "{t} {d}",
    "{d}, {t}, UK",
    "{d}",
    "{d} · Postcode district",
    "Directions to {d}",
    "{d}, Greater London",
    "{t} {d}, UK",
    "{d} on Google Maps",
    "{d}, England",
    "{t}, {d}",
]
AREA_CARDS = [
    "{a}, {t}",
    "{a}, {t}, UK",
    "{a}, Greater London",
    "{a}, Greater London, England",
    "{a}, London Borough of {b}",
    "{a} · Neighbourhood in {t}",
    "Directions to {a}",
    "{a} on Google Maps",
    "{a}, {b}, {t}",
    "{a}",
    "{a} · Area",
    "{a}, {t} {d}",
    "Shared a location: {a}, {t}",
]

HOME_CARDS = [
    "Home",
    "Home",
    "Home · Saved",
    "Directions to Home",
    "Home (saved place)",
    "Saved: Home",
    "Your places › Home",
    "Home · Labelled",
    "Route to Home",
    "Home - set as your home address",
    "Labelled: Home",
    "Home · Favourites",
    "Navigate home",
    "Home · 12 min",
]
UNKNOWN_CARDS = [
    "Current location",
    "Your location",
    "Dropped pin",
    "Dropped pin · Share",
    "Location not available",
    "Unknown road",
    "Unnamed Road",
    "Unnamed road · Share",
    "https://maps.app.goo.gl/",
    "maps.app.goo.gl/",
    "Shared a location:",
    "Coordinates not available",
    "Location services are turned off",
    "Couldn't get your location",
    "Location access denied",
    "Live location sharing ended",
    "This link has expired",
    "Waiting for location…",
    "Searching for GPS signal",
    "No results found",
    "Pin: location could not be shared",
    "Shared location unavailable",
    "Tap to load map",
]
NONPLACE_CARDS = [
    "Work",
    "Work · Saved",
    "Directions to Work",
    "Saved: Work",
    "Search here",
    "Add a stop",
    "Choose destination",
    "Set location on map",
    "Explore nearby",
    "Restaurants · Coffee · Petrol · Hotels",
    "Your trip receipt",
    "Rate your trip",
    "Sign in to see your saved places",
    "Download offline maps",
    "Your timeline",
    "Recently viewed",
    "Add a missing place",
    "Send feedback",
    "Turn on notifications",
    "Traffic is heavier than usual",
    "See photos",
    "Report a problem",
    "Updated terms of service",
    "Your ride has arrived",
    "Open in app",
    "Accept all cookies",
    "Enter your postcode",
    "Search for an address",
]
SAVED_DWELLINGS = [
    "Mum's · Saved",
    "Nan's house",
    "Dad's (saved place)",
    "Mate's flat · Saved",
    "Auntie's",
    "Girlfriend's place · Favourites",
    "Boyfriend's · Saved",
    "Grandma's",
    "Sister's flat",
    "Cousin's · Labelled",
    "Friend's house · Saved",
    "Uncle's",
]

UI_BEFORE = ["Share", "Saved", "Nearby", "Directions", "Save", "Overview", "Search"]
UI_AFTER = [
    "Open",
    "Closed",
    "Saved",
    "Share",
    "Website",
    "Directions",
    "Call",
    "Save",
    "Nearby",
    "Start",
    "Send to phone",
    "Open · Share",
    "Website Directions",
]
UI_SEPS = [" ", " · ", "  ", " | ", " – "]

_MODE_NET = {"DLR": "dlr", "Tramlink": "tram", "TfL Rail": "elizabeth", "London Overground": "overground"}


def _mode(source: str, network: str | None, name: str) -> str:
    """The kind of station a card says."""
    if network in _MODE_NET:
        return _MODE_NET[network]
    low = name.lower()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if "tram" in low:
        return "tram"
    if re.search(r"\bel$", low.strip()):
        return "elizabeth"
    return "rail" if source == "naptan_rail" else "tube"


def _station_own(name: str) -> str:
    """A station's own name: no bracketed part, network or line tag, or station word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s*-\s*(dlr|tram|tramlink|underground|overground|rail)\s*$", "", s)
    s = re.sub(r"(?i)\s+(lu|el|ell|nr|lo|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    return " ".join(s.split())


_WARD_SKIP = [
    "and",
    "ward",
    "north",
    "south",
    "east",
    "west",
    "central",
    "road",
    "street",
    "park",
    "station",
    "village",
    "common",
    "town",
    "hospital",
    "upper",
    "lower",
    "gardens",
    "fields",
    "vale",
    "green",
]
_WARD_SKIP_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_SKIP) + r")\b", re.I)
_WARD_SKIP_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_SKIP) + r")\M"
_STREETISH = (
    r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|square|parade|hill|way|close|drive)$"
)


def _ward_ok(name: str | None) -> bool:
    return bool(name) and not _WARD_SKIP_RE.search(name) and len(name.split()) <= 3


# --- a copied text ----------------------------------------------------------------------------------------


def _fill(form: str, names: dict[str, Name], plain: dict[str, str]) -> str:
    for k, v in names.items():
        form = form.replace("{" + k + "}", v.text)
    for k, v in plain.items():
        form = form.replace("{" + k + "}", v)
    return form


def _copied(
    rng: random.Random,
    form: str,
    names: dict[str, Name],
    plain: dict[str, str] | None = None,
    primary: str | None = None,
) -> tuple[str, bool]:
    """The text on the clipboard: the card with its names and fields; maybe cut off inside the primary
    name's last distinctive word (when the card ends with it), else maybe UI words around it, pasted twice;
    now and then all lower or upper case. Returns the text and ``typo``."""
    plain = dict(plain or {})
    text = re.sub(r" {2,}", " ", _fill(form, names, plain)).strip()
    r, mode = rng.random(), "as shown"
    for m, p in CASE_P.items():
        if r < p:
            mode = m
            break
        r -= p
    text = text.lower() if mode == "lower" else text.upper() if mode == "upper" else text
    cut = False
    p = names.get(primary) if primary else None
    ends = form.rstrip().endswith("{" + primary + "}") if primary else False
    if p is not None and not p.code and not p.slipped and ends and p.key == len(p.words) - 1:
        last = p.words[-1]
        if last.isalpha() and len(last) >= 7 and text.lower().endswith(last.lower()) and rng.random() < CUT_P:
            keep = rng.randint(max(4, math.ceil(0.6 * len(last))), len(last) - 1)
            text = text[: len(text) - len(last) + keep] + rng.choice(["", "…", "...", ""])
            cut = True
    if not cut:
        if rng.random() < UI_BEFORE_P:
            text = rng.choice(UI_BEFORE) + rng.choice(UI_SEPS) + text
        if rng.random() < UI_AFTER_P:
            text = text + rng.choice(UI_SEPS) + rng.choice(UI_AFTER)
        if rng.random() < TWICE_P:
            text = text + rng.choice([" ", "  ", ", ", " "]) + text
    typo = cut or any(v.slipped for v in names.values())
    return text.strip(), typo


def _rate(rng: random.Random) -> str:
    r = f"{rng.randint(31, 49) / 10:.1f}"
    count = str(rng.choice([7, 23, 58, 112, 240, 391, 1204]))
    return rng.choice(RATING).replace("{r}", r).replace("{c}", count)


# --- the family ------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``mapcopy`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}|{salt}|{SEED}|' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.35, none_placed=0.07, nearest=0.84, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def fields(where: Where, ward: str | None = None, addr: bool = True) -> dict[str, str]:
        return {
            "addr": _tail(rng, where, ward) if addr else "",
            "t": where.town or "",
            "b": where.borough or "",
            "d": where.district or "",
            "rate": _rate(rng),
            "hours": rng.choice(HOURS),
        }

    def pick(forms: list[str], have: dict[str, str]) -> str:
        fine = [f for f in forms if all(have.get(x) or x not in have for x in re.findall(r"\{([a-z]+)\}", f))]
        return rng.choice(fine or forms)

    def add(cls, level, text_typo, x=None, y=None, fid=None, site="near"):
        text, typo = text_typo
        code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name no other venue has: pubs, parks and food premises.
    quota = {"pub": round(k["venue"] * 0.38), "park": round(k["venue"] * 0.09)}
    rows: list[tuple] = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=32)
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        bus = (business or "").lower()
        if kind == "pub":
            kinds = PUB_KINDS
        elif kind == "park":
            kinds = PARK_KINDS
        else:
            kinds = next((v for t, v in FOOD_KINDS.items() if t and t in bus), FOOD_KINDS[""])
        f = fields(_where(conn, x, y, srid))
        f["k"] = rng.choice(kinds)
        v = _name(rng, name, "venue")
        add("venue", "venue", _copied(rng, pick(VENUE_CARDS, f), {"v": v}, f, "v"), x, y, fid)

    # Chains: a branch of a brand with four or more branches; some cards say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        sign = rng.choice(BRAND_SIGNS.get(brand, [brand.title()]))
        c = Name(sign.split(), sign.split())  # a sign is never cut off (key -1)
        if rng.random() < SLIP_P["chain"]:
            spots = [i for i, w in enumerate(c.words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                c.words[i] = _slip(rng, c.words[i])
                c.slipped = c.words != c.meant
        where = _where(conn, x, y, srid)
        f = fields(where)
        f["k"] = BRAND_KINDS.get(brand, "Shop")
        f["n"] = str(rng.randint(1, 260))
        r = rng.random()
        if r < 0.24 and street and not re.search(r"[0-9,()/]", street):
            form = pick(CHAIN_STREET_CARDS, f)
            names = {"c": c, "w": _name(rng, street, "chain", street=True, slip=False)}
            add("chain", "venue", _copied(rng, form, names, f, "c"), x, y, fid)
        elif r < 0.38 and stn:
            form = pick(CHAIN_STATION_CARDS, f)
            names = {"c": c, "s": _name(rng, _station_own(stn), "chain", slip=False)}
            add("chain", "venue", _copied(rng, form, names, f, "c"), x, y, fid)
        elif r < 0.48 and _ward_ok(ward):
            form = pick(CHAIN_WARD_CARDS, f)
            names = {"c": c, "a": _name(rng, ward, "chain", slip=False)}
            add("chain", "venue", _copied(rng, form, names, f, "c"), x, y, fid)
        elif r < 0.56 and district:
            f["d"] = _pc(rng, district)
            add("chain", "venue", _copied(rng, pick(CHAIN_DISTRICT_CARDS, f), {"c": c}, f, "c"), x, y, fid)
        else:
            form = pick(CHAIN_ALONE_CARDS, f)
            add("chain, no locality", "venue", _copied(rng, form, {"c": c}, f, "c"), x, y, fid)

    # Hospitals: about a fifth are department cards naming no hospital (the reporting site itself).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 5)):
        add("hospital", "venue", _copied(rng, rng.choice(HERE_CARDS), {}), x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        f = fields(_where(conn, x, y, srid))
        h = _name(rng, name, "hospital")
        add("hospital", "venue", _copied(rng, pick(HOSPITAL_CARDS, f), {"h": h}, f, "h"), x, y, fid)

    # Stations near an A&E site, with the card's network words (or none).
    for fid, name, source, net, _lines, x, y in truths.stations(conn, salted, k["station"]):
        mode = _mode(source, net, name)
        f = fields(_where(conn, x, y, srid))
        f["m"] = rng.choice(STATION_WORDS[mode])
        f["k"] = rng.choice(STATION_KINDS[mode])
        s = _name(rng, _station_own(name), "station")
        forms = STATION_CARDS if f["m"] else [c.replace(" {m}", "") for c in STATION_CARDS]
        add("station", "venue", _copied(rng, pick(forms, f), {"s": s}, f, "s"), x, y, fid)

    # Streets: a point of the street, often with a house or flat number and an address line.
    for fid, name, _district, _namesakes, ward, x, y in truths.street_points(
        conn, salted, _STREETISH, k["street"]
    ):
        f = fields(_where(conn, x, y, srid), ward if _ward_ok(ward) else None)
        num = rng.randint(1, 220)
        f.update(
            n=str(num),
            n2=str(num + rng.choice([2, 4, 6])),
            f=str(rng.randint(1, 24)),
            ab=rng.choice(["A", "B", "a"]),
        )
        st = _name(rng, name, "street", street=True)
        add("street", "street", _copied(rng, pick(STREET_CARDS, f), {"st": st}, f, "st"), x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_name(rng, part.strip(), "junction", street=True) for part in name.split("/"))
        f = fields(_where(conn, x, y, srid))
        f["L"] = rng.choice(STOP_LETTERS)
        add("junction", "junction", _copied(rng, pick(JUNCTION_CARDS, f), {"a": a, "b": b}, f, "b"), x, y)

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        f = fields(Where(display, display.split()[0], None), addr=False)
        p = _code(rng, display, "postcode")
        add("postcode", "postcode", _copied(rng, pick(POSTCODE_CARDS, f), {"p": p}, f), x, y)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        f = fields(Where(None, sector.split()[0], None), addr=False)
        p = _code(rng, sector, "sector")
        add("sector", "sector", _copied(rng, pick(SECTOR_CARDS, f), {"p": p}, f), x, y)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        f = fields(Where(None, district, None), addr=False)
        f.pop("d")
        d = _code(rng, district, "district")
        add("district", "district", _copied(rng, pick(DISTRICT_CARDS, f), {"d": d}, f), x, y)

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_SKIP_PG, SEED % 9967, k["area"]):
        f = fields(_where(conn, x, y, srid), addr=False)
        a = _name(rng, name, "area")
        add("area", "area", _copied(rng, pick(AREA_CARDS, f), {"a": a}, f, "a"), x, y, fid)

    # No place: saved home, unknown locations, non-places (one in six a relative's or friend's saved place).
    for _ in range(k["home"]):
        add("home", "home", _copied(rng, rng.choice(HOME_CARDS), {}))
    for _ in range(k["unknown"]):
        add("unknown", "none", _copied(rng, rng.choice(UNKNOWN_CARDS), {}))
    for i in range(k["nonplace"]):
        if i % 6 == 3:
            add("nonplace", "home", _copied(rng, rng.choice(SAVED_DWELLINGS), {}))
        else:
            add("nonplace", "none", _copied(rng, rng.choice(NONPLACE_CARDS), {}))
    rng.shuffle(out)
    return out
