"""A fourteenth held-out family of labelled assault locations, ``merged``: the location field as it reaches a
borough community-safety analyst in a MERGED SPREADSHEET -- several hospitals' monthly A&E assault returns
(and other partners' returns) collated by different clerks over the years, copied between Excel workbooks
and CSV exports, and sent on. What a place description picks up on that journey: address columns of one
system run together into one field (with commas, pipes, semicolons, a tab's double space, Excel's
``_x000D_`` line-break remnant, or nothing at all between them), a location-type column or a date run in
before the place, empty columns left as ",,," or "nan" / "NULL", fixed-width fields cut off, CSV quotes and
Excel's leading apostrophe kept, an export read in the wrong code page (curly apostrophes as "â€™", accents
as "Ã©"), "&" as "&amp;", house numbers turned into dates ("01-Mar") or floats ("12.0") by Excel, postcodes
padded to a fixed-width outward code, each clerk's own street abbreviations, whole legacy returns in upper
case, and values that are not places at all (lookup errors, header and total rows, "as above", suppressed
or missing returns).

Written 2026-12-07 by a helper session asked to write a blind family the geocoder's developers have never
seen; started 18:15:42 UTC and finished 18:31:57 UTC (``date -u``). What was read to write it: the whole of
``heldout_m.py`` (as the model for STRUCTURE only: how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen through ``sites.py``, the class shares, the ``typo`` semantics, the dataclass
returned, ``generate(conn, n)`` and the docstring's record; none of its phrase lists, brand forms,
abbreviations, UI words, non-place labels or noise rules were taken over); the whole of ``truths.py`` and
``sites.py``; from ``independent.py`` the definitions of ``IndependentExample``, ``CHAINS`` and
``_clean_name`` (found with ``grep -n`` and printed by line range; the printed ranges also showed, unasked,
the first lines of its ``NONPLACES_NONE`` list and an abbreviation table's tail after ``CHAINS``, the start
of ``_edge_typo`` after ``IndependentExample`` and the start of ``generate_family`` after ``_clean_name``,
about thirty lines, none of them used and none of their phrases taken over); the ``FAMILY`` / ``SEED`` lines
(grep only) of heldout.py and heldout_b.py .. heldout_m.py, to pick an unused name and seed;
tests/geocoding/test_heldout_mapcopy.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py
(the model for this family's test file); the pytest-marker and ruff lines of pyproject.toml; from the
development gazetteer, read-only: the column list of gazetteer.postcode, counts of gazetteer.feature by kind
and level, a handful of random venue, pub, hospital, station, ward, borough, A&E-site and park names, venue
names holding non-ASCII letters, a few bus-stop names, the postcode areas present and the station networks;
and this module's own output (``generate(conn, 900)`` on the development gazetteer, a few dozen texts looked
at). Not read: anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py,
blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, the rest of independent.py,
heldout.py and heldout_b.py .. heldout_l.py beyond their FAMILY / SEED lines, tests/geocoding/test_geocoder*,
the other test_heldout_*.py files, /work/scratch, the git history. Every phrase, template, brand form,
abbreviation and noise rule below was written fresh for this module. The geocoder was never run on these
texts (no call of safestats.geocode or geocode_candidates or of any geocode* SQL function, no ``make
eval-geocoder``, no evaluation module); the only things run were this module's ``generate``, its own test
file tests/geocoding/test_heldout_merged.py (whose tests read only the FAMILY / SEED lines of the other
held-out modules, and import heldout_m's brand and no-place lists only to check that none was taken over)
and ``ruff check``.

Style. One record's location field as the merged sheet holds it: the place (a name as the source system
held it: brackets, company suffixes and "@" tails gone, accents now and then folded to plain letters,
apostrophes now and then dropped or exported as "?", "&" / "and" / "+" as the clerk wrote it), maybe a
house or flat number, and the columns run into it: the nearest postcode unit, its district, the borough
(as "LB Southwark", "Southwark LBC" ...) or its ONS code, the ward, a location-type column ("Licensed
premises", "Street/road" ...), a date; joined by one separator per record (``SEPARATORS``). Street words in
one clerk's abbreviations (``CLERK_ABBREV``: whole words, a dotted set, or a legacy system's consonant
codes), chains by the names clerks give them (``CHAIN_FORMS``), stations with the network word a clerk
added (``NETWORK_WORDS``), junctions in the clerks' notations ("j/w", "jct", "J/O" ...), postcodes with the
space kept, lost or padded to a four-character outward code, sectors and districts as partial postcodes
("SE15 4**", "SE15 ***"). The record then as exported: upper case (a legacy return) or lower now and then,
the code-page damage (``MOJI``), "&amp;", CSV quotes, Excel's text apostrophe, empty columns run on, a
fixed-width field cut off (``FIELD_WIDTHS``). The no-place texts as merged sheets hold them: the home of the
patient (level home), a dwelling other than the patient's own (level home, one in five non-places), missing
values ("N/K", "#N/A", "nan" ...; unknown, level none), and values that are no place (lookup errors,
header, total and "as above" rows, suppressed or missing returns, other columns' values; level none). No
text names a second place other than the truth's own locality: the postcode unit nearest the truth, its
district and borough, a chain's street, station or ward, a street's ward.

Labels. Classes and levels as in the other held-out families: venues with a unique name (pubs, parks, food
premises; level venue), chain branches with a locality ("chain") and without ("chain, no locality"),
hospitals (about a fifth "in the department" texts naming no hospital, whose truth is the reporting site
itself), stations, street points, junctions (a bus stop named after two streets), postcode units, sectors,
districts, wards (level area), home, unknown and non-places. Truths and reporting sites are drawn from the
gazetteer through ``truths.py`` and ``sites.py``, ordered by an md5 salted with this family's FAMILY and
SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when letters of the truth's own name (both streets of
a junction), of a chain's name or of the primary postcode / sector / district were damaged: (a) a re-keying
slip when a clerk typed the return into the merged sheet, in one word of four letters or more (``REKEY_P``
by class: a doubled letter keyed once, a letter keyed twice, two neighbouring letters transposed, a vowel
keyed as another vowel; the first letter kept); (b) a primary code re-keyed: a unit's two final letters
transposed, or two neighbouring digits of a sector's or district's outward code transposed; (c) an accented
letter of the name turned into two characters by the wrong code page ("Ã©"); (d) a fixed-width field
cutting the text inside the primary name's last distinctive word (at least four letters and 60% kept) or
cutting the last character off a primary postcode unit. Not typos: case, the clerks' abbreviations, an
accent folded to its plain letter, apostrophes dropped or exported as "?" or "â€™", "&" / "and" / "+" /
"&amp;", a postcode's space lost or padded, separators, quotes and apostrophes of the export, a date or type
column run in, empty columns, and a fixed-width cut that falls after every name in the text (a locality
name never slips and is never cut).

This family has never been used to develop the geocoder or fit its calibration.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "merged"
SEED = 8_562_139

SHARES = {
    "venue": 0.12,
    "chain": 0.12,
    "hospital": 0.07,
    "station": 0.09,
    "street": 0.13,
    "junction": 0.06,
    "postcode": 0.06,
    "sector": 0.03,
    "district": 0.04,
    "area": 0.06,
    "home": 0.06,
    "unknown": 0.07,
    "nonplace": 0.09,
}

# the chance a clerk re-keyed one word of the truth's name, or the primary code, wrongly
REKEY_P = {
    "venue": 0.09,
    "chain": 0.06,
    "hospital": 0.08,
    "station": 0.08,
    "street": 0.10,
    "junction": 0.07,
    "postcode": 0.10,
    "sector": 0.09,
    "district": 0.08,
    "area": 0.08,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
TRUNC_P = 0.16  # the record went through a fixed-width field of one of FIELD_WIDTHS characters
FIELD_WIDTHS = (18, 20, 22, 24, 25, 28, 30, 32, 35, 36, 40, 45, 50)
MOJI_P = 0.08  # the source's export read in the wrong code page
AMP_HTML_P = 0.05  # "&" exported as "&amp;"
FOLD_P = 0.5  # an accented letter folded to its plain letter by a legacy system (when not code-page damaged)
APOS_DROP_P = 0.15  # a name's apostrophes dropped by the clerk
APOS_QMARK_P = 0.05  # ... or exported as "?"
AND_P = 0.2  # "and" / "&" / "+" as another clerk writes it
TYPE_P = 0.12  # a location-type column run in before the place
DATE_P = 0.04  # the date column run in before the place
QUOTE_P = 0.05  # CSV quotes kept
TEXT_APOS_P = 0.04  # Excel's leading text apostrophe (codes: TEXT_APOS_CODE_P)
TEXT_APOS_CODE_P = 0.15
TRAIL_P = 0.07  # empty columns run on after the place
RECORD_CASE = {"as keyed": 0.68, "upper": 0.27, "lower": 0.05}

# --- how the clerks wrote names ----------------------------------------------------------------------------

# one clerk writes street words whole, another with dotted short forms, a third with a legacy system's codes
CLERK_ABBREV = [
    {},
    {
        "road": "Rd.",
        "street": "St.",
        "avenue": "Av.",
        "lane": "La.",
        "gardens": "Gdn.",
        "square": "Sq.",
        "crescent": "Cresc.",
        "place": "Pl.",
        "terrace": "Terr.",
        "drive": "Dr.",
        "court": "Ct.",
        "parade": "Par.",
        "grove": "Gro.",
        "close": "Cl.",
    },
    {
        "road": "Rd",
        "street": "Str",
        "avenue": "Avn",
        "lane": "Lne",
        "gardens": "Gds",
        "square": "Sqr",
        "crescent": "Cres",
        "place": "Plc",
        "terrace": "Tce",
        "drive": "Drv",
        "court": "Crt",
        "parade": "Prd",
        "grove": "Grv",
        "close": "Cls",
    },
]
CLERK_WEIGHTS = (0.45, 0.3, 0.25)

# words that do not tell one place from another (a name's distinctive word is its last word not here)
GENERIC = {
    "the", "and", "of", "a", "at", "on", "in", "road", "street", "avenue", "lane", "gardens", "square",
    "crescent", "place", "terrace", "drive", "court", "parade", "grove", "close", "way", "walk", "row",
    "mews", "hill", "rise", "green", "park", "common", "station", "stn", "hospital", "general",
    "university", "college", "centre", "center", "house", "pub", "bar", "cafe", "restaurant", "club",
    "kitchen", "grill", "high", "new", "old", "north", "south", "east", "west", "upper", "lower", "great",
    "little", "st", "saint", "london", "market", "estate", "gate", "end", "bridge", "church", "cross",
    "junction", "memorial", "community", "royal", "queen", "queens", "king", "kings", "arms", "tavern",
    "inn", "hotel", "shop", "store", "stores", "food", "wine", "express", "local", "ltd",
}

# chains by the names clerks give them (each holds the brand's letters whole)
CHAIN_FORMS = {
    "tesco": ["Tesco", "TESCOS", "Tesco's", "Tesco Exp", "Tesco Stores"],
    "sainsburys": ["Sainsburys", "Sainsburys Loc", "Sainsbury's Supermkt", "SAINSBURYS SUPERMARKET"],
    "costa": ["Costa", "Costa Cafe", "Costa coffee shop", "COSTA COFFEE BAR"],
    "starbucks": ["Starbucks", "Starbucks Cafe", "STARBUCKS COFFEE CO"],
    "mcdonalds": ["McDonalds", "MCDONALDS", "Mcdonald's", "McDonalds restaurant", "McDonalds drive thru"],
    "kfc": ["KFC", "K.F.C.", "KFC takeaway"],
    "aldi": ["Aldi", "ALDI STORES", "Aldi supermkt"],
    "lidl": ["Lidl", "LIDL UK", "Lidl store"],
    "greggs": ["Greggs", "GREGGS BAKERS", "Greggs the bakers"],
    "subway": ["Subway", "SUBWAY SANDWICHES", "Subway takeaway"],
    "pret": ["Pret", "PRET CAFE", "Pret sandwich shop", "Pret a Manger shop"],
    "nandos": ["Nandos", "NANDO'S", "Nandos restaurant"],
    "iceland": ["Iceland", "ICELAND FOODS", "Iceland store"],
    "morrisons": ["Morrisons", "Wm Morrisons", "MORRISONS SUPERMKT"],
    "asda": ["Asda", "ASDA STORES", "Asda supermkt"],
    "waitrose": ["Waitrose", "WAITROSE", "Waitrose store"],
    "wetherspoon": ["Wetherspoons", "J.D. Wetherspoons", "Wetherspoon pub", "Wetherspoons (pub)"],
    "dominos": ["Dominos", "Dominos takeaway", "DOMINO'S"],
    "boots": ["Boots", "BOOTS THE CHEMIST", "Boots chemist"],
    "londis": ["Londis", "LONDIS STORE", "Londis shop"],
    "budgens": ["Budgens", "BUDGENS", "Budgens store"],
    "wasabi": ["Wasabi", "WASABI", "Wasabi takeaway"],
    "itsu": ["Itsu", "ITSU"],
    "leon": ["Leon", "LEON RESTAURANT"],
    "wilko": ["Wilko", "WILKO STORE", "Wilko's"],
}

# the location-type column of the various returns, run in before the place
LOC_TYPES = {
    "pub": ["Licensed premises", "Pub/bar", "Public house", "PUB/CLUB", "Licensed prem."],
    "park": ["Open space", "Park/open space", "Parks & open spaces", "Public open space"],
    "venue": ["Commercial premises", "Takeaway/restaurant", "Shop", "Business premises", "Retail"],
    "chain": ["Shop", "Retail premises", "Fast food outlet", "Commercial", "Retail/shop"],
    "hospital": ["Hospital grounds", "Healthcare premises", "NHS premises"],
    "station": ["Public transport", "Transport hub", "Rail/tube", "Transport"],
    "street": ["Street/road", "Public highway", "Street", "Road/footway"],
    "junction": ["Street/road", "Road junction", "Public highway"],
    "area": ["Public place", "Other public place", "Outdoors"],
    "code": ["Other", "Not specified", "Other/unspecified", "Public place"],
}

# the wrong code page: a UTF-8 export read as Windows-1252
MOJI = {
    "’": "â€™",
    "‘": "â€˜",
    "–": "â€“",
    "é": "Ã©",
    "è": "Ã¨",
    "ê": "Ãª",
    "á": "Ã¡",
    "à": "Ã\xa0",
    "ç": "Ã§",
    "ö": "Ã¶",
    "ü": "Ã¼",
    "ó": "Ã³",
    "í": "Ã\xad",
    "ñ": "Ã±",
    "É": "Ã‰",
    "£": "Â£",
}
MOJI_LETTERS = {c for c in MOJI if c.isalpha()}

# between the columns of one record
SEPARATORS = [", "] * 5 + [" | "] * 2 + ["; ", " - ", "  ", "_x000D_", ",", " – ", "", " / ", " ~ "]
# empty columns run on after the place
TRAILS = [",,,", ", ,", " | | |", ";;", ", nan, nan", ", NULL", ", #N/A", ",nan", " |  | ", ",,", ", None"]
# the prepositions and positions the clerks write before or after a venue
VENUE_BEFORE = ["O/S", "Outside", "Inside", "Nr", "Rear of", "At", "In", "Opp", "Outside of", "Front of"]
VENUE_AFTER = [
    "car park",
    "- inside",
    "(outside)",
    "smoking area",
    "- rear",
    "entrance",
    "forecourt",
    "toilets",
]

_SUFFIX = re.compile(r"(?i)[\s,.\-]*\b(?:ltd|limited|plc|llp|t/a)\b\.?\s*$|\s*@.*$")


def _plain(name: str) -> str:
    """A gazetteer name as a source system held it: no bracketed part (when letters are left), company
    suffix or "@" tail, single spaces."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = _clean_name(s)
    for _ in range(3):
        s = _SUFFIX.sub("", s).strip()
    return s or _clean_name(name)


