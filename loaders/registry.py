"""The sources ``safestats load`` knows: name → module path (imported on demand, so one source's
optional dependency never blocks another)."""
from __future__ import annotations

import importlib

SOURCES: dict[str, str] = {
    "boundaries": "loaders.boundaries",
    "ward-lookup": "loaders.ward_lookup",
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
