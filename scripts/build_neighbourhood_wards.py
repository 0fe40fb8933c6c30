#!/usr/bin/env python3
"""Build data/landscape/neighbourhood_wards.csv: which ward belongs to which MPS neighbourhood.

MOPAC publishes the Public Attitude Survey by *neighbourhood* (a policing sector such as "Barking and
Dagenham - Barking", code KG-KB) but no sector boundaries. This script derives a ward -> sector
assignment, inside each borough, from what the sector names say:

1. A sector name (or a part of it split on "/", "and", "&") that names a ward of its borough
   (rapidfuzz score >= 90) claims that ward ("name match"); its seed point is the mean of those wards'
   centres.
2. Otherwise a part that names a rail/Underground station inside the borough puts the seed there
   ("station match").
3. Otherwise a compass name (North, South-East, Central, ...) puts the seed at that side of the
   borough: the borough centre plus half its half-extent in that direction ("compass").
4. Otherwise the seed is the borough centre ("no match").
Every other ward of the borough goes to the sector with the nearest seed ("nearest seed"), and a
sector left with no ward takes the ward nearest its seed, so every survey row lands on the map.

Wards are the May 2014 wards (the 2016 survey's geography). The GLA ward profiles use the 2011
census wards: 570 of them have the same code as a 2014 ward and inherit its sector; the 54 old wards
of Hackney, Kensington and Chelsea and Tower Hamlets are matched by name to a 2014 ward of the same
borough ("old ward name matched") or, failing that, by the nearest seed of a sector named like them.

Run from the repository root:  .venv/bin/python scripts/build_neighbourhood_wards.py
"""
from __future__ import annotations

import csv
import math
import re
import sys

from osgeo import ogr
from rapidfuzz import fuzz, process

from safestats import config

ROOT = config.REPO_ROOT
SHARED = config.SHARED_DATA_DIR
OUT = ROOT / "data" / "landscape" / "neighbourhood_wards.csv"
PAS_2016 = SHARED / "datastore" / "2016-police-perceptions.csv"
PAS_2021 = SHARED / "datastore" / "2015-16_to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv"
WARD_PROFILES = SHARED / "datastore" / "ward-profiles-excel-version.csv"

COMPASS = {"north": (0, 1), "south": (0, -1), "east": (1, 0), "west": (-1, 0),
           "north-east": (0.707, 0.707), "north-west": (-0.707, 0.707), "south-east": (0.707, -0.707),
           "south-west": (-0.707, -0.707), "central": (0, 0)}


def norm(s: str) -> str:
    s = s.replace("&", " and ").replace("St.", "St").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9\- ]", " ", s)).strip()


