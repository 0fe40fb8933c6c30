"""A twelfth held-out family of labelled assault locations, ``textback``: the place as the patient THEMSELF
wrote it, replying on a phone to the violence-reduction team's follow-up text message or web form a few days
after an A&E visit ("Where did the incident happen? Reply with the place or street").

Written 2026-12-07, started 06:56:19 UTC and finished 07:08:09 UTC (``date -u``), by a helper session asked
to write a blind family the geocoder's developers have never seen. What was read to write it: the whole of
``heldout_i.py`` (the model for the module's structure: how truths are drawn through ``truths.py``, how the
reporting A&E site is chosen, the class shares, the ``typo`` flag and the docstring; none of its phrase
lists, abbreviations or brand forms were taken over); the whole of ``truths.py`` and ``sites.py``; from
``independent.py`` only the definitions of ``IndependentExample``, ``CHAINS`` and ``_clean_name`` (found with
``grep -n``, the definitions' line ranges printed and nothing else); the ``FAMILY`` and ``SEED`` lines (grep
only) of heldout.py and heldout_b.py .. heldout_k.py, to pick an unused name and seed;
tests/geocoding/test_heldout_legacy.py, tests/geocoding/heldout_checks.py and tests/geocoding/conftest.py
(the model for this family's test file); the lines of pyproject.toml naming the pytest markers and the ruff
settings; the column lists and random sample rows of gazetteer.feature, gazetteer.source_feature,
gazetteer.postcode and health.ae_site (counts of features by kind and level, random pub, station, ward,
hospital, street, park and food-premises names, the names of hospitals near an A&E site and of the A&E sites,
station sources and networks, a few bus-stop names, and the names of a handful of well-known stations, to
write their nicknames); and this module's own output (``generate(conn, 900)`` on the dev gazetteer) and the
results of its own test file, tests/geocoding/test_heldout_textback.py (the only
tests run). Not read: anything under db/functions/, db/schema.sql, docs/, safestats/geocoding/evaluation.py,
blind*.py, blind_nonplaces.txt, diagnose.py, calibration.py, labelled.py, the rest of independent.py,
heldout_j.py and heldout_k.py beyond their FAMILY / SEED lines, the phrase lists of heldout.py and
heldout_b.py .. heldout_h.py (none of those files was opened), tests/geocoding/test_geocoder*, the other
test_heldout_*.py files, /work/scratch, /tmp/f_*, /tmp/*.log, /work/note.md, the git history. Every phrase,
template, nickname, brand form, abbreviation and noise rule below was written fresh for this module. The
geocoder was never run on these texts (no call of safestats.geocode or geocode_candidates or of any geocode*
SQL function, no ``make eval-geocoder``, no evaluation module).

Style. A patient's own reply typed with their thumbs: mostly lower case with little punctuation; now and then
a greeting or an answer to the question in front ("hi yes", "sorry for the late reply", "it happened at"),
an afterthought ("tbh", "innit", "lol", "i think") or a sign-off ("x", "thx", "cheers") behind; text-speak
for the relation to the place ("nr", "opp", "outside", "by the", "round the corner from"); places as
Londoners say them: "the" and apostrophes mostly dropped, "and" typed "&" or "n", the common street words
typed short ("rd", "st", "ave"), "x" for "cross", a station often without the word "station" or by its
nickname ("elephant", "tcr", "kings x"), a big hospital by its nickname ("kings", "tommys", "mayday") or
without the word "hospital", a park now and then without the word "park", a high street as "the high st",
chains as people say them ("maccies", "spoons", "sainsbos", "tescos", "starbs" ...; ``BRANDS``), postcodes
typed with the space lost and in lower case ("se154qf"), a half-remembered postcode as its sector ("se15 4
something"). Placed texts of every class; the no-place answers as patients give them: home ("at mine", "in
my block"), a friend's or relative's home ("at my mates", "house party" -- level home), stated unknowns
("rather not say", "was drunk dont remember", "idk" -- level none) and non-places ("in a cab", "on the
bus", "at work", "prison", "online", "not in london", "on holiday", and wrong-number or off-topic replies
such as "who is this", "stop", "ok thanks" -- all level none). No text names a second place other than its
truth's own locality (a chain's street, station, ward or postcode district; a street's ward or district) or
the pub or shop within 120 m of a street point.

Labels. Classes and levels as in the other held-out families: venues with a unique name (pubs, parks, food
premises, clubs; level venue), chain branches with a locality ("chain") and without ("chain, no locality"),
hospitals (a fifth of them "here" / "at the hospital" / "in your waiting room" texts whose truth is the
reporting site itself), stations of any mode, street points (a common name often with its ward or postcode
district; some outside the pub or shop nearest the point within 120 m), junctions (a bus stop named after
two streets), postcode units, sectors and districts, wards (level area), home, unknown and non-places (one
in six of them a friend's or relative's home, level home; the rest level none). Truths and reporting sites
are drawn from the gazetteer through ``truths.py`` and ``sites.py``, ordered by an md5 salted with this
family's SEED, so a given gazetteer and ``n`` always give the same set.

Noise (what sets ``typo``). ``typo`` is true exactly when a word of a name (the truth's own name, a chain's
brand form, or a locality / landmark named with it) or a postcode in the text lost its letters: (a) a
phone-keyboard slip in one word of a name of four letters or more (``SLIP_P`` by class: the key beside it
on the same row, a letter dropped or doubled, two letters swapped; the first letter kept); (b) autocorrect
replacing a word of a name by a similar real word one edit away (``NAME_AUTOCORRECT``: "lane" -> "lame",
"arms" -> "army"); (c) a message sent too soon, the text ending part-way through the name's last
distinctive word (at least four letters and 60% of it kept; ``SENT_EARLY_P``); (d) a postcode typed with
the letter o for a zero or l for a one. Not typos: lower / upper / title case (the capital autocorrect puts
on a name or the first word), apostrophes dropped or added, a dropped "the", "&" / "n" for "and", the
short forms in ``ABBREV``, the brand forms in ``BRANDS``, the nicknames in ``NICKNAMES`` and the words a
patient leaves out of a name (``DROPPABLE``: "hospital", "university", "park" ...; a station's "station"),
a postcode's space lost or doubled, doubled spaces, a space lost between two words, and slips and
autocorrections in the words around the name (``PLAIN_SLIP_P``, ``PLAIN_AUTOCORRECT``).

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

FAMILY = "textback"
SEED = 4_730_862

SHARES = {
    "venue": 0.12,
    "chain": 0.12,
    "hospital": 0.07,
    "station": 0.10,
    "street": 0.11,
    "junction": 0.06,
    "postcode": 0.04,
    "sector": 0.03,
    "district": 0.05,
    "area": 0.06,
    "home": 0.07,
    "unknown": 0.06,
    "nonplace": 0.11,
}

# the chance of a phone-keyboard slip in one word of a name (or in a postcode), per name in the text
SLIP_P = {
    "venue": 0.14,
    "chain": 0.09,
    "hospital": 0.12,
    "station": 0.13,
    "street": 0.13,
    "junction": 0.09,
    "postcode": 0.14,
    "sector": 0.14,
    "district": 0.12,
    "area": 0.12,
    "home": 0.0,
    "unknown": 0.0,
    "nonplace": 0.0,
}
NAME_AUTOCORRECT_P = 0.06  # ... or autocorrect putting a real word in place of a word of the name
SENT_EARLY_P = 0.05  # the reply sent part-way through the last word (when the name ends the text)
ABBR_P = 0.35  # a street word (road, street ...) typed short
THE_KEEP_P = 0.3  # a leading "the" of a name kept
APOS_KEEP_P = 0.15  # a name's apostrophes kept
NICK_P = 0.45  # a station or hospital with a nickname called by it
DROP_P = 0.3  # a word a patient leaves out of a name ("hospital", "park") left out
GREET_P = 0.26  # a greeting / an answer to the question in front
LEAD_P = 0.3  # "it was", "it happened at" before the place
TAIL_P = 0.1  # an afterthought after it
SIGN_P = 0.2  # a sign-off
PLAIN_SLIP_P = 0.08  # a slip in a word around the name
PLAIN_AUTOCORRECT_P = 0.25  # autocorrect on a word around the name it knows (per word)
DOUBLE_P = 0.12  # a doubled space
SPACE_LOST_P = 0.035  # a space between two words lost
END_P = 0.2  # a full stop, "..", "!" or "?" at the end
CASE_P = {"lower": 0.58, "sentence": 0.21, "names": 0.09, "one": 0.08, "caps": 0.04}

# --- how patients type the words of a place ---------------------------------------------------------------

# a name word -> its short forms in a text message (first letter kept, letters in order; "x" for cross)
ABBREV = {
    "road": ["rd"],
    "street": ["st", "str"],
    "avenue": ["ave", "av"],
    "lane": ["ln"],
    "saint": ["st"],
    "gardens": ["gdns"],
    "square": ["sq"],
    "crescent": ["cres"],
    "place": ["pl"],
    "junction": ["junc", "jct"],
    "mount": ["mt"],
    "hospital": ["hosp"],
    "university": ["uni"],
    "london": ["ldn"],
    "cross": ["x"],
    "court": ["ct"],
    "centre": ["ctr"],
    "park": ["pk"],
    "estate": ["est"],
}
AND_FORMS = ["and", "and", "and", "&", "&", "n"]

# words of a name a patient may leave out whole (not a typo: the text just does not say them)
DROPPABLE = {"hospital": "hospital", "university": "hospital", "general": "hospital", "park": "park"}

# words that do not tell one place from another
GENERIC = {
    "the",
    "and",
    "&",
    "n",
    "of",
    "road",
    "street",
    "avenue",
    "lane",
    "gardens",
    "park",
    "station",
    "house",
    "junction",
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
    "ltd",
    "limited",
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
    "cross",
    "london",
    "mount",
    "broadway",
    "gate",
    "end",
    "bridge",
    "church",
}

# chains as people text them (each brand's own name among them)
BRANDS = {
    "tesco": ["tesco", "tescos", "tesco express", "tesco extra", "tesco metro", "the tesco"],
    "sainsburys": ["sainsburys", "sainsbury", "sainsburys local", "sainsbos", "sainos"],
    "costa": ["costa", "costa coffee", "costas"],
    "starbucks": ["starbucks", "starbs", "starbies"],
    "mcdonalds": ["mcdonalds", "maccies", "maccy ds", "mcdonald", "macdonalds", "mcdees"],
    "kfc": ["kfc", "kentucky", "kfc chicken"],
    "aldi": ["aldi", "aldis"],
    "lidl": ["lidl", "lidls"],
    "greggs": ["greggs", "greggs bakery", "greggs the bakers"],
    "subway": ["subway", "subway shop"],
    "pret": ["pret", "pret a manger"],
    "nandos": ["nandos", "nando", "nandos restaurant"],
    "iceland": ["iceland", "iceland shop", "icelands"],
    "morrisons": ["morrisons", "morrisons", "morries"],
    "asda": ["asda", "asdas", "big asda"],
    "waitrose": ["waitrose", "waitroses"],
    "wetherspoon": ["spoons", "wetherspoons", "the spoons", "wetherspoon", "wethers"],
    "dominos": ["dominos", "dominoes", "dominos pizza"],
    "boots": ["boots", "boots chemist", "boots shop"],
    "londis": ["londis", "the londis"],
    "budgens": ["budgens", "budgins"],
    "wasabi": ["wasabi"],
    "itsu": ["itsu"],
    "leon": ["leon", "leon restaurant"],
    "wilko": ["wilko", "wilkos"],
}

# nicknames of some well-known stations and hospitals, keyed by the name's plain words (``_plain_key``)
NICKNAMES = {
    "elephant and castle": ["elephant", "the elephant", "elephant n castle"],
    "tottenham court road": ["tcr", "tottenham ct rd"],
    "seven sisters": ["7 sisters"],
    "clapham junction": ["clapham junc", "clapham jct", "clap junction"],
    "kings cross st pancras": ["kings x", "kings cross"],
    "kings cross": ["kings x"],
    "walthamstow central": ["walthamstow"],
    "highbury and islington": ["highbury", "highbury n islington"],
    "shepherds bush market": ["shepherds bush mkt"],
    "london bridge": ["ldn bridge"],
    "kings college hospital": ["kings", "kings hospital", "kings college"],
    "guys hospital": ["guys"],
    "st thomas hospital": ["st thomas", "tommys", "st tommys"],
    "st georges hospital": ["st georges", "georges hospital"],
    "university college hospital": ["uch"],
    "royal london hospital": ["the royal london", "royal london"],
    "queen elizabeth hospital": ["the qe", "qe hospital", "queen lizzie"],
    "croydon university hospital": ["mayday", "mayday hospital"],
    "princess royal university hospital": ["the pru", "pruh"],
    "university hospital lewisham": ["lewisham hospital"],
    "north middlesex university hospital": ["north mid", "north middlesex"],
    "north middlesex hospital": ["north mid"],
    "west middlesex university hospital": ["west mid"],
    "chelsea and westminster hospital": ["chelsea n westminster", "chelsea and west"],
    "homerton university hospital": ["the homerton", "homerton"],
    "whipps cross university hospital": ["whipps", "whipps cross"],
    "whipps cross hospital": ["whipps"],
    "whittington hospital": ["the whittington", "whittington"],
    "royal free hospital": ["the royal free"],
    "st marys hospital": ["st marys"],
    "st helier hospital": ["st helier"],
    "charing cross hospital": ["charing x hospital"],
    "northwick park hospital": ["northwick park"],
}

# autocorrect's real word for a word of a name: each one edit from the word
NAME_AUTOCORRECT = {
    "lane": ["lame", "land"],
    "road": ["read", "roar"],
    "grove": ["grave", "grover"],
    "hill": ["hull", "hell"],
    "park": ["part", "pork"],
    "green": ["greet", "greed"],
    "arms": ["army", "arts"],
    "crown": ["crows", "grown"],
    "rose": ["rise", "nose"],
    "bell": ["belt", "ball"],
    "castle": ["cattle", "castles"],
    "cross": ["crass", "gross"],
    "kings": ["kinds", "kings"],
    "queens": ["queen"],
    "place": ["plane", "plate", "palace"],
    "square": ["squares"],
    "gardens": ["garden"],
    "market": ["marker", "markets"],
    "high": ["nigh", "thigh"],
    "north": ["worth", "forth"],
    "south": ["mouth", "youth"],
    "west": ["vest", "best"],
    "white": ["write", "whites"],
    "black": ["blank", "slack"],
    "lion": ["loin"],
    "horse": ["hose", "house"],
    "head": ["heat", "heads"],
    "tavern": ["taverns"],
    "anchor": ["anchors"],
    "star": ["stay"],
    "fox": ["fix"],
    "common": ["commons"],
    "wood": ["word", "woof"],
    "manor": ["major"],
    "mill": ["mile", "milk"],
    "well": ["wall", "welly"],
    "hall": ["halt", "half"],
    "lord": ["lore", "lords"],
    "king": ["kind", "kong"],
    "grange": ["orange", "grunge"],
    "dragon": ["dragons"],
    "swan": ["swam", "scan"],
    "plough": ["plough"],
    "station": ["stations"],
    "street": ["streets"],
    "junction": ["junctions"],
    "hospital": ["hospitals"],
    "college": ["collage"],
    "court": ["count", "courts"],
}
NAME_AUTOCORRECT = {
    k: [w for w in v if w != k] for k, v in NAME_AUTOCORRECT.items() if any(w != k for w in v)
}

# autocorrect on the words around the name
PLAIN_AUTOCORRECT = {
    "dont": ["don't"],
    "cant": ["can't"],
    "wont": ["won't"],
    "im": ["I'm"],
    "ive": ["I've"],
    "its": ["it's"],
    "i": ["I"],
    "id": ["I'd"],
    "thats": ["that's"],
    "didnt": ["didn't"],
    "were": ["we're"],
    "nr": ["Mr", "Nr"],
    "opp": ["Opp", "oops"],
    "mates": ["mate's"],
    "tbh": ["TBH"],
    "lol": ["LOL"],
    "idk": ["IDK"],
    "innit": ["Innit", "inn it"],
    "thx": ["Thx"],
    "ur": ["your"],
    "wanna": ["wanna", "want a"],
    "abt": ["about"],
    "outside": ["Outside"],
    "yeah": ["Yeah"],
    "sorry": ["Sorry"],
    "hiya": ["Hiya"],
}
PLAIN_AUTOCORRECT = {k: [w for w in v if w != k] for k, v in PLAIN_AUTOCORRECT.items()}

_SUFFIX = re.compile(r"(?i)(?:\s*[-,.]?\s*\b(?:ltd|limited|plc|llp|t/a)\.?|\s*@.*)\s*$")


def _plain(name: str) -> str:
    """A name as a patient knows it: no bracketed part (when something is left without it), company suffix or
    "@" tail."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s, last = _clean_name(s), None
    while s != last:
        s, last = _SUFFIX.sub("", s).strip(), s
    return s


