"""A police.uk file loaded on two connections (loaders/parallel.py) must give exactly what the
one-connection load gives, change nothing until its last transaction commits, and clean up after
itself — and after a load that was killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from test_loaders_speed import FORCE, _loaded, _opts, _partition_facts, _rows, _write_csv

from loaders import parallel, partitions, police_uk
from loaders.core import LoadRefused, load_csv
from safestats import config
from safestats.status import SECTIONS as STATUS_SECTIONS

SCRATCH_SECTION = "Scratch left by killed two-connection loads (the next big police.uk load drops it)"
SCRATCH = "SELECT array_agg(nspname ORDER BY nspname) FROM pg_namespace WHERE nspname LIKE 'safestats_load%%'"


@pytest.fixture
def two_connections(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(partitions, "BULK_MIN_ROWS", 1)


def _details(conn, load_id: int) -> dict:
    return conn.execute("SELECT details FROM safestats.load WHERE load_id = %s", (load_id,)).fetchone()[0]


def _rejects(conn, load_id: int) -> list[tuple]:
    return conn.execute("SELECT line_no, column_name, value, reason FROM safestats.load_reject "
                        "WHERE load_id = %s "
                        "ORDER BY line_no", (load_id,)).fetchall()


def _two_years(tmp_path):
    """300 rows of 2017-05 then 300 of 2018-05, with one reject in each half, a row without
    coordinates, one outside London and one on the river."""
    rows = _rows(300, month="2017-05") + _rows(300, month="2018-05", start=300)
    rows[10][5] = "99.0"             # line 12: latitude outside the UK
    rows[20][4] = rows[20][5] = ""   # no coordinates
    rows[30][4], rows[30][5] = "-2.4282", "53.5769"   # Manchester: outside London
    rows[40][4], rows[40][5] = "-0.1225", "51.4985"   # on the Thames: no LSOA, the 2018 ward's borough
    rows[450][1] = "2018-13"         # line 452: not a month
    return _write_csv(tmp_path / "2017-05-test-street.csv", rows)


def _empty_years(conn, *years):
    for y in years:
        conn.execute("DELETE FROM crime.street_crime WHERE month >= %s AND month < %s",
                     (f"{y}-01-01", f"{y + 1}-01-01"))


def test_two_connections_load_what_one_connection_loads(conn, tmp_path, two_connections, monkeypatch):
    _empty_years(conn, 2017, 2018)
    before = _partition_facts(conn, "street_crime_2017")
    path = _two_years(tmp_path)
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    d = _details(conn, res.load_id)
    assert d["staging"] == "server, two connections"
    assert d["rebuilt_partitions"] == ["street_crime_2017", "street_crime_2018"]
    assert res.rows_read == 600 and res.rows_loaded == 598 and res.rows_rejected == 2
    both = _loaded(conn, res.load_id)
    both_rejects = _rejects(conn, res.load_id)
    assert [r[0] for r in both_rejects] == [12, 452]
    statuses = {r[0]: r[-1] for r in both}
    assert statuses[22] == "no-coordinates" and statuses[32] == "outside-london" and statuses[2] == "ok"
    river = next(r for r in both if r[0] == 42)
    assert river[10:] == (None, None, "E09000033", "ok"), river   # Westminster, by its 2018 ward
    # The rebuilt partitions: same owner, privileges, indexes attached to the table's own.
    assert _partition_facts(conn, "street_crime_2017") == before
    assert conn.execute(SCRATCH).fetchone()[0] is None
    # The same file the one-connection way: the same rows, line numbers, areas and rejects.
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1 << 62)
    res1 = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _details(conn, res1.load_id)["staging"] == "server"
    assert _loaded(conn, res1.load_id) == both
    assert _rejects(conn, res1.load_id) == both_rejects
    # Loaded again on two connections: the slices are replaced, nothing doubles.
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    cell_oid = "SELECT 'crime.street_crime_cell_2017'::regclass::oid"
    cells_before = conn.execute(cell_oid).fetchone()[0]
    cell_facts = _partition_facts(conn, "street_crime_cell_2017")
    res2 = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    # The year's cell counts were built beside its rows and swapped in with them (revision 0020): a new
    # table, with the key, owner and privileges of the one it replaced.
    assert conn.execute(cell_oid).fetchone()[0] != cells_before
    assert _partition_facts(conn, "street_crime_cell_2017") == cell_facts
    assert cell_facts[3] == cell_facts[4] == 1
    assert _details(conn, res2.load_id)["replaced_rows"] == 598
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE month IN ('2017-05-01', '2018-05-01')"
                        ).fetchone()[0] == 598
    raw = conn.execute("SELECT force, month, crime_type, count(*) FROM crime.street_crime "
                       "WHERE month IN ('2017-05-01', '2018-05-01') GROUP BY 1, 2, 3 "
                       "ORDER BY 1, 2, 3").fetchall()
    kept = conn.execute("SELECT force, month, crime_type, records FROM crime.street_crime_month_type "
                        "WHERE month IN ('2017-05-01', '2018-05-01') ORDER BY 1, 2, 3").fetchall()
    assert kept == raw
    # and the 250 m cell counts the hotspot functions read (issue 18), refreshed in the same transaction
    cells = ("SELECT month, crime_type, CASE WHEN geom IS NULL THEN -1 ELSE (floor(ST_X(geom) / 250)::bigint "
             "<< 18) + floor(ST_Y(geom) / 250)::bigint END, count(*) FROM crime.street_crime "
             "WHERE month IN ('2017-05-01', '2018-05-01') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    assert conn.execute(cells).fetchall() == conn.execute(
        "SELECT month, crime_type, cell, records FROM crime.street_crime_cell "
        "WHERE month IN ('2017-05-01', '2018-05-01') ORDER BY 1, 2, 3").fetchall()
    assert conn.execute("SELECT count(*) FROM crime.street_crime_cell_month "
                        "WHERE month IN ('2017-05-01', '2018-05-01')").fetchone()[0] == 2



def test_halves_spanning_two_years_go_through_the_router(conn, tmp_path, two_connections, monkeypatch):
    """Each half of a file of one year writes straight into that year's fresh table (the first test);
    halves whose months span two partitions write through the router: the same rows either way."""
    _empty_years(conn, 2017, 2018)
    pairs = zip(_rows(200, month="2017-05"), _rows(200, month="2018-05", start=200))
    rows = [r for pair in pairs for r in pair]
    path = _write_csv(tmp_path / "2017-05-mixed-street.csv", rows)
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _details(conn, res.load_id)["rebuilt_partitions"] == ["street_crime_2017", "street_crime_2018"]
    assert res.rows_loaded == 400
    both = _loaded(conn, res.load_id)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1 << 62)
    res1 = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _loaded(conn, res1.load_id) == both
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE month IN ('2017-05-01', '2018-05-01')"
                        ).fetchone()[0] == 400


def test_fresh_tables_are_unlogged_only_where_wal_level_is_minimal(conn, tmp_path, two_connections,
                                                                   monkeypatch):
    """On wal_level = minimal the halves fill UNLOGGED tables, made LOGGED when they are finished (the
    rows then skip the WAL); elsewhere they are logged from the start. Either way what is swapped in
    is an ordinary, logged partition."""
    seen = []
    real = partitions.create_router

    def spy(cur, scratch, *args, **kw):
        router, tables = real(cur, scratch, *args, **kw)
        seen.append(cur.execute("SELECT array_agg(DISTINCT relpersistence::text) FROM pg_class "
                                "WHERE relnamespace = %s::regnamespace AND relkind = 'r'", (scratch,)
                                ).fetchone()[0])
        return router, tables
    monkeypatch.setattr(partitions, "create_router", spy)
    persistence = ("SELECT array_agg(DISTINCT c.relpersistence::text) FROM pg_inherits i "
                   "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent "
                   "IN ('crime.street_crime'::regclass, 'crime.street_crime_cell'::regclass)")
    path = _two_years(tmp_path)
    for minimal in (True, False):
        monkeypatch.setattr(partitions, "unlogged_scratch", lambda cur, m=minimal: m)
        _empty_years(conn, 2017, 2018)
        res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
        d = _details(conn, res.load_id)
        assert d["rebuilt_partitions"] == ["street_crime_2017", "street_crime_2018"]
        assert res.rows_loaded == 598
        assert conn.execute(persistence).fetchone()[0] == ["p"]
        assert conn.execute(SCRATCH).fetchone()[0] is None
    assert seen == [["u"], ["p"]]

def test_a_partition_holding_other_slices_is_written_row_by_row(conn, tmp_path, two_connections):
    _empty_years(conn, 2017, 2018)
    other = _write_csv(tmp_path / "2017-01-other-street.csv",
                       _rows(40, month="2017-01", force="Other Police"))
    load_csv(conn, police_uk.SOURCE, other, _opts(tmp_path))
    res = load_csv(conn, police_uk.SOURCE, _two_years(tmp_path), _opts(tmp_path, force=True))
    d = _details(conn, res.load_id)
    assert d["staging"] == "server, two connections"
    assert d["rebuilt_partitions"] == ["street_crime_2018"]      # 2017 holds Other Police's January
    assert conn.execute("SELECT force, count(*) FROM crime.street_crime WHERE month >= '2017-01-01' "
                        "AND month < '2019-01-01' GROUP BY 1 ORDER BY 1").fetchall() == [
        ("Other Police", 40), (FORCE, 598)]
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_a_partition_the_summary_misses_other_rows_of_is_still_kept(conn, tmp_path, two_connections):
    """The partitions to rebuild are guessed from crime.street_crime_month_type and built while the
    partitions themselves are checked: a partition holding rows the summary does not show is built
    but not swapped in, and keeps them."""
    _empty_years(conn, 2017, 2018)
    other = _write_csv(tmp_path / "2017-01-other-street.csv",
                       _rows(40, month="2017-01", force="Other Police"))
    load_csv(conn, police_uk.SOURCE, other, _opts(tmp_path, force=True))
    conn.execute("DELETE FROM crime.street_crime_month_type WHERE force = 'Other Police'")
    res = load_csv(conn, police_uk.SOURCE, _two_years(tmp_path), _opts(tmp_path, force=True))
    d = _details(conn, res.load_id)
    assert d["staging"] == "server, two connections"
    assert d["rebuilt_partitions"] == ["street_crime_2018"]
    assert conn.execute("SELECT force, count(*) FROM crime.street_crime WHERE month >= '2017-01-01' "
                        "AND month < '2019-01-01' GROUP BY 1 ORDER BY 1").fetchall() == [
        ("Other Police", 40), (FORCE, 598)]
    assert res.rows_loaded == 598
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_a_half_the_server_cannot_vouch_for_sends_the_file_one_connection_way(conn, tmp_path,
                                                                               two_connections):
    _empty_years(conn, 2017, 2018)
    path = _two_years(tmp_path)
    text = path.read_text(encoding="utf-8").splitlines()
    text[500] = text[500].replace("Under investigation", '""')     # a quoted empty value, second half
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _details(conn, res.load_id)["staging"] == "rows"
    assert res.rows_loaded == 598
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_a_split_inside_a_quoted_line_break_sends_the_file_one_connection_way(conn, tmp_path,
                                                                               two_connections):
    """Every record spans two lines (a quoted line break), and the file is cut inside one: both
    halves' COPY fail (an open quote, a short record), and the file goes the row-by-row way whole."""
    _empty_years(conn, 2017)
    path = tmp_path / "2017-07-test-street.csv"
    for n in range(200, 210):
        rows = _rows(n, month="2017-07")
        for r in rows:
            r[6] = "On or near\nHigh Street"
        _write_csv(path, rows)
        with open(path, "rb") as f:
            f.readline()
            mid, _ = parallel.split_point(path, f.tell())
            f.seek(mid)
            if f.read(11) == b"High Street":
                break
    else:
        pytest.fail("no file size put the split inside a quoted line break")
    res = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _details(conn, res.load_id)["staging"] == "rows"
    lines = [r[0] for r in _loaded(conn, res.load_id)]
    assert res.rows_loaded == n and lines[:3] == [2, 4, 6]       # each record is two lines of the file
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_a_strict_load_with_rejects_is_refused_and_cleans_up(conn, tmp_path, two_connections):
    _empty_years(conn, 2017, 2018)
    with pytest.raises(LoadRefused, match="2 bad value"):
        load_csv(conn, police_uk.SOURCE, _two_years(tmp_path), _opts(tmp_path, strict=True, force=True))
    assert conn.execute("SELECT count(*) FROM crime.street_crime WHERE month IN ('2017-05-01', '2018-05-01')"
                        ).fetchone()[0] == 0
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_scratch_of_a_dead_load_is_dropped_and_of_a_running_one_kept(conn, db_url, tmp_path, two_connections):
    conn.execute("CREATE SCHEMA safestats_load_999999_a")
    conn.execute("CREATE TABLE safestats_load_999999_a.stage (x int)")
    conn.execute("CREATE SCHEMA safestats_load_999998_b")
    with psycopg.connect(db_url, autocommit=True) as running:
        running.execute("SELECT pg_advisory_lock(%s, 999998)", (parallel.LOCK_CLASS,))
        load_csv(conn, police_uk.SOURCE, _two_years(tmp_path), _opts(tmp_path, force=True))
        assert conn.execute(SCRATCH).fetchone()[0] == ["safestats_load_999998_b"]
    # Its session has ended: the next look drops it.
    with psycopg.connect(db_url, autocommit=True) as c:
        assert parallel.drop_orphans(c) == ["safestats_load_999998_b"]
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_a_killed_two_connection_load_leaves_the_old_rows(conn, db_url, tmp_path, monkeypatch):
    _empty_years(conn, 2015)
    path = _write_csv(tmp_path / "2015-06-test-street.csv", _rows(60_000, month="2015-06"))
    first = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path))
    count = "SELECT count(*), max(load_id) FROM crime.street_crime WHERE month = '2015-06-01'"
    assert conn.execute(count).fetchone() == (60_000, first.load_id)
    env = {**os.environ, "DATABASE_URL": db_url, "SAFESTATS_BULK_MIN_ROWS": "1",
           "SAFESTATS_PARALLEL_MIN_BYTES": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "safestats.cli", "load", "police-uk", str(path), "--force",
                             "--rejects-dir", str(tmp_path)], env=env, cwd=config.REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # (the halves have written their rows into the scratch tables; the partitions' indexes are being built)
    building = ("SELECT count(*) FROM pg_stat_activity "
                "WHERE (query LIKE 'CREATE INDEX ON %%safestats_load_%%street_crime%%' "
                "OR query LIKE 'ALTER TABLE %%safestats_load_%%street_crime%% ADD PRIMARY KEY%%' "
                "OR query LIKE 'ANALYZE %%safestats_load_%%street_crime%%') AND pid <> pg_backend_pid()")
    caught = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        caught = conn.execute(building).fetchone()[0] > 0
        if caught:
            break
        time.sleep(0.01)
    assert caught, "the load should have been caught while building partitions on its two connections"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(400):
        if not conn.execute(building).fetchone()[0]:
            break
        time.sleep(0.05)
    # The old rows and partition are there; the dead load's scratch schemas are left behind …
    assert conn.execute(count).fetchone() == (60_000, first.load_id)
    assert _partition_facts(conn, "street_crime_2015")[2:] == (True, 4, 4, "p")
    assert conn.execute(SCRATCH).fetchone()[0] is not None
    shown = conn.execute(dict(STATUS_SECTIONS)[SCRATCH_SECTION]).fetchall()
    assert shown and all(r[0].startswith("safestats_load_") and r[1] >= 1 for r in shown)
    comment = conn.execute("SELECT obj_description(%s::regnamespace)", (shown[0][0],)).fetchone()[0]
    assert "two connections" in comment
    # … until the next load on two connections, which drops them and loads the file.
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    again = load_csv(conn, police_uk.SOURCE, path, _opts(tmp_path, force=True))
    assert _details(conn, again.load_id)["staging"] == "server, two connections"
    assert conn.execute(count).fetchone() == (60_000, again.load_id)
    assert conn.execute(SCRATCH).fetchone()[0] is None


