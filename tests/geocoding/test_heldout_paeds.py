"""The ``paeds`` held-out family (safestats.geocoding.heldout_o): location fields of a children's emergency
department (the child's or carer's own words as a paediatric nurse types them: who said it, quotes, the
clinical query, young people's names for places, the nurse's shorthand and slips, safeguarding caution and
answers that are no place; no database needed for those), and its generator on the geocoding tests' slice
of the gazetteer (conftest.py): reproducible, labelled like the other families, each class near its share,
every truth the place its text names, ``typo`` set exactly when letters of a name or code were damaged,
reporting sites where the other families put them. The geocoder is never run here."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_n, independent
from safestats.geocoding import heldout_o as O
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
# how the family may shorten a word of a name (besides NURSE_ABBR), and which words it may leave off
_SHORTER = {"recreation": ["rec"], "estate": ["est"]}


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


def _forms(word: str) -> list[str]:
    return [word, *([O.NURSE_ABBR[word]] if word in O.NURSE_ABBR else []), *_SHORTER.get(word, [])]


def _named(name: str, text: str) -> bool:
    """Every word of the name a whole word of the text, in order and together: as it is, in the nurse's
    short form, or (a generic word of a landmark, DROPPABLE) left off; case and punctuation aside."""
    pat = "(?: the)?"
    for w in _words(name):
        alt = " (?:" + "|".join(map(re.escape, _forms(w))) + ")"
        pat += f"(?:{alt})?" if w in O.DROPPABLE else alt
    return re.search(pat + "(?= )", " " + " ".join(_words(text)) + " ") is not None


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
    """The word in the text whole, shortened, or two edits apart at most (a slip, a spelling by ear)."""
    t = _canon(text)
    if any(f in t for f in _forms(word)):
        return True
    return any(
        _dist(t[i : i + n], word) <= 2
        for n in range(max(3, len(word) - 2), len(word) + 3)
        for i in range(len(t) - n + 1)
    )


def _named_loosely(name: str, text: str) -> bool:
    """Every word of the name a person must say (not DROPPABLE) in the text despite a slip."""
    words = [w for w in _words(name) if w not in O.DROPPABLE] or _words(name)
    return all(_found_loosely(w, text) for w in words)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (space lost, any case), or (``exact`` false) with one
    character of it replaced."""
    c, t = _canon(code), _canon(text)
    if c in t:
        return True
    return not exact and any(_dist(t[i : i + len(c)], c) <= 1 for i in range(len(t) - len(c) + 1))


# --- how the nurse writes places, no database --------------------------------------------------------------


