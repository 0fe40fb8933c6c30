"""Loading a list of files of one source, each in its own transaction (``safestats load`` and the demo)."""
from __future__ import annotations

import sys

from loaders.core import LoadError, LoadOptions, load_csv


def load_file(conn, module, path, options: LoadOptions):
    """Load one file with a source module: its own ``load`` when it has one, else the CSV core."""
    if hasattr(module, "load"):
        return module.load(conn, path, options)
    return load_csv(conn, module.SOURCE, path, options)


def load_files(conn, module, paths, options: LoadOptions) -> tuple[list, list]:
    """Load each file (each its own transaction); a failed file does not stop the others.
    Prints one line per file; returns (results, [(path, LoadError)])."""
    results, failures = [], []
    for path in paths:
        try:
            res = load_file(conn, module, path, options)
            results.append(res)
            print(res.line(), file=sys.stderr if options.quiet else sys.stdout)
        except LoadError as e:
            failures.append((path, e))
            print(f"REFUSED {e}", file=sys.stderr)
    return results, failures
