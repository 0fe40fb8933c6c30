"""The plugin class only registers things: the Processing provider, and (with a GUI) the dock and
its menu action. Everything else lives in core/, processing/ and gui/."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication

from .processing.provider import SafeStatsProvider

ICON = str(Path(__file__).resolve().parent / "icon.svg")


def install_translator():
    """Load qgis_plugin/i18n/safestats_<lang>.qm for the user's QGIS locale (QgsSettings), if shipped."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    locale = str(QgsSettings().value("locale/userLocale", "") or "")[:2]
    qm = Path(__file__).resolve().parent / "i18n" / f"safestats_{locale}.qm"
    if not locale or not qm.exists():
        return None
    translator = QTranslator()
    if translator.load(str(qm)):
        QCoreApplication.installTranslator(translator)
        return translator
    return None


class SafeStatsPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()
        self.provider = None
        self.dock = None
        self.action = None
        self.locator = None

    def initProcessing(self):  # noqa: N802
        """Called by QGIS and by qgis_process (which has no iface)."""
        if self.provider is None:
            self.provider = SafeStatsProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        from .gui.dock import SafeStatsDock
        self.dock = SafeStatsDock(self.iface)
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.action = QAction(QIcon(ICON), "SafeStats panel", self.iface.mainWindow())
        self.action.setCheckable(True)
        self.action.setChecked(True)
        self.action.toggled.connect(self.dock.setVisible)
        self.dock.visibilityChanged.connect(self.action.setChecked)
        self.iface.addPluginToDatabaseMenu("SafeStats", self.action)
        self.iface.addDatabaseToolBarIcon(self.action)
        from .gui.locator import SafeStatsLocatorFilter
        if hasattr(self.iface, "registerLocatorFilter"):     # test harness interfaces may lack it
            self.locator = SafeStatsLocatorFilter(self.iface)
            self.iface.registerLocatorFilter(self.locator)

    def unload(self):
        if self.locator is not None:
            self.iface.deregisterLocatorFilter(self.locator)
            self.locator = None
        if self.action is not None:
            self.iface.removePluginDatabaseMenu("SafeStats", self.action)
            self.iface.removeDatabaseToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.close_down()
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
