"""The mechanisms behind the loaders' speed: the LSOA grid, staging parsed by the server, and the
rebuild of whole partitions. Each must give exactly what the slower way gives."""
from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders import areas, partitions, police_uk
from loaders.core import LoadOptions, load_csv
from safestats import config

# slow: the module builds the LSOA grid over all of London (about 90 s); `make test-quick` leaves it out
pytestmark = pytest.mark.slow

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
FORCE = "Test Constabulary"


def _opts(tmp_path, **kw) -> LoadOptions:
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


@pytest.fixture(scope="module")
def grid(db_url):
    from safestats import db
    with db.connect(db_url) as c:
        cells = c.execute("SELECT safestats_internal.refresh_lsoa_grid()").fetchone()[0]
    return cells


@pytest.fixture(scope="module")
def sample_points(db_url, grid):
    """WGS84 points: random ones in every 2021 LSOA, ones on 32 m cell corners and edges, ones on
    LSOA vertices (on boundaries), and a few outside London."""
    from safestats import db
    with db.connect(db_url) as c:
        rows = c.execute("""
            WITH l AS (SELECT geom FROM ref.area WHERE level = 'lsoa' AND vintage = 2021),
            pts AS (
              SELECT (ST_Dump(ST_GeneratePoints(geom, 2, 7))).geom AS g FROM l
              UNION ALL  -- cell corners and cell edges near random points
              SELECT ST_SetSRID(ST_MakePoint(round(ST_X(g) / 32) * 32, round(ST_Y(g) / 32) * 32), 27700)
              FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 1, 11))).geom AS g FROM l) r
              UNION ALL
              SELECT ST_SetSRID(ST_MakePoint(round(ST_X(g) / 32) * 32, ST_Y(g)), 27700)
              FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 1, 13))).geom AS g FROM l) r
              UNION ALL  -- vertices of the boundaries themselves
              SELECT (ST_DumpPoints(geom)).geom FROM (SELECT geom FROM l LIMIT 300) v
              UNION ALL
              SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4326), 27700)
              FROM (VALUES (-3.9436, 51.6214), (-2.4282, 53.5769), (0.6, 51.2)) o(x, y))
            SELECT ST_X(g), ST_Y(g) FROM pts""").fetchall()
    return rows


def test_grid_lists_only_cells_inside_one_lsoa(conn, grid):
    assert grid > 100_000
    # A cell's centre lies in the LSOA the grid names (on a sample of cells).
    wrong = conn.execute("""
        SELECT count(*) FROM (SELECT * FROM ref.lsoa_grid TABLESAMPLE SYSTEM (2)) g
        WHERE safestats.area_at(ST_SetSRID(ST_MakePoint(((g.cell >> 22) + 0.5) * 32,
              ((g.cell & 4194303) - 2097152 + 0.5) * 32), 27700), 'lsoa', 2021) IS DISTINCT FROM
                  g.code""").fetchone()[0]
    assert wrong == 0


