"""Charts from the command line (``safestats chart …``): the plugin's own chart code
(``qgis_plugin.core.charts`` for the data, ``chart_draw`` for Qt painting) run headless, so a chart
in a script or report is the same picture the analyst sees in the SafeStats panel."""
from __future__ import annotations

from pathlib import Path

KINDS = ("comparator", "variation", "profile", "trend", "crime")


def plugin_database(url: str | None = None):
    """A plugin ``Database`` on the database URL (default: DATABASE_URL or the embedded cluster),
    connecting without any password in the URI; a headless QGIS application is started if needed."""
    from . import db as safestats_db
    from . import qgis_project
    qgis_project.qgis_app()
    from qgis_plugin.core.connection import Database
    database = Database.from_uri(qgis_project.layer_uri_base(url or safestats_db.database_url(), None),
                                 "database URL")
    database.check()
    return database


def make_chart(database, kind: str, area: str | None = None, metric: str | None = None,
               run: int | None = None, top: int = 15):
    """The chart ``kind`` (one of :data:`KINDS`) as data, ready to draw."""
    from qgis_plugin.core import charts
    from qgis_plugin.core.connection import SafeStatsError
    if kind in ("comparator", "profile", "trend", "crime") and not area:
        raise SafeStatsError(f"a {kind} chart needs --area (an area code of the comparator run)")
    if kind in ("comparator", "variation", "trend") and not metric:
        raise SafeStatsError(f"a {kind} chart needs --metric (a Landscape indicator code)")
    if kind == "comparator":
        return charts.comparator_chart(database, area, metric, run)
    if kind == "variation":
        return charts.variation_chart(database, metric, run, top)
    if kind == "profile":
        return charts.profile_chart(database, area, run)
    if kind == "trend":
        return charts.trend_chart(database, area, metric, run)
    if kind == "crime":
        return charts.crime_trend_chart(database, area, run)
    raise SafeStatsError(f"unknown chart '{kind}'; choose one of {', '.join(KINDS)}")


def write_chart(out: str | Path, kind: str, area: str | None = None, metric: str | None = None,
                run: int | None = None, top: int = 15, url: str | None = None):
    """Draw one chart to ``out`` (.png or .svg); returns (path, chart)."""
    from qgis_plugin.core import chart_draw
    chart = make_chart(plugin_database(url), kind, area, metric, run, top)
    return chart_draw.save(chart, out), chart