def _plain_key(name: str) -> str:
    """A name's plain words, the key of ``NICKNAMES``: lower case, no apostrophes, "&" as "and", a leading
    "the" off."""
    s = _plain(name).lower().replace("&", " and ")
    s = re.sub(r"['’`]", "", s)
    words = re.findall(r"[a-z0-9]+", s)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _words(rng: random.Random, name: str, the_keep: float = THE_KEEP_P) -> list[str]:
    """A gazetteer name as a patient types it: lower case, no brackets, suffix, commas or full stops,
    apostrophes mostly dropped, "and" / "&" / "n" either way, a leading "the" mostly left off."""
    s = _plain(name).replace("’", "'").replace("`", "'")
    keep_apos = rng.random() < APOS_KEEP_P
    s = s if keep_apos else s.replace("'", "")
    s = re.sub(r"[\"“”,;:!?./\-]", " ", s).lower().replace("&", " & ")
    words = s.split()
    if len(words) > 1 and words[0] == "the" and rng.random() >= the_keep:
        words = words[1:]
    return [rng.choice(AND_FORMS) if w in ("and", "&") else w for w in words]


def _shorten(rng: random.Random, words: list[str], p: float = ABBR_P) -> list[str]:
    """The short forms, each word but the first with chance ``p`` ("court road" -> "court rd", never
    "ct road"); a name of one word stays whole."""
    return [
        rng.choice(ABBREV[w]) if i and w in ABBREV and rng.random() < p else w for i, w in enumerate(words)
    ]


