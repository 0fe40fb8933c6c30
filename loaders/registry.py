"""The sources ``safestats load`` knows: name → module path (imported on demand, so one source's
optional dependency never blocks another)."""
from __future__ import annotations

import importlib

SOURCES: dict[str, str] = {
    "boundaries": "loaders.boundaries",
    "ward-lookup": "loaders.ward_lookup",
    "gazetteer": "loaders.gazetteer",
}


def get(name: str):
    if name not in SOURCES:
        raise KeyError(name)
    return importlib.import_module(SOURCES[name])
