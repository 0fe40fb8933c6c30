"""MPS ward monthly and LSOA annual count loaders on the real London Datastore files."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders import mps_lsoa, mps_ward
from loaders.core import LoadOptions, LoadRefused, load_csv


def _opts(tmp_path, **kw) -> LoadOptions:
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


@pytest.fixture(scope="module")
def ward_file(shared_data) -> Path:
    return shared_data / "datastore" / "mps_ward_level_crime_most_recent_24_months.csv"


@pytest.fixture(scope="module")
def ward_loaded(db_url, ward_file, tmp_path_factory):
    from safestats import db
    with db.connect(db_url) as c:
        return load_csv(c, mps_ward.SOURCE, ward_file,
                        LoadOptions(quiet=True, rejects_dir=tmp_path_factory.mktemp("r")))


def test_ward_file_is_stored_long_with_every_count(conn, ward_loaded, ward_file):
    with open(ward_file, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        months = [h for h in header if h.isdigit()]
        lines = list(r)
    assert ward_loaded.rows_rejected == 0
    assert ward_loaded.rows_loaded == len(lines) * len(months)
    total = sum(int(float(v)) for line in lines for v in line[5:])
    got = conn.execute("SELECT sum(count), count(DISTINCT month), min(month), max(month) "
                       "FROM crime.mps_ward_month").fetchone()
    assert got[0] == total and got[1] == len(months)
    assert got[2].strftime("%Y%m") == months[0] and got[3].strftime("%Y%m") == months[-1]


def test_aviation_security_pseudo_borough_is_kept(conn, ward_loaded, ward_file):
    with open(ward_file, encoding="utf-8", newline="") as f:
        so18 = [r for r in csv.DictReader(f) if r["LookUp_BoroughName"] == "Aviation Security (SO18)"]
    assert so18
    n, wards = conn.execute("SELECT count(*), array_agg(DISTINCT ward_code) FROM crime.mps_ward_month "
                            "WHERE borough_name = 'Aviation Security (SO18)'").fetchone()
    assert n == len(so18) * 25 and set(wards) == {r["WardCode"] for r in so18}


def test_ward_reload_replaces_the_months_it_covers(conn, ward_loaded, tmp_path):
    # A corrected file for two months only: those months are replaced, the other 23 untouched.
    f = tmp_path / "ward_fix.csv"
    f.write_text("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202501,202502\n"
                 "BURGLARY,BURGLARY RESIDENTIAL,Abbey,E05014053,Barking and Dagenham,7,9\n", encoding="utf-8")
    before_other = conn.execute("SELECT sum(count) FROM crime.mps_ward_month WHERE month NOT IN "
                                "('2025-01-01', '2025-02-01')").fetchone()[0]
    res = load_csv(conn, mps_ward.SOURCE, f, _opts(tmp_path))
    assert res.rows_loaded == 2
    assert conn.execute("SELECT array_agg(count ORDER BY month) FROM crime.mps_ward_month WHERE month IN "
                        "('2025-01-01', '2025-02-01')").fetchone()[0] == [7, 9]
    assert conn.execute("SELECT sum(count) FROM crime.mps_ward_month WHERE month NOT IN "
                        "('2025-01-01', '2025-02-01')").fetchone()[0] == before_other


def test_ward_file_bad_count_and_wrong_header(conn, tmp_path):
    f = tmp_path / "ward_bad.csv"
    f.write_text("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,201901,201913\n"
                 "BURGLARY,BURGLARY RESIDENTIAL,Abbey,E05014053,Barking and Dagenham,7,x\n"
                 "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Abbey,E05014053,Barking and Dagenham,1,2\n",
                 encoding="utf-8")
    res = load_csv(conn, mps_ward.SOURCE, f, _opts(tmp_path))
    reasons = conn.execute("SELECT line_no, reason FROM safestats.load_reject WHERE load_id = %s ORDER BY 1",
                           (res.load_id,)).fetchall()
    # Line 2 has a non-number; month 201913 does not exist (both lines) — every problem is named.
    assert {r[0] for r in reasons} == {2, 3}
    assert any("not a real month" in r[1] for r in reasons)
    wrong = tmp_path / "ward_wrong.csv"
    wrong.write_text("Major,Minor,Ward,Code,Borough,Jan 2019\nA,B,C,E05014053,D,1\n", encoding="utf-8")
    with pytest.raises(LoadRefused, match="MajorText"):
        load_csv(conn, mps_ward.SOURCE, wrong, _opts(tmp_path))


def test_lsoa_annual_files_category_from_name_and_totals(conn, shared_data, tmp_path):
    d = shared_data / "datastore" / "mps_lsoa_annual_crime_2011_2021"
    f = d / "london-2011-2021-major-robbery.csv"
    with open(f, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    res = load_csv(conn, mps_lsoa.SOURCE, f, _opts(tmp_path))
    assert res.rows_loaded == len(rows) * 11 and res.rows_rejected == 0
    got = conn.execute("SELECT major_category, minor_category, sum(count) FROM crime.mps_lsoa_year "
                       "WHERE year = 2019 GROUP BY 1, 2").fetchall()
    assert got == [("Robbery", "", pytest.approx(sum(float(r["2019"]) for r in rows)))]
    # The City of London is absent from the MPS files (policed by City of London Police).
    assert conn.execute("SELECT count(*) FROM crime.mps_lsoa_year WHERE borough_name = 'City of London'"
                        ).fetchone()[0] == 0
    # A minor-category file lands beside it; reloading the major file replaces only its own rows.
    load_csv(conn, mps_lsoa.SOURCE, d / "london-2011-2021-minor-theft-bicycle.csv", _opts(tmp_path))
    load_csv(conn, mps_lsoa.SOURCE, f, _opts(tmp_path, force=True))
    assert dict(conn.execute("SELECT minor_category, count(*) FROM "
                             "crime.mps_lsoa_year GROUP BY 1").fetchall()) == \
        {"": len(rows) * 11, "Theft from a bicycle": len(rows) * 11}


def test_lsoa_file_whose_name_gives_no_category_is_refused(conn, shared_data, tmp_path):
    src = shared_data / "datastore" / "mps_lsoa_annual_crime_2011_2021" / "london-2011-2021-major-arson.csv"
    f = tmp_path / "counts.csv"
    f.write_bytes(src.read_bytes()[:5000].rsplit(b"\n", 1)[0] + b"\n")
    with pytest.raises(LoadRefused, match="--major-category"):
        load_csv(conn, mps_lsoa.SOURCE, f, _opts(tmp_path))
    res = load_csv(conn, mps_lsoa.SOURCE, f, _opts(tmp_path, force=True,
                                                      extra={"major_category": "Arson and Criminal Damage"}))
    assert res.status == "loaded" and res.rows_loaded > 0