_SHORT = {f for forms in ABBREV.values() for f in forms}


def _key(words: list[str]) -> int:
    """The index of a name's last distinctive word (-1 when every word is generic)."""
    for i in range(len(words) - 1, -1, -1):
        w = re.sub(r"[^a-z0-9]", "", words[i].lower())
        if w and w not in GENERIC and w not in _SHORT:
            return i
    return -1


# --- thumbs on a phone keyboard --------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
BESIDE = {
    c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _ROWS
    for i, c in enumerate(row)
}


def _slip(rng: random.Random, word: str) -> str:
    """One thumb slip in a lower-case word of four letters or more; its first letter kept."""
    if len(word) < 4 or not word.isalpha():
        return word
    low = word.lower()
    for _ in range(20):
        op = rng.choice(["beside", "beside", "beside", "drop", "double", "swap", "swap"])
        i = rng.randint(1, len(low) - 1)
        if op == "beside":
            new = low[:i] + rng.choice(BESIDE.get(low[i], low[i])) + low[i + 1 :]
        elif op == "drop":
            new = low[:i] + low[i + 1 :]
        elif op == "double":
            new = low[:i] + low[i] + low[i:]
        else:
            i = min(i, len(low) - 2)
            new = low[:i] + low[i + 1] + low[i] + low[i + 2 :]
        if new != low and len(new) >= 3:
            return new
    return word


