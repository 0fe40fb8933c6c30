"""What each chart shows, read from the database's SQL functions (no drawing here: see chart_draw).

- :func:`comparator_chart`: one area and its similar areas on one metric, each value with its interval,
  the peers' mean and whether the gap is significant (``safestats.comparator_gaps`` +
  ``safestats.similar_areas``).
- :func:`variation_chart`: "where confidence varies most": areas ranked by the width of their gap's
  95% interval on one metric (``safestats.comparator_gaps``; the same measure as the map).
- :func:`profile_chart`: an area's indicators on London's range (spine chart) with its similar
  areas, its borough and London, by theme. Uses ``safestats.area_profile(area, run)`` when the
  database has it, otherwise the Landscape's ``landscape.indicator_value`` directly.
- :func:`trend_chart`: one indicator over time for an area against its peers, borough and London
  (``safestats.indicator_series`` for the area); projected values are flagged.

The same functions serve the panel (QGIS connection) and the CLI (``safestats chart``): both pass a
:class:`~qgis_plugin.core.connection.Database`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .connection import Database, SafeStatsError, py
from .sql import quote_literal


@dataclass
class Point:
    """One dot of a chart: an area (or a group such as "London") and its value with an interval."""
    code: str
    name: str
    value: float | None
    lower: float | None = None
    upper: float | None = None
    role: str = "peer"            # chosen / peer / borough / london / area
    significant: bool = False
    note: str = ""


@dataclass
class SpineRow:
    """One indicator of a spine chart: London's range and where the area, peers and borough sit."""
    indicator: str
    name: str
    theme: str
    direction: str
    unit: str
    area: float | None
    peers: float | None
    borough: float | None
    london: float | None
    london_min: float | None
    london_q1: float | None
    london_q3: float | None
    london_max: float | None


@dataclass
class Chart:
    kind: str                      # comparator / variation / profile / trend
    title: str
    subtitle: str = ""
    unit: str = ""
    points: list[Point] = field(default_factory=list)      # comparator, variation
    peers_mean: float | None = None                         # comparator
    spine: list[SpineRow] = field(default_factory=list)     # profile
    series: dict[str, list[tuple[str, float | None, bool]]] = field(default_factory=dict)  # trend
    source: str = ""               # the SQL function(s) drawn, for the caption

    def codes(self) -> list[str]:
        return [p.code for p in self.points]


def _f(v) -> float | None:
    v = py(v)
    return None if v is None else float(v)


def _run_of(db: Database, run: int | None, area: str | None = None) -> tuple[int, str, int]:
    """(run id, level, vintage): the given run, else the latest run holding ``area``, else the latest."""
    where = f"WHERE run_id = {int(run)}" if run is not None else (
        "WHERE run_id IN (SELECT run_id FROM comparator.similar_area "
        f"WHERE area_code = {quote_literal(area)})"
        if area else "")
    rows = db.query(f"SELECT run_id, level, vintage FROM comparator.run {where} ORDER BY run_id DESC LIMIT 1")
    if not rows:
        raise SafeStatsError(f"No comparator run {run if run is not None else 'holding ' + str(area)}; "
                             "build one with `safestats comparator build`.")
    return int(rows[0][0]), str(rows[0][1]), int(rows[0][2])


def _indicator(db: Database, code: str) -> tuple[str, str, str]:
    rows = db.query("SELECT name, unit, direction FROM landscape.indicator WHERE indicator_code = "
                    f"{quote_literal(code)}")
    if not rows:
        raise SafeStatsError(f"No Landscape indicator '{code}' (see `safestats landscape indicators`).")
    return str(rows[0][0]), str(rows[0][1]), str(rows[0][2])


def _area_name(db: Database, level: str, vintage: int, code: str) -> str:
    return str(db.scalar(f"SELECT safestats.comparator_area_name({quote_literal(level)}, {int(vintage)}, "
                         f"{quote_literal(code)})") or code)