def neighbourhood_code_2021(name: str, codes_2016: dict[str, str]) -> str:
    """The 2016 code of the same neighbourhood, else one derived from the name (prefix N-)."""
    code = codes_2016.get(norm(name))
    if code:
        return code
    return "N-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def read_survey() -> dict[str, list[tuple[str, str]]]:
    """edition -> [(code, name)] for both MOPAC files."""
    with open(PAS_2016, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[2:]
    e2016 = [(r[1].strip(), r[0].strip()) for r in rows if r and r[0].strip()]
    codes = {norm(n): c for c, n in e2016}
    with open(PAS_2021, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[3:]
    e2021 = [(neighbourhood_code_2021(r[0], codes), r[0].strip()) for r in rows if r and r[0].strip()]
    return {"2016": e2016, "2021": e2021}


def read_wards():
    ds = ogr.Open("/vsigzip/" + str(ROOT / "data" / "boundaries" / "wards_2014.geojson.gz"))
    lyr = ds.GetLayer(0)
    wards = []
    for f in lyr:
        g = f.GetGeometryRef()
        p = g.PointOnSurface()
        wards.append({"code": f.GetField("GSS_Code"), "name": f.GetField("Name"),
                      "borough": f.GetField("Borough"), "x": p.GetX(), "y": p.GetY(),
                      "geom": g.Clone()})
    return wards


def read_stations(wards):
    """(name, x, y, borough) of rail/Underground/DLR/tram stations inside a London ward."""
    pts = []
    with open(SHARED / "gazetteer" / "tfl_stations_20180921.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            pts.append((re.sub(r"\s*-\s*DLR$|\s+(Rail|DLR|Tram) Station$", "", r["NAME"].strip(), flags=re.I),
                        float(r["EASTING"]), float(r["NORTHING"])))
    with open(SHARED / "gazetteer" / "naptan_RailReferences.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            x, y = float(r["Easting"] or 0), float(r["Northing"] or 0)
            if 500000 < x < 565000 and 155000 < y < 205000:
                pts.append((re.sub(r"\s+Rail Station$", "", r["StationName"].strip()), x, y))
    out = []
    for name, x, y in pts:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(x, y)
        for w in wards:
            if abs(w["x"] - x) < 6000 and abs(w["y"] - y) < 6000 and w["geom"].Contains(p):
                out.append((name, x, y, w["borough"]))
                break
    return out


def assign_borough(borough: str, sectors: list[tuple[str, str]], wards: list[dict], stations) -> list[dict]:
    """Rows (neighbourhood_code, ward, method, seed, distance) for one borough's sectors."""
    xs = [w["x"] for w in wards]
    ys = [w["y"] for w in wards]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    hx, hy = (max(xs) - min(xs)) / 2, (max(ys) - min(ys)) / 2
    ward_names = {w["code"]: norm(w["name"]) for w in wards}
    seeds, claimed = {}, {}
    for code, full in sectors:
        sector = full.split(" - ", 1)[1] if " - " in full else full
        s = norm(sector)
        s_nb = s.replace(norm(borough), "").strip() if norm(borough) in s and s != norm(borough) else s
        parts = [p for p in re.split(r"\s*(?:/| and )\s*", s_nb) if p]
        matched = []
        for part in parts:
            for wcode, wname in ward_names.items():
                if fuzz.WRatio(part, wname) >= 90 and (len(part) > 3 or part == wname):
                    matched.append(wcode)
        if matched:
            pts = [(w["x"], w["y"]) for w in wards if w["code"] in matched]
            seeds[code] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts),
                           "name match", "wards named " + "; ".join(sorted({w['name'] for w in wards
                                                                            if w['code'] in matched})))
            for wc in matched:
                claimed.setdefault(wc, code)
            continue
        st = [(n, x, y) for n, x, y, b in stations if b == borough]
        hits = []
        for part in parts:
            if part in COMPASS:
                continue
            for n, x, y in st:
                if fuzz.WRatio(part, norm(n)) >= 90:
                    hits.append((n, x, y))
        if hits:
            seeds[code] = (sum(h[1] for h in hits) / len(hits), sum(h[2] for h in hits) / len(hits),
                           "station match", "stations " + "; ".join(sorted({h[0] for h in hits})))
            continue
        comp = s_nb.replace(" ", "-")
        if comp in COMPASS:
            dx, dy = COMPASS[comp]
            seeds[code] = (cx + 0.5 * hx * dx, cy + 0.5 * hy * dy, "compass",
                           f"{comp} of the borough centre")
            continue
        seeds[code] = (cx, cy, "no match", "borough centre")
    rows = {}
    for w in wards:
        if w["code"] in claimed:
            sc = claimed[w["code"]]
            method = "name match"
        else:
            sc = min(seeds, key=lambda c: math.dist((w["x"], w["y"]), seeds[c][:2]))
            method = f"nearest seed ({seeds[sc][2]})"
        rows[w["code"]] = {"code": sc, "ward": w, "method": method, "seed": seeds[sc][3],
                           "distance_km": round(math.dist((w["x"], w["y"]), seeds[sc][:2]) / 1000, 3)}
    # A sector with no ward takes the ward nearest its seed, from a sector that keeps at least one.
    for code in seeds:
        if any(r["code"] == code for r in rows.values()):
            continue
        counts = {}
        for r in rows.values():
            counts[r["code"]] = counts.get(r["code"], 0) + 1
        cands = sorted((w for w in wards if counts[rows[w["code"]]["code"]] > 1 and
                        rows[w["code"]]["method"] != "name match"),
                       key=lambda w: math.dist((w["x"], w["y"]), seeds[code][:2]))
        w = cands[0]
        rows[w["code"]] = {"code": code, "ward": w, "method": f"nearest to an empty sector's seed "
                           f"({seeds[code][2]})", "seed": seeds[code][3],
                           "distance_km": round(math.dist((w["x"], w["y"]), seeds[code][:2]) / 1000, 3)}
    return list(rows.values())


