"""Neighbourhood profile report: a QGIS print layout with an atlas over the areas of a comparator run,
two A4 landscape pages per area. Page 1: map of London with the area and its similar areas (legend,
scale bar, attribution), the gap table with 95% intervals, the comparator chart and street-level crime
per month. Page 2: the spine chart of every indicator on London's range, in three columns by theme.
Used by the Processing algorithm ``safestats:profilereport`` and ``safestats report``.

The charts are drawn by :class:`ChartItem`, a layout item that paints the chart (``chart_draw``) straight
onto the page: vector lines and real text in the PDF, at a fraction of the size of pictures (PNG
pictures made the London-wide PDF 88.9 MB; SVG pictures had their text turned into outlines).
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
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemRegistry,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QRectF, QVariant
from qgis.PyQt.QtGui import QColor, QFont

from . import chart_draw, charts, styles
from .connection import Database, SafeStatsError, py
from .sql import quote_literal

SOURCES = ("Sources: MOPAC Public Attitude Survey and GLA ward profiles (London Datastore, OGL v3); "
           "police.uk street-level crime (OGL v3); boundaries: ONS / GLA, contains OS data © Crown "
           "copyright and database right. Intervals: 95%; see docs/comparator.md.")
LONDON = QgsRectangle(503000, 155000, 562000, 201000)
PAGE_W, PAGE_H = 297.0, 210.0          # A4 landscape, mm
PAGES_PER_AREA = 2
SIMPLIFY_M = 25                         # map outlines simplified to this many metres
MM_PER_PX = 0.25                        # chart units on paper: 8 pt chart text prints at about 7.5 pt


@dataclass
class ReportResult:
    path: Path
    pages: int
    areas: int


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
        f"<td align='right'>{'<b>' if s else ''}{f(g)}{'</b>' if s else ''}</td>"
        f"<td align='right'>{f(lo)} to {f(hi)}</td><td align='center'>{'yes' if s else ''}</td></tr>"
        for n, v, g, lo, hi, s in rows)
    return ("<table style='font-family: DejaVu Sans; font-size: 7.5pt; border-collapse: collapse' "
            "cellpadding='1.5' width='100%'><tr style='color: #555555'><th align='left'>Survey measure</th>"
            "<th align='right'>value</th><th align='right'>gap</th><th align='right'>95% interval</th>"
            "<th>significant</th></tr>" + body + "</table>")


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
    # London fills 138 mm of the page (1 mm = about 430 m): outlines simplified to 25 m look the same
    # and make the map of every page about a tenth of the size in the PDF
    sql = (f"SELECT a.code, a.name, ST_Multi(ST_SimplifyPreserveTopology(a.geom, {SIMPLIFY_M}))"
           f"::geometry(MultiPolygon, 27700) AS geom FROM ref.area a "
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


class ChartItem(QgsLayoutItem):
    """A layout item that paints the atlas feature's chart (from ``charts_by_code``) straight onto the
    page with ``chart_draw.paint``: lines stay vector and text stays text in a PDF. One chart unit
    prints as ``MM_PER_PX`` millimetres."""

    TYPE = QgsLayoutItemRegistry.PluginItem + 1515

    def __init__(self, layout, charts_by_code: dict, columns: int = 1):
        super().__init__(layout)
        self.charts_by_code = charts_by_code
        self.columns = columns
        self.drawn: list[str] = []          # codes drawn (for checks)

    def type(self) -> int:
        return self.TYPE

    def displayName(self) -> str:  # noqa: N802
        return "SafeStats chart"

    def draw(self, context) -> None:
        feature = self.layout().reportContext().feature()
        chart = self.charts_by_code.get(feature["code"]) if feature.isValid() else None
        if chart is None:
            return
        painter = context.renderContext().painter()
        painter.save()
        try:
            scale = context.renderContext().scaleFactor() * MM_PER_PX     # painter: dots; chart: units
            painter.scale(scale, scale)
            size = self.rect()
            chart_draw.paint(chart, painter, QRectF(0, 0, size.width() / MM_PER_PX,
                                                    size.height() / MM_PER_PX), columns=self.columns)
            self.drawn.append(str(feature["code"]))
        finally:
            painter.restore()


def draw_charts(db: Database, codes: list[str], run: int, metric: str | None, feedback=None) -> dict:
    """Per area the charts' data: {"comparator" | "profile" | "crime": {code: Chart}}."""
    out: dict[str, dict] = {"comparator": {}, "profile": {}, "crime": {}}
    coverage = None
    if db.relation_exists("crime.street_crime"):
        _run, level, vintage = charts._run_of(db, run)
        coverage = db.query(charts.crime_coverage_sql(level, vintage))
    for n, code in enumerate(codes):
        if feedback is not None:
            if feedback.isCanceled():
                raise SafeStatsError("Cancelled.")
            feedback.setProgress(50.0 * n / max(len(codes), 1))
        with contextlib.suppress(SafeStatsError):
            out["profile"][code] = charts.profile_chart(db, code, run)
        if metric:
            with contextlib.suppress(SafeStatsError):
                out["comparator"][code] = charts.comparator_chart(db, code, metric, run)
        if coverage is not None:
            out["crime"][code] = charts.crime_trend_chart(db, code, run, coverage)
    return out


