"""The ``mapcopy`` held-out family (safestats.geocoding.heldout_m): locations copied from a maps app or an
online address finder (address lines, place cards, share texts, station and bus-stop cards, saved places,
UI words; no database needed for those), and its generator on the geocoding tests' slice of the gazetteer
(conftest.py): reproducible, labelled like the other families, each class near its share, every truth the
place its text names (the app's short forms, slips and cut-off cards undone by this file's own simple
rules), ``typo`` honest, reporting sites where the other families put them. The geocoder is never run here."""

from __future__ import annotations

import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_m as M
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")


def _canon(s: str) -> str:
    """Lower case letters and digits only, "&" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", s.lower().replace("&", "and"))


def _core_words(name: str) -> list[str]:
    """A name's words (lower case, letters and digits): no bracketed part, company suffix or apostrophes,
    "&" as "and", a leading "the" of a longer name left off."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = re.sub(r"(?i)(\s*[-,.]?\s*\b(ltd|limited|plc|llp|t/a)\.?|\s*@.*)\s*$", "", s.strip())
    s = re.sub(r"['’`]", "", s.lower().replace("&", " and "))
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def _forms(word: str) -> list[str]:
    """A word as the app may show it: whole, or its short form."""
    return [word] + ([_canon(M.MAP_SHORT[word])] if word in M.MAP_SHORT else [])


def _named(name: str, text: str) -> bool:
    """Every word of the name in the text in its order, whole or short (spaces, case and punctuation aside);
    a leading "the" may stay."""
    pat = "(?:the)?" + "".join("(?:" + "|".join(map(re.escape, _forms(w))) + ")" for w in _core_words(name))
    return re.search(pat, _canon(text)) is not None


def _near(a: str, b: str) -> bool:
    """One slip apart: a letter replaced, dropped, added, or two neighbours swapped."""
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


def _found_loosely(word: str, text: str) -> bool:
    """The word in the text despite the noise: whole or short, one slip apart, or (a card cut off) the text
    ending in four letters or more of it."""
    t = _canon(text)
    if any(f in t for f in _forms(word)):
        return True
    for n in (len(word) - 1, len(word), len(word) + 1):
        if n >= 3 and any(_near(t[i : i + n], word) for i in range(len(t) - n + 1)):
            return True
    return any(t.endswith(word[:j]) for j in range(4, len(word)))


