"""The ``worker`` held-out family (safestats.geocoding.heldout_q): location fields of assault records of
people assaulted while at work in London (the patient, a colleague, a manager, occupational health, an
employer's incident form, the police or the crew say where: workplaces by their employer and branch, wards of
the hospital the patient works in, stations they staff, the customer's street, postcodes off job sheets,
jobs, employers, shifts, store numbers and references; slips of the thumb and letters misread off handwritten
forms; answers that are no place; no database needed for those), and its generator on the geocoding tests'
slice of the gazetteer (conftest.py): reproducible, labelled like the other families, each class near its
share, every truth the place its text names, ``typo`` set exactly when letters of a name or code were
damaged, reporting sites where the other families put them, and no list taken over from another family.
The geocoder is never run here."""

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
from safestats.geocoding import heldout_q as Q
from safestats.geocoding import independent
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _canon(s: str) -> str:
    """Lower case letters and digits only; "&" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", _fold(s).lower().replace("&", "and"))


def _words(name: str) -> list[str]:
    """A name's words as the tests read them: no bracketed part (when letters are left), "@" tail, company
    suffix or apostrophes; "&" as "and"; lower case letters and digits."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = re.sub(r"\s*@.*$", "", s.strip())
    s = re.sub(r"(?i)([\s,.\-]*\b(ltd|limited|plc|llp|t/a)\b\.?\s*)+$", "", s.strip())
    s = re.sub(r"['’`]", "", _fold(s).lower()).replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _text_words(text: str) -> list[str]:
    """A text's words: lower case letters and digits, apostrophes gone, "&" as "and"."""
    s = re.sub(r"['’`]", "", _fold(text).lower()).replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _forms(word: str) -> list[str]:
    """A word of a name as written: whole or (a street word) abbreviated."""
    return [word, *([Q.STREET_ABBR[word]] if word in Q.STREET_ABBR else [])]


def _named(name: str, text: str) -> bool:
    """Every word of the name a whole word of the text, in order and together: as it is, abbreviated, or
    (a generic word the people who work there leave unsaid, UNSAID) left off."""
    pat = "(?: the)?"
    for w in _words(name):
        alt = " (?:" + "|".join(map(re.escape, _forms(w))) + ")"
        pat += f"(?:{alt})?" if w in Q.UNSAID else alt
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
    """The word in the text whole, abbreviated, or two edits apart at most (a slip)."""
    t = _canon(text)
    if any(f in t for f in _forms(word)):
        return True
    return any(
        _dist(t[i : i + n], word) <= 2
        for n in range(max(3, len(word) - 2), len(word) + 3)
        for i in range(len(t) - n + 1)
    )


def _named_loosely(name: str, text: str) -> bool:
    """Every word of the name a person must write (not UNSAID) in the text despite a slip."""
    words = [w for w in _words(name) if w not in Q.UNSAID] or _words(name)
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
    """heldout_o's and heldout_p's module-level lists, sets and dicts, and independent.py's no-place, station
    word and road lists, by name."""
    out = {}
    for mod, tag in ((O, "O"), (P, "P")):
        for name in dir(mod):
            v = getattr(mod, name)
            if name.isupper() and isinstance(v, (list, tuple, set, frozenset, dict)):
                out[f"{tag}.{name}"] = v
    for name in ("NONPLACES_NONE", "NONPLACES_HOME", "UNKNOWN", "HOME", "STATION_WORDS", "ROAD_ABBR"):
        out[f"independent.{name}"] = getattr(independent, name)
    return out


# --- how workers and their employers write places, no database ---------------------------------------------


