"""``safestats qgis-project out.qgz``: a ready-made QGIS project with SafeStats' key layers, styled and
grouped, so a new user opens one file and sees London (built by :mod:`safestats.qgis_project`)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("qgis-project",
                       help="write a styled, grouped QGIS project of the database's key layers",
                       description="Writes a QGIS project (.qgz) with London's boundaries, the geocoded A&E "
                                   "records, crime, Landscape indicators and comparator layers that the "
                                   "database holds, styled by the SafeStats plugin's rules. Layers connect "
                                   "through a pg_service.conf service (default: the one `safestats demo` "
                                   "registers) so the project holds no password.")
    p.add_argument("output", help="project file to write (.qgz or .qgs)")
    p.add_argument("--service", default=None,
                   help="pg_service.conf service the layers use (default: safestats-demo when it is "
                        "registered, else the database URL's host/port/database/user without password)")
    p.set_defaults(func=run)


def run(args) -> int:
    from safestats import qgis_project
    qgis_project.qgis_app()
    from qgis_plugin.core.connection import SafeStatsError

    try:
        result = qgis_project.write_project(args.output, args.service)
    except SafeStatsError as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    for line in result.lines():
        print(line)
    return 0
