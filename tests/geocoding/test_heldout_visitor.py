"""The ``visitor`` held-out family (safestats.geocoding.heldout_p): location fields of a central London
emergency department whose assault patients are mostly visitors and commuters (the patient, a friend, hotel
or venue staff, a transport worker, the police or the crew say where; a receptionist types it: sights and
venues by what they are, stations with lines and platforms, postcodes off a booking, hedges, who passed it
on, why the patient was in town, the receptionist's fumbles and names typed as a stranger says them, homes
out of area and answers that are no place; no database needed for those), and its generator on the
geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the other families, each
class near its share, every truth the place its text names, ``typo`` set exactly when letters of a name or
code were damaged, reporting sites where the other families put them, and no list taken over from another
family. The geocoder is never run here."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_o as O  # the model family, read only to compare its lists
from safestats.geocoding import heldout_p as P
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
    """A text's words: lower case letters and digits, apostrophes gone, "&" as "and" (brackets kept)."""
    s = re.sub(r"['’`]", "", _fold(text).lower()).replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def _forms(word: str) -> list[str]:
    """A word of a name as the receptionist may type it: whole, a street word shortened, "hosp"."""
    return [word, *([P.STREET_SHORT[word]] if word in P.STREET_SHORT else []),
            *(["hosp"] if word == "hospital" else [])]


def _named(name: str, text: str) -> bool:
    """Every word of the name a whole word of the text, in order and together: as it is, in the
    receptionist's short form, or (a generic word a visitor leaves off, LEFT_OFF) left off."""
    pat = "(?: the)?"
    for w in _words(name):
        alt = " (?:" + "|".join(map(re.escape, _forms(w))) + ")"
        pat += f"(?:{alt})?" if w in P.LEFT_OFF else alt
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
    """The word in the text whole, shortened, or two edits apart at most (a fumble, a stranger's spelling)."""
    t = _canon(text)
    if any(f in t for f in _forms(word)):
        return True
    return any(
        _dist(t[i : i + n], word) <= 2
        for n in range(max(3, len(word) - 2), len(word) + 3)
        for i in range(len(t) - n + 1)
    )


