"""``safestats export``: published aggregates for partners, as GeoPackage (GDAL/OGR) or CSV.

Only relations in schema ``open`` can be exported: they are the disclosure-controlled tables
(every figure has been through open.protect_table). Each export is written to the audit log.
The work is done by :mod:`safestats.export`."""
from __future__ import annotations

import sys
from pathlib import Path

from safestats.export import ExportError, export, published_tables


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
