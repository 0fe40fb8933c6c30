"""The ``nightlog`` held-out family (safestats.geocoding.heldout_k): lines of the incident logs of London's
night-time economy and transport (door supervisors, street pastors, wardens, CCTV control rooms, BTP / TfL
staff, taxi marshals), with a time, a reference, a call sign and what happened next around the place, log
shorthand, chain nicknames, three cases, keyboard slips and hurried clips (no database needed for those), and
its generator on the geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the
other families, each class at its share, every truth the place its text names (the shorthand undone by this
file's own simple rules), ``typo`` honest. The geocoder is never run here."""

from __future__ import annotations

import importlib
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_k as M
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
VOWELS = re.compile(r"[aeiou]")


def _canon(s: str) -> str:
    """Lower case letters and digits only, "&" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", s.lower().replace("&", "and"))


def _tokens(s: str) -> list[str]:
    """Runs of letters or of digits, "&" read as "and", apostrophes dropped."""
    return re.findall(r"[a-z]+|[0-9]+", s.lower().replace("&", " and ").replace("'", "").replace("’", ""))


def _subsequence(short: str, word: str) -> bool:
    it = iter(word)
    return all(c in it for c in short)


def _core_words(name: str) -> list[str]:
    """A name's words as a log may keep them (lower case, letters and digits): no brackets, company tail or
    apostrophes, hyphens and full stops as spaces, a leading "the" of a longer name left off."""
    s = M._bare(name).lower().replace("&", " and ")
    s = re.sub(r"['’`\"]", "", s)
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def _forms(word: str) -> list[str]:
    """A word as a log may write it with no slip: whole, or one of its abbreviations."""
    return [word] + [_canon(f) for f in M.ABBREV.get(word, [])]


def _named(name: str, text: str) -> bool:
    """Every word of the name in the text in its order, whole or abbreviated (spaces, case and punctuation
    aside); a leading "the" may stay."""
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


def _loose_word(word: str, toks: list[str], canon: str) -> bool:
    """The word in the text despite the noise: whole or abbreviated (maybe run into its neighbour), one slip
    apart, or clipped (its first five letters or more)."""
    if any(f in canon for f in _forms(word)):
        return True
    for t in toks:
        if t in _forms(word) or _near(t, word):
            return True
        if len(t) >= 5 and word.startswith(t) and len(word) - len(t) >= 3:
            return True
    return False


def _named_loosely(name: str, text: str) -> bool:
    """Every distinctive word of the name in the text despite the noise; a name of generic words only: all."""
    words = _core_words(name)
    key = [w for w in words if w not in M.GENERIC] or words
    toks, canon = _tokens(text), _canon(text)
    return all(_loose_word(w, toks, canon) for w in key)


def _initials(name: str) -> str:
    return "".join(w[0] for w in _core_words(name) if w.isalpha())


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (its space lost or doubled), or (``exact`` false) with a
    letter typed for a look-alike digit."""
    c, t = _canon(code), _canon(text)
    if exact:
        return c in t
    typed = {"0": "0o", "1": "1i", "5": "5s"}
    return any(re.search(c[:i] + f"[{typed.get(ch, ch)}]" + c[i + 1 :], t) for i, ch in enumerate(c))


# --- the logs' conventions, no database ------------------------------------------------------------------


