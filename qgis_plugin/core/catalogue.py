"""What the SafeStats database offers to QGIS, found by asking its catalogue.

Parts of SafeStats arrive at different times (crime loaders, Landscape indicators, the comparator,
the geocoder), so nothing here assumes a table exists: every relation with a geometry column in a
SafeStats schema is listed, the well-known ones get the analyst's names and styles, and the rest
are recognised by their columns (``value`` → choropleth, ``gap`` → diverging comparator colours,
``confidence`` → geocoded points, a date ``period`` → time-enabled).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .connection import Database
from .log import log
from .sql import quote_ident, quote_literal

# Schemas the catalogue looks in; ``ref`` holds the raw geography behind the safestats.* views.
SCHEMAS = ("safestats", "crime", "health", "landscape", "comparator", "survey", "incident")

LEVEL_WORDS = {"ward": "Wards", "borough": "Boroughs", "lsoa": "LSOAs", "msoa": "MSOAs"}
BOUNDARY_VIEWS = {"wards": "ward", "boroughs": "borough", "lsoas": "lsoa", "msoas": "msoa"}

# Relations with a fixed meaning: (schema, name) -> (title, group, style).
KNOWN = {
    ("health", "ae_assault"): ("A&E assault locations (geocoded)", "Health (A&E)", "confidence"),
    ("health", "ae_site"): ("A&E sites", "Health (A&E)", "sites"),
    ("crime", "street_crime"): ("Street-level crime (police.uk)", "Crime and incidents", "crime_points"),
    ("crime", "outcome"): ("Crime outcomes (police.uk)", "Crime and incidents", "crime_points"),
    ("crime", "stop_search"): ("Stop and search (police.uk)", "Crime and incidents", "crime_points"),
    ("incident", "las_assault"): ("Ambulance call-outs for assault (LAS)", "Crime and incidents",
                                  "crime_points"),
    ("incident", "lfb_incident"): ("Fire brigade incidents (LFB)", "Crime and incidents", "crime_points"),
    ("safestats", "geocode_results"): ("Stored geocoding results", "Geocoding", "confidence"),
}

CONFIDENCE_COLUMNS = ("confidence", "geocode_confidence")
RADIUS_COLUMNS = ("radius_m", "geocode_radius_m")
CATEGORY_COLUMNS = ("crime_type", "category", "incident_group", "incident_type", "outcome_type",
                    "object_of_search", "group_no", "group_label", "cluster", "most_similar_group")
RUN_COLUMNS = ("run_id", "run")
TIME_COLUMNS = ("period", "period_start", "month", "date", "call_at", "call_date", "searched_at",
                "incident_at")


@dataclass
class CatalogueEntry:
    """One layer the dock can add."""
    key: str
    title: str
    group: str
    schema: str
    table: str
    geometry_column: str
    geometry_type: str
    columns: dict[str, str]
    # boundary | confidence | sites | crime_points | graduated | diverging | categorized | points | polygons
    style: str
    where: str = ""                 # provider subset (already quoted SQL)
    key_columns: list[str] = field(default_factory=list)
    value_field: str | None = None  # field the renderer classifies
    time_field: str | None = None   # date/timestamp column wired to the temporal controller
    description: str = ""

    def matches(self, text: str) -> bool:
        """Search in the dock: every word must appear in the title, group or table name."""
        hay = f"{self.title} {self.group} {self.schema}.{self.table}".lower()
        return all(w in hay for w in text.lower().split())


def _relations(db: Database) -> list[dict]:
    schemas = ", ".join(quote_literal(s) for s in SCHEMAS)
    rows = db.query(f"""
        SELECT g.f_table_schema, g.f_table_name, g.f_geometry_column, g.type,
               (SELECT string_agg(a.attname || ':' || format_type(a.atttypid, NULL), '|' ORDER BY a.attnum)
                  FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
               coalesce(obj_description(c.oid, 'pg_class'), ''),
               (SELECT string_agg(a.attname, '|' ORDER BY array_position(i.indkey, a.attnum))
                  FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                  WHERE i.indrelid = c.oid AND i.indisprimary)
        FROM geometry_columns g
        JOIN pg_namespace n ON n.nspname = g.f_table_schema
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = g.f_table_name
        WHERE g.f_table_schema IN ({schemas}) AND NOT c.relispartition
          AND has_table_privilege(c.oid, 'SELECT')
        ORDER BY 1, 2""")
    out = []
    for schema, table, geom, gtype, cols, comment, pk in rows:
        columns = dict(c.split(":", 1) for c in (cols or "").split("|") if ":" in c)
        out.append({"schema": schema, "table": table, "geom": geom, "gtype": str(gtype).upper(),
                    "columns": columns, "comment": str(comment or "").strip(),
                    "pk": [p for p in (pk or "").split("|") if p]})
    return out


def _first(columns: dict, names) -> str | None:
    return next((n for n in names if n in columns), None)


def _time_field(columns: dict) -> str | None:
    for n in TIME_COLUMNS:
        if n in columns and columns[n].startswith(("date", "timestamp")):
            return n
    return None


def _title_of(table: str) -> str:
    return table.replace("_", " ").capitalize()


def _distinct(db: Database, schema: str, table: str, cols: list[str], limit: int = 300) -> list[list]:
    sel = ", ".join(quote_ident(c) for c in cols)
    return db.query(f"SELECT DISTINCT {sel} FROM {quote_ident(schema)}.{quote_ident(table)} "
                    f"ORDER BY {sel} LIMIT {int(limit)}")


def load_catalogue(db: Database) -> list[CatalogueEntry]:
    """Every layer the connected database offers, grouped and named for the analyst."""
    entries: list[CatalogueEntry] = []
    for rel in _relations(db):
        schema, table, cols = rel["schema"], rel["table"], rel["columns"]
        desc = rel["comment"].splitlines()[0] if rel["comment"] else ""
        base = {"schema": schema, "table": table, "geometry_column": rel["geom"],
                "geometry_type": rel["gtype"], "columns": cols, "description": desc,
                "time_field": _time_field(cols)}
        if schema == "safestats" and table in BOUNDARY_VIEWS:
            level = BOUNDARY_VIEWS[table]
            for (vintage,) in _distinct(db, schema, table, ["vintage"]):
                entries.append(CatalogueEntry(
                    key=f"{schema}.{table}:{vintage}", title=f"{LEVEL_WORDS[level]} ({vintage} boundaries)",
                    group="Boundaries", style="boundary", where=f'"vintage" = {int(vintage)}',
                    key_columns=["code"], value_field=None, **base))
            continue
        if (schema, table) in KNOWN:
            title, group, style = KNOWN[(schema, table)]
            value = _first(cols, CONFIDENCE_COLUMNS if style == "confidence" else CATEGORY_COLUMNS)
            entries.append(CatalogueEntry(key=f"{schema}.{table}", title=title, group=group, style=style,
                                          key_columns=_view_key(rel, ["table_name", "row_key"]),
                                          value_field=value, **base))
            continue
        entries.extend(_recognise(db, rel, base))
    # QGIS needs a unique key for a view; a view offering none is left out rather than guessed.
    keep = [e for e in entries if e.key_columns]
    for e in entries:
        if not e.key_columns:
            log(f"{e.schema}.{e.table} has no primary key or feature_key column; not listed", "warning")
    return keep


def _view_key(rel: dict, extra: list[str]) -> list[str]:
    if rel["pk"]:
        return rel["pk"]
    cols = rel["columns"]
    if "feature_key" in cols:      # SafeStats views for QGIS carry one unique text key
        return ["feature_key"]
    key = [c for c in ("area_code", "code") if c in cols][:1]
    return key + [c for c in extra if c in cols and c not in key]


def _recognise(db: Database, rel: dict, base: dict) -> list[CatalogueEntry]:
    """Entries for a relation the catalogue does not know by name, recognised by its columns."""
    schema, table, cols = rel["schema"], rel["table"], rel["columns"]
    title = _title_of(table)
    time_field = base["time_field"]
    period_key = [time_field] if time_field else []
    conf = _first(cols, CONFIDENCE_COLUMNS)
    if conf and "POINT" in rel["gtype"]:
        return [CatalogueEntry(key=f"{schema}.{table}", title=title, group="Geocoding", style="confidence",
                               key_columns=_view_key(rel, ["record_id", "id"]), value_field=conf, **base)]
    run_col = _first(cols, RUN_COLUMNS)
    if "gap" in cols:
        # Comparator gaps: one layer per run and metric.
        metric_col = _first(cols, ("metric", "indicator_code", "indicator"))
        label_col = _first(cols, ("metric_name", "indicator_name"))
        pick = [c for c in (run_col, metric_col, label_col) if c]
        out = []
        for row in (_distinct(db, schema, table, pick) if pick else [[]]):
            vals = dict(zip(pick, row))
            where = " AND ".join(f"{quote_ident(c)} = {quote_literal(str(vals[c]))}"
                                 for c in (run_col, metric_col) if c)
            label = str(vals.get(label_col) or vals.get(metric_col) or title)
            run = vals.get(run_col)
            out.append(CatalogueEntry(
                key=f"{schema}.{table}:{run}:{vals.get(metric_col)}", title=f"Gap: {label}",
                group="Comparator" + (f" run {run}" if run is not None else ""), style="diverging",
                where=where, key_columns=_view_key(rel, [c for c in (run_col, metric_col) if c]),
                value_field="gap", **base))
        return out
    indicator_col = _first(cols, ("indicator", "indicator_code", "metric"))
    value_col = _first(cols, ("value", "rate", "rate_per_1000", "count"))
    if indicator_col and value_col:
        theme_col = _first(cols, ("theme",))
        label_col = _first(cols, ("indicator_name", "label", "name_of_indicator"))
        # An indicator can be stored for several area sets (published and apportioned): one layer each.
        set_cols = [c for c in ("level", "vintage") if c in cols]
        pick = [indicator_col] + set_cols + [c for c in (theme_col, label_col) if c]
        out = []
        for row in _distinct(db, schema, table, pick):
            vals = dict(zip(pick, row))
            code = str(vals[indicator_col])
            theme = str(vals[theme_col]) if theme_col and vals.get(theme_col) not in (None, "") else "Other"
            has_label = label_col and vals.get(label_col) not in (None, "")
            label = str(vals[label_col]) if has_label else code.replace("_", " ")
            area_set = " ".join(str(vals[c]) for c in set_cols)
            where = " AND ".join(
                f"{quote_ident(c)} = {quote_literal(vals[c] if c != 'vintage' else int(vals[c]))}"
                for c in [indicator_col] + set_cols)
            out.append(CatalogueEntry(
                key=f"{schema}.{table}:{code}:{area_set}",
                title=label + (f" ({area_set})" if area_set else ""),
                group=f"Landscape indicators: {theme}", style="graduated", where=where,
                key_columns=_view_key(rel, [indicator_col] + set_cols + period_key), value_field=value_col,
                **base))
        return out
    category = _first(cols, CATEGORY_COLUMNS)
    if category and "POLYGON" in rel["gtype"]:
        group = "Comparator" if schema == "comparator" or "comparator" in table else "Other layers"
        runs = _distinct(db, schema, table, [run_col]) if run_col else [[None]]
        return [CatalogueEntry(
            key=f"{schema}.{table}:{run}", title=title + (f" (run {run})" if run is not None else ""),
            group=group + (f" run {run}" if run is not None else ""), style="categorized",
            where=f"{quote_ident(run_col)} = {quote_literal(run)}" if run is not None else "",
            key_columns=_view_key(rel, [c for c in (run_col,) if c] + period_key),
            value_field=category, **base) for (run,) in runs]
    if value_col and "POLYGON" in rel["gtype"]:
        return [CatalogueEntry(key=f"{schema}.{table}", title=title, group="Rates and counts",
                               style="graduated", key_columns=_view_key(rel, period_key),
                               value_field=value_col, **base)]
    group = "Crime and incidents" if schema in ("crime", "incident") else "Other layers"
    style = "crime_points" if "POINT" in rel["gtype"] and group == "Crime and incidents" else (
        "points" if "POINT" in rel["gtype"] else "polygons")
    return [CatalogueEntry(key=f"{schema}.{table}", title=title, group=group, style=style,
                           key_columns=_view_key(rel, ["id"] + period_key), value_field=category, **base)]
