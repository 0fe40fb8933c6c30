"""A ninth held-out family of labelled assault locations, ``legacy``: the location as it comes out of an OLD
A&E / ISTV system migrated into the new one, with that system's paper-era conventions and its fixed-width
free-text fields.

Written 2026-12-07, started 01:18:54 UTC and finished 01:54:12 UTC (``date -u``), by a helper session asked
to write a blind family the geocoder's developers have never seen. What was read to write it: the whole of
``heldout_h.py`` except the block of its phrase lists that the viewer left out (its lines 268-306, not
opened; the model for the module's structure, for how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen, the class shares, the ``typo`` flag and the docstring); the whole of
``truths.py`` and ``sites.py``; from ``independent.py`` the definitions of ``IndependentExample``,
``CHAINS`` and ``_clean_name`` (found with ``grep -n``; the lines printed around them also showed the first
lines of ``_edge_typo`` and of ``generate_family``, nothing more); the ``FAMILY`` and ``SEED`` lines (grep
only) of heldout.py and heldout_b.py .. heldout_h.py, to pick an unused name and seed;
tests/geocoding/test_heldout_interp.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py;
the column lists and a few sample rows of gazetteer.feature, gazetteer.source_feature, gazetteer.postcode and
health.ae_site (random pub, park, station, hospital, A&E site, ward, venue and street names, counts of
features by kind and level, station sources, networks and lines); and this module's own output
(``generate(conn, 900)`` on the dev gazetteer) and the results of its own test file,
tests/geocoding/test_heldout_legacy.py (the only tests run). Not read: anything under db/functions/,
db/schema.sql, docs/, safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py,
calibration.py, labelled.py, the rest of independent.py, the phrase lists of heldout.py and heldout_b.py ..
heldout_g.py, tests/geocoding/test_geocoder*, /work/scratch, /tmp/f_*, the git history. Every phrase,
template, abbreviation, shorthand and the noise model below were written fresh for this module. The geocoder
was never run on these texts (no call of safestats.geocode or geocode_candidates or of any safestats SQL
function, no ``make eval-geocoder``, no evaluation module).

Style. Records typed by A&E reception into an old system's free-text location field and exported with it:
mostly ALL UPPER CASE (now and then all lower case), no apostrophes, "&" and "AND" used either way, a leading
"THE" often left off, the old abbreviations (O/S, NR, OPP, J/W, JCT, CNR, X-ING, VIC OF, NFD, RD / ST / AVE /
LN / GDNS / PK / STN / HSE / HOSP ..., PH for a public house, RLY, BR STN, U/G, O/G, E/B and W/B for a road or
platform direction, NO. for a house number), staff shorthand for chains ("SNSBRYS", "MCDNLDS", "TSCO",
"WTHRSPNS" ...) and initials for a hospital with an A&E, of three to five words ("KCH"), a field label or an
old category code in front ("LOC:", "INC LOC-", "SCENE=", "PUB/CLUB -", "ST - ", "RES -"), the separator after
it sometimes lost ("ST -OLD KENT RD", "LOC:..."), a date in front or a time glued on at the end ("2300HRS",
"@0130", a separator lost there too: "RD2300HRS"), double spaces, fillers ("PT STATES", "(ALLEGED)", "?",
"APPROX"), trailing padding of the fixed field (spaces or "*") or a "*" / "#" marker, and the old codes for no
place: "UNK", "N/K", "NOT STATED", "REFUSED", "AS ABOVE", "NFA", "HOME ADDR", "OWN HSE", "POLICE CELLS",
"HMP", "AT WORK", "IN VEH", "ABROAD", "VARIOUS", "FRIENDS HSE" ....

Fixed-width fields. The typed location (without the label, category code, date or time, which are other
fields) went into a field of ``WIDTHS`` characters (24 to 35); a longer entry was cut at the width, mid-word
if it fell so. What a cut text still names was decided this way: the truth's own name (the primary name: a
venue, brand, hospital, station, street, both streets of a junction, a postcode) must keep every word up to
its last distinctive word (a word not in ``GENERIC``: not RD, ST, PK, HOSP, STN, THE, & ...) whole, and that
last distinctive word may lose its end but keeps at least four letters and 60% of itself ("SAINSBURYS" ->
"SAINSBU"); a postcode is never cut; a text with no name (home, unknown, non-place, "here") is never cut. When
the width would cut more, the record is taken as from the system's wider field and kept whole. A qualifier (a
chain's street, station, ward or district; a street's ward or district or the shop it is outside) may be cut
anywhere or lost whole; when it is lost (fewer than three of its letters left) the text is labelled for what
is left: a chain text becomes "chain, no locality"; a street text stays a street. A word of the template cut
to a stub of one or two characters, or to one that reads as an abbreviation ("STN" -> "ST"), loses the stub,
so that no cut makes a station read as a street.

Noise (what sets ``typo``). ``typo`` is true exactly when a word of a name (primary or qualifier) or a
postcode in the text no longer has its letters: (a) the cut removed letters of a name that is still partly
in the text (a word cut mid-word or a trailing word of it lost, even a generic one: "OLD KENT R");
(b) a data-entry slip in one word of a name (``SLIP_P``: two letters swapped, a letter dropped or doubled,
a neighbouring key, or a long place word typed as a vowel-less staff shorthand "CMBRWLL"); (c) a postcode
typed with O for 0 or I for 1. Not typos: the listed abbreviations (``ABBREV``), the brand shorthand
(``BRANDS``), hospital initials, a dropped "THE", dropped apostrophes and hyphens, "&" for "AND" and back,
a postcode's space lost or doubled, spaces doubled or lost at a field boundary, upper or lower case, and a
qualifier lost whole (the text then just does not say it).

Classes and shares as in the other held-out families: venues with a unique name (pubs, parks, food premises,
clubs), chain branches with a locality (street, nearby station, ward, postcode district) and without,
hospitals (a fifth "here" / "this dept" texts whose truth is the reporting site itself), stations, street
points, junctions (a bus stop named after two streets), postcode units, sectors and districts, wards, the
patient's own home (level home), stated unknowns (level none) and non-places (custody, work, a vehicle,
abroad, a party ...; one in six a friend's or relative's home, level home). Truths and the reporting site are
drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by a hash salted with this family's
SEED, so a given gazetteer and ``n`` always give the same set.

Until its first run this family had never been used to develop the geocoder or fit its calibration;
its failures were read from 2026-12-07 04:07 UTC, and since then it is a development set (see
docs/geocoding.md): its figures no longer measure unseen text.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "legacy"
SEED = 1_648_273

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12, "junction": 0.07,
          "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05, "home": 0.06, "unknown": 0.05,
          "nonplace": 0.10}

# the chance of a data-entry slip in a name (one word of it at most), by class
SLIP_P = {"venue": 0.09, "chain": 0.06, "hospital": 0.08, "station": 0.09, "street": 0.09, "junction": 0.07,
          "postcode": 0.12, "sector": 0.12, "district": 0.12, "area": 0.1, "home": 0.0, "unknown": 0.0,
          "nonplace": 0.0}
WIDTHS = (24, 24, 25, 26, 26, 28, 28, 30, 32, 35)   # the old free-text field, by record
ABBR_P = 0.8            # a word with an old-system abbreviation written abbreviated
THE_DROP_P = 0.6        # a leading "THE" left off
AMP_P = 0.4             # "AND" in a name typed "&" (and "&" typed "AND")
LOWER_P = 0.07          # the whole record lower case
LABEL_P = 0.35          # a field label ("LOC:")
CODE_P = 0.25           # a category code ("ST - ")
GLUE_P = 0.3            # the space after a label or code lost
DATE_P = 0.06           # a date in front
TIME_P = 0.16           # a time glued on at the end
FILL_P = 0.1            # a filler before or after
DOUBLE_P = 0.14         # a space doubled
PAD_P = 0.05            # the field padded to its width with spaces
STAR_P = 0.03           # ... or with asterisks
MARK_P = 0.06           # a "*" / "#" marker at the end
ACRONYM_P = 0.15        # a hospital of three words or more written by its initials

# --- the old system's abbreviations ---------------------------------------------------------------------

# a name word (lower case) -> how the old system wrote it; each form keeps the word's first letter and is
# made of its letters in order
ABBREV = {"road": ["RD", "RD."], "street": ["ST", "ST."], "avenue": ["AVE", "AV"], "lane": ["LN", "LA"],
          "gardens": ["GDNS"], "park": ["PK"], "station": ["STN"], "house": ["HSE"], "railway": ["RLY"],
          "junction": ["JCT", "JN"], "saint": ["ST"], "north": ["NTH", "N"], "south": ["STH", "S"],
          "east": ["E"], "west": ["W"], "upper": ["UPR"], "lower": ["LWR"], "great": ["GT"],
          "little": ["LTL", "LT"], "green": ["GRN"], "grove": ["GRV", "GR"], "place": ["PL"],
          "square": ["SQ"], "court": ["CT"], "crescent": ["CRES"], "terrace": ["TERR", "TCE"],
          "drive": ["DR"], "close": ["CL"], "parade": ["PDE"], "mount": ["MT"], "hospital": ["HOSP"],
          "general": ["GEN"], "memorial": ["MEM"], "university": ["UNIV", "UNI"], "college": ["COLL"],
          "community": ["COMM"], "central": ["CTRL", "CENT"], "market": ["MKT"], "estate": ["EST"],
          "broadway": ["BDWY"], "common": ["CMN"], "church": ["CH"], "london": ["LDN"], "royal": ["RYL"],
          "centre": ["CTR"], "center": ["CTR"], "international": ["INTL"], "walk": ["WLK"],
          "bridge": ["BDGE", "BRDG"], "hill": ["HL"], "heath": ["HTH"], "gate": ["GT"], "cross": ["X"],
          "restaurant": ["REST"], "limited": ["LTD"], "public": ["PUB"], "mews": ["MWS"]}

# words that do not tell one place from another: a cut may take them off the end of a name
GENERIC = {"the", "and", "&", "of", "road", "street", "avenue", "lane", "gardens", "park", "station", "house",
           "railway", "junction", "grove", "place", "square", "court", "crescent", "terrace", "drive",
           "close", "parade", "hospital", "general", "memorial", "university", "college", "community",
           "centre", "center", "way", "rise", "walk", "row", "mews", "hill", "green", "market", "estate",
           "common", "pub", "bar", "cafe", "restaurant", "club", "ltd", "limited", "rd", "st", "ave", "ln",
           "pk", "stn", "hosp", "uni", "ph", "coffee", "a", "manger", "rail", "underground", "urgent",
           "treatment", "care", "minor", "injuries", "unit", "ucc", "utc", "wic", "health", "broadway"}

# staff shorthand for the chains (brand forms; not typos)
BRANDS = {"tesco": ["TESCO", "TESCOS", "TSCO", "TESCO STORE"],
          "sainsburys": ["SAINSBURYS", "SAINSBURY", "SNSBRYS", "SAINSBRYS", "J SAINSBURY"],
          "costa": ["COSTA", "COSTA COFFEE", "CSTA"], "starbucks": ["STARBUCKS", "STRBCKS", "STARBKS"],
          "mcdonalds": ["MCDONALDS", "MCDONALD", "MCDNLDS", "MAC DS", "MACDONALDS"],
          "kfc": ["KFC", "K.F.C.", "KFC T/A"], "aldi": ["ALDI", "ALDI STORE"],
          "lidl": ["LIDL", "LIDLS", "LDL"],
          "greggs": ["GREGGS", "GREGGS BAKERS", "GRGGS"], "subway": ["SUBWAY", "SBWY", "SUBWAY SANDWICH"],
          "pret": ["PRET", "PRET A MANGER", "PRET A MNGR"], "nandos": ["NANDOS", "NANDO", "NNDOS"],
          "iceland": ["ICELAND", "ICELND", "ICELAND FOODS"], "morrisons": ["MORRISONS", "MORRISON", "MRRSNS"],
          "asda": ["ASDA", "ASDAS", "ASDA STORE"], "waitrose": ["WAITROSE", "WTRSE", "WAITRSE"],
          "wetherspoon": ["WETHERSPOONS", "WETHERSPOON", "WTHRSPNS", "J D WETHERSPOON", "SPOONS"],
          "dominos": ["DOMINOS", "DOMINOES", "DMNOS"], "boots": ["BOOTS", "BOOTS CHEMIST", "BTS CHEMIST"],
          "londis": ["LONDIS", "LNDIS"], "budgens": ["BUDGENS", "BUDGEN", "BDGNS"],
          "wasabi": ["WASABI", "WSABI"], "itsu": ["ITSU", "ITSU T/A"], "leon": ["LEON", "LEON REST"],
          "wilko": ["WILKO", "WILKOS", "WILKINSONS"]}

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp)\.?|\s+(?:t/a|c/o)\s.*|\s*@.*)\s*$")


def _bare(name: str) -> str:
    """A name without brackets or a company / trading-as / "@" suffix (taken off until none is left)."""
    s, last = _clean_name(name), None
    while s != last:
        s, last = _SUFFIX.sub("", s).strip(), s
    return s


def _words(rng: random.Random, name: str, drop_the: float = THE_DROP_P) -> list[str]:
    """A gazetteer name as the old system took it: upper case, no brackets, apostrophes, quotes, commas,
    full stops or hyphens, no company suffix, "AND" / "&" either way, a leading "THE" often left off."""
    s = _bare(name)
    s = re.sub(r"['’`\"]", "", s)
    s = re.sub(r"[,;:!?./\-]", " ", s).upper()
    words = s.split()
    if len(words) > 1 and words[0] == "THE" and rng.random() < drop_the:
        words = words[1:]
    out = []
    for w in words:
        if w in ("AND", "&") and rng.random() < AMP_P:
            w = "&" if w == "AND" else "AND"
        out.append(w)
    return out


def _abbreviate(rng: random.Random, words: list[str], p: float = ABBR_P) -> list[str]:
    """The old abbreviations, each word with chance ``p``; a name of one word ("GROVE") is left whole."""
    if len(words) < 2:
        return list(words)
    out = []
    for w in words:
        forms = ABBREV.get(w.lower())
        out.append(rng.choice(forms) if forms and rng.random() < p else w)
    return out


_ABBREVIATED = {f.lower().rstrip(".") for forms in ABBREV.values() for f in forms}


def _key(words: list[str]) -> int:
    """The index of a name's last distinctive word (-1 when every word is generic)."""
    for i in range(len(words) - 1, -1, -1):
        w = re.sub(r"[^a-z&]", "", words[i].lower())
        if w and w not in GENERIC and w not in _ABBREVIATED:
            return i
    return -1


