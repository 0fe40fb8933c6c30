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
    note: str = ""                 # drawn instead of the chart when there is nothing to draw (and why)

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
    return str(db.scalar(f"SELECT name FROM ref.area WHERE level = {quote_literal(level)} "
                         f"AND vintage = {int(vintage)} AND code = {quote_literal(code)}") or code)


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
    # London's mean over the level's areas (the spine's middle), else London's published value
    "london": ("london", "london_mean", "london_value"),
    "london_min": ("london_min", "min"), "london_q1": ("london_q1", "q1", "london_p25"),
    "london_q3": ("london_q3", "q3", "london_p75"), "london_max": ("london_max", "max"),
}


def profile_rows(db: Database, area: str, run: int, level: str, vintage: int,
                 use_area_profile: bool = True) -> tuple[list[SpineRow], str]:
    """The spine rows and where they came from: ``safestats.area_profile`` when the database has it
    (checked in pg_proc), else ``landscape.indicator_value`` read directly."""
    if use_area_profile and _has_area_profile(db):
        cols, rows = db.query_with_columns(
            f"SELECT * FROM safestats.area_profile({quote_literal(area)}, {int(run)})")
        pick = {}
        for want, names in PROFILE_ALIASES.items():
            pick[want] = next((cols.index(n) for n in names if n in cols), None)
        if all(pick[c] is not None for c in ("indicator_code", "area", "london_min", "london_max")):
            out = []
            for r in rows:
                def g(c, r=r):
                    v = py(r[pick[c]]) if pick[c] is not None else None
                    if v is None and c == "london" and "london_value" in cols:
                        v = py(r[cols.index("london_value")])
                    return v
                out.append(SpineRow(str(g("indicator_code")), str(g("name") or g("indicator_code")),
                                    str(g("theme") or ""), str(g("direction") or "neutral"),
                                    str(g("unit") or ""), _f(g("area")), _f(g("peers")), _f(g("borough")),
                                    _f(g("london")), _f(g("london_min")), _f(g("london_q1")),
                                    _f(g("london_q3")), _f(g("london_max"))))
            out.sort(key=lambda r: (r.theme, r.name))
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


CITY_OF_LONDON = "E09000001"


def crime_coverage_sql(level: str, vintage: int) -> str:
    """Per month: the boroughs whose police force has street-level crime loaded that month, the crimes
    located in them and how many areas of the level they hold — London's mean per area over the places
    the data covers. police.uk publishes by force: the City of London Police polices the City
    (E09000001), the Metropolitan Police Service the other 32 boroughs; a force's crimes located just
    outside its area (the City's at the edge of Tower Hamlets) do not make that borough covered, and
    British Transport Police covers no borough of its own."""
    lv = quote_literal(level)
    city = quote_literal(CITY_OF_LONDON)
    return f"""
WITH forces AS (SELECT DISTINCT month, force FROM crime.street_crime_month_type),
covered AS (
  SELECT f.month, b.code AS borough_code FROM forces f
  JOIN ref.area b ON b.level = 'borough'
   AND b.vintage = (SELECT max(vintage) FROM ref.area WHERE level = 'borough')
   AND ((f.force ILIKE '%city of london%' AND b.code = {city})
        OR (f.force ILIKE '%metropolitan%' AND b.code <> {city}))
  GROUP BY f.month, b.code),
m AS (SELECT c.month, c.borough_code, count(*) AS crimes FROM crime.street_crime c
      JOIN covered USING (month, borough_code) GROUP BY c.month, c.borough_code),
k AS (SELECT parent_code, count(*) AS areas FROM ref.area WHERE level = {lv} AND vintage = {int(vintage)}
      GROUP BY parent_code)
SELECT to_char(cv.month, 'YYYY-MM'), string_agg(cv.borough_code, ',' ORDER BY cv.borough_code),
       coalesce(sum(m.crimes) FILTER (WHERE k.areas IS NOT NULL), 0), coalesce(sum(k.areas), 0)
FROM covered cv LEFT JOIN m USING (month, borough_code) LEFT JOIN k ON k.parent_code = cv.borough_code
GROUP BY cv.month ORDER BY cv.month"""