def test_names_are_written_the_way_workers_and_their_employers_write_them():
    assert Q._tidy("St Martin'S Lane") == "St Martin's Lane"
    assert Q._tidy("PECKHAM PULSE LEISURE CENTRE") == "Peckham Pulse Leisure Centre"
    assert Q._tidy("Roti Stop ltd") == "Roti Stop" and Q._tidy("Jerk Hut@Brixton Village") == "Jerk Hut"
    assert Q._tidy("Eurest, BT") == "Eurest BT" and Q._tidy("(Tate)") == "Tate"
    assert Q._tidy("Horniman Museum (Gardens)") == "Horniman Museum"
    assert Q._bare_station("CUTTY SARK - DLR") == "Cutty Sark"
    assert Q._bare_station("Oxford Circus LU") == "Oxford Circus"
    assert Q._bare_station("Hammersmith (Dist&Picc Line)") == "Hammersmith"
    assert Q._bare_station("New Cross Gate ELL") == "New Cross Gate"
    assert Q._bare_station("Battersea Power Station") == "Battersea Power Station"
    assert Q._bare_station("Denmark Hill Rail Station") == "Denmark Hill"
    assert Q._network("naptan_rail", None, None, "Bellingham") == "rail"
    assert Q._network("tfl_stations_2018", "DLR", "n/a", "SHADWELL - DLR") == "dlr"
    assert Q._network("tfl_stations_2022", None, "DLR", "Star Lane") == "dlr"
    assert Q._network("tfl_stations_2022", None, "TfL Rail", "Abbey Wood") == "lizzy"
    assert Q._network("tfl_stations_2018", "London Overground", "n/a", "Homerton") == "overground"
    assert Q._network("tfl_stations_2018", "London Underground", "Bakerloo", "Warwick Avenue") == "tube"
    assert Q._network("x", None, None, "Temple LU") == "tube"
    assert Q._network("x", None, None, "Temple") == "any"
    assert set(Q.STATION_WORDS) == {"tube", "overground", "dlr", "tram", "lizzy", "rail", "any"}
    rng = random.Random(2)
    lu = "London Underground"
    assert {Q._one_line("District, Hammersmith & City", lu, rng) for _ in range(100)} == {
        "District", "Hammersmith & City"}
    assert Q._one_line("n/a", lu, rng) is None and Q._one_line(None, lu, rng) is None
    assert Q._one_line("Central", "London Overground", rng) is None
    sorts = {
        "Brixton Academy Theatre": None,  # an academy: a school word
        "Lyric Theatre": "stage",
        "Millwall Football Ground": "ground",
        "Horniman Museum": "collection",
        "Thornton Heath Library": "collection",
        "Peckham Pulse Leisure Centre": "leisure",
        "Balham Health Centre": "leisure",
        "Whitgift Shopping Centre": "mall",
        "East Street Market": None,  # a street's name
        "Surrey Quays Market": "mall",
        "Selsdon Park Hotel": "hotel",
        "Gascoigne Estate": "housing",
        "Ravenside Trading Estate": None,
        "Burgess Park": "park",
        "Camberwell New Cemetery": "park",
        "The Park": None,
        "Royal Albert Hall": "stage",
        "Hayes Police Station": None,
        "Alperton Sainsbury'S": None,
        "Benson School": None,
        "Green Man Roundabout": None,
        "St Leonard'S Church": None,
    }
    for name, sort in sorts.items():
        assert Q._work_sort(name) == sort, name
    assert Q._food_sort("Pub/bar/nightclub") == "bar" and Q._food_sort("Takeaway/sandwich shop") == "counter"
    assert Q._food_sort("Restaurant/Cafe/Canteen") == "kitchen"
    assert Q._food_sort("Other catering premises") == "kitchen"
    assert Q._food_sort("Retailers - supermarkets/hypermarkets") == "shop" and Q._food_sort(None) == "shop"
    assert Q._ward_fine("Peckham") and Q._ward_fine("Nunhead and Queen's Road") is False
    assert not Q._ward_fine("Brixton North") and not Q._ward_fine("A Ward Of Four Words")
    assert not Q._ward_fine(None) and not Q._ward_fine("St Giles")
    assert Q._street_fine("Walworth Road") and not Q._street_fine("King's College Hospital Road")
    assert not Q._street_fine("Camberwell Station Road")
    for word, short in Q.STREET_ABBR.items():
        assert short[0] == word[0] and len(short) < len(word) and short.islower(), (word, short)
    assert set(Q.SORT_ROLES) == set(Q.VENUE_FORMS) and set(Q.SORT_ROLES.values()) <= set(Q.ROLES)

    def forms(name, **kw):
        return {Q._write(rng, name, "venue", slip=False, **kw).shown for _ in range(600)}

    assert forms("The Cock's Tavern") == {"The Cock's Tavern", "The Cocks Tavern"}
    assert forms("Fox and Hounds") == {"Fox and Hounds", "Fox & Hounds"}
    roads = forms("Walworth Road", street=True)
    assert roads == {"Walworth Road", "Walworth Rd", "Walworth Rd.", "Walworth RD"}, roads
    closes = forms("Leydon Close", street=True)
    assert closes == {"Leydon Close", "Leydon Cls", "Leydon Cls.", "Leydon CLS"}, closes
    assert forms("Peckham Pulse Leisure Centre", unsaid=True) == {"Peckham Pulse Leisure Centre"}
    kch = forms("King's College Hospital", unsaid=True)
    assert kch == {"King's College Hospital", "Kings College Hospital", "King's College", "Kings College"}
    assert forms("Horniman Museum", unsaid=True) == {"Horniman Museum"}
    assert forms("King's College Hospital") == {"King's College Hospital", "Kings College Hospital"}
    for name, kw in [("King's College Hospital", {"unsaid": True}), ("Walworth Road", {"street": True})]:
        assert all(_named(name, f) for f in forms(name, **kw)), name
    assert all(not Q._write(rng, "Burgess Park", "venue", slip=False).hurt for _ in range(200))
    for rest in ("Purley War Memorial", "Bridgeways Day", "Lewisham", "The Royal London Hospital For"):
        assert Q._NOT_ALONE.search(rest), rest
    assert not Q._NOT_ALONE.search("King's College") and not Q._NOT_ALONE.search("St Thomas'")


