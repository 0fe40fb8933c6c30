"""The ``events`` held-out family (safestats.geocoding.heldout_r): location fields of assault records of
people hurt at or around gatherings and leisure in London (the patient, a friend, event medics, stewards,
event control, the police or the crew say where: grounds by their name, nickname or sponsor's name, stages,
sports clubs, leisure centres, parks, halls, pubs, chain outlets, the station walked from, the street the
crowd was on, the ticket's postcode; who the patient was, when, drink, log numbers, what happened; slips of
gloved fingers and hurried thumbs, words spelt as heard, codes misheard over a radio or mistyped on a number
pad; answers that are no place; no database needed for those), and its generator on the geocoding tests' slice
of the gazetteer (conftest.py): reproducible, labelled like the other families, each class near its share,
every truth the place its text names, ``typo`` set exactly when letters of a name or code were damaged,
reporting sites where the other families put them, and no list taken over from another family. The geocoder is
never run here."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_o as O  # read only to compare lists
from safestats.geocoding import heldout_p as P  # read only to compare lists
from safestats.geocoding import heldout_q as Q  # read only to compare lists
from safestats.geocoding import heldout_r as R
from safestats.geocoding import independent
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
_TEAM_END = re.compile(r"(?i)\s+(rugby\s+(union\s+)?football\s+club|football\s+(club|ground)|f\.?c\.?)$")


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _canon(s: str) -> str:
    """Lower case letters and digits only; "&" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", _fold(s).lower().replace("&", "and"))


def _strip(name: str) -> str:
    """A name without a bracketed part (when letters are left) or company suffix."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    return re.sub(r"(?i)([\s,.\-]*\b(ltd|limited|plc|llp|cic)\b\.?\s*)+$", "", s.strip())


def _words(name: str) -> list[str]:
    """A name's words as the tests read them: lower case letters and digits, apostrophes gone, "&" as
    "and"."""
    s = re.sub(r"['’`]", "", _fold(_strip(name)).lower()).replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _text_words(text: str) -> list[str]:
    s = re.sub(r"['’`]", "", _fold(text).lower()).replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _forms(word: str, last: bool) -> list[str]:
    """A word of a name as written: whole, "and" as "n", a last street word short."""
    out = [word]
    if word == "and":
        out.append("n")
    if last and word in R.ROAD_SHORT:
        out.append(R.ROAD_SHORT[word])
    return out


def _named(name: str, text: str) -> bool:
    """Every word of the name a whole word of the text, in order and together: as it is, short, "n" for
    "and", a "The" in front or a team ground's end (TEAM_ENDS) left off."""
    words = _words(name)
    end = _TEAM_END.search(_strip(name))
    keep = len(_words(_strip(name)[: end.start()])) if end else len(words)
    pat = ""
    for i, w in enumerate(words):
        alt = " (?:" + "|".join(map(re.escape, _forms(w, i == len(words) - 1))) + ")"
        pat += f"(?:{alt})?" if (i == 0 and w == "the") or i >= keep else alt
    return re.search(pat + "(?= )", " " + " ".join(_text_words(text)) + " ") is not None


