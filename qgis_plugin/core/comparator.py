"""Comparator styling: one area, its most similar areas coloured by their gap on one metric, the
rest of London faded; and the "where confidence varies most" map of the same metric.

Works on the database's ``safestats.similar_areas(area_code, run)`` and
``safestats.comparator_gaps(metric, run)``; their output columns are read from the result rather
than assumed, so the styling keeps working as the comparator gains columns.
"""
from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsRuleBasedRenderer, QgsVectorLayer, QgsWkbTypes

from . import styles
from .connection import Database, SafeStatsError, py
from .sql import quote_ident, quote_literal

CHOSEN = "#ffd92f"   # the chosen area: yellow with a bold outline, outside the diverging palette
INTERVALS = (("gap_lower", "gap_upper"), ("lower", "upper"), ("ci_lower", "ci_upper"))


@dataclass
class ComparatorView:
    """What one comparator request produced: the layer plus the group's table."""
    layer: QgsVectorLayer
    columns: list[str]
    rows: list[list]
    area_code: str
    metric: str


def available(db: Database) -> bool:
    return all(db.function_exists("safestats", f) for f in ("similar_areas", "comparator_gaps"))


def runs(db: Database) -> list[tuple[int, str]]:
    """(run id, label) of comparator runs, newest first ([] when the comparator is absent)."""
    if not db.relation_exists("comparator.run"):
        return []
    rows = db.query("SELECT run_id, coalesce(label, '') || ' (' || level || ' ' || vintage || ', k=' || k "
                    "|| ')' FROM comparator.run ORDER BY run_id DESC")
    return [(int(r[0]), str(r[1])) for r in rows]


def metrics(db: Database, run: int | None) -> list[tuple[str, str]]:
    """(indicator code, name) usable as comparator metrics for ``run``: every Landscape indicator with
    values for the run's areas (outcomes such as pas_good_job are rarely among the run's inputs)."""
    if (run is not None and db.relation_exists("comparator.run")
            and db.relation_exists("landscape.indicator_value")):
        rows = db.query(
            "SELECT i.indicator_code, i.name FROM landscape.indicator i WHERE EXISTS (SELECT 1 FROM "
            "landscape.indicator_value v JOIN comparator.run r "
            "ON v.level = r.level AND v.vintage = r.vintage "
            f"WHERE r.run_id = {int(run)} AND v.indicator_code = i.indicator_code) ORDER BY 2")
        if rows:
            return [(str(a), str(b)) for a, b in rows]
    if run is not None and db.relation_exists("comparator.run_indicator"):
        join = ("LEFT JOIN landscape.indicator i USING (indicator_code)"
                if db.relation_exists("landscape.indicator") else "")
        name = "coalesce(i.name, ri.indicator_code)" if join else "ri.indicator_code"
        rows = db.query(f"SELECT ri.indicator_code, {name} FROM comparator.run_indicator ri {join} "
                        f"WHERE ri.run_id = {int(run)} ORDER BY 2")
        return [(str(a), str(b)) for a, b in rows]
    if db.relation_exists("landscape.indicator"):
        rows = db.query("SELECT indicator_code, name FROM landscape.indicator ORDER BY 2")
        return [(str(a), str(b)) for a, b in rows]
    return []


def _args(*values) -> str:
    return ", ".join(quote_literal(v) for v in values if v is not None)


def _columns_of(db: Database, function: str) -> list[str]:
    # From the catalogue: QGIS 3.22's execSql reports no column names for an empty result.
    return db.function_columns("safestats", function)


def _pick(cols, names) -> str | None:
    return next((n for n in names if n in cols), None)


def _area_set(db: Database, area_code: str, run: int | None) -> tuple[str, int]:
    """(level, vintage) of the map: the run's, else the newest set holding ``area_code``."""
    if run is not None and db.relation_exists("comparator.run"):
        row = db.query(f"SELECT level, vintage FROM comparator.run WHERE run_id = {int(run)}")
        if row:
            return str(row[0][0]), int(row[0][1])
    row = db.query(f"SELECT level, vintage FROM ref.area WHERE code = {quote_literal(area_code)} "
                   "ORDER BY vintage DESC LIMIT 1")
    if not row:
        raise SafeStatsError(f"No area with code '{area_code}' in the database's boundaries.")
    return str(row[0][0]), int(row[0][1])


def _gap_sql(db: Database, metric: str, run: int | None) -> tuple[str, list[str], str]:
    gaps = f"SELECT * FROM safestats.comparator_gaps({_args(metric, run)})"
    cols = _columns_of(db, "comparator_gaps")
    area_col = _pick(cols, ("area_code", "code"))
    if area_col is None or "gap" not in cols:
        raise SafeStatsError(f"safestats.comparator_gaps() returned no area code / gap column (got {cols})")
    return gaps, cols, area_col


