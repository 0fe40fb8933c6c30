"""An eleventh held-out family of labelled assault locations, ``nightlog``: the location as it is written in
the incident logs of London's night-time economy and transport, and passed to the hospital when someone
hurt in an assault is brought to A&E.

Written 2026-12-07, started 04:50:22 UTC and finished 05:04:04 UTC (``date -u``), by a helper session
asked to write a blind family the geocoder's developers have never seen. What was read to write it: the
whole of ``heldout_i.py`` (the model for the module's structure, for how truths are drawn through
``truths.py``, how the reporting A&E site is chosen, the class shares, the ``typo`` flag and the docstring;
its phrase lists were read too, and none of them was copied); the whole of ``truths.py`` and ``sites.py``;
from ``independent.py`` the definitions of ``IndependentExample``, ``CHAINS`` and ``_clean_name`` (found with
``grep -n``; the lines printed around them also showed the ``FAMILIES`` / ``SEEDS`` lines, the first lines of
``NONPLACES_NONE``, ``_edge_typo`` and ``generate_family``, nothing more); the ``FAMILY`` and ``SEED`` lines
(grep only) of heldout.py and heldout_b.py .. heldout_j.py, to pick an unused name and seed;
tests/geocoding/test_heldout_legacy.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py;
the column lists and a few random rows of gazetteer.feature, gazetteer.source_feature, gazetteer.postcode
and health.ae_site (counts of features by kind and level, station sources with their networks and lines,
bus stop names, pub, park, ward, street, A&E site and bar / club names with their business types); and this
module's own output (``generate(conn, 900)`` on the dev gazetteer) and the results of its own test file,
tests/geocoding/test_heldout_nightlog.py (the only tests run; it imports the other heldout*.py modules only
to compare their FAMILY and SEED values, and prints nothing of them). Not read: anything under db/functions/,
db/schema.sql, docs/, safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py,
calibration.py, labelled.py, the rest of independent.py, heldout_j.py beyond its FAMILY / SEED lines, the
phrase lists of heldout.py and heldout_b.py .. heldout_h.py, tests/geocoding/test_geocoder*,
tests/geocoding/test_heldout_navigator.py, /work/scratch, /tmp/f_*, /tmp/*.log, /work/note.md, the git
history. Every phrase, template, abbreviation, shorthand and the noise model below were written fresh for
this module. The geocoder was never run on these texts (no call of safestats.geocode or geocode_candidates
or of any geocode SQL function, no ``make eval-geocoder``, no evaluation module).

Style. One line of a log: door supervisors' incident books at pubs and clubs (front door, smoking area
"S/A", beer garden "B/G", VIP area, queue outside, fire exit, cloakroom), street pastors' and council night
wardens' notes, the council CCTV control room (a camera number and what it looks at: "CAM 114 - O/S <venue>",
"PTZ 7 VIEW <junction>"), British Transport Police and TfL staff (a platform and its direction, an exit, the
ticket hall "T/HALL", the gateline, stairs, escalators, a bus station stand, a night bus and its stop), taxi
marshals and late-night-levy patrols. A line may open with a time ("02:14 -", "0214HRS", "[02:14]"), a log
reference ("REF 2211/034", "LOG 0417", "OCC 117"), a call sign or who wrote it ("ALPHA 2:", "DOOR LOG -",
"BTP -", "SP NOTES:") and may end with what happened next ("- LAS CALLED", "- POLICE INFORMED", "(CCTV
SAVED)"): none of these says a place. Log shorthand: O/S, OPP, NR, J/W, X (for a crossing of two roads), &,
@, N/B S/B E/B W/B, LU, NR (national rail), OG, DLR, STN, PLAT, T/HALL, PH, the street-word abbreviations of
``ABBREV`` (RD, ST, AVE, LN, GDNS, SQ, PL, PK, GRN, HOSP ...) and nicknames for chains (``BRANDS``: "SPOONS",
"MACCIES", "TESCO EXPRESS", "SAINSBURYS LOCAL" ...), a hospital of three to five words with an A&E by its
initials. A record is ALL CAPS (about half), mixed case as a person types it (names in title case, shorthand
upper or lower), or all lower case. Postcodes, bus routes and numbers are as the logs give them; a night bus
(N + a route number above 22, never a real N district) may be named. Non-places the logs record: a taxi, a
minicab or an Uber, a night bus by its route only, a custody suite, a moving vehicle, "not on camera",
"various", abroad, a venue left unnamed, a house party or a friend's flat (level home) ...

Labels. The truth is the place the text names, drawn from the gazetteer through ``truths.py``: a venue with a
unique name (pub, park, club, bar or food premises); a chain branch, with its street, nearest station (within
400 m), ward or postcode district ("chain") or with none ("chain, no locality"); a hospital (a fifth are
"here" texts whose truth is the reporting site itself; a named hospital is never the place the person was
taken to, only the place of the assault); a station (any mode; the platform, exit or stand does not move the
truth); a random point of a street (with a ward or district for common names, or the pub or shop within
120 m it was outside); a junction (a bus stop named after two streets, the stop the truth); a postcode unit,
sector or district; a ward ("area", a point inside it); the person's own home (level home); a stated unknown
(level none); a non-place (level none; one in six a friend's flat or a house party, level home). No text
names a second place that is not its truth's own locality or landmark.

Noise (what sets ``typo``). ``typo`` is true exactly when a word of a name (primary or qualifier) or a
postcode in the text no longer has its letters: (a) a slip at the keyboard in one word of a name
(``SLIP_P`` by class: two letters swapped, one dropped or doubled, a neighbouring key struck); (b) a long
word of a name clipped in a hurry to its first five letters or more and a full stop ("CAMBERW."); (c) a
postcode with the letter O for a zero, I for a one or S for a five. The first letter of a word is never
changed. Not typos: the abbreviations of ``ABBREV``, the chain nicknames of ``BRANDS``, a hospital's initials,
a dropped "THE", apostrophes and hyphens kept or dropped, "&" for "AND" and back, the space inside a postcode
lost or doubled, two words of a name run together ("OLDKENT RD"), a doubled space, any case.

Classes and shares (``SHARES``): venues 14%, chains 10%, hospitals 7%, stations 12%, streets 12%, junctions
8%, postcode units 4%, sectors 3%, districts 3%, wards 5%, own home 5%, unknown 6%, non-places 11%. Truths and
the reporting site are drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by a hash
salted with this family's SEED, so a given gazetteer and ``n`` always give the same set. The reporting site
(``sites.py``): for a placed text, none 6%, else the nearest A&E below 0.82 of one draw, the second below
0.94, else the third; for a text with no place, none 30%, else any site.

Until its first run this family had never been used to develop the geocoder or fit its calibration;
its failures were read from 2026-12-07 07:00 UTC, and since then it is a development set (see
docs/geocoding.md): its figures no longer measure unseen text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "nightlog"
SEED = 3_270_586

SHARES = {
    "venue": 0.14,
    "chain": 0.10,
    "hospital": 0.07,
    "station": 0.12,
    "street": 0.12,
    "junction": 0.08,
    "postcode": 0.04,
    "sector": 0.03,
    "district": 0.03,
    "area": 0.05,
    "home": 0.05,
    "unknown": 0.06,
    "nonplace": 0.11,
}

# the chance of a slip (keyboard or a hurried clip) in one word of a name, by class
SLIP_P = {
    "venue": 0.14,
    "chain": 0.08,
    "hospital": 0.1,
    "station": 0.13,
    "street": 0.13,
    "junction": 0.1,
    "postcode": 0.14,
    "sector": 0.14,
    "district": 0.14,
    "area": 0.14,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
CLIP_SHARE = 0.25  # of the slips in a word of eight letters or more, a hurried clip ("CAMBERW.")
ABBR_P = 0.55  # a street word written in the log's abbreviation
THE_DROP_P = 0.5  # a leading "THE" left off
AMP_P = 0.35  # "AND" written "&" and back
APOS_KEEP_P = 0.3  # apostrophes kept (mixed case records only; caps logs drop them)
HYPHEN_KEEP_P = 0.5  # a hyphen kept (else a space)
RUN_P = 0.04  # two words of an unslipped name run together
CAPS_P = 0.5  # the whole record in capitals
LOWER_P = 0.1  # ... or all lower case (else mixed, as typed)
STAMP_P = 0.45  # a time at the start
REF_P = 0.18  # a log reference
WHO_P = 0.22  # a call sign or the log's source
AFTER_P = 0.2  # what happened next, at the end
DOUBLE_P = 0.08  # a space doubled
INITIALS_P = 0.15  # a big hospital with an A&E written by its initials

# --- the logs' shorthand ---------------------------------------------------------------------------------

# a name word (lower case) -> how a log writes it short; each is the word's first letter and then some of its
# letters in order
ABBREV = {
    "road": ["RD"],
    "street": ["ST", "STR"],
    "avenue": ["AVE", "AV"],
    "lane": ["LN"],
    "gardens": ["GDNS", "GDN"],
    "square": ["SQ"],
    "place": ["PL"],
    "station": ["STN"],
    "hospital": ["HOSP"],
    "park": ["PK"],
    "green": ["GRN"],
    "terrace": ["TCE", "TER"],
    "crescent": ["CRES", "CRESC"],
    "court": ["CT"],
    "close": ["CL"],
    "drive": ["DR"],
    "grove": ["GRO"],
    "saint": ["ST"],
    "north": ["N", "NTH"],
    "south": ["S", "STH"],
    "east": ["E"],
    "west": ["W"],
    "upper": ["UPR", "UP"],
    "lower": ["LWR"],
    "junction": ["JCT", "JNCT"],
    "bridge": ["BR", "BRDG"],
    "common": ["CMN", "COM"],
    "market": ["MKT"],
    "parade": ["PDE"],
    "house": ["HSE"],
    "estate": ["EST"],
    "church": ["CH", "CHRCH"],
    "college": ["COLL"],
    "university": ["UNI"],
    "great": ["GT", "GRT"],
    "mount": ["MT"],
    "broadway": ["BWAY"],
    "high": ["HI"],
    "gate": ["GTE"],
    "walk": ["WK"],
    "centre": ["CTR", "CNTR"],
    "hill": ["HL"],
    "royal": ["RYL"],
}

# words that do not tell one place from another: never slipped or clipped
GENERIC = {
    "the",
    "and",
    "of",
    "road",
    "street",
    "avenue",
    "lane",
    "gardens",
    "square",
    "place",
    "station",
    "hospital",
    "park",
    "green",
    "terrace",
    "crescent",
    "court",
    "close",
    "drive",
    "grove",
    "north",
    "south",
    "east",
    "west",
    "upper",
    "lower",
    "junction",
    "bridge",
    "common",
    "market",
    "parade",
    "house",
    "estate",
    "church",
    "college",
    "university",
    "great",
    "mount",
    "broadway",
    "high",
    "gate",
    "walk",
    "centre",
    "center",
    "hill",
    "royal",
    "way",
    "row",
    "rise",
    "mews",
    "yard",
    "bar",
    "pub",
    "club",
    "cafe",
    "restaurant",
    "kitchen",
    "grill",
    "general",
    "memorial",
    "community",
    "london",
    "saint",
}

# chains as the logs write them (nicknames and shop formats; not typos)
BRANDS = {
    "tesco": ["TESCO", "TESCO EXPRESS", "TESCO METRO", "TESCOS"],
    "sainsburys": ["SAINSBURYS", "SAINSBURYS LOCAL", "SAINSBURY'S", "SAINSBURYS LCL"],
    "costa": ["COSTA", "COSTA COFFEE"],
    "starbucks": ["STARBUCKS", "STARBUCKS COFFEE"],
    "mcdonalds": ["MCDONALDS", "MCDONALD'S", "MACCIES", "MAKKIES", "MCD'S"],
    "kfc": ["KFC", "K F C", "KENTUCKY"],
    "aldi": ["ALDI"],
    "lidl": ["LIDL", "LIDDL"],
    "greggs": ["GREGGS", "GREGGS BAKERY"],
    "subway": ["SUBWAY", "SUBWAY SANDWICHES"],
    "pret": ["PRET", "PRET A MANGER"],
    "nandos": ["NANDOS", "NANDO'S", "CHEEKY NANDOS"],
    "iceland": ["ICELAND", "ICELAND FOODS"],
    "morrisons": ["MORRISONS", "MORRISONS DAILY"],
    "asda": ["ASDA", "ASDA EXPRESS"],
    "waitrose": ["WAITROSE", "LITTLE WAITROSE"],
    "wetherspoon": ["WETHERSPOONS", "SPOONS", "JD WETHERSPOON", "THE SPOONS"],
    "dominos": ["DOMINOS", "DOMINO'S PIZZA"],
    "boots": ["BOOTS", "BOOTS PHARMACY"],
    "londis": ["LONDIS"],
    "budgens": ["BUDGENS"],
    "wasabi": ["WASABI"],
    "itsu": ["ITSU"],
    "leon": ["LEON"],
    "wilko": ["WILKO", "WILKOS", "WILKINSONS"],
}

# shorthand kept upper case in a mixed-case record (half the time; else written lower)
SHORTHAND = {
    "O/S",
    "OPP",
    "NR",
    "J/W",
    "JCT",
    "N/B",
    "S/B",
    "E/B",
    "W/B",
    "LU",
    "OG",
    "DLR",
    "STN",
    "PLAT",
    "T/HALL",
    "PH",
    "S/A",
    "B/G",
    "VIP",
    "A&E",
    "ED",
    "CAM",
    "PTZ",
    "REF",
    "LOG",
    "OCC",
    "BTP",
    "TFL",
    "SP",
    "DS",
    "LAS",
    "CCTV",
    "IP",
    "PC",
    "P/CODE",
    "HRS",
    "X",
    "@",
    "NB",
    "SB",
    "EB",
    "WB",
    "NFD",
    "N/K",
    "UNK",
    "TBC",
    "HMP",
    "RTC",
    "C/S",
    "MET",
}

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp)\.?|\s+(?:t/a|c/o)\s.*|\s*@.*)\s*$")


def _bare(name: str) -> str:
    """A name without brackets or a company / trading-as / "@" tail."""
    s, last = _clean_name(name), None
    while s != last:
        s, last = _SUFFIX.sub("", s).strip(), s
    return s


def _words(rng: random.Random, name: str, drop_the: float = THE_DROP_P, apos: bool = False) -> list[str]:
    """A gazetteer name as a log writer puts it down: upper case (the record's case is set later), no commas
    or full stops, apostrophes kept only when ``apos``, hyphens kept or spaced, "&" / "AND" either way, a
    leading "THE" often left off."""
    s = _bare(name)
    s = s.replace("’", "'").replace("`", "'").replace('"', "")
    if not apos:
        s = s.replace("'", "")
    s = re.sub(r"[,;:!?./]", " ", s)
    s = s.replace("-", "-" if rng.random() < HYPHEN_KEEP_P else " ")
    words = [w.strip("-") for w in s.upper().split() if w.strip("-")]
    if len(words) > 1 and words[0] == "THE" and rng.random() < drop_the:
        words = words[1:]
    out = []
    for w in words:
        if w in ("AND", "&") and rng.random() < AMP_P:
            w = "&" if w == "AND" else "AND"
        out.append(w)
    return out


def _shorten(rng: random.Random, words: list[str], p: float = ABBR_P) -> list[str]:
    """The log's abbreviations, each word with chance ``p``; a one-word name is left whole."""
    if len(words) < 2:
        return list(words)
    out = []
    for w in words:
        forms = ABBREV.get(w.lower())
        out.append(rng.choice(forms) if forms and rng.random() < p else w)
    return out


# --- slips ---------------------------------------------------------------------------------------------

_ROWS = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
NEXT_KEY = {
    c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _ROWS
    for i, c in enumerate(row)
}


def _clip(rng: random.Random, word: str) -> str:
    """A long word cut short in a hurry, with a full stop: five letters or more of it, three or more lost."""
    k = rng.randint(5, len(word) - 3)
    return word[:k] + "."


def _slip(rng: random.Random, word: str, clip_share: float = CLIP_SHARE) -> str:
    """One slip in an upper-case word of five letters or more (its first letter kept)."""
    if len(word) < 5 or not word.isalpha():
        return word
    if len(word) >= 8 and rng.random() < clip_share:
        return _clip(rng, word)
    for _ in range(25):
        op = rng.choice(["swap", "drop", "double", "key", "key"])
        i = rng.randint(1, len(word) - 2)
        if op == "swap":
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "drop":
            new = word[:i] + word[i + 1 :]
        elif op == "double":
            new = word[:i] + word[i] + word[i:]
        else:
            new = word[:i] + rng.choice(NEXT_KEY.get(word[i], word[i])) + word[i + 1 :]
        if new != word:
            return new
    return word


def _slip_name(rng: random.Random, words: list[str], p: float) -> tuple[list[str], bool]:
    """With chance ``p``, one slip in one distinctive word of the name."""
    if rng.random() >= p:
        return words, False
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.lower() not in GENERIC]
    if not spots:
        return words, False
    i = rng.choice(spots)
    new = _slip(rng, words[i])
    return words[:i] + [new] + words[i + 1 :], new != words[i]


