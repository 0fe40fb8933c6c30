"""A chart in the dock: painted with Qt, clickable (a click on an area's row selects it on the map and
a selection on the map highlights its rows), saved as PNG or SVG."""
from __future__ import annotations

import contextlib

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QRectF, QSize, pyqtSignal
from qgis.PyQt.QtGui import QPainter
from qgis.PyQt.QtWidgets import QFileDialog, QSizePolicy, QWidget

from ..core import chart_draw
from ..core.charts import Chart

SAVE_DIR_KEY = "safestats/chart_dir"


class ChartView(QWidget):
    areaClicked = pyqtSignal(str)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chart: Chart | None = None
        self.selected: set[str] = set()
        self.hits: dict[str, QRectF] = {}
        self.layer = None
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_chart(self, chart: Chart | None, layer=None) -> None:
        """Show ``chart``; ``layer`` (with a ``code`` field) is the map layer clicks select in."""
        if self.layer is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.layer.selectionChanged.disconnect(self._map_selection)
        self.chart, self.layer, self.selected = chart, layer, set()
        if layer is not None:
            layer.selectionChanged.connect(self._map_selection)
        self.setMinimumHeight(chart_draw.preferred_size(chart).height() if chart else 0)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return chart_draw.preferred_size(self.chart) if self.chart else QSize(400, 10)

    def paintEvent(self, _event) -> None:  # noqa: N802
        if self.chart is None:
            return
        p = QPainter(self)
        self.hits = chart_draw.paint(self.chart, p, QRectF(self.rect()), self.selected)
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        code = self.code_at(event.pos())
        if code is not None:
            self.click(code)

    def code_at(self, pos) -> str | None:
        return next((c for c, r in self.hits.items() if r.contains(pos.x(), pos.y())), None)

    def click(self, code: str) -> None:
        """What a click on an area's row does: select that area on the map (and only it)."""
        if self.chart is None or code not in self.chart.codes():
            return
        if self.layer is not None:
            literal = "'" + code.replace("'", "''") + "'"
            ids = [f.id() for f in self.layer.getFeatures(f'"code" = {literal}')]
            self.layer.selectByIds(ids)
        else:
            self.selected = {code}
            self.update()
        self.areaClicked.emit(code)

    def _map_selection(self, *_args) -> None:
        if self.layer is None or self.chart is None:
            return
        codes = set(self.chart.codes())
        self.selected = {str(f["code"]) for f in self.layer.getSelectedFeatures()} & codes
        self.update()

    def save_as(self, path: str | None = None) -> str | None:
        """Save the chart (PNG or SVG by suffix); asks for a file name when none is given."""
        if self.chart is None:
            return None
        if path is None:
            folder = QgsSettings().value(SAVE_DIR_KEY, "")
            path, _f = QFileDialog.getSaveFileName(self, self.tr("Save chart"), folder,
                                                   self.tr("PNG image (*.png);;SVG drawing (*.svg)"))
            if not path:
                return None
        chart_draw.save(self.chart, path)
        from pathlib import Path
        QgsSettings().setValue(SAVE_DIR_KEY, str(Path(path).parent))
        return path