def comparator_sql(area: str, metric: str, run: int) -> str:
    """The chosen area and its similar areas from ``comparator_gaps``, nearest first."""
    return (f"WITH s AS (SELECT similar_code, rank FROM safestats.similar_areas({quote_literal(area)}, "
            f"{int(run)})) "
            f"SELECT g.area_code, g.area_name, g.value, g.lower, g.upper, g.gap, g.gap_lower, g.gap_upper, "
            f"g.significant, g.peers_mean, g.area_code = {quote_literal(area)} AS chosen, g.shortfall "
            f"FROM safestats.comparator_gaps({quote_literal(metric)}, {int(run)}) g "
            f"LEFT JOIN s ON s.similar_code = g.area_code "
            f"WHERE g.area_code = {quote_literal(area)} OR s.similar_code IS NOT NULL "
            f"ORDER BY g.area_code <> {quote_literal(area)}, s.rank")


def comparator_chart(db: Database, area: str, metric: str, run: int | None = None) -> Chart:
    """Dots with intervals: the chosen area first, then its similar areas nearest first. An area's
    interval is its published 95% interval, else the 95% interval of its gap moved onto the value
    scale (value - gap + gap_lower … value - gap + gap_upper), which is what "significant" tests."""
    run_id, level, vintage = _run_of(db, run, area)
    name, unit, _direction = _indicator(db, metric)
    rows = db.query(comparator_sql(area, metric, run_id))
    if not rows or not py(rows[0][10]):
        raise SafeStatsError(f"'{area}' has no value of {metric} in comparator run {run_id}.")
    points = []
    for code, aname, value, lower, upper, gap, g_lo, g_hi, sig, _pm, chosen, _sf in rows:
        value, lower, upper = _f(value), _f(lower), _f(upper)
        if (lower is None or upper is None) and value is not None and _f(gap) is not None \
                and _f(g_lo) is not None and _f(g_hi) is not None:
            lower, upper = value - _f(gap) + _f(g_lo), value - _f(gap) + _f(g_hi)
        points.append(Point(str(code), str(py(aname) or code), value, lower, upper,
                            "chosen" if py(chosen) else "peer", bool(py(sig))))
    return Chart("comparator", f"{points[0].name}: {name}",
                 f"against its {len(points) - 1} most similar {level}s (run {run_id}); "
                 "filled dots: gap significant at 95%", unit, points, peers_mean=_f(rows[0][9]),
                 source="safestats.comparator_gaps + safestats.similar_areas")


def variation_sql(metric: str, run: int, top: int) -> str:
    return (f"SELECT g.area_code, g.area_name, g.gap, g.gap_lower, g.gap_upper, g.significant "
            f"FROM safestats.comparator_gaps({quote_literal(metric)}, {int(run)}) g "
            f"WHERE g.gap_upper IS NOT NULL AND g.gap_lower IS NOT NULL "
            f"ORDER BY g.gap_upper - g.gap_lower DESC, g.area_code LIMIT {int(top)}")


def variation_chart(db: Database, metric: str, run: int | None = None, top: int = 15) -> Chart:
    """The ``top`` areas whose gap on ``metric`` is least certain (widest 95% interval), widest first;
    each drawn as its gap with that interval."""
    run_id, level, _vintage = _run_of(db, run)
    name, unit, _direction = _indicator(db, metric)
    rows = db.query(variation_sql(metric, run_id, top))
    points = [Point(str(c), str(py(n) or c), _f(g), _f(lo), _f(hi), "area", bool(py(s)))
              for c, n, g, lo, hi, s in rows]
    return Chart("variation", f"Where confidence varies most: {name}",
                 f"{level}s with the widest 95% interval of their gap against similar areas (run {run_id})",
                 unit, points, source="safestats.comparator_gaps")


def _has_area_profile(db: Database) -> bool:
    return db.function_exists("safestats", "area_profile")


