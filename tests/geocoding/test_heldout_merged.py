"""The ``merged`` held-out family (safestats.geocoding.heldout_n): location fields of a merged spreadsheet of
A&E and partners' assault returns (columns run together, clerks' abbreviations and re-keying slips,
fixed-width cuts, code-page damage, Excel and CSV artefacts, missing values and values that are no place; no
database needed for those), and its generator on the geocoding tests' slice of the gazetteer (conftest.py):
reproducible, labelled like the other families, each class near its share, every truth the place its text
names (the artefacts undone by this file's own simple rules), ``typo`` honest, reporting sites where the
other families put them. The geocoder is never run here."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_m
from safestats.geocoding import heldout_n as N
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
_UNMOJI = {v.lower(): k for k, v in N.MOJI.items()}


def _undo(text: str) -> str:
    """The text with the export's damage undone: lower case, Excel's "_x000D_" as a space, code page read
    right, "&amp;" as "&", accents folded, "&" and "+" read as "and"."""
    s = text.lower().replace("_x000d_", " ")
    for bad, good in sorted(_UNMOJI.items(), key=lambda kv: -len(kv[0])):
        s = s.replace(bad, good)
    s = s.replace("&amp;", "&")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("&", " and ").replace("+", " and ")


def _canon(s: str) -> str:
    """Letters and digits only, after ``_undo``."""
    return re.sub(r"[^a-z0-9]", "", _undo(s))


def _core_words(name: str) -> list[str]:
    """A name's words (lower case, letters and digits): no bracketed part, company suffix, "@" tail or
    apostrophes, "&" as "and", accents folded, a leading "the" of a longer name left off."""
    s = re.sub(r"\([^)]*\)", " ", name)
    if not re.search(r"[A-Za-z]", s):
        s = name
    s = re.sub(r"\s*@.*$", "", s.strip())
    s = re.sub(r"(?i)([\s,.\-]*\b(ltd|limited|plc|llp|t/a)\b\.?\s*)+$", "", s.strip())
    s = re.sub(r"['’`]", "", _undo(s))
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


_ABBREV = {}
for table in N.CLERK_ABBREV:
    for whole, short in table.items():
        _ABBREV.setdefault(whole, set()).add(_canon(short))


def _forms(word: str) -> list[str]:
    """A word as a clerk may have keyed it: whole or in one of the clerks' abbreviations."""
    return [word, *sorted(_ABBREV.get(word, ()))]


def _named(name: str, text: str) -> bool:
    """Every word of the name in the text in its order, whole or abbreviated (spaces, case, punctuation and
    the export's damage aside); a leading "the" may stay."""
    pat = "(?:the)?" + "".join("(?:" + "|".join(map(re.escape, _forms(w))) + ")" for w in _core_words(name))
    return re.search(pat, _canon(text)) is not None


def _near(a: str, b: str) -> bool:
    """One slip apart: a letter replaced, dropped, added, or two neighbours transposed."""
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
    """The word in the text despite the noise: whole or abbreviated, one slip apart, or (a fixed-width cut)
    the text ending in four letters or more of it."""
    t = _canon(text)
    if any(f in t for f in _forms(word)):
        return True
    for n in (len(word) - 1, len(word), len(word) + 1):
        if n >= 3 and any(_near(t[i : i + n], word) for i in range(len(t) - n + 1)):
            return True
    return any(t.endswith(word[:j]) for j in range(4, len(word)))


