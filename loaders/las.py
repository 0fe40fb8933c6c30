"""London Ambulance Service assault call-outs. No layout is published, so SafeStats defines two
(documented in docs/loaders.md) and accepts column-name variants listed in ``las_columns.json``:

- counts (``safestats load las-assaults``): month (YYYY-MM), area code (an LSOA E01, ward E05 or
  borough E09 code; the level follows from the code), category, count. A reload replaces the months
  the file covers.
- incidents (``safestats load las-incidents``): incident reference, call date-time (London time or
  ISO 8601 with offset), category, and a point as WGS84 longitude/latitude or British National Grid
  easting/northing. Key: the incident reference (a reload replaces an incident).
"""
from __future__ import annotations

import json
from pathlib import Path

from . import areas
from .core import Check, Column, CsvSource, LoadContext

VARIANTS = json.loads((Path(__file__).resolve().parent / "las_columns.json").read_text(encoding="utf-8"))
NUM = areas.NUMBER_RE


def _cols(kind: str, optional: set[str] = frozenset()) -> list[Column]:
    return [Column(name, names[0], aliases=tuple(names[1:]), required=name not in optional)
            for name, names in VARIANTS[kind].items()]


class LasCountSource(CsvSource):
    name = "las-assaults"
    description = "London Ambulance Service assault call-outs counted by month, area and category"
    target = "incident.las_assault_count"
    columns = _cols("counts")
    checks = [
        Check("month", "month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", "not a month (YYYY-MM)"),
        Check("area_code", "area_code ~ '^E0(1|5|9)[0-9]{6}$'", "not an LSOA, ward or borough code "
                                                                "(E01/E05/E09)"),
        Check("category", "category IS NOT NULL", "category is blank"),
        Check("count", "count ~ '^\\s*[0-9]+\\s*$'", "count is not a whole number ≥ 0"),
    ]

    def write(self, cur, ctx: LoadContext) -> int:
        cur.execute("DELETE FROM incident.las_assault_count WHERE month IN "
                    "(SELECT DISTINCT to_date(month || '-01', 'YYYY-MM-DD') FROM stage)")
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute("""
            INSERT INTO incident.las_assault_count (month, area_level, area_code, category, count, load_id)
            SELECT to_date(month || '-01', 'YYYY-MM-DD'),
                   CASE left(area_code, 3) WHEN 'E01' THEN 'lsoa' WHEN 'E05' THEN 'ward' ELSE 'borough' END,
                   area_code, category, sum(count::integer), %s
            FROM stage GROUP BY 1, 2, 3, 4""", (ctx.load_id,))
        return cur.rowcount


class LasIncidentSource(CsvSource):
    name = "las-incidents"
    description = "London Ambulance Service assault call-outs, one row per incident with a point"
    doc = "London Ambulance Service assault call-outs, incident level (layout in docs/loaders.md)."
    target = "incident.las_assault"
    columns = _cols("incidents", optional={"longitude", "latitude", "easting", "northing"})
    checks = [
        Check("incident_ref", "incident_ref IS NOT NULL", "incident reference is blank"),
        Check("incident_ref", "incident_ref NOT IN (SELECT incident_ref FROM stage WHERE incident_ref IS "
                              "NOT NULL "
                              "GROUP BY 1 HAVING count(*) > 1)", "incident reference appears more than once"),
        Check("call_at", "safestats_internal.try_local_timestamp(call_at, 'DD/MM/YYYY HH24:MI') IS NOT NULL",
              "call date-time is not a date-time (ISO 8601 or DD/MM/YYYY HH:MM)"),
        Check("category", "category IS NOT NULL", "category is blank"),
        *areas.lonlat_checks(Check),
        Check("easting", f"easting IS NULL OR (easting ~ '{NUM}' AND northing ~ '{NUM}' AND "
                         "easting::float8 BETWEEN 0 AND 700000 AND northing::float8 BETWEEN 0 AND 1300000)",
              "easting/northing not numbers inside the UK (British National Grid)"),
    ]

    def write(self, cur, ctx: LoadContext) -> int:
        areas.create_located(cur)
        cur.execute("""
            INSERT INTO located_pts (line_no, geom)
            SELECT line_no, CASE WHEN easting IS NOT NULL
                THEN ST_SetSRID(ST_MakePoint(easting::float8, northing::float8), 27700)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(longitude::float8, latitude::float8), 4326),
                    27700) END
            FROM stage WHERE easting IS NOT NULL OR longitude IS NOT NULL""")
        areas.assign_areas(cur)
        cur.execute("DELETE FROM incident.las_assault WHERE incident_ref IN (SELECT incident_ref FROM stage)")
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute(f"""
            INSERT INTO incident.las_assault (incident_ref, call_at, category, geom, location_status,
                lsoa21_code,
                                              ward22_code, borough_code, load_id, source_line)
            SELECT s.incident_ref, safestats_internal.try_local_timestamp(s.call_at, 'DD/MM/YYYY HH24:MI'),
                   s.category,
                   p.geom, {areas.LOCATION_STATUS}, p.lsoa21_code, p.ward22_code, p.borough_code, %s,
                       s.line_no
            FROM stage s LEFT JOIN located p ON p.line_no = s.line_no""", (ctx.load_id,))
        return cur.rowcount


SOURCE = LasCountSource()
INCIDENTS = LasIncidentSource()
