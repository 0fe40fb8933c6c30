"""Boundary loader: any OGR vector format (GeoPackage, shapefile, GeoJSON, MapInfo, .gz) into
``ref.area`` for one level and vintage, reprojected to EPSG:27700 and repaired in PostGIS.

Loading is an upsert by code: a published file replaces derived (approximate) polygons it covers
and leaves the others, so a real 2022 ward file loads over the dissolved ones without code changes.
"""
from __future__ import annotations

import contextlib
import re
from pathlib import Path

from osgeo import ogr, osr

from .core import LoadContext, LoadOptions, LoadRefused, Source, run_load

ogr.UseExceptions()
osr.UseExceptions()

LEVEL_PREFIX = {"borough": "E09", "ward": "E05", "lsoa": "E01", "msoa": "E02"}
NAME_HINTS = ("name", "nm")


def _open(path: Path):
    p = str(path)
    if p.endswith(".gz"):
        p = "/vsigzip/" + p
    try:
        return ogr.Open(p)
    except RuntimeError as e:
        raise LoadRefused(f"{path}: not a vector file GDAL can read ({e})") from e


def _pick_fields(path: Path, layer, level: str, code_field, name_field, parent_field):
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    layer.ResetReading()
    first = layer.GetNextFeature()
    layer.ResetReading()
    if first is None:
        raise LoadRefused(f"{path}: the layer '{layer.GetName()}' has no features")
    values = {n: str(first.GetField(n) or "") for n in names}

    def code_like(prefix):
        return [n for n in names if re.fullmatch(prefix + r"\d{6}", values[n])]

    prefix = LEVEL_PREFIX[level]
    if code_field is None:
        cands = code_like(prefix)
        if not cands:
            raise LoadRefused(f"{path}: no field holds {level} codes ({prefix}……); fields are "
                              f"{', '.join(names)}. Name it with --code-field.")
        code_field = cands[0]
    if name_field is None:
        # (Trailing characters of "_proposed" are dropped one by one, as str.rstrip would.)
        cands = [n for n in names if n.lower() == "name"] + \
                [n for n in names if re.sub(r"[_proposed]+$", "", n.lower()).endswith(NAME_HINTS)
                 and n != code_field]
        cands = [n for n in cands if not re.fullmatch(r"E\d{8}", values[n])]
        name_field = cands[0] if cands else code_field
    if parent_field is None and level != "borough":
        cands = [n for n in code_like("E09") if n != code_field]
        parent_field = cands[0] if cands else None
    for f in (code_field, name_field, parent_field):
        if f is not None and f not in names:
            raise LoadRefused(f"{path}: no field '{f}'; fields are {', '.join(names)}")
    nest = None
    if level == "lsoa":   # LSOA files name their MSOA: keep the nesting as a lookup
        msoa = code_like("E02")
        if msoa:
            mname = next((n for n in names if n.upper() == msoa[0].upper().replace("CD", "NM")), None)
            nest = (msoa[0], mname)
    return code_field, name_field, parent_field, nest


def _source_srs_sql(path: Path, layer) -> tuple[str, object]:
    """SQL transform expression (over $wkb geometry) to EPSG:27700, and its parameter."""
    srs = layer.GetSpatialRef()
    if srs is None:
        if str(path).lower().rstrip(".gz").endswith((".geojson", ".json")):
            return "ST_Transform(ST_SetSRID(g, 4326), 27700)", None     # RFC 7946 default
        raise LoadRefused(f"{path}: the layer has no coordinate reference system; "
                          "add one (e.g. a .prj file) before loading")
    with contextlib.suppress(RuntimeError):
        srs.AutoIdentifyEPSG()
    auth, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
    if auth == "EPSG" and code:
        code = int(code)
        if code == 27700:
            return "ST_SetSRID(g, 27700)", None
        return f"ST_Transform(ST_SetSRID(g, {code}), 27700)", None
    return "ST_Transform(g, %(proj)s, 27700)", srs.ExportToProj4()


