"""The ``textback`` held-out family (safestats.geocoding.heldout_l): patients' own replies to the follow-up
text message, typed on a phone (lower case, greetings and sign-offs, text-speak, nicknames, brand forms,
thumb slips, autocorrect, messages sent too soon; no database needed for those), and its generator on the
geocoding tests' slice of the gazetteer (conftest.py): reproducible, labelled like the other families, each
class near its share, every truth the place its text names (the short forms, nicknames and slips undone by
this file's own simple rules), ``typo`` honest. The geocoder is never run here."""

from __future__ import annotations

import importlib
import math
import random
import re
from collections import Counter

import heldout_checks
import pytest

from safestats import db
from safestats.geocoding import heldout_l as M
from safestats.geocoding.independent import CHAINS

NO_PLACE = ("nonplace", "unknown", "home")
LEVELS = {"venue", "street", "junction", "postcode", "sector", "district", "area", "home", "none"}
_UNIT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")
HOSPITAL_DROP = {"hospital", "university", "general"}
HERE_CUES = (
    "here",
    "hospital",
    "a&e",
    "a and e",
    "waiting",
    "ward",
    "car park",
    "entrance",
    "ambulance",
    "treated",
    "seen",
)


def _canon(s: str) -> str:
    """Lower case letters and digits only, "&" read as "and"."""
    return re.sub(r"[^a-z0-9]", "", s.lower().replace("&", "and"))


def _core_words(name: str) -> list[str]:
    """A name's words as a patient may keep them (lower case, letters and digits): no bracketed part, company
    suffix or apostrophes, "&" as "and", a leading "the" of a longer name left off."""
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
    """A word as a patient may type it with no slip: whole, or a short form ("and" also as "n")."""
    return [word] + [_canon(f) for f in M.ABBREV.get(word, [])] + (["n"] if word == "and" else [])


def _named(name: str, text: str, droppable=frozenset()) -> bool:
    """Every word of the name in the text in its order, whole or short (spaces, case and punctuation aside);
    the words in ``droppable`` may be left out and a leading "the" may stay."""
    pat = "(?:the)?"
    for w in _core_words(name):
        alt = "(?:" + "|".join(map(re.escape, _forms(w))) + ")"
        pat += alt + "?" if w in droppable else alt
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
    """The word somewhere in the text despite the noise: whole or short, one slip apart, autocorrect's real
    word for it, or (the reply sent too soon) the text ending in four letters or more of it."""
    t = _canon(text)
    if any(f in t for f in _forms(word)) or any(r in t for r in M.NAME_AUTOCORRECT.get(word, [])):
        return True
    for n in (len(word) - 1, len(word), len(word) + 1):
        if n >= 3 and any(_near(t[i : i + n], word) for i in range(len(t) - n + 1)):
            return True
    return any(t.endswith(word[:j]) for j in range(4, len(word)))


def _named_loosely(name: str, text: str) -> bool:
    """Every distinctive word of the name (not a road / park / hospital ... word) in the text despite the
    noise; a name of generic words only: all of them."""
    words = _core_words(name)
    key = [w for w in words if w not in M.GENERIC] or words
    return all(_found_loosely(w, text) for w in key)


def _nicknamed(name: str, text: str) -> bool:
    return any(_canon(f) in _canon(text) for f in M.NICKNAMES.get(M._plain_key(name), []))


def _has_code(code: str, text: str, exact: bool) -> bool:
    """The postcode / sector / district in the text (its space lost or doubled, any case), or (``exact``
    false) with an o typed for a zero or an l for a one."""
    c, t = _canon(code), _canon(text)
    if exact:
        return c in t
    typed = {"0": "0o", "1": "1l"}
    return any(
        re.search(re.escape(c[:i]) + f"[{typed.get(ch, ch)}]" + re.escape(c[i + 1 :]), t)
        for i, ch in enumerate(c)
    )


# --- how patients type, no database ----------------------------------------------------------------------


