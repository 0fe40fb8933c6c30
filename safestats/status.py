"""What is in the database and how it got there: the sections ``safestats status`` and the demo print."""
from __future__ import annotations

from collections.abc import Iterator

from .output import Table, fetch_table

# Also printed by the security demo step.
SECURITY_STATUS = (
    "Security: row-level security, approvals, disclosure rule",
    "SELECT c.oid::regclass::text AS sensitive_table, c.relrowsecurity AS rls, c.relforcerowsecurity AS "
    "forced, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies, (SELECT count(*) FROM "
    "health.approval) AS approvals, (SELECT rule || CASE WHEN rule = 'suppress' THEN ' 1..' || threshold - 1 "
    "ELSE ' to ' || rounding_base END  FROM open.disclosure_rule) AS disclosure_rule FROM pg_class c WHERE "
    "c.relrowsecurity ORDER BY 1")

# Each entry: a title and a query returning rows to print, in the order shown.
SECTIONS: list[tuple[str, str]] = [
    ("Reference geography",
     "SELECT level, vintage, count(*) AS areas, count(*) FILTER (WHERE approximate) AS approximate "
     "FROM ref.area GROUP BY level, vintage ORDER BY level, vintage"),
    ("Last load of each source",
     "SELECT DISTINCT ON (source) source, file_name, status, rows_loaded, rows_rejected, "
     "to_char(started_at, 'YYYY-MM-DD HH24:MI') AS started FROM safestats.load "
     "ORDER BY source, load_id DESC"),
    # Source loaders (issue 3): coverage by year, the latest months, gaps, A&E extracts.
    ("Source coverage by year (months with records of 12, records)",
     "SELECT source, extract(year FROM month)::int AS year, count(*) AS months, sum(records)::bigint AS "
     "records FROM safestats.source_month GROUP BY 1, 2 ORDER BY 1, 2"),
    ("Records per source and month (latest 3 months of each)",
     "SELECT source, to_char(month, 'YYYY-MM') AS month, records::bigint AS records FROM (SELECT *, "
     "row_number() OVER (PARTITION BY source ORDER BY month DESC) AS k FROM safestats.source_month) m WHERE "
     "k <= 3 ORDER BY source, month"),
    ("Gaps: months missing inside each source's range",
     "SELECT source, to_char(first_month, 'YYYY-MM') AS first, to_char(last_month, 'YYYY-MM') AS last, "
     "missing_months, left(missing, 90) AS missing FROM safestats.source_gaps ORDER BY source"),
    ("MPS LSOA annual counts (years per category)",
     "SELECT major_category, nullif(minor_category, '') AS minor_category, min(year) AS first, max(year) AS "
     "last, count(DISTINCT year) AS years, round(sum(count))::bigint AS crimes FROM crime.mps_lsoa_year "
     "GROUP BY 1, 2 ORDER BY 1, 2"),
    ("A&E assault extracts (ISTV) by site and reporting period",
     "SELECT a.site_code, s.site_type, a.period_start, a.period_end, count(*) AS records, "
     "count(a.geom) AS geocoded, max(a.load_id) AS load_id FROM health.ae_assault a "
     "LEFT JOIN health.ae_site s USING (site_code) GROUP BY 1, 2, 3, 4 ORDER BY 1, 3"),
    # Geocoder (issue 4): the gazetteer name table, its version and the confidence calibration.
    ("Gazetteer (geocoding): features by level, version, calibration bins",
     "SELECT level, count(*) AS features, count(*) FILTER (WHERE licence LIKE '%ODbL%') AS odbl_rows, "
     "safestats.gazetteer_version() AS version, (SELECT count(*) FROM gazetteer.calibration) AS "
     "calibration_bins FROM gazetteer.feature GROUP BY level ORDER BY level"),
    ("Loads that did not finish (killed or failed)",
     "SELECT load_id, source, file_name, status, left(coalesce(message, ''), 80) AS message "
     "FROM safestats.load WHERE status IN ('running', 'interrupted', 'failed', 'refused') "
     "ORDER BY load_id DESC LIMIT 20"),
    # A two-connection load killed half-way leaves scratch schemas (loaders/parallel.py); the next
    # such load drops them. Shown so that a DBA sees the space they hold meanwhile.
    ("Scratch left by killed two-connection loads (the next big police.uk load drops it)",
     "SELECT n.nspname AS schema, count(c.oid) AS tables, "
     "pg_size_pretty(coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind = 'r'), 0)) AS size "
     "FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') "
     "WHERE n.nspname ~ '^safestats_load_[0-9]+_[ab]$' GROUP BY 1 ORDER BY 1"),
    ("London Landscape indicators (values by theme and area level)",
     "SELECT i.theme, v.level, v.vintage, count(DISTINCT v.indicator_code) AS indicators, count(*) AS "
     "values, count(*) FILTER (WHERE v.method <> 'published') AS derived FROM landscape.indicator_value v "
     "JOIN landscape.indicator i USING (indicator_code) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
    ("Comparator runs (latest 5)",
     "SELECT run_id, label, level, vintage, n_areas, k, n_groups, cluster_method, "
     "round(silhouette::numeric, 3) AS silhouette FROM comparator.run ORDER BY run_id DESC LIMIT 5"),
    SECURITY_STATUS,
]


def sections(conn, chosen: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, Table]]:
    """(title, table) of each status section, queried one after the other as they are taken."""
    from loaders.provenance import mark_interrupted
    mark_interrupted(conn)   # killed loads show as 'interrupted', not 'running' (issue 13)
    for title, query in SECTIONS if chosen is None else chosen:
        yield title, fetch_table(conn, query)


def choose_sections(names: list[str]) -> list[tuple[str, str]]:
    """The sections named (by title or JSON key, any case; a unique start of either will do), in the
    order asked; :class:`safestats.names.UnknownName` naming the nearest ones otherwise."""
    from .names import UnknownName, resolve
    from .render import section_key
    by_key = {section_key(t): (t, q) for t, q in SECTIONS}
    labels = {**{k: k for k in by_key}, **{t.lower(): section_key(t) for t, _ in SECTIONS}}
    chosen = []
    for name in names:
        want = name.strip().lower()
        starts = sorted({k for label, k in labels.items()
                         if label.startswith((want, want.replace(" ", "_")))})
        if len(starts) == 1:
            chosen.append(by_key[starts[0]])
            continue
        try:
            chosen.append(by_key[labels[resolve(want, list(labels), "status section")]])
        except UnknownName:
            if len(starts) > 1:
                raise UnknownName(f"status section {name!r} could be {', '.join(starts)}", starts) from None
            raise
    return chosen


def print_status(conn) -> None:
    """Print every section (the body of ``safestats status``; the demo ends with it)."""
    from .render import emit
    emit(sections(conn), "table")