def _label(layout, text: str, x, y, w, h, size=8.0, bold=False, html_mode=False,
           page=0) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    item.setFont(font)
    if html_mode:
        item.setMode(QgsLayoutItemLabel.ModeHtml)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    layout.addLayoutItem(item)
    return item


def _chart(layout, charts_by_code: dict, x, y, w, h, page=0, columns=1) -> ChartItem:
    item = ChartItem(layout, charts_by_code, columns)
    layout.addLayoutItem(item)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=page)
    return item


def _legend_fonts(legend, title=9.0, group=8.0, label=7.5) -> None:
    for style, size in ((QgsLegendStyle.Title, title), (QgsLegendStyle.Group, group),
                        (QgsLegendStyle.Subgroup, group), (QgsLegendStyle.SymbolLabel, label)):
        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        legend.setStyleFont(style, font)


def _scale_bar(layout, m, x, y, size=7.0) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setUnitsPerSegment(5)
    bar.setHeight(2)
    fmt = bar.textFormat()
    fmt.setFont(QFont("DejaVu Sans"))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    bar.setTextFormat(fmt)
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    return bar


def build_layout(project: QgsProject, coverage: QgsVectorLayer, areas: QgsVectorLayer, drawn: dict,
                 data_date: str) -> QgsPrintLayout:
    """A two-page A4 landscape layout with its atlas over ``coverage`` (two pages per area)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("SafeStats neighbourhood profile")
    pages = layout.pageCollection()
    pages.page(0).setPageSize("A4", QgsLayoutItemPage.Landscape)
    second = QgsLayoutItemPage(layout)
    second.setPageSize("A4", QgsLayoutItemPage.Landscape)
    pages.addPage(second)
    footer = ("SafeStats · [% \"name\" %] ([% \"code\" %]) · area [% @atlas_featurenumber %] of "
              "[% @atlas_totalfeatures %] · page {0} of 2")
    # -- page 1: map, legend and scale bar clear of each other; gap table; comparator and crime charts
    _label(layout, "[% \"name\" %] — neighbourhood profile", 8, 6, 281, 9, 16, True)
    _label(layout, "[% \"code\" %] · the area (yellow) and its most similar areas (blue) · data as of "
           f"{data_date}", 8, 15.5, 281, 6, 9)
    m = QgsLayoutItemMap(layout)
    m.setLayers([areas])
    m.attemptMove(QgsLayoutPoint(8, 23, QgsUnitTypes.LayoutMillimeters))
    m.attemptResize(QgsLayoutSize(138, 107.5, QgsUnitTypes.LayoutMillimeters))
    m.setExtent(LONDON)
    m.setFrameEnabled(True)
    layout.addLayoutItem(m)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    legend.setAutoUpdateModel(False)
    legend.model().rootGroup().clear()
    node = legend.model().rootGroup().addLayer(areas)
    QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)
    legend.setTitle("")
    legend.setColumnCount(3)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(False)
    legend.setColumnSpace(4)
    legend.setBoxSpace(1)
    _legend_fonts(legend, label=8)
    legend.setSymbolHeight(3.5)
    legend.setSymbolWidth(6)
    legend.setResizeToContents(True)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(7, 132, QgsUnitTypes.LayoutMillimeters))
    _scale_bar(layout, m, 108, 133.5)
    _label(layout, "Gaps against the most similar areas (95% intervals; bold: significant)", 8, 145, 138, 6,
           9, True)
    _label(layout, "[% \"gap_table\" %]", 8, 151, 138, 50, 7.5, html_mode=True)
    _chart(layout, drawn["comparator"], 151, 23, 138, 96)
    _chart(layout, drawn["crime"], 151, 121, 138, 62)
    _label(layout, SOURCES, 152, 185, 136, 14, 6.5)
    _label(layout, footer.format(1), 8, 202, 281, 5, 6.5)
    # -- page 2: the spine chart, three columns by theme
    _chart(layout, drawn["profile"], 6, 5, 285, 195, page=1, columns=3)     # its title names the area
    _label(layout, footer.format(2) + " · " + SOURCES, 8, 201, 281, 7, 6, page=1)
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
    """Write the atlas PDF (two pages per area of the run, or per code in ``codes``); a ``.png`` output
    writes one image per page instead (``<name>-<code>_<page>.png``)."""
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
    all_codes = [f["code"] for f in coverage.getFeatures()]
    drawn = draw_charts(db, all_codes, run, metrics[0][0] if metrics else None, feedback)
    data_date = str(db.scalar("SELECT to_char(max(finished_at), 'YYYY-MM-DD') FROM safestats.load")
                    or _dt.date.today())
    layout = build_layout(project, coverage, areas, drawn, data_date)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = layout.atlas().updateFeatures()
    if out.suffix.lower() == ".png":       # one PNG per page (pictures for the docs), named by area code
        img = QgsLayoutExporter.ImageExportSettings()
        img.dpi = dpi
        layout.atlas().setFilenameExpression(f"'{out.stem}-' || \"code\"")
        result, error = QgsLayoutExporter.exportToImage(layout.atlas(), str(out.parent) + "/", "png", img,
                                                        feedback)
        if result != QgsLayoutExporter.Success:
            raise SafeStatsError(f"QGIS could not write the report pages {out}: {error or result}")
        return ReportResult(out, n * PAGES_PER_AREA, n)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.simplifyGeometries = True
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText    # real text, not outlines
    result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(out), settings, feedback)
    if result != QgsLayoutExporter.Success:
        raise SafeStatsError(f"QGIS could not write the report {out}: {error or result}")
    return ReportResult(out, n * PAGES_PER_AREA, n)


def pdf_pages(path: str | Path) -> int:
    """Pages of a PDF QGIS wrote (its page objects), for checks."""
    import re
    data = Path(path).read_bytes()
    return len(re.findall(rb"/Type\s*/Page[^s]", data))



def _fit(extent: QgsRectangle, w: float, h: float) -> QgsRectangle:
    """``extent`` widened (about its centre) to the aspect ratio w:h."""
    out = QgsRectangle(extent)
    if out.width() / out.height() < w / h:
        grow = out.height() * w / h - out.width()
        out.setXMinimum(out.xMinimum() - grow / 2)
        out.setXMaximum(out.xMaximum() + grow / 2)
    else:
        grow = out.width() * h / w - out.height()
        out.setYMinimum(out.yMinimum() - grow / 2)
        out.setYMaximum(out.yMaximum() + grow / 2)
    return out


def map_picture(layers: list, path: str | Path, title: str, extent: QgsRectangle,
                size_mm: tuple[float, float] = (250, 180), dpi: int = 110, side_html: str | None = None,
                legend_layers: list | None = None, subtitle: str | None = None) -> Path:
    """A map exported through a print layout (title, legend, scale bar, attribution) as PNG — the
    pictures in docs/qgis-plugin.md. ``side_html`` goes in the right-hand column under the legend
    (e.g. the Locator's results); ``legend_layers`` (default ``layers``) are the legend's entries."""
    from qgis.core import QgsCoordinateReferenceSystem
    project = QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    w, h = size_mm
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    _label(layout, title, 6, 4, w - 12, 9, 14, True)
    top = 15
    if subtitle:
        _label(layout, subtitle, 6, 13, w - 12, 6, 8.5)
        top = 20
    m = QgsLayoutItemMap(layout)
    layout.addLayoutItem(m)
    m.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    m.setLayers(layers)
    m.attemptMove(QgsLayoutPoint(6, top, QgsUnitTypes.LayoutMillimeters))
    map_h = h - top - 27
    m.attemptResize(QgsLayoutSize(w - 95, map_h, QgsUnitTypes.LayoutMillimeters))
    m.setExtent(_fit(extent, w - 95, map_h))     # widened to the item's shape, so it keeps its size
    m.setFrameEnabled(True)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    legend.setAutoUpdateModel(False)
    legend.model().rootGroup().clear()
    legend.setWrapString("|")
    for lyr in legend_layers if legend_layers is not None else layers:
        node = legend.model().rootGroup().addLayer(lyr)
        if len(lyr.name()) > 42:             # long layer names wrap inside the right-hand column
            import textwrap
            node.setCustomProperty("legend/title-label", "|".join(textwrap.wrap(lyr.name(), 42)))
    legend.setTitle("Legend")
    legend.setResizeToContents(True)
    _legend_fonts(legend, 10, 8, 7.5)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(w - 86, top, QgsUnitTypes.LayoutMillimeters))
    from qgis.core import QgsLayoutUtils
    needed = QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(
        QgsLayoutUtils.createRenderContextForLayout(layout, None))
    bottom_of_legend = top + needed.height()
    if side_html:
        _label(layout, side_html, w - 86, bottom_of_legend + 4, 80, h - bottom_of_legend - 40, 8,
               html_mode=True)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    fmt = bar.textFormat()
    fmt.setSize(8)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    bar.setTextFormat(fmt)
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(6, top + map_h + 2, QgsUnitTypes.LayoutMillimeters))   # under the map
    _label(layout, "SafeStats · boundaries: ONS / GLA, contains OS data © Crown copyright and database "
           "right; police.uk, MOPAC, GLA data (OGL v3)", 6, h - 8, w - 12, 6, 6.5)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = dpi
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = QgsLayoutExporter(layout).exportToImage(str(path), settings)
    if result != QgsLayoutExporter.Success:
        raise SafeStatsError(f"QGIS could not write {path} ({result})")
    return path
