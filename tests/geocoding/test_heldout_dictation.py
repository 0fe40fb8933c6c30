"""The ``dictation`` held-out family (safestats.geocoding.heldout_f): its speech (numbers and postcodes said,
names said in full), the recogniser's noise (mis-hearings, splits and merges, fillers, false starts, capitals
and stray punctuation; no database needed), and its generator on the geocoding tests' slice of the gazetteer
(conftest.py): reproducible, labelled like the other families, each class near its share, every truth the
place its text names. The geocoder is never run here."""
from __future__ import annotations

import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_f as F

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}

_NUM = {w: i for i, w in enumerate(F._UNITS)} | {"oh": 0}
_TENS = {w: i * 10 for i, w in enumerate(F._TENS) if w}
_AREAS = [("south east", "se"), ("south west", "sw"), ("north west", "nw"), ("north", "n"), ("east", "e"),
          ("west", "w")]


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def _decode(text: str, combine: bool) -> str:
    """The text with spoken numbers as digits and spoken postcode areas as letters, squashed; ``combine``
    reads "twenty one" as 21, else as 201."""
    s = " ".join(_words(text))
    for said, area in _AREAS:
        s = re.sub(rf"\b{said}\b", area, s)
    out, ws = [], s.split()
    i = 0
    while i < len(ws):
        w = ws[i]
        if w in _TENS and combine and i + 1 < len(ws) and ws[i + 1] in _NUM and 0 < _NUM[ws[i + 1]] < 10:
            out.append(str(_TENS[w] + _NUM[ws[i + 1]]))
            i += 2
            continue
        out.append(str(_TENS[w]) if w in _TENS else str(_NUM[w]) if w in _NUM else w)
        i += 1
    return re.sub(r"[^a-z0-9]", "", "".join(out))


def _says_postcode(display: str, text: str) -> bool:
    want = re.sub(r"[^a-z0-9]", "", display.lower())
    return any(want in _decode(text, c) for c in (True, False))


def _canon(s: str) -> str:
    """Lower case, "saint" as "st", no spaces, apostrophes or punctuation (so splits and merges vanish)."""
    s = re.sub(r"\bsaint\b", "st", s.lower().replace("’", "'"))
    return re.sub(r"[^a-z0-9]", "", s)


def _name_core(name: str) -> str:
    s = _canon(F._plain(name))
    return s[3:] if s.startswith("the") and len(s) > 6 else s


# --- speech, no database ---------------------------------------------------------------------------------

def test_numbers_are_said_in_words():
    assert F._say_number(42) == "forty two" and F._say_number(37) == "thirty seven"
    assert F._say_number(15) == "fifteen" and F._say_number(0) == "zero" and F._say_number(90) == "ninety"
    assert F._say_number(112) == "a hundred and twelve" and F._say_number(300) == "three hundred"
    assert F._say_number(999) == "nine hundred and ninety nine"


@pytest.mark.parametrize("display", ["SE15 4QF", "EC1M 5QF", "SW9", "N10", "SE20 4AB", "SE20 4", "SE1 4",
                                     "W1H 7", "CR0 4XS", "NW10", "E1", "BR1 1AA"])
def test_postcodes_said_letter_by_letter_or_formatted_decode_to_the_postcode(display):
    rng = random.Random(7)
    said = [F._say_pc(rng, display, True) for _ in range(300)]
    assert all(_says_postcode(display, s) for s in said), display
    assert any(s.replace(" ", "").lower() != display.replace(" ", "").lower() for s in said)
    assert any(re.fullmatch(r"[a-z ]+", s) for s in said)                          # wholly spoken
    if display.split()[0] in ("SE20",) and " " in display:
        assert not any("twenty" in s for s in said)                                  # "twenty four" = 24


def test_some_districts_are_said_as_compass_words():
    rng = random.Random(8)
    said = {F._say_pc(rng, "SE15", True) for _ in range(200)}
    assert "south east fifteen" in said and "s e fifteen" in said
    assert all(not s.startswith("south") for s in (F._say_pc(rng, "SE15 4QF", True) for _ in range(200)))


def test_names_are_said_in_full():
    assert F._plain("St Thomas' Hospital") == "saint thomas' hospital"
    assert F._plain("High St") == "high street" and F._plain("St. John St") == "saint john street"
    assert F._plain("Coldharbour Rd") == "coldharbour road"
    assert F._plain("Fish & Chips Ltd") == "fish and chips"
    assert F._plain("The Gordon Bennett!") == "the gordon bennett"
    rng = random.Random(2)
    forms = {F._say_name(rng, "The King's Head") for _ in range(300)}
    assert forms == {"the king's head", "the kings head", "king's head", "kings head"}
    assert {F._say_name(rng, "St Giles Road") for _ in range(100)} == {"saint giles road", "st giles road"}
    assert F._say_station("London Victoria") == "victoria"
    assert F._say_station("London Bridge LU") == "london bridge"
    assert F._say_station("BECKTON PARK - DLR") == "beckton park"
    assert F._say_station("Abbey Wood (London)") == "abbey wood"
    assert F._say_station("London Fields") == "london fields"