# --- slips at the keyboard -------------------------------------------------------------------------------

_KEYS = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
NEIGHBOURS = {c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
              for row in _KEYS for i, c in enumerate(row)}


def _vowelless(word: str) -> str:
    """A long place word as a staff shorthand: its vowels after the first letter dropped ("CMBRWLL")."""
    return word[0] + re.sub(r"[AEIOU]", "", word[1:])


def _slip(rng: random.Random, word: str) -> str:
    """One data-entry slip in an upper-case word of five letters or more; the first letter kept."""
    if len(word) < 5 or not word.isalpha():
        return word
    for _ in range(20):
        op = rng.choice(["swap", "swap", "drop", "double", "key", "key", "short"])
        i = rng.randint(1, len(word) - 2)
        if op == "swap":
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif op == "drop":
            new = word[:i] + word[i + 1:]
        elif op == "double":
            new = word[:i] + word[i] + word[i:]
        elif op == "key":
            new = word[:i] + rng.choice(NEIGHBOURS.get(word[i], word[i])) + word[i + 1:]
        else:
            new = _vowelless(word) if len(word) >= 7 else word
        if new != word and len(new) >= 4:
            return new
    return word


def _slip_name(rng: random.Random, words: list[str], p: float) -> tuple[list[str], bool]:
    """With chance ``p``, one slip in one word of the name (not an abbreviation)."""
    if rng.random() >= p:
        return words, False
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.lower() not in GENERIC]
    if not spots:
        return words, False
    i = rng.choice(spots)
    new = _slip(rng, words[i])
    return words[:i] + [new] + words[i + 1:], new != words[i]


