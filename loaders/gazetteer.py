"""Gazetteer files for the free-text location geocoder. The file kind is recognised by its header:
Code-Point Open postcodes, FSA food-hygiene premises, OSM pubs, TfL stations (2018 and curated 2022),
NaPTAN rail stations, NHS Choices hospitals (London CSV or the England-wide ¬-delimited original),
London urgent and emergency care sites (which also fill health.ae_site when it is empty), TfL bus stops,
OSM street centres, and Historic England registered parks (GeoJSON, read with OGR).

Each file replaces the rows its kind loaded before (reloading never duplicates), then the unified name
table gazetteer.feature is rebuilt (streets, junction points, sectors, districts, areas) in the same
transaction. Files whose licence is unverified (2013_police_counters.csv) are refused.
"""
from __future__ import annotations

import csv
import dataclasses
import sys
from pathlib import Path

from osgeo import ogr

from . import session
from .core import (
    Check,
    Column,
    CsvSource,
    LoadContext,
    LoadOptions,
    LoadRefused,
    Source,
    normalise_header,
    open_text,
    run_load,
)

ogr.UseExceptions()

OGL = "OGL v3"
ODBL = "ODbL 1.0 (c) OpenStreetMap contributors"
TFL = "TfL Open Data (Powered by TfL Open Data; OGL-based terms)"
# A generous London box (EPSG:27700): national files are cut to it.
LONDON_BOX = "ST_MakeEnvelope(498000, 150000, 566000, 206000, 27700)"
EN_POINT = ("ST_SetSRID(ST_MakePoint(safestats_internal.try_numeric({e})::float8, "
            "safestats_internal.try_numeric({n})::float8), 27700)")
LL_POINT = ("ST_Transform(ST_SetSRID(ST_MakePoint(safestats_internal.try_numeric({lon})::float8, "
            "safestats_internal.try_numeric({lat})::float8), 4326), 27700)")


def feature_select(kind: str, point: str, name: str = "name", key: str = "id", street: str = "NULL",
                   postcode: str = "NULL", extra: str = "'{}'::jsonb", where: str = "") -> str:
    """The SELECT over ``stage`` that turns a source's rows into gazetteer.source_feature columns
    (source_key, kind, name, street, postcode, geom, extra); each argument is an SQL expression."""
    sql = (f"SELECT {key} AS source_key, '{kind}' AS kind, {name} AS name, {street} AS street, "
           f"{postcode} AS postcode, {point} AS geom, {extra} AS extra FROM stage")
    return f"{sql} WHERE {where}" if where else sql


def _num_check(col: str) -> Check:
    return Check(col, f"{col} IS NULL OR safestats_internal.try_numeric({col}) IS NOT NULL", "not a number")