def test_grid_and_polygons_give_exactly_what_area_at_gives(conn, sample_points):
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE p (line_no int, x float8, y float8) ON COMMIT DROP")
        with cur.copy("COPY p FROM STDIN") as cp:
            for i, (x, y) in enumerate(sample_points, start=1):
                cp.write_row((i, x, y))
        areas.create_located(cur)
        cur.execute("INSERT INTO located_pts (line_no, geom, lsoa21_code) SELECT p.line_no, q.geom, g.code "
                    "FROM p, LATERAL (SELECT ST_SetSRID(ST_MakePoint(x, y), 27700) AS geom) q "
                    "LEFT JOIN ref.lsoa_grid g ON g.cell = safestats_internal.grid_cell(q.geom)")
        from_grid = cur.execute("SELECT count(*) FROM located_pts WHERE "
                                "lsoa21_code IS NOT NULL").fetchone()[0]
        areas.assign_areas(cur)
        # Expected, one point at a time: area_at's LSOA, that LSOA's 2022 ward (the 2022 wards are
        # dissolved from LSOAs), the ward's borough, else the borough of the point's 2018 ward.
        n, lsoa_ok, ward_ok, borough_ok = cur.execute("""
            WITH e AS (
              SELECT o.*, safestats.area_at(o.geom, 'lsoa', 2021) AS lsoa FROM located o),
            f AS (
              SELECT e.*, lk.to_code AS ward FROM e
              LEFT JOIN ref.area_lookup lk ON lk.from_level = 'lsoa' AND lk.from_vintage = 2021
                   AND lk.from_code = e.lsoa AND lk.to_level = 'ward' AND lk.to_vintage = 2022
                   AND lk.method = 'best-fit')
            SELECT count(*),
                   count(*) FILTER (WHERE lsoa21_code IS NOT DISTINCT FROM lsoa),
                   count(*) FILTER (WHERE ward22_code IS NOT DISTINCT FROM ward),
                   count(*) FILTER (WHERE borough_code IS NOT DISTINCT FROM coalesce(
                       (SELECT a.parent_code FROM ref.area a WHERE a.level = 'ward' AND a.vintage = 2022
                          AND a.code = f.ward), safestats.borough_at(geom, 2018)))
            FROM f""").fetchone()
    assert n == len(sample_points)
    assert 0 < from_grid < n            # both ways were taken
    assert lsoa_ok == n
    assert ward_ok == n
    assert borough_ok == n


def test_a_boundary_change_empties_the_grid_and_a_big_load_rebuilds_it(conn, grid):
    with conn.transaction(force_rollback=True):
        conn.execute("SELECT safestats_internal.refresh_area_parts('lsoa', 2021)")
        assert conn.execute("SELECT count(*) FROM ref.lsoa_grid").fetchone()[0] == 0
        with conn.cursor() as cur:
            assert not areas.grid_ready(cur, lambda: areas.GRID_BUILD_MIN - 1)   # small file: no build
            assert areas.grid_ready(cur, lambda: areas.GRID_BUILD_MIN)            # big one builds it
        assert conn.execute("SELECT count(*) FROM ref.lsoa_grid").fetchone()[0] == grid


def test_other_levels_leave_the_grid_alone(conn, grid):
    """Ward, borough or LSOA 2011 parts rebuilt (ward profiles, area lookups do that) keep the grid;
    a deleted or moved LSOA 2021 part empties it."""
    count = "SELECT count(*) FROM ref.lsoa_grid"
    with conn.transaction(force_rollback=True):
        for level, vintage in conn.execute("SELECT DISTINCT level, vintage FROM ref.area_part "
                                           "WHERE (level, vintage) <> ('lsoa', 2021)").fetchall():
            conn.execute("SELECT safestats_internal.refresh_area_parts(%s, %s)", (level, vintage))
        conn.execute("UPDATE ref.area_part SET code = code WHERE level = 'borough'")
        assert conn.execute(count).fetchone()[0] == grid
        conn.execute("UPDATE ref.area_part SET geom = ST_Translate(geom, 1, 0) "
                     "WHERE level = 'lsoa' AND vintage = 2021 AND code = "
                     "(SELECT min(code) FROM ref.area_part WHERE level = 'lsoa' AND vintage = 2021)")
        assert conn.execute(count).fetchone()[0] == 0
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM ref.area_part WHERE level = 'lsoa' AND vintage = 2021 AND code = "
                     "(SELECT min(code) FROM ref.area_part WHERE level = 'lsoa' AND vintage = 2021)")
        assert conn.execute(count).fetchone()[0] == 0


# ------------------------------------------------------------------------------ staging
def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _rows(n: int, month: str = "2019-03", force: str = FORCE, start: int = 0) -> list[list[str]]:
    out = []
    for i in range(start, start + n):
        out.append([f"id{i}" if i % 3 else "", month, force, force, f"{-0.1 + (i % 97) * 0.001:.6f}",
                    f"{51.5 + (i % 89) * 0.001:.6f}", "On or near High Street", "E01000001",
                    "City of London 001A", "Burglary" if i % 2 else "Anti-social behaviour",
                    "Under investigation" if i % 3 else "", ""])
    return out