def _slip_code(rng: random.Random, code: str, p: float) -> tuple[str, bool]:
    """A postcode typed with the letter O for a zero or I for a one, with chance ``p`` (when it has one)."""
    spots = [i for i, c in enumerate(code) if c in "01" and i > 0]
    if not spots or rng.random() >= p:
        return code, False
    i = rng.choice(spots)
    return code[:i] + {"0": "O", "1": "I"}[code[i]] + code[i + 1:], True


def _pc_typed(rng: random.Random, pc: str) -> str:
    """A full postcode as typed: its space kept, lost, doubled or a hyphen."""
    out, inc = pc.upper().split() if " " in pc else (pc.upper(), "")
    if not inc:
        return out
    r = rng.random()
    return f"{out} {inc}" if r < 0.6 else f"{out}{inc}" if r < 0.85 else f"{out}  {inc}" if r < 0.95 \
        else f"{out}-{inc}"


# --- a record's pieces and the fixed-width cut -----------------------------------------------------------

@dataclass
class Slot:
    """A name or a code in a template: its words as typed, primary (the truth's own name) or a qualifier."""
    words: list[str]
    primary: bool
    code: bool = False
    key: int = -1
    slipped: bool = False


def _name_slot(rng: random.Random, name: str, cls: str, primary: bool = True, drop_the: float = THE_DROP_P,
               words: list[str] | None = None) -> Slot:
    raw = words if words is not None else _words(rng, name, drop_the)
    key = _key(raw)
    typed = _abbreviate(rng, raw)
    typed, slipped = _slip_name(rng, typed, SLIP_P[cls])
    return Slot(typed, primary, key=key, slipped=slipped)


