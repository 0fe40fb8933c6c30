"""`safestats qgis-project` and the demo's QGIS registration, against the real test database."""
from __future__ import annotations

import configparser
import zipfile

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QSettings
from test_plugin_layers import LONDON, render  # tests/ is on sys.path (pytest rootdir import)

from safestats import qgis_setup


def test_demo_registration_writes_service_and_connection_without_password(db_url, tmp_path, monkeypatch):
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text("[someone-else]\nhost=db.example.org\ndbname=other\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    monkeypatch.setenv("SAFESTATS_QGIS_PROFILE", str(tmp_path / "profile"))
    qgis_setup.write_service(db_url)
    qgis_setup.write_service(db_url)               # twice: still one section, other sections kept
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(service_file)
    assert cfg.sections() == ["someone-else", "safestats-demo"]
    from urllib.parse import urlparse
    assert cfg["safestats-demo"]["dbname"] == urlparse(db_url).path.lstrip("/")
    assert "password" not in service_file.read_text()
    ini = qgis_setup.write_qgis_connection()
    s = QSettings(str(ini), QSettings.IniFormat)
    assert s.value("PostgreSQL/connections/SafeStats demo/service") == "safestats-demo"
    assert s.value("PostgreSQL/connections/SafeStats demo/password") in ("", None)


def test_qgis_project_command_writes_styled_grouped_project(run_cli, db_url, tmp_path, monkeypatch,
                                                            qgis_new_project):
    # Connect through a service, as the demo registers it, so the project holds no password.
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "pg_service.conf"))
    qgis_setup.write_service(db_url, "safestats-test")
    out = tmp_path / "london.qgz"
    code, stdout, stderr = run_cli("qgis-project", str(out), "--service", "safestats-test")
    assert code == 0, stderr
    assert "through service 'safestats-test'" in stdout
    with zipfile.ZipFile(out) as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode()
    assert "service='safestats-test'" in qgs and "password" not in qgs

    project = QgsProject.instance()
    assert project.read(str(out))
    top = project.layerTreeRoot().findGroup("SafeStats")
    assert [g.name() for g in top.findGroups()][-1] == "Boundaries"
    by_name = {layer.name(): layer for layer in project.mapLayers().values()}
    for name in ("Boroughs (2022 boundaries)", "Wards (2022 boundaries)", "A&E assault locations (geocoded)"):
        assert by_name[name].isValid(), name
    assert by_name["Boroughs (2022 boundaries)"].featureCount() == 33
    assert by_name["A&E assault locations (geocoded)"].renderer().type() == "graduatedSymbol"
    assert "Crime outcomes (police.uk)" not in by_name          # empty in the demo: left out
    themes = project.mapThemeCollection()
    for theme in themes.mapThemes():   # one per tool present: its layer plus the visible boundaries
        shown = [lyr.name() for lyr in themes.mapThemeVisibleLayers(theme)]
        assert "Boroughs (2022 boundaries)" in shown and len(shown) >= 2, (theme, shown)
    assert "A&E geocoding" in themes.mapThemes()
    assert themes.mapThemeVisibleLayers("A&E geocoding")[0].name() == "A&E assault locations (geocoded)"
    visible = [layer for layer in project.layerTreeRoot().checkedLayers()
               if isinstance(layer, QgsVectorLayer)]
    stats = render(visible, tmp_path / "qgis-project.png", LONDON,
                   title="SafeStats: London — the ready-made project as it opens")
    assert stats["non_white"] > 0.05


def test_qgis_project_reports_unreachable_database(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "pg_service.conf"))
    (tmp_path / "pg_service.conf").write_text(f"[gone]\nhost={tmp_path}\nport=1\ndbname=nowhere\n")
    code, _out, err = run_cli("qgis-project", str(tmp_path / "x.qgz"), "--service", "gone")
    assert code == 2 and "Cannot reach" in err and "Traceback" not in err
