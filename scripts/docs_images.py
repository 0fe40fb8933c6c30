#!/usr/bin/env python3
"""Regenerate the pictures of docs/qgis-plugin.md that show the demo's data (``make docs-images``,
after ``make demo``): the ready-made project, a report page (both pages) and the Locator. Each goes
through a print layout (title, legend, scale bar, attribution). The pictures the plugin tests render
(charts, review, comparator map) come from the tests marked ``docs_picture`` (the same make target).

Uses DATABASE_URL or the embedded database (``SAFESTATS_PORT``). QGIS settings go to a throwaway
profile, so nothing is written to yours. ``--out`` writes elsewhere than docs/images.
"""
from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PROFILE = Path(tempfile.mkdtemp(prefix="safestats-docs-qgis-"))
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(PROFILE)


def project_picture(db, out: Path) -> Path:
    """The ready-made project as it opens, zoomed to where the demo's street crime and A&E records are."""
    from qgis.core import QgsProject, QgsRectangle, QgsVectorLayer

    from qgis_plugin.core.report import map_picture
    from safestats.qgis_project import build_project
    path = PROFILE / "london.qgz"
    build_project(db, str(path))
    project = QgsProject.instance()
    project.read(str(path))
    visible = [lyr for lyr in project.layerTreeRoot().checkedLayers() if isinstance(lyr, QgsVectorLayer)]
    for lyr in visible:                      # one still picture of every period
        lyr.temporalProperties().setIsActive(False)
    box = db.query(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM ("
        "SELECT geom FROM crime.street_crime UNION ALL SELECT geom FROM health.ae_assault) g "
        "WHERE geom IS NOT NULL) x")[0]
    extent = QgsRectangle(*[float(v) for v in box])
    extent.grow(800)
    crimes = db.scalar("SELECT count(*) FROM crime.street_crime")
    records = db.scalar("SELECT count(*) FROM health.ae_assault WHERE geom IS NOT NULL")
    subtitle = (f"zoomed to the demo's data: {crimes:,} police.uk street-level crimes (City of London) "
                f"and {records:,} geocoded A&E assault records by confidence")
    return map_picture(visible, out / "qgis-project.png", "SafeStats: the ready-made project as it opens",
                       extent, subtitle=subtitle)


def report_pictures(db, out: Path) -> list[Path]:
    """Both pages of the report of the neighbourhood `make demo` reports on (the latest run holding the
    survey measure; its area with a significant gap, largest shortfall first)."""
    from qgis_plugin.core import report
    run, code = db.query(
        "WITH runs AS MATERIALIZED (SELECT r.run_id FROM comparator.run r WHERE EXISTS ("
        " SELECT 1 FROM landscape.indicator_value v WHERE v.indicator_code = 'pas_good_job'"
        " AND v.level = r.level AND v.vintage = r.vintage) ORDER BY r.run_id DESC LIMIT 1) "
        "SELECT r.run_id, g.area_code FROM runs r, "
        "LATERAL safestats.comparator_gaps('pas_good_job', r.run_id) g "
        "ORDER BY g.significant DESC, g.shortfall DESC NULLS LAST LIMIT 1")[0]
    run = int(run)
    tmp = PROFILE / "report"
    report.write_report(db, tmp / "page.png", run, [code], dpi=110)
    pages = sorted(tmp.glob("page-*.png"))
    if len(pages) != report.PAGES_PER_AREA:
        raise SystemExit(f"expected {report.PAGES_PER_AREA} report pages, got {[p.name for p in pages]}")
    names = ["report-page.png", "report-page-profile.png"]
    return [Path(shutil.copy(p, out / n)) for p, n in zip(pages, names, strict=True)]


def locator_picture(db, out: Path, text: str = "peckham") -> Path:
    """What the Locator lists for ``ss <text>`` and the map after picking the first result."""
    from qgis.core import (
        QgsFeature,
        QgsGeometry,
        QgsRectangle,
        QgsSettings,
        QgsSingleSymbolRenderer,
        QgsVectorLayer,
    )

    from qgis_plugin.core import connection, styles
    from qgis_plugin.core.report import map_picture
    from qgis_plugin.core.sql import quote_literal
    from qgis_plugin.gui.dock import SETTINGS_KEY
    from qgis_plugin.gui.locator import SafeStatsLocatorFilter, unpack
    connection.save_connection("SafeStats docs", db.uri)
    QgsSettings().setValue(SETTINGS_KEY, "SafeStats docs")
    results = SafeStatsLocatorFilter().results(text)
    if not results:
        raise SystemExit(f"the Locator found nothing for {text!r}")
    first = results[0]
    kind, code, xmin, ymin, xmax, ymax, _conf = unpack(first)
    rows, group = [], None
    for r in results:
        if r.group != group:
            group = r.group
            rows.append(f"<tr><td colspan='2' style='color:#555555; padding-top:4px'><b>{html.escape(group)}"
                        "</b></td></tr>")
        mark = "background:#fff3b0;" if r is first else ""
        rows.append(f"<tr style='{mark}'><td>{html.escape(r.displayString)}</td>"
                    f"<td style='color:#666666'>{html.escape(r.description)}</td></tr>")
    side = (f"<div style='font-family: DejaVu Sans; font-size: 8pt'><b>QGIS search bar: "
            f"<span style='font-family: DejaVu Sans Mono'>ss {html.escape(text)}</span></b>"
            "<table cellpadding='1' style='font-size: 7.5pt'>" + "".join(rows) + "</table></div>")
    wards = QgsVectorLayer(db.layer_uri("safestats", "wards", "geom", '"code"', "vintage = 2022"),
                           "Wards (2022)", "postgres")
    wards.setRenderer(styles.boundary_renderer("ward"))
    wards.setLabeling(styles.borough_labels())
    wards.setLabelsEnabled(True)
    picked = QgsVectorLayer("MultiPolygon?crs=EPSG:27700", f"Picked: {first.displayString} ({kind})",
                            "memory")
    geom = db.query(f"SELECT ST_AsText(geom) FROM ref.area WHERE code = {quote_literal(code)} LIMIT 1") \
        if kind in ("ward", "borough", "neighbourhood") else []
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt(str(geom[0][0])) if geom
                  else QgsGeometry.fromRect(QgsRectangle(xmin, ymin, xmax, ymax)))
    picked.dataProvider().addFeatures([f])
    picked.setRenderer(QgsSingleSymbolRenderer(styles.area_fill("#ffd92f", "#000000", 0.6)))
    extent = QgsRectangle(xmin, ymin, xmax, ymax)
    extent.scale(1.2)                          # what triggering the result does to the map canvas
    return map_picture([picked, wards], out / "locator.png",
                       f"Locator: ss {text} — the results, and the map after picking the first",
                       extent, side_html=side)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    ap.add_argument("--only", choices=["project", "report", "locator"], action="append")
    args = ap.parse_args()
    from safestats.charts import plugin_database
    db = plugin_database()
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = args.only or ["project", "report", "locator"]
    written = []
    if "project" in wanted:
        written.append(project_picture(db, args.out))
    if "report" in wanted:
        written += report_pictures(db, args.out)
    if "locator" in wanted:
        written.append(locator_picture(db, args.out))
    for p in written:
        print(f"wrote {p}")
    shutil.rmtree(PROFILE, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
