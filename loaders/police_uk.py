"""data.police.uk files: street-level crime, outcomes, and stop and search.

Facts of the real files that shape this loader (each one is a test):

- A file is the complete record of its (force, month): loading it again replaces that slice in one
  transaction; a file of another month or force leaves the rest alone.
- Crime IDs repeat within a month with different points, and identical anti-social behaviour rows
  (empty Crime ID) are separate incidents: rows are never de-duplicated.
- Rows without coordinates exist (location_status 'no-coordinates'); some points fall outside
  London (kept, 'outside-london', no area). Coordinates outside the UK are malformed (rejected).
"""
from __future__ import annotations

import re
from pathlib import Path

import psycopg
from psycopg import sql

from . import areas, parallel, partitions
from .core import Check, Column, CsvSource, LoadContext, LoadOptions, LoadRefused, ParallelPlan

MONTH_OK = "{c} ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'"
# Its quick form (core.Check.quick_sql): digits and one '-', the fifth of seven characters, and the
# server reads it as a month (a month 13 or 00 makes the cast raise; the exact test then names it).
MONTH_QUICK = ("{c} !~ '[^-0-9]' AND length({c}) = 7 AND strpos({c}, '-') = 5 AND strpos(substr({c}, 6), "
               "'-') = 0 "
               "AND ({c} || '-01')::date IS NOT NULL")


def _slice_note(cur, ctx: LoadContext, table: str, force_col: str, month_col: str) -> None:
    rows = cur.execute(
        f"SELECT DISTINCT {force_col}, {month_col} FROM {table} WHERE load_id = %s ORDER BY 1, 2",
        (ctx.load_id,)).fetchall()
    ctx.meta["slices"] = [[f, m.isoformat()] for f, m in rows]


# The columns and checks street-level and outcomes files share (the published layouts begin alike).
COMMON_COLUMNS = [
    Column("crime_id", "Crime ID"),
    Column("month", "Month"),
    Column("reported_by", "Reported by"),
    Column("falls_within", "Falls within"),
    Column("longitude", "Longitude"),
    Column("latitude", "Latitude"),
    Column("location", "Location"),
    Column("lsoa_code", "LSOA code"),
    Column("lsoa_name", "LSOA name"),
]
COMMON_CHECKS = [
    Check("month", MONTH_OK.format(c="month"), "not a month (YYYY-MM)", MONTH_QUICK.format(c="month")),
    Check("reported_by", "reported_by IS NOT NULL", "Reported by is blank"),
    *areas.lonlat_checks(Check),
]


STREET_COLUMNS = ["crime_id", "month", "force", "reported_by", "falls_within", "longitude", "latitude",
                  "location", "lsoa_code_reported", "lsoa_name", "crime_type", "last_outcome", "context",
                  "geom", "lsoa21_code", "ward22_code", "borough_code", "location_status", "load_id",
                  "source_line"]


def _street_select(geom: str, lsoa: str, ward: str, borough: str, source: str,
                   month: str = "(s.month || '-01')::date") -> str:
    """The finished rows (STREET_COLUMNS) from staged values ``s`` and the given area expressions."""
    return f"""
    SELECT s.crime_id, {month} AS month, s.reported_by AS force, s.reported_by,
           s.falls_within, s.longitude::float8 AS longitude, s.latitude::float8 AS latitude, s.location,
           s.lsoa_code AS lsoa_code_reported, s.lsoa_name, s.crime_type, s.last_outcome, s.context,
           {geom} AS geom, {lsoa} AS lsoa21_code, {ward} AS ward22_code, {borough} AS borough_code,
           CASE WHEN {geom} IS NULL THEN 'no-coordinates' WHEN {borough} IS NULL THEN 'outside-london'
                ELSE 'ok' END AS location_status,
           %(load_id)s::bigint AS load_id, s.line_no AS source_line
    {source}"""   # (month: validated YYYY-MM, so a cast)


# From ``stage`` (validated) and ``located`` (areas, loaders/areas.py) …
STREET_SELECT = _street_select("p.geom", "p.lsoa21_code", "p.ward22_code", "p.borough_code",
                               "FROM stage s LEFT JOIN located p ON p.line_no = s.line_no")
