"""Checks the held-out families' tests make alike (test_heldout_*.py): where the reporting A&E site of a
text lies, which every family draws through safestats/geocoding/sites.py."""
from __future__ import annotations

from collections import Counter


def nearest_sites(gconn, x, y) -> list[str]:
    """The three A&E sites nearest (x, y), nearest first."""
    return [r[0] for r in gconn.execute(
        "SELECT site_code FROM health.ae_site WHERE geom IS NOT NULL "
        "ORDER BY ST_Distance(geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), site_code LIMIT 3",
        (x, y))]


def check_reporting_sites(gconn, examples, is_here, min_here: int = 3) -> None:
    """A placed text's reporting site is one of the three nearest its truth, usually the nearest; a
    hospital text that names no hospital (``is_here(e)``: "here", "in dept") reports from that site."""
    rank = Counter()
    here = 0
    for e in examples:
        if e.x is None or e.site_code is None:
            continue
        near = nearest_sites(gconn, e.x, e.y)
        if e.cls == "hospital" and is_here(e):
            code = gconn.execute("SELECT source_key FROM gazetteer.feature WHERE feature_id = %s",
                                 (e.feature_id,)).fetchone()[0]
            assert e.site_code == code, e
            here += 1
            continue
        assert e.site_code in near, e
        rank[near.index(e.site_code)] += 1
    total = sum(rank.values())
    assert here >= min_here, here
    assert rank[0] / total > 0.75 and rank[1] and rank[2] / total < 0.1, rank
