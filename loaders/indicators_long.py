"""Any dataset of your own, in long format: one row per area, indicator and period.

Required columns: ``area_code`` (a GSS code such as E05000026 or E01000001, or a neighbourhood code
with ``--level neighbourhood``), ``indicator`` (a name; its code is the lower-case slug), ``period``
(2019, 2019/20, 2019-03, ...), ``value``. Optional: ``lower``, ``upper`` (a 95% interval),
``sample_size``. Describe the indicators with ``--theme --unit --direction --source --licence``.

Example::

    area_code,indicator,period,value
    E05000026,Street lights per km,2020,31.5

    safestats load indicators my_lights.csv --theme Environment --unit "per km" --source "LB Barking"
"""
from __future__ import annotations

from .core import Check, Column, CsvSource, LoadContext, LoadRefused
from .landscape import (
    LEVEL_BY_PREFIX,
    IndicatorDef,
    guess_theme,
    guess_unit,
    period_start,
    slug,
    write_indicators,
)


class LongIndicatorSource(CsvSource):
    name = "indicators"
    description = "your own indicators, long format: area_code, indicator, period, value"
    target = "landscape.indicator, landscape.indicator_value"
    columns = [
        Column("area_code", "area_code", aliases=("code", "gss_code", "area")),
        Column("indicator", "indicator", aliases=("indicator_name", "measure")),
        Column("period", "period", aliases=("year", "date")),
        Column("value", "value"),
        Column("lower", "lower", aliases=("lower_ci", "lci"), required=False),
        Column("upper", "upper", aliases=("upper_ci", "uci"), required=False),
        Column("sample_size", "sample_size", aliases=("n", "base"), required=False),
    ]
    checks = [
        Check("area_code", "area_code ~ '^[A-Za-z0-9][A-Za-z0-9-]{1,15}$'", "not an area code"),
        Check("indicator", "indicator_code <> ''", "indicator name has no letters or digits"),
        Check("period", "period_start IS NOT NULL", "not a period (e.g. 2019, 2019/20, 2019-03)"),
        Check("value", "value IS NOT NULL AND safestats_internal.try_numeric(value) IS NOT NULL",
              "not a number"),
        Check("lower", "lower IS NULL OR safestats_internal.try_numeric(lower) IS NOT NULL", "not a number"),
        Check("upper", "upper IS NULL OR safestats_internal.try_numeric(upper) IS NOT NULL", "not a number"),
        Check("sample_size", "sample_size IS NULL OR safestats_internal.try_numeric(sample_size) > 0",
              "not a positive number"),
        Check("area_code", "level IS NOT NULL", "cannot tell the area level from the code; pass --level"),
    ]
    source_label = "user supplied"
    licence = "unknown (user supplied)"
    attribution = None
    level_override = None

    def add_arguments(self, p) -> None:
        p.add_argument("--level", help="area level of every row (default: from the code prefix: E05 ward, "
                       "E09 borough, E01 LSOA, E02 MSOA)")
        p.add_argument("--vintage", type=int, help="boundary vintage of the areas (default: ward 2018, LSOA "
                                                   "2011)")
        p.add_argument("--theme", help="theme of new indicators (default: guessed from the name)")
        p.add_argument("--unit", help="unit of new indicators (default: guessed from the name)")
        p.add_argument("--direction", choices=["higher is better", "higher is worse", "neutral"],
                       default="neutral", type=str.lower,
                       help="of new indicators: whether a higher value is better or worse (default neutral)")
        p.add_argument("--additive", action="store_true", help="the values are counts that may be summed")
        p.add_argument("--source-label", dest="source_label", default="user supplied", help="where the data "
                                                                                            "came from")
        p.add_argument("--licence", default="unknown (user supplied)", help="licence of the data")
        p.add_argument("--projected", action="store_true", help="the values are projections, not "
                                                                "observations")

    def staging_columns(self):
        return [c.name for c in self.columns] + ["indicator_code", "period_start"]

    def rows(self, path, header, mapping, records):
        for line_no, problem, values in super().rows(path, header, mapping, records):
            ind, per = values[1], values[2]
            try:
                ps = period_start(per).isoformat() if per else None
            except ValueError:
                ps = None
            yield line_no, problem, values + [slug(ind) if ind else None, ps]

    def prepare(self, cur, ctx: LoadContext) -> None:
        ex = ctx.options.extra
        cur.execute("ALTER TABLE stage ADD COLUMN level text, ADD COLUMN vintage smallint")
        if ex.get("level"):
            cur.execute("UPDATE stage SET level = %s, vintage = %s", (ex["level"], ex.get("vintage") or 2018))
        else:
            for prefix, (level, _) in LEVEL_BY_PREFIX.items():
                vintage = ex.get("vintage") or {"ward": 2018, "lsoa": 2011, "msoa": 2021}.get(level, 2022)
                cur.execute("UPDATE stage SET level = %s, vintage = %s WHERE left(area_code, 3) = %s",
                            (level, vintage, prefix))

    def write(self, cur, ctx: LoadContext) -> int:
        ex = ctx.options.extra
        dup = cur.execute("SELECT indicator_code, level, area_code, period, count(*) FROM stage "
                          "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 LIMIT 1").fetchone()
        if dup:
            raise LoadRefused(f"{ctx.path}: area {dup[2]} has {dup[4]} values for indicator {dup[0]!r} "
                              f"period {dup[3]}; one value per area, indicator and period")
        # write_indicators writes one period of each indicator it is given from "stage": call it once
        # per (indicator, period), with "stage" narrowed to those rows; the catalogue entry gathers
        # all periods.
        groups = cur.execute("SELECT DISTINCT indicator_code, indicator, period, period_start::date FROM "
                             "stage "
                             "ORDER BY 1, 3").fetchall()
        cur.execute("ALTER TABLE stage RENAME COLUMN value TO value_text")
        cur.execute("ALTER TABLE stage ADD COLUMN value text")
        cur.execute("UPDATE stage SET value = safestats_internal.try_numeric(value_text)::text")
        total = 0
        self.source_label = ex.get("source_label") or "user supplied"
        self.licence = ex.get("licence") or "unknown (user supplied)"
        for code, name, per, ps in groups:
            unit, additive = guess_unit(name)
            d = IndicatorDef(name, code, name, ex.get("theme") or guess_theme(name), ex.get("unit") or unit,
                             per, ps, bool(ex.get("additive")) or additive, ex.get("direction") or "neutral")
            # write_indicators reads "stage": narrow it to this indicator and period for one call.
            cur.execute("ALTER TABLE stage RENAME TO stage_all_src")
            cur.execute("CREATE TEMP TABLE stage ON COMMIT DROP AS SELECT * FROM stage_all_src "
                        "WHERE indicator_code = %s AND period = %s", (code, per))
            cur.execute("DROP TABLE IF EXISTS stage_def")
            total += write_indicators(cur, ctx, [d], self)
            cur.execute("DROP TABLE stage")
            cur.execute("ALTER TABLE stage_all_src RENAME TO stage")
        if ex.get("projected"):
            cur.execute("UPDATE landscape.indicator_value SET value_status = 'projected' WHERE load_id = %s",
                        (ctx.load_id,))
            cur.execute("UPDATE landscape.indicator SET value_status = 'projected' WHERE load_id = %s",
                        (ctx.load_id,))
        return total


SOURCE = LongIndicatorSource()
