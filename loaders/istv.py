"""A&E assault records, ISTV minimum dataset (ISB 1594), from hospital extracts (CSV or Excel).

Hospitals send the same fields under different column names, date formats, delimiters and
encodings. Each layout is a mapping file in ``loaders/istv_mappings/*.json`` (data, not code): the
loader picks the mapping whose columns the header has (or ``--mapping NAME``). A site is named by
its ODS code, or by a free-text hospital name reconciled to a code with rapidfuzz against the
London UEC site list. An extract is keyed by site + reporting period: a resubmitted period replaces
the rows of that site whose period overlaps it. After loading, when ``safestats.geocode(text, text)``
exists, the free-text assault location is geocoded set-based (one call per distinct text and site),
and LSOA 2021 / ward 2022 / borough are assigned from the point.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import areas
from .core import (
    Check,
    Column,
    CsvSource,
    LoadContext,
    LoadError,
    LoadOptions,
    LoadRefused,
    Source,
    csv_table,
    normalise_header,
    open_text,
    run_load,
)

HERE = Path(__file__).resolve().parent
MAPPINGS_DIR = HERE / "istv_mappings"
SITE_TYPES = HERE / "istv_site_types.csv"
# The UEC site list: the shipped copy (data/gazetteer), else the shared original beside the checkout.
SITE_FILES = [HERE.parent / "data" / "gazetteer" / "london_uec_sites_istv.csv.gz",
              HERE.parent.parent / "shared" / "data" / "gazetteer" / "london_uec_sites_istv.csv"]

# The ISB 1594 fields, as staging columns, in order.
FIELDS = ["site", "hospital", "period_start", "period_end", "arrival_at", "assault_at", "assault_method",
          "assault_method_other", "location_type", "location_text"]
REQUIRED = {"arrival_at", "location_text"}
MATCH_THRESHOLD = 85.0     # rapidfuzz WRatio score a hospital name needs
MATCH_MARGIN = 4.0         # …and its lead over the next-best site (else it is ambiguous)


@dataclass
class Mapping:
    name: str
    description: str
    columns: dict           # ISB field -> column name in the extract
    site_code: str | None = None
    datetime_format: str = "YYYY-MM-DD HH24:MI"
    date_format: str = "YYYY-MM-DD"
    delimiter: str = ","
    encoding: str | None = None
    sheet: str | None = None

    @classmethod
    def read(cls, path: Path) -> Mapping:
        d = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(d.get("columns", {})) - set(FIELDS)
        if unknown:
            raise LoadRefused(f"{path}: unknown ISTV field(s) {', '.join(sorted(unknown))}; use "
                              f"{', '.join(FIELDS)}")
        return cls(name=d.get("name", path.stem), description=d.get("description", ""), columns=d["columns"],
                   site_code=d.get("site_code"),
                   datetime_format=d.get("datetime_format", cls.datetime_format),
                   date_format=d.get("date_format", cls.date_format), delimiter=d.get("delimiter", ","),
                   encoding=d.get("encoding"), sheet=d.get("sheet"))

    def fits(self, header: list[str]) -> int:
        """Number of mapped columns the header has, or -1 when any mapped column is missing."""
        found = {normalise_header(h) for h in header}
        n = sum(1 for c in self.columns.values() if normalise_header(c) in found)
        return n if n == len(self.columns) else -1


def mappings(directory: Path = MAPPINGS_DIR) -> list[Mapping]:
    return [Mapping.read(p) for p in sorted(Path(directory).glob("*.json"))]


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@contextmanager
def excel_table(path: Path, sheet: str | None = None):
    """(header, records) of the first (or named) sheet, streamed with openpyxl's read-only mode."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as e:
        raise LoadRefused(f"{path}: not an Excel workbook openpyxl can read ({e})") from e
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not any(h is not None for h in header):
            raise LoadRefused(f"{path}: the file is empty (no header line)")
        header = [_cell(h) for h in header]

        def records():
            for i, r in enumerate(rows, start=2):
                vals = [_cell(v) for v in r]
                if not any(v.strip() for v in vals):
                    continue
                vals = (vals + [""] * len(header))[:max(len(header), len(vals))]
                # Trailing empty cells beyond the header are formatting, not data.
                while len(vals) > len(header) and not vals[-1]:
                    vals.pop()
                yield i, vals
        yield header, records()
    finally:
        wb.close()


