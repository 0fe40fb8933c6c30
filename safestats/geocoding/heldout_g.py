"""A seventh held-out family of labelled assault locations, ``ocr``: the location as written by hand on a
paper ISTV / A&E assault form, later scanned and read by optical character recognition.

Written 2026-12-06, started 20:00:55 UTC and finished 20:12:12 UTC (``date -u``), by a helper session asked to
write a family the geocoder's developers have never seen. What was read to write it: the whole of
``heldout_f.py`` (the model for the module's structure, for how truths are drawn from the gazetteer, how the
reporting A&E site is chosen, the class shares and the docstring); ``sites.py``; ``IndependentExample``,
``CHAINS`` and ``_clean_name`` of ``independent.py`` (with, from a ``grep -n`` for definitions in that file,
the names of its functions and the first line of each top-level constant: ``FAMILIES``, ``SEEDS``, and the
opening line, a few entries, of ``NONPLACES_NONE``, ``NONPLACES_HOME``, ``UNKNOWN``, ``HOME``, ``ROOM_DESK``,
``ROOM_NOTES``, ``STATION_WORDS`` and ``ROAD_ABBR``; nothing more of them); the ``FAMILY`` and ``SEED`` lines
of heldout.py and heldout_b.py .. heldout_f.py (to pick an unused name and seed);
tests/geocoding/test_heldout_dictation.py and tests/geocoding/conftest.py; the column lists and a few sample
rows of gazetteer.feature, gazetteer.source_feature, gazetteer.postcode and health.ae_site (psql: random
feature rows, a few station and hospital names, bus stops named "A / B"), and the count of gazetteer features
by kind; and this module's own output (``generate(conn, 900)`` on the dev gazetteer: class counts, typo share,
sample texts) while writing it, and the results of its own test file tests/geocoding/test_heldout_ocr.py (the
only tests run). Not read: anything under db/functions/, db/schema.sql, docs/geocoding.md,
safestats/geocoding/evaluation.py, blind*.py, blind_nonplaces.txt, diagnose.py, the phrase lists of heldout.py
and heldout_b.py .. heldout_e.py, tests/geocoding/test_geocoder*, /work/scratch. Every phrase, abbreviation,
the confusion tables and the noise model below were written fresh for this module. The geocoder was never run
on these texts (no call of safestats.geocode or geocode_candidates, no ``make eval-geocoder``, no evaluation
module).

Style. A receptionist or nurse writes the location in the form's box, in block capitals or in joined-up
writing, with their own abbreviations ("o/s", "opp", "nr", "jct", "Rd", "St", "Stn", "Hosp", "Pk", "PH",
"@", "&"; "the" mostly left out); the form is scanned and OCR reads it. The reader's noise, drawn with a
per-class probability: characters confused ("rn" <-> "m", "cl" <-> "d", "li" <-> "h", "e" <-> "c",
"vv" <-> "w" in joined-up writing; "O" <-> "0", "I" <-> "1" <-> "l", "S" <-> "5", "B" <-> "8", "VV" <-> "W"
in capitals; letter/digit look-alikes only inside a postcode, whose spaces are never touched), a space lost
between two words or an extra one put inside a word, a word broken across the box's line ("BRIX- TON"),
two written lines run together; and, changing no word: stray marks read as punctuation ("|", "~", "'", ".",
","), the box's printed label captured with the text ("LOCATION:", "Where did it happen?"), tick-box residue
("[x]") and now and then the next box's label. ``typo`` is true exactly when the noise changed a word (the
lower-case letter and digit runs of the written text are not all found in the scanned one).

Classes and shares as in the other held-out families: venues with a unique name (pubs, parks, food
premises, clubs), chain branches with a locality (street, nearby station, ward, postcode district) and
without, hospitals (a fifth "here" / "in dept" texts whose truth is the reporting site itself), stations,
street points, junctions (a bus stop named after two streets), postcode units, sectors and districts, wards,
the patient's own home (level home), stated unknowns (level none) and non-places (custody, work, a car,
abroad ...; one in six a friend's or relative's home, level home). Truths and the reporting site are drawn
from the gazetteer with the same queries' logic as heldout_f, ordered by a hash salted with this family's
SEED, so a given gazetteer and ``n`` always give the same set.

This family has never been used to develop the geocoder or fit its calibration.

Status since its first run: its failures were read from 2026-12-06 22:55 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "ocr"
SEED = 2_716_583

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12, "junction": 0.07,
          "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05, "home": 0.06, "unknown": 0.05,
          "nonplace": 0.10}

# the chance that the reader confuses characters in any one word, by class (joined-up writing: more)
OCR_P = {"venue": 0.075, "chain": 0.07, "hospital": 0.06, "station": 0.075, "street": 0.075, "junction": 0.07,
         "postcode": 0.05, "sector": 0.05, "district": 0.05, "area": 0.08, "home": 0.06, "unknown": 0.05,
         "nonplace": 0.06}

# --- the hand ---------------------------------------------------------------------------------------------

# a word as the writer shortens it (any one of these); the first is the one tests compare with
ABBREV = {"road": ["rd", "rd."], "street": ["st", "st."], "saint": ["st", "st."], "avenue": ["ave", "av"],
          "lane": ["ln", "la"], "gardens": ["gdns", "gdn"], "park": ["pk"], "station": ["stn"],
          "hospital": ["hosp", "hosp."], "square": ["sq"], "crescent": ["cres"], "place": ["pl"],
          "terrace": ["terr", "ter"], "grove": ["gr", "gro"], "close": ["cl"], "court": ["ct"],
          "drive": ["dr"], "green": ["grn"], "market": ["mkt"], "estate": ["est"], "mount": ["mt"],
          "junction": ["jct", "jcn"], "parade": ["pde"], "broadway": ["bdwy"], "gate": ["gt"]}

_COMPANY = re.compile(r"(?i)[\s,.\-]*\b(limited|ltd|plc|llp|t/a\b.*|c/o\b.*)\.?\s*$")


def _hand_name(rng: random.Random, name: str, drop_the: float = 0.5, short: float = 0.45) -> str:
    """A gazetteer name as the writer puts it down, in lower case (the case comes later): no brackets or
    company suffix, "the" often left out, apostrophes often dropped, road words often shortened."""
    s = _COMPANY.sub("", _clean_name(name)).lower().replace("’", "'")
    s = re.sub(r"[,;:!?\"]", " ", s)
    words = s.split()
    if len(words) > 1 and words[0] == "the" and rng.random() < drop_the:
        words = words[1:]
    out = []
    for i, w in enumerate(words):
        key = w.rstrip(".")
        if key == "st" and i == 0:
            key = "saint"
        if key in ABBREV and rng.random() < short:
            w = rng.choice(ABBREV[key])
        elif key == "st" and rng.random() < 0.3:
            w = "st."
        out.append(w)
    s = " ".join(out)
    if "'" in s and rng.random() < 0.45:
        s = s.replace("'", "")
    return s


def _stn_written(name: str) -> str:
    """A station's own name as written: no bracketed place or line, no network suffix, no "station", and
    "London" left off a terminus ("Victoria", "Euston"), in lower case."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\s+-\s+(dlr|tram|tramlink)\s*$", "", s.strip())
    s = re.sub(r"(?i)\s+(lu|lo|el|tfl|dlr|rail station|railway station|station)\s*$", "", s.strip())
    s = " ".join(s.lower().replace("’", "'").split())
    m = re.fullmatch(r"london (victoria|waterloo|waterloo east|euston|paddington|fenchurch street|marylebone|"
                     r"liverpool street|charing cross|cannon street|blackfriars|kings cross|st pancras.*)", s)
    return m.group(1) if m else s


