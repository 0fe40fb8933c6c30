"""police.uk loaders on the real City of London and Metropolitan files, plus written malformed files."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders import police_uk
from loaders.core import LoadOptions, LoadRefused, load_csv
from safestats import config

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")


def _opts(tmp_path, **kw) -> LoadOptions:
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


@pytest.fixture(scope="module")
def city_files(shared_data) -> list[Path]:
    return sorted((shared_data / "police_uk" / "city-of-london").glob("*-street.csv"))


@pytest.fixture(scope="module")
def loaded_city(db_url, city_files, tmp_path_factory):
    """All 25 real City of London files loaded once for the facts below."""
    from safestats import db
    tmp = tmp_path_factory.mktemp("city")
    with db.connect(db_url) as c:
        results = [load_csv(c, police_uk.SOURCE, f, LoadOptions(quiet=True, rejects_dir=tmp))
                   for f in city_files]
    return results


def _file_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_row_of_every_real_file_is_kept(conn, loaded_city, city_files):
    expected = sum(len(_file_rows(f)) for f in city_files)
    assert all(r.status == "loaded" and r.rows_rejected == 0 for r in loaded_city)
    n = conn.execute("SELECT count(*) FROM crime.street_crime WHERE force = 'City "
                     "of London Police'").fetchone()[0]
    assert n == expected


def test_crime_ids_repeat_within_a_month_with_different_points(conn, loaded_city, city_files):
    # Straight from the file: an ID seen twice in one month at two different points…
    rows = _file_rows(city_files[0])
    seen: dict[str, set] = {}
    for r in rows:
        if r["Crime ID"]:
            seen.setdefault(r["Crime ID"], set()).add((r["Longitude"], r["Latitude"]))
    repeated = [cid for cid, pts in seen.items() if len(pts) > 1]
    # …may or may not be in the first month, so ask the database across all months too.
    in_db = conn.execute("""SELECT crime_id, month, count(*), count(DISTINCT geom) FROM crime.street_crime
                            WHERE crime_id IS NOT NULL GROUP BY 1, 2 HAVING count(DISTINCT geom) >
                                1""").fetchall()
    assert in_db, "the real files have repeated Crime IDs with different points"
    for cid in repeated:
        n = conn.execute("SELECT count(*) FROM crime.street_crime WHERE crime_id = %s", (cid,)).fetchone()[0]
        assert n == sum(1 for r in rows if r["Crime ID"] == cid)


def test_identical_anti_social_behaviour_rows_are_separate_incidents(conn, loaded_city, city_files):
    rows = _file_rows(city_files[0])
    keyed = [tuple(r.values()) for r in rows if not r["Crime ID"]]
    dupes = len(keyed) - len(set(keyed))
    assert dupes > 0, "the first real file has identical ASB rows"
    month = rows[0]["Month"] + "-01"
    n = conn.execute("""SELECT count(*) - count(DISTINCT (month, crime_type, longitude, latitude, location,
                                                          lsoa_code_reported, last_outcome, context))
                        FROM crime.street_crime WHERE crime_id IS NULL AND month = %s::date
                          AND force = 'City of London Police'""", (month,)).fetchone()[0]
    assert n == dupes
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE crime_id IS NULL AND month = %s::date",
                        (month,)).fetchone()[0] == len(keyed)


def test_rows_without_coordinates_are_kept_flagged_without_area(conn, loaded_city, city_files):
    expected = sum(1 for f in city_files for r in _file_rows(f) if not r["Longitude"])
    assert expected > 0
    rows = conn.execute("""SELECT count(*), count(geom), count(lsoa21_code), count(borough_code)
                           FROM crime.street_crime WHERE location_status = 'no-coordinates'""").fetchone()
    assert rows == (expected, 0, 0, 0)


def test_points_outside_london_are_kept_flagged_without_area(conn, loaded_city):
    rows = conn.execute("""SELECT lsoa_code_reported, lsoa21_code, ward22_code, borough_code, geom IS NOT NULL
                           FROM crime.street_crime WHERE location_status = 'outside-london'""").fetchall()
    assert rows, "the real City files have points far outside London"
    assert all(r[1] is None and r[2] is None and r[3] is None and r[4] for r in rows)
    # They are the rows police.uk itself placed in LSOAs outside London (Powys, Swansea, …).
    assert not any(r[0] and r[0] in {x[0] for x in conn.execute(
        "SELECT code FROM ref.area WHERE level = 'lsoa'").fetchall()} for r in rows)


def test_points_in_london_get_lsoa_ward_and_borough(conn, loaded_city):
    ok = conn.execute("""SELECT count(*), count(borough_code), count(ward22_code),
                                count(*) FILTER (WHERE borough_code = 'E09000001')
                         FROM crime.street_crime WHERE location_status = 'ok'""").fetchone()
    assert ok[0] == ok[1] > 0
    assert ok[2] >= ok[0] * 0.99          # all but points on the river (no 2022 ward there)
    assert ok[3] > ok[0] * 0.8            # City of London Police: mostly in the City
    # Same answer as the Foundation's point-in-area function, on a sample.
    diff = conn.execute("""SELECT count(*) FROM (SELECT * FROM crime.street_crime WHERE location_status = 'ok'
                           LIMIT 300) s WHERE s.lsoa21_code IS DISTINCT FROM safestats.lsoa_at(s.geom, 2021)
                           OR s.ward22_code IS DISTINCT FROM safestats.ward_at(s.geom, 2022)""").fetchone()[0]
    assert diff == 0


def test_reloading_a_file_replaces_its_slice_only(conn, loaded_city, city_files, tmp_path):
    f = city_files[3]
    month = f.name[:7] + "-01"
    before_all = conn.execute("SELECT count(*) FROM crime.street_crime").fetchone()[0]
    before = conn.execute("SELECT count(*) FROM crime.street_crime WHERE "
                          "month = %s::date", (month,)).fetchone()[0]
    same = load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path))
    assert same.status == "unchanged"
    again = load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path, force=True))
    assert again.status == "loaded" and again.rows_loaded == before
    assert conn.execute("SELECT count(*) FROM crime.street_crime").fetchone()[0] == before_all
    # A corrected file for the month (half the rows) replaces the slice; other months untouched.
    lines = f.read_text(encoding="utf-8").splitlines()
    half = tmp_path / f.name
    half.write_text("\n".join(lines[: 1 + (len(lines) - 1) // 2]) + "\n", encoding="utf-8")
    res = load_csv(conn, police_uk.SOURCE, half, _opts(tmp_path))
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = %s::date",
                        (month,)).fetchone()[0] == res.rows_loaded == (len(lines) - 1) // 2
    assert conn.execute("SELECT count(*) FROM crime.street_crime").fetchone()[0] == \
        before_all - before + res.rows_loaded
    assert conn.execute("SELECT count(DISTINCT load_id) FROM crime.street_crime WHERE month = %s::date",
                        (month,)).fetchone()[0] == 1


def _write(path: Path, lines: list[str], encoding="utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding) if isinstance(lines, list) else lines)
    return path


GOOD = ("abc,2019-03,Metropolitan Police Service,Metropolitan Police Service,-0.1,51.5,On or near X,"
        "E01000001,City of London 001A,Burglary,Under investigation,")


def test_wrong_header_is_refused_naming_the_file_and_columns(conn, tmp_path):
    f = _write(tmp_path / "2019-03-metropolitan-street.csv",
               [HEADER.replace("Crime type", "Offence"), GOOD])
    with pytest.raises(LoadRefused) as e:
        load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path))
    msg = str(e.value)
    assert str(f) in msg and "line 1" in msg and "Crime type" in msg and "Offence" in msg
    assert conn.execute("SELECT status FROM safestats.load ORDER BY "
                        "load_id DESC LIMIT 1").fetchone()[0] == "refused"


def test_bad_month_and_coordinates_outside_the_uk_are_rejected_with_line_and_reason(conn, tmp_path):
    f = _write(tmp_path / "2019-03-metropolitan-street.csv", [
        HEADER, GOOD,
        GOOD.replace("2019-03", "2019-13"),            # line 3: not a month
        GOOD.replace("-0.1,51.5", "-74.0,40.7"),       # line 4: New York
        GOOD.replace("-0.1,51.5", "abc,51.5"),         # line 5: not a number
        GOOD.replace("-0.1,51.5", ",51.5"),            # line 6: half a coordinate
        ",2019-03,Metropolitan Police Service,Metropolitan Police Service,,,No "
        "location,,,Anti-social behaviour,,",
    ])
    res = load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path))
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (6, 2, 4)
    rej = conn.execute("SELECT line_no, column_name, reason FROM safestats.load_reject WHERE load_id = %s "
                       "ORDER BY line_no", (res.load_id,)).fetchall()
    assert [r[0] for r in rej] == [3, 4, 5, 6]
    assert "month" in rej[0][2] and "outside the UK" in rej[1][2] and "not a number" in rej[2][2]
    text = res.rejects_file.read_text()
    assert str(f) in text and "outside the UK" in text
    # --strict: the same file is refused whole.
    with pytest.raises(LoadRefused, match="4 bad value"):
        load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path, strict=True, force=True))


def test_empty_and_undecodable_files_are_refused(conn, tmp_path):
    empty = _write(tmp_path / "empty.csv", b"")
    with pytest.raises(LoadRefused, match="empty"):
        load_csv(conn, police_uk.SOURCE, empty, _opts(tmp_path))
    header_only = _write(tmp_path / "header_only.csv", [HEADER])
    with pytest.raises(LoadRefused, match="no data rows"):
        load_csv(conn, police_uk.SOURCE, header_only, _opts(tmp_path))
    # 0x81 is neither UTF-8 nor Windows-1252.
    bad = _write(tmp_path / "bad.csv",
                 (HEADER + "\n" + GOOD.replace("On or near X", "On or near \x00") + "\n")
                 .encode().replace(b"\x00", b"\x81\x81"))
    with pytest.raises(LoadRefused) as e:
        load_csv(conn, police_uk.SOURCE, bad, _opts(tmp_path))
    assert str(bad) in str(e.value) and "encoding" in str(e.value)


def test_outcomes_file_replaces_its_slice(conn, tmp_path):
    head = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
            "Outcome type")
    row = ("c1,2020-02,City of London Police,City of London Police,-0.09,51.515,On or near Y,E01000001,"
           "City of London 001A,Offender given a caution")
    f = _write(tmp_path / "2020-02-city-of-london-outcomes.csv", [head, row, row.replace("c1", "c2"), row])
    res = load_csv(conn, police_uk.OUTCOMES, f, _opts(tmp_path))
    assert res.rows_loaded == 3
    assert conn.execute("SELECT count(*), count(DISTINCT borough_code) FROM crime.outcome WHERE "
                        "crime_id = 'c1'").fetchone() == (2, 1)
    f2 = _write(tmp_path / "2020-02-city-of-london-outcomes-v2.csv", [head, row])
    load_csv(conn, police_uk.OUTCOMES, f2, _opts(tmp_path))
    assert conn.execute("SELECT count(*) FROM crime.outcome").fetchone()[0] == 1


def test_real_stop_and_search_file(conn, shared_data, tmp_path):
    f = shared_data / "police_uk" / "metropolitan" / "2016-06-metropolitan-stop-and-search.csv"
    rows = _file_rows(f)
    res = load_csv(conn, police_uk.STOP_SEARCH, f, _opts(tmp_path))
    assert res.rows_loaded == len(rows) and res.rows_rejected == 0
    got = dict(conn.execute("SELECT location_status, count(*) FROM crime.stop_search GROUP BY 1").fetchall())
    assert got["no-coordinates"] == sum(1 for r in rows if not r["Latitude"])
    # Searches just before midnight UTC on 31 May are in the June file (BST): the slice is the file's.
    assert conn.execute("SELECT count(*) FROM crime.stop_search WHERE file_month = '2016-06-01' "
                        "AND searched_at < '2016-06-01'").fetchone()[0] > 0
    renamed = tmp_path / "searches.csv"
    shutil.copy(f, renamed)
    with pytest.raises(LoadRefused, match="--police-force"):
        load_csv(conn, police_uk.STOP_SEARCH, renamed, _opts(tmp_path, force=True))


def test_a_killed_load_leaves_nothing_and_can_be_rerun(conn, db_url, city_files, tmp_path):
    # A big file: the real rows of one month, repeated (distinct months would change the slice).
    lines = city_files[0].read_text(encoding="utf-8").splitlines()
    big = tmp_path / "2023-05-city-of-london-street.csv"
    with open(big, "w", encoding="utf-8") as f:
        f.write(lines[0] + "\n")
        for _ in range(100):
            f.write("\n".join(lines[1:]) + "\n")
    conn.execute("DELETE FROM crime.street_crime WHERE month = '2023-05-01'")
    env = {**os.environ, "DATABASE_URL": db_url}
    proc = subprocess.Popen([sys.executable, "-m", "safestats.cli", "load", "police-uk", str(big), "--force",
                             "--rejects-dir", str(tmp_path)], env=env, cwd=config.REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    copying = False
    while time.monotonic() < deadline and proc.poll() is None:
        copying = conn.execute("SELECT count(*) FROM pg_stat_progress_copy WHERE tuples_processed > 1000"
                               ).fetchone()[0] > 0
        if copying:
            break
        time.sleep(0.05)
    assert copying, "the load should have been caught in the middle of its COPY"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The server notices the dead client and rolls the transaction back.
    for _ in range(200):
        if not conn.execute("SELECT count(*) FROM pg_stat_progress_copy").fetchone()[0]:
            break
        time.sleep(0.05)
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE "
                        "month = '2023-05-01'").fetchone()[0] == 0
    status = conn.execute("SELECT status FROM safestats.load WHERE file_name = %s ORDER BY "
                          "load_id DESC LIMIT 1",
                          (big.name,)).fetchone()[0]
    assert status == "running"      # visible in `safestats status` as a load that did not finish
    res = load_csv(conn, police_uk.SOURCE, big, _opts(tmp_path))
    assert res.status == "loaded" and res.rows_loaded == 100 * (len(lines) - 1)
