"""Drawing the charts of :mod:`charts` with Qt's own painter (always in QGIS; nothing to install).

:func:`paint` draws a chart into any ``QPainter`` (a widget, a ``QImage`` for PNG, a
``QSvgGenerator`` for SVG, a print layout's picture) and returns where each area's row landed, so
a click can select that area. :func:`save` writes PNG or SVG by the file's suffix.
"""
from __future__ import annotations

import math
import threading
from pathlib import Path

from qgis.PyQt.QtCore import QPointF, QRectF, QSize, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF

from .charts import Chart

INK = QColor("#222222")
MUTED = QColor("#666666")
GRID = QColor("#dddddd")
CHOSEN = QColor("#e6a800")
PEER = QColor("#3b6ea5")
SIG = QColor("#c0392b")
SELECTED = QColor(255, 217, 47, 90)
BETTER, WORSE, NEUTRAL = QColor("#1a9850"), QColor("#d73027"), QColor("#4575b4")
SERIES = [QColor("#e6a800"), QColor("#3b6ea5"), QColor("#7b3294"), QColor("#555555"), QColor("#1a9850")]
ROW = 22.0
LABEL_W = 230.0


def preferred_size(chart: Chart, width: int = 820) -> QSize:
    if chart.kind in ("comparator", "variation"):
        return QSize(width, int(140 + ROW * max(len(chart.points), 3)))
    if chart.kind == "profile":
        themes = len({r.theme for r in chart.spine})
        return QSize(width, int(130 + ROW * (len(chart.spine) + themes)))
    return QSize(width, 420)


# Font sizes are points at 96 dots per inch of the chart's own units (a QImage's resolution); on another
# device (a PDF page, an SVG at 90 dpi) paint() scales them so text keeps its size relative to the chart.
# Per thread: a report may be drawn by a Processing task while the panel paints on the main thread.
_STATE = threading.local()


def _font(size: float, bold: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPointSizeF(size * getattr(_STATE, "font_scale", 1.0))
    f.setBold(bold)
    return f


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for m in (1, 2, 2.5, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


def _fmt(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _fitted(p: QPainter, text: str, width: float, sizes: tuple[float, ...], bold: bool = False) -> str:
    """Set the largest of ``sizes`` at which ``text`` fits ``width``; elide it at the smallest."""
    for size in sizes:
        p.setFont(_font(size, bold))
        if _metrics(p).horizontalAdvance(text) <= width:
            return text
    return _metrics(p).elidedText(text, Qt.ElideRight, width)


def _header(p: QPainter, chart: Chart, rect: QRectF) -> float:
    p.setPen(INK)
    title = _fitted(p, chart.title, rect.width(), (12, 11, 10), True)
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), 24), Qt.AlignLeft | Qt.AlignVCenter, title)
    p.setPen(MUTED)
    subtitle = _fitted(p, chart.subtitle, rect.width(), (8, 7.5, 7))
    p.drawText(QRectF(rect.left(), rect.top() + 24, rect.width(), 18), Qt.AlignLeft | Qt.AlignVCenter,
               subtitle)
    return rect.top() + 48


def _footer(p: QPainter, chart: Chart, rect: QRectF) -> None:
    p.setPen(MUTED)
    p.setFont(_font(7))
    p.drawText(QRectF(rect.left(), rect.bottom() - 16, rect.width(), 16), Qt.AlignLeft | Qt.AlignVCenter,
               f"Source: SafeStats ({chart.source})")


