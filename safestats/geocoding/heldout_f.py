"""A sixth held-out family of labelled assault locations, ``dictation``: the location as a clinician dictates
it and speech recognition types it into the notes.

Written 2026-12-06 between 18:07 and 18:20 UTC (``date -u``) by a helper session asked to write a family the
geocoder's developers have never seen. What was read to write it: ``generate`` and the helpers ``_station``,
``_station_mode``, ``_hospital``, ``_pc`` and ``_plain_area`` (with the ``_PLAIN_AREA`` filter between them)
of ``heldout_e.py``, and the first lines of its docstring, as the model for the module's structure, for how
truths are drawn from the gazetteer and how the reporting A&E site is chosen; ``IndependentExample``,
``CHAINS`` and ``_clean_name`` of ``independent.py`` (with, by a too wide line range, ``_edge_typo`` and the
first lines of ``generate_family``); tests/geocoding/test_heldout_epr.py and tests/geocoding/conftest.py;
the column lists and a few rows of gazetteer.feature, gazetteer.source_feature, gazetteer.postcode and
health.ae_site; and the class counts, levels and typo share (not the texts) of ``heldout_e.generate`` at
n=900 on the dev gazetteer, to give this family the same shares. Not read:
anything under db/functions/, docs/geocoding.md, db/schema.sql, safestats/geocoding/blind*, /work/scratch,
tests/geocoding/test_geocoder*.py, and the phrase lists and constants of independent.py, heldout.py,
heldout_b.py, heldout_c.py, heldout_d.py and heldout_e.py. Every phrase, the mis-hearings and the noise
model below were written fresh for this module. The geocoder was never run on these texts.

Style. The location is said, not typed: a clinician talks into a dictation app and the recogniser's
transcript goes into the notes unedited. So there is no punctuation, or odd punctuation (a stray full stop,
a comma in the wrong place, a spoken "comma" left in the text); the recogniser capitalises at random (all
lower case, a capital at the start, capitalised proper names, now and then a capitalised common word, rarely
everything); fillers ("um", "er", "sort of", "I think", "you know") come between words but never inside a
name or postcode; some texts repeat their start ("outside the outside the"). Numbers are said as words
("number forty two", "the thirty seven bus"); postcodes letter by letter or with words ("s e fifteen four q
f", "south east fifteen", "e c one m five"), or as the recogniser formats them ("SE15 4QF"), never misheard;
abbreviations are said in full ("road", "saint", "A and E", "accident and emergency", "underground
station", "the overground", "d l r"). The noise model: with a per-class probability each word the
recogniser knows a near-homophone for may be misheard ("station" -> "stay shun", "lane" -> "lain"), a long
name word may be split at a place-name ending ("camberwell" -> "camber well"), and two short neighbouring
words may be merged ("rye lane" -> "ryelane"); ``typo`` is true exactly when one of these changed a word.

Classes and shares as in the other held-out families: venues with a unique name (pubs, parks, food
premises), chain branches with a locality (street, nearby station, ward, postcode district) and without,
hospitals (a fifth of them "here in the department" style texts whose truth is the reporting site itself),
stations, street points, junctions (a bus stop named after two streets), postcode units, sectors and
districts, wards, the patient's own home (level home), stated unknowns (level none), and non-places (custody,
work, a car, abroad ...; one in six a friend's or relative's home, level home). Truths and the reporting
site are drawn from the gazetteer with the same queries' logic as heldout_e, ordered by a hash salted with
this family's SEED, so a given gazetteer and ``n`` always give the same set.

This family has never been used to develop the geocoder or fit its calibration.

Status since its first run: its failures were read from 2026-12-06 20:25 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "dictation"
SEED = 5_802_691

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12, "junction": 0.07,
          "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05, "home": 0.06, "unknown": 0.05,
          "nonplace": 0.10}

# the chance that each word the recogniser can mishear is misheard, by class
MISHEAR_P = {"venue": 0.16, "chain": 0.16, "hospital": 0.12, "station": 0.16, "street": 0.16,
             "junction": 0.14,
             "postcode": 0.12, "sector": 0.12, "district": 0.12, "area": 0.18, "home": 0.10, "unknown": 0.08,
             "nonplace": 0.10}

# --- speech ---------------------------------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _say_number(n: int) -> str:
    """A whole number 0..999 in words, as said ("a hundred and twelve", "forty two")."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    rest = n % 100
    head = "a hundred" if n // 100 == 1 else f"{_UNITS[n // 100]} hundred"
    return head if rest == 0 else f"{head} and {_say_number(rest)}"


_AREA_WORDS = {"se": "south east", "sw": "south west", "nw": "north west", "n": "north", "e": "east",
               "w": "west", "ec": None, "wc": None}