class GazetteerCsv(CsvSource):
    """One gazetteer CSV kind: ``kind_name`` (stored as source_feature.source), a SELECT over stage
    giving (source_key, kind, name, street, postcode, geom, extra) and the licence."""
    name = "gazetteer"
    kind_name = ""
    licence = OGL
    select_sql = ""
    signature: tuple[str, ...] = ()      # normalised header names that identify the kind
    # Why select_sql's own WHERE leaves a row out: an SQL expression over stage giving the reason
    # (text) or NULL; rows it leaves out for no reason given here count as "not a <kind> row".
    skip_reason_sql = "NULL::text"

    def skip_reasons(self, cur, inserted: int) -> dict:
        """Rows of stage not inserted, counted by reason: the kind's own filter (skip_reason_sql),
        no coordinates, no name, outside London, the same id twice."""
        box = LONDON_BOX
        rows = cur.execute(f"""
            WITH s AS ({self.select_sql}),
            kept AS (SELECT count(*) AS n,
                            count(*) FILTER (WHERE geom IS NULL) AS no_point,
                            count(*) FILTER (WHERE geom IS NOT NULL AND (name IS NULL OR btrim(name) = ''))
                              AS no_name,
                            count(*) FILTER (WHERE geom IS NOT NULL AND name IS NOT NULL AND btrim(name) <> ''
                                             AND NOT ST_Intersects(geom, {box})) AS outside
                     FROM s)
            SELECT (SELECT count(*) FROM stage), n, no_point, no_name, outside FROM kept""").fetchone()
        staged, kept, no_point, no_name, outside = rows
        reasons = {r[0]: r[1] for r in cur.execute(
            f"SELECT reason, count(*) FROM (SELECT {self.skip_reason_sql} AS reason FROM stage) x "
            "WHERE reason IS NOT NULL GROUP BY 1").fetchall()}
        other = (staged - kept) - sum(reasons.values())
        if other > 0:
            reasons[f"not a {self.kind_name} row (the kind's filter)"] = other
        reasons["no coordinates"] = reasons.get("no coordinates", 0) + no_point
        reasons["no name"] = no_name
        reasons["outside London"] = reasons.get("outside London", 0) + outside
        reasons["the same id as an earlier row (the first is kept)"] = (
            kept - no_point - no_name - outside - inserted)
        return {k: v for k, v in reasons.items() if v > 0}

    def write(self, cur, ctx: LoadContext) -> int:
        cur.execute("DELETE FROM gazetteer.source_feature WHERE source = %s", (self.kind_name,))
        cur.execute(
            "INSERT INTO gazetteer.source_feature (source, source_key, kind, name, street, postcode, geom, "
            "extra, licence, load_id) "
            "SELECT DISTINCT ON (source_key) %(src)s, source_key, kind, name, street, postcode, geom, "
            "extra, "
            f"%(lic)s, %(load)s FROM ({self.select_sql}) s "
            "WHERE geom IS NOT NULL AND name IS NOT NULL AND btrim(name) <> '' "
            f"AND ST_Intersects(geom, {LONDON_BOX}) ORDER BY source_key",
            {"src": self.kind_name, "lic": self.licence, "load": ctx.load_id})
        n = cur.rowcount
        ctx.meta["kind"] = self.kind_name
        ctx.meta["features"] = n
        ctx.meta["skipped"] = self.skip_reasons(cur, n)
        after_write(cur, ctx)
        return n


class Fsa(GazetteerCsv):
    kind_name = "fsa"
    description = "FSA food hygiene premises (venues)"
    signature = ("fhrsid", "businessname")
    columns = [Column("id", "FHRSID"), Column("name", "BusinessName"), Column("btype", "BusinessType"),
               Column("a1", "AddressLine1"), Column("a2", "AddressLine2"), Column("a3", "AddressLine3"),
               Column("pc", "PostCode"), Column("lon", "Longitude"), Column("lat", "Latitude")]
    checks = [Check("id", "id ~ '^[0-9]+$'", "FHRSID is not a number"), _num_check("lon"), _num_check("lat")]
    # The street is the first address line that is not just a unit / building name: drop a leading
    # house number ("7 - 9 Wellington Street", "Unit 3, 180 High Road").
    select_sql = feature_select(
        "venue", LL_POINT.format(lon="lon", lat="lat"), name="replace(name, '\\&', '&')",
        street=("(SELECT btrim(regexp_replace(x, '^.*[0-9][a-zA-Z]?\\s*[-,]?\\s+', '')) "
                "FROM unnest(ARRAY[a1, a2, a3]) WITH ORDINALITY u(x, i) "
                "WHERE x ~* '\\m(street|st|road|rd|lane|avenue|ave|way|hill|place|square|grove|gardens|"
                "parade|broadway|terrace|row|walk|green|rise|crescent|close|drive|market|highway|mews|"
                "yard|wharf|bridge|parkway|vale)\\.?\\s*$' ORDER BY i LIMIT 1)"),
        postcode="upper(pc)", extra="jsonb_build_object('business_type', btype)",
        where="safestats_internal.try_numeric(lat) BETWEEN 51 AND 52")
    skip_reason_sql = ("CASE WHEN lat IS NULL OR lon IS NULL OR btrim(lat) = '' OR btrim(lon) = '' "
                       "THEN 'no coordinates' WHEN NOT safestats_internal.try_numeric(lat) BETWEEN 51 AND 52 "
                       "THEN 'outside London' END")


class OsmPubs(GazetteerCsv):
    kind_name = "osm_pubs"
    licence = ODBL
    description = "OpenStreetMap pubs (ODbL)"
    signature = ("osm node id", "normalized name")
    columns = [Column("name", "name"), Column("id", "osm_node_id"), Column("lat", "latitude"),
               Column("lon", "longitude")]
    checks = [_num_check("lon"), _num_check("lat")]
    select_sql = feature_select("pub", LL_POINT.format(lon="lon", lat="lat"))