@dataclass
class Slot:
    """A name or a code in a template: the words typed, the words meant (before any slip), whether it is the
    truth's own name (primary), a code, its last distinctive word, and what happened to it."""

    words: list[str]
    said: list[str]
    primary: bool = True
    code: bool = False
    key: int = -1
    slipped: bool = False
    nick: bool = False
    how: str = ""


def _spoil(rng: random.Random, words: list[str], cls: str) -> tuple[list[str], str]:
    """A slip of the thumb (``SLIP_P``) or autocorrect's real word (``NAME_AUTOCORRECT_P``) in one word of
    the name; the words and what happened ("" for nothing)."""
    r = rng.random()
    if r < SLIP_P[cls]:
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w not in _SHORT]
        if spots:
            i = rng.choice(spots)
            new = _slip(rng, words[i])
            if new != words[i]:
                return words[:i] + [new] + words[i + 1 :], "slip"
    elif r < SLIP_P[cls] + NAME_AUTOCORRECT_P:
        spots = [i for i, w in enumerate(words) if w in NAME_AUTOCORRECT]
        if spots:
            i = rng.choice(spots)
            return words[:i] + [rng.choice(NAME_AUTOCORRECT[words[i]])] + words[i + 1 :], "autocorrect"
    return words, ""


def _name_slot(
    rng: random.Random,
    name: str,
    cls: str,
    primary: bool = True,
    the_keep: float = THE_KEEP_P,
    drop: str | None = None,
    nick: bool = False,
) -> Slot:
    """A name as typed: a nickname (``nick``: stations and hospitals), or its words with "the", apostrophes,
    "and", short forms and droppable words (``drop``: "hospital", "park") as a patient has them; then
    maybe one slip or autocorrection."""
    forms = NICKNAMES.get(_plain_key(name)) if nick else None
    if forms and rng.random() < NICK_P:
        words = rng.choice(forms).split()
        return Slot(words, list(words), primary, key=_key(words), nick=True)
    words = _words(rng, name, the_keep)
    if drop and rng.random() < DROP_P:
        kept = [w for w in words if DROPPABLE.get(w) != drop]
        if len([w for w in kept if w != "the"]) < 2:  # the head word ("hospital", "park") stays
            kept = [w for w in words if DROPPABLE.get(w) != drop or w == drop]
        if _key(kept) >= 0:
            words = kept
    words = _shorten(rng, words)
    typed, how = _spoil(rng, words, cls)
    return Slot(typed, list(words), primary, key=_key(words), slipped=bool(how), how=how)


def _pc_typed(rng: random.Random, code: str) -> str:
    """A postcode (unit, sector or district) as thumbs type it: mostly lower case, the space mostly lost in
    a full one, now and then doubled; upper case when copied from a letter."""
    upper = rng.random() < 0.2
    s = code.upper() if upper else code.lower()
    if " " in s:
        outward, inward = s.split()
        r = rng.random()
        gap = "" if r < 0.55 else " " if r < 0.93 else "  "
        if len(inward) == 1:  # a sector: the gap kept (else it reads as a longer district)
            gap = gap or " "
        s = outward + gap + inward
    return s


def _code_slot(rng: random.Random, code: str, cls: str, primary: bool = True) -> Slot:
    """A postcode, sector or district as typed, maybe with the letter o for a zero or l for a one."""
    typed = _pc_typed(rng, code)
    spots = [i for i, c in enumerate(typed) if c in "01" and i > 0]
    if spots and rng.random() < SLIP_P[cls]:
        i = rng.choice(spots)
        wrong = {"0": "o", "1": "l"}[typed[i]]
        wrong = wrong.upper() if typed.isupper() else wrong
        return Slot(
            [typed[:i] + wrong + typed[i + 1 :]], [typed], primary, code=True, slipped=True, how="slip"
        )
    return Slot([typed], [typed], primary, code=True)


# --- around the place -------------------------------------------------------------------------------------

GREETINGS = [
    "hi",
    "hiya",
    "hello",
    "hey",
    "hi there",
    "hi yes",
    "yes",
    "yeah",
    "yep",
    "morning",
    "evening",
    "sorry for late reply",
    "sorry for the late reply",
    "sorry only just seen this",
    "hi thanks for checking",
    "thanks for the message",
    "thank you for getting in touch",
    "hi sorry",
    "ok",
    "hi yeah",
    "hello yes",
    "hiya sorry been busy",
    "yes hi",
    "afternoon",
    "hey thanks for asking",
]
GREET_SEPS = [" ", " ", ", ", ". ", " - ", "! ", ".. "]
LEADS_BARE = [
    "it was",
    "it was at",
    "it happened at",
    "happened at",
    "was at",
    "at",
    "the place was",
    "this was at",
    "we was at",
    "i was at",
]
LEADS_PREP = [
    "it was",
    "it happened",
    "was",
    "happened",
    "it was just",
    "it all happened",
    "this was",
    "i was",
    "we was",
    "it kicked off",
]
TAILS = [
    "innit",
    "tbh",
    "lol",
    "i think",
    "i think so",
    "roughly",
    "or round there",
    "or near there anyway",
    "if that helps",
    "cant remember exactly where",
    "sorry",
    "thats all i know",
    "thats where it was",
    "idk the exact spot",
    "not sure exactly",
    "pretty sure",
    "or thereabouts",
]
TAIL_SEPS = [" ", " ", ", ", " - ", ". ", " .. "]
SIGNOFFS = [
    "x",
    "xx",
    "thx",
    "thanks",
    "thank you",
    "cheers",
    "ta",
    "thanks x",
    "thx x",
    "many thanks",
    "ty",
    "thank u",
    "cheers x",
]
ENDS = [".", "..", "!", "?", "...", " ."]
# first words of a place that take a lead-in without "at" ("it was outside ...", "it was where ...")
PREPS = {
    "at",
    "in",
    "outside",
    "by",
    "near",
    "nr",
    "opp",
    "on",
    "round",
    "inside",
    "behind",
    "just",
    "down",
    "along",
    "across",
    "walking",
    "queueing",
    "getting",
    "coming",
    "top",
    "halfway",
    "over",
    "somewhere",
    "where",
    "its",
    "corner",
    "junction",
    "postcode",
    "pc",
    "leaving",
    "queue",
    "same",
    "home",
    "private",
    "out",
}
# first words of a place that take no lead-in ("its se15 4 something")
NO_LEAD = {"its", "postcode", "pc", "private", "same", "the postcode"}