def _loaded(conn, load_id: int) -> list[tuple]:
    return conn.execute("""SELECT source_line, crime_id, month, force, longitude, latitude, location,
                                  crime_type,
                                  last_outcome, context, lsoa21_code, ward22_code, borough_code,
                                      location_status
                           FROM crime.street_crime WHERE load_id = %s ORDER BY
                               source_line""", (load_id,)).fetchall()


def _load_and_look(conn, path: Path, tmp_path) -> tuple[str, list[tuple], list[tuple]]:
    """Load a file; (how it was staged, the rows it loaded, its rejects)."""
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path))
    details = conn.execute("SELECT details FROM safestats.load "
                           "WHERE load_id = %s", (res.load_id,)).fetchone()[0]
    rejects = conn.execute("SELECT line_no, column_name, reason FROM safestats.load_reject "
                           "WHERE load_id = %s",
                           (res.load_id,)).fetchall()
    return details["staging"], _loaded(conn, res.load_id), rejects


def test_server_staging_loads_what_row_staging_loads(conn, tmp_path):
    rows = _rows(300)
    rows[5][4] = rows[5][5] = ""                     # no coordinates
    rows[7][5] = "99.0"                              # rejected: outside the UK
    staging, fast, rejects_fast = _load_and_look(conn, _write_csv(tmp_path / "2019-03-test-street.csv", rows),
                                                 tmp_path)
    assert staging == "server"
    # Blank values are NULL both ways (the row-by-row way makes "" NULL).
    assert sum(1 for r in fast if r[1] is None) == 100
    # The same rows with a padded value: the row-by-row way (which strips blanks) must take it.
    padded = [list(r) for r in rows]
    padded[10][6] = "  On or near High Street "
    staging, slow, rejects_slow = _load_and_look(
        conn, _write_csv(tmp_path / "2019-03-test-street-padded.csv", padded), tmp_path)
    assert staging == "rows"
    assert fast == slow and len(fast) == 299
    assert rejects_fast == rejects_slow == [(9, "latitude", rejects_fast[0][2])]


@pytest.mark.parametrize("quirk", ["quoted line break", "quoted empty", "short row", "unicode blank"])
def test_files_the_server_cannot_vouch_for_go_row_by_row(conn, tmp_path, quirk):
    rows = _rows(50, month="2019-04")
    path = tmp_path / "2019-04-test-street.csv"
    _write_csv(path, rows)
    text = path.read_text(encoding="utf-8").splitlines()
    if quirk == "quoted line break":
        text[3] = text[3].replace("On or near High Street", '"On or near\nHigh Street"')
    elif quirk == "quoted empty":
        text[3] = text[3].replace("Under investigation", '""')
    elif quirk == "unicode blank":     # a thin space ending a value: the row-by-row way strips it
        text[3] = text[3].replace("On or near High Street", "On or near High Street\u2009")
    else:
        text[3] = ",".join(text[3].split(",")[:5])
    path.write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    details = conn.execute("SELECT details FROM safestats.load "
                           "WHERE load_id = %s", (res.load_id,)).fetchone()[0]
    assert details["staging"] == "rows"
    lines = [r[0] for r in _loaded(conn, res.load_id)]
    if quirk == "short row":
        assert res.rows_rejected == 1 and 4 not in lines and len(lines) == 49
    elif quirk == "quoted line break":
        # The record after the two-line one is on line 6 of the file, and is numbered so.
        assert lines[:4] == [2, 3, 4, 6] and len(lines) == 50
    elif quirk == "unicode blank":
        assert conn.execute("SELECT location FROM crime.street_crime WHERE load_id = %s AND source_line = 4",
                            (res.load_id,)).fetchone()[0] == "On or near High Street"
    else:
        assert conn.execute("SELECT last_outcome FROM crime.street_crime WHERE load_id = %s "
                            "AND source_line = 4",
                            (res.load_id,)).fetchone()[0] is None


# ------------------------------------------------------------------------------ partition rebuild
@pytest.fixture
def bulk_always(monkeypatch):
    monkeypatch.setattr(partitions, "BULK_MIN_ROWS", 1)


