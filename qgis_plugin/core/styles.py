"""Renderers for SafeStats layers: what an analyst expects to see the moment a layer is added."""
from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsClassificationQuantile,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSimpleMarkerSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsStyle,
    QgsSymbol,
    QgsSymbolLayer,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

# Confidence bands of geocoded points: (lower, upper, label, colour). Colours from ColorBrewer RdYlGn.
CONFIDENCE_BANDS = [
    (0.0, 0.5, "Low confidence (under 50%)", "#d7191c"),
    (0.5, 0.75, "Moderate (50–75%)", "#fdae61"),
    (0.75, 0.9, "Good (75–90%)", "#a6d96a"),
    (0.9, 1.0, "High (90% and over)", "#1a9641"),
]
# Diverging gap colours (ColorBrewer RdBu, 5 classes): far below … far above the group.
DIVERGING = ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"]
MUTED = "#d9d9d9"
BOUNDARY_LOOK = {  # level -> (outline colour, width mm)
    "borough": ("#252525", 0.6), "ward": ("#525252", 0.25), "msoa": ("#636363", 0.2),
    "lsoa": ("#969696", 0.12),
}


def area_fill(colour: str, outline: str = "#ffffff", width: float = 0.1) -> QgsFillSymbol:
    """A filled polygon symbol with a thin outline (white by default, so neighbours stay apart)."""
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": outline,
                                       "outline_width": str(width)})


def boundary_renderer(level: str) -> QgsSingleSymbolRenderer:
    """Hollow polygons with an outline weight that says how big the area is."""
    colour, width = BOUNDARY_LOOK.get(level, ("#525252", 0.25))
    sym = QgsFillSymbol.createSimple({"color": "255,255,255,0", "outline_color": colour,
                                      "outline_width": str(width), "style": "no"})
    return QgsSingleSymbolRenderer(sym)


def _haloed_labels(field: str, size: float, colour: str, halo_mm: float) -> QgsPalLayerSettings:
    """Label settings for ``field``: text of ``size`` points in ``colour`` with a white halo."""
    s = QgsPalLayerSettings()
    s.fieldName = field
    fmt = QgsTextFormat()
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buf = fmt.buffer()
    buf.setEnabled(True)
    buf.setSize(halo_mm)
    fmt.setBuffer(buf)
    s.setFormat(fmt)
    return s


def borough_labels() -> QgsVectorLayerSimpleLabeling:
    """Borough names at the polygon centre, small grey text with a white halo."""
    s = _haloed_labels("name", 7, "#404040", 0.8)
    # Horizontal/OverPoint placements are named differently across 3.x; the numeric value is stable.
    s.placement = getattr(QgsPalLayerSettings, "OverPoint", 1)
    return QgsVectorLayerSimpleLabeling(s)


def _point(colour: str, size: float = 2.0) -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": str(size),
                                         "outline_color": "#333333", "outline_width": "0.1"})


def confidence_renderer(confidence_field: str, radius_field: str | None) -> QgsGraduatedSymbolRenderer:
    """Geocoded points coloured by confidence band; a faint circle shows the stated radius."""
    ranges = []
    for low, high, label, colour in CONFIDENCE_BANDS:
        sym = _point(colour, 2.2)
        if radius_field:
            # The radius circle is drawn in map units (metres in EPSG:27700) so it scales with the map.
            halo = QgsSimpleMarkerSymbolLayer()
            halo.setShape(QgsSimpleMarkerSymbolLayer.Circle if hasattr(QgsSimpleMarkerSymbolLayer, "Circle")
                          else halo.shape())
            c = QColor(colour)
            c.setAlpha(40)
            halo.setColor(c)
            halo.setStrokeColor(QColor(colour))
            halo.setStrokeWidth(0.15)
            halo.setSizeUnit(QgsUnitTypes.RenderMapUnits)
            halo.setDataDefinedProperty(QgsSymbolLayer.PropertySize,
                                        QgsProperty.fromExpression(f'2 * coalesce("{radius_field}", 0)'))
            sym.insertSymbolLayer(0, halo)
        ranges.append(QgsRendererRange(low, high, sym, label))
    r = QgsGraduatedSymbolRenderer(confidence_field, ranges)
    return r


def graduated_renderer(layer, field: str, classes: int = 5,
                       ramp: str = "YlOrRd") -> QgsGraduatedSymbolRenderer:
    """A quantile choropleth (equal counts per class reads well for skewed crime rates)."""
    r = QgsGraduatedSymbolRenderer(field)
    src = QgsSymbol.defaultSymbol(QgsWkbTypes.PolygonGeometry)
    src.symbolLayer(0).setStrokeColor(QColor("#ffffff"))
    src.symbolLayer(0).setStrokeWidth(0.05)
    r.setSourceSymbol(src)
    method = QgsClassificationQuantile()
    method.setLabelPrecision(1)
    method.setLabelTrimTrailingZeroes(True)
    r.setClassificationMethod(method)
    r.updateClasses(layer, classes)
    r.updateColorRamp(QgsStyle.defaultStyle().colorRamp(ramp))
    return r


def significance_expression(columns) -> str | None:
    """SQL/QGIS expression true where a comparator gap is statistically significant, from what the
    layer has: a ``significant`` flag, an interval (``lower``/``upper`` or ``gap_lower``/``gap_upper``),
    or a z-score."""
    cols = set(columns)
    if "significant" in cols:
        return '"significant"'
    for lo, hi in (("gap_lower", "gap_upper"), ("lower", "upper"), ("ci_lower", "ci_upper")):
        if lo in cols and hi in cols:
            return f'("{lo}" > 0 OR "{hi}" < 0)'
    for z in ("z", "z_score", "zscore"):
        if z in cols:
            return f'abs("{z}") >= 1.96'
    return None