def crime_areas_sql(codes: list[str], level: str, vintage: int) -> str:
    """Street-level crimes per month in each of ``codes`` (points in the area's polygon), with the
    area's borough."""
    lv, cs = quote_literal(level), ", ".join(quote_literal(c) for c in codes)
    return f"""
SELECT a.code, a.parent_code, to_char(c.month, 'YYYY-MM'), count(c.month)
FROM ref.area a LEFT JOIN crime.street_crime c ON ST_Intersects(c.geom, a.geom)
WHERE a.level = {lv} AND a.vintage = {int(vintage)} AND a.code IN ({cs})
GROUP BY a.code, a.parent_code, c.month"""


def crime_trend_chart(db: Database, area: str, run: int | None = None, coverage=None) -> Chart:
    """Monthly street-level crime counts in the area against its similar areas' mean and London's mean
    per area, each over the months its borough has data (police.uk publishes by force). ``coverage``:
    the rows of :func:`crime_coverage_sql` when the caller already has them (a report draws many)."""
    run_id, level, vintage = _run_of(db, run, area)
    if not db.relation_exists("crime.street_crime"):
        raise SafeStatsError("This database has no street-level crime (crime.street_crime).")
    if coverage is None:
        coverage = db.query(crime_coverage_sql(level, vintage))
    months = [str(r[0]) for r in coverage]
    covered = {str(r[0]): set(str(py(r[1]) or "").split(",")) for r in coverage}
    london = {str(r[0]): _f(r[2]) / _f(r[3]) for r in coverage if _f(r[3])}
    peers = [str(r[0]) for r in db.query(
        f"SELECT similar_code FROM safestats.similar_areas({quote_literal(area)}, {int(run_id)}) "
        "ORDER BY rank")]
    counts: dict[tuple[str, str], float] = {}
    borough: dict[str, str] = {}
    for code, parent, month, n in db.query(crime_areas_sql([area, *peers], level, vintage)):
        borough[str(code)] = str(py(parent) or "")
        if py(month) is not None:
            counts[(str(code), str(month))] = float(py(n))
    aname = _area_name(db, level, vintage, area)
    mine, peer_mean = [], []
    for m in months:
        mine.append((m, counts.get((area, m), 0.0) if borough.get(area) in covered[m] else None, False))
        inside = [counts.get((c, m), 0.0) for c in peers if borough.get(c) in covered[m]]
        peer_mean.append((m, sum(inside) / len(inside) if inside else None, False))
    chart = Chart("trend", f"{aname}: street-level crimes per month",
                  f"police.uk; similar areas and London: mean per {level} where the police force's "
                  "data is loaded", "crimes",
                  series={aname: mine, "Similar areas (mean)": peer_mean,
                          f"London (mean per {level})": [(m, london.get(m), False) for m in months]},
                  source="crime.street_crime")
    chart.series = {k: v for k, v in chart.series.items() if any(x[1] is not None for x in v)}
    if not months:
        chart.note = "No street-level crime is loaded (safestats load police-uk …)."
    elif all(v is None for _m, v, _p in mine):
        loaded = sorted({b for m in months for b in covered[m]})
        names = [str(r[0]) for r in db.query(
            "SELECT name FROM ref.area WHERE level = 'borough' AND code IN ("
            + ", ".join(quote_literal(b) for b in loaded) + ") ORDER BY name")] if loaded else []
        chart.note = (f"No street-level crime is loaded for {aname}: the police.uk data in this database "
                      f"covers {', '.join(names) or 'no borough'} ({months[0]} to {months[-1]}). Load the "
                      "force that polices this area with safestats load police-uk ….")
    return chart
