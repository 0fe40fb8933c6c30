"""ONS LSOA (2021) → ward best-fit lookup: ward names and boroughs, the lookup itself, and the
approximate ward polygons dissolved from LSOA 2021 (used until a published boundary file is loaded).

The file in ../shared/data is the LSOA21 → WD25 → LAD25 lookup; London's 2022 ward codes are
unchanged in 2025, so by default its wards are stored as vintage 2022 (``--vintage`` to change).
"""
from __future__ import annotations

from .core import Check, Column, CsvSource, LoadContext


class WardLookupSource(CsvSource):
    name = "ward-lookup"
    description = "ONS LSOA 2021 to ward best-fit lookup (derives approximate ward polygons)"
    target = "ref.area_name, ref.area_lookup, ref.area (derived 2022 wards)"
    columns = [
        Column("lsoa_code", "LSOA21CD"),
        Column("ward_code", "WD25CD", aliases=("WD22CD", "WD23CD", "WD24CD")),
        Column("ward_name", "WD25NM", aliases=("WD22NM", "WD23NM", "WD24NM")),
        Column("borough_code", "LAD25CD", aliases=("LAD22CD", "LAD23CD", "LAD24CD")),
    ]
    checks = [
        Check("lsoa_code", "lsoa_code ~ '^E01[0-9]{6}$'", "not an LSOA code (E01……)"),
        Check("ward_code", "ward_code ~ '^E05[0-9]{6}$'", "not a ward code (E05……)"),
        Check("borough_code", "borough_code ~ '^E0[6-9][0-9]{6}$'", "not a local authority code"),
    ]

    def write(self, cur, ctx: LoadContext) -> int:
        p = {"vintage": int(ctx.options.extra.get("vintage") or 2022), "load_id": ctx.load_id}
        cur.execute("""
            INSERT INTO ref.area_name (level, vintage, code, name, parent_code, load_id)
            SELECT DISTINCT ON (ward_code) 'ward', %(vintage)s, ward_code, ward_name, borough_code,
                %(load_id)s
            FROM stage ORDER BY ward_code
            ON CONFLICT (level, vintage, code) DO UPDATE SET name = EXCLUDED.name,
              parent_code = EXCLUDED.parent_code, load_id = EXCLUDED.load_id""", p)
        cur.execute("""DELETE FROM ref.area_lookup WHERE from_level = 'lsoa' AND from_vintage = 2021
                       AND to_level = 'ward' AND to_vintage = %(vintage)s AND method = 'best-fit'""", p)
        cur.execute("""
            INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code,
                                         weight, method, load_id)
            SELECT 'lsoa', 2021, lsoa_code, 'ward', %(vintage)s, ward_code, 1, 'best-fit', %(load_id)s
            FROM stage""", p)
        n = cur.rowcount
        derived = cur.execute(
            "SELECT safestats_internal.dissolve_areas('lsoa', 2021, 'ward', %(vintage)s, "
            "'dissolved from LSOA 2021 through the ONS best-fit lookup')", p).fetchone()[0]
        ctx.meta["wards_derived"] = derived
        ctx.progress.note(f"{derived} approximate ward polygons derived")
        return n


SOURCE = WardLookupSource()
