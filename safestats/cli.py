"""``safestats`` command line. Each command lives in ``safestats/commands/<name>.py`` and has a
``register(subparsers)`` function; adding a command is one module and one line in COMMANDS."""
from __future__ import annotations

import argparse
import importlib
import os
import re
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
    "safestats.commands.violence",
    # issue 15: charts and neighbourhood profile reports (QGIS painting / print layouts, headless)
    "safestats.commands.chart",
]


EXIT_CODES = """\
exit codes:
  0  done
  1  refused or partly refused: a file refused or a load failed (the others are in), the
     database unreachable, the server declined the request
  2  usage: an unknown command, option or name (the message names the nearest ones), a
     DATABASE_URL that is not a URL, a file that does not exist

Every command that prints data takes --format table|csv|json (json and csv for scripts)."""


class Parser(argparse.ArgumentParser):
    """argparse with the exit codes in every help page and "did you mean" on an unknown choice."""

    def __init__(self, *a, **kw):
        kw.setdefault("epilog", EXIT_CODES)
        kw.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*a, **kw)

    def error(self, message: str):
        from safestats.names import did_you_mean
        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            choices = re.findall(r"'([^']*)'", m.group(2))
            message = f"invalid choice: {m.group(1)!r}{did_you_mean(m.group(1), choices) or ''}"
            if not did_you_mean(m.group(1), choices):
                message += f" (choose from {', '.join(choices)})"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="safestats",
        description="SafeStats: London crime and community-safety data hub on PostGIS. "
                    "The database is DATABASE_URL when set, else the embedded private cluster.")
    parser.add_argument("--version", action="version", version=f"safestats {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for mod in COMMANDS:
        importlib.import_module(mod).register(sub)
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def fold_command_case(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Command and action names typed in any case (``safestats Load Ward-Lookup``) become the real
    ones; everything else is left as typed."""
    out, p = list(argv), parser
    for i, tok in enumerate(out):
        if tok.startswith("-"):
            continue
        subs = _subcommands(p)
        if not subs:
            break
        if tok not in subs:
            folded = {n.lower(): n for n in subs}
            if tok.lower() not in folded:
                break
            out[i] = folded[tok.lower()]
        p = subs[out[i]]
    return out


def _quiet_broken_pipe() -> int:
    """The reader went away (``safestats ... | head``): stop quietly, as a pipe's writer should."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    import psycopg

    from loaders.core import LoadError
    from safestats.cluster import ClusterError
    from safestats.db import BadDatabaseUrl, DatabaseUnavailable
    from safestats.names import UsageError

    parser = build_parser()
    argv = fold_command_case(parser, sys.argv[1:] if argv is None else list(argv))
    try:
        args = parser.parse_args(argv)
        code = int(args.func(args) or 0)
        sys.stdout.flush()          # a reader that went away shows here, not at interpreter exit
        return code
    except (UsageError, BadDatabaseUrl) as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    except LoadError as e:
        # a file that is not there, a source that cannot read it: the command line is wrong
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    except (DatabaseUnavailable, ClusterError) as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except psycopg.Error as e:
        # An error the database raised for this request (an unknown area or metric raised by the SQL
        # API, a permission the login lacks): its message and hint, not a traceback.
        diag = e.diag
        print(f"safestats: {diag.message_primary or e}", file=sys.stderr)
        for extra in (diag.message_detail, diag.message_hint):
            if extra:
                print(f"  {extra}", file=sys.stderr)
        return 2 if (diag.sqlstate or "").startswith(("22", "42P01", "P0002")) else 1
    except KeyboardInterrupt:
        print("safestats: interrupted; every file load is one transaction, so nothing partial was kept",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