def _say_digits(rng: random.Random, digits: str, followed: bool = False) -> str:
    """The digits of a postcode district: "15" as "fifteen" or "one five"; "0" as "zero" or "oh". "20" before
    the inward code is said "two oh" ("twenty four" would be heard as 24)."""
    tens = len(digits) == 2 and digits[1] == "0" and digits[0] != "1"
    if len(digits) == 2 and digits[0] != "0" and not (tens and followed) and rng.random() < 0.75:
        return _say_number(int(digits))
    return " ".join(rng.choice(["zero", "oh"]) if d == "0" else _UNITS[int(d)] for d in digits)


def _say_outward(rng: random.Random, outward: str, words_ok: bool = False, followed: bool = False) -> str:
    m = re.fullmatch(r"([A-Za-z]{1,2})([0-9]{1,2})([A-Za-z]?)", outward)
    if not m:
        return outward.lower()
    area, digits, tail = m.group(1).lower(), m.group(2), m.group(3).lower()
    r = rng.random()
    if words_ok and _AREA_WORDS.get(area) and r < 0.3:
        said = _AREA_WORDS[area]
    elif r < 0.75:
        said = " ".join(area)
    else:
        said = area
    out = f"{said} {_say_digits(rng, digits, followed and not tail)}"
    return f"{out} {tail}" if tail else out


def _say_pc(rng: random.Random, display: str, words_ok: bool = False) -> str:
    """A postcode unit, sector or district as said and transcribed: mostly spoken letter by letter with the
    numbers as words ("s e fifteen four q f"), sometimes formatted by the recogniser ("SE15 4QF")."""
    parts = display.split()
    short = len(parts) == 2 and len(parts[1]) == 1 and re.fullmatch(r"[A-Za-z]+[0-9]", parts[0])
    if rng.random() < (0.5 if short else 0.22):        # ("s e one four" would be heard as SE14)
        return display if rng.random() < 0.6 else display.lower()
    said = _say_outward(rng, parts[0], words_ok and len(parts) == 1, len(parts) > 1)
    if len(parts) > 1:
        inward = parts[1]
        bits = [rng.choice(["zero", "oh"]) if c == "0" else _UNITS[int(c)] if c.isdigit() else c.lower()
                for c in inward]
        said = f"{said} {' '.join(bits)}"
    return said


_EXPAND = [(r"\b(rd)\b\.?", "road"), (r"\b(ave)\b\.?", "avenue"), (r"\b(ln)\b\.?", "lane"),
           (r"\b(gdns)\b\.?", "gardens"), (r"\b(pk)\b\.?", "park"), (r"\b(sq)\b\.?", "square"),
           (r"\b(stn)\b\.?", "station"), (r"\b(hosp)\b\.?", "hospital"), (r"\b(mt)\b\.?", "mount"),
           (r"\b(nr)\b\.?", "near"), (r"&", " and "), (r"\+", " and ")]
_LTD = re.compile(r"(?i)[\s,.-]*\b(ltd|limited|plc|llp|t/a.*|c/o.*)\.?\s*$")


def _plain(name: str) -> str:
    """A name as it would be said, in lower case: brackets and company suffixes gone, abbreviations said in
    full, a leading "St" said "saint" and a trailing one "street"."""
    s = _LTD.sub("", _clean_name(name)).lower().replace("’", "'")
    for pat, rep in _EXPAND:
        s = re.sub(pat, rep, s)
    s = re.sub(r"^st\.? ", "saint ", s)
    s = re.sub(r"(?<= )st\.?( |$)", lambda m: "saint " if m.group(1) == " " else "street", s)
    s = re.sub(r"[-/,:;!?\"]", " ", s)
    s = re.sub(r"\.(?=\s|$)", "", s)
    return " ".join(s.split())


def _say_name(rng: random.Random, name: str, drop_the: float = 0.35) -> str:
    """A name as dictated: often without "the", "saint" sometimes transcribed "st", apostrophes sometimes
    dropped by the recogniser."""
    s = _plain(name)
    if s.startswith("the ") and len(s) > 8 and rng.random() < drop_the:
        s = s[4:]
    if "saint " in s and rng.random() < 0.3:
        s = s.replace("saint ", "st ")
    if "'" in s and rng.random() < 0.5:
        s = s.replace("'", "")
    return s


