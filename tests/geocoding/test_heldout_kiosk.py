"""The ``kiosk`` held-out family (safestats.geocoding.heldout_d): its phone-typing noise (no database
needed), and its generator on the geocoding tests' slice of the gazetteer (conftest.py): reproducible,
labelled like the other families, each class near its share, every truth the place its text names. The
geocoder is never run here."""
from __future__ import annotations

import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_d

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}


# --- noise, no database -------------------------------------------------------------------------------

def _is_one_edit(a: str, b: str) -> bool:
    """b is a with one letter dropped, one letter doubled, one letter replaced, or two neighbours swapped."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(a[:i] + a[i] + a[i:] == b for i in range(len(a)))
    if len(b) != len(a) or a == b:
        return False
    diff = [i for i, (p, q) in enumerate(zip(a, b)) if p != q]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def test_a_phone_typo_is_one_edit_and_never_the_word_itself():
    rng = random.Random(21)
    for w in ("peckham", "Brixton", "WALWORTH", "aaaaa", "station", "mcdonalds", "sainsburys"):
        for _ in range(400):
            t = heldout_d._phone_typo(rng, w)
            assert t != w and _is_one_edit(w, t), (w, t)


def test_phone_typos_reach_first_and_last_letters_and_use_every_edit():
    rng = random.Random(22)
    w = "camberwell"
    typos = [heldout_d._phone_typo(rng, w) for _ in range(1500)]
    assert any(t[0] != "c" for t in typos) and any(t[-1] != "l" or len(t) != len(w) for t in typos)
    assert any(len(t) == len(w) and t[-1] != "l" for t in typos)
    assert {len(t) - len(w) for t in typos} == {-1, 0, 1}
    same_len = [t for t in typos if len(t) == len(w)]
    assert any(sorted(t) == sorted(w) for t in same_len)                      # swaps
    assert any(sorted(t) != sorted(w) for t in same_len)                      # key slips


def test_key_slips_land_on_touching_phone_keys_and_keep_case():
    assert set(heldout_d._phone_neighbours("s")) == {"a", "d", "w", "e", "z"}
    assert set(heldout_d._phone_neighbours("q")) == {"w", "a"}
    assert set(heldout_d._phone_neighbours("B")) == {"V", "N", "H"}
    assert heldout_d._phone_neighbours("7") == [] and heldout_d._phone_neighbours("&") == []
    rng = random.Random(5)
    for _ in range(300):
        t = heldout_d._phone_typo(rng, "LEWISHAM")
        assert t == t.upper(), t


SOURCE = "got jumped outside 12 rye lane near se15 4qf by the 36 bus and walking home"


def _runs(seed: int, p: float = 0.6):
    rng = random.Random(seed)
    return [heldout_d._phone_noise(rng, SOURCE, p) for _ in range(600)]


def test_noise_is_reproducible_and_never_touches_postcodes_or_numbers():
    a = _runs(9)
    assert a == _runs(9)
    for text, _ in a:
        low = text.lower()
        assert "se15 4qf" in low and re.search(r"\b12\b", low) and re.search(r"\b36\b", low), text
        assert text.strip() == text and "  " not in text
    assert any(t.isupper() for t, _ in a) and any(t == t.lower() for t, _ in a)
    assert any(t[0].isupper() and not t.isupper() for t, _ in a)
    assert any(t.endswith(("!", "?", ".")) for t, _ in a)


def test_typo_flag_is_honest_and_typos_only_hit_long_words():
    source = SOURCE.split()
    seen = Counter()
    for text, typo in _runs(10):
        words = text.lower().rstrip("!?.").split()
        doubled_word = any(a == b for a, b in zip(words, words[1:])) or \
            any(len(w) % 2 == 0 and w[:len(w) // 2] == w[len(w) // 2:] for w in words)
        if len(words) == len(source) and not doubled_word:  # no word doubled, no space lost
            changed = [(s, w) for s, w in zip(source, words) if s != w]
            assert typo == bool(changed), (text, typo)
            assert len(changed) <= 2, text
            for s, w in changed:
                assert s.isalpha() and len(s) >= 5 and _is_one_edit(s, w), (text, s, w)
            seen[typo] += 1
        # whatever else happened, the letters are the source's unless a typo was flagged
        squashed = "".join(words)
        doubled = ["".join(source[:i + 1] + source[i:]) for i in range(len(source))]
        best = min(_distance(squashed, c) for c in ["".join(source), *doubled])
        assert (best == 0) if not typo else (1 <= best <= 4), (text, typo, best)
    assert seen[True] and seen[False]
    assert any(len(t.rstrip("!?.").split()) < len(source) for t, _ in _runs(11))   # a lost space
    assert any(len(t.rstrip("!?.").split()) > len(source) for t, _ in _runs(12))   # a word typed twice


def test_postcodes_are_typed_only_in_another_case_or_without_their_space():
    rng = random.Random(4)
    forms = {heldout_d._pc_typed(rng, "SE15 4QF") for _ in range(400)}
    assert forms == {"se15 4qf", "se154qf", "SE15 4QF", "SE154QF"}


def test_names_are_typed_as_patients_type_them():
    assert heldout_d._typed("McDonald's Restaurants Ltd") == "mcdonalds restaurants"
    assert heldout_d._typed("St Thomas' Hospital") == "st thomas hospital"
    assert heldout_d._station_typed("London Victoria") == "victoria"
    assert heldout_d._station_typed("London Bridge LU") == "london bridge"
    assert heldout_d._station_typed("Hammersmith (Dist&Picc Line)") == "hammersmith"
    assert heldout_d._station_typed("London Fields") == "london fields"
    rng = random.Random(1)
    assert {heldout_d._street_typed(rng, "Rye Lane") for _ in range(50)} == {"rye lane"}
    assert {heldout_d._street_typed(rng, "Coldharbour Road") for _ in range(200)} == \
        {"coldharbour road", "coldharbour rd"}


def test_enough_distinct_phrasings_per_class():
    assert len(set(heldout_d.NON_PLACES)) >= 100 and len(set(heldout_d.FRIEND_OR_RELATIVE)) >= 15
    assert len(set(heldout_d.HOME_FORMS)) >= 20 and len(set(heldout_d.UNKNOWN_FORMS)) >= 20
    assert len(set(heldout_d.HOSPITAL_ED)) >= 15 and len(set(heldout_d.STATION_FORMS)) >= 15
    assert len(set(heldout_d.JUNCTION_FORMS)) >= 12 and len(set(heldout_d.STREET_FORMS)) >= 15
    no_place = set(heldout_d.NON_PLACES) | set(heldout_d.FRIEND_OR_RELATIVE) | set(heldout_d.HOME_FORMS)
    assert not no_place & set(heldout_d.UNKNOWN_FORMS)
    assert not set(heldout_d.NON_PLACES) & (set(heldout_d.FRIEND_OR_RELATIVE) | set(heldout_d.HOME_FORMS))
    # non-places and homes never carry a postcode-like token or a capitalised name
    for t in no_place:
        assert t == t.lower() and not re.search(r"\b[a-z]{1,2}[0-9]", t), t


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def kiosk_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return heldout_d.generate(conn, 900), heldout_d.generate(conn, 900)


def _squash(s: str) -> str:
    """Lower case, no spaces or punctuation; a word typed twice (with or without the space) once."""
    words = []
    for w in s.lower().split():
        half = len(w) // 2
        if len(w) % 2 == 0 and half >= 2 and w[:half] == w[half:] and w.isalpha():
            w = w[:half]
        if not words or words[-1] != w:
            words.append(w)
    return re.sub(r"[^a-z0-9&]", "", "".join(words))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_kiosk_family_is_reproducible_and_labelled_like_the_others(kiosk_set, gconn):
    from safestats.geocoding import heldout, heldout_b, heldout_c, independent
    a, b = kiosk_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    taken = {"gen", "blind", heldout.FAMILY, heldout_b.FAMILY, heldout_c.FAMILY, *independent.FAMILIES}
    assert {e.family for e in a} == {heldout_d.FAMILY} and heldout_d.FAMILY not in taken
    assert heldout_d.SEED not in {heldout.SEED, heldout_b.SEED, heldout_c.SEED, *independent.SEEDS.values()}
    assert abs(sum(heldout_d.SHARES.values()) - 1) < 1e-9
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * heldout_d.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * heldout_d.SHARES["chain"], cls
    assert cls["junction"] >= 0.5 * 900 * heldout_d.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.1 < sum(e.typo for e in a) / len(a) < 0.5
    lower = sum(e.text == e.text.lower() for e in a) / len(a)
    assert 0.5 < lower < 0.9


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(kiosk_set, gconn):
    a, _ = kiosk_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: bool(re.search(r"\bhere\b", e.text.lower())),
                                         min_here=0)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_kiosk_truths_are_the_places_named(kiosk_set, gconn):
    from safestats.geocoding.independent import CHAINS
    a, _ = kiosk_set
    here = 0
    for e in a:
        if e.level != "venue":
            continue
        row = gconn.execute("SELECT ST_X(geom), ST_Y(geom), kind, name, norm FROM gazetteer.feature "
                            "WHERE feature_id = %s", (e.feature_id,)).fetchone()
        assert row is not None, e
        x, y, kind, name, norm = row
        assert (x, y) == (e.x, e.y), e
        text = _squash(e.text)
        if e.cls == "venue":
            assert kind in ("venue", "pub", "park"), e
            assert gconn.execute("SELECT count(*) FROM gazetteer.feature WHERE level = 'venue' AND norm = %s",
                                 (norm,)).fetchone()[0] == 1, e
            if not e.typo:
                assert _squash(heldout_d._typed(name)) in text, e
        elif e.cls.startswith("chain"):
            assert kind == "venue" and norm.split()[0] in CHAINS, e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if re.search(r"\bhere\b", e.text.lower()):
                here += 1
            elif not e.typo:
                core = re.sub(r"^the|university|hospital|hosp", "", _squash(heldout_d._typed(name)))
                assert re.sub(r"university|hospital|hosp", "", text).find(
                    re.sub(r"university|hospital|hosp", "", core)) >= 0, e
        elif e.cls == "station":
            assert kind == "station", e
            if not e.typo:
                assert re.search(r"station|tube|overground|dlr|tram", e.text.lower()), e
                assert _squash(heldout_d._station_typed(name)) in text, e
        else:
            raise AssertionError(e)
    assert here >= 3
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text gives
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
                stem = re.sub(r"(road|street|avenue)$", "", _squash(heldout_d._typed(name)))
                assert stem in _squash(e.text), e
        if e.cls == "area":
            inside, name = gconn.execute(
                "SELECT bool_or(ST_Intersects(w.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))), "
                "min(f.name) FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
                "AND w.code = f.source_key WHERE f.feature_id = %s", (e.x, e.y, e.feature_id)).fetchone()
            assert inside, e
            if not e.typo:
                assert _squash(heldout_d._typed(name)) in _squash(e.text), e
        # junctions: the truth is a bus stop named after the two streets the text gives
        if e.cls == "junction":
            names = [n for (n,) in gconn.execute(
                "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                "AND ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y))]
            assert names, e
            if not e.typo:
                def stem(part):
                    return re.sub(r"(road|street|avenue)$", "", _squash(heldout_d._typed(part)))
                assert any(all(stem(p) in _squash(e.text) for p in n.split("/")) for n in names), e