def read_header(path: Path, options: LoadOptions) -> list[str]:
    """The header of an extract (for choosing its mapping)."""
    if is_excel(path):
        with excel_table(path, options.extra.get("sheet")) as (header, _):
            return header
    stream, _ = open_text(path, options.encoding)
    with stream:
        first = stream.readline()
    if not first.strip():
        raise LoadRefused(f"{path}: the file is empty (no header line)")
    delim = max((",", ";", "\t", "|"), key=first.count)
    return next(csv.reader([first], delimiter=delim))


def choose_mapping(path: Path, options: LoadOptions) -> Mapping:
    all_maps = mappings(Path(options.extra.get("mappings_dir") or MAPPINGS_DIR))
    if options.extra.get("mapping"):
        named = [m for m in all_maps if m.name == options.extra["mapping"]]
        if not named:
            raise LoadRefused(f"no ISTV mapping named '{options.extra['mapping']}'; there are: "
                              f"{', '.join(m.name for m in all_maps)}")
        return named[0]
    try:
        header = read_header(path, options)
    except UnicodeDecodeError as e:
        raise LoadRefused(f"{path}: line 1: cannot be decoded ({e.reason}); pass --encoding") from e
    scored = sorted(((m.fits(header), m.name, m) for m in all_maps), key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] < 0:
        raise LoadRefused(
            f"{path}: line 1: no ISTV mapping in {MAPPINGS_DIR} fits this header.\n"
            f"    found: {', '.join(h.strip() for h in header)}\n"
            f"    add a mapping file for this hospital's layout (see docs/loaders.md), or pass --mapping")
    return scored[0][2]


# --------------------------------------------------------------------------- sites
def site_rows(sites_file: Path | None = None) -> list[dict]:
    """London UEC sites with their type from the documented list (istv_site_types.csv)."""
    with open(SITE_TYPES, encoding="utf-8") as f:
        types = {r["site_code"]: r["site_type"] for r in csv.DictReader(f)}
    path = Path(sites_file) if sites_file else next((p for p in SITE_FILES if p.exists()), None)
    if path is None or not path.exists():
        return []
    f, _ = open_text(path, "utf-8")
    with f:
        return [{**r, "site_type": types.get(r["site_code"], "other")} for r in csv.DictReader(f)]


def ensure_sites(cur, load_id: int, sites_file: Path | None = None) -> int:
    """Upsert health.ae_site from the site list (names, trust, ICB, type, point)."""
    rows = site_rows(sites_file)
    if not rows:
        return 0
    cur.execute("CREATE TEMP TABLE site_in (site_code text, site text, provider_code text, provider text, "
                "icb_code text, site_type text, easting float8, northing float8) ON COMMIT DROP")
    with cur.copy("COPY site_in FROM STDIN") as cp:
        for r in rows:
            cp.write_row((r["site_code"], r["site"], r["provider_code"], r["provider"], r["icb_code"],
                          r["site_type"], r["easting"] or None, r["northing"] or None))
    cur.execute("""
        INSERT INTO health.ae_site AS s (site_code, site_name, organisation_code, organisation_name, icb_code,
                                         site_type, geom, load_id)
        SELECT site_code, site, provider_code, provider, icb_code, site_type,
               ST_SetSRID(ST_MakePoint(easting, northing), 27700), %s
        FROM site_in
        ON CONFLICT (site_code) DO UPDATE SET site_name = EXCLUDED.site_name,
          organisation_code = EXCLUDED.organisation_code, organisation_name = EXCLUDED.organisation_name,
          icb_code = EXCLUDED.icb_code, site_type = EXCLUDED.site_type, geom = EXCLUDED.geom
        WHERE (s.site_name, s.organisation_code, s.site_type, s.geom)
              IS DISTINCT FROM (EXCLUDED.site_name, EXCLUDED.organisation_code, EXCLUDED.site_type,
                  EXCLUDED.geom)
        """, (load_id,))
    return cur.rowcount