SOURCE = f"outside the {F._n('rye lane')} station near {F._p('s e fifteen four q f')} walking home"


def test_noise_is_honest_a_word_changes_exactly_when_typo_is_set():
    rng = random.Random(9)
    src = Counter(_words(SOURCE.replace("\x01", " ").replace("\x02", " ").replace("\x03", " ")
                         .replace("\x04", " ")))
    seen = Counter()
    for p in (1.0, 0.5, 0.2, 0.0):
        for _ in range(400):
            text, typo = F._speak(rng, SOURCE, p)
            got = Counter(_words(text))
            assert typo == (not src <= got), (text, typo)
            assert _says_postcode("SE15 4QF", text) and "s e fifteen four q f" in " ".join(_words(text))
            if not typo:
                assert "rye lane" in " ".join(_words(text)), text                 # no filler inside a name
            assert text == text.strip() and "  " not in text
            seen[typo] += 1
            if p == 0.0:
                assert not typo
    assert seen[True] > 200 and seen[False] > 400


def test_mishearings_splits_and_merges_all_happen_and_stay_few():
    rng = random.Random(10)
    texts = [F._speak(rng, SOURCE, 0.5)[0].lower() for _ in range(600)]
    assert any("stay shun" in t for t in texts)
    assert any(re.search(r"\brye (lain|laine|line)\b", t) for t in texts)
    assert any("out side" in t or "our side" in t for t in texts)
    assert any(re.search(r"\b(outsidethe|thestation|stationnear|walkinghome)\b", t) for t in texts)  # merges
    split = {F._speak(random.Random(i), f"in {F._n('camberwell')}", 1.0)[0].lower() for i in range(200)}
    assert any("camber well" in t for t in split)
    for t in texts:                                       # at most two changes: most source words survive
        assert sum(w in t.split() for w in ("outside", "the", "station", "near", "walking", "home")) >= 2


