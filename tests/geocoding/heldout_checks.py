"""Checks the held-out families' tests make alike (test_heldout_*.py): where the reporting A&E site of a
text lies, which every family draws through safestats/geocoding/sites.py."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path


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


def codes_at(gconn, cls, x, y) -> list[str]:
    """The postcodes, sectors or districts (``cls``) of the postcode points at (x, y): what a postcode,
    sector or district text of a family may name."""
    col = {"postcode": "display", "sector": "sector", "district": "district"}[cls]
    return [n for (n,) in gconn.execute(
        f"SELECT {col} FROM gazetteer.postcode WHERE ST_X(geom) = %s AND ST_Y(geom) = %s", (x, y))]


def street_at(gconn, e) -> tuple[float, str]:
    """How far the truth point of a street text lies from its street feature, and the street's name."""
    return gconn.execute(
        "SELECT ST_Distance(coalesce(extent, geom), ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(geom))), name "
        "FROM gazetteer.feature WHERE feature_id = %s AND level = 'street'",
        (e.x, e.y, e.feature_id)).fetchone()


def ward_at(gconn, e) -> tuple[bool, str]:
    """Whether the truth point of an area text lies inside its ward's polygon, and the ward's name."""
    return gconn.execute(
        "SELECT bool_or(ST_Intersects(w.geom, ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID(w.geom)))), "
        "min(f.name) FROM gazetteer.feature f JOIN ref.area w ON w.level = 'ward' "
        "AND w.code = f.source_key WHERE f.feature_id = %s",
        (e.x, e.y, e.feature_id)).fetchone()


def other_family_lines(module_file: str) -> tuple[set[str], set[int]]:
    """The FAMILY and SEED lines of the held-out modules beside ``module_file`` other than it (nothing
    else of them is read)."""
    families, seeds = set(), set()
    me = Path(module_file)
    for path in sorted(me.parent.glob("heldout*.py")):
        if path.name == me.name:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r'^FAMILY = "([^"]+)"', line):
                families.add(m.group(1))
            if m := re.match(r"^SEED = ([0-9_]+)", line):
                seeds.add(int(m.group(1).replace("_", "")))
    return families, seeds