def test_names_are_written_the_log_way():
    rng = random.Random(3)
    heads = {" ".join(M._words(rng, "The King's Head")) for _ in range(200)}
    assert heads == {"THE KINGS HEAD", "KINGS HEAD"}
    assert {" ".join(M._words(rng, "The King's Head", 0.0, apos=True)) for _ in range(50)} == {
        "THE KING'S HEAD"
    }
    assert {" ".join(M._words(rng, "Rose & Crown")) for _ in range(200)} == {"ROSE & CROWN", "ROSE AND CROWN"}
    assert M._words(rng, "Kiln Place Ltd") == ["KILN", "PLACE"]
    assert M._words(rng, "Burgess Park (Southwark)") == ["BURGESS", "PARK", "SOUTHWARK"]
    assert {" ".join(M._words(rng, "Stoke-on-Trent")) for _ in range(100)} == {
        "STOKE-ON-TRENT",
        "STOKE ON TRENT",
    }
    shortened = {" ".join(M._shorten(rng, ["OLD", "KENT", "ROAD"])) for _ in range(300)}
    assert shortened == {"OLD KENT ROAD", "OLD KENT RD"}
    assert M._shorten(rng, ["BURGESS", "PARK"], p=1.0) == ["BURGESS", "PK"]
    assert M._shorten(rng, ["GROVE"], p=1.0) == ["GROVE"]
    assert M._station_name("Peckham Rye Rail Station") == "Peckham Rye"
    assert M._station_name("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert M._station_name("Charing Cross LU") == "Charing Cross"
    assert M._mode("naptan_rail", None, None, "Erith") == "rail"
    assert M._mode("tfl_stations_2018", None, None, "BOW CHURCH - DLR") == "dlr"
    assert M._mode("tfl_stations_2022", None, "London Overground", "Hackney Wick") == "overground"
    assert M._mode("tfl_stations_2022", "London Underground", "Central", "Marble Arch") == "tube"
    assert M._initials("King's College Hospital") == "KCH" and M._initials("Ealing Hospital") is None
    assert M._initials("Chelsea and Westminster Hospital") is None
    assert M._area_ok("Peckham") and not M._area_ok("Stratford and New Town")
    assert not M._area_ok("Streatham Hill East") and not M._area_ok("A Place With Four Words")
    assert M._title("KING'S") == "King's" and M._title("KFC") == "KFC" and M._title("RD") == "RD"
    assert M._title("STOKE-ON-TRENT") == "Stoke-On-Trent" and M._title("&") == "&"


def test_abbreviations_and_nicknames():
    """An abbreviation is the word's first letter, then some of its letters in order; every chain has forms,
    one of them its own name, and some are nicknames."""
    for word, forms in M.ABBREV.items():
        for f in forms:
            c = _canon(f)
            assert c and c[0] == word[0] and _subsequence(c, word) and len(c) < len(word), (word, f)
    assert set(M.BRANDS) == set(CHAINS)
    for brand, forms in M.BRANDS.items():
        assert any(_canon(f).startswith(brand) for f in forms), brand
        assert all(f == f.upper() and not re.search(r"[0-9]", f) for f in forms), brand
    nicknames = [
        f for forms in M.BRANDS.values() for f in forms if not any(b[:4] in _canon(f) for b in CHAINS)
    ]
    assert {"MACCIES", "SPOONS", "KENTUCKY"} <= set(nicknames), nicknames
    for r in M.NIGHT_ROUTES:  # a night bus is never a real N postcode district
        assert re.fullmatch(r"N[0-9]+", r) and int(r[1:]) > 22 and r != "N81", r


def test_a_slip_changes_one_letter_or_clips_and_keeps_the_first_letter():
    rng = random.Random(4)
    seen = Counter()
    for w in ("CAMBERWELL", "PECKHAM", "BRIXTON", "STOCKWELL", "HORNIMAN", "LEWISHAM", "ELEPHANT"):
        for _ in range(400):
            s = M._slip(rng, w)
            assert s != w and s[0] == w[0], (w, s)
            if s.endswith("."):
                assert len(w) >= 8 and w.startswith(s[:-1]) and len(s) - 1 >= 5 and len(w) - len(s) + 1 >= 3
                seen["clip"] += 1
            else:
                assert _near(s.lower(), w.lower()), (w, s)
                seen["near"] += 1
    assert seen["clip"] > 150 and seen["near"] > 2000, seen
    for w in ("KFC", "RD", "RYE", "A&E", "SE15", "ST-ALBANS"):
        assert M._slip(rng, w) == w
    codes = {M._slip_code(rng, "CR0 1AB", 1.0) for _ in range(100)}
    assert codes == {("CRO 1AB", True), ("CR0 IAB", True)}
    assert M._slip_code(rng, "SE25 4QF", 1.0) == ("SE2S 4QF", True)
    assert M._slip_code(rng, "SW2 4QF", 1.0) == ("SW2 4QF", False)
    assert all(re.fullmatch(r"SE15( {1,2}|)4QF", M._pc_written(rng, "SE15 4QF")) for _ in range(200))


def test_a_slot_is_honest():
    rng = random.Random(10)
    slipped = 0
    for _ in range(3000):
        name = rng.choice(["The Camberwell Arms", "Brockwell Park", "Horniman Gardens", "Old Kent Road"])
        slot = M._name_slot(rng, name, "venue")
        core = _core_words(name)
        ref = ["the"] + core if len(slot.words) > len(core) else core
        assert len(ref) == len(slot.words), (slot, name)
        changed = sum(_canon(w) not in _forms(c) for w, c in zip(slot.words, ref))
        assert slot.slipped == (changed > 0) and changed <= 1, (slot, name)
        assert not (slot.slipped and slot.run >= 0)
        slipped += slot.slipped
    assert 0.08 < slipped / 3000 < 0.2


def test_log_wrappers_and_case_change_no_name():
    rng = random.Random(11)
    feat = Counter()
    for _ in range(3000):
        slots = {"st": M._name_slot(rng, "Rye Lane", "home")}  # no slips for this class
        text, typo = M._record(rng, "O/S {st}", slots, {})
        assert not typo and _named("Rye Lane", text), text
        up = text.upper()
        feat["time"] += bool(re.match(r"\[?@?[0-9]{2}[:.]?[0-9]{2}", text))
        feat["ref"] += bool(re.search(r"\b(REF|LOG|OCC|INC|ENTRY) [0-9]", up))
        feat["after"] += any(a.strip(" -()") in up for a in M.AFTER)
        feat["caps"] += text == up
        feat["lower"] += text == text.lower()
        feat["mixed"] += text not in (up, text.lower())
        feat["double"] += "  " in text
    for k, lo, hi in [
        ("time", 0.35, 0.55),
        ("ref", 0.12, 0.25),
        ("after", 0.14, 0.27),
        ("caps", 0.42, 0.58),
        ("lower", 0.06, 0.14),
        ("mixed", 0.32, 0.48),
        ("double", 0.05, 0.12),
    ]:
        assert lo < feat[k] / 3000 < hi, (k, feat)
    for _ in range(500):  # a code keeps its capitals in a mixed record
        text, typo = M._record(rng, "PC {p}", {"p": M._code_slot(rng, "SE15 4QF", "home")}, {})
        squashed = " ".join(text.split())
        assert ("SE15 4QF" in squashed or "se15 4qf" in squashed) and not typo, text


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(M.NON_PLACES)) >= 50 and len(set(M.DWELLING)) >= 20 and len(set(M.HOME_TEXT)) >= 20
    assert len(set(M.UNKNOWN)) >= 20 and len(set(M.HOSPITAL_HERE_TEXT)) >= 15
    assert len(set(M.STATION_TEXT)) >= 15 and len(set(M.JUNCTION_TEXT)) >= 12
    assert len(set(M.STREET_TEXT)) >= 15 and len(set(M.PUB_TEXT)) >= 15 and len(set(M.WHO)) >= 15
    assert not set(M.NON_PLACES) & set(M.UNKNOWN) and not set(M.NON_PLACES) & set(M.DWELLING)
    assert not set(M.HOME_TEXT) & set(M.DWELLING)
    for t in [*M.NON_PLACES, *M.DWELLING, *M.UNKNOWN, *M.HOME_TEXT, *M.HOSPITAL_HERE_TEXT]:
        assert not re.search(r"[0-9{}a-z]", t), t
    for t in [*M.AFTER, *M.STAMPS, *M.REFS, *M.WHO]:  # the log line's wrappers: no place, no code
        bare = re.sub(r"\{[hmabck]\}", "", t)
        assert not re.search(r"[a-z{}]|[A-Z][0-9]", bare), t
    for t in M.HOSPITAL_NAMED_TEXT:
        assert not re.search(r"\b(HERE|THIS|DEPT|OUR)\b", t.replace("{h}", "")), t
    assert abs(sum(M.SHARES.values()) - 1) < 1e-9 and set(M.SLIP_P) == set(M.SHARES)
    said = " ".join(
        [
            *M.PUB_TEXT,
            *M.CLUB_TEXT,
            *M.STATION_TEXT,
            *M.STREET_TEXT,
            *M.JUNCTION_TEXT,
            *(m for ms in M.MODES.values() for m in ms),
        ]
    )
    for abbr in (
        "O/S",
        "OPP",
        "NR",
        "J/W",
        "JCT",
        "S/A",
        "B/G",
        "VIP",
        "QUEUE",
        "FRONT DOOR",
        "CAM {cam}",
        "PTZ",
        "PLAT {k}",
        "EXIT {k}",
        "T/HALL",
        "GATELINE",
        "STAND",
        "{dir}",
        "LU",
        "OG",
        "DLR",
        "STN",
        "{r}",
    ):
        assert abbr in said, abbr
    codes = " ".join([*M.UNKNOWN, *M.HOME_TEXT, *M.NON_PLACES, *M.DWELLING, *M.NIGHT_BUS])
    for c in (
        "TAXI",
        "MINICAB",
        "UBER",
        "NIGHT BUS",
        "UNKNOWN - REPORTED BY CALLER",
        "CUSTODY SUITE",
        "HOUSE PARTY",
        "HOME ADDRESS",
        "VARIOUS",
        "ABROAD",
        "REFUSED DETAILS",
        "MOBILE - MOVING VEHICLE",
        "NOT ON CAMERA",
    ):
        assert c in codes, c