# --- what patients reply ----------------------------------------------------------------------------------

PUB_TEXT = [
    "{v}",
    "the {v}",
    "{v} pub",
    "outside {v}",
    "outside the {v}",
    "in the {v}",
    "inside {v} pub",
    "at the {v}",
    "beer garden at the {v}",
    "smoking area outside {v}",
    "in the toilets at {v}",
    "by the bar in {v}",
    "outside {v} pub on the pavement",
    "{v} pub garden",
    "the pub {v}",
    "out the front of {v}",
    "round the back of the {v}",
    "just outside {v}",
    "in the {v} pub",
]
CLUB_TEXT = [
    "{v}",
    "{v} club",
    "outside {v}",
    "in {v}",
    "queue for {v}",
    "queueing outside {v}",
    "inside {v} on the dancefloor",
    "at {v} nightclub",
    "smoking area at {v}",
    "{v} toilets",
    "in the club {v}",
    "leaving {v}",
]
PARK_TEXT = [
    "{v}",
    "in {v}",
    "at {v}",
    "walking through {v}",
    "by the gates of {v}",
    "{v} by the playground",
    "on the path in {v}",
    "by the cafe in {v}",
    "in {v} near the tennis courts",
    "on a bench in {v}",
    "outside {v}",
    "{v} by the pond",
    "the football pitches in {v}",
    "down {v}",
]
FOOD_TEXT = [
    "{v}",
    "outside {v}",
    "in {v}",
    "inside {v}",
    "at {v}",
    "{v} shop",
    "{v} takeaway",
    "the {v} takeaway",
    "outside the {v} shop",
    "in the queue at {v}",
    "by the counter in {v}",
    "just outside {v}",
    "the shop {v}",
    "round the corner from {v}",
    "by {v}",
    "opp {v}",
    "nr {v}",
]

CHAIN_STREET = [
    "{c} on {w}",
    "the {c} on {w}",
    "outside {c} on {w}",
    "{c} {w}",
    "in the {c} on {w}",
    "{w} {c}",
    "by {c} on {w}",
    "{c} down {w}",
    "outside the {c} {w}",
    "{c} thats on {w}",
]
CHAIN_STATION = [
    "{c} by {s} station",
    "{c} near {s} station",
    "{c} opp {s} station",
    "the {c} outside {s} station",
    "{c} nr {s}",
    "{c} at {s} station",
    "{c} next to {s} station",
    "the {c} by {s}",
    "{c} round the corner from {s} station",
]
CHAIN_AREA = [
    "{c} in {a}",
    "the {c} in {a}",
    "{a} {c}",
    "outside {c} in {a}",
    "{c} {a}",
    "{c} over {a} way",
    "the {c} down {a}",
    "by the {c} in {a}",
]
CHAIN_ALONE = [
    "{c}",
    "at {c}",
    "outside {c}",
    "in {c}",
    "inside {c}",
    "the {c}",
    "outside the {c}",
    "in the {c} car park",
    "by the tills in {c}",
    "at the {c} doors",
    "the queue in {c}",
    "round the back of {c}",
    "opp {c}",
    "by {c}",
    "nr {c}",
    "by the cash machine outside {c}",
    "{c} innit",
]

HOSPITAL_HERE = [
    "here",
    "at the hospital",
    "at a&e",
    "in your waiting room",
    "in the waiting room",
    "outside a&e",
    "in the a and e",
    "at your hospital",
    "in the hospital car park",
    "outside the a and e entrance",
    "in ur waiting room",
    "at the hospital lol",
    "on the ward",
    "in the hospital",
    "at a and e",
    "where i came to get seen",
    "in your car park",
    "outside your entrance",
    "in the ambulance bay outside",
    "in the hospital toilets",
    "at ur hospital",
    "same place i got treated",
]
HOSPITAL_NAMED = [
    "{h}",
    "at {h}",
    "outside {h}",
    "in {h}",
    "{h} car park",
    "outside {h} a&e",
    "at {h} a and e",
    "in the car park at {h}",
    "by the entrance to {h}",
    "outside the main entrance of {h}",
    "the bus stop outside {h}",
    "on the grounds of {h}",
    "{h} waiting room",
]

MODE_WORDS = {
    "tube": ["tube", "tube station", "station", "stn", "underground station", "", ""],
    "rail": ["station", "train station", "stn", "", "rail station", "station"],
    "overground": ["overground", "overground station", "station", ""],
    "dlr": ["dlr", "dlr station", "station", ""],
    "tram": ["tram stop", "tram stop", "tram", ""],
    "elizabeth": ["station", "elizabeth line", "", "crossrail"],
}
STATION_TEXT = [
    "{s} {m}",
    "outside {s} {m}",
    "at {s} {m}",
    "by {s} {m}",
    "in {s} {m}",
    "on the platform at {s} {m}",
    "the bus stop outside {s} {m}",
    "on the stairs at {s} {m}",
    "by the barriers at {s} {m}",
    "{s} {m} by the ticket machines",
    "nr {s} {m}",
    "opp {s} {m}",
    "getting off at {s} {m}",
    "just outside {s} {m}",
    "coming out of {s} {m}",
    "round the back of {s} {m}",
]

STREET_TEXT = [
    "{st}",
    "on {st}",
    "outside {n} {st}",
    "{n} {st}",
    "down {st}",
    "along {st}",
    "on {st} by the bus stop",
    "at the bottom of {st}",
    "top end of {st}",
    "halfway down {st}",
    "in the alley off {st}",
    "on the estate off {st}",
    "{st} near the shops",
    "in the street on {st}",
    "on {st} outside {l}",
    "outside {l} on {st}",
    "round the corner from {l} on {st}",
    "{st} by {l}",
    "{st} opp {l}",
    "on {st} nr {l}",
]
STREET_QUAL = [" in {q}", " {q}", ", {q}", " over {q} way", " in {q} i think", " - {q}"]
CODE_QUAL = [" {q}", " in {q}", ", {q}"]
JUNCTION_TEXT = [
    "corner of {a} and {b}",
    "{a} and {b}",
    "{a}/{b}",
    "where {a} meets {b}",
    "junction of {a} & {b}",
    "{a} junction with {b}",
    "at the lights {a} and {b}",
    "the crossing at {a} and {b}",
    "bus stop at {a}/{b}",
    "on the corner {a} {b}",
    "on {a} just by {b}",
    "{a} by {b}",
    "{a} corner {b}",
    "on {a} at the {b} end",
]
POSTCODE_TEXT = [
    "{p}",
    "postcode {p}",
    "its {p}",
    "{p} i think",
    "near {p}",
    "postcode was {p}",
    "round {p}",
    "the postcode is {p}",
    "{p} thats the postcode",
    "pc {p}",
]
SECTOR_TEXT = [
    "{p} something",
    "{p} cant remember the rest",
    "{p}..",
    "postcode starts {p}",
    "{p} not sure of the rest",
    "its {p} something",
    "{p}??",
    "{p} summat",
]
DISTRICT_TEXT = [
    "{d}",
    "in {d}",
    "round {d}",
    "{d} area",
    "somewhere in {d}",
    "{d} way",
    "{d} somewhere",
    "over {d}",
    "in {d} not sure where exactly",
    "{d} innit",
]
AREA_TEXT = [
    "{a}",
    "in {a}",
    "round {a}",
    "{a} way",
    "somewhere in {a}",
    "on an estate in {a}",
    "at the rec in {a}",
    "near the shops in {a}",
    "just in {a}",
    "in {a} on the street",
    "walking through {a}",
    "{a} innit",
    "over {a}",
    "the estate in {a}",
]