def old_wards() -> list[tuple[str, str, str]]:
    """(code, borough, ward name) of the 2011 wards in the GLA ward profiles."""
    with open(WARD_PROFILES, encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [(r[2], r[0].split(" - ", 1)[0], r[0].split(" - ", 1)[1]) for r in rows
            if r[2].startswith("E05") and " - " in r[0]]


def main() -> int:
    survey = read_survey()
    wards = read_wards()
    stations = read_stations(wards)
    by_borough: dict[str, list[dict]] = {}
    for w in wards:
        by_borough.setdefault(norm(w["borough"]), []).append(w)
    out = []
    for edition, neighbourhoods in survey.items():
        names = dict(neighbourhoods)
        sectors_by_borough: dict[str, list[tuple[str, str]]] = {}
        for code, name in neighbourhoods:
            sectors_by_borough.setdefault(norm(name.split(" - ", 1)[0]), []).append((code, name))
        ward2014_to = {}
        for b, sectors in sectors_by_borough.items():
            if b not in by_borough:
                print(f"edition {edition}: borough {b!r} has no wards", file=sys.stderr)
                return 1
            for r in assign_borough(by_borough[b][0]["borough"], sectors, by_borough[b], stations):
                w = r["ward"]
                ward2014_to[w["code"]] = r
                out.append([edition, r["code"], names[r["code"]], w["borough"], 2014, w["code"], w["name"],
                            r["method"], r["seed"], r["distance_km"]])
        # 2011 census wards: same code -> same sector; old (pre-2014) wards by name.
        for code, borough, wname in old_wards():
            if code in ward2014_to:
                r = ward2014_to[code]
                out.append([edition, r["code"], names[r["code"]], r["ward"]["borough"], 2011, code, wname,
                            "same code as the 2014 ward", r["seed"], r["distance_km"]])
                continue
            cands = {w["code"]: norm(w["name"]) for w in by_borough[norm(borough)]}
            best = process.extractOne(norm(wname), cands, scorer=fuzz.WRatio)
            if best and best[1] >= 85:
                r = ward2014_to[best[2]]
                out.append([edition, r["code"], names[r["code"]], r["ward"]["borough"], 2011, code, wname,
                            f"old ward name matched to 2014 ward {r['ward']['name']} ({best[1]:.0f})",
                            r["seed"], r["distance_km"]])
                continue
            # No 2014 namesake: the sector whose own name is closest to the ward name, else the
            # borough's sector holding most of its 2014 wards (stated as a guess in the method).
            sectors = sectors_by_borough[norm(borough)]
            sbest = process.extractOne(norm(wname), {c: norm(n.split(' - ', 1)[1]) for c, n in sectors},
                                       scorer=fuzz.WRatio)
            if sbest and sbest[1] >= 85:
                sc, how = sbest[2], f"old ward name matched to the sector name ({sbest[1]:.0f})"
            else:
                counts = {}
                for r in ward2014_to.values():
                    if norm(r["ward"]["borough"]) == norm(borough):
                        counts[r["code"]] = counts.get(r["code"], 0) + 1
                sc = max(counts, key=counts.get)
                how = "guess: no 2014 namesake; the borough's largest sector"
            out.append([edition, sc, names[sc], borough, 2011, code, wname, how, "", ""])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["edition", "neighbourhood_code", "neighbourhood_name", "borough_name", "ward_vintage",
                    "ward_code", "ward_name", "method", "seed", "distance_km"])
        w.writerows(sorted(out, key=lambda r: (r[0], r[4], r[1], r[5])))
    # Every survey neighbourhood must have at least one ward of each vintage.
    for edition, neighbourhoods in survey.items():
        for vintage in (2014, 2011):
            have = {r[1] for r in out if r[0] == edition and r[4] == vintage}
            missing = [n for c, n in neighbourhoods if c not in have]
            if missing:
                print(f"edition {edition}, ward {vintage}: no ward for {missing}", file=sys.stderr)
                return 1
    print(f"{OUT.relative_to(ROOT)}: {len(out)} rows")
    methods = {}
    for r in out:
        key = (r[0], r[4], r[7].split(" (")[0])
        methods[key] = methods.get(key, 0) + 1
    for k in sorted(methods):
        print(f"  edition {k[0]} ward {k[1]}: {methods[k]:4d} {k[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
