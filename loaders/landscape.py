"""Shared pieces of the London Landscape indicator loaders (built on loaders.core).

Most London Datastore files are *wide*: one row per area, one column per indicator, with the period
in the column heading ("Population - 2015", "Crime rate - 2014/15"). :class:`WideIndicatorSource`
melts such a file into one staging row per (area, indicator), routes each row to its area level by
its GSS code prefix (ward, borough, London, England; anything else is skipped with a reason), and
writes the catalogue (``landscape.indicator``) and the values (``landscape.indicator_value``).

Reloading a file replaces the published values of its indicators at the levels it carries, so a
reload never duplicates and never leaves a stale value behind where the new file says ``n/a``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from psycopg.types.json import Jsonb

from .core import Column, CsvSource, LoadContext, LoadRefused, normalise_header

# Values that mean "no value" in these files (the ward profiles say n/a, the survey N/A).
SENTINELS = {"", "n/a", "na", "..", "-", ":", "*", "x", "#n/a", "null"}

THEMES = ("Emergency Services", "Education & Qualifications", "Ethnicity & Origin", "Financial & Economic",
          "Health", "Housing", "Population", "Transport", "Crime", "Public Confidence", "Environment",
          "Democracy")

# GSS prefix -> (level, vintage or None for "the source's own ward vintage"). Boroughs have kept
# their boundaries since 1965, so their values join the borough polygons of any vintage; we file
# them under the vintage ref.area holds (2022).
LEVEL_BY_PREFIX = {"E05": ("ward", None), "E09": ("borough", 2022), "E12": ("region", 2022),
                   "E92": ("country", 2022), "E01": ("lsoa", None), "E02": ("msoa", None)}


@dataclass
class IndicatorDef:
    """One indicator column of a wide file and its catalogue entry."""
    header: str
    code: str
    name: str
    theme: str
    unit: str
    period: str
    period_start: date
    additive: bool = False
    direction: str = "neutral"
    description: str | None = None


def slug(text: str, maxlen: int = 50) -> str:
    s = text.lower().replace("%", " pct ").replace("£", " gbp ").replace("&", " and ").replace("+", " plus ")
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    if len(s) <= maxlen:
        return s
    # shortened at a word: never "..._support_allowanc"
    i = s[:maxlen + 1].rfind("_")
    return (s[:i] if i >= maxlen // 2 else s[:maxlen]).rstrip("_")


_PERIOD_RE = re.compile(
    r"[\s\-–;,(]*"
    r"(?P<p>(?:19|20)\d{2}(?:/\d{2}|-\d{2}|(?:19|20)\d{2})?(?:\s+to\s+(?:19|20)\d{2}(?:/\d{2})?)?)"
    r"\s*\)?[\s_]*$")


def split_period(header: str) -> tuple[str, str | None]:
    """("Crime rate - 2014/15") -> ("Crime rate", "2014/15"); no trailing period -> (header, None)."""
    h = header.strip()
    m = _PERIOD_RE.search(h)
    if not m:
        return h, None
    p = m.group("p")
    if re.fullmatch(r"(19|20)\d{2}(19|20)\d{2}", p):          # atlas style "20092013"
        p = f"{p[:4]}-{p[4:]}"
    name = h[:m.start()].strip(" -–;,(_")
    return name, p


def period_start(period: str) -> date:
    """First day of a period: "2015" -> 2015-01-01; "2014/15" or "2015-16" (financial years) ->
    April 1st; "2015-16 to 2020-21" -> 2015-04-01; "2024-03" or "202403" -> 2024-03-01;
    "2009-13" (a span of calendar years) -> 2009-01-01; "2024-03-15" -> that day."""
    p = period.strip()
    m = re.fullmatch(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", p)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"((?:19|20)\d{2})(\d{2})", p)
    if m and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 1)
    m = re.match(r"((?:19|20)\d{2})(?:([/-])(\d{2})(?!\d))?", p)
    if not m:
        raise ValueError(f"not a period: {period!r}")
    year = int(m.group(1))
    if m.group(3):
        tail = int(m.group(3))
        if tail == (year + 1) % 100:
            return date(year, 4, 1)                 # financial year
        if m.group(2) == "-" and 1 <= tail <= 12 and p == m.group(0):
            return date(year, tail, 1)              # a month, YYYY-MM
    return date(year, 1, 1)


def guess_unit(name: str) -> tuple[str, bool]:
    """(unit, additive) from an indicator name: counts and populations add up, rates and shares do not."""
    n = name.lower()
    if n.startswith(("%", "pct")) or "(%)" in n or "percentage" in n or " % " in f" {n} ":
        return "percent", False
    if "per 1,000" in n or "per 1000" in n or "rate" in n:
        return "rate", False
    if "turnout" in n:
        return "percent", False
    if "£" in n or "price" in n or "income" in n:
        return "GBP", False
    if "age" in n and ("mean" in n or "median" in n) or "life expectancy" in n:
        return "years", False
    if "density" in n:
        return "persons per sq km", False
    if "square kilometres" in n or "sq km" in n:
        return "sq km", True
    if any(w in n for w in ("score", "rank", "ratio", "per household", "per head", "point")):
        return "index", False
    if any(w in n for w in ("population", "aged", "persons", "children", "people", "working-age",
                            "number", "all ages", "ethnic group", "births", "deaths", "in employment", "jobs",
                            "spaces", "crime",
                            "burglary", "robbery", "theft", "assault", "offences")):
        return "count", True
    return "value", False


_WORSE = ("obese", "claimant", "crime", "violence", "fires", "no qualifications", "ambulance",
          "killed", "absence", "out-of-work", "not in employment", "no adults in employment",
          "worst 50%", "burglary", "robbery", "theft", "assault", "offences", "mortality", "drug",
          "damage", "harassment", "weapon", "rape", "wounding", "worried", "gangs are a problem")
_BETTER = ("life expectancy", "employment rate", "gcse", "a-level", "level 4", "income", "turnout",
           "open space", "good job", "agree", "informed", "safe", "satisfied", "well to some",
           "not a problem", "not very or not at all worried", "confident", "fairly", "respect",
           "accessibility", "ptai", "ptal")


def guess_direction(name: str) -> str:
    """Is a higher value better or worse for residents? Keyword rules; neutral when unclear."""
    n = name.lower()
    if "rank of average score" in n:
        return "higher is better"       # rank 1 = most deprived in London
    if any(w in n for w in _BETTER) and not any(w in n for w in ("claimant",)):
        return "higher is better"
    if any(w in n for w in _WORSE):
        return "higher is worse"
    return "neutral"


def guess_theme(name: str) -> str:
    n = name.lower()
    rules = [
        (("ambulance", "fires", "killed or seriously"), "Emergency Services"),
        (("gcse", "a-level", "qualification", "absence", "school"), "Education & Qualifications"),
        (("bame", "born in uk", "english is first language", "ethnic", "white", "asian", "black",
          "mixed", "migrant"), "Ethnicity & Origin"),
        (("crime", "violence", "burglary", "robbery", "theft", "offence", "drug", "damage", "rape",
          "harassment", "weapon", "wounding", "assault"), "Crime"),
        (("life expectancy", "obese", "fertility", "births", "deaths", "mortality", "health"), "Health"),
        (("transport", "cars per", "bicycle", "ptal", "ptai"), "Transport"),
        (("employment", "jobs", "income", "claimant", "benefit", "jobseeker", "out-of-work", "lone parent",
          "id2010"), "Financial & Economic"),
        (("house price", "household spaces", "detached", "terraced", "flat", "owned", "rented",
          "council tax", "properties"), "Housing"),
        (("open space",), "Environment"),
        (("turnout", "election"), "Democracy"),
    ]
    for words, theme in rules:
        if any(w in n for w in words):
            return theme
    return "Population"


def parse_number(raw: str | None) -> tuple[float | None, str | None]:
    """(value, problem): sentinels give (None, None); text that is not a number gives a problem."""
    if raw is None:
        return None, None
    t = raw.strip()
    if t.lower() in SENTINELS:
        return None, None
    t2 = t.replace(",", "").replace("£", "").rstrip("%")
    try:
        v = float(t2)
    except ValueError:
        return None, f"{t!r} is not a number"
    if v != v or v in (float("inf"), float("-inf")):
        return None, f"{t!r} is not a finite number"
    return v, None


class WideIndicatorSource(CsvSource):
    """A file with one row per area and one column per indicator.

    Subclasses set ``name``, ``description``, ``code_headers`` (accepted spellings of the area code
    column), optional ``name_headers``, ``source_label``, ``licence``, ``attribution``,
    ``ward_vintage`` and implement :meth:`define` (header -> :class:`IndicatorDef` or None to ignore
    the column). ``expected`` lists indicator headers that must be present (layout check).
    """

    target = "landscape.indicator, landscape.indicator_value"
    code_headers: tuple[str, ...] = ()
    name_headers: tuple[str, ...] = ()
    source_label = ""
    licence = "Open Government Licence v3.0"
    attribution = ""
    ward_vintage = 2014
    lsoa_vintage = 2011
    level_override: str | None = None      # all rows at one level (e.g. neighbourhood)
    vintage_override: int | None = None
    expected: tuple[str, ...] = ()
    min_indicators = 1

    def define(self, header: str) -> IndicatorDef | None:
        raise NotImplementedError

    # -- header --------------------------------------------------------------------------
    def staging_columns(self) -> list[str]:
        return ["area_code", "area_name", "indicator_code", "raw_value", "value"]

    def map_header(self, path: Path, header: list[str]):
        norm = [normalise_header(h) for h in header]
        codes = {normalise_header(c) for c in self.code_headers}
        code_idx = next((i for i, h in enumerate(norm) if h in codes), None)
        if code_idx is None:
            raise LoadRefused(f"{path}: line 1: no area code column (expected one of: "
                              f"{', '.join(self.code_headers)}); found: "
                              f"{', '.join(h.strip() for h in header)}")
        names = {normalise_header(c) for c in self.name_headers}
        name_idx = next((i for i, h in enumerate(norm) if h in names), None)
        missing = [e for e in self.expected if normalise_header(e) not in norm]
        if missing:
            raise LoadRefused(f"{path}: line 1: the header does not fit source '{self.name}'; missing "
                              f"column(s): {', '.join(missing)}")
        defs: list[tuple[int, IndicatorDef]] = []
        seen = set()
        for i, h in enumerate(header):
            if i in (code_idx, name_idx):
                continue
            d = self.define(h)
            if d is None:
                continue
            if d.code in seen:
                raise LoadRefused(f"{path}: line 1: two columns give indicator code {d.code!r} "
                                  f"(the second is {h.strip()!r})")
            seen.add(d.code)
            defs.append((i, d))
        if len(defs) < self.min_indicators:
            raise LoadRefused(f"{path}: line 1: no indicator columns recognised for source '{self.name}'")
        self._defs = defs
        return [code_idx, name_idx]

    def rows(self, path, header, mapping, records) -> Iterator[tuple[int, str | None, list]]:
        code_idx, name_idx = mapping
        width = len(header)
        for line_no, rec in records:
            if len(rec) != width:
                yield line_no, f"expected {width} fields, found {len(rec)}", [None] * 5
                continue
            name = rec[name_idx].strip() if name_idx is not None else None
            code = self.area_code(rec[code_idx].strip(), name)
            for i, d in self._defs:
                value, problem = parse_number(rec[i])
                if problem:
                    problem = f"column {header[i].strip()!r}: {problem}"
                yield line_no, problem, [code, name, d.code, rec[i].strip() or None,
                                         None if value is None else repr(value)]

    def area_code(self, code: str, name: str | None) -> str:
        """The area code of a row (subclasses may derive one, e.g. from a name)."""
        return code

    # -- routing ---------------------------------------------------------------------------
    def prepare(self, cur, ctx: LoadContext) -> None:
        cur.execute("ALTER TABLE stage ADD COLUMN level text, ADD COLUMN vintage smallint")
        if self.level_override:
            cur.execute("UPDATE stage SET level = %s, vintage = "
                        "%s", (self.level_override, self.vintage_override))
        else:
            for prefix, (level, vintage) in LEVEL_BY_PREFIX.items():
                if vintage is None:
                    vintage = (self.ward_vintage if level == "ward" else self.lsoa_vintage if level == "lsoa"
                               else 2021)
                cur.execute("UPDATE stage SET level = %s, vintage = %s WHERE left(area_code, 3) = %s",
                            (level, vintage, prefix))
        # Rows whose code is no area level we store (e.g. "England and Wales", K04): skipped with a reason.
        skipped = cur.execute(
            "SELECT DISTINCT min(line_no) OVER (PARTITION BY area_code), area_code, area_name FROM stage "
            "WHERE level IS NULL AND _problem IS NULL AND area_code IS NOT NULL ORDER BY 1").fetchall()
        cur.execute("DELETE FROM stage WHERE level IS NULL AND _problem IS NULL AND area_code IS NOT NULL")
        skipped_counts = {"area not a stored level (e.g. England and Wales)": cur.rowcount}
        # The same area twice in one file (the ward profiles list the City of London among the wards
        # and again among the boroughs): the first row wins, the repeat is skipped with a reason.
        dups = cur.execute("""
            WITH d AS (SELECT line_no, area_code, area_name,
                              min(line_no) OVER (PARTITION BY level, area_code) AS first_line
                       FROM stage WHERE _problem IS NULL)
            SELECT DISTINCT line_no, area_code, area_name, first_line FROM d WHERE line_no <> first_line
            ORDER BY line_no""").fetchall()
        if dups:
            cur.execute("""DELETE FROM stage s USING (
                             SELECT line_no, level, area_code, min(line_no) OVER (PARTITION BY level,
                                 area_code) f
                             FROM stage WHERE _problem IS NULL) d
                           WHERE s.line_no = d.line_no AND d.line_no <> d.f""")
            skipped_counts["repeats the area of an earlier line"] = cur.rowcount
        notes = [{"line": line, "area_code": c, "name": n, "reason": "not a stored area level (ward, "
                  "borough, London, England)"} for line, c, n in skipped]
        notes += [{"line": line, "area_code": c, "name": n, "reason": f"repeats the area of line {f}"}
                  for line, c, n, f in dups]
        ctx.meta["skipped_rows"] = notes
        ctx.meta["skipped"] = {k: v for k, v in skipped_counts.items() if v > 0}
        for n in notes:
            ctx.progress.note(f"line {n['line']}: {n['area_code']} {n['name'] or ''} skipped: {n['reason']}")

    # -- writing -----------------------------------------------------------------------------
    def write(self, cur, ctx: LoadContext) -> int:
        n = write_indicators(cur, ctx, [d for _, d in self._defs], self)
        if cur.execute("SELECT 1 FROM stage WHERE level = 'ward' AND vintage = 2011 LIMIT 1").fetchone():
            made = cur.execute("SELECT safestats_internal.indicator_ward_2011_areas()").fetchone()[0]
            if made:
                ctx.progress.note(f"{made} unchanged 2011 wards registered with their 2014 polygon")
        return n


def write_indicators(cur, ctx: LoadContext, defs: list[IndicatorDef], src) -> int:
    """Upsert catalogue entries for ``defs`` and replace their published values from ``stage``
    (columns area_code, indicator_code, value, level, vintage; optional lower/upper/sample_size)."""
    levels = cur.execute("SELECT level, vintage, count(*) FROM stage WHERE value IS NOT NULL "
                         "GROUP BY 1, 2 ORDER BY 3 DESC").fetchall()
    main_level, main_vintage = ((levels[0][0], levels[0][1]) if levels
                                else (src.level_override or "ward", None))
    cur.execute("CREATE TEMP TABLE stage_def (indicator_code text, name text, theme text, unit text, "
                "additive bool, "
                "direction text, period text, period_start date, description text) ON COMMIT DROP")
    with cur.copy("COPY stage_def FROM STDIN") as cp:
        for d in defs:
            cp.write_row((d.code, d.name, d.theme, d.unit, d.additive, d.direction, d.period, d.period_start,
                          d.description))
    cur.execute("""
        INSERT INTO landscape.indicator AS i (indicator_code, name, theme, unit, additive, direction, source,
                                              licence, attribution, level, vintage, periods, description,
                                                  load_id)
        SELECT indicator_code, name, theme, unit, additive, direction, %(source)s, %(licence)s, %(attr)s,
               %(level)s, %(vintage)s, ARRAY[period], description, %(load_id)s
        FROM stage_def
        ON CONFLICT (indicator_code) DO UPDATE SET
          name = EXCLUDED.name, theme = EXCLUDED.theme, unit = EXCLUDED.unit, additive = EXCLUDED.additive,
          direction = EXCLUDED.direction, source = EXCLUDED.source, licence = EXCLUDED.licence,
          attribution = EXCLUDED.attribution, level = EXCLUDED.level, vintage = EXCLUDED.vintage,
          periods = (SELECT array_agg(DISTINCT p ORDER BY p) FROM unnest(i.periods || EXCLUDED.periods) p),
          description = EXCLUDED.description, load_id = EXCLUDED.load_id""",
                {"source": src.source_label, "licence": src.licence, "attr": src.attribution,
                 "level": main_level, "vintage": main_vintage, "load_id": ctx.load_id})
    cur.execute("""
        DELETE FROM landscape.indicator_value v
        USING stage_def d
        WHERE v.indicator_code = d.indicator_code AND v.period = d.period AND v.method = 'published'
          AND (v.level, v.vintage) IN (SELECT DISTINCT level, vintage FROM stage)""")
    # This session's own staging table (other sessions may have one too).
    has_ci = bool(cur.execute("SELECT 1 FROM pg_attribute WHERE attrelid = 'pg_temp.stage'::regclass "
                              "AND attname = 'lower' AND NOT attisdropped").fetchone())
    ci = ("safestats_internal.try_numeric(s.lower)::float8, safestats_internal.try_numeric(s.upper)::float8, "
          "safestats_internal.try_numeric(s.sample_size)::float8") if has_ci else "NULL, NULL, NULL"
    cur.execute(f"""
        INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period,
            period_start,
                                               value, lower, upper, sample_size, method, load_id)
        SELECT s.indicator_code, s.level, s.vintage, s.area_code, d.period, d.period_start,
               s.value::float8, {ci}, 'published', %(load_id)s
        FROM stage s JOIN stage_def d USING (indicator_code)
        WHERE s.value IS NOT NULL""", {"load_id": ctx.load_id})
    n = cur.rowcount
    missing = cur.execute("SELECT count(*) FROM stage WHERE value IS NULL").fetchone()[0]
    ctx.meta["values_not_available"] = missing
    if missing:
        ctx.meta["skipped"] = {**ctx.meta.get("skipped", {}),
                               "value not available (empty, or a not-available marker)": missing}
    ctx.meta["indicators"] = len(defs)
    ctx.progress.note(f"{n:,} values of {len(defs)} indicators; {missing:,} cells marked not available")
    return n


def code_column(header: str, *aliases: str) -> Column:
    return Column(slug(header), header, aliases=aliases)


@dataclass
class FixedDef:
    """A hand-written catalogue entry for a column (used where headings carry no period)."""
    code: str
    name: str
    theme: str
    unit: str
    period: str
    additive: bool = False
    direction: str = "neutral"
    description: str | None = None
    extra: dict = field(default_factory=dict)

    def to_def(self, header: str) -> IndicatorDef:
        return IndicatorDef(header, self.code, self.name, self.theme, self.unit, self.period,
                            period_start(self.period), self.additive, self.direction, self.description)


def auto_define(prefix: str, header: str, name: str | None = None,
                theme: str | None = None) -> IndicatorDef | None:
    """An :class:`IndicatorDef` derived from a heading "Name - period" (None when it has no period)."""
    base, period = split_period(header)
    if period is None:
        return None
    name = name or base
    unit, additive = guess_unit(name)
    return IndicatorDef(header, f"{prefix}_{slug(name, 44)}", name, theme or guess_theme(name), unit,
                        period, period_start(period), additive, guess_direction(name))


def meta_json(d: dict) -> Jsonb:
    return Jsonb(d)
