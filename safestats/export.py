"""Published aggregates for partners, as GeoPackage (GDAL/OGR) or CSV (``safestats export``).

Only relations in schema ``open`` can be exported: they are the disclosure-controlled tables
(every figure has been through open.protect_table). Each export is written to the audit log."""
from __future__ import annotations

import csv
from pathlib import Path

from psycopg import sql


class ExportError(ValueError):
    pass


def published_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'open' AND c.relkind IN ('v', 'm') ORDER BY 1")]


def export(conn, table: str, out: Path, fmt: str | None = None) -> int:
    """Write ``open.<table>`` to ``out`` (format from --format or the file suffix). Returns rows written."""
    tables = published_tables(conn)
    if table.startswith("open."):
        table = table[len("open."):]
    if table not in tables:
        raise ExportError(f"{table!r} is not a published table; "
                          f"choose one of: {', '.join(tables) or '(none)'}")
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in ("gpkg", "csv"):
        raise ExportError(f"unknown format {fmt!r}: use --format gpkg or csv (or a .gpkg / .csv file name)")
    rel = sql.Identifier("open", table)
    query = sql.SQL("SELECT * FROM {}").format(rel)
    with conn.transaction():
        # One snapshot for the export and its count.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        n = _write_csv(conn, query, out) if fmt == "csv" else _write_gpkg(conn, table, out)
        # the audit counts the rows itself, in this snapshot (db/functions/400_access.sql)
        conn.execute("SELECT audit.record_export(%s, %s, %s)", (f"open.{table}", fmt, out.name[:200]))
    return n


def _write_csv(conn, query, out: Path) -> int:
    n = 0
    with conn.cursor() as cur, open(out, "w", newline="", encoding="utf-8") as f:
        cur.execute(query)
        cols = [d.name for d in cur.description]
        geom = [i for i, d in enumerate(cur.description) if d.name == "geom"]
        w = csv.writer(f)
        w.writerow([c for i, c in enumerate(cols) if i not in geom])
        for row in cur:
            w.writerow([v for i, v in enumerate(row) if i not in geom])
            n += 1
    return n


def _conninfo_quote(value) -> str:
    """A value quoted for a libpq conninfo string."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _write_gpkg(conn, table: str, out: Path) -> int:
    from osgeo import gdal, ogr
    from psycopg.conninfo import conninfo_to_dict

    gdal.UseExceptions()
    params = conninfo_to_dict(conn.info.dsn)
    dsn = "PG:" + " ".join(f"{k}={_conninfo_quote(v)}" for k, v in params.items()
                           if k in ("host", "port", "dbname", "user"))
    if out.exists():
        out.unlink()
    # The layer by name (not an SQL statement) so GDAL takes the geometry type from geometry_columns.
    gdal.VectorTranslate(str(out), dsn, format="GPKG", layers=[f"open.{table}"], layerName=table)
    ds = ogr.Open(str(out))
    n = ds.GetLayer(0).GetFeatureCount()
    ds = None
    return n