def _named_loosely(name: str, text: str) -> bool:
    """Every distinctive word of the name in the text despite the noise; a name of plain words only: all."""
    words = _core_words(name)
    key = [w for w in words if w not in M.PLAIN_WORDS] or words
    return all(_found_loosely(w, text) for w in key)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (space lost, any case), or (``exact`` false) with an O
    typed for a zero or an I for a one."""
    c, t = _canon(code), _canon(text)
    if exact:
        return c in t
    typed = {"0": "0o", "1": "1i"}
    return any(
        re.search(re.escape(c[:i]) + f"[{typed.get(ch, ch)}]" + re.escape(c[i + 1 :]), t)
        for i, ch in enumerate(c)
    )


# --- how the apps write places, no database -------------------------------------------------------------


def test_names_are_shown_the_way_maps_apps_show_them():
    assert M._cased("KING'S ROAD") == "King's Road"
    assert (
        M._cased("OLD KENT ROAD") == "Old Kent Road"
        and M._cased("elephant and castle") == "Elephant and Castle"
    )
    assert M._cased("McDonald's") == "McDonald's"
    assert M._bare("Nunhead Cemetery (All Saints)") == "Nunhead Cemetery"
    assert M._bare("Moxie's Fish Bar Ltd") == "Moxie's Fish Bar" and M._bare("(Gubbins)") == "Gubbins"
    rng = random.Random(2)
    seen = {" ".join(M._render(rng, "Old Kent Road", street=True)) for _ in range(300)}
    assert seen == {"Old Kent Road", "Old Kent Rd"}, seen
    heads = {" ".join(M._render(rng, "The King's Head")) for _ in range(300)}
    assert heads == {"The King's Head", "The Kings Head"}, heads
    amp = {" ".join(M._render(rng, "George & Dragon")) for _ in range(300)}
    assert amp == {"George & Dragon", "George and Dragon"}, amp
    assert M._render(random.Random(0), "ROSE & CROWN")[0] == "Rose"
    assert M._key(["Old", "Kent", "Rd"]) == 1 and M._key(["Camberwell", "Arms"]) == 1
    assert M._key(["The", "Park"]) == -1
    assert M._station_own("Peckham Rye Rail Station") == "Peckham Rye"
    assert M._station_own("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert M._station_own("Edgware Road (Circle Line)") == "Edgware Road"
    assert M._station_own("Canary Wharf EL") == "Canary Wharf"
    assert M._mode("naptan_rail", None, "Erith") == "rail"
    assert M._mode("tfl_stations_2018", None, "BOW CHURCH - DLR") == "dlr"
    assert M._mode("tfl_stations_2022", "London Overground", "Barking") == "overground"
    assert M._mode("tfl_stations_2022", "London Underground", "Tufnell Park") == "tube"
    assert M._mode("tfl_stations_2022", "Tramlink", "Sandilands") == "tram"
    assert M._ward_ok("Peckham") and not M._ward_ok("Nunhead and Queen's Road")
    assert not M._ward_ok("Brixton North") and not M._ward_ok("A Place With Four Words")
    for word, short in M.MAP_SHORT.items():
        assert short[0].lower() == word[0] and len(short) < len(word), (word, short)
    assert M.Where("SE15 4ST", "SE15", None).town == "London" and M.Where(None, "CR0", None).town == "Croydon"
    assert M.Where(None, None, None).town is None


def test_brand_signs_hold_the_brand_and_lists_are_apart():
    assert set(M.BRAND_SIGNS) == set(CHAINS) and set(M.BRAND_KINDS) == set(CHAINS)
    for brand, signs in M.BRAND_SIGNS.items():
        assert all(brand in _canon(s) for s in signs), brand
        assert all("station" not in s.lower() and not re.search(r"[0-9]", s) for s in signs), brand
    lists = {
        "home": M.HOME_CARDS,
        "unknown": M.UNKNOWN_CARDS,
        "non": M.NONPLACE_CARDS,
        "saved": M.SAVED_DWELLINGS,
    }
    for a in lists:
        for b in lists:
            assert a == b or not set(lists[a]) & set(lists[b]), (a, b)
    assert (
        len(set(M.NONPLACE_CARDS)) >= 20 and len(set(M.UNKNOWN_CARDS)) >= 15 and len(set(M.HOME_CARDS)) >= 10
    )
    assert len(set(M.HERE_CARDS)) >= 10 and len(set(M.STATION_CARDS)) >= 10 and len(set(M.STREET_CARDS)) >= 12
    for t in [
        *M.HOME_CARDS,
        *M.UNKNOWN_CARDS,
        *M.NONPLACE_CARDS,
        *M.SAVED_DWELLINGS,
        *M.HERE_CARDS,
        *M.UI_BEFORE,
        *M.UI_AFTER,
    ]:
        assert not _DISTRICT.search(t.upper()) and "{" not in t and t == t.strip(), t
    assert all("home" in t.lower() for t in M.HOME_CARDS)
    assert not any("home" in t.lower() for t in [*M.UNKNOWN_CARDS, *M.NONPLACE_CARDS])
    for phrase, where in [
        ("Current location", M.UNKNOWN_CARDS),
        ("Dropped pin", M.UNKNOWN_CARDS),
        ("Your location", M.UNKNOWN_CARDS),
        ("Location not available", M.UNKNOWN_CARDS),
        ("Home", M.HOME_CARDS),
        ("Work", M.NONPLACE_CARDS),
    ]:
        assert phrase in where, phrase
    assert abs(sum(M.SHARES.values()) - 1) < 1e-9 and set(M.SLIP_P) == set(M.SHARES)
    assert all(M.SLIP_P[c] == 0 for c in NO_PLACE)
    for t in M.HOSPITAL_CARDS:
        assert "{h}" in t, t


def test_a_slip_changes_one_letter_and_keeps_the_first():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Camberwell", "peckham", "BRIXTON", "Stockwell", "Rye", "Lane"):
        for _ in range(300):
            s = M._slip(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and _near(s.lower(), w.lower()) and len(s) >= 3, (w, s)
            assert s.isupper() == w.isupper(), (w, s)
            seen["drop" if len(s) < len(w) else "double" if len(s) > len(w) else "same length"] += 1
    assert all(seen[k] > 100 for k in ("drop", "double", "same length")), seen
    assert M.NEIGHBOURS["q"] == "w" and M.NEIGHBOURS["g"] == "fh"
    for w in ("KFC", "Rd", "SE15", "A&E", "King's"):
        assert M._slip(rng, w) == w


def test_a_name_and_a_code_are_honest():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(4000):
        name = rng.choice(["The Camberwell Arms", "Brockwell Park", "Old Kent Road", "Rose and Crown"])
        slot = M._name(rng, name, rng.choice(["venue", "street"]), street=rng.random() < 0.5)
        changed = [(a, b) for a, b in zip(slot.words, slot.meant) if a != b]
        assert len(slot.words) == len(slot.meant) and len(changed) <= 1, slot
        assert slot.slipped == bool(changed), slot
        for typed, meant in changed:
            assert _near(typed.lower(), meant.lower()), slot
        assert _named(name, " ".join(slot.meant)), slot
        seen["slip" if slot.slipped else "clean"] += 1
        assert not M._name(rng, name, "venue", slip=False).slipped
    assert 0.06 < seen["slip"] / 4000 < 0.2, seen
    codes = Counter()
    for _ in range(3000):
        c = rng.choice(["CR0 1AB", "SE15 4", "SE10"])
        slot = M._code(rng, c, "postcode")
        typed, meant = slot.words[0], slot.meant[0]
        assert slot.slipped == (typed != meant) and meant == meant.upper(), slot
        assert _canon(meant) == _canon(c) and (c != "SE15 4" or meant == "SE15 4"), slot
        if slot.slipped:
            diff = [(a, b) for a, b in zip(typed, meant) if a != b]
            assert len(diff) == 1 and diff[0] in {("O", "0"), ("I", "1")}, slot
        codes["slip" if slot.slipped else "clean"] += 1
        codes["no space"] += meant == "CR01AB"
    assert codes["slip"] > 100 and codes["no space"] > 200, codes


def test_a_copied_text_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    for _ in range(5000):
        v = M._name(rng, rng.choice(["Peckham Hippodrome", "Brockwell Park", "The Camberwell Arms"]), "venue")
        w = M._name(rng, "Rye Lane", "street", street=True, slip=False)
        form = rng.choice(["Directions to {v}", "{v} · {k}", "{v}, {w}{addr}", "Route to {v}", "{v}"])
        names = {"v": v, "w": w} if "{w}" in form else {"v": v}
        text, typo = M._copied(rng, form, names, {"k": "Pub", "addr": ", London SE15 4ST, UK"}, "v")
        assert text == text.strip() and "{" not in text and "\n" not in text, text
        if _canon(v.text) in _canon(text):
            assert typo == v.slipped, (text, typo, v)
            seen["slipped" if v.slipped else "clean"] += 1
        else:  # cut off inside the name's last distinctive word
            assert typo and form.endswith("{v}") and not v.slipped, (text, v)
            last = _canon(v.words[-1])
            assert len(last) >= 7 and v.key == len(v.words) - 1, (text, v)
            stem = _canon(text)
            assert any(stem.endswith(last[:j]) for j in range(max(4, int(0.6 * len(last))), len(last))), text
            seen["cut"] += 1
        assert (
            _named_loosely("Peckham Hippodrome", text)
            or _named_loosely("Brockwell Park", text)
            or _named_loosely("The Camberwell Arms", text)
        ), text
    assert seen["cut"] > 100 and seen["slipped"] > 200 and seen["clean"] > 3000, seen
    cases = Counter()
    for _ in range(3000):
        text, typo = M._copied(rng, rng.choice(M.HOME_CARDS + M.UNKNOWN_CARDS + M.NONPLACE_CARDS), {})
        assert not typo and not _DISTRICT.search(text.upper()), text
        cases["lower" if text == text.lower() else "upper" if text == text.upper() else "shown"] += 1
    assert cases["lower"] > 100 and cases["upper"] > 50 and cases["shown"] > 2000, cases


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def mapcopy_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return M.generate(conn, 900), M.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_mapcopy_family_is_reproducible_and_labelled_like_the_others(mapcopy_set, gconn):
    a, b = mapcopy_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(M.__file__)
    assert len(families) >= 12 and len(seeds) >= 12
    assert {e.family for e in a} == {M.FAMILY} and M.FAMILY not in families | {"gen", "blind"}
    assert M.SEED not in seeds and 1_000_000 <= M.SEED <= 9_999_999
    cls = Counter(e.cls for e in a)
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
    saved = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(saved) / cls["nonplace"] < 0.3
    for e in no_place:  # no postcode or district, no slip, and no "Work" called home
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
        if e.cls == "home":
            assert "home" in e.text.lower(), e
        if re.search(r"(?i)\bwork\b", e.text):
            assert e.level == "none", e
    for e in a:
        if e.cls == "chain, no locality":
            assert not _DISTRICT.search(e.text.upper()) and "station" not in e.text.lower(), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text and e.text.strip() == e.text and "\n" not in e.text for e in a)
    assert 0.05 < sum(e.typo for e in placed) / len(placed) < 0.25
    texts = [e.text for e in a]
    marks = (
        "Directions to",
        "on Google Maps",
        "Shared a location",
        " · ",
        ", UK",
        "United Kingdom",
        "England",
        "Greater London",
        "London Borough of",
        "Station",
        "Stop ",
        " / ",
        "Flat ",
        " Rd",
        "Current location",
        "Dropped pin",
        "Home",
        "Work",
        "Open",
        "Share",
    )
    missing = [m for m in marks if not any(m in t for t in texts)]
    assert len(missing) <= 2, missing
    pcs = [e for e in a if e.cls == "postcode"]
    assert any(re.search(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}\b", e.text) for e in pcs)
    assert [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]


def _name_of(gconn, fid):
    return gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: a department card of the reporting site itself."""
    return not _named_loosely(_name_of(gconn, e.feature_id), e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(mapcopy_set, gconn):
    a, _ = mapcopy_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


def _check_name(name: str, e) -> None:
    """Untouched: the name whole or short; with a slip or cut off: every distinctive word still there."""
    if not e.typo:
        assert _named(name, e.text), (name, e)
    assert _named_loosely(name, e.text), (name, e)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_mapcopy_truths_are_the_places_named(mapcopy_set, gconn):
    a, _ = mapcopy_set
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
            assert kind in ("venue", "pub", "park"), e
            same = gconn.execute(
                "SELECT count(*) FROM gazetteer.feature WHERE level = 'venue' AND norm = %s", (norm,)
            ).fetchone()[0]
            assert same == 1, e
            _check_name(name, e)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            if not e.typo:
                assert brand in _canon(e.text), e
            signs = M.BRAND_SIGNS[brand]
            assert any(
                all(_found_loosely(_canon(w), e.text) for w in s.split() if len(w) > 2) for s in signs
            ), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                seen["here"] += 1
                assert not e.typo and any(_canon(h) in _canon(e.text) for h in M.HERE_CARDS), e
            else:
                _check_name(name, e)
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(M._station_own(name), e)
            seen["no station word"] += not re.search(r"(?i)(station|stop|underground|dlr|rail)", e.text)
        else:
            raise AssertionError(e)
        seen["typo"] += e.typo
        seen["cut"] += e.typo and not any(_canon(w) in _canon(e.text) for w in _core_words(name)[-1:])
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["no station word"] >= 3 and seen["cut"] >= 1, seen
    for e in a:
        # postcodes, sectors, districts: a unit of the code the text says; a slip only as an O for a zero or
        # an I for a one, and exactly when typo is set
        if e.cls in ("postcode", "sector", "district"):
            named = heldout_checks.codes_at(gconn, e.cls, e.x, e.y)
            assert any(_has_code(n, e.text, exact=False) for n in named), e
            assert e.typo == (not any(_has_code(n, e.text, exact=True) for n in named)), e
        if e.cls == "street":
            d, name = heldout_checks.street_at(gconn, e)
            assert d < 1e-6, e
            _check_name(name, e)
        if e.cls == "area":
            inside, name = heldout_checks.ward_at(gconn, e)
            assert inside, e
            _check_name(name, e)
        if e.cls == "junction":  # the truth is a bus stop named after the two streets the text says
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