class TflStations(GazetteerCsv):
    kind_name = "tfl_stations_2018"
    licence = TFL
    description = "TfL stations (Underground, Overground, DLR, Tram, TfL Rail)"
    signature = ("fid", "objectid", "name", "easting", "northing", "network")
    columns = [Column("id", "OBJECTID"), Column("name", "NAME"), Column("e", "EASTING"),
               Column("n", "NORTHING"), Column("network", "NETWORK"), Column("lines", "LINES")]
    checks = [_num_check("e"), _num_check("n")]
    select_sql = feature_select("station", EN_POINT.format(e="e", n="n"),
                                extra="jsonb_build_object('network', network, 'lines', lines)")


class TflStationsCurated(TflStations):
    kind_name = "tfl_stations_2022"
    description = "TfL stations, curated 2022 list"
    signature = ("nlc", "name", "easting", "northing")
    columns = [Column("id", "NLC"), Column("name", "NAME"), Column("e", "EASTING"),
               Column("n", "NORTHING"), Column("network", "NETWORK"), Column("lines", "LINES")]
    licence = "TfL-derived, curated (\"use as you please\")"


class NaptanRail(GazetteerCsv):
    kind_name = "naptan_rail"
    description = "NaPTAN rail stations (cut to London)"
    signature = ("atcocode", "stationname")
    columns = [Column("id", "AtcoCode"), Column("name", "StationName"), Column("e", "Easting"),
               Column("n", "Northing")]
    checks = [_num_check("e"), _num_check("n")]
    select_sql = feature_select(
        "station", EN_POINT.format(e="e", n="n"),
        name="btrim(regexp_replace(name, '\\s*(Rail Station|Station)\\s*$', ''))")


class Hospitals(GazetteerCsv):
    kind_name = "nhs_hospitals"
    description = "NHS Choices hospitals"
    signature = ("organisationcode", "organisationname", "latitude", "longitude")
    columns = [Column("id", "OrganisationCode"), Column("name", "OrganisationName"),
               Column("a1", "Address1"), Column("pc", "Postcode"), Column("lat", "Latitude"),
               Column("lon", "Longitude"), Column("sector", "Sector")]
    checks = [_num_check("lon"), _num_check("lat")]
    select_sql = feature_select("hospital", LL_POINT.format(lon="lon", lat="lat"), street="a1",
                                postcode="upper(pc)", extra="jsonb_build_object('sector', sector)",
                                where="safestats_internal.try_numeric(lat) BETWEEN 49 AND 61")
    skip_reason_sql = ("CASE WHEN safestats_internal.try_numeric(lat) IS NULL THEN 'no coordinates' "
                       "WHEN NOT safestats_internal.try_numeric(lat) BETWEEN 49 AND 61 "
                       "THEN 'coordinates outside Great Britain' END")


class HospitalsEngland(Hospitals):
    """The original NHS Choices file: ¬-delimited, ISO-8859-1."""
    delimiter = "\u00ac"
    kind_name = "nhs_hospitals_england"
    description = "NHS Choices hospitals, England-wide original (cut to London)"


class UecSites(GazetteerCsv):
    kind_name = "uec_sites"
    licence = "NHS ODS, OGL v3"
    description = "London urgent and emergency care sites (A&E)"
    signature = ("site code", "site", "easting", "northing")
    columns = [Column("icb", "icb_code"), Column("org", "provider_code"), Column("org_name", "provider"),
               Column("id", "site_code"), Column("name", "site"), Column("e", "easting"),
               Column("n", "northing")]
    checks = [_num_check("e"), _num_check("n"), Check("id", "id ~ '^[A-Z0-9]{3,8}$'", "not an ODS site code")]
    select_sql = feature_select(
        "ae_site", EN_POINT.format(e="e", n="n"),
        name="btrim(regexp_replace(name, '\\s*\\(.*$|-[A-Z][0-9]+$', ''))",
        extra="jsonb_build_object('organisation_code', org, 'organisation', org_name, 'icb_code', icb)")