# … or, on two connections (loaders/parallel.py), from ``located_wide`` (each connection its half).
STREET_SELECT_WIDE = _street_select("s.geom", "s.lsoa21", "s.ward22", "s.borough", "FROM located_wide s",
                                    month="s.month_date")


# A row's month is in a partition being rebuilt (the multirange is a constant: a search per row).
IN_BULK = "%(bulk)s::datemultirange @> {m}"
# The columns that make a slice: a file is the complete record of its (force, month).
SLICE_KEY = ("force", "month")


def _params(ctx: LoadContext, slices: list[tuple], bulk: list[partitions.Partition]) -> dict:
    return {"load_id": ctx.load_id, "bulk": _multirange(bulk), "forces": [f for f, _, _ in slices],
            "months": [m for _, m, _ in slices]}


def _plan(cur, ctx: LoadContext, slices: list[tuple]) -> tuple[list, dict, int]:
    """For the file's (force, month, rows) slices, which it replaces whatever they held: note them;
    the partitions it may rebuild, the statements' parameters, and the rows those partitions hold."""
    ctx.meta["slices"] = [[f, m.isoformat()] for f, m, _ in slices]
    bulk, replaced = partitions.rebuildable(cur, "crime", "street_crime", slices, SLICE_KEY)
    return bulk, _params(ctx, slices, bulk), replaced


def _likely_rebuildable(cur, slices: list[tuple]) -> list[partitions.Partition]:
    """The partitions the file would fill with enough rows (partitions.candidates) whose slices, by the
    summary crime.street_crime_month_type, are all among the file's: a guess, checked against the
    partitions themselves (partitions.held_rows) before anything is swapped."""
    mine = {(f, m) for f, m, _ in slices}
    held = cur.execute("SELECT DISTINCT force, month FROM crime.street_crime_month_type").fetchall()
    return [p for p in partitions.candidates(cur, "crime", "street_crime", slices)
            if all((f, m) in mine for f, m in held if p.lo <= m < p.hi)]


def _delete_other_slices(cur, params, all_bulk: bool) -> int:
    """Delete the file's slices from partitions not being rebuilt; returns rows deleted. When every
    slice is in a rebuilt partition there is nothing elsewhere (a month lives in one partition), and
    the scan of every partition this DELETE needs is skipped."""
    if all_bulk:
        return 0
    cur.execute(f"""
        DELETE FROM crime.street_crime t
        USING unnest(%(forces)s::text[], %(months)s::date[]) s(reported_by, month)
        WHERE t.force = s.reported_by AND t.month = s.month
          AND NOT {IN_BULK.format(m="t.month")}""", params)
    return cur.rowcount


def _all_bulk(bulk, slices) -> bool:
    return all(any(p.lo <= m < p.hi for p in bulk) for _, m, _ in slices)


def _multirange(parts) -> str:
    """The partitions' months as one datemultirange literal: a constant, so a row's test is a search."""
    return "{" + ",".join(f"[{p.lo},{p.hi})" for p in parts) + "}"


def _replace_month_type(cur, params, table: str, force: str, month: str, records: str = "count(*)") -> None:
    """The slices' counts by crime type, replaced with them (crime.street_crime_month_type)."""
    cur.execute("""
        DELETE FROM crime.street_crime_month_type t
        USING unnest(%(forces)s::text[], %(months)s::date[]) s(force, month)
        WHERE t.force = s.force AND t.month = s.month""", params)
    cur.execute(f"""
        INSERT INTO crime.street_crime_month_type (force, month, crime_type, records)
        SELECT {force}, {month}, crime_type, {records} FROM {table} GROUP BY 1, 2, 3""")


def _cells_kept_here(cur) -> None:
    """This transaction refreshes the cell counts of the months it writes (:func:`_refresh_cells`):
    its writes to crime.street_crime must not mark every month stale (trigger
    crime.street_crime_cells_stale, revision 0016)."""
    cur.execute("SET LOCAL safestats.street_crime_cells = 'loader'")