def _say_station(name: str) -> str:
    """A station's name as said: no bracketed place or line, no DLR / LU suffix, no "London" before a
    terminal people name on its own."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"\s+-\s+dlr$|\s+(lu|ll|el|lo|tfl)$|\s+rail station$|\s+station$", "", s.strip(), flags=re.I)
    s = _plain(s)
    if re.fullmatch(r"london (victoria|waterloo|euston|paddington|bridge|fenchurch street|liverpool street|"
                    r"charing cross|cannon street|blackfriars|marylebone|kings cross|st pancras.*)", s):
        s = s[len("london "):] if not s.endswith("bridge") else s
    return s


def _station_mode(source: str, network: str | None, lines: str | None) -> str:
    if source == "naptan_rail":
        return "rail"
    net = f"{network or ''} {lines or ''}".lower()
    for word, mode in (("dlr", "dlr"), ("tram", "tram"), ("overground", "overground"), ("tfl rail", "rail")):
        if word in net:
            return mode
    return "tube"


_STREET_END = ("(road|street|lane|avenue|grove|way|place|hill|rise|gardens|terrace|close|crescent|drive|walk|"
               "row|square|parade|green|mews|park|court|vale|gate)$")

_NOT_A_PLACE_NAME = re.compile(r"&|\band\b|[0-9]|hospital|street|road|\bnorth|\bsouth|\beast|\bwest|"
                               r"central|upper|lower|\bward\b", re.I)


def _plain_area(name: str | None) -> bool:
    """A ward name people would say for a place (the filter the other families use)."""
    return bool(name) and not _NOT_A_PLACE_NAME.search(name) and len(name.split()) <= 3


# Words the recogniser hears as something else (each a near-homophone, or the word cut in two).
MISHEAR = {
    "station": ["stay shun", "stations", "nation"], "road": ["rowed", "roads", "rode"],
    "lane": ["lain", "laine", "line"], "street": ["streets", "st reet", "treat"],
    "avenue": ["have a new", "haven you", "avenues"], "grove": ["grow", "groove"],
    "park": ["pak", "part", "parked"], "green": ["grain", "greene"], "hill": ["heel", "hills"],
    "close": ["clothes", "cloths"], "crescent": ["present", "cress ent"], "gardens": ["garden's",
    "guardians"],
    "square": ["swear", "squared"], "place": ["plays", "plaice"], "terrace": ["terrors", "ter race"],
    "junction": ["junk shun", "function", "junctions"], "corner": ["cornet", "coroner"],
    "crosses": ["cross is", "crossers"], "lights": ["lites", "likes"], "outside": ["out side", "our side"],
    "opposite": ["opposites", "oppo sit"], "near": ["ne'er", "here"], "by": ["buy", "bye"],
    "pub": ["pop", "pubs", "pug"], "shop": ["chop", "shops"], "high": ["hi", "hay"],
    "bus": ["buss", "plus"], "stop": ["stopped", "strop"], "hospital": ["hospitable", "hospice tall"],
    "department": ["departments", "apartment"], "waiting": ["weighting", "waiting's"],
    "tube": ["tub", "two"], "underground": ["under ground", "under round"],
    "overground": ["over ground", "over round"], "platform": ["plat form", "plateform"],
    "flat": ["flap", "flats"], "home": ["holm", "hone"], "friend's": ["friends", "fiends"],
    "party": ["potty", "parties"], "custody": ["custardy", "cost a de"], "work": ["walk", "werk"],
    "car": ["ca", "cart"], "think": ["thing", "fink"], "somewhere": ["some where", "summer"],
    "forty": ["fourty", "for tea"], "four": ["for", "fore"], "two": ["to", "too"], "eight": ["ate"],
    "eighty": ["a tee"],
    # place words
    "tooting": ["two ting", "tutting"], "peckham": ["peck am", "pecan"], "brixton": ["bricks ton",
    "brick stone"],
    "lewisham": ["lewis sham", "lucy ham"], "streatham": ["street ham", "stratum"],
    "deptford": ["debt ford", "deadford"], "kennington": ["kenning ton", "kensington"],
    "walworth": ["wall worth", "walworths"], "dulwich": ["dull itch", "dulwitch"],
    "greenwich": ["green itch", "grenich"], "southwark": ["south walk", "suthuk"],
    "vauxhall": ["vox hall", "vaux hall"], "clapham": ["clap ham", "clap um"], "balham": ["bal um", "balm"],
    "woolwich": ["wool itch", "woolwitch"], "borough": ["burrow", "borrow"], "croydon": ["cray don",
    "croyden"],
    "camberwell": ["camber well", "came a well"], "stockwell": ["stock well", "stock wall"],
    "elephant": ["elefant", "elegant"], "castle": ["cassel", "castles"], "catford": ["cat ford", "cat fud"],
    "sydenham": ["sid num", "sydnem"], "norwood": ["nor wood", "gnaw would"], "penge": ["pinch", "peng"],
    "bermondsey": ["bermond see", "bermuda sea"], "rotherhithe": ["rother hive", "rather hive"],
    "hackney": ["hack knee", "hackne"], "dalston": ["dolls ton", "dolston"], "islington": ["izzling ton"],
    "holloway": ["holla way", "hollow way"], "hammersmith": ["hammer smith"], "shepherd's": ["shepherds",
    "shepard's"],
    "wandsworth": ["wands worth", "wandsworth's"], "battersea": ["batter sea", "battersby"],
    "putney": ["put knee", "putty"], "mitcham": ["mitch am", "mitchum"], "thornton": ["thorn ton"],
    "herne": ["hearn", "her knee"], "nunhead": ["nun head", "none head"], "forest": ["for rest", "forrest"],
    "hither": ["hiver", "hit her"], "eltham": ["elf am", "el tam"], "plumstead": ["plum said", "plumsted"],
    "acton": ["act on", "acting"], "ealing": ["eeling", "healing"], "leyton": ["layton", "lay ton"],
    "walthamstow": ["waltham stow", "walt hamstow"], "tottenham": ["totten ham", "tottenham's"],
    "edmonton": ["edmund ton"], "harrow": ["harrah", "hero"], "wembley": ["wem bly", "wembly"],
    "kilburn": ["kill burn", "kilbourne"], "camden": ["cam den", "camdon"], "kentish": ["kent ish",
    "kentesh"],
    "whitechapel": ["white chapel"], "stratford": ["strat ford", "stafford"], "ilford": ["ill ford",
    "hilford"],
    "romford": ["rom ford", "rumford"], "barking": ["barkin", "parking"], "bromley": ["brom lee", "bromily"],
    "beckenham": ["beck nam", "beckon ham"], "sutton": ["sutton's", "button"], "morden": ["mordan", "modern"],
    "kingston": ["king stone", "kings ton"], "richmond": ["rich mond", "richman"], "chiswick": ["chiz ick",
    "chiswig"],
    "mcdonalds": ["mac donalds", "mick donalds"], "sainsburys": ["saints burys", "sainsbury"],
    "tesco": ["tescos", "tess co"], "costa": ["coaster", "costa's"], "greggs": ["gregs", "greg's"],
    "nandos": ["nando's", "nan does"], "wetherspoons": ["weather spoons", "wetherspoon"],
    "lidl": ["little", "liddle"], "aldi": ["audi", "all die"], "iceland": ["ice land"],
    "subway": ["sub way"], "starbucks": ["star bucks"], "waitrose": ["wait rose"],
    "morrisons": ["morrison's", "maurice sons"], "boots": ["boot", "bouts"], "londis": ["london is",
    "londons"],
    "saint": ["sent", "saints"], "king's": ["kings", "king"], "queen's": ["queens", "queen"],
    "college": ["collage", "colleges"], "royal": ["royale", "roil"], "memorial": ["memorials", "me morial"],
}

# place-name endings a recogniser splits a long word at
_SPLIT_AT = re.compile(r"^(.{3,}?)(ham|well|wood|ford|bury|ton|worth|field|gate|bridge|side|stead|ley|don)$")

_FILLERS = ["um", "um", "er", "er", "erm", "uh", "sort of", "I think", "you know", "like", "basically",
            "so", "apparently", "er I think", "kind of", "I believe"]


def _tokens(s: str) -> list[list]:
    """The words of a marked text as [word, role, group]: role "w" (a plain word), "name" or "pc"; group
    numbers a name or postcode so no filler goes inside it."""
    out: list[list] = []
    for g, m in enumerate(re.finditer(r"\x01([^\x02]*)\x02|\x03([^\x04]*)\x04|(\S+)", s)):
        if m.group(1) is not None:
            out += [[w, "name", g] for w in m.group(1).split()]
        elif m.group(2) is not None:
            out += [[w, "pc", g] for w in m.group(2).split()]
        else:
            out.append([m.group(3), "w", g])
    return out


def _mishear(rng: random.Random, toks: list[list], p: float) -> bool:
    """Mis-hearings, splits and merges, at most two per text; true if a word changed."""
    changes = 0
    i = 0
    while i < len(toks):
        w, role, g = toks[i]
        if role != "pc" and changes < 2:
            key = w.lower()
            new = None
            if key in MISHEAR and rng.random() < p:
                new = rng.choice(MISHEAR[key])
            elif role == "name" and len(key) >= 7 and key.isalpha() and rng.random() < p * 0.4:
                m = _SPLIT_AT.match(key)
                if m:
                    new = f"{m.group(1)} {m.group(2)}"
            if new is not None and new != key:
                changes += 1
                toks[i:i + 1] = [[part, role, g] for part in new.split()]
                i += len(new.split())
                continue
        i += 1
    if changes < 2 and rng.random() < p * 0.5:                        # two short neighbours run together
        pairs = [j for j in range(len(toks) - 1)
                 if toks[j][1] != "pc" and toks[j + 1][1] != "pc" and toks[j][0].isalpha()
                 and toks[j + 1][0].isalpha() and len(toks[j][0]) + len(toks[j + 1][0]) <= 11
                 and toks[j][0].lower() not in ("i", "a") and toks[j + 1][0].lower() not in ("i", "a")]
        if pairs:
            j = rng.choice(pairs)
            role = "name" if "name" in (toks[j][1], toks[j + 1][1]) else "w"
            toks[j:j + 2] = [[toks[j][0] + toks[j + 1][0], role, toks[j][2]]]
            changes += 1
    return changes > 0


def _fill(rng: random.Random, toks: list[list]) -> None:
    """Fillers between words, never inside a name or a postcode."""
    k = rng.choices([0, 1, 2], [0.55, 0.35, 0.10])[0]
    for _ in range(k):
        i = rng.choice([0, *_gaps(toks), len(toks)])
        toks[i:i] = [[f, "f", -1 - i] for f in rng.choice(_FILLERS).split()]


def _restart(rng: random.Random, toks: list[list]) -> None:
    """A false start: the first words said twice ("outside the outside the")."""
    k = 0
    while k < min(3, len(toks)) and toks[k][1] == "w":
        k += 1
    if k:
        k = rng.randint(1, k)
        toks[0:0] = [[w, "f", -100] for w, _, _ in toks[:k]]


def _cap(w: str) -> str:
    return w[:1].upper() + w[1:]


def _case(rng: random.Random, toks: list[list]) -> list[str]:
    """The recogniser's capitals."""
    words = [t[0] if t[0] == "I" else t[0].lower() for t in toks]
    r = rng.random()
    if r < 0.34:                                                      # all lower case
        pass
    elif r < 0.62:                                                    # a capital to start
        words[0] = _cap(words[0])
    elif r < 0.86:                                                    # proper names recognised
        words = [_cap(w) if t[1] == "name" else w.upper() if t[1] == "pc" and len(w) <= 2
                 and rng.random() < 0.5 else w for w, t in zip(words, toks)]
        words[0] = _cap(words[0])
    elif r < 0.965:                                                   # odd words capitalised
        words = [_cap(w) if rng.random() < 0.25 else w for w in words]
    else:
        words = [w.upper() for w in words]
    return words


