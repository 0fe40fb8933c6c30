"""Turning catalogue entries into styled, named, time-aware QGIS layers."""
from __future__ import annotations

from qgis.core import (
    QgsDateTimeRange,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)

from . import styles
from .catalogue import BOUNDARY_VIEWS, RADIUS_COLUMNS, CatalogueEntry
from .connection import Database, SafeStatsError, py
from .log import log
from .sql import quote_ident, quote_literal

ROOT_GROUP = "SafeStats"


def make_layer(db: Database, entry: CatalogueEntry) -> QgsVectorLayer:
    """A valid, styled QGIS layer for ``entry`` (raises :class:`SafeStatsError` if QGIS cannot open it)."""
    key = ",".join(quote_ident(k) for k in entry.key_columns) if entry.key_columns else None
    uri = db.layer_uri(entry.schema, entry.table, entry.geometry_column, key, entry.where)
    layer = QgsVectorLayer(uri, entry.title, "postgres")
    if not layer.isValid():
        raise SafeStatsError(f"QGIS could not open {entry.schema}.{entry.table} through connection "
                             f"'{db.name}': {layer.error().summary() or 'no reason given'}")
    apply_style(layer, entry)
    if entry.time_field:
        enable_time(layer, entry.time_field)
    layer.setAbstract(entry.description)
    return layer


def apply_style(layer: QgsVectorLayer, entry: CatalogueEntry) -> None:
    """Set the renderer (and labels) the entry's style names."""
    style = entry.style
    if style == "boundary":
        level = BOUNDARY_VIEWS.get(entry.table, "ward")
        layer.setRenderer(styles.boundary_renderer(level))
        if level == "borough":
            layer.setLabeling(styles.borough_labels())
            layer.setLabelsEnabled(True)
    elif style == "confidence" and entry.value_field:
        radius = next((c for c in RADIUS_COLUMNS if c in entry.columns), None)
        layer.setRenderer(styles.confidence_renderer(entry.value_field, radius))
    elif style == "graduated" and entry.value_field:
        layer.setRenderer(styles.graduated_renderer(layer, entry.value_field))
    elif style == "diverging" and entry.value_field:
        idx = layer.fields().indexOf(entry.value_field)
        lo, hi = layer.minimumValue(idx), layer.maximumValue(idx)
        max_abs = max(abs(float(lo or 0)), abs(float(hi or 0)))
        layer.setRenderer(styles.diverging_renderer(entry.value_field, max_abs,
                                                    styles.significance_expression(entry.columns)))
    elif style in ("categorized", "crime_points") and entry.value_field:
        layer.setRenderer(styles.categorized_renderer(layer, entry.value_field))
    elif style == "sites":
        layer.setRenderer(styles.site_renderer())
    else:
        layer.setRenderer(styles.single_renderer(layer))
    layer.triggerRepaint()


def period_months(layer: QgsVectorLayer, field: str) -> int:
    """Length of one period in months, from the spacing of the layer's distinct dates (monthly crime
    counts: 1; annual indicators: 12). A single date counts as a year."""
    dates = sorted(d for d in (py(v) for v in layer.uniqueValues(layer.fields().indexOf(field), 400))
                   if d is not None and hasattr(d, "year"))
    gaps = [(b.year() - a.year()) * 12 + b.month() - a.month() for a, b in zip(dates, dates[1:])]
    gaps = [g for g in gaps if g > 0]
    return min(gaps) if gaps else 12


def enable_time(layer: QgsVectorLayer, field: str, months: int | None = None) -> None:
    """Wire ``field`` to the temporal controller: each feature shows for one period from its date."""
    months = months or period_months(layer, field)
    tp = layer.temporalProperties()
    tp.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    tp.setStartField(field)
    tp.setFixedDuration(months)
    tp.setDurationUnits(QgsUnitTypes.TemporalMonths)
    tp.setIsActive(True)


def add_to_project(layer: QgsVectorLayer, group: str, project: QgsProject | None = None):
    """Add ``layer`` under SafeStats ▸ ``group`` in the layer tree; widen the project's time range."""
    project = project or QgsProject.instance()
    root = project.layerTreeRoot()
    top = root.findGroup(ROOT_GROUP) or root.insertGroup(0, ROOT_GROUP)
    sub = top.findGroup(group) or top.addGroup(group)
    project.addMapLayer(layer, False)
    # Like QGIS itself: a new layer goes on top of its group.
    sub.insertLayer(0, layer)
    if layer.temporalProperties().isActive():
        _widen_time_range(project, layer)
    log(f"added layer '{layer.name()}' ({layer.featureCount()} features) to group {group}")
    return layer


def _widen_time_range(project: QgsProject, layer: QgsVectorLayer) -> None:
    field = layer.temporalProperties().startField()
    idx = layer.fields().indexOf(field)
    lo, hi = py(layer.minimumValue(idx)), py(layer.maximumValue(idx))
    if lo is None or hi is None:      # an empty table has no time range yet
        return
    from qgis.PyQt.QtCore import QDateTime, QTime
    def as_dt(v):
        return v if isinstance(v, QDateTime) else QDateTime(v, QTime(0, 0))
    ts = project.timeSettings()
    current = ts.temporalRange()
    start, end = as_dt(lo), as_dt(hi).addMonths(max(1, int(layer.temporalProperties().fixedDuration())))
    if current.begin().isValid():
        start = min(start, current.begin())
        end = max(end, current.end())
    ts.setTemporalRange(QgsDateTimeRange(start, end))
    if hasattr(ts, "setTimeStep"):
        ts.setTimeStep(1)
        ts.setTimeStepUnit(QgsUnitTypes.TemporalMonths)


def store_style(db: Database, layer: QgsVectorLayer, entry: CatalogueEntry) -> str:
    """Save the layer's style as the default in the database's ``layer_styles`` table, so the same
    table opened from the QGIS Browser comes styled. Returns '' on success, else QGIS's message."""
    # QGIS 3.22's PostgreSQL provider asks "overwrite?" in a modal message box when a style of the
    # same name exists, which would block forever in qgis_process; replace the old row ourselves.
    db.query("DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() "
             f"AND f_table_schema = {quote_literal(entry.schema)} "
             f"AND f_table_name = {quote_literal(entry.table)} "
             f"AND f_geometry_column = {quote_literal(entry.geometry_column)} "
             f"AND stylename = {quote_literal(entry.title)}")
    result = layer.saveStyleToDatabase(entry.title, f"SafeStats style ({entry.style})", True, "")
    # 3.22 returns the error message as a string; later versions may return (bool, message).
    if isinstance(result, tuple):
        return "" if result[0] else str(result[-1])
    return str(result or "")