def _refresh_cells(cur, params, swapped: list[partitions.Partition] = ()) -> None:
    """The 250 m cell counts of the file's months (crime.street_crime_cell), in the file's transaction:
    the hotspot functions read them. Months in ``swapped`` partitions came with their counts, built
    beside the rows (:func:`_cell_select`), and are only marked complete; the rest are recounted from
    the rows now in crime.street_crime."""
    months = sorted(set(params["months"]))
    built = [m for m in months if any(p.lo <= m < p.hi for p in swapped)]
    if built:
        cur.execute("DELETE FROM crime.street_crime_cell_month WHERE month = ANY (%s::date[])", (built,))
        cur.execute("INSERT INTO crime.street_crime_cell_month (month) SELECT unnest(%s::date[])", (built,))
    rest = [m for m in months if m not in built]
    if rest:
        cur.execute("SELECT safestats_internal.street_crime_cells_refresh(%s::date[])", (rest,))


CELL_COLUMNS = ["month", "crime_type", "cell", "records"]
# The columns of crime.street_crime that queries filter, join or group on (the indexed ones, the area
# codes, the force and status): the statistics a freshly built partition gets. The free text (crime ID,
# location, LSOA name, outcome, context) and the WGS84 copy of the point are left to autovacuum, where it
# runs: sampling them cost about a third of each partition's ANALYZE and no plan reads them.
STREET_STATISTICS = ["month", "load_id", "source_line", "crime_type", "geom", "lsoa21_code", "ward22_code",
                     "borough_code", "force", "location_status"]


def _cell_select(crimes: sql.Identifier) -> sql.Composable:
    """The cell counts (CELL_COLUMNS) of the crimes just built into the table ``crimes`` for one
    partition: a rebuilt partition holds every crime of its months, so these are those months'
    complete counts (the cell partition has the same bounds). One partition at a time: twelve
    years' cells aggregated 0.43–0.46 s year by year against 0.6–0.9 s in one hash table (stock server).
    In the order of the cell table's primary key (month, crime type, cell), so the table is written in
    that order and its primary key is built from sorted rows."""
    return sql.SQL("SELECT month, crime_type, safestats_internal.street_crime_cell_of(geom), count(*) "
                   "FROM {} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").format(crimes)


def _cell_partitions(cur, parts: list[partitions.Partition]) -> list[partitions.Partition]:
    """The partitions of crime.street_crime_cell with the bounds of ``parts`` (revision 0020)."""
    cells = {(p.lo, p.hi): p for p in partitions.range_partitions(cur, "crime", "street_crime_cell")}
    missing = [p.name for p in parts if (p.lo, p.hi) not in cells]
    if missing:
        raise LoadRefused(f"crime.street_crime_cell has no partition matching {', '.join(missing)}: "
                          "run `safestats migrate` (revision 0020_cell_partitions)")
    return [cells[(p.lo, p.hi)] for p in parts]