def test_names_are_written_the_way_people_write_them():
    assert O._tidy("St Leonard'S Church") == "St Leonard's Church"
    assert O._tidy("ROOKERY ROAD") == "Rookery Road" and O._tidy("Portena ltd") == "Portena"
    assert O._tidy("Radish@Brackenbury Primary School") == "Radish"
    assert O._tidy("Gobions (Gubbins)") == "Gobions" and O._tidy("(Gubbins)") == "Gubbins"
    assert O._tidy("Royal Botanic Gardens, Kew") == "Royal Botanic Gardens Kew"
    assert O._station_name("WEST HAM - DLR") == "West Ham"
    assert O._station_name("Liverpool Street LU") == "Liverpool Street"
    assert O._station_name("Edgware Road (Bakerloo)") == "Edgware Road"
    assert O._station_name("New Cross ELL") == "New Cross"
    assert O._station_name("West Croydon NR") == "West Croydon"
    assert O._station_name("Battersea Power Station") == "Battersea Power Station"
    assert O._station_name("Peckham Rye Rail Station") == "Peckham Rye"
    assert O._network("naptan_rail", None, "Erith") == "rail"
    assert O._network("tfl_stations_2018", None, "BOW CHURCH - DLR") == "dlr"
    assert O._network("tfl_stations_2018", "London Overground", "Barking") == "overground"
    assert O._network("tfl_stations_2018", "London Underground", "Balham LU") == "tube"
    assert O._network("tfl_stations_2018", "TfL Rail", "Ilford") == "lizzy"
    assert O._network("x", None, "Balham LU") == "tube" and O._network("x", None, "Temple") == "any"
    assert set(O.NETWORK_SAYS) == {"tube", "overground", "dlr", "tram", "lizzy", "rail", "any"}
    kinds = {
        "Aquila Estate": "estate",
        "Peckham Library": "library",
        "Cathall Leisure Centre": "pool",
        "Kings Road Recreation Ground": "field",
        "Ashton Playing Fields": "field",
        "Oasis Academy": "school",
        "West Thames College": "school",
        "Clissold Park": "park",
        "Brent Cross Shopping Centre": "shops",
    }
    for name, kind in kinds.items():
        assert O._youth_kind(name) == kind, name
    for name in ["Five Arches Business Estate", "Sidcup Station", "Greenford Road Roundabout",
                 "Kenilworth House", "Merton Park Tram Stop >T<", "Edmonton Cemetery", "Eltham Green School",
                 "Woolwich Ferry", "Staples Corner Retail Park", "Loughton Library & Town Hall",
                 "The Recreation Ground", "The Park", "Central Library", "Upper Playing Fields"]:
        assert O._youth_kind(name) is None, name
    assert O._ward_fine("Peckham") and O._ward_fine("Stoke Newington")
    assert not O._ward_fine("Brixton North") and not O._ward_fine("Nunhead and Queen's Road")
    assert not O._ward_fine("Farringdon Without") and not O._ward_fine("A Place With Four Words")
    assert not O._ward_fine("Junction") and not O._ward_fine(None)
    assert O._street_fine("Rye Lane") and not O._street_fine("Newhaven School - Kings Park Campus Road")
    for word, short in O.NURSE_ABBR.items():
        assert short[0] == word[0] and len(short) < len(word) and short.islower(), (word, short)
    rng = random.Random(3)

    def forms(name, **kw):
        return {O._as_written(rng, name, "venue", slip=False, **kw).shown for _ in range(400)}

    assert forms("The King's Head") == {"The King's Head", "The Kings Head"}
    assert forms("Rose and Crown") == {"Rose and Crown", "Rose & Crown"}
    assert forms("Old Kent Road", street=True) == {"Old Kent Road", "Old Kent rd", "Old Kent Rd"}
    assert forms("Kings Road Recreation Ground", landmark="field") >= {
        "Kings Road Recreation Ground", "Kings Road rec", "Kings Road Rec"}
    estates = forms("Aquila Estate", landmark="estate")
    assert {"the Aquila", "Aquila Estate", "the Aquila Estate", "the Aquila est"} <= estates, estates
    assert all(_named("Aquila Estate", e) for e in estates) and not any(e == "Aquila" for e in estates)
    assert all(not O._as_written(rng, "Clissold Park", "venue", slip=False).hurt for _ in range(200))


