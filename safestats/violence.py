"""Violence analysis (issue 18): hotspots with significance, time profiles, venue rankings and the
police data gap. The work is done by the SQL functions in db/functions/5xx_violence_*.sql; this
module calls them for the command line (``safestats violence``), the demo and the QGIS plugin, so every
front end gives the same answer. docs/analysis.md explains the methods."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .output import Table, fetch_table

SOURCES = ("street-crime", "ae-assault", "las-assault", "lfb-incident")
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass
class HotspotResult:
    """The cells (or areas) of a hotspot run, hottest first, and how the records were counted."""
    table: Table
    used: int | None = None
    spread: int | None = None
    excluded: int | None = None
    unplaced: int | None = None

    def counts(self) -> dict:
        rows = self.table.rows
        col = self.table.columns.index("hotspot")
        return {"cells": len(rows), "hot": sum(1 for r in rows if r[col] == "hot"),
                "cold": sum(1 for r in rows if r[col] == "cold")}


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def hotspots(conn, source: str, start, end, cell_m: float = 250, category: str | None = None,
             large_radius: str = "spread", band_cells: float = 1.5, fdr: float = 0.05,
             boroughs: list[str] | None = None, max_radius_m: float | None = None) -> HotspotResult:
    """Gi* hot and cold spots on a grid (safestats.violence_hotspots), every cell of the study area."""
    t = fetch_table(conn, """
        SELECT cell_x, cell_y, records, neighbours, local_sum, gi_z, p_value, q_value, hotspot,
               records_used, records_spread, records_excluded, ST_AsText(ST_Centroid(geom)) AS centre
        FROM safestats.violence_hotspots(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                    (source, _date(start), _date(end), cell_m, category, large_radius, band_cells, fdr,
                     boroughs, max_radius_m))
    first = t.rows[0] if t.rows else None
    return HotspotResult(t, *(first[9:12] if first else (0, 0, 0)))


def area_hotspots(conn, source: str, start, end, level: str = "ward", category: str | None = None,
                  fdr: float = 0.05, boroughs: list[str] | None = None) -> HotspotResult:
    """Gi* hot and cold spots on LSOAs 2021 or wards 2022 (safestats.violence_area_hotspots)."""
    t = fetch_table(conn, """
        SELECT area_code, area_name, records, neighbours, local_sum, gi_z, p_value, q_value, hotspot,
               records_unplaced
        FROM safestats.violence_area_hotspots(%s, %s, %s, %s, %s, %s, %s)""",
                    (source, _date(start), _date(end), level, category, fdr, boroughs))
    return HotspotResult(t, unplaced=t.rows[0][9] if t.rows else 0)


def hour_week(conn, source: str, start, end, category: str | None = None,
              boroughs: list[str] | None = None) -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_hour_week(%s, %s, %s, %s, %s)",
                       (source, _date(start), _date(end), category, boroughs))


def hour_week_grid(table: Table) -> list[str]:
    """The 168 counts of :func:`hour_week` as a 7 x 24 text grid (days down, hours across), night-time
    economy hours marked with '*' after the count."""
    cells = {(r[0], r[2]): (r[3], r[4]) for r in table.rows}
    width = max([len(str(n)) for n, _ in cells.values()] + [2]) + 1
    lines = ["      " + "".join(f"{h:>{width}}" for h in range(24)) + "   total"]
    for d in range(1, 8):
        row = "".join(f"{cells.get((d, h), (0, False))[0]:>{width - 1}}"
                      + ("*" if cells.get((d, h), (0, False))[1] else " ") for h in range(24))
        total = sum(cells.get((d, h), (0, 0))[0] for h in range(24))
        lines.append(f"  {DAYS[d - 1]} " + row + f"  {total:>6}")
    return lines


def by_month(conn, source: str, start, end, category: str | None = None,
             boroughs: list[str] | None = None) -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_by_month(%s, %s, %s, %s, %s)",
                       (source, _date(start), _date(end), category, boroughs))


def nte_share(conn, source: str, start, end, category: str | None = None,
              boroughs: list[str] | None = None) -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_nte_share(%s, %s, %s, %s, %s)",
                       (source, _date(start), _date(end), category, boroughs))


def compare(conn, source: str, period1: tuple, period2: tuple, category: str | None = None,
            boroughs: list[str] | None = None) -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_compare_periods(%s, %s, %s, %s, %s, %s, %s)",
                       (source, _date(period1[0]), _date(period1[1]), _date(period2[0]), _date(period2[1]),
                        category, boroughs))