def write_parallel(cur, ctx: LoadContext, conninfo: str, scratch: str, filled: list[partitions.Partition],
                   rest: str) -> int:
    """:meth:`StreetCrimeSource.write` for a file staged in halves (loaders/parallel.py): the finished rows
    are in fresh tables in the schema ``scratch``, one per partition of crime.street_crime in
    ``filled`` (named as it) and ``rest`` (months in none), their counts by slice and crime type in
    ``stage_counts``. The partitions to rebuild get their indexes, statistics and cell counts on two
    connections (each taking the next step from one list, loaders/parallel.py ``Tasks``), then this,
    the load's transaction, swaps them in; the rows of the other fresh tables are inserted."""
    _cells_kept_here(cur)
    slices = cur.execute("SELECT force, month, sum(records)::bigint FROM stage_counts GROUP BY 1, 2 ORDER "
                         "BY 1, 2"
                         ).fetchall()
    ctx.meta["slices"] = [[f, m.isoformat()] for f, m, _ in slices]
    # The partitions the summary shows holding nothing but the file's slices are built at once, on two
    # connections, while this one checks the partitions themselves (one scan each, which before ran
    # alone between the halves and the builds). One found to hold other rows after all is not swapped:
    # the file's rows go into it the row-by-row way, below.
    likely = _likely_rebuildable(cur, slices)
    rows_in = {p.name: sum(n for _, m, n in slices if p.lo <= m < p.hi) for p in likely}
    cell_of = dict(zip(likely, _cell_partitions(cur, likely)))

    def cells(c_cur, part, crimes) -> None:
        # each partition's cell counts (revision 0020), as soon as its crimes are written: their pages
        # are still in shared buffers. Grouped by sorting: for a big partition the planner hashes and
        # then sorts the groups, a third slower (a year of one million crimes: 0.94 s against 0.63 s)
        c_cur.execute("SET LOCAL enable_hashagg = off")
        partitions.build_one(c_cur, scratch, "crime", "street_crime_cell", cell_of[part], CELL_COLUMNS,
                             _cell_select(crimes), None)
    tasks = parallel.Tasks(partitions.build_tasks(cur, scratch, "crime", "street_crime", likely, rows_in,
                                                  STREET_STATISTICS, derived=cells))

    def build() -> None:
        with psycopg.connect(conninfo, autocommit=True) as c:
            partitions.run_tasks(c, tasks)
    *_, held = parallel.both([build, build],
                             meanwhile=lambda: partitions.held_rows(cur, likely, slices, SLICE_KEY))
    bulk = [p for p in likely if held[p.name] is not None]
    replaced = sum(held[p.name] for p in bulk)
    params = _params(ctx, slices, bulk)
    partitions.swap_in(cur, scratch, "crime", "street_crime", bulk)
    partitions.swap_in(cur, scratch, "crime", "street_crime_cell", [cell_of[p] for p in bulk])
    n = sum(rows_in[p.name] for p in bulk)
    all_bulk = _all_bulk(bulk, slices)
    ctx.meta["replaced_rows"] = _delete_other_slices(cur, params, all_bulk) + replaced
    # The file's rows in partitions not rebuilt (and months in none), the row-by-row way.
    bulk_names = {p.name for p in bulk}
    months = [m for _, m, _ in slices]
    others = [p.name for p in filled if p.name not in bulk_names and any(p.lo <= m < p.hi for m in months)]
    if any(not any(p.lo <= m < p.hi for p in filled) for m in months):
        others.append(rest)
    cols = sql.SQL(", ").join(map(sql.Identifier, STREET_COLUMNS))
    for name in others:
        cur.execute(sql.SQL("INSERT INTO crime.street_crime ({}) SELECT {} FROM {}").format(
            cols, cols, sql.Identifier(scratch, name)))
        n += cur.rowcount
    _replace_month_type(cur, params, "stage_counts", "force", "month", "sum(records)")
    _refresh_cells(cur, params, bulk)
    ctx.meta["rebuilt_partitions"] = sorted(p.name for p in bulk)
    return n


class StreetCrimeSource(CsvSource):
    name = "police-uk"
    description = "data.police.uk street-level crime (YYYY-MM-<force>-street.csv)"
    columns = COMMON_COLUMNS + [
        Column("crime_type", "Crime type"),
        Column("last_outcome", "Last outcome category"),
        Column("context", "Context"),
    ]
    checks = COMMON_CHECKS + [
        Check("crime_type", "crime_type IS NOT NULL", "Crime type is blank"),
    ]
    target = "crime.street_crime, crime.street_crime_month_type, crime.street_crime_cell"
    # A big file goes on two connections (loaders/parallel.py): the halves' rows, then write_parallel.
    parallel_plan = ParallelPlan(
        table=("crime", "street_crime"),
        columns=tuple(STREET_COLUMNS),
        rows_sql=STREET_SELECT_WIDE,
        # (grouped on the staged text, the month made a date once per group: 0.09 s instead of 0.19 s
        # for half a million rows)
        counts_sql="""SELECT force, (month || '-01')::date AS month, crime_type, records
                      FROM (SELECT reported_by AS force, month, crime_type, count(*) AS records
                            FROM stage GROUP BY 1, 2, 3) g""",
        write=write_parallel,
        extra_sql="(s.month || '-01')::date AS month_date",
    )

    def write(self, cur, ctx: LoadContext) -> int:
        _cells_kept_here(cur)
        areas.fill_located_from_lonlat(cur)
        outside = areas.assign_areas(cur)
        # The slices this file is the complete record of: replace them, whatever they held.
        slices = cur.execute("""
            SELECT reported_by, (month || '-01')::date, count(*) FROM stage
            GROUP BY reported_by, month ORDER BY 1, 2""").fetchall()
        # Partitions the file fills alone are rebuilt whole (loaders/partitions.py); the rest of the
        # file goes the row-by-row way.
        bulk, params, replaced = _plan(cur, ctx, slices)
        all_bulk = _all_bulk(bulk, slices)
        ctx.meta["replaced_rows"] = _delete_other_slices(cur, params, all_bulk) + replaced
        month = "(s.month || '-01')::date"
        select = STREET_SELECT
        # (No filter when every row goes to a rebuilt partition: the filter's row estimate misleads
        # the planner into hashing the big side of every join.)
        n = partitions.rebuild(cur, "crime", "street_crime", bulk, STREET_COLUMNS,
                               sql.SQL(select if all_bulk else select + " WHERE " + IN_BULK.format(m=month)),
                               params) if bulk else 0
        if not all_bulk:
            cur.execute(f"INSERT INTO crime.street_crime ({', '.join(STREET_COLUMNS)}) {select} "
                        f"WHERE NOT {IN_BULK.format(m=month)}", params)
            n += cur.rowcount
        _replace_month_type(cur, params, "stage", "reported_by", "(month || '-01')::date")
        _refresh_cells(cur, params)
        ctx.meta["outside_london"] = outside
        ctx.meta["rebuilt_partitions"] = [p.name for p in bulk]
        return n