def _code_slot(rng: random.Random, code: str, cls: str, primary: bool = True) -> Slot:
    typed, slipped = _slip_code(rng, code, SLIP_P[cls])
    return Slot([typed], primary, code=True, slipped=slipped)


def _pieces(form: str, slots: dict[str, Slot]) -> list[tuple[str, tuple[str, int] | None]]:
    """The template as pieces: plain text, or one word of a slot (tagged with the slot and word index)."""
    out: list[tuple[str, tuple[str, int] | None]] = []
    for part in re.split(r"(\{[a-z]+\})", form):
        if not part:
            continue
        m = re.fullmatch(r"\{([a-z]+)\}", part)
        if m and m.group(1) in slots:
            slot = slots[m.group(1)]
            for i, w in enumerate(slot.words):
                if i:
                    out.append((" ", None))
                out.append((w, (m.group(1), i)))
        else:
            out.append((part, None))
    return out


def _cut(pieces, slots: dict[str, Slot], width: int | None):
    """The entry cut to ``width`` characters, or None when the cut would take what the text must keep;
    with it, whether it removed letters of a name still partly there, and the qualifiers it lost whole."""
    total = sum(len(p) for p, _ in pieces)
    if width is None or total <= width:
        return pieces, False, set()
    if not any(s.primary for s in slots.values()):
        return None
    kept, pos = [], 0
    seen: dict[str, dict[int, int]] = {k: {} for k in slots}
    for text, tag in pieces:
        room = max(0, width - pos)
        part = text[:room]
        if tag is None and 0 < room < len(text) and not text[room].isspace() and not part[-1].isspace():
            stub = re.search(r"\S+$", part).group()                 # a plain word cut: no stub that reads
            if len(stub) <= 2 or stub.lower().rstrip(".") in GENERIC | _ABBREVIATED:   # as ST, RD, PK ...
                part = part[:-len(stub)]
        pos += len(text)
        if part:
            kept.append((part, tag))
        if tag:
            seen[tag[0]][tag[1]] = len(part)
    lost, damaged = set(), False
    for k, slot in slots.items():
        left = [seen[k].get(i, 0) for i in range(len(slot.words))]
        full = [len(w) for w in slot.words]
        if left == full:
            continue
        if slot.code:
            if left[0] or slot.primary:
                return None
            lost.add(k)
            continue
        if slot.primary:
            if slot.key < 0 or any(left[i] != full[i] for i in range(slot.key)):
                return None
            need = max(4, math.ceil(0.6 * full[slot.key]))
            if left[slot.key] != full[slot.key] and left[slot.key] < need:
                return None
        letters = sum(len(re.sub(r"[^A-Za-z0-9]", "", slot.words[i][:n])) for i, n in enumerate(left))
        if letters:
            damaged = True
        if letters < 3 and not slot.primary:
            lost.add(k)
    while kept and not kept[-1][0].strip():
        kept.pop()
    if kept:
        kept[-1] = (kept[-1][0].rstrip(), kept[-1][1])
    return kept, damaged, lost


# --- the record's other fields -------------------------------------------------------------------------

LABELS = ["LOC:", "LOC: ", "INC LOC-", "INC LOC - ", "SCENE=", "SCENE: ", "LOCATION:", "LOCN-", "LOCN ",
          "PLACE OF INC:", "WHERE:", "ASSLT LOC:", "INC.LOC ", "[LOC] ", "SITE OF INC-", "LOC.INC/"]
CATEGORY = {"pub": ["PUB/CLUB -", "LIC PREM -", "PUB -"], "club": ["PUB/CLUB -", "LIC PREM -", "N/CLUB -"],
            "park": ["PARK -", "OPEN SPACE -", "PUBLIC PL -"],
            "food": ["SHOP -", "REST/T-AWAY -", "COMM PREM -"],
            "chain": ["SHOP -", "COMM PREM -", "RETAIL -"], "hospital": ["HOSP -", "HEALTH -"],
            "station": ["TRANS -", "RLY -", "PUB TRANS -"], "street": ["ST -", "STREET -", "ST/RD -",
                                                                     "PUBLIC PL -"],
            "code": ["OTH -", "ST -", "PUBLIC PL -"], "area": ["PUBLIC PL -", "OTH -", "OPEN AREA -"],
            "home": ["RES -", "DOM -", "HOME -"], "unknown": ["UNK -", "OTH -", "N/K -"],
            "nonplace": ["OTH -", "N/A -", "MISC -"], "dwelling": ["RES -", "DOM -"]}