def test_lists_are_fresh_apart_and_hold_no_place():
    assert set(O.CHAIN_SAYS) == set(CHAINS)
    for brand, forms in O.CHAIN_SAYS.items():
        for f in forms:
            assert (brand in _canon(f)) != (f in O.NICKNAMES), (brand, f)
            assert "station" not in f.lower() and not re.search(r"[0-9]", f), f
            assert not f.lower().startswith("the "), f
        theirs = {_canon(f) for f in heldout_n.CHAIN_FORMS.get(brand, [])}
        assert not ({_canon(f) for f in forms} - {brand}) & theirs, brand  # no chain form of merged's
    assert any(f in O.NICKNAMES for f in O.CHAIN_SAYS["mcdonalds"])
    assert all(table != O.NURSE_ABBR for table in heldout_n.CLERK_ABBREV)
    ours = {
        "home": O.HOME_SAYS,
        "unknown": O.UNKNOWN_SAYS,
        "non": O.NONPLACE_SAYS,
        "dwelling": O.OTHER_DWELLINGS,
        "dept": O.IN_DEPT,
    }
    for a in ours:
        for b in ours:
            assert a == b or not set(ours[a]) & set(ours[b]), (a, b)
    theirs = {t.lower() for t in heldout_n.HOME_TEXTS + heldout_n.UNKNOWN_TEXTS + heldout_n.NONPLACE_TEXTS
              + heldout_n.OTHER_DWELLINGS + heldout_n.IN_DEPT}
    theirs |= {t.lower() for t in independent.NONPLACES_NONE + independent.NONPLACES_HOME
               + independent.UNKNOWN + independent.HOME}
    for name, texts in ours.items():
        clash = [t for t in texts if t.lower() in theirs]
        assert not clash, (name, clash)
    templates = [*O.STATION_SAYS, *O.STREET_SAYS, *O.JUNCTION_SAYS, *O.POSTCODE_SAYS, *O.SECTOR_SAYS,
                 *O.DISTRICT_SAYS, *O.AREA_SAYS, *O.HOSPITAL_SAYS, *O.CHAIN_ALONE_SAYS, *O.CHAIN_STREET_SAYS,
                 *O.CHAIN_WARD_SAYS, *O.CHAIN_DISTRICT_SAYS, *O.CHAIN_STATION_SAYS,
                 *(f for forms in O.VENUE_SAYS.values() for f in forms)]
    theirs_t = {t.lower() for t in heldout_n.STATION_FORMS + heldout_n.STREET_FORMS + heldout_n.JUNCTION_FORMS
                + heldout_n.POSTCODE_FORMS + heldout_n.SECTOR_FORMS + heldout_n.DISTRICT_FORMS
                + heldout_n.AREA_FORMS + heldout_n.HOSPITAL_FORMS + heldout_n.VENUE_FORMS
                + heldout_n.CHAIN_ALONE_FORMS + heldout_n.CHAIN_STREET_FORMS + heldout_n.CHAIN_WARD_FORMS
                + heldout_n.CHAIN_DISTRICT_FORMS + heldout_n.CHAIN_STATION_FORMS}
    bare = {"{v}", "{st}", "{a}", "{p}", "{d}", "{h}", "{c}", "{s}", "{s} {m}"}
    shared = ({t.lower() for t in templates} - bare) & theirs_t
    assert not shared, shared
    assert len(set(O.NONPLACE_SAYS)) >= 25 and len(set(O.UNKNOWN_SAYS)) >= 16 and len(set(O.HOME_SAYS)) >= 12
    assert len(set(O.IN_DEPT)) >= 10 and len(set(O.OTHER_DWELLINGS)) >= 10 and len(set(O.AFTERS)) >= 15
    assert len(set(O.WHO_BEFORE)) >= 20 and len({w for w, child in O.WHO_BEFORE if child}) >= 6
    assert len(set(O.STREET_SAYS)) >= 12 and len(set(O.STATION_SAYS)) >= 8 and len(set(O.AREA_SAYS)) >= 8
    plain = [*O.HOME_SAYS, *O.UNKNOWN_SAYS, *O.NONPLACE_SAYS, *O.OTHER_DWELLINGS, *O.IN_DEPT, *O.AFTERS,
             *O.WHO_AFTER, *(w.format(age=14) for w, _ in O.WHO_BEFORE), *(q.format("") for q in O.QUERIES)]
    for t in plain:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t.strip(), t
    for t in [*O.HOME_SAYS, *O.UNKNOWN_SAYS, *O.NONPLACE_SAYS, *O.OTHER_DWELLINGS, *O.IN_DEPT]:
        assert t == t.strip(), t
    assert all(re.search(r"home|house|bedroom|flat|placement", t.lower()) for t in O.HOME_SAYS)
    assert not any(re.search(r"house|bedroom|flat|placement|family home", t.lower())
                   for t in O.UNKNOWN_SAYS + O.NONPLACE_SAYS + O.IN_DEPT)
    assert all(re.search(r"'s\b|house|flat|party", t) for t in O.OTHER_DWELLINGS)
    assert not any("hospital" in t.lower() for t in O.IN_DEPT)
    assert all(re.search(r"(?i)dept|department|ED\b|A&E|waiting|here|paeds", t) for t in O.IN_DEPT)
    assert abs(sum(O.SHARES.values()) - 1) < 1e-9 and abs(sum(O.CASE.values()) - 1) < 1e-9
    assert set(O.SLIP_P) == set(O.SHARES) and set(O.EAR_P) < set(O.SHARES) - set(NO_PLACE)
    assert all(O.SLIP_P[c] == 0 for c in NO_PLACE)
    assert all(O.SLIP_P[c] > 0 for c in O.SHARES if c not in NO_PLACE)
    assert all("{v}" in t for forms in O.VENUE_SAYS.values() for t in forms)
    assert all("{st}" in t for t in O.STREET_SAYS) and all("{h}" in t for t in O.HOSPITAL_SAYS)
    assert all("{a}" in t and "{b}" in t for t in O.JUNCTION_SAYS) and all("{a}" in t for t in O.AREA_SAYS)
    assert all("{c}" in t for t in O.CHAIN_ALONE_SAYS) and all("{s}" in t for t in O.STATION_SAYS)
    assert all("station" not in t and "stn" not in t for t in O.CHAIN_ALONE_SAYS)
    located = [(O.CHAIN_STREET_SAYS, "{w}"), (O.CHAIN_WARD_SAYS, "{a}"), (O.CHAIN_DISTRICT_SAYS, "{d}"),
               (O.CHAIN_STATION_SAYS, "{s}")]
    assert all(w in t for forms, w in located for t in forms)