def _fold(s: str) -> str:
    """Accented letters as their plain letters."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _moji(s: str) -> str:
    return "".join(MOJI.get(c, c) for c in s)


def _key(words: list[str]) -> int:
    """The index of a name's last distinctive word (-1 when every word is generic)."""
    abbrevs = {v.lower().rstrip(".") for t in CLERK_ABBREV for v in t.values()}
    for i in range(len(words) - 1, -1, -1):
        w = re.sub(r"[^a-z0-9]", "", _fold(words[i]).lower())
        if w and w not in GENERIC and w not in abbrevs:
            return i
    return -1


# --- a clerk's re-keying slips -----------------------------------------------------------------------------


def _rekey(rng: random.Random, word: str) -> str:
    """One re-keying slip in a word of four letters or more (letters only): a doubled letter keyed once, a
    letter keyed twice, two neighbours transposed, a vowel keyed as another vowel; the first letter kept."""
    if len(word) < 4 or not word.isalpha():
        return word
    low = word.lower()
    ops = [("twice", i) for i in range(1, len(word))]
    ops += [("swap", i) for i in range(1, len(word) - 1) if low[i] != low[i + 1]]
    ops += [("once", i) for i in range(1, len(word) - 1) if low[i] == low[i + 1]] * 3
    ops += [("vowel", i) for i in range(1, len(word)) if low[i] in "aeiou"] * 2
    rng.shuffle(ops)
    for op, i in ops:
        if op == "twice":
            new = word[: i + 1] + word[i:]
        elif op == "swap":
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "once":
            new = word[:i] + word[i + 1 :]
        else:
            v = rng.choice([c for c in "aeiou" if c != low[i]])
            new = word[:i] + (v.upper() if word[i].isupper() else v) + word[i + 1 :]
        if new.lower() != low and new[0] == word[0]:
            return new
    return word


