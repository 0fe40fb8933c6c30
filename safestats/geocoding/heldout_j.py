"""A tenth held-out family of labelled assault locations, ``navigator``: where a young person was assaulted,
as a hospital youth-violence navigator / youth worker writes it in case notes or a referral form after talking
to them in A&E.

Written 2026-12-07, started 04:06:03 UTC and finished 04:38:09 UTC (``date -u``), by a helper session asked to
write a blind family the geocoder's developers have never seen. What was read to write it: the whole of
``heldout_i.py`` (the model for the module's structure, how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen, the class shares, the ``typo`` flag and the docstring; its middle was printed
with ``sed``, and a mistaken ``ruff format --check`` of it showed a reformatting diff of parts of it again);
the whole of ``truths.py`` and ``sites.py``; from ``independent.py`` the definitions of
``IndependentExample``, ``CHAINS`` and ``_clean_name``, found with ``grep -n`` and printed with a few lines
around them (which also showed the comment line after ``CHAINS``, the signature and first docstring line of
``_edge_typo`` and the first lines of ``generate_family``: its family / seed check, its ``desk`` / noise
choice and its ``order`` expression; nothing more); the ``FAMILY`` and ``SEED`` lines (grep only) of
heldout.py and heldout_b.py .. heldout_i.py, to pick an unused name and seed; the ruff section of
pyproject.toml; tests/geocoding/test_heldout_legacy.py, tests/geocoding/heldout_checks.py and
tests/geocoding/conftest.py; the column lists and a few sample rows of gazetteer.feature,
gazetteer.source_feature, gazetteer.postcode and health.ae_site (random pub, park, station, hospital, A&E
site, ward, landmark, street, food-premises, chain branch and bus-stop names, station names with brackets or a
network, names with apostrophes, counts of features by kind, level and source, station networks), and the time
the ``truths.py`` queries take; and this module's own output (``generate(conn, 900)`` on the dev gazetteer)
and the results of its own test file, tests/geocoding/test_heldout_navigator.py (the only tests run). Not
read: anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py, blind*.py,
blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, the rest of independent.py, the phrase lists of
heldout.py and heldout_b.py .. heldout_h.py, tests/geocoding/test_geocoder*, /work/scratch, /tmp/f_*,
/work/note.md, the git history. Every opener, place phrase, slang word, abbreviation, brand form, time,
safeguarding tail and the noise model below were written fresh for this module (the station-name cleaning, the
hospital initials, the suffix rule and the structure of ``generate`` follow heldout_i.py's, rewritten). The
geocoder was never run on these texts (no call of safestats.geocode or geocode_candidates or of any geocode*
SQL function, no ``make eval-geocoder``, no evaluation module, no ``safestats geocode``).

Style. Informal third-person narrative written after talking to the young person: an opener ("YP said it
happened ...", "client states he got robbed ...", "CYP disclosed ...", "young person reports she got set on
...", form-like "location of incident: ...", "where: ...") around a place phrase in youth and street
vernacular ("by the chicken shop on <street>", "in the cage / on the pitch at <park>", "on the bus by
<station> station", "at the back of <street>", "the estate off <street>", "the ends near <ward>", "<ward>
side", "round <ward> way", "in the <district> ends", "outside the maccies on <street>", "in spoons", "by the
<chain> near <station> station"); slang verbs (got jumped / rushed / chinged / bottled / slapped up / set on);
sometimes the place alone; often when it happened ("around 11pm", "after school", "early hours of sunday") and
a tail of safeguarding, injury or follow-up context ("(safeguarding referral made)", "CSE concerns", "DV
context", "known to YOT", "LAC - SW informed", "YP goes to a PRU", "phone + jacket taken"); the worker's
abbreviations (YP, CYP, SW, DV, YOT, PRU, LAC, CSE, CCE, MASH, CAMHS, CIN, CP, ETE); run-on clauses joined by
". ", ", ", " - ", "... ", " .. ", "; " or nothing. No-place notes: what happened ("YP stabbed in leg",
"assaulted by group") and / or the no-place phrase, with an opener when the phrase reads as a place phrase.

Labels. As in the other held-out families. venue: a venue whose name is unique in the gazetteer (a fifth
parks, a quarter pubs, the rest food premises, clubs and bars), the truth that venue. chain / "chain, no
locality": a branch of a brand with four or more branches, by a brand form, with its street, its nearest
station, its ward or its postcode district, or with nothing that places it. hospital: a named hospital
(sometimes by its initials when it has an A&E), or (a fifth) "here in ED", "on the ward here", "in our A&E"
..., whose truth and reporting site are the navigator's own A&E site. station, street (a point of the street;
the phrase round it, "the chicken shop on", "the alley off", "the estate off", "outside number 40", a pub or
shop within 120 m of the point, or the street's ward or postcode district, does not change the label),
junction (a bus stop named after two streets), postcode unit, sector, district, area (a ward with a name
people use for a place). home: the young person's own home (level home). unknown: the location refused,
forgotten or not asked (level none). nonplace: no place that can be put on a map, level none: online / social
media, custody, a police cell, YOI, a secure unit, abroad on holiday, various / county lines, out of area, a
car, an uber, a taxi, a bus or train with no route or stop, work, training, the gym, a party, a rave, a
festival, a gig, a wedding, a hostel, a hotel room, a lift, the woods, and an unnamed school, college, PRU,
youth club, park, street, bus stop, car park or shop; and, one in four, level home: somebody else's home (a
friend's, a cousin's, a girlfriend's, a nan's, a house party, a flat party, an older male's flat ...). A
school, college or PRU is never named in this family (``truths.py`` draws no schools, and its venues exclude
them), so every text that says one is where it happened is a non-place; "after school", "YP goes to a PRU" and
the like in a placed note are context, not the place. Where the young person lives: in 13% of placed notes
(not chains and not "here" texts) the opener also names where the young person lives or comes from (a ward or
a street of the gazetteer drawn with its own salt, sharing no distinctive word with the note's own names,
never slipped): "YP lives in X but was stabbed <place>", "YP from X side, got jumped <place>", "not in X where
YP lives - it was <place>", "YP (lives X) was robbed <place>"; the label is always the assault place.

Noise, and what sets ``typo``. Each note is typed in one of four cases: as typed (names in their gazetteer
case, a name held in capitals typed "Anerley Park Road", the first letter capitalised; 47%), all lower case
(33%), names lower case in otherwise typed text (17%) or all capitals (3%); apostrophes dropped throughout
(60%); a name's leading "The" left off (50%; 20% for a park, 70% for a hospital, never for a station, a
street, a junction's streets or a decoy); "and" in a name typed "&" or "+" and "&" typed "and" (30%); a hyphen
typed as a space (50%); road / street / avenue / station ... words after a name's first word written short
("rd", "st", "ave", "stn", "gdns", ``ABBREV``; 30% each); two words of a name run together (4%); a full
postcode's space lost (22%) or doubled (8%); a space doubled somewhere (8%). ``typo`` is true exactly when the
letters of a name or a code in the note changed: a slip at the keyboard (two neighbouring letters swapped, a
letter dropped or doubled, a neighbouring key; never the first or last letter) in one distinctive word of five
letters or more of a name slot, the truth's own name or a qualifier (a chain's street, station or ward, a
street's ward or the shop it is outside), with chance ``SLIP_P`` per slot by class; or a postcode, sector or
district typed with O for 0 or I for 1 (``SLIP_P``). Not typos: the brand forms (``BRANDS``: "maccies",
"spoons", "sainsbos", "tescos", "starbs", "Kentucky" ...), the short forms, case, dropped apostrophes,
hyphens, a dropped "The", "&" / "+", run-together name words, postcode spacing, and slips in the worker's own
words (one word of five lower-case letters or more of the narrative in 12% of notes: "outsdie", "referal"),
which never touch a name.

Classes and shares (``SHARES``): venue 13%, chain 12% (with and without a locality), hospital 6%, station 10%,
street 14%, junction 7%, postcode 4%, sector 3%, district 4%, area 7%, home 6%, unknown 5%, nonplace 9%; on
the dev gazetteer ``generate(conn, 900)`` gives 900 texts: venue 117, chain 60, chain, no locality 48,
hospital 54, station 90, street 126, junction 63, postcode 36, sector 27, district 36, area 63, home 54,
unknown 45, nonplace 81 (20 of them level home); 57 with typo set. The reporting site (``sites.py``): for a
text with no true point none 30% of the time, else any site; for a point none 5%, else the nearest site (to
82%), the second nearest (to 94%) or the third. Truths, decoys and the reporting site are drawn from the
gazetteer through ``truths.py`` and ``sites.py``, ordered by a hash salted with this family's SEED, so a given
gazetteer and ``n`` always give the same set.

Until its first run this family had never been used to develop the geocoder or fit its calibration;
its failures were read from 2026-12-07 05:04 UTC, and since then it is a development set (see
docs/geocoding.md): its figures no longer measure unseen text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "navigator"
SEED = 6_091_457

SHARES = {
    "venue": 0.13,
    "chain": 0.12,
    "hospital": 0.06,
    "station": 0.10,
    "street": 0.14,
    "junction": 0.07,
    "postcode": 0.04,
    "sector": 0.03,
    "district": 0.04,
    "area": 0.07,
    "home": 0.06,
    "unknown": 0.05,
    "nonplace": 0.09,
}

# the chance of a slip at the keyboard in one word of a name slot (primary or qualifier), by class
SLIP_P = {
    "venue": 0.1,
    "chain": 0.06,
    "hospital": 0.09,
    "station": 0.1,
    "street": 0.1,
    "junction": 0.06,
    "postcode": 0.12,
    "sector": 0.12,
    "district": 0.12,
    "area": 0.1,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
NOTE_SLIP_P = 0.12  # a slip in one word of the worker's own narrative (never in a name; not ``typo``)
APOS_DROP_P = 0.6  # the note typed without apostrophes (names included)
THE_DROP_P = 0.5  # a leading "The" of a name left off
AMP_P = 0.3  # "and" in a name typed "&" or "+" ("&" typed "and")
ABBR_P = 0.3  # a road / street ... word of a name written short ("rd")
JOIN_P = 0.04  # two words of a name run together ("oldkent road")
HYPHEN_P = 0.5  # a hyphen in a name typed as a space
DECOY_P = 0.13  # a placed note that also says where the young person lives / is from
BARE_P = 0.12  # the place phrase alone, no opener
WHEN_P = 0.45  # when it happened
TAIL_P = 0.5  # safeguarding / injury / follow-up context
LEAD_P = 0.35  # a no-place note that says what happened before where
DOUBLE_P = 0.08  # a space doubled somewhere
CASES = (("typed", 0.47), ("lower", 0.33), ("names lower", 0.17), ("upper", 0.03))
ACRONYM_P = 0.2  # a hospital with an A&E, of three to five words, by its initials ("UCH")
FORMAT_P = 0.4  # a Tesco / Sainsbury's whose name says "Express" / "Local" ... said so

# --- how a worker types a name ------------------------------------------------------------------------

# a name word (lower case) -> short forms a worker types; each is the word's first letter and some of its
# letters in order
ABBREV = {
    "road": ["rd", "rd."],
    "street": ["st", "st."],
    "avenue": ["ave"],
    "lane": ["ln"],
    "gardens": ["gdns"],
    "square": ["sq"],
    "crescent": ["cres"],
    "estate": ["est"],
    "park": ["pk"],
    "station": ["stn"],
    "hospital": ["hosp"],
    "saint": ["st"],
    "north": ["nth"],
    "south": ["sth"],
    "terrace": ["terr"],
    "place": ["pl"],
    "close": ["cl"],
    "drive": ["dr"],
    "grove": ["gr"],
    "green": ["grn"],
    "court": ["ct"],
    "mount": ["mt"],
    "junction": ["jct"],
    "market": ["mkt"],
    "church": ["ch"],
    "great": ["gt"],
    "university": ["uni"],
    "centre": ["ctr"],
    "broadway": ["bdwy"],
}

# words that tell no place from another (never given a slip)
GENERIC = {
    "the",
    "and",
    "&",
    "of",
    "road",
    "street",
    "avenue",
    "lane",
    "gardens",
    "park",
    "station",
    "house",
    "grove",
    "place",
    "square",
    "court",
    "crescent",
    "terrace",
    "drive",
    "close",
    "parade",
    "hospital",
    "general",
    "memorial",
    "university",
    "college",
    "community",
    "centre",
    "center",
    "way",
    "rise",
    "walk",
    "row",
    "mews",
    "hill",
    "green",
    "market",
    "estate",
    "common",
    "pub",
    "bar",
    "cafe",
    "restaurant",
    "club",
    "shop",
    "store",
    "express",
    "local",
    "london",
    "broadway",
    "junction",
    "supermarket",
    "sandwich",
    "coffee",
    "chemist",
    "pizza",
    "takeaway",
}

# the chains as young people and their workers say them (brand forms; not typos). A form that could read
# as something else (a country, a person, an underpass) always carries a shop word.
BRANDS = {
    "tesco": ["Tesco", "tesco", "tescos", "Tescos", "Tesco's"],
    "sainsburys": ["Sainsburys", "sainsburys", "Sainsbury's", "sainsbos", "Sainsbos"],
    "costa": ["Costa", "costa", "Costa Coffee", "costa coffee"],
    "starbucks": ["Starbucks", "starbucks", "starbs"],
    "mcdonalds": ["McDonalds", "mcdonalds", "maccies", "Maccies", "maccys", "Maccy D's", "mcds"],
    "kfc": ["KFC", "kfc", "Kentucky"],
    "aldi": ["Aldi", "aldi"],
    "lidl": ["Lidl", "lidl", "Lidls"],
    "greggs": ["Greggs", "greggs", "Gregg's"],
    "subway": ["Subway shop", "subway sandwich shop", "Subway sandwich place"],
    "pret": ["Pret", "pret", "Pret a Manger"],
    "nandos": ["Nandos", "nandos", "Nando's", "nandoz"],
    "iceland": ["Iceland shop", "iceland supermarket", "Iceland store"],
    "morrisons": ["Morrisons", "morrisons", "Morrisons supermarket"],
    "asda": ["Asda", "asda", "Asdas", "asdas"],
    "waitrose": ["Waitrose", "waitrose"],
    "wetherspoon": ["Wetherspoons", "wetherspoons", "spoons", "Spoons", "Spoons pub"],
    "dominos": ["Dominos", "dominos", "Domino's", "dominos pizza"],
    "boots": ["Boots", "boots chemist", "Boots chemist"],
    "londis": ["Londis", "londis"],
    "budgens": ["Budgens", "budgens"],
    "wasabi": ["Wasabi", "wasabi"],
    "itsu": ["Itsu", "itsu"],
    "leon": ["Leon restaurant", "leon restaurant", "Leon cafe"],
    "wilko": ["Wilko", "wilkos", "Wilkos", "wilko"],
}
FORMATS = ("express", "local", "metro", "extra", "superstore")

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp)\.?|\s+(?:t/a|c/o)\s.*|\s*@.*)\s*$")


def _bare(name: str) -> str:
    """A name without brackets (their words kept) or a company / trading-as / "@" tail."""
    s, last = _clean_name(name), None
    while s != last:
        s, last = _SUFFIX.sub("", s).strip(), s
    return s


def _fix_case(words: list[str]) -> list[str]:
    """A name held in capitals ("ANERLEY PARK ROAD") as a worker would type it ("Anerley Park Road"); a
    short word without a vowel ("DLR", "KCH") stays in capitals. Any other name keeps its own case, bar an
    apostrophe's "S" ("James'S" -> "James's")."""
    joined = " ".join(words)
    if joined.isupper() and len(re.sub(r"[^A-Z]", "", joined)) > 4:
        words = [
            w
            if len(w) <= 3 and not re.search(r"[AEIOUY]", w) and w not in ("ST", "RD")
            else w[0] + w[1:].lower()
            for w in words
        ]
    return [re.sub(r"(['’])S\b", r"\1s", w) for w in words]


