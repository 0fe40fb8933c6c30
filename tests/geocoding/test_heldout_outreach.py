"""The ``outreach`` held-out family (safestats.geocoding.heldout_s): location fields of assault records of
people who sleep rough, live in hostels or temporary accommodation, or use day centres and street services in
London (the patient, a friend or partner, street outreach workers, hostel and day-centre staff, soup-run
volunteers, station and council staff, the police or the crew say where: hostels, missions, day centres and
food banks, churches, bus stations, civic buildings, parks, pubs, shops and eateries by their doorways,
steps and benches, chain outlets, stations' concourses and arches, the street someone beds down on, a
referral's postcode; what the patient is to the services, when, substances, reference numbers, what
happened; slips of a key beside the right one, sticky keys, double letters typed once, words spelt as said,
codes with two letters swapped or a top-row digit beside the right one; answers that are no place; no
database needed for those), and its generator on the geocoding tests' slice of the gazetteer (conftest.py):
reproducible, labelled like the other families, each class near its share, every truth the place its text
names, ``typo`` set exactly when letters of a name or code were damaged, reporting sites where the other
families put them, and no list taken over from another family. The geocoder is never run here."""

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
from safestats.geocoding import heldout_r as R  # read only to compare lists
from safestats.geocoding import heldout_s as S
from safestats.geocoding import independent
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
_SERVICE_END = re.compile(r"(?i)\s+(day\s+cent(re|er)|drop[\s-]?in(\s+cent(re|er))?)$")


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _canon(s: str) -> str:
    """Lower case letters and digits only; "&" and "+" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", _fold(s).lower().replace("&", "and").replace("+", "and"))


def _strip(name: str) -> str:
    """A name without a bracketed part (when letters are left) or company suffix."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    return re.sub(r"(?i)([\s,.\-]*\b(ltd|limited|plc|llp|cic|c\.i\.c)\b\.?\s*)+$", "", s.strip())