def paint(chart: Chart, p: QPainter, rect: QRectF, selected: set[str] | None = None, columns: int = 1,
          device_dpi: float | None = None) -> dict[str, QRectF]:
    """Draw ``chart`` into ``rect``; returns {area code: its row's rectangle} for clicks. A spine chart
    can be laid out in ``columns`` (a printed page); rows shrink to fit ``rect`` when it is smaller than
    :func:`preferred_size`. ``device_dpi``: the resolution the painter's fonts are sized for (default:
    the paint device's own), so the text keeps its size relative to the chart on any device."""
    dpi = device_dpi or (p.device().logicalDpiY() if p.device() is not None else 96) or 96
    _STATE.font_scale = 96.0 / dpi
    p.save()
    try:
        p.setRenderHint(QPainter.Antialiasing, True)
        p.fillRect(rect, QColor("white"))
        rect = rect.adjusted(12, 8, -12, -6)
        top = _header(p, chart, rect)
        body = QRectF(rect.left(), top, rect.width(), rect.bottom() - top - 18)
        if chart.note:
            _note(chart, p, body)
            hits = {}
        elif chart.kind in ("comparator", "variation"):
            hits = _dots(chart, p, body, selected or set())
        elif chart.kind == "profile":
            hits = _spine(chart, p, body, columns)
        else:
            hits = _trend(chart, p, body)
        _footer(p, chart, rect)
    finally:
        p.restore()
        _STATE.font_scale = 1.0
    return hits


def _note(chart: Chart, p: QPainter, body: QRectF) -> None:
    """A chart with nothing to draw says why, in its place."""
    p.setPen(QPen(GRID, 1))
    p.drawRect(body.adjusted(0, 4, 0, -4))
    p.setPen(MUTED)
    p.setFont(_font(9))
    p.drawText(body.adjusted(20, 10, -20, -10), Qt.AlignCenter | Qt.TextWordWrap, chart.note)


def _dots(chart: Chart, p: QPainter, body: QRectF, selected: set[str]) -> dict[str, QRectF]:
    vals = [v for pt in chart.points for v in (pt.value, pt.lower, pt.upper) if v is not None]
    if chart.peers_mean is not None:
        vals.append(chart.peers_mean)
    if chart.kind == "variation":
        vals.append(0.0)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    body = body.adjusted(0, 14, 0, 0)          # room for the reference line's label
    label_w = min(LABEL_W, body.width() * 0.36)
    x0, x1 = body.left() + label_w, body.right() - 20
    row_h = max(10.0, min(ROW, (body.height() - 50) / max(len(chart.points), 1)))

    def x(v):
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)
    axis_y = body.top() + row_h * len(chart.points) + 6
    p.setFont(_font(7))
    for t in _nice_ticks(lo, hi):
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(x(t), body.top()), QPointF(x(t), axis_y))
        p.setPen(MUTED)
        p.drawText(QRectF(x(t) - 30, axis_y + 2, 60, 14), Qt.AlignCenter, _fmt(t))
    p.drawText(QRectF(x0, axis_y + 16, x1 - x0, 14), Qt.AlignCenter,
               (chart.unit if chart.kind == "comparator" else f"gap ({chart.unit}) with its 95% interval"))
    ref, ref_label = ((chart.peers_mean, "similar areas' mean") if chart.kind == "comparator"
                      else (0.0, "no gap"))
    if ref is not None:
        p.setPen(QPen(MUTED, 1.2, Qt.DashLine))
        p.drawLine(QPointF(x(ref), body.top() - 4), QPointF(x(ref), axis_y))
        p.setPen(MUTED)
        p.drawText(QRectF(x(ref) + 3, body.top() - 14, 160, 12), Qt.AlignLeft, ref_label)
    hits = {}
    for i, pt in enumerate(chart.points):
        y = body.top() + row_h * i + row_h / 2
        row = QRectF(body.left(), y - row_h / 2, body.width(), row_h)
        hits[pt.code] = row
        if pt.code in selected:
            p.fillRect(row, SELECTED)
        p.setFont(_font(8, pt.role == "chosen"))
        p.setPen(INK)
        label = _metrics(p).elidedText(pt.name, Qt.ElideRight, label_w - 12)
        p.drawText(QRectF(body.left(), y - row_h / 2, label_w - 8, row_h), Qt.AlignRight | Qt.AlignVCenter,
                   label)
        colour = CHOSEN if pt.role == "chosen" else PEER
        if pt.lower is not None and pt.upper is not None:
            p.setPen(QPen(colour, 2))
            p.drawLine(QPointF(x(pt.lower), y), QPointF(x(pt.upper), y))
            p.drawLine(QPointF(x(pt.lower), y - 4), QPointF(x(pt.lower), y + 4))
            p.drawLine(QPointF(x(pt.upper), y - 4), QPointF(x(pt.upper), y + 4))
        if pt.value is not None:
            p.setPen(QPen(SIG if pt.significant else colour, 1.6))
            p.setBrush(QBrush(SIG if pt.significant else QColor("white")))
            r = 5.5 if pt.role == "chosen" else 4.5
            p.drawEllipse(QPointF(x(pt.value), y), r, r)
            p.setBrush(Qt.NoBrush)
    # legend
    ly = axis_y + 32
    p.setFont(_font(7))
    p.setPen(QPen(SIG, 1.6))
    p.setBrush(QBrush(SIG))
    p.drawEllipse(QPointF(x0 + 6, ly + 6), 4, 4)
    p.setBrush(QBrush(QColor("white")))
    p.setPen(QPen(PEER, 1.6))
    p.drawEllipse(QPointF(x0 + 176, ly + 6), 4, 4)
    p.setBrush(Qt.NoBrush)
    p.setPen(MUTED)
    p.drawText(QRectF(x0 + 14, ly, 160, 12), Qt.AlignLeft | Qt.AlignVCenter, "gap significant (95%)")
    p.drawText(QRectF(x0 + 184, ly, 200, 12), Qt.AlignLeft | Qt.AlignVCenter,
               "not significant; bar: 95% interval")
    return hits