def _words(rng: random.Random, name: str, drop_the: float = THE_DROP_P) -> list[str]:
    """A gazetteer name as a worker types it: no brackets, commas, full stops or company tail, a hyphen
    kept or typed as a space, "and" / "&" / "+" either way, a leading "The" often left off."""
    s = _bare(name)
    s = re.sub(r"[,;:!?.\"]", " ", s)
    if rng.random() < HYPHEN_P:
        s = s.replace("-", " ")
    words = _fix_case([w for w in s.split() if w.strip("-")])
    if len(words) > 1 and words[0].lower() == "the" and rng.random() < drop_the:
        words = words[1:]
    out = []
    for w in words:
        if w.lower() == "and" and rng.random() < AMP_P:
            w = rng.choice(["&", "&", "+"])
        elif w == "&" and rng.random() < AMP_P:
            w = "and"
        out.append(w)
    return out


def _abbreviate(rng: random.Random, words: list[str], p: float = ABBR_P) -> list[str]:
    """Short forms of road / street ... words, each with chance ``p``; a one-word name is left whole, and
    so is its first word ("Park Road" never "pk rd")."""
    if len(words) < 2:
        return list(words)
    out = [words[0]]
    for w in words[1:]:
        forms = ABBREV.get(w.lower())
        out.append(rng.choice(forms) if forms and rng.random() < p else w)
    return out