def test_names_are_typed_the_way_patients_type_them():
    rng = random.Random(3)
    heads = {" ".join(M._words(rng, "The King's Head")) for _ in range(400)}
    assert heads == {"kings head", "the kings head", "king's head", "the king's head"}, heads
    assert {" ".join(M._words(rng, "The King's Head", the_keep=1.0)) for _ in range(100)} <= {
        "the kings head",
        "the king's head",
    }
    assert {" ".join(M._words(rng, "George & Dragon")) for _ in range(300)} == {
        "george and dragon",
        "george & dragon",
        "george n dragon",
    }
    assert M._plain("Nunhead Cemetery (All Saints)") == "Nunhead Cemetery"
    assert M._plain("Moxie's Fish Bar Ltd") == "Moxie's Fish Bar" and M._plain("(Gubbins)") == "Gubbins"
    assert M._plain_key("King's College Hospital") == "kings college hospital"
    assert M._plain_key("St George's Hospital (London)") == "st georges hospital"
    assert M._plain_key("The Royal London Hospital") == "royal london hospital"
    assert M._plain_key("Elephant & Castle") == "elephant and castle"
    short = {" ".join(M._shorten(rng, ["old", "kent", "road"])) for _ in range(300)}
    assert short == {"old kent road", "old kent rd"}, short
    assert M._shorten(rng, ["court", "road"], p=1.0) == ["court", "rd"]  # never "ct road"
    assert M._shorten(rng, ["park"], p=1.0) == ["park"]
    assert M._key(["old", "kent", "road"]) == 1 and M._key(["peckham", "rye"]) == 1
    assert M._key(["kings", "college", "hospital"]) == 0 and M._key(["the", "park"]) == -1
    assert M._station_name("Peckham Rye Rail Station") == "Peckham Rye"
    assert M._station_name("WEST SILVERTOWN - DLR") == "WEST SILVERTOWN"
    assert M._station_name("Canary Wharf EL") == "Canary Wharf"
    assert M._station_name("New Cross Gate ELL") == "New Cross Gate"
    assert M._station_name("Shepherd's Bush LU") == "Shepherd's Bush"
    assert M._mode("naptan_rail", None, None, "Erith") == "rail"
    assert M._mode("tfl_stations_2018", None, None, "BOW CHURCH - DLR") == "dlr"
    assert M._mode("tfl_stations_2022", "London Overground", "n/a", "Barking") == "overground"
    assert M._mode("tfl_stations_2022", "London Underground", "Northern", "Tufnell Park") == "tube"
    assert M._mode("tfl_stations_2022", "TfL Rail", None, "Canary Wharf EL") == "elizabeth"
    assert M._mode("tfl_stations_2022", "Tramlink", None, "Sandilands") == "tram"
    assert M._ward_fine("Peckham") and not M._ward_fine("Nunhead and Queen's Road")
    assert not M._ward_fine("Brixton North") and not M._ward_fine("A Place With Four Words")


def _subsequence(short: str, word: str) -> bool:
    it = iter(word)
    return all(c in it for c in short)


