"""The plugin as QGIS loads it: lifecycle with an interface, the built zip in a clean profile, and
``qgis_process`` running the ``safestats:`` algorithms with a connection registered the demo's way."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication

import qgis_plugin
from qgis_plugin.core import log
from safestats import qgis_setup

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"safestats:geocodetextfield", "safestats:geocodecandidates", "safestats:acceptgeocode",
            "safestats:countpointsinareas", "safestats:storestyles",
            "safestats:landscapedrivers", "safestats:violencehotspots", "safestats:profilereport"}
MODULES = ["base", "provider", "alg_geocode_text_field", "alg_geocode_candidates", "alg_accept_geocode",
           "alg_count_points_in_areas", "alg_store_styles", "alg_landscape_drivers",
           "alg_violence_hotspots", "alg_profile_report"]
# Packages the plugin must never import (QGIS ships none of them with every install; the plugin talks to
# PostgreSQL through QGIS's connection API), nor the names the plugin has outside QGIS.
FORBIDDEN = {"psycopg", "psycopg2", "psycopg_pool", "sqlalchemy", "alembic", "qgis_plugin", "safestats_qgis"}


def test_plugin_registers_and_unloads_without_leftovers(qgis_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    listeners_before = len(log._LISTENERS)
    plugin = qgis_plugin.classFactory(qgis_iface)
    plugin.initProcessing()
    plugin.initGui()
    assert registry.providerById("safestats") is not None
    assert {a.id() for a in registry.providerById("safestats").algorithms()} == EXPECTED
    assert plugin.dock is not None and plugin.dock.objectName() == "SafeStatsDock"
    assert len(log._LISTENERS) == listeners_before + 1        # the log panel listens
    log.log("visible in the panel")
    assert plugin.dock.log_panel.text.toPlainText().endswith("visible in the panel")
    plugin.unload()
    assert registry.providerById("safestats") is None
    assert plugin.dock is None and plugin.action is None
    assert len(log._LISTENERS) == listeners_before
    # loading again after unloading works (plugin reloader)
    plugin.initProcessing()
    assert registry.providerById("safestats") is not None
    plugin.unload()


def test_headless_class_factory_has_processing_only(qgis_processing):
    plugin = qgis_plugin.classFactory(None)      # what qgis_process does
    plugin.initGui()
    assert plugin.dock is None and QgsApplication.processingRegistry().providerById("safestats") is not None
    plugin.unload()


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "safestats_qgis.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    subprocess.run(["make", "-s", "plugin"], cwd=ROOT, check=True, capture_output=True, env=env)
    built = ROOT / "dist" / "safestats_qgis.zip"
    out.write_bytes(built.read_bytes())
    return out


def test_zip_has_plugin_and_metadata_but_no_tests(plugin_zip):
    names = zipfile.ZipFile(plugin_zip).namelist()
    assert "safestats_qgis/metadata.txt" in names and "safestats_qgis/__init__.py" in names
    # one module per algorithm, their shared base, and the provider that lists them
    assert {f"safestats_qgis/processing/{m}.py" for m in MODULES} <= set(names)
    assert not [n for n in names if "test" in n.split("/")[-1] or "__pycache__" in n]
    meta = zipfile.ZipFile(plugin_zip).read("safestats_qgis/metadata.txt").decode()
    assert "hasProcessingProvider=yes" in meta and "qgisMinimumVersion=3.22" in meta
    assert meta == (ROOT / "metadata.txt").read_text()


def _build_script():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_plugin", ROOT / "scripts" / "build_plugin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_release_zip_refuses_placeholder_addresses_and_takes_them_from_variables(tmp_path):
    build = _build_script()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_plugin.py"), "--release",
                          str(tmp_path / "r.zip")], env=env, capture_output=True, text=True)
    assert run.returncode == 2 and not (tmp_path / "r.zip").exists()
    assert "placeholder email (safestats@example.org)" in run.stderr and "PLUGIN_TRACKER" in run.stderr
    # one variable given: the other three are still refused
    with pytest.raises(build.BuildError, match="placeholder email.*repository.*Set PLUGIN_EMAIL, PLUGIN_REP"):
        build.build(tmp_path / "r.zip", release=True, env={"PLUGIN_HOMEPAGE": "https://safestats.test"})
    given = {"PLUGIN_EMAIL": "team@safestats.test", "PLUGIN_HOMEPAGE": "https://safestats.test",
             "PLUGIN_REPOSITORY": "https://git.safestats.test/safestats",
             "PLUGIN_TRACKER": "https://git.safestats.test/safestats/issues"}
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_plugin.py"), "--release",
                          str(tmp_path / "r.zip")], env={**env, **given}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    meta = zipfile.ZipFile(tmp_path / "r.zip").read("safestats_qgis/metadata.txt").decode()
    for key, var in build.VARIABLES.items():
        assert f"\n{key}={given[var]}\n" in meta
    assert "example.org" not in meta and "version=" in meta and "experimental=False" in meta
    # the development zip still builds with the placeholders, and says so
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_plugin.py"), str(tmp_path / "d.zip")],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0 and "still placeholders" in run.stdout
    assert zipfile.ZipFile(tmp_path / "d.zip").read("safestats_qgis/metadata.txt").decode() == \
        (ROOT / "metadata.txt").read_text()


def _qgis_process(profile: Path, service_file: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(profile.parent.parent),
               PGSERVICEFILE=str(service_file))
    # Debian's /usr/bin/qgis_process wrapper passes --noversioncheck, which 3.22 rejects; the .bin works.
    return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True, timeout=180)


def test_zip_installs_in_clean_profile_and_qgis_process_runs_algorithms(plugin_zip, db_url, tmp_path):
    profile = tmp_path / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(plugin_zip).extractall(plugins)
    # Register the test database the way `make demo` does: a service plus a saved QGIS connection.
    service_file = qgis_setup.write_service(db_url, "safestats-test", tmp_path / "pg_service.conf")
    qgis_setup.write_qgis_connection("safestats-test", "SafeStats test", profile)
    qgis_setup.enable_plugin(profile)
    listed = _qgis_process(profile, service_file, "list")
    assert listed.returncode == 0, listed.stderr
    ids = {line.split()[0] for line in listed.stdout.splitlines() if line.strip().startswith("safestats:")}
    assert ids == EXPECTED

    points = tmp_path / "points.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": c}}
        for c in ([-0.1276, 51.5072], [-0.1280, 51.5075], [-0.0235, 51.5054], [2.35, 48.85])]}))
    out = tmp_path / "counts.gpkg"
    run = _qgis_process(profile, service_file, "run", "safestats:countpointsinareas", "--json", "--",
                        "CONNECTION=SafeStats test", f"INPUT={points}", "LEVEL=3", "VINTAGE=2022",
                        "KEEP_EMPTY=false", f"OUTPUT={out}")
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout[run.stdout.index("{"):])
    assert result["results"]["OUTSIDE"] == 1          # the Paris point
    from osgeo import ogr
    ds = ogr.Open(str(out))
    counts = {f.GetField("name"): f.GetField("count") for f in ds.GetLayer(0)}
    assert counts == {"Westminster": 2, "Tower Hamlets": 1}

    # the report algorithm runs headless too; this database has no comparator run, which it says
    report = _qgis_process(profile, service_file, "run", "safestats:profilereport", "--",
                           "CONNECTION=SafeStats test", f"OUTPUT={tmp_path / 'report.pdf'}")
    assert report.returncode != 0 and "No comparator run" in report.stdout + report.stderr

    bad = _qgis_process(profile, service_file, "run", "safestats:storestyles", "--",
                        "CONNECTION=No such connection")
    assert bad.returncode != 0
    assert "There is no QGIS PostgreSQL connection called 'No such connection'" in bad.stdout + bad.stderr


# What QGIS does with the zip: unpack it into the profile's python/plugins under the folder name of its
# choosing and import that folder as a top-level package. A system Python in isolated mode (-I: no
# PYTHONPATH, no current directory, no user site) sees QGIS and the plugins folder only, not the
# project's venv, so an absolute ``qgis_plugin`` import or a sys.path trick would fail here.
LOAD_IN_CLEAN_PROFILE = r"""
import json, sys
plugins, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, plugins)
import importlib.util
assert importlib.util.find_spec("qgis_plugin") is None, "the project's qgis_plugin must not be visible"
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
package = __import__(name)
plugin = package.classFactory(None)
plugin.initGui()                      # without an interface: the Processing provider only
provider = QgsApplication.processingRegistry().providerById("safestats")
ids = sorted(a.id() for a in provider.algorithms())
plugin.unload()
gone = QgsApplication.processingRegistry().providerById("safestats") is None
print(json.dumps({"ids": ids, "gone": gone, "modules": sorted(sys.modules)}))
"""


def test_zip_loads_under_another_folder_name_with_only_qgis_on_the_path(plugin_zip, tmp_path):
    plugins = tmp_path / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(plugin_zip).extractall(plugins)
    (plugins / "safestats_qgis").rename(plugins / "safestats")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profiles"))
    run = subprocess.run(["/usr/bin/python3", "-I", "-c", LOAD_IN_CLEAN_PROFILE, str(plugins), "safestats"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(result["ids"]) == EXPECTED and len(result["ids"]) == len(EXPECTED)
    assert result["gone"]
    loaded = set(result["modules"])
    assert {f"safestats.processing.{m}" for m in MODULES} <= loaded
    assert not {m.split(".")[0] for m in loaded} & FORBIDDEN


def test_plugin_imports_only_the_standard_library_qgis_and_itself(plugin_zip, tmp_path):
    """Every import statement in the zip, lazy ones included: relative within the plugin, else the
    standard library or QGIS (``qgis.*``, which also provides PyQt as ``qgis.PyQt``)."""
    zipfile.ZipFile(plugin_zip).extractall(tmp_path)
    allowed = set(sys.stdlib_module_names) | {"__future__", "qgis"}
    outside = []
    for path in sorted((tmp_path / "safestats_qgis").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                tops = [node.module.split(".")[0]]
            else:
                continue
            where = f"{path.relative_to(tmp_path)}:{node.lineno}"
            outside += [f"{where} {top}" for top in tops if top not in allowed]
        assert "sys.path" not in path.read_text(), f"{path.name} edits sys.path"
    assert outside == []


def test_every_algorithm_has_help_pointing_at_a_heading_of_the_manual(qgis_processing):
    import re
    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    try:
        algs = QgsApplication.processingRegistry().providerById("safestats").algorithms()
        headings = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
                    for h in re.findall(r"^#+ (.+)$", (ROOT / "docs" / "qgis-plugin.md").read_text(), re.M)}
        from qgis_plugin.processing.base import DOCS_URL, SafeStatsAlgorithm
        for alg in algs:
            if not isinstance(alg, SafeStatsAlgorithm):
                continue
            url = alg.helpUrl()
            assert url.startswith(DOCS_URL + "#"), (alg.id(), url)
            assert url.split("#", 1)[1] in headings, (alg.id(), url)
    finally:
        plugin.unload()


def test_translation_files_hold_every_static_string_and_load(qgis_app):
    """The committed .ts files (``make translations``) list the panels' strings; the .qm files load."""
    import importlib.util
    import xml.etree.ElementTree as ET

    from qgis.PyQt.QtCore import QTranslator
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found, problems = module.collect()
    assert problems == []                  # every tr() is a static string (no tr(f"…"))
    assert "Save chart…" in found["SafeStatsDock"] and "Cancel" in found["SafeStatsDock"]
    assert "{0} units: {1} hot, {2} cold at false discovery rate {3:g}" in found["SafeStats"]
    for lang in module.LANGUAGES:
        ts = ROOT / "qgis_plugin" / "i18n" / f"safestats_{lang}.ts"
        listed = {(c.findtext("name"), m.findtext("source"))
                  for c in ET.parse(ts).getroot().iter("context") for m in c.iter("message")}
        wanted = {(ctx, text) for ctx, texts in found.items() for text in texts}
        assert wanted <= listed, sorted(wanted - listed)[:5]      # run `make translations`
        assert QTranslator().load(str(ts.with_suffix(".qm")))
