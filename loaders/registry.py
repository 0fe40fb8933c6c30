"""The sources ``safestats load`` knows: name → module path (imported on demand, so one source's
optional dependency never blocks another)."""
from __future__ import annotations

import importlib

SOURCES: dict[str, str] = {
    "boundaries": "loaders.boundaries",
    "ward-lookup": "loaders.ward_lookup",
    "police-uk": "loaders.police_uk",
    "police-uk-outcomes": "loaders.police_uk_outcomes",
    "police-uk-stop-search": "loaders.police_uk_stop_search",
    "mps-ward": "loaders.mps_ward",
    "mps-lsoa": "loaders.mps_lsoa",
    "istv": "loaders.istv",
    "lfb": "loaders.lfb",
    "las-assaults": "loaders.las",
    "las-incidents": "loaders.las_incidents",
    "gazetteer": "loaders.gazetteer",
    "ward-profiles": "loaders.ward_profiles",
    "ward-atlas-2013": "loaders.ward_atlas",
    "ptal-wards": "loaders.ptal_wards",
    "lsoa-population": "loaders.lsoa_population",
    "indicators": "loaders.indicators_long",
    "mopac-survey": "loaders.mopac_survey",
    "neighbourhood-wards": "loaders.neighbourhood_wards",
}


def get(name: str):
    if name not in SOURCES:
        raise KeyError(name)
    return importlib.import_module(SOURCES[name])