def _partition_facts(conn, name: str) -> tuple:
    return conn.execute("""
        SELECT c.relowner::regrole::text, c.relacl::text, c.relispartition,
               (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid),
               (SELECT count(*) FROM pg_inherits h JOIN pg_index i ON i.indexrelid = h.inhrelid
                WHERE i.indrelid = c.oid), c.relpersistence::text
        FROM pg_class c WHERE c.oid = ('crime.' || %s)::regclass""", (name,)).fetchone()


def test_rebuilt_partition_reloads_without_duplicates(conn, tmp_path, bulk_always):
    conn.execute("DELETE FROM crime.street_crime WHERE month >= '2016-01-01' AND month < '2017-01-01'")
    before = _partition_facts(conn, "street_crime_2016")
    f1 = _write_csv(tmp_path / "2016-02-test-street.csv", _rows(400, month="2016-02"))
    res = load_csv(conn, police_uk.SOURCE, f1, _opts(tmp_path))
    details = conn.execute("SELECT details FROM safestats.load "
                           "WHERE load_id = %s", (res.load_id,)).fetchone()[0]
    assert details["rebuilt_partitions"] == ["street_crime_2016"]
    # Same owner, privileges, indexes (each attached to the table's own index) as before the rebuild.
    assert _partition_facts(conn, "street_crime_2016") == before
    assert before[3] == before[4] == 4
    assert conn.execute("SELECT to_regclass('crime.street_crime__bulk')").fetchone()[0] is None
    count = "SELECT count(*) FROM crime.street_crime WHERE month >= '2016-01-01' AND month < '2017-01-01'"
    assert conn.execute(count).fetchone()[0] == 400
    # Reload: the partition holds only this file's slice, so it is rebuilt again; nothing doubles.
    res2 = load_csv(conn, police_uk.SOURCE, f1, _opts(tmp_path, force=True))
    d2 = conn.execute("SELECT details FROM safestats.load WHERE load_id = %s", (res2.load_id,)).fetchone()[0]
    assert d2["rebuilt_partitions"] == ["street_crime_2016"] and d2["replaced_rows"] == 400
    assert conn.execute(count).fetchone()[0] == 400
    # Another month of the same year: the partition holds a slice this file does not replace, so the
    # rows go in one by one and the first month stays.
    f2 = _write_csv(tmp_path / "2016-03-test-street.csv", _rows(250, month="2016-03"))
    res3 = load_csv(conn, police_uk.SOURCE, f2, _opts(tmp_path))
    d3 = conn.execute("SELECT details FROM safestats.load WHERE load_id = %s", (res3.load_id,)).fetchone()[0]
    assert d3["rebuilt_partitions"] == []
    assert conn.execute(count).fetchone()[0] == 650
    # The indexes answer (the analyst query uses the rebuilt partition's borough index).
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2016-02-01' AND load_id = %s",
                        (res2.load_id,)).fetchone()[0] == 400
    assert _partition_facts(conn, "street_crime_2016") == before


def test_a_killed_partition_rebuild_leaves_the_old_rows(conn, db_url, tmp_path):
    conn.execute("DELETE FROM crime.street_crime WHERE month >= '2014-01-01' AND month < '2015-01-01'")
    f = _write_csv(tmp_path / "2014-06-test-street.csv", _rows(60_000, month="2014-06"))
    res = load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path))
    assert res.status == "loaded"
    count = "SELECT count(*), max(load_id) FROM crime.street_crime WHERE month = '2014-06-01'"
    assert conn.execute(count).fetchone() == (60_000, res.load_id)
    env = {**os.environ, "DATABASE_URL": db_url, "SAFESTATS_BULK_MIN_ROWS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "safestats.cli", "load", "police-uk", str(f), "--force",
                             "--rejects-dir", str(tmp_path)], env=env, cwd=config.REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    caught = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        caught = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND pid <> "
                              "pg_backend_pid()",
                              ("%street_crime__bulk%",)).fetchone()[0] > 0
        if caught:
            break
        time.sleep(0.02)
    assert caught, "the load should have been caught while rebuilding the partition"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(400):
        if not conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND pid <> "
                            "pg_backend_pid()",
                            ("%street_crime__bulk%",)).fetchone()[0]:
            break
        time.sleep(0.05)
    assert conn.execute(count).fetchone() == (60_000, res.load_id)
    assert conn.execute("SELECT to_regclass('crime.street_crime__bulk')").fetchone()[0] is None
    assert _partition_facts(conn, "street_crime_2014")[2:] == (True, 4, 4, "p")
    again = load_csv(conn, police_uk.SOURCE, f, _opts(tmp_path, force=True))
    assert again.status == "loaded" and conn.execute(count).fetchone() == (60_000, again.load_id)


