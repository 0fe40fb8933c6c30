"""The dock's Review tab: step through uncertain geocodes, see the candidates on the map, accept one.

Thin on purpose: the list, position and decisions are a :class:`core.review.ReviewSession`; this
widget shows the current item, puts its candidates on the map and passes the analyst's clicks on.
"""
from __future__ import annotations

from qgis.core import QgsCoordinateTransform, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox, QgsMapTool, QgsMapToolEmitPoint
from qgis.PyQt.QtCore import Qt, QVariant
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import review
from ..core.connection import Database, SafeStatsError
from ..core.log import log
from ..core.tasks import TaskRunner

LAYER_CHOICE = "A geocoded layer of this project…"


class ReviewPanel(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.db: Database | None = None
        self.sources: list[review.ReviewSource] = []
        self.session: review.ReviewSession | None = None
        self.candidates_layer: QgsVectorLayer | None = None
        self.map_tool = None
        self.runner = TaskRunner(parent._busy if hasattr(parent, "_busy") else None)

        self.source_box = QComboBox(self)
        self.source_box.setToolTip("Where the geocoded records are: a database table, or a layer made by "
                                   "'Geocode a text field'")
        self.source_box.currentIndexChanged.connect(lambda _i: self._source_changed())
        self.layer_box = QgsMapLayerComboBox(self)
        self.layer_box.setFilters(QgsMapLayerProxyModel.VectorLayer)
        self.text_field = QgsFieldComboBox(self)
        self.site_field = QgsFieldComboBox(self)
        self.site_field.setAllowEmptyFieldName(True)
        self.layer_box.layerChanged.connect(self._layer_changed)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.5)
        self.threshold.setToolTip("Records below this confidence, and every ambiguous one, are listed")
        load = QPushButton("List records to review", self)
        load.clicked.connect(self.load)
        form = QFormLayout()
        form.addRow("Records", self.source_box)
        form.addRow("Layer", self.layer_box)
        form.addRow("Text field", self.text_field)
        form.addRow("Site field", self.site_field)
        form.addRow("Confidence below", self.threshold)

        self.position = QLabel("Pick the records and list them.", self)
        self.position.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["rank", "matched", "level", "confidence", "radius m"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.itemDoubleClicked.connect(lambda _item: self.accept_selected())
        self.prev_button = QPushButton("◀ Previous", self)
        self.prev_button.clicked.connect(self.previous)
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.clicked.connect(self.next)
        self.skip_button = QPushButton("Skip", self)
        self.skip_button.clicked.connect(self.skip)
        self.accept_button = QPushButton("Accept selected", self)
        self.accept_button.clicked.connect(self.accept_selected)
        self.pick_button = QPushButton("Pick on map", self)
        self.pick_button.setToolTip("Click a numbered candidate on the map to accept it")
        self.pick_button.clicked.connect(self.pick_on_map)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)

        steps = QHBoxLayout()
        for b in (self.prev_button, self.next_button, self.skip_button):
            steps.addWidget(b)
        choose = QHBoxLayout()
        choose.addWidget(self.accept_button)
        choose.addWidget(self.pick_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(load)
        lay.addWidget(self.position)
        lay.addWidget(self.table, 1)
        lay.addLayout(steps)
        lay.addLayout(choose)
        lay.addWidget(self.status)
        self._source_changed()
        self._show()

    # -- choosing what to review -----------------------------------------------------------------
    def set_database(self, db: Database | None) -> None:
        """Offer the geocoded sources of ``db`` (called when the dock connects)."""
        self.db = db
        self.sources = []
        if db is not None:
            try:
                self.sources = review.database_sources(db)
            except SafeStatsError as e:
                self.status.setText(str(e))
        self.source_box.blockSignals(True)
        self.source_box.clear()
        for s in self.sources:
            self.source_box.addItem(s.label)
        self.source_box.addItem(LAYER_CHOICE)
        self.source_box.blockSignals(False)
        self._source_changed()

    def _source_changed(self) -> None:
        on_layer = self.source_box.currentText() == LAYER_CHOICE or not self.sources
        for w in (self.layer_box, self.text_field, self.site_field):
            w.setEnabled(on_layer)

    def _layer_changed(self, layer) -> None:
        self.text_field.setLayer(layer)
        self.site_field.setLayer(layer)
        if layer is None:
            return
        names = layer.fields().names()
        # The usual A&E column names first; else the first text field that is not a geocoder result.
        text = next((n for n in ("location_text", "assault_location", "location") if n in names), None)
        results = set((review.result_field_names(layer) or {}).values())
        if text is None:
            text = next((f.name() for f in layer.fields()
                         if f.type() == QVariant.String and f.name() not in results), "")
        self.text_field.setField(text)
        self.site_field.setField(next((n for n in ("site_code", "site") if n in names), ""))

    def current_source(self) -> review.ReviewSource:
        i = self.source_box.currentIndex()
        if 0 <= i < len(self.sources) and self.source_box.currentText() != LAYER_CHOICE:
            return self.sources[i]
        layer = self.layer_box.currentLayer()
        if layer is None:
            raise SafeStatsError(
                "Pick a layer with geocoding results (the output of 'Geocode a text field').")
        return review.LayerSource(self.db, layer, self.text_field.currentField(),
                                  self.site_field.currentField() or None)

    def load(self) -> None:
        if self.db is None:
            self.status.setText("Connect to a SafeStats database first (Layers tab).")
            return
        try:
            session = review.ReviewSession(self.db, self.current_source(), self.threshold.value())
        except SafeStatsError as e:
            self.session = None
            self.status.setText(str(e))
            return
        self.status.setText(self.tr("Listing the records to review …"))
        db = self.db

        def work(feedback):
            # the session's queries carry the task's feedback while listing, then the plain database
            session.db, session.source.db = db.with_feedback(feedback), db.with_feedback(feedback)
            try:
                return session.load()
            finally:
                session.db, session.source.db = db, db

        def failed(message):
            self.session = None
            self.status.setText(message)
        self.runner.start(self.tr("SafeStats: records to review"), work,
                          lambda n: self._loaded(session, n), failed)

    def _loaded(self, session, n: int) -> None:
        self.session = session
        self.status.setText(f"{n} distinct text(s) to review from {self.session.source.label}.")
        log(f"review: {n} item(s) below confidence {self.threshold.value():.2f} or ambiguous in "
            f"{self.session.source.label}")
        self._show()

    # -- stepping ------------------------------------------------------------------------------
    def next(self) -> None:
        if self.session is not None:
            self.session.next()
            self._show()

    def go_to(self, index: int) -> None:
        if self.session is not None:
            self.session.go_to(index)
            self._show()

    def previous(self) -> None:
        if self.session is not None:
            self.session.previous()
            self._show()

    def skip(self) -> None:
        if self.session is not None:
            self.session.skip()
            self._show()

    def accept_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            self.status.setText("Select a candidate in the table first (or pick it on the map).")
            return
        self.accept(int(self.table.item(rows[0].row(), 0).text()))

    def accept(self, rank: int) -> None:
        if self.session is None or self.session.current is None:
            return
        item = self.session.current
        try:
            matched = self.session.accept(rank)
        except SafeStatsError as e:
            self.status.setText(str(e))
            return
        self.status.setText(f"'{item.text}' at site {item.site_code or '(any)'} now means {matched}. "
                            f"{self.session.note} {self.session.summary()}.")
        self._show()

    def pick_on_map(self) -> None:
        if self.candidates_layer is None:
            self.status.setText("There are no candidates on the map to pick from.")
            return
        canvas = self.iface.mapCanvas()
        # Candidates often sit close together: the click takes the nearest one, not the first hit.
        self.map_tool = QgsMapToolEmitPoint(canvas)
        self.map_tool.canvasClicked.connect(self._clicked)
        canvas.setMapTool(self.map_tool)
        self.status.setText("Click the candidate to accept on the map.")

    def _clicked(self, point, _button=None) -> None:
        if self.candidates_layer is None:
            return
        canvas = self.iface.mapCanvas()
        to_layer = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), self.candidates_layer.crs(),
                                          QgsProject.instance())
        p = to_layer.transform(point)
        tolerance = QgsMapTool.searchRadiusMU(canvas) * max(1.0, to_layer.scaleFactor(canvas.extent()) or 1.0)
        rank = review.nearest_rank(self.candidates_layer, p, tolerance)
        if rank is None:
            self.status.setText("No candidate there; click on one of the numbered points.")
            return
        self._release_map_tool()
        self.accept(rank)

    def _release_map_tool(self) -> None:
        if self.map_tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.map_tool)
            self.map_tool = None

    # -- showing ---------------------------------------------------------------------------------
    def _show(self) -> None:
        session = self.session
        item = session.current if session else None
        for b in (self.prev_button, self.next_button, self.skip_button, self.accept_button, self.pick_button):
            b.setEnabled(item is not None)
        self.table.setRowCount(0)
        self._remove_candidates()
        if item is None:
            self.position.setText("Nothing to review." if session else "Pick the records and list them.")
            return
        done = ("" if item.status == "to review"
                else f" — {item.status}" + (f": {item.decision}" if item.decision else ""))
        self.position.setText(f"{session.position()}: {item.describe()}{done}")
        try:
            cands = session.candidates()
        except SafeStatsError as e:
            self.status.setText(str(e))
            return
        self.table.setRowCount(len(cands))
        for r, c in enumerate(cands):
            values = [str(r + 1), c.matched or "(no match)", c.level or "",
                      "" if c.confidence is None else f"{c.confidence:.2f}",
                      "" if c.radius_m is None else f"{c.radius_m:,.0f}"]
            for col, v in enumerate(values):
                cell = QTableWidgetItem(v)
                side = Qt.AlignRight if col in (0, 3, 4) else Qt.AlignLeft
                cell.setTextAlignment(side | Qt.AlignVCenter)
                self.table.setItem(r, col, cell)
        if not cands:
            self.status.setText(f"The geocoder has no candidate for '{item.text}'; skip it.")
            return
        layer = review.candidate_layer(cands, item)
        QgsProject.instance().addMapLayer(layer)
        self.candidates_layer = layer
        extent = review.zoom_extent(layer)
        canvas = self.iface.mapCanvas()
        if not extent.isNull() and canvas is not None:
            to_canvas = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(),
                                               QgsProject.instance())
            canvas.setExtent(to_canvas.transformBoundingBox(extent))
            canvas.refresh()

    def _remove_candidates(self) -> None:
        self._release_map_tool()
        if self.candidates_layer is not None:
            if QgsProject.instance().mapLayer(self.candidates_layer.id()) is not None:
                QgsProject.instance().removeMapLayer(self.candidates_layer.id())
            self.candidates_layer = None

    def close_down(self) -> None:
        """Cancel any listing, remove the temporary candidates layer and map tool before the dock goes."""
        self.runner.cancel_all()
        self.runner.wait(10_000)
        self._remove_candidates()
