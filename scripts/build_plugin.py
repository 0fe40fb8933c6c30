#!/usr/bin/env python3
"""Build dist/safestats_qgis.zip: the installable QGIS plugin (folder ``safestats_qgis/``).

The source of the plugin's metadata is the top-level metadata.txt; tests, caches and editor files
stay out of the zip. Standard library only, so it runs before the venv exists.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "qgis_plugin"
PLUGIN_DIR = "safestats_qgis"
LEFT_OUT_DIRS = {"__pycache__", "tests", "test", ".pytest_cache"}
LEFT_OUT_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej", ".swp"}


def files():
    for path in sorted(SOURCE.rglob("*")):
        rel = path.relative_to(SOURCE)
        if path.is_dir() or LEFT_OUT_DIRS & set(rel.parts) or path.suffix in LEFT_OUT_SUFFIXES:
            continue
        if path.name.startswith("test_"):
            continue
        yield path, f"{PLUGIN_DIR}/{rel.as_posix()}"
    yield ROOT / "metadata.txt", f"{PLUGIN_DIR}/metadata.txt"
    yield ROOT / "LICENSE", f"{PLUGIN_DIR}/LICENSE"


def build(out: Path = ROOT / "dist" / "safestats_qgis.zip") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, arcname in files():
            z.write(path, arcname)
    return out


if __name__ == "__main__":
    out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "safestats_qgis.zip")
    with zipfile.ZipFile(out) as z:
        shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
        print(f"built {shown} ({len(z.namelist())} files)")
