"""``safestats report -o report.pdf [--area CODE …] [--run N]``: the neighbourhood profile report."""
from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="write the neighbourhood profile report (two A4 PDF pages per area)",
        description="Writes the QGIS print-layout atlas of a comparator run: per area a page with a map of "
                    "its most similar areas (legend, scale bar, attribution), the gap table with 95%% "
                    "intervals, the comparator chart and street-level crime per month, and a page with "
                    "the spine chart of its indicators; the data's date and sources. Charts are vector. "
                    "A .png output writes one image per page instead.")
    p.add_argument("-o", "--output", required=True, help="report file (.pdf; or .png for page images)")
    p.add_argument("--area", action="append", default=None,
                   help="area code to include (repeatable; default: every area of the run)")
    p.add_argument("--run", type=int, default=None, help="comparator run (default: the latest)")
    p.add_argument("--dpi", type=int, default=150, help="resolution of raster parts (default 150)")
    p.set_defaults(func=run)


def run(args) -> int:
    import time

    from qgis_plugin.core.connection import SafeStatsError
    from qgis_plugin.core.report import write_report
    from safestats.charts import plugin_database
    t0 = time.monotonic()
    try:
        result = write_report(plugin_database(), args.output, args.run, args.area, args.dpi)
    except SafeStatsError as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    print(f"wrote {result.path}: {result.pages} page(s) for {result.areas} area(s) in "
          f"{time.monotonic() - t0:.1f} s")
    return 0
