"""The cad held-out family's own noise (safestats.geocoding.heldout_b): one edit per typo, anywhere in
the word, and reproducible. No database needed."""
from __future__ import annotations

import random

from safestats.geocoding import heldout_b


def _one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter left out, doubled, replaced, or two neighbours swapped."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(b[:i] + b[i + 1:] == a and b[i] == b[i - (1 if i else -1)] for i in range(len(b)))
    if len(b) == len(a):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    return False


def test_a_typo_is_one_edit_and_never_the_word_itself():
    rng = random.Random(1)
    for w in ("peckham", "Brixton", "LEWISHAM", "hall", "Aldgate", "ssss"):
        for _ in range(300):
            t = heldout_b._cad_typo(rng, w)
            assert t != w and _one_edit(w, t), (w, t)


def test_typos_reach_the_first_and_the_last_letter():
    rng = random.Random(2)
    w = "croydon"
    typos = [heldout_b._cad_typo(rng, w) for _ in range(400)]
    assert any(t[0] != "c" for t in typos)
    assert any(t[-1] != "n" for t in typos)
    assert any(t[1:-1] != w[1:-1] and t[0] == "c" and t[-1] == "n" for t in typos)


def test_key_slips_stay_on_the_qwerty_row_and_keep_case():
    rng = random.Random(3)
    for c in "qazmpQ":
        row = next(r for r in heldout_b.QWERTY if c.lower() in r)
        for _ in range(20):
            s = heldout_b._key_slip(rng, c)
            assert s.lower() in row and s.lower() != c.lower() and s.isupper() == c.isupper()
    assert heldout_b._key_slip(rng, "é") == "é"


def test_noise_is_reproducible_and_only_flags_real_typos():
    def run(seed):
        rng = random.Random(seed)
        return [heldout_b._cad_noise(rng, "o/s 12 peckham high st se15", 0.5) for _ in range(200)]
    a = run(7)
    assert a == run(7)
    for text, typo in a:
        words = [w.strip(".,-/") for w in text.lower().split()]
        clean = {"o/s", "12", "peckham", "high", "st", "se15", ""}
        assert typo == any(w not in clean for w in words), (text, typo)
        assert text.lower().startswith("o/s")
    assert any(t.isupper() for t, _ in a) and any(t.islower() for t, _ in a)