def test_lists_are_fresh_apart_and_hold_no_place():
    assert set(Q.CHAIN_NAMES) == set(CHAINS) and set(Q.CHAIN_SETTING) < set(CHAINS)
    theirs = _their_lists()
    their_strings = set().union(*(_strings(v) for v in theirs.values()))
    their_pairs = set().union(*(_pairs(v) for v in theirs.values()))
    for brand, forms in Q.CHAIN_NAMES.items():
        for f in forms:
            assert (brand in _canon(f)) != (f in Q.NICKNAMES), (brand, f)
            assert "station" not in f.lower() and not re.search(r"[0-9]", f), f
        # no chain form of another family's, beyond the brand's bare name
        clash = {f for f in forms if _canon(f) != brand and f.lower() in their_strings}
        assert not clash, (brand, clash)
    assert {f for forms in Q.CHAIN_NAMES.values() for f in forms} >= Q.NICKNAMES
    assert not {_canon(f) for f in Q.NICKNAMES} & {_canon(f) for f in O.NICKNAMES | set(P.NICKNAMES)}
    # abbreviations, generic words, misreadings and shares: not another family's
    for name in ("O.NURSE_ABBR", "P.STREET_SHORT", "independent.ROAD_ABBR"):
        assert theirs[name] != Q.STREET_ABBR, name
        if isinstance(theirs[name], dict):
            same = set(Q.STREET_ABBR.items()) & {
                (k, v) for k, vs in theirs[name].items()
                for v in (vs if isinstance(vs, (list, tuple, set, frozenset)) else [vs])}
            assert len(same) <= 3, (name, same)
    assert not Q.UNSAID & (set(O.DROPPABLE) | P.LEFT_OFF) - {"the"}
    assert not set(Q.HANDWRITING) & their_pairs
    assert not set(Q.HAND_CODE.items()) & their_pairs
    assert not {(s, p.pattern.lower()) for s, p in Q.WORK_SORTS} & their_pairs
    assert not {p.pattern.lower() for _, p in Q.WORK_SORTS} & their_strings
    assert all(set(Q.STATION_WORDS[k]) != set(P.STATION_WORDS[k]) for k in Q.STATION_WORDS)
    assert all(set(Q.STATION_WORDS[k]) != set(O.NETWORK_SAYS.get(k, ())) for k in Q.STATION_WORDS)
    assert Q.SHARES not in (O.SHARES, P.SHARES) and Q.SLIP_P not in (O.SLIP_P, P.FUMBLE_P)
    assert Q.CASE not in (O.CASE, P.CASE)
    # every phrase and template of this family's own (a bare slot, a street or station word aside)
    bare = {"{v}", "{st}", "{a}", "{p}", "{d}", "{h}", "{c}", "{s}", "{s} {m}"}
    ours = {
        "chain names": [f for b, forms in Q.CHAIN_NAMES.items() for f in forms if _canon(f) != b],
        "sources": [w for w, _, _ in Q.SOURCES],
        "sources after": [w for w, _ in Q.SOURCES_AFTER], "hedges": Q.HEDGES, "roles": Q.ROLES,
        "role forms": Q.ROLE_FORMS,
        "role first": Q.ROLE_FIRST, "employers": Q.EMPLOYERS, "employer forms": Q.EMPLOYER_FORMS,
        "shift": Q.SHIFT_NOTES, "refs": Q.REFS, "store refs": Q.STORE_REFS, "how": Q.HOW,
        "by whom": Q.BY_WHOM, "venue forms": Q.VENUE_FORMS, "chain street": Q.CHAIN_STREET_FORMS,
        "chain station": Q.CHAIN_STATION_FORMS, "chain ward": Q.CHAIN_WARD_FORMS,
        "chain district": Q.CHAIN_DISTRICT_FORMS, "chain alone": Q.CHAIN_ALONE_FORMS,
        "hospital": Q.HOSPITAL_FORMS, "this dept": Q.THIS_DEPT, "station": Q.STATION_FORMS,
        "line": Q.LINE_FORMS, "station words": Q.STATION_WORDS, "street": [f for f, _ in Q.STREET_FORMS],
        "junction": Q.JUNCTION_FORMS, "postcode": Q.POSTCODE_FORMS, "sector": Q.SECTOR_FORMS,
        "district": Q.DISTRICT_FORMS, "area": Q.AREA_FORMS, "around": Q.AROUND_FORMS, "home": Q.HOME_TEXTS,
        "unknown": Q.UNKNOWN_TEXTS, "nonplace": [t for t, _, _ in Q.NONPLACE_TEXTS],
        "customer homes": [t for t, _ in Q.CUSTOMER_HOMES],
    }
    keys = set(Q.ROLES) | set(Q.VENUE_FORMS) | set(Q.STATION_WORDS) | set(Q.AROUND_FORMS) | set(CHAINS)
    allowed = bare | keys | {"station", "stn", "stn.", "lu", "nr", "lo"}
    for name, mine in ours.items():
        clash = (_strings(mine) - allowed) & their_strings
        assert not clash, (name, clash)
    # the no-place answers apart from each other, enough of each, and none of them a place
    groups = {"home": Q.HOME_TEXTS, "unknown": Q.UNKNOWN_TEXTS, "non": [t for t, _, _ in Q.NONPLACE_TEXTS],
              "customer": [t for t, _ in Q.CUSTOMER_HOMES], "dept": Q.THIS_DEPT}
    for a in groups:
        for b in groups:
            assert a == b or not {t.lower() for t in groups[a]} & {t.lower() for t in groups[b]}, (a, b)
    assert len(set(Q.NONPLACE_TEXTS)) >= 20 and len(set(Q.UNKNOWN_TEXTS)) >= 12
    assert len(set(Q.HOME_TEXTS)) >= 10 and len(set(Q.CUSTOMER_HOMES)) >= 10 and len(set(Q.THIS_DEPT)) >= 10
    assert len(Q.SOURCES) >= 24 and len({w for w, own, _ in Q.SOURCES if own}) >= 6
    assert len(set(Q.STREET_FORMS)) >= 12 and len(set(Q.STATION_FORMS)) >= 12
    assert len(set(Q.HOSPITAL_FORMS)) >= 10
    customer = [t for t, _ in Q.CUSTOMER_HOMES]
    plain = [*Q.HOME_TEXTS, *Q.UNKNOWN_TEXTS, *(t for t, _, _ in Q.NONPLACE_TEXTS), *customer,
             *Q.THIS_DEPT, *Q.HOW, *(t for v in Q.BY_WHOM.values() for t in v), *Q.SHIFT_NOTES,
             *(w for w, _ in Q.SOURCES_AFTER), *(w for w, _, _ in Q.SOURCES),
             *(r for v in Q.ROLES.values() for r in v),
             *(e for v in Q.EMPLOYERS.values() for e in v), *(q.format("") for q in Q.HEDGES)]
    for t in plain:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t.strip(), t
        assert "london" not in t.lower() and not re.search(r"[0-9]", t.replace("0600", "")), t
    for t in [*Q.HOME_TEXTS, *Q.UNKNOWN_TEXTS, *(t for t, _, _ in Q.NONPLACE_TEXTS), *customer,
              *Q.THIS_DEPT]:
        assert t == t.strip(), t
    assert all(re.search(r"home|house|flat", t.lower()) for t in Q.HOME_TEXTS)
    assert all(re.search(r"'s\b", t.lower()) and re.search(r"home|house|flat|doorstep", t.lower())
               for t in customer)
    assert not any(re.search(r"house|flat|home|doorstep", t.lower())
                   for t in Q.UNKNOWN_TEXTS + [t for t, _, _ in Q.NONPLACE_TEXTS] + Q.THIS_DEPT)
    assert not any("hospital" in t.lower() for t in Q.THIS_DEPT)
    assert all(re.search(r"(?i)dept|department|ED\b|A&E|UTC|here|our", t) for t in Q.THIS_DEPT)
    for group, roles in Q.ROLES.items():  # no job names a station but station work
        assert group == "transport" or not any(re.search(r"station|stn", r) for r in roles), group
    assert set(Q.EMPLOYERS) <= {r for v in Q.ROLES.values() for r in v}
    assert all(g is None or g in Q.ROLES for _, g, _ in Q.NONPLACE_TEXTS)
    every_role = {r for v in Q.ROLES.values() for r in v}
    jobs = [*(r for _, _, r in Q.NONPLACE_TEXTS), *(r for _, r in Q.CUSTOMER_HOMES),
            *(r for _, r in Q.STREET_FORMS)]
    assert all(r is None or set(r) <= every_role for r in jobs)
    assert all(r is None or g is not None and set(r) <= set(Q.ROLES[g]) for _, g, r in Q.NONPLACE_TEXTS)
    assert all(r is None or set(r) <= set(Q.ROLES["street"]) for _, r in Q.STREET_FORMS)
    assert all(groups_ is None or set(groups_) <= set(Q.ROLES) for _, _, groups_ in Q.SOURCES)
    assert all(groups_ is None or set(groups_) <= set(Q.ROLES) for _, groups_ in Q.SOURCES_AFTER)
    assert set(Q.BY_WHOM) == set(Q.ROLES)
    assert abs(sum(Q.SHARES.values()) - 1) < 1e-9 and abs(sum(Q.CASE.values()) - 1) < 1e-9
    assert abs(sum(Q.SLIP_KINDS.values()) - 1) < 1e-9
    for c in ("chain", "hospital", "station", "street", "venue"):
        assert Q.SHARES[c] >= 0.1, c
    assert 0.15 <= sum(Q.SHARES[c] for c in NO_PLACE) <= 0.2
    assert set(Q.SLIP_P) == set(Q.SHARES) and all(Q.SLIP_P[c] == 0 for c in NO_PLACE)
    assert all(Q.SLIP_P[c] > 0 for c in Q.SHARES if c not in NO_PLACE)
    assert all("{v}" in t for forms in Q.VENUE_FORMS.values() for t in forms)
    assert all("{st}" in t for t, _ in Q.STREET_FORMS) and all("{h}" in t for t in Q.HOSPITAL_FORMS)
    assert all("{a}" in t and "{b}" in t for t in Q.JUNCTION_FORMS) and all("{a}" in t for t in Q.AREA_FORMS)
    assert all("{c}" in t for forms in Q.CHAIN_ALONE_FORMS.values() for t in forms)
    assert all("{s}" in t for t in Q.STATION_FORMS) and all("{s}" in t and "{l}" in t for t in Q.LINE_FORMS)
    assert all("station" not in t and "stn" not in t for forms in Q.CHAIN_ALONE_FORMS.values() for t in forms)
    located = [(Q.CHAIN_STREET_FORMS, "{w}"), (Q.CHAIN_WARD_FORMS, "{a}"), (Q.CHAIN_DISTRICT_FORMS, "{d}"),
               (Q.CHAIN_STATION_FORMS, "{s}")]
    assert all(w in t and "{c}" in t for forms, w in located for t in forms)
    assert set(Q.CHAIN_ALONE_FORMS) == set(Q.CHAIN_SETTING.values()) | {"shop"}
    assert set(Q.VENUE_FORMS) == {s for s, _ in Q.WORK_SORTS} | {"bar", "kitchen", "counter", "shop"}