def _gaps(toks: list[list]) -> list[int]:
    """Where a word may go in: between words, never inside a name or postcode."""
    return [i for i in range(1, len(toks)) if toks[i - 1][2] != toks[i][2] or toks[i][1] in ("w", "f")]


def _punctuate(rng: random.Random, toks: list[list], words: list[str]) -> str:
    """No punctuation, or the odd stray mark where the recogniser heard a pause."""
    gaps = _gaps(toks)
    r = rng.random()
    if gaps and r < 0.08:                                             # a full stop mid-sentence
        i = rng.choice(gaps)
        words = [*words[:i - 1], words[i - 1] + ".", _cap(words[i]), *words[i + 1:]]
    elif gaps and r < 0.17:                                           # a comma at a pause
        i = rng.choice(gaps)
        words = [*words[:i - 1], words[i - 1] + ",", *words[i:]]
    elif gaps and r < 0.2:                                            # the spoken mark left as a word
        i = rng.choice(gaps)
        words = [*words[:i], rng.choice(["comma", "full stop"]), *words[i:]]
    text = " ".join(words)
    r = rng.random()
    if r < 0.18:
        text += "."
    elif r < 0.21:
        text += "?"
    elif r < 0.23:
        text += " full stop"
    return text


def _speak(rng: random.Random, marked: str, p: float) -> tuple[str, bool]:
    """A marked text as the recogniser writes it, and whether a word was misheard, split or merged."""
    toks = _tokens(marked)
    typo = _mishear(rng, toks, p)
    if rng.random() < 0.1:
        _restart(rng, toks)
    _fill(rng, toks)
    text = _punctuate(rng, toks, _case(rng, toks))
    return " ".join(text.split()), typo