def venues(conn, start, end, venue_type: str | None = None, boroughs: list[str] | None = None,
           top: int | None = None) -> Table:
    t = fetch_table(conn, "SELECT * FROM safestats.violence_venues(%s, %s, %s, %s)",
                    (_date(start), _date(end), venue_type, boroughs))
    if top:
        t.rows = t.rows[:top]
    return t


def venue_types(conn, start, end, level: str = "borough") -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_venue_types(%s, %s, %s)",
                       (_date(start), _date(end), level))


def police_gap(conn, start, end, level: str = "borough", police: str = "police-uk",
               by_month: bool = False) -> Table:
    return fetch_table(conn, "SELECT * FROM safestats.violence_police_gap(%s, %s, %s, %s, %s)",
                       (_date(start), _date(end), level, police, by_month))


def data_period(conn, source: str) -> tuple[dt.date, dt.date] | None:
    """First and last day with records of a source (for defaults: the whole loaded period)."""
    query = {
        "street-crime": "SELECT min(month), (max(month) + interval '1 month - 1 day')::date "
                        "FROM crime.street_crime",
        "ae-assault": "SELECT min((coalesce(assault_at, arrival_at) AT TIME ZONE 'Europe/London')::date), "
                      "max((coalesce(assault_at, arrival_at) AT TIME ZONE 'Europe/London')::date) "
                      "FROM health.ae_assault",
        "las-assault": "SELECT min((call_at AT TIME ZONE 'Europe/London')::date), "
                       "max((call_at AT TIME ZONE 'Europe/London')::date) FROM incident.las_assault",
        "lfb-incident": "SELECT min(call_date), max(call_date) FROM incident.lfb_incident",
    }[source]
    lo, hi = conn.execute(query).fetchone()
    return (lo, hi) if lo else None


def rounded(table: Table, digits: int = 3) -> Table:
    """The table with floats rounded for printing."""
    return Table(table.columns, [tuple(round(v, digits) if isinstance(v, float) else v for v in r)
                                 for r in table.rows])


def demo_step(conn, quiet: bool = False) -> None:
    """The demo's violence analysis: top street-crime hotspots and the A&E hour-of-week profile."""
    from .output import print_table
    period = data_period(conn, "street-crime")
    if period:
        r = hotspots(conn, "street-crime", *period, cell_m=200, category="Violence and sexual offences",
                     boroughs=["E09000001"])
        c = r.counts()
        print(f"  police.uk violence and sexual offences {period[0]} .. {period[1]}, City of London, "
              f"200 m grid, Gi* (queen contiguity, self included), FDR 5 %: {c['cells']} cells, "
              f"{c['hot']} hot, {c['cold']} cold; {r.used} records used, {r.excluded} excluded")
        top = Table(["cell_x", "cell_y", "records", "gi_z", "q_value", "hotspot", "centre"],
                    [(x[0], x[1], x[2], x[5], x[7], x[8], x[12]) for x in r.table.rows[:5]])
        print_table("Top 5 hotspot cells (hottest first)", rounded(top, 4))
    period = data_period(conn, "ae-assault")
    if period:
        t = hour_week(conn, "ae-assault", *period)
        total = sum(r[3] for r in t.rows)
        print(f"\n  A&E assault attendances by hour of week ({period[0]} .. {period[1]}, London time, "
              f"{total} records; * = night-time-economy hours, Thu-Sat 20:00-05:59):")
        for line in hour_week_grid(t):
            print(line)
        s = nte_share(conn, "ae-assault", *period).rows[0]
        if s[0]:
            print(f"  in night-time-economy hours: {s[1]} of {s[0]} = {s[2]:.1%} "
                  f"(95 % CI {s[3]:.1%} .. {s[4]:.1%}; those hours are {s[5]:.1%} of the week)")
    # the form partners see: the latest frozen release (made by the demo's security step)
    if conn.execute("SELECT to_regclass('open.violence_ae_hour_week_release') IS NOT NULL").fetchone()[0]:
        rel = conn.execute("SELECT max(release_id), count(*) FILTER (WHERE suppressed), count(*) "
                           "FROM open.violence_ae_hour_week_release").fetchone()
        if rel[0]:
            print(f"  published for partners (safestats export open.violence_ae_hour_week_release): release "
                  f"{rel[0]}, {rel[1]} of {rel[2]} figures withheld by disclosure control")