def diverging_renderer(field: str, max_abs: float, significant_expr: str | None,
                       fade_expr: str | None = None, focus_expr: str | None = None) -> QgsRuleBasedRenderer:
    """Comparator gaps: blue below the group, red above, white near zero; gaps that are not
    significant muted grey; areas matching ``fade_expr`` (outside the group) drawn faint; when
    ``focus_expr`` is given only areas matching it get gap colours."""
    root = QgsRuleBasedRenderer.Rule(None)
    m = max(float(max_abs or 0), 1e-9)
    edges = [-m, -0.6 * m, -0.2 * m, 0.2 * m, 0.6 * m, m]
    labels = ["Far below the group", "Below", "About the same", "Above", "Far above the group"]
    base = f'"{field}" IS NOT NULL'
    if fade_expr:
        faded = area_fill("240,240,240,255", "#cccccc")
        root.appendChild(QgsRuleBasedRenderer.Rule(faded, 0, 0, fade_expr, "Not in the group"))
        base = f"NOT ({fade_expr}) AND {base}"
    if focus_expr:
        base = f"({focus_expr}) AND {base}"
    if significant_expr:
        muted = area_fill(MUTED)
        root.appendChild(QgsRuleBasedRenderer.Rule(muted, 0, 0, f"{base} AND NOT ({significant_expr})",
                                                   "Gap not significant"))
        base = f"{base} AND ({significant_expr})"
    for i, colour in enumerate(DIVERGING):
        lo, hi = edges[i], edges[i + 1]
        cond = f'"{field}" >= {lo!r}' if i == 0 else f'"{field}" > {lo!r}'
        sym = area_fill(colour)
        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, f'{base} AND {cond} AND "{field}" <= {hi!r}',
                                                   labels[i]))
    # Values beyond the symmetric range (outliers) take the end colours.
    return QgsRuleBasedRenderer(root)


def categorized_renderer(layer, field: str, ramp: str = "Spectral") -> QgsCategorizedSymbolRenderer:
    """One colour per value (most similar groups, crime types)."""
    values = sorted((v for v in layer.uniqueValues(layer.fields().indexOf(field)) if v is not None), key=str)
    colour_ramp = QgsStyle.defaultStyle().colorRamp(ramp)
    gtype = layer.geometryType()
    cats = []
    for i, v in enumerate(values):
        sym = QgsSymbol.defaultSymbol(gtype)
        sym.setColor(colour_ramp.color(i / max(len(values) - 1, 1)))
        if gtype == QgsWkbTypes.PointGeometry:
            sym.setSize(1.6)
        cats.append(QgsRendererCategory(v, sym, str(v)))
    return QgsCategorizedSymbolRenderer(field, cats)


def single_renderer(layer, colour: str = "#3182bd", size: float = 1.6):
    sym = QgsSymbol.defaultSymbol(layer.geometryType())
    sym.setColor(QColor(colour))
    if layer.geometryType() == QgsWkbTypes.PointGeometry:
        sym.setSize(size)
    return QgsSingleSymbolRenderer(sym)


def site_renderer() -> QgsSingleSymbolRenderer:
    return QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "cross_fill", "color": "#cb181d", "size": "4", "outline_color": "#ffffff",
         "outline_width": "0.3"}))


# Review candidates: rank 1 (the geocoder's choice) dark, the others lighter; a dashed circle shows
# each radius.
CANDIDATE_COLOURS = ["#54278f", "#807dba", "#9e9ac8", "#bcbddc", "#dadaeb"]


def candidate_renderer(rank_field: str, radius_field: str) -> QgsCategorizedSymbolRenderer:
    """Numbered candidates of one location text: purple by rank, with their radius in map units."""
    cats = []
    for rank, colour in enumerate(CANDIDATE_COLOURS, start=1):
        sym = _point(colour, 4.0)
        sym.symbolLayer(0).setStrokeColor(QColor("#ffffff"))
        sym.symbolLayer(0).setStrokeWidth(0.4)
        ring = QgsSimpleMarkerSymbolLayer()
        ring.setColor(QColor(0, 0, 0, 0))
        ring.setStrokeColor(QColor(colour))
        ring.setStrokeWidth(0.4)
        ring.setStrokeStyle(Qt.DashLine)
        ring.setSizeUnit(QgsUnitTypes.RenderMapUnits)
        ring.setDataDefinedProperty(QgsSymbolLayer.PropertySize,
                                    QgsProperty.fromExpression(f'2 * coalesce("{radius_field}", 0)'))
        sym.insertSymbolLayer(0, ring)
        label = "Geocoder's choice (1)" if rank == 1 else f"Candidate {rank}"
        cats.append(QgsRendererCategory(rank, sym, label))
    # Ranks past the palette share its last colour.
    cats.append(QgsRendererCategory("", _point(CANDIDATE_COLOURS[-1], 3.0), "Other candidates"))
    return QgsCategorizedSymbolRenderer(rank_field, cats)


def rank_label_settings(label_field: str) -> QgsPalLayerSettings:
    """Labels like "1 Peckham High Street" next to each candidate, white halo for any background."""
    s = _haloed_labels(label_field, 9, "#2d004b", 1.0)
    s.dist = 1.5
    # Cartographic placement tries eight spots round each point, so two candidates at one place both show.
    s.placement = getattr(QgsPalLayerSettings, "OrderedPositionsAroundPoint", 6)
    s.priority = 10                       # over any other labels on the map
    return s
