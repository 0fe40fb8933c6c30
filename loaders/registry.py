"""The sources ``safestats load`` knows: name → the :class:`loaders.core.Source` that loads it,
named as ``module:ATTRIBUTE`` and imported on demand (so one source's optional dependency, such as
GDAL or openpyxl, never blocks another)."""
from __future__ import annotations

import importlib

from .core import Source

SOURCES: dict[str, str] = {
    "boundaries": "loaders.boundaries:SOURCE",
    "ward-lookup": "loaders.ward_lookup:SOURCE",
    "police-uk": "loaders.police_uk:SOURCE",
    "police-uk-outcomes": "loaders.police_uk:OUTCOMES",
    "police-uk-stop-search": "loaders.police_uk:STOP_SEARCH",
    "mps-ward": "loaders.mps_ward:SOURCE",
    "mps-lsoa": "loaders.mps_lsoa:SOURCE",
    "istv": "loaders.istv:SOURCE",
    "lfb": "loaders.lfb:SOURCE",
    "las-assaults": "loaders.las:SOURCE",
    "las-incidents": "loaders.las:INCIDENTS",
    "gazetteer": "loaders.gazetteer:SOURCE",
    "ward-profiles": "loaders.ward_profiles:SOURCE",
    "ward-atlas-2013": "loaders.ward_atlas:SOURCE",
    "ptal-wards": "loaders.ptal_wards:SOURCE",
    "lsoa-population": "loaders.lsoa_population:SOURCE",
    "indicators": "loaders.indicators_long:SOURCE",
    "mopac-survey": "loaders.mopac_survey:SURVEY",
    "neighbourhood-wards": "loaders.neighbourhood_wards:SOURCE",
    "landscape-more": "loaders.landscape_more:SOURCE",
}


def get(name: str) -> Source:
    """The source registered as ``name`` (KeyError for an unknown name)."""
    module, _, attribute = SOURCES[name].partition(":")
    source = vars(importlib.import_module(module))[attribute]
    if not isinstance(source, Source):
        raise TypeError(f"{SOURCES[name]} is not a loaders.core.Source")
    return source