def _metrics(p: QPainter) -> QFontMetricsF:
    """Font metrics on the painter's own device (a PDF page measures text differently from the screen)."""
    return QFontMetricsF(p.font(), p.device()) if p.device() is not None else QFontMetricsF(p.font())


def _marker(p: QPainter, kind: str, c: QPointF, colour: QColor, size: float = 5.0) -> None:
    p.setPen(QPen(INK if kind == "dot" else colour, 1))
    p.setBrush(QBrush(colour))
    if kind == "dot":
        p.drawEllipse(c, size, size)
    elif kind == "diamond":
        p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - size), QPointF(c.x() + size, c.y()),
                                 QPointF(c.x(), c.y() + size), QPointF(c.x() - size, c.y())]))
    elif kind == "triangle":
        p.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - size), QPointF(c.x() + size, c.y() + size * 0.8),
                                 QPointF(c.x() - size, c.y() + size * 0.8)]))
    else:  # tick
        p.setPen(QPen(colour, 2))
        p.drawLine(QPointF(c.x(), c.y() - size - 2), QPointF(c.x(), c.y() + size + 2))
    p.setBrush(Qt.NoBrush)


def _spine_colour(row) -> QColor:
    if row.area is None or row.london is None or row.direction == "neutral":
        return NEUTRAL
    better = row.area > row.london if row.direction == "higher is better" else row.area < row.london
    return BETTER if better else WORSE


def spine_columns(rows: list, columns: int) -> list[list[tuple[str, object]]]:
    """The spine's lines — ("theme", name) headings and ("row", SpineRow) — split into ``columns`` of
    about equal length; a theme cut by a column break repeats its heading ("… continued")."""
    lines: list[tuple[str, object]] = []
    theme = None
    for row in rows:
        if row.theme != theme:
            theme = row.theme
            lines.append(("theme", theme or "—"))
        lines.append(("row", row))
    per = math.ceil(len(lines) / max(columns, 1)) if lines else 0
    out, current, theme = [], [], None
    for kind, item in lines:
        if kind == "theme":
            theme = item
            if len(current) >= per - 1 and current and len(out) < columns - 1:   # no heading at a foot
                out.append(current)
                current = []
        elif len(current) >= per and len(out) < columns - 1:
            out.append(current)
            current = [("theme", f"{theme} (continued)")]
        current.append((kind, item))
    if current:
        out.append(current)
    return out