class BusStops(GazetteerCsv):
    kind_name = "tfl_bus_stops"
    licence = TFL
    description = "TfL bus stops (streets, junctions 'A / B', landmarks)"
    signature = ("stop code lbsl", "stop name")
    columns = [Column("id", "Stop_Code_LBSL"), Column("name", "Stop_Name"), Column("e", "Location_Easting"),
               Column("n", "Location_Northing"), Column("virtual", "Virtual_Bus_Stop")]
    checks = [_num_check("e"), _num_check("n")]
    # Timing points (virtual stops) are not places; the <> and # interchange marks are dropped.
    select_sql = feature_select(
        "bus_stop", EN_POINT.format(e="e", n="n"),
        name="btrim(regexp_replace(name, '\\s*(<>|#|\\[[^]]*\\])\\s*', ' ', 'g'))",
        where="coalesce(virtual, '0') = '0'")
    skip_reason_sql = ("CASE WHEN coalesce(virtual, '0') <> '0' "
                       "THEN 'virtual stop (a timing point, not a place)' END")


class OsmStreets(GazetteerCsv):
    kind_name = "osm_streets"
    licence = ODBL
    description = "OpenStreetMap street centre points, south-east London (ODbL)"
    signature = ("area bucket", "name", "highway")
    columns = [Column("bucket", "area_bucket"), Column("name", "name"), Column("highway", "highway"),
               Column("lat", "latitude"), Column("lon", "longitude")]
    checks = [_num_check("lon"), _num_check("lat")]
    # No id in the file: the line number is the key (a changed file replaces the whole kind anyway).
    select_sql = feature_select(
        "street_point", LL_POINT.format(lon="lon", lat="lat"), key="line_no::text", street="name",
        extra="jsonb_build_object('highway', highway)",
        where="highway NOT IN ('footway', 'cycleway', 'track', 'service', 'highway')")
    skip_reason_sql = ("CASE WHEN highway IN ('footway', 'cycleway', 'track', 'service', 'highway') "
                       "THEN 'highway=' || highway || ': not a street people name as a place' END")


class CodePoint(CsvSource):
    name = "gazetteer"
    kind_name = "codepoint"
    description = "OS Code-Point Open postcodes"
    signature = ("postcode", "eastings", "northings")
    columns = [Column("pc", "Postcode"), Column("q", "Positional_quality_indicator"),
               Column("e", "Eastings"), Column("n", "Northings"), Column("la", "Admin_district_code")]
    # Code-Point pads the outward code to 4 characters: "E1  0AA" has two spaces.
    checks = [Check("pc", "upper(pc) ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? *[0-9][A-Z]{2}$'", "not a full postcode"),
              _num_check("e"), _num_check("n")]

    def write(self, cur, ctx: LoadContext) -> int:
        cur.execute("DELETE FROM gazetteer.postcode")
        cur.execute(
            "INSERT INTO gazetteer.postcode (postcode, display, sector, district, quality, borough_code, "
            "geom, "
            "load_id) SELECT DISTINCT ON (c) c, left(c, length(c) - 3) || ' ' || right(c, 3), "
            "left(c, length(c) - 3) || ' ' || left(right(c, 3), 1), left(c, length(c) - 3), "
            "safestats_internal.try_numeric(q)::smallint, la, " + EN_POINT.format(e="e", n="n") + ", %s "
            "FROM (SELECT upper(replace(pc, ' ', '')) AS c, * FROM stage) s "
            "WHERE safestats_internal.try_numeric(e) > 0 ORDER BY c, q",
            (ctx.load_id,))
        n = cur.rowcount
        ctx.meta.update(kind=self.kind_name, postcodes=n)
        staged, no_point = cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE coalesce(safestats_internal.try_numeric(e), 0) <= 0) "
            "FROM stage").fetchone()
        ctx.meta["skipped"] = {k: v for k, v in {
            "no coordinates (a postcode without a grid reference)": no_point,
            "the same postcode as an earlier row (the best quality is kept)": staged - no_point - n}.items()
            if v > 0}
        after_write(cur, ctx)
        return n


CSV_KINDS: list[CsvSource] = [CodePoint(), Fsa(), OsmPubs(), TflStations(), TflStationsCurated(),
                              NaptanRail(), Hospitals(), UecSites(), BusStops(), OsmStreets()]