@dataclass
class Name:
    """A name or code in a record: the words shown, the words the clerk meant, whether a slip changed one,
    the index of its last distinctive word, and whether it is a code (``unit``: a full postcode)."""

    words: list[str]
    meant: list[str]
    slipped: bool = False
    key: int = -1
    code: bool = False
    unit: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _keyed(
    rng: random.Random, name: str, cls: str, abbrev: dict[str, str], street: bool = False, slip: bool = True
) -> Name:
    """A name as a clerk keyed it: plain, accents maybe folded, apostrophes maybe dropped or "?", "and" /
    "&" / "+" maybe swapped, a street's words after the first in the clerk's abbreviations; with ``slip``
    (the truth's own name) maybe one word re-keyed wrongly (``REKEY_P``)."""
    s = _plain(name)
    if rng.random() < FOLD_P:
        s = _fold(s)
    r = rng.random()
    if r < APOS_DROP_P:
        s = re.sub(r"['’`]", "", s)
    elif r < APOS_DROP_P + APOS_QMARK_P:
        s = re.sub(r"(?<=[A-Za-z])['’`](?=[A-Za-z])", "?", s)
    if rng.random() < AND_P:
        if re.search(r"\band\b", s, re.I):
            s = re.sub(r"\b[Aa]nd\b", rng.choice(["&", "+"]), s)
        elif "&" in s:
            s = s.replace("&", rng.choice([" and ", " + "]))
    words = s.replace("&", " & ").split()
    if street:
        words = [abbrev.get(w.lower(), w) if i else w for i, w in enumerate(words)]
    meant = list(words)
    if slip and rng.random() < REKEY_P[cls]:
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if spots:
            i = rng.choice(spots)
            words = words[:i] + [_rekey(rng, words[i])] + words[i + 1 :]
    return Name(words, meant, words != meant, _key(meant))