# --- slips at the keyboard -----------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {
    c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _ROWS
    for i, c in enumerate(row)
}


def _slip(rng: random.Random, word: str) -> str:
    """One slip in an alphabetic word of five letters or more: two neighbouring letters swapped, a letter
    dropped or doubled, or a neighbouring key hit; never the first or last letter, the case kept."""
    if len(word) < 5 or not word.isalpha():
        return word
    for _ in range(20):
        op = rng.choice(["swap", "swap", "drop", "double", "key", "key"])
        i = rng.randint(1, len(word) - 2)
        if op == "swap" and i + 1 < len(word) - 1:
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "drop":
            new = word[:i] + word[i + 1 :]
        elif op == "double":
            new = word[:i] + word[i] + word[i:]
        elif op == "key":
            c = word[i]
            k = rng.choice(NEIGHBOURS.get(c.lower(), c.lower()) or c.lower())
            new = word[:i] + (k.upper() if c.isupper() else k) + word[i + 1 :]
        else:
            continue
        if new.lower() != word.lower():
            return new
    return word


def _slip_words(rng: random.Random, words: list[str], p: float) -> tuple[list[str], bool]:
    """With chance ``p``, one slip in one distinctive word of a name."""
    if rng.random() >= p:
        return words, False
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.lower() not in GENERIC]
    if not spots:
        return words, False
    i = rng.choice(spots)
    new = _slip(rng, words[i])
    return words[:i] + [new] + words[i + 1 :], new != words[i]


def _slip_code(rng: random.Random, code: str, p: float) -> tuple[str, bool]:
    """A postcode typed with the letter O for a zero or I for a one, with chance ``p`` (when it has one)."""
    spots = [i for i, c in enumerate(code) if c in "01" and i > 0]
    if not spots or rng.random() >= p:
        return code, False
    i = rng.choice(spots)
    return code[:i] + {"0": "O", "1": "I"}[code[i]] + code[i + 1 :], True


