"""The ``epr`` held-out family (safestats.geocoding.heldout_e): its keyboard slips, field cut-offs and export
format (no database needed), and its generator on the geocoding tests' slice of the gazetteer
(conftest.py): reproducible, labelled like the other families, each class near its share, every truth the
place its text names. The geocoder is never run here."""
from __future__ import annotations

import html
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_e
from safestats.geocoding.independent import _clean_name

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}


# --- slips, no database ---------------------------------------------------------------------------------

def _is_one_edit(a: str, b: str) -> bool:
    """b is a with one letter dropped, one letter added, one letter replaced, or two neighbours swapped."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(b[:i] + b[i + 1:] == a for i in range(len(b)))
    if len(b) != len(a) or a == b:
        return False
    diff = [i for i, (p, q) in enumerate(zip(a, b)) if p != q]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def test_a_slip_is_one_edit_and_never_the_word_itself():
    rng = random.Random(31)
    for w in ("peckham", "Brixton", "WALWORTH", "aaaaa", "station", "Sainsbury", "camberwell"):
        for _ in range(400):
            t = heldout_e._slip(rng, w)
            assert t != w and _is_one_edit(w, t), (w, t)


def test_slips_reach_first_and_last_letters_and_use_every_edit():
    rng = random.Random(32)
    w = "lewisham"
    typos = [heldout_e._slip(rng, w) for _ in range(2000)]
    assert any(t[0] != "l" for t in typos) and any(t[-1] != "m" for t in typos)
    assert {len(t) - len(w) for t in typos} == {-1, 0, 1}
    same = [t for t in typos if len(t) == len(w)]
    assert any(sorted(t) == sorted(w) for t in same)                              # swaps
    assert any(sorted(t) != sorted(w) for t in same)                              # touching keys
    longer = [t for t in typos if len(t) > len(w)]
    assert any(any(t[:i] + t[i + 1:] == w and t[i] == t[i - 1] for i in range(1, len(t))) for t in longer)
    assert any(all(t[i] != t[i - 1] for i in range(1, len(t))) for t in longer)  # an extra touching key


def test_touching_keys_are_a_desktop_keyboards_and_keep_case():
    assert set(heldout_e._touching("s")) == {"a", "d", "w", "e", "z", "x"}
    assert set(heldout_e._touching("q")) == {"w", "a"}
    assert set(heldout_e._touching("B")) == {"V", "N", "G", "H"}
    assert heldout_e._touching("7") == [] and heldout_e._touching("&") == []
    rng = random.Random(5)
    for _ in range(300):
        t = heldout_e._slip(rng, "LEWISHAM")
        assert t == t.upper(), t


FREE = "o/s 12 Rye Lane nr SE15 4QF by the 36 bus, walking home"


def test_slips_are_honest_and_only_hit_long_words_without_digits():
    rng = random.Random(9)
    source = FREE.split()
    seen = Counter()
    for p in (1.0, 0.5, 0.2):
        for _ in range(500):
            text, typo = heldout_e._slips(rng, FREE, p)
            words = text.split()
            assert len(words) == len(source)
            changed = [(s, w) for s, w in zip(source, words) if s != w]
            assert typo == bool(changed), text
            assert len(changed) <= 2
            for s, w in changed:
                core = s.rstrip(",")
                assert core.isalpha() and len(core) >= 5, (s, w)
                assert _is_one_edit(core, w.rstrip(",")), (s, w)
            assert "SE15 4QF" in text and " 12 " in text and " 36 " in text and text.startswith("o/s")
            seen[typo] += 1
    assert seen[True] and seen[False]
    assert heldout_e._slips(rng, "SE15 4QF nr", 1.0) == ("SE15 4QF nr", False)    # nothing to slip on


def test_a_cut_keeps_every_name_and_most_of_the_last_and_never_cuts_a_postcode():
    m, pc = heldout_e._mark, heldout_e._mark_pc
    s = f"o/s {m('The Albert')} nr the bus stop and the cashpoint"
    assert heldout_e._cut(s, None) == ("o/s The Albert nr the bus stop and the cashpoint", False)
    assert heldout_e._cut(s, 100) == ("o/s The Albert nr the bus stop and the cashpoint", False)
    assert heldout_e._cut(s, 25) == ("o/s The Albert nr the bus", True)
    assert heldout_e._cut(s, 23) == ("o/s The Albert nr the b", True)             # mid-word
    assert heldout_e._cut(s, 12) == ("o/s The Albe", True)                         # 60% of the name kept
    assert heldout_e._cut(s, 9)[1] is False                                         # too little of it left
    two = f"{m('Tesco')} on {m('Coldharbour Lane')}"
    assert heldout_e._cut(two, 20) == ("Tesco on Coldharbour", True)
    assert heldout_e._cut(two, 8)[1] is False                                       # would drop a name
    p = f"nr {pc('SE15 4QF')} - exact address nk"
    assert heldout_e._cut(p, 12) == ("nr SE15 4QF", True)
    assert heldout_e._cut(p, 9)[1] is False


def test_each_site_has_its_own_export_and_sites_differ():
    rng = random.Random(1)
    codes = [f"R{i:03d}" for i in range(60)]
    styles = [heldout_e._site_style(c, rng) for c in codes]
    assert styles == [heldout_e._site_style(c, rng) for c in codes]
    assert len({s["vocab"] for s in styles}) == 4 and len({s["sep"] for s in styles}) >= 6
    assert {s["length"] for s in styles} >= {None, 30, 35, 40}
    assert any(s["html"] for s in styles) and any(s["csv"] for s in styles)
    assert {s["pc_field"] for s in styles} == {None, "field", "label"}


def test_the_export_glues_category_text_and_postcode_and_escapes_like_the_sites_do():
    rng = random.Random(3)
    base = {"vocab": "symphony", "sep": " - ", "csv": False, "length": None, "html": False, "pc_field": None,
            "placeholder": "NULL", "upper": False, "pc_label": "PC: "}
    rows = [heldout_e._export(rng, base, "street", "brixton rd nr the ritzy", None) for _ in range(400)]
    assert all(r.strip('"').endswith("Street/Road - brixton rd nr the ritzy") for r in rows)
    assert any(r.startswith("Street/Road - Street/Road - ") for r in rows)       # the category repeated
    assert any(r.startswith('"') or r.endswith('"') for r in rows)                # stray quotes
    field = dict(base, sep=" | ", pc_field="field")
    assert heldout_e._export(random.Random(4), field, "licensed", "The Albert", None).strip('"') \
        .endswith("Licensed premises | The Albert | NULL")
    assert "| SE15 4QF" in heldout_e._export(random.Random(4), field, "street", "rye lane", "SE15 4QF")
    label = dict(base, pc_field="label", pc_label="PC: ")
    assert heldout_e._export(random.Random(5), label, "home", "", "se154qf").strip('"') \
        .endswith("PC: se154qf")
    page = dict(base, html=True)
    r = heldout_e._export(random.Random(6), page, "hospital", "King's College Hospital A&E", None)
    assert "&amp;" in r and ("&#39;" in r or "&#x27;" in r) and "'" not in r
    assert html.unescape(r).strip('"').endswith("King's College Hospital A&E")
    csv = dict(base, sep=",", csv=True)
    r = heldout_e._export(random.Random(7), csv, "licensed", 'the "albert", brixton', None)
    assert 'Licensed premises,"the ""albert"", brixton"' in r
    upper = dict(base, vocab="caps", upper=True)
    assert heldout_e._export(random.Random(8), upper, "park", "brockwell park", None).strip('"') \
        .endswith("PARK - BROCKWELL PARK")


def test_rendering_never_slips_in_the_category_or_a_postcode():
    rng = random.Random(11)
    style = {"vocab": "ecds", "sep": "; ", "csv": False, "length": 40, "html": False, "pc_field": "label",
             "placeholder": "N/A", "upper": False, "pc_label": "PC: "}
    typos = 0
    for _ in range(500):
        free = f"opposite {heldout_e._mark('Camberwell Green')} nr {heldout_e._mark_pc('SE5 7BB')}"
        text, typo = heldout_e._render(rng, style, "street", free, "SE5 7BB", 0.6)
        assert text.strip('"').startswith("Street or highway; ")
        assert text.lower().count("se5 7bb") == 2 and text.rstrip('"').endswith("PC: SE5 7BB")
        typos += typo
        if not typo:
            assert "camberwell green" in text.lower()
    assert 200 < typos < 400


def test_names_are_typed_as_receptionists_type_them():
    rng = random.Random(2)
    forms = {heldout_e._name(rng, "The King's Head") for _ in range(300)}
    assert forms == {"The King's Head", "The Kings Head", "King's Head", "Kings Head"}
    assert {heldout_e._name(rng, "Bexley Charcoal Grill Ltd") for _ in range(50)} == {"Bexley Charcoal Grill"}
    assert heldout_e._station("London Victoria") == "Victoria"
    assert heldout_e._station("London Bridge LU") == "London Bridge"
    assert heldout_e._station("Hammersmith (Dist&Picc Line)") == "Hammersmith"
    assert heldout_e._station("BECKTON PARK - DLR") == "Beckton Park"
    assert heldout_e._station("London Fields") == "London Fields"
    assert {heldout_e._street(rng, "Rye Lane", 0) for _ in range(50)} == {"Rye Lane"}
    assert {heldout_e._street(rng, "Coldharbour Road") for _ in range(300)} == \
        {"Coldharbour Road", "Coldharbour rd", "Coldharbour Rd", "Coldharbour rd."}
    pcs = {heldout_e._pc(rng, "SE15 4QF") for _ in range(400)}
    assert pcs == {"se15 4qf", "se154qf", "SE15 4QF", "SE154QF"}


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    E = heldout_e
    assert len(set(E.NON_PLACES)) >= 80 and len(set(E.DWELLING)) >= 20 and len(set(E.HOME_TEXT)) >= 20
    assert len(set(E.UNKNOWN)) >= 20 and len(set(E.HOSPITAL_HERE_TEXT)) >= 15
    assert len(set(E.STATION_TEXT)) >= 12 and len(set(E.JUNCTION_TEXT)) >= 12
    assert len(set(E.STREET_TEXT)) >= 15
    assert not set(E.NON_PLACES) & set(E.UNKNOWN) and not set(E.NON_PLACES) & set(E.DWELLING)
    for vocab in E.VOCABS.values():
        assert set(vocab) == set(E.VOCABS["symphony"])
    for cat, t in [*E.NON_PLACES, *E.DWELLING, *E.UNKNOWN, *[("home", h) for h in E.HOME_TEXT]]:
        assert cat in E.VOCABS["symphony"]
        assert not re.search(r"\b[a-z]{1,2}[0-9]", t.lower()), t
        assert not re.search(r"\b[A-Z][a-z]", t), t                      # no capitalised names


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def epr_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return heldout_e.generate(conn, 900), heldout_e.generate(conn, 900)


def _squash(s: str) -> str:
    """Entities decoded, lower case, no spaces, quotes or punctuation."""
    return re.sub(r"[^a-z0-9&]", "", html.unescape(s).lower())


def _named(name_sq: str, text: str) -> bool:
    """The name is in the text, or (the field cut off) at least 60% of it."""
    t = _squash(text)
    keep = -(-len(name_sq) * 3 // 5)
    return any(name_sq[:k] in t for k in range(len(name_sq), keep - 1, -1))


def _core(name: str) -> str:
    s = _squash(heldout_e._LTD.sub("", _clean_name(name)))
    return s[3:] if s.startswith("the") and len(s) > 6 else s


def _stem(name: str) -> str:
    return re.sub(r"(road|street|avenue|lane|grove)$", "", _core(name))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_epr_family_is_reproducible_and_labelled_like_the_others(epr_set, gconn):
    from safestats.geocoding import heldout, heldout_b, heldout_c, heldout_d, independent
    a, b = epr_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    taken = {"gen", "blind", heldout.FAMILY, heldout_b.FAMILY, heldout_c.FAMILY, heldout_d.FAMILY,
             *independent.FAMILIES}
    assert {e.family for e in a} == {heldout_e.FAMILY} and heldout_e.FAMILY not in taken
    assert heldout_e.SEED not in {heldout.SEED, heldout_b.SEED, heldout_c.SEED, heldout_d.SEED,
                                  *independent.SEEDS.values()}
    assert abs(sum(heldout_e.SHARES.values()) - 1) < 1e-9
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * heldout_e.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * heldout_e.SHARES["chain"], cls
    assert cls["junction"] >= 0.5 * 900 * heldout_e.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    for e in no_place:                                   # no postcode in a text that names no place
        assert not re.search(r"\b[a-z]{1,2}[0-9]", html.unescape(e.text).lower()), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.12 < sum(e.typo for e in a) / len(a) < 0.3
    upper = sum(e.text == e.text.upper() for e in a) / len(a)
    assert 0.02 < upper < 0.3
    texts = [e.text for e in a]
    assert any("&amp;" in t for t in texts) and any("&#39;" in t for t in texts)
    assert any('""' in t for t in texts) and any(re.search(r"\b(NULL|N/A)\b", t) for t in texts)
    # placed texts with the postcode field filled in (the slice holds the units of a few districts only)
    assert sum(bool(re.search(r"\b[a-z]{1,2}[0-9]{1,2}[a-z]? ?[0-9][a-z]{2}\b", t.lower()))
               for e, t in zip(a, texts) if e.cls not in ("postcode",) and e.cls not in NO_PLACE) >= 5


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("ED waiting area")."""
    name = gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s",
                         (e.feature_id,)).fetchone()[0]
    core = re.sub(r"university|hospital|hosp", "", _core(name))
    return not e.typo and core[:6] not in _squash(re.sub(r"(?i)university|hospital|hosp", "", e.text))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(epr_set, gconn):
    a, _ = epr_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_epr_truths_are_the_places_named(epr_set, gconn):
    from safestats.geocoding.independent import CHAINS
    a, _ = epr_set
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
                assert _named(_core(name), e.text), e
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            if not e.typo:
                assert any(_named(_squash(c), e.text) for c in heldout_e.CHAIN_NAMES[brand]), e
            if e.cls == "chain, no locality":
                assert not re.search(r"\b[a-z]{1,2}[0-9]", html.unescape(e.text).lower()), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
        elif e.cls == "station":
            assert kind == "station", e
            if not e.typo:
                assert _named(_squash(heldout_e._station(name)), e.text), e
        else:
            raise AssertionError(e)
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text gives, in full
        if e.cls in ("postcode", "sector", "district"):
            col = {"postcode": "display", "sector": "sector", "district": "district"}[e.cls]
            named = gconn.execute(f"SELECT {col} FROM gazetteer.postcode "
                                  "WHERE ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y)).fetchall()
            assert any(_squash(n) in _squash(e.text) for (n,) in named), e
        # streets: a point of the street, the street named; wards: a point inside the ward, named
        if e.cls == "street":
            d, name = gconn.execute(
                "SELECT ST_Distance(coalesce(extent, geom), "
                "ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), "
                "name FROM gazetteer.feature WHERE feature_id = %s AND level = 'street'",
                (e.x, e.y, e.feature_id)).fetchone()
            assert d < 1e-6, e
            if not e.typo:
                assert _named(_stem(name), e.text), e
        if e.cls == "area":
            inside, name = gconn.execute(
                "SELECT bool_or(ST_Intersects(w.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))), "
                "min(f.name) FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
                "AND w.code = f.source_key WHERE f.feature_id = %s", (e.x, e.y, e.feature_id)).fetchone()
            assert inside, e
            if not e.typo:
                assert _named(_core(name), e.text), e
        # junctions: the truth is a bus stop named after the two streets the text gives
        if e.cls == "junction":
            names = [n for (n,) in gconn.execute(
                "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                "AND ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y))]
            assert names, e
            if not e.typo:
                assert any(all(_named(_stem(p), e.text) for p in n.split("/")) for n in names), e
