"""Wide-to-long sources: a file with a few fixed columns and then one column per period (month,
year …), staged long: one staging row per (line, period column) holding the fixed values, the
period and the cell."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .core import Column, CsvSource


class WideToLongSource(CsvSource):
    """Subclasses set ``fixed`` (the fixed columns, mapped by :meth:`map_header` in this order),
    ``period_header`` (a pattern that a period column's heading matches; its groups, joined, are
    the staged period) and ``columns`` = ``fixed`` + the period and value columns."""

    fixed: list[Column] = []
    period_header: re.Pattern = re.compile(r"$^")

    def period_columns(self, header: list[str]) -> list[tuple[int, str]]:
        """(position, period) of each period column of the header."""
        return [(i, "".join(m.groups())) for i, h in enumerate(header) if (m := self.period_header.match(h))]

    def rows(self, path: Path, header: list[str], mapping: list[int | None],
             records) -> Iterator[tuple[int, str | None, list]]:
        """Melt: one staging row per (line, period column)."""
        periods = self.period_columns(header)
        width = len(header)
        for line_no, rec in records:
            if len(rec) != width:
                yield line_no, f"expected {width} fields, found {len(rec)}", [None] * (len(self.fixed) + 2)
                continue
            fixed = [rec[i].strip() or None for i in mapping]
            for i, period in periods:
                yield line_no, None, [*fixed, period, rec[i].strip() or None]