HOME_TEXT = [
    "at home",
    "home",
    "my house",
    "my flat",
    "at mine",
    "in my flat",
    "outside my house",
    "outside my flat",
    "my address",
    "where i live",
    "in my block",
    "the stairs in my block",
    "on my doorstep",
    "at my front door",
    "in my kitchen",
    "in my bedroom",
    "my garden",
    "at my place",
    "my home address",
    "same as my address",
    "in my own house",
    "at my house",
    "in the flat",
    "at home sadly",
    "my own front door",
    "the landing outside my flat",
]
DWELLING = [
    "at my mates",
    "my mates house",
    "at a mates flat",
    "my friends house",
    "at my cousins",
    "at my girlfriends",
    "my boyfriends flat",
    "my exs place",
    "at my mums",
    "at my nans",
    "my dads house",
    "my brothers flat",
    "house party",
    "at a house party",
    "at my aunties",
    "my partners flat",
    "a friends place",
    "someones house",
    "at my sisters",
    "my neighbours flat",
    "next doors",
    "at my mates yard",
    "at my uncles",
]
UNKNOWN = [
    "dont want to say",
    "rather not say",
    "id rather not say",
    "prefer not to say",
    "cant remember",
    "dont remember",
    "was drunk dont remember",
    "too drunk to remember",
    "idk",
    "i dont know",
    "not sure",
    "no idea",
    "not sure tbh",
    "cant really remember",
    "its all a blur",
    "dont know the name of the place",
    "somewhere i didnt know",
    "dunno",
    "no comment",
    "i dont wanna say",
    "private",
    "im not saying",
    "forgot sorry",
    "honestly cant remember",
    "dont know sorry",
    "i was out of it",
]
NON_PLACES = [
    "in a cab",
    "in an uber",
    "in a taxi",
    "on the bus",
    "on the night bus",
    "on the train",
    "on the tube",
    "at work",
    "work",
    "at my work",
    "in prison",
    "prison",
    "in custody",
    "online",
    "it was online",
    "on social media",
    "over the phone",
    "not in london",
    "out of london",
    "outside london",
    "on holiday",
    "abroad",
    "on holiday abroad",
    "at school",
    "at college",
    "at a party",
    "at a festival",
    "at the football",
    "in the car",
    "in my car",
    "in a car",
    "at the gym",
    "at church",
    "at a wedding",
    "in a hotel",
    "on a coach",
    "who is this",
    "who is this?",
    "stop",
    "ok thanks",
    "ok thank you",
    "wrong number",
    "who r u",
    "i think u have the wrong number",
    "leave me alone",
    "please stop texting me",
    "no",
    "ok",
    "thanks im fine now",
    "im ok now thanks",
    "how did u get this number",
    "unsubscribe",
    "not interested",
    "what incident",
    "at a gig",
    "on the way home",
    "in the lift",
    "in a van",
]


# --- stations, streets and wards ---------------------------------------------------------------------------


# a station name ending so reads as a street or a park without the word "station" after it
_STREET_END = {
    "road",
    "street",
    "lane",
    "avenue",
    "park",
    "hill",
    "green",
    "gardens",
    "square",
    "way",
    "junction",
    "place",
    "rd",
    "st",
    "ave",
    "ln",
    "pk",
    "sq",
    "junc",
    "jct",
    "pl",
    "common",
    "rise",
}


def _mode(source: str, network: str | None, lines: str | None, name: str) -> str:
    """The kind of station, for the word a patient puts after its name."""
    said = f"{network or ''} {lines or ''} {name}".lower()
    if "dlr" in said:
        return "dlr"
    if "tram" in said:
        return "tram"
    if re.search(r"\bel$", name.strip().lower()) or "elizabeth" in said or "tfl rail" in said:
        return "elizabeth"
    if source == "naptan_rail":
        return "rail"
    if "overground" in said:
        return "overground"
    return "tube"


def _station_name(name: str) -> str:
    """A station's own name: no bracketed part, network, line code or "station" word."""
    s = re.sub(r"\([^)]*\)", " ", name).strip()
    s = re.sub(r"(?i)\s*-\s*(dlr|tram|tramlink|underground|overground)\s*$", "", s)
    s = re.sub(r"(?i)\s+(lu|el|ell|nr|lo|dlr|rail station|railway station|station|stn)\s*$", "", s.strip())
    return " ".join(s.split())


_STREETISH = (
    r"(road|street|lane|avenue|grove|place|gardens|terrace|crescent|square|parade|hill|way|walk|"
    r"row|green)$"
)
_WARD_NOT = [
    "and",
    "ward",
    "hospital",
    "road",
    "street",
    "park",
    "common",
    "gardens",
    "station",
    "north",
    "south",
    "east",
    "west",
    "central",
    "upper",
    "lower",
    "village",
    "town",
    "fields",
    "vale",
]
_WARD_NOT_RE = re.compile(r"&|,|[0-9]|\b(?:" + "|".join(_WARD_NOT) + r")\b", re.I)
_WARD_NOT_PG = r"&|,|[0-9]|\m(" + "|".join(_WARD_NOT) + r")\M"


def _ward_fine(name: str | None) -> bool:
    return bool(name) and not _WARD_NOT_RE.search(name) and len(name.split()) <= 3


# --- a reply ----------------------------------------------------------------------------------------------


