"""docs/landscape.md carries the catalogue summary generated from the shipped data, and it is current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _docs_module():
    spec = importlib.util.spec_from_file_location("landscape_docs", ROOT / "scripts" / "landscape_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_catalogue_summary_is_current():
    mod = _docs_module()
    text = (ROOT / "docs" / "landscape.md").read_text(encoding="utf-8")
    assert mod.CAT_START in text and mod.CAT_END in text, "run scripts/landscape_docs.py"
    current = text.split(mod.CAT_START, 1)[1].split(mod.CAT_END, 1)[0].strip("\n")
    assert current == mod.catalogue_markdown(), "docs/landscape.md is stale: run scripts/landscape_docs.py"
    for theme in (
        "Emergency Services",
        "Education & Qualifications",
        "Ethnicity & Origin",
        "Financial & Economic",
        "Health",
        "Population",
        "Transport",
        "Crime",
    ):
        assert f"| {theme} |" in current
    assert mod.EX_START in text, "worked examples missing: run scripts/landscape_docs.py --examples"