FILL_BEFORE = ["PT STATES ", "ALLEGEDLY ", "PT SAYS ", "? ", "APPROX ", "BELIEVED "]
FILL_AFTER = [" ?", " (ALLEGED)", " - PER PT", " APPROX", " ??", " (PT UNSURE)", " - SEE NOTES", " ALLEG."]
TIMES = ["{h}{m}HRS", "{h}{m} HRS", "@{h}{m}", "@ {h}{m}", "AT {h}{m}", "{h}:{m}", "{h}.{m}", "{h}{m}H",
         "APPROX {h}{m}"]
MARKS = ["*", "**", "#", " *", " #", "##", " ***"]


def _time(rng: random.Random, after_digit: bool) -> str:
    forms = [f for f in TIMES if f.startswith(("@", "AT", "APPROX"))] if after_digit else TIMES
    h = rng.choice([19, 20, 21, 22, 23, 0, 0, 1, 1, 2, 2, 3, 4, 14, 16, 17, 18])
    return rng.choice(forms).format(h=f"{h:02d}", m=rng.choice(["00", "15", "30", "45", "10", "50", "20"]))


def _date(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([14, 15, 16, 17, 18, 19])
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d:02d}{m:02d}{y}", f"{d:02d}.{m:02d}.{y}",
                       f"{d:02d}{months[m - 1]}{y}"])


# --- what the old records say ----------------------------------------------------------------------------

PUB_TEXT = ["{v} PH", "{v} P/H", "O/S {v} PH", "IN {v} PH", "{v} PUB", "INSIDE {v}", "{v} - BAR AREA",
            "{v} - TOILETS", "O/S {v}", "REAR OF {v} PH", "BEER GDN {v}", "SMOKING AREA {v}", "{v} PH INSIDE",
            "NR {v} PH", "OPP {v} PH", "{v} PH CAR PK", "DOORWAY {v}", "{v}"]
CLUB_TEXT = ["{v} N/CLUB", "{v} NITECLUB", "O/S {v}", "IN {v}", "{v} - DANCEFLOOR", "{v} QUEUE",
             "DOOR OF {v}", "{v}", "{v} - SMOKING AREA"]
PARK_TEXT = ["{v}", "IN {v}", "{v} NR GATES", "{v} PLAYGRND", "PATH IN {v}", "{v} ENTR", "O/S {v}",
             "{v} NR CAFE", "BENCHES {v}", "{v} BY LAKE", "{v} - FOOTPATH"]
FOOD_TEXT = ["{v}", "IN {v}", "O/S {v}", "INSIDE {v}", "{v} T/A", "{v} TAKEAWAY", "{v} - COUNTER", "OPP {v}",
             "NR {v}", "{v} SHOP", "DOORWAY OF {v}", "{v} PREMISES", "FRONT OF {v}"]

CHAIN_STREET = ["{c} {w}", "{c} - {w}", "O/S {c} {w}", "IN {c}, {w}", "{c} ON {w}", "{w} O/S {c}",
                "{c} STORE {w}", "{c} ({w})", "{w} - {c}"]
CHAIN_STATION = ["{c} NR {s} STN", "{c} BY {s} STN", "{c} OPP {s} STN", "{c} {s} STN", "{c} - {s} STN"]
CHAIN_AREA = ["{c} {a}", "{c} - {a}", "IN {c} {a}", "O/S {c} ({a})", "{c}, {a}"]
CHAIN_ALONE = ["{c}", "IN {c}", "O/S {c}", "INSIDE {c}", "{c} STORE", "{c} CAR PK", "{c} - TILLS",
               "{c} - FRONT", "DOORWAY {c}", "NR {c}", "OPP {c}", "{c} PREMISES"]

HOSPITAL_HERE_TEXT = ["HERE", "THIS DEPT", "IN DEPT", "IN A&E", "A&E WAITING RM", "ED WAITING AREA",
                      "THIS HOSP", "IN THIS HOSP", "HOSP GROUNDS - HERE", "O/S A&E ENTR", "AMB BAY - HERE",
                      "IN MAJORS", "RESUS - HERE", "CAR PK THIS SITE", "ON SITE", "ED TRIAGE",
                      "A&E RECEPTION", "WAITING RM THIS DEPT", "HERE - TOILETS", "THIS SITE", "IN ED",
                      "ON PREMISES (ED)"]
HOSPITAL_NAMED_TEXT = ["{h}", "O/S {h}", "{h} A&E", "{h} CAR PK", "{h} GROUNDS", "IN {h}", "{h} - WARD",
                       "{h} MAIN ENTR", "AT {h}", "{h} - OPD", "{h} O/S ENTR"]

MODES = {"tube": ["U/G", "U/G STN", "TUBE STN", "TUBE", "STN"], "rail": ["STN", "RLY STN", "BR STN",
                                                                    "RAIL STN", "RLY"],
         "overground": ["O/G STN", "STN", "OVERGROUND STN"], "dlr": ["DLR", "DLR STN"],
         "tram": ["TRAM STOP", "TRAMSTOP"]}