class OutcomeSource(CsvSource):
    name = "police-uk-outcomes"
    description = "data.police.uk outcomes (YYYY-MM-<force>-outcomes.csv)"
    doc = "data.police.uk outcomes files (YYYY-MM-<force>-outcomes.csv): a file replaces its (force, month)."
    target = "crime.outcome"
    columns = COMMON_COLUMNS + [
        Column("outcome_type", "Outcome type"),
    ]
    checks = COMMON_CHECKS + [
        Check("outcome_type", "outcome_type IS NOT NULL", "Outcome type is blank"),
    ]

    def write(self, cur, ctx: LoadContext) -> int:
        areas.fill_located_from_lonlat(cur)
        outside = areas.assign_areas(cur)
        cur.execute("""
            DELETE FROM crime.outcome t
            USING (SELECT DISTINCT reported_by, to_date(month || '-01', 'YYYY-MM-DD') AS month FROM stage) s
            WHERE t.force = s.reported_by AND t.month = s.month""")
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute(f"""
            INSERT INTO crime.outcome (crime_id, month, force, reported_by, falls_within, longitude, latitude,
              location, lsoa_code_reported, lsoa_name, outcome_type, geom, lsoa21_code, ward22_code,
              borough_code, location_status, load_id, source_line)
            SELECT s.crime_id, to_date(s.month || '-01', 'YYYY-MM-DD'), s.reported_by, s.reported_by,
                   s.falls_within, s.longitude::float8, s.latitude::float8, s.location, s.lsoa_code,
                   s.lsoa_name, s.outcome_type, p.geom, p.lsoa21_code, p.ward22_code, p.borough_code,
                   {areas.LOCATION_STATUS}, %s, s.line_no
            FROM stage s LEFT JOIN located p ON p.line_no = s.line_no""", (ctx.load_id,))
        n = cur.rowcount
        ctx.meta["outside_london"] = outside
        _slice_note(cur, ctx, "crime.outcome", "force", "month")
        return n


STOP_SEARCH_FILE = re.compile(r"^(\d{4})-(\d{2})-(.+)-stop-and-search\.csv(\.gz)?$")
BOOL_OK = "{c} IS NULL OR lower({c}) IN ('true', 'false')"