def test_build_steps_are_shared_and_ordered_by_what_each_table_needs():
    """parallel.Tasks: two connections share one table's steps (a file of one year fills one
    partition), nothing of a table runs before it is made LOGGED, and its ANALYZE (whose lock conflicts
    with CREATE INDEX's) starts only when all its index builds have ended."""
    import threading
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Step:     # (the fields of partitions.Task that Tasks reads)
        part: str
        kind: str
        name: str

    steps = [Step("2019", "logged", "logged"), *(Step("2019", "index", f"index {i}") for i in range(4)),
             Step("2019", "derived", "cells"), Step("2019", "analyze", "analyze"),
             Step("2018", "index", "index 2018"), Step("2018", "analyze", "analyze 2018")]
    tasks = parallel.Tasks(steps)
    log, lock, gate = [], threading.Lock(), threading.Barrier(2, timeout=10)

    def worker(who):
        while (s := tasks.take()) is not None:
            with lock:
                log.append(("start", s.name, who))
            if s.name == "index 0":
                gate.wait()   # held until the other connection has started a step beside it
            elif s.kind == "index" and s.part == "2019" and not gate.broken and gate.n_waiting:
                gate.wait()
            time.sleep(0.1 if s.name == "index 3" else 0.01)   # (the last index build ends last)
            with lock:
                log.append(("end", s.name, who))
            tasks.finish(s)

    threads = [threading.Thread(target=worker, args=(w,)) for w in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not any(t.is_alive() for t in threads)
    names = [e[1] for e in log if e[0] == "start"]
    assert sorted(names) == sorted(s.name for s in steps)
    at = {(kind, name): i for i, (kind, name, _) in enumerate(log)}
    assert names[0] == "logged" and at[("end", "logged")] < min(
        at[("start", s.name)] for s in steps if s.part == "2019" and s.kind != "logged")
    assert at[("start", "analyze")] > max(at[("end", f"index {i}")] for i in range(4))
    assert at[("start", "analyze 2018")] > at[("end", "index 2018")]
    # both connections built indexes of the one table
    assert {who for kind, name, who in log if kind == "start" and name.startswith("index ")
            and name != "index 2018"} == {"a", "b"}


def test_a_failed_build_step_stops_the_other_connection_taking_more():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Step:
        part: str
        kind: str

    tasks = parallel.Tasks([Step("2019", "index"), Step("2019", "index"), Step("2019", "analyze")])
    first = tasks.take()
    tasks.finish(first, failed=True)
    assert tasks.take() is None
