"""The reporting A&E site of a labelled text, as the held-out families draw it.

An assault is usually reported by the A&E nearest to where it happened, sometimes by the second or
third nearest, and now and then the record names no site. Each family keeps its own shares (they were
written apart); the drawing itself is shared here.
"""
from __future__ import annotations

import random
from collections.abc import Callable

Chooser = Callable[[float | None, float | None], str | None]


def reporting_site_chooser(conn, rng: random.Random, *, none_unplaced: float, none_placed: float,
                           nearest: float, second: float) -> Chooser:
    """A function ``(x, y) -> site_code or None`` drawing from ``rng``. For a text with no true point,
    no site with probability ``none_unplaced``, else any site; for a point, no site with probability
    ``none_placed``, else the nearest site below ``nearest`` (one uniform draw decides both), the
    second nearest below ``second``, else the third. Sites are those of ``health.ae_site`` with a
    point, in site-code order (ties in distance broken by code), so a draw is reproducible."""
    sites = conn.execute("SELECT site_code, ST_X(geom), ST_Y(geom) FROM health.ae_site "
                         "WHERE geom IS NOT NULL ORDER BY site_code").fetchall()

    def choose(x, y):
        if not sites:
            return None
        r = rng.random()
        if x is None:
            return None if r < none_unplaced else rng.choice(sites)[0]
        if r < none_placed:
            return None
        ranked = sorted(sites, key=lambda s: ((s[1] - x) ** 2 + (s[2] - y) ** 2, s[0]))
        nth = 0 if r < nearest else 1 if r < second else 2
        return ranked[min(nth, len(ranked) - 1)][0]

    return choose