def test_a_slip_is_one_small_change_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Camberwell", "peckham", "STOCKWELL", "Summerstown", "Lordship", "Bow", "Nunhead", "Denmark"):
        for _ in range(300):
            s = Q._damage(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and s.isalpha() and s.isupper() == w.isupper(), (w, s)
            d = _dist(s.lower(), w.lower())
            assert 1 <= d <= 2 and _found_loosely(_canon(w), s), (w, s)
            if len(s) == len(w) and d == 1:  # a thumb on the key beside, in its row (or u / v, a / o ...)
                (a, b) = [(x.lower(), y.lower()) for x, y in zip(w, s) if x != y][0]
                assert b in Q._row_neighbours(a) or (a, b) in Q.HANDWRITING, (w, s)
                seen["same length"] += 1
            elif len(s) == len(w) + 1 and d == 1:
                seen["longer"] += 1
            elif len(s) == len(w) - 1:
                seen["shorter"] += 1
            else:
                seen["group"] += 1
    assert all(seen[k] > 100 for k in ("same length", "longer", "shorter", "group")), seen
    for w in ("KFC", "Rd", "SE15", "A&E", "King's", "Ave", "Bow"):
        assert Q._damage(rng, w) == w
    assert set(Q._row_neighbours("g")) == {"f", "h"} and Q._row_neighbours("Q") == ["W"]
    assert Q._row_neighbours("m") == ["n"] and Q._row_neighbours("7") == []
    for _ in range(200):
        assert Q._sticky(rng, "Hill") in {"Hil", "Hiill"}
        assert Q._handwritten(rng, "Barnes") in {"Bames", "Bornes", "Barues", "Barncs"}
        assert Q._handwritten(rng, "Mitcham") in {"Mitcbam", "Mitchom", "Mitcharn"}
    assert Q._handwritten(rng, "Kfc") == "Kfc" and Q._thumb(rng, "A") == "A"


def test_codes_are_written_and_misread_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(6000):
        c = rng.choice(["SE15 4HJ", "SE1 7EH", "SE5 9", "SW9", "SE1", "W1D 1NN", "CR0 1UY", "SW4 7", "E13"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        said = Q._write_code(rng, c, cls)
        assert said.meant.replace(" ", "").upper() == c.replace(" ", ""), said
        assert said.hurt == (said.shown != said.meant) and len(said.shown) == len(said.meant), said
        assert _has_code(c, said.shown, exact=False), said
        assert _has_code(c, said.shown, exact=True) != said.hurt, said
        if said.hurt:
            (i,) = [j for j in range(len(said.shown)) if said.shown[j] != said.meant[j]]
            was, now = said.meant[i].upper(), said.shown[i].upper()
            assert Q.HAND_CODE[was] == now, said
            if cls == "postcode":
                assert len(said.meant[i:].replace(" ", "")) <= 3, said
            elif cls == "sector":
                assert i == len(said.meant) - 1 and was.isdigit(), said
            else:
                assert i >= 1 and was.isdigit(), said
            seen["misread " + cls] += 1
        seen["lower"] += said.shown.islower()
        seen["joined"] += cls == "postcode" and " " not in said.meant
    assert seen["misread postcode"] > 30 and seen["misread sector"] > 15, seen
    assert seen["misread district"] > 15, seen
    assert seen["lower"] > 400 and seen["joined"] > 100, seen
    assert all(not Q._write_code(rng, "SE15", "district", slip=False).hurt for _ in range(300))


def test_a_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = [("Burgess Park", {}), ("Camberwell Church Street", {"street": True}),
             ("Peckham Pulse Leisure Centre", {}), ("Café Rouge", {}),
             ("Summerstown Road", {"street": True}), ("Fox and Hounds", {}),
             ("King's College Hospital", {"unsaid": True})]
    forms = ["{v}", "behind the bar at {v}", "{v} - at the till", "{v} stockroom", "on patrol in {v}"]
    for _ in range(6000):
        name, kw = rng.choice(names)
        group = rng.choice([*Q.ROLES, None])
        v = Q._write(rng, name, "venue", **kw)
        w = Q._write(rng, "Rye Lane", "chain", street=True, slip=False)
        parts = Q._fill(rng.choice(forms), {"v": v}, {}) + [", ", w]
        text, typo = Q._field(rng, parts, group, store=rng.random() < 0.5)
        assert text == text.strip() and "{" not in text and "  " not in text and text, text
        assert typo == v.hurt == (not _named(name, text)), (name, text, typo)
        assert _named_loosely(name, text) and _named("Rye Lane", text) and not w.hurt, (name, text)
        assert not _UNIT.search(text.upper()) and not _DISTRICT.search(text.upper()), text
        low = text.lower()
        seen["typo"] += typo
        seen["lower"] += text == low
        seen["caps"] += text == text.upper()
        seen["quoted"] += bool(re.search(r"[\"'].*[\"']", text.replace(name, "").replace("'s", "")))
        seen["source"] += any(low.startswith(who.lower()) for who, _, _ in Q.SOURCES)
        seen["role"] += any(r.lower() in low for v_ in Q.ROLES.values() for r in v_)
        seen["employer"] += any(f" for {e.lower()}" in low or f"employed by {e.lower()}" in low
                                or f" with {e.lower()}" in low for v_ in Q.EMPLOYERS.values() for e in v_)
        seen["store"] += bool(re.search(r"store |store no|branch #|site code", low))
        seen["shift"] += any(s.lower() in low for s in Q.SHIFT_NOTES)
        seen["event"] += any(e.lower() in low for e in Q.HOW + [x for v_ in Q.BY_WHOM.values() for x in v_])
        for who, _, groups in Q.SOURCES:
            if low.startswith(who.lower()):
                assert groups is None or group in groups, (text, group)
        for who, groups in Q.SOURCES_AFTER:
            if who.lower() in low:
                assert groups is None or group in groups, (text, group)
    assert 150 < seen["typo"] < 800 and seen["lower"] > 700 and seen["caps"] > 900, seen
    assert seen["quoted"] > 80 and seen["source"] > 1500 and seen["role"] > 1200, seen
    assert seen["employer"] > 50 and seen["store"] > 400 and seen["shift"] > 500 and seen["event"] > 900, seen
    for _ in range(3000):
        t = rng.choice(Q.HOME_TEXTS + Q.UNKNOWN_TEXTS + [t for t, _, _ in Q.NONPLACE_TEXTS]
                       + [t for t, _ in Q.CUSTOMER_HOMES]
                       + Q.THIS_DEPT)
        text, typo = Q._field(rng, [t], rng.choice([*Q.ROLES, None]), place=False)
        assert not typo and not _DISTRICT.search(text.upper()) and t.lower() in text.lower(), text
        assert not any(text.lower().startswith(q.format("").lower()) for q in Q.HEDGES if q.endswith("{}"))
        assert not any(text.lower().startswith(w.lower()) for w, own, _ in Q.SOURCES
                       if (w, own, None) not in Q._NO_PLACE_SOURCES), text
    sector = Q._write_code(rng, "SE5 9", "sector", slip=False)
    text, typo = Q._field(rng, Q._fill("pc {p}?", {"p": sector}, {}), "street")
    assert not typo and _has_code("SE5 9", text, exact=True), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def worker_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return Q.generate(conn, 900), Q.generate(conn, 900)


def _is_here(e) -> bool:
    """A hospital text of the department's own staff: it says one of THIS_DEPT."""
    return e.cls == "hospital" and any(_canon(h) in _canon(e.text) for h in Q.THIS_DEPT)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_worker_family_is_reproducible_and_labelled_like_the_others(worker_set, gconn):
    a, b = worker_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(Q.__file__)
    assert len(families) >= 16 and len(seeds) >= 16 and O.SEED in seeds and P.SEED in seeds
    assert {e.family for e in a} == {Q.FAMILY} and Q.FAMILY not in families | {"gen", "blind"}
    assert Q.FAMILY not in set(independent.SEEDS)
    assert re.fullmatch(r"[a-z]+", Q.FAMILY) and Q.SEED == 4_093_517
    assert Q.SEED not in seeds | set(independent.SEEDS.values())
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * Q.SHARES[c])), (c, cls[c])
    assert cls["area"] >= 0.5 * 900 * Q.SHARES["area"], cls
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * Q.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * Q.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    customers = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.25 < len(customers) / cls["nonplace"] < 0.4
    said = {"home": Q.HOME_TEXTS, "unknown": Q.UNKNOWN_TEXTS}
    for e in no_place:  # no postcode or district, no slip; each says one of its class's phrases
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        pool = said.get(e.cls) or ([t for t, _ in Q.CUSTOMER_HOMES] if e.level == "home"
                                   else [t for t, _, _ in Q.NONPLACE_TEXTS])
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
    assert sum(t == t.lower() for t in texts) > 0.1 * len(texts)
    assert sum(t == t.upper() for t in texts) > 0.12 * len(texts)
    assert sum(any(t.startswith(w.lower()) for w, _, _ in Q.SOURCES) for t in low) > 0.15 * len(texts)
    assert sum(any(r.lower() in t for v in Q.ROLES.values() for r in v) for t in low) > 0.2 * len(texts)
    marks = ["pt", "ward ", "gateline", "store", "datix", "shift", " lu", "customer", "oh referral", "ref ",
             "?", "incident form", "depot", "job", "patrol", "platform", " line", "branch", "council", "pc "]
    missing = [m for m in marks if not any(m in t for t in low)]
    assert len(missing) <= 2, missing


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(worker_set, gconn):
    a, _ = worker_set
    heldout_checks.check_reporting_sites(gconn, a, _is_here)


def _check_name(name: str, e) -> None:
    """Untouched: the name whole (or written the family's way); damaged: not whole, but every word a person
    must write still there within two edits."""
    assert _named(name, e.text) != e.typo, (name, e)
    assert _named_loosely(name, e.text), (name, e)


def _stations_near(gconn, x, y, metres=400) -> list[str]:
    return [s for (s,) in gconn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), {int(metres)})", (x, y))]


