"""London Landscape in depth: the files of the shared ``landscape_more/`` folder (GLA projections,
borough atlas, MPS crime series, Indices of Deprivation 2004-2025, Census 2011/2021, ONS Health
Index, ward well-being, LFB incidents, house prices, household income, cycling to work) and the
MPS 2022-ward crime file of ``datastore/``, each read by its own layout into one long form
(indicator, level, vintage, area, period, value, observed/projected) with a catalogue entry per
indicator (theme, unit, direction, additive, source, licence, attribution).

``safestats load landscape-more FILE`` takes either one of those files (recognised by its name) or
the compact shipped form ``data/landscape/landscape_more.csv.gz`` (built from all of them by
``scripts/landscape_build.py``; its catalogue is ``landscape_more_catalogue.csv`` beside it).
A reload replaces the published values of the file's indicators at the levels the file holds; a
published value is never replaced by a derived one (boundary moves write only where nothing was
published). After the values are written, every ward and LSOA indicator of the load is carried onto
today's areas (2022 wards and boroughs) by :func:`move_to_today` (set-based; the method is recorded
on each value). The ambulance file of ``landscape_more/`` is refused: its licence is unverified.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .core import LoadError, LoadOptions, LoadRefused, Source, run_load
from .landscape import guess_direction, guess_unit, parse_number, period_start, slug

OGL = "Open Government Licence v3.0"
COMPACT_NAME = "landscape_more.csv.gz"
CATALOGUE_NAME = "landscape_more_catalogue.csv"
COMPACT_HEADER = [
    "indicator_code",
    "level",
    "vintage",
    "area_code",
    "period",
    "period_start",
    "value",
    "value_status",
    "source_file",
]
CATALOGUE_HEADER = [
    "indicator_code",
    "name",
    "theme",
    "unit",
    "additive",
    "direction",
    "source",
    "licence",
    "attribution",
    "description",
]
EXCLUDED = {
    "las_ambulance_incidents_borough_monthly_2009_2015.csv.gz": (
        "its licence is marked unverified in SOURCES.md (the xls says 'Rights: LAS')"
    )
}

BOROUGHS = [
    "City of London",
    "Barking and Dagenham",
    "Barnet",
    "Bexley",
    "Brent",
    "Bromley",
    "Camden",
    "Croydon",
    "Ealing",
    "Enfield",
    "Greenwich",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Havering",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Kingston upon Thames",
    "Lambeth",
    "Lewisham",
    "Merton",
    "Newham",
    "Redbridge",
    "Richmond upon Thames",
    "Southwark",
    "Sutton",
    "Tower Hamlets",
    "Waltham Forest",
    "Wandsworth",
    "Westminster",
]
BOROUGH_CODE = {
    re.sub(r"[^a-z]", "", n.lower().replace("&", "and")): f"E090000{i + 1:02d}"
    for i, n in enumerate(BOROUGHS)
}


def borough_code(name: str) -> str | None:
    """E09 code of a borough name in any case / spelling with & (None for pseudo-boroughs)."""
    return BOROUGH_CODE.get(re.sub(r"[^a-z]", "", name.lower().replace("&", "and")))


@dataclass
class Ind:
    code: str
    name: str
    theme: str
    unit: str
    additive: bool
    direction: str
    description: str | None = None


class Out:
    """What one file yields: catalogue entries and long rows."""

    def __init__(self, file_name: str, ward_vintage: int = 2022, lsoa_vintage: int = 2021):
        self.file_name = file_name
        self.ward_vintage = ward_vintage
        self.lsoa_vintage = lsoa_vintage
        self.inds: dict[str, Ind] = {}
        self.rows: list[tuple] = []
        self.skipped = 0

    def ind(
        self,
        code: str,
        name: str,
        theme: str,
        unit: str | None = None,
        additive: bool | None = None,
        direction: str | None = None,
        description: str | None = None,
    ) -> str:
        if code not in self.inds:
            gu, ga = guess_unit(name)
            self.inds[code] = Ind(
                code,
                name,
                theme,
                unit or gu,
                ga if additive is None else additive,
                direction or guess_direction(name),
                description,
            )
        return code

    def val(
        self,
        code: str,
        area: str,
        period: str,
        value,
        status: str = "observed",
        start: date | None = None,
        level: str | None = None,
        vintage: int | None = None,
    ) -> None:
        if isinstance(value, str):
            value, _ = parse_number(value)
        if value is None or area is None:
            self.skipped += 1
            return
        if level is None:
            level, vintage = self.level_of(area)
            if level is None:
                self.skipped += 1
                return
        self.rows.append(
            (
                code,
                level,
                vintage,
                area,
                period,
                (start or period_start(period)).isoformat(),
                format(float(value), ".10g"),
                status,
                self.file_name,
            )
        )

    def level_of(self, code: str) -> tuple[str | None, int | None]:
        p = code[:3]
        if p == "E05":
            return "ward", self.ward_vintage
        if p == "E01":
            return "lsoa", self.lsoa_vintage
        if p == "E02":
            return "msoa", 2021
        if p == "E09":
            return "borough", 2022
        if code == "E12000007":
            return "region", 2022
        return None, None


def _open(path: Path):
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"), newline="")


def _dict_rows(path: Path, required: tuple[str, ...]) -> Iterator[dict]:
    f = _open(path)
    r = csv.DictReader(f)
    missing = [c for c in required if c not in (r.fieldnames or [])]
    if missing:
        raise LoadRefused(
            f"{path}: line 1: the header does not fit layout {path.name!r}; missing column(s): "
            f"{', '.join(missing)}; found: {', '.join(r.fieldnames or [])}"
        )
    yield from r


# ----------------------------------------------------------------------------------------------
# Layouts: one function per file, filling an Out.


def gla_density(path: Path, out: Out) -> None:
    ward = "ward" in path.name
    req = ("Code", "Year", "Population", "Population_per_hectare")
    out.ward_vintage = 2011
    pop = out.ind(
        "gla_population",
        "Population (GLA estimates and projections)",
        "Population",
        "persons",
        True,
        "neutral",
        "ONS mid-year estimates to 2010, GLA population projections from 2011 (round not "
        "stated in the file; probably 2016-based). Ward file: 2011 census wards, every year after 2011 "
        "projected.",
    )
    dens = out.ind(
        "gla_population_density",
        "Population density (persons per hectare)",
        "Population",
        "persons per hectare",
        False,
        "neutral",
    )
    for row in _dict_rows(path, req):
        code, year = row["Code"].strip(), int(float(row["Year"]))
        if ward:
            status = "observed" if year <= 2011 else "projected"
        else:
            status = "observed" if row.get("Source", "").strip().startswith("ONS") else "projected"
        out.val(pop, code, str(year), row["Population"], status)
        out.val(dens, code, str(year), row["Population_per_hectare"], status)


ATLAS_THEME = {
    "Population and Age": "Population",
    "Area and Density": "Population",
    "Diversity": "Ethnicity & Origin",
    "Language": "Ethnicity & Origin",
    "Nat Insurance No. registrations to adult overseas nationals": "Ethnicity & Origin",
    "Population change/Migration": "Population",
    "Births and Deaths": "Health",
    "Employment": "Financial & Economic",
    "NEETs": "Education & Qualifications",
    "Benefits Claimants": "Financial & Economic",
    "Jobseekers Allowance": "Financial & Economic",
    "Housing": "Housing",
    "Qualifications": "Education & Qualifications",
    "Earnings by place of work": "Financial & Economic",
    "Gross Annual Household Income": "Financial & Economic",
    "Volunteering": "Population",
    "Businesses": "Financial & Economic",
    "Community Safety": "Crime",
    "Environment": "Environment",
    "Transport": "Transport",
    "Deprivation": "Financial & Economic",
    "Children": "Education & Qualifications",
    "Health": "Health",
    "Elections": "Democracy",
}
_PERIOD_LIKE = re.compile(r"^(?:19|20)\d{2}(?:[/-]\s?\d{2,4}p?)?(?:\s+to\s+(?:19|20)\d{2}/\d{2})?p?$")
# Atlas series whose later years are GLA projections (the workbook gives them as plain years).
_ATLAS_PROJECTED_AFTER = {
    "Population Projections": 2016,
    "BAME Population Projections": 2016,
    "Household Estimates": 2015,
    "Population density (per hectare)": 2016,
}
# Estimates and their projections share one indicator code (one axis, observed then projected).
_ATLAS_SAME_SERIES = {"Population Projections": "Population Estimates"}


def borough_atlas(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("area_code", "theme", "indicator", "period", "value")):
        ind, per, theme = row["indicator"].strip(), row["period"].strip(), row["theme"].strip()
        name = _ATLAS_SAME_SERIES.get(ind, ind)
        if ";" in per:  # "Female; 2008 - 10"
            cat, per = (s.strip() for s in per.split(";", 1))
            name = f"{name} - {cat}"
        per = re.sub(r"\s*-\s*", "-", per)
        if not _PERIOD_LIKE.match(per):
            if "combined years" in per.lower() or not per:
                out.skipped += 1
                continue
            m = re.search(r"(?:19|20)\d{2}", per) or re.search(r"(?:19|20)\d{2}", ind)
            if not m:
                out.skipped += 1
                continue
            name = f"{name} - {re.sub(r'[(]?(?:19|20)[0-9]{2}[)]?', '', per).strip(' -')}"
            per = m.group(0)
        per = per.rstrip("p")
        year = int(per[:4])
        status = "projected" if year > _ATLAS_PROJECTED_AFTER.get(ind, 9999) else "observed"
        our_theme = ATLAS_THEME.get(theme, "Population")
        if theme == "Community Safety" and not ind.lower().startswith("crime"):
            our_theme = "Emergency Services"
        code = out.ind(
            "atlas_" + slug(name, 55),
            name,
            our_theme,
            description=f"GLA London Borough Atlas, sheet {row.get('sheet', '')}, theme {theme}",
        )
        out.val(code, row["area_code"].strip(), per, row["value"], status)


def borough_atlas_metadata(path: Path, out: Out) -> None:
    """Definitions of the atlas indicators: no values; descriptions for the catalogue."""
    for row in _dict_rows(path, ("indicator", "metadata")):
        out.inds["atlas_" + slug(row["indicator"].strip(), 55)] = Ind(
            "atlas_" + slug(row["indicator"].strip(), 55),
            row["indicator"].strip(),
            "",
            "",
            False,
            "",
            " ".join(row["metadata"].split())[:1000],
        )


def house_prices(path: Path, out: Out) -> None:
    months = {"Mar": 3, "Jun": 6, "Sep": 9, "Dec": 12}
    f = _dict_rows(path, ("Code", "Area", "measure"))
    for row in f:
        m = row["measure"].strip()
        code = out.ind(
            f"house_price_{m}",
            f"House price, {m} (rolling year, Land Registry)",
            "Financial & Economic",
            "GBP",
            False,
            "neutral",
            "Mean / median labels inferred from the values (see SOURCES.md).",
        )
        for k, v in row.items():
            mm = re.fullmatch(r"Year ending (\w{3}) ((?:19|20)\d{2})", (k or "").strip())
            if mm:
                out.val(code, row["Code"].strip(), f"{mm.group(2)}-{months[mm.group(1)]:02d}", v)


def household_income(path: Path, out: Out) -> None:
    out.lsoa_vintage = 2011
    for row in _dict_rows(path, ("LSOA11CD", "HHI_mean_2001", "HHI_median_2012")):
        for k, v in row.items():
            mm = re.fullmatch(r"HHI_(mean|median)_(\d{4})", k)
            if mm:
                y = int(mm.group(2))
                code = out.ind(
                    f"hhi_{mm.group(1)}",
                    f"Household income, {mm.group(1)} (modelled, gross, unequivalised)",
                    "Financial & Economic",
                    "GBP",
                    False,
                    "higher is better",
                    "GLA modelled estimates; financial year beginning in the year given.",
                )
                out.val(code, row["LSOA11CD"].strip(), f"{y}/{(y + 1) % 100:02d}", v)


_IMD_DOMAINS = {
    "IMD": "Index of Multiple Deprivation",
    "Income": "Income deprivation",
    "Employment": "Employment deprivation",
    "Education": "Education, skills and training deprivation",
    "Health": "Health deprivation and disability",
    "Crime": "Crime (IoD domain)",
    "Housing_and_Access": "Barriers to housing and services",
    "Housing_and_Services": "Barriers to housing and services",
    "Environment": "Living environment deprivation",
}
_IMD_THEME = {
    "Crime": "Crime",
    "Health": "Health",
    "Education": "Education & Qualifications",
    "Housing_and_Access": "Housing",
    "Housing_and_Services": "Housing",
    "Environment": "Environment",
}


def _imd_domain_key(raw: str) -> str:
    k = raw.lower()
    return {"housing_and_services": "housing_and_access"}.get(k, k)


def _imd_cols(out: Out, row: dict, area: str, edition: int, prefix: str, fields: dict) -> None:
    for col, v in row.items():
        if not col.startswith(prefix):
            continue
        rest = col[len(prefix) :]
        mm = re.fullmatch(r"(.+?)_(score|rank)", rest)
        if not mm:
            continue
        dom, kind = mm.groups()
        key = _imd_domain_key(dom)
        if kind == "rank" and key != "imd" and edition != 2019:
            continue  # domain ranks only where no score is published (2019)
        label = _IMD_DOMAINS.get(dom, dom.replace("_", " ").replace("sub domain", "sub-domain").capitalize())
        theme = _IMD_THEME.get(dom, "Financial & Economic")
        if kind == "score":
            code = out.ind(
                f"iod_{key}_score",
                f"{label}: score (IoD)",
                theme,
                "score",
                False,
                "higher is worse",
                "English Indices of Deprivation; editions 2004-2025 on their own LSOA vintage. Scores "
                "of different editions are not strictly comparable.",
            )
        else:
            code = out.ind(
                f"iod_{key}_rank",
                f"{label}: rank in England (1 = most deprived)",
                theme,
                "rank",
                False,
                "higher is better",
                "Rank among all English LSOAs of the edition.",
            )
        out.val(code, area, str(edition), v)


def imd_2004_2010(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("lsoa01_code", "imd2004_IMD_score", "imd2010_IMD_score")):
        area = row["lsoa01_code"].strip()
        for ed in (2004, 2007, 2010):
            _imd_cols(out, row, area, ed, f"imd{ed}_", {})
            # 2010 sub-domains are named "<sub>_score" directly after the prefix too
        for col, v in row.items():
            mm = re.fullmatch(r"imd2010_sub_(.+)_score", col)
            if mm:
                code = out.ind(
                    f"iod_{mm.group(1).lower()}_score",
                    f"IoD sub-domain {mm.group(1).replace('_', ' ')}: score",
                    "Financial & Economic",
                    "score",
                    False,
                    "higher is worse",
                )
                out.val(code, area, "2010", v)


def _lsoa01_level(out: Out) -> None:
    out.rows = [
        (c, "lsoa", 2001, *rest) if lv == "lsoa" else (c, lv, vi, *rest) for c, lv, vi, *rest in out.rows
    ]


def imd_2004_2010_file(path: Path, out: Out) -> None:
    imd_2004_2010(path, out)
    _lsoa01_level(out)


def imd_2015_2019(path: Path, out: Out) -> None:
    out.lsoa_vintage = 2011
    for row in _dict_rows(path, ("lsoa11_code", "imd2015_IMD_score")):
        area = row["lsoa11_code"].strip()
        _imd_cols(out, row, area, 2015, "imd2015_", {})
        _imd_cols(out, row, area, 2019, "imd2019_", {})


def imd_2025(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("lsoa21_code", "IMD_score")):
        area = row["lsoa21_code"].strip()
        _imd_cols(out, row, area, 2025, "", {})


def imd_2025_indicators(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("lsoa21_code", "income_domain_numerator")):
        for col, v in row.items():
            if col in ("lsoa21_code", "LAD22CD", "LAD22NM"):
                continue
            name = col.replace("_", " ").replace("1 000", "1,000")
            theme = (
                "Crime"
                if "rate per 1,000 at risk" in name
                else "Health"
                if any(w in name for w in ("morbidity", "illness", "mental", "life lost", "gp"))
                else "Education & Qualifications"
                if any(w in name for w in ("skills", "education"))
                else "Housing"
                if any(w in name for w in ("housing", "homeless", "overcrowding", "affordab"))
                else "Transport"
                if "connectivity score" in name
                else "Financial & Economic"
            )
            unit, additive = ("count", True) if "numerator" in name else (guess_unit(name)[0], False)
            direction = (
                "higher is better"
                if any(w in name for w in ("broadband", "entry to higher", "connectivity score"))
                else "higher is worse"
            )
            if "connectivity score" in name:
                direction = "higher is worse"  # IoD: higher score = worse connectivity
            code = out.ind("iod25_" + slug(col, 50), f"{name} (IoD 2025)", theme, unit, additive, direction)
            out.val(code, row["lsoa21_code"].strip(), "2025", v)


def imd_2025_boroughs(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("ltla24_code", "imd_average_score")):
        for col, v in row.items():
            if col in ("ltla24_code", "ltla24_name") or "rank_of" in col:
                continue
            name = col.replace("_", " ").replace("lso as", "LSOAs")
            dom = col.split("_")[0]
            theme = {
                "crime": "Crime",
                "health": "Health",
                "education": "Education & Qualifications",
                "housing": "Housing",
                "barriers": "Housing",
                "environment": "Environment",
                "living": "Environment",
            }.get(dom, "Financial & Economic")
            direction = "higher is better" if "average_rank" in col else "higher is worse"
            code = out.ind(
                "iod25_la_" + slug(col, 50),
                f"{name} (IoD 2025 local-authority summary)",
                theme,
                "index",
                "scale" in col,
                direction,
            )
            out.val(code, row["ltla24_code"].strip(), "2025", v)


_C21_TOPIC_THEME = {
    "ethnicity": "Ethnicity & Origin",
    "disability": "Health",
    "household_deprivation": "Financial & Economic",
    "household_tenure": "Housing",
    "household_overcrowding": "Housing",
}


def _dep_dims(category: str) -> str:
    c = category.lower()
    for word, n in (("not deprived", "0"), ("one", "1"), ("two", "2"), ("three", "3"), ("four", "4")):
        if word in c:
            return n
    return slug(category)


def census21_topics(path: Path, out: Out) -> None:
    res = out.ind("c21_residents", "Usual residents (Census 2021)", "Population", "persons", True, "neutral")
    hh = out.ind("c21_households", "Households (Census 2021)", "Population", "households", True, "neutral")
    seen: set[tuple[str, str]] = set()
    for row in _dict_rows(path, ("lsoa21_code", "topic", "category", "prop", "total", "total_of")):
        area, topic, cat = row["lsoa21_code"].strip(), row["topic"].strip(), row["category"].strip()
        if topic == "household_deprivation":
            code = out.ind(
                f"census_household_deprived_{_dep_dims(cat)}_dims_pct",
                f"Households deprived in {_dep_dims(cat)} dimension(s) (%, Census)",
                "Financial & Economic",
                "percent",
                False,
                "higher is better" if _dep_dims(cat) == "0" else "higher is worse",
            )
        else:
            name = f"{cat} (% of {row['total_of']}, Census 2021 {topic.replace('_', ' ')})"
            direction = (
                "higher is worse" if ("overcrowded" in cat or cat.startswith("Disabled")) else "neutral"
            )
            code = out.ind(
                "c21_" + slug(f"{topic} {cat}", 55) + "_pct",
                name,
                _C21_TOPIC_THEME.get(topic, "Population"),
                "percent",
                False,
                direction,
            )
        out.val(code, area, "2021", float(row["prop"]) * 100 if row["prop"] else None)
        key = (area, row["total_of"])
        if key not in seen:
            seen.add(key)
            out.val(res if row["total_of"] == "residents" else hh, area, "2021", row["total"])


def census11_deprivation(path: Path, out: Out) -> None:
    out.lsoa_vintage = 2011
    for row in _dict_rows(path, ("lsoa11_code", "households_number_deprivation_dimensions", "proportion")):
        n = str(int(float(row["households_number_deprivation_dimensions"])))
        code = out.ind(
            f"census_household_deprived_{n}_dims_pct",
            f"Households deprived in {n} dimension(s) (%, Census)",
            "Financial & Economic",
            "percent",
            False,
            "higher is better" if n == "0" else "higher is worse",
        )
        out.val(code, row["lsoa11_code"].strip(), "2011", float(row["proportion"]) * 100)


def census21_ethnic_detail(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("ltla21_code", "ethnic_group", "value")):
        g = row["ethnic_group"].strip()
        if not g.endswith("(percent)"):
            continue
        group = g[: -len("(percent)")].strip()
        code = out.ind(
            "c21_ethnic_" + slug(group.split(":")[-1] if ":" in group else group, 40) + "_pct",
            f"{group} (% of residents, Census 2021)",
            "Ethnicity & Origin",
            "percent",
            False,
            "neutral",
        )
        out.val(code, row["ltla21_code"].strip(), "2021", row["value"])


def census21_migration_language(path: Path, out: Out) -> None:
    rows = _dict_rows(path, ("msoa21_code", "all_usual_residents", "prop_migrated_from_outside_uk"))
    for row in rows:
        area = row["msoa21_code"].strip()
        for col, name in (
            ("prop_migrated_from_within_uk", "Moved from elsewhere in the UK in the last year (%)"),
            ("prop_migrated_from_outside_uk", "Arrived from outside the UK in the last year (%)"),
        ):
            code = out.ind(
                "c21_" + slug(col, 50) + "_pct",
                name + " (Census 2021)",
                "Ethnicity & Origin",
                "percent",
                False,
                "neutral",
            )
            v, _ = parse_number(row[col])
            out.val(code, area, "2021", None if v is None else v * 100)
        last = list(row)[-1]
        code = out.ind(
            "c21_cannot_speak_english_well_pct",
            "Residents whose main language is not English who "
            "cannot speak English well or at all (%, Census 2021)",
            "Ethnicity & Origin",
            "percent",
            False,
            "higher is worse",
        )
        v, _ = parse_number(row[last])
        out.val(code, area, "2021", None if v is None else v * 100)
        eng = next((c for c in row if c.startswith("Main language is English")), None)
        if eng:
            v, _ = parse_number(row[eng])
            tot, _ = parse_number(row["all_usual_residents"])
            code = out.ind(
                "c21_main_language_english_pct",
                "Main language English (% of residents, Census 2021)",
                "Ethnicity & Origin",
                "percent",
                False,
                "neutral",
            )
            out.val(code, area, "2021", None if v is None or not tot else 100 * v / tot)


def health_index(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("ltla21_code", "year", "overall_score")):
        y = str(int(float(row["year"])))
        for col, v in row.items():
            if col in ("ltla21_code", "year"):
                continue
            name = col.replace("_", " ")
            code = out.ind(
                "hi_" + slug(col, 50),
                f"ONS Health Index: {name}",
                "Health",
                "index (England 2015 = 100)",
                False,
                "higher is better",
            )
            out.val(code, row["ltla21_code"].strip(), y, v)


def health_index_indicators(path: Path, out: Out) -> None:
    for row in _dict_rows(path, ("ltla21_code", "year", "indicator", "value")):
        name = row["indicator"].strip()
        code = out.ind(
            "hii_" + slug(name, 50),
            f"ONS Health Index indicator: {name}",
            "Health",
            "index (England 2015 = 100)",
            False,
            "higher is better",
            "Index value (England 2015 = 100, higher is healthier), not the raw rate.",
        )
        out.val(code, row["ltla21_code"].strip(), str(int(float(row["year"]))), row["value"])


_WELLBEING = {
    "life expectancy": ("Health", "higher is better", "years"),
    "childhood obesity": ("Health", "higher is worse", "percent"),
    "incapacity benefit": ("Financial & Economic", "higher is worse", "percent"),
    "unemployment": ("Financial & Economic", "higher is worse", "percent"),
    "crime rate": ("Crime", "higher is worse", "rate per 1,000"),
    "deliberate fires": ("Emergency Services", "higher is worse", "rate per 1,000"),
    "gcse": ("Education & Qualifications", "higher is better", "points"),
    "unauthorised absence": ("Education & Qualifications", "higher is worse", "percent"),
    "dependent children": ("Financial & Economic", "higher is worse", "percent"),
    "public transport accessibility": ("Transport", "higher is better", "index"),
    "ptal": ("Transport", "higher is better", "index"),
    "open space": ("Environment", "higher is better", "index"),
    "subjective well-being": ("Health", "higher is better", "score"),
    "well-being": ("Health", "higher is better", "score"),
}


def ward_wellbeing(path: Path, out: Out) -> None:
    out.ward_vintage = 2011
    for row in _dict_rows(path, ("New ward code", "Ward")):
        area = row["New ward code"].strip()
        for col, v in row.items():
            if col in ("Old Ward Code", "New ward code", "Ward", "Borough"):
                continue
            mm = re.search(r"\s*-?\s*((?:19|20)\d{2}(?:-(?:\d{2}|\d{4}))?)\s*$", col)
            if not mm:
                continue
            name = col[: mm.start()].strip(" -")
            per = mm.group(1)
            if re.fullmatch(r"\d{4}-\d{2}", per):  # "2007-11": a five-year span, not a month
                per = f"{per[:4]}-{per[:2]}{per[5:]}"
            theme, direction, unit = next(
                (t for k, t in _WELLBEING.items() if k in name.lower()), ("Health", "neutral", "index")
            )
            code = out.ind(
                "wb_" + slug(name, 50), f"{name} (GLA ward well-being)", theme, unit, False, direction
            )
            out.val(code, area, per, v)


def cycling(path: Path, out: Out) -> None:
    out.ward_vintage = 2011
    pct = out.ind(
        "census_cycle_to_work_pct",
        "Workers aged 16-74 who cycle to work (%, Census)",
        "Transport",
        "percent",
        False,
        "higher is better",
    )
    cyc = out.ind(
        "census_cycle_to_work",
        "Workers aged 16-74 who cycle to work (Census)",
        "Transport",
        "persons",
        True,
        "higher is better",
    )
    wrk = out.ind(
        "census_workers_16_74",
        "Residents aged 16-74 in work (Census)",
        "Financial & Economic",
        "persons",
        True,
        "neutral",
    )
    for row in _dict_rows(path, ("Ward", "2001;Travel by bicycle", "2011;% travel by bicycle")):
        area = (row["Ward"] or "").strip()
        if not area:
            out.skipped += 1
            continue
        for y in ("2001", "2011"):
            out.val(pct, area, y, row[f"{y};% travel by bicycle"])
            out.val(cyc, area, y, row[f"{y};Travel by bicycle"])
            out.val(wrk, area, y, row[f"{y};All aged 16-74 in work"])


def lfb_incidents(path: Path, out: Out) -> None:
    totals: dict[tuple[str, str, int], float] = {}
    months: dict[int, set] = {}
    for row in _dict_rows(path, ("Borough", "Callout_type", "Number of reported incidents", "Year", "Month")):
        code = borough_code(row["Borough"].strip())
        if code is None:
            out.skipped += 1
            continue
        y = int(row["Year"])
        months.setdefault(y, set()).add(int(row["Month"]))
        k = (code, row["Callout_type"].strip(), y)
        v, _ = parse_number(row["Number of reported incidents"])
        totals[k] = totals.get(k, 0.0) + (v or 0.0)
    for (area, typ, y), v in sorted(totals.items()):
        if len(months[y]) < 12:
            continue  # 2018 runs to July only: whole years only
        code = out.ind(
            "lfb_" + slug(typ, 50),
            f"LFB incidents: {typ.lower()}",
            "Emergency Services",
            "incidents",
            True,
            "higher is worse",
            "London Fire Brigade incidents attended, calendar year; types overlap (do not add across them).",
        )
        out.val(code, area, str(y), v)


def lfb_animal_rescues(path: Path, out: Out) -> None:
    counts: dict[tuple[str, int], int] = {}
    for row in _dict_rows(path, ("BoroughCode", "Year")):
        code, y = row["BoroughCode"].strip(), int(row["Year"])
        if not code.startswith("E09") or y > 2017:  # 2018 runs to October only; E07 = outside London
            out.skipped += 1
            continue
        counts[(code, y)] = counts.get((code, y), 0) + 1
    c = out.ind(
        "lfb_animal_rescues",
        "LFB animal rescue incidents",
        "Emergency Services",
        "incidents",
        True,
        "higher is worse",
    )
    for (area, y), n in sorted(counts.items()):
        out.val(c, area, str(y), n)


def _crime_code(major: str, prefix: str) -> str:
    return f"{prefix}_" + slug(major.lower(), 45)


def mps_borough_wide(path: Path, out: Out) -> None:
    """MPS borough crime by month, major category (+ all crime); borough names only."""
    old = "historic_2008" in path.name
    f = _open(path)
    r = csv.reader(f)
    header = next(r)
    if old:
        bcol, mcol, first = 0, 1, 3
        prefix, label = "mps_borough_oldclass", "MPS recorded crime (old classification)"
    else:
        if header[:3] != ["MajorText", "MinorText", "BoroughName"]:
            raise LoadRefused(
                f"{path}: line 1: expected MajorText, MinorText, BoroughName; found {header[:3]}"
            )
        bcol, mcol, first = 2, 0, 3
        prefix, label = "mps_borough", "MPS recorded crime"
    sums: dict[tuple[str, str, str], float] = {}
    for rec in r:
        if not rec or len(rec) != len(header):
            continue
        area = borough_code(rec[bcol])
        if area is None:
            out.skipped += 1
            continue
        for i in range(first, len(header)):
            v, _ = parse_number(rec[i])
            if v is None:
                continue
            per = f"{header[i][:4]}-{header[i][4:6]}"
            for cat in (rec[mcol].strip().lower(), "all crime"):
                sums[(cat, area, per)] = sums.get((cat, area, per), 0.0) + v
    for (cat, area, per), v in sorted(sums.items()):
        code = out.ind(
            _crime_code(cat, prefix),
            f"{label}: {cat}, per month",
            "Crime",
            "offences",
            True,
            "higher is worse",
            "Recorded offences per calendar month (City of London: other force).",
        )
        out.val(code, area, per, v)


def mps_ward_wide(path: Path, out: Out) -> None:
    """MPS ward crime, 24 months wide: whole calendar years per ward and major category (+ all crime)."""
    out.ward_vintage = 2018 if "ward2018" in path.name else 2022
    f = _open(path)
    r = csv.reader(f)
    header = next(r)
    if header[:5] != ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]:
        raise LoadRefused(
            f"{path}: line 1: expected MajorText, MinorText, WardName, WardCode, "
            f"LookUp_BoroughName; found {', '.join(header[:5])}"
        )
    months = header[5:]
    years = {}
    for m in months:
        years.setdefault(m[:4], []).append(m)
    whole = {y for y, ms in years.items() if len(ms) == 12}
    sums: dict[tuple[str, str, str], float] = {}
    for rec in r:
        if not rec or len(rec) != len(header):
            continue
        if rec[4].startswith("Aviation Security"):
            out.skipped += 1
            continue
        area = rec[3].strip()
        for i, m in enumerate(months, start=5):
            if m[:4] not in whole:
                continue
            v, _ = parse_number(rec[i])
            for cat in (rec[0].strip().lower(), "all crime"):
                sums[(cat, area, m[:4])] = sums.get((cat, area, m[:4]), 0.0) + (v or 0.0)
    for (cat, area, y), v in sorted(sums.items()):
        code = out.ind(
            _crime_code(cat, "mps_ward"),
            f"MPS recorded crime by ward: {cat}, calendar year",
            "Crime",
            "offences",
            True,
            "higher is worse",
            "Whole calendar years only (each file holds 24 months; 2023 is whole in none of them). "
            "Heathrow (Aviation Security SO18) left out.",
        )
        out.val(code, area, y, v)


@dataclass
class Layout:
    read: Callable[[Path, Out], None]
    source: str
    attribution: str
    licence: str = OGL


GLA = "Contains data from the Greater London Authority (London Datastore), Open Government Licence v3.0"
ONS = "Contains data from the Office for National Statistics, Open Government Licence v3.0"
MHCLG = "Contains data from MHCLG (English Indices of Deprivation), Open Government Licence v3.0"
MPS = "Contains data from the Metropolitan Police Service (London Datastore), Open Government Licence"

LAYOUTS: dict[str, Layout] = {
    "gla_population_density_borough_1999_2050.csv": Layout(
        gla_density, "GLA land area and population density, borough (ONS MYE + GLA projections)", GLA
    ),
    "gla_population_density_ward2011_2011_2050.csv.gz": Layout(
        gla_density, "GLA land area and population density, ward (GLA projections)", GLA
    ),
    "london_borough_atlas_long.csv.gz": Layout(borough_atlas, "GLA London Borough Atlas (about 2017)", GLA),
    "london_borough_atlas_metadata.csv": Layout(
        borough_atlas_metadata, "GLA London Borough Atlas, metadata sheet", GLA
    ),
    "land_registry_house_prices_borough_1995_2017.csv": Layout(
        house_prices,
        "GLA average house prices, borough (HM Land Registry)",
        "Contains HM Land Registry data, Crown copyright, via the GLA, Open Government Licence",
    ),
    "gla_modelled_household_income_lsoa11_2001_2012.csv": Layout(
        household_income, "GLA modelled household income estimates, LSOA 2011", GLA
    ),
    "imd2004_2007_2010_lsoa01_london.csv.gz": Layout(
        imd_2004_2010_file, "English Indices of Deprivation 2004, 2007, 2010 (LSOA 2001)", MHCLG
    ),
    "imd2015_2019_lsoa11_london.csv.gz": Layout(
        imd_2015_2019, "English Indices of Deprivation 2015 and 2019 (LSOA 2011)", MHCLG
    ),
    "imd2025_lsoa21_london.csv.gz": Layout(
        imd_2025, "English Indices of Deprivation 2025 (LSOA 2021)", MHCLG
    ),
    "imd2025_lsoa21_indicators_london.csv": Layout(
        imd_2025_indicators, "English Indices of Deprivation 2025, underlying indicators (LSOA 2021)", MHCLG
    ),
    "imd2025_borough_summaries_london.csv": Layout(
        imd_2025_boroughs, "English Indices of Deprivation 2025, local-authority summaries", MHCLG
    ),
    "census2021_lsoa21_london_topics_long.csv.gz": Layout(
        census21_topics, "Census 2021 (ONS), 5 topics by LSOA 2021", ONS
    ),
    "census2011_household_deprivation_lsoa11_london.csv": Layout(
        census11_deprivation, "Census 2011 (ONS), household deprivation by LSOA 2011", ONS
    ),
    "census2021_ethnic_group_detailed_borough.csv": Layout(
        census21_ethnic_detail, "Census 2021 (ONS), detailed ethnic group by borough", ONS
    ),
    "census2021_migration_language_msoa21_london.csv": Layout(
        census21_migration_language, "Census 2021 (ONS), migration and English proficiency by MSOA 2021", ONS
    ),
    "ons_health_index_borough_2015_2021.csv": Layout(
        health_index, "ONS Health Index for England, borough", ONS
    ),
    "ons_health_index_indicators_borough_2015_2021.csv": Layout(
        health_index_indicators, "ONS Health Index for England, indicators, borough", ONS
    ),
    "london_ward_wellbeing_scores_2009_2013.csv": Layout(
        ward_wellbeing, "GLA London Ward Well-Being Scores 2009-2013", GLA
    ),
    "travel_to_work_bicycle_census_2001_2011_ward.csv": Layout(
        cycling, "GLA / ONS Census 2001 and 2011, cycling to work by ward", GLA
    ),
    "lfb_incidents_borough_monthly_2013_2018.csv.gz": Layout(
        lfb_incidents,
        "London Fire Brigade incidents by borough and month",
        "Contains data from the London Fire Brigade (London Datastore), Open Government Licence",
    ),
    "lfb_animal_rescues_2009_2018.csv.gz": Layout(
        lfb_animal_rescues,
        "London Fire Brigade animal rescue incidents",
        "Contains data from the London Fire Brigade (London Datastore), Open Government Licence",
    ),
    "mps_borough_crime_historic_2008-01_2016-12.csv": Layout(
        mps_borough_wide, "MPS borough crime, historic (old classification)", MPS
    ),
    "mps_borough_crime_historical_2010-04_2023-02.csv": Layout(
        mps_borough_wide, "MPS borough crime, historical", MPS
    ),
    "mps_borough_crime_recent_2023-03_2025-02.csv": Layout(
        mps_borough_wide, "MPS borough crime, most recent 24 months", MPS
    ),
    "mps_ward22_crime_2021-12_2023-11.csv.gz": Layout(mps_ward_wide, "MPS ward crime (2022 wards)", MPS),
    "mps_ward22_crime_2023-04_2025-03.csv.gz": Layout(mps_ward_wide, "MPS ward crime (2022 wards)", MPS),
    "mps_ward2018_crime_2020-09_2022-08.csv.gz": Layout(mps_ward_wide, "MPS ward crime (2018 wards)", MPS),
    "mps_ward_level_crime_most_recent_24_months.csv": Layout(
        mps_ward_wide, "MPS ward crime (2022 wards)", MPS
    ),
}


def read_file(path: Path) -> Out:
    """The long rows and catalogue entries of one shared file (LoadRefused for an unknown or
    excluded file)."""
    name = Path(path).name
    if name in EXCLUDED:
        raise LoadRefused(f"{path}: left out: {EXCLUDED[name]}")
    layout = LAYOUTS.get(name)
    if layout is None:
        raise LoadRefused(
            f"{path}: not a file this source knows (expected {COMPACT_NAME} or one of: "
            f"{', '.join(sorted(LAYOUTS))})"
        )
    out = Out(name)
    layout.read(Path(path), out)
    return out


def catalogue_rows(out: Out) -> list[list]:
    """Catalogue entries of the indicators that got values (text-only atlas series such as "largest
    migrant population" are left out), plus description-only entries (theme empty)."""
    lay = LAYOUTS[out.file_name]
    with_values = {r[0] for r in out.rows}
    return [
        [
            i.code,
            i.name,
            i.theme,
            i.unit,
            "true" if i.additive else "false",
            i.direction,
            lay.source,
            lay.licence,
            lay.attribution,
            i.description or "",
        ]
        for i in out.inds.values()
        if i.code in with_values or not i.theme
    ]


# ----------------------------------------------------------------------------------------------
# Loading.


def _read_compact(path: Path) -> tuple[Path, list[list]]:
    cat_path = path.with_name(CATALOGUE_NAME)
    if not cat_path.is_file():
        raise LoadRefused(f"{path}: its catalogue {cat_path.name} is not beside it")
    with open(cat_path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        if head != CATALOGUE_HEADER:
            raise LoadRefused(
                f"{cat_path}: line 1: expected {', '.join(CATALOGUE_HEADER)}; found {', '.join(head)}"
            )
        cat = list(r)
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        head = next(csv.reader(f))
        if head != COMPACT_HEADER:
            raise LoadRefused(
                f"{path}: line 1: expected {', '.join(COMPACT_HEADER)}; found {', '.join(head)}"
            )
    return path, cat


class LandscapeMoreSource(Source):
    name = "landscape-more"
    description = (
        "London Landscape in depth: a file of the shared landscape_more/ folder, or the compact "
        "shipped landscape_more.csv.gz (all of them)"
    )
    target = "landscape.indicator, landscape.indicator_value (+ derived values on 2022 wards and boroughs)"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-move",
            action="store_true",
            help="do not carry the ward/LSOA values onto 2022 wards and boroughs",
        )

    def load(self, conn, path, options: LoadOptions | None = None):
        options = options or LoadOptions()
        path = Path(path)

        def body(ctx):
            if path.name == COMPACT_NAME:
                rows, cat = _read_compact(path)
            else:
                out = read_file(path)
                rows, cat = out.rows, catalogue_rows(out)
                ctx.meta["skipped_cells"] = out.skipped
            with conn.cursor() as cur:
                t0 = time.perf_counter()
                n = write_long(cur, ctx.load_id, rows, cat)
                ctx.meta["indicators"] = len(cat)
                ctx.meta["write_seconds"] = round(time.perf_counter() - t0, 1)
                if not options.extra.get("no_move"):
                    codes = sorted({c[0] for c in cat if c[2]})
                    t0 = time.perf_counter()
                    ctx.meta["moved"] = move_to_today(cur, codes)
                    ctx.meta["move_seconds"] = round(time.perf_counter() - t0, 1)
                    ctx.progress.note(f"{ctx.meta['moved']:,} values carried onto 2022 wards / boroughs")
            ctx.progress.note(f"{n:,} values of {len(cat)} indicators")
            return n, n, 0, []

        return run_load(conn, self.name, path, options, body)


def write_long(cur, load_id: int, rows: list[tuple] | Path, cat: list[list]) -> int:
    """Catalogue upsert and replacement of the published values of these indicators at the levels given."""
    cur.execute(
        "CREATE TEMP TABLE lm_cat (indicator_code text, name text, theme text, unit text, additive bool, "
        "direction text, source text, licence text, attribution text, description text) ON COMMIT DROP"
    )
    with cur.copy("COPY lm_cat FROM STDIN") as cp:
        for c in cat:
            cp.write_row([x if x != "" else None for x in c])
    cur.execute(
        "CREATE TEMP TABLE lm_val (indicator_code text, level text, vintage smallint, area_code text, "
        "period text, period_start date, value float8, value_status text, source_file text) ON COMMIT DROP"
    )
    if isinstance(rows, Path):  # the compact file: its CSV bytes straight into COPY
        with cur.copy("COPY lm_val FROM STDIN (FORMAT csv, HEADER true)") as cp, gzip.open(rows, "rb") as f:
            while chunk := f.read(1 << 20):
                cp.write(chunk)
    else:
        with cur.copy("COPY lm_val FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
    bad = cur.execute(
        "SELECT v.indicator_code FROM lm_val v LEFT JOIN lm_cat c USING (indicator_code) "
        "WHERE c.indicator_code IS NULL LIMIT 1"
    ).fetchone()
    if bad:
        raise LoadRefused(f"indicator {bad[0]!r} has values but no catalogue entry")
    dup = cur.execute(
        "SELECT indicator_code, level, vintage, area_code, period FROM lm_val "
        "GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if dup:
        raise LoadError(f"two values for one indicator, area and period: {dup}")
    # Metadata-only entries (the atlas metadata sheet) only describe indicators that exist.
    cur.execute("""UPDATE landscape.indicator i SET description = c.description FROM lm_cat c
                   WHERE c.theme IS NULL AND i.indicator_code = c.indicator_code""")
    cur.execute("ANALYZE lm_val")
    cur.execute("""
        CREATE TEMP TABLE lm_lv ON COMMIT DROP AS
        SELECT DISTINCT ON (indicator_code) indicator_code, level, vintage
        FROM (SELECT indicator_code, level, vintage, count(*) AS n FROM lm_val GROUP BY 1, 2, 3) x
        ORDER BY indicator_code, n DESC, level, vintage""")
    cur.execute("""
        CREATE TEMP TABLE lm_pe ON COMMIT DROP AS
        SELECT indicator_code, array_agg(period ORDER BY period) AS periods, sum(n_obs) AS n_obs
        FROM (SELECT indicator_code, period, count(*) FILTER (WHERE value_status = 'observed') AS n_obs
              FROM lm_val GROUP BY 1, 2) x
        GROUP BY indicator_code""")
    cur.execute(
        """
        INSERT INTO landscape.indicator AS i (indicator_code, name, theme, unit, additive, direction,
            source, licence,
                                              attribution, level, vintage, periods, value_status,
                                                  description, load_id)
        SELECT c.indicator_code, c.name, c.theme, c.unit, c.additive, c.direction, c.source, c.licence,
               c.attribution, lv.level, lv.vintage, pe.periods,
               CASE WHEN pe.n_obs = 0 THEN 'projected' ELSE 'observed' END, c.description, %s
        FROM lm_cat c
        JOIN lm_lv lv USING (indicator_code)
        JOIN lm_pe pe USING (indicator_code)
        WHERE c.theme IS NOT NULL
        ON CONFLICT (indicator_code) DO UPDATE SET
          name = EXCLUDED.name, theme = EXCLUDED.theme, unit = EXCLUDED.unit, additive = EXCLUDED.additive,
          direction = EXCLUDED.direction, source = EXCLUDED.source,
          licence = EXCLUDED.licence, attribution = EXCLUDED.attribution,
          periods = (SELECT array_agg(DISTINCT p ORDER BY p) FROM unnest(i.periods || EXCLUDED.periods) p),
          description = coalesce(i.description, EXCLUDED.description), load_id = EXCLUDED.load_id""",
        (load_id,),
    )
    cur.execute("""
        DELETE FROM landscape.indicator_value v
        USING (SELECT DISTINCT indicator_code, level, vintage, period FROM lm_val) s
        WHERE v.indicator_code = s.indicator_code AND v.level = s.level AND v.vintage = s.vintage
          AND v.period = s.period""")
    cur.execute(
        """
        INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period,
            period_start,
                                               value, value_status, method, load_id)
        SELECT indicator_code, level, vintage, area_code, period, period_start, value, value_status,
            'published', %s
        FROM lm_val""",
        (load_id,),
    )
    return cur.rowcount


# (from level, from vintage) -> how its values reach 2022 wards. LSOAs and 2011/2014/2018 wards go
# through composed lookups built here once (set-based); each composed weight is the product of the
# steps' weights, so each from-area's weights still sum to 1.
def ensure_today_lookups(cur) -> None:
    """Direct lookups to ward 2022 from ward 2011, LSOA 2001/2011/2021 and MSOA 2021 (set-based;
    idempotent). LSOA 2001 codes still in use in 2011 keep their boundary (ONS re-codes changed
    areas), so they map one to one; the 123 changed ones are left out."""
    cur.execute("""
        INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code,
            weight, method)
        SELECT DISTINCT 'lsoa', 2001, v.area_code, 'lsoa', 2011, v.area_code, 1, 'attribute'
        FROM landscape.indicator_value v
        JOIN ref.area a ON a.level = 'lsoa' AND a.vintage = 2011 AND a.code = v.area_code
        WHERE v.level = 'lsoa' AND v.vintage = 2001
        ON CONFLICT DO NOTHING""")
    # ward 2011 -> ward 2014 (attribute) is registered by safestats_internal.indicator_ward_2011_areas()
    cur.execute("SELECT safestats_internal.indicator_ward_2011_areas()")
    steps = [  # (from, via, to) compositions
        (("lsoa", 2011), ("lsoa", 2021), ("ward", 2022)),
        (("lsoa", 2001), ("lsoa", 2011), ("ward", 2022)),
        (("ward", 2011), ("ward", 2014), ("ward", 2022)),
    ]
    for (fl, fv), (vl, vv), (tl, tv) in steps:
        cur.execute(
            """
            INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage,
                to_code, weight, method)
            SELECT %(fl)s, %(fv)s, a.from_code, %(tl)s, %(tv)s, b.to_code, least(1.0,
                sum(a.weight * b.weight)),
                   'area-weighted'
            FROM ref.area_lookup a
            JOIN ref.area_lookup b ON b.from_level = a.to_level AND b.from_vintage = a.to_vintage
                                  AND b.from_code = a.to_code AND b.to_level = %(tl)s
                                  AND b.to_vintage = %(tv)s
            WHERE a.from_level = %(fl)s AND a.from_vintage = %(fv)s AND a.to_level = %(vl)s
              AND a.to_vintage = %(vv)s
              AND a.method = (SELECT method FROM ref.area_lookup x
                              WHERE x.from_level = %(fl)s AND x.from_vintage = %(fv)s AND x.to_level = %(vl)s
                                AND x.to_vintage = %(vv)s
                              GROUP BY method ORDER BY array_position(ARRAY['population-weighted',
                                  'area-weighted',
                                       'best-fit', 'attribute'], method) LIMIT 1)
              AND b.method = (SELECT method FROM ref.area_lookup x
                              WHERE x.from_level = %(vl)s AND x.from_vintage = %(vv)s AND x.to_level = %(tl)s
                                AND x.to_vintage = %(tv)s
                              GROUP BY method ORDER BY array_position(ARRAY['population-weighted',
                                  'area-weighted',
                                       'best-fit', 'attribute'], method) LIMIT 1)
            GROUP BY a.from_code, b.to_code
            HAVING sum(a.weight * b.weight) > 0.0001
            ON CONFLICT DO NOTHING""",
            {"fl": fl, "fv": fv, "vl": vl, "vv": vv, "tl": tl, "tv": tv},
        )


def move_to_today(cur, codes: list[str]) -> int:
    """Carry these indicators' ward / LSOA / MSOA values onto 2022 wards, then 2022 ward values onto
    boroughs where no borough value is published (safestats_internal.landscape_move_to_today, set-based)."""
    if not codes:
        return 0
    ensure_today_lookups(cur)
    cur.execute("ANALYZE landscape.indicator_value")
    return cur.execute("SELECT safestats_internal.landscape_move_to_today(%s)", (codes,)).fetchone()[0]


SOURCE = LandscapeMoreSource()