class StopSearchSource(CsvSource):
    name = "police-uk-stop-search"
    description = "data.police.uk stop and search (YYYY-MM-<force>-stop-and-search.csv)"
    doc = """data.police.uk stop and search files (YYYY-MM-<force>-stop-and-search.csv): the force and month
come from the file name (or --police-force / --month); a file replaces that slice."""
    target = "crime.stop_search"
    columns = [
        Column("search_type", "Type"),
        Column("searched_at", "Date"),
        Column("part_of_operation", "Part of a policing operation"),
        Column("operation_name", "Policing operation", required=False),
        Column("latitude", "Latitude"),
        Column("longitude", "Longitude"),
        Column("gender", "Gender"),
        Column("age_range", "Age range"),
        Column("self_defined_ethnicity", "Self-defined ethnicity"),
        Column("officer_defined_ethnicity", "Officer-defined ethnicity"),
        Column("legislation", "Legislation"),
        Column("object_of_search", "Object of search"),
        Column("outcome", "Outcome"),
        Column("outcome_linked", "Outcome linked to object of search"),
        Column("outer_clothing_removed", "Removal of more than just outer clothing"),
    ]
    checks = [
        Check("search_type", "search_type IS NOT NULL", "Type is blank"),
        Check("searched_at", "safestats_internal.try_timestamp(searched_at) IS NOT NULL",
              "not a date-time (ISO 8601, e.g. 2016-06-01T10:00:00+00:00)"),
        Check("part_of_operation", BOOL_OK.format(c="part_of_operation"), "not True/False"),
        Check("outcome_linked", BOOL_OK.format(c="outcome_linked"), "not True/False"),
        Check("outer_clothing_removed", BOOL_OK.format(c="outer_clothing_removed"), "not True/False"),
    ]

    def add_arguments(self, p) -> None:
        p.add_argument("--police-force", help="force slug when the file name does not say (e.g. "
                                              "metropolitan)")
        p.add_argument("--month", help="month YYYY-MM when the file name does not say")

    def prepare(self, cur, ctx: LoadContext) -> None:
        # The file carries no force and no month column: both come from its name (or options).
        ctx.meta["force"], ctx.meta["file_month"] = stop_search_slice(ctx.path, ctx.options)

    def write(self, cur, ctx: LoadContext) -> int:
        force, month = ctx.meta["force"], ctx.meta["file_month"]
        areas.fill_located_from_lonlat(cur)
        outside = areas.assign_areas(cur)
        cur.execute("DELETE FROM crime.stop_search WHERE force = %s AND file_month = %s", (force, month))
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute(f"""
            INSERT INTO crime.stop_search (force, file_month, search_type, searched_at, part_of_operation,
              operation_name, longitude, latitude, gender, age_range, self_defined_ethnicity,
              officer_defined_ethnicity, legislation, object_of_search, outcome, outcome_linked,
              outer_clothing_removed, geom, lsoa21_code, ward22_code, borough_code, location_status,
              load_id, source_line)
            SELECT %(force)s, %(month)s::date, s.search_type, s.searched_at::timestamptz,
                   lower(s.part_of_operation)::boolean, s.operation_name, s.longitude::float8,
                   s.latitude::float8, s.gender, s.age_range, s.self_defined_ethnicity,
                   s.officer_defined_ethnicity, s.legislation, s.object_of_search, s.outcome,
                   lower(s.outcome_linked)::boolean, lower(s.outer_clothing_removed)::boolean,
                   p.geom, p.lsoa21_code, p.ward22_code, p.borough_code, {areas.LOCATION_STATUS},
                   %(load_id)s, s.line_no
            FROM stage s LEFT JOIN located p ON p.line_no = s.line_no""",
                    {"force": force, "month": month, "load_id": ctx.load_id})
        ctx.meta["outside_london"] = outside
        return cur.rowcount


def stop_search_slice(path: Path, options: LoadOptions) -> tuple[str, str]:
    """(force, first day of month) of a stop-and-search file, from its name or the options."""
    m = STOP_SEARCH_FILE.match(path.name)
    force = options.extra.get("police_force") or (m.group(3) if m else None)
    month = options.extra.get("month") or (f"{m.group(1)}-{m.group(2)}" if m else None)
    if not force or not month or not re.fullmatch(r"\d{4}-\d{2}", month):
        raise LoadRefused(f"{path}: cannot tell the force and month of this stop-and-search file; name it "
                          "YYYY-MM-<force>-stop-and-search.csv or pass --police-force and --month YYYY-MM")
    return force, f"{month}-01"


SOURCE = StreetCrimeSource()
OUTCOMES = OutcomeSource()
STOP_SEARCH = StopSearchSource()