def _chain_located(gconn, e) -> bool:
    """A "chain" text says which branch: its street, a station within 400 m, its ward or the district of the
    postcode unit nearest it."""
    street = gconn.execute(
        "SELECT sf.street FROM gazetteer.feature f JOIN gazetteer.source_feature sf ON sf.source = f.source "
        "AND sf.source_key = f.source_key WHERE f.feature_id = %s ORDER BY sf.load_id DESC LIMIT 1",
        (e.feature_id,),
    ).fetchone()
    if street and street[0] and _named(street[0], e.text):
        return True
    if any(_named(Q._bare_station(s), e.text) for s in _stations_near(gconn, e.x, e.y)):
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


_STATION_AFTER = re.compile(r"(?i)\(by (.+?) stn\)|, opp (.+?) station\b| - next to (.+?) station\b")


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_worker_truths_are_the_places_named(worker_set, gconn):
    a, _ = worker_set
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
                assert Q._work_sort(Q._tidy(name)), e
            seen["venue " + kind] += 1
            _check_name(name, e)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = Q.CHAIN_NAMES[brand]
            nick = [f for f in forms if f in Q.NICKNAMES]
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
                seen["hospital unsaid"] += not re.search(r"hospital", e.text.lower())
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(Q._bare_station(name), e)
            low = e.text.lower().replace("liz line", "").replace("line manager", "")
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
    assert seen["chain located"] >= 5 and seen["hospital unsaid"] >= 1, seen
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
            assert inside and Q._ward_fine(name), e
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
                near = [Q._bare_station(s) for s in _stations_near(gconn, e.x, e.y)]
                assert any(_canon(s) == _canon(said_stn) for s in near), (e, near)
                seen["station after"] += 1
    assert seen["code typo"] >= 1 and seen["street typo"] >= 2 and seen["nearest unit"] >= 3, seen
    assert seen["station after"] >= 2, seen
