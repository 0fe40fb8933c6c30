"""The attacker's side of disclosure control: how narrowly can a withheld figure be bounded from
what a table publishes? Used by the tests (every published table must survive it) and by
bench/bench_security.py (which also runs it on primary-only suppression, to show what secondary
suppression is for)."""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix


def lp_attack(cells: dict, row_totals: dict, col_totals: dict, grand, rows, cols):
    """Bounds an attacker can put on every withheld figure, given everything published.

    ``cells[(r, c)]`` is the published value or None (withheld); ``row_totals[r]``,
    ``col_totals[c]`` and ``grand`` likewise (absent key = not published). Unknowns are the
    interior cells (>= 0); every published figure is an equality. Returns
    {figure: (low, high)} for each withheld cell ((r, c)), row total ((r, None)), column total
    ((None, c)) and the grand total ((None, None)), by minimising and maximising it with linprog.
    """
    idx = {(r, c): k for k, (r, c) in enumerate((r, c) for r in rows for c in cols)}
    nvar = len(idx)
    eqs, rhs = [], []

    def add(terms, value):
        eqs.append(terms)
        rhs.append(value)

    for (r, c), v in cells.items():
        if v is not None:
            add([idx[(r, c)]], v)
    for r, v in row_totals.items():
        if v is not None:
            add([idx[(r, c)] for c in cols], v)
    for c, v in col_totals.items():
        if v is not None:
            add([idx[(r, c)] for r in rows], v)
    if grand is not None:
        add(list(range(nvar)), grand)
    a = lil_matrix((len(eqs), nvar))
    for i, terms in enumerate(eqs):
        for t in terms:
            a[i, t] = 1
    a = a.tocsr()
    b = np.array(rhs, dtype=float)

    targets = {}
    for (r, c), v in cells.items():
        if v is None:
            targets[(r, c)] = [idx[(r, c)]]
    for r, v in row_totals.items():
        if v is None:
            targets[(r, None)] = [idx[(r, c)] for c in cols]
    for c, v in col_totals.items():
        if v is None:
            targets[(None, c)] = [idx[(r, c)] for r in rows]
    if grand is None and (row_totals or col_totals):
        targets[(None, None)] = list(range(nvar))

    bounds = {}
    for key, terms in targets.items():
        obj = np.zeros(nvar)
        obj[terms] = 1
        lo = linprog(obj, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-obj, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0, f"LP infeasible or failed: {lo.message}"
        low = lo.fun
        high = float("inf") if hi.status == 3 else -hi.fun
        bounds[key] = (low, high)
    return bounds