def _named_loosely(name: str, text: str) -> bool:
    """Every word of the name a person must say (not LEFT_OFF) in the text despite a fumble."""
    words = [w for w in _words(name) if w not in P.LEFT_OFF] or _words(name)
    return all(_found_loosely(w, text) for w in words)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (spaces aside, any case), or (``exact`` false) with one
    character of it replaced."""
    c, t = _canon(code), _canon(text)
    if c in t:
        return True
    return not exact and any(_dist(t[i : i + len(c)], c) <= 1 for i in range(len(t) - len(c) + 1))


# --- how the receptionist writes places, no database --------------------------------------------------------


def test_names_are_written_the_way_visitors_and_receptionists_write_them():
    assert P._plain("St Martin'S Lane") == "St Martin's Lane"
    assert P._plain("STRAND PALACE HOTEL") == "Strand Palace Hotel"
    assert P._plain("Cafe Rouge ltd") == "Cafe Rouge"
    assert P._plain("Bao@Borough Yards") == "Bao"
    assert P._plain("Somerset House (Courtauld)") == "Somerset House" and P._plain("(Tate)") == "Tate"
    assert P._plain("Tower of London, Tower Hill") == "Tower of London Tower Hill"
    assert P._station_bare("CUTTY SARK - DLR") == "Cutty Sark"
    assert P._station_bare("Oxford Circus LU") == "Oxford Circus"
    assert P._station_bare("Hammersmith (Dist&Picc Line)") == "Hammersmith"
    assert P._station_bare("Shadwell ELL") == "Shadwell"
    assert P._station_bare("Clapham Junction NR") == "Clapham Junction"
    assert P._station_bare("Battersea Power Station") == "Battersea Power Station"
    assert P._station_bare("London Bridge Rail Station") == "London Bridge"
    assert P._network("naptan_rail", None, "Bromley South") == "rail"
    assert P._network("tfl_stations_2018", None, "TOWER GATEWAY - DLR") == "dlr"
    assert P._network("tfl_stations_2018", "London Overground", "Dalston Junction") == "overground"
    assert P._network("tfl_stations_2018", "London Underground", "Bank LU") == "tube"
    assert P._network("tfl_stations_2018", "TfL Rail", "Forest Gate") == "lizzy"
    assert P._network("x", None, "Temple LU") == "tube" and P._network("x", None, "Temple") == "any"
    assert set(P.STATION_WORDS) == {"tube", "overground", "dlr", "tram", "lizzy", "rail", "any"}
    rng = random.Random(2)
    assert {P._line("District, Piccadilly", rng) for _ in range(100)} == {"District", "Piccadilly"}
    assert P._line("n/a", rng) is None and P._line(None, rng) is None and P._line("", rng) is None
    assert P._line("Hammersmith & City", rng) == "Hammersmith & City"
    sorts = {
        "Lyceum Theatre": "show",
        "Prince Edward Theatre": "show",
        "Royal Albert Hall": "gig",
        "Twickenham Stadium": "match",
        "Imperial War Museum": "sight",
        "Lambeth Palace": "sight",
        "Dulwich Picture Gallery": "sight",
        "Surrey Quays Shopping Centre": "mall",
        "Borough Market": "mall",
        "London Hilton Hotel": "stay",
        "Kennington Park": "park",
        "Leicester Square": "park",
    }
    for name, sort in sorts.items():
        assert P._sight_sort(name) == sort, name
    for name in ["Sidcup Station", "Greenford Road Roundabout", "Kenilworth House",
                 "Merton Park Tram Stop >T<", "Edmonton Cemetery", "Westminster City Hall",
                 "Putney Leisure Centre", "The Park",
                 "Central Hall", "Bromley Civic Centre", "Sudbury Golf Club", "Royal National Hotel & Spa",
                 "St Thomas' Hospital", "Euston Road"]:
        assert P._sight_sort(name) is None, name
    assert P._food_sort("Pub/bar/nightclub") == "bar" and P._food_sort("Takeaway/sandwich shop") == "takeaway"
    assert P._food_sort("Restaurant/Cafe/Canteen") == "eat" and P._food_sort("Retailers - other") == "shop"
    assert P._food_sort(None) == "shop"
    assert P._area_ok("Soho") and P._area_ok("Covent Garden") and P._area_ok("Bloomsbury")
    assert not P._area_ok("Brixton North") and not P._area_ok("Camden Town with Primrose Hill")
    assert not P._area_ok("A Place Of Four Words") and not P._area_ok(None)
    assert not P._area_ok("St Pancras & Somers")
    assert P._street_ok("Charing Cross Road") and not P._street_ok("University Campus - North Wing Road")
    for word, short in P.STREET_SHORT.items():
        assert short[0] == word[0] and len(short) < len(word) and short.islower(), (word, short)

    def forms(name, **kw):
        return {P._written(rng, name, "venue", slip=False, **kw).shown for _ in range(500)}

    assert forms("The King's Head") == {"The King's Head", "The Kings Head"}
    assert forms("Rose and Crown") == {"Rose and Crown", "Rose & Crown"}
    roads = forms("Old Kent Road", street=True)
    assert roads == {"Old Kent Road", "Old Kent rd", "Old Kent Rd", "Old Kent RD"}, roads
    avenues = forms("Shaftesbury Avenue", street=True)
    assert avenues == {"Shaftesbury Avenue", "Shaftesbury av", "Shaftesbury Av", "Shaftesbury AV"}, avenues
    assert forms("Lyceum Theatre", sight=True) == {"Lyceum Theatre", "the Lyceum"}
    malls = forms("Brent Cross Shopping Centre", sight=True)
    assert malls == {"Brent Cross Shopping Centre", "the Brent Cross", "Brent Cross centre"}, malls
    assert forms("The Old Vic Theatre", sight=True) == {"The Old Vic Theatre", "The Old Vic"}
    assert forms("Imperial War Museum", sight=True) == {"Imperial War Museum"}
    hosp = forms("St Thomas' Hospital", hospital=True)
    assert {"St Thomas' Hospital", "St Thomas Hospital", "St Thomas' Hosp", "St Thomas hosp"} <= hosp, hosp
    for name, kw in [("Brent Cross Shopping Centre", {"sight": True}),
                     ("St Thomas' Hospital", {"hospital": True}),
                     ("Old Kent Road", {"street": True}), ("The Old Vic Theatre", {"sight": True})]:
        assert all(_named(name, f) for f in forms(name, **kw)), name
    assert all(not P._written(rng, "Kennington Park", "venue", slip=False).hurt for _ in range(200))


def test_lists_are_fresh_apart_and_hold_no_place():
    assert set(P.CHAIN_FORMS) == set(CHAINS)
    their_forms = {_canon(f) for forms in O.CHAIN_SAYS.values() for f in forms}
    for brand, forms in P.CHAIN_FORMS.items():
        for f in forms:
            assert (brand in _canon(f)) != (f in P.NICKNAMES), (brand, f)
            assert "station" not in f.lower() and not re.search(r"[0-9]", f), f
            assert not f.lower().startswith("the "), f
        assert not ({_canon(f) for f in forms} - {brand}) & their_forms, brand  # no chain form of paeds'
    assert not {_canon(f) for f in P.NICKNAMES} & {_canon(f) for f in O.NICKNAMES}
    assert any(f in P.NICKNAMES for f in P.CHAIN_FORMS["mcdonalds"])
    # the receptionist's short forms, generic words, spellings, look-alikes and keyboard are not paeds'
    assert P.STREET_SHORT != O.NURSE_ABBR
    assert len(set(P.STREET_SHORT.items()) & set(O.NURSE_ABBR.items())) <= 3
    assert P.LEFT_OFF != O.DROPPABLE and not P.LEFT_OFF & O.DROPPABLE - {"the", "centre"}
    assert not {(p.pattern, r) for p, r in P.AS_SAID} & {(p.pattern, r) for p, r in O.BY_EAR}
    assert not set(P.LOOKALIKE.items()) & set(O.MISHEARD.items())
    assert [p.pattern for p in P.ENDINGS] != [p.pattern for p, _ in O.SHORT_FORMS]
    assert all(set(P.STATION_WORDS[k]) != set(O.NETWORK_SAYS[k]) for k in P.STATION_WORDS)
    assert not {t for v in P.NEAR_FORMS.values() for t in v} & {t for v in O.LOC_SAYS.values() for t in v}
    assert set(P.CASE) != set(O.CASE) and P.SHARES != O.SHARES and P.FUMBLE_P != O.SLIP_P
    ours = {
        "home": P.HOME_TEXTS,
        "unknown": P.UNKNOWN_TEXTS,
        "non": P.NONPLACE_TEXTS,
        "staying": P.STAYING_WITH,
        "dept": P.THIS_DEPT,
    }
    for a in ours:
        for b in ours:
            assert a == b or not {t.lower() for t in ours[a]} & {t.lower() for t in ours[b]}, (a, b)
    theirs = {t.lower() for t in O.HOME_SAYS + O.UNKNOWN_SAYS + O.NONPLACE_SAYS + O.OTHER_DWELLINGS
              + O.IN_DEPT}
    theirs |= {t.lower() for t in independent.NONPLACES_NONE + independent.NONPLACES_HOME
               + independent.UNKNOWN + independent.HOME}
    for name, texts in ours.items():
        clash = [t for t in texts if t.lower() in theirs]
        assert not clash, (name, clash)
    said = {
        "relay": ({w.lower() for w, _ in P.RELAYED_BY}, {w.lower() for w, _ in O.WHO_BEFORE}),
        "relay after": ({w.lower() for w in P.RELAYED_AFTER}, {w.lower() for w in O.WHO_AFTER}),
        "hedge": ({q.lower() for q in P.HEDGES}, {q.lower() for q in O.QUERIES}),
        "event": ({e.lower() for e in P.EVENTS + P.VISIT_NOTES}, {e.lower() for e in O.AFTERS}),
    }
    for name, (mine, theirs_) in said.items():
        assert not mine & theirs_, (name, mine & theirs_)
    templates = [*P.STATION_FORMS, *P.LINE_FORMS, *P.STREET_FORMS, *P.JUNCTION_FORMS, *P.POSTCODE_FORMS,
                 *P.SECTOR_FORMS, *P.DISTRICT_FORMS, *P.AREA_FORMS, *P.HOSPITAL_FORMS, *P.CHAIN_ALONE_FORMS,
                 *P.CHAIN_STREET_FORMS, *P.CHAIN_WARD_FORMS, *P.CHAIN_DISTRICT_FORMS, *P.CHAIN_STATION_FORMS,
                 *(f for forms in P.VENUE_FORMS.values() for f in forms)]
    theirs_t = {t.lower() for t in O.STATION_SAYS + O.STREET_SAYS + O.JUNCTION_SAYS + O.POSTCODE_SAYS
                + O.SECTOR_SAYS + O.DISTRICT_SAYS + O.AREA_SAYS + O.HOSPITAL_SAYS + O.CHAIN_ALONE_SAYS
                + O.CHAIN_STREET_SAYS + O.CHAIN_WARD_SAYS + O.CHAIN_DISTRICT_SAYS + O.CHAIN_STATION_SAYS
                + [f for forms in O.VENUE_SAYS.values() for f in forms]}
    bare = {"{v}", "{st}", "{a}", "{p}", "{d}", "{h}", "{c}", "{s}", "{s} {m}"}
    shared = ({t.lower() for t in templates} - bare) & theirs_t
    assert not shared, shared
    # enough of each, and none of them a place
    assert len(set(P.NONPLACE_TEXTS)) >= 22 and len(set(P.UNKNOWN_TEXTS)) >= 14
    assert len(set(P.HOME_TEXTS)) >= 12
    assert len(set(P.THIS_DEPT)) >= 10 and len(set(P.STAYING_WITH)) >= 10 and len(set(P.EVENTS)) >= 15
    assert len(set(P.RELAYED_BY)) >= 24 and len({w for w, own in P.RELAYED_BY if own}) >= 6
    assert len(set(P.STREET_FORMS)) >= 12 and len(set(P.STATION_FORMS)) >= 10 and len(set(P.AREA_FORMS)) >= 7
    plain = [*P.HOME_TEXTS, *P.UNKNOWN_TEXTS, *P.NONPLACE_TEXTS, *P.STAYING_WITH, *P.THIS_DEPT, *P.EVENTS,
             *P.VISIT_NOTES, *P.RELAYED_AFTER, *(w for w, _ in P.RELAYED_BY),
             *(q.format("") for q in P.HEDGES)]
    for t in plain:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t.strip(), t
        assert "london" not in t.lower(), t
    for t in [*P.HOME_TEXTS, *P.UNKNOWN_TEXTS, *P.NONPLACE_TEXTS, *P.STAYING_WITH, *P.THIS_DEPT]:
        assert t == t.strip(), t
    assert all(re.search(r"home|house|flat", t.lower()) for t in P.HOME_TEXTS)
    assert not any(re.search(r"house|flat|own home|family home|airbnb|halls", t.lower())
                   for t in P.UNKNOWN_TEXTS + P.NONPLACE_TEXTS + P.THIS_DEPT)
    assert all(re.search(r"'s\b|house|flat|halls|airbnb", t.lower()) for t in P.STAYING_WITH)
    assert not any("hospital" in t.lower() for t in P.THIS_DEPT)
    assert all(re.search(r"(?i)dept|department|ED\b|A&E|UTC|here|our", t) for t in P.THIS_DEPT)
    assert abs(sum(P.SHARES.values()) - 1) < 1e-9 and abs(sum(P.CASE.values()) - 1) < 1e-9
    for c in ("chain", "hospital", "station", "sector"):
        assert P.SHARES[c] >= 0.08, c
    assert 0.15 <= sum(P.SHARES[c] for c in NO_PLACE) <= 0.2
    assert set(P.FUMBLE_P) == set(P.SHARES) and set(P.STRANGER_P) < set(P.SHARES) - set(NO_PLACE)
    assert all(P.FUMBLE_P[c] == 0 for c in NO_PLACE)
    assert all(P.FUMBLE_P[c] > 0 for c in P.SHARES if c not in NO_PLACE)
    assert all("{v}" in t for forms in P.VENUE_FORMS.values() for t in forms)
    assert all("{st}" in t for t in P.STREET_FORMS) and all("{h}" in t for t in P.HOSPITAL_FORMS)
    assert all("{a}" in t and "{b}" in t for t in P.JUNCTION_FORMS) and all("{a}" in t for t in P.AREA_FORMS)
    assert all("{c}" in t for t in P.CHAIN_ALONE_FORMS) and all("{s}" in t for t in P.STATION_FORMS)
    assert all("{s}" in t and "{l}" in t for t in P.LINE_FORMS)
    assert all("station" not in t and "stn" not in t for t in P.CHAIN_ALONE_FORMS)
    located = [(P.CHAIN_STREET_FORMS, "{w}"), (P.CHAIN_WARD_FORMS, "{a}"), (P.CHAIN_DISTRICT_FORMS, "{d}"),
               (P.CHAIN_STATION_FORMS, "{s}")]
    assert all(w in t for forms, w in located for t in forms)
    assert set(P.VENUE_FORMS) == {s for s, _ in P.SIGHT_SORTS} | {"pub", "bar", "eat", "takeaway", "shop"}


def test_a_fumble_is_one_keystroke_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Piccadilly", "marylebone", "SHOREDITCH", "Vauxhall", "Soho", "Bow", "Strand"):
        for _ in range(300):
            s = P._fumble(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and _dist(s.lower(), w.lower()) == 1, (w, s)
            assert s.isalpha() and (s.isupper() == w.isupper()), (w, s)
            if len(s) < len(w):
                seen["light"] += 1
            elif len(s) > len(w):
                seen["fat"] += 1
                extra = [j for j in range(len(s)) if s[:j] + s[j + 1 :] == w]  # a key beside a neighbour
                assert any(s[i].lower() in P._beside(s[j].lower()) for i in extra for j in (i - 1, i + 1)
                           if 0 <= j < len(s)), (w, s)
            else:  # never a key hit instead of another: only two letters of different hands, swapped
                assert sorted(s) == sorted(w), (w, s)
                (a, b) = [x.lower() for x, y in zip(w, s) if x != y]
                assert (a in P._LEFT_HAND) != (b in P._LEFT_HAND), (w, s)
                seen["roll"] += 1
    assert all(seen[k] > 200 for k in ("light", "fat", "roll")), seen
    for w in ("KFC", "Rd", "SE15", "A&E", "Martin's", "Ave", "Bow"):
        assert P._fumble(rng, w) == w
    assert set(P._beside("g")) == {"f", "h", "t", "y", "v", "b"} and set(P._beside("Q")) == {"W", "A"}
    assert set(P._beside("m")) == {"n", "j", "k"}


def test_a_name_as_a_stranger_says_it_sounds_like_the_name():
    rng = random.Random(6)
    for w in ("Vauxhall", "Southwark", "Tottenham", "Hackney", "Marcus", "Marylebone", "Hounslow",
              "Leadenhall", "Croydon", "Knightsbridge", "Fields", "Paddington", "Greenwich"):
        assert P._sayable(w), w
        heard = {P._as_said(rng, w) for _ in range(200)}
        for s in heard:
            assert s != w and s[0] == w[0] and 1 <= _dist(s.lower(), w.lower()) <= 2, (w, s)
            assert _found_loosely(_canon(w), s), (w, s)
    assert len({P._as_said(rng, "Highbury") for _ in range(200)}) >= 2
    for w in ("Bank", "Soho", "SE15", "Bow", "Strand"):
        assert not P._sayable(w) and P._as_said(rng, w) == w, w


def test_codes_are_written_and_misread_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(6000):
        c = rng.choice(["WC2N 5DU", "SE1 8XX", "SE15 2", "SW1A", "SE1", "W1D 6BS", "EC1V 0AB", "NW1 6",
                        "E20"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        said = P._code_written(rng, c, cls)
        assert said.meant.replace(" ", "").upper() == c.replace(" ", ""), said
        assert said.hurt == (said.shown != said.meant) and len(said.shown) == len(said.meant), said
        assert _has_code(c, said.shown, exact=False), said
        assert _has_code(c, said.shown, exact=True) != said.hurt, said
        if said.hurt:
            (i,) = [j for j in range(len(said.shown)) if said.shown[j] != said.meant[j]]
            was, now = said.meant[i].upper(), said.shown[i].upper()
            assert P.LOOKALIKE[was] == now, said
            if cls == "postcode":
                assert len(said.meant[i:].replace(" ", "")) <= 3, said
            elif cls == "sector":
                assert i == len(said.meant) - 1 and was.isdigit(), said
            else:
                assert i >= 1 and was.isdigit(), said
            seen["misread " + cls] += 1
        seen["lower"] += said.shown.islower()
        seen["joined"] += cls == "postcode" and " " not in said.meant
        seen["late space"] += cls == "postcode" and len(said.meant.split()[-1]) == 2
    assert seen["misread postcode"] > 40 and seen["misread sector"] > 20, seen
    assert seen["misread district"] > 20, seen
    assert seen["lower"] > 500 and seen["joined"] > 100 and seen["late space"] > 40, seen
    assert all(not P._code_written(rng, "SE15", "district", slip=False).hurt for _ in range(300))


def test_a_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = [("Kennington Park", None), ("Marylebone High Street", "street"), ("Lyceum Theatre", "sight"),
             ("Surrey Quays Shopping Centre", "sight"), ("Café Boheme", None), ("Vauxhall Walk", "street"),
             ("Rose and Crown", None), ("St Thomas' Hospital", "hospital")]
    forms = ["{v}", "inside {v}", "stage door at {v}", "{v} - at the bar", "near {v}"]
    for _ in range(6000):
        name, kind = rng.choice(names)
        v = P._written(rng, name, "venue", street=kind == "street", sight=kind == "sight",
                       hospital=kind == "hospital")
        w = P._written(rng, "Long Acre", "chain", street=True, slip=False)
        parts = P._parts(rng.choice(forms), {"v": v}, {}) + [", ", w]
        text, typo = P._field(rng, parts)
        assert text == text.strip() and "{" not in text and "  " not in text and text, text
        assert typo == v.hurt == (not _named(name, text)), (name, text, typo)
        assert _named_loosely(name, text) and _named("Long Acre", text) and not w.hurt, (name, text)
        low = text.lower()
        seen["typo"] += typo
        seen["lower"] += text == low
        seen["title"] += text != low and all(x[:1] == x[:1].upper() for x in text.split())
        seen["quoted"] += bool(re.search(r"[\"'].*[\"']", text.replace(name, "")))
        seen["relay"] += any(low.startswith(who.lower()) for who, _ in P.RELAYED_BY)
        seen["hedge"] += any(re.fullmatch(re.escape(q.lower()).replace(r"\{\}", ".*"), low.rstrip(". /"))
                             for q in P.HEDGES) or any(low.startswith(q.format("").lower()) for q in P.HEDGES
                                                       if q.startswith(("believes", "maybe")))
        seen["visit"] += any(v_.lower() in low for v_ in P.VISIT_NOTES)
        seen["event"] += any(low.rstrip(". /").endswith(e.lower()) for e in P.EVENTS)
    assert 250 < seen["typo"] < 1000 and seen["lower"] > 900 and seen["quoted"] > 100, seen
    assert seen["relay"] > 1500 and seen["hedge"] > 150 and seen["visit"] > 500 and seen["event"] > 600, seen
    assert seen["title"] > 200, seen
    for _ in range(3000):
        t = rng.choice(P.HOME_TEXTS + P.UNKNOWN_TEXTS + P.NONPLACE_TEXTS + P.STAYING_WITH + P.THIS_DEPT)
        text, typo = P._field(rng, [t], place=False)
        assert not typo and not _DISTRICT.search(text.upper()) and t.lower() in text.lower(), text
        hedged = [q.format("").lower() for q in P.HEDGES if q.endswith("{}")]
        assert not any(text.lower().startswith(q) for q in hedged), text
    sector = P._code_written(rng, "WC2N 5", "sector", slip=False)
    text, typo = P._field(rng, P._parts("{p} something", {"p": sector}, {}))
    assert not typo and _has_code("WC2N 5", text, exact=True), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def visitor_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return P.generate(conn, 900), P.generate(conn, 900)


def _is_here(e) -> bool:
    """A hospital text of the department itself: it says one of THIS_DEPT."""
    return e.cls == "hospital" and any(_canon(h) in _canon(e.text) for h in P.THIS_DEPT)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_visitor_family_is_reproducible_and_labelled_like_the_others(visitor_set, gconn):
    a, b = visitor_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(P.__file__)
    assert len(families) >= 15 and len(seeds) >= 15 and O.SEED in seeds
    assert {e.family for e in a} == {P.FAMILY} and P.FAMILY not in families | {"gen", "blind"}
    assert re.fullmatch(r"[a-z]+", P.FAMILY) and P.SEED == 7_513_294
    assert P.SEED not in seeds | set(independent.SEEDS.values())
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * P.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * P.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * P.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    staying = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.12 < len(staying) / cls["nonplace"] < 0.3
    said = {"home": P.HOME_TEXTS, "unknown": P.UNKNOWN_TEXTS}
    for e in no_place:  # no postcode or district, no fumble; each says one of its class's phrases
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        pool = said.get(e.cls) or (P.STAYING_WITH if e.level == "home" else P.NONPLACE_TEXTS)
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
    assert 0.04 < sum(e.typo for e in placed) / len(placed) < 0.2
    texts = [e.text for e in a]
    low = [t.lower() for t in texts]
    assert sum(t == t.lower() for t in texts) > 0.12 * len(texts)
    assert sum(t == t.upper() for t in texts) > 0.05 * len(texts)
    assert sum(any(t.startswith(w.lower()) for w, _ in P.RELAYED_BY) for t in low) > 0.15 * len(texts)
    assert sum(any(v.lower() in t for v in P.VISIT_NOTES) for t in low) > 0.06 * len(texts)
    marks = ["pt ", "platform", " line", "hotel", "per las", "btp", "stn", "booking", "door staff", "maccas",
             "not local", "postcode", "taxi", "tube", "stage door", "nr ", "?"]
    missing = [m for m in marks if not any(m in t for t in low)]
    assert len(missing) <= 2, missing


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(visitor_set, gconn):
    a, _ = visitor_set
    heldout_checks.check_reporting_sites(gconn, a, _is_here)


def _check_name(name: str, e) -> None:
    """Untouched: the name whole (or shortened the family's way); damaged: not whole, but every word a
    person must say still there within two edits."""
    assert _named(name, e.text) != e.typo, (name, e)
    assert _named_loosely(name, e.text), (name, e)


def _stations_near(gconn, x, y, metres=400) -> list[str]:
    return [_station for (_station,) in gconn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), {int(metres)})", (x, y))]


def _chain_located(gconn, e) -> bool:
    """A "chain" text says where the branch is: its street, a station within 400 m, its ward or the
    district of the postcode unit nearest it."""
    street = gconn.execute(
        "SELECT sf.street FROM gazetteer.feature f JOIN gazetteer.source_feature sf ON sf.source = f.source "
        "AND sf.source_key = f.source_key WHERE f.feature_id = %s ORDER BY sf.load_id DESC LIMIT 1",
        (e.feature_id,),
    ).fetchone()
    if street and street[0] and _named(street[0], e.text):
        return True
    if any(_named(P._station_bare(s), e.text) for s in _stations_near(gconn, e.x, e.y)):
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


_STATION_AFTER = re.compile(r"(?i)\bnr (.+?) stn\b|\(nearest station (.+?)\)| - near (.+?) station\b")


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_visitor_truths_are_the_places_named(visitor_set, gconn):
    a, _ = visitor_set
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
                assert P._sight_sort(P._plain(name)), e
                seen["sight " + P._sight_sort(P._plain(name))] += 1
            _check_name(name, e)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = P.CHAIN_FORMS[brand]
            nick = [f for f in forms if f in P.NICKNAMES]
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
            _check_name(P._station_bare(name), e)
            seen["no station word"] += not re.search(r"stn|station|tube|underground|dlr|rail|overground|tram|"
                                                     r"elizabeth|crossrail|platform|line", e.text.lower())
            low = e.text.lower().replace("elizabeth line", "")
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
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["no station word"] >= 3, seen
    assert seen["chain located"] >= 5 and seen["line"] >= 3, seen
    assert sum(v for k, v in seen.items() if k.startswith("sight ")) >= 10, seen
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
            assert inside and P._area_ok(name), e
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
                near = [P._station_bare(s) for s in _stations_near(gconn, e.x, e.y)]
                assert any(_canon(s) == _canon(said_stn) for s in near), (e, near)
                seen["station after"] += 1
    assert seen["code typo"] >= 1 and seen["street typo"] >= 2 and seen["nearest unit"] >= 5, seen
    assert seen["station after"] >= 2, seen
