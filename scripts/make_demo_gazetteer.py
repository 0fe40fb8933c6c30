"""Builds the compact demo gazetteer in data/gazetteer/ from ../shared/data/gazetteer: the same file
formats (so `safestats load gazetteer` reads them unchanged), cut to three south London boroughs for
postcodes and food premises, London-wide for the small files, gzipped. Files whose licence is not
verified (2013_police_counters.csv) or only informal (the curated 2022 station list) are left out.

    .venv/bin/python scripts/make_demo_gazetteer.py
"""
from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data" / "gazetteer"
DEST = ROOT / "data" / "gazetteer"
BOROUGH_CODES = {"E09000022", "E09000028", "E09000023"}          # Lambeth, Southwark, Lewisham
FSA_NAMES = {"Lambeth", "Southwark", "Lewisham"}


def copy(name: str, keep=lambda row: True, out_name: str | None = None) -> None:
    src = SRC / name
    opener = gzip.open if name.endswith(".gz") else open
    out = DEST / ((out_name or name).removesuffix(".gz") + ".gz")
    n = 0
    with opener(src, "rt", encoding="utf-8", newline="") as f, \
            gzip.open(out, "wt", encoding="utf-8", newline="") as o:
        r, w = csv.reader(f), csv.writer(o, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        for row in r:
            if len(row) == len(header) and keep(dict(zip(header, row))):
                w.writerow(row)
                n += 1
    print(f"{out.relative_to(ROOT)}: {n:,} rows, {out.stat().st_size / 1024:,.0f} KiB")


def main() -> int:
    if not SRC.exists():
        print(f"{SRC} not found", file=sys.stderr)
        return 2
    DEST.mkdir(parents=True, exist_ok=True)
    copy("codepoint_open_2018_london.csv.gz", lambda r: r["Admin_district_code"] in BOROUGH_CODES)
    copy("fsa_fhrs_london_2020-07.csv.gz", lambda r: r["LocalAuthorityName"] in FSA_NAMES)
    copy("tfl_bus_stops.csv")
    copy("tfl_stations_20180921.csv")
    copy("osm_street_centres_se_london_2025.csv")
    copy("osm_pubs_london.csv")
    copy("nhs_choices_hospitals_london.csv")
    copy("london_uec_sites_istv.csv")
    # Parks: only those in the London box, outlines simplified to 5 m (they give a point and a radius).
    from osgeo import gdal
    gdal.UseExceptions()
    tmp = DEST / "historic_england_registered_parks_london.geojson"
    gdal.VectorTranslate(str(tmp), str(SRC / tmp.name), format="GeoJSON", options=["-simplify", "5"],
                         spatFilter=(498000, 150000, 566000, 206000),
                         layerCreationOptions=["COORDINATE_PRECISION=1"])
    out = tmp.with_name(tmp.name + ".gz")
    with open(tmp, "rb") as f, gzip.open(out, "wb") as o:
        o.write(f.read())
    tmp.unlink()
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
