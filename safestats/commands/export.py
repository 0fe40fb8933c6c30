"""``safestats export``: published aggregates for partners, as GeoPackage (GDAL/OGR) or CSV.

Only relations in schema ``open`` can be exported: they are the disclosure-controlled tables
(every figure has been through open.protect_table). Each export is written to the audit log."""
from __future__ import annotations

import csv
import sys
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
        raise ExportError(f"{table!r} is not a published table; choose one of: {', '.join(tables) or '(none)'}")
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in ("gpkg", "csv"):
        raise ExportError(f"unknown format {fmt!r}: use --format gpkg or csv (or a .gpkg / .csv file name)")
    rel = sql.Identifier("open", table)
    query = sql.SQL("SELECT * FROM {}").format(rel)
    with conn.transaction():
        # One snapshot for the export and its count.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        if fmt == "csv":
            n = _write_csv(conn, query, out)
        else:
            n = _write_gpkg(conn, table, out)
        conn.execute("SELECT audit.record_access('export', %s, %s, jsonb_build_object('format', %s::text, "
                     "'file', %s::text))", (f"open.{table}", n, fmt, out.name))
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


def _write_gpkg(conn, table: str, out: Path) -> int:
    from osgeo import gdal, ogr
    from psycopg.conninfo import conninfo_to_dict

    gdal.UseExceptions()
    params = conninfo_to_dict(conn.info.dsn)
    quote = lambda v: "'" + str(v).replace("\\", "\\\\").replace("'", "\\'") + "'"  # libpq conninfo quoting
    dsn = "PG:" + " ".join(f"{k}={quote(v)}" for k, v in params.items() if k in ("host", "port", "dbname", "user"))
    if out.exists():
        out.unlink()
    # The layer by name (not an SQL statement) so GDAL takes the geometry type from geometry_columns.
    gdal.VectorTranslate(str(out), dsn, format="GPKG", layers=[f"open.{table}"], layerName=table)
    ds = ogr.Open(str(out))
    n = ds.GetLayer(0).GetFeatureCount()
    ds = None
    return n


def register(sub) -> None:
    p = sub.add_parser("export", help="write a published (disclosure-controlled) table to GeoPackage or CSV",
                       description="Exports a view of schema open (e.g. ae_assault_ward) for partners. Every "
                                   "figure in it has passed disclosure control; the export is audited.")
    p.add_argument("table", nargs="?", help="published table name (omit to list them)")
    p.add_argument("--out", type=Path, help="output file (.gpkg or .csv)")
    p.add_argument("--format", choices=["gpkg", "csv"], help="default: from the file suffix")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats.db import connect
    with connect() as conn:
        if not args.table or not args.out:
            print("Published tables: " + ", ".join(published_tables(conn)))
            if args.table:
                print("safestats export: give --out FILE (.gpkg or .csv)", file=sys.stderr)
                return 2
            return 0
        try:
            n = export(conn, args.table, args.out, args.format)
        except ExportError as e:
            print(f"safestats export: {e}", file=sys.stderr)
            return 2
    print(f"wrote {n} rows of open.{args.table.removeprefix('open.')} to {args.out}")
    return 0
