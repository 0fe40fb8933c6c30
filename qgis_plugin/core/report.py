"""Neighbourhood profile report: a QGIS print layout with an atlas over the areas of a comparator run,
one PDF page per area — map of London with the area and its similar areas (legend, scale bar,
attribution), the spine chart, the gap table with 95% intervals, the crime trend, and the data's date
and sources. Used by the Processing algorithm ``safestats:profilereport`` and ``safestats report``.

Charts are drawn once per area as SVG (vector in the PDF) into a folder next to the PDF; the layout's
picture items pick theirs by the atlas feature's code.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import html
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsRectangle,
    QgsRuleBasedRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor, QFont, QImage

from . import chart_draw, charts, styles
from .connection import Database, SafeStatsError, py
from .sql import quote_literal

SOURCES = ("Sources: MOPAC Public Attitude Survey and GLA ward profiles (London Datastore, OGL v3); "
           "police.uk street-level crime (OGL v3); boundaries: ONS / GLA, contains OS data © Crown "
           "copyright and database right. Intervals: 95%; see docs/comparator.md.")


@dataclass
class ReportResult:
    path: Path
    pages: int
    charts_dir: Path


def _gap_metrics(db: Database, run: int, limit: int = 8) -> list[tuple[str, str]]:
    """The survey (confidence) metrics of the run, as the gap table's rows."""
    rows = db.query(
        "SELECT DISTINCT i.indicator_code, i.name FROM landscape.indicator i "
        "JOIN landscape.indicator_value v USING (indicator_code) JOIN comparator.run r "
        f"ON r.level = v.level AND r.vintage = v.vintage WHERE r.run_id = {int(run)} "
        f"AND i.indicator_code LIKE 'pas\\_%' ORDER BY 1 LIMIT {int(limit)}")
    return [(str(a), str(b)) for a, b in rows]


def gap_rows(db: Database, run: int, metrics: list[tuple[str, str]]) -> dict[str, list[tuple]]:
    """{area code: [(metric name, value, gap, gap_lower, gap_upper, significant), …]} from comparator_gaps."""
    out: dict[str, list[tuple]] = {}
    for code, name in metrics:
        for r in db.query(f"SELECT area_code, value, gap, gap_lower, gap_upper, significant "
                          f"FROM safestats.comparator_gaps({quote_literal(code)}, {int(run)})"):
            out.setdefault(str(r[0]), []).append((name, *[py(x) for x in r[1:]]))
    return out


def gap_html(rows: list[tuple]) -> str:
    def f(v):
        return "–" if v is None else f"{v:+.1f}" if isinstance(v, float) else str(v)
    body = "".join(
        f"<tr><td>{html.escape(n)}</td><td align='right'>{'' if v is None else f'{v:.1f}'}</td>"
        f"<td align='right'>{f(g)}</td><td align='right'>{f(lo)} … {f(hi)}</td>"
        f"<td align='center'>{'yes' if s else ''}</td></tr>"
        for n, v, g, lo, hi, s in rows)
    return ("<table style='font-family: DejaVu Sans; font-size: 7pt; border-collapse: collapse' "
            "cellpadding='1'><tr><th align='left'>Survey measure</th><th>value</th><th>gap</th>"
            "<th>95% interval of gap</th><th>significant</th></tr>" + body + "</table>")