def _named_loosely(name: str, text: str) -> bool:
    """Every distinctive word of the name in the text despite the noise; a name of generic words only: all."""
    words = _core_words(name)
    key = [w for w in words if w not in N.GENERIC] or words
    return all(_found_loosely(w, text) for w in key)


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (space lost or padded, any case), or (``exact`` false)
    with two neighbouring characters transposed, or its last character cut off at the end of the text."""
    c, t = _canon(code), _canon(text)
    if c in t:
        return True
    if exact:
        return False
    swaps = {c[:i] + c[i + 1] + c[i] + c[i + 2 :] for i in range(len(c) - 1)}
    return any(s in t for s in swaps) or t.endswith(c[:-1])


# --- how the clerks and exports write places, no database --------------------------------------------------


def test_names_are_keyed_the_way_the_clerks_keyed_them():
    assert N._plain("Nunhead Cemetery (All Saints)") == "Nunhead Cemetery"
    assert N._plain("Moxie's Fish Bar Ltd") == "Moxie's Fish Bar" and N._plain("(Gubbins)") == "Gubbins"
    assert N._plain("Wilson Jones Catering Limited@") == "Wilson Jones Catering"
    assert N._plain("Canteen @ Some Firm") == "Canteen"
    assert N._fold("Café Vita") == "Cafe Vita" and N._moji("Syl’s Café") == "Sylâ€™s CafÃ©"
    assert N._key(["Old", "Kent", "Rd."]) == 1 and N._key(["Camberwell", "Arms"]) == 0
    assert N._key(["The", "Park"]) == -1 and N._key(["Brixton", "Tce"]) == 0
    assert N._station_core("Peckham Rye Rail Station") == "Peckham Rye"
    assert N._station_core("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert N._station_core("Edgware Road (Circle Line)") == "Edgware Road"
    assert N._station_core("Liverpool Street LU") == "Liverpool Street"
    assert N._station_core("West Croydon NR") == "West Croydon"
    assert N._network("naptan_rail", None, "Erith") == "rail"
    assert N._network("tfl_stations_2018", None, "BOW CHURCH - DLR") == "dlr"
    assert N._network("tfl_stations_2022", "London Overground", "Barking") == "overground"
    assert N._network("tfl_stations_2022", "London Underground", "Tufnell Park") == "tube"
    assert N._network("x", None, "Liverpool Street LU") == "tube" and N._network("x", None, "Temple") == "any"
    assert N._ward_ok("Peckham") and not N._ward_ok("Nunhead and Queen's Road")
    assert not N._ward_ok("Brixton North") and not N._ward_ok("A Place With Four Words")
    assert N.CLERK_ABBREV[0] == {} and len(N.CLERK_ABBREV) == len(N.CLERK_WEIGHTS)
    for table in N.CLERK_ABBREV[1:]:
        for word, short in table.items():
            assert short[0].lower() == word[0] and len(short.rstrip(".")) < len(word), (word, short)
    rng = random.Random(2)
    seen = {" ".join(N._keyed(rng, "Old Kent Road", "street", t, street=True, slip=False).words)
            for t in N.CLERK_ABBREV for _ in range(100)}
    assert {"Old Kent Road", "Old Kent Rd.", "Old Kent Rd"} <= seen and len(seen) == 3, seen
    heads = {" ".join(N._keyed(rng, "The King's Head", "venue", {}, slip=False).words) for _ in range(400)}
    assert heads == {"The King's Head", "The Kings Head", "The King?s Head"}, heads
    amp = {" ".join(N._keyed(rng, "Rose and Crown", "venue", {}, slip=False).words) for _ in range(400)}
    assert amp == {"Rose and Crown", "Rose & Crown", "Rose + Crown"}, amp
    cafe = {" ".join(N._keyed(rng, "Café Vita", "venue", {}, slip=False).words) for _ in range(200)}
    assert cafe == {"Café Vita", "Cafe Vita"}, cafe
    assert N._keyed(rng, "Old Kent Road", "street", N.CLERK_ABBREV[2], street=True, slip=False).key == 1


def test_lists_are_apart_fresh_and_hold_no_place():
    assert set(N.CHAIN_FORMS) == set(CHAINS)
    for brand, forms in N.CHAIN_FORMS.items():
        assert all(brand in _canon(f) for f in forms), brand
        assert all("station" not in f.lower() and not re.search(r"[0-9]", f) for f in forms), brand
        theirs = {_canon(f) for f in heldout_m.BRAND_SIGNS.get(brand, [])}
        assert not ({_canon(f) for f in forms} - {brand}) & theirs, brand  # no brand form of mapcopy's
    lists = {
        "home": N.HOME_TEXTS,
        "unknown": N.UNKNOWN_TEXTS,
        "non": N.NONPLACE_TEXTS,
        "dwelling": N.OTHER_DWELLINGS,
        "dept": N.IN_DEPT,
    }
    for a in lists:
        for b in lists:
            assert a == b or not set(lists[a]) & set(lists[b]), (a, b)
    theirs = {
        t.lower()
        for t in heldout_m.HOME_CARDS
        + heldout_m.UNKNOWN_CARDS
        + heldout_m.NONPLACE_CARDS
        + heldout_m.SAVED_DWELLINGS
        + heldout_m.HERE_CARDS
    }
    for name, texts in lists.items():
        assert not {t.lower() for t in texts} & theirs, name
    assert len(set(N.NONPLACE_TEXTS)) >= 25 and len(set(N.UNKNOWN_TEXTS)) >= 18
    assert len(set(N.HOME_TEXTS)) >= 10
    assert len(set(N.IN_DEPT)) >= 10 and len(set(N.OTHER_DWELLINGS)) >= 8
    assert len(set(N.STATION_FORMS)) >= 8 and len(set(N.STREET_FORMS)) >= 12 and len(set(N.SEPARATORS)) >= 10
    for t in [*N.HOME_TEXTS, *N.UNKNOWN_TEXTS, *N.NONPLACE_TEXTS, *N.OTHER_DWELLINGS, *N.IN_DEPT, *N.TRAILS]:
        assert not _DISTRICT.search(t.upper()) and "{" not in t, t
    for t in [*N.HOME_TEXTS, *N.UNKNOWN_TEXTS, *N.NONPLACE_TEXTS, *N.OTHER_DWELLINGS, *N.IN_DEPT]:
        assert t == t.strip() and t, t
    assert all("home" in t.lower()[:16] for t in N.HOME_TEXTS)
    assert not any("home" in t.lower() for t in [*N.UNKNOWN_TEXTS, *N.NONPLACE_TEXTS, *N.OTHER_DWELLINGS])
    assert not any("hospital" in t.lower() and "premises" not in t.lower() for t in N.IN_DEPT)
    for t in ["#N/A", "N/K", "nan", "NULL", "Not known"]:
        assert t in N.UNKNOWN_TEXTS, t
    for t in ["#REF!", "Grand Total", "As above", "Location of incident"]:
        assert t in N.NONPLACE_TEXTS, t
    assert abs(sum(N.SHARES.values()) - 1) < 1e-9 and set(N.REKEY_P) == set(N.SHARES)
    assert all(N.REKEY_P[c] == 0 for c in NO_PLACE)
    assert all(N.REKEY_P[c] > 0 for c in N.SHARES if c not in NO_PLACE)
    assert all("{h}" in t for t in N.HOSPITAL_FORMS) and all("{st}" in t for t in N.STREET_FORMS)
    assert all("{a}" in t and "{b}" in t for t in N.JUNCTION_FORMS)
    assert all("station" not in t.lower() and "stn" not in t.lower() for t in N.CHAIN_ALONE_FORMS)
    assert all("station" not in t.lower() for t in N.LOC_TYPES["chain"])
    assert sorted(N.FIELD_WIDTHS) == list(N.FIELD_WIDTHS) and min(N.FIELD_WIDTHS) >= 18
    assert all(len(v) == 2 and v != c and v[0] in "âÃÂ" for c, v in N.MOJI.items() if c not in "’‘–")
    assert all(v.startswith("â€") and len(v) == 3 for c, v in N.MOJI.items() if c in "’‘–")


def test_a_rekeying_slip_changes_one_letter_and_keeps_the_first():
    rng = random.Random(4)
    seen = Counter()
    for w in ("Camberwell", "peckham", "BRIXTON", "Stockwell", "Rye", "Lane", "Hill"):
        for _ in range(300):
            s = N._rekey(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and _near(s.lower(), w.lower()), (w, s)
            assert s.isupper() == w.isupper() and s.isalpha(), (w, s)
            low, sl = w.lower(), s.lower()
            if len(s) < len(w):
                seen["once"] += 1
                assert any(low[i] == low[i + 1] and sl == low[:i] + low[i + 1 :] for i in range(len(w) - 1))
            elif len(s) > len(w):
                seen["twice"] += 1
            elif sorted(sl) == sorted(low):
                seen["swap"] += 1
            else:
                seen["vowel"] += 1
                diff = [(a, b) for a, b in zip(sl, low) if a != b]
                assert len(diff) == 1 and diff[0][0] in "aeiou" and diff[0][1] in "aeiou", (w, s)
    assert all(seen[k] > 100 for k in ("once", "twice", "swap", "vowel")), seen
    for w in ("KFC", "Rd.", "SE15", "A&E", "King's", "Tce"):
        assert N._rekey(rng, w) == w


def test_codes_are_held_and_rekeyed_honestly():
    rng = random.Random(5)
    seen = Counter()
    for _ in range(4000):
        c = rng.choice(["SE5 8TR", "CR0 1AB", "SE15 4", "SE15", "SE1", "SW9 9SS"])
        parts = c.split()
        cls = "postcode" if len(parts) == 2 and len(parts[1]) == 3 else "sector" if " " in c else "district"
        slot = N._code(rng, c, cls)
        typed, meant = slot.words[0], slot.meant[0]
        assert slot.code and slot.unit == (cls == "postcode") and len(slot.words) == 1, slot
        assert slot.slipped == (typed != meant) and meant == meant.upper(), slot
        assert meant.replace(" ", "") == c.replace(" ", ""), slot
        if cls != "postcode":
            assert meant == c, slot
        if slot.slipped:
            diff = [i for i in range(len(typed)) if typed[i] != meant[i]]
            assert len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(typed) == sorted(meant), slot
            assert _has_code(c, typed, exact=False) and not _has_code(c, typed, exact=True), slot
            seen["slip"] += 1
            seen["slip " + cls] += 1
        seen["joined"] += meant in ("SE58TR", "CR01AB", "SW99SS")
        seen["padded"] += meant in ("SE5  8TR", "CR0  1AB", "SW9  9SS")
    assert seen["slip"] > 150 and seen["joined"] > 150 and seen["padded"] > 60, seen
    assert seen["slip postcode"] and seen["slip sector"] and seen["slip district"], seen
    assert all(not N._code(rng, "SE1", "district").slipped for _ in range(300))  # one digit: nothing to swap


def _try_record(rng, name, form, cls="venue"):
    abbrev = rng.choice(N.CLERK_ABBREV)
    v = N._keyed(rng, name, cls, abbrev, street=cls == "street")
    w = N._keyed(rng, "Rye Lane", "chain", abbrev, street=True, slip=False)
    sep = rng.choice(N.SEPARATORS)
    plain = {"cols": sep.join(["SE15 4ST", "LB Southwark"]), "type": "Licensed premises"}
    segs = N._segments(form, {"v": v, "w": w}, plain, sep)
    text, typo = N._record(rng, segs, v, sep, before=rng.choice([None, "03/04/2019"]))
    return v, w, text, typo


def test_a_record_is_honest_typo_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    names = ["Peckham Hippodrome", "Brockwell Lido", "Café Sabrosa", "Syl’s Café", "Camberwell Clarendon"]
    forms = ["{v}", "{v}{/}{cols}", "{type}{/}{v}", "{v}{/}{w}", "{w}{/}{v}", "{v} ({type})"]
    for _ in range(6000):
        name, form = rng.choice(names), rng.choice(forms)
        v, w, text, typo = _try_record(rng, name, form)
        assert text == text.strip() and "{" not in text and "\n" not in text and text, text
        moji_hurt = bool(re.search(r"(?i)ã[©‰]", text)) and any(c in N.MOJI_LETTERS for c in v.text)
        cut = not _named(" ".join(v.words), text)  # what was keyed is no longer whole in the text
        assert typo == (v.slipped or moji_hurt or cut), (text, typo, v)
        if cut:  # a fixed-width cut inside the name's last distinctive word, the name last in the text
            assert not v.slipped and not moji_hurt and v.key == len(v.words) - 1, (text, v)
            last = _canon(v.words[-1])
            t = _canon(text)
            assert len(last) >= 7 and not t.endswith(last), (text, v)
            assert any(t.endswith(last[:j]) for j in range(max(4, -(-6 * len(last) // 10)), len(last))), text
            assert len(text) in N.FIELD_WIDTHS, text
            seen["cut"] += 1
        elif typo:
            seen["slip" if v.slipped else "moji"] += 1
        else:
            assert _named(name, text), (name, text)
            seen["clean"] += 1
        if "{w}" in form:  # a locality name is never cut or re-keyed
            assert _named("Rye Lane", text) and not w.slipped, text
        assert _named_loosely(name, text), (name, text)
        seen["upper"] += text == text.upper() and text != text.lower()
        seen["width"] += len(text) in N.FIELD_WIDTHS
    assert seen["cut"] > 20 and seen["slip"] > 300 and seen["moji"] > 30 and seen["clean"] > 4000, seen
    assert seen["upper"] > 1000 and seen["width"] > 150, seen
    units = Counter()
    for _ in range(4000):
        p = N._code(rng, "SE15 4ST", "postcode")
        sep = rng.choice(N.SEPARATORS)
        form = rng.choice(["{p}", "PC: {p}", "Postcode only{/}{p}", "nan{/}{p}", "{p}{/}LB Southwark"])
        text, typo = N._record(rng, N._segments(form, {"p": p}, {}, sep), p, sep, code_like=True)
        assert _has_code("SE15 4ST", text, exact=False), text
        assert typo == (not _has_code("SE15 4ST", text, exact=True)), (text, typo)
        units["cut" if typo and not p.slipped else "slip" if typo else "clean"] += 1
        units["apostrophe"] += text.startswith("'")
    assert units["cut"] > 5 and units["slip"] > 200 and units["apostrophe"] > 200, units
    for _ in range(3000):
        t = rng.choice(N.HOME_TEXTS + N.UNKNOWN_TEXTS + N.NONPLACE_TEXTS + N.OTHER_DWELLINGS)
        text, typo = N._record(rng, [t])
        assert not typo and not _DISTRICT.search(_undo(text).upper()) and text, text
        if t in N.HOME_TEXTS:
            assert "home" in text.lower(), text


# --- the generator on a slice of the gazetteer ----------------------------------------------------------


@pytest.fixture(scope="module")
def merged_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return N.generate(conn, 900), N.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_merged_family_is_reproducible_and_labelled_like_the_others(merged_set, gconn):
    a, b = merged_set
    key = [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a]
    assert key == [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    families, seeds = heldout_checks.other_family_lines(N.__file__)
    assert len(families) >= 13 and len(seeds) >= 13 and heldout_m.SEED in seeds
    assert {e.family for e in a} == {N.FAMILY} and N.FAMILY not in families | {"gen", "blind"}
    assert N.SEED not in seeds and 1_000_000 <= N.SEED <= 9_999_999
    cls = Counter(e.cls for e in a)
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * N.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * N.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * N.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    dwellings = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.12 < len(dwellings) / cls["nonplace"] < 0.3
    for e in no_place:  # no postcode or district, no slip; home says home, other no-place texts never do
        assert not _UNIT.search(_undo(e.text).upper()) and not _DISTRICT.search(_undo(e.text).upper()), e
        assert not e.typo, e
        assert ("home" in e.text.lower()) == (e.cls == "home"), e
    for e in a:
        if e.cls == "chain, no locality":
            t = _undo(e.text)
            assert not _DISTRICT.search(t.upper()) and not re.search(r"station|stn", t), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text and e.text.strip() == e.text and "\n" not in e.text for e in a)
    assert 0.05 < sum(e.typo for e in placed) / len(placed) < 0.25
    texts = [e.text for e in a]
    marks = [", ", " | ", "_x000D_", "nan", "NULL", ",,", "â€", "&amp;", '"', "'", "j/w", "Flat ", "LB ",
             "Rd.", "**", "Ward", "Stn", "#N/A", "#REF!", "home", "Licensed premises"]
    missing = [m for m in marks if not any(m in t for t in texts)]
    assert len(missing) <= 2, missing
    assert sum(t == t.upper() and t != t.lower() for t in texts) > 0.15 * len(texts)
    assert any(re.search(r"\b[0-9]+\.0\b", t) for t in texts)  # a house number exported as a float
    assert any(re.search(r"\b[0-9]{2}-[A-Za-z]{3}\b", t) for t in texts)  # ... or turned into a date
    assert sum(len(t) in N.FIELD_WIDTHS for t in texts) > 20
    pcs = [e for e in a if e.cls == "postcode"]
    assert any(re.search(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}\b", e.text) for e in pcs)
    assert any(re.search(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?  [0-9][A-Z]{2}\b", e.text) for e in pcs)
    assert [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]


def _name_of(gconn, fid):
    return gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: an "in the department" text of the reporting site itself."""
    return not _named_loosely(_name_of(gconn, e.feature_id), e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(merged_set, gconn):
    a, _ = merged_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


def _check_name(name: str, e) -> None:
    """Untouched: the name whole or abbreviated; re-keyed, damaged or cut: every distinctive word still
    there."""
    if not e.typo:
        assert _named(name, e.text), (name, e)
    assert _named_loosely(name, e.text), (name, e)


def _chain_locality(gconn, e) -> bool:
    """A "chain" text says where the branch is: its street, a station within 400 m, its ward or the
    district of the postcode unit nearest it."""
    street = gconn.execute(
        "SELECT sf.street FROM gazetteer.feature f JOIN gazetteer.source_feature sf ON sf.source = f.source "
        "AND sf.source_key = f.source_key WHERE f.feature_id = %s ORDER BY sf.load_id DESC LIMIT 1",
        (e.feature_id,),
    ).fetchone()
    if street and street[0] and _named(street[0], e.text):
        return True
    stations = [
        r[0]
        for r in gconn.execute(
            "SELECT name FROM gazetteer.feature WHERE kind = 'station' AND level = 'venue' "
            "AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), 400)",
            (e.x, e.y),
        )
    ]
    if any(_named(N._station_core(s), e.text) for s in stations):  # its station word may be cut off
        return True
    wards = [
        r[0]
        for r in gconn.execute(
            "SELECT f.name FROM ref.area a JOIN gazetteer.feature f ON f.kind = 'area' "
            "AND f.source_key = a.code WHERE a.level = 'ward' "
            "AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(a.geom)))",
            (e.x, e.y),
        )
    ]
    if any(_named(w, e.text) for w in wards):
        return True
    district = gconn.execute(
        "SELECT district FROM gazetteer.postcode "
        "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), postcode LIMIT 1",
        (e.x, e.y),
    ).fetchone()[0]
    return _canon(district) in _canon(e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_merged_truths_are_the_places_named(merged_set, gconn):
    a, _ = merged_set
    seen = Counter()
    dept = [_canon(h) for h in N.IN_DEPT]
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
            forms = N.CHAIN_FORMS[brand]
            assert any(
                all(_found_loosely(_canon(w), e.text) for w in f.split() if len(w) > 2) for f in forms
            ), e
            if e.cls == "chain":
                assert _chain_locality(gconn, e), e
                seen["chain located"] += 1
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                seen["here"] += 1
                t = re.sub(r"^[0-9]+", "", _canon(e.text))
                assert not e.typo and any(t.startswith(h[:5]) for h in dept), e
            else:
                _check_name(name, e)
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(N._station_core(name), e)
            seen["no station word"] += not re.search(
                r"stn|station|tube|underground|dlr|rail|rly|overground|tram|crossrail|elizabeth|\bbr\b|\(l[uo]\)",
                _undo(e.text),
            )
        else:
            raise AssertionError(e)
        seen["typo"] += e.typo
        seen["cut"] += e.typo and not any(_canon(w) in _canon(e.text) for w in _core_words(name)[-1:])
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["no station word"] >= 3, seen
    assert seen["chain located"] >= 5, seen
    for e in a:
        # postcodes, sectors, districts: a unit of the code the text says; re-keyed (two neighbours
        # transposed) or cut off by one character exactly when typo is set
        if e.cls in ("postcode", "sector", "district"):
            named = heldout_checks.codes_at(gconn, e.cls, e.x, e.y)
            assert any(_has_code(n, e.text, exact=False) for n in named), e
            assert e.typo == (not any(_has_code(n, e.text, exact=True) for n in named)), e
            seen["code typo"] += e.typo
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
        if e.cls in ("venue", "hospital", "station", "street"):  # a full postcode is the nearest unit's
            units = _UNIT.findall(re.sub(r" +", " ", _undo(e.text).upper()))
            if units:
                near = gconn.execute(
                    "SELECT display FROM gazetteer.postcode "
                    "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom)), postcode LIMIT 1",
                    (e.x, e.y),
                ).fetchone()[0]
                assert all(u.replace(" ", "") == near.replace(" ", "") for u in units), (e, near)
                seen["nearest unit"] += 1
    assert seen["code typo"] >= 1 and seen["nearest unit"] >= 20, seen