def _pieces(form: str, slots: dict[str, Slot]) -> list[list]:
    """The template as pieces [text, tag]: a plain word or a space, or one word of a slot (tagged with
    (slot, index))."""
    out: list[list] = []
    for part in re.split(r"(\{[a-z]+\})", form):
        if not part:
            continue
        m = re.fullmatch(r"\{([a-z]+)\}", part)
        if m and m.group(1) in slots:
            for i, w in enumerate(slots[m.group(1)].words):
                if i:
                    out.append([" ", None])
                out.append([w, (m.group(1), i)])
        else:
            for tok in re.split(r"(\s+)", part):
                if tok:
                    out.append([tok, None])
    return out


def _plain_noise(rng: random.Random, pieces: list[list]) -> None:
    """Autocorrect and one slip of the thumb in the words around the names (never in a name)."""
    for p in pieces:
        if p[1] is None and p[0] in PLAIN_AUTOCORRECT and rng.random() < PLAIN_AUTOCORRECT_P:
            p[0] = rng.choice(PLAIN_AUTOCORRECT[p[0]])
    if rng.random() < PLAIN_SLIP_P:
        spots = [p for p in pieces if p[1] is None and len(p[0]) >= 4 and p[0].isalpha()]
        if spots:
            p = rng.choice(spots)
            p[0] = _slip(rng, p[0])


def _sent_early(rng: random.Random, pieces: list[list], slots: dict[str, Slot]) -> bool:
    """With chance ``SENT_EARLY_P``, when the text ends with the last word of the truth's own name and that
    is its distinctive word, the reply sent part-way through it (four letters and 60% of it kept)."""
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if not pieces or pieces[-1][1] is None:
        return False
    k, i = pieces[-1][1]
    slot = slots[k]
    word = pieces[-1][0]
    if (
        not slot.primary
        or slot.code
        or slot.nick
        or i != len(slot.words) - 1
        or i != slot.key
        or not word.isalpha()
        or len(word) < 7
        or rng.random() >= SENT_EARLY_P
    ):
        return False
    pieces[-1][0] = word[: rng.randint(max(4, math.ceil(0.6 * len(word))), len(word) - 1)]
    return True


def _case(rng: random.Random, pieces: list[list], slots: dict[str, Slot]) -> str:
    """The reply in the case the phone left it: lower, a capital at the start of a sentence (and "I"),
    names capitalised by autocorrect, one word capitalised, or all capitals."""
    r, mode = rng.random(), "lower"
    for m, p in CASE_P.items():
        if r < p:
            mode = m
            break
        r -= p
    if mode == "caps":
        return "".join(p[0] for p in pieces).upper()
    if mode == "names":
        for p in pieces:
            if p[1] is not None:
                p[0] = p[0].upper() if slots[p[1][0]].code else p[0][:1].upper() + p[0][1:]
    if mode == "one":
        spots = [p for p in pieces if p[0][:1].isalpha()]
        if spots:
            p = rng.choice(spots)
            p[0] = p[0][:1].upper() + p[0][1:]
    text = "".join(p[0] for p in pieces)
    if mode in ("sentence", "names"):
        text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
        text = re.sub(r"\bi\b(?!')", "I", text)
    return text


def _spaces(rng: random.Random, pieces: list[list], slots: dict[str, Slot]) -> None:
    """A space doubled, or one between two words of letters lost (never next to a postcode)."""
    gaps = [j for j in range(1, len(pieces) - 1) if pieces[j][0] == " "]
    if gaps and rng.random() < DOUBLE_P:
        pieces[rng.choice(gaps)][0] = "  "
    elif gaps and rng.random() < SPACE_LOST_P / (1 - DOUBLE_P):

        def wordy(p):
            return p[0].isalpha() and not (p[1] and slots[p[1][0]].code)

        fine = [j for j in gaps if wordy(pieces[j - 1]) and wordy(pieces[j + 1])]
        if fine:
            pieces[rng.choice(fine)][0] = ""


def _reply(
    rng: random.Random,
    form: str,
    slots: dict[str, Slot],
    plain: dict[str, str] | None = None,
    lead: bool = True,
) -> tuple[str, bool]:
    """The patient's reply: a greeting and a lead-in maybe, the place (``form`` with its names), an
    afterthought and a sign-off maybe, the noise; and whether a name or postcode lost letters (``typo``)."""
    for key, val in (plain or {}).items():
        form = form.replace("{" + key + "}", val)
    for k, s in slots.items():  # no "the the"
        if s.words and s.words[0].lower() == "the":
            form = form.replace("the {" + k + "}", "{" + k + "}")
    form = " ".join(form.split())
    first = form.split()[0] if form.split() else ""
    if lead and first not in NO_LEAD and rng.random() < LEAD_P:
        form = rng.choice(LEADS_PREP if first in PREPS else LEADS_BARE) + " " + form
    if rng.random() < GREET_P:
        form = rng.choice(GREETINGS) + rng.choice(GREET_SEPS) + form
    pieces = _pieces(form, slots)
    early = _sent_early(rng, pieces, slots)
    if not early:
        tail = ""
        if rng.random() < TAIL_P:
            tail += rng.choice(TAIL_SEPS) + rng.choice(TAILS)
        if rng.random() < SIGN_P:
            tail += rng.choice([" ", " ", ". ", ", ", "  "]) + rng.choice(SIGNOFFS)
        pieces += [[tok, None] for tok in re.split(r"(\s+)", tail) if tok]
    _plain_noise(rng, pieces)
    _spaces(rng, pieces, slots)
    text = _case(rng, pieces, slots)
    if not early and rng.random() < END_P:
        text += rng.choice(ENDS)
    typo = early or any(s.slipped for s in slots.values())
    return text, typo