def _station_mode(source: str, network: str | None, lines: str | None) -> str:
    if source == "naptan_rail":
        return "rail"
    net = f"{network or ''} {lines or ''}".lower()
    for word, mode in (("dlr", "dlr"), ("tram", "tram"), ("overground", "overground"), ("tfl rail", "rail")):
        if word in net:
            return mode
    return "tube"


_ROAD_WORD = ("(road|street|lane|avenue|grove|way|place|hill|rise|gardens|terrace|close|crescent|drive|walk|"
              "row|square|parade|green|mews|park|court|vale|gate)$")

_WARD_BAD_WORDS = ["and", "hospital", "street", "road", "north", "south", "east", "west", "central", "upper",
                   "lower", "ward"]
_WARD_BAD = re.compile(r"&|[0-9]|\b(?:" + "|".join(_WARD_BAD_WORDS) + r")\b", re.I)
_WARD_BAD_PG = r"&|[0-9]|\m(" + "|".join(_WARD_BAD_WORDS) + r")\M"


def _ward_ok(name: str | None) -> bool:
    """A ward name a writer would put down for a place."""
    return bool(name) and not _WARD_BAD.search(name) and len(name.split()) <= 3


# --- the scanner ------------------------------------------------------------------------------------------

# (written, read) pairs; a pair applies where ``written`` occurs in a word, case and all
CONFUSE_JOINED = [("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("li", "h"), ("h", "li"), ("e", "c"),
                  ("c", "e"), ("w", "vv"), ("vv", "w"), ("l", "1"), ("l", "I"), ("i", "l"), ("o", "0"),
                  ("s", "5"), ("a", "o"), ("u", "v"), ("n", "ri"), ("g", "q"), ("t", "f"), ("k", "lc"),
                  ("y", "v")]
CONFUSE_CAPS = [("M", "RN"), ("RN", "M"), ("D", "CL"), ("CL", "D"), ("O", "0"), ("0", "O"), ("I", "1"),
                ("I", "l"), ("I", "|"), ("1", "I"), ("1", "l"), ("L", "1"), ("S", "5"), ("5", "S"),
                ("B", "8"), ("8", "B"), ("W", "VV"), ("VV", "W"), ("E", "F"), ("U", "V"), ("G", "6"),
                ("6", "G"), ("Z", "2"), ("2", "Z"), ("Q", "O"), ("H", "N"), ("K", "X")]
# inside a postcode only a letter and the digit it looks like
CONFUSE_PC = [("0", "O"), ("O", "0"), ("1", "I"), ("I", "1"), ("5", "S"), ("S", "5"), ("8", "B"), ("B", "8")]

STRAY = ["|", "~", "'", ".", ",", "-", "_", ":", ";", "`", "^", "*", "\""]
LABELS = ["LOCATION:", "Location:", "Location of incident:", "Where did it happen?",
          "WHERE DID THE ASSAULT HAPPEN?", "Place of assault:", "Loc.", "LOCATION OF INCIDENT",
          "Where did the incident occur?", "Incident location -", "Where?", "Place:"]
TICKS = ["[x]", "[X]", "[ ]", "[/]", "(x)", "[v]", "[]", "[x ]", "[+]"]
NEXT_BOX = ["TIME:", "Time of assault:", "Weapon used?", "Date:", "Assailant known?", "Police informed?"]


def _tokens(marked: str) -> list[list]:
    """The words of a marked text as [word, role, group, space_before]: role "w" (a template word), "name"
    or "pc"; a name's or postcode's words share a group, so no break goes inside it."""
    out: list[list] = []
    for g, m in enumerate(re.finditer(r"\x0e([^\x0f]*)\x0f|\x10([^\x11]*)\x11|([^\s\x0e\x10]+)", marked)):
        space = m.start() == 0 or marked[m.start() - 1].isspace()
        if m.group(1) is not None:
            out += [[w, "name", g, space if i == 0 else True] for i, w in enumerate(m.group(1).split())]
        elif m.group(2) is not None:
            out += [[w, "pc", g, space if i == 0 else True] for i, w in enumerate(m.group(2).split())]
        else:
            out.append([m.group(3), "w", g, space])
    return out


def _titled(w: str) -> str:
    return w[:1].upper() + w[1:] if w.islower() else w


def _handwrite(rng: random.Random, toks: list[list]) -> bool:
    """The writer's case: block capitals (true) or joined-up writing, with names capitalised (now and then
    all in lower case)."""
    if rng.random() < 0.55:
        for t in toks:
            t[0] = t[0].upper()
        return True
    lower_names = rng.random() < 0.12
    for t in toks:
        if t[1] == "name" and not lower_names:
            t[0] = _titled(t[0])
        elif t[1] == "pc":
            t[0] = t[0].upper()
    return False


def _confuse(rng: random.Random, word: str, table: list[tuple[str, str]]) -> str:
    spots = [(m.start(), a, b) for a, b in table for m in re.finditer(re.escape(a), word)]
    if not spots:
        return word
    i, a, b = rng.choice(spots)
    return word[:i] + b + word[i + len(a):]


def _alnum(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def _render(toks: list[list]) -> str:
    text = "".join((" " if t[3] and i else "") + t[0] for i, t in enumerate(toks))
    return " ".join(text.split())


def _misread(rng: random.Random, toks: list[list], p: float) -> int:
    """Characters confused, spaces lost or added, a word broken at the line's end, the lines run together;
    returns how many of these changed a word (at most three)."""
    changes = 0
    for t in toks:
        if changes >= 3:
            break
        if t[1] == "pc":
            if rng.random() < p * 0.6:
                new = _confuse(rng, t[0], CONFUSE_PC)
            else:
                continue
        elif rng.random() < p and any(c.isalnum() for c in t[0]):
            table = CONFUSE_CAPS if t[0].upper() == t[0] else CONFUSE_JOINED + CONFUSE_CAPS
            new = _confuse(rng, t[0], table)
        else:
            continue
        if _alnum(new) != _alnum(t[0]):
            t[0] = new
            changes += 1

    def joinable(j: int) -> bool:                       # a space between two letters / digits
        return (toks[j][3] and toks[j - 1][0][-1:].isalnum() and toks[j][0][:1].isalnum()
                and toks[j][1] != "pc" and toks[j - 1][1] != "pc")

    if changes < 3 and rng.random() < p * 0.9:                         # a space lost
        gaps = [j for j in range(1, len(toks)) if joinable(j) and len(toks[j - 1][0]) + len(toks[j][0]) <= 14]
        if gaps:
            toks[rng.choice(gaps)][3] = False
            changes += 1
    if changes < 3 and rng.random() < p * 0.6:                         # a space put inside a word
        long = [j for j, t in enumerate(toks) if t[1] != "pc" and re.fullmatch(r"[A-Za-z]{6,}", t[0])]
        if long:
            j = rng.choice(long)
            w = toks[j][0]
            cut = rng.randint(2, len(w) - 2)
            toks[j:j + 1] = [[w[:cut], toks[j][1], toks[j][2], toks[j][3]],
                             [w[cut:], toks[j][1], toks[j][2], True]]
            changes += 1
    if len(toks) > 1 and rng.random() < 0.2:                           # the writing ran onto a second line
        if changes < 3 and rng.random() < 0.3:                         # ... mid-word, with a hyphen
            long = [j for j, t in enumerate(toks) if t[1] != "pc" and re.fullmatch(r"[A-Za-z]{6,}", t[0])]
            if long:
                j = rng.choice(long)
                w = toks[j][0]
                cut = rng.randint(3, len(w) - 3)
                toks[j:j + 1] = [[w[:cut] + "-", toks[j][1], toks[j][2], toks[j][3]],
                                 [w[cut:], toks[j][1], toks[j][2], rng.random() < 0.7]]
                changes += 1
        else:                                                          # ... between words, lines joined
            gaps = [j for j in range(1, len(toks)) if toks[j][2] != toks[j - 1][2] and toks[j][3]]
            if gaps:
                j = rng.choice(gaps)
                r = rng.random()
                if r < 0.2 and changes < 3 and joinable(j):
                    toks[j][3] = False
                    changes += 1
                elif r < 0.45:
                    toks[j:j] = [[rng.choice(["|", "/", "~", "-"]), "mark", -1, True]]
    return changes


def _smudge(rng: random.Random, toks: list[list]) -> None:
    """Stray marks, the box's label, tick-box residue and the next box's label: no word changes."""
    r = rng.random()
    for _ in range(2 if r < 0.08 else 1 if r < 0.3 else 0):            # never inside a name, a postcode
        j = rng.choice([j for j in range(len(toks) + 1)                # or two words run together
                        if j in (0, len(toks)) or toks[j][2] != toks[j - 1][2] and toks[j][3]])
        toks[j:j] = [[rng.choice(STRAY), "mark", -1, rng.random() < 0.6]]
    if rng.random() < 0.14:
        toks[0:0] = [[w, "label", -2, True] for w in rng.choice(LABELS).split()]
    r = rng.random()
    if r < 0.06:
        toks[0:0] = [[rng.choice(TICKS), "tick", -3, True]]
    elif r < 0.09:
        toks.append([rng.choice(TICKS), "tick", -3, True])
    if rng.random() < 0.04:
        toks += [[w, "label", -4, True] for w in rng.choice(NEXT_BOX).split()]


def _scan(rng: random.Random, marked: str, p: float) -> tuple[str, bool]:
    """A marked text as written by hand and read back by OCR, and whether the reading changed a word."""
    toks = _tokens(marked)
    if not _handwrite(rng, toks):
        p *= 1.4                                                       # joined-up writing reads worse
    changes = _misread(rng, toks, p)
    _smudge(rng, toks)
    return _render(toks), changes > 0


def _n(s: str) -> str:
    """A name, marked: no line break or stray mark inside it."""
    return f"\x0e{s}\x0f"


def _p(s: str) -> str:
    """A postcode, marked: only letter / digit look-alikes change, its spaces never."""
    return f"\x10{s}\x11"


# --- what is written --------------------------------------------------------------------------------------

PUB_TEXT = ["{v} PH", "o/s {v} pub", "in {v}", "{v} pub garden", "smoking area @ {v}", "inside {v} (pub)",
            "toilets of {v} PH", "{v} - bar area", "outside {v}", "{v} pub, at closing", "beer gdn {v}",
            "door of {v} pub", "{v} public house"]
PARK_TEXT = ["{v}", "in {v}", "walking thru {v}", "{v} nr the gates", "playground in {v}", "by cafe in {v}",
             "on path thru {v}", "{v} - by the pond", "bench in {v}"]
FOOD_TEXT = ["inside {v}", "o/s {v}", "{v} shop", "queue @ {v}", "{v} takeaway", "in {v} (restaurant)",
             "counter of {v}", "o/s {v} shopfront", "{v} - inside", "in {v} cafe", "@ {v}", "doorway of {v}"]
CLUB_TEXT = ["{v} club", "queue for {v} nightclub", "inside {v} club", "dance floor {v}", "o/s {v} n/club"]

CHAIN_WRITTEN = {"tesco": ["Tesco", "Tescos", "Tesco Exp"], "sainsburys": ["Sainsburys", "Sainsbury's",
                 "Sainsburys Local"], "costa": ["Costa", "Costa Coffee"], "starbucks": ["Starbucks"],
                 "mcdonalds": ["McDonalds", "McDonald's", "Mc Donalds"], "kfc": ["KFC", "K.F.C"],
                 "aldi": ["Aldi"], "lidl": ["Lidl", "Lidls"], "greggs": ["Greggs", "Greggs bakers"],
                 "subway": ["Subway"], "pret": ["Pret", "Pret a Manger"], "nandos": ["Nandos", "Nando's"],
                 "iceland": ["Iceland"], "morrisons": ["Morrisons", "Morrison's"], "asda": ["Asda", "ASDA"],
                 "waitrose": ["Waitrose"], "wetherspoon": ["Wetherspoons", "Weatherspoons"],
                 "dominos": ["Dominos", "Domino's"], "boots": ["Boots", "Boots chemist"],
                 "londis": ["Londis"], "budgens": ["Budgens"], "wasabi": ["Wasabi"], "itsu": ["Itsu"],
                 "leon": ["Leon"], "wilko": ["Wilko", "Wilkos"]}
CHAIN_ALONE = ["{c}", "in {c}", "o/s {c}", "{c} car pk", "{c} - at tills", "inside {c} store", "@ {c}",
               "{c} nr home", "local {c}", "{c} shop doorway", "{c} (inside)", "queue in {c}"]
CHAIN_STREET = ["{c} {w}", "o/s {c} on {w}", "{c}, {w}", "in {c} - {w}", "{c} ({w})"]
CHAIN_STATION = ["{c} nr {s} Stn", "{c} @ {s} stn", "o/s {c} opp {s} Stn", "{c} by {s} station"]
CHAIN_AREA = ["{c} {a}", "in {c} ({a})", "o/s {c} in {a}", "{c} - {a}", "{c}, {a}"]

HOSPITAL_HERE_TEXT = ["here", "in dept", "A&E waiting rm", "in our waiting room", "resus", "majors",
                      "this hosp", "ED waiting area", "o/s A&E entrance", "amb bay", "triage",
                      "in dept - by another pt", "paeds A&E", "hosp car pk", "smoking shelter o/s ED",
                      "HERE (A&E)", "in this dept", "at reception here", "here - ED cubicle",
                      "waiting area, this A&E"]
HOSPITAL_ED_TEXT = ["{h} A&E", "o/s {h} A+E", "{h} car pk", "{h} ED", "waiting rm {h} A&E",
                    "@ {h} emergency dept", "{h} - ward", "entrance to {h} A&E", "{h} (A&E)"]
HOSPITAL_OTHER_TEXT = ["{h}", "o/s {h}", "grounds of {h}", "ward @ {h}", "in {h}", "{h} - car park"]

MODE_WRITTEN = {"tube": ["Tube Stn", "tube", "U/G", "Underground Stn", "tube station"],
                "rail": ["Stn", "station", "rly stn", "train stn", "BR stn"],
                "overground": ["Overground", "o/ground stn", "overground stn"],
                "dlr": ["DLR", "DLR stn"], "tram": ["tram stop", "tram stn"]}
STATION_TEXT = ["{s} {m}", "o/s {s} {m}", "platform @ {s} {m}", "stairs {s} {m}", "ticket barriers {s} {m}",
                "{s} {m} entrance", "ticket hall - {s} {m}", "bus stop o/s {s} {m}", "nr {s} {m}",
                "lift @ {s} {m}", "escalator {s} {m}", "footbridge {s} {m}", "{s} {m} (platform)",
                "on train @ {s} {m}"]

STREET_TEXT = ["{st}", "on {st}", "o/s no. {n} {st}", "{n} {st} - o/s", "{st} bus stop", "{st} nr {l}",
               "o/s {l} {st}", "pavement {st}", "corner of {st}", "walking down {st}", "alley off {st}",
               "{st} by shops", "on {b} bus, {st}", "bus stop {st} ({b} bus)", "in road - {st}",
               "{st} opp {l}", "somewhere on {st}", "outside {n} {st}", "{st} - street"]
JUNCTION_TEXT = ["jct {a} & {b}", "{a}/{b}", "{a} j/w {b}", "corner {a} & {b}", "lights @ {a} / {b}",
                 "{a} jcn {b}", "junction of {a} and {b}", "x-roads {a} & {b}", "{a} x {b}",
                 "bus stop {a}/{b}", "crossing {a} nr {b}", "{a} @ {b}", "{a} corner {b}",
                 "{a} / {b} jct"]
POSTCODE_TEXT = ["{p}", "PC {p}", "post code {p}", "o/s house {p}", "{p} (approx)", "nr {p}", "pt says {p}",
                 "street @ {p}", "{p} ?", "p/c {p}"]
SECTOR_TEXT = ["{p} area", "somewhere {p}", "around {p}", "pc starts {p}", "pc {p}**", "{p} - ?",
               "postcode {p}.."]
DISTRICT_TEXT = ["{d}", "{d} area", "somewhere in {d}", "around {d}", "{d} (not sure where)", "pc {d}"]
AREA_TEXT = ["{a}", "in {a}", "{a} area", "somewhere in {a}", "{a} estate", "street in {a}", "nr {a}",
             "{a} - out", "walking thru {a}", "{a} (on the street)"]

HOME_TEXT = ["home", "at home", "own home", "pt's home", "home address", "pt's flat", "at home - kitchen",
             "home (bedroom)", "own flat", "at her home", "at his home", "pt home address", "home - hallway",
             "home, on stairs", "in garden at home", "own house", "front door of home", "pts own home",
             "at home by partner", "at home - front room", "living room at home", "in his flat"]
DWELLING = ["friend's house", "friends flat", "mate's flat", "at his mum's", "her mum's house", "bf's flat",
            "gf's house", "cousin's house", "sister's flat", "nan's house", "at dad's", "aunt's flat",
            "ex partner's flat", "uncle's house", "friend's party (house)", "brothers flat",
            "neighbour's flat", "flat next door", "a friend's place", "mates house party",
            "grandparents house", "partner's mum's house"]
UNKNOWN = ["unknown", "not known", "N/K", "pt unable to say", "pt doesn't remember", "?", "?? not sure",
           "not stated", "declined to say", "pt too drunk to say", "not given", "unclear", "no info",
           "can't remember", "pt vague", "not disclosed", "did not say", "unknown - pt confused", "refused",
           "don't know", "n/k - pt unsure", "not recorded"]
NON_PLACES = ["police custody", "in custody", "work", "at work", "workplace", "in car", "in a car", "abroad",
              "on holiday abroad", "prison", "HMP", "taxi", "in a cab", "on bus", "on a night bus", "school",
              "at school", "festival", "on train", "in van", "in a cell", "cell", "night out", "gym",
              "wedding", "football match", "on tube", "uber", "building site", "care home", "college", "uni",
              "party", "house party", "lift", "stairwell", "hostel", "shelter", "police stn",
              "on way to work", "gig", "at a club", "nightclub", "pub", "in a shop", "park", "street",
              "restaurant", "church", "mosque", "ambulance", "job centre", "train stn", "bus stop",
              "on a boat", "concert", "at a bbq", "on holiday", "supported housing", "youth club"]


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``ocr`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}:{salt}:{SEED}:' || {expr})"

    site_near = reporting_site_chooser(conn, rng, none_unplaced=0.2, none_placed=0.06, nearest=0.84,
                                       second=0.95)
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def add(cls, form, level, x=None, y=None, fid=None, site="near", names=None, plain=None):
        code = site_near(x, y) if site == "near" else site
        marked = form.format(**{key: (_p(v) if key in ("p", "d") else _n(v))
                                for key, v in (names or {}).items()}, **(plain or {}))
        text, typo = _scan(rng, marked, OCR_P[cls.split(",")[0]])
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    def house() -> str:
        return str(rng.choice([rng.randint(1, 40), rng.randint(1, 250)]))

    # Venues whose name is unique in the gazetteer: pubs, parks, and food premises.
    quota = {"pub": round(k["venue"] * 0.36), "park": round(k["venue"] * 0.1)}
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=34)
    for fid, name, kind, x, y, business in rows[:k["venue"]]:
        if kind == "pub":
            forms = PUB_TEXT
        elif kind == "park":
            forms = PARK_TEXT
        elif re.search(r"(?i)\b(club|nightclub|lounge|bar)\b", name) or "pub" in (business or "").lower():
            forms = CLUB_TEXT if re.search(r"(?i)\bclub\b", name) else PUB_TEXT
        else:
            forms = FOOD_TEXT
        written = _hand_name(rng, name, drop_the=0.0 if kind == "park" else 0.6)
        add("venue", rng.choice(forms), "venue", x, y, fid, names={"v": written})

    # Chains: a branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(conn, salted, CHAINS, per,
                                                                            k["chain"]):
        c = rng.choice(CHAIN_WRITTEN.get(brand, [brand]))
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()]", street)
        if r < 0.26 and street_ok:
            add("chain", rng.choice(CHAIN_STREET), "venue", x, y, fid,
                names={"c": c, "w": _hand_name(rng, street)})
        elif r < 0.37 and stn:
            add("chain", rng.choice(CHAIN_STATION), "venue", x, y, fid,
                names={"c": c, "s": _hand_name(rng, _stn_written(stn), drop_the=0.0)})
        elif r < 0.48 and _ward_ok(ward):
            add("chain", rng.choice(CHAIN_AREA), "venue", x, y, fid,
                names={"c": c, "a": _hand_name(rng, ward)})
        elif r < 0.56 and district:
            form = rng.choice(CHAIN_AREA).replace("{a}", "{d}")
            add("chain", form, "venue", x, y, fid, names={"c": c, "d": district})
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", x, y, fid, names={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here", "in dept"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, salted, here_k):
        add("hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        h = _hand_name(rng, name, drop_the=0.7, short=0.5)
        form = rng.choice(HOSPITAL_ED_TEXT if has_ed else HOSPITAL_OTHER_TEXT)
        add("hospital", form, "venue", x, y, fid, names={"h": h})

    # Stations near an A&E site, with the writer's word for the kind of station.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        m = rng.choice(MODE_WRITTEN[_station_mode(source, net, lines)])
        add("station", rng.choice(STATION_TEXT), "venue", x, y, fid,
            names={"s": _hand_name(rng, _stn_written(name), drop_the=0.0)}, plain={"m": m})

    # Streets: a random point of the street; common names often get a ward or postcode district; some
    # name a pub or shop within 120 m of the point.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(conn, salted, _ROAD_WORD,
                                                                          k["street"]):
        form = rng.choice(STREET_TEXT)
        names = {"st": _hand_name(rng, name)}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None:
                form = "on {st}"
            else:
                names["l"] = _hand_name(rng, landmark, drop_the=0.8)
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _ward_ok(ward) and (not district or rng.random() < 0.5):
                form += rng.choice([" {a}", ", {a}", " ({a})", " - {a}"])
                names["a"] = _hand_name(rng, ward)
            elif district:
                form += rng.choice([" {d}", ", {d}", " ({d})"])
                names["d"] = district
        add("street", form, "street", x, y, fid, names=names,
            plain={"n": house(), "b": str(rng.randint(1, 499))})

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_hand_name(rng, part.strip(), short=0.6) for part in name.split("/"))
        if rng.random() < 0.45:
            a, b = b, a
        add("junction", rng.choice(JUNCTION_TEXT), "junction", x, y, names={"a": a, "b": b})

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        add("postcode", rng.choice(POSTCODE_TEXT), "postcode", x, y, names={"p": display})
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        add("sector", rng.choice(SECTOR_TEXT), "sector", x, y, names={"p": sector})
    for district, x, y in truths.postcode_points(conn, salted, "district", "district", k["district"]):
        add("district", rng.choice(DISTRICT_TEXT), "district", x, y, names={"d": district})

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_BAD_PG, SEED % 9967, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", x, y, fid, names={"a": _hand_name(rng, name)})

    # No place: own home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_TEXT), "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none")
    for i in range(k["nonplace"]):
        if i % 6 == 3:
            add("nonplace", rng.choice(DWELLING), "home")
        else:
            add("nonplace", rng.choice(NON_PLACES), "none")
    rng.shuffle(out)
    return out