def comparator_sql(db: Database, area_code: str, metric: str, run: int | None) -> tuple[str, list[str]]:
    """SQL of the comparator map (one row per area of the run's level) and its gap columns."""
    if not available(db):
        raise SafeStatsError(f"The database behind '{db.name}' has no comparator functions "
                             "(safestats.similar_areas / comparator_gaps) yet; build a comparator run first.")
    level, vintage = _area_set(db, area_code, run)
    similar = f"SELECT * FROM safestats.similar_areas({_args(area_code, run)})"
    s_cols = _columns_of(db, "similar_areas")
    s_code = _pick(s_cols, ("similar_code", "similar_area_code", "code", "area_code"))
    s_rank = _pick(s_cols, ("rank",))
    gaps, g_cols, g_code = _gap_sql(db, metric, run)
    keep = [c for c in g_cols if c not in (g_code, "geom", "name", "run", "run_id", "code")]
    gap_select = "".join(f", g.{quote_ident(c)}" for c in keep)
    rank_select = (f", s.{quote_ident(s_rank)} AS similar_rank" if s_rank
                   else ", NULL::integer AS similar_rank")
    sql = (f"WITH s AS ({similar}), g AS ({gaps}) "
           f"SELECT a.code, a.name, a.code = {quote_literal(area_code)} AS chosen, "
           f"(s.{quote_ident(s_code)} IS NOT NULL AND a.code <> {quote_literal(area_code)}) AS in_group"
           f"{rank_select}{gap_select}, a.geom::geometry(MultiPolygon, 27700) AS geom "
           f"FROM ref.area a LEFT JOIN s ON s.{quote_ident(s_code)} = a.code "
           f"LEFT JOIN g ON g.{quote_ident(g_code)} = a.code "
           f"WHERE a.level = {quote_literal(level)} AND a.vintage = {int(vintage)}")
    return sql, keep


def comparator_view(db: Database, area_code: str, metric: str, run: int | None = None) -> ComparatorView:
    """A styled layer of the chosen area, its similar areas by gap, the rest faded; and the table."""
    sql, gap_cols = comparator_sql(db, area_code, metric, run)
    uri = db.query_layer_uri(sql, "geom", "code", wkb_type=QgsWkbTypes.MultiPolygon)
    layer = QgsVectorLayer(uri, f"Comparator: {area_code}, {metric}", "postgres")
    if not layer.isValid():
        raise SafeStatsError(f"QGIS could not open the comparator layer: {layer.error().summary()}")
    cols, rows = db.query_with_columns(
        f"SELECT * FROM ({sql}) AS c WHERE chosen OR in_group "
        "ORDER BY NOT chosen, similar_rank NULLS LAST, code")
    if not rows:
        raise SafeStatsError(f"'{area_code}' is not an area of the comparator's map (level and vintage "
                             f"of run {run}); check the code, or pick the area on the map.")
    gap_values = [abs(float(py(r[cols.index("gap")]))) for r in rows
                  if py(r[cols.index("gap")]) is not None and not py(r[cols.index("chosen")])]
    renderer = styles.diverging_renderer("gap", max(gap_values or [1.0]),
                                         styles.significance_expression(gap_cols),
                                         fade_expr='NOT "in_group" AND NOT "chosen"', focus_expr='"in_group"')
    chosen = styles.area_fill(CHOSEN, "#000000", 0.9)
    renderer.rootRule().insertChild(
        0, QgsRuleBasedRenderer.Rule(chosen, 0, 0, '"chosen"', f"{area_code} (chosen)"))
    layer.setRenderer(renderer)
    keep = [c for c in cols if c != "geom"]
    values = [[py(r[cols.index(c)]) for c in keep] for r in rows]
    return ComparatorView(layer, keep, values, area_code, metric)


def variation_layer(db: Database, metric: str, run: int | None = None) -> QgsVectorLayer:
    """All areas coloured by how uncertain their gap on ``metric`` is: the width of its interval
    (or |z| when the comparator gives no interval). "Where confidence varies most"."""
    gaps, g_cols, g_code = _gap_sql(db, metric, run)
    pair = next(((lo, hi) for lo, hi in INTERVALS if lo in g_cols and hi in g_cols), None)
    if pair:
        measure, title = f"g.{quote_ident(pair[1])} - g.{quote_ident(pair[0])}", "interval width"
    else:
        z = _pick(g_cols, ("z", "z_score", "zscore"))
        if z is None:
            raise SafeStatsError("comparator_gaps() gives neither an interval nor a z-score to map")
        measure, title = f"abs(g.{quote_ident(z)})", "|z|"
    run_level = ""
    if run is not None and db.relation_exists("comparator.run"):
        lv = db.query(f"SELECT level, vintage FROM comparator.run WHERE run_id = {int(run)}")
        if lv:
            run_level = f"AND a.level = {quote_literal(lv[0][0])} AND a.vintage = {int(lv[0][1])}"
    if not run_level:
        run_level = ("AND (a.level, a.vintage) = (SELECT level, max(vintage) FROM ref.area r WHERE r.code = "
                     f"(SELECT {quote_ident(g_code)} FROM ({gaps}) x LIMIT 1) GROUP BY level LIMIT 1)")
    sql = (f"WITH g AS ({gaps}) SELECT a.code, a.name, g.gap, ({measure})::double precision AS uncertainty, "
           f"a.geom::geometry(MultiPolygon, 27700) AS geom "
           f"FROM ref.area a JOIN g ON g.{quote_ident(g_code)} = a.code "
           f"WHERE true {run_level}")
    layer = QgsVectorLayer(db.query_layer_uri(sql, "geom", "code", wkb_type=QgsWkbTypes.MultiPolygon),
                           f"Where confidence varies most: {metric} ({title})", "postgres")
    if not layer.isValid():
        raise SafeStatsError(f"QGIS could not open the variation layer: {layer.error().summary()}")
    layer.setRenderer(styles.graduated_renderer(layer, "uncertainty", ramp="Purples"))
    return layer