def _text_words(text: str) -> list[str]:
    s = re.sub(r"['’`]", "", _fold(text).lower()).replace("&", " and ").replace("+", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _words(name: str) -> list[str]:
    """A name's words as the tests read them: lower case letters and digits, apostrophes gone, "&" and "+"
    as "and"."""
    return _text_words(_strip(name))


def _forms(word: str, last: bool) -> list[str]:
    """A word of a name as written: whole, or a last street word cut short."""
    out = [word]
    if last and word in S.STREET_CUT:
        out.append(S.STREET_CUT[word])
    return out


def _named(name: str, text: str) -> bool:
    """Every word of the name a whole word of the text, in order and together: as it is, a last street word
    cut, a "The" in front or a service's "Day Centre" / "Drop In" end left off."""
    words = _words(name)
    end = _SERVICE_END.search(_strip(name))
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
    """The word in the text whole, cut short, or two edits apart at most (a slip)."""
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
    words = [w for w in _words(name) if w not in S.OFF_WORDS] or _words(name)
    return all(_found_loosely(w, text) for w in words)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (spaces aside, any case), or (``exact`` false) one edit
    (a change or a swap) away."""
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
    """heldout_o's, heldout_p's, heldout_q's and heldout_r's module-level lists, sets and dicts, and
    independent.py's no-place, station word and road lists, by name."""
    out = {}
    for mod, tag in ((O, "O"), (P, "P"), (Q, "Q"), (R, "R")):
        for name in dir(mod):
            v = getattr(mod, name)
            if name.isupper() and isinstance(v, (list, tuple, set, frozenset, dict)):
                out[f"{tag}.{name}"] = v
    for name in ("NONPLACES_NONE", "NONPLACES_HOME", "UNKNOWN", "HOME", "STATION_WORDS", "ROAD_ABBR"):
        out[f"independent.{name}"] = getattr(independent, name)
    return out


# --- how outreach records write places, no database -------------------------------------------------------


def test_names_are_written_the_way_outreach_records_write_them():
    assert S._plain("ST MUNGO'S HOSTEL") == "St Mungo's Hostel"
    assert S._plain("St. Thomas More Church (RC) Ltd") == "St Thomas More Church"
    assert S._plain("Good Hope Cafe C.I.C") == "Good Hope Cafe" and S._plain("(Oval)") == "Oval"
    assert S._plain("Royal Botanic Gardens, Kew") == "Royal Botanic Gardens Kew"
    assert S._plain("St Paul'S Churchyard") == "St Paul's Churchyard"
    assert S._station_name("BECKTON - DLR") == "Beckton"
    assert S._station_name("London Bridge LU") == "London Bridge"
    assert S._station_name("Vauxhall Bus Station") == "Vauxhall Bus Station"
    assert S._station_name("Herne Hill Rail Station") == "Herne Hill"
    assert S._network("naptan_rail", None, None, "Teddington") == "rail"
    assert S._network("tfl_stations_2022", None, "DLR", "Mudchute") == "dlr"
    assert S._network("tfl_stations_2018", "Tramlink", "n/a", "East Croydon (Tramlink)") == "tram"
    assert S._network("tfl_stations_2018", "London Underground", "Jubilee", "West Hampstead LU") == "tube"
    assert S._network("x", None, None, "Temple") == "any"
    assert set(S.STN_WORD) == {"tube", "overground", "dlr", "tram", "lizzy", "rail", "any"}
    rng = random.Random(3)
    lu = "London Underground"
    assert {S._line_of("Northern, Jubilee", lu, rng) for _ in range(100)} == {"Northern", "Jubilee"}
    assert S._line_of("n/a", lu, rng) is None and S._line_of("Central", "DLR", rng) is None
    sorts = {
        "Passage Day Centre": "service",
        "St Mungo's Hostel": "service",
        "Brixton Soup Kitchen": "service",
        "Camden FoodBank": "service",
        "Crisis": "service",
        "Day Centre": None,
        "Salvation Army Cafe": None,
        "Mama Shelter Hotel": None,
        "Cabman's Shelter": None,
        "Match Day Centres": None,
        "St Mungos - Harrow Road": None,
        "Clapham Baptist Church": "church",
        "Methodist Church": None,
        "Westminster Cathedral Kitchen": "church",
        "Churchill Arms": None,
        "Church Street Cafe": None,
        "Vauxhall Bus Station": "transit",
        "Romford Bus Garage": "transit",
        "Sutton Police Station": None,
        "Clapham Common Station": None,
        "Dulwich Library": "civic",
        "Hackney Town Hall": "civic",
        "Neasden Underpass": "civic",
        "Surrey Quays Shopping Centre": "civic",
        "Brockwell Park": "park",
        "Peckham Rye": "park",
    }
    for name, sort in sorts.items():
        assert S._spot_sort(name) == sort, name
    assert S._trade_sort("Retailers - other") == "shop"
    assert S._trade_sort("Takeaway/sandwich shop") == "eatery"
    assert S._trade_sort("Restaurant/Cafe/Canteen") == "eatery"
    assert S._trade_sort("Pub/bar/nightclub") == "pub"
    assert S._trade_sort("School/college/university") is None and S._trade_sort(None) is None
    assert S._ward_ok("Haggerston") and not S._ward_ok("Brixton North") and not S._ward_ok(None)
    assert not S._ward_ok("Nunhead and Queen's Road") and not S._ward_ok("One Two Three Four")
    assert S._street_ok("Rye Lane") and not S._street_ok("King's College Hospital Road")
    assert not S._street_ok("Station Road") and not S._street_ok("Church Street")
    for word, cut in S.STREET_CUT.items():
        assert cut[0] == word[0] and len(cut) < len(word) and cut.islower(), (word, cut)
    assert set(S.SPOT_FORMS) == {s for s, _ in S.SPOT_SORTS} | {"pub", "shop", "eatery"}
    assert set(S.SORT_SHARE) == set(S.SPOT_FORMS) and abs(sum(S.SORT_SHARE.values()) - 1) < 1e-9

    def forms(name, **kw):
        return {S._write(rng, name, "venue", slip=False, **kw).shown for _ in range(800)}

    assert forms("The Magnet Arms") == {"The Magnet Arms", "Magnet Arms"}
    assert forms("The Den") == {"The Den"}
    assert forms("St Mungo'S Hostel") == {"St Mungo's Hostel", "St Mungos Hostel"}
    assert forms("Crown and Cushion") == {"Crown and Cushion", "Crown + Cushion", "Crown & Cushion"}
    roads = forms("Rye Lane", street=True)
    assert roads == {"Rye Lane", "Rye lan", "Rye Lan", "Rye LAN"}, roads
    day = forms("Tresham Day Centre", service=True)
    assert day == {"Tresham Day Centre", "Tresham"}, day
    drop = forms("Archway Drop-in centre", service=True)
    assert drop == {"Archway Drop-in centre", "Archway"}, drop
    assert forms("Tresham Day Centre") == {"Tresham Day Centre"}
    for name, kw in [("Tresham Day Centre", {"service": True}), ("Rye Lane", {"street": True}),
                     ("The Magnet Arms", {}), ("Crown and Cushion", {})]:
        assert all(_named(name, f) for f in forms(name, **kw)), name
    assert all(not S._write(rng, "Brockwell Park", "venue", slip=False).hurt for _ in range(200))


def test_lists_are_fresh_apart_and_hold_no_place():
    assert set(S.CHAIN_WORDS) == set(CHAINS) and set(S.CHAIN_KIND) < set(CHAINS)
    theirs = _their_lists()
    their_strings = set().union(*(_strings(v) for v in theirs.values()))
    their_pairs = set().union(*(_pairs(v) for v in theirs.values()))
    for brand, forms in S.CHAIN_WORDS.items():
        for f in forms:
            assert (brand in _canon(f)) != (f in S.NICKNAMES), (brand, f)
            assert "station" not in f.lower() and not re.search(r"[0-9]", f), f
        # no chain form of another family's, beyond the brand's bare name
        clash = {f for f in forms if _canon(f) != brand and f.lower() in their_strings}
        assert not clash, (brand, clash)
    assert {f for forms in S.CHAIN_WORDS.values() for f in forms} >= S.NICKNAMES
    others = {_canon(f) for f in set(O.NICKNAMES) | set(P.NICKNAMES) | set(Q.NICKNAMES) | set(R.NICKNAMES)}
    assert not {_canon(f) for f in S.NICKNAMES} & others
    # abbreviations, words left off, slips and code slips, sorts and shares: not another family's
    for name in ("O.NURSE_ABBR", "P.STREET_SHORT", "Q.STREET_ABBR", "R.ROAD_SHORT", "independent.ROAD_ABBR"):
        assert theirs[name] != S.STREET_CUT, name
        if isinstance(theirs[name], dict):
            same = set(S.STREET_CUT.items()) & {
                (k, v) for k, vs in theirs[name].items()
                for v in (vs if isinstance(vs, (list, tuple, set, frozenset)) else [vs])}
            assert len(same) <= 3, (name, same)
    left = set(O.DROPPABLE) | set(P.LEFT_OFF) | set(Q.UNSAID) | set(R.LEFT_WORDS)
    assert not S.OFF_WORDS & left - {"the", "centre"}  # generic words of names; the ends are this family's
    assert not set(S.AS_SAID) & their_pairs
    assert not set(S.TOP_ROW.items()) & their_pairs
    assert not {(s, p.pattern.lower()) for s, p in S.SPOT_SORTS} & their_pairs
    assert not {p.pattern.lower() for _, p in S.SPOT_SORTS} & their_strings
    assert not {p.pattern.lower() for p in S.SERVICE_ENDS} & their_strings
    for k in S.STN_WORD:
        assert set(S.STN_WORD[k]) != set(P.STATION_WORDS.get(k, ())), k
        assert set(S.STN_WORD[k]) != set(O.NETWORK_SAYS.get(k, ())), k
        assert set(S.STN_WORD[k]) != set(Q.STATION_WORDS.get(k, ())), k
        assert set(S.STN_WORD[k]) != set(R.STN_SAY.get(k, ())), k
    assert S.SHARES not in (O.SHARES, P.SHARES, Q.SHARES, R.SHARES)
    assert S.SLIP_P not in (O.SLIP_P, P.FUMBLE_P, Q.SLIP_P, R.SLIP_P)
    assert S.CASE not in (O.CASE, P.CASE, Q.CASE, R.CASE)
    # every phrase and template of this family's own (a bare slot, a street or station word aside)
    bare = {"{v}", "{st}", "{a}", "{p}", "{d}", "{h}", "{c}", "{s}", "{s} {m}"}
    ours = {
        "chain words": [f for b, forms in S.CHAIN_WORDS.items() for f in forms if _canon(f) != b],
        "said by": [w for w, _, _ in S.SAID_BY], "said by after": [w for w, _ in S.SAID_BY_AFTER],
        "not sure": S.NOT_SURE, "status": S.STATUS, "status after": S.STATUS_AFTER,
        "status before": S.STATUS_BEFORE, "when": S.WHEN, "using": S.USING, "refs": S.REFS, "how": S.HOW,
        "who did": S.WHO_DID, "spot forms": S.SPOT_FORMS, "chain solo": S.CHAIN_SOLO,
        "chain street": S.CHAIN_STREET, "chain station": S.CHAIN_STATION, "chain ward": S.CHAIN_WARD,
        "chain district": S.CHAIN_DISTRICT, "hospital": S.HOSPITAL_FORMS, "here in ed": S.HERE_IN_ED,
        "station": S.STATION_FORMS, "line": S.LINE_FORMS, "stn word": S.STN_WORD, "street": S.STREET_FORMS,
        "junction": S.JUNCTION_FORMS, "postcode": S.POSTCODE_FORMS, "sector": S.SECTOR_FORMS,
        "district": S.DISTRICT_FORMS, "area": S.AREA_FORMS, "around": S.AROUND, "home": S.HOME_TEXTS,
        "unknown": S.UNKNOWN_TEXTS, "nonplace": [t for t, _ in S.NONPLACE_TEXTS],
        "other homes": [t for t, _ in S.OTHER_HOMES], "street cut": S.STREET_CUT,
    }
    keys = set(S.STATUS) | set(S.SPOT_FORMS) | set(S.STN_WORD) | set(S.AROUND) | set(CHAINS)
    allowed = bare | keys | set(S.STREET_CUT) | {"station", "stn", "rd"}
    for name, mine in ours.items():
        clash = (_strings(mine) - allowed) & their_strings
        assert not clash, (name, clash)
    # the no-place answers apart from each other, enough of each, and none of them a place
    groups = {"home": S.HOME_TEXTS, "unknown": S.UNKNOWN_TEXTS, "non": [t for t, _ in S.NONPLACE_TEXTS],
              "other": [t for t, _ in S.OTHER_HOMES], "dept": S.HERE_IN_ED}
    for a in groups:
        for b in groups:
            assert a == b or not {t.lower() for t in groups[a]} & {t.lower() for t in groups[b]}, (a, b)
    assert len(set(S.NONPLACE_TEXTS)) >= 20 and len(set(S.UNKNOWN_TEXTS)) >= 12
    assert len(set(S.HOME_TEXTS)) >= 10 and len(set(S.OTHER_HOMES)) >= 10 and len(set(S.HERE_IN_ED)) >= 10
    assert len(S.SAID_BY) >= 24 and len({w for w, own, _ in S.SAID_BY if own}) >= 6
    assert len(set(S.STREET_FORMS)) >= 12 and len(set(S.STATION_FORMS)) >= 12
    assert len(set(S.HOSPITAL_FORMS)) >= 10
    other = [t for t, _ in S.OTHER_HOMES]
    plain = [*S.HOME_TEXTS, *S.UNKNOWN_TEXTS, *(t for t, _ in S.NONPLACE_TEXTS), *other, *S.HERE_IN_ED,
             *S.HOW, *(t for v in S.WHO_DID.values() for t in v), *S.WHEN, *S.USING,
             *(w for w, _ in S.SAID_BY_AFTER), *(w for w, _, _ in S.SAID_BY),
             *(r for v in S.STATUS.values() for r in v), *(q.format("") for q in S.NOT_SURE)]
    for t in plain:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t.strip(), t
        assert "london" not in t.lower() and not re.search(r"[0-9]", t), t
    for t in [*S.HOME_TEXTS, *S.UNKNOWN_TEXTS, *(t for t, _ in S.NONPLACE_TEXTS), *other, *S.HERE_IN_ED]:
        assert t == t.strip(), t
    assert all(re.search(r"\bown\b|\bhome\b", t.lower()) for t in S.HOME_TEXTS)
    assert all(re.search(r"'s\b|squat|cuckooed", t.lower())
               and re.search(r"house|flat|room|floor|squat", t.lower()) for t in other)
    assert not any(re.search(r"\bhouse|\bflat\b|\bhome\b|\broom\b|squat", t.lower())
                   for t in S.UNKNOWN_TEXTS + [t for t, _ in S.NONPLACE_TEXTS] + S.HERE_IN_ED
                   if "waiting room" not in t.lower())
    assert not any("hospital" in t.lower() for t in S.HERE_IN_ED)
    assert all(re.search(r"(?i)dept|department|ED\b|A&E|UTC|here|our", t) for t in S.HERE_IN_ED)
    for group, who in S.STATUS.items():  # no one named by a station or a place
        assert not any(re.search(r"stn|road|street(?!s| drinker)|\bst\b", r) for r in who), group
    sorts = set(S.STATUS)
    assert set(S.SPOT_FORMS) | set(S.CHAIN_SOLO) | {"street", "station", "hospital"} == sorts
    assert set(S.WHO_DID) == sorts and set(S.CHAIN_KIND.values()) | {"shop"} == set(S.CHAIN_SOLO)
    assert all(g is None or g in sorts for _, g in S.NONPLACE_TEXTS + S.OTHER_HOMES)
    assert all(gs is None or set(gs) <= sorts for _, _, gs in S.SAID_BY)
    assert all(gs is None or set(gs) <= sorts for _, gs in S.SAID_BY_AFTER)
    assert abs(sum(S.SHARES.values()) - 1) < 1e-9 and abs(sum(S.CASE.values()) - 1) < 1e-9
    assert abs(sum(S.SLIP_MIX.values()) - 1) < 1e-9
    for c in ("chain", "hospital", "station", "street", "venue"):
        assert S.SHARES[c] >= 0.1, c
    assert 0.15 <= sum(S.SHARES[c] for c in NO_PLACE) <= 0.2
    assert set(S.SLIP_P) == set(S.SHARES) and all(S.SLIP_P[c] == 0 for c in NO_PLACE)
    assert all(S.SLIP_P[c] > 0 for c in S.SHARES if c not in NO_PLACE)
    assert all("{v}" in t for forms in S.SPOT_FORMS.values() for t in forms)
    assert all("{st}" in t for t in S.STREET_FORMS) and all("{h}" in t for t in S.HOSPITAL_FORMS)
    assert all("{a}" in t and "{b}" in t for t in S.JUNCTION_FORMS) and all("{a}" in t for t in S.AREA_FORMS)
    assert all("{c}" in t for forms in S.CHAIN_SOLO.values() for t in forms)
    assert all("{s}" in t for t in S.STATION_FORMS) and all("{s}" in t and "{l}" in t for t in S.LINE_FORMS)
    assert all("station" not in t and "stn" not in t for forms in S.CHAIN_SOLO.values() for t in forms)
    located = [(S.CHAIN_STREET, "{w}"), (S.CHAIN_WARD, "{a}"), (S.CHAIN_DISTRICT, "{d}"),
               (S.CHAIN_STATION, "{s}")]
    assert all(w in t and "{c}" in t for forms, w in located for t in forms)


def test_a_slip_is_one_small_change_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Haggerston", "mungos", "HAMMERSMITH", "Southwark", "Whitechapel", "Bow", "Hackney",
              "Brockwell", "Battersea", "Shoreditch"):
        for _ in range(300):
            s = S._slip(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and s.isalpha() and s.isupper() == w.isupper(), (w, s)
            d = _dist(s.lower(), w.lower())
            assert 1 <= d <= 2 and _found_loosely(_canon(w), s), (w, s)
            diff = [(x.lower(), y.lower()) for x, y in zip(w, s) if x != y]
            if len(s) == len(w) + 1 and any(s[i] == s[i - 1] and s[:i] + s[i + 1 :] == w
                                             for i in range(1, len(s))):
                seen["sticky"] += 1
            elif len(s) == len(w) - 1 and any(w[i] == w[i + 1] and w[:i] + w[i + 1 :] == s
                                              for i in range(1, len(w) - 1)):
                seen["single"] += 1
            elif len(s) == len(w) and len(diff) == 1 and diff[0][1] in S._beside_keys(diff[0][0]):
                seen["beside"] += 1
            else:  # spelt as said: one of AS_SAID's groups (not at the start) replaced
                low = w.lower()
                said = {low[: m.start()] + now + low[m.start() + len(was) :] for was, now in S.AS_SAID
                        for m in re.finditer(was, low) if m.start() >= 1}
                assert s.lower() in said, (w, s)
                seen["said"] += 1
    assert all(seen[k] > 100 for k in ("beside", "sticky", "single", "said")), seen
    for w in ("KFC", "Rd", "SE15", "A&E", "Mungo's", "Lan", "Bow"):
        assert S._slip(rng, w) == w
    assert set(S._beside_keys("g")) == {"f", "h"} and set(S._beside_keys("Q")) == {"W"}
    assert set(S._beside_keys("m")) == {"n"} and S._beside_keys("7") == []
    for _ in range(200):
        assert S._sticky(rng, "Bow") in {"Boow", "Boww"} and S._single(rng, "Hill") == "Hil"
        assert S._single(rng, "Oval") == "Oval" and S._single(rng, "Llama") == "Llama"
        assert S._as_said(rng, "Whitechapel") == "Whitechapel"  # no group of AS_SAID but at its start
        assert S._as_said(rng, "Hackney") in {"Hacney", "Hacknee"}
    assert S._as_said(rng, "Kfc") == "Kfc" and S._beside(rng, "A") == "A"


def test_codes_are_written_and_slipped_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(6000):
        c = rng.choice(["SE15 4HJ", "SE1 7EH", "SE5 9", "SW9", "SE1", "W1D 1NN", "CR0 1UY", "SW4 7", "E13",
                        "N17 0AP", "HA9 0WS"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        said = S._write_code(rng, c, cls)
        assert said.meant.replace(" ", "").upper() == c.replace(" ", ""), said
        assert said.hurt == (said.shown != said.meant) and len(said.shown) == len(said.meant), said
        assert _has_code(c, said.shown, exact=False), said
        assert _has_code(c, said.shown, exact=True) != said.hurt, said
        if said.hurt:
            wrong = [j for j in range(len(said.shown)) if said.shown[j] != said.meant[j]]
            if cls == "postcode":  # the last two letters the other way round
                assert wrong == [len(said.meant) - 2, len(said.meant) - 1], said
                assert said.shown[-2:] == said.meant[-1] + said.meant[-2], said
            else:
                (i,) = wrong
                assert S.TOP_ROW[said.meant[i]] == said.shown[i], said
                assert i == len(said.meant) - 1 if cls == "sector" else i >= 1, said
            seen["wrong " + cls] += 1
        seen["lower"] += said.shown.islower()
        seen["joined"] += cls == "postcode" and " " not in said.meant
    assert seen["wrong postcode"] > 30 and seen["wrong sector"] > 15 and seen["wrong district"] > 15, seen
    assert seen["lower"] > 400 and seen["joined"] > 100, seen
    assert all(not S._write_code(rng, "W1D 1NN", "postcode").hurt for _ in range(300))  # "NN" swaps to itself
    assert all(not S._write_code(rng, "SE15", "district", slip=False).hurt for _ in range(300))
    for a, b in S.TOP_ROW.items():  # the key beside it on a keyboard's top row
        assert abs("1234567890".index(a) - "1234567890".index(b)) == 1, (a, b)


def test_a_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = [("Brockwell Park", {}), ("Whitechapel Road", {"street": True}),
             ("Tresham Day Centre", {"service": True}), ("Café Oto", {}),
             ("Haggerston Road", {"street": True}), ("Crown and Cushion", {}),
             ("Clapham Baptist Church", {}), ("The Magnet Arms", {})]
    forms = ["{v}", "doorway of {v}", "steps of {v}", "{v} - in the yard", "bench in {v}"]
    for _ in range(6000):
        name, kw = rng.choice(names)
        sort = rng.choice([*S.STATUS, None])
        v = S._write(rng, name, "venue", **kw)
        w = S._write(rng, "Rye Lane", "chain", street=True, slip=False)
        parts = S._parts(rng.choice(forms), {"v": v}, {}) + [", ", w]
        text, typo = S._record(rng, parts, sort)
        assert text == text.strip() and "{" not in text and "  " not in text and text, text
        assert typo == v.hurt == (not _named(name, text)), (name, text, typo)
        assert _named_loosely(name, text) and _named("Rye Lane", text) and not w.hurt, (name, text)
        assert not _UNIT.search(text.upper()) and not _DISTRICT.search(text.upper()), text
        low = text.lower()
        seen["typo"] += typo
        seen["lower"] += text == low
        seen["caps"] += text == text.upper()
        seen["quoted"] += bool(re.search(r"[\"'].*[\"']", low.replace("'s", "").replace("s'", "")))
        seen["source"] += any(low.startswith(who.lower()) for who, _, _ in S.SAID_BY)
        seen["status"] += any(r.lower() in low for v_ in S.STATUS.values() for r in v_)
        seen["when"] += any(s.lower() in low for s in S.WHEN)
        seen["using"] += any(s.lower() in low for s in S.USING)
        seen["ref"] += bool(re.search(r"ref |swep log |bed |referral no |shift log |client id ", low))
        seen["how"] += any(e.lower() in low for e in S.HOW + [x for v_ in S.WHO_DID.values() for x in v_])
        for who, _, sorts in S.SAID_BY:
            if low.startswith(who.lower()):
                assert sorts is None or sort in sorts, (text, sort)
        for who, sorts in S.SAID_BY_AFTER:
            if who.lower() in low:
                assert sorts is None or sort in sorts, (text, sort)
    assert 150 < seen["typo"] < 800 and seen["lower"] > 900 and seen["caps"] > 700, seen
    assert seen["quoted"] > 80 and seen["source"] > 1200 and seen["status"] > 1000, seen
    assert seen["when"] > 700 and seen["using"] > 600 and seen["ref"] > 300 and seen["how"] > 1000, seen
    for _ in range(3000):
        t = rng.choice(S.HOME_TEXTS + S.UNKNOWN_TEXTS + [t for t, _ in S.NONPLACE_TEXTS]
                       + [t for t, _ in S.OTHER_HOMES] + S.HERE_IN_ED)
        text, typo = S._record(rng, [t], rng.choice([*S.STATUS, None]), place=False)
        assert not typo and not _DISTRICT.search(text.upper()) and t.lower() in text.lower(), text
        assert not any(text.lower().startswith(q.format("").lower()) for q in S.NOT_SURE if q.endswith("{}"))
        assert not any(text.lower().startswith(w.lower()) for w, own, _ in S.SAID_BY
                       if (w, own, None) not in S._NO_PLACE_FROM), text
    sector = S._write_code(rng, "SE5 9", "sector", slip=False)
    text, typo = S._record(rng, S._parts("pc begins {p}", {"p": sector}, {}), None)
    assert not typo and _has_code("SE5 9", text, exact=True), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def outreach_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return S.generate(conn, 900), S.generate(conn, 900)


def _is_here(e) -> bool:
    """A hospital text of this department's own: it says one of HERE_IN_ED."""
    return e.cls == "hospital" and any(_canon(h) in _canon(e.text) for h in S.HERE_IN_ED)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_outreach_family_is_reproducible_and_labelled_like_the_others(outreach_set, gconn):
    a, b = outreach_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(S.__file__)
    assert len(families) >= 18 and len(seeds) >= 18 and R.SEED in seeds and Q.SEED in seeds
    assert {e.family for e in a} == {S.FAMILY} and S.FAMILY not in families | {"gen", "blind"}
    assert S.FAMILY not in set(independent.SEEDS)
    assert S.FAMILY == "outreach" and S.SEED == 3_618_452
    assert S.SEED not in seeds | set(independent.SEEDS.values())
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * S.SHARES[c])), (c, cls[c])
    assert cls["area"] >= 0.5 * 900 * S.SHARES["area"], cls
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * S.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * S.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    others = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.25 < len(others) / cls["nonplace"] < 0.4
    said = {"home": S.HOME_TEXTS, "unknown": S.UNKNOWN_TEXTS}
    for e in no_place:  # no postcode or district, no slip; each says one of its class's phrases
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        pool = said.get(e.cls) or ([t for t, _ in S.OTHER_HOMES] if e.level == "home"
                                   else [t for t, _ in S.NONPLACE_TEXTS])
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
    assert sum(t == t.lower() for t in texts) > 0.14 * len(texts)
    assert sum(t == t.upper() for t in texts) > 0.1 * len(texts)
    assert sum(any(t.startswith(w.lower()) for w, _, _ in S.SAID_BY) for t in low) > 0.15 * len(texts)
    assert sum(any(r.lower() in t for v in S.STATUS.values() for r in v) for t in low) > 0.15 * len(texts)
    marks = ["pt ", "nfa", "outreach", "doorway", "swep", "hostel", "rough", "begging", "bench", "tent",
             "?", "our ref ", "key worker", "soup run", "concourse", "platform", " line", "pc ", "kicked",
             "etoh"]
    missing = [m for m in marks if not any(m in t for t in low)]
    assert len(missing) <= 2, missing


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(outreach_set, gconn):
    a, _ = outreach_set
    heldout_checks.check_reporting_sites(gconn, a, _is_here)


def _check_name(name: str, e) -> None:
    """Untouched: the name whole (written the family's way); damaged: not whole, but every word a person
    must write of it still there within two edits."""
    assert _named(name, e.text) != e.typo, (name, e)
    assert _named_loosely(name, e.text), (name, e)


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
    if any(_named(S._station_name(s), e.text) for s in _stations_near(gconn, e.x, e.y)):
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
    r"(?i) - ((?:(?! - ).)+?) stn end\b|\(by ([^()]+?) station\)| close to ((?:(?! - ).)+?) stn\b")


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_outreach_truths_are_the_places_named(outreach_set, gconn):
    a, _ = outreach_set
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
                assert S._spot_sort(S._plain(name)), e
            seen["venue " + kind] += 1
            _check_name(name, e)
            seen["end off"] += bool(_SERVICE_END.search(_strip(name))) and not any(
                w in _text_words(e.text) for w in ("centre", "center", "drop"))
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = S.CHAIN_WORDS[brand]
            nick = [f for f in forms if f in S.NICKNAMES]
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
            _check_name(S._station_name(name), e)
            low = e.text.lower().replace("elizabeth line station", "")  # the network, not a line
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
    assert seen["venue pub"] >= 5 and seen["venue venue"] >= 10 and seen["venue landmark"] >= 5, seen
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
            assert inside and S._ward_ok(name), e
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
                near = [S._station_name(s) for s in _stations_near(gconn, e.x, e.y)]
                assert any(_canon(s) == _canon(said_stn) for s in near), (e, near)
                seen["station after"] += 1
    assert seen["code typo"] >= 1 and seen["street typo"] >= 2 and seen["nearest unit"] >= 3, seen
    assert seen["station after"] >= 2, seen