STATION_TEXT = ["{s} {m}", "O/S {s} {m}", "IN {s} {m}", "PLATFORM {k} {s} {m}", "{s} {m} TICKET HALL",
                "{s} {m} - BARRIERS", "NR {s} {m}", "OPP {s} {m}", "{s} {m} ENTR", "STEPS {s} {m}",
                "{s} {m} {dir} PLAT", "BUS STOP O/S {s} {m}", "{m} - {s}", "{s} {m} FORECOURT"]

STREET_TEXT = ["{st}", "{n} {st}", "NO.{n} {st}", "O/S NO.{n} {st}", "O/S {n} {st}", "{st} NR NO.{n}",
               "{st} O/S {l}", "O/S {l} {st}", "OPP {l}, {st}", "NR {l} {st}", "{st} {dir}",
               "BUS STOP {st} {dir}", "{st} - PAVEMENT", "ALLEYWAY OFF {st}", "REAR OF {n} {st}", "ON {st}",
               "IN STREET - {st}", "{st} NR SHOPS", "{st} BY PARKED CARS", "NO {n} {st}"]
STREET_QUAL = [" {q}", " ({q})", " - {q}", ", {q}"]
JUNCTION_TEXT = ["{a} J/W {b}", "{a} JW {b}", "JCT {a}/{b}", "JCT OF {a} & {b}", "{a}/{b}", "{a} / {b}",
                 "CNR {a} & {b}", "CNR OF {a}/{b}", "{a} X {b}", "{a} @ {b}", "BUS STOP {a}/{b}",
                 "NR JCT {a} {b}", "X-ING {a}/{b}", "LIGHTS {a} J/W {b}", "{a} AT JCT WITH {b}"]
DIRS = ["E/B", "W/B", "N/B", "S/B"]
POSTCODE_TEXT = ["{p}", "PC {p}", "P/C {p}", "P/C:{p}", "PCODE {p}", "NR {p}", "POSTCODE {p}", "{p} - NFD",
                 "IN {p}", "{p} (PT)", "LOC PC {p}"]
SECTOR_FORM = ["{o} {i}", "{o} {i}**", "{o} {i}..", "{o} {i} ?", "{o} {i}-"]
SECTOR_TEXT = ["{p}", "PC {p} (PART)", "P/C {p} ONLY", "{p} REST N/K", "PART PC {p}", "{p} - INCOMPLETE"]
DISTRICT_TEXT = ["{d}", "{d} AREA", "PC {d}", "{d} - NFD", "P/C {d} ONLY", "{d} GEN AREA", "IN {d}",
                 "SOMEWHERE {d}", "{d} (NO FURTHER)"]
AREA_TEXT = ["{a}", "{a} AREA", "{a} - NFD", "{a} GEN AREA", "VIC OF {a}", "SOMEWHERE IN {a}",
             "{a} (NO EXACT LOC)", "STREET IN {a}", "IN {a}", "{a} - EXACT LOC N/K", "NR {a}"]

HOME_TEXT = ["HOME ADDR", "OWN HSE", "OWN HOME", "HOME", "AT HOME", "H/A", "PTS HOME", "PTS OWN FLAT",
             "HOME ADDRESS", "SAME AS HOME ADDR", "ADDR AS ABOVE", "AS PER ADDR", "HOME - KITCHEN",
             "OWN FLAT", "HOME (DOM)", "DOM - HOME", "OWN PROPERTY", "PTS RESIDENCE", "AT RESIDENCE",
             "HOME ADDR - BEDROOM", "OWN HSE - GARDEN", "HOME/STAIRWELL", "OWN ADDR", "AS HOME ADDR",
             "HOME - FRONT DOOR"]
DWELLING = ["FRIENDS HSE", "FRIENDS FLAT", "MATES HSE", "RELATIVES HSE", "MUMS HSE", "PARTNERS FLAT",
            "EX PARTNERS ADDR", "BFS FLAT", "GFS HSE", "AUNTS HSE", "NEIGHBOURS FLAT", "PARTY AT FRIENDS HSE",
            "BROTHERS FLAT", "DADS ADDR", "SISTERS HSE", "COUSINS FLAT", "GRANS HSE", "FRIENDS ADDR",
            "ACQUAINTANCES FLAT", "EXS HSE", "STEPDADS HSE", "UNCLES FLAT"]
UNKNOWN = ["UNK", "N/K", "NOT STATED", "REFUSED", "NOT GIVEN", "DECLINED", "PT UNSURE", "NOT KNOWN", "?",
           "??", "UNKNOWN", "N/A", "NK", "U/K", "PT CANNOT RECALL", "NOT RECORDED", "NIL", "-", "NO DETAILS",
           "PT WOULD NOT SAY", "REF", "AS ABOVE", "SAME", "SEE NOTES", "NOT ASKED", "UNABLE TO OBTAIN",
           "INTOX - N/K", "UNK LOC", "NOT DISCLOSED"]
NON_PLACES = ["POLICE CELLS", "HMP", "HMP - CELL", "IN CUSTODY", "POLICE STN CELLS", "AT WORK", "WORK",
              "PLACE OF WORK", "IN VEH", "IN CAR", "IN TAXI", "ON BUS", "ON TRAIN", "ABROAD", "OVERSEAS",
              "ON HOLIDAY ABROAD", "VARIOUS", "VARIOUS LOCS", "PARTY", "AT PARTY", "NFA", "NFA - ON STREETS",
              "AT SCHOOL", "SCHOOL", "COLLEGE", "NIGHTCLUB", "IN PUB", "IN PARK", "IN STREET", "IN SHOP",
              "HOSTEL", "CARE HOME", "RES HOME", "BUILDING SITE", "PRISON VAN", "IN AMB", "MINICAB", "LIFT",
              "STAIRWELL", "ON BOAT", "OUT OF AREA", "O/A", "FOOTBALL MATCH", "GIG", "FESTIVAL", "IN PRISON",
              "YOI", "DETENTION CTR", "REFUGE", "B&B", "HOTEL RM", "CHURCH", "MOSQUE", "GYM",
              "WORK - KITCHEN", "IN VAN", "ON N/BUS", "AT A WEDDING", "OFFICE", "WAREHOUSE", "FACTORY",
              "CELL"]


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