# --- the generator on a slice of the gazetteer ---------------------------------------------------------


@pytest.fixture(scope="module")
def nightlog_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return M.generate(conn, 900), M.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_nightlog_family_is_reproducible_and_labelled_like_the_others(nightlog_set, gconn):
    from safestats.geocoding import independent

    a, b = nightlog_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == [
        (e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b
    ]
    others = [
        importlib.import_module(f"safestats.geocoding.heldout{m}")
        for m in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i", "_j")
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
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    for e in no_place:  # no postcode or district in a no-place text: a night bus route at most
        up = e.text.upper()
        assert not _UNIT.search(up), e
        assert set(_DISTRICT.findall(up)) <= set(M.NIGHT_ROUTES), e
        assert not e.typo, e
    assert any(set(_DISTRICT.findall(e.text.upper())) & set(M.NIGHT_ROUTES) for e in no_place)
    for e in a:  # nor in a chain text that says no locality
        if e.cls == "chain, no locality":
            assert not _DISTRICT.search(e.text.upper()), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.12
    assert all(e.text.strip() for e in a)
    assert 0.06 < sum(e.typo for e in a) / len(a) < 0.2
    upper = sum(e.text == e.text.upper() for e in a) / len(a)
    lower = sum(e.text == e.text.lower() and e.text != e.text.upper() for e in a) / len(a)
    assert 0.4 < upper < 0.65 and 0.05 < lower < 0.16, (upper, lower)
    texts = [e.text.upper() for e in a]
    marks = (
        "O/S",
        " NR ",
        "OPP ",
        "J/W",
        "S/A",
        "B/G",
        "VIP",
        "CAM ",
        "PTZ ",
        "PLAT ",
        "EXIT ",
        "T/HALL",
        "GATELINE",
        "STAND ",
        " LU",
        " OG",
        "DLR",
        "STN",
        "HRS",
        "REF ",
        "ALPHA ",
        "BTP",
        "LAS ",
        "HERE",
        "TAXI",
        "UBER",
        "CUSTODY",
        "HOUSE PARTY",
        "NOT ON CAMERA",
        "  ",
    )
    # (which truths are drawn depends on the gazetteer slice, so a rare mark may miss a draw of 900; the
    # log's style is there when all but two of them are)
    missing = [mark for mark in marks if not any(mark in t for t in texts)]
    assert len(missing) <= 2, missing
    assert any(re.match(r"\[?[0-9]{2}:[0-9]{2}\]? ", t) for t in texts)  # a time first
    assert any(re.search(r"[A-Z]+\.( |$)", t) and e.typo for t, e in zip(texts, a))  # a hurried clip
    typo_pc = [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]
    assert typo_pc  # a letter for a look-alike digit, now and then


def _name_of(gconn, fid):
    return gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("HERE", "IN ED")."""
    name = _name_of(gconn, e.feature_id)
    return not _named_loosely(name, e.text) and _initials(name) not in _tokens(e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(nightlog_set, gconn):
    a, _ = nightlog_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


def _check_name(name: str, e) -> None:
    """Untouched: the name whole or abbreviated; with a slip or a clip: every distinctive word still there,
    one slip apart or clipped."""
    if not e.typo:
        assert _named(name, e.text), (name, e)
    assert _named_loosely(name, e.text), (name, e)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_nightlog_truths_are_the_places_named(nightlog_set, gconn):
    a, _ = nightlog_set
    here = initials = slipped = 0
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
            _check_name(name, e)
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            assert any(_canon(f) in _canon(e.text) for f in M.BRANDS[brand]), e  # brands never slip
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                here += 1
                assert any(t in " ".join(e.text.upper().split()) for t in M.HOSPITAL_HERE_TEXT), e
            elif _initials(name) in _tokens(e.text) and not _named_loosely(name, e.text):
                initials += 1
                assert len(_initials(name)) >= 3 and name.lower().rstrip().endswith("hospital"), e
            else:
                _check_name(name, e)
        elif e.cls == "station":
            assert kind == "station", e
            _check_name(M._station_name(name), e)
        else:
            raise AssertionError(e)
        slipped += e.typo
    assert here >= 3 and initials >= 1 and slipped >= 5, (here, initials, slipped)
    for e in a:
        # postcodes, sectors, districts: a unit of the code the text says; a slip only as a letter for a
        # look-alike digit, and exactly when typo is set
        if e.cls in ("postcode", "sector", "district"):
            named = heldout_checks.codes_at(gconn, e.cls, e.x, e.y)
            assert any(_has_code(n, e.text, exact=False) for n in named), e
            assert e.typo == (not any(_has_code(n, e.text, exact=True) for n in named)), e
        # streets: a point of the street, the street named; wards: a point inside the ward, named
        if e.cls == "street":
            d, name = gconn.execute(
                "SELECT ST_Distance(coalesce(extent, geom), "
                "ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), "
                "name FROM gazetteer.feature WHERE feature_id = %s AND level = 'street'",
                (e.x, e.y, e.feature_id),
            ).fetchone()
            assert d < 1e-6, e
            _check_name(name, e)
        if e.cls == "area":
            inside, name = heldout_checks.ward_at(gconn, e)
            assert inside, e
            _check_name(name, e)
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