def _n(s: str) -> str:
    """A name, marked so no filler goes inside it."""
    return f"\x01{s}\x02"


def _p(s: str) -> str:
    """A postcode, marked: never misheard, no filler inside."""
    return f"\x03{s}\x04"


# --- what is said ---------------------------------------------------------------------------------------

PUB_TEXT = ["in the {v} pub", "outside the {v} pub", "at the {v}", "in the beer garden of the {v}",
            "in the {v} on a night out", "smoking area of the {v} pub", "outside the {v} at closing time",
            "in the toilets at the {v}", "at the bar in the {v}", "he was drinking in the {v}",
            "the pub called the {v}", "walking out of the {v} pub"]
PARK_TEXT = ["in {v}", "walking through {v}", "by the gates of {v}", "on the grass in {v}",
             "in the play area in {v}", "near the cafe in {v}", "cutting through {v} at night"]
FOOD_TEXT = ["inside {v}", "outside {v}", "in a shop called {v}", "in the queue at {v}",
             "at {v} on the high street", "outside the takeaway {v}", "in {v} restaurant",
             "working at {v}", "at the counter in {v}", "the place called {v}", "sat in {v} eating",
             "out the front of {v}"]
CLUB_TEXT = ["in the club {v}", "at {v} nightclub", "in the queue for {v}", "on the dance floor at {v}",
             "outside {v} club"]