# ------------------------------------------------------------------------------ counts for analysts
def test_month_type_counts_follow_every_load_and_reload(conn, tmp_path):
    a = _write_csv(tmp_path / "2012-01-test-street.csv", _rows(120, month="2012-01"))
    b = _write_csv(tmp_path / "2012-02-test-street.csv", _rows(80, month="2012-02"))
    load_csv(conn, police_uk.SOURCE, a, _opts(tmp_path))
    load_csv(conn, police_uk.SOURCE, b, _opts(tmp_path))
    # A reload of January with fewer rows replaces January's counts.
    _write_csv(a, _rows(30, month="2012-01", start=500))
    load_csv(conn, police_uk.SOURCE, a, _opts(tmp_path))
    raw = conn.execute("SELECT force, month, crime_type, count(*) FROM crime.street_crime "
                       "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
    kept = conn.execute("SELECT force, month, crime_type, records FROM crime.street_crime_month_type "
                        "ORDER BY 1, 2, 3").fetchall()
    assert kept == raw
    assert sum(r[3] for r in kept if r[0] == FORCE and str(r[1]) == "2012-01-01") == 30


# ------------------------------------------------------------------------------ quick checks
NUMBERS = ["-0.147911", "51.5", "+0.1", ".5", "-.5", "5.", "1-2", "-", ".", "1e-1", "0x1", "Infinity", "NaN",
           "1.2.3", "--1", "0.1-", "1 2", "١٢", "99", "-9"]
MONTHS = ["2001-01", "2025-12", "2001--1", "2001-1-", "2001-13", "2001-00", "0000-01", "20010-1", "2001-1",
          "2001/01", "01-2001", "2001-1x"]


@pytest.mark.parametrize("value", NUMBERS + MONTHS)
def test_a_quick_check_never_passes_what_its_exact_check_rejects(conn, value):
    """Wherever a quick form holds, the exact check holds (or the quick form raises): otherwise a file
    could skip the exact checks with a bad value in it."""
    row = ("(SELECT %(v)s::text AS longitude, %(v)s::text AS latitude, %(v)s::text AS month, "
           "'x' AS reported_by, 'x' AS crime_type) stage")
    for ch in police_uk.SOURCE.checks:
        if not ch.quick_sql:
            continue
        try:
            with conn.transaction():
                quick = conn.execute(f"SELECT coalesce(({ch.quick_sql}), false) FROM {row}",
                                     {"v": value}).fetchone()[0]
        except Exception:
            continue     # a raising quick form sends the file to the exact checks
        if quick:
            exact = conn.execute(f"SELECT coalesce(({ch.valid_sql}), false) FROM {row}",
                                 {"v": value}).fetchone()[0]
            assert exact, (value, ch.reason)


def test_a_bad_value_the_quick_checks_let_by_is_still_rejected(conn, tmp_path):
    rows = _rows(20, month="2019-05")
    rows[3][1] = "2019--5"          # would cast to a date; the exact check rejects it
    rows[4][4] = "1-2"              # makes the quick cast raise
    res = load_csv(conn, police_uk.SOURCE, _write_csv(tmp_path / "2019-05-quick-street.csv", rows),
                   _opts(tmp_path, force=True))
    got = conn.execute("SELECT line_no, column_name, reason FROM safestats.load_reject WHERE load_id = %s "
                       "ORDER BY line_no", (res.load_id,)).fetchall()
    assert got == [(5, "month", "not a month (YYYY-MM)"), (6, "longitude", "longitude is not a number")]