def _pc_typed(rng: random.Random, pc: str) -> str:
    """A full postcode as typed in a note: its space kept, lost or doubled."""
    if " " not in pc:
        return pc.upper()
    out, inc = pc.upper().split()
    r = rng.random()
    return f"{out} {inc}" if r < 0.7 else f"{out}{inc}" if r < 0.92 else f"{out}  {inc}"


# --- a name or a code in a note ------------------------------------------------------------------------


@dataclass
class Slot:
    """A name or a code in a note: its words as typed; primary (the truth's own name), a qualifier (a
    chain's street, a street's ward ...) or a decoy (where the young person lives, not where it happened)."""

    words: list[str]
    role: str = "primary"
    code: bool = False
    slipped: bool = False
    said: frozenset[str] = frozenset()  # its distinctive words before any slip (lower case)

    def text(self) -> str:
        return " ".join(self.words)


def _join(rng: random.Random, words: list[str]) -> list[str]:
    """Two neighbouring words of a name run together, with chance ``JOIN_P`` (no letter lost)."""
    if len(words) < 2 or rng.random() >= JOIN_P:
        return words
    i = rng.randrange(len(words) - 1)
    if not (words[i].isalpha() and words[i + 1].isalpha()):
        return words
    return words[:i] + [words[i] + words[i + 1].lower()] + words[i + 2 :]


def _name_slot(
    rng: random.Random,
    name: str,
    cls: str,
    role: str = "primary",
    drop_the: float = THE_DROP_P,
    words: list[str] | None = None,
) -> Slot:
    raw = words if words is not None else _words(rng, name, drop_the)
    typed = _abbreviate(rng, raw)
    slipped = False
    if role != "decoy":
        typed, slipped = _slip_words(rng, typed, SLIP_P[cls])
    return Slot(_join(rng, typed), role, slipped=slipped, said=frozenset(_canon_words(" ".join(raw))))


def _code_slot(rng: random.Random, code: str, cls: str, role: str = "primary") -> Slot:
    typed, slipped = _slip_code(rng, code, SLIP_P[cls])
    return Slot([typed], role, code=True, slipped=slipped)


# --- what the notes say ----------------------------------------------------------------------------------

PRONOUNS = [
    {"he": "he", "his": "his", "him": "him"},
    {"he": "he", "his": "his", "him": "him"},
    {"he": "she", "his": "her", "him": "her"},
    {"he": "they", "his": "their", "him": "them"},
]

# a placed note: the opener around the place phrase {P}
OPENERS = [
    "YP said it happened {P}",
    "YP reports being assaulted {P}",
    "YP was stabbed {P}",
    "YP got jumped {P}",
    "client states {he} got robbed {P}",
    "CYP disclosed {he} got attacked {P}",
    "per YP - {P}",
    "YP says {he} got beaten up {P}",
    "assault took place {P} per YP",
    "YP told me it was {P}",
    "location of incident: {P}",
    "incident location - {P}",
    "where: {P}",
    "YP explained {he} got stabbed {P}",
    "YP was approached by a group of boys {P}",
    "YP reports being chased and stabbed {P}",
    "according to YP it happened {P}",
    "YP said {he} got rushed {P}",
    "client was punched {P}",
    "YP disclosed being robbed at knifepoint {P}",
    "YP states the assault occurred {P}",
    "YP & {his} friend were attacked {P}",
    "YP said {he} got chinged {P}",
    "YP said {he} got bottled {P}",
    "young person reports {he} got set on {P}",
    "spoke to YP on the ward, {he} said it was {P}",
    "met YP in ED. incident was {P}",
    "YP was hit with a bat {P}",
    "YP said {he} got slapped up {P}",
    "YP was followed and attacked {P}",
    "YP got into a fight {P}",
    "YP (15) was stabbed {P}",
    "YP says someone pulled a knife on {him} {P}",
    "stabbing {P} - YP said",
    "YP was mugged {P}",
]
# a placed note that also says where the young person lives or comes from ({x}): the place phrase {P} is
# always the assault, {x} never
DECOY_AREA = [
    "YP lives in {x} but was stabbed {P}",
    "YP is from {x} but it happened {P}",
    "YP from {x} side, got jumped {P}",
    "not in {x} where YP lives - it was {P}",
    "YP was on {his} way back to {x} when {he} got attacked {P}",
    "YP stays in {x} but the assault was {P}",
    "YP lives over in {x}, incident itself was {P}",
    "YP (lives {x}) was robbed {P}",
]
DECOY_STREET = [
    "YP lives on {x} but was stabbed {P}",
    "YP lives on {x}, it happened {P}",
    "YP lives off {x} but the assault was {P} not near home",
    "YP was walking back to {his} mums on {x} when {he} got jumped {P}",
]
WHEN = [
    "around 11pm",
    "about 9.30pm",
    "at 4ish",
    "after school",
    "on the way home from school",
    "friday night",
    "sat night",
    "early hours of sunday",
    "last night",
    "yesterday evening",
    "around half 10",
    "just after midnight",
    "in the afternoon",
    "after training",
    "at lunchtime",
    "on the weekend",
    "about 3 weeks ago",
    "earlier today",
    "late evening",
    "around 7 in the evening",
    "on tues after college",
    "about 2am",
    "during half term",
    "on bonfire night",
    "around 5pm",
]
TAILS = [
    "(safeguarding referral made)",
    "safeguarding referral done",
    "CSE concerns",
    "CCE concerns",
    "DV context",
    "known to YOT",
    "open to YOT",
    "SW aware",
    "SW informed",
    "LAC - SW informed",
    "YP goes to a PRU",
    "police aware",
    "police not informed - YP didnt want them involved",
    "MASH referral sent",
    "CAMHS involved",
    "CIN plan",
    "CP plan in place",
    "exploitation concerns",
    "gang affiliation suspected",
    "YP worried about retaliation",
    "mum informed",
    "follow up booked",
    "YP engaged well",
    "YP reluctant to engage",
    "knife injury to thigh",
    "punched and kicked, no weapon",
    "phone + jacket taken",
    "group of 4-5 males",
    "YP knows the boys who did it",
    "ETE support offered",
    "referral to youth hub",
    "YP scared to go back there",
    "YP wants support with moving",
    "(LAC, placement aware)",
    "DV context - SW allocated",
    "YP shaken but ok",
    "will follow up next week",
]
SEPS = [". ", ". ", ", ", " - ", " ", "... ", " .. ", "; ", ", "]
LEAD_SEPS = [". ", ", ", " - ", "... ", "; ", " .. "]

