"""London Fire Brigade and London Ambulance Service loaders on files written in their layouts."""
from __future__ import annotations

import csv

import pytest

from loaders import las, lfb
from loaders.core import LoadOptions, LoadRefused, load_csv
from safestats import synth_incidents


def _opts(tmp_path, **kw) -> LoadOptions:
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


def test_lfb_best_available_point_and_which(conn, tmp_path):
    f = synth_incidents.write_lfb(tmp_path / "lfb_2023.csv", rows=300)
    with open(f, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    res = load_csv(conn, lfb.SOURCE, f, _opts(tmp_path))
    assert (res.rows_loaded, res.rows_rejected) == (300, 0)
    exact = sum(1 for r in rows if r["Easting_m"] != "NULL")
    got = dict(conn.execute("SELECT coordinate_source, count(*) FROM "
                            "incident.lfb_incident GROUP BY 1").fetchall())
    assert got == {"exact": exact, "rounded": 300 - exact}
    # Exact rows sit on their Easting_m/Northing_m; rounded rows on the 50 m grid.
    r0 = next(r for r in rows if r["Easting_m"] != "NULL")
    x, y = conn.execute("SELECT ST_X(geom), ST_Y(geom) FROM incident.lfb_incident WHERE incident_number = %s",
                        (r0["IncidentNumber"],)).fetchone()
    assert (x, y) == (float(r0["Easting_m"]), float(r0["Northing_m"]))
    assert conn.execute("SELECT count(*) FROM incident.lfb_incident WHERE coordinate_source = 'rounded' "
                        "AND (ST_X(geom)::int % 50 <> 0 OR ST_Y(geom)::int % 50 <> 0)").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM incident.lfb_incident WHERE "
                        "borough_code IS NULL").fetchone()[0] == 0
    # NULL text is blank, not a value.
    assert conn.execute("SELECT count(*) FROM incident.lfb_incident WHERE postcode_full = 'NULL' "
                        "OR special_service_type = 'NULL'").fetchone()[0] == 0


def test_lfb_reload_replaces_incidents_by_number(conn, tmp_path):
    f = synth_incidents.write_lfb(tmp_path / "lfb_a.csv", rows=50, seed=5)
    load_csv(conn, lfb.SOURCE, f, _opts(tmp_path))
    before = conn.execute("SELECT count(*) FROM incident.lfb_incident").fetchone()[0]
    lines = f.read_text(encoding="utf-8").splitlines()
    # A later extract repeats the first 10 incidents with a corrected cost.
    fixed = tmp_path / "lfb_b.csv"
    fixed.write_text("\n".join([lines[0]] + [ln.rsplit(",", 1)[0] + ",999" for ln in lines[1:11]]) + "\n",
                     encoding="utf-8")
    load_csv(conn, lfb.SOURCE, fixed, _opts(tmp_path))
    assert conn.execute("SELECT count(*) FROM incident.lfb_incident").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM incident.lfb_incident WHERE "
                        "notional_cost_gbp = 999").fetchone()[0] == 10


def test_lfb_malformed_rows(conn, tmp_path):
    f = synth_incidents.write_lfb(tmp_path / "lfb_bad.csv", rows=5, seed=6)
    lines = f.read_text(encoding="utf-8").splitlines()
    cells = [next(csv.reader([ln])) for ln in lines]
    cells[2][1] = "2023-02-30"                               # no such day
    cells[3][23], cells[3][24] = "-9999999", "99999999"        # off the grid
    cells[4][0] = cells[5][0]                                  # the same incident twice
    bad = tmp_path / "lfb_bad2.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(cells)
    res = load_csv(conn, lfb.SOURCE, bad, _opts(tmp_path))
    rej = dict(conn.execute("SELECT line_no, reason FROM safestats.load_reject WHERE load_id = %s",
                            (res.load_id,)).fetchall())
    assert "not a date" in rej[3] and "outside the UK" in rej[4] and "more than once" in rej[5]
    # Both lines of a repeated IncidentNumber are rejected: the file cannot say which is right.
    assert "more than once" in rej[6] and res.rows_loaded == 1


def test_las_counts_with_column_variants(conn, tmp_path):
    codes = [r[0] for r in conn.execute("SELECT code FROM ref.area WHERE level = 'lsoa' AND vintage = 2021 "
                                        "ORDER BY code LIMIT 20").fetchall()]
    a = synth_incidents.write_las_counts(tmp_path / "las_a.csv", codes, ["2024-01", "2024-02"])
    b = synth_incidents.write_las_counts(tmp_path / "las_b.csv", codes[:5], ["2024-02"], seed=9,
                                         headers=("Period", "LSOA21CD", "Assault type", "Number of calls"))
    ra = load_csv(conn, las.SOURCE, a, _opts(tmp_path))
    assert ra.rows_loaded == 20 * 2 * len(synth_incidents.CATEGORIES)
    jan = conn.execute("SELECT sum(count) FROM incident.las_assault_count WHERE "
                       "month = '2024-01-01'").fetchone()[0]
    rb = load_csv(conn, las.SOURCE, b, _opts(tmp_path))
    assert rb.rows_loaded == 5 * len(synth_incidents.CATEGORIES)
    # February is replaced by the second file; January stays.
    assert conn.execute("SELECT count(*) FROM incident.las_assault_count WHERE month = '2024-02-01'"
                        ).fetchone()[0] == rb.rows_loaded
    assert conn.execute("SELECT sum(count) FROM incident.las_assault_count WHERE month = '2024-01-01'"
                        ).fetchone()[0] == jan
    levels = conn.execute("SELECT DISTINCT area_level FROM incident.las_assault_count").fetchall()
    assert levels == [("lsoa",)]
    wrong = tmp_path / "las_wrong.csv"
    wrong.write_text("When,Where,What\n2024-01,E01000001,Assault\n", encoding="utf-8")
    with pytest.raises(LoadRefused, match="Month"):
        load_csv(conn, las.SOURCE, wrong, _opts(tmp_path))


@pytest.mark.parametrize("bng", [False, True])
def test_las_incidents_lonlat_or_grid(conn, tmp_path, bng):
    f = synth_incidents.write_las_incidents(tmp_path / f"las_inc_{bng}.csv", rows=80, seed=30 + bng, bng=bng)
    with open(f, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    res = load_csv(conn, las.INCIDENTS, f, _opts(tmp_path))
    assert (res.rows_loaded, res.rows_rejected) == (80, 0)
    got = dict(conn.execute("SELECT location_status, count(*) FROM incident.las_assault WHERE load_id = %s "
                            "GROUP BY 1", (res.load_id,)).fetchall())
    assert got.get("no-coordinates", 0) == sum(1 for r in rows if not r[3])
    assert got["ok"] == 80 - got.get("no-coordinates", 0)
