"""Loading a list of files of one source, each in its own transaction, saying how each went
(``safestats load`` and the demo)."""
from __future__ import annotations

import sys

from loaders.core import LoadError, LoadOptions, Source, load_each


def load_files(conn, source: Source, paths, options: LoadOptions) -> tuple[list, list]:
    """Load each file (each its own transaction) and print how it went; a failed file does not
    stop the others. Returns (results, failures)."""
    results, failures = [], []
    for path, outcome in load_each(conn, source, paths, options):
        if isinstance(outcome, LoadError):
            failures.append((path, outcome))
            print(f"REFUSED {outcome}", file=sys.stderr)
        else:
            results.append(outcome)
            print(outcome.line(), file=sys.stderr if options.quiet else sys.stdout)
    return results, failures