def test_a_slip_is_one_keystroke_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Peckham", "stockwell", "BRIXTON", "Camberwell", "Rye", "Lane", "Kent"):
        for _ in range(300):
            s = O._slip(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and _dist(s.lower(), w.lower()) == 1, (w, s)
            assert s.isalpha() and (s.isupper() == w.isupper()), (w, s)
            if len(s) < len(w):
                seen["drop"] += 1
            elif len(s) > len(w):
                seen["twice"] += 1
                assert any(s[i] == s[i + 1] and s[:i] + s[i + 1 :] == w for i in range(len(s) - 1)), (w, s)
            elif sorted(s) == sorted(w):
                seen["swap"] += 1
            else:
                seen["near"] += 1
                (a, b), = [(x, y) for x, y in zip(w.lower(), s.lower()) if x != y]
                assert b in O._keys_near(a), (w, s)
    assert all(seen[k] > 200 for k in ("drop", "twice", "swap", "near")), seen
    for w in ("KFC", "Rd", "SE15", "A&E", "King's", "Ave"):
        assert O._slip(rng, w) == w
    assert set(O._keys_near("g")) == {"f", "h", "t", "b"} and set(O._keys_near("Q")) == {"W", "A"}


def test_a_name_by_ear_sounds_like_the_name():
    rng = random.Random(6)
    for w in ("Peckham", "Stockwell", "Greenwich", "Bermondsey", "Harbour", "Hampstead", "Leicester",
              "Chiswick", "Sydenham", "Raphael", "Neighbour"):
        assert O._hearable(w), w
        heard = {O._by_ear(rng, w) for _ in range(200)}
        for s in heard:
            assert s != w and s[0] == w[0] and 1 <= _dist(s.lower(), w.lower()) <= 2, (w, s)
            assert _found_loosely(_canon(w), s), (w, s)
    assert len({O._by_ear(rng, "Peckham") for _ in range(200)}) >= 2
    for w in ("Kent", "Tulse", "SE15", "Rye"):
        assert not O._hearable(w) and O._by_ear(rng, w) == w, w


def test_codes_are_written_and_misheard_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(5000):
        c = rng.choice(["SE5 8TR", "CR0 1AB", "SE15 4", "SE15", "SE1", "SW9 9SS", "N4 3MN"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        said = O._code(rng, c, cls)
        assert said.meant.replace(" ", "").upper() == c.replace(" ", ""), said
        assert said.hurt == (said.shown != said.meant) and len(said.shown) == len(said.meant), said
        assert _has_code(c, said.shown, exact=False), said
        assert _has_code(c, said.shown, exact=True) != said.hurt, said
        if said.hurt:
            (i,) = [j for j in range(len(said.shown)) if said.shown[j] != said.meant[j]]
            was, now = said.meant[i].upper(), said.shown[i].upper()
            if cls == "postcode":
                assert i >= len(said.meant) - 2 and O.MISHEARD[was] == now, said
            else:
                assert was.isdigit() and now.isdigit() and abs(int(was) - int(now)) in (1, 9), said
            seen["slip " + cls] += 1
        seen["lower"] += said.shown.islower()
        seen["joined"] += cls == "postcode" and " " not in said.meant
    assert seen["slip postcode"] > 40 and seen["slip sector"] > 20 and seen["slip district"] > 20, seen
    assert seen["lower"] > 500 and seen["joined"] > 100, seen
    assert all(not O._code(rng, "SE15", "district", slip=False).hurt for _ in range(300))


def test_a_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = [("Peckham Rye Park", None), ("Camberwell Grove", "street"), ("Aquila Estate", "estate"),
             ("Kings Road Recreation Ground", "field"), ("Syl's Café", None), ("Stockwell Road", "street"),
             ("Rose and Crown", None)]
    forms = ["{v}", "in {v}", "the cage in {v}", "{v} - front of shop", "outside {v}"]
    for _ in range(6000):
        name, kind = rng.choice(names)
        street = kind == "street"
        v = O._as_written(rng, name, "venue", street=street, landmark=None if street else kind)
        w = O._as_written(rng, "Rye Lane", "chain", street=True, slip=False)
        parts = O._fill(rng.choice(forms), {"v": v}, {}) + [", ", w]
        text, typo = O._record(rng, parts)
        assert text == text.strip() and "{" not in text and "  " not in text and text, text
        assert typo == v.hurt == (not _named(name, text)), (name, text, typo)
        assert _named_loosely(name, text) and _named("Rye Lane", text) and not w.hurt, (name, text)
        seen["typo"] += typo
        seen["lower"] += text == text.lower()
        seen["quoted"] += bool(re.search(r"[\"'].*[\"']", text.replace(name, "")))
        seen["who"] += any(text.lower().startswith(who.format(age=a).lower()) for who, _ in O.WHO_BEFORE
                           for a in range(8, 18))
        seen["query"] += bool(re.search(r"\?|\bposs\b|not sure|thinks|unsure", text.lower()))
        seen["after"] += any(text.lower().rstrip(".").endswith(a.lower()) for a in O.AFTERS)
    assert 250 < seen["typo"] < 900 and seen["lower"] > 1200 and seen["quoted"] > 150, seen
    assert seen["who"] > 1400 and seen["query"] > 300 and seen["after"] > 900, seen
    for _ in range(3000):
        t = rng.choice(O.HOME_SAYS + O.UNKNOWN_SAYS + O.NONPLACE_SAYS + O.OTHER_DWELLINGS + O.IN_DEPT)
        text, typo = O._record(rng, [t], place=False)
        assert not typo and not _DISTRICT.search(text.upper()) and t.lower() in text.lower(), text
        assert not text.startswith("?"), text
    sector = O._code(rng, "SE15 4", "sector", slip=False)
    text, typo = O._record(rng, O._fill("{p} (rest not known)", {"p": sector}, {}))
    assert not typo and _has_code("SE15 4", text, exact=True), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def paeds_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return O.generate(conn, 900), O.generate(conn, 900)


def _is_here(e) -> bool:
    """A hospital text of the department itself: it says one of IN_DEPT."""
    return e.cls == "hospital" and any(_canon(h) in _canon(e.text) for h in O.IN_DEPT)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_paeds_family_is_reproducible_and_labelled_like_the_others(paeds_set, gconn):
    a, b = paeds_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(O.__file__)
    assert len(families) >= 14 and len(seeds) >= 14 and heldout_n.SEED in seeds
    assert {e.family for e in a} == {O.FAMILY} and O.FAMILY not in families | {"gen", "blind"}
    assert O.SEED not in seeds | set(independent.SEEDS.values()) and 1_000_000 <= O.SEED <= 9_999_999
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * O.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * O.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * O.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    dwellings = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.12 < len(dwellings) / cls["nonplace"] < 0.3
    said = {"home": O.HOME_SAYS, "unknown": O.UNKNOWN_SAYS}
    for e in no_place:  # no postcode or district, no slip; each says one of its class's phrases
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        pool = said.get(e.cls) or (O.OTHER_DWELLINGS if e.level == "home" else O.NONPLACE_SAYS)
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
    assert sum(t == t.lower() for t in texts) > 0.2 * len(texts)
    assert sum(any(t.startswith(w.format(age=g).lower()) for w, _ in O.WHO_BEFORE for g in range(8, 18))
               for t in low) > 0.15 * len(texts)
    assert sum(t.startswith("?") or "(not sure)" in t or " ?" in t for t in low) >= 15
    assert sum(bool(re.search(r"\"[^\"]+\"|'[^']{4,}'", t)) for t in texts) >= 20
    marks = ["yp ", "per mum", "stairwell", "the cage", "rec", " est", "rd", "tube", "..", "(rest not known)",
             "side", "ends", "paeds", "sg referral", "maccies", "swings", "the swings"]
    missing = [m for m in marks if not any(m in t for t in low)]
    assert len(missing) <= 2, missing


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(paeds_set, gconn):
    a, _ = paeds_set
    heldout_checks.check_reporting_sites(gconn, a, _is_here)


def _check_name(name: str, e) -> None:
    """Untouched: the name whole (or shortened the family's way); slipped: not whole, but every word a
    person must say still there within two edits."""
    assert _named(name, e.text) != e.typo, (name, e)
    assert _named_loosely(name, e.text), (name, e)


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
    near = [r[0] for r in gconn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
        "AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), 400)", (e.x, e.y))]
    if any(_named(O._station_name(s), e.text) for s in near):
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


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_paeds_truths_are_the_places_named(paeds_set, gconn):
    a, _ = paeds_set
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
            if kind in ("landmark", "park"):
                assert O._youth_kind(O._tidy(name)), e
                seen["youth " + O._youth_kind(O._tidy(name))] += 1
            _check_name(name, e)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = O.CHAIN_SAYS[brand]
            nick = [f for f in forms if f in O.NICKNAMES]
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
            _check_name(O._station_name(name), e)
            seen["no station word"] += not re.search(r"stn|station|tube|underground|dlr|rail|overground|tram|"
                                                     r"elizabeth", e.text.lower())
        else:
            raise AssertionError(e)
        seen["typo"] += e.typo
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["no station word"] >= 3, seen
    assert seen["chain located"] >= 5, seen
    assert sum(v for k, v in seen.items() if k.startswith("youth ")) >= 20, seen
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
            assert inside and O._ward_fine(name), e
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
    assert seen["code typo"] >= 1 and seen["street typo"] >= 2 and seen["nearest unit"] >= 5, seen