REFUSED = {("name", "local authority", "longitude", "latitude", "status"):
           "MPS police front counters 2013: its licence is not stated by the source (SOURCES.md marks it "
           "unverified), so it is not loaded into the gazetteer"}


def after_write(cur, ctx: LoadContext) -> None:
    """Rebuild the unified name table (unless the caller defers it, e.g. when loading many files)."""
    if ctx.options.extra.get("no_rebuild"):
        return
    ctx.progress.note("rebuilding the unified name table")
    counts = cur.execute("SELECT safestats_internal.gazetteer_rebuild()").fetchone()[0]
    ctx.meta["rebuild"] = counts


def _read_header(path: Path, options: LoadOptions) -> tuple[list[str], str]:
    stream, enc = open_text(path, options.encoding)
    with stream:
        first = stream.readline()
    delim = "\u00ac" if "\u00ac" in first else ","
    return [normalise_header(h) for h in next(csv.reader([first], delimiter=delim), [])], delim


def detect(path: Path, options: LoadOptions) -> CsvSource | None:
    """The gazetteer kind of a delimited file, from its header (None for vector files)."""
    name = str(path).lower()
    if name.endswith((".geojson", ".geojson.gz", ".gpkg", ".shp", ".json")):
        return None
    header, delim = _read_header(path, options)
    for sig, why in REFUSED.items():
        if all(h in header for h in sig) and len(header) <= 8:
            raise LoadRefused(f"{path}: {why}")
    for kind in sorted(CSV_KINDS, key=lambda k: -len(k.signature)):
        if all(normalise_header(s) in header for s in kind.signature):
            if isinstance(kind, Hospitals) and delim != ",":
                return HospitalsEngland()
            return kind
    raise LoadRefused(f"{path}: line 1: not a gazetteer file kind this loader knows. Known kinds: "
                      + "; ".join(k.description for k in CSV_KINDS) + ", registered parks (GeoJSON)."
                      f"\n    found header: {', '.join(header)}")


class GazetteerFiles(Source):
    """Gazetteer files of any known kind: a delimited file is loaded by the kind its header names
    (:func:`detect`), a vector file as registered parks."""
    name = "gazetteer"
    target = "gazetteer.source_feature, gazetteer.postcode (then gazetteer.feature is rebuilt)"

    def add_arguments(self, p) -> None:
        p.add_argument("--no-rebuild", action="store_true",
                       help="do not rebuild gazetteer.feature (by default it is rebuilt once: after the "
                            "file, or after the last of several files; run "
                            "`SELECT safestats_internal.gazetteer_rebuild()` yourself afterwards)")

    def batch_options(self, options: LoadOptions, n_files: int) -> LoadOptions:
        # Several files in one command: one rebuild at the end (after_batch), not one per file.
        if n_files < 2 or options.extra.get("no_rebuild"):
            return options
        return dataclasses.replace(options, extra={**options.extra, "no_rebuild": True,
                                                   "rebuild_after_batch": True})

    def after_batch(self, conn, results, options: LoadOptions) -> None:
        if not options.extra.get("rebuild_after_batch") or not any(r.status == "loaded" for r in results):
            return
        if not options.quiet:
            print("  gazetteer: rebuilding the unified name table once for all files", file=sys.stderr,
                  flush=True)
        with conn.transaction():
            session.tune(conn)
            conn.execute("SELECT safestats_internal.gazetteer_rebuild()")

    def load(self, conn, path: Path, options: LoadOptions | None = None):
        """Load one gazetteer file of any known kind (see the module docstring)."""
        options = options or LoadOptions()
        kind = detect(Path(path), options)
        if kind is None:
            return run_load(conn, self.name, Path(path), options, _load_parks)
        return kind.load(conn, path, options)


SOURCE = GazetteerFiles()
load = SOURCE.load      # (callers of the module-level function, e.g. load_folder below)