def _spine(chart: Chart, p: QPainter, body: QRectF, columns: int = 1) -> dict[str, QRectF]:
    cols = spine_columns(chart.spine, columns)
    gap = 24.0
    col_w = (body.width() - gap * (len(cols) - 1)) / max(len(cols), 1)
    longest = max((len(c) for c in cols), default=1)
    row_h = max(8.0, min(ROW, (body.height() - 26) / max(longest, 1)))
    hits = {}
    for n, lines in enumerate(cols):
        left = body.left() + n * (col_w + gap)
        hits.update(_spine_column(lines, p, QRectF(left, body.top(), col_w, body.height()), row_h))
    y = body.top() + row_h * longest
    _spine_legend(p, body.left() + 8, y + 6)
    return hits


def _spine_column(lines, p: QPainter, body: QRectF, row_h: float) -> dict[str, QRectF]:
    label_w = min(LABEL_W, body.width() * 0.52)
    value_w = min(80.0, body.width() * 0.14)
    x0, x1 = body.left() + label_w, body.right() - value_w
    y = body.top()
    hits = {}
    for kind, row in lines:
        if kind == "theme":
            p.setPen(INK)
            p.setFont(_font(8.5, True))
            p.drawText(QRectF(body.left(), y, body.width(), row_h), Qt.AlignLeft | Qt.AlignVCenter, row)
            y += row_h
            continue
        cy = y + row_h / 2
        p.setFont(_font(8))
        p.setPen(INK)
        label = _metrics(p).elidedText(row.name, Qt.ElideRight, label_w - 20)
        p.drawText(QRectF(body.left() + 8, y, label_w - 16, row_h), Qt.AlignRight | Qt.AlignVCenter, label)
        hits[row.indicator] = QRectF(body.left(), y, body.width(), row_h)
        bar = min(6.0, row_h * 0.3)
        lo, hi = row.london_min, row.london_max
        if lo is not None and hi is not None:
            # a borough's or London's published value may lie outside the range of the level's areas
            shown = [v for v in (lo, hi, row.area, row.peers, row.borough, row.london) if v is not None]
            lo, hi = min(shown), max(shown)
            span = (hi - lo) or 1.0

            def x(v, lo=lo, span=span):
                return x0 + (v - lo) / span * (x1 - x0)
            p.fillRect(QRectF(x(row.london_min), cy - bar, x(row.london_max) - x(row.london_min), 2 * bar),
                       QColor("#e8e8e8"))
            if row.london_q1 is not None and row.london_q3 is not None:
                p.fillRect(QRectF(x(row.london_q1), cy - bar, x(row.london_q3) - x(row.london_q1), 2 * bar),
                           QColor("#bdbdbd"))
            m = min(5.0, row_h * 0.26)
            if row.london is not None:
                _marker(p, "tick", QPointF(x(row.london), cy), INK, m)
            if row.borough is not None:
                _marker(p, "triangle", QPointF(x(row.borough), cy), QColor("#7b3294"), m * 0.9)
            if row.peers is not None:
                _marker(p, "diamond", QPointF(x(row.peers), cy), QColor("#f4a582"), m)
            if row.area is not None:
                _marker(p, "dot", QPointF(x(row.area), cy), _spine_colour(row), m)
        p.setPen(MUTED)
        p.setFont(_font(7.5))
        p.drawText(QRectF(x1 + 10, y, value_w - 10, row_h), Qt.AlignLeft | Qt.AlignVCenter, _fmt(row.area))
        y += row_h
    return hits


def _spine_legend(p: QPainter, lx: float, y: float) -> None:
    p.setFont(_font(7))
    items = [("dot", BETTER, "area: better than London"), ("dot", WORSE, "worse"),
             ("dot", NEUTRAL, "no better/worse"), ("diamond", QColor("#f4a582"), "similar areas"),
             ("triangle", QColor("#7b3294"), "borough"), ("tick", INK, "London mean")]
    for kind, colour, text in items:
        _marker(p, kind, QPointF(lx + 5, y + 7), colour, 4.5)
        p.setPen(MUTED)
        w = _metrics(p).horizontalAdvance(text) + 26
        p.drawText(QRectF(lx + 13, y, w, 14), Qt.AlignLeft | Qt.AlignVCenter, text)
        lx += w


