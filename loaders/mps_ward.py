"""MPS recorded crime by ward and month (London Datastore "MPS Ward Level Crime", wide format:
MajorText, MinorText, WardName, WardCode, LookUp_BoroughName, then one YYYYMM column per month),
stored long in crime.mps_ward_month. A reload replaces every month the file covers."""
from __future__ import annotations

import re
from pathlib import Path

from .core import Check, Column, LoadContext, LoadRefused
from .wide import WideToLongSource

MONTH_HEADER = re.compile(r"^\s*(\d{4})(\d{2})\s*$")


class MpsWardSource(WideToLongSource):
    name = "mps-ward"
    description = "MPS ward-level monthly crime counts (wide YYYYMM columns, stored long)"
    target = "crime.mps_ward_month"
    period_header = MONTH_HEADER
    fixed = [
        Column("major_category", "MajorText", aliases=("Major Category",)),
        Column("minor_category", "MinorText", aliases=("Minor Category",)),
        Column("ward_name", "WardName", aliases=("Ward Name",)),
        Column("ward_code", "WardCode", aliases=("Ward Code",)),
        Column("borough_name", "LookUp_BoroughName", aliases=("Borough", "BoroughName")),
    ]
    columns = fixed + [Column("month", "YYYYMM…"), Column("count", "(count)")]
    checks = [
        Check("ward_code", "ward_code ~ '^E05[0-9]{6}$'", "not a ward code (E05……)"),
        Check("major_category", "major_category IS NOT NULL", "MajorText is blank"),
        Check("minor_category", "minor_category IS NOT NULL", "MinorText is blank"),
        Check("borough_name", "borough_name IS NOT NULL", "borough name is blank"),
        Check("ward_name", "ward_name IS NOT NULL", "WardName is blank"),
        Check("month", "safestats_internal.try_date(month || '01', 'YYYYMMDD') IS NOT NULL",
              "month column is not a real month (YYYYMM)"),
        Check("count", "count ~ '^\\s*[0-9]+(\\.0+)?\\s*$'", "count is not a whole number ≥ 0"),
    ]

    def map_header(self, path: Path, header: list[str]) -> list[int | None]:
        idx = []
        missing = []
        for col in self.fixed:
            pos = next((i for i, h in enumerate(header) if col.matches(h)), None)
            if pos is None:
                missing.append(col.header)
            idx.append(pos)
        months = [i for i, h in enumerate(header) if MONTH_HEADER.match(h)]
        if missing or not months:
            raise LoadRefused(
                f"{path}: line 1: the header does not fit source '{self.name}'.\n"
                f"    missing:  {', '.join(missing + ([] if months else ['month columns YYYYMM']))}\n"
                f"    expected: MajorText, MinorText, WardName, WardCode, LookUp_BoroughName, YYYYMM…\n"
                "    found:    "
                f"{', '.join(h.strip() for h in header[:12])}{' …' if len(header) > 12 else ''}")
        return idx

    def write(self, cur, ctx: LoadContext) -> int:
        cur.execute("""
            DELETE FROM crime.mps_ward_month t
            USING (SELECT DISTINCT to_date(month || '01', 'YYYYMMDD') AS month FROM stage) s
            WHERE t.month = s.month""")
        ctx.meta["replaced_rows"] = cur.rowcount
        # Duplicate (ward, borough, category, month) lines in one file are a publisher error the
        # primary key refuses; the core turns that into a failed load naming the database's reason.
        cur.execute("""
            INSERT INTO crime.mps_ward_month (ward_code, ward_name, borough_name, month, major_category,
                                              minor_category, count, load_id)
            SELECT ward_code, ward_name, borough_name, to_date(month || '01', 'YYYYMMDD'), major_category,
                   minor_category, count::numeric::integer, %s
            FROM stage""", (ctx.load_id,))
        n = cur.rowcount
        ctx.meta["months"] = [r[0].isoformat() for r in cur.execute(
            "SELECT DISTINCT month FROM crime.mps_ward_month WHERE load_id = %s ORDER BY 1",
            (ctx.load_id,)).fetchall()]
        return n


SOURCE = MpsWardSource()