def _load_parks(ctx: LoadContext):
    """Registered parks (any OGR polygon layer with a Name field) as park features with polygons."""
    p = str(ctx.path)
    try:
        ds = ogr.Open("/vsigzip/" + p if p.endswith(".gz") else p)
    except RuntimeError as e:
        raise LoadRefused(f"{ctx.path}: not a vector file GDAL can read ({e})") from e
    layer = ds.GetLayer(0)
    defn = layer.GetLayerDefn()
    fields = {defn.GetFieldDefn(i).GetName().lower(): defn.GetFieldDefn(i).GetName()
              for i in range(defn.GetFieldCount())}
    if "name" not in fields:
        raise LoadRefused(f"{ctx.path}: the layer has no Name field (fields: {', '.join(fields.values())})")
    srs = layer.GetSpatialRef()
    epsg = int(srs.GetAuthorityCode(None)) if srs is not None and srs.GetAuthorityCode(None) else 4326
    key_field = fields.get("listentry")
    cur = ctx.conn.cursor()
    cur.execute("CREATE TEMP TABLE stage_park (line_no int, key text, name text, wkb bytea) ON COMMIT DROP")
    n = 0
    with cur.copy("COPY stage_park FROM STDIN") as cp:
        for i, f in enumerate(layer, start=1):
            g = f.GetGeometryRef()
            name = f.GetField(fields["name"])
            key = str(f.GetField(key_field)) if key_field else str(i)
            cp.write_row((i, key, name, bytes(g.ExportToWkb()) if g is not None else None))
            n += 1
            ctx.progress.step()
    if n == 0:
        raise LoadRefused(f"{ctx.path}: the layer has no features")
    rejects = [(r[0], "geometry", None, "no polygon") for r in cur.execute(
        "SELECT line_no FROM stage_park WHERE wkb IS NULL OR name IS NULL").fetchall()]
    cur.execute("DELETE FROM gazetteer.source_feature WHERE source = 'parks'")
    cur.execute(
        "INSERT INTO gazetteer.source_feature (source, source_key, kind, name, geom, radius_m, area_geom, "
        "licence, load_id) SELECT DISTINCT ON (key) 'parks', key, 'park', initcap(name), "
        "ST_PointOnSurface(g), sqrt(ST_Area(g) / pi()), g, 'Historic England, OGL v3', %s FROM ("
        "  SELECT key, name, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_SetSRID("
        "    ST_GeomFromWKB(wkb), %s), 27700)), 3)) AS g FROM stage_park WHERE wkb IS NOT NULL AND name IS "
        "NOT NULL"
        ") s WHERE ST_Intersects(ST_PointOnSurface(g), " + LONDON_BOX + ") ORDER BY key",
        (ctx.load_id, epsg))
    loaded = cur.rowcount
    # Every read row accounted for: rejected (no polygon or no name), outside London, or a repeat
    # of an earlier row's list entry.
    outside = cur.execute(
        "SELECT count(*) FROM stage_park WHERE wkb IS NOT NULL AND name IS NOT NULL AND NOT ST_Intersects("
        "ST_PointOnSurface(ST_MakeValid(ST_Transform(ST_SetSRID(ST_GeomFromWKB(wkb), %s), 27700))), "
        + LONDON_BOX + ")", (epsg,)).fetchone()[0]
    skipped = {"outside London": outside,
               "the same id as an earlier row (the first is kept)": n - len(rejects) - outside - loaded}
    ctx.meta.update(kind="parks", features=loaded, skipped={k: v for k, v in skipped.items() if v > 0})
    after_write(cur, ctx)
    return n, loaded, len(rejects), rejects


def load_folder(conn, folder: Path) -> None:
    """Load every gazetteer file of ``folder`` (one transaction each), then rebuild the name table once.

    Notes (``*.md``, ``*.txt``), the shipped confidence calibration (``geocode_calibration*``, loaded by
    safestats.geocoding.calibration) and the refused police counters file are passed over; a file
    this loader refuses is reported and skipped."""
    from .core import LoadError
    opts = LoadOptions(quiet=True, extra={"no_rebuild": True})
    for f in sorted(Path(folder).iterdir()):
        if f.suffix in (".md", ".txt") or f.name.startswith(("geocode_calibration", "2013_police_counters")):
            continue
        try:
            print(load(conn, f, opts).line(), file=sys.stderr)
        except LoadError as e:
            print(f"skipped: {e}", file=sys.stderr)
    print("rebuilding the gazetteer name table …", file=sys.stderr)
    conn.execute("SELECT safestats_internal.gazetteer_rebuild()")