def _trend(chart: Chart, p: QPainter, body: QRectF) -> dict[str, QRectF]:
    periods: list[str] = []
    for pts in chart.series.values():
        for per, _v, _proj in pts:
            if per not in periods:
                periods.append(per)
    vals = [v for pts in chart.series.values() for _p, v, _x in pts if v is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad
    plot = QRectF(body.left() + 60, body.top() + 22, body.width() - 80, body.height() - 96)

    def x(i):
        return plot.left() + (plot.width() * (i + 0.5) / max(len(periods), 1))

    def y(v):
        return plot.bottom() - (v - lo) / (hi - lo) * plot.height()
    p.setFont(_font(7))
    for t in _nice_ticks(lo, hi):
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(plot.left(), y(t)), QPointF(plot.right(), y(t)))
        p.setPen(MUTED)
        p.drawText(QRectF(plot.left() - 58, y(t) - 7, 52, 14), Qt.AlignRight | Qt.AlignVCenter, _fmt(t))
    every = max(1, math.ceil(len(periods) / 12))
    for i, per in enumerate(periods):
        if i % every == 0:
            p.drawText(QRectF(x(i) - 40, plot.bottom() + 4, 80, 14), Qt.AlignCenter, per)
    p.drawText(QRectF(plot.left() - 58, plot.top() - 20, 160, 12), Qt.AlignLeft, chart.unit)
    for n, pts in enumerate(chart.series.values()):
        colour = SERIES[n % len(SERIES)]
        prev = None
        for per, v, projected in pts:
            if v is None:
                prev = None
                continue
            pt = QPointF(x(periods.index(per)), y(v))
            if prev is not None:
                style = Qt.DashLine if projected or prev[1] else Qt.SolidLine
                p.setPen(QPen(colour, 2.2 if n == 0 else 1.4, style))
                p.drawLine(prev[0], pt)
            p.setPen(QPen(colour, 1.5))
            p.setBrush(QBrush(QColor("white") if projected else colour))
            p.drawEllipse(pt, 3.5 if n == 0 else 2.5, 3.5 if n == 0 else 2.5)
            p.setBrush(Qt.NoBrush)
            prev = (pt, projected)
    # legend
    ly = plot.bottom() + 26
    lx = plot.left()
    for n, name in enumerate(chart.series):
        colour = SERIES[n % len(SERIES)]
        p.setPen(QPen(colour, 2))
        p.drawLine(QPointF(lx, ly + 6), QPointF(lx + 18, ly + 6))
        p.setPen(MUTED)
        w = _metrics(p).horizontalAdvance(name) + 34
        p.drawText(QRectF(lx + 22, ly, w, 12), Qt.AlignLeft | Qt.AlignVCenter, name)
        lx += w
    if any(proj for pts in chart.series.values() for _p, _v, proj in pts):
        p.setPen(QPen(SERIES[0], 1.5))
        p.drawEllipse(QPointF(lx + 6, ly + 6), 3.5, 3.5)
        p.setPen(MUTED)
        p.drawText(QRectF(lx + 14, ly, 140, 12), Qt.AlignLeft | Qt.AlignVCenter, "projected (not observed)")
    return {}


def image(chart: Chart, size: QSize | None = None, scale: float = 1.0) -> QImage:
    size = size or preferred_size(chart)
    img = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.scale(scale, scale)
    paint(chart, p, QRectF(0, 0, size.width(), size.height()))
    p.end()
    return img


def save(chart: Chart, path: str | Path, size: QSize | None = None) -> Path:
    """Write ``chart`` as PNG (at twice the screen resolution) or SVG, by the file's suffix."""
    path = Path(path)
    size = size or preferred_size(chart)
    if path.suffix.lower() == ".svg":
        from qgis.PyQt.QtSvg import QSvgGenerator
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(chart.title)
        gen.setDescription(chart.subtitle)
        p = QPainter(gen)
        paint(chart, p, QRectF(0, 0, size.width(), size.height()))
        p.end()
    elif path.suffix.lower() == ".png":
        if not image(chart, size, 2.0).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
    else:
        raise ValueError(f"{path}: a chart is saved as .png or .svg")
    return path
