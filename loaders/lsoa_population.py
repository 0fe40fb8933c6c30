"""ONS mid-year population estimates by LSOA 2011 and age band / sex (``london-mid2020-pop.csv``):
one indicator per column (``Persons_All-Ages`` -> ``pop_persons_all_ages``), level lsoa 2011.

The year comes from the file name (``mid2020``) or ``--period``. These counts are the weights of the
population-weighted lookups (``safestats_internal.build_population_lookup``) and the denominators of crime
rates per 1,000 residents.
"""
from __future__ import annotations

import re

from .core import load_csv
from .landscape import FixedDef, WideIndicatorSource, slug


class LsoaPopulationSource(WideIndicatorSource):
    name = "lsoa-population"
    description = "ONS mid-year population by LSOA 2011, age band and sex"
    code_headers = ("LSOA11CD", "LSOA code", "lsoa_code")
    name_headers = ("LSOA11NM", "LSOA name")
    source_label = "ONS mid-year population estimates by LSOA"
    attribution = "Office for National Statistics, mid-year population estimates, OGL v3"
    lsoa_vintage = 2011
    expected = ("Persons_All-Ages",)
    target = "landscape.indicator, landscape.indicator_value"
    period = "2020"
    period_option: str | None = None      # --period of the load under way

    def add_arguments(self, p) -> None:
        p.add_argument("--period", help="year of the estimates (default: from the file name, e.g. mid2020)")

    def load(self, conn, path, options=None):
        self.period_option = options.extra.get("period") if options else None
        return load_csv(conn, self, path, options)

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
        self.period = self.period_option or (m.group(1) if m else "2020")
        return super().map_header(path, header)


SOURCE = LsoaPopulationSource()
load = SOURCE.load      # (callers of the module-level function)
