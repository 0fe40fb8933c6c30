"""The ``interp`` held-out family (safestats.geocoding.heldout_h): names as a patient with limited English
says them (a leading "the" dropped, a road / park word said first), names heard and spelt by their sound,
postcodes spelt out or misheard, the interpreter's framing (no database needed), and its generator on the
geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the other families, each
class near its share, every truth the place its text names, ``typo`` honest. The geocoder is never run
here."""
from __future__ import annotations

import importlib
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_h as H
from safestats.geocoding.independent import CHAINS, _clean_name

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_NUMBERS = {w: str(i) for i, w in enumerate(H.DIGIT_WORDS)} | {w: str(k) for k, w in H.TEEN_WORDS.items()}
FRAME_MARK = re.compile(r"(?i)interp|patient say|pt say|pt said|pt speaks|pt explains|language line|"
                        r"lang line|limited eng|little english|poor english|translat|"
                        r"\b(he|she|they|pt) (was|say)\b|says it happen|says happened")


def _alnum(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def _canon(s: str) -> str:
    """Lower case, no spaces, apostrophes or punctuation."""
    return "".join(_alnum(s.replace("’", "").replace("'", "")))


def _core_words(name: str) -> list[str]:
    """A name's words as the patient may give them: no company suffix, a leading "The" of a name of two
    words or more may be left off (as the generator's _said does)."""
    words = H._SUFFIX.sub("", _clean_name(name)).split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return words


def _named(name: str, text: str) -> bool:
    """The name is in the text, in its order or (a trailing road / park / hospital word) with that word said
    first ("road Old Kent", "park of Burgess"), as _said may put it."""
    words, t = _core_words(name), _canon(text)
    if _canon(" ".join(words)) in t:
        return True
    return (len(words) > 1 and words[-1].lower() in H.TURNABLE and _canon(" ".join(words[:-1])) in t
            and _canon(words[-1]) in t)


def _unspell(text: str) -> str:
    """The text with spelt-out postcodes read back: "double x" -> "x x", number words -> figures, then lower
    case letters and digits only ("S E one five, four Q F" -> "se154qf")."""
    s = re.sub(r"(?i)\bdouble (\w+)", r"\1 \1", text)
    s = re.sub(r"(?i)\b[a-z]+\b", lambda m: _NUMBERS.get(m.group(0).lower(), m.group(0)), s)
    return "".join(_alnum(s))


def _has_postcode(pc: str, text: str, exact: bool) -> bool:
    """The postcode is in the text, said or spelt out, letter for letter, or (``exact`` false) with one
    letter heard as one that sounds alike."""
    pc, t = "".join(_alnum(pc)), _unspell(text)
    if exact:
        return pc in t
    return any(re.search(pc[:i] + f"[{c}{H.HEAR_PC.get(c.upper(), '').lower()}]" + pc[i + 1:], t)
               for i, c in enumerate(pc))


# --- what the patient says, no database -----------------------------------------------------------------

def test_names_are_said_with_the_patients_word_order():
    rng = random.Random(3)
    assert {H._said(rng, "The King's Head") for _ in range(200)} == {"The King's Head", "King's Head"}
    assert {H._said(rng, "The King's Head", drop_the=0.0) for _ in range(50)} == {"The King's Head"}
    turned = {H._said(rng, "Old Kent Road", turn=1.0) for _ in range(300)}
    assert turned == {"road Old Kent", "road of Old Kent", "the road Old Kent", "the road of Old Kent"}
    assert {H._said(rng, "Old Kent Road") for _ in range(50)} == {"Old Kent Road"}
    assert {H._said(rng, "Rye Lane", turn=0.5) for _ in range(200)} >= {"Rye Lane", "lane Rye"}
    assert H._said(rng, "Kiln Place Ltd", drop_the=0.0) == "Kiln Place"
    assert H._said(rng, "Nice Food (UK) Limited", drop_the=0.0) == "Nice Food UK"
    assert H._said(rng, "Burgess Park (Southwark)", drop_the=0.0) == "Burgess Park Southwark"
    assert H._said(rng, "THE DOG AND BELL", drop_the=0.0) == "The Dog And Bell"
    assert H._said(rng, "Ace Cafe t/a Bob's Grill", drop_the=0.0) == "Ace Cafe"
    assert H._stn_name("London Victoria") == "Victoria"
    assert H._stn_name("London Bridge LU") == "London Bridge"
    assert H._stn_name("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert H._stn_name("Paddington (H&C Line)") == "Paddington"
    assert H._stn_name("Peckham Rye Rail Station") == "Peckham Rye"
    assert H._stn_name("London Fields") == "London Fields"
    assert H._mode("naptan_rail", None, None, "Erith") == "rail"
    assert H._mode("tfl_stations_2022", "London Underground", "Metropolitan", "Northwood") == "tube"
    assert H._mode("tfl_stations_2022", None, "London Overground", "Kensal Rise") == "overground"
    assert H._mode("tfl_stations_2018", None, None, "WEST SILVERTOWN - DLR") == "dlr"
    assert H._ward_fine("Peckham") and not H._ward_fine("Nunhead and Queen's Road")
    assert not H._ward_fine("North Bermondsey") and not H._ward_fine("A Place With Four Words")


def test_names_heard_by_their_sound():
    rng = random.Random(4)
    heard = {w: {H._by_sound(rng, w) for _ in range(2000)} for w in ("Leicester", "Peckham", "Sainsbury",
                                                                     "Kennington", "Holborn", "Whitechapel")}
    assert "Leesester" in heard["Leicester"] and "Peckam" in heard["Peckham"]
    assert "Sansbury" in heard["Sainsbury"] and "Kenington" in heard["Kennington"]
    assert "Olborn" in heard["Holborn"] and "Witechapel" in heard["Whitechapel"]
    assert sum(len(got) for got in heard.values()) > 20, heard
    for w, got in heard.items():
        assert all(g[:1].isupper() and len(_canon(g)) >= 3 for g in got), got
        assert sum(_canon(g) != _canon(w) for g in got) >= len(got) - 1, got
    for w in ("KFC", "Rye", "St", "SE15", "A&E"):                 # acronyms, short words, codes: as said
        assert {H._by_sound(rng, w) for _ in range(100)} == {w}
    assert {H._by_sound(rng, "Queen's") for _ in range(300)} >= {"Kween's", "Quin's"}


def test_every_sound_rule_changes_the_letters():
    words = ["leicester", "peckham", "sainsbury", "kennington", "holborn", "whitechapel", "brixton", "queens",
             "phoenix", "thornton", "wood", "south", "down", "church", "borough", "station", "greenwich",
             "lane", "knight", "blackheath", "square", "jubilee", "shaw", "bay", "vale", "tottenham", "high",
             "mersea", "boots", "market", "lewisham", "camberwell", "rose", "heath", "walworth", "bermondsey",
             "evelyn", "field", "culture"]
    for pat, rep in H.SOUND_RULES:
        hits = 0
        for w in words:
            for m in re.finditer(pat, w):
                hits += 1
                assert w[:m.start()] + m.expand(rep) + w[m.end():] != w, (pat, w)
        assert hits, pat


def test_postcodes_are_spelt_out_and_read_back():
    rng = random.Random(5)
    forms = Counter()
    for pc in ("SE15 4QF", "SE1 1AA", "W1T 3AB", "CR0 2YY", "SE20 7HH", "SW9 9", "SE11", "W11 4AB", "N8 0XQ"):
        for _ in range(200):
            said = H._spell(rng, pc)
            assert _unspell(said) == _canon(pc), (pc, said)
            assert not re.search(r"[a-z][A-Z]|[A-Z]{2}", said), said              # letters one by one
            forms[pc, said] += 1
    spelt = {s for _, s in forms}
    assert "S E one five four Q F" in spelt and "S E fifteen four Q F" in spelt
    assert any("double A" in s for s in spelt) and any("double one" in s for s in spelt)
    assert any("twenty" in s for s in spelt) and any("," in s for s in spelt)
    assert any(re.search(r"[0-9]", s) for s in spelt)


SOURCE = f"near to {H._n('Old Kent Road')} by {H._n('Peckham Rye')} station, {H._p('SE15 4QF')}"
NAME_WORDS = Counter(_alnum("Old Kent Road Peckham Rye"))


def test_hearing_is_honest_a_word_changes_exactly_when_typo_is_set():
    rng = random.Random(9)
    seen = Counter()
    for p in (1.0, 0.5, 0.15, 0.0):
        for _ in range(600):
            text, typo = H._hear(rng, SOURCE, p)
            intact = Counter(_alnum(text)) >= NAME_WORDS and _has_postcode("SE15 4QF", text, exact=True)
            assert typo == (not intact), (text, typo)
            assert _has_postcode("SE15 4QF", text, exact=False), text
            assert text.startswith("near to ") and " station" in text and "  " not in text, text
            seen[p, typo] += 1
            seen["spelt"] += re.search(r"\b(four|4),? Q [A-Z]\b", text) is not None
    assert seen[0.0, True] == 0 and seen[1.0, True] == 600 and 100 < seen[0.15, True] < 400
    assert 0.25 < seen["spelt"] / 2400 < 0.45
    # at most two name words change; letters of a postcode only for the ones that sound alike
    for _ in range(400):
        text, _typo = H._hear(rng, f"{H._n('Alpha Bravo Charlie Delta')} {H._p('BT1 1MN')}", 1.0)
        words = text.split()[:4]
        assert sum(a.lower() != b for a, b in zip(words, ["alpha", "bravo", "charlie", "delta"])) <= 2, text


def test_framing_changes_no_word():
    rng = random.Random(11)
    framed = 0
    for _ in range(2000):
        text = H._frame(rng, "in front of station Brixton", placed=True)
        assert "in front of station Brixton" in text and not re.search(r"[{}]", text), text
        framed += text != "in front of station Brixton"
    assert 0.4 < framed / 2000 < 0.6
    for _ in range(500):
        text = H._frame(rng, "no remember", placed=False)
        assert not re.search(r"\b(was|happen|happened)\b", text), text
    for f in H.FRAMES + H.WAS_FRAMES:
        assert "{t}" in f and FRAME_MARK.search(f.format(t="X", lang="Polish", pr="she")), f


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(H.NON_PLACES)) >= 50 and len(set(H.DWELLING)) >= 20 and len(set(H.HOME_TEXT)) >= 20
    assert len(set(H.UNKNOWN)) >= 20 and len(set(H.HOSPITAL_HERE_TEXT)) >= 15
    assert len(set(H.STATION_TEXT)) >= 12 and len(set(H.JUNCTION_TEXT)) >= 12
    assert len(set(H.STREET_TEXT)) >= 15 and len(set(H.FRAMES)) >= 20 and len(set(H.LANGS)) >= 15
    assert not set(H.NON_PLACES) & set(H.UNKNOWN) and not set(H.NON_PLACES) & set(H.DWELLING)
    assert not set(H.HOME_TEXT) & set(H.DWELLING)
    for t in [*H.NON_PLACES, *H.DWELLING, *H.UNKNOWN, *H.HOME_TEXT, *H.HOSPITAL_HERE_TEXT, *H.LANGS]:
        assert not re.search(r"[0-9{}]", t), t
    for t in [*H.FRAMES, *H.WAS_FRAMES]:
        assert not re.search(r"[0-9]", t), t
    assert abs(sum(H.SHARES.values()) - 1) < 1e-9 and set(H.HEAR_P) == set(H.SHARES)
    assert set(H.CHAIN_SAID) == set(CHAINS)
    slips = sum(any(_canon(f) != _canon(forms[0]) for f in forms) for forms in H.CHAIN_SAID.values())
    assert slips >= 15
    assert {"McDonald", "Tescos", "Sainsbury"} <= {f for forms in H.CHAIN_SAID.values() for f in forms}
    said = " ".join([*H.PUB_TEXT, *H.FOOD_TEXT, *H.CHAIN_ALONE, *H.CHAIN_STATION, *H.CHAIN_AREA,
                     *H.STATION_TEXT, *H.STREET_TEXT, *H.JUNCTION_TEXT])
    for phrase in ("in front of", "at the side of", "behind of", "next of", "near from", "near to",
                   "on the corner from", "inside shop", "number {n} of", "station of", "metro"):
        assert phrase in said or phrase in " ".join(str(v) for v in H.MODE_SAID.values()), phrase


# --- the generator on a slice of the gazetteer ---------------------------------------------------------

@pytest.fixture(scope="module")
def interp_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return H.generate(conn, 900), H.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_interp_family_is_reproducible_and_labelled_like_the_others(interp_set, gconn):
    from safestats.geocoding import independent
    a, b = interp_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == \
        [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b]
    others = [importlib.import_module(f"safestats.geocoding.heldout{m}")
              for m in ("", "_b", "_c", "_d", "_e", "_f", "_g")]
    assert {e.family for e in a} == {H.FAMILY}
    assert H.FAMILY not in {"gen", "blind", *(m.FAMILY for m in others), *independent.FAMILIES}
    assert H.SEED not in {*(m.SEED for m in others), *independent.SEEDS.values()}
    cls = Counter(e.cls for e in a)
    assert {"venue", "chain", "chain, no locality", "hospital", "station", "street", "junction", "postcode",
            "sector", "district", "area", "nonplace", "unknown", "home"} <= set(cls), cls
    for c in ("venue", "hospital", "station", "street", "postcode", "sector", "district", "area", "nonplace",
              "unknown", "home"):
        assert cls[c] == max(6, int(900 * H.SHARES[c])), (c, cls[c])
    assert cls["chain"] + cls["chain, no locality"] >= 0.5 * 900 * H.SHARES["chain"], cls
    assert cls["chain"] >= 5 and cls["chain, no locality"] >= 5, cls
    assert cls["junction"] >= 0.5 * 900 * H.SHARES["junction"], cls
    assert {e.level for e in a} <= LEVELS
    no_place = [e for e in a if e.cls in NO_PLACE]
    assert all(e.x is None and e.y is None and e.feature_id is None for e in no_place)
    assert {e.level for e in a if e.cls == "home"} == {"home"}
    assert {e.level for e in a if e.cls == "unknown"} == {"none"}
    assert {e.level for e in a if e.cls == "nonplace"} == {"none", "home"}
    friends = [e for e in a if e.cls == "nonplace" and e.level == "home"]
    assert 0.1 < len(friends) / cls["nonplace"] < 0.3
    for e in no_place:                                   # no postcode, said or spelt, in a no-place text
        assert not _UNIT.search(e.text.upper()) and not re.search(r"[0-9]", e.text), e
        assert not e.typo, e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text and "  " not in e.text for e in a)
    assert 0.08 < sum(e.typo for e in a) / len(a) < 0.35
    assert 0.35 < sum(bool(FRAME_MARK.search(e.text)) for e in a) / len(a) < 0.7        # the interpreter
    assert 0.04 < sum(e.text == e.text.lower() for e in placed) / len(placed) < 0.25    # typed in lower case
    low = [e.text.lower() for e in a]
    for phrase in ("in front of", "behind of", "next of", "near from", "at the side of", "on the corner from",
                   "station of", "metro", "number", "inside shop", "interpreter"):
        assert any(phrase in t for t in low), phrase
    assert any(re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|zero) [a-z] [a-z]\b", t)
               for t in low)                             # a postcode spelt out
    assert any(re.search(r"\b(road|street|lane|avenue|park) (of )?[a-z]", t) for t in low)
    typo_pc = [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]
    assert typo_pc                                       # a postcode letter misheard now and then


