"""An eighth held-out family of labelled assault locations, ``interp``: the location as recorded at A&E
reception through a telephone interpreter, or from a patient with limited English, and written down by the
receptionist roughly as it was said.

Written 2026-12-06, started 22:43:26 UTC and finished 22:56:31 UTC (``date -u``), by a helper session asked
to write a blind family the geocoder's developers have never seen. What was read to write it: the whole of
``heldout_g.py`` (the model for the module's structure, for how truths are drawn from the gazetteer through
``truths.py``, how the reporting A&E site is chosen, the class shares, the ``typo`` flag and the docstring);
the whole of ``truths.py`` and ``sites.py``; from ``independent.py`` only the definitions of
``IndependentExample``, ``CHAINS`` and ``_clean_name`` (found with ``grep -n``); the ``FAMILY`` and ``SEED``
lines (grep only) of heldout.py and heldout_b.py .. heldout_g.py, to pick an unused name and seed;
tests/geocoding/test_heldout_ocr.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py; the
column lists and a few sample rows of gazetteer.feature, gazetteer.source_feature, gazetteer.postcode and
health.ae_site (psql: the count of features by kind and level, random station, hospital, ward, venue and park
names, station networks and lines); and this module's own output (``generate(conn, 900)`` on the dev
gazetteer) and the results of its own test file, tests/geocoding/test_heldout_interp.py (the only tests
run). Not read: anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py,
blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, the rest of independent.py, the
phrase lists of heldout.py and heldout_b.py .. heldout_f.py, tests/geocoding/test_geocoder*, /work/scratch,
the git history. Every phrase, template, spoken form and the noise model below were written fresh for this
module. The geocoder was never run on these texts (no call of safestats.geocode or geocode_candidates or of
any safestats SQL function, no ``make eval-geocoder``, no evaluation module).

Style. The patient speaks through a telephone interpreter (or a relative translating), or says it in the
English they have; the receptionist types it roughly as heard. So: articles dropped or wrong ("inside shop
Sainsbury", "near to the Tesco of Peckham"), the word order of other languages ("road Old Kent", "park
Burgess", "station of Victoria", "metro Brixton"), prepositions used differently ("at the side of", "behind
of", "next of", "near from", "on the corner from A and B"), the interpreter's framing ("patient says ...",
"via interpreter: ...", "(interpreter) ...", "interpreter says she was ...",
"per Romanian interpreter - ..."),
singular / plural slips in brand names ("McDonald", "Tescos", "Gregg"), house numbers said another way
("number 12 of ...", "house number twelve ..."), postcodes spelt out letter by letter and digit by digit
("S E one five, four Q F", "double A", "fifteen"), and the patient describing around a place it names ("the
big supermarket next of station X" is a text about station X). Now and then the whole text is typed in lower
case.

Noise (what sets ``typo``). A place name heard and spelt phonetically by the receptionist: in each word of a
name, with a per-class probability (``HEAR_P``), one or two sound-alike respellings (double letters heard
single or single ones doubled, "ck" -> "k", "ph" -> "f", soft "c" -> "s", "ei" / "ie" / "ea" -> "ee", "ai" ->
"a", "ou" <-> "ow", "oo" -> "u", a final "y" -> "i" / "ey", an initial "h" dropped, "-ham" -> "-am", "th" ->
"t" / "d", "w" -> "v", "v" -> "w", a final "-er" -> "-a", "ough" -> "o", a silent final "e" dropped, "wich"
-> "ich", ... ; so "Leicester" may come out "Leesester"), at most two words per text; and a postcode letter
misheard for one that sounds alike (B / P / D / T / V, M / N, F / S, G / J, A / K, C / Z). ``typo`` is true
exactly when the noise changed a word (a name word's or postcode's letters and digits differ from what was
said); the framing, the spelt-out postcodes, the spoken brand forms, the reordered names and the dropped
"the" change no word of the name.

Classes and shares as in the other held-out families: venues with a unique name (pubs, parks, food premises,
clubs), chain branches with a locality (street, nearby station, ward, postcode district) and without,
hospitals (a fifth "here" / "this hospital" texts whose truth is the reporting site itself), stations,
street points, junctions (a bus stop named after two streets), postcode units, sectors and districts, wards,
the patient's own home (level home), stated unknowns (level none) and non-places (custody, work, a car,
abroad, a party ...; one in six a friend's or relative's home, level home). Truths and the reporting site are
drawn from the gazetteer through ``truths.py`` as heldout_g does, ordered by a hash salted with this family's
SEED, so a given gazetteer and ``n`` always give the same set.

This family has never been used to develop the geocoder or fit its calibration.

Status since its first run: its failures were read from 2026-12-07 01:19 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from safestats.geocoding import truths
from safestats.geocoding.independent import CHAINS, IndependentExample, _clean_name
from safestats.geocoding.sites import reporting_site_chooser

FAMILY = "interp"
SEED = 7_359_024

SHARES = {"venue": 0.12, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12, "junction": 0.07,
          "postcode": 0.05, "sector": 0.04, "district": 0.04, "area": 0.05, "home": 0.06, "unknown": 0.05,
          "nonplace": 0.10}

# the chance that the receptionist spells any one word of a heard name by its sound, by class
HEAR_P = {"venue": 0.17, "chain": 0.13, "hospital": 0.12, "station": 0.16, "street": 0.15, "junction": 0.12,
          "postcode": 0.14, "sector": 0.14, "district": 0.14, "area": 0.17, "home": 0.0, "unknown": 0.0,
          "nonplace": 0.0}
SPELL_P = 0.35          # a postcode spelt out letter by letter, digit by digit
FRAME_P = 0.5           # the interpreter's framing around the text
LOWER_P = 0.1           # the whole text typed in lower case

# --- what the patient says -------------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp)\.?|\s+(?:t/a|c/o)\s.*)\s*$")

# the last word of a name the patient may say first ("road Old Kent", "park of Burgess")
TURNABLE = {"road", "street", "lane", "avenue", "park", "common", "square", "hill", "green", "gardens",
            "market", "hospital", "grove", "place", "way", "rise", "crescent", "terrace", "walk", "fields"}
TURNED = ["{g}", "{g}", "{g} of", "the {g}", "the {g} of"]


def _said(rng: random.Random, name: str, drop_the: float = 0.6, turn: float = 0.0) -> str:
    """A gazetteer name as the patient says it: no brackets or company suffix, a name in capitals in
    ordinary case, a leading "the" often left off, and (``turn``) a trailing road / park word said first."""
    s = _SUFFIX.sub("", _clean_name(name)).replace("’", "'")
    s = " ".join(re.sub(r"[,;:!?\"]", " ", s).split())
    if s.upper() == s and re.search(r"[A-Z]{3}", s):
        s = " ".join(w[:1].upper() + w[1:].lower() for w in s.split())
    words = s.split()
    if len(words) > 1 and words[0].lower() == "the" and rng.random() < drop_the:
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in TURNABLE and rng.random() < turn:
        g = words.pop().lower()
        words = rng.choice(TURNED).format(g=g).split() + words
    return " ".join(words)


def _stn_name(name: str) -> str:
    """A station's name as people say it: no bracketed line, no network or "station" word, "London" left
    off a terminus ("Victoria", "Paddington")."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\s*-\s*(dlr|tram|tramlink|underground|overground)\s*$", "", s.strip())
    s = re.sub(r"(?i)\s+(lu|lo|el|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    s = " ".join(s.replace("’", "'").split())
    m = re.fullmatch(r"(?i)london\s+(victoria|waterloo|waterloo east|euston|paddington|marylebone|"
                     r"liverpool street|charing cross|cannon street|blackfriars|fenchurch street|"
                     r"king's cross|kings cross|st\.? pancras.*)", s)
    return m.group(1) if m else s


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


_STREETISH = (r"(road|street|lane|avenue|grove|way|place|hill|rise|gardens|terrace|crescent|drive|walk|row|"
              r"square|parade|green|mews|close|park)$")
_WARD_NOT = ["and", "ward", "hospital", "road", "street", "north", "south", "east", "west", "central",
             "upper", "lower", "village", "town"]
_WARD_NOT_RE = re.compile(r"&|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"


def _ward_fine(name: str | None) -> bool:
    """A ward name a patient would use for a place."""
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- how the receptionist hears it -----------------------------------------------------------------------

# sound-alike respellings of a lower-case word: (pattern, replacement); one applies where it matches
SOUND_RULES = [(r"([bdfgklmnprstz])\1", r"\1"), (r"(?<=[aeiou])([dlnprt])(?=[aeiouy])", r"\1\1"),
               (r"ck", "k"), (r"ph", "f"), (r"c(?=[eiy])", "s"), (r"ei", "ee"), (r"ie", "ee"), (r"ea", "ee"),
               (r"ai", "a"), (r"ou", "ow"), (r"ow", "ou"), (r"oo", "u"), (r"(?<=[a-z]{2})y$", "i"),
               (r"(?<=[a-z]{2})y$", "ey"), (r"^h(?=[aeiou])", ""), (r"(?<=[a-z])ham$", "am"), (r"th", "t"),
               (r"th", "d"), (r"^w(?=[aeiou])", "v"), (r"v", "w"), (r"(?<=[a-z]{2})er$", "a"), (r"ough", "o"),
               (r"tion", "shun"), (r"wich$", "ich"), (r"(?<=[a-z]{3})e$", ""), (r"ee", "i"), (r"x", "ks"),
               (r"qu", "kw"), (r"(?<=[a-z]{3})s$", "z"), (r"^kn", "n"), (r"ay", "ey"), (r"aw", "or"),
               (r"(?<=[aeiou])s(?=[aeiou])", "z"), (r"ure$", "ur"), (r"^j", "y"), (r"wh", "w"), (r"gh$", "")]

# postcode letters heard for one that sounds alike
HEAR_PC = {"B": "PDV", "P": "BT", "D": "BT", "T": "DP", "V": "B", "M": "N", "N": "M", "F": "S", "S": "F",
           "G": "J", "J": "G", "A": "K", "K": "A", "C": "Z", "Z": "C"}

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEEN_WORDS = {10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen",
              16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty"}


def _letters(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _by_sound(rng: random.Random, word: str) -> str:
    """A word of a name spelt the way it sounded: one or two sound-alike respellings, the first letter's
    case kept; an acronym or a short word stays as it is."""
    if len(word) < 4 or not word.isalpha() and not re.fullmatch(r"[A-Za-z]+'[A-Za-z]*", word):
        return word
    if word.isupper():
        return word
    low = word.lower()
    for _ in range(1 if rng.random() < 0.7 else 2):
        spots = [(m.start(), m.end(), m.expand(rep))
                 for pat, rep in SOUND_RULES for m in re.finditer(pat, low)]
        if not spots:
            break
        i, j, rep = rng.choice(spots)
        new = low[:i] + rep + low[j:]
        if len(_letters(new)) >= 3:
            low = new
    if word[:1].isupper():
        low = low[:1].upper() + low[1:]
    return low


def _spell(rng: random.Random, pc: str) -> str:
    """A postcode spelt out as said over the phone: letters one by one, digits as words (or figures), a
    repeated one now and then "double ..", a two-digit number now and then as one word."""
    out: list[str] = []
    for part in pc.split():
        for run in re.findall(r"[A-Z]+|[0-9]+", part.upper()):
            if run.isdigit() and len(run) == 2 and int(run) in TEEN_WORDS and rng.random() < 0.4:
                out.append(TEEN_WORDS[int(run)])
                continue
            words = [DIGIT_WORDS[int(c)] if c.isdigit() and rng.random() < 0.75 else c for c in run]
            i = 0
            while i < len(words):
                if i + 1 < len(words) and words[i] == words[i + 1] and rng.random() < 0.5:
                    out.append(f"double {words[i]}")
                    i += 2
                else:
                    out.append(words[i])
                    i += 1
        if rng.random() < 0.3 and part != pc.split()[-1]:
            out[-1] += ","
    return " ".join(out)


def _n(s: str) -> str:
    """A name, marked: its words may be spelt by their sound."""
    return f"\x0e{s}\x0f"


def _p(s: str) -> str:
    """A postcode, marked: a letter may be misheard, and it may be spelt out."""
    return f"\x10{s}\x11"


def _hear(rng: random.Random, marked: str, p: float) -> tuple[str, bool]:
    """A marked text as the receptionist types it, and whether a word changed (a name spelt by sound, a
    postcode letter misheard)."""
    changed = 0

    def name(m: re.Match) -> str:
        nonlocal changed
        words = m.group(1).split()
        for i, w in enumerate(words):
            if changed < 2 and rng.random() < p:
                new = _by_sound(rng, w)
                if _letters(new) != _letters(w):
                    words[i] = new
                    changed += 1
        return " ".join(words)

    def postcode(m: re.Match) -> str:
        nonlocal changed
        pc = m.group(1)
        if rng.random() < p:
            spots = [i for i, c in enumerate(pc) if c in HEAR_PC]
            if spots:
                i = rng.choice(spots)
                pc = pc[:i] + rng.choice(HEAR_PC[pc[i]]) + pc[i + 1:]
                changed += 1
        return _spell(rng, pc) if rng.random() < SPELL_P else pc

    text = re.sub(r"\x0e([^\x0f]*)\x0f", name, marked)
    text = re.sub(r"\x10([^\x11]*)\x11", postcode, text)
    return " ".join(text.split()), changed > 0


FRAMES = ["patient says {t}", "pt says {t}", "via interpreter: {t}", "(interpreter) {t}",
          "{t} (via interpreter)", "{t} - per interpreter", "interpreter: {t}", "language line - {t}",
          "pt limited English - {t}", "{t} (pt little English)", "through interpreter, {t}",
          "{lang} interpreter: {t}", "per {lang} interpreter - {t}", "{t} [{lang} interp]",
          "phone interpreter says {t}", "son translating: {t}", "{t} - friend translated",
          "pt speaks {lang}, says {t}", "acc. to interpreter {t}", "interp: {t}",
          "{t} (as per interpreter, {lang})", "pt said in {lang} - {t}", "via lang line: {t}",
          "{t} ?? pt poor English", "daughter interpreting - {t}", "pt says (limited Eng) {t}"]
WAS_FRAMES = ["interpreter says {pr} was {t}", "patient say {pr} was {t}", "{pr} was {t} (per interpreter)",
              "pt explains {pr} was {t}", "interpreter: {pr} was {t} when it happen", "says it happen {t}",
              "interpreter says happened {t}", "{pr} say it was {t}"]
LANGS = ["Polish", "Romanian", "Portuguese", "Somali", "Turkish", "Arabic", "Bengali", "Tigrinya", "Spanish",
         "Lithuanian", "Albanian", "Farsi", "Kurdish", "Vietnamese", "Mandarin", "Tamil", "Urdu", "Amharic",
         "French", "Bulgarian", "Pashto", "Twi", "Russian", "Italian"]
PRONOUNS = ["he", "she", "they", "pt"]

# --- what is said ----------------------------------------------------------------------------------------

PUB_TEXT = ["in the pub {v}", "inside pub {v}", "outside of the pub {v}", "pub {v}", "in front of {v} pub",
            "at the garden of pub {v}", "toilet of the pub {v}", "{v}, the pub", "in bar {v}",
            "at the side of pub {v}", "behind of the {v} pub", "near from pub {v}", "the pub, name {v}",
            "smoking place of pub {v}"]
PARK_TEXT = ["in {v}", "inside the {v}", "at {v}", "walking in the {v}", "near to the gate of {v}",
             "in {v}, near the playground", "on the path of {v}", "in the {v}, by the trees", "next of {v}"]
FOOD_TEXT = ["inside shop {v}", "in front of {v}", "restaurant {v}", "in the {v}", "at the side of {v}",
             "outside the shop of {v}", "in shop {v}", "takeaway {v}", "behind of {v}", "next of {v}",
             "at the door of {v}", "the chicken shop {v}", "in the queue of {v}", "cafe {v}"]
CLUB_TEXT = ["in club {v}", "outside the club {v}", "disco {v}", "nightclub {v}", "queue of club {v}",
             "inside the {v} club"]

CHAIN_SAID = {"tesco": ["Tesco", "Tescos", "Tesco's"],
              "sainsburys": ["Sainsbury", "Sainsburys", "Sainsbury's"],
              "costa": ["Costa", "Costa coffee", "Costas"], "starbucks": ["Starbuck", "Starbucks"],
              "mcdonalds": ["McDonald", "McDonalds", "Mac Donald"], "kfc": ["KFC", "K F C"],
              "aldi": ["Aldi", "Aldis"], "lidl": ["Lidl", "Lidls"], "greggs": ["Gregg", "Greggs"],
              "subway": ["Subway", "Subways"], "pret": ["Pret", "Prets"], "nandos": ["Nando", "Nandos"],
              "iceland": ["Iceland", "Icelands"], "morrisons": ["Morrison", "Morrisons"],
              "asda": ["Asda", "Asdas"], "waitrose": ["Waitrose"],
              "wetherspoon": ["Wetherspoon", "Wetherspoons"], "dominos": ["Domino", "Dominos"],
              "boots": ["Boot", "Boots"], "londis": ["Londis"], "budgens": ["Budgen", "Budgens"],
              "wasabi": ["Wasabi"], "itsu": ["Itsu"], "leon": ["Leon"], "wilko": ["Wilko", "Wilkos"]}
CHAIN_ALONE = ["inside shop {c}", "in {c}", "in the {c}", "outside of {c}", "in front of {c}",
               "car park of {c}", "at the till of {c}", "the {c} near my house", "next of the {c}",
               "behind of {c}", "the {c}, inside", "door of {c}"]
CHAIN_STREET = ["{c} of {w}", "the {c} in {w}", "in front of {c}, {w}", "inside {c} on {w}",
                "{c} in street {w}"]
CHAIN_STATION = ["{c} next of station {s}", "the {c} near from {s} station", "in front of {c} by station {s}",
                 "{c} of station {s}", "the big {c} near the station of {s}"]
CHAIN_AREA = ["near to the {c} of {a}", "{c} in {a}", "inside {c} of {a}", "the {c}, {a}", "{c} {a}"]

HOSPITAL_HERE_TEXT = ["here", "here in hospital", "this hospital", "in this hospital", "here, in the waiting",
                      "in waiting room here", "here in emergency", "outside this hospital",
                      "car park of this hospital", "here at A&E", "inside here", "in this A&E",
                      "here, in the toilet", "at reception of this hospital", "here in the corridor",
                      "the hospital here", "in here when waiting", "entrance of this hospital",
                      "here, outside the door", "in this place, the hospital"]
HOSPITAL_NAMED_TEXT = ["in hospital {h}", "at the {h}", "outside of the {h}", "inside {h}", "{h}, emergency",
                       "emergency of {h}", "car park of {h}", "in front of {h}", "the big hospital {h}",
                       "at the side of {h}"]

MODE_SAID = {"tube": ["metro", "underground", "tube", "station", "tube station"],
             "rail": ["station", "train station", "railway station", "trains"],
             "overground": ["overground", "station", "train station"],
             "dlr": ["DLR", "station", "DLR station"], "tram": ["tram", "tram stop", "station of tram"]}
STATION_TEXT = ["in front of {m} {s}", "{m} of {s}", "at {s} {m}", "inside the {m} {s}",
                "{s} {m}, on the platform", "on the stairs of {m} {s}", "near from {m} {s}",
                "the bus stop in front of {m} {s}", "the big supermarket next of {m} {s}",
                "the shops near {m} {s}", "outside the {m} of {s}", "at the side of {s} {m}",
                "behind of the {m} {s}", "at the ticket machine of {m} {s}", "in the {m} {s}"]

STREET_TEXT = ["{st}", "in {st}", "in the {st}", "number {n} of {st}", "{st} number {n}",
               "outside the house {n} of {st}", "house number {nw} {st}", "near to the {l} on {st}",
               "in front of {l} of {st}", "on the corner from {st}", "at the side of {st}",
               "bus stop of {st}", "walking in {st}", "the chicken shop on {st}",
               "behind of the shops in {st}", "at the end of {st}", "in the bus {b} on {st}",
               "next of the {l}, {st}", "outside number {n} {st}"]
STREET_PLACE = [" in {a}", " of {a}", " ({a})", ", {a}", " near {a}"]
JUNCTION_TEXT = ["on the corner from {a} and {b}", "corner of {a} with {b}", "where {a} meet {b}",
                 "crossing {a} and {b}", "at the lights of {a} and {b}", "{a} and {b}, the corner",
                 "{a} with {b}", "junction {a} {b}", "bus stop {a} / {b}", "in the corner {a} and {b}",
                 "{a}, corner of {b}", "near the crossing of {a} and {b}", "the traffic light {a} {b}",
                 "where is {a} and {b}"]
POSTCODE_TEXT = ["{p}", "postcode {p}", "the postcode is {p}", "pt gives postcode {p}", "near to {p}",
                 "street of {p}", "outside the house, {p}", "{p} (patient spell it)", "post code {p}",
                 "in the {p}"]
SECTOR_TEXT = ["{p}", "postcode start {p}", "begin with {p}", "around of {p}", "{p} something",
               "{p} and not know the end"]
DISTRICT_TEXT = ["{d}", "in {d}", "area {d}", "around of {d}", "somewhere in the {d}", "postcode {d} only"]
AREA_TEXT = ["{a}", "in {a}", "area {a}", "in the area of {a}", "somewhere of {a}", "in street of {a}",
             "near to {a} centre", "the estate in {a}", "in the {a}", "outside in {a}", "walking in {a}"]

HOME_TEXT = ["in my house", "at home", "his house", "her flat", "the home of him", "in house of patient",
             "where she live", "at her home", "in the kitchen of her flat", "home of patient", "my flat",
             "inside his flat", "in the house where he live", "own home", "at home, the bedroom",
             "in the stairs of her building, her flat", "at the door of my house", "her house, living room",
             "in home", "the flat of patient", "at his home by the husband", "in the garden of my house"]
DWELLING = ["house of friend", "in the flat of my cousin", "at the friend house", "house of her sister",
            "at the brother flat", "at a party in house of friend", "flat of my uncle", "house of the aunt",
            "at the home of his friend", "in flat of her mother", "the house of boyfriend",
            "at friend of him, the flat", "the flat of neighbour", "in the house of the family",
            "house of my mother in law", "at the cousin house", "in the room of friend flat",
            "flat of the girlfriend", "house of his grandmother", "at the neighbour flat",
            "in the house of my ex", "flat of friend from work"]
UNKNOWN = ["patient not know", "she don't know where", "no remember", "not sure the place",
           "he cannot say where", "does not know", "unknown - language barrier", "not able to tell",
           "don't know the name of street", "patient no understand question", "cannot explain where",
           "not known, lang barrier", "somewhere, he don't know name", "unknown", "not known",
           "pt unsure, no English", "not remember the place", "he is new, don't know the area",
           "cannot say, too confused", "no answer", "interpreter could not get it", "does not know the name"]
NON_PLACES = ["in police custody", "in the prison", "at the work", "in my work", "in car", "inside a car",
              "in the taxi", "in his country", "outside of UK, on holiday", "at a party", "at the party",
              "on the bus", "in the bus", "in the train", "at the school", "in the hostel", "at the mosque",
              "at church", "at the gym", "in the shop where he work", "police station, in the cell",
              "in the cell", "at the building site", "in the restaurant where she work", "on the boat",
              "in the car of friend", "at the wedding", "at the football", "in the metro", "in the lift",
              "in the stairs", "in the care home", "at college", "at university", "in the kitchen of work",
              "at the car wash where he work", "in the van", "at the festival", "in the club",
              "in the street", "in a shop", "in the park", "on the way to work", "in the night bus",
              "at the concert", "in the hotel", "in the detention centre", "at the market where he work",
              "in the factory", "in the office", "in the warehouse", "in the uber", "at the bus stop",
              "in the airport", "in the church hall", "at the job centre", "in the salon where she work",
              "in the ambulance", "at the barber", "at the barbecue"]


def _frame(rng: random.Random, text: str, placed: bool) -> str:
    """The interpreter's framing, now and then; a "she was ..." framing only for a place or a home."""
    if rng.random() >= FRAME_P:
        return text
    frames = FRAMES + WAS_FRAMES if placed else FRAMES
    return rng.choice(frames).format(t=text, lang=rng.choice(LANGS), pr=rng.choice(PRONOUNS))


def _number(rng: random.Random) -> int:
    return rng.choice([rng.randint(1, 30), rng.randint(1, 180)])


def _number_said(k: int) -> str:
    if k < 10:
        return DIGIT_WORDS[k]
    if k in TEEN_WORDS:
        return TEEN_WORDS[k]
    return " ".join(DIGIT_WORDS[int(c)] for c in str(k))


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``interp`` family, about ``n`` texts (reproducible for a given gazetteer)."""
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
        text, typo = _hear(rng, marked, HEAR_P[cls.split(",")[0]])
        text = _frame(rng, text, placed=level != "none")
        if rng.random() < LOWER_P:
            text = text.lower()
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

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
        said = _said(rng, name, drop_the=0.2 if kind == "park" else 0.6, turn=0.5 if kind == "park" else 0.0)
        add("venue", rng.choice(forms), "venue", x, y, fid, names={"v": said})

    # Chains: a branch of a brand with four or more branches; some texts say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(conn, salted, CHAINS, per,
                                                                            k["chain"]):
        c = rng.choice(CHAIN_SAID.get(brand, [brand]))
        r = rng.random()
        street_ok = bool(street) and not re.search(r"[0-9,()]", street)
        if r < 0.25 and street_ok:
            add("chain", rng.choice(CHAIN_STREET), "venue", x, y, fid,
                names={"c": c, "w": _said(rng, street, turn=0.3)})
        elif r < 0.37 and stn:
            add("chain", rng.choice(CHAIN_STATION), "venue", x, y, fid,
                names={"c": c, "s": _said(rng, _stn_name(stn), drop_the=0.0)})
        elif r < 0.48 and _ward_fine(ward):
            add("chain", rng.choice(CHAIN_AREA), "venue", x, y, fid, names={"c": c, "a": _said(rng, ward)})
        elif r < 0.56 and district:
            form = rng.choice(CHAIN_AREA).replace("{a}", "{d}")
            add("chain", form, "venue", x, y, fid, names={"c": c, "d": district})
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", x, y, fid, names={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here", "this hospital"); the rest name one.
    here_k = k["hospital"] // 5
    for fid, code, x, y in truths.ae_sites(conn, salted, here_k):
        add("hospital", rng.choice(HOSPITAL_HERE_TEXT), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, _has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        add("hospital", rng.choice(HOSPITAL_NAMED_TEXT), "venue", x, y, fid,
            names={"h": _said(rng, name, drop_the=0.7, turn=0.35)})

    # Stations near an A&E site, with the patient's word for the kind of station.
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        m = rng.choice(MODE_SAID[_mode(source, net, lines, name)])
        add("station", rng.choice(STATION_TEXT), "venue", x, y, fid,
            names={"s": _said(rng, _stn_name(name), drop_the=0.0)}, plain={"m": m})

    # Streets: a random point of the street; common names often get a ward or postcode district; some
    # name a pub or shop within 120 m of the point.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(conn, salted, _STREETISH,
                                                                          k["street"]):
        form = rng.choice(STREET_TEXT)
        names = {"st": _said(rng, name, turn=0.3)}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None:
                form = "in {st}"
            else:
                names["l"] = _said(rng, landmark, drop_the=0.8)
        if rng.random() < (0.6 if namesakes > 3 else 0.2):
            if _ward_fine(ward) and (not district or rng.random() < 0.5):
                form += rng.choice(STREET_PLACE)
                names["a"] = _said(rng, ward)
            elif district:
                form += rng.choice(STREET_PLACE).replace("{a}", "{d}")
                names["d"] = district
        num = _number(rng)
        add("street", form, "street", x, y, fid, names=names,
            plain={"n": str(num), "nw": _number_said(num), "b": str(rng.randint(1, 470))})

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_said(rng, part.strip(), turn=0.25) for part in name.split("/"))
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
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 9973, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", x, y, fid, names={"a": _said(rng, name)})

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
