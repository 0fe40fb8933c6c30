"""Finding a place by name for the Locator: areas (wards, neighbourhoods, boroughs and every other
level of ``ref.area`` in its newest vintage), postcodes and gazetteer places; and the geocoder's own
answer to the text, with its confidence. Shared by the Locator filter and its tests."""
from __future__ import annotations

from dataclasses import dataclass

from .connection import Database, py
from .sql import quote_literal

LEVEL_TITLES = {"ward": "ward", "neighbourhood": "neighbourhood", "borough": "borough", "lsoa": "LSOA",
                "msoa": "MSOA"}


@dataclass
class Place:
    kind: str            # ward / neighbourhood / borough / lsoa / msoa / postcode / place / geocode
    name: str
    code: str
    xmin: float
    ymin: float
    xmax: float
    ymax: float
    detail: str = ""
    confidence: float | None = None


def find_sql(text: str, limit: int = 6) -> str:
    t = quote_literal(text.strip().lower())
    pc = quote_literal(text.strip().upper().replace(" ", ""))
    return f"""
(SELECT a.level, a.name, a.code, ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom),
        a.level || ' ' || a.vintage
 FROM ref.area a
 WHERE a.level IN ('ward', 'neighbourhood', 'borough')
   AND a.vintage = (SELECT max(r.vintage) FROM ref.area r WHERE r.level = a.level)
   AND (lower(a.name) LIKE '%' || {t} || '%' OR lower(a.code) = {t})
 ORDER BY lower(a.name) = {t} DESC, lower(a.name) LIKE {t} || '%' DESC,
          array_position(ARRAY['borough', 'neighbourhood', 'ward'], a.level), a.name LIMIT {int(limit)})
UNION ALL
(SELECT 'postcode', p.display, p.postcode, ST_X(p.geom) - 150, ST_Y(p.geom) - 150, ST_X(p.geom) + 150,
        ST_Y(p.geom) + 150, 'postcode'
 FROM gazetteer.postcode p WHERE length({pc}) >= 3 AND p.postcode LIKE {pc} || '%'
 ORDER BY p.postcode LIMIT {int(limit)})
UNION ALL
(SELECT 'place', f.name, f.kind, ST_X(f.geom) - greatest(f.radius_m, 150),
        ST_Y(f.geom) - greatest(f.radius_m, 150), ST_X(f.geom) + greatest(f.radius_m, 150),
        ST_Y(f.geom) + greatest(f.radius_m, 150), f.kind
 FROM gazetteer.feature f
 , (SELECT regexp_replace({t}, '[^a-z0-9 ]', '', 'g') AS n) q,
   LATERAL (SELECT regexp_replace(lower(f.name), '[^a-z0-9 ]', '', 'g') AS folded) x
 WHERE f.level IN ('venue', 'area', 'district', 'sector') AND length(q.n) >= 3
   AND x.folded LIKE '%' || q.n || '%'
 ORDER BY x.folded = q.n DESC, x.folded LIKE q.n || '%' DESC, length(f.name), f.name
 LIMIT {int(limit)})"""


def find(db: Database, text: str, limit: int = 6) -> list[Place]:
    """Areas, postcodes and places whose name contains ``text`` (best first within each kind)."""
    if len(text.strip()) < 2:
        return []
    parts = [find_sql(text, limit)]
    if not db.relation_exists("gazetteer.feature"):
        parts = [parts[0].split("UNION ALL")[0]]
    rows = db.query(parts[0])
    return [Place(str(r[0]), str(r[1]), str(r[2]), *[float(py(x)) for x in r[3:7]], detail=str(r[7]))
            for r in rows]


def geocode(db: Database, text: str) -> Place | None:
    """The geocoder's answer for ``text`` (no A&E site) with its confidence; None when it finds none."""
    if len(text.strip()) < 3 or not db.function_exists("safestats", "geocode"):
        return None
    rows = db.query(f"SELECT matched, confidence, level, ST_X(geom), ST_Y(geom), coalesce(radius_m, 150) "
                    f"FROM safestats.geocode({quote_literal(text)}, NULL) WHERE geom IS NOT NULL")
    if not rows:
        return None
    matched, conf, level, x, y, r = (py(v) for v in rows[0])
    r = max(float(r), 150.0)
    return Place("geocode", str(matched), str(level), x - r, y - r, x + r, y + r,
                 detail=str(level), confidence=float(conf) if conf is not None else None)