_CODE_SLIP = {"0": "O", "1": "I", "5": "S"}


def _slip_code(rng: random.Random, code: str, p: float) -> tuple[str, bool]:
    """A postcode with a letter for a look-alike digit (O for 0, I for 1, S for 5), with chance ``p``."""
    spots = [i for i, c in enumerate(code) if c in _CODE_SLIP and i > 0]
    if not spots or rng.random() >= p:
        return code, False
    i = rng.choice(spots)
    return code[:i] + _CODE_SLIP[code[i]] + code[i + 1 :], True


def _pc_written(rng: random.Random, pc: str) -> str:
    """A full postcode as a log gives it: its space kept, lost or doubled."""
    out, inc = pc.upper().split() if " " in pc else (pc.upper(), "")
    if not inc:
        return out
    r = rng.random()
    return f"{out} {inc}" if r < 0.7 else f"{out}{inc}" if r < 0.92 else f"{out}  {inc}"


# --- slots: the names and codes of a template ------------------------------------------------------------


@dataclass
class Slot:
    """A name or a code in a template: its words as written, and whether a slip took letters of it."""

    words: list[str]
    code: bool = False
    slipped: bool = False
    run: int = -1  # two words run together after this index (-1: none)


def _name_slot(
    rng: random.Random, name: str, cls: str, drop_the: float = THE_DROP_P, apos: bool = False
) -> Slot:
    typed = _shorten(rng, _words(rng, name, drop_the, apos))
    typed, slipped = _slip_name(rng, typed, SLIP_P[cls])
    run = -1
    if not slipped and len(typed) >= 2 and rng.random() < RUN_P:
        run = rng.randrange(len(typed) - 1)
    return Slot(typed, slipped=slipped, run=run)


