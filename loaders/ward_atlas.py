"""GLA Ward Atlas 2013 (``2013_ward_atlas_data.csv``): 43 indicators per 2011 ward, Windows-1252,
with London, England and an "England and Wales" row (code ``#3``/K04, skipped with a reason).

Column headings are underscore-joined ("Population_and_Age_Aged_015_2013"); the leading topic picks
the theme and the trailing year or financial year is the period.
"""
from __future__ import annotations

from .landscape import WideIndicatorSource, auto_define, guess_theme

TOPICS = {
    "Population_and_Age_": "Population", "Area_and_Density_": "Population",
    "Diversity_Ethnic_Group_5_groups__2011_Census_": "Ethnicity & Origin",
    "Births_and_deaths_": "Health", "Life_Expectancy_": "Health", "House_Prices_": "Housing",
    "Household_Income_": "Financial & Economic", "Crime_": "Crime",
}


class WardAtlasSource(WideIndicatorSource):
    name = "ward-atlas-2013"
    description = "GLA Ward Atlas 2013: 43 indicators per 2011 ward"
    code_headers = ("New_Code", "New code")
    name_headers = ("Names",)
    source_label = "GLA Ward Atlas 2013 (London Datastore)"
    attribution = "Greater London Authority, Ward Atlas (2013), London Datastore, OGL v3"
    ward_vintage = 2011
    expected = ("Codes", "Borough")
    min_indicators = 40

    def define(self, header: str):
        h = header.strip()
        if h in ("Codes", "Borough", "Names"):
            return None
        theme = None
        for prefix, t in TOPICS.items():
            if h.startswith(prefix):
                theme = t
                name = h[len(prefix):]
                break
        else:
            name = h
        if "(percentage)__" in name:                  # "Age_structure_(percentage)__2013_Aged_015"
            year, _, rest = name.split("(percentage)__", 1)[1].partition("_")
            name = f"% {rest}_{year}"
        name = name.replace("_", " ").strip()
        if h.startswith("Diversity_Ethnic"):
            name = f"Ethnic group {name} 2011"   # the census year is the period
        d = auto_define("wa13", name)
        if d is None:
            return None
        if h.startswith("Crime_") and "rate" not in d.name.lower():
            d.unit, d.additive = "count", True
        d.theme = theme or guess_theme(d.name)
        d.header = header
        return d


SOURCE = WardAtlasSource()