PUB_P = [
    "outside {v}",
    "in {v}",
    "in the smoking area at {v}",
    "outside {v} pub",
    "in the beer garden of {v}",
    "at {v}",
    "by {v}",
    "round the back of {v}",
    "in the toilets at {v}",
    "near {v} pub",
    "in the car park of {v}",
]
CLUB_P = [
    "at {v}",
    "in {v}",
    "outside {v}",
    "in the queue for {v}",
    "leaving {v}",
    "in the smoking area of {v}",
]
PARK_P = [
    "in {v}",
    "in the cage at {v}",
    "on the pitch at {v}",
    "by the swings in {v}",
    "at the basketball courts in {v}",
    "cutting through {v}",
    "by the gates of {v}",
    "on the field in {v}",
    "at {v} by the benches",
    "in {v} near the bins",
    "on the path through {v}",
    "in the cage in {v}",
    "at the pitch in {v}",
]
FOOD_P = [
    "outside {v}",
    "in {v}",
    "by {v}",
    "at {v}",
    "inside {v} getting food",
    "outside {v} takeaway",
    "in the queue at {v}",
    "near {v}",
    "in front of {v}",
    "at the counter in {v}",
    "outside {v} shop",
    "by {v} (chicken shop)",
    "at {v} after getting food",
]

CHAIN_STREET = [
    "outside the {c} on {w}",
    "in {c} on {w}",
    "by the {c} on {w}",
    "outside {c} {w}",
    "at the {c} on {w}",
    "in the {c} on {w} by the tills",
    "at {c} {w}",
    "outside {c} on {w}",
]
CHAIN_STATION = [
    "outside the {c} by {s} station",
    "in {c} near {s} station",
    "at the {c} opposite {s} station",
    "by {c} near {s} stn",
    "in the {c} next to {s} station",
]
CHAIN_AREA = [
    "outside the {c} in {a}",
    "in {c} {a}",
    "at the {c} in {a}",
    "by the {c} round {a}",
    "in the {c} in {a}",
]
CHAIN_DISTRICT = ["outside the {c} in {d}", "at {c} {d}", "by the {c} in {d}", "in the {c} ({d})"]
CHAIN_ALONE = [
    "in {c}",
    "outside {c}",
    "outside the {c}",
    "in the {c}",
    "by the {c}",
    "in the {c} car park",
    "at the {c}",
    "in the queue in {c}",
    "round the back of the {c}",
    "in the toilets at {c}",
    "just outside the {c}",
    "by the doors of the {c}",
]

HOSPITAL_HERE_P = [
    "here in ED",
    "in the waiting room here",
    "here in the A&E waiting area",
    "on the ward here",
    "outside ED here",
    "in our A&E",
    "in this hospital",
    "in the hospital car park here",
    "by the ambulance bay here",
    "here on site",
    "in the ED toilets here",
    "outside the main entrance here",
    "here, in majors",
    "in this A&E",
    "on the paeds ward here",
    "in the hospital grounds here",
    "at the front of this hospital",
    "here in the ED corridor",
    "in resus here (another patient)",
]
HOSPITAL_NAMED_P = [
    "outside {h}",
    "in the car park at {h}",
    "at {h}",
    "in {h} grounds",
    "by the main entrance of {h}",
    "at {h} visiting family",
    "at the bus stop outside {h}",
    "in {h} A&E",
    "in the waiting room at {h}",
    "by {h}",
]

MODES = {
    "tube": ["station", "tube", "tube station", "stn"],
    "rail": ["station", "train station", "stn"],
    "overground": ["overground", "station", "overground station"],
    "dlr": ["dlr", "DLR station", "station"],
    "tram": ["tram stop", "tram stop", "tram stop"],
}
STATION_P = [
    "outside {s} {m}",
    "at {s} {m}",
    "on the bus by {s} {m}",
    "on the platform at {s}",
    "by the barriers at {s} {m}",
    "at the bus stop outside {s} {m}",
    "on the stairs at {s} {m}",
    "in the ticket hall at {s}",
    "by {s} {m}",
    "getting off at {s} {m}",
    "near the entrance to {s} {m}",
    "on the bridge at {s} {m}",
    "outside {s} {m} by the bike racks",
]

STREET_P = [
    "by the chicken shop on {st}",
    "on {st}",
    "down {st}",
    "at the back of {st}",
    "outside the corner shop on {st}",
    "on {st} by the bus stop",
    "outside the bookies on {st}",
    "on the estate off {st}",
    "in the alley off {st}",
    "outside a house on {st}",
    "by the garages on {st}",
    "outside {l} on {st}",
    "near {l} on {st}",
    "by the barbers on {st}",
    "at the bus stop on {st}",
    "walking down {st}",
    "in the stairwell of a block on {st}",
    "on {st} near the shops",
    "by the launderette on {st}",
    "in a cut through off {st}",
    "outside number {n} {st}",
    "on {st} outside the off licence",
    "by the phone box on {st}",
]
STREET_QUAL = [" in {q}", " ({q})", ", {q}", " {q} side", " round {q}"]
JUNCTION_P = [
    "at the corner of {a} and {b}",
    "where {a} meets {b}",
    "on the corner of {a} & {b}",
    "at the junction of {a} and {b}",
    "at the lights where {a} crosses {b}",
    "by the bus stop on {a} / {b}",
    "at the {a}/{b} junction",
    "at the crossroads {a} and {b}",
    "on {a} at the corner with {b}",
    "at the top of {a} where it meets {b}",
    "by the zebra crossing at {a} and {b}",
    "outside the shop on the corner of {a} and {b}",
    "corner of {a} + {b}",
]

