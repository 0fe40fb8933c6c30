"""The SafeStats dock: connection, layer catalogue with search, comparator, geocode review, log."""
from __future__ import annotations

from qgis.core import QgsSettings
from qgis.gui import QgsDockWidget, QgsMapToolIdentifyFeature
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import catalogue, comparator, connection, layers
from ..core.connection import Database, SafeStatsError
from ..core.log import log
from .log_panel import LogPanel
from .review_panel import ReviewPanel

SETTINGS_KEY = "safestats/connection"


class SafeStatsDock(QgsDockWidget):
    """Dock widget; every action is a few lines calling core/ and reporting errors in plain words."""

    def __init__(self, iface, parent=None):
        super().__init__("SafeStats", parent)
        self.setObjectName("SafeStatsDock")
        self.iface = iface
        self.db: Database | None = None
        self.entries: list[catalogue.CatalogueEntry] = []
        self.map_tool = None

        tabs = QTabWidget(self)
        tabs.addTab(self._layers_tab(), "Layers")
        tabs.addTab(self._comparator_tab(), "Comparator")
        self.review_panel = ReviewPanel(iface, self)
        tabs.addTab(self.review_panel, "Review")
        self.log_panel = LogPanel(self)
        tabs.addTab(self.log_panel, "Log")
        self.setWidget(tabs)
        self.fill_connections()

    # -- layers tab ------------------------------------------------------------------------------
    def _layers_tab(self) -> QWidget:
        w = QWidget(self)
        self.connection_box = QComboBox(w)
        self.connection_box.setToolTip("One of your saved QGIS PostgreSQL connections")
        self.connection_box.activated.connect(lambda _i: self.connect_database())
        refresh = QPushButton("Refresh", w)
        refresh.clicked.connect(self.fill_connections)
        row = QHBoxLayout()
        row.addWidget(self.connection_box, 1)
        row.addWidget(refresh)
        self.status = QLabel("Pick a connection.", w)
        self.status.setWordWrap(True)
        self.search = QLineEdit(w)
        self.search.setPlaceholderText("Search layers (e.g. wards 2022, confidence, burglary)")
        self.search.textChanged.connect(self.fill_tree)
        self.tree = QTreeWidget(w)
        self.tree.setHeaderHidden(True)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.add_selected())
        add = QPushButton("Add to map", w)
        add.clicked.connect(self.add_selected)
        lay = QVBoxLayout(w)
        lay.addLayout(row)
        lay.addWidget(self.status)
        lay.addWidget(self.search)
        lay.addWidget(self.tree, 1)
        lay.addWidget(add)
        return w

    def fill_connections(self) -> None:
        names = connection.connection_names()
        remembered = QgsSettings().value(SETTINGS_KEY, "")
        self.connection_box.clear()
        self.connection_box.addItems(names)
        if not names:
            self.status.setText("No PostgreSQL connection is saved in QGIS yet. Add one in Layer > Data "
                                "Source Manager > PostgreSQL (`make demo` saves one called 'SafeStats "
                                "demo').")
            return
        if remembered and remembered not in names:
            log(f"the connection '{remembered}' used last time is gone (renamed or deleted?)", "warning")
            self.status.setText(f"The connection '{remembered}' used last time no longer exists; "
                                "pick another.")
            return
        if remembered:
            self.connection_box.setCurrentText(remembered)
            self.connect_database()

    def connect_database(self) -> None:
        name = self.connection_box.currentText()
        self.db, self.entries = None, []
        self.tree.clear()
        try:
            db = Database(name)
            where = db.check()
            self.entries = catalogue.load_catalogue(db)
        except SafeStatsError as e:
            self.status.setText(str(e))
            self.review_panel.set_database(None)
            return
        self.db = db
        QgsSettings().setValue(SETTINGS_KEY, name)
        self.status.setText(f"Connected to {where}: {len(self.entries)} layers.")
        log(f"connected to '{name}' ({where}); {len(self.entries)} layers in the catalogue")
        self.fill_tree()
        self.fill_comparator_choices()
        self.review_panel.set_database(db)

    def fill_tree(self) -> None:
        self.tree.clear()
        text = self.search.text().strip()
        groups: dict[str, QTreeWidgetItem] = {}
        for e in self.entries:
            if text and not e.matches(text):
                continue
            parent = groups.get(e.group)
            if parent is None:
                parent = groups[e.group] = QTreeWidgetItem(self.tree, [e.group])
                parent.setFlags(parent.flags() & ~Qt.ItemIsSelectable)
            item = QTreeWidgetItem(parent, [e.title])
            item.setToolTip(0, f"{e.schema}.{e.table}\n{e.description}")
            item.setData(0, Qt.UserRole, e.key)
        self.tree.expandAll()

    def add_selected(self) -> None:
        if self.db is None:
            return
        by_key = {e.key: e for e in self.entries}
        for item in self.tree.selectedItems():
            entry = by_key.get(item.data(0, Qt.UserRole))
            if entry is None:
                continue
            try:
                layers.add_to_project(layers.make_layer(self.db, entry), entry.group)
            except SafeStatsError as e:
                self.iface.messageBar().pushWarning("SafeStats", str(e))
                log(str(e), "warning")

    # -- comparator tab --------------------------------------------------------------------------
    def _comparator_tab(self) -> QWidget:
        w = QWidget(self)
        self.area_edit = QLineEdit(w)
        self.area_edit.setPlaceholderText("Ward code, e.g. E05000026 — or pick on the map")
        pick = QPushButton("Pick on map", w)
        pick.clicked.connect(self.pick_area)
        area_row = QHBoxLayout()
        area_row.addWidget(self.area_edit, 1)
        area_row.addWidget(pick)
        self.run_box = QComboBox(w)
        self.run_box.currentIndexChanged.connect(lambda _i: self.fill_metrics())
        self.metric_box = QComboBox(w)
        form = QFormLayout()
        form.addRow("Area", area_row)
        form.addRow("Run", self.run_box)
        form.addRow("Metric", self.metric_box)
        show = QPushButton("Show similar areas", w)
        show.clicked.connect(self.show_comparator)
        vary = QPushButton("Where confidence varies most", w)
        vary.clicked.connect(self.show_variation)
        self.group_table = QTableWidget(w)
        self.comparator_status = QLabel("", w)
        self.comparator_status.setWordWrap(True)
        lay = QVBoxLayout(w)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(show)
        buttons.addWidget(vary)
        lay.addLayout(buttons)
        lay.addWidget(self.comparator_status)
        lay.addWidget(self.group_table, 1)
        return w

    def fill_comparator_choices(self) -> None:
        self.run_box.clear()
        if self.db is None:
            return
        if not comparator.available(self.db):
            self.comparator_status.setText("This database has no comparator yet (safestats.similar_areas).")
            return
        for run_id, label in comparator.runs(self.db):
            self.run_box.addItem(f"{run_id}: {label}", run_id)
        self.fill_metrics()

    def fill_metrics(self) -> None:
        self.metric_box.clear()
        if self.db is None:
            return
        for code, name in comparator.metrics(self.db, self.run_box.currentData()):
            self.metric_box.addItem(name, code)

    def pick_area(self) -> None:
        layer = self.iface.activeLayer()
        if layer is None or layer.type() != layer.VectorLayer or layer.fields().indexOf("code") < 0:
            self.comparator_status.setText(
                "Select a ward layer (with a 'code' field) in the Layers panel first.")
            return
        self.map_tool = QgsMapToolIdentifyFeature(self.iface.mapCanvas(), layer)
        self.map_tool.featureIdentified.connect(self._picked)
        self.iface.mapCanvas().setMapTool(self.map_tool)

    def _picked(self, feature) -> None:
        self.area_edit.setText(str(feature["code"]))
        self.iface.mapCanvas().unsetMapTool(self.map_tool)
        self.show_comparator()

    def show_comparator(self) -> None:
        if self.db is None:
            return
        try:
            view = comparator.comparator_view(self.db, self.area_edit.text().strip(),
                                              self.metric_box.currentData() or self.metric_box.currentText(),
                                              self.run_box.currentData())
        except SafeStatsError as e:
            self.comparator_status.setText(str(e))
            return
        layers.add_to_project(view.layer, "Comparator")
        self.group_table.setColumnCount(len(view.columns))
        self.group_table.setHorizontalHeaderLabels(view.columns)
        self.group_table.setRowCount(len(view.rows))
        for i, row in enumerate(view.rows):
            for j, v in enumerate(row):
                text = f"{v:.3g}" if isinstance(v, float) else ("" if v is None else str(v))
                self.group_table.setItem(i, j, QTableWidgetItem(text))
        self.comparator_status.setText(
            f"{view.area_code}: {len(view.rows) - 1} similar areas on {view.metric}.")

    def show_variation(self) -> None:
        if self.db is None:
            return
        try:
            metric = self.metric_box.currentData() or self.metric_box.currentText()
            layer = comparator.variation_layer(self.db, metric, self.run_box.currentData())
        except SafeStatsError as e:
            self.comparator_status.setText(str(e))
            return
        layers.add_to_project(layer, "Comparator")

    def close_down(self) -> None:
        """Detach from everything global (log listeners, map tool) before the dock is deleted."""
        self.log_panel.close_down()
        self.review_panel.close_down()
        if self.map_tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.map_tool)
            self.map_tool = None
