"""The ``crew`` held-out family (safestats.geocoding.heldout_c): its noise (no database needed), and its
generator on the geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the
other families, each class near its share, every truth the place its text names. The geocoder is never
run here."""
from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from safestats import db
from safestats.geocoding import heldout_c

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}


# --- noise, no database -------------------------------------------------------------------------------

def _one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter left out, doubled, replaced, or two neighbours swapped."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(b[:i] + b[i + 1:] == a and b[i] == b[i - 1 if i else 1] for i in range(len(b)))
    if len(b) == len(a):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    return False


def test_a_typo_is_one_edit_and_never_the_word_itself():
    rng = random.Random(11)
    for w in ("camberwell", "Peckham", "LEWISHAM", "barriers", "aaaaa", "Stn"):
        for _ in range(300):
            t = heldout_c._crew_typo(rng, w)
            assert t != w and _one_edit(w, t), (w, t)


def test_typos_reach_both_ends_and_the_middle_and_use_every_kind_of_edit():
    rng = random.Random(12)
    w = "brixton"
    typos = [heldout_c._crew_typo(rng, w) for _ in range(600)]
    assert any(t[0] != "b" for t in typos) and any(t[-1] != "n" for t in typos)
    assert any(t[0] == "b" and t[-1] == "n" and t != w for t in typos)
    assert {len(t) - len(w) for t in typos} == {-1, 0, 1}
    swaps = [t for t in typos if sorted(t) == sorted(w) and t != w]
    slips = [t for t in typos if len(t) == len(w) and sorted(t) != sorted(w)]
    assert swaps and slips


def test_key_slips_land_on_touching_keys_and_keep_case():
    assert set(heldout_c._near_keys("s")) == {"a", "d", "w", "e", "z", "x"}
    assert set(heldout_c._near_keys("Q")) == {"W", "A"}
    assert set(heldout_c._near_keys("m")) == {"n", "j", "k"}
    assert heldout_c._near_keys("é") == [] and heldout_c._near_keys("4") == []


def test_noise_never_touches_postcodes_numbers_or_short_words_and_flags_real_typos():
    source = "pt found o/s 12 Peckham High St SE15 4QF, nr SE154 and plat 2 - PD on scene"
    clean = {w.strip(".-?!/") for w in re.split(r"[\s,:;]+", source.lower())}

    def run(seed):
        rng = random.Random(seed)
        return [heldout_c._crew_noise(rng, source, 0.6) for _ in range(400)]
    a = run(5)
    assert a == run(5)
    seen_typo = False
    for text, typo in a:
        low = text.lower()
        assert "se15 4qf" in low and "se154" in low and " 12 " in low and "plat 2" in low, text
        words = [w.strip(".-?!/") for w in re.split(r"[\s,:;]+", low)]
        changed = [w for w in words if w and w not in clean]
        assert typo == bool(changed), (text, typo)
        for w in changed:
            assert len(w) >= 4 and any(_one_edit(c, w) for c in ("found", "peckham", "scene")), (text, w)
        seen_typo |= typo
    assert seen_typo
    assert any(t.isupper() for t, _ in a) and any(t == t.lower() for t, _ in a)
    assert any(re.search(r",\S", t) for t, _ in a) and any(re.search(r", ", t) for t, _ in a)
    assert all(t.strip() == t for t, _ in a)


def test_postcodes_only_gain_or_lose_a_space():
    rng = random.Random(3)
    forms = {heldout_c._postcode(rng, "SE15 4QF") for _ in range(300)}
    assert forms == {"SE15 4QF", "SE154QF", "SE 15 4QF"}
    assert {heldout_c._postcode(rng, "N1 9GU") for _ in range(300)} == {"N1 9GU", "N19GU", "N 1 9GU"}


def test_enough_distinct_phrasings_per_class():
    assert len(set(heldout_c.NON_PLACES)) >= 60 and len(set(heldout_c.FRIEND_OR_RELATIVE)) >= 10
    assert len(set(heldout_c.HOME_FORMS)) >= 15 and len(set(heldout_c.UNKNOWN_FORMS)) >= 15
    assert len(set(heldout_c.HOSPITAL_ROOMS)) >= 15 and len(set(heldout_c.STATION_FORMS)) >= 15
    assert len(set(heldout_c.JUNCTION_FORMS)) >= 12
    no_place = set(heldout_c.NON_PLACES) | set(heldout_c.FRIEND_OR_RELATIVE) | set(heldout_c.HOME_FORMS)
    assert not no_place & set(heldout_c.UNKNOWN_FORMS)


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def crew_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return heldout_c.generate(conn, 900), heldout_c.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_crew_family_is_reproducible_and_labelled_like_the_others(crew_set, gconn):
    from safestats.geocoding import heldout, heldout_b, independent
    a, b = crew_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.typo) for e in b]
    taken = {"gen", "blind", heldout.FAMILY, heldout_b.FAMILY, *independent.FAMILIES}
    assert {e.family for e in a} == {heldout_c.FAMILY} and heldout_c.FAMILY not in taken
    assert heldout_c.SEED not in {heldout.SEED, heldout_b.SEED, *independent.SEEDS.values()}
    assert abs(sum(heldout_c.SHARES.values()) - 1) < 1e-9
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * heldout_c.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * heldout_c.SHARES["chain"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.feature_id is None and e.level in ("none", "home") for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.1 < sum(e.typo for e in a) / len(a) < 0.7


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_crew_truths_are_the_places_named(crew_set, gconn):
    a, _ = crew_set
    # venues, chains, hospitals, stations: the feature's own point
    for e in a:
        if e.level == "venue":
            x, y = gconn.execute("SELECT ST_X(geom), ST_Y(geom) FROM gazetteer.feature WHERE feature_id = %s",
                                 (e.feature_id,)).fetchone()
            assert (x, y) == (e.x, e.y), e
    # postcodes and sectors: a unit of the postcode / sector the text gives, written with or without space
    for e in a:
        if e.cls in ("postcode", "sector", "district"):
            col = {"postcode": "display", "sector": "sector", "district": "district"}[e.cls]
            named = gconn.execute(f"SELECT {col} FROM gazetteer.postcode "
                                  "WHERE ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y)).fetchall()
            squashed = e.text.replace(" ", "").lower()
            assert any(n.replace(" ", "").lower() in squashed for (n,) in named), e
    # streets: a point of the street; wards: a point inside the ward
    for e in a:
        if e.cls == "street":
            d = gconn.execute("SELECT ST_Distance(coalesce(extent, geom), ST_SetSRID(ST_MakePoint(%s, %s), "
                              "ST_SRID(geom))) FROM gazetteer.feature WHERE feature_id = %s",
                              (e.x, e.y, e.feature_id)).fetchone()[0]
            assert d < 1e-6, e
        if e.cls == "area":
            inside = gconn.execute("SELECT bool_or(ST_Intersects(w.geom, "
                                   "ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))) "
                                   "FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
                                   "AND w.code = f.source_key WHERE f.feature_id = %s",
                                   (e.x, e.y, e.feature_id)).fetchone()[0]
            assert inside, e