def _pc_form(rng: random.Random, code: str) -> str:
    """A postcode as the sources hold it: upper case; a unit's space kept, lost, or the outward code padded
    to four characters (fixed-width files); a sector or district as it is."""
    s = code.upper()
    parts = s.split()
    if len(parts) == 2 and len(parts[1]) == 3:
        r = rng.random()
        if r < 0.22:
            return parts[0] + parts[1]
        if r < 0.34 and len(parts[0]) < 4:
            return parts[0].ljust(4) + " " + parts[1]
    return s


def _code(rng: random.Random, code: str, cls: str, slip: bool = True) -> Name:
    """A postcode / sector / district; the primary one maybe re-keyed: a unit's two last letters
    transposed, or two neighbouring digits of the outward code transposed."""
    shown = _pc_form(rng, code)
    unit = cls == "postcode"
    if slip and rng.random() < REKEY_P[cls]:
        if unit and shown[-1] != shown[-2]:
            typed = shown[:-2] + shown[-1] + shown[-2]
            return Name([typed], [shown], True, code=True, unit=unit)
        out = shown.split()[0]
        spots = [
            i
            for i in range(1, len(out) - 1)
            if out[i].isdigit() and out[i + 1].isdigit() and out[i] != out[i + 1]
        ]
        if spots:
            i = rng.choice(spots)
            typed = shown[:i] + shown[i + 1] + shown[i] + shown[i + 2 :]
            return Name([typed], [shown], True, code=True, unit=unit)
    return Name([shown], [shown], code=True, unit=unit)


# --- the locality around a truth ---------------------------------------------------------------------------


@dataclass
class Where:
    unit: str | None
    district: str | None
    borough: str | None
    ons: str | None = None


def _where(conn, x: float, y: float, srid: int) -> Where:
    """The postcode unit nearest (x, y), its district, the borough it is in and that borough's ONS code."""
    row = conn.execute(
        "SELECT p.display, p.district, b.name, p.borough_code FROM gazetteer.postcode p "
        "LEFT JOIN LATERAL (SELECT f.name FROM gazetteer.feature f WHERE f.kind = 'borough' "
        "AND f.source_key = p.borough_code ORDER BY f.feature_id LIMIT 1) b ON true "
        f"ORDER BY p.geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), p.postcode LIMIT 1",
        (x, y),
    ).fetchone()
    return Where(*row) if row else Where(None, None, None)