def coverage_layer(db: Database, run: int, codes: list[str] | None, metrics) -> QgsVectorLayer:
    """A memory layer of the run's areas (the atlas coverage): code, name, borough, the similar areas'
    codes and the gap table as HTML."""
    level, vintage = db.query(f"SELECT level, vintage FROM comparator.run WHERE run_id = {int(run)}")[0]
    where = f" AND a.code IN ({', '.join(quote_literal(c) for c in codes)})" if codes else ""
    rows = db.query(
        "SELECT a.code, a.name, "
        "(SELECT string_agg(s.similar_code, ',' ORDER BY s.rank) FROM comparator.similar_area s "
        f"WHERE s.run_id = {int(run)} AND s.area_code = a.code), ST_AsText(a.geom) FROM ref.area a "
        f"WHERE a.level = {quote_literal(level)} AND a.vintage = {int(vintage)} AND EXISTS (SELECT 1 FROM "
        f"comparator.area_group g WHERE g.run_id = {int(run)} AND g.area_code = a.code){where} ORDER BY 2")
    if not rows:
        raise SafeStatsError(f"No area of comparator run {run} matches {codes}.")
    gaps = gap_rows(db, run, metrics)
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:27700", "Report areas", "memory")
    layer.dataProvider().addAttributes([QgsField("code", QVariant.String), QgsField("name", QVariant.String),
                                        QgsField("similar", QVariant.String),
                                        QgsField("gap_table", QVariant.String)])
    layer.updateFields()
    feats = []
    for code, name, similar, wkt in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes([str(code), str(name), str(py(similar) or ""), gap_html(gaps.get(str(code), []))])
        f.setGeometry(QgsGeometry.fromWkt(str(wkt)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def map_layer(db: Database, run: int) -> QgsVectorLayer:
    """Every area of the run, styled for the atlas page: the page's area, its similar areas, the rest."""
    level, vintage = db.query(f"SELECT level, vintage FROM comparator.run WHERE run_id = {int(run)}")[0]
    sql = (f"SELECT a.code, a.name, a.geom::geometry(MultiPolygon, 27700) AS geom FROM ref.area a "
           f"WHERE a.level = {quote_literal(level)} AND a.vintage = {int(vintage)}")
    from qgis.core import QgsWkbTypes
    layer = QgsVectorLayer(db.query_layer_uri(sql, "geom", "code", wkb_type=QgsWkbTypes.MultiPolygon),
                           f"{level}s", "postgres")
    if not layer.isValid():
        raise SafeStatsError(f"QGIS could not open the report's map layer: {layer.error().summary()}")
    root = QgsRuleBasedRenderer.Rule(None)
    for expr, colour, outline, width, label in (
            ("\"code\" = attribute(@atlas_feature, 'code')", "#ffd92f", "#000000", 0.6, "this area"),
            ("array_contains(string_to_array(attribute(@atlas_feature, 'similar'), ','), \"code\")",
             "#3b6ea5", "#ffffff", 0.1, "its most similar areas"),
            ("ELSE", "#eeeeee", "#bbbbbb", 0.1, "other areas")):
        rule = QgsRuleBasedRenderer.Rule(styles.area_fill(colour, outline, width), 0, 0,
                                         "" if expr == "ELSE" else expr, label)
        if expr == "ELSE":
            rule.setIsElse(True)
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    return layer


def _save(chart, path: Path) -> None:
    """A chart for the layout: PNG at screen size (about 250 dpi at its printed size). SVG
    pictures made the PDF ~4 MB a page (QGIS writes their text as outlines); PNG keeps it small."""
    if path.suffix == ".png":
        # no alpha channel: Qt's PDF writer may then store the picture JPEG-compressed
        chart_draw.image(chart, None, 1.0).convertToFormat(QImage.Format_RGB32).save(str(path), "PNG")
    else:
        chart_draw.save(chart, path)


def render_charts(db: Database, codes: list[str], run: int, metric: str | None, folder: Path,
                  fmt: str = "png") -> None:
    """Per area: profile (spine), comparator (the first gap metric) and crime trend charts."""
    folder.mkdir(parents=True, exist_ok=True)
    has_crime = db.relation_exists("crime.street_crime")
    for code in codes:
        safe = code.replace("/", "_")
        with contextlib.suppress(SafeStatsError):
            _save(charts.profile_chart(db, code, run), folder / f"{safe}-profile.{fmt}")
        if metric:
            with contextlib.suppress(SafeStatsError):
                _save(charts.comparator_chart(db, code, metric, run), folder / f"{safe}-comparator.{fmt}")
        if has_crime:
            _save(charts.crime_trend_chart(db, code, run), folder / f"{safe}-crime.{fmt}")


def _label(layout, text: str, x, y, w, h, size=8.0, bold=False, html_mode=False) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    item.setFont(font)
    if html_mode:
        item.setMode(QgsLayoutItemLabel.ModeHtml)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def _picture(layout, folder: Path, kind: str, x, y, w, h, fmt: str = "png") -> QgsLayoutItemPicture:
    pic = QgsLayoutItemPicture(layout)
    pic.setResizeMode(QgsLayoutItemPicture.Zoom)
    pic.dataDefinedProperties().setProperty(
        QgsLayoutItemPicture.PictureSource,
        QgsProperty.fromExpression(
            f"'{folder.as_posix()}/' || replace(\"code\", '/', '_') || '-{kind}.{fmt}'"))
    pic.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    pic.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(pic)
    return pic


def build_layout(project: QgsProject, coverage: QgsVectorLayer, areas: QgsVectorLayer, folder: Path,
                 data_date: str) -> QgsPrintLayout:
    """An A4 landscape layout with its atlas over ``coverage`` (one page per area)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("SafeStats neighbourhood profile")
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Landscape)
    _label(layout, "[% \"name\" %] — neighbourhood profile", 8, 5, 230, 9, 15, True)
    _label(layout, "[% \"code\" %] · the area (yellow) and its most similar areas (blue) · data as of "
           f"{data_date}", 8, 14, 230, 6, 8)
    m = QgsLayoutItemMap(layout)
    m.setLayers([areas])
    m.attemptMove(QgsLayoutPoint(8, 22, QgsUnitTypes.LayoutMillimeters))
    m.attemptResize(QgsLayoutSize(120, 92, QgsUnitTypes.LayoutMillimeters))
    m.setExtent(QgsRectangle(503000, 155000, 562000, 201000))
    m.setFrameEnabled(True)
    layout.addLayoutItem(m)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    legend.setAutoUpdateModel(False)
    legend.model().rootGroup().clear()
    legend.model().rootGroup().addLayer(areas)
    legend.setTitle("Legend")
    from qgis.core import QgsLegendStyle
    for style, size in ((QgsLegendStyle.Title, 9), (QgsLegendStyle.Group, 8), (QgsLegendStyle.Subgroup, 8),
                        (QgsLegendStyle.SymbolLabel, 7)):
        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        legend.setStyleFont(style, font)
    legend.setSymbolHeight(3.5)
    legend.setSymbolWidth(6)
    legend.attemptMove(QgsLayoutPoint(9, 115, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setUnitsPerSegment(5)
    bar.attemptMove(QgsLayoutPoint(70, 115, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)
    _label(layout, "Gaps against the most similar areas (95% intervals)", 8, 146, 120, 5, 8.5, True)
    _label(layout, "[% \"gap_table\" %]", 8, 151, 122, 45, 7, html_mode=True)
    _picture(layout, folder, "profile", 132, 20, 80, 180)
    _picture(layout, folder, "comparator", 213, 20, 78, 90)
    _picture(layout, folder, "crime", 213, 112, 78, 46)
    _label(layout, SOURCES, 213, 160, 78, 30, 6)
    _label(layout, "SafeStats · page [% @atlas_featurenumber %] of [% @atlas_totalfeatures %]",
           230, 200, 60, 5, 6)
    for item in layout.items():
        if isinstance(item, QgsLayoutItemLabel):
            item.setFontColor(QColor("#222222"))
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"code"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"name"')
    return layout


def write_report(db: Database, out: str | Path, run: int | None = None, codes: list[str] | None = None,
                 dpi: int = 150, feedback=None) -> ReportResult:
    """Write the atlas PDF (one page per area of the run, or per code in ``codes``)."""
    out = Path(out)
    if run is None:
        run = int(db.scalar("SELECT max(run_id) FROM comparator.run") or 0) or None
        if run is None:
            raise SafeStatsError("No comparator run; build one with `safestats comparator build`.")
    metrics = _gap_metrics(db, run)
    coverage = coverage_layer(db, run, codes, metrics)
    areas = map_layer(db, run)
    project = QgsProject()
    from qgis.core import QgsCoordinateReferenceSystem
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    project.addMapLayers([coverage, areas], False)
    folder = out.with_suffix("").with_name(out.stem + "-charts")
    all_codes = [f["code"] for f in coverage.getFeatures()]
    render_charts(db, all_codes, run, metrics[0][0] if metrics else None, folder)
    data_date = str(db.scalar("SELECT to_char(max(finished_at), 'YYYY-MM-DD') FROM safestats.load")
                    or _dt.date.today())
    layout = build_layout(project, coverage, areas, folder, data_date)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".png":       # one PNG per page (pictures for the docs), named by area code
        img = QgsLayoutExporter.ImageExportSettings()
        img.dpi = dpi
        layout.atlas().setFilenameExpression(f"'{out.stem}-' || \"code\"")
        result, error = QgsLayoutExporter.exportToImage(layout.atlas(), str(out.parent) + "/", "png", img,
                                                        feedback)
        if result != QgsLayoutExporter.Success:
            raise SafeStatsError(f"QGIS could not write the report pages {out}: {error or result}")
        return ReportResult(out, layout.atlas().count(), folder)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.simplifyGeometries = True
    out.parent.mkdir(parents=True, exist_ok=True)
    result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(out), settings, feedback)
    if result != QgsLayoutExporter.Success:
        raise SafeStatsError(f"QGIS could not write the report {out}: {error or result}")
    return ReportResult(out, layout.atlas().count(), folder)


def pdf_pages(path: str | Path) -> int:
    """Pages of a PDF QGIS wrote (its page objects), for checks."""
    import re
    data = Path(path).read_bytes()
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


_ = QgsLayoutMeasurement  # (kept importable for callers that size items in layout units)


def map_picture(layers: list, path: str | Path, title: str, extent: QgsRectangle,
                size_mm: tuple[float, float] = (250, 180), dpi: int = 110) -> Path:
    """A map exported through a print layout (title, legend, scale bar, attribution) as PNG — the
    pictures in docs/qgis-plugin.md."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsLayoutItemPage
    project = QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    w, h = size_mm
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    _label(layout, title, 6, 4, w - 12, 9, 14, True)
    m = QgsLayoutItemMap(layout)
    m.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    m.setLayers(layers)
    m.attemptMove(QgsLayoutPoint(6, 15, QgsUnitTypes.LayoutMillimeters))
    m.attemptResize(QgsLayoutSize(w - 95, h - 32, QgsUnitTypes.LayoutMillimeters))
    m.setExtent(extent)
    m.setFrameEnabled(True)
    layout.addLayoutItem(m)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    legend.setAutoUpdateModel(False)
    legend.model().rootGroup().clear()
    for lyr in layers:
        legend.model().rootGroup().addLayer(lyr)
    legend.setTitle("Legend")
    legend.setResizeToContents(True)
    from qgis.core import QgsLegendStyle
    for style, size in ((QgsLegendStyle.Title, 10), (QgsLegendStyle.Group, 8), (QgsLegendStyle.Subgroup, 8),
                        (QgsLegendStyle.SymbolLabel, 7.5)):
        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        legend.setStyleFont(style, font)
    legend.attemptMove(QgsLayoutPoint(w - 86, 15, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    bar.attemptMove(QgsLayoutPoint(w - 86, h - 40, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)
    _label(layout, "SafeStats · boundaries: ONS / GLA, contains OS data © Crown copyright and database "
           "right; police.uk, MOPAC, GLA data (OGL v3)", w - 150, h - 9, 144, 6, 6)
    _ = QgsLayoutItemPage
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = dpi
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = QgsLayoutExporter(layout).exportToImage(str(path), settings)
    if result != QgsLayoutExporter.Success:
        raise SafeStatsError(f"QGIS could not write {path} ({result})")
    return path