POSTCODE_P = ["around {p}", "at {p}", "near {p}", "by {p}", "in {p}"]
POSTCODE_WHOLE = [
    "YP gave the postcode {p} for where it happened",
    "incident postcode: {p}",
    "happened near {p} per YP",
    "location - postcode {p}",
    "pc of incident {p}",
    "YP could only give a postcode: {p}",
    "postcode given by YP {p}",
]
SECTOR_P = ["around {p}", "in {p}", "near {p}", "somewhere in {p}"]
SECTOR_FORMS = ["{o} {i}", "{o} {i}..", "{o} {i}?"]
SECTOR_WHOLE = [
    "postcode starts {p}",
    "YP only knew the first bit of the postcode - {p}",
    "around {p} (rest of postcode not known)",
    "postcode {p} couldnt remember the rest",
    "YP said the postcode is {p} something",
]
DISTRICT_P = [
    "somewhere in {d}",
    "in {d}",
    "round {d}",
    "in the {d} area",
    "in the {d} ends",
    "in {d} somewhere",
    "round {d} way",
]
DISTRICT_WHOLE = [
    "YP said {d} but not sure where exactly",
    "{d} - no exact location",
    "location: {d} (YP couldnt be more specific)",
]
AREA_P = [
    "in the ends near {a}",
    "round {a} way",
    "in {a}",
    "over {a} side",
    "somewhere in {a}",
    "in the {a} area",
    "in {a} - no exact location",
    "near {a}",
    "on the estate in {a}",
    "in {a} by the shops",
    "in {a} ends",
    "round {a}",
]

HOME_P = [
    "at home",
    "at {his} home address",
    "at home (lives with mum)",
    "in {his} bedroom at home",
    "at the family home",
    "at home - DV context",
    "on the landing outside {his} own flat",
    "at {his} own flat",
    "in the garden at home",
    "at home address",
    "at home by {his} mums partner",
    "indoors at home",
    "at the house where {he} lives",
    "at {his} place (where {he} lives)",
    "at home by an older sibling",
    "in the kitchen at home",
    "at {his} address",
    "outside {his} front door at home",
    "at home, DV between parents",
    "at home after an argument",
    "at home by {his} stepdad",
]
DWELLING_P = [
    "at a house party",
    "at a friend's house",
    "at {his} cousin's",
    "at {his} girlfriend's",
    "at a mate's flat",
    "at {his} boyfriend's place",
    "at {his} nan's",
    "at a party at someone's house",
    "at {his} uncle's",
    "at {his} dad's (doesnt live there)",
    "at a friend's flat",
    "at {his} ex's",
    "at a girl's house",
    "at an older male's flat (CSE concerns)",
    "at {his} auntie's",
    "at {his} bredrin's house",
    "at a flat party",
    "at {his} friend's mum's house",
    "at a house {he} was taken to (CCE concerns)",
    "at {his} best friend's",
    "at {his} girlfriend's mum's flat",
]
UNKNOWN = [
    "YP wouldn't say where",
    "doesn't remember where",
    "YP declined to give a location",
    "location not disclosed",
    "wouldnt say where - fear of repercussions",
    "YP unsure where it happened",
    "location not known",
    "n/k",
    "couldnt say where, had been drinking",
    "YP vague about where",
    "unclear where",
    "location tbc",
    "will ask YP re location at next contact",
    "didnt want to tell me where",
    "YP says cant remember where",
    "where - not discussed",
    "refused to say where",
    "YP said 'dont know' when asked where",
    "location unknown",
    "location left blank on referral",
    "where not given",
    "YP changed story re location",
    "no info re location",
    "YP too drowsy to say where",
    "location ? - YP not sure",
]
NON_PLACES = [
    "online / over social media",
    "over snapchat (online, no physical assault location)",
    "online - threats over social media",
    "in custody",
    "in a police cell",
    "while in custody",
    "abroad on holiday",
    "on holiday abroad",
    "in various locations",
    "county lines - various",
    "various places (county lines)",
    "in a car",
    "in an uber",
    "in a taxi",
    "on a bus",
    "on the train",
    "at school",
    "in school",
    "at college",
    "at the PRU",
    "at {his} PRU",
    "at work",
    "at training",
    "at the gym",
    "at a party",
    "at a rave",
    "at a festival",
    "at a football match",
    "in YOI",
    "in a secure unit",
    "at the youth club",
    "on the street",
    "in a park",
    "at the shops",
    "in a stairwell somewhere",
    "in a hotel room",
    "at a hostel",
    "at church",
    "at the mosque",
    "in a lift",
    "at a bus stop",
    "in the back of a van",
    "out of area",
    "in another city",
    "out of london (county lines)",
    "in a car park",
    "at a shisha lounge",
    "in the playground at school",
    "in the changing rooms at college",
    "at a gig",
    "in a friend's car",
    "on a night bus",
    "at a wedding",
    "in the woods",
]
LEADS = [
    "YP stabbed in leg",
    "assaulted by group",
    "YP robbed and punched",
    "YP got jumped",
    "stab wound to buttock",
    "YP slashed on arm",
    "YP assaulted",
    "client punched in face",
    "YP (16) attacked",
    "YP hit with a bottle",
    "YP kicked in the head",
    "YP beaten up by older boys",
    "YP robbed at knifepoint",
    "assault disclosed by YP",
]


def _prepositional(phrase: str) -> bool:
    return phrase.split()[0].lower() in ("in", "at", "on", "over", "while", "out", "inside", "outside", "by")


def _mode(source: str, network: str | None, lines: str | None, name: str) -> str:
    said = f"{network or ''} {lines or ''} {name}".lower()
    if "dlr" in said:
        return "dlr"
    if "tram" in said:
        return "tram"
    if source == "naptan_rail":
        return "rail"
    if "overground" in said:
        return "overground"
    return "tube"


