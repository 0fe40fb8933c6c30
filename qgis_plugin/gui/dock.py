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
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import catalogue, charts, comparator, connection, layers
from ..core.connection import Database, SafeStatsError
from ..core.log import log
from ..core.tasks import TaskRunner
from .chart_view import ChartView
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
        self.runner = TaskRunner(self._busy)
        self.comparator_layer = None

        tabs = QTabWidget(self)
        tabs.addTab(self._layers_tab(), "Layers")
        tabs.addTab(self._comparator_tab(), "Comparator")
        self.review_panel = ReviewPanel(iface, self)
        tabs.addTab(self.review_panel, "Review")
        self.log_panel = LogPanel(self)
        tabs.addTab(self.log_panel, "Log")
        # Every database call runs as a background task; this row shows it and cancels it.
        body = QWidget(self)
        self.progress = QProgressBar(body)
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), body)
        self.cancel_button.setToolTip(self.tr("Stop the running database query"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.progress, 1)
        busy_row.addWidget(self.cancel_button)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(tabs, 1)
        outer.addLayout(busy_row)
        self.tabs = tabs
        self.setWidget(body)
        self.fill_connections()

    # -- background work -------------------------------------------------------------------------
    def _busy(self, busy: bool, description: str) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setFormat(description)

    def run(self, description: str, work, done, failed=None):
        """Run ``work(db)`` (``db`` carrying the task's feedback) in the background; ``done(result)``
        on the main thread; a failure or cancel goes to ``failed`` (default: the status line)."""
        db = self.db

        def background(feedback):
            return work(db.with_feedback(feedback) if db is not None else feedback)
        return self.runner.start(description, background, done, failed or self._failed)

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.comparator_status.setText(message)

    def cancel(self) -> None:
        """Cancel every running task of the panel (the server stops the query)."""
        self.runner.cancel_all()
        self.review_panel.runner.cancel_all()

    def wait(self, timeout_ms: int = 120_000) -> bool:
        """Let the running tasks finish and deliver their results (tests and scripts)."""
        ok = self.runner.wait(timeout_ms)
        ok = self.review_panel.runner.wait(timeout_ms) and ok
        # a result may have started a follow-up task (connect → comparator choices)
        return self.runner.wait(timeout_ms) and ok

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
        except SafeStatsError as e:
            self.status.setText(str(e))
            self.review_panel.set_database(None)
            return
        self.status.setText(self.tr("Connecting to '{0}' …").format(name))

        def work(feedback):
            tdb = db.with_feedback(feedback)
            return tdb.check(), catalogue.load_catalogue(tdb)

        def done(result):
            where, entries = result
            self.db, self.entries = db, entries
            QgsSettings().setValue(SETTINGS_KEY, name)
            self.status.setText(self.tr("Connected to {0}: {1} layers.").format(where, len(entries)))
            log(f"connected to '{name}' ({where}); {len(entries)} layers in the catalogue")
            self.fill_tree()
            self.fill_comparator_choices()
            self.review_panel.set_database(db)

        def failed(message):
            self.status.setText(message)
            self.review_panel.set_database(None)
        self.runner.start(self.tr("SafeStats: connecting"), work, done, failed)

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
        profile = QPushButton(self.tr("Profile"), w)
        profile.setToolTip(self.tr("The area's indicators on London's range (spine chart)"))
        profile.clicked.connect(self.show_profile)
        trend = QPushButton(self.tr("Trend"), w)
        trend.setToolTip(self.tr("The metric over time against similar areas, borough and London"))
        trend.clicked.connect(self.show_trend)
        save = QPushButton(self.tr("Save chart…"), w)
        save.setToolTip(self.tr("Save the chart as PNG or SVG"))
        save.clicked.connect(lambda: self.chart_view.save_as())
        self.group_table = QTableWidget(w)
        self.comparator_status = QLabel("", w)
        self.comparator_status.setWordWrap(True)
        self.chart_view = ChartView(w)
        scroll = QScrollArea(w)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart_view)
        lay = QVBoxLayout(w)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(show)
        buttons.addWidget(vary)
        lay.addLayout(buttons)
        charts_row = QHBoxLayout()
        charts_row.addWidget(profile)
        charts_row.addWidget(trend)
        charts_row.addWidget(save)
        lay.addLayout(charts_row)
        lay.addWidget(self.comparator_status)
        lay.addWidget(scroll, 2)
        lay.addWidget(self.group_table, 1)
        return w

    def fill_comparator_choices(self) -> None:
        self.run_box.clear()
        if self.db is None:
            return

        def work(db):
            if not comparator.available(db):
                return None
            found = comparator.runs(db)
            return found, comparator.metrics(db, found[0][0] if found else None)

        def done(result):
            if result is None:
                self.comparator_status.setText(
                    self.tr("This database has no comparator yet (safestats.similar_areas)."))
                return
            found, metrics = result
            self.run_box.blockSignals(True)
            for run_id, label in found:
                self.run_box.addItem(f"{run_id}: {label}", run_id)
            self.run_box.blockSignals(False)
            self._set_metrics(metrics)
        self.run(self.tr("SafeStats: comparator runs"), work, done)

    def fill_metrics(self) -> None:
        self.metric_box.clear()
        if self.db is None:
            return
        run = self.run_box.currentData()
        self.run(self.tr("SafeStats: comparator metrics"), lambda db: comparator.metrics(db, run),
                 self._set_metrics)

    def _set_metrics(self, metrics) -> None:
        self.metric_box.clear()
        for code, name in metrics:
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
        area = self.area_edit.text().strip()
        metric = self.metric_box.currentData() or self.metric_box.currentText()
        run = self.run_box.currentData()
        self.comparator_status.setText(self.tr("Finding the areas similar to {0} …").format(area))

        def work(db):
            view = comparator.comparator_view(db, area, metric, run)
            return view, charts.comparator_chart(db, area, metric, run)
        self.run(self.tr("SafeStats: similar areas"), work, self._show_view)

    def _show_view(self, result) -> None:
        view, chart = result
        layers.add_to_project(view.layer, "Comparator")
        self.comparator_layer = view.layer
        self.chart_view.set_chart(chart, view.layer)
        self.group_table.setColumnCount(len(view.columns))
        self.group_table.setHorizontalHeaderLabels(view.columns)
        self.group_table.setRowCount(len(view.rows))
        for i, row in enumerate(view.rows):
            for j, v in enumerate(row):
                text = f"{v:.3g}" if isinstance(v, float) else ("" if v is None else str(v))
                self.group_table.setItem(i, j, QTableWidgetItem(text))
        self.comparator_status.setText(self.tr("{0}: {1} similar areas on {2}.").format(
            view.area_code, len(view.rows) - 1, view.metric))

    def show_variation(self) -> None:
        if self.db is None:
            return
        metric = self.metric_box.currentData() or self.metric_box.currentText()
        run = self.run_box.currentData()

        def work(db):
            return comparator.variation_layer(db, metric, run), charts.variation_chart(db, metric, run)

        def done(result):
            layer, chart = result
            layers.add_to_project(layer, "Comparator")
            self.chart_view.set_chart(chart, layer)
        self.run(self.tr("SafeStats: where confidence varies most"), work, done)

    def show_profile(self) -> None:
        """The chosen area's spine chart (no map layer: rows are indicators, not areas)."""
        if self.db is None:
            return
        area, run = self.area_edit.text().strip(), self.run_box.currentData()
        self.run(self.tr("SafeStats: area profile"), lambda db: charts.profile_chart(db, area, run),
                 lambda chart: self.chart_view.set_chart(chart))

    def show_trend(self) -> None:
        """The chosen metric over time for the chosen area, its peers, borough and London."""
        if self.db is None:
            return
        area, run = self.area_edit.text().strip(), self.run_box.currentData()
        metric = self.metric_box.currentData() or self.metric_box.currentText()
        self.run(self.tr("SafeStats: trend"), lambda db: charts.trend_chart(db, area, metric, run),
                 lambda chart: self.chart_view.set_chart(chart))

    def close_down(self) -> None:
        """Detach from everything global (log listeners, map tool, tasks) before the dock is deleted."""
        self.cancel()
        self.wait(10_000)
        self.log_panel.close_down()
        self.review_panel.close_down()
        if self.map_tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.map_tool)
            self.map_tool = None
