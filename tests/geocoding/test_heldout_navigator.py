"""The ``navigator`` held-out family (safestats.geocoding.heldout_j): a youth-violence navigator's case
notes about where a young person was assaulted, third person, vernacular around real places, times and
safeguarding context, abbreviations, lower case and dropped apostrophes, slips in names and in the
narrative, and sometimes where the young person lives as well (no database needed for those); and its
generator on the geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the
other families, each class at its share, every truth the place its text names as the assault location,
``typo`` honest. The geocoder is never run here."""

from __future__ import annotations

import importlib
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_j as M
from safestats.geocoding.independent import CHAINS, _clean_name

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")


def _canon(s: str) -> str:
    """Lower case letters and digits only, "&" and "+" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", s.lower().replace("&", "and").replace("+", "and"))


def _tokens(s: str) -> list[str]:
    """Runs of letters or of digits, apostrophes dropped, "&" and "+" read as "and"."""
    s = s.lower().replace("&", " and ").replace("+", " and ").replace("'", "").replace("’", "")
    return re.findall(r"[a-z]+|[0-9]+", s)


def _subsequence(short: str, word: str) -> bool:
    it = iter(word)
    return all(c in it for c in short)


def _core_words(name: str) -> list[str]:
    """A name's words as a note may keep them (lower case letters and digits): no brackets, company tail or
    apostrophes, hyphens and full stops as spaces, a leading "the" of a longer name left off."""
    s, last = _clean_name(name), None
    while s != last:
        s, last = M._SUFFIX.sub("", s).strip(), s
    s = s.lower().replace("&", " and ").replace("+", " and ")
    s = re.sub(r"['’`\"]", "", s)
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def _forms(word: str) -> list[str]:
    """A word as a note may write it with no slip: whole, or one of the short forms."""
    return [word] + [_canon(f) for f in M.ABBREV.get(word, [])]


def _named(name: str, text: str) -> bool:
    """Every word of the name in the text in its order, whole or short (spaces, case and punctuation aside);
    a leading "the" may stay."""
    words = _core_words(name)
    pat = "(?:the)?" + "".join("(?:" + "|".join(map(re.escape, _forms(w))) + ")" for w in words)
    return re.search(pat, _canon(text)) is not None


def _near(a: str, b: str) -> bool:
    """One slip apart: a letter swapped with its neighbour, dropped, added or replaced."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _loose_word(word: str, toks: list[str], joined: str) -> bool:
    """The word in the text despite a slip: a token whole, short or one slip apart; or (name words typed
    together) a run of the text's letters one slip apart from it."""
    if word in joined or any(t in _forms(word) or _near(t, word) for t in toks):
        return True
    return any(
        _near(joined[i : i + n], word)
        for n in (len(word) - 1, len(word), len(word) + 1)
        for i in range(len(joined) - n + 1)
    )


def _named_loosely(name: str, text: str) -> bool:
    """Every distinctive word of the name (not a road / park / hospital ... word) in the text, whole or one
    slip apart; a name of generic words only: all of them."""
    words = _core_words(name)
    key = [w for w in words if w not in M.GENERIC and w != "and"] or words
    toks = _tokens(text)
    joined = _canon(text)
    return all(_loose_word(w, toks, joined) for w in key)


