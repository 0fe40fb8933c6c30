"""The MPS neighbourhood -> ward mapping (``data/landscape/neighbourhood_wards.csv``, built and
documented by ``scripts/build_neighbourhood_wards.py``).

Loading it fills ``survey.neighbourhood_ward``, adds ward -> neighbourhood lookups to
``ref.area_lookup`` (method ``attribute``, weight 1) for ward vintages 2011 and 2014, and dissolves
approximate neighbourhood polygons from the 2014 wards (level ``neighbourhood``, vintage = survey
edition), so survey values can be mapped and ward indicators aggregated to neighbourhoods.
"""
from __future__ import annotations

from .core import Check, Column, CsvSource, LoadContext


class NeighbourhoodWardsSource(CsvSource):
    name = "neighbourhood-wards"
    description = "MPS neighbourhood (policing sector) to ward mapping (committed CSV)"
    target = "survey.neighbourhood_ward, ref.area_name, ref.area_lookup, ref.area (neighbourhoods)"
    columns = [Column("edition", "edition"), Column("neighbourhood_code", "neighbourhood_code"),
               Column("neighbourhood_name", "neighbourhood_name"), Column("borough_name", "borough_name"),
               Column("ward_vintage", "ward_vintage"), Column("ward_code", "ward_code"),
               Column("ward_name", "ward_name"), Column("method", "method"),
               Column("seed", "seed", required=False), Column("distance_km", "distance_km", required=False)]
    checks = [
        Check("edition", "edition ~ '^(19|20)[0-9]{2}$'", "edition is a year (e.g. 2016)"),
        Check("ward_vintage", "ward_vintage IN ('2011', '2014', '2018', '2022')", "not a ward vintage"),
        Check("ward_code", "ward_code ~ '^E05[0-9]{6}$'", "not a ward code (E05……)"),
        Check("neighbourhood_code", "neighbourhood_code ~ '^[A-Z0-9-]{2,60}$'", "not a neighbourhood code"),
        Check("distance_km", "distance_km IS NULL OR safestats_internal.try_numeric(distance_km) IS NOT NULL",
              "not a number"),
    ]
    strict = True   # a mapping with holes would silently drop survey rows

    def write(self, cur, ctx: LoadContext) -> int:
        dup = cur.execute("SELECT edition, ward_vintage, ward_code FROM stage GROUP BY 1, 2, 3 "
                          "HAVING count(*) > 1 LIMIT 1").fetchone()
        if dup:
            from .core import LoadRefused
            raise LoadRefused(f"{ctx.path}: ward {dup[2]} ({dup[1]}) is given twice in edition {dup[0]}; "
                              "each ward belongs to exactly one neighbourhood")
        cur.execute("DELETE FROM survey.neighbourhood_ward WHERE edition IN (SELECT DISTINCT edition FROM "
                    "stage)")
        cur.execute("""
            INSERT INTO survey.neighbourhood_ward (edition, neighbourhood_code, ward_vintage, ward_code,
                ward_name,
                                                   method, seed, distance_km)
            SELECT edition, neighbourhood_code, ward_vintage::smallint, ward_code, ward_name, method, seed,
                   safestats_internal.try_numeric(distance_km)::float8
            FROM stage""")
        n = cur.rowcount
        cur.execute("""
            INSERT INTO ref.area_name (level, vintage, code, name, parent_code, load_id)
            SELECT DISTINCT ON (s.edition, s.neighbourhood_code) 'neighbourhood', s.edition::smallint,
                   s.neighbourhood_code, s.neighbourhood_name, w.parent_code, %(load_id)s
            FROM stage s
            LEFT JOIN ref.area w ON w.level = 'ward' AND w.vintage = 2014 AND w.code = s.ward_code
            WHERE s.ward_vintage = '2014'
            ORDER BY s.edition, s.neighbourhood_code
            ON CONFLICT (level, vintage, code) DO UPDATE SET name = EXCLUDED.name,
              parent_code = EXCLUDED.parent_code, load_id = EXCLUDED.load_id""", {"load_id": ctx.load_id})
        cur.execute("""
            DELETE FROM ref.area_lookup WHERE from_level = 'ward' AND to_level = 'neighbourhood'
              AND to_vintage IN (SELECT DISTINCT edition::smallint FROM stage)""")
        cur.execute("""
            INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, to_vintage, to_code,
                                         weight, method, load_id)
            SELECT 'ward', ward_vintage::smallint, ward_code, 'neighbourhood', edition::smallint,
                   neighbourhood_code, 1, 'attribute', %(load_id)s
            FROM stage""", {"load_id": ctx.load_id})
        for (edition,) in cur.execute("SELECT DISTINCT edition::int FROM stage ORDER BY 1").fetchall():
            made = cur.execute(
                "SELECT safestats_internal.dissolve_areas('ward', 2014, 'neighbourhood', %s, "
                "'dissolved from May 2014 wards through data/landscape/neighbourhood_wards.csv (derived, "
                "not published by MOPAC)')", (edition,)).fetchone()[0]
            ctx.meta[f"neighbourhood_polygons_{edition}"] = made
            ctx.progress.note(f"edition {edition}: {made} approximate neighbourhood polygons")
        return n


SOURCE = NeighbourhoodWardsSource()