def test_short_forms_brands_nicknames_and_autocorrect():
    """A short form keeps the word's first letter and some of its letters in order ("x" for cross the one
    exception); every chain has its own name among its brand forms; autocorrect's word is one edit away."""
    for word, forms in M.ABBREV.items():
        for f in forms:
            if (word, f) == ("cross", "x"):
                continue
            assert f[0] == word[0] and _subsequence(f, word) and len(f) < len(word), (word, f)
    assert set(M.BRANDS) == set(CHAINS)
    for brand, forms in M.BRANDS.items():
        assert brand in {_canon(f) for f in forms}, brand
        assert all(f == f.lower() and not re.search(r"[0-9]", f) for f in forms), brand
    said = [
        f
        for forms in M.BRANDS.values()
        for f in forms
        if not any(_canon(f).startswith(b[:5]) for b in CHAINS)
    ]
    assert len(said) >= 8, said  # maccies, spoons, sainsbos ...
    for f in ("maccies", "spoons", "sainsbos", "starbs", "tescos"):
        assert any(f in forms for forms in M.BRANDS.values()), f
    assert len(M.NICKNAMES) >= 20
    for key, nicks in M.NICKNAMES.items():
        assert re.fullmatch(r"[a-z0-9 ]+", key) and key not in nicks, key
        assert all(n == n.lower() and n.strip() == n for n in nicks), key
    assert (
        "elephant" in M.NICKNAMES["elephant and castle"] and "kings" in M.NICKNAMES["kings college hospital"]
    )
    assert len(M.NAME_AUTOCORRECT) >= 30
    for word, real in M.NAME_AUTOCORRECT.items():
        assert real, word
        for r in real:
            assert r != word and r.isalpha() and _near(r, word), (word, r)
    for word, fixed in M.PLAIN_AUTOCORRECT.items():
        assert fixed and word not in fixed, word


def test_a_thumb_slip_changes_one_letter_and_keeps_the_first():
    rng = random.Random(4)
    seen = Counter()
    for w in ("camberwell", "peckham", "brixton", "stockwell", "horniman", "lewisham", "rye", "lane"):
        for _ in range(300):
            s = M._slip(rng, w)
            if len(w) < 4:
                assert s == w
                continue
            assert s != w and s[0] == w[0] and _near(s, w) and len(s) >= 3, (w, s)
            if len(s) == len(w) and sum(a != b for a, b in zip(s, w)) == 1:
                i = next(j for j in range(len(w)) if s[j] != w[j])
                assert s[i] in M.BESIDE[w[i]], (w, s)  # the key beside it
                seen["beside"] += 1
            elif len(s) < len(w):
                seen["drop"] += 1
            elif len(s) > len(w):
                seen["double"] += 1
            else:
                seen["swap"] += 1
    assert all(seen[k] > 100 for k in ("beside", "drop", "double", "swap")), seen
    assert M.BESIDE["q"] == "w" and M.BESIDE["g"] == "fh" and M.BESIDE["m"] == "n"
    for w in ("kfc", "rd", "se15", "a&e", "king's"):
        assert M._slip(rng, w) == w


def test_a_name_slot_is_honest():
    """``slipped`` exactly when a word typed is not the word meant, one word at most, and that word a thumb
    slip or autocorrect's real word; nicknames and droppable words as the module says."""
    rng = random.Random(5)
    seen = Counter()
    for _ in range(4000):
        name = rng.choice(
            ["The Camberwell Arms", "Brockwell Park", "Old Kent Road", "Rose and Crown", "Horniman Gardens"]
        )
        slot = M._name_slot(rng, name, rng.choice(["venue", "street"]))
        changed = [(a, b) for a, b in zip(slot.words, slot.said) if a != b]
        assert len(slot.words) == len(slot.said) and len(changed) <= 1, slot
        assert slot.slipped == bool(changed) == bool(slot.how), slot
        for typed, meant in changed:
            assert _near(typed, meant) or typed in M.NAME_AUTOCORRECT.get(meant, []), slot
        assert _named(name, " ".join(slot.said)), slot
        seen[slot.how or "clean"] += 1
    assert 0.06 < (seen["slip"] + seen["autocorrect"]) / 4000 < 0.25, seen
    assert seen["autocorrect"] > 30, seen
    nick = Counter()
    for _ in range(1000):
        slot = M._name_slot(rng, "King's College Hospital", "hospital", drop="hospital", nick=True)
        said = " ".join(slot.said)
        if slot.nick:
            assert said in M.NICKNAMES["kings college hospital"] and not slot.slipped, slot
            nick["nick"] += 1
        else:
            assert _named("King's College Hospital", said, HOSPITAL_DROP), slot
            nick["dropped" if "hospital" not in said and "hosp" not in said else "whole"] += 1
    assert 0.3 < nick["nick"] / 1000 < 0.6 and nick["dropped"] > 50 and nick["whole"] > 200, nick
    for _ in range(300):  # "hospital" stays when one word would be left
        slot = M._name_slot(rng, "Croydon University Hospital", "hospital", drop="hospital")
        assert slot.said[-1] in ("hospital", "hosp") and slot.said[0] == "croydon", slot
        slot = M._name_slot(rng, "Hyde Park", "venue", drop="park")
        assert len(slot.said) == 2, slot
    codes = Counter()
    for _ in range(2000):
        slot = M._code_slot(rng, rng.choice(["CR0 1AB", "SE15 4", "SE10"]), "postcode")
        typed, meant = slot.words[0], slot.said[0]
        assert slot.slipped == (typed != meant), slot
        if slot.slipped:
            diff = [(a, b) for a, b in zip(typed, meant) if a != b]
            assert len(diff) == 1 and diff[0] in {("o", "0"), ("O", "0"), ("l", "1"), ("L", "1")}, slot
        assert re.fullmatch(r"(?i)cr0 {0,2}1ab|se15 {1,2}4|se10", meant), slot
        codes["slip" if slot.slipped else "upper" if meant.isupper() else "lower"] += 1
        codes["no space"] += meant.lower() == "cr01ab"
    assert codes["slip"] > 100 and codes["upper"] > 200 and codes["lower"] > 1000 and codes["no space"] > 200


