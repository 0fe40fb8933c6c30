"""``safestats load SOURCE FILES...``: load files of one source through the loading core."""
from __future__ import annotations

import sys
from pathlib import Path

from loaders import registry
from loaders.core import LoadOptions, expand_paths
from safestats.loading import load_files

COMMON = {"files", "force", "strict", "quiet", "rejects_dir", "encoding"}


def add_common(p) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="files or glob patterns")
    p.add_argument("--force", action="store_true", help="reload a file already loaded (same sha256)")
    p.add_argument("--strict", action="store_true", help="refuse the whole file if any row is rejected")
    p.add_argument("--quiet", action="store_true", help="no progress output (for scripts)")
    p.add_argument("--rejects-dir", type=Path, default=Path("rejects"),
                   help="where rejects CSVs go (default: ./rejects)")
    p.add_argument("--encoding", help="override encoding detection (utf-8, utf-8-sig, cp1252)")


def register(sub) -> None:
    p = sub.add_parser("load", help="load files of a source (see `safestats load --help`)",
                       description="Each file is one transaction: all of it loads or none. Reloading an "
                                   "identical file changes nothing. Rejected rows go to the rejects CSV "
                                   "and safestats.load_reject with line, column, value and reason.")
    lsub = p.add_subparsers(dest="source", metavar="SOURCE", required=True)
    for name in registry.SOURCES:
        source = registry.get(name)
        sp = lsub.add_parser(name, help=source.summary(), description=source.long_description())
        add_common(sp)
        source.add_arguments(sp)
        sp.set_defaults(func=run, loader=source)


def options_from(args) -> LoadOptions:
    extra = {k: v for k, v in vars(args).items()
             if k not in COMMON | {"func", "loader", "command", "source"}}
    return LoadOptions(force=args.force, strict=args.strict, quiet=args.quiet,
                       rejects_dir=args.rejects_dir, encoding=args.encoding, extra=extra)


def run(args) -> int:
    from safestats.db import connect
    paths = expand_paths(args.files)
    with connect() as conn:
        _, failures = load_files(conn, args.loader, paths, options_from(args))
    if failures:
        print(f"{len(failures)} of {len(paths)} file(s) not loaded; the others are in. Fix the file(s) "
              "named above and run the same command again.", file=sys.stderr)
        return 1
    return 0
