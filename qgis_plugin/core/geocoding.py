"""Geocoding through the database's ``safestats.geocode`` (the one geocoding engine), in batches.

User text reaches SQL only as quoted literals in a VALUES list, and each distinct (text, site)
pair is sent once, so a table with many repeats of "HOME" costs one call for them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .connection import Database, SafeStatsError, py
from .sql import quote_literal, values_list

RESULT_FIELDS = ("confidence", "radius_m", "level", "matched", "ambiguous")
BATCH = 200


@dataclass
class GeocodeResult:
    x: float | None
    y: float | None
    confidence: float | None
    radius_m: float | None
    level: str | None
    matched: str | None
    ambiguous: bool | None


def require_geocoder(db: Database, function: str = "geocode") -> None:
    """Raise a clear message when the connected database has no geocoder yet."""
    if not db.function_exists("safestats", function):
        raise SafeStatsError(
            f"The database behind connection '{db.name}' has no safestats.{function}() function: its "
            f"geocoder is not installed. Run `safestats migrate` with a SafeStats release that includes "
            f"the geocoder, then try again.")


def _row(r) -> GeocodeResult:
    x, y, conf, radius, level, matched, amb = (py(v) for v in r)
    return GeocodeResult(x and float(x), y and float(y), conf and float(conf), radius and float(radius),
                         level, matched, amb if amb is None else bool(amb))


def geocode_many(db: Database, pairs, feedback=None) -> dict[tuple, GeocodeResult]:
    """{(text, site_code): result} for every distinct pair in ``pairs``."""
    todo = list(dict.fromkeys((t if t is not None else "", s) for t, s in pairs))
    out: dict[tuple, GeocodeResult] = {}
    for start in range(0, len(todo), BATCH):
        if feedback is not None and feedback.isCanceled():
            break
        chunk = todo[start:start + BATCH]
        rows = db.query(
            "SELECT v.i, ST_X(g.geom), ST_Y(g.geom), g.confidence, g.radius_m, g.level, g.matched, "
            "g.ambiguous "
            f"FROM (VALUES {values_list((i, t, s) for i, (t, s) in enumerate(chunk))}) AS v(i, t, s) "
            "CROSS JOIN LATERAL safestats.geocode(v.t::text, v.s::text) AS g")
        for r in rows:
            out[chunk[int(r[0])]] = _row(r[1:])
        if feedback is not None:
            feedback.setProgress(100.0 * min(start + BATCH, len(todo)) / max(len(todo), 1))
    return out


def candidates(db: Database, text: str, site_code: str | None, n: int = 5) -> list[GeocodeResult]:
    """The top ``n`` candidates for one text, best first (``safestats.geocode_candidates``)."""
    require_geocoder(db, "geocode_candidates")
    rows = db.query(
        "SELECT ST_X(g.geom), ST_Y(g.geom), g.confidence, g.radius_m, g.level, g.matched, g.ambiguous "
        f"FROM safestats.geocode_candidates({quote_literal(text)}::text, {quote_literal(site_code)}::text, "
        f"{int(n)}) AS g")
    return [_row(r) for r in rows]
