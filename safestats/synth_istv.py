"""Synthetic ISTV A&E assault extracts: several hospitals' layouts and encodings, realistic free-text
locations and methods, for tests, the demo and the geocoder's evaluation. Fixed seed: the same
arguments always write the same files. Every record is invented; nothing here is patient data.

Layouts (each fits a mapping in loaders/istv_mappings):
- King's College Hospital: ``ecds-standard``, UTF-8 CSV, site code per row (some UTC B9A0M rows).
- Guy's and St Thomas': ``trust-uk-dates``, Windows-1252 CSV, free-text hospital names, DD/MM/YYYY.
- Barts Health: ``excel-monthly``, one .xlsx per month, free-text site names, real Excel date cells.
- St George's: ``single-site-semicolon``, semicolons, UTF-8 with BOM, no site column.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

METHODS = [("Body part (punch, kick, head-butt)", 55), ("Blunt object", 10),
           ("Knife or other sharp object", 9),
           ("Glass or bottle", 7), ("Firearm", 1), ("Other", 8), ("Not known", 10)]
OTHER_METHODS = ["bitten", "pushed down stairs", "chair", "brick", "hammer", "scalded with kettle",
                 "dog set on pt"]
LOCATION_TYPES = [("Home", 28), ("Street or other public place", 38),
                  ("Licensed premises (pub, bar, club)", 12),
                  ("Public transport", 7), ("Workplace", 5), ("School or college", 3), ("Other", 4),
                  ("Not known", 3)]

# Free text as receptionists type it: venues, streets, stations, postcodes, vague answers.
COMMON_TEXT = ["HOME", "home", "at home", "home address", "pts home", "not known", "unknown", "NK",
               "pt unable to say", "declined", "street", "in the street", "friends house", "on bus", "park",
               "outside club", "at work", "school", "police custody", "partners flat"]
LOCAL_TEXT = {
    "RJZ01": ["o/s wetherspoons clapham high st", "Brixton tube", "brixton station", "nr Tesco SE15",
              "outside mcdonalds rye lane", "Peckham Rye stn", "coldharbour lane", "Camberwell Green",
              "denmark hill", "o/s KFC walworth rd", "Electric Ave brixton", "Burgess Park", "SE5",
              "brixon tube", "nr Iceland Peckham high st", "Windrush Sq", "Loughborough Junction",
              "bus stop camberwell church st"],
    "B9A0M": ["Brixton tube", "camberwell", "Peckham", "SE15"],
    "RJ122": ["Waterloo station", "o/s waterloo stn", "Lower Marsh", "Southbank", "Westminster Bridge",
              "elephant & castle shopping centre", "Kennington Park", "Lambeth North tube", "Borough market",
              "o/s Café Nero the cut", "Vauxhall bus station", "nr Tesco Kennington Lane", "SE1",
              "London Bridge stn", "Old Kent Rd", "outside the Ministry of Sound"],
    "RJ121": ["London Bridge stn", "Borough high st", "SE1"],
    "R1H12": ["whitechapel rd", "Brick Lane", "o/s aldgate east stn", "Mile End park", "bethnal green tube",
              "Commercial St", "E1", "nr Sainsburys Whitechapel", "Stepney Green", "Shadwell DLR",
              "outside wetherspoons whitechapel"],
    "R1HKH": ["Walthamstow Central", "Hoe St", "E17", "Leytonstone tube", "Wood St market",
              "o/s asda leyton mills"],
    "R1HNH": ["Stratford bus station", "Westfield Stratford", "East Ham high st", "Upton Park",
              "Plaistow stn", "E13", "nr Tesco Stratford"],
    "RJ701": ["Tooting Broadway", "o/s Tooting market", "Balham high rd", "Clapham Junction stn",
              "Wimbledon Broadway", "SW17", "Tooting Bec Common", "nr Lidl Mitcham Rd", "Streatham High Rd",
              "Garratt Lane", "o/s the Antelope pub Tooting"],
}

LAYOUTS = {
    "kings": {"share": 0.35, "sites": [("RJZ01", 0.9), ("B9A0M", 0.1)]},
    "gstt": {"share": 0.30, "sites": [("RJ122", 0.9), ("RJ121", 0.1)]},
    "barts": {"share": 0.20, "sites": [("R1H12", 0.6), ("R1HKH", 0.25), ("R1HNH", 0.15)]},
    "stgeorges": {"share": 0.15, "sites": [("RJ701", 1.0)]},
}
# How a trust's staff write their hospitals' names (reconciled to site codes by the loader).
HOSPITAL_NAMES = {
    "RJ122": ["St Thomas' Hospital", "ST THOMAS HOSPITAL", "St Thomas\u2019 Hospital",
              "St. Thomas's Hospital"],
    "RJ121": ["Guy's Hospital", "GUYS HOSPITAL"],
    "R1H12": ["Royal London Hospital", "The Royal London", "ROYAL LONDON HOSP"],
    "R1HKH": ["Whipps Cross University Hospital", "Whipps Cross University Hosp"],
    "R1HNH": ["Newham General Hospital", "Newham General Hosp"],
}

PERIOD_START, PERIOD_END = dt.date(2024, 1, 1), dt.date(2024, 3, 31)


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights)[0]


def _record(rng: random.Random, site: str) -> dict:
    days = (PERIOD_END - PERIOD_START).days + 1
    day = PERIOD_START + dt.timedelta(days=rng.randrange(days))
    # Assaults cluster at night and at weekends.
    hour = _pick(rng, [(h, 6 if h >= 21 or h <= 3 else 2 if h >= 17 else 1) for h in range(24)])
    if day.weekday() < 4 and rng.random() < 0.3:
        day = min(PERIOD_END, day + dt.timedelta(days=4 - day.weekday()))
    assault = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
    arrival = assault + dt.timedelta(minutes=rng.randrange(15, 12 * 60))
    if arrival.date() > PERIOD_END:
        arrival = dt.datetime.combine(PERIOD_END, dt.time(23, 50))
        assault = min(assault, arrival - dt.timedelta(minutes=20))
    method = _pick(rng, METHODS)
    ltype = _pick(rng, LOCATION_TYPES)
    if ltype == "Home" and rng.random() < 0.7:
        text = rng.choice(["HOME", "home", "at home", "pts home", "home address"])
    elif rng.random() < 0.25:
        text = rng.choice(COMMON_TEXT)
    else:
        text = rng.choice(LOCAL_TEXT[site])
    return {"site": site, "arrival": arrival, "assault": assault if rng.random() > 0.1 else None,
            "method": method, "method_other": rng.choice(OTHER_METHODS) if method == "Other" else "",
            "ltype": ltype, "text": text}


def write(out: Path, rows: int = 2000, seed: int = 1594) -> list[Path]:
    """Write extracts totalling ``rows`` records into ``out``; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    files = []
    for layout, spec in LAYOUTS.items():
        n = max(1, round(rows * spec["share"]))
        recs = [_record(rng, _pick(rng, spec["sites"])) for _ in range(n)]
        recs.sort(key=lambda r: r["arrival"])
        files.extend(globals()[f"_write_{layout}"](out, recs, rng))
    return files


