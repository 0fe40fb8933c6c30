"""Synthetic London Fire Brigade and London Ambulance Service files in the layouts the loaders read
(LFB: the London Datastore incident records header; LAS: the layouts defined in docs/loaders.md).
Fixed seed; every record is invented."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

LFB_HEADER = ["IncidentNumber", "DateOfCall", "CalYear", "TimeOfCall", "HourOfCall", "IncidentGroup",
              "StopCodeDescription", "SpecialServiceType", "PropertyCategory", "PropertyType",
              "AddressQualifier",
              "Postcode_full", "Postcode_district", "UPRN", "USRN", "IncGeo_BoroughCode",
              "IncGeo_BoroughName",
              "ProperCase", "IncGeo_WardCode", "IncGeo_WardName", "IncGeo_WardNameNew", "Easting_m",
              "Northing_m",
              "Easting_rounded", "Northing_rounded", "Latitude", "Longitude", "FRS", "IncidentStationGround",
              "FirstPumpArriving_AttendanceTime", "FirstPumpArriving_DeployedFromStation",
              "SecondPumpArriving_AttendanceTime", "SecondPumpArriving_DeployedFromStation",
              "NumStationsWithPumpsAttending", "NumPumpsAttending", "PumpCount", "PumpHoursRoundUp",
              "Notional Cost (£)"]
GROUPS = [("Fire", "Primary Fire", "", "Dwelling", "House - single occupancy"),
          ("Fire", "Secondary Fire", "", "Outdoor", "Loose refuse"),
          ("False Alarm", "AFA", "", "Non Residential", "Purpose built office"),
          ("Special Service", "Special Service", "Effecting entry/exit", "Dwelling",
           "Purpose Built Flats/Maisonettes - 4 to 9 storeys"),
          ("Special Service", "Special Service", "RTC", "Road Vehicle", "Car")]
STATIONS = ["Brixton", "Peckham", "Old Kent Road", "Whitechapel", "Soho", "Tooting", "Stratford", "Lewisham"]


class _to_wgs84:
    """EPSG:27700 → WGS84 (lon, lat) with GDAL's osr."""

    def __init__(self):
        from osgeo import osr
        osr.UseExceptions()
        src, dst = osr.SpatialReference(), osr.SpatialReference()
        src.ImportFromEPSG(27700)
        dst.ImportFromEPSG(4326)
        dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        self.ct = osr.CoordinateTransformation(src, dst)

    def transform(self, e: float, n: float) -> tuple[float, float]:
        lon, lat, _ = self.ct.TransformPoint(e, n)
        return lon, lat


def _london_point(rng: random.Random) -> tuple[float, float]:
    # Inner London, where most incidents are.
    return rng.uniform(522000, 542000), rng.uniform(172000, 188000)


def write_lfb(path: Path, rows: int = 200, seed: int = 999, year: int = 2023) -> Path:
    """LFB incident records: exact coordinates blank ("NULL") for about half (dwellings), rounded always."""
    to_wgs = _to_wgs84()
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(LFB_HEADER)
        for i in range(rows):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            t = dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
            grp = rng.choice(GROUPS)
            e, n = _london_point(rng)
            exact = grp[3] != "Dwelling" and rng.random() < 0.9
            lon, lat = to_wgs.transform(e, n)
            er, nr = round(e / 50) * 50, round(n / 50) * 50
            w.writerow([f"{i:06d}-{day:%d%m%Y}", day.isoformat(), year, t.isoformat(), t.hour, grp[0], grp[1],
                        grp[2] or "NULL", grp[3], grp[4], "Within same building",
                        "NULL" if not exact else "SE5 8XX",
                        "SE5", "NULL", "NULL", "E09000022", "LAMBETH", "Lambeth", "E05014119",
                        "Brixton Acre Lane",
                        "Brixton Acre Lane", f"{e:.0f}" if exact else "NULL", f"{n:.0f}" if exact else "NULL",
                        er, nr, f"{lat:.6f}" if exact else "NULL", f"{lon:.6f}" if exact else "NULL",
                        "London",
                        rng.choice(STATIONS), rng.randrange(120, 700), rng.choice(STATIONS),
                        rng.choice(["NULL", rng.randrange(200, 900)]), "NULL", 1, rng.randrange(1, 4),
                        rng.randrange(1, 4), rng.randrange(1, 3), rng.choice([352, 364, 704])])
    return path


CATEGORIES = ["Assault", "Assault - weapon involved", "Sexual assault", "Domestic assault"]


def write_las_counts(path: Path, lsoa_codes: list[str], months: list[str], seed: int = 112,
                     headers=("Month", "LSOA code", "Category", "Count")) -> Path:
    """LAS counts layout (month, area code, category, count), one row per LSOA, month and category."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        for m in months:
            for code in lsoa_codes:
                for c in CATEGORIES:
                    w.writerow([m, code, c, rng.choice([0, 0, 1, 1, 2, 3, 5])])
    return path


def write_las_incidents(path: Path, rows: int = 100, seed: int = 113, bng: bool = False) -> Path:
    """LAS incident layout: reference, call date-time (DD/MM/YYYY HH:MM), category, point."""
    to_wgs = _to_wgs84()
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Incident Reference", "Call Date Time", "Category"] +
                   (["Easting", "Northing"] if bng else ["Longitude", "Latitude"]))
        for i in range(rows):
            t = dt.datetime(2024, 1, 1) + dt.timedelta(minutes=rng.randrange(60 * 24 * 90))
            e, n = _london_point(rng)
            if rng.random() < 0.05:
                pt = ["", ""]
            elif bng:
                pt = [f"{e:.0f}", f"{n:.0f}"]
            else:
                lon, lat = to_wgs.transform(e, n)
                pt = [f"{lon:.5f}", f"{lat:.5f}"]
            w.writerow([f"LAS{seed}-{i:07d}", t.strftime("%d/%m/%Y %H:%M"), rng.choice(CATEGORIES), *pt])
    return path
