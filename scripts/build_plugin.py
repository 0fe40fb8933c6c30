#!/usr/bin/env python3
"""Build dist/safestats_qgis.zip: the installable QGIS plugin (folder ``safestats_qgis/``).

The source of the plugin's metadata is the top-level metadata.txt; tests, caches and editor files
stay out of the zip. Standard library only, so it runs before the venv exists.

The project has no public address yet, so metadata.txt holds placeholders for the e-mail, homepage,
repository and tracker. Each is taken from an environment (or ``make``) variable when set:
``PLUGIN_EMAIL``, ``PLUGIN_HOMEPAGE``, ``PLUGIN_REPOSITORY``, ``PLUGIN_TRACKER``.

- ``make plugin`` (no flag): the development zip; placeholders are kept (a note says so). Install it
  from ZIP in QGIS; do not upload it.
- ``make plugin-release`` (``--release``): the zip for plugins.qgis.org; refused (exit 2) while any of
  the four is still a placeholder, naming the variables to set.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "qgis_plugin"
PLUGIN_DIR = "safestats_qgis"
LEFT_OUT_DIRS = {"__pycache__", "tests", "test", ".pytest_cache"}
LEFT_OUT_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej", ".swp"}
# metadata.txt key -> the variable that gives its real value
VARIABLES = {"email": "PLUGIN_EMAIL", "homepage": "PLUGIN_HOMEPAGE", "repository": "PLUGIN_REPOSITORY",
             "tracker": "PLUGIN_TRACKER"}
# What metadata.txt holds until the project has real addresses (no such site or mailbox exists).
PLACEHOLDERS = {"email": "safestats@example.org", "homepage": "https://github.com/safestats/safestats",
                "repository": "https://github.com/safestats/safestats",
                "tracker": "https://github.com/safestats/safestats/issues"}


class BuildError(Exception):
    pass


def files():
    for path in sorted(SOURCE.rglob("*")):
        rel = path.relative_to(SOURCE)
        if path.is_dir() or LEFT_OUT_DIRS & set(rel.parts) or path.suffix in LEFT_OUT_SUFFIXES:
            continue
        if path.name.startswith("test_"):
            continue
        yield path, f"{PLUGIN_DIR}/{rel.as_posix()}"
    yield ROOT / "LICENSE", f"{PLUGIN_DIR}/LICENSE"


def metadata(env: dict[str, str] | None = None, release: bool = False) -> tuple[str, list[str]]:
    """metadata.txt with the variables' values put in; and the keys still holding a placeholder.
    With ``release`` a remaining placeholder raises :class:`BuildError`."""
    env = os.environ if env is None else env
    text = (ROOT / "metadata.txt").read_text(encoding="utf-8")
    left = []
    for key, var in VARIABLES.items():
        value = (env.get(var) or "").strip()
        line = re.search(rf"^{key}=(.*)$", text, re.M)
        if line is None:
            raise BuildError(f"metadata.txt: no '{key}=' line")
        if value:
            if "\n" in value:
                raise BuildError(f"{var}: one line please")
            text = text[:line.start(1)] + value + text[line.end(1):]
        elif line.group(1).strip() == PLACEHOLDERS[key] or not line.group(1).strip():
            left.append(key)
    if release and left:
        raise BuildError(
            "refusing to build a release zip for plugins.qgis.org with placeholder "
            + ", ".join(f"{k} ({PLACEHOLDERS[k]})" for k in left)
            + ". Set " + ", ".join(VARIABLES[k] for k in left)
            + " (e.g. make plugin-release PLUGIN_EMAIL=… PLUGIN_HOMEPAGE=… PLUGIN_REPOSITORY=… "
            "PLUGIN_TRACKER=…), or build the development zip with `make plugin`.")
    return text, left


def build(out: Path = ROOT / "dist" / "safestats_qgis.zip", release: bool = False,
          env: dict[str, str] | None = None) -> tuple[Path, list[str]]:
    """Write the zip; returns its path and the metadata keys left as placeholders."""
    meta, left = metadata(env, release)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, arcname in files():
            z.write(path, arcname)
        z.writestr(f"{PLUGIN_DIR}/metadata.txt", meta)
    return out, left


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=ROOT / "dist" / "safestats_qgis.zip")
    ap.add_argument("--release", action="store_true",
                    help="the zip for plugins.qgis.org: refuse placeholder addresses")
    args = ap.parse_args(argv)
    try:
        out, left = build(args.out, args.release)
    except BuildError as e:
        print(f"build_plugin: {e}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(out) as z:
        shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
        print(f"built {shown} ({len(z.namelist())} files{', release' if args.release else ''})")
    if left:
        print(f"note: development zip: {', '.join(left)} still placeholders (set "
              f"{', '.join(VARIABLES[k] for k in left)}; `make plugin-release` refuses them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
