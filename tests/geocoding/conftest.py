"""The geocoding tests' gazetteer: a south London slice of the real gazetteer files (postcodes and food
premises of a few districts / boroughs, all stations, bus stops in a box, OSM streets, UEC sites, hospitals,
pubs, parks), loaded into the module's database and rebuilt once, to stay fast."""
from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from loaders import gazetteer
from loaders.core import LoadOptions
from safestats import db

DISTRICTS = ("SE1", "SE5", "SE15", "SE22", "SW2", "SW4", "SW9", "SE24", "W1", "CR0")
FSA_BOROUGHS = ("Lambeth", "Southwark", "Croydon")


def _slice_csv_gz(src: Path, dest: Path, keep) -> Path:
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f, gzip.open(dest, "wt", encoding="utf-8",
                                                                              newline="") as out:
        r, w = csv.reader(f), csv.writer(out)
        header = next(r)
        w.writerow(header)
        for row in r:
            if keep(dict(zip(header, row))):
                w.writerow(row)
    return dest


def _bus_stop_slice(src: Path, dest: Path) -> Path:
    """Bus stops in a box around south and central London (keeps the streets the tests use, and the
    gazetteer rebuild quick)."""
    with open(src, encoding="utf-8", newline="") as f, open(dest, "w", encoding="utf-8", newline="") as out:
        r, w = csv.reader(f), csv.writer(out)
        header = next(r)
        w.writerow(header)
        e, n = header.index("Location_Easting"), header.index("Location_Northing")
        for row in r:
            if row[e].isdigit() and row[n].isdigit() and 522000 <= int(row[e]) <= 542000 \
                    and 160000 <= int(row[n]) <= 186000:
                w.writerow(row)
    return dest


@pytest.fixture(scope="module")
def gaz_url(db_url, shared_data, tmp_path_factory):
    """The module database with a south London slice of the gazetteer loaded and rebuilt."""
    g = shared_data / "gazetteer"
    tmp = tmp_path_factory.mktemp("gaz")
    files = [
        _slice_csv_gz(g / "codepoint_open_2018_london.csv.gz", tmp / "codepoint_slice.csv.gz",
                      lambda r: r["Postcode"][:-3].strip() in DISTRICTS),
        _slice_csv_gz(g / "fsa_fhrs_london_2020-07.csv.gz", tmp / "fsa_slice.csv.gz",
                      lambda r: r["LocalAuthorityName"] in FSA_BOROUGHS),
        g / "london_uec_sites_istv.csv", g / "tfl_stations_20180921.csv",
        _bus_stop_slice(g / "tfl_bus_stops.csv", tmp / "bus_slice.csv"),
        g / "osm_street_centres_se_london_2025.csv", g / "osm_pubs_london.csv",
        g / "nhs_choices_hospitals_london.csv", g / "historic_england_registered_parks_london.geojson",
    ]
    opts = LoadOptions(quiet=True, rejects_dir=tmp / "rejects", extra={"no_rebuild": True})
    with db.connect(db_url) as conn:
        for f in files:
            res = gazetteer.load(conn, f, opts)
            assert res.status == "loaded", res.line()
        conn.execute("SELECT safestats_internal.gazetteer_rebuild()")
    return db_url


@pytest.fixture
def gconn(gaz_url):
    with db.connect(gaz_url) as c:
        yield c