def _hospital_core(name: str) -> str:
    return re.sub(r"university|hospital|hosp|utc|ucc", "", _canon(" ".join(_core_words(name))))


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("here", "this hospital")."""
    name = gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s",
                         (e.feature_id,)).fetchone()[0]
    return not e.typo and _hospital_core(name)[:6] not in _canon(e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(interp_set, gconn):
    a, _ = interp_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_interp_truths_are_the_places_named(interp_set, gconn):
    a, _ = interp_set
    here = 0
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
                assert _named(name, e.text), e
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            if not e.typo:
                assert any(_canon(c) in _canon(e.text) for c in H.CHAIN_SAID[brand]), e
            if e.cls == "chain, no locality":
                assert not re.search(r"[0-9]", e.text), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                here += 1
                assert any(t.lower() in e.text.lower() for t in H.HOSPITAL_HERE_TEXT), e
            elif not e.typo:
                assert _named(name, e.text), e
        elif e.cls == "station":
            assert kind == "station", e
            if not e.typo:
                assert _canon(H._stn_name(name)) in _canon(e.text), e
        else:
            raise AssertionError(e)
    assert here >= 3
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
                assert _named(name, e.text), e
        if e.cls == "area":
            inside, name = gconn.execute(
                "SELECT bool_or(ST_Intersects(w.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))), "
                "min(f.name) FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
                "AND w.code = f.source_key WHERE f.feature_id = %s", (e.x, e.y, e.feature_id)).fetchone()
            assert inside, e
            if not e.typo:
                assert _named(name, e.text), e
        # junctions: the truth is a bus stop named after the two streets the text says
        if e.cls == "junction":
            names = [n for (n,) in gconn.execute(
                "SELECT name FROM gazetteer.source_feature WHERE kind = 'bus_stop' "
                "AND ST_X(geom) = %s AND ST_Y(geom) = %s", (e.x, e.y))]
            assert names, e
            if not e.typo:
                assert any(all(_named(p.strip(), e.text) for p in n.split("/")) for n in names), e