def test_a_reply_is_honest_typo_is_set_exactly_when_a_name_lost_letters():
    rng = random.Random(9)
    seen = Counter()
    for _ in range(5000):
        v = M._name_slot(
            rng, rng.choice(["Peckham Hippodrome", "Brockwell Park", "The Camberwell Arms"]), "venue"
        )
        st = M._name_slot(rng, rng.choice(["Rye Lane", "Old Kent Road"]), "street", primary=False)
        d = M._code_slot(rng, "SE5", "street", primary=False)
        form = rng.choice(["outside {v} on {st} {d}", "{st} {d} by the {v}", "{v}"])
        slots = {k: s for k, s in {"v": v, "st": st, "d": d}.items() if "{" + k + "}" in form}
        text, typo = M._reply(rng, form, slots)
        assert text == text.strip() and "{" not in text and "}" not in text, text
        slipped = any(s.slipped for s in slots.values())
        if all(_canon(" ".join(s.words)) in _canon(text) for s in slots.values()):
            assert typo == slipped, (text, typo, slots)
            seen["slipped" if slipped else "clean"] += 1
        else:  # sent too soon: the text ends part-way through the name
            assert typo and form.endswith("{v}"), (text, slots)
            last = v.words[-1]
            cut = next(j for j in range(len(last) - 1, 0, -1) if _canon(text).endswith(_canon(last[:j])))
            assert cut >= max(4, math.ceil(0.6 * len(last))) and len(last) >= 7, (text, last)
            assert _canon(text).endswith(_canon(" ".join(v.words[:-1]) + last[:cut])), text
            seen["sent early"] += 1
    assert seen["clean"] > 3000 and seen["slipped"] > 300 and seen["sent early"] > 10, seen