class BoundarySource(Source):
    """Boundary files (vector, read with OGR) of one level and vintage into ``ref.area``."""
    name = "boundaries"
    target = "ref.area (and ref.area_name, ref.area_lookup for LSOA files' MSOA nesting)"

    def add_arguments(self, p) -> None:
        p.add_argument("--level", required=True, choices=sorted(LEVEL_PREFIX), help="area level")
        p.add_argument("--vintage", required=True, type=int, help="boundary year, e.g. 2018")
        p.add_argument("--layer", help="layer name (default: the first layer)")
        p.add_argument("--code-field", help="field holding the GSS code (default: detected from values)")
        p.add_argument("--name-field", help="field holding the name (default: detected)")
        p.add_argument("--parent-field", help="field holding the borough code (default: detected)")

    def load(self, conn, path: Path, options: LoadOptions | None = None):
        """Load one boundary file; options.extra: level, vintage, and optional layer, code_field,
        name_field, parent_field."""
        options = options or LoadOptions()
        ex = options.extra
        level, vintage = ex["level"], int(ex["vintage"])
        if level not in LEVEL_PREFIX:
            raise LoadRefused(f"unknown level '{level}': use one of {', '.join(LEVEL_PREFIX)}")

        def body(ctx: LoadContext):
            ds = _open(ctx.path)
            if ds is None:
                raise LoadRefused(f"{ctx.path}: not a vector file GDAL can read")
            layer = ds.GetLayerByName(ex["layer"]) if ex.get("layer") else ds.GetLayer(0)
            if layer is None:
                raise LoadRefused(f"{ctx.path}: no layer '{ex.get('layer')}'")
            code_f, name_f, parent_f, nest = _pick_fields(ctx.path, layer, level, ex.get("code_field"),
                                                          ex.get("name_field"), ex.get("parent_field"))
            transform, proj = _source_srs_sql(ctx.path, layer)
            ctx.meta.update(level=level, vintage=vintage, layer=layer.GetName(), code_field=code_f,
                            name_field=name_f, parent_field=parent_f)
            cur = ctx.conn.cursor()
            cur.execute("CREATE TEMP TABLE stage_area (line_no int, code text, name text, parent text, "
                        "nest_code text, nest_name text, wkb bytea) ON COMMIT DROP")
            n = 0
            with cur.copy("COPY stage_area FROM STDIN") as cp:
                for feat in layer:
                    n += 1
                    g = feat.GetGeometryRef()
                    cp.write_row((n, feat.GetField(code_f), feat.GetField(name_f),
                                  feat.GetField(parent_f) if parent_f else None,
                                  feat.GetField(nest[0]) if nest else None,
                                  feat.GetField(nest[1]) if nest and nest[1] else None,
                                  bytes(g.ExportToIsoWkb()) if g is not None else None))
                    ctx.progress.step()
            rejects = cur.execute(
                "SELECT line_no, 'geometry', NULL, 'feature has no geometry' FROM stage_area WHERE wkb IS "
                "NULL "
                "UNION ALL SELECT line_no, 'code', code, 'not a ' || %(level)s || ' code' FROM stage_area "
                "WHERE wkb IS NOT NULL AND (code IS NULL OR code !~ ('^' || %(prefix)s || '[0-9]{6}$')) "
                "ORDER BY 1", {"level": level, "prefix": LEVEL_PREFIX[level]}).fetchall()
            params = {"level": level, "vintage": vintage, "load_id": ctx.load_id, "proj": proj,
                      "prefix": LEVEL_PREFIX[level]}
            # Repair in PostGIS: ST_MakeValid, keep polygons only, always MultiPolygon.
            cur.execute(f"""
                CREATE TEMP TABLE stage_geom ON COMMIT DROP AS
                SELECT code, name, parent, g AS raw,
                       ST_Multi(ST_CollectionExtract(ST_MakeValid({transform}), 3)) AS geom
                FROM (SELECT code, name, parent, ST_GeomFromWKB(wkb) AS g FROM stage_area
                      WHERE wkb IS NOT NULL AND code ~ ('^' || %(prefix)s || '[0-9]{{6}}$')) s""", params)
            repaired = cur.execute("SELECT count(*) FROM stage_geom WHERE NOT ST_IsValid(raw)").fetchone()[0]
            dup = cur.execute("SELECT code FROM stage_geom GROUP BY code HAVING count(*) > 1").fetchall()
            if dup:
                raise LoadRefused(f"{ctx.path}: code(s) appear more than once: "
                                  f"{', '.join(d[0] for d in dup[:10])}")
            cur.execute("""
                INSERT INTO ref.area AS a (level, vintage, code, name, parent_code, approximate, derivation,
                                           load_id, geom)
                SELECT %(level)s, %(vintage)s, code, coalesce(name, code), parent, false, NULL, %(load_id)s,
                    geom
                FROM stage_geom WHERE NOT ST_IsEmpty(geom)
                ON CONFLICT (level, vintage, code) DO UPDATE
                  SET name = EXCLUDED.name, parent_code = coalesce(EXCLUDED.parent_code, a.parent_code),
                      approximate = false, derivation = NULL, load_id = EXCLUDED.load_id, geom = EXCLUDED.geom
                """, params)
            loaded = cur.rowcount
            if level != "borough":
                # No parent field (e.g. a single borough's ward file): the lookup's borough, else the
                # borough under the area's interior point.
                cur.execute("""
                    UPDATE ref.area a SET parent_code = coalesce(
                        (SELECT n.parent_code FROM ref.area_name n WHERE n.level = a.level
                           AND n.vintage = a.vintage AND n.code = a.code),
                        (SELECT b.code FROM ref.area b WHERE b.level = 'borough'
                           AND ST_Intersects(b.geom, ST_PointOnSurface(a.geom)) ORDER BY b.vintage DESC
                               LIMIT 1))
                    WHERE a.level = %(level)s AND a.vintage = %(vintage)s AND a.load_id = %(load_id)s
                      AND a.parent_code IS NULL""", params)
            if nest:
                cur.execute("""
                    INSERT INTO ref.area_name (level, vintage, code, name, parent_code, load_id)
                    SELECT DISTINCT ON (nest_code) 'msoa', %(vintage)s, nest_code, coalesce(nest_name,
                        nest_code),
                           parent, %(load_id)s
                    FROM stage_area WHERE nest_code IS NOT NULL
                    ON CONFLICT (level, vintage, code) DO UPDATE SET name = EXCLUDED.name,
                      parent_code = EXCLUDED.parent_code, load_id = EXCLUDED.load_id""", params)
                cur.execute("""
                    INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage,
                                                 to_code, weight, method, load_id)
                    SELECT 'lsoa', %(vintage)s, code, 'msoa', %(vintage)s, nest_code, 1, 'attribute',
                        %(load_id)s
                    FROM stage_area WHERE nest_code IS NOT NULL AND code IS NOT NULL
                    ON CONFLICT DO NOTHING""", params)
                cur.execute("SELECT safestats_internal.dissolve_areas("
                            "'lsoa', %(vintage)s, 'msoa', %(vintage)s, "
                            "'dissolved from LSOA ' || %(vintage)s || ' (nesting attribute)')", params)
            cur.execute("SELECT safestats_internal.refresh_area_parts(%(level)s, %(vintage)s)", params)
            ctx.meta["repaired"] = repaired
            if repaired:
                ctx.progress.note(f"repaired {repaired} invalid polygon(s) with ST_MakeValid")
            return n, loaded, len(rejects), rejects

        return run_load(conn, self.name, Path(path), options, body)


SOURCE = BoundarySource()
load = SOURCE.load      # (callers of the module-level function)
