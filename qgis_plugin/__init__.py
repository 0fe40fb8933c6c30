"""SafeStats QGIS plugin: a thin client of a SafeStats PostGIS database (layers, comparator styling,
geocoding tools). QGIS calls :func:`classFactory`; ``qgis_process`` calls it with ``iface=None``."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import SafeStatsPlugin
    return SafeStatsPlugin(iface)