def _code_slot(rng: random.Random, code: str, cls: str) -> Slot:
    typed, slipped = _slip_code(rng, code, SLIP_P[cls])
    return Slot([typed], code=True, slipped=slipped)


def _title(word: str) -> str:
    """A name word as typed in a mixed-case record ("KING'S" -> "King's", "RD" -> "Rd", "A&E" stays)."""
    if not any(c.isalpha() for c in word) or "&" in word or not re.search(r"[AEIOUY]", word):
        return word  # "KFC", "JD", "RD", initials: left in capitals
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def _render(slot: Slot, case: str) -> str:
    words = slot.words if slot.code or case == "caps" else [_title(w) for w in slot.words]
    out = ""
    for i, w in enumerate(words):
        out += ("" if i == 0 else "" if i - 1 == slot.run else " ") + w
    return out


def _mixed(rng: random.Random, template: str) -> str:
    """A template (written in capitals here) as a person types it: words lower case, the first capitalised
    now and then, the log's shorthand kept upper or written lower (one choice for the record)."""
    keep = rng.random() < 0.5
    out = []
    for tok in re.split(r"(\s+|\{[a-z]+\})", template):
        if not tok or tok.isspace() or re.fullmatch(r"\{[a-z]+\}", tok):
            out.append(tok)
        elif (tok.strip(",.:()[]-") in SHORTHAND and keep) or re.fullmatch(r"[A-Z]*[0-9][A-Z0-9/]*", tok):
            out.append(tok)  # a bus route, a platform or camera number as it was
        else:
            out.append(tok.lower())
    text = "".join(out)
    if rng.random() < 0.5:
        text = re.sub(r"^([^a-z{]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text, count=1)
    return text


# --- the log line around the place -----------------------------------------------------------------------

STAMPS = [
    "{h}:{m} - ",
    "{h}:{m} ",
    "{h}{m}HRS - ",
    "{h}{m}HRS ",
    "[{h}:{m}] ",
    "{h}{m} - ",
    "{h}.{m} ",
    "{h}:{m}: ",
    "@{h}{m} ",
]
REFS = ["REF {a}/{b} - ", "LOG {b} - ", "OCC {b}: ", "REF {a}/{b}: ", "INC {b} / ", "ENTRY {c} - "]
WHO = [
    "ALPHA {k}: ",
    "BRAVO {k} - ",
    "CHARLIE {k}: ",
    "DELTA {k} - ",
    "ECHO {k}: ",
    "DOOR LOG - ",
    "DOOR TEAM: ",
    "SP NOTES: ",
    "STREET PASTORS - ",
    "WARDEN {k}: ",
    "CCTV - ",
    "CCTV OP {k}: ",
    "BTP - ",
    "TFL STAFF: ",
    "STN SUPERVISOR - ",
    "MARSHAL - ",
    "TAXI MARSHAL: ",
    "LEVY PATROL - ",
    "NIGHT WARDENS: ",
    "DS {k} - ",
]
AFTER = [
    " - LAS CALLED",
    " - POLICE INFORMED",
    " (CCTV SAVED)",
    " - IP TO A&E",
    " - FIRST AID GIVEN",
    " - LAS ON SCENE",
    " - MET ON SCENE",
    " - SUSPECT DECAMPED",
    " - 999 CALLED",
    " - VICTIM CONVEYED",
    " - FOOTAGE REQUESTED",
    " - INCIDENT BOOK COMPLETED",
    " - HEAD INJURY",
    " - GLASSING",
    " - BTP ATTENDED",
    " - DOOR TEAM ASSISTED",
    " - ONE MALE DETAINED",
    " - STAB WOUND",
    " - NO FURTHER",
    " - PUNCHED",
]
HOURS = [22, 23, 23, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 20, 21, 19]


def _stamp(rng: random.Random) -> str:
    return rng.choice(STAMPS).format(h=f"{rng.choice(HOURS):02d}", m=f"{rng.randint(0, 59):02d}")


def _ref(rng: random.Random) -> str:
    return rng.choice(REFS).format(
        a=f"{rng.randint(1, 31):02d}{rng.randint(1, 12):02d}",
        b=f"{rng.randint(1, 999):03d}",
        c=str(rng.randint(1, 60)),
    )


def _who(rng: random.Random) -> str:
    return rng.choice(WHO).format(k=str(rng.randint(1, 9)))


def _record(rng: random.Random, form: str, slots: dict[str, Slot], plain: dict[str, str]) -> tuple[str, bool]:
    """The log line: the template (case as the record is written) with its names and codes, then a time, a
    reference, a call sign and what happened next around it; whether a name lost letters (``typo``)."""
    for key, val in plain.items():
        form = form.replace("{" + key + "}", val)
    lead = ""
    if rng.random() < STAMP_P:
        lead += _stamp(rng)
    if rng.random() < REF_P:
        lead += _ref(rng)
    if rng.random() < WHO_P:
        lead += _who(rng)
    tail = rng.choice(AFTER) if rng.random() < AFTER_P else ""
    line = lead + form + tail
    r = rng.random()
    case = "caps" if r < CAPS_P else "lower" if r < CAPS_P + LOWER_P else "mixed"
    if case == "mixed":
        line = _mixed(rng, line)
    for key, slot in slots.items():
        line = line.replace("{" + key + "}", _render(slot, case))
    if case == "lower":
        line = line.lower()
    if rng.random() < DOUBLE_P:
        spots = [m.start() for m in re.finditer(" ", line)]
        if spots:
            j = rng.choice(spots)
            line = line[:j] + " " + line[j:]
    typo = any(s.slipped for s in slots.values())
    return line, typo


# --- what the logs say --------------------------------------------------------------------------------------

PUB_TEXT = [
    "{v} - S/A",
    "S/A OF {v}",
    "{v} B/G",
    "BEER GARDEN {v}",
    "EJECTED FROM FRONT DOOR {v}",
    "O/S {v} FRONT DOOR",
    "{v} - BAR AREA",
    "{v} GENTS TOILETS",
    "QUEUE O/S {v}",
    "{v} REAR YARD",
    "INSIDE {v}",
    "{v} PH",
    "{v} PUB",
    "FRONT DOOR - {v}",
    "{v} FIRE EXIT",
    "SMOKING AREA AT {v}",
    "CAM {cam} - O/S {v}",
    "{v} - LADIES TOILETS",
    "{v} UPSTAIRS BAR",
    "ON DOOR AT {v}",
    "{v} VIP AREA",
]
CLUB_TEXT = [
    "{v} - VIP AREA",
    "VIP AREA {v}",
    "{v} DANCEFLOOR",
    "QUEUE OUTSIDE {v}",
    "EJECTED FROM {v}",
    "{v} CLOAKROOM",
    "{v} SMOKING AREA",
    "{v} - MAIN ROOM",
    "FRONT DOOR {v}",
    "{v} NIGHTCLUB",
    "O/S {v} - QUEUE",
    "CAM {cam} QUEUE O/S {v}",
    "{v} - SEARCH AREA",
    "{v} S/A",
]
PARK_TEXT = [
    "{v}",
    "IN {v}",
    "{v} - MAIN GATES",
    "{v} BANDSTAND",
    "{v} PATH BY PLAYGROUND",
    "O/S {v} GATES",
    "{v} - NR PUBLIC TOILETS",
    "CAM {cam} - {v}",
    "BENCHES IN {v}",
    "{v} AFTER DARK",
]
FOOD_TEXT = [
    "{v}",
    "IN {v}",
    "O/S {v}",
    "{v} TAKEAWAY",
    "{v} - COUNTER",
    "QUEUE IN {v}",
    "{v} DOORWAY",
    "CAM {cam} O/S {v}",
    "INSIDE {v} - LATE NIGHT",
    "FRONT OF {v}",
    "{v} - STAFF CALLED US",
]

CHAIN_STREET = [
    "{c} {w}",
    "O/S {c} {w}",
    "{c} ON {w}",
    "{w} - O/S {c}",
    "CAM {cam} O/S {c}, {w}",
    "{c} ({w})",
    "{c} - {w}",
    "DOORWAY OF {c} {w}",
]
CHAIN_STATION = ["{c} BY {s} STN", "{c} OPP {s} STN", "{c} AT {s} STN", "{c} NR {s} STN", "{c} - {s} STN"]
CHAIN_AREA = ["{c} {a}", "{c} - {a}", "O/S {c} IN {a}", "{c} ({a})", "{c}, {a}"]
CHAIN_ALONE = [
    "{c}",
    "IN {c}",
    "O/S {c}",
    "{c} - FRONT OF STORE",
    "{c} DOORWAY",
    "QUEUE IN {c}",
    "{c} - STORE SECURITY",
    "CAM {cam} O/S {c}",
    "OPP {c}",
    "NR {c}",
    "{c} CASHPOINT",
]

HOSPITAL_HERE_TEXT = [
    "HERE",
    "HERE - A&E FORECOURT",
    "THIS HOSP - FORECOURT",
    "A&E WAITING ROOM",
    "AMBULANCE BAY HERE",
    "ED ENTRANCE (HERE)",
    "OUR FORECOURT",
    "HOSP SECURITY - IN DEPT",
    "IN MAJORS HERE",
    "RESUS BAY",
    "THIS SITE - CAR PARK",
    "OUTSIDE A&E HERE",
    "ED RECEPTION",
    "IN ED",
    "ON SITE - SECURITY LOG",
    "URGENT CARE WAITING AREA HERE",
    "IN THE DEPT",
    "OUR CAR PARK",
    "SMOKING SHELTER - THIS SITE",
]
HOSPITAL_NAMED_TEXT = [
    "{h} A&E ENTRANCE",
    "O/S {h}",
    "{h} CAR PARK",
    "{h} FORECOURT",
    "MAIN ENTRANCE {h}",
    "{h} GROUNDS",
    "{h} - SMOKING SHELTER",
    "{h}",
    "BUS STOP O/S {h}",
    "IN {h} GROUNDS",
    "CAM {cam} - {h} ENTRANCE",
]

MODES = {
    "tube": ["LU", "LU STN", "TUBE", "UNDERGROUND STN", "STN", "TUBE STN"],
    "rail": ["NR STN", "RAIL STN", "STN", "MAINLINE STN", "NR"],
    "overground": ["OG", "OG STN", "OVERGROUND", "STN"],
    "dlr": ["DLR", "DLR STN"],
    "tram": ["TRAM STOP", "TRAMSTOP"],
}
STATION_TEXT = [
    "PLAT {k} {dir} - {s} {m}",
    "{s} {m} PLAT {k}",
    "{s} {m} T/HALL",
    "{s} {m} GATELINE",
    "{s} {m} EXIT {k}",
    "O/S {s} {m}",
    "STAIRS TO PLAT {k}, {s} {m}",
    "{s} {m} - TOP OF ESCALATOR",
    "{s} {m} FOOTBRIDGE",
    "{s} {m} - TAXI RANK",
    "CAM {cam} {s} {m} FORECOURT",
    "{s} {m} WAITING ROOM",
    "{s} {m} BUS STATION STAND {l}",
    "{s} {m} TICKET HALL",
    "{s} {m} {dir} PLATFORM",
    "{m} - {s}",
    "{s} {m} - BARRIERS",
    "EXIT {k} {s} {m}",
]
DIRS = ["N/B", "S/B", "E/B", "W/B", "NORTHBOUND", "SOUTHBOUND", "EASTBOUND", "WESTBOUND", "NB", "SB"]
STAND = list("ABCDEFGHJKLMNPRS")

STREET_TEXT = [
    "{st}",
    "O/S {n} {st}",
    "O/S NO {n} {st}",
    "{st} NR {l}",
    "O/S {l}, {st}",
    "OPP {l} {st}",
    "CAM {cam} - {st}",
    "CAM {cam} - O/S {l} {st}",
    "PTZ {cam} VIEW {st} {dir}",
    "{st} {dir}",
    "BUS STOP ON {st} {dir}",
    "ON {st}",
    "{st} - TAXI RANK",
    "{st} CASHPOINT",
    "ALLEY OFF {st}",
    "IN ROAD - {st}",
    "{st} - PAVEMENT O/S {n}",
    "{st} BY THE KEBAB SHOP",
    "{st} NIGHT BUS STOP",
    "FIGHT ON {st}",
]
STREET_QUAL = [" {q}", " ({q})", ", {q}", " - {q}"]
JUNCTION_TEXT = [
    "{a} J/W {b}",
    "JCT {a}/{b}",
    "{a} & {b} JCT",
    "PTZ {cam} AT {a}/{b}",
    "CAM {cam} {a} X {b}",
    "CORNER OF {a} AND {b}",
    "ON THE {r} AT STOP {a}/{b}",
    "BUS STOP {a} / {b}",
    "{a} @ {b}",
    "{a} X {b}",
    "LIGHTS AT {a} J/W {b}",
    "O/S STOP {a}/{b} - {r} BUS",
    "CROSSING {a}/{b}",
    "{a} JUNCTION WITH {b}",
]
POSTCODE_TEXT = [
    "{p}",
    "PC {p}",
    "CALLER GAVE {p}",
    "{p} (CALLER)",
    "O/S PREMISES {p}",
    "P/CODE {p}",
    "NR {p}",
    "VENUE PC {p}",
    "ADDRESS OF INCIDENT {p}",
]
SECTOR_FORM = ["{o} {i}", "{o} {i}XX", "{o} {i}??", "{o} {i}.."]
SECTOR_TEXT = ["{p}", "{p} AREA", "PC {p} ONLY", "PART PC {p}", "{p} - CALLER UNSURE OF REST"]
DISTRICT_TEXT = [
    "{d}",
    "{d} AREA",
    "PATROL ZONE {d}",
    "{d} - NO FURTHER",
    "SOMEWHERE IN {d}",
    "{d} NFD",
    "ROAMING {d}",
]
AREA_TEXT = [
    "{a}",
    "{a} AREA",
    "{a} TOWN CENTRE",
    "LEVY PATROL {a}",
    "{a} - ROAMING",
    "SP PATROL {a}",
    "VICINITY OF {a}",
    "{a} - NO EXACT LOC",
    "STREETS OF {a}",
    "IN {a}",
    "{a} NFD",
]

HOME_TEXT = [
    "HOME ADDRESS",
    "IP HOME ADDR",
    "AT HOME",
    "OWN FLAT",
    "HOME - DOORSTEP",
    "IPS FLAT",
    "VICTIMS HOME",
    "HOME ADDRESS - PER IP",
    "OWN HOUSE",
    "AT HIS FLAT",
    "AT HER HOME",
    "HOME ADDR ON FILE",
    "RESIDENTIAL - OWN ADDRESS",
    "HOME - HALLWAY",
    "OUTSIDE OWN FRONT DOOR",
    "OWN BLOCK - STAIRWELL",
    "IP RESIDENCE",
    "HOME (DOMESTIC)",
    "HOUSE - VICTIMS OWN",
    "HOME ADDRESS AS GIVEN",
    "OWN GARDEN",
    "AT HOME AFTER NIGHT OUT",
]
DWELLING = [
    "AT A HOUSE PARTY",
    "HOUSE PARTY",
    "MATES FLAT",
    "FRIENDS HOUSE",
    "PARTNERS ADDRESS",
    "EX PARTNERS FLAT",
    "AFTER PARTY - PRIVATE FLAT",
    "PRIVATE RESIDENCE - FRIENDS",
    "GIRLFRIENDS FLAT",
    "BOYFRIENDS HOUSE",
    "COUSINS HOUSE",
    "MUMS HOUSE",
    "RELATIVES ADDRESS",
    "NEIGHBOURS FLAT",
    "SOMEONE ELSES FLAT",
    "FLAT PARTY",
    "SISTERS PLACE",
    "BROTHERS HOUSE",
    "AIRBNB - HOUSE PARTY",
    "HOUSE PARTY - ADDRESS NOT GIVEN",
    "FRIENDS BIRTHDAY - PRIVATE HOUSE",
]
UNKNOWN = [
    "UNKNOWN - REPORTED BY CALLER",
    "REFUSED DETAILS",
    "NOT KNOWN",
    "UNK",
    "N/K",
    "LOC NOT GIVEN",
    "NO LOCATION",
    "IP UNABLE TO SAY",
    "IP TOO INTOX TO SAY",
    "NOT DISCLOSED",
    "TBC",
    "LOCATION TBC",
    "UNKNOWN",
    "CALLER HUNG UP - NO LOC",
    "NOT STATED",
    "DECLINED TO SAY",
    "NO DETAILS",
    "UNCONFIRMED",
    "CANNOT RECALL",
    "NIL",
    "?",
    "REFUSED",
    "NOT RECORDED",
    "LOC UNKNOWN - WALK IN",
]
NON_PLACES = [
    "IN A TAXI",
    "IN A MINICAB",
    "IN AN UBER",
    "UBER - EN ROUTE",
    "BLACK CAB",
    "ON A NIGHT BUS",
    "ON A TRAIN",
    "ON THE TUBE - BETWEEN STATIONS",
    "IN CUSTODY SUITE",
    "CUSTODY",
    "POLICE VAN",
    "MOBILE - MOVING VEHICLE",
    "IN A CAR",
    "NOT ON CAMERA",
    "OFF CAMERA",
    "VARIOUS",
    "VARIOUS LOCATIONS",
    "ABROAD",
    "OVERSEAS",
    "ON HOLIDAY",
    "AT WORK",
    "AT WORK - BEHIND THE BAR",
    "AT A FESTIVAL",
    "AT A GIG",
    "AT A WEDDING",
    "IN A HOSTEL",
    "IN PRISON",
    "HMP",
    "BOAT PARTY",
    "IN A LIFT",
    "A STAIRWELL",
    "IN A NIGHTCLUB - NAME NOT KNOWN",
    "IN A PUB - NOT NAMED",
    "IN THE STREET - NO NAME",
    "SOMEWHERE IN TOWN",
    "IN A PARK",
    "IN A TAKEAWAY",
    "HOTEL ROOM",
    "IN A SHOP",
    "AT SCHOOL",
    "BUILDING SITE",
    "MOVING TRAIN",
    "PRIVATE HIRE VEHICLE",
    "PEDICAB",
    "STAG DO - VARIOUS PUBS",
    "PUB CRAWL - VARIOUS",
    "IN THE QUEUE - VENUE NOT NAMED",
    "OUT OF AREA",
    "OUTSIDE LONDON",
    "IN CELLS",
    "IN AN AMBULANCE",
    "AT THE FOOTBALL",
    "ON A COACH",
    "ON A RICKSHAW",
    "AT THE BUS STOP - NOT SAID WHICH",
]
NIGHT_BUS = [
    "ON THE {r}",
    "ON {r} BUS",
    "ON NIGHT BUS {r}",
    "{r} NIGHT BUS - ON BOARD",
    "ON BOARD {r}",
    "UPPER DECK OF {r}",
]
NIGHT_ROUTES = [
    "N29",
    "N38",
    "N55",
    "N73",
    "N89",
    "N133",
    "N155",
    "N207",
    "N253",
    "N279",
    "N136",
    "N171",
    "N65",
    "N109",
    "N47",
    "N199",
    "N68",
    "N86",
    "N44",
    "N26",
]
DAY_ROUTES = ["12", "36", "148", "188", "343", "35", "176", "185", "25", "243", "149", "59"]


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
    """A station's own name: no bracketed part, mode or "station" word."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\s*-\s*(dlr|tram|tramlink|underground|overground)\s*$", "", s.strip())
    s = re.sub(r"(?i)\s+(lu|lo|el|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    return " ".join(s.split())


_STREETISH = (
    r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|drive|square|parade|close|hill|"
    r"way|rise|walk|row|mews|green|yard)$"
)
_NOT_AREA = [
    "and",
    "ward",
    "hospital",
    "road",
    "street",
    "lane",
    "park",
    "common",
    "fields",
    "gardens",
    "station",
    "north",
    "south",
    "east",
    "west",
    "central",
    "upper",
    "lower",
    "town",
    "village",
    "river",
    "docks",
]
_NOT_AREA_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_NOT_AREA) + r")\b", re.I)
_NOT_AREA_PG = r"&|,|[0-9]|\m(" + "|".join(_NOT_AREA) + r")\M"


def _area_ok(name: str | None) -> bool:
    return bool(name) and not _NOT_AREA_RE.search(name) and len(name.split()) <= 3


def _initials(name: str) -> str | None:
    """A hospital of three to five words by its initials ("KINGS COLLEGE HOSPITAL" -> "KCH")."""
    words = re.sub(r"['’]", "", _clean_name(name)).upper().split()
    if words and words[0] == "THE":
        words = words[1:]
    if (
        not 3 <= len(words) <= 5
        or words[-1] != "HOSPITAL"
        or any(w in ("AND", "OF", "THE") for w in words)
        or not all(w.isalpha() for w in words)
    ):
        return None
    return "".join(w[0] for w in words)


# --- the family ----------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``nightlog`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}|{salt}|{SEED}|' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.30, none_placed=0.06, nearest=0.82, second=0.94
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def cam() -> str:
        return str(rng.choice([rng.randint(1, 40), rng.randint(100, 399)]))

    def add(cls, form, level, x=None, y=None, fid=None, site="near", slots=None, plain=None):
        code = site_near(x, y) if site == "near" else site
        fill = {"cam": cam()}
        fill.update(plain or {})
        text, typo = _record(rng, form, slots or {}, fill)
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    def apos() -> bool:
        return rng.random() < APOS_KEEP_P

    # Venues with a unique name: pubs, parks, and food premises (clubs and bars among them).
    quota = {"pub": round(k["venue"] * 0.45), "park": round(k["venue"] * 0.07)}
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=34)
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        if kind == "park":
            forms = PARK_TEXT
        elif re.search(r"(?i)\b(club|nightclub|lounge)\b", name):
            forms = CLUB_TEXT
        elif (
            kind == "pub"
            or re.search(r"(?i)\b(bar|tavern|inn|arms)\b", name)
            or "pub" in (business or "").lower()
        ):
            forms = PUB_TEXT
        else:
            forms = FOOD_TEXT
        slot = _name_slot(rng, name, "venue", drop_the=0.2 if kind == "park" else THE_DROP_P, apos=apos())
        add("venue", rng.choice(forms), "venue", x, y, fid, slots={"v": slot})

    # Chains: a branch of a brand with four or more branches; some lines say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        c = Slot(rng.choice(BRANDS.get(brand, [brand.upper()])).split())
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()/]", street)
        if r < 0.30 and street_ok:
            add(
                "chain",
                rng.choice(CHAIN_STREET),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "w": _name_slot(rng, street, "chain")},
            )
        elif r < 0.42 and stn:
            add(
                "chain",
                rng.choice(CHAIN_STATION),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "s": _name_slot(rng, _station_name(stn), "chain", drop_the=0.0)},
            )
        elif r < 0.50 and _area_ok(ward):
            add(
                "chain",
                rng.choice(CHAIN_AREA),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "a": _name_slot(rng, ward, "chain")},
            )
        elif r < 0.57 and district:
            add(
                "chain",
                rng.choice(CHAIN_AREA).replace("{a}", "{d}"),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "d": _code_slot(rng, district, "chain")},
            )
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", x, y, fid, slots={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, salted, here_k):
        add("hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        ini = _initials(name) if has_ed else None
        if ini and rng.random() < INITIALS_P:
            slot = Slot([ini])
        else:
            slot = _name_slot(rng, name, "hospital", drop_the=0.8, apos=apos())
        add("hospital", rng.choice(HOSPITAL_NAMED_TEXT), "venue", x, y, fid, slots={"h": slot})

    # Stations near an A&E, with the log's word for the mode, a platform, exit or stand.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        mode = _mode(source, net, lines, name)
        slot = _name_slot(rng, _station_name(name), "station", drop_the=0.0, apos=apos())
        plats = 4 if mode in ("dlr", "tram") else 8
        add(
            "station",
            rng.choice(STATION_TEXT),
            "venue",
            x,
            y,
            fid,
            slots={"s": slot},
            plain={
                "m": rng.choice(MODES[mode]),
                "k": str(rng.randint(1, plats)),
                "dir": rng.choice(DIRS),
                "l": rng.choice(STAND),
            },
        )

    # Streets: a random point of the street; common names often with a ward or district; some say the pub
    # or shop within 120 m of the point.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(
        conn, salted, _STREETISH, k["street"]
    ):
        form = rng.choice(STREET_TEXT)
        slots = {"st": _name_slot(rng, name, "street", apos=apos())}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None or not _words(random.Random(0), landmark, 0.0):
                form = rng.choice(["{st}", "ON {st}", "{st} - PAVEMENT"])
            else:
                slots["l"] = _name_slot(rng, landmark, "street", apos=apos())
        if rng.random() < (0.6 if namesakes > 3 else 0.15):
            if _area_ok(ward) and (not district or rng.random() < 0.5):
                form += rng.choice(STREET_QUAL)
                slots["q"] = _name_slot(rng, ward, "street")
            elif district:
                form += rng.choice(STREET_QUAL)
                slots["q"] = _code_slot(rng, district, "street")
        add(
            "street",
            form,
            "street",
            x,
            y,
            fid,
            slots=slots,
            plain={"n": str(rng.choice([rng.randint(1, 40), rng.randint(1, 250)])), "dir": rng.choice(DIRS)},
        )

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_name_slot(rng, part.strip(), "junction") for part in name.split("/"))
        if rng.random() < 0.4:
            a, b = b, a
        route = rng.choice(NIGHT_ROUTES if rng.random() < 0.6 else DAY_ROUTES)
        add(
            "junction",
            rng.choice(JUNCTION_TEXT),
            "junction",
            x,
            y,
            slots={"a": a, "b": b},
            plain={"r": route},
        )

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        add(
            "postcode",
            rng.choice(POSTCODE_TEXT),
            "postcode",
            x,
            y,
            slots={"p": _code_slot(rng, _pc_written(rng, display), "postcode")},
        )
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        o, i = sector.split()
        add(
            "sector",
            rng.choice(SECTOR_TEXT),
            "sector",
            x,
            y,
            slots={"p": _code_slot(rng, rng.choice(SECTOR_FORM).format(o=o, i=i), "sector")},
        )
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        add(
            "district",
            rng.choice(DISTRICT_TEXT),
            "district",
            x,
            y,
            slots={"d": _code_slot(rng, district, "district")},
        )

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _NOT_AREA_PG, SEED % 9973, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", x, y, fid, slots={"a": _name_slot(rng, name, "area")})

    # No place: own home, stated unknown, non-places (one in six a friend's flat or a house party).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_TEXT), "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none")
    for i in range(k["nonplace"]):
        if i % 6 == 3:
            add("nonplace", rng.choice(DWELLING), "home")
        elif i % 6 == 5:
            add("nonplace", rng.choice(NIGHT_BUS), "none", plain={"r": rng.choice(NIGHT_ROUTES)})
        else:
            add("nonplace", rng.choice(NON_PLACES), "none")
    rng.shuffle(out)
    return out