def _station_name(name: str) -> str:
    """A station's own name: no bracketed part, network, line or "station" word."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\s*-\s*(dlr|tram|tramlink|underground|overground)\s*$", "", s.strip())
    s = re.sub(r"(?i)\s+(lu|lo|el|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    return " ".join(s.split())


_STREETISH = (
    r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|drive|square|parade|close|hill|"
    r"way|rise|walk|row|mews|green)$"
)
# ward names people do not use for a place: joined names, admin words, a compass word at the end
_WARD_NOT_PG = (
    r"&|,|[0-9]|\m(and|ward|hospital|road|street|lane|park|station|upper|lower|fields|gardens|"
    r"common|village|town)\M|\m(north|south|east|west|central)$"
)


def _acronym(name: str) -> str | None:
    """A hospital of three to five words by its initials ("University College Hospital" -> "UCH")."""
    words = re.sub(r"['’]", "", _clean_name(name)).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if (
        not 3 <= len(words) <= 5
        or words[-1].lower() != "hospital"
        or not all(w.isalpha() for w in words)
        or any(w.lower() in ("and", "of", "the", "for") for w in words)
    ):
        return None
    return "".join(w[0].upper() for w in words)


def _canon_words(s: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", s.lower()) if len(w) >= 3 and w not in GENERIC}


# --- a note ----------------------------------------------------------------------------------------------


def _pick_case(rng: random.Random) -> str:
    r, acc = rng.random(), 0.0
    for mode, p in CASES:
        acc += p
        if r < acc:
            return mode
    return CASES[-1][0]


def _pieces(form: str, slots: dict[str, Slot]) -> list[tuple[str, bool]]:
    """The note as pieces: (plain text, False) or (a slot's text, True)."""
    out = []
    for part in re.split(r"(\{[a-z]+\})", form):
        if not part:
            continue
        m = re.fullmatch(r"\{([a-z]+)\}", part)
        if m and m.group(1) in slots:
            out.append((slots[m.group(1)].text(), True))
        elif m:
            raise KeyError(part)
        else:
            out.append((part, False))
    return out


def _note_slip(rng: random.Random, pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A slip in one word of the worker's own words (five letters or more, lower case), never a name."""
    spots = [
        (i, m) for i, (t, name) in enumerate(pieces) if not name for m in re.finditer(r"\b[a-z]{5,}\b", t)
    ]
    if not spots:
        return pieces
    i, m = rng.choice(spots)
    t = pieces[i][0]
    pieces = list(pieces)
    pieces[i] = (t[: m.start()] + _slip(rng, m.group()) + t[m.end() :], False)
    return pieces


def _render(rng: random.Random, form: str, slots: dict[str, Slot], apos: bool) -> str:
    """The note typed: the worker's words and the names, a slip in the narrative now and then, apostrophes
    dropped or kept, a space doubled now and then, and the note's case."""
    pieces = _pieces(form, slots)
    if rng.random() < NOTE_SLIP_P:
        pieces = _note_slip(rng, pieces)
    if apos:
        pieces = [(re.sub(r"['’]", "", t), name) for t, name in pieces]
    case = _pick_case(rng)
    if case == "lower":
        pieces = [(t.lower(), name) for t, name in pieces]
    elif case == "upper":
        pieces = [(t.upper(), name) for t, name in pieces]
    elif case == "names lower":
        pieces = [(t.lower() if name else t, name) for t, name in pieces]
    text = "".join(t for t, _ in pieces)
    text = re.sub(r" {3,}", "  ", text).strip()
    if rng.random() < DOUBLE_P:
        spaces = [m.start() for m in re.finditer(r"(?<! ) (?! )", text)]
        if spaces:
            j = rng.choice(spaces)
            text = text[:j] + " " + text[j:]
    if case == "typed" and text[:1].isalpha():
        text = text[0].upper() + text[1:]
    return text


def _decoy(rng: random.Random, pool: list[str], slots: dict[str, Slot]) -> Slot | None:
    """A place the note names as where the young person lives, sharing no distinctive word with the
    note's own names."""
    said = set().union(*(s.said | _canon_words(s.text()) for s in slots.values())) if slots else set()
    for _ in range(12):
        name = rng.choice(pool)
        if not (_canon_words(name) & said):
            return _name_slot(rng, name, "home", role="decoy", drop_the=0.0)
    return None


def _note(
    rng: random.Random,
    place: str,
    slots: dict[str, Slot],
    decoys: dict[str, list[str]] | None,
    whole: list[str] | None = None,
) -> str:
    """A placed note: an opener around the place phrase (or a form of its own, ``whole``), sometimes where
    the young person lives first, when it happened and what else the worker wrote."""
    pron = rng.choice(PRONOUNS)
    slots = dict(slots)
    r = rng.random()
    if decoys and r < DECOY_P:
        kind = "x_area" if rng.random() < 0.7 else "x_street"
        dec = _decoy(rng, decoys[kind], slots)
        if dec is None:
            form = rng.choice(OPENERS).replace("{P}", place)
        else:
            slots["x"] = dec
            form = rng.choice(DECOY_AREA if kind == "x_area" else DECOY_STREET).replace("{P}", place)
    elif whole and r < 0.55:
        form = rng.choice(whole)
    elif r < DECOY_P + BARE_P:
        form = place
    else:
        form = rng.choice(OPENERS).replace("{P}", place)
    form = _context(rng, form)
    for key, val in pron.items():
        form = form.replace("{" + key + "}", val)
    return _render(rng, form, slots, rng.random() < APOS_DROP_P)


def _context(rng: random.Random, form: str) -> str:
    if rng.random() < WHEN_P:
        if rng.random() < 0.2:
            form = rng.choice(WHEN) + rng.choice([", ", " ", " - "]) + form
        else:
            form = form + rng.choice([" ", " ", ", ", " - "]) + rng.choice(WHEN)
    if rng.random() < TAIL_P:
        form = form + rng.choice(SEPS) + rng.choice(TAILS)
    return form


def _no_place_note(rng: random.Random, phrase: str) -> str:
    """A note with no place: the phrase with an opener (when it reads as one) or after what happened."""
    pron = rng.choice(PRONOUNS)
    r = rng.random()
    if _prepositional(phrase) and r < 0.5:
        form = rng.choice(OPENERS).replace("{P}", phrase)
    elif r < 0.5 + LEAD_P / 2:
        form = rng.choice(LEADS) + rng.choice(LEAD_SEPS) + phrase
    else:
        form = phrase
    form = _context(rng, form)
    for key, val in pron.items():
        form = form.replace("{" + key + "}", val)
    return _render(rng, form, {}, rng.random() < APOS_DROP_P)


def _brand_slot(rng: random.Random, brand: str, name: str) -> Slot:
    form = rng.choice(BRANDS.get(brand, [brand.capitalize()]))
    fmt = [f for f in FORMATS if re.search(rf"(?i)\b{f}\b", name)]
    if fmt and brand in ("tesco", "sainsburys") and rng.random() < FORMAT_P:
        form += " " + fmt[0].capitalize()
    words, slipped = _slip_words(rng, form.split(), SLIP_P["chain"])
    return Slot(words, "primary", slipped=slipped)


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``navigator`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}|{salt}|{SEED}|' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.3, none_placed=0.05, nearest=0.82, second=0.94
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700
    decoys = {
        "x_area": [
            r[1]
            for r in truths.ward_points(
                conn, lambda e, s: salted(e, "decoy-" + s), _WARD_NOT_PG, SEED % 7919, 80
            )
        ],
        "x_street": [
            r[1] for r in truths.street_points(conn, lambda e, s: salted(e, "decoy-" + s), _STREETISH, 80)
        ],
    }

    def add(cls, level, x=None, y=None, fid=None, site="near", text="", slots=None):
        code = site_near(x, y) if site == "near" else site
        typo = any(s.slipped for s in (slots or {}).values() if s.role != "decoy")
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    def placed(cls, level, place, slots, x, y, fid=None, site="near", whole=None, decoy=True):
        add(cls, level, x, y, fid, site, _note(rng, place, slots, decoys if decoy else None, whole), slots)

    # Venues whose name is unique in the gazetteer: parks (the cage, the pitch), pubs and food premises.
    quota = {"park": round(k["venue"] * 0.2), "pub": round(k["venue"] * 0.25)}
    rows = []
    for kind in ("park", "pub", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=32)
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        if kind == "pub":
            forms = PUB_P
        elif kind == "park":
            forms = PARK_P
        elif re.search(r"(?i)\b(club|nightclub)\b", name):
            forms = CLUB_P
        elif re.search(r"(?i)\b(bar|lounge|tavern|inn|arms)\b", name) or "pub" in (business or "").lower():
            forms = PUB_P
        else:
            forms = FOOD_P
        slot = _name_slot(rng, name, "venue", drop_the=0.2 if kind == "park" else THE_DROP_P)
        placed("venue", "venue", rng.choice(forms), {"v": slot}, x, y, fid)

    # Chains: a branch of a brand with four or more branches; some notes say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        name = conn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]
        c = _brand_slot(rng, brand, name)
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()/]", street)
        ward_ok = bool(ward) and not re.search(r"(?i)&|,|[0-9]|\b(and|north|south|east|west|central)\b", ward)
        if r < 0.3 and street_ok:
            slots = {"c": c, "w": _name_slot(rng, street, "chain", role="qualifier")}
            placed("chain", "venue", rng.choice(CHAIN_STREET), slots, x, y, fid, decoy=False)
        elif r < 0.42 and stn:
            slots = {
                "c": c,
                "s": _name_slot(rng, _station_name(stn), "chain", role="qualifier", drop_the=0.0),
            }
            placed("chain", "venue", rng.choice(CHAIN_STATION), slots, x, y, fid, decoy=False)
        elif r < 0.52 and ward_ok:
            slots = {"c": c, "a": _name_slot(rng, ward, "chain", role="qualifier")}
            placed("chain", "venue", rng.choice(CHAIN_AREA), slots, x, y, fid, decoy=False)
        elif r < 0.58 and district:
            slots = {"c": c, "d": _code_slot(rng, district, "chain", role="qualifier")}
            placed("chain", "venue", rng.choice(CHAIN_DISTRICT), slots, x, y, fid, decoy=False)
        else:
            placed("chain, no locality", "venue", rng.choice(CHAIN_ALONE), {"c": c}, x, y, fid, decoy=False)

    # Hospitals: a fifth happened in the navigator's own hospital ("here in ED"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, salted, here_k):
        placed("hospital", "venue", rng.choice(HOSPITAL_HERE_P), {}, x, y, fid, site=code, decoy=False)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        acro = _acronym(name) if has_ed else None
        if acro and rng.random() < ACRONYM_P:
            slot = Slot([acro])
        else:
            slot = _name_slot(rng, name, "hospital", drop_the=0.7)
        placed("hospital", "venue", rng.choice(HOSPITAL_NAMED_P), {"h": slot}, x, y, fid)

    # Stations near an A&E site, with the word the worker uses for the kind of station.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        mode = _mode(source, net, lines, name)
        slot = _name_slot(rng, _station_name(name), "station", drop_the=0.0)
        place = rng.choice(STATION_P).replace("{m}", rng.choice(MODES[mode]))
        placed("station", "venue", place, {"s": slot}, x, y, fid)

    # Streets: a random point of the street; a common name often with its ward or postcode district; some
    # notes say the pub or shop within 120 m of the point.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(
        conn, salted, _STREETISH, k["street"]
    ):
        place = rng.choice(STREET_P).replace("{n}", str(rng.randint(2, 120)))
        slots = {"st": _name_slot(rng, name, "street", drop_the=0.0)}
        if "{l}" in place:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None or not _words(random.Random(0), landmark, 0.0):
                place = rng.choice(["on {st}", "down {st}", "by the shops on {st}"])
            else:
                slots["l"] = _name_slot(rng, landmark, "street", role="qualifier")
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            ward_ok = (
                bool(ward)
                and not re.search(r"(?i)&|,|[0-9]|\b(and|north|south|east|west|central)\b", ward)
                and len(ward.split()) <= 3
            )
            if ward_ok and (not district or rng.random() < 0.6):
                place += rng.choice(STREET_QUAL)
                slots["q"] = _name_slot(rng, ward, "street", role="qualifier")
            elif district:
                place += rng.choice(STREET_QUAL)
                slots["q"] = _code_slot(rng, district, "street", role="qualifier")
        placed("street", "street", place, slots, x, y, fid)

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_name_slot(rng, part.strip(), "junction", drop_the=0.0) for part in name.split("/"))
        if rng.random() < 0.45:
            a, b = b, a
        placed("junction", "junction", rng.choice(JUNCTION_P), {"a": a, "b": b}, x, y)

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        slots = {"p": _code_slot(rng, _pc_typed(rng, display), "postcode")}
        placed("postcode", "postcode", rng.choice(POSTCODE_P), slots, x, y, whole=POSTCODE_WHOLE)
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        o, i = sector.split()
        slots = {"p": _code_slot(rng, rng.choice(SECTOR_FORMS).format(o=o, i=i), "sector")}
        placed("sector", "sector", rng.choice(SECTOR_P), slots, x, y, whole=SECTOR_WHOLE)
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        slots = {"d": _code_slot(rng, district, "district")}
        placed("district", "district", rng.choice(DISTRICT_P), slots, x, y, whole=DISTRICT_WHOLE)

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 9973, k["area"]):
        placed("area", "area", rng.choice(AREA_P), {"a": _name_slot(rng, name, "area")}, x, y, fid)

    # No place: own home, stated unknown, non-places (one in four in someone else's home, level home).
    for _ in range(k["home"]):
        add("home", "home", text=_no_place_note(rng, rng.choice(HOME_P)))
    for _ in range(k["unknown"]):
        add("unknown", "none", text=_no_place_note(rng, rng.choice(UNKNOWN)))
    for i in range(k["nonplace"]):
        if i % 4 == 1:
            add("nonplace", "home", text=_no_place_note(rng, rng.choice(DWELLING_P)))
        else:
            add("nonplace", "none", text=_no_place_note(rng, rng.choice(NON_PLACES)))
    rng.shuffle(out)
    return out
