"""``safestats`` command line. Each command lives in ``safestats/commands/<name>.py`` and has a
``register(subparsers)`` function; adding a command is one module and one line in COMMANDS."""
from __future__ import annotations

import argparse
import importlib
import sys

from safestats import __version__

COMMANDS = [
    "safestats.commands.db",
    "safestats.commands.migrate",
    "safestats.commands.load",
    "safestats.commands.reference",
    "safestats.commands.status",
    "safestats.commands.demo",
    "safestats.commands.synth",
    "safestats.commands.geocode",
    "safestats.commands.landscape",
    "safestats.commands.comparator",
    "safestats.commands.qgis_project",
    "safestats.commands.role",
    "safestats.commands.audit",
    "safestats.commands.export",
    # issue 15: charts and neighbourhood profile reports (QGIS painting / print layouts, headless)
    "safestats.commands.chart",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safestats",
        description="SafeStats: London crime and community-safety data hub on PostGIS. "
                    "The database is DATABASE_URL when set, else the embedded private cluster.")
    parser.add_argument("--version", action="version", version=f"safestats {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for mod in COMMANDS:
        importlib.import_module(mod).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from loaders.core import LoadError
    from safestats.cluster import ClusterError
    from safestats.db import DatabaseUnavailable

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (DatabaseUnavailable, ClusterError, LoadError) as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("safestats: interrupted; every file load is one transaction, so nothing partial was kept",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