CHAIN_SAID = {"tesco": ["tesco", "tescos", "tesco express"], "sainsburys": ["sainsburys", "sainsbury's"],
              "costa": ["costa", "costa coffee"], "starbucks": ["starbucks"],
              "mcdonalds": ["mcdonalds", "mcdonald's", "maccies"], "kfc": ["k f c", "kfc"],
              "aldi": ["aldi"], "lidl": ["lidl"], "greggs": ["greggs"], "subway": ["subway"],
              "pret": ["pret", "pret a manger"], "nandos": ["nandos", "nando's"], "iceland": ["iceland"],
              "morrisons": ["morrisons"], "asda": ["asda"], "waitrose": ["waitrose"],
              "wetherspoon": ["wetherspoons", "the spoons"], "dominos": ["dominos", "domino's pizza"],
              "boots": ["boots", "boots the chemist"], "londis": ["londis"], "budgens": ["budgens"],
              "wasabi": ["wasabi"], "itsu": ["itsu"], "leon": ["leon"], "wilko": ["wilko", "wilkos"]}
CHAIN_ALONE = ["in {c}", "outside {c}", "in the {c}", "at the {c}", "outside a {c}", "in the car park of {c}",
               "in the queue in {c}", "by the tills in {c}", "at the {c} near his house", "in the local {c}"]
CHAIN_STREET = ["in the {c} on {w}", "outside {c} on {w}", "at the {c} {w}", "the {c} down {w}"]
CHAIN_STATION = ["in the {c} by {s}", "outside the {c} at {s}", "the {c} near {s}"]
CHAIN_AREA = ["in the {c} in {a}", "outside {c} {a}", "the {c} over in {a}", "at {c} in {a}"]

HOSPITAL_HERE_TEXT = ["here in the department", "in our waiting room", "in the A and E waiting room here",
                      "here in resus", "in majors here", "outside the front of the department here",
                      "in the ambulance bay here", "here in the emergency department",
                      "in the waiting area of this department", "here in accident and emergency",
                      "in the car park here at the hospital", "in the department tonight by another patient",
                      "in triage here", "outside our entrance", "on our ward",
                      "here in the paediatric A and E",
                      "in the smoking shelter outside the department here"]
HOSPITAL_ED_TEXT = ["outside {h}", "in the car park at {h}", "at {h} accident and emergency",
                    "at the {h} A and E department", "in the waiting room at {h} A and E",
                    "at {h} emergency department",
                    "outside the A and E at {h}", "on a ward at {h}"]
HOSPITAL_OTHER_TEXT = ["at {h}", "outside {h}", "in the grounds of {h}", "on the ward at {h}", "in {h}"]

MODE_SAID = {"tube": ["tube station", "underground station", "underground", "tube"],
             "rail": ["station", "train station", "railway station", "overland station"],
             "overground": ["overground station", "overground", "station on the overground"],
             "dlr": ["d l r station", "d l r", "DLR station"], "tram": ["tram stop", "tram station"]}
STATION_TEXT = ["at {s} {m}", "outside {s} {m}", "on the platform at {s} {m}", "on the stairs at {s} {m}",
                "at the ticket barriers at {s} {m}", "just outside {s} {m}", "by the entrance to {s} {m}",
                "in the ticket hall at {s} {m}", "on the bridge at {s} {m}", "near {s} {m}",
                "getting off at {s} {m}", "the bus stop outside {s} {m}", "in the lift at {s} {m}",
                "on the escalator at {s} {m}"]

STREET_TEXT = ["on {st}", "walking down {st}", "outside number {n} {st}", "{st} by the bus stop",
               "on {st} near the {l}", "in the street on {st}", "on the pavement on {st}",
               "at the bus stop on {st}", "on the corner of {st}", "outside the {l} on {st}",
               "walking along {st} at night", "on {st} near the shops", "waiting for the {b} bus on {st}",
               "on the {b} bus on {st}", "somewhere on {st}", "in an alley off {st}", "on {st} by the {l}",
               "in the road on {st}"]
JUNCTION_TEXT = ["where {a} crosses {b}", "at the lights at {a} and {b}", "junction of {a} and {b}",
                 "on the corner of {a} and {b}", "{a} at the junction with {b}",
                 "at the crossing on {a} by {b}",
                 "where {a} meets {b}", "at the bus stop at {a} and {b}", "the junction of {a} with {b}",
                 "at the traffic lights where {a} joins {b}", "{a} corner of {b}", "on {a} just by {b}"]