def _dist(a: str, b: str) -> int:
    """Edit distance with neighbour transpositions."""
    d = [[max(i, j) if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def _found_loosely(word: str, text: str) -> bool:
    """The word in the text whole, short, or two edits apart at most (a slip)."""
    t = _canon(text)
    if any(f in t for f in _forms(word, True)):
        return True
    return any(
        _dist(t[i : i + n], word) <= 2
        for n in range(max(3, len(word) - 2), len(word) + 3)
        for i in range(len(t) - n + 1)
    )


def _named_loosely(name: str, text: str) -> bool:
    """Every word of the name a person must write (not one that may be left off) in the text despite a
    slip."""
    words = [w for w in _words(name) if w not in R.LEFT_WORDS] or _words(name)
    return all(_found_loosely(w, text) for w in words)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (spaces aside, any case), or (``exact`` false) with one
    character of it replaced."""
    c, t = _canon(code), _canon(text)
    if c in t:
        return True
    return not exact and any(_dist(t[i : i + len(c)], c) <= 1 for i in range(len(t) - len(c) + 1))


def _strings(x) -> set[str]:
    """Every string held in a list, dict (keys and values), set or tuple, nested, lower case (patterns by
    their text)."""
    if isinstance(x, str):
        return {x.lower()}
    if isinstance(x, re.Pattern):
        return {x.pattern.lower()}
    if isinstance(x, dict):
        return _strings(list(x.keys())) | _strings(list(x.values()))
    if isinstance(x, (list, tuple, set, frozenset)):
        return set().union(*(_strings(v) for v in x)) if x else set()
    return set()


def _pairs(x) -> set[tuple]:
    """The (from, to) pairs of a dict or a list of pairs, lower case (patterns by their text)."""
    def low(v):
        return (v.pattern if isinstance(v, re.Pattern) else str(v)).lower()

    if isinstance(x, dict):
        return {(low(a), low(b)) for a, b in x.items() if isinstance(b, (str, re.Pattern))}
    return {(low(v[0]), low(v[1])) for v in x if isinstance(v, tuple) and len(v) == 2}


def _their_lists() -> dict[str, object]:
    """heldout_o's, heldout_p's and heldout_q's module-level lists, sets and dicts, and independent.py's
    no-place, station word and road lists, by name."""
    out = {}
    for mod, tag in ((O, "O"), (P, "P"), (Q, "Q")):
        for name in dir(mod):
            v = getattr(mod, name)
            if name.isupper() and isinstance(v, (list, tuple, set, frozenset, dict)):
                out[f"{tag}.{name}"] = v
    for name in ("NONPLACES_NONE", "NONPLACES_HOME", "UNKNOWN", "HOME", "STATION_WORDS", "ROAD_ABBR"):
        out[f"independent.{name}"] = getattr(independent, name)
    return out


def _aka(name: str) -> list[str]:
    """A ground's or stage's other names (GROUND_AKA), by its name's letters."""
    return R.GROUND_AKA.get(re.sub(r"[^a-z0-9]", "", re.sub(r"(?i)^the\s+", "", _strip(name)).lower()), [])


# --- how people at events write places, no database -------------------------------------------------------


def test_names_are_written_the_way_people_at_events_write_them():
    assert R._plain("Lord'S Cricket Ground") == "Lord's Cricket Ground"
    assert R._plain("SOUTHFIELDS LAWN TENNIS CLUB") == "Southfields Lawn Tennis Club"
    assert R._plain("Sutton Cricket Club Ltd") == "Sutton Cricket Club"
    assert R._plain("Nunhead Cemetery (All Saints)") == "Nunhead Cemetery" and R._plain("(Oval)") == "Oval"
    assert R._plain("Royal Botanic Gardens, Kew") == "Royal Botanic Gardens Kew"
    assert R._station_name("MUDCHUTE - DLR") == "Mudchute"
    assert R._station_name("Leicester Square LU") == "Leicester Square"
    assert R._station_name("Battersea Power Station") == "Battersea Power Station"
    assert R._station_name("Denmark Hill Rail Station") == "Denmark Hill"
    assert R._net("naptan_rail", None, None, "Feltham") == "rail"
    assert R._net("tfl_stations_2018", "DLR", "n/a", "MUDCHUTE - DLR") == "dlr"
    assert R._net("tfl_stations_2018", "TfL Rail", "n/a", "Gidea Park") == "lizzy"
    assert R._net("tfl_stations_2018", "London Underground", "Northern", "West Finchley") == "tube"
    assert R._net("x", None, None, "Temple") == "any"
    assert set(R.STN_SAY) == {"tube", "overground", "dlr", "tram", "lizzy", "rail", "any"}
    rng = random.Random(3)
    lu = "London Underground"
    assert {R._a_line("Metropolitan, Circle", lu, rng) for _ in range(100)} == {"Metropolitan", "Circle"}
    assert R._a_line("n/a", lu, rng) is None and R._a_line("Central", "DLR", rng) is None
    sorts = {
        "Twickenham Stadium": "ground",
        "Millwall Football Ground": "ground",
        "Barnet Football Club": "ground",
        "AFC Wimbledon": "ground",
        "Dulwich hamlet fc clubhouse": "ground",
        "Lord's Cricket Ground": "ground",
        "Arsenal Football Acadamy": None,
        "Sadler's Wells Theatre": "stage",
        "Brixton Academy": "stage",
        "Wembley Arena": "stage",
        "Oriel Academy": None,
        "Temple Bowling Club": "club",
        "Addiscombe Sports & Social Club": "club",
        "Cheam Leisure Centre": "leisure",
        "Tooting Bec Lido": "leisure",
        "Millfields Park": "park",
        "Barwell Business Park": None,
        "Canning Town Recreation Ground": "park",
        "Lambeth Town Hall": "hall",
        "Perivale Community Centre": "hall",
        "English Martyrs Church Hall": "hall",
        "Breakfast & After School Club": None,
        "Clapham Common Station": None,
        "Golf Club Kitchen": None,
        "The Park": None,
        "Cricket Ground": None,
        "Bite Me @ Blackheath Rugby Club": None,
        "Tesco Sports Club": None,
    }
    for name, sort in sorts.items():
        assert R._event_sort(name) == sort, name
    assert R._food_sort("Pub/bar/nightclub") == "bar" and R._food_sort("Takeaway/sandwich shop") == "takeaway"
    assert R._food_sort("Restaurant/Cafe/Canteen") is None and R._food_sort(None) is None
    assert R._ward_ok("Haggerston") and not R._ward_ok("Brixton North") and not R._ward_ok(None)
    assert not R._ward_ok("Nunhead and Queen's Road") and not R._ward_ok("One Two Three Four")
    assert R._street_ok("Perth Road") and not R._street_ok("King's College Hospital Road")
    assert not R._street_ok("Camberwell Station Road") and not R._street_ok("Ridley Road Market")
    for word, short in R.ROAD_SHORT.items():
        assert short[0] == word[0] and len(short) < len(word) and short.islower(), (word, short)
    assert set(R.VENUE_FORMS) == {s for s, _ in R.EVENT_SORTS} | {"pub", "bar", "takeaway"}
    assert set(R.SORT_SHARE) == set(R.VENUE_FORMS) and abs(sum(R.SORT_SHARE.values()) - 1) < 1e-9
    for key in R.GROUND_AKA:  # each keyed by the letters of a name of the sorts drawn
        assert re.fullmatch(r"[a-z0-9]+", key), key

    def forms(name, **kw):
        return {R._say(rng, name, "venue", slip=False, **kw).shown for _ in range(800)}

    assert forms("The Three Greyhounds") == {"The Three Greyhounds", "Three Greyhounds"}
    assert forms("The Den") == {"The Den"}
    assert forms("Lord'S Cricket Ground") == {"Lord's Cricket Ground", "Lords Cricket Ground"}
    assert forms("Fox and Hounds") == {"Fox and Hounds", "Fox n Hounds", "Fox & Hounds"}
    roads = forms("Perth Road", street=True)
    assert roads == {"Perth Road", "Perth rd", "Perth Rd", "Perth Rd."}, roads
    team = forms("Barnet Football Club", team=True)
    assert team == {"Barnet Football Club", "Barnet"}, team
    rugby = forms("Hackney Rugby Football Club", team=True)
    assert rugby == {"Hackney Rugby Football Club", "Hackney"}, rugby
    assert forms("Barnet Football Club") == {"Barnet Football Club"}
    for name, kw in [("Barnet Football Club", {"team": True}), ("Perth Road", {"street": True}),
                     ("The Three Greyhounds", {}), ("Fox and Hounds", {})]:
        assert all(_named(name, f) for f in forms(name, **kw)), name
    assert all(not R._say(rng, "Millfields Park", "venue", slip=False).hurt for _ in range(200))
    assert _aka("Lord'S Cricket Ground") and _aka("Chelsea Football Club") and not _aka("Barnet Lido")


def test_lists_are_fresh_apart_and_hold_no_place():
    assert set(R.CHAIN_SAYINGS) == set(CHAINS) and set(R.CHAIN_KIND) < set(CHAINS)
    theirs = _their_lists()
    their_strings = set().union(*(_strings(v) for v in theirs.values()))
    their_pairs = set().union(*(_pairs(v) for v in theirs.values()))
    for brand, forms in R.CHAIN_SAYINGS.items():
        for f in forms:
            assert (brand in _canon(f)) != (f in R.NICKNAMES), (brand, f)
            assert "station" not in f.lower() and not re.search(r"[0-9]", f), f
        # no chain form of another family's, beyond the brand's bare name
        clash = {f for f in forms if _canon(f) != brand and f.lower() in their_strings}
        assert not clash, (brand, clash)
    assert {f for forms in R.CHAIN_SAYINGS.values() for f in forms} >= R.NICKNAMES
    others = {_canon(f) for f in set(O.NICKNAMES) | set(P.NICKNAMES) | set(Q.NICKNAMES)}
    assert not {_canon(f) for f in R.NICKNAMES} & others
    assert not {_canon(f) for forms in R.GROUND_AKA.values() for f in forms} & others
    # abbreviations, words left off, slips and code slips, sorts and shares: not another family's
    for name in ("O.NURSE_ABBR", "P.STREET_SHORT", "Q.STREET_ABBR", "independent.ROAD_ABBR"):
        assert theirs[name] != R.ROAD_SHORT, name
        if isinstance(theirs[name], dict):
            same = set(R.ROAD_SHORT.items()) & {
                (k, v) for k, vs in theirs[name].items()
                for v in (vs if isinstance(vs, (list, tuple, set, frozenset)) else [vs])}
            assert len(same) <= 3, (name, same)
    assert not R.LEFT_WORDS & (set(O.DROPPABLE) | set(P.LEFT_OFF) | set(Q.UNSAID)) - {"the"}
    assert not set(R.SAID_AS) & their_pairs
    assert not set(R.RADIO_CODE.items()) & their_pairs
    assert not set(R.PAD.items()) & their_pairs
    assert not {(s, p.pattern.lower()) for s, p in R.EVENT_SORTS} & their_pairs
    assert not {p.pattern.lower() for _, p in R.EVENT_SORTS} & their_strings
    assert not {p.pattern.lower() for p in R.TEAM_ENDS} & their_strings
    for k in R.STN_SAY:
        assert set(R.STN_SAY[k]) != set(P.STATION_WORDS.get(k, ())), k
        assert set(R.STN_SAY[k]) != set(O.NETWORK_SAYS.get(k, ())), k
        assert set(R.STN_SAY[k]) != set(Q.STATION_WORDS.get(k, ())), k
    assert R.SHARES not in (O.SHARES, P.SHARES, Q.SHARES)
    assert R.SLIP_P not in (O.SLIP_P, P.FUMBLE_P, Q.SLIP_P)
    assert R.CASE not in (O.CASE, P.CASE, Q.CASE)
    # every phrase and template of this family's own (a bare slot, a street or station word aside)
    bare = {"{v}", "{st}", "{a}", "{p}", "{d}", "{h}", "{c}", "{s}", "{s} {m}"}
    ours = {
        "chain sayings": [f for b, forms in R.CHAIN_SAYINGS.items() for f in forms if _canon(f) != b],
        "ground aka": R.GROUND_AKA, "from whom": [w for w, _, _ in R.FROM_WHOM],
        "from whom after": [w for w, _ in R.FROM_WHOM_AFTER], "unsure": R.UNSURE, "who": R.WHO_PT,
        "who after": R.WHO_AFTER, "who before": R.WHO_BEFORE, "when": R.WHEN, "drink": R.DRINK,
        "logs": R.LOGS, "what": R.WHAT, "by": R.BY, "venue forms": R.VENUE_FORMS,
        "chain alone": R.CHAIN_ALONE, "chain street": R.CHAIN_ON_STREET, "chain station": R.CHAIN_BY_STATION,
        "chain ward": R.CHAIN_IN_WARD,
        "chain district": R.CHAIN_IN_DISTRICT, "hospital": R.HOSPITAL_FORMS, "in our dept": R.IN_OUR_DEPT,
        "station": R.STATION_FORMS, "line": R.LINE_FORMS, "stn say": R.STN_SAY, "street": R.STREET_FORMS,
        "junction": R.JUNCTION_FORMS, "postcode": R.POSTCODE_FORMS, "sector": R.SECTOR_FORMS,
        "district": R.DISTRICT_FORMS, "area": R.AREA_FORMS, "nearby": R.NEARBY_FORMS, "home": R.HOME_TEXTS,
        "unknown": R.UNKNOWN_TEXTS, "nonplace": [t for t, _ in R.NONPLACE_TEXTS],
        "other homes": [t for t, _ in R.OTHER_HOMES], "road short": R.ROAD_SHORT,
    }
    keys = set(R.WHO_PT) | set(R.VENUE_FORMS) | set(R.STN_SAY) | set(R.NEARBY_FORMS) | set(CHAINS)
    allowed = bare | keys | set(R.ROAD_SHORT) | {"station", "stn", "stn.", "rd"}
    for name, mine in ours.items():
        clash = (_strings(mine) - allowed) & their_strings
        assert not clash, (name, clash)
    # the no-place answers apart from each other, enough of each, and none of them a place
    groups = {"home": R.HOME_TEXTS, "unknown": R.UNKNOWN_TEXTS, "non": [t for t, _ in R.NONPLACE_TEXTS],
              "other": [t for t, _ in R.OTHER_HOMES], "dept": R.IN_OUR_DEPT}
    for a in groups:
        for b in groups:
            assert a == b or not {t.lower() for t in groups[a]} & {t.lower() for t in groups[b]}, (a, b)
    assert len(set(R.NONPLACE_TEXTS)) >= 20 and len(set(R.UNKNOWN_TEXTS)) >= 12
    assert len(set(R.HOME_TEXTS)) >= 10 and len(set(R.OTHER_HOMES)) >= 10 and len(set(R.IN_OUR_DEPT)) >= 10
    assert len(R.FROM_WHOM) >= 24 and len({w for w, own, _ in R.FROM_WHOM if own}) >= 6
    assert len(set(R.STREET_FORMS)) >= 12 and len(set(R.STATION_FORMS)) >= 12
    assert len(set(R.HOSPITAL_FORMS)) >= 10
    other = [t for t, _ in R.OTHER_HOMES]
    plain = [*R.HOME_TEXTS, *R.UNKNOWN_TEXTS, *(t for t, _ in R.NONPLACE_TEXTS), *other, *R.IN_OUR_DEPT,
             *R.WHAT, *(t for v in R.BY.values() for t in v), *R.WHEN, *R.DRINK,
             *(w for w, _ in R.FROM_WHOM_AFTER), *(w for w, _, _ in R.FROM_WHOM),
             *(r for v in R.WHO_PT.values() for r in v), *(q.format("") for q in R.UNSURE)]
    for t in plain:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t.strip(), t
        assert "london" not in t.lower() and not re.search(r"[0-9]", t), t
    for t in [*R.HOME_TEXTS, *R.UNKNOWN_TEXTS, *(t for t, _ in R.NONPLACE_TEXTS), *other, *R.IN_OUR_DEPT]:
        assert t == t.strip(), t
    assert all(re.search(r"\bown\b|\bhome\b", t.lower()) for t in R.HOME_TEXTS)
    assert all(re.search(r"'s\b", t.lower()) and re.search(r"house|flat|home|garden", t.lower())
               for t in other)
    assert not any(re.search(r"house|flat|home\b|garden", t.lower())
                   for t in R.UNKNOWN_TEXTS + [t for t, _ in R.NONPLACE_TEXTS] + R.IN_OUR_DEPT
                   if not re.search(r"(walking|way|bus) home", t))  # going home: no dwelling
    assert not any("hospital" in t.lower() for t in R.IN_OUR_DEPT)
    assert all(re.search(r"(?i)dept|department|ED\b|A&E|UTC|here|our", t) for t in R.IN_OUR_DEPT)
    for group, who in R.WHO_PT.items():  # no one named by a station or a place
        assert not any(re.search(r"station|stn|road|street(?! party)", r) for r in who), group
    sorts = set(R.WHO_PT)
    assert set(R.VENUE_FORMS) | set(R.CHAIN_ALONE) | {"street", "station", "hospital"} == sorts
    assert set(R.BY) == sorts
    assert all(g is None or g in sorts for _, g in R.NONPLACE_TEXTS + R.OTHER_HOMES)
    assert all(gs is None or set(gs) <= sorts for _, _, gs in R.FROM_WHOM)
    assert all(gs is None or set(gs) <= sorts for _, gs in R.FROM_WHOM_AFTER)
    assert abs(sum(R.SHARES.values()) - 1) < 1e-9 and abs(sum(R.CASE.values()) - 1) < 1e-9
    assert abs(sum(R.SLIP_SORTS.values()) - 1) < 1e-9
    for c in ("chain", "hospital", "station", "street", "venue"):
        assert R.SHARES[c] >= 0.1, c
    assert 0.15 <= sum(R.SHARES[c] for c in NO_PLACE) <= 0.2
    assert set(R.SLIP_P) == set(R.SHARES) and all(R.SLIP_P[c] == 0 for c in NO_PLACE)
    assert all(R.SLIP_P[c] > 0 for c in R.SHARES if c not in NO_PLACE)
    assert all("{v}" in t for forms in R.VENUE_FORMS.values() for t in forms)
    assert all("{st}" in t for t in R.STREET_FORMS) and all("{h}" in t for t in R.HOSPITAL_FORMS)
    assert all("{a}" in t and "{b}" in t for t in R.JUNCTION_FORMS) and all("{a}" in t for t in R.AREA_FORMS)
    assert all("{c}" in t for forms in R.CHAIN_ALONE.values() for t in forms)
    assert all("{s}" in t for t in R.STATION_FORMS) and all("{s}" in t and "{l}" in t for t in R.LINE_FORMS)
    assert all("station" not in t and "stn" not in t for forms in R.CHAIN_ALONE.values() for t in forms)
    located = [(R.CHAIN_ON_STREET, "{w}"), (R.CHAIN_IN_WARD, "{a}"), (R.CHAIN_IN_DISTRICT, "{d}"),
               (R.CHAIN_BY_STATION, "{s}")]
    assert all(w in t and "{c}" in t for forms, w in located for t in forms)
    assert set(R.CHAIN_ALONE) == set(R.CHAIN_KIND.values()) | {"shop"}


def test_a_slip_is_one_small_change_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Haggerston", "millwall", "TWICKENHAM", "Southfields", "Whitechapel", "Bow", "Carshalton",
              "Brockwell", "Leather"):
        for _ in range(300):
            s = R._slip(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and s.isalpha() and s.isupper() == w.isupper(), (w, s)
            d = _dist(s.lower(), w.lower())
            assert 1 <= d <= 2 and _found_loosely(_canon(w), s), (w, s)
            diff = [(x.lower(), y.lower()) for x, y in zip(w, s) if x != y]
            if len(s) == len(w) and len(diff) == 1:  # a key above or below (or as heard: one letter)
                (a, b) = diff[0]
                assert b in R._grid(a) or any(len(x) == len(y) for x, y in R.SAID_AS), (w, s)
                seen["glove"] += b in R._grid(a)
            elif len(s) == len(w) and len(diff) == 2 and sorted(diff[0]) == sorted(diff[1]):
                seen["swap"] += 1
            elif len(s) == len(w) - 1 and d == 1:
                seen["shorter"] += 1
            else:
                seen["heard"] += 1
    assert all(seen[k] > 100 for k in ("glove", "swap", "shorter", "heard")), seen
    for w in ("KFC", "Rd", "SE15", "A&E", "Lord's", "Av", "Bow"):
        assert R._slip(rng, w) == w
    assert set(R._grid("g")) == {"t", "y", "v", "b"} and set(R._grid("Q")) == {"A"}
    assert set(R._grid("m")) == {"j", "k"} and R._grid("7") == []
    for _ in range(200):
        assert R._swap(rng, "Hill") == "Hlil" and R._swap(rng, "Bow") == "Bwo"
        assert R._vowel(rng, "Peckham") in {"Pckham", "Peckhm"} and R._vowel(rng, "Oval") == "Oval"
        assert R._heard(rng, "Whitechapel") == "Whitechapel"  # no group of SAID_AS but at its start
        assert R._heard(rng, "Leather") in {"Leafer", "Leatha", "Leether"}
    assert R._heard(rng, "Kfc") == "Kfc" and R._glove(rng, "A") == "A"


def test_codes_are_written_and_misheard_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(6000):
        c = rng.choice(["SE15 4HJ", "SE1 7EH", "SE5 9", "SW9", "SE1", "W1D 1NN", "CR0 1UY", "SW4 7", "E13",
                        "N17 0AP", "HA9 0WS"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        said = R._say_code(rng, c, cls)
        assert said.meant.replace(" ", "").upper() == c.replace(" ", ""), said
        assert said.hurt == (said.shown != said.meant) and len(said.shown) == len(said.meant), said
        assert _has_code(c, said.shown, exact=False), said
        assert _has_code(c, said.shown, exact=True) != said.hurt, said
        if said.hurt:
            (i,) = [j for j in range(len(said.shown)) if said.shown[j] != said.meant[j]]
            was, now = said.meant[i].upper(), said.shown[i].upper()
            if cls == "postcode":
                assert R.RADIO_CODE[was] == now and len(said.meant[i:].replace(" ", "")) <= 2, said
            elif cls == "sector":
                assert R.PAD[was] == now and i == len(said.meant) - 1, said
            else:
                assert R.PAD[was] == now and i >= 1 and was.isdigit(), said
            seen["wrong " + cls] += 1
        seen["lower"] += said.shown.islower()
        seen["joined"] += cls == "postcode" and " " not in said.meant
    assert seen["wrong postcode"] > 30 and seen["wrong sector"] > 15 and seen["wrong district"] > 15, seen
    assert seen["lower"] > 400 and seen["joined"] > 100, seen
    assert all(not R._say_code(rng, "SE15", "district", slip=False).hurt for _ in range(300))
    for a, b in R.PAD.items():  # the key above or below on a phone's number pad
        pos = {d: divmod("1234567890".index(d), 3) if d != "0" else (3, 1) for d in "1234567890"}
        assert pos[a][1] == pos[b][1] and abs(pos[a][0] - pos[b][0]) == 1, (a, b)


def test_a_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = [("Millfields Park", {}), ("Whitechapel Road", {"street": True}),
             ("Peckham Pulse Leisure Centre", {}), ("Café Oto", {}),
             ("Haggerston Road", {"street": True}), ("Fox and Hounds", {}),
             ("Barnet Football Club", {"team": True}), ("The Three Greyhounds", {})]
    forms = ["{v}", "{v} - away end", "queue outside {v}", "{v} mosh pit", "fireworks in {v}"]
    for _ in range(6000):
        name, kw = rng.choice(names)
        sort = rng.choice([*R.WHO_PT, None])
        v = R._say(rng, name, "venue", **kw)
        w = R._say(rng, "Rye Lane", "chain", street=True, slip=False)
        parts = R._parts(rng.choice(forms), {"v": v}, {}) + [", ", w]
        text, typo = R._record(rng, parts, sort)
        assert text == text.strip() and "{" not in text and "  " not in text and text, text
        assert typo == v.hurt == (not _named(name, text)), (name, text, typo)
        assert _named_loosely(name, text) and _named("Rye Lane", text) and not w.hurt, (name, text)
        assert not _UNIT.search(text.upper()) and not _DISTRICT.search(text.upper()), text
        low = text.lower()
        seen["typo"] += typo
        seen["lower"] += text == low
        seen["caps"] += text == text.upper()
        seen["quoted"] += bool(re.search(r"[\"'].*[\"']", low.replace("'s", "").replace("s'", "")))
        seen["source"] += any(low.startswith(who.lower()) for who, _, _ in R.FROM_WHOM)
        seen["who"] += any(r.lower() in low for v_ in R.WHO_PT.values() for r in v_)
        seen["when"] += any(s.lower() in low for s in R.WHEN)
        seen["drink"] += any(s.lower() in low for s in R.DRINK)
        seen["log"] += bool(re.search(r"log |incident #|wristband |cad |event ref |ticket ", low))
        seen["what"] += any(e.lower() in low for e in R.WHAT + [x for v_ in R.BY.values() for x in v_])
        for who, _, sorts in R.FROM_WHOM:
            if low.startswith(who.lower()):
                assert sorts is None or sort in sorts, (text, sort)
        for who, sorts in R.FROM_WHOM_AFTER:
            if who.lower() in low:
                assert sorts is None or sort in sorts, (text, sort)
    assert 150 < seen["typo"] < 800 and seen["lower"] > 900 and seen["caps"] > 600, seen
    assert seen["quoted"] > 80 and seen["source"] > 1200 and seen["who"] > 1000, seen
    assert seen["when"] > 700 and seen["drink"] > 500 and seen["log"] > 250 and seen["what"] > 900, seen
    for _ in range(3000):
        t = rng.choice(R.HOME_TEXTS + R.UNKNOWN_TEXTS + [t for t, _ in R.NONPLACE_TEXTS]
                       + [t for t, _ in R.OTHER_HOMES] + R.IN_OUR_DEPT)
        text, typo = R._record(rng, [t], rng.choice([*R.WHO_PT, None]), place=False)
        assert not typo and not _DISTRICT.search(text.upper()) and t.lower() in text.lower(), text
        assert not any(text.lower().startswith(q.format("").lower()) for q in R.UNSURE if q.endswith("{}"))
        assert not any(text.lower().startswith(w.lower()) for w, own, _ in R.FROM_WHOM
                       if (w, own, None) not in R._NO_PLACE_FROM), text
    sector = R._say_code(rng, "SE5 9", "sector", slip=False)
    text, typo = R._record(rng, R._parts("ticket pc starts {p}", {"p": sector}, {}), None)
    assert not typo and _has_code("SE5 9", text, exact=True), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def events_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return R.generate(conn, 900), R.generate(conn, 900)


def _is_here(e) -> bool:
    """A hospital text of this department's own: it says one of IN_OUR_DEPT."""
    return e.cls == "hospital" and any(_canon(h) in _canon(e.text) for h in R.IN_OUR_DEPT)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_events_family_is_reproducible_and_labelled_like_the_others(events_set, gconn):
    a, b = events_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(R.__file__)
    assert len(families) >= 17 and len(seeds) >= 17 and Q.SEED in seeds and P.SEED in seeds
    assert {e.family for e in a} == {R.FAMILY} and R.FAMILY not in families | {"gen", "blind"}
    assert R.FAMILY not in set(independent.SEEDS)
    assert R.FAMILY == "events" and R.SEED == 6_830_271
    assert R.SEED not in seeds | set(independent.SEEDS.values())
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * R.SHARES[c])), (c, cls[c])
    assert cls["area"] >= 0.5 * 900 * R.SHARES["area"], cls
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * R.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * R.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    others = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.25 < len(others) / cls["nonplace"] < 0.4
    said = {"home": R.HOME_TEXTS, "unknown": R.UNKNOWN_TEXTS}
    for e in no_place:  # no postcode or district, no slip; each says one of its class's phrases
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        pool = said.get(e.cls) or ([t for t, _ in R.OTHER_HOMES] if e.level == "home"
                                   else [t for t, _ in R.NONPLACE_TEXTS])
        assert any(t.lower() in e.text.lower() for t in pool), e
    for e in a:
        if e.cls == "chain, no locality":
            assert not _DISTRICT.search(e.text.upper()) and not re.search(r"station|stn", e.text.lower()), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.12
    assert all(e.text and e.text.strip() == e.text and "\n" not in e.text and "  " not in e.text for e in a)
    assert 0.03 < sum(e.typo for e in placed) / len(placed) < 0.2
    texts = [e.text for e in a]
    low = [t.lower() for t in texts]
    assert sum(t == t.lower() for t in texts) > 0.12 * len(texts)
    assert sum(t == t.upper() for t in texts) > 0.08 * len(texts)
    assert sum(any(t.startswith(w.lower()) for w, _, _ in R.FROM_WHOM) for t in low) > 0.15 * len(texts)
    assert sum(any(r.lower() in t for v in R.WHO_PT.values() for r in v) for t in low) > 0.15 * len(texts)
    marks = ["pt ", "match", "gig", "stewards", "handover", "h/o", "tube", "queue", "fireworks", "party",
             "?", "log ", "wristband", "fans", "turnstile", "platform", " line", "pc ", "crowd", "garden"]
    missing = [m for m in marks if not any(m in t for t in low)]
    assert len(missing) <= 2, missing


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(events_set, gconn):
    a, _ = events_set
    heldout_checks.check_reporting_sites(gconn, a, _is_here)


def _check_name(name: str, e, aka: list[str] | None = None) -> None:
    """Untouched: the name whole (written the family's way, or one of its other names); damaged: not whole,
    but every word a person must write of the name or one of its other names still there within two
    edits."""
    names = [name, *(aka or [])]
    assert any(_named(n, e.text) for n in names) != e.typo, (names, e)
    assert any(_named_loosely(n, e.text) for n in names), (names, e)


def _stations_near(gconn, x, y, metres=400) -> list[str]:
    return [s for (s,) in gconn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), {int(metres)})", (x, y))]


def _chain_located(gconn, e) -> bool:
    """A "chain" text says which outlet: its street, a station within 400 m, its ward or the district of
    the postcode unit nearest it."""
    street = gconn.execute(
        "SELECT sf.street FROM gazetteer.feature f JOIN gazetteer.source_feature sf ON sf.source = f.source "
        "AND sf.source_key = f.source_key WHERE f.feature_id = %s ORDER BY sf.load_id DESC LIMIT 1",
        (e.feature_id,),
    ).fetchone()
    if street and street[0] and _named(street[0], e.text):
        return True
    if any(_named(R._station_name(s), e.text) for s in _stations_near(gconn, e.x, e.y)):
        return True
    wards = [r[0] for r in gconn.execute(
        "SELECT f.name FROM ref.area a JOIN gazetteer.feature f ON f.kind = 'area' AND f.source_key = a.code "
        "WHERE a.level = 'ward' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(a.geom)))",
        (e.x, e.y))]
    if any(_named(w, e.text) for w in wards):
        return True
    district = gconn.execute(
        "SELECT district FROM gazetteer.postcode "
        "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), postcode LIMIT 1", (e.x, e.y),
    ).fetchone()[0]
    return _canon(district) in _canon(e.text)


_STATION_AFTER = re.compile(
    r"(?i)\(nearest stn (.+?)\)| - round the corner from (.+?) station\b|, by (.+?) stn\b")


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_events_truths_are_the_places_named(events_set, gconn):
    a, _ = events_set
    seen = Counter()
    for e in a:
        if e.level != "venue":
            continue
        x, y, kind, name, norm = gconn.execute(
            "SELECT ST_X(geom), ST_Y(geom), kind, name, norm FROM gazetteer.feature WHERE feature_id = %s",
            (e.feature_id,),
        ).fetchone()
        assert (x, y) == (e.x, e.y), e
        if e.cls == "venue":
            assert kind in ("venue", "pub", "park", "landmark"), e
            same = gconn.execute(
                "SELECT count(*) FROM gazetteer.feature WHERE level = 'venue' AND norm = %s", (norm,)
            ).fetchone()[0]
            assert same == 1, e
            if kind == "landmark":
                assert R._event_sort(R._plain(name)), e
            seen["venue " + kind] += 1
            aka = _aka(name)
            _check_name(name, e, aka)
            seen["aka"] += bool(aka) and not _named(name, e.text)
            seen["team"] += bool(_TEAM_END.search(_strip(name))) and not any(
                w in _text_words(e.text) for w in ("football", "fc", "club", "ground"))
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = R.CHAIN_SAYINGS[brand]
            nick = [f for f in forms if f in R.NICKNAMES]
            if not e.typo:
                assert brand in _canon(e.text) or any(_canon(f) in _canon(e.text) for f in nick), e
            assert any(all(_found_loosely(_canon(w), e.text) for w in f.split()) for f in forms), e
            seen["nickname"] += any(_canon(f) in _canon(e.text) for f in nick)
            if e.cls == "chain":
                assert _chain_located(gconn, e), e
                seen["chain located"] += 1
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(e):
                seen["here"] += 1
                assert kind == "ae_site" and not e.typo, e
            else:
                _check_name(name, e)
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(R._station_name(name), e)
            low = re.sub(r"(elizabeth|lizzie) line", "", e.text.lower())  # the network, not a line
            if re.search(r"\bline\b", low):  # a line named is one of the station's own
                lines = gconn.execute(
                    "SELECT string_agg(sf.extra->>'lines', ',') FROM gazetteer.source_feature sf "
                    "JOIN gazetteer.feature f ON sf.source = f.source AND sf.source_key = f.source_key "
                    "WHERE f.feature_id = %s", (e.feature_id,)).fetchone()[0] or ""
                own = [x.strip().lower() for x in lines.split(",") if x.strip()]
                assert any(f"{x} line" in low for x in own), (e, own)
                seen["line"] += 1
        else:
            raise AssertionError(e)
        seen["typo"] += e.typo
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["line"] >= 2, seen
    assert seen["chain located"] >= 5 and seen["nickname"] >= 2, seen
    assert seen["venue pub"] >= 5 and seen["venue venue"] >= 10, seen
    for e in a:
        if e.cls in ("postcode", "sector", "district"):
            named = heldout_checks.codes_at(gconn, e.cls, e.x, e.y)
            assert any(_has_code(n, e.text, exact=False) for n in named), e
            assert e.typo == (not any(_has_code(n, e.text, exact=True) for n in named)), e
            seen["code typo"] += e.typo
        if e.cls == "street":
            d, name = heldout_checks.street_at(gconn, e)
            assert d < 1e-6, e
            _check_name(name, e)
            seen["street typo"] += e.typo
        if e.cls == "area":
            inside, name = heldout_checks.ward_at(gconn, e)
            assert inside and R._ward_ok(name), e
            _check_name(name, e)
        if e.cls == "junction":  # the truth is a bus stop named after the two streets the text says
            names = [n for (n,) in gconn.execute(
                "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                "AND ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y))]
            assert names, e
            whole = any(all(_named(p.strip(), e.text) for p in n.split("/")) for n in names)
            assert whole != e.typo, e
            assert any(all(_named_loosely(p.strip(), e.text) for p in n.split("/")) for n in names), e
        if e.cls in ("venue", "hospital", "station", "street"):  # a full postcode is the nearest unit's
            units = _UNIT.findall(e.text.upper())
            if units:
                near = gconn.execute(
                    "SELECT display FROM gazetteer.postcode "
                    "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), postcode LIMIT 1",
                    (e.x, e.y),
                ).fetchone()[0]
                assert all(u.replace(" ", "") == near.replace(" ", "") for u in units), (e, near)
                seen["nearest unit"] += 1
        if e.cls in ("venue", "street"):  # a station said after the place lies within 400 m of it
            for m in _STATION_AFTER.finditer(e.text):
                said_stn = next(g for g in m.groups() if g)
                near = [R._station_name(s) for s in _stations_near(gconn, e.x, e.y)]
                assert any(_canon(s) == _canon(said_stn) for s in near), (e, near)
                seen["station after"] += 1
    assert seen["code typo"] >= 1 and seen["street typo"] >= 2 and seen["nearest unit"] >= 3, seen
    assert seen["station after"] >= 2, seen
