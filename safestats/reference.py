"""London's reference geography in one step: which boundary files, at which level and vintage.

The shipped compact copy (``data/boundaries``, gzipped GeoJSON in EPSG:27700) is used when present,
else the originals in the shared data folder's ``boundaries`` (``config.SHARED_DATA_DIR``).
"""
from __future__ import annotations

from pathlib import Path

from . import config, data_files

# (level, vintage, shipped file, original file, layer in the original)
BOUNDARIES = [
    ("borough", 2022, "boroughs_2022.geojson.gz", "london-2021-lad22-gen20.shp", None),
    ("ward", 2014, "wards_2014.geojson.gz", "london_wards_2014.gpkg", "london_ward"),
    ("ward", 2018, "wards_2018.geojson.gz", "london_wards_2018.gpkg", "london_ward"),
    ("lsoa", 2011, "lsoa_2011.geojson.gz", "london-2011-lsoa-gen20.shp", None),
    ("lsoa", 2021, "lsoa_2021.geojson.gz", "london-2021-lsoa-gen20.shp", None),
    ("msoa", 2021, "msoa_2021.geojson.gz", "london-2021-msoa-gen20.shp", None),
]
WARD_LOOKUP = ("lsoa21_to_ward22_bestfit.csv.gz", "lsoa21_to_ward25_lad25_bestfit_london.csv")
# Area-weighted lookups built once the polygons are in (for moving values across boundary changes).
AREA_WEIGHTED = [("ward", 2014, "ward", 2018), ("ward", 2018, "ward", 2014),
                 ("ward", 2018, "ward", 2022), ("ward", 2022, "ward", 2018),
                 ("ward", 2014, "ward", 2022), ("lsoa", 2011, "lsoa", 2021)]

SHARED_BOUNDARIES = config.SHARED_DATA_DIR / "boundaries"
SHIPPED_BOUNDARIES = config.SHIPPED_DATA_DIR / "boundaries"


def load_reference(conn, data_dir: Path | None = None, quiet: bool = False, force: bool = False):
    """Load every boundary set, the ward lookup (deriving 2022 wards) and area-weighted lookups.
    Idempotent: files already loaded are skipped by their sha256."""
    from loaders import boundaries, session, ward_lookup
    from loaders.core import LoadOptions

    # Both names are looked for in data_dir when given; else the shipped copy, then the original.
    where = ((Path(data_dir), Path(data_dir)) if data_dir is not None
             else (SHIPPED_BOUNDARIES, SHARED_BOUNDARIES))
    results = []
    for level, vintage, shipped, original, layer in BOUNDARIES:
        path, is_shipped = data_files.resolve(shipped, original, *where)
        opts = LoadOptions(quiet=quiet, force=force,
                           extra={"level": level, "vintage": vintage, "layer": None if is_shipped else layer})
        results.append(boundaries.SOURCE.load(conn, path, opts))
    path, _ = data_files.resolve(*WARD_LOOKUP, *where)
    results.append(ward_lookup.SOURCE.load(conn, path,
                                           LoadOptions(quiet=quiet, force=force, extra={"vintage": 2022})))
    if any(r.status == "loaded" for r in results):
        with conn.transaction():
            session.tune(conn)
            for fl, fv, tl, tv in AREA_WEIGHTED:
                conn.execute("SELECT safestats_internal.build_area_weighted_lookup(%s, %s, %s, %s)",
                             (fl, fv, tl, tv))
            session.analyze_written(conn)   # fresh statistics before the lookups are used (issue 19)
    # The LSOA grid behind fast area assignment (loaders/areas.py): emptied by any boundary change,
    # rebuilt here so the first big load does not pay for it.
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM ref.lsoa_grid)").fetchone()[0]:
        with conn.transaction():
            session.tune(conn)
            # (it analyses its inputs and the grid it writes)
            conn.execute("SELECT safestats_internal.refresh_lsoa_grid()")
    return results