_STREETISH = (r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|drive|square|parade|close|hill|"
              r"way|rise|walk|row|mews|green)$")
_WARD_NOT = ["and", "ward", "hospital", "road", "street", "lane", "park", "common", "fields", "gardens",
             "station", "north", "south", "east", "west", "central", "upper", "lower", "town", "village"]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"


def _ward_fine(name: str | None) -> bool:
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


def _acronym(name: str) -> str | None:
    """A hospital of three words or more by its initials ("KINGS COLLEGE HOSPITAL" -> "KCH")."""
    words = re.sub(r"['’]", "", _clean_name(name)).upper().split()
    if words and words[0] == "THE":
        words = words[1:]
    if not 3 <= len(words) <= 5 or words[-1] != "HOSPITAL" or any(w in ("AND", "OF", "THE") for w in words) \
            or not all(w.isalpha() for w in words):
        return None
    return "".join(w[0] for w in words)


# --- a record --------------------------------------------------------------------------------------------

def _entry(rng: random.Random, form: str, slots: dict[str, Slot]) -> tuple[str, int | None, bool, set[str]]:
    """What reception typed into the fixed field: the template with its names (a space doubled now and
    then), cut to the field's width or padded to it; the width (None: the wider field), whether a name lost
    letters (a slip or the cut: ``typo``), and the qualifiers the cut lost whole."""
    pieces = _pieces(form, slots)
    if rng.random() < DOUBLE_P:
        spots = [i for i, (t, _) in enumerate(pieces) if " " in t]
        if spots:
            i = rng.choice(spots)
            t = pieces[i][0]
            j = rng.choice([m.start() for m in re.finditer(" ", t)])
            pieces[i] = (t[:j] + " " + t[j:], pieces[i][1])
    width: int | None = rng.choice(WIDTHS)
    got = _cut(pieces, slots, width)
    if got is None:
        got = _cut(pieces, slots, None)
        width = None
    kept, damaged, lost = got
    body = "".join(p for p, _ in kept)
    typo = damaged or any(s.slipped for s in slots.values())
    if width and len(body) < width:
        r = rng.random()
        if r < PAD_P:
            body = body.ljust(width)
        elif r < PAD_P + STAR_P:
            body = body + "*" * (width - len(body))
    return body, width, typo, lost