BOROUGH_FORMS = ["{b}", "LB {b}", "{b} LBC", "{b} Council", "LB of {b}", "{b} borough", "{b} (LB)"]
WARD_FORMS = ["{q}", "{q} ward", "Ward: {q}", "{q} (ward)"]


def _columns(rng: random.Random, w: Where, ward: str | None = None) -> list[str]:
    """The columns of an address block after a name: one to three of the ward, the nearest postcode unit
    or its district, the borough (or its ONS code); now and then an empty column between them."""
    pool: list[str] = []
    if ward and rng.random() < 0.45:
        pool.append(rng.choice(WARD_FORMS).replace("{q}", ward))
    if w.unit and rng.random() < 0.6:
        pool.append(_pc_form(rng, w.unit))
    elif w.district and rng.random() < 0.6:
        pool.append(w.district)
    if w.borough and rng.random() < 0.5:
        pool.append(rng.choice(BOROUGH_FORMS).replace("{b}", w.borough))
    elif w.ons and re.fullmatch(r"E0[0-9]{7}", w.ons) and rng.random() < 0.15:
        pool.append(w.ons)
    if len(pool) >= 2 and rng.random() < 0.12:
        pool.insert(rng.randint(1, len(pool) - 1), rng.choice(["", "nan", "NULL", "-"]))
    return pool


# --- a record ---------------------------------------------------------------------------------------------

Seg = str | Name


def _segments(form: str, names: dict[str, Name], plain: dict[str, str], sep: str) -> list[Seg]:
    """A template as segments: its {x} slots filled from ``names`` (kept as Name) and ``plain``; {/} the
    record's separator."""
    out: list[Seg] = []
    for part in re.split(r"(\{[a-z/]+\})", form):
        if not part:
            continue
        slot = part[1:-1] if part.startswith("{") else None
        if slot == "/":
            out.append(sep)
        elif slot in names:
            out.append(names[slot])
        elif slot is not None:
            out.append(plain.get(slot, ""))
        else:
            out.append(part)
    return out


def _record(
    rng: random.Random,
    segs: list[Seg],
    primary: Name | None = None,
    sep: str = ", ",
    code_like: bool = False,
    before: str | None = None,
) -> tuple[str, bool]:
    """The location field as the merged sheet holds it: the segments maybe code-page damaged, "&amp;", in
    the record's case; a type or date column before, empty columns after, CSV quotes or Excel's text
    apostrophe; maybe cut off at a fixed width. Returns the text and ``typo``."""
    moji = rng.random() < MOJI_P
    html = rng.random() < AMP_HTML_P
    r, case = rng.random(), "as keyed"
    for m, p in RECORD_CASE.items():
        if r < p:
            case = m
            break
        r -= p
    if before:
        segs = [before, sep or " ", *segs]
    if rng.random() < TRAIL_P:
        segs = [*segs, rng.choice(TRAILS)]
    lead = ""
    if rng.random() < QUOTE_P:
        lead, segs = '"', [*segs, rng.choice(['"', '"', ""])]
    elif rng.random() < (TEXT_APOS_CODE_P if code_like else TEXT_APOS_P):
        lead = "'"
    damaged = False
    text, spans = lead, []
    for s in segs:
        t = s.text if isinstance(s, Name) else s
        if moji:
            if isinstance(s, Name) and any(c in MOJI_LETTERS for c in t):
                damaged = True
            t = _moji(t)
        if html:
            t = t.replace("&", "&amp;")
        t = t.upper() if case == "upper" else t.lower() if case == "lower" else t
        if isinstance(s, Name):
            spans.append((len(text), len(text) + len(t), s, t))
        text += t
    # the whole record's surrounding blanks go; spans shift by what went at the front
    shift = len(text) - len(text.lstrip())
    text = text.strip()
    spans = [(a - shift, b - shift, s, t) for a, b, s, t in spans]
    cut = False
    if rng.random() < TRUNC_P and len(text) > min(FIELD_WIDTHS):
        last = max((b for _, b, _, _ in spans), default=0)
        options = [(w, False) for w in FIELD_WIDTHS if last <= w < len(text) and text[:w].strip()]
        if spans and primary is not None and spans[-1][2] is primary and not primary.slipped and not damaged:
            a, b, p, t = spans[-1]
            if p.unit:
                options += [(w, True) for w in FIELD_WIDTHS if w == b - 1 and w < len(text)]
            elif p.key == len(p.words) - 1 and p.key >= 0:
                word = t.split(" ")[-1]
                if word.isalpha() and len(word) >= 7:
                    start = b - len(word)
                    lo, hi = start + max(4, math.ceil(0.6 * len(word))), b - 1
                    options += [(w, True) for w in FIELD_WIDTHS if lo <= w <= hi]
        if options:
            w, cut = rng.choice(options)
            text = text[:w].rstrip()
    typo = cut or damaged or any(s.slipped for _, _, s, _ in spans)
    return text, typo


def _house(rng: random.Random) -> str:
    """A house number as the house-number column held it: plain, with a letter, a range (which Excel may
    have turned into a date) or a float from a CSV export."""
    n = rng.randint(1, 240)
    r = rng.random()
    if r < 0.1:
        return f"{n}.0"
    if r < 0.17:
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return f"{rng.randint(1, 28):02d}-{rng.choice(months)}"
    if r < 0.27:
        return f"{n}-{n + rng.choice([2, 4])}"
    if r < 0.35:
        return f"{n}{rng.choice('ABab')}"
    return str(n)


