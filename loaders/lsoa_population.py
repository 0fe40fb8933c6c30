"""ONS mid-year population estimates by LSOA 2011 and age band / sex (``london-mid2020-pop.csv``):
one indicator per column (``Persons_All-Ages`` -> ``pop_persons_all_ages``), level lsoa 2011.

The year comes from the file name (``mid2020``) or ``--period``. These counts are the weights of the
population-weighted lookups (``safestats.build_population_lookup``) and the denominators of crime
rates per 1,000 residents.
"""
from __future__ import annotations

import re

from .landscape import FixedDef, WideIndicatorSource, slug


def add_arguments(p) -> None:
    p.add_argument("--period", help="year of the estimates (default: from the file name, e.g. mid2020)")


class LsoaPopulationSource(WideIndicatorSource):
    name = "lsoa-population"
    description = "ONS mid-year population by LSOA 2011, age band and sex"
    code_headers = ("LSOA11CD", "LSOA code", "lsoa_code")
    name_headers = ("LSOA11NM", "LSOA name")
    source_label = "ONS mid-year population estimates by LSOA"
    attribution = "Office for National Statistics, mid-year population estimates, OGL v3"
    lsoa_vintage = 2011
    expected = ("Persons_All-Ages",)
    period = "2020"

    def define(self, header: str):
        h = header.strip()
        m = re.fullmatch(r"(Persons|Males|Females)_(.+)", h)
        if not m:
            return None
        who, band = m.groups()
        name = f"{who}, {band.replace('-', ' ').replace('_', ' ')}, mid-year estimate"
        return FixedDef(f"pop_{slug(who)}_{slug(band)}", name, "Population", "persons", self.period,
                        additive=True).to_def(header)

    def map_header(self, path, header):
        m = re.search(r"mid[-_]?((?:19|20)\d{2})", path.name)
        extra_period = getattr(self, "_period_option", None)
        self.period = extra_period or (m.group(1) if m else "2020")
        return super().map_header(path, header)


SOURCE = LsoaPopulationSource()


def load(conn, path, options):
    from .core import load_csv
    SOURCE._period_option = options.extra.get("period")
    return load_csv(conn, SOURCE, path, options)