POSTCODE_TEXT = ["postcode {p}", "around {p}", "near {p} I think", "the postcode she gave was {p}",
                 "{p}", "in the street at {p}", "outside a house at {p}", "somewhere round {p}",
                 "the postcode is {p}", "he says it was {p}"]
SECTOR_TEXT = ["somewhere in {p}", "around {p}", "in the {p} area", "postcode starts {p}", "{p} area",
               "somewhere around {p} I think", "postcode begins {p}"]
DISTRICT_TEXT = ["somewhere in {d}", "in {d}", "around {d}", "in the {d} area", "{d} somewhere",
                 "postcode {d} he thinks"]
AREA_TEXT = ["in {a}", "somewhere in {a}", "round the {a} area", "in the {a} area", "on the street in {a}",
             "walking through {a}", "near {a}", "in {a} on the estate", "out in {a}", "over in {a} somewhere"]

HOME_TEXT = ["at home", "at her flat", "at his flat", "in her own home", "at home in the kitchen",
             "in the house at home", "at home in the hallway", "in his own flat", "at home by her partner",
             "in the front room at home", "in the flat where she lives", "at his house", "at her house",
             "in the patient's own home", "at home on the stairs", "at the patient's flat",
             "in his bedroom at home", "in the garden at home", "on the doorstep of her house",
             "at home um by his brother", "in their flat", "at her home address"]
DWELLING = ["at a friend's house", "at his mum's house", "at her boyfriend's flat", "at his cousin's place",
            "at her sister's", "at a mate's flat", "at his girlfriend's house", "at her nan's house",
            "at his dad's flat", "at an auntie's house", "at a friend's flat party", "at her ex's flat",
            "at his uncle's house", "in a friend's kitchen", "at her brother's flat",
            "at a house party at a mate's",
            "at his partner's mum's house", "staying at a friend's place", "at her grandmother's",
            "at a neighbour's flat", "in the flat next door", "at her friend's house"]
UNKNOWN = ["patient could not say", "er he doesn't remember where", "unable to give a location",
           "not known", "patient declined to say where", "location not given",
           "doesn't know where it happened",
           "he can't remember", "not sure where", "patient too intoxicated to say", "unknown location",
           "she wouldn't say where", "no location given", "he says he doesn't know the area",
           "couldn't tell me where", "unclear where this happened", "patient is vague about where",
           "location unknown at this time", "didn't want to say", "no idea where apparently",
           "could not establish where", "I didn't get a location"]