# --- the family ------------------------------------------------------------------------------------------


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``textback`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def salted(expr: str, salt: str) -> str:
        return f"md5('{SEED}:{salt}:{FAMILY}:' || {expr})"

    site_near = reporting_site_chooser(
        conn, rng, none_unplaced=0.3, none_placed=0.06, nearest=0.82, second=0.94
    )
    srid = conn.execute("SELECT ST_SRID(geom) FROM gazetteer.postcode LIMIT 1").fetchone()
    srid = srid[0] if srid else 27700

    def add(cls, form, level, x=None, y=None, fid=None, site="near", slots=None, plain=None, lead=True):
        code = site_near(x, y) if site == "near" else site
        text, typo = _reply(rng, form, slots or {}, plain, lead)
        out.append(IndependentExample(FAMILY, cls, text, level, x, y, code, fid, typo))

    # Venues whose name no other venue has: pubs, parks, food premises and clubs.
    quota = {"pub": round(k["venue"] * 0.4), "park": round(k["venue"] * 0.08)}
    rows: list[tuple] = []
    for kind in ("pub", "park", "venue"):
        want = quota[kind] if kind != "venue" else k["venue"] - len(rows)
        rows += truths.unique_venues(conn, salted, kind, want, CHAINS, max_name=30)
    for fid, name, kind, x, y, business in rows[: k["venue"]]:
        drop = None
        if (
            kind == "pub"
            or re.search(r"(?i)\b(tavern|inn|arms)\b", name)
            or "pub" in (business or "").lower()
        ):
            forms = PUB_TEXT
        elif kind == "park":
            forms, drop = PARK_TEXT, "park"
        elif re.search(r"(?i)\b(club|nightclub)\b", name):
            forms = CLUB_TEXT
        else:
            forms = FOOD_TEXT
        slot = _name_slot(rng, name, "venue", drop=drop)
        add("venue", rng.choice(forms), "venue", x, y, fid, slots={"v": slot})

    # Chains: a branch of a brand with four or more branches; some replies say where it is.
    per = max(2, k["chain"] // max(1, len(CHAINS)) + 3)
    for fid, brand, street, district, ward, stn, x, y in truths.chain_branches(
        conn, salted, CHAINS, per, k["chain"]
    ):
        bw = rng.choice(BRANDS.get(brand, [brand]))
        typed, how = _spoil(rng, bw.split(), "chain")
        c = Slot(typed, bw.split(), True, key=len(typed) - 1, slipped=bool(how), how=how)
        r = rng.random()
        if r < 0.25 and street and not re.search(r"[0-9,()/]", street):
            add(
                "chain",
                rng.choice(CHAIN_STREET),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "w": _name_slot(rng, street, "chain", primary=False)},
            )
        elif r < 0.40 and stn:
            add(
                "chain",
                rng.choice(CHAIN_STATION),
                "venue",
                x,
                y,
                fid,
                slots={
                    "c": c,
                    "s": _name_slot(rng, _station_name(stn), "chain", primary=False, the_keep=1.0),
                },
            )
        elif r < 0.50 and _ward_fine(ward):
            add(
                "chain",
                rng.choice(CHAIN_AREA),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "a": _name_slot(rng, ward, "chain", primary=False)},
            )
        elif r < 0.58 and district:
            add(
                "chain",
                rng.choice(CHAIN_AREA).replace("{a}", "{d}"),
                "venue",
                x,
                y,
                fid,
                slots={"c": c, "d": _code_slot(rng, district, "chain", primary=False)},
            )
        else:
            add("chain, no locality", rng.choice(CHAIN_ALONE), "venue", x, y, fid, slots={"c": c})

    # Hospitals: a fifth are the reporting site itself ("here", "in your waiting room"); the rest name one.
    for fid, code, x, y in truths.ae_sites(conn, salted, k["hospital"] // 5):
        add("hospital", rng.choice(HOSPITAL_HERE), "venue", x, y, fid, site=code)
    here_n = sum(e.cls == "hospital" for e in out)
    for fid, name, x, y, has_ed in truths.hospitals(conn, salted, k["hospital"] - here_n):
        slot = _name_slot(
            rng, name, "hospital", the_keep=0.5, drop="hospital" if has_ed else None, nick=has_ed
        )
        add("hospital", rng.choice(HOSPITAL_NAMED), "venue", x, y, fid, slots={"h": slot})

    # Stations near an A&E site, with the patient's word for the kind of station (or none).
    for fid, name, source, net, lines, x, y in truths.stations(conn, salted, k["station"]):
        slot = _name_slot(rng, _station_name(name), "station", the_keep=1.0, nick=True)
        said = [
            w for w in MODE_WORDS[_mode(source, net, lines, name)] if w or slot.said[-1] not in _STREET_END
        ]
        add(
            "station",
            rng.choice(STATION_TEXT),
            "venue",
            x,
            y,
            fid,
            slots={"s": slot},
            plain={"m": rng.choice(said)},
        )

    # Streets: a point of the street; common names often with a ward or postcode district; some outside the
    # pub or shop nearest the point within 120 m.
    for fid, name, district, namesakes, ward, x, y in truths.street_points(
        conn, salted, _STREETISH, k["street"]
    ):
        form = rng.choice(STREET_TEXT)
        st = _name_slot(rng, name, "street")
        if re.match(r"(?i)high\s", name) and rng.random() < 0.5 and st.words[0] != "the":
            st = Slot(["the", *st.words], ["the", *st.said], key=st.key + 1, slipped=st.slipped, how=st.how)
        slots = {"st": st}
        if "{l}" in form:
            landmark = truths.landmark_near(conn, x, y, srid)
            if landmark is None or not _words(random.Random(0), landmark):
                form = rng.choice(["{st}", "on {st}", "down {st}"])
            else:
                slots["l"] = _name_slot(rng, landmark, "street", primary=False)
        if "{l}" not in form and rng.random() < (0.6 if namesakes > 3 else 0.15):
            if _ward_fine(ward) and (not district or rng.random() < 0.5):
                form += rng.choice(STREET_QUAL)
                slots["q"] = _name_slot(rng, ward, "street", primary=False)
            elif district:
                form += rng.choice(CODE_QUAL)
                slots["q"] = _code_slot(rng, district, "street", primary=False)
        add("street", form, "street", x, y, fid, slots=slots, plain={"n": str(rng.randint(1, 140))})

    # Junctions: a bus stop named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in truths.junction_stops(conn, salted, k["junction"]):
        a, b = (_name_slot(rng, part.strip(), "junction") for part in name.split("/"))
        if rng.random() < 0.5:
            a, b = b, a
        add("junction", rng.choice(JUNCTION_TEXT), "junction", x, y, slots={"a": a, "b": b})

    # Postcodes, sectors and districts: a random unit of each, its point the truth.
    for display, x, y in truths.postcode_points(conn, salted, "display", "unit", k["postcode"]):
        add(
            "postcode",
            rng.choice(POSTCODE_TEXT),
            "postcode",
            x,
            y,
            slots={"p": _code_slot(rng, display, "postcode")},
        )
    for sector, x, y in truths.postcode_points(conn, salted, "sector", "sector", k["sector"]):
        add("sector", rng.choice(SECTOR_TEXT), "sector", x, y, slots={"p": _code_slot(rng, sector, "sector")})
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
    for fid, name, x, y in truths.ward_points(conn, salted, _WARD_NOT_PG, SEED % 9973, k["area"]):
        add("area", rng.choice(AREA_TEXT), "area", x, y, fid, slots={"a": _name_slot(rng, name, "area")})

    # No place: own home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_TEXT), "home")
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none", lead=False)
    for i in range(k["nonplace"]):
        if i % 6 == 4:
            add("nonplace", rng.choice(DWELLING), "home")
        else:
            add("nonplace", rng.choice(NON_PLACES), "none", lead=False)
    rng.shuffle(out)
    return out
