"""MPS recorded crime per LSOA 2011 and year (London Datastore recorded_crime_summary as published
in london-2011-2021-{major,minor}-<category>.csv: LSOA11CD, LSOA11NM, MSOA11CD, MSOA11NM, LAD11CD,
LAD11NM, then one column per year). The category is not in the file: it comes from the file name
(or --major-category / --minor-category). A reload replaces the years and category it covers."""
from __future__ import annotations

import re
from pathlib import Path

from .core import Check, Column, LoadContext, LoadOptions, LoadRefused
from .wide import WideToLongSource

YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*$")
FILE_NAME = re.compile(r"(major|minor)-([a-z0-9-]+?)\.csv(\.gz)?$")

# File-name slugs → the MPS category names (major, minor); minor '' is the major total.
CATEGORIES = {
    ("major", "arson"): ("Arson and Criminal Damage", ""),
    ("major", "burglary"): ("Burglary", ""),
    ("major", "drugs"): ("Drug Offences", ""),
    ("major", "misc"): ("Miscellaneous Crimes Against Society", ""),
    ("major", "public-order"): ("Public Order Offences", ""),
    ("major", "robbery"): ("Robbery", ""),
    ("major", "sexual"): ("Sexual Offences", ""),
    ("major", "theft-all"): ("Theft", ""),
    ("major", "vehicle-offences"): ("Vehicle Offences", ""),
    ("major", "violence"): ("Violence Against the Person", ""),
    ("major", "weapons"): ("Possession of Weapons", ""),
    ("minor", "theft-bicycle"): ("Theft", "Theft from a bicycle"),
    ("minor", "theft-vehicle"): ("Vehicle Offences", "Theft from a motor vehicle"),
}


def category_of(path: Path, options: LoadOptions) -> tuple[str, str]:
    """(major, minor) category of a file: the options, else its name."""
    if options.extra.get("major_category"):
        return options.extra["major_category"], options.extra.get("minor_category") or ""
    m = FILE_NAME.search(path.name)
    if m and (m.group(1), m.group(2)) in CATEGORIES:
        return CATEGORIES[(m.group(1), m.group(2))]
    raise LoadRefused(f"{path}: the crime category is not in this file and its name does not say it; "
                      "pass --major-category (and --minor-category for a minor-category file)")


class MpsLsoaSource(WideToLongSource):
    name = "mps-lsoa"
    description = "MPS annual crime counts per LSOA 2011 (one file per category, wide year columns)"
    target = "crime.mps_lsoa_year"
    period_header = YEAR_HEADER
    fixed = [
        Column("lsoa11_code", "LSOA11CD", aliases=("LSOA code", "LSOA Code")),
        Column("borough_name", "LAD11NM", aliases=("Borough", "LAD name")),
    ]
    columns = fixed + [Column("year", "YYYY…"), Column("count", "(count)")]
    checks = [
        Check("lsoa11_code", "lsoa11_code ~ '^E01[0-9]{6}$'", "not an LSOA code (E01……)"),
        Check("borough_name", "borough_name IS NOT NULL", "borough name is blank"),
        Check("count", "safestats_internal.try_numeric(count) >= 0", "count is not a number ≥ 0"),
    ]

    def map_header(self, path: Path, header: list[str]) -> list[int | None]:
        idx = [next((i for i, h in enumerate(header) if c.matches(h)), None) for c in self.fixed]
        years = [h for h in header if YEAR_HEADER.match(h)]
        if None in idx or not years:
            raise LoadRefused(
                f"{path}: line 1: the header does not fit source '{self.name}'.\n"
                f"    expected: LSOA11CD, …, LAD11NM, then year columns (2011, 2012, …)\n"
                f"    found:    {', '.join(h.strip() for h in header)}")
        return idx

    def add_arguments(self, p) -> None:
        p.add_argument("--major-category", help="major category when the file name does not say it")
        p.add_argument("--minor-category", help="minor category (for a minor-category file)")

    def prepare(self, cur, ctx: LoadContext) -> None:
        ctx.meta["major_category"], ctx.meta["minor_category"] = category_of(ctx.path, ctx.options)

    def write(self, cur, ctx: LoadContext) -> int:
        p = {"major": ctx.meta["major_category"], "minor": ctx.meta["minor_category"], "load_id": ctx.load_id}
        cur.execute("""
            DELETE FROM crime.mps_lsoa_year t
            WHERE t.major_category = %(major)s AND t.minor_category = %(minor)s
              AND t.year IN (SELECT DISTINCT year::smallint FROM stage)""", p)
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute("""
            INSERT INTO crime.mps_lsoa_year (lsoa11_code, borough_name, year, major_category, minor_category,
                                             count, load_id)
            SELECT lsoa11_code, borough_name, year::smallint, %(major)s, %(minor)s,
                   safestats_internal.try_numeric(count), %(load_id)s
            FROM stage""", p)
        return cur.rowcount


SOURCE = MpsLsoaSource()
