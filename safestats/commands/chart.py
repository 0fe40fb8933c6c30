"""``safestats chart KIND --area … --metric … -o out.png``: the SafeStats panel's charts as PNG or SVG."""
from __future__ import annotations

import sys


def register(sub) -> None:
    from safestats.charts import KINDS
    p = sub.add_parser(
        "chart", help="draw a comparator, variation, profile or trend chart as PNG or SVG",
        description="Draws one of the SafeStats panel's charts from the database: comparator (an area "
                    "and its similar areas on a metric, with intervals and the peers' mean), variation "
                    "(where confidence varies most), profile (spine chart of the area's indicators on "
                    "London's range), trend (a metric over time against peers, borough and London; "
                    "projected values hollow), crime (street-level crimes per month in the area).")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--area", help="area code, e.g. a neighbourhood (KG-KB) or ward code")
    p.add_argument("--metric", help="Landscape indicator code, e.g. pas_good_job")
    p.add_argument("--run", type=int, default=None,
                   help="comparator run (default: the latest holding the area)")
    p.add_argument("--top", type=int, default=15, help="variation chart: how many areas (default 15)")
    p.add_argument("-o", "--output", required=True, help="file to write: .png or .svg")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats.charts import write_chart
    try:
        from qgis_plugin.core.connection import SafeStatsError
    except ImportError:
        print("safestats: charts need QGIS's Python bindings (apt-get install python3-qgis)", file=sys.stderr)
        return 2
    try:
        path, chart = write_chart(args.output, args.kind, args.area, args.metric, args.run, args.top)
    except (SafeStatsError, ValueError) as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    print(f"wrote {path}: {chart.title}")
    return 0