def test_the_noise_around_the_place_changes_no_name():
    rng = random.Random(11)
    feat = Counter()
    greet = tuple(sorted(M.GREETINGS, key=len, reverse=True))
    for _ in range(4000):
        slots = {"st": M.Slot(["rye", "lane"], ["rye", "lane"])}
        text, typo = M._reply(rng, "on {st}", slots)
        assert not typo and "ryelane" in _canon(text), text
        low = text.lower()
        feat["greeting"] += low.startswith(greet)
        feat["lead"] += bool(
            re.search(
                r"\b(it|i|we|this) (was|happened|all happened|kicked off)\b"
                r"|(^|\W)(was|happened) on\b",
                low,
            )
        )
        feat["sign"] += bool(re.search(r"(\bxx?|thx|thanks|thank you|thank u|cheers|\bta|\bty)\W*$", low))
        feat["lower"] += text == low
        feat["caps"] += text == text.upper()
        feat["double"] += "  " in text
        feat["end"] += text[-1] in ".!?"
        feat["merged"] += bool(re.search(r"[a-z]{2}(rye|lane)|(on|rye)lane|onrye", low))
    for k, lo, hi in [
        ("greeting", 0.15, 0.35),
        ("lead", 0.15, 0.45),
        ("sign", 0.12, 0.32),
        ("lower", 0.45, 0.7),
        ("caps", 0.02, 0.07),
        ("double", 0.1, 0.3),
        ("end", 0.15, 0.35),
        ("merged", 0.005, 0.08),
    ]:
        assert lo < feat[k] / 4000 < hi, (k, feat)
    lists = [M.HOME_TEXT, M.DWELLING, M.UNKNOWN, M.NON_PLACES, M.HOSPITAL_HERE]
    for _ in range(3000):  # a reply with no place gains no postcode or district
        text, typo = M._reply(rng, rng.choice(rng.choice(lists)), {}, lead=rng.random() < 0.5)
        assert not typo and not _UNIT.search(text.upper()) and not _DISTRICT.search(text.upper()), text
    for _ in range(1000):  # a sector keeps its gap: never read as a longer district
        text, _ = M._reply(rng, "{p}", {"p": M._code_slot(rng, "SE15 4", "sector")})
        assert re.search(r"(?i)se[1l]5 {1,2}4(?![0-9])", text), text


def test_enough_distinct_phrasings_and_no_place_texts_name_no_place():
    assert len(set(M.NON_PLACES)) >= 45 and len(set(M.DWELLING)) >= 18 and len(set(M.HOME_TEXT)) >= 20
    assert len(set(M.UNKNOWN)) >= 20 and len(set(M.HOSPITAL_HERE)) >= 15 and len(set(M.GREETINGS)) >= 15
    assert (
        len(set(M.STATION_TEXT)) >= 12 and len(set(M.JUNCTION_TEXT)) >= 12 and len(set(M.STREET_TEXT)) >= 15
    )
    lists = {"non": M.NON_PLACES, "dwelling": M.DWELLING, "unknown": M.UNKNOWN, "home": M.HOME_TEXT}
    for a in lists:
        for b in lists:
            assert a == b or not set(lists[a]) & set(lists[b]), (a, b)
    for t in [
        *M.NON_PLACES,
        *M.DWELLING,
        *M.UNKNOWN,
        *M.HOME_TEXT,
        *M.HOSPITAL_HERE,
        *M.GREETINGS,
        *M.TAILS,
        *M.SIGNOFFS,
        *M.LEADS_BARE,
        *M.LEADS_PREP,
    ]:
        assert not re.search(r"[0-9{}A-Z]", t) and t == t.strip(), t
    assert all(any(c in t for c in HERE_CUES) for t in M.HOSPITAL_HERE)
    for t in M.HOSPITAL_NAMED:
        assert not re.search(r"\b(here|this|your|ur)\b", t.replace("{h}", "")), t
    assert abs(sum(M.SHARES.values()) - 1) < 1e-9 and set(M.SLIP_P) == set(M.SHARES)
    assert all(M.SLIP_P[c] == 0 for c in NO_PLACE)
    said = " ".join(
        [
            *M.PUB_TEXT,
            *M.FOOD_TEXT,
            *M.STATION_TEXT,
            *M.STREET_TEXT,
            *M.JUNCTION_TEXT,
            *M.CHAIN_ALONE,
            *M.CHAIN_STATION,
            *M.DISTRICT_TEXT,
            *M.AREA_TEXT,
            *M.TAILS,
            *M.SIGNOFFS,
        ]
    )
    for mark in (
        "nr ",
        "opp ",
        "outside",
        "by the",
        "round the corner from",
        "innit",
        "tbh",
        "idk",
        "lol",
        "thx",
        "the rec",
        "the estate",
    ):
        assert mark in said, mark
    assert "x" in M.SIGNOFFS and "" in M.MODE_WORDS["tube"]  # a station without "station"
    for phrase, where in [
        ("dont want to say", M.UNKNOWN),
        ("rather not say", M.UNKNOWN),
        ("cant remember", M.UNKNOWN),
        ("was drunk dont remember", M.UNKNOWN),
        ("idk", M.UNKNOWN),
        ("at my mates", M.DWELLING),
        ("at home", M.HOME_TEXT),
        ("in a cab", M.NON_PLACES),
        ("on the bus", M.NON_PLACES),
        ("at work", M.NON_PLACES),
        ("prison", M.NON_PLACES),
        ("online", M.NON_PLACES),
        ("not in london", M.NON_PLACES),
        ("on holiday", M.NON_PLACES),
        ("who is this", M.NON_PLACES),
        ("stop", M.NON_PLACES),
        ("ok thanks", M.NON_PLACES),
    ]:
        assert phrase in where, phrase