def _date(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2011, 2023)
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d}/{m}/{y % 100:02d}"])


# --- the texts of each class ------------------------------------------------------------------------------

VENUE_FORMS = [
    "{v}",
    "{v}",
    "{v}{/}{cols}",
    "{v}{/}{cols}",
    "{pre} {v}",
    "{pre} {v}{/}{cols}",
    "{v} {post}",
    "{v}{/}{type}",
    "{type}{/}{v}",
    "{v} ({type})",
]
CHAIN_STREET_FORMS = ["{c}{/}{w}", "{c} {w}", "{c} ({w})", "{pre} {c}{/}{w}", "{c}{/}{n} {w}", "{w}{/}{c}"]
CHAIN_STATION_FORMS = ["{c} nr {s} stn", "{c}{/}{s} station", "{c} by {s} Stn", "{c} opp {s} station"]
CHAIN_WARD_FORMS = ["{c} {a}", "{c}{/}{a}", "{c} ({a})", "{pre} {c}{/}{a}", "{a}{/}{c}"]
CHAIN_DISTRICT_FORMS = ["{c}{/}{d}", "{c} {d}", "{c} ({d})", "{pre} {c}{/}{d}"]
CHAIN_ALONE_FORMS = [
    "{c}",
    "{c}",
    "{pre} {c}",
    "{c} {post}",
    "{c}{/}{type}",
    "{type}{/}{c}",
    "{c} (branch not known)",
    "{c} - branch unk",
]
HOSPITAL_FORMS = [
    "{h}",
    "{h}{/}{cols}",
    "{h} grounds",
    "{h} car park",
    "Outside {h}",
    "{h} - main entrance",
    "{type}{/}{h}",
    "{h}{/}{type}",
    "{h} site",
]
# assaults in the reporting department itself, as the A&E returns record them: no hospital named
IN_DEPT = [
    "In dept",
    "ED waiting room",
    "Within the ED",
    "A&E - own dept",
    "Assault occurred in dept",
    "Trust premises: ED",
    "On site (ED)",
    "This site",
    "ED cubicles",
    "Resus",
    "Majors",
    "Triage area",
    "UTC waiting area",
    "A&E reception",
    "Hospital premises - this site",
    "Emergency dept (reporting site)",
]
STATION_FORMS = [
    "{s} {m}",
    "{s} {m}",
    "{s} {m}{/}{cols}",
    "Outside {s} {m}",
    "{s} {m} platform",
    "{s}",
    "{s}{/}{type}",
    "{type}{/}{s} {m}",
    "{s} {m} ticket hall",
    "{s}{/}{cols}",
]
NETWORK_WORDS = {
    "tube": ["tube", "(LU)", "Underground stn", "tube stn", "LUL stn"],
    "rail": ["BR", "Rly Stn", "rail stn", "train station", "Railway Stn"],
    "dlr": ["DLR", "DLR stn"],
    "tram": ["tram stop", "Tramlink stop"],
    "overground": ["Overground", "(LO)", "Overground stn"],
    "elizabeth": ["Crossrail stn", "Elizabeth line stn"],
    "any": ["Stn", "station", "STN", "Station"],
}
STREET_FORMS = [
    "{st}",
    "{st}",
    "{hn} {st}",
    "{hn}{/}{st}",
    "{hn} {st}{/}{cols}",
    "{st}{/}{cols}",
    "Flat {f}, {hn} {st}",
    "Flat {f}{/}{hn}{/}{st}",
    "o/s {hn} {st}",
    "{type}{/}{st}",
    "{st} (street)",
    "Pavement, {st}",
    "{st} nr no. {n}",
    "{st}{/}{hn}",
]
JUNCTION_FORMS = [
    "{a} j/w {b}",
    "{a} J/W {b}",
    "Junction of {a} and {b}",
    "{a} jct {b}",
    "Jct {a}/{b}",
    "Corner {a} + {b}",
    "{a}{/}junction with {b}",
    "{a} J/O {b}",
    "{a} (junc {b})",
    "{type}{/}{a} j/w {b}",
]
POSTCODE_FORMS = [
    "{p}",
    "{p}",
    "{p}",
    "Postcode {p}",
    "PC: {p}",
    "{p} (pc only)",
    "Postcode only{/}{p}",
    "nan{/}{p}",
    "{p}{/}{bf}",
    "{type}{/}{p}",
]
SECTOR_FORMS = ["{p}", "{p}**", "{p}XX", "{p} **", "Sector {p}", "{p} (partial pc)", "{p}--", "{p}{/}{bf}"]
DISTRICT_FORMS = [
    "{d}",
    "{d}",
    "{d} ***",
    "{d} (district)",
    "Postcode district {d}",
    "{d} only",
    "{d}{/}{bf}",
    "{type}{/}{d}",
]
AREA_FORMS = [
    "{a}",
    "{a} WARD",
    "Ward: {a}",
    "{a}{/}{bf}",
    "{a} area",
    "Nr {a}",
    "{a} (ward)",
    "{type}{/}{a}",
]