def _iso(t: dt.datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def _uk(t: dt.datetime | None) -> str:
    return t.strftime("%d/%m/%Y %H:%M") if t else ""


def _write_kings(out: Path, recs, rng) -> list[Path]:
    p = out / "kings_college_hospital_istv_2024Q1.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Site Code of Treatment", "Reporting Period Start Date", "Reporting Period End Date",
                    "Arrival Date Time", "Assault Date Time", "Assault Method",
                    "Assault Method Other Description",
                    "Assault Location Type", "Assault Location Description"])
        for r in recs:
            w.writerow([r["site"], PERIOD_START.isoformat(), PERIOD_END.isoformat(), _iso(r["arrival"]),
                        _iso(r["assault"]), r["method"], r["method_other"], r["ltype"], r["text"]])
    return [p]


def _write_gstt(out: Path, recs, rng) -> list[Path]:
    p = out / "gstt_assaults_jan-mar_2024.csv"
    with open(p, "w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["Hospital", "Period From", "Period To", "Attendance Date/Time", "Date/Time of Assault",
                    "Weapon Used", "Weapon Other", "Place Type", "Location of Assault"])
        for r in recs:
            w.writerow([rng.choice(HOSPITAL_NAMES[r["site"]]), PERIOD_START.strftime("%d/%m/%Y"),
                        PERIOD_END.strftime("%d/%m/%Y"), _uk(r["arrival"]), _uk(r["assault"]), r["method"],
                        r["method_other"], r["ltype"], r["text"]])
    return [p]


def _write_barts(out: Path, recs, rng) -> list[Path]:
    import openpyxl
    files = []
    for month in (1, 2, 3):
        p = out / f"barts_health_ae_assaults_2024-{month:02d}.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Assaults"
        ws.append(["Site", "Arrival", "Incident date/time", "How were you assaulted", "Other (please state)",
                   "Type of place", "Where did it happen"])
        for r in recs:
            if r["arrival"].month == month:
                ws.append([rng.choice(HOSPITAL_NAMES[r["site"]]), r["arrival"], r["assault"], r["method"],
                           r["method_other"] or None, r["ltype"], r["text"]])
        wb.save(p)
        files.append(p)
    return files


def _write_stgeorges(out: Path, recs, rng) -> list[Path]:
    p = out / "stgeorges_RJ701_istv_2024-01-01_2024-03-31.csv"
    with open(p, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["PERIOD_START", "PERIOD_END", "ARRIVAL_DTTM", "INCIDENT_DTTM", "ASSAULT_METHOD",
                    "ASSAULT_METHOD_OTHER", "LOCATION_TYPE", "LOCATION_FREE_TEXT"])
        for r in recs:
            w.writerow([PERIOD_START.isoformat(), PERIOD_END.isoformat(), _iso(r["arrival"]),
                        _iso(r["assault"]),
                        r["method"], r["method_other"], r["ltype"], r["text"]])
    return [p]