# --- the generator on a slice of the gazetteer ---------------------------------------------------------


@pytest.fixture(scope="module")
def textback_set(gaz_url):
    with db.connect(gaz_url) as conn:
        return M.generate(conn, 900), M.generate(conn, 900)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_textback_family_is_reproducible_and_labelled_like_the_others(textback_set, gconn):
    from safestats.geocoding import independent

    a, b = textback_set
    assert [(e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in a] == [
        (e.text, e.site_code, e.x, e.y, e.cls, e.level, e.feature_id, e.typo) for e in b
    ]
    others = [
        importlib.import_module(f"safestats.geocoding.heldout{m}")
        for m in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i", "_j", "_k")
    ]
    assert {e.family for e in a} == {M.FAMILY}
    assert M.FAMILY not in {"gen", "blind", *(m.FAMILY for m in others), *independent.FAMILIES}
    assert M.SEED not in {*(m.SEED for m in others), *independent.SEEDS.values()}
    assert 1_000_000 <= M.SEED <= 9_999_999
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
    for e in no_place:  # no postcode or district in a no-place text
        assert not _UNIT.search(e.text.upper()) and not _DISTRICT.search(e.text.upper()), e
        assert not e.typo, e
    for e in a:  # nor in a chain text that says no locality
        if e.cls == "chain, no locality":
            assert not _DISTRICT.search(e.text.upper()) and "station" not in e.text.lower(), e
    assert all(e.x is not None and e.y is not None for e in a if e.cls not in NO_PLACE)
    sites = {r[0] for r in gconn.execute("SELECT site_code FROM health.ae_site")}
    assert {e.site_code for e in a} - {None} <= sites
    placed = [e for e in a if e.cls not in NO_PLACE]
    assert 0.02 < sum(e.site_code is None for e in placed) / len(placed) < 0.15
    assert all(e.text.strip() == e.text and e.text for e in a)
    assert 0.07 < sum(e.typo for e in placed) / len(placed) < 0.3
    lower = sum(e.text == e.text.lower() for e in a) / len(a)
    caps = sum(e.text == e.text.upper() and e.text != e.text.lower() for e in a) / len(a)
    assert 0.4 < lower < 0.75 and 0.01 < caps < 0.1, (lower, caps)
    texts = [e.text.lower() for e in a]
    marks = (
        "nr ",
        "opp ",
        "outside",
        "by the",
        "round the corner from",
        "innit",
        "tbh",
        "lol",
        "idk",
        " x",
        "thx",
        "hi",
        "sorry",
        "it happened",
        "  ",
        "station",
        "tube",
        " rd",
        " st",
        "the estate",
        "at home",
        "i think",
        "i'm",
        "don't",
        "a&e",
        "postcode",
        "something",
        "cheers",
        "dont",
        "my flat",
    )
    missing = [m for m in marks if not any(m in t for t in texts)]
    assert len(missing) <= 2, missing
    said = {f for forms in M.BRANDS.values() for f in forms if not any(f.startswith(c[:5]) for c in CHAINS)}
    chains = [e for e in a if e.cls.startswith("chain")]
    assert sum(any(re.search(rf"\b{re.escape(f)}\b", e.text.lower()) for f in said) for e in chains) >= 3
    pcs = [e for e in a if e.cls == "postcode"]
    assert sum(bool(re.search(r"[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}", e.text)) for e in pcs) >= 0.25 * len(
        pcs
    )
    typo_pc = [e for e in a if e.cls in ("postcode", "sector", "district") and e.typo]
    assert typo_pc  # an o for a zero, an l for a one, now and then


def _name_of(gconn, fid):
    return gconn.execute("SELECT name FROM gazetteer.feature WHERE feature_id = %s", (fid,)).fetchone()[0]


def _is_here(gconn, e) -> bool:
    """A hospital text that names no hospital: the reporting site itself ("here", "in your waiting room")."""
    name = _name_of(gconn, e.feature_id)
    return not _named_loosely(name, e.text) and not _nicknamed(name, e.text)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_reporting_site_is_usually_the_nearest_and_here_is_the_site_itself(textback_set, gconn):
    a, _ = textback_set
    heldout_checks.check_reporting_sites(gconn, a, lambda e: _is_here(gconn, e))


def _check_name(name: str, e, droppable=frozenset()) -> None:
    """Untouched: the name whole or short; with a slip, autocorrect or sent too soon: every distinctive word
    still there, loosely."""
    if not e.typo:
        assert _named(name, e.text, droppable), (name, e)
    assert _named_loosely(name, e.text), (name, e)


# slow: the gazetteer slice (tests/geocoding/conftest.py) is loaded for the module; test-quick leaves it out
@pytest.mark.slow
def test_textback_truths_are_the_places_named(textback_set, gconn):
    a, _ = textback_set
    seen = Counter()
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
            _check_name(name, e, frozenset({"park"}) if kind == "park" else frozenset())
        elif e.cls.startswith("chain"):
            brand = norm.split()[0]
            assert kind == "venue" and brand in CHAINS, e
            forms = M.BRANDS[brand]
            if not e.typo:
                assert any(_canon(f) in _canon(e.text) for f in forms), e
            assert any(all(_found_loosely(w, e.text) for w in f.split() if len(w) > 2) for f in forms), e
        elif e.cls == "hospital":
            assert kind in ("hospital", "ae_site"), e
            if _is_here(gconn, e):
                seen["here"] += 1
                assert any(
                    _canon(c) in _canon(e.text) or len(c) >= 5 and _found_loosely(c, e.text)
                    for c in HERE_CUES
                ), e
            elif _nicknamed(name, e.text) and not e.typo:  # a nickname is never typed with a slip
                seen["nickname"] += not _named(name, e.text, HOSPITAL_DROP)
            else:
                _check_name(name, e, HOSPITAL_DROP)
                seen["dropped"] += not _named(name, e.text)
        elif e.cls == "station":
            assert kind == "station", e
            own = M._station_name(name)
            if _nicknamed(own, e.text) and not e.typo:  # a nickname is never typed with a slip
                seen["station nickname"] += not _named(own, e.text)
            else:
                _check_name(own, e)
            seen["no station word"] += not re.search(
                r"(station|stn|tube|dlr|tram|overground|line|crossrail)", e.text.lower()
            )
        else:
            raise AssertionError(e)
        seen["typo"] += e.typo
    assert seen["here"] >= 3 and seen["typo"] >= 5 and seen["no station word"] >= 5, seen
    assert seen["nickname"] + seen["station nickname"] >= 1, seen
    for e in a:
        # postcodes, sectors, districts: a unit of the postcode / sector / district the text says; a slip only
        # as an o for a zero or an l for a one, and exactly when typo is set
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