def test_fillers_false_starts_capitals_and_punctuation():
    rng = random.Random(11)
    texts = [F._speak(rng, SOURCE, 0.0)[0] for _ in range(1000)]
    low = [" ".join(_words(t)) for t in texts]
    fillers = r"\b(um|er|erm|uh|sort of|i think|you know|like|kind of|basically|so|apparently|i believe)\b"
    assert 0.3 < sum(bool(re.search(fillers, t)) for t in low) / len(low) < 0.7
    assert 0.04 < sum(t.startswith(("outside outside", "outside the outside the")) or
                      "um outside outside" in t for t in low) / len(low) < 0.2
    assert 0.2 < sum(t == t.lower() for t in texts) / len(texts) < 0.5
    assert any(t == t.upper() for t in texts) and any("Rye Lane" in t for t in texts)
    assert 0.4 < sum(not re.search(r"[.,?]", t) for t in texts) / len(texts) < 0.8
    assert any(" comma " in t or "full stop" in t for t in low)


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(F.NON_PLACES)) >= 50 and len(set(F.DWELLING)) >= 20 and len(set(F.HOME_TEXT)) >= 20
    assert len(set(F.UNKNOWN)) >= 20 and len(set(F.HOSPITAL_HERE_TEXT)) >= 15
    assert len(set(F.STATION_TEXT)) >= 12 and len(set(F.JUNCTION_TEXT)) >= 12
    assert len(set(F.STREET_TEXT)) >= 15
    assert not set(F.NON_PLACES) & set(F.UNKNOWN) and not set(F.NON_PLACES) & set(F.DWELLING)
    for t in [*F.NON_PLACES, *F.DWELLING, *F.UNKNOWN, *F.HOME_TEXT, *F.HOSPITAL_HERE_TEXT]:
        assert not re.search(r"[0-9{}]", t), t
    assert abs(sum(F.SHARES.values()) - 1) < 1e-9 and set(F.MISHEAR_P) == set(F.SHARES)
    for word, heard in F.MISHEAR.items():
        assert word == word.lower() and heard and word not in heard, word


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def dictation_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return F.generate(conn, 900), F.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_dictation_family_is_reproducible_and_labelled_like_the_others(dictation_set, gconn):
    from safestats.geocoding import heldout, heldout_b, heldout_c, heldout_d, heldout_e, independent
    a, b = dictation_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    taken = {"gen", "blind", heldout.FAMILY, heldout_b.FAMILY, heldout_c.FAMILY, heldout_d.FAMILY,
             heldout_e.FAMILY, *independent.FAMILIES}
    assert {e.family for e in a} == {F.FAMILY} and F.FAMILY not in taken
    assert F.SEED not in {heldout.SEED, heldout_b.SEED, heldout_c.SEED, heldout_d.SEED, heldout_e.SEED,
                          *independent.SEEDS.values()}
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * F.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * F.SHARES["chain"], cls
    assert cls["junction"] >= 0.5 * 900 * F.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    for e in no_place:                                   # no postcode or number in a text naming no place
        assert not re.search(r"[0-9]", e.text), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.12 < sum(e.typo for e in a) / len(a) < 0.35
    assert 0.4 < sum(not re.search(r"[.,?!]", e.text) for e in a) / len(a) < 0.85
    assert 0.2 < sum(e.text == e.text.lower() for e in a) / len(a) < 0.5
    low = [" ".join(_words(e.text)) for e in a]
    assert sum(bool(re.search(r"\b(um|er|erm|uh)\b", t)) for t in low) > 0.15 * len(a)
    assert any(re.search(r"number (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                         r"[a-z]+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred)", t)
               for t in low)
    assert any(re.search(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b.* bus\b", t)
               for t in low)
    assert any(re.search(r"\ba and e\b|accident and emergency", t) for t in low)
    spelled = [e for e in a if e.cls in ("postcode", "sector", "district")
               and not re.search(r"[0-9]", e.text)]
    assert len(spelled) > 0.5 * (cls["postcode"] + cls["sector"] + cls["district"])


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("here in the department")."""
    name = gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s",
                         (e.feature_id,)).fetchone()[0]
    core = re.sub(r"university|hospital|utc|ucc", "", _name_core(name))
    return not e.typo and core[:6] not in _canon(re.sub(r"(?i)university|hospital", "", e.text))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(dictation_set, gconn):
    a, _ = dictation_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_dictation_truths_are_the_places_named(dictation_set, gconn):
    from safestats.geocoding.independent import CHAINS
    a, _ = dictation_set
    for e in a:
        if e.level != "venue":
            continue
        row = gconn.execute("SELECT ST_X(geom), ST_Y(geom), kind, name, norm FROM gazetteer.feature "
                            "WHERE feature_id = %s", (e.feature_id,)).fetchone()
        assert row is not None, e
        x, y, kind, name, norm = row
        assert (x, y) == (e.x, e.y), e
        if e.cls == "venue":
            assert kind in ("venue", "pub", "park"), e
            assert gconn.execute("SELECT count(*) FROM gazetteer.feature WHERE level = 'venue' AND norm = %s",
                                 (norm,)).fetchone()[0] == 1, e
            if not e.typo:
                assert _name_core(name) in _canon(e.text), e
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            if not e.typo:
                assert any(_canon(c) in _canon(e.text) for c in F.CHAIN_SAID[brand]), e
            if e.cls == "chain, no locality":
                assert not re.search(r"[0-9]", e.text), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
        elif e.cls == "station":
            assert kind == "station", e
            if not e.typo:
                assert _canon(F._say_station(name)) in _canon(e.text), e
        else:
            raise AssertionError(e)
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text says, in full
        if e.cls in ("postcode", "sector", "district"):
            col = {"postcode": "display", "sector": "sector", "district": "district"}[e.cls]
            named = gconn.execute(f"SELECT {col} FROM gazetteer.postcode "
                                  "WHERE ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y)).fetchall()
            assert any(_says_postcode(n, e.text) for (n,) in named), e
        # streets: a point of the street, the street named; wards: a point inside the ward, named
        if e.cls == "street":
            d, name = gconn.execute(
                "SELECT ST_Distance(coalesce(extent, geom), "
                "ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), "
                "name FROM gazetteer.feature WHERE feature_id = %s AND level = 'street'",
                (e.x, e.y, e.feature_id)).fetchone()
            assert d < 1e-6, e
            if not e.typo:
                assert _name_core(name) in _canon(e.text), e
        if e.cls == "area":
            inside, name = gconn.execute(
                "SELECT bool_or(ST_Intersects(w.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))), "
                "min(f.name) FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
                "AND w.code = f.source_key WHERE f.feature_id = %s", (e.x, e.y, e.feature_id)).fetchone()
            assert inside, e
            if not e.typo:
                assert _name_core(name) in _canon(e.text), e
        # junctions: the truth is a bus stop named after the two streets the text says
        if e.cls == "junction":
            names = [n for (n,) in gconn.execute(
                "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                "AND ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y))]
            assert names, e
            if not e.typo:
                assert any(all(_name_core(p) in _canon(e.text) for p in n.split("/")) for n in names), e
