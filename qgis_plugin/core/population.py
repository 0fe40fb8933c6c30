"""Resident population of an area set, from what the database holds, for rates per 1,000 residents.

The database keeps population as Landscape indicator values (``pop_persons_all_ages``, loaded by
``safestats load lsoa-population`` for LSOA 2011, and moved to other area sets by
``safestats.move_indicator``). For an area level and vintage the plugin takes, in this order:

1. values published or already moved for exactly that level and vintage;
2. LSOA values apportioned through ``ref.area_lookup`` (the best lookup method there, as
   ``safestats.move_indicator`` chooses it), so totals are conserved;
3. LSOA values summed into the area that holds each LSOA's point on surface (best fit) — exact
   where LSOAs nest (MSOAs, boroughs), close for wards.

When none is loaded the caller gets ``None`` and :func:`missing_message` says what to load.
The SQL returned is a sub-query ``(code, population)`` to join; values are quoted literals.
"""
from __future__ import annotations

from dataclasses import dataclass

from .connection import Database, py
from .sql import quote_literal

INDICATOR = "pop_persons_all_ages"
LOOKUP_PREFERENCE = "ARRAY['population-weighted', 'area-weighted', 'best-fit', 'attribute']"


@dataclass
class PopulationSource:
    sql: str          # SELECT code, population … (one row per area of the level/vintage)
    period: str
    how: str          # in words, for the analyst


def _latest_period(db: Database, level: str, vintage: int | None, period: str | None) -> str | None:
    cond = f"indicator_code = {quote_literal(INDICATOR)} AND level = {quote_literal(level)}"
    if vintage is not None:
        cond += f" AND vintage = {int(vintage)}"
    if period:
        cond += f" AND period = {quote_literal(period)}"
    return py(db.scalar(f"SELECT period FROM landscape.indicator_value WHERE {cond} "
                        "ORDER BY period_start DESC, period DESC LIMIT 1"))


def find(db: Database, level: str, vintage: int, period: str | None = None) -> PopulationSource | None:
    """Where the population of ``level`` ``vintage`` comes from (``period``: a year such as '2020';
    None = the latest loaded), or None when the database holds none."""
    if not db.relation_exists("landscape.indicator_value"):
        return None
    lv, vv = quote_literal(level), int(vintage)
    p = _latest_period(db, level, vintage, period)
    if p is not None:
        return PopulationSource(
            f"SELECT area_code AS code, value AS population FROM landscape.indicator_value "
            f"WHERE indicator_code = {quote_literal(INDICATOR)} AND level = {lv} AND vintage = {vv} "
            f"AND period = {quote_literal(p)}",
            p, f"{INDICATOR} {p} held for {level} {vintage}")
    # From LSOAs: the LSOA vintage with population (2011 for the ONS mid-year file).
    row = db.query(f"SELECT vintage, period FROM landscape.indicator_value WHERE indicator_code = "
                   f"{quote_literal(INDICATOR)} AND level = 'lsoa'"
                   + (f" AND period = {quote_literal(period)}" if period else "")
                   + " ORDER BY period_start DESC, vintage LIMIT 1")
    if not row:
        return None
    lsoa_vintage, p = int(row[0][0]), str(row[0][1])
    lsoa_pop = (f"SELECT area_code, value FROM landscape.indicator_value WHERE indicator_code = "
                f"{quote_literal(INDICATOR)} AND level = 'lsoa' AND vintage = {lsoa_vintage} "
                f"AND period = {quote_literal(p)}")
    method = py(db.scalar(
        f"SELECT method FROM ref.area_lookup WHERE from_level = 'lsoa' AND from_vintage = {lsoa_vintage} "
        f"AND to_level = {lv} AND to_vintage = {vv} GROUP BY method "
        f"ORDER BY array_position({LOOKUP_PREFERENCE}, method) LIMIT 1"))
    if method is not None:
        return PopulationSource(
            f"SELECT l.to_code AS code, sum(l.weight * p.value) AS population FROM ref.area_lookup l "
            f"JOIN ({lsoa_pop}) p ON p.area_code = l.from_code WHERE l.from_level = 'lsoa' "
            f"AND l.from_vintage = {lsoa_vintage} AND l.to_level = {lv} AND l.to_vintage = {vv} "
            f"AND l.method = {quote_literal(method)} GROUP BY l.to_code",
            p, f"LSOA {lsoa_vintage} {INDICATOR} {p} apportioned to {level} {vintage} ({method} lookup)")
    return PopulationSource(
        f"SELECT safestats.area_at(ST_PointOnSurface(a.geom), {lv}, {vv}) AS code, "
        "sum(p.value) AS population "
        f"FROM ref.area a JOIN ({lsoa_pop}) p ON p.area_code = a.code "
        f"WHERE a.level = 'lsoa' AND a.vintage = {lsoa_vintage} GROUP BY 1",
        p, f"LSOA {lsoa_vintage} {INDICATOR} {p} summed into {level} {vintage} (best fit of each LSOA)")


def missing_message(level: str, vintage: int, period: str | None = None) -> str:
    """What to tell the analyst when there is no population for the rate."""
    when = f" for {period}" if period else ""
    return (f"No resident population{when} is loaded for {level} {vintage}, so the rate per 1,000 residents "
            f"is left empty. Load the ONS mid-year estimates with `safestats load lsoa-population "
            f"london-mid2020-pop.csv` (LSOA 2011; other area sets are derived from them) and run again.")