def _clean_name(s: str) -> str:
    s = s.lower().replace("'", "").replace("’", "")
    s = re.sub(r"\bhosp\b\.?", "hospital", s)
    s = re.sub(r"\buni\b\.?", "university", s)
    s = re.sub(r"\bst\b\.?", "st", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"\b(nhs|foundation|trust|the|site|hq)\b", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def reconcile_sites(names: list[str],
                    sites: list[tuple[str, str]]) -> dict[str, tuple[str | None, float, str]]:
    """Free-text hospital names → (site code or None, score, reason) with rapidfuzz.

    A name is matched when its best WRatio score is at least MATCH_THRESHOLD and leads the next
    distinct site by MATCH_MARGIN; an exact ODS code is taken as it is.
    """
    from rapidfuzz import fuzz, process
    codes = {c.upper(): c for c, _ in sites}
    choices = {c: _clean_name(n) for c, n in sites}
    out = {}
    for name in names:
        if name is None:
            continue
        if name.strip().upper() in codes:
            out[name] = (codes[name.strip().upper()], 100.0, "site code")
            continue
        q = _clean_name(name)
        best = process.extract(q, choices, scorer=fuzz.WRatio, limit=3)
        if not best or best[0][1] < MATCH_THRESHOLD:
            out[name] = (None, best[0][1] if best else 0.0,
                         f"hospital name not recognised (best: {best[0][2]} at {best[0][1]:.0f})" if best
                         else "hospital name not recognised")
            continue
        top = best[0]
        rival = next((b for b in best[1:] if b[1] > top[1] - MATCH_MARGIN), None)
        if rival and top[1] < 100:
            out[name] = (None, top[1], f"hospital name ambiguous ({top[2]} or {rival[2]})")
            continue
        out[name] = (top[2], top[1], "name")
    return out


# --------------------------------------------------------------------------- the source
class IstvSource(CsvSource):
    """The extracts of one mapping (one hospital's layout)."""
    name = "istv"
    description = "A&E assault records, ISTV minimum dataset (CSV or Excel; per-hospital mappings)"
    target = "health.ae_assault, health.ae_site"

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.delimiter = mapping.delimiter
        self.encoding = mapping.encoding
        # Fields the mapping does not name never match a header (the marker is not a column name).
        self.columns = [Column(f, mapping.columns.get(f, f"\x00unmapped {f}"), required=f in mapping.columns)
                        for f in FIELDS]
        dtf, df = mapping.datetime_format, mapping.date_format
        # The patterns reach SQL as transaction settings set with bind parameters (see prepare()),
        # never spliced into the statement text.
        DTF = "current_setting('safestats.istv_datetime_format')"
        DF = "current_setting('safestats.istv_date_format')"
        self.checks = [
            Check("arrival_at", f"safestats_internal.try_local_timestamp(arrival_at, {DTF}) IS NOT NULL",
                  f"arrival date-time is not a date-time ({dtf})"),
            Check("assault_at", f"assault_at IS NULL OR "
                                f"safestats_internal.try_local_timestamp(assault_at, {DTF}) IS NOT NULL",
                  f"assault date-time is not a date-time ({dtf})"),
            Check("period_start", f"period_start IS NULL OR "
                                  f"safestats_internal.try_local_date(period_start, {DF}) IS NOT NULL",
                  f"reporting period start is not a date ({df})"),
            Check("period_end", f"period_end IS NULL OR safestats_internal.try_local_date(period_end, {DF}) "
                                "IS NOT NULL", f"reporting period end is not a date ({df})"),
            Check("period_end", f"period_end IS NULL OR period_start IS NULL OR "
                                f"safestats_internal.try_local_date(period_end, {DF}) >= "
                                f"safestats_internal.try_local_date(period_start, {DF})",
                  "reporting period ends before it starts"),
            Check("site", "length(coalesce(site, hospital, '')) <= 200",
                  "site code / hospital name too long (over 200 characters)"),
            Check("site", "_site_code IS NOT NULL OR length(coalesce(site, hospital, '')) > 200",
                  "no A&E site: the site code or hospital name is not recognised"),
            # docs/loaders.md: the location text is required ('not known' when it is)
            Check("location_text", "btrim(coalesce(location_text, '')) <> ''",
                  "no location text (required; write 'not known' when it is not known)"),
        ]

    def staging_columns(self) -> list[str]:
        return FIELDS + ["_site_code"]

    def rows(self, path, header, mapping, records):
        for line_no, problem, values in super().rows(path, header, mapping, records):
            yield line_no, problem, [*values, None]

    def open_table(self, ctx: LoadContext):
        if is_excel(ctx.path):
            ctx.meta["format"] = "xlsx"
            return excel_table(ctx.path, ctx.options.extra.get("sheet") or self.mapping.sheet)
        ctx.meta["format"] = "csv"
        return csv_table(self, ctx)

    def prepare(self, cur, ctx: LoadContext) -> None:
        m = self.mapping
        ctx.meta["mapping"] = m.name
        cur.execute("SELECT set_config('safestats.istv_datetime_format', %s, true), "
                    "set_config('safestats.istv_date_format', %s, true)", (m.datetime_format, m.date_format))
        ensure_sites(cur, ctx.load_id, ctx.options.extra.get("sites_file"))
        sites = cur.execute("SELECT site_code, site_name FROM health.ae_site ORDER BY site_code").fetchall()
        given = ctx.options.extra.get("site_code") or m.site_code
        if given:
            cur.execute("UPDATE stage SET _site_code = %s WHERE %s IN (SELECT site_code FROM health.ae_site)",
                        (given, given))
            return
        # (an over-long name is never matched: it is rejected by a check, not indexed here)
        names = [r[0] for r in cur.execute(
            "SELECT DISTINCT coalesce(site, hospital) FROM stage WHERE coalesce(site, hospital) IS NOT NULL "
            "AND length(coalesce(site, hospital)) <= 200")]
        matched = reconcile_sites(names, sites)
        cur.execute("CREATE TEMP TABLE site_match (given text PRIMARY KEY, site_code text, score real, "
                    "how text) ON COMMIT DROP")
        with cur.copy("COPY site_match FROM STDIN") as cp:
            for name, (code, score, how) in matched.items():
                cp.write_row((name, code, score, how))
        cur.execute("UPDATE stage s SET _site_code = m.site_code FROM site_match m "
                    "WHERE m.given = coalesce(s.site, s.hospital)")
        ctx.meta["hospital_names"] = {n: {"site_code": c, "score": round(s, 1), "how": h}
                                      for n, (c, s, h) in matched.items()}

    def write(self, cur, ctx: LoadContext) -> int:
        m = self.mapping
        p = {"dtf": m.datetime_format, "df": m.date_format, "load_id": ctx.load_id, "mapping": m.name,
             "ps": ctx.options.extra.get("period_start"), "pe": ctx.options.extra.get("period_end")}
        # Reporting period: the extract's columns, else --period-start/--period-end, else the
        # calendar months its arrivals span (per site).
        cur.execute("""
            CREATE TEMP TABLE ae_in ON COMMIT DROP AS
            SELECT s.line_no, s._site_code AS site_code,
                   coalesce(safestats_internal.try_local_date(s.period_start, %(df)s), %(ps)s::date)
                     AS period_start,
                   coalesce(safestats_internal.try_local_date(s.period_end, %(df)s), %(pe)s::date)
                     AS period_end,
                   safestats_internal.try_local_timestamp(s.arrival_at, %(dtf)s) AS arrival_at,
                   safestats_internal.try_local_timestamp(s.assault_at, %(dtf)s) AS assault_at,
                   s.assault_method, s.assault_method_other, s.location_type, s.location_text,
                   CASE WHEN s.site IS NULL OR upper(s.site) <> s._site_code THEN coalesce(s.site,
                       s.hospital) END
                     AS hospital_name_given
            FROM stage s""", p)
        cur.execute("""
            UPDATE ae_in a SET period_start = coalesce(a.period_start, r.ps), period_end =
                coalesce(a.period_end, r.pe)
            FROM (SELECT site_code,
                         date_trunc('month', min(arrival_at AT TIME ZONE 'Europe/London'))::date AS ps,
                         (date_trunc('month', max(arrival_at AT TIME ZONE 'Europe/London'))
                          + interval '1 month - 1 day')::date AS pe
                  FROM ae_in GROUP BY site_code) r
            WHERE r.site_code = a.site_code AND (a.period_start IS NULL OR a.period_end IS NULL)""")
        bad = cur.execute("SELECT min(line_no) FROM ae_in WHERE period_end < period_start").fetchone()[0]
        if bad:
            raise LoadRefused(f"{ctx.path}: line {bad}: the reporting period ends before it starts")
        # A resubmission replaces what the site sent for an overlapping period.
        cur.execute("""
            DELETE FROM health.ae_assault t
            USING (SELECT DISTINCT site_code, period_start, period_end FROM ae_in) k
            WHERE t.site_code = k.site_code
              AND daterange(t.period_start, t.period_end, '[]') && daterange(k.period_start, k.period_end,
                  '[]')
            RETURNING t.load_id""")
        gone = [r[0] for r in cur.fetchall()]
        ctx.meta["replaced_rows"] = len(gone)
        ctx.meta["replaced_loads"] = sorted(set(gone))   # provenance: those loads' rows are replaced
        cur.execute("""
            INSERT INTO health.ae_assault (load_id, source_line, site_code, organisation_code, period_start,
              period_end, arrival_at, assault_at, assault_method, assault_method_other, location_type,
              location_text, hospital_name_given, mapping)
            SELECT %(load_id)s, a.line_no, a.site_code, st.organisation_code, a.period_start, a.period_end,
                   a.arrival_at, a.assault_at, a.assault_method, a.assault_method_other, a.location_type,
                   a.location_text, a.hospital_name_given, %(mapping)s
            FROM ae_in a JOIN health.ae_site st ON st.site_code = a.site_code""", p)
        n = cur.rowcount
        ctx.meta["periods"] = [[s, a.isoformat(), b.isoformat()] for s, a, b in cur.execute(
            "SELECT DISTINCT site_code, period_start, period_end FROM ae_in ORDER BY 1, 2").fetchall()]
        geocode(cur, ctx)
        return n


def geocode(cur, ctx: LoadContext) -> None:
    """Geocode this load's location texts when safestats.geocode(text, text) exists, then assign areas."""
    have = cur.execute("SELECT to_regprocedure('safestats.geocode(text,text)') IS NOT NULL").fetchone()[0]
    if not have:
        ctx.meta["geocoded"] = "no: safestats.geocode(text, text) is not installed; geom left NULL"
        ctx.progress.note("safestats.geocode(text, text) is not installed: locations left ungeocoded "
                          "(load again with --force once the geocoder is installed)")
        return
    cur.execute("""
        CREATE TEMP TABLE geo ON COMMIT DROP AS
        SELECT d.location_text, d.site_code, g.*
        FROM (SELECT DISTINCT location_text, site_code FROM health.ae_assault
              WHERE load_id = %s AND location_text IS NOT NULL) d
        CROSS JOIN LATERAL (SELECT * FROM safestats.geocode(d.location_text, d.site_code)
                            ORDER BY confidence DESC NULLS LAST LIMIT 1) g""", (ctx.load_id,))
    cur.execute("""
        UPDATE health.ae_assault a SET geom = g.geom, geocode_confidence = g.confidence,
               geocode_radius_m = g.radius_m, geocode_level = g.level, geocode_matched = g.matched,
               geocode_ambiguous = g.ambiguous, geocode_version = coalesce(g.explain ->> 'version',
                   'safestats.geocode')
        FROM geo g
        WHERE a.load_id = %s AND g.location_text = a.location_text AND g.site_code = a.site_code""",
                (ctx.load_id,))
    areas.create_located(cur)
    cur.execute("INSERT INTO located_pts (line_no, geom) SELECT source_line, geom FROM health.ae_assault "
                "WHERE load_id = %s AND geom IS NOT NULL", (ctx.load_id,))
    areas.assign_areas(cur)
    cur.execute("""
        UPDATE health.ae_assault a SET lsoa21_code = p.lsoa21_code, ward22_code = p.ward22_code,
               borough_code = p.borough_code
        FROM located p WHERE a.load_id = %s AND a.source_line = p.line_no""", (ctx.load_id,))
    ctx.meta["geocoded"] = cur.execute("SELECT count(*) FROM health.ae_assault WHERE load_id = %s "
                                       "AND geom IS NOT NULL", (ctx.load_id,)).fetchone()[0]


class IstvExtracts(Source):
    """ISTV extracts of any hospital: each is loaded by the :class:`IstvSource` of the mapping that
    fits it (or ``--mapping``)."""
    name = "istv"
    target = "health.ae_assault, health.ae_site"

    def add_arguments(self, p) -> None:
        p.add_argument("--mapping", help="column mapping name (default: the one whose columns the header "
                                         "has)")
        p.add_argument("--site-code", help="ODS site code for an extract that names no site")
        p.add_argument("--period-start", help="reporting period start YYYY-MM-DD when the extract has none")
        p.add_argument("--period-end", help="reporting period end YYYY-MM-DD when the extract has none")
        p.add_argument("--sheet", help="Excel sheet name (default: the first)")
        p.add_argument("--sites-file", type=Path, help="UEC site list CSV (default: the shipped "
                       "data/gazetteer/london_uec_sites_istv.csv.gz)")

    def load(self, conn, path: Path, options: LoadOptions | None = None):
        """Load one ISTV extract with the mapping that fits it."""
        options = options or LoadOptions()
        path = Path(path)
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
        try:
            mapping = choose_mapping(path, options)
        except LoadRefused as e:
            # Record the refusal in provenance like any other refused file.
            refusal = e

            def refuse(ctx):
                raise refusal
            return run_load(conn, self.name, path, options, refuse)
        return IstvSource(mapping).load(conn, path, options)


SOURCE = IstvExtracts()
load = SOURCE.load      # (callers of the module-level function)