def _acronym(name: str) -> str:
    return "".join(w[0] for w in _core_words(name) if w.isalpha())


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (its space lost or doubled, any case), or (``exact``
    false) with an O typed for a zero or an I for a one."""
    c, t = _canon(code), _canon(text)
    if exact:
        return c in t
    typed = {"0": "0o", "1": "1i"}
    return any(re.search(c[:i] + f"[{typed.get(ch, ch)}]" + c[i + 1 :], t) for i, ch in enumerate(c))


# --- how a worker types names, no database ----------------------------------------------------------------


def test_names_are_typed_as_a_worker_types_them():
    rng = random.Random(3)
    heads = {" ".join(M._words(rng, "The King's Head")) for _ in range(200)}
    assert heads == {"The King's Head", "King's Head"}
    assert M._words(rng, "The King's Head", drop_the=0.0) == ["The", "King's", "Head"]
    ands = {" ".join(M._words(rng, "George and Dragon")) for _ in range(300)}
    assert ands == {"George and Dragon", "George & Dragon", "George + Dragon"}
    assert {" ".join(M._words(rng, "Hop & Berry")) for _ in range(300)} == {"Hop & Berry", "Hop and Berry"}
    assert M._words(rng, "Kiln Place Ltd") == ["Kiln", "Place"]
    assert M._words(rng, "Sunshine Grill Ltd @") == ["Sunshine", "Grill"]
    assert M._words(rng, "Burgess Park (Southwark)") == ["Burgess", "Park", "Southwark"]
    assert M._words(rng, "Swain'S Lane") == ["Swain's", "Lane"]
    assert M._words(rng, "ANERLEY PARK ROAD", 0.0) == ["Anerley", "Park", "Road"]
    assert M._words(rng, "DEVONS ROAD", 0.0) == ["Devons", "Road"]
    hyph = {" ".join(M._words(rng, "Stoke-on-Trent St. Mary")) for _ in range(200)}
    assert hyph == {"Stoke-on-Trent St Mary", "Stoke on Trent St Mary"}
    short = {" ".join(M._abbreviate(rng, ["Old", "Kent", "Road"])) for _ in range(300)}
    assert short == {"Old Kent Road", "Old Kent rd", "Old Kent rd."}
    assert M._abbreviate(rng, ["Park", "Road"], p=1.0) == ["Park", "rd"]  # the first word stays whole
    assert M._abbreviate(rng, ["Grove"], p=1.0) == ["Grove"]
    assert M._station_name("Peckham Rye Rail Station") == "Peckham Rye"
    assert M._station_name("Abbey Wood (London)") == "Abbey Wood"
    assert M._station_name("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert M._station_name("Charing Cross LU") == "Charing Cross"
    assert M._mode("naptan_rail", None, None, "Erith") == "rail"
    assert M._mode("tfl_stations_2018", None, None, "BOW CHURCH - DLR") == "dlr"
    assert M._mode("tfl_stations_2022", "London Overground", "n/a", "Barking") == "overground"
    assert M._mode("tfl_stations_2022", "London Underground", "Northern", "Tufnell Park") == "tube"
    assert M._acronym("University College Hospital") == "UCH" and M._acronym("Kingston Hospital") is None
    assert M._acronym("Chelsea and Westminster Hospital") is None


def test_short_forms_and_brand_forms():
    """A short form is the word's first letter and some of its letters in order ("rd" of road); every chain
    has brand forms, one of them its own name, and a form that could read as a country, a person or an
    underpass carries a shop word."""
    for word, forms in M.ABBREV.items():
        for f in forms:
            c = _canon(f)
            assert c and c[0] == word[0] and _subsequence(c, word) and len(c) < len(word), (word, f)
    assert set(M.BRANDS) == set(CHAINS)
    for brand, forms in M.BRANDS.items():
        assert any(_canon(f).startswith(brand) for f in forms), brand
    for brand in ("iceland", "subway", "leon"):
        assert all(
            re.search(r"(?i)\b(shop|store|supermarket|restaurant|cafe|place)\b", f) for f in M.BRANDS[brand]
        ), brand
    slang = {f.lower() for forms in M.BRANDS.values() for f in forms} & {
        "maccies",
        "spoons",
        "sainsbos",
        "starbs",
    }
    assert len(slang) == 4


def test_a_slip_changes_one_letter_inside_the_word():
    rng = random.Random(4)
    for w in ("Camberwell", "PECKHAM", "brixton", "Stockwell", "Horniman", "Lewisham", "Elephant"):
        for _ in range(400):
            s = M._slip(rng, w)
            assert s != w and s[0] == w[0] and s[-1] == w[-1] and len(s) >= 4, (w, s)
            assert _near(s.lower(), w.lower()), (w, s)
            assert s.isupper() if w.isupper() else s.islower() if w.islower() else s[1:].islower(), (w, s)
    for w in ("KFC", "Rd", "Rye", "A&E", "SE15"):
        assert M._slip(rng, w) == w
    codes = {M._slip_code(rng, "CR0 1AB", 1.0) for _ in range(100)}
    assert codes == {("CRO 1AB", True), ("CR0 IAB", True)}
    assert M._slip_code(rng, "SE25 4QF", 1.0) == ("SE25 4QF", False)
    typed = {M._pc_typed(rng, "SE15 4QF") for _ in range(300)}
    assert typed == {"SE15 4QF", "SE154QF", "SE15  4QF"}


def test_a_name_slip_is_honest_and_generic_words_never_slip():
    rng = random.Random(10)
    slipped = 0
    for _ in range(3000):
        name = rng.choice(["The Camberwell Arms", "Brockwell Park", "Horniman Gardens", "Old Kent Road"])
        slot = M._name_slot(rng, name, "venue")
        text = slot.text()
        assert slot.slipped == (not _named(name, text)), (slot, name)
        assert _named_loosely(name, text), (slot, name)
        slipped += slot.slipped
    assert 0.05 < slipped / 3000 < 0.15
    for _ in range(500):  # a decoy never slips
        assert not M._name_slot(rng, "Camberwell Green", "venue", role="decoy").slipped


def test_the_narrative_never_touches_a_name():
    rng = random.Random(11)
    feat = Counter()
    for _ in range(3000):
        slots = {"st": M._name_slot(rng, "Rye Lane", "home")}  # no slips for this class
        text = M._note(
            rng,
            rng.choice(M.STREET_P).replace("{n}", "12").replace("{l}", "Khan's Grocers"),
            slots,
            {"x_area": ["Camberwell"], "x_street": ["Bellenden Road"]},
        )
        assert _named("Rye Lane", text), text
        feat["lower"] += text == text.lower()
        feat["upper"] += text == text.upper()
        feat["double"] += "  " in text
        feat["decoy"] += "camberwell" in text.lower() or "bellenden" in text.lower()
        feat["tail"] += any(t.lower() in text.lower() for t in M.TAILS)
        feat["when"] += any(t.lower() in text.lower() for t in M.WHEN)
    for k, lo, hi in [
        ("lower", 0.3, 0.6),
        ("upper", 0.01, 0.06),
        ("double", 0.04, 0.15),
        ("decoy", 0.08, 0.2),
        ("tail", 0.35, 0.65),
        ("when", 0.3, 0.6),
    ]:
        assert lo < feat[k] / 3000 < hi, (k, feat)
    slipped = 0
    for _ in range(2000):  # a slip in the narrative: one word of the worker's own, the names whole
        pieces = [
            ("yp said it happened outside ", False),
            ("Peckham Library", True),
            (" around midnight", False),
        ]
        got = M._note_slip(rng, pieces)
        assert got[1] == pieces[1]
        before = " ".join(t for t, _ in pieces).split()
        after = " ".join(t for t, _ in got).split()
        diff = [(a, b) for a, b in zip(before, after) if a != b]
        assert len(before) == len(after) and len(diff) == 1 and _near(*diff[0]), diff
        slipped += 1
    assert slipped == 2000


def test_a_decoy_shares_no_word_with_the_place():
    rng = random.Random(12)
    for _ in range(500):
        slot = M._name_slot(rng, "Peckham Rye", "area")
        dec = M._decoy(rng, ["Peckham", "Rye Lane", "Camberwell", "Dulwich Village", "Brixton"], {"a": slot})
        assert dec is not None and dec.role == "decoy" and not dec.slipped
        assert not ({"peckham", "rye"} & set(_tokens(dec.text()))), dec
    assert M._decoy(rng, ["Peckham", "Peckham Rye"], {"a": M._name_slot(rng, "Peckham", "area")}) is None
    for form in M.DECOY_AREA + M.DECOY_STREET:
        assert form.count("{x}") == 1 and form.count("{P}") == 1, form


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(M.NON_PLACES)) >= 50 and len(set(M.DWELLING_P)) >= 20 and len(set(M.HOME_P)) >= 20
    assert len(set(M.UNKNOWN)) >= 20 and len(set(M.HOSPITAL_HERE_P)) >= 15 and len(set(M.OPENERS)) >= 30
    assert len(set(M.STATION_P)) >= 12 and len(set(M.JUNCTION_P)) >= 12 and len(set(M.STREET_P)) >= 20
    assert len(set(M.PARK_P)) >= 10 and len(set(M.WHEN)) >= 20 and len(set(M.TAILS)) >= 30
    lists = [M.NON_PLACES, M.DWELLING_P, M.UNKNOWN, M.HOME_P]
    for i, a in enumerate(lists):
        for b in lists[i + 1 :]:
            assert not set(a) & set(b)
    for t in [
        *M.NON_PLACES,
        *M.DWELLING_P,
        *M.UNKNOWN,
        *M.HOME_P,
        *M.HOSPITAL_HERE_P,
        *M.OPENERS,
        *M.WHEN,
        *M.TAILS,
        *M.LEADS,
        *M.DECOY_AREA,
        *M.DECOY_STREET,
    ]:
        assert not _DISTRICT.search(t.upper()) and not _UNIT.search(t.upper()), t
        assert not re.search(r"\{(?!he\}|his\}|him\}|P\}|x\})", t), t
    for t in M.HOSPITAL_NAMED_P:
        assert not re.search(r"(?i)\b(here|this|our)\b", t.replace("{h}", "")), t
    for t in M.HOSPITAL_HERE_P:
        assert re.search(r"(?i)\b(here|this|our)\b", t), t
    for t in M.CHAIN_ALONE:
        assert t.count("{") == 1, t
    assert abs(sum(M.SHARES.values()) - 1) < 1e-9 and set(M.SLIP_P) == set(M.SHARES)
    said = " ".join(
        [
            *M.OPENERS,
            *M.TAILS,
            *M.NON_PLACES,
            *M.DWELLING_P,
            *M.STREET_P,
            *M.PARK_P,
            *M.AREA_P,
            *M.DISTRICT_P,
            *M.FOOD_P,
            *M.STATION_P,
            *M.LEADS,
        ]
    )
    for word in (
        "YP",
        "CYP",
        "client",
        "young person",
        "SW",
        "DV",
        "YOT",
        "PRU",
        "LAC",
        "CSE",
        "safeguarding",
        "chicken shop",
        "the cage",
        "the pitch",
        "ends",
        "on the bus by",
        "at the back of",
        "house party",
        "friend's",
        "cousin's",
        "girlfriend's",
        "uber",
        "social media",
        "custody",
        "abroad on holiday",
        "various",
        "county lines",
        "at school",
        "at college",
        "at the PRU",
    ):
        assert word in said, word


# --- the generator on a slice of the gazetteer ---------------------------------------------------------


@pytest.fixture(scope="module")
def navigator_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return M.generate(conn, 900), M.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_navigator_family_is_reproducible_and_labelled_like_the_others(navigator_set, gconn):
    from safestats.geocoding import independent

    a, b = navigator_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    others = [
        importlib.import_module(f"safestats.geocoding.heldout{m}")
        for m in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i")
    ]
    assert {e.family for e in a} == {M.FAMILY}
    assert M.FAMILY not in {"gen", "blind", *(m.FAMILY for m in others), *independent.FAMILIES}
    assert M.SEED not in {*(m.SEED for m in others), *independent.SEEDS.values()}
    cls = Counter(e.cls for e in a)
    assert {
        "venue",
        "chain",
        "chain, no locality",
        "hospital",
        "station",
        "street",
        "junction",
        "postcode",
        "sector",
        "district",
        "area",
        "nonplace",
        "unknown",
        "home",
    } <= set(cls), cls
    for c in (
        "venue",
        "hospital",
        "station",
        "street",
        "postcode",
        "sector",
        "district",
        "area",
        "nonplace",
        "unknown",
        "home",
    ):
        assert cls[c] == max(6, int(900 * M.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * M.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * M.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.15 < len(friends) / cls["nonplace"] < 0.35
    for e in no_place:  # no postcode or district in a no-place text, and no slip in a name
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
    for e in a:  # nor in a chain text that says no locality
        if e.cls == "chain, no locality":
            assert not _DISTRICT.search(e.text.upper()), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.12
    assert all(e.text.strip() for e in a)
    assert 0.03 < sum(e.typo for e in a) / len(a) < 0.15
    lower = sum(e.text == e.text.lower() and e.text != e.text.upper() for e in a) / len(a)
    upper = sum(e.text == e.text.upper() for e in a) / len(a)
    assert 0.3 < lower < 0.65 and upper < 0.08, (lower, upper)
    texts = [e.text.lower() for e in a]
    for mark in (
        "yp ",
        "cyp",
        "client",
        "sw ",
        "dv ",
        "yot",
        "pru",
        "lac",
        "safeguarding",
        "chicken shop",
        "cage",
        "ends",
        "lives in",
        "lives on",
        "around",
        "  ",
        "...",
        "&",
        "here",
    ):
        assert any(mark in t for t in texts), mark
    assert sum(any(t.lower() in e.text.lower() for t in M.TAILS) for e in a) > 300
    typo_pc = [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]
    assert typo_pc  # an O for a zero, an I for a one, now and then


def _name_of(gconn, fid):
    return gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the navigator's own hospital ("here in ED")."""
    name = _name_of(gconn, e.feature_id)
    return not _named_loosely(name, e.text) and _acronym(name) not in _tokens(e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(navigator_set, gconn):
    a, _ = navigator_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


def _check_name(name: str, e, alone: bool) -> None:
    """Untouched: the name whole or in short forms; with a slip: every distinctive word still there, one
    slip apart. ``alone``: the name is the only one the text may have slipped, so ``typo`` says exactly
    whether it is there untouched."""
    if not e.typo:
        assert _named(name, e.text), (name, e)
    elif alone:
        assert not _named(name, e.text), (name, e)
    assert _named_loosely(name, e.text), (name, e)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_navigator_truths_are_the_places_named(navigator_set, gconn):
    a, _ = navigator_set
    here = acronyms = slipped = 0
    for e in a:
        if e.level != "venue":
            continue
        row = gconn.execute(
            "SELECT ST_X(geom), ST_Y(geom), kind, name, norm FROM gazetteer.feature WHERE feature_id = %s",
            (e.feature_id,),
        ).fetchone()
        assert row is not None, e
        x, y, kind, name, norm = row
        assert (x, y) == (e.x, e.y), e
        if e.cls == "venue":
            assert kind in ("venue", "pub", "park"), e
            assert (
                gconn.execute(
                    "SELECT count(*) FROM gazetteer.feature WHERE level = 'venue' AND norm = %s", (norm,)
                ).fetchone()[0]
                == 1
            ), e
            _check_name(name, e, alone=True)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = M.BRANDS[brand]
            toks, joined = _tokens(e.text), _canon(e.text)
            if not e.typo:
                assert any(_canon(f) in joined for f in forms), e
            assert any(all(_loose_word(w, toks, joined) for w in _tokens(f)) for f in forms), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                here += 1
                assert re.search(r"(?i)\b(here|this|our)\b", e.text), e
                assert not e.typo, e
            elif _acronym(name) in _tokens(e.text) and not _named_loosely(name, e.text):
                acronyms += 1
                assert len(_acronym(name)) >= 3 and name.lower().rstrip().endswith("hospital"), e
            else:
                _check_name(name, e, alone=True)
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(M._station_name(name), e, alone=True)
        else:
            raise AssertionError(e)
        slipped += e.typo
    assert here >= 3 and acronyms >= 1 and slipped >= 5, (here, acronyms, slipped)
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text says; a slip only
        # as an O for a zero or an I for a one, and exactly when typo is set
        if e.cls in ("postcode", "sector", "district"):
            named = heldout_checks.codes_at(gconn, e.cls, e.x, e.y)
            assert any(_has_code(n, e.text, exact=False) for n in named), e
            assert e.typo == (not any(_has_code(n, e.text, exact=True) for n in named)), e
        # streets: a point of the street, the street named (a ward, district or shop may be said too)
        if e.cls == "street":
            d, name = gconn.execute(
                "SELECT ST_Distance(coalesce(extent, geom), "
                "ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), "
                "name FROM gazetteer.feature WHERE feature_id = %s AND level = 'street'",
                (e.x, e.y, e.feature_id),
            ).fetchone()
            assert d < 1e-6, e
            _check_name(name, e, alone=False)
        # wards: a point inside the ward, named
        if e.cls == "area":
            inside, name = heldout_checks.ward_at(gconn, e)
            assert inside, e
            _check_name(name, e, alone=True)
        # junctions: the truth is a bus stop named after the two streets the text says
        if e.cls == "junction":
            names = [
                n
                for (n,) in gconn.execute(
                    "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                    "AND ST_X(geom) = %s AND ST_Y(geom) = %s",
                    (e.x, e.y),
                )
            ]
            assert names, e
            if not e.typo:
                assert any(all(_named(p.strip(), e.text) for p in n.split("/")) for n in names), e
            assert any(all(_named_loosely(p.strip(), e.text) for p in n.split("/")) for n in names), e


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_a_note_that_says_where_the_young_person_lives_names_the_assault_place_too(navigator_set, gconn):
    """Where the young person lives or comes from is said in some placed notes, never in a no-place or chain
    note; the place of the assault is still named."""
    a, _ = navigator_set
    said = re.compile(
        r"(?i)(\blives (in|on|off|over in) |\bis from |\bstays in |\(lives (?!with)|\byp from .* side|"
        r"\bon (his|her|their) way back to |\bwalking back to )"
    )
    with_home = [e for e in a if said.search(e.text)]
    assert 0.04 < len(with_home) / len(a) < 0.2, len(with_home)
    assert all(e.cls not in NO_PLACE and not e.cls.startswith("chain") for e in with_home)
    for e in with_home:
        if e.cls in ("venue", "area", "street") and not e.typo:
            assert _named(_name_of(gconn, e.feature_id), e.text), e