def profile_sql(area: str, run: int, level: str, vintage: int) -> str:
    """Spine rows from ``landscape.indicator_value``: each indicator's latest period at the run's level
    and vintage; London's min, quartiles, max and mean; the area; its similar areas' mean; its borough's
    mean (areas of the same level with the same parent)."""
    a, lv = quote_literal(area), quote_literal(level)
    return f"""
WITH latest AS (
  SELECT DISTINCT ON (v.indicator_code) v.indicator_code, v.period
  FROM landscape.indicator_value v
  WHERE v.level = {lv} AND v.vintage = {int(vintage)}
    AND EXISTS (SELECT 1 FROM landscape.indicator_value x WHERE x.indicator_code = v.indicator_code
                AND x.level = v.level AND x.vintage = v.vintage AND x.area_code = {a} AND x.period = v.period)
  ORDER BY v.indicator_code, v.period_start DESC, v.period DESC
), vals AS (
  SELECT v.indicator_code, v.area_code, v.value FROM landscape.indicator_value v
  JOIN latest l ON l.indicator_code = v.indicator_code AND l.period = v.period
  WHERE v.level = {lv} AND v.vintage = {int(vintage)} AND v.value IS NOT NULL
), peers AS (SELECT similar_code FROM safestats.similar_areas({a}, {int(run)})),
borough AS (
  SELECT b.code FROM ref.area b WHERE b.level = {lv} AND b.vintage = {int(vintage)} AND b.parent_code =
    (SELECT parent_code FROM ref.area WHERE level = {lv} AND vintage = {int(vintage)} AND code = {a})
)
SELECT i.indicator_code, i.name, i.theme, i.direction, i.unit,
       max(vals.value) FILTER (WHERE vals.area_code = {a}) AS area,
       avg(vals.value) FILTER (WHERE vals.area_code IN (SELECT similar_code FROM peers)) AS peers,
       avg(vals.value) FILTER (WHERE vals.area_code IN (SELECT code FROM borough)) AS borough,
       avg(vals.value) AS london, min(vals.value) AS london_min,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY vals.value) AS london_q1,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY vals.value) AS london_q3,
       max(vals.value) AS london_max
FROM vals JOIN landscape.indicator i USING (indicator_code)
GROUP BY i.indicator_code, i.name, i.theme, i.direction, i.unit
HAVING count(*) FILTER (WHERE vals.area_code = {a}) = 1
ORDER BY i.theme, i.name"""


PROFILE_COLUMNS = ("indicator_code", "name", "theme", "direction", "unit", "area", "peers", "borough",
                   "london", "london_min", "london_q1", "london_q3", "london_max")
# Names area_profile() may use for the same things (it is being written in parallel).
PROFILE_ALIASES = {
    "indicator_code": ("indicator_code", "indicator"), "name": ("name", "indicator_name"),
    "theme": ("theme",), "direction": ("direction",), "unit": ("unit",),
    "area": ("area", "value", "area_value"), "peers": ("peers", "peers_mean", "similar_mean"),
    "borough": ("borough", "borough_value", "borough_mean"),
    "london": ("london", "london_value", "london_mean"),
    "london_min": ("london_min", "min"), "london_q1": ("london_q1", "q1", "london_p25"),
    "london_q3": ("london_q3", "q3", "london_p75"), "london_max": ("london_max", "max"),
}


def profile_rows(db: Database, area: str, run: int, level: str, vintage: int) -> tuple[list[SpineRow], str]:
    """The spine rows and the SQL that made them (``safestats.area_profile`` when the database has it)."""
    if _has_area_profile(db):
        cols, rows = db.query_with_columns(
            f"SELECT * FROM safestats.area_profile({quote_literal(area)}, {int(run)})")
        pick = {}
        for want, names in PROFILE_ALIASES.items():
            pick[want] = next((cols.index(n) for n in names if n in cols), None)
        if all(pick[c] is not None for c in ("indicator_code", "area", "london_min", "london_max")):
            out = []
            for r in rows:
                def g(c, r=r):
                    return py(r[pick[c]]) if pick[c] is not None else None
                out.append(SpineRow(str(g("indicator_code")), str(g("name") or g("indicator_code")),
                                    str(g("theme") or ""), str(g("direction") or "neutral"),
                                    str(g("unit") or ""), _f(g("area")), _f(g("peers")), _f(g("borough")),
                                    _f(g("london")), _f(g("london_min")), _f(g("london_q1")),
                                    _f(g("london_q3")), _f(g("london_max"))))
            return out, "safestats.area_profile"
    rows = db.query(profile_sql(area, run, level, vintage))
    return [SpineRow(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
                     *[_f(x) for x in r[5:13]]) for r in rows], "landscape.indicator_value"


def profile_chart(db: Database, area: str, run: int | None = None) -> Chart:
    run_id, level, vintage = _run_of(db, run, area)
    rows, source = profile_rows(db, area, run_id, level, vintage)
    if not rows:
        raise SafeStatsError(f"No Landscape indicator has a value for '{area}' ({level} {vintage}).")
    name = _area_name(db, level, vintage, area)
    return Chart("profile", f"{name}: profile", f"each indicator on London's range of {level}s "
                 "(bar: lowest to highest, darker: middle half); dot: the area, ◆ similar areas, "
                 "▲ borough, | London mean", spine=rows, source=source)


