"""The ``ocr`` held-out family (safestats.geocoding.heldout_g): the hand (names as a writer puts them down,
block capitals or joined-up writing), the scanner's noise (confused characters, lost and extra spaces, words
broken across a line, lines run together, stray marks, captured labels and tick boxes; no database needed),
and its generator on the geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like
the other families, each class near its share, every truth the place its text names, ``typo`` honest. The
geocoder is never run here."""
from __future__ import annotations

import importlib
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_g as G
from safestats.geocoding.independent import CHAINS, _clean_name

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}

_SHORT = {}
for _full, _abbrs in G.ABBREV.items():
    _key = _abbrs[0].rstrip(".")
    _SHORT[_full] = _key
    for _a in _abbrs:
        _SHORT[_a.rstrip(".")] = _key

_LOOKS = {"0": "0O", "O": "O0", "1": "1I", "I": "I1", "5": "5S", "S": "S5", "8": "8B", "B": "B8"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")


def _alnum(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def _canon(s: str) -> str:
    """Lower case, road words and their short forms alike ("Road", "Rd." -> "rd"), no spaces, apostrophes or
    punctuation (so a lost space and a dropped apostrophe vanish)."""
    words = re.findall(r"[a-z0-9]+", s.lower().replace("’", "").replace("'", ""))
    return "".join(_SHORT.get(w, w) for w in words)


def _name_core(name: str) -> str:
    """The name as the writer may give it: a leading "The" of a name of two words or more may be left
    off (as the generator's _hand_name does; "The Ram" -> "RAM")."""
    words = G._COMPANY.sub("", _clean_name(name)).split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return _canon(" ".join(words))


def _has_postcode(display: str, text: str, exact: bool) -> bool:
    """The postcode (unit, sector or district) is in the text, letter for letter, or (``exact`` false)
    with letters and the digits they look like swapped."""
    pat = "".join(re.escape(c) if exact or c not in _LOOKS else f"[{_LOOKS[c]}]" for c in display.upper())
    return re.search(rf"(?<![A-Z0-9]){pat}(?![A-Z0-9])", text.upper()) is not None


# --- the hand, no database -------------------------------------------------------------------------------

def test_names_are_written_with_the_writers_short_forms():
    rng = random.Random(3)
    forms = {G._hand_name(rng, "The King's Head") for _ in range(300)}
    assert forms == {"the king's head", "the kings head", "king's head", "kings head"}
    roads = {G._hand_name(rng, "Coldharbour Road") for _ in range(200)}
    assert roads == {"coldharbour road", "coldharbour rd", "coldharbour rd."}
    assert {G._hand_name(rng, "St Giles Road", short=0.0) for _ in range(50)} == {"st giles road"}
    saints = {G._hand_name(rng, "St Giles Road", short=1.0) for _ in range(100)}
    assert saints <= {"st giles rd", "st. giles rd", "st giles rd.", "st. giles rd."} and len(saints) == 4
    assert G._hand_name(rng, "Fish & Chips Ltd", short=0.0) == "fish & chips"
    assert G._hand_name(rng, "Burgess Park (Southwark)", short=0.0) == "burgess park southwark"
    assert G._hand_name(rng, "The Crown", drop_the=0.0) == "the crown"
    assert G._stn_written("London Victoria") == "victoria"
    assert G._stn_written("London Bridge LU") == "london bridge"
    assert G._stn_written("KING GEORGE V - DLR") == "king george v"
    assert G._stn_written("Birkbeck (Tramlink)") == "birkbeck"
    assert G._stn_written("Peckham Rye Rail Station") == "peckham rye"
    assert G._stn_written("London Fields") == "london fields"
    assert G._ward_ok("Peckham") and G._ward_ok("Nunhead and Queen's Road") is False
    assert not G._ward_ok("Camberwell Green 2") and not G._ward_ok("North Bermondsey")
    assert not G._ward_ok("A Place With Four Words")


def test_block_capitals_and_joined_up_writing():
    rng = random.Random(4)
    marked = f"o/s {G._n('rye lane')} nr {G._p('SE15 4QF')}"
    block = joined = 0
    for _ in range(1000):
        toks = G._tokens(marked)
        if G._handwrite(rng, toks):
            block += 1
            assert G._render(toks) == "O/S RYE LANE NR SE15 4QF"
        else:
            joined += 1
            assert G._render(toks) in ("o/s Rye Lane nr SE15 4QF", "o/s rye lane nr SE15 4QF")
    assert 0.45 < block / 1000 < 0.65 and joined


def test_tokens_keep_attached_punctuation():
    toks = G._tokens(f"in {G._n('tesco')} ({G._n('peckham')}), {G._p('SE15')}")
    assert [t[0] for t in toks] == ["in", "tesco", "(", "peckham", "),", "SE15"]
    assert [t[1] for t in toks] == ["w", "name", "w", "name", "w", "pc"]
    assert G._render(toks) == "in tesco (peckham), SE15"


# --- the scanner, no database ----------------------------------------------------------------------------

def test_confusion_tables_always_change_a_word():
    for table in (G.CONFUSE_JOINED, G.CONFUSE_CAPS, G.CONFUSE_PC):
        for a, b in table:
            assert a != b and _alnum(a) != _alnum(b), (a, b)
    for a, b in G.CONFUSE_PC:
        assert len(a) == len(b) == 1 and a.isdigit() != b.isdigit()
    rng = random.Random(5)
    assert G._confuse(rng, "corner", [("rn", "m")]) == "comer"
    assert G._confuse(rng, "close", [("cl", "d")]) == "dose"
    assert G._confuse(rng, "hill", [("h", "li")]) == "liill"
    assert G._confuse(rng, "ROAD", [("O", "0")]) == "R0AD"
    assert G._confuse(rng, "WOOD", [("X", "Y")]) == "WOOD"
    assert {G._confuse(rng, "BOB", [("B", "8")]) for _ in range(50)} == {"8OB", "BO8"}


SOURCE = f"o/s {G._n('rye lane')} stn nr {G._p('SE15 4QF')} walking home"
SOURCE_WORDS = Counter(_alnum("o/s rye lane stn nr SE15 4QF walking home"))


def test_noise_is_honest_a_word_changes_exactly_when_typo_is_set():
    # no source word is a word of a label, tick box or next box, so the count below is exact
    extra = set(_alnum(" ".join([*G.LABELS, *G.TICKS, *G.NEXT_BOX, *G.STRAY])))
    assert not extra & set(SOURCE_WORDS)
    rng = random.Random(9)
    seen = Counter()
    for p in (1.0, 0.5, 0.2, 0.05, 0.0):
        for _ in range(500):
            text, typo = G._scan(rng, SOURCE, p)
            got = Counter(_alnum(text))
            assert typo == (not got >= SOURCE_WORDS), (text, typo)
            assert _has_postcode("SE15 4QF", text, exact=not typo), text
            if not typo:
                assert re.search(r"(?i)(?<![a-z0-9])rye lane(?![a-z0-9])", text), text
                assert _has_postcode("SE15 4QF", text, True), text
            assert text == text.strip() and "  " not in text and text
            seen[p, typo] += 1
    assert seen[1.0, True] > 450 and seen[0.05, False] > 200
    assert seen[0.0, True] < 60                              # only a word broken across a line, lines joined


def test_postcodes_keep_their_shape():
    rng = random.Random(12)
    changed = 0
    for _ in range(600):
        toks = G._tokens(f"pc {G._p('SE15 4QF')} {G._p('BR1 1')}")
        G._misread(rng, toks, 1.0)
        pcs = [t[0] for t in toks if t[1] == "pc"]
        assert len(pcs) == 4, toks
        for got, want in zip(pcs, ["SE15", "4QF", "BR1", "1"]):
            assert len(got) == len(want)
            assert all(g == w or g in _LOOKS.get(w, w) for g, w in zip(got, want)), (got, want)
            changed += got != want
    assert changed > 200


def test_every_kind_of_noise_happens():
    rng = random.Random(10)
    texts = [G._scan(rng, SOURCE, 0.5)[0] for _ in range(3000)]
    low = [t.lower() for t in texts]
    assert any(re.search(r"\b(ryelane|o/srye|stnnr|lanestn|walkinghome)\b", t) for t in low)     # lost space
    assert any(re.search(r"\b(wa lking|wal king|walk ing|walki ng)\b", t) for t in low)          # extra space
    assert any(re.search(r"[a-z]- [a-z]", t) for t in low)                                       # "BRIX- TON"
    assert any(re.search(r"\b(5tn|stm|rve|lone|lanc|vvalking|wa1king|waiking|hame|h0me)\b", t) for t in low)
    assert any("se1s" in t or "5e15" in t or "4qf" not in t for t in low)
    labelled = sum(any(t.startswith(lab) or lab in t for lab in G.LABELS) for t in texts) / len(texts)
    assert 0.08 < labelled < 0.25
    ticked = sum(any(b in t for b in G.TICKS) for t in texts) / len(texts)
    assert 0.04 < ticked < 0.16
    marked = sum(bool(re.search(r"[|~`^*_;\"]", t)) for t in texts) / len(texts)
    assert 0.15 < marked < 0.6
    assert any(t.endswith(tuple(G.NEXT_BOX)) for t in texts)
    assert 0.4 < sum(t == t.upper() for t in texts) / len(texts) < 0.7


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(G.NON_PLACES)) >= 50 and len(set(G.DWELLING)) >= 20 and len(set(G.HOME_TEXT)) >= 20
    assert len(set(G.UNKNOWN)) >= 20 and len(set(G.HOSPITAL_HERE_TEXT)) >= 15
    assert len(set(G.STATION_TEXT)) >= 12 and len(set(G.JUNCTION_TEXT)) >= 12
    assert len(set(G.STREET_TEXT)) >= 15
    assert not set(G.NON_PLACES) & set(G.UNKNOWN) and not set(G.NON_PLACES) & set(G.DWELLING)
    assert not set(G.HOME_TEXT) & set(G.DWELLING)
    for t in [*G.NON_PLACES, *G.DWELLING, *G.UNKNOWN, *G.HOME_TEXT, *G.HOSPITAL_HERE_TEXT, *G.LABELS,
              *G.TICKS, *G.NEXT_BOX]:
        assert not re.search(r"[0-9{}]", t), t
    assert abs(sum(G.SHARES.values()) - 1) < 1e-9 and set(G.OCR_P) == set(G.SHARES)
    assert set(G.CHAIN_WRITTEN) == set(CHAINS)
    short = " ".join([*G.STREET_TEXT, *G.JUNCTION_TEXT, *G.STATION_TEXT, *G.CHAIN_STATION, *G.HOME_TEXT,
                      *G.PUB_TEXT, *G.POSTCODE_TEXT, *G.CHAIN_ALONE])
    for abbr in ("o/s", "opp", "nr", "jct", "@", "&", "pk", "pt"):
        assert re.search(rf"(?<![a-z]){re.escape(abbr)}(?![a-z])", short), abbr


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def ocr_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return G.generate(conn, 900), G.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_ocr_family_is_reproducible_and_labelled_like_the_others(ocr_set, gconn):
    from safestats.geocoding import independent
    a, b = ocr_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    others = [importlib.import_module(f"safestats.geocoding.heldout{m}") for m in ("", "_b", "_c", "_d", "_e",
                                                                                  "_f")]
    assert {e.family for e in a} == {G.FAMILY}
    assert G.FAMILY not in {"gen", "blind", *(m.FAMILY for m in others), *independent.FAMILIES}
    assert G.SEED not in {*(m.SEED for m in others), *independent.SEEDS.values()}
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * G.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * G.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * G.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    for e in no_place:                                   # no postcode in a text naming no place
        assert not _UNIT.search(e.text.upper()), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.15 < sum(e.typo for e in a) / len(a) < 0.45
    assert 0.4 < sum(e.text == e.text.upper() for e in a) / len(a) < 0.75            # block capitals
    assert sum(any(lab in e.text for lab in G.LABELS) for e in a) > 0.06 * len(a)
    assert sum(any(t in e.text for t in G.TICKS) for e in a) > 0.03 * len(a)
    assert sum(bool(re.search(r"[A-Za-z]- [A-Za-z]", e.text)) for e in a) > 5
    low = [e.text.lower() for e in a]
    for abbr in (r"o/s", r"\bopp\b", r"\bnr\b", r"\bjct\b", r"\bstn\b", r"\brd\b", r"\bhosp\b", r"\bpk\b",
                 "@", "&"):
        assert any(re.search(abbr, t) for t in low), abbr
    assert any(re.search(r"\b(a&e|a\+e|ed)\b", t) for t in low)
    typo_pc = [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]
    assert typo_pc                                        # a postcode misread now and then


def _hospital_core(name: str) -> str:
    return re.sub(r"university|hosp|utc|ucc", "", _name_core(name))


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("here", "in dept")."""
    name = gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s",
                         (e.feature_id,)).fetchone()[0]
    return not e.typo and _hospital_core(name)[:6] not in _canon(e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(ocr_set, gconn):
    a, _ = ocr_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_ocr_truths_are_the_places_named(ocr_set, gconn):
    a, _ = ocr_set
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
                assert any(_canon(c) in _canon(e.text) for c in G.CHAIN_WRITTEN[brand]), e
            if e.cls == "chain, no locality":
                assert not re.search(r"[0-9]", e.text) or e.typo, e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if not e.typo and not _is_here(gconn, e):
                assert _name_core(name) in _canon(e.text), e
        elif e.cls == "station":
            assert kind == "station", e
            if not e.typo:
                assert _canon(G._stn_written(name)) in _canon(e.text), e
        else:
            raise AssertionError(e)
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text says
        if e.cls in ("postcode", "sector", "district"):
            col = {"postcode": "display", "sector": "sector", "district": "district"}[e.cls]
            named = gconn.execute(f"SELECT {col} FROM gazetteer.postcode "
                                  "WHERE ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y)).fetchall()
            assert any(_has_postcode(n, e.text, exact=False) for (n,) in named), e
            if not e.typo:
                assert any(_has_postcode(n, e.text, exact=True) for (n,) in named), e
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