def _record(rng: random.Random, form: str, slots: dict[str, Slot], plain: dict[str, str],
            cat: str) -> tuple[str, bool, set[str]]:
    """The exported record: the typed entry (``_entry``), its label or category code, a date, a time,
    markers, the case; whether a name lost letters (``typo``), and the qualifiers the cut lost whole."""
    for key, val in plain.items():
        form = form.replace("{" + key + "}", val)
    if rng.random() < FILL_P:
        form = rng.choice(FILL_BEFORE) + form if rng.random() < 0.5 else form + rng.choice(FILL_AFTER)
    body, _width, typo, lost = _entry(rng, form, slots)
    text = body
    r = rng.random()
    if r < LABEL_P:
        lab = rng.choice(LABELS)
        glued = lab.rstrip() if rng.random() < GLUE_P else lab
        text = glued + ("" if glued.endswith((" ", ":", "-", "=", "/")) else " ") + text
    elif r < LABEL_P + CODE_P:
        code = rng.choice(CATEGORY[cat])
        text = code + ("" if rng.random() < GLUE_P else " ") + text
    if rng.random() < TIME_P:
        after_digit = bool(re.search(r"[0-9]\W*$", body)) or any(s.code for s in slots.values())
        when = _time(rng, after_digit)
        if body.endswith(" "):                       # the padded field, then the time field
            text += when
        else:
            glue = not after_digit and re.search(r"[A-Za-z]{3}$", body) and when[0].isdigit()
            text += rng.choice(["", " ", " ", "  ", " / "] if glue else [" ", " ", "  ", " / "]) + when
    if rng.random() < DATE_P:
        text = _date(rng) + rng.choice([" ", " ", "  ", " - "]) + text
    if rng.random() < MARK_P and not text.endswith((" ", "*")):
        text += rng.choice(MARKS)
    if rng.random() < LOWER_P:
        text = text.lower()
    return text, typo, lost


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``legacy`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}|{salt}|{SEED}|' || {expr})"

    site_near = reporting_site_chooser(conn, rng, none_unplaced=0.25, none_placed=0.07, nearest=0.84,
                                       second=0.95)
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def add(cls, form, level, cat, x=None, y=None, fid=None, site="near", slots=None, plain=None,
            relabel=None):
        code = site_near(x, y) if site == "near" else site
        text, typo, lost = _record(rng, form, slots or {}, plain or {}, cat)
        if relabel and lost and relabel[0] <= lost:
            cls = relabel[1]
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name is unique in the gazetteer: pubs, parks, and food premises.
    quota = {"pub": round(k["venue"] * 0.38), "park": round(k["venue"] * 0.08)}
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=32)
    for fid, name, kind, x, y, business in rows[:k["venue"]]:
        if kind == "pub":
            forms, cat = PUB_TEXT, "pub"
        elif kind == "park":
            forms, cat = PARK_TEXT, "park"
        elif re.search(r"(?i)\b(club|nightclub)\b", name):
            forms, cat = CLUB_TEXT, "club"
        elif re.search(r"(?i)\b(bar|lounge|tavern|inn|arms)\b", name) or "pub" in (business or "").lower():
            forms, cat = PUB_TEXT, "pub"
        else:
            forms, cat = FOOD_TEXT, "food"
        slot = _name_slot(rng, name, "venue", drop_the=0.25 if kind == "park" else THE_DROP_P)
        add("venue", rng.choice(forms), "venue", cat, x, y, fid, slots={"v": slot})

    # Chains: a branch of a brand with four or more branches; some records say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(conn, salted, CHAINS, per,
                                                                            k["chain"]):
        bw = rng.choice(BRANDS.get(brand, [brand.upper()])).split()
        c = Slot(bw, True, key=len(bw) - 1 if len(bw[-1]) > 3 or len(bw) == 1 else 0)
        cat = "pub" if brand == "wetherspoon" else "chain"
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()/]", street)
        if r < 0.28 and street_ok:
            add("chain", rng.choice(CHAIN_STREET), "venue", cat, x, y, fid,
                slots={"c": c, "w": _name_slot(rng, street, "chain", primary=False)},
                relabel=({"w"}, "chain, no locality"))
        elif r < 0.40 and stn:
            add("chain", rng.choice(CHAIN_STATION), "venue", cat, x, y, fid,
                slots={"c": c, "s": _name_slot(rng, _station_name(stn), "chain", primary=False)},
                relabel=({"s"}, "chain, no locality"))
        elif r < 0.50 and _ward_fine(ward):
            add("chain", rng.choice(CHAIN_AREA), "venue", cat, x, y, fid,
                slots={"c": c, "a": _name_slot(rng, ward, "chain", primary=False)},
                relabel=({"a"}, "chain, no locality"))
        elif r < 0.58 and district:
            add("chain", rng.choice(CHAIN_AREA).replace("{a}", "{d}"), "venue", cat, x, y, fid,
                slots={"c": c, "d": _code_slot(rng, district, "chain", primary=False)},
                relabel=({"d"}, "chain, no locality"))
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", cat, x, y, fid, slots={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here", "this dept"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, salted, here_k):
        add("hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", "hospital", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        acro = _acronym(name) if has_ed else None          # initials only for a big hospital with an A&E
        if acro and rng.random() < ACRONYM_P:
            slot = Slot([acro], True, key=0)
        else:
            slot = _name_slot(rng, name, "hospital", drop_the=0.8)
        add("hospital", rng.choice(HOSPITAL_NAMED_TEXT), "venue", "hospital", x, y, fid, slots={"h": slot})

    # Stations near an A&E site, with the old system's word for the kind of station.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        mode = _mode(source, net, lines, name)
        slot = _name_slot(rng, _station_name(name), "station", drop_the=0.0)
        add("station", rng.choice(STATION_TEXT), "venue", "station", x, y, fid, slots={"s": slot},
            plain={"m": rng.choice(MODES[mode]), "k": str(rng.randint(1, 8)), "dir": rng.choice(DIRS)})

    # Streets: a random point of the street; common names often get a ward or postcode district; some
    # say the pub or shop within 120 m of the point they were outside.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(conn, salted, _STREETISH,
                                                                          k["street"]):
        form = rng.choice(STREET_TEXT)
        slots = {"st": _name_slot(rng, name, "street")}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None or not _words(random.Random(0), landmark, 0.0):
                form = rng.choice(["{st}", "ON {st}", "{st} - PAVEMENT"])
            else:
                slots["l"] = _name_slot(rng, landmark, "street", primary=False)
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _ward_fine(ward) and (not district or rng.random() < 0.5):
                form += rng.choice(STREET_QUAL)
                slots["q"] = _name_slot(rng, ward, "street", primary=False)
            elif district:
                form += rng.choice(STREET_QUAL)
                slots["q"] = _code_slot(rng, district, "street", primary=False)
        add("street", form, "street", "street", x, y, fid, slots=slots,
            plain={"n": str(rng.choice([rng.randint(1, 30), rng.randint(1, 200)])), "dir": rng.choice(DIRS)})

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_name_slot(rng, part.strip(), "junction") for part in name.split("/"))
        if rng.random() < 0.45:
            a, b = b, a
        add("junction", rng.choice(JUNCTION_TEXT), "junction", "street", x, y, slots={"a": a, "b": b})

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        add("postcode", rng.choice(POSTCODE_TEXT), "postcode", "code", x, y,
            slots={"p": _code_slot(rng, _pc_typed(rng, display), "postcode")})
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        o, i = sector.split()
        typed = rng.choice(SECTOR_FORM).format(o=o, i=i)
        add("sector", rng.choice(SECTOR_TEXT), "sector", "code", x, y,
            slots={"p": _code_slot(rng, typed, "sector")})
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        add("district", rng.choice(DISTRICT_TEXT), "district", "code", x, y,
            slots={"d": _code_slot(rng, district, "district")})

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 9967, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", "area", x, y, fid,
            slots={"a": _name_slot(rng, name, "area")})

    # No place: own home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_TEXT), "home", "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none", "unknown")
    for i in range(k["nonplace"]):
        if i % 6 == 2:
            add("nonplace", rng.choice(DWELLING), "home", "dwelling")
        else:
            add("nonplace", rng.choice(NON_PLACES), "none", "nonplace")
    rng.shuffle(out)
    return out