def trend_sql(indicator: str, area: str, run: int, level: str, vintage: int) -> str:
    """Per period: the area's value (from ``indicator_series``), its similar areas' mean, its borough's
    mean and London's mean, with whether the area's value is projected."""
    a, lv, ind = quote_literal(area), quote_literal(level), quote_literal(indicator)
    return f"""
WITH s AS (SELECT * FROM safestats.indicator_series({ind}, {a}, {lv}) WHERE vintage = {int(vintage)}),
peers AS (SELECT similar_code FROM safestats.similar_areas({a}, {int(run)})),
borough AS (SELECT b.code FROM ref.area b WHERE b.level = {lv} AND b.vintage = {int(vintage)}
    AND b.parent_code = (SELECT parent_code FROM ref.area
                         WHERE level = {lv} AND vintage = {int(vintage)} AND code = {a})),
v AS (SELECT * FROM landscape.indicator_value WHERE indicator_code = {ind} AND level = {lv}
      AND vintage = {int(vintage)})
SELECT s.period, s.value, s.value_status = 'projected',
       (SELECT avg(v.value) FROM v WHERE v.period = s.period
          AND v.area_code IN (SELECT similar_code FROM peers)),
       (SELECT avg(v.value) FROM v WHERE v.period = s.period AND v.area_code IN (SELECT code FROM borough)),
       (SELECT avg(v.value) FROM v WHERE v.period = s.period)
FROM s ORDER BY s.period_start, s.period"""


def trend_chart(db: Database, area: str, indicator: str, run: int | None = None) -> Chart:
    run_id, level, vintage = _run_of(db, run, area)
    name, unit, _direction = _indicator(db, indicator)
    rows = db.query(trend_sql(indicator, area, run_id, level, vintage))
    if not rows:
        raise SafeStatsError(f"No values of {indicator} for '{area}' ({level} {vintage}).")
    aname = _area_name(db, level, vintage, area)
    series = {
        aname: [(str(r[0]), _f(r[1]), bool(py(r[2]))) for r in rows],
        "Similar areas (mean)": [(str(r[0]), _f(r[3]), False) for r in rows],
        "Borough (mean)": [(str(r[0]), _f(r[4]), False) for r in rows],
        "London (mean)": [(str(r[0]), _f(r[5]), False) for r in rows],
    }
    series = {k: v for k, v in series.items() if any(x[1] is not None for x in v)}
    return Chart("trend", f"{aname}: {name}", "over time against its similar areas, borough and London; "
                 "hollow dots and dashes: projected values", unit, series=series,
                 source="safestats.indicator_series")


def crime_trend_sql(area: str, level: str, vintage: int) -> str:
    """Street-level crimes per month in one area (point in polygon) and London's mean per area."""
    a, lv = quote_literal(area), quote_literal(level)
    return f"""
WITH a AS (SELECT geom FROM ref.area WHERE level = {lv} AND vintage = {int(vintage)} AND code = {a}),
n AS (SELECT count(*)::double precision AS areas FROM ref.area
      WHERE level = {lv} AND vintage = {int(vintage)})
SELECT to_char(c.month, 'YYYY-MM'), count(*) FILTER (WHERE ST_Intersects(c.geom, (SELECT geom FROM a))),
       count(*) / (SELECT areas FROM n)
FROM crime.street_crime c GROUP BY c.month ORDER BY c.month"""


def crime_trend_chart(db: Database, area: str, run: int | None = None) -> Chart:
    """Monthly street-level crime counts in the area against London's mean per area."""
    run_id, level, vintage = _run_of(db, run, area)
    if not db.relation_exists("crime.street_crime"):
        raise SafeStatsError("This database has no street-level crime (crime.street_crime).")
    rows = db.query(crime_trend_sql(area, level, vintage))
    aname = _area_name(db, level, vintage, area)
    return Chart("trend", f"{aname}: street-level crimes per month",
                 f"police.uk street-level crime in the area; London: mean per {level}", "count",
                 series={aname: [(str(r[0]), _f(r[1]), False) for r in rows],
                         f"London (mean per {level})": [(str(r[0]), _f(r[2]), False) for r in rows]},
                 source="crime.street_crime")