HOME_TEXTS = [
    "Pt's home",
    "Patient's home",
    "Home address",
    "Own home",
    "HOME - see PAS",
    "Home (pt's own)",
    "At home",
    "Home addr",
    "Victim's home",
    "Home address (withheld)",
    "Home - usual residence",
    "Home/residence",
    "Pt home addr",
    "Own home address",
]
UNKNOWN_TEXTS = [
    "Not known",
    "N/K",
    "NK",
    "Unknown",
    "Not recorded",
    "Not stated",
    "Location not given",
    "#N/A",
    "NULL",
    "nan",
    "-",
    "?",
    "(blank)",
    "Not disclosed",
    "Unk",
    "Location unknown",
    "Not documented",
    "No location recorded",
    "n/a",
    "U/K",
    "Info not supplied",
    "Patient could not recall location",
]
NONPLACE_TEXTS = [
    "#REF!",
    "#VALUE!",
    "#NAME?",
    "#DIV/0!",
    "=VLOOKUP(ref,Lookup!A:B,2,FALSE)",
    "Grand Total",
    "Total",
    "Subtotal",
    "Location of incident",
    "LOCATION",
    "Column1",
    "Sheet1",
    "As above",
    "Ditto",
    "See previous row",
    "Self-inflicted - not an assault",
    "Sports injury - not assault",
    "Duplicate record",
    "DUPLICATE - DELETE",
    "Test patient",
    "Data withheld (small numbers)",
    "Suppressed",
    "Redacted",
    "Nil return",
    "No data submitted this month",
    "Return outstanding",
    "Walk-in",
    "Brought in by ambulance",
    "Alcohol related",
    "Weapon: bottle",
    "See free text",
]
OTHER_DWELLINGS = [
    "Friend's address",
    "Relative's house",
    "Partner's flat",
    "Ex-partner's address",
    "Neighbour's property",
    "Third-party dwelling",
    "Family member's address",
    "Private residence (not own)",
    "Acquaintance's flat",
    "Someone else's house",
]


def _network(source: str, network: str | None, name: str) -> str:
    """Which network words a clerk may add to a station."""
    by_net = {
        "DLR": "dlr",
        "Tramlink": "tram",
        "London Overground": "overground",
        "TfL Rail": "elizabeth",
        "London Underground": "tube",
    }
    if network in by_net:
        return by_net[network]
    low = name.lower()
    if re.search(r"\bdlr\b", low):
        return "dlr"
    if re.search(r"\btram", low):
        return "tram"
    if re.search(r"\blu$", low.strip()):
        return "tube"
    return "rail" if source == "naptan_rail" or re.search(r"\bnr$", low.strip()) else "any"