NON_PLACES = ["in police custody", "at work", "at a party", "in a car", "abroad on holiday", "in prison",
              "in the back of a taxi", "on a bus", "at school", "at a festival", "on a train",
              "in the back of a van", "while on holiday in spain", "in a cell", "at his workplace",
              "on a night out", "at the gym", "at a wedding", "in the playground at school",
              "at a football match",
              "on the tube", "in an uber", "while travelling abroad", "on a building site at work",
              "at the care home where he lives", "at college", "at a barbecue", "in the car on the way home",
              "in his car", "at a nightclub", "at a house party", "in the taxi queue", "in a lift",
              "at a concert", "on a boat", "at the hostel", "in the hostel where he stays",
              "at the supported housing", "in a stairwell", "at the shelter", "at the police station",
              "on the way to work", "at a gig", "at the bus stop", "in a shop", "in a pub",
              "on the street", "in a park", "on a night bus", "in a restaurant", "at church", "at the mosque",
              "at a christening", "in the back of an ambulance", "during a fight at a party", "at a club",
              "at the job centre", "at the station", "on a train platform", "at his office"]


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``dictation`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def order(expr: str, salt: str) -> str:
        return f"md5('{FAMILY}/{salt}/{SEED}/' || {expr})"

    site_near = reporting_site_chooser(conn, rng, none_unplaced=0.15, none_placed=0.07,
                                       nearest=0.85, second=0.96)

    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def add(cls, form, level, x=None, y=None, fid=None, site="near", names=None, plain=None):
        code = site_near(x, y) if site == "near" else site
        marked = form.format(**{key: (_p(v) if key in ("p", "d") else _n(v))
                                for key, v in (names or {}).items()}, **(plain or {}))
        text, typo = _speak(rng, marked, MISHEAR_P[cls.split(",")[0]])
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    def number() -> str:
        return _say_number(rng.choice([rng.randint(1, 30), rng.randint(1, 199)]))

    # Venues whose name is unique in the gazetteer: pubs, parks, and food premises.
    quota = {"pub": round(k["venue"] * 0.38), "park": round(k["venue"] * 0.1)}
    rows = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, order, kind, want, CHAINS, max_name=36)
    for fid, name, kind, x, y, business in rows[:k["venue"]]:
        if kind == "pub":
            forms = PUB_TEXT
        elif kind == "park":
            forms = PARK_TEXT
        elif re.search(r"(?i)\b(club|nightclub|lounge|bar)\b", name) or "pub" in (business or "").lower():
            forms = CLUB_TEXT if re.search(r"(?i)\bclub\b", name) else PUB_TEXT
        else:
            forms = FOOD_TEXT
        said = _say_name(rng, name, drop_the=0.0 if kind == "park" else 0.35)
        if forms is PUB_TEXT and said.startswith("the "):
            said = said[4:]
        add("venue", rng.choice(forms), "venue", x, y, fid, names={"v": said})

    # Chains: a branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(conn, order, CHAINS, per,
                                                                            k["chain"]):
        c = rng.choice(CHAIN_SAID.get(brand, [brand]))
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()]", street)
        if r < 0.25 and street_ok:
            add("chain", rng.choice(CHAIN_STREET), "venue", x, y, fid,
                names={"c": c, "w": _say_name(rng, street)})
        elif r < 0.36 and stn:
            s = f"{_say_station(stn)} station"
            add("chain", rng.choice(CHAIN_STATION), "venue", x, y, fid, names={"c": c, "s": s})
        elif r < 0.48 and _plain_area(ward):
            add("chain", rng.choice(CHAIN_AREA), "venue", x, y, fid,
                names={"c": c, "a": _say_name(rng, ward)})
        elif r < 0.55 and district:
            form = rng.choice(CHAIN_AREA).replace("{a}", "{d}")
            add("chain", form, "venue", x, y, fid, names={"c": c, "d": _say_pc(rng, district, True)})
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", x, y, fid, names={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here in the department"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, order, here_k):
        add("hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, order, k["hospital"] - here_n):
        h = _say_name(rng, name, drop_the=0.6)
        m = re.fullmatch(r"university hospital (\w+)|(\w+) university hospital", h)
        if m and rng.random() < 0.5:
            h = f"{m.group(1) or m.group(2)} hospital"
        form = rng.choice(HOSPITAL_ED_TEXT if has_ed else HOSPITAL_OTHER_TEXT)
        add("hospital", form, "venue", x, y, fid, names={"h": h})

    # Stations near an A&E site, with the word for the kind of station.
    for fid, name, source, net, lines, x, y in truths.stations(conn, order, k["station"]):
        m = rng.choice(MODE_SAID[_station_mode(source, net, lines)])
        add("station", rng.choice(STATION_TEXT), "venue", x, y, fid, names={"s": _say_station(name)},
            plain={"m": m})

    # Streets: a random point of the street; common names often get a ward or postcode district; some
    # name a pub or shop within 120 m of the point.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(conn, order, _STREET_END,
                                                                          k["street"]):
        form = rng.choice(STREET_TEXT)
        names = {"st": _say_name(rng, name)}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None:
                form = "on {st}"
            else:
                names["l"] = re.sub(r"^the ", "", _say_name(rng, landmark))
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _plain_area(ward) and (not district or rng.random() < 0.5):
                form += rng.choice([" in {a}", " {a}", " over in {a}"])
                names["a"] = _say_name(rng, ward)
            elif district:
                form += rng.choice([" {d}", " in {d}"])
                names["d"] = _say_pc(rng, district, True)
        add("street", form, "street", x, y, fid, names=names, plain={"n": number(), "b": number()})

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, order, k["junction"]):
        a, b = (_say_name(rng, part.strip()) for part in name.split("/"))
        if rng.random() < 0.4:
            a, b = b, a
        add("junction", rng.choice(JUNCTION_TEXT), "junction", x, y, names={"a": a, "b": b})

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, order, "display", "unit", k["postcode"]):
        add("postcode", rng.choice(POSTCODE_TEXT), "postcode", x, y, names={"p": _say_pc(rng, display)})
    for sector, x, y in truths.postcode_points(conn, order, "sector", "sector", k["sector"]):
        add("sector", rng.choice(SECTOR_TEXT), "sector", x, y, names={"p": _say_pc(rng, sector)})
    for district, x, y in truths.postcode_points(conn, order, "district", "district", k["district"]):
        add("district", rng.choice(DISTRICT_TEXT), "district", x, y,
            names={"d": _say_pc(rng, district, True)})

    # Neighbourhoods: wards with a name people use for a place; a random point inside the ward.
    for fid, name, x, y in truths.ward_points(conn, order, _NOT_A_PLACE_NAME.pattern.replace(r"\b", r"\y"),
                                              SEED % 9973, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", x, y, fid, names={"a": _say_name(rng, name)})

    # No place: own home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_TEXT), "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none")
    for i in range(k["nonplace"]):
        if i % 6 == 2:
            add("nonplace", rng.choice(DWELLING), "home")
        else:
            add("nonplace", rng.choice(NON_PLACES), "none")
    rng.shuffle(out)
    return out