def _station_core(name: str) -> str:
    """A station's name without bracketed part, network or line tag, or station word."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\s+-\s+(?:dlr|tram|tramlink|underground|overground|rail)\s*$", "", s.strip())
    s = re.sub(r"(?i)\s+(?:lu|nr|el|lo|ell|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    return " ".join(s.split())


_WARD_NOT = ["and", "ward", "north", "south", "east", "west", "central", "road", "street", "park", "station",
             "village", "common", "town", "hospital", "upper", "lower", "gardens", "fields", "green", "with"]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"
_STREET_WORDS = (
    r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|square|parade|way|close|drive|court)$"
)


def _ward_ok(name: str | None) -> bool:
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- the family ------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``merged`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.4, none_placed=0.06, nearest=0.83, second=0.95
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def clerk() -> tuple[dict[str, str], str]:
        abbrev = rng.choices(CLERK_ABBREV, weights=CLERK_WEIGHTS)[0]
        return abbrev, rng.choice(SEPARATORS)

    def plain(typekey: str, sep: str, cols: list[str] | None = None) -> dict[str, str]:
        return {
            "cols": sep.join(cols or []),
            "type": rng.choice(LOC_TYPES[typekey]),
            "pre": rng.choice(VENUE_BEFORE),
            "post": rng.choice(VENUE_AFTER),
        }

    def pick(forms: list[str], have: dict[str, str]) -> str:
        fine = [f for f in forms if all(have.get(x) for x in re.findall(r"\{([a-z]+)\}", f) if x in have)]
        return rng.choice(fine or forms)

    def before(cls: str) -> str | None:
        return _date(rng) if cls not in ("home", "unknown", "nonplace") and rng.random() < DATE_P else None

    def add(cls, level, segs, primary=None, sep=", ", x=None, y=None, fid=None, site="near", code=False):
        text, typo = _record(rng, segs, primary, sep, code_like=code, before=before(cls))
        site_code = site_near(x, y) if site == "near" else site
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, site_code, fid, typo))

    # Venues whose name no other venue has: pubs, parks and food premises.
    quota = {"pub": round(k["venue"] * 0.4), "park": round(k["venue"] * 0.08)}
    rows: list[tuple] = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=34)
    for fid, name, kind, x, y, _business in rows[: k["venue"]]:
        abbrev, sep = clerk()
        f = plain(kind if kind in ("pub", "park") else "venue", sep, _columns(rng, _where(conn, x, y, srid)))
        v = _keyed(rng, name, "venue", abbrev)
        form = pick(VENUE_FORMS, f)
        add("venue", "venue", _segments(form, {"v": v}, f, sep), v, sep, x, y, fid)

    # Chains: a branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        abbrev, sep = clerk()
        form_name = rng.choice(CHAIN_FORMS.get(brand, [brand.title()]))
        words = form_name.split()
        c = Name(list(words), list(words))  # a chain's name is never cut off (key -1)
        if rng.random() < REKEY_P["chain"]:
            spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
            if spots:
                i = rng.choice(spots)
                c.words[i] = _rekey(rng, c.words[i])
                c.slipped = c.words != c.meant
        f = plain("chain", sep)
        f["n"] = str(rng.randint(1, 250))
        r = rng.random()
        if r < 0.26 and street and not re.search(r"[0-9,()/]", street):
            names = {"c": c, "w": _keyed(rng, street, "chain", abbrev, street=True, slip=False)}
            form = pick(CHAIN_STREET_FORMS, f)
            add("chain", "venue", _segments(form, names, f, sep), c, sep, x, y, fid)
        elif r < 0.4 and stn:
            names = {"c": c, "s": _keyed(rng, _station_core(stn), "chain", {}, slip=False)}
            form = rng.choice(CHAIN_STATION_FORMS)
            add("chain", "venue", _segments(form, names, f, sep), c, sep, x, y, fid)
        elif r < 0.5 and _ward_ok(ward):
            names = {"c": c, "a": _keyed(rng, ward, "chain", {}, slip=False)}
            form = pick(CHAIN_WARD_FORMS, f)
            add("chain", "venue", _segments(form, names, f, sep), c, sep, x, y, fid)
        elif r < 0.58 and district:
            names = {"c": c, "d": _code(rng, district, "district", slip=False)}
            form = pick(CHAIN_DISTRICT_FORMS, f)
            add("chain", "venue", _segments(form, names, f, sep), c, sep, x, y, fid)
        else:
            form = pick(CHAIN_ALONE_FORMS, f)
            add("chain, no locality", "venue", _segments(form, {"c": c}, f, sep), c, sep, x, y, fid)

    # Hospitals: about a fifth are "in the department" texts naming no hospital (the reporting site itself).
    for fid, code, x, y in truths.ae_sites(conn, salted, max(3, k["hospital"] // 5)):
        add("hospital", "venue", [rng.choice(IN_DEPT)], None, ", ", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        abbrev, sep = clerk()
        f = plain("hospital", sep, _columns(rng, _where(conn, x, y, srid)))
        h = _keyed(rng, name, "hospital", abbrev)
        add("hospital", "venue", _segments(pick(HOSPITAL_FORMS, f), {"h": h}, f, sep), h, sep, x, y, fid)

    # Stations near an A&E site, with the network word a clerk added (or none).
    for fid, name, source, net, _lines, x, y in truths.stations(conn, salted, k["station"]):
        abbrev, sep = clerk()
        f = plain("station", sep, _columns(rng, _where(conn, x, y, srid)))
        mode = _network(source, net, name)
        f["m"] = rng.choice(NETWORK_WORDS[mode] + NETWORK_WORDS["any"])
        s = _keyed(rng, _station_core(name), "station", abbrev)
        add("station", "venue", _segments(pick(STATION_FORMS, f), {"s": s}, f, sep), s, sep, x, y, fid)

    # Streets: a point of the street, often with a house or flat number and the columns after it.
    for fid, name, _district, _namesakes, ward, x, y in truths.street_points(
        conn, salted, _STREET_WORDS, k["street"]
    ):
        abbrev, sep = clerk()
        where = _where(conn, x, y, srid)
        f = plain("street", sep, _columns(rng, where, ward if _ward_ok(ward) else None))
        f.update(hn=_house(rng), n=str(rng.randint(1, 200)), f=str(rng.randint(1, 30)))
        st = _keyed(rng, name, "street", abbrev, street=True)
        add("street", "street", _segments(pick(STREET_FORMS, f), {"st": st}, f, sep), st, sep, x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        abbrev, sep = clerk()
        a, b = (_keyed(rng, part.strip(), "junction", abbrev, street=True) for part in name.split("/"))
        f = plain("junction", sep)
        form = rng.choice(JUNCTION_FORMS)
        add("junction", "junction", _segments(form, {"a": a, "b": b}, f, sep), b, sep, x, y)

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    def borough_of(x, y) -> str:
        w = _where(conn, x, y, srid)
        return rng.choice(BOROUGH_FORMS).replace("{b}", w.borough) if w.borough else ""

    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        _, sep = clerk()
        f = plain("code", sep)
        f["bf"] = borough_of(x, y)
        p = _code(rng, display, "postcode")
        add("postcode", "postcode", _segments(pick(POSTCODE_FORMS, f), {"p": p}, f, sep), p, sep, x, y,
            code=True)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        _, sep = clerk()
        f = plain("code", sep)
        f["bf"] = borough_of(x, y)
        p = _code(rng, sector, "sector")
        add("sector", "sector", _segments(pick(SECTOR_FORMS, f), {"p": p}, f, sep), p, sep, x, y, code=True)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        _, sep = clerk()
        f = plain("code", sep)
        f["bf"] = borough_of(x, y)
        d = _code(rng, district, "district")
        add("district", "district", _segments(pick(DISTRICT_FORMS, f), {"d": d}, f, sep), d, sep, x, y,
            code=True)

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 9973, k["area"]):
        abbrev, sep = clerk()
        f = plain("area", sep)
        f["bf"] = borough_of(x, y)
        a = _keyed(rng, name, "area", abbrev)
        add("area", "area", _segments(pick(AREA_FORMS, f), {"a": a}, f, sep), a, sep, x, y, fid)

    # No place: home, missing values, non-places (one in five a dwelling other than the patient's own).
    for _ in range(k["home"]):
        add("home", "home", [rng.choice(HOME_TEXTS)])
    for _ in range(k["unknown"]):
        add("unknown", "none", [rng.choice(UNKNOWN_TEXTS)])
    for i in range(k["nonplace"]):
        if i % 5 == 2:
            add("nonplace", "home", [rng.choice(OTHER_DWELLINGS)])
        else:
            add("nonplace", "none", [rng.choice(NONPLACE_TEXTS)])
    rng.shuffle(out)
    return out
